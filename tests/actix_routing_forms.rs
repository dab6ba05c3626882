//! Every routing form the attribute goes above, and handlers registered by hand.

use actix_web::{
    delete, get, guard, head, http::Method, middleware, patch, route, routes, test, web, App,
    HttpRequest, HttpResponse, Responder,
};
use cors_credentials::cors_credentials;
use test_support::headers::*;

/// Documented handler: the docs stay on the generated service.
#[cors_credentials(origins = ["https://app.example.com"])]
#[actix_web::get("/qualified")]
async fn qualified() -> impl Responder {
    "qualified"
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[route("/multi", method = "GET", method = "POST", method = "PATCH")]
async fn multi() -> impl Responder {
    "multi"
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[routes]
#[get("/several")]
#[post("/several")]
#[put("/elsewhere/{id}")]
async fn several() -> impl Responder {
    "several"
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/named", name = "named_resource")]
async fn named(req: HttpRequest) -> impl Responder {
    req.url_for_static("named_resource")
        .unwrap()
        .path()
        .to_owned()
}

fn has_tenant(ctx: &guard::GuardContext<'_>) -> bool {
    ctx.head().headers().contains_key("x-tenant")
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/guarded", guard = "has_tenant")]
async fn guarded() -> impl Responder {
    "tenant"
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get(
    "/wrapped",
    wrap = "middleware::DefaultHeaders::new().add((\"x-wrapped\", \"yes\"))"
)]
async fn wrapped() -> impl Responder {
    "wrapped"
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/users/{id}/posts/{post}")]
async fn user_post(path: web::Path<(u32, String)>) -> impl Responder {
    let (id, post) = path.into_inner();
    format!("{id}:{post}")
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[head("/probe")]
async fn probe() -> impl Responder {
    HttpResponse::Ok()
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[delete("/scoped/{id}")]
async fn scoped_delete(id: web::Path<u32>) -> impl Responder {
    format!("deleted {id}")
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[patch("")]
async fn scope_root() -> impl Responder {
    "scope root"
}

/// Registered by hand: the attribute generates `by_hand::cors()`.
#[cors_credentials(origins = ["https://app.example.com"], methods = ["GET", "PUT"])]
async fn by_hand() -> impl Responder {
    "by hand"
}

macro_rules! app {
    () => {
        test::init_service(
            App::new()
                .service(qualified)
                .service(multi)
                .service(several)
                .service(named)
                .service(guarded)
                .service(wrapped)
                .service(user_post)
                .service(probe)
                .service(
                    web::scope("/api")
                        .service(scoped_delete)
                        .service(scope_root),
                )
                .service(
                    web::resource("/manual")
                        .wrap(by_hand::cors())
                        .route(web::get().to(by_hand))
                        .route(web::put().to(by_hand)),
                ),
        )
        .await
    };
}

fn request(method: Method, path: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(method)
        .uri(path)
        .insert_header(("origin", ALLOWED))
}

fn preflight(path: &str, method: &str) -> test::TestRequest {
    request(Method::OPTIONS, path).insert_header(("access-control-request-method", method))
}

/// Calls the app and asserts an allowed credentialed response with `status`; returns the body.
macro_rules! expect_allowed {
    ($app:expr, $req:expr, $status:expr) => {{
        let res = test::call_service($app, $req.to_request()).await;
        assert_eq!(res.status(), $status);
        assert_allowed(&res, ALLOWED);
        String::from_utf8(test::read_body(res).await.to_vec()).unwrap()
    }};
}

/// Asserts that `method` on `path` is allowed and answered `200` with `body`.
macro_rules! expect_body {
    ($app:expr, $method:expr, $path:expr, $body:expr) => {{
        let method: Method = $method;
        let body = expect_allowed!($app, request(method.clone(), $path), 200);
        assert_eq!(body, $body, "{method} {}", $path);
    }};
}

/// Sends a preflight asking for `method` on `path`, asserts its status and returns the response.
macro_rules! preflight_answer {
    ($app:expr, $path:expr, $method:expr, $status:expr) => {{
        let res = test::call_service($app, preflight($path, $method).to_request()).await;
        assert_eq!(res.status(), $status, "preflight {} {}", $method, $path);
        res
    }};
}

/// Asserts that a preflight asking for `method` on `path` is allowed, naming exactly `methods`.
macro_rules! expect_methods {
    ($app:expr, $path:expr, $method:expr, $methods:expr) => {{
        let res = preflight_answer!($app, $path, $method, 204);
        assert_eq!(one(&res, "access-control-allow-methods"), $methods);
    }};
}

#[actix_web::test]
async fn qualified_routing_attribute() {
    let app = app!();
    expect_body!(&app, Method::GET, "/qualified", "qualified");
    expect_allowed!(&app, preflight("/qualified", "GET"), 204);
}

#[actix_web::test]
async fn route_with_several_methods() {
    let app = app!();
    for method in [Method::GET, Method::POST, Method::PATCH] {
        expect_body!(&app, method, "/multi", "multi");
    }
    expect_methods!(&app, "/multi", "PATCH", "GET, POST, PATCH");
    preflight_answer!(&app, "/multi", "PUT", 404);
}

#[actix_web::test]
async fn routes_with_several_paths() {
    let app = app!();
    expect_allowed!(&app, request(Method::GET, "/several"), 200);
    expect_allowed!(&app, request(Method::POST, "/several"), 200);
    expect_allowed!(&app, request(Method::PUT, "/elsewhere/3"), 200);
    expect_methods!(&app, "/several", "POST", "GET, POST");
    expect_methods!(&app, "/elsewhere/3", "PUT", "PUT");
    // Each path answers for its own methods only.
    preflight_answer!(&app, "/elsewhere/3", "POST", 404);
}

#[actix_web::test]
async fn actix_name_guard_and_wrap_are_honoured() {
    let app = app!();
    expect_body!(&app, Method::GET, "/named", "/named");

    let res = test::call_service(&app, request(Method::GET, "/guarded").to_request()).await;
    assert_eq!(res.status(), 404, "the guard must still apply");
    let with_tenant = request(Method::GET, "/guarded").insert_header(("x-tenant", "t1"));
    assert_eq!(expect_allowed!(&app, with_tenant, 200), "tenant");

    let res = test::call_service(&app, request(Method::GET, "/wrapped").to_request()).await;
    assert_eq!(one(&res, "x-wrapped"), "yes");
    assert_allowed(&res, ALLOWED);
}

#[actix_web::test]
async fn path_parameters_and_head() {
    let app = app!();
    expect_body!(&app, Method::GET, "/users/7/posts/intro", "7:intro");
    expect_allowed!(&app, preflight("/users/7/posts/intro", "GET"), 204);
    expect_allowed!(&app, request(Method::HEAD, "/probe"), 200);
}

#[actix_web::test]
async fn inside_a_scope() {
    let app = app!();
    expect_body!(&app, Method::DELETE, "/api/scoped/5", "deleted 5");
    expect_methods!(&app, "/api/scoped/5", "DELETE", "DELETE");
    preflight_answer!(&app, "/scoped/5", "DELETE", 404);
    expect_allowed!(&app, request(Method::PATCH, "/api"), 200);
    expect_allowed!(&app, preflight("/api", "PATCH"), 204);
}

#[actix_web::test]
async fn handler_registered_by_hand() {
    let app = app!();
    expect_body!(&app, Method::GET, "/manual", "by hand");
    expect_allowed!(&app, request(Method::PUT, "/manual"), 200);
    expect_methods!(&app, "/manual", "PUT", "GET, PUT");
    let res = preflight_answer!(&app, "/manual", "DELETE", 403);
    assert_no_allow_headers(&res);
    let evil = test::TestRequest::get()
        .uri("/manual")
        .insert_header(("origin", EVIL));
    let res = test::call_service(&app, evil.to_request()).await;
    assert_eq!(res.status(), 403);
}

cors_credentials::policy! {
    /// Tenants named by the `{tenant}` segment, for a handler registered by hand.
    BY_HAND_TENANTS = { origins: per_tenant, tenant: path("tenant") }
}

/// Registered by hand under a per-tenant policy: it asks the policy which
/// tenant admitted the origin, and the extractor, which finds policies by
/// the preflight route only routed handlers have, answers none.
#[cors_credentials(policy = BY_HAND_TENANTS, methods = ["GET"])]
async fn tenant_by_hand(req: HttpRequest, extracted: Option<cors_credentials::Tenant>) -> String {
    let asked = BY_HAND_TENANTS.admitted_tenant(&req);
    format!(
        "{} {}",
        asked.map_or("none".to_owned(), |tenant| tenant.key().to_owned()),
        extracted.map_or("none".to_owned(), |tenant| tenant.key().to_owned())
    )
}

#[actix_web::test]
async fn a_handler_registered_by_hand_asks_its_per_tenant_policy_for_the_tenant() {
    BY_HAND_TENANTS
        .set_all_tenant_origins([("acme", [ALLOWED]), ("globex", ["https://globex.example"])])
        .unwrap();
    let app = test::init_service(
        App::new().service(
            web::resource("/t/{tenant}/me")
                .wrap(tenant_by_hand::cors())
                .route(web::get().to(tenant_by_hand)),
        ),
    )
    .await;
    let body = expect_allowed!(&app, request(Method::GET, "/t/acme/me"), 200);
    assert_eq!(body, "acme none");
    let res = test::call_service(&app, request(Method::GET, "/t/globex/me").to_request()).await;
    assert_eq!(res.status(), 403);
    let req = test::TestRequest::get().uri("/t/acme/me").to_request();
    let body = test::read_body(test::call_service(&app, req).await).await;
    assert_eq!(body, "none none");
}
