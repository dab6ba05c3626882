//! [`CorsLayer`]: one route's credentialed CORS, as a tower layer.

use core::{
    fmt,
    future::Future,
    pin::Pin,
    task::{ready, Context, Poll},
};
use std::sync::Arc;

use http::{header::HeaderValue, Method, Request, Response};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use super::{
    forbidden, respond_preflight,
    tenant::{needs_tenant_from, tenant_of},
    RequestView, RouteMethods, TenantFrom,
};
use crate::{
    actual::{decide_in, Decision},
    diagnostics::{self, CookieCheck},
    policy::{self, Policy},
    preflight,
    refusal::Check,
    response::{decorate, VARY_ORIGIN},
};

/// Credentialed CORS for one route of an axum (or any tower) application:
/// the behaviour of `#[cors_credentials]`, rule for rule, for a policy
/// declared with [`policy!`](crate::policy!).
///
/// ```
/// use axum::{routing::get, Router};
/// use cors_credentials::{policy, tower::CorsLayer};
/// use http::Method;
///
/// policy! {
///     API = { origins: ["https://app.example.com"] };
/// }
///
/// async fn me() -> &'static str { "me" }
/// async fn save() -> &'static str { "saved" }
///
/// let app: Router = Router::new().route(
///     "/api/me",
///     get(me)
///         .put(save)
///         .layer(CorsLayer::new(&API, [Method::GET, Method::PUT])),
/// );
/// ```
///
/// Apply it with `.layer` to the route's `MethodRouter`, so that it sees
/// the route's preflights (`OPTIONS`, which the `MethodRouter` would answer
/// `405`): see [where to put it](crate::tower#where-to-put-the-layer).
///
/// `methods` are the methods the route serves, which its preflights may ask
/// for; an empty list is a compile error. Building the layer loads the
/// policy (an `origins: env(..)` list, whose bad value panics here, at
/// startup). A [`CrossOriginGuardLayer`](super::CrossOriginGuardLayer)
/// does not trust its origins: see
/// [who the guard trusts](super::CrossOriginGuardLayer).
///
/// A preflight asking for `HEAD` is answered as one for `GET` when `GET` is
/// listed, as axum's `get()` serves `HEAD`.
///
/// Per request it borrows `'static` data and the layer's method list (one
/// reference count when axum clones the route): no allocation.
#[derive(Debug, Clone)]
pub struct CorsLayer {
    policy: &'static Policy,
    methods: Arc<RouteMethods>,
    tenant: Option<TenantFrom>,
}

impl CorsLayer {
    /// The layer of a route serving `methods` under `policy`.
    pub fn new<const N: usize>(policy: &'static Policy, methods: [Method; N]) -> Self {
        const {
            assert!(
                N > 0,
                "a `CorsLayer` answers preflights for the route's methods: list at least one, e.g. `[Method::GET]`"
            )
        };
        policy::load_or_panic(policy);
        CorsLayer {
            policy,
            methods: Arc::new(RouteMethods::new(&methods)),
            tenant: None,
        }
    }

    /// Under a per-tenant policy (`origins: per_tenant`), what names the
    /// tenant a request addresses: a path segment, the host, or a function
    /// of the request's URI and headers (see [`TenantFrom`]). Needed for a
    /// policy declared with `tenant: path(..)`, whose `{segment}` a tower
    /// layer cannot find by name: applying the layer without it panics, at
    /// startup. A `tenant: host` policy reads the host without it. Ignored
    /// by other policies.
    pub fn tenant(mut self, from: TenantFrom) -> Self {
        self.tenant = Some(from);
        self
    }
}

impl<S> Layer<S> for CorsLayer {
    type Service = CorsService<S>;

