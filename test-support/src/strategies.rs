//! Proptest strategies that more than one property test draws from (feature
//! `strategies`): configurations the macro accepts, and the `Origin` values
//! a request carries (allowed, pattern hits, near misses, hostile bytes),
//! and the header values HTTP/1.1 can carry.

use std::collections::BTreeSet;

use actix_web::http::header::HeaderValue;
use cors_credentials::{test_hooks::Methods, Policy};
use cors_credentials_rules::{
    entry::{self, Entry},
    list::{self, CheckedList},
    origin::check,
    pattern::Pattern,
};
use proptest::{prelude::*, sample::Index};

use crate::{
    oracle,
    policy::{Built, Spec},
};

// ---------------------------------------------------------------------------
// Configurations

/// A configuration the macro accepts.
#[derive(Debug, Clone)]
pub struct Config {
    /// Canonical, deduplicated, in lookup order; at least one.
    pub origins: Vec<String>,
    /// Subdomain and any-port patterns.
    pub patterns: Vec<Pattern>,
    pub headers: Option<Vec<String>>,
    pub expose_headers: Vec<String>,
    pub max_age: u32,
    pub pass: bool,
    pub methods: Vec<String>,
}

/// Origin-like strings: mostly well formed, some anything.
pub fn candidate_origin() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![Just("https"), Just("http")];
    let port = prop::option::of(1u16..=65535);
    prop_oneof![
        4 => (scheme.clone(), prop::collection::vec("[a-z0-9][a-z0-9_-]{0,10}", 1..4), port.clone())
            .prop_map(|(scheme, labels, port)| with_port(scheme, &labels.join("."), port)),
        1 => (scheme.clone(), any::<[u8; 4]>(), port.clone())
            .prop_map(|(scheme, ip, port)| {
                let host = format!("{}.{}.{}.{}", ip[0], ip[1], ip[2], ip[3]);
                with_port(scheme, &host, port)
            }),
        1 => (scheme.clone(), prop_oneof![Just("[::1]"), Just("[2001:db8::1]"), Just("localhost"), Just("xn--bcher-kva.de")], port)
            .prop_map(|(scheme, host, port)| with_port(scheme, host, port)),
        1 => "\\PC{0,30}",
    ]
}

pub fn with_port(scheme: &str, host: &str, port: Option<u16>) -> String {
    match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    }
}

/// An origin the macro accepts, in its canonical form.
pub fn configured_origin() -> impl Strategy<Value = String> {
    candidate_origin().prop_filter_map("refused by the configuration rules", |origin| {
        check(&origin).ok().map(|accepted| accepted.serialized)
    })
}

/// A pattern the macro accepts: `scheme://*.domain[:port]` or `scheme://loopback:*`.
pub fn configured_pattern() -> impl Strategy<Value = Pattern> {
    let scheme = prop_oneof![Just("https"), Just("http")];
    prop_oneof![
        3 => (scheme.clone(), prop::collection::vec("[a-z0-9][a-z0-9-]{0,8}", 2..4), prop::option::of(1u16..=65535))
            .prop_map(|(scheme, labels, port)| with_port(scheme, &format!("*.{}", labels.join(".")), port)),
        1 => (scheme, prop_oneof![Just("localhost"), Just("127.0.0.1"), Just("[::1]")])
            .prop_map(|(scheme, host)| format!("{scheme}://{host}:*")),
    ]
    .prop_filter_map("refused by the configuration rules", |pattern| {
        match entry::check(&pattern).ok()? {
            Entry::Pattern { pattern, .. } => Some(pattern),
            Entry::Exact(_) => None,
        }
    })
}

pub fn token() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_-]{0,14}"
}

