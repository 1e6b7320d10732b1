//! Criterion benches of the ingest hot path on the bundled Anonymous Bank data, and of the whole
//! `wfm inspect` path (read, validate, regularise, find outages, profile, the tables) on a
//! generated history of 100 regions × 365 days × 96 intervals (3,504,000 rows), the size of
//! `benches/data/history_100x15m.csv`.
//!
//! The comparison with pandas is `benches/compare_ingest.sh`; `benches/speed_gate.sh` times the
//! command itself against its target.

use std::fmt::Write as _;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use rayon::prelude::*;
use wfm::data::{load_history, profile_region, IngestOptions, RegionProfile};
use wfm::report::inspect_tables::{outage_list, overview_table, region_details};

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

/// `timestamp,region,contacts,aht_seconds` for `regions` regions × `days` days of 15-minute
/// rows from 2025-01-01, sorted by region then time, with a daily and weekly shape and a
/// deterministic wobble (no randomness: the same bytes every run).
fn history_csv(regions: usize, days: i64) -> String {
    let mut csv = String::with_capacity(regions * days as usize * 96 * 42);
    csv.push_str("timestamp,region,contacts,aht_seconds\n");
    let start = wfm::time::days_from_civil(2025, 1, 1) * 1_440;
    for r in 0..regions {
        let level = 0.5 + (r % 17) as f64 / 8.0;
        for i in 0..days * 96 {
            let minute = start + i * 15;
            let hour = (i % 96) as f64 / 4.0;
            let weekday = wfm::time::weekday_of_minute(minute);
            let open = (7.0..21.0).contains(&hour) && weekday != 5;
            let shape = (-(hour - 11.5).powi(2) / 12.0).exp();
            let wobble = ((i * 7_919 + r as i64 * 104_729) % 13) as f64;
            let contacts = if open {
                (level * (10.0 + 90.0 * shape) + wobble).round()
            } else {
                0.0
            };
            let aht = 180.0 + ((i * 31 + r as i64) % 600) as f64 / 10.0;
            let _ = writeln!(
                csv,
                "{},region_{r:03},{contacts:.1},{aht:.1}",
                wfm::time::format_minute(minute)
            );
        }
    }
    csv
}

/// What `wfm inspect FILE` computes and prints, without the process around it.
fn inspect(path: &Path) -> usize {
    let history = load_history(path, &IngestOptions::default()).unwrap();
    let profiles: Vec<RegionProfile> = history
        .regions
        .par_iter()
        .map(|series| profile_region(series, None))
        .collect();
    let mut text = overview_table(&profiles).to_string();
    text.push_str(&outage_list(&profiles));
    for profile in &profiles {
        text.push_str(&region_details(profile));
    }
    text.len()
}

fn inspect_path(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history_100x15m.csv");
    std::fs::write(&path, history_csv(100, 365)).unwrap();
    let mut group = c.benchmark_group("inspect");
    group.sample_size(10);
    group.bench_function(
        "wfm inspect path, 100 regions x 365 days x 96 intervals (3,504,000 rows)",
        |b| b.iter(|| inspect(&path)),
    );
    group.finish();
}

criterion_group!(benches, ingest, inspect_path);
criterion_main!(benches);
