//! Whether a request's `Origin` is the request's own origin.

use crate::request::{Request, RequestHeader};

/// Whether `origin` is the request's own origin.
///
/// Browsers send `Origin` on same-origin `POST`s too; refusing those would
/// break every form on the site. Two signals count: `Sec-Fetch-Site:
/// same-origin` (a forbidden header name, so no page can set it), or an
/// `Origin` equal to the scheme and authority the request was sent to. The
/// scheme is `https` when the connection is TLS or a proxy says so with
/// `X-Forwarded-Proto`; a page cannot add that header to a request without a
/// preflight, which this crate would refuse.
pub(crate) fn is_same_origin<R: Request + ?Sized>(req: &R, origin: &[u8]) -> bool {
    if let Some(authority) = req.authority() {
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
            && https == (req.is_tls() || forwarded_https(req))
        {
            return true;
        }
    }
    req.header(RequestHeader::SecFetchSite)
        .next()
        .is_some_and(|site| site.as_ref() == b"same-origin")
}

/// Whether the first `X-Forwarded-Proto` value is `https`.
pub(crate) fn forwarded_https<R: Request + ?Sized>(req: &R) -> bool {
    req.header(RequestHeader::XForwardedProto)
        .next()
        .is_some_and(|value| {
            let first = value.as_ref().split(|&b| b == b',').next().unwrap_or(b"");
            first.trim_ascii().eq_ignore_ascii_case(b"https")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::fake::FakeRequest;

    fn same(req: FakeRequest, origin: &str, secure: bool) -> bool {
        is_same_origin(&req.tls(secure), origin.as_bytes())
    }

    fn get() -> FakeRequest {
        FakeRequest::new("GET", "/")
    }

    #[test]
    fn same_origin_by_fetch_metadata() {
        let req = get().header("sec-fetch-site", "same-origin");
        assert!(same(req, "https://anything.example", false));
        let req = get().header("sec-fetch-site", "same-site");
        assert!(!same(req, "https://anything.example", false));
        let req = get().header("sec-fetch-site", "cross-site");
        assert!(!same(req, "https://anything.example", false));
    }

    #[test]
    fn same_origin_by_host() {
        let host = |h: &'static str| get().authority(h);
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
        assert!(!same(get(), "http://localhost:8080", false));
    }

    #[test]
    fn forwarded_proto_sets_the_scheme() {
        let req = get()
            .authority("api.example.com")
            .header("x-forwarded-proto", "https");
        assert!(same(req, "https://api.example.com", false));
        let req = get()
            .authority("api.example.com")
            .header("x-forwarded-proto", "HTTPS, http");
        assert!(same(req, "https://api.example.com", false));
        let req = get()
            .authority("api.example.com")
            .header("x-forwarded-proto", "http");
        assert!(!same(req, "https://api.example.com", false));
    }
}
