//! The `tenants` example's reloading (`cors_credentials_examples::tenants`):
//! a real server on loopback whose dynamic policy is read from a JSON file,
//! reloaded on `SIGHUP`; a bad file keeps the current set.
//!
//! The signal goes to the whole process, so the tests take turns: one's
//! signal would reload the other's file.

use std::{
    fs,
    io::{Read, Write},
    net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    sync::{mpsc, Mutex},
    time::Duration,
};

use actix_web::{get, rt, App, HttpServer, Responder};
use cors_credentials::{
    cors_credentials, policy,
    test_hooks::{origins, Lookup},
};
use cors_credentials_examples::tenants::{reload, watch, Reload, Trigger};
use test_support::raw_http;

policy! {
    /// Read from the test's file.
    RELOADED = { origins: dynamic, max_age: 600 };
    /// Read from the file of the test of file changes.
    CHANGED = { origins: dynamic }
}

#[cors_credentials(policy = RELOADED)]
#[get("/api/me")]
async fn me() -> impl Responder {
    "me"
}

/// Held by each test while it runs.
static TURNS: Mutex<()> = Mutex::new(());

/// A `GET /api/me` from `origin` over loopback: the status, and whether the
/// response lets `origin` read it.
fn get(address: SocketAddr, origin: &str) -> (u16, bool) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(&raw_http::request(
            "GET",
            "/api/me",
            &[("Origin", origin.as_bytes())],
        ))
        .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let readable = raw_http::has_header(&response, "access-control-allow-origin", origin)
        && raw_http::has_header(&response, "access-control-allow-credentials", "true");
    (raw_http::status(&response), readable)
}

/// A directory of the test `name`'s own under the system's temporary
/// directory.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tenants-reload-{}-{name}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn hangup() {
    // SAFETY: `kill` with this process's id and a signal number.
    let sent = unsafe { libc::kill(libc::getpid(), libc::SIGHUP) };
    assert_eq!(sent, 0, "kill: {}", std::io::Error::last_os_error());
}

fn write(path: &Path, text: &str) {
    fs::write(path, text).unwrap();
}

#[test]
fn sighup_reloads_the_file_and_a_bad_file_keeps_the_current_set() {
    const A: &str = "https://acme.example";
    const B: &str = "https://shop.globex.example";
    const NEITHER: &str = "https://evil.example";
    let _turn = TURNS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = temp_dir("sighup");
    let path = dir.join("tenants.json");
    write(&path, &format!("{{\"origins\": [\"{A}\"]}}"));

    let (reloads, reported) = mpsc::channel();
    let (started, address) = mpsc::channel();
    let server = {
        let path = path.clone();
        std::thread::spawn(move || {
            rt::System::new().block_on(async move {
                assert_eq!(reload(&RELOADED, &path), Ok(1));
                // The file's time is looked at once an hour: only the signal
                // reloads it during the test.
                let watcher = watch(&RELOADED, path, Duration::from_secs(3600), move |r| {
                    let _ = reloads.send(r);
                })
                .unwrap();
                rt::spawn(watcher);
                let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
                let server = HttpServer::new(|| App::new().service(me))
                    .workers(1)
                    .disable_signals()
                    .shutdown_timeout(1)
                    .listen(listener.try_clone().unwrap())
                    .unwrap()
                    .run();
                started
                    .send((listener.local_addr().unwrap(), server.handle()))
                    .unwrap();
                server.await
            })
        })
    };
    let (address, handle) = address.recv().unwrap();
    let next = || {
        reported
            .recv_timeout(Duration::from_secs(20))
            .expect("a reload after SIGHUP")
    };

    assert_eq!(get(address, A), (200, true));
    assert_eq!(get(address, B), (403, false));

    // A new file and SIGHUP: the new set is in force.
    write(
        &path,
        r#"{"origins": ["https://*.globex.example", "https://initech.example"]}"#,
    );
    hangup();
    assert_eq!(
        next(),
        Reload {
            trigger: Trigger::Hangup,
            outcome: Ok(2)
        }
    );
    assert_eq!(get(address, B), (200, true));
    assert_eq!(get(address, "https://initech.example"), (200, true));
    assert_eq!(get(address, A), (403, false));

    // A bad origin: refused with the compiler's message, the set stays.
    write(
        &path,
        r#"{"origins": ["https://acme.example", "https://acme.example/"]}"#,
    );
    hangup();
    let Reload { trigger, outcome } = next();
    assert_eq!(trigger, Trigger::Hangup);
    let error = outcome.unwrap_err();
    assert!(
        error.starts_with(&format!(
            "{}: entry 2 (`https://acme.example/`): origin `https://acme.example/` ends with `/`",
            path.display()
        )),
        "{error}"
    );
    assert_eq!(get(address, B), (200, true));
    assert_eq!(get(address, A), (403, false));

    // Not JSON, and a missing file: the set stays too.
    write(&path, "{\"origins\": [");
    hangup();
    let error = next().outcome.unwrap_err();
    assert!(error.contains("EOF while parsing"), "{error}");
    fs::remove_file(&path).unwrap();
    hangup();
    let error = next().outcome.unwrap_err();
    assert!(error.contains("No such file"), "{error}");
    assert_eq!(get(address, B), (200, true));
    assert_eq!(get(address, NEITHER), (403, false));

    rt::System::new().block_on(handle.stop(true));
    server.join().unwrap().unwrap();
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_changed_file_is_reloaded_without_a_signal() {
    let _turn = TURNS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = temp_dir("changed");
    let path = dir.join("tenants.json");
    write(&path, r#"{"origins": ["https://acme.example"]}"#);
    let (reloads, reported) = mpsc::channel();
    let (started, system) = mpsc::channel();
    let watching = {
        let path = path.clone();
        std::thread::spawn(move || {
            let system = rt::System::new();
            system.block_on(async move {
                assert_eq!(reload(&CHANGED, &path), Ok(1));
                let watcher = watch(&CHANGED, path, Duration::from_millis(20), move |r| {
                    let _ = reloads.send(r);
                })
                .unwrap();
                rt::spawn(watcher);
            });
            started.send(rt::System::current()).unwrap();
            system.run()
        })
    };
    let system = system.recv().unwrap();
    let changed = || {
        let next = reported
            .recv_timeout(Duration::from_secs(20))
            .expect("a reload after the change");
        assert_eq!(next.trigger, Trigger::Changed);
        next.outcome
    };
    let allows = |origin: &str| origins(&CHANGED).lookup(origin.as_bytes()) == Lookup::Allowed;
    assert!(allows("https://acme.example"));

    write(&path, r#"{"origins": ["https://initech.example"]}"#);
    assert_eq!(changed(), Ok(1));
    assert!(allows("https://initech.example"));
    assert!(!allows("https://acme.example"));

    write(&path, r#"{"origins": ["*"]}"#);
    let error = changed().unwrap_err();
    assert!(
        error.contains("entry 1 (`*`): wildcard origin `*` cannot be used with credentials"),
        "{error}"
    );
    assert!(allows("https://initech.example"));
    system.stop();
    watching.join().unwrap().unwrap();
    fs::remove_dir_all(&dir).unwrap();
}
