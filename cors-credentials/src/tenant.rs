//! Origin sets bound to the tenant a request addresses:
//! `policy! { NAME = { origins: per_tenant, tenant: path("tenant"), .. } }`
//! and [`Policy::set_tenant_origins`](crate::Policy::set_tenant_origins).
//!
//! Each tenant's set is checked by the rules crate's list checker, the
//! compiler's own, all or nothing ([`dynamic::checked`]). The tenants live in
//! one snapshot, sorted by key, that requests read without a lock and without
//! allocating (`arc-swap`), once per decision: a tenant is found by a binary
//! search on its key's bytes and its exact origins by a binary search in the
//! rules crate's lookup order, so nothing is hashed per request. Writers
//! build a new snapshot and swap it in, one writer at a time.

use std::{
    cmp::Ordering,
    sync::{Arc, Mutex},
};

use arc_swap::ArcSwapOption;
use cors_credentials_rules::{list, pattern::Pattern};

use crate::{dynamic, error::ConfigError};

/// The most tenants a per-tenant policy holds.
pub const MAX_TENANTS: usize = 100_000;

/// The most entries (origins and patterns) one tenant's set holds.
pub const MAX_TENANT_ORIGINS: usize = 1_000;

/// The longest tenant key, in bytes: a 253-byte host name with a port fits.
pub const MAX_TENANT_KEY_LEN: usize = 260;

/// What names the tenant a request addresses, as `policy!` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantSource {
    /// `tenant: path("name")`: the `{name}` segment of the route's path.
    Path(&'static str),
    /// `tenant: host`: the request's host, lower-cased, without `:80` or
    /// `:443`.
    Host,
}

/// A policy's origins, one set per tenant; no tenant until one is set.
#[derive(Debug)]
pub struct TenantOrigins {
    name: &'static str,
    allow_insecure_http: bool,
    from: TenantSource,
    current: ArcSwapOption<Snapshot>,
    /// One writer at a time, so two updates of different tenants both land.
    writer: Mutex<()>,
}

/// Every tenant's set, sorted by key, and their union for telling another
/// tenant's origin from an unknown one.
#[derive(Debug, Default)]
struct Snapshot {
    tenants: Vec<Entry>,
    /// The first 16 bytes of each tenant's key ([`head`]), in the order of
    /// `tenants`: the binary search compares these integers, and key bytes
    /// only where two heads are equal.
    heads: Vec<u128>,
    /// Every tenant's exact origins, in lookup order, each once.
    all_exact: Vec<Arc<str>>,
    /// Every tenant's patterns, each once.
    all_patterns: Vec<Pattern>,
}

#[derive(Debug, Clone)]
struct Entry {
    key: Arc<str>,
    set: Arc<TenantSet>,
}

/// One tenant's checked set in the form requests look it up.
#[derive(Debug)]
struct TenantSet {
    /// Exact origins in the rules crate's lookup order ([`list::order`]).
    exact: Vec<Arc<str>>,
    /// Patterns, in the order written.
    patterns: Vec<Pattern>,
}

impl TenantSet {
    #[inline]
    fn allows(&self, origin: &[u8]) -> bool {
        self.exact
            .binary_search_by(|candidate| list::order(candidate.as_bytes(), origin))
            .is_ok()
            || self.patterns.iter().any(|pattern| pattern.matches(origin))
    }
}

/// The tenant a request addresses, as its bytes: a path segment, or a host
/// compared lower-cased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TenantKey<'a> {
    /// Compared byte for byte.
    Exact(&'a [u8]),
    /// A host without its default port, compared ASCII-lower-cased.
    Host(&'a [u8]),
}

impl TenantKey<'_> {
    /// The key's first 16 bytes as [`head`] packs a tenant's (a host's
    /// lower-cased): the integer the binary search compares.
    #[inline]
    fn head(&self) -> u128 {
        match self {
            TenantKey::Exact(bytes) => head(bytes),
            TenantKey::Host(host) => {
                let mut buf = [0u8; 16];
                let n = host.len().min(16);
                buf[..n].copy_from_slice(&host[..n]);
                buf.make_ascii_lowercase();
                u128::from_be_bytes(buf)
            }
        }
    }

    /// How a tenant's key sorts against this one, without copying either.
    fn cmp_key(&self, key: &[u8]) -> Ordering {
        match self {
            TenantKey::Exact(bytes) => key.cmp(bytes),
            TenantKey::Host(host) => key
                .iter()
                .copied()
                .cmp(host.iter().map(u8::to_ascii_lowercase)),
        }
    }
}

