//! Property tests: the actix-web and tower adapters decide every request
//! alike.
//!
//! The same generated configuration (`test_support::strategies::config`,
//! built as the macro would build it, its origins listed in the source or
//! in a dynamic set holding the same entries) goes around the same route
//! in both frameworks: an actix-web resource wrapped in `cors(policy,
//! Some(methods))`, the middleware of a hand-registered resource that also
//! answers its preflights, and an axum route under `CorsLayer::new(policy,
//! methods)`. The same generated request goes through both, and the
//! responses must agree on the status, whether the handler ran, every
//! CORS header line (`Access-Control-Allow-*`, `-Max-Age`,
//! `-Expose-Headers`, every `Vary`) and the `Refused` extension.
//!
//! The guards are compared the same way: `CrossOriginGuard` around an
//! actix-web app and `CrossOriginGuardLayer` around an axum `Router`, each
//! trusting a generated policy.
//!
//! actix-web speaks `http` 0.2 and tower `http` 1: headers are compared as
//! names and bytes. Both apps run on one actix-web runtime per test; the
//! axum router's `oneshot` needs no reactor.
//!
//! The guards trust nothing but the policies given to them: no route's, and
//! no `CorsLayer`'s, whatever the other property builds meanwhile.

use actix_web::{
    dev::{Service as _, ServiceResponse},
    http::header::HeaderValue as ActixValue,
    test as atest, web, App, HttpRequest, HttpResponse,
};
use axum::{
    body::Body,
    routing::{self, MethodFilter, MethodRouter},
    Router,
};
use cors_credentials::{
    test_hooks::{cors, with_origins, DynamicOrigins, OriginSet},
    tower::{CorsLayer, CrossOriginGuardLayer},
    CrossOriginGuard, Policy, Refused,
};
use http_body_util::BodyExt as _;
use proptest::{prelude::*, sample::Index, test_runner::TestRunner};
use test_support::strategies::{
    carried, config, header_bytes, origin_choice, Config, OriginChoice,
};
use tower::ServiceExt as _;

// ---------------------------------------------------------------------------
// Requests

