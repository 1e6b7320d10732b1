//! Sharing nights and weekend days out evenly (the rule `fair_nights_and_weekends`).
//!
//! A finished roster's shifts are swapped between two agents a block of days at a time: whole
//! calendar weeks (one, or several in a row from a Monday), or one agent's stretch of working
//! days. The shifts themselves do not change, so neither does coverage.
//!
//! Three passes:
//! 1. a swap is made when it lowers the sum over agents of the squares of their nights and of
//!    their weekend days (the totals are fixed, so this is their spread), breaks no hard rule
//!    more often than before, adds no soft-rule note and misses no more of the two agents'
//!    weighted preferences;
//! 2. within each group of agents that should be alike (same queue, contract, fixed days off
//!    and weekend days wished off, `groups`), while the gap in weekend days is wider than 2
//!    per 4 weeks, weekend days move from the agent with most to one with fewer. Such a swap
//!    may miss preferred start times (an even share of weekends comes first), but never a
//!    preferred day off, a rule or a soft rule. Where no swap does, and the queue's
//!    requirement is known (a roster of tours), one agent's days worked move within a run of
//!    weeks where coverage leaves room (`slack`): the only move that changes coverage, and
//!    never below the requirement;
//! 3. swaps that meet more preferences and widen neither spread.
//!
//! Passes 2 and 3 run on a horizon rostered in one piece only: a long one swaps whole weeks
//! between equal contracts, as pass 1 did already.
//!
//! Moves are tried in a fixed order until none helps, so the same roster always comes out.

mod groups;
mod slack;

pub use groups::*;

use std::collections::BTreeMap;

use super::agents::Agent;
use super::assignments::Note;
use super::assignments::{Assignment, Roster};
use super::rules::WorkRules;
use super::verify::{agent_soft_notes, agent_violations, Rule};
use crate::schedule::Requirement;
use crate::time::{self, DayRange, MINUTES_PER_DAY};
use slack::{run_moves, single_days_off, Cover};

/// A queue's requirement and the agents scheduled in each of its intervals, hires included.
pub type QueueCoverage = (Requirement, Vec<u32>);

/// The last step of every roster, of a plan or of tours: nights and weekends shared out when
/// the rules ask for it (rule `fair_nights_and_weekends`), then the soft rules noted. Where
/// the `queues`' coverage is given (a roster of tours), days worked may also move where their
/// requirement leaves room (`slack`).
pub(super) fn finish(
    roster: &mut Roster,
    agents: &[Agent],
    rules: &WorkRules,
    days: DayRange,
    queues: &[QueueCoverage],
) {
    if rules.fair_nights_and_weekends {
        let before = nights_and_weekends(roster, agents, rules);
        share_nights_and_weekends(roster, agents, rules, days, queues);
        roster.before_sharing = Some(before);
    }
    roster.notes = super::verify::soft_notes(roster, agents, rules);
}

/// Agents of `shifts` working each interval of `requirement` (its queue's shifts only,
/// breaks excluded): what moving days off (`slack`) changes.
pub(super) fn agents_working(requirement: &Requirement, shifts: &[Assignment]) -> Vec<i64> {
    Cover::working(requirement, shifts)
}

/// Passes over every pair of agents at most: each pass that swaps lowers the spread, and no
/// roster seen takes more than a handful.
const MAX_PASSES: usize = 50;

/// Passes on a horizon rostered a week at a time: each costs about a minute for a year of 180
/// agents, and the first makes nearly all the swaps (13 weeks: 653 of 885).
const LONG_PASSES: usize = 2;

