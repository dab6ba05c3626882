//! Property tests: hostile request headers against arbitrary configurations.
//!
//! Configurations are whatever the macro accepts: origins that pass
//! `cors_credentials_rules::origin::check` and patterns that pass
//! `cors_credentials_rules::entry::check` (the functions the macro runs at
//! compile time), valid header and method names, any `max_age` and
//! `on_disallowed`. The attribute needs literals, so arbitrary configurations
//! are built at run time as the `'static` values the macro would generate
//! and wrapped around a resource with the same middleware; one fixed
//! configuration goes through a real annotated handler. Every case drives a
//! real request through `actix_web::test` and checks the response:
//!
//! - `Access-Control-Allow-Origin` appears only for an allowed origin, once,
//!   equal to the request's `Origin` byte for byte;
//! - `Access-Control-Allow-Credentials` never appears without it;
//! - `Vary` always covers `Origin`;
//! - nothing panics (a panic fails the case).

use std::collections::BTreeSet;

use actix_web::{
    dev::{Service, ServiceResponse},
    get,
    http::{
        header::{self, HeaderName, HeaderValue},
        Method, StatusCode,
    },
    test as atest, web, App, HttpRequest, HttpResponse, Responder,
};
use cors_credentials::{
    __private::{Cors, DynamicOrigins, Methods, OriginSet, Policy},
    cors_credentials,
    test_hooks::{decide, Head},
};
use cors_credentials_rules::{
    entry::{self, Entry},
    list::{self, CheckedList, Pattern},
    origin::check,
};
use proptest::{prelude::*, sample::Index, test_runner::TestRunner};
use test_support::{oracle, policy::Spec};

// ---------------------------------------------------------------------------
// Configurations

/// A configuration the macro accepts.
#[derive(Debug, Clone)]
struct Config {
    /// Canonical, deduplicated, in lookup order; at least one.
    origins: Vec<String>,
    /// Subdomain and any-port patterns.
    patterns: Vec<Pattern>,
    headers: Option<Vec<String>>,
    expose_headers: Vec<String>,
    max_age: u32,
    pass: bool,
    methods: Vec<String>,
}

/// Origin-like strings: mostly well formed, some anything.
fn candidate_origin() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![Just("https"), Just("http")];
    let port = prop::option::of(1u16..=65535);
    prop_oneof![
        4 => (scheme.clone(), prop::collection::vec("[a-z0-9][a-z0-9_-]{0,10}", 1..4), port.clone())
            .prop_map(|(scheme, labels, port)| with_port(scheme, &labels.join("."), port)),
        1 => (scheme.clone(), any::<[u8; 4]>(), port.clone())
            .prop_map(|(scheme, ip, port)| {
                let host = format!("{}.{}.{}.{}", ip[0], ip[1], ip[2], ip[3]);
                with_port(scheme, &host, port)
            }),
        1 => (scheme.clone(), prop_oneof![Just("[::1]"), Just("[2001:db8::1]"), Just("localhost"), Just("xn--bcher-kva.de")], port)
            .prop_map(|(scheme, host, port)| with_port(scheme, host, port)),
        1 => "\\PC{0,30}",
    ]
}

fn with_port(scheme: &str, host: &str, port: Option<u16>) -> String {
    match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    }
}

/// An origin the macro accepts, in its canonical form.
fn configured_origin() -> impl Strategy<Value = String> {
    candidate_origin().prop_filter_map("refused by the configuration rules", |origin| {
        check(&origin).ok().map(|accepted| accepted.serialized)
    })
}

/// A pattern the macro accepts: `scheme://*.domain[:port]` or `scheme://loopback:*`.
fn configured_pattern() -> impl Strategy<Value = Pattern> {
    let scheme = prop_oneof![Just("https"), Just("http")];
    prop_oneof![
        3 => (scheme.clone(), prop::collection::vec("[a-z0-9][a-z0-9-]{0,8}", 2..4), prop::option::of(1u16..=65535))
            .prop_map(|(scheme, labels, port)| with_port(scheme, &format!("*.{}", labels.join(".")), port)),
        1 => (scheme, prop_oneof![Just("localhost"), Just("127.0.0.1"), Just("[::1]")])
            .prop_map(|(scheme, host)| format!("{scheme}://{host}:*")),
    ]
    .prop_filter_map("refused by the configuration rules", |pattern| {
        match entry::check(&pattern).ok()? {
            Entry::Subdomain { scheme, suffix, .. } => Some(Pattern::Subdomain { scheme, suffix }),
            Entry::AnyPort { prefix } => Some(Pattern::AnyPort { prefix }),
            Entry::Exact(_) => None,
        }
    })
}

