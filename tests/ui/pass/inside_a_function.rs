use actix_web::{get, App, Responder};
use cors_credentials::cors_credentials;

const GREETING: &str = "hello";

fn main() {
    #[cors_credentials(origins = ["https://app.example.com"])]
    #[get("/me")]
    async fn me() -> impl Responder {
        GREETING
    }

    let _ = App::new().service(me);
}
