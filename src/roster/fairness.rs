//! Sharing nights and weekend days out evenly (the rule `fair_nights_and_weekends`).
//!
//! A finished roster's shifts are swapped between two agents a block of days at a time: whole
//! calendar weeks (one, or several in a row from a Monday), or one agent's stretch of working
//! days. The shifts themselves do not change,
//! so neither does coverage. A swap is made only when it lowers the sum over agents of the
//! squares of their nights and of their weekend days (the totals are fixed, so this is their
//! spread), breaks no hard rule more often than before, adds no soft-rule note and misses no
//! more of the two agents' weighted preferences.
//! Swaps are tried in a fixed order until none helps, so the same roster always comes out.

use std::collections::BTreeMap;

use super::agents::Agent;
use super::assignments::{Assignment, Roster};
use super::rules::WorkRules;
use super::verify::{agent_soft_notes, agent_violations, Rule};
use crate::time::{self, DayRange, MINUTES_PER_DAY};

/// The last step of every roster, of a plan or of tours: nights and weekends shared out when
/// the rules ask for it (rule `fair_nights_and_weekends`), then the soft rules noted.
pub(super) fn finish(roster: &mut Roster, agents: &[Agent], rules: &WorkRules, days: DayRange) {
    if rules.fair_nights_and_weekends {
        share_nights_and_weekends(roster, agents, rules, days);
    }
    roster.notes = super::verify::soft_notes(roster, agents, rules);
}

/// Passes over every pair of agents at most: each pass that swaps lowers the spread, and no
/// roster seen takes more than a handful.
const MAX_PASSES: usize = 50;

/// Passes on a horizon rostered a week at a time: each costs about a minute for a year of 180
/// agents, and the first makes nearly all the swaps (13 weeks: 653 of 885).
const LONG_PASSES: usize = 2;

/// One agent's shifts and what the swaps weigh.
struct Share {
    shifts: Vec<Assignment>,
    /// Per day of the horizon, from its first: cumulative nights and weekend days before it.
    nights_before: Vec<i64>,
    weekends_before: Vec<i64>,
    /// Per day of the horizon: whether a shift starts on it.
    works: Vec<bool>,
    /// Hard rules broken, by name, and how often.
    violations: BTreeMap<Rule, usize>,
    notes: usize,
    /// Weighted preferences missed.
    missed: f64,
}

/// What `share` weighs for one agent's `shifts` over the horizon `days`.
fn share(
    k: usize,
    agent: &Agent,
    mut shifts: Vec<Assignment>,
    rules: &WorkRules,
    days: DayRange,
) -> Share {
    shifts.sort_by_key(|a| a.start_minute);
    let len = (days.last - days.first + 1).max(0) as usize;
    let (mut nights, mut weekends) = (vec![0i64; len + 1], vec![0i64; len + 1]);
    let mut works = vec![false; len];
    for a in &shifts {
        let day = time::day_of_minute(a.start_minute) - days.first;
        if let Ok(i) = usize::try_from(day) {
            if i < len {
                works[i] = true;
                nights[i + 1] += i64::from(rules.is_night_shift(a.start_minute, a.end_minute));
                weekends[i + 1] += i64::from(time::weekday_of_minute(a.start_minute) >= 5);
            }
        }
    }
    for i in 1..=len {
        nights[i] += nights[i - 1];
        weekends[i] += weekends[i - 1];
    }
    let refs: Vec<&Assignment> = shifts.iter().collect();
    let mut violations = BTreeMap::new();
    agent_violations(k, agent, &refs, rules, days, &mut |v| {
        *violations.entry(v.rule).or_insert(0) += 1
    });
    let mut notes = 0;
    agent_soft_notes(k, agent, &refs, rules, &mut |_| notes += 1);
    let window = (rules.start_time_window_hours * 60.0).round() as i64;
    let missed = shifts
        .iter()
        .map(|a| agent.preferences_missed(a.start_minute, window) as f64)
        .sum::<f64>()
        * agent.preference_weight;
    Share {
        shifts,
        nights_before: nights,
        weekends_before: weekends,
        works,
        violations,
        notes,
        missed,
    }
}

