//! The benchmarks measure what they claim: every scenario gets the expected
//! answer on every setup, and `#[cors_credentials]` allocates no more per
//! request than the bare handler with 20 configured origins, and with the
//! 10,000 origins of the dynamic set, nor the app-wide guard than the bare
//! app.
//!
//! Scenarios 1–4 on one origin and subdomain patterns are covered by the
//! suite's `tests/allocations.rs`; this adds the lists of scenarios 5 and 8.

use actix_web::{
    body::{to_bytes, BoxBody},
    dev::ServiceResponse,
    http::StatusCode,
};
use cors_credentials_benchmarks::{
    allocations_per_request, build, dynamic_origins, Scenario, Setup, ALLOWED, DYNAMIC_ORIGINS,
    LAST_DYNAMIC, SUBDOMAIN, TWENTY,
};
use test_support::alloc::CountingAlloc;

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn header(res: &ServiceResponse<BoxBody>, name: &str) -> Option<String> {
    let mut values = res.headers().get_all(name);
    let value = values.next().map(|v| v.to_str().unwrap().to_owned());
    assert!(
        values.next().is_none(),
        "{name} repeated: {:?}",
        res.headers()
    );
    value
}

fn body(res: ServiceResponse<BoxBody>) -> String {
    let bytes = actix_web::rt::System::new()
        .block_on(to_bytes(res.into_body()))
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Status, `Access-Control-Allow-Origin` and body of one request.
fn answer(setup: Setup, scenario: Scenario) -> (StatusCode, Option<String>, String) {
    let res = build(setup, scenario).respond(scenario.request());
    let status = res.status();
    let allow_origin = header(&res, "access-control-allow-origin");
    if allow_origin.is_some() {
        assert_eq!(
            header(&res, "access-control-allow-credentials").as_deref(),
            Some("true")
        );
    }
    if scenario == Scenario::Preflight && status.is_success() {
        assert_eq!(
            header(&res, "access-control-allow-methods").as_deref(),
            Some("GET")
        );
        assert_eq!(
            header(&res, "access-control-allow-headers").as_deref(),
            Some("content-type")
        );
        assert_eq!(
            header(&res, "access-control-max-age").as_deref(),
            Some("600")
        );
    }
    (status, allow_origin, body(res))
}

#[test]
fn every_scenario_gets_the_expected_answer() {
    use Scenario::*;
    use Setup::*;
    let ok = StatusCode::OK;
    let allowed = Some(ALLOWED.to_owned());
    let last = Some(TWENTY[19].to_owned());
    let subdomain = Some(SUBDOMAIN.to_owned());
    let last_dynamic = Some(LAST_DYNAMIC.to_owned());
    let me = "me".to_owned();
    let cases = [
        (Allowed, Bare, (ok, None, me.clone())),
        (Allowed, CorsCredentials, (ok, allowed.clone(), me.clone())),
        (Allowed, ActixCors, (ok, allowed.clone(), me.clone())),
        (Disallowed, Bare, (ok, None, me.clone())),
        (NoOrigin, Bare, (ok, None, me.clone())),
        (NoOrigin, CorsCredentials, (ok, None, me.clone())),
        (NoOrigin, ActixCors, (ok, None, me.clone())),
        (
            Preflight,
            Bare,
            (StatusCode::NOT_FOUND, None, String::new()),
        ),
        (
            Preflight,
            CorsCredentials,
            (StatusCode::NO_CONTENT, allowed.clone(), String::new()),
        ),
        (Preflight, ActixCors, (ok, allowed, String::new())),
        (TwentyOrigins, Bare, (ok, None, me.clone())),
        (
            TwentyOrigins,
            CorsCredentials,
            (ok, last.clone(), me.clone()),
        ),
        (TwentyOrigins, ActixCors, (ok, last, me.clone())),
        (SubdomainPattern, Bare, (ok, None, me.clone())),
        (
            SubdomainPattern,
            CorsCredentials,
            (ok, subdomain.clone(), me.clone()),
        ),
        (SubdomainPattern, ActixCors, (ok, subdomain, me.clone())),
        (TwoOrigins, Bare, (ok, None, me.clone())),
        (
            TwoOrigins,
            CorsCredentials,
            (ok, last_dynamic.clone(), me.clone()),
        ),
        (
            TwoOrigins,
            ActixCors,
            (ok, last_dynamic.clone(), me.clone()),
        ),
        (DynamicOrigins, Bare, (ok, None, me.clone())),
        (
            DynamicOrigins,
            CorsCredentials,
            (ok, last_dynamic.clone(), me.clone()),
        ),
        (DynamicOrigins, ActixCors, (ok, last_dynamic, me)),
    ];
    for (scenario, setup, expected) in cases {
        assert_eq!(
            answer(setup, scenario),
            expected,
            "{scenario:?} on {setup:?}"
        );
    }
    // A disallowed origin: refused without running the handler.
    let (status, allow_origin, body) = answer(CorsCredentials, Disallowed);
    assert_eq!((status, allow_origin), (StatusCode::FORBIDDEN, None));
    assert_ne!(body, "me");
    let (status, allow_origin, body) = answer(ActixCors, Disallowed);
    assert_eq!((status, allow_origin), (StatusCode::BAD_REQUEST, None));
    assert_ne!(body, "me");
}

#[test]
fn every_guard_scenario_gets_the_expected_answer() {
    use Scenario::*;
    use Setup::*;
    let served = (StatusCode::OK, None, "me".to_owned());
    for (scenario, setup, expected) in [
        (GuardSafe, Bare, served.clone()),
        (GuardSafe, Guard, served.clone()),
        (GuardTrusted, Bare, served.clone()),
        (GuardTrusted, Guard, served.clone()),
        (GuardRefused, Bare, served),
        (
            GuardRefused,
            Guard,
            (
                StatusCode::FORBIDDEN,
                None,
                "cross-origin request refused: origin not trusted\n".to_owned(),
            ),
        ),
    ] {
        assert_eq!(
            answer(setup, scenario),
            expected,
            "{scenario:?} on {setup:?}"
        );
    }
}

#[test]
fn the_guard_allocates_no_more_than_the_bare_app() {
    for scenario in Scenario::GUARD {
        let bare = allocations_per_request(Setup::Bare, scenario, 64);
        let guard = allocations_per_request(Setup::Guard, scenario, 64);
        println!(
            "{}: bare {bare}, guard {guard} allocations per request",
            scenario.id()
        );
        assert!(
            guard <= bare,
            "{}: the guard {guard} allocations per request, the bare app {bare}",
            scenario.id()
        );
    }
}

#[test]
fn twenty_origins_allocate_no_more_than_the_bare_handler() {
    let bare = allocations_per_request(Setup::Bare, Scenario::TwentyOrigins, 64);
    let annotated = allocations_per_request(Setup::CorsCredentials, Scenario::TwentyOrigins, 64);
    println!("bare {bare}, cors-credentials {annotated} allocations per request");
    assert!(
        annotated <= bare,
        "cors-credentials: {annotated} allocations per request, bare handler: {bare}"
    );
}

#[test]
fn the_dynamic_set_is_as_described() {
    let origins = dynamic_origins();
    assert_eq!(origins.len(), DYNAMIC_ORIGINS);
    assert_eq!(origins.last().map(String::as_str), Some(LAST_DYNAMIC));
    // Equal lengths, and the last in lookup order too.
    assert!(origins.iter().all(|o| o.len() == LAST_DYNAMIC.len()));
    let checked = cors_credentials_rules::list::check_list(&origins, false).unwrap();
    assert_eq!(checked.exact.last().map(String::as_str), Some(LAST_DYNAMIC));
}

#[test]
fn ten_thousand_dynamic_origins_allocate_no_more_than_the_bare_handler() {
    let bare = allocations_per_request(Setup::Bare, Scenario::DynamicOrigins, 64);
    let dynamic = allocations_per_request(Setup::CorsCredentials, Scenario::DynamicOrigins, 64);
    println!("bare {bare}, cors-credentials {dynamic} allocations per request");
    assert!(
        dynamic <= bare,
        "cors-credentials: {dynamic} allocations per request, bare handler: {bare}"
    );
}
