//! Same weeks last year, at this year's level: the analyst's "December as last December, adjusted
//! to how this year is running", for histories of more than a year.
//!
//! Each day ahead takes the mean volume of the same weekday in the three weeks around the same
//! week a year earlier (52 weeks = 364 days back, so weekdays align), times the ratio of the
//! last K weeks' volume to the same K weeks a year before; it is shared out over the day's
//! intervals by the last K weeks' intraday profile of that weekday. The year's shape (a summer
//! dip, a December peak) comes from last year, the level and the profile from recent weeks. Holidays were imputed from a
//! normal week before training, and their own effect comes from the same named day in earlier
//! years (see the forecast pipeline), so last year's Christmas does not leak into a normal week.
//!
//! It is the seasonal-naive-by-year benchmark of Hyndman and Athanasopoulos ("Forecasting:
//! Principles and Practice", 3rd ed., §5.2), scaled by a year-on-year level as in Taylor's (2010)
//! discussion of annual seasonality in call-centre data; smoothed over three weeks because one
//! week of a year ago is noisy.

use super::model::{Estimate, ModelInfo};
use super::registry::BaseModel;
use super::{Fitted, Training};

/// Weeks between a week and the same week a year earlier: 364 days, so weekdays align.
pub(crate) const WEEKS_PER_YEAR: usize = 52;

/// The level ratio is kept within these bounds: a year-on-year factor outside them is more
/// likely an outage or a change of scope than growth.
const LEVEL_LIMITS: (f64, f64) = (0.5, 2.0);

/// `lastyear[:K]`.
pub(crate) static MODEL: ModelInfo = ModelInfo {
    name: "lastyear",
    summary: "each day as the same weekday a year earlier (3-week mean) × the last K weeks' level against a year before, shared out by the last K weeks' intraday profile (default 8)",
    default_weeks: Some(8),
    // A year, the level's weeks, and a week either side of the year-ago week.
    min_weeks: |weeks| WEEKS_PER_YEAR + weeks.unwrap_or(8) + 2,
    fit: |training, weeks| Ok(Box::new(fit(training, weeks.unwrap_or(8)))),
    estimates: Estimate::Mean,
    needs_group: false,
};

pub(crate) struct LastYear {
    values: Vec<f64>,
    per_week: usize,
    per_day: usize,
    level: f64,
    /// Per slot of the week: its share of its day's volume over the last K weeks (the
    /// intraday profile as the other models see it today).
    share: Vec<f64>,
}

pub(crate) fn fit(training: Training<'_>, weeks: usize) -> LastYear {
    let (per_week, per_day) = (training.seasons.per_week, training.seasons.per_day);
    let values = training.values.to_vec();
    let n = values.len();
    let year = WEEKS_PER_YEAR * per_week;
    let span = (weeks * per_week).min(n);
    let finite = |v: &f64| v.is_finite();
    let level = if n >= year + span {
        let sum =
            |from: usize, to: usize| values[from..to].iter().filter(|v| finite(v)).sum::<f64>();
        let (recent, before) = (sum(n - span, n), sum(n - span - year, n - year));
        if before > 0.0 {
            (recent / before).clamp(LEVEL_LIMITS.0, LEVEL_LIMITS.1)
        } else {
            1.0
        }
    } else {
        1.0
    };
    // Each slot's share of its day over the last K weeks, by slot of the week.
    let (mut slot_sum, mut day_sum) = (vec![0.0; per_week], vec![0.0; 7]);
    for t in n - span..n {
        let v = values[t];
        if v.is_finite() {
            slot_sum[t % per_week] += v;
            day_sum[(t % per_week) / per_day] += v;
        }
    }
    let share = (0..per_week)
        .map(|slot| {
            let day = day_sum[slot / per_day];
            if day > 0.0 {
                slot_sum[slot] / day
            } else {
                1.0 / per_day as f64
            }
        })
        .collect();
    LastYear {
        values,
        per_week,
        per_day,
        level,
        share,
    }
}

