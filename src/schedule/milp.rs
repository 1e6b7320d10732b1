//! The set-covering MILP: integer agents per candidate shift, every interval covered.
//!
//! minimise Σₖ cₖ·xₖ + Σₜ p·uₜ   subject to   Σ_{k covers t} xₖ + uₜ ≥ rₜ,   xₖ ∈ ℕ,
//! where uₜ (shortfall) exists only for intervals no template can cover, or for all with
//! `allow_under`. The horizon wraps around, so a Sunday-night shift covers Monday morning.
//! Without breaks every shift covers consecutive intervals: the constraint matrix has the
//! consecutive-ones property, is totally unimodular, and the LP relaxation is already integral
//! (Bartholdi, Orlin & Ratliff, 1980). With breaks it is not: the plan then comes from the
//! LP by rounding, local search and windows re-solved exactly (`heuristics`), and branch and
//! bound over the whole horizon only runs when those stay further than the requested gap
//! from the LP bound. Solver: microlp (pure Rust).

use std::time::{Duration, Instant};

use microlp::{ComparisonOp, OptimizationDirection, Problem, TerminationReason, Variable};

use super::cover::Cover;
use super::heuristics;
use super::templates::ShiftTemplates;
use super::{Plan, Requirement, ShiftCount, Shortfall, ShortfallCause, SolveStatus, StopReason};

