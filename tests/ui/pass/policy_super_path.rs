// `policy = super::API` and `policy = self::API` in a module: the module
// generated next to each handler is one level deeper, yet the paths mean
// what they mean where they are written.
use actix_web::{web, App};
use cors_credentials::policy;

policy! {
    API = { origins: ["https://app.example.com"] };
}

mod handlers {
    use actix_web::Responder;
    use cors_credentials::cors_credentials;

    cors_credentials::policy! {
        pub(crate) ADMIN = { origins: ["https://admin.example.com"] };
    }

    #[cors_credentials(policy = super::API, methods = ["GET", "PUT"])]
    pub async fn me() -> impl Responder {
        "me"
    }

    #[cors_credentials(policy = self::ADMIN, methods = ["DELETE"])]
    pub async fn user() -> impl Responder {
        "user"
    }
}

fn main() {
    let _ = App::new()
        .service(
            web::resource("/me")
                .wrap(handlers::me::cors())
                .route(web::get().to(handlers::me))
                .route(web::put().to(handlers::me)),
        )
        .service(
            web::resource("/users/{id}")
                .wrap(handlers::user::cors())
                .route(web::delete().to(handlers::user)),
        );
}
