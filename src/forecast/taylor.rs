//! Taylor's double-seasonal exponential smoothing (J. W. Taylor, 2003, "Short-term electricity
//! demand forecasting using double seasonal exponential smoothing", JORS 54:799–805), additive
//! form without trend: a level, an intraday cycle and an intraweek cycle, each smoothed, plus a
//! first-order autoregressive correction of the one-step error that fades with the lead time.

use super::optimize::minimize;
use super::{Fitted, Training};

use super::model::{Estimate, ModelInfo};

/// `taylor`.
pub(crate) static MODEL: ModelInfo = ModelInfo {
    name: "taylor",
    summary: "Taylor's double-seasonal exponential smoothing with AR(1) error correction",
    default_weeks: None,
    min_weeks: |_| 3,
    fit: |training, _| Ok(Box::new(fit(training))),
    estimates: Estimate::Mean,
    needs_group: false,
};

/// Weeks at the end of the history the parameters are fitted on.
const FIT_WEEKS: usize = 8;
const BOUNDS: [(f64, f64); 4] = [(0.001, 0.5), (0.001, 0.5), (0.001, 0.5), (0.0, 0.99)];

pub(crate) struct DoubleSeasonal {
    level: f64,
    day: Vec<f64>,
    week: Vec<f64>,
    last_error: f64,
    ar: f64,
    /// Index (counted from the start of the smoothed window) of the first forecast.
    next: usize,
}

fn smooth(values: &[f64], per_day: usize, per_week: usize, p: &[f64]) -> (DoubleSeasonal, f64) {
    let (alpha, delta, omega, ar) = (p[0], p[1], p[2], p[3]);
    let first_week = &values[..per_week];
    let mut level = first_week.iter().sum::<f64>() / per_week as f64;
    let days = per_week / per_day;
    let mut day: Vec<f64> = (0..per_day)
        .map(|j| (0..days).map(|d| first_week[d * per_day + j]).sum::<f64>() / days as f64 - level)
        .collect();
    let mut week: Vec<f64> = first_week
        .iter()
        .enumerate()
        .map(|(i, &y)| y - level - day[i % per_day])
        .collect();
    let mut last_error = 0.0;
    let mut sse = 0.0;
    for (t, &y) in values.iter().enumerate().skip(per_week) {
        let (jd, jw) = (t % per_day, t % per_week);
        let base = level + day[jd] + week[jw];
        let error = y - base;
        sse += (error - ar * last_error).powi(2);
        last_error = error;
        let new_level = alpha * (y - day[jd] - week[jw]) + (1.0 - alpha) * level;
        let old_day = day[jd];
        day[jd] = delta * (y - new_level - week[jw]) + (1.0 - delta) * old_day;
        week[jw] = omega * (y - new_level - old_day) + (1.0 - omega) * week[jw];
        level = new_level;
    }
    (
        DoubleSeasonal {
            level,
            day,
            week,
            last_error,
            ar,
            next: values.len(),
        },
        sse,
    )
}

pub(crate) fn fit(training: Training<'_>) -> DoubleSeasonal {
    let Training {
        values, seasons, ..
    } = training;
    let full_weeks = values.len() / seasons.per_week;
    let window = &values[(full_weeks - full_weeks.min(FIT_WEEKS)) * seasons.per_week..];
    let cost = |p: &[f64]| smooth(window, seasons.per_day, seasons.per_week, p).1;
    let starts = [vec![0.05, 0.1, 0.1, 0.5], vec![0.01, 0.2, 0.05, 0.8]];
    let best = minimize(&cost, &BOUNDS, &starts, 250);
    smooth(window, seasons.per_day, seasons.per_week, &best).0
}

impl Fitted for DoubleSeasonal {
    fn predict_point(&self, horizon: usize) -> Vec<f64> {
        let (per_day, per_week) = (self.day.len(), self.week.len());
        let mut correction = self.last_error;
        (0..horizon)
            .map(|h| {
                correction *= self.ar;
                let t = self.next + h;
                self.level + self.day[t % per_day] + self.week[t % per_week] + correction
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::Seasons;

    #[test]
    fn recovers_a_day_and_week_pattern() {
        // 4 intervals a day, 7 days: daily shape × weekday level, 10 weeks.
        let seasons = Seasons {
            per_day: 4,
            per_week: 28,
        };
        let shape = [0.0, 10.0, 20.0, 6.0];
        let weekday = [1.0, 1.0, 1.0, 1.0, 0.8, 0.2, 0.1];
        let value = |t: usize| 5.0 + shape[t % 4] * weekday[(t / 4) % 7];
        let values: Vec<f64> = (0..280).map(value).collect();
        let fitted = fit(Training::new(&values, seasons));
        let forecast = fitted.predict_point(28);
        for (h, f) in forecast.iter().enumerate() {
            assert!(
                (f - value(280 + h)).abs() < 1.0,
                "{h}: {f} vs {}",
                value(280 + h)
            );
        }
    }
}
