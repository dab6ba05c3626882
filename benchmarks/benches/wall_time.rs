//! Wall time per request of every scenario on every setup (criterion).
//!
//! `cargo bench -p cors-credentials-benchmarks`; results land in
//! `$CARGO_TARGET_DIR/criterion`, where `benchmarks/callgrind.sh` reads them
//! into the table of `BENCHMARKS.md`.

use std::time::Duration;

use cors_credentials_benchmarks::{
    build, build_tower, measured_request, Driver, Scenario, ScenarioRequest, Setup, BATCH, WARM_UP,
};
use criterion::{
    criterion_group, criterion_main, measurement::WallTime, BatchSize, BenchmarkGroup, Criterion,
};

/// Measures `driver`, the app of `setup` for `scenario`, after a warm-up.
fn bench<D>(group: &mut BenchmarkGroup<'_, WallTime>, setup: Setup, scenario: Scenario, driver: &D)
where
    D: Driver + ?Sized,
    D::Request: ScenarioRequest,
{
    cors_credentials_benchmarks::run(driver, scenario, WARM_UP);
    group.bench_function(setup.id(), |b| {
        b.iter_batched(
            || D::Request::of(scenario),
            |req| measured_request(driver, req),
            BatchSize::NumIterations(BATCH as u64),
        )
    });
}

fn wall_time(c: &mut Criterion) {
    for scenario in Scenario::ALL.into_iter().chain(Scenario::GUARD) {
        let mut group = c.benchmark_group(scenario.id());
        for &setup in scenario.setups() {
            bench(&mut group, setup, scenario, &*build(setup, scenario));
        }
        for &setup in scenario.tower_setups() {
            bench(&mut group, setup, scenario, &*build_tower(setup, scenario));
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    targets = wall_time
}
criterion_main!(benches);
