//! The app-wide `CrossOriginGuard`: one test per rule, on routes nobody
//! annotated and on annotated routes behind it.
//!
//! What the guard trusts by default comes from the annotated handlers of this
//! test binary (the inventory): `https://app.example.com` and
//! `https://*.partners.example.com` below, an environment list and a dynamic
//! set, each used by one test only.

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{
    body::{self, MessageBody},
    dev::{Service, ServiceResponse},
    http::Method,
    post, test, web, App, Error, HttpResponse, Responder,
};
use cors_credentials::{cors_credentials, policy, CrossOriginGuard};
use test_support::{headers::*, log::Capture};

/// How many times a handler ran, in the app of one test.
type Runs = web::Data<AtomicUsize>;

async fn transfer(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "transferred"
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[post("/profile")]
async fn profile(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "saved"
}

#[cors_credentials(origins = ["https://*.partners.example.com"], on_disallowed = "pass")]
#[post("/partners/report")]
async fn partner_report(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "reported"
}

policy! {
    /// Used by `trusted_policies_add_origins` only.
    IDENTITY_PROVIDER = { origins: ["https://login.idp.example.org"] };

    /// Used by `environment_lists_are_trusted_once_loaded` only.
    FROM_ENV = { origins: env("CORS_GUARD_TEST_ORIGINS") };

    /// Used by `dynamic_sets_are_trusted_as_last_set` only.
    TENANTS = { origins: dynamic };
}

#[cors_credentials(policy = FROM_ENV)]
#[post("/env/action")]
async fn env_action() -> impl Responder {
    "done"
}

#[cors_credentials(policy = TENANTS)]
#[post("/tenant/action")]
async fn tenant_action() -> impl Responder {
    "done"
}

const OWN_HOST: &str = "api.example.com";

/// The app of one test: the guard around an unannotated `/transfer` (also
/// under `/hooks/..` and `/oauth/callback`) and the annotated routes.
async fn app(
    guard: CrossOriginGuard,
    runs: &Runs,
) -> impl Service<actix_http::Request, Response = ServiceResponse<impl MessageBody>, Error = Error>
{
    test::init_service(
        App::new()
            .wrap(guard)
            .app_data(runs.clone())
            .service(profile)
            .service(partner_report)
            .route("/transfer", web::to(transfer))
            .route("/hooks/{name}", web::post().to(transfer))
            .route("/oauth/callback", web::post().to(transfer)),
    )
    .await
}

fn request(method: Method, path: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(method)
        .uri(path)
        .insert_header(("host", OWN_HOST))
}

/// A cross-site request from `origin`, as a browser sends it.
fn cross_site(method: Method, path: &str, origin: &str) -> test::TestRequest {
    request(method, path)
        .insert_header(("origin", origin))
        .insert_header(("sec-fetch-site", "cross-site"))
}

/// Asserts the guard's refusal: `403`, the reason, `Vary: Origin`, no CORS
/// header.
async fn assert_refused<B: MessageBody>(res: ServiceResponse<B>) {
    assert_eq!(res.status(), 403);
    assert_eq!(one(&res, "content-type"), "text/plain; charset=utf-8");
    assert_eq!(vary(&res), ["origin"]);
    assert_no_allow_headers(&res);
    let body = body::to_bytes(res.into_body()).await.ok().unwrap();
    assert_eq!(body, "cross-origin request refused: origin not trusted\n");
}

#[actix_web::test]
async fn safe_methods_always_pass() {
    let runs = Runs::default();
    let app = app(CrossOriginGuard::new(), &runs).await;
    for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
        let res =
            test::call_service(&app, cross_site(method, "/transfer", EVIL).to_request()).await;
        assert_eq!(res.status(), 200);
    }
    assert_eq!(runs.load(Ordering::SeqCst), 3);
}

#[actix_web::test]
async fn unsafe_methods_from_an_untrusted_origin_are_refused() {
    let runs = Runs::default();
    let app = app(CrossOriginGuard::new(), &runs).await;
    for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
        let req = cross_site(method.clone(), "/transfer", EVIL);
        assert_refused(test::call_service(&app, req.to_request()).await).await;
        // Fetch Metadata is not what refuses it: the untrusted origin is.
        let req = request(method, "/transfer").insert_header(("origin", EVIL));
        assert_refused(test::call_service(&app, req.to_request()).await).await;
    }
    // Another site of the same registrable domain is still another origin.
    let req = cross_site(Method::POST, "/transfer", "https://www.example.com")
        .insert_header(("sec-fetch-site", "same-site"));
    assert_refused(test::call_service(&app, req.to_request()).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 0, "the handler must not run");
}

