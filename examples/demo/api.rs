//! The demo API: four handlers sharing one policy that names the front-end
//! origins allowed to call them with the user's cookies.
//!
//! The origins are literals checked at compile time, so the allowed front-end
//! port is part of the build: to serve the page on another origin, change
//! `origins` in [`FRONT_END`] (and [`ALLOWED_ORIGINS`], which the demo prints)
//! and rebuild.

use actix_web::{
    cookie::{Cookie, SameSite},
    get,
    http::StatusCode,
    post, put, web, HttpRequest, HttpResponse,
};
use cors_credentials::cors_credentials;
use serde::Deserialize;
use serde_json::json;

use super::{
    server_log::ServerLog,
    store::{name_problem, Store},
};

cors_credentials::policy! {
    /// The demo's front end, served on localhost (same site as the API) and
    /// on 127.0.0.1 (cross-site), over http or, with `--https`, over https
    /// (the scheme is part of the origin: each is listed).
    pub FRONT_END = {
        origins: [
            "http://localhost:3000",
            "http://127.0.0.1:3000",
            "https://localhost:3000",
            "https://127.0.0.1:3000",
        ],
    }
}

/// The origins [`FRONT_END`] allows, as written there.
pub const ALLOWED_ORIGINS: [&str; 4] = [
    "http://localhost:3000",
    "http://127.0.0.1:3000",
    "https://localhost:3000",
    "https://127.0.0.1:3000",
];

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "session";

/// Registers the API's handlers, each annotated one with its preflight route.
pub fn routes(config: &mut web::ServiceConfig) {
    config
        .service(login)
        .service(me)
        .service(update_me)
        .service(logout)
        .service(server_log)
        // Nobody annotated this one: the app-wide guard protects it.
        .route("/account/close", web::post().to(close_account));
}

#[derive(Deserialize)]
struct Login {
    user: String,
}

/// Logs in and sets the session cookie.
///
/// A form `POST` is a "simple" request: browsers send it without a preflight,
/// cookies included. From a not-allowed origin it still reaches the server,
/// which answers `403` without running this handler.
#[cors_credentials(policy = FRONT_END)]
#[post("/api/login")]
async fn login(
    store: web::Data<Store>,
    req: HttpRequest,
    form: web::Form<Login>,
) -> actix_web::Result<HttpResponse> {
    let user = form.user.trim();
    if let Some(problem) = name_problem(user) {
        return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, problem));
    }
    let token = store.log_in(user)?;
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(token, &req))
        .json(json!({ "user": user })))
}

/// The current user, read with the session cookie.
///
/// Both `x-request-id` and `x-served-by` reach the browser; the page can read
/// only the one listed in `expose_headers`.
#[cors_credentials(policy = FRONT_END, expose_headers = ["x-request-id"])]
#[get("/api/me")]
async fn me(store: web::Data<Store>, req: HttpRequest) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    res.insert_header(("x-request-id", store.next_request_id().to_string()))
        .insert_header(("x-served-by", "cors-credentials-demo"));
    match session(&req).and_then(|token| store.profile(&token)) {
        Some(profile) => res.json(profile),
        None => res
            .status(StatusCode::UNAUTHORIZED)
            .json(json!({ "error": "not logged in" })),
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
#[cors_credentials(policy = FRONT_END, headers = ["content-type"])]
#[put("/api/me")]
async fn update_me(
    store: web::Data<Store>,
    req: HttpRequest,
    body: web::Json<Rename>,
) -> HttpResponse {
    let Some(token) = session(&req) else {
        return error(StatusCode::UNAUTHORIZED, "not logged in");
    };
    let name = body.name.trim();
    if let Some(problem) = name_problem(name) {
        // An error response gets the CORS headers too, so the page reads it.
        return error(StatusCode::UNPROCESSABLE_ENTITY, problem);
    }
    match store.rename(&token, name) {
        Some(profile) => HttpResponse::Ok().json(profile),
        None => error(StatusCode::UNAUTHORIZED, "not logged in"),
    }
}

/// The API's last records of cors-credentials (its refusals and warnings),
/// oldest first, for the page to show what the server logged.
#[cors_credentials(policy = FRONT_END)]
#[get("/api/server-log")]
async fn server_log(log: web::Data<ServerLog>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "records": log.recent() }))
}

/// Ends the session and removes the cookie.
#[cors_credentials(policy = FRONT_END)]
#[post("/api/logout")]
async fn logout(store: web::Data<Store>, req: HttpRequest) -> HttpResponse {
    if let Some(token) = session(&req) {
        store.log_out(&token);
    }
    let mut cookie = session_cookie(String::new(), &req);
    cookie.make_removal();
    HttpResponse::Ok()
        .cookie(cookie)
        .json(json!({ "logged_out": true }))
}

/// Closes the account: a classic form handler, posted to by a page of the
/// API's own (or, in the demo, of the front end) with a plain HTML form.
///
/// It has no `#[cors_credentials]`: no page reads its answer with `fetch`,
/// so it needs no CORS headers. That is also why CORS alone would not
/// protect it: a form on any site can post to it with the user's cookie,
/// and the handler would run before the browser hid the answer (CSRF). The
/// demo's `CrossOriginGuard` refuses such a post from an origin no handler
/// allows, with `403`, before this runs.
async fn close_account(store: web::Data<Store>, req: HttpRequest) -> HttpResponse {
    let closed = session(&req).and_then(|token| store.close_account(&token));
    let body = match closed {
        Some(user) => format!("account {user} closed\n"),
        None => return error(StatusCode::UNAUTHORIZED, "not logged in"),
    };
    let mut cookie = session_cookie(String::new(), &req);
    cookie.make_removal();
    HttpResponse::Ok()
        .cookie(cookie)
        .content_type("text/plain; charset=utf-8")
        .body(body)
}

/// The session cookie: `HttpOnly; Secure; Path=/`, and
/// - over https (`--https`), `SameSite=Lax`: what works on the same-site page
///   (`https://localhost:3000` calling `https://localhost:8080`) in Chromium,
///   Firefox and WebKit alike, whatever their third-party cookie setting
///   (the table in `cors-credentials/docs/cookies.md`, measured by
///   `tests/browser.rs`). On the cross-site page (`https://127.0.0.1:3000`)
///   the browser stores it but never sends it back: the page says so.
/// - over plain http, `SameSite=None`, which lets it ride on cross-site
///   requests too where third-party cookies are allowed; browsers accept
///   `SameSite=None` only with `Secure`, and Chromium and Firefox count
///   `http://localhost` as secure, but WebKit drops a `Secure` cookie that
///   came over http: use `--https` there.
///
/// Cross-site the cookie is a third-party cookie, which browsers that block
/// those (Safari, Chrome in Incognito) drop whatever its attributes: keep
/// the page and the API on one site (`app.example.com`, `api.example.com`).
fn session_cookie(token: String, req: &HttpRequest) -> Cookie<'static> {
    // The listener's own transport, not a client's `X-Forwarded-Proto`.
    let same_site = if req.app_config().secure() {
        SameSite::Lax
    } else {
        SameSite::None
    };
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(true)
        .same_site(same_site)
        .finish()
}

/// The session token the request's cookie carries, if any.
pub fn session(req: &HttpRequest) -> Option<String> {
    req.cookie(SESSION_COOKIE)
        .map(|cookie| cookie.value().to_owned())
}

fn error(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({ "error": message }))
}
