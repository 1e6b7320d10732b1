//! Checks a finished roster against every hard rule, whoever built it, so that a rule broken is
//! reported by name and agent instead of going unseen.

use serde::Serialize;

use super::agents::Agent;
use super::assignments::{Assignment, Roster, RuleNote};
pub use super::assignments::{Note, Rule};
use super::rules::WorkRules;
use crate::time::{self, DayRange, MINUTES_PER_DAY};

/// A hard rule one agent's shifts break.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub agent: usize,
    pub rule: Rule,
    pub detail: String,
}

fn monday_of(day: i64) -> i64 {
    day - time::weekday_of_minute(day * MINUTES_PER_DAY) as i64
}

/// Each of `agents` agents' shifts, in start order.
fn by_agent(roster: &Roster, agents: usize) -> Vec<Vec<&Assignment>> {
    let mut shifts: Vec<Vec<&Assignment>> = vec![Vec::new(); agents];
    for a in &roster.assignments {
        if let Some(list) = shifts.get_mut(a.agent) {
            list.push(a);
        }
    }
    for list in &mut shifts {
        list.sort_by_key(|s| s.start_minute);
    }
    shifts
}

/// Every hard rule each agent's shifts break. `days` is the horizon (first and last day
/// number): a week only partly inside it is not held to the contract's lower limit.
pub fn violations(
    roster: &Roster,
    agents: &[Agent],
    rules: &WorkRules,
    days: DayRange,
) -> Vec<Violation> {
    let mut out = Vec::new();
    for (k, list) in by_agent(roster, agents.len()).iter().enumerate() {
        agent_violations(&agents[k], list, rules, days, &mut |rule, detail| {
            out.push(Violation {
                agent: k,
                rule,
                detail: detail(),
            })
        });
    }
    out
}

/// The shift templates' limits on agents per shift (`min_agents_per_shift`, 0 for none, and
/// `max_agents_per_shift`) that a roster breaks: every shift of the same start and end, worked
/// or to be hired for, counted together; each broken shift once, under its first agent (or
/// agent 0 when only hires work it).
pub fn shift_size_violations(roster: &Roster, min: u32, max: Option<u32>) -> Vec<Violation> {
    let mut shifts: std::collections::BTreeMap<(i64, i64), (u32, usize)> = Default::default();
    for a in &roster.assignments {
        let entry = shifts
            .entry((a.start_minute, a.end_minute))
            .or_insert((0, a.agent));
        entry.0 += 1;
        entry.1 = entry.1.min(a.agent);
    }
    for u in &roster.unassigned {
        shifts
            .entry((u.start_minute, u.end_minute))
            .or_insert((0, 0))
            .0 += 1;
    }
    let stamp = |m: i64| time::naive_from_minutes(m).format("%Y-%m-%d %H:%M");
    let mut out = Vec::new();
    for ((start, end), (count, agent)) in shifts {
        let (rule, limit) = match max {
            Some(max) if count > max => (Rule::MaxAgentsPerShift, max),
            _ if count < min => (Rule::MinAgentsPerShift, min),
            _ => continue,
        };
        out.push(Violation {
            agent,
            rule,
            detail: format!(
                "{count} agent(s) on the shift {}–{}, against the templates' {rule} = {limit}",
                stamp(start),
                time::naive_from_minutes(end).format("%H:%M")
            ),
        });
    }
    out
}

