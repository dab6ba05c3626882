//! Refusals counted for Prometheus: `cargo run --example metrics`, then
//!
//! ```sh
//! curl -i -H 'Origin: https://evil.example.net' http://127.0.0.1:8080/api/orders/7        # 403
//! curl -i -X POST -H 'Origin: https://evil.example.net' http://127.0.0.1:8080/api/logout  # 403, the guard
//! curl -s http://127.0.0.1:8080/metrics
//! # cors_refusals_total{reason="origin_not_allowed",check="request",route="/api/orders/{id}"} 1
//! # cors_refusals_total{reason="cross_origin_unsafe",check="guard",route="/api/logout"} 1
//! ```
//!
//! The middleware is in `mod.rs`, beside this file: it reads the
//! `cors_credentials::Refused` of each refused response and counts it by
//! reason, check and route pattern, never by origin.

use actix_web::HttpServer;
use cors_credentials_examples::{
    cli::{self, TerminalLog},
    metrics,
};
use metrics_exporter_prometheus::PrometheusBuilder;

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The process-wide recorder; no listener of its own: the app serves
    // `/metrics`.
    let handle = PrometheusBuilder::new().install_recorder()?;
    TerminalLog::install();
    let port = cli::announce(
        &["cors_credentials_examples::metrics"],
        "/api/orders/7, counters on /metrics",
    );
    HttpServer::new(move || metrics::app(handle.clone()))
        .bind(("127.0.0.1", port))?
        .run()
        .await?;
    Ok(())
}