/// The tenant named by a request's authority (`Host` or `:authority`):
/// without `:80` or `:443`, compared lower-cased; `None` without one.
pub(crate) fn host_key(authority: Option<&[u8]>) -> Option<TenantKey<'_>> {
    let authority = authority?;
    let host = authority
        .strip_suffix(b":443")
        .or_else(|| authority.strip_suffix(b":80"))
        .unwrap_or(authority);
    (!host.is_empty()).then_some(TenantKey::Host(host))
}

/// A key's first 16 bytes, big-endian, zero-padded. Keys hold no zero byte
/// ([`check_key`]), so heads sort as their keys do: a shorter key that is a
/// prefix of a longer one has the smaller head, and two keys whose heads
/// differ sort as their heads.
#[inline]
fn head(key: &[u8]) -> u128 {
    let mut buf = [0u8; 16];
    let n = key.len().min(16);
    buf[..n].copy_from_slice(&key[..n]);
    u128::from_be_bytes(buf)
}

/// What a tenant's set says of an `Origin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TenantLookup {
    /// The set allows it.
    Allowed,
    /// Neither this tenant's nor any other tenant's set allows it.
    NotAllowed,
    /// Another tenant's set allows it, this tenant's does not.
    OtherTenant,
    /// The request names no tenant, or one whose origins were not set.
    NotSet,
}

impl TenantOrigins {
    #[doc(hidden)]
    pub const fn new(name: &'static str, allow_insecure_http: bool, from: TenantSource) -> Self {
        TenantOrigins {
            name,
            allow_insecure_http,
            from,
            current: ArcSwapOption::const_empty(),
            writer: Mutex::new(()),
        }
    }

    /// The policy's name, for messages.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Looks `origin` up in the set of the tenant `key`, reading the
    /// snapshot once: no lock, no allocation, no hash, no reference count.
    #[inline]
    pub(crate) fn lookup(&self, key: Option<TenantKey<'_>>, origin: &[u8]) -> TenantLookup {
        let guard = self.current.load();
        let (Some(snapshot), Some(key)) = (&*guard, key) else {
            return TenantLookup::NotSet;
        };
        snapshot.lookup(key, origin).0
    }

    /// The key of the tenant `key` names, when its set allows `origin`: the
    /// tenant that admitted a request, shared with the snapshot. For the
    /// [`Tenant`] a handler reads; requests are decided by [`lookup`](Self::lookup).
    pub(crate) fn admitting(&self, key: Option<TenantKey<'_>>, origin: &[u8]) -> Option<Arc<str>> {
        let guard = self.current.load();
        let (Some(snapshot), Some(key)) = (&*guard, key) else {
            return None;
        };
        match snapshot.lookup(key, origin) {
            (TenantLookup::Allowed, Some(index)) => Some(Arc::clone(&snapshot.tenants[index].key)),
            _ => None,
        }
    }

    /// The origins in force for `key`, in canonical form (exact origins in
    /// lookup order, then patterns); `None` for a tenant not set.
    pub fn tenant_origins(&self, key: &str) -> Option<Vec<String>> {
        let snapshot = self.current.load_full()?;
        let index = snapshot
            .tenants
            .binary_search_by(|tenant| tenant.key.as_bytes().cmp(key.as_bytes()))
            .ok()?;
        let set = &snapshot.tenants[index].set;
        Some(
            set.exact
                .iter()
                .map(ToString::to_string)
                .chain(set.patterns.iter().map(ToString::to_string))
                .collect(),
        )
    }