/// The hard rules one agent's shifts (`list`, in start order) break, each handed to `say`
/// with what writes its detail: only a caller who shows the detail pays for its text (the
/// fairness swaps weigh many weeks that break a rule, and only count them).
pub(super) fn agent_violations(
    agent: &Agent,
    list: &[&Assignment],
    rules: &WorkRules,
    days: DayRange,
    say: &mut dyn FnMut(Rule, &dyn Fn() -> String),
) {
    let rest = (rules.min_rest_hours * 60.0).round() as i64;
    let list: Vec<(i64, i64, f64, &str)> = list
        .iter()
        .map(|a| {
            (
                a.start_minute,
                a.end_minute,
                a.paid_hours,
                a.region.as_str(),
            )
        })
        .collect();
    let stamp = |m: i64| {
        time::naive_from_minutes(m)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    for pair in list.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if b.0 < a.1 {
            say(Rule::Overlap, &|| {
                format!(
                    "{} starts before the shift ending {}",
                    stamp(b.0),
                    stamp(a.1)
                )
            });
        } else if b.0 - a.1 < rest {
            say(Rule::MinRestHours, &|| {
                format!(
                    "{:.1} h between {} and {}",
                    (b.0 - a.1) as f64 / 60.0,
                    stamp(a.1),
                    stamp(b.0)
                )
            });
        }
        if time::day_of_minute(a.0) == time::day_of_minute(b.0) {
            say(Rule::OneShiftADay, &|| {
                format!("two shifts start on {}", stamp(b.0))
            });
        }
    }
    for s in list.iter() {
        let minute_of_day = s.0.rem_euclid(MINUTES_PER_DAY);
        if agent.is_off_on(time::weekday_of_minute(s.0)) {
            say(Rule::DaysOff, &|| {
                format!("works {} on a requested day off", stamp(s.0))
            });
        }
        if agent.is_on_leave(s.0, s.1) {
            say(Rule::TimeOff, &|| {
                format!("works {} during dated time off", stamp(s.0))
            });
        }
        if agent
            .earliest_start_minute
            .is_some_and(|e| minute_of_day < e as i64)
        {
            say(Rule::EarliestStart, &|| format!("starts {}", stamp(s.0)));
        }
        if agent
            .latest_end_minute
            .is_some_and(|l| minute_of_day + (s.1 - s.0) > l as i64)
        {
            say(Rule::LatestEnd, &|| format!("ends {}", stamp(s.1)));
        }
        if !agent.may_work_in(s.3) {
            say(Rule::Region, &|| format!("works {} in {}", stamp(s.0), s.3));
        }
    }
    let mut worked: Vec<i64> = list.iter().map(|s| time::day_of_minute(s.0)).collect();
    worked.dedup();
    let mut run = 0;
    for (i, &day) in worked.iter().enumerate() {
        run = if i > 0 && worked[i - 1] == day - 1 {
            run + 1
        } else {
            1
        };
        if run == rules.max_consecutive_days + 1 {
            say(Rule::MaxConsecutiveDays, &|| {
                format!("{} days in a row up to {}", run, time::date_from_day(day))
            });
        }
    }
    let contract = agent
        .contract_hours_per_week
        .unwrap_or(rules.contract_hours_per_week);
    let first_week = monday_of(days.first.min(days.last + 1));
    // Days worked and hours per week of the horizon, in one pass over the shifts (a year of
    // weeks times a year of shifts would otherwise be counted for every check).
    let weeks = ((days.last - first_week).max(-1) / 7 + 1) as usize;
    let mut per_week = vec![(0u32, 0.0f64); weeks];
    let week_index = |day: i64| usize::try_from((day - first_week).div_euclid(7)).ok();
    for &day in &worked {
        if let Some(w) = week_index(day).and_then(|w| per_week.get_mut(w)) {
            w.0 += 1;
        }
    }
    for s in &list {
        if let Some(w) = week_index(time::day_of_minute(s.0)).and_then(|w| per_week.get_mut(w)) {
            w.1 += s.2;
        }
    }
    let mut week = first_week;
    while week <= days.last {
        let (days_worked, hours) = per_week[((week - first_week) / 7) as usize];
        let date = time::date_from_day(week);
        if days_worked + rules.min_days_off_per_week > 7 {
            say(Rule::MinDaysOffPerWeek, &|| {
                format!("{days_worked} days worked in the week of {date}")
            });
        }
        if hours > contract * (1.0 + rules.hours_tolerance) + 1e-9 {
            say(Rule::HoursTolerance, &|| {
                format!(
                    "{hours:.1} h in the week of {date}, above {contract} h + {:.0} %",
                    rules.hours_tolerance * 100.0
                )
            });
        }
        let whole_week = week >= days.first && week + 6 <= days.last;
        // Dated time off is paid: it counts towards the week's hours.
        let leave =
            agent.leave_hours_in_week(week, contract, &|day| worked.binary_search(&day).is_ok());
        if whole_week
            && !list.is_empty()
            && hours + leave + 1e-9 < contract * (1.0 - rules.hours_tolerance)
        {
            say(Rule::HoursTolerance, &|| {
                format!(
                    "{hours:.1} h in the week of {date}{}, below {contract} h − {:.0} %",
                    if leave > 0.0 {
                        format!(" and {leave:.1} h of time off")
                    } else {
                        String::new()
                    },
                    rules.hours_tolerance * 100.0
                )
            });
        }
        week += 7;
    }
}

/// The soft rules each agent's shifts break: starts further apart than the window within a
/// stretch of working days (a new start after days off is no break), and weeks below the
/// agent's minimum hours.
pub fn soft_notes(roster: &Roster, agents: &[Agent], rules: &WorkRules) -> Vec<RuleNote> {
    let mut notes = Vec::new();
    for (k, list) in by_agent(roster, agents.len()).iter().enumerate() {
        agent_soft_notes(k, &agents[k], list, rules, &mut |n| notes.push(n));
    }
    notes
}

/// Under `consecutive_days_off`, each day off of agent `k` with a day worked on each side
/// (`list`: start minutes in order), handed to `say`; not a weekday the agent never works (their
/// own days off may be apart) nor a day of dated time off.
fn single_days_off(k: usize, agent: &Agent, list: &[(i64, f64)], say: &mut dyn FnMut(RuleNote)) {
    let days: Vec<i64> = list.iter().map(|s| time::day_of_minute(s.0)).collect();
    for pair in days.windows(2) {
        let off = pair[0] + 1;
        if pair[1] == off + 1 && !agent.own_day_off(off) {
            say(RuleNote {
                agent: k,
                week_day: off,
                rule: Note::ConsecutiveDaysOff,
                detail: "a single day off between days worked".to_string(),
            });
        }
    }
}

