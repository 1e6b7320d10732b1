//! From parsed rows to a regular wall-clock series: clock conversion, DST, duplicates,
//! interval detection, closed slots, holidays and gaps.

use std::collections::HashMap;
use std::path::Path;

use chrono::{LocalResult, Offset, TimeZone};
use chrono_tz::Tz;

use super::read::{RawRegion, UsedColumns};
use super::{Clock, IngestOptions, MissingPolicy, PointStatus, RegionSeries};
use crate::error::{Result, WfmError};
use crate::time::{self, SlotOfWeek, MINUTES_PER_DAY, MINUTES_PER_WEEK};

/// How many gap timestamps an error message lists.
const GAPS_LISTED: usize = 5;

/// A row on the local wall clock.
#[derive(Debug, Clone, Copy)]
struct Point {
    local_seconds: i64,
    /// UTC seconds when the input says which instant it is.
    instant: Option<i64>,
    contacts: f64,
    /// Σ aht × contacts and Σ contacts over rows with a known AHT (volume weighting).
    aht_weighted_sum: f64,
    aht_weight: f64,
    row: u32,
}

/// One region's rows on the local clock, sorted, with DST repeats merged.
pub(crate) struct PreparedRegion {
    name: String,
    group: Option<String>,
    points: Vec<Point>,
    source_rows: usize,
    dst_repeats_merged: usize,
}

impl PreparedRegion {
    /// The local seconds of the first and last row (the rows are sorted).
    pub(crate) fn span_seconds(&self) -> Option<(i64, i64)> {
        Some((
            self.points.first()?.local_seconds,
            self.points.last()?.local_seconds,
        ))
    }
}

/// Converts to the local clock, sorts and merges DST repeats; anything else repeated is an error.
pub(crate) fn prepare(
    path: &Path,
    columns: &UsedColumns,
    raw: RawRegion,
    options: &IngestOptions,
) -> Result<PreparedRegion> {
    let source_rows = raw.points.len();
    let mut points: Vec<Point> = raw
        .points
        .iter()
        .map(|p| {
            let (local_seconds, instant) = match options.clock {
                Clock::AsWritten => (p.time.clock_seconds, p.time.utc_seconds()),
                Clock::UtcTo(zone) => {
                    let instant = p.time.utc_seconds().unwrap_or(p.time.clock_seconds);
                    (utc_to_local(zone, instant), Some(instant))
                }
                Clock::LocalIn(_) => (p.time.clock_seconds, None),
            };
            let known = !p.aht_seconds.is_nan();
            Point {
                local_seconds,
                instant,
                contacts: p.contacts,
                aht_weighted_sum: if known {
                    p.aht_seconds * p.contacts
                } else {
                    0.0
                },
                aht_weight: if known { p.contacts } else { 0.0 },
                row: p.row,
            }
        })
        .collect();
    if !points.is_sorted_by_key(|p| p.local_seconds) {
        // Stable: rows with the same time stay in file order, so errors name the later row.
        points.sort_by_key(|p| p.local_seconds);
    }
    let mut region = PreparedRegion {
        name: raw.name,
        group: raw.group,
        points,
        source_rows,
        dst_repeats_merged: 0,
    };
    if !options.events {
        merge_repeats(path, columns, &mut region, options.clock)?;
    }
    Ok(region)
}

fn utc_to_local(zone: Tz, utc_seconds: i64) -> i64 {
    match zone.timestamp_opt(utc_seconds, 0) {
        LocalResult::Single(t) => t.naive_local().and_utc().timestamp(),
        _ => utc_seconds,
    }
}

