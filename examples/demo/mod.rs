//! The two-origin demo: an API whose handlers use `#[cors_credentials]`, and
//! one plain HTML+JS page served from an allowed and a not-allowed origin.
//!
//! `cargo run --example demo` runs it for a person; `tests/browser.rs` runs the
//! same servers on free ports and drives the page in headless Chromium.

#[cfg(feature = "actix")]
pub mod api;
pub(crate) mod page;
mod store;

#[cfg(feature = "actix")]
use std::{io, net::TcpListener};

#[cfg(feature = "actix")]
use actix_web::web;

pub use store::{name_problem, Profile, Store};

#[cfg(feature = "actix")]
use crate::servers::{self, Servers};

/// The demo's servers, started by [`start`].
#[cfg(feature = "actix")]
pub struct Running {
    /// The API's state, to look at what its handlers did.
    pub store: web::Data<Store>,
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
    let store = web::Data::new(Store::default());
    let api_store = store.clone();
    let api_server = servers::api(
        api,
        "cors-credentials demo API: open the front-end page the demo printed.\n",
        move |config| {
            config.app_data(api_store.clone());
            api::routes(config);
        },
    )?;

    let page = page::Page::render(
        page::INDEX_HTML,
        page::APP_JS,
        api_origin,
        &api::ALLOWED_ORIGINS,
    );
    let page_server = page::serve(page, pages)?;

    Ok(Running {
        store,
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
        ];
        let configure = |config: &mut web::ServiceConfig| {
            config.app_data(web::Data::new(Store::default()));
            api::routes(config);
        };
        assert_preflights(configure, &routes, &api::ALLOWED_ORIGINS).await;
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
            // The front end's page posts the close-account form (see
            // `close_account`): its origins are trusted app-wide.
            .trust(&api::FRONT_END)
            .header("cookie", &format!("{}={token}", api::SESSION_COOKIE))
            .audit_actix(&app, &["/account/close"])
            .await;
        report.assert_clean();
        assert_eq!(report.paths().len(), 4, "{report}");
        assert!(report.not_served().is_empty(), "{report}");
    }
}
