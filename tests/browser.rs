//! The two-origin demo in a real browser: Debian's headless Chromium, driven
//! through chromedriver (WebDriver) by fantoccini, against the demo's own
//! servers (`examples/src/demo`) and page (`examples/demo`).
//!
//! Ports. The API's handlers allow `http://localhost:3000` and
//! `http://127.0.0.1:3000`, literals compiled into their attributes. The tests
//! still run every server on a free port chosen at run time, so they never
//! collide with a running demo or with each other: Chromium's
//! `--host-resolver-rules` sends connections for `localhost:3000` and
//! `127.0.0.1:3000` to the page server's real port. The page's origin, which
//! the browser checks and sends in `Origin`, stays `http://localhost:3000`;
//! only the TCP connection goes elsewhere, which CORS never sees. The API and
//! the not-allowed page are reached on their real ports.
//!
//! Browser settings. No CORS or security setting of Chromium is changed.
//! Chromium counts `http://localhost` as a secure context, so the API on
//! `http://localhost` sets its `SameSite=None; Secure` cookie without TLS and
//! no flag is needed for that. The one setting the tests change is the
//! third-party cookie setting, and they set it explicitly either way:
//! - a page on `http://127.0.0.1:3000` calling `http://localhost:<port>` is
//!   cross-site, so the session cookie is a third-party cookie there. A fresh
//!   profile of Debian's Chromium blocks those (as Safari does, and Chrome in
//!   Incognito), and then no attribute helps: the
//!   cross-site test allows third-party cookies, which is what shows that
//!   `SameSite=None; Secure` is what the API must send, and another test
//!   shows the cookie is neither stored nor sent while they are blocked;
//! - every other test blocks third-party cookies: `localhost:3000` calling
//!   `localhost:<port>` is same-site (ports do not count), so its cookie is
//!   first-party and works with the strictest setting.
//!
//! The other flags only keep Chromium quiet and offline (see
//! `test_support::browser`, which starts Chromium and chromedriver).
//!
//! Without Chromium or chromedriver each test prints "skipped: chromium not
//! found" and passes, unless `CORS_CREDENTIALS_REQUIRE_BROWSER=1` (as in CI),
//! which makes it fail instead. Nothing here downloads a browser or a driver.

use std::{
    future::Future,
    rc::Rc,
    time::{Duration, Instant},
};

use actix_web::{rt::time::timeout, web};
use cors_credentials_examples::demo::{self, api::ALLOWED_ORIGINS, Store};
use serde_json::{json, Value};
use test_support::{
    browser::{self, loopback_listener, port, Browser, Client, ThirdPartyCookies},
    log::Capture,
};

/// The port of the allowed origins compiled into the API's attributes.
const COMPILED_PAGE_PORT: u16 = 3000;
/// The longest one test's body may take (starting the browser has its own limits).
const TEST_TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------
// The tests

