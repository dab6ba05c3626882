//! One entry of an origin list: an exact origin or a pattern.
//!
//! Two pattern forms exist, both matched on the raw `Origin` bytes:
//! - `https://*.example.com`: any subdomain of `example.com`, at any depth,
//!   never `example.com` itself; the wildcard is the whole leftmost label and
//!   the rest may not be a public suffix (`*.com`, `*.co.uk`, `*.github.io`).
//! - `http://localhost:*`: any explicit port of a loopback host (`localhost`,
//!   `127.0.0.1`, `[::1]`), for development servers.

use crate::{
    list::Pattern,
    origin::{self, Origin, Problem},
};

/// A checked origin-list entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// An exact origin.
    Exact(Origin),
    /// `scheme://*.suffix`: matches `scheme://` + subdomain labels + `suffix`.
    Subdomain {
        /// `https://` or `http://`.
        scheme: &'static str,
        /// `.example.com`, with a leading dot and any `:port`.
        suffix: String,
        /// `http://` on a host other than loopback.
        insecure: bool,
    },
    /// `scheme://host:*`: matches `prefix` + a port number.
    AnyPort {
        /// `http://localhost:`, with the trailing colon.
        prefix: String,
    },
}

impl Entry {
    /// The entry as written in canonical form, for duplicate detection.
    pub fn canonical(&self) -> String {
        match self {
            Entry::Exact(origin) => origin.serialized.clone(),
            Entry::Subdomain { scheme, suffix, .. } => Pattern::Subdomain {
                scheme,
                suffix: suffix.as_str(),
            }
            .to_string(),
            Entry::AnyPort { prefix } => Pattern::AnyPort {
                prefix: prefix.as_str(),
            }
            .to_string(),
        }
    }

    /// Whether the entry admits a plain-http origin on a non-loopback host.
    pub fn is_insecure(&self) -> bool {
        match self {
            Entry::Exact(origin) => origin.insecure,
            Entry::Subdomain { insecure, .. } => *insecure,
            Entry::AnyPort { .. } => false,
        }
    }
}

/// Checks one origin-list entry: an exact origin (see [`origin::check`]) or a pattern.
pub fn check(input: &str) -> Result<Entry, Problem> {
    if input == "*" || !input.contains('*') {
        return origin::check(input).map(Entry::Exact);
    }
    if let Some(base) = input.strip_suffix(":*") {
        return any_port(input, base);
    }
    let Some((scheme, rest)) = input.split_once("://") else {
        return Err(Problem::BadWildcard);
    };
    let Some(base_host) = rest.strip_prefix("*.") else {
        return Err(Problem::BadWildcard);
    };
    if base_host.contains('*') {
        return Err(Problem::BadWildcard);
    }
    let base = origin::check(&format!("{scheme}://{base_host}"))
        .map_err(|problem| in_pattern(problem, base_host))?;
    let scheme: &'static str = if base.serialized.starts_with("https://") {
        "https://"
    } else {
        "http://"
    };
    let authority = &base.serialized[scheme.len()..];
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host);
    if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err(Problem::BadWildcard);
    }
    if psl::suffix_str(host).is_none_or(|suffix| suffix == host) {
        return Err(Problem::PublicSuffixWildcard {
            suffix: host.to_owned(),
        });
    }
    Ok(Entry::Subdomain {
        scheme,
        suffix: format!(".{authority}"),
        insecure: base.insecure,
    })
}

fn any_port(input: &str, base: &str) -> Result<Entry, Problem> {
    if base.contains('*') {
        return Err(Problem::BadWildcard);
    }
    let origin = origin::check(base).map_err(|problem| match problem {
        // `http://localhost:3000:*`
        Problem::BadPort | Problem::Malformed { .. } => Problem::BadWildcard,
        other => other,
    })?;
    let authority = origin.serialized.split_once("://").map_or("", |(_, a)| a);
    if !matches!(authority, "localhost" | "127.0.0.1" | "[::1]") {
        // `https://example.com:*` names another host; `https://localhost:80:*` is no pattern.
        let port_written = authority
            .rsplit_once(':')
            .is_some_and(|(_, port)| !port.ends_with(']'));
        return Err(if port_written {
            Problem::BadWildcard
        } else {
            Problem::PortWildcardNotLoopback {
                input: input.to_owned(),
            }
        });
    }
    Ok(Entry::AnyPort {
        prefix: format!("{}:", origin.serialized),
    })
}

