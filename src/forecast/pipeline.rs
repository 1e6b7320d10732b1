//! From a region's history to its forecast: training window, holiday imputation, model choice,
//! closed slots, special days in the horizon, prediction band and AHT.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::intervals::{calibrate, min_calibration_weeks, ErrorModel};
use super::metrics::{block_totals, mean_squared_error, seasonal_naive_mse, wape};
use super::top_down::{group_series, GroupTraining};
use super::{BaseModel, ModelSpec, Parent, Pool, Seasons, Training};
use crate::data::{Holidays, PointStatus, RegionSeries, TreatAs};
use crate::error::{Result, WfmError};
use crate::time::{self, SlotOfWeek, MINUTES_PER_DAY};

/// Which model to use for a region.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum ModelChoice {
    /// Pick per region by a rolling-origin backtest on the training data.
    Auto,
    Fixed(ModelSpec),
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

/// One candidate's score in the automatic choice.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateScore {
    pub model: String,
    /// What `auto` ranks by: the mean over the selection origins of (interval RMSSE + daily
    /// RMSSE) / 2. A squared error is minimised by the mean, the arrival rate Erlang needs;
    /// NaN when the candidate could not be scored.
    pub score: f64,
    pub interval_rmsse: f64,
    pub daily_rmsse: f64,
    /// Mean interval-level WAPE over the selection origins (reported, not ranked by).
    pub interval_wape: f64,
    /// Mean daily-level WAPE over the selection origins.
    pub daily_wape: f64,
    pub origins: usize,
}

/// A region's forecast on the wall-clock interval grid.
#[derive(Debug, Clone, Serialize)]
pub struct RegionForecast {
    pub region: String,
    pub interval_minutes: u32,
    /// Wall-clock minute of the first forecast interval.
    pub start_minute: i64,
    pub point: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub level: f64,
    pub aht_seconds: Option<Vec<f64>>,
    pub model: String,
    /// With `auto`: every candidate's backtest score, best first.
    pub selection: Vec<CandidateScore>,
    /// Whether the point is a closed slot (0, no band).
    pub closed: Vec<bool>,
    /// Name of the special day a point falls on, if any.
    pub special_day: Vec<Option<String>>,
    /// What a planner should know about this forecast (a fallback, an extrapolated band, a
    /// level far from the recent weeks').
    pub notes: Vec<String>,
}

impl RegionForecast {
    pub fn minute(&self, i: usize) -> i64 {
        self.start_minute + i as i64 * self.interval_minutes as i64
    }

    pub fn len(&self) -> usize {
        self.point.len()
    }

    pub fn is_empty(&self) -> bool {
        self.point.is_empty()
    }

    /// Drops the intervals before `minute` (e.g. to keep only a requested month).
    pub fn keep_from(mut self, minute: i64) -> Self {
        let skip = ((minute - self.start_minute) / self.interval_minutes as i64)
            .clamp(0, self.len() as i64) as usize;
        self.start_minute += skip as i64 * self.interval_minutes as i64;
        self.point.drain(..skip);
        self.lower.drain(..skip);
        self.upper.drain(..skip);
        self.closed.drain(..skip);
        self.special_day.drain(..skip);
        if let Some(aht) = self.aht_seconds.as_mut() {
            aht.drain(..skip);
        }
        self
    }

    /// Forecast total per day: `(day number, total)`.
    pub fn daily_totals(&self) -> Vec<(i64, f64)> {
        let mut totals: Vec<(i64, f64)> = Vec::new();
        for (i, &v) in self.point.iter().enumerate() {
            let day = time::day_of_minute(self.minute(i));
            match totals.last_mut() {
                Some((d, t)) if *d == day => *t += v,
                _ => totals.push((day, v)),
            }
        }
        totals
    }
}

