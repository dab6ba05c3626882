//! The examples in real browsers: Chromium, Firefox and WebKit, each driven
//! through its WebDriver server by fantoccini (`test_support::browser` starts
//! them), against the examples' own servers and pages: the two-origin demo
//! (`examples/demo`, servers and page) with `fetch` and
//! `XMLHttpRequest`, and the real-time example (`examples/realtime`, servers
//! and page) with `WebSocket` and `EventSource`; the demo's
//! scenarios of CORS and the guard run again against the same flow in axum
//! (`examples/axum`, `mod axum` below). Each scenario is
//! one test per engine (`scenario::chromium`, `::firefox`, `::webkit`), so a
//! failure names the engine.
//!
//! Ports. The APIs' handlers allow `http://localhost:3000` and
//! `http://127.0.0.1:3000`, literals compiled into their attributes. The tests
//! still run every server on a free port chosen at run time, so they never
//! collide with a running demo or with each other: the browser is launched
//! with routes from `localhost:3000` and `127.0.0.1:3000` to the page server's
//! real port (Chromium's `--host-resolver-rules`; a loopback forward proxy for
//! Firefox and WebKit). The page's origin, which the browser checks and sends
//! in `Origin`, stays `http://localhost:3000`; only the TCP connection goes
//! elsewhere, which CORS never sees. The API and the not-allowed page are
//! reached on their real ports.
//!
//! HTTPS. `mod https` runs the demo's scenarios again over https (the API
//! and the pages with a certificate for `localhost` and `127.0.0.1` made by
//! the test, `cors_credentials_examples::tls`), where the session cookie is
//! `SameSite=Lax; Secure` and every engine keeps it, WebKit included; the
//! browsers accept the certificate through WebDriver's `acceptInsecureCerts`.
//! `mod cookie_table` (`tests/browser/cookie_table.rs`) measures the table of
//! `cors-credentials/docs/cookies.md` over https.
//!
//! Tenants. `mod tenants` (`tests/browser/tenants.rs`) gives two tenants of
//! one API their origins at run time, in one `origins: per_tenant` policy as
//! the `tenants_postgres` example does, and checks in the three engines that
//! one tenant's page neither reads nor changes another tenant's data with
//! that tenant's session: the policy refuses it as another tenant's origin.
//!
//! Browser settings. No CORS or security setting is changed. Chromium and
//! Firefox count `http://localhost` as a secure context, so the API on
//! `http://localhost` sets its `SameSite=None; Secure` cookie without TLS and
//! no setting is needed for that. WebKitGTK counts it as a secure context too,
//! but drops that cookie, so over http the scenarios that need a session run
//! in Chromium and Firefox only (see `in_engines!` below); over https they run
//! in all three. The one setting the
//! tests change is the third-party cookie setting (Chromium's
//! `profile.cookie_controls_mode`, Firefox's `network.cookie.cookieBehavior`,
//! MiniBrowser's `--cookies-policy`), and they set it explicitly either way:
//! - a page on `http://127.0.0.1:3000` calling `http://localhost:<port>` is
//!   cross-site, so the session cookie is a third-party cookie there. Browsers
//!   that block those (a fresh profile of Debian's Chromium, Safari, Chrome in
//!   Incognito) neither store nor send it, and then no attribute helps: the
//!   cross-site test allows third-party cookies, which is what shows that
//!   `SameSite=None; Secure` is what the API must send, and another test
//!   shows the cookie is neither stored nor sent while they are blocked;
//! - every other test blocks third-party cookies: `localhost:3000` calling
//!   `localhost:<port>` is same-site (ports do not count), so its cookie is
//!   first-party and works with the strictest setting.
//!
//! Without an engine's browser or WebDriver server its tests print "skipped:
//! ENGINE not found" and pass, unless `CORS_CREDENTIALS_REQUIRE_BROWSER=1`
//! (as in CI), which makes them fail instead. Nothing here downloads a
//! browser or a driver.

#[path = "browser/cookie_table.rs"]
mod cookie_table;

use std::{
    future::Future,
    net::{Ipv4Addr, SocketAddr},
    rc::Rc,
    time::{Duration, Instant},
};

use actix_web::{rt::time::timeout, web};
use cors_credentials_examples::{
    demo::{self, api::ALLOWED_ORIGINS, Store},
    realtime::{self, Hub},
    tls::Tls,
};
use serde_json::{json, Value};
use test_support::{
    browser::{self, loopback_listener, port, Browser, Client, Engine, ThirdPartyCookies},
    log::Capture,
};

/// The port of the allowed origins compiled into the API's attributes.
const COMPILED_PAGE_PORT: u16 = 3000;
/// The longest one test's body may take (starting the browser has its own limits).
const TEST_TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------
// The tests

/// One `#[test]` per scenario (`fn scenario(engine: Engine)`) and engine, in
/// a module named after the scenario, so a failure names the engine:
/// `scenario: [chromium, firefox, webkit];`.
macro_rules! in_engines {
    ($($scenario:ident: [$($engine:ident),+];)*) => {$(
        mod $scenario {
            $(
                #[test]
                fn $engine() {
                    super::$scenario(super::engine(stringify!($engine)));
                }
            )+
        }
    )*};
}

