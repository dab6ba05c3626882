// Every key of the attribute that a route takes, on one handler, and the
// opt-in to plain-http origins on another.
use actix_web::{get, put, App, Responder};
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

// `allow_insecure_http_origins = true`: a plain-http origin that is not a
// loopback host, allowed because the handler says so.
#[cors_credentials(origins = ["http://intranet.example.com"], allow_insecure_http_origins = true)]
#[get("/intranet")]
async fn intranet() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me).service(intranet);
}