/// Rows sharing a local time are one DST repeat (the fall-back hour, summed into one interval)
/// when the input shows they are different instants; otherwise they are duplicates.
fn merge_repeats(
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

fn is_dst_repeat(run: &[Point], clock: Clock) -> bool {
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

/// The interval of the file: the most common step between consecutive rows of a region.
///
/// The mode, not the greatest common divisor: one stray row at 08:15 in half-hourly data
/// must be reported as a mixed interval, not turn the whole file into 15-minute data.
pub(crate) fn detect_interval(
    path: &Path,
    columns: &UsedColumns,
    regions: &[PreparedRegion],
    given_interval: Option<u32>,
) -> Result<u32> {
    let mut steps = StepCounts::default();
    for region in regions {
        if let Some(p) = region.points.iter().find(|p| p.local_seconds % 60 != 0) {
            return Err(WfmError::bad_value(
                path,
                p.row as usize,
                &columns.time,
                format!(
                    "{} has seconds; interval rows must start on a whole minute (is this an event log? use --events)",
                    time::naive_from_seconds(p.local_seconds).format("%Y-%m-%dT%H:%M:%S")
                ),
            ));
        }
        for pair in region.points.windows(2) {
            steps.add((pair[1].local_seconds - pair[0].local_seconds) / 60);
        }
    }
    let steps = steps.finish();
    let Some((&step, _)) = steps
        .iter()
        .max_by_key(|(&step, &count)| (count, std::cmp::Reverse(step)))
    else {
        return match given_interval {
            Some(minutes) => Ok(minutes),
            None => Err(WfmError::Invalid {
                path: path.to_path_buf(),
                message:
                    "cannot detect the interval length: no region has two rows (pass --interval)"
                        .into(),
            }),
        };
    };
    if time::IntervalLength::new(step).is_none() {
        return Err(WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "rows are most often {step} minutes apart, which does not divide a day; \
                 wfm needs intervals such as 5, 6, 10, 15, 30 or 60 minutes"
            ),
        });
    }
    Ok(step as u32)
}

/// How often each step between consecutive rows occurs. A run of equal steps (nearly every
/// step of a regular file) is counted before it is hashed: one hash per run, not per row.
#[derive(Default)]
pub(crate) struct StepCounts {
    counts: HashMap<i64, usize>,
    run: Option<(i64, usize)>,
}

impl StepCounts {
    pub(crate) fn add(&mut self, step: i64) {
        match &mut self.run {
            Some((last, count)) if *last == step => *count += 1,
            _ => {
                self.flush();
                self.run = Some((step, 1));
            }
        }
    }

    fn flush(&mut self) {
        if let Some((step, count)) = self.run.take() {
            *self.counts.entry(step).or_default() += count;
        }
    }

    /// The counts of every step seen.
    pub(crate) fn finish(mut self) -> HashMap<i64, usize> {
        self.flush();
        self.counts
    }
}

/// Builds the regular series of one region.
pub(crate) fn regularise(
    path: &Path,
    columns: &UsedColumns,
    region: PreparedRegion,
    interval_minutes: u32,
    has_aht: bool,
    options: &IngestOptions,
) -> Result<RegionSeries> {
    if options.events {
        return Ok(aggregate_events(
            region,
            interval_minutes,
            has_aht,
            zone_of(options.clock),
        ));
    }
    check_steps(path, columns, &region, interval_minutes)?;
    let d = interval_minutes as i64;
    let first = region.points[0].local_seconds / 60;
    let last = region.points[region.points.len() - 1].local_seconds / 60;
    let n = ((last - first) / d + 1) as usize;

    let mut contacts = vec![f64::NAN; n];
    let mut aht_sum = vec![0.0; n];
    let mut aht_weight = vec![0.0; n];
    let mut status = vec![PointStatus::Gap; n];
    for p in &region.points {
        let i = ((p.local_seconds / 60 - first) / d) as usize;
        contacts[i] = p.contacts;
        aht_sum[i] = p.aht_weighted_sum;
        aht_weight[i] = p.aht_weight;
        status[i] = PointStatus::Observed;
    }

    let slots_per_week = (MINUTES_PER_WEEK / d) as usize;
    let first_slot = SlotOfWeek::of_minute(first).index(interval_minutes);
    let mut slot_seen = vec![false; slots_per_week];
    for (i, s) in status.iter().enumerate() {
        if *s == PointStatus::Observed {
            slot_seen[(first_slot + i) % slots_per_week] = true;
        }
    }
    let zone = zone_of(options.clock);
    let mut gaps: Vec<usize> = Vec::new();
    for i in 0..n {
        if status[i] == PointStatus::Observed {
            continue;
        }
        let minute = first + i as i64 * d;
        status[i] = if !slot_seen[(first_slot + i) % slots_per_week] {
            PointStatus::Closed
        } else if options
            .holidays
            .as_ref()
            .is_some_and(|h| h.covers_minute(minute))
        {
            PointStatus::Holiday
        } else if zone.is_some_and(|z| local_time_skipped(z, minute)) {
            PointStatus::DstSkipped
        } else {
            gaps.push(i);
            PointStatus::Gap
        };
        if status[i].is_closed() {
            contacts[i] = 0.0;
        }
    }
    if !gaps.is_empty() && options.missing == MissingPolicy::Error {
        return Err(WfmError::Gaps {
            path: path.to_path_buf(),
            region: region.name,
            count: gaps.len(),
            first: gaps
                .iter()
                .take(GAPS_LISTED)
                .map(|&i| time::format_minute(first + i as i64 * d))
                .collect(),
        });
    }
    if options.missing == MissingPolicy::Zero {
        for &i in &gaps {
            contacts[i] = 0.0;
        }
    }
    // Interpolation fills what is still unknown: gaps (with --missing interpolate) and
    // skipped DST hours, whose neighbours are the best guess of a clock hour that never was.
    interpolate_unknown(&mut contacts, &status);

    let aht_seconds = has_aht.then(|| weighted_aht(&aht_sum, &aht_weight));
    Ok(RegionSeries {
        region: region.name,
        group: region.group,
        start_minute: first,
        interval_minutes,
        contacts,
        aht_seconds,
        status,
        source_rows: region.source_rows,
        dst_repeats_merged: region.dst_repeats_merged,
        outages: Vec::new(),
    })
}

