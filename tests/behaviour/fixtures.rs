//! The apps the scenarios run against, one per fixture name and adapter;
//! each counts the runs of its counted handlers in a counter of its own.

use std::sync::{atomic::Ordering, Arc};

use cors_credentials::{policy, tower::CrossOriginGuardLayer, CrossOriginGuard};
use test_support::driver::{Actix, Runs, Tower};

policy! {
    /// Trusted by the guard of one fixture, allowed by no route.
    IDENTITY_PROVIDER = { origins: ["https://login.idp.example.org"] };
}

/// The actix-web app of `fixture`.
pub async fn actix(fixture: &'static str) -> Actix {
    let runs = Runs::default();
    match fixture {
        "route" => Actix::new(
            actix_web::test::init_service(actix::route(&runs)).await,
            runs,
        ),
        "guard" => actix::with_guard(CrossOriginGuard::new(), runs).await,
        "guard trusting the identity provider" => {
            const TRUSTING: CrossOriginGuard = CrossOriginGuard::new().trust(&IDENTITY_PROVIDER);
            actix::with_guard(TRUSTING, runs).await
        }
        "guard exempting callbacks" => {
            const EXEMPTING: CrossOriginGuard =
                CrossOriginGuard::new().exempt(&["/oauth/callback", "/hooks/*"]);
            actix::with_guard(EXEMPTING, runs).await
        }
        "guard reporting only" => {
            const REPORTING: CrossOriginGuard = CrossOriginGuard::new().report_only();
            actix::with_guard(REPORTING, runs).await
        }
        "guard served over https" => {
            const HTTPS: CrossOriginGuard = CrossOriginGuard::new().https();
            actix::with_guard(HTTPS, runs).await
        }
        "guard with its own refusal" => {
            const REFUSING: CrossOriginGuard = CrossOriginGuard::new().refuse_with(|refused| {
                actix_web::HttpResponse::BadRequest().body(refused.reason().as_str())
            });
            actix::with_guard(REFUSING, runs).await
        }
        "guard around a plain route" => actix::plain(runs).await,
        "refusals" => actix::refusals(runs).await,
        "patterns" => actix::patterns(runs).await,
        "cookies" => actix::cookies(runs).await,
        "tenants" => actix::per_tenant(runs).await,
        #[cfg(feature = "tracing")]
        "tracing" => actix::tracing(runs).await,
        other => panic!("no actix-web fixture {other:?}"),
    }
}

/// The axum router of `fixture`.
pub async fn tower(fixture: &'static str) -> Tower {
    let runs = Runs::default();
    let router = match fixture {
        "route" => tower::route(&runs),
        "guard" => tower::with_guard(CrossOriginGuardLayer::new(), &runs),
        "guard trusting the identity provider" => {
            const TRUSTING: CrossOriginGuardLayer =
                CrossOriginGuardLayer::new().trust(&IDENTITY_PROVIDER);
            tower::with_guard(TRUSTING, &runs)
        }
        "guard exempting callbacks" => {
            const EXEMPTING: CrossOriginGuardLayer =
                CrossOriginGuardLayer::new().exempt(&["/oauth/callback", "/hooks/*"]);
            tower::with_guard(EXEMPTING, &runs)
        }
        "guard reporting only" => {
            const REPORTING: CrossOriginGuardLayer = CrossOriginGuardLayer::new().report_only();
            tower::with_guard(REPORTING, &runs)
        }
        "guard served over https" => {
            const HTTPS: CrossOriginGuardLayer = CrossOriginGuardLayer::new().https();
            tower::with_guard(HTTPS, &runs)
        }
        "guard with its own refusal" => {
            const REFUSING: CrossOriginGuardLayer =
                CrossOriginGuardLayer::new().refuse_with(|refused| {
                    let mut res = http::Response::new(refused.reason().as_str());
                    *res.status_mut() = http::StatusCode::BAD_REQUEST;
                    res
                });
            tower::with_guard(REFUSING, &runs)
        }
        "guard around a plain route" => tower::plain(),
        "refusals" => tower::refusals(),
        "patterns" => tower::patterns(),
        "cookies" => tower::cookies(),
        "tenants" => tower::tenants(&runs),
        #[cfg(feature = "tracing")]
        "tracing" => tower::tracing(),
        other => panic!("no axum fixture {other:?}"),
    };
    Tower { router, runs }
}