fn token() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_-]{0,14}"
}

fn config() -> impl Strategy<Value = Config> {
    let methods =
        prop::sample::subsequence(vec!["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"], 1..=6);
    (
        prop::collection::vec(configured_origin(), 1..6),
        prop::collection::vec(configured_pattern(), 0..3),
        prop::option::of(prop::collection::vec(token(), 0..5)),
        prop::collection::vec(token(), 0..3),
        0u32..=86_400,
        any::<bool>(),
        methods,
    )
        .prop_map(
            |(origins, pattern_entries, headers, expose_headers, max_age, pass, methods)| {
                let mut origins: Vec<String> = origins
                    .into_iter()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                origins.sort_by(|a, b| list::order(a.as_bytes(), b.as_bytes()));
                let mut patterns: Vec<Pattern> = Vec::new();
                for pattern in pattern_entries {
                    if !patterns.contains(&pattern) {
                        patterns.push(pattern);
                    }
                }
                let headers = headers.map(|names| {
                    names
                        .into_iter()
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect()
                });
                Config {
                    origins,
                    patterns,
                    headers,
                    expose_headers,
                    max_age,
                    pass,
                    methods: methods.into_iter().map(str::to_owned).collect(),
                }
            },
        )
}

impl Config {
    /// The `'static` values the macro would generate for this configuration,
    /// built through the macro's own origin-list checker.
    /// The origin-list entries as they would be written.
    fn entries(&self) -> Vec<String> {
        let patterns = self.patterns.iter().map(|p| match p {
            Pattern::Subdomain { scheme, suffix } => format!("{scheme}*{suffix}"),
            Pattern::AnyPort { prefix } => format!("{prefix}*"),
        });
        self.origins.iter().cloned().chain(patterns).collect()
    }

    fn build(&self) -> (&'static Policy, &'static Methods) {
        let built = Spec {
            origins: self.entries(),
            // Plain http is accepted with `allow_insecure_http_origins`.
            allow_insecure_http: true,
            headers: self.headers.clone(),
            expose_headers: self.expose_headers.clone(),
            max_age: self.max_age,
            pass: self.pass,
            methods: self.methods.clone(),
        }
        .leak()
        .expect("the configuration passes the rules");
        assert_eq!(built.list.exact, self.origins);
        assert_eq!(built.list.patterns, self.patterns);
        (built.policy, built.methods)
    }

    /// The model: a configured origin byte for byte, or admitted by a pattern.
    fn allows(&self, origin: &[u8]) -> bool {
        let list = CheckedList {
            exact: self.origins.clone(),
            patterns: self.patterns.clone(),
        };
        oracle::allows(&list, origin)
    }
}

// ---------------------------------------------------------------------------
// Requests

/// The `Origin` a request carries.
#[derive(Debug, Clone)]
enum OriginChoice {
    Configured(Index),
    /// Labels under a configured subdomain pattern, or a port for an any-port one.
    PatternHit(Index, String, u16),
    NearMiss(Index, Near),
    Bytes(Vec<u8>),
    /// A long value: `len` bytes of an allowed origin repeated.
    Long(Index, usize),
    Null,
    Empty,
}

/// Ways to miss an allowed origin by a little.
#[derive(Debug, Clone, Copy)]
enum Near {
    Uppercase(usize),
    TrailingSlash,
    TrailingDot,
    DefaultPort,
    OtherScheme,
    BeforeFirstDot(u8),
    Suffix,
    Prefix,
}

