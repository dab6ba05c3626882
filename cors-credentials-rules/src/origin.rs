//! What a configured origin must look like: exactly what a browser sends in
//! `Origin`, or it can never match.
//!
//! The canonical form is computed by the `url` crate, an implementation of the
//! WHATWG URL Standard that browsers follow; this module only explains the
//! difference between what was written and that form.

use std::net::Ipv6Addr;

use url::{Host, Url};

/// Why an origin is refused. `canonical` is what the browser would send for
/// the same site, when there is one worth suggesting.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)] // Fields: the canonical form or the part at fault.
pub enum Problem {
    /// `*`: never valid with credentials.
    Wildcard,
    /// `null`: sent by sandboxed and opaque contexts, so any site can produce it.
    Null,
    /// An empty string.
    Empty,
    /// Whitespace or control characters.
    Whitespace { canonical: Option<String> },
    /// No `scheme://`.
    MissingScheme { canonical: Option<String> },
    /// A scheme other than `http` or `https`.
    UnsupportedScheme { scheme: String },
    /// Not a URL at all; `reason` is the URL parser's.
    Malformed { reason: String },
    /// A port that is not a number from 1 to 65535.
    BadPort,
    /// `user@` or `user:password@` before the host.
    Userinfo { host: Option<String> },
    /// A `\`, which browsers read as `/`.
    Backslash { origin: String },
    /// A `#fragment`.
    Fragment { origin: String },
    /// A `?query`.
    Query { canonical: String },
    /// A trailing `/`.
    TrailingSlash { canonical: String },
    /// A path.
    Path { canonical: String },
    /// The scheme's default port written out.
    DefaultPort { canonical: String },
    /// Uppercase letters in the scheme or host.
    NotLowercase { canonical: String },
    /// A host not in punycode.
    NotPunycode { canonical: String },
    /// Any other difference from the serialized origin (IP address forms, …).
    NotCanonical { canonical: String },
    /// A host ending with `.`.
    TrailingDot { canonical: String },
    /// A host with a character no host name has, or no host.
    BadHost { character: Option<char> },
    /// A `*` anywhere but as the whole leftmost label or a loopback port.
    BadWildcard,
    /// `scheme://host:*` on a host other than loopback.
    PortWildcardNotLoopback { input: String },
    /// `scheme://*.suffix` where `suffix` is a public suffix.
    PublicSuffixWildcard { suffix: String },
}

/// A configured origin that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The origin, already in the form browsers send.
    pub serialized: String,
    /// `http://` on a host other than loopback: refused unless the handler opts in.
    pub insecure: bool,
}

