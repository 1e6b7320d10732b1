//! From a region's history to its forecast: training window, holiday imputation, model choice,
//! closed slots, special days in the horizon, prediction band and AHT.

mod finish;
mod groups;
mod guards;
mod selection;
mod training;

pub use groups::{prepare_group, Groups};
#[cfg(test)]
pub(crate) use guards::plausible;
pub(crate) use selection::select;
pub use training::forecast_start;
pub(crate) use training::{prepare, Prepared};
// The jobs of the pipeline share their helpers (each file imports `super::*`).
use {finish::*, groups::*, guards::*, selection::*, training::*};

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::forecasts::{CandidateScore, RegionForecast};
use super::intervals::{calibrate, min_calibration_weeks};
use super::metrics::{block_totals, mean_squared_error, seasonal_naive_mse, wape};
use super::top_down::{group_series, GroupTraining};
use super::{BaseModel, Calibrated, Fitted, Forecast, ModelSpec, Parent, Pool, Seasons, Training};
use crate::data::{Holidays, PointStatus, RegionSeries, TreatAs};
use crate::error::{Result, WfmError};
use crate::time::{self, SlotOfWeek, MINUTES_PER_DAY};

/// Which model to use for a region; written as its name (`auto`, `savg:4`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ModelChoice {
    /// Pick per region by a rolling-origin backtest on the training data.
    Auto,
    Fixed(ModelSpec),
}

impl std::fmt::Display for ModelChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelChoice::Auto => write!(f, "auto"),
            ModelChoice::Fixed(spec) => write!(f, "{spec}"),
        }
    }
}

