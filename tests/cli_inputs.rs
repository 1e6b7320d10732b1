//! Inputs as ACD and spreadsheet exports write them (issue 20): Excel dates, decimal commas,
//! gzip, spaced headers and units in flag values give the same figures as the clean file.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::{wfm, ROOT};
use serde_json::Value;

const CLEAN: &str = "tests/fixtures/good/two_regions_12w.csv";

fn run_ok(args: &[&str]) -> Vec<u8> {
    let output = wfm().args(args).output().expect("runs");
    assert!(
        output.status.success(),
        "wfm {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// `inspect --json` without the file name, which differs between the runs compared.
fn profile(file: &str, flags: &[&str]) -> Value {
    let mut args = vec!["inspect", file, "--json"];
    args.extend_from_slice(flags);
    let mut json: Value = serde_json::from_slice(&run_ok(&args)).expect("JSON");
    json.as_object_mut().unwrap().remove("file");
    json
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The clean history rewritten as a spreadsheet writes it: `;`-separated, decimal commas, and
/// `date(y, m, d, h, min)` for the timestamp.
fn spreadsheet_copy(date: impl Fn(&str, &str, &str, u32, &str) -> String) -> String {
    let clean = std::fs::read_to_string(Path::new(ROOT).join(CLEAN)).unwrap();
    let mut lines = clean.lines();
    let mut out = lines.next().unwrap().replace(',', ";") + "\n";
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        let (day, time) = fields[0].split_once('T').unwrap();
        let [y, m, d]: [&str; 3] = day.split('-').collect::<Vec<_>>().try_into().unwrap();
        let hour: u32 = time[..2].parse().unwrap();
        let stamp = date(y, m, d, hour, &time[3..5]);
        let rest: Vec<String> = fields[1..].iter().map(|f| f.replace('.', ",")).collect();
        out.push_str(&format!("{stamp};{}\n", rest.join(";")));
    }
    out
}

#[test]
fn an_excel_export_with_decimal_commas_and_gzip_forecasts_like_the_clean_file() {
    let dir = tempfile::tempdir().unwrap();
    // Day-first without leading zeros, as Excel writes `1/1/1999 0:00`.
    let text = spreadsheet_copy(|y, m, d, hour, minute| {
        let (m, d) = (m.trim_start_matches('0'), d.trim_start_matches('0'));
        format!("{d}/{m}/{y} {hour}:{minute}")
    });
    assert!(text.contains(";8,5;"), "the copy has decimal commas");
    assert!(text.contains("\n6/11/2023 8:00;"), "and Excel's dates");
    let export = write(dir.path(), "export.csv.gz", &gzip(text.as_bytes()));
    let export = export.to_str().unwrap();
    let flags = [
        "--delimiter",
        ";",
        "--decimal-comma",
        "--time-format",
        "excel",
    ];
    assert_eq!(profile(export, &flags), profile(CLEAN, &[]));

    let clean_out = dir.path().join("clean.csv");
    let export_out = dir.path().join("export-forecast.csv");
    run_ok(&[
        "forecast",
        CLEAN,
        "--horizon",
        "7d",
        "--band",
        "80",
        "-o",
        clean_out.to_str().unwrap(),
    ]);
    let mut args = vec![
        "forecast",
        export,
        "--horizon",
        "7d",
        "--band",
        "80%",
        "-o",
        export_out.to_str().unwrap(),
    ];
    args.extend_from_slice(&flags);
    run_ok(&args);
    let forecast = std::fs::read_to_string(&clean_out).unwrap();
    assert!(forecast.lines().count() > 600, "a week of two regions");
    assert_eq!(std::fs::read_to_string(&export_out).unwrap(), forecast);
}

#[test]
fn month_first_dates_with_am_pm_and_a_strftime_format_read_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let us = spreadsheet_copy(|y, m, d, hour, minute| {
        let twelve = if hour % 12 == 0 { 12 } else { hour % 12 };
        let meridiem = if hour < 12 { "AM" } else { "PM" };
        format!("{m}/{d}/{y} {twelve}:{minute} {meridiem}")
    });
    let us = write(dir.path(), "us.csv", us.as_bytes());
    let flags = ["--delimiter", ";", "--decimal-comma"];
    let expected = profile(CLEAN, &[]);
    for format in ["excel-mdy", "excel"] {
        let mut with = flags.to_vec();
        with.extend(["--time-format", format]);
        assert_eq!(profile(us.to_str().unwrap(), &with), expected, "{format}");
    }
    let german =
        spreadsheet_copy(|y, m, d, hour, minute| format!("{d}.{m}.{y} {hour:02}:{minute}"));
    let german = write(dir.path(), "de.csv", german.as_bytes());
    let mut with = flags.to_vec();
    with.extend(["--time-format", "%d.%m.%Y %H:%M"]);
    assert_eq!(profile(german.to_str().unwrap(), &with), expected);
}

#[test]
fn gzip_is_read_by_content_for_every_kind_of_input() {
    let dir = tempfile::tempdir().unwrap();
    let read = |p: &str| std::fs::read(Path::new(ROOT).join(p)).unwrap();
    // A history under a name without .gz: recognised by its magic bytes.
    let history = write(dir.path(), "history.csv", &gzip(&read(CLEAN)));
    assert_eq!(profile(history.to_str().unwrap(), &[]), profile(CLEAN, &[]));

    // Holidays, forecast and requirements files, each compressed.
    let holidays = write(
        dir.path(),
        "holidays.csv.gz",
        &gzip(b"date,name,treat_as\n2024-01-31,Closed day,closed\n"),
    );
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let forecast_with = |holidays: &str, output: &str| {
        run_ok(&[
            "forecast",
            CLEAN,
            "--horizon",
            "7d",
            "--holidays",
            holidays,
            "-o",
            output,
        ])
    };
    forecast_with(holidays.to_str().unwrap(), &out("f-gz.csv"));
    let plain_holidays = write(
        dir.path(),
        "holidays.csv",
        b"date,name,treat_as\n2024-01-31,Closed day,closed\n",
    );
    forecast_with(plain_holidays.to_str().unwrap(), &out("f.csv"));
    let forecast = std::fs::read(out("f.csv")).unwrap();
    assert_eq!(std::fs::read(out("f-gz.csv")).unwrap(), forecast);
    let closed_day = String::from_utf8(forecast.clone()).unwrap();
    assert!(
        closed_day.contains("2024-01-31T11:00:00,north,0.000,0.000,0.000"),
        "the holiday is read and closed"
    );

    let forecast_gz = write(dir.path(), "forecast.csv.gz", &gzip(&forecast));
    for (input, output) in [
        (out("f.csv"), "r.csv"),
        (out("forecast.csv.gz"), "r-gz.csv"),
    ] {
        run_ok(&["staff", &input, "--aht", "180", "-o", &out(output)]);
    }
    let requirements = std::fs::read(out("r.csv")).unwrap();
    assert_eq!(std::fs::read(out("r-gz.csv")).unwrap(), requirements);
    assert!(forecast_gz.exists());

    let requirements_gz = write(dir.path(), "requirements.csv.gz", &gzip(&requirements));
    for (input, output) in [
        (out("r.csv"), "s.csv"),
        (requirements_gz.to_str().unwrap().to_string(), "s-gz.csv"),
    ] {
        run_ok(&["schedule", &input, "--time-limit", "5", "-o", &out(output)]);
    }
    assert_eq!(
        std::fs::read(out("s-gz.csv")).unwrap(),
        std::fs::read(out("s.csv")).unwrap()
    );
}

#[test]
fn excel_unicode_text_utf16_with_tabs_reads_like_the_clean_file() {
    let dir = tempfile::tempdir().unwrap();
    let clean = std::fs::read_to_string(Path::new(ROOT).join(CLEAN)).unwrap();
    // Excel's "Unicode text": UTF-16 little-endian with its byte-order mark, tab-separated, CRLF.
    let text = clean.replace(',', "\t").replace('\n', "\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let export = write(dir.path(), "export.txt", &bytes);
    assert_eq!(
        profile(export.to_str().unwrap(), &["--delimiter", "tab"]),
        profile(CLEAN, &[])
    );
}

#[test]
fn handle_times_written_h_mm_ss_read_as_their_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let clean = std::fs::read_to_string(Path::new(ROOT).join(CLEAN)).unwrap();
    let mut lines = clean.lines();
    let mut text = lines.next().unwrap().to_string() + "\n";
    for line in lines {
        let (rest, aht) = line.rsplit_once(',').unwrap();
        let seconds: u32 = aht.parse().expect("whole seconds in the fixture");
        let clock = format!(
            "{}:{:02}:{:02}",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        );
        text.push_str(&format!("{rest},{clock}\n"));
    }
    assert!(text.contains(",north,8.5,0:04:40\n"), "280 s as 0:04:40");
    let acd = write(dir.path(), "acd.csv", text.as_bytes());
    assert_eq!(profile(acd.to_str().unwrap(), &[]), profile(CLEAN, &[]));
    // With --decimal-comma too (the AHT column then goes through its own reader).
    let semicolons = write(
        dir.path(),
        "acd-semicolons.csv",
        text.replace(',', ";").replace('.', ",").as_bytes(),
    );
    assert_eq!(
        profile(
            semicolons.to_str().unwrap(),
            &["--delimiter", ";", "--decimal-comma"]
        ),
        profile(CLEAN, &[])
    );
}

#[test]
fn header_names_are_matched_without_the_spaces_around_them() {
    let dir = tempfile::tempdir().unwrap();
    let clean = std::fs::read_to_string(Path::new(ROOT).join(CLEAN)).unwrap();
    let spaced = clean.replacen(
        "timestamp,region,contacts,aht_seconds",
        " timestamp , region,contacts ,\"aht_seconds \"",
        1,
    );
    let spaced = write(dir.path(), "spaced.csv", spaced.as_bytes());
    assert_eq!(profile(spaced.to_str().unwrap(), &[]), profile(CLEAN, &[]));
}

#[test]
fn units_in_flag_values_give_the_same_staffing() {
    let erlang = |extra: &[&str]| -> Value {
        let mut args = vec!["erlang", "--contacts", "100", "--json"];
        args.extend_from_slice(extra);
        serde_json::from_slice(&run_ok(&args)).expect("JSON")
    };
    let plain = erlang(&[
        "--aht",
        "180",
        "--shrinkage",
        "0.3",
        "--target-sl",
        "0.8",
        "--target-seconds",
        "20",
        "--max-occupancy",
        "0.85",
        "--patience",
        "120",
    ]);
    let with_units = erlang(&[
        "--aht",
        "3m",
        "--shrinkage",
        "30%",
        "--target-sl",
        "80%",
        "--target-seconds",
        "20s",
        "--max-occupancy",
        "85%",
        "--patience",
        "2m",
    ]);
    assert_eq!(with_units, plain);
    assert!(
        plain["agents_required"].as_u64().unwrap() > 10,
        "{plain}: staffed for 100 calls"
    );
}

#[test]
fn a_history_that_also_carries_a_forecast_is_read_by_its_contacts() {
    let dir = tempfile::tempdir().unwrap();
    // An ACD report: offered contacts beside the forecast it was planned with.
    let report = write(
        dir.path(),
        "report.csv",
        b"timestamp,region,contacts,forecast,lower,upper\n\
          2024-01-01T08:00,north,3,4,3,5\n2024-01-01T08:30,north,4.5,4,3,5\n",
    );
    let json = profile(report.to_str().unwrap(), &[]);
    assert_eq!(json["regions"][0]["total_contacts"], 7.5, "{json}");
    // The same shape written by wfm forecast (no contacts) is refused: see corpus-inputs.tsv.
}

#[test]
fn excel_serial_dates_read_like_the_clean_file() {
    let dir = tempfile::tempdir().unwrap();
    // Days since 1899-12-30 with the time as a fraction, as Excel stores a date-time: the
    // clean file's first day, 2023-11-06, is day 45,236.
    let serial = spreadsheet_copy(|y, m, d, hour, minute| {
        let date = chrono::NaiveDate::from_ymd_opt(
            y.parse().unwrap(),
            m.parse().unwrap(),
            d.parse().unwrap(),
        )
        .unwrap();
        let day = (date - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days();
        let minutes = hour * 60 + minute.parse::<u32>().unwrap();
        format!("{:.10}", day as f64 + f64::from(minutes) / 1_440.0)
    });
    assert!(
        serial.contains("\n45236.3333333333;"),
        "08:00 on day 45,236"
    );
    let path = write(dir.path(), "serial.csv", serial.as_bytes());
    let flags = [
        "--delimiter",
        ";",
        "--decimal-comma",
        "--time-format",
        "excel-serial",
    ];
    assert_eq!(profile(path.to_str().unwrap(), &flags), profile(CLEAN, &[]));
}
