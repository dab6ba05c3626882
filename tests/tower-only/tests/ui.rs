//! Compile-time checks of the `tower` feature alone: the actix-web attribute
//! is refused with the feature to enable, and the tower adapter compiles.
//!
//! After changing a message, refresh the expected output with
//! `TRYBUILD=overwrite cargo test -p cors-credentials-tower-tests --test compile_ui`
//! and review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/fail/*.rs");
    cases.pass("ui/pass/*.rs");
}
