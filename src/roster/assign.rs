//! Assigning a dated shift plan to named agents under the work rules.
//!
//! The shifts are taken in time order and each goes to the agent who can work it under every
//! hard rule (requested days off, start and end limits, one shift a day, rest between shifts,
//! consecutive working days, days off per week, weekly hours) and fits it best: closest to the
//! agent's own start times this week (stable starts), then missing the fewest of the agent's
//! preferences (preferred start, preferred days off) times their weight, then closest to the
//! preferred start, then the furthest below their contract (fair hours), then the first in the
//! file (deterministic). Nights and weekends are then shared out (`fairness`).
//! A shift that nobody can work stays unassigned and is reported with the number of agents it
//! would take. Dated horizons do not wrap: a shift is on the day it starts.

use super::agents::Agent;
pub use super::assignments::{Assignment, Roster, RuleNote, Unassigned};
use super::rules::WorkRules;
use crate::schedule::plans::PlannedShift;
use crate::time::{self, MINUTES_PER_DAY};

/// What one agent has been given so far.
#[derive(Default)]
struct Week {
    hours: f64,
    days: Vec<i64>,
    first_start_of_day: Option<i64>,
}

struct AgentState {
    /// Working days (day numbers), in order.
    days: Vec<i64>,
    last_end: Option<i64>,
    /// Per week (Monday's day number): hours and days worked.
    weeks: std::collections::BTreeMap<i64, Week>,
    total_hours: f64,
}

fn monday_of(day: i64) -> i64 {
    day - time::weekday_of_minute(day * MINUTES_PER_DAY) as i64
}

/// Assigns `shifts` (their `agents` copies each) to `agents` under `rules`, then shares nights
/// and weekends out when the rules ask for it.
pub fn assign(shifts: &[PlannedShift], agents: &[Agent], rules: &WorkRules) -> Roster {
    shared_out(greedy(shifts, agents, rules), shifts, agents, rules)
}

/// The days the plan's shifts start on (empty for no shift): the horizon its roster is
/// checked over.
pub fn plan_days(shifts: &[PlannedShift]) -> time::DayRange {
    shifts
        .iter()
        .map(|s| time::day_of_minute(s.start_minute))
        .collect()
}

/// `roster` with nights and weekends shared out (rule `fair_nights_and_weekends`) and its
/// soft-rule notes.
fn shared_out(
    mut roster: Roster,
    shifts: &[PlannedShift],
    agents: &[Agent],
    rules: &WorkRules,
) -> Roster {
    super::fairness::finish(&mut roster, agents, rules, plan_days(shifts), &[]);
    roster
}

