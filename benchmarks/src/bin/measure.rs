//! Serves N requests of one scenario on one setup, for `valgrind --tool=callgrind`.
//!
//! `measure <setup> <scenario> <requests>`: builds the app, serves
//! `WARM_UP + requests` requests through `measured_request`, and exits.
//! `benchmarks/callgrind.sh` runs it twice with different counts and takes
//! the difference, which cancels start-up and warm-up.

use std::process::ExitCode;

use cors_credentials_benchmarks::{build, run, Scenario, Setup, WARM_UP};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.as_slice() {
        [setup, scenario, count] => Setup::from_id(setup)
            .zip(Scenario::from_id(scenario))
            .zip(count.parse::<usize>().ok())
            .filter(|((setup, scenario), _)| scenario.setups().contains(setup)),
        _ => None,
    };
    let Some(((setup, scenario), count)) = parsed else {
        let ids = |setups: &[Setup]| setups.iter().map(|s| s.id()).collect::<Vec<_>>().join(" ");
        let scenarios = |scenarios: &[Scenario]| {
            scenarios
                .iter()
                .map(|s| s.id())
                .collect::<Vec<_>>()
                .join(" ")
        };
        eprintln!(
            "usage: measure <setup> <scenario> <requests>\n  setups {}: scenarios {}\n  setups {}: scenarios {}",
            ids(&Setup::ALL),
            scenarios(&Scenario::ALL),
            ids(&Setup::GUARD),
            scenarios(&Scenario::GUARD),
        );
        return ExitCode::from(2);
    };
    let driver = build(setup, scenario);
    run(&*driver, scenario, WARM_UP + count);
    ExitCode::SUCCESS
}
