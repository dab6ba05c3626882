//! The static data a `#[cors_credentials]` attribute compiles into.
//!
//! Every value here is built by the macro in a `static`, so header values are
//! validated by the compiler (`HeaderValue::from_static` is a `const fn`) and a
//! request only ever borrows them.

use actix_web::http::header::HeaderValue;

use crate::origin::Origins;

/// A complete credentialed CORS policy for one handler.
#[derive(Debug)]
pub struct Policy {
    /// The origins allowed to read credentialed responses.
    pub origins: Origins,
    /// Request headers a preflight may ask for.
    pub allow_headers: AllowHeaders,
    /// `Access-Control-Expose-Headers`, sent on allowed actual responses only.
    pub expose_headers: Option<HeaderValue>,
    /// `Access-Control-Max-Age`, sent on successful preflights only.
    pub max_age: HeaderValue,
    /// What an actual request from a cross-origin, not-allowed `Origin` gets.
    pub on_disallowed: OnDisallowed,
}

/// The request headers a preflight may ask for.
#[derive(Debug)]
pub enum AllowHeaders {
    /// Every well-formed header name is allowed and listed back by name
    /// (never as `*`, which is a literal name when credentials are included).
    Any,
    /// Only these names; `names` are lowercase, `value` is the
    /// `Access-Control-Allow-Headers` value listing them.
    List {
        /// Lowercase header names.
        names: &'static [&'static str],
        /// The comma-separated list sent back.
        value: HeaderValue,
    },
}

impl AllowHeaders {
    /// Whether `name` (any case) may be requested.
    pub fn allows(&self, name: &[u8]) -> bool {
        match self {
            AllowHeaders::Any => true,
            AllowHeaders::List { names, .. } => names
                .iter()
                .any(|allowed| allowed.as_bytes().eq_ignore_ascii_case(name)),
        }
    }
}

/// The methods one route serves: what a preflight may ask for.
#[derive(Debug)]
pub struct Methods {
    /// Method names, compared byte for byte with `Access-Control-Request-Method`.
    pub names: &'static [&'static str],
    /// `Access-Control-Allow-Methods` listing them.
    pub value: HeaderValue,
}

impl Methods {
    /// Whether a preflight asking for `method` is answered.
    ///
    /// Methods are case-sensitive: browsers upper-case only the six standard
    /// ones, so a page asking for `patch` really asks for a method named `patch`.
    pub fn contains(&self, method: &[u8]) -> bool {
        self.names.iter().any(|name| name.as_bytes() == method)
    }
}

/// What an actual request gets when its `Origin` is cross-origin and not allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDisallowed {
    /// `403 Forbidden`; the handler does not run. The default: cookies ride
    /// along on simple cross-site requests, so running the handler would let
    /// any site trigger it with the user's credentials.
    Reject,
    /// The handler runs and the response carries no CORS headers, so the
    /// browser hides it from the page.
    Pass,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_headers_compare_case_insensitively() {
        let headers = AllowHeaders::List {
            names: &["content-type", "x-requested-with"],
            value: HeaderValue::from_static("content-type, x-requested-with"),
        };
        assert!(headers.allows(b"content-type"));
        assert!(headers.allows(b"Content-Type"));
        assert!(headers.allows(b"X-REQUESTED-WITH"));
        assert!(!headers.allows(b"authorization"));
        assert!(!headers.allows(b"content-typ"));
        assert!(!headers.allows(b""));
        assert!(AllowHeaders::Any.allows(b"anything"));
    }

    #[test]
    fn methods_are_case_sensitive() {
        let methods = Methods {
            names: &["GET", "PATCH"],
            value: HeaderValue::from_static("GET, PATCH"),
        };
        assert!(methods.contains(b"PATCH"));
        assert!(methods.contains(b"GET"));
        assert!(!methods.contains(b"patch"));
        assert!(!methods.contains(b"POST"));
        assert!(!methods.contains(b""));
    }
}
