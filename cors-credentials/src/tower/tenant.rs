//! [`TenantFrom`]: what tells a [`CorsLayer`](super::CorsLayer) the tenant a
//! request addresses, under a per-tenant policy.

use core::fmt;

use http::{HeaderMap, Uri};

use crate::{
    policy::Policy,
    request::{self, Request},
    tenant::{host_key, TenantKey, TenantSource},
};

/// A function naming the tenant of a request from its URI and headers.
pub type TenantFn = for<'a> fn(&'a Uri, &'a HeaderMap) -> Option<&'a str>;

/// What names the tenant a request addresses, for a [`CorsLayer`](super::CorsLayer) under a
/// policy declared with `origins: per_tenant`
/// ([`CorsLayer::tenant`](super::CorsLayer::tenant)).
///
/// A tower layer does not know the route's path pattern, so a policy
/// declared with `tenant: path("name")` needs one of these; one declared
/// with `tenant: host` reads the host without it. A request whose tenant
/// cannot be read (no such segment, no host, the function returns `None`)
/// addresses no tenant, and its cross-origin requests are refused.
#[derive(Clone, Copy)]
pub struct TenantFrom(Source);

#[derive(Clone, Copy)]
enum Source {
    Segment(usize),
    Host,
    Function(TenantFn),
}

impl fmt::Debug for TenantFrom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Source::Segment(n) => write!(f, "TenantFrom::segment({n})"),
            Source::Host => f.write_str("TenantFrom::host()"),
            Source::Function(_) => f.write_str("TenantFrom::function(..)"),
        }
    }
}

impl TenantFrom {
    /// The `n`-th segment of the request's path, counted from 1:
    /// `segment(2)` of `/realms/acme/me` is `acme`. Compared byte for byte
    /// as the request sends it (percent-encoded bytes are not decoded, and
    /// no tenant key holds `%`); an empty segment names no tenant. Panics
    /// for `0`.
    pub const fn segment(n: usize) -> Self {
        assert!(
            n > 0,
            "path segments are counted from 1: `TenantFrom::segment(1)` is the first"
        );
        TenantFrom(Source::Segment(n))
    }

    /// The request's host (`:authority`, else `Host`), lower-cased, without
    /// `:80` or `:443`: what a `tenant: host` policy reads by default.
    pub const fn host() -> Self {
        TenantFrom(Source::Host)
    }

    /// What `f` reads from the request's URI and headers, e.g. a header set
    /// by a gateway the application trusts. Compared byte for byte with the
    /// tenants' keys.
    pub const fn function(f: TenantFn) -> Self {
        TenantFrom(Source::Function(f))
    }

    /// The tenant `req` addresses.
    pub(crate) fn key<'a, B>(
        &self,
        req: &'a http::Request<B>,
        view: &'a super::RequestView<'a, B>,
    ) -> Option<TenantKey<'a>> {
        match self.0 {
            Source::Segment(n) => segment(req.uri().path(), n).map(TenantKey::Exact),
            Source::Host => host_key(view.authority()),
            Source::Function(f) => f(req.uri(), req.headers())
                .filter(|key| !key.is_empty())
                .map(|key| TenantKey::Exact(key.as_bytes())),
        }
    }
}

/// The `n`-th segment of `path` (from 1), if there is one and it is not empty.
fn segment(path: &str, n: usize) -> Option<&[u8]> {
    path.strip_prefix('/')
        .unwrap_or(path)
        .split('/')
        .nth(n - 1)
        .filter(|segment| !segment.is_empty())
        .map(str::as_bytes)
}

/// The tenant a request addresses under `policy`: `None` for a policy that
/// is not per-tenant, which ignores it.
#[inline]
pub(crate) fn tenant_of<'a, B>(
    policy: &Policy,
    from: Option<TenantFrom>,
    req: &'a http::Request<B>,
    view: &'a super::RequestView<'a, B>,
) -> Option<TenantKey<'a>> {
    let source = policy.tenant_source()?;
    match from {
        Some(from) => from.key(req, view),
        None => request::tenant_key(view, source, None),
    }
}

/// Whether a layer under `policy` can tell the tenant of a request: a
/// `tenant: path(..)` policy needs a [`TenantFrom`].
pub(crate) fn needs_tenant_from(policy: &Policy, from: Option<TenantFrom>) -> Option<&'static str> {
    match (policy.tenant_source(), from) {
        (Some(TenantSource::Path(name)), None) => Some(name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_counted_from_one() {
        assert_eq!(segment("/realms/acme/me", 1), Some(&b"realms"[..]));
        assert_eq!(segment("/realms/acme/me", 2), Some(&b"acme"[..]));
        assert_eq!(segment("/realms/acme/me", 4), None);
        assert_eq!(segment("/realms//me", 2), None);
        assert_eq!(segment("/", 1), None);
    }
}
