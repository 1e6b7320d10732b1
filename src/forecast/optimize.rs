//! Bounded minimisation of smoothing parameters with argmin's Nelder–Mead.
//!
//! Parameters live in boxes (α in (0, 1), φ in [0.8, 0.98], …): the simplex moves in an
//! unbounded space mapped into each box by a logistic function, so every evaluated point is
//! valid. Several starts guard against the local minima these likelihoods have.

use argmin::core::{CostFunction, Error, Executor, State};
use argmin::solver::neldermead::NelderMead;

struct Problem<'a> {
    cost: &'a dyn Fn(&[f64]) -> f64,
    bounds: &'a [(f64, f64)],
}

fn to_box(u: &[f64], bounds: &[(f64, f64)]) -> Vec<f64> {
    u.iter()
        .zip(bounds)
        .map(|(&x, &(lo, hi))| lo + (hi - lo) / (1.0 + (-x).exp()))
        .collect()
}

fn from_box(p: &[f64], bounds: &[(f64, f64)]) -> Vec<f64> {
    p.iter()
        .zip(bounds)
        .map(|(&x, &(lo, hi))| {
            let t = ((x - lo) / (hi - lo)).clamp(1e-4, 1.0 - 1e-4);
            (t / (1.0 - t)).ln()
        })
        .collect()
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, u: &Self::Param) -> Result<f64, Error> {
        let value = (self.cost)(&to_box(u, self.bounds));
        // Nelder–Mead copes with +∞ (it shrinks away) but not with NaN.
        Ok(if value.is_nan() { f64::INFINITY } else { value })
    }
}

/// Minimises `cost` over the box `bounds`, starting from each point of `starts` (inside the
/// box), with at most `max_iters` Nelder–Mead iterations per start; returns the best point.
pub(crate) fn minimize(
    cost: &dyn Fn(&[f64]) -> f64,
    bounds: &[(f64, f64)],
    starts: &[Vec<f64>],
    max_iters: u64,
) -> Vec<f64> {
    let mut best: Option<(f64, Vec<f64>)> = None;
    for start in starts {
        let u0 = from_box(start, bounds);
        // Initial simplex: the start and one step of 1 (in logit units) along each axis.
        let mut simplex = vec![u0.clone()];
        for i in 0..u0.len() {
            let mut vertex = u0.clone();
            vertex[i] += if vertex[i] > 0.0 { -1.0 } else { 1.0 };
            simplex.push(vertex);
        }
        let found = NelderMead::new(simplex)
            .with_sd_tolerance(1e-7)
            .and_then(|solver| {
                Executor::new(Problem { cost, bounds }, solver)
                    .configure(|state| state.max_iters(max_iters))
                    .run()
            })
            .ok()
            .and_then(|result| {
                let state = result.state();
                state
                    .get_best_param()
                    .map(|u| (state.get_best_cost(), to_box(u, bounds)))
            });
        let candidate = found.unwrap_or_else(|| (cost(start), start.clone()));
        if best.as_ref().is_none_or(|(c, _)| candidate.0 < *c) {
            best = Some(candidate);
        }
    }
    best.map(|(_, p)| p).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_bounded_minimum() {
        // (a − 0.3)² + (b − 0.9)², inside (0, 1)².
        let cost = |p: &[f64]| (p[0] - 0.3).powi(2) + (p[1] - 0.9).powi(2);
        let best = minimize(&cost, &[(0.0, 1.0), (0.0, 1.0)], &[vec![0.5, 0.5]], 300);
        assert!(
            (best[0] - 0.3).abs() < 1e-3 && (best[1] - 0.9).abs() < 1e-3,
            "{best:?}"
        );
    }

    #[test]
    fn stays_inside_the_box_when_the_minimum_is_outside() {
        let cost = |p: &[f64]| (p[0] - 2.0).powi(2);
        let best = minimize(&cost, &[(0.8, 0.98)], &[vec![0.9], vec![0.85]], 200);
        assert!(best[0] <= 0.98 && best[0] > 0.97, "{best:?}");
    }
}
