//! The configuration rules of `cors-credentials`: what a configured origin
//! or header name must look like, and why a value is refused.
//!
//! One implementation serves both the `#[cors_credentials]` macro (which
//! turns a refusal into a compile error on the offending literal) and the
//! runtime (which checks origins read at startup with the same messages).
//! Depend on `cors-credentials` instead.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod entry;
pub mod header;
pub mod origin;
