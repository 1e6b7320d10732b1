//! Where outputs go (issue 20): `-` is stdout for every output flag and `--json` means the
//! same on every command; a symbolic link is written through to its target and kept; a special
//! file (a FIFO, a device) is written in place, never renamed over; an output that is an input
//! of the same run is refused; "wrote FILE" is said only once the whole output set is written.

mod common;

use common::wfm;
use predicates::prelude::*;
use predicates::str::contains;

const HISTORY: &str = "tests/fixtures/good/two_regions_12w.csv";

fn forecast_to(output: &str) -> assert_cmd::Command {
    let mut cmd = wfm();
    cmd.args(["forecast", HISTORY, "--horizon", "7d", "-o", output]);
    cmd
}

#[test]
fn a_dash_sends_the_forecast_to_stdout_and_the_tables_to_stderr() {
    let out = forecast_to("-").assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stdout.starts_with("timestamp,region,forecast,lower,upper"),
        "{stdout}"
    );
    // 7 days × 2 regions of half hours, and the header: nothing else on stdout.
    assert!(stdout.lines().count() > 2 * 7 * 20, "{stdout}");
    assert!(stdout.lines().skip(1).all(|l| l.matches(',').count() >= 4));
    assert!(stderr.contains("Forecast contacts per day"), "{stderr}");
    assert!(!stderr.contains("wrote"), "{stderr}");
    assert!(!std::path::Path::new(common::ROOT).join("-").exists());
}

#[test]
fn json_goes_to_a_file_or_to_stdout_alike_on_every_command() {
    let dir = tempfile::tempdir().unwrap();
    // --json alone and --json - print JSON only, on inspect, erlang, backtest and accuracy.
    let forecast = dir.path().join("forecast.csv");
    forecast_to(forecast.to_str().unwrap()).assert().success();
    let accuracy = [
        "accuracy",
        "--forecast",
        forecast.to_str().unwrap(),
        "--actuals",
        HISTORY,
        "--allow-missing",
    ];
    let erlang = [
        "erlang",
        "--contacts",
        "100",
        "--aht",
        "180",
        "--target-sl",
        "0.8",
        "--target-seconds",
        "20",
    ];
    let inspect = ["inspect", HISTORY];
    let backtest = [
        "backtest",
        HISTORY,
        "--models",
        "snaive",
        "--origins",
        "1",
        "--horizon",
        "7d",
    ];
    for (args, key) in [
        (&inspect[..], "\"regions\""),
        (&erlang[..], "\"agents_required\""),
        (&backtest[..], "\"summary\""),
        (&accuracy[..], "\"overall\""),
    ] {
        for json in [&["--json"][..], &["--json", "-"][..]] {
            let out = wfm().args(args).args(json).assert().success();
            let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
            let parsed: serde_json::Value = serde_json::from_str(&stdout)
                .unwrap_or_else(|e| panic!("{args:?} {json:?}: {e}: {stdout}"));
            assert!(parsed.is_object());
            assert!(stdout.contains(key), "{args:?}: {stdout}");
        }
        // --json FILE writes the file, and the table goes to stdout as without it.
        let file = dir.path().join(format!("{}.json", args[0]));
        let out = wfm()
            .args(args)
            .args(["--json", file.to_str().unwrap()])
            .assert()
            .success()
            .stderr(contains(format!("wrote {}", file.display())));
        let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(!stdout.trim_start().starts_with('{'), "{args:?}: {stdout}");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(key), "{args:?}: {text}");
    }
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_written_through_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.csv");
    std::fs::write(&target, "previous\n").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    forecast_to(link.to_str().unwrap()).assert().success();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("timestamp,region,forecast"), "{text}");
    // A dangling link creates its target.
    let dangling = dir.path().join("dangling.csv");
    std::os::unix::fs::symlink("new.csv", &dangling).unwrap();
    forecast_to(dangling.to_str().unwrap()).assert().success();
    assert!(std::fs::symlink_metadata(&dangling)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(dir.path().join("new.csv"))
        .unwrap()
        .starts_with("timestamp"));
}

