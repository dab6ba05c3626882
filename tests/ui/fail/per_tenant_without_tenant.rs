use actix_web::{get, App, Responder};
use cors_credentials::cors_credentials;

cors_credentials::policy! {
    TENANTS = { origins: per_tenant }
}

#[cors_credentials(policy = TENANTS)]
#[get("/t/{tenant}/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
