//! The demo's API in axum: the same routes, answers and policy as
//! `examples/demo/api.rs`, with a [`CorsLayer`] on each route instead of
//! `#[cors_credentials]` on each handler.

use std::sync::Arc;

use axum::{
    extract::State,
    http::{
        header::{self, HeaderMap, HeaderValue},
        Method, StatusCode,
    },
    response::{IntoResponse, Response},
    routing::{get, post},
    Extension, Form, Json, Router,
};
use cors_credentials::tower::CorsLayer;
use cors_credentials_examples::demo::{name_problem, Store};
use serde::Deserialize;
use serde_json::json;

cors_credentials::policy! {
    /// The demo's front end, served on localhost (same site as the API) and
    /// on 127.0.0.1 (cross-site), over http or, with `--https`, over https.
    pub FRONT_END = {
        origins: [
            "http://localhost:3000",
            "http://127.0.0.1:3000",
            "https://localhost:3000",
            "https://127.0.0.1:3000",
        ],
    };

    /// `/api/me`: `GET` and `PUT` are one axum route, so they share one
    /// layer and one policy. The page may read `x-request-id` (not
    /// `x-served-by`), and send the `content-type` of its JSON `PUT`.
    pub ME = {
        origins: [
            "http://localhost:3000",
            "http://127.0.0.1:3000",
            "https://localhost:3000",
            "https://127.0.0.1:3000",
        ],
        headers: ["content-type"],
        expose_headers: ["x-request-id"],
    };
}

/// The origins [`FRONT_END`] and [`ME`] allow, as written there.
pub const ALLOWED_ORIGINS: [&str; 4] = [
    "http://localhost:3000",
    "http://127.0.0.1:3000",
    "https://localhost:3000",
    "https://127.0.0.1:3000",
];

/// Whether the API is served over https: the routes' extension, which picks
/// the session cookie's `SameSite`.
#[derive(Clone, Copy, Debug)]
pub struct Https(pub bool);

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "session";

/// The API's routes, each under its [`CorsLayer`], which decides alone
/// which origins may call it: the caller adds them after its
/// `CrossOriginGuardLayer`, which does not wrap them.
///
/// The layers go on each route's `MethodRouter` with `.layer` (not
/// `.route_layer`), so that they answer the route's preflights (`OPTIONS`),
/// for the methods listed.
pub fn routes() -> Router<Arc<Store>> {
    Router::new()
        .route(
            "/api/login",
            post(login).layer(CorsLayer::new(&FRONT_END, [Method::POST])),
        )
        .route(
            "/api/me",
            get(me)
                .put(update_me)
                .layer(CorsLayer::new(&ME, [Method::GET, Method::PUT])),
        )
        .route(
            "/api/logout",
            post(logout).layer(CorsLayer::new(&FRONT_END, [Method::POST])),
        )
}

/// The routes without a layer, which the caller's `CrossOriginGuardLayer`
/// protects: `POST /account/close`.
pub fn guarded_routes() -> Router<Arc<Store>> {
    Router::new().route("/account/close", post(close_account))
}

#[derive(Deserialize)]
struct Login {
    user: String,
}

/// Logs in and sets the session cookie.
///
/// A form `POST` is a "simple" request: browsers send it without a preflight,
/// cookies included. From a not-allowed origin it still reaches the server,
/// where the layer answers `403` without running this handler.
async fn login(
    State(store): State<Arc<Store>>,
    Extension(https): Extension<Https>,
    Form(form): Form<Login>,
) -> Response {
    let user = form.user.trim();
    if let Some(problem) = name_problem(user) {
        return error(StatusCode::UNPROCESSABLE_ENTITY, problem);
    }
    match store.log_in(user) {
        Ok(token) => (
            [(header::SET_COOKIE, session_cookie(&token, https))],
            Json(json!({ "user": user })),
        )
            .into_response(),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "cannot start a session"),
    }
}

