//! Every response the tower adapter refuses carries `cors_credentials::Refused`
//! in its extensions, with the reason and the check that refused it; the
//! responses of routes that ran carry none; each refusal is explained in a
//! `log` debug record. The counterpart of `refusal_reasons.rs` and
//! `refusal_logs.rs`.

use axum::{
    body::Body,
    response::Response,
    routing::{get, post, put},
    Router,
};
use cors_credentials::{
    tower::{CorsLayer, CrossOriginGuardLayer},
    Check, Reason, Refused,
};
use http::{request::Builder, HeaderValue, Method, Request};
use test_support::log::Capture;
use tower::ServiceExt;

cors_credentials::policy! {
    /// `/items`.
    ITEMS = { origins: ["https://app.example.com"], headers: ["content-type"] };
    /// Origins given at run time, never given in this test.
    NOT_SET = { origins: dynamic };
    /// `/reads`: `GET` only.
    READS = { origins: ["https://app.example.com"] };
}

const ALLOWED: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";

fn app() -> Router {
    Router::new()
        .route(
            "/items",
            put(|| async { "updated" }).layer(CorsLayer::new(&ITEMS, [Method::PUT])),
        )
        .route(
            "/tenants",
            put(|| async { "tenants" }).layer(CorsLayer::new(&NOT_SET, [Method::PUT])),
        )
        .route(
            "/reads",
            get(|| async { "read" }).layer(CorsLayer::new(&READS, [Method::GET])),
        )
        .route("/form", post(|| async { "posted" }))
        .layer(CrossOriginGuardLayer::new())
}

fn request(method: Method, path: &str) -> Builder {
    Request::builder().method(method).uri(path)
}

fn preflight(path: &str, origin: &str, method: &str) -> Builder {
    request(Method::OPTIONS, path)
        .header("origin", origin)
        .header("access-control-request-method", method)
}

