//! The audit on actix-web apps seeded with each kind of misconfiguration:
//! each is reported on its path and nothing else, and the well-configured
//! app's report is empty.

use actix_web::{get, post, put, test, web, App, HttpRequest, HttpResponse, Responder};
use cors_credentials::{
    cors_credentials, inventory,
    testing::{audit_actix, Audit, FindingKind, Report},
    CrossOriginGuard,
};

cors_credentials::policy! {
    /// The front end.
    pub FRONT_END = { origins: ["https://app.example.com"], headers: ["content-type"] }
}

cors_credentials::policy! {
    /// The back office, allowed on `/admin/report` only.
    pub BACK_OFFICE = { origins: ["https://admin.example.com"] }
}

#[cors_credentials(policy = FRONT_END)]
#[get("/api/me")]
async fn me() -> impl Responder {
    HttpResponse::Ok().body("me")
}

#[cors_credentials(policy = FRONT_END)]
#[put("/api/me")]
async fn update_me() -> impl Responder {
    HttpResponse::Ok().body("updated")
}

#[cors_credentials(policy = FRONT_END)]
#[post("/api/login")]
async fn login() -> impl Responder {
    HttpResponse::Ok().body("logged in")
}

#[cors_credentials(policy = BACK_OFFICE)]
#[post("/admin/report")]
async fn admin_report() -> impl Responder {
    HttpResponse::Ok().body("report")
}

/// Nobody annotated this one: the guard protects it.
async fn transfer() -> impl Responder {
    HttpResponse::Ok().body("transferred")
}

/// Sets the CORS headers by hand, reflecting whatever `Origin` came.
async fn by_hand(req: HttpRequest) -> impl Responder {
    let mut res = HttpResponse::Ok();
    if let Some(origin) = req.headers().get("origin") {
        res.insert_header(("access-control-allow-origin", origin.clone()))
            .insert_header(("access-control-allow-credentials", "true"));
    }
    res.body("by hand")
}

async fn open_data() -> impl Responder {
    HttpResponse::Ok().body("data")
}

/// The guard of these apps: the front end and the back office post to
/// `/transfer` too, so both are trusted app-wide.
const GUARD: CrossOriginGuard = CrossOriginGuard::new()
    .trust(&FRONT_END)
    .trust(&BACK_OFFICE);

/// The annotated routes of this file (as a program serving one app would see
/// them all), and what the guard trusts.
fn audit() -> Audit {
    Audit::new()
        .inventory(inventory().filter(|route| route.module() == module_path!()))
        .trust(&FRONT_END)
        .trust(&BACK_OFFICE)
}

fn base(config: &mut web::ServiceConfig) {
    config
        .service(me)
        .service(update_me)
        .service(login)
        .service(admin_report)
        .route("/transfer", web::post().to(transfer));
}

/// Every finding is on `path`, there is at least one, and each is of `kinds`.
fn only_on(report: &Report, path: &str, kinds: &[FindingKind]) {
    assert!(!report.is_clean(), "expected findings on {path}:\n{report}");
    for finding in report.findings() {
        assert_eq!(finding.path(), path, "{report}");
        assert!(kinds.contains(&finding.kind()), "{report}");
    }
}

#[actix_web::test]
async fn a_guarded_app_of_annotated_routes_is_clean() {
    let app = test::init_service(App::new().wrap(GUARD).configure(base)).await;
    let report = audit().audit_actix(&app, &["/transfer"]).await;
    report.assert_clean();
    assert!(report.requests() > 100, "{report}");
    assert!(report.not_served().is_empty(), "{report}");
    assert!(
        report
            .to_string()
            .starts_with("CORS audit: no findings on 4 paths"),
        "{report}"
    );
}

#[actix_web::test]
async fn the_plain_call_probes_every_annotated_route_and_trusts_nothing() {
    let app = test::init_service(App::new().wrap(GUARD).configure(base)).await;
    // Without `trust`, the front end's and the back office's posts to
    // `/transfer` are findings: the guard trusts them, the audit was not told.
    let report = audit_actix(&app, &["/transfer"]).await;
    only_on(&report, "/transfer", &[FindingKind::UnsafeRequestServed]);
    for path in ["/api/me", "/api/login", "/admin/report", "/transfer"] {
        assert!(report.paths().iter().any(|p| p == path), "{report}");
    }
}

