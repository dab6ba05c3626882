//! The app-wide cross-origin decision: which requests of any route, annotated
//! or not, may change state on behalf of a cross-origin page.
//!
//! A cross-site form `POST`, or a `fetch` with `mode: "no-cors"`, is sent
//! with the user's cookies and without a preflight; CORS only hides the
//! response, after the handler has run. The model is Go's
//! `http.CrossOriginProtection`: safe methods pass; `Sec-Fetch-Site` decides
//! whenever present (`same-origin` or `none` pass); without it, a request
//! with no `Origin` (no browser sends an unsafe request so) passes and an
//! `Origin` equal to the request's own origin passes. A cross-origin request
//! passes only where it was granted: on a route whose own policy admits its
//! origin for its method, or from an origin trusted app-wide on purpose.

use crate::{
    origin::Lookup,
    policy::Policy,
    refusal::{Check, Refusal},
    report,
    request::{self, OriginHeader, Request, RequestHeader},
    same_origin::is_own_origin,
};

/// What the guard is given: the policies it trusts app-wide, the paths it
/// leaves alone, whether it only reports, and whether the application is
/// served over https. Framework-free, and checked when it is built in a
/// `const`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GuardConfig {
    trust: [Option<&'static Policy>; MAX_TRUSTED_POLICIES],
    exempt: &'static [&'static str],
    report_only: bool,
    https: bool,
}

/// The most policies one guard trusts app-wide.
pub const MAX_TRUSTED_POLICIES: usize = 16;

impl GuardConfig {
    /// Trusts no origin app-wide, exempts nothing, enforces.
    pub(crate) const fn new() -> Self {
        GuardConfig {
            trust: [None; MAX_TRUSTED_POLICIES],
            exempt: &[],
            report_only: false,
            https: false,
        }
    }

    /// Trusts this policy's origins on every route. Panics, at compile time
    /// in a `const`, beyond [`MAX_TRUSTED_POLICIES`].
    pub(crate) const fn trust(mut self, policy: &'static Policy) -> Self {
        if matches!(policy.origins, crate::policy::OriginSet::PerTenant { .. }) {
            panic!("a per-tenant policy cannot be trusted app-wide: each tenant's origins are trusted on that tenant's routes only, where the route's own policy admits them");
        }
        let mut index = 0;
        while index < MAX_TRUSTED_POLICIES {
            if self.trust[index].is_none() {
                self.trust[index] = Some(policy);
                return self;
            }
            index += 1;
        }
        panic!("a guard trusts at most 16 policies app-wide: list their origins in fewer `policy!` declarations");
    }

    /// Leaves these paths alone. Panics, at compile time in a `const`, on a
    /// path the guard could not match.
    pub(crate) const fn exempt(self, paths: &'static [&'static str]) -> Self {
        let mut index = 0;
        while index < paths.len() {
            check_exempt_path(paths[index]);
            index += 1;
        }
        GuardConfig {
            exempt: paths,
            ..self
        }
    }

    /// Serves every request, reporting those it would refuse.
    pub(crate) const fn report_only(self) -> Self {
        GuardConfig {
            report_only: true,
            ..self
        }
    }

    /// Whether it only reports.
    pub(crate) const fn is_report_only(&self) -> bool {
        self.report_only
    }

    /// Declares that the application is served over https.
    pub(crate) const fn https(self) -> Self {
        GuardConfig {
            https: true,
            ..self
        }
    }

    /// The explicitly trusted policies.
    pub(crate) fn trusted_policies(&self) -> impl Iterator<Item = &'static Policy> + '_ {
        self.trust.iter().map_while(|policy| *policy)
    }

    /// What the decision reads: this configuration, as it is.
    pub(crate) const fn trusted(&self) -> Trusted {
        Trusted { config: *self }
    }
}

impl Default for GuardConfig {
    fn default() -> Self {
        Self::new()
    }
}

/// An exempt path is exact (`/oauth/callback`) or a prefix of whole segments
/// (`/hooks/*`).
const fn check_exempt_path(path: &str) {
    let bytes = path.as_bytes();
    if bytes.is_empty() || bytes[0] != b'/' {
        panic!("an exempt path starts with `/`, as the request's path does: write e.g. \"/oauth/callback\"");
    }
    if bytes.len() == 2 && bytes[1] == b'*' {
        panic!("exempting `/*` exempts every path: leave the guard out instead");
    }
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'*' && !(index == bytes.len() - 1 && bytes[index - 1] == b'/') {
            panic!("`*` in an exempt path stands for the rest of the path, as a last segment: write e.g. \"/hooks/*\"");
        }
        if bytes[index] == b'?' || bytes[index] == b'#' {
            panic!("an exempt path is matched against the request's path, without query or fragment: remove `?` or `#` and what follows");
        }
        index += 1;
    }
}