/// The `Origin` a request carries.
#[derive(Debug, Clone)]
enum OriginLine {
    /// Allowed, pattern hits, near misses, hostile bytes.
    Choice(OriginChoice),
    /// The request's own origin (from its `Host`) with this scheme and
    /// maybe a port, same-origin or a near miss of it.
    Own(&'static str, Option<u16>),
}

impl OriginLine {
    fn bytes(&self, config: &Config, host: &str) -> Vec<u8> {
        match self {
            OriginLine::Choice(choice) => choice.bytes(config),
            OriginLine::Own(scheme, None) => format!("{scheme}://{host}").into_bytes(),
            OriginLine::Own(scheme, Some(port)) => format!("{scheme}://{host}:{port}").into_bytes(),
        }
    }
}

/// `Origin` lines: most often one, sometimes none or two.
fn origin_lines() -> impl Strategy<Value = Vec<OriginLine>> {
    prop_oneof![1 => Just(0usize), 6 => Just(1usize), 1 => Just(2usize)]
        .prop_flat_map(|n| prop::collection::vec(origin_line(), n))
}

/// The `Host` line, when there is one, then the `Origin` lines (an origin of
/// the server's own names that host).
fn host_and_origins(
    config: &Config,
    host: &Host,
    origins: &[OriginLine],
) -> Vec<(&'static str, Vec<u8>)> {
    let mut lines = Vec::new();
    let host = host.value(config);
    if let Some(host) = &host {
        lines.push(("host", host.as_bytes().to_vec()));
    }
    let own = host.as_deref().unwrap_or("api.internal.test");
    for origin in origins {
        lines.push(("origin", origin.bytes(config, own)));
    }
    lines
}

/// Adds the `Sec-Fetch-Site` and `X-Forwarded-Proto` lines, when given.
fn push_site_and_proto(
    lines: &mut Vec<(&'static str, Vec<u8>)>,
    sec_fetch_site: Option<&'static str>,
    forwarded_proto: Option<&'static str>,
) {
    if let Some(site) = sec_fetch_site {
        lines.push(("sec-fetch-site", site.as_bytes().to_vec()));
    }
    if let Some(proto) = forwarded_proto {
        lines.push(("x-forwarded-proto", proto.as_bytes().to_vec()));
    }
}

/// The lines HTTP/1.1 can carry, as values the test request takes.
fn carried_lines(lines: Vec<(&'static str, Vec<u8>)>) -> Vec<(&'static str, ActixValue)> {
    lines
        .into_iter()
        .filter_map(|(name, value)| Some((name, carried(&value)?)))
        .collect()
}

fn origin_line() -> impl Strategy<Value = OriginLine> {
    prop_oneof![
        // Allowed origins often enough for granted preflights.
        4 => any::<Index>().prop_map(|i| OriginLine::Choice(OriginChoice::Configured(i))),
        5 => origin_choice().prop_map(OriginLine::Choice),
        1 => (
            prop_oneof![Just("http"), Just("https"), Just("HTTP")],
            prop::option::of(prop_oneof![Just(80u16), Just(443), Just(8080)]),
        )
            .prop_map(|(scheme, port)| OriginLine::Own(scheme, port)),
    ]
}

/// The request's `Host`.
#[derive(Debug, Clone)]
enum Host {
    None,
    Fixed(&'static str),
    /// The authority of a configured origin: the request is sent to an
    /// allowed origin's own host.
    OfConfigured(Index),
}

impl Host {
    fn value(&self, config: &Config) -> Option<String> {
        match self {
            Host::None => None,
            Host::Fixed(host) => Some((*host).to_owned()),
            Host::OfConfigured(i) => {
                let origin = &config.origins[i.index(config.origins.len())];
                Some(
                    origin
                        .split_once("://")
                        .map_or(origin.as_str(), |(_, a)| a)
                        .to_owned(),
                )
            }
        }
    }
}

fn host() -> impl Strategy<Value = Host> {
    prop_oneof![
        1 => Just(Host::None),
        3 => prop_oneof![
            Just("api.internal.test"),
            Just("API.internal.test"),
            Just("api.internal.test:8080"),
            Just("api.internal.test."),
        ]
        .prop_map(Host::Fixed),
        2 => any::<Index>().prop_map(Host::OfConfigured),
    ]
}

fn sec_fetch_site() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop_oneof![
        Just("same-origin"),
        Just("same-site"),
        Just("cross-site"),
        Just("none"),
        Just("Same-Origin"),
        Just(""),
    ])
}

fn forwarded_proto() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop_oneof![Just("https"), Just("http"), Just("HTTPS")])
}

