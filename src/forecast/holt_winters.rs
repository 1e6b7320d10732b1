//! Holt-Winters exponential smoothing with a damped trend and one season, additive or
//! multiplicative (Gardner & McKenzie's damped trend; Hyndman & Athanasopoulos, FPP3 §8.3).
//!
//! Used on the intervals with a weekly season (`hw-add`, `hw-mul`) and on daily totals with a
//! season of 7 days (inside `profile`). α, β, γ and φ are fitted by Nelder–Mead on the sum of
//! squared one-step errors.

use super::optimize::minimize;
use super::{Fitted, Training};

use super::model::{Estimate, ModelInfo};

/// `hw-add`.
pub(crate) static ADDITIVE: ModelInfo = ModelInfo {
    name: "hw-add",
    summary: "Holt-Winters on the intervals, weekly season, damped trend, additive",
    default_weeks: None,
    min_weeks: |_| 3,
    fit: |training, _| Ok(Box::new(fit(training, false))),
    estimates: Estimate::Mean,
    needs_group: false,
};

/// `hw-mul`.
pub(crate) static MULTIPLICATIVE: ModelInfo = ModelInfo {
    name: "hw-mul",
    summary: "Holt-Winters on the intervals, weekly season, damped trend, multiplicative",
    default_weeks: None,
    min_weeks: |_| 3,
    fit: |training, _| Ok(Box::new(fit(training, true))),
    estimates: Estimate::Mean,
    needs_group: false,
};

/// How many of the most recent seasons the parameters are fitted on: enough to see the level
/// move, few enough that a year of 6-minute data fits in milliseconds.
const FIT_SEASONS: usize = 10;
const BOUNDS: [(f64, f64); 4] = [(0.001, 0.99), (0.0001, 0.3), (0.001, 0.99), (0.8, 0.98)];

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Params {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub phi: f64,
}

/// The smoothed state at the end of a series.
#[derive(Debug, Clone)]
pub(crate) struct HoltWinters {
    level: f64,
    trend: f64,
    /// Seasonal index of each phase; the series starts at phase 0.
    season: Vec<f64>,
    /// Phase of the first forecast.
    next_phase: usize,
    phi: f64,
    multiplicative: bool,
}

