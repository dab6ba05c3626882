//! [`CrossOriginGuardLayer`]: the app-wide guard, as a tower layer.

use core::{
    fmt,
    future::Future,
    pin::Pin,
    task::{ready, Context, Poll},
};

use http::{Request, Response};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use super::{forbidden, RequestView};
use crate::{
    guard::{self, GuardConfig},
    policy::{self, Policy},
    refusal::{Check, Refusal, Refused},
    response::VARY_ORIGIN,
};

/// Protects every route of an axum `Router` (or any tower service), with a
/// [`CorsLayer`](super::CorsLayer) or without, from cross-origin requests
/// that change state: `Router::new().route(..).layer(CrossOriginGuardLayer::new())`.
///
/// **Who is trusted for what.** No origin may change state through the
/// routes this guard wraps, except those of the policies given to
/// [`trust`](Self::trust), on every route. A tower layer cannot see which
/// route a request is for (axum's routes are type-erased), so unlike the
/// actix-web guard this one does not know a route's `CorsLayer`: a route
/// whose own policy should admit cross-origin writes is added to the router
/// *after* `.layer(CrossOriginGuardLayer::new())` (axum's `Router::layer`
/// wraps only the routes added before it), where its `CorsLayer` decides
/// alone, exactly as without the guard. Put only routes whose policy refuses
/// (not `on_disallowed = "pass"`) there.
///
/// The rules and the refusal are those of the actix-web
/// [`CrossOriginGuard`](https://docs.rs/cors-credentials/latest/cors_credentials/struct.CrossOriginGuard.html):
/// safe methods, `Sec-Fetch-Site: same-origin` or `none`, and, without
/// `Sec-Fetch-Site`, requests without `Origin` and same-origin requests pass,
/// and so do trusted origins and exempt paths; everything else gets `403
/// Forbidden` with a short reason (or [`refuse_with`](Self::refuse_with)'s
/// response), `Vary: Origin` and a [`Refused`](crate::Refused) whose reason
/// is `cross_origin_unsafe` (or `multiple_origins`), and the route does not
/// run. In [`report_only`](Self::report_only) mode it runs, and the
/// response carries the `Refused`, with `enforced() == false`.
///
/// ```
/// use axum::{routing::{get, post}, Router};
/// use cors_credentials::{policy, tower::{CorsLayer, CrossOriginGuardLayer}};
/// use http::Method;
///
/// policy! {
///     API = { origins: ["https://app.example.com"] };
///     IDP = { origins: ["https://login.example.com"] };
/// }
///
/// async fn me() -> &'static str { "me" }
/// async fn save() -> &'static str { "saved" }
/// async fn close() -> &'static str { "closed" }
///
/// let app: Router = Router::new()
///     .route("/api/me", get(me).layer(CorsLayer::new(&API, [Method::GET])))
///     // Not annotated: cross-origin form posts are refused.
///     .route("/account/close", post(close))
///     .layer(CrossOriginGuardLayer::new().trust(&IDP).exempt(&["/hooks/*"]))
///     // After the guard: `API`'s origins may `PUT` here, and only here.
///     .route("/api/profile", axum::routing::put(save).layer(CorsLayer::new(&API, [Method::PUT])));
/// ```
///
/// Per request it reads `'static` data: no allocation.
#[derive(Debug, Clone, Copy, Default)]
pub struct CrossOriginGuardLayer {
    config: GuardConfig,
    refuse: Option<fn(&Refused) -> Response<&'static str>>,
}

impl CrossOriginGuardLayer {
    /// A guard trusting no origin app-wide.
    pub const fn new() -> Self {
        CrossOriginGuardLayer {
            config: GuardConfig::new(),
            refuse: None,
        }
    }

    /// Trusts this policy's origins on every route it wraps, for every
    /// method, e.g. an identity provider that posts a form back
    /// (`response_mode=form_post`). Its dynamic sets and its `dev_origins`
    /// (in builds with `debug_assertions`) are trusted too: nothing else's
    /// are. Call it once per policy, for at most
    /// [`MAX_TRUSTED_POLICIES`](crate::MAX_TRUSTED_POLICIES). A per-tenant
    /// policy (`origins: per_tenant`) cannot be trusted: it panics, at
    /// compile time in a `const`, as a 17th policy does.
    pub const fn trust(self, policy: &'static Policy) -> Self {
        CrossOriginGuardLayer {
            config: self.config.trust(policy),
            ..self
        }
    }

