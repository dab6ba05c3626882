//! Tests and examples of cors-credentials live in `tests/` and `examples/`.
//!
//! [`demo`] holds the servers of the two-origin demo, shared by
//! `examples/demo.rs` and the browser tests in `tests/browser.rs`;
//! [`realtime`] those of the WebSocket and server-sent events example,
//! `examples/realtime.rs`, shared by the tests in `tests/realtime.rs`;
//! [`metrics`] the refusal counters of `examples/metrics.rs`, shared with
//! `tests/metrics_example.rs`; and [`tenants`] the reloading of `examples/tenants.rs`, shared with
//! `tests/tenants_reload.rs`.

pub mod cli;
pub mod demo;
pub mod metrics;
pub mod realtime;
mod servers;
pub mod tenants;
