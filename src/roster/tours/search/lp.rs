//! The LP relaxation of the tours by column generation, its bound and its dive to whole tours.

use super::*;

/// The LP relaxation of the tour model by column generation: min Σ zⱼ over tours j subject to
/// every coverable interval covered, tours priced stretch by stretch. microlp gives no duals,
/// so the dual (max Σ rₜπₜ subject to Σ_{t∈j} πₜ ≤ 1 for every tour j) is solved instead, and
/// each tour that prices out is added to it as a cut and re-solved warm. Returns the tours
/// generated, three sets of tour counts to start from (the dive's whole counts, the LP's
/// values to be rounded down, and the LP rounded to the nearest) and a lower bound on the tours of any tour roster (the LP
/// optimum, or Farley's bound z / max_j Σ_{t∈j} πₜ when stopped early). With `solved` (the
/// compact LP's tours and bound) the tours are not generated but taken from it. Without `dive`
/// only the LP rounded to the nearest is returned.
pub(crate) fn column_generation(
    cover: &CoverState,
    shapes: &[Shape],
    classes: &[f64],
    seed: &[Tour],
    solved: Option<(Vec<Tour>, f64)>,
    dive: bool,
) -> (Vec<Tour>, Vec<Vec<f64>>, f64) {
    let horizon = cover.horizon;
    let n = horizon.required.len();
    let mut coverable = vec![false; n];
    for shape in shapes {
        for days in &shape.stretches {
            for &s in &shape.shifts {
                for &day in days {
                    for t in horizon.covered(&cover.shifts[s], day) {
                        coverable[t] = true;
                    }
                }
            }
        }
    }
    let rows: Vec<usize> = (0..n)
        .filter(|&t| coverable[t] && horizon.required[t] > 0)
        .collect();
    if rows.is_empty() {
        return (Vec::new(), Vec::new(), 0.0);
    }
    let mut row_of = vec![usize::MAX; n];
    for (i, &t) in rows.iter().enumerate() {
        row_of[t] = i;
    }
    let intervals = |tour: &Tour| -> Vec<usize> {
        let mut out: Vec<usize> = tour
            .stretches
            .iter()
            .flat_map(|(days, s)| {
                days.iter()
                    .flat_map(move |&day| horizon.covered(&cover.shifts[*s], day))
            })
            .filter(|&t| row_of[t] != usize::MAX)
            .map(|t| row_of[t])
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    };
    let mut pool: Vec<Tour> = Vec::new();
    let bound = if let Some((tours, bound)) = solved {
        // The LP is solved already (`compact`): its tours and the seed are the pool.
        for tour in seed.iter().chain(&tours) {
            if !pool.contains(tour) {
                pool.push(tour.clone());
            }
        }
        bound
    } else {
        let mut dual = Problem::new(OptimizationDirection::Maximize);
        let pi: Vec<Variable> = rows
            .iter()
            .map(|&t| dual.add_var(horizon.required[t] as f64, (0.0, f64::INFINITY)))
            .collect();
        let cut = |tour: &Tour| -> Vec<(Variable, f64)> {
            intervals(tour).into_iter().map(|i| (pi[i], 1.0)).collect()
        };
        for tour in seed {
            if !pool.contains(tour) {
                dual.add_constraint(&cut(tour)[..], ComparisonOp::Le, 1.0);
                pool.push(tour.clone());
            }
        }
        dual.set_time_limit(LP_TIME_LIMIT);
        let Some(mut solution) = dual.solve().ok().and_then(|o| o.into_solution().ok()) else {
            return (Vec::new(), Vec::new(), 0.0);
        };
        // Tours priced at duals `values`: a hair less for idle time, so that among tours worth
        // as much the one paid to wait least is generated.
        let price_tours = |values: &[f64]| {
            best_tours(cover, shapes, classes, &|t: usize| {
                if row_of[t] == usize::MAX {
                    -1e-7
                } else {
                    values[row_of[t]]
                }
            })
        };
        // Wentges (1997) smoothing: tours are priced at a mix of the best duals seen so far (by
        // Farley's bound) and the restricted LP's, which keeps the duals from swinging between
        // rounds; only where that finds no tour worth adding are the LP's own duals priced.
        let required: Vec<f64> = rows.iter().map(|&t| horizon.required[t] as f64).collect();
        let mut center: Option<(Vec<f64>, f64)> = None;
        loop {
            let current: Vec<f64> = pi.iter().map(|&v| solution.var_value_raw(v)).collect();
            let mut new: Vec<Tour> = Vec::new();
            for alpha in [SMOOTHING, 0.0] {
                let at: Vec<f64> = match &center {
                    Some((c, _)) if alpha > 0.0 => c
                        .iter()
                        .zip(&current)
                        .map(|(c, x)| alpha * c + (1.0 - alpha) * x)
                        .collect(),
                    _ if alpha > 0.0 => continue,
                    _ => current.clone(),
                };
                let priced = price_tours(&at);
                let most = priced.iter().map(|p| p.0).fold(1.0, f64::max);
                let farley = required.iter().zip(&at).map(|(r, p)| r * p).sum::<f64>() / most;
                if center.as_ref().is_none_or(|(_, b)| farley > *b) {
                    center = Some((at, farley));
                }
                // Worth adding: priced out at the LP's own duals.
                new = priced
                    .into_iter()
                    .map(|(_, t)| t)
                    .filter(|t| {
                        intervals(t).iter().map(|&i| current[i]).sum::<f64>() > 1.0 + 1e-6
                            && !pool.contains(t)
                    })
                    .collect();
                if !new.is_empty() {
                    break;
                }
            }
            if new.is_empty() || pool.len() > COLUMN_GENERATION_TOURS {
                break;
            }
            let mut next = Some(solution);
            for tour in new {
                let row = cut(&tour);
                pool.push(tour);
                next = next
                    .and_then(|s| s.add_constraint(&row[..], ComparisonOp::Le, 1.0).ok())
                    .and_then(|o| o.into_solution().ok());
            }
            match next {
                Some(s) => solution = s,
                None => break,
            }
        }
        center.map_or(0.0, |(_, b)| b)
    };
    // The primal over the tours generated: their LP values.
    let mut primal = Problem::new(OptimizationDirection::Minimize);
    // Costs a hair apart: set covering is degenerate, and equal costs can stall the simplex
    // (a minute and more on January 2000 of the bank) where these take half a second.
    let z: Vec<Variable> = pool
        .iter()
        .enumerate()
        .map(|(j, _)| primal.add_var(1.0 + 1e-6 * (j % 97) as f64, (0.0, f64::INFINITY)))
        .collect();
    let mut by_row: Vec<Vec<(Variable, f64)>> = vec![Vec::new(); rows.len()];
    for (j, tour) in pool.iter().enumerate() {
        for i in intervals(tour) {
            by_row[i].push((z[j], 1.0));
        }
    }
    for (i, row) in by_row.iter().enumerate() {
        primal.add_constraint(&row[..], ComparisonOp::Ge, horizon.required[rows[i]] as f64);
    }
    // Diving: fix the largest fractional tour count up and re-solve warm, until whole.
    primal.set_time_limit(LP_TIME_LIMIT);
    let mut solution = primal.solve().ok().and_then(|o| o.into_solution().ok());
    let relaxed: Vec<f64> = solution.as_ref().map_or(vec![0.0; pool.len()], |s| {
        z.iter().map(|&v| s.var_value_raw(v)).collect()
    });
    if !dive {
        // Rounded to the nearest only: the dive re-solves once per fractional tour, most of a
        // week's time, and on a 24/7 week it ends one tour in 180 better.
        let nearest = relaxed.iter().map(|v| v.round()).collect();
        return (pool, vec![nearest], bound);
    }
    let mut fixed = vec![false; pool.len()];
    let mut values = vec![0.0; pool.len()];
    while let Some(current) = solution {
        values = z.iter().map(|&v| current.var_value_raw(v)).collect();
        let next = (0..pool.len())
            .filter(|&j| !fixed[j] && (values[j] - values[j].round()).abs() > 1e-6)
            .max_by(|&a, &b| values[a].total_cmp(&values[b]).then(b.cmp(&a)));
        let Some(j) = next else {
            break;
        };
        fixed[j] = true;
        solution = current
            .fix_var(z[j], values[j].ceil())
            .ok()
            .and_then(|o| o.into_solution().ok());
    }
    let counts = values.iter().map(|v| (v + 1e-6).floor()).collect();
    // Rounded to the nearest whole tour as well: the local search adds what that leaves short.
    let nearest = relaxed.iter().map(|v| v.round()).collect();
    (pool, vec![counts, relaxed, nearest], bound)
}

