//! Writes the compile-time and the end-to-end tables of `BENCHMARKS.md` from
//! the JSON the measuring tools export, for `benchmarks/build-time.sh` and
//! `benchmarks/wrk.sh`, which put the table printed on stdout between the
//! file's markers.
//!
//! ```text
//! tables build-time DIR --handlers N --runs N --macro-runs N --date DATE
//!                       --rustc VERSION --cores N --load LOAD --crates N --tree FILE
//! tables wrk DIR --seconds N --rounds N --date DATE --cores N --load LOAD
//! ```
//!
//! - `build-time`: DIR holds hyperfine's `--export-json` files
//!   `clean-plain.json`, `clean-annotated.json`, `incremental-plain.json`,
//!   `incremental-annotated.json` and `macro-clean.json`; FILE is the output
//!   of `cargo tree -p cors-credentials-macros -e normal`.
//! - `wrk`: DIR holds, for each request kind (`allowed`, `preflight`), setup
//!   and round, `KIND.SETUP.ROUND.json` written by the Lua `done` function of
//!   `wrk.sh` (`requests`, `duration_us`, `p99_us`), and `KIND.SETUP.status`,
//!   the status of one request of that kind.

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
    process::ExitCode,
};

use cors_credentials_benchmarks::Setup;
use serde_json::Value;

const USAGE: &str = "\
usage: tables build-time DIR --handlers N --runs N --macro-runs N --date DATE
                         --rustc VERSION --cores N --load LOAD --crates N --tree FILE
       tables wrk DIR --seconds N --rounds N --date DATE --cores N --load LOAD";

/// The target of the build-time table: annotated CPU time ≤ this × plain.
const BUILD_TIME_TARGET: f64 = 1.5;

