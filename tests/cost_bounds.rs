//! Oversized input has bounded cost.
//!
//! Two layers limit what a request can make this crate do:
//!
//! - actix-http's HTTP/1.1 parser (3.x) refuses, with `431 Request Header
//!   Fields Too Large`, a request head of 128 KiB or more (`MAX_BUFFER_SIZE`)
//!   and a request with more than 96 header lines (`MAX_HEADERS`); it answers
//!   `400` to a header value with a control character other than tab. Below
//!   those limits everything reaches the middleware: a 64 KiB
//!   `Access-Control-Request-Headers` or `Origin` does.
//! - The runtime refuses an `Access-Control-Request-Headers` longer than
//!   `MAX_REQUEST_HEADERS_LEN` (8 KiB, all lines together) before parsing it;
//!   it compares `Origin` with the configured origins by length first, so a
//!   long `Origin` costs a few length comparisons; and it logs at most 256
//!   bytes of any request value.
//!
//! The first group of tests pins the parser's limits over real loopback
//! connections (a change in actix-http shows up here); the second measures
//! that the runtime's cost grows at most linearly with the input (a
//! quadratic step would make the large case 8 times slower again than the
//! bound allows). Costs are CPU time of the measuring thread, so the servers
//! of the first group, running in parallel, do not count.

use std::{hint::black_box, time::Duration};
use test_support::{log::Capture, raw_http};

use actix_web::{
    dev::RequestHead,
    get,
    http::{
        header::{self, HeaderName, HeaderValue},
        Method, StatusCode,
    },
    post, web, HttpResponse,
};
use cors_credentials::{
    cors_credentials,
    test_hooks::{decide, respond_preflight, Methods, RequestView},
    Policy, MAX_REQUEST_HEADERS_LEN,
};
use test_support::policy::{Built, Spec};

#[cors_credentials(origins = ["https://app.example.com"])]
#[post("/any-headers")]
async fn any_headers() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/me")]
async fn me() -> HttpResponse {
    HttpResponse::Ok().body("me")
}

fn routes(config: &mut web::ServiceConfig) {
    config.service(any_headers).service(me);
}

const SITE: &[u8] = b"https://app.example.com";

/// A preflight for `POST /any-headers` with these extra header lines.
fn preflight(extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut headers: Vec<(&str, &[u8])> =
        vec![("Origin", SITE), ("Access-Control-Request-Method", b"POST")];
    headers.extend_from_slice(extra);
    raw_http::request("OPTIONS", "/any-headers", &headers)
}