/// A region's training data, ready for the models.
pub(crate) struct Prepared {
    pub values: Vec<f64>,
    pub seasons: Seasons,
    pub start_minute: i64,
    /// Points that count in scores: open and not a special day.
    pub scored: Vec<bool>,
    /// Slot of the week (index) closed in the whole training window.
    pub closed_slot: Vec<bool>,
    /// Median ratio of actual to imputed volume on past special days, if any were seen.
    pub special_day_ratio: Option<f64>,
    /// Median ratio actual / imputed on past eves (the day before a listed whole special day),
    /// when at least `MIN_EVES` were seen.
    pub eve_ratio: Option<f64>,
    pub aht_by_slot: Option<Vec<f64>>,
    pub interval_minutes: u32,
    /// The group of regions this one belongs to and where its training sits in the group's.
    pub group: Option<(Arc<GroupTraining>, usize)>,
}

impl Prepared {
    pub(crate) fn training(&self) -> Training<'_> {
        Training::new(&self.values, self.seasons)
            .starting_on(time::day_of_minute(self.start_minute))
            .in_group(self.group.as_ref().map(|(group, offset)| Parent {
                group,
                offset: *offset,
            }))
    }

    /// Joins the group of regions prepared at the same origin, when it covers this training.
    pub(crate) fn join(&mut self, group: Option<&Arc<GroupTraining>>) {
        self.group = group.and_then(|g| {
            g.offset_of(self.start_minute, self.values.len(), self.interval_minutes)
                .map(|offset| (Arc::clone(g), offset))
        });
    }

    /// Wall-clock minute just after the training data (a midnight).
    pub(crate) fn end_minute(&self) -> i64 {
        self.start_minute + self.values.len() as i64 * self.interval_minutes as i64
    }

    fn slot_of(&self, minute: i64) -> usize {
        SlotOfWeek::of_minute(minute).index(self.interval_minutes)
    }
}

/// Weeks of recent training whose AHT is averaged per slot.
const AHT_WEEKS: usize = 8;

