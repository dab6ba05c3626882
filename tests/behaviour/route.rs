//! Rules 1–11 of `docs/attribute.md` and `docs/tower.md`: what a route
//! answers, on the fixture `route` (the same routes and policies on both
//! adapters). `.only(..)` marks the scenarios where the adapters differ by
//! design: the frameworks' own answers, and the preflights for a method the
//! route does not serve (the attribute leaves them to actix-web's `404`, the
//! layer refuses them).

use cors_credentials::{Check, Reason, MAX_REQUEST_HEADERS_LEN};
use test_support::{
    driver::{
        Adapter::{Actix, Tower},
        Expect, Req, Scenario, ECHO, PREFLIGHT_VARY,
    },
    headers::{ALLOWED, EVIL, OTHER_ALLOWED},
};

const TEXT: (&str, &str) = ("content-type", "text/plain; charset=utf-8");
const ORIGIN: &[&str] = &["origin"];
const REFUSED: Expect = Expect::refused(Reason::OriginNotAllowed, Check::Request);

const fn get(path: &'static str) -> Req {
    Req::new("GET", path)
}

/// `Access-Control-Request-Headers` lines.
macro_rules! asks {
    ($($line:expr),*) => {
        &[$(("access-control-request-headers", $line)),*]
    };
}

/// Rule 1: an allowed `Origin` gets the credentialed headers.
pub const RULE_1: &[Scenario] = &[
    Scenario::new(
        "allowed origins get credentialed headers",
        "route",
        &[
            (
                get("/me").origins(&[ALLOWED]),
                Expect::allowed(ECHO).headers(&[TEXT]).body("me").runs(1),
            ),
            (
                get("/me").origins(&[OTHER_ALLOWED]),
                Expect::allowed(ECHO).headers(&[TEXT]).body("me").runs(2),
            ),
        ],
    ),
    Scenario::new(
        "actual responses expose the configured headers, to allowed origins only",
        "route",
        &[
            (
                Req::new("PUT", "/items/1").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED)
                    .headers(&[("access-control-expose-headers", "x-request-id, etag")]),
            ),
            (
                Req::new("PUT", "/items/1"),
                Expect::status(200).absent(&["access-control-expose-headers"]),
            ),
            (
                Req::new("DELETE", "/any-headers").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED).absent(&["access-control-expose-headers"]),
            ),
        ],
    ),
];

/// Rule 2: no `Origin`, or a same-origin request: the handler runs, without
/// `Access-Control-Allow-*`, with `Vary: Origin`.
pub const RULE_2: &[Scenario] = &[
    Scenario::new(
        "no Origin runs without CORS headers but varies",
        "route",
        &[(
            get("/me"),
            Expect::status(200).vary(ORIGIN).body("me").runs(1),
        )],
    ),
    Scenario::new(
        "same-origin requests run without CORS headers",
        "route",
        &[
            // Browsers send Origin on same-origin POSTs; the page's own origin is not "cross-origin".
            (
                get("/me").origins(&["http://api.example.com"]),
                Expect::status(200).vary(ORIGIN).runs(1),
            ),
            (
                get("/me")
                    .origins(&["https://www.example.org"])
                    .headers(&[("sec-fetch-site", "same-origin")]),
                Expect::status(200).vary(ORIGIN).runs(2),
            ),
            // Same site is still cross-origin.
            (
                get("/me")
                    .origins(&["https://www.example.org"])
                    .headers(&[("sec-fetch-site", "same-site")]),
                REFUSED.runs(2),
            ),
        ],
    ),
    Scenario::new(
        "a TLS proxy's word or an absolute URI make the scheme https",
        "route",
        &[
            (
                get("/me")
                    .origins(&["https://api.example.com"])
                    .headers(&[("x-forwarded-proto", "https")]),
                Expect::status(200).vary(ORIGIN).runs(1),
            ),
            // An absolute URI (HTTP/2's `:scheme` and `:authority`) says both.
            (
                get("https://api.example.com/me").origins(&["https://api.example.com"]),
                Expect::status(200).vary(ORIGIN).runs(2),
            ),
            // Without the proxy's word the request is plain http: another origin.
            (
                get("/me").origins(&["https://api.example.com"]),
                REFUSED.runs(2),
            ),
        ],
    )
    .only(Tower),
];

