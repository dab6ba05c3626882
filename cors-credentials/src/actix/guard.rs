//! The app-wide [`CrossOriginGuard`] middleware.

use core::{
    fmt,
    future::{ready, Future, Ready},
    pin::Pin,
    task::{ready, Context, Poll},
};

use actix_web::{
    body::{BoxBody, EitherBody, MessageBody},
    dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform},
    Error,
};
use pin_project_lite::pin_project;

use super::{forbidden, RequestView};
use crate::{
    guard::{self, GuardConfig, Trusted},
    policy::{self, Policy},
    refusal::Check,
    response::VARY_ORIGIN,
};

/// Protects every route of an app, annotated or not, from cross-origin
/// requests that change state: `App::new().wrap(CrossOriginGuard::new())`.
///
/// A cross-site form `POST`, or a `fetch` with `mode: "no-cors"`, is sent
/// with the user's cookies and without a preflight, so a handler that nobody
/// annotated would run for any site. The guard passes:
///
/// - safe methods (`GET`, `HEAD`, `OPTIONS`): page loads and preflights are
///   never touched;
/// - requests with `Sec-Fetch-Site: same-origin` or `none`;
/// - requests with neither `Sec-Fetch-Site` nor `Origin` (clients that are
///   not browsers, and browsers older than Fetch Metadata);
/// - requests whose `Origin` is the request's own origin, by the same rule as
///   the attribute's;
/// - requests whose `Origin` is trusted: allowed by any
///   `#[cors_credentials]` handler of the program (from the
///   [`inventory()`](crate::inventory()), whatever its origins' form), or by a
///   policy given to [`trust`](Self::trust);
/// - requests to a path given to [`exempt`](Self::exempt).
///
/// Everything else gets `403 Forbidden` with a short reason,
/// `Vary: Origin` and a [`Refused`](crate::Refused) whose reason is
/// `cross_origin_unsafe` (or `multiple_origins`), the handler does not run,
/// and a `log` debug record with the escaped values says why: the shape of a
/// route's own refusal ([Refusals](crate#refusals)).
///
/// Per request it reads `'static` data and the set of trusted origin sets
/// built once per worker: no allocation.
#[derive(Debug, Clone, Copy, Default)]
pub struct CrossOriginGuard {
    config: GuardConfig,
}

impl CrossOriginGuard {
    /// A guard trusting the origins of every annotated handler.
    pub const fn new() -> Self {
        CrossOriginGuard {
            config: GuardConfig::new(),
        }
    }

    /// Trusts this policy's origins too, e.g. an identity provider that
    /// posts a form back (`response_mode=form_post`): a `policy!` static,
    /// checked like every origin in the source. Call it once per policy, for
    /// at most [`MAX_TRUSTED_POLICIES`](crate::MAX_TRUSTED_POLICIES).
    pub const fn trust(self, policy: &'static Policy) -> Self {
        CrossOriginGuard {
            config: self.config.trust(policy),
        }
    }

    /// Leaves these paths alone: exact paths (`/oauth/callback`) or prefixes
    /// of whole segments (`/hooks/*` matches `/hooks/` and everything under
    /// it). In a `const`, a path the guard could not match is a compile error.
    pub const fn exempt(self, paths: &'static [&'static str]) -> Self {
        CrossOriginGuard {
            config: self.config.exempt(paths),
        }
    }
}

impl<S, B> Transform<S, ServiceRequest> for CrossOriginGuard
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CrossOriginGuardService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        // A handler's environment list is loaded (or its bad value stops
        // the server) when its route is registered, before any request.
        for policy in self.config.trusted_policies() {
            policy::load_or_panic(policy);
        }
        ready(Ok(CrossOriginGuardService {
            service,
            trusted: self.config.trusted(),
        }))
    }
}

/// The service [`CrossOriginGuard`] wraps around an app.
#[derive(Debug)]
pub struct CrossOriginGuardService<S> {
    service: S,
    trusted: Trusted,
}

impl<S, B> Service<ServiceRequest> for CrossOriginGuardService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = CrossOriginGuardFuture<S::Future>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let head = RequestView::new(req.head(), req.app_config().secure());
        match guard::decide(&self.trusted, &head) {
            Ok(()) => CrossOriginGuardFuture {
                state: GuardState::Pass {
                    fut: self.service.call(req),
                },
            },
            Err(refusal) => {
                let res = forbidden(&refusal, Check::Guard, &VARY_ORIGIN);
                CrossOriginGuardFuture {
                    state: GuardState::Refused {
                        res: Some(req.into_response(res)),
                    },
                }
            }
        }
    }
}

pin_project! {
    /// The response future of [`CrossOriginGuardService`]: the app's own
    /// future, or the refusal.
    pub struct CrossOriginGuardFuture<F> {
        #[pin]
        state: GuardState<F>,
    }
}

pin_project! {
    #[project = GuardStateProj]
    enum GuardState<F> {
        Pass { #[pin] fut: F },
        Refused { res: Option<ServiceResponse<BoxBody>> },
    }
}

// The state's name only: the inner future need not be `Debug`.
impl<F> fmt::Debug for CrossOriginGuardFuture<F> {
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

impl<F, B> Future for CrossOriginGuardFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            GuardStateProj::Pass { fut } => {
                Poll::Ready(ready!(fut.poll(cx)).map(ServiceResponse::map_into_left_body))
            }
            GuardStateProj::Refused { res } => Poll::Ready(Ok(res
                .take()
                .expect("CrossOriginGuardFuture polled after completion")
                .map_into_right_body())),
        }
    }
}
