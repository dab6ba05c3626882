// Why the session cookie does not arrive: warnings about the `Set-Cookie`
// lines of responses to allowed cross-site requests that a browser will
// drop, or not send back with the next cross-site request. The page is
// `docs/cookies.md`.

use std::{
    collections::BTreeSet,
    hash::{DefaultHasher, Hash, Hasher},
    sync::{
        atomic::{AtomicBool, Ordering},
        Mutex, PoisonError,
    },
};

use cors_credentials_rules::site;

use crate::{
    escape::Escaped, report, request::Request, response::ResponseHeaders,
    same_origin::scheme_is_https,
};

/// Whether the cookie checks run: by default, in builds with `debug_assertions`.
static COOKIE_CHECKS: AtomicBool = AtomicBool::new(cfg!(debug_assertions));

/// Turns the [cookie diagnostics](crate::diagnostics) on or off for the
/// whole process, on every route of both adapters (`#[cors_credentials]`,
/// `Cors`, `CorsLayer`).
///
/// They are on by default in builds with `debug_assertions` (`cargo run`,
/// `cargo test`) and off in release builds: call
/// `enable_cookie_checks(true)` at startup to have them in production too,
/// `enable_cookie_checks(false)` to silence them in a debug build. They
/// only log: no request is allowed or refused differently, and no response
/// is changed.
///
/// When on, each response to an allowed request whose `Origin` is
/// cross-site to the request's own host has its `Set-Cookie` lines read,
/// and a `warn` record of target `cors_credentials` (a `tracing` event with
/// the `tracing` feature and a subscriber) is written for each cookie a
/// browser will drop or not send back with the next cross-site request,
/// once per origin, cookie name and problem in the life of the process.
pub fn enable_cookie_checks(on: bool) {
    COOKIE_CHECKS.store(on, Ordering::Relaxed);
}

/// Whether the cookie diagnostics are on ([`enable_cookie_checks`]).
pub fn cookie_checks_enabled() -> bool {
    COOKIE_CHECKS.load(Ordering::Relaxed)
}

/// A response whose cookies are to be checked: that of an allowed request
/// from an origin cross-site to the request's host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CookieCheck {
    /// Whether the request came over https (TLS, or a proxy's
    /// `X-Forwarded-Proto: https`).
    https: bool,
}

/// Whether the response to `req`, allowed for `origin`, has its cookies
/// checked: `None` when the checks are off (one branch), when `origin` is
/// same-site to the request's host, and when the request names no host.
#[inline]
pub(crate) fn cookie_check<R: Request + ?Sized>(req: &R, origin: &[u8]) -> Option<CookieCheck> {
    if !COOKIE_CHECKS.load(Ordering::Relaxed) {
        return None;
    }
    cross_site(req, origin)
}

#[cold]
#[inline(never)]
fn cross_site<R: Request + ?Sized>(req: &R, origin: &[u8]) -> Option<CookieCheck> {
    // HTTP/1.1 and HTTP/2 requests always name their host; one that does
    // not (HTTP/1.0) cannot be placed, and is not checked.
    let host = site::authority_host(req.authority()?);
    // Unknown (the proxies disagree) is not taken for plain http.
    let https = scheme_is_https(req, false) != Some(false);
    let (origin_https, origin_host) = site::origin_parts(origin)?;
    (!site::same_site(origin_https, origin_host, https, host)).then_some(CookieCheck { https })
}

/// Reports the cookies of the response `headers`, allowed for `origin`,
/// that a browser will drop or not send back cross-site.
#[cold]
#[inline(never)]
pub(crate) fn check_response<H: ResponseHeaders>(check: CookieCheck, origin: &[u8], headers: &H) {
    check_lines(check, origin, headers.set_cookies());
}

/// Reports the problems of each `Set-Cookie` line, each (origin, cookie
/// name, problem) once per process.
fn check_lines<'a>(check: CookieCheck, origin: &[u8], lines: impl Iterator<Item = &'a [u8]>) {
    for line in lines {
        let cookie = SetCookie::parse(line);
        for problem in cookie.problems(check.https).into_iter().flatten() {
            if first_time(origin, cookie.name, problem) {
                report::cookie(
                    origin,
                    cookie.name,
                    problem.id(),
                    format_args!(
                        "cors-credentials: cookie {} in the response to the cross-site origin {} {}; {}. {} is cross-site to this API, so the cookie is a third-party cookie there: Safari blocks third-party cookies and Firefox keeps them apart per site, whatever their attributes, and Chrome does when the user says so. `Partitioned` (CHIPS) keeps it, in browsers that support it, in a jar of the front end's site instead; serving the API under the front end's site (e.g. `api.` under the front end's domain) makes it first-party",
                        Escaped(cookie.name),
                        Escaped(origin),
                        problem.what(),
                        problem.fix(),
                        Escaped(origin),
                    ),
                );
            }
        }
    }
}

