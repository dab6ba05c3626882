// `policy = super::API` on a handler under a routing attribute, in a module.
use actix_web::App;
use cors_credentials::policy;

policy! {
    API = { origins: ["https://app.example.com"] };
}

mod handlers {
    use actix_web::{get, Responder};
    use cors_credentials::cors_credentials;

    #[cors_credentials(policy = super::API, max_age = 60)]
    #[get("/me")]
    pub async fn me() -> impl Responder {
        "me"
    }
}

fn main() {
    let _ = App::new().service(handlers::me);
}
