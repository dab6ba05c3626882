//! Matching the request's `Origin` against the configured origins.
//!
//! The Fetch Standard compares `Access-Control-Allow-Origin` with the request's
//! serialized origin byte for byte, so this module never parses an origin: it
//! compares raw header bytes with the canonical forms the macro validated.

use actix_web::{
    dev::RequestHead,
    http::header::{self, HeaderName, HeaderValue},
};
use cors_credentials_rules::entry;

use crate::env::EnvOrigins;

/// `Sec-Fetch-Site`, which browsers send and pages cannot forge.
const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");
/// `X-Forwarded-Proto`, set by a TLS-terminating proxy.
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

/// The origins a policy allows: listed at compile time, or read from an
/// environment variable at startup.
#[derive(Debug, Clone, Copy)]
pub enum OriginSet {
    /// Exact origins and patterns known at compile time.
    Listed(Listed),
    /// Origins read once from an environment variable.
    Env(&'static EnvOrigins),
}

impl OriginSet {
    /// The `Access-Control-Allow-Origin` value for the request's `Origin`, if
    /// it is allowed: the configured `'static` value for an exact origin, the
    /// request's own value for a pattern (checked byte by byte against it).
    /// Neither costs an allocation.
    pub fn find(&self, origin: &HeaderValue) -> Option<HeaderValue> {
        match self {
            OriginSet::Listed(listed) => listed.find(origin),
            OriginSet::Env(env) => env.get()?.find(origin),
        }
    }
}

/// Exact origins and patterns.
#[derive(Debug, Clone, Copy)]
pub struct Listed {
    #[doc(hidden)]
    pub exact: Origins,
    #[doc(hidden)]
    pub patterns: &'static [Pattern],
}

impl Listed {
    /// See [`OriginSet::find`].
    pub fn find(&self, origin: &HeaderValue) -> Option<HeaderValue> {
        let bytes = origin.as_bytes();
        if let Some(value) = self.exact.find(bytes) {
            return Some(value.clone());
        }
        self.patterns
            .iter()
            .any(|pattern| pattern.matches(bytes))
            .then(|| origin.clone())
    }
}

/// An origin pattern, matched on the raw `Origin` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// `scheme://*.suffix`: one or more subdomain labels under `suffix`.
    Subdomain {
        /// `https://` or `http://`.
        scheme: &'static str,
        /// `.example.com`, with the leading dot.
        suffix: &'static str,
    },
    /// `scheme://loopback-host:*`: any port.
    AnyPort {
        /// `http://localhost:`, with the trailing colon.
        prefix: &'static str,
    },
}

impl Pattern {
    /// Whether the raw `Origin` bytes match.
    pub fn matches(&self, origin: &[u8]) -> bool {
        match self {
            Pattern::Subdomain { scheme, suffix } => {
                entry::matches_subdomain(origin, scheme.as_bytes(), suffix.as_bytes())
            }
            Pattern::AnyPort { prefix } => entry::matches_any_port(origin, prefix.as_bytes()),
        }
    }
}

/// The exact origins of a policy.
///
/// Sorted by length, then bytes, so a lookup is a binary search that mostly
/// compares lengths: a 20-origin list costs about five comparisons, and no
/// origin is hashed or copied.
#[derive(Debug, Clone, Copy)]
pub struct Origins {
    #[doc(hidden)]
    pub sorted: &'static [HeaderValue],
}

impl Origins {
    /// Wraps origins that are already sorted by [`Origins::order`].
    pub const fn new(sorted: &'static [HeaderValue]) -> Self {
        Origins { sorted }
    }

    /// The configured origins, in lookup order.
    pub fn as_slice(&self) -> &'static [HeaderValue] {
        self.sorted
    }

    /// The order origins are sorted in: length first, then bytes.
    pub fn order(a: &[u8], b: &[u8]) -> core::cmp::Ordering {
        a.len().cmp(&b.len()).then_with(|| a.cmp(b))
    }

    /// The configured value equal byte for byte to `origin`, if any.
    pub fn find(&self, origin: &[u8]) -> Option<&'static HeaderValue> {
        let sorted = self.sorted;
        sorted
            .binary_search_by(|candidate| Self::order(candidate.as_bytes(), origin))
            .ok()
            .map(|index| &sorted[index])
    }
}

