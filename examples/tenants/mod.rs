//! The reloading of `examples/tenants/main.rs`: a JSON file of origins given to a
//! dynamic policy at startup, and again on `SIGHUP` or when the file changes.
//! Shared with the test that sends the signal (`tests/example_tenants_reload.rs`).

use std::{
    fmt, fs,
    future::{poll_fn, Future},
    io,
    path::{Path, PathBuf},
    task::Poll,
    time::{Duration, SystemTime},
};

use actix_rt::{
    signal::unix::{signal, SignalKind},
    time::{interval_at, Instant},
};
use cors_credentials::{OriginList, Policy};
use serde::Deserialize;

/// The file's format: `{"origins": ["https://acme.example", ..]}`. The list
/// is checked with the compiler's rules while the file is read.
#[derive(Debug, Deserialize)]
pub struct Tenants {
    /// The tenants' front ends: origins and patterns.
    pub origins: OriginList,
}

/// Reads `path` and gives its origins to `policy`, all or nothing: on any
/// problem the policy keeps its current set, and the error says why, naming
/// the file. Returns the number of entries set.
pub fn reload(policy: &'static Policy, path: &Path) -> Result<usize, String> {
    let at_fault = |error: &dyn fmt::Display| format!("{}: {error}", path.display());
    let text = fs::read_to_string(path).map_err(|error| at_fault(&error))?;
    let tenants: Tenants = serde_json::from_str(&text).map_err(|error| at_fault(&error))?;
    policy
        .set_checked_origins(&tenants.origins)
        .map_err(|error| at_fault(&error))?;
    Ok(tenants.origins.entries().len())
}

/// What made [`watch`] read the file again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The process received `SIGHUP`.
    Hangup,
    /// The file's modification time or length changed.
    Changed,
}

/// One reload by [`watch`]: why, and the result of [`reload`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reload {
    /// What made it happen.
    pub trigger: Trigger,
    /// The number of entries set, or why the current set was kept.
    pub outcome: Result<usize, String>,
}

/// Reloads `path` into `policy` on every `SIGHUP`, and when the file's
/// modification time or length changes (looked at every `poll`), calling `report`
/// with each result; a bad file keeps the current set.
///
/// Call it from inside the runtime (actix-web's): the `SIGHUP` handler is
/// installed before it returns, so from then on the signal reloads instead
/// of ending the process. Run the returned future (`rt::spawn`) to serve
/// the reloads.
pub fn watch(
    policy: &'static Policy,
    path: PathBuf,
    poll: Duration,
    mut report: impl FnMut(Reload) + 'static,
) -> io::Result<impl Future<Output = ()>> {
    let mut hangups = signal(SignalKind::hangup())?;
    // The file as it is now: a change from here on is reloaded.
    let mut seen = modified(&path);
    Ok(async move {
        let mut ticks = interval_at(Instant::now() + poll, poll);
        loop {
            let trigger = poll_fn(|cx| {
                if hangups.poll_recv(cx).is_ready() {
                    return Poll::Ready(Trigger::Hangup);
                }
                if ticks.poll_tick(cx).is_ready() {
                    return Poll::Ready(Trigger::Changed);
                }
                Poll::Pending
            })
            .await;
            let now = modified(&path);
            if trigger == Trigger::Changed && now == seen {
                continue;
            }
            seen = now;
            report(Reload {
                trigger,
                outcome: reload(policy, &path),
            });
        }
    })
}

/// What tells a changed file: its modification time, and its length for
/// a change within the file system's clock tick.
fn modified(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}
