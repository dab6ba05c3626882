//! Measures every scenario on every setup, actix-web's and axum's, and writes
//! the tables of `BENCHMARKS.md`.
//!
//! Run through `benchmarks/callgrind.sh`, which builds this binary and
//! `measure` in release mode. For each scenario and setup it:
//! - runs `measure` under `valgrind --tool=callgrind` with N₁ and N₂ requests,
//!   counting only inside `measured_request`; instructions per request are
//!   (Ir(N₂) − Ir(N₁)) / (N₂ − N₁), which cancels start-up and warm-up;
//! - counts heap allocations per request in this process (counting global
//!   allocator, same difference method);
//! - reads criterion's median wall time, if `cargo bench` has run.
//!
//! ```text
//! report --out DIR [--criterion DIR] [--write FILE]
//! ```

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
    process::{Command, ExitCode},
};

use cors_credentials_benchmarks::{allocations_per_request, Scenario, Setup};
use test_support::alloc::CountingAlloc;

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// Requests of the short and the long callgrind run.
const SHORT: usize = 1000;
const LONG: usize = 3000;
/// Requests of the allocation count (then twice as many).
const ALLOC_REQUESTS: usize = 1000;

const TABLE_BEGIN: &str = "<!-- benchmark-table:begin -->";
const TABLE_END: &str = "<!-- benchmark-table:end -->";
const PROFILE_BEGIN: &str = "<!-- benchmark-profile:begin -->";
const PROFILE_END: &str = "<!-- benchmark-profile:end -->";
const GUARD_BEGIN: &str = "<!-- benchmark-guard:begin -->";
const GUARD_END: &str = "<!-- benchmark-guard:end -->";
const TOWER_BEGIN: &str = "<!-- benchmark-tower:begin -->";
const TOWER_END: &str = "<!-- benchmark-tower:end -->";
const COOKIES_BEGIN: &str = "<!-- benchmark-cookies:begin -->";
const COOKIES_END: &str = "<!-- benchmark-cookies:end -->";

struct Options {
    out: PathBuf,
    criterion: Option<PathBuf>,
    write: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let (mut out, mut criterion, mut write) = (None, None, None);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .map(PathBuf::from)
                .ok_or(format!("{arg} needs a value"))
        };
        match arg.as_str() {
            "--out" => out = Some(value()?),
            "--criterion" => criterion = Some(value()?),
            "--write" => write = Some(value()?),
            _ => return Err(format!("unknown argument {arg}")),
        }
    }
    Ok(Options {
        out: out.ok_or("--out DIR is required")?,
        criterion,
        write,
    })
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("report: {error}");
            eprintln!("usage: report --out DIR [--criterion DIR] [--write FILE]");
            ExitCode::FAILURE
        }
    }
}

/// Everything measured for one scenario on one setup.
struct Figures {
    instructions: f64,
    allocations: f64,
    /// Criterion's median, in nanoseconds.
    wall_ns: Option<f64>,
    /// Inclusive instructions per request of each runtime-crate function.
    functions: BTreeMap<String, f64>,
}