// The scenarios that need the session cookie stored do not run in WebKit:
// WebKitGTK (with Debian 12's libsoup 3.2) drops a `Secure` cookie set over
// `http://localhost`, though it counts `http://localhost` as a secure context,
// and the demo's cookie must be `Secure` because it is `SameSite=None`.
// `webkit_drops_the_secure_cookie_set_over_http_localhost` pins that, and
// fails once WebKit keeps the cookie: then add `webkit` to these lists.
in_engines! {
    allowed_origin_reads_credentialed_responses: [chromium, firefox];
    allowed_origin_reads_responses_without_a_session: [chromium, firefox, webkit];
    not_allowed_origin_is_blocked_and_refused: [chromium, firefox, webkit];
    cross_site_origin_sends_the_samesite_none_cookie: [chromium, firefox];
    cross_site_origin_gets_no_cookie_when_third_party_cookies_are_blocked: [chromium, firefox];
    xhr_allowed_origin_reads_credentialed_responses: [chromium, firefox];
    xhr_not_allowed_origin_gets_error_events: [chromium, firefox, webkit];
    websocket_from_the_allowed_origin_carries_the_cookie: [chromium, firefox];
    websocket_from_the_allowed_origin_without_a_session: [chromium, firefox, webkit];
    websocket_from_a_not_allowed_origin_is_refused_before_the_upgrade: [chromium, firefox, webkit];
    event_source_from_the_allowed_origin_carries_the_cookie: [chromium, firefox];
    event_source_from_a_not_allowed_origin_fails: [chromium, firefox, webkit];
    event_source_reconnects_with_last_event_id: [chromium, firefox, webkit];
    guard_refuses_a_cross_origin_form_post_to_an_unannotated_route: [chromium, firefox, webkit];
    guard_refuses_a_form_post_from_an_origin_only_a_route_allows: [chromium, firefox, webkit];
}

/// The demo's scenarios again, against the axum example's servers
/// (`examples/axum`, `CorsLayer` and `CrossOriginGuardLayer`): the same
/// page and API shape, so the same assertions. Tests named
/// `axum::scenario::engine`.
mod axum {
    use super::{Engine, Example};

    macro_rules! on_axum {
        ($($scenario:ident),* $(,)?) => {$(
            fn $scenario(engine: Engine) {
                super::EXAMPLE.set(Example::Axum);
                super::$scenario(engine);
            }
        )*};
    }

    on_axum!(
        allowed_origin_reads_credentialed_responses,
        allowed_origin_reads_responses_without_a_session,
        not_allowed_origin_is_blocked_and_refused,
        guard_refuses_a_cross_origin_form_post_to_an_unannotated_route,
        guard_refuses_a_form_post_from_an_origin_only_a_route_allows,
    );

    in_engines! {
        allowed_origin_reads_credentialed_responses: [chromium, firefox];
        allowed_origin_reads_responses_without_a_session: [chromium, firefox, webkit];
        not_allowed_origin_is_blocked_and_refused: [chromium, firefox, webkit];
        guard_refuses_a_cross_origin_form_post_to_an_unannotated_route: [chromium, firefox, webkit];
        guard_refuses_a_form_post_from_an_origin_only_a_route_allows: [chromium, firefox, webkit];
    }

    fn engine(name: &str) -> Engine {
        super::engine(name)
    }

    /// The same over HTTPS (axum-server with rustls), in all three engines.
    /// Tests named `axum::https::scenario::engine`.
    mod https {
        use super::super::{Engine, Example};

        macro_rules! on_axum_over_https {
            ($($scenario:ident),* $(,)?) => {$(
                fn $scenario(engine: Engine) {
                    super::super::EXAMPLE.set(Example::Axum);
                    super::super::HTTPS.set(true);
                    super::super::$scenario(engine);
                }
            )*};
        }

        // The one scenario that needs the session end to end; the others
        // run over https on the actix-web demo, which serves the same page.
        on_axum_over_https!(allowed_origin_reads_credentialed_responses);

        in_engines! {
            allowed_origin_reads_credentialed_responses: [chromium, firefox, webkit];
        }

        fn engine(name: &str) -> Engine {
            super::super::engine(name)
        }
    }
}

/// The demo's scenarios again over HTTPS (`demo::start_with` and a
/// certificate for `localhost` and `127.0.0.1` made by the test), where
/// WebKit keeps the `Secure` session cookie too, so every scenario runs in
/// all three engines. Tests named `https::scenario::engine`.
mod https {
    use super::Engine;

    macro_rules! over_https {
        ($($scenario:ident),* $(,)?) => {$(
            fn $scenario(engine: Engine) {
                super::HTTPS.set(true);
                super::$scenario(engine);
            }
        )*};
    }

    // The scenarios with a session (which WebKit skips over http); the ones
    // without run over http in all three engines already.
    over_https!(
        page_says_what_the_browser_did_with_the_cookie,
        allowed_origin_reads_credentialed_responses,
        not_allowed_origin_is_blocked_and_refused,
        xhr_allowed_origin_reads_credentialed_responses,
        guard_refuses_a_cross_origin_form_post_to_an_unannotated_route,
    );

    in_engines! {
        page_says_what_the_browser_did_with_the_cookie: [chromium, firefox, webkit];
        allowed_origin_reads_credentialed_responses: [chromium, firefox, webkit];
        not_allowed_origin_is_blocked_and_refused: [chromium, firefox, webkit];
        xhr_allowed_origin_reads_credentialed_responses: [chromium, firefox, webkit];
        guard_refuses_a_cross_origin_form_post_to_an_unannotated_route: [chromium, firefox, webkit];
    }

    fn engine(name: &str) -> Engine {
        super::engine(name)
    }
}

