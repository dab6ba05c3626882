//! Every refusal is explained in a `log` debug record naming what was refused.

use actix_web::{http::Method, put, test, App, Responder};
use cors_credentials::cors_credentials;
use test_support::log::Capture;

#[cors_credentials(origins = ["https://app.example.com"], headers = ["content-type"])]
#[put("/items")]
async fn update() -> impl Responder {
    "updated"
}

/// The debug records logged while `req` is served, on this test's thread
/// (where `call_service` runs the middleware).
async fn records_for(req: test::TestRequest) -> Vec<String> {
    let app = test::init_service(App::new().service(update)).await;
    let capture = Capture::start();
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), 403);
    capture
        .on_this_thread()
        .into_iter()
        .filter(|record| record.level == log::Level::Debug)
        .map(|record| record.message)
        .collect()
}

fn preflight(origin: &str, headers: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/items")
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", "PUT"))
        .insert_header(("access-control-request-headers", headers))
}

#[actix_web::test]
async fn refusals_name_what_was_refused() {
    let actual = test::TestRequest::put()
        .uri("/items")
        .insert_header(("origin", "https://evil.example.net"));
    assert_eq!(
        records_for(actual).await,
        ["cors-credentials: refused request PUT \"/items\": origin \"https://evil.example.net\" is not in the allowed origins"]
    );
    assert_eq!(
        records_for(preflight("https://evil.example.net", "content-type")).await,
        ["cors-credentials: refused preflight OPTIONS \"/items\": origin \"https://evil.example.net\" is not in the allowed origins"]
    );
    assert_eq!(
        records_for(preflight("https://app.example.com", "content-type,x-debug")).await,
        ["cors-credentials: refused preflight OPTIONS \"/items\": request header \"x-debug\" is not in the allowed headers"]
    );
    // Values from the request are escaped: no forged log lines.
    let hostile =
        actix_web::http::header::HeaderValue::from_bytes(b"https://evil.example.net\t\xff\"x")
            .unwrap();
    let actual = test::TestRequest::put()
        .uri("/items")
        .insert_header(("origin", hostile));
    let records = records_for(actual).await;
    assert_eq!(records.len(), 1);
    assert!(
        records[0].contains(r#"origin "https://evil.example.net\t\xff\"x" is not"#),
        "{records:?}"
    );
}
