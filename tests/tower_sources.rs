//! What only the tower adapter has, beyond the rules of `tests/behaviour`:
//! where `CorsLayer` must go, the forms of `origins` read at run time
//! (`env(..)`, `dynamic`, `dev_origins`), `HEAD` with `GET`, and what
//! `CrossOriginGuardLayer` trusts: no `CorsLayer`'s origins, whatever the
//! build order, and the environment lists and dynamic sets of the policies
//! given to `trust`. Driven with `tower::ServiceExt::oneshot`.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use axum::{
    body::Body,
    extract::State,
    response::Response,
    routing::{get, post},
    Router,
};
use cors_credentials::{
    policy,
    tower::{CorsLayer, CrossOriginGuardLayer},
    Check, Reason,
};
use http::{request::Builder, Method, Request, StatusCode};
use http_body_util::BodyExt;
use test_support::{
    http_headers::*,
    swap::{Swapper, MIN_SWAPS},
};
use tower::ServiceExt;

policy! {
    /// `/me`, `/route-layer` and the router-wide layers.
    ME = { origins: ["https://app.example.com", "http://localhost:3000"] };
    /// Used by `environment_origins_are_read_once_when_the_layer_is_built` only.
    FROM_ENV = { origins: env("CORS_TOWER_LAYER_TEST_ORIGINS"), max_age: 60 };
    /// Used by `a_bad_environment_value_stops_the_layer_with_the_compilers_message` only.
    BAD_ENV = { origins: env("CORS_TOWER_LAYER_TEST_BAD_ORIGINS") };
    /// Used by `until_set_cross_origin_requests_are_refused_and_others_served` only.
    UNSET = { origins: dynamic };
    /// Used by `a_dynamic_set_is_used_and_replaced_whole` only.
    SWAPPED = { origins: dynamic };
    /// Used by `requests_during_swaps_are_decided_by_one_set` only.
    RACED = { origins: dynamic, headers: ["content-type"] };
    /// The development origins' tests.
    DEV = {
        origins: ["https://app.example.com"],
        dev_origins: ["http://localhost:*", "http://dev.internal.test:8443"],
        allow_insecure_http_origins: true,
    };
    /// Used by `environment_lists_are_trusted_once_loaded` only.
    GUARD_FROM_ENV = { origins: env("CORS_TOWER_GUARD_TEST_ORIGINS") };
    /// Used by `dynamic_sets_are_trusted_as_last_set` only.
    TENANTS = { origins: dynamic };
    /// Used by `a_trusted_environment_list_is_loaded_when_the_guard_is_applied` only.
    TRUSTED_ENV = { origins: env("CORS_TOWER_GUARD_TEST_TRUSTED_ORIGINS") };
    /// Used by `a_bad_trusted_environment_list_stops_the_guard` only.
    BAD_TRUSTED_ENV = { origins: env("CORS_TOWER_GUARD_TEST_BAD_ORIGINS") };
    /// Used by `a_cors_layer_built_after_the_guard_is_not_trusted_by_it` only.
    LATE = { origins: ["https://late.example.com"] };
}

const OWN_HOST: &str = "api.example.com";

/// The routes of the placement tests.
fn app() -> Router {
    Router::new()
        .route(
            "/me",
            get(|| async { "me" }).layer(CorsLayer::new(&ME, [Method::GET])),
        )
        .route(
            "/route-layer",
            get(|| async { "ok" }).route_layer(CorsLayer::new(&ME, [Method::GET])),
        )
}

fn request(method: Method, path: &str) -> Builder {
    Request::builder()
        .method(method)
        .uri(path)
        .header("host", OWN_HOST)
}

fn get_req(path: &str) -> Builder {
    request(Method::GET, path)
}

fn preflight(path: &str, origin: &str, method: &str) -> Builder {
    request(Method::OPTIONS, path)
        .header("origin", origin)
        .header("access-control-request-method", method)
}

/// The response of `app` to `req`, with an empty body.
async fn send(app: &Router, req: Builder) -> Response {
    app.clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

async fn body(res: Response) -> String {
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Asserts a refusal: `403`, the `Refused` of `reason` and `check`, no
/// `Access-Control-Allow-*` header.
fn assert_refused(res: &Response, reason: Reason, check: Check) {
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "{:?}", res.headers());
    assert_no_allow_headers(res);
    let refused = refused(res).expect("a refused response carries `Refused`");
    assert_eq!((refused.reason(), refused.check()), (reason, check));
}

/// How many times a handler ran, in the app of one test.
type Runs = Arc<AtomicUsize>;

async fn transfer(State(runs): State<Runs>) -> &'static str {
    runs.fetch_add(1, Ordering::SeqCst);
    "transferred"
}