/// The trusted policies, exempt paths and modes of one guard: `'static`
/// data, read in place.
#[derive(Debug, Clone, Copy)]
pub struct Trusted {
    config: GuardConfig,
}

impl Trusted {
    /// Whether a policy trusted app-wide allows the raw `Origin` bytes.
    #[inline]
    fn trusts(&self, origin: &[u8]) -> bool {
        self.config
            .trusted_policies()
            .any(|policy| policy.origins.lookup(origin) == Lookup::Allowed)
    }

    /// Whether `path` is exempt. A path a normalising proxy, middleware or
    /// router could turn into another one (a `.` or `..` segment, raw or
    /// percent-encoded, an encoded `/` or `\\`, an empty segment) is never
    /// exempt.
    fn exempts(&self, path: &str) -> bool {
        !self.config.exempt.is_empty()
            && !is_ambiguous_path(path)
            && self
                .config
                .exempt
                .iter()
                .any(|exempt| match exempt.strip_suffix('*') {
                    Some(prefix) => path.starts_with(prefix),
                    None => path == *exempt,
                })
    }
}

/// Whether a path holds a segment that some normaliser would rewrite: `.` or
/// `..` (raw, or with `%2e` in any case), an encoded `/` (`%2f`) or `\\`
/// (`%5c`, or raw), or an empty segment (`//`).
pub(crate) fn is_ambiguous_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    if bytes.contains(&b'\\') {
        return true;
    }
    // Encoded separators, anywhere.
    let mut index = 0;
    while index + 2 < bytes.len() {
        if bytes[index] == b'%' {
            let code = [
                bytes[index + 1].to_ascii_lowercase(),
                bytes[index + 2].to_ascii_lowercase(),
            ];
            if code == *b"2f" || code == *b"5c" {
                return true;
            }
        }
        index += 1;
    }
    let mut segments = path.split('/');
    // The part before the leading `/` (empty for an absolute path).
    segments.next();
    let mut segments = segments.peekable();
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        if segment.is_empty() && !last {
            return true;
        }
        if is_dot_segment(segment.as_bytes()) {
            return true;
        }
    }
    false
}

/// `.`, `..`, or either with any dot written `%2e`/`%2E`.
fn is_dot_segment(segment: &[u8]) -> bool {
    let mut rest = segment;
    let mut dots = 0;
    while !rest.is_empty() {
        if rest[0] == b'.' {
            rest = &rest[1..];
        } else if rest.len() >= 3
            && rest[0] == b'%'
            && rest[1] == b'2'
            && rest[2].eq_ignore_ascii_case(&b'e')
        {
            rest = &rest[3..];
        } else {
            return false;
        }
        dots += 1;
    }
    dots == 1 || dots == 2
}

/// Whether a method is safe: such requests must not change state, so the
/// guard always passes them, and never breaks a page load or a preflight.
#[inline]
pub(crate) fn is_safe_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS")
}

/// What `Sec-Fetch-Site` says.
enum Site<'a> {
    /// No line: decide on `Origin` and `Host`.
    Absent,
    /// `same-origin`, or `none` (the user navigated): passes.
    Own,
    /// Anything else (`same-site`, `cross-site`, empty, an unknown value,
    /// more than one line): cross-origin. The first line's value, for the
    /// log record.
    Cross(&'a [u8]),
}

fn site<R: Request + ?Sized>(req: &R) -> Site<'_> {
    let mut lines = req.header(RequestHeader::SecFetchSite);
    match (lines.next(), lines.next()) {
        (None, _) => Site::Absent,
        (Some(value), None) if matches!(value.as_ref(), b"same-origin" | b"none") => Site::Own,
        (Some(value), _) => Site::Cross(value.as_ref()),
    }
}

/// Decides on any request of the app, with no route trusting anything: `Ok`
/// to pass it on, or the refusal (already reported).
// The tower guard's decision (it cannot see routes); the actix-web guard asks
// the route (`decide_on_route`), so an actix-only build does not call it.
#[cfg_attr(not(any(feature = "tower", feature = "test-hooks")), allow(dead_code))]
pub fn decide<'a, R: Request + ?Sized>(trusted: &Trusted, req: &'a R) -> Result<(), Refusal<'a>> {
    decide_on_route(trusted, req, |_| false)
}

