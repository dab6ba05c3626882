//! The actix-web request head as the decisions see it. Crate-internal: the
//! project's tests reach it through `test_hooks`.

use core::fmt;

use actix_web::{
    dev::RequestHead,
    http::header::{self, HeaderName, HeaderValue},
};

use crate::request::{Request, RequestHeader};

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
            RequestHeader::Forwarded => &header::FORWARDED,
            RequestHeader::AccessControlRequestMethod => &ACCESS_CONTROL_REQUEST_METHOD,
            RequestHeader::AccessControlRequestHeaders => &ACCESS_CONTROL_REQUEST_HEADERS,
        })
    }
}
