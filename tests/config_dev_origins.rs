//! `dev_origins`: origins allowed only in builds with `debug_assertions`.
//!
//! The same assertions hold in both profiles, each for its own build:
//! `cargo test --test dev_origins` checks a development build and
//! `cargo test --release --test dev_origins` a release build (`.ci/run` runs
//! both).

use actix_web::{get, http::Method, post, test, App, Responder};
use cors_credentials::{cors_credentials, policy};
use test_support::headers::{assert_allowed, assert_no_allow_headers};

const RELEASED: &str = "https://app.example.com";
const DEV_EXACT: &str = "http://dev.internal.test:8443";
const DEV_PATTERN_HIT: &str = "http://localhost:5173";

#[cors_credentials(
    origins = ["https://app.example.com"],
    dev_origins = ["http://localhost:*", "http://dev.internal.test:8443"],
    allow_insecure_http_origins = true,
)]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

policy! {
    /// A shared policy with a development origin.
    DEV = { origins: ["https://app.example.com"], dev_origins: ["http://localhost:*"] }
}

#[cors_credentials(policy = DEV)]
#[post("/save")]
async fn save() -> impl Responder {
    "saved"
}

/// Whether the build under test allows development origins.
const DEV_BUILD: bool = cfg!(debug_assertions);

async fn get(origin: &str) -> actix_web::dev::ServiceResponse {
    let app = test::init_service(App::new().service(me).service(save)).await;
    let req = test::TestRequest::get()
        .uri("/me")
        .insert_header(("host", "api.example.com"))
        .insert_header(("origin", origin))
        .to_request();
    test::call_service(&app, req).await
}

#[actix_web::test]
async fn listed_origins_are_allowed_in_every_build() {
    let res = get(RELEASED).await;
    assert_eq!(res.status(), 200);
    assert_allowed(&res, RELEASED);
}

#[actix_web::test]
async fn development_origins_are_allowed_only_with_debug_assertions() {
    for origin in [DEV_EXACT, DEV_PATTERN_HIT] {
        let res = get(origin).await;
        if DEV_BUILD {
            assert_eq!(res.status(), 200, "{origin}");
            assert_allowed(&res, origin);
        } else {
            assert_eq!(res.status(), 403, "{origin}");
            assert_no_allow_headers(&res);
        }
    }
}

#[actix_web::test]
async fn a_policys_development_origins_follow_the_build_too() {
    let app = test::init_service(App::new().service(save)).await;
    let req = test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/save")
        .insert_header(("origin", DEV_PATTERN_HIT))
        .insert_header(("access-control-request-method", "POST"))
        .to_request();
    let res = test::call_service(&app, req).await;
    if DEV_BUILD {
        assert_eq!(res.status(), 204);
        assert_allowed(&res, DEV_PATTERN_HIT);
    } else {
        assert_eq!(res.status(), 403);
        assert_no_allow_headers(&res);
    }
}

#[actix_web::test]
async fn other_origins_are_refused_in_every_build() {
    for origin in [
        "https://evil.example.net",
        "http://localhost",
        "http://dev.internal.test",
    ] {
        let res = get(origin).await;
        assert_eq!(res.status(), 403, "{origin}");
        assert_no_allow_headers(&res);
    }
}

/// An unannotated state-changing route.
async fn transfer() -> &'static str {
    "transferred"
}

/// The guard trusts development origins app-wide only when a policy
/// holding them is given to `trust`, and then only with `debug_assertions`;
/// a route's own development origins are not trusted on other routes.
#[actix_web::test]
async fn the_guard_trusts_development_origins_only_on_purpose() {
    const GUARD: cors_credentials::CrossOriginGuard =
        cors_credentials::CrossOriginGuard::new().trust(&DEV);
    let app = test::init_service(
        App::new()
            .wrap(GUARD)
            .service(me)
            .route("/transfer", actix_web::web::post().to(transfer)),
    )
    .await;
    let post = |origin: &str| {
        test::TestRequest::post()
            .uri("/transfer")
            .insert_header(("host", "api.example.com"))
            .insert_header(("origin", origin))
            .insert_header(("sec-fetch-site", "cross-site"))
            .to_request()
    };
    assert_eq!(test::call_service(&app, post(RELEASED)).await.status(), 200);
    let status = test::call_service(&app, post(DEV_PATTERN_HIT))
        .await
        .status();
    assert_eq!(status, if DEV_BUILD { 200 } else { 403 });
    // `me`'s development origin: not in the trusted policy.
    let status = test::call_service(&app, post(DEV_EXACT)).await.status();
    assert_eq!(status, 403);
}

#[actix_web::test]
async fn the_guard_trusts_no_development_origin_by_default() {
    let app = test::init_service(
        App::new()
            .wrap(cors_credentials::CrossOriginGuard::new())
            .service(me)
            .service(save)
            .route("/transfer", actix_web::web::post().to(transfer)),
    )
    .await;
    for origin in [RELEASED, DEV_EXACT, DEV_PATTERN_HIT] {
        let req = test::TestRequest::post()
            .uri("/transfer")
            .insert_header(("host", "api.example.com"))
            .insert_header(("origin", origin))
            .insert_header(("sec-fetch-site", "cross-site"))
            .to_request();
        assert_eq!(
            test::call_service(&app, req).await.status(),
            403,
            "{origin}"
        );
    }
}
