//! A throwaway PostgreSQL cluster for a test, on loopback only.
//!
//! [`Cluster::start`] finds Debian's `postgresql` binaries (the newest
//! `/usr/lib/postgresql/*/bin`, or `CORS_CREDENTIALS_POSTGRES_BIN`), makes a
//! temporary directory, runs `initdb` and `pg_ctl start` in it as an
//! unprivileged user (`nobody` through `runuser` when the tests run as root,
//! as PostgreSQL refuses to run as root; the current user otherwise), on a
//! free port of `127.0.0.1`, with its unix socket in the same directory
//! and trust authentication for the one superuser `cors` (nothing but
//! loopback can reach it). Dropping the cluster stops it and removes the
//! directory.
//!
//! Without the binaries it prints "skipped: PostgreSQL not found" and
//! returns `None`, so the test passes, unless
//! `CORS_CREDENTIALS_REQUIRE_POSTGRES=1` (as in CI), which makes it panic
//! instead. Nothing here downloads anything.

use std::{
    fs,
    net::{Ipv4Addr, TcpListener},
    path::{Path, PathBuf},
    process::{Command, Output},
    time::Instant,
};

/// The variable that makes a missing PostgreSQL a failure.
pub const REQUIRE_POSTGRES: &str = "CORS_CREDENTIALS_REQUIRE_POSTGRES";

/// The superuser of a test cluster.
pub const USER: &str = "cors";

/// A running throwaway cluster.
#[derive(Debug)]
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    /// `Some("nobody")` when the tests run as root.
    run_as: Option<&'static str>,
}

impl Cluster {
    /// Starts a cluster for the test `name`, or says why it cannot and
    /// returns `None` (panics instead when [`REQUIRE_POSTGRES`] is `1`).
    #[track_caller]
    pub fn start(name: &str) -> Option<Cluster> {
        let Some(bin) = find_bin() else {
            let reason = "PostgreSQL not found (Debian: apt-get install postgresql; \
                          or set CORS_CREDENTIALS_POSTGRES_BIN to its bin directory)";
            if std::env::var_os(REQUIRE_POSTGRES).is_some_and(|v| v == "1") {
                panic!("{name}: {reason}, and {REQUIRE_POSTGRES}=1 requires it");
            }
            println!("{name}: skipped: {reason}");
            return None;
        };
        let run_as = is_root().then_some("nobody");
        let dir = std::env::temp_dir().join(format!("cors-pg-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("the cluster's directory");
        if let Some(user) = run_as {
            let chowned = Command::new("chown")
                .arg(format!("{user}:"))
                .arg(&dir)
                .status()
                .expect("chown");
            assert!(chowned.success(), "chown {user} {}", dir.display());
        }
        let cluster = Cluster {
            bin,
            dir,
            port: free_port(),
            run_as,
        };
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C",
            ],
        );
        cluster.pg_ctl("start");
        Some(cluster)
    }

    /// The connection string of the cluster's `postgres` database, over TCP
    /// on loopback.
    pub fn conninfo(&self) -> String {
        format!(
            "host=127.0.0.1 port={} user={USER} dbname=postgres connect_timeout=2",
            self.port
        )
    }

    /// The port it listens on, on `127.0.0.1`.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server (fast shutdown: clients are disconnected).
    pub fn stop(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }

    /// Starts it again after [`stop`](Self::stop), on the same port.
    pub fn start_again(&self) {
        self.pg_ctl("start");
    }

    /// `pg_ctl restart`: clients are disconnected, and the server takes
    /// connections again once it returns.
    pub fn restart(&self) {
        self.pg_ctl("restart");
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn pg_ctl(&self, action: &str) {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c synchronous_commit=off",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("server.log").display().to_string();
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-o",
                &options,
                "-l",
                &log,
                "-w",
                "-t",
                "30",
                action,
            ],
        );
    }

    /// Runs one of the cluster's programs as its user; panics with its
    /// output (and the server's log) if it fails.
    fn run(&self, program: &str, args: &[&str]) -> Output {
        let (mut command, path) = self.command(program);
        let started = Instant::now();
        let output = command
            .args(args)
            .current_dir(&self.dir)
            .output()
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        if !output.status.success() {
            let log = fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
            panic!(
                "{program} {args:?} failed after {:?}: {}\n{}\n{}\nserver log:\n{log}",
                started.elapsed(),
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr),
            );
        }
        output
    }

    /// One of the cluster's programs, run as the cluster's user, and its path.
    fn command(&self, program: &str) -> (Command, PathBuf) {
        let path = self.bin.join(program);
        let command = match self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(&path);
                command
            }
            None => Command::new(&path),
        };
        (command, path)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let (mut command, _) = self.command("pg_ctl");
        let _ = command
            .args(["-D", &data, "-m", "immediate", "-w", "stop"])
            .current_dir(&self.dir)
            .output();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// The newest `/usr/lib/postgresql/*/bin` with `initdb` and `pg_ctl`, or
/// `CORS_CREDENTIALS_POSTGRES_BIN`.
fn find_bin() -> Option<PathBuf> {
    let usable = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("CORS_CREDENTIALS_POSTGRES_BIN") {
        let dir = PathBuf::from(dir);
        return usable(&dir).then_some(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            usable(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

/// A port of `127.0.0.1` free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}