impl LastYear {
    /// The mean volume of the days around the day `t − 52 weeks` falls on (the same weekday a
    /// week before, that day, a week after) that the history holds whole.
    fn day_a_year_ago(&self, t: usize) -> f64 {
        let year = WEEKS_PER_YEAR * self.per_week;
        let day_start = |k: usize| k - k % self.per_day;
        let weeks = [
            t.checked_sub(year + self.per_week),
            t.checked_sub(year),
            t.checked_sub(year - self.per_week),
        ];
        let days = weeks.into_iter().flatten().filter_map(|k| {
            let from = day_start(k);
            let day = self.values.get(from..from + self.per_day)?;
            day.iter().all(|v| v.is_finite()).then(|| day.iter().sum())
        });
        mean_or(days, 0.0)
    }
}

impl Fitted for LastYear {
    fn predict_point(&self, horizon: usize) -> Vec<f64> {
        let n = self.values.len();
        (0..horizon)
            .map(|h| {
                let t = n + h;
                self.level * self.day_a_year_ago(t) * self.share[t % self.per_week]
            })
            .collect()
    }
}

/// The two yearly candidates of `auto` (a history of at least 52 + K + 2 weeks): last year's
/// weeks at this year's level, averaged with a weekly model. Alone, `lastyear` follows last
/// year's accidents as closely as its shape, and the weekly models miss the turn of the year;
/// the mean keeps what each gets right (a combination is robustly better than its members:
/// Makridakis et al., M4, 2020). K = 12 was chosen on the 12 month-ahead origins April 2016 –
/// March 2017 of the emergency department's arrivals (daily WAPE, K = 4, 8, 12), not on the
/// year the issue scores (April 2017 – March 2018).
///
/// `yearmix[:K]`: the mean of `lastyear:K` and `savg:K`.
pub(crate) static MIX: ModelInfo = ModelInfo {
    name: "yearmix",
    summary: "the mean of lastyear:K and savg:K, for a history of more than a year (default 12)",
    default_weeks: Some(MIX_WEEKS),
    min_weeks: mix_min_weeks,
    fit: |training, weeks| {
        let k = weeks.unwrap_or(MIX_WEEKS);
        with_last_year(training, k, BaseModel::with_weeks(&super::average::SAVG, k))
    },
    estimates: Estimate::Mean,
    needs_group: false,
};

/// `yearcombo[:K]`: the mean of `lastyear:K` and `combo` (see `MIX`).
pub(crate) static YEAR_COMBO: ModelInfo = ModelInfo {
    name: "yearcombo",
    summary: "the mean of lastyear:K and combo, for a history of more than a year (default 12)",
    default_weeks: Some(MIX_WEEKS),
    min_weeks: mix_min_weeks,
    fit: |training, weeks| {
        with_last_year(training, weeks.unwrap_or(MIX_WEEKS), BaseModel::COMBINATION)
    },
    estimates: Estimate::Mean,
    needs_group: false,
};

/// The yearly mixes' default K.
const MIX_WEEKS: usize = 12;

/// A year, the level's K weeks, and a week either side of the year-ago week.
fn mix_min_weeks(weeks: Option<usize>) -> usize {
    WEEKS_PER_YEAR + weeks.unwrap_or(MIX_WEEKS) + 2
}

/// The mean of `lastyear:weeks` and `weekly`, both fitted on `training`.
fn with_last_year(
    training: Training<'_>,
    weeks: usize,
    weekly: BaseModel,
) -> Result<Box<dyn Fitted>, super::FitError> {
    Ok(Box::new(super::Combination {
        members: vec![Box::new(fit(training, weeks)), weekly.fit(training)?],
    }))
}

