//! `wfm plan` end to end: every output of a two-queue month, each queue staffed to its own
//! targets, the report's escaping, the refusal of a folder that holds files, and the exit code
//! when one queue fails while the others finish.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{records, wfm};
use predicates::str::contains;

const TWO_QUEUES: &str = "tests/fixtures/good/two_regions_12w.csv";

/// A config for the two-queue fixture: north answers 90 % in 15 s, south the [staffing]
/// default of 80 % in 20 s; both 25 % shrinkage; the twelve agents rostered.
fn two_queue_config(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("plan.toml");
    std::fs::write(
        &path,
        format!(
            r#"
[input]
history = "{TWO_QUEUES}"
aht_col = "aht_seconds"

[staffing]
shrinkage = 0.25

[queues.north]
service_level = 0.9
target_answer_seconds = 15

[roster]
agents = "tests/fixtures/roster/agents_twelve.csv"
"#
        ),
    )
    .unwrap();
    path
}

/// `wfm plan --config DIR/plan.toml --out DIR/out`, the config's text being `config`: the
/// command's assertion and its output folder.
fn plan_with(dir: &Path, config: &str) -> (assert_cmd::assert::Assert, std::path::PathBuf) {
    let path = dir.join("plan.toml");
    std::fs::write(&path, config).unwrap();
    let out = dir.join("out");
    let assert = wfm()
        .args(["plan", "--config"])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .assert();
    (assert, out)
}

fn column(path: &Path, name: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let k = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("{} has no column {name}", path.display()));
    reader
        .records()
        .map(|r| r.unwrap()[k].to_string())
        .collect()
}

fn header(path: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader.headers().unwrap().iter().map(String::from).collect()
}

