use actix_web::{get, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(origins = dynamic)]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {}