thread_local! {
    /// The servers [`browser_test`] runs: the demo's, unless a test of
    /// `mod axum` (each test has a thread of its own) chose the axum example's.
    static EXAMPLE: std::cell::Cell<Example> = const { std::cell::Cell::new(Example::Demo) };
    /// Whether [`browser_test`] serves over HTTPS: set by the tests of `mod https`.
    static HTTPS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The engine named `name` (`chromium`, `firefox`, `webkit`).
fn engine(name: &str) -> Engine {
    Engine::ALL
        .into_iter()
        .find(|engine| engine.name() == name)
        .unwrap()
}

/// WebKitGTK runs the login handler and lets the page read its answer, but
/// drops its `Secure` session cookie because it came over `http://`, so the
/// next call is not logged in.
#[test]
fn webkit_drops_the_secure_cookie_set_over_http_localhost() {
    browser_test(Engine::WebKit, ThirdPartyCookies::Blocked, |t| async move {
        let page = t.page_url("localhost");
        t.client.goto(&page).await.unwrap();
        assert_eq!(
            t.call("window.isSecureContext").await,
            true,
            "http://localhost is a secure context"
        );
        let login = t.call("demo.login('ada')").await;
        assert_eq!(status(&login), 200, "{login}");
        assert_eq!(t.store.audit_log(), ["ada logged in"]);
        assert_eq!(t.session_cookie().await, None, "WebKit kept the cookie");
        t.client.goto(&page).await.unwrap();
        let me = t.call("demo.me()").await;
        assert_eq!(status(&me), 401, "{me}");
    });
}

/// The allowed origin without a session: every answer, error statuses
/// included, reaches the page; the preflighted PUT is sent after its
/// preflight succeeds, and a preflight asking for a header the handler does
/// not allow fails.
fn allowed_origin_reads_responses_without_a_session(engine: Engine) {
    browser_test(engine, ThirdPartyCookies::Blocked, |t| async move {
        t.client.goto(&t.page_url("localhost")).await.unwrap();
        assert_eq!(t.text("page-origin").await, t.origin("localhost"));
        assert_eq!(t.attribute("origin", "class").await, "allowed");

        let me = t.call("demo.me()").await;
        assert_eq!(status(&me), 401, "{me}");
        assert_eq!(me["body"], json!({ "error": "not logged in" }));
        let request_id = me["headers"]["x-request-id"].as_str().unwrap_or_default();
        assert!(request_id.parse::<u64>().is_ok(), "x-request-id: {me}");
        assert_eq!(me["headers"]["x-served-by"], Value::Null, "{me}");

        // The handler's own 401, read after the preflight let the PUT through.
        let renamed = t.call("demo.rename('Ada')").await;
        assert_eq!(status(&renamed), 401, "{renamed}");
        assert_eq!(renamed["body"], json!({ "error": "not logged in" }));

        t.assert_network_error(&t.call("demo.renameWithHeader('Ada')").await);
        let shown = t.results_shown().await;
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[0].contains(t.engine.fetch_error()), "{shown:?}");
        assert!(shown[1].starts_with("PUT /api/me\n401 "), "{shown:?}");
        assert!(t.store.audit_log().is_empty());
    });
}

/// The allowed origin on the same site as the API (`localhost`, another port).
fn allowed_origin_reads_credentialed_responses(engine: Engine) {
    browser_test(engine, ThirdPartyCookies::Blocked, |t| async move {
        let page = t.page_url("localhost");
        t.client.goto(&page).await.unwrap();
        assert_eq!(t.text("page-origin").await, t.origin("localhost"));
        assert_eq!(t.attribute("origin", "class").await, "allowed");

        let invalid = t.log_in_and_rename(&page, &FETCH).await;
        // A 4xx from the handler is readable: status and body, not a CORS failure.
        assert_eq!(
            invalid["body"],
            json!({ "error": "name must not be empty" })
        );

        // A preflight asking for a request header the handler does not allow
        // fails, so the browser never sends the PUT.
        let with_header = t.call("demo.renameWithHeader('Mallory')").await;
        t.assert_network_error(&with_header);
        let audit = ["ada logged in", "ada renamed to \"Ada Lovelace\""];
        assert_eq!(t.store.audit_log(), audit);
        let me = t.call("demo.me()").await;
        assert_eq!(me["body"]["name"], "Ada Lovelace", "{me}");

        // The page shows every call's result since it was loaded, newest first.
        let shown = t.results_shown().await;
        assert_eq!(shown.len(), 5, "{shown:?}");
        assert!(shown[0].starts_with("GET /api/me\n200 "), "{shown:?}");
        assert!(
            shown[1].starts_with(&format!(
                "PUT /api/me with x-debug\n{}\n",
                t.engine.fetch_error()
            )),
            "{shown:?}"
        );
        assert!(shown[2].contains("422 {\"error\":\"name must not be empty\"}"));
        assert!(
            shown[4].contains("x-request-id: ") && shown[4].contains("x-served-by: (not readable)")
        );

        let logout = t.call("demo.logout()").await;
        assert_eq!(status(&logout), 200, "{logout}");
        assert_eq!(t.store.audit_log().last().unwrap(), "ada logged out");
        assert_eq!(status(&t.call("demo.me()").await), 401);
        assert_eq!(t.session_cookie().await, None, "logout removes the cookie");

        // On the API's own origin a page reads every header: x-served-by is
        // sent, and only CORS kept it from the cross-origin page.
        let api = format!("{}://localhost:{}/", t.scheme, t.api_port);
        t.client.goto(&api).await.unwrap();
        let same_origin = t
            .call("fetch('/api/me').then((r) => r.headers.get('x-served-by'))")
            .await;
        assert_eq!(same_origin, "cors-credentials-demo");
    });
}

/// A not-allowed origin: the browser blocks every call, and the server
/// refuses the ones it receives before any handler runs.
fn not_allowed_origin_is_blocked_and_refused(engine: Engine) {
    browser_test(engine, ThirdPartyCookies::Blocked, |t| async move {
        // A live session, so the blocked calls carry the user's cookie
        // (where the engine keeps it).
        t.client.goto(&t.page_url("localhost")).await.unwrap();
        assert_eq!(status(&t.call("demo.login('ada')").await), 200);
        let audit = t.store.audit_log();
        assert_eq!(audit, ["ada logged in"]);

        let blocked = t.go_to_blocked_page().await;
        assert_eq!(t.text("page-origin").await, blocked);
        assert_eq!(t.attribute("origin", "class").await, "blocked");

        let calls = [
            "demo.login('mallory')",
            "demo.me()",
            "demo.rename('Mallory')",
            "demo.rename('')",
            "demo.renameWithHeader('Mallory')",
            "demo.logout()",
        ];
        for call in calls {
            let result = t.call(call).await;
            t.assert_network_error(&result);
        }
        let shown = t.results_shown().await;
        assert_eq!(shown.len(), calls.len(), "{shown:?}");
        let error = t.engine.fetch_error();
        assert!(shown.iter().all(|s| s.contains(error)), "{shown:?}");

        // No handler ran: no login, no rename, no logout.
        assert_eq!(t.store.audit_log(), audit);
        assert_eq!(t.store.live_sessions(), 1);

        // What the server answered: 403 to the simple requests the browser
        // sent, 403 to the preflights, and no PUT ever arrived.
        let expected = [
            "POST /api/login -> 403",
            "GET /api/me -> 403",
            "OPTIONS /api/me -> 403",
            "POST /api/logout -> 403",
        ];
        let seen = t.api_log_from(&blocked, expected.len() + 2).await;
        for line in expected {
            assert!(seen.iter().any(|s| s == line), "{line} not in {seen:?}");
        }
        assert!(seen.iter().all(|s| s.ends_with("-> 403")), "{seen:?}");
        assert!(!seen.iter().any(|s| s.starts_with("PUT")), "{seen:?}");

        // Back on the allowed origin, the session survived the blocked logout.
        t.client.goto(&t.page_url("localhost")).await.unwrap();
        let me = t.call("demo.me()").await;
        if t.keeps_session_cookie() {
            assert_eq!(me["body"], json!({ "user": "ada", "name": "ada" }), "{me}");
        } else {
            assert_eq!(status(&me), 401, "{me}");
        }
    });
}

