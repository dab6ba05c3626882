//! WebSocket upgrades and server-sent events under `#[cors_credentials]`,
//! on the routes of the real-time example (`examples/realtime`).
//!
//! What `actix_web::test` can observe is tested there; the upgrade itself and
//! the streaming, which it cannot, go through a real server on loopback and
//! actix's own client.

use std::time::Duration;

use actix_web::{
    body::MessageBody,
    dev::{Service, ServiceResponse},
    http::StatusCode,
    rt::time::timeout,
    test, web, App, Error,
};
use awc::ws::{Frame, Message};
use cors_credentials_examples::{
    demo::{api::SESSION_COOKIE, Store},
    realtime::{self, api::ALLOWED_ORIGINS, Hub, Running},
};
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{json, Value};
use test_support::{
    browser::{loopback_listener, port},
    headers::{all, assert_allowed, assert_no_allow_headers, one, vary},
};

/// The allowed origin the tests call from.
const ALLOWED: &str = ALLOWED_ORIGINS[0];
/// The demo's not-allowed front end.
const NOT_ALLOWED: &str = "http://localhost:3001";
/// The longest a test waits for one thing to arrive.
const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------
// WebSocket

/// A browser upgrade from another site carries the user's cookie and is never
/// preflighted: it is refused with `403` before the handler runs, and the
/// client is not upgraded.
#[actix_web::test]
async fn upgrade_from_a_not_allowed_origin_is_refused_before_the_handler() {
    let (app, store, hub) = app(Hub::default()).await;
    let cookie = cookie(&store, "ada");

    let req = upgrade(Some(NOT_ALLOWED)).insert_header(("cookie", cookie.clone()));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(hub.sockets_opened(), 0, "the handler ran");
    for name in ["upgrade", "sec-websocket-accept"] {
        assert!(all(&res, name).is_empty(), "{name}: {:?}", res.headers());
    }
    assert_no_allow_headers(&res);
    assert_eq!(vary(&res), ["origin"]);
    let body = test::read_body(res).await;
    assert_eq!(body, "CORS request refused: origin not allowed\n");

    // The same upgrade from an allowed origin runs the handler.
    let req = upgrade(Some(ALLOWED)).insert_header(("cookie", cookie));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::SWITCHING_PROTOCOLS);
    assert_eq!(hub.sockets_opened(), 1);
}

/// A request to the socket route that is no WebSocket handshake gets the
/// handler's `400`, which an allowed page can read like any error.
#[actix_web::test]
async fn plain_get_of_the_socket_route_is_a_readable_error() {
    let (app, _, hub) = app(Hub::default()).await;
    let req = test::TestRequest::get()
        .uri("/ws")
        .insert_header(("origin", ALLOWED))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_allowed(&res, ALLOWED);
    assert_eq!(hub.sockets_opened(), 0);
}

/// Over the wire: a WebSocket client sees the `403` and no upgrade.
#[actix_web::test]
async fn not_allowed_origin_gets_no_socket() {
    let server = Server::start(Hub::default());
    let token = server.running.store.log_in("ada").unwrap();
    let connecting = awc::Client::new()
        .ws(server.url("/ws"))
        .origin(NOT_ALLOWED)
        .set_header("cookie", format!("{SESSION_COOKIE}={token}"))
        .connect();
    let refused = timeout(WAIT, connecting).await.unwrap();
    match refused {
        Err(awc::error::WsClientError::InvalidResponseStatus(status)) => {
            assert_eq!(status, StatusCode::FORBIDDEN)
        }
        Err(error) => panic!("expected a 403, got {error}"),
        Ok((res, _)) => panic!("upgraded: {res:?}"),
    }
    assert_eq!(server.running.hub.sockets_opened(), 0);
    server.stop().await;
}

/// An allowed origin upgrades, and the socket's handler reads the session
/// cookie the upgrade carried: it greets the logged-in user, then echoes.
#[actix_web::test]
async fn allowed_origin_upgrades_with_the_cookie() {
    let server = Server::start(Hub::default());
    let token = server.running.store.log_in("ada").unwrap();
    let cookie = format!("{SESSION_COOKIE}={token}");
    let (greeting, echo) = server.socket(Some(ALLOWED), Some(&cookie)).await;
    assert_eq!(greeting, json!({ "hello": "ada" }));
    assert_eq!(echo, json!({ "echo": "ping" }));
    assert_eq!(server.running.hub.sockets_opened(), 1);
    server.stop().await;
}

/// A client without `Origin` (no browser sends a WebSocket upgrade without
/// one) upgrades; without the cookie the socket says it is anonymous.
#[actix_web::test]
async fn upgrade_without_origin_is_accepted() {
    let server = Server::start(Hub::default());
    let (greeting, echo) = server.socket(None, None).await;
    assert_eq!(greeting, json!({ "hello": null }));
    assert_eq!(echo, json!({ "echo": "ping" }));
    server.stop().await;
}

