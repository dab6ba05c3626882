//! Rules 7–11: CORS preflight requests.

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{delete, get, patch, post, put, test, web, App, Responder};
use cors_credentials::cors_credentials;
use test_support::headers::*;

/// How many times `update` ran, in the app of one test.
type Runs = web::Data<AtomicUsize>;

#[cors_credentials(
    origins = ["https://app.example.com"],
    headers = ["Content-Type", "x-request-id"],
    expose_headers = ["x-request-id", "etag"],
    max_age = 600
)]
#[put("/items/{id}")]
async fn update(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "updated"
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[delete("/any-headers")]
async fn any_headers() -> impl Responder {
    "deleted"
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[patch("/patch")]
async fn patch_it() -> impl Responder {
    "patched"
}

// Two handlers on one path, each with its own policy.
#[cors_credentials(origins = ["https://a.example.com"])]
#[get("/shared")]
async fn shared_get() -> impl Responder {
    "get"
}

#[cors_credentials(origins = ["https://b.example.com"], headers = ["content-type"])]
#[post("/shared")]
async fn shared_post() -> impl Responder {
    "post"
}

/// The app under test; `app!(runs)` counts the runs of `update` in `runs`,
/// which belongs to the calling test alone.
macro_rules! app {
    () => {
        app!(Runs::new(AtomicUsize::new(0)))
    };
    ($runs:expr) => {
        test::init_service(
            App::new()
                .app_data($runs)
                .service(update)
                .service(any_headers)
                .service(patch_it)
                .service(shared_get)
                .service(shared_post),
        )
        .await
    };
}

fn preflight(path: &str, origin: &str, method: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri(path)
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", method))
}

const PREFLIGHT_VARY: [&str; 3] = [
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
];

#[actix_web::test]
async fn rule7_allowed_preflight_is_answered_with_204() {
    let runs = Runs::new(AtomicUsize::new(0));
    let app = app!(runs.clone());
    let req = preflight("/items/42", ALLOWED, "PUT")
        .insert_header((
            "access-control-request-headers",
            "content-type,x-request-id",
        ))
        .to_request();
    let res = test::call_service(&app, req).await;
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
    assert!(test::read_body(res).await.is_empty());
    assert_eq!(runs.load(Ordering::SeqCst), 0, "the handler ran");
    // The count works: the actual request reaches the handler.
    let req = test::TestRequest::put()
        .uri("/items/42")
        .insert_header(("origin", ALLOWED))
        .to_request();
    assert_eq!(test::call_service(&app, req).await.status(), 200);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[actix_web::test]
async fn rule7_without_requested_headers_no_allow_headers_is_sent() {
    let app = app!();
    let res = test::call_service(&app, preflight("/items/1", ALLOWED, "PUT").to_request()).await;
    assert_eq!(res.status(), 204);
    assert!(all(&res, "access-control-allow-headers").is_empty());
}

#[actix_web::test]
async fn default_max_age_spares_preflights() {
    let app = app!();
    let res = test::call_service(
        &app,
        preflight("/any-headers", ALLOWED, "DELETE").to_request(),
    )
    .await;
    assert_eq!(res.status(), 204);
    assert_eq!(one(&res, "access-control-max-age"), "7200");
}

#[actix_web::test]
async fn actual_response_exposes_configured_headers() {
    let app = app!();
    let req = test::TestRequest::put()
        .uri("/items/1")
        .insert_header(("origin", ALLOWED))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 200);
    assert_allowed(&res, ALLOWED);
    assert_eq!(
        one(&res, "access-control-expose-headers"),
        "x-request-id, etag"
    );

    let req = test::TestRequest::delete()
        .uri("/any-headers")
        .insert_header(("origin", ALLOWED))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert!(all(&res, "access-control-expose-headers").is_empty());
}

#[actix_web::test]
async fn rule8_request_headers_are_parsed_leniently() {
    let app = app!();
    for lines in [
        &["Content-Type, X-Request-ID"][..],
        &[" content-type ,, x-request-id ,"],
        &["content-type", "x-request-id"],
        &["", "x-request-id"],
    ] {
        let mut req = preflight("/items/1", ALLOWED, "PUT");
        for line in lines {
            req = req.append_header(("access-control-request-headers", *line));
        }
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), 204, "{lines:?}");
    }
}

