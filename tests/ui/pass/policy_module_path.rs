// `policy = cors::API`: a module named `cors`, while the module generated
// next to the handler holds a function named `cors`.
use actix_web::{web, App, Responder};
use cors_credentials::cors_credentials;

mod cors {
    cors_credentials::policy! {
        pub API = { origins: ["https://app.example.com"] };
    }
}

#[cors_credentials(policy = cors::API, methods = ["GET", "PUT"])]
pub async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(
        web::resource("/me")
            .wrap(me::cors())
            .route(web::get().to(me))
            .route(web::put().to(me)),
    );
}
