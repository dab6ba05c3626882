//! The real-time API: a WebSocket and a stream of server-sent events, both
//! under `#[cors_credentials]` with the demo's front-end policy, next to the
//! demo's login routes that set the session cookie they read.
//!
//! Browsers send cookies on a WebSocket upgrade and never preflight it, and
//! they ignore `Access-Control-*` on the `101`: the attribute's `403` to a
//! not-allowed `Origin`, before the handler runs, is what keeps another site
//! from opening the user's socket. `EventSource` with `withCredentials: true`
//! is a credentialed `GET`; its reconnects carry `Last-Event-ID`, which the
//! `/events` route lists in `headers` for the browsers that preflight it.

use std::{
    convert::Infallible,
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use actix_web::{get, http::header, web, HttpRequest, HttpResponse};
use actix_ws::Message;
use cors_credentials::cors_credentials;
use futures_util::stream;
use serde_json::json;

use crate::demo::{
    self,
    api::{session, FRONT_END},
    Store,
};

/// The origins the real-time routes allow: the demo's front end.
pub use crate::demo::api::ALLOWED_ORIGINS;

/// How long a browser waits before reconnecting after the server ends a
/// stream of events (the `retry:` field of each stream's first event).
pub const RETRY_MS: u64 = 500;

/// What the real-time handlers share: the pace of the event streams, and
/// how many sockets and streams the handlers started.
#[derive(Debug)]
pub struct Hub {
    interval: Duration,
    per_connection: u64,
    sockets: AtomicUsize,
    streams: AtomicUsize,
}

impl Hub {
    /// A stream sends its first event at once, then one every `interval`;
    /// after `per_connection` events the server ends it, and the browser
    /// reconnects with `Last-Event-ID`.
    pub fn new(interval: Duration, per_connection: u64) -> Self {
        Hub {
            interval,
            per_connection: per_connection.max(1),
            sockets: AtomicUsize::new(0),
            streams: AtomicUsize::new(0),
        }
    }

    /// How many WebSocket upgrades the handler accepted.
    pub fn sockets_opened(&self) -> usize {
        self.sockets.load(Ordering::SeqCst)
    }

    /// How many event streams the handler started.
    pub fn streams_started(&self) -> usize {
        self.streams.load(Ordering::SeqCst)
    }
}

impl Default for Hub {
    /// One event every 300 ms, three per connection.
    fn default() -> Self {
        Hub::new(Duration::from_millis(300), 3)
    }
}

/// Registers the real-time routes and the demo's login routes, each with its
/// preflight route. The app needs a [`web::Data`] of [`Store`] and of [`Hub`].
pub fn routes(config: &mut web::ServiceConfig) {
    config
        .configure(demo::api::routes)
        .service(socket)
        .service(events);
}

/// Greets the session's user over a WebSocket, then echoes each text message.
///
/// The greeting is `{"hello":"ada"}`, or `{"hello":null}` without a live
/// session cookie; an echo is `{"echo":"<text>"}`.
#[cors_credentials(policy = FRONT_END)]
#[get("/ws")]
async fn socket(
    req: HttpRequest,
    body: web::Payload,
    store: web::Data<Store>,
    hub: web::Data<Hub>,
) -> actix_web::Result<HttpResponse> {
    let user = user(&req, &store);
    // Not a WebSocket handshake: 400, with the CORS headers like any answer.
    let (response, mut session, mut messages) = actix_ws::handle(&req, body)?;
    hub.sockets.fetch_add(1, Ordering::SeqCst);
    actix_web::rt::spawn(async move {
        if session
            .text(json!({ "hello": user }).to_string())
            .await
            .is_err()
        {
            return;
        }
        while let Some(Ok(message)) = messages.recv().await {
            let sent = match message {
                Message::Text(text) => {
                    let echo = json!({ "echo": &*text }).to_string();
                    session.text(echo).await
                }
                Message::Ping(bytes) => session.pong(&bytes).await,
                Message::Close(reason) => {
                    let _ = session.close(reason).await;
                    return;
                }
                _ => Ok(()),
            };
            if sent.is_err() {
                return;
            }
        }
        let _ = session.close(None).await;
    });
    Ok(response)
}

/// A stream of numbered server-sent events.
///
/// Each event has an `id:` line and data
/// `{"n":4,"user":"ada","last_event_id":3}`: its number, the session's user
/// (`null` without the cookie) and the `Last-Event-ID` the request carried
/// (`null` without one). A request with `Last-Event-ID: N` resumes at `N + 1`.
/// The first event goes out at once; after [`Hub`]'s `per_connection` events
/// the stream ends, and the browser reconnects after [`RETRY_MS`].
///
/// Browsers have not preflighted `Last-Event-ID` so far, but it is not a
/// safelisted request header: `headers` allows it, and only it.
#[cors_credentials(policy = FRONT_END, headers = ["last-event-id"])]
#[get("/events")]
async fn events(req: HttpRequest, store: web::Data<Store>, hub: web::Data<Hub>) -> HttpResponse {
    let user = user(&req, &store);
    let last_event_id = last_event_id(&req);
    // An id that is not a number, or the last one there is, starts over.
    let first = last_event_id.and_then(|n| n.checked_add(1)).unwrap_or(1);
    let end = first.saturating_add(hub.per_connection);
    let interval = hub.interval;
    hub.streams.fetch_add(1, Ordering::SeqCst);
    let events = stream::unfold(first, move |n| {
        let user = user.clone();
        async move {
            if n >= end {
                return None;
            }
            let mut event = String::new();
            if n == first {
                event.push_str(&format!("retry: {RETRY_MS}\n"));
            } else {
                actix_web::rt::time::sleep(interval).await;
            }
            let data = json!({ "n": n, "user": user, "last_event_id": last_event_id });
            event.push_str(&format!("id: {n}\ndata: {data}\n\n"));
            Some((Ok::<_, Infallible>(web::Bytes::from(event)), n + 1))
        }
    });
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(events)
}

/// The user of the request's live session, if any.
fn user(req: &HttpRequest, store: &Store) -> Option<String> {
    session(req)
        .and_then(|token| store.profile(&token))
        .map(|profile| profile.user)
}

/// The request's `Last-Event-ID`, if it is a number.
fn last_event_id(req: &HttpRequest) -> Option<u64> {
    req.headers()
        .get("last-event-id")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}
