//! Serves a dynamic policy over HTTP on loopback while another thread swaps
//! its origin set, for `scripts/load-swap.sh`.
//!
//! `swap_serve [period_ms] [address]` (defaults `10` and `127.0.0.1:0`):
//! two workers serve `GET` and `PUT` `/api/data` (and their preflight) under
//! [`SWAPPED`], whose set is [`SET_A`] before the server listens and then
//! alternates between [`SET_B`] and [`SET_A`] every `period_ms`, until the
//! process is killed. Once it listens, it prints the address, one line on
//! stdout (`127.0.0.1:41234`).
//!
//! `GET /swaps`, outside CORS, answers how many swaps were made so far. Every
//! response carries the request's `X-Load-Kind` back, so the load script can
//! tell which of its requests a response answers (wrk does not say).

use std::{
    net::TcpListener,
    process::ExitCode,
    sync::atomic::{AtomicU64, Ordering},
    thread,
    time::{Duration, Instant},
};

use actix_web::{dev::Service, get, http::header::HeaderName, route, App, HttpServer, Responder};
use cors_credentials::{cors_credentials, policy};

/// The first set, and every other one after: an origin only it allows, the
/// origin both allow, and a subdomain pattern.
const SET_A: [&str; 3] = [
    "https://only-a.example.com",
    "https://both.example.com",
    "https://*.a.example.org",
];
/// The other set: an origin only it allows and the origin both allow.
const SET_B: [&str; 2] = ["https://only-b.example.com", "https://both.example.com"];

/// The header a request names its kind in, and its response carries back.
const KIND: HeaderName = HeaderName::from_static("x-load-kind");

/// Swaps made since the server started (the first set not counted).
static SWAPS: AtomicU64 = AtomicU64::new(0);

policy! {
    /// Swapped between [`SET_A`] and [`SET_B`] while requests run.
    SWAPPED = { origins: dynamic, headers: ["content-type"], max_age: 600 }
}

/// The handler under the swapped policy.
#[cors_credentials(policy = SWAPPED)]
#[route("/api/data", method = "GET", method = "PUT")]
async fn data() -> impl Responder {
    "data"
}

/// How many swaps were made so far; not under CORS.
#[get("/swaps")]
async fn swaps() -> impl Responder {
    SWAPS.load(Ordering::Relaxed).to_string()
}

/// Alternates the set every `period`, on a fixed schedule (a late swap does
/// not delay the next ones; after a stall of more than a period it starts
/// the schedule again rather than swapping in a burst).
fn swap_forever(period: Duration) -> ! {
    let mut next = Instant::now() + period;
    loop {
        let now = Instant::now();
        if next > now {
            thread::sleep(next - now);
        } else if now - next > period {
            next = now;
        }
        next += period;
        let done = SWAPS.load(Ordering::Relaxed);
        let result = if done.is_multiple_of(2) {
            SWAPPED.set_origins(SET_B)
        } else {
            SWAPPED.set_origins(SET_A)
        };
        result.expect("both sets are valid");
        SWAPS.store(done + 1, Ordering::Relaxed);
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let period_ms = match args.next().map(|ms| ms.parse::<u64>()) {
        None => 10,
        Some(Ok(ms)) if ms > 0 => ms,
        Some(_) => {
            eprintln!("usage: swap_serve [period_ms, > 0] [address]");
            return ExitCode::from(2);
        }
    };
    let address = args.next().unwrap_or_else(|| "127.0.0.1:0".to_owned());
    SWAPPED.set_origins(SET_A).expect("a valid set");
    let served = actix_web::rt::System::new().block_on(async move {
        let listener = TcpListener::bind(&address)?;
        let server = HttpServer::new(|| {
            App::new()
                .wrap_fn(|req, srv| {
                    let kind = req.headers().get(KIND).cloned();
                    let response = srv.call(req);
                    async move {
                        let mut response = response.await?;
                        if let Some(kind) = kind {
                            response.headers_mut().insert(KIND, kind);
                        }
                        Ok::<_, actix_web::Error>(response)
                    }
                })
                .service(data)
                .service(swaps)
        })
        .workers(2)
        .listen(listener.try_clone()?)?
        .run();
        thread::spawn(move || swap_forever(Duration::from_millis(period_ms)));
        println!("{}", listener.local_addr()?);
        server.await
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("swap_serve: {error}");
            ExitCode::FAILURE
        }
    }
}