/// The zone whose DST changes the wall clock follows, if the clock names one.
fn zone_of(clock: Clock) -> Option<Tz> {
    match clock {
        Clock::UtcTo(z) | Clock::LocalIn(z) => Some(z),
        Clock::AsWritten => None,
    }
}

/// Which slots of the week (by index) the series has open at least once.
fn open_slots(series: &RegionSeries) -> Vec<bool> {
    let slots_per_week = (MINUTES_PER_WEEK / series.interval_minutes as i64) as usize;
    let first_slot = SlotOfWeek::of_minute(series.start_minute).index(series.interval_minutes);
    let mut slot_open = vec![false; slots_per_week];
    for (i, s) in series.status.iter().enumerate() {
        if *s != PointStatus::Closed {
            slot_open[(first_slot + i) % slots_per_week] = true;
        }
    }
    slot_open
}

/// Extends an event log's region whose first event comes after `start_minute` back to it: the
/// intervals before its first event had no events, so they are quiet (0 contacts), or closed
/// where the region's slot of the week is closed; a local time the zone skips is DST-skipped.
pub(crate) fn extend_events_back_to(
    series: &mut RegionSeries,
    start_minute: i64,
    options: &IngestOptions,
) {
    let d = series.interval_minutes as i64;
    let extra = ((series.start_minute - start_minute) / d).max(0) as usize;
    if extra == 0 {
        return;
    }
    let slot_open = open_slots(series);
    let zone = zone_of(options.clock);
    let new_start = series.start_minute - extra as i64 * d;
    let mut status = Vec::with_capacity(extra + series.len());
    let mut contacts = Vec::with_capacity(extra + series.len());
    for i in 0..extra {
        let minute = new_start + i as i64 * d;
        let slot = SlotOfWeek::of_minute(minute).index(series.interval_minutes);
        let (s, value) = if !slot_open[slot] {
            (PointStatus::Closed, 0.0)
        } else if zone.is_some_and(|z| local_time_skipped(z, minute)) {
            (PointStatus::DstSkipped, 0.0)
        } else {
            (PointStatus::Observed, 0.0)
        };
        status.push(s);
        contacts.push(value);
    }
    status.extend_from_slice(&series.status);
    contacts.extend_from_slice(&series.contacts);
    series.status = status;
    series.contacts = contacts;
    if let Some(aht) = series.aht_seconds.as_mut() {
        let mut longer = vec![f64::NAN; extra];
        longer.extend_from_slice(aht);
        *aht = longer;
    }
    series.start_minute = new_start;
}

