//! Rules 12–21 of `docs/guard.md`: the app-wide guard (`CrossOriginGuard`,
//! `CrossOriginGuardLayer`), on `/transfer`, which no policy covers, and on
//! routes with a policy behind it.
//!
//! What the guard trusts by default are the policies of this binary's
//! annotated handlers and built `CorsLayer`s: `https://app.example.com`,
//! `https://*.partners.example.com` and the origins of `route.rs`. An origin
//! a scenario expects refused is allowed by none of them.

use cors_credentials::{Check, Reason};
use test_support::{
    driver::{Expect, Req, Scenario, ECHO},
    headers::{ALLOWED, EVIL},
};

const ORIGIN: &[&str] = &["origin"];
const TEXT: (&str, &str) = ("content-type", "text/plain; charset=utf-8");

/// The guard's refusal.
const UNTRUSTED: Expect = Expect::refused(Reason::CrossOriginUnsafe, Check::Guard)
    .headers(&[TEXT])
    .vary(ORIGIN)
    .body("cross-origin request refused: origin not trusted\n");

const CROSS_SITE: &[(&str, &str)] = &[("sec-fetch-site", "cross-site")];

/// A cross-site request from `origins`, as a browser sends it.
const fn cross_site(
    method: &'static str,
    path: &'static str,
    origins: &'static [&'static str],
) -> Req {
    Req::new(method, path).origins(origins).headers(CROSS_SITE)
}

const fn post(path: &'static str) -> Req {
    Req::new("POST", path)
}

const PARTNER: &str = "https://eu.partners.example.com";

/// Rule 12: safe methods always pass.
pub const RULE_12: &[Scenario] = &[Scenario::new(
    "safe methods always pass",
    "guard",
    &[
        (
            cross_site("GET", "/transfer", &[EVIL]),
            Expect::status(200).runs(1),
        ),
        (
            cross_site("HEAD", "/transfer", &[EVIL]),
            Expect::status(200).runs(2),
        ),
        (
            cross_site("OPTIONS", "/transfer", &[EVIL]),
            Expect::status(200).runs(3),
        ),
    ],
)];

/// Rule 13: an unsafe method from an origin no policy trusts is refused
/// before the handler, whatever Fetch Metadata says.
pub const RULE_13: &[Scenario] = &[Scenario::new(
    "unsafe methods from an untrusted origin are refused",
    "guard",
    &[
        (cross_site("POST", "/transfer", &[EVIL]), UNTRUSTED),
        (cross_site("PUT", "/transfer", &[EVIL]), UNTRUSTED),
        (cross_site("PATCH", "/transfer", &[EVIL]), UNTRUSTED),
        (cross_site("DELETE", "/transfer", &[EVIL]), UNTRUSTED),
        // Fetch Metadata is not what refuses it: the untrusted origin is.
        (post("/transfer").origins(&[EVIL]), UNTRUSTED),
        (Req::new("PUT", "/transfer").origins(&[EVIL]), UNTRUSTED),
        (Req::new("PATCH", "/transfer").origins(&[EVIL]), UNTRUSTED),
        (Req::new("DELETE", "/transfer").origins(&[EVIL]), UNTRUSTED),
        // Another site of the same registrable domain is still another origin.
        (
            post("/transfer")
                .origins(&["https://www.example.com"])
                .headers(&[("sec-fetch-site", "same-site")]),
            UNTRUSTED.runs(0),
        ),
    ],
)];

/// Rule 14: `Sec-Fetch-Site: same-origin` or `none`, or neither Fetch
/// Metadata nor `Origin`, passes.
pub const RULE_14: &[Scenario] = &[Scenario::new(
    "same-origin or none Fetch Metadata passes, and so does a request without either",
    "guard",
    &[
        (
            post("/transfer").headers(&[("sec-fetch-site", "same-origin")]),
            Expect::status(200).runs(1),
        ),
        (
            post("/transfer").headers(&[("sec-fetch-site", "none")]),
            Expect::status(200).runs(2),
        ),
        // Even with an origin no policy trusts: the browser says it is the site's own.
        (
            post("/transfer")
                .origins(&[EVIL])
                .headers(&[("sec-fetch-site", "same-origin")]),
            Expect::status(200).runs(3),
        ),
        (
            post("/transfer"),
            Expect::status(200).body("transferred").runs(4),
        ),
    ],
)];

/// Rule 15: cross-site or same-site Fetch Metadata without `Origin` is refused.
pub const RULE_15: &[Scenario] = &[Scenario::new(
    "cross-site Fetch Metadata without Origin is refused",
    "guard",
    &[
        (post("/transfer").headers(CROSS_SITE), UNTRUSTED),
        (
            post("/transfer").headers(&[("sec-fetch-site", "same-site")]),
            UNTRUSTED.runs(0),
        ),
    ],
)];

