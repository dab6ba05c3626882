//! What every framework test checks, on the `http` 1.x types the tower
//! layer sees: an allowed origin gets the CORS headers, a refused one a 403
//! without them, and a preflight is answered.

use cors_credentials::policy;
use http::{HeaderMap, Method, Request, StatusCode};

policy! {
    /// `/api/me` of every framework test.
    pub API = { origins: ["https://app.example.com"], max_age: 600 };
}

pub const ALLOWED: &str = "https://app.example.com";
pub const EVIL: &str = "https://evil.example.net";

/// The three requests each test sends to `/api/me`, whose handler answers
/// `GET`.
pub fn requests<B: Default>() -> [(Request<B>, Expected); 3] {
    let get = |origin: &str| {
        Request::get("http://api.example.com/api/me")
            .header("origin", origin)
            .body(B::default())
            .unwrap()
    };
    let preflight = Request::options("http://api.example.com/api/me")
        .header("origin", ALLOWED)
        .header("access-control-request-method", "GET")
        .body(B::default())
        .unwrap();
    [
        (get(ALLOWED), Expected::Allowed),
        (get(EVIL), Expected::Refused),
        (preflight, Expected::Preflight),
    ]
}

#[derive(Clone, Copy, Debug)]
pub enum Expected {
    Allowed,
    Refused,
    Preflight,
}

/// Checks one response's status and headers against what was expected.
pub fn check(expected: Expected, status: StatusCode, headers: &HeaderMap) {
    let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    match expected {
        Expected::Allowed => {
            assert_eq!(status, StatusCode::OK);
            assert_eq!(
                header("access-control-allow-origin").as_deref(),
                Some(ALLOWED)
            );
            assert_eq!(
                header("access-control-allow-credentials").as_deref(),
                Some("true")
            );
        }
        Expected::Refused => {
            assert_eq!(status, StatusCode::FORBIDDEN);
            assert_eq!(header("access-control-allow-origin"), None);
            assert_eq!(header("access-control-allow-credentials"), None);
        }
        Expected::Preflight => {
            assert!(status.is_success(), "preflight answered with {status}");
            assert_eq!(
                header("access-control-allow-origin").as_deref(),
                Some(ALLOWED)
            );
            assert_eq!(
                header("access-control-allow-credentials").as_deref(),
                Some("true")
            );
            let methods = header("access-control-allow-methods").unwrap();
            assert!(
                methods.split(", ").any(|m| m == Method::GET.as_str()),
                "{methods}"
            );
            assert_eq!(header("access-control-max-age").as_deref(), Some("600"));
        }
    }
}
