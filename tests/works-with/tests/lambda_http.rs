//! The tower layer around a `lambda_http` handler: the layered service is what
//! `lambda_http::run` takes (checked by type, since no Lambda runtime API is
//! reachable here), and is called with synthetic requests.

mod common;

use common::{check, requests, Expected, API};
use cors_credentials::tower::CorsLayer;
use http::Method;
use lambda_http::{Body, Error, Request, Response};
use tower::{service_fn, Layer, ServiceExt};

async fn me(req: Request) -> Result<Response<Body>, Error> {
    assert_eq!(req.uri().path(), "/api/me");
    Ok(Response::new(Body::from("me")))
}

#[tokio::test]
async fn a_lambda_handler_behind_the_layer() {
    let service = CorsLayer::new(&API, [Method::GET]).layer(service_fn(me));
    // What a Lambda's `main` runs; not awaited: there is no runtime API here.
    let _runs: fn() -> _ =
        || lambda_http::run(CorsLayer::new(&API, [Method::GET]).layer(service_fn(me)));
    for (req, expected) in requests::<Body>() {
        let res = service.clone().oneshot(req).await.unwrap();
        check(expected, res.status(), res.headers());
        if let Expected::Allowed = expected {
            assert_eq!(res.body(), &Body::from("me"));
        }
    }
}
