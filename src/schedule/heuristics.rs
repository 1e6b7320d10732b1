//! Integer plans when the LP relaxation is fractional (breaks make it so): rounding, repair
//! and pruning for a first plan, then local search and a sliding-window large-neighbourhood
//! search that re-solves small pieces of the horizon exactly.

use std::time::Instant;

use super::cover::Cover;

/// The LP's shift counts rounded three ways (up; down then repaired; to nearest then repaired),
/// each with redundant agents removed. Every result covers all coverable intervals.
pub(super) fn roundings(cover: &Cover, lp: &[f64]) -> Vec<Vec<f64>> {
    let round = |f: fn(f64) -> f64, fix: bool| {
        let mut x: Vec<f64> = lp.iter().map(|&v| f(v).max(0.0)).collect();
        if fix {
            repair(cover, &mut x, lp);
        }
        prune(cover, &mut x);
        x
    };
    vec![
        round(|v| (v - 1e-7).ceil(), false),
        round(|v| (v + 1e-7).floor(), true),
        round(f64::round, true),
    ]
}

/// Adds shifts until every coverable interval is covered: for each short interval, the
/// covering shift with the most short intervals per unit of cost (the LP's own preference
/// breaks ties).
pub(super) fn repair(cover: &Cover, x: &mut [f64], lp: &[f64]) {
    let n = cover.intervals();
    let mut scheduled = cover.scheduled(x);
    for t in 0..n {
        while scheduled[t] < cover.coverable(t) {
            let score = |k: usize, scheduled: &[i64]| {
                let c = &cover.shifts[k];
                let short = c
                    .working()
                    .filter(|o| {
                        let i = (c.start + o) % n;
                        scheduled[i] < cover.coverable(i)
                    })
                    .count();
                short as f64 / c.cost.max(1e-9) * (1.0 + lp[k].fract())
            };
            let Some(&best) = cover.by_interval[t]
                .iter()
                .max_by(|&&a, &&b| score(a, &scheduled).total_cmp(&score(b, &scheduled)))
            else {
                break;
            };
            x[best] += 1.0;
            cover.add(&mut scheduled, best, 1);
        }
    }
}

/// Removes agents whose every working interval is over-covered, most expensive shifts first.
pub(super) fn prune(cover: &Cover, x: &mut [f64]) {
    let n = cover.intervals();
    let mut scheduled = cover.scheduled(x);
    let mut order: Vec<usize> = (0..x.len()).filter(|&k| x[k] > 0.0).collect();
    order.sort_by(|&a, &b| cover.shifts[b].cost.total_cmp(&cover.shifts[a].cost));
    for k in order {
        let c = &cover.shifts[k];
        while x[k] > 0.0
            && c.working().all(|o| {
                let i = (c.start + o) % n;
                scheduled[i] > cover.coverable(i)
            })
        {
            x[k] -= 1.0;
            cover.add(&mut scheduled, k, -1);
        }
    }
}

/// Raises every used shift to the minimum headcount per shift (more agents only add cover).
pub(super) fn enforce_min_agents(cover: &Cover, x: &mut [f64]) {
    let min = cover.min_agents as f64;
    for v in x.iter_mut().filter(|v| **v > 0.0 && **v < min) {
        *v = min;
    }
}

/// Whether shift `c` has its agent working in interval `t` of a cyclic horizon of `n`.
fn works(c: &super::cover::Candidate, t: usize, n: usize) -> bool {
    let o = (t + n - c.start % n) % n;
    o < c.length && c.break_at.is_none_or(|(b, l)| o < b || o >= b + l)
}

/// The intervals of a shift's break.
fn breaks_of(c: &super::cover::Candidate, n: usize) -> impl Iterator<Item = usize> + '_ {
    c.break_at
        .into_iter()
        .flat_map(move |(b, l)| (b..b + l).map(move |o| (c.start + o) % n))
}