/// Rule 3: another `Origin` is refused with `403` before the handler runs,
/// unless `on_disallowed = "pass"`.
pub const RULE_3: &[Scenario] = &[
    Scenario::new(
        "a disallowed origin is refused before the handler",
        "route",
        &[
            (
                get("/me").origins(&[EVIL]),
                REFUSED
                    .vary(ORIGIN)
                    .headers(&[TEXT])
                    .body("CORS request refused: origin not allowed\n")
                    .runs(0),
            ),
            // The count works: an allowed origin reaches the handler.
            (
                get("/me").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED).runs(1),
            ),
        ],
    ),
    Scenario::new(
        "pass mode runs the handler without CORS headers",
        "route",
        &[
            (
                Req::new("POST", "/lenient").origins(&[EVIL]),
                Expect::status(200).vary(ORIGIN).body("ran"),
            ),
            // An allowed origin still gets the headers.
            (
                Req::new("POST", "/lenient").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED),
            ),
        ],
    ),
];

const JSON: &[(&str, &str)] = &[("content-type", "application/json")];
const FORM: &[(&str, &str)] = &[("content-type", "application/x-www-form-urlencoded")];

/// Rule 4: every response of the route is decorated, errors included.
pub const RULE_4: &[Scenario] = &[
    Scenario::new(
        "every response of the route is decorated",
        "route",
        &[
            (
                get("/users/7").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED),
            ),
            (
                get("/fails").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED).with_status(422).body("bad input"),
            ),
            (
                get("/crash").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED).with_status(500),
            ),
        ],
    ),
    Scenario::new(
        "actix-web's own error responses are decorated",
        "route",
        &[
            (
                Req::new("POST", "/json")
                    .origins(&[ALLOWED])
                    .headers(JSON)
                    .body(r#"{"name":"Ada"}"#),
                Expect::allowed(ALLOWED),
            ),
            (
                Req::new("POST", "/json")
                    .origins(&[ALLOWED])
                    .headers(JSON)
                    .body("{not json"),
                Expect::allowed(ALLOWED).with_status(400),
            ),
            (
                get("/users/not-a-number").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED).with_status(404),
            ),
            // An error from the route's own `wrap` middleware.
            (
                get("/guarded").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED).with_status(401),
            ),
        ],
    )
    .only(Actix),
    Scenario::new(
        "axum's own error responses are decorated",
        "route",
        &[
            (
                Req::new("POST", "/form")
                    .origins(&[ALLOWED])
                    .headers(FORM)
                    .body("name=Ada"),
                Expect::allowed(ALLOWED),
            ),
            // axum's own rejection of the extractor.
            (
                Req::new("POST", "/form")
                    .origins(&[ALLOWED])
                    .headers(FORM)
                    .body("surname=Lovelace"),
                Expect::allowed(ALLOWED).with_status(422),
            ),
            (
                get("/users/not-a-number").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED).with_status(400),
            ),
            // The `MethodRouter`'s own answer to a method it does not route.
            (
                Req::new("DELETE", "/me").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED).with_status(405),
            ),
        ],
    )
    .only(Tower),
];

/// Rule 5: the handler's `Vary` is merged, its `Access-Control-Allow-*` replaced.
pub const RULE_5: &[Scenario] = &[
    Scenario::new(
        "the handler's Vary is merged and its Allow headers replaced",
        "route",
        &[
            (
                get("/sets-headers").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED).vary(&["accept-encoding", "origin"]),
            ),
            // Without an allowed origin, the handler's own Allow headers are removed too.
            (
                get("/sets-headers"),
                Expect::status(200).vary(&["accept-encoding", "origin"]),
            ),
        ],
    ),
    Scenario::new(
        "a Vary listing origin or * is kept as it is",
        "route",
        &[
            (
                get("/vary-origin").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED).headers(&[("vary", "origin")]),
            ),
            (
                get("/vary-origin"),
                Expect::status(200).headers(&[("vary", "origin")]),
            ),
            // `Vary: *` already says it all: no `Origin` is added.
            (
                get("/vary-star").origins(&[ALLOWED]),
                Expect::status(200)
                    .headers(&[("access-control-allow-origin", ALLOWED), ("vary", "*")])
                    .status_only(),
            ),
            (
                get("/vary-star"),
                Expect::status(200).headers(&[("vary", "*")]),
            ),
        ],
    )
    .only(Tower),
];

