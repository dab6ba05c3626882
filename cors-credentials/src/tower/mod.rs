// The tower adapter: a `Request` view of `http` 1.x requests, the responses
// built from the decisions, and the two layers. Everything here is glue; the
// decisions live outside this module. Its documentation is `docs/tower.md`.

mod guard;
mod layer;
mod tenant;

use core::fmt;

use http::{
    header::{self, HeaderMap, HeaderName, HeaderValue},
    Response, StatusCode,
};

pub use guard::{CrossOriginGuardFuture, CrossOriginGuardLayer, CrossOriginGuardService};
pub use layer::{CorsFuture, CorsLayer, CorsService};
pub use tenant::{TenantFn, TenantFrom};

use crate::{
    policy::{AllowedMethods, Policy},
    preflight::{self, Preflight},
    refusal::{Check, Refusal, Refused},
    request::{Request, RequestHeader},
    response::{self, PREFLIGHT_VARY},
    tenant::TenantKey,
    value::StaticValue,
};

// Looked up by reference: a name passed by value would be dropped per lookup.
static SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");
static X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

/// An `http` 1.x request, as the decisions see it.
pub(crate) struct RequestView<'a, B> {
    method: &'a http::Method,
    uri: &'a http::Uri,
    headers: &'a HeaderMap,
    body: core::marker::PhantomData<fn() -> B>,
}

impl<B> Clone for RequestView<'_, B> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<B> Copy for RequestView<'_, B> {}

// The method, path and scheme: not the headers, which carry cookies and
// credentials, nor the body.
impl<B> fmt::Debug for RequestView<'_, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestView")
            .field("method", &self.method())
            .field("path", &self.path())
            .field("tls", &self.is_tls())
            .finish_non_exhaustive()
    }
}

impl<'a, B> RequestView<'a, B> {
    pub(crate) fn new(req: &'a http::Request<B>) -> Self {
        RequestView {
            method: req.method(),
            uri: req.uri(),
            headers: req.headers(),
            body: core::marker::PhantomData,
        }
    }
}

impl<'a> RequestView<'a, ()> {
    /// The view of a request's head, without its body.
    pub(crate) fn from_parts(parts: &'a http::request::Parts) -> Self {
        RequestView {
            method: &parts.method,
            uri: &parts.uri,
            headers: &parts.headers,
            body: core::marker::PhantomData,
        }
    }
}

// Each method is a field access or one lookup, inlined into the decisions.
impl<B> Request for RequestView<'_, B> {
    type Value = HeaderValue;

    #[inline]
    fn method(&self) -> &str {
        self.method.as_str()
    }

    #[inline]
    fn path(&self) -> &str {
        self.uri.path()
    }

    #[inline]
    fn authority(&self) -> Option<&[u8]> {
        match self.uri.authority() {
            Some(authority) => Some(authority.as_str().as_bytes()),
            None => self.headers.get(header::HOST).map(HeaderValue::as_bytes),
        }
    }

    /// An `http` request knows its scheme only from an absolute URI (HTTP/2's
    /// `:scheme`); behind a TLS-terminating proxy `X-Forwarded-Proto` says it.
    #[inline]
    fn is_tls(&self) -> bool {
        self.uri.scheme() == Some(&http::uri::Scheme::HTTPS)
    }

    #[inline]
    fn header(&self, name: RequestHeader) -> impl Iterator<Item = &HeaderValue> {
        self.headers
            .get_all(match name {
                RequestHeader::Origin => &header::ORIGIN,
                RequestHeader::SecFetchSite => &SEC_FETCH_SITE,
                RequestHeader::XForwardedProto => &X_FORWARDED_PROTO,
                RequestHeader::Forwarded => &header::FORWARDED,
                RequestHeader::AccessControlRequestMethod => &header::ACCESS_CONTROL_REQUEST_METHOD,
                RequestHeader::AccessControlRequestHeaders => {
                    &header::ACCESS_CONTROL_REQUEST_HEADERS
                }
            })
            .into_iter()
    }
}

/// The methods a [`CorsLayer`] answers preflights for, and their
/// `Access-Control-Allow-Methods`, built once per layer.
#[derive(Debug)]
pub(crate) struct RouteMethods {
    names: Box<[http::Method]>,
    value: HeaderValue,
}

impl RouteMethods {
    pub(crate) fn new(methods: &[http::Method]) -> Self {
        let mut names: Vec<http::Method> = Vec::with_capacity(methods.len());
        for method in methods {
            if !names.contains(method) {
                names.push(method.clone());
            }
        }
        let value = names
            .iter()
            .map(http::Method::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        RouteMethods {
            names: names.into_boxed_slice(),
            // Method names are tokens, so the list is a valid header value.
            value: HeaderValue::from_str(&value).expect("method names form a header value"),
        }
    }
}

impl AllowedMethods for RouteMethods {
    /// `HEAD` is served wherever `GET` is, as axum's `get()` routes it.
    fn contains(&self, method: &[u8]) -> bool {
        self.names
            .iter()
            .any(|name| name.as_str().as_bytes() == method)
            || method == b"HEAD" && self.names.contains(&http::Method::GET)
    }
}

/// The headers of an answered preflight: the six this crate sets, and two
/// a framework adds on the way out (axum: `allow` on a route's fallback,
/// which is where a `MethodRouter` sends `OPTIONS`, and `content-length`).
/// A `HeaderMap` that starts empty holds six before it grows, and growing it
/// (a reallocation and a rehash) cost more than the rest of the answer.
const PREFLIGHT_HEADERS: usize = 8;

/// Answers a preflight addressing `tenant`: `204` with the CORS headers, or
/// `403` with a short reason and none of them.
pub(crate) fn respond_preflight<'a, B, ResBody: From<&'static str>>(
    policy: &Policy,
    methods: &RouteMethods,
    req: &'a RequestView<'a, B>,
    preflight: Preflight<'a, HeaderValue>,
    tenant: Option<TenantKey<'a>>,
) -> Response<ResBody> {
    let grant = match preflight::decide(policy, methods, req, preflight, tenant) {
        Ok(grant) => grant,
        Err(refusal) => return forbidden(&refusal, Check::Preflight, &PREFLIGHT_VARY),
    };
    let mut res = Response::new(ResBody::from(""));
    *res.status_mut() = StatusCode::NO_CONTENT;
    // Sized once for what the answer ends up with, so the map never grows.
    *res.headers_mut() = HeaderMap::with_capacity(PREFLIGHT_HEADERS);
    response::preflight(res.headers_mut(), policy, methods.value.clone(), grant, req);
    res
}

/// The `403 Forbidden` response: a short reason, `vary`, no
/// `Access-Control-Allow-*` header, and [`Refused`] in its extensions.
pub(crate) fn forbidden<ResBody: From<&'static str>>(
    refusal: &Refusal<'_>,
    check: Check,
    vary: &'static StaticValue,
) -> Response<ResBody> {
    let mut res = Response::new(ResBody::from(refusal.body()));
    *res.status_mut() = StatusCode::FORBIDDEN;
    res.extensions_mut().insert(Refused::new(refusal, check));
    response::forbidden(res.headers_mut(), vary);
    res
}

// `http` 1.x's header map, as the response rules write it.
crate::response::impl_response_headers!(http::header, http);
