//! The routes the program's `#[cors_credentials]` attributes declare,
//! recorded at compile time: each attribute submits one [`InventoryRoute`]
//! per path to a link-time registry, so nothing is registered by hand.

use core::fmt;

use cors_credentials_rules::{origin, site};

use crate::{
    error::ConfigError,
    policy::{OriginSet, Policy},
};

/// One handler annotated with `#[cors_credentials]`, on one path.
///
/// Recorded when the program compiles; read it through [`inventory()`].
#[derive(Debug)]
pub struct InventoryRoute {
    handler: &'static str,
    module: &'static str,
    path: Option<&'static str>,
    methods: &'static [&'static str],
    policy_name: Option<&'static str>,
    overrides: bool,
    policy: &'static Policy,
}

::inventory::collect!(InventoryRoute);

impl InventoryRoute {
    #[doc(hidden)]
    #[allow(clippy::too_many_arguments)]
    pub const fn new(
        handler: &'static str,
        module: &'static str,
        path: Option<&'static str>,
        methods: &'static [&'static str],
        policy_name: Option<&'static str>,
        overrides: bool,
        policy: &'static Policy,
    ) -> Self {
        InventoryRoute {
            handler,
            module,
            path,
            methods,
            policy_name,
            overrides,
            policy,
        }
    }

    /// The handler function's name, e.g. `me`.
    pub fn handler(&self) -> &'static str {
        self.handler
    }

    /// The module it is defined in, as `module_path!()` gives it, e.g.
    /// `my_app::api`.
    pub fn module(&self) -> &'static str {
        self.module
    }

    /// The path as written in the routing attribute, e.g. `/api/users/{id}`;
    /// `None` for a handler registered by hand (`methods = [..]`).
    ///
    /// The path is the attribute's: a `web::scope("/v1")` or
    /// `App::service` under a prefix is applied when the app is built, and
    /// the attribute cannot see it.
    pub fn path(&self) -> Option<&'static str> {
        self.path
    }

    /// The methods the handler serves on this path, e.g. `["GET", "PUT"]`.
    pub fn methods(&self) -> &'static [&'static str] {
        self.methods
    }

    /// The name of the `policy!` the handler uses, as written in
    /// `policy = NAME`; `None` when the attribute gives its own origins.
    pub fn policy_name(&self) -> Option<&'static str> {
        self.policy_name
    }

    /// Whether the attribute uses a `policy!` and changes some of its values
    /// (`#[cors_credentials(policy = API, max_age = 60)]`).
    pub fn overrides_policy(&self) -> bool {
        self.overrides
    }

    /// The policy the handler's requests are decided by.
    pub fn policy(&self) -> &'static Policy {
        self.policy
    }

    /// Where the handler's origins come from.
    pub fn origin_source(&self) -> OriginSource {
        match self.policy.origins {
            OriginSet::Listed(_) => OriginSource::Listed,
            OriginSet::Env(env) => OriginSource::Env(env.var()),
            OriginSet::Dynamic(dynamic) => OriginSource::Dynamic(dynamic.name()),
            OriginSet::PerTenant { tenants, .. } => OriginSource::PerTenant(tenants.name()),
        }
    }

    /// The origins allowed now, in canonical form: exact origins in lookup
    /// order, then patterns (`https://*.example.com`). Empty for an
    /// environment list not loaded yet and a dynamic set not given yet, and
    /// for a per-tenant policy, whose origins are each tenant's
    /// ([`Policy::tenant_origins`]).
    ///
    /// In a build with `debug_assertions`, `dev_origins` are included.
    pub fn origins(&self) -> Vec<String> {
        policy_origins(self.policy)
    }
}

/// The origins `policy` allows now, as [`InventoryRoute::origins`] lists them.
pub(crate) fn policy_origins(policy: &Policy) -> Vec<String> {
    match policy.origins {
        OriginSet::Listed(listed) => listed_origins(
            listed.exact.as_slice(),
            listed.patterns.iter().map(ToString::to_string),
        ),
        OriginSet::Env(env) => env.get().map_or_else(Vec::new, |listed| {
            listed_origins(
                listed.exact.as_slice(),
                listed.patterns.iter().map(ToString::to_string),
            )
        }),
        OriginSet::Dynamic(dynamic) => dynamic.current_origins().unwrap_or_default(),
        // No origin is allowed on every request of the route: each
        // tenant's are listed by `Policy::tenant_origins`.
        OriginSet::PerTenant { .. } => Vec::new(),
    }
}

