use actix_web::{get, App, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(
    origins = ["*", "null", "https://app.example.com/"],
    headers = ["*"],
    max_age = 100000,
    colour = "blue"
)]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