/// Rule 16: the request's own origin passes; the same host under another
/// scheme or port is another origin.
pub const RULE_16: &[Scenario] = &[Scenario::new(
    "the request's own origin passes",
    "guard",
    &[
        // A browser without Fetch Metadata posting a form of the site itself.
        (
            post("/transfer").origins(&["http://api.example.com"]),
            Expect::status(200).runs(1),
        ),
        // Behind a TLS-terminating proxy.
        (
            post("/transfer")
                .origins(&["https://api.example.com"])
                .headers(&[("x-forwarded-proto", "https")]),
            Expect::status(200).runs(2),
        ),
        (
            post("/transfer").origins(&["https://api.example.com", "http://api.example.com:8080"]),
            UNTRUSTED.runs(2),
        ),
    ],
)];

/// Rule 17: the origins of every policy in use are trusted on every route;
/// the guard adds no CORS header.
pub const RULE_17: &[Scenario] = &[Scenario::new(
    "the origins of the routes' policies are trusted on every route",
    "guard",
    &[
        (
            cross_site("POST", "/transfer", &[ALLOWED]),
            Expect::status(200).runs(1),
        ),
        (
            cross_site("POST", "/transfer", &[PARTNER]),
            Expect::status(200).runs(2),
        ),
        // The pattern's own apex and look-alikes are not trusted.
        (
            cross_site(
                "POST",
                "/transfer",
                &[
                    "https://partners.example.com",
                    "https://app.example.com.evil.net",
                    "http://app.example.com",
                    "null",
                ],
            ),
            UNTRUSTED.runs(2),
        ),
    ],
)];

const IDP: &[&str] = &["https://login.idp.example.org"];

/// Rule 18: `trust(..)` adds origins, `exempt(..)` paths pass.
pub const RULE_18: &[Scenario] = &[
    Scenario::new(
        "a policy the guard does not trust is not trusted",
        "guard",
        &[(
            cross_site("POST", "/oauth/callback", IDP),
            UNTRUSTED.runs(0),
        )],
    ),
    Scenario::new(
        "trusted policies add origins",
        "guard trusting the identity provider",
        &[
            (
                cross_site("POST", "/oauth/callback", IDP),
                Expect::status(200).runs(1),
            ),
            // Besides, not instead of, the routes' origins.
            (
                cross_site("POST", "/transfer", &[ALLOWED]),
                Expect::status(200).runs(2),
            ),
        ],
    ),
    Scenario::new(
        "exempt paths pass",
        "guard exempting callbacks",
        &[
            (
                cross_site("POST", "/oauth/callback", &[EVIL]),
                Expect::status(200).runs(1),
            ),
            (
                cross_site("POST", "/hooks/github", &[EVIL]),
                Expect::status(200).runs(2),
            ),
            (cross_site("POST", "/transfer", &[EVIL]), UNTRUSTED.runs(2)),
        ],
    ),
];

/// Rule 19: more than one `Origin` line is refused.
pub const RULE_19: &[Scenario] = &[Scenario::new(
    "more than one Origin is refused",
    "guard",
    &[(
        cross_site("POST", "/transfer", &[ALLOWED])
            .headers(&[("sec-fetch-site", "cross-site"), ("origin", ALLOWED)]),
        Expect::refused(Reason::MultipleOrigins, Check::Guard)
            .vary(ORIGIN)
            .runs(0),
    )],
)];

const ROUTE_REFUSAL: &str = "CORS request refused: origin not allowed\n";

/// Rule 20: behind the guard, a route with a policy decides as without it:
/// its own origins, reasons and preflights.
pub const RULE_20: &[Scenario] = &[Scenario::new(
    "routes with a policy decide exactly behind the guard",
    "guard",
    &[
        // The route's own origin: allowed, with the route's CORS headers.
        (
            cross_site("POST", "/profile", &[ALLOWED]),
            Expect::allowed(ALLOWED).runs(1),
        ),
        // Trusted app-wide (another route allows it), not by this route: the
        // route refuses it with its own reason.
        (
            cross_site("POST", "/profile", &[PARTNER]),
            Expect::refused(Reason::OriginNotAllowed, Check::Request).body(ROUTE_REFUSAL),
        ),
        // `on_disallowed = "pass"`: a trusted origin the route does not allow
        // runs it without CORS headers; an untrusted one stops at the guard.
        (
            cross_site("POST", "/partners/report", &[ALLOWED]),
            Expect::status(200).runs(2),
        ),
        (cross_site("POST", "/partners/report", &[EVIL]), UNTRUSTED),
        // Preflights are the route's to answer.
        (
            cross_site("OPTIONS", "/profile", &[ALLOWED]).request_method("POST"),
            Expect::status(204).allow(ECHO),
        ),
        (
            cross_site("OPTIONS", "/profile", &[EVIL]).request_method("POST"),
            Expect::refused(Reason::OriginNotAllowed, Check::Preflight)
                .body(ROUTE_REFUSAL)
                .runs(2),
        ),
    ],
)];

/// Rule 21: the responses the guard lets through are untouched.
pub const RULE_21: &[Scenario] = &[Scenario::new(
    "passed responses are untouched",
    "guard around a plain route",
    &[(
        cross_site("POST", "/plain", &[ALLOWED]),
        Expect::status(200).headers(&[("vary", "Accept")]),
    )],
)];
