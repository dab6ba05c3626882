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
//!
//! The servers are in `mod.rs` and `api.rs`, the page in `page/`; the command
//! line and the lines printed are the examples' own (`examples/src/cli.rs`).

use std::process::ExitCode;

use cors_credentials_examples::{
    cli::{self, TwoOrigins},
    realtime::{self, api::ALLOWED_ORIGINS, Hub},
};

#[actix_web::main]
async fn main() -> ExitCode {
    let example = TwoOrigins::new("realtime", "REALTIME", &ALLOWED_ORIGINS, "demo/api.rs");
    let (running, ports) = example
        .start(|api, pages, api_origin| realtime::start(api, pages, api_origin, Hub::default()));

    println!(
        "cors-credentials real-time example: a WebSocket and server-sent events (loopback only)\n"
    );
    let api = ports.api_origin();
    let ws = format!("ws://localhost:{}/ws", ports.api);
    example.print_addresses(
        &ports,
        &[
            ("WebSocket", ws),
            ("server-sent events", format!("{api}/events")),
        ],
    );
    cli::log_inventory_at(
        &[
            "cors_credentials_examples::demo::api",
            "cors_credentials_examples::realtime",
        ],
        &api,
    );
    let blocked = ports.blocked_origin();
    println!();
    println!("On the allowed page, log in: the socket greets you by name and the events name you too; without the cookie both say null.");
    println!("On {blocked} the socket never opens and the EventSource fails: the API answers both with 403 before any handler runs (see the log below).\n");

    cli::stop_on_ctrl_c(actix_web::rt::signal::ctrl_c(), running.stop()).await
}
