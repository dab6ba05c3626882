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
    cors_credentials,
    test_hooks::{cors, decide, with_origins, DynamicOrigins, OriginSet, RequestView},
    Policy,
};
use cors_credentials_rules::origin::check;
use proptest::{prelude::*, sample::Index, test_runner::TestRunner};
use test_support::strategies::{
    carried, config, header_bytes, near, origin_choice, Config, OriginChoice,
};

// ---------------------------------------------------------------------------
// Requests

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

prop_compose! {
    fn request()(
        kind in prop_oneof![Just(Kind::Get), Just(Kind::Post), Just(Kind::Preflight)],
        origins in prop_oneof![
            1 => Just(0usize),
            8 => Just(1usize),
            1 => 2usize..4,
        ]
        .prop_flat_map(|n| prop::collection::vec(origin_choice(), n)),
        request_methods in prop::collection::vec(
            prop_oneof![
                3 => any::<Index>().prop_map(Ok),
                1 => prop::collection::vec(any::<u8>(), 0..12).prop_map(Err),
            ],
            0..3,
        ),
        request_headers in prop::collection::vec(header_bytes(), 0..3),
        sec_fetch_site in prop::option::of(prop_oneof![
            Just("same-origin"),
            Just("same-site"),
            Just("cross-site"),
            Just("none")
        ]),
        reflecting_handler in any::<bool>(),
    ) -> Request {
        Request {
            kind,
            origins,
            request_methods,
            request_headers,
            sec_fetch_site,
            reflecting_handler,
        }
    }
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
                .wrap(cors(policy, Some(methods)))
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
            let dynamic: &'static Policy =
                Box::leak(Box::new(with_origins(listed, OriginSet::Dynamic(dynamic))));
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
                let head = RequestView::new(req.head(), secure);
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