/// Whether `origin` is the request's own origin.
///
/// Browsers send `Origin` on same-origin `POST`s too; refusing those would
/// break every form on the site. Two signals count: `Sec-Fetch-Site:
/// same-origin` (a forbidden header name, so no page can set it), or an
/// `Origin` equal to the scheme and authority the request was sent to. The
/// scheme is `https` when the connection is TLS or a proxy says so with
/// `X-Forwarded-Proto`; a page cannot add that header to a request without a
/// preflight, which this crate would refuse.
pub fn is_same_origin(head: &RequestHead, origin: &[u8], secure: bool) -> bool {
    if let Some(authority) = request_authority(head) {
        let (https, origin_authority) = if let Some(rest) = origin.strip_prefix(b"https://") {
            (true, rest)
        } else if let Some(rest) = origin.strip_prefix(b"http://") {
            (false, rest)
        } else {
            (false, &b""[..])
        };
        // A `Host` header may spell out the default port; a serialized origin never does.
        let default_port: &[u8] = if https { b":443" } else { b":80" };
        let authority = authority.strip_suffix(default_port).unwrap_or(authority);
        // The authority first: the scheme costs a header lookup.
        if !origin_authority.is_empty()
            && origin_authority.eq_ignore_ascii_case(authority)
            && https == (secure || forwarded_https(head))
        {
            return true;
        }
    }
    head.headers
        .get(&SEC_FETCH_SITE)
        .is_some_and(|site| site.as_bytes() == b"same-origin")
}

/// The authority the request was sent to: HTTP/2's `:authority`, else `Host`.
fn request_authority(head: &RequestHead) -> Option<&[u8]> {
    match head.uri.authority() {
        Some(authority) => Some(authority.as_str().as_bytes()),
        None => head.headers.get(header::HOST).map(HeaderValue::as_bytes),
    }
}

