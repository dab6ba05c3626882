//! The tower adapter's `CorsLayer` on axum routes, driven with
//! `tower::ServiceExt::oneshot`: rules 1–11 of `actual_requests.rs` and
//! `preflight_requests.rs`, then every form of `origins` (patterns,
//! `env(..)`, `dynamic`, `dev_origins`) and where the layer must go.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use axum::{
    body::Body,
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
    routing::{delete, get, patch, post, put},
    Form, Router,
};
use cors_credentials::{policy, tower::CorsLayer, Check, Reason};
use http::{request::Builder, HeaderValue, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde::Deserialize;
use test_support::{
    http_headers::*,
    swap::{Swapper, MIN_SWAPS},
};
use tower::ServiceExt;

policy! {
    /// `/me`, `/form`, `/users/{id}`, `/fails`, `/crash` and the header tests.
    ME = { origins: ["https://app.example.com", "http://localhost:3000"] };
    /// `/lenient`.
    LENIENT = { origins: ["https://app.example.com"], on_disallowed: "pass" };
    /// `/items/{id}`.
    ITEMS = {
        origins: ["https://app.example.com"],
        headers: ["Content-Type", "x-request-id"],
        expose_headers: ["x-request-id", "etag"],
        max_age: 600,
    };
    /// `/any-headers` and `/patch`: every request header, the default max age.
    ANY_HEADERS = { origins: ["https://app.example.com"] };
    /// `/subdomains`.
    SUBDOMAINS = { origins: ["https://app.example.com", "https://*.preview.example.com"] };
    /// `/dev`.
    LOOPBACK = {
        origins: ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"],
        headers: ["content-type"],
    };
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

/// How many times the counted handlers ran, in the app of one test.
type Runs = Arc<AtomicUsize>;

fn runs() -> Runs {
    Arc::new(AtomicUsize::new(0))
}

async fn me(State(runs): State<Runs>) -> &'static str {
    runs.fetch_add(1, Ordering::SeqCst);
    "me"
}

async fn update(State(runs): State<Runs>) -> &'static str {
    runs.fetch_add(1, Ordering::SeqCst);
    "updated"
}

async fn options(State(runs): State<Runs>) -> &'static str {
    runs.fetch_add(1, Ordering::SeqCst);
    "options"
}

#[derive(Deserialize)]
struct Update {
    #[allow(dead_code)]
    name: String,
}

async fn form(Form(_update): Form<Update>) -> &'static str {
    "updated"
}

async fn user(Path(id): Path<u32>) -> String {
    format!("user {id}")
}

async fn sets_headers() -> Response {
    let mut res = "ok".into_response();
    let headers = res.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.append(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("TRUE"),
    );
    res
}

/// The app under test, every route of this file but those of one test; the
/// counted handlers count in `runs`, which belongs to the calling test alone.
fn app(runs: &Runs) -> Router {
    Router::new()
        .route("/me", get(me).layer(CorsLayer::new(&ME, [Method::GET])))
        .route(
            "/lenient",
            post(|| async { "ran" }).layer(CorsLayer::new(&LENIENT, [Method::POST])),
        )
        .route(
            "/form",
            post(form).layer(CorsLayer::new(&ME, [Method::POST])),
        )
        .route(
            "/users/{id}",
            get(user).layer(CorsLayer::new(&ME, [Method::GET])),
        )
        .route(
            "/fails",
            get(|| async { (StatusCode::UNPROCESSABLE_ENTITY, "bad input") })
                .layer(CorsLayer::new(&ME, [Method::GET])),
        )
        .route(
            "/crash",
            get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "boom") })
                .layer(CorsLayer::new(&ME, [Method::GET])),
        )
        .route(
            "/sets-headers",
            get(sets_headers).layer(CorsLayer::new(&ME, [Method::GET])),
        )
        .route(
            "/vary-origin",
            get(|| async { ([(header::VARY, "origin")], "ok") })
                .layer(CorsLayer::new(&ME, [Method::GET])),
        )
        .route(
            "/vary-star",
            get(|| async { ([(header::VARY, "*")], "ok") })
                .layer(CorsLayer::new(&ME, [Method::GET])),
        )
        .route(
            "/items/{id}",
            put(update)
                .options(options)
                .layer(CorsLayer::new(&ITEMS, [Method::PUT])),
        )
        .route(
            "/any-headers",
            delete(|| async { "deleted" }).layer(CorsLayer::new(&ANY_HEADERS, [Method::DELETE])),
        )
        .route(
            "/patch",
            patch(|| async { "patched" }).layer(CorsLayer::new(&ANY_HEADERS, [Method::PATCH])),
        )
        .route(
            "/api/me",
            get(me)
                .put(update)
                .layer(CorsLayer::new(&ME, [Method::GET, Method::PUT, Method::GET])),
        )
        .route(
            "/subdomains",
            get(|| async { "ok" }).layer(CorsLayer::new(&SUBDOMAINS, [Method::GET])),
        )
        .route(
            "/dev",
            put(|| async { "ok" }).layer(CorsLayer::new(&LOOPBACK, [Method::PUT])),
        )
        .route(
            "/route-layer",
            get(|| async { "ok" }).route_layer(CorsLayer::new(&ME, [Method::GET])),
        )
        .with_state(runs.clone())
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
    send_body(app, req, Body::empty()).await
}

