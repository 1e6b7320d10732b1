//! From agents required per interval to a shift plan: a set-covering MILP over shift
//! templates, the 2-on/2-off 12-hour baseline, and the figures that compare them.

pub mod baseline;
mod cover;
mod heuristics;
pub mod milp;
pub mod plan_file;
pub mod templates;

use serde::Serialize;

pub use baseline::two_by_two;
pub use milp::{solve, SolveOptions};
pub use templates::ShiftTemplates;

/// A region's requirement on a regular grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub region: String,
    /// Wall-clock minute of the first interval.
    pub start_minute: i64,
    pub interval_minutes: u32,
    /// Agents to schedule in each interval.
    pub required: Vec<u32>,
}

impl Requirement {
    pub fn minute(&self, i: usize) -> i64 {
        self.start_minute + i as i64 * self.interval_minutes as i64
    }

    pub fn len(&self) -> usize {
        self.required.len()
    }

    pub fn is_empty(&self) -> bool {
        self.required.is_empty()
    }
}

/// How the solver ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SolveStatus {
    /// Proven optimal.
    Optimal,
    /// A feasible plan within `gap` (relative) of the LP bound.
    Feasible {
        gap: f64,
    },
    /// The time limit ended the search; the best plan found is `gap` from the LP bound.
    TimeLimit {
        gap: Option<f64>,
    },
    Infeasible,
}

impl std::fmt::Display for SolveStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SolveStatus::Optimal => write!(f, "optimal"),
            SolveStatus::Feasible { gap } => {
                write!(f, "feasible within {:.2} % of the LP bound", gap * 100.0)
            }
            SolveStatus::TimeLimit { gap: Some(gap) } => {
                write!(
                    f,
                    "time limit, best plan {:.2} % from the LP bound",
                    gap * 100.0
                )
            }
            SolveStatus::TimeLimit { gap: None } => write!(f, "time limit, no plan"),
            SolveStatus::Infeasible => write!(f, "infeasible"),
        }
    }
}

/// Agents on one shift (start × length × break) of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShiftCount {
    pub start_minute: i64,
    pub length_minutes: u32,
    /// Length minus the unpaid break.
    pub paid_minutes: u32,
    /// Start of the unpaid break, if the shift has one.
    pub break_start_minute: Option<i64>,
    pub break_minutes: u32,
    pub agents: u32,
}

/// An interval the plan leaves short, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shortfall {
    pub interval: usize,
    pub missing: u32,
    pub reason: String,
}

/// A shift plan for one region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub region: String,
    pub status: SolveStatus,
    pub shifts: Vec<ShiftCount>,
    /// Objective of the LP relaxation, rounded up to the unit every plan's cost is a
    /// multiple of (when there is one): no plan can cost less.
    pub lp_bound: f64,
    pub objective: f64,
    /// Agents working (not on break) in each interval.
    pub scheduled: Vec<u32>,
    pub shortfalls: Vec<Shortfall>,
    pub solve_seconds: f64,
}

impl Plan {
    pub fn paid_hours(&self) -> f64 {
        self.shifts
            .iter()
            .map(|s| s.agents as f64 * s.paid_minutes as f64 / 60.0)
            .sum()
    }

    /// Relative distance of the objective to the LP bound.
    pub fn gap(&self) -> f64 {
        if self.lp_bound > 0.0 {
            (self.objective - self.lp_bound).max(0.0) / self.lp_bound
        } else {
            0.0
        }
    }

    /// Distinct shift patterns used (time of day of the start × length × break offset).
    pub fn distinct_shifts(&self) -> usize {
        let mut kinds: Vec<(i64, u32, Option<i64>)> = self
            .shifts
            .iter()
            .filter(|s| s.agents > 0)
            .map(|s| {
                (
                    s.start_minute.rem_euclid(1_440),
                    s.length_minutes,
                    s.break_start_minute.map(|b| b - s.start_minute),
                )
            })
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds.len()
    }
}

/// Agents over and under the requirement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CoverageFigures {
    pub over_staffed_agent_hours: f64,
    pub under_staffed_intervals: usize,
    pub under_staffed_agent_hours: f64,
}

pub fn coverage_figures(
    required: &[u32],
    scheduled: &[u32],
    interval_minutes: u32,
) -> CoverageFigures {
    let hours = interval_minutes as f64 / 60.0;
    let (mut over, mut under, mut under_intervals) = (0.0, 0.0, 0);
    for (&r, &s) in required.iter().zip(scheduled) {
        if s > r {
            over += (s - r) as f64 * hours;
        } else if s < r {
            under += (r - s) as f64 * hours;
            under_intervals += 1;
        }
    }
    CoverageFigures {
        over_staffed_agent_hours: over,
        under_staffed_intervals: under_intervals,
        under_staffed_agent_hours: under,
    }
}

#[cfg(test)]
mod tests;
