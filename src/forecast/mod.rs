//! Forecasting contact volumes: models on plain slices, prediction intervals calibrated on
//! out-of-sample errors, rolling-origin backtests and automatic model selection.
//!
//! Models see a complete training series that starts on slot 0 of the week (Monday 00:00 on
//! the wall clock) and ends on a whole day; holidays are imputed before fitting and closed slots
//! are forced to zero afterwards, so a model only has to do one thing: extrapolate a seasonal
//! series.

pub mod accuracy;
mod average;
pub mod backtest;
pub mod forecasts;
mod holt_winters;
mod intervals;
mod low_rank;
pub mod metrics;
mod model;
mod month_cycle;
mod mstl;
mod naive;
mod optimize;
pub mod pipeline;
mod profile;
pub mod registry;
pub mod stage;
mod taylor;
pub mod top_down;
mod yearly;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

pub use crate::error::FitError;
use crate::time::{MINUTES_PER_DAY, MINUTES_PER_WEEK};
pub use registry::{BaseModel, Estimate, ModelInfo, MODELS};
pub use top_down::{group_series, GroupTraining};

/// The daily and weekly season lengths of a series, in intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Seasons {
    pub per_day: usize,
    pub per_week: usize,
}

impl Seasons {
    pub fn for_interval(interval_minutes: u32) -> Self {
        Seasons {
            per_day: (MINUTES_PER_DAY / interval_minutes as i64) as usize,
            per_week: (MINUTES_PER_WEEK / interval_minutes as i64) as usize,
        }
    }
}

/// A training series: `values[0]` is slot 0 of the week, the length is a whole number of days.
#[derive(Debug, Clone, Copy)]
pub struct Training<'a> {
    pub values: &'a [f64],
    pub seasons: Seasons,
    /// Day number (days since 1970-01-01 on the wall clock) of `values[0]`, a Monday: models
    /// with a calendar effect (the day of the month) need the dates.
    pub first_day: i64,
    /// The group this series belongs to (the sum of the file's regions), for the top-down
    /// model; `None` for a file of one region.
    pub parent: Option<Parent<'a>>,
}

/// A region's place in its group's training data: the group's value `offset + t` is the same
/// interval as the region's value `t`.
#[derive(Clone, Copy)]
pub struct Parent<'a> {
    pub group: &'a GroupTraining,
    pub offset: usize,
}

impl fmt::Debug for Parent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Parent {{ offset: {} }}", self.offset)
    }
}

/// Monday 2024-01-01, the first day of a training series whose dates do not matter.
const ANY_MONDAY: i64 = 19_723;

impl<'a> Training<'a> {
    pub fn new(values: &'a [f64], seasons: Seasons) -> Self {
        Training {
            values,
            seasons,
            first_day: ANY_MONDAY,
            parent: None,
        }
    }

    /// The same series as part of a group.
    pub fn in_group(self, parent: Option<Parent<'a>>) -> Self {
        Training { parent, ..self }
    }

    /// The same series with its first value on day number `first_day`.
    pub fn starting_on(self, first_day: i64) -> Self {
        Training { first_day, ..self }
    }

    /// The first `len` values, as the training data of an earlier origin.
    pub fn head(self, len: usize) -> Self {
        Training {
            values: &self.values[..len],
            ..self
        }
    }

    /// The same dates with other values (e.g. seasonally adjusted).
    pub fn with_values(self, values: &'a [f64]) -> Self {
        Training { values, ..self }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Whole weeks of history.
    pub fn weeks(&self) -> usize {
        self.values.len() / self.seasons.per_week
    }

    /// Whole days of history.
    pub fn days(&self) -> usize {
        self.values.len() / self.seasons.per_day
    }

    /// Total volume of each day.
    pub fn daily_totals(&self) -> Vec<f64> {
        self.values
            .chunks_exact(self.seasons.per_day)
            .map(|day| day.iter().sum())
            .collect()
    }
}

/// A point forecast with an optional prediction band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    pub point: Vec<f64>,
    pub band: Option<Band>,
}

/// A central prediction interval: `level` in (0, 1), e.g. 0.8.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub level: f64,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

/// A model fitted to a training series (what a [`ModelSpec`] or a [`Pool`] fits to).
///
/// A model implements [`Fitted::predict_point`]; [`Fitted::predict`] gives the forecast in the
/// shape of augurs' `Predict` (a point forecast and, at a level, a band). A plain model has no
/// band of its own: wfm's bands come from its out-of-sample errors, which [`Calibrated`] adds.
pub trait Fitted: Send + Sync {
    /// Point forecasts (expected contacts) for the `horizon` intervals after the training series.
    fn predict_point(&self, horizon: usize) -> Vec<f64>;