/// An `Access-Control-Request-Headers` line.
#[derive(Debug, Clone)]
enum HeaderLine {
    /// Names the policy allows (or, allowing any, made up), joined by
    /// `separator`, maybe upper-cased.
    Listed(Vec<Index>, &'static str, bool),
    /// Anything.
    Bytes(Vec<u8>),
}

fn header_line() -> impl Strategy<Value = HeaderLine> {
    prop_oneof![
        3 => (
            prop::collection::vec(any::<Index>(), 1..4),
            prop_oneof![Just(","), Just(", "), Just(" ,")],
            any::<bool>(),
        )
            .prop_map(|(names, sep, upper)| HeaderLine::Listed(names, sep, upper)),
        1 => header_bytes().prop_map(HeaderLine::Bytes),
    ]
}

impl HeaderLine {
    fn bytes(&self, config: &Config) -> Vec<u8> {
        match self {
            HeaderLine::Listed(names, separator, upper) => {
                let any = ["x-csrf-token".to_owned(), "content-type".to_owned()];
                let allowed = match &config.headers {
                    Some(names) if !names.is_empty() => names.as_slice(),
                    _ => &any,
                };
                let names: Vec<&str> = names
                    .iter()
                    .map(|i| allowed[i.index(allowed.len())].as_str())
                    .collect();
                let line = names.join(separator);
                if *upper {
                    line.to_ascii_uppercase().into_bytes()
                } else {
                    line.into_bytes()
                }
            }
            HeaderLine::Bytes(bytes) => bytes.clone(),
        }
    }
}

#[derive(Debug, Clone)]
struct Request {
    method: &'static str,
    /// 0, 1 or 2 lines.
    origins: Vec<OriginLine>,
    /// `Access-Control-Request-Method` lines: a served method picked by
    /// index, or anything.
    request_methods: Vec<Result<Index, Vec<u8>>>,
    /// `Access-Control-Request-Headers` lines.
    request_headers: Vec<HeaderLine>,
    host: Host,
    sec_fetch_site: Option<&'static str>,
    forwarded_proto: Option<&'static str>,
    /// `Vary` lines the handler sets.
    vary: Vec<&'static str>,
    /// The handler reflects `Origin` into the CORS headers, as a naive one would.
    reflect: bool,
    /// The route serves every method, or only the policy's (and the
    /// framework answers the others `405`).
    every_method: bool,
    /// The request line's authority, in absolute form (`http://host/r`),
    /// which both adapters prefer to `Host`.
    absolute: Option<Host>,
}

fn request() -> impl Strategy<Value = Request> {
    let method = prop_oneof![
        3 => Just("OPTIONS"),
        2 => Just("GET"),
        2 => Just("POST"),
        1 => Just("HEAD"),
        1 => Just("PUT"),
        1 => Just("DELETE"),
        1 => Just("PATCH"),
        1 => Just("PROPFIND"),
    ];
    let vary = prop::collection::vec(
        prop_oneof![
            Just("Accept-Encoding"),
            Just("origin"),
            Just("*"),
            Just("Accept, Origin"),
            Just("Origins"),
            Just(""),
        ],
        0..3,
    );
    (
        (
            method,
            origin_lines(),
            prop_oneof![1 => Just(0usize), 6 => Just(1usize), 1 => Just(2usize)].prop_flat_map(
                |n| {
                    prop::collection::vec(
                        prop_oneof![
                            4 => any::<Index>().prop_map(Ok),
                            1 => prop_oneof![
                                Just(b"get".to_vec()),
                                Just(b"PROPFIND".to_vec()),
                                prop::collection::vec(any::<u8>(), 0..12),
                            ]
                            .prop_map(Err),
                        ],
                        n,
                    )
                },
            ),
            prop_oneof![2 => Just(0usize), 3 => Just(1usize), 1 => Just(2usize)]
                .prop_flat_map(|n| prop::collection::vec(header_line(), n)),
        ),
        (
            host(),
            sec_fetch_site(),
            forwarded_proto(),
            vary,
            any::<bool>(),
            any::<bool>(),
            prop::option::weighted(0.2, host()),
        ),
    )
        .prop_map(
            |(
                (method, origins, request_methods, request_headers),
                (host, sec_fetch_site, forwarded_proto, vary, reflect, every_method, absolute),
            )| Request {
                method,
                origins,
                request_methods,
                request_headers,
                host,
                sec_fetch_site,
                forwarded_proto,
                vary,
                reflect,
                every_method,
                absolute,
            },
        )
}

/// The request target: `path`, or in absolute form with `absolute`'s
/// authority. Only `http`: an actix-web test request is never TLS, while
/// the tower adapter takes `https` in the URI as TLS (as documented), so
/// an `https` URI would compare two different connections.
fn target(config: &Config, absolute: &Option<Host>, path: &str) -> String {
    match absolute.as_ref().and_then(|host| host.value(config)) {
        Some(authority) if http::uri::Authority::try_from(authority.as_str()).is_ok() => {
            format!("http://{authority}{path}")
        }
        _ => path.to_owned(),
    }
}

impl Request {
    /// The header lines to send, in order, each one HTTP/1.1 can carry.
    fn lines(&self, config: &Config, methods: &[String]) -> Vec<(&'static str, ActixValue)> {
        let mut lines = host_and_origins(config, &self.host, &self.origins);
        for line in &self.request_methods {
            let bytes = match line {
                Ok(i) => methods[i.index(methods.len())].as_bytes().to_vec(),
                Err(bytes) => bytes.clone(),
            };
            lines.push(("access-control-request-method", bytes));
        }
        for line in &self.request_headers {
            lines.push(("access-control-request-headers", line.bytes(config)));
        }
        push_site_and_proto(&mut lines, self.sec_fetch_site, self.forwarded_proto);
        for vary in &self.vary {
            lines.push(("x-vary", vary.as_bytes().to_vec()));
        }
        if self.reflect {
            lines.push(("x-reflect", b"1".to_vec()));
        }
        carried_lines(lines)
    }
}

// ---------------------------------------------------------------------------
// The two apps

/// What a response says, as far as CORS goes, in either framework.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    status: u16,
    handler_ran: bool,
    /// Every line of each header of [`COMPARED`], in order.
    headers: Vec<(&'static str, Vec<Line>)>,
    refused: Option<Refused>,
    /// For a response the crate answered itself (a refusal or a granted
    /// preflight) to a request other than `HEAD`: its `Content-Type` and
    /// body. (axum empties the body of every `HEAD` response, the
    /// actix-web test service does not: a server does, as HTTP says.)
    answer: Option<(Option<Line>, Line)>,
}

const COMPARED: [&str; 7] = [
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-max-age",
    "access-control-expose-headers",
    "vary",
];

/// A header line's bytes, shown escaped.
#[derive(PartialEq, Eq)]
struct Line(Vec<u8>);

impl std::fmt::Debug for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}\"", self.0.escape_ascii())
    }
}

