//! Ingest behaviour on small hand-written histories: interval detection, closed slots, gaps,
//! holidays, DST days, event logs, resampling and Parquet.

use std::path::PathBuf;

use chrono_tz::Tz;

use super::*;
use crate::time::format_minute;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn load(text: &str, options: &IngestOptions) -> Result<History> {
    let dir = tempfile::tempdir().unwrap();
    load_history(&write(&dir, "history.csv", text), options)
}

/// `days` days from Monday 2024-01-01 of `interval`-minute rows between `open` and `close`
/// hours, value = hour of day, skipping rows for which `skip(day, minute_of_day)` holds.
fn opening_hours_csv(
    days: i64,
    interval: i64,
    open: i64,
    close: i64,
    skip: impl Fn(i64, i64) -> bool,
) -> String {
    let mut csv = String::from("timestamp,contacts\n");
    let monday = crate::time::days_from_civil(2024, 1, 1) * 1_440;
    for day in 0..days {
        for minute in (open * 60..close * 60).step_by(interval as usize) {
            if !skip(day, minute) {
                csv.push_str(&format!(
                    "{},{}\n",
                    format_minute(monday + day * 1_440 + minute),
                    minute / 60
                ));
            }
        }
    }
    csv
}

#[test]
fn detects_interval_from_most_common_step() {
    let csv = opening_hours_csv(14, 30, 8, 18, |_, _| false);
    let history = load(&csv, &IngestOptions::default()).unwrap();
    assert_eq!(history.interval_minutes, 30);
    assert_eq!(history.regions[0].region, SINGLE_REGION);
    // A day of 6-minute data as in the Anonymous Bank file.
    let six = opening_hours_csv(1, 6, 0, 24, |_, _| false);
    assert_eq!(
        load(&six, &IngestOptions::default())
            .unwrap()
            .interval_minutes,
        6
    );
}

#[test]
fn closed_slots_are_zero_and_not_gaps() {
    // Open 08–18 every day: nights are missing in every week, so they are closed slots.
    let csv = opening_hours_csv(14, 30, 8, 18, |_, _| false);
    let series = &load(&csv, &IngestOptions::default()).unwrap().regions[0];
    let night = (0..series.len())
        .find(|&i| series.timestamp(i).format("%H:%M").to_string() == "02:00")
        .unwrap();
    assert_eq!(series.status[night], PointStatus::Closed);
    assert_eq!(series.contacts[night], 0.0);
    assert_eq!(series.count(PointStatus::Gap), 0);
    // 14 nights × 28 closed half-hours, minus the last evening after 17:30 that is outside the period.
    assert_eq!(series.count(PointStatus::Closed), 13 * 28);
    let profile = profile_region(series, None);
    assert_eq!(profile.closed_slots, 7 * 28);
    assert_eq!(profile.slots_per_week, 336);
}

#[test]
fn a_slot_missing_in_one_week_only_is_a_gap() {
    // Tuesday 2024-01-09 10:00 is missing; it is present on Tuesday 2024-01-02.
    let csv = opening_hours_csv(14, 30, 8, 18, |day, minute| day == 8 && minute == 600);
    let error = load(&csv, &IngestOptions::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("1 missing interval(s)"), "{error}");
    assert!(error.contains("2024-01-09T10:00:00"), "{error}");

    let zero = IngestOptions {
        missing: MissingPolicy::Zero,
        ..Default::default()
    };
    let series = &load(&csv, &zero).unwrap().regions[0];
    let gap = series
        .status
        .iter()
        .position(|&s| s == PointStatus::Gap)
        .unwrap();
    assert_eq!(format_minute(series.minute(gap)), "2024-01-09T10:00:00");
    assert_eq!(series.contacts[gap], 0.0);

    let interpolate = IngestOptions {
        missing: MissingPolicy::Interpolate,
        ..Default::default()
    };
    let series = &load(&csv, &interpolate).unwrap().regions[0];
    // Neighbours 09:30 and 10:30 hold 9 and 10.
    assert_eq!(series.contacts[gap], 9.5);
}

