// Below a routing attribute written with its path, as below a bare one,
// `#[cors_credentials]` never sees the route.
use actix_web::{App, Responder};
use cors_credentials::cors_credentials;

#[actix_web::get("/me")]
#[cors_credentials(origins = ["https://app.example.com"])]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