impl Outcome {
    async fn of_actix(res: ServiceResponse<impl actix_web::body::MessageBody>, head: bool) -> Self {
        let headers = res.headers();
        let mut outcome = Outcome {
            status: res.status().as_u16(),
            handler_ran: headers.contains_key("x-handler-ran"),
            headers: COMPARED
                .iter()
                .map(|&name| {
                    let lines = headers.get_all(name).map(|v| Line(v.as_bytes().to_vec()));
                    (name, lines.collect())
                })
                .collect(),
            refused: res.response().extensions().get::<Refused>().copied(),
            answer: None,
        };
        if outcome.answered() && !head {
            let content_type = headers
                .get("content-type")
                .map(|v| Line(v.as_bytes().to_vec()));
            let body = actix_web::body::to_bytes(res.into_body())
                .await
                .unwrap_or_else(|_| panic!("the body could not be read"));
            outcome.answer = Some((content_type, Line(body.to_vec())));
        }
        outcome
    }

    async fn of_tower(res: http::Response<Body>, head: bool) -> Self {
        let headers = res.headers();
        let mut outcome = Outcome {
            status: res.status().as_u16(),
            handler_ran: headers.contains_key("x-handler-ran"),
            headers: COMPARED
                .iter()
                .map(|&name| {
                    let lines = headers
                        .get_all(name)
                        .iter()
                        .map(|v| Line(v.as_bytes().to_vec()));
                    (name, lines.collect())
                })
                .collect(),
            refused: res.extensions().get::<Refused>().copied(),
            answer: None,
        };
        if outcome.answered() && !head {
            let content_type = headers
                .get("content-type")
                .map(|v| Line(v.as_bytes().to_vec()));
            let body = res.into_body().collect().await.unwrap().to_bytes();
            outcome.answer = Some((content_type, Line(body.to_vec())));
        }
        outcome
    }

    /// Whether the crate answered without the handler: the other
    /// responses' bodies are the handler's and the frameworks'.
    fn answered(&self) -> bool {
        self.refused.is_some() || self.status == 204
    }
}

/// The route's handler in actix-web: marks that it ran, sets the `Vary`
/// lines it is asked for, and reflects `Origin` when asked.
async fn actix_handler(req: HttpRequest) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    res.insert_header(("x-handler-ran", "1"));
    for vary in req.headers().get_all("x-vary") {
        res.append_header(("vary", vary.clone()));
    }
    if req.headers().contains_key("x-reflect") {
        for origin in req.headers().get_all("origin") {
            res.append_header(("access-control-allow-origin", origin.clone()));
        }
        res.insert_header(("access-control-allow-credentials", "true"));
    }
    res.body("ok")
}

/// The same handler in axum.
async fn axum_handler(req: http::Request<Body>) -> http::Response<Body> {
    let mut res = http::Response::builder().header("x-handler-ran", "1");
    for vary in req.headers().get_all("x-vary") {
        res = res.header("vary", vary.clone());
    }
    if req.headers().contains_key("x-reflect") {
        for origin in req.headers().get_all("origin") {
            res = res.header("access-control-allow-origin", origin.clone());
        }
        res = res.header("access-control-allow-credentials", "true");
    }
    res.body(Body::from("ok")).unwrap()
}

