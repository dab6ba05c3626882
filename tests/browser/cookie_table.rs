//! The table of `cors-credentials/docs/cookies.md` ("What each engine does
//! with the session cookie"), measured: for each engine, third-party cookie
//! setting, set of cookie attributes, layout (same-site or cross-site) and
//! way of logging in, whether the next credentialed `fetch` from the page
//! carries the cookie.
//!
//! Everything is served over HTTPS with a certificate made here: a page
//! server for `https://localhost:3000` and `https://127.0.0.1:3000` (routed
//! to a free port, as the other browser tests do) and an API on
//! `https://localhost:<port>` whose `#[cors_credentials]` handlers allow
//! both. Each cell of the table uses a cookie name of its own, so no cell
//! sees another's cookie in the one browser an engine and setting share.
//!
//! The test builds the markdown table from what it measured and compares it
//! with the one between the markers in the docs; when they differ it fails
//! with the measured table, and with `CORS_CREDENTIALS_COOKIE_TABLE=overwrite`
//! it writes the measured table there instead. Without an engine it skips
//! (unless `CORS_CREDENTIALS_REQUIRE_BROWSER=1`): a table measured in part is
//! never compared or written.

use std::{
    fmt::Write as _,
    net::{Ipv4Addr, SocketAddr},
    path::PathBuf,
    time::Duration,
};

use actix_web::{get, post, rt::time::timeout, web, App, HttpRequest, HttpResponse, HttpServer};
use cors_credentials::cors_credentials;
use cors_credentials_examples::tls::Tls;
use serde::Deserialize;
use test_support::browser::{self, loopback_listener, port, Browser, Engine, ThirdPartyCookies};

/// Set to `overwrite`, the test writes the measured table into the docs.
const OVERWRITE: &str = "CORS_CREDENTIALS_COOKIE_TABLE";
/// The docs page and the markers around the table in it.
const DOCS: &str = "cors-credentials/docs/cookies.md";
const START: &str = "<!-- measured by tests/browser/cookie_table.rs: start -->";
const END: &str = "<!-- measured by tests/browser/cookie_table.rs: end -->";
/// The longest one browser's measurements may take.
const MEASURE_TIMEOUT: Duration = Duration::from_secs(120);

/// The cookie attributes measured (after `name=value; Path=/; HttpOnly`).
const ATTRIBUTES: [&str; 3] = [
    "SameSite=Lax; Secure",
    "SameSite=None; Secure",
    "SameSite=None; Secure; Partitioned",
];

/// Where the page is: the API is on `https://localhost:<port>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// `https://localhost:3000`: same site as the API.
    SameSite,
    /// `https://127.0.0.1:3000`: another site.
    CrossSite,
}

impl Layout {
    const ALL: [Layout; 2] = [Layout::SameSite, Layout::CrossSite];

    fn page(self) -> &'static str {
        match self {
            Layout::SameSite => "https://localhost:3000",
            Layout::CrossSite => "https://127.0.0.1:3000",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Layout::SameSite => "same-site",
            Layout::CrossSite => "cross-site",
        }
    }
}

/// How the user logged in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Login {
    /// A credentialed `fetch` from the page to the API sets the cookie.
    Cors,
    /// A visit to the API's own origin sets it; then the page loads.
    FirstParty,
}

impl Login {
    const ALL: [Login; 2] = [Login::Cors, Login::FirstParty];

    fn name(self) -> &'static str {
        match self {
            Login::Cors => "CORS `fetch` from the page",
            Login::FirstParty => "first-party, on the API's origin",
        }
    }
}

/// The columns: each engine with third-party cookies blocked, then allowed.
const SETTINGS: [ThirdPartyCookies; 2] = [ThirdPartyCookies::Blocked, ThirdPartyCookies::Allowed];

