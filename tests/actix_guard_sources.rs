//! The actix-web `CrossOriginGuard` and the origins an environment list and
//! a dynamic set give at run time: admitted on their own route, trusted
//! app-wide only when given to `trust`; and how the guard finds a route's
//! policy (by the resource's name, under a scope, never by a namesake, every
//! annotated handler of a path for its own methods). Rules
//! 12–26 themselves are `tests/behaviour/guard.rs`.

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{
    body::{self, MessageBody},
    dev::ServiceResponse,
    http::Method,
    post, test, web, App, Responder,
};
use cors_credentials::{cors_credentials, policy, CrossOriginGuard};
use test_support::headers::*;

/// How many times a handler ran, in the app of one test.
type Runs = web::Data<AtomicUsize>;

async fn transfer(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "transferred"
}

policy! {
    /// Used by `environment_lists_are_trusted_once_loaded` only.
    FROM_ENV = { origins: env("CORS_GUARD_TEST_ORIGINS") };

    /// Used by `dynamic_sets_are_trusted_as_last_set` only.
    TENANTS = { origins: dynamic };

    /// Used by `dynamic_sets_are_admitted_on_their_route_only` only.
    CUSTOMERS = { origins: dynamic };
}

#[cors_credentials(policy = FROM_ENV)]
#[post("/env/action")]
async fn env_action() -> impl Responder {
    "done"
}

#[cors_credentials(policy = TENANTS)]
#[post("/tenant/action")]
async fn tenant_action() -> impl Responder {
    "done"
}

#[cors_credentials(policy = CUSTOMERS)]
#[post("/customer/action")]
async fn customer_action(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "done"
}

#[cors_credentials(origins = ["https://app.example.com"], on_disallowed = "pass")]
#[post("/reports/{id}")]
async fn report(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "reported"
}

// One resource, three handlers: `GET` and `PUT` each under its own
// attribute (the usual REST layout), `DELETE` under none.
#[cors_credentials(origins = ["https://app.example.com"])]
#[actix_web::get("/items/{id}")]
async fn read_item(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "item"
}

#[cors_credentials(origins = ["https://app.example.com"], headers = ["content-type"])]
#[actix_web::put("/items/{id}")]
async fn replace_item(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "replaced"
}

const OWN_HOST: &str = "api.example.com";

fn request(method: Method, path: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(method)
        .uri(path)
        .insert_header(("host", OWN_HOST))
}

/// A cross-site request from `origin`, as a browser sends it.
fn cross_site(method: Method, path: &str, origin: &str) -> test::TestRequest {
    request(method, path)
        .insert_header(("origin", origin))
        .insert_header(("sec-fetch-site", "cross-site"))
}

/// Asserts the guard's refusal: `403`, the reason, `Vary: Origin`, no CORS
/// header.
async fn assert_refused<B: MessageBody>(res: ServiceResponse<B>) {
    assert_eq!(res.status(), 403);
    assert_eq!(one(&res, "content-type"), "text/plain; charset=utf-8");
    assert_eq!(vary(&res), ["origin"]);
    assert_no_allow_headers(&res);
    let body = body::to_bytes(res.into_body()).await.ok().unwrap();
    assert_eq!(body, "cross-origin request refused: origin not trusted\n");
}

