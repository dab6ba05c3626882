//! `missing_docs` applies to annotated public handlers and public policies as
//! to plain items: what the macros generate is documented by the user's doc
//! comments only, and what they add on their own is documented.
#![deny(missing_docs)]

use actix_web::{get, web, App, Responder};
use cors_credentials::{cors_credentials, policy};

policy! {
    pub API = { origins: ["https://app.example.com"] }
}

#[cors_credentials(policy = API)]
#[get("/me")]
pub async fn me() -> impl Responder {
    "me"
}

#[cors_credentials(origins = ["https://app.example.com"], methods = ["GET"])]
pub async fn profile() -> impl Responder {
    "profile"
}

fn main() {
    let _ = App::new()
        .service(me)
        .service(web::resource("/profile").wrap(profile::cors()).route(web::get().to(profile)));
}
