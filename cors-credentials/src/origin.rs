//! Matching the request's `Origin` against the configured origins.
//!
//! The Fetch Standard compares `Access-Control-Allow-Origin` with the request's
//! serialized origin byte for byte, so this module never parses an origin: it
//! compares raw header bytes with the canonical forms the rules crate checked.

use cors_credentials_rules::{
    list::{self, CheckedList},
    pattern,
};

/// Exact origins and patterns.
#[derive(Debug, Clone, Copy)]
pub struct Listed {
    pub(crate) exact: Origins,
    pub(crate) patterns: &'static [Pattern],
}

/// Exact origins, already in lookup order ([`list::order`]), and patterns,
/// as the macro writes them in a `static` (`__private::listed`).
pub const fn listed(exact: &'static [&'static str], patterns: &'static [Pattern]) -> Listed {
    Listed {
        exact: Origins::new(exact),
        patterns,
    }
}

impl Listed {
    /// Whether the raw `Origin` bytes are allowed: equal to an exact origin,
    /// or matching a pattern.
    pub fn allows(&self, origin: &[u8]) -> bool {
        self.exact.contains(origin) || self.patterns.iter().any(|pattern| pattern.matches(origin))
    }

    /// The runtime form of a list checked at run time. The list lives as
    /// long as the process: each is built once per policy.
    pub fn leak(list: CheckedList) -> Listed {
        let exact: Vec<&'static str> = list.exact.into_iter().map(leak).collect();
        let patterns: Vec<Pattern> = list
            .patterns
            .into_iter()
            .map(|pattern| pattern.map(leak))
            .collect();
        Listed {
            exact: Origins::new(Box::leak(exact.into_boxed_slice())),
            patterns: Box::leak(patterns.into_boxed_slice()),
        }
    }
}

fn leak(value: String) -> &'static str {
    Box::leak(value.into_boxed_str())
}

/// An origin pattern, matched on the raw `Origin` bytes: the rules crate's
/// pattern, with the `'static` text the macro generates.
pub type Pattern = pattern::Pattern<&'static str>;

/// The exact origins of a policy.
///
/// Sorted in the rules crate's lookup order ([`list::order`]: length, then
/// bytes), so a lookup is a binary search that mostly compares lengths: a
/// 20-origin list costs about five comparisons, and no origin is hashed or
/// copied.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origins {
    sorted: &'static [&'static str],
}

impl Origins {
    /// Wraps origins that are already in lookup order.
    pub(crate) const fn new(sorted: &'static [&'static str]) -> Self {
        Origins { sorted }
    }

    /// The configured origins, in lookup order.
    pub(crate) fn as_slice(&self) -> &'static [&'static str] {
        self.sorted
    }

    /// Whether an origin equal byte for byte to `origin` is configured.
    pub(crate) fn contains(&self, origin: &[u8]) -> bool {
        self.sorted
            .binary_search_by(|candidate| list::order(candidate.as_bytes(), origin))
            .is_ok()
    }
}

/// Whether a policy's origins allow a request's raw `Origin` bytes: what a
/// policy's origin set, listed, read from the environment or dynamic,
/// answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// The origins allow it.
    Allowed,
    /// They do not.
    NotAllowed,
    /// The policy's origins are given at run time and were not given yet:
    /// nothing is allowed.
    NotSet,
}

#[cfg(test)]
mod tests {
    use super::*;

    static SORTED: [&str; 3] = ["https://a.com", "https://b.com", "http://localhost:3000"];

    #[test]
    fn finds_exact_origins_only() {
        let origins = Origins::new(&SORTED);
        for value in SORTED {
            assert!(origins.contains(value.as_bytes()));
        }
        for miss in [
            &b"https://A.com"[..],
            b"https://a.com/",
            b"https://a.com:443",
            b"http://a.com",
            b"https://a.co",
            b"https://a.comm",
            b"https://a.com.evil.net",
            b"https://xa.com",
            b"null",
            b"",
            b"http://localhost:300",
            b"http://localhost:30000",
        ] {
            assert!(
                !origins.contains(miss),
                "{:?}",
                miss.escape_ascii().to_string()
            );
        }
    }

    #[test]
    fn sorted_list_is_in_lookup_order() {
        assert!(SORTED
            .windows(2)
            .all(|pair| list::order(pair[0].as_bytes(), pair[1].as_bytes()).is_lt()));
    }

    #[test]
    fn twenty_origins_all_found() {
        let names: Vec<String> = (0..20)
            .map(|i| format!("https://app{i}.example.com"))
            .collect();
        let listed = Listed::leak(list::check_list(&names, false).unwrap());
        for name in &names {
            assert!(listed.exact.contains(name.as_bytes()));
        }
        assert!(!listed.exact.contains(b"https://app20.example.com"));
    }

    #[test]
    fn listed_patterns_match_the_request_origin() {
        static PATTERNS: [Pattern; 2] = [
            Pattern::Subdomain {
                scheme: "https://",
                suffix: ".example.com",
            },
            Pattern::AnyPort {
                prefix: "http://localhost:",
            },
        ];
        let listed = Listed {
            exact: Origins::new(&SORTED),
            patterns: &PATTERNS,
        };
        let find = |o: &str| listed.allows(o.as_bytes());
        assert!(find("https://a.com"));
        assert!(find("https://pr-1.example.com"));
        assert!(find("http://localhost:5173"));
        assert!(!find("https://example.com"));
        assert!(!find("https://a.example.com.evil.net"));
        assert!(!find("http://localhost"));
    }
}
