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