/// The `Set-Cookie` lines of `GET /cookies/{prefix}`, one per case of the
/// cookie diagnostics, each cookie's name starting with `prefix`: no
/// `SameSite`, `Lax`, `Strict; Secure`, `None` without `Secure`, `None;
/// Secure`, `None; Secure; Partitioned`, and one that deletes a cookie.
pub fn cookie_lines(prefix: &str) -> [String; 7] {
    [
        format!("{prefix}-plain=v1; Path=/; HttpOnly"),
        format!("{prefix}-lax=v2; SameSite=Lax"),
        format!("{prefix}-strict=v3; SameSite=Strict; Secure"),
        format!("{prefix}-none=v4; SameSite=None"),
        format!("{prefix}-ok=v5; SameSite=None; Secure"),
        format!("{prefix}-chips=v6; SameSite=None; Secure; Partitioned"),
        format!("{prefix}-gone=; Max-Age=0"),
    ]
}

/// The tenants of the fixture `tenants`, set by each adapter's fixture on
/// its own policies: `acme` and `globex` by path, `acme.api.example` by
/// host; `initech` is never set. Every fixture sets the same, so the
/// policies hold the same tenants whichever test builds its app first.
fn set_tenants(
    by_path: &'static cors_credentials::Policy,
    by_host: &'static cors_credentials::Policy,
) {
    by_path
        .set_all_tenant_origins([
            (
                "acme",
                vec!["https://app.acme.example", "https://*.acme.example"],
            ),
            ("globex", vec!["https://globex.example"]),
        ])
        .unwrap();
    by_host
        .set_all_tenant_origins([("acme.api.example", ["https://app.acme.example"])])
        .unwrap();
}

fn count(runs: &Runs) {
    runs.fetch_add(1, Ordering::SeqCst);
}

mod actix {
    use actix_web::{
        body::MessageBody,
        delete,
        dev::{ServiceFactory, ServiceRequest, ServiceResponse},
        error, get, patch, post, put, test, web, App, Error, HttpResponse, Responder,
    };
    use cors_credentials::{cors_credentials, CrossOriginGuard};
    use serde::Deserialize;
    use test_support::driver::Actix;

    use super::{count, Arc, Runs};

    type Count = web::Data<std::sync::atomic::AtomicUsize>;

    /// Rules 1–11: every route of `route`.
    pub fn route(
        runs: &Runs,
    ) -> App<
        impl ServiceFactory<
            ServiceRequest,
            Response = ServiceResponse<impl MessageBody>,
            Config = (),
            InitError = (),
            Error = Error,
        >,
    > {
        App::new()
            .app_data(Count::from(Arc::clone(runs)))
            .service(me)
            .service(lenient)
            .service(json)
            .service(user)
            .service(fails)
            .service(crash)
            .service(sets_headers)
            .service(guarded)
            .service(update)
            .service(any_headers)
            .service(patch_it)
            .service(shared_get)
            .service(shared_post)
    }

    /// The guard around an unannotated `/transfer` (any method, and `POST`
    /// under `/hooks/..` and `/oauth/callback`) and the annotated `/profile`
    /// and `/partners/report`.
    pub async fn with_guard(guard: CrossOriginGuard, runs: Runs) -> Actix {
        let app = App::new()
            .wrap(guard)
            .app_data(Count::from(Arc::clone(&runs)))
            .service(profile)
            .service(partner_report)
            .route("/transfer", web::to(transfer))
            .route("/hooks/{name}", web::post().to(transfer))
            .route("/oauth/callback", web::post().to(transfer));
        Actix::new(test::init_service(app).await, runs)
    }

