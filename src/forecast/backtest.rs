//! Rolling-origin evaluation: each model forecasts each origin's horizon from the history
//! before it, and is scored on what happened. `auto` is evaluated the same way, choosing its
//! model at each origin only from data before that origin, so its score is honest.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::metrics::{block_totals, coverage, Scores};
use super::pipeline::{forecast_prepared, prepare, ForecastSettings, ModelChoice};
use crate::data::{Holidays, PointStatus, RegionSeries};
use crate::error::Result;
use crate::time::{self, MINUTES_PER_DAY};

/// One forecast window: `[start_minute, end_minute)` on the wall clock, starting at midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub start_minute: i64,
    pub end_minute: i64,
}

/// The last `count` whole calendar months of the series, oldest first (each forecast from
/// everything before it).
pub fn monthly_origins(series: &RegionSeries, count: usize) -> Vec<Origin> {
    let first_day = time::date_from_day(time::day_of_minute(series.start_minute));
    let end_minute = series.minute(series.len());
    let mut origins = Vec::new();
    let mut month = first_of_month(time::date_from_day(time::day_of_minute(end_minute - 1)));
    while origins.len() < count {
        let next = time::next_month_start(month);
        let (start, end) = (time::minute_of_date(month), time::minute_of_date(next));
        if end <= end_minute && month > first_day {
            origins.push(Origin {
                start_minute: start,
                end_minute: end,
            });
        }
        if month <= first_day {
            break;
        }
        month = previous_month(month);
    }
    origins.reverse();
    origins
}

/// `count` windows of `horizon_days`, `step_days` apart, the last ending at the last midnight
/// of the series; oldest first.
pub fn rolling_origins(
    series: &RegionSeries,
    count: usize,
    horizon_days: i64,
    step_days: i64,
) -> Vec<Origin> {
    let end = series.minute(series.len()).div_euclid(MINUTES_PER_DAY) * MINUTES_PER_DAY;
    let mut origins: Vec<Origin> = (0..count as i64)
        .map(|k| {
            let end_minute = end - k * step_days * MINUTES_PER_DAY;
            Origin {
                start_minute: end_minute - horizon_days * MINUTES_PER_DAY,
                end_minute,
            }
        })
        .filter(|o| o.start_minute > series.start_minute)
        .collect();
    origins.reverse();
    origins
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn previous_month(date: NaiveDate) -> NaiveDate {
    date.checked_sub_months(chrono::Months::new(1))
        .unwrap_or(date)
}

/// The scores of one model at one origin.
#[derive(Debug, Clone, Serialize)]
pub struct OriginScore {
    pub region: String,
    pub model: String,
    /// With `auto`: the model it chose at this origin.
    pub chosen: Option<String>,
    pub origin: String,
    pub interval: Scores,
    pub daily: Scores,
    /// Share of actuals inside the prediction band.
    pub coverage: f64,
    pub level: f64,
    pub scored_intervals: usize,
}

/// Runs every model choice at every origin for one region.
pub fn backtest_region(
    series: &RegionSeries,
    holidays: Option<&Holidays>,
    origins: &[Origin],
    choices: &[ModelChoice],
    settings: &ForecastSettings,
) -> Result<Vec<OriginScore>> {
    let mut scores = Vec::new();
    let d = series.interval_minutes as i64;
    for origin in origins {
        let Some(prepared) = prepare(series, holidays, origin.start_minute) else {
            continue;
        };
        let history = &prepared.values;
        let per_day = prepared.seasons.per_day;
        for &choice in choices {
            let forecast = forecast_prepared(
                series,
                holidays,
                &prepared,
                origin.end_minute,
                choice,
                settings,
            )?;
            let n = forecast.point.len();
            // Actuals where they are real: observed, open, not a special day.
            let mut actual = vec![f64::NAN; n];
            let mut predicted = vec![f64::NAN; n];
            let (mut lower, mut upper) = (vec![f64::NAN; n], vec![f64::NAN; n]);
            for h in 0..n {
                let minute = forecast.minute(h);
                let i = (minute - series.start_minute) / d;
                if i < 0 || i as usize >= series.len() {
                    continue;
                }
                let i = i as usize;
                if series.status[i] == PointStatus::Observed
                    && !forecast.closed[h]
                    && forecast.special_day[h].is_none()
                {
                    actual[h] = series.contacts[i];
                    predicted[h] = forecast.point[h];
                    lower[h] = forecast.lower[h];
                    upper[h] = forecast.upper[h];
                }
            }
            let daily_actual = block_totals(&actual, per_day);
            let daily_predicted = block_totals(&predicted, per_day);
            let daily_history = block_totals(history, per_day);
            scores.push(OriginScore {
                region: series.region.clone(),
                model: match choice {
                    ModelChoice::Auto => "auto".into(),
                    ModelChoice::Fixed(spec) => spec.to_string(),
                },
                chosen: matches!(choice, ModelChoice::Auto).then(|| forecast.model.clone()),
                origin: time::format_minute(origin.start_minute),
                interval: Scores::compute(&actual, &predicted, history, prepared.seasons.per_week),
                daily: Scores::compute(&daily_actual, &daily_predicted, &daily_history, 7),
                coverage: coverage(&actual, &lower, &upper),
                level: settings.level,
                scored_intervals: actual.iter().filter(|v| v.is_finite()).count(),
            });
        }
    }
    Ok(scores)
}

/// Mean scores of one model over its origins.
#[derive(Debug, Clone, Serialize)]
pub struct ModelSummary {
    pub region: String,
    pub model: String,
    pub origins: usize,
    pub interval_wape: f64,
    pub daily_wape: f64,
    pub interval_mape: f64,
    pub interval_smape: f64,
    pub interval_mase: f64,
    pub interval_bias: f64,
    pub coverage: f64,
}

/// Averages the per-origin scores by (region, model), in first-seen order.
pub fn summarise(scores: &[OriginScore]) -> Vec<ModelSummary> {
    let mut keys: Vec<(String, String)> = Vec::new();
    for s in scores {
        let key = (s.region.clone(), s.model.clone());
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys.into_iter()
        .map(|(region, model)| {
            let rows: Vec<&OriginScore> = scores
                .iter()
                .filter(|s| s.region == region && s.model == model)
                .collect();
            let mean = |f: &dyn Fn(&OriginScore) -> f64| {
                let values: Vec<f64> = rows
                    .iter()
                    .map(|r| f(r))
                    .filter(|v| v.is_finite())
                    .collect();
                if values.is_empty() {
                    f64::NAN
                } else {
                    values.iter().sum::<f64>() / values.len() as f64
                }
            };
            ModelSummary {
                origins: rows.len(),
                interval_wape: mean(&|r| r.interval.wape),
                daily_wape: mean(&|r| r.daily.wape),
                interval_mape: mean(&|r| r.interval.mape),
                interval_smape: mean(&|r| r.interval.smape),
                interval_mase: mean(&|r| r.interval.mase),
                interval_bias: mean(&|r| r.interval.bias),
                coverage: mean(&|r| r.coverage),
                region,
                model,
            }
        })
        .collect()
}
