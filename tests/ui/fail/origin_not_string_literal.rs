use actix_web::{get, App, Responder};
use cors_credentials::cors_credentials;

const ORIGIN: &str = "https://app.example.com";

#[cors_credentials(origins = [ORIGIN])]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
