//! The forecast finished for its horizon: closed slots, special days, the band and the AHT.

use super::*;

/// Closed slots to zero, negatives to zero, special days treated, band and AHT attached.
#[allow(clippy::too_many_arguments)]
pub(super) fn finish(
    series: &RegionSeries,
    holidays: Option<&Holidays>,
    prepared: &Prepared,
    start: i64,
    horizon: usize,
    (forecast, calibrated): (&Forecast, &Calibrated),
    level: f64,
    model: Pool,
    selection: Vec<CandidateScore>,
    notes: Vec<String>,
) -> RegionForecast {
    let d = series.interval_minutes as i64;
    let extended = &forecast.point;
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
        // The same named day (or its eve) in earlier years, before every past one's median.
        let day_number = time::day_of_minute(minute);
        let named = |name: &str, eve: bool| prepared.named_ratio(name, eve, day_number);
        let eve_of = || {
            holidays
                .and_then(|hs| hs.on_day(day_number + 1))
                .and_then(|next| named(&next.name, true))
        };
        let (value, factor) = match day.map(|s| s.treat_as) {
            None if eve => (extended[h], eve_of().or(prepared.eve_ratio).unwrap_or(1.0)),
            None => (extended[h], 1.0),
            Some(Some(TreatAs::Closed)) => (0.0, 0.0),
            Some(Some(TreatAs::Scale(f))) => (extended[h], f),
            Some(Some(TreatAs::Weekday(w))) => (like_weekday(extended, h, per_day, start, w), 1.0),
            // No instruction: behave as past special days did, or closed if none was seen.
            Some(None) => (
                extended[h],
                day.and_then(|s| named(&s.name, false))
                    .or(prepared.special_day_ratio)
                    .unwrap_or(0.0),
            ),
        };
        let value = if is_closed {
            0.0
        } else {
            value.max(0.0) * factor
        };
        let (lo, hi) = match (&forecast.band, is_closed) {
            (_, true) | (None, _) => (value, value),
            // The point as predicted: its band as predicted.
            (Some(band), false) if factor == 1.0 && value == extended[h].max(0.0) => {
                (band.lower[h], band.upper[h])
            }
            // A special day's point: the band of what it was before its factor, scaled.
            (Some(_), false) => calibrated
                .band(value / factor.max(1e-12), level)
                .map_or((value, value), |(lo, hi)| (lo * factor, hi * factor)),
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
        minutes: (0..horizon as i64).map(|h| start + h * d).collect(),
        point,
        lower,
        upper,
        level: Some(level),
        aht_seconds: aht,
        model: Some(model),
        selection,
        closed,
        special_day,
        notes,
        rows: Vec::new(),
    }
}

/// The forecast of the same time of day on the nearest day (within the extended forecast) that
/// falls on `weekday`.
pub(super) fn like_weekday(
    extended: &[f64],
    h: usize,
    per_day: usize,
    start: i64,
    weekday: u8,
) -> f64 {
    let day = h / per_day;
    let first_weekday = time::weekday_of_minute(start);
    let days = extended.len() / per_day;
    let offset = |k: usize| (first_weekday + k) % 7 == weekday as usize;
    let nearest = (0..days)
        .filter(|&k| offset(k))
        .min_by_key(|&k| (k as i64 - day as i64).abs());
    nearest.map_or(extended[h], |k| extended[k * per_day + h % per_day])
}
