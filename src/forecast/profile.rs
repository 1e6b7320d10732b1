//! Daily total × intraday profile: forecast how many contacts each day brings with a damped
//! Holt-Winters on daily totals (weekly season), then spread each day by its weekday's recent
//! intraday shape. Level and shape are forecast separately, as Shen & Huang (2008) do with
//! their SVD of the day × interval matrix; the shape is far more stable than the level.

use super::holt_winters::{fit_series, HoltWinters};
use super::{Fitted, Training};

use super::model::{Estimate, ModelInfo};

/// `profile[:K]`.
pub(crate) static MODEL: ModelInfo = ModelInfo {
    name: "profile",
    summary: "daily total by a damped Holt-Winters × each weekday's intraday profile over K weeks (default 8)",
    default_weeks: Some(8),
    min_weeks: |_| 3,
    fit: |training, weeks| Ok(Box::new(fit(training, weeks.unwrap_or(8)))),
    estimates: Estimate::Mean,
    needs_group: false,
};

/// Weeks of daily totals the Holt-Winters parameters are fitted on.
const FIT_WEEKS: usize = 52;

pub(crate) struct DailyProfile {
    daily: HoltWinters,
    /// Share of the day's contacts in each interval, per weekday (Monday first).
    shares: Vec<Vec<f64>>,
    per_day: usize,
    /// Weekday of the first forecast day.
    next_weekday: usize,
}

pub(crate) fn fit(training: Training<'_>, profile_weeks: usize) -> DailyProfile {
    let per_day = training.seasons.per_day;
    let totals = training.daily_totals();
    let days = totals.len();
    let mut shares = vec![vec![0.0; per_day]; 7];
    for (weekday, share) in shares.iter_mut().enumerate() {
        // The last `profile_weeks` days of this weekday, volume-weighted: busy days shape it.
        let recent: Vec<usize> = (0..days)
            .rev()
            .filter(|d| d % 7 == weekday)
            .take(profile_weeks)
            .collect();
        let volume: f64 = recent.iter().map(|&d| totals[d]).sum();
        if volume > 0.0 {
            for &d in &recent {
                for (j, s) in share.iter_mut().enumerate() {
                    *s += training.values[d * per_day + j] / volume;
                }
            }
        }
    }
    DailyProfile {
        daily: fit_series(&totals, 7, false, FIT_WEEKS),
        shares,
        per_day,
        next_weekday: days % 7,
    }
}

impl Fitted for DailyProfile {
    fn predict_point(&self, horizon: usize) -> Vec<f64> {
        let days = horizon.div_ceil(self.per_day);
        let totals = self.daily.forecast(days);
        (0..horizon)
            .map(|h| {
                let day = h / self.per_day;
                let weekday = (self.next_weekday + day) % 7;
                totals[day].max(0.0) * self.shares[weekday][h % self.per_day]
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::Seasons;

    #[test]
    fn steady_days_are_spread_by_their_weekday_shape() {
        // 2 intervals a day; weekdays bring 100 (split 25/75), Sundays 10 (split 50/50).
        let seasons = Seasons {
            per_day: 2,
            per_week: 14,
        };
        let mut values = Vec::new();
        for day in 0..8 * 7 {
            if day % 7 == 6 {
                values.extend([5.0, 5.0]);
            } else {
                values.extend([25.0, 75.0]);
            }
        }
        let fitted = fit(Training::new(&values, seasons), 4);
        let forecast = fitted.predict_point(14);
        for day in 0..7 {
            let (a, b) = (forecast[2 * day], forecast[2 * day + 1]);
            let (ea, eb) = if day == 6 { (5.0, 5.0) } else { (25.0, 75.0) };
            assert!(
                (a - ea).abs() < 1.0 && (b - eb).abs() < 1.0,
                "day {day}: {forecast:?}"
            );
        }
    }
}