/// Whether the first `X-Forwarded-Proto` value is `https`.
fn forwarded_https(head: &RequestHead) -> bool {
    head.headers.get(&X_FORWARDED_PROTO).is_some_and(|value| {
        let first = value.as_bytes().split(|&b| b == b',').next().unwrap_or(b"");
        first.trim_ascii().eq_ignore_ascii_case(b"https")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    static SORTED: [HeaderValue; 3] = [
        HeaderValue::from_static("https://a.com"),
        HeaderValue::from_static("https://b.com"),
        HeaderValue::from_static("http://localhost:3000"),
    ];

    #[test]
    fn finds_exact_origins_only() {
        let origins = Origins::new(&SORTED);
        for value in &SORTED {
            assert_eq!(origins.find(value.as_bytes()), Some(value));
        }
        for miss in [
            &b"https://A.com"[..],
            b"https://a.com/",
            b"https://a.com:443",
            b"http://a.com",
            b"https://a.co",
            b"https://a.comm",
            b"https://a.com.evil.net",
            b"https://xa.com",
            b"null",
            b"",
            b"http://localhost:300",
            b"http://localhost:30000",
        ] {
            assert_eq!(
                origins.find(miss),
                None,
                "{:?}",
                miss.escape_ascii().to_string()
            );
        }
    }

    #[test]
    fn sorted_list_is_in_lookup_order() {
        assert!(SORTED.windows(2).all(|pair| Origins::order(
            pair[0].as_bytes(),
            pair[1].as_bytes()
        )
        .is_lt()));
    }

    #[test]
    fn twenty_origins_all_found() {
        let mut names: Vec<String> = (0..20)
            .map(|i| format!("https://app{i}.example.com"))
            .collect();
        names.sort_by(|a, b| Origins::order(a.as_bytes(), b.as_bytes()));
        let values: Vec<HeaderValue> = names
            .iter()
            .map(|n| HeaderValue::from_static(Box::leak(n.clone().into_boxed_str())))
            .collect();
        let origins = Origins::new(Box::leak(values.into_boxed_slice()));
        for name in &names {
            assert_eq!(
                origins.find(name.as_bytes()).unwrap().as_bytes(),
                name.as_bytes()
            );
        }
        assert_eq!(origins.find(b"https://app20.example.com"), None);
    }

    #[test]
    fn listed_patterns_echo_the_request_origin() {
        static PATTERNS: [Pattern; 2] = [
            Pattern::Subdomain {
                scheme: "https://",
                suffix: ".example.com",
            },
            Pattern::AnyPort {
                prefix: "http://localhost:",
            },
        ];
        let listed = Listed {
            exact: Origins::new(&SORTED),
            patterns: &PATTERNS,
        };
        let find = |o: &'static str| {
            listed
                .find(&HeaderValue::from_static(o))
                .map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(find("https://a.com").as_deref(), Some("https://a.com"));
        assert_eq!(
            find("https://pr-1.example.com").as_deref(),
            Some("https://pr-1.example.com")
        );
        assert_eq!(
            find("http://localhost:5173").as_deref(),
            Some("http://localhost:5173")
        );
        assert_eq!(find("https://example.com"), None);
        assert_eq!(find("https://a.example.com.evil.net"), None);
        assert_eq!(find("http://localhost"), None);
    }

    fn same(req: TestRequest, origin: &str, secure: bool) -> bool {
        let req = req.to_http_request();
        is_same_origin(req.head(), origin.as_bytes(), secure)
    }

    #[test]
    fn same_origin_by_fetch_metadata() {
        let req = TestRequest::default().insert_header(("sec-fetch-site", "same-origin"));
        assert!(same(req, "https://anything.example", false));
        let req = TestRequest::default().insert_header(("sec-fetch-site", "same-site"));
        assert!(!same(req, "https://anything.example", false));
        let req = TestRequest::default().insert_header(("sec-fetch-site", "cross-site"));
        assert!(!same(req, "https://anything.example", false));
    }

    #[test]
    fn same_origin_by_host() {
        let host = |h: &'static str| TestRequest::default().insert_header(("host", h));
        assert!(same(
            host("api.example.com"),
            "http://api.example.com",
            false
        ));
        assert!(same(
            host("API.example.com"),
            "http://api.example.com",
            false
        ));
        assert!(same(
            host("api.example.com:80"),
            "http://api.example.com",
            false
        ));
        assert!(same(
            host("api.example.com:8080"),
            "http://api.example.com:8080",
            false
        ));
        assert!(same(
            host("api.example.com"),
            "https://api.example.com",
            true
        ));
        assert!(same(
            host("api.example.com:443"),
            "https://api.example.com",
            true
        ));
        assert!(!same(
            host("api.example.com"),
            "https://api.example.com",
            false
        ));
        assert!(!same(
            host("api.example.com"),
            "http://api.example.com",
            true
        ));
        assert!(!same(
            host("api.example.com"),
            "http://api.example.com.evil.net",
            false
        ));
        assert!(!same(host("api.example.com"), "http://evil.net", false));
        assert!(!same(
            host("api.example.com:8080"),
            "http://api.example.com",
            false
        ));
        assert!(!same(
            TestRequest::default(),
            "http://localhost:8080",
            false
        ));
    }

    #[test]
    fn forwarded_proto_sets_the_scheme() {
        let req = TestRequest::default()
            .insert_header(("host", "api.example.com"))
            .insert_header(("x-forwarded-proto", "https"));
        assert!(same(req, "https://api.example.com", false));
        let req = TestRequest::default()
            .insert_header(("host", "api.example.com"))
            .insert_header(("x-forwarded-proto", "HTTPS, http"));
        assert!(same(req, "https://api.example.com", false));
        let req = TestRequest::default()
            .insert_header(("host", "api.example.com"))
            .insert_header(("x-forwarded-proto", "http"));
        assert!(!same(req, "https://api.example.com", false));
    }
}
