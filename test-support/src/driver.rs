//! Behaviour scenarios written once and run on both adapters.
//!
//! A [`Scenario`] names the app fixture it runs against and lists its steps:
//! a [`Req`] (method, path, `Origin`, other header lines, body) and what its
//! response must be ([`Expect`]: status, header values present or absent,
//! body, how many times the fixture's counted handlers have run, the
//! [`Refused`] it carries). A [`Driver`] sends the requests to one adapter's
//! app: [`Actix`] (apps of `#[cors_credentials]` handlers and
//! `CrossOriginGuard`, driven with `actix_web::test`) or [`Tower`] (axum
//! `Router`s with `CorsLayer` / `CrossOriginGuardLayer`, driven with
//! `tower::ServiceExt::oneshot`). The fixtures, built by the tests for a
//! fixture name, are the only code written per adapter; each app counts its
//! handler runs in its own counter. A failure names the rule, the scenario,
//! the step, the origin and the adapter.

use std::{
    fmt,
    future::Future,
    pin::Pin,
    rc::Rc,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
};

use actix_web::{
    body::MessageBody,
    dev::{Service, ServiceResponse},
    test,
};
use cors_credentials::{Check, Reason, Refused};
use tower::ServiceExt;

/// The adapter a driver speaks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adapter {
    Actix,
    Tower,
}

/// How many times the counted handlers of one app ran: app data in actix-web,
/// router state in axum.
pub type Runs = Arc<AtomicUsize>;

/// One request of a scenario. The `Host` is always `api.example.com`.
#[derive(Clone, Copy, Debug)]
pub struct Req {
    pub method: &'static str,
    pub path: &'static str,
    /// The `Origin` lines: none, one, or one request for each (the step is
    /// run once per origin, [`ECHO`] standing for the one sent).
    pub origins: &'static [&'static str],
    /// Other header lines, appended in order.
    pub headers: &'static [(&'static str, &'static str)],
    pub request_method: Option<&'static str>,
    /// Header lines whose values need not be UTF-8, appended last.
    pub raw_headers: &'static [(&'static str, &'static [u8])],
    pub body: &'static str,
}

impl Req {
    pub const fn new(method: &'static str, path: &'static str) -> Self {
        Self {
            method,
            path,
            origins: &[],
            headers: &[],
            request_method: None,
            raw_headers: &[],
            body: "",
        }
    }

    /// A preflight of `path` from `origin` for `method`.
    pub const fn preflight(
        path: &'static str,
        origin: &'static [&'static str],
        method: &'static str,
    ) -> Self {
        Self::new("OPTIONS", path)
            .origins(origin)
            .request_method(method)
    }

    pub const fn origins(self, origins: &'static [&'static str]) -> Self {
        Self { origins, ..self }
    }

    pub const fn headers(self, headers: &'static [(&'static str, &'static str)]) -> Self {
        Self { headers, ..self }
    }

    /// The `Access-Control-Request-Method` line, sent before
    /// [`headers`](Self::headers).
    pub const fn request_method(self, method: &'static str) -> Self {
        Self {
            request_method: Some(method),
            ..self
        }
    }

    pub const fn raw_headers(self, raw_headers: &'static [(&'static str, &'static [u8])]) -> Self {
        Self {
            raw_headers,
            ..self
        }
    }

    pub const fn body(self, body: &'static str) -> Self {
        Self { body, ..self }
    }
}

/// Stands for the origin of the request in [`Expect::allowed`].
pub const ECHO: &str = "<the request's origin>";

/// What the response to one request must be; `None` and empty lists check
/// nothing.
#[derive(Clone, Copy, Debug)]
pub struct Expect {
    pub status: u16,
    /// Header lines that must each be there once, with that value.
    pub headers: &'static [(&'static str, &'static str)],
    /// Headers that must not be there.
    pub absent: &'static [&'static str],
    /// `Access-Control-Allow-Origin` (this, or [`ECHO`]), `-Credentials: true`
    /// and `Vary: Origin` once; `None`: no `Access-Control-Allow-*` at all.
    pub allowed: Option<&'static str>,
    /// The `Vary` names, lowercased, in order.
    pub vary: Option<&'static [&'static str]>,
    pub body: Option<&'static str>,
    pub body_contains: Option<&'static str>,
    /// The runs of the fixture's counted handlers so far.
    pub runs: Option<usize>,
    /// The `Refused` the response carries (`None`: it carries none).
    pub refused: Option<(Reason, Check)>,
    /// Its `enforced()`: `false` for a guard that only reports.
    pub enforced: bool,
    /// Whether `allowed` and `refused` are checked (`false` for a status-only
    /// check, as where a step only shows that the count works).
    pub cors: bool,
}

