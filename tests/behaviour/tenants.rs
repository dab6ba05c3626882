//! Rules 28–32 of `docs/policy.md`: origin sets bound to the tenant a
//! request addresses (`origins: per_tenant`), on the fixture `tenants`:
//! `GET` and `PUT /t/{tenant}/me` whose tenant is the path's `{tenant}`,
//! `GET /host/me` whose tenant is the host, and `POST /t/{tenant}/transfer`
//! with no policy of its own, all behind the app-wide guard. `acme` holds
//! `https://app.acme.example` and `https://*.acme.example`, `globex` holds
//! `https://globex.example`, the host `acme.api.example` holds
//! `https://app.acme.example`; `initech` is never set.

use cors_credentials::{Check, Reason};
use test_support::driver::{Expect, Req, Scenario, PREFLIGHT_VARY};

const ACME: &str = "https://app.acme.example";
const ACME_SHOP: &str = "https://shop.acme.example";
const GLOBEX: &str = "https://globex.example";
const EVIL: &str = "https://evil.example";
const ORIGIN: &[&str] = &["origin"];

const fn preflight(path: &'static str, origin: &'static [&'static str]) -> Req {
    Req::new("OPTIONS", path)
        .origins(origin)
        .request_method("PUT")
}

/// Rule 28: a request is allowed only if its origin belongs to the tenant
/// it addresses; another tenant's origin gets `403` before the handler, with
/// `origin_of_another_tenant`, and the body of any origin not allowed.
pub const RULE_28: &[Scenario] = &[
    Scenario::new(
        "a tenant's origins are allowed on its own routes",
        "tenants",
        &[
            (
                Req::new("GET", "/t/acme/me").origins(&[ACME]),
                Expect::allowed(ACME).body("acme").runs(1),
            ),
            (
                Req::new("PUT", "/t/acme/me").origins(&[ACME_SHOP]),
                Expect::allowed(ACME_SHOP).body("acme").runs(2),
            ),
            (
                Req::new("GET", "/t/globex/me").origins(&[GLOBEX]),
                Expect::allowed(GLOBEX).body("globex").runs(3),
            ),
        ],
    ),
    Scenario::new(
        "another tenant's origin is refused before the handler",
        "tenants",
        &[
            (
                Req::new("GET", "/t/globex/me").origins(&[ACME]),
                Expect::refused(Reason::OriginOfAnotherTenant, Check::Request)
                    .body("CORS request refused: origin not allowed\n")
                    .runs(0),
            ),
            (
                Req::new("PUT", "/t/acme/me").origins(&[GLOBEX]),
                Expect::refused(Reason::OriginOfAnotherTenant, Check::Request).runs(0),
            ),
            // A pattern of another tenant is that tenant's too.
            (
                Req::new("PUT", "/t/globex/me").origins(&[ACME_SHOP]),
                Expect::refused(Reason::OriginOfAnotherTenant, Check::Request).runs(0),
            ),
            (
                Req::new("GET", "/t/acme/me").origins(&[EVIL]),
                Expect::refused(Reason::OriginNotAllowed, Check::Request)
                    .body("CORS request refused: origin not allowed\n")
                    .runs(0),
            ),
        ],
    ),
    Scenario::new(
        "preflights are decided by the addressed tenant's set",
        "tenants",
        &[
            (
                preflight("/t/acme/me", &[ACME])
                    .headers(&[("access-control-request-headers", "content-type")]),
                Expect::preflight(ACME)
                    .headers(&[("access-control-allow-headers", "content-type")])
                    .runs(0),
            ),
            (
                preflight("/t/globex/me", &[ACME]),
                Expect::refused(Reason::OriginOfAnotherTenant, Check::Preflight)
                    .vary(&PREFLIGHT_VARY)
                    .runs(0),
            ),
            (
                preflight("/t/acme/me", &[EVIL]),
                Expect::refused(Reason::OriginNotAllowed, Check::Preflight).runs(0),
            ),
        ],
    ),
];

/// Rule 29: until a tenant is set its routes refuse every cross-origin
/// request (`origins_not_set`); same-origin requests and requests without
/// `Origin` are served.
pub const RULE_29: &[Scenario] = &[
    Scenario::new(
        "a tenant not set fails closed",
        "tenants",
        &[
            (
                Req::new("GET", "/t/initech/me").origins(&[ACME]),
                Expect::refused(Reason::OriginsNotSet, Check::Request).runs(0),
            ),
            (
                preflight("/t/initech/me", &[ACME]),
                Expect::refused(Reason::OriginsNotSet, Check::Preflight).runs(0),
            ),
            // Keys are compared byte for byte.
            (
                Req::new("GET", "/t/ACME/me").origins(&[ACME]),
                Expect::refused(Reason::OriginsNotSet, Check::Request).runs(0),
            ),
        ],
    ),
    Scenario::new(
        "same-origin requests and requests without Origin are served",
        "tenants",
        &[
            (
                Req::new("GET", "/t/initech/me"),
                Expect::status(200).vary(ORIGIN).body("none").runs(1),
            ),
            (
                Req::new("PUT", "/t/acme/me").origins(&["http://api.example.com"]),
                Expect::status(200).vary(ORIGIN).body("none").runs(2),
            ),
        ],
    ),
];

/// Rule 30: the handler reads the tenant that admitted the origin (the
/// actix-web extractor `Tenant`, the request extension `Tenant` with tower);
/// none is given for a request no tenant admitted.
pub const RULE_30: &[Scenario] = &[Scenario::new(
    "the handler reads the tenant that admitted the origin",
    "tenants",
    &[
        (
            Req::new("GET", "/t/globex/me").origins(&[GLOBEX]),
            Expect::allowed(GLOBEX).body("globex"),
        ),
        (
            Req::new("GET", "/t/globex/me"),
            Expect::status(200).body("none"),
        ),
    ],
)];

/// Rule 31: under `tenant: host` the tenant is the request's host,
/// lower-cased, without `:80` or `:443`.
pub const RULE_31: &[Scenario] = &[Scenario::new(
    "the host names the tenant",
    "tenants",
    &[
        (
            Req::new("GET", "https://acme.api.example/host/me").origins(&[ACME]),
            Expect::allowed(ACME).body("acme.api.example"),
        ),
        (
            Req::new("GET", "https://ACME.api.example:443/host/me").origins(&[ACME]),
            Expect::allowed(ACME).body("acme.api.example"),
        ),
        (
            Req::new("GET", "https://globex.api.example/host/me").origins(&[ACME]),
            Expect::refused(Reason::OriginsNotSet, Check::Request),
        ),
        (
            Req::new("GET", "https://acme.api.example:8443/host/me").origins(&[ACME]),
            Expect::refused(Reason::OriginsNotSet, Check::Request),
        ),
        (
            preflight("https://acme.api.example/host/me", &[ACME]).request_method("GET"),
            Expect::preflight(ACME),
        ),
    ],
)];

/// Rule 32: the app-wide guard trusts a tenant's origins on that tenant's
/// own routes only, where the route's per-tenant policy decides; a route
/// without a `CorsLayer` or attribute refuses them as any other origin.
pub const RULE_32: &[Scenario] = &[Scenario::new(
    "the guard trusts a tenant's origin on its own routes only",
    "tenants",
    &[
        (
            Req::new("PUT", "/t/acme/me").origins(&[ACME]),
            Expect::allowed(ACME).body("acme").runs(1),
        ),
        (
            Req::new("PUT", "/t/globex/me").origins(&[ACME]),
            Expect::refused(Reason::OriginOfAnotherTenant, Check::Request).runs(1),
        ),
        (
            Req::new("POST", "/t/acme/transfer").origins(&[ACME]),
            Expect::refused(Reason::CrossOriginUnsafe, Check::Guard)
                .body("cross-origin request refused: origin not trusted\n")
                .runs(1),
        ),
        (
            Req::new("POST", "/t/acme/transfer"),
            Expect::status(200).body("transferred").runs(2),
        ),
    ],
)];