/// The current user, read with the session cookie.
///
/// Both `x-request-id` and `x-served-by` reach the browser; the page can read
/// only the one listed in `expose_headers`.
async fn me(State(store): State<Arc<Store>>, headers: HeaderMap) -> Response {
    let ids = [
        ("x-request-id", store.next_request_id().to_string()),
        ("x-served-by", "cors-credentials-demo".to_owned()),
    ];
    match session(&headers).and_then(|token| store.profile(&token)) {
        Some(profile) => (ids, Json(profile)).into_response(),
        None => (ids, error(StatusCode::UNAUTHORIZED, "not logged in")).into_response(),
    }
}

#[derive(Deserialize)]
struct Rename {
    name: String,
}

/// Changes the display name.
///
/// A JSON body makes the browser send a preflight first, asking for the
/// `content-type` request header, which `headers` allows.
async fn update_me(
    State(store): State<Arc<Store>>,
    headers: HeaderMap,
    Json(body): Json<Rename>,
) -> Response {
    let Some(token) = session(&headers) else {
        return error(StatusCode::UNAUTHORIZED, "not logged in");
    };
    let name = body.name.trim();
    if let Some(problem) = name_problem(name) {
        // An error response gets the CORS headers too, so the page reads it.
        return error(StatusCode::UNPROCESSABLE_ENTITY, problem);
    }
    match store.rename(&token, name) {
        Some(profile) => Json(profile).into_response(),
        None => error(StatusCode::UNAUTHORIZED, "not logged in"),
    }
}

/// Ends the session and removes the cookie.
async fn logout(
    State(store): State<Arc<Store>>,
    Extension(https): Extension<Https>,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = session(&headers) {
        store.log_out(&token);
    }
    (
        [(header::SET_COOKIE, removed_session_cookie(https))],
        Json(json!({ "logged_out": true })),
    )
        .into_response()
}

/// Closes the account: a classic form handler, posted to with a plain HTML
/// form.
///
/// It has no `CorsLayer`: no page reads its answer with `fetch`, so it needs
/// no CORS headers. That is also why CORS alone would not protect it: a form
/// on any site can post to it with the user's cookie, and the handler would
/// run before the browser hid the answer (CSRF). The router's
/// `CrossOriginGuardLayer` refuses such a post from an origin no layer
/// allows, with `403`, before this runs.
async fn close_account(
    State(store): State<Arc<Store>>,
    Extension(https): Extension<Https>,
    headers: HeaderMap,
) -> Response {
    match session(&headers).and_then(|token| store.close_account(&token)) {
        Some(user) => (
            [
                (header::SET_COOKIE, removed_session_cookie(https)),
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                ),
            ],
            format!("account {user} closed\n"),
        )
            .into_response(),
        None => error(StatusCode::UNAUTHORIZED, "not logged in"),
    }
}

/// The session cookie: over https `SameSite=Lax`, which the same-site page
/// keeps in every engine (`cors-credentials/docs/cookies.md`); over http
/// `SameSite=None`, as follows.
///
/// `SameSite=None` lets it ride on cross-site requests too (a page on
/// `http://127.0.0.1:3000` calling `http://localhost:8080`), and browsers
/// accept `SameSite=None` only with `Secure`. Browsers count
/// `http://localhost` as secure, so this works locally without TLS; a
/// deployed API needs https. Cross-site it is still a third-party cookie,
/// which browsers that block those drop: keep the page and the API on one
/// site (`app.example.com`, `api.example.com`).
fn session_cookie(token: &str, https: Https) -> HeaderValue {
    let same_site = same_site(https);
    // The token is hex, so the cookie is a valid header value.
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite={same_site}; Secure; Path=/"
    ))
    .expect("a hex token")
}

/// A `Set-Cookie` that removes the session cookie.
fn removed_session_cookie(https: Https) -> HeaderValue {
    let same_site = same_site(https);
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}=; HttpOnly; SameSite={same_site}; Secure; Path=/; Max-Age=0"
    ))
    .expect("a valid header value")
}

fn same_site(Https(https): Https) -> &'static str {
    if https {
        "Lax"
    } else {
        "None"
    }
}

/// The session token the request's `Cookie` header carries, if any.
pub fn session(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}
