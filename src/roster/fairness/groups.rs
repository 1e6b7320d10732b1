//! Who a fair roster is fair between, and how far apart they are.
//!
//! Agents are compared within a group: the same queue, the same contract, the same fixed days
//! off and the same weekend days wished off. Fixed days off decide an agent's weekends (Monday
//! and Tuesday off every week, under five days a week, means every weekend worked; Saturday and
//! Sunday, none), so agents are compared only with agents whose rules are the same; a Saturday
//! wished off puts an agent with those who wish the same, whose preferences weigh alike.
//! Within a group, the gap
//! between the most and the fewest weekend days worked should be at most 2 per 4 weeks of
//! horizon (`weekend_gap_allowed`).

use std::collections::BTreeMap;

use super::super::agents::Agent;
use super::super::assignments::Roster;
use super::super::rules::WorkRules;
use crate::time;

/// Saturday and Sunday, as bits of a weekday mask (bit 0 = Monday).
const WEEKEND_BITS: u8 = 0b110_0000;

/// Agents whose weekends are comparable: one queue, one contract, the same fixed days off and
/// the same weekend days wished off.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FairnessGroup {
    pub queue: String,
    /// Contract hours per week, in tenths of an hour (an ordered key).
    contract_tenths: i64,
    /// Weekdays off by rule (bit 0 = Monday).
    days_off: u8,
    /// Saturday (bit 5) and Sunday (bit 6) wished off, and not off by rule.
    weekend_wished_off: u8,
}

impl FairnessGroup {
    /// The group of `agent`, who works in `queue`, under `rules`' default contract.
    pub fn of(agent: &Agent, queue: &str, rules: &WorkRules) -> FairnessGroup {
        let contract = agent
            .contract_hours_per_week
            .unwrap_or(rules.contract_hours_per_week);
        FairnessGroup {
            queue: queue.to_string(),
            contract_tenths: (contract * 10.0).round() as i64,
            days_off: agent.days_off,
            weekend_wished_off: agent.preferred_days_off & !agent.days_off & WEEKEND_BITS,
        }
    }

    /// "EMS 40 h", "EMS 40 h, off Sun+Mon", "EMS 40 h, wishes Sat off": the queue (when there
    /// is one), the contract, the fixed days off and the weekend days wished off.
    pub fn label(&self) -> String {
        let hours = self.contract_tenths as f64 / 10.0;
        let mut out = if self.queue.is_empty() {
            format!("{hours} h")
        } else {
            format!("{} {hours} h", self.queue)
        };
        if self.days_off != 0 {
            out.push_str(&format!(
                ", off {}",
                time::weekday_mask_names(self.days_off)
            ));
        }
        if self.weekend_wished_off != 0 {
            out.push_str(&format!(
                ", wishes {} off",
                time::weekday_mask_names(self.weekend_wished_off)
            ));
        }
        out
    }
}

/// The widest gap in weekend days worked allowed within a group over a horizon of
/// `horizon_days`: 2 per 4 weeks, and never under 2.
pub fn weekend_gap_allowed(horizon_days: i64) -> i64 {
    (2 * horizon_days / 28).max(2)
}

/// Per agent: night shifts (any time between the rules' night hours) and weekend days worked.
pub fn nights_and_weekends(
    roster: &Roster,
    agents: &[Agent],
    rules: &WorkRules,
) -> Vec<(usize, usize)> {
    let mut out = vec![(0, 0); agents.len()];
    for a in &roster.assignments {
        if let Some(entry) = out.get_mut(a.agent) {
            entry.0 += usize::from(rules.is_night_shift(a.start_minute, a.end_minute));
            entry.1 += usize::from(time::weekday_of_minute(a.start_minute) >= 5);
        }
    }
    out
}

/// The working agents of `roster` by group; an agent of several queues is counted in the one
/// of their first shift.
pub fn groups(
    roster: &Roster,
    agents: &[Agent],
    rules: &WorkRules,
) -> BTreeMap<FairnessGroup, Vec<usize>> {
    let mut first_queue: Vec<Option<&str>> = vec![None; agents.len()];
    let mut first_start = vec![i64::MAX; agents.len()];
    for a in &roster.assignments {
        if a.agent < agents.len() && a.start_minute < first_start[a.agent] {
            first_start[a.agent] = a.start_minute;
            first_queue[a.agent] = Some(&a.region);
        }
    }
    let mut out: BTreeMap<FairnessGroup, Vec<usize>> = BTreeMap::new();
    for (k, queue) in first_queue.iter().enumerate() {
        if let Some(queue) = queue {
            out.entry(FairnessGroup::of(&agents[k], queue, rules))
                .or_default()
                .push(k);
        }
    }
    out
}

