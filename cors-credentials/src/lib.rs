// The documentation is in `docs/`, one markdown file per page: its code blocks
// are doc-tests, and `tests/documented_errors.rs` checks the compile errors it
// shows against `tests/ui/fail`.
#![doc = include_str!("../docs/crate.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Generated code names `::cors_credentials`, which this crate's own tests use too.
extern crate self as cors_credentials;

// The modules form a one-way chain, each using only those above it:
// `escape` → `refusal` → `origin` → `env` → `dynamic` → `policy` →
// `inventory` → `request` → `report` → `same_origin` → `actual`,
// `preflight`, `guard` (the decisions, on bytes and `'static` data) →
// `actix` (the actix-web adapter).
mod actix;
mod actual;
mod dynamic;
mod env;
mod escape;
mod guard;
mod inventory;
mod origin;
mod policy;
mod preflight;
mod refusal;
mod report;
mod request;
mod same_origin;

#[doc = include_str!("../docs/attribute.md")]
pub use cors_credentials_macros::cors_credentials;

#[doc = include_str!("../docs/policy.md")]
pub use cors_credentials_macros::policy;

pub use actix::{Cors, CorsFuture, CorsService, CrossOriginGuardFuture, CrossOriginGuardService};

#[doc = include_str!("../docs/guard.md")]
pub use actix::CrossOriginGuard;
pub use dynamic::{OriginList, MAX_DYNAMIC_ORIGINS, MAX_ORIGIN_LEN};
pub use env::ConfigError;
pub use guard::MAX_TRUSTED_POLICIES;
pub use inventory::{inventory, Inventory, InventoryRoute, OriginSource};
pub use policy::Policy;
pub use preflight::MAX_REQUEST_HEADERS_LEN;
pub use refusal::{Check, Reason, Refused};

/// Not public API: exactly what the generated code uses.
#[doc(hidden)]
pub mod __private {
    pub use actix_web::http::header::HeaderValue;
    pub use inventory;

    pub use crate::{
        actix::{register_preflight, Cors},
        dynamic::DynamicOrigins,
        env::EnvOrigins,
        inventory::InventoryRoute,
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
        dynamic::Lookup,
        escape::Escaped,
        guard::{decide as guard_decide, Trusted},
        refusal::Refusal,
        report::refused as report_refusal,
    };

    /// What a guard trusting `policy` (and, in a binary without annotated
    /// handlers, nothing else) and exempting `exempt` decides with. Not a
    /// re-export of `GuardConfig`, which would rename it in compiler notes.
    pub fn guard_trusting(
        policy: &'static crate::Policy,
        exempt: &'static [&'static str],
    ) -> Trusted {
        crate::guard::GuardConfig::new()
            .trust(policy)
            .exempt(exempt)
            .trusted()
    }
}
