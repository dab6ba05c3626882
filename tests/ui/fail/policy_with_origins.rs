use actix_web::{get, App, Responder};
use cors_credentials::cors_credentials;

cors_credentials::policy! {
    API = { origins: ["https://app.example.com"] }
}

#[cors_credentials(policy = API, origins = ["https://b.example.com"])]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
