//! What the examples share as programs: the two-origin examples' (`demo`,
//! `realtime`, `axum`) command line, three ports and loopback listeners,
//! the addresses they print and their stop on Ctrl-C, and every example's
//! log and route inventory printed at startup.

use std::{
    future::Future,
    io,
    net::{Ipv4Addr, Ipv6Addr, TcpListener},
    process::ExitCode,
};

/// The port the allowed front-end origins name ([`crate::demo::api::ALLOWED_ORIGINS`]).
pub const COMPILED_APP_PORT: u16 = 3000;

/// The ports of the API, the allowed and the not-allowed front end.
pub struct Ports {
    /// The API.
    pub api: u16,
    /// The allowed front end.
    pub app: u16,
    /// The not-allowed front end.
    pub blocked: u16,
    /// Whether the servers speak HTTPS (`--https`), with a self-signed
    /// certificate for `localhost` and `127.0.0.1` made at startup.
    pub https: bool,
}

impl Ports {
    /// The ports from `--api-port`, `--app-port` and `--blocked-port`, else
    /// from `{env_prefix}_API_PORT`, `{env_prefix}_APP_PORT` and
    /// `{env_prefix}_BLOCKED_PORT`, else 8080, 3000 and 3001; HTTPS with
    /// `--https` or `{env_prefix}_HTTPS=1`, where `https` is supported (plain
    /// http otherwise, and by default). An empty error asks for the usage
    /// (`--help`).
    pub fn parse(env_prefix: &str, https: bool) -> Result<Ports, String> {
        let env_port = |name: &str, default: u16| {
            let name = format!("{env_prefix}_{name}");
            match std::env::var(&name) {
                Ok(value) => port(&value).map_err(|e| format!("{name}: {e}")),
                Err(_) => Ok(default),
            }
        };
        let mut ports = Ports {
            api: env_port("API_PORT", 8080)?,
            app: env_port("APP_PORT", COMPILED_APP_PORT)?,
            blocked: env_port("BLOCKED_PORT", 3001)?,
            https: https && std::env::var(format!("{env_prefix}_HTTPS")).is_ok_and(|v| v == "1"),
        };
        let mut args = std::env::args().skip(1);
        while let Some(flag) = args.next() {
            let slot = match flag.as_str() {
                "--https" if https => {
                    ports.https = true;
                    continue;
                }
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

    /// Binds the three ports on loopback: the API's listeners, the two front
    /// ends' listeners together, and the ports bound.
    pub fn bind(&self) -> Result<(Vec<TcpListener>, Vec<TcpListener>, Ports), String> {
        let api = bind_loopback(self.api, "API", "--api-port")?;
        let app = bind_loopback(self.app, "allowed front-end", "--app-port")?;
        let blocked = bind_loopback(self.blocked, "not-allowed front-end", "--blocked-port")?;
        let bound = Ports {
            api: bound_port(&api)?,
            app: bound_port(&app)?,
            blocked: bound_port(&blocked)?,
            https: self.https,
        };
        Ok((api, [app, blocked].into_iter().flatten().collect(), bound))
    }

    /// `http`, or `https` with `--https`.
    pub fn scheme(&self) -> &'static str {
        if self.https {
            "https"
        } else {
            "http"
        }
    }

    /// Where the page calls the API: `http://localhost:<api>` (`https://`
    /// with `--https`).
    pub fn api_origin(&self) -> String {
        format!("{}://localhost:{}", self.scheme(), self.api)
    }

    /// The not-allowed front end's origin: `http://localhost:<blocked>`
    /// (`https://` with `--https`).
    pub fn blocked_origin(&self) -> String {
        format!("{}://localhost:{}", self.scheme(), self.blocked)
    }
}

/// A two-origin example (`demo`, `realtime`, `axum`): an API, and one page
/// served from an allowed and from a not-allowed front-end origin, on the
/// ports of its command line.
pub struct TwoOrigins {
    example: &'static str,
    env_prefix: &'static str,
    allowed: &'static [&'static str],
    origins_in: &'static str,
    https: bool,
}

impl TwoOrigins {
    /// The example `cargo run --example <example>`, whose ports the
    /// environment variables `<env_prefix>_API_PORT`, `_APP_PORT` and
    /// `_BLOCKED_PORT` give, and whose API allows the origins `allowed`,
    /// compiled in (they name port [`COMPILED_APP_PORT`]) from the file
    /// `origins_in` under `examples/`.
    pub const fn new(
        example: &'static str,
        env_prefix: &'static str,
        allowed: &'static [&'static str],
        origins_in: &'static str,
    ) -> Self {
        TwoOrigins {
            example,
            env_prefix,
            allowed,
            origins_in,
            https: false,
        }
    }