    /// One-step-ahead fitted values over the training series, where the model has them.
    fn fitted_values(&self) -> Option<Vec<f64>> {
        None
    }

    /// The forecast of the next `horizon` intervals, with a band at `level` (in (0, 1), e.g.
    /// 0.8) when the model can give one.
    fn predict(&self, horizon: usize, level: Option<f64>) -> Result<Forecast, PredictError> {
        check_level(level)?;
        Ok(Forecast {
            point: self.predict_point(horizon),
            band: None,
        })
    }
}

/// Why a fitted model cannot predict.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PredictError {
    #[error("a prediction band level must lie strictly between 0 and 1, got {0}")]
    Level(f64),
}

fn check_level(level: Option<f64>) -> Result<(), PredictError> {
    match level {
        Some(l) if !(l > 0.0 && l < 1.0) => Err(PredictError::Level(l)),
        _ => Ok(()),
    }
}

/// A fitted model with the out-of-sample errors of its refits inside the training data (on the
/// square-root scale, binned by forecast level): its `predict` gives a band at any level.
pub struct Calibrated {
    model: Box<dyn Fitted>,
    errors: Option<intervals::ErrorModel>,
}

impl Calibrated {
    /// A fitted model and the errors its band is drawn from (`None`: no band).
    pub(crate) fn new(model: Box<dyn Fitted>, errors: Option<intervals::ErrorModel>) -> Self {
        Calibrated { model, errors }
    }

    /// The `level` band around a point forecast `value`, when the model has errors to draw it
    /// from (for a point that was changed after the prediction, such as a special day's).
    pub(crate) fn band(&self, value: f64, level: f64) -> Option<(f64, f64)> {
        self.errors.as_ref().map(|errors| errors.band(value, level))
    }

    /// Fits `spec` to `training` and calibrates its band on `origins` refits (a week apart)
    /// that each forecast `horizon` intervals; `scored[t]` says which points count.
    pub fn fit(
        spec: &Pool,
        training: Training<'_>,
        scored: &[bool],
        horizon: usize,
        origins: usize,
    ) -> Result<Self, FitError> {
        Ok(Calibrated {
            model: spec.fit(training)?,
            errors: intervals::calibrate(spec, training, scored, horizon, origins),
        })
    }
}

impl Fitted for Calibrated {
    fn predict_point(&self, horizon: usize) -> Vec<f64> {
        self.model.predict_point(horizon)
    }

    fn fitted_values(&self) -> Option<Vec<f64>> {
        self.model.fitted_values()
    }

    fn predict(&self, horizon: usize, level: Option<f64>) -> Result<Forecast, PredictError> {
        check_level(level)?;
        let point = self.predict_point(horizon);
        let band = match (level, &self.errors) {
            (Some(level), Some(errors)) => {
                let (lower, upper) = point
                    .iter()
                    .map(|&p| {
                        let (lo, hi) = errors.band(p, level);
                        (lo.min(p.max(0.0)), hi.max(p.max(0.0)))
                    })
                    .unzip();
                Some(Band {
                    level,
                    lower,
                    upper,
                })
            }
            _ => None,
        };
        Ok(Forecast { point, band })
    }
}

/// How the seasonal average weighs the past weeks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Averaging {
    Mean,
    Median,
    /// Exponentially decaying weights; the decay is fitted on the history.
    Exponential,
}

impl BaseModel {
    pub const SEASONAL_NAIVE: BaseModel = BaseModel::of(&naive::MODEL);
    /// The seasonal averages `auto` considers, each its own candidate and a combination member.
    pub const AVERAGES: [BaseModel; 3] = [
        BaseModel::of(&average::SAVG),
        BaseModel::of(&average::SMEDIAN),
        BaseModel::of(&average::EWAVG),
    ];
    pub const PROFILE: BaseModel = BaseModel::of(&profile::MODEL);
    pub const LOW_RANK: BaseModel = BaseModel::of(&low_rank::MODEL);
    pub const MSTL: BaseModel = BaseModel::of(&mstl::MODEL);
    pub const COMBINATION: BaseModel = BaseModel::of(&COMBINATION);
    pub const TOP_DOWN: BaseModel = BaseModel::of(&top_down::MODEL);

