//! What the fuzz targets share: configurations built from fuzz input (kept
//! to what `#[cors_credentials]` accepts), requests with hostile headers, and
//! an independent model of the answers the runtime must give.
//!
//! The runtime takes `'static` policies, as the macro compiles them into
//! `static` items. A fuzzer builds millions of them, so [`with_config`]
//! builds each one in a freeing arena for the duration of one input.

use actix_web::{
    dev::RequestHead,
    http::{
        header::{self, HeaderMap, HeaderName, HeaderValue},
        Method,
    },
};
use arbitrary::Arbitrary;
use cors_credentials_rules::{list::check_list, pattern::Pattern};
use test_support::{
    oracle,
    policy::{Arena, Spec},
};

/// Canonical origins of assorted shapes: equal lengths, prefixes of one
/// another, IP addresses, ports, punycode, an underscore.
pub const POOL: &[&str] = &[
    "https://a.com",
    "https://b.com",
    "https://a.co",
    "http://a.com",
    "https://app.example.com",
    "https://api.example.com",
    "https://example.com",
    "https://app.example.com:8443",
    "https://app.example.com.evil.net",
    "https://a-b_c.example.com",
    "https://xn--bcher-kva.de",
    "http://localhost",
    "http://localhost:3000",
    "http://localhost:30000",
    "http://127.0.0.1:3000",
    "http://[::1]:8080",
    "https://[2001:db8::1]",
    "https://1.2.3.4",
    "http://app.example.com",
];

/// One configured origin-list entry, as fuzz input.
#[derive(Arbitrary, Debug)]
pub enum OriginSpec {
    /// An entry of [`POOL`].
    Pool(u8),
    /// `scheme://labels[:port]`, each label mapped onto host characters.
    Built {
        https: bool,
        labels: Vec<String>,
        port: Option<u16>,
    },
    /// `scheme://*.labels[:port]`.
    Subdomain {
        https: bool,
        labels: Vec<String>,
        port: Option<u16>,
    },
    /// `scheme://loopback:*`.
    AnyPort { https: bool, host: u8 },
    /// Anything: kept only if the rules accept it.
    Raw(String),
}

/// A method a route may serve.
#[derive(Arbitrary, Debug)]
pub enum MethodSpec {
    Get,
    Head,
    Post,
    Put,
    Delete,
    Patch,
    Other(String),
}

/// A configuration, as fuzz input.
#[derive(Arbitrary, Debug)]
pub struct ConfigSpec {
    pub origins: Vec<OriginSpec>,
    pub headers: Option<Vec<String>>,
    pub expose_headers: Option<Vec<String>>,
    pub max_age: u32,
    pub pass: bool,
    pub methods: Vec<MethodSpec>,
}

const HOST_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-_";

fn built(https: bool, star: bool, labels: &[String], port: Option<u16>) -> String {
    let host: Vec<String> = labels
        .iter()
        .take(6)
        .map(|label| {
            label
                .chars()
                .take(20)
                .map(|c| HOST_CHARS[c as usize % HOST_CHARS.len()] as char)
                .collect()
        })
        .collect();
    let scheme = if https { "https" } else { "http" };
    let star = if star { "*." } else { "" };
    match port {
        Some(port) => format!("{scheme}://{star}{}:{port}", host.join(".")),
        None => format!("{scheme}://{star}{}", host.join(".")),
    }
}

impl OriginSpec {
    fn text(&self) -> String {
        match self {
            OriginSpec::Pool(index) => POOL[*index as usize % POOL.len()].to_owned(),
            OriginSpec::Built {
                https,
                labels,
                port,
            } => built(*https, false, labels, *port),
            OriginSpec::Subdomain {
                https,
                labels,
                port,
            } => built(*https, true, labels, *port),
            OriginSpec::AnyPort { https, host } => {
                let scheme = if *https { "https" } else { "http" };
                let host = ["localhost", "127.0.0.1", "[::1]"][*host as usize % 3];
                format!("{scheme}://{host}:*")
            }
            OriginSpec::Raw(text) => text.clone(),
        }
    }
}

impl MethodSpec {
    fn text(&self) -> String {
        match self {
            MethodSpec::Get => "GET".into(),
            MethodSpec::Head => "HEAD".into(),
            MethodSpec::Post => "POST".into(),
            MethodSpec::Put => "PUT".into(),
            MethodSpec::Delete => "DELETE".into(),
            MethodSpec::Patch => "PATCH".into(),
            MethodSpec::Other(text) => text.clone(),
        }
    }
}