/// Decides on any request of the app: `Ok` to pass it on, or the refusal
/// (already reported). `route_admits` says whether the policy of the route
/// the request is for admits a cross-origin `Origin` for the request's
/// method; it is asked only for a cross-origin unsafe request that no policy
/// trusted app-wide allows.
pub(crate) fn decide_on_route<'a, R: Request + ?Sized>(
    trusted: &Trusted,
    req: &'a R,
    route_admits: impl FnOnce(&[u8]) -> bool,
) -> Result<(), Refusal<'a>> {
    if is_safe_method(req.method()) {
        return Ok(());
    }
    let site = match site(req) {
        Site::Own => return Ok(()),
        Site::Absent => None,
        Site::Cross(value) => Some(value),
    };
    let refusal = match request::origin(req) {
        // Not from a browser (or from one older than Fetch Metadata).
        OriginHeader::Absent if site.is_none() => return Ok(()),
        OriginHeader::Absent => Refusal::CrossOriginUnsafe { origin: None, site },
        OriginHeader::Many => Refusal::MultipleOrigins,
        OriginHeader::One(origin) => {
            let origin = origin.as_ref();
            // `Origin` against `Host` only when the browser did not say.
            if site.is_none() && is_own_origin(req, origin, trusted.config.https) {
                return Ok(());
            }
            if trusted.trusts(origin) || route_admits(origin) {
                return Ok(());
            }
            Refusal::CrossOriginUnsafe {
                origin: Some(origin),
                site,
            }
        }
    };
    if trusted.exempts(req.path()) {
        return Ok(());
    }
    report::refusal(&refusal, Check::Guard, req);
    Err(refusal)
}

/// The prefix of the resource name that marks the preflight route of an
/// annotated handler; the path as written in its routing attribute follows.
/// An app-level guard finds it in the app's resource map before routing.
#[cfg(feature = "actix")]
pub(crate) const ROUTE_MARKER: &str = "__cors_credentials_route:";

/// The resource name marking the preflight route of the annotated handlers
/// at `path`, as written in their routing attributes.
#[cfg(feature = "actix")]
pub(crate) fn route_marker(path: &str) -> String {
    format!("{ROUTE_MARKER}{path}")
}

/// Whether the annotated routes marked `name` ([`route_marker`]) let a
/// cross-origin request for `method` from `origin` through to decide on it
/// themselves. Every annotated handler at that path (as written) counts, so
/// `GET` and `PUT` handlers of one resource, each under its own attribute,
/// each admit their own methods: a route that refuses what its policy does
/// not allow decides alone, exactly as without the guard; an
/// `on_disallowed = "pass"` route, which would run for any origin, only for
/// the origins its policy allows (a per-tenant policy's: those of the
/// tenant `host` names under `tenant: host`, none under `tenant: path(..)`,
/// whose segment only routing reads). Any other name, or a method no
/// annotated handler at the path serves, lets nothing through.
#[cfg(feature = "actix")]
pub(crate) fn annotated_route_admits<R: Request + ?Sized>(
    name: &str,
    method: &str,
    origin: &[u8],
    req: &R,
) -> bool {
    use crate::{policy::OnDisallowed, tenant::TenantLookup};

    annotated_routes(name, method).any(|policy| {
        let tenant = match policy.tenant_source() {
            Some(source @ crate::tenant::TenantSource::Host) => {
                request::tenant_key(req, source, None)
            }
            _ => None,
        };
        policy.on_disallowed == OnDisallowed::Reject
            || policy.origins.lookup_for(tenant, origin) == TenantLookup::Allowed
    })
}

