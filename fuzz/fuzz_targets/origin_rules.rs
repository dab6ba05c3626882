//! The configuration validator the macro runs at compile time,
//! `cors_credentials_rules::origin::check`, on any string: it never panics,
//! and what it accepts is canonical, exactly what the `url` crate (the WHATWG
//! URL Standard browsers follow) serializes as the origin: lowercase
//! `http`/`https`, no userinfo, path, query, fragment, backslash, default
//! port or trailing dot, and a valid header value. A "did you mean"
//! suggestion never draws the same complaint again.
//!
//! The same for `cors_credentials_rules::entry::check`, which also takes
//! patterns: an exact entry is what `origin::check` accepts; a subdomain
//! pattern is `scheme://*.` over a canonical origin whose host is a domain
//! name (no IP address); an any-port pattern names a loopback host.

#![no_main]

use std::{mem::discriminant, net::Ipv6Addr};

use actix_web::http::header::HeaderValue;
use cors_credentials_rules::{
    entry::{self, Entry},
    origin::{check, Problem},
    pattern::Pattern,
};
use libfuzzer_sys::fuzz_target;
use url::{Host, Url};

fuzz_target!(|input: &str| {
    check_entry(input);
    match check(input) {
        Ok(origin) => {
            assert_eq!(origin.serialized, input);
            let url = Url::parse(input).expect("an accepted origin parses");
            assert_eq!(url.origin().ascii_serialization(), input);
            assert!(matches!(url.scheme(), "http" | "https"), "{input}");
            assert!(input.is_ascii(), "{input}");
            assert!(!input.bytes().any(|b| b.is_ascii_uppercase()), "{input}");
            assert!(!input.bytes().any(|b| b.is_ascii_control() || b == b' '));
            let rest = &input[url.scheme().len()..];
            let authority = rest.strip_prefix("://").expect("scheme://");
            assert!(
                !authority.contains(['/', '?', '#', '\\', '@']),
                "{input}: path, query, fragment, backslash or userinfo"
            );
            assert_eq!(url.path(), "/");
            assert!(url.query().is_none() && url.fragment().is_none());
            assert!(url.username().is_empty() && url.password().is_none());
            assert_ne!(url.port(), Some(0), "{input}");
            assert!(HeaderValue::from_str(input).is_ok(), "{input}");
            let loopback = match url.host() {
                Some(Host::Domain(domain)) => {
                    assert!(!domain.ends_with('.'), "{input}: trailing dot");
                    assert!(
                        domain
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)),
                        "{input}"
                    );
                    assert!(!domain.split('.').any(str::is_empty), "{input}");
                    domain == "localhost"
                }
                Some(Host::Ipv4(ip)) => ip.is_loopback(),
                Some(Host::Ipv6(ip)) => ip == Ipv6Addr::LOCALHOST,
                None => panic!("{input}: no host"),
            };
            assert_eq!(origin.insecure, url.scheme() == "http" && !loopback);
            assert_eq!(check(&origin.serialized), Ok(origin.clone()));
        }
        Err(problem) => {
            assert!(!problem.message(input).is_empty());
            if let Some(suggested) = suggestion(&problem) {
                if let Err(again) = check(suggested) {
                    assert_ne!(
                        discriminant(&again),
                        discriminant(&problem),
                        "{input:?} -> {problem:?}, suggested {suggested:?} -> {again:?}"
                    );
                }
            }
        }
    }
});

/// The origin a refusal suggests instead, if any.
fn suggestion(problem: &Problem) -> Option<&str> {
    match problem {
        Problem::Whitespace { canonical } | Problem::MissingScheme { canonical } => {
            canonical.as_deref()
        }
        Problem::Query { canonical }
        | Problem::TrailingSlash { canonical }
        | Problem::Path { canonical }
        | Problem::DefaultPort { canonical }
        | Problem::NotLowercase { canonical }
        | Problem::NotPunycode { canonical }
        | Problem::NotCanonical { canonical }
        | Problem::TrailingDot { canonical } => Some(canonical),
        _ => None,
    }
}

/// The invariants of `entry::check` on `input`.
fn check_entry(input: &str) {
    let checked = entry::check(input);
    if !input.contains('*') {
        assert_eq!(checked, check(input).map(Entry::Exact), "{input:?}");
        return;
    }
    match checked {
        Ok(Entry::Exact(origin)) => {
            panic!("{input:?} has a `*` and was accepted as the origin {origin:?}")
        }
        Ok(Entry::Pattern {
            pattern: Pattern::Subdomain { scheme, suffix },
            insecure,
        }) => {
            assert!(matches!(scheme, "https://" | "http://"), "{input}");
            assert_eq!(input, format!("{scheme}*{suffix}"), "not canonical");
            let base = format!(
                "{scheme}{}",
                suffix.strip_prefix('.').expect("a leading dot")
            );
            let origin = check(&base).expect("the base of a pattern is an origin");
            assert_eq!(origin.serialized, base);
            assert_eq!(origin.insecure, insecure);
            let url = Url::parse(&base).unwrap();
            match url.host() {
                Some(Host::Domain(domain)) => {
                    assert!(domain.contains('.'), "{input}: a single label")
                }
                other => panic!("{input}: a pattern over {other:?}"),
            }
        }
        Ok(Entry::Pattern {
            pattern: Pattern::AnyPort { prefix },
            insecure,
        }) => {
            assert!(!insecure, "{input}: loopback is never insecure");
            assert_eq!(input, format!("{prefix}*"), "not canonical");
            let loopback = [
                "http://localhost:",
                "https://localhost:",
                "http://127.0.0.1:",
                "https://127.0.0.1:",
                "http://[::1]:",
                "https://[::1]:",
            ];
            assert!(loopback.contains(&prefix.as_str()), "{input}");
        }
        Err(problem) => assert!(!problem.message(input).is_empty()),
    }
}
