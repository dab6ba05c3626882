use actix_web::{options, App, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(origins = ["https://app.example.com"])]
#[options("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
