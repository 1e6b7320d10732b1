//! `wfm inspect` on real and hand-made histories: figures, JSON fields, plots, exit codes.

mod common;

use common::{wfm, ROOT};

use std::process::{Command as StdCommand, Stdio};

use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

fn inspect_json(args: &[&str]) -> Value {
    let output = wfm()
        .arg("inspect")
        .args(args)
        .arg("--json")
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("valid JSON on stdout")
}

#[test]
fn hourly_bank_data_profile_matches_the_source_totals() {
    let json = inspect_json(&["data/anonbank_1999_hourly.csv"]);
    assert_eq!(json["interval_minutes"], 60);
    let region = &json["regions"][0];
    assert_eq!(region["region"], "anonbank");
    // SOURCES.md: 8,760 rows and 445,414.5 calls in 1999.
    assert_eq!(region["source_rows"], 8760);
    assert_eq!(region["total_contacts"], 445414.5);
    assert_eq!(region["days"], 365);
    assert_eq!(region["gap_intervals"], 0);
    assert_eq!(region["closed_slots"], 0);
    // 1999 began on a Friday and had 365 days: 53 Fridays, 52 of every other weekday.
    let days: Vec<u64> = region["weekday_days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap())
        .collect();
    assert_eq!(days, [52, 52, 52, 52, 53, 52, 52]);
    // SOURCES.md: mean calls on a Sunday 1,630 and on a Saturday 206.
    let sunday = region["weekday_totals"][6].as_f64().unwrap() / 52.0;
    let saturday = region["weekday_totals"][5].as_f64().unwrap() / 52.0;
    assert!((sunday - 1_630.0).abs() < 1.0, "{sunday}");
    assert!((saturday - 206.0).abs() < 1.0, "{saturday}");
}

#[test]
fn six_minute_data_resampled_to_half_hours_keeps_every_call() {
    let json = inspect_json(&[
        "data/anonbank_1999_6min.csv",
        "--interval",
        "30m",
        "--holidays",
        "data/anonbank_1999_holidays.csv",
    ]);
    assert_eq!(json["interval_minutes"], 30);
    assert_eq!(json["source_interval_minutes"], 6);
    let region = &json["regions"][0];
    assert_eq!(region["region"], "all");
    assert_eq!(region["intervals"], 365 * 48);
    assert_eq!(region["total_contacts"], 445414.5);
    // Yom Kippur (161 calls) stands out from the Mondays and is named from the holidays file.
    let outliers = region["outlier_days"].as_array().unwrap();
    let yom_kippur = outliers
        .iter()
        .find(|o| o["date"] == "1999-09-20")
        .expect("Yom Kippur is an outlier");
    assert_eq!(yom_kippur["contacts"], 161.0);
    assert_eq!(yom_kippur["holiday"], "Yom Kippur");
}

#[test]
fn closed_nights_are_reported_as_closed_slots() {
    let json = inspect_json(&["tests/fixtures/good/two_regions.csv"]);
    let regions = json["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 2);
    for region in regions {
        // Open 08:00–17:30 every day: 20 of 48 half-hours open, 28 closed, on 7 weekdays.
        assert_eq!(region["closed_slots"], 7 * 28);
        assert_eq!(region["slots_per_week"], 336);
        assert_eq!(region["gap_intervals"], 0);
        assert!(region["aht_seconds"].as_f64().unwrap() > 250.0);
    }
}

#[test]
fn tables_name_every_region_and_its_profile() {
    wfm()
        .args(["inspect", "tests/fixtures/good/two_regions.csv"])
        .assert()
        .success()
        .stdout(contains("north"))
        .stdout(contains("south"))
        .stdout(contains("Mean contacts per hour, weekday × hour"))
        .stdout(contains("Weekday totals (14 days)"));
}

#[test]
fn plot_writes_one_png_per_region() {
    let dir = tempfile::tempdir().unwrap();
    let plot = dir.path().join("heat.png");
    wfm()
        .args([
            "inspect",
            "tests/fixtures/good/two_regions.csv",
            "--brief",
            "--plot",
        ])
        .arg(&plot)
        .assert()
        .success();
    for region in ["north", "south"] {
        let bytes = std::fs::read(dir.path().join(format!("heat-{region}.png"))).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "a PNG file");
        assert!(bytes.len() > 10_000, "a real picture, not an empty canvas");
    }
    // Nothing else, e.g. no temporary file, is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn single_region_plot_can_be_svg() {
    let dir = tempfile::tempdir().unwrap();
    let plot = dir.path().join("heat.svg");
    wfm()
        .args([
            "inspect",
            "data/anonbank_1999_hourly.csv",
            "--brief",
            "--plot",
        ])
        .arg(&plot)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(svg.contains("<svg") && svg.contains("Mon") && svg.contains("anonbank"));
}

#[test]
fn region_filter_keeps_only_the_named_region() {
    let json = inspect_json(&["tests/fixtures/good/two_regions.csv", "--region", "south"]);
    let regions = json["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 1);
    assert_eq!(regions[0]["region"], "south");
}

#[test]
fn renamed_columns_are_mapped_by_flags() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("renamed.csv");
    std::fs::write(
        &path,
        "start;queue;calls\n2024-01-01 08:00;q1;4\n2024-01-01 08:15;q1;6\n",
    )
    .unwrap();
    let json = inspect_json(&[
        path.to_str().unwrap(),
        "--delimiter",
        ";",
        "--time-col",
        "start",
        "--region-col",
        "queue",
        "--volume-col",
        "calls",
    ]);
    assert_eq!(json["interval_minutes"], 15);
    assert_eq!(json["regions"][0]["region"], "q1");
    assert_eq!(json["regions"][0]["total_contacts"], 10.0);
}

#[test]
fn closed_stdout_is_not_an_error() {
    // `wfm inspect … | head -0`: the reader goes away before wfm writes.
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_wfm"))
        .current_dir(ROOT)
        .args(["inspect", "data/anonbank_1999_hourly.csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn help_lists_the_input_flags() {
    wfm()
        .args(["inspect", "--help"])
        .assert()
        .success()
        .stdout(contains("--time-col"))
        .stdout(contains("--missing"))
        .stdout(contains("--tz"));
}

#[test]
fn bank_recording_outages_are_listed_at_half_hours() {
    let json = inspect_json(&["data/anonbank_1999_6min.csv", "--interval", "30m"]);
    let outages = json["regions"][0]["outages"].as_array().unwrap();
    let find = |start: &str| {
        outages
            .iter()
            .find(|o| o["start"] == start)
            .unwrap_or_else(|| panic!("no outage from {start}: {outages:?}"))
    };
    // SOURCES.md: zeros 1999-03-02 14:30–19:06 and 03-08 from 11:36 to the end of the day (the
    // half hours that hold only zeros; the quiet night after the 8th adds a little).
    let march_2 = find("1999-03-02T14:30:00");
    assert_eq!(march_2["end"], "1999-03-02T19:00:00");
    assert!(march_2["expected_contacts"].as_f64().unwrap() > 400.0);
    let march_8 = find("1999-03-08T12:00:00");
    assert!(march_8["end"].as_str().unwrap() >= "1999-03-09T00:00:00");
    find("1999-01-13T10:00:00");
    wfm()
        .args([
            "inspect",
            "data/anonbank_1999_6min.csv",
            "--interval",
            "30m",
        ])
        .assert()
        .success()
        .stdout(contains("Outages (runs of zeros"))
        .stdout(contains("  1999-03-02 14:30 – 19:00  expected"))
        .stdout(contains("… and "));
    let kept = inspect_json(&[
        "data/anonbank_1999_6min.csv",
        "--interval",
        "30m",
        "--outages",
        "keep",
    ]);
    assert_eq!(kept["regions"][0]["outages"].as_array().unwrap().len(), 0);
    assert_eq!(kept["regions"][0]["outage_intervals"], 0);
}

#[test]
fn zero_afternoon_fixture_is_one_outage_in_the_table() {
    let json = inspect_json(&["tests/fixtures/good/outage_afternoon.csv"]);
    let outages = json["regions"][0]["outages"].as_array().unwrap();
    assert_eq!(outages.len(), 1);
    assert_eq!(outages[0]["start"], "2024-01-17T14:00:00");
    assert_eq!(outages[0]["end"], "2024-01-17T17:00:00");
    assert_eq!(outages[0]["expected_contacts"], 120.0);
    wfm()
        .args(["inspect", "tests/fixtures/good/outage_afternoon.csv"])
        .assert()
        .success()
        .stdout(contains("all: 1 outage(s)"))
        .stdout(contains(
            "  2024-01-17 14:00 – 17:00  expected 120 contacts",
        ));
}

#[test]
fn regions_of_an_event_log_end_together() {
    let json = inspect_json(&["tests/fixtures/good/events_uneven_ends.csv", "--events"]);
    assert_eq!(json["end"], "2016-08-01T00:00:00");
    for region in json["regions"].as_array().unwrap() {
        assert_eq!(
            region["last"], "2016-07-31T23:30:00",
            "{}",
            region["region"]
        );
    }
}

#[test]
fn five_minute_days_ending_at_2105_keep_their_last_half_hour() {
    let json = inspect_json(&[
        "tests/fixtures/good/five_minute_0700_2105.csv",
        "--interval",
        "30m",
    ]);
    assert_eq!(json["end"], "2024-02-04T21:30:00");
    assert_eq!(json["regions"][0]["last"], "2024-02-04T21:00:00");
}

#[test]
fn spring_forward_hour_of_an_event_log_is_reported_as_dst_not_an_outage() {
    let args = [
        "inspect",
        "tests/fixtures/good/events_dst_2016.csv",
        "--events",
        "--local-tz",
        "America/New_York",
    ];
    wfm()
        .args(args)
        .assert()
        .success()
        .stdout(contains("DST: 2 skipped intervals interpolated"))
        .stdout(contains("Outages").not());
    let json = inspect_json(&args[1..]);
    assert_eq!(json["regions"][0]["dst_skipped_intervals"], 2);
    assert_eq!(json["regions"][0]["outages"].as_array().unwrap().len(), 0);
}

#[test]
fn help_documents_the_outage_policy() {
    wfm()
        .args(["inspect", "--help"])
        .assert()
        .success()
        .stdout(contains("--outages"))
        .stdout(contains(
            "keep = treat runs of implausible zeros as real demand",
        ));
}
