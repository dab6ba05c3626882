//! Tests and examples of cors-credentials live in `tests/` and `examples/`.
//!
//! [`demo`] holds the servers of the two-origin demo, shared by
//! `examples/demo.rs` and the browser tests in `tests/browser.rs`.

pub mod demo;
