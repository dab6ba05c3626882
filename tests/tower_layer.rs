//! The tower adapter on axum routes, driven with `tower::ServiceExt::oneshot`.

use axum::{body::Body, routing::get, Router};
use cors_credentials::{policy, tower::CorsLayer};
use http::{Method, Request, StatusCode};
use tower::ServiceExt;

policy! {
    API = { origins: ["https://app.example.com"], max_age: 600 };
}

fn app() -> Router {
    Router::new().route(
        "/api/me",
        get(|| async { "me" })
            .put(|| async { "saved" })
            .layer(CorsLayer::new(&API, [Method::GET, Method::PUT])),
    )
}

#[tokio::test]
async fn allowed_origin_is_echoed() {
    let res = app()
        .oneshot(
            Request::get("/api/me")
                .header("host", "api.example.com")
                .header("origin", "https://app.example.com")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(res.headers()["access-control-allow-credentials"], "true");
    assert_eq!(res.headers()["vary"], "Origin");
}

#[tokio::test]
async fn preflight_is_answered() {
    let res = app()
        .oneshot(
            Request::options("/api/me")
                .header("host", "api.example.com")
                .header("origin", "https://app.example.com")
                .header("access-control-request-method", "PUT")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(res.headers()["access-control-allow-methods"], "GET, PUT");
    assert_eq!(res.headers()["access-control-max-age"], "600");
}

#[tokio::test]
async fn disallowed_origin_is_refused() {
    let res = app()
        .oneshot(
            Request::get("/api/me")
                .header("host", "api.example.com")
                .header("origin", "https://evil.example.net")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res
        .extensions()
        .get::<cors_credentials::Refused>()
        .is_some());
}
