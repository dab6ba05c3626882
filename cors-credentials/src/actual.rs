//! Deciding on actual (non-preflight) requests.

use crate::{
    policy::{OnDisallowed, Policy},
    refusal::{Check, Refusal},
    report,
    request::{self, OriginHeader, Request},
    same_origin::is_same_origin,
    tenant::{TenantKey, TenantLookup},
};

/// What an actual request gets. `V` is the framework's header value.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision<'a, V: ?Sized> {
    /// Run the handler and allow the origin to read the response with
    /// credentials: `Access-Control-Allow-Origin` repeats this `Origin`
    /// value, which is byte for byte a configured origin or matches a
    /// configured pattern.
    Allow(&'a V),
    /// Run the handler; no CORS headers (no `Origin`, same-origin, or a
    /// not-allowed origin under [`OnDisallowed::Pass`]).
    NoCors,
    /// Answer `403`; the handler does not run.
    Reject(Refusal<'a>),
}

/// Decides on an actual request under a policy that is not per-tenant (a
/// per-tenant one refuses every cross-origin request here: use
/// `decide_in`). Only the project's tests and benchmarks call it.
#[cfg(any(test, feature = "test-hooks"))]
pub fn decide<'a, R: Request + ?Sized>(policy: &Policy, req: &'a R) -> Decision<'a, R::Value> {
    decide_in(policy, req, None)
}

/// Decides on an actual request addressing `tenant` (what
/// [`request::tenant_key`] reads; ignored by a policy that is not
/// per-tenant).
pub(crate) fn decide_in<'a, R: Request + ?Sized>(
    policy: &Policy,
    req: &'a R,
    tenant: Option<TenantKey<'a>>,
) -> Decision<'a, R::Value> {
    let refusal = match request::origin(req) {
        OriginHeader::Absent => return Decision::NoCors,
        OriginHeader::Many => Refusal::MultipleOrigins,
        OriginHeader::One(origin) => {
            let bytes = origin.as_ref();
            let lookup = policy.origins.lookup_for(tenant, bytes);
            if lookup == TenantLookup::Allowed {
                report::allowed(Check::Request, req, bytes);
                return Decision::Allow(origin);
            }
            if is_same_origin(req, bytes) {
                return Decision::NoCors;
            }
            refusal_of(lookup, policy.tenant_source().is_some(), bytes)
        }
    };
    report::refusal(&refusal, Check::Request, req);
    match policy.on_disallowed {
        OnDisallowed::Reject => Decision::Reject(refusal),
        OnDisallowed::Pass => Decision::NoCors,
    }
}

/// The refusal of an origin its set does not allow, under a policy that is
/// per-tenant or not.
pub(crate) fn refusal_of(lookup: TenantLookup, per_tenant: bool, origin: &[u8]) -> Refusal<'_> {
    match lookup {
        TenantLookup::NotSet if per_tenant => Refusal::TenantNotSet(origin),
        TenantLookup::NotSet => Refusal::OriginsNotSet(origin),
        TenantLookup::OtherTenant => Refusal::OriginOfAnotherTenant(origin),
        TenantLookup::Allowed | TenantLookup::NotAllowed => Refusal::OriginNotAllowed(origin),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        origin::{Listed, Origins},
        policy::{AllowHeaders, OriginSet},
        request::fake::FakeRequest,
    };

    static ORIGINS: [&str; 1] = ["https://app.example.com"];

    fn policy(on_disallowed: OnDisallowed) -> Policy {
        static MAX_AGE: crate::value::StaticValue = crate::value::StaticValue::new("7200");
        Policy {
            origins: OriginSet::Listed(Listed {
                exact: Origins::new(&ORIGINS),
                patterns: &[],
            }),
            allow_headers: AllowHeaders::Any,
            expose_headers: None,
            max_age: &MAX_AGE,
            on_disallowed,
        }
    }

    fn decision(req: FakeRequest, on_disallowed: OnDisallowed) -> String {
        let req = req.authority("api.example.com");
        format!("{:?}", decide(&policy(on_disallowed), &req))
    }

    #[test]
    fn decisions() {
        use OnDisallowed::*;
        let get = || FakeRequest::new("GET", "/");
        let origin = |o: &'static str| get().header("origin", o);
        assert!(decision(origin("https://app.example.com"), Reject).starts_with("Allow"));
        assert_eq!(decision(get(), Reject), "NoCors");
        assert_eq!(decision(origin("http://api.example.com"), Reject), "NoCors");
        assert!(decision(origin("https://evil.net"), Reject).starts_with("Reject(OriginNotAllowed"));
        assert_eq!(decision(origin("https://evil.net"), Pass), "NoCors");
        assert!(decision(origin("null"), Reject).starts_with("Reject"));
        assert!(decision(origin(""), Reject).starts_with("Reject"));
        let two = origin("https://app.example.com").header("origin", "https://app.example.com");
        assert_eq!(decision(two, Reject), "Reject(MultipleOrigins)");
    }
}
