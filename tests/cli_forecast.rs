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
fn a_model_the_history_is_too_short_for_gives_way_to_auto_with_a_note() {
    // A year of the bank: `yearmix` needs 67 weeks of training before a backtest window. As
    // the README says, `auto` forecasts instead and says why (it was an error).
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("forecast.csv");
    wfm()
        .args([
            "forecast",
            "data/anonbank_1999_hourly.csv",
            "--horizon",
            "28d",
        ])
        .args(["--model", "yearmix", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("--model yearmix:12: the history is too short"))
        .stderr(contains("chosen by auto instead"));
    assert!(std::fs::read_to_string(&out).unwrap().lines().count() > 28 * 12);
}

#[test]
fn a_model_skipped_at_every_origin_is_one_note() {
    // Each origin's message names its own last day; one note per origin and region buried
    // the table (174 on the 911 log). A year of the bank is too short for `yearmix` anywhere.
    let assert = wfm()
        .args([
            "backtest",
            "data/anonbank_1999_hourly.csv",
            "--horizon",
            "28d",
        ])
        .args(["--origins", "6", "--models", "yearmix,savg:8"])
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let notes: Vec<&str> = stderr.lines().filter(|l| l.contains("skipped")).collect();
    assert_eq!(notes.len(), 1, "{stderr}");
    assert!(notes[0].contains("skipped yearmix:12 for 1 region(s) (anonbank) at 6 origin(s)"));
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
        .stdout(contains("auto in anonbank (its choice changed "))
        .stdout(contains("time(s) over 2 origins): 1999-11-01"));
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

/// Runs `wfm forecast ARGS -o TMP/f.csv`, which must succeed; returns the rows of the file as
/// (timestamp, region, forecast) and the standard error.
fn forecast_ok(args: &[&str]) -> (Vec<(String, String, f64)>, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.csv");
    let output = wfm()
        .arg("forecast")
        .args(args)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .get_output()
        .clone();
    (
        forecast_rows(&out),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Reads a forecast.csv into (timestamp, region, forecast) rows.
fn forecast_rows(path: &std::path::Path) -> Vec<(String, String, f64)> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (
                cells[0].to_string(),
                cells[1].to_string(),
                cells[2].parse().unwrap(),
            )
        })
        .collect()
}

/// Regression (issue 12, failure 1): five-minute rows 07:00–21:00 resampled to 30 minutes end
/// every day in a 21:00 bucket holding one of its six slots. That bucket is a regular slot, so
/// the last day is whole and `--horizon 7d` is the seven days after it.
#[test]
fn days_ending_at_2105_forecast_from_the_next_midnight() {
    let (rows, _) = forecast_ok(&[
        "tests/fixtures/good/five_minute_0700_2105.csv",
        "--interval",
        "30m",
        "--horizon",
        "7d",
    ]);
    assert_eq!(rows.len(), 7 * 48);
    assert_eq!(rows[0].0, "2024-02-05T00:00:00", "the day after the last");
    assert_eq!(rows[rows.len() - 1].0, "2024-02-11T23:30:00");
    let at_2100 = rows.iter().find(|r| r.0 == "2024-02-05T21:00:00").unwrap();
    assert!(at_2100.2 > 0.0, "the 21:00 slot is open: {at_2100:?}");
}

/// Regression (issue 12, failure 1): in an event log whose regions stop at different times,
/// every region forecasts from the end of the file, and none from inside the history.
#[test]
fn regions_of_an_event_log_forecast_from_the_same_origin() {
    let (rows, _) = forecast_ok(&[
        "tests/fixtures/good/events_uneven_ends.csv",
        "--events",
        "--horizon",
        "7d",
    ]);
    for region in ["A", "B"] {
        let first = rows.iter().find(|r| r.1 == region).unwrap();
        assert_eq!(first.0, "2016-08-01T00:00:00", "region {region}");
        assert_eq!(rows.iter().filter(|r| r.1 == region).count(), 7 * 48);
    }
}

/// A history that stops inside open hours: the rest of that day is forecast too (never a
/// timestamp of the history), and the output says so.
#[test]
fn a_last_day_cut_short_is_completed_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("cut.csv");
    let text = std::fs::read_to_string("tests/fixtures/good/two_regions_12w.csv").unwrap();
    // Keep the last day (Sunday 2024-01-28) only up to 11:30.
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            !l.starts_with("2024-01-28T1")
                || l.starts_with("2024-01-28T10")
                || l.starts_with("2024-01-28T11")
        })
        .collect();
    std::fs::write(&history, kept.join("\n") + "\n").unwrap();
    let (rows, stderr) = forecast_ok(&[history.to_str().unwrap(), "--horizon", "7d"]);
    assert!(
        stderr.contains("the history stops at 2024-01-28T12:00:00 inside open hours"),
        "{stderr}"
    );
    let north: Vec<&(String, String, f64)> = rows.iter().filter(|r| r.1 == "north").collect();
    assert_eq!(north[0].0, "2024-01-28T12:00:00");
    assert_eq!(north[north.len() - 1].0, "2024-02-04T23:30:00");
    assert_eq!(north.len(), 24 + 7 * 48);
}

/// Regression (issue 12, failure 4): one region too short for a `dom-` model does not abort the
/// backtest of the others; it is skipped with a note.
#[test]
fn a_model_too_demanding_for_one_region_is_skipped_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("mixed.csv");
    // north keeps all 12 weeks, south only the last 8: a week-ahead dom-savg:4 needs 10 weeks
    // before its origin (9 to fit, one to calibrate), savg:4 five.
    let text = std::fs::read_to_string("tests/fixtures/good/two_regions_12w.csv").unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !(l.contains(",south,") && l[..10] < *"2023-12-04"))
        .collect();
    std::fs::write(&history, kept.join("\n") + "\n").unwrap();
    wfm()
        .arg("backtest")
        .arg(&history)
        .args([
            "--models",
            "savg:4,dom-savg:4",
            "--horizon",
            "5d",
            "--origins",
            "1",
        ])
        .assert()
        .success()
        .stderr(contains("note: skipped dom-savg:4 for 1 region(s) (south)"))
        .stdout(predicates::str::is_match(r"north +┆ dom-savg:4").unwrap())
        .stdout(predicates::str::is_match(r"south +┆ savg:4").unwrap());
}
