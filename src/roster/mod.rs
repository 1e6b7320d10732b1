//! Rostering: named agents and the work rules their weeks must respect. The agents file and
//! the rules are read and checked here; a shift plan is assigned to agents (`assign`), or a
//! requirement is rostered with weekly tours (`tours`).

pub mod agents;
pub mod assign;
pub mod assignments;
pub mod compare;
pub mod fairness;
pub mod roster_file;
pub mod rules;
pub mod stage;
pub mod time_off;
pub mod tours;
pub mod verify;

/// Horizons longer than this many days are rostered a calendar week at a time (blocks chained
/// at their seams; fairness swaps whole weeks); up to it, in one piece. The LP and the local
/// search grow faster than the days (a 24/7 week of 180 tours: 4 s; two weeks: 70 s), so a
/// quarter or a year is solved as its weeks, which also lets an agent's days-off pattern change
/// from one week to the next.
pub const ONE_PIECE_DAYS: usize = 35;

pub use agents::{read_agents, unmatched_message, Agent};
pub use assign::{
    assign, fewest_agents, headcount_lower_bound, headcount_lower_bound_for, plan_days, Assignment,
    Roster, RuleNote, Unassigned,
};
pub use rules::WorkRules;
pub use tours::{roster_requirements, TourPlan};
pub use verify::{violations, Note, Rule, Violation};
