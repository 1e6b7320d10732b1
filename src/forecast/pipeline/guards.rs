//! Plausibility guards on a fitted forecast: refits that stay within bounds of the recent
//! weeks, and a note when the level is far from them.

use super::*;

/// Fits `spec`; returns the model kept and its point forecast of `horizon` intervals and a week
/// more (so that a special day treated as another weekday finds one). A member of a pool whose
/// forecast is implausible (see [`plausible`]) is dropped, and a single model that is
/// implausible is replaced by the four-week slot mean, each with a note: an exploding smoothing
/// model must not reach staffing.
pub(super) fn fit_plausible(
    series: &RegionSeries,
    prepared: &Prepared,
    spec: Pool,
    horizon: usize,
    notes: &mut Vec<String>,
) -> Result<(Pool, Box<dyn Fitted>, Vec<f64>)> {
    let length = horizon + prepared.seasons.per_week;
    let fit = |pool: &Pool| {
        pool.fit(prepared.training())
            .map_err(|reason| WfmError::ModelNotFitted {
                region: series.region.clone(),
                reason,
            })
    };
    let fitted = fit(&spec)?;
    let point = fitted.predict_point(length);
    if plausible(prepared, &point) {
        return Ok((spec, fitted, point));
    }
    let kept: Vec<ModelSpec> = spec
        .0
        .iter()
        .copied()
        .filter(|&member| {
            fit(&Pool(vec![member])).is_ok_and(|f| plausible(prepared, &f.predict_point(length)))
        })
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
    let fitted = fit(&replacement)?;
    let point = fitted.predict_point(length);
    Ok((replacement, fitted, point))
}

/// A forecast above this multiple of the busiest recent interval (plus a few contacts, for a
/// sparse queue) is a model that has run away, not a forecast.
pub(super) const PLAUSIBLE_FACTOR: f64 = 5.0;
pub(super) const PLAUSIBLE_MARGIN: f64 = 5.0;

/// [`plausible`] for a forecast from the first `cut` values of the training data.
pub(super) fn plausible_at(prepared: &Prepared, cut: usize, forecast: &[f64]) -> bool {
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
pub(super) struct LevelNote {
    pub(super) all_zero: bool,
    pub(super) recent_total: f64,
    pub(super) text: String,
}

/// Compares the mean forecast per open interval with the mean of the last
/// [`LEVEL_CHECK_WEEKS`] weeks: a forecast of nothing for a region that had contacts, or a
/// level far from the recent one, must not pass unnoticed.
pub(super) fn check_level(prepared: &Prepared, forecast: &[f64], spec: &Pool) -> Option<LevelNote> {
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
