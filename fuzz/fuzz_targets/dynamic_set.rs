//! `set_origins` input: any list of entries, then any `Origin`.
//!
//! Invariants: a new set is taken exactly when the rules crate's list checker
//! accepts the entries; a taken set allows exactly what the model of the rules
//! allows; a refused set leaves the current one in place; nothing panics.

#![no_main]

use arbitrary::Arbitrary;
use cors_credentials::test_hooks::{DynamicOrigins, Lookup};
use cors_credentials_rules::list::check_list;
use libfuzzer_sys::fuzz_target;
use test_support::oracle;

#[derive(Arbitrary, Debug)]
struct Input {
    entries: Vec<String>,
    allow_insecure_http: bool,
    origin: Vec<u8>,
}

/// Allowed by the set every input starts from.
const CURRENT: &str = "https://current.example.com";

fuzz_target!(|input: Input| {
    let entries = &input.entries[..input.entries.len().min(64)];
    let set = DynamicOrigins::new("FUZZ", input.allow_insecure_http);
    set.set([CURRENT]).expect("a valid set");
    let result = set.set(entries);
    match check_list(entries, input.allow_insecure_http) {
        Ok(list) => {
            assert!(result.is_ok(), "{result:?}");
            let allowed = oracle::allows(&list, &input.origin);
            let lookup = set.lookup(&input.origin);
            assert_eq!(lookup == Lookup::Allowed, allowed, "{:?}", input.origin);
        }
        Err(_) => {
            let message = result.expect_err("refused by the rules").to_string();
            assert!(message.starts_with("FUZZ: "), "{message}");
            assert_eq!(
                set.lookup(CURRENT.as_bytes()),
                Lookup::Allowed,
                "a refused set replaced the current one"
            );
        }
    }
});