/// Checks one configured origin.
pub fn check(input: &str) -> Result<Origin, Problem> {
    match input {
        "*" => return Err(Problem::Wildcard),
        "null" => return Err(Problem::Null),
        "" => return Err(Problem::Empty),
        _ => {}
    }
    if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        let squeezed: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect();
        return Err(Problem::Whitespace {
            canonical: canonical(&squeezed),
        });
    }
    let Some((scheme, rest)) = input.split_once("://") else {
        return Err(Problem::MissingScheme {
            canonical: if input.contains(':') || input.contains('/') {
                None
            } else {
                canonical(&format!("https://{input}"))
            },
        });
    };
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return Err(Problem::UnsupportedScheme {
            scheme: scheme.to_owned(),
        });
    }
    let url = Url::parse(input).map_err(|error| match error {
        url::ParseError::InvalidPort => Problem::BadPort,
        url::ParseError::EmptyHost => Problem::BadHost { character: None },
        url::ParseError::InvalidDomainCharacter | url::ParseError::IdnaError => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
            let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
            match host.chars().find(|&c| is_forbidden_in_domain(c)) {
                Some(c) => Problem::BadHost { character: Some(c) },
                None => Problem::Malformed {
                    reason: error.to_string(),
                },
            }
        }
        other => Problem::Malformed {
            reason: other.to_string(),
        },
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Problem::Userinfo {
            host: url.host_str().map(str::to_owned),
        });
    }
    if url.port() == Some(0) {
        return Err(Problem::BadPort);
    }
    let serialized = url.origin().ascii_serialization();
    if rest.contains('\\') {
        return Err(Problem::Backslash { origin: serialized });
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    if tail.contains('#') {
        return Err(Problem::Fragment { origin: serialized });
    }
    if tail.contains('?') {
        return Err(Problem::Query {
            canonical: serialized,
        });
    }
    if tail == "/" {
        return Err(Problem::TrailingSlash {
            canonical: serialized,
        });
    }
    if !tail.is_empty() {
        return Err(Problem::Path {
            canonical: serialized,
        });
    }
    let insecure = match url.host() {
        Some(Host::Domain(domain)) => {
            if domain.ends_with('.') {
                let mut fixed = url.clone();
                let _ = fixed.set_host(Some(domain.trim_end_matches('.')));
                return Err(Problem::TrailingDot {
                    canonical: fixed.origin().ascii_serialization(),
                });
            }
            if let Some(character) = domain
                .chars()
                .find(|&c| !(c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_'))
            {
                return Err(Problem::BadHost {
                    character: Some(character),
                });
            }
            if domain.split('.').any(str::is_empty) {
                return Err(Problem::BadHost { character: None });
            }
            url.scheme() == "http" && domain != "localhost"
        }
        Some(Host::Ipv4(ip)) => url.scheme() == "http" && !ip.is_loopback(),
        Some(Host::Ipv6(ip)) => url.scheme() == "http" && ip != Ipv6Addr::LOCALHOST,
        None => return Err(Problem::BadHost { character: None }),
    };
    if serialized != input {
        let port_written = authority.rsplit_once(':').is_some_and(|(host, port)| {
            !host.ends_with(':') && !port.contains(']') && !port.is_empty()
        });
        return Err(if port_written && url.port().is_none() {
            Problem::DefaultPort {
                canonical: serialized,
            }
        } else if !input.is_ascii() {
            Problem::NotPunycode {
                canonical: serialized,
            }
        } else if input.bytes().any(|b| b.is_ascii_uppercase()) {
            Problem::NotLowercase {
                canonical: serialized,
            }
        } else {
            Problem::NotCanonical {
                canonical: serialized,
            }
        });
    }
    Ok(Origin {
        serialized,
        insecure,
    })
}

/// Why a plain-http, non-loopback origin is refused unless the policy opts in.
pub fn insecure_http_message(origin: &str) -> String {
    let https = origin.replacen("http://", "https://", 1);
    format!(
        "plain-http origin `{origin}` is refused: a network attacker who can inject script into a plain-http page then reads the user's credentialed responses; use `{https}`, or opt in with `allow_insecure_http_origins = true`"
    )
}

/// The origin a browser would send for `input`, if `input` is a URL with a host.
fn canonical(input: &str) -> Option<String> {
    let url = Url::parse(input).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return None;
    }
    Some(url.origin().ascii_serialization())
}

/// Characters that make a host invalid for the WHATWG URL Standard or IDNA
/// (ASCII punctuation other than `-`, `.` and `_`; `:` only in a port).
fn is_forbidden_in_domain(c: char) -> bool {
    c.is_ascii() && !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':'))
}

impl Problem {
    /// The canonical form suggested instead, for the problems a canonical
    /// form fixes.
    pub(crate) fn suggestion_mut(&mut self) -> Option<&mut String> {
        match self {
            Problem::Query { canonical }
            | Problem::TrailingSlash { canonical }
            | Problem::Path { canonical }
            | Problem::DefaultPort { canonical }
            | Problem::NotLowercase { canonical }
            | Problem::NotPunycode { canonical }
            | Problem::NotCanonical { canonical }
            | Problem::TrailingDot { canonical } => Some(canonical),
            _ => None,
        }
    }

