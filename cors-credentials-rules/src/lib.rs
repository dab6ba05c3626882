//! The configuration rules of `cors-credentials`: what a configured origin
//! or header name must look like, why a value is refused, how a pattern
//! matches, how a whole origin list is checked and ordered, and the HTTP
//! token table.
//!
//! One implementation serves both the `#[cors_credentials]` macro (which
//! turns a refusal into a compile error on the offending literal) and the
//! runtime (which checks origins read at startup with the same messages).
//! Depend on `cors-credentials` instead.

// The modules form a one-way chain, each using only those above it:
// `origin` (one origin and why it is refused) → `pattern` (a checked
// pattern, its matchers and canonical form; uses nothing) → `entry` (one
// entry as written: an origin or a pattern) → `list` (a whole list).
// `header` (HTTP tokens) and `site` (whether two origins are same-site,
// for cookies) stand alone.
pub mod entry;
pub mod header;
pub mod list;
pub mod origin;
pub mod pattern;
pub mod site;
