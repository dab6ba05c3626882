use actix_web::{get, post, routes, App, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/me")]
#[routes]
#[post("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