#[actix_web::test]
async fn a_handler_reflecting_origin_by_hand_is_reported() {
    let app = test::init_service(
        App::new()
            .wrap(GUARD)
            .configure(base)
            .route("/by-hand", web::get().to(by_hand)),
    )
    .await;
    let report = audit().audit_actix(&app, &["/transfer", "/by-hand"]).await;
    only_on(&report, "/by-hand", &[FindingKind::OriginNotAllowed]);
    let finding = &report.findings()[0];
    assert!(finding.request().contains("origin: null"), "{report}");
    assert!(
        finding
            .response()
            .contains("access-control-allow-origin: null"),
        "{report}"
    );
    // Every derived origin was reflected: counted in the first finding.
    assert!(
        finding
            .other_origins()
            .iter()
            .any(|o| o == "https://app.example.com.attacker.example"),
        "{report}"
    );
}

#[actix_web::test]
async fn a_permissive_actix_cors_scope_is_reported() {
    let app = test::init_service(
        App::new().wrap(GUARD).configure(base).service(
            web::scope("/open")
                .wrap(actix_cors::Cors::permissive())
                .route("/data", web::get().to(open_data))
                .route("/data", web::post().to(open_data)),
        ),
    )
    .await;
    let report = audit()
        .audit_actix(&app, &["/transfer", "/open/data"])
        .await;
    only_on(&report, "/open/data", &[FindingKind::OriginNotAllowed]);
}

#[actix_web::test]
async fn an_unguarded_post_route_is_reported() {
    let app = test::init_service(App::new().configure(base)).await;
    let report = audit().audit_actix(&app, &["/transfer"]).await;
    only_on(&report, "/transfer", &[FindingKind::UnsafeRequestServed]);
    let finding = &report.findings()[0];
    assert!(
        finding.request().starts_with("POST /transfer\n"),
        "{report}"
    );
    assert!(
        finding
            .request()
            .contains("content-type: application/x-www-form-urlencoded"),
        "{report}"
    );
    assert!(
        finding.request().contains("sec-fetch-site: cross-site"),
        "{report}"
    );
    assert!(finding.response().starts_with("200"), "{report}");
}

/// An origin another route allows is not trusted on a route of its own:
/// where the guard trusts the back office app-wide, the audit must be told.
#[actix_web::test]
async fn an_origin_trusted_app_wide_is_a_finding_until_the_audit_trusts_it_too() {
    let app = test::init_service(App::new().wrap(GUARD).configure(base)).await;
    let only_front_end = Audit::new()
        .inventory(inventory().filter(|route| route.module() == module_path!()))
        .trust(&FRONT_END);
    let report = only_front_end.audit_actix(&app, &["/transfer"]).await;
    only_on(&report, "/transfer", &[FindingKind::UnsafeRequestServed]);
    let finding = &report.findings()[0];
    assert!(
        finding
            .request()
            .contains("origin: https://admin.example.com"),
        "{report}"
    );
    assert!(
        finding.why().contains("(an origin another route allows)"),
        "{report}"
    );
    only_front_end
        .trust(&BACK_OFFICE)
        .audit_actix(&app, &["/transfer"])
        .await
        .assert_clean();
}

#[actix_web::test]
async fn routes_under_a_scope_are_probed_with_its_prefix() {
    let app = test::init_service(
        App::new()
            .wrap(GUARD)
            .service(web::scope("/v1").configure(base)),
    )
    .await;
    // Discovered from an extra path that ends with an annotated route's path.
    let report = audit().audit_actix(&app, &["/v1/api/me"]).await;
    report.assert_clean();
    assert!(
        report.paths().iter().any(|p| p == "/v1/admin/report"),
        "{report}"
    );
    assert!(
        report.not_served().iter().any(|p| p == "/api/me"),
        "{report}"
    );
    // Given: only under the prefix.
    let report = audit().prefix("/v1").audit_actix(&app, &[]).await;
    report.assert_clean();
    assert!(report.not_served().is_empty(), "{report}");
}

#[actix_web::test]
#[should_panic(expected = "an unsafe cross-origin request from a non-trusted origin was served")]
async fn assert_clean_panics_with_the_report() {
    let app = test::init_service(App::new().configure(base)).await;
    audit()
        .audit_actix(&app, &["/transfer"])
        .await
        .assert_clean();
}