/// Extends a region whose data stop before the file's end (`end_minute`) up to it, so that
/// every region of a file ends at the same minute. For an event log the extra intervals hold
/// zero contacts (no events were logged); for interval rows they are gaps, handled by
/// `--missing` like any other gap. Closed slots, holidays and skipped DST hours are labelled
/// as inside the series; AHT is unknown (NaN).
pub(crate) fn extend_to(
    path: &Path,
    series: &mut RegionSeries,
    end_minute: i64,
    options: &IngestOptions,
) -> Result<()> {
    let d = series.interval_minutes as i64;
    let old_len = series.len();
    let data_end = series.minute(old_len);
    let extra = ((end_minute - data_end) / d).max(0) as usize;
    if extra == 0 {
        return Ok(());
    }
    let slot_open = open_slots(series);
    let zone = zone_of(options.clock);
    let mut gaps = 0;
    for i in old_len..old_len + extra {
        let minute = series.minute(i);
        let status = if !slot_open[SlotOfWeek::of_minute(minute).index(series.interval_minutes)] {
            PointStatus::Closed
        } else if zone.is_some_and(|z| local_time_skipped(z, minute)) {
            PointStatus::DstSkipped
        } else if options.events {
            PointStatus::Observed
        } else if options
            .holidays
            .as_ref()
            .is_some_and(|h| h.covers_minute(minute))
        {
            PointStatus::Holiday
        } else {
            gaps += 1;
            PointStatus::Gap
        };
        let value = match status {
            PointStatus::DstSkipped => f64::NAN,
            PointStatus::Gap if options.missing != MissingPolicy::Zero => f64::NAN,
            _ => 0.0,
        };
        series.status.push(status);
        series.contacts.push(value);
    }
    if gaps > 0 && options.missing == MissingPolicy::Error {
        return Err(WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "region \"{}\" has no rows from {} on: its rows stop before the end of the file \
                 at {} ({gaps} missing interval(s) at its end); choose --missing zero or \
                 --missing interpolate, or list closed days with --holidays",
                series.region,
                time::format_minute(data_end),
                time::format_minute(end_minute),
            ),
        });
    }
    if let Some(aht) = series.aht_seconds.as_mut() {
        aht.resize(series.contacts.len(), f64::NAN);
    }
    if series.contacts[old_len..].iter().any(|c| c.is_nan()) {
        interpolate_unknown(&mut series.contacts, &series.status);
    }
    Ok(())
}

/// Is this local interval's start a time that the zone's clocks skipped (spring forward)?
pub(crate) fn local_time_skipped(zone: Tz, minute: i64) -> bool {
    matches!(
        zone.from_local_datetime(&time::naive_from_minutes(minute)),
        LocalResult::None
    )
}

/// Every step between rows must be a multiple of the interval, and no long run of rows may be
/// spaced at a coarser step (15-minute data that turns into 30-minute data half-way).
fn check_steps(
    path: &Path,
    columns: &UsedColumns,
    region: &PreparedRegion,
    interval_minutes: u32,
) -> Result<()> {
    let d = interval_minutes as i64 * 60;
    let mixed = |row: u32, detail: String| WfmError::MixedIntervals {
        path: path.to_path_buf(),
        row: row as usize,
        column: columns.time.clone(),
        region: region.name.clone(),
        detail,
    };
    let mut run_step = 0;
    let mut run_len = 0usize;
    let mut run_row = 0u32;
    for pair in region.points.windows(2) {
        let step = pair[1].local_seconds - pair[0].local_seconds;
        if step % d != 0 {
            return Err(mixed(
                pair[1].row,
                format!(
                    "{} is {} minutes after the previous row, off the {}-minute interval grid",
                    time::naive_from_seconds(pair[1].local_seconds).format("%Y-%m-%dT%H:%M:%S"),
                    step / 60,
                    interval_minutes
                ),
            ));
        }
        if step > d && step == run_step {
            run_len += 1;
        } else {
            run_step = step;
            run_len = 1;
            run_row = pair[1].row;
        }
        // A day's worth of rows all spaced at the same coarser step is another interval length,
        // not a run of gaps (gaps are irregular).
        let coarser_run = (MINUTES_PER_DAY * 60 / run_step.max(1)).max(4) as usize;
        if run_step > d && run_step < MINUTES_PER_DAY * 60 && run_len >= coarser_run {
            return Err(mixed(
                run_row,
                format!(
                    "from here on rows are {} minutes apart, but the data is on a {}-minute interval",
                    run_step / 60,
                    interval_minutes
                ),
            ));
        }
    }
    Ok(())
}