/// A configuration the macro would accept, with `'static` runtime values
/// that live until [`with_config`] returns.
pub use test_support::policy::Built as Config;

/// Builds the configuration `spec` describes and runs `f` with it.
///
/// The entries go through the rules crate's list checker, the macro's own:
/// the entries it refuses are left out and the rest checked again, which must
/// then pass (plain http included: the macro takes it with
/// `allow_insecure_http_origins`). Header and method names the macro refuses
/// are left out by the policy builder.
///
/// `f` must not let the `'static` references escape: they are freed when
/// `with_config` returns.
pub fn with_config<R>(spec: &ConfigSpec, f: impl FnOnce(&Config) -> R) -> R {
    let mut entries: Vec<String> = spec.origins.iter().take(24).map(OriginSpec::text).collect();
    if let Err(problems) = check_list(&entries, true) {
        let refused: Vec<usize> = problems
            .iter()
            .filter_map(|problem| problem.index)
            .collect();
        entries = entries
            .into_iter()
            .enumerate()
            .filter(|(index, _)| !refused.contains(index))
            .map(|(_, entry)| entry)
            .collect();
    }
    if entries.is_empty() {
        entries.push(POOL[0].to_owned());
    }
    let spec = Spec {
        origins: entries,
        allow_insecure_http: true,
        headers: spec
            .headers
            .as_ref()
            .map(|names| names.iter().take(16).cloned().collect()),
        expose_headers: spec
            .expose_headers
            .iter()
            .flatten()
            .take(16)
            .cloned()
            .collect(),
        max_age: spec.max_age % 86_401,
        pass: spec.pass,
        methods: spec.methods.iter().take(8).map(MethodSpec::text).collect(),
    };
    let mut arena = Arena::freeing();
    let config = spec
        .build_in(&mut arena)
        .expect("the entries left after the refused ones pass the rules");
    let result = f(&config);
    drop(config);
    drop(arena);
    result
}

/// Whether the model allows `origin` under `config`: a configured exact
/// origin byte for byte, or admitted by a configured pattern.
pub fn model_allows(config: &Config, origin: &[u8]) -> bool {
    oracle::allows(&config.list, origin)
}

/// A change that turns an allowed origin into a near miss.
#[derive(Arbitrary, Debug, Clone)]
pub enum Mutation {
    Uppercase(u8),
    TrailingSlash,
    TrailingDot,
    DefaultPort,
    SwapScheme,
    InsertBeforeDot(u8),
    Append(Vec<u8>),
    Prepend(Vec<u8>),
    Truncate(u8),
    Replace(u8, u8),
}

/// The `Origin` a request carries, as fuzz input.
#[derive(Arbitrary, Debug)]
pub enum OriginReq {
    Configured(u8),
    /// Labels under a configured subdomain pattern, or a port for an any-port one.
    PatternHit(u8, Vec<u8>),
    NearMiss(u8, Mutation),
    Pool(u8),
    Null,
    Empty,
    Raw(Vec<u8>),
}

impl OriginReq {
    /// The header bytes, from the configured origins.
    pub fn bytes(&self, config: &Config) -> Vec<u8> {
        let configured = |index: u8| -> Vec<u8> {
            let all = &config.list.exact;
            if all.is_empty() {
                return POOL[index as usize % POOL.len()].as_bytes().to_vec();
            }
            all[index as usize % all.len()].as_bytes().to_vec()
        };
        match self {
            OriginReq::Configured(index) => configured(*index),
            OriginReq::PatternHit(index, bytes) => {
                let patterns = &config.list.patterns;
                if patterns.is_empty() {
                    return configured(*index);
                }
                match &patterns[*index as usize % patterns.len()] {
                    Pattern::Subdomain { scheme, suffix } => {
                        let labels: Vec<u8> = bytes
                            .iter()
                            .take(40)
                            .map(|b| b"abcdefghijklmnopqrstuvwxyz0123456789-.A_"[*b as usize % 40])
                            .collect();
                        [scheme.as_bytes(), &labels, suffix.as_bytes()].concat()
                    }
                    Pattern::AnyPort { prefix } => {
                        let port = u16::from_le_bytes([
                            bytes.first().copied().unwrap_or(0),
                            bytes.get(1).copied().unwrap_or(0),
                        ]);
                        let mut origin = prefix.clone().into_bytes();
                        if bytes.get(2).is_some_and(|b| b % 4 == 0) {
                            origin.push(b'0');
                        }
                        origin.extend_from_slice(port.to_string().as_bytes());
                        origin
                    }
                }
            }
            OriginReq::NearMiss(index, mutation) => mutate(configured(*index), mutation),
            OriginReq::Pool(index) => POOL[*index as usize % POOL.len()].as_bytes().to_vec(),
            OriginReq::Null => b"null".to_vec(),
            OriginReq::Empty => Vec::new(),
            OriginReq::Raw(bytes) => bytes.clone(),
        }
    }
}

