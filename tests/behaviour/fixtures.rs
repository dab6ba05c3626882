//! The apps the scenarios run against, one per fixture name and adapter;
//! each counts the runs of its counted handlers in a counter of its own.

use std::sync::{atomic::Ordering, Arc};

use test_support::driver::{Actix, Runs, Tower};

/// The actix-web app of `fixture`.
pub async fn actix(fixture: &'static str) -> Actix {
    let runs = Runs::default();
    match fixture {
        "route" => Actix::new(
            actix_web::test::init_service(actix::route(&runs)).await,
            runs,
        ),
        other => panic!("no actix-web fixture {other:?}"),
    }
}

/// The axum router of `fixture`.
pub async fn tower(fixture: &'static str) -> Tower {
    let runs = Runs::default();
    let router = match fixture {
        "route" => tower::route(&runs),
        other => panic!("no axum fixture {other:?}"),
    };
    Tower { router, runs }
}

fn count(runs: &Runs) {
    runs.fetch_add(1, Ordering::SeqCst);
}

mod actix {
    use actix_web::{
        body::MessageBody,
        delete,
        dev::{ServiceFactory, ServiceRequest, ServiceResponse},
        error, get, patch, post, put, web, App, Error, HttpResponse, Responder,
    };
    use cors_credentials::cors_credentials;
    use serde::Deserialize;

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
        response::{IntoResponse, Response},
        routing::{delete, get, patch, post, put},
        Form, Router,
    };
    use cors_credentials::{policy, tower::CorsLayer};
    use http::{HeaderValue, Method, StatusCode};
    use serde::Deserialize;

    use super::{count, Runs};

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
    }

    async fn me(State(runs): State<Runs>) -> &'static str {
        count(&runs);
        "me"
    }

    async fn update(State(runs): State<Runs>) -> &'static str {
        count(&runs);
        "updated"
    }

    async fn options(State(runs): State<Runs>) -> &'static str {
        count(&runs);
        "options"
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

    async fn sets_headers() -> Response {
        let mut res = "ok".into_response();
        let headers = res.headers_mut();
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        headers.append(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("TRUE"),
        );
        res
    }

    /// Rules 1–11: every route of `route`.
    pub fn route(runs: &Runs) -> Router {
        Router::new()
            .route("/me", get(me).layer(CorsLayer::new(&ME, [Method::GET])))
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
                put(update)
                    .options(options)
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
                get(me)
                    .put(update)
                    .layer(CorsLayer::new(&ME, [Method::GET, Method::PUT, Method::GET])),
            )
            .with_state(runs.clone())
    }
}
