//! Property tests of the command line against hostile input: arbitrary bytes, and well-formed
//! tables with extreme values. Whatever comes in, `wfm` exits 0 or 2 — never a panic (101), a
//! signal, or a hang past its time budget. CI runs a few cases; `WFM_FUZZ_CASES=2000 cargo test
//! --test fuzz_cli` runs many more.

mod common;

use std::time::Duration;

use common::wfm;
use proptest::prelude::*;

/// Cases per property: quick by default, more with `WFM_FUZZ_CASES`.
fn cases() -> u32 {
    std::env::var("WFM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12)
}

/// Wall time any one run may take before it counts as a hang.
const BUDGET: Duration = Duration::from_secs(20);

/// Runs `wfm ARGS` on `input` (written to a file) and checks the exit code is 0 or 2.
fn exits_cleanly(input: &[u8], name: &str, args: &[&str]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, input).unwrap();
    let out = dir.path().join("out.csv");
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            a.replace("{file}", path.to_str().unwrap())
                .replace("{out}", out.to_str().unwrap())
        })
        .collect();
    let output = wfm()
        .args(&args)
        .timeout(BUDGET)
        .output()
        .map_err(|e| TestCaseError::fail(format!("{args:?}: {e}")))?;
    let code = output.status.code();
    let stderr = String::from_utf8_lossy(&output.stderr);
    prop_assert!(
        matches!(code, Some(0) | Some(2)),
        "{args:?} exited {code:?} (a panic, a signal or a hang) on {:?}: {stderr}",
        String::from_utf8_lossy(input)
    );
    prop_assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    if code == Some(2) {
        prop_assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    }
    Ok(())
}

/// Commands that read a history, a forecast, a requirement or a template file.
const COMMANDS: [(&str, &[&str]); 5] = [
    ("h.csv", &["inspect", "{file}"]),
    (
        "h.csv",
        &["forecast", "{file}", "--horizon", "7d", "-o", "{out}"],
    ),
    ("f.csv", &["staff", "{file}", "--aht", "180", "-o", "{out}"]),
    (
        "r.csv",
        &["schedule", "{file}", "-o", "{out}", "--time-limit", "5"],
    ),
    (
        "t.toml",
        &[
            "schedule",
            "tests/fixtures/schedule/day_requirements.csv",
            "--shifts",
            "{file}",
            "-o",
            "{out}",
        ],
    ),
];

/// A cell that is sometimes sensible and often not.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..50).prop_map(|v| v.to_string()),
        prop::num::f64::ANY.prop_map(|v| v.to_string()),
        Just("".to_string()),
        Just("1e308".to_string()),
        Just("-0".to_string()),
        Just("=1+1".to_string()),
        "[a-zA-Z ,\"=+@-]{0,8}",
    ]
}

/// A timestamp that is sometimes on a grid, sometimes far away or malformed.
fn timestamp() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..200).prop_map(|i| format!(
            "2024-01-{:02}T{:02}:{:02}:00",
            1 + i / 48 % 28,
            i / 2 % 24,
            i % 2 * 30
        )),
        (1u32..10_000, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}T08:00:00")),
        Just("2024-03-10T02:30:00+01:00".to_string()),
        "[0-9:T-]{0,20}",
    ]
}

/// A CSV table with a header from the files wfm reads and rows of such cells.
fn table() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        Just("timestamp,region,contacts"),
        Just("timestamp,region,forecast,lower,upper,aht_seconds"),
        Just("timestamp,region,agents_required,contacts,aht_seconds"),
    ];
    (
        header,
        prop::collection::vec((timestamp(), cell(), cell(), cell()), 0..40),
    )
        .prop_map(|(header, rows)| {
            let columns = header.split(',').count();
            let mut text = format!("{header}\n");
            for (t, a, b, c) in rows {
                let cells = [t, a, b, c.clone(), c.clone(), c];
                text.push_str(&cells[..columns.min(6)].join(","));
                text.push('\n');
            }
            text
        })
}

/// The start of half hour `i` after Monday 2024-01-01 00:00.
fn half_hour(i: usize) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap();
    (start + chrono::Duration::minutes(30 * i as i64))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// A well-formed history on a 30-minute grid: 1–3 regions, up to ten weeks, counts from
/// sparse to huge, with runs of zeros — input that reaches the models, not just the parser.
fn history() -> impl Strategy<Value = String> {
    (
        1usize..4,
        1usize..(70 * 48),
        prop::collection::vec(
            prop_oneof![Just(0.0), 0.0f64..3.0, 0.0f64..1e4, Just(1e9)],
            1..64,
        ),
    )
        .prop_map(|(regions, intervals, pattern)| {
            let mut text = String::from("timestamp,region,contacts\n");
            for r in 0..regions {
                for i in 0..intervals {
                    let v = pattern[(i * (r + 1)) % pattern.len()];
                    text.push_str(&format!("{},r{r},{v}\n", half_hour(i)));
                }
            }
            text
        })
}

/// A well-formed requirement: consecutive half hours with agents from none to the limit.
fn requirement() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![0u32..5, 0u32..200, Just(1_000_000)], 1..300).prop_map(
        |agents| {
            let mut text = String::from("timestamp,region,agents_required\n");
            for (i, a) in agents.iter().enumerate() {
                text.push_str(&format!("{},north,{a}\n", half_hour(i)));
            }
            text
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_crash_a_command(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
        command in 0usize..COMMANDS.len(),
    ) {
        let (name, args) = COMMANDS[command];
        exits_cleanly(&bytes, name, args)?;
    }

    #[test]
    fn extreme_tables_never_crash_a_command(
        text in table(),
        command in 0usize..4,
    ) {
        let (name, args) = COMMANDS[command];
        exits_cleanly(text.as_bytes(), name, args)?;
    }

    #[test]
    fn well_formed_histories_forecast_or_say_why(text in history()) {
        exits_cleanly(text.as_bytes(), "h.csv", &["forecast", "{file}", "--horizon", "7d", "-o", "{out}"])?;
        exits_cleanly(text.as_bytes(), "h.csv", &["backtest", "{file}", "--horizon", "7d", "--origins", "1", "--models", "auto,savg:4"])?;
    }

    #[test]
    fn well_formed_requirements_schedule_or_say_why(text in requirement()) {
        exits_cleanly(text.as_bytes(), "r.csv", &["schedule", "{file}", "-o", "{out}", "--time-limit", "3"])?;
    }
}
