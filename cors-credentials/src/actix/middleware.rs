//! The middleware the attribute wraps around each annotated route.

use core::{
    fmt,
    future::{ready, Future, Ready},
    pin::Pin,
    task::{ready, Context, Poll},
};

use actix_web::{
    body::{BoxBody, EitherBody, MessageBody},
    dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform},
    http::{header::HeaderValue, StatusCode},
    Error, HttpResponse, ResponseError,
};
use pin_project_lite::pin_project;

use super::{answer_preflight, forbidden, tenant, RequestView};
use crate::{
    actual::{decide_in, Decision},
    diagnostics::{self, CookieCheck},
    policy::{Methods, Policy},
    preflight,
    refusal::Check,
    response::{decorate, VARY_ORIGIN},
};

/// Credentialed CORS middleware for one route, built by `#[cors_credentials]`.
///
/// Under a routing attribute (`#[get]`, `#[post]`, …) the attribute wraps the
/// route in this middleware itself. A handler registered by hand gets one from
/// the module the attribute generates next to it (`handler::cors()`), to pass
/// to [`Resource::wrap`](actix_web::Resource::wrap); that one also answers the
/// resource's preflights.
///
/// Per request it borrows `'static` data only: no allocation, no boxed future.
#[derive(Debug, Clone, Copy)]
pub struct Cors {
    policy: &'static Policy,
    preflight: Option<&'static Methods>,
}

/// The middleware of a route under `policy`, answering the preflights for
/// `preflight`'s methods if given, as the macro writes it (`__private::cors`).
pub const fn new(policy: &'static Policy, preflight: Option<&'static Methods>) -> Cors {
    Cors { policy, preflight }
}

impl<S, B> Transform<S, ServiceRequest> for Cors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CorsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        crate::policy::load_or_panic(self.policy);
        ready(Ok(CorsService {
            service,
            cors: *self,
        }))
    }
}

/// The service [`Cors`] wraps around a route.
#[derive(Debug)]
pub struct CorsService<S> {
    service: S,
    cors: Cors,
}

impl<S, B> Service<ServiceRequest> for CorsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = CorsFuture<S::Future>;

    forward_ready!(service);

    // Inlined into actix-web's call, as it was before the cookie check made
    // it larger: one request's cost.
    #[inline]
    fn call(&self, req: ServiceRequest) -> Self::Future {
        let policy = self.cors.policy;
        let head = RequestView::new(req.head(), req.app_config().secure());
        let tenant = tenant(policy, &head, req.match_info());
        if let Some(methods) = self.cors.preflight {
            if let Some(preflight) = preflight::requested(&head) {
                let res = answer_preflight(policy, methods, &head, preflight, tenant);
                return CorsFuture::done(req, res);
            }
        }
        let (allowed, cookies) = match decide_in(policy, &head, tenant) {
            Decision::Allow(origin) => (
                Some(origin.clone()),
                diagnostics::cookie_check(&head, origin.as_bytes()),
            ),
            Decision::NoCors => (None, None),
            Decision::Reject(refusal) => {
                let res = forbidden(&refusal, Check::Request, &VARY_ORIGIN);
                return CorsFuture::done(req, res);
            }
        };
        CorsFuture::call(self.service.call(req), policy, allowed, cookies)
    }
}

pin_project! {
    /// The response future of [`CorsService`]: the route's own future, or a
    /// response this crate answered without running the route.
    pub struct CorsFuture<F> {
        #[pin]
        state: State<F>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F> {
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
        Done { res: Option<ServiceResponse<BoxBody>> },
    }
}

// The state's name only: the inner future need not be `Debug`.
impl<F> fmt::Debug for CorsFuture<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Call { .. } => "call",
            State::Done { .. } => "done",
        };
        f.debug_struct("CorsFuture").field("state", &state).finish()
    }
}

impl<F> CorsFuture<F> {
    fn call(
        fut: F,
        policy: &'static Policy,
        allowed: Option<HeaderValue>,
        cookies: Option<CookieCheck>,
    ) -> Self {
        CorsFuture {
            state: State::Call {
                fut,
                policy,
                allowed,
                cookies,
            },
        }
    }

    fn done(req: ServiceRequest, res: HttpResponse) -> Self {
        CorsFuture {
            state: State::Done {
                res: Some(req.into_response(res)),
            },
        }
    }
}

impl<F, B> Future for CorsFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Call {
                fut,
                policy,
                allowed,
                cookies,
            } => Poll::Ready(match ready!(fut.poll(cx)) {
                Ok(mut res) => {
                    if let (Some(check), Some(origin)) = (*cookies, allowed.as_ref()) {
                        diagnostics::check_response(check, origin.as_bytes(), res.headers());
                    }
                    decorate(policy, allowed.take(), res.headers_mut());
                    Ok(res.map_into_left_body())
                }
                // An inner middleware failed; actix turns the error into a
                // response after this future, so the headers go on then
                // (and its cookies, if any, are not checked).
                Err(error) => Err(Error::from(DecoratedError {
                    error,
                    policy,
                    allowed: allowed.take(),
                })),
            }),
            StateProj::Done { res } => Poll::Ready(Ok(res
                .take()
                .expect("CorsFuture polled after completion")
                .map_into_right_body())),
        }
    }
}

/// An error from inside the route whose response still gets the CORS
/// headers: without them the browser would show the page a network error
/// instead of the real status.
struct DecoratedError {
    error: Error,
    policy: &'static Policy,
    allowed: Option<HeaderValue>,
}

impl fmt::Debug for DecoratedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.error, f)
    }
}

impl fmt::Display for DecoratedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl ResponseError for DecoratedError {
    fn status_code(&self) -> StatusCode {
        self.error.as_response_error().status_code()
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        let mut res = self.error.error_response();
        decorate(self.policy, self.allowed.clone(), res.headers_mut());
        res
    }
}
