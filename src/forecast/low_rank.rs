//! The low-rank slot average: the seasonal average of the last K weeks, projected onto the few
//! intraday shapes that all recent days share.
//!
//! A day of counts is a vector of `per_day` intervals. Shen & Huang (2008, "Interday forecasting
//! and intraday updating of call center arrivals", M&SOM 10(3):391–410) showed that the matrix
//! of recent days (days × intervals) is close to a matrix of low rank: a handful of intraday
//! shapes, each day a mix of them. The seasonal average estimates every weekday × interval on
//! its own from K values, so on a queue of a few contacts an interval most of what it forecasts
//! is Poisson noise. Projecting it onto the shapes estimated from all 7K days keeps the signal
//! and drops the noise outside those shapes (a fraction 1 − r/per_day of it).
//!
//! How many shapes: the components whose singular value rises above the largest one that pure
//! Poisson noise of the same mean would give a matrix of that size, σ(√days + √intervals) with
//! σ² the mean count (the edge of the Marchenko–Pastur law), at least one and at most
//! [`MAX_SHAPES`]. A busy queue keeps more shapes, a sparse one fewer; no setting is fitted.

use super::{Fitted, Training};

use super::model::{Estimate, ModelInfo};

/// `svd[:K]`.
pub(crate) static MODEL: ModelInfo = ModelInfo {
    name: "svd",
    summary: "savg:K projected onto the intraday shapes the last 2K weeks share (default 8)",
    default_weeks: Some(8),
    min_weeks: |_| 2,
    fit: |training, weeks| Ok(Box::new(fit(training, weeks.unwrap_or(8)))),
    estimates: Estimate::Mean,
    needs_group: false,
};

/// At most this many shapes: enough for weekday, Saturday and Sunday patterns and a shift.
const MAX_SHAPES: usize = 6;
/// The shapes are estimated on this many times the weeks of the level.
const SHAPE_WINDOW: usize = 2;
/// Iterations of the subspace iteration that finds the leading shapes.
const ITERATIONS: usize = 60;

/// The projected seasonal average of each weekday (`per_day` values each, Monday first).
pub(crate) struct LowRank {
    days: [Vec<f64>; 7],
    per_day: usize,
    /// Weekday (0 = Monday) of the first forecast day.
    first_weekday: usize,
    /// How many shapes were kept (tests check the noise rule with it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) shapes: usize,
}

impl Fitted for LowRank {
    fn predict_point(&self, horizon: usize) -> Vec<f64> {
        (0..horizon)
            .map(|h| {
                let day = (self.first_weekday + h / self.per_day) % 7;
                self.days[day][h % self.per_day]
            })
            .collect()
    }
}

pub(crate) fn fit(training: Training<'_>, weeks: usize) -> LowRank {
    let per_day = training.seasons.per_day;
    let total_days = training.days();
    // The training series starts on a Monday and ends on a midnight: the level comes from its
    // last `weeks` weeks, the shapes from twice as many, since an intraday pattern changes more
    // slowly than a level.
    let day = |d: usize| &training.values[d * per_day..(d + 1) * per_day];
    let level_days = (weeks * 7).min(total_days);
    let shape_days = (SHAPE_WINDOW * weeks * 7).min(total_days);
    let rows: Vec<&[f64]> = (total_days - shape_days..total_days).map(day).collect();
    let weekday_of = |d: usize| d % 7;

    // The seasonal average of each weekday over the level weeks.
    let mut means = [(); 7].map(|_| vec![0.0; per_day]);
    let mut counts = [0usize; 7];
    let first_day = total_days - level_days;
    for (k, row) in (first_day..total_days).map(day).enumerate() {
        let w = weekday_of(first_day + k);
        counts[w] += 1;
        for (m, v) in means[w].iter_mut().zip(row.iter()) {
            *m += v;
        }
    }
    for (mean, &c) in means.iter_mut().zip(&counts) {
        if c > 0 {
            mean.iter_mut().for_each(|m| *m /= c as f64);
        }
    }

    let shapes = leading_shapes(&rows, per_day);
    // The projection reshapes a day; its volume stays the seasonal average's (a projection
    // keeps squares, not sums, and clipping at 0 would add volume).
    let projected = means.map(|mean| {
        let mut out = vec![0.0; per_day];
        for shape in &shapes {
            let weight: f64 = shape.iter().zip(&mean).map(|(s, m)| s * m).sum();
            for (o, s) in out.iter_mut().zip(shape) {
                *o += weight * s;
            }
        }
        out.iter_mut().for_each(|v| *v = v.max(0.0));
        let (total, projected_total) = (mean.iter().sum::<f64>(), out.iter().sum::<f64>());
        if projected_total > 0.0 {
            out.iter_mut().for_each(|v| *v *= total / projected_total);
        } else {
            out.clone_from(&mean);
        }
        out
    });
    LowRank {
        shapes: shapes.len(),
        days: projected,
        per_day,
        first_weekday: total_days % 7,
    }
}

/// The orthonormal intraday shapes (right singular vectors of the days × intervals matrix)
/// whose singular values stand above the Poisson noise edge.
fn leading_shapes(rows: &[&[f64]], per_day: usize) -> Vec<Vec<f64>> {
    let n = rows.len();
    if n == 0 || per_day == 0 {
        return Vec::new();
    }
    // Gram matrix XᵀX (per_day × per_day).
    let mut gram = vec![0.0; per_day * per_day];
    for row in rows {
        for (i, &a) in row.iter().enumerate() {
            if a == 0.0 {
                continue;
            }
            let line = &mut gram[i * per_day..(i + 1) * per_day];
            for (g, &b) in line.iter_mut().zip(row.iter()) {
                *g += a * b;
            }
        }
    }
    let count = rows.iter().map(|r| r.len()).sum::<usize>() as f64;
    let mean = rows.iter().flat_map(|r| r.iter()).sum::<f64>() / count.max(1.0);
    if mean <= 0.0 {
        return Vec::new();
    }
    let k = MAX_SHAPES.min(per_day).min(n);
    let (vectors, eigenvalues) = top_eigenvectors(&gram, per_day, k);
    let edge = mean.sqrt() * ((n as f64).sqrt() + (per_day as f64).sqrt());
    let keep = eigenvalues
        .iter()
        .take_while(|&&l| l.max(0.0).sqrt() > edge)
        .count()
        .max(1);
    vectors.into_iter().take(keep).collect()
}

