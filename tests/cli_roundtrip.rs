//! Region names that a CSV or a spreadsheet could mangle go through the whole pipeline —
//! inspect, forecast, staff, schedule, accuracy — and come back unchanged in every file.

mod common;

use std::path::Path;

use common::wfm;
use predicates::prelude::*;
use predicates::str::contains;

/// A name with a comma and quotes, and one a spreadsheet would run as a formula.
const SALES: &str = "Sales, \"EU\"";
const FORMULA: &str = "=HYPERLINK(\"x\")";

/// The region column of a CSV file, read by the `csv` crate as any CSV reader would.
fn regions_in(path: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "region")
        .unwrap();
    let mut names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[column].to_string())
        .collect();
    names.dedup();
    names
}

#[test]
fn awkward_region_names_survive_the_whole_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.csv");
    let text = std::fs::read_to_string("tests/fixtures/good/two_regions_12w.csv").unwrap();
    let renamed = text
        .replace(",north,", ",\"Sales, \"\"EU\"\"\",")
        .replace(",south,", ",\"=HYPERLINK(\"\"x\"\")\",");
    std::fs::write(&history, renamed).unwrap();
    let forecast = dir.path().join("forecast.csv");
    let requirements = dir.path().join("requirements.csv");
    let shifts = dir.path().join("shifts.csv");
    let coverage = dir.path().join("coverage.csv");

    wfm()
        .arg("inspect")
        .arg(&history)
        .assert()
        .success()
        .stdout(contains(SALES))
        .stdout(contains(FORMULA));
    wfm()
        .arg("forecast")
        .arg(&history)
        .args(["--train-until", "2024-01-22", "--horizon", "7d", "-o"])
        .arg(&forecast)
        .assert()
        .success();
    // In the files a spreadsheet opens, the formula is neutralised by a leading apostrophe.
    let neutralised = format!("'{FORMULA}");
    assert_eq!(regions_in(&forecast), [SALES, neutralised.as_str()]);
    wfm()
        .arg("staff")
        .arg(&forecast)
        .args(["--aht", "300", "-o"])
        .arg(&requirements)
        .assert()
        .success();
    assert_eq!(regions_in(&requirements), [SALES, neutralised.as_str()]);
    wfm()
        .arg("schedule")
        .arg(&requirements)
        .arg("-o")
        .arg(&shifts)
        .arg("--coverage")
        .arg(&coverage)
        .assert()
        .success()
        .stdout(contains(SALES));
    assert_eq!(regions_in(&shifts), [SALES, neutralised.as_str()]);
    assert_eq!(regions_in(&coverage), [SALES, neutralised.as_str()]);
    // wfm reads its own files back with the original names.
    wfm()
        .args(["accuracy", "--forecast"])
        .arg(&forecast)
        .arg("--actuals")
        .arg(&history)
        .arg("--allow-missing")
        .assert()
        .success()
        .stdout(contains(SALES))
        .stdout(contains(FORMULA))
        .stdout(contains(&neutralised).not());
}