#[cfg(unix)]
#[test]
fn a_fifo_is_written_in_place_never_renamed_over() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    forecast_to(fifo.to_str().unwrap()).assert().success();
    let text = reader.join().unwrap();
    assert!(text.starts_with("timestamp,region,forecast"), "{text}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary left"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn dev_stdout_is_stdout_and_stays_a_link() {
    let out = wfm()
        .args(["inspect", HISTORY, "--json", "/dev/stdout"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        serde_json::from_str::<serde_json::Value>(&stdout).is_ok(),
        "{stdout}"
    );
    assert!(std::fs::symlink_metadata("/dev/stdout")
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn an_output_that_is_an_input_of_the_run_is_refused_and_left_whole() {
    let dir = tempfile::tempdir().unwrap();
    let agents = dir.path().join("agents.csv");
    std::fs::copy("tests/fixtures/roster/agents_eight.csv", &agents).unwrap();
    let before = std::fs::read(&agents).unwrap();
    wfm()
        .args([
            "roster",
            "tests/fixtures/roster/shifts_two_weeks.csv",
            "--agents",
            agents.to_str().unwrap(),
            "-o",
            agents.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(contains("-o"))
        .stderr(contains("it is the --agents file of this run"));
    assert_eq!(std::fs::read(&agents).unwrap(), before);

    let history = dir.path().join("history.csv");
    std::fs::copy(HISTORY, &history).unwrap();
    let before = std::fs::read(&history).unwrap();
    wfm()
        .args(["forecast", history.to_str().unwrap(), "--horizon", "7d"])
        .args(["-o", history.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("it is the history file of this run"));
    assert_eq!(std::fs::read(&history).unwrap(), before);
}

#[test]
fn only_one_output_can_go_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let forecast = dir.path().join("forecast.csv");
    forecast_to(forecast.to_str().unwrap()).assert().success();
    wfm()
        .args(["staff", forecast.to_str().unwrap(), "--aht", "180"])
        .args(["-o", "-", "--simulate", "-"])
        .assert()
        .code(2)
        .stderr(contains("--simulate"))
        .stderr(contains("-o goes to stdout already"));
}

#[test]
fn a_plot_name_too_long_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let plot = dir.path().join(format!("{}.png", "p".repeat(250)));
    let out = dir.path().join("forecast.csv");
    forecast_to(out.to_str().unwrap())
        .args(["--plot", plot.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("--plot"))
        .stderr(contains("the file name is 254 bytes long"))
        .stderr(contains("Error").not());
    assert!(!out.exists());
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_named() {
    let Ok(full) = std::fs::File::options().write(true).open("/dev/full") else {
        return;
    };
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("wfm"))
        .current_dir(common::ROOT)
        .args(["inspect", HISTORY])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write to stdout"), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
}

/// Every output flag of every command against every kind of destination: a plain file, `-`,
/// `/dev/null`, a link to a file, a dangling link, a directory, a missing folder. Each run
/// exits 0 or 2 with an `error:` line, never a panic; a link stays a link; `/dev/null` stays
/// a device; a refused run writes nothing.
#[cfg(unix)]
#[test]
fn every_output_flag_takes_every_kind_of_destination() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let forecast = dir.path().join("forecast.csv");
    forecast_to(forecast.to_str().unwrap()).assert().success();
    let requirements = dir.path().join("requirements.csv");
    wfm()
        .args(["staff", forecast.to_str().unwrap(), "--aht", "180", "-o"])
        .arg(&requirements)
        .assert()
        .success();
    let f = forecast.to_str().unwrap().to_string();
    let r = requirements.to_str().unwrap().to_string();
    let commands: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "forecast".into(),
                HISTORY.into(),
                "--horizon".into(),
                "7d".into(),
            ],
            "-o",
        ),
        (
            vec!["staff".into(), f.clone(), "--aht".into(), "180".into()],
            "-o",
        ),
        (
            vec![
                "staff".into(),
                f.clone(),
                "--aht".into(),
                "180".into(),
                "-o".into(),
                "-".into(),
            ],
            "--simulate",
        ),
        (
            vec![
                "schedule".into(),
                r.clone(),
                "--baseline".into(),
                "none".into(),
                "--coverage".into(),
                "-".into(),
            ],
            "-o",
        ),
        (vec!["inspect".into(), HISTORY.into()], "--json"),
        (
            vec![
                "erlang".into(),
                "--contacts".into(),
                "50".into(),
                "--aht".into(),
                "180".into(),
            ],
            "--json",
        ),
        (
            vec![
                "accuracy".into(),
                "--forecast".into(),
                f.clone(),
                "--actuals".into(),
                HISTORY.into(),
                "--allow-missing".into(),
            ],
            "--json",
        ),
    ];
    for (k, kind) in [
        "file",
        "-",
        "/dev/null",
        "link",
        "dangling",
        "directory",
        "missing folder",
    ]
    .into_iter()
    .enumerate()
    {
        for (c, (args, flag)) in commands.iter().enumerate() {
            let case = dir.path().join(format!("case-{k}-{c}"));
            std::fs::create_dir_all(&case).unwrap();
            let out = match kind {
                "file" => case.join("out.csv"),
                "-" | "/dev/null" => kind.into(),
                "link" => {
                    std::fs::write(case.join("real.csv"), "old\n").unwrap();
                    std::os::unix::fs::symlink("real.csv", case.join("out.csv")).unwrap();
                    case.join("out.csv")
                }
                "dangling" => {
                    std::os::unix::fs::symlink("new.csv", case.join("out.csv")).unwrap();
                    case.join("out.csv")
                }
                "directory" => case.clone(),
                _ => case.join("no/such/out.csv"),
            };
            let run = wfm().args(args).arg(flag).arg(&out).output().unwrap();
            let stderr = String::from_utf8_lossy(&run.stderr);
            let code = run.status.code();
            assert!(
                matches!(code, Some(0) | Some(2)),
                "{args:?} {flag} {kind}: {code:?} {stderr}"
            );
            assert!(
                !stderr.contains("panicked"),
                "{args:?} {flag} {kind}: {stderr}"
            );
            // Refused: a directory, a missing folder, and a second output to stdout.
            let second_stdout = kind == "-" && args.iter().any(|a| a == "-");
            let expect_success = !matches!(kind, "directory" | "missing folder") && !second_stdout;
            assert_eq!(
                code == Some(0),
                expect_success,
                "{args:?} {flag} {kind}: {stderr}"
            );
            if code == Some(2) {
                assert!(stderr.starts_with("error: "), "{stderr}");
                assert!(stderr.contains(flag), "{args:?} {flag} {kind}: {stderr}");
            }
            match kind {
                "link" | "dangling" => {
                    let link = case.join("out.csv");
                    assert!(std::fs::symlink_metadata(&link)
                        .unwrap()
                        .file_type()
                        .is_symlink());
                    let target = if kind == "link" {
                        "real.csv"
                    } else {
                        "new.csv"
                    };
                    let text = std::fs::read_to_string(case.join(target)).unwrap();
                    assert_ne!(
                        text, "old\n",
                        "{args:?} {flag}: the link's target is written"
                    );
                }
                "/dev/null" => assert!(std::fs::metadata("/dev/null")
                    .unwrap()
                    .file_type()
                    .is_char_device()),
                _ => {}
            }
        }
    }
}

#[test]
fn completions_and_manual_pages_are_printed() {
    for shell in ["bash", "zsh", "fish"] {
        common::wfm()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicates::str::contains("plan"));
    }
    common::wfm()
        .arg("man")
        .assert()
        .success()
        .stdout(predicates::str::contains(".TH wfm 1"));
    common::wfm()
        .args(["man", "plan"])
        .assert()
        .success()
        .stdout(predicates::str::contains(".TH wfm-plan 1"))
        .stdout(predicates::str::contains("\\-\\-shard"));
    common::wfm()
        .args(["man", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("one of wfm's commands: inspect"));
}

#[test]
fn every_command_help_has_an_example() {
    for command in [
        "inspect",
        "forecast",
        "backtest",
        "accuracy",
        "erlang",
        "staff",
        "schedule",
        "roster",
        "plan",
        "completions",
    ] {
        common::wfm()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicates::str::contains("Examples:"))
            .stdout(predicates::str::contains(format!("wfm {command} ")));
    }
}

#[test]
fn forecast_staff_schedule_roster_and_plan_give_a_json_summary() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    let json_of = |output: &[u8]| -> serde_json::Value {
        serde_json::from_slice(output).expect("stdout is JSON alone")
    };
    let out = wfm()
        .args([
            "forecast",
            HISTORY,
            "--horizon",
            "7d",
            "-o",
            &path("f.csv"),
            "--json",
        ])
        .assert()
        .success();
    let forecast = json_of(&out.get_output().stdout);
    assert_eq!(forecast["regions"].as_array().unwrap().len(), 2);
    assert!(
        forecast["regions"][0]["contacts_forecast"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    let out = wfm()
        .args([
            "staff",
            &path("f.csv"),
            "--aht",
            "300",
            "-o",
            &path("r.csv"),
            "--json",
        ])
        .assert()
        .success();
    let staff = json_of(&out.get_output().stdout);
    assert!(staff[0]["peak_agents_required"].as_u64().unwrap() > 0);
    let out = wfm()
        .args(["schedule", &path("r.csv"), "-o", &path("s.csv"), "--json"])
        .assert()
        .success();
    let schedule = json_of(&out.get_output().stdout);
    assert_eq!(schedule[1]["queue"], "south");
    assert_eq!(schedule[0]["intervals_short"], 0);
    let out = wfm()
        .args([
            "roster",
            &path("r.csv"),
            "--agents",
            "tests/fixtures/roster/agents_twelve.csv",
        ])
        .args(["--allow-under", "-o", &path("roster.csv"), "--json"])
        .assert()
        .success();
    let roster = json_of(&out.get_output().stdout);
    assert_eq!(roster["agents_given"], 12);
    assert_eq!(roster["rule_violations"], 0);
    let out = wfm()
        .args(["plan", HISTORY, "--out", &path("plan"), "--json"])
        .assert()
        .success();
    let plan = json_of(&out.get_output().stdout);
    assert_eq!(plan["queues"].as_array().unwrap().len(), 2);
    assert_eq!(
        plan,
        serde_json::from_str::<serde_json::Value>(
            &std::fs::read_to_string(dir.path().join("plan/summary.json")).unwrap()
        )
        .unwrap()
    );
}