#[test]
fn a_two_queue_month_writes_every_output_each_queue_to_its_own_targets() {
    let dir = tempfile::tempdir().unwrap();
    let config = two_queue_config(dir.path());
    let out = dir.path().join("plan");
    wfm()
        .args(["plan", "--config"])
        .arg(&config)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(contains("plan for 2024-02: 2 queue(s) planned, 0 failed"));
    for (file, columns) in [
        (
            "forecast.csv",
            "timestamp,region,forecast,lower,upper,aht_seconds",
        ),
        (
            "requirements.csv",
            "timestamp,region,contacts,aht_seconds,agents_raw,agents_required,service_level,asa_seconds,occupancy",
        ),
        (
            "shifts.csv",
            "region,date,start,end,paid_hours,agents,break_start,break_end",
        ),
        ("coverage.csv", "timestamp,region,required,scheduled,difference"),
        ("coverage-2x2.csv", "timestamp,region,required,scheduled,difference"),
    ] {
        assert_eq!(header(&out.join(file)).join(","), columns, "{file}");
    }
    // Forecasts are never negative, and the month is February 2024 (the history ends in
    // January).
    for value in column(&out.join("forecast.csv"), "forecast") {
        assert!(value.parse::<f64>().unwrap() >= 0.0, "{value}");
    }
    let stamps = column(&out.join("forecast.csv"), "timestamp");
    assert!(stamps.iter().all(|t| t.starts_with("2024-02")));
    // Coverage ≥ requirement in every interval (no shortfall is reported), and the coverage
    // file's requirement is the requirements file's.
    let required: Vec<String> = column(&out.join("requirements.csv"), "agents_required");
    let covered = column(&out.join("coverage.csv"), "required");
    assert_eq!(required, covered, "totals agree across files");
    for (need, on) in covered
        .iter()
        .zip(column(&out.join("coverage.csv"), "scheduled"))
    {
        assert!(on.parse::<u32>().unwrap() >= need.parse::<u32>().unwrap());
    }
    // Each queue's requirement meets its own target, and north's is the stricter one: its
    // service level in every interval with agents is at least 90 % (south's 80 %).
    let regions = column(&out.join("requirements.csv"), "region");
    let levels = column(&out.join("requirements.csv"), "service_level");
    let mut lowest: BTreeMap<String, f64> = BTreeMap::new();
    for (region, level) in regions.iter().zip(&levels) {
        if let Ok(level) = level.parse::<f64>() {
            let entry = lowest.entry(region.clone()).or_insert(1.0);
            *entry = entry.min(level);
        }
    }
    assert!(lowest["north"] >= 0.9 - 1e-9, "{lowest:?}");
    assert!(lowest["south"] >= 0.8 - 1e-9, "{lowest:?}");
    assert!(
        lowest["south"] < 0.9,
        "south keeps the default target: {lowest:?}"
    );
    // The roster names a queue on every shift; the written config runs again as it is.
    let roster = records(out.join("roster.csv"));
    assert!(!roster.is_empty());
    assert!(roster.iter().all(|r| &r[2] == "north" || &r[2] == "south"));
    let written = std::fs::read_to_string(out.join("plan.toml")).unwrap();
    assert!(written.contains("month = \"2024-02\""), "{written}");
    assert!(written.contains("[queues.north]"), "{written}");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.starts_with("<!DOCTYPE html>"));
    assert!(
        !report.contains("<script") && !report.contains("http://") && !report.contains("https://"),
        "self-contained, no script, nothing loaded from the network"
    );
    assert!(report.contains("Queue north") && report.contains("Queue south"));

    // The same input and config give byte-identical CSVs.
    let again = dir.path().join("again");
    wfm()
        .args(["plan", "--config"])
        .arg(out.join("plan.toml"))
        .arg("--out")
        .arg(&again)
        .assert()
        .success();
    for file in [
        "forecast.csv",
        "requirements.csv",
        "shifts.csv",
        "coverage.csv",
        "roster.csv",
    ] {
        assert_eq!(
            std::fs::read(out.join(file)).unwrap(),
            std::fs::read(again.join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn a_queue_named_like_markup_appears_in_the_report_only_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    wfm()
        .args(["plan", "tests/fixtures/good/script_region.csv", "--out"])
        .arg(&out)
        .assert()
        .success();
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!report.contains("<script"), "the name is never markup");
    assert!(report.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn a_folder_that_holds_files_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    let keep = dir.path().join("notes.txt");
    std::fs::write(&keep, "mine").unwrap();
    wfm()
        .args(["plan", TWO_QUEUES, "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("--out"))
        .stderr(contains("--force"));
    assert_eq!(std::fs::read_to_string(&keep).unwrap(), "mine");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing written"
    );
}

#[test]
fn an_unknown_key_or_queue_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let history = format!("[input]\nhistory = \"{TWO_QUEUES}\"\n");
    let (assert, _) = plan_with(
        dir.path(),
        &(history.clone() + "[staffing]\nshrinkge = 0.3\n"),
    );
    assert
        .code(2)
        .stderr(contains("shrinkge"))
        .stderr(contains("line 4"));
    let (assert, _) = plan_with(dir.path(), &(history + "[queues.east]\nshrinkage = 0.3\n"));
    assert
        .code(2)
        .stderr(contains("[queues.east]"))
        .stderr(contains("north, south"));
}

#[test]
fn a_queue_that_fails_is_reported_and_the_others_finish() {
    // South's history is its last week only: too short to backtest a month ahead, so its
    // forecast fails; north (twelve weeks) is planned, and the run exits 2.
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.csv");
    let text = std::fs::read_to_string(TWO_QUEUES).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, line)| *i == 0 || line.contains(",north,") || line >= &"2024-01-22")
        .map(|(_, line)| line)
        .collect();
    std::fs::write(&history, kept.join("\n") + "\n").unwrap();
    let out = dir.path().join("out");
    wfm()
        .arg("plan")
        .arg(&history)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stdout(contains("1 queue(s) planned, 1 failed"))
        .stderr(contains("error: south"))
        .stderr(contains("4 weeks"));
    let regions = column(&out.join("shifts.csv"), "region");
    assert!(!regions.is_empty() && regions.iter().all(|r| r == "north"));
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("What failed"));
}

