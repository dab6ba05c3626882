//! Serves a front-end page: plain HTML and JavaScript, no build step. The
//! demo's page and the real-time example's page are served alike.

#[cfg(feature = "actix")]
use std::{io, net::TcpListener};

#[cfg(feature = "actix")]
use actix_web::{dev::Server, http::header, web, App, HttpResponse, HttpServer};

/// The demo's page.
pub(crate) const INDEX_HTML: &str = include_str!("page/index.html");
/// The demo page's script.
pub(crate) const APP_JS: &str = include_str!("page/app.js");

/// A page, rendered once with where the API is and which origins it allows.
#[cfg(feature = "actix")]
pub(crate) struct Page {
    html: String,
    js: &'static str,
}

#[cfg(feature = "actix")]
impl Page {
    /// `index_html` with `{{API_ORIGIN}}` and `{{ALLOWED_ORIGINS}}` filled
    /// in; `app_js` is served as `/app.js`.
    pub(crate) fn render(
        index_html: &str,
        app_js: &'static str,
        api_origin: &str,
        allowed_origins: &[&str],
    ) -> Page {
        Page {
            html: render_html(index_html, api_origin, allowed_origins),
            js: app_js,
        }
    }
}

/// `index_html` with `{{API_ORIGIN}}` and `{{ALLOWED_ORIGINS}}` filled in.
pub(crate) fn render_html(index_html: &str, api_origin: &str, allowed_origins: &[&str]) -> String {
    index_html
        .replace("{{API_ORIGIN}}", &escape(api_origin))
        .replace("{{ALLOWED_ORIGINS}}", &escape(&allowed_origins.join(" ")))
}

/// Runs a server of `page` on `listeners` (over HTTPS with `tls`), with one
/// worker.
#[cfg(feature = "actix")]
pub(crate) fn serve(
    page: Page,
    listeners: Vec<TcpListener>,
    tls: Option<&crate::tls::Tls>,
) -> io::Result<Server> {
    let page = web::Data::new(page);
    let server = HttpServer::new(move || App::new().app_data(page.clone()).configure(routes))
        .workers(1)
        .disable_signals()
        .shutdown_timeout(1);
    Ok(crate::tls::listen!(server, listeners, tls)?.run())
}

#[cfg(feature = "actix")]
fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/", web::get().to(index))
        .route("/app.js", web::get().to(app_js))
        .route("/favicon.ico", web::get().to(no_icon));
}

#[cfg(feature = "actix")]
async fn index(page: web::Data<Page>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page.html.clone())
}

#[cfg(feature = "actix")]
async fn app_js(page: web::Data<Page>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page.js)
}

#[cfg(feature = "actix")]
async fn no_icon() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

/// Escapes text for an HTML attribute value.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
