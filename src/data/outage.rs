//! Feed and recording outages: runs of zero intervals that the same slots in neighbouring weeks
//! make implausible.
//!
//! A recording system that stops writes nothing, and a history file then reads as zero contacts
//! (an event log) or holds exact zeros (an interval export). Such runs are not demand: a forecast
//! that learns them under-forecasts those slots. The test is a Poisson one. Arrivals in an
//! interval are close to Poisson (Brown et al. 2005, JASA 100:36–50, for call centres), so with
//! expected counts λ_t the probability that a whole run of intervals holds no contact is
//! exp(−Σλ_t). When that is below one in a million (Σλ_t > ln 10⁶ ≈ 13.8) the zeros are called an
//! outage. λ_t comes from the same slot of the week in the 4 weeks before and in the 4 after,
//! summed over the run side by side and the lower side taken (an outage departs from both
//! sides, a change of opening hours only from one): robust to a single odd week (the highest and
//! lowest of four are dropped), and blind to the trend and to the yearly cycle, which move little
//! within a month. A sparse queue (0.3 contacts an
//! interval) needs about 46 zero intervals in a row to trip the test, which Poisson noise alone
//! almost never produces; a busy one (20 an interval) needs one.

use std::ops::Range;

use serde::Serialize;

use super::{Holidays, PointStatus, RegionSeries};
use crate::time::MINUTES_PER_WEEK;

/// Weeks before and after whose same slot gives an interval's expected count.
const NEIGHBOUR_WEEKS: usize = 4;
/// ln(10⁶): a run is an outage when exp(−Σλ) < 10⁻⁶, that is Σλ > ln(10⁶).
const OUTAGE_LOG_ODDS: f64 = 13.815_510_557_964_274;

/// A run of zero intervals that neighbouring weeks make implausible: a feed or recording outage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outage {
    /// Wall-clock minute of the start of the first zero interval.
    pub start_minute: i64,
    /// Wall-clock minute just after the last zero interval.
    pub end_minute: i64,
    /// Contacts the same slots of the neighbouring weeks lead one to expect over the run (Σλ_t,
    /// each λ_t the trimmed mean of both sides; the test itself takes the lower side).
    pub expected_contacts: f64,
}

/// The outages of one series on a regular grid (`contacts[i]` starts at
/// `start_minute + i × interval_minutes`).
///
/// A candidate is a maximal run of open intervals (not closed, holiday or DST-skipped) holding
/// exactly zero (observed zeros, and gaps filled with zero). Its expected count Σλ_t is the lower
/// of two sums over the run: of the mean of the same slot in up to 4 weeks before, and in up to 4
/// weeks after (observed points that are not themselves outages, without the highest and lowest
/// value of a side of 4; where a side has none, the trimmed mean of both sides, 0 with fewer
/// than 2 values). The run is an outage when exp(−Σλ_t) < 10⁻⁶.
///
/// ```
/// use wfm::data::{find_outages, PointStatus};
/// // Four weeks of hourly data with 20 contacts an hour, and 3 zero hours in the second week.
/// let mut contacts = vec![20.0; 4 * 168];
/// contacts[200..203].fill(0.0);
/// let status = vec![PointStatus::Observed; contacts.len()];
/// let outages = find_outages(&contacts, &status, 0, 60);
/// assert_eq!(outages.len(), 1);
/// assert_eq!((outages[0].start_minute, outages[0].end_minute), (200 * 60, 203 * 60));
/// assert_eq!(outages[0].expected_contacts, 60.0);
/// ```
pub fn find_outages(
    contacts: &[f64],
    status: &[PointStatus],
    start_minute: i64,
    interval_minutes: u32,
) -> Vec<Outage> {
    let runs = outage_runs(contacts, status, interval_minutes);
    let mut excluded = vec![false; contacts.len()];
    for run in &runs {
        excluded[run.clone()].fill(true);
    }
    let week = week_len(interval_minutes);
    let d = interval_minutes as i64;
    runs.into_iter()
        .map(|run| Outage {
            start_minute: start_minute + run.start as i64 * d,
            end_minute: start_minute + run.end as i64 * d,
            expected_contacts: run
                .map(|t| pooled_mean(contacts, status, &excluded, t, week))
                .sum(),
        })
        .collect()
}