/// A page served by the API itself upgrades: its `Origin` is the request's
/// own scheme and host, which the list does not need to name.
#[actix_web::test]
async fn same_origin_upgrade_is_accepted() {
    let server = Server::start(Hub::default());
    let own = server.url("");
    assert!(!ALLOWED_ORIGINS.contains(&own.as_str()));
    let token = server.running.store.log_in("grace").unwrap();
    let cookie = format!("{SESSION_COOKIE}={token}");
    let (greeting, _) = server.socket(Some(&own), Some(&cookie)).await;
    assert_eq!(greeting, json!({ "hello": "grace" }));
    server.stop().await;
}

// ---------------------------------------------------------------------------
// Server-sent events

/// The first event reaches the client while the stream is still open: the
/// middleware adds its headers and passes the body through, never buffering.
#[actix_web::test]
async fn first_event_arrives_while_the_stream_is_open() {
    // One event, then a pause far longer than the test waits.
    let server = Server::start(Hub::new(Duration::from_secs(60), 3));
    let request = awc::Client::new()
        .get(server.url("/events"))
        .insert_header(("origin", ALLOWED))
        .insert_header(("accept", "text/event-stream"))
        .send();
    let mut res = timeout(WAIT, request).await.unwrap().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let header = |name: &str| {
        let values: Vec<_> = res.headers().get_all(name).collect();
        assert_eq!(values.len(), 1, "{name}: {:?}", res.headers());
        values[0].to_str().unwrap().to_owned()
    };
    assert_eq!(header("access-control-allow-origin"), ALLOWED);
    assert_eq!(header("access-control-allow-credentials"), "true");
    assert_eq!(header("vary"), "Origin");
    assert_eq!(header("content-type"), "text/event-stream");

    let mut received = Vec::new();
    while !received.windows(2).any(|w| w == b"\n\n") {
        let chunk = timeout(WAIT, res.next()).await;
        let chunk = chunk.expect("no first event in time");
        let chunk = chunk.expect("the stream ended before its first event");
        received.extend_from_slice(&chunk.unwrap());
    }
    let events = parse_events(&String::from_utf8(received).unwrap());
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].0, "1");
    assert_eq!(events[0].1["n"], 1);
    // Still open: nothing more yet, and no end of the body.
    let next = timeout(Duration::from_millis(500), res.next()).await;
    assert!(next.is_err(), "the stream went on or ended: {next:?}");
    assert_eq!(server.running.hub.streams_started(), 1);
    drop(res);
    server.stop().await;
}

/// A reconnect carries `Last-Event-ID`: the stream resumes after it, and the
/// preflight a browser may send for that header is granted, while one asking
/// for any other header is refused (`headers = ["last-event-id"]`).
#[actix_web::test]
async fn reconnect_with_last_event_id_resumes() {
    let (app, store, hub) = app(Hub::new(Duration::from_millis(1), 3)).await;
    let req = test::TestRequest::get()
        .uri("/events")
        .insert_header(("origin", ALLOWED))
        .insert_header(("last-event-id", "3"))
        .insert_header(("cookie", cookie(&store, "ada")))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_allowed(&res, ALLOWED);
    assert_eq!(one(&res, "content-type"), "text/event-stream");
    let body = test::read_body(res).await;
    let events = parse_events(std::str::from_utf8(&body).unwrap());
    let ids: Vec<_> = events.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["4", "5", "6"]);
    for (id, data) in &events {
        assert_eq!(data["n"].to_string(), *id);
        assert_eq!(data["last_event_id"], 3);
        assert_eq!(data["user"], "ada");
    }
    assert_eq!(hub.streams_started(), 1);

    let preflight = |headers: &str| {
        test::TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/events")
            .insert_header(("origin", ALLOWED))
            .insert_header(("access-control-request-method", "GET"))
            .insert_header(("access-control-request-headers", headers.to_owned()))
            .to_request()
    };
    let res = test::call_service(&app, preflight("last-event-id")).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_allowed(&res, ALLOWED);
    let allowed = one(&res, "access-control-allow-headers");
    assert!(
        allowed
            .split(',')
            .any(|name| name.trim().eq_ignore_ascii_case("last-event-id")),
        "{allowed}"
    );
    for asked in ["x-debug", "last-event-id,x-debug"] {
        let res = test::call_service(&app, preflight(asked)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{asked}");
        assert_no_allow_headers(&res);
    }
    assert_eq!(hub.streams_started(), 1, "a preflight ran the handler");
}