/// Solver settings.
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SolveOptions {
    /// Allow under-staffing everywhere, at the template's penalty.
    pub allow_under: bool,
    pub time_limit_seconds: f64,
    /// Stop when the plan is this close (relative) to the LP bound.
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

/// The model for microlp: shift variables (integer or not), shortfall variables on soft
/// intervals, and on/off switches when shifts have a minimum headcount.
fn problem(cover: &Cover, integer: bool) -> (Problem, Vec<Variable>) {
    let mut problem = Problem::new(OptimizationDirection::Minimize);
    let max = cover.max_agents as f64;
    let xs: Vec<Variable> = cover
        .shifts
        .iter()
        .map(|c| {
            if integer {
                problem.add_integer_var(c.cost, (0, cover.max_agents.min(i32::MAX as u32) as i32))
            } else {
                problem.add_var(c.cost, (0.0, max))
            }
        })
        .collect();
    for t in 0..cover.intervals() {
        if cover.required[t] == 0 {
            continue;
        }
        let mut row: Vec<(Variable, f64)> =
            cover.by_interval[t].iter().map(|&k| (xs[k], 1.0)).collect();
        if cover.soft[t] {
            row.push((
                problem.add_var(cover.under_penalty, (0.0, f64::INFINITY)),
                1.0,
            ));
        }
        problem.add_constraint(&row[..], ComparisonOp::Ge, cover.required[t] as f64);
    }
    if integer && cover.min_agents > 1 {
        // A used shift (y = 1) has between min and max agents; an unused one none.
        for &x in &xs {
            let y = problem.add_binary_var(0.0);
            problem.add_constraint(
                &[(x, 1.0), (y, -(cover.min_agents as f64))][..],
                ComparisonOp::Ge,
                0.0,
            );
            problem.add_constraint(&[(x, 1.0), (y, -max)][..], ComparisonOp::Le, 0.0);
        }
    }
    (problem, xs)
}

/// Relative distance of an objective above the bound.
fn gap_to(bound: f64, objective: f64) -> f64 {
    if bound > 0.0 {
        (objective - bound).max(0.0) / bound
    } else {
        0.0
    }
}

/// Solves one region's plan.
pub fn solve(req: &Requirement, templates: &ShiftTemplates, options: &SolveOptions) -> Plan {
    let began = Instant::now();
    let deadline = began + Duration::from_secs_f64(options.time_limit_seconds.max(0.0));
    let remaining = || deadline.saturating_duration_since(Instant::now());
    let cover = Cover::new(req, templates, options.allow_under);

    // LP relaxation: the bound, and the start of every heuristic.
    let (mut lp, xs) = problem(&cover, false);
    lp.set_time_limit(remaining().max(Duration::from_millis(50)));
    let lp_solution = match lp.solve() {
        Ok(outcome) => outcome.into_solution().ok(),
        Err(_) => return infeasible(req, began),
    };
    let Some(lp_solution) = lp_solution else {
        // No LP optimum (in time, or at all): a greedy plan from nothing, without a bound.
        let status = if remaining().is_zero() {
            SolveStatus::TimeLimit { gap: None }
        } else {
            SolveStatus::Stopped {
                reason: StopReason::LpFailed,
                gap: None,
            }
        };
        let mut x = vec![0.0; cover.shifts.len()];
        let zeros = x.clone();
        heuristics::repair(&cover, &mut x, &zeros);
        heuristics::prune(&cover, &mut x);
        heuristics::enforce_min_agents(&cover, &mut x);
        let objective = cover.objective(&x);
        return plan(req, &cover, &x, status, f64::NAN, objective, began);
    };
    let lp_bound = cover.integer_bound(lp_solution.objective());
    let lp_values: Vec<f64> = xs.iter().map(|&x| lp_solution.var_value_raw(x)).collect();
    let integral = lp_values.iter().all(|v| (v - v.round()).abs() < 1e-6);
    if integral && cover.min_agents <= 1 {
        let x: Vec<f64> = lp_values.iter().map(|v| v.round()).collect();
        return plan(
            req,
            &cover,
            &x,
            SolveStatus::Optimal,
            lp_bound,
            lp_bound,
            began,
        );
    }

    // Heuristics: the best of the roundings, polished by local search, then windows of the
    // horizon re-solved exactly until the plan is within the gap or stops improving.
    let mut best = heuristics::roundings(&cover, &lp_values)
        .into_iter()
        .min_by(|a, b| cover.objective(a).total_cmp(&cover.objective(b)))
        .unwrap_or_default();
    let within_gap = |x: &[f64]| gap_to(lp_bound, cover.objective(x)) <= options.mip_gap;
    if cover.min_agents > 1 {
        heuristics::enforce_min_agents(&cover, &mut best);
    } else {
        heuristics::improve(&cover, &mut best, deadline);
        let starts_per_window = 16;
        let mut window =
            starts_per_window * (templates.start_step() / req.interval_minutes).max(1) as usize;
        while !within_gap(&best) && Instant::now() < deadline && window <= req.len() {
            let before = cover.objective(&best);
            heuristics::window_search(&cover, &mut best, window, deadline);
            heuristics::improve(&cover, &mut best, deadline);
            if cover.objective(&best) >= before - 1e-9 {
                // Stuck at this size: look at larger pieces at once.
                window *= 2;
            }
        }
    }
    let mut objective = cover.objective(&best);
    if cover.min_agents <= 1 && within_gap(&best) {
        let gap = gap_to(lp_bound, objective);
        let status = if gap < 1e-9 {
            // As cheap as the bound allows: no plan is cheaper.
            SolveStatus::Optimal
        } else {
            SolveStatus::Feasible { gap }
        };
        return plan(req, &cover, &best, status, lp_bound, objective, began);
    }

    // Branch and bound from the best plan so far, for what is left of the time limit. Unless
    // it says otherwise, what stops it is the time limit (none left), or its own failure.
    let mut status = if remaining().is_zero() {
        SolveStatus::TimeLimit {
            gap: Some(gap_to(lp_bound, objective)),
        }
    } else {
        SolveStatus::Stopped {
            reason: StopReason::BranchAndBoundFailed,
            gap: Some(gap_to(lp_bound, objective)),
        }
    };
    if !remaining().is_zero() {
        let (milp, xs) = problem(&cover, true);
        let warm_start = xs.iter().copied().zip(best.iter().copied()).collect();
        let mut settings = microlp::SolveOptions::default();
        settings.time_limit = Some(remaining());
        settings.mip_gap = options.mip_gap;
        settings.warm_start = Some(warm_start);
        let bnb = milp.solve_with(settings);
        if let Some(solution) = bnb.ok().and_then(|o| o.into_solution().ok()) {
            let x: Vec<f64> = xs
                .iter()
                .map(|&v| solution.var_value_raw(v).round().max(0.0))
                .collect();
            let found = cover.objective(&x);
            if found <= objective + 1e-9 {
                best = x;
                objective = found;
                let gap = gap_to(lp_bound, objective);
                status = match solution.termination_reason() {
                    TerminationReason::ProvenOptimal => SolveStatus::Optimal,
                    TerminationReason::MipGap => SolveStatus::Feasible { gap },
                    TerminationReason::NodeLimit => SolveStatus::Stopped {
                        reason: StopReason::NodeLimit,
                        gap: Some(gap),
                    },
                    _ => SolveStatus::TimeLimit { gap: Some(gap) },
                };
            }
        }
    }
    if let SolveStatus::Stopped { gap, .. } = status {
        if remaining().is_zero() {
            // It found nothing better because its time ran out.
            status = SolveStatus::TimeLimit { gap };
        }
    }
    plan(req, &cover, &best, status, lp_bound, objective, began)
}

/// The plan of integer shift counts `x`.
fn plan(
    req: &Requirement,
    cover: &Cover,
    x: &[f64],
    status: SolveStatus,
    lp_bound: f64,
    objective: f64,
    began: Instant,
) -> Plan {
    let n = req.len();
    let mut scheduled = vec![0u32; n];
    let mut plan_shifts = Vec::new();
    let d = req.interval_minutes as i64;
    for (c, &v) in cover.shifts.iter().zip(x) {
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
            cause: cover.blocked_by[t]
                .clone()
                .unwrap_or(ShortfallCause::UnderStaffingCheaper),
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
