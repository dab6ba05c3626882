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
use actix_web::{middleware::Logger, web, App, HttpResponse, HttpServer};
#[cfg(feature = "actix")]
use cors_credentials::CrossOriginGuard;

pub use store::{Profile, Store};

#[cfg(feature = "actix")]
use crate::servers::Servers;

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
    let mut api_server = HttpServer::new(move || {
        App::new()
            .app_data(api_store.clone())
            // Every route, annotated or not: a cross-origin POST, PUT or
            // DELETE passes only from an origin some handler allows.
            .wrap(CrossOriginGuard::new())
            // Outermost, so it also logs the 403s of refused requests.
            .wrap(Logger::new("api: %{Origin}i %r -> %s"))
            .configure(api::routes)
            .route("/", web::get().to(api_home))
    })
    .workers(2)
    .disable_signals()
    .shutdown_timeout(1);
    for listener in api {
        api_server = api_server.listen(listener)?;
    }

    let page = page::Page::render(
        page::INDEX_HTML,
        page::APP_JS,
        api_origin,
        &api::ALLOWED_ORIGINS,
    );
    let page_server = page::serve(page, pages)?;

    Ok(Running {
        store,
        servers: Servers::spawn([api_server.run(), page_server]),
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

#[cfg(feature = "actix")]
async fn api_home() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("cors-credentials demo API: open the front-end page the demo printed.\n")
}

#[cfg(all(test, feature = "actix"))]
mod tests {
    use actix_web::{http::header, test, web, App};

    use super::{api, Store};

    /// [`api::ALLOWED_ORIGINS`], which the demo prints and the browser tests
    /// rely on, is exactly what every handler's attribute allows.
    #[actix_web::test]
    async fn allowed_origins_match_the_attributes() {
        let app = test::init_service(
            App::new()
                .app_data(web::Data::new(Store::default()))
                .configure(api::routes),
        )
        .await;
        let others = ["http://localhost:3001", "http://localhost:8080"];
        let routes = [
            ("POST", "/api/login"),
            ("GET", "/api/me"),
            ("PUT", "/api/me"),
            ("POST", "/api/logout"),
        ];
        for (method, path) in routes {
            for origin in api::ALLOWED_ORIGINS.iter().chain(&others) {
                let req = test::TestRequest::default()
                    .method(actix_web::http::Method::OPTIONS)
                    .uri(path)
                    .insert_header((header::ORIGIN, *origin))
                    .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, method))
                    .to_request();
                let res = test::call_service(&app, req).await;
                let allow_origin = res
                    .headers()
                    .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                    .map(|v| v.to_str().unwrap().to_owned());
                if api::ALLOWED_ORIGINS.contains(origin) {
                    assert_eq!(res.status(), 204, "{method} {path} from {origin}");
                    assert_eq!(allow_origin.as_deref(), Some(*origin));
                } else {
                    assert_eq!(res.status(), 403, "{method} {path} from {origin}");
                    assert_eq!(allow_origin, None);
                }
            }
        }
    }
}
