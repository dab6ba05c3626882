//! Assertions on `http` 1.x responses, for the tests of the tower adapter:
//! the counterparts of [`headers`](crate::headers).

use http::{header::HeaderName, Response};

pub use crate::headers::{ALLOWED, EVIL, OTHER_ALLOWED};

/// The `Vary` names of an answered or refused preflight, lowercased.
pub const PREFLIGHT_VARY: [&str; 3] = [
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
];

/// Every value of `name`, in order (bytes that are not UTF-8 replaced).
pub fn all<B>(res: &Response<B>, name: &str) -> Vec<String> {
    let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
    res.headers()
        .get_all(&name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect()
}

/// The single value of `name`; fails if it is missing or repeated.
pub fn one<B>(res: &Response<B>, name: &str) -> String {
    let values = all(res, name);
    assert_eq!(values.len(), 1, "{name}: {values:?}");
    values.into_iter().next().unwrap()
}

/// The names listed in every `Vary` line, lowercased.
pub fn vary<B>(res: &Response<B>) -> Vec<String> {
    all(res, "vary")
        .iter()
        .flat_map(|line| line.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

/// Asserts the response carries no `Access-Control-Allow-*` header.
pub fn assert_no_allow_headers<B>(res: &Response<B>) {
    for (name, _) in res.headers().iter() {
        assert!(
            !name.as_str().starts_with("access-control-allow-"),
            "unexpected {name}: {:?}",
            res.headers()
        );
    }
}

/// Asserts an allowed credentialed response for `origin`.
pub fn assert_allowed<B>(res: &Response<B>, origin: &str) {
    assert_eq!(one(res, "access-control-allow-origin"), origin);
    assert_eq!(one(res, "access-control-allow-credentials"), "true");
    assert_eq!(
        vary(res).iter().filter(|name| *name == "origin").count(),
        1,
        "{:?}",
        res.headers()
    );
}

/// The `Refused` of a response, if it carries one.
pub fn refused<B>(res: &Response<B>) -> Option<cors_credentials::Refused> {
    res.extensions().get::<cors_credentials::Refused>().copied()
}
