//! Answering CORS preflight requests.

use actix_web::{
    dev::RequestHead,
    http::{
        header::{self, HeaderMap, HeaderValue},
        Method, StatusCode,
    },
    HttpResponse,
};

use crate::{
    policy::{AllowHeaders, Methods, Policy},
    refusal::Refusal,
};

/// The longest `Access-Control-Request-Headers` (all lines together) a
/// preflight may carry. Browsers send the lowercase names of the request's
/// unsafe headers, a few hundred bytes at most; anything longer is refused
/// before it is parsed, which bounds the work a request can cause.
pub const MAX_REQUEST_HEADERS_LEN: usize = 8 * 1024;

/// `Vary` of every preflight response: the answer depends on all three.
pub(crate) static PREFLIGHT_VARY: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);
pub(crate) static TRUE: HeaderValue = HeaderValue::from_static("true");

/// Whether the request is a CORS preflight: `OPTIONS` with both `Origin` and
/// `Access-Control-Request-Method`. An `OPTIONS` without them is an ordinary
/// request and is left to whatever else serves it.
pub fn is_preflight(head: &RequestHead) -> bool {
    head.method == Method::OPTIONS
        && head.headers.contains_key(header::ORIGIN)
        && head
            .headers
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

/// Answers a preflight for a route serving `methods` under `policy`: `204`
/// with the CORS headers, or `403` with a short reason and none of them.
pub fn respond(policy: &Policy, methods: &Methods, head: &RequestHead) -> HttpResponse {
    match check(policy, methods, &head.headers) {
        Ok(grant) => grant.into_response(policy, methods),
        Err(refusal) => {
            refusal.log("preflight", &head.method, head.uri.path());
            refusal.response(&PREFLIGHT_VARY)
        }
    }
}

/// A successful preflight's variable parts.
struct Grant {
    origin: HeaderValue,
    allow_headers: Option<HeaderValue>,
}

impl Grant {
    fn into_response(self, policy: &Policy, methods: &Methods) -> HttpResponse {
        let mut res = HttpResponse::new(StatusCode::NO_CONTENT);
        // A fresh response: `append` skips the replacement `insert` prepares.
        let headers = res.headers_mut();
        headers.append(header::ACCESS_CONTROL_ALLOW_ORIGIN, self.origin);
        headers.append(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
        headers.append(header::ACCESS_CONTROL_ALLOW_METHODS, methods.value.clone());
        if let Some(allow_headers) = self.allow_headers {
            headers.append(header::ACCESS_CONTROL_ALLOW_HEADERS, allow_headers);
        }
        headers.append(header::ACCESS_CONTROL_MAX_AGE, policy.max_age.clone());
        headers.append(header::VARY, PREFLIGHT_VARY.clone());
        res
    }
}

fn check<'a>(
    policy: &Policy,
    methods: &Methods,
    headers: &'a HeaderMap,
) -> Result<Grant, Refusal<'a>> {
    let mut origins = headers.get_all(header::ORIGIN);
    let origin = origins.next();
    if origins.next().is_some() {
        return Err(Refusal::MultipleOrigins);
    }
    let origin = origin
        .and_then(|origin| policy.origins.find(origin))
        .ok_or(Refusal::OriginNotAllowed(
            origin.map_or(&b""[..], HeaderValue::as_bytes),
        ))?;
    let mut requested = headers.get_all(header::ACCESS_CONTROL_REQUEST_METHOD);
    let method = requested.next().map_or(&b""[..], HeaderValue::as_bytes);
    if requested.next().is_some() || !methods.contains(method) {
        return Err(Refusal::MethodNotAllowed(method));
    }
    let allow_headers = check_request_headers(&policy.allow_headers, headers)?;
    Ok(Grant {
        origin,
        allow_headers,
    })
}

/// Checks `Access-Control-Request-Headers` and returns the
/// `Access-Control-Allow-Headers` value to send, if headers were requested.
///
/// Parsed as the Fetch Standard sends it and as proxies may reshape it:
/// comma-separated, optional whitespace, empty elements skipped, names
/// compared case-insensitively, possibly over several header lines.
fn check_request_headers<'a>(
    allow: &AllowHeaders,
    headers: &'a HeaderMap,
) -> Result<Option<HeaderValue>, Refusal<'a>> {
    let mut total = 0usize;
    let mut requested = 0usize;
    let mut lines = 0usize;
    let mut first = None;
    for line in headers.get_all(header::ACCESS_CONTROL_REQUEST_HEADERS) {
        // The cap is checked before each line is parsed, bounding the work.
        total += line.len();
        if total > MAX_REQUEST_HEADERS_LEN {
            let total = headers
                .get_all(header::ACCESS_CONTROL_REQUEST_HEADERS)
                .map(HeaderValue::len)
                .sum();
            return Err(Refusal::RequestHeadersTooLarge(total));
        }
        lines += 1;
        first.get_or_insert(line);
        for name in list_elements(line.as_bytes()) {
            if !is_token(name) {
                return Err(Refusal::MalformedRequestHeaders(name));
            }
            if !allow.allows(name) {
                return Err(Refusal::HeaderNotAllowed(name));
            }
            requested += 1;
        }
    }
    if requested == 0 {
        return Ok(None);
    }
    Ok(Some(match (allow, first) {
        (AllowHeaders::List { value, .. }, _) => (*value).clone(),
        // A single line in the form browsers send (`a,b,c`) is reused as it
        // is, costing no allocation.
        (AllowHeaders::Any, Some(only)) if lines == 1 && is_canonical_list(only.as_bytes()) => {
            only.clone()
        }
        (AllowHeaders::Any, _) => join_request_headers(headers),
    }))
}

