//! Resampling a series to a coarser interval: counts are summed, AHT is volume-weighted.

use super::{PointStatus, RegionSeries};
use crate::time::{SlotOfWeek, MINUTES_PER_WEEK};

/// Resamples to `interval_minutes`, a multiple of the series' interval that divides a day.
///
/// Buckets are aligned to midnight (an hourly bucket starts at :00). Buckets that the series
/// covers only in part, at its first and last day, are dropped rather than reported short —
/// unless the intervals they miss fall in closed slots of the week (slots that occur in the
/// series and are closed every time): data that end at 21:05 every day, resampled to half-hours,
/// keep the last day's 21:00 bucket like every other day's.
/// A bucket is closed only when all its intervals are; it is a gap, an outage or DST-adjusted
/// when any of its intervals is.
pub fn resample(series: &RegionSeries, interval_minutes: u32) -> RegionSeries {
    let from = series.interval_minutes as i64;
    let to = interval_minutes as i64;
    debug_assert!(to % from == 0 && 1_440 % to == 0);
    let per_bucket = to / from;
    let n = series.len() as i64;
    let closed = closed_slots(series);
    let slots_per_week = closed.len() as i64;
    let first_slot =
        SlotOfWeek::of_minute(series.start_minute).index(series.interval_minutes) as i64;
    // Source index `i` may lie outside the series (a partial edge bucket): it counts as present
    // only when its slot is closed.
    let virtual_closed = |i: i64| closed[(first_slot + i).rem_euclid(slots_per_week) as usize];
    let complete =
        |first: i64| (first..first + per_bucket).all(|i| (0..n).contains(&i) || virtual_closed(i));

    // Index (possibly negative) of the first source interval of the first bucket kept.
    let aligned = series.start_minute.div_euclid(to) * to;
    let mut first = (aligned - series.start_minute) / from;
    if first < 0 && !complete(first) {
        first += per_bucket;
    }
    let mut buckets = if n > first {
        (n - first + per_bucket - 1) / per_bucket
    } else {
        0
    };
    if buckets > 0 && !complete(first + (buckets - 1) * per_bucket) {
        buckets -= 1;
    }
    let buckets = buckets as usize;
    let start_minute = series.start_minute + first * from;

    let mut contacts = Vec::with_capacity(buckets);
    let mut status = Vec::with_capacity(buckets);
    let mut aht = series
        .aht_seconds
        .as_ref()
        .map(|_| Vec::with_capacity(buckets));
    let mut parts = Vec::with_capacity(per_bucket as usize);
    for b in 0..buckets as i64 {
        let lo = first + b * per_bucket;
        let range = lo.max(0) as usize..(lo + per_bucket).min(n) as usize;
        let volume: f64 = series.contacts[range.clone()].iter().sum();
        contacts.push(volume);
        parts.clear();
        parts.extend_from_slice(&series.status[range.clone()]);
        if range.len() < per_bucket as usize {
            parts.push(PointStatus::Closed);
        }
        status.push(bucket_status(&parts));
        if let (Some(out), Some(source)) = (aht.as_mut(), series.aht_seconds.as_ref()) {
            let (weighted, weight) = range
                .filter(|&i| source[i].is_finite())
                .fold((0.0, 0.0), |(s, w), i| {
                    (s + source[i] * series.contacts[i], w + series.contacts[i])
                });
            out.push(if weight > 0.0 {
                weighted / weight
            } else {
                f64::NAN
            });
        }
    }
    RegionSeries {
        region: series.region.clone(),
        group: series.group.clone(),
        start_minute,
        interval_minutes,
        contacts,
        aht_seconds: aht,
        status,
        source_rows: series.source_rows,
        dst_repeats_merged: series.dst_repeats_merged,
        outages: Vec::new(),
    }
}

