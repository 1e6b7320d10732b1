//! An MSTL-style decomposition (Bandara, Hyndman & Bergmeir, 2021): the series is split into a
//! trend, a daily and a weekly seasonal component by repeated moving averages and per-phase
//! averaging, each seasonal component estimated on the series with the others removed. The
//! forecast adds the last seasonal cycles to the trend's level over the last week.
//!
//! Simpler than STL's LOESS smoothers: seasonal components average each phase over the recent
//! cycles (`DAY_CYCLES` days, `WEEK_CYCLES` weeks), which suits a month-ahead forecast.

use super::{Fitted, Training};

use super::model::{Estimate, ModelInfo};

/// `mstl`.
pub(crate) static MODEL: ModelInfo = ModelInfo {
    name: "mstl",
    summary: "MSTL-style decomposition into trend, daily and weekly seasonal parts",
    default_weeks: None,
    min_weeks: |_| 3,
    fit: |training, _| Ok(Box::new(fit(training))),
    estimates: Estimate::Mean,
    needs_group: false,
};

const ITERATIONS: usize = 2;
const DAY_CYCLES: usize = 28;
const WEEK_CYCLES: usize = 8;

pub(crate) struct Mstl {
    level: f64,
    day: Vec<f64>,
    week: Vec<f64>,
    next: usize,
}

/// Centred moving average of width `m` (even widths use the 2×m form); the ends repeat the
/// nearest full average.
fn centred_moving_average(values: &[f64], m: usize) -> Vec<f64> {
    let n = values.len();
    if n < m + 1 {
        let mean = values.iter().sum::<f64>() / n.max(1) as f64;
        return vec![mean; n];
    }
    let mut prefix = vec![0.0; n + 1];
    for (i, v) in values.iter().enumerate() {
        prefix[i + 1] = prefix[i] + v;
    }
    let window = |start: usize, len: usize| (prefix[start + len] - prefix[start]) / len as f64;
    let half = m / 2;
    let mut out = vec![0.0; n];
    for (t, o) in out.iter_mut().enumerate().take(n - half).skip(half) {
        *o = if m % 2 == 1 {
            window(t - half, m)
        } else {
            // Average of the two windows of m that straddle t.
            (window(t - half, m) + window(t + 1 - half, m)) / 2.0
        };
    }
    let (first, last) = (out[half], out[n - half - 1]);
    out[..half].fill(first);
    out[n - half..].fill(last);
    out
}

/// Mean of each phase over the last `cycles` cycles of `values` (which start at phase 0),
/// centred to sum to zero over a cycle.
fn phase_means(values: &[f64], m: usize, cycles: usize) -> Vec<f64> {
    let n = values.len();
    let start = n.saturating_sub(cycles * m) / m * m;
    let mut sums = vec![0.0; m];
    let mut counts = vec![0usize; m];
    for (t, v) in values.iter().enumerate().skip(start) {
        sums[t % m] += v;
        counts[t % m] += 1;
    }
    let mut means: Vec<f64> = sums
        .iter()
        .zip(&counts)
        .map(|(s, &c)| if c > 0 { s / c as f64 } else { 0.0 })
        .collect();
    let centre = means.iter().sum::<f64>() / m as f64;
    means.iter_mut().for_each(|v| *v -= centre);
    means
}

pub(crate) fn fit(training: Training<'_>) -> Mstl {
    let Training {
        values, seasons, ..
    } = training;
    let n = values.len();
    let mut day = vec![0.0; seasons.per_day];
    let mut week = vec![0.0; seasons.per_week];
    let mut deseasoned = values.to_vec();
    for _ in 0..ITERATIONS {
        // Daily component on the series without the weekly one, then weekly without the daily.
        let without_week: Vec<f64> = (0..n)
            .map(|t| values[t] - week[t % seasons.per_week])
            .collect();
        let trend = centred_moving_average(&without_week, seasons.per_day);
        let detrended: Vec<f64> = (0..n).map(|t| without_week[t] - trend[t]).collect();
        day = phase_means(&detrended, seasons.per_day, DAY_CYCLES);

        let without_day: Vec<f64> = (0..n)
            .map(|t| values[t] - day[t % seasons.per_day])
            .collect();
        let trend = centred_moving_average(&without_day, seasons.per_week);
        let detrended: Vec<f64> = (0..n).map(|t| without_day[t] - trend[t]).collect();
        week = phase_means(&detrended, seasons.per_week, WEEK_CYCLES);
        deseasoned = (0..n)
            .map(|t| values[t] - day[t % seasons.per_day] - week[t % seasons.per_week])
            .collect();
    }
    // The trend's level: the deseasonalised mean of the last week (no slope: month-ahead
    // extrapolation of a slope does more harm than good in contact volumes).
    let last_week = &deseasoned[n.saturating_sub(seasons.per_week)..];
    Mstl {
        level: last_week.iter().sum::<f64>() / last_week.len().max(1) as f64,
        day,
        week,
        next: n,
    }
}

impl Fitted for Mstl {
    fn predict_point(&self, horizon: usize) -> Vec<f64> {
        (0..horizon)
            .map(|h| {
                let t = self.next + h;
                self.level + self.day[t % self.day.len()] + self.week[t % self.week.len()]
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::Seasons;

    #[test]
    fn decomposes_a_two_season_series() {
        let seasons = Seasons {
            per_day: 4,
            per_week: 28,
        };
        let shape = [0.0, 10.0, 20.0, 6.0];
        let weekday = [3.0, 3.0, 3.0, 3.0, 0.0, -6.0, -6.0];
        let value = |t: usize| 50.0 + shape[t % 4] + weekday[(t / 4) % 7];
        let values: Vec<f64> = (0..28 * 10).map(value).collect();
        let forecast = fit(Training::new(&values, seasons)).predict_point(28);
        for (h, f) in forecast.iter().enumerate() {
            assert!(
                (f - value(280 + h)).abs() < 0.5,
                "{h}: {f} vs {}",
                value(280 + h)
            );
        }
    }

    #[test]
    fn moving_average_of_a_line_is_the_line() {
        let line: Vec<f64> = (0..20).map(|t| t as f64).collect();
        let smooth = centred_moving_average(&line, 4);
        for (t, value) in smooth.iter().enumerate().take(18).skip(2) {
            assert!((value - t as f64).abs() < 1e-9);
        }
    }
}
