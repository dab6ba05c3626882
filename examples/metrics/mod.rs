//! Counting refusals for Prometheus, the recipe of `examples/metrics/`
//! (shared with `tests/example_metrics.rs`): one outer middleware reads the
//! [`Refused`] every refused response carries and counts it by reason, check
//! and route pattern. Never by `Origin`: any site picks its own, so a label
//! per origin would grow without bound.

use actix_web::{
    body::MessageBody,
    dev::{ServiceFactory, ServiceRequest, ServiceResponse},
    get,
    middleware::{from_fn, Next},
    post, web, App, Error, HttpResponse, Responder,
};
use cors_credentials::{cors_credentials, CrossOriginGuard, Refused};
use metrics_exporter_prometheus::PrometheusHandle;

/// The counter: `cors_refusals_total{reason, check, route}`.
pub const REFUSALS: &str = "cors_refusals_total";

/// The label of a refused request that matched no route.
pub const UNMATCHED: &str = "unmatched";

/// Counts each response that carries [`Refused`] in [`REFUSALS`], labelled
/// with [`Reason::as_str`](cors_credentials::Reason::as_str),
/// [`Check::as_str`](cors_credentials::Check::as_str) and the route's
/// pattern (`/api/orders/{id}`, never the path with its ids, never the
/// origin). Wrap it outside [`CrossOriginGuard`] to count the guard's
/// refusals too.
pub async fn count_refusals(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let res = next.call(req).await?;
    let refused = res.response().extensions().get::<Refused>().copied();
    if let Some(refused) = refused {
        // The pattern comes from the app's routes, so even a request the
        // guard refused before routing gets its route's label.
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| UNMATCHED.to_owned());
        ::metrics::counter!(
            REFUSALS,
            "reason" => refused.reason().as_str(),
            "check" => refused.check().as_str(),
            "route" => route,
        )
        .increment(1);
    }
    Ok(res)
}

/// The API's allowed front end.
pub const ALLOWED_ORIGIN: &str = "https://app.example.com";

#[cors_credentials(origins = ["https://app.example.com"], headers = ["content-type"])]
#[get("/api/orders/{id}")]
async fn order(id: web::Path<u32>) -> impl Responder {
    format!("{{\"id\":{id}}}")
}

#[cors_credentials(origins = ["https://app.example.com"], headers = ["content-type"])]
#[post("/api/orders")]
async fn create_order() -> impl Responder {
    HttpResponse::Created().body("{}")
}

/// An ordinary route, protected by the guard only.
#[post("/api/logout")]
async fn logout() -> impl Responder {
    HttpResponse::NoContent().finish()
}

/// The Prometheus text format of every metric the recorder holds.
#[get("/metrics")]
async fn render(handle: web::Data<PrometheusHandle>) -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(handle.render())
}

/// The example's app: the API behind [`CrossOriginGuard`], refusals counted
/// by [`count_refusals`], and `/metrics` rendered from `handle` (the handle
/// of the recorder the counters go to).
pub fn app(
    handle: PrometheusHandle,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(web::Data::new(handle))
        .wrap(CrossOriginGuard::new())
        .wrap(from_fn(count_refusals))
        .service(order)
        .service(create_order)
        .service(logout)
        .service(render)
}

#[cfg(test)]
mod tests {
    use actix_web::test;
    use cors_credentials::{
        inventory,
        testing::{Audit, FindingKind},
    };
    use metrics_exporter_prometheus::PrometheusBuilder;

    use super::{app, ALLOWED_ORIGIN};

    /// The metrics app audits clean but for `/api/logout`, an unannotated
    /// `POST` no policy allows the front end on: a guard that trusts every
    /// annotated route's origins app-wide lets the front end post to it, a
    /// guard of least privilege does not. The audit must agree with the
    /// guard it finds.
    #[actix_web::test]
    async fn the_app_audits_clean_where_its_guard_is_least_privilege() {
        let recorder = PrometheusBuilder::new().build_recorder();
        let app = test::init_service(app(recorder.handle())).await;
        let report = Audit::new()
            .inventory(
                inventory().filter(|route| route.module() == "cors_credentials_examples::metrics"),
            )
            .audit_actix(&app, &["/api/logout", "/metrics"])
            .await;
        let logout = test::TestRequest::post()
            .uri("/api/logout")
            .insert_header(("origin", ALLOWED_ORIGIN))
            .insert_header(("sec-fetch-site", "cross-site"))
            .to_request();
        let guard_trusts_it_app_wide = test::call_service(&app, logout).await.status().is_success();
        if guard_trusts_it_app_wide {
            assert_eq!(report.findings().len(), 1, "{report}");
            let finding = &report.findings()[0];
            assert_eq!(finding.path(), "/api/logout", "{report}");
            assert_eq!(finding.kind(), FindingKind::UnsafeRequestServed, "{report}");
            assert!(
                finding
                    .request()
                    .contains(&format!("origin: {ALLOWED_ORIGIN}")),
                "{report}"
            );
        } else {
            report.assert_clean();
        }
        assert!(report.not_served().is_empty(), "{report}");
    }
}