#[test]
fn shards_merged_equal_one_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("plan.toml");
    std::fs::write(
        &config,
        format!("[input]\nhistory = \"{TWO_QUEUES}\"\naht_col = \"aht_seconds\"\n"),
    )
    .unwrap();
    let run = |extra: &[&str], out: &str| {
        wfm()
            .args(["plan", "--config"])
            .arg(&config)
            .args(extra)
            .arg("--out")
            .arg(dir.path().join(out))
            .assert()
            .success();
    };
    run(&[], "whole");
    let shards = ["1/3", "2/3", "3/3"];
    for (k, shard) in shards.iter().enumerate() {
        run(&["--shard", shard], &format!("shard{k}"));
    }
    // The shards' folders in another order than their numbers: the merge orders them.
    let mut merge = wfm();
    merge.args(["plan", "--merge"]);
    for k in [2, 0, 1] {
        merge.arg(dir.path().join(format!("shard{k}")));
    }
    merge
        .arg("--out")
        .arg(dir.path().join("merged"))
        .assert()
        .success()
        .stdout(contains("2 queue(s) planned, 0 failed"));
    for file in [
        "forecast.csv",
        "requirements.csv",
        "shifts.csv",
        "coverage.csv",
        "shifts-2x2.csv",
        "coverage-2x2.csv",
        "summary.json",
        "plan.toml",
        "report.html",
    ] {
        assert_eq!(
            std::fs::read(dir.path().join("whole").join(file)).unwrap(),
            std::fs::read(dir.path().join("merged").join(file)).unwrap(),
            "{file}"
        );
    }
    // A shard left out is named.
    wfm()
        .args(["plan", "--merge"])
        .arg(dir.path().join("shard0"))
        .arg(dir.path().join("shard1"))
        .arg("--out")
        .arg(dir.path().join("partial"))
        .assert()
        .code(2)
        .stderr(contains("shard 3/3 is missing"));
    // A damaged summary's shard count is an error, not an allocation of its size.
    let summary = dir.path().join("shard0/summary.json");
    let text = std::fs::read_to_string(&summary).unwrap();
    std::fs::write(&summary, text.replace("\"1/3\"", "\"1/4000000000\"")).unwrap();
    wfm()
        .args(["plan", "--merge"])
        .arg(dir.path().join("shard0"))
        .arg("--out")
        .arg(dir.path().join("damaged"))
        .assert()
        .code(2)
        .stderr(contains("shard 2/4000000000 is missing"));
}