/// At most this many distinct (origin, cookie name, problem) are
/// remembered; past them, one more record says so and nothing new is
/// reported until the process restarts.
pub(crate) const MAX_REMEMBERED: usize = 1024;

/// The (origin, cookie name, problem) reported so far, as 64-bit hashes.
static SEEN: Mutex<BTreeSet<u64>> = Mutex::new(BTreeSet::new());

/// Whether (origin, name, problem) is reported now: not reported before,
/// and the remembered set not full.
fn first_time(origin: &[u8], name: &[u8], problem: Problem) -> bool {
    let mut hasher = DefaultHasher::new();
    (origin, name, problem).hash(&mut hasher);
    let key = hasher.finish();
    let mut seen = SEEN.lock().unwrap_or_else(PoisonError::into_inner);
    if seen.contains(&key) {
        return false;
    }
    if seen.len() >= MAX_REMEMBERED {
        static FULL: AtomicBool = AtomicBool::new(false);
        if !FULL.swap(true, Ordering::Relaxed) {
            report::cookie(
                b"",
                b"",
                "full",
                format_args!(
                    "cors-credentials: {MAX_REMEMBERED} distinct cookie problems reported; no more are reported until the process restarts"
                ),
            );
        }
        return false;
    }
    seen.insert(key)
}

/// A problem of one `Set-Cookie` line, for a cross-site origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Problem {
    /// No `SameSite` attribute, or one with another value than `None`,
    /// `Lax` or `Strict`.
    NoSameSite,
    /// `SameSite=Lax`.
    Lax,
    /// `SameSite=Strict`.
    Strict,
    /// `SameSite=None` without `Secure`.
    NoneWithoutSecure,
    /// `Secure`, set over plain http.
    SecureOverHttp,
}

impl Problem {
    /// A short name, the `problem` field of the `tracing` event.
    pub fn id(self) -> &'static str {
        match self {
            Problem::NoSameSite => "no-samesite",
            Problem::Lax => "samesite-lax",
            Problem::Strict => "samesite-strict",
            Problem::NoneWithoutSecure => "samesite-none-without-secure",
            Problem::SecureOverHttp => "secure-over-http",
        }
    }

    /// What the browser does with the cookie, and why.
    fn what(self) -> &'static str {
        match self {
            Problem::NoSameSite => "has no valid SameSite attribute: Chromium treats it as SameSite=Lax and will not send it with the next cross-site request",
            Problem::Lax => "is SameSite=Lax: browsers will not send it with the next cross-site request",
            Problem::Strict => "is SameSite=Strict: browsers will not send it with the next cross-site request",
            Problem::NoneWithoutSecure => "is SameSite=None without Secure: browsers reject it",
            Problem::SecureOverHttp => "is Secure but came over plain http: browsers drop it (some accept it from http://localhost)",
        }
    }

    /// The fix.
    fn fix(self) -> &'static str {
        match self {
            Problem::NoSameSite | Problem::Lax | Problem::Strict => {
                "set it with `SameSite=None; Secure`, over https"
            }
            Problem::NoneWithoutSecure => "add `Secure`, and serve the API over https",
            Problem::SecureOverHttp => "serve the API over https (behind a TLS proxy, have it send `X-Forwarded-Proto: https`)",
        }
    }
}

/// The `SameSite` attribute of a `Set-Cookie` line, the last one written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    /// None written, or one of another value (which browsers ignore).
    Unset,
    /// `SameSite=None`.
    None,
    /// `SameSite=Lax`.
    Lax,
    /// `SameSite=Strict`.
    Strict,
}

/// What the diagnostics read of one `Set-Cookie` line (RFC 6265bis §5.6):
/// the name, the last `SameSite`, `Secure`, `Partitioned`, and whether it
/// deletes the cookie (`Max-Age` zero or negative). Read from any bytes,
/// never failing: a line without `=` before its first `;` is a cookie
/// with an empty name, as browsers read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetCookie<'a> {
    /// The name, without surrounding spaces and tabs.
    pub name: &'a [u8],
    /// The last `SameSite`.
    pub same_site: SameSite,
    /// Whether `Secure` is written.
    pub secure: bool,
    /// Whether `Partitioned` is written.
    pub partitioned: bool,
    /// Whether a `Max-Age` of zero or less deletes the cookie.
    pub deletes: bool,
}