#[test]
fn cookie_table_in_the_docs_is_what_the_engines_do() {
    if Engine::ALL
        .into_iter()
        .any(|engine| browser::tools(engine).is_none())
    {
        println!("skipped: the table needs every engine");
        return;
    }
    // One thread (and browser) per column; the harness runs three at most.
    let handles: Vec<_> = Engine::ALL
        .into_iter()
        .flat_map(|engine| SETTINGS.map(|setting| (engine, setting)))
        .map(|(engine, setting)| std::thread::spawn(move || measure(engine, setting)))
        .collect();
    let measured: Vec<Vec<bool>> = handles
        .into_iter()
        .map(|handle| {
            handle
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e))
        })
        .collect();
    let table = render(&measured);

    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(DOCS);
    let docs = std::fs::read_to_string(&path).unwrap();
    let (before, rest) = docs.split_once(START).expect("the start marker");
    let (current, after) = rest.split_once(END).expect("the end marker");
    if current.trim() == table.trim() {
        return;
    }
    if std::env::var(OVERWRITE).is_ok_and(|v| v == "overwrite") {
        std::fs::write(&path, format!("{before}{START}\n{table}{END}{after}")).unwrap();
        println!("wrote the measured table into {DOCS}");
        return;
    }
    panic!(
        "{DOCS} does not show what the engines did; measured (write it with {OVERWRITE}=overwrite):\n{table}"
    );
}

/// The markdown table: a row per attribute set, login and layout; a column
/// per engine and setting; "sent" where the next credentialed `fetch`
/// carried the cookie.
fn render(measured: &[Vec<bool>]) -> String {
    let mut table = String::from("| cookie | logged in | page |");
    let mut rule = String::from("| --- | --- | --- |");
    for engine in Engine::ALL {
        for setting in SETTINGS {
            let setting = match setting {
                ThirdPartyCookies::Blocked => "third-party blocked",
                ThirdPartyCookies::Allowed => "third-party allowed",
            };
            let _ = write!(table, " {} ({setting}) |", title(engine));
            rule.push_str(" --- |");
        }
    }
    table.push('\n');
    table.push_str(&rule);
    table.push('\n');
    for (row, (attributes, login, layout)) in cells().enumerate() {
        let _ = write!(
            table,
            "| `{attributes}` | {} | {} |",
            login.name(),
            layout.name()
        );
        for column in measured {
            table.push_str(if column[row] {
                " sent |"
            } else {
                " not sent |"
            });
        }
        table.push('\n');
    }
    table
}

fn title(engine: Engine) -> &'static str {
    match engine {
        Engine::Chromium => "Chromium",
        Engine::Firefox => "Firefox",
        Engine::WebKit => "WebKit",
    }
}

/// The rows, in order.
fn cells() -> impl Iterator<Item = (&'static str, Login, Layout)> {
    ATTRIBUTES.into_iter().flat_map(|attributes| {
        Login::ALL
            .into_iter()
            .flat_map(move |login| Layout::ALL.map(move |layout| (attributes, login, layout)))
    })
}

