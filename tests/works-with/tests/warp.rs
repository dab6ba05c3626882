//! The tower layer around a warp 0.4 filter served as a tower service
//! (`warp::service`), called in-process with `tower::ServiceExt::oneshot`.
//! warp's response body (`warp::reply::Response`'s) converts from
//! `&'static str`, as the layer's responses need.

mod common;

use common::{check, requests, API};
use cors_credentials::tower::CorsLayer;
use http::Method;
use tower::{Layer, ServiceExt};
use warp::Filter;

#[tokio::test]
async fn a_warp_service_behind_the_layer() {
    let me = warp::path!("api" / "me").and(warp::get()).map(|| "me");
    let service = CorsLayer::new(&API, [Method::GET]).layer(warp::service(me));
    for (req, expected) in requests::<String>() {
        let res = service.clone().oneshot(req).await.unwrap();
        check(expected, res.status(), res.headers());
        if let common::Expected::Allowed = expected {
            let body = http_body_util::BodyExt::collect(res.into_body())
                .await
                .unwrap();
            assert_eq!(body.to_bytes(), "me");
        }
    }
}
