//! Why a request was refused, for the developer's log and the `403` body.

use core::fmt;

use crate::escape::Escaped;

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal<'a> {
    /// The cross-origin `Origin` is not in the policy.
    OriginNotAllowed(&'a [u8]),
    /// The policy's origins are given at run time and were not given yet.
    OriginsNotSet(&'a [u8]),
    /// The origin belongs to another tenant than the one the request
    /// addresses (`origins: per_tenant`).
    OriginOfAnotherTenant(&'a [u8]),
    /// The request addresses no tenant, or one whose origins were not set
    /// (`origins: per_tenant`).
    TenantNotSet(&'a [u8]),
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

impl<'a> Refusal<'a> {
    /// The short plain-text body of the `403` response.
    pub fn body(&self) -> &'static str {
        match self {
            // Another tenant's origin gets the words of any origin not
            // allowed, and a tenant not set those of an origin not set: the
            // body tells no client which origins other tenants have.
            Refusal::OriginNotAllowed(_) | Refusal::OriginOfAnotherTenant(_) => {
                "CORS request refused: origin not allowed\n"
            }
            Refusal::TenantNotSet(_) => "CORS request refused: origins not set yet\n",
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

    /// Why, as a stable label: what [`Refused::reason`] returns.
    pub fn reason(&self) -> Reason {
        match self {
            Refusal::OriginNotAllowed(_) => Reason::OriginNotAllowed,
            Refusal::OriginsNotSet(_) | Refusal::TenantNotSet(_) => Reason::OriginsNotSet,
            Refusal::OriginOfAnotherTenant(_) => Reason::OriginOfAnotherTenant,
            Refusal::MultipleOrigins => Reason::MultipleOrigins,
            Refusal::MethodNotAllowed(_) => Reason::MethodNotAllowed,
            Refusal::HeaderNotAllowed(_) => Reason::HeaderNotAllowed,
            Refusal::MalformedRequestHeaders(_) => Reason::MalformedRequestHeaders,
            Refusal::RequestHeadersTooLarge { .. } => Reason::RequestHeadersTooLarge,
            Refusal::CrossOriginUnsafe { .. } => Reason::CrossOriginUnsafe,
        }
    }

    /// What was wrong, for a log record: every value taken from the request
    /// is escaped.
    pub fn detail(&self) -> Detail<'_, 'a> {
        Detail(self)
    }
}

/// [`Refusal::detail`].
#[derive(Debug)]
pub struct Detail<'r, 'a>(&'r Refusal<'a>);

impl fmt::Display for Detail<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self.0 {
            Refusal::OriginNotAllowed(origin) => write!(
                f,
                "origin {} is not in the allowed origins",
                Escaped(origin)
            ),
            Refusal::OriginsNotSet(origin) => write!(
                f,
                "origin {} is refused until the policy's origins are set (`Policy::set_origins`)",
                Escaped(origin)
            ),
            Refusal::OriginOfAnotherTenant(origin) => write!(
                f,
                "origin {} belongs to another tenant than the one the request addresses",
                Escaped(origin)
            ),
            Refusal::TenantNotSet(origin) => write!(
                f,
                "origin {} is refused until the origins of the tenant the request addresses are set (`Policy::set_tenant_origins`)",
                Escaped(origin)
            ),
            Refusal::MultipleOrigins => f.write_str("the request has more than one Origin header"),
            Refusal::MethodNotAllowed(requested) => write!(
                f,
                "Access-Control-Request-Method {} is not served by this handler",
                Escaped(requested)
            ),
            Refusal::HeaderNotAllowed(name) => write!(
                f,
                "request header {} is not in the allowed headers",
                Escaped(name)
            ),
            Refusal::MalformedRequestHeaders(element) => write!(
                f,
                "{} in Access-Control-Request-Headers is not a header name",
                Escaped(element)
            ),
            Refusal::RequestHeadersTooLarge { len, limit } => write!(
                f,
                "Access-Control-Request-Headers has {len} bytes, more than {limit}"
            ),
            Refusal::CrossOriginUnsafe {
                origin: Some(origin),
                ..
            } => write!(
                f,
                "origin {} is cross-origin and no policy trusts it",
                Escaped(origin)
            ),
            Refusal::CrossOriginUnsafe { origin: None, site } => write!(
                f,
                "Sec-Fetch-Site is {} and the request has no Origin",
                Escaped(site.unwrap_or_default())
            ),
        }
    }
}

/// Why a response was refused, as a label with few values: what to count
/// refusals by. The labels are stable; the table of them is in the crate's
/// documentation, under "Refusals".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Reason {
    /// `origin_not_allowed`: the cross-origin `Origin` is not in the policy.
    OriginNotAllowed,
    /// `origins_not_set`: the policy's origins are given at run time
    /// ([`Policy::set_origins`](crate::Policy::set_origins)) and were not
    /// given yet; for a per-tenant policy, the request addresses no tenant or
    /// one not set ([`Policy::set_tenant_origins`](crate::Policy::set_tenant_origins)).
    OriginsNotSet,
    /// `multiple_origins`: more than one `Origin` header.
    MultipleOrigins,
    /// `method_not_allowed`: the preflight asked for a method the route does
    /// not serve.
    MethodNotAllowed,
    /// `header_not_allowed`: the preflight asked for a request header the
    /// policy does not allow.
    HeaderNotAllowed,
    /// `malformed_request_headers`: `Access-Control-Request-Headers` holds
    /// something that is not a header name.
    MalformedRequestHeaders,
    /// `request_headers_too_large`: `Access-Control-Request-Headers` is
    /// longer than [`MAX_REQUEST_HEADERS_LEN`](crate::MAX_REQUEST_HEADERS_LEN).
    RequestHeadersTooLarge,
    /// `cross_origin_unsafe`: the [`CrossOriginGuard`](crate::CrossOriginGuard)
    /// refused a cross-origin request with an unsafe method.
    CrossOriginUnsafe,
    /// `origin_of_another_tenant`: under `origins: per_tenant`, the origin
    /// is another tenant's, not the one the request addresses. The `403`
    /// body is that of `origin_not_allowed`, so only the server's logs and
    /// metrics tell the two apart.
    OriginOfAnotherTenant,
}

impl Reason {
    /// Every reason, in the order of the documented table.
    pub const ALL: [Reason; 9] = [
        Reason::OriginNotAllowed,
        Reason::OriginsNotSet,
        Reason::MultipleOrigins,
        Reason::MethodNotAllowed,
        Reason::HeaderNotAllowed,
        Reason::MalformedRequestHeaders,
        Reason::RequestHeadersTooLarge,
        Reason::CrossOriginUnsafe,
        Reason::OriginOfAnotherTenant,
    ];

    /// The stable label: lowercase ASCII words joined by `_`, for a metric's
    /// label or a log field.
    pub const fn as_str(self) -> &'static str {
        match self {
            Reason::OriginNotAllowed => "origin_not_allowed",
            Reason::OriginsNotSet => "origins_not_set",
            Reason::MultipleOrigins => "multiple_origins",
            Reason::MethodNotAllowed => "method_not_allowed",
            Reason::HeaderNotAllowed => "header_not_allowed",
            Reason::MalformedRequestHeaders => "malformed_request_headers",
            Reason::RequestHeadersTooLarge => "request_headers_too_large",
            Reason::CrossOriginUnsafe => "cross_origin_unsafe",
            Reason::OriginOfAnotherTenant => "origin_of_another_tenant",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which check refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Check {
    /// `request`: a route's check of an actual (non-preflight) request.
    Request,
    /// `preflight`: a route's answer to a preflight.
    Preflight,
    /// `guard`: the app-wide [`CrossOriginGuard`](crate::CrossOriginGuard).
    Guard,
}

impl Check {
    /// The stable label: `request`, `preflight` or `guard`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Check::Request => "request",
            Check::Preflight => "preflight",
            Check::Guard => "guard",
        }
    }

    /// What a log record says was refused.
    pub(crate) const fn what(self) -> &'static str {
        match self {
            Check::Request => "request",
            Check::Preflight => "preflight",
            Check::Guard => "cross-origin request",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// In the extensions of every response this crate refuses (`403`), so an
/// outer middleware can count refusals by route and reason without reading
/// bodies or logs:
///
/// ```
/// # use actix_web::{dev::ServiceResponse, body::MessageBody};
/// fn reason<B: MessageBody>(res: &ServiceResponse<B>) -> Option<&'static str> {
///     let refused = *res.response().extensions().get::<cors_credentials::Refused>()?;
///     Some(refused.reason().as_str())
/// }
/// ```
///
/// A response of a handler that ran carries none, including one under
/// `on_disallowed = "pass"` (its refusal is still logged), except behind a
/// guard in report-only mode: a request that guard would have refused runs,
/// and its response carries a `Refused` whose [`enforced`](Self::enforced)
/// is `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Refused {
    reason: Reason,
    check: Check,
    enforced: bool,
}

impl Refused {
    pub(crate) fn new(refusal: &Refusal<'_>, check: Check) -> Self {
        Refused {
            reason: refusal.reason(),
            check,
            enforced: true,
        }
    }

    /// The same refusal, reported but not enforced: the request was served.
    pub(crate) fn reported(self) -> Self {
        Refused {
            enforced: false,
            ..self
        }
    }

    /// Whether the request was refused (`true`), or only would have been by
    /// a guard in report-only mode, which served it (`false`).
    pub fn enforced(&self) -> bool {
        self.enforced
    }

    /// Why the request was refused.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// Which check refused it.
    pub fn check(&self) -> Check {
        self.check
    }
}
