//! CORS adds no heap allocation per request beyond what the bare handler does.
//!
//! A counting allocator counts the allocations of one request on this thread,
//! after warm-up (actix-web pools request and response heads), for the bare
//! handler and for the same handler with `#[cors_credentials]`.

use actix_web::{
    dev::Service, get, http::header::HeaderValue, http::Method, post, put, test, App, Responder,
};
use cors_credentials::{cors_credentials, CrossOriginGuard};
use test_support::alloc::{allocations, assert_counting, CountingAlloc};

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

#[get("/bare")]
async fn bare() -> impl Responder {
    "hello"
}

#[cors_credentials(origins = ["https://app.example.com", "http://localhost:3000"], headers = ["content-type"])]
#[get("/cors")]
async fn cors() -> impl Responder {
    "hello"
}

#[post("/bare")]
async fn bare_post() -> impl Responder {
    "hello"
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[put("/echo")]
async fn echo() -> impl Responder {
    "hello"
}

#[cors_credentials(origins = ["https://app.example.com", "https://*.preview.example.com"])]
#[get("/pattern")]
async fn pattern() -> impl Responder {
    "hello"
}

cors_credentials::policy! {
    /// A dynamic set of 10,000 origins.
    TENANTS = { origins: dynamic }
}

#[cors_credentials(policy = TENANTS)]
#[get("/tenants")]
async fn tenants() -> impl Responder {
    "hello"
}

// Header values as a server parses them: already-shared bytes, so cloning
// one costs no allocation (a `TestRequest` built from `&str` would copy).
const ALLOWED: HeaderValue = HeaderValue::from_static("https://app.example.com");
const EVIL: HeaderValue = HeaderValue::from_static("https://evil.example.net");
const PREVIEW: HeaderValue = HeaderValue::from_static("https://pr-7.preview.example.com");

fn request(
    method: Method,
    path: &str,
    headers: &[(&'static str, HeaderValue)],
) -> test::TestRequest {
    let mut req = test::TestRequest::default().method(method).uri(path);
    for (name, value) in headers {
        req = req.insert_header((*name, value.clone()));
    }
    req
}

/// The headers of a preflight from `origin` asking for `method` and, when
/// given, the request headers `headers`.
fn preflight_headers(
    origin: HeaderValue,
    method: &'static str,
    headers: Option<&'static str>,
) -> Vec<(&'static str, HeaderValue)> {
    let mut all = vec![
        ("origin", origin),
        (
            "access-control-request-method",
            HeaderValue::from_static(method),
        ),
    ];
    if let Some(headers) = headers {
        all.push((
            "access-control-request-headers",
            HeaderValue::from_static(headers),
        ));
    }
    all
}

/// Prints one scenario's count and asserts its status and that it allocates
/// no more than `baseline`, the count of `compared_with`.
fn check(
    name: &str,
    (count, status): (u64, u16),
    expected: u16,
    baseline: u64,
    compared_with: &str,
) {
    println!("{name}: {count} allocations per request");
    assert_eq!(status, expected, "{name}");
    assert!(
        count <= baseline,
        "{name}: {count} allocations, {compared_with} {baseline}"
    );
}

/// Name, method, path, headers and expected status of one request.
type Scenario<'a> = (
    &'a str,
    Method,
    &'a str,
    &'a [(&'static str, HeaderValue)],
    u16,
);

/// Allocations made while one request is served and its response dropped.
macro_rules! count {
    ($app:expr, $method:expr, $path:expr, $headers:expr) => {{
        for _ in 0..3 {
            let res = $app
                .call(request($method.clone(), $path, $headers).to_request())
                .await
                .unwrap();
            let _ = test::read_body(res).await;
        }
        let req = request($method.clone(), $path, $headers).to_request();
        let before = allocations();
        let res = $app.call(req).await.unwrap();
        let status = res.status();
        drop(res);
        let after = allocations();
        (after - before, status.as_u16())
    }};
}