/// `yearadj[:K]`: the K-week slot average, scaled by how the weeks ahead stood against the K
/// weeks before them in earlier years.
///
/// The slot average is centred K/2 weeks before the origin, so in a rising or falling stretch
/// of the year it lags by K/2 weeks of that slope: the ED's arrivals climb about 13 % from
/// December to September. Each week ahead is scaled by the mean, over the earlier years the
/// history holds (at most [`ADJUST_YEARS`]), of the five weeks around that week a year (or two,
/// three) before against the K weeks before the origin then: a seasonal index from weekly
/// totals, far steadier than last year's single days (the classical seasonal adjustment of a
/// moving average, Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed.,
/// §3.4, here on the weeks either side of the origin only).
pub(crate) static ADJUSTED: ModelInfo = ModelInfo {
    name: "yearadj",
    summary: "savg:K × the weeks ahead against the K weeks before them in earlier years (5-week windows, up to 3 years), for a history of more than a year (default 12)",
    default_weeks: Some(MIX_WEEKS),
    min_weeks: |weeks| WEEKS_PER_YEAR + weeks.unwrap_or(MIX_WEEKS) + 3,
    fit: |training, weeks| {
        let k = weeks.unwrap_or(MIX_WEEKS);
        let weekly = BaseModel::with_weeks(&super::average::SAVG, k).fit(training)?;
        Ok(Box::new(fit_adjusted(training, k, weekly)))
    },
    estimates: Estimate::Mean,
    needs_group: false,
};

/// Earlier years whose weeks `yearadj` averages, where the history holds them.
const ADJUST_YEARS: usize = 3;

/// Weeks either side of a week ahead in its year-ago window (five weeks in all).
const ADJUST_HALF_WINDOW: usize = 2;

pub(crate) struct YearAdjusted {
    weekly: Box<dyn Fitted>,
    values: Vec<f64>,
    per_week: usize,
    weeks: usize,
}

fn fit_adjusted(training: Training<'_>, weeks: usize, weekly: Box<dyn Fitted>) -> YearAdjusted {
    YearAdjusted {
        weekly,
        values: training.values.to_vec(),
        per_week: training.seasons.per_week,
        weeks,
    }
}

impl YearAdjusted {
    /// Mean volume per week of the finite points of `from..to` (intervals), none when it holds
    /// fewer than half of them.
    fn weekly_mean(&self, from: usize, to: usize) -> Option<f64> {
        let span = self.values.get(from..to)?;
        let (sum, count) = span
            .iter()
            .filter(|v| v.is_finite())
            .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
        (count * 2 >= span.len() && count > 0).then(|| sum / count as f64 * self.per_week as f64)
    }

    /// The factor of week `j` ahead (0 = the week from the origin): the mean over the earlier
    /// years of its five-week window then against the K weeks before the origin then.
    fn factor(&self, j: usize) -> f64 {
        let n = self.values.len();
        let (w, year) = (self.per_week, WEEKS_PER_YEAR * self.per_week);
        let ratios = (1..=ADJUST_YEARS)
            .map_while(|y| {
                let origin = n.checked_sub(y * year)?;
                Some((origin.checked_sub(self.weeks * w)?, origin))
            })
            .filter_map(|(base_from, origin)| {
                let from = (origin + j * w).checked_sub(ADJUST_HALF_WINDOW * w)?;
                let to = origin + (j + ADJUST_HALF_WINDOW + 1) * w;
                let base = self.weekly_mean(base_from, origin)?;
                let ahead = self.weekly_mean(from, to)?;
                (base > 0.0).then(|| (ahead / base).clamp(LEVEL_LIMITS.0, LEVEL_LIMITS.1))
            });
        mean_or(ratios, 1.0)
    }
}

/// The mean of `values`, or `default` when there are none.
fn mean_or(values: impl Iterator<Item = f64>, default: f64) -> f64 {
    let (sum, count) = values.fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    if count > 0 {
        sum / count as f64
    } else {
        default
    }
}

