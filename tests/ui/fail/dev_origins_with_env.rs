use actix_web::{get, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(origins = env("APP_CORS_ORIGINS"), dev_origins = ["http://localhost:*"])]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {}
