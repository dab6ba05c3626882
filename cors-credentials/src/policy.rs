//! The static data a `#[cors_credentials]` attribute compiles into.
//!
//! Every value here is built by the macro in a `static`, so header values are
//! validated by the compiler ([`StaticValue::new`] is a `const fn`) and a
//! request only ever borrows them.

use crate::{
    dynamic::{DynamicOrigins, OriginList},
    env::EnvOrigins,
    error::ConfigError,
    origin::{Listed, Lookup, Origins},
    tenant::{TenantKey, TenantLookup, TenantOrigins, TenantSource},
    value::StaticValue,
};

/// A complete credentialed CORS policy: the origins allowed to read
/// responses with the user's credentials, and what their preflights may ask.
///
/// Declare one with [`policy!`](crate::policy!) and use it from many handlers
/// with `#[cors_credentials(policy = NAME)]`; a `#[cors_credentials]` with
/// its own options builds one per handler. Either way the policy is a
/// `static` checked at compile time. A policy whose origins come from an
/// environment variable is checked when it is [loaded](Policy::load).
///
/// Every field is `'static` data, so a request only borrows it.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub(crate) origins: OriginSet,
    pub(crate) allow_headers: AllowHeaders,
    pub(crate) expose_headers: Option<&'static StaticValue>,
    pub(crate) max_age: &'static StaticValue,
    pub(crate) on_disallowed: OnDisallowed,
}

/// The policy of these parts, as the macro writes it in a `static`
/// (`__private::policy`).
pub const fn new(
    origins: OriginSet,
    allow_headers: AllowHeaders,
    expose_headers: Option<&'static StaticValue>,
    max_age: &'static StaticValue,
    on_disallowed: OnDisallowed,
) -> Policy {
    Policy {
        origins,
        allow_headers,
        expose_headers,
        max_age,
        on_disallowed,
    }
}

/// `base` with the parts given here, and `base`'s own for each `None`: a
/// handler's `#[cors_credentials(policy = BASE, ..)]` in a `static`
/// (`__private::inherit`).
pub const fn inherit(
    base: Policy,
    origins: Option<OriginSet>,
    allow_headers: Option<AllowHeaders>,
    expose_headers: Option<Option<&'static StaticValue>>,
    max_age: Option<&'static StaticValue>,
    on_disallowed: Option<OnDisallowed>,
) -> Policy {
    Policy {
        origins: match origins {
            Some(origins) => origins,
            None => base.origins,
        },
        allow_headers: match allow_headers {
            Some(allow_headers) => allow_headers,
            None => base.allow_headers,
        },
        expose_headers: match expose_headers {
            Some(expose_headers) => expose_headers,
            None => base.expose_headers,
        },
        max_age: match max_age {
            Some(max_age) => max_age,
            None => base.max_age,
        },
        on_disallowed: match on_disallowed {
            Some(on_disallowed) => on_disallowed,
            None => base.on_disallowed,
        },
    }
}

impl Policy {
    /// Reads and checks the origins of a policy declared with
    /// `origins: env("VAR")`, once; a no-op for other policies.
    ///
    /// Call it in `main` before starting the server, so a bad value stops
    /// startup with an error naming the variable. A policy that was not
    /// loaded is loaded when its first handler is registered, and a bad value
    /// then panics with the same message.
    pub fn load(&'static self) -> Result<(), ConfigError> {
        match self.origins {
            OriginSet::Env(env) => env.load().map(|_| ()),
            OriginSet::Listed(_) | OriginSet::Dynamic(_) | OriginSet::PerTenant { .. } => Ok(()),
        }
    }

