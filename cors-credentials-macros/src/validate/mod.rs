//! Checks what was parsed against the CORS rules of `cors-credentials-rules`
//! and turns it into the validated model the expansion needs. Every meaning
//! check is here, every error is recorded, each spanned on the tokens at
//! fault:
//!
//! - `keys`: which keys are written (unknown, credentials, given twice);
//! - `routing`: where the routing attributes are, and whether the handler is
//!   routed or registered by hand;
//! - `values`: what each value means.

mod keys;
mod routing;
mod values;

use cors_credentials_rules::{list::CheckedList, pattern::Pattern};
use syn::ItemFn;

use crate::{
    args::{Args, OnDisallowed},
    ctxt::Ctxt,
    route::Routing,
};

pub(crate) use values::DEFAULT_MAX_AGE;

/// Where a validated configuration's origins come from.
pub(crate) enum OriginsCfg {
    /// Canonical exact origins, sorted by length then bytes (the runtime's
    /// lookup order), and patterns in the order written.
    Listed {
        exact: Vec<String>,
        patterns: Vec<Pattern>,
        /// With `dev_origins`: the whole list of builds with
        /// `debug_assertions` (the origins and the development origins), in
        /// the same form.
        dev: Option<CheckedList>,
    },
    /// Read at startup from this variable.
    Env { var: String, allow_insecure: bool },
    /// Given at run time with `Policy::set_origins`.
    Dynamic { allow_insecure: bool },
    /// One set per tenant, given at run time with `Policy::set_tenant_origins`.
    PerTenant {
        allow_insecure: bool,
        tenant: TenantCfg,
    },
    /// Taken from the base policy.
    Inherited,
}

/// What names the tenant of a request under `origins: per_tenant`.
pub(crate) enum TenantCfg {
    /// The `{name}` segment of the route's path.
    Path(String),
    /// The request's host.
    Host,
}

/// A validated configuration. `None` means "not given": the default, or the
/// base policy's value.
pub(crate) struct Config {
    pub origins: OriginsCfg,
    /// A policy declared with `policy!` whose values apply where none is given.
    pub base: Option<syn::Path>,
    /// Allowed request headers, lowercase.
    pub headers: Option<Vec<String>>,
    /// Exposed response headers, as written.
    pub expose_headers: Option<Vec<String>>,
    pub max_age: Option<u32>,
    pub on_disallowed: Option<OnDisallowed>,
}

impl Config {
    /// Whether a value besides the base policy is given.
    pub(crate) fn overrides_base(&self) -> bool {
        !matches!(self.origins, OriginsCfg::Inherited)
            || self.headers.is_some()
            || self.expose_headers.is_some()
            || self.max_age.is_some()
            || self.on_disallowed.is_some()
    }
}

/// How the handler is served.
pub(crate) enum Handler<'a> {
    /// Under its routing attributes: each gets the CORS middleware, and each
    /// path a preflight route.
    Routed(&'a Routing),
    /// Registered by hand: the middleware answers for these methods.
    Manual { methods: Vec<String> },
}

/// A validated `#[cors_credentials]`.
pub(crate) struct Validated<'a> {
    pub config: Config,
    pub handler: Handler<'a>,
}

/// Validates `#[cors_credentials(..)]` on `item`.
///
/// Input:  the parsed arguments, and the routing attributes of `item`
/// Output: `Validated { config, handler: Routed(..) | Manual { methods } }`
pub(crate) fn attribute<'a>(
    cx: &mut Ctxt,
    args: &Args,
    routing: &'a Routing,
    item: &ItemFn,
) -> Validated<'a> {
    keys::check(cx, args);
    routing::placement(cx, routing, &item.attrs);
    let config = values::config(cx, args);
    let handler = routing::handler(cx, args, routing, &item.sig.ident);
    Validated { config, handler }
}

/// Validates the body of a `policy!` declaration.
///
/// Input:  the parsed `{ key: value, .. }`
/// Output: its `Config`
pub(crate) fn policy(cx: &mut Ctxt, args: &Args) -> Config {
    keys::check(cx, args);
    values::config(cx, args)
}
