//! Whether a request's `Origin` is the request's own origin.

use crate::request::{Request, RequestHeader};

/// Whether `origin` is the request's own origin.
///
/// Browsers send `Origin` on same-origin `POST`s too; refusing those would
/// break every form on the site. Two signals count: `Sec-Fetch-Site:
/// same-origin` (a forbidden header name, so no page can set it), or an
/// `Origin` equal to the scheme and authority the request was sent to
/// ([`is_own_origin`]).
pub(crate) fn is_same_origin<R: Request + ?Sized>(req: &R, origin: &[u8]) -> bool {
    is_own_origin(req, origin, false)
        || req
            .header(RequestHeader::SecFetchSite)
            .next()
            .is_some_and(|site| site.as_ref() == b"same-origin")
}

/// Whether `origin` is the scheme and authority the request was sent to.
///
/// The scheme is `https` when the connection is TLS, when the application
/// says it is served over https (`https_declared`), or when a proxy says so
/// with `X-Forwarded-Proto` or `Forwarded: proto=` (RFC 7239); a page cannot
/// add those headers to a request without a preflight, which this crate
/// would refuse. When the two proxy headers disagree the scheme is unknown,
/// and no origin is the request's own.
pub(crate) fn is_own_origin<R: Request + ?Sized>(
    req: &R,
    origin: &[u8],
    https_declared: bool,
) -> bool {
    let Some(authority) = req.authority() else {
        return false;
    };
    let (https, origin_authority) = if let Some(rest) = origin.strip_prefix(b"https://") {
        (true, rest)
    } else if let Some(rest) = origin.strip_prefix(b"http://") {
        (false, rest)
    } else {
        return false;
    };
    // A `Host` header may spell out the default port; a serialized origin never does.
    let default_port: &[u8] = if https { b":443" } else { b":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(authority);
    // The authority first: the scheme costs header lookups.
    !origin_authority.is_empty()
        && origin_authority.eq_ignore_ascii_case(authority)
        && scheme_is_https(req, https_declared) == Some(https)
}

/// Whether the request was sent over https: `None` when the proxies'
/// headers disagree.
pub(crate) fn scheme_is_https<R: Request + ?Sized>(req: &R, https_declared: bool) -> Option<bool> {
    if req.is_tls() || https_declared {
        return Some(true);
    }
    let forwarded_proto = req
        .header(RequestHeader::XForwardedProto)
        .next()
        .map(|value| {
            let first = value.as_ref().split(|&b| b == b',').next().unwrap_or(b"");
            first.trim_ascii().eq_ignore_ascii_case(b"https")
        });
    let forwarded = req
        .header(RequestHeader::Forwarded)
        .next()
        .and_then(|value| forwarded_proto_is_https(value.as_ref()));
    match (forwarded_proto, forwarded) {
        (Some(a), Some(b)) if a != b => None,
        (Some(https), _) | (_, Some(https)) => Some(https),
        (None, None) => Some(false),
    }
}

/// The `proto` of the first element of a `Forwarded` value (RFC 7239):
/// parameter names in any case, values bare or quoted; `None` without one.
pub(crate) fn forwarded_proto_is_https(value: &[u8]) -> Option<bool> {
    // The first element ends at the first `,` outside a quoted string.
    let mut quoted = false;
    let mut end = value.len();
    for (index, &byte) in value.iter().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                end = index;
                break;
            }
            _ => {}
        }
    }
    for pair in value[..end].split(|&b| b == b';') {
        let mut parts = pair.splitn(2, |&b| b == b'=');
        let name = parts.next().unwrap_or(b"").trim_ascii();
        let Some(proto) = parts.next() else { continue };
        if !name.eq_ignore_ascii_case(b"proto") {
            continue;
        }
        let proto = proto.trim_ascii();
        let proto = proto
            .strip_prefix(b"\"")
            .and_then(|rest| rest.strip_suffix(b"\""))
            .unwrap_or(proto);
        return Some(proto.eq_ignore_ascii_case(b"https"));
    }
    None
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

    #[test]
    fn forwarded_sets_the_scheme() {
        let with = |value: &'static str| {
            get()
                .authority("api.example.com")
                .header("forwarded", value)
        };
        assert!(same(with("proto=https"), "https://api.example.com", false));
        assert!(same(
            with("for=1.2.3.4;PROTO=\"HTTPS\";by=x"),
            "https://api.example.com",
            false
        ));
        assert!(same(
            with("for=\"a,b\";proto=https, proto=http"),
            "https://api.example.com",
            false
        ));
        assert!(!same(
            with("proto=http, proto=https"),
            "https://api.example.com",
            false
        ));
        assert!(same(with("proto=http"), "http://api.example.com", false));
        assert!(!same(with("for=1.2.3.4"), "https://api.example.com", false));
        // Disagreeing proxies: the scheme is unknown.
        let req = with("proto=https").header("x-forwarded-proto", "http");
        assert!(!same(req, "https://api.example.com", false));
        let req = with("proto=https").header("x-forwarded-proto", "http");
        assert!(!same(req, "http://api.example.com", false));
    }

    #[test]
    fn declared_https() {
        let req = get().authority("api.example.com");
        assert!(is_own_origin(&req, b"https://api.example.com", true));
        assert!(!is_own_origin(&req, b"http://api.example.com", true));
        assert!(!is_own_origin(&req, b"https://api.example.com", false));
    }
}
