//! Seasonal naive: every interval repeats the same interval of the last week.

use super::{same_slot_history, Fitted, Training};

use super::model::{Estimate, ModelInfo};

/// `snaive`.
pub(crate) static MODEL: ModelInfo = ModelInfo {
    name: "snaive",
    summary: "seasonal naive: the same interval one week earlier",
    default_weeks: None,
    min_weeks: |_| 1,
    fit: |training, _| Ok(Box::new(fit(training))),
    estimates: Estimate::Mean,
    needs_group: false,
};

pub(crate) struct SeasonalNaive {
    last_week: Vec<f64>,
    /// The training series, whose lag of one week is the in-sample fit.
    training: Vec<f64>,
    per_week: usize,
}

pub(crate) fn fit(training: Training<'_>) -> SeasonalNaive {
    let per_week = training.seasons.per_week;
    let values = training.values;
    SeasonalNaive {
        last_week: (0..per_week)
            .map(|h| {
                same_slot_history(values, per_week, h, 1)
                    .next()
                    .unwrap_or(0.0)
            })
            .collect(),
        training: values.to_vec(),
        per_week,
    }
}

impl Fitted for SeasonalNaive {
    /// ŷ_t = y_{t−week}; NaN in the first week, which has no week before it.
    fn fitted_values(&self) -> Option<Vec<f64>> {
        Some(
            (0..self.training.len())
                .map(|t| {
                    t.checked_sub(self.per_week)
                        .map_or(f64::NAN, |s| self.training[s])
                })
                .collect(),
        )
    }

    fn predict_point(&self, horizon: usize) -> Vec<f64> {
        (0..horizon)
            .map(|h| self.last_week[h % self.last_week.len()])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::Seasons;

    #[test]
    fn repeats_the_last_week() {
        let seasons = Seasons {
            per_day: 2,
            per_week: 4,
        };
        let values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let fitted = fit(Training::new(&values, seasons));
        assert_eq!(fitted.predict_point(6), vec![5.0, 6.0, 7.0, 8.0, 5.0, 6.0]);
        let in_sample = fitted.fitted_values().unwrap();
        assert!(in_sample[..4].iter().all(|v| v.is_nan()));
        assert_eq!(&in_sample[4..], &[1.0, 2.0, 3.0, 4.0]);
    }
}
