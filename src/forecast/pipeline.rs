//! From a region's history to its forecast: training window, holiday imputation, model choice,
//! closed slots, special days in the horizon, prediction band and AHT.

use serde::Serialize;

use super::intervals::{calibrate, ErrorModel};
use super::metrics::{block_totals, wape};
use super::{BaseModel, ModelSpec, Pool, Seasons, Training};
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
        }
    }
}

/// One candidate's score in the automatic choice.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateScore {
    pub model: String,
    /// Mean over the selection origins of (interval WAPE + daily WAPE) / 2.
    pub wape: f64,
    /// Mean interval-level WAPE over the selection origins.
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
}

impl Prepared {
    pub(crate) fn training(&self) -> Training<'_> {
        Training::new(&self.values, self.seasons)
            .starting_on(time::day_of_minute(self.start_minute))
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
        if is_special[t] || is_eve[t] || values[t].is_nan() {
            let week_later = t + seasons.per_week;
            values[t] = if t >= seasons.per_week {
                values[t - seasons.per_week]
            } else if week_later < n && !is_special[week_later] && raw[week_later].is_finite() {
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
/// The forecast starts at the midnight after the training data.
pub fn forecast_region(
    series: &RegionSeries,
    holidays: Option<&Holidays>,
    until_minute: i64,
    end_minute: i64,
    settings: &ForecastSettings,
) -> Result<RegionForecast> {
    let prepared = prepare(series, holidays, until_minute).ok_or_else(|| {
        too_short(
            series,
            "not one whole week of history (from a Monday 00:00) before the forecast".into(),
        )
    })?;
    forecast_prepared(
        series,
        holidays,
        &prepared,
        end_minute,
        settings.model,
        settings,
    )
}

fn too_short(series: &RegionSeries, message: String) -> WfmError {
    WfmError::Invalid {
        path: format!("region \"{}\"", series.region).into(),
        message,
    }
}

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
    let start = prepared.end_minute();
    let horizon = ((end_minute - start) / d).max(0) as usize;

    let (spec, selection) = match model {
        ModelChoice::Fixed(spec) => (Pool(vec![spec]), Vec::new()),
        ModelChoice::Auto => {
            let scores = select(prepared, horizon, settings);
            (pool_of(&scores, settings.pool), scores)
        }
    };
    let fitted = spec
        .fit(prepared.training())
        .map_err(|e| too_short(series, e.to_string()))?;
    // A week more than asked, so a special day treated as another weekday finds one.
    let extended = fitted.predict(horizon + prepared.seasons.per_week);
    let errors = calibrate(
        &spec,
        prepared.training(),
        &prepared.scored,
        horizon,
        settings.calibration_origins,
    );
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
    ))
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

/// Mean WAPE (interval and daily levels averaged) of each candidate over `selection_origins`
/// origins, one horizon apart, at the end of the training data; sorted best first.
pub(crate) fn select(
    prepared: &Prepared,
    horizon: usize,
    settings: &ForecastSettings,
) -> Vec<CandidateScore> {
    let per_day = prepared.seasons.per_day;
    let step = horizon.div_ceil(per_day).max(1) * per_day;
    let n = prepared.values.len();
    let mut scores: Vec<CandidateScore> = settings
        .candidates
        .iter()
        .map(|spec| {
            let (mut interval_total, mut daily_total) = (0.0, 0.0);
            let mut origins = 0;
            for k in 1..=settings.selection_origins {
                let Some(cut) = n.checked_sub(k * step) else {
                    break;
                };
                let training = prepared.training().head(cut);
                let Ok(fitted) = spec.fit(training) else {
                    break;
                };
                let end = (cut + step).min(n);
                let forecast = fitted.predict(end - cut);
                let (actual, predicted): (Vec<f64>, Vec<f64>) = (cut..end)
                    .map(|t| {
                        if prepared.scored[t] {
                            (prepared.values[t], forecast[t - cut].max(0.0))
                        } else {
                            (f64::NAN, f64::NAN)
                        }
                    })
                    .unzip();
                // Staffing needs the intervals right and planning needs the days right: the
                // choice weighs both equally.
                let interval = wape(&actual, &predicted);
                let daily = wape(
                    &block_totals(&actual, per_day),
                    &block_totals(&predicted, per_day),
                );
                if interval.is_finite() && daily.is_finite() {
                    interval_total += interval;
                    daily_total += daily;
                    origins += 1;
                }
            }
            let mean = |total: f64| {
                if origins > 0 {
                    total / origins as f64
                } else {
                    f64::NAN
                }
            };
            CandidateScore {
                model: spec.to_string(),
                wape: (mean(interval_total) + mean(daily_total)) / 2.0,
                interval_wape: mean(interval_total),
                daily_wape: mean(daily_total),
                origins,
            }
        })
        .collect();
    scores.sort_by(|a, b| {
        // Scored candidates first, by WAPE; unscored (too little history) last.
        a.wape
            .is_nan()
            .cmp(&b.wape.is_nan())
            .then(a.wape.total_cmp(&b.wape))
    });
    scores
}

/// What `auto` forecasts with: the mean of the `pool` candidates with the lowest backtest
/// score (scores come sorted, best first).
fn pool_of(scores: &[CandidateScore], pool: usize) -> Pool {
    let best: Vec<ModelSpec> = scores
        .iter()
        .filter(|s| s.wape.is_finite())
        .take(pool.max(1))
        .filter_map(|s| s.model.parse().ok())
        .collect();
    Pool(if best.is_empty() {
        vec![FALLBACK]
    } else {
        best
    })
}

/// The model `auto` uses when the history is too short to compare candidates.
const FALLBACK: ModelSpec = ModelSpec {
    base: BaseModel::SeasonalNaive,
    day_of_month: false,
};
