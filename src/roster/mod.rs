//! Rostering: named agents and the work rules their weeks must respect. The agents file and
//! the rules are read and checked here; `wfm roster` (issue 15) builds on them.

pub mod agents;
pub mod assign;
pub mod rules;

pub use agents::{read_agents, Agent};
pub use assign::{
    assign, fewest_agents, headcount_lower_bound, headcount_lower_bound_for, Assignment, Roster,
    RuleNote, Unassigned,
};
pub use rules::WorkRules;
