//! The actix-web request head as the decisions see it. Crate-internal: the
//! project's tests reach it through `test_hooks`.

use actix_web::{
    dev::RequestHead,
    http::header::{self, HeaderName, HeaderValue},
};

use crate::request::{Header, Request};

// Looked up by reference: a name passed by value would be dropped per lookup.
static ORIGIN: HeaderName = header::ORIGIN;
static SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");
static X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
static ACCESS_CONTROL_REQUEST_METHOD: HeaderName = header::ACCESS_CONTROL_REQUEST_METHOD;
static ACCESS_CONTROL_REQUEST_HEADERS: HeaderName = header::ACCESS_CONTROL_REQUEST_HEADERS;

/// An actix-web request head, with whether its connection is TLS.
#[derive(Clone, Copy)]
pub struct Head<'a> {
    head: &'a RequestHead,
    secure: bool,
}

impl<'a> Head<'a> {
    /// `secure`: whether the connection is TLS (`AppConfig::secure`).
    pub fn new(head: &'a RequestHead, secure: bool) -> Self {
        Head { head, secure }
    }
}

// Each method is a field access or one lookup: inlined into the decisions,
// they cost what the same code written against `RequestHead` would.
impl Request for Head<'_> {
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
    fn header(&self, name: Header) -> impl Iterator<Item = &HeaderValue> {
        self.head.headers.get_all(match name {
            Header::Origin => &ORIGIN,
            Header::SecFetchSite => &SEC_FETCH_SITE,
            Header::XForwardedProto => &X_FORWARDED_PROTO,
            Header::AccessControlRequestMethod => &ACCESS_CONTROL_REQUEST_METHOD,
            Header::AccessControlRequestHeaders => &ACCESS_CONTROL_REQUEST_HEADERS,
        })
    }
}
