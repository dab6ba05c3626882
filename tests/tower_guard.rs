//! The tower adapter's `CrossOriginGuardLayer` on an axum `Router`: one test
//! per rule of `guard.rs`, on routes without a `CorsLayer` and on routes
//! with one behind it.
//!
//! What a guard trusts by default are the policies of every `CorsLayer` of
//! this test binary built before it is applied, a registry of the whole
//! process: `https://app.example.com` and `https://*.partners.example.com`
//! (every app of `app`), an environment list, a dynamic set and a late
//! policy, each used by one test only. An origin a test asserts refused is
//! allowed by no policy of this file.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use axum::{
    body::Body,
    extract::State,
    http::header,
    response::Response,
    routing::{any, post},
    Router,
};
use cors_credentials::{
    policy,
    tower::{CorsLayer, CrossOriginGuardLayer},
    Check, Reason,
};
use http::{request::Builder, Method, Request, StatusCode};
use http_body_util::BodyExt;
use test_support::{http_headers::*, log::Capture};
use tower::ServiceExt;

policy! {
    /// `/profile`.
    PROFILE = { origins: ["https://app.example.com"] };
    /// `/partners/report`.
    PARTNERS = { origins: ["https://*.partners.example.com"], on_disallowed: "pass" };
    /// Used by `trusted_policies_add_origins` only, never in a `CorsLayer`.
    IDENTITY_PROVIDER = { origins: ["https://login.idp.example.org"] };
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

async fn profile(State(runs): State<Runs>) -> &'static str {
    runs.fetch_add(1, Ordering::SeqCst);
    "saved"
}

async fn partner_report(State(runs): State<Runs>) -> &'static str {
    runs.fetch_add(1, Ordering::SeqCst);
    "reported"
}

const OWN_HOST: &str = "api.example.com";

/// The app of one test: the guard around `/transfer` (any method, and
/// `POST` under `/hooks/..` and `/oauth/callback`), which has no
/// `CorsLayer`, and the routes with one.
fn app(guard: CrossOriginGuardLayer, runs: &Runs) -> Router {
    Router::new()
        .route(
            "/profile",
            post(profile).layer(CorsLayer::new(&PROFILE, [Method::POST])),
        )
        .route(
            "/partners/report",
            post(partner_report).layer(CorsLayer::new(&PARTNERS, [Method::POST])),
        )
        .route("/transfer", any(transfer))
        .route("/hooks/{name}", post(transfer))
        .route("/oauth/callback", post(transfer))
        .layer(guard)
        .with_state(runs.clone())
}

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
async fn safe_methods_always_pass() {
    let runs = runs();
    let app = app(CrossOriginGuardLayer::new(), &runs);
    for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
        let res = send(&app, cross_site(method.clone(), "/transfer", EVIL)).await;
        assert_eq!(res.status(), 200, "{method}");
        assert!(refused(&res).is_none());
    }
    assert_eq!(runs.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn unsafe_methods_from_an_untrusted_origin_are_refused() {
    let runs = runs();
    let app = app(CrossOriginGuardLayer::new(), &runs);
    for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
        assert_refused(send(&app, cross_site(method.clone(), "/transfer", EVIL)).await).await;
        // Fetch Metadata is not what refuses it: the untrusted origin is.
        let req = request(method, "/transfer").header("origin", EVIL);
        assert_refused(send(&app, req).await).await;
    }
    // Another site of the same registrable domain is still another origin.
    let req = request(Method::POST, "/transfer")
        .header("origin", "https://www.example.com")
        .header("sec-fetch-site", "same-site");
    assert_refused(send(&app, req).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 0, "the handler must not run");
}