    /// The number of tenants whose origins are set.
    pub fn tenant_count(&self) -> usize {
        self.current
            .load()
            .as_ref()
            .map_or(0, |snapshot| snapshot.tenants.len())
    }

    /// Checks `entries` and makes them the origins of the tenant `key`; on
    /// any problem the tenant keeps its set.
    pub fn set_tenant<I>(&self, key: &str, entries: I) -> Result<(), ConfigError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let set = self
            .check_tenant(key, entries)
            .map_err(|message| self.error(message))?;
        let _writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let current = self.current.load_full();
        let mut tenants = current
            .as_ref()
            .map_or_else(Vec::new, |s| s.tenants.clone());
        match tenants.binary_search_by(|tenant| tenant.key.as_bytes().cmp(key.as_bytes())) {
            Ok(index) => tenants[index].set = Arc::new(set),
            Err(index) => {
                if tenants.len() == MAX_TENANTS {
                    return Err(self.error(too_many_tenants()));
                }
                tenants.insert(
                    index,
                    Entry {
                        key: Arc::from(key),
                        set: Arc::new(set),
                    },
                );
            }
        }
        self.current.store(Some(Arc::new(Snapshot::new(tenants))));
        Ok(())
    }

    /// Removes the tenant `key`: its routes fail closed again. Removing a
    /// tenant that is not set does nothing.
    pub fn remove_tenant(&self, key: &str) {
        let _writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let Some(current) = self.current.load_full() else {
            return;
        };
        let mut tenants = current.tenants.clone();
        if let Ok(index) =
            tenants.binary_search_by(|tenant| tenant.key.as_bytes().cmp(key.as_bytes()))
        {
            tenants.remove(index);
            self.current.store(Some(Arc::new(Snapshot::new(tenants))));
        }
    }

    /// Checks every tenant of `snapshot` and makes them, and only them, the
    /// tenants, in one swap; on any problem every tenant keeps its set.
    pub fn set_all<I, K, E>(&self, snapshot: I) -> Result<(), ConfigError>
    where
        I: IntoIterator<Item = (K, E)>,
        K: AsRef<str>,
        E: IntoIterator,
        E::Item: AsRef<str>,
    {
        let mut tenants: Vec<Entry> = Vec::new();
        for (key, entries) in snapshot {
            if tenants.len() == MAX_TENANTS {
                return Err(self.error(too_many_tenants()));
            }
            let key = key.as_ref();
            let set = self
                .check_tenant(key, entries)
                .map_err(|message| self.error(message))?;
            tenants.push(Entry {
                key: Arc::from(key),
                set: Arc::new(set),
            });
        }
        tenants.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
        if let Some(pair) = tenants.windows(2).find(|pair| pair[0].key == pair[1].key) {
            return Err(self.error(format!(
                "tenant `{}` is given twice: give each tenant once",
                pair[0].key.escape_default()
            )));
        }
        let _writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        self.current.store(Some(Arc::new(Snapshot::new(tenants))));
        Ok(())
    }

    /// One tenant's key and entries, checked.
    fn check_tenant<I>(&self, key: &str, entries: I) -> Result<TenantSet, String>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        check_key(key, self.from)?;
        let in_tenant = |message: String| format!("tenant `{key}`: {message}");
        let kept = dynamic::bounded_by(entries, MAX_TENANT_ORIGINS, || {
            format!("more than {MAX_TENANT_ORIGINS} origins; a tenant's set is limited to {MAX_TENANT_ORIGINS} entries")
        })
        .map_err(in_tenant)?;
        let list = dynamic::checked(&kept, self.allow_insecure_http).map_err(in_tenant)?;
        Ok(TenantSet {
            exact: list.exact.into_iter().map(Arc::from).collect(),
            patterns: list.patterns,
        })
    }

    fn error(&self, message: String) -> ConfigError {
        ConfigError::new(format!("{}: {message}", self.name))
    }
}

