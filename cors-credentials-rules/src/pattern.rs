//! An origin pattern and its matchers, on the raw `Origin` bytes.
//!
//! Two pattern forms exist:
//! - `https://*.example.com`: any subdomain of `example.com`, at any depth,
//!   never `example.com` itself;
//! - `http://localhost:*`: any explicit port of a loopback host, for
//!   development servers.
//!
//! What a pattern may be written as is decided where an entry is checked
//! (`entry::check`); this module only matches and prints checked patterns.

/// A checked origin pattern. `S` holds its text: `String` when checked at
/// run time, `&'static str` in the `static` items the macro generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern<S = String> {
    /// `scheme://*.suffix`: one or more subdomain labels under `suffix`.
    Subdomain {
        /// `https://` or `http://`.
        scheme: &'static str,
        /// `.example.com`, with the leading dot and any `:port`.
        suffix: S,
    },
    /// `scheme://loopback-host:*`: any port.
    AnyPort {
        /// `http://localhost:`, with the trailing colon.
        prefix: S,
    },
}

impl<S: AsRef<str>> Pattern<S> {
    /// Whether the raw `Origin` bytes match.
    #[inline]
    pub fn matches(&self, origin: &[u8]) -> bool {
        match self {
            Pattern::Subdomain { scheme, suffix } => {
                matches_subdomain(origin, scheme.as_bytes(), suffix.as_ref().as_bytes())
            }
            Pattern::AnyPort { prefix } => matches_any_port(origin, prefix.as_ref().as_bytes()),
        }
    }

    /// The same pattern with its text converted by `f`.
    pub fn map<T>(self, f: impl FnOnce(S) -> T) -> Pattern<T> {
        match self {
            Pattern::Subdomain { scheme, suffix } => Pattern::Subdomain {
                scheme,
                suffix: f(suffix),
            },
            Pattern::AnyPort { prefix } => Pattern::AnyPort { prefix: f(prefix) },
        }
    }
}

/// The pattern as written in canonical form: `https://*.example.com`,
/// `http://localhost:*`.
impl<S: AsRef<str>> core::fmt::Display for Pattern<S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Pattern::Subdomain { scheme, suffix } => write!(f, "{scheme}*{}", suffix.as_ref()),
            Pattern::AnyPort { prefix } => write!(f, "{}*", prefix.as_ref()),
        }
    }
}

/// Whether `origin` (raw `Origin` bytes) is `scheme` + subdomain labels + `suffix`.
///
/// The labels are what browsers send for a host: lowercase letters, digits
/// and `-`, 1 to 63 bytes each, not starting or ending with `-`, separated by
/// single dots. Anything else (uppercase, `_`, `` ` ``, `%`, `@`, `:`, an
/// empty label) never matches.
fn matches_subdomain(origin: &[u8], scheme: &[u8], suffix: &[u8]) -> bool {
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
fn matches_any_port(origin: &[u8], prefix: &[u8]) -> bool {
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

    #[test]
    fn a_pattern_matches_with_its_own_matcher_and_displays_as_written() {
        let subdomain = Pattern::Subdomain {
            scheme: "https://",
            suffix: String::from(".example.com:8443"),
        };
        assert!(subdomain.matches(b"https://a.example.com:8443"));
        assert!(!subdomain.matches(b"https://a.example.com"));
        assert_eq!(subdomain.to_string(), "https://*.example.com:8443");
        let port = Pattern::AnyPort {
            prefix: String::from("http://localhost:"),
        }
        .map(|prefix| prefix.into_boxed_str());
        assert!(port.matches(b"http://localhost:5173"));
        assert!(!port.matches(b"http://localhost:80"));
        assert!(!port.matches(b"https://a.example.com:8443"));
        assert_eq!(port.to_string(), "http://localhost:*");
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
