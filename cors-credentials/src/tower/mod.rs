//! The tower adapter (feature `tower`): the same checked policies for axum
//! and every tower service over `http` 1.x.
//!
#![doc = include_str!("../../docs/tower.md")]

mod guard;
mod layer;

use http::{
    header::{self, HeaderMap, HeaderName, HeaderValue},
    Response, StatusCode,
};

pub use guard::{CrossOriginGuardFuture, CrossOriginGuardLayer, CrossOriginGuardService};
pub use layer::{CorsFuture, CorsLayer, CorsService};

use crate::{
    policy::{AllowHeaders, AllowedMethods, Policy},
    preflight::{self, AllowHeadersAnswer},
    refusal::{Check, Refusal, Refused},
    request::{Header, Request},
    response::{vary_lists_origin, PREFLIGHT_VARY, TEXT_PLAIN, TRUE, VARY_ORIGIN},
    value::StaticValue,
};

// Looked up by reference: a name passed by value would be dropped per lookup.
static SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");
static X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

/// An `http` 1.x request, as the decisions see it.
#[derive(Clone, Copy)]
pub(crate) struct Parts<'a, B> {
    req: &'a http::Request<B>,
}

impl<'a, B> Parts<'a, B> {
    pub(crate) fn new(req: &'a http::Request<B>) -> Self {
        Parts { req }
    }
}

// Each method is a field access or one lookup, inlined into the decisions.
impl<B> Request for Parts<'_, B> {
    type Value = HeaderValue;

    #[inline]
    fn method(&self) -> &str {
        self.req.method().as_str()
    }

    #[inline]
    fn path(&self) -> &str {
        self.req.uri().path()
    }

    #[inline]
    fn authority(&self) -> Option<&[u8]> {
        match self.req.uri().authority() {
            Some(authority) => Some(authority.as_str().as_bytes()),
            None => self
                .req
                .headers()
                .get(header::HOST)
                .map(HeaderValue::as_bytes),
        }
    }

    /// An `http` request knows its scheme only from an absolute URI (HTTP/2's
    /// `:scheme`); behind a TLS-terminating proxy `X-Forwarded-Proto` says it.
    #[inline]
    fn is_tls(&self) -> bool {
        self.req.uri().scheme() == Some(&http::uri::Scheme::HTTPS)
    }

    #[inline]
    fn header(&self, name: Header) -> impl Iterator<Item = &HeaderValue> {
        self.req
            .headers()
            .get_all(match name {
                Header::Origin => &header::ORIGIN,
                Header::SecFetchSite => &SEC_FETCH_SITE,
                Header::XForwardedProto => &X_FORWARDED_PROTO,
                Header::AccessControlRequestMethod => &header::ACCESS_CONTROL_REQUEST_METHOD,
                Header::AccessControlRequestHeaders => &header::ACCESS_CONTROL_REQUEST_HEADERS,
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
    fn contains(&self, method: &[u8]) -> bool {
        self.names
            .iter()
            .any(|name| name.as_str().as_bytes() == method)
    }
}

/// The headers of an answered preflight: the six this crate sets, and two
/// a framework adds on the way out (axum: `allow` on a route's fallback,
/// which is where a `MethodRouter` sends `OPTIONS`, and `content-length`).
/// A `HeaderMap` that starts empty holds six before it grows, and growing it
/// (a reallocation and a rehash) cost more than the rest of the answer.
const PREFLIGHT_HEADERS: usize = 8;

/// Answers a preflight: `204` with the CORS headers, or `403` with a short
/// reason and none of them.
pub(crate) fn respond_preflight<B, ResBody: From<&'static str>>(
    policy: &Policy,
    methods: &RouteMethods,
    req: &Parts<'_, B>,
) -> Response<ResBody> {
    let grant = match preflight::decide(policy, methods, req) {
        Ok(grant) => grant,
        Err(refusal) => return refused(&refusal, Check::Preflight, &PREFLIGHT_VARY),
    };
    let mut res = Response::new(ResBody::from(""));
    *res.status_mut() = StatusCode::NO_CONTENT;
    // Sized once for what the answer ends up with, so the map never grows.
    *res.headers_mut() = HeaderMap::with_capacity(PREFLIGHT_HEADERS);
    // A fresh response: `append` skips the replacement `insert` prepares.
    let headers = res.headers_mut();
    headers.append(header::ACCESS_CONTROL_ALLOW_ORIGIN, grant.origin.clone());
    headers.append(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        TRUE.http().clone(),
    );
    headers.append(header::ACCESS_CONTROL_ALLOW_METHODS, methods.value.clone());
    let allow_headers = match (grant.allow_headers, &policy.allow_headers) {
        (AllowHeadersAnswer::None, _) => None,
        (AllowHeadersAnswer::Listed, AllowHeaders::List { value, .. }) => {
            Some(value.http().clone())
        }
        (AllowHeadersAnswer::Echo(line), _) => Some(line.clone()),
        (AllowHeadersAnswer::Listed | AllowHeadersAnswer::Join, _) => {
            let joined = preflight::joined_request_headers(req);
            HeaderValue::from_bytes(&joined).ok()
        }
    };
    if let Some(allow_headers) = allow_headers {
        headers.append(header::ACCESS_CONTROL_ALLOW_HEADERS, allow_headers);
    }
    headers.append(
        header::ACCESS_CONTROL_MAX_AGE,
        policy.max_age.http().clone(),
    );
    headers.append(header::VARY, PREFLIGHT_VARY.http().clone());
    res
}

/// The `403 Forbidden` response: a short reason, `vary`, no
/// `Access-Control-Allow-*` header, and [`Refused`] in its extensions.
pub(crate) fn refused<ResBody: From<&'static str>>(
    refusal: &Refusal<'_>,
    check: Check,
    vary: &StaticValue,
) -> Response<ResBody> {
    let mut res = Response::new(ResBody::from(refusal.body()));
    *res.status_mut() = StatusCode::FORBIDDEN;
    res.extensions_mut().insert(Refused::new(refusal, check));
    let headers = res.headers_mut();
    headers.append(header::CONTENT_TYPE, TEXT_PLAIN.http().clone());
    headers.append(header::VARY, vary.http().clone());
    res
}

