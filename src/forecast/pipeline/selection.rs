//! `auto`: every candidate backtested at rolling origins on the training data, the best (or a
//! pool of the best) chosen.

use super::*;

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
                model: *spec,
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
pub(super) fn error_scale(history: &[f64], season: usize) -> f64 {
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
pub(super) const MEDIAN_MIN_MEAN: f64 = 10.0;
/// Weeks over which the mean count that decides [`MEDIAN_MIN_MEAN`] is taken.
pub(super) const RECENT_WEEKS: usize = 8;

/// Mean count per open interval over the last [`RECENT_WEEKS`] weeks of training.
pub(super) fn recent_mean_count(prepared: &Prepared) -> f64 {
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
pub(super) struct SelectionOrigin {
    cut: usize,
    actual: Vec<f64>,
    daily_actual: Vec<f64>,
    interval_scale: f64,
    daily_scale: f64,
}

/// What `auto` forecasts with: the mean of the `pool` candidates with the lowest backtest
/// score (scores come sorted, best first).
pub(super) fn pool_of(scores: &[CandidateScore], pool: usize) -> Pool {
    let best: Vec<ModelSpec> = scores
        .iter()
        .filter(|s| s.score.is_finite())
        .take(pool.max(1))
        .map(|s| s.model)
        .collect();
    Pool(if best.is_empty() {
        vec![FALLBACK]
    } else {
        best
    })
}

/// The model `auto` uses when no candidate could be scored.
pub(super) const FALLBACK: ModelSpec = ModelSpec {
    base: BaseModel::SEASONAL_NAIVE,
    day_of_month: false,
};