impl<'a> SetCookie<'a> {
    /// Reads one `Set-Cookie` line.
    pub fn parse(line: &'a [u8]) -> SetCookie<'a> {
        let mut parts = line.split(|&b| b == b';');
        let pair = parts.next().unwrap_or_default();
        let name = match pair.iter().position(|&b| b == b'=') {
            Some(eq) => trim(&pair[..eq]),
            None => b"",
        };
        let mut cookie = SetCookie {
            name,
            same_site: SameSite::Unset,
            secure: false,
            partitioned: false,
            deletes: false,
        };
        for attribute in parts {
            let (key, value) = match attribute.iter().position(|&b| b == b'=') {
                Some(eq) => (trim(&attribute[..eq]), trim(&attribute[eq + 1..])),
                None => (trim(attribute), &b""[..]),
            };
            if key.eq_ignore_ascii_case(b"samesite") {
                cookie.same_site = if value.eq_ignore_ascii_case(b"none") {
                    SameSite::None
                } else if value.eq_ignore_ascii_case(b"lax") {
                    SameSite::Lax
                } else if value.eq_ignore_ascii_case(b"strict") {
                    SameSite::Strict
                } else {
                    SameSite::Unset
                };
            } else if key.eq_ignore_ascii_case(b"secure") {
                cookie.secure = true;
            } else if key.eq_ignore_ascii_case(b"partitioned") {
                cookie.partitioned = true;
            } else if key.eq_ignore_ascii_case(b"max-age") {
                // A value that is not a number is ignored, as browsers do.
                let digits = value.strip_prefix(b"-").unwrap_or(value);
                if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
                    cookie.deletes = value.starts_with(b"-") || digits.iter().all(|&b| b == b'0');
                }
            }
        }
        cookie
    }

    /// The problems of this cookie for a cross-site origin, set in a
    /// response over https if `https`: up to two, the transport's and
    /// `SameSite`'s. A line that deletes the cookie has none.
    pub fn problems(&self, https: bool) -> [Option<Problem>; 2] {
        if self.deletes {
            return [None, None];
        }
        let transport = (self.secure && !https).then_some(Problem::SecureOverHttp);
        let same_site = match self.same_site {
            SameSite::Unset => Some(Problem::NoSameSite),
            SameSite::Lax => Some(Problem::Lax),
            SameSite::Strict => Some(Problem::Strict),
            SameSite::None if !self.secure => Some(Problem::NoneWithoutSecure),
            SameSite::None => None,
        };
        [transport, same_site]
    }
}

