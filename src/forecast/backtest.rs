//! Rolling-origin evaluation: each model forecasts each origin's horizon from the history
//! before it, and is scored on what happened. `auto` is evaluated the same way, choosing its
//! model at each origin only from data before that origin, so its score is honest.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::metrics::{block_totals, coverage, Scores};
use rayon::prelude::*;

use super::pipeline::{forecast_prepared, prepare, ForecastSettings, Groups, ModelChoice};
use super::top_down::group_series;
use super::{ModelSpec, Pool};
use crate::data::{History, Holidays, PointStatus, RegionSeries};
use crate::error::{FitError, Result, WfmError};
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
    pub model: ModelChoice,
    /// With `auto`: the model (or pool) it chose at this origin.
    pub chosen: Option<Pool>,
    /// Wall-clock start of the window scored.
    pub origin: NaiveDateTime,
    pub interval: Scores,
    pub daily: Scores,
    /// Share of actuals inside the prediction band.
    pub coverage: f64,
    pub level: f64,
    pub scored_intervals: usize,
    /// Contacts in the scored intervals: the weight of this score in the all-regions summary.
    pub actual_total: f64,
}

/// A backtest window and the groups of regions prepared at its origin (for `topdown`).
#[derive(Clone)]
pub struct BacktestOrigin {
    pub window: Origin,
    pub groups: Groups,
}

impl BacktestOrigin {
    /// Prepares the group of `regions` at each window's origin; the groups are shared by all
    /// regions, so the group's model is chosen and fitted once per origin.
    pub fn with_groups(
        windows: &[Origin],
        regions: &[RegionSeries],
        holidays: Option<&Holidays>,
        settings: &ForecastSettings,
    ) -> Vec<BacktestOrigin> {
        windows
            .par_iter()
            .map(|&window| BacktestOrigin {
                window,
                groups: Groups::prepare(
                    regions,
                    holidays,
                    window.start_minute,
                    window.end_minute,
                    settings,
                ),
            })
            .collect()
    }
}

/// A model left out for a region at an origin, and why (its history is too short for it, or
/// it needs a group the file does not have).
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub region: String,
    pub model: ModelChoice,
    pub origin: NaiveDateTime,
    pub reason: SkipReason,
}

/// Why a model was left out at an origin; written as its message.
#[derive(Debug, Clone, PartialEq)]
pub enum SkipReason {
    /// The history before the origin is too short for the model, or it needs a group.
    NotFitted(FitError),
    /// The history before the origin cannot backtest the horizon (the message says how far it
    /// can).
    HorizonTooLong {
        asked_days: usize,
        longest_days: usize,
        message: String,
    },
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::NotFitted(reason) => write!(f, "{reason}"),
            SkipReason::HorizonTooLong { message, .. } => write!(f, "{message}"),
        }
    }
}

impl Serialize for SkipReason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Skips of one model for one reason (a horizon too long for the history, whatever the
/// origin), over regions and origins.
#[derive(Debug, Clone)]
pub struct SkippedGroup<'a> {
    pub model: ModelChoice,
    /// The reason at the latest origin skipped.
    pub reason: &'a SkipReason,
    pub regions: Vec<&'a str>,
    pub origins: Vec<NaiveDateTime>,
    pub latest: NaiveDateTime,
}

/// Every score of one region, and the models it could not run.
#[derive(Debug, Clone, Default)]
pub struct RegionBacktest {
    pub scores: Vec<OriginScore>,
    pub skipped: Vec<Skipped>,
}