pub fn config() -> impl Strategy<Value = Config> {
    let methods =
        prop::sample::subsequence(vec!["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"], 1..=6);
    (
        prop::collection::vec(configured_origin(), 1..6),
        prop::collection::vec(configured_pattern(), 0..3),
        prop::option::of(prop::collection::vec(token(), 0..5)),
        prop::collection::vec(token(), 0..3),
        0u32..=86_400,
        any::<bool>(),
        methods,
    )
        .prop_map(
            |(origins, pattern_entries, headers, expose_headers, max_age, pass, methods)| {
                let mut origins: Vec<String> = origins
                    .into_iter()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                origins.sort_by(|a, b| list::order(a.as_bytes(), b.as_bytes()));
                let mut patterns: Vec<Pattern> = Vec::new();
                for pattern in pattern_entries {
                    if !patterns.contains(&pattern) {
                        patterns.push(pattern);
                    }
                }
                let headers = headers.map(|names| {
                    names
                        .into_iter()
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect()
                });
                Config {
                    origins,
                    patterns,
                    headers,
                    expose_headers,
                    max_age,
                    pass,
                    methods: methods.into_iter().map(str::to_owned).collect(),
                }
            },
        )
}

impl Config {
    /// The origin-list entries as they would be written.
    pub fn entries(&self) -> Vec<String> {
        let patterns = self.patterns.iter().map(|p| match p {
            Pattern::Subdomain { scheme, suffix } => format!("{scheme}*{suffix}"),
            Pattern::AnyPort { prefix } => format!("{prefix}*"),
        });
        self.origins.iter().cloned().chain(patterns).collect()
    }

    /// The `'static` values the macro would generate for this configuration,
    /// built through the macro's own origin-list checker and leaked for the
    /// rest of the process.
    pub fn leak(&self) -> Built {
        let built = Spec {
            origins: self.entries(),
            // Plain http is accepted with `allow_insecure_http_origins`.
            allow_insecure_http: true,
            headers: self.headers.clone(),
            expose_headers: self.expose_headers.clone(),
            max_age: self.max_age,
            pass: self.pass,
            methods: self.methods.clone(),
        }
        .leak()
        .expect("the configuration passes the rules");
        assert_eq!(built.list.exact, self.origins);
        assert_eq!(built.list.patterns, self.patterns);
        built
    }

    /// The policy and methods of [`leak`](Self::leak).
    pub fn build(&self) -> (&'static Policy, &'static Methods) {
        let built = self.leak();
        (built.policy, built.methods)
    }

    /// The model: a configured origin byte for byte, or admitted by a pattern.
    pub fn allows(&self, origin: &[u8]) -> bool {
        let list = CheckedList {
            exact: self.origins.clone(),
            patterns: self.patterns.clone(),
        };
        oracle::allows(&list, origin)
    }
}

// ---------------------------------------------------------------------------
// Requests

/// The `Origin` a request carries.
#[derive(Debug, Clone)]
pub enum OriginChoice {
    Configured(Index),
    /// Labels under a configured subdomain pattern, or a port for an any-port one.
    PatternHit(Index, String, u16),
    NearMiss(Index, Near),
    Bytes(Vec<u8>),
    /// A long value: `len` bytes of an allowed origin repeated.
    Long(Index, usize),
    Null,
    Empty,
}

/// Ways to miss an allowed origin by a little.
#[derive(Debug, Clone, Copy)]
pub enum Near {
    Uppercase(usize),
    TrailingSlash,
    TrailingDot,
    DefaultPort,
    OtherScheme,
    BeforeFirstDot(u8),
    Suffix,
    Prefix,
}

pub fn near() -> impl Strategy<Value = Near> {
    prop_oneof![
        any::<usize>().prop_map(Near::Uppercase),
        Just(Near::TrailingSlash),
        Just(Near::TrailingDot),
        Just(Near::DefaultPort),
        Just(Near::OtherScheme),
        prop_oneof![Just(b'x'), Just(b'-'), Just(b'_'), 0x21u8..0x7f]
            .prop_map(Near::BeforeFirstDot),
        Just(Near::Suffix),
        Just(Near::Prefix),
    ]
}