/// `bytes` without leading and trailing spaces and tabs.
fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != b' ' && b != b'\t');
    let Some(start) = start else { return b"" };
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .unwrap_or(start);
    &bytes[start..=end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::fake::FakeRequest;

    fn check(req: FakeRequest, origin: &str) -> Option<CookieCheck> {
        cross_site(&req, origin.as_bytes())
    }

    fn get(host: &str) -> FakeRequest {
        FakeRequest::new("GET", "/api/me").authority(host)
    }

    #[test]
    fn cross_site_origins_are_checked() {
        let over_https = Some(CookieCheck { https: true });
        let over_http = Some(CookieCheck { https: false });
        assert_eq!(
            check(get("api.example.com").tls(true), "https://app.example.net"),
            over_https
        );
        assert_eq!(
            check(get("api.example.com"), "https://app.example.net"),
            over_http
        );
        // The scheme counts: http to https is cross-site.
        assert_eq!(
            check(get("api.example.com"), "https://app.example.com"),
            over_http
        );
        assert_eq!(
            check(
                get("api.example.com").header("x-forwarded-proto", "https"),
                "http://app.example.com"
            ),
            over_https
        );
        // IP addresses and localhost are whole hosts.
        assert_eq!(
            check(get("localhost:8080"), "http://127.0.0.1:3000"),
            over_http
        );
        assert_eq!(
            check(get("127.0.0.1:8080"), "http://127.0.0.2:3000"),
            over_http
        );
        assert_eq!(
            check(get("alice.github.io"), "http://bob.github.io"),
            over_http
        );
    }

    #[test]
    fn same_site_origins_and_unknown_hosts_are_not() {
        assert_eq!(
            check(get("api.example.com").tls(true), "https://app.example.com"),
            None
        );
        assert_eq!(
            check(
                get("API.EXAMPLE.COM:443").tls(true),
                "https://app.example.com"
            ),
            None
        );
        assert_eq!(check(get("localhost:8080"), "http://localhost:3000"), None);
        assert_eq!(
            check(
                get("api.example.com").header("x-forwarded-proto", "https"),
                "https://www.example.com"
            ),
            None
        );
        assert_eq!(
            check(FakeRequest::new("GET", "/"), "https://app.example.net"),
            None
        );
        assert_eq!(check(get("api.example.com"), "null"), None);
    }

    #[test]
    fn on_by_default_in_debug_builds() {
        // No unit test turns them off.
        assert_eq!(cookie_checks_enabled(), cfg!(debug_assertions));
        let req = get("api.example.com");
        let check = cookie_check(&req, b"https://app.example.net");
        assert_eq!(check.is_some(), cfg!(debug_assertions));
    }

    fn parse(line: &str) -> SetCookie<'_> {
        SetCookie::parse(line.as_bytes())
    }

    fn problems(line: &str, https: bool) -> Vec<Problem> {
        parse(line).problems(https).into_iter().flatten().collect()
    }

    #[test]
    fn set_cookie_attributes() {
        let cookie = parse(" sid = abc ; Path=/ ; SameSite = none; SECURE ;Partitioned");
        assert_eq!(cookie.name, b"sid");
        assert_eq!(cookie.same_site, SameSite::None);
        assert!(cookie.secure && cookie.partitioned && !cookie.deletes);
        // The last SameSite counts; an unknown value unsets it.
        assert_eq!(
            parse("a=b; SameSite=None; SameSite=Lax").same_site,
            SameSite::Lax
        );
        assert_eq!(
            parse("a=b; SameSite=None; SameSite=x").same_site,
            SameSite::Unset
        );
        assert_eq!(parse("a=b; SameSite").same_site, SameSite::Unset);
        // An attribute's name is the whole key, not a prefix.
        assert!(!parse("a=b; Secured").secure);
        assert!(!parse("a=b; x=Secure").secure);
        // The value may hold `=`; a pair without one has an empty name.
        assert_eq!(parse("a=b=c; Secure").name, b"a");
        assert_eq!(parse("abc; Secure").name, b"");
        assert_eq!(parse("").name, b"");
        assert!(parse("a=; Max-Age=0").deletes);
        assert!(parse("a=; Max-Age=-1").deletes);
        assert!(!parse("a=b; Max-Age=60").deletes);
        assert!(!parse("a=b; Max-Age=-").deletes);
        assert!(!parse("a=b; Max-Age=0x").deletes);
    }

    #[test]
    fn problems_of_each_cookie() {
        use Problem::*;
        assert_eq!(problems("sid=1", true), [NoSameSite]);
        assert_eq!(problems("sid=1; SameSite=Lax; Secure", true), [Lax]);
        assert_eq!(problems("sid=1; SameSite=Strict; Secure", true), [Strict]);
        assert_eq!(problems("sid=1; SameSite=None", true), [NoneWithoutSecure]);
        assert_eq!(problems("sid=1; SameSite=None; Secure", true), []);
        assert_eq!(
            problems("sid=1; SameSite=None; Secure; Partitioned", true),
            []
        );
        assert_eq!(
            problems("sid=1; SameSite=None; Secure", false),
            [SecureOverHttp]
        );
        assert_eq!(
            problems("sid=1; SameSite=Lax; Secure", false),
            [SecureOverHttp, Lax]
        );
        assert_eq!(problems("sid=1; SameSite=None", false), [NoneWithoutSecure]);
        assert_eq!(problems("sid=; Max-Age=0", false), []);
    }

    #[test]
    fn the_parser_takes_any_bytes() {
        // Every line of up to three bytes from an alphabet of the bytes the
        // parser looks at, and some others.
        let alphabet = b"; =\t-0aSsX\xff\x00";
        let mut line = Vec::new();
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    line.clear();
                    line.extend_from_slice(&[*a, *b, *c]);
                    let cookie = SetCookie::parse(&line);
                    assert!(cookie.name.len() <= line.len());
                    let _ = cookie.problems(false);
                }
            }
        }
    }
}
