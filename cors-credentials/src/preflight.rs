//! Deciding on CORS preflight requests.

use cors_credentials_rules::header::{is_token, list_elements};

use crate::{
    actual::refusal_of,
    policy::{AllowHeaders, AllowedMethods, Policy},
    refusal::{Check, Refusal},
    report,
    request::{self, OriginHeader, Request, RequestHeader},
    tenant::{TenantKey, TenantLookup},
};

/// The longest `Access-Control-Request-Headers` (all lines together) a
/// preflight may carry. Browsers send the lowercase names of the request's
/// unsafe headers, a few hundred bytes at most; anything longer is refused
/// before it is parsed, which bounds the work a request can cause.
pub const MAX_REQUEST_HEADERS_LEN: usize = 8 * 1024;

/// What a preflight asks for, read once: its `Origin` lines and its
/// `Access-Control-Request-Method`.
#[derive(Debug)]
pub(crate) struct Preflight<'a, V: ?Sized> {
    origin: OriginHeader<'a, V>,
    method: Option<&'a V>,
    more_methods: bool,
}

impl<'a, V: AsRef<[u8]> + ?Sized> Preflight<'a, V> {
    /// Reads them from any request; [`requested`] says whether it is a preflight.
    pub(crate) fn read<R: Request<Value = V> + ?Sized>(req: &'a R) -> Self {
        let mut methods = req.header(RequestHeader::AccessControlRequestMethod);
        let method = methods.next();
        Preflight {
            more_methods: methods.next().is_some(),
            method,
            origin: request::origin(req),
        }
    }

    /// The method asked for.
    pub(crate) fn method(&self) -> &'a [u8] {
        self.method.map_or(&b""[..], AsRef::as_ref)
    }
}

/// The CORS preflight a request is, if it is one: `OPTIONS` with both
/// `Origin` and `Access-Control-Request-Method`. An `OPTIONS` without them is
/// an ordinary request and is left to whatever else serves it.
#[inline]
pub(crate) fn requested<R: Request + ?Sized>(req: &R) -> Option<Preflight<'_, R::Value>> {
    if req.method() != "OPTIONS" {
        return None;
    }
    let preflight = Preflight::read(req);
    match (&preflight.method, &preflight.origin) {
        (None, _) | (_, OriginHeader::Absent) => None,
        _ => Some(preflight),
    }
}

/// A successful preflight's variable parts. `V` is the framework's header value.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Grant<'a, V: ?Sized> {
    /// The request's `Origin`, to repeat in `Access-Control-Allow-Origin`.
    pub origin: &'a V,
    /// What to send as `Access-Control-Allow-Headers`.
    pub allow_headers: AllowHeadersAnswer<'a, V>,
}

/// The `Access-Control-Allow-Headers` of a successful preflight.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum AllowHeadersAnswer<'a, V: ?Sized> {
    /// No header was requested: send none.
    None,
    /// The policy's own list.
    Listed,
    /// The request's single `Access-Control-Request-Headers` line, which is
    /// already in the canonical form `a,b,c`.
    Echo(&'a V),
    /// Every requested name, from lines reshaped by a proxy or split over
    /// several lines, joined as `a,b,c` ([`requested_headers`] lists them).
    Join,
}

/// Decides on the preflight `preflight` read from `req`, addressing
/// `tenant` (see [`request::tenant_key`]), for a route serving `methods`
/// under `policy`, and reports the decision.
pub(crate) fn decide<'a, R: Request + ?Sized, M: AllowedMethods + ?Sized>(
    policy: &Policy,
    methods: &M,
    req: &'a R,
    preflight: Preflight<'a, R::Value>,
    tenant: Option<TenantKey<'a>>,
) -> Result<Grant<'a, R::Value>, Refusal<'a>> {
    let decision = grant(policy, methods, req, preflight, tenant);
    match &decision {
        Ok(grant) => report::allowed(Check::Preflight, req, grant.origin.as_ref()),
        Err(refusal) => report::refusal(refusal, Check::Preflight, req),
    }
    decision
}

fn grant<'a, R: Request + ?Sized, M: AllowedMethods + ?Sized>(
    policy: &Policy,
    methods: &M,
    req: &'a R,
    preflight: Preflight<'a, R::Value>,
    tenant: Option<TenantKey<'a>>,
) -> Result<Grant<'a, R::Value>, Refusal<'a>> {
    let origin = match preflight.origin {
        OriginHeader::Many => return Err(Refusal::MultipleOrigins),
        OriginHeader::Absent => return Err(Refusal::OriginNotAllowed(b"")),
        OriginHeader::One(origin) => match policy.origins.lookup_for(tenant, origin.as_ref()) {
            TenantLookup::Allowed => origin,
            lookup => {
                let per_tenant = policy.tenant_source().is_some();
                return Err(refusal_of(lookup, per_tenant, origin.as_ref()));
            }
        },
    };
    let method = preflight.method();
    if preflight.more_methods || !methods.contains(method) {
        return Err(Refusal::MethodNotAllowed(method));
    }
    let allow_headers = check_request_headers(&policy.allow_headers, req)?;
    Ok(Grant {
        origin,
        allow_headers,
    })
}

