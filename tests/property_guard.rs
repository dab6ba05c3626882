//! Property test of the app-wide `CrossOriginGuard`: arbitrary methods,
//! `Sec-Fetch-Site` values, `Origin` lines and paths, through a real app,
//! against a model of the rules written here from the Fetch Metadata and
//! Go `CrossOriginProtection` algorithm, with origins decided by the
//! independent list model of `test_support::oracle`.
//!
//! Least privilege: an unsafe cross-origin request runs a handler only where
//! the route's own policy (for that method) or the guard's explicit `trust`
//! admits its origin.

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{http::Method, post, put, test as atest, web, App, Responder};
use cors_credentials::{cors_credentials, policy, Check, CrossOriginGuard, Refused};
use cors_credentials_rules::list::check_list;
use proptest::{
    prelude::*,
    test_runner::{TestCaseError, TestRunner},
};
use test_support::oracle;

/// The origins `POST /annotated` allows.
const ROUTE: [&str; 2] = ["https://app.example.com", "http://localhost:*"];
/// The origins `PUT /pass` (`on_disallowed = "pass"`) allows.
const PASS: [&str; 1] = ["https://*.partners.example.com"];
/// The origins the guard trusts on purpose.
const IDP: [&str; 1] = ["https://login.idp.example.org"];

policy! {
    IDENTITY_PROVIDER = { origins: ["https://login.idp.example.org"] };
}

type Runs = web::Data<AtomicUsize>;

#[cors_credentials(origins = ["https://app.example.com", "http://localhost:*"])]
#[post("/annotated")]
async fn annotated(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "annotated"
}

#[cors_credentials(origins = ["https://*.partners.example.com"], on_disallowed = "pass")]
#[put("/pass")]
async fn pass(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "pass"
}

const HOST: &str = "api.example.com";
const EXEMPT: &[&str] = &["/oauth/callback", "/hooks/*"];

#[derive(Debug, Clone)]
struct Case {
    method: Method,
    site: Option<&'static str>,
    origins: Vec<String>,
    path: &'static str,
}

fn origin() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("https://app.example.com".to_owned()),
        Just("http://app.example.com".to_owned()),
        Just("https://app.example.com.evil.net".to_owned()),
        Just("http://localhost:3000".to_owned()),
        Just("http://localhost".to_owned()),
        Just("http://localhost:03000".to_owned()),
        Just("https://eu.partners.example.com".to_owned()),
        Just("https://partners.example.com".to_owned()),
        Just("https://-x.partners.example.com".to_owned()),
        Just("https://login.idp.example.org".to_owned()),
        // The request's own origin, and near misses of it.
        Just(format!("http://{HOST}")),
        Just(format!("https://{HOST}")),
        Just(format!("http://{HOST}:8080")),
        Just("null".to_owned()),
        Just(String::new()),
        "[a-z:/.*0-9-]{0,30}",
    ]
}

fn case() -> impl Strategy<Value = Case> {
    let method = prop_oneof![
        Just(Method::GET),
        Just(Method::HEAD),
        Just(Method::OPTIONS),
        Just(Method::POST),
        Just(Method::PUT),
        Just(Method::DELETE),
        Just(Method::PATCH),
        Just(Method::from_bytes(b"get").unwrap()),
        Just(Method::from_bytes(b"PROPFIND").unwrap()),
    ];
    let site = prop_oneof![
        Just(None),
        Just(Some("same-origin")),
        Just(Some("none")),
        Just(Some("same-site")),
        Just(Some("cross-site")),
        Just(Some("Same-Origin")),
        Just(Some("")),
    ];
    let path = prop_oneof![
        Just("/transfer"),
        Just("/annotated"),
        Just("/pass"),
        Just("/oauth/callback"),
        Just("/oauth/callback/x"),
        Just("/hooks/github"),
        Just("/hooks"),
        Just("/hooksx/a"),
    ];
    (method, site, prop::collection::vec(origin(), 0..3), path).prop_map(
        |(method, site, origins, path)| Case {
            method,
            site,
            origins,
            path,
        },
    )
}

fn allows(list: &[&str], origin: &str) -> bool {
    oracle::allows(
        &check_list(list.iter().copied(), false).unwrap(),
        origin.as_bytes(),
    )
}