#[actix_web::test]
async fn omitted_headers_key_lists_back_what_was_asked() {
    let app = app!();
    let req = preflight("/any-headers", ALLOWED, "DELETE")
        .insert_header(("access-control-request-headers", "authorization,x-anything"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        one(&res, "access-control-allow-headers"),
        "authorization,x-anything"
    );

    // Reshaped by a proxy: listed back in canonical form, never as `*`.
    let req = preflight("/any-headers", ALLOWED, "DELETE")
        .append_header(("access-control-request-headers", " authorization , "))
        .append_header(("access-control-request-headers", "X-Anything"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        one(&res, "access-control-allow-headers"),
        "authorization,X-Anything"
    );
}

#[actix_web::test]
async fn rule9_refused_preflights_get_403_without_cors_headers() {
    let app = app!();
    let cases = [
        (preflight("/items/1", EVIL, "PUT"), "origin not allowed"),
        (preflight("/items/1", "null", "PUT"), "origin not allowed"),
        (
            preflight("/items/1", ALLOWED, "PUT")
                .insert_header(("access-control-request-headers", "authorization")),
            "request header not allowed",
        ),
        (
            preflight("/items/1", ALLOWED, "PUT")
                .insert_header(("access-control-request-headers", "content-type,x-other")),
            "request header not allowed",
        ),
        (
            preflight("/items/1", ALLOWED, "PUT")
                .insert_header(("access-control-request-headers", "bad header")),
            "malformed Access-Control-Request-Headers",
        ),
    ];
    for (req, reason) in cases {
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), 403);
        assert_no_allow_headers(&res);
        assert_eq!(vary(&res), PREFLIGHT_VARY);
        let body = String::from_utf8(test::read_body(res).await.to_vec()).unwrap();
        assert!(body.contains(reason), "{body:?} lacks {reason:?}");
    }
}

#[actix_web::test]
async fn rule10_only_served_methods_are_answered_case_sensitively() {
    let app = app!();
    for method in ["GET", "POST", "put", "DELETE"] {
        let res =
            test::call_service(&app, preflight("/items/1", ALLOWED, method).to_request()).await;
        assert_eq!(res.status(), 404, "{method}");
        assert_no_allow_headers(&res);
    }
    // `patch` is not `PATCH`: browsers only upper-case the six standard methods.
    let res = test::call_service(&app, preflight("/patch", ALLOWED, "patch").to_request()).await;
    assert_eq!(res.status(), 404);
    let res = test::call_service(&app, preflight("/patch", ALLOWED, "PATCH").to_request()).await;
    assert_eq!(res.status(), 204);
    assert_eq!(one(&res, "access-control-allow-methods"), "PATCH");
}

#[actix_web::test]
async fn rule10_handlers_on_one_path_answer_with_their_own_policy() {
    let app = app!();
    let a = "https://a.example.com";
    let b = "https://b.example.com";
    // POST from A must fail: A is only allowed on GET.
    let res = test::call_service(&app, preflight("/shared", a, "POST").to_request()).await;
    assert_eq!(res.status(), 403);
    assert_no_allow_headers(&res);
    let res = test::call_service(&app, preflight("/shared", b, "POST").to_request()).await;
    assert_eq!(res.status(), 204);
    assert_eq!(one(&res, "access-control-allow-methods"), "POST");
    let res = test::call_service(&app, preflight("/shared", a, "GET").to_request()).await;
    assert_eq!(res.status(), 204);
    assert_eq!(one(&res, "access-control-allow-methods"), "GET");
    let res = test::call_service(&app, preflight("/shared", b, "GET").to_request()).await;
    assert_eq!(res.status(), 403);

    // The actual requests follow the same split.
    let req = test::TestRequest::post()
        .uri("/shared")
        .insert_header(("origin", a))
        .to_request();
    assert_eq!(test::call_service(&app, req).await.status(), 403);
    let req = test::TestRequest::post()
        .uri("/shared")
        .insert_header(("origin", b))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 200);
    assert_allowed(&res, b);
}

#[actix_web::test]
async fn rule11_options_without_request_method_is_not_a_preflight() {
    let app = app!();
    let req = test::TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/items/1")
        .insert_header(("origin", ALLOWED))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 404);
    assert_no_allow_headers(&res);

    let req = test::TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/items/1")
        .insert_header(("access-control-request-method", "PUT"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_no_allow_headers(&res);
    assert_ne!(res.status(), 204);
}
