// A policy declared in a function body, used by a handler registered by
// hand in the same body.
use actix_web::{web, App, Responder};
use cors_credentials::{cors_credentials, policy};

fn main() {
    policy! {
        API = { origins: ["https://app.example.com"] };
    }

    #[cors_credentials(policy = API, methods = ["GET", "PUT"])]
    async fn me() -> impl Responder {
        "me"
    }

    let _ = App::new().service(
        web::resource("/me")
            .wrap(me::cors())
            .route(web::get().to(me))
            .route(web::put().to(me)),
    );
}