/// Cuts the training window (whole days from a Monday 00:00, before `until_minute`), imputes
/// special days from the same slot a week earlier, and finds closed slots.
pub(crate) fn prepare(
    series: &RegionSeries,
    holidays: Option<&Holidays>,
    until_minute: i64,
) -> Option<Prepared> {
    let d = series.interval_minutes as i64;
    let interval = series.interval_minutes;
    let seasons = Seasons::for_interval(interval);
    let history_end = until_minute.min(series.minute(series.len()));
    let used = ((history_end - series.start_minute) / d).clamp(0, series.len() as i64) as usize;
    if used == 0 {
        return None;
    }
    let mut open_slot = vec![false; seasons.per_week];
    for i in 0..used {
        if !series.status[i].is_closed() {
            open_slot[series.slot(i).index(interval)] = true;
        }
    }
    let closed_slot: Vec<bool> = open_slot.iter().map(|o| !o).collect();
    let is_closed_minute = |m: i64| closed_slot[SlotOfWeek::of_minute(m).index(interval)];
    // The training data start on the Monday 00:00 before the history (the intervals before its
    // first row are filled from the week after) and end on a midnight: the one after the last
    // row when the rest of that day is closed anyway, else the one before.
    let pad = series.slot(0).index(interval);
    let start_minute = series.start_minute - pad as i64 * d;
    let floor = history_end.div_euclid(MINUTES_PER_DAY) * MINUTES_PER_DAY;
    let rest_of_day_closed = (history_end..floor + MINUTES_PER_DAY)
        .step_by(d as usize)
        .all(is_closed_minute);
    let end_minute = if history_end > floor && rest_of_day_closed {
        floor + MINUTES_PER_DAY
    } else {
        floor
    };
    if end_minute <= series.start_minute {
        return None;
    }
    let n = ((end_minute - start_minute) / d) as usize;
    let source = |t: usize| {
        let i = t as i64 - pad as i64;
        (i >= 0 && (i as usize) < used).then_some(i as usize)
    };
    let is_special: Vec<bool> = (0..n)
        .map(|t| {
            source(t).is_some_and(|i| {
                series.status[i] == PointStatus::Holiday
                    || holidays.is_some_and(|h| h.covers_minute(series.minute(i)))
            })
        })
        .collect();
    // Outages (runs of implausible zeros) are missing data, imputed like special days but with
    // no effect of their own to learn.
    let is_outage: Vec<bool> = (0..n)
        .map(|t| source(t).is_some_and(|i| series.status[i] == PointStatus::Outage))
        .collect();
    let is_eve: Vec<bool> = (0..n)
        .map(|t| {
            source(t).is_some_and(|i| {
                !is_special[t] && holidays.is_some_and(|h| is_eve(h, series.minute(i)))
            })
        })
        .collect();
    // Before the first row: unknown (NaN); after the last row: closed (0).
    let raw: Vec<f64> = (0..n)
        .map(|t| match source(t) {
            Some(i) => series.contacts[i],
            None if t < pad => f64::NAN,
            None => 0.0,
        })
        .collect();
    let mut values = raw.clone();
    for t in 0..n {
        if is_special[t] || is_eve[t] || is_outage[t] || values[t].is_nan() {
            let week_later = t + seasons.per_week;
            values[t] = if t >= seasons.per_week {
                values[t - seasons.per_week]
            } else if week_later < n
                && !is_special[week_later]
                && !is_outage[week_later]
                && raw[week_later].is_finite()
            {
                raw[week_later]
            } else if values[t].is_finite() {
                values[t]
            } else {
                0.0
            };
        }
    }
    let scored: Vec<bool> = (0..n)
        .map(|t| {
            source(t).is_some()
                && !is_special[t]
                && !is_eve[t]
                && !is_outage[t]
                && !closed_slot[t % seasons.per_week]
        })
        .collect();
    let special_ratio = special_day_ratio(&raw, &values, &is_special, seasons.per_day, 1);
    let eve_ratio = special_day_ratio(&raw, &values, &is_eve, seasons.per_day, MIN_EVES);

    let aht_by_slot = series.aht_seconds.as_ref().map(|aht| {
        let from = n.saturating_sub(AHT_WEEKS * seasons.per_week);
        let mut weighted = vec![0.0; seasons.per_week];
        let mut weight = vec![0.0; seasons.per_week];
        let (mut all_weighted, mut all_weight) = (0.0, 0.0);
        for t in from..n {
            let Some(i) = source(t) else {
                continue;
            };
            let (a, c) = (aht[i], raw[t]);
            if a.is_finite() && c > 0.0 && !is_special[t] {
                weighted[t % seasons.per_week] += a * c;
                weight[t % seasons.per_week] += c;
                all_weighted += a * c;
                all_weight += c;
            }
        }
        let overall = if all_weight > 0.0 {
            all_weighted / all_weight
        } else {
            f64::NAN
        };
        weighted
            .iter()
            .zip(&weight)
            .map(|(w, c)| if *c > 0.0 { w / c } else { overall })
            .collect()
    });

    Some(Prepared {
        values,
        seasons,
        start_minute,
        scored,
        closed_slot,
        special_day_ratio: special_ratio,
        eve_ratio,
        aht_by_slot,
        interval_minutes: series.interval_minutes,
        group: None,
    })
}

/// Past eves needed before their effect is applied to future eves.
const MIN_EVES: usize = 2;

/// The day before a listed whole special day, itself not listed: many centres see short eves
/// (Christmas Eve, the eve of a Jewish holiday). Its effect is learned from the history.
fn is_eve(holidays: &Holidays, minute: i64) -> bool {
    let day = time::day_of_minute(minute);
    holidays.on_day(day).is_none()
        && holidays
            .on_day(day + 1)
            .is_some_and(|next| next.window_minutes.is_none())
}

/// Where a forecast from the history before `until_minute` starts: the midnight after the last
/// whole day of history (a day whose remaining slots are all closed counts as whole).
pub fn forecast_start(series: &RegionSeries, until_minute: i64) -> Option<i64> {
    prepare(series, None, until_minute).map(|p| p.end_minute())
}

