//! Tests and examples of cors-credentials live in `tests/` and `examples/`.
//!
//! Each example of more than one file has a folder of its own: its binary
//! (`main.rs`), its servers (`mod.rs` and the modules beside it), which this
//! library compiles so the tests can run them too, and its page (`page/`).
//! [`demo`] holds the servers of the two-origin demo (`examples/demo/`),
//! shared with the browser tests in `tests/browser.rs`; [`realtime`] those of
//! the WebSocket and server-sent events example (`examples/realtime/`),
//! shared with `tests/example_realtime.rs`; [`metrics`] the refusal counters of
//! `examples/metrics/`, shared with `tests/example_metrics.rs`; and
//! [`tenants`] the reloading of `examples/tenants/`, shared with
//! `tests/example_tenants_reload.rs`; [`tenants_postgres`] the PostgreSQL
//! synchronisation of `examples/tenants_postgres/`, shared with
//! `tests/example_tenants_fleet.rs`. [`cli`] is what the examples' binaries share, and
//! [`tls`] the demo's HTTPS (`--https`).
//! Without the default `actix` feature only the framework-free parts are
//! built: the demo's store and page, and the command line, which the axum
//! example (`examples/axum/`) reuses.

pub mod cli;
#[path = "../demo/mod.rs"]
pub mod demo;
#[cfg(feature = "actix")]
#[path = "../metrics/mod.rs"]
pub mod metrics;
#[cfg(feature = "actix")]
#[path = "../realtime/mod.rs"]
pub mod realtime;
#[cfg(feature = "actix")]
mod servers;
#[cfg(feature = "actix")]
#[path = "../tenants/mod.rs"]
pub mod tenants;
#[cfg(feature = "actix")]
#[path = "../tenants_postgres/mod.rs"]
pub mod tenants_postgres;
#[cfg(feature = "tls")]
pub mod tls;
