//! Origin patterns: subdomain and loopback-port wildcards.

use actix_web::{get, http::Method, put, test, App, Responder};
use cors_credentials::cors_credentials;
use test_support::headers::*;

#[cors_credentials(origins = ["https://app.example.com", "https://*.preview.example.com"])]
#[get("/subdomains")]
async fn subdomains() -> impl Responder {
    "ok"
}

#[cors_credentials(origins = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"], headers = ["content-type"])]
#[put("/dev")]
async fn dev() -> impl Responder {
    "ok"
}

macro_rules! app {
    () => {
        test::init_service(App::new().service(subdomains).service(dev)).await
    };
}

fn request(method: Method, path: &str, origin: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(method)
        .uri(path)
        .insert_header(("origin", origin))
}

#[actix_web::test]
async fn subdomain_pattern_matches_any_depth_and_echoes_the_origin() {
    let app = app!();
    for origin in [
        "https://pr-42.preview.example.com",
        "https://a.b.preview.example.com",
        "https://xn--bcher-kva.preview.example.com",
        "https://app.example.com",
    ] {
        let res = test::call_service(
            &app,
            request(Method::GET, "/subdomains", origin).to_request(),
        )
        .await;
        assert_eq!(res.status(), 200, "{origin}");
        assert_allowed(&res, origin);
    }
}

#[actix_web::test]
async fn subdomain_pattern_near_misses_are_refused() {
    let app = app!();
    for origin in [
        "https://preview.example.com",
        "https://.preview.example.com",
        "https://xpreview.example.com",
        "https://evilpreview.example.com",
        "https://preview.example.com.evil.net",
        "https://a.preview.example.com.evil.net",
        "https://a.preview.example.com:8443",
        "http://a.preview.example.com",
        "https://A.preview.example.com",
        "https://a_b.preview.example.com",
        "https://a`b.preview.example.com",
        "https://a}b.preview.example.com",
        "https://a%60b.preview.example.com",
        "https://evil.net@a.preview.example.com",
        "https://a..preview.example.com",
        "https://a.preview.example.com.",
        "https://a.preview.example.com/",
        "null",
    ] {
        let res = test::call_service(
            &app,
            request(Method::GET, "/subdomains", origin).to_request(),
        )
        .await;
        assert_eq!(res.status(), 403, "{origin:?}");
        assert_no_allow_headers(&res);
    }
}

#[actix_web::test]
async fn port_pattern_matches_any_port_on_loopback() {
    let app = app!();
    for origin in [
        "http://localhost:3000",
        "http://localhost:5173",
        "http://127.0.0.1:8080",
        "http://[::1]:65535",
    ] {
        let res = test::call_service(&app, request(Method::PUT, "/dev", origin).to_request()).await;
        assert_eq!(res.status(), 200, "{origin}");
        assert_allowed(&res, origin);
        let preflight = request(Method::OPTIONS, "/dev", origin)
            .insert_header(("access-control-request-method", "PUT"))
            .insert_header(("access-control-request-headers", "content-type"));
        let res = test::call_service(&app, preflight.to_request()).await;
        assert_eq!(res.status(), 204, "{origin}");
        assert_eq!(one(&res, "access-control-allow-origin"), origin);
    }
    for origin in [
        "http://localhost",
        "http://localhost:",
        "http://localhost:0",
        "http://localhost:03000",
        "http://localhost:65536",
        "http://localhost.evil.net:3000",
        "https://localhost:3000",
        "http://127.0.0.2:3000",
        "http://localhost:3000/",
    ] {
        let res = test::call_service(&app, request(Method::PUT, "/dev", origin).to_request()).await;
        assert_eq!(res.status(), 403, "{origin:?}");
        assert_no_allow_headers(&res);
    }
}
