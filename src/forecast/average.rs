//! Seasonal averages of the same interval over recent weeks: plain mean, median (robust to a
//! bad week), or exponentially weighted with the decay fitted on the history.
//!
//! Taylor (2008) found such historical averages hard to beat more than a few days ahead.

use super::{same_slot_history, Averaging, Fitted, Training};

use super::model::{Estimate, ModelInfo};

/// `savg[:K]`.
pub(crate) static SAVG: ModelInfo = ModelInfo {
    name: "savg",
    summary: "mean of the same interval over the last K weeks (default 4)",
    default_weeks: Some(4),
    min_weeks: |weeks| weeks.unwrap_or(4).min(2),
    fit: |training, weeks| Ok(Box::new(fit(training, weeks.unwrap_or(4), Averaging::Mean))),
    estimates: Estimate::Mean,
    needs_group: false,
};

/// `smedian[:K]`.
pub(crate) static SMEDIAN: ModelInfo = ModelInfo {
    name: "smedian",
    summary: "median of the same interval over the last K weeks (default 8)",
    default_weeks: Some(8),
    min_weeks: |weeks| weeks.unwrap_or(8).min(2),
    fit: |training, weeks| {
        Ok(Box::new(fit(
            training,
            weeks.unwrap_or(8),
            Averaging::Median,
        )))
    },
    estimates: Estimate::Median,
    needs_group: false,
};

/// `ewavg[:K]`.
pub(crate) static EWAVG: ModelInfo = ModelInfo {
    name: "ewavg",
    summary: "exponentially weighted mean over the last K weeks (default 12)",
    default_weeks: Some(12),
    min_weeks: |weeks| weeks.unwrap_or(12).min(2),
    fit: |training, weeks| {
        Ok(Box::new(fit(
            training,
            weeks.unwrap_or(12),
            Averaging::Exponential,
        )))
    },
    estimates: Estimate::Mean,
    needs_group: false,
};

pub(crate) struct SeasonalAverage {
    /// Forecast of each slot of the week following the training data, in horizon order.
    week: Vec<f64>,
}

/// Decays tried for the exponential weights; the one with the lowest in-sample error wins.
const DECAYS: [f64; 9] = [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.65, 0.8];
/// Weeks at the end of the history on which the decay is chosen (one-week-ahead errors).
const DECAY_CHECK_WEEKS: usize = 8;

pub(crate) fn fit(training: Training<'_>, weeks: usize, averaging: Averaging) -> SeasonalAverage {
    let per_week = training.seasons.per_week;
    let values = training.values;
    let decay = match averaging {
        Averaging::Exponential => Some(choose_decay(values, per_week, weeks)),
        _ => None,
    };
    let week = (0..per_week)
        .map(|h| {
            combine(
                same_slot_history(values, per_week, h, weeks),
                averaging,
                decay,
            )
        })
        .collect();
    SeasonalAverage { week }
}

/// Combines the same slot's past values, most recent first.
fn combine(history: impl Iterator<Item = f64>, averaging: Averaging, decay: Option<f64>) -> f64 {
    match averaging {
        Averaging::Mean => {
            let (sum, n) = history.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
            if n > 0 {
                sum / n as f64
            } else {
                0.0
            }
        }
        Averaging::Median => {
            let mut v: Vec<f64> = history.collect();
            if v.is_empty() {
                return 0.0;
            }
            v.sort_by(f64::total_cmp);
            let mid = v.len() / 2;
            if v.len() % 2 == 1 {
                v[mid]
            } else {
                (v[mid - 1] + v[mid]) / 2.0
            }
        }
        Averaging::Exponential => {
            let keep = 1.0 - decay.unwrap_or(0.3);
            let (mut sum, mut weights, mut w) = (0.0, 0.0, 1.0);
            for v in history {
                sum += w * v;
                weights += w;
                w *= keep;
            }
            if weights > 0.0 {
                sum / weights
            } else {
                0.0
            }
        }
    }
}

/// The decay whose one-week-ahead forecasts of the last weeks have the lowest absolute error.
fn choose_decay(values: &[f64], per_week: usize, weeks: usize) -> f64 {
    let n_weeks = values.len() / per_week;
    let check = DECAY_CHECK_WEEKS.min(n_weeks.saturating_sub(2));
    if check == 0 {
        return 0.3;
    }
    let mut best = (f64::INFINITY, 0.3);
    for decay in DECAYS {
        let mut error = 0.0;
        for back in 1..=check {
            let cut = values.len() - back * per_week;
            let past = &values[..cut];
            for h in 0..per_week {
                let forecast = combine(
                    same_slot_history(past, per_week, h, weeks),
                    Averaging::Exponential,
                    Some(decay),
                );
                error += (values[cut + h] - forecast).abs();
            }
        }
        if error < best.0 {
            best = (error, decay);
        }
    }
    best.1
}

impl Fitted for SeasonalAverage {
    fn predict_point(&self, horizon: usize) -> Vec<f64> {
        (0..horizon)
            .map(|h| self.week[h % self.week.len()])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::Seasons;

    const SEASONS: Seasons = Seasons {
        per_day: 1,
        per_week: 2,
    };

    #[test]
    fn mean_and_median_of_recent_weeks() {
        // Slot 0: 1, 3, 100 (latest); slot 1: 2, 4, 6.
        let values = [1.0, 2.0, 3.0, 4.0, 100.0, 6.0];
        let training = Training::new(&values, SEASONS);
        let mean = fit(training, 2, Averaging::Mean);
        assert_eq!(mean.predict_point(2), vec![51.5, 5.0]);
        let median = fit(training, 3, Averaging::Median);
        assert_eq!(
            median.predict_point(3),
            vec![3.0, 4.0, 3.0],
            "the 100 does not move a median"
        );
    }

    #[test]
    fn exponential_weights_follow_a_level_shift() {
        // The level steps from 10 to 20 half-way: recent weeks should dominate.
        let mut values = vec![10.0; 20];
        values.extend(vec![20.0; 20]);
        let fitted = fit(Training::new(&values, SEASONS), 12, Averaging::Exponential);
        let forecast = fitted.predict_point(2);
        assert!(forecast[0] > 19.0, "{forecast:?}");
        let plain = fit(Training::new(&values, SEASONS), 12, Averaging::Mean);
        assert!(plain.predict_point(1)[0] < forecast[0]);
    }
}