/// Whether a header list is `a,b,c`: tokens separated by single commas.
fn is_canonical_list(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes
            .split(|&b| b == b',')
            .all(|name| !name.is_empty() && is_token(name))
}

/// Lists back every requested name, from lines reshaped by a proxy or
/// split over several lines, in the canonical form.
fn join_request_headers(headers: &HeaderMap) -> HeaderValue {
    let mut joined = Vec::new();
    let lines = headers.get_all(header::ACCESS_CONTROL_REQUEST_HEADERS);
    for name in lines.flat_map(|line| list_elements(line.as_bytes())) {
        if !joined.is_empty() {
            joined.push(b',');
        }
        joined.extend_from_slice(name);
    }
    // Every element is a checked token, so the joined value is a valid header value.
    HeaderValue::from_bytes(&joined).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The non-empty elements of a comma-separated header value, with optional
/// whitespace (spaces and tabs) trimmed.
pub fn list_elements(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        // Also trims CR, LF and FF, which a header value cannot hold anyway.
        .map(<[u8]>::trim_ascii)
        .filter(|element| !element.is_empty())
}

/// Whether `name` is an HTTP token (RFC 9110 `tchar`), i.e. a header name.
pub fn is_token(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&b| TCHAR[usize::from(b)])
}

/// `tchar` as a lookup table: one load per byte.
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(value: &str) -> Vec<&str> {
        list_elements(value.as_bytes())
            .map(|e| std::str::from_utf8(e).unwrap())
            .collect()
    }

    #[test]
    fn list_parsing_follows_the_fetch_standard_and_proxies() {
        assert_eq!(elements("content-type,x-a"), ["content-type", "x-a"]);
        assert_eq!(elements(" content-type , X-A "), ["content-type", "X-A"]);
        assert_eq!(elements(",,content-type,,\tx-a,"), ["content-type", "x-a"]);
        assert!(elements("").is_empty());
        assert!(elements(" , ,").is_empty());
    }

    #[test]
    fn tokens() {
        assert!(is_token(b"x-custom_header.v2"));
        assert!(is_token(b"*"));
        for bad in [
            &b""[..],
            b"a b",
            b"a:b",
            b"a\"",
            b"caf\xc3\xa9",
            b"a/b",
            b"(a)",
        ] {
            assert!(!is_token(bad), "{bad:?}");
        }
    }

    fn map(lines: &[&'static str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for line in lines {
            map.append(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                HeaderValue::from_static(line),
            );
        }
        map
    }

    static LIST_VALUE: HeaderValue = HeaderValue::from_static("content-type, x-token");
    static LIST: AllowHeaders = AllowHeaders::List {
        names: &["content-type", "x-token"],
        value: &LIST_VALUE,
    };

    #[test]
    fn listed_headers() {
        let check = |lines: &[&'static str]| {
            let map = map(lines);
            match check_request_headers(&LIST, &map) {
                Ok(value) => Ok(value.map(|v| v.to_str().unwrap().to_owned())),
                Err(refusal) => Err(format!("{refusal:?}")),
            }
        };
        let listed = Ok(Some("content-type, x-token".to_owned()));
        assert_eq!(check(&[]), Ok(None));
        assert_eq!(check(&[""]), Ok(None));
        assert_eq!(check(&["content-type"]), listed);
        assert_eq!(check(&["Content-Type , X-TOKEN"]), listed);
        assert_eq!(check(&["content-type", "x-token"]), listed);
        let refused = |r: Refusal<'_>| Err(format!("{r:?}"));
        assert_eq!(
            check(&["content-type,authorization"]),
            refused(Refusal::HeaderNotAllowed(b"authorization"))
        );
        assert_eq!(
            check(&["x-token", "authorization"]),
            refused(Refusal::HeaderNotAllowed(b"authorization"))
        );
        assert_eq!(
            check(&["content type"]),
            refused(Refusal::MalformedRequestHeaders(b"content type"))
        );
    }

    #[test]
    fn any_headers_are_echoed_canonically() {
        let echo = |lines: &[&'static str]| {
            check_request_headers(&AllowHeaders::Any, &map(lines))
                .unwrap()
                .map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(echo(&[]), None);
        assert_eq!(
            echo(&["authorization,x-a"]).as_deref(),
            Some("authorization,x-a")
        );
        assert_eq!(
            echo(&[" authorization , ,x-a "]).as_deref(),
            Some("authorization,x-a")
        );
        assert_eq!(
            echo(&["authorization", "X-A"]).as_deref(),
            Some("authorization,X-A")
        );
        assert_eq!(echo(&["*"]).as_deref(), Some("*"));
    }

    #[test]
    fn oversized_request_headers_are_refused_before_parsing() {
        let long: &'static str = Box::leak("x-a,".repeat(16 * 1024).into_boxed_str());
        assert_eq!(
            check_request_headers(&AllowHeaders::Any, &map(&[long])).unwrap_err(),
            Refusal::RequestHeadersTooLarge(long.len())
        );
        let fits: &'static str =
            Box::leak("x-a,".repeat(MAX_REQUEST_HEADERS_LEN / 4).into_boxed_str());
        assert!(check_request_headers(&AllowHeaders::Any, &map(&[fits])).is_ok());
    }
}
