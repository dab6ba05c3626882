//! Serves one setup over HTTP on loopback, for `benchmarks/wrk.sh`.
//!
//! `serve <setup> [address]` (default `127.0.0.1:18080`): one worker, the
//! single-origin app of scenarios 1–4, until it is killed.

use std::process::ExitCode;

use actix_web::{App, HttpServer};
use cors_credentials_benchmarks::{actix_cors, annotated_me, bare_me, Setup, ALLOWED};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(setup) = args.next().as_deref().and_then(Setup::from_id) else {
        eprintln!("usage: serve <bare|cors-credentials|actix-cors> [address]");
        return ExitCode::from(2);
    };
    let address = args.next().unwrap_or_else(|| "127.0.0.1:18080".to_owned());
    let served = actix_web::rt::System::new().block_on(async move {
        match setup {
            Setup::Bare => {
                HttpServer::new(|| App::new().service(bare_me))
                    .workers(1)
                    .bind(&address)?
                    .run()
                    .await
            }
            Setup::CorsCredentials => {
                HttpServer::new(|| App::new().service(annotated_me))
                    .workers(1)
                    .bind(&address)?
                    .run()
                    .await
            }
            Setup::ActixCors => {
                HttpServer::new(|| App::new().wrap(actix_cors(&[ALLOWED])).service(bare_me))
                    .workers(1)
                    .bind(&address)?
                    .run()
                    .await
            }
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