/// The best tour of each shape at prices `price_of` (per interval of the requirement), stretch
/// by stretch, and its worth: the sum over stretches of the best shift's prices, a stretch
/// worth less than nothing counted as nothing (so never less than the tour's own worth).
pub(crate) fn best_tours(
    cover: &CoverState,
    shapes: &[Shape],
    classes: &[f64],
    price_of: &dyn Fn(usize) -> f64,
) -> Vec<(f64, Tour)> {
    let horizon = cover.horizon;
    let price = |days: &[usize], s: usize| -> f64 {
        days.iter()
            .flat_map(|&day| horizon.covered(&cover.shifts[s], day))
            .map(price_of)
            .sum()
    };
    shapes
        .iter()
        .map(|shape| {
            let mut worth = 0.0;
            let stretches = shape
                .stretches
                .iter()
                .map(|days| {
                    let (w, s) = shape.shifts.iter().map(|&s| (price(days, s), s)).fold(
                        (f64::NEG_INFINITY, 0),
                        |best, x| {
                            if x.0 > best.0 + 1e-12 {
                                x
                            } else {
                                best
                            }
                        },
                    );
                    worth += w.max(0.0);
                    (days.clone(), s)
                })
                .collect();
            let tour = Tour {
                pattern: shape.pattern,
                contract_hours: classes[shape.class],
                stretches,
            };
            (worth, tour)
        })
        .collect()
}

