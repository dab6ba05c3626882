use actix_web::{web, App, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(origins = ["https://app.example.com"], methods = ["GET", "PATCH"])]
pub async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(
        web::resource("/me")
            .wrap(me::cors())
            .route(web::get().to(me))
            .route(web::patch().to(me)),
    );
}
