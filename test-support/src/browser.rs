//! Real browsers for tests: Debian's Chromium, Firefox ESR and WebKitGTK,
//! each driven through its WebDriver server by fantoccini. Behind the
//! `browser` feature.
//!
//! | [`Engine`] | browser | WebDriver server | display |
//! | --- | --- | --- | --- |
//! | Chromium | `chromium` (Debian `chromium`) | `chromedriver` (`chromium-driver`) | headless |
//! | Firefox | `firefox-esr` (`firefox-esr`) | `geckodriver` (`cargo install geckodriver --locked`) | headless |
//! | WebKit | WebKitGTK's `MiniBrowser` (`libwebkit2gtk-4.1-0`) | `WebKitWebDriver` (`webkit2gtk-driver`) | an `Xvfb` of its own (`xvfb`) |
//!
//! [`tools`] finds an engine's programs: in `PATH`, geckodriver also in
//! `$CARGO_HOME/bin` or `~/.cargo/bin`, MiniBrowser in WebKitGTK's
//! library directory. Without them it prints "skipped: ENGINE not found"
//! and returns `None`, so the test passes, unless
//! `CORS_CREDENTIALS_REQUIRE_BROWSER=1` (as in CI), which makes it panic
//! instead. Nothing here downloads a browser or a driver.
//!
//! [`Browser::launch`] starts the WebDriver server on a free loopback port
//! (ready once `GET /status` answers as a WebDriver server does) and a
//! session with a fresh profile; when the session cannot be created it
//! starts all of it again, up to three times, printing the server's log. WebKitGTK has no headless mode, so the
//! harness starts an `Xvfb` on a free display number for each WebKit browser
//! (and stops it with the browser): plain `cargo test` works wherever the
//! packages are installed, with no `xvfb-run` around it.
//!
//! No CORS or cookie security setting of any engine is changed; the one
//! setting a test chooses is the third-party cookie setting
//! ([`ThirdPartyCookies`]), set explicitly either way.
//!
//! HTTPS. The tests serve https with a self-signed certificate made at test
//! time, which no engine trusts; every session asks for WebDriver's standard
//! `acceptInsecureCerts: true` capability, which chromedriver, geckodriver
//! and WebKitWebDriver all honour (no engine flag is needed), so the page
//! loads and its `fetch` calls reach the API instead of failing on the
//! certificate. Everything a browser reaches is on this machine (the proxy
//! refuses anything else), so the only certificate it accepts this way is
//! the test's own. The origin stays `https://`: a secure context, where
//! `Secure` cookies are kept (WebKit drops them over `http://localhost`). The other settings only keep the browsers quiet
//! and offline (no updates, telemetry, safe-browsing lists, captive-portal or
//! connectivity checks, prefetching, QUIC/HTTP/3 or GPU).
//!
//! Origins. Tests serve pages on origins compiled into the code under test
//! (`http://localhost:3000`) from servers on free ports; [`Browser::launch`]
//! takes the routes from those authorities to the real addresses. The page
//! keeps its origin; only the TCP connection goes elsewhere, which CORS never
//! sees. Chromium does this with `--host-resolver-rules`. Firefox and WebKit
//! have no such setting, so their connections go through a loopback HTTP
//! forward proxy ([`proxy::Proxy`]) that applies the routes, for every host
//! including `localhost` (Firefox's `network.proxy.allow_hijacking_localhost`;
//! MiniBrowser's `--proxy` with no ignored host), WebSocket included.
//!
//! [`evaluate`], [`element_text`] and [`element_attribute`] read the page.

pub mod proxy;

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Condvar, Mutex,
    },
    time::{Duration, Instant},
};

pub use fantoccini::Client;
use fantoccini::{wd::TimeoutConfiguration, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use self::proxy::Proxy;

/// Set to `1`, a missing browser or WebDriver server fails the test.
pub const REQUIRE_BROWSER: &str = "CORS_CREDENTIALS_REQUIRE_BROWSER";

/// The most browsers one test process runs at once. The tests of one binary
/// run in parallel threads; on a small machine more browsers than this only
/// make each slower, and slow enough ones time out.
const MAX_BROWSERS: usize = 3;

/// A browser engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Chromium,
    Firefox,
    WebKit,
}

