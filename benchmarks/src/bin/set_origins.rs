//! The cost of replacing a dynamic origin set:
//! `set_origins` with `N` entries (default 10,000), timed over rounds, and
//! the process's peak resident memory before and after.
//!
//!     cargo run --profile bench -p cors-credentials-benchmarks --bin set_origins [N]

use std::time::{Duration, Instant};

use cors_credentials::policy;

policy! {
    /// The set under measurement.
    TENANTS = { origins: dynamic }
}

/// `VmHWM` of this process, in KiB: the peak resident memory so far.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    // Half exact origins, half subdomain patterns, as tenants would bring.
    let entries: Vec<String> = (0..n)
        .map(|i| {
            if i % 2 == 0 {
                format!("https://tenant{i}.example.com")
            } else {
                format!("https://*.tenant{i}.example.net")
            }
        })
        .collect();
    let before = peak_kib();
    let mut times: Vec<Duration> = (0..7)
        .map(|_| {
            let start = Instant::now();
            TENANTS.set_origins(&entries).expect("a valid set");
            start.elapsed()
        })
        .collect();
    times.sort();
    let after = peak_kib();
    println!(
        "set_origins with {n} entries: median {:.1} ms (min {:.1}, max {:.1}) over {} rounds; peak resident memory {} KiB before, {} KiB after (+{} KiB for checking and holding the sets)",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        times.len(),
        before,
        after,
        after.saturating_sub(before)
    );
}
