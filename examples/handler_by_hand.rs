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

#[cfg(test)]
mod tests {
    use actix_web::{test, web, App};
    use cors_credentials::{inventory, testing::Audit};

    use super::profile;

    /// The app audits clean. A handler registered by hand has no path in the
    /// inventory: the audit is told where it is served, with its policy.
    #[actix_web::test]
    async fn the_app_audits_clean() {
        let app = test::init_service(
            App::new().service(
                web::resource("/api/profile")
                    .wrap(profile::cors())
                    .route(web::get().to(profile))
                    .route(web::put().to(profile)),
            ),
        )
        .await;
        // Only this binary's routes: it links the examples' library too.
        let routes = inventory().filter(|route| route.module() == env!("CARGO_CRATE_NAME"));
        let route = routes
            .iter()
            .find(|route| route.handler() == "profile")
            .unwrap();
        let report = Audit::new()
            .inventory(routes.clone())
            .route("/api/profile", route.policy(), route.methods())
            .audit_actix(&app, &[])
            .await;
        report.assert_clean();
        assert_eq!(report.paths(), ["/api/profile"], "{report}");
    }
}