/// The allowed origin on the same site as the API (`localhost`, another port).
#[test]
fn allowed_origin_reads_credentialed_responses() {
    browser_test(ThirdPartyCookies::Blocked, |t| async move {
        let page = t.page_url("localhost");
        t.client.goto(&page).await.unwrap();
        assert_eq!(t.text("page-origin").await, "http://localhost:3000");
        assert_eq!(t.attribute("origin", "class").await, "allowed");

        // Not logged in yet: the handler's 401 reaches the page, status and body.
        let me = t.call("demo.me()").await;
        assert_eq!(status(&me), 401, "{me}");
        assert_eq!(me["body"], json!({ "error": "not logged in" }));

        let login = t.call("demo.login('ada')").await;
        assert_eq!(status(&login), 200, "{login}");
        assert_eq!(login["body"], json!({ "user": "ada" }));
        assert_eq!(t.store.audit_log(), ["ada logged in"]);

        // The cookie is stored for the API's origin, with the attributes a
        // cross-site deployment needs.
        let cookie = t.session_cookie().await.expect("the session cookie is set");
        assert_eq!(cookie, "HttpOnly; Secure; SameSite=None; Path=/");
        t.client.goto(&page).await.unwrap();

        // The credentialed GET carries the cookie; of the two custom response
        // headers only the exposed one is readable.
        let me = t.call("demo.me()").await;
        assert_eq!(status(&me), 200, "{me}");
        assert_eq!(me["body"], json!({ "user": "ada", "name": "ada" }));
        let request_id = me["headers"]["x-request-id"].as_str().unwrap_or_default();
        assert!(request_id.parse::<u64>().is_ok(), "x-request-id: {me}");
        assert_eq!(me["headers"]["x-served-by"], Value::Null, "{me}");

        // The JSON PUT is preflighted (content-type: application/json) and succeeds.
        let renamed = t.call("demo.rename('Ada Lovelace')").await;
        assert_eq!(status(&renamed), 200, "{renamed}");
        assert_eq!(
            renamed["body"],
            json!({ "user": "ada", "name": "Ada Lovelace" })
        );

        // A 4xx from the handler is readable: status and body, not a CORS failure.
        let invalid = t.call("demo.rename('')").await;
        assert_eq!(status(&invalid), 422, "{invalid}");
        assert_eq!(
            invalid["body"],
            json!({ "error": "name must not be empty" })
        );

        // A preflight asking for a request header the handler does not allow
        // fails, so the browser never sends the PUT.
        let with_header = t.call("demo.renameWithHeader('Mallory')").await;
        assert_network_error(&with_header);
        let audit = ["ada logged in", "ada renamed to \"Ada Lovelace\""];
        assert_eq!(t.store.audit_log(), audit);
        let me = t.call("demo.me()").await;
        assert_eq!(me["body"]["name"], "Ada Lovelace", "{me}");

        // The page shows every call's result since it was loaded, newest first.
        let shown = t.results_shown().await;
        assert_eq!(shown.len(), 5, "{shown:?}");
        assert!(shown[0].starts_with("GET /api/me\n200 "), "{shown:?}");
        assert!(shown[1].contains("TypeError"), "{shown:?}");
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
        let api = format!("http://localhost:{}/", t.api_port);
        t.client.goto(&api).await.unwrap();
        let same_origin = t
            .call("fetch('/api/me').then((r) => r.headers.get('x-served-by'))")
            .await;
        assert_eq!(same_origin, "cors-credentials-demo");
    });
}

/// A not-allowed origin: the browser blocks every call, and the server
/// refuses the ones it receives before any handler runs.
#[test]
fn not_allowed_origin_is_blocked_and_refused() {
    browser_test(ThirdPartyCookies::Blocked, |t| async move {
        // A live session, so the blocked calls carry the user's cookie.
        t.client.goto(&t.page_url("localhost")).await.unwrap();
        assert_eq!(status(&t.call("demo.login('ada')").await), 200);
        let audit = t.store.audit_log();
        assert_eq!(audit, ["ada logged in"]);

        let blocked = format!("http://localhost:{}", t.blocked_port);
        t.client.goto(&format!("{blocked}/")).await.unwrap();
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
            assert_network_error(&result);
        }
        let shown = t.results_shown().await;
        assert_eq!(shown.len(), calls.len(), "{shown:?}");
        assert!(shown.iter().all(|s| s.contains("TypeError")), "{shown:?}");

        // No handler ran: no login, no rename, no logout.
        assert_eq!(t.store.audit_log(), audit);
        assert_eq!(t.store.live_sessions(), 1);

        // What the server answered: 403 to the simple requests the browser
        // sent, 403 to the preflights, and no PUT ever arrived.
        let expected = [
            "POST /api/login HTTP/1.1 -> 403",
            "GET /api/me HTTP/1.1 -> 403",
            "OPTIONS /api/me HTTP/1.1 -> 403",
            "POST /api/logout HTTP/1.1 -> 403",
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
        assert_eq!(me["body"], json!({ "user": "ada", "name": "ada" }), "{me}");
    });
}

