// `policy = crate::cors::API`.
use actix_web::{web, App, Responder};
use cors_credentials::cors_credentials;

mod cors {
    cors_credentials::policy! {
        pub API = { origins: ["https://app.example.com"] };
    }
}

#[cors_credentials(policy = crate::cors::API, methods = ["GET", "PUT"])]
async fn me() -> impl Responder {
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
