// The actix-web adapter: a `Request` view of actix-web's request head, the
// responses built from the decisions, the middleware and the preflight route.
// Everything here is glue; the decisions live outside this module. Its
// documentation is `docs/actix.md`; only the middleware and the guard are
// public, the rest is `pub(crate)` or reached through `__private` (generated
// code) and `test_hooks`.

mod guard;
pub(crate) mod head;
pub(crate) mod middleware;
pub(crate) mod preflight_route;

use actix_web::{
    http::{header::HeaderValue, StatusCode},
    HttpResponse,
};

#[doc = include_str!("../../docs/guard.md")]
pub use guard::CrossOriginGuard;
pub use guard::{CrossOriginGuardFuture, CrossOriginGuardService};
pub(crate) use head::RequestView;
pub use middleware::{Cors, CorsFuture, CorsService};

use crate::{
    policy::{Methods, Policy},
    preflight::{self, Preflight},
    refusal::{Check, Refusal, Refused},
    request,
    response::{self, PREFLIGHT_VARY},
    tenant::{TenantKey, TenantSource},
    value::StaticValue,
};

/// The tenant a request addresses under `policy`, if it is per-tenant: its
/// host, or the `{segment}` actix-web matched in the route's path
/// (`match_info`). `None` for other policies, which ignore it.
#[inline]
pub(crate) fn tenant<'a>(
    policy: &Policy,
    head: &'a RequestView<'a>,
    match_info: &'a actix_web::dev::Path<actix_web::dev::Url>,
) -> Option<TenantKey<'a>> {
    let source = policy.tenant_source()?;
    let segment = match source {
        TenantSource::Path(name) => match_info.get(name).map(str::as_bytes),
        TenantSource::Host => None,
    };
    request::tenant_key(head, source, segment)
}

/// [`respond_preflight`](preflight_route::respond_preflight) for a preflight
/// already read, addressing `tenant`.
pub(crate) fn answer_preflight<'a>(
    policy: &Policy,
    methods: &Methods,
    head: &'a RequestView<'a>,
    preflight: Preflight<'a, HeaderValue>,
    tenant: Option<TenantKey<'a>>,
) -> HttpResponse {
    let grant = match preflight::decide(policy, methods, head, preflight, tenant) {
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

/// The tenant whose origins admitted the request; refused with `403` when
/// there is none (a same-origin request, one without `Origin`, one the route
/// let through under `on_disallowed = "pass"`, or a route whose policy is not
/// per-tenant): take `Option<Tenant>` to serve those too.
///
/// The route's middleware stores nothing per request: the extractor finds
/// the route's per-tenant policy where the app-wide guard does (the
/// preflight route `#[cors_credentials]` registers ahead of the handler,
/// and every annotated handler of that path, as written, and method) and
/// asks it again. Where one written path and method is served under several
/// per-tenant policies in one binary (two scopes, or two apps in one
/// process), the tenant is that of the policy that admits the origin; if
/// two admit it for different tenants (one by path, one by host), none.
impl actix_web::FromRequest for crate::Tenant {
    type Error = actix_web::Error;
    type Future = core::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        core::future::ready(admitted_tenant(req).ok_or_else(|| {
            actix_web::error::ErrorForbidden("no tenant admitted this request's origin\n")
        }))
    }
}

/// The tenant [`crate::Tenant`]'s extractor finds for `req`.
fn admitted_tenant(req: &actix_web::HttpRequest) -> Option<crate::Tenant> {
    let name = req.resource_map().match_name(req.path())?;
    let mut admitted: Option<crate::Tenant> = None;
    for policy in crate::guard::annotated_routes(name, req.method().as_str()) {
        let Some(tenant) = policy.admitted_tenant(req) else {
            continue;
        };
        match &admitted {
            Some(earlier) if *earlier != tenant => return None,
            _ => admitted = Some(tenant),
        }
    }
    admitted
}

impl Policy {
    /// The tenant of this per-tenant policy (`origins: per_tenant`) whose
    /// origins admit `req`'s `Origin`, for the tenant `req` addresses (the
    /// `{segment}` actix-web matched, or the host): what the
    /// [`Tenant`](crate::Tenant) extractor answers on a routed handler, for
    /// a handler registered by hand, which has no preflight route for the
    /// extractor to find its policy by. `None` for a request without one
    /// `Origin`, an origin the tenant does not allow, or a policy that is
    /// not per-tenant.
    #[cfg_attr(docsrs, doc(cfg(feature = "actix")))]
    pub fn admitted_tenant(&self, req: &actix_web::HttpRequest) -> Option<crate::Tenant> {
        let head = RequestView::new(req.head(), req.app_config().secure());
        let request::OriginHeader::One(origin) = request::origin(&head) else {
            return None;
        };
        self.origins
            .admitting(tenant(self, &head, req.match_info()), origin.as_bytes())
            .map(crate::Tenant::new)
    }
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
    use actix_web::http::header::{self, HeaderMap};

    static ORIGIN: HeaderValue = HeaderValue::from_static("https://app.example.com");

    fn policy() -> Policy {
        static MAX_AGE: StaticValue = StaticValue::new("7200");
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
