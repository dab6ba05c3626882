//! Tests and examples of cors-credentials live in `tests/` and `examples/`.
//!
//! [`demo`] holds the servers of the two-origin demo, shared by
//! `examples/demo.rs` and the browser tests in `tests/browser.rs`;
//! [`realtime`] those of the WebSocket and server-sent events example,
//! `examples/realtime.rs`, shared by the tests in `tests/realtime.rs`;
//! [`metrics`] the refusal counters of `examples/metrics.rs`, shared with
//! `tests/metrics_example.rs`; and [`tenants`] the reloading of `examples/tenants.rs`, shared with
//! `tests/tenants_reload.rs`. Without the default `actix` feature only the
//! framework-free parts are built: the demo's store and page, and the
//! command line, which the axum example (`examples/axum`) reuses.

pub mod cli;
pub mod demo;
#[cfg(feature = "actix")]
pub mod metrics;
#[cfg(feature = "actix")]
pub mod realtime;
#[cfg(feature = "actix")]
mod servers;
#[cfg(feature = "actix")]
pub mod tenants;
