//! The app-wide `CrossOriginGuard` trusting the origins an environment list
//! and a dynamic set give at run time; rules 12–21 themselves are
//! `tests/behaviour/guard.rs`.
//!
//! What the guard trusts by default comes from the annotated handlers of this
//! test binary (the inventory): an environment list and a dynamic set, each
//! used by one test only.

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{
    body::{self, MessageBody},
    dev::ServiceResponse,
    http::Method,
    post, test, web, App, Responder,
};
use cors_credentials::{cors_credentials, policy, CrossOriginGuard};
use test_support::headers::*;

/// How many times a handler ran, in the app of one test.
type Runs = web::Data<AtomicUsize>;

async fn transfer(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "transferred"
}

policy! {
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