/// Index ranges of the outages of a series (see [`find_outages`]).
///
/// Two passes: the first takes every observed neighbour, the second leaves out the neighbours
/// that the first found to be outages, so that two outages at the same time of the week do not
/// hide each other. Zeros that are not outages stay in: leaving out every zero would raise λ on a
/// sparse queue, where most zeros are real, and call its quiet spells outages.
pub(crate) fn outage_runs(
    contacts: &[f64],
    status: &[PointStatus],
    interval_minutes: u32,
) -> Vec<Range<usize>> {
    let week = week_len(interval_minutes);
    let runs = zero_runs(contacts, status);
    let mut excluded = vec![false; contacts.len()];
    let first: Vec<Range<usize>> = runs
        .iter()
        .filter(|run| {
            is_outage(expected_over(
                contacts,
                status,
                &excluded,
                (*run).clone(),
                week,
            ))
        })
        .cloned()
        .collect();
    if first.is_empty() {
        return first;
    }
    for run in &first {
        excluded[run.clone()].fill(true);
    }
    runs.into_iter()
        .filter(|run| {
            is_outage(expected_over(
                contacts,
                status,
                &excluded,
                run.clone(),
                week,
            ))
        })
        .collect()
}

fn is_outage(expected: f64) -> bool {
    expected > OUTAGE_LOG_ODDS
}

fn week_len(interval_minutes: u32) -> usize {
    (MINUTES_PER_WEEK / interval_minutes.max(1) as i64) as usize
}

/// Could this point be part of an outage: open and exactly zero?
fn is_zero(contacts: f64, status: PointStatus) -> bool {
    contacts == 0.0
        && matches!(
            status,
            PointStatus::Observed | PointStatus::Gap | PointStatus::Outage
        )
}

/// Maximal runs of open zero points.
fn zero_runs(contacts: &[f64], status: &[PointStatus]) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, (&c, &s)) in contacts.iter().zip(status).enumerate() {
        match (is_zero(c, s), start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                runs.push(from..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        runs.push(from..contacts.len());
    }
    runs
}

/// Σλ_t over a run: the lower of the run's expectation from the weeks before and from the weeks
/// after. An outage departs from both sides; a change of opening hours (a centre that closes its
/// Fridays at 14:00 from November on) only from one, and is not called an outage. Each side is
/// summed over the whole run before the two are compared, so that on a sparse queue the noise
/// of single intervals does not make the lower side always near zero. An interval with no value
/// on a side (the edges of the history, or neighbours that are outages themselves) counts with
/// the trimmed mean of all its neighbours on that side's sum.
fn expected_over(
    contacts: &[f64],
    status: &[PointStatus],
    excluded: &[bool],
    run: Range<usize>,
    week: usize,
) -> f64 {
    let (mut before_sum, mut after_sum) = (0.0, 0.0);
    for t in run {
        let before = side_mean(contacts, status, excluded, t, week, Side::Before);
        let after = side_mean(contacts, status, excluded, t, week, Side::After);
        let pooled = || pooled_mean(contacts, status, excluded, t, week);
        before_sum += before.unwrap_or_else(pooled);
        after_sum += after.unwrap_or_else(pooled);
    }
    before_sum.min(after_sum)
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Before,
    After,
}

/// The neighbour `k` weeks from `t` on one side, if it is inside the series.
fn neighbour(t: usize, k: usize, week: usize, side: Side, len: usize) -> Option<usize> {
    let offset = k * week;
    match side {
        Side::Before => t.checked_sub(offset),
        Side::After => Some(t + offset).filter(|&j| j < len),
    }
}

/// Mean of the same slot in up to 4 weeks on one side (observed, not outages), trimmed of its
/// highest and lowest value when it has 4; `None` when that side has no value.
fn side_mean(
    contacts: &[f64],
    status: &[PointStatus],
    excluded: &[bool],
    t: usize,
    week: usize,
    side: Side,
) -> Option<f64> {
    let mut stats = Stats::default();
    for k in 1..=NEIGHBOUR_WEEKS {
        if let Some(j) = neighbour(t, k, week, side, contacts.len()) {
            stats.take(contacts, status, excluded, j);
        }
    }
    (stats.count > 0).then(|| stats.trimmed_mean())
}

/// λ_t from both sides together: the trimmed mean of the same slot in up to 4 weeks either
/// side, 0 when fewer than 2 are known (no allocation: this runs for every zero of every
/// region).
fn pooled_mean(
    contacts: &[f64],
    status: &[PointStatus],
    excluded: &[bool],
    t: usize,
    week: usize,
) -> f64 {
    let mut stats = Stats::default();
    for k in 1..=NEIGHBOUR_WEEKS {
        for side in [Side::Before, Side::After] {
            if let Some(j) = neighbour(t, k, week, side, contacts.len()) {
                stats.take(contacts, status, excluded, j);
            }
        }
    }
    if stats.count < 2 {
        0.0
    } else {
        stats.trimmed_mean()
    }
}

/// Running sum, minimum and maximum of neighbour values.
struct Stats {
    sum: f64,
    low: f64,
    high: f64,
    count: usize,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            sum: 0.0,
            low: f64::INFINITY,
            high: f64::NEG_INFINITY,
            count: 0,
        }
    }
}

