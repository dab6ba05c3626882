//! The two-origin demo in axum: `cargo run --example axum`, then open the
//! URLs it prints. The same page, API and flow as `cargo run --example demo`,
//! with the tower adapter of cors-credentials:
//!
//! ```toml
//! cors-credentials = { version = "0.1", default-features = false, features = ["tower"] }
//! ```
//!
//! It serves, on loopback only:
//! - the API (default `http://localhost:8080`), whose routes in
//!   `examples/axum/api.rs` each have a `CorsLayer`, and whose router has
//!   a `CrossOriginGuardLayer` (`examples/axum/lib.rs`);
//! - one page from the allowed front-end origin `http://localhost:3000`
//!   (also reachable as `http://127.0.0.1:3000`, which is cross-site: there
//!   the session cookie is a third-party cookie, which browsers that block
//!   third-party cookies neither store nor send);
//! - the same page from a not-allowed origin (default `http://localhost:3001`).
//!
//! The heart of it, from `examples/axum/api.rs` and `lib.rs`:
//!
//! ```ignore
//! cors_credentials::policy! {
//!     pub FRONT_END = { origins: ["http://localhost:3000", "http://127.0.0.1:3000"] };
//! }
//!
//! let app = Router::new()
//!     // No layer: the guard refuses cross-origin form posts to it.
//!     .route("/account/close", post(close_account))
//!     // It wraps the routes added before it, and trusts no origin app-wide.
//!     .layer(CrossOriginGuardLayer::new())
//!     // After the guard: `.layer` on the route's MethodRouter, which decides
//!     // alone and answers the preflights too.
//!     .route("/api/login", post(login).layer(CorsLayer::new(&FRONT_END, [Method::POST])));
//! ```
//!
//! HTTPS: `--https` (or `DEMO_HTTPS=1`), as the actix-web demo: a
//! self-signed certificate for `localhost` and `127.0.0.1` made at startup,
//! served with rustls through axum-server, and a `SameSite=Lax` session cookie.
//!
//! Ports: `--api-port N` (or `DEMO_API_PORT`), `--blocked-port N`
//! (`DEMO_BLOCKED_PORT`) and `--app-port N` (`DEMO_APP_PORT`); 0 picks a free
//! port, and the URLs printed at start show the ports bound. The allowed
//! origins are literals compiled into the policies, so the page is allowed
//! only on port 3000: on another `--app-port` it is refused like the
//! not-allowed one, until `origins` in `examples/axum/api.rs` is changed.

use std::process::ExitCode;

use cors_credentials_examples::{
    cli::{self, TwoOrigins},
    tls::Tls,
};
use cors_credentials_examples_axum::api::ALLOWED_ORIGINS;

#[tokio::main]
async fn main() -> ExitCode {
    let example = TwoOrigins::new("axum", "DEMO", &ALLOWED_ORIGINS, "axum/api.rs").with_https();
    // Also installs the log: refusals of cors-credentials, the request log
    // and the audit log.
    let (running, ports) = example.start(|api, pages, api_origin| {
        let tls = api_origin
            .starts_with("https://")
            .then(Tls::self_signed)
            .transpose()?;
        cors_credentials_examples_axum::start_with(api, pages, api_origin, tls)
    });

    println!(
        "cors-credentials axum demo: one API, one page served from two origins (loopback only)\n"
    );
    example.print_addresses(&ports, &[]);
    let blocked = ports.blocked_origin();
    println!("Routes with a CorsLayer: POST /api/login, GET and PUT /api/me, POST /api/logout.");
    println!("Routes without a CorsLayer are behind CrossOriginGuardLayer: a cross-origin POST, PUT or DELETE to them is refused; each CorsLayer admits only its own origins.\n");
    println!("On an allowed page every call shows its real status and body (200, 401, 422), and only the exposed header x-request-id.");
    println!("On {blocked} every call fails with \"TypeError: Failed to fetch\", and the API answers 403 before any handler runs (see the log below).\n");

    cli::stop_on_ctrl_c(tokio::signal::ctrl_c(), running.stop()).await
}