/// `POST /account/close` has no `#[cors_credentials]`; the demo's
/// `CrossOriginGuard` protects it. A plain HTML form on the not-allowed page
/// posts to it with the user's cookie (where the engine keeps it): the guard
/// answers `403` and nothing changes.
fn guard_refuses_a_cross_origin_form_post_to_an_unannotated_route(engine: Engine) {
    browser_test(engine, ThirdPartyCookies::Blocked, |t| async move {
        t.client.goto(&t.page_url("localhost")).await.unwrap();
        assert_eq!(status(&t.call("demo.login('ada')").await), 200);
        let audit = t.store.audit_log();
        assert_eq!(audit, ["ada logged in"]);

        let blocked = t.go_to_blocked_page().await;
        assert_eq!(t.attribute("origin", "class").await, "blocked");
        t.submit_form("close-account").await;
        let shown = t.page_text_containing("cross-origin request refused").await;
        assert_eq!(
            shown.trim(),
            "cross-origin request refused: origin not trusted",
            "{shown:?}"
        );
        // The handler did not run: the account and its session are there.
        assert_eq!(t.store.audit_log(), audit);
        assert_eq!(t.store.live_sessions(), 1);
        let seen = t.api_log_from(&blocked, 1).await;
        assert_eq!(seen, ["POST /account/close -> 403"]);
    });
}

/// Least privilege: the allowed page's origin may call the routes whose
/// policy allows it (`GET /api/me`), not `POST /account/close`, which has
/// none. Its plain HTML form, carrying the user's cookie where the engine
/// keeps it, gets the guard's `403`, and nothing changes.
fn guard_refuses_a_form_post_from_an_origin_only_a_route_allows(engine: Engine) {
    browser_test(engine, ThirdPartyCookies::Blocked, |t| async move {
        t.client.goto(&t.page_url("localhost")).await.unwrap();
        assert_eq!(t.attribute("origin", "class").await, "allowed");
        assert_eq!(status(&t.call("demo.login('ada')").await), 200);
        let audit = t.store.audit_log();
        assert_eq!(audit, ["ada logged in"]);

        t.submit_form("close-account").await;
        let shown = t.page_text_containing("cross-origin request refused").await;
        assert_eq!(
            shown.trim(),
            "cross-origin request refused: origin not trusted",
            "{shown:?}"
        );
        // The handler did not run: the account and its session are there.
        assert_eq!(t.store.audit_log(), audit);
        assert_eq!(t.store.live_sessions(), 1);
    });
}

/// The allowed origin on another site (`127.0.0.1` calling `localhost`), in a
/// browser that allows third-party cookies: the `SameSite=None; Secure`
/// cookie rides along.
fn cross_site_origin_sends_the_samesite_none_cookie(engine: Engine) {
    browser_test(engine, ThirdPartyCookies::Allowed, |t| async move {
        let page = t.page_url("127.0.0.1");
        t.client.goto(&page).await.unwrap();
        assert_eq!(t.text("page-origin").await, "http://127.0.0.1:3000");
        assert_eq!(t.attribute("origin", "class").await, "allowed");

        let login = t.call("demo.login('grace')").await;
        assert_eq!(status(&login), 200, "{login}");
        let cookie = t.session_cookie().await.expect("the session cookie is set");
        assert_eq!(cookie, "HttpOnly; Secure; SameSite=None; Path=/");
        t.client.goto(&page).await.unwrap();

        let me = t.call("demo.me()").await;
        assert_eq!(status(&me), 200, "cookie not sent cross-site: {me}");
        assert_eq!(me["body"], json!({ "user": "grace", "name": "grace" }));
        assert_ne!(me["headers"]["x-request-id"], Value::Null, "{me}");
        assert_eq!(me["headers"]["x-served-by"], Value::Null, "{me}");

        let renamed = t.call("demo.rename('Grace Hopper')").await;
        assert_eq!(status(&renamed), 200, "{renamed}");
        let invalid = t.call("demo.rename('')").await;
        assert_eq!(status(&invalid), 422, "{invalid}");
        t.assert_network_error(&t.call("demo.renameWithHeader('x')").await);
        assert_eq!(status(&t.call("demo.logout()").await), 200);
        assert_eq!(
            t.store.audit_log(),
            [
                "grace logged in",
                "grace renamed to \"Grace Hopper\"",
                "grace logged out"
            ]
        );
        assert_eq!(status(&t.call("demo.me()").await), 401);
    });
}

/// The same cross-site page in a browser that blocks third-party cookies:
/// CORS still lets the page read every answer, but the browser neither stores
/// nor sends the session cookie, so the user stays logged out.
fn cross_site_origin_gets_no_cookie_when_third_party_cookies_are_blocked(engine: Engine) {
    browser_test(engine, ThirdPartyCookies::Blocked, |t| async move {
        let page = t.page_url("127.0.0.1");
        t.client.goto(&page).await.unwrap();
        let login = t.call("demo.login('grace')").await;
        assert_eq!(status(&login), 200, "{login}");
        assert_eq!(
            login["cookie"], "third-party",
            "what the page says: {login}"
        );
        assert_eq!(t.store.audit_log(), ["grace logged in"]);
        assert_eq!(t.session_cookie().await, None, "third-party cookie stored");
        t.client.goto(&page).await.unwrap();
        let me = t.call("demo.me()").await;
        assert_eq!(status(&me), 401, "{me}");
        assert_eq!(me["body"], json!({ "error": "not logged in" }));
    });
}