    /// The example also speaks HTTPS, with `--https` or `<env_prefix>_HTTPS=1`.
    pub const fn with_https(self) -> Self {
        TwoOrigins {
            https: true,
            ..self
        }
    }

    /// Binds the ports of the command line ([`Ports::parse`], [`Ports::bind`]),
    /// installs the [`TerminalLog`] and starts the servers with `start`
    /// (the example's `start(api, pages, api_origin)`). Returns what `start`
    /// returned and the ports bound.
    ///
    /// Like a command-line parser, it ends the process when it cannot go on:
    /// with the usage and code 2 on a bad command line or `--help`, with the
    /// error and code 1 when a port is taken or the servers do not start.
    pub fn start<R>(
        &self,
        start: impl FnOnce(Vec<TcpListener>, Vec<TcpListener>, &str) -> io::Result<R>,
    ) -> (R, Ports) {
        let ports = Ports::parse(self.env_prefix, self.https).unwrap_or_else(|message| {
            if !message.is_empty() {
                eprintln!("error: {message}\n");
            }
            eprintln!("{}", self.usage());
            std::process::exit(2)
        });
        let (api, pages, ports) = ports.bind().unwrap_or_else(|message| {
            eprintln!("error: {message}");
            std::process::exit(1)
        });
        TerminalLog::install();
        match start(api, pages, &ports.api_origin()) {
            Ok(running) => (running, ports),
            Err(e) => {
                eprintln!("error: cannot start the servers: {e}");
                std::process::exit(1)
            }
        }
    }

    /// Prints the example's addresses, one a line: the API, then `more` (a
    /// name and an address each), then the front ends. On another
    /// `--app-port` than [`COMPILED_APP_PORT`], the page is not allowed, and
    /// the lines say so and where to change the origins.
    pub fn print_addresses(&self, ports: &Ports, more: &[(&str, String)]) {
        let (api, app, blocked) = (ports.api_origin(), ports.app, ports.blocked_origin());
        let scheme = ports.scheme();
        let allowed = self.allowed.join(" and ");
        println!("  API                    {api}   (allows {allowed})");
        for (name, address) in more {
            println!("  {name:<22} {address}");
        }
        if app == COMPILED_APP_PORT && ports.https {
            println!("  allowed front-end      https://localhost:{app}   same site as the API, another port");
            println!("                         https://127.0.0.1:{app}   cross-site: the browser stores the SameSite=Lax cookie there");
            println!("                                                  but never sends it back; the page says what happened");
            println!("  (a self-signed certificate made at startup: accept the browser's warning once per port)");
        } else if app == COMPILED_APP_PORT {
            println!("  allowed front-end      http://localhost:{app}   same site as the API, another port");
            println!("                         http://127.0.0.1:{app}   cross-site: the cookie is third-party there (SameSite=None; Secure),");
            println!("                                                 so the session works only where third-party cookies are allowed");
        } else {
            println!("  front-end              {scheme}://localhost:{app}   NOT allowed: the API allows port {COMPILED_APP_PORT} only");
            println!(
                "                         (change `origins` in examples/{} to allow it)",
                self.origins_in
            );
        }
        println!("  not-allowed front-end  {blocked}\n");
    }

    fn usage(&self) -> String {
        let (example, env) = (self.example, self.env_prefix);
        let (https_flag, https_line) = if self.https {
            (
                " [--https]",
                format!("  --https           HTTPS, self-signed for localhost and 127.0.0.1 (or {env}_HTTPS=1)\n"),
            )
        } else {
            ("", String::new())
        };
        format!(
            "\
usage: cargo run --example {example} -- [--api-port N] [--app-port N] [--blocked-port N]{https_flag}

  --api-port N      the API                        (default 8080, or {env}_API_PORT)
  --app-port N      the allowed front-end          (default {COMPILED_APP_PORT}, or {env}_APP_PORT)
  --blocked-port N  the not-allowed front-end      (default 3001, or {env}_BLOCKED_PORT)
{https_line}
Port 0 picks a free port; the URLs printed at start show the ports bound.

The API allows {}, compiled in:
on another --app-port the page is not allowed until `origins` in
examples/{} is changed to match.",
            self.allowed.join(" and "),
            self.origins_in,
        )
    }
}

