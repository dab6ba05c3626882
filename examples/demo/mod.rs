//! The two-origin demo: an API whose handlers use `#[cors_credentials]`, and
//! one plain HTML+JS page served from an allowed and a not-allowed origin.
//!
//! `cargo run --example demo` runs it for a person; `tests/browser.rs` runs the
//! same servers on free ports and drives the page in headless Chromium.

#[cfg(feature = "actix")]
pub mod api;
pub(crate) mod page;
#[cfg(feature = "actix")]
pub mod server_log;
mod store;

#[cfg(feature = "actix")]
use std::{io, net::TcpListener};

#[cfg(feature = "actix")]
use actix_web::web;

pub use store::{name_problem, Profile, Store};

#[cfg(feature = "actix")]
use crate::{
    servers::{self, Servers},
    tls::Tls,
};

/// The demo's servers, started by [`start`].
#[cfg(feature = "actix")]
pub struct Running {
    /// The API's state, to look at what its handlers did.
    pub store: web::Data<Store>,
    /// What the API logged of cors-credentials (`GET /api/server-log`).
    pub server_log: std::sync::Arc<server_log::ServerLog>,
    servers: Servers,
}

/// Starts the API on the `api` listeners and the page on the `pages`
/// listeners (the allowed and the not-allowed front-end origins alike: the
/// page is the same, only its origin differs).
///
/// `api_origin` is where the page calls the API, e.g. `http://localhost:8080`.
/// Call it inside an actix-web runtime (`#[actix_web::main]`); signals are
/// left to the caller, which stops the servers with [`Running::stop`].
#[cfg(feature = "actix")]
pub fn start(
    api: Vec<TcpListener>,
    pages: Vec<TcpListener>,
    api_origin: &str,
) -> io::Result<Running> {
    start_with(api, pages, api_origin, None)
}

/// [`start`], over HTTPS when `tls` is given (the API and both pages, with
/// the same certificate; `api_origin` is then `https://localhost:<port>`).
#[cfg(feature = "actix")]
pub fn start_with(
    api: Vec<TcpListener>,
    pages: Vec<TcpListener>,
    api_origin: &str,
    tls: Option<Tls>,
) -> io::Result<Running> {
    let store = web::Data::new(Store::default());
    let api_store = store.clone();
    let server_log = std::sync::Arc::new(server_log::ServerLog::default());
    let api_log = server_log.clone();
    let api_server = servers::api(
        api,
        tls.as_ref(),
        "cors-credentials demo API: open the front-end page the demo printed.\n",
        move |config| {
            // Each worker thread builds its app here.
            api_log.serve_on_this_thread();
            config
                .app_data(api_store.clone())
                .app_data(web::Data::from(api_log.clone()));
            api::routes(config);
        },
    )?;

    let page = page::Page::render(
        page::INDEX_HTML,
        page::APP_JS,
        api_origin,
        &api::ALLOWED_ORIGINS,
    );
    let page_server = page::serve(page, pages, tls.as_ref())?;

    Ok(Running {
        store,
        server_log,
        servers: Servers::spawn([api_server, page_server]),
    })
}

#[cfg(feature = "actix")]
impl Running {
    /// Stops every server, letting requests in flight finish (one second at most).
    pub async fn stop(self) -> io::Result<()> {
        self.servers.stop().await
    }
}

/// The demo's page (`examples/demo/page/index.html`) calling the API at
/// `api_origin`, with `allowed_origins` shown on it: what a server of
/// another framework (the axum example's) serves as `/`.
pub fn page_html(api_origin: &str, allowed_origins: &[&str]) -> String {
    page::render_html(page::INDEX_HTML, api_origin, allowed_origins)
}

/// The demo page's script (`examples/demo/page/app.js`), served as `/app.js`.
pub const PAGE_SCRIPT: &str = page::APP_JS;

#[cfg(all(test, feature = "actix"))]
mod tests {
    use actix_web::web;

    use super::{api, Store};
    use crate::servers::assert_preflights;

