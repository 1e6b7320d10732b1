//! Prediction intervals from out-of-sample errors.
//!
//! The model is refitted at a few origins inside the training data and forecasts the same
//! horizon as asked; the errors are measured on the square-root scale, which stabilises the
//! Poisson-like variance of counts (Weinberg, Brown & Stroud, 2007), and binned by forecast
//! level, because a month-ahead error also grows with the level. A band is the forecast plus the
//! empirical quantiles of its bin, squared back. No distribution is assumed and every error
//! comes from data the refitted model did not see.
//!
//! With more than a year of history, the origins are also taken a year before the last ones, so
//! the band holds the errors of the same season as well as the latest (the season's errors are
//! what a peak month's band needs: on the emergency department's arrivals, the 12 month-ahead
//! origins April 2017 – March 2018 had 11 months within 75–85 % coverage of the 80 % band with
//! the last weeks' errors alone, February at 74.6 %; 12 with both, February 75.6 %. Chosen on the
//! origins April 2016 – March 2017, where the lowest month rose from 76.6 to 77.5 %).

use super::{Pool, Training};

/// Bins of forecast level, each holding an equal share of the calibration errors.
const BINS: usize = 5;
/// Fewer errors than this and no band is given.
const MIN_ERRORS: usize = 50;

/// Sorted square-root-scale errors per forecast-level bin.
#[derive(Debug, Clone)]
pub(crate) struct ErrorModel {
    /// Upper forecast edge of each bin (the last is +∞) and its sorted errors.
    bins: Vec<(f64, Vec<f64>)>,
}

/// Refits `spec` at `origins` cut points one week apart, each forecasting `horizon` intervals
/// that end before the training data does, and at the same cut points 52 weeks earlier where
/// the history allows; `scored[t]` says which points count.
pub(crate) fn calibrate(
    spec: &Pool,
    training: Training<'_>,
    scored: &[bool],
    horizon: usize,
    origins: usize,
) -> Option<ErrorModel> {
    let per_day = training.seasons.per_day;
    let per_week = training.seasons.per_week;
    let horizon = horizon.div_ceil(per_day) * per_day;
    let min_train = min_calibration_weeks(spec.min_weeks()) * per_week;
    let mut pairs: Vec<(f64, f64)> = Vec::new();
    let year = super::yearly::WEEKS_PER_YEAR * per_week;
    // The same origins a year earlier too, where the history holds them with the weeks the
    // model needs: a month's errors are alike a year apart (a flu season, a summer lull), and
    // the last weeks alone set December's band from November's errors.
    for back in [0, year] {
        for k in 0..origins {
            let Some(cut) = training.len().checked_sub(back + horizon + k * per_week) else {
                break;
            };
            if cut < min_train {
                break;
            }
            let past = training.head(cut);
            let Ok(fitted) = spec.fit(past) else {
                break;
            };
            let forecast = fitted.predict_point(horizon);
            for (h, f) in forecast.into_iter().enumerate() {
                let t = cut + h;
                if scored[t] {
                    let f = f.max(0.0);
                    pairs.push((f, training.values[t].max(0.0).sqrt() - f.sqrt()));
                }
            }
        }
    }
    ErrorModel::from_pairs(pairs)
}

/// Weeks of training a model with `min_weeks` needs before a calibration (or selection) window:
/// one more than it needs to fit, and at least four, so the earliest refit is not a cold start.
pub(crate) fn min_calibration_weeks(min_weeks: usize) -> usize {
    (min_weeks + 1).max(4)
}

impl ErrorModel {
    /// The same errors scaled by `factor` (on the square-root scale), for a horizon longer than
    /// the one calibrated.
    pub(crate) fn widened(mut self, factor: f64) -> Self {
        for (_, errors) in &mut self.bins {
            for e in errors.iter_mut() {
                *e *= factor;
            }
        }
        self
    }

    /// From `(forecast, sqrt error)` pairs.
    pub(crate) fn from_pairs(mut pairs: Vec<(f64, f64)>) -> Option<Self> {
        if pairs.len() < MIN_ERRORS {
            return None;
        }
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let per_bin = pairs.len().div_ceil(BINS);
        let mut bins: Vec<(f64, Vec<f64>)> = Vec::new();
        for chunk in pairs.chunks(per_bin) {
            let edge = chunk[chunk.len() - 1].0;
            let errors = chunk.iter().map(|p| p.1);
            match bins.last_mut() {
                // Tied forecasts (many closed-night zeros, say) must share one bin.
                Some((last_edge, last_errors)) if *last_edge >= chunk[0].0 => {
                    *last_edge = edge;
                    last_errors.extend(errors);
                }
                _ => bins.push((edge, errors.collect())),
            }
        }
        for (_, errors) in &mut bins {
            errors.sort_by(f64::total_cmp);
        }
        if let Some(last) = bins.last_mut() {
            last.0 = f64::INFINITY;
        }
        Some(ErrorModel { bins })
    }

