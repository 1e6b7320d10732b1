//! An event log (one row per contact) counted per interval, over its window.

use super::*;

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

/// An event log counted per interval: an interval without events had zero contacts, unless its
/// slot of the week never has any (closed), or its local start does not exist (the
/// spring-forward hour of `zone`): that one is DST-skipped and interpolated from its neighbours,
/// as for interval rows, rather than read as a quiet interval.
pub(super) fn aggregate_events(
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

/// Volume-weighted AHT per interval; NaN where no contacts had a handle time.
pub(super) fn weighted_aht(weighted_sum: &[f64], weight: &[f64]) -> Vec<f64> {
    weighted_sum
        .iter()
        .zip(weight)
        .map(|(&s, &w)| if w > 0.0 { s / w } else { f64::NAN })
        .collect()
}
