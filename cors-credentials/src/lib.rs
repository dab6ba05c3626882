//! Credentialed CORS for [actix-web](https://actix.rs) handlers: one attribute per
//! handler, checked at compile time.
//!
//! Browsers send cookies, TLS client certificates and `Authorization` on a cross-origin
//! request, and let the page read the answer, only when the server replies with
//! `Access-Control-Allow-Credentials: true` and an `Access-Control-Allow-Origin` equal to
//! the page's exact origin, on the preflight and on the actual response. Getting it wrong
//! either breaks the front end or lets any site read a logged-in user's data. This crate
//! makes the decision per handler, refuses every configuration that cannot work or is
//! unsafe before the program compiles, and answers each request from `'static` data
//! without allocating.
//!
//! ```no_run
//! use actix_web::{get, App, HttpServer, Responder};
//! use cors_credentials::cors_credentials;
//!
//! #[cors_credentials(origins = ["https://app.example.com", "http://localhost:3000"])]
//! #[get("/api/me")]
//! async fn me() -> impl Responder {
//!     "{\"name\":\"Ada\"}"
//! }
//!
//! #[actix_web::main]
//! async fn main() -> std::io::Result<()> {
//!     // Registers the handler and its preflight (OPTIONS) route.
//!     HttpServer::new(|| App::new().service(me))
//!         .bind(("127.0.0.1", 8080))?
//!         .run()
//!         .await
//! }
//! ```
//!
//! # Where to read on
//!
//! - [`#[cors_credentials(..)]`](macro@cors_credentials): the attribute. What a route
//!   answers, every option with an example, where the attribute goes among other
//!   attributes, and the mistakes it refuses at compile time.
//! - [`policy!`]: policies declared once and used by many handlers, including origins
//!   read from an environment variable at startup ([`Policy::load`], [`ConfigError`]).
//! - [`Cors`]: the middleware the attribute builds, for handlers registered by hand.
//!
//! # Testing handlers
//!
//! An annotated handler is an ordinary actix-web service, so `actix_web::test` exercises
//! its CORS behaviour like the rest of the handler:
//!
//! ```
//! use actix_web::{get, http::Method, test, App, Responder};
//! use cors_credentials::cors_credentials;
//!
//! #[cors_credentials(origins = ["https://app.example.com"])]
//! #[get("/api/me")]
//! async fn me() -> impl Responder {
//!     "{\"name\":\"Ada\"}"
//! }
//!
//! # #[actix_web::main]
//! # async fn main() {
//! let app = test::init_service(App::new().service(me)).await;
//!
//! // The preflight a browser sends before, e.g., a `fetch` with custom headers.
//! let req = test::TestRequest::default()
//!     .method(Method::OPTIONS)
//!     .uri("/api/me")
//!     .insert_header(("Origin", "https://app.example.com"))
//!     .insert_header(("Access-Control-Request-Method", "GET"))
//!     .to_request();
//! let res = test::call_service(&app, req).await;
//! assert_eq!(res.status(), 204);
//! assert_eq!(res.headers().get("access-control-allow-methods").unwrap(), "GET");
//!
//! // The actual request, from the same page.
//! let req = test::TestRequest::get()
//!     .uri("/api/me")
//!     .insert_header(("Origin", "https://app.example.com"))
//!     .to_request();
//! let res = test::call_service(&app, req).await;
//! assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://app.example.com");
//! assert_eq!(res.headers().get("access-control-allow-credentials").unwrap(), "true");
//! assert_eq!(test::read_body(res).await, "{\"name\":\"Ada\"}");
//! # }
//! ```
//!
//! # Logging
//!
//! Each refused request is explained in one [`log`](https://docs.rs/log) record at `debug`
//! level, under targets starting with `cors_credentials` (with `env_logger`:
//! `RUST_LOG=cors_credentials=debug`), with the request's values escaped. Browsers show
//! only "CORS error"; this record says which origin, method or header was refused and
//! where.
//!
//! # Cargo features and dependencies
//!
//! This crate has no Cargo features of its own. It depends on actix-web 4 with
//! `default-features = false`, so it turns on nothing in your build: compression, TLS,
//! cookies, HTTP/2 and the rest stay whatever your application selects. The routing
//! attributes (`#[get]`, …) need actix-web's `macros` feature, which is on by default.
//!
//! The attribute and [`policy!`] come from `cors-credentials-macros`, and the origin and
//! header rules they share with startup checks from `cors-credentials-rules`. Both are
//! pinned to this crate's exact version; depend on `cors-credentials` alone.
//!
//! The minimum supported Rust version is 1.89, actix-web 4.18's.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Generated code names `::cors_credentials`, which this crate's own tests use too.
extern crate self as cors_credentials;