/// The policies of the annotated handlers marked `name` ([`route_marker`])
/// that serve `method`: none for any other name.
#[cfg(feature = "actix")]
pub(crate) fn annotated_routes<'a>(
    name: &'a str,
    method: &'a str,
) -> impl Iterator<Item = &'static Policy> + 'a {
    use crate::inventory::InventoryRoute;

    let path = name.strip_prefix(ROUTE_MARKER);
    ::inventory::iter::<InventoryRoute>
        .into_iter()
        .filter(move |route| {
            path.is_some() && route.path() == path && route.methods().contains(&method)
        })
        .map(InventoryRoute::policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exempt_paths() {
        let trusted = GuardConfig::new()
            .exempt(&["/oauth/callback", "/hooks/*"])
            .trusted();
        assert!(trusted.exempts("/oauth/callback"));
        assert!(!trusted.exempts("/oauth/callback/"));
        assert!(!trusted.exempts("/oauth"));
        assert!(trusted.exempts("/hooks/"));
        assert!(trusted.exempts("/hooks/github/push"));
        assert!(!trusted.exempts("/hooks"));
        assert!(!trusted.exempts("/hooksx/a"));
        // Paths a normaliser would rewrite are never exempt.
        for path in [
            "/hooks/../transfer",
            "/hooks/%2e%2e/transfer",
            "/hooks/%2E%2e/transfer",
            "/hooks/.%2E/transfer",
            "/hooks/./push",
            "/hooks/%2e/push",
            "/hooks/a%2ftransfer",
            "/hooks/a%2Ftransfer",
            "/hooks/a%5ctransfer",
            "/hooks/a\\transfer",
            "/hooks//push",
            "/hooks/..",
            "/oauth/callback/..",
        ] {
            assert!(!trusted.exempts(path), "{path}");
        }
        // Dots inside a segment are not dot segments.
        assert!(trusted.exempts("/hooks/v1.2/push"));
        assert!(trusted.exempts("/hooks/.../push"));
        assert!(trusted.exempts("/hooks/%2e%2e%2e"));
    }

    #[test]
    fn fetch_metadata_decides_whenever_present() {
        use crate::request::fake::FakeRequest;
        let trusted = GuardConfig::new().trusted();
        let post = || FakeRequest::new("POST", "/transfer").authority("api.example.com");
        // The request's own origin, but the browser says cross-site.
        for site in ["cross-site", "same-site", "", "unknown"] {
            let req = post()
                .header("origin", "http://api.example.com")
                .header("sec-fetch-site", site);
            assert!(decide(&trusted, &req).is_err(), "{site:?}");
        }
        // Two lines, even both `same-origin`: cross-origin.
        let req = post()
            .header("origin", "http://api.example.com")
            .header("sec-fetch-site", "same-origin")
            .header("sec-fetch-site", "same-origin");
        assert!(decide(&trusted, &req).is_err());
        // Without it, `Origin` against `Host`.
        let req = post().header("origin", "http://api.example.com");
        assert!(decide(&trusted, &req).is_ok());
        // An empty `Origin` is cross-origin.
        let req = post().header("origin", "");
        assert!(decide(&trusted, &req).is_err());
        // A route that admits the origin lets it pass; no route, no pass.
        let req = post()
            .header("origin", "https://app.example.com")
            .header("sec-fetch-site", "cross-site");
        assert!(decide_on_route(&trusted, &req, |origin| origin
            == b"https://app.example.com")
        .is_ok());
        assert!(decide_on_route(&trusted, &req, |_| false).is_err());
        // Declared https: the `https` own origin passes, the `http` one not.
        let https = GuardConfig::new().https().trusted();
        let req = post().header("origin", "https://api.example.com");
        assert!(decide(&https, &req).is_ok());
        assert!(decide(&trusted, &req).is_err());
        let req = post().header("origin", "http://api.example.com");
        assert!(decide(&https, &req).is_err());
    }

    #[test]
    #[should_panic(expected = "starts with `/`")]
    fn relative_exempt_path() {
        check_exempt_path("oauth/callback");
    }

    #[test]
    #[should_panic(expected = "as a last segment")]
    fn star_inside_an_exempt_path() {
        check_exempt_path("/hooks/*/push");
    }

    #[test]
    #[should_panic(expected = "as a last segment")]
    fn star_in_a_segment() {
        check_exempt_path("/hooks*");
    }

    #[test]
    #[should_panic(expected = "every path")]
    fn everything_exempt() {
        check_exempt_path("/*");
    }

    #[test]
    #[should_panic(expected = "without query")]
    fn query_in_an_exempt_path() {
        check_exempt_path("/callback?x=1");
    }

    #[test]
    fn trusted_policies_are_kept_in_order_up_to_the_limit() {
        use crate::policy::UNCONFIGURED;
        let mut config = GuardConfig::new();
        for _ in 0..MAX_TRUSTED_POLICIES {
            config = config.trust(&UNCONFIGURED);
        }
        assert_eq!(config.trusted_policies().count(), MAX_TRUSTED_POLICIES);
        assert_eq!(GuardConfig::new().trusted_policies().count(), 0);
        let overflow = std::panic::catch_unwind(|| config.trust(&UNCONFIGURED));
        let message = overflow.unwrap_err();
        let message = message.downcast_ref::<&str>().unwrap();
        assert!(message.contains("at most 16 policies"), "{message}");
    }

    #[test]
    fn safe_methods() {
        for method in ["GET", "HEAD", "OPTIONS"] {
            assert!(is_safe_method(method));
        }
        for method in [
            "POST", "PUT", "PATCH", "DELETE", "get", "CONNECT", "TRACE", "",
        ] {
            assert!(!is_safe_method(method));
        }
    }
}
