//! From agents required per interval to a shift plan: a set-covering MILP over shift
//! templates, the 2-on/2-off 12-hour baseline, and the figures that compare them.

pub mod baseline;
mod cover;
mod heuristics;
pub mod milp;
pub mod plans;
pub mod stage;
pub mod templates;

use serde::Serialize;

use crate::error::{Result, WfmError};

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
    /// The solver stopped before the time limit without proving the plan optimal or within the
    /// gap, for `reason`; the best plan found is `gap` from the LP bound (`None`: no bound).
    Stopped {
        reason: StopReason,
        gap: Option<f64>,
    },
    Infeasible,
}

/// Why a solve stopped before its time limit without a proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The LP relaxation ended without an optimum (a numerical failure of the simplex).
    LpFailed,
    /// The branch and bound failed (a numerical failure) or found nothing better.
    BranchAndBoundFailed,
    /// The branch and bound used up its node budget.
    NodeLimit,
}

impl std::fmt::Display for StopReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StopReason::LpFailed => "the LP relaxation failed numerically",
            StopReason::BranchAndBoundFailed => {
                "the branch and bound failed numerically or found no better plan"
            }
            StopReason::NodeLimit => "the branch and bound reached its node limit",
        })
    }
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
            SolveStatus::Stopped {
                reason,
                gap: Some(gap),
            } => write!(
                f,
                "stopped before the time limit ({reason}), best plan {:.2} % from the LP bound",
                gap * 100.0
            ),
            SolveStatus::Stopped { reason, gap: None } => write!(
                f,
                "stopped before the time limit ({reason}), a greedy plan without a bound"
            ),
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
    pub cause: ShortfallCause,
}

/// Why an interval is left short: the template rule that keeps every shift out of it, or
/// the penalty that makes leaving it short cheaper (only when under-staffing is allowed).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "cause", rename_all = "snake_case")]
pub enum ShortfallCause {
    /// Every shift that could reach the interval would have to start outside the start
    /// windows: the last start before it is too early for the longest shift.
    NoStartEarlyEnough {
        start_windows: String,
        longest_hours: f64,
    },
    /// No shift may start anywhere in the requirement's period.
    NoStartInPeriod {
        start_windows: String,
        start_step_minutes: u32,
    },
    /// Shifts span the interval, but every one of them has its break there.
    OnBreak {
        break_minutes: u32,
        earliest_after_start_minutes: u32,
        latest_after_start_minutes: u32,
    },
    /// A shift could cover it, but under-staffing is allowed and its penalty is cheaper.
    UnderStaffingCheaper,
    /// Every shift is longer than the whole requirement, which a plan cannot wrap onto.
    ShiftsLongerThanHorizon {
        shortest_hours: f64,
        horizon_hours: f64,
    },
}

impl ShortfallCause {
    /// The cause as a sentence about one interval (`2024-01-01 07:00–07:30`), naming the
    /// template keys that block it.
    pub fn describe(&self, interval: &str) -> String {
        match self {
            ShortfallCause::NoStartEarlyEnough {
                start_windows,
                longest_hours,
            } => format!(
                "no shift can start early enough to cover {interval}: shifts start \
                 {start_windows} (start_windows) and last at most {longest_hours} h (lengths_hours)"
            ),
            ShortfallCause::ShiftsLongerThanHorizon {
                shortest_hours,
                horizon_hours,
            } => format!(
                "no shift fits in the requirement to cover {interval}: it spans {horizon_hours} h \
                 and the shortest shift lasts {shortest_hours} h (lengths_hours); give a longer \
                 requirement or shorter shifts"
            ),
            ShortfallCause::NoStartInPeriod {
                start_windows,
                start_step_minutes,
            } => format!(
                "no shift may start in the requirement's period, so none covers {interval}: \
                 shifts start {start_windows} (start_windows), every {start_step_minutes} minutes \
                 (start_step_minutes)"
            ),
            ShortfallCause::OnBreak {
                break_minutes,
                earliest_after_start_minutes,
                latest_after_start_minutes,
            } => format!(
                "every shift that spans {interval} has its break then (break.minutes = \
                 {break_minutes}, {earliest_after_start_minutes}–{latest_after_start_minutes} \
                 minutes after the start)"
            ),
            ShortfallCause::UnderStaffingCheaper => format!(
                "{interval} is left short because under-staffing is allowed (--allow-under) and \
                 costs.under_staffing_per_interval is cheaper than another shift"
            ),
        }
    }

    /// Whether a template rule (not the penalty) keeps every shift out of the interval.
    pub fn is_blocked(&self) -> bool {
        !matches!(self, ShortfallCause::UnderStaffingCheaper)
    }
}

/// Interval `t` of a requirement as `2024-01-01 07:00–07:30`.
pub fn interval_text(req: &Requirement, t: usize) -> String {
    let start = crate::time::naive_from_minutes(req.minute(t));
    let end = crate::time::naive_from_minutes(req.minute(t) + req.interval_minutes as i64);
    format!("{}–{}", start.format("%Y-%m-%d %H:%M"), end.format("%H:%M"))
}

/// How many intervals a message lists before "…".
const LISTED: usize = 3;

/// Refuses a plan that is no success: one that leaves required intervals short (unless
/// `allow_under`), one that covers no required interval at all because no template can (even
/// with `allow_under`), or one the solver could not find. The error names the first short
/// intervals and the template rule that blocks them.
pub fn check_plan(plan: &Plan, req: &Requirement, allow_under: bool) -> Result<()> {
    if plan.status == SolveStatus::Infeasible {
        return Err(WfmError::NoPlan {
            region: req.region.clone(),
        });
    }
    let required = req.required.iter().filter(|&&r| r > 0).count();
    let blocked: Vec<&Shortfall> = plan
        .shortfalls
        .iter()
        .filter(|s| s.cause.is_blocked())
        .collect();
    if required > 0 && blocked.len() == required {
        let first = blocked[0];
        return Err(WfmError::NothingToSchedule {
            region: req.region.clone(),
            required,
            rule: first.cause.describe(&interval_text(req, first.interval)),
        });
    }
    if plan.shortfalls.is_empty() || allow_under {
        return Ok(());
    }
    let first = plan
        .shortfalls
        .iter()
        .take(LISTED)
        .map(|s| {
            format!(
                "{} by {} agent{}",
                interval_text(req, s.interval),
                s.missing,
                if s.missing == 1 { "" } else { "s" }
            )
        })
        .collect();
    Err(WfmError::UnderCovered {
        region: req.region.clone(),
        count: plan.shortfalls.len(),
        first,
        rule: blocked
            .first()
            .map(|s| s.cause.describe(&interval_text(req, s.interval))),
    })
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

/// The hours `shifts` pay, every agent on each.
pub fn paid_hours(shifts: &[ShiftCount]) -> f64 {
    shifts
        .iter()
        .map(|s| s.agents as f64 * s.paid_minutes as f64 / 60.0)
        .sum::<f64>()
        // The sum of no shifts is -0.0; a plan of nothing pays 0.0 hours.
        + 0.0
}

impl Plan {
    pub fn paid_hours(&self) -> f64 {
        paid_hours(&self.shifts)
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