    /// The compile error: the rule, why, and the fix.
    pub fn message(&self, input: &str) -> String {
        let did_you_mean = |canonical: &str| format!("; did you mean `{canonical}`?");
        match self {
            Problem::Wildcard => "wildcard origin `*` cannot be used with credentials: browsers reject `Access-Control-Allow-Origin: *` on credentialed requests; list each allowed origin instead, e.g. `\"https://app.example.com\"`".to_owned(),
            Problem::Null => "origin `null` is refused: sandboxed iframes, `data:` and `file:` documents and cross-origin redirects all send `null`, so trusting it with credentials lets any site in; list the real origins instead".to_owned(),
            Problem::Empty => "an origin cannot be empty; write it as `\"https://host[:port]\"`".to_owned(),
            Problem::Whitespace { canonical } => format!(
                "origin `{}` contains whitespace or control characters, which browsers never send{}",
                input.escape_default(),
                canonical.as_deref().map(did_you_mean).unwrap_or_default()
            ),
            Problem::MissingScheme { canonical } => format!(
                "origin `{input}` has no scheme: browsers send `https://host[:port]` or `http://host[:port]`{}",
                canonical.as_deref().map(did_you_mean).unwrap_or_default()
            ),
            Problem::UnsupportedScheme { scheme } => format!(
                "scheme `{scheme}` is not allowed: credentialed CORS requests come from `https://` (or `http://`) origins only"
            ),
            Problem::Malformed { reason } => format!(
                "`{input}` is not a valid origin ({reason}); write it as `\"https://host[:port]\"`"
            ),
            Problem::BadPort => format!(
                "origin `{input}` has an invalid port: a port is a number from 1 to 65535"
            ),
            Problem::Userinfo { host } => format!(
                "origin `{input}` contains user information (`…@`), which browsers never send in `Origin`{}; write only `scheme://host[:port]`",
                host.as_deref().map(|h| format!(", and its host is `{h}`, not what comes before the `@`")).unwrap_or_default()
            ),
            Problem::Backslash { origin } => format!(
                "origin `{input}` contains `\\`, which browsers read as `/`: this is the origin `{origin}` followed by a path; write only `scheme://host[:port]`"
            ),
            Problem::Fragment { origin } => format!(
                "origin `{input}` has a fragment (`#…`): this is the origin `{origin}`, and browsers never send a fragment in `Origin`; write only `scheme://host[:port]`"
            ),
            Problem::Query { canonical } => format!(
                "origin `{input}` has a query (`?…`), which browsers never send in `Origin`{}",
                did_you_mean(canonical)
            ),
            Problem::TrailingSlash { canonical } => format!(
                "origin `{input}` ends with `/`, which browsers never send in `Origin`{}",
                did_you_mean(canonical)
            ),
            Problem::Path { canonical } => format!(
                "origin `{input}` has a path: an origin is `scheme://host[:port]` only{}",
                did_you_mean(canonical)
            ),
            Problem::DefaultPort { canonical } => format!(
                "origin `{input}` spells out its scheme's default port, which browsers omit{}",
                did_you_mean(canonical)
            ),
            Problem::NotLowercase { canonical } => format!(
                "origin `{input}` has uppercase letters; browsers send scheme and host in lowercase{}",
                did_you_mean(canonical)
            ),
            Problem::NotPunycode { canonical } => format!(
                "origin `{input}` has a non-ASCII host; browsers send it in punycode{}",
                did_you_mean(canonical)
            ),
            Problem::NotCanonical { canonical } => format!(
                "origin `{input}` is not in the form browsers send{}",
                did_you_mean(canonical)
            ),
            Problem::TrailingDot { canonical } => format!(
                "origin `{input}` ends its host with `.`, a different origin from the usual one{}",
                did_you_mean(canonical)
            ),
            Problem::BadHost { character: Some(c) } => format!(
                "origin `{}` has '{}' in its host, which a host name cannot contain",
                input.escape_default(),
                c.escape_default()
            ),
            Problem::BadWildcard => format!(
                "pattern `{input}` is not supported: the wildcard must be the whole leftmost label, as in `https://*.example.com`, or the port of a loopback host, as in `http://localhost:*`"
            ),
            Problem::PortWildcardNotLoopback { input } => format!(
                "port wildcard `{input}` is refused: any-port patterns are for development servers on `localhost`, `127.0.0.1` or `[::1]`; list the ports this host really uses"
            ),
            Problem::PublicSuffixWildcard { suffix } => format!(
                "pattern `{input}` is refused: `{suffix}` is a public suffix, so anyone can register a subdomain under it; name a domain you control, as in `https://*.example.com`"
            ),
            Problem::BadHost { character: None } => format!(
                "origin `{input}` has no valid host; write it as `\"https://host[:port]\"`"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        match check(input) {
            Ok(origin) => origin.serialized,
            Err(problem) => panic!("{input}: {problem:?}"),
        }
    }

    #[test]
    fn canonical_origins_pass() {
        for input in [
            "https://app.example.com",
            "http://localhost:3000",
            "http://localhost",
            "http://127.0.0.1:8080",
            "http://[::1]:8080",
            "https://[2001:db8::1]",
            "https://xn--bcher-kva.de",
            "https://a.com:8443",
            "https://a-b_c.example.com",
            "https://1.2.3.4",
        ] {
            assert_eq!(ok(input), input);
        }
    }

    #[test]
    fn insecure_http_is_flagged_except_on_loopback() {
        assert!(check("http://app.example.com").unwrap().insecure);
        assert!(check("http://10.0.0.1").unwrap().insecure);
        assert!(check("http://[2001:db8::1]").unwrap().insecure);
        assert!(!check("http://localhost:3000").unwrap().insecure);
        assert!(!check("http://127.0.0.1").unwrap().insecure);
        assert!(!check("http://127.1.2.3:9000").unwrap().insecure);
        assert!(!check("http://[::1]").unwrap().insecure);
        assert!(!check("https://app.example.com").unwrap().insecure);
    }

    fn canonical(s: &str) -> String {
        s.to_owned()
    }

    #[test]
    fn canonicalisation_table() {
        use Problem::*;
        let table: Vec<(&str, Problem)> = vec![
            ("*", Wildcard),
            ("null", Null),
            ("", Empty),
            (
                " https://a.com",
                Whitespace {
                    canonical: Some(canonical("https://a.com")),
                },
            ),
            (
                "https://a.com\n",
                Whitespace {
                    canonical: Some(canonical("https://a.com")),
                },
            ),
            (
                "app.example.com",
                MissingScheme {
                    canonical: Some(canonical("https://app.example.com")),
                },
            ),
            ("localhost:3000", MissingScheme { canonical: None }),
            ("//a.com", MissingScheme { canonical: None }),
            (
                "ftp://a.com",
                UnsupportedScheme {
                    scheme: "ftp".into(),
                },
            ),
            (
                "file://a.com",
                UnsupportedScheme {
                    scheme: "file".into(),
                },
            ),
            (
                "wss://a.com",
                UnsupportedScheme {
                    scheme: "wss".into(),
                },
            ),
            ("https://a.com:0", BadPort),
            ("https://a.com:65536", BadPort),
            ("https://a.com:99999", BadPort),
            ("https://a.com:8x", BadPort),
            (
                "https://user@a.com",
                Userinfo {
                    host: Some("a.com".into()),
                },
            ),
            (
                "https://a.com@evil.com",
                Userinfo {
                    host: Some("evil.com".into()),
                },
            ),
            (
                "https://u:p@a.com",
                Userinfo {
                    host: Some("a.com".into()),
                },
            ),
            (
                "https://a.com\\.evil.com",
                Backslash {
                    origin: "https://a.com".into(),
                },
            ),
            (
                "https://evil.com#.a.com",
                Fragment {
                    origin: "https://evil.com".into(),
                },
            ),
            (
                "https://a.com/#x",
                Fragment {
                    origin: "https://a.com".into(),
                },
            ),
            (
                "https://a.com?x=1",
                Query {
                    canonical: canonical("https://a.com"),
                },
            ),
            (
                "https://a.com/",
                TrailingSlash {
                    canonical: canonical("https://a.com"),
                },
            ),
            (
                "https://a.com/app",
                Path {
                    canonical: canonical("https://a.com"),
                },
            ),
            (
                "https://a.com:443",
                DefaultPort {
                    canonical: canonical("https://a.com"),
                },
            ),
            (
                "http://localhost:80",
                DefaultPort {
                    canonical: canonical("http://localhost"),
                },
            ),
            (
                "HTTPS://a.com",
                NotLowercase {
                    canonical: canonical("https://a.com"),
                },
            ),
            (
                "https://App.Example.com",
                NotLowercase {
                    canonical: canonical("https://app.example.com"),
                },
            ),
            (
                "https://bücher.de",
                NotPunycode {
                    canonical: canonical("https://xn--bcher-kva.de"),
                },
            ),
            (
                "http://[0:0:0:0:0:0:0:1]",
                NotCanonical {
                    canonical: canonical("http://[::1]"),
                },
            ),
            (
                "http://[::A]",
                NotLowercase {
                    canonical: canonical("http://[::a]"),
                },
            ),
            (
                "http://0x7f.1",
                NotCanonical {
                    canonical: canonical("http://127.0.0.1"),
                },
            ),
            (
                "https://a.com:",
                NotCanonical {
                    canonical: canonical("https://a.com"),
                },
            ),
            (
                "https://a.com.",
                TrailingDot {
                    canonical: canonical("https://a.com"),
                },
            ),
            (
                "https://a`b.com",
                BadHost {
                    character: Some('`'),
                },
            ),
            (
                "https://a}b.com",
                BadHost {
                    character: Some('}'),
                },
            ),
            (
                "https://a{b.com",
                BadHost {
                    character: Some('{'),
                },
            ),
            ("https://a..com", BadHost { character: None }),
            (
                "https://a%60b.com",
                BadHost {
                    character: Some('`'),
                },
            ),
            (
                "https://a|b.com",
                BadHost {
                    character: Some('|'),
                },
            ),
            ("https://", BadHost { character: None }),
        ];
        for (input, expected) in table {
            assert_eq!(check(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn every_problem_has_a_lowercase_message() {
        for input in [
            "*",
            "null",
            "app.example.com",
            "https://a.com/",
            "https://a.com:443",
            "ftp://x",
        ] {
            let message = check(input).unwrap_err().message(input);
            assert!(
                message.starts_with(|c: char| !c.is_uppercase()),
                "{message}"
            );
        }
        assert!(check("https://a.com/")
            .unwrap_err()
            .message("https://a.com/")
            .contains("did you mean `https://a.com`?"));
    }
}
