//! Rules 12–26 of `docs/guard.md`: the app-wide guard (`CrossOriginGuard`,
//! `CrossOriginGuardLayer`), on `/transfer`, which no policy covers, and on
//! routes with a policy behind it.
//!
//! The guard trusts no origin app-wide unless given `.trust(..)`: the
//! routes' origins (`https://app.example.com` on `/profile`,
//! `https://*.partners.example.com` on `/partners/report`) are admitted on
//! their own routes only.

use cors_credentials::{Check, Reason};
use test_support::driver::Adapter;
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

/// Rule 17: an origin a route's policy allows is admitted on that route,
/// for its methods, and nowhere else; the guard adds no CORS header.
pub const RULE_17: &[Scenario] = &[Scenario::new(
    "a route's origins are admitted on that route only",
    "guard",
    &[
        // Allowed to write `/profile`, not `/transfer`.
        (
            cross_site("POST", "/profile", &[ALLOWED]),
            Expect::allowed(ALLOWED).runs(1),
        ),
        (
            cross_site("POST", "/transfer", &[ALLOWED]),
            UNTRUSTED.runs(1),
        ),
        (
            cross_site("DELETE", "/transfer", &[ALLOWED]),
            UNTRUSTED.runs(1),
        ),
        // A pattern's subdomains are admitted on the pattern's route only.
        (
            cross_site("POST", "/transfer", &[PARTNER]),
            UNTRUSTED.runs(1),
        ),
        // Look-alikes are admitted nowhere.
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
            UNTRUSTED.runs(1),
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
            // Besides, not instead of, the routes' own origins.
            (
                cross_site("POST", "/profile", &[ALLOWED]),
                Expect::allowed(ALLOWED).runs(2),
            ),
            // On every route, for every method.
            (
                cross_site("DELETE", "/transfer", IDP),
                Expect::status(200).runs(3),
            ),
            // A route's origin is still not trusted app-wide.
            (
                cross_site("POST", "/transfer", &[ALLOWED]),
                UNTRUSTED.runs(3),
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
/// its own origins, reasons and preflights; an `on_disallowed = "pass"`
/// route runs only for the origins it admits.
pub const RULE_20: &[Scenario] = &[
    Scenario::new(
        "routes with a policy decide exactly behind the guard",
        "guard",
        &[
            // The route's own origin: allowed, with the route's CORS headers.
            (
                cross_site("POST", "/profile", &[ALLOWED]),
                Expect::allowed(ALLOWED).runs(1),
            ),
            // Any other origin: the route refuses it, with its own reason.
            (
                cross_site("POST", "/profile", &[PARTNER]),
                Expect::refused(Reason::OriginNotAllowed, Check::Request).body(ROUTE_REFUSAL),
            ),
            // `on_disallowed = "pass"`: an origin the route does not admit
            // stops at the guard.
            (
                cross_site("POST", "/partners/report", &[ALLOWED]),
                UNTRUSTED.runs(1),
            ),
            (
                cross_site("POST", "/partners/report", &[EVIL]),
                UNTRUSTED.runs(1),
            ),
            // Preflights are the route's to answer.
            (
                cross_site("OPTIONS", "/profile", &[ALLOWED]).request_method("POST"),
                Expect::status(204).allow(ECHO),
            ),
            (
                cross_site("OPTIONS", "/profile", &[EVIL]).request_method("POST"),
                Expect::refused(Reason::OriginNotAllowed, Check::Preflight)
                    .body(ROUTE_REFUSAL)
                    .runs(1),
            ),
        ],
    ),
    // actix-web: the guard finds the route's policy by the resource's name.
    Scenario::new(
        "a pass route's own origins are admitted",
        "guard",
        &[(
            cross_site("POST", "/partners/report", &[PARTNER]),
            Expect::allowed(PARTNER).runs(1),
        )],
    )
    .only(Adapter::Actix),
    // tower: the guard cannot see the route; a route it wraps admits
    // nothing it does not trust.
    Scenario::new(
        "a route the tower guard wraps admits only trusted origins",
        "guard",
        &[(
            cross_site("POST", "/partners/report", &[PARTNER]),
            UNTRUSTED.runs(0),
        )],
    )
    .only(Adapter::Tower),
];

/// Rule 21: the responses the guard lets through are untouched.
pub const RULE_21: &[Scenario] = &[Scenario::new(
    "passed responses are untouched",
    "guard around a plain route",
    &[(
        post("/plain")
            .origins(&[ALLOWED])
            .headers(&[("sec-fetch-site", "same-origin")]),
        Expect::status(200).headers(&[("vary", "Accept")]),
    )],
)];

/// Rule 22: `Sec-Fetch-Site` decides whenever present: anything but
/// `same-origin` or `none` (`same-site`, `cross-site`, an empty or unknown
/// value, more than one line) is cross-origin, even with the request's own
/// `Origin`. Without it, an empty `Origin` is cross-origin.
pub const RULE_22: &[Scenario] = &[Scenario::new(
    "Sec-Fetch-Site decides whenever present",
    "guard",
    &[
        (
            post("/transfer")
                .origins(&["http://api.example.com"])
                .headers(&[("sec-fetch-site", "cross-site")]),
            UNTRUSTED.runs(0),
        ),
        (
            post("/transfer")
                .origins(&["http://api.example.com"])
                .headers(&[("sec-fetch-site", "same-site")]),
            UNTRUSTED.runs(0),
        ),
        (
            post("/transfer")
                .origins(&["http://api.example.com"])
                .headers(&[("sec-fetch-site", "")]),
            UNTRUSTED.runs(0),
        ),
        (
            post("/transfer")
                .origins(&["http://api.example.com"])
                .headers(&[
                    ("sec-fetch-site", "same-origin"),
                    ("sec-fetch-site", "same-origin"),
                ]),
            UNTRUSTED.runs(0),
        ),
        (post("/transfer").origins(&[""]), UNTRUSTED.runs(0)),
        // The same request without Fetch Metadata is the site's own.
        (
            post("/transfer").origins(&["http://api.example.com"]),
            Expect::status(200).runs(1),
        ),
    ],
)];

/// Rule 23: an exempt prefix never covers a path a normaliser could
/// rewrite: `.` or `..` segments (raw or percent-encoded, any case), an
/// encoded `/`, an empty segment.
pub const RULE_23: &[Scenario] = &[Scenario::new(
    "exempt paths never cover ambiguous paths",
    "guard exempting callbacks",
    &[
        (
            cross_site("POST", "/hooks/../transfer", &[EVIL]),
            UNTRUSTED.runs(0),
        ),
        (
            cross_site("POST", "/hooks/%2e%2e/transfer", &[EVIL]),
            UNTRUSTED.runs(0),
        ),
        (
            cross_site("POST", "/hooks/%2E./transfer", &[EVIL]),
            UNTRUSTED.runs(0),
        ),
        (
            cross_site("POST", "/hooks/./transfer", &[EVIL]),
            UNTRUSTED.runs(0),
        ),
        (
            cross_site("POST", "/hooks/a%2Ftransfer", &[EVIL]),
            UNTRUSTED.runs(0),
        ),
        (
            cross_site("POST", "/hooks//transfer", &[EVIL]),
            UNTRUSTED.runs(0),
        ),
        (
            cross_site("POST", "/hooks/github", &[EVIL]),
            Expect::status(200).runs(1),
        ),
    ],
)];

/// Rule 24: the scheme comes from TLS, `X-Forwarded-Proto`, the first
/// element of `Forwarded` (`proto=`, any case, quoted or not), or the
/// guard's `https()`; proxies that disagree leave it unknown.
pub const RULE_24: &[Scenario] = &[
    Scenario::new(
        "Forwarded proto sets the scheme",
        "guard",
        &[
            (
                post("/transfer")
                    .origins(&["https://api.example.com"])
                    .headers(&[("forwarded", "for=192.0.2.1;Proto=\"HTTPS\"")]),
                Expect::status(200).runs(1),
            ),
            (
                post("/transfer")
                    .origins(&["https://api.example.com"])
                    .headers(&[("forwarded", "proto=http, proto=https")]),
                UNTRUSTED.runs(1),
            ),
            (
                post("/transfer")
                    .origins(&["https://api.example.com"])
                    .headers(&[("forwarded", "proto=https"), ("x-forwarded-proto", "http")]),
                UNTRUSTED.runs(1),
            ),
        ],
    ),
    Scenario::new(
        "a guard told the app is served over https",
        "guard served over https",
        &[
            (
                post("/transfer").origins(&["https://api.example.com"]),
                Expect::status(200).runs(1),
            ),
            (
                post("/transfer").origins(&["http://api.example.com"]),
                UNTRUSTED.runs(1),
            ),
            // It lets no other origin in.
            (cross_site("POST", "/transfer", &[EVIL]), UNTRUSTED.runs(1)),
        ],
    ),
];

/// Rule 25: `report_only()` serves every request; what it would refuse is
/// reported, and the response carries the `Refused`, not enforced.
pub const RULE_25: &[Scenario] = &[Scenario::new(
    "a report-only guard serves and reports",
    "guard reporting only",
    &[
        (
            cross_site("POST", "/transfer", &[EVIL]),
            Expect::reported(200, Reason::CrossOriginUnsafe, Check::Guard)
                .body("transferred")
                .runs(1),
        ),
        (
            cross_site("POST", "/transfer", &[ALLOWED]).headers(&[("origin", EVIL)]),
            Expect::reported(200, Reason::MultipleOrigins, Check::Guard).runs(2),
        ),
        // What it would pass carries nothing.
        (
            post("/transfer").headers(&[("sec-fetch-site", "same-origin")]),
            Expect::status(200).runs(3),
        ),
    ],
)];

/// Rule 26: `refuse_with(..)` chooses the refusal's response; it still
/// carries the `Refused` and `Vary: Origin`, and the handler does not run.
pub const RULE_26: &[Scenario] = &[Scenario::new(
    "the refusal's response is chosen",
    "guard with its own refusal",
    &[(
        cross_site("POST", "/transfer", &[EVIL]),
        Expect::refused(Reason::CrossOriginUnsafe, Check::Guard)
            .with_status(400)
            .vary(ORIGIN)
            .body("cross_origin_unsafe")
            .runs(0),
    )],
)];
