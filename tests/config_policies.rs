//! Shared policies declared with `policy!`, overrides, and origins read from
//! the environment at startup.

use actix_web::{delete, get, http::Method, post, test, App, Responder};
use cors_credentials::{cors_credentials, policy};
use test_support::headers::*;

mod cors {
    cors_credentials::policy! {
        /// The API's policy.
        pub API = {
            origins: ["https://app.example.com", "https://*.preview.example.com"],
            headers: ["content-type"],
            expose_headers: ["x-request-id"],
            max_age: 600,
        };

        pub(crate) FROM_ENV = {
            origins: env("CORS_CREDENTIALS_TEST_ORIGINS"),
            max_age: 60,
        }
    }
}

policy! {
    BAD_ENV = { origins: env("CORS_CREDENTIALS_TEST_BAD_ORIGINS") }
}

#[cors_credentials(policy = cors::API)]
#[get("/items")]
async fn list() -> impl Responder {
    "list"
}

#[cors_credentials(policy = crate::cors::API)]
#[post("/items")]
async fn create() -> impl Responder {
    "create"
}

#[cors_credentials(policy = cors::API, max_age = 30, headers = ["content-type", "x-csrf-token"], on_disallowed = "pass")]
#[delete("/items/{id}")]
async fn remove() -> impl Responder {
    "remove"
}

#[cors_credentials(policy = cors::FROM_ENV)]
#[get("/env")]
async fn from_env() -> impl Responder {
    "env"
}

#[cors_credentials(policy = BAD_ENV)]
#[get("/bad-env")]
async fn bad_env() -> impl Responder {
    "never"
}

fn request(method: Method, path: &str, origin: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(method)
        .uri(path)
        .insert_header(("origin", origin))
}

fn preflight(path: &str, origin: &str, method: &str) -> test::TestRequest {
    request(Method::OPTIONS, path, origin).insert_header(("access-control-request-method", method))
}

#[actix_web::test]
async fn one_policy_serves_several_handlers() {
    let app = test::init_service(App::new().service(list).service(create).service(remove)).await;
    for (method, path) in [(Method::GET, "/items"), (Method::POST, "/items")] {
        for origin in [ALLOWED, "https://pr-1.preview.example.com"] {
            let res =
                test::call_service(&app, request(method.clone(), path, origin).to_request()).await;
            assert_eq!(res.status(), 200);
            assert_allowed(&res, origin);
            assert_eq!(one(&res, "access-control-expose-headers"), "x-request-id");
        }
        let res = test::call_service(&app, request(method.clone(), path, EVIL).to_request()).await;
        assert_eq!(res.status(), 403);
    }
    let req = preflight("/items", ALLOWED, "POST")
        .insert_header(("access-control-request-headers", "content-type"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), 204);
    assert_eq!(one(&res, "access-control-max-age"), "600");
    assert_eq!(one(&res, "access-control-allow-headers"), "content-type");
}

#[actix_web::test]
async fn handler_options_override_the_policy() {
    let app = test::init_service(App::new().service(list).service(remove)).await;
    let req = preflight("/items/1", ALLOWED, "DELETE")
        .insert_header(("access-control-request-headers", "x-csrf-token"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), 204);
    assert_eq!(one(&res, "access-control-max-age"), "30");
    assert_eq!(
        one(&res, "access-control-allow-headers"),
        "content-type, x-csrf-token"
    );
    // Overridden: a disallowed origin passes through without CORS headers.
    let res =
        test::call_service(&app, request(Method::DELETE, "/items/1", EVIL).to_request()).await;
    assert_eq!(res.status(), 200);
    assert_no_allow_headers(&res);
    // Inherited: origins and exposed headers.
    let res = test::call_service(
        &app,
        request(Method::DELETE, "/items/1", ALLOWED).to_request(),
    )
    .await;
    assert_allowed(&res, ALLOWED);
    assert_eq!(one(&res, "access-control-expose-headers"), "x-request-id");
    // The policy itself is unchanged for the other handler.
    let req = preflight("/items", ALLOWED, "GET")
        .insert_header(("access-control-request-headers", "x-csrf-token"));
    assert_eq!(
        test::call_service(&app, req.to_request()).await.status(),
        403
    );
}

#[actix_web::test]
async fn environment_origins_are_read_once_at_startup() {
    std::env::set_var(
        "CORS_CREDENTIALS_TEST_ORIGINS",
        " https://staging.example.com , http://localhost:* ",
    );
    cors::FROM_ENV.load().expect("valid list");
    // Read once: later changes have no effect.
    std::env::set_var("CORS_CREDENTIALS_TEST_ORIGINS", "https://other.example.com");
    let app = test::init_service(App::new().service(from_env)).await;
    for origin in ["https://staging.example.com", "http://localhost:4000"] {
        let res = test::call_service(&app, request(Method::GET, "/env", origin).to_request()).await;
        assert_eq!(res.status(), 200, "{origin}");
        assert_allowed(&res, origin);
    }
    for origin in [
        "https://other.example.com",
        "https://staging.example.com.evil.net",
    ] {
        let res = test::call_service(&app, request(Method::GET, "/env", origin).to_request()).await;
        assert_eq!(res.status(), 403, "{origin}");
    }
    let res = test::call_service(
        &app,
        preflight("/env", "https://staging.example.com", "GET").to_request(),
    )
    .await;
    assert_eq!(one(&res, "access-control-max-age"), "60");
}

// `test` here is actix-web's module, so the built-in attribute is named in full.
#[::core::prelude::v1::test]
fn a_bad_environment_value_stops_startup_with_the_compilers_message() {
    std::env::set_var(
        "CORS_CREDENTIALS_TEST_BAD_ORIGINS",
        "https://app.example.com, https://admin.example.com/",
    );
    let error = BAD_ENV.load().unwrap_err();
    assert_eq!(
        error.to_string(),
        "CORS_CREDENTIALS_TEST_BAD_ORIGINS: origin `https://admin.example.com/` ends with `/`, which browsers never send in `Origin`; did you mean `https://admin.example.com`?"
    );
    // Registering a handler of a policy that failed to load stops the app.
    let registered = std::panic::catch_unwind(|| {
        actix_web::rt::System::new().block_on(async {
            test::init_service(App::new().service(bad_env)).await;
        })
    });
    let panic = registered.unwrap_err();
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .unwrap_or_default();
    assert!(
        message.contains("CORS_CREDENTIALS_TEST_BAD_ORIGINS: origin `https://admin.example.com/`"),
        "{message}"
    );
}

policy! {
    PER_HOST = { origins: per_tenant, tenant: host }
}

#[test]
#[should_panic(expected = "a per-tenant policy cannot be trusted app-wide")]
async fn the_actix_guard_cannot_trust_a_per_tenant_policy() {
    let _ = cors_credentials::CrossOriginGuard::new().trust(&PER_HOST);
}

#[test]
#[should_panic(expected = "a per-tenant policy cannot be trusted app-wide")]
async fn the_tower_guard_cannot_trust_a_per_tenant_policy() {
    let _ = cors_credentials::tower::CrossOriginGuardLayer::new().trust(&PER_HOST);
}
