//! `#[cors_credentials]` with utoipa's `#[utoipa::path]` on the same actix-web
//! handler, in both orders: the OpenAPI document lists every handler (utoipa's
//! `__path_<handler>` is found by `#[derive(OpenApi)]`, and by
//! `utoipa_actix_web`'s `service`), and each handler keeps its CORS policy.

mod common;

use actix_web::{get, http::Method, post, test::init_service, App, Responder};
use common::{ALLOWED, EVIL};
use cors_credentials::{cors_credentials, policy};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

policy! {
    /// The handlers of this test.
    API = { origins: ["https://app.example.com"] };
}

// `#[utoipa::path]` above ours.
#[utoipa::path(get, path = "/api/me", responses((status = 200, description = "me")))]
#[cors_credentials(policy = API)]
#[get("/api/me")]
async fn me() -> impl Responder {
    "me"
}

// `#[utoipa::path]` below ours, as the issue wrote it.
#[cors_credentials(policy = API)]
#[utoipa::path(post, path = "/api/items", responses((status = 200, description = "items")))]
#[post("/api/items")]
async fn items() -> impl Responder {
    "items"
}

// Below ours, with the path and method read from the routing attribute
// (utoipa's `actix_extras`), and a doc comment that becomes the summary.
/// Lists the orders.
#[cors_credentials(policy = API)]
#[utoipa::path(responses((status = 200, description = "orders")))]
#[get("/api/orders")]
async fn orders() -> impl Responder {
    "orders"
}

#[derive(OpenApi)]
#[openapi(paths(me, items, orders))]
struct ApiDoc;

fn paths(api: &utoipa::openapi::OpenApi) -> Vec<String> {
    let mut paths: Vec<String> = api.paths.paths.keys().cloned().collect();
    paths.sort();
    paths
}

#[test]
fn derive_openapi_lists_handlers_in_both_orders() {
    let api = ApiDoc::openapi();
    assert_eq!(paths(&api), ["/api/items", "/api/me", "/api/orders"]);
    assert!(api.paths.paths["/api/items"].post.is_some());
    assert!(api.paths.paths["/api/me"].get.is_some());
    let operation = api.paths.paths["/api/orders"].get.as_ref().unwrap();
    assert_eq!(operation.summary.as_deref(), Some("Lists the orders."));
}

async fn assert_cors<B>(app: &impl common::ActixApp<B>, method: Method, path: &str) {
    let allowed = Some(ALLOWED.to_owned());
    assert_eq!(
        common::actix_send(app, method.clone(), path, ALLOWED, &[], false).await,
        (200, allowed.clone()),
        "{method} {path}"
    );
    assert_eq!(
        common::actix_send(app, method.clone(), path, EVIL, &[], false).await,
        (403, None),
        "{method} {path} refused"
    );
    assert_eq!(
        common::actix_send(app, method.clone(), path, ALLOWED, &[], true).await,
        (204, allowed),
        "{method} {path} preflight"
    );
}

#[actix_web::test]
async fn each_handler_keeps_its_policy() {
    let app = init_service(App::new().service(me).service(items).service(orders)).await;
    assert_cors(&app, Method::GET, "/api/me").await;
    assert_cors(&app, Method::POST, "/api/items").await;
    assert_cors(&app, Method::GET, "/api/orders").await;
}

#[actix_web::test]
async fn utoipa_actix_web_collects_handlers_in_both_orders() {
    let (app, api) = App::new()
        .into_utoipa_app()
        .service(me)
        .service(items)
        .service(orders)
        .split_for_parts();
    assert_eq!(paths(&api), ["/api/items", "/api/me", "/api/orders"]);
    let app = init_service(app).await;
    assert_cors(&app, Method::GET, "/api/me").await;
    assert_cors(&app, Method::POST, "/api/items").await;
    assert_cors(&app, Method::GET, "/api/orders").await;
}