/// Whether the route of `case` admits `origin` for its method: `POST
/// /annotated` decides alone (it refuses what it does not allow), `PUT
/// /pass` would run for anyone, so only its own origins.
fn route_admits(case: &Case, origin: &str) -> bool {
    match (case.path, case.method.as_str()) {
        ("/annotated", "POST") => true,
        ("/pass", "PUT") => allows(&PASS, origin),
        _ => false,
    }
}

/// Whether the guard must pass `case`, from the rules alone.
fn model_passes(case: &Case) -> bool {
    let safe = ["GET", "HEAD", "OPTIONS"].contains(&case.method.as_str());
    let exempt = EXEMPT.iter().any(|exempt| match exempt.strip_suffix('*') {
        Some(prefix) => case.path.starts_with(prefix),
        None => case.path == *exempt,
    });
    let admitted = match (case.site, case.origins.as_slice()) {
        (Some("same-origin" | "none"), _) => true,
        (None, []) => true,
        // Plain-http test requests to `Host: api.example.com`, without
        // Fetch Metadata.
        (None, [origin]) if *origin == format!("http://{HOST}") => true,
        (_, [origin]) => allows(&IDP, origin) || route_admits(case, origin),
        _ => false,
    };
    safe || admitted || exempt
}

async fn handler(runs: Runs) -> &'static str {
    runs.fetch_add(1, Ordering::SeqCst);
    "ran"
}

#[test]
fn the_guard_decides_as_the_rules_say() {
    const GUARD: CrossOriginGuard = CrossOriginGuard::new()
        .trust(&IDENTITY_PROVIDER)
        .exempt(EXEMPT);
    let mut runner = TestRunner::new(ProptestConfig::with_cases(512));
    runner
        .run(&case(), |case| {
            let expected = model_passes(&case);
            let (guard_refused, ran) = actix_web::rt::System::new().block_on(async {
                let runs = Runs::new(AtomicUsize::new(0));
                let app = atest::init_service(
                    App::new()
                        .wrap(GUARD)
                        .app_data(runs.clone())
                        .service(annotated)
                        .service(pass)
                        .default_service(web::to(handler)),
                )
                .await;
                let mut req = atest::TestRequest::default()
                    .method(case.method.clone())
                    .uri(case.path)
                    .insert_header(("host", HOST));
                if let Some(site) = case.site {
                    req = req.insert_header(("sec-fetch-site", site));
                }
                for origin in &case.origins {
                    req = req.append_header(("origin", origin.as_str()));
                }
                let res = atest::call_service(&app, req.to_request()).await;
                let refused = res.response().extensions().get::<Refused>().copied();
                let guard_refused = refused.is_some_and(|refused| refused.check() == Check::Guard);
                if guard_refused {
                    prop_assert_eq!(res.status().as_u16(), 403, "{:?}", case);
                }
                Ok((guard_refused, runs.load(Ordering::SeqCst)))
            })?;
            prop_assert_eq!(guard_refused, !expected, "{:?}", case);
            if guard_refused {
                prop_assert_eq!(ran, 0, "{:?}", case);
            }
            // Least privilege: an unsafe cross-origin request to a path not
            // exempt runs a handler only for an origin its route's policy or
            // the explicit trust allows.
            let unsafe_method = !["GET", "HEAD", "OPTIONS"].contains(&case.method.as_str());
            let cross_origin = match (case.site, case.origins.as_slice()) {
                (Some("same-origin" | "none"), _) | (None, []) => false,
                (None, [origin]) => *origin != format!("http://{HOST}"),
                _ => true,
            };
            let exempt = case.path.starts_with("/hooks/") || case.path == "/oauth/callback";
            if ran == 1 && unsafe_method && cross_origin && !exempt {
                let [origin] = case.origins.as_slice() else {
                    return Err(TestCaseError::fail(format!(
                        "ran without one Origin: {case:?}"
                    )));
                };
                let route_allows = match case.path {
                    "/annotated" => allows(&ROUTE, origin),
                    "/pass" => allows(&PASS, origin),
                    _ => false,
                };
                prop_assert!(route_allows || allows(&IDP, origin), "{:?}", case);
            }
            Ok(())
        })
        .unwrap();
}
