//! One entry of an origin list: an exact origin or a [`Pattern`], checked
//! as written.
//!
//! - `https://*.example.com`: the wildcard is the whole leftmost label and
//!   the rest may not be a public suffix (`*.com`, `*.co.uk`, `*.github.io`)
//!   or an IP address.
//! - `http://localhost:*`: the host is loopback (`localhost`, `127.0.0.1`,
//!   `[::1]`) and no port is written.

use crate::{
    origin::{self, Origin, Problem},
    pattern::Pattern,
};

/// A checked origin-list entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// An exact origin.
    Exact(Origin),
    /// A pattern.
    Pattern {
        /// The pattern, in canonical form.
        pattern: Pattern,
        /// `http://` on a host other than loopback.
        insecure: bool,
    },
}

impl Entry {
    /// The entry as written in canonical form, for duplicate detection.
    pub fn canonical(&self) -> String {
        match self {
            Entry::Exact(origin) => origin.serialized.clone(),
            Entry::Pattern { pattern, .. } => pattern.to_string(),
        }
    }

    /// Whether the entry admits a plain-http origin on a non-loopback host.
    pub fn is_insecure(&self) -> bool {
        match self {
            Entry::Exact(origin) => origin.insecure,
            Entry::Pattern { insecure, .. } => *insecure,
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
    Ok(Entry::Pattern {
        pattern: Pattern::Subdomain {
            scheme,
            suffix: format!(".{authority}"),
        },
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
    Ok(Entry::Pattern {
        pattern: Pattern::AnyPort {
            prefix: format!("{}:", origin.serialized),
        },
        insecure: false,
    })
}

/// A problem of a pattern's base origin, with suggestions put back in pattern form.
fn in_pattern(mut problem: Problem, base_host: &str) -> Problem {
    if let Some(canonical) = problem.suggestion_mut() {
        *canonical = canonical.replacen("://", "://*.", 1);
        return problem;
    }
    match problem {
        Problem::MissingScheme { .. } | Problem::BadHost { .. } if base_host.is_empty() => {
            Problem::BadWildcard
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subdomain(input: &str) -> (String, String) {
        match check(input) {
            Ok(Entry::Pattern {
                pattern: Pattern::Subdomain { scheme, suffix },
                ..
            }) => (scheme.to_owned(), suffix),
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
            Ok(Entry::Pattern {
                pattern: Pattern::Subdomain { .. },
                insecure: true
            })
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
                Ok(Entry::Pattern {
                    pattern: Pattern::AnyPort {
                        prefix: prefix.into()
                    },
                    insecure: false
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
}