/// Over https (the demo's `SameSite=Lax` cookie), the page says in words
/// what the browser did with the cookie after a login: sent back on the
/// same-site page; stored but not sent on the cross-site page, where it is a
/// third-party cookie. It also shows what the API logged of cors-credentials
/// (`GET /api/server-log`): nothing in this test binary, whose logger is the
/// test's own (`examples/demo/mod.rs` tests the records it shows).
fn page_says_what_the_browser_did_with_the_cookie(engine: Engine) {
    browser_test(engine, ThirdPartyCookies::Blocked, |t| async move {
        assert_eq!(t.scheme, "https");
        t.client.goto(&t.page_url("localhost")).await.unwrap();
        let login = t.call("demo.login('ada')").await;
        assert_eq!(login["cookie"], "sent", "{login}");
        assert_eq!(
            t.text("cookie-status").await,
            "Logged in: the browser sent the session cookie back to the API."
        );
        let server_log = t.text("server-log").await;
        assert!(
            server_log.starts_with("The API logged nothing"),
            "{server_log}"
        );

        t.client.goto(&t.page_url("127.0.0.1")).await.unwrap();
        let login = t.call("demo.login('grace')").await;
        assert_eq!(status(&login), 200, "{login}");
        assert_eq!(login["cookie"], "third-party", "{login}");
        let said = t.text("cookie-status").await;
        assert!(
            said.starts_with(
                "Logged in, but the browser did not send the cookie back: it is a \
                 third-party cookie here (this page is on the site 127.0.0.1, the API on \
                 localhost). Over https the demo's cookie is SameSite=Lax"
            ),
            "{said}"
        );
        // The handler ran: the browser stored the cookie and kept it to itself.
        assert_eq!(t.store.audit_log(), ["ada logged in", "grace logged in"]);
        assert_eq!(t.store.live_sessions(), 2);
    });
}

/// `XMLHttpRequest` with `withCredentials = true` from the allowed origin:
/// the same credentialed responses as `fetch`, read through the XHR API.
fn xhr_allowed_origin_reads_credentialed_responses(engine: Engine) {
    browser_test(engine, ThirdPartyCookies::Blocked, |t| async move {
        let page = t.page_url("localhost");
        t.client.goto(&page).await.unwrap();
        // The form POST of the login is a simple request, and the Set-Cookie
        // of its response is stored because withCredentials is set;
        // getResponseHeader reads only the exposed header.
        t.log_in_and_rename(&page, &XHR).await;
        assert_eq!(
            t.store.audit_log(),
            ["ada logged in", "ada renamed to \"Ada Lovelace\""]
        );
    });
}

/// `XMLHttpRequest` with `withCredentials = true` from a not-allowed origin:
/// an `error` event with status 0 every time; the simple POST reaches the
/// server, which refuses it before the handler, and the preflighted PUT never
/// leaves the browser.
fn xhr_not_allowed_origin_gets_error_events(engine: Engine) {
    browser_test(engine, ThirdPartyCookies::Blocked, |t| async move {
        t.client.goto(&t.page_url("localhost")).await.unwrap();
        assert_eq!(status(&t.call("demo.login('ada')").await), 200);
        let audit = t.store.audit_log();

        let blocked = t.go_to_blocked_page().await;
        assert_eq!(t.text("page-origin").await, blocked);
        for call in [
            "demo.xhrLogin('mallory')",
            "demo.xhrMe()",
            "demo.xhrRename('Mallory')",
        ] {
            let result = t.call(call).await;
            assert_eq!(result["ok"], false, "{call}: {result}");
            assert_eq!(result["event"], "error", "{call}: {result}");
            assert_eq!(result["status"], 0, "{call}: {result}");
            assert!(result.get("body").is_none(), "{call}: {result}");
        }
        assert_eq!(t.store.audit_log(), audit, "a handler ran");
        assert_eq!(t.store.live_sessions(), 1);

        let expected = [
            "POST /api/login -> 403",
            "GET /api/me -> 403",
            "OPTIONS /api/me -> 403",
        ];
        let seen = t.api_log_from(&blocked, expected.len()).await;
        for line in expected {
            assert!(seen.iter().any(|s| s == line), "{line} not in {seen:?}");
        }
        assert!(!seen.iter().any(|s| s.starts_with("PUT")), "{seen:?}");
    });
}

// ---------------------------------------------------------------------------
// WebSocket and EventSource (`examples/realtime`)

/// A WebSocket from the allowed origin: the upgrade carries the session
/// cookie, so the server greets the user, then echoes.
fn websocket_from_the_allowed_origin_carries_the_cookie(engine: Engine) {
    realtime_test(engine, |t| async move {
        t.client.goto(&t.page_url("localhost")).await.unwrap();
        let login = t.call("realtime.login('ada')").await;
        assert_eq!(login["status"], 200, "{login}");
        let socket = t
            .call("realtime.websocket(undefined, ['ping', 'pong'])")
            .await;
        assert_eq!(socket["opened"], true, "{socket}");
        assert_eq!(
            socket["messages"],
            json!([{ "hello": "ada" }, { "echo": "ping" }, { "echo": "pong" }]),
            "{socket}"
        );
        assert_eq!(socket["closed"]["code"], 1000, "{socket}");
        assert!(socket.get("error").is_none(), "{socket}");
        assert_eq!(t.hub().sockets_opened(), 1);
    });
}

/// A WebSocket from the allowed origin without a session: it opens, and the
/// server greets no one.
fn websocket_from_the_allowed_origin_without_a_session(engine: Engine) {
    realtime_test(engine, |t| async move {
        t.client.goto(&t.page_url("localhost")).await.unwrap();
        let socket = t.call("realtime.websocket(undefined, ['ping'])").await;
        assert_eq!(socket["opened"], true, "{socket}");
        assert_eq!(
            socket["messages"],
            json!([{ "hello": null }, { "echo": "ping" }]),
            "{socket}"
        );
        assert_eq!(socket["closed"]["code"], 1000, "{socket}");
        assert_eq!(t.hub().sockets_opened(), 1);
    });
}