/// Header lines, in order: each name with its value's bytes.
pub type HeaderLines = Vec<(HeaderName, Vec<u8>)>;

/// The bytes of the first three `Origin` lines of `origins`, and the header
/// lines that carry them, in order.
pub fn origin_lines(origins: &[OriginReq], config: &Config) -> (Vec<Vec<u8>>, HeaderLines) {
    let origins: Vec<Vec<u8>> = origins
        .iter()
        .take(3)
        .map(|origin| origin.bytes(config))
        .collect();
    let headers = origins
        .iter()
        .map(|origin| (header::ORIGIN, origin.clone()))
        .collect();
    (origins, headers)
}

/// Applies `mutation` to an origin.
pub fn mutate(mut origin: Vec<u8>, mutation: &Mutation) -> Vec<u8> {
    let len = origin.len().max(1);
    match mutation {
        Mutation::Uppercase(at) => {
            let at = *at as usize % len;
            if let Some(b) = origin.get_mut(at) {
                b.make_ascii_uppercase();
            }
        }
        Mutation::TrailingSlash => origin.push(b'/'),
        Mutation::TrailingDot => origin.push(b'.'),
        Mutation::DefaultPort => {
            let port: &[u8] = if origin.starts_with(b"https:") {
                b":443"
            } else {
                b":80"
            };
            origin.extend_from_slice(port);
        }
        Mutation::SwapScheme => {
            origin = if let Some(rest) = origin.strip_prefix(b"https://") {
                [&b"http://"[..], rest].concat()
            } else if let Some(rest) = origin.strip_prefix(b"http://") {
                [&b"https://"[..], rest].concat()
            } else {
                origin
            };
        }
        Mutation::InsertBeforeDot(c) => {
            let at = origin
                .iter()
                .position(|&b| b == b'.')
                .unwrap_or(origin.len());
            origin.insert(at, *c);
        }
        Mutation::Append(tail) => origin.extend_from_slice(tail),
        Mutation::Prepend(head) => origin.splice(0..0, head.iter().copied()).for_each(drop),
        Mutation::Truncate(by) => origin.truncate(origin.len().saturating_sub(1 + *by as usize)),
        Mutation::Replace(at, with) => {
            let at = *at as usize % len;
            if let Some(b) = origin.get_mut(at) {
                *b = *with;
            }
        }
    }
    origin
}

/// `value` as a header value, if HTTP could carry it (actix-web's parser
/// refuses the others before any handler sees the request).
pub fn header_value(value: &[u8]) -> Option<HeaderValue> {
    HeaderValue::from_bytes(value).ok()
}

/// A request head with `headers` (invalid values left out) and `method`.
pub fn request_head(method: Method, headers: &[(HeaderName, Vec<u8>)]) -> RequestHead {
    let mut head = RequestHead::default();
    head.method = method;
    head.uri = actix_web::http::Uri::from_static("/fuzz");
    for (name, value) in headers {
        if let Some(value) = header_value(value) {
            head.headers.append(name.clone(), value);
        }
    }
    head
}

/// Every value of `name` in `headers`, as bytes.
pub fn values(headers: &HeaderMap, name: &HeaderName) -> Vec<Vec<u8>> {
    headers
        .get_all(name)
        .map(|value| value.as_bytes().to_vec())
        .collect()
}

/// The non-empty comma-separated elements of header lines, trimmed of
/// spaces and tabs: the model of `list_elements` over several lines.
pub fn model_elements(lines: &[Vec<u8>]) -> Vec<Vec<u8>> {
    lines
        .iter()
        .flat_map(|line| line.split(|&b| b == b','))
        .map(|element| {
            let start = element
                .iter()
                .position(|&b| b != b' ' && b != b'\t')
                .unwrap_or(element.len());
            let end = element
                .iter()
                .rposition(|&b| b != b' ' && b != b'\t')
                .map_or(start, |i| i + 1);
            element[start..end.max(start)].to_vec()
        })
        .filter(|element| !element.is_empty())
        .collect()
}