impl Expect {
    /// `status`, no `Access-Control-Allow-*` header, no `Refused`.
    pub const fn status(status: u16) -> Self {
        Self {
            status,
            headers: &[],
            absent: &[],
            allowed: None,
            vary: None,
            body: None,
            body_contains: None,
            runs: None,
            refused: None,
            enforced: true,
            cors: true,
        }
    }

    /// `200` with the credentialed headers for `origin` (or [`ECHO`]).
    pub const fn allowed(origin: &'static str) -> Self {
        Self::status(200).allow(origin)
    }

    /// `403` without CORS headers, carrying `Refused { reason, check }`.
    pub const fn refused(reason: Reason, check: Check) -> Self {
        Self {
            refused: Some((reason, check)),
            ..Self::status(403)
        }
    }

    /// `status` from a handler that ran, carrying the `Refused { reason,
    /// check }` of a report-only guard, not enforced.
    pub const fn reported(status: u16, reason: Reason, check: Check) -> Self {
        Self {
            refused: Some((reason, check)),
            enforced: false,
            ..Self::status(status)
        }
    }

    /// `204` to a preflight from `origin`, with the preflight's `Vary`.
    pub const fn preflight(origin: &'static str) -> Self {
        Self::status(204).allow(origin).vary(&PREFLIGHT_VARY)
    }

    pub const fn with_status(self, status: u16) -> Self {
        Self { status, ..self }
    }

    pub const fn allow(self, origin: &'static str) -> Self {
        Self {
            allowed: Some(origin),
            ..self
        }
    }

    pub const fn headers(self, headers: &'static [(&'static str, &'static str)]) -> Self {
        Self { headers, ..self }
    }

    pub const fn absent(self, absent: &'static [&'static str]) -> Self {
        Self { absent, ..self }
    }

    pub const fn vary(self, vary: &'static [&'static str]) -> Self {
        Self {
            vary: Some(vary),
            ..self
        }
    }

    pub const fn body(self, body: &'static str) -> Self {
        Self {
            body: Some(body),
            ..self
        }
    }

    pub const fn body_contains(self, text: &'static str) -> Self {
        Self {
            body_contains: Some(text),
            ..self
        }
    }

    pub const fn runs(self, runs: usize) -> Self {
        Self {
            runs: Some(runs),
            ..self
        }
    }

    /// Checks the status (and what else is set) but neither the CORS headers
    /// nor `Refused`.
    pub const fn status_only(self) -> Self {
        Self {
            cors: false,
            ..self
        }
    }
}

/// The `Vary` names of an answered or refused preflight.
pub const PREFLIGHT_VARY: [&str; 3] = [
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
];

/// Steps against one fresh app of `fixture`; `only` keeps it to one adapter
/// where the other answers otherwise by design.
#[derive(Clone, Copy, Debug)]
pub struct Scenario {
    pub name: &'static str,
    pub fixture: &'static str,
    pub only: Option<Adapter>,
    pub steps: &'static [(Req, Expect)],
}

impl Scenario {
    pub const fn new(
        name: &'static str,
        fixture: &'static str,
        steps: &'static [(Req, Expect)],
    ) -> Self {
        Self {
            name,
            fixture,
            only: None,
            steps,
        }
    }

    pub const fn only(self, adapter: Adapter) -> Self {
        Self {
            only: Some(adapter),
            ..self
        }
    }
}

/// A response, whatever the adapter.
#[derive(Debug)]
pub struct Outcome {
    pub status: u16,
    /// Every header line, lowercase names, in order.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub refused: Option<Refused>,
}

impl Outcome {
    fn new(
        status: u16,
        headers: Vec<(String, String)>,
        body: &[u8],
        refused: Option<Refused>,
    ) -> Self {
        let body = String::from_utf8_lossy(body).into_owned();
        Self {
            status,
            headers,
            body,
            refused,
        }
    }
}

