//! What the decisions read of a request, whatever the framework.
//!
//! A framework adapter implements [`Request`] over its own request type; the
//! decisions (actual requests, preflights, same-origin) are generic over it,
//! so they compile to the same code as if written against that type, and
//! never allocate.

#[cfg(any(test, feature = "test-hooks"))]
pub(crate) mod fake;

use crate::tenant::{host_key, TenantKey, TenantSource};

/// The request headers the decisions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestHeader {
    /// `Origin`.
    Origin,
    /// `Sec-Fetch-Site`, which browsers send and pages cannot forge.
    SecFetchSite,
    /// `X-Forwarded-Proto`, set by a TLS-terminating proxy.
    XForwardedProto,
    /// `Forwarded` (RFC 7239), whose `proto` a TLS-terminating proxy sets.
    Forwarded,
    /// `Access-Control-Request-Method`.
    AccessControlRequestMethod,
    /// `Access-Control-Request-Headers`.
    AccessControlRequestHeaders,
}

/// A request, as the decisions see it.
pub trait Request {
    /// The framework's header value. Decisions hand references to it back
    /// (an allowed `Origin`, a requested header list), so the adapter can
    /// echo the request's own value without copying it.
    type Value: AsRef<[u8]> + ?Sized;

    /// The method, e.g. `GET`.
    fn method(&self) -> &str;

    /// The path, for log records.
    fn path(&self) -> &str;

    /// The authority the request was sent to: HTTP/2's `:authority`, else `Host`.
    fn authority(&self) -> Option<&[u8]>;

    /// Whether the connection is TLS.
    fn is_tls(&self) -> bool;

    /// Every line of the header `name`, in order.
    fn header(&self, name: RequestHeader) -> impl Iterator<Item = &Self::Value>;
}

/// The request's `Origin` header lines.
#[derive(Debug)]
pub(crate) enum OriginHeader<'a, V: ?Sized> {
    /// No `Origin`: not a CORS request.
    Absent,
    /// Exactly one.
    One(&'a V),
    /// More than one: no browser sends that.
    Many,
}

/// Reads the request's `Origin`.
pub(crate) fn origin<R: Request + ?Sized>(req: &R) -> OriginHeader<'_, R::Value> {
    let mut lines = req.header(RequestHeader::Origin);
    match (lines.next(), lines.next()) {
        (None, _) => OriginHeader::Absent,
        (Some(origin), None) => OriginHeader::One(origin),
        (Some(_), Some(_)) => OriginHeader::Many,
    }
}

/// The tenant a request addresses under a per-tenant policy whose tenants
/// are named by `source`: the request's host for `tenant: host`, else the
/// route's `{segment}` the adapter read (`segment`). `None` when the request
/// names none: its cross-origin requests are refused.
#[inline]
pub(crate) fn tenant_key<'a, R: Request + ?Sized>(
    req: &'a R,
    source: TenantSource,
    segment: Option<&'a [u8]>,
) -> Option<TenantKey<'a>> {
    match source {
        TenantSource::Host => host_key(req.authority()),
        TenantSource::Path(_) => segment.map(TenantKey::Exact),
    }
}
