//! What the adapters' responses carry, whatever the framework: the fixed
//! header values, and the one home of the rules for which CORS headers a
//! route's response, a preflight's answer and a refusal get. Each adapter
//! implements [`ResponseHeaders`] over its own header map; these functions are
//! generic over it, so they compile to what the same code written against
//! that map would.

use cors_credentials_rules::header::list_elements;

use crate::{
    policy::{AllowHeaders, Policy},
    preflight::{self, AllowHeadersAnswer, Grant},
    request::Request,
    value::StaticValue,
};

/// `Vary` added to every response of a route, whatever the request.
pub(crate) static VARY_ORIGIN: StaticValue = StaticValue::new("Origin");
/// `Vary` of every preflight response: the answer depends on all three.
pub(crate) static PREFLIGHT_VARY: StaticValue =
    StaticValue::new("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
/// `Access-Control-Allow-Credentials`' only valid value.
pub(crate) static TRUE: StaticValue = StaticValue::new("true");
/// The `Content-Type` of a refusal's short reason.
pub(crate) static TEXT_PLAIN: StaticValue = StaticValue::new("text/plain; charset=utf-8");

/// The response headers the rules write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseHeader {
    /// `Access-Control-Allow-Origin`.
    AllowOrigin,
    /// `Access-Control-Allow-Credentials`.
    AllowCredentials,
    /// `Access-Control-Allow-Methods`.
    AllowMethods,
    /// `Access-Control-Allow-Headers`.
    AllowHeaders,
    /// `Access-Control-Expose-Headers`.
    ExposeHeaders,
    /// `Access-Control-Max-Age`.
    MaxAge,
    /// `Vary`.
    Vary,
    /// `Content-Type`.
    ContentType,
}

/// A framework's response header map, as the rules write it.
pub trait ResponseHeaders {
    /// The framework's header value.
    type Value: Clone;