    /// Replaces the origins of a policy declared with `origins: dynamic`.
    ///
    /// Every entry is checked as an origin written in the source is, with the
    /// same messages: exact origins and patterns, the public-suffix refusal,
    /// the plain-http rule and its opt-in, no duplicates. One bad entry
    /// refuses the whole new set and keeps the current one; the error names
    /// the entry and its position. At most
    /// [`MAX_DYNAMIC_ORIGINS`](crate::MAX_DYNAMIC_ORIGINS) entries of at most
    /// [`MAX_ORIGIN_LEN`](crate::MAX_ORIGIN_LEN) bytes each.
    ///
    /// Until the first successful call the policy refuses every cross-origin
    /// request; same-origin requests and requests without `Origin` are served.
    /// Requests read the current set without a lock, and each is decided
    /// wholly by the set before a swap or wholly by the one after.
    pub fn set_origins<I>(&'static self, entries: I) -> Result<(), ConfigError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        match self.origins {
            OriginSet::Dynamic(dynamic) => dynamic.set(entries),
            OriginSet::PerTenant { .. } => Err(per_tenant()),
            OriginSet::Listed(_) | OriginSet::Env(_) => Err(fixed()),
        }
    }

    /// Replaces the origins of a policy declared with `origins: dynamic` with
    /// a list checked beforehand, such as one read from a configuration file
    /// (feature `serde`); like [`set_origins`](Self::set_origins) otherwise.
    ///
    /// The list is not checked again, and the swap shares it without
    /// copying, except in one case: an `OriginList<true>` (plain http
    /// allowed) given to a policy without `allow_insecure_http_origins: true`
    /// is checked again with the policy's rule, and refused, naming the entry,
    /// if it holds a plain-http origin.
    pub fn set_checked_origins<const ALLOW_INSECURE_HTTP: bool>(
        &'static self,
        list: &OriginList<ALLOW_INSECURE_HTTP>,
    ) -> Result<(), ConfigError> {
        match self.origins {
            OriginSet::Dynamic(dynamic) => dynamic.set_checked(list),
            OriginSet::PerTenant { .. } => Err(per_tenant()),
            OriginSet::Listed(_) | OriginSet::Env(_) => Err(fixed()),
        }
    }

    /// Replaces the origins of one tenant of a policy declared with
    /// `origins: per_tenant`: the origins allowed on the requests that
    /// address the tenant `key` (its `{segment}` of the route's path, or its
    /// host), and on no other tenant's.
    ///
    /// Every entry is checked as an origin written in the source is, with the
    /// same messages, as [`set_origins`](Self::set_origins) checks them. One
    /// bad entry refuses the whole new set and the tenant keeps its current
    /// one; the error names the tenant, the entry and its position.
    ///
    /// A key is 1 to [`MAX_TENANT_KEY_LEN`](crate::MAX_TENANT_KEY_LEN) bytes
    /// of letters, digits and `-._~:`, compared byte for byte with the
    /// request's (for `tenant: host`, lower-case and without `:80` or
    /// `:443`). At most [`MAX_TENANTS`](crate::MAX_TENANTS) tenants, each of
    /// at most [`MAX_TENANT_ORIGINS`](crate::MAX_TENANT_ORIGINS) entries of
    /// at most [`MAX_ORIGIN_LEN`](crate::MAX_ORIGIN_LEN) bytes.
    ///
    /// Until a tenant is set its routes refuse every cross-origin request;
    /// same-origin requests and requests without `Origin` are served.
    /// Requests read the tenants without a lock, and each is decided wholly
    /// by the tenants before a change or wholly by those after.
    pub fn set_tenant_origins<I>(&'static self, key: &str, entries: I) -> Result<(), ConfigError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        match self.origins {
            OriginSet::PerTenant { tenants, .. } => tenants.set_tenant(key, entries),
            _ => Err(not_per_tenant()),
        }
    }

    /// Removes the tenant `key` of a policy declared with
    /// `origins: per_tenant`: its routes refuse every cross-origin request
    /// again. Removing a tenant that is not set does nothing; the error is
    /// for a policy that is not per-tenant.
    pub fn remove_tenant(&'static self, key: &str) -> Result<(), ConfigError> {
        match self.origins {
            OriginSet::PerTenant { tenants, .. } => {
                tenants.remove_tenant(key);
                Ok(())
            }
            _ => Err(not_per_tenant()),
        }
    }

    /// Replaces every tenant of a policy declared with `origins: per_tenant`
    /// at once, for a full resynchronisation: the tenants of `snapshot`,
    /// each checked as [`set_tenant_origins`](Self::set_tenant_origins)
    /// checks one, become the only tenants, in one swap. One bad tenant
    /// (a bad key, a bad entry, a key given twice, beyond a bound) refuses
    /// the whole snapshot and every tenant keeps its set.
    pub fn set_all_tenant_origins<I, K, E>(&'static self, snapshot: I) -> Result<(), ConfigError>
    where
        I: IntoIterator<Item = (K, E)>,
        K: AsRef<str>,
        E: IntoIterator,
        E::Item: AsRef<str>,
    {
        match self.origins {
            OriginSet::PerTenant { tenants, .. } => tenants.set_all(snapshot),
            _ => Err(not_per_tenant()),
        }
    }

    /// The origins in force for the tenant `key`, in canonical form (exact
    /// origins in lookup order, then patterns): `None` for a tenant not set,
    /// or a policy that is not per-tenant. For synchronisation checks and
    /// tests; requests never copy them.
    pub fn tenant_origins(&'static self, key: &str) -> Option<Vec<String>> {
        match self.origins {
            OriginSet::PerTenant { tenants, .. } => tenants.tenant_origins(key),
            _ => None,
        }
    }

    /// What names the tenant of a request, for a per-tenant policy.
    pub(crate) fn tenant_source(&self) -> Option<TenantSource> {
        match self.origins {
            OriginSet::PerTenant { from, .. } => Some(from),
            _ => None,
        }
    }
}

