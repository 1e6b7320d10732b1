//! `wfm schedule` end to end: plan, coverage, the 2/2 baseline and bad input.

mod common;

use common::wfm;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

/// A week of 30-minute requirements: 2 agents at night, 6 by day, 10 over lunch.
fn week_requirements(dir: &std::path::Path) -> std::path::PathBuf {
    let mut text = String::from("timestamp,region,contacts,aht_seconds,agents_raw,agents_required,service_level,asa_seconds,occupancy\n");
    for day in 0..7 {
        for half in 0..48 {
            let required = match half {
                22..=27 => 10,
                16..=39 => 6,
                _ => 2,
            };
            let contacts = required as f64 * 6.0;
            text.push_str(&format!(
                "2024-01-{:02}T{:02}:{:02}:00,north,{contacts},180,{required},{required},0.8,10,0.7\n",
                day + 1,
                half / 2,
                (half % 2) * 30
            ));
        }
    }
    let path = dir.join("requirements.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// `wfm schedule REQUIREMENTS -o SHIFTS --coverage COVERAGE`.
fn schedule_into(
    requirements: &std::path::Path,
    shifts: &std::path::Path,
    coverage: &std::path::Path,
) -> assert_cmd::Command {
    let mut command = wfm();
    command
        .arg("schedule")
        .arg(requirements)
        .arg("-o")
        .arg(shifts)
        .arg("--coverage")
        .arg(coverage);
    command
}

#[test]
fn plan_covers_every_interval_and_beats_the_roster() {
    let dir = tempfile::tempdir().unwrap();
    let requirements = week_requirements(dir.path());
    let (shifts, coverage) = (
        dir.path().join("shifts.csv"),
        dir.path().join("coverage.csv"),
    );
    schedule_into(&requirements, &shifts, &coverage)
        .assert()
        .success()
        .stdout(contains("paid hours"))
        .stdout(contains("2/2 12-hour roster"))
        .stdout(contains("optimal"));
    let shift_rows = std::fs::read_to_string(&shifts).unwrap();
    assert!(
        shift_rows.starts_with("region,date,start,end,paid_hours,agents,break_start,break_end\n")
    );
    let coverage_rows = std::fs::read_to_string(&coverage).unwrap();
    let mut lines = coverage_rows.lines();
    assert_eq!(
        lines.next(),
        Some("timestamp,region,required,scheduled,difference")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 336);
    assert!(
        rows.iter().all(|r| r[4].parse::<i64>().unwrap() >= 0),
        "every interval covered"
    );
    let plan_hours: f64 = shift_rows
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            f[4].parse::<f64>().unwrap() * f[5].parse::<f64>().unwrap()
        })
        .sum();
    // Required agent-hours: per day 2·16 + 6·6 + 10·3 half-hours… = (2·24 + 4·12 + 4·3) h = 108 h.
    assert!(
        (7.0 * 108.0 - 1e-6..7.0 * 108.0 * 1.05).contains(&plan_hours),
        "{plan_hours}"
    );
    let roster = std::fs::read_to_string(dir.path().join("coverage-2x2.csv")).unwrap();
    assert!(roster
        .lines()
        .skip(1)
        .all(|l| !l.ends_with(",-1") && !l.contains(",-")));
    assert!(dir.path().join("shifts-2x2.csv").exists());
}

#[test]
fn coverage_goes_next_to_the_plan_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let requirements = week_requirements(dir.path());
    let out = dir.path().join("plans");
    std::fs::create_dir(&out).unwrap();
    let schedule_to = |plan: &str| {
        let mut command = wfm();
        command
            .current_dir(dir.path())
            .args(["schedule".as_ref(), requirements.as_os_str(), "-o".as_ref()])
            .arg(out.join(plan));
        command
    };
    schedule_to("shifts.csv").assert().success();
    for name in [
        "shifts.csv",
        "coverage.csv",
        "shifts-2x2.csv",
        "coverage-2x2.csv",
    ] {
        assert!(out.join(name).is_file(), "{name} not in {}", out.display());
    }
    assert!(!dir.path().join("coverage.csv").exists());
    // A plan called coverage.csv would be overwritten by the default coverage file: refused.
    schedule_to("coverage.csv")
        .assert()
        .code(2)
        .stderr(contains("--coverage"));
}