/// A guard around `/transfer` alone, applied now.
fn transfer_only(runs: &Runs) -> Router {
    Router::new()
        .route("/transfer", post(transfer))
        .layer(CrossOriginGuardLayer::new())
        .with_state(runs.clone())
}

/// A cross-site request from `origin`, as a browser sends it.
fn cross_site(method: Method, path: &str, origin: &str) -> Builder {
    request(method, path)
        .header("origin", origin)
        .header("sec-fetch-site", "cross-site")
}

/// Asserts the guard's refusal: `403`, the reason, `Vary: Origin`, no CORS
/// header, `Refused` with `cross_origin_unsafe` by the guard.
async fn assert_untrusted(res: Response) {
    assert_eq!(one(&res, "content-type"), "text/plain; charset=utf-8");
    assert_eq!(vary(&res), ["origin"]);
    assert_refused(&res, Reason::CrossOriginUnsafe, Check::Guard);
    assert_eq!(
        body(res).await,
        "cross-origin request refused: origin not trusted\n"
    );
}

// Origins from the environment.

#[tokio::test]
async fn environment_origins_are_read_once_when_the_layer_is_built() {
    // This variable is read by this test only.
    std::env::set_var(
        "CORS_TOWER_LAYER_TEST_ORIGINS",
        " https://staging.example.com , http://localhost:* ",
    );
    let app: Router = Router::new().route(
        "/env",
        get(|| async { "env" }).layer(CorsLayer::new(&FROM_ENV, [Method::GET])),
    );
    // Read once: later changes have no effect.
    std::env::set_var("CORS_TOWER_LAYER_TEST_ORIGINS", "https://other.example.com");
    for origin in ["https://staging.example.com", "http://localhost:4000"] {
        let res = send(&app, get_req("/env").header("origin", origin)).await;
        assert_eq!(res.status(), 200, "{origin}");
        assert_allowed(&res, origin);
    }
    for origin in [
        "https://other.example.com",
        "https://staging.example.com.evil.net",
    ] {
        let res = send(&app, get_req("/env").header("origin", origin)).await;
        assert_refused(&res, Reason::OriginNotAllowed, Check::Request);
    }
    let res = send(
        &app,
        preflight("/env", "https://staging.example.com", "GET"),
    )
    .await;
    assert_eq!(res.status(), 204);
    assert_eq!(one(&res, "access-control-max-age"), "60");
}

#[test]
fn a_bad_environment_value_stops_the_layer_with_the_compilers_message() {
    // This variable is read by this test only.
    std::env::set_var(
        "CORS_TOWER_LAYER_TEST_BAD_ORIGINS",
        "https://app.example.com, https://admin.example.com/",
    );
    let built = std::panic::catch_unwind(|| CorsLayer::new(&BAD_ENV, [Method::GET]));
    let panic = built.unwrap_err();
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .unwrap_or_default();
    assert_eq!(
        message,
        "CORS_TOWER_LAYER_TEST_BAD_ORIGINS: origin `https://admin.example.com/` ends with `/`, which browsers never send in `Origin`; did you mean `https://admin.example.com`?"
    );
}

// Origins given at run time.

