// `policy = other_crate::module::NAME`: a policy declared in another crate.
use actix_web::{web, App, Responder};
use cors_credentials::cors_credentials;

#[cors_credentials(policy = cors_credentials_examples::demo::api::FRONT_END, methods = ["GET", "PUT"])]
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
