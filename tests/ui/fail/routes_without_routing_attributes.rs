use actix_web::{routes, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(origins = ["https://app.example.com"])]
#[routes]
async fn me() -> impl Responder {
    "me"
}

fn main() {}
