//! The terminal tables, checked whole: a change of layout or of a figure shows as a diff of the
//! snapshot in `tests/snapshots/` (accept a deliberate one with `INSTA_UPDATE=always cargo test`
//! or `cargo insta review`).

mod common;

use common::wfm;

/// Standard output of a successful `wfm` run, without the lines that hold a wall time.
fn table(args: &[&str]) -> String {
    let output = wfm().args(args).assert().success().get_output().clone();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|line| !line.contains("solve time"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn erlang_table() {
    insta::assert_snapshot!(table(&[
        "erlang",
        "--contacts",
        "100",
        "--interval",
        "30m",
        "--aht",
        "180",
        "--target-sl",
        "0.8",
        "--target-seconds",
        "20",
    ]));
}

#[test]
fn forecast_summary_and_daily_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.csv");
    insta::assert_snapshot!(table(&[
        "forecast",
        "tests/fixtures/good/two_regions_12w.csv",
        "--horizon",
        "7d",
        "--model",
        "savg:4",
        "-o",
        out.to_str().unwrap(),
    ]));
}

#[test]
fn backtest_table_with_all_regions() {
    insta::assert_snapshot!(table(&[
        "backtest",
        "tests/fixtures/good/two_regions_12w.csv",
        "--models",
        "savg:4,snaive",
        "--horizon",
        "7d",
        "--origins",
        "2",
    ]));
}

#[test]
fn schedule_comparison_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shifts.csv");
    insta::assert_snapshot!(table(&[
        "schedule",
        "tests/fixtures/schedule/day_requirements.csv",
        "--shifts",
        "tests/fixtures/schedule/early_and_late_starts.toml",
        "-o",
        out.to_str().unwrap(),
    ]));
}

#[test]
fn inspect_overview_table() {
    insta::assert_snapshot!(table(&[
        "inspect",
        "tests/fixtures/good/two_regions_12w.csv",
        "--brief",
    ]));
}

#[test]
fn staffing_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("requirements.csv");
    insta::assert_snapshot!(table(&[
        "staff",
        "tests/fixtures/good/one_hour_forecast.csv",
        "--aht",
        "180",
        "--shrinkage",
        "30%",
        "--volume-scale",
        "1.5",
        "-o",
        out.to_str().unwrap(),
    ]));
}

/// A week held out of the twelve, forecast from the eleven before it and scored by day.
#[test]
fn accuracy_table() {
    let dir = tempfile::tempdir().unwrap();
    let forecast = dir.path().join("forecast.csv");
    table(&[
        "forecast",
        "tests/fixtures/good/two_regions_12w.csv",
        "--train-until",
        "2024-01-22",
        "--horizon",
        "7d",
        "--model",
        "savg:4",
        "-o",
        forecast.to_str().unwrap(),
    ]);
    insta::assert_snapshot!(table(&[
        "accuracy",
        "--forecast",
        forecast.to_str().unwrap(),
        "--actuals",
        "tests/fixtures/good/two_regions_12w.csv",
        "--level",
        "daily",
        // The actuals run from the first week: only the held-out one is scored.
        "--allow-missing",
    ])
    .replace(forecast.to_str().unwrap(), "FORECAST"));
}

#[test]
fn roster_table_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("roster.csv");
    insta::assert_snapshot!(table(&[
        "roster",
        "tests/fixtures/roster/requirements_two_weeks.csv",
        "--agents",
        "tests/fixtures/roster/agents_twelve.csv",
        "--shrinkage",
        "0.3",
        "-o",
        out.to_str().unwrap(),
    ]));
}
