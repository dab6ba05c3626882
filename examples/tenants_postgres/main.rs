//! A multi-tenant API as a SaaS deploys it: several instances behind a load
//! balancer, the tenants' front-end origins in PostgreSQL, each instance
//! keeping them in memory and in sync through `LISTEN`/`NOTIFY` and a
//! periodic full read. See `examples/tenants_postgres/README.md` for the
//! guarantees (how soon a deleted origin is refused everywhere).
//!
//!     psql "$DATABASE" -f examples/tenants_postgres/schema.sql
//!     DATABASE="host=127.0.0.1 user=app dbname=app" cargo run --example tenants_postgres
//!
//! Then, in `psql`:
//!
//!     INSERT INTO tenant_origins VALUES ('acme', 'https://app.acme.example');
//!
//! and at once:
//!
//!     curl -i -H 'Origin: https://app.acme.example' http://127.0.0.1:8080/tenants/acme/data
//!
//! while another tenant's routes refuse that origin (`403`):
//!
//!     curl -i -H 'Origin: https://app.acme.example' http://127.0.0.1:8080/tenants/globex/data
//!
//! `RESYNC_SECONDS` (default 30) sets how often everything is read again.

use std::{io, time::Duration};

use actix_web::{rt, App, HttpServer};
use cors_credentials_examples::{
    cli::{self, TerminalLog},
    tenants_postgres::{instance, run, Event, Following},
};

#[actix_web::main]
async fn main() -> io::Result<()> {
    TerminalLog::install();
    let conninfo = std::env::var("DATABASE")
        .unwrap_or_else(|_| "host=127.0.0.1 user=postgres dbname=postgres".to_owned());
    let resync_every = std::env::var("RESYNC_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(Duration::from_secs(30), Duration::from_secs);
    let sync = Following {
        conninfo,
        resync_every,
        retry_every: Duration::from_secs(1),
        listen: true,
    };
    // Until the first read every tenant's routes refuse cross-origin
    // requests; a database down at startup keeps them closed, and says why.
    // Each tenant's origins are allowed on its own routes only.
    rt::spawn(run(sync, &instance::TENANTS, |event| match event {
        Event::Unreachable(reason) => {
            log::warn!("database unreachable, keeping the last good origins: {reason}")
        }
        Event::Refused(tenant, reason) => {
            log::warn!("tenant {tenant:?} keeps its last good origins: {reason}")
        }
        other => log::info!("{other:?}"),
    }));
    let port = cli::announce(&[module_path!()], "/tenants/acme/data");
    HttpServer::new(|| App::new().configure(instance::configure))
        .bind(("127.0.0.1", port))?
        .run()
        .await
}