/// `n` comma-separated header names of 7 bytes (`x-h0001`, …).
fn names(n: usize) -> String {
    (0..n)
        .map(|i| format!("x-h{i:04}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn request_headers_over_the_cap_reach_the_runtime_and_are_refused() {
    // 64 KiB passes actix-http's limits, so the runtime's cap is what refuses it.
    let value = "x-a,".repeat(16 * 1024);
    let response = raw_http::exchange(
        routes,
        preflight(&[("Access-Control-Request-Headers", value.as_bytes())]),
    );
    assert_eq!(raw_http::status(&response), 403);
    assert!(raw_http::body(&response).contains("too large"));
    assert!(!raw_http::has_header(
        &response,
        "access-control-allow-origin",
        "https://app.example.com"
    ));

    // A 1000-element list within the cap is parsed and granted.
    let list = names(1000);
    assert!(list.len() <= MAX_REQUEST_HEADERS_LEN);
    let response = raw_http::exchange(
        routes,
        preflight(&[("Access-Control-Request-Headers", list.as_bytes())]),
    );
    assert_eq!(raw_http::status(&response), 204);
    assert!(raw_http::has_header(
        &response,
        "access-control-allow-headers",
        &list
    ));

    // The cap counts every line together.
    let half = "x-a,".repeat(MAX_REQUEST_HEADERS_LEN / 8 + 1);
    let response = raw_http::exchange(
        routes,
        preflight(&[
            ("Access-Control-Request-Headers", half.as_bytes()),
            ("Access-Control-Request-Headers", half.as_bytes()),
        ]),
    );
    assert_eq!(raw_http::status(&response), 403);
    assert!(raw_http::body(&response).contains("too large"));
}

#[test]
fn actix_http_refuses_heads_of_128_kib_and_more_than_96_header_lines() {
    // 1000 header lines of one element each: refused by the parser (431)
    // before any middleware runs.
    let lines: Vec<(&str, &[u8])> = vec![("Access-Control-Request-Headers", b"x-a"); 1000];
    let response = raw_http::exchange(routes, preflight(&lines));
    assert_eq!(raw_http::status(&response), 431);
    // 90 lines fit, and reach the runtime, which reads every line.
    let lines: Vec<(&str, &[u8])> = vec![("Access-Control-Request-Headers", b"x-a"); 90];
    let response = raw_http::exchange(routes, preflight(&lines));
    assert_eq!(raw_http::status(&response), 204);
    // A 200 KiB header: the head is larger than the parser's buffer.
    let huge = vec![b'a'; 200 * 1024];
    let response = raw_http::exchange(
        routes,
        raw_http::request("GET", "/me", &[("Origin", &huge)]),
    );
    assert_eq!(raw_http::status(&response), 431);
}

#[test]
fn long_origin_is_refused() {
    for len in [8 * 1024, 64 * 1024] {
        let mut origin = SITE.to_vec();
        origin.resize(len, b'a');
        let response = raw_http::exchange(
            routes,
            raw_http::request("GET", "/me", &[("Origin", &origin)]),
        );
        // It starts with the allowed origin: no prefix match.
        assert_eq!(raw_http::status(&response), 403, "{len}");
    }
    // The same route still serves the allowed origin.
    let response = raw_http::exchange(routes, raw_http::request("GET", "/me", &[("Origin", SITE)]));
    assert_eq!(raw_http::status(&response), 200);
}

// ---------------------------------------------------------------------------
// Cost

/// A policy allowing three origins for `POST`, with any request headers
/// (`headers: None`) or a list of three.
fn policy(headers: Option<&[&str]>) -> Built {
    Spec {
        origins: vec![
            "http://localhost:3000".into(),
            "https://a.example.com".into(),
            "https://app.example.com".into(),
        ],
        allow_insecure_http: false,
        headers: headers.map(|names| names.iter().map(|&name| name.to_owned()).collect()),
        expose_headers: Vec::new(),
        max_age: 7200,
        pass: false,
        methods: vec!["POST".into()],
    }
    .leak()
    .unwrap()
}

fn any() -> Built {
    policy(None)
}

fn listed() -> Built {
    policy(Some(&["content-type", "x-csrf-token", "x-request-id"]))
}

fn head(method: Method, headers: &[(HeaderName, &[u8])]) -> RequestHead {
    let mut head = RequestHead::default();
    head.method = method;
    head.uri = actix_web::http::Uri::from_static("/r");
    head.headers
        .insert(header::HOST, HeaderValue::from_static("api.example.com"));
    for (name, value) in headers {
        head.headers
            .append(name.clone(), HeaderValue::from_bytes(value).unwrap());
    }
    head
}

/// The CPU time this thread has used: what other threads and processes do
/// while it waits for a core is not in it.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid `timespec` to write to.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

fn time(calls: u32, f: &mut impl FnMut()) -> Duration {
    let start = thread_cpu_time();
    for _ in 0..calls {
        f();
    }
    thread_cpu_time() - start
}

/// The least CPU time of `calls` calls of `small` and of `large`, over
/// rounds that alternate between them: what noise a shared machine leaves in
/// CPU time (caches, a busy sibling core) only ever adds time, and both
/// sides see the same machine.
fn costs(calls: u32, mut small: impl FnMut(), mut large: impl FnMut()) -> (Duration, Duration) {
    let mut best = (Duration::MAX, Duration::MAX);
    for _ in 0..30 {
        best.0 = best.0.min(time(calls, &mut small));
        best.1 = best.1.min(time(calls, &mut large));
    }
    best
}

/// Asserts that `large` input (`factor` times the size of `small`) costs at
/// most `factor` times as much, with room for noise: four times more. A
/// quadratic cost would take `factor` times longer again.
#[track_caller]
fn assert_at_most_linear(what: &str, (small, large): (Duration, Duration), factor: u32) {
    let bound = small * factor * 4 + Duration::from_micros(500);
    eprintln!("{what}: {small:?} -> {large:?} for {factor}x the input (bound {bound:?})");
    assert!(
        large <= bound,
        "{what}: {factor}x the input took {large:?}, {small:?} for the small one (bound {bound:?})"
    );
}

fn preflight_head(list: &[u8]) -> RequestHead {
    head(
        Method::OPTIONS,
        &[
            (header::ORIGIN, SITE),
            (header::ACCESS_CONTROL_REQUEST_METHOD, b"POST"),
            (header::ACCESS_CONTROL_REQUEST_HEADERS, list),
        ],
    )
}

/// The statuses of both preflights, and their costs.
fn preflight_costs(
    built: &Built,
    small: &[u8],
    large: &[u8],
) -> ((StatusCode, StatusCode), (Duration, Duration)) {
    let (policy, methods): (&Policy, &Methods) = (built.policy, built.methods);
    let (small, large) = (preflight_head(small), preflight_head(large));
    let (small, large) = (
        RequestView::new(&small, false),
        RequestView::new(&large, false),
    );
    let statuses = (
        respond_preflight(policy, methods, &small).status(),
        respond_preflight(policy, methods, &large).status(),
    );
    let respond = |head: &RequestView<'_>| {
        black_box(respond_preflight(policy, methods, black_box(head)));
    };
    (statuses, costs(10, || respond(&small), || respond(&large)))
}

const NO_CONTENT: (StatusCode, StatusCode) = (StatusCode::NO_CONTENT, StatusCode::NO_CONTENT);
const FORBIDDEN: (StatusCode, StatusCode) = (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN);

#[test]
fn request_header_lists_cost_linear_time() {
    // While a capture lives, every record is formatted as a real logger
    // would, so the cost of escaping is measured too.
    let _capture = Capture::start();
    // Allowed names, echoed back (any headers): 62 and 1000 elements.
    let (any, listed_policy) = (any(), listed());
    let (statuses, costs) = preflight_costs(&any, names(62).as_bytes(), names(1000).as_bytes());
    assert_eq!(statuses, NO_CONTENT);
    assert_at_most_linear("1000 names, any headers", costs, 16);

    // Reshaped by a proxy (spaces), so the answer is rebuilt rather than reused.
    let spaced = |n| names(n).replace(',', " , ").into_bytes();
    let (statuses, costs) = preflight_costs(&any, &spaced(50), &spaced(800));
    assert_eq!(statuses, NO_CONTENT);
    assert_at_most_linear("800 spaced names, any headers", costs, 16);

    // A listed policy checks every element against its names.
    let listed = |n: usize| {
        vec!["content-type,x-csrf-token,X-Request-ID"; n / 3]
            .join(",")
            .into_bytes()
    };
    assert!(listed(210).len() <= MAX_REQUEST_HEADERS_LEN);
    let (statuses, costs) = preflight_costs(&listed_policy, &listed(15), &listed(210));
    assert_eq!(statuses, NO_CONTENT);
    assert_at_most_linear("210 listed names", costs, 14);

    // Over the cap the length alone decides: 64 KiB costs what 9 KiB does.
    let (statuses, costs) = preflight_costs(
        &any,
        &vec![b'a'; MAX_REQUEST_HEADERS_LEN + 1024],
        &vec![b'a'; 64 * 1024],
    );
    assert_eq!(statuses, FORBIDDEN);
    assert_at_most_linear("64 KiB over the cap", costs, 1);
}

#[test]
fn long_origins_cost_linear_time_and_log_short() {
    let origin = |len: usize| {
        let mut origin = SITE.to_vec();
        origin.resize(len, b'a');
        origin
    };
    let any = any().policy;
    let decide_costs = |small: &[u8], large: &[u8]| {
        let (small, large) = (
            head(Method::GET, &[(header::ORIGIN, small)]),
            head(Method::GET, &[(header::ORIGIN, large)]),
        );
        let (small, large) = (
            RequestView::new(&small, false),
            RequestView::new(&large, false),
        );
        let decide = |head: &RequestView<'_>| {
            black_box(decide(any, black_box(head)));
        };
        costs(20, || decide(&small), || decide(&large))
    };
    // While it lives, every record is formatted as a real logger would, so
    // the cost of escaping is measured too; the test reads its thread's.
    let capture = Capture::start();
    assert_at_most_linear(
        "8 KiB Origin",
        decide_costs(&origin(1024), &origin(8 * 1024)),
        8,
    );
    assert_at_most_linear(
        "64 KiB Origin",
        decide_costs(&origin(1024), &origin(64 * 1024)),
        64,
    );
    // Every refusal was logged, each record short whatever the Origin.
    let records = capture.on_this_thread();
    assert!(!records.is_empty());
    let longest = records.iter().map(|r| r.message.len()).max().unwrap();
    assert!(longest < 600, "a record of {longest} bytes");

    // Many Origin lines (the parser allows up to 96) are refused at once.
    let lines: Vec<(HeaderName, &[u8])> = vec![(header::ORIGIN, SITE); 90];
    let head = head(Method::GET, &lines);
    let head = RequestView::new(&head, false);
    assert!(format!("{:?}", decide(any, &head)).contains("MultipleOrigins"));
}
