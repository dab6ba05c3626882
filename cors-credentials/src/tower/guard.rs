//! [`CrossOriginGuardLayer`]: the app-wide guard, as a tower layer.

use core::{
    fmt,
    future::Future,
    pin::Pin,
    task::{ready, Context, Poll},
};
use std::sync::Arc;

use http::{Request, Response};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use super::{forbidden, RequestView};
use crate::{
    guard::{self, GuardConfig, Trusted},
    policy::{self, Policy},
    refusal::Check,
    response::VARY_ORIGIN,
};

/// Protects every route of an axum `Router` (or any tower service), with a
/// [`CorsLayer`](super::CorsLayer) or without, from cross-origin requests
/// that change state: `Router::new().route(..).layer(CrossOriginGuardLayer::new())`.
///
/// The rules, the default trust and the refusal are those of the actix-web
/// [`CrossOriginGuard`](https://docs.rs/cors-credentials/latest/cors_credentials/struct.CrossOriginGuard.html):
/// safe methods, `Sec-Fetch-Site: same-origin` or `none`, requests with
/// neither `Sec-Fetch-Site` nor `Origin`, same-origin requests, trusted
/// origins and exempt paths pass; everything else gets `403 Forbidden`
/// with a short reason, `Vary: Origin` and a [`Refused`](crate::Refused)
/// whose reason is `cross_origin_unsafe` (or `multiple_origins`), and the
/// route does not run.
///
/// Trusted are the origins of every `CorsLayer` built before the guard is
/// applied (in axum, those of the routes added before `Router::layer`, the
/// only routes it wraps), of every `#[cors_credentials]` handler of the
/// program, and of the policies given to [`trust`](Self::trust).
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
/// async fn close() -> &'static str { "closed" }
///
/// let app: Router = Router::new()
///     .route("/api/me", get(me).layer(CorsLayer::new(&API, [Method::GET])))
///     // Not annotated: cross-origin form posts are refused.
///     .route("/account/close", post(close))
///     .layer(CrossOriginGuardLayer::new().trust(&IDP).exempt(&["/hooks/*"]));
/// ```
///
/// Per request it reads `'static` data and the trusted origin sets, built
/// once when the guard is applied: no allocation.
#[derive(Debug, Clone, Copy, Default)]
pub struct CrossOriginGuardLayer {
    config: GuardConfig,
}

impl CrossOriginGuardLayer {
    /// A guard trusting the origins of every `CorsLayer` and annotated handler.
    pub const fn new() -> Self {
        CrossOriginGuardLayer {
            config: GuardConfig::new(),
        }
    }

    /// Trusts this policy's origins too, e.g. an identity provider that
    /// posts a form back (`response_mode=form_post`). Call it once per
    /// policy, for at most [`MAX_TRUSTED_POLICIES`](crate::MAX_TRUSTED_POLICIES).
    pub const fn trust(self, policy: &'static Policy) -> Self {
        CrossOriginGuardLayer {
            config: self.config.trust(policy),
        }
    }

    /// Leaves these paths alone: exact paths (`/oauth/callback`) or prefixes
    /// of whole segments (`/hooks/*`). In a `const`, a path the guard could
    /// not match is a compile error.
    pub const fn exempt(self, paths: &'static [&'static str]) -> Self {
        CrossOriginGuardLayer {
            config: self.config.exempt(paths),
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
            trusted: Arc::new(self.config.trusted()),
        }
    }
}

/// The service [`CrossOriginGuardLayer`] wraps around an app.
#[derive(Debug, Clone)]
pub struct CrossOriginGuardService<S> {
    inner: S,
    trusted: Arc<Trusted>,
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
        let state = match guard::decide(&self.trusted, &RequestView::new(&req)) {
            Ok(()) => GuardState::Pass {
                fut: self.inner.call(req),
            },
            Err(refusal) => GuardState::Refused {
                res: Some(forbidden(&refusal, Check::Guard, &VARY_ORIGIN)),
            },
        };
        CrossOriginGuardFuture { state }
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
        Pass { #[pin] fut: F },
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
            GuardStateProj::Pass { fut } => Poll::Ready(ready!(fut.poll(cx))),
            GuardStateProj::Refused { res } => Poll::Ready(Ok(res
                .take()
                .expect("CrossOriginGuardFuture polled after completion"))),
        }
    }
}
