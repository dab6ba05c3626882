//! Models of what the rules decide, written independently of the code they
//! check, for property tests and fuzz targets to compare it with.

use cors_credentials_rules::{list::CheckedList, pattern::Pattern};

/// Whether a pattern admits `origin`: host labels as browsers serialize
/// them (lowercase letters, digits, inner hyphens, 1 to 63 bytes) under the
/// base host; any port from 1 to 65535 written without a leading zero and
/// never the scheme's default port, which browsers omit.
pub fn admits(pattern: &Pattern, origin: &[u8]) -> bool {
    match pattern {
        Pattern::Subdomain { scheme, suffix } => {
            let Some(labels) = origin
                .strip_prefix(scheme.as_bytes())
                .and_then(|rest| rest.strip_suffix(suffix.as_bytes()))
            else {
                return false;
            };
            !labels.is_empty()
                && labels.split(|&b| b == b'.').all(|label| {
                    (1..=63).contains(&label.len())
                        && label.first() != Some(&b'-')
                        && label.last() != Some(&b'-')
                        && label
                            .iter()
                            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
                })
        }
        Pattern::AnyPort { prefix } => {
            let default_port = if prefix.starts_with("https://") {
                443
            } else {
                80
            };
            origin
                .strip_prefix(prefix.as_bytes())
                .and_then(|port| std::str::from_utf8(port).ok())
                .filter(|port| !port.starts_with('0') && port.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|port| port.parse::<u16>().ok())
                .is_some_and(|port| port != 0 && port != default_port)
        }
    }
}

/// Whether a checked list allows `origin`: one of its exact origins byte for
/// byte (compared one by one, not by the runtime's binary search), or
/// admitted by one of its patterns.
pub fn allows(list: &CheckedList, origin: &[u8]) -> bool {
    list.exact.iter().any(|exact| exact.as_bytes() == origin)
        || list.patterns.iter().any(|pattern| admits(pattern, origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_agrees_with_the_examples() {
        let sub = Pattern::Subdomain {
            scheme: "https://",
            suffix: ".example.com".into(),
        };
        assert!(admits(&sub, b"https://a.example.com"));
        assert!(admits(&sub, b"https://a.b.example.com"));
        assert!(!admits(&sub, b"https://example.com"));
        assert!(!admits(&sub, b"https://-a.example.com"));
        assert!(!admits(&sub, b"https://A.example.com"));
        assert!(!admits(&sub, b"http://a.example.com"));
        let port = Pattern::AnyPort {
            prefix: "http://localhost:".into(),
        };
        assert!(admits(&port, b"http://localhost:3000"));
        assert!(!admits(&port, b"http://localhost:80"));
        assert!(!admits(&port, b"http://localhost:03000"));
        assert!(!admits(&port, b"http://localhost:65536"));
        assert!(!admits(&port, b"http://localhost:"));
    }
}
