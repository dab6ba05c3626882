use actix_web::{get, App, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(origins = ["https://app.example.com"], headers = 5)]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
