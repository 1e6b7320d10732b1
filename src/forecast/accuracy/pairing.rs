//! Forecast and actual rows paired by (timestamp, region), totalled by period, and scored.

use super::*;

/// Aligned pairs of one region.
pub(super) struct Pairs {
    pub(super) minutes: Vec<i64>,
    pub(super) actual: Vec<f64>,
    pub(super) forecast: Vec<f64>,
    pub(super) lower: Vec<f64>,
    pub(super) upper: Vec<f64>,
}

impl Pairs {
    /// Forecast row `k` of `f` against `actual`.
    fn push(&mut self, f: &RegionForecast, k: usize, actual: f64) {
        self.minutes.push(f.minutes[k]);
        self.actual.push(actual);
        self.forecast.push(f.point[k]);
        self.lower.push(f.lower[k]);
        self.upper.push(f.upper[k]);
    }
}

pub(super) fn pair_up(
    f: &RegionForecast,
    actual: Option<&RegionSeries>,
    missing_actuals: &mut Unmatched,
    missing_forecasts: &mut Unmatched,
) -> Pairs {
    let mut pairs = Pairs {
        minutes: Vec::new(),
        actual: Vec::new(),
        forecast: Vec::new(),
        lower: Vec::new(),
        upper: Vec::new(),
    };
    let Some(a) = actual else {
        for &m in &f.minutes {
            missing_actuals.add(m, &f.region);
        }
        return pairs;
    };
    let d = a.interval_minutes as i64;
    let mut matched = vec![false; a.len()];
    // Slots of the week the actuals never have open: past either end of the actuals, such a
    // slot is closed as it is inside them (a real zero), not a missing actual.
    let per_week = (crate::time::MINUTES_PER_WEEK / d) as usize;
    let slot = |minute: i64| crate::time::SlotOfWeek::of_minute(minute).index(a.interval_minutes);
    let mut open_slot = vec![false; per_week];
    for i in 0..a.len() {
        if !a.status[i].is_closed() {
            open_slot[slot(a.minute(i))] = true;
        }
    }
    for (k, &m) in f.minutes.iter().enumerate() {
        let offset = m - a.start_minute;
        let index = (offset >= 0 && offset % d == 0 && ((offset / d) as usize) < a.len())
            .then(|| (offset / d) as usize);
        // Closed slots and closed holidays are real zeros; filled gaps and outages are not
        // actuals.
        match index.filter(|&i| {
            !matches!(
                a.status[i],
                PointStatus::Gap | PointStatus::DstSkipped | PointStatus::Outage
            )
        }) {
            Some(i) => {
                matched[i] = true;
                pairs.push(f, k, a.contacts[i]);
            }
            None if index.is_none() && !open_slot[slot(m)] => pairs.push(f, k, 0.0),
            None => missing_actuals.add(m, &f.region),
        }
    }
    for (i, &was_matched) in matched.iter().enumerate() {
        if !was_matched && a.status[i] == PointStatus::Observed {
            missing_forecasts.add(a.minute(i), &a.region);
        }
    }
    pairs
}

/// Sums values by period; `minutes` are sorted.
pub(super) fn by_period(minutes: &[i64], values: &[f64], level: Level) -> Vec<f64> {
    let mut totals: Vec<f64> = Vec::new();
    let mut last = None;
    for (&m, &v) in minutes.iter().zip(values) {
        let p = level.period(m);
        if last == Some(p) {
            if let Some(t) = totals.last_mut() {
                *t += v;
            }
        } else {
            totals.push(v);
            last = Some(p);
        }
    }
    totals
}

pub(super) fn aggregate_history(series: &RegionSeries, level: Level) -> Vec<f64> {
    let minutes: Vec<i64> = (0..series.len()).map(|i| series.minute(i)).collect();
    by_period(&minutes, &series.contacts, level)
}

pub(super) fn score_pairs(
    region: &str,
    pairs: &Pairs,
    level: Level,
    history: Option<&[f64]>,
    interval_minutes: u32,
) -> AccuracyRow {
    let actual = by_period(&pairs.minutes, &pairs.actual, level);
    let forecast = by_period(&pairs.minutes, &pairs.forecast, level);
    let wape = metrics::wape(&actual, &forecast);
    AccuracyRow {
        region: region.to_string(),
        level,
        periods: actual.len(),
        actual_total: actual.iter().sum(),
        forecast_total: forecast.iter().sum(),
        accuracy: 1.0 - wape,
        wape,
        mape: metrics::mape(&actual, &forecast),
        smape: metrics::smape(&actual, &forecast),
        mase: history.map_or(f64::NAN, |h| {
            let scale = seasonal_naive_mae(h, level.naive_lag(interval_minutes));
            let mae = actual
                .iter()
                .zip(&forecast)
                .map(|(y, f)| (y - f).abs())
                .sum::<f64>()
                / actual.len().max(1) as f64;
            if scale > 0.0 && !actual.is_empty() {
                mae / scale
            } else {
                f64::NAN
            }
        }),
        bias: metrics::bias(&actual, &forecast),
        coverage: metrics::coverage(&pairs.actual, &pairs.lower, &pairs.upper),
    }
}

/// All regions together: WAPE, bias and coverage pooled over every period; MAPE, sMAPE and
/// MASE as means of the regions weighted by their actual volume.
pub(super) fn overall(regions: &[(AccuracyRow, Pairs)], level: Level) -> AccuracyRow {
    let mut abs_error = 0.0;
    let mut error = 0.0;
    let (mut actual_total, mut forecast_total) = (0.0, 0.0);
    let mut periods = 0;
    let (mut inside, mut banded) = (0usize, 0usize);
    for (row, pairs) in regions {
        let actual = by_period(&pairs.minutes, &pairs.actual, level);
        let forecast = by_period(&pairs.minutes, &pairs.forecast, level);
        for (y, f) in actual.iter().zip(&forecast) {
            abs_error += (y - f).abs();
            error += f - y;
        }
        actual_total += row.actual_total;
        forecast_total += row.forecast_total;
        periods += row.periods;
        if row.coverage.is_finite() {
            let n = pairs.lower.iter().filter(|l| l.is_finite()).count();
            inside += (row.coverage * n as f64).round() as usize;
            banded += n;
        }
    }
    let weighted = |metric: fn(&AccuracyRow) -> f64| {
        let (sum, weight) = regions
            .iter()
            .map(|(r, _)| (metric(r), r.actual_total))
            .filter(|(v, w)| v.is_finite() && *w > 0.0)
            .fold((0.0, 0.0), |(s, t), (v, w)| (s + v * w, t + w));
        if weight > 0.0 {
            sum / weight
        } else {
            f64::NAN
        }
    };
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    let wape = ratio(abs_error, actual_total);
    AccuracyRow {
        region: "all regions".into(),
        level,
        periods,
        actual_total,
        forecast_total,
        accuracy: 1.0 - wape,
        wape,
        mape: weighted(|r| r.mape),
        smape: weighted(|r| r.smape),
        mase: weighted(|r| r.mase),
        bias: ratio(error, actual_total),
        coverage: if banded > 0 {
            inside as f64 / banded as f64
        } else {
            f64::NAN
        },
    }
}
