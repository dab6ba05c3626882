//! What the refusals log, on both adapters: `log` debug records with the
//! request's values escaped.

use test_support::{
    driver::{Driver, Req},
    log::Capture,
};

/// The guard's refusals of two requests to `app` (the fixture `guard`) are
/// logged with their values escaped.
pub async fn guard_refusals<D: Driver>(app: D) {
    let capture = Capture::start();
    let cross_site = &[("sec-fetch-site", "cross-site")];
    let req = Req::new("POST", "/transfer").headers(cross_site);
    let res = app.send(&req, Some("https://evil.example.net\"x")).await;
    assert_eq!(res.status, 403, "{:?}", D::ADAPTER);
    let res = app
        .send(&Req::new("DELETE", "/transfer").headers(cross_site), None)
        .await;
    assert_eq!(res.status, 403, "{:?}", D::ADAPTER);
    let messages: Vec<String> = capture
        .on_this_thread()
        .into_iter()
        .filter(|record| record.level == log::Level::Debug)
        .map(|record| record.message)
        .collect();
    assert_eq!(
        messages,
        [
            "cors-credentials: refused cross-origin request POST \"/transfer\": origin \"https://evil.example.net\\\"x\" is cross-origin and no policy trusts it",
            "cors-credentials: refused cross-origin request DELETE \"/transfer\": Sec-Fetch-Site is \"cross-site\" and the request has no Origin",
        ],
        "{:?}",
        D::ADAPTER
    );
}

/// The debug records logged while `app` (the fixture `route`) refuses `req`.
async fn records_for<D: Driver>(app: &D, req: Req) -> Vec<String> {
    let capture = Capture::start();
    assert_eq!(app.send(&req, None).await.status, 403, "{:?}", D::ADAPTER);
    capture
        .on_this_thread()
        .into_iter()
        .filter(|record| record.level == log::Level::Debug)
        .map(|record| record.message)
        .collect()
}

/// The routes' refusals name what was refused, with the request's values escaped.
pub async fn route_refusals<D: Driver>(app: D) {
    let from_evil = &[("origin", "https://evil.example.net")];
    let preflight = Req::new("OPTIONS", "/items/1").request_method("PUT");
    let cases = [
        (
            Req::new("PUT", "/items/1").headers(from_evil),
            "cors-credentials: refused request PUT \"/items/1\": origin \"https://evil.example.net\" is not in the allowed origins",
        ),
        (
            preflight.headers(&[("origin", "https://evil.example.net"), ("access-control-request-headers", "content-type")]),
            "cors-credentials: refused preflight OPTIONS \"/items/1\": origin \"https://evil.example.net\" is not in the allowed origins",
        ),
        (
            preflight.headers(&[("origin", "https://app.example.com"), ("access-control-request-headers", "content-type,x-debug")]),
            "cors-credentials: refused preflight OPTIONS \"/items/1\": request header \"x-debug\" is not in the allowed headers",
        ),
    ];
    for (req, record) in cases {
        assert_eq!(records_for(&app, req).await, [record], "{:?}", D::ADAPTER);
    }
    // Values from the request are escaped: no forged log lines.
    let hostile = Req::new("PUT", "/items/1")
        .raw_headers(&[("origin", b"https://evil.example.net\t\xff\"x")]);
    let records = records_for(&app, hostile).await;
    assert_eq!(records.len(), 1);
    assert!(
        records[0].contains(r#"origin "https://evil.example.net\t\xff\"x" is not"#),
        "{records:?} on {:?}",
        D::ADAPTER
    );
}
