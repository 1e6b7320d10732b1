//! The lower bound on any roster under the rules: the LP of a looser model than tours.

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

use super::{DayShift, Horizon, LP_TIME_LIMIT};
use crate::roster::rules::WorkRules;

/// LP bound on the agents of any roster of `shifts` on the horizon under the rules (see the
/// module notes), rounded up.
pub(super) fn lower_bound(
    horizon: &Horizon,
    shifts: &[DayShift],
    rules: &WorkRules,
    most_contract_hours: f64,
) -> usize {
    let mut problem = Problem::new(OptimizationDirection::Minimize);
    let agents = problem.add_var(1.0, (0.0, f64::INFINITY));
    let mut by_interval: Vec<Vec<(Variable, f64)>> = vec![Vec::new(); horizon.required.len()];
    let mut by_day: Vec<Vec<(Variable, f64)>> = vec![Vec::new(); horizon.days];
    let hours_ceiling = most_contract_hours * (1.0 + rules.hours_tolerance);
    for (day, day_shifts) in by_day.iter_mut().enumerate() {
        for shift in shifts {
            let covered: Vec<usize> = horizon.covered(shift, day).collect();
            if !covered.iter().any(|&t| horizon.required[t] > 0) {
                continue;
            }
            let v = problem.add_var(0.0, (0.0, f64::INFINITY));
            for t in covered {
                by_interval[t].push((v, 1.0));
            }
            day_shifts.push((v, shift.paid_hours));
        }
    }
    let mut any = false;
    for (t, row) in by_interval.iter_mut().enumerate() {
        if horizon.required[t] == 0 || row.is_empty() {
            continue;
        }
        any = true;
        problem.add_constraint(&row[..], ComparisonOp::Ge, horizon.required[t] as f64);
    }
    if !any {
        return 0;
    }
    let count = |days: &[usize]| -> Vec<(Variable, f64)> {
        days.iter()
            .flat_map(|&d| by_day[d].iter().map(|&(v, _)| (v, 1.0)))
            .collect()
    };
    for day in 0..horizon.days {
        let mut row = count(&[day]);
        row.push((agents, -1.0));
        problem.add_constraint(&row[..], ComparisonOp::Le, 0.0);
    }
    let max_run = rules.max_consecutive_days as usize;
    if max_run < horizon.days {
        for first in 0..horizon.days - max_run {
            let days: Vec<usize> = (first..=first + max_run).collect();
            let mut row = count(&days);
            row.push((agents, -(max_run as f64)));
            problem.add_constraint(&row[..], ComparisonOp::Le, 0.0);
        }
    }
    let working_days = 7u32.saturating_sub(rules.min_days_off_per_week).max(1) as usize;
    let mut day = 0;
    while day < horizon.days {
        let monday_offset = horizon.weekday(day);
        let week: Vec<usize> = (day..(day + 7 - monday_offset).min(horizon.days)).collect();
        let mut row = count(&week);
        row.push((agents, -(working_days.min(week.len()) as f64)));
        problem.add_constraint(&row[..], ComparisonOp::Le, 0.0);
        let mut hours: Vec<(Variable, f64)> = week
            .iter()
            .flat_map(|&d| by_day[d].iter().copied())
            .collect();
        hours.push((agents, -hours_ceiling));
        problem.add_constraint(&hours[..], ComparisonOp::Le, 0.0);
        day += week.len();
    }
    problem.set_time_limit(LP_TIME_LIMIT);
    match problem.solve().ok().and_then(|o| o.into_solution().ok()) {
        Some(solution) => (solution.objective() - 1e-6).ceil().max(0.0) as usize,
        None => 0,
    }
}
