//! Tests and examples of cors-credentials live in `tests/` and `examples/`.
//!
//! [`demo`] holds the servers of the two-origin demo, shared by
//! `examples/demo.rs` and the browser tests in `tests/browser.rs`;
//! [`tenants`] the reloading of `examples/tenants.rs`, shared with
//! `tests/tenants_reload.rs`.

pub mod demo;
pub mod tenants;