/// Header lines as text (bytes that are not UTF-8 replaced).
fn lines<'a>(lines: impl Iterator<Item = (&'a str, &'a [u8])>) -> Vec<(String, String)> {
    lines
        .map(|(name, value)| (name.to_owned(), String::from_utf8_lossy(value).into_owned()))
        .collect()
}

impl crate::headers::Lines for Outcome {
    fn lines(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn names(&self) -> Vec<String> {
        self.headers.iter().map(|(n, _)| n.clone()).collect()
    }

    fn debug(&self) -> String {
        format!("{:?}", self.headers)
    }
}

/// Sends requests to one app of one adapter.
pub trait Driver {
    const ADAPTER: Adapter;
    /// The response to `req`, with `origin` as its `Origin` line if any.
    fn send(&self, req: &Req, origin: Option<&str>) -> impl Future<Output = Outcome>;
    /// The runs of the app's counted handlers so far.
    fn runs(&self) -> usize;
}

/// Runs every scenario of `table` (rule `rule`) meant for `D`, each against a
/// fresh app that `build` makes for its fixture.
pub async fn run<D, F, Fut>(rule: &str, table: &[Scenario], build: F)
where
    D: Driver,
    F: Fn(&'static str) -> Fut,
    Fut: Future<Output = D>,
{
    let mut ran = 0;
    for scenario in table
        .iter()
        .filter(|s| s.only.is_none_or(|a| a == D::ADAPTER))
    {
        let app = build(scenario.fixture).await;
        for (i, (req, expect)) in scenario.steps.iter().enumerate() {
            let origins: Vec<Option<&str>> = match req.origins {
                [] => vec![None],
                many => many.iter().copied().map(Some).collect(),
            };
            for origin in origins {
                let at = Place {
                    rule,
                    scenario: scenario.name,
                    step: i + 1,
                    origin,
                    adapter: D::ADAPTER,
                };
                let outcome = app.send(req, origin).await;
                check(&at, expect, &outcome, app.runs());
            }
        }
        ran += 1;
    }
    assert!(ran > 0, "{rule}: no scenario for {:?}", D::ADAPTER);
}

/// Where a check stands, for failure messages.
struct Place<'a> {
    rule: &'a str,
    scenario: &'a str,
    step: usize,
    origin: Option<&'a str>,
    adapter: Adapter,
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, scenario {:?}, step {}, origin {:?}, on {:?}",
            self.rule, self.scenario, self.step, self.origin, self.adapter
        )
    }
}

fn check(at: &Place<'_>, expect: &Expect, res: &Outcome, runs: usize) {
    use crate::headers::{all, vary};
    let headers = &res.headers;
    assert_eq!(res.status, expect.status, "{at}: status; {headers:?}");
    for (name, value) in expect.headers {
        assert_eq!(all(res, name), [*value], "{at}: {name}; {headers:?}");
    }
    for name in expect.absent {
        assert!(
            all(res, name).is_empty(),
            "{at}: {name} is there; {headers:?}"
        );
    }
    if expect.cors {
        match expect.allowed {
            Some(origin) => {
                let origin = if origin == ECHO {
                    at.origin.unwrap_or_default()
                } else {
                    origin
                };
                assert_eq!(
                    all(res, "access-control-allow-origin"),
                    [origin],
                    "{at}: {headers:?}"
                );
                assert_eq!(
                    all(res, "access-control-allow-credentials"),
                    ["true"],
                    "{at}: {headers:?}"
                );
                let origins = vary(res).iter().filter(|name| *name == "origin").count();
                assert_eq!(origins, 1, "{at}: Vary; {headers:?}");
            }
            None => {
                let allow = headers
                    .iter()
                    .find(|(n, _)| n.starts_with("access-control-allow-"));
                assert!(allow.is_none(), "{at}: unexpected {allow:?}");
            }
        }
        let refused = res.refused.map(|r| (r.reason(), r.check()));
        assert_eq!(refused, expect.refused, "{at}: Refused");
        if let Some(refused) = res.refused {
            assert_eq!(
                refused.enforced(),
                expect.enforced,
                "{at}: Refused::enforced"
            );
        }
    }
    if let Some(names) = expect.vary {
        assert_eq!(vary(res), names, "{at}: Vary; {headers:?}");
    }
    if let Some(body) = expect.body {
        assert_eq!(res.body, body, "{at}: body");
    }
    if let Some(text) = expect.body_contains {
        assert!(
            res.body.contains(text),
            "{at}: {:?} lacks {text:?}",
            res.body
        );
    }
    if let Some(expected) = expect.runs {
        assert_eq!(runs, expected, "{at}: handler runs");
    }
}

