//! The benchmarks measure what they claim: every scenario gets the expected
//! answer on every setup, and `#[cors_credentials]` allocates no more per
//! request than the bare handler with 20 configured origins, and with the
//! 10,000 origins of the dynamic set, nor the app-wide guard than the bare
//! app.
//!
//! Scenarios 1–4 on one origin and subdomain patterns are covered by the
//! suite's `tests/cost_allocations.rs`; this adds the lists of scenarios 5 and 8.
//!
//! The axum setups likewise: each answers each of its scenarios as
//! expected, and `CorsLayer` and `CrossOriginGuardLayer` allocate no more
//! per request than the bare `Router`.

use actix_web::{
    body::{to_bytes, BoxBody},
    dev::ServiceResponse,
    http::StatusCode,
};
use cors_credentials_benchmarks::{
    allocations_per_request, build, build_tower, dynamic_origins, Scenario, Setup, TowerResponse,
    ALLOWED, DYNAMIC_ORIGINS, LAST_DYNAMIC, SUBDOMAIN, TENANT_ORIGIN, TWENTY,
};
use test_support::alloc::CountingAlloc;

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// The one value of the header `name` among its `values`, read by `text`;
/// panics when the header is repeated, showing `all` the headers.
fn single<V>(
    values: impl IntoIterator<Item = V>,
    text: fn(V) -> String,
    name: &str,
    all: &dyn std::fmt::Debug,
) -> Option<String> {
    let mut values = values.into_iter();
    let value = values.next().map(text);
    assert!(values.next().is_none(), "{name} repeated: {all:?}");
    value
}

