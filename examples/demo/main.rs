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

use std::process::ExitCode;

use cors_credentials_examples::{
    cli::{self, Ports, TerminalLog, COMPILED_APP_PORT},
    demo::{self, api::ALLOWED_ORIGINS},
};

const USAGE: &str = "\
usage: cargo run --example demo -- [--api-port N] [--app-port N] [--blocked-port N]

  --api-port N      the API                        (default 8080, or DEMO_API_PORT)
  --app-port N      the allowed front-end          (default 3000, or DEMO_APP_PORT)
  --blocked-port N  the not-allowed front-end      (default 3001, or DEMO_BLOCKED_PORT)

Port 0 picks a free port; the URLs printed at start show the ports bound.

The API allows http://localhost:3000 and http://127.0.0.1:3000, compiled into its
#[cors_credentials] attributes: on another --app-port the page is not allowed
until `origins` in examples/demo/api.rs is changed to match.";

#[actix_web::main]
async fn main() -> ExitCode {
    let ports = match Ports::parse("DEMO") {
        Ok(ports) => ports,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}\n");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (api, pages, ports) = match ports.bind() {
        Ok(listeners) => listeners,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };

    TerminalLog::install();

    let api_origin = format!("http://localhost:{}", ports.api);
    let running = match demo::start(api, pages, &api_origin) {
        Ok(running) => running,
        Err(e) => {
            eprintln!("error: cannot start the servers: {e}");
            return ExitCode::FAILURE;
        }
    };

    let app = format!("http://localhost:{}", ports.app);
    let app_ip = format!("http://127.0.0.1:{}", ports.app);
    let blocked = format!("http://localhost:{}", ports.blocked);
    println!("cors-credentials demo: one API, one page served from two origins (loopback only)\n");
    println!(
        "  API                    {api_origin}   (allows {})",
        ALLOWED_ORIGINS.join(" and ")
    );
    if ports.app == COMPILED_APP_PORT {
        println!("  allowed front-end      {app}   same site as the API, another port");
        println!("                         {app_ip}   cross-site: the cookie is third-party there (SameSite=None; Secure),");
        println!("                                                 so the session works only where third-party cookies are allowed");
    } else {
        println!("  front-end              {app}   NOT allowed: the attributes allow port {COMPILED_APP_PORT} only");
        println!("                         (change `origins` in examples/demo/api.rs to allow it)");
    }
    println!("  not-allowed front-end  {blocked}\n");
    cli::log_inventory(&["cors_credentials_examples::demo"]);
    println!("\nEvery other route of the API is behind CrossOriginGuard: a cross-origin POST, PUT or DELETE passes only from an origin listed above.\n");
    println!("On an allowed page every call shows its real status and body (200, 401, 422), and only the exposed header x-request-id.");
    println!("On {blocked} every call fails with \"TypeError: Failed to fetch\", and the API answers 403 before any handler runs (see the log below).\n");
    println!("Press Ctrl-C to stop.\n");

    if let Err(e) = actix_web::rt::signal::ctrl_c().await {
        eprintln!("error: cannot wait for Ctrl-C: {e}");
    }
    println!("\nstopping…");
    match running.stop().await {
        Ok(()) => {
            println!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
