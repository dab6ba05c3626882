//! The forms of `origins` on both adapters: subdomain and loopback-port
//! patterns (fixture `patterns`).

use cors_credentials::{Check, Reason};
use test_support::driver::{Expect, Req, Scenario, ECHO};

const REFUSED: Expect = Expect::refused(Reason::OriginNotAllowed, Check::Request);

/// Subdomain and loopback-port wildcards.
pub const PATTERNS: &[Scenario] = &[
    Scenario::new(
        "a subdomain pattern matches any depth and echoes the origin",
        "patterns",
        &[(
            Req::new("GET", "/subdomains").origins(&[
                "https://pr-42.preview.example.com",
                "https://a.b.preview.example.com",
                "https://xn--bcher-kva.preview.example.com",
                "https://app.example.com",
            ]),
            Expect::allowed(ECHO),
        )],
    ),
    Scenario::new(
        "a subdomain pattern's near misses are refused",
        "patterns",
        &[(
            Req::new("GET", "/subdomains").origins(&[
                "https://preview.example.com",
                "https://.preview.example.com",
                "https://xpreview.example.com",
                "https://evilpreview.example.com",
                "https://preview.example.com.evil.net",
                "https://a.preview.example.com.evil.net",
                "https://a.preview.example.com:8443",
                "http://a.preview.example.com",
                "https://A.preview.example.com",
                "https://a_b.preview.example.com",
                "https://a`b.preview.example.com",
                "https://a}b.preview.example.com",
                "https://a%60b.preview.example.com",
                "https://evil.net@a.preview.example.com",
                "https://a..preview.example.com",
                "https://a.preview.example.com.",
                "https://a.preview.example.com/",
                "null",
            ]),
            REFUSED,
        )],
    ),
    Scenario::new(
        "a port pattern matches any port on loopback",
        "patterns",
        &[
            (
                Req::new("PUT", "/dev").origins(LOOPBACK),
                Expect::allowed(ECHO),
            ),
            (
                Req::new("OPTIONS", "/dev")
                    .origins(LOOPBACK)
                    .request_method("PUT")
                    .headers(&[("access-control-request-headers", "content-type")]),
                Expect::preflight(ECHO),
            ),
            (
                Req::new("PUT", "/dev").origins(&[
                    "http://localhost",
                    "http://localhost:",
                    "http://localhost:0",
                    "http://localhost:03000",
                    "http://localhost:65536",
                    "http://localhost.evil.net:3000",
                    "https://localhost:3000",
                    "http://127.0.0.2:3000",
                    "http://localhost:3000/",
                ]),
                REFUSED,
            ),
        ],
    ),
];

const LOOPBACK: &[&str] = &[
    "http://localhost:3000",
    "http://localhost:5173",
    "http://127.0.0.1:8080",
    "http://[::1]:65535",
];
