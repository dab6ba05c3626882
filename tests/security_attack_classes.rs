//! One regression test per known class of credentialed-CORS misconfiguration
//! attack (the list in the Fetch Standard notes: origin reflection, `null`,
//! prefix and suffix matching, unescaped dots, userinfo and backslash,
//! odd host characters, `http` trusted by `https`, missing `Vary`, log
//! injection), each against real annotated handlers.
//!
//! Configurations that an attack would need are refused at compile time;
//! those compile errors are covered by the trybuild cases in `tests/ui/fail`
//! (run by `tests/compile_ui.rs`). The tests here name those cases, check they still
//! hold the attack, and check the shared rule (`cors_credentials_rules`)
//! the macro applies.

use test_support::{log::Capture, raw_http};

use actix_web::{
    dev::{Service, ServiceResponse},
    error, get,
    http::{
        header::{self, HeaderValue},
        Method, StatusCode,
    },
    post, test, web, App, HttpRequest, HttpResponse,
};
use cors_credentials::{
    cors_credentials,
    test_hooks::{report_refusal, Escaped, Refusal, RequestView},
    Check,
};
use cors_credentials_rules::{
    entry,
    origin::{check, Problem},
};

const SITE: &str = "https://app.example.com";

/// A handler that reflects `Origin` into the CORS headers, as the classic
/// misconfiguration does. The middleware decides what the browser sees.
fn reflect(req: &HttpRequest, res: &mut actix_web::HttpResponseBuilder) {
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        res.insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone()));
        res.insert_header((header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"));
    }
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/account")]
async fn account(req: HttpRequest) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    reflect(&req, &mut res);
    res.body("{\"balance\":100}")
}

#[cors_credentials(origins = ["https://app.example.com"], on_disallowed = "pass")]
#[get("/lenient")]
async fn lenient(req: HttpRequest) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    reflect(&req, &mut res);
    res.body("ran")
}

#[cors_credentials(origins = ["https://app.example.com"], headers = ["content-type"])]
#[post("/transfer")]
async fn transfer() -> HttpResponse {
    HttpResponse::Ok().body("sent")
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/fails")]
async fn fails() -> actix_web::Result<HttpResponse> {
    Err(error::ErrorUnprocessableEntity("bad input"))
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/own-vary")]
async fn own_vary() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::VARY, "Accept-Encoding"))
        .finish()
}

#[cors_credentials(origins = ["https://app_1.example.com"])]
#[get("/underscore")]
async fn underscore() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors_credentials(origins = ["https://app.example.com"])]
#[get("/audit")]
async fn audit() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors_credentials(origins = ["https://*.example.com", "http://localhost:*"])]
#[get("/wildcard")]
async fn wildcard() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors_credentials(origins = ["https://app.example.com"], headers = ["content-type"])]
#[post("/preflight-audit")]
async fn preflight_audit() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn routes(config: &mut web::ServiceConfig) {
    config
        .service(account)
        .service(lenient)
        .service(transfer)
        .service(fails)
        .service(own_vary)
        .service(underscore)
        .service(audit)
        .service(wildcard)
        .service(preflight_audit);
}

fn app() -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new().configure(routes)
}

/// `GET path` with `Origin: origin` (any bytes a header can hold).
async fn get_from(path: &str, origin: &[u8]) -> ServiceResponse {
    let app = test::init_service(app()).await;
    let req = test::TestRequest::get()
        .uri(path)
        .insert_header((header::HOST, "api.example.com"))
        .insert_header((header::ORIGIN, HeaderValue::from_bytes(origin).unwrap()))
        .to_request();
    app.call(req).await.unwrap()
}