#[tokio::test]
async fn until_set_cross_origin_requests_are_refused_and_others_served() {
    let app: Router = Router::new().route(
        "/unset",
        get(|| async { "unset" }).layer(CorsLayer::new(&UNSET, [Method::GET])),
    );
    let res = send(&app, get_req("/unset").header("origin", ALLOWED)).await;
    assert_refused(&res, Reason::OriginsNotSet, Check::Request);
    assert_eq!(
        body(res).await,
        "CORS request refused: origins not set yet\n"
    );
    // Same-origin and no-`Origin` requests are served.
    let res = send(
        &app,
        get_req("/unset").header("origin", "http://api.example.com"),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_no_allow_headers(&res);
    assert_eq!(send(&app, get_req("/unset")).await.status(), 200);
    // A preflight is refused too.
    let res = send(&app, preflight("/unset", ALLOWED, "GET")).await;
    assert_refused(&res, Reason::OriginsNotSet, Check::Preflight);
}

#[tokio::test]
async fn a_dynamic_set_is_used_and_replaced_whole() {
    let app: Router = Router::new().route(
        "/swapped",
        get(|| async { "swapped" }).layer(CorsLayer::new(&SWAPPED, [Method::GET])),
    );
    SWAPPED
        .set_origins(["https://a.example.com", "https://*.tenants.example.com"])
        .unwrap();
    for origin in ["https://a.example.com", "https://acme.tenants.example.com"] {
        let res = send(&app, get_req("/swapped").header("origin", origin)).await;
        assert_eq!(res.status(), 200, "{origin}");
        assert_allowed(&res, origin);
    }
    let res = send(
        &app,
        get_req("/swapped").header("origin", "https://b.example.com"),
    )
    .await;
    assert_refused(&res, Reason::OriginNotAllowed, Check::Request);

    SWAPPED.set_origins(["https://b.example.com"]).unwrap();
    let res = send(
        &app,
        get_req("/swapped").header("origin", "https://b.example.com"),
    )
    .await;
    assert_allowed(&res, "https://b.example.com");
    let res = send(&app, preflight("/swapped", "https://b.example.com", "GET")).await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        one(&res, "access-control-allow-origin"),
        "https://b.example.com"
    );
    for origin in ["https://a.example.com", "https://acme.tenants.example.com"] {
        let res = send(&app, get_req("/swapped").header("origin", origin)).await;
        assert_refused(&res, Reason::OriginNotAllowed, Check::Request);
    }
}

#[tokio::test]
async fn requests_during_swaps_are_decided_by_one_set() {
    const A: &str = "https://a.example.com";
    const B: &str = "https://b.example.com";
    const NEITHER: &str = "https://c.example.com";
    RACED.set_origins([A]).unwrap();
    let app: Router = Router::new().route(
        "/raced",
        get(|| async { "raced" }).layer(CorsLayer::new(&RACED, [Method::GET])),
    );
    let swapper = Swapper::start(|n| RACED.set_origins([[B, A][n % 2]]).unwrap());
    let mut round = 0;
    while swapper.keep_going(round, 2000) {
        let origin = [A, B, NEITHER][round % 3];
        let res = send(&app, get_req("/raced").header("origin", origin)).await;
        match res.status().as_u16() {
            // The echoed origin is the request's, never the other set's.
            200 => {
                assert_ne!(origin, NEITHER);
                assert_allowed(&res, origin);
            }
            403 => assert_refused(&res, Reason::OriginNotAllowed, Check::Request),
            status => panic!("{origin}: {status}"),
        }
        round += 1;
    }
    assert!(swapper.stop() >= MIN_SWAPS);
}

// Development origins (`cargo test --release` checks a release build).

/// Whether the build under test allows development origins.
const DEV_BUILD: bool = cfg!(debug_assertions);

fn dev_app() -> Router {
    Router::new().route(
        "/dev-me",
        get(|| async { "me" })
            .post(|| async { "saved" })
            .layer(CorsLayer::new(&DEV, [Method::GET, Method::POST])),
    )
}

#[tokio::test]
async fn development_origins_are_allowed_only_with_debug_assertions() {
    let app = dev_app();
    let res = send(&app, get_req("/dev-me").header("origin", ALLOWED)).await;
    assert_eq!(res.status(), 200);
    assert_allowed(&res, ALLOWED);
    for origin in ["http://dev.internal.test:8443", "http://localhost:5173"] {
        let res = send(&app, get_req("/dev-me").header("origin", origin)).await;
        if DEV_BUILD {
            assert_eq!(res.status(), 200, "{origin}");
            assert_allowed(&res, origin);
        } else {
            assert_refused(&res, Reason::OriginNotAllowed, Check::Request);
        }
        let res = send(&app, preflight("/dev-me", origin, "POST")).await;
        if DEV_BUILD {
            assert_eq!(res.status(), 204, "{origin}");
            assert_allowed(&res, origin);
        } else {
            assert_refused(&res, Reason::OriginNotAllowed, Check::Preflight);
        }
    }
    for origin in [EVIL, "http://localhost", "http://dev.internal.test"] {
        let res = send(&app, get_req("/dev-me").header("origin", origin)).await;
        assert_refused(&res, Reason::OriginNotAllowed, Check::Request);
    }
}

// Where the layer goes (the table in `docs/tower.md`).

