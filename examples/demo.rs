//! The two-origin demo: `cargo run --example demo`, then open the URLs it prints.
//!
//! It serves, on loopback only:
//! - the API (default `http://localhost:8080`), whose handlers in
//!   `examples/src/demo/api.rs` use `#[cors_credentials]`;
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
//! not-allowed one, until `origins` in `examples/src/demo/api.rs` is changed to match.

use std::{
    io,
    net::{Ipv4Addr, Ipv6Addr, TcpListener},
    process::ExitCode,
};

use cors_credentials_examples::demo::{self, api::ALLOWED_ORIGINS};

/// The port in [`ALLOWED_ORIGINS`].
const COMPILED_APP_PORT: u16 = 3000;

const USAGE: &str = "\
usage: cargo run --example demo -- [--api-port N] [--app-port N] [--blocked-port N]

  --api-port N      the API                        (default 8080, or DEMO_API_PORT)
  --app-port N      the allowed front-end          (default 3000, or DEMO_APP_PORT)
  --blocked-port N  the not-allowed front-end      (default 3001, or DEMO_BLOCKED_PORT)

Port 0 picks a free port; the URLs printed at start show the ports bound.

The API allows http://localhost:3000 and http://127.0.0.1:3000, compiled into its
#[cors_credentials] attributes: on another --app-port the page is not allowed
until `origins` in examples/src/demo/api.rs is changed to match.";

struct Ports {
    api: u16,
    app: u16,
    blocked: u16,
}

fn parse_ports() -> Result<Ports, String> {
    let env_port = |name: &str, default: u16| match std::env::var(name) {
        Ok(value) => port(&value).map_err(|e| format!("{name}: {e}")),
        Err(_) => Ok(default),
    };
    let mut ports = Ports {
        api: env_port("DEMO_API_PORT", 8080)?,
        app: env_port("DEMO_APP_PORT", COMPILED_APP_PORT)?,
        blocked: env_port("DEMO_BLOCKED_PORT", 3001)?,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--api-port" => &mut ports.api,
            "--app-port" => &mut ports.app,
            "--blocked-port" => &mut ports.blocked,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        };
        let value = args.next().ok_or(format!("{flag} needs a port"))?;
        *slot = port(&value).map_err(|e| format!("{flag}: {e}"))?;
    }
    // Port 0 may be given more than once: each gets a port of its own.
    let mut fixed: Vec<u16> = [ports.api, ports.app, ports.blocked]
        .into_iter()
        .filter(|&port| port != 0)
        .collect();
    let given = fixed.len();
    fixed.sort_unstable();
    fixed.dedup();
    if fixed.len() != given {
        return Err("the three ports must differ".to_owned());
    }
    Ok(ports)
}

fn port(value: &str) -> Result<u16, String> {
    value
        .parse::<u16>()
        .map_err(|_| format!("`{value}` is not a port (0-65535, 0 for a free one)"))
}

/// Binds `port` on 127.0.0.1, and on [::1] where the machine has IPv6, so that
/// `localhost` reaches this demo whichever address a browser tries first.
/// Port 0 takes a port the system picks that is free on both.
fn bind_loopback(port: u16, what: &str, flag: &str) -> Result<Vec<TcpListener>, String> {
    let taken = |e: io::Error| {
        format!("cannot listen on port {port} for the {what} ({e}): free it, or pass {flag} <port>")
    };
    // A free IPv4 port may be taken on IPv6: then another one, a few times.
    let attempts = if port == 0 { 10 } else { 1 };
    let mut last = None;
    for _ in 0..attempts {
        let ipv4 = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(taken)?;
        let bound = ipv4.local_addr().map_err(taken)?.port();
        match TcpListener::bind((Ipv6Addr::LOCALHOST, bound)) {
            Ok(ipv6) => return Ok(vec![ipv4, ipv6]),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last = Some(e),
            Err(_) => return Ok(vec![ipv4]), // No IPv6 loopback here.
        }
    }
    Err(taken(last.expect("at least one attempt")))
}

/// The port `listeners` (from [`bind_loopback`]) listen on.
fn bound_port(listeners: &[TcpListener]) -> Result<u16, String> {
    listeners[0]
        .local_addr()
        .map(|address| address.port())
        .map_err(|e| format!("cannot read the port bound: {e}"))
}

/// Prints the refusals of cors-credentials, the API's request log and its audit log.
struct TerminalLog;

impl log::Log for TerminalLog {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        let target = metadata.target();
        target.starts_with("cors_credentials")
            || (target.starts_with("actix_web::middleware::logger")
                && metadata.level() <= log::Level::Info)
            || metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            println!("  {}", record.args());
        }
    }

    fn flush(&self) {}
}

#[actix_web::main]
async fn main() -> ExitCode {
    let ports = match parse_ports() {
        Ok(ports) => ports,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}\n");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let listeners = (|| {
        let api = bind_loopback(ports.api, "API", "--api-port")?;
        let app = bind_loopback(ports.app, "allowed front-end", "--app-port")?;
        let blocked = bind_loopback(ports.blocked, "not-allowed front-end", "--blocked-port")?;
        let bound = Ports {
            api: bound_port(&api)?,
            app: bound_port(&app)?,
            blocked: bound_port(&blocked)?,
        };
        Ok::<_, String>((api, [app, blocked].into_iter().flatten().collect(), bound))
    })();
    let (api, pages, ports) = match listeners {
        Ok(listeners) => listeners,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };

    log::set_logger(&TerminalLog).expect("the only logger");
    log::set_max_level(log::LevelFilter::Debug);

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
        println!(
            "                         (change `origins` in examples/src/demo/api.rs to allow it)"
        );
    }
    println!("  not-allowed front-end  {blocked}\n");
    println!("The API's routes under #[cors_credentials] (cors_credentials::inventory()):\n");
    for line in cors_credentials::inventory().to_string().lines() {
        println!("  {line}");
    }
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