fn near() -> impl Strategy<Value = Near> {
    prop_oneof![
        any::<usize>().prop_map(Near::Uppercase),
        Just(Near::TrailingSlash),
        Just(Near::TrailingDot),
        Just(Near::DefaultPort),
        Just(Near::OtherScheme),
        prop_oneof![Just(b'x'), Just(b'-'), Just(b'_'), 0x21u8..0x7f]
            .prop_map(Near::BeforeFirstDot),
        Just(Near::Suffix),
        Just(Near::Prefix),
    ]
}

impl Near {
    /// `origin` changed this way.
    fn apply(self, origin: &str) -> String {
        let (scheme, authority) = origin.split_once("://").unwrap();
        match self {
            Near::Uppercase(at) => {
                // Any letter of the scheme or host, so the change is real.
                let letters: Vec<usize> = origin
                    .char_indices()
                    .filter(|(_, c)| c.is_ascii_lowercase())
                    .map(|(i, _)| i)
                    .collect();
                let mut bytes = origin.as_bytes().to_vec();
                let i = letters[at % letters.len()];
                bytes[i].make_ascii_uppercase();
                String::from_utf8(bytes).unwrap()
            }
            Near::TrailingSlash => format!("{origin}/"),
            Near::TrailingDot => format!("{origin}."),
            Near::DefaultPort => {
                let port = if scheme == "https" { 443 } else { 80 };
                format!("{origin}:{port}")
            }
            Near::OtherScheme => {
                let other = if scheme == "https" { "http" } else { "https" };
                format!("{other}://{authority}")
            }
            Near::BeforeFirstDot(c) => {
                let at = authority.find('.').unwrap_or(authority.len());
                let (host, rest) = authority.split_at(at);
                format!("{scheme}://{host}{}{rest}", c as char)
            }
            Near::Suffix => format!("{origin}.evil.net"),
            Near::Prefix => format!("{scheme}://evil{authority}"),
        }
    }

    /// Whether no canonical origin can look like this, so no configuration
    /// can allow it.
    fn never_canonical(self) -> bool {
        matches!(
            self,
            Near::Uppercase(_) | Near::TrailingSlash | Near::TrailingDot | Near::DefaultPort
        )
    }
}

fn origin_choice() -> impl Strategy<Value = OriginChoice> {
    prop_oneof![
        3 => any::<Index>().prop_map(OriginChoice::Configured),
        2 => (any::<Index>(), "[a-z0-9-]{1,10}(\\.[a-z0-9_-]{1,5}){0,2}", any::<u16>())
            .prop_map(|(i, labels, port)| OriginChoice::PatternHit(i, labels, port)),
        3 => (any::<Index>(), near()).prop_map(|(i, n)| OriginChoice::NearMiss(i, n)),
        // ASCII, non-ASCII and control bytes.
        2 => prop::collection::vec(any::<u8>(), 0..64).prop_map(OriginChoice::Bytes),
        2 => prop::collection::vec(prop_oneof![0x20u8..0x7f, 0x80u8..=0xff, Just(b'\t')], 0..64)
            .prop_map(OriginChoice::Bytes),
        1 => (any::<Index>(), 256usize..12 * 1024).prop_map(|(i, len)| OriginChoice::Long(i, len)),
        1 => Just(OriginChoice::Null),
        1 => Just(OriginChoice::Empty),
    ]
}

impl OriginChoice {
    fn bytes(&self, config: &Config) -> Vec<u8> {
        let pick = |i: &Index| config.origins[i.index(config.origins.len())].as_str();
        match self {
            OriginChoice::Configured(i) => pick(i).as_bytes().to_vec(),
            OriginChoice::PatternHit(i, labels, port) => {
                if config.patterns.is_empty() {
                    return pick(i).as_bytes().to_vec();
                }
                match &config.patterns[i.index(config.patterns.len())] {
                    Pattern::Subdomain { scheme, suffix } => {
                        format!("{scheme}{labels}{suffix}").into_bytes()
                    }
                    Pattern::AnyPort { prefix } => format!("{prefix}{port}").into_bytes(),
                }
            }
            OriginChoice::NearMiss(i, near) => near.apply(pick(i)).into_bytes(),
            OriginChoice::Bytes(bytes) => bytes.clone(),
            OriginChoice::Long(i, len) => pick(i).bytes().cycle().take(*len).collect(),
            OriginChoice::Null => b"null".to_vec(),
            OriginChoice::Empty => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Get,
    Post,
    Preflight,
}

#[derive(Debug, Clone)]
struct Request {
    kind: Kind,
    origins: Vec<OriginChoice>,
    /// `Access-Control-Request-Method` lines (a served method picked by index, or anything).
    request_methods: Vec<Result<Index, Vec<u8>>>,
    /// `Access-Control-Request-Headers` lines.
    request_headers: Vec<Vec<u8>>,
    sec_fetch_site: Option<&'static str>,
    /// The handler reflects `Origin` into the CORS headers, as a naive one would.
    reflecting_handler: bool,
}

fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => "[a-zA-Z0-9 ,\t*-]{0,40}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..40),
        1 => (token(), 1usize..3000).prop_map(|(name, n)| vec![name; n].join(",").into_bytes()),
    ]
}