/// The `k` leading eigenvectors (orthonormal, by decreasing eigenvalue) of the symmetric
/// positive semi-definite `dim × dim` matrix `a`, by orthogonal (subspace) iteration from a
/// fixed start, so the result is deterministic.
fn top_eigenvectors(a: &[f64], dim: usize, k: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let mut basis: Vec<Vec<f64>> = (0..k)
        .map(|j| {
            (0..dim)
                .map(|i| 1.0 + ((i * (j + 1) * 7919 + j * 104_729) % 1_000) as f64 / 1_000.0)
                .collect()
        })
        .collect();
    orthonormalise(&mut basis);
    let multiply = |v: &[f64]| -> Vec<f64> {
        (0..dim)
            .map(|i| {
                a[i * dim..(i + 1) * dim]
                    .iter()
                    .zip(v)
                    .map(|(x, y)| x * y)
                    .sum()
            })
            .collect()
    };
    for _ in 0..ITERATIONS {
        basis = basis.iter().map(|v| multiply(v)).collect();
        orthonormalise(&mut basis);
    }
    // Rayleigh quotients, then sort by them (the iteration already orders them but a tie or a
    // dropped vector may not).
    let mut pairs: Vec<(f64, Vec<f64>)> = basis
        .into_iter()
        .filter(|v| v.iter().any(|x| *x != 0.0))
        .map(|v| {
            let av = multiply(&v);
            (v.iter().zip(&av).map(|(x, y)| x * y).sum(), v)
        })
        .collect();
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0));
    let values = pairs.iter().map(|p| p.0).collect();
    (pairs.into_iter().map(|p| p.1).collect(), values)
}

/// Modified Gram–Schmidt, each projection done twice ("twice is enough", Giraud et al., 2005);
/// a vector that loses all but a rounding error of its length to the ones before it (the
/// matrix has rank below k) is zeroed, not normalised into noise.
fn orthonormalise(vectors: &mut [Vec<f64>]) {
    for j in 0..vectors.len() {
        let (done, rest) = vectors.split_at_mut(j);
        let v = &mut rest[0];
        let before = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        for _ in 0..2 {
            for u in done.iter() {
                let dot: f64 = u.iter().zip(v.iter()).map(|(a, b)| a * b).sum();
                for (x, y) in v.iter_mut().zip(u) {
                    *x -= dot * y;
                }
            }
        }
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 1e-9 * before && norm > 0.0 {
            v.iter_mut().for_each(|x| *x /= norm);
        } else {
            v.iter_mut().for_each(|x| *x = 0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::Seasons;

    #[test]
    fn eigenvectors_of_a_known_matrix() {
        // diag(5, 3, 1) rotated: eigenvalues 5, 3, 1 (independent: the matrix is built from them).
        let a = [5.0, 0.0, 0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 1.0];
        let (vectors, values) = top_eigenvectors(&a, 3, 2);
        assert!((values[0] - 5.0).abs() < 1e-9 && (values[1] - 3.0).abs() < 1e-9);
        assert!((vectors[0][0].abs() - 1.0).abs() < 1e-9);
        assert!((vectors[1][1].abs() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_rank_one_season_is_reproduced_exactly() {
        // Every day the same shape times a weekday level: one shape, no noise.
        let seasons = Seasons {
            per_day: 24,
            per_week: 168,
        };
        let value = |t: usize| {
            let shape = 1.0 + ((t % 24) as f64 - 12.0).abs();
            shape * [1.0, 1.2, 1.1, 1.0, 0.9, 0.5, 0.4][(t / 24) % 7]
        };
        let values: Vec<f64> = (0..168 * 10).map(value).collect();
        let fitted = fit(Training::new(&values, seasons), 8);
        assert_eq!(fitted.shapes, 1);
        let forecast = fitted.predict_point(168);
        for (h, f) in forecast.iter().enumerate() {
            assert!((f - value(168 * 10 + h)).abs() < 1e-6, "{h}: {f}");
        }
    }

    #[test]
    fn poisson_noise_is_smoothed_towards_the_true_rate() {
        // Counts around a one-shape rate: the projection is closer to the rate than the plain
        // eight-week average is.
        let mut counts = crate::test_support::Counts(3);
        let rate = |t: usize| 0.5 + 3.0 * (-((((t % 24) as f64) - 13.0).powi(2)) / 20.0).exp();
        let values: Vec<f64> = (0..168 * 8).map(|t| counts.poisson(rate(t))).collect();
        let seasons = Seasons {
            per_day: 24,
            per_week: 168,
        };
        let training = Training::new(&values, seasons);
        let projected = fit(training, 8).predict_point(168);
        let plain = super::super::average::fit(training, 8, super::super::Averaging::Mean)
            .predict_point(168);
        let error = |f: &[f64]| -> f64 {
            f.iter()
                .enumerate()
                .map(|(h, v)| (v - rate(h)).powi(2))
                .sum()
        };
        assert!(
            error(&projected) < error(&plain) / 2.0,
            "projected {} vs plain {}",
            error(&projected),
            error(&plain)
        );
    }
}
