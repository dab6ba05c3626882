//! The two-origin demo in axum: the servers of `examples/axum/main.rs`, shared
//! with the browser tests in `tests/browser.rs`.
//!
//! The API ([`api`]) puts a `cors_credentials::tower::CorsLayer` on each of
//! its routes and a `CrossOriginGuardLayer` on the routes without one; the page is
//! the actix-web demo's (`examples/demo/page/index.html`), and so is the store of
//! sessions (`cors_credentials_examples::demo::Store`), which knows no
//! framework.

pub mod api;

use std::{future::IntoFuture, io, net::TcpListener, sync::Arc, time::Duration};

use axum::{
    extract::{Request, State},
    http::header,
    middleware::{self, Next},
    response::{Html, IntoResponse, Response},
    routing::get,
    Extension, Router,
};
use axum_server::tls_rustls::RustlsConfig;
use cors_credentials::tower::CrossOriginGuardLayer;
use cors_credentials_examples::{
    demo::{self, Store},
    tls::Tls,
};
use tokio::{sync::watch, task::JoinHandle};

/// The `log` target of the API's request log: one line per response,
/// `api: <Origin> <method> <path> <version> -> <status>`.
pub const REQUEST_LOG: &str = "cors_credentials_examples_axum::requests";

/// The API: the guard around [`api::guarded_routes`], the routes of
/// [`api::routes`] with their layers, and the request log; `https` says
/// whether it is served over https (the session cookie's `SameSite` depends
/// on it).
pub fn api_router(store: Arc<Store>, https: bool) -> Router {
    api::guarded_routes()
        .route("/", get(api_home))
        // The routes added so far: a cross-origin POST, PUT or DELETE is
        // refused, whatever origin sends it (the guard trusts none app-wide).
        .layer(CrossOriginGuardLayer::new())
        // Added after the guard, which does not wrap them: each `CorsLayer`
        // decides alone, for its own origins and methods.
        .merge(api::routes())
        // Every route reads whether the API is served over https.
        .layer(Extension(api::Https(https)))
        // Outermost, so it also logs the 403s of refused requests.
        .layer(middleware::from_fn(log_request))
        .with_state(store)
}

/// The page's server: the demo's page, calling the API at `api_origin`.
pub fn page_router(api_origin: &str) -> Router {
    let html: Arc<str> = demo::page_html(api_origin, &crate::api::ALLOWED_ORIGINS).into();
    Router::new()
        .route("/", get(index))
        .route("/app.js", get(app_js))
        .route(
            "/favicon.ico",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
        .with_state(html)
}

/// The demo's servers, started by [`start`].
pub struct Running {
    /// The API's state, to look at what its handlers did.
    pub store: Arc<Store>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<io::Result<()>>>,
}

/// Starts the API on the `api` listeners and the page on the `pages`
/// listeners (the allowed and the not-allowed front-end origins alike: the
/// page is the same, only its origin differs).
///
/// `api_origin` is where the page calls the API, e.g. `http://localhost:8080`.
/// Call it inside a tokio runtime; signals are left to the caller, which
/// stops the servers with [`Running::stop`].
pub fn start(
    api: Vec<TcpListener>,
    pages: Vec<TcpListener>,
    api_origin: &str,
) -> io::Result<Running> {
    start_with(api, pages, api_origin, None)
}

/// [`start`], over HTTPS when `tls` is given (the API and both pages, with
/// the same certificate, through axum-server's rustls acceptor;
/// `api_origin` is then `https://localhost:<port>`).
pub fn start_with(
    api: Vec<TcpListener>,
    pages: Vec<TcpListener>,
    api_origin: &str,
    tls: Option<Tls>,
) -> io::Result<Running> {
    let store = Arc::new(Store::default());
    let (stop, stopped) = watch::channel(false);
    let api_router = api_router(store.clone(), tls.is_some());
    let page_router = page_router(api_origin);
    let servers = api
        .into_iter()
        .map(|listener| (listener, api_router.clone()))
        .chain(pages.into_iter().map(|l| (l, page_router.clone())));
    let mut tasks = Vec::new();
    let rustls = tls.map(|tls| RustlsConfig::from_config(Arc::new(tls.server_config())));
    for (listener, router) in servers {
        listener.set_nonblocking(true)?;
        let mut stopped = stopped.clone();
        if let Some(rustls) = &rustls {
            let handle = axum_server::Handle::new();
            let server = axum_server::from_tcp_rustls(listener, rustls.clone())
                .handle(handle.clone())
                .serve(router.into_make_service());
            tokio::spawn(async move {
                _ = stopped.wait_for(|stop| *stop).await;
                handle.graceful_shutdown(Some(Duration::from_secs(1)));
            });
            tasks.push(tokio::spawn(server));
            continue;
        }
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let server = axum::serve(listener, router)
            .with_graceful_shutdown(async move { _ = stopped.wait_for(|stop| *stop).await });
        tasks.push(tokio::spawn(server.into_future()));
    }
    Ok(Running { store, stop, tasks })
}

impl Running {
    /// Stops every server, letting requests in flight finish (one second at most).
    pub async fn stop(self) -> io::Result<()> {
        self.stop.send_replace(true);
        for mut task in self.tasks {
            match tokio::time::timeout(Duration::from_secs(1), &mut task).await {
                Ok(finished) => finished.map_err(io::Error::other)??,
                // A connection kept open past the second: dropped.
                Err(_) => task.abort(),
            }
        }
        Ok(())
    }
}

async fn api_home() -> &'static str {
    "cors-credentials axum demo API: open the front-end page the example printed.\n"
}

async fn index(State(html): State<Arc<str>>) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Html(html.to_string()),
    )
        .into_response()
}

async fn app_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        demo::PAGE_SCRIPT,
    )
        .into_response()
}

/// Logs each request's `Origin`, request line and status once answered.
async fn log_request(req: Request, next: Next) -> Response {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|origin| origin.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let line = format!("{} {} {:?}", req.method(), req.uri().path(), req.version());
    let res = next.run(req).await;
    log::info!(target: REQUEST_LOG, "api: {origin} {line} -> {}", res.status().as_u16());
    res
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use cors_credentials::testing::Audit;
    use cors_credentials_examples::demo::Store;

    use crate::api::{FRONT_END, ME, SESSION_COOKIE};

    /// The API as `main` serves it audits clean, logged in. A tower layer
    /// knows no path: each layered route is declared with its policy.
    #[tokio::test]
    async fn the_api_audits_clean() {
        let store = Arc::new(Store::default());
        let token = store.log_in("ada").unwrap();
        let report = Audit::new()
            .route("/api/login", &FRONT_END, &["POST"])
            .route("/api/me", &ME, &["GET", "PUT"])
            .route("/api/logout", &FRONT_END, &["POST"])
            .header("cookie", &format!("{SESSION_COOKIE}={token}"))
            .audit_tower(super::api_router(store, false), &["/account/close"])
            .await;
        report.assert_clean();
        assert_eq!(report.paths().len(), 4, "{report}");
    }
}
