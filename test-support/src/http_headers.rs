//! Assertions on `http` 1.x responses, for the tests of the tower adapter:
//! those of [`headers`](crate::headers), and what only these responses have.

use http::Response;

pub use crate::headers::{
    all, assert_allowed, assert_no_allow_headers, one, vary, ALLOWED, EVIL, OTHER_ALLOWED,
};

/// The `Vary` names of an answered or refused preflight, lowercased.
pub const PREFLIGHT_VARY: [&str; 3] = [
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
];

/// The `Refused` of a response, if it carries one.
pub fn refused<B>(res: &Response<B>) -> Option<cors_credentials::Refused> {
    res.extensions().get::<cors_credentials::Refused>().copied()
}