/// Linear interpolation of NaN values between the nearest finite, open neighbours.
pub(crate) fn interpolate_unknown(values: &mut [f64], status: &[PointStatus]) {
    let anchors: Vec<usize> = (0..values.len())
        .filter(|&i| values[i].is_finite() && !status[i].is_closed())
        .collect();
    let mut next_anchor = 0;
    for i in 0..values.len() {
        if values[i].is_finite() {
            continue;
        }
        while next_anchor < anchors.len() && anchors[next_anchor] < i {
            next_anchor += 1;
        }
        let before = next_anchor.checked_sub(1).map(|k| anchors[k]);
        let after = anchors.get(next_anchor).copied();
        values[i] = match (before, after) {
            (Some(a), Some(b)) => {
                let w = (i - a) as f64 / (b - a) as f64;
                values[a] + w * (values[b] - values[a])
            }
            (Some(a), None) => values[a],
            (None, Some(b)) => values[b],
            (None, None) => 0.0,
        };
    }
}

/// An event log counted per interval: an interval without events had zero contacts, unless its
/// slot of the week never has any (closed), or its local start does not exist (the
/// spring-forward hour of `zone`): that one is DST-skipped and interpolated from its neighbours,
/// as for interval rows, rather than read as a quiet interval.
fn aggregate_events(
    region: PreparedRegion,
    interval_minutes: u32,
    has_aht: bool,
    zone: Option<Tz>,
) -> RegionSeries {
    let d = interval_minutes as i64;
    let bucket = |p: &Point| p.local_seconds.div_euclid(60).div_euclid(d) * d;
    let first = bucket(&region.points[0]);
    let last = bucket(&region.points[region.points.len() - 1]);
    let n = ((last - first) / d + 1) as usize;
    let mut contacts = vec![0.0; n];
    let mut aht_sum = vec![0.0; n];
    let mut aht_weight = vec![0.0; n];
    for p in &region.points {
        let i = ((bucket(p) - first) / d) as usize;
        contacts[i] += p.contacts;
        aht_sum[i] += p.aht_weighted_sum;
        aht_weight[i] += p.aht_weight;
    }
    let slots_per_week = (MINUTES_PER_WEEK / d) as usize;
    let first_slot = SlotOfWeek::of_minute(first).index(interval_minutes);
    let mut slot_busy = vec![false; slots_per_week];
    for (i, &c) in contacts.iter().enumerate() {
        slot_busy[(first_slot + i) % slots_per_week] |= c > 0.0;
    }
    let mut status: Vec<PointStatus> = (0..n)
        .map(|i| {
            if slot_busy[(first_slot + i) % slots_per_week] {
                PointStatus::Observed
            } else {
                PointStatus::Closed
            }
        })
        .collect();
    if let Some(zone) = zone {
        let mut skipped = false;
        for i in skipped_intervals(zone, first, n, interval_minutes) {
            // Events logged at a time that does not exist are kept as they are.
            if status[i] == PointStatus::Observed && contacts[i] == 0.0 {
                status[i] = PointStatus::DstSkipped;
                contacts[i] = f64::NAN;
                skipped = true;
            }
        }
        if skipped {
            interpolate_unknown(&mut contacts, &status);
        }
    }
    RegionSeries {
        region: region.name,
        group: region.group,
        start_minute: first,
        interval_minutes,
        contacts,
        aht_seconds: has_aht.then(|| weighted_aht(&aht_sum, &aht_weight)),
        status,
        source_rows: region.source_rows,
        dst_repeats_merged: 0,
        outages: Vec::new(),
    }
}

/// Indices of the intervals of a grid whose local start the zone skips. Only days whose UTC
/// offset changes between the noons around them are scanned interval by interval, so a year of
/// 5-minute buckets costs a few hundred time-zone look-ups, not a hundred thousand.
fn skipped_intervals(zone: Tz, start_minute: i64, n: usize, interval_minutes: u32) -> Vec<usize> {
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

/// Volume-weighted AHT per interval; NaN where no contacts had a handle time.
fn weighted_aht(weighted_sum: &[f64], weight: &[f64]) -> Vec<f64> {
    weighted_sum
        .iter()
        .zip(weight)
        .map(|(&s, &w)| if w > 0.0 { s / w } else { f64::NAN })
        .collect()
}