/// Rule 6: origins are compared byte for byte; one `Origin` line only.
pub const RULE_6: &[Scenario] = &[
    Scenario::new(
        "near misses are refused",
        "route",
        &[(
            get("/me").origins(&[
                "null",
                "",
                "https://APP.example.com",
                "HTTPS://app.example.com",
                "https://app.example.com/",
                "https://app.example.com:443",
                "https://app.example.com.",
                "http://app.example.com",
                "https://app.example.com:8443",
                "https://app.example.co",
                "https://app.example.com.evil.net",
                "https://evilapp.example.com",
                "https://app.example.com@evil.net",
                "https://app.example.com\\.evil.net",
                " https://app.example.com",
                "http://localhost:30000",
                "http://localhost",
                "http://127.0.0.1:3000",
            ]),
            REFUSED.runs(0),
        )],
    ),
    Scenario::new(
        "two Origin lines are refused",
        "route",
        &[(
            get("/me")
                .origins(&[ALLOWED])
                .headers(&[("origin", ALLOWED)]),
            Expect::refused(Reason::MultipleOrigins, Check::Request)
                .body("CORS request refused: more than one Origin header\n")
                .runs(0),
        )],
    ),
];

/// Rule 7: an allowed preflight is answered with `204`, before the handler.
pub const RULE_7: &[Scenario] = &[
    Scenario::new(
        "an allowed preflight is answered with 204",
        "route",
        &[
            (
                Req::preflight("/items/42", &[ALLOWED], "PUT")
                    .headers(asks!("content-type,x-request-id")),
                Expect::preflight(ALLOWED)
                    .headers(&[
                        ("access-control-allow-methods", "PUT"),
                        ("access-control-allow-headers", "content-type, x-request-id"),
                        ("access-control-max-age", "600"),
                    ])
                    // Expose-Headers belongs on actual responses only.
                    .absent(&["access-control-expose-headers"])
                    .body("")
                    .runs(0),
            ),
            // The count works: the actual request reaches the handler.
            (
                Req::new("PUT", "/items/42").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED).runs(1),
            ),
        ],
    ),
    Scenario::new(
        "without requested headers no Allow-Headers is sent",
        "route",
        &[(
            Req::preflight("/items/1", &[ALLOWED], "PUT"),
            Expect::preflight(ALLOWED).absent(&["access-control-allow-headers"]),
        )],
    ),
    Scenario::new(
        "the default max age spares preflights",
        "route",
        &[(
            Req::preflight("/any-headers", &[ALLOWED], "DELETE"),
            Expect::preflight(ALLOWED).headers(&[("access-control-max-age", "7200")]),
        )],
    ),
    Scenario::new(
        "the layer's methods are listed once each",
        "route",
        &[
            (
                Req::preflight("/api/me", &[ALLOWED], "GET"),
                Expect::preflight(ALLOWED).headers(&[("access-control-allow-methods", "GET, PUT")]),
            ),
            (
                Req::preflight("/api/me", &[ALLOWED], "PUT"),
                Expect::preflight(ALLOWED).headers(&[("access-control-allow-methods", "GET, PUT")]),
            ),
        ],
    )
    .only(Tower),
];

const LISTED: Expect = Expect::preflight(ALLOWED)
    .headers(&[("access-control-allow-headers", "content-type, x-request-id")]);

