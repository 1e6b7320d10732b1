//! Bad-input corpus: every file in `tests/fixtures/bad/` must make `wfm inspect`
//! fail cleanly: exit code 2, a one-line-first `error: ...` message on stderr
//! that names the file (and the row and column when there is one), and never a
//! panic or a backtrace hint.
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1 and the
//! first data row is row 2. See `tests/fixtures/bad/README.md` for the table of
//! fixtures and the errors they trigger.

mod common;

use assert_cmd::assert::Assert;
use predicates::prelude::*;
use predicates::str::contains;

const BAD_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad");
const GOOD_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/good");

/// A valid history, used with bad flags and with `bad_holidays.csv`.
const GOOD: &str = "two_regions.csv";

fn bad(name: &str) -> String {
    format!("{BAD_DIR}/{name}")
}

fn good(name: &str) -> String {
    format!("{GOOD_DIR}/{name}")
}

/// Run `wfm` with `args` and no backtrace variables in its environment (so a
/// panic would print the `RUST_BACKTRACE` hint that `fails` rejects).
fn wfm(args: &[&str]) -> Assert {
    common::wfm().args(args).assert()
}

/// Run `wfm` and check the common contract of every user-facing error.
fn fails(args: &[&str]) -> Assert {
    wfm(args)
        .code(2)
        .stderr(predicate::str::starts_with("error: "))
        .stderr(contains("panicked").not())
        .stderr(contains("RUST_BACKTRACE").not())
}

/// `wfm inspect tests/fixtures/bad/NAME EXTRA...` fails and names the file.
fn inspect_fails(name: &str, extra: &[&str]) -> Assert {
    let path = bad(name);
    let mut args = vec!["inspect", path.as_str()];
    args.extend_from_slice(extra);
    fails(&args).stderr(contains(name))
}

/// `row N` as a whole word, so `row 3` does not match `row 30`.
fn row(n: usize) -> impl Predicate<str> {
    predicate::str::is_match(format!(r"\brow {n}\b")).expect("valid regex")
}

/// `column "NAME"`, with exactly that quoting.
fn column(name: &str) -> impl Predicate<str> {
    contains(format!("column \"{name}\""))
}

/// `word` appears in stderr somewhere other than in the fixture's path or file
/// name (`duplicate_row.csv` already contains "duplicate", `empty.csv` "empty").
fn says_besides_file(word: &'static str, name: &'static str) -> impl Predicate<str> {
    let path = bad(name);
    predicate::function(move |stderr: &str| {
        stderr
            .replace(path.as_str(), "")
            .replace(name, "")
            .contains(word)
    })
}

// ---------------------------------------------------------------- header errors

#[test]
fn missing_column() {
    inspect_fails("missing_column.csv", &[])
        .stderr(contains("\"timestamp\""))
        // Lists the columns it did find.
        .stderr(contains("\"time\""));
}

#[test]
fn misnamed_volume() {
    inspect_fails("misnamed_volume.csv", &[])
        .stderr(contains("\"contacts\""))
        .stderr(contains("\"calls\""));
}

#[test]
fn semicolon_delimiter_suggests_flag() {
    inspect_fails("semicolon.csv", &[])
        .stderr(contains("--delimiter"))
        .stderr(contains(";"));
}

#[test]
fn time_col_not_found_lists_columns() {
    let path = good(GOOD);
    fails(&["inspect", &path, "--time-col", "nope"])
        .stderr(contains(GOOD))
        .stderr(contains("\"nope\""))
        .stderr(contains("\"timestamp\""));
}

// ------------------------------------------------------------------ cell errors

#[test]
fn bad_timestamp() {
    inspect_fails("bad_timestamp.csv", &[])
        .stderr(row(4))
        .stderr(column("timestamp"))
        .stderr(contains("2024-01-0X 08:30"));
}

#[test]
fn negative_count() {
    inspect_fails("negative_count.csv", &[])
        .stderr(row(5))
        .stderr(column("contacts"))
        .stderr(contains("-3"));
}

#[test]
fn non_numeric_count() {
    inspect_fails("non_numeric_count.csv", &[])
        .stderr(row(3))
        .stderr(column("contacts"))
        .stderr(contains("abc"));
}

#[test]
fn empty_value() {
    inspect_fails("empty_value.csv", &[])
        .stderr(row(3))
        .stderr(column("contacts"));
}

#[test]
fn bad_aht() {
    inspect_fails("bad_aht.csv", &[])
        .stderr(row(4))
        .stderr(column("aht_seconds"))
        .stderr(contains("fast"));
}

