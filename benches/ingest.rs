//! Criterion benches of the ingest hot path on the bundled Anonymous Bank data.
//!
//! The 100-region, 3.5-million-row comparison with pandas is `benches/compare_ingest.sh`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use wfm::data::{load_history, profile_region, IngestOptions};

fn ingest(c: &mut Criterion) {
    let six_minute = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anonbank_1999_6min.csv");
    let mut group = c.benchmark_group("ingest");
    group.sample_size(20);
    group.bench_function("load 6-minute year (87,600 rows)", |b| {
        b.iter(|| load_history(&six_minute, &IngestOptions::default()).unwrap())
    });
    let half_hour = IngestOptions {
        interval_minutes: Some(30),
        ..Default::default()
    };
    group.bench_function("load 6-minute year resampled to 30m", |b| {
        b.iter(|| load_history(&six_minute, &half_hour).unwrap())
    });
    let history = load_history(&six_minute, &IngestOptions::default()).unwrap();
    group.bench_function("profile 6-minute year", |b| {
        b.iter(|| profile_region(&history.regions[0], None))
    });
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
