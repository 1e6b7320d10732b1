//! The roster stage: what to roster (a requirement or a shift plan, told apart by the file),
//! the checked config, and one call that builds the roster, its bounds, its comparison with
//! the 2/2 crews and its rule check.

use std::path::{Path, PathBuf};

use super::compare::{check_roster_size, compare, Comparison};
use super::verify::shift_size_violations;
use super::{
    assign, fewest_agents, headcount_lower_bound_for, plan_days, unmatched_message, violations,
    Agent, Roster, TourPlan, Violation, WorkRules,
};
use crate::error::{Result, WfmError};
use crate::schedule::plans::{read_shifts_file, PlannedShift};
use crate::schedule::ShiftTemplates;
use crate::staffing::requirements::{is_requirements_file, Requirements};
use crate::staffing::Targets;
use crate::time::DayRange;

/// What a roster is built for.
#[derive(Debug, Clone)]
pub enum Demand {
    /// Agents required per interval: weekly tours are planned for the agents.
    Requirements(Requirements),
    /// A shift plan: its shifts are assigned as they are.
    Plan(Vec<PlannedShift>),
}

impl Demand {
    /// Reads a requirements file (`wfm staff`'s output) or a shift plan (`wfm schedule`'s),
    /// whichever the file is; a requirement longer than the roster takes is refused here.
    pub fn read(path: &Path) -> Result<Demand> {
        if is_requirements_file(path)? {
            let requirements = Requirements::read(path)?;
            check_roster_size(&requirements, path, None)?;
            Ok(Demand::Requirements(requirements))
        } else {
            Ok(Demand::Plan(read_shifts_file(path)?))
        }
    }
}

/// How to roster, as given; [`RosterParams::check`] turns it into the [`RosterConfig`] the
/// stage takes.
#[derive(Debug, Clone)]
pub struct RosterParams {
    pub rules: WorkRules,
    /// The shift templates file tours are built from (a requirement only; read when one is
    /// rostered); `None`: the default templates.
    pub templates_path: Option<PathBuf>,
    /// The targets the 2/2 comparison's service level is measured against.
    pub targets: Targets,
    /// Start of the 2/2 crews' day shift, minutes after midnight.
    pub baseline_day_start_minute: u32,
    /// A second roster at this volume factor (the growth scenario), when not 1.
    pub volume_scale: Option<f64>,
    /// A shift plan is rostered with the fewest agents of the file that cover it.
    pub fewest: bool,
    /// The agents file, named in messages about its agents.
    pub agents_path: PathBuf,
}

impl RosterParams {
    /// Checks what the types cannot, once: the targets, a volume factor above 0, a day start
    /// within the day. Errors name the key (`volume_scale`).
    pub fn check(self) -> Result<RosterConfig> {
        self.targets.validate().map_err(WfmError::from)?;
        if self.baseline_day_start_minute >= crate::time::MINUTES_PER_DAY as u32 {
            let value = self.baseline_day_start_minute.to_string();
            let expected = "expected minutes after midnight, below 1440";
            return Err(WfmError::setting(
                "baseline_day_start_minute",
                value,
                expected,
            ));
        }
        if let Some(scale) = self.volume_scale {
            if !(scale.is_finite() && scale > 0.0) {
                return Err(WfmError::setting(
                    "volume_scale",
                    scale.to_string(),
                    "a factor above 0",
                ));
            }
        }
        let params = RosterParams {
            volume_scale: self.volume_scale.filter(|&k| k != 1.0),
            ..self
        };
        Ok(RosterConfig { params })
    }
}

/// The roster stage's config, checked ([`RosterParams::check`]).
#[derive(Debug, Clone)]
pub struct RosterConfig {
    params: RosterParams,
}

impl RosterConfig {
    /// The values it was checked from (a volume factor of 1 is none).
    pub fn params(&self) -> &RosterParams {
        &self.params
    }
}

/// How the roster was built, with what its messages need.
#[derive(Debug, Clone)]
pub enum Basis {
    /// Weekly tours planned from a requirement.
    Tours {
        plan: TourPlan,
        /// The 2/2 comparison at ×1, and at the volume factor when there is one.
        comparisons: Vec<Comparison>,
        /// The templates' cap on agents per shift, which may be why intervals stay uncovered.
        max_agents_per_shift: Option<u32>,
        /// Agents (indices) whose region and skills match no queue of the requirement.
        unmatched: Vec<usize>,
        /// The requirement's queues.
        queues: Vec<String>,
    },
    /// A shift plan assigned as it is.
    Plan {
        roster: Roster,
        /// No roster of this plan under these rules has fewer agents.
        lower_bound: usize,
        /// Whether the fewest agents of the file were looked for.
        fewest: bool,
    },
}

