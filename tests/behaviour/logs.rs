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
