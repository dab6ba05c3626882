//! The preflight route registered next to an annotated handler.

use core::future::{ready, Ready};

use actix_web::{
    dev::{
        always_ready, AppService, ResourceDef, Service, ServiceFactory, ServiceRequest,
        ServiceResponse,
    },
    guard::{Guard, GuardContext},
    Error,
};

use super::{answer_preflight, tenant, RequestView};
use crate::{
    policy::{AllowedMethods, Methods, Policy},
    preflight::{self, Preflight},
    request::Request,
};

/// Registers the preflight route of a handler at `path`.
///
/// The route only matches a preflight asking for one of `methods`, so two
/// annotated handlers on one path (say `GET` and `POST` with different
/// policies) each answer the preflights for their own methods.
pub fn register(
    config: &mut AppService,
    path: &str,
    policy: &'static Policy,
    methods: &'static Methods,
) {
    crate::policy::load_or_panic(policy);
    // The same leading-slash rule as `actix_web::Resource`.
    let mut rdef = if !path.is_empty() && !path.starts_with('/') {
        ResourceDef::new(format!("/{path}"))
    } else {
        ResourceDef::new(path)
    };
    // How an app-wide `CrossOriginGuard` knows, before routing, that the
    // path's routes are annotated handlers' (the attribute registers this
    // route ahead of the handler's), and which: those at this path.
    rdef.set_name(crate::guard::route_marker(path));
    let guards: Vec<Box<dyn Guard>> = vec![Box::new(PreflightGuard(methods))];
    config.register_service(
        rdef,
        Some(guards),
        PreflightFactory { policy, methods },
        None,
    );
}

/// Matches preflights asking for one of the route's methods.
#[derive(Debug)]
struct PreflightGuard(&'static Methods);

impl Guard for PreflightGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        // The scheme plays no part in whether a request is a preflight.
        requested_method(&RequestView::new(ctx.head(), false))
            .is_some_and(|method| self.0.contains(method))
    }
}

/// The method a CORS preflight asks for, if the request is one: what the
/// preflight route's guard matches on.
fn requested_method<R: Request + ?Sized>(req: &R) -> Option<&[u8]> {
    preflight::requested(req).map(|preflight| preflight.method())
}

#[derive(Debug, Clone, Copy)]
struct PreflightFactory {
    policy: &'static Policy,
    methods: &'static Methods,
}

impl ServiceFactory<ServiceRequest> for PreflightFactory {
    type Response = ServiceResponse;
    type Error = Error;
    type Config = ();
    type Service = PreflightFactory;
    type InitError = ();
    type Future = Ready<Result<Self::Service, Self::InitError>>;

    fn new_service(&self, _: ()) -> Self::Future {
        ready(Ok(*self))
    }
}

impl Service<ServiceRequest> for PreflightFactory {
    type Response = ServiceResponse;
    type Error = Error;
    type Future = Ready<Result<ServiceResponse, Error>>;

    always_ready!();

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let head = RequestView::new(req.head(), req.app_config().secure());
        let tenant = tenant(self.policy, &head, req.match_info());
        let res = answer_preflight(
            self.policy,
            self.methods,
            &head,
            Preflight::read(&head),
            tenant,
        );
        ready(Ok(req.into_response(res)))
    }
}

/// Answers a preflight for a route serving `methods` under `policy`: `204`
/// with the CORS headers, or `403` with a short reason and none of them. A
/// per-tenant policy's tenant is the request's host (`tenant: host`); a
/// `tenant: path(..)` policy's refuses here, without a matched path. For
/// the project's tests and benchmarks, which answer a preflight without a
/// route.
#[cfg(any(test, feature = "test-hooks"))]
pub fn respond_preflight(
    policy: &Policy,
    methods: &Methods,
    head: &RequestView<'_>,
) -> actix_web::HttpResponse {
    let tenant = policy
        .tenant_source()
        .and_then(|source| crate::request::tenant_key(head, source, None));
    answer_preflight(policy, methods, head, Preflight::read(head), tenant)
}