// The modules form a one-way chain, each using only those above it:
// `escape` → `refusal` → `origin` → `env` → `policy` → `request` →
// `same_origin` → `actual`, `preflight` (the decisions, on bytes and
// `'static` data) → `actix` (the actix-web adapter).
mod actix;
mod actual;
mod env;
mod escape;
mod origin;
mod policy;
mod preflight;
mod refusal;
mod request;
mod same_origin;

/// Credentialed CORS for one actix-web handler, checked at compile time.
///
/// Put it above the handler's routing attribute. The handler is then registered as the
/// routing attribute alone would register it, with its route wrapped in the CORS
/// middleware, plus one preflight (`OPTIONS`) route per path that answers for the
/// handler's methods:
///
/// ```
/// use actix_web::{get, test, App, Responder};
/// use cors_credentials::cors_credentials;
///
/// #[cors_credentials(origins = ["https://app.example.com"])]
/// #[get("/api/me")]
/// async fn me() -> impl Responder {
///     "{\"name\":\"Ada\"}"
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(me)).await;
///
/// // The allowed origin reads the response, with the user's credentials.
/// let req = test::TestRequest::get()
///     .uri("/api/me")
///     .insert_header(("Origin", "https://app.example.com"))
///     .to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.status(), 200);
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://app.example.com");
/// assert_eq!(res.headers().get("access-control-allow-credentials").unwrap(), "true");
/// assert_eq!(res.headers().get("vary").unwrap(), "Origin");
///
/// // Any other site gets 403 with a short reason; the handler does not run.
/// let req = test::TestRequest::get()
///     .uri("/api/me")
///     .insert_header(("Origin", "https://evil.example.net"))
///     .to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.status(), 403);
/// assert!(res.headers().get("access-control-allow-origin").is_none());
/// assert_eq!(test::read_body(res).await, "CORS request refused: origin not allowed\n");
///
/// // Requests without `Origin` (same-origin pages, curl, servers) run the handler.
/// let req = test::TestRequest::get().uri("/api/me").to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.status(), 200);
/// assert!(res.headers().get("access-control-allow-origin").is_none());
/// # }
/// ```
///
/// # What a route answers
///
/// | request | response |
/// | --- | --- |
/// | `Origin` in the list | the handler's response, plus `Access-Control-Allow-Origin: <that origin>`, `Access-Control-Allow-Credentials: true`, `Vary: Origin` (and `Access-Control-Expose-Headers` when configured), on every response of the route: errors, extractor failures and failures of the route's own `wrap` middleware included |
/// | no `Origin`, or same-origin (`Sec-Fetch-Site: same-origin`, or `Origin` equal to the request's scheme and host) | the handler runs; no `Access-Control-Allow-*`; `Vary: Origin` |
/// | another `Origin` | `403` with a short plain-text reason; the handler does not run (cookies ride along on simple cross-site `POST`s: this is the CSRF defence); `Vary: Origin`. [`on_disallowed = "pass"`](#on_disallowed) runs the handler instead, without CORS headers |
/// | preflight (`OPTIONS` + `Origin` + `Access-Control-Request-Method`) for one of the route's methods | allowed: `204` with `Access-Control-Allow-Origin`, `-Credentials`, `-Methods`, `-Headers` (when asked), `-Max-Age`, and `Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers`; otherwise `403` with a reason and no `Access-Control-Allow-*` |
///
/// Origins are compared byte for byte with the request's `Origin`, as the Fetch Standard
/// requires; the request's `Origin` is never parsed. Each handler answers the preflights
/// of its own methods only, so two handlers on one path (`GET` for one origin, `POST` for
/// another) keep their own policies. Every refusal is explained in a `log` debug record.
///
/// # Options
///
/// | key | value | default |
/// | --- | --- | --- |
/// | [`origins`](#origins) | `["https://host[:port]", "https://*.domain", "http://localhost:*", ..]` or `env("VAR")` | required, unless `policy` |
/// | [`policy`](#policy) | a path to a [`policy!`] | none |
/// | [`headers`](#headers) | `["content-type", ..]` | any well-formed header the preflight asks for |
/// | [`expose_headers`](#expose_headers) | `["x-request-id", ..]` | none |
/// | [`max_age`](#max_age) | seconds, at most 86400 | 7200 |
/// | [`on_disallowed`](#on_disallowed) | `"reject"` or `"pass"` | `"reject"` |
/// | [`allow_insecure_http_origins`](#allow_insecure_http_origins) | `true` | `http://` on loopback hosts only |
/// | [`methods`](#methods-handlers-registered-by-hand) | `["GET", "PUT", ..]` | from the routing attribute; only for handlers without one |
///
/// There is no `credentials` key: `Access-Control-Allow-Credentials` has one valid value,
/// `true`, which is always sent. Drop the attribute to serve a handler without
/// credentialed CORS.
///
/// ## `origins`
///
/// The origins allowed to call the handler with the user's credentials, exactly as
/// browsers send them in `Origin`: `scheme://host[:port]`, lowercase, without the
/// default port, path or trailing slash. A different port or scheme is a different
/// origin.
///
/// ```
/// use actix_web::{post, test, App, HttpResponse};
/// use cors_credentials::cors_credentials;
///
/// #[cors_credentials(origins = ["https://app.example.com", "https://admin.example.com:8443"])]
/// #[post("/api/orders")]
/// async fn create() -> HttpResponse {
///     HttpResponse::Created().finish()
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(create)).await;
/// for (origin, status) in [
///     ("https://app.example.com", 201),
///     ("https://admin.example.com:8443", 201),
///     ("https://admin.example.com", 403),   // another port
///     ("http://app.example.com", 403),      // another scheme
///     ("https://app.example.com.evil.net", 403),
/// ] {
///     let req = test::TestRequest::post()
///         .uri("/api/orders")
///         .insert_header(("Origin", origin))
///         .to_request();
///     assert_eq!(test::call_service(&app, req).await.status(), status, "{origin}");
/// }
/// # }
/// ```
///
/// ### Patterns
///
/// Two pattern forms match a family of origins, and are refused anywhere they could
/// match a site someone else controls:
///
/// - `https://*.example.com`: any subdomain of `example.com`, at any depth, but never
///   `example.com` itself (list it too if it is a front end). The wildcard is the whole
///   leftmost label, and the domain must not be a public suffix (`*.com`, `*.co.uk`,
///   `*.github.io` are refused: anyone can register a name there).
/// - `http://localhost:*`: any port, on the loopback hosts `localhost`, `127.0.0.1` and
///   `[::1]` only, for development servers whose port changes.
///
/// ```
/// use actix_web::{get, test, App, Responder};
/// use cors_credentials::cors_credentials;
///
/// #[cors_credentials(origins = ["https://*.preview.example.com", "http://localhost:*"])]
/// #[get("/api/me")]
/// async fn me() -> impl Responder {
///     "{}"
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(me)).await;
/// for (origin, status) in [
///     ("https://pr-42.preview.example.com", 200),
///     ("https://a.b.preview.example.com", 200),
///     ("https://preview.example.com", 403),  // the domain itself
///     ("http://pr-42.preview.example.com", 403),
///     ("http://localhost:5173", 200),
///     ("http://localhost", 403),             // no port
///     ("http://127.0.0.1:5173", 403),        // another host
/// ] {
///     let req = test::TestRequest::get()
///         .uri("/api/me")
///         .insert_header(("Origin", origin))
///         .to_request();
///     assert_eq!(test::call_service(&app, req).await.status(), status, "{origin}");
/// }
/// # }
/// ```
///
/// ### Origins from the environment
///
/// `origins = env("VAR")` reads a comma-separated list of origins and patterns from the
/// environment variable `VAR` once, when the application starts. The list is checked by
/// the same code, with the same messages, as a list in the source, all or nothing. A list
/// in the source is checked before the program exists; an environment list only at
/// startup: declare it in a [`policy!`] and call
/// [`Policy::load`] first thing in `main`, so a bad value stops the
/// server with a message. Otherwise it is loaded when the handler is registered, and a
/// bad value panics there with the same message.
///
/// ```
/// use actix_web::{get, test, App, Responder};
/// use cors_credentials::cors_credentials;
///
/// #[cors_credentials(origins = env("APP_CORS_ORIGINS"))]
/// #[get("/api/me")]
/// async fn me() -> impl Responder {
///     "{}"
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// std::env::set_var("APP_CORS_ORIGINS", "https://staging.example.com, https://*.preview.example.com");
/// let app = test::init_service(App::new().service(me)).await;
/// for (origin, status) in [
///     ("https://staging.example.com", 200),
///     ("https://pr-7.preview.example.com", 200),
///     ("https://app.example.com", 403),
/// ] {
///     let req = test::TestRequest::get()
///         .uri("/api/me")
///         .insert_header(("Origin", origin))
///         .to_request();
///     assert_eq!(test::call_service(&app, req).await.status(), status, "{origin}");
/// }
/// # }
/// ```
///
/// ## `policy`
///
/// `policy = NAME` uses a policy declared with [`policy!`] instead of
/// `origins`, so several handlers share one list. A handler may override `headers`,
/// `expose_headers`, `max_age` and `on_disallowed`; giving `origins` as well is a compile
/// error, since a policy's origins are its trust boundary.
///
/// ```
/// use actix_web::{delete, get, http::Method, test, App, HttpResponse, Responder};
/// use cors_credentials::cors_credentials;
///
/// mod cors {
///     cors_credentials::policy! {
///         /// The browser front ends of the API.
///         pub API = {
///             origins: ["https://app.example.com"],
///             max_age: 600,
///         }
///     }
/// }
///
/// #[cors_credentials(policy = cors::API)]
/// #[get("/api/items")]
/// async fn list() -> impl Responder {
///     "[]"
/// }
///
/// #[cors_credentials(policy = cors::API, max_age = 60)] // overrides one value
/// #[delete("/api/items/{id}")]
/// async fn remove() -> HttpResponse {
///     HttpResponse::NoContent().finish()
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(list).service(remove)).await;
/// for (method, path, max_age) in [("GET", "/api/items", "600"), ("DELETE", "/api/items/1", "60")] {
///     let req = test::TestRequest::default()
///         .method(Method::OPTIONS)
///         .uri(path)
///         .insert_header(("Origin", "https://app.example.com"))
///         .insert_header(("Access-Control-Request-Method", method))
///         .to_request();
///     let res = test::call_service(&app, req).await;
///     assert_eq!(res.status(), 204);
///     assert_eq!(res.headers().get("access-control-max-age").unwrap(), max_age);
/// }
/// # }
/// ```
///
/// ## `headers`
///
/// The request headers a preflight may ask for (`Access-Control-Request-Headers`),
/// compared case-insensitively. A preflight asking for another one gets `403`. Without
/// `headers`, every well-formed header name the preflight asks for is allowed and listed
/// back by name; never as `*`, which with credentials is a literal header name.
///
/// ```
/// use actix_web::{put, http::Method, test, App, HttpResponse};
/// use cors_credentials::cors_credentials;
///
/// #[cors_credentials(origins = ["https://app.example.com"], headers = ["content-type", "x-csrf-token"])]
/// #[put("/api/me")]
/// async fn update() -> HttpResponse {
///     HttpResponse::Ok().finish()
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(update)).await;
/// let preflight = |headers: &'static str| {
///     test::TestRequest::default()
///         .method(Method::OPTIONS)
///         .uri("/api/me")
///         .insert_header(("Origin", "https://app.example.com"))
///         .insert_header(("Access-Control-Request-Method", "PUT"))
///         .insert_header(("Access-Control-Request-Headers", headers))
///         .to_request()
/// };
///
/// let res = test::call_service(&app, preflight("Content-Type")).await;
/// assert_eq!(res.status(), 204);
/// assert_eq!(res.headers().get("access-control-allow-headers").unwrap(), "content-type, x-csrf-token");
///
/// let res = test::call_service(&app, preflight("content-type,x-debug")).await;
/// assert_eq!(res.status(), 403);
/// assert_eq!(test::read_body(res).await, "CORS preflight refused: request header not allowed\n");
/// # }
/// ```
///
/// ## `expose_headers`
///
/// The response headers the page's script may read beyond the CORS-safelisted ones
/// (`Cache-Control`, `Content-Language`, `Content-Length`, `Content-Type`, `Expires`,
/// `Last-Modified`, `Pragma`), sent as `Access-Control-Expose-Headers` on allowed
/// responses.
///
/// ```
/// use actix_web::{get, test, App, HttpResponse};
/// use cors_credentials::cors_credentials;
///
/// #[cors_credentials(origins = ["https://app.example.com"], expose_headers = ["x-request-id"])]
/// #[get("/api/me")]
/// async fn me() -> HttpResponse {
///     HttpResponse::Ok().insert_header(("x-request-id", "42")).body("{}")
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(me)).await;
/// let req = test::TestRequest::get()
///     .uri("/api/me")
///     .insert_header(("Origin", "https://app.example.com"))
///     .to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.headers().get("access-control-expose-headers").unwrap(), "x-request-id");
/// # }
/// ```
///
/// ## `max_age`
///
/// How long, in seconds, a browser may reuse a successful preflight
/// (`Access-Control-Max-Age`), at most 86400. The default, 7200, is Chromium's cap: a
/// browser asks at most every two hours, and a policy change reaches every browser
/// within two hours.
///
/// ```
/// use actix_web::{patch, http::Method, test, App, HttpResponse};
/// use cors_credentials::cors_credentials;
///
/// #[cors_credentials(origins = ["https://app.example.com"], max_age = 600)]
/// #[patch("/api/me")]
/// async fn update() -> HttpResponse {
///     HttpResponse::Ok().finish()
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(update)).await;
/// let req = test::TestRequest::default()
///     .method(Method::OPTIONS)
///     .uri("/api/me")
///     .insert_header(("Origin", "https://app.example.com"))
///     .insert_header(("Access-Control-Request-Method", "PATCH"))
///     .to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.headers().get("access-control-max-age").unwrap(), "600");
/// # }
/// ```
///
/// ## `on_disallowed`
///
/// What an actual request from a cross-origin `Origin` that is not allowed gets:
///
/// - `"reject"` (the default): `403` before the handler runs. Browsers send cookies on
///   simple cross-site requests (a form `POST`) without a preflight, so running the
///   handler would let any site trigger it with the user's credentials.
/// - `"pass"`: the handler runs and the response carries no CORS headers, so the browser
///   hides it from the page. For handlers that are safe to run for anyone, such as
///   public reads that other sites may embed.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// use actix_web::{get, post, test, App, HttpResponse, Responder};
/// use cors_credentials::cors_credentials;
///
/// static TRANSFERS: AtomicUsize = AtomicUsize::new(0);
///
/// #[cors_credentials(origins = ["https://app.example.com"])]
/// #[post("/api/transfer")]
/// async fn transfer() -> HttpResponse {
///     TRANSFERS.fetch_add(1, Ordering::SeqCst);
///     HttpResponse::Ok().finish()
/// }
///
/// #[cors_credentials(origins = ["https://app.example.com"], on_disallowed = "pass")]
/// #[get("/api/news")]
/// async fn news() -> impl Responder {
///     "[]"
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(transfer).service(news)).await;
///
/// let req = test::TestRequest::post()
///     .uri("/api/transfer")
///     .insert_header(("Origin", "https://evil.example.net"))
///     .to_request();
/// assert_eq!(test::call_service(&app, req).await.status(), 403);
/// assert_eq!(TRANSFERS.load(Ordering::SeqCst), 0);
///
/// let req = test::TestRequest::get()
///     .uri("/api/news")
///     .insert_header(("Origin", "https://evil.example.net"))
///     .to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.status(), 200);
/// assert!(res.headers().get("access-control-allow-origin").is_none());
/// # }
/// ```
///
/// ## `allow_insecure_http_origins`
///
/// `http://` origins are refused on hosts other than `localhost`, `127.0.0.1` and `[::1]`:
/// a network attacker who can inject script into a plain-http page then reads the
/// user's credentialed responses. `allow_insecure_http_origins = true` accepts them, for
/// networks where that risk is accepted.
///
/// ```
/// use actix_web::{get, test, App, Responder};
/// use cors_credentials::cors_credentials;
///
/// #[cors_credentials(origins = ["http://intranet.example.com"], allow_insecure_http_origins = true)]
/// #[get("/api/me")]
/// async fn me() -> impl Responder {
///     "{}"
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(me)).await;
/// let req = test::TestRequest::get()
///     .uri("/api/me")
///     .insert_header(("Origin", "http://intranet.example.com"))
///     .to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "http://intranet.example.com");
/// # }
/// ```
///
/// ## `methods`: handlers registered by hand
///
/// A handler without a routing attribute, registered with `web::resource(..).route(..)`,
/// names its methods with `methods = [..]`. The attribute then leaves the function as it
/// is and generates a module of the same name with a `cors()` function: the
/// [`Cors`] middleware to wrap the resource with. That middleware also
/// answers the resource's preflights, for these methods.
///
/// ```
/// use actix_web::{http::Method, test, web, App, Responder};
/// use cors_credentials::cors_credentials;
///
/// #[cors_credentials(origins = ["https://app.example.com"], methods = ["GET", "PUT"])]
/// async fn profile() -> impl Responder {
///     "{}"
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(
///     web::resource("/api/profile")
///         .wrap(profile::cors())
///         .route(web::get().to(profile))
///         .route(web::put().to(profile)),
/// ))
/// .await;
///
/// for (method, status) in [("PUT", 204), ("DELETE", 403)] {
///     let req = test::TestRequest::default()
///         .method(Method::OPTIONS)
///         .uri("/api/profile")
///         .insert_header(("Origin", "https://app.example.com"))
///         .insert_header(("Access-Control-Request-Method", method))
///         .to_request();
///     let res = test::call_service(&app, req).await;
///     assert_eq!(res.status(), status, "{method}");
/// }
/// # }
/// ```
///
/// # Placement
///
/// Attributes expand from the top down, so `#[cors_credentials]` goes above the routing
/// attribute, where it can read the route's path and methods: `#[get]`, `#[post]`,
/// `#[put]`, `#[patch]`, `#[delete]`, `#[head]`, `#[route("/p", method = "GET", method =
/// "POST")]`, or `#[routes]` above several routing attributes; bare or
/// `actix_web::`-qualified. actix-web's own `name`, `guard` and `wrap` arguments keep
/// working, and so do `web::scope` and path parameters. The preflight route does not run
/// the route's `guard` or `wrap`: a preflight carries no credentials, so an
/// authentication middleware would refuse it.
///
/// ```
/// use actix_web::{get, http::Method, post, routes, test, web, App, HttpResponse};
/// use cors_credentials::cors_credentials;
///
/// #[cors_credentials(origins = ["https://app.example.com"])]
/// #[routes]
/// #[get("/items/{id}")]
/// #[post("/items/{id}")]
/// async fn item(id: web::Path<u32>) -> HttpResponse {
///     HttpResponse::Ok().body(id.to_string())
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(web::scope("/api").service(item))).await;
/// let req = test::TestRequest::default()
///     .method(Method::OPTIONS)
///     .uri("/api/items/7")
///     .insert_header(("Origin", "https://app.example.com"))
///     .insert_header(("Access-Control-Request-Method", "POST"))
///     .to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.status(), 204);
/// assert_eq!(res.headers().get("access-control-allow-methods").unwrap(), "GET, POST");
/// # }
/// ```
///
/// Other attributes may stand anywhere else: doc comments, `#[allow(..)]`, and wrappers
/// such as `#[tracing::instrument]` above `#[cors_credentials]`, between it and the
/// routing attribute, or below the routing attribute. Only the order of
/// `#[cors_credentials]` and the routing attribute matters; below the routing attribute
/// it is a compile error, whatever stands between them.
///
/// ```text
/// #[cors_credentials(..)]      // or #[tracing::instrument] here
/// #[tracing::instrument]       // or here
/// #[get("/api/me")]
/// #[tracing::instrument]       // or here
/// async fn me() -> impl Responder { .. }
/// ```
///
/// # What it generates
///
/// - Under a routing attribute: a unit struct named after the handler, with the
///   handler's visibility and doc comments, implementing actix-web's
///   `HttpServiceFactory`, exactly like actix-web's own routing attributes: register it
///   with `App::service`. The handler's function lives inside it.
/// - With `methods`: the function unchanged, and a module of the same name holding
///   `pub fn cors() -> Cors`.
///
/// The policy is a `static` built at compile time: a request only borrows it, and the
/// route allocates nothing for CORS.
///
/// # Compile errors
///
/// Every configuration that cannot work, or is unsafe, is a compile error on the
/// offending literal or key that states the rule and the fix; all errors of one
/// attribute are reported together, and the handler is still emitted so no follow-on
/// errors appear. The most common ones follow.
///
/// `"*"` is refused: browsers reject `Access-Control-Allow-Origin: *` on credentialed
/// requests, so the page would fail anyway.
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// #[cors_credentials(origins = ["*"])]
/// #[get("/me")]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: wildcard origin `*` cannot be used with credentials: browsers reject `Access-Control-Allow-Origin: *` on credentialed requests; list each allowed origin instead, e.g. `"https://app.example.com"`
/// ```
///
/// A trailing slash (or any path) never matches, since browsers send `scheme://host[:port]`
/// only; the error suggests the origin to write.
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// #[cors_credentials(origins = ["https://app.example.com/"])]
/// #[get("/me")]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: origin `https://app.example.com/` ends with `/`, which browsers never send in `Origin`; did you mean `https://app.example.com`?
/// ```
///
/// A host without a scheme never matches either.
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// #[cors_credentials(origins = ["app.example.com"])]
/// #[get("/me")]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: origin `app.example.com` has no scheme: browsers send `https://host[:port]` or `http://host[:port]`; did you mean `https://app.example.com`?
/// ```
///
/// `"null"` is refused: sandboxed iframes, `data:` and `file:` documents and
/// cross-origin redirects all send it, so any site can.
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// #[cors_credentials(origins = ["null"])]
/// #[get("/me")]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: origin `null` is refused: sandboxed iframes, `data:` and `file:` documents and cross-origin redirects all send `null`, so trusting it with credentials lets any site in; list the real origins instead
/// ```
///
/// Plain `http://` is refused beyond the loopback hosts, unless
/// [`allow_insecure_http_origins`](#allow_insecure_http_origins) opts in.
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// #[cors_credentials(origins = ["http://app.example.com"])]
/// #[get("/me")]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: plain-http origin `http://app.example.com` is refused: a network attacker who can inject script into a plain-http page then reads the user's credentialed responses; use `https://app.example.com`, or opt in with `allow_insecure_http_origins = true`
/// ```
///
/// A pattern under a public suffix would let anyone in.
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// #[cors_credentials(origins = ["https://*.github.io"])]
/// #[get("/me")]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: pattern `https://*.github.io` is refused: `github.io` is a public suffix, so anyone can register a subdomain under it; name a domain you control, as in `https://*.example.com`
/// ```
///
/// Below the routing attribute, the attribute never sees the route.
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// #[get("/me")]
/// #[cors_credentials(origins = ["https://app.example.com"])]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: no routing attribute below `#[cors_credentials]`: put it above `#[get(..)]`, `#[post(..)]`, `#[route(..)]` or `#[routes]` (attributes expand top-down, so below them it never sees the route); for a handler registered by hand, add `methods = [..]` and wrap its resource with `me::cors()`
/// ```
///
/// Several routing attributes need `#[routes]`, as in actix-web.
///
/// ```compile_fail
/// # use actix_web::{get, post, Responder};
/// # use cors_credentials::cors_credentials;
/// #[cors_credentials(origins = ["https://app.example.com"])]
/// #[get("/me")]
/// #[post("/me")]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {}
/// ```
///
/// ```text
/// error: a handler with several routing attributes needs `#[routes]` above them: write `#[cors_credentials(..)]`, then `#[routes]`, then the routing attributes
/// ```
///
/// The preflight is the attribute's own route.
///
/// ```compile_fail
/// # use actix_web::{options, App, Responder};
/// # use cors_credentials::cors_credentials;
/// #[cors_credentials(origins = ["https://app.example.com"])]
/// #[options("/me")]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: an `OPTIONS` route cannot be annotated: `#[cors_credentials]` answers the CORS preflight (`OPTIONS`) itself; remove `OPTIONS` from this handler
/// ```
///
/// Credentials cannot be turned off.
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// #[cors_credentials(origins = ["https://app.example.com"], credentials = false)]
/// #[get("/me")]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: `credentials` cannot be set: `Access-Control-Allow-Credentials` has one valid value, `true`, and this attribute always sends it; remove `credentials`, or remove `#[cors_credentials]` to serve this handler without credentialed CORS
/// ```
///
/// With credentials, `*` is not a wildcard in `headers` (nor in `expose_headers`).
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// #[cors_credentials(origins = ["https://app.example.com"], headers = ["*"])]
/// #[get("/me")]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: `*` in `headers` is not a wildcard with credentials: browsers treat it as a literal request header named `*`; list each request header by name
/// ```
///
/// Browsers cap `max_age`.
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// #[cors_credentials(origins = ["https://app.example.com"], max_age = 86401)]
/// #[get("/me")]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: `max_age` must be at most 86400 seconds: browsers cap it (Chromium at 7200, Firefox at 86400), so a larger value only misleads
/// ```
///
/// A policy's origins cannot be replaced per handler.
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// cors_credentials::policy! {
///     API = { origins: ["https://app.example.com"] }
/// }
///
/// #[cors_credentials(policy = API, origins = ["https://b.example.com"])]
/// #[get("/me")]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: `origins` cannot be combined with `policy`: the policy's origins apply to every handler using it; declare another policy with `cors_credentials::policy!` for other origins
/// ```
///
/// Keys of other CORS crates are unknown here; the message lists the valid ones.
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// #[cors_credentials(origins = ["https://app.example.com"], allowed_origins = ["https://b.example.com"])]
/// #[get("/me")]
/// async fn me() -> impl Responder {
///     "me"
/// }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: unknown key `allowed_origins`; valid keys are `origins`, `policy`, `headers`, `expose_headers`, `max_age`, `on_disallowed`, `allow_insecure_http_origins` and `methods`
/// ```
///
/// Also refused: origins with a query, fragment, user information (`https://a.com@evil.com`)
/// or `\`; uppercase letters, non-punycode or non-canonical hosts, trailing dots and
/// default ports (the canonical form is suggested); wildcards other than a whole leftmost
/// label or a loopback port; duplicate origins, headers or keys; an empty list; values that
/// are not literals; `methods` next to a routing attribute; and the attribute applied
/// twice.
pub use cors_credentials_macros::cors_credentials;

