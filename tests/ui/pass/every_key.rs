use actix_web::{put, App, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(
    origins = ["https://app.example.com", "http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:5173"],
    headers = ["content-type", "x-request-id"],
    expose_headers = ["x-request-id"],
    max_age = 600,
    on_disallowed = "pass",
)]
#[put("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
