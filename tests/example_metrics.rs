//! The metrics example (`examples/metrics/`) counts refusals by reason,
//! check and route pattern, and serves the counters on `/metrics`.

use actix_web::{http::Method, test};
use cors_credentials_examples::metrics::{app, ALLOWED_ORIGIN};
use metrics_exporter_prometheus::PrometheusBuilder;

const EVIL: &str = "https://evil.example.net";

#[actix_web::test]
async fn metrics_counts_refusals_by_reason_and_route() {
    // A recorder of this test's own, in force on its thread (where
    // `call_service` runs the app): no process-wide state.
    let recorder = PrometheusBuilder::new().build_recorder();
    let app = test::init_service(app(recorder.handle())).await;
    let _local = metrics::set_default_local_recorder(&recorder);

    let requests = [
        // Refused by the route, twice, on two paths of one pattern.
        test::TestRequest::get()
            .uri("/api/orders/7")
            .insert_header(("origin", EVIL)),
        test::TestRequest::get()
            .uri("/api/orders/8")
            .insert_header(("origin", "https://other.example.org")),
        // A refused preflight.
        test::TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/api/orders")
            .insert_header(("origin", ALLOWED_ORIGIN))
            .insert_header(("access-control-request-method", "POST"))
            .insert_header(("access-control-request-headers", "x-debug")),
        // Refused by the guard, before routing.
        test::TestRequest::post()
            .uri("/api/logout")
            .insert_header(("origin", EVIL))
            .insert_header(("sec-fetch-site", "cross-site")),
    ];
    for req in requests {
        let req = req.to_request();
        let at = format!("{} {}", req.method(), req.path());
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), 403, "{at}");
    }
    // Allowed: counted nowhere.
    let req = test::TestRequest::get()
        .uri("/api/orders/7")
        .insert_header(("origin", ALLOWED_ORIGIN));
    assert_eq!(
        test::call_service(&app, req.to_request()).await.status(),
        200
    );

    let res = test::call_service(&app, test::TestRequest::get().uri("/metrics").to_request()).await;
    assert_eq!(res.status(), 200);
    let body = String::from_utf8(test::read_body(res).await.to_vec()).unwrap();
    let mut counters: Vec<&str> = body
        .lines()
        .filter(|line| line.starts_with("cors_refusals_total{"))
        .collect();
    counters.sort_unstable();
    assert_eq!(
        counters,
        [
            r#"cors_refusals_total{reason="cross_origin_unsafe",check="guard",route="/api/logout"} 1"#,
            r#"cors_refusals_total{reason="header_not_allowed",check="preflight",route="/api/orders"} 1"#,
            r#"cors_refusals_total{reason="origin_not_allowed",check="request",route="/api/orders/{id}"} 2"#,
        ],
        "{body}"
    );
    assert!(!body.contains("example"), "no origin in a label: {body}");
}