#[tokio::test]
async fn fetch_metadata_same_origin_or_none_passes() {
    let runs = runs();
    let app = app(CrossOriginGuardLayer::new(), &runs);
    for site in ["same-origin", "none"] {
        let req = request(Method::POST, "/transfer").header("sec-fetch-site", site);
        assert_eq!(send(&app, req).await.status(), 200, "{site}");
    }
    // Even with an origin no policy trusts: the browser says it is the site's own.
    let req = request(Method::POST, "/transfer")
        .header("origin", EVIL)
        .header("sec-fetch-site", "same-origin");
    assert_eq!(send(&app, req).await.status(), 200);
    assert_eq!(runs.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_request_with_neither_fetch_metadata_nor_origin_passes() {
    let runs = runs();
    let app = app(CrossOriginGuardLayer::new(), &runs);
    let res = send(&app, request(Method::POST, "/transfer")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(body(res).await, "transferred");
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn cross_site_fetch_metadata_without_origin_is_refused() {
    let runs = runs();
    let app = app(CrossOriginGuardLayer::new(), &runs);
    for site in ["cross-site", "same-site"] {
        let req = request(Method::POST, "/transfer").header("sec-fetch-site", site);
        assert_refused(send(&app, req).await).await;
    }
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn the_requests_own_origin_passes() {
    let runs = runs();
    let app = app(CrossOriginGuardLayer::new(), &runs);
    // A browser without Fetch Metadata posting a form of the site itself.
    let own = request(Method::POST, "/transfer").header("origin", "http://api.example.com");
    assert_eq!(send(&app, own).await.status(), 200);
    // Behind a TLS-terminating proxy.
    let proxied = request(Method::POST, "/transfer")
        .header("origin", "https://api.example.com")
        .header("x-forwarded-proto", "https");
    assert_eq!(send(&app, proxied).await.status(), 200);
    // The same host under another scheme is another origin.
    let other_scheme =
        request(Method::POST, "/transfer").header("origin", "https://api.example.com");
    assert_refused(send(&app, other_scheme).await).await;
    let other_port =
        request(Method::POST, "/transfer").header("origin", "http://api.example.com:8080");
    assert_refused(send(&app, other_port).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn origins_of_cors_layers_are_trusted_on_every_route() {
    let runs = runs();
    let app = app(CrossOriginGuardLayer::new(), &runs);
    for origin in [ALLOWED, "https://eu.partners.example.com"] {
        let res = send(&app, cross_site(Method::POST, "/transfer", origin)).await;
        assert_eq!(res.status(), 200, "{origin}");
        // The guard adds no CORS header: only a route with a `CorsLayer` does.
        assert_no_allow_headers(&res);
    }
    // The pattern's own apex and look-alikes are not trusted.
    for origin in [
        "https://partners.example.com",
        "https://app.example.com.evil.net",
        "http://app.example.com",
        "null",
    ] {
        assert_refused(send(&app, cross_site(Method::POST, "/transfer", origin)).await).await;
    }
    assert_eq!(runs.load(Ordering::SeqCst), 2);
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
async fn trusted_policies_add_origins() {
    let runs = runs();
    let idp = "https://login.idp.example.org";
    let req = || cross_site(Method::POST, "/oauth/callback", idp);

    let plain = app(CrossOriginGuardLayer::new(), &runs);
    assert_refused(send(&plain, req()).await).await;

    const TRUSTING: CrossOriginGuardLayer = CrossOriginGuardLayer::new().trust(&IDENTITY_PROVIDER);
    let trusting = app(TRUSTING, &runs);
    assert_eq!(send(&trusting, req()).await.status(), 200);
    // Besides, not instead of, the layers' origins.
    let app_origin = cross_site(Method::POST, "/transfer", ALLOWED);
    assert_eq!(send(&trusting, app_origin).await.status(), 200);
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn exempt_paths_pass() {
    let runs = runs();
    const EXEMPTING: CrossOriginGuardLayer =
        CrossOriginGuardLayer::new().exempt(&["/oauth/callback", "/hooks/*"]);
    let app = app(EXEMPTING, &runs);
    for path in ["/oauth/callback", "/hooks/github"] {
        let res = send(&app, cross_site(Method::POST, path, EVIL)).await;
        assert_eq!(res.status(), 200, "{path}");
    }
    assert_refused(send(&app, cross_site(Method::POST, "/transfer", EVIL)).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn more_than_one_origin_is_refused() {
    let runs = runs();
    let app = app(CrossOriginGuardLayer::new(), &runs);
    let req = cross_site(Method::POST, "/transfer", ALLOWED).header("origin", ALLOWED);
    let res = send(&app, req).await;
    assert_eq!(res.status(), 403);
    assert_eq!(vary(&res), ["origin"]);
    assert_no_allow_headers(&res);
    let refused = refused(&res).expect("refused");
    assert_eq!(
        (refused.reason(), refused.check()),
        (Reason::MultipleOrigins, Check::Guard)
    );
    assert_eq!(runs.load(Ordering::SeqCst), 0);
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

#[tokio::test]
async fn routes_with_a_cors_layer_decide_exactly_behind_the_guard() {
    let runs = runs();
    let app = app(CrossOriginGuardLayer::new(), &runs);
    let partner = "https://eu.partners.example.com";

    // The route's own origin: allowed, with the route's CORS headers.
    let res = send(&app, cross_site(Method::POST, "/profile", ALLOWED)).await;
    assert_eq!(res.status(), 200);
    assert_allowed(&res, ALLOWED);

    // Trusted app-wide (another route allows it), not by this route: the
    // route refuses it with its own reason.
    let res = send(&app, cross_site(Method::POST, "/profile", partner)).await;
    assert_eq!(res.status(), 403);
    let refused_by_route = refused(&res).expect("refused");
    assert_eq!(
        (refused_by_route.reason(), refused_by_route.check()),
        (Reason::OriginNotAllowed, Check::Request)
    );
    assert_eq!(
        body(res).await,
        "CORS request refused: origin not allowed\n"
    );

    // `on_disallowed: "pass"`: a trusted origin the route does not allow
    // runs it without CORS headers; an untrusted one stops at the guard.
    let res = send(&app, cross_site(Method::POST, "/partners/report", ALLOWED)).await;
    assert_eq!(res.status(), 200);
    assert_no_allow_headers(&res);
    assert_refused(send(&app, cross_site(Method::POST, "/partners/report", EVIL)).await).await;

    // Preflights are the route's to answer.
    let preflight = |origin| {
        cross_site(Method::OPTIONS, "/profile", origin)
            .header("access-control-request-method", "POST")
    };
    let res = send(&app, preflight(ALLOWED)).await;
    assert_eq!(res.status(), 204);
    assert_allowed(&res, ALLOWED);
    let res = send(&app, preflight(EVIL)).await;
    assert_eq!(res.status(), 403);
    let refused_by_route = refused(&res).expect("refused");
    assert_eq!(
        (refused_by_route.reason(), refused_by_route.check()),
        (Reason::OriginNotAllowed, Check::Preflight)
    );
    assert_eq!(
        body(res).await,
        "CORS request refused: origin not allowed\n"
    );

    // `/profile` ran once, `/partners/report` once.
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn refusals_are_logged_with_escaped_values() {
    let runs = runs();
    let app = app(CrossOriginGuardLayer::new(), &runs);
    let capture = Capture::start();
    let req = cross_site(Method::POST, "/transfer", "https://evil.example.net\"x");
    assert_eq!(send(&app, req).await.status(), 403);
    let req = request(Method::DELETE, "/transfer").header("sec-fetch-site", "cross-site");
    assert_eq!(send(&app, req).await.status(), 403);
    let messages: Vec<String> = capture
        .on_this_thread()
        .into_iter()
        .filter(|record| record.level == log::Level::Debug)
        .map(|record| record.message)
        .collect();
    assert_eq!(
        messages,
        [
            "cors-credentials: refused cross-origin request POST \"/transfer\": origin \"https://evil.example.net\\\"x\" is cross-origin and no policy trusts it",
            "cors-credentials: refused cross-origin request DELETE \"/transfer\": Sec-Fetch-Site is \"cross-site\" and the request has no Origin",
        ]
    );
}

#[tokio::test]
async fn passed_responses_are_untouched() {
    // Trusts `ALLOWED` whatever test ran first.
    let _profile = CorsLayer::new(&PROFILE, [Method::POST]);
    let app: Router = Router::new()
        .route(
            "/plain",
            any(|| async { ([(header::VARY, "Accept")], "plain") }),
        )
        .layer(CrossOriginGuardLayer::new());
    let res = send(&app, cross_site(Method::POST, "/plain", ALLOWED)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(all(&res, "vary"), ["Accept"]);
    assert_no_allow_headers(&res);
    assert!(refused(&res).is_none());
}