impl Serialize for ModelChoice {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// How to forecast.
#[derive(Debug, Clone)]
pub struct ForecastSettings {
    pub model: ModelChoice,
    /// Central prediction interval, e.g. 0.8 for the 80 % band.
    pub level: f64,
    /// Origins (one week apart) inside the training data whose errors give the band.
    pub calibration_origins: usize,
    /// Origins (one horizon apart) on which `auto` compares the candidates.
    pub selection_origins: usize,
    pub candidates: Vec<ModelSpec>,
    /// How many of the best candidates `auto` averages (chosen on origins May–August 1999 of
    /// the bundled data, before the months the README reports).
    pub pool: usize,
    /// Forecast further than the history can backtest, with a band widened from the longest
    /// horizon it can; without it such a horizon is an error.
    pub extrapolate: bool,
}

impl Default for ForecastSettings {
    fn default() -> Self {
        ForecastSettings {
            model: ModelChoice::Auto,
            level: 0.8,
            calibration_origins: 4,
            selection_origins: 3,
            candidates: ModelSpec::candidates(),
            pool: 2,
            extrapolate: false,
        }
    }
}

/// Forecasts one region from the history before `until_minute` to `end_minute` (exclusive).
/// The forecast starts at the midnight after the training data. `group` is the sum of the
/// file's regions prepared at the same origin ([`prepare_group`]), for the top-down model.
pub fn forecast_region(
    series: &RegionSeries,
    holidays: Option<&Holidays>,
    until_minute: i64,
    end_minute: i64,
    settings: &ForecastSettings,
    group: Option<&Arc<GroupTraining>>,
) -> Result<RegionForecast> {
    let mut prepared = prepare(series, holidays, until_minute).ok_or_else(|| {
        too_short(
            series,
            "not one whole day of history before the forecast".into(),
        )
    })?;
    prepared.join(group);
    forecast_prepared(
        series,
        holidays,
        &prepared,
        end_minute,
        settings.model,
        settings,
    )
}

/// Weeks of recent history the forecast's level is compared with.
const LEVEL_CHECK_WEEKS: usize = 4;
/// A forecast whose mean is outside this range of the recent weeks' mean gets a note.
const LEVEL_CHECK_RANGE: (f64, f64) = (0.5, 2.0);
/// What a region with recent contacts falls back to when every model forecast zero: the mean
/// of the same slot over the last four weeks, an unbiased estimate of its rate.
const RATE_FALLBACK: ModelSpec = ModelSpec {
    base: BaseModel::AVERAGES[0],
    day_of_month: false,
};

/// Forecasts from already prepared training data with `model` (settings give the rest), so a
/// backtest can try several models on one preparation.
pub(crate) fn forecast_prepared(
    series: &RegionSeries,
    holidays: Option<&Holidays>,
    prepared: &Prepared,
    end_minute: i64,
    model: ModelChoice,
    settings: &ForecastSettings,
) -> Result<RegionForecast> {
    let d = series.interval_minutes as i64;
    let per_day = prepared.seasons.per_day;
    let start = prepared.end_minute();
    let horizon = ((end_minute - start) / d).max(0) as usize;
    let horizon_days = horizon.div_ceil(per_day);

    let fixed = match model {
        ModelChoice::Fixed(spec) => Some(Pool(vec![spec])),
        ModelChoice::Auto => None,
    };
    let longest_days = longest_horizon_days(prepared, fixed.as_ref());
    let mut notes = Vec::new();
    if horizon_days > longest_days && (!settings.extrapolate || longest_days == 0) {
        let training_weeks = min_calibration_weeks(fixed.as_ref().map_or(1, Pool::min_weeks));
        return Err(WfmError::HorizonTooLong {
            region: series.region.clone(),
            asked_days: horizon_days,
            longest_days,
            last_day: time::date_from_day(time::day_of_minute(start) - 1).to_string(),
            training_weeks,
            hint: if longest_days == 0 {
                format!("; give at least {training_weeks} weeks and a day of history")
            } else {
                format!(
                    " (to {}); ask for a shorter horizon or an earlier month, or pass \
                     --extrapolate to forecast anyway with a band widened from the \
                     {longest_days}-day backtest",
                    time::date_from_day(time::day_of_minute(start) + longest_days as i64 - 1)
                )
            },
        });
    }
    // Models are chosen and bands calibrated on the longest horizon the history can check.
    let checked = horizon.min(longest_days * per_day);
    let (spec, selection) = match fixed {
        Some(pool) => (pool, Vec::new()),
        None => {
            let scores = select(prepared, checked, settings);
            (pool_of(&scores, settings.pool), scores)
        }
    };
    // A week past the horizon: a special day treated like another weekday may borrow from it.
    let length = horizon + prepared.seasons.per_week;
    let (mut spec, mut fitted, point) = fit_plausible(series, prepared, spec, horizon, &mut notes)?;
    if let Some(note) = check_level(prepared, &point[..horizon], &spec) {
        if note.all_zero && matches!(model, ModelChoice::Auto) {
            if let Ok(fallback) = RATE_FALLBACK.fit(prepared.training()) {
                fitted = fallback;
                notes.push(format!(
                    "{spec} forecast no contacts although the last {LEVEL_CHECK_WEEKS} weeks had {:.0}: forecast with {RATE_FALLBACK}, their mean, instead",
                    note.recent_total
                ));
                spec = Pool(vec![RATE_FALLBACK]);
            }
        } else {
            notes.push(note.text);
        }
    }
    let errors = calibrate(
        &spec,
        prepared.training(),
        &prepared.scored,
        checked,
        settings.calibration_origins,
    )
    .map(|errors| {
        if horizon > checked && checked > 0 {
            // Errors of a random walk grow with the square root of the horizon: a conservative
            // widening for a seasonal series, whose errors grow more slowly.
            let factor = (horizon as f64 / checked as f64).sqrt();
            notes.push(format!(
                "extrapolated: {horizon_days} days past the history, the longest backtest is {longest_days} days; band widened ×{factor:.2}"
            ));
            errors.widened(factor)
        } else {
            errors
        }
    });
    if errors.is_none() && horizon > 0 {
        notes.push("no prediction band: too few scored intervals to calibrate one".into());
    }
    // The forecast with its band, as any fitted model gives it; `finish` treats the special
    // days and closed slots in it.
    let calibrated = Calibrated::new(fitted, errors);
    let forecast = calibrated
        .predict(length, Some(settings.level))
        .map_err(|e| WfmError::setting("level", settings.level.to_string(), e.to_string()))?;
    Ok(finish(
        series,
        holidays,
        prepared,
        start,
        horizon,
        (&forecast, &calibrated),
        settings.level,
        spec,
        selection,
        notes,
    ))
}