/// Farley's (1990) lower bound on the tours of any roster from interval prices `prices` ≥ 0
/// (per interval of the requirement): Σ required × price over the most any tour is worth at
/// them (at least 1). Any prices give a valid bound; an optimal dual gives the LP optimum.
/// `bound_required` is the requirement bounded (the horizon's own, or one with the first hours
/// of a block after a seam let off, which the block before may cover).
pub(crate) fn farley_bound(
    cover: &CoverState,
    shapes: &[Shape],
    classes: &[f64],
    prices: &[f64],
    bound_required: &[u32],
) -> f64 {
    let horizon = cover.horizon;
    let price_of = |t: usize| {
        if horizon.required[t] > 0 {
            prices[t].max(0.0)
        } else {
            0.0
        }
    };
    let most = best_tours(cover, shapes, classes, &price_of)
        .iter()
        .map(|(w, _)| *w)
        .fold(1.0, f64::max);
    let total: f64 = (0..horizon.required.len())
        .map(|t| bound_required[t] as f64 * price_of(t))
        .sum();
    total / most
}

/// The tour of `shape` that fills the most short agent-intervals, stretch by stretch.
pub(crate) fn best_new_tour(cover: &CoverState, shape: &Shape, classes: &[f64]) -> (i64, Tour) {
    let mut gain = 0;
    let mut full = false;
    let stretches = shape
        .stretches
        .iter()
        .map(|days| {
            let priced = cover.gains_and_idle(days, &shape.shifts);
            let (g, s) = shape
                .shifts
                .iter()
                .zip(&priced)
                .filter(|(&s, _)| cover.room(days, s) > 0)
                .map(|(&s, &(gain, idle))| (gain, -idle, s))
                .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.cmp(&a.2)))
                .map(|(g, _, s)| (g, s))
                .unwrap_or_else(|| {
                    // Every shift of the stretch is at the templates' cap on some day.
                    full = true;
                    (0, shape.shifts[0])
                });
            gain += g;
            (days.clone(), s)
        })
        .collect();
    (
        if full { -1 } else { gain },
        Tour {
            pattern: shape.pattern,
            contract_hours: classes[shape.class],
            stretches,
        },
    )
}