fn listed_origins<S: AsRef<str>>(
    exact: &[S],
    patterns: impl Iterator<Item = String>,
) -> Vec<String> {
    exact
        .iter()
        .map(|origin| origin.as_ref().to_owned())
        .chain(patterns)
        .collect()
}

/// Where a route's origins come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginSource {
    /// Listed in the source (`origins = [..]`, `dev_origins = [..]`).
    Listed,
    /// Read at startup from this environment variable (`origins = env("VAR")`).
    Env(&'static str),
    /// Given at run time with `set_origins` on this `policy!` (`origins: dynamic`).
    Dynamic(&'static str),
    /// One set per tenant, given at run time with `set_tenant_origins` on
    /// this `policy!` (`origins: per_tenant`).
    PerTenant(&'static str),
}

/// Every route of the program declared with `#[cors_credentials]`, sorted by
/// path, then methods, then handler.
///
/// Handlers are recorded when the program compiles, wherever they are
/// defined; nothing needs registering. The inventory knows what the
/// attributes say, not how the app is assembled: it cannot see a
/// `web::scope` prefix, a handler that is defined but never passed to
/// `App::service`, or the app a handler is served by. A handler defined in a
/// library crate of which the program links nothing else may be left out by
/// the linker.
///
/// It formats as a table, one route per line:
///
/// ```text
/// PATH     METHODS  HANDLER     POLICY  ORIGINS
/// /api/me  GET      my_app::me  -       https://app.example.com
/// ```
pub fn inventory() -> Inventory {
    let mut routes: Vec<&'static InventoryRoute> =
        ::inventory::iter::<InventoryRoute>.into_iter().collect();
    routes.sort_by(|a, b| {
        (a.path.is_none(), a.path, a.methods, a.module, a.handler).cmp(&(
            b.path.is_none(),
            b.path,
            b.methods,
            b.module,
            b.handler,
        ))
    });
    Inventory {
        routes,
        public_origin: None,
    }
}

/// The routes of the program, as [`inventory()`] returns them.
#[derive(Debug, Clone)]
pub struct Inventory {
    routes: Vec<&'static InventoryRoute>,
    public_origin: Option<String>,
}

/// Whether an allowed origin is same-site to the API's public origin
/// ([`Inventory::with_public_origin`]): whether the API's cookies are
/// first-party or third-party on the origin's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// The same scheme and registrable domain (`https://app.example.com`
    /// and `https://api.example.com`): the API's cookies are first-party
    /// on the origin's pages, and `SameSite=Lax` ones are sent.
    Same,
    /// Another scheme or registrable domain: the API's cookies are
    /// third-party on the origin's pages. They need `SameSite=None;
    /// Secure`; Safari blocks them anyway and Firefox partitions them.
    Cross,
}

impl Inventory {
    /// The routes, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'static InventoryRoute> + '_ {
        self.routes.iter().copied()
    }

    /// Only the routes `keep` returns `true` for, in the same order: e.g.
    /// those of one app's modules, when a program serves several.
    pub fn filter(mut self, mut keep: impl FnMut(&InventoryRoute) -> bool) -> Inventory {
        self.routes.retain(|route| keep(route));
        self
    }

    /// The inventory of an API served at `origin` (its public origin, as
    /// the front ends' pages call it: `https://api.example.com`), which
    /// then says, for each allowed origin, whether it is same-site or
    /// cross-site to the API ([`Inventory::site`]); the table marks the
    /// cross-site ones "third-party cookies". An `origin` that is not an
    /// origin is refused with the compiler's message for it.
    ///
    /// It changes no decision: it only describes.
    pub fn with_public_origin(mut self, origin: &str) -> Result<Inventory, ConfigError> {
        let checked = origin::check(origin).map_err(|problem| {
            ConfigError::new(format!("public origin: {}", problem.message(origin)))
        })?;
        self.public_origin = Some(checked.serialized);
        Ok(self)
    }

    /// The API's public origin, if given ([`Inventory::with_public_origin`]).
    pub fn public_origin(&self) -> Option<&str> {
        self.public_origin.as_deref()
    }

    /// Whether `origin`, an origin or pattern of a route
    /// ([`InventoryRoute::origins`]), is same-site to the API's public
    /// origin: `None` without one. A pattern's hosts are all the same site
    /// as its written host (`https://*.example.com` as
    /// `https://example.com`, `http://localhost:*` as `http://localhost`).
    pub fn site(&self, origin: &str) -> Option<Site> {
        let public = self.public_origin.as_deref()?;
        let (scheme, rest) = origin.split_once("://").unwrap_or(("", origin));
        let host = rest.strip_prefix("*.").unwrap_or(rest);
        let host = host.strip_suffix(":*").unwrap_or(host);
        let origin = format!("{scheme}://{host}");
        Some(
            if site::origins_same_site(origin.as_bytes(), public.as_bytes()) {
                Site::Same
            } else {
                Site::Cross
            },
        )
    }

    /// How many routes.
    pub fn len(&self) -> usize {
        self.routes.len()
    }

    /// Whether no route is recorded.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }
}