    /// One route for each refusal: `PUT /items` (`content-type`), `PUT
    /// /tenants` (origins never set), `GET /reads` (the middleware form),
    /// behind the guard with an unannotated `POST /form`.
    pub async fn refusals(runs: Runs) -> Actix {
        let app = App::new()
            .wrap(CrossOriginGuard::new())
            .service(items)
            .service(tenants)
            .route("/form", web::post().to(|| async { "posted" }))
            .service(
                web::resource("/reads")
                    .wrap(reads::cors())
                    .route(web::get().to(reads)),
            );
        Actix::new(test::init_service(app).await, runs)
    }

    #[cors_credentials(origins = ["https://app.example.com"], headers = ["content-type"])]
    #[put("/items")]
    async fn items() -> impl Responder {
        "updated"
    }

    cors_credentials::policy! {
        /// Origins given at run time, never given.
        NOT_SET = { origins: dynamic }
    }

    #[cors_credentials(policy = NOT_SET)]
    #[put("/tenants")]
    async fn tenants() -> impl Responder {
        "tenants"
    }

    #[cors_credentials(origins = ["https://app.example.com"], methods = ["GET"])]
    async fn reads() -> impl Responder {
        "read"
    }

    cors_credentials::policy! {
        /// The tenant is the `{tenant}` segment of the path.
        BY_PATH = { origins: per_tenant, tenant: path("tenant"), headers: ["content-type"] };
        /// The tenant is the request's host.
        BY_HOST = { origins: per_tenant, tenant: host }
    }

    /// Rules 28–32: `GET` and `PUT /t/{tenant}/me` under a per-tenant
    /// policy by path, `GET /host/me` by host, each answering the tenant that
    /// admitted the origin (`none` without one), and an unannotated
    /// `POST /t/{tenant}/transfer`, behind the app-wide guard.
    pub async fn per_tenant(runs: Runs) -> Actix {
        super::set_tenants(&BY_PATH, &BY_HOST);
        let app = App::new()
            .wrap(CrossOriginGuard::new())
            .app_data(Count::from(Arc::clone(&runs)))
            .service(tenant_me)
            .service(host_me)
            .route(
                "/t/{tenant}/transfer",
                web::post().to(|runs: Count| async move {
                    count(&runs.into_inner());
                    "transferred"
                }),
            );
        Actix::new(test::init_service(app).await, runs)
    }

    #[cors_credentials(policy = BY_PATH)]
    #[actix_web::routes]
    #[get("/t/{tenant}/me")]
    #[put("/t/{tenant}/me")]
    async fn tenant_me(runs: Count, tenant: Option<cors_credentials::Tenant>) -> String {
        count(&runs.into_inner());
        tenant.map_or_else(|| "none".to_owned(), |tenant| tenant.key().to_owned())
    }

    #[cors_credentials(policy = BY_HOST)]
    #[get("/host/me")]
    async fn host_me(tenant: Option<cors_credentials::Tenant>) -> String {
        tenant.map_or_else(|| "none".to_owned(), |tenant| tenant.key().to_owned())
    }

    /// `PUT /items` (`content-type`) and `GET /items` behind
    /// `TracingLogger` and the guard, with an unannotated `POST /form`.
    #[cfg(feature = "tracing")]
    pub async fn tracing(runs: Runs) -> Actix {
        let app = App::new()
            .wrap(CrossOriginGuard::new())
            .wrap(tracing_actix_web::TracingLogger::default())
            .service(items)
            .service(list)
            .route("/form", web::post().to(|| async { "posted" }));
        Actix::new(test::init_service(app).await, runs)
    }

    #[cors_credentials(origins = ["https://app.example.com"])]
    #[get("/items")]
    async fn list() -> impl Responder {
        "[]"
    }

    /// `GET /subdomains` and `PUT /dev`, with origin patterns.
    pub async fn patterns(runs: Runs) -> Actix {
        let app = App::new().service(subdomains).service(dev);
        Actix::new(test::init_service(app).await, runs)
    }

