//! WebSocket and server-sent events under `#[cors_credentials]`:
//! `cargo run --example realtime`, then open the URLs it prints.
//!
//! It serves, on loopback only:
//! - the API (default `http://localhost:8080`): `GET /ws`, a WebSocket that
//!   greets the session's user and echoes messages, and `GET /events`, a
//!   stream of numbered server-sent events that resumes after `Last-Event-ID`
//!   (`examples/realtime/api.rs`), next to the demo's login routes that set
//!   the session cookie;
//! - one page from the allowed front-end origin `http://localhost:3000`;
//! - the same page from a not-allowed origin (default `http://localhost:3001`).
//!
//! Without a browser:
//!
//! ```sh
//! curl -N -H 'Origin: http://localhost:3000' http://localhost:8080/events
//! curl -N -H 'Origin: http://localhost:3000' -H 'Last-Event-ID: 3' http://localhost:8080/events
//! curl -i -H 'Origin: http://localhost:3001' http://localhost:8080/events   # 403
//! curl -i -H 'Origin: http://localhost:3001' -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
//!   -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
//!   http://localhost:8080/ws                                                 # 403, no upgrade
//! ```
//!
//! Ports: `--api-port N` (or `REALTIME_API_PORT`), `--blocked-port N`
//! (`REALTIME_BLOCKED_PORT`) and `--app-port N` (`REALTIME_APP_PORT`); 0 picks a
//! free port. The allowed origins are the demo's, literals compiled into the
//! attributes: the page is allowed only on port 3000.

use std::process::ExitCode;

use cors_credentials_examples::{
    cli::{self, Ports, TerminalLog, COMPILED_APP_PORT},
    realtime::{self, api::ALLOWED_ORIGINS, Hub},
};

const USAGE: &str = "\
usage: cargo run --example realtime -- [--api-port N] [--app-port N] [--blocked-port N]

  --api-port N      the API                        (default 8080, or REALTIME_API_PORT)
  --app-port N      the allowed front-end          (default 3000, or REALTIME_APP_PORT)
  --blocked-port N  the not-allowed front-end      (default 3001, or REALTIME_BLOCKED_PORT)

Port 0 picks a free port; the URLs printed at start show the ports bound.

The API allows http://localhost:3000 and http://127.0.0.1:3000, compiled into its
#[cors_credentials] attributes: on another --app-port the page is not allowed
until `origins` in examples/demo/api.rs is changed to match.";

#[actix_web::main]
async fn main() -> ExitCode {
    let ports = match Ports::parse("REALTIME") {
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
    let running = match realtime::start(api, pages, &api_origin, Hub::default()) {
        Ok(running) => running,
        Err(e) => {
            eprintln!("error: cannot start the servers: {e}");
            return ExitCode::FAILURE;
        }
    };

    let ws = format!("ws://localhost:{}/ws", ports.api);
    let app = format!("http://localhost:{}", ports.app);
    let blocked = format!("http://localhost:{}", ports.blocked);
    println!(
        "cors-credentials real-time example: a WebSocket and server-sent events (loopback only)\n"
    );
    println!(
        "  API                    {api_origin}   (allows {})",
        ALLOWED_ORIGINS.join(" and ")
    );
    println!("  WebSocket              {ws}");
    println!("  server-sent events     {api_origin}/events");
    if ports.app == COMPILED_APP_PORT {
        println!("  allowed front-end      {app}");
    } else {
        println!("  front-end              {app}   NOT allowed: the attributes allow port {COMPILED_APP_PORT} only");
    }
    println!("  not-allowed front-end  {blocked}\n");
    cli::log_inventory(&[
        "cors_credentials_examples::demo::api",
        "cors_credentials_examples::realtime",
    ]);
    println!();
    println!("On the allowed page, log in: the socket greets you by name and the events name you too; without the cookie both say null.");
    println!("On {blocked} the socket never opens and the EventSource fails: the API answers both with 403 before any handler runs (see the log below).\n");
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