#[actix_web::test]
async fn no_extra_allocation_per_request() {
    assert_counting();
    let app = test::init_service(
        App::new()
            .service(bare)
            .service(cors)
            .service(echo)
            .service(pattern)
            .service(tenants),
    )
    .await;
    let mut origins: Vec<String> = (0..9_999)
        .map(|i| format!("https://t{i:04}.example.com"))
        .collect();
    origins.push("https://app.example.com".to_owned());
    TENANTS.set_origins(&origins).unwrap();
    let (baseline, status) = count!(app, Method::GET, "/bare", &[("origin", ALLOWED)]);
    assert_eq!(status, 200);
    println!("bare handler: {baseline} allocations per request");

    let preflight = preflight_headers(ALLOWED, "GET", Some("content-type"));
    let echo_preflight = preflight_headers(ALLOWED, "PUT", Some("authorization,x-a"));
    let refused_preflight = preflight_headers(EVIL, "GET", None);
    let scenarios: [Scenario<'_>; 9] = [
        (
            "dynamic set of 10,000 origins",
            Method::GET,
            "/tenants",
            &[("origin", ALLOWED)],
            200,
        ),
        (
            "dynamic set, disallowed origin",
            Method::GET,
            "/tenants",
            &[("origin", EVIL)],
            403,
        ),
        (
            "allowed origin",
            Method::GET,
            "/cors",
            &[("origin", ALLOWED)],
            200,
        ),
        (
            "disallowed origin",
            Method::GET,
            "/cors",
            &[("origin", EVIL)],
            403,
        ),
        ("no origin", Method::GET, "/cors", &[], 200),
        (
            "subdomain pattern",
            Method::GET,
            "/pattern",
            &[("origin", PREVIEW)],
            200,
        ),
        ("preflight", Method::OPTIONS, "/cors", &preflight[..], 204),
        (
            "preflight, headers echoed",
            Method::OPTIONS,
            "/echo",
            &echo_preflight[..],
            204,
        ),
        (
            "refused preflight",
            Method::OPTIONS,
            "/cors",
            &refused_preflight[..],
            403,
        ),
    ];
    for (name, method, path, headers, expected) in scenarios {
        check(
            name,
            count!(app, method, path, headers),
            expected,
            baseline,
            "bare handler",
        );
    }
}

cors_credentials::policy! {
    /// Trusted app-wide by the guard of `the_guard_adds_no_allocation_per_request`.
    IDENTITY_PROVIDER = { origins: ["https://login.idp.example.org"] }
}

#[actix_web::test]
async fn the_guard_adds_no_allocation_per_request() {
    assert_counting();
    let bare_app =
        test::init_service(App::new().service(bare).service(bare_post).service(echo)).await;
    const GUARD: CrossOriginGuard = CrossOriginGuard::new().trust(&IDENTITY_PROVIDER);
    let guarded = test::init_service(
        App::new()
            .wrap(GUARD)
            .service(bare)
            .service(bare_post)
            .service(echo),
    )
    .await;
    let cross_site = HeaderValue::from_static("cross-site");
    let idp = HeaderValue::from_static("https://login.idp.example.org");
    let from = |origin: &HeaderValue| {
        [
            ("origin", origin.clone()),
            ("sec-fetch-site", cross_site.clone()),
        ]
    };
    let (get_baseline, _) = count!(bare_app, Method::GET, "/bare", &from(&EVIL));
    let (post_baseline, _) = count!(bare_app, Method::POST, "/bare", &from(&idp));
    let (route_baseline, _) = count!(bare_app, Method::PUT, "/echo", &from(&ALLOWED));
    println!(
        "bare app: GET {get_baseline}, POST {post_baseline}, annotated PUT {route_baseline} allocations per request"
    );
    // Name, method, path, headers, expected status, the bare app's allocations.
    type GuardScenario = (
        &'static str,
        Method,
        &'static str,
        [(&'static str, HeaderValue); 2],
        u16,
        u64,
    );
    let scenarios: [GuardScenario; 4] = [
        (
            "guard, safe request",
            Method::GET,
            "/bare",
            from(&EVIL),
            200,
            get_baseline,
        ),
        (
            "guard, unsafe request its annotated route allows",
            Method::PUT,
            "/echo",
            from(&ALLOWED),
            200,
            route_baseline,
        ),
        (
            "guard, explicitly trusted unsafe request",
            Method::POST,
            "/bare",
            from(&idp),
            200,
            post_baseline,
        ),
        (
            "guard, refused unsafe request",
            Method::POST,
            "/bare",
            from(&EVIL),
            403,
            post_baseline,
        ),
    ];
    for (name, method, path, headers, expected, baseline) in scenarios {
        check(
            name,
            count!(guarded, method, path, &headers),
            expected,
            baseline,
            "bare app",
        );
    }
}