/// Adds the CORS headers to a response of the route, by the same rules as
/// the actix-web adapter: each `Access-Control-Allow-*` header at most once
/// and only for an allowed origin, a `Vary` the handler set kept, with
/// `Origin` added once unless it lists `Origin` or `*` already.
pub(crate) fn decorate(policy: &Policy, allowed: Option<HeaderValue>, headers: &mut HeaderMap) {
    let mut handler_set_allow = false;
    let mut vary_covered = false;
    for (name, value) in headers.iter() {
        if *name == header::ACCESS_CONTROL_ALLOW_ORIGIN
            || *name == header::ACCESS_CONTROL_ALLOW_CREDENTIALS
        {
            handler_set_allow = true;
        } else if *name == header::VARY && vary_lists_origin(value.as_bytes()) {
            vary_covered = true;
        }
    }
    let allow = allowed.is_some();
    match allowed {
        Some(origin) if handler_set_allow => {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                TRUE.http().clone(),
            );
        }
        Some(origin) => {
            headers.append(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.append(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                TRUE.http().clone(),
            );
        }
        None if handler_set_allow => {
            headers.remove(header::ACCESS_CONTROL_ALLOW_ORIGIN);
            headers.remove(header::ACCESS_CONTROL_ALLOW_CREDENTIALS);
        }
        None => {}
    }
    if let (true, Some(expose)) = (allow, policy.expose_headers) {
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, expose.http().clone());
    }
    if !vary_covered {
        headers.append(header::VARY, VARY_ORIGIN.http().clone());
    }
}
