//! From parsed rows to a regular wall-clock series: clock conversion, DST, duplicates,
//! interval detection, closed slots, holidays and gaps.

mod clock;
mod events;
mod interval;
// The jobs share their helpers (each file imports `super::*`).
pub(crate) use clock::local_time_skipped;
pub(crate) use events::extend_events_back_to;
pub(crate) use interval::{detect_interval, StepCounts};
use {clock::*, events::*, interval::*};

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