    #[cors_credentials(origins = ["https://app.example.com", "https://*.preview.example.com"])]
    #[get("/subdomains")]
    async fn subdomains() -> impl Responder {
        "ok"
    }

    #[cors_credentials(origins = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"], headers = ["content-type"])]
    #[put("/dev")]
    async fn dev() -> impl Responder {
        "ok"
    }

    /// `GET /cookies/{prefix}`, allowing `https://app.example.com` and
    /// `https://app.example.net`, answers the cookies of [`cookie_lines`].
    pub async fn cookies(runs: Runs) -> Actix {
        let app = App::new().service(set_cookies);
        Actix::new(test::init_service(app).await, runs)
    }

    #[cors_credentials(origins = ["https://app.example.com", "https://app.example.net"])]
    #[get("/cookies/{prefix}")]
    async fn set_cookies(prefix: web::Path<String>) -> HttpResponse {
        let mut res = HttpResponse::Ok();
        for line in super::cookie_lines(&prefix) {
            res.append_header(("set-cookie", line));
        }
        res.body("cookies")
    }

    /// The guard around a route answering `200` with `Vary: Accept`.
    pub async fn plain(runs: Runs) -> Actix {
        let plain = || async {
            HttpResponse::Ok()
                .insert_header(("vary", "Accept"))
                .finish()
        };
        let app = App::new()
            .wrap(CrossOriginGuard::new())
            .route("/plain", web::to(plain));
        Actix::new(test::init_service(app).await, runs)
    }

    async fn transfer(runs: Count) -> impl Responder {
        count(&runs.into_inner());
        "transferred"
    }

    #[cors_credentials(origins = ["https://app.example.com"])]
    #[post("/profile")]
    async fn profile(runs: Count) -> impl Responder {
        count(&runs.into_inner());
        "saved"
    }

    #[cors_credentials(origins = ["https://*.partners.example.com"], on_disallowed = "pass")]
    #[post("/partners/report")]
    async fn partner_report(runs: Count) -> impl Responder {
        count(&runs.into_inner());
        "reported"
    }

    #[cors_credentials(origins = ["https://app.example.com", "http://localhost:3000"])]
    #[get("/me")]
    async fn me(runs: Count) -> impl Responder {
        count(&runs.into_inner());
        "me"
    }

    #[cors_credentials(origins = ["https://app.example.com"], on_disallowed = "pass")]
    #[post("/lenient")]
    async fn lenient() -> impl Responder {
        "ran"
    }

    #[derive(Deserialize)]
    struct Update {
        #[allow(dead_code)]
        name: String,
    }

    #[cors_credentials(origins = ["https://app.example.com"])]
    #[post("/json")]
    async fn json(_body: web::Json<Update>) -> impl Responder {
        "updated"
    }

    #[cors_credentials(origins = ["https://app.example.com"])]
    #[get("/users/{id}")]
    async fn user(id: web::Path<u32>) -> impl Responder {
        format!("user {id}")
    }

