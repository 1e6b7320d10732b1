//! `wfm accuracy` as a CI gate on the bundled data: pass (0), fail (1), bad input (2).

mod common;

use common::wfm;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use predicates::prelude::*;
use predicates::str::contains;

const HOLDOUT: &str = "data/anonbank_1999_12_hourly_holdout.csv";

/// December 1999 forecast from the history before it, written into `dir`.
fn december_forecast(dir: &Path) -> PathBuf {
    let out = dir.join("forecast.csv");
    wfm()
        .args([
            "forecast",
            "data/anonbank_1999_hourly.csv",
            "--train-until",
            "1999-12-01",
        ])
        .args([
            "--month",
            "1999-12",
            "--holidays",
            "data/anonbank_1999_holidays.csv",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(contains("Holdout accuracy at daily level"));
    out
}

/// The same forecast with every value multiplied by `factor`.
fn scaled(forecast: &Path, factor: f64) -> PathBuf {
    let text = std::fs::read_to_string(forecast).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for line in lines {
        let mut fields: Vec<String> = line.split(',').map(String::from).collect();
        for field in fields.iter_mut().skip(2) {
            *field = format!("{:.3}", field.parse::<f64>().unwrap() * factor);
        }
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    let path = forecast.with_file_name(format!("scaled_{factor}.csv"));
    std::fs::write(&path, out).unwrap();
    path
}

/// `wfm accuracy` of `forecast` against the December holdout, gated at daily accuracy ≥ 0.8 and
/// |bias| ≤ 0.2.
fn monthly_gate(forecast: &Path) -> Command {
    let mut command = wfm();
    command
        .args([
            "accuracy",
            "--actuals",
            HOLDOUT,
            "--level",
            "daily",
            "--min-accuracy",
            "0.8",
        ])
        .args(["--max-metric", "bias=0.2", "--forecast"])
        .arg(forecast);
    command
}

#[test]
fn a_good_forecast_passes_the_monthly_gate() {
    let dir = tempfile::tempdir().unwrap();
    let forecast = december_forecast(dir.path());
    let json = dir.path().join("accuracy.json");
    monthly_gate(&forecast)
        .arg("--json")
        .arg(&json)
        .assert()
        .code(0)
        .stdout(contains("all regions"))
        .stderr(contains("accuracy gate passed"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["level"], "daily");
    assert_eq!(report["gate"]["passed"], true);
    assert_eq!(report["regions"][0]["periods"], 31);
    // December 1999 had 43,065 calls (sum of the holdout file).
    assert_eq!(report["overall"]["actual_total"], 43065.0);
    let accuracy = report["overall"]["accuracy"].as_f64().unwrap();
    assert!(accuracy > 0.8 && accuracy < 1.0, "{accuracy}");
}

#[test]
fn a_gate_on_accuracy_by_bias_fails_an_under_forecast_as_an_over_forecast() {
    // Halved, the forecast's bias is about −50 %: 1 − |bias| is about 0.5, below 0.9. Taken
    // signed, 1 − (−0.5) = 1.5 would pass any minimum.
    let dir = tempfile::tempdir().unwrap();
    let december = december_forecast(dir.path());
    for factor in [0.5, 1.5] {
        wfm()
            .args(["accuracy", "--actuals", HOLDOUT, "--level", "daily"])
            .args(["--metric", "bias", "--min-accuracy", "0.9", "--forecast"])
            .arg(scaled(&december, factor))
            .assert()
            .code(1)
            .stderr(contains("accuracy (1 − |bias|) at daily level"));
    }
}

#[test]
fn a_degraded_forecast_fails_with_exit_1_naming_region_and_metric() {
    let dir = tempfile::tempdir().unwrap();
    let forecast = scaled(&december_forecast(dir.path()), 1.6);
    monthly_gate(&forecast)
        .assert()
        .code(1)
        .stderr(contains(
            "accuracy gate failed: region \"anonbank\": accuracy (1 − wape) at daily level",
        ))
        .stderr(contains("below the minimum 0.8000"))
        .stderr(contains("|bias| at daily level"));
}

#[test]
fn rows_missing_from_either_file_are_an_error_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let forecast = december_forecast(dir.path());
    // The whole year as actuals: eleven months have no forecast. 8,016 hours, less the 153 that
    // lie in recording outages (found at ingest; they are not actual demand).
    wfm()
        .args([
            "accuracy",
            "--actuals",
            "data/anonbank_1999_hourly.csv",
            "--forecast",
        ])
        .arg(&forecast)
        .assert()
        .code(2)
        .stderr(contains(
            "7863 actual row(s) have no forecast (first: 1999-01-01T00:00:00 anonbank",
        ))
        .stderr(contains("--allow-missing"));
    wfm()
        .args([
            "accuracy",
            "--actuals",
            "data/anonbank_1999_hourly.csv",
            "--allow-missing",
            "--forecast",
        ])
        .arg(&forecast)
        .assert()
        .code(0)
        .stderr(contains("warning: 7863 actual row(s) have no forecast"));
}

#[test]
fn bad_forecast_file_and_bad_flags_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "timestamp,region,forecast\n1999-12-01T00:00:00,anonbank,1\n1999-12-01T01:00:00,anonbank,lots\n").unwrap();
    wfm()
        .args(["accuracy", "--actuals", HOLDOUT, "--forecast"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(contains(
            "row 3, column \"forecast\": cannot read \"lots\" as a number",
        ));
    let forecast = december_forecast(dir.path());
    wfm()
        .args([
            "accuracy",
            "--actuals",
            HOLDOUT,
            "--max-metric",
            "speed=1",
            "--forecast",
        ])
        .arg(&forecast)
        .assert()
        .code(2)
        .stderr(contains("--max-metric speed=1"));
    wfm()
        .args([
            "accuracy",
            "--actuals",
            HOLDOUT,
            "--min-accuracy",
            "92",
            "--forecast",
        ])
        .arg(&forecast)
        .assert()
        .code(2)
        .stderr(contains("--min-accuracy"));
    wfm()
        .args([
            "accuracy",
            "--actuals",
            "tests/fixtures/bad/negative_count.csv",
            "--forecast",
        ])
        .arg(&forecast)
        .assert()
        .code(2)
        .stderr(contains("negative_count.csv").and(contains("row 5")));
}

/// Regression (issue 20): actuals from an event log span the forecast's window in every queue.
/// Traffic's first call falls at 00:52, so its series used to begin at 00:30, and the gate
/// exited 2 ("1 forecast row(s) have no actual") on a valid holdout.
#[test]
fn event_log_actuals_span_the_forecast_window_in_every_queue() {
    let dir = tempfile::tempdir().unwrap();
    let forecast = dir.path().join("forecast.csv");
    let mut text = String::from("timestamp,region,forecast,lower,upper\n");
    for region in ["EMS", "Traffic"] {
        for (time, value) in [
            ("00:00", 1.0),
            ("00:30", 1.0),
            ("01:00", 1.0),
            ("01:30", 0.5),
        ] {
            text.push_str(&format!("2016-07-01T{time}:00,{region},{value},0,3\n"));
        }
    }
    std::fs::write(&forecast, text).unwrap();
    let actuals = dir.path().join("calls.csv");
    std::fs::write(
        &actuals,
        "timestamp,category\n2016-07-01T00:05:00,EMS\n2016-07-01T00:52:00,Traffic\n\
         2016-07-01T01:10:00,EMS\n2016-07-01T01:20:00,EMS\n",
    )
    .unwrap();
    let json = dir.path().join("accuracy.json");
    wfm()
        .args(["accuracy", "--forecast"])
        .arg(&forecast)
        .arg("--actuals")
        .arg(&actuals)
        .args(["--events", "--region-col", "category", "--json"])
        .arg(&json)
        .assert()
        .success();
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["missing_actuals"]["count"], 0, "{report}");
    let traffic = report["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["region"] == "Traffic")
        .unwrap();
    assert_eq!(traffic["periods"], 4, "{traffic}");
    assert_eq!(traffic["actual_total"], 1.0, "{traffic}");
    // Σ|e| = |1−0| + |1−1| + |1−0| + |0.5−0| = 2.5 over 1 call.
    assert!(
        (traffic["wape"].as_f64().unwrap() - 2.5).abs() < 1e-9,
        "{traffic}"
    );
}

/// The README's CI example passes on both bundled data sets: the bank's interval counts and the
/// 911 log, an event log of three queues (issue 20).
#[test]
fn the_ci_example_gates_the_bank_and_the_911_log() {
    let wfm_binary = assert_cmd::cargo::cargo_bin("wfm");
    for data in ["", "911"] {
        let out = tempfile::tempdir().unwrap();
        let run = std::process::Command::new("bash")
            .current_dir(common::ROOT)
            .arg("examples/ci/accuracy-gate.sh")
            .args((!data.is_empty()).then_some(data))
            .env("WFM", &wfm_binary)
            .env("OUT", out.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(0), "{data}: {stderr}");
        assert!(stderr.contains("accuracy gate passed"), "{data}: {stderr}");
        let json = std::fs::read_to_string(out.path().join("accuracy.json")).unwrap();
        assert!(json.contains("\"passed\": true"), "{data}: {json}");
    }
}
