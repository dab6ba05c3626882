// The documentation is in `docs/`, one markdown file per page: its code blocks
// are doc-tests, and `tests/compile_documented_errors.rs` checks the compile errors it
// shows against `tests/ui/fail`.
#![doc = include_str!("../docs/crate.md")]
// docs.rs shows which feature each adapter and impl needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
// Without an adapter only the policies are left, whose decisions nothing calls.
#![cfg_attr(not(any(feature = "actix", feature = "tower")), allow(dead_code))]
// What `test_hooks` re-exports must be `pub`; without that feature nothing
// outside the crate reaches it. `unreachable_pub` is checked in the builds
// with `test-hooks` (the workspace's, which the tests turn on).
#![cfg_attr(not(feature = "test-hooks"), allow(unreachable_pub))]

// Generated code names `::cors_credentials`, which this crate's own tests use too.
#[allow(unused_extern_crates)]
extern crate self as cors_credentials;

// The modules form a one-way chain, each using only those above it, test
// modules included (`scripts/module_cycles.py` checks it):
// `error` → `escape` → `value` → `refusal` → `origin` → `env` → `dynamic` →
// `tenant` → `policy` → `inventory` → `request` (with `request::fake`, the request the
// unit tests decide on) → `report` → `same_origin` → `actual`, `preflight`,
// `guard` (the decisions, on bytes and `'static` data) → `response` (what
// every adapter's responses carry) → `diagnostics` (the cookie warnings on
// the response path) → `actix` (the actix-web adapter, feature
// `actix`) and `tower` (the tower adapter, feature `tower`), which never use
// each other. `testing` (feature `testing`) comes last: the audit, which
// drives either adapter's app in a test and judges the answers.
#[cfg(feature = "actix")]
#[cfg_attr(docsrs, doc(cfg(feature = "actix")))]
#[doc = include_str!("../docs/actix.md")]
pub mod actix;
mod actual;
#[doc = include_str!("../docs/cookies.md")]
pub mod diagnostics;
mod dynamic;
mod env;
mod error;
mod escape;
mod guard;
mod inventory;
mod origin;
mod policy;
mod preflight;
mod refusal;
mod report;
mod request;
mod response;
mod same_origin;
mod tenant;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
#[doc = include_str!("../docs/testing.md")]
pub mod testing;
#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
#[doc = include_str!("../docs/tower.md")]
pub mod tower;
mod value;

#[doc = include_str!("../docs/attribute.md")]
pub use cors_credentials_macros::cors_credentials;

#[doc = include_str!("../docs/policy.md")]
pub use cors_credentials_macros::policy;

// What the attribute's users name: the guard wrapped around an `App` of
// annotated handlers, and the middleware a handler registered by hand gets
// from its generated `name::cors()`. The rest of the adapter stays in `actix`,
// as the tower adapter's does in `tower` (`docs/actix.md` says so).
#[cfg(feature = "actix")]
#[cfg_attr(docsrs, doc(cfg(feature = "actix")))]
pub use actix::{Cors, CrossOriginGuard};
pub use dynamic::{OriginList, MAX_DYNAMIC_ORIGINS, MAX_ORIGIN_LEN};
pub use error::ConfigError;
pub use guard::MAX_TRUSTED_POLICIES;
pub use inventory::{inventory, Inventory, InventoryRoute, OriginSource, Site};
pub use policy::Policy;
pub use preflight::MAX_REQUEST_HEADERS_LEN;
pub use refusal::{Check, Reason, Refused};
pub use tenant::{Tenant, MAX_TENANTS, MAX_TENANT_KEY_LEN, MAX_TENANT_ORIGINS};

/// Not public API: exactly what the generated code uses.
#[doc(hidden)]
pub mod __private {
    pub use cors_credentials_macros::cors_credentials_reordered as reordered;
    pub use inventory;

    #[cfg(feature = "actix")]
    pub use crate::actix::{
        middleware::new as cors, preflight_route::register as register_preflight,
    };
    // Structs are built with these `const fn`s, never by literal: their
    // fields stay private, and a `static` can still hold what they build.
    pub use crate::{
        dynamic::DynamicOrigins,
        env::EnvOrigins,
        inventory::InventoryRoute,
        origin::{listed, Pattern},
        policy::{
            check_tenant_segment, inherit, methods, new as policy, AllowHeaders, Methods,
            OnDisallowed, OriginSet, UNCONFIGURED,
        },
        tenant::{TenantOrigins, TenantSource},
        value::StaticValue,
    };

