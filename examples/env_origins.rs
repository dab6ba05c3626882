//! Origins known only at deploy time, read from `APP_CORS_ORIGINS`.
//!
//! ```sh
//! APP_CORS_ORIGINS='https://staging.example.com, https://*.preview.example.com' \
//!   cargo run --example env_origins
//! APP_CORS_ORIGINS='https://staging.example.com/' cargo run --example env_origins
//! # error: APP_CORS_ORIGINS: origin `https://staging.example.com/` ends with `/`, ...
//! ```
//!
//! The list is checked with the same rules and messages as a list in the
//! source, but at startup instead of at compile time: load it before the
//! server starts, so a bad value stops the deployment.

use actix_web::{get, App, HttpServer, Responder};
use cors_credentials::cors_credentials;
use cors_credentials_examples::cli::{self, TerminalLog};

cors_credentials::policy! {
    /// The front ends of this deployment.
    pub DEPLOYED = {
        origins: env("APP_CORS_ORIGINS"),
        headers: ["content-type"],
    }
}

#[cors_credentials(policy = DEPLOYED)]
#[get("/api/me")]
async fn me() -> impl Responder {
    r#"{"name":"Ada"}"#
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    DEPLOYED.load()?;
    TerminalLog::install();
    let port = cli::announce(&[module_path!()], "/api/me");
    HttpServer::new(|| App::new().service(me))
        .bind(("127.0.0.1", port))?
        .run()
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use actix_web::{test, App};
    use cors_credentials::{inventory, testing::Audit};

    use super::{me, DEPLOYED};

    /// The app audits clean with the origins of a deployment loaded.
    #[actix_web::test]
    async fn the_app_audits_clean() {
        // This test is the only one of its process: nothing else reads it.
        std::env::set_var(
            "APP_CORS_ORIGINS",
            "https://app.example.com, https://admin.example.com",
        );
        DEPLOYED.load().unwrap();
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