/// Runs every model choice at every origin for one region. A model that the region's history
/// cannot support at an origin is skipped with a note, never an abort of the others.
pub fn backtest_region(
    series: &RegionSeries,
    holidays: Option<&Holidays>,
    origins: &[BacktestOrigin],
    choices: &[ModelChoice],
    settings: &ForecastSettings,
) -> Result<RegionBacktest> {
    let mut result = RegionBacktest::default();
    let d = series.interval_minutes as i64;
    for BacktestOrigin {
        window: origin,
        groups,
    } in origins
    {
        let Some(mut prepared) = prepare(series, holidays, origin.start_minute) else {
            continue;
        };
        prepared.join(groups.of(series));
        let history = &prepared.values;
        let per_day = prepared.seasons.per_day;
        for &choice in choices {
            let forecast = match forecast_prepared(
                series,
                holidays,
                &prepared,
                origin.end_minute,
                choice,
                settings,
            ) {
                Ok(forecast) => forecast,
                Err(e @ (WfmError::ModelNotFitted { .. } | WfmError::HorizonTooLong { .. })) => {
                    let reason = match e {
                        WfmError::ModelNotFitted { reason, .. } => SkipReason::NotFitted(reason),
                        WfmError::HorizonTooLong {
                            asked_days,
                            longest_days,
                            ..
                        } => SkipReason::HorizonTooLong {
                            asked_days,
                            longest_days,
                            message: e.to_string(),
                        },
                        _ => unreachable!("matched above"),
                    };
                    result.skipped.push(Skipped {
                        region: series.region.clone(),
                        model: choice,
                        origin: time::naive_from_minutes(origin.start_minute),
                        reason,
                    });
                    continue;
                }
                Err(e) => return Err(e),
            };
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
            result.scores.push(OriginScore {
                region: series.region.clone(),
                model: choice,
                chosen: matches!(choice, ModelChoice::Auto)
                    .then(|| forecast.model.clone())
                    .flatten(),
                origin: time::naive_from_minutes(origin.start_minute),
                interval: Scores::compute(&actual, &predicted, history, prepared.seasons.per_week),
                daily: Scores::compute(&daily_actual, &daily_predicted, &daily_history, 7),
                coverage: coverage(&actual, &lower, &upper),
                level: settings.level,
                scored_intervals: actual.iter().filter(|v| v.is_finite()).count(),
                actual_total: actual.iter().filter(|v| v.is_finite()).sum(),
            });
        }
    }
    Ok(result)
}

/// Mean scores of one model over its origins.
#[derive(Debug, Clone, Serialize)]
pub struct ModelSummary {
    pub region: Scope,
    pub model: ModelChoice,
    pub origins: usize,
    pub interval_wape: f64,
    pub daily_wape: f64,
    pub interval_mape: f64,
    pub interval_smape: f64,
    pub interval_mase: f64,
    pub interval_rmsse: f64,
    pub interval_bias: f64,
    pub coverage: f64,
}

/// What a summary row covers: one region, or every region of the file (written `all regions`,
/// which a region of that name cannot be mistaken for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Region(String),
    AllRegions,
}

impl Scope {
    /// Whether this is the row of region `name`.
    pub fn is_region(&self, name: &str) -> bool {
        matches!(self, Scope::Region(region) if region == name)
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Region(region) => write!(f, "{region}"),
            Scope::AllRegions => write!(f, "all regions"),
        }
    }
}

