//! Assertions on responses: those of `actix_web::test` (`http` 0.2) and
//! those of the tower adapter (`http` 1.x), through [`Lines`].

use actix_web::dev::ServiceResponse;

pub const ALLOWED: &str = "https://app.example.com";
pub const OTHER_ALLOWED: &str = "http://localhost:3000";
pub const EVIL: &str = "https://evil.example.net";

/// A response's header lines, whatever its `http` version.
pub trait Lines {
    /// Every value of `name`, in order (bytes that are not UTF-8 replaced).
    fn lines(&self, name: &str) -> Vec<String>;
    /// The name of every line, lowercase, in order.
    fn names(&self) -> Vec<String>;
    /// The header map, for failure messages.
    fn debug(&self) -> String;
}

/// `Lines` for a response type of one `http` version: its header map's
/// `get_all` and the name type to look up.
macro_rules! lines {
    ($response:ty, $name:ty, |$headers:ident, $name_:ident| $all:expr) => {
        impl<B> Lines for $response {
            fn lines(&self, name: &str) -> Vec<String> {
                let $name_ = <$name>::from_bytes(name.as_bytes()).unwrap();
                let $headers = self.headers();
                $all.map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                    .collect()
            }

            fn names(&self) -> Vec<String> {
                self.headers()
                    .keys()
                    .map(|n| n.as_str().to_owned())
                    .collect()
            }

            fn debug(&self) -> String {
                format!("{:?}", self.headers())
            }
        }
    };
}

lines!(
    ServiceResponse<B>,
    actix_web::http::header::HeaderName,
    |headers, name| headers.get_all(&name)
);
lines!(
    http::Response<B>,
    http::header::HeaderName,
    |headers, name| headers.get_all(&name).iter()
);

/// Every value of `name`, in order.
pub fn all<R: Lines + ?Sized>(res: &R, name: &str) -> Vec<String> {
    res.lines(name)
}

/// The single value of `name`; fails if it is missing or repeated.
pub fn one<R: Lines + ?Sized>(res: &R, name: &str) -> String {
    let values = all(res, name);
    assert_eq!(values.len(), 1, "{name}: {values:?}");
    values.into_iter().next().unwrap()
}

/// The names listed in every `Vary` line, lowercased.
pub fn vary<R: Lines + ?Sized>(res: &R) -> Vec<String> {
    all(res, "vary")
        .iter()
        .flat_map(|line| line.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

/// Asserts the response carries no `Access-Control-Allow-*` header.
pub fn assert_no_allow_headers<R: Lines + ?Sized>(res: &R) {
    for name in res.names() {
        assert!(
            !name.starts_with("access-control-allow-"),
            "unexpected {name}: {}",
            res.debug()
        );
    }
}

/// Asserts an allowed credentialed response for `origin`.
pub fn assert_allowed<R: Lines + ?Sized>(res: &R, origin: &str) {
    assert_eq!(one(res, "access-control-allow-origin"), origin);
    assert_eq!(one(res, "access-control-allow-credentials"), "true");
    assert_eq!(
        vary(res).iter().filter(|name| *name == "origin").count(),
        1,
        "{}",
        res.debug()
    );
}
