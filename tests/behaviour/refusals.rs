//! Every response the crate refuses carries `cors_credentials::Refused` in
//! its extensions, with the reason and the check that refused it; the
//! responses of routes that ran carry none (`docs/crate.md`, "Refusals").

use cors_credentials::{Check, Reason};
use test_support::{
    driver::{Adapter::Tower, Expect, Req, Scenario},
    headers::{ALLOWED, EVIL},
};

const fn preflight(path: &'static str, origin: &'static [&'static str]) -> Req {
    Req::new("OPTIONS", path)
        .origins(origin)
        .request_method("PUT")
}

const fn asks(line: &'static [(&'static str, &'static str)]) -> Req {
    preflight("/items", &[ALLOWED]).headers(line)
}

const TOO_LONG_BYTES: [u8; cors_credentials::MAX_REQUEST_HEADERS_LEN + 1] =
    [b'x'; cors_credentials::MAX_REQUEST_HEADERS_LEN + 1];

/// The reason and check of each refusal.
pub const REFUSALS: &[Scenario] = &[
    Scenario::new(
        "each refusal carries its reason and check",
        "refusals",
        &[
            // A safe method: the guard lets it reach the route.
            (
                Req::new("GET", "/reads").origins(&[EVIL]),
                Expect::refused(Reason::OriginNotAllowed, Check::Request),
            ),
            (
                Req::new("GET", "/reads")
                    .origins(&[ALLOWED])
                    .headers(&[("origin", ALLOWED)]),
                Expect::refused(Reason::MultipleOrigins, Check::Request),
            ),
            // The guard trusts the origin (`/items` allows it): the route decides.
            (
                Req::new("PUT", "/tenants").origins(&[ALLOWED]),
                Expect::refused(Reason::OriginsNotSet, Check::Request),
            ),
            (
                preflight("/items", &[EVIL]),
                Expect::refused(Reason::OriginNotAllowed, Check::Preflight),
            ),
            (
                preflight("/items", &[ALLOWED]).headers(&[("origin", ALLOWED)]),
                Expect::refused(Reason::MultipleOrigins, Check::Preflight),
            ),
            (
                preflight("/tenants", &[ALLOWED]),
                Expect::refused(Reason::OriginsNotSet, Check::Preflight),
            ),
            (
                Req::new("OPTIONS", "/reads")
                    .origins(&[ALLOWED])
                    .request_method("DELETE"),
                Expect::refused(Reason::MethodNotAllowed, Check::Preflight),
            ),
            (
                asks(&[("access-control-request-headers", "content-type,x-debug")]),
                Expect::refused(Reason::HeaderNotAllowed, Check::Preflight),
            ),
            (
                asks(&[("access-control-request-headers", "content type")]),
                Expect::refused(Reason::MalformedRequestHeaders, Check::Preflight),
            ),
            (
                preflight("/items", &[ALLOWED])
                    .raw_headers(&[("access-control-request-headers", &TOO_LONG_BYTES)]),
                Expect::refused(Reason::RequestHeadersTooLarge, Check::Preflight),
            ),
            (
                Req::new("POST", "/form")
                    .origins(&[EVIL])
                    .headers(&[("sec-fetch-site", "cross-site")]),
                Expect::refused(Reason::CrossOriginUnsafe, Check::Guard),
            ),
            (
                Req::new("POST", "/form")
                    .origins(&[ALLOWED])
                    .headers(&[("origin", EVIL)]),
                Expect::refused(Reason::MultipleOrigins, Check::Guard),
            ),
        ],
    ),
    Scenario::new(
        "responses of routes that ran carry none",
        "refusals",
        &[
            (
                Req::new("PUT", "/items").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED),
            ),
            (
                preflight("/items", &[ALLOWED]),
                Expect::status(204).allow(ALLOWED),
            ),
            (Req::new("POST", "/form"), Expect::status(200)),
        ],
    ),
    Scenario::new(
        "an error of the route that ran is its own, not a refusal",
        "refusals",
        &[(
            Req::new("DELETE", "/items").origins(&[ALLOWED]),
            Expect::allowed(ALLOWED).with_status(405),
        )],
    )
    .only(Tower),
];

#[test]
fn labels_are_distinct_and_documented_in_one_table() {
    let docs = include_str!("../../cors-credentials/docs/crate.md");
    let mut labels: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
    for reason in Reason::ALL {
        assert_eq!(reason.to_string(), reason.as_str());
        assert!(
            docs.contains(&format!("| `{reason}` |")),
            "`{reason}` is missing from the table in docs/crate.md"
        );
    }
    labels.sort_unstable();
    labels.dedup();
    assert_eq!(labels.len(), Reason::ALL.len());
    for check in [Check::Request, Check::Preflight, Check::Guard] {
        assert!(docs.contains(&format!("`{check}`")), "{check}");
    }
}
