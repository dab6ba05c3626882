//! Reporting the decisions: a `log` debug record per refusal, or, with the
//! `tracing` feature and a subscriber, a `tracing` event per refusal and a
//! `trace` event per allowed request and answered preflight, and a `warn`
//! record or event per cookie problem the diagnostics find. The one place
//! the crate writes to either.

use core::fmt;

use crate::{
    escape::Escaped,
    refusal::{Check, Refusal},
    request::Request,
};

/// Reports a refusal by `check` of `req`.
pub fn refusal<R: Request + ?Sized>(refusal: &Refusal<'_>, check: Check, req: &R) {
    #[cfg(feature = "tracing")]
    if has_subscriber() {
        let origin = match crate::request::origin(req) {
            crate::request::OriginHeader::One(origin) => Some(origin.as_ref()),
            _ => None,
        };
        tracing::event!(
            target: "cors_credentials",
            tracing::Level::DEBUG,
            reason = refusal.reason().as_str(),
            check = check.as_str(),
            method = req.method(),
            path = %Escaped(req.path().as_bytes()),
            origin = origin.map(|origin| tracing::field::display(Escaped(origin))),
            "cors-credentials: refused {}: {}",
            check.what(),
            refusal.detail(),
        );
        return;
    }
    log::debug!(
        "cors-credentials: refused {} {} {}: {}",
        check.what(),
        req.method(),
        Escaped(req.path().as_bytes()),
        refusal.detail()
    );
}

/// Reports an allowed request or an answered preflight from `origin`: a
/// `trace` event with the `tracing` feature, nothing without it.
#[inline]
pub(crate) fn allowed<R: Request + ?Sized>(check: Check, req: &R, origin: &[u8]) {
    #[cfg(feature = "tracing")]
    tracing::event!(
        target: "cors_credentials",
        tracing::Level::TRACE,
        check = check.as_str(),
        method = req.method(),
        path = %Escaped(req.path().as_bytes()),
        origin = %Escaped(origin),
        "cors-credentials: allowed {}",
        check.what(),
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (check, req, origin);
}

/// Reports a cookie problem (`diagnostics`): a `warn` record of target
/// `cors_credentials`, or with the `tracing` feature and a subscriber a
/// `warn` event with the origin, the cookie's name (never its value) and
/// the problem as fields. `message` has the request's values escaped.
#[cold]
pub(crate) fn cookie(
    origin: &[u8],
    cookie: &[u8],
    problem: &'static str,
    message: fmt::Arguments<'_>,
) {
    #[cfg(feature = "tracing")]
    if has_subscriber() {
        tracing::event!(
            target: "cors_credentials",
            tracing::Level::WARN,
            origin = %Escaped(origin),
            cookie = %Escaped(cookie),
            problem,
            "{}",
            message,
        );
        return;
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (origin, cookie, problem);
    log::warn!(target: "cors_credentials", "{}", message);
}

/// Whether a `tracing` subscriber is in force on this thread. Without one,
/// refusals go to `log` as they do without the feature, so turning it on
/// never loses a record; with one, to `tracing` only, so a bridge from `log`
/// to `tracing` never sees a refusal twice.
#[cfg(feature = "tracing")]
fn has_subscriber() -> bool {
    tracing::dispatcher::get_default(|dispatch| !dispatch.is::<tracing::subscriber::NoSubscriber>())
}
