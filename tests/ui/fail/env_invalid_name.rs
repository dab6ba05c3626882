use actix_web::{get, App, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(origins = env(""))]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