impl Fitted for YearAdjusted {
    fn predict_point(&self, horizon: usize) -> Vec<f64> {
        let base = self.weekly.predict_point(horizon);
        let factors: Vec<f64> = (0..horizon.div_ceil(self.per_week.max(1)))
            .map(|j| self.factor(j))
            .collect();
        base.iter()
            .enumerate()
            .map(|(h, f)| f * factors[h / self.per_week])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::Seasons;

    #[test]
    fn a_year_ago_at_this_years_level() {
        // Daily points (per_week 7) over 70 weeks: each day of the year has its own value, and
        // the second year runs 10 % above the first. The forecast of the next week is the same
        // week a year earlier (the mean of three alike weeks) times 1.1.
        let seasons = Seasons {
            per_day: 1,
            per_week: 7,
        };
        let shape = |week: usize| 100.0 + (week % 52) as f64;
        let values: Vec<f64> = (0..70 * 7)
            .map(|t| {
                let week = t / 7;
                shape(week) * if week >= 52 { 1.1 } else { 1.0 }
            })
            .collect();
        let fitted = fit(Training::new(&values, seasons), 8);
        assert!((fitted.level - 1.1).abs() < 1e-9, "level {}", fitted.level);
        let next = fitted.predict_point(7);
        // Week 70 is week 18 of the year: a year earlier, weeks 17, 18 and 19 (117, 118, 119).
        // One point a day: the day's whole volume.
        assert!((next[0] - 1.1 * 118.0).abs() < 1e-9, "{}", next[0]);
        assert_eq!(MODEL.name, "lastyear");
        assert_eq!((MODEL.min_weeks)(Some(8)), 62);
    }

    #[test]
    fn the_slot_average_is_scaled_by_the_weeks_ahead_of_earlier_years() {
        // Daily points over 124 weeks (two years and 20 weeks) that climb one a week through
        // each year, alike every year: week w of the year is 100 + w. The 12-week average
        // lags the climb (113.5, the mean of weeks 8–19); the weeks ahead a year and two years
        // before stood 120/113.5 and 121/113.5 above their 12 weeks before, so the forecast is
        // the climb itself.
        let seasons = Seasons {
            per_day: 1,
            per_week: 7,
        };
        let values: Vec<f64> = (0..124 * 7).map(|t| 100.0 + (t / 7 % 52) as f64).collect();
        let training = Training::new(&values, seasons);
        let savg = BaseModel::with_weeks(&super::super::average::SAVG, 12)
            .fit(training)
            .unwrap()
            .predict_point(14);
        assert!((savg[0] - 113.5).abs() < 1e-9, "{}", savg[0]);
        let adjusted = (ADJUSTED.fit)(training, None).unwrap().predict_point(14);
        for (h, f) in adjusted.iter().enumerate() {
            let expected = if h < 7 { 120.0 } else { 121.0 };
            assert!((f - expected).abs() < 1e-9, "day {h}: {f}");
        }
        // A year of history and the weeks either side: never for the bundled bank.
        assert_eq!((ADJUSTED.min_weeks)(None), 67);
        // A model to ask for, not one `auto` weighs (see `ModelSpec::candidates`).
        assert!(!crate::forecast::ModelSpec::candidates()
            .iter()
            .any(|c| c.base.info.name == "yearadj"));
    }

    #[test]
    fn the_yearly_mixes_average_last_year_with_a_weekly_model_and_need_over_a_year() {
        // 70 weeks of daily points with a yearly shape and 10 % growth: each mix is the mean
        // of its two members' forecasts.
        let seasons = Seasons {
            per_day: 1,
            per_week: 7,
        };
        let values: Vec<f64> = (0..70 * 7)
            .map(|t| {
                (100.0 + (t / 7 % 52) as f64 + (t % 7) as f64) * if t >= 52 * 7 { 1.1 } else { 1.0 }
            })
            .collect();
        let training = Training::new(&values, seasons);
        let last = fit(training, 12).predict_point(14);
        let savg =
            crate::forecast::registry::BaseModel::with_weeks(&super::super::average::SAVG, 12)
                .fit(training)
                .unwrap()
                .predict_point(14);
        let combo = crate::forecast::registry::BaseModel::COMBINATION
            .fit(training)
            .unwrap()
            .predict_point(14);
        let mix = (MIX.fit)(training, None).unwrap().predict_point(14);
        let year_combo = (YEAR_COMBO.fit)(training, None).unwrap().predict_point(14);
        for h in 0..14 {
            assert!((mix[h] - (last[h] + savg[h]) / 2.0).abs() < 1e-9, "{h}");
            assert!(
                (year_combo[h] - (last[h] + combo[h].max(0.0)) / 2.0).abs() < 1e-9,
                "{h}"
            );
        }
        // A year of history (the bundled bank) or less is never enough for either.
        assert_eq!((MIX.min_weeks)(None), 66);
        assert_eq!((YEAR_COMBO.min_weeks)(None), 66);
        assert!(crate::forecast::ModelSpec::candidates()
            .iter()
            .any(|c| c.base.info.name == "yearmix"));
    }
}