    /// A `'static` value in the framework's type (a pointer copy).
    fn value(value: &'static StaticValue) -> Self::Value;

    /// A value built from checked bytes, if they form one.
    fn from_bytes(bytes: &[u8]) -> Option<Self::Value>;

    /// Every line of the map, with its name when it is one of [`ResponseHeader`]'s.
    fn lines(&self) -> impl Iterator<Item = (Option<ResponseHeader>, &[u8])>;

    /// Every `Set-Cookie` line, in order (read by the cookie diagnostics only).
    fn set_cookies(&self) -> impl Iterator<Item = &[u8]>;

    /// Adds a line, keeping the others.
    fn append(&mut self, name: ResponseHeader, value: Self::Value);

    /// Replaces every line of `name` with one.
    fn insert(&mut self, name: ResponseHeader, value: Self::Value);

    /// Removes every line of `name`.
    fn remove(&mut self, name: ResponseHeader);
}

/// Implements [`ResponseHeaders`] for the `HeaderMap` of the `header` module given
/// (`actix_web::http::header`, `http::header`: the same API over two `http`
/// versions), whose `'static` values `StaticValue::$value` returns.
#[cfg(any(feature = "actix", feature = "tower"))]
macro_rules! impl_response_headers {
    ($($header:ident)::+, $value:ident) => {
        const _: () = {
            use $($header)::+ as header;
            use header::{HeaderMap, HeaderName, HeaderValue};
            use $crate::{
                response::{ResponseHeaders, ResponseHeader},
                value::StaticValue,
            };

            impl ResponseHeaders for HeaderMap {
                type Value = HeaderValue;

                #[inline]
                fn value(value: &'static StaticValue) -> HeaderValue {
                    value.$value().clone()
                }

                #[inline]
                fn from_bytes(bytes: &[u8]) -> Option<HeaderValue> {
                    HeaderValue::from_bytes(bytes).ok()
                }

                #[inline]
                fn lines(&self) -> impl Iterator<Item = (Option<ResponseHeader>, &[u8])> {
                    self.iter().map(|(name, value)| {
                        let name = if *name == header::ACCESS_CONTROL_ALLOW_ORIGIN {
                            Some(ResponseHeader::AllowOrigin)
                        } else if *name == header::ACCESS_CONTROL_ALLOW_CREDENTIALS {
                            Some(ResponseHeader::AllowCredentials)
                        } else if *name == header::VARY {
                            Some(ResponseHeader::Vary)
                        } else {
                            None
                        };
                        (name, value.as_bytes())
                    })
                }

                fn set_cookies(&self) -> impl Iterator<Item = &[u8]> {
                    self.get_all(header::SET_COOKIE)
                        .into_iter()
                        .map(HeaderValue::as_bytes)
                }

                #[inline]
                fn append(&mut self, name: ResponseHeader, value: HeaderValue) {
                    HeaderMap::append(self, header_name(name), value);
                }

                #[inline]
                fn insert(&mut self, name: ResponseHeader, value: HeaderValue) {
                    HeaderMap::insert(self, header_name(name), value);
                }

                #[inline]
                fn remove(&mut self, name: ResponseHeader) {
                    HeaderMap::remove(self, header_name(name));
                }
            }

            #[inline]
            fn header_name(name: ResponseHeader) -> HeaderName {
                match name {
                    ResponseHeader::AllowOrigin => header::ACCESS_CONTROL_ALLOW_ORIGIN,
                    ResponseHeader::AllowCredentials => header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                    ResponseHeader::AllowMethods => header::ACCESS_CONTROL_ALLOW_METHODS,
                    ResponseHeader::AllowHeaders => header::ACCESS_CONTROL_ALLOW_HEADERS,
                    ResponseHeader::ExposeHeaders => header::ACCESS_CONTROL_EXPOSE_HEADERS,
                    ResponseHeader::MaxAge => header::ACCESS_CONTROL_MAX_AGE,
                    ResponseHeader::Vary => header::VARY,
                    ResponseHeader::ContentType => header::CONTENT_TYPE,
                }
            }
        };
    };
}
#[cfg(any(feature = "actix", feature = "tower"))]
pub(crate) use impl_response_headers;

/// Adds the CORS headers to a response of the route.
///
/// `allowed` is the origin to allow, if any. Whatever the handler set,
/// `Access-Control-Allow-Origin` and `-Credentials` appear at most once and
/// only for an allowed origin (other `Access-Control-*` headers a handler
/// sets are kept: without those two a browser ignores them), and
/// `Access-Control-Expose-Headers` is the policy's when it has one; a `Vary`
/// the handler set is kept, with `Origin` added once
/// unless it lists `Origin` (any case) or `*` already. A second `Vary` line
/// is equivalent to joining the lists, and needs no allocation.
///
/// One pass over the response's few headers finds what the handler set, so
/// the usual case appends without the lookups and replacements of `insert`
/// and `remove`.
#[inline]
pub fn decorate<H: ResponseHeaders>(policy: &Policy, allowed: Option<H::Value>, headers: &mut H) {
    let mut handler_set_allow = false;
    let mut vary_covered = false;
    for (name, value) in headers.lines() {
        match name {
            Some(ResponseHeader::AllowOrigin | ResponseHeader::AllowCredentials) => {
                handler_set_allow = true
            }
            Some(ResponseHeader::Vary) if vary_lists_origin(value) => vary_covered = true,
            _ => {}
        }
    }
    let allow = allowed.is_some();
    match allowed {
        Some(origin) if handler_set_allow => {
            headers.insert(ResponseHeader::AllowOrigin, origin);
            headers.insert(ResponseHeader::AllowCredentials, H::value(&TRUE));
        }
        Some(origin) => {
            headers.append(ResponseHeader::AllowOrigin, origin);
            headers.append(ResponseHeader::AllowCredentials, H::value(&TRUE));
        }
        None if handler_set_allow => {
            headers.remove(ResponseHeader::AllowOrigin);
            headers.remove(ResponseHeader::AllowCredentials);
        }
        None => {}
    }
    if let (true, Some(expose)) = (allow, policy.expose_headers) {
        headers.insert(ResponseHeader::ExposeHeaders, H::value(expose));
    }
    if !vary_covered {
        headers.append(ResponseHeader::Vary, H::value(&VARY_ORIGIN));
    }
}

/// The headers of a successful preflight's `204`, on a fresh response:
/// the request's own `Origin`, credentials, the route's `methods`, the
/// allowed request headers, the policy's max age and the preflight `Vary`.
#[inline]
pub(crate) fn preflight<H, R>(
    headers: &mut H,
    policy: &Policy,
    methods: H::Value,
    grant: Grant<'_, R::Value>,
    req: &R,
) where
    H: ResponseHeaders,
    R: Request<Value = H::Value> + ?Sized,
{
    // A fresh response: `append` skips the replacement `insert` prepares.
    headers.append(ResponseHeader::AllowOrigin, grant.origin.clone());
    headers.append(ResponseHeader::AllowCredentials, H::value(&TRUE));
    headers.append(ResponseHeader::AllowMethods, methods);
    if let Some(allow_headers) =
        allow_headers_value::<H, R>(&policy.allow_headers, grant.allow_headers, req)
    {
        headers.append(ResponseHeader::AllowHeaders, allow_headers);
    }
    headers.append(ResponseHeader::MaxAge, H::value(policy.max_age));
    headers.append(ResponseHeader::Vary, H::value(&PREFLIGHT_VARY));
}

/// The `Access-Control-Allow-Headers` value of a preflight's answer, if any.
#[inline]
pub(crate) fn allow_headers_value<H, R>(
    allow: &AllowHeaders,
    answer: AllowHeadersAnswer<'_, R::Value>,
    req: &R,
) -> Option<H::Value>
where
    H: ResponseHeaders,
    R: Request<Value = H::Value> + ?Sized,
{
    match (answer, allow) {
        (AllowHeadersAnswer::None, _) => None,
        (AllowHeadersAnswer::Listed, AllowHeaders::List { value, .. }) => Some(H::value(value)),
        (AllowHeadersAnswer::Echo(line), _) => Some(line.clone()),
        // Every element is a checked token, so the joined bytes form a value.
        (AllowHeadersAnswer::Listed | AllowHeadersAnswer::Join, _) => {
            H::from_bytes(&joined_request_headers(req))
        }
    }
}

/// Every requested header name joined as `a,b,c`, the value a grant
/// answering [`AllowHeadersAnswer::Join`] sends (the one case that
/// allocates: browsers send a single canonical line). Every element is a
/// checked token, so the bytes form a valid header value.
fn joined_request_headers<R: Request + ?Sized>(req: &R) -> Vec<u8> {
    let mut joined = Vec::new();
    for name in preflight::requested_headers(req) {
        if !joined.is_empty() {
            joined.push(b',');
        }
        joined.extend_from_slice(name);
    }
    joined
}

/// The headers of a `403 Forbidden`, on a fresh response: its short reason
/// is plain text, `vary` is the route's, and no `Access-Control-Allow-*`
/// header is sent, as the Fetch Standard suggests.
#[inline]
pub(crate) fn forbidden<H: ResponseHeaders>(headers: &mut H, vary: &'static StaticValue) {
    headers.append(ResponseHeader::ContentType, H::value(&TEXT_PLAIN));
    headers.append(ResponseHeader::Vary, H::value(vary));
}

/// Whether a `Vary` line lists `Origin` (any case) or `*`: a response whose
/// handler set such a line needs no `Vary: Origin` added.
pub(crate) fn vary_lists_origin(line: &[u8]) -> bool {
    list_elements(line).any(|name| name == b"*" || name.eq_ignore_ascii_case(b"origin"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{preflight::check_request_headers, refusal::Refusal, request::fake::FakeRequest};

    /// A response header map made of lines, for the rules' own tests.
    #[derive(Debug, Default)]
    struct Lines(Vec<(ResponseHeader, Vec<u8>)>);

    impl ResponseHeaders for Lines {
        type Value = Vec<u8>;

        fn value(value: &'static StaticValue) -> Vec<u8> {
            value.as_str().as_bytes().to_vec()
        }

        /// Visible ASCII, spaces and tabs, as `HeaderValue` takes them.
        fn from_bytes(bytes: &[u8]) -> Option<Vec<u8>> {
            bytes
                .iter()
                .all(|&b| b == b'\t' || (b' '..=b'~').contains(&b))
                .then(|| bytes.to_vec())
        }

        fn lines(&self) -> impl Iterator<Item = (Option<ResponseHeader>, &[u8])> {
            self.0.iter().map(|(name, value)| (Some(*name), &value[..]))
        }

        fn set_cookies(&self) -> impl Iterator<Item = &[u8]> {
            core::iter::empty()
        }

        fn append(&mut self, name: ResponseHeader, value: Vec<u8>) {
            self.0.push((name, value));
        }

        fn insert(&mut self, name: ResponseHeader, value: Vec<u8>) {
            self.remove(name);
            self.append(name, value);
        }

        fn remove(&mut self, name: ResponseHeader) {
            self.0.retain(|(line, _)| *line != name);
        }
    }

    /// A preflight with these `Access-Control-Request-Headers` lines.
    fn request_headers(lines: &[&str]) -> FakeRequest {
        lines
            .iter()
            .fold(FakeRequest::new("OPTIONS", "/"), |req, line| {
                req.header("access-control-request-headers", line)
            })
    }

    /// The `Access-Control-Allow-Headers` value sent, or the refusal.
    fn answer(allow: &AllowHeaders, req: &FakeRequest) -> Result<Option<String>, String> {
        let answer = check_request_headers(allow, req).map_err(|r| format!("{r:?}"))?;
        let value = allow_headers_value::<Lines, _>(allow, answer, req);
        Ok(value.map(|v| String::from_utf8(v).unwrap()))
    }

    static LIST_VALUE: StaticValue = StaticValue::new("content-type, x-token");
    static LIST: AllowHeaders = AllowHeaders::List {
        names: &["content-type", "x-token"],
        value: &LIST_VALUE,
    };

    #[test]
    fn listed_headers() {
        let check = |lines: &[&str]| answer(&LIST, &request_headers(lines));
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
        let echo = |lines: &[&str]| answer(&AllowHeaders::Any, &request_headers(lines)).unwrap();
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
    fn vary_lines_that_cover_origin() {
        for line in ["Origin", "origin", "accept-encoding, ORIGIN", "*", " * "] {
            assert!(vary_lists_origin(line.as_bytes()), "{line}");
        }
        for line in ["", "Origins", "Accept-Encoding", "x-origin", "**"] {
            assert!(!vary_lists_origin(line.as_bytes()), "{line}");
        }
    }
}
