// `policy = API` on a handler registered by hand: the name resolves where
// it is written, not inside the module generated next to the handler.
use actix_web::{web, App, Responder};
use cors_credentials::{cors_credentials, policy};

policy! {
    API = { origins: ["https://app.example.com"], max_age: 600 };
}

#[cors_credentials(policy = API, methods = ["GET", "PUT"])]
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