/// RFC 9110 `token`, written independently of the runtime's `is_token`.
pub fn model_is_token(name: &[u8]) -> bool {
    const TCHAR_PUNCTUATION: &[u8] = b"!#$%&'*+-.^_`|~";
    !name.is_empty()
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || TCHAR_PUNCTUATION.contains(b))
}

/// Whether `names` (lists of `Vary` lines) cover `Origin`.
pub fn vary_covers_origin(headers: &HeaderMap) -> bool {
    model_elements(&values(headers, &header::VARY))
        .iter()
        .any(|name| name == b"*" || name.eq_ignore_ascii_case(b"origin"))
}

/// Whether any `Access-Control-*` response header is present.
pub fn has_cors_headers(headers: &HeaderMap) -> bool {
    headers
        .keys()
        .any(|name| name.as_str().starts_with("access-control-"))
}

/// What a pattern that admitted `origin` must mean, checked with the `url`
/// crate (a WHATWG URL implementation) where `origin` parses: a subdomain
/// pattern admits only hosts strictly under its base host, with its scheme
/// and port; an any-port pattern only its loopback host, with its scheme.
pub fn assert_pattern_semantics(config: &Config, origin: &[u8]) {
    if config
        .list
        .exact
        .iter()
        .any(|exact| exact.as_bytes() == origin)
    {
        return;
    }
    let text = std::str::from_utf8(origin).expect("patterns admit ASCII only");
    let Ok(url) = url::Url::parse(text) else {
        // Hosts no browser sends (invalid punycode, say) are still matched
        // only by the shape above; nothing to compare with.
        return;
    };
    let scheme = format!("{}://", url.scheme());
    let admitted_by = config
        .list
        .patterns
        .iter()
        .filter(|pattern| oracle::admits(pattern, origin));
    for pattern in admitted_by {
        match pattern {
            Pattern::Subdomain { scheme: s, suffix } => {
                assert_eq!(&scheme, s, "{text}");
                let base = &suffix[1..];
                let (base_host, base_port) = match base.rsplit_once(':') {
                    Some((host, port)) => (host, Some(port.parse::<u16>().unwrap())),
                    None => (base, None),
                };
                let host = url.host_str().expect("a host");
                assert!(
                    host.len() > base_host.len() + 1 && host.ends_with(&format!(".{base_host}")),
                    "{text} is not under {base_host}"
                );
                assert_eq!(url.port(), base_port, "{text}");
            }
            Pattern::AnyPort { prefix } => {
                let (s, host) = prefix.split_at(prefix.find("://").unwrap() + 3);
                assert_eq!(&scheme, s, "{text}");
                assert_eq!(url.host_str(), Some(host.trim_end_matches(':')), "{text}");
            }
        }
    }
}

/// `Sec-Fetch-Site`.
pub const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");
/// `X-Forwarded-Proto`.
pub const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

/// Same-origin, written independently of the runtime: `Sec-Fetch-Site:
/// same-origin`, or `Origin` equal to `scheme://` + a non-empty `Host`
/// (default port dropped, case-insensitive), the scheme `https` on TLS or
/// when the first `X-Forwarded-Proto` value says so.
pub fn model_same_origin(headers: &HeaderMap, origin: &[u8], secure: bool) -> bool {
    if headers.get(SEC_FETCH_SITE).map(HeaderValue::as_bytes) == Some(b"same-origin") {
        return true;
    }
    let Some(host) = headers.get(header::HOST) else {
        return false;
    };
    let forwarded_https = headers.get(X_FORWARDED_PROTO).is_some_and(|value| {
        let first = value.as_bytes().split(|&b| b == b',').next().unwrap_or(b"");
        let first: Vec<u8> = first
            .iter()
            .copied()
            .skip_while(|b| *b == b' ' || *b == b'\t')
            .collect();
        let end = first
            .iter()
            .rposition(|b| *b != b' ' && *b != b'\t')
            .map_or(0, |i| i + 1);
        first[..end].eq_ignore_ascii_case(b"https")
    });
    let (scheme, default_port): (&[u8], &[u8]) = if secure || forwarded_https {
        (b"https://", b":443")
    } else {
        (b"http://", b":80")
    };
    let host = host.as_bytes();
    let host = host.strip_suffix(default_port).unwrap_or(host);
    !host.is_empty()
        && origin.len() == scheme.len() + host.len()
        && origin.starts_with(scheme)
        && origin[scheme.len()..].eq_ignore_ascii_case(host)
}