/// The request for actix-web.
fn actix_request(method: &str, path: &str, lines: &[(&str, ActixValue)]) -> actix_http::Request {
    let method = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = atest::TestRequest::default().method(method).uri(path);
    for (name, value) in lines {
        req = req.append_header((*name, value.clone()));
    }
    req.to_request()
}

/// The same request for tower.
fn tower_request(method: &str, path: &str, lines: &[(&str, ActixValue)]) -> http::Request<Body> {
    let mut req = http::Request::builder().method(method).uri(path);
    for (name, value) in lines {
        req = req.header(
            *name,
            http::HeaderValue::from_bytes(value.as_bytes()).unwrap(),
        );
    }
    req.body(Body::empty()).unwrap()
}

/// The most methods a generated route serves.
const MAX_METHODS: usize = 6;

fn cors_layer(policy: &'static Policy, methods: &[String]) -> CorsLayer {
    // The layer removes duplicates: pad with the last method.
    let methods: [http::Method; MAX_METHODS] = std::array::from_fn(|i| {
        let name = &methods[i.min(methods.len() - 1)];
        http::Method::from_bytes(name.as_bytes()).unwrap()
    });
    CorsLayer::new(policy, methods)
}

/// `config`'s policy, or (`dynamic`) the same policy with its origins in a
/// set loaded at run time, holding the same entries.
fn policy_of(config: &Config, dynamic: bool) -> &'static Policy {
    let listed = config.leak().policy;
    if !dynamic {
        return listed;
    }
    let set: &'static DynamicOrigins = Box::leak(Box::new(DynamicOrigins::new("DYNAMIC", true)));
    let policy: &'static Policy =
        Box::leak(Box::new(with_origins(listed, OriginSet::Dynamic(set))));
    policy
        .set_origins(config.entries())
        .expect("the entries pass the rules");
    policy
}

/// Sends `request` to the route under `config` in both frameworks.
async fn both(config: &Config, dynamic: bool, request: &Request) -> (Outcome, Outcome) {
    let mut built = config.leak();
    built.policy = policy_of(config, dynamic);
    assert!(built.method_names.len() <= MAX_METHODS);
    let lines = request.lines(config, &built.method_names);
    let uri = target(config, &request.absolute, "/r");
    let head = request.method == "HEAD";

    let names = &built.method_names;
    let mut resource = web::resource("/r").wrap(cors(built.policy, Some(built.methods)));
    let mut route = MethodRouter::new();
    if request.every_method {
        resource = resource.to(actix_handler);
        route = routing::any(axum_handler);
    } else {
        for name in names {
            let method = http::Method::from_bytes(name.as_bytes()).unwrap();
            route = route.on(MethodFilter::try_from(method).unwrap(), axum_handler);
            let method = actix_web::http::Method::from_bytes(name.as_bytes()).unwrap();
            resource = resource.route(web::method(method).to(actix_handler));
        }
        // axum's `GET` route serves `HEAD` too.
        if names.iter().any(|m| m == "GET") && !names.iter().any(|m| m == "HEAD") {
            resource = resource.route(web::head().to(actix_handler));
        }
    }
    let actix = atest::init_service(App::new().service(resource)).await;
    let res = actix
        .call(actix_request(request.method, &uri, &lines))
        .await
        .unwrap();
    let from_actix = Outcome::of_actix(res, head).await;

    let router: Router = Router::new().route("/r", route.layer(cors_layer(built.policy, names)));
    let res = router
        .oneshot(tower_request(request.method, &uri, &lines))
        .await
        .unwrap();
    (from_actix, Outcome::of_tower(res, head).await)
}

/// Runs `cases` cases of `strategy`, each answered by both adapters
/// (`both`, on one actix-web system), and asserts the outcomes are equal.
fn assert_alike<S: Strategy>(
    cases: u32,
    strategy: &S,
    both: impl Fn(&actix_web::rt::SystemRunner, S::Value) -> (Outcome, Outcome),
) {
    let system = actix_web::rt::System::new();
    TestRunner::new(ProptestConfig {
        cases,
        // Shrunk failures are reported in the panic, not saved to a file.
        failure_persistence: None,
        ..ProptestConfig::default()
    })
    .run(strategy, |value| {
        let (actix, tower) = both(&system, value);
        prop_assert_eq!(actix, tower);
        Ok(())
    })
    .unwrap_or_else(|failure| panic!("{failure}"));
}