    /// The `level` band (e.g. 0.8) around a point forecast.
    pub(crate) fn band(&self, forecast: f64, level: f64) -> (f64, f64) {
        let f = forecast.max(0.0);
        let errors = &self
            .bins
            .iter()
            .find(|(edge, _)| f <= *edge)
            .unwrap_or(&self.bins[self.bins.len() - 1])
            .1;
        let tail = (1.0 - level) / 2.0;
        let root = f.sqrt();
        let back = |e: f64| {
            let r = root + e;
            if r > 0.0 {
                r * r
            } else {
                0.0
            }
        };
        (
            back(quantile(errors, tail)),
            back(quantile(errors, 1.0 - tail)),
        )
    }
}

/// Linear-interpolation quantile of sorted values (type 7 of Hyndman & Fan).
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let position = p.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let w = position - below as f64;
    sorted[below] * (1.0 - w) + sorted[above] * w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.1), 1.4);
        assert_eq!(quantile(&v, 1.0), 5.0);
    }

    #[test]
    fn band_squares_back_the_sqrt_errors() {
        // Every forecast of 100 saw sqrt errors spread evenly in [−1, 1].
        let pairs: Vec<(f64, f64)> = (0..=100).map(|i| (100.0, -1.0 + i as f64 / 50.0)).collect();
        let model = ErrorModel::from_pairs(pairs).unwrap();
        let (lower, upper) = model.band(100.0, 0.8);
        // 10 % and 90 % quantiles: −0.8 and 0.8 → (10 ∓ 0.8)².
        assert!((lower - 9.2f64.powi(2)).abs() < 1e-9, "{lower}");
        assert!((upper - 10.8f64.powi(2)).abs() < 1e-9, "{upper}");
        let (zero_low, _) = model.band(0.0, 0.8);
        assert_eq!(zero_low, 0.0, "a band never goes negative");
    }

    #[test]
    fn the_band_holds_the_errors_of_the_same_season_a_year_earlier() {
        // 70 weeks of daily points at 100, but for six weeks that swing 64/144 from one week to
        // the next (a flu season), where the last week's value misses by the swing. The recent
        // weeks are calm: their errors alone give a band of width 0.
        let seasons = crate::forecast::Seasons {
            per_day: 1,
            per_week: 7,
        };
        let stormy = |weeks: std::ops::Range<usize>| -> Vec<f64> {
            (0..70 * 7)
                .map(|t| match weeks.contains(&(t / 7)) {
                    true if (t / 7 + t % 7) % 2 == 0 => 144.0,
                    true => 64.0,
                    false => 100.0,
                })
                .collect()
        };
        let width = |values: &[f64]| {
            let spec = Pool(vec![
                super::super::registry::BaseModel::SEASONAL_NAIVE.into()
            ]);
            let training = Training::new(values, seasons);
            let model = calibrate(&spec, training, &vec![true; values.len()], 14, 4).unwrap();
            let (lower, upper) = model.band(100.0, 0.8);
            upper - lower
        };
        // A year (52 weeks) before the last 14 days' origins: weeks 12–17 of the 70.
        assert!(width(&stormy(12..18)) > 20.0, "{}", width(&stormy(12..18)));
        // The same storm in another season leaves the band as the calm weeks set it.
        assert!(width(&stormy(30..36)) < 1e-9, "{}", width(&stormy(30..36)));
    }

    #[test]
    fn simulated_poisson_coverage_is_near_nominal() {
        // Counts ~ Poisson(λ) around a known forecast λ: calibrate on one sample, check another.
        let mut counts = crate::test_support::Counts(42);
        let lambdas: Vec<f64> = (0..4000).map(|i| 2.0 + (i % 40) as f64).collect();
        let pairs: Vec<(f64, f64)> = lambdas
            .iter()
            .map(|&l| (l, counts.poisson(l).sqrt() - l.sqrt()))
            .collect();
        let model = ErrorModel::from_pairs(pairs).unwrap();
        let inside = lambdas
            .iter()
            .filter(|&&l| {
                let (lo, hi) = model.band(l, 0.8);
                let y = counts.poisson(l);
                y >= lo && y <= hi
            })
            .count();
        let coverage = inside as f64 / lambdas.len() as f64;
        // Discrete counts make the band a little conservative; it must stay close to 80 %.
        assert!((0.77..=0.88).contains(&coverage), "coverage {coverage}");
    }
}