/// The shifts in time order, each to the agent who fits it best (see the module notes).
fn greedy(shifts: &[PlannedShift], agents: &[Agent], rules: &WorkRules) -> Roster {
    let mut order: Vec<&PlannedShift> = shifts.iter().collect();
    order.sort_by_key(|s| (s.start_minute, std::cmp::Reverse(s.end_minute), s.row));
    let mut state: Vec<AgentState> = agents
        .iter()
        .map(|_| AgentState {
            days: Vec::new(),
            last_end: None,
            weeks: Default::default(),
            total_hours: 0.0,
        })
        .collect();
    let rest = (rules.min_rest_hours * 60.0).round() as i64;
    let window = (rules.start_time_window_hours * 60.0).round() as i64;
    let mut roster = Roster::default();
    for shift in order {
        let day = time::day_of_minute(shift.start_minute);
        let weekday = time::weekday_of_minute(shift.start_minute);
        let monday = monday_of(day);
        let start_of_day = shift.start_minute - day * MINUTES_PER_DAY;
        let end_of_day = start_of_day + (shift.end_minute - shift.start_minute);
        for _ in 0..shift.agents {
            let can_work = |a: usize| -> bool {
                let agent = &agents[a];
                let s = &state[a];
                let contract = agent
                    .contract_hours_per_week
                    .unwrap_or(rules.contract_hours_per_week);
                let week = s.weeks.get(&monday);
                let worked_days = week.map_or(0, |w| w.days.len()) as u32;
                let hours = week.map_or(0.0, |w| w.hours);
                // The run of working days that this day would extend.
                let run = s
                    .days
                    .iter()
                    .rev()
                    .enumerate()
                    .take_while(|(k, &d)| d == day - 1 - *k as i64)
                    .count() as u32;
                agent.may_work_in(&shift.region)
                    && !agent.is_off_on(weekday)
                    && !agent.is_on_leave(shift.start_minute, shift.end_minute)
                    && agent
                        .earliest_start_minute
                        .is_none_or(|e| start_of_day >= e as i64)
                    && agent
                        .latest_end_minute
                        .is_none_or(|l| end_of_day <= l as i64)
                    && s.days.last() != Some(&day)
                    && s.last_end
                        .is_none_or(|end| shift.start_minute >= end + rest)
                    && run < rules.max_consecutive_days
                    && worked_days + 1 + rules.min_days_off_per_week <= 7
                    && hours + shift.paid_hours <= contract * (1.0 + rules.hours_tolerance) + 1e-9
            };
            let fit = |a: usize| {
                let agent = &agents[a];
                let s = &state[a];
                let stable = s
                    .weeks
                    .get(&monday)
                    .and_then(|w| w.first_start_of_day)
                    .map_or(0, |first| ((start_of_day - first).abs() - window).max(0));
                // Preferences this shift would miss (start, day off) times the agent's weight,
                // then how far it starts from the preferred start, around midnight.
                let missed = (agent.preferences_missed(shift.start_minute, window) as f64
                    * agent.preference_weight
                    * 100.0)
                    .round() as i64;
                let preferred = agent.preferred_start_minute.map_or(0, |p| {
                    let apart = (start_of_day - p as i64).rem_euclid(MINUTES_PER_DAY);
                    apart.min(MINUTES_PER_DAY - apart)
                });
                let contract = agent
                    .contract_hours_per_week
                    .unwrap_or(rules.contract_hours_per_week);
                let share = s.weeks.get(&monday).map_or(0.0, |w| w.hours) / contract;
                (
                    stable,
                    missed,
                    preferred,
                    (share * 1_000.0).round() as i64,
                    a,
                )
            };
            let chosen = (0..agents.len())
                .filter(|&a| can_work(a))
                .min_by_key(|&a| fit(a));
            match chosen {
                Some(a) => {
                    let s = &mut state[a];
                    s.days.push(day);
                    s.last_end = Some(shift.end_minute);
                    s.total_hours += shift.paid_hours;
                    let week = s.weeks.entry(monday).or_default();
                    week.hours += shift.paid_hours;
                    week.days.push(day);
                    week.first_start_of_day.get_or_insert(start_of_day);
                    roster.assignments.push(Assignment {
                        agent: a,
                        region: shift.region.clone(),
                        start_minute: shift.start_minute,
                        end_minute: shift.end_minute,
                        paid_hours: shift.paid_hours,
                        break_minutes: shift.break_minutes,
                    });
                }
                None => roster.unassigned.push(Unassigned {
                    region: shift.region.clone(),
                    start_minute: shift.start_minute,
                    end_minute: shift.end_minute,
                    paid_hours: shift.paid_hours,
                }),
            }
        }
    }
    roster
}

/// A lower bound on the agents any roster of `shifts` needs under `rules`, whoever they are:
/// the most shifts running at once, and in every week the shifts over the days an agent may
/// work (7 − days off) and the hours over the most an agent may work (contract × (1 +
/// tolerance), with the rules' default contract).
pub fn headcount_lower_bound(shifts: &[PlannedShift], rules: &WorkRules) -> usize {
    let mut events: Vec<(i64, i64)> = Vec::new();
    let mut weeks: std::collections::BTreeMap<i64, (f64, u64)> = Default::default();
    for s in shifts {
        if s.agents == 0 {
            continue;
        }
        events.push((s.start_minute, s.agents as i64));
        events.push((s.end_minute, -(s.agents as i64)));
        let week = weeks
            .entry(monday_of(time::day_of_minute(s.start_minute)))
            .or_default();
        week.0 += s.paid_hours * s.agents as f64;
        week.1 += s.agents as u64;
    }
    // Ends before starts at the same minute: back-to-back shifts can be one agent's.
    events.sort();
    let (mut running, mut concurrent) = (0i64, 0i64);
    for (_, change) in events {
        running += change;
        concurrent = concurrent.max(running);
    }
    let days = 7u64
        .saturating_sub(rules.min_days_off_per_week as u64)
        .max(1);
    let hours = rules.contract_hours_per_week * (1.0 + rules.hours_tolerance);
    weeks
        .values()
        .map(|&(h, n)| ((h / hours).ceil() as usize).max(n.div_ceil(days) as usize))
        .max()
        .unwrap_or(0)
        .max(concurrent as usize)
}

