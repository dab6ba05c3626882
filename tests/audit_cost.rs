//! What the audit costs on an app of 50 routes, each with a policy of two
//! origins and two methods, behind the app-wide guard: it must stay well
//! under a second, in debug and release builds alike (the fastest of three
//! runs is what counts).
//!
//! `cargo test -p cors-credentials-tests --test audit_cost -- --nocapture`
//! prints the figures (add `--release` for the release build's).

use std::time::{Duration, Instant};

use actix_web::{test, web, App, HttpResponse, Responder};
use axum::{http::Method, routing::get, Router};
use cors_credentials::{cors_credentials, testing::Audit, tower::CorsLayer, CrossOriginGuard};

cors_credentials::policy! {
    /// Two front ends.
    pub FRONT_END = {
        origins: ["https://app.example.com", "https://admin.example.com"],
        headers: ["content-type"],
    }
}

/// One handler registered by hand on each of the 50 paths.
#[cors_credentials(policy = FRONT_END, methods = ["GET", "PUT"])]
async fn item() -> impl Responder {
    HttpResponse::Ok().body("item")
}

const ROUTES: usize = 50;

fn paths() -> Vec<String> {
    (0..ROUTES).map(|n| format!("/api/items{n}")).collect()
}

fn audit(paths: &[String]) -> Audit {
    paths
        .iter()
        .fold(Audit::new(), |audit, path| {
            audit.route(path, &FRONT_END, &["GET", "PUT"])
        })
        .trust(&FRONT_END)
}

/// Well under a second: the bound the documentation gives.
const BOUND: Duration = Duration::from_millis(1000);

#[actix_web::test]
async fn fifty_actix_routes_are_audited_well_under_a_second() {
    let paths = paths();
    let app = test::init_service(paths.iter().fold(
        App::new().wrap(CrossOriginGuard::new().trust(&FRONT_END)),
        |app, path| {
            app.service(
                web::resource(path.as_str())
                    .wrap(item::cors())
                    .route(web::get().to(item))
                    .route(web::put().to(item)),
            )
        },
    ))
    .await;
    let audit = audit(&paths);
    // The fastest of three runs: the machine's other work is not the audit's cost.
    let mut took = Duration::MAX;
    let mut report = None;
    for _ in 0..3 {
        let start = Instant::now();
        report = Some(audit.audit_actix(&app, &[]).await);
        took = took.min(start.elapsed());
    }
    let report = report.unwrap();
    report.assert_clean();
    assert_eq!(report.paths().len(), ROUTES);
    println!(
        "actix-web, {ROUTES} routes: {} requests in {took:?} ({} build)",
        report.requests(),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    assert!(took < BOUND, "{took:?}");
}

#[tokio::test]
async fn fifty_tower_routes_are_audited_well_under_a_second() {
    let paths = paths();
    let app = paths.iter().fold(Router::new(), |router, path| {
        router.route(
            path,
            get(|| async { "item" })
                .put(|| async { "updated" })
                .layer(CorsLayer::new(&FRONT_END, [Method::GET, Method::PUT])),
        )
    });
    let app = app.layer(cors_credentials::tower::CrossOriginGuardLayer::new().trust(&FRONT_END));
    let audit = audit(&paths);
    // The fastest of three runs: the machine's other work is not the audit's cost.
    let mut took = Duration::MAX;
    let mut report = None;
    for _ in 0..3 {
        let start = Instant::now();
        report = Some(audit.audit_tower(app.clone(), &[]).await);
        took = took.min(start.elapsed());
    }
    let report = report.unwrap();
    report.assert_clean();
    assert_eq!(report.paths().len(), ROUTES);
    println!(
        "tower (axum), {ROUTES} routes: {} requests in {took:?} ({} build)",
        report.requests(),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    assert!(took < BOUND, "{took:?}");
}
