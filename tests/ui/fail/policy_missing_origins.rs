use actix_web::{get, App, Responder};
use cors_credentials::cors_credentials;

cors_credentials::policy! {
    API = { max_age: 60 }
}

#[cors_credentials(policy = API)]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