    fn layer(&self, inner: S) -> CorsService<S> {
        if let Some(name) = needs_tenant_from(self.policy, self.tenant) {
            panic!(
                "this `CorsLayer`'s policy is per tenant with `tenant: path(\"{name}\")`, and a tower layer cannot find the `{{{name}}}` segment by name: say which segment it is, e.g. `CorsLayer::new(&POLICY, [..]).tenant(TenantFrom::segment(2))` for `/t/{{{name}}}/..`"
            );
        }
        CorsService {
            inner,
            policy: self.policy,
            methods: Arc::clone(&self.methods),
            tenant: self.tenant,
        }
    }
}

/// The service [`CorsLayer`] wraps around a route.
#[derive(Debug, Clone)]
pub struct CorsService<S> {
    inner: S,
    policy: &'static Policy,
    methods: Arc<RouteMethods>,
    tenant: Option<TenantFrom>,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for CorsService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: From<&'static str>,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = CorsFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<ReqBody>) -> Self::Future {
        let policy = self.policy;
        let view = RequestView::new(&req);
        let tenant = tenant_of(policy, self.tenant, &req, &view);
        if let Some(preflight) = preflight::requested(&view) {
            let res = respond_preflight(policy, &self.methods, &view, preflight, tenant);
            return CorsFuture::done(res);
        }
        let (allowed, cookies) = match decide_in(policy, &view, tenant) {
            Decision::Allow(origin) => (
                Some(origin.clone()),
                diagnostics::cookie_check(&view, origin.as_bytes()),
            ),
            Decision::NoCors => (None, None),
            Decision::Reject(refusal) => {
                return CorsFuture::done(forbidden(&refusal, Check::Request, &VARY_ORIGIN));
            }
        };
        // Only under a per-tenant policy, for handlers that read the tenant:
        // the one allocation such a request costs in this adapter.
        if let Some(origin) = &allowed {
            if let Some(key) = policy.origins.admitting(tenant, origin.as_bytes()) {
                req.extensions_mut().insert(crate::Tenant::new(key));
            }
        }
        CorsFuture {
            state: State::Call {
                fut: self.inner.call(req),
                policy,
                allowed,
                cookies,
            },
        }
    }
}

pin_project! {
    /// The response future of [`CorsService`]: the route's own future, or a
    /// response this crate answered without running the route.
    pub struct CorsFuture<F, B> {
        #[pin]
        state: State<F, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F, B> {
        // The route runs; its response gets the CORS headers.
        Call {
            #[pin]
            fut: F,
            policy: &'static Policy,
            allowed: Option<HeaderValue>,
            // Whether the response's cookies are checked: `None` unless
            // the cookie diagnostics are on and the origin is cross-site.
            cookies: Option<CookieCheck>,
        },
        // A preflight answer or a refusal, taken when polled.
        Done { res: Option<Response<B>> },
    }
}

// The state's name only: the inner future need not be `Debug`.
impl<F, B> fmt::Debug for CorsFuture<F, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Call { .. } => "call",
            State::Done { .. } => "done",
        };
        f.debug_struct("CorsFuture").field("state", &state).finish()
    }
}

impl<F, B> CorsFuture<F, B> {
    fn done(res: Response<B>) -> Self {
        CorsFuture {
            state: State::Done { res: Some(res) },
        }
    }
}

impl<F, B, E> Future for CorsFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Call {
                fut,
                policy,
                allowed,
                cookies,
            } => {
                // Every response of the route, its errors (`4xx`, `5xx`,
                // axum's rejections and `405`) included, gets the headers;
                // an error of the service itself has no response to carry them.
                let mut res = ready!(fut.poll(cx))?;
                if let (Some(check), Some(origin)) = (*cookies, allowed.as_ref()) {
                    diagnostics::check_response(check, origin.as_bytes(), res.headers());
                }
                decorate(policy, allowed.take(), res.headers_mut());
                Poll::Ready(Ok(res))
            }
            StateProj::Done { res } => {
                Poll::Ready(Ok(res.take().expect("CorsFuture polled after completion")))
            }
        }
    }
}
