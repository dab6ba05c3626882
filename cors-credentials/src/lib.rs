//! Credentialed CORS for actix-web handlers, checked at compile time.
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
//! See the [`cors_credentials`] attribute for the options and the rules.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Generated code names `::cors_credentials`, which this crate's own tests use too.
extern crate self as cors_credentials;

mod actual;
mod env;
mod escape;
mod middleware;
mod origin;
mod policy;
mod preflight;
mod preflight_service;
mod refusal;

pub use cors_credentials_macros::{cors_credentials, policy};
pub use env::ConfigError;
pub use middleware::{Cors, CorsFuture, CorsService};
pub use policy::Policy;
pub use preflight::MAX_REQUEST_HEADERS_LEN;

/// Not public API: what the generated code uses.
#[doc(hidden)]
pub mod __private {
    pub use actix_web::http::header::HeaderValue;

    pub use crate::{
        actual::{add_vary_origin, decide, decorate, Decision},
        env::{parse as parse_env_origins, EnvOrigins},
        escape::Escaped,
        middleware::Cors,
        origin::{is_same_origin, Listed, OriginSet, Origins, Pattern},
        policy::{AllowHeaders, Methods, OnDisallowed, Policy, UNCONFIGURED},
        preflight::{is_preflight, is_token, list_elements, respond as respond_preflight},
        preflight_service::register as register_preflight,
        refusal::Refusal,
    };
}