impl<'a> IntoIterator for &'a Inventory {
    type Item = &'static InventoryRoute;
    type IntoIter = core::iter::Copied<core::slice::Iter<'a, &'static InventoryRoute>>;

    fn into_iter(self) -> Self::IntoIter {
        self.routes.iter().copied()
    }
}

/// At most this many origins are shown per route; the rest are counted.
const SHOWN_ORIGINS: usize = 8;

impl fmt::Display for Inventory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: Vec<[String; 5]> = self
            .routes
            .iter()
            .map(|route| {
                [
                    route.path.unwrap_or("(by hand)").to_owned(),
                    route.methods.join(", "),
                    format!("{}::{}", route.module, route.handler),
                    match (route.policy_name, route.overrides) {
                        (None, _) => "-".to_owned(),
                        (Some(name), false) => name.to_owned(),
                        (Some(name), true) => format!("{name} + overrides"),
                    },
                    origins_cell(route, self),
                ]
            })
            .collect();
        let header = ["PATH", "METHODS", "HANDLER", "POLICY", "ORIGINS"].map(str::to_owned);
        let mut widths = [0; 4];
        for row in core::iter::once(&header).chain(&rows) {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        for row in core::iter::once(&header).chain(&rows) {
            for (cell, width) in row.iter().zip(widths) {
                write!(f, "{cell:width$}  ")?;
            }
            writeln!(f, "{}", row[4])?;
        }
        if let Some(public) = &self.public_origin {
            let cross = self.routes.iter().any(|route| {
                route
                    .origins()
                    .iter()
                    .any(|origin| self.site(origin) == Some(Site::Cross))
            });
            if cross {
                writeln!(
                    f,
                    "the API is served at {public}: on the pages of the origins marked third-party, its cookies are third-party cookies, which need `SameSite=None; Secure` and which Safari blocks and Firefox partitions; serve the API under their site, or use `Partitioned` cookies"
                )?;
            } else {
                writeln!(
                    f,
                    "the API is served at {public}: every allowed origin is same-site, so its cookies are first-party on their pages"
                )?;
            }
        }
        Ok(())
    }
}

/// The ORIGINS cell: where they come from, and the first few, those
/// cross-site to the API's public origin marked.
fn origins_cell(route: &InventoryRoute, inventory: &Inventory) -> String {
    let origins = route.origins();
    let mut listed = origins
        .iter()
        .take(SHOWN_ORIGINS)
        .map(|origin| match inventory.site(origin) {
            Some(Site::Cross) => format!("{origin} (cross-site: third-party cookies)"),
            _ => origin.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    if origins.len() > SHOWN_ORIGINS {
        listed.push_str(&format!(", … ({} in all)", origins.len()));
    }
    match route.origin_source() {
        OriginSource::Listed => listed,
        OriginSource::Env(var) if origins.is_empty() => format!("env({var:?}), not loaded"),
        OriginSource::Env(var) => format!("env({var:?}): {listed}"),
        OriginSource::Dynamic(_) if origins.is_empty() => "dynamic, not set yet".to_owned(),
        OriginSource::Dynamic(_) => format!("dynamic: {listed}"),
        OriginSource::PerTenant(_) => match route.policy.origins {
            OriginSet::PerTenant { tenants, .. } => {
                format!("per tenant: {} tenants set", tenants.tenant_count())
            }
            _ => "per tenant".to_owned(),
        },
    }
}
