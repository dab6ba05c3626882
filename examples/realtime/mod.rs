//! The real-time example: a WebSocket and a stream of server-sent events
//! under `#[cors_credentials]`, called with the user's cookie from a page on
//! an allowed and on a not-allowed origin.
//!
//! `cargo run --example realtime` runs it for a person; `tests/example_realtime.rs`
//! runs the same API on free ports.

pub mod api;

use std::{io, net::TcpListener};

use actix_web::web;

pub use api::Hub;

use crate::{
    demo::{page, Store},
    servers::{self, Servers},
};

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");

/// The example's servers, started by [`start`].
pub struct Running {
    /// The sessions the login routes opened.
    pub store: web::Data<Store>,
    /// How many sockets and streams the handlers started.
    pub hub: web::Data<Hub>,
    servers: Servers,
}

/// Starts the API on the `api` listeners and the page on the `pages`
/// listeners (the allowed and the not-allowed front-end origins alike).
///
/// `api_origin` is where the page calls the API, e.g. `http://localhost:8080`;
/// `hub` sets the pace of the event streams. Call it inside an actix-web
/// runtime; the caller stops the servers with [`Running::stop`].
pub fn start(
    api: Vec<TcpListener>,
    pages: Vec<TcpListener>,
    api_origin: &str,
    hub: Hub,
) -> io::Result<Running> {
    let store = web::Data::new(Store::default());
    let hub = web::Data::new(hub);

    let (api_store, api_hub) = (store.clone(), hub.clone());
    let api_server = servers::api(
        api,
        None,
        "cors-credentials real-time API: open the front-end page the example printed.\n",
        move |config| {
            config.app_data(api_store.clone()).app_data(api_hub.clone());
            // With the login routes' POSTs, behind the guard like any route
            // added later.
            api::routes(config);
        },
    )?;

    let page = page::Page::render(INDEX_HTML, APP_JS, api_origin, &api::ALLOWED_ORIGINS);
    let page_server = page::serve(page, pages, None)?;

    Ok(Running {
        store,
        hub,
        servers: Servers::spawn([api_server, page_server]),
    })
}

impl Running {
    /// Stops every server, letting requests in flight finish (one second at
    /// most; open sockets and streams are cut then).
    pub async fn stop(self) -> io::Result<()> {
        self.servers.stop().await
    }
}

#[cfg(test)]
mod tests {
    use actix_web::web;

    use super::{api, Hub, Store};
    use crate::servers::assert_preflights;

    /// [`api::ALLOWED_ORIGINS`], which the example prints and the browser
    /// tests rely on, is exactly what the real-time routes allow.
    #[actix_web::test]
    async fn allowed_origins_match_the_attributes() {
        let configure = |config: &mut web::ServiceConfig| {
            config
                .app_data(web::Data::new(Store::default()))
                .app_data(web::Data::new(Hub::default()));
            api::routes(config);
        };
        let routes = [("GET", "/ws"), ("GET", "/events")];
        assert_preflights(configure, &routes, &api::ALLOWED_ORIGINS).await;
    }

    /// The real-time app (the demo's routes, the WebSocket and the stream of
    /// events) audits clean, logged in, as the demo's API does.
    #[actix_web::test]
    async fn the_app_audits_clean() {
        use actix_web::{test, App};
        use cors_credentials::{inventory, testing::Audit, CrossOriginGuard};

        use crate::demo::api::SESSION_COOKIE;

        let store = web::Data::new(Store::default());
        let token = store.log_in("ada").unwrap();
        let app = test::init_service(App::new().wrap(CrossOriginGuard::new()).configure(
            |config| {
                config
                    .app_data(store.clone())
                    .app_data(web::Data::new(Hub::default()));
                api::routes(config);
            },
        ))
        .await;
        let report = Audit::new()
            .inventory(inventory().filter(|route| {
                route.module() == "cors_credentials_examples::demo::api"
                    || route.module() == "cors_credentials_examples::realtime::api"
            }))
            .header("cookie", &format!("{SESSION_COOKIE}={token}"))
            .audit_actix(&app, &["/account/close"])
            .await;
        report.assert_clean();
        assert!(
            report.paths().iter().any(|path| path == "/events"),
            "{report}"
        );
        assert!(report.not_served().is_empty(), "{report}");
    }
}
