//! Origin patterns: every preview deployment's subdomain, and a local dev
//! server on any port.
//!
//! ```sh
//! cargo run --example patterns
//! curl -i -H 'Origin: https://pr-42.preview.example.com' http://127.0.0.1:8080/api/me
//! curl -i -H 'Origin: http://localhost:5173' http://127.0.0.1:8080/api/me
//! curl -i -H 'Origin: https://preview.example.com.evil.net' http://127.0.0.1:8080/api/me  # 403
//! ```

use actix_web::{get, App, HttpServer, Responder};
use cors_credentials::cors_credentials;
use cors_credentials_examples::cli::{self, TerminalLog};

// `*.preview.example.com` matches `pr-42.preview.example.com` and deeper
// subdomains, never `preview.example.com` itself. `localhost:*` matches any
// port of localhost; port wildcards exist for loopback hosts only.
#[cors_credentials(origins = [
    "https://app.example.com",
    "https://*.preview.example.com",
    "http://localhost:*",
])]
#[get("/api/me")]
async fn me() -> impl Responder {
    r#"{"name":"Ada"}"#
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    TerminalLog::install();
    let port = cli::announce(&[module_path!()], "/api/me");
    HttpServer::new(|| App::new().service(me))
        .bind(("127.0.0.1", port))?
        .run()
        .await
}

#[cfg(test)]
mod tests {
    use actix_web::{test, App};
    use cors_credentials::{inventory, testing::Audit};

    use super::me;

    /// The app audits clean: the patterns match none of the origins derived
    /// from what they allow (a sibling, a look-alike, a trailing dot, …).
    #[actix_web::test]
    async fn the_app_audits_clean() {
        let app = test::init_service(App::new().service(me)).await;
        // This example links the examples' library, whose apps' routes are
        // in the inventory too: only this binary's own.
        let report = Audit::new()
            .inventory(inventory().filter(|route| route.module() == env!("CARGO_CRATE_NAME")))
            .audit_actix(&app, &[])
            .await;
        report.assert_clean();
        assert_eq!(report.paths(), ["/api/me"], "{report}");
    }
}