/// Panics, at compile time in a `const`, when `policy` reads the tenant from
/// a `{segment}` of the route's path (`tenant: path("name")`) and `path` has
/// none of that name: what the attribute checks on every routed path of a
/// handler using a `policy!` (`__private::check_tenant_segment`).
pub const fn check_tenant_segment(policy: &Policy, path: &str) {
    let name = match policy.origins {
        OriginSet::PerTenant {
            from: TenantSource::Path(name),
            ..
        } => name.as_bytes(),
        _ => return,
    };
    let path = path.as_bytes();
    let mut start = 0;
    while start < path.len() {
        if path[start] == b'{' && has_segment_at(path, start + 1, name) {
            return;
        }
        start += 1;
    }
    panic!("this route's path has no `{{segment}}` of the name its policy reads the tenant from (`tenant: path(\"..\")` in `policy!`): add it to the path, e.g. `/t/{{tenant}}/me`, or use a policy with `tenant: host`");
}

/// Whether `path[at..]` starts with `name}` or `name:` (a segment with a
/// pattern, `{name:[a-z]+}`).
const fn has_segment_at(path: &[u8], at: usize, name: &[u8]) -> bool {
    if at + name.len() >= path.len() {
        return false;
    }
    let mut index = 0;
    while index < name.len() {
        if path[at + index] != name[index] {
            return false;
        }
        index += 1;
    }
    matches!(path[at + name.len()], b'}' | b':')
}

/// Why a per-tenant policy takes no single set.
fn per_tenant() -> ConfigError {
    ConfigError::new(
        "this policy's origins are per tenant: set each tenant's with `set_tenant_origins(key, [..])`, or all of them with `set_all_tenant_origins`".to_owned(),
    )
}

/// Why a policy that is not per-tenant has no tenants.
fn not_per_tenant() -> ConfigError {
    ConfigError::new(
        "this policy's origins are not per tenant: declare it with `origins: per_tenant, tenant: path(\"name\")` (or `tenant: host`) in `policy!` to set them tenant by tenant".to_owned(),
    )
}

/// Why a policy whose origins are fixed takes no new set.
fn fixed() -> ConfigError {
    ConfigError::new(
        "this policy's origins are fixed: declare it with `origins: dynamic` in `policy!` to set them at run time".to_owned(),
    )
}