#[test]
fn a_holiday_absent_all_day_is_closed_not_a_gap() {
    // Wednesday 2024-01-10 has no rows at all.
    let csv = opening_hours_csv(14, 30, 8, 18, |day, _| day == 9);
    assert!(load(&csv, &IngestOptions::default()).is_err());
    let holidays = Holidays::new(vec![SpecialDay {
        date: chrono::NaiveDate::from_ymd_opt(2024, 1, 10).unwrap(),
        name: "Test day".into(),
        treat_as: None,
        window_minutes: None,
    }]);
    let options = IngestOptions {
        holidays: Some(holidays),
        ..Default::default()
    };
    let series = &load(&csv, &options).unwrap().regions[0];
    assert_eq!(series.count(PointStatus::Holiday), 20);
    assert_eq!(series.count(PointStatus::Gap), 0);
}

#[test]
fn rows_off_the_interval_grid_are_mixed_intervals() {
    let mut csv = opening_hours_csv(1, 30, 8, 12, |_, _| false);
    csv.push_str("2024-01-01T12:15:00,1\n");
    let error = load(&csv, &IngestOptions::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("row 10, column \"timestamp\""), "{error}");
    assert!(error.contains("mixed interval lengths"), "{error}");
}

#[test]
fn a_long_run_at_a_coarser_step_is_mixed_intervals() {
    // Two days of 15-minute data, then three days of 30-minute data.
    let fine = opening_hours_csv(2, 15, 0, 24, |_, _| false);
    let coarse = opening_hours_csv(5, 30, 0, 24, |day, _| day < 2);
    let csv = fine + coarse.trim_start_matches("timestamp,contacts\n");
    let error = load(&csv, &IngestOptions::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("30 minutes apart"), "{error}");
    // The first row of the 30-minute part: header + 192 rows of 15-minute data + 1.
    assert!(error.contains("row 195"), "{error}");
}

#[test]
fn resampling_to_an_hour_sums_counts() {
    let csv = opening_hours_csv(7, 15, 8, 18, |_, _| false);
    let options = IngestOptions {
        interval_minutes: Some(60),
        ..Default::default()
    };
    let history = load(&csv, &options).unwrap();
    assert_eq!(history.source_interval_minutes, 15);
    assert_eq!(history.interval_minutes, 60);
    let series = &history.regions[0];
    // 08:00 hour: four quarter-hours holding 8 each.
    assert_eq!(series.contacts[0], 32.0);
    assert_eq!(series.timestamp(0).format("%H:%M").to_string(), "08:00");

    let finer = IngestOptions {
        interval_minutes: Some(5),
        ..Default::default()
    };
    let error = load(&csv, &finer).unwrap_err().to_string();
    assert!(error.contains("interval_minutes = 5m"), "{error}");
}

/// Hourly UTC rows for `hours` hours from `start` (UTC), value = UTC hour.
fn utc_hours_csv(start: &str, hours: i64) -> String {
    let first = crate::time::parse_timestamp(start).unwrap().clock_seconds / 60;
    let mut csv = String::from("timestamp,contacts\n");
    for h in 0..hours {
        let minute = first + h * 60;
        csv.push_str(&format!(
            "{}Z,{}\n",
            format_minute(minute),
            (minute / 60) % 24
        ));
    }
    csv
}

fn london() -> Tz {
    "Europe/London".parse().unwrap()
}

