use actix_web::{get, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(origins = ["https://app.example.com"], dev_origins = ["http://localhost:3000/"])]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {}
