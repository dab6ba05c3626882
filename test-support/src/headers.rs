//! Assertions on the responses of `actix_web::test`.

use actix_web::{dev::ServiceResponse, http::header::HeaderName};

pub const ALLOWED: &str = "https://app.example.com";
pub const OTHER_ALLOWED: &str = "http://localhost:3000";
pub const EVIL: &str = "https://evil.example.net";

/// Every value of `name`, in order.
pub fn all<B>(res: &ServiceResponse<B>, name: &str) -> Vec<String> {
    let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
    res.headers()
        .get_all(&name)
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// The single value of `name`; fails if it is missing or repeated.
pub fn one<B>(res: &ServiceResponse<B>, name: &str) -> String {
    let values = all(res, name);
    assert_eq!(values.len(), 1, "{name}: {values:?}");
    values.into_iter().next().unwrap()
}

/// The names listed in every `Vary` line, lowercased.
pub fn vary<B>(res: &ServiceResponse<B>) -> Vec<String> {
    all(res, "vary")
        .iter()
        .flat_map(|line| line.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

/// Asserts the response carries no `Access-Control-Allow-*` header.
pub fn assert_no_allow_headers<B>(res: &ServiceResponse<B>) {
    for (name, _) in res.headers().iter() {
        assert!(
            !name.as_str().starts_with("access-control-allow-"),
            "unexpected {name}: {:?}",
            res.headers()
        );
    }
}

/// Asserts an allowed credentialed response for `origin`.
pub fn assert_allowed<B>(res: &ServiceResponse<B>, origin: &str) {
    assert_eq!(one(res, "access-control-allow-origin"), origin);
    assert_eq!(one(res, "access-control-allow-credentials"), "true");
    assert_eq!(
        vary(res).iter().filter(|name| *name == "origin").count(),
        1,
        "{:?}",
        res.headers()
    );
}