/// The shifts of each region with the agents (indices into `agents`) bound to it, in the
/// plan's region order; `None` unless every agent may work in one region only. Such agents can only
/// work their own region's shifts, so each region can be bounded and searched on its own.
fn split_by_region(
    shifts: &[PlannedShift],
    agents: &[Agent],
) -> Option<Vec<(Vec<PlannedShift>, Vec<usize>)>> {
    if agents.iter().any(|a| a.only_region().is_none()) {
        return None;
    }
    let mut regions: Vec<&str> = Vec::new();
    for s in shifts {
        if !regions.contains(&s.region.as_str()) {
            regions.push(&s.region);
        }
    }
    Some(
        regions
            .into_iter()
            .map(|region| {
                let mine = shifts
                    .iter()
                    .filter(|s| s.region == region)
                    .cloned()
                    .collect();
                let staff = (0..agents.len())
                    .filter(|&i| agents[i].only_region() == Some(region))
                    .collect();
                (mine, staff)
            })
            .collect(),
    )
}

/// A lower bound on the agents any roster of `shifts` needs with these `agents`: the sum of
/// each region's bound where every agent is bound to one region, else the plan's bound.
pub fn headcount_lower_bound_for(
    shifts: &[PlannedShift],
    agents: &[Agent],
    rules: &WorkRules,
) -> usize {
    match split_by_region(shifts, agents) {
        Some(regions) => regions
            .iter()
            .map(|(mine, _)| headcount_lower_bound(mine, rules))
            .sum(),
        None => headcount_lower_bound(shifts, rules),
    }
}

/// The fewest agents that leave no shift of `shifts` unassigned, in file order, and their
/// roster (agent indices into the returned agents); `None` when even all of them leave some.
/// Where every agent is bound to a region, each region takes the fewest of its own agents in
/// file order (a file sorted by region is not one prefix, all of the first region before any
/// of the next); otherwise the fewest first agents of the file.
pub fn fewest_agents(
    shifts: &[PlannedShift],
    agents: &[Agent],
    rules: &WorkRules,
) -> Option<(Vec<Agent>, Roster)> {
    let Some(regions) = split_by_region(shifts, agents) else {
        let (k, roster) = fewest_prefix(shifts, agents, rules)?;
        return Some((agents[..k].to_vec(), roster));
    };
    let mut chosen: Vec<usize> = Vec::new();
    let mut parts: Vec<(Roster, Vec<usize>)> = Vec::new();
    for (mine, staff) in &regions {
        let own: Vec<Agent> = staff.iter().map(|&i| agents[i].clone()).collect();
        let (k, roster) = fewest_prefix(mine, &own, rules)?;
        chosen.extend(&staff[..k]);
        parts.push((roster, staff[..k].to_vec()));
    }
    chosen.sort_unstable();
    // Agent indices: region-local → file → position among the chosen.
    let position = |file_index: usize| chosen.binary_search(&file_index).unwrap_or_default();
    let mut merged = Roster::default();
    for (roster, staff) in parts {
        merged
            .assignments
            .extend(roster.assignments.into_iter().map(|mut a| {
                a.agent = position(staff[a.agent]);
                a
            }));
        merged.notes.extend(roster.notes.into_iter().map(|mut n| {
            n.agent = position(staff[n.agent]);
            n
        }));
    }
    let agents = chosen.iter().map(|&i| agents[i].clone()).collect();
    Some((agents, merged))
}