impl Share {
    fn totals(&self) -> (i64, i64) {
        (
            *self.nights_before.last().unwrap_or(&0),
            *self.weekends_before.last().unwrap_or(&0),
        )
    }

    /// Nights and weekend days on horizon days `from..to`.
    fn within(&self, from: usize, to: usize) -> (i64, i64) {
        (
            self.nights_before[to] - self.nights_before[from],
            self.weekends_before[to] - self.weekends_before[from],
        )
    }
}

/// Swaps blocks of days between agents until nights and weekend days are spread as evenly as
/// such swaps can make them (see the module notes). `days` is the horizon (first and last day
/// number), as for `violations`. Agents are only paired within a region.
pub fn share_nights_and_weekends(
    roster: &mut Roster,
    agents: &[Agent],
    rules: &WorkRules,
    days: DayRange,
) {
    if days.first > days.last || roster.assignments.is_empty() {
        return;
    }
    let mut lists: Vec<Vec<Assignment>> = vec![Vec::new(); agents.len()];
    // A shift of no agent in the file (none is made so) is kept as it is, never swapped.
    let mut stray = Vec::new();
    for a in roster.assignments.drain(..) {
        match lists.get_mut(a.agent) {
            Some(list) => list.push(a),
            None => stray.push(a),
        }
    }
    let mut shares: Vec<Share> = lists
        .into_iter()
        .enumerate()
        .map(|(k, list)| share(k, &agents[k], list, rules, days))
        .collect();
    let working: Vec<usize> = (0..agents.len())
        .filter(|&k| !shares[k].shifts.is_empty())
        .collect();
    // Runs of several weeks are tried on horizons of a few weeks only: their number grows with
    // the square of the weeks (1,378 for a year), and a long horizon's weeks are its blocks.
    // Such a horizon swaps whole weeks only: its agents' stretches are many more, and a
    // stretch swapped between the tours of two different weeks' patterns rarely keeps the
    // rules.
    let long = days.last - days.first + 1 > super::ONE_PIECE_DAYS as i64;
    let weeks = if long {
        single_weeks(days)
    } else {
        week_blocks(days)
    };
    let square = |x: i64| x * x;
    // Each agent's share changes only by a swap: a pair whose two shares are as they were when
    // it was last tried gives the same answers again, and is skipped (after the first pass
    // nearly every pair, as nearly every try fails on a rule).
    let mut version = vec![0u64; agents.len()];
    let mut tried: std::collections::HashMap<(usize, usize), (u64, u64)> = Default::default();
    let contract = |k: usize| {
        agents[k]
            .contract_hours_per_week
            .unwrap_or(rules.contract_hours_per_week)
    };
    for _ in 0..if long { LONG_PASSES } else { MAX_PASSES } {
        let mut swapped = false;
        for (i, &a) in working.iter().enumerate() {
            for &b in &working[i + 1..] {
                // A whole week swapped between two contracts breaks one of them: on a long
                // horizon (weeks only) such pairs are not tried.
                if shares[a].shifts[0].region != shares[b].shifts[0].region
                    || (long && contract(a) != contract(b))
                    || tried.get(&(a, b)) == Some(&(version[a], version[b]))
                {
                    continue;
                }
                let mut blocks = weeks.clone();
                if !long {
                    blocks.extend(stretch_blocks(&shares[a]));
                    blocks.extend(stretch_blocks(&shares[b]));
                }
                for (from, to) in blocks {
                    let (ta, tb) = (shares[a].totals(), shares[b].totals());
                    let (xa, xb) = (shares[a].within(from, to), shares[b].within(from, to));
                    let spread = |t: (i64, i64), u: (i64, i64)| {
                        square(t.0) + square(t.1) + square(u.0) + square(u.1)
                    };
                    let after = spread(
                        (ta.0 - xa.0 + xb.0, ta.1 - xa.1 + xb.1),
                        (tb.0 - xb.0 + xa.0, tb.1 - xb.1 + xa.1),
                    );
                    if after >= spread(ta, tb) {
                        continue;
                    }
                    if try_swap(&mut shares, (a, b), (from, to), agents, rules, days) {
                        version[a] += 1;
                        version[b] += 1;
                        swapped = true;
                    }
                }
                tried.insert((a, b), (version[a], version[b]));
            }
        }
        if !swapped {
            break;
        }
    }
    roster.assignments = shares.into_iter().flat_map(|s| s.shifts).collect();
    roster.assignments.extend(stray);
    roster
        .assignments
        .sort_by_key(|a| (a.agent, a.start_minute));
}