#[actix_web::test]
async fn fetch_metadata_same_origin_or_none_passes() {
    let runs = Runs::default();
    let app = app(CrossOriginGuard::new(), &runs).await;
    for site in ["same-origin", "none"] {
        let req = request(Method::POST, "/transfer").insert_header(("sec-fetch-site", site));
        assert_eq!(
            test::call_service(&app, req.to_request()).await.status(),
            200
        );
    }
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[actix_web::test]
async fn a_request_with_neither_fetch_metadata_nor_origin_passes() {
    let runs = Runs::default();
    let app = app(CrossOriginGuard::new(), &runs).await;
    let res = test::call_service(&app, request(Method::POST, "/transfer").to_request()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[actix_web::test]
async fn cross_site_fetch_metadata_without_origin_is_refused() {
    let runs = Runs::default();
    let app = app(CrossOriginGuard::new(), &runs).await;
    for site in ["cross-site", "same-site"] {
        let req = request(Method::POST, "/transfer").insert_header(("sec-fetch-site", site));
        assert_refused(test::call_service(&app, req.to_request()).await).await;
    }
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

#[actix_web::test]
async fn the_requests_own_origin_passes() {
    let runs = Runs::default();
    let app = app(CrossOriginGuard::new(), &runs).await;
    // A browser without Fetch Metadata posting a form of the site itself.
    let own =
        request(Method::POST, "/transfer").insert_header(("origin", "http://api.example.com"));
    assert_eq!(
        test::call_service(&app, own.to_request()).await.status(),
        200
    );
    // The same host under another scheme is another origin.
    let other_scheme =
        request(Method::POST, "/transfer").insert_header(("origin", "https://api.example.com"));
    assert_refused(test::call_service(&app, other_scheme.to_request()).await).await;
    let other_port =
        request(Method::POST, "/transfer").insert_header(("origin", "http://api.example.com:8080"));
    assert_refused(test::call_service(&app, other_port.to_request()).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[actix_web::test]
async fn origins_of_annotated_handlers_are_trusted_on_every_route() {
    let runs = Runs::default();
    let app = app(CrossOriginGuard::new(), &runs).await;
    for origin in [ALLOWED, "https://eu.partners.example.com"] {
        let req = cross_site(Method::POST, "/transfer", origin);
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), 200, "{origin}");
        // The guard adds no CORS header: only an annotated route does.
        assert_no_allow_headers(&res);
    }
    // The pattern's own apex and look-alikes are not trusted.
    for origin in [
        "https://partners.example.com",
        "https://app.example.com.evil.net",
        "http://app.example.com",
        "null",
    ] {
        let req = cross_site(Method::POST, "/transfer", origin);
        assert_refused(test::call_service(&app, req.to_request()).await).await;
    }
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[actix_web::test]
async fn trusted_policies_add_origins() {
    let runs = Runs::default();
    let idp = "https://login.idp.example.org";
    let req = || cross_site(Method::POST, "/oauth/callback", idp).to_request();

    let plain = app(CrossOriginGuard::new(), &runs).await;
    assert_refused(test::call_service(&plain, req()).await).await;

    const TRUSTING: CrossOriginGuard = CrossOriginGuard::new().trust(&IDENTITY_PROVIDER);
    let trusting = app(TRUSTING, &runs).await;
    assert_eq!(test::call_service(&trusting, req()).await.status(), 200);
    // Besides, not instead of, the handlers' origins.
    let app_origin = cross_site(Method::POST, "/transfer", ALLOWED).to_request();
    assert_eq!(
        test::call_service(&trusting, app_origin).await.status(),
        200
    );
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[actix_web::test]
async fn exempt_paths_pass() {
    let runs = Runs::default();
    const EXEMPTING: CrossOriginGuard =
        CrossOriginGuard::new().exempt(&["/oauth/callback", "/hooks/*"]);
    let app = app(EXEMPTING, &runs).await;
    for path in ["/oauth/callback", "/hooks/github"] {
        let req = cross_site(Method::POST, path, EVIL);
        assert_eq!(
            test::call_service(&app, req.to_request()).await.status(),
            200,
            "{path}"
        );
    }
    let req = cross_site(Method::POST, "/transfer", EVIL);
    assert_refused(test::call_service(&app, req.to_request()).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[actix_web::test]
async fn more_than_one_origin_is_refused() {
    let runs = Runs::default();
    let app = app(CrossOriginGuard::new(), &runs).await;
    let req = cross_site(Method::POST, "/transfer", ALLOWED).append_header(("origin", ALLOWED));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), 403);
    assert_eq!(vary(&res), ["origin"]);
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

#[actix_web::test]
async fn environment_lists_are_trusted_once_loaded() {
    // SAFETY of the test: this variable is read by this test only.
    std::env::set_var("CORS_GUARD_TEST_ORIGINS", "https://env.example.com");
    let runs = Runs::default();
    // Registering the route loads the list, as in any app.
    let app = test::init_service(
        App::new()
            .wrap(CrossOriginGuard::new())
            .app_data(runs.clone())
            .service(env_action)
            .route("/transfer", web::post().to(transfer)),
    )
    .await;
    let req = cross_site(Method::POST, "/transfer", "https://env.example.com");
    assert_eq!(
        test::call_service(&app, req.to_request()).await.status(),
        200
    );
    let req = cross_site(Method::POST, "/transfer", "https://other.example.com");
    assert_refused(test::call_service(&app, req.to_request()).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[actix_web::test]
async fn dynamic_sets_are_trusted_as_last_set() {
    let runs = Runs::default();
    let app = test::init_service(
        App::new()
            .wrap(CrossOriginGuard::new())
            .app_data(runs.clone())
            .service(tenant_action)
            .route("/transfer", web::post().to(transfer)),
    )
    .await;
    let from = |origin| cross_site(Method::POST, "/transfer", origin).to_request();
    // Not set yet: trusts nothing.
    assert_refused(test::call_service(&app, from("https://acme.example.com")).await).await;
    TENANTS.set_origins(["https://acme.example.com"]).unwrap();
    assert_eq!(
        test::call_service(&app, from("https://acme.example.com"))
            .await
            .status(),
        200
    );
    // Replaced: the old origin is no longer trusted, the new one is.
    TENANTS.set_origins(["https://globex.example.com"]).unwrap();
    assert_refused(test::call_service(&app, from("https://acme.example.com")).await).await;
    assert_eq!(
        test::call_service(&app, from("https://globex.example.com"))
            .await
            .status(),
        200
    );
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[actix_web::test]
async fn annotated_routes_decide_exactly_behind_the_guard() {
    let runs = Runs::default();
    let app = app(CrossOriginGuard::new(), &runs).await;
    let partner = "https://eu.partners.example.com";

    // The route's own origin: allowed, with the route's CORS headers.
    let res = test::call_service(
        &app,
        cross_site(Method::POST, "/profile", ALLOWED).to_request(),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_allowed(&res, ALLOWED);

    // Trusted app-wide (another route allows it), not by this route: the
    // route refuses it with its own reason.
    let res = test::call_service(
        &app,
        cross_site(Method::POST, "/profile", partner).to_request(),
    )
    .await;
    assert_eq!(res.status(), 403);
    let body = body::to_bytes(res.into_body()).await.ok().unwrap();
    assert_eq!(body, "CORS request refused: origin not allowed\n");

    // `on_disallowed = "pass"`: a trusted origin the route does not allow
    // runs it without CORS headers; an untrusted one stops at the guard.
    let res = test::call_service(
        &app,
        cross_site(Method::POST, "/partners/report", ALLOWED).to_request(),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_no_allow_headers(&res);
    let res = test::call_service(
        &app,
        cross_site(Method::POST, "/partners/report", EVIL).to_request(),
    )
    .await;
    assert_refused(res).await;

    // Preflights are the route's to answer.
    let preflight = |origin| {
        cross_site(Method::OPTIONS, "/profile", origin)
            .insert_header(("access-control-request-method", "POST"))
            .to_request()
    };
    let res = test::call_service(&app, preflight(ALLOWED)).await;
    assert_eq!(res.status(), 204);
    assert_allowed(&res, ALLOWED);
    let res = test::call_service(&app, preflight(EVIL)).await;
    assert_eq!(res.status(), 403);
    let body = body::to_bytes(res.into_body()).await.ok().unwrap();
    assert_eq!(body, "CORS request refused: origin not allowed\n");

    // `/profile` ran once, `/partners/report` once.
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[actix_web::test]
async fn refusals_are_logged_with_escaped_values() {
    let runs = Runs::default();
    let app = app(CrossOriginGuard::new(), &runs).await;
    let capture = Capture::start();
    let req = cross_site(Method::POST, "/transfer", "https://evil.example.net\"x");
    assert_eq!(
        test::call_service(&app, req.to_request()).await.status(),
        403
    );
    let req = request(Method::DELETE, "/transfer").insert_header(("sec-fetch-site", "cross-site"));
    assert_eq!(
        test::call_service(&app, req.to_request()).await.status(),
        403
    );
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

/// A route answering `HttpResponse::Ok` for any method, to check the guard
/// leaves passed responses untouched.
async fn plain() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("vary", "Accept"))
        .finish()
}

#[actix_web::test]
async fn passed_responses_are_untouched() {
    let app = test::init_service(
        App::new()
            .wrap(CrossOriginGuard::new())
            .route("/plain", web::to(plain)),
    )
    .await;
    let res = test::call_service(
        &app,
        cross_site(Method::POST, "/plain", ALLOWED).to_request(),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(all(&res, "vary"), ["Accept"]);
    assert_no_allow_headers(&res);
}
