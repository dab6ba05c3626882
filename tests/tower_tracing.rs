//! The tower adapter's `tracing` events, as `tracing_events.rs` checks the
//! actix-web adapter's: each refusal is one `debug` event (target
//! `cors_credentials`) with the documented fields, recorded in the request's
//! span; allowed requests and answered preflights are `trace` events.
//! Without a subscriber refusals still go to `log`. The subscriber is this
//! thread's, which serves the requests (`#[tokio::test]` runs them there).

use std::collections::BTreeMap;

use axum::{
    body::Body,
    routing::{get, post},
    Router,
};
use cors_credentials::tower::{CorsLayer, CrossOriginGuardLayer};
use http::{request::Builder, HeaderValue, Method, Request};
use test_support::{
    events::{Captured, Events},
    log::Capture,
};
use tower::ServiceExt;
use tracing::{Instrument, Level};
use tracing_subscriber::layer::SubscriberExt;

cors_credentials::policy! {
    /// `/items`.
    ITEMS = { origins: ["https://app.example.com"], headers: ["content-type"] };
}

fn app() -> Router {
    Router::new()
        .route(
            "/items",
            get(|| async { "[]" })
                .put(|| async { "updated" })
                .layer(CorsLayer::new(&ITEMS, [Method::GET, Method::PUT])),
        )
        .route("/form", post(|| async { "posted" }))
        .layer(CrossOriginGuardLayer::new())
}

/// The crate's events while `req` is served by the app (behind the guard)
/// in a span named as `tracing_actix_web::TracingLogger`'s root span, on
/// this test's thread, and the response's status.
async fn events_for(req: Builder) -> (u16, Vec<Captured>) {
    let events = Events::default();
    let subscriber = tracing_subscriber::registry().with(events.clone());
    let _default = tracing::subscriber::set_default(subscriber);
    let span = tracing::info_span!("HTTP request");
    let res = app()
        .oneshot(req.body(Body::empty()).unwrap())
        .instrument(span)
        .await
        .unwrap();
    let status = res.status().as_u16();
    drop(res);
    let captured = events.take();
    (status, captured)
}

fn fields(pairs: &[(&'static str, &str)]) -> BTreeMap<&'static str, String> {
    pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

fn request(method: Method, path: &str) -> Builder {
    Request::builder().method(method).uri(path)
}

fn preflight(origin: &'static str) -> Builder {
    request(Method::OPTIONS, "/items")
        .header("origin", origin)
        .header("access-control-request-method", "PUT")
}

#[tokio::test]
async fn a_refused_request_is_one_event_in_the_request_span() {
    // Bytes no log line should carry raw: a tab, a quote, a non-ASCII byte.
    let hostile = HeaderValue::from_bytes(b"https://evil.example.net\t\xff\"x").unwrap();
    let req = request(Method::PUT, "/items")
        .header("origin", hostile)
        .header("sec-fetch-site", "same-site");
    let (status, events) = events_for(req).await;
    // The guard trusts no such origin: it refuses before the route.
    assert_eq!(status, 403);
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert_eq!(event.level, Level::DEBUG);
    assert_eq!(event.parent, Some("HTTP request"), "the request's span");
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

#[tokio::test]
async fn a_refused_actual_request_is_one_event() {
    // A GET passes the guard; the route refuses it.
    let req = request(Method::GET, "/items").header("origin", "https://evil.example.net");
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

#[tokio::test]
async fn a_refused_preflight_is_one_event() {
    let req = preflight("https://app.example.com")
        .header("access-control-request-headers", "content-type,x-debug");
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

#[tokio::test]
async fn allowed_requests_and_answered_preflights_are_trace_events() {
    let allowed = request(Method::PUT, "/items").header("origin", "https://app.example.com");
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

#[tokio::test]
async fn requests_without_origin_are_no_event() {
    let (status, events) = events_for(request(Method::GET, "/items")).await;
    assert_eq!(status, 200);
    assert!(events.is_empty(), "{events:?}");
}

#[tokio::test]
async fn without_a_subscriber_refusals_go_to_log() {
    let app = app();
    let capture = Capture::start();
    // A GET passes the guard; the route refuses it.
    let req = request(Method::GET, "/items").header("origin", "https://evil.example.net");
    let res = app.oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), 403);
    let records: Vec<String> = capture
        .on_this_thread()
        .into_iter()
        .filter(|record| record.target.starts_with("cors_credentials"))
        .map(|record| record.message)
        .collect();
    assert_eq!(
        records,
        ["cors-credentials: refused request GET \"/items\": origin \"https://evil.example.net\" is not in the allowed origins"]
    );
}
