//! The app-wide cross-origin decision: which requests of any route, annotated
//! or not, may change state on behalf of a cross-origin page.
//!
//! A cross-site form `POST`, or a `fetch` with `mode: "no-cors"`, is sent
//! with the user's cookies and without a preflight; CORS only hides the
//! response, after the handler has run. The model is Go's
//! `http.CrossOriginProtection`: safe methods pass; `Sec-Fetch-Site:
//! same-origin` or `none` passes; a request with neither `Sec-Fetch-Site`
//! nor `Origin` (no browser sends an unsafe request so) passes; an `Origin`
//! that is the request's own origin, or that a policy trusts, passes;
//! everything else is refused.

use crate::{
    inventory,
    origin::Lookup,
    policy::{OriginSet, Policy},
    refusal::{Check, Refusal},
    report,
    request::{self, OriginHeader, Request, RequestHeader},
    same_origin::is_same_origin,
};

/// What the guard is given: the policies it trusts besides those of the
/// annotated handlers, and the paths it leaves alone. Framework-free, and
/// checked when it is built in a `const`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GuardConfig {
    trust: [Option<&'static Policy>; MAX_TRUSTED_POLICIES],
    exempt: &'static [&'static str],
}

/// The most policies one guard trusts besides the handlers' own.
pub const MAX_TRUSTED_POLICIES: usize = 16;

impl GuardConfig {
    /// Trusts the origins of every annotated handler, and exempts nothing.
    pub(crate) const fn new() -> Self {
        GuardConfig {
            trust: [None; MAX_TRUSTED_POLICIES],
            exempt: &[],
        }
    }

    /// Trusts this policy's origins too. Panics, at compile time in a
    /// `const`, beyond [`MAX_TRUSTED_POLICIES`].
    pub(crate) const fn trust(mut self, policy: &'static Policy) -> Self {
        let mut index = 0;
        while index < MAX_TRUSTED_POLICIES {
            if self.trust[index].is_none() {
                self.trust[index] = Some(policy);
                return self;
            }
            index += 1;
        }
        panic!("a guard trusts at most 16 policies besides the handlers' own: list their origins in fewer `policy!` declarations");
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

    /// The explicitly trusted policies.
    pub(crate) fn trusted_policies(&self) -> impl Iterator<Item = &'static Policy> + '_ {
        self.trust.iter().map_while(|policy| *policy)
    }

    /// The origin sets the guard trusts: those of the explicitly trusted
    /// policies and of every annotated handler, each once.
    pub(crate) fn trusted(&self) -> Trusted {
        let mut sets: Vec<OriginSet> = Vec::new();
        let explicit = self.trusted_policies().map(|policy| policy.origins);
        let layers = layer_policies().into_iter().map(|policy| policy.origins);
        for set in explicit.chain(inventory::origin_sets()).chain(layers) {
            if !sets.iter().any(|known| known.is_same_set(&set)) {
                sets.push(set);
            }
        }
        Trusted {
            sets: sets.into_boxed_slice(),
            exempt: self.exempt,
        }
    }
}

impl Default for GuardConfig {
    fn default() -> Self {
        Self::new()
    }
}

/// The policies of the tower `CorsLayer`s built so far, each once: a guard
/// trusts them as it trusts the annotated handlers' (built at run time, a
/// layer has no inventory record).
static LAYER_POLICIES: std::sync::Mutex<Vec<&'static Policy>> = std::sync::Mutex::new(Vec::new());

/// Records the policy of a tower `CorsLayer`, when it is built.
#[cfg(feature = "tower")]
pub(crate) fn register_layer_policy(policy: &'static Policy) {
    let mut policies = LAYER_POLICIES
        .lock()
        .unwrap_or_else(|poison| poison.into_inner());
    if !policies.iter().any(|known| core::ptr::eq(*known, policy)) {
        policies.push(policy);
    }
}

fn layer_policies() -> Vec<&'static Policy> {
    LAYER_POLICIES
        .lock()
        .unwrap_or_else(|poison| poison.into_inner())
        .clone()
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

/// The trusted origin sets and exempt paths of one guard, built once.
#[derive(Debug)]
pub struct Trusted {
    sets: Box<[OriginSet]>,
    exempt: &'static [&'static str],
}

impl Trusted {
    /// Whether one of the trusted sets allows the raw `Origin` bytes.
    #[inline]
    fn trusts(&self, origin: &[u8]) -> bool {
        self.sets
            .iter()
            .any(|set| set.lookup(origin) == Lookup::Allowed)
    }

    /// Whether `path` is exempt.
    fn exempts(&self, path: &str) -> bool {
        self.exempt
            .iter()
            .any(|exempt| match exempt.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => path == *exempt,
            })
    }
}

/// Whether a method is safe: such requests must not change state, so the
/// guard always passes them, and never breaks a page load or a preflight.
#[inline]
pub(crate) fn is_safe_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS")
}

/// Decides on any request of the app: `Ok` to pass it on, or the refusal.
pub fn decide<'a, R: Request + ?Sized>(trusted: &Trusted, req: &'a R) -> Result<(), Refusal<'a>> {
    if is_safe_method(req.method()) {
        return Ok(());
    }
    let site = req
        .header(RequestHeader::SecFetchSite)
        .next()
        .map(AsRef::as_ref);
    if matches!(site, Some(b"same-origin" | b"none")) {
        return Ok(());
    }
    let refusal = match request::origin(req) {
        // Not from a browser (or from one older than Fetch Metadata).
        OriginHeader::Absent if site.is_none() => return Ok(()),
        OriginHeader::Absent => Refusal::CrossOriginUnsafe { origin: None, site },
        OriginHeader::Many => Refusal::MultipleOrigins,
        OriginHeader::One(origin) => {
            let origin = origin.as_ref();
            // Trust first: the cross-origin front end's request needs no
            // `Host` parsing, and a browser marks most same-origin ones
            // `Sec-Fetch-Site: same-origin` (passed above).
            if trusted.trusts(origin) || is_same_origin(req, origin) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exempt_paths() {
        let trusted = Trusted {
            sets: Box::new([]),
            exempt: GuardConfig::new()
                .exempt(&["/oauth/callback", "/hooks/*"])
                .exempt,
        };
        assert!(trusted.exempts("/oauth/callback"));
        assert!(!trusted.exempts("/oauth/callback/"));
        assert!(!trusted.exempts("/oauth"));
        assert!(trusted.exempts("/hooks/"));
        assert!(trusted.exempts("/hooks/github/push"));
        assert!(!trusted.exempts("/hooks"));
        assert!(!trusted.exempts("/hooksx/a"));
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
