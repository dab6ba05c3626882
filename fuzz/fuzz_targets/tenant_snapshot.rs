//! `set_all_tenant_origins` input: any snapshot of tenants (any keys, any
//! entries), then any tenant key and any `Origin`.
//!
//! Invariants: a snapshot is taken exactly when every key is one a tenant
//! may have, no key is given twice and the rules crate's list checker
//! accepts every tenant's entries; a taken snapshot replaces every tenant,
//! and a request addressing a tenant is allowed exactly when the model of
//! the rules allows the origin for that tenant's list, refused as another
//! tenant's exactly when another tenant's list allows it, and as not set
//! exactly when the snapshot has no such tenant; a refused snapshot leaves
//! the current tenants in place; nothing panics.

#![no_main]

use arbitrary::Arbitrary;
use cors_credentials::{
    test_hooks::{tenant_lookup, TenantOrigins, TenantSource},
    MAX_TENANT_KEY_LEN,
};
use cors_credentials_rules::list::check_list;
use libfuzzer_sys::fuzz_target;
use test_support::oracle;

#[derive(Arbitrary, Debug)]
struct Input {
    tenants: Vec<(String, Vec<String>)>,
    allow_insecure_http: bool,
    key: Vec<u8>,
    origin: Vec<u8>,
}

/// The tenant, and its origin, every input starts from.
const CURRENT: (&str, &str) = ("current", "https://current.example.com");

/// Whether `key` may name a tenant: the documented rule, written here.
fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_TENANT_KEY_LEN
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~:".contains(&b))
}

fuzz_target!(|input: Input| {
    let tenants: Vec<(String, Vec<String>)> = input
        .tenants
        .into_iter()
        .take(16)
        .map(|(key, entries)| (key, entries.into_iter().take(16).collect()))
        .collect();
    let set = TenantOrigins::new("FUZZ", input.allow_insecure_http, TenantSource::Path("t"));
    set.set_all([(CURRENT.0, [CURRENT.1])])
        .expect("a valid snapshot");
    let result = set.set_all(tenants.iter().map(|(key, entries)| (key, entries)));

    let mut keys: Vec<&str> = tenants.iter().map(|(key, _)| key.as_str()).collect();
    keys.sort_unstable();
    let distinct = keys.windows(2).all(|pair| pair[0] != pair[1]);
    let lists: Option<Vec<_>> = tenants
        .iter()
        .map(|(key, entries)| {
            if !valid_key(key) {
                return None;
            }
            check_list(entries, input.allow_insecure_http).ok()
        })
        .collect();
    match (distinct, lists) {
        (true, Some(lists)) => {
            assert!(result.is_ok(), "{result:?}");
            let own = tenants
                .iter()
                .position(|(key, _)| key.as_bytes() == input.key.as_slice());
            let answer = tenant_lookup(&set, &input.key, &input.origin);
            let expected = match own {
                None => "not_set",
                Some(index) if oracle::allows(&lists[index], &input.origin) => "allowed",
                Some(index) => {
                    let elsewhere = lists
                        .iter()
                        .enumerate()
                        .any(|(other, list)| other != index && oracle::allows(list, &input.origin));
                    if elsewhere {
                        "other_tenant"
                    } else {
                        "not_allowed"
                    }
                }
            };
            assert_eq!(answer, expected, "{:?} on {:?}", input.origin, input.key);
            if own.is_none() && !tenants.iter().any(|(key, _)| key == CURRENT.0) {
                assert_eq!(
                    tenant_lookup(&set, CURRENT.0.as_bytes(), CURRENT.1.as_bytes()),
                    "not_set",
                    "a snapshot kept a tenant it does not hold"
                );
            }
        }
        _ => {
            let message = result.expect_err("refused by the rules").to_string();
            assert!(message.starts_with("FUZZ: "), "{message}");
            assert_eq!(
                tenant_lookup(&set, CURRENT.0.as_bytes(), CURRENT.1.as_bytes()),
                "allowed",
                "a refused snapshot replaced the current tenants"
            );
        }
    }
});