#[actix_web::test]
async fn environment_lists_are_trusted_once_loaded() {
    // SAFETY of the test: this variable is read by this test only.
    std::env::set_var("CORS_GUARD_TEST_ORIGINS", "https://env.example.com");
    let runs = Runs::default();
    // Registering the route loads the list, as in any app.
    const GUARD: CrossOriginGuard = CrossOriginGuard::new().trust(&FROM_ENV);
    let app = test::init_service(
        App::new()
            .wrap(GUARD)
            .app_data(runs.clone())
            .service(env_action)
            .route("/transfer", web::post().to(transfer)),
    )
    .await;
    let req = cross_site(Method::POST, "/transfer", "https://env.example.com");
    assert_eq!(
        test::call_service(&app, req.to_request()).await.status(),
        200
    );
    let req = cross_site(Method::POST, "/transfer", "https://other.example.com");
    assert_refused(test::call_service(&app, req.to_request()).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[actix_web::test]
async fn dynamic_sets_are_trusted_as_last_set() {
    let runs = Runs::default();
    const GUARD: CrossOriginGuard = CrossOriginGuard::new().trust(&TENANTS);
    let app = test::init_service(
        App::new()
            .wrap(GUARD)
            .app_data(runs.clone())
            .service(tenant_action)
            .route("/transfer", web::post().to(transfer)),
    )
    .await;
    let from = |origin| cross_site(Method::POST, "/transfer", origin).to_request();
    // Not set yet: trusts nothing.
    assert_refused(test::call_service(&app, from("https://acme.example.com")).await).await;
    TENANTS.set_origins(["https://acme.example.com"]).unwrap();
    assert_eq!(
        test::call_service(&app, from("https://acme.example.com"))
            .await
            .status(),
        200
    );
    // Replaced: the old origin is no longer trusted, the new one is.
    TENANTS.set_origins(["https://globex.example.com"]).unwrap();
    assert_refused(test::call_service(&app, from("https://acme.example.com")).await).await;
    assert_eq!(
        test::call_service(&app, from("https://globex.example.com"))
            .await
            .status(),
        200
    );
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

/// A customer's front end may write its own route, under a scope too, and
/// nothing else: the multi-tenant case of the README.
#[actix_web::test]
async fn dynamic_sets_are_admitted_on_their_route_only() {
    CUSTOMERS
        .set_origins(["https://shop.customer.example"])
        .unwrap();
    let runs = Runs::default();
    let app = test::init_service(
        App::new()
            .wrap(CrossOriginGuard::new())
            .app_data(runs.clone())
            .service(web::scope("/v1").service(customer_action))
            .route("/transfer", web::post().to(transfer))
            .route("/account/close", web::delete().to(transfer)),
    )
    .await;
    let customer = "https://shop.customer.example";
    let req = cross_site(Method::POST, "/v1/customer/action", customer);
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(one(&res, "access-control-allow-origin"), customer);
    for (method, path) in [
        (Method::POST, "/transfer"),
        (Method::DELETE, "/account/close"),
    ] {
        let req = cross_site(method, path, customer);
        assert_refused(test::call_service(&app, req.to_request()).await).await;
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// A route's name is how the guard finds its policy; an unannotated
/// resource of the same name elsewhere is not the route, and a resource
/// named otherwise is not annotated.
#[actix_web::test]
async fn namesakes_are_not_the_route() {
    let runs = Runs::default();
    let app = test::init_service(
        App::new()
            .wrap(CrossOriginGuard::new())
            .app_data(runs.clone())
            .service(report)
            .service(
                web::resource("/admin/delete")
                    .name("report")
                    .route(web::post().to(transfer)),
            ),
    )
    .await;
    let allowed = "https://app.example.com";
    // The pass route: its own origin runs it, another stops at the guard.
    let req = cross_site(Method::POST, "/reports/7", allowed);
    assert_eq!(
        test::call_service(&app, req.to_request()).await.status(),
        200
    );
    let req = cross_site(Method::POST, "/reports/7", "https://evil.example.net");
    assert_refused(test::call_service(&app, req.to_request()).await).await;
    // The namesake at another path is not admitted.
    let req = cross_site(Method::POST, "/admin/delete", allowed);
    assert_refused(test::call_service(&app, req.to_request()).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// Several annotated handlers on one path each admit their own methods, from
/// their own origins: the guard asks every annotated handler at the path,
/// not only the first registered. A method no annotated handler serves (the
/// unannotated `DELETE`) is refused.
#[actix_web::test]
async fn every_annotated_handler_of_a_path_admits_its_own_methods() {
    let runs = Runs::default();
    let app = test::init_service(
        App::new()
            .wrap(CrossOriginGuard::new())
            .app_data(runs.clone())
            .service(read_item)
            .service(replace_item)
            .route("/items/{id}", web::delete().to(transfer)),
    )
    .await;
    let allowed = "https://app.example.com";
    let req = cross_site(Method::PUT, "/items/7", allowed);
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(one(&res, "access-control-allow-origin"), allowed);
    // Another origin passes the guard to the route, which refuses it itself.
    let req = cross_site(Method::PUT, "/items/7", "https://evil.example.net");
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), 403);
    assert_no_allow_headers(&res);
    let req = cross_site(Method::DELETE, "/items/7", allowed);
    assert_refused(test::call_service(&app, req.to_request()).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// The documented edge of finding routes by the path written in their
/// attributes (`docs/guard.md`, edge readings). `/admin/items/{id}` has an
/// annotated `GET` (its preflight route is what the path matches first) and
/// an unannotated `PUT`; `/shop/items/{id}` has an annotated `PUT`. The
/// guard asks the annotated handlers written `/items/{id}`, finds the shop's
/// `PUT`, and lets a cross-origin `PUT /admin/items/7` through to routing,
/// where the unannotated handler runs. A path matched first by no annotated
/// handler's route is refused. When this edge is closed, this test changes
/// on purpose.
#[actix_web::test]
async fn one_written_path_in_two_scopes_shares_the_finding() {
    let runs = Runs::default();
    let app = test::init_service(
        App::new()
            .wrap(CrossOriginGuard::new())
            .app_data(runs.clone())
            .service(
                web::scope("/admin")
                    .service(read_item)
                    .route("/items/{id}", web::put().to(transfer)),
            )
            .service(web::scope("/shop").service(replace_item))
            .route("/other/{id}", web::put().to(transfer)),
    )
    .await;
    let origin = "https://evil.example.net";
    let req = cross_site(Method::PUT, "/admin/items/7", origin);
    assert_eq!(
        test::call_service(&app, req.to_request()).await.status(),
        200
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    let req = cross_site(Method::PUT, "/other/7", origin);
    assert_refused(test::call_service(&app, req.to_request()).await).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// Report-only: served, reported, and `check` gives the decision without
/// the middleware.
#[actix_web::test]
async fn check_decides_without_the_middleware() {
    const GUARD: CrossOriginGuard = CrossOriginGuard::new();
    let req = cross_site(Method::POST, "/transfer", "https://evil.example.net").to_http_request();
    let refused = GUARD.check(&req).unwrap_err();
    assert_eq!(
        refused.reason(),
        cors_credentials::Reason::CrossOriginUnsafe
    );
    assert!(refused.enforced());
    let req = request(Method::POST, "/transfer")
        .insert_header(("sec-fetch-site", "same-origin"))
        .to_http_request();
    assert_eq!(GUARD.check(&req), Ok(()));
}

policy! {
    /// Used by `a_pass_mode_per_tenant_route_admits_its_hosts_tenant_only`
    /// only: the tenant is the request's host, and a refused origin still
    /// reaches the handler.
    HOST_TENANTS = { origins: per_tenant, tenant: host, on_disallowed: "pass" };
}

#[cors_credentials(policy = HOST_TENANTS)]
#[post("/hosts/action")]
async fn host_tenant_action(runs: Runs) -> impl Responder {
    runs.fetch_add(1, Ordering::SeqCst);
    "acted"
}

/// An `on_disallowed = "pass"` route runs for any origin its middleware
/// refuses, so the guard lets through only the origins its policy allows:
/// for a per-tenant policy by host, those of the tenant the host names.
#[actix_web::test]
async fn a_pass_mode_per_tenant_route_admits_its_hosts_tenant_only() {
    HOST_TENANTS
        .set_all_tenant_origins([
            (OWN_HOST, ["https://app.acme.example"]),
            ("globex.api.example", ["https://app.globex.example"]),
        ])
        .unwrap();
    let runs = Runs::default();
    let app = test::init_service(
        App::new()
            .wrap(CrossOriginGuard::new())
            .app_data(runs.clone())
            .service(host_tenant_action),
    )
    .await;
    let req = cross_site(Method::POST, "/hosts/action", "https://app.acme.example");
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        one(&res, "access-control-allow-origin"),
        "https://app.acme.example"
    );
    // Another tenant's origin, and an origin of no tenant: refused by the
    // guard before the pass-mode route could run.
    for origin in ["https://app.globex.example", "https://evil.example"] {
        let req = cross_site(Method::POST, "/hosts/action", origin);
        assert_refused(test::call_service(&app, req.to_request()).await).await;
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}