/// Checks `Access-Control-Request-Headers`.
///
/// Parsed as the Fetch Standard sends it and as proxies may reshape it:
/// comma-separated, optional whitespace, empty elements skipped, names
/// compared case-insensitively, possibly over several header lines.
pub(crate) fn check_request_headers<'a, R: Request + ?Sized>(
    allow: &AllowHeaders,
    req: &'a R,
) -> Result<AllowHeadersAnswer<'a, R::Value>, Refusal<'a>> {
    let mut total = 0usize;
    let mut requested = 0usize;
    let mut lines = 0usize;
    let mut first = None;
    for line in req.header(RequestHeader::AccessControlRequestHeaders) {
        // The cap is checked before each line is parsed, bounding the work.
        total += line.as_ref().len();
        if total > MAX_REQUEST_HEADERS_LEN {
            let len = req
                .header(RequestHeader::AccessControlRequestHeaders)
                .map(|line| line.as_ref().len())
                .sum();
            return Err(Refusal::RequestHeadersTooLarge {
                len,
                limit: MAX_REQUEST_HEADERS_LEN,
            });
        }
        lines += 1;
        first.get_or_insert(line);
        for name in list_elements(line.as_ref()) {
            if !is_token(name) {
                return Err(Refusal::MalformedRequestHeaders(name));
            }
            if !allow.allows(name) {
                return Err(Refusal::HeaderNotAllowed(name));
            }
            requested += 1;
        }
    }
    if requested == 0 {
        return Ok(AllowHeadersAnswer::None);
    }
    Ok(match (allow, first) {
        (AllowHeaders::List { .. }, _) => AllowHeadersAnswer::Listed,
        // A single line in the form browsers send (`a,b,c`) is reused as it
        // is, costing no allocation.
        (AllowHeaders::Any, Some(only)) if lines == 1 && is_canonical_list(only.as_ref()) => {
            AllowHeadersAnswer::Echo(only)
        }
        (AllowHeaders::Any, _) => AllowHeadersAnswer::Join,
    })
}

/// Every requested header name, over all `Access-Control-Request-Headers`
/// lines, for [`AllowHeadersAnswer::Join`].
pub(crate) fn requested_headers<R: Request + ?Sized>(req: &R) -> impl Iterator<Item = &[u8]> {
    req.header(RequestHeader::AccessControlRequestHeaders)
        .flat_map(|line| list_elements(line.as_ref()))
}

/// Whether a header list is `a,b,c`: tokens separated by single commas.
fn is_canonical_list(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes
            .split(|&b| b == b',')
            .all(|name| !name.is_empty() && is_token(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::fake::FakeRequest;

    /// A request with these `Access-Control-Request-Headers` lines.
    fn request_headers(lines: &[&str]) -> FakeRequest {
        lines
            .iter()
            .fold(FakeRequest::new("OPTIONS", "/"), |req, line| {
                req.header("access-control-request-headers", line)
            })
    }

    #[test]
    fn a_preflight_is_an_options_with_origin_and_a_requested_method() {
        let origin = ("origin", "https://app.example.com");
        let method = ("access-control-request-method", "PUT");
        let asked = |req: FakeRequest| requested(&req).map(|preflight| preflight.method().to_vec());
        let options = || FakeRequest::new("OPTIONS", "/");
        let both = |req: FakeRequest| req.header(origin.0, origin.1).header(method.0, method.1);
        assert_eq!(asked(both(options())), Some(b"PUT".to_vec()));
        assert_eq!(asked(both(FakeRequest::new("GET", "/"))), None);
        assert_eq!(asked(both(FakeRequest::new("options", "/"))), None);
        assert_eq!(asked(options().header(origin.0, origin.1)), None);
        assert_eq!(asked(options().header(method.0, method.1)), None);
        assert_eq!(asked(options()), None);
    }

    #[test]
    fn oversized_request_headers_are_refused_before_parsing() {
        let check = |lines: &[&str]| {
            check_request_headers(&AllowHeaders::Any, &request_headers(lines))
                .map(drop)
                .map_err(|r| format!("{r:?}"))
        };
        let long = "x-a,".repeat(16 * 1024);
        assert_eq!(
            check(&[&long]).unwrap_err(),
            format!(
                "{:?}",
                Refusal::RequestHeadersTooLarge {
                    len: long.len(),
                    limit: MAX_REQUEST_HEADERS_LEN
                }
            )
        );
        let fits = "x-a,".repeat(MAX_REQUEST_HEADERS_LEN / 4);
        assert!(check(&[&fits]).is_ok());
    }
}
