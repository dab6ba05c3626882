use actix_web::{get, post, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/me")]
#[post("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {}