/// Horizon days `from..to` of every run of whole calendar weeks the horizon touches (a week,
/// two in a row, …, the rest of the horizon from a Monday): swapping from a Monday keeps each
/// calendar week one agent's, so its days off and hours stay what they were.
fn week_blocks(days: DayRange) -> Vec<(usize, usize)> {
    let len = days.last - days.first + 1;
    let weekday = time::weekday_of_minute(days.first * MINUTES_PER_DAY) as i64;
    let mut cuts = vec![0];
    let mut next = (7 - weekday) % 7;
    while next < len {
        if next > 0 {
            cuts.push(next);
        }
        next += 7;
    }
    cuts.push(len);
    let mut out = Vec::new();
    for (i, &from) in cuts.iter().enumerate() {
        for &to in &cuts[i + 1..] {
            if (from, to) != (0, len) {
                out.push((from as usize, to as usize));
            }
        }
    }
    out
}

/// Horizon days `from..to` of each calendar week the horizon touches.
fn single_weeks(days: DayRange) -> Vec<(usize, usize)> {
    let len = (days.last - days.first + 1) as usize;
    let weekday = time::weekday_of_minute(days.first * MINUTES_PER_DAY);
    let mut out = Vec::new();
    let mut from = 0;
    let mut to = (7 - weekday) % 7;
    if to == 0 {
        to = 7;
    }
    while from < len {
        out.push((from, to.min(len)));
        from = to;
        to += 7;
    }
    out
}