fn request() -> impl Strategy<Value = Request> {
    (
        prop_oneof![Just(Kind::Get), Just(Kind::Post), Just(Kind::Preflight)],
        prop_oneof![
            1 => Just(0usize),
            8 => Just(1usize),
            1 => 2usize..4,
        ]
        .prop_flat_map(|n| prop::collection::vec(origin_choice(), n)),
        prop::collection::vec(
            prop_oneof![
                3 => any::<Index>().prop_map(Ok),
                1 => prop::collection::vec(any::<u8>(), 0..12).prop_map(Err),
            ],
            0..3,
        ),
        prop::collection::vec(header_bytes(), 0..3),
        prop::option::of(prop_oneof![
            Just("same-origin"),
            Just("same-site"),
            Just("cross-site"),
            Just("none")
        ]),
        any::<bool>(),
    )
        .prop_map(
            |(
                kind,
                origins,
                request_methods,
                request_headers,
                sec_fetch_site,
                reflecting_handler,
            )| Request {
                kind,
                origins,
                request_methods,
                request_headers,
                sec_fetch_site,
                reflecting_handler,
            },
        )
}

/// Whether HTTP/1.1 can carry `value` in a header: actix-web's parser refuses
/// a request with any other byte (NUL, CR, LF, other controls, DEL) before a
/// handler or middleware sees it.
fn http_can_carry(value: &[u8]) -> bool {
    value
        .iter()
        .all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// `value` as a header value, checking the premise above.
fn carried(value: &[u8]) -> Option<HeaderValue> {
    let parsed = HeaderValue::from_bytes(value).ok();
    assert_eq!(parsed.is_some(), http_can_carry(value), "{value:?}");
    parsed
}

/// The handler behind every generated configuration. A naive handler that
/// reflects `Origin` shows the middleware overrides whatever the route sets.
async fn handler(req: HttpRequest) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    res.insert_header(("x-handler-ran", "1"));
    if req.headers().contains_key("x-reflect") {
        for origin in req.headers().get_all(header::ORIGIN) {
            res.append_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone()));
        }
        res.insert_header((header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"));
        res.insert_header((header::VARY, "Accept-Encoding"));
    }
    res.body("ok")
}

// ---------------------------------------------------------------------------
// Checks

/// Every value of `name`, as bytes.
fn all(res: &ServiceResponse, name: &HeaderName) -> Vec<Vec<u8>> {
    res.headers()
        .get_all(name)
        .map(|v| v.as_bytes().to_vec())
        .collect()
}

fn vary_covers_origin(res: &ServiceResponse) -> bool {
    all(res, &header::VARY).iter().any(|line| {
        line.split(|&b| b == b',')
            .map(<[u8]>::trim_ascii)
            .any(|name| name == b"*" || name.eq_ignore_ascii_case(b"origin"))
    })
}