#[test]
fn bad_templates_and_flags_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let requirements = week_requirements(dir.path());
    let templates = dir.path().join("shifts.toml");
    std::fs::write(&templates, "lengths_hours = [8]\ncolour = \"blue\"\n").unwrap();
    wfm()
        .arg("schedule")
        .arg(&requirements)
        .arg("--shifts")
        .arg(&templates)
        .assert()
        .code(2)
        .stderr(contains("shifts.toml"))
        .stderr(contains("colour"));
    std::fs::write(&templates, "lengths_hours = [8.2]\n").unwrap();
    wfm()
        .arg("schedule")
        .arg(&requirements)
        .arg("--shifts")
        .arg(&templates)
        .assert()
        .code(2)
        .stderr(contains("8.2"));
    wfm()
        .arg("schedule")
        .arg(&requirements)
        .args(["--baseline", "3x3"])
        .assert()
        .code(2)
        .stderr(contains("invalid value '3x3' for '--baseline"))
        .stderr(contains("[possible values: 2x2, none]"));
}

#[test]
fn requirements_with_a_hole_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("req.csv");
    std::fs::write(
        &path,
        "timestamp,region,agents_required\n2024-01-01T08:00:00,north,3\n2024-01-01T08:30:00,north,3\n2024-01-01T09:30:00,north,3\n",
    )
    .unwrap();
    wfm()
        .arg("schedule")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("row 4, column \"timestamp\""))
        .stderr(contains("consecutive"));
}

/// A fixture under `tests/fixtures/schedule/`.
fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(common::ROOT)
        .join("tests/fixtures/schedule")
        .join(name)
}

/// `wfm schedule` of the one-day requirement with these templates, writing into `dir`.
fn schedule_day(templates: &str, dir: &std::path::Path) -> assert_cmd::Command {
    let mut command = wfm();
    command
        .arg("schedule")
        .arg(fixture("day_requirements.csv"))
        .arg("--shifts")
        .arg(fixture(templates))
        .arg("-o")
        .arg(dir.join("shifts.csv"))
        .args(["--baseline", "none"]);
    command
}

fn written(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_empty_start_window_is_refused_naming_the_window() {
    let dir = tempfile::tempdir().unwrap();
    schedule_day("empty_window.toml", dir.path())
        .assert()
        .code(2)
        .stderr(contains("empty_window.toml"))
        .stderr(contains(
            r#"start_windows[0] = ["07:00", "07:00"]: an empty window"#,
        ))
        .stderr(contains("its end exclusive"));
    assert!(written(dir.path()).is_empty());
}

#[test]
fn a_break_longer_than_the_shift_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    schedule_day("break_longer_than_shift.toml", dir.path())
        .assert()
        .code(2)
        .stderr(contains("break_longer_than_shift.toml"))
        .stderr(contains(
            "break.minutes = 420: the break is as long as or longer than the 6 h shift",
        ));
    assert!(written(dir.path()).is_empty());
}

#[test]
fn templates_that_cover_nothing_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for allow_under in [false, true] {
        let mut command = schedule_day("evening_starts.toml", dir.path());
        if allow_under {
            command.arg("--allow-under");
        }
        command.assert().code(2).stdout("").stderr(contains(
            "region \"north\": nothing to schedule: no shift the templates allow covers any \
                 of the 24 required interval(s); no shift can start early enough to cover \
                 2024-01-01 07:00–07:30: shifts start 20:00–21:00 (start_windows) and last at \
                 most 4 h (lengths_hours)",
        ));
        assert!(written(dir.path()).is_empty(), "{:?}", written(dir.path()));
    }
}

#[test]
fn a_plan_with_short_intervals_needs_allow_under() {
    let dir = tempfile::tempdir().unwrap();
    // A plan from an earlier run is neither replaced nor joined by a coverage file.
    let shifts = dir.path().join("shifts.csv");
    std::fs::write(&shifts, "earlier plan\n").unwrap();
    schedule_day("day_starts.toml", dir.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "region \"north\": the plan leaves 2 interval(s) short, first 2024-01-01 \
             07:00–07:30 by 3 agents, 2024-01-01 07:30–08:00 by 3 agents; no shift can start \
             early enough to cover 2024-01-01 07:00–07:30: shifts start 08:00–12:00 \
             (start_windows) and last at most 8 h (lengths_hours)",
        ))
        .stderr(contains("--allow-under"));
    assert_eq!(written(dir.path()), ["shifts.csv"]);
    assert_eq!(std::fs::read_to_string(&shifts).unwrap(), "earlier plan\n");

    schedule_day("day_starts.toml", dir.path())
        .arg("--allow-under")
        .assert()
        .success()
        .stdout(contains(
            "north: infeasible: 2 intervals short (first 2024-01-01 07:00 by 3 agents)\n",
        ))
        .stdout(contains("optimal with 2 intervals short"))
        .stdout(contains("-0.0").not());
    assert_eq!(written(dir.path()), ["coverage.csv", "shifts.csv"]);
    let coverage = std::fs::read_to_string(dir.path().join("coverage.csv")).unwrap();
    assert!(
        coverage.contains("2024-01-01T07:00:00,north,3,0,-3\n"),
        "{coverage}"
    );
    let plan = std::fs::read_to_string(&shifts).unwrap();
    assert!(plan.starts_with("region,date,start,end"), "{plan}");
    assert!(
        plan.contains("north,2024-01-01,08:00,16:00,8.00,"),
        "{plan}"
    );
}