/// One column: a fresh browser of `engine` with `setting`, against fresh
/// servers; for each row, whether the cookie came back.
fn measure(engine: Engine, setting: ThirdPartyCookies) -> Vec<bool> {
    let tools = browser::tools(engine).expect("found before");
    actix_web::rt::System::new().block_on(async move {
        let tls = Tls::self_signed().unwrap();
        let (api, page) = (loopback_listener(), loopback_listener());
        let (api_port, page_addr) = (
            port(&api),
            SocketAddr::from((Ipv4Addr::LOCALHOST, port(&page))),
        );
        let api_server = HttpServer::new(|| {
            App::new()
                .service(cors_login)
                .service(first_party_login)
                .service(sent)
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(1)
        .listen_rustls_0_23(api, tls.server_config())
        .unwrap()
        .run();
        let page_server = HttpServer::new(|| App::new().route("/", web::get().to(blank_page)))
            .workers(1)
            .disable_signals()
            .shutdown_timeout(1)
            .listen_rustls_0_23(page, tls.server_config())
            .unwrap()
            .run();
        let handles = [api_server.handle(), page_server.handle()];
        actix_web::rt::spawn(api_server);
        actix_web::rt::spawn(page_server);

        let routes = [("localhost:3000", page_addr), ("127.0.0.1:3000", page_addr)];
        let browser = Browser::launch(&tools, &routes, setting).await;
        let client = browser.client.clone();
        let api = format!("https://localhost:{api_port}");
        let run = async move {
            let mut column = Vec::new();
            for (row, (attributes, login, layout)) in cells().enumerate() {
                let query = format!(
                    "cookie=c{row}&attributes={}",
                    attributes.replace(' ', "%20").replace(';', "%3B").replace('=', "%3D")
                );
                let page = format!("{}/", layout.page());
                match login {
                    Login::Cors => {
                        client.goto(&page).await.unwrap();
                        let status = browser::evaluate(
                            &client,
                            &format!(
                                "fetch('{api}/login?{query}', {{ method: 'POST', credentials: 'include' }}).then((r) => r.status)"
                            ),
                        )
                        .await;
                        assert_eq!(status, 200, "{engine:?} {row}");
                    }
                    Login::FirstParty => {
                        client
                            .goto(&format!("{api}/first-party-login?{query}"))
                            .await
                            .unwrap();
                    }
                }
                client.goto(&page).await.unwrap();
                let answer = browser::evaluate(
                    &client,
                    &format!(
                        "fetch('{api}/sent?cookie=c{row}', {{ credentials: 'include' }}).then((r) => r.json())"
                    ),
                )
                .await;
                column.push(answer["sent"].as_bool().expect("an answer"));
            }
            column
        };
        let outcome = actix_web::rt::spawn(timeout(MEASURE_TIMEOUT, run)).await;
        browser.close().await;
        for handle in handles {
            handle.stop(true).await;
        }
        match outcome {
            Ok(Ok(column)) => column,
            Ok(Err(_)) => panic!("{engine:?}: measuring took longer than {MEASURE_TIMEOUT:?}"),
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    })
}

#[derive(Deserialize)]
struct SetCookie {
    cookie: String,
    attributes: String,
}

#[derive(Deserialize)]
struct Named {
    cookie: String,
}

/// The `Set-Cookie` of a row: `<name>=1; Path=/; HttpOnly; <attributes>`.
fn set_cookie(query: &SetCookie) -> String {
    assert!(ATTRIBUTES.contains(&query.attributes.as_str()));
    assert!(query.cookie.bytes().all(|b| b.is_ascii_alphanumeric()));
    format!("{}=1; Path=/; HttpOnly; {}", query.cookie, query.attributes)
}

/// Logs in from the page: a credentialed CORS `POST`.
#[cors_credentials(origins = ["https://localhost:3000", "https://127.0.0.1:3000"])]
#[post("/login")]
async fn cors_login(query: web::Query<SetCookie>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("set-cookie", set_cookie(&query)))
        .json(serde_json::json!({ "logged_in": true }))
}

/// Logs in on the API's own origin: a top-level visit.
#[get("/first-party-login")]
async fn first_party_login(query: web::Query<SetCookie>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("set-cookie", set_cookie(&query)))
        .content_type("text/plain; charset=utf-8")
        .body("logged in\n")
}

/// Whether the request carried the cookie named in the query.
#[cors_credentials(origins = ["https://localhost:3000", "https://127.0.0.1:3000"])]
#[get("/sent")]
async fn sent(req: HttpRequest, query: web::Query<Named>) -> HttpResponse {
    let sent = req.cookie(&query.cookie).is_some();
    HttpResponse::Ok().json(serde_json::json!({ "sent": sent }))
}

async fn blank_page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body("<!doctype html><title>cookie table</title>")
}