/// Slots of the week (at the series' interval) that occur in the series and are closed every
/// time. A slot the series never reaches is not known to be closed.
fn closed_slots(series: &RegionSeries) -> Vec<bool> {
    let slots_per_week = (MINUTES_PER_WEEK / series.interval_minutes as i64) as usize;
    let first_slot = SlotOfWeek::of_minute(series.start_minute).index(series.interval_minutes);
    let mut seen = vec![false; slots_per_week];
    let mut open = vec![false; slots_per_week];
    for (i, &s) in series.status.iter().enumerate() {
        let slot = (first_slot + i) % slots_per_week;
        seen[slot] = true;
        open[slot] |= s != PointStatus::Closed;
    }
    seen.iter().zip(&open).map(|(&s, &o)| s && !o).collect()
}

fn bucket_status(parts: &[PointStatus]) -> PointStatus {
    if parts.iter().all(|s| s.is_closed()) {
        if parts.contains(&PointStatus::Holiday) {
            PointStatus::Holiday
        } else {
            PointStatus::Closed
        }
    } else if parts.contains(&PointStatus::Gap) {
        PointStatus::Gap
    } else if parts.contains(&PointStatus::Outage) {
        PointStatus::Outage
    } else if parts.contains(&PointStatus::DstSkipped) {
        PointStatus::DstSkipped
    } else {
        PointStatus::Observed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn series(start_minute: i64, interval: u32, contacts: Vec<f64>, aht: Vec<f64>) -> RegionSeries {
        let n = contacts.len();
        RegionSeries {
            region: "r".into(),
            group: None,
            start_minute,
            interval_minutes: interval,
            contacts,
            aht_seconds: Some(aht),
            status: vec![PointStatus::Observed; n],
            source_rows: n,
            dst_repeats_merged: 0,
            outages: Vec::new(),
        }
    }

    #[test]
    fn sums_counts_and_weights_aht_by_volume() {
        // Two 30-minute intervals: 10 contacts at 100 s and 30 at 200 s → 40 at 175 s.
        let s = series(0, 30, vec![10.0, 30.0], vec![100.0, 200.0]);
        let hourly = resample(&s, 60);
        assert_eq!(hourly.contacts, vec![40.0]);
        assert_eq!(hourly.aht_seconds.unwrap(), vec![175.0]);
        assert_eq!(hourly.interval_minutes, 60);
    }

    #[test]
    fn drops_partial_edge_buckets_and_aligns_to_the_hour() {
        // 15-minute data from 00:45 to 02:30: the 00:00 and 02:00 hours are incomplete.
        let s = series(45, 15, vec![1.0; 8], vec![f64::NAN; 8]);
        let hourly = resample(&s, 60);
        assert_eq!(hourly.start_minute, 60);
        assert_eq!(hourly.contacts, vec![4.0]);
        assert!(hourly.aht_seconds.unwrap()[0].is_nan());
    }

    #[test]
    fn bucket_is_closed_only_when_all_parts_are() {
        let mut s = series(0, 30, vec![0.0, 5.0, 0.0, 0.0], vec![f64::NAN; 4]);
        s.status = vec![
            PointStatus::Closed,
            PointStatus::Observed,
            PointStatus::Closed,
            PointStatus::Holiday,
        ];
        let hourly = resample(&s, 60);
        assert_eq!(
            hourly.status,
            vec![PointStatus::Observed, PointStatus::Holiday]
        );
    }

    proptest! {
        #[test]
        fn resampling_aligned_series_preserves_totals(
            values in proptest::collection::vec(0.0f64..500.0, 1..40),
            factor in 1u32..5,
        ) {
            // Whole days of 15-minute data aligned to midnight, resampled to 15·k minutes
            // where k divides 96 (15m → 15m, 30m, 45m is not allowed, 60m).
            let k = [1u32, 2, 4, 8][(factor as usize - 1) % 4];
            let n = 96 * values.len().div_ceil(4).max(1);
            let contacts: Vec<f64> = (0..n).map(|i| values[i % values.len()]).collect();
            let s = series(1_440 * 3, 15, contacts.clone(), vec![200.0; n]);
            let r = resample(&s, 15 * k);
            let before: f64 = contacts.iter().sum();
            let after: f64 = r.contacts.iter().sum();
            prop_assert!((before - after).abs() <= 1e-9 * before.max(1.0));
            prop_assert_eq!(r.len(), n / k as usize);
        }
    }
}