/// The invariants every response meets. `sent` are the `Origin` lines the
/// request carried.
fn check_response(
    config: &Config,
    sent: &[Vec<u8>],
    res: &ServiceResponse,
) -> Result<(), TestCaseError> {
    let allow_origin = all(res, &header::ACCESS_CONTROL_ALLOW_ORIGIN);
    let allow_credentials = all(res, &header::ACCESS_CONTROL_ALLOW_CREDENTIALS);
    prop_assert!(
        vary_covers_origin(res),
        "no Vary: Origin in {:?}",
        res.headers()
    );
    if allow_origin.is_empty() {
        prop_assert!(
            allow_credentials.is_empty(),
            "Access-Control-Allow-Credentials without Access-Control-Allow-Origin: {:?}",
            res.headers()
        );
    } else {
        prop_assert_eq!(sent.len(), 1, "allowed with {} Origin headers", sent.len());
        prop_assert_eq!(&allow_origin, &[sent[0].clone()]);
        prop_assert!(
            config.allows(&sent[0]),
            "allowed a foreign origin {:?}",
            String::from_utf8_lossy(&sent[0])
        );
        prop_assert_eq!(allow_credentials, vec![b"true".to_vec()]);
    }
    Ok(())
}

/// A resource at `/r` serving [`handler`] under `config`'s policy.
async fn app(
    config: &Config,
) -> impl Service<actix_http::Request, Response = ServiceResponse, Error = actix_web::Error> {
    let (policy, methods) = config.build();
    atest::init_service(
        App::new().service(
            web::resource("/r")
                .wrap(Cors::new(policy, Some(methods)))
                .to(handler),
        ),
    )
    .await
}

