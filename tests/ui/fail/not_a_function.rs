use cors_credentials::cors_credentials;

#[cors_credentials(origins = ["https://app.example.com"])]
struct Me;

fn main() {}