fn main() -> ExitCode {
    match run() {
        Ok(table) => {
            print!("{table}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("tables: {error}");
            eprintln!("{USAGE}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    let command = args.next().ok_or("no command")?;
    let dir = PathBuf::from(args.next().ok_or("no DIR")?);
    let flags = Flags::parse(args)?;
    match command.as_str() {
        "build-time" => build_time(&dir, &flags),
        "wrk" => wrk(&dir, &flags),
        other => Err(format!("unknown command `{other}`")),
    }
}

/// `--name value` pairs.
struct Flags(BTreeMap<String, String>);

impl Flags {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Flags, String> {
        let mut flags = BTreeMap::new();
        while let Some(arg) = args.next() {
            let name = arg
                .strip_prefix("--")
                .ok_or(format!("unexpected argument `{arg}`"))?;
            let value = args.next().ok_or(format!("{arg} needs a value"))?;
            flags.insert(name.to_owned(), value);
        }
        Ok(Flags(flags))
    }

    fn text(&self, name: &str) -> Result<&str, String> {
        self.0
            .get(name)
            .map(String::as_str)
            .ok_or(format!("--{name} is required"))
    }

    fn number(&self, name: &str) -> Result<usize, String> {
        let value = self.text(name)?;
        value
            .parse()
            .map_err(|_| format!("--{name}: `{value}` is not a number"))
    }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn field(value: &Value, name: &str, path: &Path) -> Result<f64, String> {
    value[name]
        .as_f64()
        .ok_or(format!("{}: no number `{name}`", path.display()))
}

/// What hyperfine measured for one command, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Timing {
    mean: f64,
    stddev: f64,
    /// Mean CPU time of the runs: user + system.
    cpu: f64,
}

impl Timing {
    /// The first result of a hyperfine `--export-json` file.
    fn from_hyperfine(json: &Value, path: &Path) -> Result<Timing, String> {
        let result = &json["results"][0];
        if !result.is_object() {
            return Err(format!("{}: no results", path.display()));
        }
        Ok(Timing {
            mean: field(result, "mean", path)?,
            // Null after a single run.
            stddev: result["stddev"].as_f64().unwrap_or(0.0),
            cpu: field(result, "user", path)? + field(result, "system", path)?,
        })
    }

    fn read(dir: &Path, name: &str) -> Result<Timing, String> {
        let path = dir.join(format!("{name}.json"));
        Timing::from_hyperfine(&read_json(&path)?, &path)
    }
}

/// One row of the build-time table: plain against annotated, judged on CPU time.
fn build_time_row(label: &str, plain: Timing, annotated: Timing) -> String {
    let cpu_ratio = annotated.cpu / plain.cpu;
    let met = if cpu_ratio <= BUILD_TIME_TARGET {
        "yes"
    } else {
        "**no**"
    };
    format!(
        "| {label} | {:.2} s ± {:.2} (CPU {:.2} s) | {:.2} s ± {:.2} (CPU {:.2} s) | {cpu_ratio:.2} (wall {:.2}) | {met} |",
        plain.mean,
        plain.stddev,
        plain.cpu,
        annotated.mean,
        annotated.stddev,
        annotated.cpu,
        annotated.mean / plain.mean,
    )
}

/// When and on what a table was measured: `--date`, `--cores`, `--load`.
struct Machine<'a> {
    date: &'a str,
    cores: usize,
    load: &'a str,
}

impl<'a> Machine<'a> {
    fn read(flags: &'a Flags) -> Result<Machine<'a>, String> {
        Ok(Machine {
            date: flags.text("date")?,
            cores: flags.number("cores")?,
            load: flags.text("load")?,
        })
    }
}

fn build_time(dir: &Path, flags: &Flags) -> Result<String, String> {
    let handlers = flags.number("handlers")?;
    let runs = flags.number("runs")?;
    let macro_runs = flags.number("macro-runs")?;
    let rustc = flags.text("rustc")?;
    let Machine { date, cores, load } = Machine::read(flags)?;
    let crates = flags.number("crates")?;
    let tree_file = Path::new(flags.text("tree")?);
    let tree =
        fs::read_to_string(tree_file).map_err(|e| format!("{}: {e}", tree_file.display()))?;
    let timing = |name: &str| Timing::read(dir, name);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "| Debug build of a crate of {handlers} handlers | plain `#[get]` | `#[cors_credentials]` + `#[get]` | ratio of CPU time (of wall time) | ≤ {BUILD_TIME_TARGET}× |"
    );
    out.push_str("|---|---:|---:|---:|---|\n");
    for (label, kind) in [
        ("clean (dependencies already built)", "clean"),
        ("incremental (one handler's body changed)", "incremental"),
    ] {
        let plain = timing(&format!("{kind}-plain"))?;
        let annotated = timing(&format!("{kind}-annotated"))?;
        let _ = writeln!(out, "{}", build_time_row(label, plain, annotated));
    }
    let macros = timing("macro-clean")?;
    let _ = writeln!(
        out,
        "\nClean debug build of `cors-credentials-macros` with its dependencies, from an empty target directory: {:.1} s ± {:.1} (CPU {:.1} s; {crates} crates including itself).",
        macros.mean, macros.stddev, macros.cpu
    );
    let _ = writeln!(
        out,
        "\nMeasured with `benchmarks/build-time.sh {runs}` (hyperfine, {runs} runs per row, {macro_runs} for the macro crate) on {date}, {rustc}, {cores} cores, load average {load} at the end. \
         Wall times: mean ± standard deviation; CPU: user + system. The target is judged on CPU time, which other work on the machine disturbs less than wall time."
    );
    let _ = writeln!(
        out,
        "\n`cargo tree -p cors-credentials-macros -e normal`:\n\n```text\n{}\n```",
        tree.trim_end_matches('\n')
    );
    Ok(out)
}

/// One wrk run, from the JSON of `wrk.sh`'s Lua `done` function.
#[derive(Debug, Clone, Copy, PartialEq)]
struct WrkRun {
    requests_per_s: f64,
    p99_us: f64,
}

impl WrkRun {
    fn from_json(json: &Value, path: &Path) -> Result<WrkRun, String> {
        let requests = field(json, "requests", path)?;
        let duration_us = field(json, "duration_us", path)?;
        if duration_us <= 0.0 {
            return Err(format!("{}: the run took no time", path.display()));
        }
        Ok(WrkRun {
            // What wrk prints as Requests/sec.
            requests_per_s: requests / (duration_us / 1e6),
            p99_us: field(json, "p99_us", path)?,
        })
    }
}

/// The median of `values` (the mean of the middle two when their number is even).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// "min–max", rounded to whole numbers.
fn range(values: &[f64]) -> String {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{min:.0}–{max:.0}")
}

/// The runs of one request kind on one setup, and the status it answers with.
struct WrkRows<'a> {
    kind: &'a str,
    setup: &'a str,
    status: &'a str,
    runs: &'a [WrkRun],
}

/// One row of the end-to-end table, as ratios to the bare handler's runs.
fn wrk_row(rows: &WrkRows<'_>, bare: &[WrkRun]) -> String {
    let name = if rows.kind == "allowed" {
        "GET, allowed Origin"
    } else {
        "preflight, allowed Origin"
    };
    let rps: Vec<f64> = rows.runs.iter().map(|r| r.requests_per_s).collect();
    let p99: Vec<f64> = rows.runs.iter().map(|r| r.p99_us).collect();
    let bare_rps = median(&bare.iter().map(|r| r.requests_per_s).collect::<Vec<_>>());
    let bare_p99 = median(&bare.iter().map(|r| r.p99_us).collect::<Vec<_>>());
    let (r, p) = (median(&rps), median(&p99));
    format!(
        "| {name} | {} | {} | {r:.0} ({}) | {:.2} | {p:.0} µs ({}) | {:.2} |",
        rows.setup,
        rows.status,
        range(&rps),
        r / bare_rps,
        range(&p99),
        p / bare_p99,
    )
}

fn wrk(dir: &Path, flags: &Flags) -> Result<String, String> {
    let seconds = flags.text("seconds")?;
    let rounds = flags.number("rounds")?;
    let Machine { date, cores, load } = Machine::read(flags)?;
    if rounds == 0 {
        return Err("--rounds must be at least 1".to_owned());
    }

    let mut out = String::new();
    out.push_str("| Request | Setup | Status | Requests/s (median; range) | ÷ bare | p99 latency (median; range) | ÷ bare |\n");
    out.push_str("|---|---|---|---:|---:|---:|---:|\n");
    for kind in ["allowed", "preflight"] {
        let mut all = Vec::new();
        for setup in Setup::ALL.map(Setup::id) {
            let key = format!("{kind}.{setup}");
            let runs = (1..=rounds)
                .map(|round| {
                    let path = dir.join(format!("{key}.{round}.json"));
                    WrkRun::from_json(&read_json(&path)?, &path)
                })
                .collect::<Result<Vec<_>, String>>()?;
            let status_file = dir.join(format!("{key}.status"));
            let status = fs::read_to_string(&status_file)
                .map_err(|e| format!("{}: {e}", status_file.display()))?;
            all.push((setup, status.trim().to_owned(), runs));
        }
        let bare = all[0].2.clone();
        for (setup, status, runs) in &all {
            let rows = WrkRows {
                kind,
                setup,
                status,
                runs,
            };
            let _ = writeln!(out, "{}", wrk_row(&rows, &bare));
        }
    }
    let _ = writeln!(
        out,
        "\n`benchmarks/wrk.sh {seconds} {rounds}`: {rounds} rounds of `wrk -t1 -c16 -d{seconds}s --latency` per row, the setups interleaved, \
         server `serve` with one worker, on {date}, {cores} cores shared by server and load (load average {load} before the runs). \
         The bare handler has no preflight route, so its preflight row is a 404."
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing(json: &str) -> Timing {
        Timing::from_hyperfine(&serde_json::from_str(json).unwrap(), Path::new("t.json")).unwrap()
    }

    #[test]
    fn reads_hyperfine_export() {
        let t = timing(
            r#"{"results": [{"command": "cargo build", "mean": 7.5, "stddev": 0.25,
                "median": 7.4, "user": 3.0, "system": 0.5, "min": 7.0, "max": 8.0,
                "times": [7.0, 8.0], "exit_codes": [0, 0]}]}"#,
        );
        assert_eq!(
            t,
            Timing {
                mean: 7.5,
                stddev: 0.25,
                cpu: 3.5
            }
        );
        // One run: hyperfine has no standard deviation.
        let t =
            timing(r#"{"results": [{"mean": 2.0, "stddev": null, "user": 1.0, "system": 0.0}]}"#);
        assert_eq!(t.stddev, 0.0);
        let empty = serde_json::json!({"results": []});
        assert!(Timing::from_hyperfine(&empty, Path::new("t.json")).is_err());
    }

    #[test]
    fn build_time_row_keeps_its_shape() {
        let plain = Timing {
            mean: 7.7512,
            stddev: 0.6654,
            cpu: 3.9,
        };
        let annotated = Timing {
            mean: 9.2801,
            stddev: 0.7801,
            cpu: 5.9,
        };
        assert_eq!(
            build_time_row("clean (dependencies already built)", plain, annotated),
            "| clean (dependencies already built) | 7.75 s ± 0.67 (CPU 3.90 s) | 9.28 s ± 0.78 (CPU 5.90 s) | 1.51 (wall 1.20) | **no** |"
        );
        let faster = Timing {
            cpu: 4.0,
            ..annotated
        };
        assert!(build_time_row("x", plain, faster).ends_with("| yes |"));
    }

    #[test]
    fn median_and_range() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[5.0]), 5.0);
        assert_eq!(range(&[18228.4, 21163.6, 20639.0]), "18228–21164");
    }

    #[test]
    fn wrk_run_is_what_wrk_prints() {
        let json =
            serde_json::json!({"requests": 103_197, "duration_us": 5_000_000, "p99_us": 14_968});
        let run = WrkRun::from_json(&json, Path::new("r.json")).unwrap();
        assert!((run.requests_per_s - 20_639.4).abs() < 1e-9);
        assert_eq!(run.p99_us, 14_968.0);
        let idle = serde_json::json!({"requests": 0, "duration_us": 0, "p99_us": 0});
        assert!(WrkRun::from_json(&idle, Path::new("r.json")).is_err());
    }

    #[test]
    fn wrk_row_keeps_its_shape() {
        let run = |requests_per_s, p99_us| WrkRun {
            requests_per_s,
            p99_us,
        };
        let bare = [run(20_639.4, 14_970.0)];
        let runs = [
            run(17_377.2, 8_510.0),
            run(16_840.0, 5_740.0),
            run(20_306.0, 13_680.0),
        ];
        let rows = WrkRows {
            kind: "allowed",
            setup: "cors-credentials",
            status: "200",
            runs: &runs,
        };
        assert_eq!(
            wrk_row(&rows, &bare),
            "| GET, allowed Origin | cors-credentials | 200 | 17377 (16840–20306) | 0.84 | 8510 µs (5740–13680) | 0.57 |"
        );
        let rows = WrkRows {
            kind: "preflight",
            ..rows
        };
        assert!(wrk_row(&rows, &bare).starts_with("| preflight, allowed Origin |"));
    }
}
