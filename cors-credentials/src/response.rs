//! What the adapters' responses carry, whatever the framework: the fixed
//! header values and the rule for a `Vary` the handler set. Each adapter
//! builds its own response type from these.

use cors_credentials_rules::header::list_elements;

use crate::value::StaticValue;

/// `Vary` added to every response of a route, whatever the request.
pub static VARY_ORIGIN: StaticValue = StaticValue::new("Origin");
/// `Vary` of every preflight response: the answer depends on all three.
pub static PREFLIGHT_VARY: StaticValue =
    StaticValue::new("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
/// `Access-Control-Allow-Credentials`' only valid value.
pub static TRUE: StaticValue = StaticValue::new("true");
/// The `Content-Type` of a refusal's short reason.
pub static TEXT_PLAIN: StaticValue = StaticValue::new("text/plain; charset=utf-8");

/// Whether a `Vary` line lists `Origin` (any case) or `*`: a response whose
/// handler set such a line needs no `Vary: Origin` added.
pub fn vary_lists_origin(line: &[u8]) -> bool {
    list_elements(line).any(|name| name == b"*" || name.eq_ignore_ascii_case(b"origin"))
}

#[cfg(test)]
mod tests {
    use super::vary_lists_origin;

    #[test]
    fn vary_lines_that_cover_origin() {
        for line in ["Origin", "origin", "accept-encoding, ORIGIN", "*", " * "] {
            assert!(vary_lists_origin(line.as_bytes()), "{line}");
        }
        for line in ["", "Origins", "Accept-Encoding", "x-origin", "**"] {
            assert!(!vary_lists_origin(line.as_bytes()), "{line}");
        }
    }
}
