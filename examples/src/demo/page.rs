//! Serves the front-end page: plain HTML and JavaScript, no build step.

use actix_web::{http::header, web, HttpResponse};

const INDEX_HTML: &str = include_str!("../../demo/index.html");
const APP_JS: &str = include_str!("../../demo/app.js");

/// The page, rendered once with where the API is and which origins it allows.
pub struct Page {
    html: String,
}

pub fn render(api_origin: &str, allowed_origins: &[&str]) -> Page {
    Page {
        html: INDEX_HTML
            .replace("{{API_ORIGIN}}", &escape(api_origin))
            .replace("{{ALLOWED_ORIGINS}}", &escape(&allowed_origins.join(" "))),
    }
}

pub fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/", web::get().to(index))
        .route("/app.js", web::get().to(app_js))
        .route("/favicon.ico", web::get().to(no_icon));
}

async fn index(page: web::Data<Page>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page.html.clone())
}

async fn app_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(APP_JS)
}

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