/// Horizon days `from..to` of each of an agent's stretches of working days.
fn stretch_blocks(share: &Share) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < share.works.len() {
        let from = i;
        while i < share.works.len() && share.works[i] {
            i += 1;
        }
        if i > from {
            out.push((from, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Swaps agents `a` and `b`'s shifts on horizon days `from..to` if that keeps the rules, the
/// notes and the preferences (see the module notes); whether it did.
fn try_swap(
    shares: &mut [Share],
    (a, b): (usize, usize),
    (from, to): (usize, usize),
    agents: &[Agent],
    rules: &WorkRules,
    days: DayRange,
) -> bool {
    let inside = |x: &Assignment| {
        let day = time::day_of_minute(x.start_minute) - days.first;
        (from as i64..to as i64).contains(&day)
    };
    let moved = |mine: &[Assignment], theirs: &[Assignment], k: usize| -> Vec<Assignment> {
        mine.iter()
            .filter(|x| !inside(x))
            .cloned()
            .chain(theirs.iter().filter(|x| inside(x)).map(|x| Assignment {
                agent: k,
                ..x.clone()
            }))
            .collect()
    };
    let new_a = share(
        a,
        &agents[a],
        moved(&shares[a].shifts, &shares[b].shifts, a),
        rules,
        days,
    );
    // A swap may not break a rule more often than before (one that held, or one the roster
    // already broke), whatever else it mends.
    let no_worse = |new: &Share, old: &Share| {
        new.violations
            .iter()
            .all(|(rule, n)| *n <= old.violations.get(rule).copied().unwrap_or(0))
    };
    if !no_worse(&new_a, &shares[a]) {
        return false;
    }
    let new_b = share(
        b,
        &agents[b],
        moved(&shares[b].shifts, &shares[a].shifts, b),
        rules,
        days,
    );
    let keeps = no_worse(&new_b, &shares[b])
        && new_a.notes + new_b.notes <= shares[a].notes + shares[b].notes
        && new_a.missed + new_b.missed <= shares[a].missed + shares[b].missed + 1e-9
        && !new_a.shifts.is_empty()
        && !new_b.shifts.is_empty();
    if keeps {
        shares[a] = new_a;
        shares[b] = new_b;
    }
    keeps
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monday 2024-01-01.
    const MONDAY: i64 = 19_723;

    fn agent(id: usize, contract: f64) -> Agent {
        Agent {
            contract_hours_per_week: Some(contract),
            ..Agent::new(format!("a{id}"), format!("Agent {id}"))
        }
    }

    /// Monday to Friday of four weeks at `start_hour` for `hours` hours, for agent `k`.
    fn weekdays(k: usize, start_hour: i64, hours: i64) -> Vec<Assignment> {
        (0..28)
            .filter(|d| d % 7 < 5)
            .map(|d| {
                let start = (MONDAY + d) * MINUTES_PER_DAY + start_hour * 60;
                Assignment {
                    agent: k,
                    region: "north".into(),
                    start_minute: start,
                    end_minute: start + hours * 60,
                    paid_hours: hours as f64,
                    break_minutes: None,
                }
            })
            .collect()
    }

    fn roster(shifts: Vec<Vec<Assignment>>) -> Roster {
        Roster {
            assignments: shifts.into_iter().flatten().collect(),
            unassigned: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn nights(roster: &Roster, rules: &WorkRules, k: usize) -> usize {
        roster
            .assignments
            .iter()
            .filter(|a| a.agent == k && rules.is_night_shift(a.start_minute, a.end_minute))
            .count()
    }

    /// Every shift's times, whoever works it.
    fn shifts_worked(roster: &Roster) -> Vec<(i64, i64)> {
        let mut out: Vec<(i64, i64)> = roster
            .assignments
            .iter()
            .map(|a| (a.start_minute, a.end_minute))
            .collect();
        out.sort_unstable();
        out
    }

    const DAYS: DayRange = DayRange {
        first: MONDAY,
        last: MONDAY + 27,
    };

    #[test]
    fn four_weeks_of_nights_are_shared_two_and_two_with_the_same_shifts_worked() {
        let rules = WorkRules::default();
        let staff = [agent(0, 40.0), agent(1, 40.0)];
        let mut r = roster(vec![weekdays(0, 22, 8), weekdays(1, 8, 8)]);
        let before = shifts_worked(&r);
        share_nights_and_weekends(&mut r, &staff, &rules, DAYS);
        assert_eq!((nights(&r, &rules, 0), nights(&r, &rules, 1)), (10, 10));
        assert_eq!(shifts_worked(&r), before, "coverage is unchanged");
        let broken = crate::roster::violations(&r, &staff, &rules, DAYS);
        assert!(broken.is_empty(), "{broken:?}");
        let mut again = roster(vec![weekdays(0, 22, 8), weekdays(1, 8, 8)]);
        share_nights_and_weekends(&mut again, &staff, &rules, DAYS);
        assert_eq!(again, r, "the same roster comes out");
    }

    #[test]
    fn an_agent_who_asks_for_nights_keeps_them() {
        let rules = WorkRules::default();
        let mut staff = [agent(0, 40.0), agent(1, 40.0)];
        staff[0].preferred_start_minute = Some(22 * 60);
        let mut r = roster(vec![weekdays(0, 22, 8), weekdays(1, 8, 8)]);
        share_nights_and_weekends(&mut r, &staff, &rules, DAYS);
        assert_eq!((nights(&r, &rules, 0), nights(&r, &rules, 1)), (20, 0));
    }

    #[test]
    fn no_swap_breaks_a_rule_that_held() {
        // A part-timer's 4-hour evenings would break both contracts' weekly hours if swapped.
        let rules = WorkRules::default();
        let staff = [agent(0, 20.0), agent(1, 40.0)];
        let mut r = roster(vec![weekdays(0, 20, 4), weekdays(1, 8, 8)]);
        let before = r.clone();
        share_nights_and_weekends(&mut r, &staff, &rules, DAYS);
        assert_eq!(r, before);
        // Nor one into a requested day off: agent 1 may not work Mondays.
        let mut staff = [agent(0, 40.0), agent(1, 40.0)];
        staff[1].days_off = 0b1;
        let mut r = roster(vec![weekdays(0, 22, 8), {
            let mut week = weekdays(1, 8, 8);
            week.retain(|a| time::weekday_of_minute(a.start_minute) != 0);
            week
        }]);
        share_nights_and_weekends(&mut r, &staff, &rules, DAYS);
        let broken = crate::roster::violations(&r, &staff, &rules, DAYS);
        assert!(
            broken.iter().all(|v| v.rule == Rule::HoursTolerance),
            "{broken:?}"
        );
    }
}