impl Stats {
    fn take(&mut self, contacts: &[f64], status: &[PointStatus], excluded: &[bool], j: usize) {
        if status[j] == PointStatus::Observed && !excluded[j] {
            let v = contacts[j];
            self.sum += v;
            self.low = self.low.min(v);
            self.high = self.high.max(v);
            self.count += 1;
        }
    }

    /// The mean, without the highest and lowest value when there are 4 or more.
    fn trimmed_mean(&self) -> f64 {
        if self.count >= 4 {
            (self.sum - self.low - self.high) / (self.count - 2) as f64
        } else {
            self.sum / self.count as f64
        }
    }
}

/// The statuses outage detection works on: the series' own, with the points of days in the
/// holidays file seen as holidays (zeros on a listed holiday are explained by it).
pub(crate) fn detection_status(
    series: &RegionSeries,
    holidays: Option<&Holidays>,
) -> Vec<PointStatus> {
    let mut status = series.status.clone();
    if let Some(holidays) = holidays {
        for (i, s) in status.iter_mut().enumerate() {
            if !s.is_closed() && holidays.covers_minute(series.minute(i)) {
                *s = PointStatus::Holiday;
            }
        }
    }
    status
}

/// Marks a region's outages: its own runs (indices) and the file-wide ones (wall-clock minute
/// ranges found on the sum of all regions), then lists them with the region's own expected
/// counts (computed on `detection_status`, without the outages as neighbours). Closed,
/// holiday and DST-skipped points inside a file-wide run stay as they are.
pub(crate) fn mark_outages(
    series: &mut RegionSeries,
    detection_status: &[PointStatus],
    own: &[Range<usize>],
    file_wide: &[Range<i64>],
) {
    for run in own {
        series.status[run.clone()].fill(PointStatus::Outage);
    }
    let d = series.interval_minutes as i64;
    let n = series.len() as i64;
    for minutes in file_wide {
        let from = ((minutes.start - series.start_minute) / d).clamp(0, n) as usize;
        let to = ((minutes.end - series.start_minute) / d).clamp(0, n) as usize;
        let points = series.status[from..to]
            .iter_mut()
            .zip(&series.contacts[from..to])
            .zip(&detection_status[from..to]);
        for ((status, &contacts), &seen) in points {
            if is_zero(contacts, seen) {
                *status = PointStatus::Outage;
            }
        }
    }
    series.outages = marked_outages(series, detection_status);
}

