//! A region's training data, ready for the models: the window, holidays imputed, closed slots,
//! the ratios of past special days and eves, and the AHT by slot.

use super::*;

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
    /// Each past special day's and eve's own ratio, by the special day's name, to forecast the
    /// same named day a year later ([`Prepared::named_ratio`]).
    pub named_ratios: Vec<NamedRatio>,
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

    pub(super) fn slot_of(&self, minute: i64) -> usize {
        SlotOfWeek::of_minute(minute).index(self.interval_minutes)
    }

    /// The median ratio of the days named `name` (eves of it, with `eve`) at least
    /// [`EARLIER_YEAR_DAYS`] before `day`: the same holiday in earlier years. `None` when the
    /// history holds none, and the ratio over all past special days (or eves) applies.
    pub(super) fn named_ratio(&self, name: &str, eve: bool, day: i64) -> Option<f64> {
        let mut ratios: Vec<f64> = (self.named_ratios.iter())
            .filter(|r| r.eve == eve && r.name == name && r.day <= day - EARLIER_YEAR_DAYS)
            .map(|r| r.ratio)
            .collect();
        if ratios.is_empty() {
            return None;
        }
        ratios.sort_by(f64::total_cmp);
        Some(ratios[ratios.len() / 2])
    }
}

/// A past special day's (or eve's) ratio of actual to imputed volume.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NamedRatio {
    /// The special day's name (for an eve, the next day's).
    pub name: String,
    pub eve: bool,
    pub day: i64,
    pub ratio: f64,
}

/// How long before a forecast day a day of the same name must be to count as the same holiday
/// of an earlier year: a repeat within weeks (the days of one festival) is not.
pub(super) const EARLIER_YEAR_DAYS: i64 = 300;

/// Weeks of recent training whose AHT is averaged per slot.
pub(super) const AHT_WEEKS: usize = 8;

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
    let first_day = time::day_of_minute(start_minute);
    let mut named_ratios = Vec::new();
    if let Some(holidays) = holidays {
        for (eve, marked) in [(false, &is_special), (true, &is_eve)] {
            for (day, ratio) in day_ratios(&raw, &values, marked, seasons.per_day) {
                let day = first_day + day as i64;
                let named = holidays.on_day(if eve { day + 1 } else { day });
                if let Some(special) = named {
                    named_ratios.push(NamedRatio {
                        name: special.name.clone(),
                        eve,
                        day,
                        ratio,
                    });
                }
            }
        }
    }

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
        named_ratios,
        aht_by_slot,
        interval_minutes: series.interval_minutes,
        group: None,
    })
}

/// Past eves needed before their effect is applied to future eves.
pub(super) const MIN_EVES: usize = 2;

/// The day before a listed whole special day, itself not listed: many centres see short eves
/// (Christmas Eve, the eve of a Jewish holiday). Its effect is learned from the history.
pub(super) fn is_eve(holidays: &Holidays, minute: i64) -> bool {
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
pub(super) fn special_day_ratio(
    raw: &[f64],
    imputed: &[f64],
    special: &[bool],
    per_day: usize,
    min_days: usize,
) -> Option<f64> {
    let mut ratios: Vec<f64> = day_ratios(raw, imputed, special, per_day)
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    if ratios.is_empty() || ratios.len() < min_days {
        return None;
    }
    ratios.sort_by(f64::total_cmp);
    Some(ratios[ratios.len() / 2])
}

/// Each day (index from the training's first) with points marked `special`: actual volume /
/// volume imputed from a normal week over those points.
fn day_ratios(raw: &[f64], imputed: &[f64], special: &[bool], per_day: usize) -> Vec<(usize, f64)> {
    raw.chunks(per_day)
        .zip(imputed.chunks(per_day))
        .zip(special.chunks(per_day))
        .enumerate()
        .filter(|(_, (_, s))| s.iter().any(|&x| x))
        .filter_map(|(day, ((r, i), s))| {
            let (actual, normal) = r
                .iter()
                .zip(i)
                .zip(s)
                .filter(|(_, &x)| x)
                .fold((0.0, 0.0), |(a, n), ((r, i), _)| (a + r, n + i));
            (normal > 0.0).then(|| (day, actual / normal))
        })
        .collect()
}