/// Runs the recursions over `values` (starting at phase 0); returns the state and the SSE of
/// the one-step errors after the first season.
pub(crate) fn smooth(
    values: &[f64],
    m: usize,
    p: Params,
    multiplicative: bool,
) -> (HoltWinters, f64) {
    let first = mean(&values[..m]);
    let second = if values.len() >= 2 * m {
        mean(&values[m..2 * m])
    } else {
        first
    };
    let mut level = first;
    let mut trend = (second - first) / m as f64;
    let mut season: Vec<f64> = values[..m]
        .iter()
        .map(|&y| {
            if multiplicative {
                if first > 0.0 {
                    y / first
                } else {
                    1.0
                }
            } else {
                y - first
            }
        })
        .collect();
    let mut sse = 0.0;
    for (t, &y) in values.iter().enumerate().skip(m) {
        let phase = t % m;
        let s = season[phase];
        let base = level + p.phi * trend;
        let fitted = if multiplicative { base * s } else { base + s };
        sse += (y - fitted).powi(2);
        let new_level = if multiplicative {
            // A seasonal index of ~0 (a closed night) says nothing about the level.
            if s > 1e-6 {
                p.alpha * y / s + (1.0 - p.alpha) * base
            } else {
                base
            }
        } else {
            p.alpha * (y - s) + (1.0 - p.alpha) * base
        };
        trend = p.beta * (new_level - level) + (1.0 - p.beta) * p.phi * trend;
        level = new_level;
        season[phase] = if multiplicative {
            if level > 1e-9 {
                p.gamma * y / level + (1.0 - p.gamma) * s
            } else {
                s
            }
        } else {
            p.gamma * (y - level) + (1.0 - p.gamma) * s
        };
    }
    (
        HoltWinters {
            level,
            trend,
            season,
            next_phase: values.len() % m,
            phi: p.phi,
            multiplicative,
        },
        sse,
    )
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

/// Fits the parameters on the last seasons of `values` and smooths the whole series with them.
pub(crate) fn fit_series(
    values: &[f64],
    m: usize,
    multiplicative: bool,
    fit_seasons: usize,
) -> HoltWinters {
    // The window starts on phase 0 (a whole number of seasons after the series' start).
    let full_seasons = values.len() / m;
    let window = &values[(full_seasons - full_seasons.min(fit_seasons)) * m..];
    let cost = |p: &[f64]| {
        let params = Params {
            alpha: p[0],
            beta: p[1],
            gamma: p[2],
            phi: p[3],
        };
        smooth(window, m, params, multiplicative).1
    };
    let starts = [vec![0.2, 0.01, 0.1, 0.9], vec![0.05, 0.001, 0.3, 0.95]];
    let best = minimize(&cost, &BOUNDS, &starts, 250);
    let params = Params {
        alpha: best[0],
        beta: best[1],
        gamma: best[2],
        phi: best[3],
    };
    // Smooth from the start of the window: the state then carries the fitted dynamics.
    smooth(window, m, params, multiplicative).0
}

pub(crate) fn fit(training: Training<'_>, multiplicative: bool) -> HoltWinters {
    fit_series(
        training.values,
        training.seasons.per_week,
        multiplicative,
        FIT_SEASONS,
    )
}

impl HoltWinters {
    /// Forecasts `horizon` steps; the seasonal phase continues from the end of the series.
    pub(crate) fn forecast(&self, horizon: usize) -> Vec<f64> {
        let m = self.season.len();
        let mut damped = 0.0;
        let mut phi_power = 1.0;
        (0..horizon)
            .map(|h| {
                phi_power *= self.phi;
                damped += phi_power;
                let base = self.level + damped * self.trend;
                let s = self.season[(self.next_phase + h) % m];
                if self.multiplicative {
                    base * s
                } else {
                    base + s
                }
            })
            .collect()
    }
}

impl Fitted for HoltWinters {
    fn predict_point(&self, horizon: usize) -> Vec<f64> {
        self.forecast(horizon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seasonal_series(n: usize, m: usize, level: f64, slope: f64) -> Vec<f64> {
        let pattern = [0.0, 5.0, 10.0, 5.0, -5.0, -10.0, -5.0];
        (0..n)
            .map(|t| level + slope * t as f64 + pattern[t % m % pattern.len()])
            .collect()
    }

    #[test]
    fn pure_season_is_forecast_exactly() {
        let values = seasonal_series(70, 7, 100.0, 0.0);
        let fitted = fit_series(&values, 7, false, 10);
        let forecast = fitted.forecast(14);
        let expected = seasonal_series(84, 7, 100.0, 0.0)[70..].to_vec();
        for (f, e) in forecast.iter().zip(&expected) {
            assert!((f - e).abs() < 0.5, "{forecast:?} vs {expected:?}");
        }
    }

    #[test]
    fn trend_and_season_are_extrapolated_with_damping() {
        let values = seasonal_series(140, 7, 100.0, 1.0);
        let fitted = fit_series(&values, 7, false, 20);
        let forecast = fitted.forecast(7);
        let expected = seasonal_series(147, 7, 100.0, 1.0)[140..].to_vec();
        // A damped trend falls a little short of the straight line, but not by much a week out.
        for (f, e) in forecast.iter().zip(&expected) {
            assert!((f - e).abs() < 3.0, "{forecast:?} vs {expected:?}");
        }
    }

    #[test]
    fn multiplicative_season_scales_with_level_and_survives_zeros() {
        // A daily pattern with a closed slot (0) on a level that doubles.
        let pattern = [0.0, 1.0, 2.0, 1.0];
        let values: Vec<f64> = (0..80)
            .map(|t| pattern[t % 4] * if t < 40 { 10.0 } else { 20.0 })
            .collect();
        let fitted = fit_series(&values, 4, true, 20);
        let forecast = fitted.forecast(4);
        assert!(
            forecast[0].abs() < 1e-6,
            "closed slot stays 0: {forecast:?}"
        );
        assert!((forecast[2] - 40.0).abs() < 4.0, "{forecast:?}");
    }
}