#[tokio::test]
async fn route_layer_does_not_see_preflights() {
    let app = app();
    // The routed method is decorated...
    let res = send(&app, get_req("/route-layer").header("origin", ALLOWED)).await;
    assert_eq!(res.status(), 200);
    assert_allowed(&res, ALLOWED);
    // ...but the preflight never reaches the layer: the `MethodRouter`'s
    // `405`, without CORS headers, which makes the browser block the request.
    let res = send(&app, preflight("/route-layer", ALLOWED, "GET")).await;
    assert_eq!(res.status(), 405);
    assert_no_allow_headers(&res);
    assert!(refused(&res).is_none());
    // With `.layer` the same preflight is answered.
    let res = send(&app, preflight("/me", ALLOWED, "GET")).await;
    assert_eq!(res.status(), 204);
}

#[tokio::test]
async fn router_layer_gives_every_route_one_policy_and_unmatched_paths_vary() {
    let app: Router = Router::new()
        .route("/a", get(|| async { "a" }))
        .route("/b", post(|| async { "b" }))
        .layer(CorsLayer::new(&ME, [Method::GET]));
    // Both routes answer with the one policy...
    let res = send(&app, get_req("/a").header("origin", ALLOWED)).await;
    assert_allowed(&res, ALLOWED);
    let res = send(&app, request(Method::POST, "/b").header("origin", ALLOWED)).await;
    assert_allowed(&res, ALLOWED);
    // ...and the same preflight methods, whatever each serves.
    let res = send(&app, preflight("/b", ALLOWED, "POST")).await;
    assert_refused(&res, Reason::MethodNotAllowed, Check::Preflight);
    let res = send(&app, preflight("/b", ALLOWED, "GET")).await;
    assert_eq!(res.status(), 204);
    // The router's fallback is wrapped too.
    let res = send(&app, get_req("/nowhere")).await;
    assert_eq!(res.status(), 404);
    assert_eq!(vary(&res), ["origin"]);
}

#[tokio::test]
async fn router_route_layer_leaves_unmatched_paths_alone() {
    let app: Router = Router::new()
        .route("/a", get(|| async { "a" }))
        .route_layer(CorsLayer::new(&ME, [Method::GET]));
    let res = send(&app, get_req("/a").header("origin", ALLOWED)).await;
    assert_allowed(&res, ALLOWED);
    let res = send(&app, get_req("/nowhere").header("origin", ALLOWED)).await;
    assert_eq!(res.status(), 404);
    assert_no_allow_headers(&res);
    assert!(vary(&res).is_empty(), "{:?}", res.headers());
}

// What the guard trusts.

