use actix_web::{get, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(origins = ["https://app.example.com"], dev_origins = ["https://app.example.com"])]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {}