fn values(res: &ServiceResponse, name: header::HeaderName) -> Vec<String> {
    res.headers()
        .get_all(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect()
}

fn vary(res: &ServiceResponse) -> Vec<String> {
    values(res, header::VARY)
        .iter()
        .flat_map(|line| line.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

/// The request was refused before the handler: `403`, no
/// `Access-Control-Allow-*`, `Vary: Origin`.
#[track_caller]
fn assert_refused(res: &ServiceResponse, origin: &str) {
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "{origin}");
    for (name, _) in res.headers() {
        assert!(
            !name.as_str().starts_with("access-control-allow-"),
            "{origin}: {name} in {:?}",
            res.headers()
        );
    }
    assert!(vary(res).contains(&"origin".to_owned()), "{origin}");
}

/// Every origin in `origins` is refused on `/account` before its handler runs.
async fn assert_all_refused(origins: &[&str]) {
    assert_all_refused_on("/account", origins).await;
}

/// Every origin in `origins` is refused on `path` before its handler runs.
async fn assert_all_refused_on(path: &str, origins: &[&str]) {
    for origin in origins {
        let res = get_from(path, origin.as_bytes()).await;
        assert_refused(&res, origin);
    }
}

/// A trybuild case in `tests/ui/fail` still holds `attack` and still fails
/// to compile with `message` (its expected compiler output).
#[track_caller]
fn assert_ui_case(source: &str, stderr: &str, attack: &str, message: &str) {
    assert!(
        source.contains(&format!("origins = [\"{attack}\"]")),
        "{source}"
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(message), "{stderr}");
}

#[actix_web::test]
async fn origin_reflection() {
    // The handler reflects whatever `Origin` arrives; the middleware refuses
    // every foreign origin before the handler runs…
    assert_all_refused(&[
        "https://evil.example.net",
        "https://attacker.com",
        "http://localhost:1337",
        "https://app.example.com.attacker.com",
    ])
    .await;
    // …and under `on_disallowed = "pass"`, where the handler runs, strips what it reflected.
    let res = get_from("/lenient", b"https://evil.example.net").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(values(&res, header::ACCESS_CONTROL_ALLOW_ORIGIN).is_empty());
    assert!(values(&res, header::ACCESS_CONTROL_ALLOW_CREDENTIALS).is_empty());
    assert!(vary(&res).contains(&"origin".to_owned()));
    // The allowed origin gets its own value, once, even though the handler set one too.
    let res = get_from("/account", SITE.as_bytes()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(values(&res, header::ACCESS_CONTROL_ALLOW_ORIGIN), [SITE]);
    assert_eq!(
        values(&res, header::ACCESS_CONTROL_ALLOW_CREDENTIALS),
        ["true"]
    );
}

#[actix_web::test]
async fn null_trust() {
    // Sandboxed iframes, data: and file: documents send `Origin: null`.
    assert_all_refused(&["null", "NULL", "Null", " null"]).await;
    let res = get_from("/lenient", b"null").await;
    assert!(values(&res, header::ACCESS_CONTROL_ALLOW_ORIGIN).is_empty());
    // As configuration: refused by the rule and at compile time.
    assert_eq!(check("null"), Err(Problem::Null));
    assert_ui_case(
        include_str!("ui/fail/null_origin.rs"),
        include_str!("ui/fail/null_origin.stderr"),
        "null",
        "origin `null` is refused",
    );
}

#[actix_web::test]
async fn prefix_match() {
    assert_all_refused(&[
        "https://app.example.com.evil.net",
        "https://app.example.com.evil.net:443",
        "https://app.example.community",
        "https://app.example.com-evil.net",
        "https://app.example.co",
        "https://app.example.com:8443",
        "https://app.example.com/",
        "https://app.example.com/.evil.net",
    ])
    .await;
}

#[actix_web::test]
async fn suffix_match() {
    assert_all_refused(&[
        "https://evilapp.example.com",
        "https://evil-example.com",
        "https://evil.app.example.com",
        "https://evilexample.com",
        "https://example.com",
        "https://xapp.example.com",
    ])
    .await;
}

#[actix_web::test]
async fn unescaped_dot_near_misses() {
    // What `app.example.com` as an unescaped regex would also match.
    assert_all_refused(&[
        "https://appXexample.com",
        "https://appxexample.com",
        "https://app-example.com",
        "https://app.exampleXcom",
        "https://app.example_com",
    ])
    .await;
}

#[actix_web::test]
async fn userinfo_and_backslash_tricks() {
    // At run time: never equal to the configured origin, so refused.
    assert_all_refused(&[
        "https://app.example.com@evil.net",
        "https://app.example.com\\.evil.net",
        "https://evil.net@app.example.com",
        "https://evil.net\\@app.example.com",
        "https://app.example.com%40evil.net",
    ])
    .await;
    // As configuration: the host of `a@b` is `b`, and `\` is read as `/`.
    assert_eq!(
        check("https://app.example.com@evil.net"),
        Err(Problem::Userinfo {
            host: Some("evil.net".into())
        })
    );
    assert_eq!(
        check("https://app.example.com\\.evil.net"),
        Err(Problem::Backslash {
            origin: SITE.into()
        })
    );
    assert_ui_case(
        include_str!("ui/fail/origin_with_userinfo.rs"),
        include_str!("ui/fail/origin_with_userinfo.stderr"),
        "https://app.example.com@evil.example.net",
        "its host is `evil.example.net`",
    );
    assert_ui_case(
        include_str!("ui/fail/origin_with_backslash.rs"),
        include_str!("ui/fail/origin_with_backslash.stderr"),
        "https://app.example.com\\\\.evil.example.net",
        "which browsers read as `/`",
    );
}

#[actix_web::test]
async fn special_characters_in_hosts() {
    // Some browsers once sent these in hosts; a parser that stops at them
    // would see `app.example.com`. Exact matching never does.
    assert_all_refused(&[
        "https://app.example.com_.evil.net",
        "https://app.example.com`.evil.net",
        "https://app.example.com}.evil.net",
        "https://app.example.com%60.evil.net",
        "https://app.example.com{.evil.net",
        "https://app.example.com|.evil.net",
        "https://app.example.com!.evil.net",
        "https://app_example.com",
    ])
    .await;
    // As configuration: characters no host name has are refused…
    for (origin, character) in [
        ("https://app`example.com", '`'),
        ("https://app}example.com", '}'),
        ("https://app%60example.com", '`'),
        ("https://app{example.com", '{'),
    ] {
        assert_eq!(
            check(origin),
            Err(Problem::BadHost {
                character: Some(character)
            }),
            "{origin}"
        );
    }
    assert_ui_case(
        include_str!("ui/fail/bad_host_character.rs"),
        include_str!("ui/fail/bad_host_character.stderr"),
        "https://app`example.com",
        "has '`' in its host",
    );
    // …while `_`, which real host names (and browsers) use, is a character
    // like any other: only that exact origin matches.
    assert!(check("https://app_1.example.com").is_ok());
    let res = get_from("/underscore", b"https://app_1.example.com").await;
    assert_eq!(
        values(&res, header::ACCESS_CONTROL_ALLOW_ORIGIN),
        ["https://app_1.example.com"]
    );
    assert_all_refused_on(
        "/underscore",
        &[
            "https://app-1.example.com",
            "https://app.1.example.com",
            "https://app1.example.com",
            "https://app_1.example.com_.evil.net",
        ],
    )
    .await;
}

#[actix_web::test]
async fn http_origin_trusted_by_https_site() {
    // A network attacker can inject script into the plain-http page.
    assert_all_refused(&["http://app.example.com", "http://app.example.com:443"]).await;
    // As configuration: flagged insecure, refused unless the handler opts
    // in; loopback development origins are not.
    assert!(check("http://app.example.com").unwrap().insecure);
    assert!(check("http://10.0.0.1").unwrap().insecure);
    assert!(!check("http://localhost:3000").unwrap().insecure);
    assert!(!check("http://127.0.0.1:3000").unwrap().insecure);
    assert!(!check("https://app.example.com").unwrap().insecure);
    assert_ui_case(
        include_str!("ui/fail/insecure_http_origin.rs"),
        include_str!("ui/fail/insecure_http_origin.stderr"),
        "http://app.example.com",
        "plain-http origin `http://app.example.com` is refused",
    );
}

#[actix_web::test]
async fn trusting_all_subdomains() {
    // `https://*.example.com` trusts every subdomain: one that an attacker
    // controls (a forgotten DNS record, user content, a compromised
    // preview) reads the user's responses. That is what the pattern says…
    for trusted in [
        "https://evil.example.com",
        "https://a.b.example.com",
        "http://localhost:1337",
    ] {
        let res = get_from("/wildcard", trusted.as_bytes()).await;
        assert_eq!(values(&res, header::ACCESS_CONTROL_ALLOW_ORIGIN), [trusted]);
    }
    // …and nothing more: not the base domain, not look-alikes, not hosts
    // no browser sends, not another scheme or port.
    assert_all_refused_on(
        "/wildcard",
        &[
            "https://example.com",
            "https://evilexample.com",
            "https://example.com.evil.net",
            "https://a.example.com.evil.net",
            "https://a.example.com@evil.net",
            "https://evil.net\\.example.com",
            "https://evil.net/.example.com",
            "https://a_b.example.com",
            "https://a%60b.example.com",
            "https://a`b.example.com",
            "https://A.example.com",
            "https://.example.com",
            "https://a..example.com",
            "https://a.example.com.",
            "https://a.example.com:8443",
            "http://a.example.com",
            "http://localhost",
            "http://localhost:0",
            "http://localhost:03000",
            "http://localhost:65536",
            "http://localhost.evil.net:3000",
            "null",
        ],
    )
    .await;
    // As configuration: no wildcard under a public suffix, only as the
    // whole leftmost label, and any port on loopback hosts only.
    for (pattern, problem) in [
        (
            "https://*.github.io",
            Problem::PublicSuffixWildcard {
                suffix: "github.io".into(),
            },
        ),
        (
            "https://*.co.uk",
            Problem::PublicSuffixWildcard {
                suffix: "co.uk".into(),
            },
        ),
        ("https://*example.com", Problem::BadWildcard),
        ("https://app.*.com", Problem::BadWildcard),
        ("*", Problem::Wildcard),
        (
            "https://app.example.com:*",
            Problem::PortWildcardNotLoopback {
                input: "https://app.example.com:*".into(),
            },
        ),
    ] {
        assert_eq!(entry::check(pattern), Err(problem), "{pattern}");
    }
    assert!(entry::check("http://*.example.com").unwrap().is_insecure());
    assert_ui_case(
        include_str!("ui/fail/public_suffix_wildcard.rs"),
        include_str!("ui/fail/public_suffix_wildcard.stderr"),
        "https://*.github.io",
        "is a public suffix",
    );
    assert_ui_case(
        include_str!("ui/fail/port_wildcard_not_loopback.rs"),
        include_str!("ui/fail/port_wildcard_not_loopback.stderr"),
        "https://app.example.com:*",
        "any-port patterns are for development servers",
    );
}

#[actix_web::test]
async fn cache_poisoning_through_missing_vary() {
    let app = test::init_service(app()).await;
    let send = |req: test::TestRequest| {
        let req = req
            .insert_header((header::HOST, "api.example.com"))
            .to_request();
        app.call(req)
    };
    let origin = |path: &str, origin: &'static str| {
        test::TestRequest::get()
            .uri(path)
            .insert_header((header::ORIGIN, origin))
    };
    let preflight = |origin: &'static str, method: &'static str| {
        test::TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/transfer")
            .insert_header((header::ORIGIN, origin))
            .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, method))
            .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type"))
    };
    // A shared cache keyed on the URL alone must never hand one of these to
    // another origin: every response says it varies on `Origin`.
    let cases = [
        ("allowed", origin("/account", SITE)),
        ("no Origin", test::TestRequest::get().uri("/account")),
        (
            "refused (403)",
            origin("/account", "https://evil.example.net"),
        ),
        ("same-origin", origin("/account", "http://api.example.com")),
        (
            "sec-fetch-site same-origin",
            origin("/account", "https://api.example.com")
                .insert_header(("sec-fetch-site", "same-origin")),
        ),
        (
            "pass, not allowed",
            origin("/lenient", "https://evil.example.net"),
        ),
        ("handler error, allowed", origin("/fails", SITE)),
        (
            "handler error, no Origin",
            test::TestRequest::get().uri("/fails"),
        ),
        ("handler's own Vary", origin("/own-vary", SITE)),
        (
            "handler's own Vary, no Origin",
            test::TestRequest::get().uri("/own-vary"),
        ),
        ("preflight granted", preflight(SITE, "POST")),
        (
            "preflight refused",
            preflight("https://evil.example.net", "POST"),
        ),
        (
            "two Origin headers",
            origin("/account", SITE).append_header((header::ORIGIN, SITE)),
        ),
    ];
    for (what, req) in cases {
        let res = send(req).await.unwrap();
        let vary = vary(&res);
        assert!(
            vary.contains(&"origin".to_owned()),
            "{what}: {} {vary:?}",
            res.status()
        );
        if what.starts_with("preflight") {
            for name in [
                "access-control-request-method",
                "access-control-request-headers",
            ] {
                assert!(vary.contains(&name.to_owned()), "{what}: {vary:?}");
            }
        }
        if what.starts_with("handler's own Vary") {
            assert!(vary.contains(&"accept-encoding".to_owned()), "{what}");
        }
    }
}