/// One group's spread of weekend days and nights, before and after they were shared out.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSpread {
    pub group: FairnessGroup,
    pub agents: usize,
    /// Fewest and most weekend days worked by an agent of the group.
    pub weekends_before: (usize, usize),
    pub weekends_after: (usize, usize),
    /// Fewest and most night shifts.
    pub nights_before: (usize, usize),
    pub nights_after: (usize, usize),
}

impl GroupSpread {
    pub fn weekend_gap_before(&self) -> usize {
        self.weekends_before.1 - self.weekends_before.0
    }

    pub fn weekend_gap_after(&self) -> usize {
        self.weekends_after.1 - self.weekends_after.0
    }

    pub fn night_gap_before(&self) -> usize {
        self.nights_before.1 - self.nights_before.0
    }

    pub fn night_gap_after(&self) -> usize {
        self.nights_after.1 - self.nights_after.0
    }
}

/// Each group's spread in `roster`, against the per-agent nights and weekend days `before`
/// sharing (as `nights_and_weekends` counts them; the roster's own when it was not shared).
pub fn spreads(
    roster: &Roster,
    agents: &[Agent],
    rules: &WorkRules,
    before: &[(usize, usize)],
) -> Vec<GroupSpread> {
    let after = nights_and_weekends(roster, agents, rules);
    let range =
        |members: &[usize], shares: &[(usize, usize)], pick: fn(&(usize, usize)) -> usize| {
            let values = members.iter().map(|&k| shares.get(k).map_or(0, pick));
            (values.clone().min().unwrap_or(0), values.max().unwrap_or(0))
        };
    groups(roster, agents, rules)
        .into_iter()
        .map(|(group, members)| GroupSpread {
            agents: members.len(),
            weekends_before: range(&members, before, |x| x.1),
            weekends_after: range(&members, &after, |x| x.1),
            nights_before: range(&members, before, |x| x.0),
            nights_after: range(&members, &after, |x| x.0),
            group,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_weekend_days_per_four_weeks_never_under_two() {
        assert_eq!(weekend_gap_allowed(7), 2);
        assert_eq!(weekend_gap_allowed(31), 2);
        assert_eq!(weekend_gap_allowed(56), 4);
        assert_eq!(weekend_gap_allowed(91), 6);
    }

    #[test]
    fn fixed_days_off_or_a_weekend_day_wished_off_make_another_group() {
        let rules = WorkRules::default();
        let plain = Agent::new("a", "A");
        let saturday_off = Agent {
            days_off: 1 << 5,
            ..Agent::new("b", "B")
        };
        let wishes_sunday = Agent {
            preferred_days_off: 1 << 6,
            contract_hours_per_week: Some(30.0),
            ..Agent::new("c", "C")
        };
        let monday_off = Agent {
            days_off: 1,
            ..Agent::new("d", "D")
        };
        let wishes_saturday_off_sunday = Agent {
            days_off: 1 << 6,
            preferred_days_off: (1 << 5) | (1 << 6),
            ..Agent::new("e", "E")
        };
        let wishes_monday = Agent {
            preferred_days_off: 1,
            ..Agent::new("f", "F")
        };
        let g = |a: &Agent| FairnessGroup::of(a, "EMS", &rules);
        // A weekday off by rule decides the weekends as much as a weekend day does.
        assert_ne!(g(&plain), g(&monday_off));
        assert_ne!(g(&plain), g(&saturday_off));
        // A weekday wished off does not: weekends are open to both alike.
        assert_eq!(g(&plain), g(&wishes_monday));
        assert_eq!(g(&plain).label(), "EMS 40 h");
        assert_eq!(g(&saturday_off).label(), "EMS 40 h, off Sat");
        assert_eq!(g(&monday_off).label(), "EMS 40 h, off Mon");
        assert_eq!(g(&wishes_sunday).label(), "EMS 30 h, wishes Sun off");
        assert_eq!(
            g(&wishes_saturday_off_sunday).label(),
            "EMS 40 h, off Sun, wishes Sat off"
        );
    }
}
