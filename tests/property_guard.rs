//! Property test of the app-wide `CrossOriginGuard`: arbitrary methods,
//! `Sec-Fetch-Site` values, `Origin` lines and paths, through a real app,
//! against a model of the rules written here from the Fetch Metadata and
//! Go `CrossOriginProtection` algorithm, with trust decided by the
//! independent list model of `test_support::oracle`.
//!
//! This binary's only annotated handler allows `TRUSTED`, so the guard's
//! default trust is known.

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{get, http::Method, test as atest, web, App, Responder};
use cors_credentials::{cors_credentials, CrossOriginGuard};
use cors_credentials_rules::list::check_list;
use proptest::{prelude::*, test_runner::TestRunner};
use test_support::oracle;

/// The origins the annotated handler allows: the guard's whole trust.
const TRUSTED: [&str; 3] = [
    "https://app.example.com",
    "http://localhost:*",
    "https://*.partners.example.com",
];

#[cors_credentials(origins = ["https://app.example.com", "http://localhost:*", "https://*.partners.example.com"])]
#[get("/annotated")]
async fn annotated() -> impl Responder {
    "annotated"
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

/// Whether the guard must pass `case`, from the rules alone.
fn model_passes(case: &Case) -> bool {
    let trusted = check_list(TRUSTED, false).unwrap();
    let safe = ["GET", "HEAD", "OPTIONS"].contains(&case.method.as_str());
    let metadata_says_same = matches!(case.site, Some("same-origin" | "none"));
    let exempt = EXEMPT.iter().any(|exempt| match exempt.strip_suffix('*') {
        Some(prefix) => case.path.starts_with(prefix),
        None => case.path == *exempt,
    });
    let origin_passes = match case.origins.as_slice() {
        [] => case.site.is_none(),
        [origin] => {
            // Plain-http test requests to `Host: api.example.com`.
            *origin == format!("http://{HOST}") || oracle::allows(&trusted, origin.as_bytes())
        }
        _ => false,
    };
    safe || metadata_says_same || origin_passes || exempt
}

async fn handler(runs: web::Data<AtomicUsize>) -> &'static str {
    runs.fetch_add(1, Ordering::SeqCst);
    "ran"
}

#[test]
fn the_guard_decides_as_the_rules_say() {
    const GUARD: CrossOriginGuard = CrossOriginGuard::new().exempt(EXEMPT);
    let mut runner = TestRunner::new(ProptestConfig::with_cases(512));
    runner
        .run(&case(), |case| {
            let expected = model_passes(&case);
            let (status, ran) = actix_web::rt::System::new().block_on(async {
                let runs = web::Data::new(AtomicUsize::new(0));
                let app = atest::init_service(
                    App::new()
                        .wrap(GUARD)
                        .app_data(runs.clone())
                        .service(annotated)
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
                (res.status().as_u16(), runs.load(Ordering::SeqCst))
            });
            if expected {
                prop_assert_ne!(status, 403, "{:?}", case);
                prop_assert_eq!(ran, 1, "{:?}", case);
            } else {
                prop_assert_eq!(status, 403, "{:?}", case);
                prop_assert_eq!(ran, 0, "{:?}", case);
            }
            Ok(())
        })
        .unwrap();
}
