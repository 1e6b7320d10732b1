//! The profile of a region's history that `wfm inspect` shows: coverage, closed slots, gaps,
//! totals, the weekday × hour profile and unusual days.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::{Holidays, PointStatus, RegionSeries};
use crate::time::{self, MINUTES_PER_DAY};

/// A robust z-score above this marks an outlier day (Iglewicz & Hoaglin, 1993: |M| > 3.5).
const OUTLIER_Z: f64 = 3.5;
/// 0.6745 = Φ⁻¹(0.75): makes the MAD consistent with the standard deviation of a normal.
const MAD_TO_SIGMA: f64 = 0.6745;

#[derive(Debug, Clone, Serialize)]
pub struct Peak {
    pub timestamp: NaiveDateTime,
    pub contacts: f64,
}

/// A day whose total is far from the usual total of its weekday.
#[derive(Debug, Clone, Serialize)]
pub struct OutlierDay {
    pub date: NaiveDate,
    pub weekday: &'static str,
    pub contacts: f64,
    /// Median total of the same weekday.
    pub typical_contacts: f64,
    pub robust_z: f64,
    /// Name from the holidays file, when the day is listed there.
    pub holiday: Option<String>,
}

/// A feed or recording outage as `wfm inspect` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct OutagePeriod {
    /// Start of the first zero interval.
    pub start: NaiveDateTime,
    /// End of the last zero interval.
    pub end: NaiveDateTime,
    /// Contacts the same slots of the neighbouring weeks lead one to expect over the period.
    pub expected_contacts: f64,
}

/// Summary of one region's history.
#[derive(Debug, Clone, Serialize)]
pub struct RegionProfile {
    pub region: String,
    pub first: NaiveDateTime,
    pub last: NaiveDateTime,
    pub interval_minutes: u32,
    pub source_rows: usize,
    pub intervals: usize,
    /// Slots of the week (weekday × time of day) never seen in the history: closed.
    pub closed_slots: usize,
    pub slots_per_week: usize,
    pub closed_intervals: usize,
    pub holiday_intervals: usize,
    /// Missing intervals inside the covered period (filled as `--missing` said).
    pub gap_intervals: usize,
    pub dst_skipped_intervals: usize,
    pub dst_repeats_merged: usize,
    /// Open, observed intervals with no contacts (outages not included).
    pub zero_intervals: usize,
    /// Intervals inside feed / recording outages.
    pub outage_intervals: usize,
    /// Feed / recording outages, in time order.
    pub outages: Vec<OutagePeriod>,
    pub total_contacts: f64,
    pub days: usize,
    pub mean_contacts_per_day: f64,
    pub peak: Option<Peak>,
    /// Monday first.
    pub weekday_totals: [f64; 7],
    /// Number of each weekday in the covered period.
    pub weekday_days: [usize; 7],
    /// Mean contacts per hour, `[weekday][hour]`, Monday first.
    pub hourly_profile: [[f64; 24]; 7],
    /// Volume-weighted mean handle time, when the history has AHT.
    pub aht_seconds: Option<f64>,
    pub outlier_days: Vec<OutlierDay>,
}

/// Profiles one region; `holidays` only names outlier days.
pub fn profile_region(series: &RegionSeries, holidays: Option<&Holidays>) -> RegionProfile {
    let n = series.len();
    let d = series.interval_minutes as i64;
    let slots_per_week = (time::MINUTES_PER_WEEK / d) as usize;
    let mut open_slots = vec![false; slots_per_week];
    let mut closed_slots = vec![false; slots_per_week];
    let mut weekday_totals = [0.0; 7];
    let mut hourly_sum = [[0.0; 24]; 7];
    let mut hourly_days = [[0usize; 24]; 7];
    let mut hourly_last_day = [[i64::MIN; 24]; 7];
    let mut peak: Option<Peak> = None;
    let mut zero_intervals = 0;
    let (mut aht_weighted, mut aht_weight) = (0.0, 0.0);

    // The slot, weekday, time of day and day of point `i`, stepped along with it rather than
    // divided out of its minute at every point.
    let first = series.slot(0);
    let mut slot_index = first.index(series.interval_minutes);
    let mut weekday = first.weekday as usize;
    let mut minute_of_day = first.minute_of_day as i64;
    let mut day = time::day_of_minute(series.start_minute);
    for i in 0..n {
        let status = series.status[i];
        let c = series.contacts[i];
        match status {
            PointStatus::Closed => {
                closed_slots[slot_index] = true;
            }
            PointStatus::Observed => {
                open_slots[slot_index] = true;
                if c == 0.0 {
                    zero_intervals += 1;
                }
            }
            _ => {}
        }
        let (w, h) = (weekday, (minute_of_day / 60) as usize);
        weekday_totals[w] += c;
        hourly_sum[w][h] += c;
        if hourly_last_day[w][h] != day {
            hourly_last_day[w][h] = day;
            hourly_days[w][h] += 1;
        }
        if peak.as_ref().is_none_or(|p| c > p.contacts) {
            peak = Some(Peak {
                timestamp: series.timestamp(i),
                contacts: c,
            });
        }
        if let Some(aht) = series.aht_seconds.as_ref().map(|a| a[i]) {
            if aht.is_finite() {
                aht_weighted += aht * c;
                aht_weight += c;
            }
        }
        slot_index += 1;
        if slot_index == slots_per_week {
            slot_index = 0;
        }
        minute_of_day += d;
        if minute_of_day >= MINUTES_PER_DAY {
            minute_of_day -= MINUTES_PER_DAY;
            weekday = (weekday + 1) % 7;
            day += 1;
        }
    }

    let total: f64 = series.contacts.iter().sum();
    let (first_day, last_day) = if n == 0 {
        (0, -1)
    } else {
        (
            time::day_of_minute(series.start_minute),
            time::day_of_minute(series.minute(n - 1)),
        )
    };
    let days = (last_day - first_day + 1).max(0) as usize;
    let mut weekday_days = [0usize; 7];
    for day in first_day..=last_day {
        weekday_days[time::weekday_of_minute(day * MINUTES_PER_DAY)] += 1;
    }
    let mut hourly_profile = [[0.0; 24]; 7];
    for w in 0..7 {
        for h in 0..24 {
            if hourly_days[w][h] > 0 {
                hourly_profile[w][h] = hourly_sum[w][h] / hourly_days[w][h] as f64;
            }
        }
    }

    RegionProfile {
        region: series.region.clone(),
        first: series.timestamp(0),
        last: series.timestamp(n.saturating_sub(1)),
        interval_minutes: series.interval_minutes,
        source_rows: series.source_rows,
        intervals: n,
        closed_slots: closed_slots.iter().filter(|&&closed| closed).count(),
        slots_per_week,
        closed_intervals: series.count(PointStatus::Closed),
        holiday_intervals: series.count(PointStatus::Holiday),
        gap_intervals: series.count(PointStatus::Gap),
        dst_skipped_intervals: series.count(PointStatus::DstSkipped),
        dst_repeats_merged: series.dst_repeats_merged,
        zero_intervals,
        outage_intervals: series.count(PointStatus::Outage),
        outages: series
            .outages
            .iter()
            .map(|o| OutagePeriod {
                start: time::naive_from_minutes(o.start_minute),
                end: time::naive_from_minutes(o.end_minute),
                expected_contacts: o.expected_contacts,
            })
            .collect(),
        total_contacts: total,
        days,
        mean_contacts_per_day: if days > 0 { total / days as f64 } else { 0.0 },
        peak,
        weekday_totals,
        weekday_days,
        hourly_profile,
        aht_seconds: (aht_weight > 0.0).then(|| aht_weighted / aht_weight),
        outlier_days: outlier_days(series, &open_slots, holidays),
    }
}