/// The soft rules one agent's shifts (`list`, in start order) break, each handed to `say`.
pub(super) fn agent_soft_notes(
    k: usize,
    agent: &Agent,
    list: &[&Assignment],
    rules: &WorkRules,
    say: &mut dyn FnMut(RuleNote),
) {
    let window = (rules.start_time_window_hours * 60.0).round() as i64;
    let list: Vec<(i64, f64)> = list
        .iter()
        .map(|a| (a.start_minute, a.paid_hours))
        .collect();
    let mut first = 0;
    for i in 1..=list.len() {
        let ends = i == list.len()
            || time::day_of_minute(list[i].0) != time::day_of_minute(list[i - 1].0) + 1;
        if !ends {
            continue;
        }
        let starts: Vec<i64> = list[first..i]
            .iter()
            .map(|s| s.0.rem_euclid(MINUTES_PER_DAY))
            .collect();
        let (lo, hi) = (
            starts.iter().copied().min().unwrap_or(0),
            starts.iter().copied().max().unwrap_or(0),
        );
        if hi - lo > window {
            say(RuleNote {
                    agent: k,
                    week_day: time::day_of_minute(list[first].0),
                    rule: Note::StartTimeWindowHours,
                    detail: format!(
                        "starts {:02}:{:02} to {:02}:{:02} in one stretch of working days, more than {} h apart",
                        lo / 60,
                        lo % 60,
                        hi / 60,
                        hi % 60,
                        rules.start_time_window_hours
                    ),
                });
        }
        first = i;
    }
    if rules.consecutive_days_off {
        single_days_off(k, agent, &list, say);
    }
    if let Some(min) = agent.min_hours_per_week {
        let mut weeks: Vec<(i64, f64)> = Vec::new();
        for s in list.iter() {
            let monday = monday_of(time::day_of_minute(s.0));
            match weeks.last_mut() {
                Some(w) if w.0 == monday => w.1 += s.1,
                _ => weeks.push((monday, s.1)),
            }
        }
        for (monday, hours) in weeks {
            let contract = agent
                .contract_hours_per_week
                .unwrap_or(rules.contract_hours_per_week);
            let works = |day: i64| list.iter().any(|s| time::day_of_minute(s.0) == day);
            let leave = agent.leave_hours_in_week(monday, contract, &works);
            if hours + leave + 1e-9 < min {
                say(RuleNote {
                    agent: k,
                    week_day: monday,
                    rule: Note::MinHoursPerWeek,
                    detail: format!("{hours:.1} h in the week, below the {min} h minimum"),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::assignments::Note;

    use crate::test_support::{north_shift, MONDAY};

    /// Agent 0 works the days `worked` (0 = that Monday) 08:00–16:00.
    fn roster(worked: &[i64]) -> Roster {
        Roster {
            assignments: worked.iter().map(|&d| north_shift(0, d, 8)).collect(),
            ..Default::default()
        }
    }

    fn single_days(roster: &Roster, agent: &Agent, rules: &WorkRules) -> Vec<i64> {
        (soft_notes(roster, std::slice::from_ref(agent), rules).into_iter())
            .filter(|n| n.rule == Note::ConsecutiveDaysOff)
            .map(|n| n.week_day - MONDAY)
            .collect()
    }

    #[test]
    fn a_single_day_off_between_days_worked_is_noted_unless_the_agent_asked_for_it() {
        // Sunday worked, Monday off, Tuesday to Friday worked; Saturday + Sunday off after.
        let r = roster(&[-1, 1, 2, 3, 4]);
        let rules = WorkRules::default();
        let agent = Agent::new("a0", "Agent 0");
        assert_eq!(single_days(&r, &agent, &rules), vec![0], "the Monday");
        // Days off side by side at the week's end are not noted, nor is the rule's absence.
        assert!(single_days(&roster(&[0, 1, 2, 3, 4, 7]), &agent, &rules).is_empty());
        let apart = WorkRules {
            consecutive_days_off: false,
            ..WorkRules::default()
        };
        assert!(single_days(&r, &agent, &apart).is_empty());
        // Monday is the agent's own day off, or a day of dated time off: theirs, not noted.
        let fixed = Agent {
            days_off: 1,
            ..agent.clone()
        };
        assert!(single_days(&r, &fixed, &rules).is_empty());
        let leave = Agent {
            time_off: vec![(MONDAY * MINUTES_PER_DAY, (MONDAY + 1) * MINUTES_PER_DAY)],
            ..agent
        };
        assert!(single_days(&r, &leave, &rules).is_empty());
    }
}
