//! Criterion bench: Erlang C staffing of one million intervals (the speed target),
//! with volumes and handle times shaped like a contact centre's day.

use criterion::{criterion_group, criterion_main, Criterion};
use rayon::prelude::*;
use wfm::staffing::{required, Load, Targets};

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

criterion_group!(benches, staffing);
criterion_main!(benches);