/// Totals of whole days, flagged when far from the median of their weekday (robust z-score on
/// the median absolute deviation, so the outliers themselves do not hide each other).
fn outlier_days(
    series: &RegionSeries,
    open_slots: &[bool],
    holidays: Option<&Holidays>,
) -> Vec<OutlierDay> {
    let daily = whole_day_totals(series, open_slots);
    let mut outliers = Vec::new();
    for weekday in 0..7 {
        let totals: Vec<(i64, f64)> = daily
            .iter()
            .copied()
            .filter(|&(day, _)| time::weekday_of_minute(day * MINUTES_PER_DAY) == weekday)
            .collect();
        if totals.len() < 3 {
            continue;
        }
        let median_total = median(totals.iter().map(|t| t.1).collect());
        let mad = median(totals.iter().map(|t| (t.1 - median_total).abs()).collect());
        for &(day, total) in &totals {
            let z = if mad > 0.0 {
                MAD_TO_SIGMA * (total - median_total) / mad
            } else if median_total > 0.0 && (total - median_total).abs() > 0.5 * median_total {
                // Every other such day is identical: any large departure stands out.
                f64::INFINITY.copysign(total - median_total)
            } else {
                0.0
            };
            if z.abs() > OUTLIER_Z {
                outliers.push(OutlierDay {
                    date: time::date_from_day(day),
                    weekday: time::WEEKDAY_NAMES[weekday],
                    contacts: total,
                    typical_contacts: median_total,
                    robust_z: if z.is_finite() {
                        z
                    } else {
                        99.0_f64.copysign(z)
                    },
                    holiday: holidays.and_then(|h| h.on_day(day)).map(|d| d.name.clone()),
                });
            }
        }
    }
    outliers.sort_by_key(|o| o.date);
    outliers
}

/// `(day, total)` of every day the series covers in full (a first or last day cut short only in
/// closed slots still counts as whole).
fn whole_day_totals(series: &RegionSeries, open_slots: &[bool]) -> Vec<(i64, f64)> {
    let mut totals: Vec<(i64, f64)> = Vec::new();
    for (i, &c) in series.contacts.iter().enumerate() {
        let day = time::day_of_minute(series.minute(i));
        match totals.last_mut() {
            Some((d, t)) if *d == day => *t += c,
            _ => totals.push((day, c)),
        }
    }
    let d = series.interval_minutes as i64;
    let opens_between = |from: i64, to: i64| {
        (from..to)
            .step_by(d as usize)
            .any(|m| open_slots[time::SlotOfWeek::of_minute(m).index(series.interval_minutes)])
    };
    if let (Some(&(first, _)), false) = (totals.first(), series.is_empty()) {
        if opens_between(first * MINUTES_PER_DAY, series.start_minute) {
            totals.remove(0);
        }
    }
    if let Some(&(last, _)) = totals.last() {
        let end = series.minute(series.len().saturating_sub(1)) + d;
        if opens_between(end, (last + 1) * MINUTES_PER_DAY) {
            totals.pop();
        }
    }
    totals
}

fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// Profiles every region of `history` (in parallel), in its order.
pub fn profile_history(
    history: &super::History,
    holidays: Option<&super::Holidays>,
) -> Vec<RegionProfile> {
    use rayon::prelude::*;
    history
        .regions
        .par_iter()
        .map(|series| profile_region(series, holidays))
        .collect()
}