impl Engine {
    /// Every engine.
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::WebKit];

    /// The engine's name, lowercase.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
            Engine::WebKit => "webkit",
        }
    }

    /// What `fetch` rejects with when the browser blocks a request or its
    /// response (a CORS failure, a failed preflight, a refused connection),
    /// as `${error.name}: ${error.message}`.
    pub fn fetch_error(self) -> &'static str {
        match self {
            Engine::Chromium => "TypeError: Failed to fetch",
            Engine::Firefox => "TypeError: NetworkError when attempting to fetch resource.",
            Engine::WebKit => "TypeError: Load failed",
        }
    }

    /// The Debian packages (and crates) that provide the engine.
    fn install_hint(self) -> &'static str {
        match self {
            Engine::Chromium => "apt-get install chromium chromium-driver",
            Engine::Firefox => "apt-get install firefox-esr; cargo install geckodriver --locked",
            Engine::WebKit => "apt-get install webkit2gtk-driver xvfb",
        }
    }
}

/// An engine's programs, as found by [`tools`].
pub struct Tools {
    engine: Engine,
    browser: PathBuf,
    driver: PathBuf,
    /// The X server a WebKit browser gets (WebKitGTK has no headless mode).
    xvfb: Option<PathBuf>,
}

impl Tools {
    pub fn engine(&self) -> Engine {
        self.engine
    }
}

/// The engine's browser and WebDriver server; `None` (after saying so) when
/// the test should skip. Panics instead when [`REQUIRE_BROWSER`] is `1`.
#[track_caller]
pub fn tools(engine: Engine) -> Option<Tools> {
    match find_tools(engine) {
        Ok(tools) => Some(tools),
        Err(missing) => {
            let name = engine.name();
            if std::env::var_os(REQUIRE_BROWSER).is_some_and(|v| v == "1") {
                panic!(
                    "{name}: {missing} not found, and {REQUIRE_BROWSER}=1 requires it (Debian: {})",
                    engine.install_hint()
                );
            }
            println!("skipped: {name} not found (no `{missing}`)");
            None
        }
    }
}

/// The engine's programs, or the name of the first one missing.
fn find_tools(engine: Engine) -> Result<Tools, &'static str> {
    Ok(match engine {
        Engine::Chromium => Tools {
            engine,
            browser: need("chromium", find_in_path(&["chromium", "chromium-browser"]))?,
            driver: need("chromedriver", find_in_path(&["chromedriver"]))?,
            xvfb: None,
        },
        Engine::Firefox => Tools {
            engine,
            browser: need("firefox-esr", find_in_path(&["firefox-esr", "firefox"]))?,
            driver: need("geckodriver", find_geckodriver())?,
            xvfb: None,
        },
        Engine::WebKit => Tools {
            engine,
            browser: need("MiniBrowser", find_minibrowser())?,
            driver: need("WebKitWebDriver", find_in_path(&["WebKitWebDriver"]))?,
            xvfb: Some(need("Xvfb", find_in_path(&["Xvfb"]))?),
        },
    })
}

fn need(name: &'static str, found: Option<PathBuf>) -> Result<PathBuf, &'static str> {
    found.ok_or(name)
}

fn find_in_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    find_in(&dirs, names)
}

fn find_in(dirs: &[PathBuf], names: &[&str]) -> Option<PathBuf> {
    names.iter().find_map(|name| {
        dirs.iter()
            .map(|dir| dir.join(name))
            .find(|candidate| is_executable(candidate))
    })
}

/// geckodriver in `PATH`, or where `cargo install` puts it.
fn find_geckodriver() -> Option<PathBuf> {
    find_in_path(&["geckodriver"]).or_else(|| {
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
        find_in(&[cargo_home.join("bin")], &["geckodriver"])
    })
}

