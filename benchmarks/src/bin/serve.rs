//! Serves one setup over HTTP on loopback, for `benchmarks/wrk.sh`.
//!
//! `serve <setup> [address]` (default `127.0.0.1:18080`): one worker, the
//! single-origin app of scenarios 1–4 (`guard`: the app of scenarios 9–11),
//! until it is killed. Once it listens,
//! it prints the address, one line on stdout (`127.0.0.1:41234`): with port
//! 0 (`127.0.0.1:0`) the system picks a free port.

use std::{net::TcpListener, process::ExitCode};

use actix_web::{App, HttpServer};
use cors_credentials::CrossOriginGuard;
use cors_credentials_benchmarks::{
    actix_cors, annotated_me, bare_me, get_then_post, Setup, ALLOWED,
};

/// Serves the app `app` builds on `listener` with one worker, until killed.
macro_rules! one_worker {
    ($listener:expr, $app:expr) => {
        HttpServer::new(|| $app)
            .workers(1)
            .listen($listener)?
            .run()
            .await
    };
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    // The axum setups are measured in memory only (no tokio server here).
    let Some(setup) = args
        .next()
        .as_deref()
        .and_then(Setup::from_id)
        .filter(|setup| !setup.is_tower())
    else {
        eprintln!("usage: serve <bare|cors-credentials|actix-cors|guard|cookie-checks> [address]");
        return ExitCode::from(2);
    };
    let address = args.next().unwrap_or_else(|| "127.0.0.1:18080".to_owned());
    let served = actix_web::rt::System::new().block_on(async move {
        let listener = TcpListener::bind(&address)?;
        println!("{}", listener.local_addr()?);
        match setup {
            Setup::Bare => one_worker!(listener, App::new().service(bare_me)),
            Setup::CorsCredentials | Setup::CookieChecks => {
                if setup == Setup::CookieChecks {
                    cors_credentials::diagnostics::enable_cookie_checks(true);
                }
                one_worker!(listener, App::new().service(annotated_me))
            }
            Setup::ActixCors => one_worker!(
                listener,
                App::new().wrap(actix_cors(&[ALLOWED])).service(bare_me)
            ),
            Setup::Guard => one_worker!(
                listener,
                App::new()
                    .wrap(CrossOriginGuard::new())
                    .configure(get_then_post)
            ),
            Setup::AxumBare
            | Setup::AxumIdentity
            | Setup::AxumCorsCredentials
            | Setup::TowerHttp
            | Setup::AxumGuard
            | Setup::AxumCookieChecks => unreachable!("refused above"),
        }
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("serve: {error}");
            ExitCode::FAILURE
        }
    }
}
