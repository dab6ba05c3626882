use actix_web::{get, App, Responder};
use cors_credentials::cors_credentials;

const VAR: &str = "APP_CORS_ORIGINS";

#[cors_credentials(origins = env(VAR))]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
