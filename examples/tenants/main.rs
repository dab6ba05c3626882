//! Origins that change while the server runs: a multi-tenant API whose
//! tenants' front ends are kept in a JSON file, reloaded on `SIGHUP` and when
//! the file changes.
//!
//!     cargo run --example tenants -- tenants.json
//!
//! The file (written with two tenants when it does not exist yet):
//!
//!     {"origins": ["https://acme.example", "https://*.globex.example"]}
//!
//! Edit it while the server runs: within a second, or at once after
//! `kill -HUP <pid>` (the server prints its pid), the new list is checked
//! with the compiler's rules while the file is read (`OriginList`, feature
//! `serde`) and replaces the old one, or is refused with the reason and the
//! current list stays. Then try:
//!
//!     curl -i -H 'Origin: https://acme.example' http://127.0.0.1:8080/api/me
//!     curl -i -H 'Origin: https://shop.globex.example' http://127.0.0.1:8080/api/me
//!     curl -i -H 'Origin: https://evil.example' http://127.0.0.1:8080/api/me

use std::{fs, io, path::Path, time::Duration};

use actix_web::{get, rt, App, HttpServer, Responder};
use cors_credentials::{cors_credentials, policy};
use cors_credentials_examples::{
    cli::{self, TerminalLog},
    tenants::{reload, watch, Reload},
};

policy! {
    /// The tenants' front ends, from the file. A short `max_age`: browsers
    /// keep a preflight's answer that long after a tenant is removed.
    TENANTS = { origins: dynamic, max_age: 600 }
}

#[cors_credentials(policy = TENANTS)]
#[get("/api/me")]
async fn me() -> impl Responder {
    r#"{"name":"Ada"}"#
}

#[actix_web::main]
async fn main() -> io::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tenants.json".to_owned());
    let path = Path::new(&path).to_owned();
    if !path.exists() {
        fs::write(
            &path,
            "{\"origins\": [\"https://acme.example\", \"https://*.globex.example\"]}\n",
        )?;
    }
    TerminalLog::install();
    // A bad file at startup stops the server: there is no list to keep.
    match reload(&TENANTS, &path) {
        Ok(count) => println!("{}: {count} origins", path.display()),
        Err(error) => return Err(io::Error::other(error)),
    }

    // Reload on SIGHUP and when the file changes; a bad file keeps the
    // current origins.
    let shown = path.display().to_string();
    let watcher = watch(
        &TENANTS,
        path,
        Duration::from_secs(1),
        move |Reload { trigger, outcome }| match outcome {
            Ok(count) => println!("{shown}: reloaded ({trigger:?}), {count} origins"),
            Err(error) => eprintln!("kept the current origins ({trigger:?}): {error}"),
        },
    )?;
    rt::spawn(watcher);

    let pid = std::process::id();
    let port = cli::announce(
        &[module_path!()],
        &format!("/api/me (pid {pid}: `kill -HUP` reloads the file)"),
    );
    HttpServer::new(|| App::new().service(me))
        .bind(("127.0.0.1", port))?
        .run()
        .await
}

#[cfg(test)]
mod tests {
    use actix_web::{test, App};
    use cors_credentials::{inventory, testing::Audit};

    use super::{me, TENANTS};

    /// The app audits clean with the tenants of the example's default file.
    #[actix_web::test]
    async fn the_app_audits_clean() {
        TENANTS
            .set_origins(["https://acme.example", "https://*.globex.example"])
            .unwrap();
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