/// A stream from a not-allowed origin is refused with `403` before the
/// handler runs: no stream is started, and no event is sent.
#[actix_web::test]
async fn events_from_a_not_allowed_origin_are_refused() {
    let (app, store, hub) = app(Hub::new(Duration::from_millis(1), 3)).await;
    let events = |origin: &str| {
        test::TestRequest::get()
            .uri("/events")
            .insert_header(("origin", origin.to_owned()))
            .insert_header(("accept", "text/event-stream"))
            .insert_header(("cookie", cookie(&store, "ada")))
            .to_request()
    };
    let res = test::call_service(&app, events(NOT_ALLOWED)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_no_allow_headers(&res);
    assert_eq!(vary(&res), ["origin"]);
    assert_eq!(one(&res, "content-type"), "text/plain; charset=utf-8");
    let body = test::read_body(res).await;
    assert_eq!(body, "CORS request refused: origin not allowed\n");
    assert_eq!(hub.streams_started(), 0, "the handler ran");

    // The same request from an allowed origin starts a stream.
    let res = test::call_service(&app, events(ALLOWED)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(hub.streams_started(), 1);
}

// ---------------------------------------------------------------------------
// Helpers

/// The real-time routes in a test app of their own, with its store and hub.
async fn app(
    hub: Hub,
) -> (
    impl Service<actix_http::Request, Response = ServiceResponse<impl MessageBody>, Error = Error>,
    web::Data<Store>,
    web::Data<Hub>,
) {
    let store = web::Data::new(Store::default());
    let hub = web::Data::new(hub);
    let app = test::init_service(
        App::new()
            .app_data(store.clone())
            .app_data(hub.clone())
            .configure(realtime::api::routes),
    )
    .await;
    (app, store, hub)
}

/// A `Cookie` header with a fresh session of `user`.
fn cookie(store: &Store, user: &str) -> String {
    format!("{SESSION_COOKIE}={}", store.log_in(user).unwrap())
}

/// A WebSocket handshake request for `/ws`.
fn upgrade(origin: Option<&str>) -> test::TestRequest {
    let req = test::TestRequest::get()
        .uri("/ws")
        .insert_header(("connection", "upgrade"))
        .insert_header(("upgrade", "websocket"))
        .insert_header(("sec-websocket-version", "13"))
        .insert_header(("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="));
    match origin {
        Some(origin) => req.insert_header(("origin", origin.to_owned())),
        None => req,
    }
}

/// The `(id, data)` of each event of a `text/event-stream` body.
fn parse_events(body: &str) -> Vec<(String, Value)> {
    body.split("\n\n")
        .filter(|block| !block.trim().is_empty())
        .map(|block| {
            let field = |name: &str| {
                block
                    .lines()
                    .find_map(|line| line.strip_prefix(name))
                    .unwrap_or_else(|| panic!("no {name} in {block:?}"))
                    .to_owned()
            };
            let data = serde_json::from_str(&field("data: ")).unwrap();
            (field("id: "), data)
        })
        .collect()
}

/// The example's servers on free loopback ports.
struct Server {
    running: Running,
    api_port: u16,
}

impl Server {
    fn start(hub: Hub) -> Server {
        let api = loopback_listener();
        let api_port = port(&api);
        let origin = format!("http://127.0.0.1:{api_port}");
        let running = realtime::start(vec![api], vec![loopback_listener()], &origin, hub).unwrap();
        Server { running, api_port }
    }

    /// `http://127.0.0.1:<port><path>` on the API.
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.api_port)
    }

    /// Opens `/ws` with `origin` and `cookie`, expects `101`, sends `ping`,
    /// and returns the greeting and the echo.
    async fn socket(&self, origin: Option<&str>, cookie: Option<&str>) -> (Value, Value) {
        let mut request = awc::Client::new().ws(self.url("/ws"));
        if let Some(origin) = origin {
            request = request.origin(origin);
        }
        if let Some(cookie) = cookie {
            request = request.set_header("cookie", cookie);
        }
        let (res, mut socket) = timeout(WAIT, request.connect()).await.unwrap().unwrap();
        assert_eq!(res.status(), StatusCode::SWITCHING_PROTOCOLS);
        let greeting = next_text(&mut socket).await;
        socket.send(Message::Text("ping".into())).await.unwrap();
        let echo = next_text(&mut socket).await;
        socket.send(Message::Close(None)).await.unwrap();
        (greeting, echo)
    }

    async fn stop(self) {
        self.running.stop().await.unwrap();
    }
}

/// The next frame of a WebSocket, which must be a JSON text.
async fn next_text<S, E>(socket: &mut S) -> Value
where
    S: futures_util::Stream<Item = Result<Frame, E>> + Unpin,
    E: std::fmt::Debug,
{
    match timeout(WAIT, socket.next()).await {
        Ok(Some(Ok(Frame::Text(text)))) => serde_json::from_slice(&text).unwrap(),
        other => panic!("expected a text frame, got {other:?}"),
    }
}