async fn send_body(app: &Router, req: Builder, body: Body) -> Response {
    app.clone().oneshot(req.body(body).unwrap()).await.unwrap()
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

// Rules 1–6: actual requests.

#[tokio::test]
async fn rule1_allowed_origin_gets_credentialed_headers() {
    let runs = runs();
    let app = app(&runs);
    for origin in [ALLOWED, OTHER_ALLOWED] {
        let res = send(&app, get_req("/me").header("origin", origin)).await;
        assert_eq!(res.status(), 200);
        assert_allowed(&res, origin);
        assert!(refused(&res).is_none());
        assert_eq!(one(&res, "content-type"), "text/plain; charset=utf-8");
        assert_eq!(body(res).await, "me");
    }
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn rule2_no_origin_runs_without_cors_headers_but_varies() {
    let runs = runs();
    let app = app(&runs);
    let res = send(&app, get_req("/me")).await;
    assert_eq!(res.status(), 200);
    assert_no_allow_headers(&res);
    assert_eq!(vary(&res), ["origin"]);
    assert_eq!(body(res).await, "me");
    assert_eq!(runs.load(Ordering::SeqCst), 1, "the handler did not run");
}

#[tokio::test]
async fn rule2_same_origin_requests_run_without_cors_headers() {
    let runs = runs();
    let app = app(&runs);
    // Browsers send Origin on same-origin POSTs; the page's own origin is not "cross-origin".
    let by_host = get_req("/me").header("origin", "http://api.example.com");
    let behind_tls_proxy = get_req("/me")
        .header("origin", "https://api.example.com")
        .header("x-forwarded-proto", "https");
    let by_fetch_metadata = get_req("/me")
        .header("origin", "https://www.example.org")
        .header("sec-fetch-site", "same-origin");
    // An absolute URI (HTTP/2's `:scheme` and `:authority`) says both.
    let by_absolute_uri = Request::builder()
        .uri("https://api.example.com/me")
        .header("origin", "https://api.example.com");
    for req in [
        by_host,
        behind_tls_proxy,
        by_fetch_metadata,
        by_absolute_uri,
    ] {
        let res = send(&app, req).await;
        assert_eq!(res.status(), 200);
        assert_no_allow_headers(&res);
        assert_eq!(vary(&res), ["origin"]);
    }
    assert_eq!(runs.load(Ordering::SeqCst), 4);
    // Without the proxy's word the request is plain http: another origin.
    let no_proxy = get_req("/me").header("origin", "https://api.example.com");
    assert_refused(
        &send(&app, no_proxy).await,
        Reason::OriginNotAllowed,
        Check::Request,
    );
    // Same site is still cross-origin.
    let same_site = get_req("/me")
        .header("origin", "https://www.example.org")
        .header("sec-fetch-site", "same-site");
    assert_refused(
        &send(&app, same_site).await,
        Reason::OriginNotAllowed,
        Check::Request,
    );
    assert_eq!(runs.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn rule3_disallowed_origin_is_refused_before_the_inner_service() {
    let runs = runs();
    let app = app(&runs);
    let res = send(&app, get_req("/me").header("origin", EVIL)).await;
    assert_refused(&res, Reason::OriginNotAllowed, Check::Request);
    assert_eq!(vary(&res), ["origin"]);
    assert_eq!(one(&res, "content-type"), "text/plain; charset=utf-8");
    assert_eq!(
        body(res).await,
        "CORS request refused: origin not allowed\n"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 0, "the handler ran");
    // The count works: an allowed origin reaches the handler.
    let res = send(&app, get_req("/me").header("origin", ALLOWED)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn rule3_pass_mode_runs_the_inner_service_without_cors_headers() {
    let app = app(&runs());
    let res = send(
        &app,
        request(Method::POST, "/lenient").header("origin", EVIL),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_no_allow_headers(&res);
    assert_eq!(vary(&res), ["origin"]);
    assert!(
        refused(&res).is_none(),
        "a response that ran is not refused"
    );
    assert_eq!(body(res).await, "ran");
    // An allowed origin still gets the headers.
    let res = send(
        &app,
        request(Method::POST, "/lenient").header("origin", ALLOWED),
    )
    .await;
    assert_allowed(&res, ALLOWED);
}

#[tokio::test]
async fn rule4_every_response_of_the_route_is_decorated() {
    let app = app(&runs());
    let form_post = |payload: &'static str| {
        (
            request(Method::POST, "/form")
                .header("origin", ALLOWED)
                .header("content-type", "application/x-www-form-urlencoded"),
            Body::from(payload),
        )
    };
    let with_origin = |method: Method, path: &str| {
        (
            request(method, path).header("origin", ALLOWED),
            Body::empty(),
        )
    };
    let cases = [
        (form_post("name=Ada"), 200),
        // axum's own rejection of the extractor.
        (form_post("surname=Lovelace"), 422),
        (with_origin(Method::GET, "/users/7"), 200),
        (with_origin(Method::GET, "/users/not-a-number"), 400),
        (with_origin(Method::GET, "/fails"), 422),
        (with_origin(Method::GET, "/crash"), 500),
        // The `MethodRouter`'s own answer to a method it does not route.
        (with_origin(Method::DELETE, "/me"), 405),
    ];
    for ((req, payload), status) in cases {
        let res = send_body(&app, req, payload).await;
        assert_eq!(res.status(), status, "{:?}", res.headers());
        assert_allowed(&res, ALLOWED);
        assert!(refused(&res).is_none());
    }
}

#[tokio::test]
async fn rule4_error_bodies_stay_readable() {
    let app = app(&runs());
    let res = send(&app, get_req("/fails").header("origin", ALLOWED)).await;
    assert_eq!(res.status(), 422);
    assert_allowed(&res, ALLOWED);
    assert_eq!(body(res).await, "bad input");
}

#[tokio::test]
async fn rule5_handler_vary_is_merged_and_allow_headers_replaced() {
    let app = app(&runs());
    let res = send(&app, get_req("/sets-headers").header("origin", ALLOWED)).await;
    assert_allowed(&res, ALLOWED);
    assert_eq!(vary(&res), ["accept-encoding", "origin"]);

    // Without an allowed origin, the handler's own Allow headers are removed too.
    let res = send(&app, get_req("/sets-headers")).await;
    assert_no_allow_headers(&res);
    assert_eq!(vary(&res), ["accept-encoding", "origin"]);
}

#[tokio::test]
async fn rule5_a_vary_listing_origin_or_star_is_kept_as_it_is() {
    let app = app(&runs());
    for (path, line) in [("/vary-origin", "origin"), ("/vary-star", "*")] {
        let res = send(&app, get_req(path).header("origin", ALLOWED)).await;
        assert_eq!(one(&res, "access-control-allow-origin"), ALLOWED);
        assert_eq!(all(&res, "vary"), [line], "{path}");
        let res = send(&app, get_req(path)).await;
        assert_no_allow_headers(&res);
        assert_eq!(all(&res, "vary"), [line], "{path}");
    }
}

#[tokio::test]
async fn rule6_origins_are_compared_byte_for_byte() {
    let runs = runs();
    let app = app(&runs);
    for near_miss in [
        "null",
        "",
        "https://APP.example.com",
        "HTTPS://app.example.com",
        "https://app.example.com/",
        "https://app.example.com:443",
        "https://app.example.com.",
        "http://app.example.com",
        "https://app.example.com:8443",
        "https://app.example.co",
        "https://app.example.com.evil.net",
        "https://evilapp.example.com",
        "https://app.example.com@evil.net",
        "https://app.example.com\\.evil.net",
        " https://app.example.com",
        "http://localhost:30000",
        "http://localhost",
        "http://127.0.0.1:3000",
    ] {
        let res = send(&app, get_req("/me").header("origin", near_miss)).await;
        assert_refused(&res, Reason::OriginNotAllowed, Check::Request);
    }
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn two_origin_headers_are_refused() {
    let runs = runs();
    let app = app(&runs);
    let req = get_req("/me")
        .header("origin", ALLOWED)
        .header("origin", ALLOWED);
    let res = send(&app, req).await;
    assert_refused(&res, Reason::MultipleOrigins, Check::Request);
    assert_eq!(
        body(res).await,
        "CORS request refused: more than one Origin header\n"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

// Rules 7–11: preflights.

#[tokio::test]
async fn rule7_allowed_preflight_is_answered_with_204() {
    let runs = runs();
    let app = app(&runs);
    let req = preflight("/items/42", ALLOWED, "PUT").header(
        "access-control-request-headers",
        "content-type,x-request-id",
    );
    let res = send(&app, req).await;
    assert_eq!(res.status(), 204);
    assert_eq!(one(&res, "access-control-allow-origin"), ALLOWED);
    assert_eq!(one(&res, "access-control-allow-credentials"), "true");
    assert_eq!(one(&res, "access-control-allow-methods"), "PUT");
    assert_eq!(
        one(&res, "access-control-allow-headers"),
        "content-type, x-request-id"
    );
    assert_eq!(one(&res, "access-control-max-age"), "600");
    assert_eq!(vary(&res), PREFLIGHT_VARY);
    // Expose-Headers belongs on actual responses only.
    assert!(all(&res, "access-control-expose-headers").is_empty());
    assert!(refused(&res).is_none());
    assert!(body(res).await.is_empty());
    assert_eq!(runs.load(Ordering::SeqCst), 0, "the handler ran");
    // The count works: the actual request reaches the handler.
    let res = send(
        &app,
        request(Method::PUT, "/items/42").header("origin", ALLOWED),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn rule7_without_requested_headers_no_allow_headers_is_sent() {
    let app = app(&runs());
    let res = send(&app, preflight("/items/1", ALLOWED, "PUT")).await;
    assert_eq!(res.status(), 204);
    assert!(all(&res, "access-control-allow-headers").is_empty());
}

#[tokio::test]
async fn rule7_the_layers_methods_are_listed_once_each() {
    let app = app(&runs());
    for method in ["GET", "PUT"] {
        let res = send(&app, preflight("/api/me", ALLOWED, method)).await;
        assert_eq!(res.status(), 204, "{method}");
        assert_eq!(one(&res, "access-control-allow-methods"), "GET, PUT");
    }
}

#[tokio::test]
async fn default_max_age_spares_preflights() {
    let app = app(&runs());
    let res = send(&app, preflight("/any-headers", ALLOWED, "DELETE")).await;
    assert_eq!(res.status(), 204);
    assert_eq!(one(&res, "access-control-max-age"), "7200");
}

#[tokio::test]
async fn actual_response_exposes_configured_headers() {
    let app = app(&runs());
    let res = send(
        &app,
        request(Method::PUT, "/items/1").header("origin", ALLOWED),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_allowed(&res, ALLOWED);
    assert_eq!(
        one(&res, "access-control-expose-headers"),
        "x-request-id, etag"
    );
    // Only to an allowed origin.
    let res = send(&app, request(Method::PUT, "/items/1")).await;
    assert_eq!(res.status(), 200);
    assert!(all(&res, "access-control-expose-headers").is_empty());
    // Only with `expose_headers`.
    let res = send(
        &app,
        request(Method::DELETE, "/any-headers").header("origin", ALLOWED),
    )
    .await;
    assert_allowed(&res, ALLOWED);
    assert!(all(&res, "access-control-expose-headers").is_empty());
}

#[tokio::test]
async fn rule8_request_headers_are_parsed_leniently() {
    let app = app(&runs());
    for lines in [
        &["Content-Type, X-Request-ID"][..],
        &[" content-type ,, x-request-id ,"],
        &["content-type", "x-request-id"],
        &["", "x-request-id"],
    ] {
        let mut req = preflight("/items/1", ALLOWED, "PUT");
        for line in lines {
            req = req.header("access-control-request-headers", *line);
        }
        let res = send(&app, req).await;
        assert_eq!(res.status(), 204, "{lines:?}");
        assert_eq!(
            one(&res, "access-control-allow-headers"),
            "content-type, x-request-id"
        );
    }
}

#[tokio::test]
async fn omitted_headers_key_lists_back_what_was_asked() {
    let app = app(&runs());
    let req = preflight("/any-headers", ALLOWED, "DELETE")
        .header("access-control-request-headers", "authorization,x-anything");
    let res = send(&app, req).await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        one(&res, "access-control-allow-headers"),
        "authorization,x-anything"
    );

    // Reshaped by a proxy: listed back in canonical form, never as `*`.
    let req = preflight("/any-headers", ALLOWED, "DELETE")
        .header("access-control-request-headers", " authorization , ")
        .header("access-control-request-headers", "X-Anything");
    let res = send(&app, req).await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        one(&res, "access-control-allow-headers"),
        "authorization,X-Anything"
    );
}

#[tokio::test]
async fn rule9_refused_preflights_get_403_without_cors_headers() {
    let runs = runs();
    let app = app(&runs);
    let too_long = "x".repeat(cors_credentials::MAX_REQUEST_HEADERS_LEN + 1);
    let cases = [
        (
            preflight("/items/1", EVIL, "PUT"),
            Reason::OriginNotAllowed,
            "origin not allowed",
        ),
        (
            preflight("/items/1", "null", "PUT"),
            Reason::OriginNotAllowed,
            "origin not allowed",
        ),
        (
            preflight("/items/1", "", "PUT"),
            Reason::OriginNotAllowed,
            "origin not allowed",
        ),
        (
            preflight("/items/1", ALLOWED, "PUT").header("origin", ALLOWED),
            Reason::MultipleOrigins,
            "more than one Origin header",
        ),
        (
            preflight("/items/1", ALLOWED, "PUT")
                .header("access-control-request-headers", "authorization"),
            Reason::HeaderNotAllowed,
            "request header not allowed",
        ),
        (
            preflight("/items/1", ALLOWED, "PUT")
                .header("access-control-request-headers", "content-type,x-other"),
            Reason::HeaderNotAllowed,
            "request header not allowed",
        ),
        (
            preflight("/items/1", ALLOWED, "PUT")
                .header("access-control-request-headers", "bad header"),
            Reason::MalformedRequestHeaders,
            "malformed Access-Control-Request-Headers",
        ),
        (
            preflight("/any-headers", ALLOWED, "DELETE")
                .header("access-control-request-headers", too_long.as_str()),
            Reason::RequestHeadersTooLarge,
            "Access-Control-Request-Headers too large",
        ),
    ];
    for (req, reason, text) in cases {
        let res = send(&app, req).await;
        assert_refused(&res, reason, Check::Preflight);
        assert_eq!(vary(&res), PREFLIGHT_VARY);
        assert_eq!(one(&res, "content-type"), "text/plain; charset=utf-8");
        let body = body(res).await;
        assert!(body.contains(text), "{body:?} lacks {text:?}");
    }
    assert_eq!(runs.load(Ordering::SeqCst), 0, "a handler ran");
}

/// The layer knows the route's methods, so a preflight for another is
/// refused with `method_not_allowed` (actix-web's attribute leaves it to the
/// resource's `404`; its middleware form refuses it the same way).
#[tokio::test]
async fn rule10_only_served_methods_are_answered_case_sensitively() {
    let app = app(&runs());
    for method in ["GET", "POST", "put", "DELETE", ""] {
        let res = send(&app, preflight("/items/1", ALLOWED, method)).await;
        assert_refused(&res, Reason::MethodNotAllowed, Check::Preflight);
        assert_eq!(vary(&res), PREFLIGHT_VARY);
    }
    // `patch` is not `PATCH`: browsers only upper-case the six standard methods.
    let res = send(&app, preflight("/patch", ALLOWED, "patch")).await;
    assert_refused(&res, Reason::MethodNotAllowed, Check::Preflight);
    let res = send(&app, preflight("/patch", ALLOWED, "PATCH")).await;
    assert_eq!(res.status(), 204);
    assert_eq!(one(&res, "access-control-allow-methods"), "PATCH");
    // Two `Access-Control-Request-Method` lines: no browser sends that.
    let req =
        preflight("/patch", ALLOWED, "PATCH").header("access-control-request-method", "PATCH");
    assert_refused(
        &send(&app, req).await,
        Reason::MethodNotAllowed,
        Check::Preflight,
    );
}

#[tokio::test]
async fn rule11_options_without_request_method_is_not_a_preflight() {
    let runs = runs();
    let app = app(&runs);
    // An ordinary OPTIONS request: the route's `options` handler serves it,
    // decorated as any actual request.
    let req = request(Method::OPTIONS, "/items/1").header("origin", ALLOWED);
    let res = send(&app, req).await;
    assert_eq!(res.status(), 200);
    assert_allowed(&res, ALLOWED);
    assert_eq!(body(res).await, "options");
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    // Without `Origin` it is no preflight either.
    let req = request(Method::OPTIONS, "/items/1").header("access-control-request-method", "PUT");
    let res = send(&app, req).await;
    assert_eq!(res.status(), 200);
    assert_no_allow_headers(&res);
    assert_eq!(vary(&res), ["origin"]);
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

// Origin patterns.

#[tokio::test]
async fn subdomain_pattern_matches_any_depth_and_echoes_the_origin() {
    let app = app(&runs());
    for origin in [
        "https://pr-42.preview.example.com",
        "https://a.b.preview.example.com",
        "https://xn--bcher-kva.preview.example.com",
        "https://app.example.com",
    ] {
        let res = send(&app, get_req("/subdomains").header("origin", origin)).await;
        assert_eq!(res.status(), 200, "{origin}");
        assert_allowed(&res, origin);
    }
}

#[tokio::test]
async fn subdomain_pattern_near_misses_are_refused() {
    let app = app(&runs());
    for origin in [
        "https://preview.example.com",
        "https://.preview.example.com",
        "https://xpreview.example.com",
        "https://evilpreview.example.com",
        "https://preview.example.com.evil.net",
        "https://a.preview.example.com.evil.net",
        "https://a.preview.example.com:8443",
        "http://a.preview.example.com",
        "https://A.preview.example.com",
        "https://a_b.preview.example.com",
        "https://a`b.preview.example.com",
        "https://a}b.preview.example.com",
        "https://a%60b.preview.example.com",
        "https://evil.net@a.preview.example.com",
        "https://a..preview.example.com",
        "https://a.preview.example.com.",
        "https://a.preview.example.com/",
        "null",
    ] {
        let res = send(&app, get_req("/subdomains").header("origin", origin)).await;
        assert_eq!(res.status(), 403, "{origin:?}");
        assert_refused(&res, Reason::OriginNotAllowed, Check::Request);
    }
}

#[tokio::test]
async fn port_pattern_matches_any_port_on_loopback() {
    let app = app(&runs());
    for origin in [
        "http://localhost:3000",
        "http://localhost:5173",
        "http://127.0.0.1:8080",
        "http://[::1]:65535",
    ] {
        let res = send(&app, request(Method::PUT, "/dev").header("origin", origin)).await;
        assert_eq!(res.status(), 200, "{origin}");
        assert_allowed(&res, origin);
        let req = preflight("/dev", origin, "PUT")
            .header("access-control-request-headers", "content-type");
        let res = send(&app, req).await;
        assert_eq!(res.status(), 204, "{origin}");
        assert_eq!(one(&res, "access-control-allow-origin"), origin);
    }
    for origin in [
        "http://localhost",
        "http://localhost:",
        "http://localhost:0",
        "http://localhost:03000",
        "http://localhost:65536",
        "http://localhost.evil.net:3000",
        "https://localhost:3000",
        "http://127.0.0.2:3000",
        "http://localhost:3000/",
    ] {
        let res = send(&app, request(Method::PUT, "/dev").header("origin", origin)).await;
        assert_eq!(res.status(), 403, "{origin:?}");
        assert_refused(&res, Reason::OriginNotAllowed, Check::Request);
    }
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
    let app = app(&runs());
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
