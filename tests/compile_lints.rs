//! The code `#[cors_credentials]` and `policy!` generate is quiet: it compiles
//! under the strictest lint levels users commonly set, rustc's and clippy's.
//!
//! `cargo clippy --workspace --all-targets -- -D warnings` (in `.ci/run`)
//! compiles this file with `clippy::all` and `clippy::pedantic` denied, so a
//! lint firing inside an expansion fails CI. `cargo test` then checks the
//! handlers still answer as configured.
#![deny(
    warnings,
    missing_docs,
    clippy::all,
    clippy::pedantic,
    rust_2018_idioms,
    unused_qualifications,
    unused_results,
    single_use_lifetimes,
    trivial_casts,
    trivial_numeric_casts,
    unused_import_braces,
    unused_lifetimes,
    missing_debug_implementations
)]
#![forbid(unsafe_code)]

use actix_web::{
    get, http::StatusCode, put, route, routes, test, web, App, HttpResponse, Responder,
};
use cors_credentials::{cors_credentials, policy};

/// Policies shared by the handlers below.
pub mod cors {
    cors_credentials::policy! {
        /// The front ends, from the source.
        pub FRONT_ENDS = {
            origins: ["https://app.example.com", "https://*.preview.example.com", "http://localhost:*"],
            headers: ["content-type"],
            expose_headers: ["x-request-id"],
            max_age: 600,
        };

        /// The front ends of one deployment, from the environment.
        pub DEPLOYED = { origins: env("LINTS_TEST_CORS_ORIGINS"), on_disallowed: "pass" }
    }
}

policy! {
    /// A private policy.
    INTRANET = {
        origins: ["http://intranet.example.com"],
        allow_insecure_http_origins: true,
    }
}

/// The current user.
#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/me")]
pub async fn me() -> impl Responder {
    "me"
}

/// Replaces the current user.
#[cors_credentials(policy = cors::FRONT_ENDS, max_age = 60)]
#[put("/me/{id}")]
pub async fn replace(id: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(id.into_inner().to_string())
}

/// Two methods on one path.
#[cors_credentials(
    origins = ["https://app.example.com"],
    headers = ["content-type", "x-request-id"],
    expose_headers = ["etag"],
    on_disallowed = "pass",
)]
#[route("/items", method = "GET", method = "POST")]
pub async fn items() -> &'static str {
    "items"
}

/// Two routing attributes.
#[cors_credentials(policy = cors::DEPLOYED)]
#[routes]
#[get("/a")]
#[get("/b")]
pub async fn two_paths() -> &'static str {
    "two"
}

/// A private handler on the private policy.
#[cors_credentials(policy = INTRANET)]
#[get("/intranet")]
async fn intranet() -> &'static str {
    "intranet"
}

/// A handler registered by hand.
#[cors_credentials(origins = ["https://app.example.com"], methods = ["GET", "PATCH"])]
pub async fn profile() -> &'static str {
    "profile"
}

#[actix_web::test]
async fn generated_code_serves_requests() {
    std::env::set_var("LINTS_TEST_CORS_ORIGINS", "https://deploy.example.com");
    cors::DEPLOYED.load().expect("valid origins");
    let app = test::init_service(
        App::new()
            .service(me)
            .service(replace)
            .service(items)
            .service(two_paths)
            .service(intranet)
            .service(
                web::resource("/profile")
                    .wrap(profile::cors())
                    .route(web::get().to(profile))
                    .route(web::patch().to(profile)),
            ),
    )
    .await;
    let cases = [
        ("GET", "/me", "https://app.example.com"),
        ("PUT", "/me/7", "https://pr-1.preview.example.com"),
        ("POST", "/items", "https://app.example.com"),
        ("GET", "/b", "https://deploy.example.com"),
        ("GET", "/intranet", "http://intranet.example.com"),
        ("PATCH", "/profile", "https://app.example.com"),
    ];
    for (method, path, origin) in cases {
        let method = method.parse().expect("a method");
        let req = test::TestRequest::default()
            .method(method)
            .uri(path)
            .insert_header(("Origin", origin))
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let allowed = res.headers().get("access-control-allow-origin");
        assert_eq!(
            allowed.and_then(|value| value.to_str().ok()),
            Some(origin),
            "{path}"
        );
    }
}
