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
    Error, HttpRequest, HttpResponse,
};
use pin_project_lite::pin_project;

use super::{forbidden, RequestView};
use crate::{
    guard::{self, GuardConfig},
    policy::{self, Policy},
    refusal::{Check, Refusal, Refused},
    response::VARY_ORIGIN,
};

/// Protects every route of an app, annotated or not, from cross-origin
/// requests that change state: `App::new().wrap(CrossOriginGuard::new())`.
///
/// **Who is trusted for what.** An origin an annotated handler allows may
/// send that handler's unsafe methods to that handler's route, and nothing
/// else; no origin may change state on any other route. To let an origin do
/// so on every route, pass a policy holding it to [`trust`](Self::trust):
/// trust is given on purpose, never widened by a route being configured.
///
/// A cross-site form `POST`, or a `fetch` with `mode: "no-cors"`, is sent
/// with the user's cookies and without a preflight, so a handler that nobody
/// annotated would run for any site. The guard passes:
///
/// - safe methods (`GET`, `HEAD`, `OPTIONS`): page loads and preflights are
///   never touched;
/// - requests with `Sec-Fetch-Site: same-origin` or `none`; any other
///   `Sec-Fetch-Site` is cross-origin, whatever `Origin` says;
/// - without `Sec-Fetch-Site`: requests without `Origin` (clients that are
///   not browsers, and browsers older than Fetch Metadata), and requests
///   whose `Origin` is the request's own origin;
/// - cross-origin requests to an annotated route whose policy admits the
///   origin for the method (the route then decides exactly, as without the
///   guard), found before routing by the resource's name (the handler's,
///   which the routing attribute gives it) in the app's resource map;
/// - requests whose `Origin` a policy given to [`trust`](Self::trust) allows;
/// - requests to a path given to [`exempt`](Self::exempt).
///
/// Everything else gets `403 Forbidden` with a short reason (or the response
/// of [`refuse_with`](Self::refuse_with)), `Vary: Origin` and a
/// [`Refused`](crate::Refused) whose reason is `cross_origin_unsafe` (or
/// `multiple_origins`), the handler does not run, and a `log` debug record
/// with the escaped values says why: the shape of a route's own refusal
/// ([Refusals](crate#refusals)). In [`report_only`](Self::report_only) mode
/// the request is served instead, and the record and the `Refused` (with
/// [`enforced`](crate::Refused::enforced) `false`) are all that changes.
///
/// Per request it reads `'static` data: no allocation.
#[derive(Debug, Clone, Copy, Default)]
pub struct CrossOriginGuard {
    config: GuardConfig,
    refuse: Option<fn(&Refused) -> HttpResponse>,
}

impl CrossOriginGuard {
    /// A guard trusting no origin app-wide: each annotated route admits its
    /// own origins, for its own methods.
    pub const fn new() -> Self {
        CrossOriginGuard {
            config: GuardConfig::new(),
            refuse: None,
        }
    }

    /// Trusts this policy's origins on every route, for every method, e.g.
    /// an identity provider that posts a form back
    /// (`response_mode=form_post`): a `policy!` static, checked like every
    /// origin in the source. Its dynamic sets and its `dev_origins` (in
    /// builds with `debug_assertions`) are trusted too: nothing else's are.
    /// A per-tenant policy (`origins: per_tenant`) cannot be trusted: it
    /// panics, at compile time in a `const`, as a 17th policy does.
    /// Call it once per policy, for at most
    /// [`MAX_TRUSTED_POLICIES`](crate::MAX_TRUSTED_POLICIES).
    pub const fn trust(self, policy: &'static Policy) -> Self {
        CrossOriginGuard {
            config: self.config.trust(policy),
            ..self
        }
    }