type Send = Box<dyn Fn(actix_http::Request) -> Pin<Box<dyn Future<Output = Outcome>>>>;

/// An actix-web app under test (`test::init_service`), with its counter.
pub struct Actix {
    send: Send,
    runs: Runs,
}

impl Actix {
    /// Drives `app`, whose counted handlers count in `runs`.
    pub fn new<S, B>(app: S, runs: Runs) -> Self
    where
        S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>
            + 'static,
        B: MessageBody + 'static,
    {
        let app = Rc::new(app);
        let send: Send = Box::new(move |req| {
            let app = Rc::clone(&app);
            Box::pin(async move {
                let res = match app.call(req).await {
                    Ok(res) => res.map_into_boxed_body(),
                    // An error from an inner middleware becomes the response afterwards.
                    Err(error) => ServiceResponse::new(
                        test::TestRequest::default().to_http_request(),
                        error.error_response(),
                    ),
                };
                let refused = res.response().extensions().get::<Refused>().copied();
                let status = res.status().as_u16();
                let headers = lines(
                    res.headers()
                        .iter()
                        .map(|(n, v)| (n.as_str(), v.as_bytes())),
                );
                let body = test::read_body(res).await;
                Outcome::new(status, headers, &body, refused)
            })
        });
        Self { send, runs }
    }
}

impl Driver for Actix {
    const ADAPTER: Adapter = Adapter::Actix;

    async fn send(&self, req: &Req, origin: Option<&str>) -> Outcome {
        let method = actix_web::http::Method::from_bytes(req.method.as_bytes()).unwrap();
        let mut built = test::TestRequest::default()
            .method(method)
            .uri(req.path)
            .insert_header(("host", "api.example.com"));
        if let Some(origin) = origin {
            built = built.append_header(("origin", origin.to_owned()));
        }
        if let Some(method) = req.request_method {
            built = built.append_header(("access-control-request-method", method));
        }
        for (name, value) in req.headers {
            built = built.append_header((*name, *value));
        }
        for (name, value) in req.raw_headers {
            let value = actix_web::http::header::HeaderValue::from_bytes(value).unwrap();
            built = built.append_header((*name, value));
        }
        if !req.body.is_empty() {
            built = built.set_payload(req.body);
        }
        (self.send)(built.to_request()).await
    }

    fn runs(&self) -> usize {
        self.runs.load(Ordering::SeqCst)
    }
}

/// An axum router under test, with its counter.
pub struct Tower {
    pub router: axum::Router,
    pub runs: Runs,
}

impl Driver for Tower {
    const ADAPTER: Adapter = Adapter::Tower;

    async fn send(&self, req: &Req, origin: Option<&str>) -> Outcome {
        let mut built = http::Request::builder()
            .method(req.method)
            .uri(req.path)
            .header("host", "api.example.com");
        if let Some(origin) = origin {
            built = built.header("origin", origin);
        }
        if let Some(method) = req.request_method {
            built = built.header("access-control-request-method", method);
        }
        for (name, value) in req.headers {
            built = built.header(*name, *value);
        }
        for (name, value) in req.raw_headers {
            built = built.header(*name, http::HeaderValue::from_bytes(value).unwrap());
        }
        let req = built.body(axum::body::Body::from(req.body)).unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let refused = res.extensions().get::<Refused>().copied();
        let status = res.status().as_u16();
        let headers = lines(
            res.headers()
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_bytes())),
        );
        let bytes = http_body_util::BodyExt::collect(res.into_body())
            .await
            .unwrap()
            .to_bytes();
        Outcome::new(status, headers, &bytes, refused)
    }

    fn runs(&self) -> usize {
        self.runs.load(Ordering::SeqCst)
    }
}