#[test]
fn spring_forward_day_has_no_gap_and_keeps_the_daily_profile() {
    // Two weeks of UTC hours around Sunday 2024-03-31, when London skips 01:00–02:00 local.
    let csv = utc_hours_csv("2024-03-24T00:00:00", 24 * 14);
    let options = IngestOptions {
        clock: Clock::UtcTo(london()),
        ..Default::default()
    };
    let series = &load(&csv, &options).unwrap().regions[0];
    assert_eq!(series.count(PointStatus::DstSkipped), 1);
    let skipped = series
        .status
        .iter()
        .position(|&s| s == PointStatus::DstSkipped)
        .unwrap();
    assert_eq!(format_minute(series.minute(skipped)), "2024-03-31T01:00:00");
    // Local 09:00 on 1 April is 08:00 UTC: the wall clock, not UTC, positions the profile.
    let nine = (0..series.len())
        .find(|&i| format_minute(series.minute(i)) == "2024-04-01T09:00:00")
        .unwrap();
    assert_eq!(series.contacts[nine], 8.0);
    // Every whole local day has 24 hourly points.
    assert_eq!(series.minute(0) % 1_440, 0);
}

#[test]
fn fall_back_repeat_is_merged_into_one_interval() {
    // Sunday 2024-10-27: London repeats 01:00–02:00 local (00:00 and 01:00 UTC).
    let csv = utc_hours_csv("2024-10-20T00:00:00", 24 * 14);
    let options = IngestOptions {
        clock: Clock::UtcTo(london()),
        ..Default::default()
    };
    let series = &load(&csv, &options).unwrap().regions[0];
    assert_eq!(series.dst_repeats_merged, 1);
    let one_am = (0..series.len())
        .find(|&i| format_minute(series.minute(i)) == "2024-10-27T01:00:00")
        .unwrap();
    // 00:00 UTC (value 0) and 01:00 UTC (value 1) both show 01:00 local.
    assert_eq!(series.contacts[one_am], 1.0);
    let total_in: f64 = (0..24 * 14).map(|h| (h % 24) as f64).sum();
    let total_out: f64 = series.contacts.iter().sum();
    assert_eq!(total_in, total_out, "no contact lost or invented");
}

#[test]
fn local_time_repeats_need_a_zone_or_offsets() {
    let mut csv = String::from("timestamp,contacts\n");
    for (t, c) in [
        ("2024-10-27T00:00:00", 5),
        ("2024-10-27T01:00:00", 6),
        ("2024-10-27T01:00:00", 7),
        ("2024-10-27T02:00:00", 8),
    ] {
        csv.push_str(&format!("{t},{c}\n"));
    }
    let error = load(&csv, &IngestOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("row 4") && error.contains("duplicate of row 3"),
        "{error}"
    );
    let options = IngestOptions {
        clock: Clock::LocalIn(london()),
        ..Default::default()
    };
    let series = &load(&csv, &options).unwrap().regions[0];
    assert_eq!(series.contacts, vec![5.0, 13.0, 8.0]);

    let with_offsets = "timestamp,contacts\n2024-10-27T00:00:00+01:00,5\n\
        2024-10-27T01:00:00+01:00,6\n2024-10-27T01:00:00+00:00,7\n2024-10-27T02:00:00+00:00,8\n";
    let series = &load(with_offsets, &IngestOptions::default())
        .unwrap()
        .regions[0];
    assert_eq!(series.contacts, vec![5.0, 13.0, 8.0]);
}