#[test]
fn nobody_is_planned_outside_a_queues_opening_hours() {
    // The fixture's queues take calls 08:00–18:00 every day; south opens 10:00–16:00 on
    // weekdays only.
    let dir = tempfile::tempdir().unwrap();
    let (assert, out) = plan_with(
        dir.path(),
        &format!(
            "[input]\nhistory = \"{TWO_QUEUES}\"\naht_col = \"aht_seconds\"\n\
             [queues.south]\nopen_hours = [\"Mon-Fri 10:00-16:00\"]\n"
        ),
    );
    assert.success().stdout(contains(
        "contacts forecast outside its opening hours, not staffed",
    ));
    let rows = records(out.join("requirements.csv"));
    let (mut south_open, mut north_early) = (0, 0);
    for row in &rows {
        let (time, region, required) = (&row[0], &row[1], row[5].parse::<u32>().unwrap());
        let (hour, weekday) = hour_and_weekday(time);
        if region == "south" {
            let open = (10..16).contains(&hour) && weekday <= 5;
            assert!(
                open || required == 0,
                "{time}: {required} agents while closed"
            );
            south_open += usize::from(open && required > 0);
        } else if hour == 8 && required > 0 {
            north_early += 1;
        }
    }
    assert!(
        south_open > 0 && north_early > 0,
        "{south_open} {north_early}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert!(
        summary["queues"][1]["contacts_outside_hours"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert_eq!(
        summary["queues"][0]["contacts_outside_hours"].as_f64(),
        Some(0.0)
    );
}

#[test]
fn a_shrinkage_profile_schedules_more_agents_in_its_hours_only() {
    // North loses half its agents' time to meetings from 08:00 to 10:00 on weekdays; the
    // flat 30 % holds otherwise, and for south.
    let dir = tempfile::tempdir().unwrap();
    let (assert, out) = plan_with(
        dir.path(),
        &format!(
            "[input]\nhistory = \"{TWO_QUEUES}\"\naht_col = \"aht_seconds\"\n\
             [[queues.north.shrinkage_by_time]]\nhours = \"Mon-Fri 08:00-10:00\"\nshrinkage = 0.5\n"
        ),
    );
    assert.success();
    let mut raised = 0;
    for row in records(out.join("requirements.csv")) {
        let (time, region) = (&row[0], &row[1]);
        let (raw, required): (f64, u32) = (row[4].parse().unwrap(), row[5].parse().unwrap());
        let (hour, weekday) = hour_and_weekday(time);
        let shrinkage = if region == "north" && (8..10).contains(&hour) && weekday <= 5 {
            0.5
        } else {
            0.3
        };
        // Agents to schedule: on the phones / (1 − shrinkage), rounded up.
        let expected = ((raw / (1.0 - shrinkage)) - 1e-9).ceil().max(0.0) as u32;
        assert_eq!(required, expected, "{time} {region}: {raw} on the phones");
        raised += usize::from(shrinkage == 0.5 && raw > 0.0);
    }
    assert!(raised > 0);
}

/// The hour and the ISO weekday (1 = Monday) of a `YYYY-MM-DDTHH:MM:SS` timestamp.
fn hour_and_weekday(time: &str) -> (u32, u32) {
    let t = chrono::NaiveDateTime::parse_from_str(time, "%Y-%m-%dT%H:%M:%S").unwrap();
    (
        t.format("%H").to_string().parse().unwrap(),
        t.format("%u").to_string().parse().unwrap(),
    )
}

#[test]
fn a_roster_above_the_headcount_cap_is_written_and_reported_as_failed() {
    let dir = tempfile::tempdir().unwrap();
    let (assert, out) = plan_with(
        dir.path(),
        &format!(
            "[input]\nhistory = \"{TWO_QUEUES}\"\naht_col = \"aht_seconds\"\n\
             [roster]\nagents = \"tests/fixtures/roster/agents_twelve.csv\"\nmax_headcount = 10\n"
        ),
    );
    assert
        .code(2)
        .stdout(contains("2 queue(s) planned, 1 failed"))
        // The roster's headline is on the terminal, not only in report.html.
        .stdout(contains("roster headcount: "))
        .stdout(contains("roster rule violations: "))
        .stderr(contains("error: roster: the roster needs"))
        .stderr(contains("above [roster] max_headcount = 10"));
    assert!(
        !records(out.join("roster.csv")).is_empty(),
        "the roster is written"
    );
}

#[test]
fn a_bad_row_of_the_agents_file_stops_the_plan_before_any_work() {
    // The roster's files are read first, as `wfm roster` reads them: a negative contract is
    // named by file, row and column, and no output is written (the forecast and the shifts
    // were written before the roster failed).
    let dir = tempfile::tempdir().unwrap();
    let agents = dir.path().join("agents.csv");
    std::fs::write(
        &agents,
        "agent_id,name,contract_hours_per_week\na1,A,40\na2,B,-40\n",
    )
    .unwrap();
    let (assert, out) = plan_with(
        dir.path(),
        &format!(
            "[input]\nhistory = \"{TWO_QUEUES}\"\naht_col = \"aht_seconds\"\n\
             [roster]\nagents = \"{}\"\n",
            agents.display()
        ),
    );
    assert.code(2).stderr(contains(
        "agents.csv row 3, column \"contract_hours_per_week\"",
    ));
    assert!(!out.join("forecast.csv").exists() && !out.join("report.html").exists());
}

#[test]
fn a_config_run_from_another_folder_says_where_its_paths_are_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plan.toml"),
        "[input]\nhistory = \"data/no_such_history.csv\"\n",
    )
    .unwrap();
    wfm()
        .args(["plan", "--config"])
        .arg(dir.path().join("plan.toml"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(contains(
            "input.history = \"data/no_such_history.csv\": no such file in",
        ))
        .stderr(contains("relative to the folder wfm runs in"));
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn a_bad_value_is_named_by_its_key_in_the_config_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let history = format!("[input]\nhistory = \"{TWO_QUEUES}\"\n");
    for (extra, says) in [
        ("[forecast]\nband = 200\n", "forecast.band = 200"),
        (
            "[forecast]\nmonth = \"2016-13\"\n",
            "forecast.month = 2016-13: a calendar month",
        ),
        (
            "[staffing]\nshrinkage = 1.5\n",
            "[staffing]: targets.shrinkage = 1.5",
        ),
        (
            "[schedule]\nbaseline_day_start = \"25:00\"\n",
            "schedule.baseline_day_start = 25:00",
        ),
        (
            "[schedule]\ntime_limit_seconds = -1\n",
            "schedule.time_limit_seconds = -1",
        ),
    ] {
        let (assert, out) = plan_with(dir.path(), &(history.clone() + extra));
        assert.code(2).stderr(contains(says));
        assert!(!out.exists(), "{extra}: nothing written");
    }
    // The interval is the history's own table's key.
    let (assert, _) = plan_with(
        dir.path(),
        &format!("[input]\nhistory = \"{TWO_QUEUES}\"\ninterval = \"7m\"\n"),
    );
    assert.code(2).stderr(contains("input.interval = 7m"));
}

#[test]
fn a_forced_run_without_agents_leaves_no_earlier_roster_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("roster.csv"), "an earlier month's roster").unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    wfm()
        .args(["plan", TWO_QUEUES, "--force", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(!out.join("roster.csv").exists(), "not this plan's roster");
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(out.join("report.html").exists());
}