/// A WebSocket from a not-allowed origin, with the user's cookie: the
/// browser sends the upgrade without a preflight, and the server answers
/// `403` before the handler, so the socket never opens.
fn websocket_from_a_not_allowed_origin_is_refused_before_the_upgrade(engine: Engine) {
    realtime_test(engine, |t| async move {
        t.client.goto(&t.page_url("localhost")).await.unwrap();
        assert_eq!(t.call("realtime.login('ada')").await["status"], 200);
        let blocked = t.go_to_blocked_page().await;
        assert_eq!(t.text("page-origin").await, blocked);

        let socket = t.call("realtime.websocket(undefined, ['ping'])").await;
        assert_eq!(socket["opened"], false, "{socket}");
        assert_eq!(socket["messages"], json!([]), "{socket}");
        assert_eq!(socket["error"], "the connection failed", "{socket}");
        assert_eq!(socket["closed"]["code"], 1006, "{socket}");
        assert_eq!(t.hub().sockets_opened(), 0, "the handler ran");
        t.assert_only_logged(&blocked, "GET /ws -> 403").await;
    });
}

/// `EventSource` with `withCredentials: true` from the allowed origin: the
/// events flow, and the stream request carried the session cookie.
fn event_source_from_the_allowed_origin_carries_the_cookie(engine: Engine) {
    realtime_test(engine, |t| async move {
        t.client.goto(&t.page_url("localhost")).await.unwrap();
        assert_eq!(t.call("realtime.login('ada')").await["status"], 200);
        let events = t.call("realtime.events(undefined, 2)").await;
        assert!(events.get("error").is_none(), "{events}");
        assert_eq!(
            events["events"],
            json!([
                { "id": "1", "data": { "n": 1, "user": "ada", "last_event_id": null } },
                { "id": "2", "data": { "n": 2, "user": "ada", "last_event_id": null } },
            ]),
            "{events}"
        );
        assert_eq!(t.hub().streams_started(), 1);
    });
}

/// `EventSource` from a not-allowed origin: the server refuses the stream
/// before the handler, and the browser gives up without reconnecting.
fn event_source_from_a_not_allowed_origin_fails(engine: Engine) {
    realtime_test(engine, |t| async move {
        let blocked = t.go_to_blocked_page().await;
        let events = t.call("realtime.events(undefined, 1)").await;
        assert_eq!(events["error"], "the connection failed", "{events}");
        assert_eq!(events["events"], json!([]), "{events}");
        assert_eq!(events["reconnects"], 0, "{events}");
        assert_eq!(t.hub().streams_started(), 0, "the handler ran");
        t.assert_only_logged(&blocked, "GET /events -> 403").await;
    });
}

