use actix_web::{get, App, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(origins = ["http://intranet.example.com"], allow_insecure_http_origins = true)]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
