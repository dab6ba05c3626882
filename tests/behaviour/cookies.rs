//! Rule 27: the cookie diagnostics. A response to an allowed request from a
//! cross-site origin gets a `warn` record of target `cors_credentials` for
//! each `Set-Cookie` a browser will drop or keep from the next cross-site
//! request, once per origin, cookie name and problem; none for same-site
//! origins, correct cookies, or when the diagnostics are off. The responses
//! are the handler's either way.

use test_support::{
    driver::{Adapter, Driver, Req},
    log::Capture,
};

/// Over https (a proxy's `X-Forwarded-Proto`), to `api.example.com`.
const HTTPS: &[(&str, &str)] = &[("x-forwarded-proto", "https")];

/// `GET /cookies/{prefix}`, with a prefix per adapter and case, so that no
/// other test's reports count (they are once per process).
fn path(adapter: Adapter, case: &str) -> &'static str {
    match (adapter, case) {
        (Adapter::Actix, "cross") => "/cookies/actix-cross",
        (Adapter::Actix, "same") => "/cookies/actix-same",
        (Adapter::Actix, "off") => "/cookies/actix-off",
        (Adapter::Tower, "cross") => "/cookies/tower-cross",
        (Adapter::Tower, "same") => "/cookies/tower-same",
        (Adapter::Tower, "off") => "/cookies/tower-off",
        other => panic!("no cookie case {other:?}"),
    }
}

/// The `warn` records of target `cors_credentials` logged on this thread
/// while `app` answers `req` from `origin`, whose cookies must be the
/// handler's, untouched.
async fn warnings<D: Driver>(app: &D, req: Req, origin: &str) -> Vec<String> {
    let capture = Capture::start();
    let res = app.send(&req, Some(origin)).await;
    assert_eq!(res.status, 200, "{:?}: {:?}", D::ADAPTER, res.headers);
    let set_cookies: Vec<&str> = res
        .headers
        .iter()
        .filter(|(name, _)| name == "set-cookie")
        .map(|(_, value)| value.as_str())
        .collect();
    let prefix = req.path.trim_start_matches("/cookies/");
    assert_eq!(
        set_cookies,
        crate::fixtures::cookie_lines(prefix),
        "{:?}",
        D::ADAPTER
    );
    capture
        .on_this_thread()
        .into_iter()
        .filter(|record| record.level == log::Level::Warn && record.target == "cors_credentials")
        .map(|record| record.message)
        .collect()
}

/// What each warning names: the cookie, the problem, without the value.
fn summary(records: &[String]) -> Vec<(String, &'static str)> {
    records
        .iter()
        .map(|record| {
            let cookie = record
                .strip_prefix("cors-credentials: cookie \"")
                .and_then(|rest| rest.split_once('"'))
                .map_or_else(|| panic!("{record}"), |(name, _)| name.to_owned());
            let problem = [
                ("has no valid SameSite", "no-samesite"),
                ("is SameSite=Lax:", "lax"),
                ("is SameSite=Strict:", "strict"),
                ("is SameSite=None without Secure", "none-without-secure"),
                ("is Secure but came over plain http", "secure-over-http"),
            ]
            .into_iter()
            .find(|(text, _)| record.contains(text))
            .map_or_else(|| panic!("no problem in {record}"), |(_, id)| id);
            for value in ["v1", "v2", "v3", "v4", "v5", "v6"] {
                assert!(!record.contains(&format!("={value}")), "{record}");
            }
            (cookie, problem)
        })
        .collect()
}

pub async fn diagnostics<D: Driver>(app: D) {
    let adapter = D::ADAPTER;
    let p = |name: &str| {
        format!(
            "{}-{name}",
            path(adapter, "cross").trim_start_matches("/cookies/")
        )
    };
    let cross = Req::new("GET", path(adapter, "cross"));
    let same = Req::new("GET", path(adapter, "same"));
    let off = Req::new("GET", path(adapter, "off"));
    assert!(
        cors_credentials::diagnostics::cookie_checks_enabled(),
        "on in debug builds"
    );

    // Cross-site over https: each cookie browsers will not send back.
    let records = warnings(&app, cross.headers(HTTPS), "https://app.example.net").await;
    assert_eq!(
        summary(&records),
        [
            (p("plain"), "no-samesite"),
            (p("lax"), "lax"),
            (p("strict"), "strict"),
            (p("none"), "none-without-secure"),
        ],
        "{adapter:?}"
    );
    let expected = format!(
        "cors-credentials: cookie \"{}\" in the response to the cross-site origin \"https://app.example.net\" is SameSite=Lax: browsers will not send it with the next cross-site request; set it with `SameSite=None; Secure`, over https. \"https://app.example.net\" is cross-site to this API, so the cookie is a third-party cookie there: Safari blocks third-party cookies and Firefox keeps them apart per site, whatever their attributes, and Chrome does when the user says so. `Partitioned` (CHIPS) keeps it, in browsers that support it, in a jar of the front end's site instead; serving the API under the front end's site (e.g. `api.` under the front end's domain) makes it first-party",
        p("lax")
    );
    assert_eq!(records[1], expected, "{adapter:?}");

    // Once per origin, cookie and problem.
    let again = warnings(&app, cross.headers(HTTPS), "https://app.example.net").await;
    assert_eq!(again, Vec::<String>::new(), "{adapter:?}");

    // Over plain http, `Secure` cookies are dropped: new problems only.
    let records = warnings(&app, cross, "https://app.example.net").await;
    assert_eq!(
        summary(&records),
        [
            (p("strict"), "secure-over-http"),
            (p("ok"), "secure-over-http"),
            (p("chips"), "secure-over-http"),
        ],
        "{adapter:?}"
    );

    // Another origin is another report; the scheme alone makes it
    // cross-site (https page, http API): the four of the first request
    // and the three of the last.
    let records = warnings(&app, cross, "https://app.example.com").await;
    assert_eq!(records.len(), 7, "{adapter:?}: {records:#?}");

    // Same-site (`app.example.com` and `api.example.com`, both https): nothing.
    let records = warnings(&app, same.headers(HTTPS), "https://app.example.com").await;
    assert_eq!(records, Vec::<String>::new(), "{adapter:?}");

    // Off: nothing, and the next request from the same origin after turning
    // them back on is reported.
    cors_credentials::diagnostics::enable_cookie_checks(false);
    let records = warnings(&app, off.headers(HTTPS), "https://app.example.net").await;
    cors_credentials::diagnostics::enable_cookie_checks(true);
    assert_eq!(records, Vec::<String>::new(), "{adapter:?}");
    let records = warnings(&app, off.headers(HTTPS), "https://app.example.net").await;
    assert_eq!(records.len(), 4, "{adapter:?}: {records:#?}");
}