/// WebKitGTK's MiniBrowser, which Debian installs in the library's own
/// directory (`/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser`).
fn find_minibrowser() -> Option<PathBuf> {
    let mut lib_dirs = vec![PathBuf::from("/usr/lib"), PathBuf::from("/usr/libexec")];
    if let Ok(entries) = std::fs::read_dir("/usr/lib") {
        let mut arch: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().contains("-linux-"))
            })
            .collect();
        arch.sort();
        lib_dirs.extend(arch);
    }
    let dirs: Vec<PathBuf> = lib_dirs
        .iter()
        .flat_map(|lib| ["webkit2gtk-4.1", "webkitgtk-6.0", "webkit2gtk-4.0"].map(|v| lib.join(v)))
        .collect();
    find_in(&dirs, &["MiniBrowser"])
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The third-party cookie setting, which each test sets explicitly so none
/// depends on an engine's default:
/// - Chromium: the `profile.cookie_controls_mode` preference (1 blocks, 0
///   allows);
/// - Firefox: `network.cookie.cookieBehavior` (1 rejects third-party cookies,
///   0 accepts all; the default, 5, partitions them);
/// - WebKit: MiniBrowser's `--cookies-policy` (`no-third-party`, `always`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThirdPartyCookies {
    /// Blocked: Safari's and Firefox's (strict) behaviour, Chrome's in
    /// Incognito, and that of a fresh profile of Debian's Chromium.
    Blocked,
    /// Allowed: the "Allow third-party cookies" setting.
    Allowed,
}

/// A WebDriver server, its browser session and the session's profile.
pub struct Browser {
    pub client: Client,
    engine: Engine,
    processes: Processes,
    _slot: Slot,
}

/// What a browser runs besides its session, stopped by [`Processes::stop`].
struct Processes {
    driver: Child,
    profile: PathBuf,
    /// Applies the routes, for Firefox and WebKit.
    proxy: Option<Proxy>,
    /// The X server of a WebKit browser.
    display: Option<Child>,
}

impl Processes {
    /// The end of what the WebDriver server printed.
    fn driver_log(&self) -> String {
        let log = std::fs::read(self.profile.join(DRIVER_LOG)).unwrap_or_default();
        let tail = &log[log.len().saturating_sub(4096)..];
        String::from_utf8_lossy(tail).into_owned()
    }