/// Local search on an integer plan: take one agent off a shift and cover what only that
/// agent covered with one or two cheaper shifts (a shorter shift, another break position,
/// two short shifts for the two ends of a long one). Repeats until no move saves anything or
/// the deadline passes. Coverage never drops.
pub(super) fn improve(cover: &Cover, x: &mut [f64], deadline: Instant) {
    const SAVING: f64 = 1e-9;
    let n = cover.intervals();
    let mut scheduled = cover.scheduled(x);
    // The cheapest shift working every interval of `need` (sorted by time from its first).
    let cheapest = |need: &[usize], except: usize| -> Option<(usize, f64)> {
        cover.by_interval[*need.first()?]
            .iter()
            .copied()
            .filter(|&k| k != except && need.iter().all(|&t| works(&cover.shifts[k], t, n)))
            .map(|k| (k, cover.shifts[k].cost))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    };
    loop {
        let mut improved = false;
        for k in 0..x.len() {
            if x[k] <= 0.0 {
                continue;
            }
            if Instant::now() >= deadline {
                return;
            }
            let c = cover.shifts[k];
            // Take the agent off, then try to win back each interval it was indispensable
            // for by moving another agent's break out of that interval.
            let mut trial = scheduled.clone();
            cover.add(&mut trial, k, -1);
            let mut moves: Vec<(usize, usize)> = Vec::new();
            let mut moved = x.to_vec();
            moved[k] -= 1.0;
            for t in cover.worked(k) {
                if trial[t] >= cover.coverable(t) {
                    continue;
                }
                let found = cover.on_break[t].iter().find_map(|&j| {
                    if moved[j] <= 0.0 {
                        return None;
                    }
                    cover.family[j]
                        .clone()
                        .find(|&alt| {
                            alt != j
                                && works(&cover.shifts[alt], t, n)
                                && breaks_of(&cover.shifts[alt], n).all(|b| {
                                    breaks_of(&cover.shifts[j], n).any(|own| own == b)
                                        || trial[b] > cover.coverable(b)
                                })
                        })
                        .map(|alt| (j, alt))
                });
                if let Some((j, alt)) = found {
                    for b in breaks_of(&cover.shifts[j], n) {
                        trial[b] += 1;
                    }
                    for b in breaks_of(&cover.shifts[alt], n) {
                        trial[b] -= 1;
                    }
                    moved[j] -= 1.0;
                    moved[alt] += 1.0;
                    moves.push((j, alt));
                }
            }
            // Intervals still short without this agent, in shift order.
            let need: Vec<usize> = cover
                .worked(k)
                .filter(|&t| trial[t] < cover.coverable(t))
                .collect();
            let mut replacement: Vec<usize> = Vec::new();
            let mut replacement_cost = 0.0;
            if !need.is_empty() {
                let mut best = cheapest(&need, k).map(|(j, cost)| (vec![j], cost));
                for split in 1..need.len() {
                    if let (Some((a, ca)), Some((b, cb))) =
                        (cheapest(&need[..split], k), cheapest(&need[split..], k))
                    {
                        if best.as_ref().is_none_or(|(_, cost)| ca + cb < *cost) {
                            best = Some((vec![a, b], ca + cb));
                        }
                    }
                }
                match best {
                    Some((shifts, cost)) => {
                        replacement = shifts;
                        replacement_cost = cost;
                    }
                    None => continue,
                }
            }
            if replacement_cost < c.cost - SAVING {
                for j in replacement {
                    moved[j] += 1.0;
                    cover.add(&mut trial, j, 1);
                }
                x.copy_from_slice(&moved);
                scheduled = trial;
                improved = true;
            }
        }
        if !improved {
            return;
        }
    }
}