/// The allowed origin on another site (`127.0.0.1` calling `localhost`), in a
/// browser that allows third-party cookies: the `SameSite=None; Secure`
/// cookie rides along.
#[test]
fn cross_site_origin_sends_the_samesite_none_cookie() {
    browser_test(ThirdPartyCookies::Allowed, |t| async move {
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
        assert_network_error(&t.call("demo.renameWithHeader('x')").await);
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
#[test]
fn cross_site_origin_gets_no_cookie_when_third_party_cookies_are_blocked() {
    browser_test(ThirdPartyCookies::Blocked, |t| async move {
        let page = t.page_url("127.0.0.1");
        t.client.goto(&page).await.unwrap();
        let login = t.call("demo.login('grace')").await;
        assert_eq!(status(&login), 200, "{login}");
        assert_eq!(t.store.audit_log(), ["grace logged in"]);
        assert_eq!(t.session_cookie().await, None, "third-party cookie stored");
        t.client.goto(&page).await.unwrap();
        let me = t.call("demo.me()").await;
        assert_eq!(status(&me), 401, "{me}");
        assert_eq!(me["body"], json!({ "error": "not logged in" }));
    });
}

// ---------------------------------------------------------------------------
// Page results

/// The status of a call the page could read, failing on a network error.
fn status(result: &Value) -> u64 {
    assert_eq!(
        result["ok"], true,
        "the call failed in the browser: {result}"
    );
    result["status"].as_u64().expect("a status")
}

/// A call the browser blocked: the page sees a `TypeError` and nothing else.
fn assert_network_error(result: &Value) {
    assert_eq!(result["ok"], false, "expected a network error: {result}");
    let error = result["error"].as_str().unwrap_or_default();
    assert!(error.starts_with("TypeError: "), "{result}");
    assert!(result.get("status").is_none(), "{result}");
}

// ---------------------------------------------------------------------------
// Harness: the demo's servers on free ports, one browser per test

/// What a test body gets.
#[derive(Clone)]
struct Ctx {
    client: Client,
    store: web::Data<Store>,
    api_port: u16,
    blocked_port: u16,
    /// The records logged since this test started, by any thread.
    log: Rc<Capture>,
}

impl Ctx {
    /// The page on an allowed origin: `http://{host}:3000/`.
    fn page_url(&self, host: &str) -> String {
        let url = format!("http://{host}:{COMPILED_PAGE_PORT}");
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

    /// The texts of the results listed on the page, newest first.
    async fn results_shown(&self) -> Vec<String> {
        let script = "return [...document.querySelectorAll('#log li')].map((li) => li.innerText)";
        let value = self.client.execute(script, vec![]).await.unwrap();
        serde_json::from_value(value).unwrap()
    }

    /// The session cookie's attributes as the browser stored them for the
    /// API's origin, if it has one. Leaves the browser on the API's origin.
    async fn session_cookie(&self) -> Option<String> {
        let api = format!("http://localhost:{}/", self.api_port);
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

    /// The API's request log for requests from `origin`, once it has at least
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
                .filter(|record| record.target.starts_with("actix_web::middleware::logger"))
                .filter_map(|record| record.message.strip_prefix(&prefix).map(str::to_owned))
                .collect();
            if lines.len() >= count || Instant::now() > deadline {
                return lines;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Runs `body` against fresh demo servers and a fresh browser, or skips.
fn browser_test<F, Fut>(cookies: ThirdPartyCookies, body: F)
where
    F: FnOnce(Ctx) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let Some(tools) = browser::tools() else {
        return;
    };
    let log = Rc::new(Capture::start());
    actix_web::rt::System::new().block_on(async move {
        let api = loopback_listener();
        let page = loopback_listener();
        let blocked = loopback_listener();
        let (api_port, page_port, blocked_port) = (port(&api), port(&page), port(&blocked));
        assert_ne!(blocked_port, COMPILED_PAGE_PORT);
        let api_origin = format!("http://localhost:{api_port}");
        let running = demo::start(vec![api], vec![page, blocked], &api_origin).unwrap();

        // The allowed origins' host:port go to the page server's real port.
        let rules = ALLOWED_ORIGINS
            .iter()
            .map(|origin| {
                let authority = origin.trim_start_matches("http://");
                format!("MAP {authority} 127.0.0.1:{page_port}")
            })
            .collect::<Vec<_>>()
            .join(", ");
        let browser = Browser::launch(&tools, &rules, cookies).await;
        let ctx = Ctx {
            client: browser.client.clone(),
            store: running.store.clone(),
            api_port,
            blocked_port,
            log,
        };
        // Spawned, so a failed assertion still lets the browser and servers stop.
        let outcome = actix_web::rt::spawn(timeout(TEST_TIMEOUT, body(ctx))).await;
        browser.close().await;
        running.stop().await.unwrap();
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(_)) => panic!("the test took longer than {TEST_TIMEOUT:?}"),
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    });
}
