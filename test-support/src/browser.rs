//! A real browser for tests: Debian's headless Chromium, driven through
//! chromedriver (WebDriver) by fantoccini. Behind the `browser` feature.
//!
//! [`tools`] finds Chromium and chromedriver in `PATH`. Without them it
//! prints "skipped: chromium not found" and returns `None`, so the test
//! passes, unless `CORS_CREDENTIALS_REQUIRE_BROWSER=1` (as in CI), which
//! makes it panic instead. Nothing here downloads a browser or a driver.
//!
//! [`Browser::launch`] starts chromedriver on a free loopback port and a
//! Chromium session with a fresh profile. No CORS or security setting of
//! Chromium is changed; the one setting a test chooses is the third-party
//! cookie setting ([`ThirdPartyCookies`]), set explicitly either way. The
//! other flags only keep Chromium quiet and offline: headless, no sandbox (CI
//! runs as root), a fresh profile, no background networking, component
//! updates, sync, first-run UI, QUIC or GPU.
//!
//! [`evaluate`], [`element_text`] and [`element_attribute`] read the page.

use std::{
    net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::atomic::{AtomicUsize, Ordering},
    time::{Duration, Instant},
};

pub use fantoccini::Client;
use fantoccini::{wd::TimeoutConfiguration, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// Set to `1`, a missing Chromium or chromedriver fails the test.
pub const REQUIRE_BROWSER: &str = "CORS_CREDENTIALS_REQUIRE_BROWSER";

/// Chromium and chromedriver, as found in `PATH`.
pub struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

/// Chromium and chromedriver from `PATH`; `None` (after saying so) when the
/// test should skip. Panics instead when [`REQUIRE_BROWSER`] is `1`.
#[track_caller]
pub fn tools() -> Option<Tools> {
    let chromium = find_in_path(&["chromium", "chromium-browser"]);
    let chromedriver = find_in_path(&["chromedriver"]);
    match (chromium, chromedriver) {
        (Some(chromium), Some(chromedriver)) => Some(Tools {
            chromium,
            chromedriver,
        }),
        (chromium, _) => {
            let missing = if chromium.is_none() {
                "chromium"
            } else {
                "chromedriver"
            };
            if std::env::var_os(REQUIRE_BROWSER).is_some_and(|v| v == "1") {
                panic!("{missing} not found in PATH, and {REQUIRE_BROWSER}=1 requires it (Debian: apt-get install chromium chromium-driver)");
            }
            println!("skipped: chromium not found (no `{missing}` in PATH)");
            None
        }
    }
}

fn find_in_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| is_executable(candidate))
    })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Chromium's third-party cookie setting (the `profile.cookie_controls_mode`
/// preference), which each test sets explicitly so none depends on the
/// default.
#[derive(Clone, Copy, Debug)]
pub enum ThirdPartyCookies {
    /// Blocked: Safari's and Firefox's (strict) behaviour, Chrome's in
    /// Incognito, and that of a fresh profile of Debian's Chromium.
    Blocked = 1,
    /// Allowed: the "Allow third-party cookies" setting.
    Allowed = 0,
}

/// A chromedriver process, its Chromium session and the session's profile.
pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
}

impl Browser {
    /// Starts chromedriver and a Chromium session with a fresh profile.
    ///
    /// `host_resolver_rules` is Chromium's `--host-resolver-rules` (for
    /// example `MAP localhost:3000 127.0.0.1:41234`): it sends connections
    /// elsewhere without changing the origin the page has.
    pub async fn launch(
        tools: &Tools,
        host_resolver_rules: &str,
        cookies: ThirdPartyCookies,
    ) -> Browser {
        static PROFILES: AtomicUsize = AtomicUsize::new(0);
        let profile = std::env::temp_dir().join(format!(
            "cors-credentials-browser-{}-{}",
            std::process::id(),
            PROFILES.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).unwrap();

        let (driver, url) = start_chromedriver(&tools.chromedriver);
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            format!("--user-data-dir={}", profile.display()),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-quic".to_owned(),
            "--disable-gpu".to_owned(),
            format!("--host-resolver-rules={host_resolver_rules}"),
        ];
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": tools.chromium,
                "args": args,
                "prefs": { "profile": { "cookie_controls_mode": cookies as u8 } },
            },
        });
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(serde_json::from_value(capabilities).unwrap());
        let client = match builder.connect(&url).await {
            Ok(client) => client,
            Err(error) => {
                let mut driver = driver;
                let _ = driver.kill();
                let _ = driver.wait();
                let _ = std::fs::remove_dir_all(&profile);
                panic!("cannot start Chromium through chromedriver: {error}");
            }
        };
        let timeouts = TimeoutConfiguration::new(
            Some(Duration::from_secs(10)),
            Some(Duration::from_secs(10)),
            None,
        );
        client.update_timeouts(timeouts).await.unwrap();
        Browser {
            client,
            driver,
            profile,
        }
    }

    /// Ends the session (chromedriver closes Chromium), then chromedriver,
    /// and removes the profile.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Starts chromedriver on a free loopback port; returns it and its URL.
fn start_chromedriver(chromedriver: &Path) -> (Child, String) {
    for _ in 0..3 {
        let port = port(&loopback_listener());
        let mut driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot run chromedriver");
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if driver.try_wait().unwrap().is_some() {
                break; // Exited: most likely the port was taken meanwhile.
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return (driver, format!("http://{addr}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = driver.kill();
        let _ = driver.wait();
    }
    panic!("chromedriver did not start");
}

/// A listener on a free loopback port.
pub fn loopback_listener() -> TcpListener {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap()
}

/// The port `listener` is bound to.
pub fn port(listener: &TcpListener) -> u16 {
    listener.local_addr().unwrap().port()
}

/// Evaluates a JavaScript expression in the page, typically a call of one of
/// its functions, and returns what it (or the promise it returns) resolves
/// to. Panics if the expression throws or its promise is rejected.
pub async fn evaluate(client: &Client, expression: &str) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         Promise.resolve().then(() => {expression})
           .then(done, (e) => done({{ thrown: String(e) }}));"
    );
    let value = client.execute_async(&script, vec![]).await.unwrap();
    assert!(value.get("thrown").is_none(), "{expression}: {value}");
    value
}

/// The `textContent` of the element with this `id` ("" without one).
pub async fn element_text(client: &Client, id: &str) -> String {
    let script = format!("return document.getElementById('{id}').textContent");
    let value = client.execute(&script, vec![]).await.unwrap();
    value.as_str().unwrap_or_default().to_owned()
}

/// The attribute `name` of the element with this `id` ("" without one).
pub async fn element_attribute(client: &Client, id: &str, name: &str) -> String {
    let script = format!("return document.getElementById('{id}').getAttribute('{name}')");
    let value = client.execute(&script, vec![]).await.unwrap();
    value.as_str().unwrap_or_default().to_owned()
}