#[tokio::test]
async fn the_guard_trusts_no_cors_layer_whatever_the_build_order() {
    let runs = Runs::default();
    let late = "https://late.example.com";
    let before = transfer_only(&runs);
    let _route = CorsLayer::new(&LATE, [Method::POST]);
    assert_untrusted(send(&before, cross_site(Method::POST, "/transfer", late)).await).await;
    // A guard applied afterwards does not trust it either.
    let after = transfer_only(&runs);
    assert_untrusted(send(&after, cross_site(Method::POST, "/transfer", late)).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn environment_lists_are_trusted_once_loaded() {
    // This variable is read by this test only.
    std::env::set_var("CORS_TOWER_GUARD_TEST_ORIGINS", "https://env.example.com");
    let runs = Runs::default();
    let env_origin = "https://env.example.com";
    // Building the route's layer loads the list, as in any app.
    let route_only = Router::new()
        .route("/transfer", post(transfer))
        .layer(CrossOriginGuardLayer::new())
        // After the guard: the route's own layer decides.
        .route(
            "/env/action",
            post(|| async { "done" }).layer(CorsLayer::new(&GUARD_FROM_ENV, [Method::POST])),
        )
        .with_state(runs.clone());
    let req = cross_site(Method::POST, "/env/action", env_origin);
    assert_eq!(send(&route_only, req).await.status(), 200);
    let req = cross_site(Method::POST, "/transfer", env_origin);
    assert_untrusted(send(&route_only, req).await).await;
    // Trusted on purpose: on every route.
    let trusting = Router::new()
        .route("/transfer", post(transfer))
        .layer(CrossOriginGuardLayer::new().trust(&GUARD_FROM_ENV))
        .with_state(runs.clone());
    let req = cross_site(Method::POST, "/transfer", env_origin);
    assert_eq!(send(&trusting, req).await.status(), 200);
    let req = cross_site(Method::POST, "/transfer", "https://other.example.com");
    assert_untrusted(send(&trusting, req).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_trusted_environment_list_is_loaded_when_the_guard_is_applied() {
    // This variable is read by this test only.
    std::env::set_var(
        "CORS_TOWER_GUARD_TEST_TRUSTED_ORIGINS",
        "https://trusted-env.example.com",
    );
    let runs = Runs::default();
    let app = Router::new()
        .route("/transfer", post(transfer))
        .layer(CrossOriginGuardLayer::new().trust(&TRUSTED_ENV))
        .with_state(runs.clone());
    let req = cross_site(Method::POST, "/transfer", "https://trusted-env.example.com");
    assert_eq!(send(&app, req).await.status(), 200);
    let req = cross_site(
        Method::POST,
        "/transfer",
        "https://untrusted-env.example.com",
    );
    assert_untrusted(send(&app, req).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[test]
fn a_bad_trusted_environment_list_stops_the_guard() {
    // This variable is read by this test only.
    std::env::set_var(
        "CORS_TOWER_GUARD_TEST_BAD_ORIGINS",
        "https://admin.example.com/",
    );
    let applied = std::panic::catch_unwind(|| {
        Router::<()>::new()
            .route("/transfer", post(|| async { "transferred" }))
            .layer(CrossOriginGuardLayer::new().trust(&BAD_TRUSTED_ENV))
    });
    let panic = applied.unwrap_err();
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .unwrap_or_default();
    assert!(
        message.starts_with(
            "CORS_TOWER_GUARD_TEST_BAD_ORIGINS: origin `https://admin.example.com/` ends with `/`"
        ),
        "{message}"
    );
}

#[tokio::test]
async fn dynamic_sets_are_trusted_as_last_set() {
    let runs = Runs::default();
    let app = Router::new()
        .route("/transfer", post(transfer))
        .layer(CrossOriginGuardLayer::new().trust(&TENANTS))
        .route(
            "/tenant/action",
            post(|| async { "done" }).layer(CorsLayer::new(&TENANTS, [Method::POST])),
        )
        .with_state(runs.clone());
    let from = |origin| cross_site(Method::POST, "/transfer", origin);
    // Not set yet: trusts nothing.
    assert_untrusted(send(&app, from("https://acme.example.com")).await).await;
    TENANTS.set_origins(["https://acme.example.com"]).unwrap();
    assert_eq!(
        send(&app, from("https://acme.example.com")).await.status(),
        200
    );
    // Replaced: the old origin is no longer trusted, the new one is.
    TENANTS.set_origins(["https://globex.example.com"]).unwrap();
    assert_untrusted(send(&app, from("https://acme.example.com")).await).await;
    assert_eq!(
        send(&app, from("https://globex.example.com"))
            .await
            .status(),
        200
    );
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_head_preflight_is_answered_where_get_is_served() {
    let app: Router = Router::new().route(
        "/me",
        get(|| async { "me" }).layer(CorsLayer::new(&ME, [Method::GET])),
    );
    let res = send(&app, preflight("/me", ALLOWED, "HEAD")).await;
    assert_eq!(res.status(), 204);
    let res = send(&app, request(Method::HEAD, "/me").header("origin", ALLOWED)).await;
    assert_allowed(&res, ALLOWED);
    // Not the other way round, and not another method.
    let app: Router = Router::new().route(
        "/me",
        axum::routing::head(|| async { "" }).layer(CorsLayer::new(&ME, [Method::HEAD])),
    );
    let res = send(&app, preflight("/me", ALLOWED, "GET")).await;
    assert_refused(&res, Reason::MethodNotAllowed, Check::Preflight);
}

#[tokio::test]
async fn check_decides_on_a_request_head() {
    const GUARD: CrossOriginGuardLayer = CrossOriginGuardLayer::new();
    let (parts, ()) = cross_site(Method::POST, "/transfer", "https://evil.example.net")
        .body(())
        .unwrap()
        .into_parts();
    let refused = GUARD.check(&parts).unwrap_err();
    assert_eq!(refused.reason(), Reason::CrossOriginUnsafe);
    assert_eq!(refused.check(), Check::Guard);
    assert!(refused.enforced());
    let (parts, ()) = request(Method::POST, "/transfer")
        .header("sec-fetch-site", "same-origin")
        .body(())
        .unwrap()
        .into_parts();
    assert_eq!(GUARD.check(&parts), Ok(()));
}
