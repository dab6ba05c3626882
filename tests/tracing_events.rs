//! With the `tracing` feature, each refusal is one `debug` event (target
//! `cors_credentials`) with the documented fields, recorded in the request's
//! span: behind `tracing_actix_web::TracingLogger`, its root span. Allowed
//! requests and answered preflights are `trace` events. Without a subscriber
//! refusals still go to `log`.

use std::collections::BTreeMap;

use actix_web::{
    get,
    http::{header::HeaderValue, Method},
    post, put, test, App, Responder,
};
use cors_credentials::{cors_credentials, CrossOriginGuard};
use test_support::{
    events::{Captured, Events},
    log::Capture,
};
use tracing::Level;
use tracing_actix_web::TracingLogger;
use tracing_subscriber::layer::SubscriberExt;

#[cors_credentials(origins = ["https://app.example.com"], headers = ["content-type"])]
#[put("/items")]
async fn update() -> impl Responder {
    "updated"
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/items")]
async fn list() -> impl Responder {
    "[]"
}

#[post("/form")]
async fn form() -> impl Responder {
    "posted"
}

/// The crate's events while `req` is served behind `TracingLogger` (and the
/// guard), on this test's thread, and the response's status.
async fn events_for(req: test::TestRequest) -> (u16, Vec<Captured>) {
    let events = Events::default();
    let subscriber = tracing_subscriber::registry().with(events.clone());
    let _default = tracing::subscriber::set_default(subscriber);
    let app = test::init_service(
        App::new()
            .wrap(CrossOriginGuard::new())
            .wrap(TracingLogger::default())
            .service(update)
            .service(list)
            .service(form),
    )
    .await;
    let res = test::call_service(&app, req.to_request()).await;
    let status = res.status().as_u16();
    drop(res);
    let captured = events.take();
    (status, captured)
}

fn fields(pairs: &[(&'static str, &str)]) -> BTreeMap<&'static str, String> {
    pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

fn preflight(origin: &'static str) -> test::TestRequest {
    test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/items")
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", "PUT"))
}

#[actix_web::test]
async fn a_refused_request_is_one_event_in_the_request_span() {
    // Bytes no log line should carry raw: a tab, a quote, a non-ASCII byte.
    let hostile = HeaderValue::from_bytes(b"https://evil.example.net\t\xff\"x").unwrap();
    let req = test::TestRequest::put()
        .uri("/items")
        .insert_header(("origin", hostile))
        .insert_header(("sec-fetch-site", "same-site"));
    let (status, events) = events_for(req).await;
    // The guard trusts no such origin: it refuses before the route.
    assert_eq!(status, 403);
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert_eq!(event.level, Level::DEBUG);
    assert_eq!(
        event.parent,
        Some("HTTP request"),
        "TracingLogger's root span"
    );
    let origin = r#""https://evil.example.net\t\xff\"x""#;
    assert_eq!(
        event.fields,
        fields(&[
            ("reason", "cross_origin_unsafe"),
            ("check", "guard"),
            ("method", "PUT"),
            ("path", "\"/items\""),
            ("origin", origin),
            (
                "message",
                &format!("cors-credentials: refused cross-origin request: origin {origin} is cross-origin and no policy trusts it"),
            ),
        ])
    );
}

#[actix_web::test]
async fn a_refused_actual_request_is_one_event() {
    // A GET passes the guard; the route refuses it.
    let req = test::TestRequest::get()
        .uri("/items")
        .insert_header(("origin", "https://evil.example.net"));
    let (status, events) = events_for(req).await;
    assert_eq!(status, 403);
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert_eq!(event.level, Level::DEBUG);
    assert_eq!(event.parent, Some("HTTP request"));
    assert_eq!(
        event.fields,
        fields(&[
            ("reason", "origin_not_allowed"),
            ("check", "request"),
            ("method", "GET"),
            ("path", "\"/items\""),
            ("origin", "\"https://evil.example.net\""),
            (
                "message",
                "cors-credentials: refused request: origin \"https://evil.example.net\" is not in the allowed origins",
            ),
        ])
    );
}

#[actix_web::test]
async fn a_refused_preflight_is_one_event() {
    let req = preflight("https://app.example.com")
        .insert_header(("access-control-request-headers", "content-type,x-debug"));
    let (status, events) = events_for(req).await;
    assert_eq!(status, 403);
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert_eq!(event.level, Level::DEBUG);
    assert_eq!(event.parent, Some("HTTP request"));
    assert_eq!(
        event.fields,
        fields(&[
            ("reason", "header_not_allowed"),
            ("check", "preflight"),
            ("method", "OPTIONS"),
            ("path", "\"/items\""),
            ("origin", "\"https://app.example.com\""),
            (
                "message",
                "cors-credentials: refused preflight: request header \"x-debug\" is not in the allowed headers",
            ),
        ])
    );
}

#[actix_web::test]
async fn allowed_requests_and_answered_preflights_are_trace_events() {
    let allowed = test::TestRequest::put()
        .uri("/items")
        .insert_header(("origin", "https://app.example.com"));
    let (status, events) = events_for(allowed).await;
    assert_eq!(status, 200);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].level, Level::TRACE);
    assert_eq!(events[0].parent, Some("HTTP request"));
    assert_eq!(
        events[0].fields,
        fields(&[
            ("check", "request"),
            ("method", "PUT"),
            ("path", "\"/items\""),
            ("origin", "\"https://app.example.com\""),
            ("message", "cors-credentials: allowed request"),
        ])
    );

    let (status, events) = events_for(preflight("https://app.example.com")).await;
    assert_eq!(status, 204);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].level, Level::TRACE);
    assert_eq!(events[0].fields["check"], "preflight");
    assert_eq!(
        events[0].fields["message"],
        "cors-credentials: allowed preflight"
    );
}

#[actix_web::test]
async fn without_a_subscriber_refusals_go_to_log() {
    let app = test::init_service(App::new().service(update)).await;
    let capture = Capture::start();
    let req = test::TestRequest::put()
        .uri("/items")
        .insert_header(("origin", "https://evil.example.net"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 403);
    let records: Vec<String> = capture
        .on_this_thread()
        .into_iter()
        .filter(|record| record.target.starts_with("cors_credentials"))
        .map(|record| record.message)
        .collect();
    assert_eq!(
        records,
        ["cors-credentials: refused request PUT \"/items\": origin \"https://evil.example.net\" is not in the allowed origins"]
    );
}