async fn send(req: Builder) -> Response {
    app()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

/// The `Refused` of the response to `req`, and its status.
async fn refused(req: Builder) -> (u16, Option<Refused>) {
    let res = send(req).await;
    let refused = res.extensions().get::<Refused>().copied();
    (res.status().as_u16(), refused)
}

async fn assert_refused(req: Builder, reason: Reason, check: Check) {
    let (status, refused) = refused(req).await;
    assert_eq!(status, 403);
    let refused = refused.expect("a refused response carries `Refused`");
    assert_eq!((refused.reason(), refused.check()), (reason, check));
}

#[tokio::test]
async fn an_actual_request_from_another_origin() {
    // A safe method: the guard lets it reach the route.
    let req = request(Method::GET, "/reads").header("origin", EVIL);
    assert_refused(req, Reason::OriginNotAllowed, Check::Request).await;
}

#[tokio::test]
async fn an_actual_request_with_two_origins() {
    let req = request(Method::GET, "/reads")
        .header("origin", ALLOWED)
        .header("origin", ALLOWED);
    assert_refused(req, Reason::MultipleOrigins, Check::Request).await;
}

#[tokio::test]
async fn a_dynamic_policy_not_set_yet() {
    // The guard trusts the origin (`/items` allows it): the route decides.
    let req = request(Method::PUT, "/tenants").header("origin", ALLOWED);
    assert_refused(req, Reason::OriginsNotSet, Check::Request).await;
}

#[tokio::test]
async fn a_preflight_from_another_origin() {
    let req = preflight("/items", EVIL, "PUT");
    assert_refused(req, Reason::OriginNotAllowed, Check::Preflight).await;
}

#[tokio::test]
async fn a_preflight_with_two_origins() {
    let req = preflight("/items", ALLOWED, "PUT").header("origin", ALLOWED);
    assert_refused(req, Reason::MultipleOrigins, Check::Preflight).await;
}

#[tokio::test]
async fn a_preflight_before_the_origins_are_set() {
    let req = preflight("/tenants", ALLOWED, "PUT");
    assert_refused(req, Reason::OriginsNotSet, Check::Preflight).await;
}

#[tokio::test]
async fn a_preflight_for_a_method_not_served() {
    let req = preflight("/reads", ALLOWED, "DELETE");
    assert_refused(req, Reason::MethodNotAllowed, Check::Preflight).await;
}

#[tokio::test]
async fn a_preflight_for_a_header_not_allowed() {
    let req = preflight("/items", ALLOWED, "PUT")
        .header("access-control-request-headers", "content-type,x-debug");
    assert_refused(req, Reason::HeaderNotAllowed, Check::Preflight).await;
}

#[tokio::test]
async fn a_preflight_with_malformed_request_headers() {
    let req = preflight("/items", ALLOWED, "PUT")
        .header("access-control-request-headers", "content type");
    assert_refused(req, Reason::MalformedRequestHeaders, Check::Preflight).await;
}

#[tokio::test]
async fn a_preflight_with_too_many_request_headers() {
    let long = "x".repeat(cors_credentials::MAX_REQUEST_HEADERS_LEN + 1);
    let req = preflight("/items", ALLOWED, "PUT").header(
        "access-control-request-headers",
        HeaderValue::from_str(&long).unwrap(),
    );
    assert_refused(req, Reason::RequestHeadersTooLarge, Check::Preflight).await;
}

#[tokio::test]
async fn a_cross_origin_form_post_the_guard_refuses() {
    let req = request(Method::POST, "/form")
        .header("origin", EVIL)
        .header("sec-fetch-site", "cross-site");
    assert_refused(req, Reason::CrossOriginUnsafe, Check::Guard).await;
}

#[tokio::test]
async fn an_unsafe_request_with_two_origins_the_guard_refuses() {
    let req = request(Method::POST, "/form")
        .header("origin", ALLOWED)
        .header("origin", EVIL);
    assert_refused(req, Reason::MultipleOrigins, Check::Guard).await;
}

#[tokio::test]
async fn responses_of_routes_that_ran_carry_none() {
    let allowed = request(Method::PUT, "/items").header("origin", ALLOWED);
    assert_eq!(refused(allowed).await, (200, None));
    let answered = preflight("/items", ALLOWED, "PUT");
    assert_eq!(refused(answered).await, (204, None));
    let same_origin = request(Method::POST, "/form");
    assert_eq!(refused(same_origin).await, (200, None));
    // An error of the route that ran is its own, not a refusal.
    let unrouted = request(Method::DELETE, "/items").header("origin", ALLOWED);
    assert_eq!(refused(unrouted).await, (405, None));
}

/// The debug records logged while `req` is served, on this test's thread
/// (where `#[tokio::test]` runs the layers).
async fn records_for(req: Builder) -> Vec<String> {
    let capture = Capture::start();
    let res = send(req).await;
    assert_eq!(res.status(), 403);
    capture
        .on_this_thread()
        .into_iter()
        .filter(|record| record.level == log::Level::Debug)
        .map(|record| record.message)
        .collect()
}

#[tokio::test]
async fn refusals_name_what_was_refused() {
    let actual = request(Method::GET, "/reads").header("origin", EVIL);
    assert_eq!(
        records_for(actual).await,
        ["cors-credentials: refused request GET \"/reads\": origin \"https://evil.example.net\" is not in the allowed origins"]
    );
    assert_eq!(
        records_for(preflight("/items", EVIL, "PUT")).await,
        ["cors-credentials: refused preflight OPTIONS \"/items\": origin \"https://evil.example.net\" is not in the allowed origins"]
    );
    let req = preflight("/items", ALLOWED, "PUT")
        .header("access-control-request-headers", "content-type,x-debug");
    assert_eq!(
        records_for(req).await,
        ["cors-credentials: refused preflight OPTIONS \"/items\": request header \"x-debug\" is not in the allowed headers"]
    );
    // Values from the request are escaped: no forged log lines.
    let hostile = HeaderValue::from_bytes(b"https://evil.example.net\t\xff\"x").unwrap();
    let records = records_for(request(Method::GET, "/reads").header("origin", hostile)).await;
    assert_eq!(records.len(), 1);
    assert!(
        records[0].contains(r#"origin "https://evil.example.net\t\xff\"x" is not"#),
        "{records:?}"
    );
}