/// Rule 8: `Access-Control-Request-Headers` is parsed leniently.
pub const RULE_8: &[Scenario] = &[
    Scenario::new(
        "request headers are parsed leniently",
        "route",
        &[
            (
                Req::preflight("/items/1", &[ALLOWED], "PUT")
                    .headers(asks!("Content-Type, X-Request-ID")),
                LISTED,
            ),
            (
                Req::preflight("/items/1", &[ALLOWED], "PUT")
                    .headers(asks!(" content-type ,, x-request-id ,")),
                LISTED,
            ),
            (
                Req::preflight("/items/1", &[ALLOWED], "PUT")
                    .headers(asks!("content-type", "x-request-id")),
                LISTED,
            ),
            (
                Req::preflight("/items/1", &[ALLOWED], "PUT").headers(asks!("", "x-request-id")),
                LISTED,
            ),
        ],
    ),
    Scenario::new(
        "an omitted headers key lists back what was asked",
        "route",
        &[
            (
                Req::preflight("/any-headers", &[ALLOWED], "DELETE")
                    .headers(asks!("authorization,x-anything")),
                Expect::preflight(ALLOWED)
                    .headers(&[("access-control-allow-headers", "authorization,x-anything")]),
            ),
            // Reshaped by a proxy: listed back in canonical form, never as `*`.
            (
                Req::preflight("/any-headers", &[ALLOWED], "DELETE")
                    .headers(asks!(" authorization , ", "X-Anything")),
                Expect::preflight(ALLOWED)
                    .headers(&[("access-control-allow-headers", "authorization,X-Anything")]),
            ),
        ],
    ),
];

const fn refused_preflight(reason: Reason, text: &'static str) -> Expect {
    Expect::refused(reason, Check::Preflight)
        .vary(&PREFLIGHT_VARY)
        .headers(&[TEXT])
        .body_contains(text)
        .runs(0)
}

const TOO_LONG_BYTES: [u8; MAX_REQUEST_HEADERS_LEN + 1] = [b'x'; MAX_REQUEST_HEADERS_LEN + 1];
const TOO_LONG: &str = match std::str::from_utf8(&TOO_LONG_BYTES) {
    Ok(line) => line,
    Err(_) => panic!("ASCII"),
};

/// Rule 9: a refused preflight gets `403` without CORS headers.
pub const RULE_9: &[Scenario] = &[Scenario::new(
    "refused preflights get 403 without CORS headers",
    "route",
    &[
        (
            Req::preflight("/items/1", &[EVIL, "null", ""], "PUT"),
            refused_preflight(Reason::OriginNotAllowed, "origin not allowed"),
        ),
        (
            Req::preflight("/items/1", &[ALLOWED], "PUT").headers(&[("origin", ALLOWED)]),
            refused_preflight(Reason::MultipleOrigins, "more than one Origin header"),
        ),
        (
            Req::preflight("/items/1", &[ALLOWED], "PUT").headers(asks!("authorization")),
            refused_preflight(Reason::HeaderNotAllowed, "request header not allowed"),
        ),
        (
            Req::preflight("/items/1", &[ALLOWED], "PUT").headers(asks!("content-type,x-other")),
            refused_preflight(Reason::HeaderNotAllowed, "request header not allowed"),
        ),
        (
            Req::preflight("/items/1", &[ALLOWED], "PUT").headers(asks!("bad header")),
            refused_preflight(
                Reason::MalformedRequestHeaders,
                "malformed Access-Control-Request-Headers",
            ),
        ),
        (
            Req::preflight("/any-headers", &[ALLOWED], "DELETE").headers(asks!(TOO_LONG)),
            refused_preflight(
                Reason::RequestHeadersTooLarge,
                "Access-Control-Request-Headers too large",
            ),
        ),
    ],
)];

const NOT_SERVED: Expect =
    Expect::refused(Reason::MethodNotAllowed, Check::Preflight).vary(&PREFLIGHT_VARY);