impl Snapshot {
    /// What the tenant `key` names says of `origin`, and the tenant's index.
    #[inline]
    fn lookup(&self, key: TenantKey<'_>, origin: &[u8]) -> (TenantLookup, Option<usize>) {
        let Some(index) = self.find(key) else {
            return (TenantLookup::NotSet, None);
        };
        if self.tenants[index].set.allows(origin) {
            return (TenantLookup::Allowed, Some(index));
        }
        // Refusal path only: which reason to report.
        let elsewhere = self
            .all_exact
            .binary_search_by(|candidate| list::order(candidate.as_bytes(), origin))
            .is_ok()
            || self
                .all_patterns
                .iter()
                .any(|pattern| pattern.matches(origin));
        let lookup = if elsewhere {
            TenantLookup::OtherTenant
        } else {
            TenantLookup::NotAllowed
        };
        (lookup, Some(index))
    }

    /// The index of the tenant `key` names: a binary search on the keys'
    /// heads, integers, comparing key bytes only where two heads are equal.
    #[inline]
    fn find(&self, mut key: TenantKey<'_>) -> Option<usize> {
        // Hosts are almost always sent lower-case: compared as they are,
        // byte slices, unless they hold an upper-case letter.
        if let TenantKey::Host(host) = key {
            if !host.iter().any(u8::is_ascii_uppercase) {
                key = TenantKey::Exact(host);
            }
        }
        let wanted = key.head();
        let (mut low, mut high) = (0, self.heads.len());
        while low < high {
            let middle = low + (high - low) / 2;
            let order = self.heads[middle]
                .cmp(&wanted)
                .then_with(|| key.cmp_key(self.tenants[middle].key.as_bytes()));
            match order {
                Ordering::Less => low = middle + 1,
                Ordering::Greater => high = middle,
                Ordering::Equal => return Some(middle),
            }
        }
        None
    }

    fn new(tenants: Vec<Entry>) -> Snapshot {
        let heads = tenants
            .iter()
            .map(|tenant| head(tenant.key.as_bytes()))
            .collect();
        let mut all_exact: Vec<Arc<str>> = tenants
            .iter()
            .flat_map(|tenant| tenant.set.exact.iter().cloned())
            .collect();
        all_exact.sort_unstable_by(|a, b| list::order(a.as_bytes(), b.as_bytes()));
        all_exact.dedup();
        let mut all_patterns: Vec<Pattern> = Vec::new();
        for pattern in tenants.iter().flat_map(|tenant| &tenant.set.patterns) {
            if !all_patterns.contains(pattern) {
                all_patterns.push(pattern.clone());
            }
        }
        Snapshot {
            tenants,
            heads,
            all_exact,
            all_patterns,
        }
    }
}

fn too_many_tenants() -> String {
    format!("more than {MAX_TENANTS} tenants; a per-tenant policy is limited to {MAX_TENANTS}")
}

/// Whether `key` can name a tenant: 1 to [`MAX_TENANT_KEY_LEN`] bytes of
/// letters, digits and `-._~` (what a path segment holds unescaped), plus
/// `:` for a host's port; lower-case for `tenant: host`, whose requests are
/// compared lower-cased.
fn check_key(key: &str, from: TenantSource) -> Result<(), String> {
    let shown = key.escape_default();
    if key.is_empty() {
        return Err("a tenant key is empty: name the tenant, e.g. `acme`".to_owned());
    }
    if key.len() > MAX_TENANT_KEY_LEN {
        return Err(format!(
            "tenant key `{shown}` is {} bytes long, more than {MAX_TENANT_KEY_LEN}",
            key.len()
        ));
    }
    let allowed =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':');
    if let Some(bad) = key.bytes().find(|&b| !allowed(b)) {
        return Err(format!(
            "tenant key `{shown}` holds `{}`: a key is letters, digits and `-._~:` only",
            char::from(bad).escape_default()
        ));
    }
    if from == TenantSource::Host {
        if key.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(format!(
                "tenant key `{shown}` has upper-case letters: `tenant: host` compares the request's host lower-cased, so write the key in lower case"
            ));
        }
        if key.ends_with(":443") || key.ends_with(":80") {
            return Err(format!(
                "tenant key `{shown}` ends with a default port: `tenant: host` compares the host without `:80` and `:443`, so leave the port out"
            ));
        }
    }
    Ok(())
}