fn header(res: &ServiceResponse<BoxBody>, name: &str) -> Option<String> {
    let text = |v: &actix_web::http::header::HeaderValue| v.to_str().unwrap().to_owned();
    single(res.headers().get_all(name), text, name, res.headers())
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
        (Allowed, CookieChecks, (ok, allowed.clone(), me.clone())),
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
        (DynamicOrigins, ActixCors, (ok, last_dynamic, me.clone())),
        (PerTenant, Bare, (ok, None, me.clone())),
        (
            PerTenant,
            CorsCredentials,
            (ok, Some(TENANT_ORIGIN.to_owned()), me.clone()),
        ),
        (
            PerTenant,
            ActixCors,
            (ok, Some(TENANT_ORIGIN.to_owned()), me.clone()),
        ),
        (TenantRouteListed, Bare, (ok, None, me.clone())),
        (
            TenantRouteListed,
            CorsCredentials,
            (ok, Some(TENANT_ORIGIN.to_owned()), me.clone()),
        ),
        (
            TenantRouteListed,
            ActixCors,
            (ok, Some(TENANT_ORIGIN.to_owned()), me),
        ),
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
    // Every measured actix-web pair of the guard's scenarios is listed below.
    let measured: usize = Scenario::GUARD.iter().map(|s| s.setups().len()).sum();
    assert_eq!(measured, 8);
    // Scenario 12's route varies on `Origin`, with and without the guard.
    for setup in Setup::GUARD {
        let res =
            build(setup, Scenario::GuardAnnotated).respond(Scenario::GuardAnnotated.request());
        let vary = header(&res, "vary").unwrap_or_default();
        assert!(
            vary.to_ascii_lowercase().contains("origin"),
            "vary {vary:?} on {setup:?}"
        );
    }
    use Scenario::*;
    use Setup::*;
    let served = (StatusCode::OK, None, "me".to_owned());
    // Scenario 12: the annotated route admits the origin, alone and behind
    // the guard that trusts nothing app-wide.
    let admitted = (StatusCode::OK, Some(ALLOWED.to_owned()), "me".to_owned());
    for (scenario, setup, expected) in [
        (GuardAnnotated, Bare, admitted.clone()),
        (GuardAnnotated, Guard, admitted),
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

/// Prints the allocations per request of `setup` and of the bare app on
/// `scenario`, and asserts that `setup` makes no more.
fn assert_no_more_than_bare(setup: Setup, scenario: Scenario) {
    let bare = allocations_per_request(Setup::Bare, scenario, 64);
    let counted = allocations_per_request(setup, scenario, 64);
    let (scenario, setup) = (scenario.id(), setup.id());
    println!("{scenario}: bare {bare}, {setup} {counted} allocations per request");
    assert!(
        counted <= bare,
        "{scenario}: {setup} {counted} allocations per request, the bare app {bare}"
    );
}

#[test]
fn the_guard_allocates_no_more_than_the_bare_app() {
    for scenario in Scenario::GUARD {
        assert_no_more_than_bare(Setup::Guard, scenario);
    }
}

#[test]
fn twenty_origins_allocate_no_more_than_the_bare_handler() {
    assert_no_more_than_bare(Setup::CorsCredentials, Scenario::TwentyOrigins);
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
    assert_no_more_than_bare(Setup::CorsCredentials, Scenario::DynamicOrigins);
}

fn tower_header(res: &TowerResponse, name: &str) -> Option<String> {
    let text = |v: &http::HeaderValue| v.to_str().unwrap().to_owned();
    single(res.headers().get_all(name), text, name, res.headers())
}

/// Status, `Access-Control-Allow-Origin` and body of one request to an axum
/// setup, with the other CORS headers checked as in [`answer`].
fn tower_answer(setup: Setup, scenario: Scenario) -> (u16, Option<String>, String) {
    let res = build_tower(setup, scenario).respond(scenario.http_request());
    let status = res.status().as_u16();
    let allow_origin = tower_header(&res, "access-control-allow-origin");
    if allow_origin.is_some() {
        assert_eq!(
            tower_header(&res, "access-control-allow-credentials").as_deref(),
            Some("true"),
            "{scenario:?} on {setup:?}"
        );
    }
    if scenario == Scenario::Preflight && (200..300).contains(&status) {
        for (name, value) in [
            ("access-control-allow-methods", "GET"),
            ("access-control-allow-headers", "content-type"),
            ("access-control-max-age", "600"),
        ] {
            assert_eq!(
                tower_header(&res, name).as_deref(),
                Some(value),
                "{name}: {scenario:?} on {setup:?}"
            );
        }
    }
    if matches!(
        setup,
        Setup::AxumCorsCredentials | Setup::TowerHttp | Setup::AxumCookieChecks
    ) {
        // Both layers vary every response on `Origin`, once.
        let vary = tower_header(&res, "vary").unwrap_or_default();
        assert!(
            vary.to_ascii_lowercase().starts_with("origin"),
            "vary {vary:?}: {scenario:?} on {setup:?}"
        );
    }
    let bytes = actix_web::rt::System::new()
        .block_on(axum::body::to_bytes(res.into_body(), usize::MAX))
        .unwrap();
    (
        status,
        allow_origin,
        String::from_utf8(bytes.to_vec()).unwrap(),
    )
}

#[test]
fn every_axum_scenario_gets_the_expected_answer() {
    use Scenario::*;
    use Setup::*;
    let me = |origin: Option<&str>| (200, origin.map(str::to_owned), "me".to_owned());
    let last = TWENTY[19];
    // The bare router and the one under `Identity` run the handler, without
    // CORS headers, in every scenario but the preflight: axum's
    // `MethodRouter` answers `405` to a method it does not route.
    let mut cases = Vec::new();
    for scenario in Scenario::TOWER.into_iter().chain(Scenario::TOWER_GUARD) {
        for setup in [AxumBare, AxumIdentity] {
            let expected = match scenario {
                Preflight => (405, None, String::new()),
                _ => me(None),
            };
            cases.push((scenario, setup, expected));
        }
    }
    cases.extend([
        (Allowed, AxumCorsCredentials, me(Some(ALLOWED))),
        (Allowed, TowerHttp, me(Some(ALLOWED))),
        (Allowed, AxumCookieChecks, me(Some(ALLOWED))),
        // tower-http cannot refuse: the handler runs, without CORS headers.
        (Disallowed, TowerHttp, me(None)),
        (NoOrigin, AxumCorsCredentials, me(None)),
        (NoOrigin, TowerHttp, me(None)),
        (
            Preflight,
            AxumCorsCredentials,
            (204, Some(ALLOWED.to_owned()), String::new()),
        ),
        (
            Preflight,
            TowerHttp,
            (200, Some(ALLOWED.to_owned()), String::new()),
        ),
        (TwentyOrigins, AxumCorsCredentials, me(Some(last))),
        (TwentyOrigins, TowerHttp, me(Some(last))),
        (SubdomainPattern, AxumCorsCredentials, me(Some(SUBDOMAIN))),
        (SubdomainPattern, TowerHttp, me(Some(SUBDOMAIN))),
        (GuardSafe, AxumGuard, me(None)),
        (GuardTrusted, AxumGuard, me(None)),
        (
            GuardRefused,
            AxumGuard,
            (
                403,
                None,
                "cross-origin request refused: origin not trusted\n".to_owned(),
            ),
        ),
    ]);
    // Every measured pair is listed here, and nothing else.
    let mut measured: Vec<(Scenario, Setup)> = Scenario::ALL
        .into_iter()
        .chain(Scenario::GUARD)
        .flat_map(|scenario| scenario.tower_setups().iter().map(move |&s| (scenario, s)))
        .collect();
    measured.push((Disallowed, AxumCorsCredentials));
    let mut listed: Vec<_> = cases.iter().map(|&(sc, se, _)| (sc, se)).collect();
    listed.push((Disallowed, AxumCorsCredentials));
    measured.sort_by_key(|&(sc, se)| (sc.id(), se.id()));
    listed.sort_by_key(|&(sc, se)| (sc.id(), se.id()));
    measured.dedup();
    listed.dedup();
    assert_eq!(measured, listed);
    for (scenario, setup, expected) in cases.drain(..) {
        assert_eq!(
            tower_answer(setup, scenario),
            expected,
            "{scenario:?} on {setup:?}"
        );
    }
    // A disallowed origin: refused without running the handler.
    let (status, allow_origin, body) = tower_answer(AxumCorsCredentials, Disallowed);
    assert_eq!((status, allow_origin), (403, None));
    assert_ne!(body, "me");
}

/// Allocations per request of every axum setup of `scenario`, by id.
fn tower_allocations(scenario: Scenario) -> Vec<(Setup, f64)> {
    scenario
        .tower_setups()
        .iter()
        .map(|&setup| (setup, allocations_per_request(setup, scenario, 64)))
        .collect()
}

/// Any axum layer on a route costs what `Identity` costs (axum boxes the
/// layered route and its future); `CorsLayer` and `CrossOriginGuardLayer`
/// add nothing to that when the route runs, and their own answers (a
/// refusal, a preflight) allocate no more than the counts pinned here.
#[test]
fn the_tower_layers_allocate_no_more_than_an_identity_layer() {
    use Scenario::*;
    let mut over = Vec::new();
    for scenario in Scenario::TOWER.into_iter().chain(Scenario::TOWER_GUARD) {
        let counts = tower_allocations(scenario);
        println!("{}: {counts:?}", scenario.id());
        let count = |setup| counts.iter().find(|(s, _)| *s == setup).unwrap().1;
        let identity = count(Setup::AxumIdentity);
        // A refusal replaces the route's response with one of this crate's:
        // its body, its headers and the `Refused` extension. A preflight's
        // answer costs no more than axum's own `405`.
        let own_answer = match scenario {
            Disallowed | GuardRefused => 1.0,
            _ => 0.0,
        };
        for setup in [Setup::AxumCorsCredentials, Setup::AxumGuard] {
            if !scenario.tower_setups().contains(&setup) {
                continue;
            }
            let layered = count(setup);
            if layered > identity + own_answer {
                over.push(format!(
                    "{} on {}: {layered} allocations per request, Identity {identity} (+{own_answer} allowed)",
                    scenario.id(),
                    setup.id()
                ));
            }
        }
    }
    assert!(over.is_empty(), "{over:#?}");
}