/// Median over past special days of actual volume / volume imputed from a normal week.
fn special_day_ratio(
    raw: &[f64],
    imputed: &[f64],
    special: &[bool],
    per_day: usize,
    min_days: usize,
) -> Option<f64> {
    let mut ratios: Vec<f64> = raw
        .chunks(per_day)
        .zip(imputed.chunks(per_day))
        .zip(special.chunks(per_day))
        .filter(|(_, s)| s.iter().any(|&x| x))
        .filter_map(|((r, i), s)| {
            let (actual, normal) = r
                .iter()
                .zip(i)
                .zip(s)
                .filter(|(_, &x)| x)
                .fold((0.0, 0.0), |(a, n), ((r, i), _)| (a + r, n + i));
            (normal > 0.0).then(|| actual / normal)
        })
        .collect();
    if ratios.is_empty() || ratios.len() < min_days {
        return None;
    }
    ratios.sort_by(f64::total_cmp);
    Some(ratios[ratios.len() / 2])
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

/// The groups of a file's regions at one origin, for the top-down model: the sum of the regions
/// of each `--group-col` value, or of all regions of the file without one.
#[derive(Clone, Default)]
pub struct Groups(Vec<(Option<String>, Arc<GroupTraining>)>);

impl Groups {
    /// Prepares every group of `regions` at the origin `until_minute` for a forecast to
    /// `end_minute` (in parallel); a group of one region, or too short, has none.
    pub fn prepare(
        regions: &[RegionSeries],
        holidays: Option<&Holidays>,
        until_minute: i64,
        end_minute: i64,
        settings: &ForecastSettings,
    ) -> Groups {
        let mut keys: Vec<&Option<String>> = Vec::new();
        for region in regions {
            if !keys.contains(&&region.group) {
                keys.push(&region.group);
            }
        }
        Groups(
            keys.par_iter()
                .filter_map(|&key| {
                    let members: Vec<&RegionSeries> =
                        regions.iter().filter(|r| &r.group == key).collect();
                    prepare_group(&members, holidays, until_minute, end_minute, settings)
                        .map(|group| (key.clone(), group))
                })
                .collect(),
        )
    }

    /// The group `series` belongs to, if it has one.
    pub fn of(&self, series: &RegionSeries) -> Option<&Arc<GroupTraining>> {
        self.0
            .iter()
            .find(|(key, _)| *key == series.group)
            .map(|(_, group)| group)
    }
}

/// The sum of `regions`, prepared at the origin `until_minute` with its own model chosen by
/// `auto` for the horizon to `end_minute`: the group a region's top-down forecast takes a share
/// of. `None` for fewer than two regions or a group history too short to choose a model.
pub fn prepare_group(
    regions: &[&RegionSeries],
    holidays: Option<&Holidays>,
    until_minute: i64,
    end_minute: i64,
    settings: &ForecastSettings,
) -> Option<Arc<GroupTraining>> {
    if regions.len() < 2 {
        return None;
    }
    let name = regions[0].group.as_deref().unwrap_or("all regions");
    let series = group_series(regions, name)?;
    let prepared = prepare(&series, holidays, until_minute)?;
    let d = series.interval_minutes as i64;
    let horizon = ((end_minute - prepared.end_minute()) / d).max(0) as usize;
    let horizon = horizon.min(longest_horizon_days(&prepared, None) * prepared.seasons.per_day);
    let own = ForecastSettings {
        candidates: settings
            .candidates
            .iter()
            .filter(|c| !c.base.needs_group())
            .copied()
            .collect(),
        ..settings.clone()
    };
    let scores = select(&prepared, horizon, &own);
    if !scores.first().is_some_and(|s| s.score.is_finite()) {
        return None;
    }
    Some(Arc::new(GroupTraining {
        first_day: time::day_of_minute(prepared.start_minute),
        start_minute: prepared.start_minute,
        interval_minutes: prepared.interval_minutes,
        seasons: prepared.seasons,
        model: pool_of(&scores, settings.pool),
        fits: Default::default(),
        values: prepared.values,
    }))
}

fn too_short(series: &RegionSeries, message: String) -> WfmError {
    WfmError::Region {
        region: series.region.clone(),
        message,
    }
}

/// The longest horizon, in whole days, on which `spec` (or, for `auto`, the least demanding
/// candidate) can be backtested at least once inside the prepared history.
fn longest_horizon_days(prepared: &Prepared, spec: Option<&Pool>) -> usize {
    let weeks = min_calibration_weeks(spec.map_or(1, Pool::min_weeks));
    let training = weeks * prepared.seasons.per_week;
    prepared.values.len().saturating_sub(training) / prepared.seasons.per_day
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
    let (mut spec, mut extended) = fit_plausible(series, prepared, spec, horizon, &mut notes)?;
    if let Some(note) = check_level(prepared, &extended[..horizon], &spec) {
        if note.all_zero && matches!(model, ModelChoice::Auto) {
            if let Ok(fallback) = RATE_FALLBACK.fit(prepared.training()) {
                extended = fallback.predict_point(horizon + prepared.seasons.per_week);
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
    Ok(finish(
        series,
        holidays,
        prepared,
        start,
        horizon,
        &extended,
        errors.as_ref(),
        settings.level,
        spec.to_string(),
        selection,
        notes,
    ))
}

/// Fits `spec` and forecasts `horizon` intervals and a week more (so that a special day treated
/// as another weekday finds one). A member of a pool whose forecast is implausible (see
/// [`plausible`]) is dropped, and a single model that is implausible is replaced by the
/// four-week slot mean, each with a note: an exploding smoothing model must not reach staffing.
fn fit_plausible(
    series: &RegionSeries,
    prepared: &Prepared,
    spec: Pool,
    horizon: usize,
    notes: &mut Vec<String>,
) -> Result<(Pool, Vec<f64>)> {
    let length = horizon + prepared.seasons.per_week;
    let fit = |pool: &Pool| {
        pool.fit(prepared.training())
            .map(|fitted| fitted.predict_point(length))
            .map_err(|reason| WfmError::ModelNotFitted {
                region: series.region.clone(),
                reason,
            })
    };
    let forecast = fit(&spec)?;
    if plausible(prepared, &forecast) {
        return Ok((spec, forecast));
    }
    let kept: Vec<ModelSpec> = spec
        .0
        .iter()
        .copied()
        .filter(|&member| fit(&Pool(vec![member])).is_ok_and(|f| plausible(prepared, &f)))
        .collect();
    let dropped: Vec<String> = spec
        .0
        .iter()
        .filter(|m| !kept.contains(m))
        .map(ToString::to_string)
        .collect();
    let replacement = if kept.is_empty() {
        Pool(vec![RATE_FALLBACK])
    } else {
        Pool(kept)
    };
    notes.push(format!(
        "{} forecast more than {PLAUSIBLE_FACTOR}× the busiest interval of the last {RECENT_WEEKS} weeks: forecast with {replacement} instead",
        dropped.join(" and ")
    ));
    let forecast = fit(&replacement)?;
    Ok((replacement, forecast))
}

/// A forecast above this multiple of the busiest recent interval (plus a few contacts, for a
/// sparse queue) is a model that has run away, not a forecast.
const PLAUSIBLE_FACTOR: f64 = 5.0;
const PLAUSIBLE_MARGIN: f64 = 5.0;

/// [`plausible`] for a forecast from the first `cut` values of the training data.
fn plausible_at(prepared: &Prepared, cut: usize, forecast: &[f64]) -> bool {
    let from = cut.saturating_sub(RECENT_WEEKS * prepared.seasons.per_week);
    let peak = prepared.values[from..cut]
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    forecast
        .iter()
        .all(|v| v.is_finite() && *v <= PLAUSIBLE_FACTOR * peak + PLAUSIBLE_MARGIN)
}

/// Whether no forecast value exceeds [`PLAUSIBLE_FACTOR`] × the busiest interval of the last
/// [`RECENT_WEEKS`] weeks of training plus [`PLAUSIBLE_MARGIN`].
pub(crate) fn plausible(prepared: &Prepared, forecast: &[f64]) -> bool {
    plausible_at(prepared, prepared.values.len(), forecast)
}

/// The outcome of comparing a forecast's level with the recent weeks'.
struct LevelNote {
    all_zero: bool,
    recent_total: f64,
    text: String,
}

/// Compares the mean forecast per open interval with the mean of the last
/// [`LEVEL_CHECK_WEEKS`] weeks: a forecast of nothing for a region that had contacts, or a
/// level far from the recent one, must not pass unnoticed.
fn check_level(prepared: &Prepared, forecast: &[f64], spec: &Pool) -> Option<LevelNote> {
    let per_week = prepared.seasons.per_week;
    let n = prepared.values.len();
    let from = n.saturating_sub(LEVEL_CHECK_WEEKS * per_week);
    let open = |t: usize| !prepared.closed_slot[t % per_week];
    let (recent_total, recent_open) = (from..n)
        .filter(|&t| open(t))
        .fold((0.0, 0usize), |(s, c), t| (s + prepared.values[t], c + 1));
    let (forecast_total, forecast_open) = forecast
        .iter()
        .enumerate()
        .filter(|(h, _)| open(n + h))
        .fold((0.0, 0usize), |(s, c), (_, v)| (s + v.max(0.0), c + 1));
    if recent_total <= 0.0 || recent_open == 0 || forecast_open == 0 {
        return None;
    }
    let recent_mean = recent_total / recent_open as f64;
    let ratio = forecast_total / forecast_open as f64 / recent_mean;
    if forecast_total <= 0.0 {
        return Some(LevelNote {
            all_zero: true,
            recent_total,
            text: format!(
                "{spec} forecast no contacts although the last {LEVEL_CHECK_WEEKS} weeks had {recent_total:.0}"
            ),
        });
    }
    (ratio < LEVEL_CHECK_RANGE.0 || ratio > LEVEL_CHECK_RANGE.1).then(|| LevelNote {
        all_zero: false,
        recent_total,
        text: format!(
            "the forecast's level is {ratio:.2}× the last {LEVEL_CHECK_WEEKS} weeks' ({spec} follows a trend or a level shift in the history)"
        ),
    })
}

/// Closed slots to zero, negatives to zero, special days treated, band and AHT attached.
#[allow(clippy::too_many_arguments)]
fn finish(
    series: &RegionSeries,
    holidays: Option<&Holidays>,
    prepared: &Prepared,
    start: i64,
    horizon: usize,
    extended: &[f64],
    errors: Option<&ErrorModel>,
    level: f64,
    model: String,
    selection: Vec<CandidateScore>,
    notes: Vec<String>,
) -> RegionForecast {
    let d = series.interval_minutes as i64;
    let per_day = prepared.seasons.per_day;
    let mut point = Vec::with_capacity(horizon);
    let mut lower = Vec::with_capacity(horizon);
    let mut upper = Vec::with_capacity(horizon);
    let mut closed = Vec::with_capacity(horizon);
    let mut special_day = Vec::with_capacity(horizon);
    let mut aht = prepared
        .aht_by_slot
        .as_ref()
        .map(|_| Vec::with_capacity(horizon));
    for h in 0..horizon {
        let minute = start + h as i64 * d;
        let slot = prepared.slot_of(minute);
        let is_closed = prepared.closed_slot[slot];
        let day = holidays.and_then(|hs| {
            hs.covers_minute(minute)
                .then(|| hs.on_day(time::day_of_minute(minute)))
                .flatten()
        });
        let eve = day.is_none() && holidays.is_some_and(|hs| is_eve(hs, minute));
        let (value, factor) = match day.map(|s| s.treat_as) {
            None if eve => (extended[h], prepared.eve_ratio.unwrap_or(1.0)),
            None => (extended[h], 1.0),
            Some(Some(TreatAs::Closed)) => (0.0, 0.0),
            Some(Some(TreatAs::Scale(f))) => (extended[h], f),
            Some(Some(TreatAs::Weekday(w))) => (like_weekday(extended, h, per_day, start, w), 1.0),
            // No instruction: behave as past special days did, or closed if none was seen.
            Some(None) => (extended[h], prepared.special_day_ratio.unwrap_or(0.0)),
        };
        let value = if is_closed {
            0.0
        } else {
            value.max(0.0) * factor
        };
        let (lo, hi) = match errors {
            Some(e) if !is_closed => {
                let (lo, hi) = e.band(value / factor.max(1e-12), level);
                (lo * factor, hi * factor)
            }
            _ => (value, value),
        };
        point.push(value);
        lower.push(lo.min(value));
        upper.push(hi.max(value));
        closed.push(is_closed);
        special_day.push(day.map(|s| s.name.clone()));
        if let (Some(out), Some(by_slot)) = (aht.as_mut(), prepared.aht_by_slot.as_ref()) {
            out.push(by_slot[slot]);
        }
    }
    RegionForecast {
        region: series.region.clone(),
        interval_minutes: series.interval_minutes,
        start_minute: start,
        point,
        lower,
        upper,
        level,
        aht_seconds: aht,
        model,
        selection,
        closed,
        special_day,
        notes,
    }
}

/// The forecast of the same time of day on the nearest day (within the extended forecast) that
/// falls on `weekday`.
fn like_weekday(extended: &[f64], h: usize, per_day: usize, start: i64, weekday: u8) -> f64 {
    let day = h / per_day;
    let first_weekday = time::weekday_of_minute(start);
    let days = extended.len() / per_day;
    let offset = |k: usize| (first_weekday + k) % 7 == weekday as usize;
    let nearest = (0..days)
        .filter(|&k| offset(k))
        .min_by_key(|&k| (k as i64 - day as i64).abs());
    nearest.map_or(extended[h], |k| extended[k * per_day + h % per_day])
}

/// Scores each candidate over `selection_origins` origins, one horizon apart, at the end of the
/// training data, by the mean of its interval and daily RMSSE; sorted best first, unscored
/// candidates (too little history, no group) last.
///
/// Squared errors, because a forecast feeds Erlang, which needs the expected arrival rate: the
/// mean minimises a squared error, while WAPE and MASE are minimised by the median, which is 0
/// for a sparse queue (Kolassa, "Evaluating predictive count data distributions in retail
/// sales forecasting", IJF 32(3), 2016). Each level is scaled by the in-sample error of the
/// weekly seasonal naive forecast, as the M5 competition's RMSSE, so that intervals and days
/// weigh alike.
pub(crate) fn select(
    prepared: &Prepared,
    horizon: usize,
    settings: &ForecastSettings,
) -> Vec<CandidateScore> {
    let per_day = prepared.seasons.per_day;
    let per_week = prepared.seasons.per_week;
    let step = horizon.div_ceil(per_day).max(1) * per_day;
    let n = prepared.values.len();
    let values = &prepared.values;
    // The origins and their scales do not depend on the candidate.
    let origins: Vec<SelectionOrigin> = (1..=settings.selection_origins)
        .map_while(|k| n.checked_sub(k * step))
        .filter(|&cut| cut > 0)
        .map(|cut| {
            let end = (cut + step).min(n);
            let actual: Vec<f64> = (cut..end)
                .map(|t| {
                    if prepared.scored[t] {
                        values[t]
                    } else {
                        f64::NAN
                    }
                })
                .collect();
            SelectionOrigin {
                cut,
                daily_actual: block_totals(&actual, per_day),
                interval_scale: error_scale(&values[..cut], per_week),
                daily_scale: error_scale(&block_totals(&values[..cut], per_day), 7),
                actual,
            }
        })
        .collect();
    let sparse = recent_mean_count(prepared) < MEDIAN_MIN_MEAN;
    let mut scores: Vec<CandidateScore> = settings
        .candidates
        .iter()
        .map(|spec| {
            let mut sums = [0.0; 4];
            let mut scored_origins = 0;
            // Only a candidate whose band can be calibrated on this horizon is a candidate.
            let needed = min_calibration_weeks(spec.min_weeks()) * per_week + step.min(horizon);
            let eligible = n >= needed && !(sparse && spec.base.is_median());
            for origin in origins.iter().filter(|_| eligible) {
                let Ok(fitted) = spec.fit(prepared.training().head(origin.cut)) else {
                    break;
                };
                let forecast = fitted.predict_point(origin.actual.len());
                if !plausible_at(prepared, origin.cut, &forecast) {
                    // A candidate that runs away at one origin may do it again: not a candidate.
                    scored_origins = 0;
                    break;
                }
                let predicted: Vec<f64> = forecast
                    .iter()
                    .zip(&origin.actual)
                    .map(|(f, y)| if y.is_nan() { f64::NAN } else { f.max(0.0) })
                    .collect();
                let daily_predicted = block_totals(&predicted, per_day);
                let scaled = |actual: &[f64], predicted: &[f64], scale: f64| {
                    (mean_squared_error(actual, predicted) / scale).sqrt()
                };
                let terms = [
                    scaled(&origin.actual, &predicted, origin.interval_scale),
                    scaled(&origin.daily_actual, &daily_predicted, origin.daily_scale),
                    wape(&origin.actual, &predicted),
                    wape(&origin.daily_actual, &daily_predicted),
                ];
                if terms[..2].iter().all(|v| v.is_finite()) {
                    for (sum, term) in sums.iter_mut().zip(terms) {
                        // WAPE is undefined on an origin without contacts; the ranking is not.
                        *sum += if term.is_finite() { term } else { 0.0 };
                    }
                    scored_origins += 1;
                }
            }
            let mean = |total: f64| {
                if scored_origins > 0 {
                    total / scored_origins as f64
                } else {
                    f64::NAN
                }
            };
            CandidateScore {
                model: spec.to_string(),
                score: (mean(sums[0]) + mean(sums[1])) / 2.0,
                interval_rmsse: mean(sums[0]),
                daily_rmsse: mean(sums[1]),
                interval_wape: mean(sums[2]),
                daily_wape: mean(sums[3]),
                origins: scored_origins,
            }
        })
        .collect();
    scores.sort_by(|a, b| {
        a.score
            .is_nan()
            .cmp(&b.score.is_nan())
            .then(a.score.total_cmp(&b.score))
    });
    scores
}

/// The RMSSE scale of a history: its one-season naive MSE. A history that repeats exactly has
/// none, and then its mean square (errors relative to its level) stands in, or 1 for a history
/// of zeros, so that a perfect forecast still scores 0 and is chosen.
fn error_scale(history: &[f64], season: usize) -> f64 {
    let naive = seasonal_naive_mse(history, season);
    if naive > 0.0 {
        return naive;
    }
    let finite = history.iter().filter(|v| v.is_finite());
    let (sum, n) = finite.fold((0.0, 0usize), |(s, n), v| (s + v * v, n + 1));
    if n > 0 && sum > 0.0 {
        sum / n as f64
    } else {
        1.0
    }
}

/// Below this mean count per open interval, median models are no candidates: the median of a
/// count estimates its median, not its rate, and falls short of the rate by up to ln 2 (Choi,
/// "Medians of gamma distributions", 1994, for the Poisson case), 7 % of a mean of 10 and all
/// of a mean below ln 2.
const MEDIAN_MIN_MEAN: f64 = 10.0;
/// Weeks over which the mean count that decides [`MEDIAN_MIN_MEAN`] is taken.
const RECENT_WEEKS: usize = 8;

/// Mean count per open interval over the last [`RECENT_WEEKS`] weeks of training.
fn recent_mean_count(prepared: &Prepared) -> f64 {
    let per_week = prepared.seasons.per_week;
    let n = prepared.values.len();
    let (sum, count) = (n.saturating_sub(RECENT_WEEKS * per_week)..n)
        .filter(|&t| !prepared.closed_slot[t % per_week])
        .fold((0.0, 0usize), |(s, c), t| (s + prepared.values[t], c + 1));
    if count > 0 {
        sum / count as f64
    } else {
        0.0
    }
}

/// One selection origin: the actuals after `cut` (NaN where not scored) and the seasonal naive
/// scales of the history before it.
struct SelectionOrigin {
    cut: usize,
    actual: Vec<f64>,
    daily_actual: Vec<f64>,
    interval_scale: f64,
    daily_scale: f64,
}

/// What `auto` forecasts with: the mean of the `pool` candidates with the lowest backtest
/// score (scores come sorted, best first).
fn pool_of(scores: &[CandidateScore], pool: usize) -> Pool {
    let best: Vec<ModelSpec> = scores
        .iter()
        .filter(|s| s.score.is_finite())
        .take(pool.max(1))
        .filter_map(|s| s.model.parse().ok())
        .collect();
    Pool(if best.is_empty() {
        vec![FALLBACK]
    } else {
        best
    })
}

/// The model `auto` uses when no candidate could be scored.
const FALLBACK: ModelSpec = ModelSpec {
    base: BaseModel::SEASONAL_NAIVE,
    day_of_month: false,
};
