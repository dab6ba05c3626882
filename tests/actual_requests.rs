//! Rules 1–6: actual (non-preflight) requests to annotated routes.

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{
    body::MessageBody,
    dev::{Service, ServiceResponse},
    error, get, post, test, web, App, Error, HttpResponse, Responder,
};
use cors_credentials::cors_credentials;
use serde::Deserialize;
use test_support::headers::*;

/// How many times `me` ran, in the app of one test.
type Runs = web::Data<AtomicUsize>;

#[cors_credentials(origins = ["https://app.example.com", "http://localhost:3000"])]
#[get("/me")]
async fn me(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "me"
}

#[cors_credentials(origins = ["https://app.example.com"], on_disallowed = "pass")]
#[post("/lenient")]
async fn lenient() -> impl Responder {
    "ran"
}

#[derive(Deserialize)]
struct Update {
    #[allow(dead_code)]
    name: String,
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[post("/json")]
async fn json(_body: web::Json<Update>) -> impl Responder {
    "updated"
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/users/{id}")]
async fn user(id: web::Path<u32>) -> impl Responder {
    format!("user {id}")
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/fails")]
async fn fails() -> Result<&'static str, Error> {
    Err(error::ErrorUnprocessableEntity("bad input"))
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/crash")]
async fn crash() -> HttpResponse {
    HttpResponse::InternalServerError().body("boom")
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/sets-headers")]
async fn sets_headers() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("vary", "Accept-Encoding"))
        .insert_header(("access-control-allow-origin", "*"))
        .append_header(("access-control-allow-credentials", "TRUE"))
        .finish()
}

/// A middleware that fails every request, as an authentication layer would.
async fn deny(
    _req: actix_web::dev::ServiceRequest,
    _next: actix_web::middleware::Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    Err::<ServiceResponse<String>, _>(error::ErrorUnauthorized("log in first"))
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/guarded", wrap = "actix_web::middleware::from_fn(deny)")]
async fn guarded() -> impl Responder {
    "secret"
}

/// The app under test, with every handler of this file; `app!(runs)` counts
/// the runs of `me` in `runs`, which belongs to the calling test alone.
macro_rules! app {
    () => {
        app!(Runs::new(AtomicUsize::new(0)))
    };
    ($runs:expr) => {
        test::init_service(
            App::new()
                .app_data($runs)
                .service(me)
                .service(lenient)
                .service(json)
                .service(user)
                .service(fails)
                .service(crash)
                .service(sets_headers)
                .service(guarded),
        )
        .await
    };
}

fn get(path: &str) -> test::TestRequest {
    test::TestRequest::get()
        .uri(path)
        .insert_header(("host", "api.example.com"))
}

#[actix_web::test]
async fn rule1_allowed_origin_gets_credentialed_headers() {
    let app = app!();
    for origin in [ALLOWED, OTHER_ALLOWED] {
        let res = test::call_service(
            &app,
            get("/me").insert_header(("origin", origin)).to_request(),
        )
        .await;
        assert_eq!(res.status(), 200);
        assert_allowed(&res, origin);
        assert_eq!(one(&res, "content-type"), "text/plain; charset=utf-8");
        assert_eq!(test::read_body(res).await, "me");
    }
}

#[actix_web::test]
async fn rule2_no_origin_runs_without_cors_headers_but_varies() {
    let runs = Runs::new(AtomicUsize::new(0));
    let app = app!(runs.clone());
    let res = test::call_service(&app, get("/me").to_request()).await;
    assert_eq!(res.status(), 200);
    assert_no_allow_headers(&res);
    assert_eq!(vary(&res), ["origin"]);
    assert_eq!(test::read_body(res).await, "me");
    assert_eq!(runs.load(Ordering::SeqCst), 1, "the handler did not run");
}

#[actix_web::test]
async fn rule2_same_origin_requests_run_without_cors_headers() {
    let app = app!();
    // Browsers send Origin on same-origin POSTs; the page's own origin is not "cross-origin".
    let by_host = get("/me").insert_header(("origin", "http://api.example.com"));
    let by_fetch_metadata = get("/me")
        .insert_header(("origin", "https://www.example.org"))
        .insert_header(("sec-fetch-site", "same-origin"));
    for req in [by_host, by_fetch_metadata] {
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), 200);
        assert_no_allow_headers(&res);
        assert_eq!(vary(&res), ["origin"]);
    }
    // Same site is still cross-origin.
    let same_site = get("/me")
        .insert_header(("origin", "https://www.example.org"))
        .insert_header(("sec-fetch-site", "same-site"));
    let res = test::call_service(&app, same_site.to_request()).await;
    assert_eq!(res.status(), 403);
}

#[actix_web::test]
async fn rule3_disallowed_origin_is_refused_before_the_handler() {
    let runs = Runs::new(AtomicUsize::new(0));
    let app = app!(runs.clone());
    let res = test::call_service(
        &app,
        get("/me").insert_header(("origin", EVIL)).to_request(),
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_no_allow_headers(&res);
    assert_eq!(vary(&res), ["origin"]);
    assert_eq!(one(&res, "content-type"), "text/plain; charset=utf-8");
    let body = test::read_body(res).await;
    assert_eq!(body, "CORS request refused: origin not allowed\n");
    assert_eq!(runs.load(Ordering::SeqCst), 0, "the handler ran");
    // The count works: an allowed origin reaches the handler.
    let req = get("/me").insert_header(("origin", ALLOWED)).to_request();
    assert_eq!(test::call_service(&app, req).await.status(), 200);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[actix_web::test]
async fn rule3_pass_mode_runs_the_handler_without_cors_headers() {
    let app = app!();
    let req = test::TestRequest::post()
        .uri("/lenient")
        .insert_header(("origin", EVIL))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 200);
    assert_no_allow_headers(&res);
    assert_eq!(vary(&res), ["origin"]);
    assert_eq!(test::read_body(res).await, "ran");
}

#[actix_web::test]
async fn rule4_every_response_of_the_route_is_decorated() {
    let app = app!();
    let origin = ("origin", ALLOWED);
    let malformed_json = test::TestRequest::post()
        .uri("/json")
        .insert_header(origin)
        .insert_header(("content-type", "application/json"))
        .set_payload("{not json");
    let good_json = test::TestRequest::post()
        .uri("/json")
        .insert_header(origin)
        .insert_header(("content-type", "application/json"))
        .set_payload(r#"{"name":"Ada"}"#);
    let cases = [
        (good_json, 200),
        (malformed_json, 400),
        (get("/users/7").insert_header(origin), 200),
        (get("/users/not-a-number").insert_header(origin), 404),
        (get("/fails").insert_header(origin), 422),
        (get("/crash").insert_header(origin), 500),
        (get("/guarded").insert_header(origin), 401),
    ];
    for (req, status) in cases {
        let res = match app.call(req.to_request()).await {
            Ok(res) => res,
            // An error from an inner middleware becomes the response afterwards.
            Err(error) => {
                let res = error.error_response();
                ServiceResponse::new(test::TestRequest::default().to_http_request(), res)
            }
        };
        assert_eq!(res.status(), status, "{:?}", res.request().path());
        assert_allowed(&res, ALLOWED);
    }
}

#[actix_web::test]
async fn rule4_error_bodies_stay_readable() {
    let app = app!();
    let res = test::call_service(
        &app,
        get("/fails")
            .insert_header(("origin", ALLOWED))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_eq!(test::read_body(res).await, "bad input");
}

#[actix_web::test]
async fn rule5_handler_vary_is_merged_and_allow_headers_replaced() {
    let app = app!();
    let res = test::call_service(
        &app,
        get("/sets-headers")
            .insert_header(("origin", ALLOWED))
            .to_request(),
    )
    .await;
    assert_allowed(&res, ALLOWED);
    assert_eq!(vary(&res), ["accept-encoding", "origin"]);

    // Without an allowed origin, the handler's own Allow headers are removed too.
    let res = test::call_service(&app, get("/sets-headers").to_request()).await;
    assert_no_allow_headers(&res);
    assert_eq!(vary(&res), ["accept-encoding", "origin"]);
}

#[actix_web::test]
async fn rule6_origins_are_compared_byte_for_byte() {
    let app = app!();
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
        let res = test::call_service(
            &app,
            get("/me").insert_header(("origin", near_miss)).to_request(),
        )
        .await;
        assert_eq!(res.status(), 403, "{near_miss:?}");
        assert_no_allow_headers(&res);
    }
}

#[actix_web::test]
async fn two_origin_headers_are_refused() {
    let app = app!();
    let req = get("/me")
        .insert_header(("origin", ALLOWED))
        .append_header(("origin", ALLOWED))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 403);
    assert_no_allow_headers(&res);
}