#[test]
fn latin1_is_not_utf8() {
    inspect_fails("latin1.csv", &[])
        .stderr(row(4))
        .stderr(contains("UTF-8"));
}

#[test]
fn ragged_row() {
    inspect_fails("ragged_row.csv", &[])
        .stderr(row(5))
        .stderr(contains("fields"));
}

// --------------------------------------------------------------- series errors

#[test]
fn duplicate_row() {
    inspect_fails("duplicate_row.csv", &[])
        .stderr(row(6))
        .stderr(row(3))
        .stderr(says_besides_file("duplicate", "duplicate_row.csv"));
}

#[test]
fn mixed_intervals() {
    inspect_fails("mixed_intervals.csv", &[])
        .stderr(row(11))
        .stderr(column("timestamp"))
        .stderr(says_besides_file("interval", "mixed_intervals.csv"));
}

#[test]
fn gap_is_an_error_by_default() {
    inspect_fails("gap.csv", &[])
        .stderr(contains("2024-01-08T09:00:00"))
        .stderr(contains("--missing"));
}

// ------------------------------------------------------------------ file errors

#[test]
fn empty_file() {
    inspect_fails("empty.csv", &[]).stderr(says_besides_file("empty", "empty.csv"));
}

#[test]
fn header_only() {
    inspect_fails("header_only.csv", &[]).stderr(contains("no data rows"));
}

#[test]
fn not_parquet() {
    inspect_fails("not_parquet.parquet", &[]).stderr(contains("Parquet"));
}

#[test]
fn nonexistent_file() {
    let dir = tempfile::tempdir().expect("create temp dir");
    let path = dir.path().join("no_such_history.csv");
    let path = path.to_str().expect("temp path is UTF-8");
    fails(&["inspect", path])
        .stderr(contains(path))
        .stderr(contains("cannot open"));
}

#[test]
fn bad_holidays() {
    let history = good(GOOD);
    let holidays = bad("bad_holidays.csv");
    fails(&["inspect", &history, "--holidays", &holidays])
        .stderr(contains("bad_holidays.csv"))
        .stderr(row(3))
        .stderr(column("date"))
        .stderr(contains("2024-13-01"));
}

// ------------------------------------------------------------------ flag errors

#[test]
fn bad_interval_value() {
    let path = good(GOOD);
    fails(&["inspect", &path, "--interval", "7m"])
        .stderr(contains("--interval"))
        .stderr(contains("7m"));
}

#[test]
fn bad_missing_policy_is_a_clap_error() {
    let path = good(GOOD);
    fails(&["inspect", &path, "--missing", "maybe"])
        .stderr(contains("--missing"))
        .stderr(contains("maybe"));
}

// ----------------------------------------------- the same files, with the fix

#[test]
fn good_history_is_accepted() {
    // Guards the tests above that pair a bad flag or holidays file with it.
    wfm(&["inspect", &good(GOOD)]).success();
}

#[test]
fn gap_filled_with_zero_succeeds() {
    wfm(&["inspect", &bad("gap.csv"), "--missing", "zero"]).code(0);
}

#[test]
fn semicolon_with_delimiter_flag_succeeds() {
    wfm(&["inspect", &bad("semicolon.csv"), "--delimiter", ";"]).code(0);
}

// ---------------------------------------------------------------- the table-driven corpus

/// Every case of `tests/fixtures/bad/corpus*.tsv`: exit 2, one `error:` message naming the file
/// (and what the table says: row, column, value, the limit), no panic, and nothing written.
#[test]
fn every_corpus_case_fails_cleanly() {
    // corpus.tsv and every further corpus-*.tsv (one per class of input: agents, outputs, …).
    let mut tables: Vec<_> = std::fs::read_dir(BAD_DIR)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("corpus") && name.ends_with(".tsv")
        })
        .collect();
    tables.sort();
    let table: String = tables
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap() + "\n")
        .collect();
    let mut cases = 0;
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [file, args, expected] = fields[..] else {
            panic!("corpus.tsv: expected 3 tab-separated fields in {line:?}");
        };
        let dir = tempfile::tempdir().unwrap();
        let path = format!("{BAD_DIR}/corpus/{file}");
        let out = dir.path().join("out.csv");
        let args: Vec<String> = args
            .split(' ')
            .map(|a| {
                a.replace("{file}", &path)
                    .replace("{good}", &good("two_regions_12w.csv"))
                    .replace("{out}", out.to_str().unwrap())
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // `flag|…`: the error is the flag's (clap names the flag and its value, not the file).
        let (is_flag, expected) = match expected.strip_prefix("flag|") {
            Some(rest) => (true, rest),
            None => (false, expected),
        };
        let mut assert = fails(&args);
        if !is_flag {
            assert = assert.stderr(contains(file));
        }
        for part in expected.split('|') {
            assert = assert.stderr(contains(part));
        }
        assert!(
            std::fs::read_dir(dir.path()).unwrap().next().is_none(),
            "{file}: an output was written"
        );
        cases += 1;
    }
    assert!(cases >= 70, "{cases} cases");
}