/// Rule 10: only the route's own methods are answered, case-sensitively.
pub const RULE_10: &[Scenario] = &[
    Scenario::new(
        "a served method is answered in its own case",
        "route",
        &[(
            Req::preflight("/patch", &[ALLOWED], "PATCH"),
            Expect::preflight(ALLOWED).headers(&[("access-control-allow-methods", "PATCH")]),
        )],
    ),
    Scenario::new(
        "the attribute leaves other methods to the resource's 404",
        "route",
        &[
            (
                Req::preflight("/items/1", &[ALLOWED], "GET"),
                Expect::status(404),
            ),
            (
                Req::preflight("/items/1", &[ALLOWED], "POST"),
                Expect::status(404),
            ),
            (
                Req::preflight("/items/1", &[ALLOWED], "put"),
                Expect::status(404),
            ),
            (
                Req::preflight("/items/1", &[ALLOWED], "DELETE"),
                Expect::status(404),
            ),
            // `patch` is not `PATCH`: browsers only upper-case the six standard methods.
            (
                Req::preflight("/patch", &[ALLOWED], "patch"),
                Expect::status(404),
            ),
        ],
    )
    .only(Actix),
    Scenario::new(
        "the layer refuses other methods",
        "route",
        &[
            (Req::preflight("/items/1", &[ALLOWED], "GET"), NOT_SERVED),
            (Req::preflight("/items/1", &[ALLOWED], "POST"), NOT_SERVED),
            (Req::preflight("/items/1", &[ALLOWED], "put"), NOT_SERVED),
            (Req::preflight("/items/1", &[ALLOWED], "DELETE"), NOT_SERVED),
            (Req::preflight("/items/1", &[ALLOWED], ""), NOT_SERVED),
            (Req::preflight("/patch", &[ALLOWED], "patch"), NOT_SERVED),
            // Two `Access-Control-Request-Method` lines: no browser sends that.
            (
                Req::preflight("/patch", &[ALLOWED], "PATCH")
                    .headers(&[("access-control-request-method", "PATCH")]),
                NOT_SERVED,
            ),
        ],
    )
    .only(Tower),
    Scenario::new(
        "handlers on one path answer with their own policy",
        "route",
        &[
            // POST from A must fail: A is only allowed on GET.
            (
                Req::preflight("/shared", &["https://a.example.com"], "POST"),
                Expect::refused(Reason::OriginNotAllowed, Check::Preflight),
            ),
            (
                Req::preflight("/shared", &["https://b.example.com"], "POST"),
                Expect::preflight(ECHO).headers(&[("access-control-allow-methods", "POST")]),
            ),
            (
                Req::preflight("/shared", &["https://a.example.com"], "GET"),
                Expect::preflight(ECHO).headers(&[("access-control-allow-methods", "GET")]),
            ),
            (
                Req::preflight("/shared", &["https://b.example.com"], "GET"),
                Expect::refused(Reason::OriginNotAllowed, Check::Preflight),
            ),
            // The actual requests follow the same split.
            (
                Req::new("POST", "/shared").origins(&["https://a.example.com"]),
                Expect::refused(Reason::OriginNotAllowed, Check::Request),
            ),
            (
                Req::new("POST", "/shared").origins(&["https://b.example.com"]),
                Expect::allowed(ECHO),
            ),
        ],
    )
    .only(Actix),
];

/// Rule 11: `OPTIONS` without `Origin` or without
/// `Access-Control-Request-Method` is no preflight.
pub const RULE_11: &[Scenario] = &[
    Scenario::new(
        "the resource answers an OPTIONS that is no preflight",
        "route",
        &[
            (
                Req::new("OPTIONS", "/items/1").origins(&[ALLOWED]),
                Expect::status(404),
            ),
            (
                Req::new("OPTIONS", "/items/1").request_method("PUT"),
                Expect::status(404),
            ),
        ],
    )
    .only(Actix),
    Scenario::new(
        "the route's options handler serves an OPTIONS that is no preflight",
        "route",
        &[
            // Decorated as any actual request.
            (
                Req::new("OPTIONS", "/items/1").origins(&[ALLOWED]),
                Expect::allowed(ALLOWED).body("options").runs(1),
            ),
            (
                Req::new("OPTIONS", "/items/1").request_method("PUT"),
                Expect::status(200).vary(ORIGIN).runs(2),
            ),
        ],
    )
    .only(Tower),
];