/// Waits for Ctrl-C (`ctrl_c`, the runtime's `signal::ctrl_c()`), then
/// stops the servers (`stop`, their `Running::stop()`): what a two-origin
/// example does once it has printed its addresses.
pub async fn stop_on_ctrl_c(
    ctrl_c: impl Future<Output = io::Result<()>>,
    stop: impl Future<Output = io::Result<()>>,
) -> ExitCode {
    println!("Press Ctrl-C to stop.\n");
    if let Err(e) = ctrl_c.await {
        eprintln!("error: cannot wait for Ctrl-C: {e}");
    }
    println!("\nstopping…");
    match stop.await {
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

/// The port a single-server example listens on, `PORT` or else 8080, once
/// it has logged the table of its routes ([`log_inventory`] of `modules`,
/// its own `module_path!()`) and printed
/// `listening on http://127.0.0.1:<port><path>`, `path` being what to try.
pub fn announce(modules: &[&str], path: &str) -> u16 {
    let port = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    log_inventory(modules);
    println!("listening on http://127.0.0.1:{port}{path}");
    port
}

fn port(value: &str) -> Result<u16, String> {
    value
        .parse::<u16>()
        .map_err(|_| format!("`{value}` is not a port (0-65535, 0 for a free one)"))
}

/// Binds `port` on 127.0.0.1, and on [::1] where the machine has IPv6, so that
/// `localhost` reaches the example whichever address a browser tries first.
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

/// Prints the refusals of cors-credentials, the examples' own `info`
/// records (the route inventory at startup), the API's request log and its
/// audit log, indented, on standard output; and hands each record to the
/// demo's [`crate::demo::server_log`], which its page shows.
pub struct TerminalLog;

impl TerminalLog {
    /// Installs it as the `log` logger, down to debug records.
    pub fn install() {
        log::set_logger(&TerminalLog).expect("the only logger");
        log::set_max_level(log::LevelFilter::Debug);
    }
}

impl log::Log for TerminalLog {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        let target = metadata.target();
        target.starts_with("cors_credentials::")
            || target == "cors_credentials"
            || ((target.starts_with("actix_web::middleware::logger")
                || target.starts_with("cors_credentials_examples"))
                && metadata.level() <= log::Level::Info)
            || metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record<'_>) {
        // The demo's page shows its API's records of cors-credentials.
        #[cfg(feature = "actix")]
        crate::demo::server_log::observe(record);
        if self.enabled(record.metadata()) {
            for line in record.args().to_string().lines() {
                println!("  {line}");
            }
        }
    }

    fn flush(&self) {}
}

/// Logs at `info`, once at startup, the table of the `#[cors_credentials]`
/// routes ([`cors_credentials::inventory()`]) of `modules` and the modules
/// under them: an example names its own (`module_path!()`), since the
/// examples' binaries also link the handlers of the others.
pub fn log_inventory(modules: &[&str]) {
    log::info!(
        "routes under #[cors_credentials] (cors_credentials::inventory()):\n{}",
        inventory_of(modules)
    );
}

/// [`log_inventory`] for an API served at `public_origin`: the table
/// marks the allowed origins cross-site to it, whose pages see the API's
/// cookies as third-party cookies ([`cors_credentials::Inventory::with_public_origin`]).
pub fn log_inventory_at(modules: &[&str], public_origin: &str) {
    match inventory_of(modules).with_public_origin(public_origin) {
        Ok(routes) => log::info!(
            "routes under #[cors_credentials] (cors_credentials::inventory()), served at {public_origin}:\n{routes}"
        ),
        Err(e) => log::warn!("{e}"),
    }
}

/// The inventory of `modules` and the modules under them.
fn inventory_of(modules: &[&str]) -> cors_credentials::Inventory {
    cors_credentials::inventory().filter(|route| {
        modules.iter().any(|module| {
            route
                .module()
                .strip_prefix(module)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
        })
    })
}
