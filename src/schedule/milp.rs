//! The set-covering MILP: integer agents per candidate shift, every interval covered.
//!
//! minimise Σₖ cₖ·xₖ + Σₜ p·uₜ   subject to   Σ_{k covers t} xₖ + uₜ ≥ rₜ,   xₖ ∈ ℕ,
//! where uₜ (shortfall) exists only for intervals no template can cover, or for all with
//! `allow_under`. The horizon wraps around, so a Sunday-night shift covers Monday morning.
//! Without breaks every shift covers consecutive intervals: the constraint matrix has the
//! consecutive-ones property, is totally unimodular, and the LP relaxation is already integral
//! (Bartholdi, Orlin & Ratliff, 1980). The LP bound is solved first and reported with the gap.

use std::time::Instant;

use good_lp::solvers::microlp::microlp;
use good_lp::{
    variable, Expression, ProblemVariables, Solution, SolutionStatus, SolverModel, Variable,
    WithInitialSolution, WithMipGap, WithTimeLimit,
};

use super::templates::ShiftTemplates;
use super::{Plan, Requirement, ShiftCount, Shortfall, SolveStatus};
use crate::time::MINUTES_PER_DAY;

/// Solver settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveOptions {
    /// Allow under-staffing everywhere, at the template's penalty.
    pub allow_under: bool,
    pub time_limit_seconds: f64,
    /// Stop when the plan is this close (relative) to the best bound.
    pub mip_gap: f64,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            allow_under: false,
            time_limit_seconds: 60.0,
            mip_gap: 0.005,
        }
    }
}

/// A candidate shift: start interval, length and break position, in intervals.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    start: usize,
    length: usize,
    /// `(offset from start, length)` of the unpaid break.
    break_at: Option<(usize, usize)>,
    cost: f64,
}

impl Candidate {
    /// Offsets (from the start) of the intervals where the agent works.
    fn working(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.length).filter(move |o| self.break_at.is_none_or(|(b, l)| *o < b || *o >= b + l))
    }
}

fn candidates(req: &Requirement, templates: &ShiftTemplates) -> Vec<Candidate> {
    let d = req.interval_minutes as usize;
    let costs = &templates.costs;
    let night = |minute_of_day: usize| {
        let hour = (minute_of_day / 60) as u32;
        let (start, end) = (costs.night_start_hour, costs.night_end_hour);
        if start <= end {
            hour >= start && hour < end
        } else {
            hour >= start || hour < end
        }
    };
    let mut out = Vec::new();
    for start in 0..req.len() {
        let minute_of_day = req.minute(start).rem_euclid(MINUTES_PER_DAY) as u32;
        if !templates.may_start(minute_of_day) {
            continue;
        }
        for &hours in &templates.lengths_hours {
            let length = (hours * 60.0).round() as usize / d;
            let breaks: Vec<Option<(usize, usize)>> = match &templates.break_rule {
                Some(b) if hours >= b.min_shift_hours => (b.earliest_after_start_minutes
                    ..=b.latest_after_start_minutes)
                    .step_by(b.step_minutes as usize)
                    .map(|offset| Some((offset as usize / d, b.minutes as usize / d)))
                    .filter(|brk| brk.is_some_and(|(o, l)| o + l <= length))
                    .collect(),
                _ => vec![None],
            };
            for break_at in breaks {
                let mut candidate = Candidate {
                    start,
                    length,
                    break_at,
                    cost: 0.0,
                };
                let worked: Vec<usize> = candidate.working().collect();
                let night_intervals = worked
                    .iter()
                    .filter(|&&o| {
                        night((minute_of_day as usize + o * d) % MINUTES_PER_DAY as usize)
                    })
                    .count();
                let paid_hours = worked.len() as f64 * d as f64 / 60.0;
                candidate.cost = costs.paid_hour
                    * (paid_hours + costs.night_premium * night_intervals as f64 * d as f64 / 60.0)
                    + costs.over_staffing_per_interval * worked.len() as f64;
                out.push(candidate);
            }
        }
    }
    out
}