fn run() -> Result<(), String> {
    let options = options()?;
    fs::create_dir_all(&options.out).map_err(|e| format!("{}: {e}", options.out.display()))?;
    let out = fs::canonicalize(&options.out).map_err(|e| e.to_string())?;
    let measure = std::env::current_exe()
        .map_err(|e| e.to_string())?
        .with_file_name("measure");
    if !measure.exists() {
        return Err(format!(
            "{} not found: build the `measure` binary",
            measure.display()
        ));
    }
    let mut figures = BTreeMap::new();
    for scenario in Scenario::ALL.into_iter().chain(Scenario::GUARD) {
        for &setup in scenario.setups().iter().chain(scenario.tower_setups()) {
            let name = format!("{}.{}", scenario.id(), setup.id());
            eprintln!("report: {name}");
            let short = callgrind(&measure, &out, setup, scenario, SHORT)?;
            let long = callgrind(&measure, &out, setup, scenario, LONG)?;
            let instructions = (long.total - short.total) as f64 / (LONG - SHORT) as f64;
            let functions = long
                .functions
                .iter()
                .map(|(name, &cost)| {
                    let before = short.functions.get(name).copied().unwrap_or(0);
                    (name.clone(), (cost - before) as f64 / (LONG - SHORT) as f64)
                })
                .collect();
            let allocations = allocations_per_request(setup, scenario, ALLOC_REQUESTS);
            let wall_ns = options
                .criterion
                .as_deref()
                .and_then(|dir| criterion_median(dir, scenario, setup));
            figures.insert(
                (scenario.id(), setup.id()),
                Figures {
                    instructions,
                    allocations,
                    wall_ns,
                    functions,
                },
            );
        }
    }
    let table = table(&figures);
    let guard = guard_table(&figures);
    let profile = profile(&figures);
    let tower = tower_tables(&figures);
    let cookies = cookies_table(&figures);
    println!("{table}\n{guard}\n{profile}\n{tower}\n{cookies}");
    if let Some(path) = &options.write {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let text = replace_between(&text, TABLE_BEGIN, TABLE_END, &table)?;
        let text = replace_between(&text, GUARD_BEGIN, GUARD_END, &guard)?;
        let text = replace_between(&text, PROFILE_BEGIN, PROFILE_END, &profile)?;
        let text = replace_between(&text, TOWER_BEGIN, TOWER_END, &tower)?;
        let text = replace_between(&text, COOKIES_BEGIN, COOKIES_END, &cookies)?;
        fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("report: wrote {}", path.display());
    }
    Ok(())
}

/// One callgrind run: total instructions inside `measured_request`, and the
/// inclusive instructions of each function of the two CORS crates.
struct Run {
    total: u64,
    functions: BTreeMap<String, u64>,
}