/// Builds the app for `config`, sends `request`, and checks the response.
async fn run_case(config: &Config, request: &Request) -> Result<(), TestCaseError> {
    let app = app(config).await;

    let method = match request.kind {
        Kind::Get => Method::GET,
        Kind::Post => Method::POST,
        Kind::Preflight => Method::OPTIONS,
    };
    let mut req = atest::TestRequest::default()
        .method(method)
        .uri("/r")
        .insert_header((header::HOST, "api.internal.test"));
    let mut sent = Vec::new();
    for origin in &request.origins {
        if let Some(value) = carried(&origin.bytes(config)) {
            sent.push(value.as_bytes().to_vec());
            req = req.append_header((header::ORIGIN, value));
        }
    }
    let mut requested_method = None;
    let (mut method_lines, mut header_lines) = (0, 0);
    if matches!(request.kind, Kind::Preflight) {
        for line in &request.request_methods {
            let bytes = match line {
                Ok(i) => config.methods[i.index(config.methods.len())]
                    .as_bytes()
                    .to_vec(),
                Err(bytes) => bytes.clone(),
            };
            if let Some(value) = carried(&bytes) {
                requested_method.get_or_insert(bytes);
                method_lines += 1;
                req = req.append_header((header::ACCESS_CONTROL_REQUEST_METHOD, value));
            }
        }
        for line in &request.request_headers {
            if let Some(value) = carried(line) {
                header_lines += 1;
                req = req.append_header((header::ACCESS_CONTROL_REQUEST_HEADERS, value));
            }
        }
    }
    if let Some(site) = request.sec_fetch_site {
        req = req.insert_header(("sec-fetch-site", site));
    }
    if request.reflecting_handler {
        req = req.insert_header(("x-reflect", "1"));
    }
    let res = app
        .call(req.to_request())
        .await
        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
    check_response(config, &sent, &res)?;

    let allowed = sent.len() == 1 && config.allows(&sent[0]);
    let ran = res.headers().contains_key("x-handler-ran");
    let is_preflight =
        matches!(request.kind, Kind::Preflight) && !sent.is_empty() && requested_method.is_some();
    if is_preflight {
        prop_assert!(!ran, "the handler ran for a preflight");
        prop_assert!(
            res.status() == StatusCode::NO_CONTENT || res.status() == StatusCode::FORBIDDEN,
            "{}",
            res.status()
        );
        // A plain preflight from an allowed origin for a served method is granted.
        if allowed
            && method_lines == 1
            && header_lines == 0
            && config
                .methods
                .iter()
                .any(|m| Some(m.as_bytes()) == requested_method.as_deref())
        {
            prop_assert_eq!(res.status(), StatusCode::NO_CONTENT);
        }
    } else if allowed {
        // An actual request from an allowed origin runs and is readable.
        prop_assert!(ran);
        prop_assert!(res
            .headers()
            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
    } else if !sent.is_empty()
        && request.sec_fetch_site != Some("same-origin")
        && !sent[0].eq_ignore_ascii_case(b"http://api.internal.test")
    {
        // Cross-origin and not allowed: refused before the handler, or (pass) run without CORS headers.
        if config.pass {
            prop_assert!(ran);
        } else {
            prop_assert_eq!(res.status(), StatusCode::FORBIDDEN);
            prop_assert!(!ran, "the handler ran for a refused origin");
        }
    }
    Ok(())
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(ProptestConfig {
        cases,
        ..ProptestConfig::default()
    })
}

/// Runs `body` for every generated value inside one actix-web runtime.
fn run<S: Strategy>(cases: u32, strategy: S, body: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let mut runner = runner(cases);
    if let Err(failure) = runner.run(&strategy, body) {
        panic!("{failure}");
    }
}

// ---------------------------------------------------------------------------
// Properties

#[test]
fn arbitrary_requests_against_arbitrary_configurations() {
    let system = actix_web::rt::System::new();
    run(768, (config(), request()), |(config, request)| {
        system.block_on(run_case(&config, &request))
    });
}

#[test]
fn configured_origins_are_allowed_exactly() {
    let system = actix_web::rt::System::new();
    run(128, (config(), any::<Index>()), |(config, index)| {
        let origin = config.origins[index.index(config.origins.len())].clone();
        let request = Request {
            kind: Kind::Get,
            origins: vec![OriginChoice::Bytes(origin.clone().into_bytes())],
            request_methods: vec![],
            request_headers: vec![],
            sec_fetch_site: Some("cross-site"),
            reflecting_handler: false,
        };
        system.block_on(run_case(&config, &request))
    });
}

/// Sends one actual request with `origins` and returns the response.
async fn send(config: &Config, origins: &[&[u8]]) -> ServiceResponse {
    let app = app(config).await;
    let mut req = atest::TestRequest::get()
        .uri("/r")
        .insert_header((header::HOST, "api.internal.test"))
        .insert_header(("sec-fetch-site", "cross-site"))
        .insert_header(("x-reflect", "1"));
    for origin in origins {
        req = req.append_header((header::ORIGIN, HeaderValue::from_bytes(origin).unwrap()));
    }
    app.call(req.to_request()).await.unwrap()
}

fn assert_not_allowed(config: &Config, res: &ServiceResponse) -> Result<(), TestCaseError> {
    prop_assert!(
        all(res, &header::ACCESS_CONTROL_ALLOW_ORIGIN).is_empty(),
        "{:?}",
        res.headers()
    );
    prop_assert!(all(res, &header::ACCESS_CONTROL_ALLOW_CREDENTIALS).is_empty());
    prop_assert!(vary_covers_origin(res));
    let ran = res.headers().contains_key("x-handler-ran");
    if config.pass {
        prop_assert!(ran);
    } else {
        prop_assert_eq!(res.status(), StatusCode::FORBIDDEN);
        prop_assert!(!ran);
    }
    Ok(())
}

#[test]
fn near_misses_of_allowed_origins_are_never_allowed() {
    let system = actix_web::rt::System::new();
    run(
        512,
        (config(), any::<Index>(), near()),
        |(config, index, near)| {
            let origin = &config.origins[index.index(config.origins.len())];
            let miss = near.apply(origin);
            if near.never_canonical() {
                // Case, trailing slash, trailing dot, default port: no
                // configuration can list these and no pattern admits them.
                prop_assert!(check(&miss).is_err(), "{miss} passed the rules");
                prop_assert!(!config.origins.contains(&miss));
                prop_assert!(
                    !config.allows(miss.as_bytes()),
                    "{miss} admitted by {:?}",
                    config.patterns
                );
            }
            let res = system.block_on(send(&config, &[miss.as_bytes()]));
            if config.allows(miss.as_bytes()) {
                // Another scheme, or a character before a dot, can be a
                // configured origin of its own; then it is allowed as itself.
                prop_assert_eq!(
                    all(&res, &header::ACCESS_CONTROL_ALLOW_ORIGIN),
                    vec![miss.into_bytes()]
                );
                Ok(())
            } else {
                assert_not_allowed(&config, &res)
            }
        },
    );
}

#[test]
fn two_origin_headers_empty_and_null_are_never_allowed() {
    let system = actix_web::rt::System::new();
    run(
        256,
        (config(), any::<Index>(), any::<Index>()),
        |(config, a, b)| {
            let a = config.origins[a.index(config.origins.len())].as_bytes();
            let b = config.origins[b.index(config.origins.len())].as_bytes();
            let empty: &[u8] = b"";
            let null: &[u8] = b"null";
            let cases: [&[&[u8]]; 7] = [
                &[a, b],
                &[a, a],
                &[b, a],
                &[empty],
                &[null],
                &[empty, a],
                &[a, null],
            ];
            for origins in cases {
                let res = system.block_on(send(&config, origins));
                assert_not_allowed(&config, &res)?;
            }
            Ok(())
        },
    );
}

#[test]
fn a_dynamic_set_decides_like_the_same_list_in_the_source() {
    run(
        256,
        (
            config(),
            prop::collection::vec(origin_choice(), 1..8),
            any::<bool>(),
        ),
        |(config, choices, secure)| {
            let (listed, _) = config.build();
            let dynamic: &'static DynamicOrigins =
                Box::leak(Box::new(DynamicOrigins::new("DYNAMIC", true)));
            let dynamic: &'static Policy = Box::leak(Box::new(Policy {
                origins: OriginSet::Dynamic(dynamic),
                ..*listed
            }));
            dynamic.set_origins(config.entries()).unwrap();
            for choice in &choices {
                let Some(origin) = carried(&choice.bytes(&config)) else {
                    continue;
                };
                let req = atest::TestRequest::get()
                    .uri("/r")
                    .insert_header((header::HOST, "api.internal.test"))
                    .insert_header((header::ORIGIN, origin))
                    .to_http_request();
                let head = Head::new(req.head(), secure);
                prop_assert_eq!(
                    format!("{:?}", decide(listed, &head)),
                    format!("{:?}", decide(dynamic, &head))
                );
            }
            Ok(())
        },
    );
}

