//! A handler without a routing attribute, registered by hand with
//! `web::resource`: the attribute needs the methods, and generates
//! `<handler>::cors()` to wrap the resource with. That middleware also
//! answers the resource's preflights.
//!
//! ```sh
//! cargo run --example handler_by_hand
//! curl -i -X OPTIONS -H 'Origin: https://app.example.com' \
//!   -H 'Access-Control-Request-Method: PUT' http://127.0.0.1:8080/api/profile
//! ```

use actix_web::{web, App, HttpServer, Responder};
use cors_credentials::cors_credentials;
use cors_credentials_examples::cli::{self, TerminalLog};

#[cors_credentials(origins = ["https://app.example.com"], methods = ["GET", "PUT"])]
async fn profile() -> impl Responder {
    r#"{"name":"Ada"}"#
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    TerminalLog::install();
    let port = cli::announce(&[module_path!()], "/api/profile");
    HttpServer::new(|| {
        App::new().service(
            web::resource("/api/profile")
                .wrap(profile::cors())
                .route(web::get().to(profile))
                .route(web::put().to(profile)),
        )
    })
    .bind(("127.0.0.1", port))?
    .run()
    .await
}