fn callgrind(
    measure: &Path,
    out: &Path,
    setup: Setup,
    scenario: Scenario,
    requests: usize,
) -> Result<Run, String> {
    let file = out.join(format!("{}.{}.{requests}.out", scenario.id(), setup.id()));
    let valgrind = std::env::var("VALGRIND").unwrap_or_else(|_| "valgrind".to_owned());
    let output = Command::new(&valgrind)
        .arg("--tool=callgrind")
        .arg("--collect-atstart=no")
        .arg("--toggle-collect=*measured_request*")
        .arg(format!("--callgrind-out-file={}", file.display()))
        .arg(measure)
        .args([setup.id(), scenario.id(), &requests.to_string()])
        .output()
        .map_err(|e| format!("{valgrind}: {e} (install valgrind)"))?;
    if !output.status.success() {
        return Err(format!(
            "callgrind run failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let data = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let total = data
        .lines()
        .find_map(|line| {
            line.strip_prefix("totals:")
                .or(line.strip_prefix("summary:"))
        })
        .and_then(|n| n.trim().parse().ok())
        .ok_or(format!("{}: no totals line", file.display()))?;
    Ok(Run {
        total,
        functions: inclusive_costs(&file)?,
    })
}

/// Inclusive cost of every function of `cors_credentials`, `actix_cors` and `tower_http`,
/// from `callgrind_annotate --inclusive=yes`. The binary has no debug info,
/// so code inlined into a function counts as that function's own (with
/// line tables, callgrind would split it by source file).
fn inclusive_costs(file: &Path) -> Result<BTreeMap<String, u64>, String> {
    let output = Command::new("callgrind_annotate")
        .args(["--inclusive=yes", "--auto=no", "--threshold=100"])
        .arg(file)
        // It shortens paths under the working directory, which can list a
        // function twice; from `/` it shortens nothing.
        .current_dir("/")
        .output()
        .map_err(|e| format!("callgrind_annotate: {e} (install valgrind)"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut costs = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim_start();
        let Some((count, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(count) = count.replace(',', "").parse::<u64>() else {
            continue;
        };
        let Some((_, location)) = rest.split_once("%)") else {
            continue;
        };
        let location = location.trim();
        let location = location.rsplit_once(" [").map_or(location, |(l, _)| l);
        let Some((_, function)) = location.split_once(':') else {
            continue;
        };
        let bare = function.trim_start_matches('<');
        if ["cors_credentials::", "actix_cors::", "tower_http::"]
            .iter()
            .any(|prefix| bare.starts_with(prefix))
        {
            *costs.entry(function.to_owned()).or_insert(0) += count;
        }
    }
    Ok(costs)
}

fn criterion_median(dir: &Path, scenario: Scenario, setup: Setup) -> Option<f64> {
    let path = dir
        .join(scenario.id())
        .join(setup.id())
        .join("new/estimates.json");
    let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

type AllFigures = BTreeMap<(&'static str, &'static str), Figures>;

fn get(figures: &AllFigures, scenario: Scenario, setup: Setup) -> &Figures {
    &figures[&(scenario.id(), setup.id())]
}

fn signed(x: f64) -> String {
    if x.round() == x {
        format!("{x:+.0}")
    } else {
        format!("{x:+.1}")
    }
}

fn plain(x: f64) -> String {
    if x.round() == x {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// The table: instructions, overhead over bare, the ratio to actix-cors,
/// allocations, wall time, and each target.
fn table(figures: &AllFigures) -> String {
    let mut out = String::new();
    out.push_str(
        "| Scenario | Instructions/request: bare · cors-credentials · actix-cors | CORS overhead (setup − bare): cors-credentials · actix-cors | cors-credentials ÷ actix-cors | Allocations/request: bare · cors-credentials · actix-cors | Wall time/request (criterion median): bare · cors-credentials · actix-cors | Target | Met |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|\n");
    let overhead = |scenario, setup| {
        get(figures, scenario, setup).instructions
            - get(figures, scenario, Setup::Bare).instructions
    };
    for scenario in Scenario::ALL {
        let [bare, cc, ac] = Setup::ALL.map(|setup| get(figures, scenario, setup));
        let (cc_over, ac_over) = (
            overhead(scenario, Setup::CorsCredentials),
            overhead(scenario, Setup::ActixCors),
        );
        // The overhead beside that of `base` (called `name`): at most
        // `bound` times it, as `target` says.
        let beside = |base: Scenario, name: &str, target: &'static str, bound: f64| {
            let ratio = cc_over / overhead(base, Setup::CorsCredentials);
            (
                format!(
                    "{} · {ratio:.2} × {name}'s overhead",
                    ratio_text(cc_over, ac_over)
                ),
                target,
                Some(ratio <= bound),
            )
        };
        let (ratio, target, met) = match scenario {
            Scenario::Preflight => {
                let ratio = cc.instructions / ac.instructions;
                (
                    format!("{ratio:.2} (of all instructions)"),
                    "instructions ≤ 0.6 × actix-cors's",
                    Some(ratio <= 0.6),
                )
            }
            Scenario::TwentyOrigins => beside(
                Scenario::Allowed,
                "scenario 1",
                "overhead ≤ 1.2 × scenario 1's",
                1.2,
            ),
            Scenario::DynamicOrigins => beside(
                Scenario::TwoOrigins,
                "scenario 7",
                "overhead ≤ 1.3 × scenario 7's",
                1.3,
            ),
            Scenario::PerTenant => {
                let listed = get(figures, Scenario::TenantRouteListed, Setup::CorsCredentials);
                let ratio = cc.instructions / listed.instructions;
                let over = cc_over / overhead(Scenario::TenantRouteListed, Setup::CorsCredentials);
                (
                    format!(
                        "{} · {ratio:.3} × scenario 14's instructions · {over:.2} × its overhead",
                        ratio_text(cc_over, ac_over)
                    ),
                    "instructions ≤ 1.1 × scenario 14's",
                    Some(ratio <= 1.1),
                )
            }
            Scenario::SubdomainPattern | Scenario::TwoOrigins | Scenario::TenantRouteListed => {
                (ratio_text(cc_over, ac_over), "none set", None)
            }
            _ => (
                ratio_text(cc_over, ac_over),
                "overhead ≤ 0.5 × actix-cors's",
                Some(cc_over <= 0.5 * ac_over),
            ),
        };
        let allocations_met = cc.allocations <= bare.allocations;
        let wall = match (bare.wall_ns, cc.wall_ns, ac.wall_ns) {
            (Some(b), Some(c), Some(a)) => format!(
                "{b:.0} · {c:.0} ({}) · {a:.0} ({}) ns",
                signed((c - b).round()),
                signed((a - b).round())
            ),
            _ => "not measured (run `cargo bench` first)".to_owned(),
        };
        let verdict = |ok: bool| if ok { "yes" } else { "**no**" };
        let met = met.map_or("—", verdict);
        let _ = writeln!(
            out,
            "| {} | {} · {} · {} | {} · {} | {} | {} · {} · {} | {} | {}; allocations ≤ bare | {}; allocations: {} |",
            scenario.title(),
            plain(bare.instructions),
            plain(cc.instructions),
            plain(ac.instructions),
            signed(cc_over),
            signed(ac_over),
            ratio,
            plain(bare.allocations),
            plain(cc.allocations),
            plain(ac.allocations),
            wall,
            target,
            met,
            verdict(allocations_met),
        );
    }
    let _ = writeln!(
        out,
        "\nInstructions: `valgrind --tool=callgrind`, counted inside `measured_request` only, \
         (Ir({LONG} requests) − Ir({SHORT} requests)) / {}. Allocations: counting global allocator, \
         (allocations of {} requests − of {ALLOC_REQUESTS}) / {ALLOC_REQUESTS}. {}",
        LONG - SHORT,
        2 * ALLOC_REQUESTS,
        environment()
    );
    out
}

/// The guard's table: instructions and allocations of the bare app and of
/// the same app behind `CrossOriginGuard`, and the guard's overhead.
fn guard_table(figures: &AllFigures) -> String {
    let mut out = String::new();
    out.push_str(
        "| Scenario | Instructions/request: bare · guard | Guard overhead (guard − bare) | Allocations/request: bare · guard | Wall time/request (criterion median): bare · guard | Target | Met |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|\n");
    for scenario in Scenario::GUARD {
        let [bare, guard] = Setup::GUARD.map(|setup| get(figures, scenario, setup));
        let wall = match (bare.wall_ns, guard.wall_ns) {
            (Some(b), Some(g)) => format!("{b:.0} · {g:.0} ({}) ns", signed((g - b).round())),
            _ => "not measured (run `cargo bench` first)".to_owned(),
        };
        let met = if guard.allocations <= bare.allocations {
            "yes"
        } else {
            "**no**"
        };
        let _ = writeln!(
            out,
            "| {} | {} · {} | {} | {} · {} | {} | allocations ≤ bare | {} |",
            scenario.title(),
            plain(bare.instructions),
            plain(guard.instructions),
            signed(guard.instructions - bare.instructions),
            plain(bare.allocations),
            plain(guard.allocations),
            wall,
            met,
        );
    }
    let _ = writeln!(
        out,
        "\nMeasured as the table above, in the same run. Rows 9–11: the bare app \
         (`GET` and `POST` on one resource) and the same app behind \
         `CrossOriginGuard::new().trust(..)`, trusting scenario 10's origin app-wide. \
         Row 12 sends scenario 10's request (a same-site `POST` from the allowed \
         origin) with nothing trusted app-wide: its bare column is the `POST` \
         handler annotated `#[cors_credentials(origins = [..])]` alone, its guard \
         column the same app behind `CrossOriginGuard::new()`, which finds the \
         route's policy in the resource map and lets the route decide; the \
         difference is the guard's cost on such a path, to set against row 10's \
         app-wide trust. Row 12 is measured on actix-web only: a tower layer \
         cannot see routes, so on axum a route whose `CorsLayer` admits \
         cross-origin writes is added after the guard and the guard never runs \
         for it. {}",
        environment()
    );
    out
}

/// The cookie diagnostics' table: scenario 1 on each adapter's
/// cors-credentials setup with the diagnostics off (the default of these
/// builds) and on.
fn cookies_table(figures: &AllFigures) -> String {
    let mut out = String::new();
    out.push_str(
        "| Adapter | Instructions/request: off · on | On − off | Allocations/request: off · on |\n",
    );
    out.push_str("|---|---|---|---|\n");
    for (adapter, [off, on]) in [
        ("actix-web (b · b′)", [Setup::COOKIES[0], Setup::COOKIES[1]]),
        ("axum (f · f′)", [Setup::COOKIES[2], Setup::COOKIES[3]]),
    ] {
        let off = get(figures, Scenario::Allowed, off);
        let on = get(figures, Scenario::Allowed, on);
        let _ = writeln!(
            out,
            "| {adapter} | {} · {} | {} | {} · {} |",
            plain(off.instructions),
            plain(on.instructions),
            signed(on.instructions - off.instructions),
            plain(off.allocations),
            plain(on.allocations),
        );
    }
    let _ = writeln!(
        out,
        "\nScenario 1 ({}), measured as the tables above, in the same run. {}",
        Scenario::Allowed.title(),
        environment()
    );
    out
}

fn ratio_text(cc_over: f64, ac_over: f64) -> String {
    if ac_over > 0.0 {
        format!("{:.2}", cc_over / ac_over)
    } else {
        "— (actix-cors's overhead is not positive)".to_owned()
    }
}

/// Inclusive instructions per request of the CORS crates' own functions.
fn profile(figures: &AllFigures) -> String {
    profile_of(
        figures,
        &[
            (
                Setup::CorsCredentials,
                "cors_credentials",
                &Scenario::ALL[..],
            ),
            (Setup::ActixCors, "actix_cors", &Scenario::ALL[..]),
            (Setup::Guard, "cors_credentials", &Scenario::GUARD[..]),
        ],
    )
}

/// [`profile`] for these setups, each with its crate and scenarios.
fn profile_of(figures: &AllFigures, setups: &[(Setup, &str, &[Scenario])]) -> String {
    let mut out = String::new();
    for &(setup, crate_name, scenarios) in setups {
        let mut functions: Vec<&String> = scenarios
            .iter()
            .flat_map(|&scenario| get(figures, scenario, setup).functions.keys())
            .collect();
        functions.sort();
        functions.dedup();
        let _ = writeln!(
            out,
            "\n`{crate_name}` functions, inclusive instructions per request ({}):\n",
            setup.id()
        );
        let _ = write!(out, "| Function |");
        for scenario in scenarios {
            let _ = write!(out, " {} |", scenario.id());
        }
        let _ = write!(out, "\n|---|");
        for _ in scenarios {
            out.push_str("---:|");
        }
        out.push('\n');
        for function in functions {
            let _ = write!(out, "| `{function}` |");
            for &scenario in scenarios {
                let cost = get(figures, scenario, setup)
                    .functions
                    .get(function)
                    .copied()
                    .unwrap_or(0.0);
                if cost == 0.0 {
                    out.push_str(" |");
                } else {
                    let _ = write!(out, " {} |", plain(cost));
                }
            }
            out.push('\n');
        }
    }
    out
}

/// The tower tables: the axum setups' instructions, the overheads over the
/// bare router, ours ÷ tower-http's, allocations and each target; then the
/// guard's rows and the crates' functions.
fn tower_tables(figures: &AllFigures) -> String {
    let mut out = String::new();
    out.push_str(
        "| Scenario | Instructions/request: axum-bare · identity · cors-credentials · tower-http | Overhead over axum-bare: identity · cors-credentials · tower-http | cors-credentials ÷ tower-http | Allocations/request: axum-bare · identity · cors-credentials · tower-http | Wall time/request (criterion median): axum-bare · cors-credentials · tower-http | Target | Met |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|\n");
    let verdict = |ok: bool| if ok { "yes" } else { "**no**" };
    for scenario in Scenario::TOWER {
        let [bare, identity, cc, th] = Setup::TOWER.map(|setup| get(figures, scenario, setup));
        let over = |f: &Figures| f.instructions - bare.instructions;
        let (cc_over, th_over) = (over(cc), over(th));
        let (ratio, target, met) = match scenario {
            Scenario::Preflight => {
                let ratio = cc.instructions / th.instructions;
                (
                    format!("{ratio:.2} (of all instructions)"),
                    "instructions ≤ 0.6 × tower-http's",
                    Some(ratio <= 0.6),
                )
            }
            Scenario::Allowed | Scenario::Disallowed | Scenario::NoOrigin => (
                tower_ratio(cc_over, th_over),
                "overhead ≤ 0.5 × tower-http's",
                Some(cc_over <= 0.5 * th_over),
            ),
            _ => (tower_ratio(cc_over, th_over), "none set", None),
        };
        let wall = match (bare.wall_ns, cc.wall_ns, th.wall_ns) {
            (Some(b), Some(c), Some(t)) => format!(
                "{b:.0} · {c:.0} ({}) · {t:.0} ({}) ns",
                signed((c - b).round()),
                signed((t - b).round())
            ),
            _ => "not measured (run `cargo bench` first)".to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} | {} · {} · {} · {} | {} · {} · {} | {} | {} · {} · {} · {} | {} | {}; allocations ≤ axum-bare | {}; allocations: {} ({} over identity) |",
            scenario.title(),
            plain(bare.instructions),
            plain(identity.instructions),
            plain(cc.instructions),
            plain(th.instructions),
            signed(over(identity)),
            signed(cc_over),
            signed(th_over),
            ratio,
            plain(bare.allocations),
            plain(identity.allocations),
            plain(cc.allocations),
            plain(th.allocations),
            wall,
            target,
            met.map_or("—", verdict),
            verdict(cc.allocations <= bare.allocations),
            signed(cc.allocations - identity.allocations),
        );
    }
    out.push_str(
        "\n| Scenario | Instructions/request: axum-bare · identity · guard | Guard overhead over axum-bare · over identity | Allocations/request: axum-bare · identity · guard | Target | Met |\n",
    );
    out.push_str("|---|---|---|---|---|---|\n");
    for scenario in Scenario::TOWER_GUARD {
        let [bare, identity, guard] = Setup::TOWER_GUARD.map(|setup| get(figures, scenario, setup));
        let _ = writeln!(
            out,
            "| {} | {} · {} · {} | {} · {} | {} · {} · {} | allocations ≤ axum-bare | {} ({} over identity) |",
            scenario.title(),
            plain(bare.instructions),
            plain(identity.instructions),
            plain(guard.instructions),
            signed(guard.instructions - bare.instructions),
            signed(guard.instructions - identity.instructions),
            plain(bare.allocations),
            plain(identity.allocations),
            plain(guard.allocations),
            verdict(guard.allocations <= bare.allocations),
            signed(guard.allocations - identity.allocations),
        );
    }
    let _ = writeln!(
        out,
        "\nMeasured as the actix-web tables, in the same run: axum's `Router` after \
         `with_state(())`, called through `ServiceExt::oneshot` and polled once. \
         identity: tower's `Identity` layer where the other layers go, what axum's \
         `.layer` costs any layer. Scenario 12 has no axum row: on tower a route \
         whose own `CorsLayer` admits cross-origin writes is added after the guard, \
         which then never runs for it. {}",
        environment()
    );
    out.push_str(&profile_of(
        figures,
        &[
            (
                Setup::AxumCorsCredentials,
                "cors_credentials",
                &Scenario::TOWER[..],
            ),
            (Setup::TowerHttp, "tower_http", &Scenario::TOWER[..]),
            (
                Setup::AxumGuard,
                "cors_credentials",
                &Scenario::TOWER_GUARD[..],
            ),
        ],
    ));
    out
}

fn tower_ratio(cc_over: f64, th_over: f64) -> String {
    if th_over > 0.0 {
        format!("{:.2}", cc_over / th_over)
    } else {
        "— (tower-http's overhead is not positive)".to_owned()
    }
}

fn environment() -> String {
    let first_line = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.lines().next().map(str::to_owned))
            .unwrap_or_else(|| format!("{program}: unknown"))
    };
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    // Wall times depend on what else runs; instruction counts do not.
    let load = fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned());
    format!(
        "Measured {} with {}, {}, on {cpu} ({} cores; load average {load} when this table was written; the wall times are from the last `cargo bench`).",
        first_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        first_line("rustc", &["--version"]),
        first_line("valgrind", &["--version"]),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    )
}

fn replace_between(text: &str, begin: &str, end: &str, content: &str) -> Result<String, String> {
    let start = text
        .find(begin)
        .ok_or(format!("marker {begin} not found"))?
        + begin.len();
    let stop = text[start..]
        .find(end)
        .ok_or(format!("marker {end} not found"))?
        + start;
    Ok(format!(
        "{}\n{}\n{}",
        &text[..start],
        content.trim(),
        &text[stop..]
    ))
}