    /// The attribute's expansion, given as `{ expansion } { fallback }`: the
    /// expansion with the `actix` feature, else a compile error naming the
    /// feature and the fallback (the handler without its routing
    /// attributes, so nothing else is reported).
    #[cfg(feature = "actix")]
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __cors_credentials_actix {
        ({ $($expansion:tt)* } { $($fallback:tt)* }) => { $($expansion)* };
    }

    /// The attribute's expansion without the `actix` feature.
    #[cfg(not(feature = "actix"))]
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __cors_credentials_actix {
        ({ $($expansion:tt)* } { $($fallback:tt)* }) => {
            ::core::compile_error!(
                "`#[cors_credentials]` is the actix-web attribute and needs cors-credentials's `actix` feature: enable it (it is a default feature), or, with axum or tower, declare the policy with `policy!` and apply `cors_credentials::tower::CorsLayer::new(&POLICY, [..])` to the route"
            );
            $($fallback)*
        };
    }
    pub use __cors_credentials_actix as actix;
}

/// Not public API: the decisions and their parts, for the project's own
/// tests, fuzz targets and benchmarks (feature `test-hooks`). No stability
/// promise of any kind.
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub mod test_hooks {
    #[cfg(feature = "actix")]
    pub use crate::actix::{
        head::RequestView, middleware::new as cors, preflight_route::respond_preflight,
    };
    pub use crate::{
        actual::{decide, Decision},
        diagnostics::{Problem as CookieProblem, SameSite, SetCookie},
        escape::Escaped,
        guard::{decide as guard_decide, Trusted},
        origin::Lookup,
        refusal::Refusal,
        report::refusal as report_refusal,
        request::fake::FakeRequest,
        response::decorate,
    };
    // What the tests and fuzz targets build policies from: the generated
    // code's constructors and the types they take.
    pub use crate::{
        dynamic::DynamicOrigins,
        origin::{listed, Pattern},
        policy::{methods, new as policy, AllowHeaders, Methods, OnDisallowed, OriginSet},
        value::StaticValue,
    };

    pub use crate::tenant::{TenantOrigins, TenantSource};

    /// What a per-tenant policy decides on `req` addressing the tenant `key`
    /// (a path segment), and the tenant that admitted the origin.
    pub fn decide_for_tenant<'a>(
        policy: &crate::Policy,
        req: &'a FakeRequest,
        key: &'a [u8],
    ) -> (Decision<'a, Vec<u8>>, Option<String>) {
        let tenant = Some(crate::tenant::TenantKey::Exact(key));
        let decision = crate::actual::decide_in(policy, req, tenant);
        let admitted = match &decision {
            Decision::Allow(origin) => policy
                .origins
                .admitting(tenant, origin)
                .map(|key| key.to_string()),
            _ => None,
        };
        (decision, admitted)
    }

    /// What `tenants` says of `origin` on a request addressing the tenant
    /// `key`: `allowed`, `not_allowed`, `other_tenant` or `not_set`.
    pub fn tenant_lookup(tenants: &TenantOrigins, key: &[u8], origin: &[u8]) -> &'static str {
        use crate::tenant::{TenantKey, TenantLookup};
        match tenants.lookup(Some(TenantKey::Exact(key)), origin) {
            TenantLookup::Allowed => "allowed",
            TenantLookup::NotAllowed => "not_allowed",
            TenantLookup::OtherTenant => "other_tenant",
            TenantLookup::NotSet => "not_set",
        }
    }

    /// The origins `policy` allows.
    pub fn origins(policy: &crate::Policy) -> &OriginSet {
        &policy.origins
    }

    /// The `Access-Control-Max-Age` value `policy` answers preflights with.
    pub fn max_age(policy: &crate::Policy) -> &'static str {
        policy.max_age.as_str()
    }

    /// What `policy` does with a cross-origin request it does not allow.
    pub fn on_disallowed(policy: &crate::Policy) -> OnDisallowed {
        policy.on_disallowed
    }

    /// The `Access-Control-Expose-Headers` value of `policy`'s allowed
    /// responses, if any.
    pub fn expose_headers(policy: &crate::Policy) -> Option<&'static str> {
        policy.expose_headers.map(StaticValue::as_str)
    }

    /// The `Access-Control-Allow-Methods` value of a route serving `methods`.
    pub fn allow_methods(methods: &Methods) -> &str {
        methods.value.as_str()
    }

    /// `policy` with `origins` instead of its own.
    pub fn with_origins(policy: &crate::Policy, origins: OriginSet) -> crate::Policy {
        crate::policy::inherit(*policy, Some(origins), None, None, None, None)
    }

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
