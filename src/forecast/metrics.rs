//! Forecast accuracy metrics. Every function skips pairs where either side is NaN (closed or
//! unknown intervals), so callers pass whole aligned vectors.
//!
//! Definitions (also in the README):
//! - WAPE = Σ|y − ŷ| / Σy; accuracy = 1 − WAPE.
//! - MAPE = mean(|y − ŷ| / y) over y > 0 only.
//! - sMAPE = mean(2|y − ŷ| / (|y| + |ŷ|)), pairs with y = ŷ = 0 count as 0.
//! - MASE = mean|y − ŷ| / mean|y_t − y_{t−m}| (in-sample seasonal naive, m = one week).
//! - RMSSE = √(mean (y − ŷ)² / mean (y_t − y_{t−m})²) (in-sample seasonal naive, m = one
//!   week), the squared sibling of MASE used by the M5 competition. Its optimum is the mean,
//!   which is what Erlang's arrival rate needs, so `auto` chooses by it.
//! - bias = Σ(ŷ − y) / Σy (positive = over-forecast).
//! - coverage = share of actuals inside [lower, upper].

use serde::Serialize;

fn pairs<'a>(actual: &'a [f64], forecast: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + 'a {
    actual
        .iter()
        .zip(forecast)
        .map(|(&y, &f)| (y, f))
        .filter(|(y, f)| y.is_finite() && f.is_finite())
}

/// Weighted absolute percentage error Σ|y − ŷ| / Σy; NaN when Σy = 0.
pub fn wape(actual: &[f64], forecast: &[f64]) -> f64 {
    let (abs_error, total) =
        pairs(actual, forecast).fold((0.0, 0.0), |(e, t), (y, f)| (e + (y - f).abs(), t + y));
    if total > 0.0 {
        abs_error / total
    } else {
        f64::NAN
    }
}

/// Mean absolute percentage error over non-zero actuals; NaN when there are none.
pub fn mape(actual: &[f64], forecast: &[f64]) -> f64 {
    let (sum, n) = pairs(actual, forecast)
        .filter(|(y, _)| *y != 0.0)
        .fold((0.0, 0usize), |(s, n), (y, f)| {
            (s + ((y - f) / y).abs(), n + 1)
        });
    if n > 0 {
        sum / n as f64
    } else {
        f64::NAN
    }
}

/// Symmetric MAPE, 2|y − ŷ| / (|y| + |ŷ|) averaged; 0/0 pairs count as perfect.
pub fn smape(actual: &[f64], forecast: &[f64]) -> f64 {
    let (sum, n) = pairs(actual, forecast).fold((0.0, 0usize), |(s, n), (y, f)| {
        let denominator = y.abs() + f.abs();
        let term = if denominator > 0.0 {
            2.0 * (y - f).abs() / denominator
        } else {
            0.0
        };
        (s + term, n + 1)
    });
    if n > 0 {
        sum / n as f64
    } else {
        f64::NAN
    }
}

/// Mean absolute scaled error: MAE of the forecast over the in-sample MAE of the seasonal naive
/// forecast with lag `season` on `history`; NaN when the scale is 0 or cannot be computed.
pub fn mase(actual: &[f64], forecast: &[f64], history: &[f64], season: usize) -> f64 {
    let scale = seasonal_naive_mae(history, season);
    let (sum, n) =
        pairs(actual, forecast).fold((0.0, 0usize), |(s, n), (y, f)| (s + (y - f).abs(), n + 1));
    if n == 0 || scale.is_nan() || scale <= 0.0 {
        return f64::NAN;
    }
    sum / n as f64 / scale
}

/// Mean |y_t − y_{t−season}| over the history.
pub fn seasonal_naive_mae(history: &[f64], season: usize) -> f64 {
    seasonal_naive_loss(history, season, f64::abs)
}

/// Mean of `loss(y_t − y_{t−season})` over the history's finite pairs; NaN without any.
fn seasonal_naive_loss(history: &[f64], season: usize, loss: impl Fn(f64) -> f64) -> f64 {
    if season == 0 || history.len() <= season {
        return f64::NAN;
    }
    let (sum, n) = history[season..]
        .iter()
        .zip(history)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .fold((0.0, 0usize), |(s, n), (a, b)| (s + loss(a - b), n + 1));
    if n > 0 {
        sum / n as f64
    } else {
        f64::NAN
    }
}