    /// A seasonal average of `weeks` weeks.
    pub fn average(weeks: usize, averaging: Averaging) -> BaseModel {
        let info = match averaging {
            Averaging::Mean => &average::SAVG,
            Averaging::Median => &average::SMEDIAN,
            Averaging::Exponential => &average::EWAVG,
        };
        BaseModel::with_weeks(info, weeks)
    }

    /// The members of `combo`: the averages, the daily profile and MSTL.
    pub fn combination_members() -> [BaseModel; 5] {
        let [a, b, c] = Self::AVERAGES;
        [a, b, c, Self::PROFILE, Self::MSTL]
    }
}

/// `combo`: the mean of the seasonal averages, the daily-profile model and MSTL; forecast
/// combinations are robustly more accurate than their members (Makridakis et al., M4, 2020).
pub(crate) static COMBINATION: ModelInfo = ModelInfo {
    name: "combo",
    summary: "the mean of savg:4, smedian:8, ewavg:12, profile:8 and mstl",
    default_weeks: None,
    min_weeks: |_| 3,
    fit: |training, _| {
        Ok(Box::new(Combination {
            members: BaseModel::combination_members()
                .iter()
                .map(|m| m.fit(training))
                .collect::<Result<_, _>>()?,
        }))
    },
    estimates: Estimate::Mean,
    needs_group: false,
};

/// An unfitted model: a model of the series, optionally on data adjusted for the day-of-month
/// cycle (`dom-savg:4`). Parsed from and displayed as its name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelSpec {
    pub base: BaseModel,
    /// Divide the history by day-of-month factors before fitting, multiply the forecast back.
    pub day_of_month: bool,
}

impl From<BaseModel> for ModelSpec {
    fn from(base: BaseModel) -> Self {
        ModelSpec {
            base,
            day_of_month: false,
        }
    }
}

impl ModelSpec {
    /// `base` fitted on data adjusted for the day-of-month cycle.
    pub fn day_of_month(base: BaseModel) -> Self {
        ModelSpec {
            base,
            day_of_month: true,
        }
    }

    /// The candidates `--model auto` chooses among: every registered model with its default
    /// `:K`, and the `dom-` variants below.
    pub fn candidates() -> Vec<ModelSpec> {
        // `lastyear` alone is no candidate: on 12 month-ahead origins of the emergency
        // department's arrivals `auto` chose it 6 times and its pooled RMSSE went from 0.782 to
        // 0.785 (issue 24); it is there for `--model` and `backtest --models`. Its means with a
        // weekly model (`yearmix`, `yearcombo`) are, and they need more than a year of history
        // (their `min_weeks`), so a shorter one is scored as before. Nor is `yearadj`: on the
        // origins April 2016 – March 2017 it lowered `auto`'s daily WAPE from 6.97 to 6.89 %,
        // but it is so close to the mixes that the holidays file flipped the choice in a month
        // without holidays (February 2017: 0.76 points worse with the file than without,
        // against 0.36 at most before).
        let mut all: Vec<ModelSpec> = MODELS
            .iter()
            .filter(|info| info.name != yearly::MODEL.name && info.name != yearly::ADJUSTED.name)
            .map(|info| ModelSpec::from(BaseModel::of(info)))
            .collect();
        // The day-of-month variants of the models that take their level from recent weeks (the
        // smoothing models fit their own level and gained less on the May–August 1999 origins).
        all.extend(
            BaseModel::AVERAGES
                .into_iter()
                .chain([
                    BaseModel::PROFILE,
                    BaseModel::LOW_RANK,
                    BaseModel::COMBINATION,
                ])
                .map(ModelSpec::day_of_month),
        );
        all
    }

    /// Weeks of history the model needs.
    pub fn min_weeks(&self) -> usize {
        let base = self.base.min_weeks();
        if self.day_of_month {
            base.max(month_cycle::MIN_WEEKS)
        } else {
            base
        }
    }

    pub fn fit(&self, training: Training<'_>) -> Result<Box<dyn Fitted>, FitError> {
        if !self.day_of_month {
            return self.base.fit(training);
        }
        if training.weeks() < self.min_weeks() {
            return Err(FitError::too_short(
                self,
                self.min_weeks(),
                training.weeks(),
            ));
        }
        month_cycle::fit(self.base, training)
    }
}

impl Serialize for ModelSpec {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Prefix of a model fitted on day-of-month adjusted data.
const DAY_OF_MONTH_PREFIX: &str = "dom-";

impl fmt::Display for ModelSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.day_of_month {
            write!(f, "{DAY_OF_MONTH_PREFIX}")?;
        }
        write!(f, "{}", self.base)
    }
}

