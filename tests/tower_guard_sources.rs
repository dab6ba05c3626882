//! The tower adapter's `CrossOriginGuardLayer` on an axum `Router`, beyond
//! rules 12–21 (`tests/behaviour/guard.rs`): what it trusts is read when it
//! is applied, from the `CorsLayer`s built before, environment lists and
//! dynamic sets.
//!
//! What a guard trusts by default are the policies of every `CorsLayer` of
//! this test binary built before it is applied, a registry of the whole
//! process: an environment list, a dynamic set and a late policy, each used
//! by one test only. An origin a test asserts refused is allowed by no
//! policy of this file.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use axum::{body::Body, extract::State, response::Response, routing::post, Router};
use cors_credentials::{
    policy,
    tower::{CorsLayer, CrossOriginGuardLayer},
    Check, Reason,
};
use http::{request::Builder, Method, Request, StatusCode};
use http_body_util::BodyExt;
use test_support::http_headers::*;
use tower::ServiceExt;

policy! {
    /// Used by `environment_lists_are_trusted_once_loaded` only.
    FROM_ENV = { origins: env("CORS_TOWER_GUARD_TEST_ORIGINS") };
    /// Used by `dynamic_sets_are_trusted_as_last_set` only.
    TENANTS = { origins: dynamic };
    /// Used by `a_trusted_environment_list_is_loaded_when_the_guard_is_applied` only.
    TRUSTED_ENV = { origins: env("CORS_TOWER_GUARD_TEST_TRUSTED_ORIGINS") };
    /// Used by `a_bad_trusted_environment_list_stops_the_guard` only.
    BAD_TRUSTED_ENV = { origins: env("CORS_TOWER_GUARD_TEST_BAD_ORIGINS") };
    /// Used by `a_cors_layer_built_after_the_guard_is_not_trusted_by_it` only.
    LATE = { origins: ["https://late.example.com"] };
}

/// How many times a handler ran, in the app of one test.
type Runs = Arc<AtomicUsize>;

fn runs() -> Runs {
    Arc::new(AtomicUsize::new(0))
}

async fn transfer(State(runs): State<Runs>) -> &'static str {
    runs.fetch_add(1, Ordering::SeqCst);
    "transferred"
}

const OWN_HOST: &str = "api.example.com";

/// A guard around `/transfer` alone, applied now.
fn transfer_only(runs: &Runs) -> Router {
    Router::new()
        .route("/transfer", post(transfer))
        .layer(CrossOriginGuardLayer::new())
        .with_state(runs.clone())
}

fn request(method: Method, path: &str) -> Builder {
    Request::builder()
        .method(method)
        .uri(path)
        .header("host", OWN_HOST)
}

/// A cross-site request from `origin`, as a browser sends it.
fn cross_site(method: Method, path: &str, origin: &str) -> Builder {
    request(method, path)
        .header("origin", origin)
        .header("sec-fetch-site", "cross-site")
}

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

/// Asserts the guard's refusal: `403`, the reason, `Vary: Origin`, no CORS
/// header, `Refused` with `cross_origin_unsafe` by the guard.
async fn assert_refused(res: Response) {
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(one(&res, "content-type"), "text/plain; charset=utf-8");
    assert_eq!(vary(&res), ["origin"]);
    assert_no_allow_headers(&res);
    let refused = refused(&res).expect("a refused response carries `Refused`");
    assert_eq!(
        (refused.reason(), refused.check()),
        (Reason::CrossOriginUnsafe, Check::Guard)
    );
    assert_eq!(
        body(res).await,
        "cross-origin request refused: origin not trusted\n"
    );
}

#[tokio::test]
async fn a_cors_layer_built_after_the_guard_is_not_trusted_by_it() {
    let runs = runs();
    let late = "https://late.example.com";
    let before = transfer_only(&runs);
    let _route = CorsLayer::new(&LATE, [Method::POST]);
    assert_refused(send(&before, cross_site(Method::POST, "/transfer", late)).await).await;
    // A guard applied afterwards trusts it.
    let after = transfer_only(&runs);
    let res = send(&after, cross_site(Method::POST, "/transfer", late)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn environment_lists_are_trusted_once_loaded() {
    // This variable is read by this test only.
    std::env::set_var("CORS_TOWER_GUARD_TEST_ORIGINS", "https://env.example.com");
    let runs = runs();
    // Building the route's layer loads the list, as in any app.
    let app = Router::new()
        .route(
            "/env/action",
            post(|| async { "done" }).layer(CorsLayer::new(&FROM_ENV, [Method::POST])),
        )
        .route("/transfer", post(transfer))
        .layer(CrossOriginGuardLayer::new())
        .with_state(runs.clone());
    let req = cross_site(Method::POST, "/transfer", "https://env.example.com");
    assert_eq!(send(&app, req).await.status(), 200);
    let req = cross_site(Method::POST, "/transfer", "https://other.example.com");
    assert_refused(send(&app, req).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_trusted_environment_list_is_loaded_when_the_guard_is_applied() {
    // This variable is read by this test only.
    std::env::set_var(
        "CORS_TOWER_GUARD_TEST_TRUSTED_ORIGINS",
        "https://trusted-env.example.com",
    );
    let runs = runs();
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
    assert_refused(send(&app, req).await).await;
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
    let runs = runs();
    let app = Router::new()
        .route(
            "/tenant/action",
            post(|| async { "done" }).layer(CorsLayer::new(&TENANTS, [Method::POST])),
        )
        .route("/transfer", post(transfer))
        .layer(CrossOriginGuardLayer::new())
        .with_state(runs.clone());
    let from = |origin| cross_site(Method::POST, "/transfer", origin);
    // Not set yet: trusts nothing.
    assert_refused(send(&app, from("https://acme.example.com")).await).await;
    TENANTS.set_origins(["https://acme.example.com"]).unwrap();
    assert_eq!(
        send(&app, from("https://acme.example.com")).await.status(),
        200
    );
    // Replaced: the old origin is no longer trusted, the new one is.
    TENANTS.set_origins(["https://globex.example.com"]).unwrap();
    assert_refused(send(&app, from("https://acme.example.com")).await).await;
    assert_eq!(
        send(&app, from("https://globex.example.com"))
            .await
            .status(),
        200
    );
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}
