//! What every framework test checks, on the `http` 1.x types the tower
//! layer sees: an allowed origin gets the CORS headers, a refused one a 403
//! without them, and a preflight is answered.

// Each test file uses the part for its framework.
#![allow(dead_code)]

use cors_credentials::policy;
use http::{HeaderMap, Method, Request, StatusCode};

policy! {
    /// `/api/me` of every framework test.
    pub API = { origins: ["https://app.example.com"], max_age: 600 };
}

pub const ALLOWED: &str = "https://app.example.com";
pub const EVIL: &str = "https://evil.example.net";

/// The three requests each test sends to `/api/me`, whose handler answers
/// `GET`.
pub fn requests<B: Default>() -> [(Request<B>, Expected); 3] {
    requests_to(Method::GET, "http://api.example.com/api/me", &[])
}

/// The three requests to `uri`, whose handler answers `method`, with `headers`
/// on the actual requests.
pub fn requests_to<B: Default>(
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
) -> [(Request<B>, Expected); 3] {
    let actual = |origin: &str| {
        let mut req = Request::builder()
            .method(method.clone())
            .uri(uri)
            .header("origin", origin);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        req.body(B::default()).unwrap()
    };
    let preflight = Request::options(uri)
        .header("origin", ALLOWED)
        .header("access-control-request-method", method.as_str())
        .body(B::default())
        .unwrap();
    [
        (actual(ALLOWED), Expected::Allowed),
        (actual(EVIL), Expected::Refused),
        (preflight, Expected::Preflight),
    ]
}

#[derive(Clone, Copy, Debug)]
pub enum Expected {
    Allowed,
    Refused,
    Preflight,
}

/// Checks one response's status and headers against what was expected, for
/// a handler answering `GET`.
pub fn check(expected: Expected, status: StatusCode, headers: &HeaderMap) {
    check_for(Method::GET, expected, status, headers);
}

/// Checks one response against what was expected, for a handler answering
/// `method`.
pub fn check_for(method: Method, expected: Expected, status: StatusCode, headers: &HeaderMap) {
    let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    // An allowed request and an answered preflight both let the origin read
    // the response, with credentials.
    let assert_readable = || {
        assert_eq!(
            header("access-control-allow-origin").as_deref(),
            Some(ALLOWED)
        );
        assert_eq!(
            header("access-control-allow-credentials").as_deref(),
            Some("true")
        );
    };
    match expected {
        Expected::Allowed => {
            assert_eq!(status, StatusCode::OK);
            assert_readable();
        }
        Expected::Refused => {
            assert_eq!(status, StatusCode::FORBIDDEN);
            assert_eq!(header("access-control-allow-origin"), None);
            assert_eq!(header("access-control-allow-credentials"), None);
        }
        Expected::Preflight => {
            assert!(status.is_success(), "preflight answered with {status}");
            assert_readable();
            let methods = header("access-control-allow-methods").unwrap();
            assert!(
                methods.split(", ").any(|m| m == method.as_str()),
                "{methods}"
            );
            assert_eq!(header("access-control-max-age").as_deref(), Some("600"));
        }
    }
}

/// An initialised actix-web app, as `actix_web::test::init_service` returns
/// it, answering with bodies of type `B`.
pub trait ActixApp<B>:
    actix_web::dev::Service<
    actix_http::Request,
    Response = actix_web::dev::ServiceResponse<B>,
    Error = actix_web::Error,
>
{
}

impl<S, B> ActixApp<B> for S where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >
{
}

/// The status and `Access-Control-Allow-Origin` of one request to an
/// actix-web `app`: `method` on `path` from `origin` with `headers`, or,
/// with `preflight`, a preflight asking for `method`.
pub async fn actix_send<B>(
    app: &impl ActixApp<B>,
    method: actix_web::http::Method,
    path: &str,
    origin: &str,
    headers: &[(&str, &str)],
    preflight: bool,
) -> (u16, Option<String>) {
    let mut req = actix_web::test::TestRequest::default()
        .uri(path)
        .insert_header(("Origin", origin));
    for &header in headers {
        req = req.insert_header(header);
    }
    let req = if preflight {
        req.method(actix_web::http::Method::OPTIONS)
            .insert_header(("Access-Control-Request-Method", method.as_str()))
    } else {
        req.method(method)
    };
    let res = actix_web::test::call_service(app, req.to_request()).await;
    let allow = res
        .headers()
        .get("access-control-allow-origin")
        .map(|value| value.to_str().unwrap().to_owned());
    (res.status().as_u16(), allow)
}
