use actix_web::Responder;
use cors_credentials::cors_credentials;

#[cors_credentials(origins = ["https://app.example.com"], methods = ["GET", "GET"])]
async fn me() -> impl Responder {
    "me"
}

fn main() {}