/// Regression (issue 14): flags that could only fail after outputs were replaced are checked
/// first; a bad flag leaves the previous output whole.
#[test]
fn outputs_and_flags_are_checked_before_anything_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("forecast.csv");
    std::fs::write(&out, "previous\n").unwrap();
    let out_text = out.to_str().unwrap();
    let history = good("two_regions_12w.csv");
    let missing_dir = dir.path().join("no/such/dir/f.csv");
    for (args, expected) in [
        (
            vec![
                "forecast",
                &history,
                "--horizon",
                "7d",
                "-o",
                out_text,
                "--plot",
                "x.txt",
            ],
            "--plot x.txt: expected a file ending in .png or .svg",
        ),
        (
            vec![
                "forecast",
                &history,
                "--horizon",
                "7d",
                "-o",
                missing_dir.to_str().unwrap(),
            ],
            "does not exist",
        ),
        (
            vec![
                "forecast",
                &history,
                "--horizon",
                "7d",
                "-o",
                out_text,
                "--train-until",
                "2030-01-01",
            ],
            "--train-until 2030-01-01: the history ends at",
        ),
        (
            vec![
                "staff",
                out_text,
                "--aht",
                "180",
                "-o",
                out_text,
                "--simulate",
                out_text,
            ],
            "it is the forecast file of this run",
        ),
        (
            vec![
                "accuracy",
                "--forecast",
                out_text,
                "--actuals",
                &history,
                "--metric",
                "mase",
                "--min-accuracy",
                "0.5",
            ],
            "MASE needs the history",
        ),
    ] {
        fails(&args).stderr(contains(expected));
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "previous\n",
            "{args:?}"
        );
    }
}

/// A missing input names the file and the reason once.
#[test]
fn a_missing_input_is_said_once() {
    fails(&["inspect", "/no/such/history.csv"])
        .stderr(contains("cannot open /no/such/history.csv: no such file\n"))
        .stderr(contains("os error").not());
}

/// Regression (issue 14): a plot that cannot be written (`/proc`) no longer fails after four
/// CSVs were replaced: it is refused first, and a command's outputs are replaced together.
#[test]
fn an_unwritable_plot_leaves_every_output_whole() {
    let dir = tempfile::tempdir().unwrap();
    let shifts = dir.path().join("shifts.csv");
    std::fs::write(&shifts, "previous\n").unwrap();
    fails(&[
        "schedule",
        "tests/fixtures/schedule/day_requirements.csv",
        "-o",
        shifts.to_str().unwrap(),
        "--plot",
        "/proc/x.png",
    ])
    .stderr(contains("--plot /proc/x.png: cannot write in /proc"));
    assert_eq!(std::fs::read_to_string(&shifts).unwrap(), "previous\n");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing else written"
    );
}

#[test]
fn a_file_of_the_wrong_kind_says_which_command_or_flag_takes_it() {
    // A forecast given where a history is read.
    fails(&["inspect", &good("one_hour_forecast.csv")])
        .stderr(contains("forecast file"))
        .stderr(contains("wfm staff"));
    // A requirements file, and a shift plan.
    fails(&[
        "forecast",
        "tests/fixtures/roster/requirements_two_weeks.csv",
        "--horizon",
        "7d",
    ])
    .stderr(contains("give it to wfm schedule or wfm roster"));
    fails(&["inspect", "tests/fixtures/roster/shifts_two_weeks.csv"])
        .stderr(contains("run `wfm roster` on it"));
    // An event log (one row per call, no counts) read as counts.
    fails(&["inspect", "data/montco_911_events.csv"]).stderr(contains("try --events"));
    // A month asked as a duration.
    wfm(&["forecast", &good(GOOD), "--horizon", "1m"])
        .code(2)
        .stderr(contains(
            "1m means 1 minute(s); for a calendar month use --month",
        ));
}