#[test]
fn event_logs_are_counted_per_interval_with_mean_handle_time() {
    let csv = "timestamp,handle_seconds\n2024-01-01T08:01:10,100\n2024-01-01T08:10:00,300\n\
        2024-01-01T08:40:00,200\n2024-01-01T09:05:00,\n";
    let options = IngestOptions {
        events: true,
        columns: ColumnNames {
            aht: Some("handle_seconds".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let history = load(csv, &options).unwrap();
    assert_eq!(history.interval_minutes, 30);
    let series = &history.regions[0];
    assert_eq!(series.contacts, vec![2.0, 1.0, 1.0]);
    let aht = series.aht_seconds.as_ref().unwrap();
    assert_eq!(&aht[..2], &[200.0, 200.0]);
    assert!(aht[2].is_nan(), "no handle time recorded");
}

#[test]
fn regions_are_split_and_can_be_selected() {
    let csv = "timestamp,region,contacts,aht_seconds\n2024-01-01T08:00:00,b,1,100\n\
        2024-01-01T08:00:00,a,2,200\n2024-01-01T08:30:00,a,3,\n2024-01-01T08:30:00,b,4,120\n";
    let history = load(csv, &IngestOptions::default()).unwrap();
    let names: Vec<&str> = history.regions.iter().map(|r| r.region.as_str()).collect();
    assert_eq!(names, ["b", "a"]);
    assert!(history.has_aht);
    assert_eq!(history.regions[0].contacts, vec![1.0, 4.0]);
    let only_a = IngestOptions {
        regions: vec!["a".into()],
        ..Default::default()
    };
    assert_eq!(load(csv, &only_a).unwrap().regions.len(), 1);
    let unknown = IngestOptions {
        regions: vec!["c".into()],
        ..Default::default()
    };
    let error = load(csv, &unknown).unwrap_err().to_string();
    assert!(
        error.contains("no region \"c\"") && error.contains("b, a"),
        "{error}"
    );
}

#[test]
fn half_counts_are_kept() {
    let csv = "timestamp,contacts\n1999-01-01T00:00:00,2.5\n1999-01-01T00:06:00,0.5\n";
    let series = &load(csv, &IngestOptions::default()).unwrap().regions[0];
    assert_eq!(series.contacts, vec![2.5, 0.5]);
}

#[test]
fn parquet_reads_like_csv() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let csv =
        "timestamp,region,contacts\n2024-01-01T08:00:00,north,3\n2024-01-01T08:30:00,north,4.5\n";
    let from_csv = load_history(&write(&dir, "h.csv", csv), &IngestOptions::default()).unwrap();

    let start = crate::time::parse_timestamp("2024-01-01T08:00:00")
        .unwrap()
        .clock_seconds
        * 1_000;
    let mut frame = df!(
        "timestamp" => [start, start + 30 * 60 * 1_000],
        "region" => ["north", "north"],
        "contacts" => [3.0, 4.5],
    )
    .unwrap();
    frame
        .try_apply("timestamp", |s| {
            s.cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
        })
        .unwrap();
    let path = dir.path().join("h.parquet");
    ParquetWriter::new(std::fs::File::create(&path).unwrap())
        .finish(&mut frame)
        .unwrap();
    let from_parquet = load_history(&path, &IngestOptions::default()).unwrap();
    assert_eq!(from_parquet.regions, from_csv.regions);
}

#[test]
fn blank_lines_are_skipped_without_shifting_row_numbers() {
    let csv = "timestamp,contacts\r\n2024-01-01T08:00:00,1\r\n\r\n2024-01-01T08:30:00,2\r\n2024-01-01T09:00:00,x\r\n";
    let error = load(csv, &IngestOptions::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("row 5, column \"contacts\""), "{error}");
    let fixed = csv.replace(",x", ",3") + "\r\n\r\n";
    let series = &load(&fixed, &IngestOptions::default()).unwrap().regions[0];
    assert_eq!(series.contacts, vec![1.0, 2.0, 3.0]);
}

#[test]
fn a_single_row_needs_the_interval_from_the_flag() {
    let csv = "timestamp,contacts\n2024-01-01T08:00:00,4\n";
    let error = load(csv, &IngestOptions::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("pass --interval"), "{error}");
    let options = IngestOptions {
        interval_minutes: Some(30),
        ..Default::default()
    };
    assert_eq!(load(csv, &options).unwrap().regions[0].contacts, vec![4.0]);
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/good")
        .join(name)
}

fn minute_of(text: &str) -> i64 {
    crate::time::parse_timestamp(text).unwrap().clock_seconds / 60
}

#[test]
fn every_region_of_an_event_log_runs_to_the_end_of_the_file() {
    // A's last event is at 2016-07-31 23:50, B's at 2016-07-30 18:00.
    let options = IngestOptions {
        events: true,
        ..Default::default()
    };
    let history = load_history(&fixture("events_uneven_ends.csv"), &options).unwrap();
    let end = minute_of("2016-08-01T00:00:00");
    assert_eq!(history.end_minute, end);
    for series in &history.regions {
        assert_eq!(series.minute(series.len()), end, "{}", series.region);
    }
    let b = history.regions.iter().find(|s| s.region == "B").unwrap();
    let at = |text: &str| ((minute_of(text) - b.start_minute) / 30) as usize;
    // B logs one event at every full hour 08:00–18:00: after its last event, those slots read
    // as zero contacts. B's half hours and nights never have an event, but A's do: the file is
    // open then, so for B they are quiet (zero), not closed.
    assert_eq!(b.contacts[at("2016-07-30T18:00:00")], 1.0);
    for slot in [
        "2016-07-31T08:00:00",
        "2016-07-31T18:00:00",
        "2016-07-31T08:30:00",
        "2016-07-31T23:30:00",
    ] {
        assert_eq!(b.status[at(slot)], PointStatus::Observed, "{slot}");
        assert_eq!(b.contacts[at(slot)], 0.0, "{slot}");
    }
    assert_eq!(b.count(PointStatus::Closed), 0);
}

#[test]
fn every_region_of_an_event_log_starts_with_the_file_or_the_window_asked_for() {
    // Regression (issue 20): Traffic's first call of the month fell at 00:52, so its series
    // began at 00:30 while EMS began at 00:00, and scoring a forecast from 00:00 failed.
    let mut csv = String::from("timestamp,region\n2016-07-01T00:05:00,EMS\n");
    csv.push_str("2016-07-01T00:52:00,Traffic\n2016-07-01T01:10:00,EMS\n");
    csv.push_str("2016-07-01T01:40:00,Traffic\n");
    let options = IngestOptions {
        events: true,
        ..Default::default()
    };
    let history = load(&csv, &options).unwrap();
    for series in &history.regions {
        assert_eq!(
            format_minute(series.start_minute),
            "2016-07-01T00:00:00",
            "{}",
            series.region
        );
        assert_eq!(series.len(), 4, "{}", series.region);
    }
    let traffic = history
        .regions
        .iter()
        .find(|s| s.region == "Traffic")
        .unwrap();
    assert_eq!(traffic.contacts, vec![0.0, 1.0, 0.0, 1.0]);
    assert_eq!(
        traffic.status[0],
        PointStatus::Observed,
        "a quiet interval, not a gap"
    );

    // A window wider than the file (the forecast being scored): zeros on both sides.
    let window = IngestOptions {
        events_window: Some((
            minute_of("2016-06-30T23:00:00"),
            minute_of("2016-07-01T03:00:00"),
        )),
        ..options
    };
    let history = load(&csv, &window).unwrap();
    for series in &history.regions {
        assert_eq!(format_minute(series.start_minute), "2016-06-30T23:00:00");
        assert_eq!(series.len(), 8, "{}", series.region);
        assert_eq!(
            series.contacts.iter().sum::<f64>(),
            2.0,
            "{}",
            series.region
        );
    }
    assert_eq!(format_minute(history.end_minute), "2016-07-01T03:00:00");
}

#[test]
fn an_interval_region_that_stops_early_has_gaps_up_to_the_end_of_the_file() {
    // North runs two weeks to Sunday 17:30; south stops after Saturday.
    let north = opening_hours_csv(14, 30, 8, 18, |_, _| false);
    let south = opening_hours_csv(13, 30, 8, 18, |_, _| false);
    let mut csv = String::from("timestamp,region,contacts\n");
    for (name, text) in [("north", &north), ("south", &south)] {
        for line in text.lines().skip(1) {
            let (time, contacts) = line.split_once(',').unwrap();
            csv.push_str(&format!("{time},{name},{contacts}\n"));
        }
    }
    let error = load(&csv, &IngestOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("region \"south\" has no rows from 2024-01-13T18:00:00 on")
            && error.contains("before the end of the file at 2024-01-14T18:00:00")
            && error.contains("20 missing interval(s)"),
        "{error}"
    );
    let zero = IngestOptions {
        missing: MissingPolicy::Zero,
        outages: OutagePolicy::Keep,
        ..Default::default()
    };
    let history = load(&csv, &zero).unwrap();
    let south = &history.regions[1];
    assert_eq!(south.minute(south.len()), history.end_minute);
    assert_eq!(south.count(PointStatus::Gap), 20);
    assert_eq!(south.contacts[south.len() - 1], 0.0);
    // The night between is closed, as on every other day.
    assert_eq!(south.count(PointStatus::Closed), 13 * 28);
}

#[test]
fn a_last_bucket_cut_short_only_in_closed_slots_is_kept() {
    // Rows run 07:00–21:00 every day: the 21:00 half hour holds one 5-minute row on every day,
    // and 21:05–21:25 are closed slots. The last day's 21:00 bucket is like any other day's.
    let options = IngestOptions {
        interval_minutes: Some(30),
        ..Default::default()
    };
    let history = load_history(&fixture("five_minute_0700_2105.csv"), &options).unwrap();
    let series = &history.regions[0];
    assert_eq!(
        format_minute(series.minute(series.len())),
        "2024-02-04T21:30:00"
    );
    let last = series.len() - 1;
    assert_eq!(format_minute(series.minute(last)), "2024-02-04T21:00:00");
    assert_eq!(series.status[last], PointStatus::Observed);
    // The 21:00 row of day 34 (slot 168): 1 + (168 + 34) % 7 = 7.
    assert_eq!(series.contacts[last], 7.0);
    // Every day has the same 29 open half hours (07:00–21:00).
    assert_eq!(series.count(PointStatus::Observed), 35 * 29);
}

#[test]
fn a_last_bucket_cut_short_in_open_hours_is_dropped() {
    // 24-hour data that stops at 10:10 on the last day: 10:00–10:30 is open on other days.
    let csv = opening_hours_csv(8, 5, 0, 24, |day, minute| day == 7 && minute >= 615);
    let options = IngestOptions {
        interval_minutes: Some(30),
        ..Default::default()
    };
    let series = &load(&csv, &options).unwrap().regions[0];
    assert_eq!(
        format_minute(series.minute(series.len())),
        "2024-01-08T10:00:00"
    );
}

#[test]
fn zero_afternoon_is_an_outage_unless_kept() {
    // 20 contacts every open half hour; Wednesday 2024-01-17 14:00–17:00 reads 0.
    let path = fixture("outage_afternoon.csv");
    let series = &load_history(&path, &IngestOptions::default())
        .unwrap()
        .regions[0];
    assert_eq!(
        series.outages,
        vec![Outage {
            start_minute: minute_of("2024-01-17T14:00:00"),
            end_minute: minute_of("2024-01-17T17:00:00"),
            // 6 intervals × 20 (the same slot in the two weeks either side).
            expected_contacts: 120.0,
        }]
    );
    assert_eq!(series.count(PointStatus::Outage), 6);
    assert_eq!(series.count(PointStatus::Closed), series.len() - 25 * 20);
    let kept = IngestOptions {
        outages: OutagePolicy::Keep,
        ..Default::default()
    };
    let series = &load_history(&path, &kept).unwrap().regions[0];
    assert!(series.outages.is_empty());
    assert_eq!(series.count(PointStatus::Outage), 0);
}

#[test]
fn a_feed_outage_is_found_on_the_file_total_and_marked_in_every_region() {
    // Ten sparse regions (1 or 2 contacts a half hour) all read 0 on 2024-01-17 14:00–17:00:
    // 6 × 1.5 = 9 expected per region is not implausible alone, 90 for the file is.
    let monday = crate::time::days_from_civil(2024, 1, 1) * 1_440;
    let outage = minute_of("2024-01-17T14:00:00")..minute_of("2024-01-17T17:00:00");
    let mut csv = String::from("timestamp,region,contacts\n");
    for t in 0..5 * 336 {
        let minute = monday + t * 30;
        for r in 0..10 {
            let contacts = if outage.contains(&minute) {
                0
            } else {
                1 + (t + r) % 2
            };
            csv.push_str(&format!("{},r{r},{contacts}\n", format_minute(minute)));
        }
    }
    let history = load(&csv, &IngestOptions::default()).unwrap();
    for series in &history.regions {
        assert_eq!(series.outages.len(), 1, "{}", series.region);
        assert_eq!(series.outages[0].start_minute, outage.start);
        assert_eq!(series.outages[0].end_minute, outage.end);
        assert_eq!(series.outages[0].expected_contacts, 9.0);
    }
    let one = IngestOptions {
        regions: vec!["r0".into()],
        ..Default::default()
    };
    assert!(load(&csv, &one).unwrap().regions[0].outages.is_empty());
}

#[test]
fn skipped_spring_forward_hour_of_an_event_log_is_interpolated_not_zero() {
    // An event every 2 minutes 00:00–05:00 New York time; 2016-03-13 02:00–03:00 never was.
    let path = fixture("events_dst_2016.csv");
    let options = IngestOptions {
        events: true,
        clock: Clock::LocalIn("America/New_York".parse().unwrap()),
        ..Default::default()
    };
    let series = &load_history(&path, &options).unwrap().regions[0];
    let at = |text: &str| ((minute_of(text) - series.start_minute) / 30) as usize;
    for slot in ["2016-03-13T02:00:00", "2016-03-13T02:30:00"] {
        assert_eq!(series.status[at(slot)], PointStatus::DstSkipped, "{slot}");
        assert_eq!(series.contacts[at(slot)], 15.0, "{slot}");
    }
    assert_eq!(series.count(PointStatus::DstSkipped), 2);
    assert!(series.outages.is_empty(), "{:?}", series.outages);
    // Read as written, the hour is two zero half hours where 15 + 15 were expected: an outage.
    let as_written = IngestOptions {
        events: true,
        ..Default::default()
    };
    let series = &load_history(&path, &as_written).unwrap().regions[0];
    assert_eq!(series.outages.len(), 1);
    assert_eq!(
        series.outages[0].start_minute,
        minute_of("2016-03-13T02:00:00")
    );
}

#[test]
fn zeros_on_a_listed_holiday_are_not_an_outage() {
    let holidays = Holidays::new(vec![SpecialDay {
        date: chrono::NaiveDate::from_ymd_opt(2024, 1, 17).unwrap(),
        name: "Closed afternoon".into(),
        treat_as: None,
        window_minutes: None,
    }]);
    let options = IngestOptions {
        holidays: Some(holidays),
        ..Default::default()
    };
    let path = fixture("outage_afternoon.csv");
    let series = &load_history(&path, &options).unwrap().regions[0];
    assert!(series.outages.is_empty(), "{:?}", series.outages);
    // The zeros stay observed zeros: the day was open, just quiet.
    assert_eq!(series.count(PointStatus::Outage), 0);
}

#[test]
fn an_event_with_an_empty_region_is_counted_in_a_blank_region() {
    // The 911 log has rows whose township is empty: the calls happened and are kept.
    let csv = "timestamp,township\n2016-07-01T10:05:00,Abington\n2016-07-01T10:20:00,\n2016-07-01T11:10:00,Abington\n";
    let options = IngestOptions {
        events: true,
        columns: ColumnNames {
            region: Some("township".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let history = load(csv, &options).unwrap();
    let names: Vec<&str> = history.regions.iter().map(|r| r.region.as_str()).collect();
    assert_eq!(names, ["Abington", BLANK_REGION]);
    let blank = &history.regions[1];
    assert_eq!(blank.contacts.iter().sum::<f64>(), 1.0);
    // In an interval file an empty region is still an error.
    let error = load(
        "timestamp,region,contacts\n2024-01-01T08:00:00,,3\n",
        &IngestOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("empty value (expected a region name)"),
        "{error}"
    );
}

#[test]
fn a_group_column_makes_one_series_per_group_and_region() {
    let csv = "timestamp,category,township\n\
               2016-07-01T10:05:00,EMS,Abington\n\
               2016-07-01T10:20:00,Fire,Abington\n\
               2016-07-01T11:10:00,EMS,Abington\n\
               2016-07-01T11:40:00,EMS,Ambler\n";
    let options = IngestOptions {
        events: true,
        columns: ColumnNames {
            region: Some("township".into()),
            group: Some("category".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let history = load(csv, &options).unwrap();
    let regions: Vec<(&str, Option<&str>)> = history
        .regions
        .iter()
        .map(|r| (r.region.as_str(), r.group.as_deref()))
        .collect();
    assert_eq!(
        regions,
        [
            ("EMS/Abington", Some("EMS")),
            ("Fire/Abington", Some("Fire")),
            ("EMS/Ambler", Some("EMS")),
        ]
    );
    let missing = IngestOptions {
        columns: ColumnNames {
            group: Some("queue".into()),
            ..options.columns.clone()
        },
        ..options
    };
    let error = load(csv, &missing).unwrap_err().to_string();
    assert!(
        error.contains("no column \"queue\" (set it with --group-col)"),
        "{error}"
    );
}

#[test]
fn rows_read_in_runs_keep_file_order_regions_and_the_first_error() {
    // The unit tests read in runs of 3 rows: regions first seen in later runs, a region coming
    // back after another, and blank lines filling a whole run.
    let csv = "timestamp,region,contacts\n\
        2024-01-01T00:00:00,b,1\n2024-01-01T00:00:00,a,2\n2024-01-01T01:00:00,b,3\n\
        ,,\n,,\n,,\n\
        2024-01-01T01:00:00,a,4\n2024-01-01T00:00:00,c,5\n2024-01-01T02:00:00,b,6\n\
        2024-01-01T02:00:00,a,7\n2024-01-01T01:00:00,c,8\n2024-01-01T02:00:00,c,9\n";
    let history = load(csv, &IngestOptions::default()).unwrap();
    let regions: Vec<(&str, &[f64])> = history
        .regions
        .iter()
        .map(|r| (r.region.as_str(), &r.contacts[..]))
        .collect();
    assert_eq!(
        regions,
        [
            ("b", &[1.0, 3.0, 6.0][..]),
            ("a", &[2.0, 4.0, 7.0][..]),
            ("c", &[5.0, 8.0, 9.0][..])
        ]
    );
    // Bad values in the third and fourth runs: the first bad row is named.
    let bad = csv
        .replace("2024-01-01T02:00:00,b,6", "2024-01-01T02:00:00,b,x")
        .replace("2024-01-01T01:00:00,c,8", "2024-01-01T01:00:00,c,-1");
    let error = load(&bad, &IngestOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("row 10,") && error.contains("\"x\""),
        "{error}"
    );
    let bad_later = csv.replace("2024-01-01T01:00:00,c,8", "2024-01-01T01:00:00,c,-1");
    let error = load(&bad_later, &IngestOptions::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("row 12,"), "{error}");
    // A file of blank lines only has no data, however many runs it makes.
    let blank = load(
        "timestamp,region,contacts\n,,\n,,\n,,\n,,\n",
        &IngestOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        blank.ends_with("history.csv: no data rows after the header"),
        "{blank}"
    );
}