/// The server ends a stream after three events; the browser reconnects by
/// itself, carrying `Last-Event-ID: 3`, and the stream resumes at 4, with
/// the cookie where the engine keeps it.
fn event_source_reconnects_with_last_event_id(engine: Engine) {
    realtime_test(engine, |t| async move {
        t.client.goto(&t.page_url("localhost")).await.unwrap();
        assert_eq!(t.call("realtime.login('ada')").await["status"], 200);
        let user = t.keeps_session_cookie().then_some("ada");
        let result = t.call("realtime.reconnect()").await;
        assert!(result.get("error").is_none(), "{result}");
        let events = result["events"].as_array().unwrap();
        let ids: Vec<&str> = events.iter().map(|e| e["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["1", "2", "3", "4"], "{result}");
        assert_eq!(
            events[3]["data"],
            json!({ "n": 4, "user": user, "last_event_id": 3 }),
            "{result}"
        );
        assert_eq!(events[2]["data"]["last_event_id"], Value::Null, "{result}");
        assert_eq!(result["reconnects"], 1, "{result}");
        assert_eq!(t.hub().streams_started(), 2);
    });
}

// ---------------------------------------------------------------------------
// Page results

/// The page's calls to the demo API through one browser API.
struct Calls {
    me: &'static str,
    login: &'static str,
    rename: &'static str,
    rename_empty: &'static str,
}

/// The calls through `fetch` with `credentials: "include"`.
const FETCH: Calls = Calls {
    me: "demo.me()",
    login: "demo.login('ada')",
    rename: "demo.rename('Ada Lovelace')",
    rename_empty: "demo.rename('')",
};

/// The calls through `XMLHttpRequest` with `withCredentials = true`.
const XHR: Calls = Calls {
    me: "demo.xhrMe()",
    login: "demo.xhrLogin('ada')",
    rename: "demo.xhrRename('Ada Lovelace')",
    rename_empty: "demo.xhrRename('')",
};

impl Ctx {
    /// Loads the page of the origin the API does not allow; returns that origin.
    async fn go_to_blocked_page(&self) -> String {
        let blocked = format!("{}://localhost:{}", self.scheme, self.blocked_port);
        self.client.goto(&format!("{blocked}/")).await.unwrap();
        blocked
    }

    /// Asserts the API logged one request from `origin`: `line`.
    async fn assert_only_logged(&self, origin: &str, line: &str) {
        assert_eq!(self.api_log_from(origin, 1).await, [line]);
    }

    /// From the allowed origin's `page`, not logged in yet: the handler's
    /// `401` reaches the page, the login stores the session cookie for the
    /// API's origin with the attributes a cross-site deployment needs, the
    /// credentialed GET carries it (of the two custom response headers only
    /// the exposed one is readable), and the preflighted JSON PUT succeeds.
    /// Returns the answer to a rename the handler refuses with `422`.
    async fn log_in_and_rename(&self, page: &str, calls: &Calls) -> Value {
        let me = self.call(calls.me).await;
        assert_eq!(status(&me), 401, "{me}");
        assert_eq!(me["body"], json!({ "error": "not logged in" }));

        let login = self.call(calls.login).await;
        assert_eq!(status(&login), 200, "{login}");
        assert_eq!(login["body"], json!({ "user": "ada" }));
        assert_eq!(self.store.audit_log(), ["ada logged in"]);
        let cookie = self
            .session_cookie()
            .await
            .expect("the session cookie is set");
        assert_eq!(cookie, self.session_cookie_set());
        self.client.goto(page).await.unwrap();

        let me = self.call(calls.me).await;
        assert_eq!(status(&me), 200, "{me}");
        assert_eq!(me["body"], json!({ "user": "ada", "name": "ada" }));
        let request_id = me["headers"]["x-request-id"].as_str().unwrap_or_default();
        assert!(request_id.parse::<u64>().is_ok(), "x-request-id: {me}");
        assert_eq!(me["headers"]["x-served-by"], Value::Null, "{me}");

        let renamed = self.call(calls.rename).await;
        assert_eq!(status(&renamed), 200, "{renamed}");
        assert_eq!(
            renamed["body"],
            json!({ "user": "ada", "name": "Ada Lovelace" })
        );
        let invalid = self.call(calls.rename_empty).await;
        assert_eq!(status(&invalid), 422, "{invalid}");
        invalid
    }
}

/// The status of a call the page could read, failing on a network error.
fn status(result: &Value) -> u64 {
    assert_eq!(
        result["ok"], true,
        "the call failed in the browser: {result}"
    );
    result["status"].as_u64().expect("a status")
}

// ---------------------------------------------------------------------------
// Harness: the demo's servers on free ports, one browser per test

/// What a test body gets.
#[derive(Clone)]
struct Ctx {
    engine: Engine,
    client: Client,
    store: web::Data<Store>,
    /// The real-time example's handlers' counts (`None` for the demo).
    hub: Option<web::Data<Hub>>,
    api_port: u16,
    blocked_port: u16,
    /// `http`, or `https` for the tests of `mod https`.
    scheme: &'static str,
    /// The records logged since this test started, by any thread.
    log: Rc<Capture>,
}

impl Ctx {
    /// Whether the engine stores the demo's session cookie: over https all
    /// three do; over http WebKit drops it (see above).
    fn keeps_session_cookie(&self) -> bool {
        self.engine != Engine::WebKit || self.scheme == "https"
    }

    /// The session cookie's attributes as the demo sets them: `SameSite=Lax`
    /// over https, `SameSite=None` over http (`examples/demo/api.rs`).
    fn session_cookie_set(&self) -> &'static str {
        if self.scheme == "https" {
            "HttpOnly; Secure; SameSite=Lax; Path=/"
        } else {
            "HttpOnly; Secure; SameSite=None; Path=/"
        }
    }

    fn hub(&self) -> &Hub {
        self.hub.as_ref().expect("the real-time example's servers")
    }

    /// A `fetch` the browser blocked: the page sees the engine's `TypeError`
    /// and nothing else.
    fn assert_network_error(&self, result: &Value) {
        assert_eq!(result["ok"], false, "expected a network error: {result}");
        assert_eq!(result["error"], self.engine.fetch_error(), "{result}");
        assert!(result.get("status").is_none(), "{result}");
    }

    /// An allowed origin: `http://{host}:3000` (`https://` over HTTPS).
    fn origin(&self, host: &str) -> String {
        format!("{}://{host}:{COMPILED_PAGE_PORT}", self.scheme)
    }

    /// The page on an allowed origin: `http://{host}:3000/` (`https://` over
    /// HTTPS).
    fn page_url(&self, host: &str) -> String {
        let url = self.origin(host);
        assert!(
            ALLOWED_ORIGINS.contains(&url.as_str()),
            "{url} is not allowed"
        );
        format!("{url}/")
    }

    /// Evaluates an expression in the page, typically a call of one of its
    /// `demo.*` functions, and returns what its promise resolves to.
    async fn call(&self, expression: &str) -> Value {
        browser::evaluate(&self.client, expression).await
    }

    async fn text(&self, id: &str) -> String {
        browser::element_text(&self.client, id).await
    }

    async fn attribute(&self, id: &str, name: &str) -> String {
        browser::element_attribute(&self.client, id, name).await
    }

    /// Submits the page's form `id` as a click on its button would; the
    /// browser then shows the answer instead of the page.
    async fn submit_form(&self, id: &str) {
        let script = format!("document.getElementById({id:?}).requestSubmit()");
        self.client.execute(&script, vec![]).await.unwrap();
    }

    /// The text of the page the browser shows once it contains `needle`
    /// (after a form's navigation), or the last text seen after 5 seconds.
    async fn page_text_containing(&self, needle: &str) -> String {
        let script = "return document.body ? document.body.innerText : ''";
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let text = match self.client.execute(script, vec![]).await {
                Ok(Value::String(text)) => text,
                // The page is being replaced.
                _ => String::new(),
            };
            if text.contains(needle) || Instant::now() > deadline {
                return text;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The texts of the results listed on the page, newest first.
    async fn results_shown(&self) -> Vec<String> {
        let script = "return [...document.querySelectorAll('#log li')].map((li) => li.innerText)";
        let value = self.client.execute(script, vec![]).await.unwrap();
        serde_json::from_value(value).unwrap()
    }

    /// The session cookie's attributes as the browser stored them for the
    /// API's origin, if it has one. Leaves the browser on the API's origin.
    async fn session_cookie(&self) -> Option<String> {
        let api = format!("{}://localhost:{}/", self.scheme, self.api_port);
        self.client.goto(&api).await.unwrap();
        let cookies = self.client.get_all_cookies().await.unwrap();
        let cookie = cookies
            .iter()
            .find(|c| c.name() == demo::api::SESSION_COOKIE)?;
        assert!(!cookie.value().is_empty());
        Some(format!(
            "{}{}SameSite={}; Path={}",
            if cookie.http_only() == Some(true) {
                "HttpOnly; "
            } else {
                ""
            },
            if cookie.secure() == Some(true) {
                "Secure; "
            } else {
                ""
            },
            cookie
                .same_site()
                .map(|s| s.to_string())
                .unwrap_or_default(),
            cookie.path().unwrap_or_default(),
        ))
    }

    /// The API's request log for requests from `origin` ([`without_version`]),
    /// once it has at least
    /// `count` lines (the log is written when a response is done). Only this
    /// test's: logged since it started, and `origin` has a port of its own.
    async fn api_log_from(&self, origin: &str, count: usize) -> Vec<String> {
        let prefix = format!("api: {origin} ");
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let lines: Vec<String> = self
                .log
                .records()
                .into_iter()
                .filter(|record| {
                    record.target.starts_with("actix_web::middleware::logger")
                        || record.target == cors_credentials_examples_axum::REQUEST_LOG
                })
                .filter_map(|record| record.message.strip_prefix(&prefix).map(without_version))
                .collect();
            if lines.len() >= count || Instant::now() > deadline {
                return lines;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A request log line (`GET /api/me HTTP/2.0 -> 403`) without its protocol
/// version (`GET /api/me -> 403`): over https Chromium and Firefox speak
/// HTTP/2 (offered by ALPN), WebKit and every engine over http HTTP/1.1.
fn without_version(line: &str) -> String {
    [" HTTP/1.1 -> ", " HTTP/2.0 -> "]
        .into_iter()
        .find_map(|version| {
            line.split_once(version)
                .map(|(request, status)| format!("{request} -> {status}"))
        })
        .unwrap_or_else(|| line.to_owned())
}

/// The example whose servers a test runs.
#[derive(Clone, Copy)]
enum Example {
    /// `examples/demo`.
    Demo,
    /// `examples/realtime`, with event streams paced for tests.
    Realtime,
    /// `examples/axum`: the demo in axum.
    Axum,
}

/// The running servers of an [`Example`].
enum Running {
    Demo(demo::Running),
    Realtime(realtime::Running),
    Axum(cors_credentials_examples_axum::Running),
}

impl Running {
    async fn stop(self) -> std::io::Result<()> {
        match self {
            Running::Demo(running) => running.stop().await,
            Running::Realtime(running) => running.stop().await,
            Running::Axum(running) => running.stop().await,
        }
    }
}

/// Runs `body` against fresh demo servers (the actix-web demo's, or the axum
/// example's: see [`EXAMPLE`]) and a fresh browser, or skips.
fn browser_test<F, Fut>(engine: Engine, cookies: ThirdPartyCookies, body: F)
where
    F: FnOnce(Ctx) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    run(EXAMPLE.get(), HTTPS.get(), engine, cookies, body);
}

/// Runs `body` against fresh servers of the real-time example and a fresh
/// browser that blocks third-party cookies, or skips.
fn realtime_test<F, Fut>(engine: Engine, body: F)
where
    F: FnOnce(Ctx) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    run(
        Example::Realtime,
        false,
        engine,
        ThirdPartyCookies::Blocked,
        body,
    );
}

/// Runs `body` against fresh servers of `example`, over HTTPS with a
/// certificate made here when `https`, and a fresh browser, or skips.
fn run<F, Fut>(example: Example, https: bool, engine: Engine, cookies: ThirdPartyCookies, body: F)
where
    F: FnOnce(Ctx) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let Some(tools) = browser::tools(engine) else {
        return;
    };
    let log = Rc::new(Capture::start());
    actix_web::rt::System::new().block_on(async move {
        let api = loopback_listener();
        let page = loopback_listener();
        let blocked = loopback_listener();
        let (api_port, page_port, blocked_port) = (port(&api), port(&page), port(&blocked));
        assert_ne!(blocked_port, COMPILED_PAGE_PORT);
        let tls = https.then(|| Tls::self_signed().unwrap());
        let scheme = cors_credentials_examples::tls::scheme(tls.as_ref());
        let api_origin = format!("{scheme}://localhost:{api_port}");
        let (api, pages) = (vec![api], vec![page, blocked]);
        let (running, store, hub) = match example {
            Example::Demo => {
                let running = demo::start_with(api, pages, &api_origin, tls).unwrap();
                let store = running.store.clone();
                (Running::Demo(running), store, None)
            }
            Example::Realtime => {
                assert!(!https, "the real-time example is served over http");
                // Three events a stream, 50 ms apart: a reconnect within a second.
                let hub = Hub::new(Duration::from_millis(50), 3);
                let running = realtime::start(api, pages, &api_origin, hub).unwrap();
                let (store, hub) = (running.store.clone(), running.hub.clone());
                (Running::Realtime(running), store, Some(hub))
            }
            Example::Axum => {
                let running =
                    cors_credentials_examples_axum::start_with(api, pages, &api_origin, tls)
                        .unwrap();
                let store = web::Data::from(running.store.clone());
                (Running::Axum(running), store, None)
            }
        };

        // The allowed origins' host:port go to the page server's real port.
        let page_addr = SocketAddr::from((Ipv4Addr::LOCALHOST, page_port));
        let mut routes: Vec<(&str, SocketAddr)> = ALLOWED_ORIGINS
            .iter()
            .filter_map(|origin| origin.split_once("://"))
            .map(|(_, authority)| (authority, page_addr))
            .collect();
        routes.sort();
        routes.dedup();
        let browser = Browser::launch(&tools, &routes, cookies).await;
        let ctx = Ctx {
            engine,
            client: browser.client.clone(),
            store,
            hub,
            api_port,
            blocked_port,
            scheme,
            log,
        };
        // Spawned, so a failed assertion still lets the browser and servers stop.
        let outcome = actix_web::rt::spawn(timeout(TEST_TIMEOUT, body(ctx))).await;
        let proxied = browser.proxied();
        browser.close().await;
        running.stop().await.unwrap();
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(_)) => panic!("the test took longer than {TEST_TIMEOUT:?}"),
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
        // Firefox and WebKit reach everything through the proxy: they asked
        // for nothing beyond this machine.
        let beyond = proxied
            .iter()
            .filter(|a| !a.starts_with("localhost:") && !a.starts_with("127.0.0.1:"))
            .collect::<Vec<_>>();
        assert!(
            beyond.is_empty(),
            "{engine:?} asked the proxy for {beyond:?}"
        );
    });
}

// ---------------------------------------------------------------------------
// Tenants: one tenant's front end cannot use another tenant's session
// (declared here, below `in_engines!`, which it uses)

#[path = "browser/tenants.rs"]
mod tenants;
