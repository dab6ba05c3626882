//! The audit on axum routers seeded with each kind of misconfiguration:
//! each is reported on its path and nothing else, and the well-configured
//! router's report is empty.

use axum::{
    http::{HeaderMap, HeaderValue, Method},
    response::IntoResponse,
    routing::{get, post},
    Router,
};
use cors_credentials::{
    testing::{audit_tower, Audit, FindingKind, Report},
    tower::{CorsLayer, CrossOriginGuardLayer},
};

cors_credentials::policy! {
    /// The front end.
    pub FRONT_END = { origins: ["https://app.example.com"], headers: ["content-type"] }
}

/// The routes with a `CorsLayer` each, and `/transfer` without.
fn routes() -> Router {
    Router::new()
        .route(
            "/api/me",
            get(|| async { "me" })
                .put(|| async { "updated" })
                .layer(CorsLayer::new(&FRONT_END, [Method::GET, Method::PUT])),
        )
        .route(
            "/api/login",
            post(|| async { "logged in" }).layer(CorsLayer::new(&FRONT_END, [Method::POST])),
        )
        .route("/transfer", post(|| async { "transferred" }))
}

/// What the audit is told: the layered routes, and that the guard trusts the
/// front end app-wide (its page posts to `/transfer`).
fn audit() -> Audit {
    Audit::new()
        .route("/api/me", &FRONT_END, &["GET", "PUT"])
        .route("/api/login", &FRONT_END, &["POST"])
        .trust(&FRONT_END)
}

fn guarded(router: Router) -> Router {
    router.layer(CrossOriginGuardLayer::new().trust(&FRONT_END))
}

/// Every finding is on `path`, there is at least one, and each is of `kinds`.
fn only_on(report: &Report, path: &str, kinds: &[FindingKind]) {
    assert!(!report.is_clean(), "expected findings on {path}:\n{report}");
    for finding in report.findings() {
        assert_eq!(finding.path(), path, "{report}");
        assert!(kinds.contains(&finding.kind()), "{report}");
    }
}

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
async fn a_guarded_router_of_layered_routes_is_clean() {
    let report = audit().audit_tower(guarded(routes()), &["/transfer"]).await;
    report.assert_clean();
    assert_eq!(
        report.paths(),
        ["/api/me", "/api/login", "/transfer"],
        "{report}"
    );
    assert!(report.requests() > 100, "{report}");
}

#[tokio::test]
async fn layered_routes_not_declared_are_probed_as_extra_paths() {
    // Without the policies, nothing is allowed on purpose: attackers' probes
    // are still refused, so only the layers' own refusals are seen.
    let report = audit_tower(guarded(routes()), &["/api/me", "/transfer"]).await;
    report.assert_clean();
}

#[tokio::test]
async fn a_handler_reflecting_origin_by_hand_is_reported() {
    let app = guarded(routes().route("/by-hand", get(by_hand)));
    let report = audit().audit_tower(app, &["/transfer", "/by-hand"]).await;
    only_on(&report, "/by-hand", &[FindingKind::OriginNotAllowed]);
    assert!(
        report.findings()[0]
            .response()
            .contains("access-control-allow-credentials: true"),
        "{report}"
    );
}

#[tokio::test]
async fn a_very_permissive_tower_http_layer_is_reported() {
    let open = Router::new()
        .route(
            "/data",
            get(|| async { "data" }).post(|| async { "posted" }),
        )
        .layer(tower_http::cors::CorsLayer::very_permissive());
    let app = guarded(routes().nest("/open", open));
    let report = audit().audit_tower(app, &["/transfer", "/open/data"]).await;
    only_on(&report, "/open/data", &[FindingKind::OriginNotAllowed]);
}

#[tokio::test]
async fn a_very_permissive_layer_on_a_declared_route_grants_more_than_it_serves() {
    let app = guarded(routes()).route(
        "/api/profile",
        get(|| async { "profile" }).layer(tower_http::cors::CorsLayer::very_permissive()),
    );
    let report = audit()
        .route("/api/profile", &FRONT_END, &["GET"])
        .audit_tower(app, &["/transfer"])
        .await;
    only_on(
        &report,
        "/api/profile",
        &[
            FindingKind::OriginNotAllowed,
            FindingKind::PreflightGrantsMethod,
            FindingKind::PreflightGrantsHeader,
            FindingKind::MissingVaryOrigin,
        ],
    );
    for kind in [
        FindingKind::OriginNotAllowed,
        FindingKind::PreflightGrantsMethod,
        FindingKind::PreflightGrantsHeader,
    ] {
        assert!(
            report.findings().iter().any(|f| f.kind() == kind),
            "{kind:?} in {report}"
        );
    }
}

#[tokio::test]
async fn an_unguarded_post_route_is_reported() {
    let report = audit().audit_tower(routes(), &["/transfer"]).await;
    only_on(&report, "/transfer", &[FindingKind::UnsafeRequestServed]);
    assert!(
        report.findings()[0]
            .request()
            .starts_with("POST /transfer\n"),
        "{report}"
    );
}

/// Allows the front end by hand, exactly, but forgets `Vary: Origin`.
async fn exact_without_vary(headers: HeaderMap) -> impl IntoResponse {
    let mut out = HeaderMap::new();
    if headers.get("origin").map(HeaderValue::as_bytes) == Some(b"https://app.example.com") {
        out.insert(
            "access-control-allow-origin",
            HeaderValue::from_static("https://app.example.com"),
        );
        out.insert(
            "access-control-allow-credentials",
            HeaderValue::from_static("true"),
        );
    }
    (out, "profile")
}

/// `*` and credentials, by hand.
async fn wildcard(_: HeaderMap) -> impl IntoResponse {
    let mut out = HeaderMap::new();
    out.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    out.insert(
        "access-control-allow-credentials",
        HeaderValue::from_static("true"),
    );
    (out, "open")
}

#[tokio::test]
async fn an_allowed_answer_without_vary_is_reported() {
    let app = guarded(routes().route("/api/profile", get(exact_without_vary)));
    let report = audit()
        .route("/api/profile", &FRONT_END, &["GET"])
        .audit_tower(app, &["/transfer"])
        .await;
    only_on(&report, "/api/profile", &[FindingKind::MissingVaryOrigin]);
    assert!(
        report.findings()[0]
            .request()
            .contains("origin: https://app.example.com"),
        "{report}"
    );
}

#[tokio::test]
async fn a_wildcard_with_credentials_is_reported() {
    let app = guarded(routes().route("/public", get(wildcard)));
    let report = audit().audit_tower(app, &["/transfer", "/public"]).await;
    only_on(&report, "/public", &[FindingKind::WildcardWithCredentials]);
}