#[test]
fn templates_that_cover_the_day_still_plan_it() {
    let dir = tempfile::tempdir().unwrap();
    schedule_day("early_and_late_starts.toml", dir.path())
        .assert()
        .success()
        .stdout(contains("│ paid hours               ┆           56.0 │"))
        .stdout(contains("│ under-staffed intervals  ┆              0 │"))
        .stdout(contains("│ solver                   ┆        optimal │"))
        .stdout(contains("infeasible").not());
    let coverage = std::fs::read_to_string(dir.path().join("coverage.csv")).unwrap();
    assert!(coverage
        .lines()
        .skip(1)
        .all(|l| !l.rsplit(',').next().unwrap().starts_with('-')));
}

/// Regression (issue 14): a requirement shorter than the shortest shift made the solver panic
/// (a shift wrapped onto itself listed one interval twice). It is refused, naming the rule.
#[test]
fn a_requirement_shorter_than_any_shift_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let requirements = dir.path().join("one.csv");
    std::fs::write(
        &requirements,
        "timestamp,region,agents_required\n2024-01-01T08:00:00,north,3\n",
    )
    .unwrap();
    let shifts = dir.path().join("shifts.csv");
    wfm()
        .arg("schedule")
        .arg(&requirements)
        .arg("-o")
        .arg(&shifts)
        .assert()
        .code(2)
        .stderr(contains("it spans 0.5 h and the shortest shift lasts 4 h"))
        .stderr(contains("panicked").not());
    assert!(!shifts.exists());
}

/// A week of requirements at `interval_minutes`: 2 agents at night, 6 from 08:00 to 20:00.
fn week_at(dir: &std::path::Path, interval_minutes: u32) -> std::path::PathBuf {
    let mut text = String::from("timestamp,region,contacts,aht_seconds,agents_raw,agents_required,service_level,asa_seconds,occupancy\n");
    let per_day = 1440 / interval_minutes;
    for day in 0..7 {
        for k in 0..per_day {
            let minute = k * interval_minutes;
            let required = if (480..1200).contains(&minute) { 6 } else { 2 };
            text.push_str(&format!(
                "2024-01-{:02}T{:02}:{:02}:00,north,{},180,{required},{required},0.8,10,0.7\n",
                day + 1,
                minute / 60,
                minute % 60,
                required * 6
            ));
        }
    }
    let path = dir.join(format!("requirements_{interval_minutes}m.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

/// The default templates follow the interval: hourly requirements plan shifts that start on
/// the hour (they used to be refused: "start_step_minutes = 30: expected … a multiple of the
/// 60-minute interval"), and 15-minute ones keep starts every 30 minutes.
#[test]
fn hourly_and_quarter_hour_requirements_plan_with_the_default_templates() {
    let dir = tempfile::tempdir().unwrap();
    for (interval, starts_on) in [(60, &[":00"][..]), (15, &[":00", ":30"][..])] {
        let requirements = week_at(dir.path(), interval);
        let shifts = dir.path().join(format!("shifts_{interval}.csv"));
        let coverage = dir.path().join(format!("coverage_{interval}.csv"));
        schedule_into(&requirements, &shifts, &coverage)
            .assert()
            .success()
            .stdout(contains("optimal"));
        let rows = common::records(&shifts);
        assert!(!rows.is_empty());
        for r in &rows {
            assert!(
                starts_on.iter().any(|m| r[2].ends_with(m)),
                "{interval}-minute intervals: a shift starts at {}",
                &r[2]
            );
        }
        let coverage = std::fs::read_to_string(&coverage).unwrap();
        assert_eq!(coverage.lines().count(), 1 + 7 * 1440 / interval as usize);
        for line in coverage.lines().skip(1) {
            let difference: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
            assert!(difference >= 0.0, "{line}");
        }
    }
}