    #[cors_credentials(origins = ["https://app.example.com"])]
    #[get("/fails")]
    async fn fails() -> Result<&'static str, Error> {
        Err(error::ErrorUnprocessableEntity("bad input"))
    }

    #[cors_credentials(origins = ["https://app.example.com"])]
    #[get("/crash")]
    async fn crash() -> HttpResponse {
        HttpResponse::InternalServerError().body("boom")
    }

    #[cors_credentials(origins = ["https://app.example.com"])]
    #[get("/sets-headers")]
    async fn sets_headers() -> HttpResponse {
        HttpResponse::Ok()
            .insert_header(("vary", "Accept-Encoding"))
            .insert_header(("access-control-allow-origin", "*"))
            .append_header(("access-control-allow-credentials", "TRUE"))
            .finish()
    }

    /// A middleware that fails every request, as an authentication layer would.
    async fn deny(
        _req: ServiceRequest,
        _next: actix_web::middleware::Next<impl MessageBody>,
    ) -> Result<ServiceResponse<impl MessageBody>, Error> {
        Err::<ServiceResponse<String>, _>(error::ErrorUnauthorized("log in first"))
    }

    #[cors_credentials(origins = ["https://app.example.com"])]
    #[get("/guarded", wrap = "actix_web::middleware::from_fn(deny)")]
    async fn guarded() -> impl Responder {
        "secret"
    }

    #[cors_credentials(
        origins = ["https://app.example.com"],
        headers = ["Content-Type", "x-request-id"],
        expose_headers = ["x-request-id", "etag"],
        max_age = 600
    )]
    #[put("/items/{id}")]
    async fn update(runs: Count) -> impl Responder {
        count(&runs.into_inner());
        "updated"
    }

    #[cors_credentials(origins = ["https://app.example.com"])]
    #[delete("/any-headers")]
    async fn any_headers() -> impl Responder {
        "deleted"
    }

    #[cors_credentials(origins = ["https://app.example.com"])]
    #[patch("/patch")]
    async fn patch_it() -> impl Responder {
        "patched"
    }

    // Two handlers on one path, each with its own policy.
    #[cors_credentials(origins = ["https://a.example.com"])]
    #[get("/shared")]
    async fn shared_get() -> impl Responder {
        "get"
    }

    #[cors_credentials(origins = ["https://b.example.com"], headers = ["content-type"])]
    #[post("/shared")]
    async fn shared_post() -> impl Responder {
        "post"
    }
}

mod tower {
    use axum::{
        extract::{Path, State},
        http::header,
        response::IntoResponse,
        routing::{any, delete, get, patch, post, put},
        Form, Router,
    };
    use cors_credentials::{
        policy,
        tower::{CorsLayer, CrossOriginGuardLayer},
    };
    use http::{Method, StatusCode};
    use serde::Deserialize;

    use super::{count, Runs};

    /// A handler that counts its runs and answers `body`.
    fn counted(
        body: &'static str,
    ) -> impl Fn(State<Runs>) -> std::future::Ready<&'static str> + Clone + Send + Sync + 'static
    {
        move |State(runs): State<Runs>| {
            count(&runs);
            std::future::ready(body)
        }
    }

    /// The guard around `/transfer` (any method, and `POST` under `/hooks/..`
    /// and `/oauth/callback`), which has no `CorsLayer`, and the
    /// `on_disallowed = "pass"` `/partners/report`; `/profile`, whose
    /// `CorsLayer` refuses, is added after the guard, which does not wrap
    /// it: the documented way for a route to admit its own origins.
    pub fn with_guard(guard: CrossOriginGuardLayer, runs: &Runs) -> Router {
        Router::new()
            .route(
                "/partners/report",
                post(counted("reported")).layer(CorsLayer::new(&PARTNERS, [Method::POST])),
            )
            .route("/transfer", any(counted("transferred")))
            .route("/hooks/{name}", post(counted("transferred")))
            .route("/oauth/callback", post(counted("transferred")))
            .layer(guard)
            .route(
                "/profile",
                post(counted("saved")).layer(CorsLayer::new(&PROFILE, [Method::POST])),
            )
            .with_state(runs.clone())
    }

    /// One route for each refusal: `PUT /items` (`content-type`), `PUT
    /// /tenants` (origins never set), `GET /reads`, behind the guard with a
    /// `POST /form` without a `CorsLayer`.
    pub fn refusals() -> Router {
        // The routes with a `CorsLayer` after the guard, which does not
        // wrap them: each decides alone.
        Router::new()
            .route("/form", post(|| async { "posted" }))
            .layer(CrossOriginGuardLayer::new())
            .route(
                "/items",
                put(|| async { "updated" }).layer(CorsLayer::new(&ITEMS_PUT, [Method::PUT])),
            )
            .route(
                "/tenants",
                put(|| async { "tenants" }).layer(CorsLayer::new(&NOT_SET, [Method::PUT])),
            )
            .route(
                "/reads",
                get(|| async { "read" }).layer(CorsLayer::new(&ANY_HEADERS, [Method::GET])),
            )
    }