/// Declares credentialed CORS policies, checked at compile time and shared by many
/// handlers with [`#[cors_credentials(policy = NAME)]`](macro@cors_credentials#policy).
///
/// Each declaration is `NAME = { key: value, .. }`, with doc comments, attributes and a
/// visibility before it, and `;` between declarations. It defines a `static` of type
/// [`Policy`], so it lives in any module and is named by path like any
/// static. The keys are the attribute's, with `:` instead of `=`: `origins` (required;
/// a list, patterns included, or `env("VAR")`), `headers`, `expose_headers`, `max_age`,
/// `on_disallowed` and `allow_insecure_http_origins`. Each value is checked like the
/// attribute's, with the same messages.
///
/// ```
/// use actix_web::{get, post, test, App, Responder};
/// use cors_credentials::cors_credentials;
///
/// mod cors {
///     cors_credentials::policy! {
///         /// The browser front ends of the API.
///         pub API = {
///             origins: ["https://app.example.com", "https://*.preview.example.com"],
///             headers: ["content-type"],
///             max_age: 600,
///         };
///
///         /// The partner dashboards: read-only, and refused requests still run.
///         pub PARTNERS = {
///             origins: ["https://dashboard.partner.example"],
///             on_disallowed: "pass",
///         }
///     }
/// }
///
/// #[cors_credentials(policy = cors::API)]
/// #[post("/api/items")]
/// async fn create() -> impl Responder {
///     "{}"
/// }
///
/// #[cors_credentials(policy = cors::PARTNERS)]
/// #[get("/api/stats")]
/// async fn stats() -> impl Responder {
///     "{}"
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(create).service(stats)).await;
///
/// let req = test::TestRequest::post()
///     .uri("/api/items")
///     .insert_header(("Origin", "https://pr-3.preview.example.com"))
///     .to_request();
/// assert_eq!(test::call_service(&app, req).await.status(), 200);
///
/// let req = test::TestRequest::post()
///     .uri("/api/items")
///     .insert_header(("Origin", "https://dashboard.partner.example"))
///     .to_request();
/// assert_eq!(test::call_service(&app, req).await.status(), 403);
///
/// let req = test::TestRequest::get()
///     .uri("/api/stats")
///     .insert_header(("Origin", "https://dashboard.partner.example"))
///     .to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://dashboard.partner.example");
/// # }
/// ```
///
/// A handler using a policy may override `headers`, `expose_headers`, `max_age` and
/// `on_disallowed`, but not `origins`.
///
/// # Origins from the environment
///
/// With `origins: env("VAR")`, the list is read from the environment variable once and
/// checked with the compiler's rules and messages, all or nothing. Call
/// [`Policy::load`] first thing in `main`: a bad value then stops
/// the program with an error naming the variable, before the server starts. A policy
/// not loaded yet is loaded when its first handler is registered, and a bad value then
/// panics with the same message.
///
/// ```
/// use actix_web::{get, test, App, Responder};
/// use cors_credentials::cors_credentials;
///
/// cors_credentials::policy! {
///     /// The front ends of this deployment.
///     pub DEPLOYED = { origins: env("DEPLOYED_CORS_ORIGINS") };
///
///     /// A deployment whose variable holds a mistake.
///     pub MISCONFIGURED = { origins: env("MISCONFIGURED_CORS_ORIGINS") }
/// }
///
/// #[cors_credentials(policy = DEPLOYED)]
/// #[get("/api/me")]
/// async fn me() -> impl Responder {
///     "{}"
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// std::env::set_var("DEPLOYED_CORS_ORIGINS", "https://staging.example.com");
/// DEPLOYED.load().expect("checked at startup");
///
/// std::env::set_var("MISCONFIGURED_CORS_ORIGINS", "https://a.example.com, https://b.example.com/");
/// let error = MISCONFIGURED.load().unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "MISCONFIGURED_CORS_ORIGINS: origin `https://b.example.com/` ends with `/`, \
///      which browsers never send in `Origin`; did you mean `https://b.example.com`?",
/// );
///
/// let app = test::init_service(App::new().service(me)).await;
/// let req = test::TestRequest::get()
///     .uri("/api/me")
///     .insert_header(("Origin", "https://staging.example.com"))
///     .to_request();
/// assert_eq!(test::call_service(&app, req).await.status(), 200);
/// # }
/// ```
///
/// # Compile errors
///
/// A policy is checked like the attribute (see
/// [its compile errors](macro@cors_credentials#compile-errors)). Two mistakes are its own.
/// The separator is `:`, as in a struct literal:
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// cors_credentials::policy! {
///     API = { origins = ["https://app.example.com"] }
/// }
/// # #[cors_credentials(policy = API)]
/// # #[get("/me")]
/// # async fn me() -> impl Responder {
/// #     "me"
/// # }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: expected `origins: value`: write `key: value` pairs, e.g. `origins: ["https://app.example.com"]`
/// ```
///
/// And `methods` belongs to a handler, not to a policy:
///
/// ```compile_fail
/// # use actix_web::{get, App, Responder};
/// # use cors_credentials::cors_credentials;
/// cors_credentials::policy! {
///     API = { origins: ["https://app.example.com"], methods: ["GET"] }
/// }
/// # #[cors_credentials(policy = API)]
/// # #[get("/me")]
/// # async fn me() -> impl Responder {
/// #     "me"
/// # }
/// # fn main() {
/// #     let _ = App::new().service(me);
/// # }
/// ```
///
/// ```text
/// error: unknown key `methods`; valid keys are `origins`, `headers`, `expose_headers`, `max_age`, `on_disallowed` and `allow_insecure_http_origins`
/// ```
pub use cors_credentials_macros::policy;

pub use actix::{Cors, CorsFuture, CorsService};
pub use env::ConfigError;
pub use policy::Policy;
pub use preflight::MAX_REQUEST_HEADERS_LEN;

/// Not public API: exactly what the generated code uses.
#[doc(hidden)]
pub mod __private {
    pub use actix_web::http::header::HeaderValue;

    pub use crate::{
        actix::{register_preflight, Cors},
        env::EnvOrigins,
        origin::{Listed, Origins, Pattern},
        policy::{AllowHeaders, Methods, OnDisallowed, OriginSet, Policy, UNCONFIGURED},
    };
}

/// Not public API: the decisions and their parts, for the project's own
/// tests, fuzz targets and benchmarks (feature `test-hooks`). No stability
/// promise of any kind.
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub mod test_hooks {
    pub use crate::{
        actix::{decorate, respond_preflight, Head},
        actual::{decide, Decision},
        env::parse as parse_env_origins,
        escape::Escaped,
        preflight::{decide as decide_preflight, requested_method, AllowHeadersAnswer, Grant},
        refusal::Refusal,
        request::{origin, Header, OriginHeader, Request},
        same_origin::is_same_origin,
    };
}