/// Solves one region's plan.
pub fn solve(req: &Requirement, templates: &ShiftTemplates, options: &SolveOptions) -> Plan {
    let began = Instant::now();
    let n = req.len();
    let shifts = candidates(req, templates);
    let mut cover: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, c) in shifts.iter().enumerate() {
        for o in c.working() {
            cover[(c.start + o) % n].push(k);
        }
    }
    let uncoverable: Vec<bool> = cover.iter().map(|c| c.is_empty()).collect();
    let max_agents = templates
        .max_agents_per_shift
        .unwrap_or_else(|| req.required.iter().copied().max().unwrap_or(0).max(1));
    let under_penalty = templates.costs.under_staffing_per_interval.max(1e-6);

    let build = |integer: bool| {
        let mut vars = ProblemVariables::new();
        let x: Vec<Variable> = shifts
            .iter()
            .map(|_| {
                let v = variable().min(0).max(max_agents as f64);
                vars.add(if integer { v.integer() } else { v })
            })
            .collect();
        let u: Vec<Option<Variable>> = (0..n)
            .map(|t| (options.allow_under || uncoverable[t]).then(|| vars.add(variable().min(0))))
            .collect();
        // Shifts with a minimum headcount are on (y = 1) or off.
        let used: Vec<Option<Variable>> = shifts
            .iter()
            .map(|_| {
                (integer && templates.min_agents_per_shift > 1)
                    .then(|| vars.add(variable().binary()))
            })
            .collect();
        let objective: Expression = x
            .iter()
            .zip(&shifts)
            .map(|(&v, c)| c.cost * v)
            .sum::<Expression>()
            + u.iter()
                .flatten()
                .map(|&v| under_penalty * v)
                .sum::<Expression>();
        let mut model = vars.minimise(objective.clone()).using(microlp);
        for t in 0..n {
            if req.required[t] == 0 && u[t].is_none() {
                continue;
            }
            let mut covered: Expression = cover[t].iter().map(|&k| x[k]).sum();
            if let Some(v) = u[t] {
                covered += v;
            }
            model = model.with(covered.geq(req.required[t] as f64));
        }
        for (k, y) in used.iter().enumerate() {
            if let Some(y) = *y {
                model = model.with((x[k] - templates.min_agents_per_shift as f64 * y).geq(0.0));
                model = model.with((x[k] - max_agents as f64 * y).leq(0.0));
            }
        }
        (model, x, u, objective)
    };

    // LP relaxation: the bound.
    let (lp, x_lp, _, objective_lp) = build(false);
    let lp_solution = lp.solve();
    let (lp_bound, lp_values) = match &lp_solution {
        Ok(s) => (
            s.eval(&objective_lp),
            x_lp.iter().map(|&v| s.value(v)).collect::<Vec<f64>>(),
        ),
        Err(_) => {
            return infeasible(req, began);
        }
    };
    // A feasible start for the MILP: the better of the LP rounded up and the LP rounded down
    // then repaired, each with redundant agents removed.
    let coverable_required: Vec<u32> = (0..n)
        .map(|t| if uncoverable[t] { 0 } else { req.required[t] })
        .collect();
    let rounded = {
        let mut up: Vec<f64> = lp_values
            .iter()
            .map(|v| (v - 1e-7).ceil().max(0.0))
            .collect();
        prune(&mut up, &shifts, &coverable_required, n);
        let mut down: Vec<f64> = lp_values
            .iter()
            .map(|v| (v + 1e-7).floor().max(0.0))
            .collect();
        repair(
            &mut down,
            &shifts,
            &cover,
            &coverable_required,
            n,
            &lp_values,
        );
        prune(&mut down, &shifts, &coverable_required, n);
        let mut half: Vec<f64> = lp_values.iter().map(|v| v.round().max(0.0)).collect();
        repair(
            &mut half,
            &shifts,
            &cover,
            &coverable_required,
            n,
            &lp_values,
        );
        prune(&mut half, &shifts, &coverable_required, n);
        let cost = |x: &[f64]| x.iter().zip(&shifts).map(|(v, c)| v * c.cost).sum::<f64>();
        [up, down, half]
            .into_iter()
            .min_by(|a, b| cost(a).total_cmp(&cost(b)))
            .unwrap_or_default()
    };
    let integral = lp_values.iter().all(|v| (v - v.round()).abs() < 1e-6)
        && templates.min_agents_per_shift <= 1;

    let heuristic_cost: f64 = rounded
        .iter()
        .zip(&shifts)
        .map(|(v, c)| v * c.cost)
        .sum::<f64>()
        + (0..n)
            .filter(|&t| uncoverable[t])
            .map(|t| under_penalty * req.required[t] as f64)
            .sum::<f64>();
    let heuristic_gap = if lp_bound > 0.0 {
        (heuristic_cost - lp_bound).max(0.0) / lp_bound
    } else {
        0.0
    };
    let (values, status, objective) = if integral {
        let values: Vec<f64> = lp_values.iter().map(|v| v.round()).collect();
        (values, SolveStatus::Optimal, lp_bound)
    } else if heuristic_gap <= options.mip_gap && templates.min_agents_per_shift <= 1 {
        // Rounding already lands within the requested gap: no branch and bound needed.
        (
            rounded.clone(),
            SolveStatus::Feasible { gap: heuristic_gap },
            heuristic_cost,
        )
    } else {
        let (milp, x, u, objective_milp) = build(true);
        let start: Vec<(Variable, f64)> = x
            .iter()
            .copied()
            .zip(rounded.iter().copied())
            .chain(u.iter().enumerate().filter_map(|(t, v)| {
                v.map(|v| {
                    let covered: f64 = cover[t].iter().map(|&k| rounded[k]).sum();
                    (v, (req.required[t] as f64 - covered).max(0.0))
                })
            }))
            .collect();
        let remaining = (options.time_limit_seconds - began.elapsed().as_secs_f64()).max(0.05);
        let result = milp
            .with_mip_gap(options.mip_gap as f32)
            .map(|m| m.with_time_limit(remaining).with_initial_solution(start));
        match result.ok().and_then(|m| m.solve().ok()) {
            Some(solution) => {
                let values: Vec<f64> = x.iter().map(|&v| solution.value(v).round()).collect();
                let objective = solution.eval(&objective_milp);
                let gap = if lp_bound > 0.0 {
                    (objective - lp_bound).max(0.0) / lp_bound
                } else {
                    0.0
                };
                let status = match solution.status() {
                    SolutionStatus::Optimal => SolveStatus::Optimal,
                    SolutionStatus::GapLimit => SolveStatus::Feasible { gap },
                    SolutionStatus::TimeLimit => SolveStatus::TimeLimit { gap: Some(gap) },
                };
                (values, status, objective)
            }
            // No better plan in time: the rounded LP is still a valid plan.
            None => (
                rounded.clone(),
                SolveStatus::TimeLimit {
                    gap: Some(heuristic_gap),
                },
                heuristic_cost,
            ),
        }
    };

    let mut scheduled = vec![0u32; n];
    let mut plan_shifts = Vec::new();
    let d = req.interval_minutes as i64;
    for (c, &v) in shifts.iter().zip(&values) {
        let agents = v.max(0.0) as u32;
        if agents == 0 {
            continue;
        }
        for o in c.working() {
            scheduled[(c.start + o) % n] += agents;
        }
        let worked = c.working().count() as u32;
        plan_shifts.push(ShiftCount {
            start_minute: req.minute(c.start),
            length_minutes: (c.length as i64 * d) as u32,
            paid_minutes: worked * req.interval_minutes,
            break_start_minute: c.break_at.map(|(b, _)| req.minute(c.start) + b as i64 * d),
            break_minutes: c.break_at.map_or(0, |(_, l)| (l as i64 * d) as u32),
            agents,
        });
    }
    let shortfalls = (0..n)
        .filter(|&t| scheduled[t] < req.required[t])
        .map(|t| Shortfall {
            interval: t,
            missing: req.required[t] - scheduled[t],
            reason: if uncoverable[t] {
                "no shift template covers this interval (start windows, lengths and breaks leave it out)".into()
            } else {
                "under-staffing allowed (--allow-under) and cheaper than another shift".into()
            },
        })
        .collect();
    Plan {
        region: req.region.clone(),
        status,
        shifts: plan_shifts,
        lp_bound,
        objective,
        scheduled,
        shortfalls,
        solve_seconds: began.elapsed().as_secs_f64(),
    }
}

