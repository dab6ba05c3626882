// Without the `actix` feature the attribute is a compile error that names
// the feature, and nothing else is reported: the handler stays as written.
use cors_credentials::cors_credentials;

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/api/me")]
async fn me() -> &'static str {
    "me"
}

fn main() {
    let _ = me();
}