/// A problem of a pattern's base origin, with suggestions put back in pattern form.
fn in_pattern(problem: Problem, base_host: &str) -> Problem {
    let star = |canonical: String| canonical.replacen("://", "://*.", 1);
    match problem {
        Problem::TrailingSlash { canonical } => Problem::TrailingSlash {
            canonical: star(canonical),
        },
        Problem::Path { canonical } => Problem::Path {
            canonical: star(canonical),
        },
        Problem::Query { canonical } => Problem::Query {
            canonical: star(canonical),
        },
        Problem::DefaultPort { canonical } => Problem::DefaultPort {
            canonical: star(canonical),
        },
        Problem::NotLowercase { canonical } => Problem::NotLowercase {
            canonical: star(canonical),
        },
        Problem::NotPunycode { canonical } => Problem::NotPunycode {
            canonical: star(canonical),
        },
        Problem::NotCanonical { canonical } => Problem::NotCanonical {
            canonical: star(canonical),
        },
        Problem::TrailingDot { canonical } => Problem::TrailingDot {
            canonical: star(canonical),
        },
        Problem::MissingScheme { .. } | Problem::BadHost { .. } if base_host.is_empty() => {
            Problem::BadWildcard
        }
        other => other,
    }
}

/// Whether `origin` (raw `Origin` bytes) is `scheme` + subdomain labels + `suffix`.
///
/// The labels are what browsers send for a host: lowercase letters, digits
/// and `-`, 1 to 63 bytes each, not starting or ending with `-`, separated by
/// single dots. Anything else (uppercase, `_`, `` ` ``, `%`, `@`, `:`, an
/// empty label) never matches.
pub fn matches_subdomain(origin: &[u8], scheme: &[u8], suffix: &[u8]) -> bool {
    if origin.len() <= scheme.len() + suffix.len() {
        return false;
    }
    let Some(rest) = origin.strip_prefix(scheme) else {
        return false;
    };
    let Some(labels) = rest.strip_suffix(suffix) else {
        return false;
    };
    labels.split(|&b| b == b'.').all(|label| {
        (1..=63).contains(&label.len())
            && label[0] != b'-'
            && label[label.len() - 1] != b'-'
            && label
                .iter()
                .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    })
}

