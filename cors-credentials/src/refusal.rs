//! Why a request was refused, for the developer's log and the `403` body.

use crate::escape::Escaped;

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal<'a> {
    /// The cross-origin `Origin` is not in the policy.
    OriginNotAllowed(&'a [u8]),
    /// The policy's origins are given at run time and were not given yet.
    OriginsNotSet(&'a [u8]),
    /// More than one `Origin` header: no browser sends that.
    MultipleOrigins,
    /// The preflight asked for a method the route does not serve.
    MethodNotAllowed(&'a [u8]),
    /// The preflight asked for a request header the policy does not allow.
    HeaderNotAllowed(&'a [u8]),
    /// `Access-Control-Request-Headers` holds something that is not a header name.
    MalformedRequestHeaders(&'a [u8]),
    /// A cross-origin request with an unsafe method (anything but `GET`,
    /// `HEAD` and `OPTIONS`) whose `Origin` no policy trusts, refused by the
    /// app-wide [`CrossOriginGuard`](crate::CrossOriginGuard).
    CrossOriginUnsafe {
        /// The `Origin`, if the request has one.
        origin: Option<&'a [u8]>,
        /// The `Sec-Fetch-Site` value, if the request has one.
        site: Option<&'a [u8]>,
    },
    /// `Access-Control-Request-Headers` is longer than the limit
    /// ([`MAX_REQUEST_HEADERS_LEN`](crate::MAX_REQUEST_HEADERS_LEN)).
    RequestHeadersTooLarge {
        /// The length of all its lines together.
        len: usize,
        /// The limit it exceeds.
        limit: usize,
    },
}

impl Refusal<'_> {
    /// The short plain-text body of the `403` response.
    pub fn body(&self) -> &'static str {
        match self {
            Refusal::OriginNotAllowed(_) => "CORS request refused: origin not allowed\n",
            Refusal::OriginsNotSet(_) => "CORS request refused: origins not set yet\n",
            Refusal::MultipleOrigins => "CORS request refused: more than one Origin header\n",
            Refusal::MethodNotAllowed(_) => "CORS preflight refused: method not allowed\n",
            Refusal::HeaderNotAllowed(_) => "CORS preflight refused: request header not allowed\n",
            Refusal::MalformedRequestHeaders(_) => {
                "CORS preflight refused: malformed Access-Control-Request-Headers\n"
            }
            Refusal::RequestHeadersTooLarge { .. } => {
                "CORS preflight refused: Access-Control-Request-Headers too large\n"
            }
            Refusal::CrossOriginUnsafe { .. } => {
                "cross-origin request refused: origin not trusted\n"
            }
        }
    }

    /// Writes a `log` debug record explaining the refusal. Every value taken
    /// from the request is escaped.
    pub fn log(&self, what: &str, method: &str, path: &str) {
        let path = Escaped(path.as_bytes());
        match *self {
            Refusal::OriginNotAllowed(origin) => log::debug!(
                "cors-credentials: refused {what} {method} {path}: origin {} is not in the allowed origins",
                Escaped(origin)
            ),
            Refusal::OriginsNotSet(origin) => log::debug!(
                "cors-credentials: refused {what} {method} {path}: origin {} is refused until the policy's origins are set (`Policy::set_origins`)",
                Escaped(origin)
            ),
            Refusal::MultipleOrigins => log::debug!(
                "cors-credentials: refused {what} {method} {path}: the request has more than one Origin header"
            ),
            Refusal::MethodNotAllowed(requested) => log::debug!(
                "cors-credentials: refused {what} {method} {path}: Access-Control-Request-Method {} is not served by this handler",
                Escaped(requested)
            ),
            Refusal::HeaderNotAllowed(name) => log::debug!(
                "cors-credentials: refused {what} {method} {path}: request header {} is not in the allowed headers",
                Escaped(name)
            ),
            Refusal::MalformedRequestHeaders(element) => log::debug!(
                "cors-credentials: refused {what} {method} {path}: {} in Access-Control-Request-Headers is not a header name",
                Escaped(element)
            ),
            Refusal::RequestHeadersTooLarge { len, limit } => log::debug!(
                "cors-credentials: refused {what} {method} {path}: Access-Control-Request-Headers has {len} bytes, more than {limit}"
            ),
            Refusal::CrossOriginUnsafe {
                origin: Some(origin),
                ..
            } => log::debug!(
                "cors-credentials: refused {what} {method} {path}: origin {} is cross-origin and no policy trusts it",
                Escaped(origin)
            ),
            Refusal::CrossOriginUnsafe { origin: None, site } => log::debug!(
                "cors-credentials: refused {what} {method} {path}: Sec-Fetch-Site is {} and the request has no Origin",
                Escaped(site.unwrap_or_default())
            ),
        }
    }
}
