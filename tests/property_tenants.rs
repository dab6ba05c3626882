//! Property test: a per-tenant policy (`origins: per_tenant`) decides every
//! (tenant, origin) pair as the per-tenant lists written in the source would.
//!
//! Each case writes a few tenants' lists (exact origins and patterns from a
//! small pool, so tenants share origins and patterns), gives them to a fresh
//! policy tenant by tenant or as one snapshot, with removals in between, and
//! then decides a request for every (tenant, origin) pair of the pools: it is
//! allowed exactly when the addressed tenant's list, as the compiler's list
//! checker reads it and the independent model of `test_support::oracle`
//! matches it, allows the origin; the tenant that admitted it is the
//! addressed one; a refusal says `origin_of_another_tenant` exactly when
//! another tenant's list allows the origin, and `origins_not_set` exactly
//! when the tenant has no list.

use std::collections::BTreeMap;

use cors_credentials::{
    policy,
    test_hooks::{decide_for_tenant, Decision, FakeRequest},
    Reason,
};
use cors_credentials_rules::list::check_list;
use proptest::{prelude::*, test_runner::TestRunner};
use test_support::oracle;

policy! {
    /// The policy every case copies its parts from.
    BASE = { origins: per_tenant, tenant: path("tenant") }
}

const KEYS: [&str; 5] = ["acme", "globex", "initech", "a-b.c_d~e", "ACME"];

/// Entries a tenant's list may hold: exact origins and patterns that overlap.
const ENTRIES: [&str; 8] = [
    "https://app.acme.example",
    "https://acme.example",
    "https://*.acme.example",
    "https://globex.example",
    "https://shop.globex.example",
    "https://*.example.org",
    "http://localhost:*",
    "https://a.example.org",
];

/// Origins asked about: the entries' own, pattern matches and near misses.
const ORIGINS: [&str; 12] = [
    "https://app.acme.example",
    "https://acme.example",
    "https://shop.acme.example",
    "https://globex.example",
    "https://shop.globex.example",
    "https://a.example.org",
    "https://b.example.org",
    "http://localhost:5173",
    "http://app.acme.example",
    "https://app.acme.example.evil.net",
    "https://APP.acme.example",
    "null",
];

#[derive(Debug, Clone)]
enum Step {
    /// `set_tenant_origins(KEYS[key], entries)`.
    Set(usize, Vec<usize>),
    /// `remove_tenant(KEYS[key])`.
    Remove(usize),
    /// `set_all_tenant_origins` of these tenants.
    All(Vec<(usize, Vec<usize>)>),
}

fn list() -> impl Strategy<Value = Vec<usize>> {
    proptest::sample::subsequence((0..ENTRIES.len()).collect::<Vec<_>>(), 1..=4)
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..KEYS.len(), list()).prop_map(|(key, list)| Step::Set(key, list)),
        1 => (0..KEYS.len()).prop_map(Step::Remove),
        1 => proptest::collection::btree_map(0..KEYS.len(), list(), 0..4)
            .prop_map(|tenants| Step::All(tenants.into_iter().collect())),
    ]
}

fn entries(list: &[usize]) -> Vec<&'static str> {
    list.iter().map(|&index| ENTRIES[index]).collect()
}

#[test]
fn a_tenant_bound_set_decides_as_the_per_tenant_lists() {
    let mut runner = TestRunner::default();
    runner
        .run(&proptest::collection::vec(step(), 1..8), |steps| {
            // A fresh set per case: no state is shared between cases.
            let tenants: &'static _ =
                Box::leak(Box::new(cors_credentials::test_hooks::TenantOrigins::new(
                    "CASE",
                    false,
                    cors_credentials::test_hooks::TenantSource::Path("tenant"),
                )));
            let policy: &'static cors_credentials::Policy =
                Box::leak(Box::new(cors_credentials::test_hooks::with_origins(
                    &BASE,
                    cors_credentials::test_hooks::OriginSet::PerTenant {
                        tenants,
                        from: cors_credentials::test_hooks::TenantSource::Path("tenant"),
                    },
                )));
            // The model: each tenant's list as written in the source.
            let mut model: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for step in &steps {
                match step {
                    Step::Set(key, list) => {
                        policy
                            .set_tenant_origins(KEYS[*key], entries(list))
                            .unwrap();
                        model.insert(KEYS[*key], entries(list));
                    }
                    Step::Remove(key) => {
                        policy.remove_tenant(KEYS[*key]).unwrap();
                        model.remove(KEYS[*key]);
                    }
                    Step::All(all) => {
                        let snapshot: Vec<(&str, Vec<&str>)> = all
                            .iter()
                            .map(|(key, list)| (KEYS[*key], entries(list)))
                            .collect();
                        policy.set_all_tenant_origins(snapshot.clone()).unwrap();
                        model = snapshot.into_iter().collect();
                    }
                }
            }
            let checked: BTreeMap<&str, _> = model
                .iter()
                .map(|(key, list)| (*key, check_list(list, false).unwrap()))
                .collect();
            for key in KEYS {
                prop_assert_eq!(
                    policy.tenant_origins(key).is_some(),
                    model.contains_key(key)
                );
                for origin in ORIGINS {
                    let req = FakeRequest::new("GET", "/t/x/me")
                        .authority("api.example.com")
                        .header("origin", origin);
                    let (decision, admitted) = decide_for_tenant(policy, &req, key.as_bytes());
                    let own = checked
                        .get(key)
                        .map(|list| oracle::allows(list, origin.as_bytes()));
                    let elsewhere = checked.iter().any(|(other, list)| {
                        *other != key && oracle::allows(list, origin.as_bytes())
                    });
                    match decision {
                        Decision::Allow(value) => {
                            prop_assert_eq!(own, Some(true), "{} on {}", origin, key);
                            prop_assert_eq!(&value[..], origin.as_bytes());
                            prop_assert_eq!(admitted.as_deref(), Some(key));
                        }
                        Decision::Reject(refusal) => {
                            prop_assert_ne!(own, Some(true), "{} on {}", origin, key);
                            prop_assert_eq!(admitted, None);
                            let expected = match own {
                                None => Reason::OriginsNotSet,
                                Some(_) if elsewhere => Reason::OriginOfAnotherTenant,
                                Some(_) => Reason::OriginNotAllowed,
                            };
                            prop_assert_eq!(refusal.reason(), expected, "{} on {}", origin, key);
                        }
                        Decision::NoCors => {
                            prop_assert!(
                                false,
                                "{} on {}: no request here is same-origin",
                                origin,
                                key
                            );
                        }
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}