impl Near {
    /// `origin` changed this way.
    pub fn apply(self, origin: &str) -> String {
        let (scheme, authority) = origin.split_once("://").unwrap();
        match self {
            Near::Uppercase(at) => {
                // Any letter of the scheme or host, so the change is real.
                let letters: Vec<usize> = origin
                    .char_indices()
                    .filter(|(_, c)| c.is_ascii_lowercase())
                    .map(|(i, _)| i)
                    .collect();
                let mut bytes = origin.as_bytes().to_vec();
                let i = letters[at % letters.len()];
                bytes[i].make_ascii_uppercase();
                String::from_utf8(bytes).unwrap()
            }
            Near::TrailingSlash => format!("{origin}/"),
            Near::TrailingDot => format!("{origin}."),
            Near::DefaultPort => {
                let port = if scheme == "https" { 443 } else { 80 };
                format!("{origin}:{port}")
            }
            Near::OtherScheme => {
                let other = if scheme == "https" { "http" } else { "https" };
                format!("{other}://{authority}")
            }
            Near::BeforeFirstDot(c) => {
                let at = authority.find('.').unwrap_or(authority.len());
                let (host, rest) = authority.split_at(at);
                format!("{scheme}://{host}{}{rest}", c as char)
            }
            Near::Suffix => format!("{origin}.evil.net"),
            Near::Prefix => format!("{scheme}://evil{authority}"),
        }
    }

    /// Whether no canonical origin can look like this, so no configuration
    /// can allow it.
    pub fn never_canonical(self) -> bool {
        matches!(
            self,
            Near::Uppercase(_) | Near::TrailingSlash | Near::TrailingDot | Near::DefaultPort
        )
    }
}

pub fn origin_choice() -> impl Strategy<Value = OriginChoice> {
    prop_oneof![
        3 => any::<Index>().prop_map(OriginChoice::Configured),
        2 => (any::<Index>(), "[a-z0-9-]{1,10}(\\.[a-z0-9_-]{1,5}){0,2}", any::<u16>())
            .prop_map(|(i, labels, port)| OriginChoice::PatternHit(i, labels, port)),
        3 => (any::<Index>(), near()).prop_map(|(i, n)| OriginChoice::NearMiss(i, n)),
        // ASCII, non-ASCII and control bytes.
        2 => prop::collection::vec(any::<u8>(), 0..64).prop_map(OriginChoice::Bytes),
        2 => prop::collection::vec(prop_oneof![0x20u8..0x7f, 0x80u8..=0xff, Just(b'\t')], 0..64)
            .prop_map(OriginChoice::Bytes),
        1 => (any::<Index>(), 256usize..12 * 1024).prop_map(|(i, len)| OriginChoice::Long(i, len)),
        1 => Just(OriginChoice::Null),
        1 => Just(OriginChoice::Empty),
    ]
}

impl OriginChoice {
    pub fn bytes(&self, config: &Config) -> Vec<u8> {
        let pick = |i: &Index| config.origins[i.index(config.origins.len())].as_str();
        match self {
            OriginChoice::Configured(i) => pick(i).as_bytes().to_vec(),
            OriginChoice::PatternHit(i, labels, port) => {
                if config.patterns.is_empty() {
                    return pick(i).as_bytes().to_vec();
                }
                match &config.patterns[i.index(config.patterns.len())] {
                    Pattern::Subdomain { scheme, suffix } => {
                        format!("{scheme}{labels}{suffix}").into_bytes()
                    }
                    Pattern::AnyPort { prefix } => format!("{prefix}{port}").into_bytes(),
                }
            }
            OriginChoice::NearMiss(i, near) => near.apply(pick(i)).into_bytes(),
            OriginChoice::Bytes(bytes) => bytes.clone(),
            OriginChoice::Long(i, len) => pick(i).bytes().cycle().take(*len).collect(),
            OriginChoice::Null => b"null".to_vec(),
            OriginChoice::Empty => Vec::new(),
        }
    }
}

pub fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => "[a-zA-Z0-9 ,\t*-]{0,40}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..40),
        1 => (token(), 1usize..3000).prop_map(|(name, n)| vec![name; n].join(",").into_bytes()),
    ]
}

/// Whether HTTP/1.1 can carry `value` in a header: actix-web's parser refuses
/// a request with any other byte (NUL, CR, LF, other controls, DEL) before a
/// handler or middleware sees it.
pub fn http_can_carry(value: &[u8]) -> bool {
    value
        .iter()
        .all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// `value` as a header value, checking the premise above.
pub fn carried(value: &[u8]) -> Option<HeaderValue> {
    let parsed = HeaderValue::from_bytes(value).ok();
    assert_eq!(parsed.is_some(), http_can_carry(value), "{value:?}");
    parsed
}
