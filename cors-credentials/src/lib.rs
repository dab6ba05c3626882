// The documentation is in `docs/`, one markdown file per page: its code blocks
// are doc-tests, and `tests/documented_errors.rs` checks the compile errors it
// shows against `tests/ui/fail`.
#![doc = include_str!("../docs/crate.md")]
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

#[doc = include_str!("../docs/attribute.md")]
pub use cors_credentials_macros::cors_credentials;

#[doc = include_str!("../docs/policy.md")]
pub use cors_credentials_macros::policy;

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
