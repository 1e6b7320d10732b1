//! Criterion bench: Erlang C staffing of one million intervals (the speed target),
//! with volumes and handle times shaped like a contact centre's day; and the whole `wfm staff`
//! stage on a million-interval forecast file: read and check the file, staff it, write
//! `requirements.csv` and build the summary table (what `wfm staff` does besides start-up).
//! `benches/speed_gate.sh` times the command itself against its target.

use criterion::{criterion_group, criterion_main, Criterion};
use rayon::prelude::*;
use wfm::forecast::forecasts::RegionForecast;
use wfm::report::staffing_tables::staffing_table;
use wfm::staffing::stage::{staff, StaffingConfig};
use wfm::staffing::{required, Load, Targets};
use wfm::Forecasts;

fn loads(n: usize) -> Vec<Load> {
    (0..n)
        .map(|i| {
            let hour = (i % 48) as f64 / 2.0;
            let shape = (-(hour - 11.0).powi(2) / 18.0).exp();
            Load {
                contacts: 2.0 + 120.0 * shape * (1.0 + (i % 97) as f64 / 97.0),
                interval_seconds: 1_800.0,
                aht_seconds: 180.0 + (i % 7) as f64 * 30.0,
            }
        })
        .collect()
}

fn staffing(c: &mut Criterion) {
    let million = loads(1_000_000);
    let targets = Targets::default();
    let mut group = c.benchmark_group("staffing");
    group.sample_size(10);
    group.bench_function("Erlang C, 1,000,000 intervals, 2 threads", |b| {
        b.iter(|| {
            million
                .par_iter()
                .map(|l| {
                    required(l, &targets)
                        .map(|s| s.agents_required)
                        .unwrap_or(0)
                })
                .sum::<u32>()
        })
    });
    group.bench_function("Erlang C, 1,000,000 intervals, 1 thread", |b| {
        b.iter(|| {
            million
                .iter()
                .map(|l| {
                    required(l, &targets)
                        .map(|s| s.agents_required)
                        .unwrap_or(0)
                })
                .sum::<u32>()
        })
    });
    let erlang_a = Targets {
        patience_seconds: Some(120.0),
        ..Default::default()
    };
    let thousand = loads(10_000);
    group.bench_function("Erlang A, 10,000 intervals", |b| {
        b.iter(|| {
            thousand
                .par_iter()
                .map(|l| {
                    required(l, &erlang_a)
                        .map(|s| s.agents_required)
                        .unwrap_or(0)
                })
                .sum::<u32>()
        })
    });
    group.finish();
}

/// A forecast file of `n` thirty-minute intervals of one region, from Monday 2025-01-06.
fn write_forecast(path: &std::path::Path, n: usize) {
    let loads = loads(n);
    let forecast: Vec<f64> = loads.iter().map(|l| l.contacts).collect();
    let aht: Vec<f64> = loads.iter().map(|l| l.aht_seconds).collect();
    let start_minute = wfm::time::days_from_civil(2025, 1, 6) * 1_440;
    Forecasts {
        interval_minutes: 30,
        until_minute: None,
        path: None,
        regions: vec![RegionForecast {
            region: "main".into(),
            interval_minutes: 30,
            minutes: (0..n as i64).map(|i| start_minute + i * 30).collect(),
            lower: forecast.clone(),
            upper: forecast.clone(),
            point: forecast,
            aht_seconds: Some(aht),
            ..RegionForecast::default()
        }],
    }
    .write(path)
    .unwrap();
}

fn staff_stage(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let forecast_path = dir.path().join("forecast.csv");
    let requirements_path = dir.path().join("requirements.csv");
    write_forecast(&forecast_path, 1_000_000);
    let config = StaffingConfig::default();
    let mut group = c.benchmark_group("staff");
    group.sample_size(10);
    group.bench_function(
        "wfm staff stage, 1,000,000 intervals (read, staff, write requirements.csv, table)",
        |b| {
            b.iter(|| {
                let forecast = Forecasts::read(&forecast_path).unwrap();
                let requirements = staff(&forecast, &config).unwrap();
                requirements.write(&requirements_path).unwrap();
                staffing_table(&requirements.regions, None, None, 1.0, 30).to_string()
            })
        },
    );
    let forecast = Forecasts::read(&forecast_path).unwrap();
    let requirements = staff(&forecast, &config).unwrap();
    group.bench_function("write requirements.csv, 1,000,000 intervals", |b| {
        b.iter(|| requirements.write(&requirements_path).unwrap())
    });
    group.finish();
}

criterion_group!(benches, staffing, staff_stage);
criterion_main!(benches);
