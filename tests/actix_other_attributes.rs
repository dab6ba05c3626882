//! `#[cors_credentials]` alongside other attributes on the handler:
//! `#[tracing::instrument]` in every supported position, `#[allow(..)]` and doc
//! comments. Each handler must keep both behaviours: its CORS policy (a
//! refused origin never reaches it, so no span is opened) and its span.
//!
//! Supported orders (top to bottom): `cors_credentials`, routing attribute(s)
//! and `instrument` anywhere below ours or above it. Below the routing
//! attribute, `#[cors_credentials]` is a compile error whatever stands between
//! them (`tests/ui/fail/instrument_between_routing_and_ours.rs`).

use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc, Mutex,
};

use actix_web::{get, http::Method, post, routes, test, web, App, HttpResponse, Responder};
use cors_credentials::cors_credentials;
use test_support::headers::{assert_allowed, assert_no_allow_headers, ALLOWED, EVIL};
use tracing::{span, Event, Metadata, Subscriber};

/// Records the name of every span opened on the thread of one test: each
/// test makes its own and sets it as that thread's default subscriber
/// (`#[actix_web::test]` runs the app, handlers included, on that thread).
#[derive(Clone, Default)]
struct Recorder {
    spans: Arc<Mutex<Vec<&'static str>>>,
    next_id: Arc<AtomicU64>,
}

impl Recorder {
    /// How many spans named `name` were opened so far.
    fn spans(&self, name: &str) -> usize {
        self.spans
            .lock()
            .unwrap()
            .iter()
            .filter(|n| **n == name)
            .count()
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &span::Attributes<'_>) -> span::Id {
        self.spans.lock().unwrap().push(span.metadata().name());
        span::Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &span::Id, _: &span::Record<'_>) {}
    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &span::Id) {}
    fn exit(&self, _: &span::Id) {}
}

// `instrument` between ours and the routing attribute.
/// Documented handler.
#[cors_credentials(origins = ["https://app.example.com"])]
#[tracing::instrument]
#[get("/between")]
async fn between() -> impl Responder {
    "between"
}

// `instrument` below the routing attribute, with `allow` and a path parameter.
#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/below/{id}")]
#[tracing::instrument(skip_all, fields(id = %id))]
#[allow(clippy::unused_async)]
async fn below(id: web::Path<u32>) -> impl Responder {
    format!("below {id}")
}

// `instrument` above ours: it wraps the body and keeps the attributes below.
#[tracing::instrument]
/// Documented handler.
#[cors_credentials(origins = ["https://app.example.com"])]
#[post("/above")]
async fn above() -> HttpResponse {
    HttpResponse::Ok().body("above")
}

// `instrument` under `#[routes]`, below the routing attributes.
#[cors_credentials(origins = ["https://app.example.com"])]
#[routes]
#[get("/several")]
#[post("/several")]
#[tracing::instrument(level = "debug")]
async fn several() -> impl Responder {
    "several"
}

// A handler registered by hand, `instrument` below ours.
#[cors_credentials(origins = ["https://app.example.com"], methods = ["GET"])]
#[tracing::instrument]
async fn by_hand() -> impl Responder {
    "by hand"
}

async fn check(method: Method, path: &str, span_name: &'static str) {
    let recorder = Recorder::default();
    let _on_this_thread = tracing::subscriber::set_default(recorder.clone());
    let app = test::init_service(
        App::new()
            .service(between)
            .service(below)
            .service(above)
            .service(several)
            .service(
                web::resource("/by-hand")
                    .wrap(by_hand::cors())
                    .route(web::get().to(by_hand)),
            ),
    )
    .await;

    // `method` on `path` from `origin`.
    let request = |origin| {
        test::TestRequest::default()
            .method(method.clone())
            .uri(path)
            .insert_header(("Origin", origin))
    };

    let before = recorder.spans(span_name);
    // The handler's span of the first request, and no other since.
    let assert_one_span = |why: &str| assert_eq!(recorder.spans(span_name), before + 1, "{why}");
    let res = test::call_service(&app, request(ALLOWED).to_request()).await;
    assert_eq!(res.status(), 200, "{method} {path}");
    assert_allowed(&res, ALLOWED);
    assert_one_span("the handler's span");

    // A refused origin: 403 before the handler, so no span.
    let res = test::call_service(&app, request(EVIL).to_request()).await;
    assert_eq!(res.status(), 403, "{method} {path}");
    assert_no_allow_headers(&res);
    assert_one_span("no span for a refused origin");

    // The preflight is the attribute's own route: 204, and no span either.
    let req = request(ALLOWED)
        .method(Method::OPTIONS)
        .insert_header(("Access-Control-Request-Method", method.as_str()))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 204, "preflight of {method} {path}");
    assert_allowed(&res, ALLOWED);
    assert_one_span("no span for a preflight");
}

#[actix_web::test]
async fn instrument_between_ours_and_the_routing_attribute() {
    check(Method::GET, "/between", "between").await;
}

#[actix_web::test]
async fn instrument_below_the_routing_attribute() {
    check(Method::GET, "/below/7", "below").await;
}

#[actix_web::test]
async fn instrument_above_ours() {
    check(Method::POST, "/above", "above").await;
}

#[actix_web::test]
async fn instrument_under_routes() {
    check(Method::GET, "/several", "several").await;
    check(Method::POST, "/several", "several").await;
}

#[actix_web::test]
async fn instrument_on_a_handler_registered_by_hand() {
    check(Method::GET, "/by-hand", "by_hand").await;
}
