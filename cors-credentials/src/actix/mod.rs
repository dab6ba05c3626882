//! The actix-web adapter: a [`Request`] view of actix-web's request head,
//! the responses built from the decisions, the middleware and the preflight
//! route. Everything here is glue; the decisions live outside this module.

mod guard;
mod middleware;
mod preflight_route;

use core::fmt;

use actix_web::{
    dev::RequestHead,
    http::{
        header::{self, HeaderName, HeaderValue},
        StatusCode,
    },
    HttpResponse,
};

pub use guard::{CrossOriginGuard, CrossOriginGuardFuture, CrossOriginGuardService};
pub use middleware::{Cors, CorsFuture, CorsService};
pub use preflight_route::register as register_preflight;

use crate::{
    policy::{Methods, Policy},
    preflight::{self, Preflight},
    refusal::{Check, Refusal, Refused},
    request::{Request, RequestHeader},
    response::{self, PREFLIGHT_VARY},
    value::StaticValue,
};

// Looked up by reference: a name passed by value would be dropped per lookup.
static ORIGIN: HeaderName = header::ORIGIN;
static SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");
static X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
static ACCESS_CONTROL_REQUEST_METHOD: HeaderName = header::ACCESS_CONTROL_REQUEST_METHOD;
static ACCESS_CONTROL_REQUEST_HEADERS: HeaderName = header::ACCESS_CONTROL_REQUEST_HEADERS;

/// An actix-web request head, with whether its connection is TLS.
#[derive(Clone, Copy)]
pub struct RequestView<'a> {
    head: &'a RequestHead,
    secure: bool,
}

// The method, path and scheme: not the headers, which carry cookies and
// credentials.
impl fmt::Debug for RequestView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestView")
            .field("method", &self.method())
            .field("path", &self.path())
            .field("tls", &self.secure)
            .finish_non_exhaustive()
    }
}

impl<'a> RequestView<'a> {
    /// `secure`: whether the connection is TLS (`AppConfig::secure`).
    pub fn new(head: &'a RequestHead, secure: bool) -> Self {
        RequestView { head, secure }
    }
}

// Each method is a field access or one lookup: inlined into the decisions,
// they cost what the same code written against `RequestHead` would.
impl Request for RequestView<'_> {
    type Value = HeaderValue;

    #[inline]
    fn method(&self) -> &str {
        self.head.method.as_str()
    }

    #[inline]
    fn path(&self) -> &str {
        self.head.uri.path()
    }

    #[inline]
    fn authority(&self) -> Option<&[u8]> {
        match self.head.uri.authority() {
            Some(authority) => Some(authority.as_str().as_bytes()),
            None => self
                .head
                .headers
                .get(header::HOST)
                .map(HeaderValue::as_bytes),
        }
    }

    #[inline]
    fn is_tls(&self) -> bool {
        self.secure
    }

    #[inline]
    fn header(&self, name: RequestHeader) -> impl Iterator<Item = &HeaderValue> {
        self.head.headers.get_all(match name {
            RequestHeader::Origin => &ORIGIN,
            RequestHeader::SecFetchSite => &SEC_FETCH_SITE,
            RequestHeader::XForwardedProto => &X_FORWARDED_PROTO,
            RequestHeader::AccessControlRequestMethod => &ACCESS_CONTROL_REQUEST_METHOD,
            RequestHeader::AccessControlRequestHeaders => &ACCESS_CONTROL_REQUEST_HEADERS,
        })
    }
}

/// Answers a preflight for a route serving `methods` under `policy`: `204`
/// with the CORS headers, or `403` with a short reason and none of them.
pub fn respond_preflight(
    policy: &Policy,
    methods: &Methods,
    head: &RequestView<'_>,
) -> HttpResponse {
    answer_preflight(policy, methods, head, Preflight::read(head))
}

/// [`respond_preflight`] for a preflight already read.
pub(crate) fn answer_preflight<'a>(
    policy: &Policy,
    methods: &Methods,
    head: &'a RequestView<'a>,
    preflight: Preflight<'a, HeaderValue>,
) -> HttpResponse {
    let grant = match preflight::decide(policy, methods, head, preflight) {
        Ok(grant) => grant,
        Err(refusal) => return forbidden(&refusal, Check::Preflight, &PREFLIGHT_VARY),
    };
    let mut res = HttpResponse::new(StatusCode::NO_CONTENT);
    let methods = methods.value.actix().clone();
    response::preflight(res.headers_mut(), policy, methods, grant, head);
    res
}

/// The `403 Forbidden` response: a short reason, `vary`, no
/// `Access-Control-Allow-*` header, and [`Refused`] in its extensions.
pub(crate) fn forbidden(
    refusal: &Refusal<'_>,
    check: Check,
    vary: &'static StaticValue,
) -> HttpResponse {
    let mut res = HttpResponse::with_body(StatusCode::FORBIDDEN, refusal.body());
    res.extensions_mut().insert(Refused::new(refusal, check));
    response::forbidden(res.headers_mut(), vary);
    res.map_into_boxed_body()
}

// actix-web's header map (`http` 0.2), as the response rules write it.
crate::response::impl_response_headers!(actix_web::http::header, actix);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        origin::{Listed, Origins},
        policy::{AllowHeaders, OnDisallowed, OriginSet},
        response::decorate,
    };
    use actix_web::http::header::HeaderMap;

    static ORIGIN: HeaderValue = HeaderValue::from_static("https://app.example.com");

    fn policy() -> Policy {
        static MAX_AGE: crate::value::StaticValue = crate::value::StaticValue::new("7200");
        Policy {
            origins: OriginSet::Listed(Listed {
                exact: Origins::new(&["https://app.example.com"]),
                patterns: &[],
            }),
            allow_headers: AllowHeaders::Any,
            expose_headers: None,
            max_age: &MAX_AGE,
            on_disallowed: OnDisallowed::Reject,
        }
    }

    fn vary(lines: &[&'static str]) -> Vec<String> {
        let mut map = HeaderMap::new();
        for line in lines {
            map.append(header::VARY, HeaderValue::from_static(line));
        }
        decorate(&policy(), None, &mut map);
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
        let policy = policy();
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
        decorate(&policy, Some(ORIGIN.clone()), &mut map);
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