/// Root mean squared scaled error: RMSE of the forecast over the in-sample RMSE of the
/// seasonal naive forecast with lag `season` on `history` (Makridakis, Spiliotis &
/// Assimakopoulos, "M5 accuracy competition", IJF 38(4), 2022); NaN when the scale is 0 or
/// cannot be computed.
///
/// Unlike WAPE and MASE, whose best point forecast is the median, a squared error is minimised
/// by the mean: on a sparse queue (a Poisson count with mean below ln 2 has median 0) it does
/// not reward forecasting nothing.
pub fn rmsse(actual: &[f64], forecast: &[f64], history: &[f64], season: usize) -> f64 {
    let scale = seasonal_naive_mse(history, season);
    if scale.is_nan() || scale <= 0.0 {
        return f64::NAN;
    }
    (mean_squared_error(actual, forecast) / scale).sqrt()
}

/// Mean (y − ŷ)²; NaN when no pair is finite.
pub fn mean_squared_error(actual: &[f64], forecast: &[f64]) -> f64 {
    let (sum, n) = pairs(actual, forecast).fold((0.0, 0usize), |(s, n), (y, f)| {
        (s + (y - f) * (y - f), n + 1)
    });
    if n > 0 {
        sum / n as f64
    } else {
        f64::NAN
    }
}

/// Mean (y_t − y_{t−season})² over the history.
pub fn seasonal_naive_mse(history: &[f64], season: usize) -> f64 {
    seasonal_naive_loss(history, season, |e| e * e)
}

/// Relative bias Σ(ŷ − y) / Σy; positive when the forecast is too high.
pub fn bias(actual: &[f64], forecast: &[f64]) -> f64 {
    let (error, total) =
        pairs(actual, forecast).fold((0.0, 0.0), |(e, t), (y, f)| (e + f - y, t + y));
    if total > 0.0 {
        error / total
    } else {
        f64::NAN
    }
}

/// Share of actuals inside `[lower, upper]`.
pub fn coverage(actual: &[f64], lower: &[f64], upper: &[f64]) -> f64 {
    let (inside, n) = actual
        .iter()
        .zip(lower.iter().zip(upper))
        .filter(|(y, (l, u))| y.is_finite() && l.is_finite() && u.is_finite())
        .fold((0usize, 0usize), |(i, n), (y, (l, u))| {
            (i + usize::from(*y >= *l && *y <= *u), n + 1)
        });
    if n > 0 {
        inside as f64 / n as f64
    } else {
        f64::NAN
    }
}

/// Sums consecutive blocks of `block` values (e.g. intervals → days); NaN only if all are NaN.
pub fn block_totals(values: &[f64], block: usize) -> Vec<f64> {
    values
        .chunks(block.max(1))
        .map(|chunk| {
            if chunk.iter().all(|v| v.is_nan()) {
                f64::NAN
            } else {
                chunk.iter().filter(|v| v.is_finite()).sum()
            }
        })
        .collect()
}

/// The metrics of one forecast against actuals at one level of aggregation.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Scores {
    pub wape: f64,
    pub mape: f64,
    pub smape: f64,
    pub mase: f64,
    pub rmsse: f64,
    pub bias: f64,
}

