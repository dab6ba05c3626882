use actix_web::{App, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(origins = ["https://app.example.com"])]
#[actix_web::route("/me", method = "GET", method = "OPTIONS")]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
