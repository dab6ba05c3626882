//! Origins that change while the server runs: a multi-tenant API whose
//! tenants' front ends are kept in a JSON file, reloaded when it changes.
//!
//!     cargo run --example tenants -- tenants.json
//!
//! The file (written with two tenants when it does not exist yet):
//!
//!     {"origins": ["https://acme.example", "https://*.globex.example"]}
//!
//! Edit it while the server runs: within a second the new list is checked with
//! the compiler's rules and replaces the old one, or is refused with the
//! reason and the current list stays. Then try:
//!
//!     curl -i -H 'Origin: https://acme.example' http://127.0.0.1:8080/api/me
//!     curl -i -H 'Origin: https://shop.globex.example' http://127.0.0.1:8080/api/me
//!     curl -i -H 'Origin: https://evil.example' http://127.0.0.1:8080/api/me

use std::{fs, io, path::Path, time::Duration};

use actix_web::{get, rt, App, HttpServer, Responder};
use cors_credentials::{cors_credentials, policy};
use serde::Deserialize;

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

/// The file's format.
#[derive(Deserialize)]
struct Tenants {
    origins: Vec<String>,
}

/// Reads the file and gives its origins to the policy: all or nothing.
fn reload(path: &Path) -> Result<usize, String> {
    let text = fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    let tenants: Tenants =
        serde_json::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))?;
    TENANTS
        .set_origins(&tenants.origins)
        .map_err(|error| error.to_string())?;
    Ok(tenants.origins.len())
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    fs::metadata(path).and_then(|meta| meta.modified()).ok()
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
    // A bad file at startup stops the server: there is no list to keep.
    match reload(&path) {
        Ok(count) => println!("{}: {count} origins", path.display()),
        Err(error) => return Err(io::Error::other(error)),
    }

    // Reload when the file changes; a bad file keeps the current origins.
    let watched = path.clone();
    rt::spawn(async move {
        let mut seen = modified(&watched);
        let mut tick = rt::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            let now = modified(&watched);
            if now == seen {
                continue;
            }
            seen = now;
            match reload(&watched) {
                Ok(count) => println!("{}: reloaded, {count} origins", watched.display()),
                Err(error) => eprintln!("kept the current origins: {error}"),
            }
        }
    });

    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    println!("listening on http://127.0.0.1:{port}/api/me");
    HttpServer::new(|| App::new().service(me))
        .bind(("127.0.0.1", port))?
        .run()
        .await
}