    fn stop(mut self) {
        terminate(&mut self.driver);
        if let Some(mut display) = self.display.take() {
            terminate(&mut display);
        }
        drop(self.proxy.take());
        // A browser's last process may still be writing there for a moment.
        let deadline = Instant::now() + Duration::from_secs(2);
        while std::fs::remove_dir_all(&self.profile).is_err() || self.profile.exists() {
            if Instant::now() > deadline {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Browser {
    /// Starts the engine's WebDriver server and a session with a fresh
    /// profile.
    ///
    /// `routes` sends connections for an authority (`localhost:3000`) to
    /// another address without changing the origin the page has; every other
    /// loopback authority is reached as it is.
    pub async fn launch(
        tools: &Tools,
        routes: &[(&str, SocketAddr)],
        cookies: ThirdPartyCookies,
    ) -> Browser {
        let slot = Slot::take();
        let mut failures = Vec::new();
        for _ in 0..LAUNCH_ATTEMPTS {
            let (processes, url, capabilities) = start(tools, routes, cookies);
            let mut builder = ClientBuilder::new(HttpConnector::new());
            builder.capabilities(serde_json::from_value(capabilities).unwrap());
            match builder.connect(&url).await {
                Ok(client) => {
                    let timeouts = TimeoutConfiguration::new(
                        Some(Duration::from_secs(10)),
                        Some(Duration::from_secs(10)),
                        None,
                    );
                    client.update_timeouts(timeouts).await.unwrap();
                    return Browser {
                        client,
                        engine: tools.engine,
                        processes,
                        _slot: slot,
                    };
                }
                Err(error) => {
                    // The server's log is in the profile, which stopping
                    // the processes removes.
                    let log = processes.driver_log();
                    processes.stop();
                    eprintln!(
                        "{} did not start a session ({error}); starting it again",
                        tools.engine.name()
                    );
                    failures.push(format!("{error}; its WebDriver server wrote:\n{log}"));
                }
            }
        }
        panic!(
            "cannot start {} through its WebDriver server, {LAUNCH_ATTEMPTS} times:\n{}",
            tools.engine.name(),
            failures.join("\n")
        );
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The authorities the browser asked the proxy for (Firefox and WebKit;
    /// empty for Chromium, which needs none).
    pub fn proxied(&self) -> Vec<String> {
        self.processes
            .proxy
            .as_ref()
            .map(Proxy::requested)
            .unwrap_or_default()
    }

    /// Ends the session (the WebDriver server closes the browser), then the
    /// server, the proxy and the X server, and removes the profile.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        self.processes.stop();
    }
}

/// How many times [`Browser::launch`] starts a WebDriver server and its
/// browser before it gives up. A first start on a fresh machine can fail
/// where the next one succeeds (a port taken between the check that it is
/// free and the server's bind, a browser slow to write its first profile);
/// each failure is printed, and the last one fails the test.
const LAUNCH_ATTEMPTS: usize = 3;

/// One try of [`Browser::launch`]: a fresh profile, the proxy (Firefox and
/// WebKit), the X server (WebKit) and the WebDriver server; returns them, the
/// server's URL and the session's capabilities.
fn start(
    tools: &Tools,
    routes: &[(&str, SocketAddr)],
    cookies: ThirdPartyCookies,
) -> (Processes, String, Value) {
    static PROFILES: AtomicUsize = AtomicUsize::new(0);
    let profile = std::env::temp_dir().join(format!(
        "cors-credentials-browser-{}-{}",
        std::process::id(),
        PROFILES.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).unwrap();

    let engine = tools.engine;
    let proxy = (engine != Engine::Chromium).then(|| {
        let routes = routes.iter().map(|(a, to)| (a.to_string(), *to)).collect();
        Proxy::start(routes)
    });
    let proxy_addr = proxy.as_ref().map(Proxy::addr);
    let mut display: Option<(Child, u32)> = None;
    let capabilities = match engine {
        Engine::Chromium => chromium_capabilities(tools, &profile, routes, cookies),
        Engine::Firefox => firefox_capabilities(tools, &profile, proxy_addr.unwrap(), cookies),
        Engine::WebKit => {
            let (xvfb, number) = start_xvfb(tools.xvfb.as_deref().unwrap());
            display = Some((xvfb, number));
            webkit_capabilities(tools, number, proxy_addr.unwrap(), cookies)
        }
    };
    let (driver, url) = start_driver(engine, &tools.driver, &profile, display.as_ref());
    let processes = Processes {
        driver,
        profile,
        proxy,
        display: display.map(|(xvfb, _)| xvfb),
    };
    (processes, url, capabilities)
}

/// Chromium: headless, no sandbox (CI runs as root), a fresh profile, no
/// background networking, component updates, sync, first-run UI, QUIC or
/// GPU; the routes as `--host-resolver-rules`.
fn chromium_capabilities(
    tools: &Tools,
    profile: &Path,
    routes: &[(&str, SocketAddr)],
    cookies: ThirdPartyCookies,
) -> Value {
    let rules = routes
        .iter()
        .map(|(authority, to)| format!("MAP {authority} {to}"))
        .collect::<Vec<_>>()
        .join(", ");
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
        format!("--host-resolver-rules={rules}"),
    ];
    let mode = match cookies {
        ThirdPartyCookies::Blocked => 1,
        ThirdPartyCookies::Allowed => 0,
    };
    json!({
        "browserName": "chrome",
        "acceptInsecureCerts": true,
        "goog:chromeOptions": {
            "binary": tools.browser,
            "args": args,
            "prefs": { "profile": { "cookie_controls_mode": mode } },
        },
    })
}

/// Firefox: headless, the fresh profile, every connection through the proxy
/// (`localhost` too), and the preferences that keep it quiet and offline.
fn firefox_capabilities(
    tools: &Tools,
    profile: &Path,
    proxy: SocketAddr,
    cookies: ThirdPartyCookies,
) -> Value {
    let behavior = match cookies {
        ThirdPartyCookies::Blocked => 1,
        ThirdPartyCookies::Allowed => 0,
    };
    let (host, port) = (proxy.ip().to_string(), proxy.port());
    let prefs = json!({
        "network.cookie.cookieBehavior": behavior,
        "network.cookie.cookieBehavior.pbmode": behavior,
        // Manual proxy for http and for CONNECT tunnels (WebSocket), with no
        // exception: Firefox never proxies localhost without the last pref.
        "network.proxy.type": 1,
        "network.proxy.http": host,
        "network.proxy.http_port": port,
        "network.proxy.ssl": host,
        "network.proxy.ssl_port": port,
        "network.proxy.no_proxies_on": "",
        "network.proxy.allow_hijacking_localhost": true,
        // Quiet and offline.
        "app.update.auto": false,
        "app.update.enabled": false,
        "app.normandy.enabled": false,
        "browser.shell.checkDefaultBrowser": false,
        "browser.startup.homepage_override.mstone": "ignore",
        "browser.safebrowsing.malware.enabled": false,
        "browser.safebrowsing.phishing.enabled": false,
        "browser.safebrowsing.downloads.enabled": false,
        "browser.safebrowsing.blockedURIs.enabled": false,
        "browser.newtabpage.enabled": false,
        "browser.topsites.contile.enabled": false,
        "datareporting.healthreport.uploadEnabled": false,
        "datareporting.policy.dataSubmissionEnabled": false,
        "toolkit.telemetry.enabled": false,
        "toolkit.telemetry.unified": false,
        "toolkit.telemetry.server": "",
        "extensions.update.enabled": false,
        "extensions.getAddons.cache.enabled": false,
        "media.gmp-manager.updateEnabled": false,
        "network.captive-portal-service.enabled": false,
        "network.connectivity-service.enabled": false,
        "network.dns.disablePrefetch": true,
        "network.prefetch-next": false,
        "network.http.speculative-parallel-limit": 0,
        "network.http.http3.enable": false,
        // Remote settings (blocklists, certificate revocation lists) from nowhere.
        "services.settings.server": "data:,#remote-settings-dummy/v1",
        "layers.acceleration.disabled": true,
    });
    json!({
        "browserName": "firefox",
        "acceptInsecureCerts": true,
        "moz:firefoxOptions": {
            "binary": tools.browser,
            "args": ["-headless", "-profile", profile],
            "prefs": prefs,
        },
    })
}

/// WebKit: MiniBrowser in automation mode (an ephemeral session: a fresh
/// profile) on the X server `display`, every connection through the proxy
/// with no host ignored.
fn webkit_capabilities(
    tools: &Tools,
    display: u32,
    proxy: SocketAddr,
    cookies: ThirdPartyCookies,
) -> Value {
    let policy = match cookies {
        ThirdPartyCookies::Blocked => "no-third-party",
        ThirdPartyCookies::Allowed => "always",
    };
    json!({
        "browserName": "MiniBrowser",
        "acceptInsecureCerts": true,
        "webkitgtk:browserOptions": {
            "binary": tools.browser,
            "args": [
                "--automation",
                format!("--display=:{display}"),
                format!("--cookies-policy={policy}"),
                format!("--proxy=http://{proxy}"),
                "--enable-dns-prefetching=false",
            ],
        },
    })
}

/// Starts an X server on a free display number (Xvfb picks it and writes it
/// to `-displayfd`); returns it and the number.
fn start_xvfb(xvfb: &Path) -> (Child, u32) {
    let mut child = Command::new(xvfb)
        .args([
            "-displayfd",
            "1",
            "-nolisten",
            "tcp",
            "-screen",
            "0",
            "1280x1024x24",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot run Xvfb");
    let mut line = String::new();
    let read = BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
    match line.trim().parse() {
        Ok(number) if read.is_ok() => (child, number),
        _ => {
            terminate(&mut child);
            panic!("Xvfb did not start (it printed {line:?})");
        }
    }
}

/// Starts the engine's WebDriver server on a free loopback port; returns it
/// and its URL. Its own files (and those of the browser it starts) go in
/// `profile`, what it prints in `profile/driver.log`.
///
/// The server is ready when `GET /status` on its port answers as a WebDriver
/// server does (`"ready"` in a `200`): a bare TCP connection could reach
/// another process that took the port first, and this one then exits.
fn start_driver(
    engine: Engine,
    driver: &Path,
    profile: &Path,
    display: Option<&(Child, u32)>,
) -> (Child, String) {
    for _ in 0..3 {
        let port = port(&loopback_listener());
        let mut command = Command::new(driver);
        match engine {
            Engine::Chromium => command.arg(format!("--port={port}")),
            Engine::Firefox => command
                .args(["--host", "127.0.0.1", "--port"])
                .arg(port.to_string()),
            Engine::WebKit => command.arg(format!("--port={port}")),
        };
        command
            .env("TMPDIR", profile)
            .env("XDG_CACHE_HOME", profile.join("cache"))
            .env("XDG_DATA_HOME", profile.join("data"))
            .env("XDG_CONFIG_HOME", profile.join("config"))
            .env("MESA_SHADER_CACHE_DISABLE", "true");
        if engine == Engine::Firefox {
            // Firefox refuses connections beyond loopback, and then also
            // takes `services.settings.server` from the preferences.
            command.env("MOZ_DISABLE_NONLOCAL_CONNECTIONS", "1");
        }
        if let Some((_, number)) = display {
            command.env("DISPLAY", format!(":{number}"));
        }
        let log = std::fs::File::create(profile.join(DRIVER_LOG)).unwrap();
        let mut driver = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", driver.display()));
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if driver.try_wait().unwrap().is_some() {
                break; // Exited: most likely the port was taken meanwhile.
            }
            if answers_status(addr) {
                return (driver, format!("http://{addr}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        terminate(&mut driver);
    }
    panic!("{} did not start", driver.display());
}

/// What [`start_driver`]'s server prints, in the profile.
const DRIVER_LOG: &str = "driver.log";

/// Whether a WebDriver server listens on `addr`: `GET /status` answers `200`
/// with a `"ready"` member (chromedriver, geckodriver and WebKitWebDriver
/// all do, `true` or not: the session request says the rest).
fn answers_status(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /status HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = Vec::new();
    let _ = stream.take(64 * 1024).read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    (answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200"))
        && answer.contains("\"ready\"")
}

/// Stops `child` with SIGTERM, so it can clean up (a WebDriver server its
/// browser, Xvfb its lock file), and with SIGKILL if it is still running two
/// seconds later.
fn terminate(child: &mut Child) {
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        if child.try_wait().is_ok_and(|status| status.is_none()) {
            // SAFETY: `kill` takes plain integers; the child is not reaped
            // yet, so `pid` is still its process.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
    }
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        if child.try_wait().is_ok_and(|status| status.is_some()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// One of the [`MAX_BROWSERS`] places for a running browser, given back
/// when dropped.
struct Slot;

static RUNNING: Mutex<usize> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

impl Slot {
    /// Waits for a place.
    fn take() -> Slot {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        while *running >= MAX_BROWSERS {
            running = FREED.wait(running).unwrap_or_else(|e| e.into_inner());
        }
        *running += 1;
        Slot
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        *RUNNING.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        FREED.notify_one();
    }
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