    /// `GET` and `PUT /items` (`content-type`) behind the guard, with a
    /// `POST /form` without a `CorsLayer`.
    #[cfg(feature = "tracing")]
    pub fn tracing() -> Router {
        Router::new()
            .route("/form", post(|| async { "posted" }))
            .layer(CrossOriginGuardLayer::new())
            .route(
                "/items",
                get(|| async { "[]" })
                    .put(|| async { "updated" })
                    .layer(CorsLayer::new(&ITEMS_PUT, [Method::GET, Method::PUT])),
            )
    }

    policy! {
        /// The tenant is the `{tenant}` segment of the path.
        BY_PATH = { origins: per_tenant, tenant: path("tenant"), headers: ["content-type"] };
        /// The tenant is the request's host.
        BY_HOST = { origins: per_tenant, tenant: host }
    }

    /// The tenant that admitted the origin, `none` without one.
    fn admitted(tenant: Option<axum::Extension<cors_credentials::Tenant>>) -> String {
        tenant.map_or_else(|| "none".to_owned(), |tenant| tenant.key().to_owned())
    }

    /// Rules 28–32: `GET` and `PUT /t/{tenant}/me` under a per-tenant
    /// policy by path (its second segment), `GET /host/me` by host, and
    /// `POST /t/{tenant}/transfer` without a `CorsLayer`, behind the guard
    /// (the `CorsLayer` routes are added after it and decide alone).
    pub fn tenants(runs: &Runs) -> Router {
        super::set_tenants(&BY_PATH, &BY_HOST);
        let me = |State(runs): State<Runs>,
                  tenant: Option<axum::Extension<cors_credentials::Tenant>>| async move {
            count(&runs);
            admitted(tenant)
        };
        let transfer = |State(runs): State<Runs>| async move {
            count(&runs);
            "transferred"
        };
        Router::new()
            .route("/t/{tenant}/transfer", post(transfer))
            .layer(CrossOriginGuardLayer::new())
            .route(
                "/t/{tenant}/me",
                get(me).put(me).layer(
                    CorsLayer::new(&BY_PATH, [Method::GET, Method::PUT])
                        .tenant(cors_credentials::tower::TenantFrom::segment(2)),
                ),
            )
            .route(
                "/host/me",
                get(
                    |tenant: Option<axum::Extension<cors_credentials::Tenant>>| async move {
                        admitted(tenant)
                    },
                )
                .layer(CorsLayer::new(&BY_HOST, [Method::GET])),
            )
            .with_state(runs.clone())
    }

    /// `GET /subdomains` and `PUT /dev`, with origin patterns.
    pub fn patterns() -> Router {
        Router::new()
            .route(
                "/subdomains",
                get(|| async { "ok" }).layer(CorsLayer::new(&SUBDOMAINS, [Method::GET])),
            )
            .route(
                "/dev",
                put(|| async { "ok" }).layer(CorsLayer::new(&LOOPBACK, [Method::PUT])),
            )
    }

    /// `GET /cookies/{prefix}`, allowing `https://app.example.com` and
    /// `https://app.example.net`, answers the cookies of [`cookie_lines`].
    pub fn cookies() -> Router {
        async fn set_cookies(Path(prefix): Path<String>) -> impl IntoResponse {
            let lines = super::cookie_lines(&prefix).map(|line| (header::SET_COOKIE, line));
            (axum::response::AppendHeaders(lines), "cookies")
        }
        Router::new().route(
            "/cookies/{prefix}",
            get(set_cookies).layer(CorsLayer::new(&COOKIES, [Method::GET])),
        )
    }

    /// The guard around a route answering `200` with `Vary: Accept`.
    pub fn plain() -> Router {
        Router::new()
            .route(
                "/plain",
                any(|| async { ([(header::VARY, "Accept")], "plain") }),
            )
            .layer(CrossOriginGuardLayer::new())
    }

