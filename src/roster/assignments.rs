//! The roster as built: each agent's shifts, the shifts nobody could work, the soft-rule notes,
//! and the rules a roster is checked by. A leaf: the assignment, the fairness swaps and the
//! rule check all work on these types.

use serde::Serialize;

/// One shift worked by one agent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// Index of the agent in the agents file.
    pub agent: usize,
    pub region: String,
    pub start_minute: i64,
    pub end_minute: i64,
    pub paid_hours: f64,
    pub break_minutes: Option<(i64, i64)>,
}

/// A shift of the plan that no agent could work.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unassigned {
    pub region: String,
    pub start_minute: i64,
    pub end_minute: i64,
    pub paid_hours: f64,
}

/// A soft rule an agent's week breaks, by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleNote {
    pub agent: usize,
    /// Day number the note is about from: the stretch's first day, or the week's Monday.
    pub week_day: i64,
    pub rule: Note,
    pub detail: String,
}

/// The roster of a plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Roster {
    pub assignments: Vec<Assignment>,
    pub unassigned: Vec<Unassigned>,
    pub notes: Vec<RuleNote>,
    /// Per agent, night shifts and weekend days before they were shared out (rule
    /// `fair_nights_and_weekends`); `None` when they were not.
    #[serde(skip)]
    pub before_sharing: Option<Vec<(usize, usize)>>,
}

impl Roster {
    /// The queues (regions) worked, in order of first appearance.
    pub fn queues(&self) -> Vec<&str> {
        let mut queues: Vec<&str> = Vec::new();
        for a in &self.assignments {
            if !queues.contains(&a.region.as_str()) {
                queues.push(&a.region);
            }
        }
        queues
    }

    /// The queues agent `agent` works, in order of time.
    pub fn queues_of(&self, agent: usize) -> Vec<&str> {
        let mut mine: Vec<&Assignment> = self
            .assignments
            .iter()
            .filter(|a| a.agent == agent)
            .collect();
        mine.sort_by_key(|a| a.start_minute);
        let mut queues: Vec<&str> = Vec::new();
        for a in mine {
            if !queues.contains(&a.region.as_str()) {
                queues.push(&a.region);
            }
        }
        queues
    }

    /// Agent-hours the unassigned shifts need.
    pub fn unassigned_hours(&self) -> f64 {
        self.unassigned.iter().map(|u| u.paid_hours).sum()
    }
}

/// A hard rule of the roster, named as its key in the rules or templates file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    Overlap,
    MinRestHours,
    OneShiftADay,
    DaysOff,
    TimeOff,
    EarliestStart,
    LatestEnd,
    Region,
    MaxConsecutiveDays,
    MinDaysOffPerWeek,
    HoursTolerance,
    MaxAgentsPerShift,
    MinAgentsPerShift,
}

impl Rule {
    pub fn key(self) -> &'static str {
        match self {
            Rule::Overlap => "overlap",
            Rule::MinRestHours => "min_rest_hours",
            Rule::OneShiftADay => "one_shift_a_day",
            Rule::DaysOff => "days_off",
            Rule::TimeOff => "time_off",
            Rule::EarliestStart => "earliest_start",
            Rule::LatestEnd => "latest_end",
            Rule::Region => "region",
            Rule::MaxConsecutiveDays => "max_consecutive_days",
            Rule::MinDaysOffPerWeek => "min_days_off_per_week",
            Rule::HoursTolerance => "hours_tolerance",
            Rule::MaxAgentsPerShift => "max_agents_per_shift",
            Rule::MinAgentsPerShift => "min_agents_per_shift",
        }
    }
}

/// Written as its key, as the roster's outputs name it.
impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for Note {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// A soft rule a roster may miss, with a note: named as its key in the rules file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Note {
    StartTimeWindowHours,
    MinHoursPerWeek,
    ConsecutiveDaysOff,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Note::StartTimeWindowHours => "start_time_window_hours",
            Note::MinHoursPerWeek => "min_hours_per_week",
            Note::ConsecutiveDaysOff => "consecutive_days_off",
        })
    }
}
