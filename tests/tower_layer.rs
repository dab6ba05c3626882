//! The tower adapter's `CorsLayer` on axum routes, driven with
//! `tower::ServiceExt::oneshot`, beyond rules 1–11 (`tests/behaviour/route.rs`):
//! the forms of `origins` read at run time (`env(..)`, `dynamic`,
//! `dev_origins`; patterns are `tests/behaviour/config.rs`)
//! and where the layer must go.

use axum::{
    body::Body,
    response::Response,
    routing::{get, post},
    Router,
};
use cors_credentials::{policy, tower::CorsLayer, Check, Reason};
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