    policy! {
        /// `/me`, `/form`, `/users/{id}`, `/fails`, `/crash` and the header tests.
        ME = { origins: ["https://app.example.com", "http://localhost:3000"] };
        /// `/lenient`.
        LENIENT = { origins: ["https://app.example.com"], on_disallowed: "pass" };
        /// `/items/{id}`.
        ITEMS = {
            origins: ["https://app.example.com"],
            headers: ["Content-Type", "x-request-id"],
            expose_headers: ["x-request-id", "etag"],
            max_age: 600,
        };
        /// `/any-headers` and `/patch`: every request header, the default max age.
        ANY_HEADERS = { origins: ["https://app.example.com"] };
        /// `/items` of `refusals`.
        ITEMS_PUT = { origins: ["https://app.example.com"], headers: ["content-type"] };
        /// Origins given at run time, never given.
        NOT_SET = { origins: dynamic };
        /// `/subdomains`.
        SUBDOMAINS = { origins: ["https://app.example.com", "https://*.preview.example.com"] };
        /// `/dev`.
        LOOPBACK = {
            origins: ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"],
            headers: ["content-type"],
        };
        /// `/cookies/{prefix}`.
        COOKIES = { origins: ["https://app.example.com", "https://app.example.net"] };
        /// `/profile`.
        PROFILE = { origins: ["https://app.example.com"] };
        /// `/partners/report`.
        PARTNERS = { origins: ["https://*.partners.example.com"], on_disallowed: "pass" };
    }

    #[derive(Deserialize)]
    struct Update {
        #[allow(dead_code)]
        name: String,
    }

    async fn form(Form(_update): Form<Update>) -> &'static str {
        "updated"
    }

    async fn user(Path(id): Path<u32>) -> String {
        format!("user {id}")
    }

    async fn sets_headers() -> impl IntoResponse {
        let headers = [
            (header::VARY, "Accept-Encoding"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "TRUE"),
        ];
        (headers, "ok")
    }

    /// Rules 1–11: every route of `route`.
    pub fn route(runs: &Runs) -> Router {
        Router::new()
            .route(
                "/me",
                get(counted("me")).layer(CorsLayer::new(&ME, [Method::GET])),
            )
            .route(
                "/lenient",
                post(|| async { "ran" }).layer(CorsLayer::new(&LENIENT, [Method::POST])),
            )
            .route(
                "/form",
                post(form).layer(CorsLayer::new(&ME, [Method::POST])),
            )
            .route(
                "/users/{id}",
                get(user).layer(CorsLayer::new(&ME, [Method::GET])),
            )
            .route(
                "/fails",
                get(|| async { (StatusCode::UNPROCESSABLE_ENTITY, "bad input") })
                    .layer(CorsLayer::new(&ME, [Method::GET])),
            )
            .route(
                "/crash",
                get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "boom") })
                    .layer(CorsLayer::new(&ME, [Method::GET])),
            )
            .route(
                "/sets-headers",
                get(sets_headers).layer(CorsLayer::new(&ME, [Method::GET])),
            )
            .route(
                "/vary-origin",
                get(|| async { ([(header::VARY, "origin")], "ok") })
                    .layer(CorsLayer::new(&ME, [Method::GET])),
            )
            .route(
                "/vary-star",
                get(|| async { ([(header::VARY, "*")], "ok") })
                    .layer(CorsLayer::new(&ME, [Method::GET])),
            )
            .route(
                "/items/{id}",
                put(counted("updated"))
                    .options(counted("options"))
                    .layer(CorsLayer::new(&ITEMS, [Method::PUT])),
            )
            .route(
                "/any-headers",
                delete(|| async { "deleted" })
                    .layer(CorsLayer::new(&ANY_HEADERS, [Method::DELETE])),
            )
            .route(
                "/patch",
                patch(|| async { "patched" }).layer(CorsLayer::new(&ANY_HEADERS, [Method::PATCH])),
            )
            .route(
                "/api/me",
                get(counted("me"))
                    .put(counted("updated"))
                    .layer(CorsLayer::new(&ME, [Method::GET, Method::PUT, Method::GET])),
            )
            .with_state(runs.clone())
    }
}