// ---------------------------------------------------------------------------
// Log injection

/// The records of cors-credentials in `capture`, logged by any thread, that
/// mention `marker` (a path only this test uses), taken out of it.
fn records_about(capture: &Capture, marker: &str) -> Vec<String> {
    capture
        .take(|record| {
            record.target.starts_with("cors_credentials") && record.message.contains(marker)
        })
        .into_iter()
        .map(|record| record.message)
        .collect()
}

/// A log record is one line of printable ASCII (and `…`, which marks a
/// value cut short), whatever the request held.
#[track_caller]
fn assert_one_clean_line(message: &str) {
    assert!(
        message
            .chars()
            .all(|c| c.is_ascii_graphic() || c == ' ' || c == '…'),
        "{message:?}"
    );
}

#[actix_web::test]
async fn log_injection_through_origin() {
    let capture = Capture::start();
    let app = test::init_service(app()).await;
    // Every byte HTTP lets through in a header value: tab, quotes, DEL-free
    // ASCII, and non-ASCII ones such as U+2028 LINE SEPARATOR and NEL, which
    // some log viewers break lines at.
    let hostile: [&[u8]; 6] = [
        b"https://evil.net\" status=\"200",
        b"https://evil.net\tINFO forged",
        b"https://evil.net\xe2\x80\xa8INFO forged",
        b"https://evil.net\xc2\x85INFO forged",
        b"https://evil.net\\x0aINFO not a newline",
        b"https://evil.net\xff\xfe",
    ];
    for origin in hostile {
        let req = test::TestRequest::get()
            .uri("/audit")
            .insert_header((header::ORIGIN, HeaderValue::from_bytes(origin).unwrap()))
            .to_request();
        let res = app.call(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let records = records_about(&capture, "/audit");
        assert_eq!(records.len(), 1, "{records:?}");
        let message = &records[0];
        assert_one_clean_line(message);
        // The value is shown escaped (std's `escape_ascii`), so it stays
        // recognizable and cannot close the quotes around it.
        let escaped = origin.escape_ascii().to_string();
        assert!(message.contains(&format!("\"{escaped}\"")), "{message}");
    }

    // A long Origin is cut short in the log.
    let long = format!("https://{}.evil.net", "a".repeat(8 * 1024));
    let req = test::TestRequest::get()
        .uri("/audit")
        .insert_header((header::ORIGIN, long.as_str()))
        .to_request();
    assert_eq!(app.call(req).await.unwrap().status(), 403);
    let records = records_about(&capture, "/audit");
    assert_eq!(records.len(), 1);
    assert_one_clean_line(&records[0]);
    assert!(records[0].len() < 600, "{} bytes", records[0].len());
    assert!(records[0].contains(&format!("({} bytes)", long.len())));

    // Preflight values are logged the same way.
    let req = test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/preflight-audit")
        .insert_header((header::ORIGIN, SITE))
        .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "POST"))
        .insert_header((
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            HeaderValue::from_bytes(b"content-type, x-\xe2\x80\xa8\"forged").unwrap(),
        ))
        .to_request();
    assert_eq!(app.call(req).await.unwrap().status(), 403);
    let records = records_about(&capture, "/preflight-audit");
    assert_eq!(records.len(), 1, "{records:?}");
    assert_one_clean_line(&records[0]);
    assert!(
        records[0].contains(r#""x-\xe2\x80\xa8\"forged""#),
        "{}",
        records[0]
    );

    // CR, LF, ESC and NUL cannot reach the middleware over HTTP/1.1: the
    // parser answers 400 and no record is written…
    let logged_before = records_about(&capture, "/audit");
    assert!(logged_before.is_empty());
    for origin in [
        &b"https://evil.net\x1b[31m"[..],
        b"https://evil.net\x00",
        b"https://evil.net\x0bx",
    ] {
        assert_eq!(
            raw_status("/audit", origin),
            400,
            "{:?}",
            origin.escape_ascii().to_string()
        );
    }
    assert!(records_about(&capture, "/audit").is_empty());
    // …and if they ever did, the escaping would still hold them.
    let refusal = Refusal::OriginNotAllowed(b"https://evil.net\r\nINFO forged\x1b[31m\x00");
    let req = test::TestRequest::get()
        .uri("/direct-audit")
        .to_srv_request();
    report_refusal(
        &refusal,
        Check::Request,
        &RequestView::new(req.head(), false),
    );
    let records = records_about(&capture, "/direct-audit");
    assert_eq!(records.len(), 1);
    assert_one_clean_line(&records[0]);
    assert!(records[0].contains(r#""https://evil.net\r\nINFO forged\x1b[31m\x00""#));
    assert_eq!(
        Escaped(b"\n\r\x1b\x7f\"\\").to_string(),
        r#""\n\r\x1b\x7f\"\\""#
    );
}

/// Sends `GET path` with the raw `Origin` bytes over HTTP/1.1 to a real
/// server on loopback and returns the status code.
fn raw_status(path: &str, origin: &[u8]) -> u16 {
    let request = raw_http::request("GET", path, &[("Origin", origin)]);
    raw_http::status(&raw_http::exchange(routes, request))
}