/// The origins a policy allows: listed at compile time, or read from an
/// environment variable at startup.
#[derive(Debug, Clone, Copy)]
pub enum OriginSet {
    /// Exact origins and patterns known at compile time.
    Listed(Listed),
    /// Origins read once from an environment variable.
    Env(&'static EnvOrigins),
    /// Origins given, and replaced, at run time.
    Dynamic(&'static DynamicOrigins),
    /// One set per tenant, given and replaced at run time; a request is
    /// decided by the set of the tenant it addresses only.
    PerTenant {
        /// The tenants' sets.
        tenants: &'static TenantOrigins,
        /// What names the tenant of a request: readable at compile time, for
        /// the check that a route has the tenant's `{segment}`.
        from: TenantSource,
    },
}

impl OriginSet {
    /// Whether the raw `Origin` bytes are allowed. An environment list not
    /// loaded (or refused) allows nothing; a dynamic set not given yet says so.
    /// A per-tenant set allows nothing here: only [`lookup_for`](Self::lookup_for)
    /// with the tenant a request addresses can allow its origins.
    #[inline]
    pub fn lookup(&self, origin: &[u8]) -> Lookup {
        let allowed = match self {
            OriginSet::Listed(listed) => listed.allows(origin),
            OriginSet::Env(env) => env.get().is_some_and(|listed| listed.allows(origin)),
            OriginSet::Dynamic(dynamic) => return dynamic.lookup(origin),
            // Without the tenant a request addresses, no tenant's origin is
            // allowed: the app-wide guard never trusts a per-tenant set.
            OriginSet::PerTenant { .. } => false,
        };
        if allowed {
            Lookup::Allowed
        } else {
            Lookup::NotAllowed
        }
    }
}

impl OriginSet {
    /// What the set says of the raw `Origin` bytes of a request addressing
    /// `tenant` (read by [`request::tenant_key`](crate::request::tenant_key)):
    /// for a per-tenant set, the tenant's set decides; any other set ignores
    /// the tenant.
    #[inline]
    pub(crate) fn lookup_for(&self, tenant: Option<TenantKey<'_>>, origin: &[u8]) -> TenantLookup {
        match self {
            OriginSet::PerTenant { tenants, .. } => tenants.lookup(tenant, origin),
            other => match other.lookup(origin) {
                Lookup::Allowed => TenantLookup::Allowed,
                Lookup::NotAllowed => TenantLookup::NotAllowed,
                Lookup::NotSet => TenantLookup::NotSet,
            },
        }
    }

    /// The tenant whose set allows `origin` on a request addressing
    /// `tenant`, for the [`Tenant`](crate::Tenant) a handler reads: `None`
    /// for a set that is not per-tenant, or a tenant that does not allow it.
    pub(crate) fn admitting(
        &self,
        tenant: Option<TenantKey<'_>>,
        origin: &[u8],
    ) -> Option<std::sync::Arc<str>> {
        match self {
            OriginSet::PerTenant { tenants, .. } => tenants.admitting(tenant, origin),
            _ => None,
        }
    }

    /// Whether both are the same set: the same `'static` lists, the same
    /// environment list or the same dynamic set. Policies built from one
    /// `policy!` share their set, so a set trusted twice is looked up once.
    pub fn is_same_set(&self, other: &OriginSet) -> bool {
        match (self, other) {
            (OriginSet::Listed(a), OriginSet::Listed(b)) => {
                core::ptr::eq(a.exact.as_slice(), b.exact.as_slice())
                    && core::ptr::eq(a.patterns, b.patterns)
            }
            (OriginSet::Env(a), OriginSet::Env(b)) => core::ptr::eq(*a, *b),
            (OriginSet::Dynamic(a), OriginSet::Dynamic(b)) => core::ptr::eq(*a, *b),
            (OriginSet::PerTenant { tenants: a, .. }, OriginSet::PerTenant { tenants: b, .. }) => {
                core::ptr::eq(*a, *b)
            }
            _ => false,
        }
    }
}

/// What a `policy!` with errors compiles to: no origin is allowed. The build
/// fails anyway; this only spares follow-on errors.
pub static UNCONFIGURED: Policy = Policy {
    origins: OriginSet::Listed(Listed {
        exact: Origins::new(&[]),
        patterns: &[],
    }),
    allow_headers: AllowHeaders::List {
        names: &[],
        value: &EMPTY,
    },
    expose_headers: None,
    max_age: &EMPTY,
    on_disallowed: OnDisallowed::Reject,
};

static EMPTY: StaticValue = StaticValue::new("");

/// Loads `policy` when its first handler is registered, at startup: a bad
/// environment value must stop the server, not leave a route that refuses
/// every origin.
pub(crate) fn load_or_panic(policy: &'static Policy) {
    if let Err(error) = policy.load() {
        panic!("{error}");
    }
}

/// The request headers a preflight may ask for.
#[derive(Debug, Clone, Copy)]
pub enum AllowHeaders {
    /// Every well-formed header name is allowed and listed back by name
    /// (never as `*`, which is a literal name when credentials are included).
    Any,
    /// Only these names; `names` are lowercase, `value` is the
    /// `Access-Control-Allow-Headers` value listing them.
    List {
        /// Lowercase header names.
        names: &'static [&'static str],
        /// The comma-separated list sent back.
        value: &'static StaticValue,
    },
}

impl AllowHeaders {
    /// Whether `name` (any case) may be requested.
    pub fn allows(&self, name: &[u8]) -> bool {
        match self {
            AllowHeaders::Any => true,
            // Browsers send lowercase names, as configured names are kept:
            // the exact comparison usually decides.
            AllowHeaders::List { names, .. } => names.iter().any(|allowed| {
                allowed.as_bytes() == name || allowed.as_bytes().eq_ignore_ascii_case(name)
            }),
        }
    }
}

/// The methods a route serves: what a preflight may ask for.
pub(crate) trait AllowedMethods {
    /// Whether a preflight asking for `method` is answered.
    ///
    /// Methods are case-sensitive: browsers upper-case only the six standard
    /// ones, so a page asking for `patch` really asks for a method named `patch`.
    fn contains(&self, method: &[u8]) -> bool;
}

/// The methods of one path of an annotated handler, in a `static`.
#[derive(Debug)]
pub struct Methods {
    /// Method names, compared byte for byte with `Access-Control-Request-Method`.
    pub(crate) names: &'static [&'static str],
    /// `Access-Control-Allow-Methods` listing them: only actix-web routes
    /// have a `Methods` (the tower layer lists its own).
    #[cfg_attr(not(feature = "actix"), allow(dead_code))]
    pub(crate) value: StaticValue,
}