/// The maximal runs of `Outage` points, each with the region's Σλ_t (outages never count as a
/// neighbour). Closed and DST-skipped points between two outage points do not split the run: a
/// sparse region's never-busy slots inside a file-wide outage leave it one outage.
fn marked_outages(series: &RegionSeries, detection_status: &[PointStatus]) -> Vec<Outage> {
    let week = week_len(series.interval_minutes);
    let excluded: Vec<bool> = series
        .status
        .iter()
        .map(|&s| s == PointStatus::Outage)
        .collect();
    let mut outages = Vec::new();
    let mut i = 0;
    while i < series.len() {
        if series.status[i] != PointStatus::Outage {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        let mut expected = 0.0;
        while i < series.len() {
            if series.status[i] == PointStatus::Outage {
                expected += pooled_mean(&series.contacts, detection_status, &excluded, i, week);
                end = i + 1;
            } else if !(detection_status[i].is_closed()
                || detection_status[i] == PointStatus::DstSkipped)
            {
                break;
            }
            i += 1;
        }
        i = end;
        outages.push(Outage {
            start_minute: series.minute(start),
            end_minute: series.minute(end),
            expected_contacts: expected,
        });
    }
    outages
}

/// The sum of all regions on one grid from the earliest start to `end_minute`: the file's total,
/// on which a feed outage that hits every region at once shows even when each region is sparse.
/// A point is closed only where every region is closed (or has not started), DST-skipped where
/// any region is, and a gap where any open region's point is.
pub(crate) fn file_total(
    regions: &[RegionSeries],
    statuses: &[Vec<PointStatus>],
    end_minute: i64,
) -> (i64, Vec<f64>, Vec<PointStatus>) {
    let Some(start) = regions.iter().map(|r| r.start_minute).min() else {
        return (end_minute, Vec::new(), Vec::new());
    };
    let d = regions[0].interval_minutes as i64;
    let n = ((end_minute - start) / d).max(0) as usize;
    let mut contacts = vec![0.0; n];
    let mut status = vec![PointStatus::Closed; n];
    for (region, region_status) in regions.iter().zip(statuses) {
        let offset = ((region.start_minute - start) / d) as usize;
        for (i, (&c, &s)) in region.contacts.iter().zip(region_status).enumerate() {
            let Some(t) = (offset + i < n).then_some(offset + i) else {
                break;
            };
            contacts[t] += c;
            status[t] = combine(status[t], s);
        }
    }
    (start, contacts, status)
}

/// Status of a point of the total from the statuses of the regions' points.
fn combine(total: PointStatus, region: PointStatus) -> PointStatus {
    use PointStatus::*;
    let rank = |s: PointStatus| match s {
        Closed => 0,
        Holiday => 1,
        Observed => 2,
        Outage => 3,
        Gap => 4,
        DstSkipped => 5,
    };
    if rank(region) > rank(total) {
        region
    } else {
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Counts;
    use crate::time::{days_from_civil, MINUTES_PER_DAY};

    fn monday() -> i64 {
        days_from_civil(2024, 1, 1) * MINUTES_PER_DAY
    }

    #[test]
    fn zero_afternoon_in_busy_hours_is_one_outage() {
        // Nine weeks of 30-minute data, ~20 contacts an interval; Wednesday of week 5
        // 14:00–17:00 (6 intervals) holds zeros.
        let mut counts = Counts(11);
        let n = 9 * 336;
        let mut contacts: Vec<f64> = (0..n).map(|_| counts.poisson(20.0)).collect();
        let first = 4 * 336 + 2 * 48 + 28;
        contacts[first..first + 6].fill(0.0);
        let status = vec![PointStatus::Observed; n];
        let outages = find_outages(&contacts, &status, monday(), 30);
        assert_eq!(outages.len(), 1, "{outages:?}");
        let o = &outages[0];
        assert_eq!(o.start_minute, monday() + first as i64 * 30);
        assert_eq!(o.end_minute, o.start_minute + 180);
        // Independent: the trimmed means of the same slots, computed here directly.
        let expected: f64 = (first..first + 6)
            .map(|t| {
                let mut v: Vec<f64> = (1..=4)
                    .flat_map(|k| [t - k * 336, t + k * 336])
                    .map(|j| contacts[j])
                    .collect();
                v.sort_by(f64::total_cmp);
                v[1..7].iter().sum::<f64>() / 6.0
            })
            .sum();
        assert!((o.expected_contacts - expected).abs() < 1e-9);
        assert!((100.0..140.0).contains(&o.expected_contacts));
    }

    #[test]
    fn sparse_poisson_series_has_no_outage() {
        // A queue of 0.3 contacts per interval for two years of half-hours: long quiet spells
        // are common but explained by the neighbouring weeks.
        let mut counts = Counts(3);
        let n = 35_000;
        let contacts: Vec<f64> = (0..n).map(|_| counts.poisson(0.3)).collect();
        let status = vec![PointStatus::Observed; n];
        let outages = find_outages(&contacts, &status, monday(), 30);
        assert!(outages.is_empty(), "{:?}", &outages[..outages.len().min(3)]);
        // Whereas a zero run as long as a busy half-day stands out even here.
        let mut cut = contacts.clone();
        cut[20_000..20_200].fill(0.0);
        let outages = find_outages(&cut, &status, monday(), 30);
        assert_eq!(outages.len(), 1);
        assert!(outages[0].start_minute <= monday() + 20_000 * 30);
    }

    #[test]
    fn quiet_nights_are_not_outages() {
        // Hourly: 30 an hour by day, 0–1 at night (mostly 0) in every week; one night all zero.
        let n = 6 * 168;
        let contacts: Vec<f64> = (0..n)
            .map(|t| {
                let hour = t % 24;
                if (8..20).contains(&hour) {
                    30.0
                } else if t % 97 == 0 {
                    1.0
                } else {
                    0.0
                }
            })
            .collect();
        let status = vec![PointStatus::Observed; n];
        assert!(find_outages(&contacts, &status, monday(), 60).is_empty());
    }

    #[test]
    fn closed_holiday_and_dst_points_break_runs_and_are_never_outages() {
        let n = 6 * 168;
        let mut contacts = vec![10.0; n];
        let mut status = vec![PointStatus::Observed; n];
        // A holiday day of week 3: absent, so holiday with value 0.
        let day = 2 * 168 + 48;
        contacts[day..day + 24].fill(0.0);
        status[day..day + 24].fill(PointStatus::Holiday);
        // A DST-skipped hour between two single zeros: 10 expected each, below the threshold,
        // where three zeros in a row (30) would not be.
        let t = 3 * 168 + 2;
        contacts[t..t + 3].copy_from_slice(&[0.0, 0.0, 0.0]);
        status[t + 1] = PointStatus::DstSkipped;
        let outages = find_outages(&contacts, &status, monday(), 60);
        assert!(outages.is_empty(), "{outages:?}");
    }

    #[test]
    fn neighbouring_outages_do_not_hide_each_other() {
        // Four weeks of 10 an hour. Week 2 loses 14:00–17:00 and week 3 14:00–16:00. Among its
        // neighbours (weeks 1, 2, 4 → 10, 0, 10) week 3 expects only 2 × 6.7 = 13.3 at first;
        // with week 2's outage left out it expects 2 × 10 = 20 and is found too.
        let n = 4 * 168;
        let mut contacts = vec![10.0; n];
        contacts[168 + 14..168 + 17].fill(0.0);
        contacts[2 * 168 + 14..2 * 168 + 16].fill(0.0);
        let status = vec![PointStatus::Observed; n];
        let outages = find_outages(&contacts, &status, 0, 60);
        assert_eq!(outages.len(), 2, "{outages:?}");
        assert_eq!(outages[0].expected_contacts, 30.0);
        assert_eq!(outages[1].expected_contacts, 20.0);
    }

    #[test]
    fn file_total_is_closed_only_where_every_region_is() {
        let region = |start: i64, contacts: Vec<f64>, status: Vec<PointStatus>| RegionSeries {
            region: "r".into(),
            group: None,
            start_minute: start,
            interval_minutes: 60,
            contacts,
            aht_seconds: None,
            status,
            source_rows: 0,
            dst_repeats_merged: 0,
            outages: Vec::new(),
        };
        use PointStatus::*;
        let a = region(0, vec![1.0, 0.0, 2.0], vec![Observed, Closed, Observed]);
        let b = region(60, vec![0.0, 3.0], vec![Closed, Observed]);
        let statuses = [a.status.clone(), b.status.clone()];
        let (start, contacts, status) = file_total(&[a, b], &statuses, 180);
        assert_eq!(start, 0);
        assert_eq!(contacts, vec![1.0, 0.0, 5.0]);
        assert_eq!(status, vec![Observed, Closed, Observed]);
    }
}