impl FromStr for ModelSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.strip_prefix(DAY_OF_MONTH_PREFIX) {
            Some(base) => match base.parse::<BaseModel>()? {
                base if base.needs_group() => Err(format!(
                    "\"{text}\": {} takes its cycles from the group's forecast; it has no dom- variant",
                    base.info.name
                )),
                base => Ok(ModelSpec::day_of_month(base)),
            },
            None => Ok(text.parse::<BaseModel>()?.into()),
        }
    }
}

/// One model, or the equal-weight mean of several: `auto` forecasts with the mean of the best
/// candidates of its backtest rather than the single best. Pooling the top few is more robust
/// than picking one, whose lead over the next is often noise (Kourentzes, Barrow & Petropoulos,
/// "Another look at forecast selection and combination: evidence from forecast pooling",
/// IJPE 209, 2019).
#[derive(Debug, Clone, PartialEq)]
pub struct Pool(pub Vec<ModelSpec>);

impl Pool {
    pub fn min_weeks(&self) -> usize {
        self.0.iter().map(ModelSpec::min_weeks).max().unwrap_or(1)
    }

    pub fn fit(&self, training: Training<'_>) -> Result<Box<dyn Fitted>, FitError> {
        match self.0.as_slice() {
            [one] => one.fit(training),
            members => Ok(Box::new(Combination {
                members: members
                    .iter()
                    .map(|m| m.fit(training))
                    .collect::<Result<_, _>>()?,
            })),
        }
    }
}

impl Serialize for Pool {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        write!(f, "{}", names.join("+"))
    }
}

/// The equal-weight mean of fitted members.
pub(crate) struct Combination {
    pub(crate) members: Vec<Box<dyn Fitted>>,
}

impl Fitted for Combination {
    fn predict_point(&self, horizon: usize) -> Vec<f64> {
        let mut sum = vec![0.0; horizon];
        for member in &self.members {
            for (s, v) in sum.iter_mut().zip(member.predict_point(horizon)) {
                *s += v.max(0.0);
            }
        }
        let n = self.members.len().max(1) as f64;
        sum.iter().map(|s| s / n).collect()
    }
}

/// Values of the same slot in the weeks before the end of `values`, most recent first:
/// for the slot of `values.len() + h`, up to `weeks` of them.
pub(crate) fn same_slot_history(
    values: &[f64],
    per_week: usize,
    horizon_index: usize,
    weeks: usize,
) -> impl Iterator<Item = f64> + '_ {
    let n = values.len();
    // The most recent index with the same slot as n + horizon_index.
    let phase = (n + horizon_index) % per_week;
    let last_full = n - 1 - ((n - 1 + per_week - phase) % per_week);
    (0..weeks)
        .map(move |k| last_full as i64 - (k * per_week) as i64)
        .take_while(|&i| i >= 0)
        .map(move |i| values[i as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for spec in ModelSpec::candidates() {
            assert_eq!(spec.to_string().parse::<ModelSpec>().unwrap(), spec);
        }
        let savg4 = BaseModel::average(4, Averaging::Mean);
        assert_eq!("savg".parse::<ModelSpec>().unwrap(), savg4.into());
        assert_eq!(
            "dom-savg".parse::<ModelSpec>().unwrap(),
            ModelSpec::day_of_month(savg4)
        );
        assert_eq!(ModelSpec::day_of_month(savg4).to_string(), "dom-savg:4");
        assert!("savg:0".parse::<ModelSpec>().is_err());
        assert!("dom-".parse::<ModelSpec>().is_err());
        assert!("dom-dom-savg".parse::<ModelSpec>().is_err());
        assert!("arima"
            .parse::<ModelSpec>()
            .unwrap_err()
            .contains("unknown model"));
        assert!("snaive:3".parse::<ModelSpec>().is_err());
    }

    #[test]
    fn same_slot_history_walks_back_by_weeks() {
        // per_week 3, values 0..7 (slots 0,1,2,0,1,2,0): the slot of index 7 (slot 1)
        // was last seen at index 4, then 1.
        let values: Vec<f64> = (0..7).map(|v| v as f64).collect();
        let got: Vec<f64> = same_slot_history(&values, 3, 0, 5).collect();
        assert_eq!(got, vec![4.0, 1.0]);
        let got: Vec<f64> = same_slot_history(&values, 3, 2, 5).collect();
        assert_eq!(got, vec![6.0, 3.0, 0.0], "slot of index 9 is slot 0");
    }
}

#[cfg(test)]
mod pipeline_tests;