impl Scores {
    pub fn compute(actual: &[f64], forecast: &[f64], history: &[f64], season: usize) -> Self {
        Scores {
            wape: wape(actual, forecast),
            mape: mape(actual, forecast),
            smape: smape(actual, forecast),
            mase: mase(actual, forecast, history, season),
            rmsse: rmsse(actual, forecast, history, season),
            bias: bias(actual, forecast),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTUAL: [f64; 4] = [10.0, 0.0, 20.0, 30.0];
    const FORECAST: [f64; 4] = [12.0, 1.0, 15.0, 30.0];

    #[test]
    fn wape_by_hand() {
        // |10−12| + |0−1| + |20−15| + 0 = 8; Σy = 60 → 8/60.
        assert!((wape(&ACTUAL, &FORECAST) - 8.0 / 60.0).abs() < 1e-12);
        assert!(
            wape(&[0.0, 0.0], &[1.0, 2.0]).is_nan(),
            "no volume: undefined"
        );
    }

    #[test]
    fn mape_skips_zero_actuals() {
        // (2/10 + 5/20 + 0/30) / 3 = 0.45 / 3 = 0.15.
        assert!((mape(&ACTUAL, &FORECAST) - 0.15).abs() < 1e-12);
    }

    #[test]
    fn smape_by_hand() {
        // 2·2/22 + 2·1/1 + 2·5/35 + 0 = 0.181818 + 2 + 0.285714 = 2.467532; / 4 = 0.616883.
        let expected = (4.0 / 22.0 + 2.0 + 10.0 / 35.0) / 4.0;
        assert!((smape(&ACTUAL, &FORECAST) - expected).abs() < 1e-12);
        assert_eq!(smape(&[0.0], &[0.0]), 0.0);
    }

    #[test]
    fn mase_by_hand() {
        // History 1,2,3,5 with season 2: |3−1| + |5−2| = 5 over 2 → scale 2.5.
        // Forecast MAE = 8/4 = 2 → MASE 0.8.
        let history = [1.0, 2.0, 3.0, 5.0];
        assert!((mase(&ACTUAL, &FORECAST, &history, 2) - 0.8).abs() < 1e-12);
        assert!(mase(&ACTUAL, &FORECAST, &[1.0], 2).is_nan());
    }

    #[test]
    fn rmsse_by_hand() {
        // History 1,2,3,5 with season 2: (3−1)² + (5−2)² = 13 over 2 → scale 6.5.
        // Forecast MSE = (4 + 1 + 25 + 0) / 4 = 7.5 → RMSSE √(7.5 / 6.5) = 1.074172.
        let history = [1.0, 2.0, 3.0, 5.0];
        let got = rmsse(&ACTUAL, &FORECAST, &history, 2);
        assert!((got - (7.5f64 / 6.5).sqrt()).abs() < 1e-12, "{got}");
        assert!(rmsse(&ACTUAL, &FORECAST, &[1.0], 2).is_nan());
    }

    #[test]
    fn rmsse_prefers_the_mean_of_a_sparse_count_where_mase_prefers_zero() {
        // A queue that gets 1 contact in 3 intervals out of 10: the mean is 0.3, the median 0.
        let actual = [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0];
        let history = [0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0];
        let zero = [0.0; 10];
        let mean = [0.3; 10];
        assert!(mase(&actual, &zero, &history, 2) < mase(&actual, &mean, &history, 2));
        assert!(rmsse(&actual, &mean, &history, 2) < rmsse(&actual, &zero, &history, 2));
    }

    #[test]
    fn bias_sign_means_over_forecast() {
        // Σ(ŷ − y) = 2 + 1 − 5 + 0 = −2 over 60.
        assert!((bias(&ACTUAL, &FORECAST) + 2.0 / 60.0).abs() < 1e-12);
    }

    #[test]
    fn coverage_counts_inside_inclusive() {
        let lower = [9.0, 0.0, 21.0, 30.0];
        let upper = [11.0, 0.5, 25.0, 31.0];
        // 10 in [9,11], 0 in [0,0.5], 20 not in [21,25], 30 in [30,31] → 3/4.
        assert_eq!(coverage(&ACTUAL, &lower, &upper), 0.75);
    }

    #[test]
    fn nan_pairs_are_skipped_and_single_interval_works() {
        assert_eq!(wape(&[f64::NAN, 10.0], &[3.0, 9.0]), 0.1);
        assert_eq!(wape(&[4.0], &[5.0]), 0.25);
        assert!(wape(&[], &[]).is_nan());
    }

    #[test]
    fn block_totals_sum_days() {
        assert_eq!(block_totals(&[1.0, 2.0, f64::NAN, 4.0], 2), vec![3.0, 4.0]);
        assert!(block_totals(&[f64::NAN, f64::NAN], 2)[0].is_nan());
    }
}
