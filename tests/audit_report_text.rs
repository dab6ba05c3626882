//! The text a failing audit prints, pinned: what a user reads in a failing test.

use axum::{
    http::{HeaderMap, HeaderValue},
    response::IntoResponse,
    routing::{get, post},
    Router,
};
use cors_credentials::testing::audit_tower;

async fn by_hand(headers: HeaderMap) -> impl IntoResponse {
    let mut out = HeaderMap::new();
    if let Some(origin) = headers.get("origin") {
        out.insert("access-control-allow-origin", origin.clone());
        out.insert(
            "access-control-allow-credentials",
            HeaderValue::from_static("true"),
        );
    }
    (out, "by hand")
}

#[tokio::test]
async fn the_findings_text() {
    let app = Router::new()
        .route("/transfer", post(|| async { "transferred" }))
        .route("/by-hand", get(by_hand));
    let report = audit_tower(app, &["/transfer", "/by-hand"]).await;
    let text = report.to_string();
    assert_eq!(text, EXPECTED);
}

const EXPECTED: &str = r#"CORS audit: 2 findings on 2 paths (24 requests)

1. POST /transfer: an unsafe cross-origin request from a non-trusted origin was served
   sent:      POST /transfer
              origin: null
              sec-fetch-site: cross-site
              content-type: application/x-www-form-urlencoded
   answered:  200
   why:       a POST from `null` (an opaque origin), which no policy of this path allows and
              none is trusted app-wide, was served with 200: a page there can send it with the
              user's cookies (a form post needs no preflight), and the handler runs before the
              browser hides the answer
   fix:       refuse it before any handler runs: wrap the whole app in `CrossOriginGuard`
              (actix-web) or `CrossOriginGuardLayer` (tower), outermost, which lets an origin
              through only where its own route's policy allows it; if this origin is meant to
              send it here, give the route a policy that allows it, or trust that policy
              app-wide (`.trust(&POLICY)` on the guard and on the audit)
   also from: 1 other probe origin: https://attacker.example

2. GET /by-hand: Access-Control-Allow-Origin for an origin the route does not allow
   sent:      GET /by-hand
              origin: null
              sec-fetch-site: cross-site
   answered:  200
              access-control-allow-origin: null
              access-control-allow-credentials: true
   why:       the answer lets `null` (an opaque origin) read it with the user's cookies, but no
              policy of this path allows that origin: a page there reads what the user sees
   fix:       let only the route's policy answer CORS on this path: remove the
              `Access-Control-Allow-Origin` a handler sets by hand, or the permissive CORS
              middleware around it (`actix_cors::Cors::permissive()`, tower-http
              `CorsLayer::very_permissive()` or `mirror_request()`), and give the route
              `#[cors_credentials]` or `cors_credentials::tower::CorsLayer` with the origins it
              serves; if the origin is meant to be allowed, list it in that policy (and tell the
              audit with `Audit::route`)
   also from: 1 other probe origin: https://attacker.example
"#;