/// The methods `names`, listed by `value`, as the macro writes them in a
/// `static` (`__private::methods`).
pub const fn methods(names: &'static [&'static str], value: StaticValue) -> Methods {
    Methods { names, value }
}

impl AllowedMethods for Methods {
    fn contains(&self, method: &[u8]) -> bool {
        self.names.iter().any(|name| name.as_bytes() == method)
    }
}

/// What an actual request gets when its `Origin` is cross-origin and not allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDisallowed {
    /// `403 Forbidden`; the handler does not run. The default: cookies ride
    /// along on simple cross-site requests, so running the handler would let
    /// any site trigger it with the user's credentials.
    Reject,
    /// The handler runs and the response carries no CORS headers, so the
    /// browser hides it from the page.
    Pass,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_headers_compare_case_insensitively() {
        static VALUE: StaticValue = StaticValue::new("content-type, x-requested-with");
        let headers = AllowHeaders::List {
            names: &["content-type", "x-requested-with"],
            value: &VALUE,
        };
        assert!(headers.allows(b"content-type"));
        assert!(headers.allows(b"Content-Type"));
        assert!(headers.allows(b"X-REQUESTED-WITH"));
        assert!(!headers.allows(b"authorization"));
        assert!(!headers.allows(b"content-typ"));
        assert!(!headers.allows(b""));
        assert!(AllowHeaders::Any.allows(b"anything"));
    }

    #[test]
    fn methods_are_case_sensitive() {
        use super::AllowedMethods;
        let methods = Methods {
            names: &["GET", "PATCH"],
            value: StaticValue::new("GET, PATCH"),
        };
        assert!(methods.contains(b"PATCH"));
        assert!(methods.contains(b"GET"));
        assert!(!methods.contains(b"patch"));
        assert!(!methods.contains(b"POST"));
        assert!(!methods.contains(b""));
    }
}
