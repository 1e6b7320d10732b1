//! The day-of-month cycle. Bank, utility and billing contact centres get more contacts in the
//! days after paydays and statement runs and fewer late in the month; a weekly model averages
//! that cycle away and so over-forecasts the end of a month and under-forecasts its start.
//!
//! A `dom-` model divides each day of the history by the factor of its day of the month, fits
//! its base model to the adjusted series, and multiplies the base forecast by the factors of the
//! forecast days. The factors are a ratio-to-moving-average seasonal index, as in X-11 (Shiskin,
//! Young & Musgrave, 1967), with the weekly cycle taken out by comparing like weekdays only:
//!
//! 1. each day's volume is divided by a baseline, the mean of the same weekday up to
//!    [`BASELINE_WEEKS`] weeks before and after it (43 days, so a whole monthly cycle falls
//!    inside the baseline and averages out);
//! 2. per day of the month, the ratio of summed volume to summed baseline (volume-weighted, so
//!    quiet days do not add noise), smoothed 1-2-1 with the neighbouring days of the month
//!    (circularly: the 31st borders the 1st) and normalised to a mean of 1 over the history's
//!    days, so the level is left to the base model;
//! 3. repeated on the adjusted series ([`PASSES`] times), since the first baseline still holds
//!    part of the cycle;
//! 4. for the forecast, each factor is shrunk towards 1 by how many days it was seen.
//!
//! Whether a series has such a cycle is for the backtest to say: `auto` compares each `dom-`
//! model with its base on the history's own last months.

use chrono::Datelike;

use super::{BaseModel, FitError, Fitted, Training};
use crate::time;

/// Weeks of history a `dom-` model needs: about two months, so most days of the month are
/// seen twice.
pub(crate) const MIN_WEEKS: usize = 9;
/// Weeks either side of a day whose same weekday forms its baseline.
const BASELINE_WEEKS: usize = 3;
/// Estimation passes (the first baseline is on the unadjusted series).
const PASSES: usize = 3;
/// Days of prior weight at factor 1: a day of the month seen n times keeps n / (n + 3) of its
/// estimated effect.
const PRIOR_DAYS: f64 = 3.0;
/// Bounds on a factor, against one extreme day in a short history.
const FACTOR_RANGE: (f64, f64) = (0.25, 4.0);

/// Multipliers by day of the month (index 0 is the 1st), mean 1 over the history's days.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DayOfMonthFactors([f64; 31]);

impl DayOfMonthFactors {
    /// The factor of day number `day` (days since 1970-01-01).
    pub(crate) fn of_day(&self, day: i64) -> f64 {
        self.0[day_of_month_index(day)]
    }
}

/// 0 for the 1st of a month, 30 for the 31st.
fn day_of_month_index(day: i64) -> usize {
    time::date_from_day(day).day0() as usize
}

/// Estimates the factors from daily totals, `daily[0]` being day number `first_day`.
pub(crate) fn estimate(daily: &[f64], first_day: i64) -> DayOfMonthFactors {
    let day_of_month: Vec<usize> = (0..daily.len())
        .map(|i| day_of_month_index(first_day + i as i64))
        .collect();
    // The cycle is estimated unshrunk, so each pass's baseline is free of it; only the factors
    // handed to the forecast are shrunk.
    let mut cycle = [1.0; 31];
    let mut days_seen = [0usize; 31];
    let mut adjusted = daily.to_vec();
    for _ in 0..PASSES {
        for ((a, &v), &k) in adjusted.iter_mut().zip(daily).zip(&day_of_month) {
            *a = v / cycle[k];
        }
        let mut actual = [0.0; 31];
        let mut baseline = [0.0; 31];
        days_seen = [0; 31];
        for (i, &k) in day_of_month.iter().enumerate() {
            let Some(base) = weekday_baseline(&adjusted, i) else {
                continue;
            };
            actual[k] += daily[i];
            baseline[k] += base;
            days_seen[k] += 1;
        }
        let ratio: [f64; 31] = std::array::from_fn(|k| {
            if baseline[k] > 0.0 {
                actual[k] / baseline[k]
            } else {
                1.0
            }
        });
        cycle = std::array::from_fn(|k| {
            (ratio[(k + 30) % 31] + 2.0 * ratio[k] + ratio[(k + 1) % 31]) / 4.0
        });
        normalise(&mut cycle, &day_of_month);
    }
    let mut factors: [f64; 31] = std::array::from_fn(|k| {
        let seen = days_seen[k] as f64;
        1.0 + seen / (seen + PRIOR_DAYS) * (cycle[k] - 1.0)
    });
    normalise(&mut factors, &day_of_month);
    DayOfMonthFactors(factors)
}

/// Scales the factors to a mean of 1 over the history's days, within [`FACTOR_RANGE`].
fn normalise(factors: &mut [f64; 31], day_of_month: &[usize]) {
    let mean = day_of_month.iter().map(|&k| factors[k]).sum::<f64>() / day_of_month.len() as f64;
    if mean > 0.0 {
        for f in factors.iter_mut() {
            *f = (*f / mean).clamp(FACTOR_RANGE.0, FACTOR_RANGE.1);
        }
    }
}

/// Mean of the same weekday in the [`BASELINE_WEEKS`] weeks before and after day `i`, when at
/// least two of them are in the history and their mean is positive.
fn weekday_baseline(daily: &[f64], i: usize) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0usize);
    for k in 1..=BASELINE_WEEKS {
        if let Some(before) = i.checked_sub(7 * k) {
            sum += daily[before];
            n += 1;
        }
        if let Some(&after) = daily.get(i + 7 * k) {
            sum += after;
            n += 1;
        }
    }
    (n >= 2 && sum > 0.0).then(|| sum / n as f64)
}

