// Below the routing attribute, `#[cors_credentials]` never sees the route,
// whatever stands between them.
use actix_web::{get, App, Responder};
use cors_credentials::cors_credentials;

#[get("/me")]
#[tracing::instrument]
#[cors_credentials(origins = ["https://app.example.com"])]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
