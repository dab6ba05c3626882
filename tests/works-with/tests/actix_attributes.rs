//! `#[cors_credentials]` with the other attributes most often found on an
//! actix-web handler, in both orders: actix-web-grants' `#[protect]` and a
//! routing attribute written with its path (`#[actix_web::get]`).
//! `#[tracing::instrument]` in every order is `tests/actix_other_attributes.rs` of
//! `cors-credentials-tests`; `#[utoipa::path]` is `tests/utoipa.rs` here.
//!
//! Below a routing attribute, bare or with its path, `#[cors_credentials]`
//! never sees the route: that order is a compile error
//! (`tests/ui/fail/qualified_routing_attribute_above_ours.rs` and
//! `below_routing_attribute.rs` of `cors-credentials-tests`).

use std::collections::HashSet;

mod common;

use actix_web::{dev::ServiceRequest, http::Method, test::init_service, App, Error, Responder};
use actix_web_grants::{protect, GrantsMiddleware};
use common::{ALLOWED, EVIL};
use cors_credentials::cors_credentials;

/// The caller's authorities: the comma-separated `x-roles` header.
async fn roles(req: &ServiceRequest) -> Result<HashSet<String>, Error> {
    Ok(req
        .headers()
        .get("x-roles")
        .and_then(|value| value.to_str().ok())
        .map(|roles| roles.split(',').map(str::to_owned).collect())
        .unwrap_or_default())
}

// `#[protect]` between ours and the routing attribute.
#[cors_credentials(origins = ["https://app.example.com"])]
#[protect("ADMIN")]
#[actix_web::post("/admin/below")]
async fn protect_below() -> impl Responder {
    "below"
}

// `#[protect]` above ours.
#[protect("ADMIN")]
#[cors_credentials(origins = ["https://app.example.com"])]
#[actix_web::delete("/admin/above")]
async fn protect_above() -> impl Responder {
    "above"
}

// `#[protect]` below the routing attribute.
#[cors_credentials(origins = ["https://app.example.com"])]
#[actix_web::put("/admin/under-route")]
#[protect("ADMIN")]
async fn protect_under_route() -> impl Responder {
    "under route"
}

// The routing attribute with its path and options, `#[protect]` with an
// expression over a path parameter.
#[cors_credentials(origins = ["https://app.example.com"], max_age = 60)]
#[protect(any("ADMIN", "EDITOR"), expr = "*id != 0")]
#[actix_web::get("/items/{id}", name = "item")]
async fn item(id: actix_web::web::Path<u32>) -> impl Responder {
    format!("item {id}")
}

struct Call {
    method: Method,
    path: &'static str,
    origin: &'static str,
    roles: &'static str,
    preflight: bool,
}

/// The status and `Access-Control-Allow-Origin` of one request.
async fn send<B>(app: &impl common::ActixApp<B>, call: Call) -> (u16, Option<String>) {
    let roles = [("x-roles", call.roles)];
    common::actix_send(
        app,
        call.method,
        call.path,
        call.origin,
        &roles,
        call.preflight,
    )
    .await
}

#[actix_web::test]
async fn protect_and_cors_credentials_in_every_order() {
    let app = init_service(
        App::new()
            .wrap(GrantsMiddleware::with_extractor(roles))
            .service(protect_below)
            .service(protect_above)
            .service(protect_under_route)
            .service(item),
    )
    .await;
    let allowed = || Some(ALLOWED.to_owned());
    for (method, path) in [
        (Method::POST, "/admin/below"),
        (Method::DELETE, "/admin/above"),
        (Method::PUT, "/admin/under-route"),
        (Method::GET, "/items/7"),
    ] {
        let call = |origin, roles, preflight| Call {
            method: method.clone(),
            path,
            origin,
            roles,
            preflight,
        };
        // Allowed origin and authority: the handler, with CORS headers.
        assert_eq!(
            send(&app, call(ALLOWED, "ADMIN", false)).await,
            (200, allowed()),
            "{method} {path}"
        );
        // Allowed origin, missing authority: actix-web-grants' 403, which a
        // credentialed page can read (it carries the CORS headers).
        assert_eq!(
            send(&app, call(ALLOWED, "USER", false)).await,
            (403, allowed()),
            "{method} {path} without the authority"
        );
        // Refused origin: our 403 even with the authority, no CORS headers.
        assert_eq!(
            send(&app, call(EVIL, "ADMIN", false)).await,
            (403, None),
            "{method} {path} from a refused origin"
        );
        // The preflight is answered without authorities (it carries no
        // credentials).
        assert_eq!(
            send(&app, call(ALLOWED, "", true)).await,
            (204, allowed()),
            "{method} {path} preflight"
        );
    }
    // The expression of `#[protect]` still sees the path parameter.
    let res = send(
        &app,
        Call {
            method: Method::GET,
            path: "/items/0",
            origin: ALLOWED,
            roles: "EDITOR",
            preflight: false,
        },
    )
    .await;
    assert_eq!(res, (403, allowed()));
}