/// The tenant whose origins admitted a request, when a per-tenant policy
/// (`origins: per_tenant`) allowed its cross-origin `Origin`, for the
/// handler to read.
///
/// With actix-web it is an extractor (take `Option<Tenant>` in a handler
/// that also serves same-origin requests and requests without `Origin`,
/// which no tenant admits); it asks the route's policy when the handler
/// reads it, so the route stores nothing per request. A handler registered
/// by hand asks its policy: [`Policy::admitted_tenant`](crate::Policy::admitted_tenant).
/// With axum, `Extension<Tenant>` or `Option<Extension<Tenant>>`: the layer
/// puts it in the request's extensions. It is the key given to
/// [`set_tenant_origins`](crate::Policy::set_tenant_origins), shared with
/// the policy's tenants: reading it copies no bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tenant(Arc<str>);

impl Tenant {
    pub(crate) fn new(key: Arc<str>) -> Self {
        Tenant(key)
    }

    /// The tenant's key, as given to `set_tenant_origins`.
    pub fn key(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenants() -> TenantOrigins {
        let tenants = TenantOrigins::new("TENANTS", false, TenantSource::Path("tenant"));
        tenants
            .set_tenant(
                "acme",
                ["https://app.acme.example", "https://*.acme.example"],
            )
            .unwrap();
        tenants
            .set_tenant("globex", ["https://globex.example"])
            .unwrap();
        tenants
    }

    fn lookup(tenants: &TenantOrigins, key: &str, origin: &str) -> TenantLookup {
        tenants.lookup(Some(TenantKey::Exact(key.as_bytes())), origin.as_bytes())
    }

    #[test]
    fn a_tenant_allows_its_own_origins_only() {
        let tenants = tenants();
        assert_eq!(
            lookup(&tenants, "acme", "https://app.acme.example"),
            TenantLookup::Allowed
        );
        assert_eq!(
            tenants.admitting(Some(TenantKey::Exact(b"acme")), b"https://app.acme.example"),
            Some(Arc::from("acme"))
        );
        assert_eq!(
            tenants.admitting(Some(TenantKey::Exact(b"acme")), b"https://globex.example"),
            None
        );
        assert!(matches!(
            lookup(&tenants, "acme", "https://shop.acme.example"),
            TenantLookup::Allowed
        ));
        assert_eq!(
            lookup(&tenants, "acme", "https://globex.example"),
            TenantLookup::OtherTenant
        );
        assert_eq!(
            lookup(&tenants, "globex", "https://shop.acme.example"),
            TenantLookup::OtherTenant
        );
        assert_eq!(
            lookup(&tenants, "acme", "https://evil.example"),
            TenantLookup::NotAllowed
        );
        assert_eq!(
            lookup(&tenants, "initech", "https://app.acme.example"),
            TenantLookup::NotSet
        );
        assert_eq!(
            tenants.lookup(None, b"https://app.acme.example"),
            TenantLookup::NotSet
        );
    }

    #[test]
    fn keys_sharing_their_first_16_bytes_are_told_apart() {
        let tenants = TenantOrigins::new("LONG", false, TenantSource::Path("tenant"));
        let keys = [
            "customer-0000000",
            "customer-00000001",
            "customer-00000001a",
            "customer-00000002",
            "customer-0000000~",
            "c",
            "customer-000000",
        ];
        tenants
            .set_all(
                keys.iter()
                    .enumerate()
                    .map(|(i, key)| (*key, [format!("https://t{i}.example")])),
            )
            .unwrap();
        for (i, key) in keys.iter().enumerate() {
            for (j, _) in keys.iter().enumerate() {
                let origin = format!("https://t{j}.example");
                let expected = if i == j {
                    TenantLookup::Allowed
                } else {
                    TenantLookup::OtherTenant
                };
                assert_eq!(lookup(&tenants, key, &origin), expected, "{key} {origin}");
            }
        }
        for unknown in [
            "customer-00000001\0",
            "customer-0000000\0",
            "customer-00000003",
            "",
            "d",
        ] {
            assert_eq!(
                lookup(&tenants, unknown, "https://t1.example"),
                TenantLookup::NotSet,
                "{unknown:?}"
            );
        }
    }

    #[test]
    fn a_bad_entry_keeps_the_tenants_set() {
        let tenants = tenants();
        let error = tenants
            .set_tenant("acme", ["https://new.acme.example", "http://plain.example"])
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(
                "TENANTS: tenant `acme`: entry 2 (`http://plain.example`): plain-http origin"
            ),
            "{error}"
        );
        assert_eq!(
            tenants.tenant_origins("acme").unwrap(),
            ["https://app.acme.example", "https://*.acme.example"]
        );
    }

