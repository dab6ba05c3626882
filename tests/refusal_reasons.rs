//! Every response the crate refuses carries `cors_credentials::Refused` in its
//! extensions, with the reason and the check that refused it; the responses
//! of handlers that ran carry none.

use actix_web::{
    body::MessageBody,
    dev::{Service, ServiceResponse},
    http::{header::HeaderValue, Method},
    post, put, test, web, App, Responder,
};
use cors_credentials::{cors_credentials, Check, CrossOriginGuard, Reason, Refused};

#[cors_credentials(origins = ["https://app.example.com"], headers = ["content-type"])]
#[put("/items")]
async fn update() -> impl Responder {
    "updated"
}

cors_credentials::policy! {
    /// Origins given at run time, never given in this test.
    NOT_SET = { origins: dynamic }
}

#[cors_credentials(policy = NOT_SET)]
#[put("/tenants")]
async fn tenants() -> impl Responder {
    "tenants"
}

#[cors_credentials(origins = ["https://app.example.com"], methods = ["GET"])]
async fn by_hand() -> impl Responder {
    "by hand"
}

#[post("/form")]
async fn form() -> impl Responder {
    "posted"
}

const ALLOWED: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";

async fn app() -> impl Service<
    actix_http::Request,
    Response = ServiceResponse<impl MessageBody>,
    Error = actix_web::Error,
> {
    test::init_service(
        App::new()
            .wrap(CrossOriginGuard::new())
            .service(update)
            .service(tenants)
            .service(form)
            .service(
                web::resource("/by-hand")
                    .wrap(by_hand::cors())
                    .route(web::get().to(by_hand)),
            ),
    )
    .await
}

fn preflight(path: &str, origin: &str, method: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri(path)
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", method))
}

/// The `Refused` of the response to `req`, and its status.
async fn refused(req: test::TestRequest) -> (u16, Option<Refused>) {
    let app = app().await;
    let res = test::call_service(&app, req.to_request()).await;
    let refused = res.response().extensions().get::<Refused>().copied();
    (res.status().as_u16(), refused)
}

async fn assert_refused(req: test::TestRequest, reason: Reason, check: Check) {
    let (status, refused) = refused(req).await;
    assert_eq!(status, 403);
    let refused = refused.expect("a refused response carries `Refused`");
    assert_eq!((refused.reason(), refused.check()), (reason, check));
}

#[actix_web::test]
async fn an_actual_request_from_another_origin() {
    // A safe method: the guard lets it reach the route.
    let req = test::TestRequest::get()
        .uri("/by-hand")
        .insert_header(("origin", EVIL));
    assert_refused(req, Reason::OriginNotAllowed, Check::Request).await;
}

#[actix_web::test]
async fn an_actual_request_with_two_origins() {
    let req = test::TestRequest::get()
        .uri("/by-hand")
        .append_header(("origin", ALLOWED))
        .append_header(("origin", ALLOWED));
    assert_refused(req, Reason::MultipleOrigins, Check::Request).await;
}

#[actix_web::test]
async fn a_dynamic_policy_not_set_yet() {
    // The guard trusts the origin (`update` allows it): the route decides.
    let req = test::TestRequest::put()
        .uri("/tenants")
        .insert_header(("origin", ALLOWED));
    assert_refused(req, Reason::OriginsNotSet, Check::Request).await;
}

#[actix_web::test]
async fn a_preflight_from_another_origin() {
    let req = preflight("/items", EVIL, "PUT");
    assert_refused(req, Reason::OriginNotAllowed, Check::Preflight).await;
}

#[actix_web::test]
async fn a_preflight_before_the_origins_are_set() {
    let req = preflight("/tenants", ALLOWED, "PUT");
    assert_refused(req, Reason::OriginsNotSet, Check::Preflight).await;
}

#[actix_web::test]
async fn a_preflight_for_a_method_not_served() {
    let req = preflight("/by-hand", ALLOWED, "DELETE");
    assert_refused(req, Reason::MethodNotAllowed, Check::Preflight).await;
}

#[actix_web::test]
async fn a_preflight_for_a_header_not_allowed() {
    let req = preflight("/items", ALLOWED, "PUT")
        .insert_header(("access-control-request-headers", "content-type,x-debug"));
    assert_refused(req, Reason::HeaderNotAllowed, Check::Preflight).await;
}

#[actix_web::test]
async fn a_preflight_with_malformed_request_headers() {
    let req = preflight("/items", ALLOWED, "PUT")
        .insert_header(("access-control-request-headers", "content type"));
    assert_refused(req, Reason::MalformedRequestHeaders, Check::Preflight).await;
}

#[actix_web::test]
async fn a_preflight_with_too_many_request_headers() {
    let long = "x".repeat(cors_credentials::MAX_REQUEST_HEADERS_LEN + 1);
    let req = preflight("/items", ALLOWED, "PUT").insert_header((
        "access-control-request-headers",
        HeaderValue::from_str(&long).unwrap(),
    ));
    assert_refused(req, Reason::RequestHeadersTooLarge, Check::Preflight).await;
}

#[actix_web::test]
async fn a_cross_origin_form_post_the_guard_refuses() {
    let req = test::TestRequest::post()
        .uri("/form")
        .insert_header(("origin", EVIL))
        .insert_header(("sec-fetch-site", "cross-site"));
    assert_refused(req, Reason::CrossOriginUnsafe, Check::Guard).await;
}

#[actix_web::test]
async fn an_unsafe_request_with_two_origins_the_guard_refuses() {
    let req = test::TestRequest::post()
        .uri("/form")
        .append_header(("origin", ALLOWED))
        .append_header(("origin", EVIL));
    assert_refused(req, Reason::MultipleOrigins, Check::Guard).await;
}

#[actix_web::test]
async fn responses_of_handlers_that_ran_carry_none() {
    let allowed = test::TestRequest::put()
        .uri("/items")
        .insert_header(("origin", ALLOWED));
    assert_eq!(refused(allowed).await, (200, None));
    let answered = preflight("/items", ALLOWED, "PUT");
    assert_eq!(refused(answered).await, (204, None));
    let same_origin = test::TestRequest::post().uri("/form");
    assert_eq!(refused(same_origin).await, (200, None));
}

// Not `actix_web::test`, which the file imports as `test`.
mod labels {
    use cors_credentials::{Check, Reason};

    #[test]
    fn labels_are_distinct_and_documented_in_one_table() {
        let docs = include_str!("../cors-credentials/docs/crate.md");
        let mut labels: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
        for reason in Reason::ALL {
            assert_eq!(reason.to_string(), reason.as_str());
            assert!(
                docs.contains(&format!("| `{reason}` |")),
                "`{reason}` is missing from the table in docs/crate.md"
            );
        }
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), Reason::ALL.len());
        for check in [Check::Request, Check::Preflight, Check::Guard] {
            assert!(docs.contains(&format!("`{check}`")), "{check}");
        }
    }
}