// ---------------------------------------------------------------------------
// Properties

#[test]
fn the_route_middleware_and_the_layer_answer_alike() {
    let cases = (config(), any::<bool>(), request());
    assert_alike(1024, &cases, |system, (config, dynamic, request)| {
        system.block_on(both(&config, dynamic, &request))
    });
}

const EXEMPT: &[&str] = &["/oauth/callback", "/hooks/*"];
/// The routed paths; requests go to these and to [`OTHER_TARGETS`].
const PATHS: [&str; 5] = [
    "/transfer",
    "/oauth/callback",
    "/oauth/callback/x",
    "/hooks/github",
    "/hooksx/a",
];
/// Request targets besides [`PATHS`]: a path no route serves (both
/// frameworks answer `404`, behind the guard), a query after an exempt
/// path, and a dot segment under an exempt prefix (neither framework
/// normalizes it: no route serves it).
const OTHER_TARGETS: [&str; 3] = [
    "/nowhere",
    "/oauth/callback?next=/transfer",
    "/hooks/../transfer",
];

#[derive(Debug, Clone)]
struct GuardCase {
    method: &'static str,
    path: &'static str,
    origins: Vec<OriginLine>,
    host: Host,
    sec_fetch_site: Option<&'static str>,
    forwarded_proto: Option<&'static str>,
    absolute: Option<Host>,
}

fn guard_case() -> impl Strategy<Value = GuardCase> {
    let method = prop_oneof![
        3 => Just("POST"),
        1 => Just("PUT"),
        1 => Just("DELETE"),
        1 => Just("PATCH"),
        1 => Just("PROPFIND"),
        1 => Just("post"),
        1 => Just("GET"),
        1 => Just("HEAD"),
        1 => Just("OPTIONS"),
    ];
    (
        method,
        prop_oneof![
            5 => prop::sample::select(&PATHS[..]),
            1 => prop::sample::select(&OTHER_TARGETS[..]),
        ],
        origin_lines(),
        host(),
        sec_fetch_site(),
        forwarded_proto(),
        prop::option::weighted(0.2, host()),
    )
        .prop_map(
            |(method, path, origins, host, sec_fetch_site, forwarded_proto, absolute)| GuardCase {
                method,
                path,
                origins,
                host,
                sec_fetch_site,
                forwarded_proto,
                absolute,
            },
        )
}

/// Sends `case` through both guards, each trusting `config`'s policy.
async fn both_guards(config: &Config, dynamic: bool, case: &GuardCase) -> (Outcome, Outcome) {
    let policy = policy_of(config, dynamic);
    let mut lines = host_and_origins(config, &case.host, &case.origins);
    push_site_and_proto(&mut lines, case.sec_fetch_site, case.forwarded_proto);
    let lines = carried_lines(lines);
    let uri = target(config, &case.absolute, case.path);
    let head = case.method == "HEAD";

    {
        // Every path is served for every method, so that the status tells
        // the guard's decision only, not the routers' 404s and 405s.
        let mut app = App::new().wrap(CrossOriginGuard::new().trust(policy).exempt(EXEMPT));
        let mut router: Router = Router::new();
        for path in PATHS {
            app = app.route(path, web::to(actix_handler));
            router = router.route(path, routing::any(axum_handler));
        }
        let actix = atest::init_service(app).await;
        let router = router.layer(CrossOriginGuardLayer::new().trust(policy).exempt(EXEMPT));

        let res = actix
            .call(actix_request(case.method, &uri, &lines))
            .await
            .unwrap();
        let from_actix = Outcome::of_actix(res, head).await;
        let res = router
            .oneshot(tower_request(case.method, &uri, &lines))
            .await
            .unwrap();
        (from_actix, Outcome::of_tower(res, head).await)
    }
}

// The guards trust the policy given to them, and nothing the other property
// builds: no registry to read around.
#[test]
fn the_two_guards_answer_alike() {
    let cases = (config(), any::<bool>(), guard_case());
    assert_alike(512, &cases, |system, (config, dynamic, case)| {
        system.block_on(both_guards(&config, dynamic, &case))
    });
}
