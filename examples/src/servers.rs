//! The two-origin examples' API server, and running servers stopped
//! together: what [`crate::demo::start`] and [`crate::realtime::start`]
//! return wraps one of these.

use std::{io, net::TcpListener};

use actix_web::{
    dev::{Server, ServerHandle},
    middleware::Logger,
    rt::task::JoinHandle,
    web, App, HttpResponse, HttpServer,
};
use cors_credentials::CrossOriginGuard;

use crate::tls::{self, Tls};

/// The server of a two-origin example's API on `listeners`: the routes and
/// data `configure` registers, every one of them behind
/// [`CrossOriginGuard`] and the request log, and `home` as the text of
/// `GET /`, over HTTPS with `tls`. Two workers; signals are left to the caller, which stops it
/// (one second for the requests in flight).
pub(crate) fn api(
    listeners: Vec<TcpListener>,
    tls: Option<&Tls>,
    home: &'static str,
    configure: impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
) -> io::Result<Server> {
    let server = HttpServer::new(move || {
        App::new()
            // Every route, annotated or not: a cross-origin POST, PUT or
            // DELETE passes only on a route whose own policy allows its origin.
            .wrap(CrossOriginGuard::new())
            // Outermost, so it also logs the 403s of refused requests.
            .wrap(Logger::new("api: %{Origin}i %r -> %s"))
            .configure(configure.clone())
            .route(
                "/",
                web::get().to(move || async move {
                    HttpResponse::Ok()
                        .content_type("text/plain; charset=utf-8")
                        .body(home)
                }),
            )
    })
    .workers(2)
    .disable_signals()
    .shutdown_timeout(1);
    Ok(tls::listen!(server, listeners, tls)?.run())
}

/// Servers spawned on the current actix-web runtime.
pub(crate) struct Servers {
    handles: Vec<ServerHandle>,
    tasks: Vec<JoinHandle<io::Result<()>>>,
}

impl Servers {
    /// Spawns each server; they stop with [`Servers::stop`].
    pub(crate) fn spawn(servers: impl IntoIterator<Item = Server>) -> Self {
        let mut handles = Vec::new();
        let mut tasks = Vec::new();
        for server in servers {
            handles.push(server.handle());
            tasks.push(actix_web::rt::spawn(server));
        }
        Servers { handles, tasks }
    }

    /// Stops every server, letting requests in flight finish (one second at most).
    pub(crate) async fn stop(self) -> io::Result<()> {
        // `stop` sends its command at once, so the servers stop side by side.
        let stopping: Vec<_> = self.handles.iter().map(|h| h.stop(true)).collect();
        for stopped in stopping {
            stopped.await;
        }
        for task in self.tasks {
            task.await.map_err(io::Error::other)??;
        }
        Ok(())
    }
}

/// Asserts that the API `configure` registers answers a browser's preflight
/// of each of `routes` (a method and a path) from each of `allowed` with
/// `204` and that origin, and from two other origins with `403` and no
/// `Access-Control-Allow-Origin`: for the tests of the examples' APIs.
#[cfg(test)]
pub(crate) async fn assert_preflights(
    configure: impl FnOnce(&mut web::ServiceConfig),
    routes: &[(&str, &str)],
    allowed: &[&str],
) {
    use actix_web::{
        http::{header, Method},
        test,
    };

    let app = test::init_service(App::new().configure(configure)).await;
    let others = ["http://localhost:3001", "http://localhost:8080"];
    for &(method, path) in routes {
        for &origin in allowed.iter().chain(&others) {
            let req = test::TestRequest::default()
                .method(Method::OPTIONS)
                .uri(path)
                .insert_header((header::ORIGIN, origin))
                .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, method))
                .to_request();
            let res = test::call_service(&app, req).await;
            let allow_origin = res
                .headers()
                .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                .map(|v| v.to_str().unwrap().to_owned());
            if allowed.contains(&origin) {
                assert_eq!(res.status(), 204, "{method} {path} from {origin}");
                assert_eq!(allow_origin.as_deref(), Some(origin));
            } else {
                assert_eq!(res.status(), 403, "{method} {path} from {origin}");
                assert_eq!(allow_origin, None);
            }
        }
    }
}