/// The fewest first agents of `agents` that leave no shift unassigned, and their roster. A
/// binary search on the number of agents, checked by a linear step up where the greedy is not
/// monotone.
fn fewest_prefix(
    shifts: &[PlannedShift],
    agents: &[Agent],
    rules: &WorkRules,
) -> Option<(usize, Roster)> {
    // The search runs the greedy alone; only the roster kept is shared out.
    let covers = |k: usize| {
        let roster = greedy(shifts, &agents[..k], rules);
        roster.unassigned.is_empty().then_some(roster)
    };
    covers(agents.len())?;
    let (mut low, mut high) = (
        headcount_lower_bound(shifts, rules).min(agents.len()),
        agents.len(),
    );
    // `high` covers; `low` may or may not.
    while low < high {
        let mid = low + (high - low) / 2;
        if covers(mid).is_some() {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    (high..=agents.len())
        .find_map(|k| covers(k).map(|roster| (k, shared_out(roster, shifts, &agents[..k], rules))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Monday 2024-01-01 00:00.
    const MONDAY: i64 = 19_723 * MINUTES_PER_DAY;

    fn agent(id: &str) -> Agent {
        Agent::new(id, id)
    }

    fn shift(day: i64, start_hour: i64, hours: i64, agents: u32) -> PlannedShift {
        let start = MONDAY + day * MINUTES_PER_DAY + start_hour * 60;
        PlannedShift {
            region: "north".into(),
            start_minute: start,
            end_minute: start + hours * 60,
            paid_hours: hours as f64,
            agents,
            break_minutes: None,
            row: 2,
        }
    }

    #[test]
    fn a_preferred_day_off_goes_to_whoever_minds_less() {
        // One Saturday shift, two agents who may both work it.
        let shifts = [shift(5, 8, 8, 1)];
        let rules = WorkRules::default();
        let mut staff = [agent("a"), agent("b")];
        staff[0].preferred_days_off = 1 << 5;
        let roster = assign(&shifts, &staff, &rules);
        assert_eq!(roster.assignments[0].agent, 1, "b has no wish");
        // Both would rather be off: the heavier weight wins.
        staff[1].preferred_days_off = 1 << 5;
        staff[0].preference_weight = 3.0;
        assert_eq!(assign(&shifts, &staff, &rules).assignments[0].agent, 1);
        staff[1].preference_weight = 5.0;
        assert_eq!(assign(&shifts, &staff, &rules).assignments[0].agent, 0);
    }

    #[test]
    fn a_preferred_start_is_near_across_midnight() {
        // 23:30 is 30 minutes from a preferred 00:00, not 23 h 30.
        let shifts = [shift(0, 23, 8, 1)];
        let mut staff = [agent("a"), agent("b")];
        staff[0].preferred_start_minute = Some(12 * 60);
        staff[1].preferred_start_minute = Some(0);
        let roster = assign(&shifts, &staff, &WorkRules::default());
        assert_eq!(roster.assignments[0].agent, 1);
    }

    #[test]
    fn rest_days_off_and_hours_are_respected() {
        // Two weeks of one 8-hour day shift: one agent can work five days a week, so the
        // weekends need a second agent.
        let shifts: Vec<PlannedShift> = (0..14).map(|d| shift(d, 8, 8, 1)).collect();
        let rules = WorkRules::default();
        let one = assign(&shifts, &[agent("a")], &rules);
        assert_eq!(one.assignments.len(), 10, "five days a week, 40 h");
        assert_eq!(one.unassigned.len(), 4);
        let two = assign(&shifts, &[agent("a"), agent("b")], &rules);
        assert!(two.unassigned.is_empty(), "{:?}", two.unassigned);
        // A night 22:00–06:00 then a morning at 08:00 the next day is 2 h of rest: not allowed.
        let tight = [shift(0, 22, 8, 1), shift(1, 8, 8, 1)];
        let roster = assign(&tight, &[agent("a")], &rules);
        assert_eq!(roster.unassigned.len(), 1);
    }

    #[test]
    fn requested_days_off_and_start_limits_hold() {
        let mut ana = agent("ana");
        ana.days_off = 1 << 2; // Wednesday
        ana.earliest_start_minute = Some(9 * 60);
        let shifts = [shift(2, 10, 6, 1), shift(3, 7, 6, 1), shift(4, 10, 6, 1)];
        let roster = assign(&shifts, &[ana], &WorkRules::default());
        assert_eq!(roster.assignments.len(), 1, "only Friday 10:00 is possible");
        assert_eq!(roster.assignments[0].start_minute, shifts[2].start_minute);
    }

    #[test]
    fn the_lower_bound_counts_shifts_at_once_days_and_hours() {
        // Every day of one week, three 8-hour shifts at once: 3 at once, 21 shifts over 5
        // working days → 5 agents, 168 h over 44 h → 4. The bound is 5, and the greedy finds
        // a roster with 5 agents out of 9.
        let shifts: Vec<PlannedShift> = (0..7).map(|d| shift(d, 8, 8, 3)).collect();
        let rules = WorkRules::default();
        assert_eq!(headcount_lower_bound(&shifts, &rules), 5);
        let people: Vec<Agent> = (0..9).map(|k| agent(&format!("a{k}"))).collect();
        let (chosen, roster) = fewest_agents(&shifts, &people, &rules).unwrap();
        assert_eq!(chosen, people[..5]);
        assert!(roster.unassigned.is_empty());
        assert!(fewest_agents(&shifts, &people[..4], &rules).is_none());
    }

    #[test]
    fn region_bound_agents_are_taken_fewest_per_region_not_as_one_prefix() {
        // A file sorted by region, ten north agents then ten south; each region's week needs
        // five agents (as above). One prefix would take all ten north agents before any south
        // one; per region it takes the first five of each.
        let mut shifts: Vec<PlannedShift> = (0..7).map(|d| shift(d, 8, 8, 3)).collect();
        shifts.extend((0..7).map(|d| PlannedShift {
            region: "south".into(),
            ..shift(d, 8, 8, 3)
        }));
        let people: Vec<Agent> = ["north", "south"]
            .iter()
            .flat_map(|region| {
                (0..10).map(move |k| Agent {
                    region: Some(region.to_string()),
                    ..agent(&format!("{region}{k}"))
                })
            })
            .collect();
        let rules = WorkRules::default();
        assert_eq!(
            headcount_lower_bound(&shifts, &rules),
            9,
            "blind to regions"
        );
        assert_eq!(headcount_lower_bound_for(&shifts, &people, &rules), 10);
        let (chosen, roster) = fewest_agents(&shifts, &people, &rules).unwrap();
        let ids: Vec<&str> = chosen.iter().map(|a| a.agent_id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "north0", "north1", "north2", "north3", "north4", "south0", "south1", "south2",
                "south3", "south4"
            ]
        );
        assert!(roster.unassigned.is_empty());
        // Every assignment points at a chosen agent of the shift's region.
        for a in &roster.assignments {
            assert_eq!(chosen[a.agent].region.as_deref(), Some(a.region.as_str()));
        }
        assert_eq!(roster.assignments.len(), 2 * 21);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Whatever the plan and the agents: no agent works two shifts that overlap or leave
        /// less rest than the rule, more days in a row than allowed, or fewer days off a week;
        /// and the same input gives the same roster.
        #[test]
        fn hard_rules_always_hold_and_the_roster_is_deterministic(
            plan in prop::collection::vec((0i64..28, 0i64..24, 4i64..13, 0u32..4), 1..80),
            agents in 1usize..12,
            rest in 8.0f64..13.0,
            consecutive in 3u32..7,
        ) {
            let shifts: Vec<PlannedShift> = plan.iter().map(|&(d, h, len, n)| shift(d, h, len, n)).collect();
            let people: Vec<Agent> = (0..agents).map(|k| agent(&format!("a{k}"))).collect();
            let rules = WorkRules { min_rest_hours: rest, max_consecutive_days: consecutive, ..WorkRules::default() };
            let roster = assign(&shifts, &people, &rules);
            let total: u32 = shifts.iter().map(|s| s.agents).sum();
            prop_assert_eq!(roster.assignments.len() + roster.unassigned.len(), total as usize);
            for a in 0..agents {
                let mut mine: Vec<&Assignment> = roster.assignments.iter().filter(|x| x.agent == a).collect();
                mine.sort_by_key(|x| x.start_minute);
                for pair in mine.windows(2) {
                    let gap = pair[1].start_minute - pair[0].end_minute;
                    prop_assert!(gap as f64 >= rest * 60.0 - 0.5, "rest {gap} min");
                }
                let days: Vec<i64> = mine.iter().map(|x| time::day_of_minute(x.start_minute)).collect();
                let mut run = 1;
                for pair in days.windows(2) {
                    prop_assert!(pair[1] > pair[0], "one shift a day");
                    run = if pair[1] == pair[0] + 1 { run + 1 } else { 1 };
                    prop_assert!(run <= consecutive as usize);
                }
                let mut per_week: std::collections::BTreeMap<i64, usize> = Default::default();
                for d in &days {
                    *per_week.entry(monday_of(*d)).or_default() += 1;
                }
                prop_assert!(per_week.values().all(|&n| n <= 5), "two days off a week");
            }
            prop_assert_eq!(assign(&shifts, &people, &rules), roster);
        }
    }
}