impl Serialize for Scope {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Averages the per-origin scores by (region, model), in first-seen order. With several
/// regions, one more row per model sums them up as `all regions`: WAPE and bias weighted by
/// each score's contacts (so they are Σ|e| / Σy and Σe / Σy over everything), coverage by its
/// intervals, the scaled errors plain means.
pub fn summarise(scores: &[OriginScore]) -> Vec<ModelSummary> {
    let mut keys: Vec<(&str, ModelChoice)> = Vec::new();
    let mut regions: Vec<&str> = Vec::new();
    for s in scores {
        let key = (s.region.as_str(), s.model);
        if !keys.contains(&key) {
            keys.push(key);
        }
        if !regions.contains(&s.region.as_str()) {
            regions.push(&s.region);
        }
    }
    let mut summaries: Vec<ModelSummary> = keys
        .iter()
        .map(|&(region, model)| {
            let rows: Vec<&OriginScore> = scores
                .iter()
                .filter(|s| s.region == region && s.model == model)
                .collect();
            let scope = Scope::Region(region.to_string());
            summary_of(scope, model, &rows, |_| 1.0, |_| 1.0)
        })
        .collect();
    if regions.len() > 1 {
        let mut models: Vec<ModelChoice> = Vec::new();
        for &(_, model) in &keys {
            if !models.contains(&model) {
                models.push(model);
            }
        }
        for model in models {
            let rows: Vec<&OriginScore> = scores.iter().filter(|s| s.model == model).collect();
            summaries.push(summary_of(
                Scope::AllRegions,
                model,
                &rows,
                |r| r.actual_total,
                |r| r.scored_intervals as f64,
            ));
        }
    }
    summaries
}

/// One summary row: WAPE and bias weighted by `volume`, coverage by `intervals`, the rest
/// plain means; NaN scores are left out.
fn summary_of(
    region: Scope,
    model: ModelChoice,
    rows: &[&OriginScore],
    volume: impl Fn(&OriginScore) -> f64,
    intervals: impl Fn(&OriginScore) -> f64,
) -> ModelSummary {
    let weighted = |f: &dyn Fn(&OriginScore) -> f64, weight: &dyn Fn(&OriginScore) -> f64| {
        let (sum, total) = rows
            .iter()
            .map(|r| (f(r), weight(r)))
            .filter(|(v, w)| v.is_finite() && *w > 0.0)
            .fold((0.0, 0.0), |(s, t), (v, w)| (s + v * w, t + w));
        if total > 0.0 {
            sum / total
        } else {
            f64::NAN
        }
    };
    let mean = |f: &dyn Fn(&OriginScore) -> f64| weighted(f, &|_| 1.0);
    ModelSummary {
        origins: rows.len(),
        interval_wape: weighted(&|r| r.interval.wape, &volume),
        daily_wape: weighted(&|r| r.daily.wape, &volume),
        interval_mape: mean(&|r| r.interval.mape),
        interval_smape: mean(&|r| r.interval.smape),
        interval_mase: mean(&|r| r.interval.mase),
        interval_rmsse: mean(&|r| r.interval.rmsse),
        interval_bias: weighted(&|r| r.interval.bias, &volume),
        coverage: weighted(&|r| r.coverage, &intervals),
        region,
        model,
    }
}

/// The windows a backtest evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BacktestHorizon {
    /// Each of the last whole calendar months.
    Month,
    /// Windows of this many days, `step_days` apart, the last ending at the end of the data.
    Days { days: u32, step_days: u32 },
}

/// What the backtest stage needs besides the history.
#[derive(Debug, Clone)]
pub struct BacktestConfig {
    /// The models to compare (`auto` is evaluated honestly: it chooses at every origin from
    /// the data before it).
    pub choices: Vec<ModelChoice>,
    pub horizon: BacktestHorizon,
    pub origins: usize,
    pub settings: ForecastSettings,
    pub holidays: Option<Holidays>,
}

/// Every score of a backtest, and the models it could not run.
#[derive(Debug, Clone)]
pub struct Backtest {
    pub scores: Vec<OriginScore>,
    pub skipped: Vec<Skipped>,
}

impl BacktestConfig {
    /// What `wfm backtest` compares when no model is named: `auto` and every fixed candidate
    /// it chooses from.
    pub fn every_model() -> Vec<ModelChoice> {
        std::iter::once(ModelChoice::Auto)
            .chain(ModelSpec::candidates().into_iter().map(ModelChoice::Fixed))
            .collect()
    }
}

impl OriginScore {
    /// The origin's date.
    pub fn origin_date(&self) -> NaiveDate {
        self.origin.date()
    }
}