/// Large-neighbourhood search: free the shifts that start inside one window of the horizon,
/// keep every other shift as it is, and re-solve that small MILP exactly (branch and bound,
/// at most `NODES` nodes, from the current plan). Windows slide over the whole horizon;
/// a window is kept only when its plan is cheaper. Deterministic: limits are node counts.
pub(super) fn window_search(cover: &Cover, x: &mut [f64], window: usize, deadline: Instant) {
    const NODES: u64 = 300;
    let n = cover.intervals();
    if n == 0 || window == 0 {
        return;
    }
    let stride = (window / 2).max(1);
    let mut scheduled = cover.scheduled(x);
    let mut from = 0;
    while from < n {
        if Instant::now() >= deadline {
            return;
        }
        let free: Vec<usize> = (0..cover.shifts.len())
            .filter(|&k| (cover.shifts[k].start + n - from) % n < window)
            .collect();
        from += stride;
        let mut fixed = scheduled.clone();
        for &k in &free {
            cover.add(&mut fixed, k, -(x[k] as i64));
        }
        let mut problem = microlp::Problem::new(microlp::OptimizationDirection::Minimize);
        let vars: Vec<microlp::Variable> = free
            .iter()
            .map(|&k| problem.add_integer_var(cover.shifts[k].cost, (0, cover.max_agents as i32)))
            .collect();
        let mut rows: Vec<Vec<(microlp::Variable, f64)>> = vec![Vec::new(); n];
        for (v, &k) in vars.iter().zip(&free) {
            for t in cover.worked(k) {
                rows[t].push((*v, 1.0));
            }
        }
        for (t, row) in rows.iter().enumerate() {
            let need = cover.coverable(t) - fixed[t];
            if need > 0 && !row.is_empty() {
                problem.add_constraint(&row[..], microlp::ComparisonOp::Ge, need as f64);
            }
        }
        let before: f64 = free.iter().map(|&k| x[k] * cover.shifts[k].cost).sum();
        let mut settings = microlp::SolveOptions::default();
        settings.node_limit = Some(NODES);
        settings.time_limit = Some(deadline.saturating_duration_since(Instant::now()));
        settings.warm_start = Some(
            vars.iter()
                .copied()
                .zip(free.iter().map(|&k| x[k]))
                .collect(),
        );
        let Some(solution) = problem
            .solve_with(settings)
            .ok()
            .and_then(|o| o.into_solution().ok())
        else {
            continue;
        };
        let values: Vec<f64> = vars
            .iter()
            .map(|&v| solution.var_value_raw(v).round().max(0.0))
            .collect();
        let after: f64 = values
            .iter()
            .zip(&free)
            .map(|(v, &k)| v * cover.shifts[k].cost)
            .sum();
        if after < before - 1e-9 {
            for (v, &k) in values.iter().zip(&free) {
                x[k] = *v;
            }
            scheduled = cover.scheduled(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::templates::{BreakRule, ShiftTemplates};
    use crate::schedule::Requirement;

    fn day(required: Vec<u32>, templates: &ShiftTemplates) -> Cover {
        let req = Requirement {
            region: "r".into(),
            start_minute: 0,
            interval_minutes: 30,
            required,
        };
        Cover::new(&req, templates, false)
    }

    fn covers(cover: &Cover, x: &[f64]) -> bool {
        let scheduled = cover.scheduled(x);
        (0..cover.intervals()).all(|t| scheduled[t] >= cover.coverable(t))
    }

    #[test]
    fn improve_swaps_a_long_shift_for_the_short_one_that_does_the_job() {
        // One agent needed 10:00–14:00; the plan starts with a 12-hour shift from 08:00.
        let mut required = vec![0u32; 48];
        required[20..28].fill(1);
        let cover = day(required, &ShiftTemplates::default());
        let mut x = vec![0.0; cover.shifts.len()];
        let long = (0..cover.shifts.len())
            .find(|&k| cover.shifts[k].start == 16 && cover.shifts[k].length == 24)
            .unwrap();
        x[long] = 1.0;
        improve(
            &cover,
            &mut x,
            Instant::now() + std::time::Duration::from_secs(5),
        );
        assert!(covers(&cover, &x));
        assert_eq!(cover.objective(&x), 4.0);
    }

    #[test]
    fn improve_moves_a_break_to_free_an_agent() {
        // Two agents needed 08:00–17:00 but one at 11:00 and at 12:00. The plan has two
        // 9-hour shifts with both 30-minute breaks at 11:00, and a 4-hour shift to cover that
        // hole. Moving one break to 12:00 lets the 4-hour shift go: 2 × 8.5 paid hours, which
        // is also the requirement (34 half-hours), so nothing cheaper exists.
        let mut required = vec![0u32; 48];
        required[16..34].fill(2);
        required[22] = 1;
        required[24] = 1;
        // Starts only at 08:00 and 10:00, so no other move applies.
        let templates = ShiftTemplates {
            lengths_hours: vec![4.0, 9.0],
            start_windows: vec![
                ["08:00".into(), "08:30".into()],
                ["10:00".into(), "10:30".into()],
            ],
            break_rule: Some(BreakRule {
                minutes: 30,
                min_shift_hours: 6.0,
                earliest_after_start_minutes: 180,
                latest_after_start_minutes: 300,
                step_minutes: 60,
            }),
            ..Default::default()
        };
        let cover = day(required, &templates);
        let find = |start: usize, length: usize, brk: Option<usize>| {
            (0..cover.shifts.len())
                .find(|&k| {
                    let c = cover.shifts[k];
                    c.start == start && c.length == length && c.break_at.map(|b| b.0) == brk
                })
                .unwrap()
        };
        let mut x = vec![0.0; cover.shifts.len()];
        x[find(16, 18, Some(6))] = 2.0;
        x[find(20, 8, None)] = 1.0;
        assert!(covers(&cover, &x));
        let before = cover.objective(&x);
        improve(
            &cover,
            &mut x,
            Instant::now() + std::time::Duration::from_secs(5),
        );
        assert!(covers(&cover, &x));
        assert_eq!(before, 21.0);
        assert_eq!(cover.objective(&x), 17.0, "{x:?}");
    }

    #[test]
    fn window_search_never_drops_cover_and_only_saves() {
        let required: Vec<u32> = (0..96).map(|t| [2, 5, 9, 4][(t / 12) % 4]).collect();
        let templates = ShiftTemplates {
            lengths_hours: vec![4.0, 8.0],
            break_rule: Some(BreakRule {
                minutes: 30,
                min_shift_hours: 6.0,
                earliest_after_start_minutes: 150,
                latest_after_start_minutes: 270,
                step_minutes: 60,
            }),
            ..Default::default()
        };
        let cover = day(required, &templates);
        // Start from a wasteful plan: every interval covered by 4-hour shifts at every start.
        let mut x: Vec<f64> = cover
            .shifts
            .iter()
            .map(|c| if c.length == 8 { 2.0 } else { 0.0 })
            .collect();
        assert!(covers(&cover, &x));
        let before = cover.objective(&x);
        window_search(
            &cover,
            &mut x,
            16,
            Instant::now() + std::time::Duration::from_secs(30),
        );
        assert!(covers(&cover, &x));
        assert!(cover.objective(&x) < before);
    }
}