/// Scheduled agents per interval of integer shift counts.
fn scheduled_of(values: &[f64], shifts: &[Candidate], n: usize) -> Vec<i64> {
    let mut scheduled = vec![0i64; n];
    for (c, &v) in shifts.iter().zip(values) {
        if v > 0.0 {
            for o in c.working() {
                scheduled[(c.start + o) % n] += v as i64;
            }
        }
    }
    scheduled
}

/// Adds shifts until every interval is covered: for each short interval, the covering shift
/// with the most short intervals per unit of cost.
fn repair(
    values: &mut [f64],
    shifts: &[Candidate],
    cover: &[Vec<usize>],
    required: &[u32],
    n: usize,
    lp: &[f64],
) {
    let mut scheduled = scheduled_of(values, shifts, n);
    for t in 0..n {
        while scheduled[t] < required[t] as i64 {
            let score = |k: usize, scheduled: &[i64]| {
                let c = &shifts[k];
                let short = c
                    .working()
                    .filter(|o| {
                        let i = (c.start + o) % n;
                        scheduled[i] < required[i] as i64
                    })
                    .count();
                // The LP's own preference breaks ties between equally useful shifts.
                short as f64 / c.cost.max(1e-9) * (1.0 + lp[k].fract())
            };
            let Some(&best) = cover[t]
                .iter()
                .max_by(|&&a, &&b| score(a, &scheduled).total_cmp(&score(b, &scheduled)))
            else {
                break;
            };
            values[best] += 1.0;
            let c = &shifts[best];
            for o in c.working() {
                scheduled[(c.start + o) % n] += 1;
            }
        }
    }
}

/// Removes agents whose every working interval is over-covered, most expensive shifts first.
fn prune(values: &mut [f64], shifts: &[Candidate], required: &[u32], n: usize) {
    let mut scheduled = scheduled_of(values, shifts, n);
    let mut order: Vec<usize> = (0..shifts.len()).filter(|&k| values[k] > 0.0).collect();
    order.sort_by(|&a, &b| shifts[b].cost.total_cmp(&shifts[a].cost));
    for k in order {
        let c = &shifts[k];
        while values[k] > 0.0
            && c.working().all(|o| {
                let i = (c.start + o) % n;
                scheduled[i] > required[i] as i64
            })
        {
            values[k] -= 1.0;
            for o in c.working() {
                scheduled[(c.start + o) % n] -= 1;
            }
        }
    }
}

fn infeasible(req: &Requirement, began: Instant) -> Plan {
    Plan {
        region: req.region.clone(),
        status: SolveStatus::Infeasible,
        shifts: Vec::new(),
        lp_bound: f64::NAN,
        objective: f64::NAN,
        scheduled: vec![0; req.len()],
        shortfalls: Vec::new(),
        solve_seconds: began.elapsed().as_secs_f64(),
    }
}