/// A roster for the agents of a file, with its horizon and its rule check.
#[derive(Debug, Clone)]
pub struct Rostered {
    /// The agents rostered (with `fewest`, only those kept).
    pub agents: Vec<Agent>,
    /// The days the roster is checked over.
    pub days: DayRange,
    /// Every broken hard rule, the templates' agents per shift included.
    pub violations: Vec<Violation>,
    pub basis: Basis,
}

impl Rostered {
    pub fn roster(&self) -> &Roster {
        match &self.basis {
            Basis::Tours { plan, .. } => &plan.roster,
            Basis::Plan { roster, .. } => roster,
        }
    }

    /// Agents who work at least one shift.
    pub fn working(&self) -> usize {
        (0..self.agents.len())
            .filter(|&k| self.roster().assignments.iter().any(|a| a.agent == k))
            .count()
    }
}

/// Rosters `demand` for `agents` under `config`.
pub fn roster(demand: &Demand, agents: Vec<Agent>, config: &RosterConfig) -> Result<Rostered> {
    let rules = &config.params.rules;
    let rostered = match demand {
        Demand::Requirements(series) => from_requirements(series, agents, config)?,
        Demand::Plan(shifts) => {
            if config.params.templates_path.is_some() {
                return Err(WfmError::setting(
                    "templates_path",
                    "given",
                    "a requirements file to roster (a shift plan already has its shifts)",
                ));
            }
            from_plan(shifts, agents, rules, config.params.fewest)
        }
    };
    Ok(rostered)
}

/// Weekly tours planned straight from the requirement for the agents of the file.
fn from_requirements(
    series: &Requirements,
    agents: Vec<Agent>,
    config: &RosterConfig,
) -> Result<Rostered> {
    let queues: Vec<&str> = series.regions.iter().map(|s| s.region.as_str()).collect();
    let unmatched: Vec<usize> = (0..agents.len())
        .filter(|&k| !queues.iter().any(|q| agents[k].may_work_in(q)))
        .collect();
    if unmatched.len() == agents.len() {
        return Err(WfmError::Invalid {
            path: config.params.agents_path.clone(),
            message: unmatched_message(&agents, &unmatched, &queues),
        });
    }
    let templates = match &config.params.templates_path {
        Some(path) => ShiftTemplates::from_toml_file(path)?,
        None => ShiftTemplates::default(),
    };
    templates.validate_from(
        series.interval_minutes,
        config.params.templates_path.as_deref(),
    )?;
    // The default start step follows the interval.
    let templates = templates.for_interval(series.interval_minutes);
    let rules = &config.params.rules;
    let at = |k: f64| {
        compare(
            series,
            &agents,
            &templates,
            rules,
            &config.params.targets,
            config.params.baseline_day_start_minute,
            k,
        )
    };
    // The scaled roster is independent of the first: both run at once.
    let (first, scaled) = rayon::join(
        || at(1.0),
        || config.params.volume_scale.map(at).transpose(),
    );
    let (plan, at_one) = first?;
    let mut comparisons = vec![at_one];
    comparisons.extend(scaled?.map(|(_, c)| c));
    let days = plan.days;
    let mut broken = violations(&plan.roster, &agents, rules, days);
    broken.extend(shift_size_violations(
        &plan.roster,
        templates.min_agents_per_shift,
        templates.max_agents_per_shift,
    ));
    Ok(Rostered {
        days,
        violations: broken,
        basis: Basis::Tours {
            plan,
            comparisons,
            max_agents_per_shift: templates.max_agents_per_shift,
            unmatched,
            queues: queues.iter().map(|q| q.to_string()).collect(),
        },
        agents,
    })
}

/// A shift plan assigned as it is (with `fewest`, to the fewest agents of the file, in its
/// order, that cover it).
fn from_plan(
    shifts: &[PlannedShift],
    agents: Vec<Agent>,
    rules: &WorkRules,
    fewest: bool,
) -> Rostered {
    let lower_bound = headcount_lower_bound_for(shifts, &agents, rules);
    let found = fewest
        .then(|| fewest_agents(shifts, &agents, rules))
        .flatten();
    let (agents, roster) = match found {
        Some(found) => found,
        None => {
            let roster = assign(shifts, &agents, rules);
            (agents, roster)
        }
    };
    let days = plan_days(shifts);
    Rostered {
        days,
        violations: violations(&roster, &agents, rules, days),
        basis: Basis::Plan {
            roster,
            lower_bound,
            fewest,
        },
        agents,
    }
}