    /// Leaves these paths alone: exact paths (`/oauth/callback`) or prefixes
    /// of whole segments (`/hooks/*`). A path with a `.` or `..` segment
    /// (raw or percent-encoded), an encoded `/` or `\\`, or an empty segment
    /// is never exempt. In a `const`, a path the guard could not match is a
    /// compile error.
    pub const fn exempt(self, paths: &'static [&'static str]) -> Self {
        CrossOriginGuardLayer {
            config: self.config.exempt(paths),
            ..self
        }
    }

    /// Serves every request, and reports those it would refuse: the same
    /// log record or `tracing` event, and the same [`Refused`] in the
    /// response's extensions, with [`Refused::enforced`] `false`.
    pub const fn report_only(self) -> Self {
        CrossOriginGuardLayer {
            config: self.config.report_only(),
            ..self
        }
    }

    /// Declares that the application is served over https, for a server
    /// that terminates TLS itself (axum-server with rustls: the request's
    /// URI has no scheme, so it looks like `http`): a request's own origin
    /// is then its `https` one. It lets no other origin in: it only lets
    /// same-origin requests of browsers without `Sec-Fetch-Site` be
    /// recognised.
    pub const fn https(self) -> Self {
        CrossOriginGuardLayer {
            config: self.config.https(),
            ..self
        }
    }

    /// Answers refused requests with `refuse(&refused)` instead of the
    /// plain-text `403` (its body converted with `From<&'static str>`); the
    /// response gets the [`Refused`] in its extensions and `Vary: Origin`
    /// all the same.
    pub const fn refuse_with(self, refuse: fn(&Refused) -> Response<&'static str>) -> Self {
        CrossOriginGuardLayer {
            refuse: Some(refuse),
            ..self
        }
    }

    /// The guard's decision on a request's head, without the middleware:
    /// for an integration that needs it elsewhere. A refusal is reported as
    /// the middleware reports it; report-only mode does not change the
    /// answer.
    pub fn check(&self, parts: &http::request::Parts) -> Result<(), Refused> {
        guard::decide(&self.config.trusted(), &RequestView::from_parts(parts))
            .map_err(|refusal| Refused::new(&refusal, Check::Guard))
    }

    fn refusal_response<B: From<&'static str>>(&self, refusal: &Refusal<'_>) -> Response<B> {
        match self.refuse {
            None => forbidden(refusal, Check::Guard, &VARY_ORIGIN),
            Some(refuse) => {
                let refused = Refused::new(refusal, Check::Guard);
                let mut res = refuse(&refused).map(B::from);
                res.extensions_mut().insert(refused);
                crate::response::forbidden(res.headers_mut(), &VARY_ORIGIN);
                res
            }
        }
    }
}

impl<S> Layer<S> for CrossOriginGuardLayer {
    type Service = CrossOriginGuardService<S>;

    fn layer(&self, inner: S) -> CrossOriginGuardService<S> {
        for policy in self.config.trusted_policies() {
            policy::load_or_panic(policy);
        }
        CrossOriginGuardService {
            inner,
            guard: *self,
        }
    }
}

/// The service [`CrossOriginGuardLayer`] wraps around an app.
#[derive(Debug, Clone)]
pub struct CrossOriginGuardService<S> {
    inner: S,
    guard: CrossOriginGuardLayer,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for CrossOriginGuardService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: From<&'static str>,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = CrossOriginGuardFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<ReqBody>) -> Self::Future {
        let reported = match guard::decide(&self.guard.config.trusted(), &RequestView::new(&req)) {
            Ok(()) => None,
            Err(refusal) if self.guard.config.is_report_only() => {
                Some(Refused::new(&refusal, Check::Guard).reported())
            }
            Err(refusal) => {
                let res = self.guard.refusal_response(&refusal);
                return CrossOriginGuardFuture {
                    state: GuardState::Refused { res: Some(res) },
                };
            }
        };
        CrossOriginGuardFuture {
            state: GuardState::Pass {
                fut: self.inner.call(req),
                reported,
            },
        }
    }
}

pin_project! {
    /// The response future of [`CrossOriginGuardService`]: the app's own
    /// future, or the refusal.
    pub struct CrossOriginGuardFuture<F, B> {
        #[pin]
        state: GuardState<F, B>,
    }
}

pin_project! {
    #[project = GuardStateProj]
    enum GuardState<F, B> {
        Pass { #[pin] fut: F, reported: Option<Refused> },
        Refused { res: Option<Response<B>> },
    }
}

// The state's name only: the inner future need not be `Debug`.
impl<F, B> fmt::Debug for CrossOriginGuardFuture<F, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            GuardState::Pass { .. } => "pass",
            GuardState::Refused { .. } => "refused",
        };
        f.debug_struct("CrossOriginGuardFuture")
            .field("state", &state)
            .finish()
    }
}

impl<F, B, E> Future for CrossOriginGuardFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            GuardStateProj::Pass { fut, reported } => {
                let mut res = ready!(fut.poll(cx))?;
                if let Some(refused) = reported.take() {
                    res.extensions_mut().insert(refused);
                }
                Poll::Ready(Ok(res))
            }
            GuardStateProj::Refused { res } => Poll::Ready(Ok(res
                .take()
                .expect("CrossOriginGuardFuture polled after completion"))),
        }
    }
}
