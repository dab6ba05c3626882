//! The tower layer around a gRPC service behind tonic-web's `GrpcWebLayer`,
//! called with `tower::ServiceExt::oneshot` as a browser's gRPC-web client
//! would. tonic's body (`tonic::body::Body`) does not convert from
//! `&'static str`, which the layer's own responses (the preflight, the 403)
//! need: the responses of the gRPC-web service are turned into
//! `axum::body::Body` (tonic's router is axum's) below the layer.

mod common;

use std::convert::Infallible;

use common::{check_for, requests_to, Expected, API};
use cors_credentials::tower::CorsLayer;
use http::{Method, Request, Response};
use tower::{service_fn, ServiceBuilder, ServiceExt};

const SAY: &str = "http://api.example.com/echo.Echo/Say";

/// A gRPC method answering `OK` with no message (a trailers-only response).
async fn say(req: Request<tonic::body::Body>) -> Result<Response<tonic::body::Body>, Infallible> {
    assert_eq!(req.uri().path(), "/echo.Echo/Say");
    // tonic-web turned the gRPC-web request into a gRPC one.
    assert_eq!(req.headers()["content-type"], "application/grpc");
    Ok(Response::builder()
        .header("content-type", "application/grpc")
        .header("grpc-status", "0")
        .body(tonic::body::Body::default())
        .unwrap())
}

#[tokio::test]
async fn a_grpc_web_service_behind_the_layer() {
    let service = ServiceBuilder::new()
        .layer(CorsLayer::new(&API, [Method::POST]))
        .map_response(|res: Response<tonic::body::Body>| res.map(axum::body::Body::new))
        .layer(tonic_web::GrpcWebLayer::new())
        .service(service_fn(say));
    let grpc_web = [
        ("content-type", "application/grpc-web+proto"),
        ("x-grpc-web", "1"),
    ];
    for (req, expected) in requests_to::<String>(Method::POST, SAY, &grpc_web) {
        let res = service.clone().oneshot(req).await.unwrap();
        check_for(Method::POST, expected, res.status(), res.headers());
        if let Expected::Allowed = expected {
            // Translated back to gRPC-web by tonic-web.
            let content_type = res.headers()["content-type"].to_str().unwrap();
            assert!(
                content_type.starts_with("application/grpc-web"),
                "{content_type}"
            );
            assert_eq!(res.headers()["grpc-status"], "0");
        }
    }
}
