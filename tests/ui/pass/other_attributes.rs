#![deny(warnings, missing_docs)]
//! Annotated handlers alongside other attributes.

use actix_web::{get, App, Responder};
use cors_credentials::cors_credentials;

/// The current user.
#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/me")]
#[allow(clippy::unused_async)]
#[inline(never)]
pub async fn me() -> impl Responder {
    "me"
}

fn main() {
    let _ = App::new().service(me);
}
