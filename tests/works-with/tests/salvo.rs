//! The tower layer as a salvo hoop (`TowerLayerCompat::compat`), requests sent
//! through salvo's own `Service` with its `TestClient`. salvo's `ResBody`
//! converts from `&'static str`, as the layer's responses need.

mod common;

use common::{check, requests, Expected, API};
use cors_credentials::tower::CorsLayer;
use http::Method;
use salvo::{
    handler,
    http::ReqBody,
    prelude::{Router, Service, TowerLayerCompat},
    test::{ResponseExt, TestClient},
};

#[handler]
async fn me() -> &'static str {
    "me"
}

#[tokio::test]
async fn a_salvo_router_behind_the_layer() {
    // On the `Service`, whose hoops run for every request: a router's hoops
    // run only once a goal matched, and no goal answers `OPTIONS` here.
    let service = Service::new(Router::with_path("api/me").get(me))
        .hoop(CorsLayer::new(&API, [Method::GET]).compat::<ReqBody>());
    for (req, expected) in requests::<()>() {
        let url = req.uri().to_string();
        let mut test = match *req.method() {
            Method::GET => TestClient::get(url),
            _ => TestClient::options(url),
        };
        for (name, value) in req.headers() {
            test = test.add_header(name, value.clone(), true);
        }
        let mut res = test.send(&service).await;
        let status = res.status_code.unwrap_or_default();
        check(expected, status, res.headers());
        if let Expected::Allowed = expected {
            assert_eq!(res.take_string().await.unwrap(), "me");
        }
    }
}
