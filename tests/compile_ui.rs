//! Compile-time checks: every refused configuration is a precise compile
//! error, and every accepted form compiles.
//!
//! After changing a message, refresh the expected output with
//! `TRYBUILD=overwrite cargo test --test compile_ui` and review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/fail/*.rs");
    cases.pass("ui/pass/*.rs");
}
