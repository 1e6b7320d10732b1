//! `wfm forecast` and `wfm backtest` end to end on the bundled data and fixtures.

mod common;

use common::wfm;

use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn forecast_writes_the_documented_columns_for_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("forecast.csv");
    wfm()
        .args([
            "forecast",
            "data/anonbank_1999_hourly.csv",
            "--horizon",
            "28d",
        ])
        .args(["--holidays", "data/anonbank_1999_holidays.csv", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout(contains("anonbank"))
        .stdout(contains("interval RMSSE"))
        .stdout(contains("daily RMSSE"))
        .stdout(contains("Forecast contacts per day"));
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("timestamp,region,forecast,lower,upper"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 28 * 24);
    assert_eq!(rows[0][0], "2000-01-01T00:00:00");
    assert_eq!(rows[rows.len() - 1][0], "2000-01-28T23:00:00");
    for row in &rows {
        let [f, lo, hi]: [f64; 3] = [row[2], row[3], row[4]].map(|v| v.parse().unwrap());
        assert!(lo >= 0.0 && lo <= f && f <= hi, "{row:?}");
    }
    // A month-ahead total in the range of the data's months (≈ 37,000 calls a month).
    let total: f64 = rows.iter().map(|r| r[2].parse::<f64>().unwrap()).sum();
    assert!((30_000.0..50_000.0).contains(&total), "{total}");
}

#[test]
fn forecast_of_a_month_keeps_only_that_month_and_carries_aht() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.csv");
    wfm()
        .args([
            "forecast",
            "tests/fixtures/good/two_regions_12w.csv",
            "--month",
            "2024-02",
        ])
        .args(["--model", "savg:2", "-o"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("timestamp,region,forecast,lower,upper,aht_seconds\n"));
    let rows: Vec<&str> = text.lines().skip(1).collect();
    // February 2024 has 29 days × 48 half-hours × 2 regions.
    assert_eq!(rows.len(), 29 * 48 * 2);
    assert!(
        rows[0].starts_with("2024-02-01T00:00:00,north,0.000,0.000,0.000"),
        "closed night: {}",
        rows[0]
    );
    let open = rows
        .iter()
        .find(|r| r.starts_with("2024-02-01T10:00:00,north"))
        .unwrap();
    let aht: f64 = open.rsplit(',').next().unwrap().parse().unwrap();
    assert!((250.0..400.0).contains(&aht), "{open}");
}

#[test]
fn a_month_inside_the_history_is_refused() {
    wfm()
        .args([
            "forecast",
            "data/anonbank_1999_hourly.csv",
            "--month",
            "1999-06",
        ])
        .assert()
        .code(2)
        .stderr(contains("--month 1999-06"));
}

#[test]
fn unknown_model_is_a_usage_error() {
    wfm()
        .args([
            "forecast",
            "data/anonbank_1999_hourly.csv",
            "--horizon",
            "7d",
            "--model",
            "arima",
        ])
        .assert()
        .code(2)
        .stderr(contains("unknown model \"arima\""));
}

#[test]
fn backtest_compares_models_and_writes_json() {
    let dir = tempfile::tempdir().unwrap();
    let json_path = dir.path().join("backtest.json");
    wfm()
        .args([
            "backtest",
            "data/anonbank_1999_hourly.csv",
            "--models",
            "auto,snaive,savg:4",
        ])
        .args([
            "--origins",
            "2",
            "--holidays",
            "data/anonbank_1999_holidays.csv",
            "--json",
        ])
        .arg(&json_path)
        .assert()
        .success()
        .stdout(contains("interval WAPE"))
        .stdout(contains("auto in anonbank: 1999-11-01"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let summary = json["summary"].as_array().unwrap();
    assert_eq!(summary.len(), 3);
    let wape = |model: &str| {
        summary.iter().find(|s| s["model"] == model).unwrap()["interval_wape"]
            .as_f64()
            .unwrap()
    };
    // The seasonal average beats last week's copy on a month ahead of real calls.
    assert!(wape("savg:4") < wape("snaive"));
    assert_eq!(json["origins"].as_array().unwrap().len(), 6);
    assert_eq!(json["origins"][0]["origin"], "1999-11-01T00:00:00");
}

#[test]
fn backtest_with_a_too_long_horizon_says_so() {
    wfm()
        .args([
            "backtest",
            "tests/fixtures/good/two_regions.csv",
            "--horizon",
            "28d",
        ])
        .assert()
        .code(2)
        .stderr(contains("too short"));
}

/// Regression (issue 12): two weeks of history cannot be backtested a month ahead even once;
/// the forecast is refused with exit 2 and the longest horizon named, never a seasonal naive
/// with a "NaN %" score and a band equal to the point forecast.
#[test]
fn a_horizon_longer_than_the_history_supports_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.csv");
    wfm()
        .args([
            "forecast",
            "tests/fixtures/good/two_regions.csv",
            "--month",
            "2024-02",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("cannot be backtested on this history even once"))
        .stderr(contains("the longest horizon it supports is 0 day(s)"))
        .stderr(contains("NaN").not());
    assert!(!out.exists(), "nothing is written");
    // Twelve weeks support 56 days; seven months ahead needs --extrapolate.
    wfm()
        .args([
            "forecast",
            "tests/fixtures/good/two_regions_12w.csv",
            "--month",
            "2024-08",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("supports is 56 day(s) (to 2024-03-24)"))
        .stderr(contains("--extrapolate"));
    wfm()
        .args([
            "forecast",
            "tests/fixtures/good/two_regions_12w.csv",
            "--month",
            "2024-08",
            "--extrapolate",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("extrapolated"))
        .stdout(contains("NaN").not());
}