/// Whether `origin` is `prefix` followed by a port number from 1 to 65535,
/// written as browsers do (no sign, no leading zero, never the scheme's
/// default port, which browsers omit).
pub fn matches_any_port(origin: &[u8], prefix: &[u8]) -> bool {
    let Some(port) = origin.strip_prefix(prefix) else {
        return false;
    };
    if port.is_empty() || port.len() > 5 || port[0] == b'0' || !port.iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    let default_port: &[u8] = if prefix.starts_with(b"https://") {
        b"443"
    } else {
        b"80"
    };
    port != default_port && port.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')) <= 65_535
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subdomain(input: &str) -> (String, String) {
        match check(input) {
            Ok(Entry::Subdomain { scheme, suffix, .. }) => (scheme.to_owned(), suffix),
            other => panic!("{input}: {other:?}"),
        }
    }

    #[test]
    fn subdomain_patterns() {
        assert_eq!(
            subdomain("https://*.example.com"),
            ("https://".into(), ".example.com".into())
        );
        assert_eq!(
            subdomain("https://*.preview.example.co.uk"),
            ("https://".into(), ".preview.example.co.uk".into())
        );
        assert_eq!(
            subdomain("https://*.example.com:8443"),
            ("https://".into(), ".example.com:8443".into())
        );
        assert!(matches!(
            check("http://*.example.com"),
            Ok(Entry::Subdomain { insecure: true, .. })
        ));
    }

    #[test]
    fn port_patterns() {
        for (input, prefix) in [
            ("http://localhost:*", "http://localhost:"),
            ("http://127.0.0.1:*", "http://127.0.0.1:"),
            ("http://[::1]:*", "http://[::1]:"),
            ("https://localhost:*", "https://localhost:"),
        ] {
            assert_eq!(
                check(input),
                Ok(Entry::AnyPort {
                    prefix: prefix.into()
                })
            );
        }
    }

    #[test]
    fn refused_patterns() {
        use Problem::*;
        let public = |s: &str| PublicSuffixWildcard { suffix: s.into() };
        for (input, problem) in [
            ("https://*.com", public("com")),
            ("https://*.co.uk", public("co.uk")),
            ("https://*.github.io", public("github.io")),
            ("https://*.example", public("example")),
            ("https://*", BadWildcard),
            ("https://*.", BadWildcard),
            ("*.example.com", BadWildcard),
            ("https://a*.example.com", BadWildcard),
            ("https://*a.example.com", BadWildcard),
            ("https://a.*.example.com", BadWildcard),
            ("https://*.*.example.com", BadWildcard),
            ("https://**.example.com", BadWildcard),
            ("https://*.example.com/*", BadWildcard),
            ("https://*.1.2.3.4", BadWildcard),
            ("https://*.[::1]", BadWildcard),
            (
                "https://example.com:*",
                PortWildcardNotLoopback {
                    input: "https://example.com:*".into(),
                },
            ),
            (
                "http://10.0.0.1:*",
                PortWildcardNotLoopback {
                    input: "http://10.0.0.1:*".into(),
                },
            ),
            ("http://localhost:3000:*", BadWildcard),
            ("http://*:*", BadWildcard),
            (
                "https://*.Example.com",
                NotLowercase {
                    canonical: "https://*.example.com".into(),
                },
            ),
            (
                "https://*.example.com/",
                TrailingSlash {
                    canonical: "https://*.example.com".into(),
                },
            ),
            (
                "https://*.example.com:443",
                DefaultPort {
                    canonical: "https://*.example.com".into(),
                },
            ),
        ] {
            assert_eq!(check(input), Err(problem), "{input}");
        }
    }

    #[test]
    fn subdomain_matching() {
        let m = |origin: &str| matches_subdomain(origin.as_bytes(), b"https://", b".example.com");
        for ok in [
            "https://a.example.com",
            "https://a.b.example.com",
            "https://xn--bcher-kva.example.com",
            "https://a-1.example.com",
        ] {
            assert!(m(ok), "{ok}");
        }
        for miss in [
            "https://example.com",
            "https://.example.com",
            "https://xexample.com",
            "https://a.example.com.evil.net",
            "https://example.com.evil.net",
            "http://a.example.com",
            "https://a.example.com:8443",
            "https://A.example.com",
            "https://a_b.example.com",
            "https://a`b.example.com",
            "https://a}b.example.com",
            "https://a%60b.example.com",
            "https://evil.net@a.example.com",
            "https://evil.net/.example.com",
            "https://a..example.com",
            "https://-a.example.com",
            "https://a-.example.com",
            "https://a.example.com.",
            "https://a.example.co",
            "https:// a.example.com",
        ] {
            assert!(!m(miss), "{miss}");
        }
        let long_label = format!("https://{}.example.com", "a".repeat(64));
        assert!(!m(&long_label));
    }

    #[test]
    fn port_matching() {
        let m = |origin: &str| matches_any_port(origin.as_bytes(), b"http://localhost:");
        for ok in [
            "http://localhost:1",
            "http://localhost:3000",
            "http://localhost:65535",
        ] {
            assert!(m(ok), "{ok}");
        }
        for miss in [
            "http://localhost",
            "http://localhost:",
            "http://localhost:0",
            "http://localhost:03000",
            "http://localhost:65536",
            "http://localhost:99999",
            "http://localhost:123456",
            "http://localhost:30a0",
            "http://localhost:+80",
            "http://localhost.evil.net:80",
            "https://localhost:3000",
            "http://localhost:3000/",
            "http://localhost:80",
        ] {
            assert!(!m(miss), "{miss}");
        }
        assert!(!matches_any_port(
            b"https://localhost:443",
            b"https://localhost:"
        ));
        assert!(matches_any_port(
            b"https://localhost:80",
            b"https://localhost:"
        ));
    }
}
