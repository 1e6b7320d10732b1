//! The wall clock: UTC to local time, the hour a DST change repeats or skips.

use super::*;

pub(super) fn utc_to_local(zone: Tz, utc_seconds: i64) -> i64 {
    match zone.timestamp_opt(utc_seconds, 0) {
        LocalResult::Single(t) => t.naive_local().and_utc().timestamp(),
        _ => utc_seconds,
    }
}

/// Rows sharing a local time are one DST repeat (the fall-back hour, summed into one interval)
/// when the input shows they are different instants; otherwise they are duplicates.
pub(super) fn merge_repeats(
    path: &Path,
    columns: &UsedColumns,
    region: &mut PreparedRegion,
    clock: Clock,
) -> Result<()> {
    let points = &mut region.points;
    let mut write = 0;
    let mut read = 0;
    while read < points.len() {
        let mut run_end = read + 1;
        while run_end < points.len() && points[run_end].local_seconds == points[read].local_seconds
        {
            run_end += 1;
        }
        if run_end - read > 1 {
            let run = &points[read..run_end];
            if !is_dst_repeat(run, clock) {
                let first = run[0];
                let second = run[1];
                return Err(WfmError::Duplicate {
                    path: path.to_path_buf(),
                    row: second.row as usize,
                    first_row: first.row as usize,
                    columns: format!("columns \"{}\" and \"{}\"", columns.time, columns.region),
                    timestamp: time::naive_from_seconds(first.local_seconds)
                        .format("%Y-%m-%dT%H:%M:%S")
                        .to_string(),
                    region: region.name.clone(),
                });
            }
            let mut merged = run[0];
            for p in &run[1..] {
                merged.contacts += p.contacts;
                merged.aht_weighted_sum += p.aht_weighted_sum;
                merged.aht_weight += p.aht_weight;
            }
            region.dst_repeats_merged += run.len() - 1;
            points[write] = merged;
        } else {
            points[write] = points[read];
        }
        write += 1;
        read = run_end;
    }
    points.truncate(write);
    Ok(())
}

pub(super) fn is_dst_repeat(run: &[Point], clock: Clock) -> bool {
    match clock {
        Clock::LocalIn(zone) => {
            run.len() == 2
                && matches!(
                    zone.from_local_datetime(&time::naive_from_seconds(run[0].local_seconds)),
                    LocalResult::Ambiguous(..)
                )
        }
        Clock::AsWritten | Clock::UtcTo(_) => {
            let mut instants: Vec<i64> = match run.iter().map(|p| p.instant).collect() {
                Some(v) => v,
                None => return false,
            };
            instants.sort_unstable();
            // The clocks go back by the DST shift: half an hour to two hours (an hour almost
            // everywhere). Offsets further apart (+01:00 and +05:30) are two different places'
            // clocks, not a repeated hour.
            let apart = instants[instants.len() - 1] - instants[0];
            run.len() == 2 && (30 * 60..=2 * 3_600).contains(&apart)
        }
    }
}

/// The zone whose DST changes the wall clock follows, if the clock names one.
pub(super) fn zone_of(clock: Clock) -> Option<Tz> {
    match clock {
        Clock::UtcTo(z) | Clock::LocalIn(z) => Some(z),
        Clock::AsWritten => None,
    }
}

/// Is this local interval's start a time that the zone's clocks skipped (spring forward)?
pub(crate) fn local_time_skipped(zone: Tz, minute: i64) -> bool {
    matches!(
        zone.from_local_datetime(&time::naive_from_minutes(minute)),
        LocalResult::None
    )
}

/// Indices of the intervals of a grid whose local start the zone skips. Only days whose UTC
/// offset changes between the noons around them are scanned interval by interval, so a year of
/// 5-minute buckets costs a few hundred time-zone look-ups, not a hundred thousand.
pub(super) fn skipped_intervals(
    zone: Tz,
    start_minute: i64,
    n: usize,
    interval_minutes: u32,
) -> Vec<usize> {
    let d = interval_minutes as i64;
    let offset_at_noon = |day: i64| {
        zone.from_local_datetime(&time::naive_from_minutes(day * MINUTES_PER_DAY + 720))
            .earliest()
            .map(|t| t.offset().fix().local_minus_utc())
    };
    let first_day = time::day_of_minute(start_minute);
    let last_day = time::day_of_minute(start_minute + (n as i64 - 1).max(0) * d);
    let mut skipped = Vec::new();
    let mut previous = offset_at_noon(first_day - 1);
    for day in first_day..=last_day {
        let noon = offset_at_noon(day);
        let next = offset_at_noon(day + 1);
        if previous != noon || noon != next {
            let from = (day * MINUTES_PER_DAY - start_minute).div_euclid(d).max(0);
            let to = ((day + 1) * MINUTES_PER_DAY - start_minute)
                .div_euclid(d)
                .min(n as i64);
            for i in from..to {
                if local_time_skipped(zone, start_minute + i * d) {
                    skipped.push(i as usize);
                }
            }
        }
        previous = noon;
    }
    skipped
}
