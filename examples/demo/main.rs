//! The two-origin demo: `cargo run --example demo`, then open the URLs it prints.
//!
//! It serves, on loopback only:
//! - the API (default `http://localhost:8080`), whose handlers in
//!   `examples/demo/api.rs` use `#[cors_credentials]`;
//! - one page from the allowed front-end origin `http://localhost:3000`
//!   (also reachable as `http://127.0.0.1:3000`, which is cross-site: there
//!   the session cookie is a third-party cookie, which browsers that block
//!   third-party cookies neither store nor send);
//! - the same page from a not-allowed origin (default `http://localhost:3001`).
//!
//! Ports: `--api-port N` (or `DEMO_API_PORT`), `--blocked-port N`
//! (`DEMO_BLOCKED_PORT`) and `--app-port N` (`DEMO_APP_PORT`); 0 picks a free
//! port, and the URLs printed at start show the ports bound. The allowed
//! origins are literals compiled into the attributes, so the page is allowed
//! only on port 3000: on another `--app-port` it is refused like the
//! not-allowed one, until `origins` in `examples/demo/api.rs` is changed to match.
//!
//! HTTPS: `--https` (or `DEMO_HTTPS=1`) serves the API and both pages over
//! https with a self-signed certificate for `localhost` and `127.0.0.1`
//! made at startup (accept the browser's warning once per port). The
//! session cookie is then `SameSite=Lax; Secure; HttpOnly`, which the
//! same-site page keeps in every engine; the cross-site page
//! (`https://127.0.0.1:3000`) says what the browser did with it.
//!
//! The servers are in `mod.rs` and the modules beside it, the page in
//! `page/`; the command line and the lines printed are the examples' own
//! (`examples/src/cli.rs`).

use std::process::ExitCode;

use cors_credentials_examples::{
    cli::{self, TwoOrigins},
    demo::{self, api::ALLOWED_ORIGINS},
    tls::Tls,
};

#[actix_web::main]
async fn main() -> ExitCode {
    let example = TwoOrigins::new("demo", "DEMO", &ALLOWED_ORIGINS, "demo/api.rs").with_https();
    let (running, ports) = example.start(|api, pages, api_origin| {
        let tls = api_origin
            .starts_with("https://")
            .then(Tls::self_signed)
            .transpose()?;
        demo::start_with(api, pages, api_origin, tls)
    });

    println!("cors-credentials demo: one API, one page served from two origins (loopback only)\n");
    example.print_addresses(&ports, &[]);
    // The table marks the allowed origins cross-site to the API, whose pages
    // see its session cookie as a third-party cookie.
    cli::log_inventory_at(&["cors_credentials_examples::demo"], &ports.api_origin());
    let blocked = ports.blocked_origin();
    println!("\nEvery route of the API is behind CrossOriginGuard: a cross-origin POST, PUT or DELETE passes only on a route whose policy allows its origin (the demo trusts no origin app-wide), so the close-account form is refused from every other origin.\n");
    println!("On an allowed page every call shows its real status and body (200, 401, 422), and only the exposed header x-request-id.");
    println!("On {blocked} every call fails with \"TypeError: Failed to fetch\", and the API answers 403 before any handler runs (see the log below).\n");

    cli::stop_on_ctrl_c(actix_web::rt::signal::ctrl_c(), running.stop()).await
}
