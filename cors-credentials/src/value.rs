//! A header value known at compile time, in the form each enabled adapter
//! sends: actix-web's (`http` 0.2) and tower's (`http` 1.x) `HeaderValue`
//! are different types, so a policy built by the macros holds both, each
//! built by its own `const fn`, and a response only clones a `'static`
//! value (a pointer copy, no allocation).

/// A `'static` header value, checked when it is built in a `static` (a bad
/// byte is a compile error there).
#[derive(Debug)]
pub struct StaticValue {
    text: &'static str,
    #[cfg(feature = "actix")]
    actix: actix_web::http::header::HeaderValue,
    #[cfg(feature = "tower")]
    http: http::HeaderValue,
}

impl StaticValue {
    /// `text` as a header value: visible ASCII, spaces and tabs only.
    pub const fn new(text: &'static str) -> Self {
        StaticValue {
            text,
            #[cfg(feature = "actix")]
            actix: actix_web::http::header::HeaderValue::from_static(text),
            #[cfg(feature = "tower")]
            http: http::HeaderValue::from_static(text),
        }
    }

    /// The value's text.
    pub const fn as_str(&self) -> &'static str {
        self.text
    }

    /// The value for actix-web responses.
    #[cfg(feature = "actix")]
    #[inline]
    pub(crate) fn actix(&self) -> &actix_web::http::header::HeaderValue {
        &self.actix
    }

    /// The value for `http` 1.x responses.
    #[cfg(feature = "tower")]
    #[inline]
    pub(crate) fn http(&self) -> &http::HeaderValue {
        &self.http
    }
}