// A fixed configuration through a real annotated handler: the policy the
// macro generated, its middleware and its preflight route.
#[cors_credentials(
    origins = ["https://app.example.com", "http://localhost:3000"],
    headers = ["content-type", "x-csrf-token"]
)]
#[get("/fixed")]
async fn fixed() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-handler-ran", "1"))
        .finish()
}

#[test]
fn annotated_handler_with_arbitrary_origin_and_request_headers() {
    let config = Config {
        origins: vec![
            "https://app.example.com".into(),
            "http://localhost:3000".into(),
        ],
        patterns: vec![],
        headers: Some(vec!["content-type".into(), "x-csrf-token".into()]),
        expose_headers: vec![],
        max_age: 7200,
        pass: false,
        methods: vec!["GET".into()],
    };
    let system = actix_web::rt::System::new();
    run(512, (request(), any::<bool>()), |(request, preflight)| {
        system.block_on(async {
            let app = atest::init_service(App::new().service(fixed)).await;
            let method = if preflight {
                Method::OPTIONS
            } else {
                Method::GET
            };
            let mut req = atest::TestRequest::default().method(method).uri("/fixed");
            let mut sent = Vec::new();
            for origin in &request.origins {
                if let Some(value) = carried(&origin.bytes(&config)) {
                    sent.push(value.as_bytes().to_vec());
                    req = req.append_header((header::ORIGIN, value));
                }
            }
            if preflight {
                req = req.insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "GET"));
                for line in &request.request_headers {
                    if let Some(value) = carried(line) {
                        req = req.append_header((header::ACCESS_CONTROL_REQUEST_HEADERS, value));
                    }
                }
            }
            let res = app.call(req.to_request()).await.unwrap();
            // A preflight without Origin is not a preflight: no route answers it.
            if preflight && sent.is_empty() {
                prop_assert_eq!(res.status(), StatusCode::NOT_FOUND);
                return Ok(());
            }
            check_response(&config, &sent, &res)?;
            let allowed = sent.len() == 1 && config.allows(&sent[0]);
            if !preflight {
                prop_assert_eq!(
                    res.headers().contains_key("x-handler-ran"),
                    allowed || sent.is_empty()
                );
            }
            Ok(())
        })
    });
}