impl Backtest {
    /// `auto`'s choice at each origin of `region`, in origin order: `(origin date, model)`.
    pub fn auto_choices(&self, region: &str) -> Vec<(NaiveDate, &Pool)> {
        self.scores
            .iter()
            .filter(|s| s.region == region)
            .filter_map(|s| Some((s.origin_date(), s.chosen.as_ref()?)))
            .collect()
    }

    /// The models skipped, grouped by model and reason, with the regions each was skipped
    /// for (in order of first appearance).
    pub fn skipped_groups(&self) -> Vec<SkippedGroup<'_>> {
        let mut groups: Vec<SkippedGroup<'_>> = Vec::new();
        // A horizon too long for the history before an origin names that origin's last day,
        // so such skips group by model alone: one note per origin and region buried the table
        // (174 notes on the 911 log's 12 month-ahead origins).
        let alike = |a: &SkipReason, b: &SkipReason| match (a, b) {
            (SkipReason::HorizonTooLong { .. }, SkipReason::HorizonTooLong { .. }) => true,
            _ => a == b,
        };
        for s in &self.skipped {
            match (groups.iter_mut()).find(|g| g.model == s.model && alike(g.reason, &s.reason)) {
                Some(group) => {
                    if !group.regions.contains(&s.region.as_str()) {
                        group.regions.push(&s.region);
                    }
                    if !group.origins.contains(&s.origin) {
                        group.origins.push(s.origin);
                    }
                    // The latest origin's reason is the one said.
                    if s.origin > group.latest {
                        (group.latest, group.reason) = (s.origin, &s.reason);
                    }
                }
                None => groups.push(SkippedGroup {
                    model: s.model,
                    reason: &s.reason,
                    regions: vec![&s.region],
                    origins: vec![s.origin],
                    latest: s.origin,
                }),
            }
        }
        groups
    }

    /// The per-(region, model) means, and the all-regions rows.
    pub fn summary(&self) -> Vec<ModelSummary> {
        summarise(&self.scores)
    }
}

/// Backtests every region of `history` (in parallel) on one set of origins for the whole file,
/// each with the groups of regions prepared at it for the top-down model. An error when no
/// model could be scored at any origin.
pub fn backtest(history: &History, config: &BacktestConfig) -> Result<Backtest> {
    let holidays = config.holidays.as_ref();
    let all: Vec<&RegionSeries> = history.regions.iter().collect();
    let span = group_series(&all, "all regions")
        .or_else(|| history.regions.first().cloned())
        .ok_or_else(|| WfmError::Invalid {
            path: history.path.clone(),
            message: "no region to backtest".into(),
        })?;
    let windows = match config.horizon {
        BacktestHorizon::Month => monthly_origins(&span, config.origins),
        BacktestHorizon::Days { days, step_days } => {
            rolling_origins(&span, config.origins, days as i64, step_days as i64)
        }
    };
    let origins =
        BacktestOrigin::with_groups(&windows, &history.regions, holidays, &config.settings);
    let per_region: Vec<RegionBacktest> = history
        .regions
        .par_iter()
        .map(|series| {
            backtest_region(
                series,
                holidays,
                &origins,
                &config.choices,
                &config.settings,
            )
        })
        .collect::<Result<_>>()?;
    let skipped: Vec<Skipped> = per_region
        .iter()
        .flat_map(|r| r.skipped.iter().cloned())
        .collect();
    let scores: Vec<OriginScore> = per_region.into_iter().flat_map(|r| r.scores).collect();
    if scores.is_empty() {
        let horizon = match config.horizon {
            BacktestHorizon::Month => "month".to_string(),
            BacktestHorizon::Days { days, .. } => format!("{days}d"),
        };
        return Err(WfmError::Invalid {
            path: history.path.clone(),
            message: format!(
                "the history is too short for {} origin(s) of horizon {horizon}{}",
                config.origins,
                skipped
                    .first()
                    .map(|s| format!(" ({})", s.reason))
                    .unwrap_or_default()
            ),
        });
    }
    Ok(Backtest { scores, skipped })
}