    /// [`api::ALLOWED_ORIGINS`], which the demo prints and the browser tests
    /// rely on, is exactly what every handler's attribute allows.
    #[actix_web::test]
    async fn allowed_origins_match_the_attributes() {
        let routes = [
            ("POST", "/api/login"),
            ("GET", "/api/me"),
            ("PUT", "/api/me"),
            ("POST", "/api/logout"),
            ("GET", "/api/server-log"),
        ];
        let configure = |config: &mut web::ServiceConfig| {
            config.app_data(web::Data::new(Store::default()));
            api::routes(config);
        };
        assert_preflights(configure, &routes, &api::ALLOWED_ORIGINS).await;
    }

    /// `GET /api/server-log` shows the API's records of cors-credentials as
    /// the example's logger hands them over: here the refusal of a preflight
    /// from an allowed origin asking for a header no handler allows.
    #[actix_web::test]
    async fn server_log_shows_the_refusals_the_api_logged() {
        use std::sync::Arc;

        use actix_web::{
            http::{header, Method},
            test, App,
        };

        use super::server_log::ServerLog;
        use crate::cli::TerminalLog;

        // The one test of this binary that installs a logger.
        TerminalLog::install();
        let log = Arc::new(ServerLog::default());
        // `init_service` builds and runs the app on this thread.
        log.serve_on_this_thread();
        let app_log = log.clone();
        let app = test::init_service(App::new().configure(move |config| {
            config
                .app_data(web::Data::new(Store::default()))
                .app_data(web::Data::from(app_log));
            api::routes(config);
        }))
        .await;
        let read = |app_origin: &'static str| {
            test::TestRequest::get()
                .uri("/api/server-log")
                .insert_header((header::ORIGIN, app_origin))
                .to_request()
        };
        let body: serde_json::Value =
            test::call_and_read_body_json(&app, read("https://localhost:3000")).await;
        assert_eq!(body, serde_json::json!({ "records": [] }));

        let preflight = test::TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/api/me")
            .insert_header((header::ORIGIN, "https://localhost:3000"))
            .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "PUT"))
            .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "x-debug"))
            .to_request();
        assert_eq!(test::call_service(&app, preflight).await.status(), 403);

        let body: serde_json::Value =
            test::call_and_read_body_json(&app, read("https://localhost:3000")).await;
        let records = body["records"].as_array().unwrap();
        assert_eq!(records.len(), 1, "{body}");
        let record = records[0].as_str().unwrap();
        assert!(
            record.starts_with("DEBUG cors-credentials: refused"),
            "{record}"
        );
        assert!(record.contains("x-debug"), "{record}");
        assert_eq!(log.recent(), [record]);
    }

    /// The demo's API, audited as an application's own test would: every
    /// annotated route, and the form handler the inventory cannot know,
    /// against the known CORS and cross-site attack classes. Copy it into
    /// your app's tests: build the app as `main` does, list its unannotated
    /// paths, and keep the report clean.
    #[actix_web::test]
    async fn the_api_audits_clean() {
        use actix_web::{test, App};
        use cors_credentials::{inventory, testing::Audit, CrossOriginGuard};

        let store = web::Data::new(Store::default());
        // Logged in, so the handlers answer as they would to a victim.
        let token = store.log_in("ada").unwrap();
        let app = test::init_service(App::new().wrap(CrossOriginGuard::new()).configure(
            |config| {
                config.app_data(store.clone());
                api::routes(config);
            },
        ))
        .await;
        let report = Audit::new()
            // This library holds the other examples' apps too: only the demo's routes.
            .inventory(
                inventory()
                    .filter(|route| route.module() == "cors_credentials_examples::demo::api"),
            )
            .header("cookie", &format!("{}={token}", api::SESSION_COOKIE))
            .audit_actix(&app, &["/account/close"])
            .await;
        report.assert_clean();
        assert_eq!(report.paths().len(), 5, "{report}");
        assert!(report.not_served().is_empty(), "{report}");
    }
}
