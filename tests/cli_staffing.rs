//! `wfm erlang` and `wfm staff` end to end.

mod common;

use common::wfm;

use predicates::str::contains;

#[test]
fn erlang_reference_case_as_json() {
    // DESIGN.md: 100 contacts / 30 min, AHT 180 s, 80 % in 20 s → 14 agents; 30 % shrinkage → 20.
    let output = wfm()
        .args([
            "erlang",
            "--contacts",
            "100",
            "--interval",
            "30m",
            "--aht",
            "180",
        ])
        .args([
            "--target-sl",
            "0.8",
            "--target-seconds",
            "20",
            "--shrinkage",
            "0.3",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["agents"], 14);
    assert_eq!(json["agents_required"], 20);
    assert!((json["waiting_probability"].as_f64().unwrap() - 0.1741).abs() < 5e-5);
    assert!((json["service_level"].as_f64().unwrap() - 0.8884).abs() < 5e-5);
    assert!((json["occupancy"].as_f64().unwrap() - 0.7143).abs() < 5e-5);
    assert!(json.get("abandon_rate").is_none());
}

#[test]
fn erlang_table_brackets_the_answer() {
    wfm()
        .args([
            "erlang",
            "--contacts",
            "100",
            "--aht",
            "180",
            "--agents",
            "13",
        ])
        .assert()
        .success()
        .stdout(contains("10.000 Erlangs (Erlang C)"))
        .stdout(contains("79.56 %"))
        .stdout(contains("◀ asked"))
        .stdout(contains("│     11 ┆"));
}

#[test]
fn erlang_a_reports_abandonment() {
    let output = wfm()
        .args([
            "erlang",
            "--contacts",
            "100",
            "--aht",
            "180",
            "--patience",
            "120",
            "--json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["agents"].as_u64().unwrap() < 14);
    assert!(json["abandon_rate"].as_f64().unwrap() > 0.0);
}

#[test]
fn erlang_rejects_impossible_targets() {
    wfm()
        .args([
            "erlang",
            "--contacts",
            "100",
            "--aht",
            "180",
            "--target-sl",
            "1.2",
        ])
        .assert()
        .code(2)
        .stderr(contains(
            "--target-sl 1.2: expected a share strictly between 0 and 1",
        ));
    wfm()
        .args(["erlang", "--contacts", "100", "--aht", "0"])
        .assert()
        .code(2)
        .stderr(contains("--aht 0"));
}

#[test]
fn staff_writes_requirements_with_zero_agents_when_closed() {
    let dir = tempfile::tempdir().unwrap();
    let forecast = dir.path().join("forecast.csv");
    std::fs::write(
        &forecast,
        "timestamp,region,forecast,lower,upper,aht_seconds\n\
         2024-01-01T07:30:00,north,0,0,0,\n\
         2024-01-01T08:00:00,north,100,90,110,180\n\
         2024-01-01T08:30:00,north,0.2,0,1.5,\n",
    )
    .unwrap();
    let out = dir.path().join("requirements.csv");
    wfm()
        .arg("staff")
        .arg(&forecast)
        .args([
            "--aht",
            "200",
            "--shrinkage",
            "0.3",
            "--min-agents",
            "2",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(contains("north"));
    let text = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0].join(","),
        "timestamp,region,contacts,aht_seconds,agents_raw,agents_required,service_level,asa_seconds,occupancy"
    );
    // Closed: nothing forecast, no band → 0 agents, --min-agents does not apply.
    assert_eq!((rows[1][4], rows[1][5]), ("0", "0"));
    // The reference interval: AHT from the file (180 s) → 14 raw, 20 scheduled.
    assert_eq!((rows[2][3], rows[2][4], rows[2][5]), ("180.0", "14", "20"));
    // Open but quiet: --min-agents 2; AHT from --aht where the file has none.
    assert_eq!((rows[3][3], rows[3][5]), ("200.0", "2"));
}

#[test]
fn staff_needs_an_aht_from_somewhere() {
    let dir = tempfile::tempdir().unwrap();
    let forecast = dir.path().join("f.csv");
    std::fs::write(
        &forecast,
        "timestamp,region,forecast\n2024-01-01T08:00:00,north,10\n",
    )
    .unwrap();
    wfm()
        .arg("staff")
        .arg(&forecast)
        .args(["-o"])
        .arg(dir.path().join("r.csv"))
        .assert()
        .code(2)
        .stderr(contains("row 2, column \"aht_seconds\""))
        .stderr(contains("--aht"));
}

#[test]
fn doubling_volume_needs_less_than_double_the_agent_hours() {
    let dir = tempfile::tempdir().unwrap();
    let forecast = dir.path().join("forecast.csv");
    let mut text = String::from("timestamp,region,forecast\n");
    for h in 0..24 {
        text.push_str(&format!(
            "2024-01-01T{h:02}:00:00,north,{}\n",
            20 + 10 * (h % 12)
        ));
    }
    std::fs::write(&forecast, text).unwrap();
    let output = wfm()
        .arg("staff")
        .arg(&forecast)
        .args(["--aht", "240", "--volume-scale", "2", "-o"])
        .arg(dir.path().join("r.csv"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let factor: f64 = stdout
        .rsplit('×')
        .next()
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    // Economies of scale: ×2 volume needs clearly less than ×2 agents (Erlang C pooling).
    assert!(factor > 1.5 && factor < 1.9, "{factor}");
}

#[test]
fn simulation_is_seeded_and_close_to_erlang() {
    let dir = tempfile::tempdir().unwrap();
    let forecast = dir.path().join("forecast.csv");
    let mut text = String::from("timestamp,region,forecast\n");
    for day in 1..=28 {
        for h in 8..20 {
            text.push_str(&format!("2024-02-{day:02}T{h:02}:00:00,north,120\n"));
        }
    }
    std::fs::write(&forecast, text).unwrap();
    let run = |name: &str| {
        let sim = dir.path().join(name);
        wfm()
            .arg("staff")
            .arg(&forecast)
            .args(["--aht", "180", "--seed", "7", "-o"])
            .arg(dir.path().join("r.csv"))
            .arg("--simulate")
            .arg(&sim)
            .assert()
            .success()
            .stdout(contains("simulated SL"));
        std::fs::read_to_string(sim).unwrap()
    };
    let first = run("a.csv");
    assert_eq!(first, run("b.csv"), "same seed, same simulation");
    let rows: Vec<Vec<String>> = first
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 28 * 12);
    let offered: f64 = rows.iter().map(|r| r[3].parse::<f64>().unwrap()).sum();
    let within: f64 = rows
        .iter()
        .map(|r| r[6].parse::<f64>().unwrap() * r[3].parse::<f64>().unwrap())
        .sum();
    let erlang: f64 = rows[0][9].parse().unwrap();
    // 40,320 expected contacts; simulated service level within 0.02 of Erlang C's.
    assert!((offered - 40_320.0).abs() < 1_000.0, "{offered}");
    assert!(
        (within / offered - erlang).abs() < 0.02,
        "{} vs {erlang}",
        within / offered
    );
}

/// Regression (issue 14): values that made `wfm erlang` run for minutes, or wrap an integer,
/// are refused at the edge with the flag and the documented limit.
#[test]
fn erlang_refuses_values_beyond_the_documented_limits() {
    for (args, expected) in [
        (
            &["--contacts", "1e7", "--patience", "60"][..],
            "--contacts 10000000: expected contacts whose load",
        ),
        (
            &["--contacts", "100", "--concurrency", "4294967295"],
            "--concurrency 4294967295: expected 1 to 100",
        ),
        (
            &["--contacts", "100", "--patience", "1e-300"],
            "--patience 1e-300: expected seconds from 1 to 86,400",
        ),
        (
            &["--contacts", "100", "--agents", "4294967295"],
            "--agents 4294967295: expected at most 1,000,000",
        ),
        (
            &["--contacts", "1e300"],
            "--contacts 1e300: expected contacts whose load",
        ),
    ] {
        let started = std::time::Instant::now();
        wfm()
            .args(["erlang", "--interval", "30m", "--aht", "180"])
            .args(args)
            .assert()
            .code(2)
            .stderr(contains(expected));
        assert!(
            started.elapsed().as_secs() < 5,
            "{args:?} took {:?}",
            started.elapsed()
        );
    }
    wfm()
        .args([
            "erlang",
            "--interval",
            "30m",
            "--contacts",
            "100",
            "--aht",
            "1e9",
        ])
        .assert()
        .code(2)
        .stderr(contains(
            "--aht 1000000000: expected seconds > 0, at most 86,400",
        ));
    // Ten thousand Erlangs with abandonment are staffed at once (a binary search, not a walk).
    let started = std::time::Instant::now();
    wfm()
        .args([
            "erlang",
            "--interval",
            "30m",
            "--aht",
            "180",
            "--contacts",
            "1e5",
            "--patience",
            "60",
        ])
        .assert()
        .success();
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}