    /// Leaves these paths alone: exact paths (`/oauth/callback`) or prefixes
    /// of whole segments (`/hooks/*` matches `/hooks/` and everything under
    /// it). A path with a `.` or `..` segment (raw or percent-encoded), an
    /// encoded `/` or `\\`, or an empty segment is never exempt. In a
    /// `const`, a path the guard could not match is a compile error.
    pub const fn exempt(self, paths: &'static [&'static str]) -> Self {
        CrossOriginGuard {
            config: self.config.exempt(paths),
            ..self
        }
    }

    /// Serves every request, and reports those it would refuse: the same
    /// log record or `tracing` event, and the same [`Refused`] in the
    /// response's extensions, with [`Refused::enforced`] `false`. Count
    /// those before enforcing.
    pub const fn report_only(self) -> Self {
        CrossOriginGuard {
            config: self.config.report_only(),
            ..self
        }
    }

    /// Declares that the application is served over https (it terminates
    /// TLS itself, or sits behind a proxy that sets no `X-Forwarded-Proto`
    /// nor `Forwarded`): a request's own origin is then its `https` one. It
    /// lets no other origin in: it only lets same-origin requests of
    /// browsers without `Sec-Fetch-Site` be recognised.
    pub const fn https(self) -> Self {
        CrossOriginGuard {
            config: self.config.https(),
            ..self
        }
    }

    /// Answers refused requests with `refuse(&refused)` instead of the
    /// plain-text `403`; the response gets the [`Refused`] in its extensions
    /// and `Vary: Origin` all the same.
    pub const fn refuse_with(self, refuse: fn(&Refused) -> HttpResponse) -> Self {
        CrossOriginGuard {
            refuse: Some(refuse),
            ..self
        }
    }

    /// The guard's decision on `req`, without the middleware: for an
    /// integration that needs it elsewhere (a websocket upgrade, another
    /// framework's extractor). A refusal is reported as the middleware
    /// reports it; report-only mode does not change the answer.
    pub fn check(&self, req: &HttpRequest) -> Result<(), Refused> {
        let head = RequestView::new(req.head(), req.app_config().secure());
        guard::decide_on_route(&self.config.trusted(), &head, |origin| {
            route_admits(req, &head, origin)
        })
        .map_err(|refusal| Refused::new(&refusal, Check::Guard))
    }

    fn refusal_response(&self, refusal: &Refusal<'_>) -> HttpResponse {
        match self.refuse {
            None => forbidden(refusal, Check::Guard, &VARY_ORIGIN),
            Some(refuse) => {
                let refused = Refused::new(refusal, Check::Guard);
                let mut res = refuse(&refused);
                res.extensions_mut().insert(refused);
                crate::response::forbidden(res.headers_mut(), &VARY_ORIGIN);
                res
            }
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
        // A trusted environment list is loaded (or its bad value stops the
        // server) when the app is built, before any request.
        for policy in self.config.trusted_policies() {
            policy::load_or_panic(policy);
        }
        ready(Ok(CrossOriginGuardService {
            service,
            guard: *self,
        }))
    }
}

/// The service [`CrossOriginGuard`] wraps around an app.
#[derive(Debug)]
pub struct CrossOriginGuardService<S> {
    service: S,
    guard: CrossOriginGuard,
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
        let decision = guard::decide_on_route(&self.guard.config.trusted(), &head, |origin| {
            route_admits(req.request(), &head, origin)
        });
        let refused = match decision {
            Ok(()) => None,
            Err(refusal) if self.guard.config.is_report_only() => {
                Some(Refused::new(&refusal, Check::Guard).reported())
            }
            Err(refusal) => {
                let res = self.guard.refusal_response(&refusal);
                return CrossOriginGuardFuture {
                    state: GuardState::Refused {
                        res: Some(req.into_response(res)),
                    },
                };
            }
        };
        CrossOriginGuardFuture {
            state: GuardState::Pass {
                fut: self.service.call(req),
                reported: refused,
            },
        }
    }
}

/// Whether the annotated route `req` is for lets `origin` through: the
/// resource the app's resource map matches first for the path must be the
/// preflight route `#[cors_credentials]` registers ahead of its handler,
/// named after the path written in its routing attribute.
fn route_admits(req: &HttpRequest, head: &RequestView<'_>, origin: &[u8]) -> bool {
    req.resource_map()
        .match_name(req.path())
        .is_some_and(|name| {
            guard::annotated_route_admits(name, req.method().as_str(), origin, head)
        })
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
        Pass { #[pin] fut: F, reported: Option<Refused> },
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
            GuardStateProj::Pass { fut, reported } => {
                let mut res = ready!(fut.poll(cx))?;
                if let Some(refused) = reported.take() {
                    res.response_mut().extensions_mut().insert(refused);
                }
                Poll::Ready(Ok(res.map_into_left_body()))
            }
            GuardStateProj::Refused { res } => Poll::Ready(Ok(res
                .take()
                .expect("CrossOriginGuardFuture polled after completion")
                .map_into_right_body())),
        }
    }
}
