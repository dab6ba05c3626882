//! Serves N requests of one scenario on one setup, for `valgrind --tool=callgrind`.
//!
//! `measure <setup> <scenario> <requests>`: builds the app (actix-web or
//! axum, by setup), serves `WARM_UP + requests` requests through
//! `measured_request`, and exits.
//! `benchmarks/callgrind.sh` runs it twice with different counts and takes
//! the difference, which cancels start-up and warm-up.
//!
//! Built with the `tracing` feature (`benchmarks/tracing-cost.sh`), it first
//! sets the process's `tracing` subscriber from `MEASURE_SUBSCRIBER`: `none`
//! (the default: no subscriber), `off` (one that disables target
//! `cors_credentials`, as a filter at `info` would) or `on` (one that enables
//! every event and drops it, so the events are built but not written).

use std::process::ExitCode;

use cors_credentials_benchmarks::{build_and_run, Scenario, Setup, WARM_UP};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.as_slice() {
        [setup, scenario, count] => Setup::from_id(setup)
            .zip(Scenario::from_id(scenario))
            .zip(count.parse::<usize>().ok())
            .filter(|((setup, scenario), _)| scenario.measured_on(*setup)),
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
            "usage: measure <setup> <scenario> <requests>\n  setups {}: scenarios {}\n  setups {}: scenarios {}\n  setups {}: scenarios {}\n  setups {}: scenarios {}",
            ids(&Setup::ALL),
            scenarios(&Scenario::ALL),
            ids(&Setup::GUARD),
            scenarios(&Scenario::GUARD),
            ids(&Setup::TOWER),
            scenarios(&Scenario::TOWER),
            ids(&Setup::TOWER_GUARD),
            scenarios(&Scenario::TOWER_GUARD),
        );
        return ExitCode::from(2);
    };
    #[cfg(feature = "tracing")]
    if let Err(message) = subscriber::install() {
        eprintln!("{message}");
        return ExitCode::from(2);
    }
    build_and_run(setup, scenario, WARM_UP + count);
    ExitCode::SUCCESS
}

#[cfg(feature = "tracing")]
mod subscriber {
    use tracing::{
        span::{Attributes, Id, Record},
        subscriber::Interest,
        Event, Metadata, Subscriber,
    };

    /// Enables the crate's events (`on`) or not (`off`); records nothing.
    struct Drop {
        enable: bool,
    }

    impl Subscriber for Drop {
        fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
            if self.enabled(metadata) {
                Interest::always()
            } else {
                Interest::never()
            }
        }
        fn enabled(&self, metadata: &Metadata<'_>) -> bool {
            self.enable || !metadata.target().starts_with("cors_credentials")
        }
        fn new_span(&self, _: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            // Visit the fields, as a subscriber that writes them would.
            struct Visit;
            impl tracing::field::Visit for Visit {
                fn record_debug(
                    &mut self,
                    _: &tracing::field::Field,
                    value: &dyn core::fmt::Debug,
                ) {
                    core::hint::black_box(value);
                }
            }
            event.record(&mut Visit);
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    pub fn install() -> Result<(), String> {
        let enable = match std::env::var("MEASURE_SUBSCRIBER").as_deref() {
            Err(_) | Ok("none") => return Ok(()),
            Ok("off") => false,
            Ok("on") => true,
            Ok(other) => {
                return Err(format!(
                    "MEASURE_SUBSCRIBER: `{other}` is not none, off or on"
                ))
            }
        };
        tracing::subscriber::set_global_default(Drop { enable }).map_err(|e| e.to_string())
    }
}