/// One agent's shifts and what the swaps weigh.
#[derive(Default)]
struct Share {
    shifts: Vec<Assignment>,
    /// Per day of the horizon, from its first: cumulative nights and weekend days before it.
    nights_before: Vec<i64>,
    weekends_before: Vec<i64>,
    /// Per day of the horizon: whether a shift starts on it, and the paid hours starting on it.
    works: Vec<bool>,
    day_hours: Vec<f64>,
    /// Hard rules broken, by name, and how often.
    violations: BTreeMap<Rule, usize>,
    notes: usize,
    /// Of the notes, single days off between days worked (`consecutive_days_off`).
    single_days_off: usize,
    /// Weighted preferences missed: preferred starts, preferred days off worked.
    missed_starts: f64,
    missed_days_off: f64,
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
    let mut day_hours = vec![0.0; len];
    for a in &shifts {
        let day = time::day_of_minute(a.start_minute) - days.first;
        if let Ok(i) = usize::try_from(day) {
            if i < len {
                works[i] = true;
                day_hours[i] += a.paid_hours;
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
    agent_violations(agent, &refs, rules, days, &mut |rule, _| {
        *violations.entry(rule).or_insert(0) += 1
    });
    let (mut notes, mut single_days_off) = (0, 0);
    agent_soft_notes(k, agent, &refs, rules, &mut |note| {
        notes += 1;
        single_days_off += usize::from(note.rule == Note::ConsecutiveDaysOff);
    });
    let window = (rules.start_time_window_hours * 60.0).round() as i64;
    let (mut missed_starts, mut missed_days_off) = (0.0, 0.0);
    for a in &shifts {
        let all = agent.preferences_missed(a.start_minute, window) as f64;
        let start = f64::from(u8::from(
            agent.preferred_start_met(a.start_minute, window) == Some(false),
        ));
        missed_starts += start * agent.preference_weight;
        missed_days_off += (all - start) * agent.preference_weight;
    }
    Share {
        shifts,
        nights_before: nights,
        weekends_before: weekends,
        works,
        day_hours,
        violations,
        notes,
        single_days_off,
        missed_starts,
        missed_days_off,
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
/// number), as for `violations`. Agents are only paired within a region. A region with its
/// coverage among `coverage` may also have an agent's days worked moved where it leaves room.
pub fn share_nights_and_weekends(
    roster: &mut Roster,
    agents: &[Agent],
    rules: &WorkRules,
    days: DayRange,
    coverage: &[QueueCoverage],
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
    let long = days.last - days.first + 1 > super::ONE_PIECE_DAYS as i64;
    // Runs of several weeks are tried on horizons of a few weeks only: their number grows with
    // the square of the weeks (1,378 for a year), and a long horizon's weeks are its blocks.
    // Such a horizon swaps whole weeks only: its agents' stretches are many more, and a
    // stretch swapped between the tours of two different weeks' patterns rarely keeps the
    // rules.
    let weeks = if long {
        single_weeks(days)
    } else {
        week_blocks(days)
    };
    // Agents are paired within a queue (that of their first shift) only: each queue's agents
    // are shared out on their own, the queues in parallel. A part holds every agent's place,
    // empty but for the queue's own.
    let mut queues: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (k, share) in shares.iter().enumerate() {
        if let Some(first) = share.shifts.first() {
            queues.entry(first.region.clone()).or_default().push(k);
        }
    }
    // Each queue's coverage, for the part of its agents.
    let mut covers: BTreeMap<String, Cover> = queues
        .keys()
        .filter_map(|queue| {
            let (requirement, scheduled) = coverage.iter().find(|c| &c.0.region == queue)?;
            Some((queue.clone(), Cover::new(requirement, scheduled)))
        })
        .collect();
    let parts: Vec<(Vec<usize>, Vec<Share>, Option<Cover>)> = queues
        .into_iter()
        .map(|(queue, members)| {
            let mut part: Vec<Share> = (0..agents.len()).map(|_| Share::default()).collect();
            for &k in &members {
                part[k] = std::mem::take(&mut shares[k]);
            }
            (members, part, covers.remove(&queue))
        })
        .collect();
    use rayon::prelude::*;
    let parts: Vec<(Vec<usize>, Vec<Share>)> = parts
        .into_par_iter()
        .map(|(members, part, cover)| {
            let mut swaps = Swaps {
                shares: part,
                agents,
                rules,
                days,
                long,
                weeks: weeks.clone(),
                cover,
            };
            swaps.lower_spread(&members, Keep::Preferences);
            // Passes 2 and 3 on a horizon of a few weeks only: a long one swaps whole weeks
            // between equal contracts, which pass 1 has tried already, and trying every pair
            // of a group again at the cost of starts took 10 s on 13 weeks of 250 agents for
            // no move.
            if !long {
                swaps.narrow_weekend_gaps(&members);
                swaps.lower_spread(&members, Keep::Fewer);
            }
            (members, swaps.shares)
        })
        .collect();
    for (members, mut part) in parts {
        for k in members {
            shares[k] = std::mem::take(&mut part[k]);
        }
    }
    roster.assignments = shares.into_iter().flat_map(|s| s.shifts).collect();
    roster.assignments.extend(stray);
    roster
        .assignments
        .sort_by_key(|a| (a.agent, a.start_minute));
}

/// What a swap may cost the two agents' preferences.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Keep {
    /// No more weighted preferences missed, starts and days off together.
    Preferences,
    /// No more preferred days off worked; preferred starts may be missed.
    DaysOff,
    /// Fewer weighted preferences missed.
    Fewer,
}

/// The agents' shares while their shifts are swapped.
struct Swaps<'a> {
    shares: Vec<Share>,
    agents: &'a [Agent],
    rules: &'a WorkRules,
    days: DayRange,
    /// A horizon rostered a week at a time: whole weeks only, between equal contracts.
    long: bool,
    /// The runs of calendar weeks tried.
    weeks: Vec<(usize, usize)>,
    /// The queue's coverage, for weeks moved where it leaves room; none for a roster of a
    /// plan's shifts, whose days are the plan's.
    cover: Option<Cover>,
}

impl Swaps<'_> {
    fn contract(&self, k: usize) -> f64 {
        self.agents[k]
            .contract_hours_per_week
            .unwrap_or(self.rules.contract_hours_per_week)
    }

    /// Whether `a` and `b` may swap at all: the same queue, and on a long horizon (whole
    /// weeks only, which would break one of two different contracts) the same contract.
    fn may_pair(&self, a: usize, b: usize) -> bool {
        self.shares[a].shifts[0].region == self.shares[b].shifts[0].region
            && (!self.long || self.contract(a) == self.contract(b))
    }

    /// The blocks of days `a` and `b` may swap.
    fn blocks(&self, a: usize, b: usize) -> Vec<(usize, usize)> {
        let mut blocks = self.weeks.clone();
        if !self.long {
            blocks.extend(stretch_blocks(&self.shares[a]));
            blocks.extend(stretch_blocks(&self.shares[b]));
        }
        blocks
    }

    /// Pass 1 (`keep` = `Preferences`): swaps that lower the sum of squares of nights and
    /// weekend days and keep every preference, until none is left. Pass 3 (`Fewer`): swaps
    /// that meet more preferences and keep that sum, to win back what pass 2 cost.
    fn lower_spread(&mut self, working: &[usize], keep: Keep) {
        let square = |x: i64| x * x;
        // Each agent's share changes only by a swap: a pair whose two shares are as they were
        // when it was last tried gives the same answers again, and is skipped (after the
        // first pass nearly every pair, as nearly every try fails on a rule).
        let mut version = vec![0u64; self.agents.len()];
        let mut tried: std::collections::HashMap<(usize, usize), (u64, u64)> = Default::default();
        for _ in 0..if self.long { LONG_PASSES } else { MAX_PASSES } {
            let mut swapped = false;
            for (i, &a) in working.iter().enumerate() {
                for &b in &working[i + 1..] {
                    if !self.may_pair(a, b) || tried.get(&(a, b)) == Some(&(version[a], version[b]))
                    {
                        continue;
                    }
                    for (from, to) in self.blocks(a, b) {
                        let (ta, tb) = (self.shares[a].totals(), self.shares[b].totals());
                        let (xa, xb) = (
                            self.shares[a].within(from, to),
                            self.shares[b].within(from, to),
                        );
                        // Nights' and weekend days' sums of squares, of the two agents.
                        let spread = |t: (i64, i64), u: (i64, i64)| {
                            (square(t.0) + square(u.0), square(t.1) + square(u.1))
                        };
                        let after = spread(
                            (ta.0 - xa.0 + xb.0, ta.1 - xa.1 + xb.1),
                            (tb.0 - xb.0 + xa.0, tb.1 - xb.1 + xa.1),
                        );
                        let before = spread(ta, tb);
                        let worth = match keep {
                            // Pass 3 may not widen either spread: the weekends pass 2
                            // narrowed stay so.
                            Keep::Fewer => after.0 <= before.0 && after.1 <= before.1,
                            _ => after.0 + after.1 < before.0 + before.1,
                        };
                        if !worth {
                            continue;
                        }
                        if self.try_swap((a, b), (from, to), keep) {
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
    }

    /// Pass 2: within each group of alike agents whose weekend-day gap is wider than allowed,
    /// moves weekend days from agents with most to agents with fewer, one swap at a time,
    /// until the gap is allowed or no swap keeps the rules and preferred days off.
    fn narrow_weekend_gaps(&mut self, working: &[usize]) {
        let allowed = weekend_gap_allowed(self.days.last - self.days.first + 1);
        let mut groups: BTreeMap<FairnessGroup, Vec<usize>> = BTreeMap::new();
        for &k in working {
            let queue = &self.shares[k].shifts[0].region;
            groups
                .entry(FairnessGroup::of(&self.agents[k], queue, self.rules))
                .or_default()
                .push(k);
        }
        for members in groups.values() {
            // Each move brings an agent with most weekend days down or one with fewest up, so
            // this ends; the cap only bounds the time on a group that keeps finding moves.
            for _ in 0..8 * members.len() + 16 {
                let weekends = |k: usize| self.shares[k].totals().1;
                let mut order = members.clone();
                order.sort_by_key(|&k| (weekends(k), k));
                let fewest = weekends(order[0]);
                if weekends(order[order.len() - 1]) - fewest <= allowed
                    || !(self.move_weekend(&order, fewest, allowed)
                        || self.move_days_off(&order, allowed))
                {
                    break;
                }
            }
        }
    }

    /// One swap moving weekend days from an agent of `order` (sorted by weekend days) with more
    /// than `fewest + allowed` to one with fewer; whether one was made. Of the swaps open to
    /// the agent with most, the one that misses fewest preferred starts is made.
    fn move_weekend(&mut self, order: &[usize], fewest: i64, allowed: i64) -> bool {
        for &most in order.iter().rev() {
            if self.shares[most].totals().1 - fewest <= allowed {
                return false;
            }
            let mut best: Option<(f64, usize, Share, Share)> = None;
            'partners: for &few in order {
                let gap = self.shares[most].totals().1 - self.shares[few].totals().1;
                if gap < 2 {
                    break;
                }
                if !self.may_pair(most, few) {
                    continue;
                }
                for (from, to) in self.blocks(most, few) {
                    let moved =
                        self.shares[most].within(from, to).1 - self.shares[few].within(from, to).1;
                    if moved <= 0 || moved >= gap {
                        continue;
                    }
                    let Some((new_most, new_few)) =
                        self.swapped((most, few), (from, to), Keep::DaysOff)
                    else {
                        continue;
                    };
                    let cost = new_most.missed_starts + new_few.missed_starts
                        - self.shares[most].missed_starts
                        - self.shares[few].missed_starts;
                    if best.as_ref().is_none_or(|b| cost < b.0 - 1e-9) {
                        let free = cost <= 1e-9;
                        best = Some((cost, few, new_most, new_few));
                        if free {
                            break 'partners;
                        }
                    }
                }
            }
            if let Some((_, few, new_most, new_few)) = best {
                self.shares[most] = new_most;
                self.shares[few] = new_few;
                return true;
            }
        }
        false
    }

    /// Pass 2's second move (`slack`): the days worked of an agent with too many weekend days
    /// moved within a run of weeks so they work fewer, or of one with too few so they work
    /// more, where the queue's requirement leaves room; whether a move was made. `order` is the
    /// group sorted by weekend days.
    fn move_days_off(&mut self, order: &[usize], allowed: i64) -> bool {
        if self.cover.is_none() {
            return false;
        }
        let weekends = |s: &Self, k: usize| s.shares[k].totals().1;
        let fewest = weekends(self, order[0]);
        let most = weekends(self, order[order.len() - 1]);
        let mean =
            order.iter().map(|&k| weekends(self, k)).sum::<i64>() as f64 / order.len() as f64;
        for &k in order.iter().rev() {
            if weekends(self, k) - fewest <= allowed {
                break;
            }
            if self.move_days(k, (fewest, weekends(self, k) - 1), (mean, order.len())) {
                return true;
            }
        }
        for &k in order {
            if most - weekends(self, k) <= allowed {
                break;
            }
            if self.move_days(k, (weekends(self, k) + 1, most), (mean, order.len())) {
                return true;
            }
        }
        false
    }

    /// Moves agent `k`'s days worked within a run of weeks (see `slack`) so that their weekend
    /// days fall within `range` and the spread of the `group` (its mean weekend days and
    /// size) narrows, nearest its mean first, where the queue's coverage leaves room
    /// and the move leaves no more single days off (under `consecutive_days_off`), breaks no
    /// rule more often, adds no note and misses no more preferences. Runs with a shift in
    /// another queue, or two on a day, are left. Whether a move was made.
    fn move_days(&mut self, k: usize, range: (i64, i64), group: (f64, usize)) -> bool {
        let Some(cover) = &self.cover else {
            return false;
        };
        let old = &self.shares[k];
        let weekends = old.totals().1;
        let first_day = self.days.first;
        let weeks = single_weeks(self.days);
        let day = |a: &Assignment| time::day_of_minute(a.start_minute) - first_day;
        let mut candidates: Vec<slack::DaysMove> = Vec::new();
        // New days copy only this queue's shifts: one lent to another queue would move work
        // there, where no coverage is checked.
        let own_queue: Vec<Assignment> = (old.shifts.iter())
            .filter(|a| a.region == cover.region)
            .cloned()
            .collect();
        for (from, to) in slack::runs(&weeks) {
            let run: Vec<&Assignment> = (old.shifts.iter())
                .filter(|a| (from as i64..to as i64).contains(&day(a)))
                .collect();
            let one_a_day = (from..to).filter(|&i| old.works[i]).count() == run.len();
            if run.is_empty() || !one_a_day || run.iter().any(|a| a.region != cover.region) {
                continue;
            }
            candidates.extend(
                run_moves(&own_queue, (from, to), &weeks, first_day)
                    .into_iter()
                    .filter(|m| {
                        (range.0..=range.1).contains(&(weekends + m.weekend_change))
                            && narrows(weekends, m.weekend_change, group)
                    }),
            );
        }
        let mean = group.0;
        let distance = |m: &slack::DaysMove| ((weekends + m.weekend_change) as f64 - mean).abs();
        candidates.sort_by(|a, b| {
            distance(a)
                .total_cmp(&distance(b))
                .then(a.removed.len().cmp(&b.removed.len()))
        });
        // Days off side by side are tested first on the days alone: most weekday sets fail it.
        let single_now = single_days_off(&old.works);
        let single_after = |m: &slack::DaysMove| {
            let mut works = old.works.clone();
            for (shifts, worked) in [(&m.removed, false), (&m.added, true)] {
                for a in shifts {
                    if let Ok(i) = usize::try_from(day(a)) {
                        works[i] = worked;
                    }
                }
            }
            single_days_off(&works)
        };
        for candidate in candidates {
            let blocks_kept =
                !self.rules.consecutive_days_off || single_after(&candidate) <= single_now;
            // A day moved where nothing is required (a closed day, or past the queue's
            // dates) would keep coverage and be paid for nothing.
            let where_required = (candidate.added.iter()).all(|a| cover.works_where_required(a));
            if !blocks_kept || !where_required || !cover.keeps(&candidate.removed, &candidate.added)
            {
                continue;
            }
            let shifts: Vec<Assignment> = (old.shifts.iter())
                .filter(|a| !candidate.removed.contains(a))
                .chain(&candidate.added)
                .cloned()
                .collect();
            let new = share(k, &self.agents[k], shifts, self.rules, self.days);
            if no_more_violations(&new, old)
                && new.notes <= old.notes
                && new.missed_days_off <= old.missed_days_off + 1e-9
                && new.missed_starts <= old.missed_starts + 1e-9
                && new.totals().0 == old.totals().0
            {
                if let Some(cover) = self.cover.as_mut() {
                    cover.apply(&candidate.removed, &candidate.added);
                }
                self.shares[k] = new;
                return true;
            }
        }
        false
    }

    /// Whether agent `k`, working `other`'s days of `block` instead of their own, breaks the
    /// rules of consecutive days, days off a week and weekly hours no more often than now: a
    /// quick test before `share` weighs a swap in full (most swaps tried fail on these). It
    /// turns down only what `share` would: where its count of a rule differs from `share`'s
    /// for the roster as it is (shifts outside the horizon), or the agent has dated time off
    /// (paid hours the weekly test counts), that rule passes here.
    fn keeps_week_rules(&self, k: usize, other: usize, block: std::ops::Range<usize>) -> bool {
        let (mine, theirs, rules) = (&self.shares[k], &self.shares[other], self.rules);
        let len = mine.works.len();
        let works = |i: usize| match block.contains(&i) {
            true => theirs.works[i],
            false => mine.works[i],
        };
        let hours = |i: usize| match block.contains(&i) {
            true => theirs.day_hours[i],
            false => mine.day_hours[i],
        };
        let known = |rule: Rule| mine.violations.get(&rule).copied().unwrap_or(0);
        let max_run = rules.max_consecutive_days as usize;
        let runs_over = |works: &dyn Fn(usize) -> bool| {
            let (mut over, mut run) = (0, 0);
            for i in 0..len {
                run = if works(i) { run + 1 } else { 0 };
                over += usize::from(run == max_run + 1);
            }
            over
        };
        let before = runs_over(&|i| mine.works[i]);
        if before == known(Rule::MaxConsecutiveDays) && runs_over(&works) > before {
            return false;
        }
        // Calendar weeks from the Monday on or before the horizon's first day, as `verify`.
        let offset = time::weekday_of_minute(self.days.first * MINUTES_PER_DAY);
        let contract = self.contract(k);
        let (high, low) = (
            contract * (1.0 + rules.hours_tolerance) + 1e-9,
            contract * (1.0 - rules.hours_tolerance),
        );
        // Per rule: weeks with too few days off, weeks outside the hours.
        let week_counts = |works: &dyn Fn(usize) -> bool, hours: &dyn Fn(usize) -> f64| {
            let (mut days_off, mut out_of_hours) = (0, 0);
            let mut monday = 0;
            while monday < len + offset {
                let days = monday.saturating_sub(offset)..(monday + 7 - offset).min(len);
                let worked = days.clone().filter(|&i| works(i)).count() as u32;
                let sum: f64 = days.clone().map(hours).sum();
                let whole = monday >= offset && monday + 7 - offset <= len;
                days_off += usize::from(worked + rules.min_days_off_per_week > 7);
                out_of_hours += usize::from(sum > high);
                out_of_hours += usize::from(whole && worked > 0 && sum + 1e-9 < low);
                monday += 7;
            }
            (days_off, out_of_hours)
        };
        let (days_off, out_of_hours) = week_counts(&|i| mine.works[i], &|i| mine.day_hours[i]);
        let (days_off_after, out_of_hours_after) = week_counts(&works, &hours);
        let leave = !self.agents[k].time_off.is_empty();
        !(days_off == known(Rule::MinDaysOffPerWeek) && days_off_after > days_off
            || !leave
                && out_of_hours == known(Rule::HoursTolerance)
                && out_of_hours_after > out_of_hours)
    }

    /// Whether agents `a` and `b`, each working the other's days of `block`, have no more single
    /// days off between them than now (under `consecutive_days_off`, as `share` counts them:
    /// not their own days off nor days of time off): a quick test before `share`, which most
    /// swaps of a week fail. Where its count differs from `share`'s for the roster as it is
    /// (shifts outside the horizon), it passes.
    fn keeps_days_off_together(
        &self,
        (a, b): (usize, usize),
        block: std::ops::Range<usize>,
    ) -> bool {
        if !self.rules.consecutive_days_off {
            return true;
        }
        let first = self.days.first;
        let single = |k: usize, works: &dyn Fn(usize) -> bool| -> usize {
            let agent = &self.agents[k];
            let len = self.shares[k].works.len();
            (1..len.saturating_sub(1))
                .filter(|&i| !works(i) && works(i - 1) && works(i + 1))
                .filter(|&i| !agent.own_day_off(first + i as i64))
                .count()
        };
        let (mine, theirs) = (&self.shares[a].works, &self.shares[b].works);
        let now = single(a, &|i| mine[i]) + single(b, &|i| theirs[i]);
        if now != self.shares[a].single_days_off + self.shares[b].single_days_off {
            return true;
        }
        let a_after = |i: usize| {
            if block.contains(&i) {
                theirs[i]
            } else {
                mine[i]
            }
        };
        let b_after = |i: usize| {
            if block.contains(&i) {
                mine[i]
            } else {
                theirs[i]
            }
        };
        single(a, &a_after) + single(b, &b_after) <= now
    }

    /// Swaps agents `a` and `b`'s shifts on horizon days `from..to` if that keeps the rules,
    /// the notes and the preferences `keep` names (see the module notes); whether it did.
    fn try_swap(&mut self, pair: (usize, usize), block: (usize, usize), keep: Keep) -> bool {
        match self.swapped(pair, block, keep) {
            Some((new_a, new_b)) => {
                self.shares[pair.0] = new_a;
                self.shares[pair.1] = new_b;
                true
            }
            None => false,
        }
    }

    /// Agents `a` and `b`'s shares with their shifts on horizon days `from..to` swapped, if
    /// that keeps the rules, the notes and the preferences `keep` names.
    fn swapped(
        &self,
        (a, b): (usize, usize),
        (from, to): (usize, usize),
        keep: Keep,
    ) -> Option<(Share, Share)> {
        if !self.keeps_week_rules(a, b, from..to)
            || !self.keeps_week_rules(b, a, from..to)
            || !self.keeps_days_off_together((a, b), from..to)
        {
            return None;
        }
        self.weighed((a, b), (from, to), keep)
    }

    /// `swapped` without the quick test first: every rule, note and preference weighed.
    fn weighed(
        &self,
        (a, b): (usize, usize),
        (from, to): (usize, usize),
        keep: Keep,
    ) -> Option<(Share, Share)> {
        let (agents, rules, days, shares) = (self.agents, self.rules, self.days, &self.shares);
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
        // A swap may not break a rule more often than before (one that held, or one the
        // roster already broke), whatever else it mends.
        if !no_more_violations(&new_a, &shares[a]) {
            return None;
        }
        let new_b = share(
            b,
            &agents[b],
            moved(&shares[b].shifts, &shares[a].shifts, b),
            rules,
            days,
        );
        let missed = |x: &Share| match keep {
            Keep::Preferences | Keep::Fewer => x.missed_starts + x.missed_days_off,
            Keep::DaysOff => x.missed_days_off,
        };
        let slack = if keep == Keep::Fewer { -1e-9 } else { 1e-9 };
        let keeps = no_more_violations(&new_b, &shares[b])
            && new_a.notes + new_b.notes <= shares[a].notes + shares[b].notes
            && new_a.single_days_off + new_b.single_days_off
                <= shares[a].single_days_off + shares[b].single_days_off
            && missed(&new_a) + missed(&new_b) <= missed(&shares[a]) + missed(&shares[b]) + slack
            && !new_a.shifts.is_empty()
            && !new_b.shifts.is_empty();
        keeps.then_some((new_a, new_b))
    }
}

/// Whether one agent of a group (`mean` weekend days, `size` agents) working `change` more
/// weekend days than their `weekends` lowers the group's sum of squared distances to its mean
/// (by 2·change·(weekends − mean) + change²·(1 − 1/size); the mean moves too).
fn narrows(weekends: i64, change: i64, (mean, size): (f64, usize)) -> bool {
    let change = change as f64;
    2.0 * change * (weekends as f64 - mean) + change * change * (1.0 - 1.0 / size as f64) < -1e-9
}

/// Whether `new` breaks no rule more often than `old`.
fn no_more_violations(new: &Share, old: &Share) -> bool {
    new.violations
        .iter()
        .all(|(rule, n)| *n <= old.violations.get(rule).copied().unwrap_or(0))
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
        on_days(k, start_hour, hours, |weekday| weekday < 5)
    }

    /// The days of four weeks whose weekday (0 = Monday) `works`, for agent `k`.
    fn on_days(k: usize, start_hour: i64, hours: i64, works: fn(i64) -> bool) -> Vec<Assignment> {
        (0..28)
            .filter(|d| works(d % 7))
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
            ..Default::default()
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
        share_nights_and_weekends(&mut r, &staff, &rules, DAYS, &[]);
        assert_eq!((nights(&r, &rules, 0), nights(&r, &rules, 1)), (10, 10));
        assert_eq!(shifts_worked(&r), before, "coverage is unchanged");
        let broken = crate::roster::violations(&r, &staff, &rules, DAYS);
        assert!(broken.is_empty(), "{broken:?}");
        let mut again = roster(vec![weekdays(0, 22, 8), weekdays(1, 8, 8)]);
        share_nights_and_weekends(&mut again, &staff, &rules, DAYS, &[]);
        assert_eq!(again, r, "the same roster comes out");
    }

    #[test]
    fn an_agent_who_asks_for_nights_keeps_them() {
        let rules = WorkRules::default();
        let mut staff = [agent(0, 40.0), agent(1, 40.0)];
        staff[0].preferred_start_minute = Some(22 * 60);
        let mut r = roster(vec![weekdays(0, 22, 8), weekdays(1, 8, 8)]);
        share_nights_and_weekends(&mut r, &staff, &rules, DAYS, &[]);
        assert_eq!((nights(&r, &rules, 0), nights(&r, &rules, 1)), (20, 0));
    }

    fn weekend_days(roster: &Roster, k: usize) -> usize {
        roster
            .assignments
            .iter()
            .filter(|a| a.agent == k && time::weekday_of_minute(a.start_minute) >= 5)
            .count()
    }

    /// Two agents of 40 h, each preferring their own start: agent 0 at 08:00, agent 1 at
    /// 14:00.
    fn staff_of_both() -> [Agent; 2] {
        let mut staff = [agent(0, 40.0), agent(1, 40.0)];
        staff[0].preferred_start_minute = Some(8 * 60);
        staff[1].preferred_start_minute = Some(14 * 60);
        staff
    }

    /// Agent 0 Monday to Friday at 08:00, agent 1 Tuesday to Saturday at 14:00.
    fn shifts_of_both() -> Vec<Vec<Assignment>> {
        vec![
            weekdays(0, 8, 8),
            on_days(1, 14, 8, |weekday| (1..=5).contains(&weekday)),
        ]
    }

    #[test]
    fn weekends_are_evened_out_within_a_group_even_at_the_cost_of_preferred_starts() {
        // Both 40 h in one queue: agent 0 works Monday to Friday at 08:00 (no weekend day),
        // agent 1 Tuesday to Saturday at 14:00 (4 Saturdays). Each prefers their own start,
        // so no swap keeps every preference; but a gap of 4 weekend days over 4 weeks is
        // more than 2, so Monday-to-Saturday blocks between their common Sundays off move.
        // That leaves a single Sunday off between weeks, so only where the rules allow it
        // (`consecutive_days_off = false`); under the default rules nothing moves.
        let default = WorkRules::default();
        let mut kept = roster(shifts_of_both());
        finish(&mut kept, &staff_of_both(), &default, DAYS, &[]);
        assert_eq!((weekend_days(&kept, 0), weekend_days(&kept, 1)), (0, 4));
        assert!(kept.notes.is_empty(), "{:?}", kept.notes);
        let rules = WorkRules {
            consecutive_days_off: false,
            ..WorkRules::default()
        };
        let mut staff = staff_of_both();
        let mut r = roster(shifts_of_both());
        let before = shifts_worked(&r);
        finish(&mut r, &staff, &rules, DAYS, &[]);
        let (w0, w1) = (weekend_days(&r, 0), weekend_days(&r, 1));
        assert!(w0.abs_diff(w1) <= 2 && w0 + w1 == 4, "{w0} and {w1}");
        assert_eq!(shifts_worked(&r), before, "coverage is unchanged");
        let broken = crate::roster::violations(&r, &staff, &rules, DAYS);
        assert!(broken.is_empty(), "{broken:?}");
        assert_eq!(r.before_sharing, Some(vec![(0, 0), (0, 4)]));
        let spread = spreads(&r, &staff, &rules, r.before_sharing.as_ref().unwrap());
        assert_eq!(spread.len(), 1, "one group");
        assert_eq!(spread[0].weekend_gap_before(), 4);
        assert!(spread[0].weekend_gap_after() <= 2);

        // A Saturday wished off is a preferred day off, which no swap may cost: agent 0 is
        // in a group of their own, and keeps their weekends free.
        staff[0].preferred_days_off = 1 << 5;
        let mut r = roster(shifts_of_both());
        finish(&mut r, &staff, &rules, DAYS, &[]);
        assert_eq!((weekend_days(&r, 0), weekend_days(&r, 1)), (0, 4));
    }

    #[test]
    fn days_off_move_where_the_requirement_leaves_room_and_nowhere_else() {
        // Four days of 10 h: agent 0 Thursday to Sunday (8 weekend days), agent 1 Monday to
        // Thursday (none). No swap keeps five days in a row at most and each week's hours.
        let rules = WorkRules::default();
        let staff = [agent(0, 40.0), agent(1, 40.0)];
        let weekends = |r: &Roster| (weekend_days(r, 0), weekend_days(r, 1));
        // `per_day[weekday]` agents required 08:00–18:00.
        let requirement = |per_day: [u32; 7]| Requirement {
            region: "north".into(),
            start_minute: MONDAY * MINUTES_PER_DAY,
            interval_minutes: 60,
            required: (0..28 * 24)
                .map(|t| per_day[(t / 24) % 7] * u32::from((8..18).contains(&(t % 24))))
                .collect(),
        };
        // The roster shared out against `required`, checked: rules, coverage, days worked.
        let shared = |required: &[Requirement]| {
            let mut r = roster(vec![
                on_days(0, 8, 10, |weekday| weekday >= 3),
                on_days(1, 8, 10, |weekday| weekday <= 3),
            ]);
            let coverage: Vec<QueueCoverage> = (required.iter())
                .map(|req| {
                    let working = agents_working(req, &r.assignments);
                    (req.clone(), working.iter().map(|&n| n as u32).collect())
                })
                .collect();
            finish(&mut r, &staff, &rules, DAYS, &coverage);
            let broken = crate::roster::violations(&r, &staff, &rules, DAYS);
            assert!(broken.is_empty(), "{broken:?}");
            for req in required {
                let mut covered = vec![0u32; req.len()];
                for a in &r.assignments {
                    for (t, slot) in covered.iter_mut().enumerate() {
                        *slot += u32::from((a.start_minute..a.end_minute).contains(&req.minute(t)));
                    }
                }
                assert!(covered.iter().zip(&req.required).all(|(c, r)| c >= r));
            }
            let days_worked = |k: usize| r.assignments.iter().filter(|a| a.agent == k).count();
            assert_eq!((days_worked(0), days_worked(1)), (16, 16), "hours kept");
            r
        };

        // Without the requirement (a roster of a plan's shifts), nothing can move.
        assert_eq!(weekends(&shared(&[])), (8, 0));
        // One agent required on weekdays and none at weekends: agent 0's first weeks move to
        // Monday–Thursday, and each week is still covered.
        let (w0, w1) = weekends(&shared(&[requirement([1, 1, 1, 1, 1, 0, 0])]));
        assert!(w0.abs_diff(w1) <= 2, "{w0} and {w1}");
        // One every day: agent 1 takes Sundays (Sunday to Wednesday), then agent 0 may leave
        // them (Wednesday to Saturday).
        let (w0, w1) = weekends(&shared(&[requirement([1; 7])]));
        assert!(w0.abs_diff(w1) <= 2, "{w0} and {w1}");
        // Two on Thursdays as well: agent 1 may not leave Thursdays, so nothing moves.
        let r = shared(&[requirement([1, 1, 1, 2, 1, 1, 1])]);
        assert_eq!(weekends(&r), (8, 0));
        // Closed on Wednesdays and from Friday: a day moved to a Wednesday would keep coverage
        // and be paid for nothing, so the Wednesdays worked stay agent 1's four (swaps may
        // hand them to agent 0).
        let r = shared(&[requirement([1, 1, 0, 1, 0, 0, 0])]);
        let wednesday = |a: &&Assignment| time::weekday_of_minute(a.start_minute) == 2;
        assert_eq!(r.assignments.iter().filter(wednesday).count(), 4);
    }

    #[test]
    fn the_quick_test_turns_down_only_swaps_the_full_check_would() {
        // Agents of 20, 30 and 40 h on shifts of 4, 8 and 10 h at several starts and days,
        // one with a fixed day off and two with dated time off (one of them on a day they
        // would work): every block of every pair, each way of keeping preferences.
        let rules = WorkRules::default();
        let mut staff: Vec<Agent> = (0..9)
            .map(|k| agent(k, [40.0, 40.0, 30.0, 20.0, 40.0, 40.0, 40.0, 40.0, 40.0][k]))
            .collect();
        staff[4].days_off = 1 << 2;
        let day = |d: i64| {
            (
                (MONDAY + d) * MINUTES_PER_DAY,
                (MONDAY + d + 1) * MINUTES_PER_DAY,
            )
        };
        staff[5].time_off = vec![day(9)];
        staff[8].time_off = vec![day(15), day(16)];
        let shifts = vec![
            weekdays(0, 8, 8),
            on_days(1, 14, 8, |d| (2..7).contains(&d)),
            on_days(2, 6, 10, |d| d == 0 || d == 3 || d == 5),
            on_days(3, 18, 4, |d| (1..6).contains(&d)),
            on_days(4, 22, 8, |d| d != 2 && d != 3),
            on_days(5, 9, 10, |d| (3..7).contains(&d)),
            on_days(6, 8, 8, |d| d != 5 && d != 6),
            on_days(7, 8, 8, |d| d != 0 && d != 1),
            on_days(8, 8, 8, |d| d != 3 && d != 4),
        ];
        let len = shifts.len();
        let list: Vec<Share> = (shifts.into_iter().enumerate())
            .map(|(k, list)| share(k, &staff[k], list, &rules, DAYS))
            .collect();
        let swaps = Swaps {
            shares: list,
            agents: &staff,
            rules: &rules,
            days: DAYS,
            long: false,
            weeks: week_blocks(DAYS),
            cover: None,
        };
        let (mut turned_down, mut accepted, mut tried) = (0, 0, 0);
        for a in 0..len {
            for b in a + 1..len {
                for (from, to) in swaps.blocks(a, b) {
                    for keep in [Keep::Preferences, Keep::DaysOff, Keep::Fewer] {
                        tried += 1;
                        let quick = swaps.keeps_week_rules(a, b, from..to)
                            && swaps.keeps_week_rules(b, a, from..to);
                        let full = swaps.weighed((a, b), (from, to), keep).is_some();
                        assert!(quick || !full, "{a} {b} {from}..{to} {keep:?}");
                        turned_down += usize::from(!quick);
                        accepted += usize::from(full);
                    }
                }
            }
        }
        // Both kinds are many, so the test can fail either way.
        assert!(
            turned_down > tried / 4,
            "{turned_down} of {tried} turned down"
        );
        assert!(accepted > 20, "{accepted} of {tried} accepted");
    }

    #[test]
    fn no_swap_breaks_a_rule_that_held() {
        // A part-timer's 4-hour evenings would break both contracts' weekly hours if swapped.
        let rules = WorkRules::default();
        let staff = [agent(0, 20.0), agent(1, 40.0)];
        let mut r = roster(vec![weekdays(0, 20, 4), weekdays(1, 8, 8)]);
        let before = r.clone();
        share_nights_and_weekends(&mut r, &staff, &rules, DAYS, &[]);
        assert_eq!(r, before);
        // Nor one into a requested day off: agent 1 may not work Mondays.
        let mut staff = [agent(0, 40.0), agent(1, 40.0)];
        staff[1].days_off = 0b1;
        let mut r = roster(vec![weekdays(0, 22, 8), {
            let mut week = weekdays(1, 8, 8);
            week.retain(|a| time::weekday_of_minute(a.start_minute) != 0);
            week
        }]);
        share_nights_and_weekends(&mut r, &staff, &rules, DAYS, &[]);
        let broken = crate::roster::violations(&r, &staff, &rules, DAYS);
        assert!(
            broken.iter().all(|v| v.rule == Rule::HoursTolerance),
            "{broken:?}"
        );
    }
}
