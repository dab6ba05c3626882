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
use crate::{
    servers::{self, Servers},
    tls::Tls,
};

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
    let api_server = servers::api(
        api,
        tls.as_ref(),
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
    let page_server = page::serve(page, pages, tls.as_ref())?;

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
}