    #[test]
    fn a_snapshot_replaces_every_tenant_or_none() {
        let tenants = tenants();
        let error = tenants
            .set_all([
                ("initech", vec!["https://initech.example"]),
                ("acme", vec!["nope"]),
            ])
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("TENANTS: tenant `acme`: entry 1 (`nope`)"),
            "{error}"
        );
        assert_eq!(tenants.tenant_count(), 2);
        tenants
            .set_all([("initech", ["https://initech.example"])])
            .unwrap();
        assert_eq!(tenants.tenant_count(), 1);
        assert_eq!(tenants.tenant_origins("acme"), None);
        assert_eq!(
            lookup(&tenants, "acme", "https://app.acme.example"),
            TenantLookup::NotSet
        );
        let twice = tenants
            .set_all([("a", ["https://a.example"]), ("a", ["https://b.example"])])
            .unwrap_err()
            .to_string();
        assert_eq!(
            twice,
            "TENANTS: tenant `a` is given twice: give each tenant once"
        );
    }

    #[test]
    fn keys_and_sets_are_bounded() {
        let tenants = tenants();
        for (key, message) in [
            ("", "a tenant key is empty"),
            ("a/b", "holds `/`"),
            (
                &"k".repeat(MAX_TENANT_KEY_LEN + 1)[..],
                "bytes long, more than",
            ),
        ] {
            let error = tenants
                .set_tenant(key, ["https://a.example"])
                .unwrap_err()
                .to_string();
            assert!(error.contains(message), "{error}");
        }
        let many: Vec<String> = (0..=MAX_TENANT_ORIGINS)
            .map(|i| format!("https://a{i}.example"))
            .collect();
        let error = tenants.set_tenant("acme", &many).unwrap_err().to_string();
        assert!(error.contains("limited to 1000 entries"), "{error}");
        let long = format!("https://{}.example", "a".repeat(600));
        let error = tenants.set_tenant("acme", [long]).unwrap_err().to_string();
        assert!(error.contains("entry 1 is 616 bytes long"), "{error}");
    }

    #[test]
    fn hosts_are_compared_lower_cased_without_the_default_port() {
        let tenants = TenantOrigins::new("HOSTS", false, TenantSource::Host);
        tenants
            .set_tenant("api.acme.example", ["https://app.acme.example"])
            .unwrap();
        let at = |authority: &str| {
            tenants.lookup(
                host_key(Some(authority.as_bytes())),
                b"https://app.acme.example",
            )
        };
        assert!(matches!(at("api.acme.example"), TenantLookup::Allowed));
        assert!(matches!(at("API.Acme.example:443"), TenantLookup::Allowed));
        assert!(matches!(at("api.acme.example:80"), TenantLookup::Allowed));
        assert_eq!(at("api.acme.example:8443"), TenantLookup::NotSet);
        assert_eq!(at("api.acme.example."), TenantLookup::NotSet);
        let error = tenants
            .set_tenant("API.acme.example", ["https://a.example"])
            .unwrap_err()
            .to_string();
        assert!(error.contains("upper-case"), "{error}");
    }
}