/// A base model fitted on day-of-month adjusted data.
struct MonthAdjusted {
    base: Box<dyn Fitted>,
    factors: DayOfMonthFactors,
    /// Day number of the first forecast interval.
    first_forecast_day: i64,
    per_day: usize,
}

impl Fitted for MonthAdjusted {
    fn predict_point(&self, horizon: usize) -> Vec<f64> {
        let mut forecast = self.base.predict_point(horizon);
        for (d, day) in forecast.chunks_mut(self.per_day).enumerate() {
            let factor = self.factors.of_day(self.first_forecast_day + d as i64);
            for v in day {
                *v *= factor;
            }
        }
        forecast
    }
}

/// Fits `base` to the training data divided by its day-of-month factors.
pub(crate) fn fit(base: BaseModel, training: Training<'_>) -> Result<Box<dyn Fitted>, FitError> {
    let per_day = training.seasons.per_day;
    let factors = estimate(&training.daily_totals(), training.first_day);
    let mut adjusted = training.values.to_vec();
    for (d, day) in adjusted.chunks_mut(per_day).enumerate() {
        let factor = factors.of_day(training.first_day + d as i64);
        for v in day {
            *v /= factor;
        }
    }
    let fitted = base.fit(training.with_values(&adjusted))?;
    Ok(Box::new(MonthAdjusted {
        base: fitted,
        factors,
        first_forecast_day: training.first_day + training.days() as i64,
        per_day,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::{Averaging, Seasons};

    const MONDAY_2024_01_01: i64 = 19_723;

    /// A weekday pattern (closed Sundays) times a payday cycle: days 1–10 of the month at 1.3,
    /// the rest at 0.85 (before normalisation).
    fn payday(day: usize) -> f64 {
        let weekday = [100.0, 110.0, 105.0, 100.0, 90.0, 40.0, 0.0][day % 7];
        let dom = time::date_from_day(MONDAY_2024_01_01 + day as i64).day();
        weekday * if dom <= 10 { 1.3 } else { 0.85 }
    }

    #[test]
    fn recovers_a_payday_cycle() {
        // Independently: over 2024 the share of days 1–10 is 120/366, so the mean factor is
        // (120·1.3 + 246·0.85)/366 ≈ 0.9975 and the normalised levels are ≈ 1.303 and 0.852.
        // Each day of the month is seen 11–12 times, so the shrinkage keeps n/(n+3) ≈ 0.79 of
        // the effect: ≈ 1.24 and 0.88.
        let daily: Vec<f64> = (0..366).map(payday).collect();
        let factors = estimate(&daily, MONDAY_2024_01_01);
        let keep = 11.5 / (11.5 + PRIOR_DAYS);
        let (high, low) = (1.0 + keep * 0.303, 1.0 - keep * 0.148);
        // Away from the edges of the cycle, where the 1-2-1 smoothing blends the two levels.
        for dom in [3, 5, 8] {
            let f = factors.0[dom - 1];
            assert!((f - high).abs() < 0.03, "day {dom}: {f}, expected {high}");
        }
        for dom in [14, 20, 25] {
            let f = factors.0[dom - 1];
            assert!((f - low).abs() < 0.03, "day {dom}: {f}, expected {low}");
        }
    }

    #[test]
    fn a_series_without_a_monthly_cycle_keeps_factors_near_one() {
        // Weekly pattern and a deterministic wobble that is not tied to the month.
        let daily: Vec<f64> = (0..300)
            .map(|d| {
                [100.0, 110.0, 105.0, 100.0, 90.0, 40.0, 5.0][d % 7]
                    * (1.0 + 0.05 * ((d as f64) * 0.9).sin())
            })
            .collect();
        let factors = estimate(&daily, MONDAY_2024_01_01);
        for (k, f) in factors.0.iter().enumerate() {
            assert!((f - 1.0).abs() < 0.03, "day {}: {f}", k + 1);
        }
    }

    #[test]
    fn short_or_empty_history_gives_finite_factors() {
        for len in [0, 1, 10, 30] {
            let daily = vec![0.0; len];
            let factors = estimate(&daily, MONDAY_2024_01_01);
            assert!(factors.0.iter().all(|f| f.is_finite() && *f > 0.0), "{len}");
        }
    }

    #[test]
    fn adjusted_seasonal_average_forecasts_the_cycle() {
        // Hourly-free toy: one interval per day. Train on 40 weeks, forecast the next 28 days.
        let seasons = Seasons {
            per_day: 1,
            per_week: 7,
        };
        let values: Vec<f64> = (0..280).map(payday).collect();
        let training = Training::new(&values, seasons).starting_on(MONDAY_2024_01_01);
        let base = BaseModel::average(4, Averaging::Mean);
        let actual: Vec<f64> = (280..308).map(payday).collect();
        let wape = |forecast: Vec<f64>| {
            let err: f64 = forecast
                .iter()
                .zip(&actual)
                .map(|(f, a)| (f - a).abs())
                .sum();
            err / actual.iter().sum::<f64>()
        };
        let plain = wape(base.fit(training).unwrap().predict_point(28));
        let adjusted = wape(fit(base, training).unwrap().predict_point(28));
        assert!(plain > 0.10, "the plain average misses the cycle: {plain}");
        assert!(
            adjusted < plain / 2.0,
            "the adjusted one follows it: {adjusted}"
        );
    }
}
