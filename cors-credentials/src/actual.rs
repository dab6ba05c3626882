//! Deciding on actual (non-preflight) requests and decorating their responses.

use actix_web::{
    dev::RequestHead,
    http::header::{self, HeaderMap, HeaderValue},
};

use crate::{
    origin::is_same_origin,
    policy::{OnDisallowed, Policy},
    preflight::{list_elements, TRUE},
    refusal::Refusal,
};

/// `Vary` added to every response of a route, whatever the request.
pub(crate) static VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");

/// What an actual request gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision<'a> {
    /// Run the handler and allow the origin to read the response with
    /// credentials; the value is the `Access-Control-Allow-Origin` to send.
    Allow(HeaderValue),
    /// Run the handler; no CORS headers (no `Origin`, same-origin, or a
    /// not-allowed origin under [`OnDisallowed::Pass`]).
    NoCors,
    /// Answer `403`; the handler does not run.
    Reject(Refusal<'a>),
}

/// Decides on an actual request. `secure` tells whether the connection is TLS.
pub fn decide<'a>(policy: &Policy, head: &'a RequestHead, secure: bool) -> Decision<'a> {
    let mut origins = head.headers.get_all(header::ORIGIN);
    let Some(origin) = origins.next() else {
        return Decision::NoCors;
    };
    let refusal = if origins.next().is_some() {
        Refusal::MultipleOrigins
    } else if let Some(allowed) = policy.origins.find(origin) {
        return Decision::Allow(allowed);
    } else if is_same_origin(head, origin.as_bytes(), secure) {
        return Decision::NoCors;
    } else {
        Refusal::OriginNotAllowed(origin.as_bytes())
    };
    refusal.log("request", &head.method, head.uri.path());
    match policy.on_disallowed {
        OnDisallowed::Reject => Decision::Reject(refusal),
        OnDisallowed::Pass => Decision::NoCors,
    }
}

/// Adds the CORS headers to a response of the route.
///
/// `allowed` is the origin to allow, if any. Whatever the handler set, each
/// `Access-Control-Allow-*` header appears at most once and only for an
/// allowed origin; a `Vary` the handler set is kept, with `Origin` added once.
///
/// One pass over the response's few headers finds what the handler set, so
/// the usual case appends without the lookups and replacements of `insert`
/// and `remove`.
pub fn decorate(policy: &Policy, allowed: Option<HeaderValue>, headers: &mut HeaderMap) {
    let mut handler_set_allow = false;
    let mut vary_covered = false;
    for (name, value) in headers.iter() {
        if *name == header::ACCESS_CONTROL_ALLOW_ORIGIN
            || *name == header::ACCESS_CONTROL_ALLOW_CREDENTIALS
        {
            handler_set_allow = true;
        } else if *name == header::VARY && vary_lists_origin(value) {
            vary_covered = true;
        }
    }
    let allow = allowed.is_some();
    match allowed {
        Some(origin) if handler_set_allow => {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
        }
        Some(origin) => {
            headers.append(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.append(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
        }
        None if handler_set_allow => {
            headers.remove(header::ACCESS_CONTROL_ALLOW_ORIGIN);
            headers.remove(header::ACCESS_CONTROL_ALLOW_CREDENTIALS);
        }
        None => {}
    }
    if let (true, Some(expose)) = (allow, policy.expose_headers) {
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
    }
    if !vary_covered {
        headers.append(header::VARY, VARY_ORIGIN.clone());
    }
}

/// Adds `Origin` to `Vary` unless it is listed already (or `Vary: *`).
///
/// A second `Vary` line is equivalent to joining the lists, and needs no
/// allocation; the handler's own `Vary` stays untouched.
pub fn add_vary_origin(headers: &mut HeaderMap) {
    if !headers.get_all(header::VARY).any(vary_lists_origin) {
        headers.append(header::VARY, VARY_ORIGIN.clone());
    }
}

/// Whether a `Vary` line lists `Origin` (any case) or `*`.
fn vary_lists_origin(line: &HeaderValue) -> bool {
    list_elements(line.as_bytes()).any(|name| name == b"*" || name.eq_ignore_ascii_case(b"origin"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        origin::{Listed, OriginSet, Origins},
        policy::AllowHeaders,
    };
    use actix_web::test::TestRequest;

    static ORIGINS: [HeaderValue; 1] = [HeaderValue::from_static("https://app.example.com")];

    fn policy(on_disallowed: OnDisallowed) -> Policy {
        static MAX_AGE: HeaderValue = HeaderValue::from_static("7200");
        Policy {
            origins: OriginSet::Listed(Listed {
                exact: Origins::new(&ORIGINS),
                patterns: &[],
            }),
            allow_headers: AllowHeaders::Any,
            expose_headers: None,
            max_age: &MAX_AGE,
            on_disallowed,
        }
    }

    fn decision(req: TestRequest, on_disallowed: OnDisallowed) -> String {
        let req = req
            .insert_header(("host", "api.example.com"))
            .to_http_request();
        format!("{:?}", decide(&policy(on_disallowed), req.head(), false))
    }

    #[test]
    fn decisions() {
        use OnDisallowed::*;
        let origin = |o: &'static str| TestRequest::default().insert_header(("origin", o));
        assert!(decision(origin("https://app.example.com"), Reject).starts_with("Allow"));
        assert_eq!(decision(TestRequest::default(), Reject), "NoCors");
        assert_eq!(decision(origin("http://api.example.com"), Reject), "NoCors");
        assert!(decision(origin("https://evil.net"), Reject).starts_with("Reject(OriginNotAllowed"));
        assert_eq!(decision(origin("https://evil.net"), Pass), "NoCors");
        assert!(decision(origin("null"), Reject).starts_with("Reject"));
        assert!(decision(origin(""), Reject).starts_with("Reject"));
        let two =
            origin("https://app.example.com").append_header(("origin", "https://app.example.com"));
        assert_eq!(decision(two, Reject), "Reject(MultipleOrigins)");
    }

    fn vary(lines: &[&'static str]) -> Vec<String> {
        let mut map = HeaderMap::new();
        for line in lines {
            map.append(header::VARY, HeaderValue::from_static(line));
        }
        add_vary_origin(&mut map);
        map.get_all(header::VARY)
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn vary_is_merged() {
        assert_eq!(vary(&[]), ["Origin"]);
        assert_eq!(vary(&["Accept-Encoding"]), ["Accept-Encoding", "Origin"]);
        assert_eq!(
            vary(&["accept-encoding, origin"]),
            ["accept-encoding, origin"]
        );
        assert_eq!(vary(&["Accept", "ORIGIN"]), ["Accept", "ORIGIN"]);
        assert_eq!(vary(&["*"]), ["*"]);
        assert_eq!(vary(&["Origins"]), ["Origins", "Origin"]);
    }

    #[test]
    fn decorate_replaces_handler_headers() {
        let policy = policy(OnDisallowed::Reject);
        let mut map = HeaderMap::new();
        map.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        map.append(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("https://x"),
        );
        map.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("TRUE"),
        );
        decorate(&policy, Some(ORIGINS[0].clone()), &mut map);
        let all = |name| {
            map.get_all(name)
                .map(|v| v.to_str().unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            all(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            ["https://app.example.com"]
        );
        assert_eq!(all(header::ACCESS_CONTROL_ALLOW_CREDENTIALS), ["true"]);
        assert_eq!(all(header::VARY), ["Origin"]);

        decorate(&policy, None, &mut map);
        assert!(map.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
        assert!(map.get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS).is_none());
        assert_eq!(map.get_all(header::VARY).count(), 1);
    }
}
