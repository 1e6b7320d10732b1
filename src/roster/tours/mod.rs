//! Rostering straight from a requirement with weekly tours, so that the shifts planned are
//! shifts people can work.
//!
//! A tour is one agent's month: a days-off pattern kept every week (two consecutive weekdays
//! by default, so no stretch is longer than five days and every calendar week has two days
//! off) and, for each stretch of working days between days off, one shift of the day worked
//! every day of the stretch (stable starts; rest = 24 h − shift length ≥ 11 h; a new start
//! only after days off). Weekly hours are the days worked a week × the shift's paid hours, so a
//! tour is only built of shift lengths that meet the agent's contract within the tolerance.
//!
//! The problem is the tour-scheduling model of Bailey (1985) and Jarrah, Bard & deSilva (1994),
//! solved as follows:
//! 1. a greedy cover (the tour that fills most, until nothing coverable is short);
//! 2. the LP relaxation in its compact form (`compact`): per shape (pattern × contract) the
//!    agents, and per stretch how many of them work each shift, solved by interior point; its
//!    optimum is the tour bound, and its point is split into weighted tours. Should the
//!    interior point fail, column generation (`search`) builds the LP tour by tour instead;
//! 3. the simplex over those tours and the greedy ones, then whole tours three ways (diving,
//!    the LP rounded down, rounded to the nearest), each repaired and improved by local search
//!    (a stretch moved to the shift that fills most, a tour dropped when the others can take
//!    its work over); the fewest tours win, and within a shape starts are handed out in order;
//! 4. tours matched to named agents (`matching`: contract, days off, start and end limits,
//!    preferences); a tour no agent can take is a hire, reported with its days and hours;
//! 5. nights and weekends shared out (`roster::fairness`) when the rules ask for it.
//!
//! A second, looser bound (`bound`) is the LP relaxation of a model where agents may work any
//! day and any template shift, with at most five days in any six, at most 7 − days off days in
//! a calendar week, one shift a day and the weekly hours ceiling. Every roster under the rules
//! is a solution of it, so no roster has fewer agents, tours or not.

mod bound;
mod compact;
mod matching;
mod search;

use bound::lower_bound;
use matching::{match_agents, Chain, Matched, Seam};
use search::{align_starts, column_generation, greedy_cover, local_search, CoverState};

use super::agents::Agent;
use super::assignments::{Assignment, Roster, Unassigned};
use super::rules::WorkRules;
use crate::schedule::{Requirement, ShiftTemplates};
use crate::time::{self, MINUTES_PER_DAY};

/// A shift of the day: when it starts, how long it runs and where its break is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayShift {
    pub start_minute_of_day: i64,
    pub length_minutes: i64,
    /// `(minutes after the start, minutes)` of the unpaid break.
    pub break_at: Option<(i64, i64)>,
    pub paid_hours: f64,
}

impl DayShift {
    /// Whether the agent works (is on shift and not on break) at `offset` minutes after the start.
    fn works_at(&self, offset: i64) -> bool {
        (0..self.length_minutes).contains(&offset)
            && self
                .break_at
                .is_none_or(|(b, l)| offset < b || offset >= b + l)
    }
}

/// Weekdays off (bit 0 = Monday), kept every week.
type DaysOff = u8;

fn days_off_count(pattern: DaysOff) -> u32 {
    pattern.count_ones()
}

/// Longest run of working days of a weekly pattern, around the week.
fn longest_run(pattern: DaysOff) -> u32 {
    if pattern == 0 {
        return u32::MAX;
    }
    let (mut best, mut run) = (0, 0);
    for k in 0..14 {
        if pattern & (1 << (k % 7)) == 0 {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// The days-off patterns a roster may use: every rotation of `k` consecutive days off, where
/// `k` is the rules' days off (more if the longest stretch allows fewer than 7 − days off),
/// and every agent's own requested days off where no such pattern contains them.
fn patterns(rules: &WorkRules, agents: &[&Agent]) -> Vec<DaysOff> {
    let k = rules
        .min_days_off_per_week
        .max(7u32.saturating_sub(rules.max_consecutive_days))
        .clamp(1, 6);
    let rotations = |k: u32| {
        let block = (1u16 << k) - 1;
        (0..7).map(move |r| ((block << r | block << r >> 7) & 0x7f) as u8)
    };
    let mut out: Vec<DaysOff> = rotations(k).collect();
    for longer in k + 1..=rules.max_days_off_per_week.clamp(k, 6) {
        out.extend(rotations(longer));
    }
    for a in agents {
        let own = a.days_off;
        if own != 0 && !out.iter().any(|&p| p & own == own) {
            let fits = days_off_count(own) >= rules.min_days_off_per_week
                && longest_run(own) <= rules.max_consecutive_days;
            if fits && !out.contains(&own) {
                out.push(own);
            }
        }
    }
    out
}

/// The shifts of a day the templates allow for rostering: every start, every length no longer
/// than 24 h − rest (a shift worked every day of a stretch leaves the rest between them), and
/// the earliest, middle and latest break.
pub fn day_shifts(
    templates: &ShiftTemplates,
    interval_minutes: u32,
    rules: &WorkRules,
) -> Vec<DayShift> {
    let d = interval_minutes as i64;
    let longest = MINUTES_PER_DAY - (rules.min_rest_hours * 60.0).round() as i64;
    let mut out = Vec::new();
    for start in (0..MINUTES_PER_DAY).step_by(d as usize) {
        if !templates.may_start(start as u32) {
            continue;
        }
        for &hours in &templates.lengths_hours {
            let length = (hours * 60.0).round() as i64;
            if length <= 0 || length > longest || length % d != 0 {
                continue;
            }
            let breaks: Vec<Option<(i64, i64)>> = match &templates.break_rule {
                Some(b) if hours >= b.min_shift_hours => {
                    let offsets: Vec<i64> = (b.earliest_after_start_minutes
                        ..=b.latest_after_start_minutes)
                        .step_by(b.step_minutes.max(1) as usize)
                        .map(|o| o as i64)
                        .filter(|o| o + b.minutes as i64 <= length)
                        .collect();
                    let mut picks: Vec<i64> =
                        [0, offsets.len() / 2, offsets.len().saturating_sub(1)]
                            .iter()
                            .filter_map(|&i| offsets.get(i).copied())
                            .collect();
                    picks.dedup();
                    picks
                        .into_iter()
                        .map(|o| Some((o, b.minutes as i64)))
                        .collect()
                }
                _ => vec![None],
            };
            for break_at in breaks {
                let unpaid = break_at.map_or(0, |(_, l)| l);
                out.push(DayShift {
                    start_minute_of_day: start,
                    length_minutes: length,
                    break_at,
                    paid_hours: (length - unpaid) as f64 / 60.0,
                });
            }
        }
    }
    out
}

/// The horizon in days and intervals, and which intervals a shift worked on a day covers.
#[derive(Clone)]
pub(super) struct Horizon {
    /// Day number of the first day the requirement touches.
    first_day: i64,
    days: usize,
    start_minute: i64,
    interval_minutes: i64,
    required: Vec<u32>,
}

impl Horizon {
    fn new(req: &Requirement) -> Self {
        let d = req.interval_minutes as i64;
        let first_day = time::day_of_minute(req.start_minute);
        let last_day = time::day_of_minute(req.minute(req.len().max(1) - 1));
        Horizon {
            first_day,
            days: (last_day - first_day + 1).max(0) as usize,
            start_minute: req.start_minute,
            interval_minutes: d,
            required: req.required.clone(),
        }
    }

    fn weekday(&self, day: usize) -> usize {
        time::weekday_of_minute((self.first_day + day as i64) * MINUTES_PER_DAY)
    }

    /// The intervals of the requirement that `shift` worked on horizon day `day` covers (no
    /// wrap: intervals past the end are not covered).
    fn covered(&self, shift: &DayShift, day: usize) -> impl Iterator<Item = usize> + '_ {
        let start = (self.first_day + day as i64) * MINUTES_PER_DAY + shift.start_minute_of_day;
        let d = self.interval_minutes;
        let n = self.required.len() as i64;
        let shift = *shift;
        (0..shift.length_minutes / d).filter_map(move |k| {
            let t = (start + k * d - self.start_minute).div_euclid(d);
            (shift.works_at(k * d) && (0..n).contains(&t)).then_some(t as usize)
        })
    }
}

/// Runs of consecutive working days of a pattern within the horizon.
fn stretches(horizon: &Horizon, pattern: DaysOff) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for day in 0..horizon.days {
        if pattern & (1 << horizon.weekday(day)) == 0 {
            current.push(day);
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// One agent's month: pattern, contract class and the shift of each stretch.
#[derive(Debug, Clone, PartialEq)]
pub struct Tour {
    pub pattern: DaysOff,
    /// Contracted hours a week of the agents who may work it.
    pub contract_hours: f64,
    /// Per stretch of the pattern: its days and the shift (index into the day shifts).
    pub stretches: Vec<(Vec<usize>, usize)>,
}

/// A tour shape: pattern × contract, with its stretches and the shifts that meet the contract.
pub(super) struct Shape {
    pattern: DaysOff,
    class: usize,
    stretches: Vec<Vec<usize>>,
    shifts: Vec<usize>,
}

/// The tour roster of one region.
#[derive(Debug, Clone)]
pub struct TourRoster {
    pub tours: Vec<Tour>,
    /// For each tour, the agent (index into the agents given) who works it; `None` for a hire.
    pub agent_of: Vec<Option<usize>>,
    /// Agents working at each interval of the requirement.
    pub scheduled: Vec<u32>,
    /// No roster under the rules has fewer agents (see the module notes).
    pub lower_bound: usize,
    /// No roster of weekly tours has fewer agents: the tour LP rounded up (the most of any
    /// block's, for a horizon solved a week at a time).
    pub tour_bound: usize,
    /// The block (0 for a horizon solved in one piece, else its calendar week from the first)
    /// of each tour.
    pub block_of: Vec<usize>,
    /// People: the agents of the file who work any block, and the hires.
    pub headcount: usize,
    /// Hires: the most tours of any one block that no agent of the file may work.
    pub hires: usize,
    /// Intervals (indices into the requirement) that no tour can cover under these rules and
    /// templates, hires included.
    pub uncovered: Vec<usize>,
}

/// What may not be rostered: a contract no template length meets in a pattern's week.
fn fits_contract(paid_hours: f64, days_a_week: u32, contract: f64, rules: &WorkRules) -> bool {
    let week = paid_hours * days_a_week as f64;
    week >= contract * (1.0 - rules.hours_tolerance) - 1e-9
        && week <= contract * (1.0 + rules.hours_tolerance) + 1e-9
}

/// A guard on any one LP: past it the search goes on from what it has (a greedy cover, or no
/// bound), which no input seen so far comes near (the largest solve is under a second).
const LP_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Tours the column generation may generate per region before it stops with Farley's bound:
/// a count, not a time, so that the same input always gives the same roster. Re-solves grow
/// with the tours, and sparse 24-hour queues converge slowly (40 rounds took 75 s on the 911
/// log's three queues).
const COLUMN_GENERATION_TOURS: usize = 700;

/// The `cap` shift types to keep of those the tours work (`worked`: days per type): first, while
/// some time of day that is ever required is worked by no kept type, the type that works most
/// such times (then the most worked); then the most worked. Only a type the tours already work
/// can be kept, so a time of day none of them covers on the same day stays uncovered and is
/// reported.
fn capped_shift_types(
    horizon: &Horizon,
    shifts: &[DayShift],
    worked: &[usize],
    cap: usize,
) -> Vec<usize> {
    let d = horizon.interval_minutes;
    let per_day = (MINUTES_PER_DAY / d) as usize;
    let mut needed = vec![false; per_day];
    for (t, &r) in horizon.required.iter().enumerate() {
        if r > 0 {
            let minute = horizon.start_minute + t as i64 * d;
            needed[(minute.rem_euclid(MINUTES_PER_DAY) / d) as usize] = true;
        }
    }
    // Times of the day a type works before midnight: the first day of a dated horizon has no
    // night shift from the day before, so its small hours need a type that starts that day.
    let slots = |s: usize| -> Vec<usize> {
        let shift = &shifts[s];
        (0..shift.length_minutes / d)
            .filter(|k| {
                shift.works_at(k * d) && shift.start_minute_of_day + k * d < MINUTES_PER_DAY
            })
            .map(|k| ((shift.start_minute_of_day + k * d) / d) as usize)
            .collect()
    };
    let mut candidates: Vec<usize> = (0..shifts.len()).filter(|&s| worked[s] > 0).collect();
    candidates.sort_by_key(|&s| (std::cmp::Reverse(worked[s]), s));
    let mut kept: Vec<usize> = Vec::new();
    while kept.len() < cap {
        let best = candidates
            .iter()
            .filter(|s| !kept.contains(s))
            .map(|&s| (slots(s).iter().filter(|&&o| needed[o]).count(), s))
            .max_by_key(|&(n, s)| {
                (
                    n,
                    std::cmp::Reverse(candidates.iter().position(|&c| c == s)),
                )
            });
        match best {
            Some((n, s)) if n > 0 => {
                for o in slots(s) {
                    needed[o] = false;
                }
                kept.push(s);
            }
            _ => break,
        }
    }
    for &s in &candidates {
        if kept.len() >= cap {
            break;
        }
        if !kept.contains(&s) {
            kept.push(s);
        }
    }
    kept
}

/// Tours (with their counts) at which the local search works on all of them; above it, each
/// tour keeps its share of this many for the search and the rest are fixed as the LP gave them,
/// so that a requirement of thousands of agents is searched by shape, not agent by agent. No
/// roster seen so far comes near it (the bank's busiest month at ×2 has 66 tours).
const LOCAL_SEARCH_TOURS: usize = 400;

/// Adds `counts` (tours and how many of each) to `cover` and improves them by local search:
/// all of them up to [`LOCAL_SEARCH_TOURS`], else each tour's share of that many, the rest
/// kept as they are. Returns every tour, one entry per agent.
fn searched(
    cover: &mut CoverState,
    counts: Vec<(Tour, usize)>,
    shapes: &[Shape],
    classes: &[f64],
) -> Vec<Tour> {
    let total: usize = counts.iter().map(|c| c.1).sum();
    let mut tours: Vec<Tour> = Vec::new();
    let mut fixed: Vec<(Tour, usize)> = Vec::new();
    for (tour, count) in counts {
        // No more than the templates' cap on agents per shift allows.
        let count = count.min(cover.tour_room(&tour).max(0) as usize);
        let kept = if total <= LOCAL_SEARCH_TOURS {
            count
        } else {
            (count * LOCAL_SEARCH_TOURS).div_ceil(total)
        };
        cover.add_tour(&tour, count as i64);
        tours.extend(std::iter::repeat_n(tour.clone(), kept));
        fixed.push((tour, count - kept));
    }
    local_search(cover, &mut tours, shapes, classes);
    for (tour, count) in fixed {
        tours.extend(std::iter::repeat_n(tour, count));
    }
    tours
}

/// Consecutive equal tours as (tour, count).
fn counted(tours: Vec<Tour>) -> Vec<(Tour, usize)> {
    let mut out: Vec<(Tour, usize)> = Vec::new();
    for tour in tours {
        match out.last_mut() {
            Some((last, n)) if *last == tour => *n += 1,
            _ => out.push((tour, 1)),
        }
    }
    out
}

/// Tours that cover the horizon with `shapes`, their coverage and the tour LP's bound on
/// `bound_required` (steps 1–3 of the module notes). With `one_start` only the dive is
/// repaired and improved (the blocks of a long horizon, where each start costs a second).
fn search<'a>(
    horizon: &'a Horizon,
    shifts: &'a [DayShift],
    shapes: &[Shape],
    classes: &[f64],
    bound_required: &[u32],
    one_start: bool,
    max_per_shift: Option<u32>,
) -> (CoverState<'a>, Vec<Tour>, f64) {
    let mut cover = CoverState::new(horizon, shifts).with_cap(max_per_shift);
    let mut seed: Vec<Tour> = Vec::new();
    greedy_cover(&mut cover, &mut seed, shapes, classes);
    // The compact LP gives the exact bound and the tours of an optimum; the column generation
    // is the fallback should the interior point fail.
    let solved = compact::relaxation(&cover, shapes, classes, bound_required);
    let compact_solved = solved.is_some();
    // A block of a long horizon prices only the LP's own tours: the greedy ones double the
    // columns of the dive, its slowest step, and the local search repairs what they leave.
    let pool_seed = if one_start && compact_solved {
        &[][..]
    } else {
        &seed[..]
    };
    let (pool, starts, mut tour_bound) =
        column_generation(&cover, shapes, classes, pool_seed, solved, !one_start);
    if !compact_solved && bound_required != horizon.required.as_slice() {
        // The column generation's bound is on the block's own requirement, not on the one a
        // bound may count (see `roster_region`).
        tour_bound = 0.0;
    }
    // From the dive and from the LP rounded down, each repaired and improved by the local
    // search: the one with fewer tours (the dive on a tie).
    let mut best: Option<(CoverState, Vec<Tour>)> = None;
    let starts = if one_start {
        &starts[..starts.len().min(1)]
    } else {
        &starts[..]
    };
    for values in starts {
        let mut cover = CoverState::new(horizon, shifts).with_cap(max_per_shift);
        let counts: Vec<(Tour, usize)> = pool
            .iter()
            .zip(values)
            .map(|(tour, value)| (tour.clone(), (value + 1e-6).floor() as usize))
            .filter(|c| c.1 > 0)
            .collect();
        let tours = searched(&mut cover, counts, shapes, classes);
        if best.as_ref().is_none_or(|(_, b)| tours.len() < b.len()) {
            best = Some((cover, tours));
        }
    }
    let (cover, mut tours) = match best {
        Some(found) => found,
        None => {
            let mut cover = CoverState::new(horizon, shifts).with_cap(max_per_shift);
            let tours = searched(&mut cover, counted(seed), shapes, classes);
            (cover, tours)
        }
    };
    align_starts(&mut tours, shifts);
    (cover, tours, tour_bound)
}

/// The tour shapes of a region: every days-off pattern × contract class (the agents' contracts
/// and the rules' default, in order) with the shifts whose weeks meet the contract.
fn tour_shapes(
    horizon: &Horizon,
    shifts: &[DayShift],
    rules: &WorkRules,
    agents: &[&Agent],
) -> (Vec<Shape>, Vec<f64>) {
    let mut classes: Vec<f64> = agents
        .iter()
        .map(|a| {
            a.contract_hours_per_week
                .unwrap_or(rules.contract_hours_per_week)
        })
        .collect();
    classes.push(rules.contract_hours_per_week);
    classes.sort_by(f64::total_cmp);
    classes.dedup();
    let mut shapes: Vec<Shape> = Vec::new();
    for &pattern in &patterns(rules, agents) {
        let days_a_week = 7 - days_off_count(pattern);
        for (class, &contract) in classes.iter().enumerate() {
            let fitting: Vec<usize> = (0..shifts.len())
                .filter(|&s| fits_contract(shifts[s].paid_hours, days_a_week, contract, rules))
                .collect();
            if !fitting.is_empty() {
                shapes.push(Shape {
                    pattern,
                    class,
                    stretches: stretches(horizon, pattern),
                    shifts: fitting,
                });
            }
        }
    }
    (shapes, classes)
}

/// Horizons longer than this many days are rostered a calendar week at a time (blocks chained
/// at their seams); up to it, in one piece. The LP and the local search grow faster than the
/// days (a 24/7 week of 180 tours: 4 s; two weeks: 70 s), so a quarter or a year is solved as
/// its weeks, which also lets an agent's days-off pattern change from one week to the next.
pub const ONE_PIECE_DAYS: usize = 35;

/// One block matched: its horizon, its tours and their agents (`None`: a hire).
type BlockMatch = (Horizon, Vec<Tour>, Vec<Option<usize>>);

/// One block's tours: what `search` found, with its bounds.
struct BlockTours {
    tours: Vec<Tour>,
    lower_bound: usize,
    tour_bound: usize,
}

/// Steps 1–3 (and the cap on shift types) for one horizon: its tours, sorted by their first
/// start, with the rules' bound and the tour bound, both on `bound_required` (the horizon's
/// own requirement, or with a block's first hours let off).
fn solve_tours(
    horizon: &Horizon,
    shifts: &[DayShift],
    rules: &WorkRules,
    agents: &[&Agent],
    bound_required: &[u32],
    one_start: bool,
    max_per_shift: Option<u32>,
) -> BlockTours {
    let (mut shapes, classes) = tour_shapes(horizon, shifts, rules, agents);
    let bound_horizon = Horizon {
        required: bound_required.to_vec(),
        ..horizon.clone()
    };
    let lower_bound = lower_bound(&bound_horizon, shifts, rules, classes[classes.len() - 1]);
    let (_, mut tours, tour_bound) = search(
        horizon,
        shifts,
        &shapes,
        &classes,
        bound_required,
        one_start,
        max_per_shift,
    );
    if let Some(cap) = rules.max_shift_types {
        // Too many kinds of shift: keep the `cap` most worked and search again with only them.
        // The first search's bound stays: the cap only takes tours away.
        let mut worked = vec![0usize; shifts.len()];
        for tour in &tours {
            for (days, s) in &tour.stretches {
                worked[*s] += days.len();
            }
        }
        let used = worked.iter().filter(|&&w| w > 0).count();
        if used > cap as usize {
            let order = capped_shift_types(horizon, shifts, &worked, cap as usize);
            for shape in &mut shapes {
                shape.shifts.retain(|s| order.contains(s));
            }
            shapes.retain(|shape| !shape.shifts.is_empty());
            let (_, capped_tours, _) = search(
                horizon,
                shifts,
                &shapes,
                &classes,
                bound_required,
                one_start,
                max_per_shift,
            );
            tours = capped_tours;
        }
    }
    tours.sort_by(|a, b| {
        let key = |t: &Tour| {
            (
                t.stretches
                    .first()
                    .map_or(0, |s| shifts[s.1].start_minute_of_day),
                t.pattern,
            )
        };
        key(a)
            .cmp(&key(b))
            .then(a.contract_hours.total_cmp(&b.contract_hours))
    });
    BlockTours {
        tours,
        lower_bound,
        // The rules' bound holds for tour rosters too, and is the better one when the column
        // generation stopped early.
        tour_bound: ((tour_bound - 1e-6).ceil().max(0.0) as usize).max(lower_bound),
    }
}

/// The blocks of a horizon as ranges of its intervals: one, or (past [`ONE_PIECE_DAYS`]) one
/// per calendar week, Monday to Sunday (the first and last may be shorter), so that no week's
/// days off or hours span two blocks.
fn blocks_of(horizon: &Horizon) -> Vec<std::ops::Range<usize>> {
    let n = horizon.required.len();
    if horizon.days <= ONE_PIECE_DAYS {
        return std::iter::once(0..n).collect();
    }
    let d = horizon.interval_minutes;
    let mut cuts = vec![0];
    for day in 1..horizon.days {
        if horizon.weekday(day) == 0 {
            let midnight = (horizon.first_day + day as i64) * MINUTES_PER_DAY;
            let t = (midnight - horizon.start_minute)
                .div_euclid(d)
                .clamp(0, n as i64) as usize;
            if t > *cuts.last().unwrap_or(&0) && t < n {
                cuts.push(t);
            }
        }
    }
    cuts.push(n);
    cuts.windows(2).map(|w| w[0]..w[1]).collect()
}

/// Rosters `agents` (those who may work this region) on `req` with weekly tours of `shifts`
/// (the region's [`day_shifts`]). A horizon of more than [`ONE_PIECE_DAYS`] days is solved a
/// week at a time (in parallel), then the weeks are matched to agents in order, each agent's
/// next week barred where it would break the rest or the consecutive days across the seam.
pub fn roster_region(
    req: &Requirement,
    agents: &[&Agent],
    shifts: &[DayShift],
    rules: &WorkRules,
    max_per_shift: Option<u32>,
) -> TourRoster {
    use rayon::prelude::*;
    let horizon = Horizon::new(req);
    let contract_of = |a: &Agent| {
        a.contract_hours_per_week
            .unwrap_or(rules.contract_hours_per_week)
    };
    let blocks = blocks_of(&horizon);
    let one_piece = blocks.len() == 1;
    // A shift that starts on a block's last day may run into the next block's first hours: a
    // bound on a later block lets those hours off, since the block before may cover them.
    let spill_minutes = shifts
        .iter()
        .map(|s| s.start_minute_of_day + s.length_minutes - MINUTES_PER_DAY)
        .max()
        .unwrap_or(0)
        .max(0);
    let solved: Vec<(Horizon, BlockTours)> = blocks
        .par_iter()
        .enumerate()
        .map(|(b, range)| {
            let block = Requirement {
                region: req.region.clone(),
                start_minute: req.minute(range.start),
                interval_minutes: req.interval_minutes,
                required: req.required[range.clone()].to_vec(),
            };
            let block_horizon = Horizon::new(&block);
            let mut bound_required = block.required.clone();
            if b > 0 {
                let free = (spill_minutes / horizon.interval_minutes) as usize;
                for r in bound_required.iter_mut().take(free) {
                    *r = 0;
                }
            }
            let tours = solve_tours(
                &block_horizon,
                shifts,
                rules,
                agents,
                &bound_required,
                !one_piece,
                max_per_shift,
            );
            (block_horizon, tours)
        })
        .collect();
    let mut seams: Vec<Option<Seam>> = vec![None; agents.len()];
    let mut roster = TourRoster {
        tours: Vec::new(),
        agent_of: Vec::new(),
        block_of: Vec::new(),
        scheduled: Vec::new(),
        lower_bound: 0,
        tour_bound: 0,
        headcount: 0,
        hires: 0,
        uncovered: Vec::new(),
    };
    let mut works = vec![false; agents.len()];
    // Per block: its horizon, its tours and their agents.
    let mut matched: Vec<BlockMatch> = Vec::new();
    for (block_horizon, mut found) in solved {
        let Matched {
            mut agent_of,
            extra,
        } = match_agents(
            &block_horizon,
            &found.tours,
            shifts,
            agents,
            &contract_of,
            rules,
            (!one_piece).then_some(Chain {
                seams: &seams,
                working: &works,
            }),
        );
        if !extra.is_empty() {
            let mut cover = CoverState::new(&block_horizon, shifts).with_cap(max_per_shift);
            for tour in &found.tours {
                cover.add_tour(tour, 1);
            }
            for (k, a) in extra {
                let tour = found.tours[k].clone();
                if cover.tour_room(&tour) > 0 {
                    cover.add_tour(&tour, 1);
                    found.tours.push(tour);
                    agent_of.push(Some(a));
                }
            }
        }
        if let Some((last_horizon, last_tours, last_agent_of)) = matched.last() {
            // An agent who worked last week and may follow none of this week's tours keeps
            // last week's days off, all on the shift of its last stretch: that follows it
            // within the rules by construction (the pattern's runs, 24 h − a shift's length of
            // rest) and meets the contract as each of its shifts does.
            if last_horizon.days == 7 && block_horizon.days == 7 {
                let mut cover = CoverState::new(&block_horizon, shifts).with_cap(max_per_shift);
                for tour in &found.tours {
                    cover.add_tour(tour, 1);
                }
                for (k, agent) in last_agent_of.iter().enumerate() {
                    let Some(a) = *agent else { continue };
                    if agent_of.contains(&Some(a)) {
                        continue;
                    }
                    let last = &last_tours[k];
                    let Some(&(_, shift)) = last.stretches.last() else {
                        continue;
                    };
                    let tour = Tour {
                        stretches: last
                            .stretches
                            .iter()
                            .map(|(days, _)| (days.clone(), shift))
                            .collect(),
                        ..last.clone()
                    };
                    if cover.tour_room(&tour) > 0 {
                        cover.add_tour(&tour, 1);
                        found.tours.push(tour);
                        agent_of.push(Some(a));
                    }
                }
            }
        }
        let mut next_seams: Vec<Option<Seam>> = vec![None; agents.len()];
        for (tour, agent) in found.tours.iter().zip(&agent_of) {
            if let Some(a) = *agent {
                works[a] = true;
                next_seams[a] = seam_after(&block_horizon, tour, shifts);
            }
        }
        roster.lower_bound = roster.lower_bound.max(found.lower_bound);
        roster.tour_bound = roster.tour_bound.max(found.tour_bound);
        seams = next_seams;
        matched.push((block_horizon, found.tours, agent_of));
    }
    if !one_piece {
        fill_weeks_before_first(
            &mut matched,
            agents,
            shifts,
            rules,
            &contract_of,
            max_per_shift,
        );
    }
    for (b, (block_horizon, tours, agent_of)) in matched.into_iter().enumerate() {
        let offset = (block_horizon.first_day - horizon.first_day) as usize;
        for tour in tours {
            roster.tours.push(Tour {
                stretches: tour
                    .stretches
                    .into_iter()
                    .map(|(days, s)| (days.into_iter().map(|d| d + offset).collect(), s))
                    .collect(),
                ..tour
            });
            roster.block_of.push(b);
        }
        let hires = agent_of.iter().filter(|a| a.is_none()).count();
        roster.hires = roster.hires.max(hires);
        roster.agent_of.extend(agent_of);
    }
    roster.headcount = works.iter().filter(|&&w| w).count() + roster.hires;
    let mut cover = CoverState::new(&horizon, shifts);
    for tour in &roster.tours {
        cover.add_tour(tour, 1);
    }
    roster.uncovered = (0..horizon.required.len())
        .filter(|&t| cover.scheduled[t] < horizon.required[t] as i64)
        .collect();
    roster.scheduled = cover.scheduled.iter().map(|&c| c.max(0) as u32).collect();
    roster
}

/// An agent who first works in a later week of a long horizon would have whole weeks of no
/// hours before it: from that week back, each earlier whole week gets a copy of one of its
/// tours the agent may work (contract, days off, start limits, the templates' cap) and that
/// leaves the rest and consecutive days to the next week's tour; coverage only grows. A week
/// with no such tour stays empty (and the verifier reports it).
fn fill_weeks_before_first(
    matched: &mut [BlockMatch],
    agents: &[&Agent],
    shifts: &[DayShift],
    rules: &WorkRules,
    contract_of: &dyn Fn(&Agent) -> f64,
    max_per_shift: Option<u32>,
) {
    for (a, agent) in agents.iter().enumerate() {
        let Some(first) = matched
            .iter()
            .position(|(_, _, agent_of)| agent_of.contains(&Some(a)))
        else {
            continue;
        };
        for b in (0..first).rev() {
            // Only whole weeks are held to the contract's hours.
            if matched[b].0.days < 7 {
                break;
            }
            let next_opening = {
                let (h, tours, agent_of) = &matched[b + 1];
                let k = agent_of.iter().position(|x| *x == Some(a));
                k.map(|k| matching::opening(h, &tours[k], shifts))
            };
            let (h, tours, _) = &matched[b];
            let mut cover = CoverState::new(h, shifts).with_cap(max_per_shift);
            for tour in tours.iter() {
                cover.add_tour(tour, 1);
            }
            let fits = tours.iter().position(|tour| {
                matching::may_work(agent, tour, shifts, contract_of)
                    && cover.tour_room(tour) > 0
                    && next_opening.is_none_or(|opening| {
                        seam_after(h, tour, shifts)
                            .is_none_or(|seam| matching::seam_allows(&seam, opening, rules))
                    })
            });
            let Some(k) = fits else {
                break;
            };
            let tour = matched[b].1[k].clone();
            matched[b].1.push(tour);
            matched[b].2.push(Some(a));
        }
    }
}

/// Where `tour` (of a block) leaves its agent at the block's end: its last shift's end, the
/// working days in a row up to the block's last day, and its pattern.
fn seam_after(horizon: &Horizon, tour: &Tour, shifts: &[DayShift]) -> Option<Seam> {
    let (days, s) = tour.stretches.last()?;
    let last = *days.last()?;
    let shift = &shifts[*s];
    Some(Seam {
        last_end_minute: (horizon.first_day + last as i64) * MINUTES_PER_DAY
            + shift.start_minute_of_day
            + shift.length_minutes,
        trailing_days: if last + 1 == horizon.days {
            days.len() as u32
        } else {
            0
        },
        pattern: tour.pattern,
    })
}

/// The tour roster as shifts of named agents: `agents` are the file's agents, `region_agents`
/// the indices (into the file) of the agents `tours` was matched against. A tour without an
/// agent becomes unassigned shifts.
pub fn to_roster(
    region: &str,
    tours: &TourRoster,
    region_agents: &[usize],
    shifts: &[DayShift],
    req: &Requirement,
    roster: &mut Roster,
) {
    let first_day = time::day_of_minute(req.start_minute);
    for (tour, agent) in tours.tours.iter().zip(&tours.agent_of) {
        for (days, s) in &tour.stretches {
            let shift = &shifts[*s];
            for &day in days {
                let start = (first_day + day as i64) * MINUTES_PER_DAY + shift.start_minute_of_day;
                let end = start + shift.length_minutes;
                match agent {
                    Some(a) => roster.assignments.push(Assignment {
                        agent: region_agents[*a],
                        region: region.to_string(),
                        start_minute: start,
                        end_minute: end,
                        paid_hours: shift.paid_hours,
                        break_minutes: shift.break_at.map(|(b, l)| (start + b, start + b + l)),
                    }),
                    None => roster.unassigned.push(Unassigned {
                        region: region.to_string(),
                        start_minute: start,
                        end_minute: end,
                        paid_hours: shift.paid_hours,
                    }),
                }
            }
        }
    }
}

/// One region's tours, with the requirement and the agents they were matched against.
#[derive(Debug, Clone)]
pub struct RegionTours {
    pub requirement: Requirement,
    pub tours: TourRoster,
    /// Indices into the agents file of the agents this region could use.
    pub agents: Vec<usize>,
    pub shifts: Vec<DayShift>,
}

/// Tour rosters of every region and the roster of named agents they make.
#[derive(Debug, Clone)]
pub struct TourPlan {
    pub regions: Vec<RegionTours>,
    pub roster: Roster,
    /// First and last day number the requirements touch.
    pub days: time::DayRange,
}

impl TourPlan {
    /// Sum of the regions' lower bounds: no roster that keeps each agent in one region has
    /// fewer agents.
    pub fn lower_bound(&self) -> usize {
        self.regions.iter().map(|r| r.tours.lower_bound).sum()
    }

    /// Sum of the regions' tour bounds: no roster of weekly tours has fewer agents.
    pub fn tour_bound(&self) -> usize {
        self.regions.iter().map(|r| r.tours.tour_bound).sum()
    }

    /// People of every region: the agents who work and the hires.
    pub fn headcount(&self) -> usize {
        self.regions.iter().map(|r| r.tours.headcount).sum()
    }

    /// Intervals no tour can cover, over every region.
    pub fn uncovered(&self) -> usize {
        self.regions.iter().map(|r| r.tours.uncovered.len()).sum()
    }

    /// Tours no agent of the file can work.
    pub fn hires(&self) -> usize {
        self.regions.iter().map(|r| r.tours.hires).sum()
    }
}

/// Rosters every region of `requirements` with weekly tours. An agent who may work in one
/// region only (their `region`, or their one skill) works only there; an agent who may work in
/// several (skills, or no region at all) is offered to those regions in order, and works the
/// first that needs them.
pub fn roster_requirements(
    requirements: &[Requirement],
    agents: &[Agent],
    templates: &ShiftTemplates,
    rules: &WorkRules,
) -> TourPlan {
    let mut used = vec![false; agents.len()];
    let mut plan = TourPlan {
        regions: Vec::new(),
        roster: Roster {
            assignments: Vec::new(),
            unassigned: Vec::new(),
            notes: Vec::new(),
        },
        days: requirements
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| {
                time::DayRange::new(
                    time::day_of_minute(r.start_minute),
                    time::day_of_minute(r.minute(r.len() - 1)),
                )
            })
            .collect(),
    };
    // Agents bound to one region each: the regions are independent and run in parallel.
    // Otherwise an unbound agent goes to the first region that needs them, so in order.
    let every_bound = agents.iter().all(|a| a.only_region().is_some());
    let solve = |req: &Requirement, pool: Vec<usize>| {
        let members: Vec<&Agent> = pool.iter().map(|&i| &agents[i]).collect();
        let shifts = day_shifts(templates, req.interval_minutes, rules);
        let tours = roster_region(
            req,
            &members,
            &shifts,
            rules,
            templates.max_agents_per_shift,
        );
        RegionTours {
            requirement: req.clone(),
            tours,
            agents: pool,
            shifts,
        }
    };
    let regions: Vec<RegionTours> = if every_bound {
        use rayon::prelude::*;
        requirements
            .par_iter()
            .map(|req| {
                let pool = (0..agents.len())
                    .filter(|&i| agents[i].only_region() == Some(req.region.as_str()))
                    .collect();
                solve(req, pool)
            })
            .collect()
    } else {
        let mut out = Vec::new();
        for req in requirements {
            // An agent who may work only here is always offered; one who may work elsewhere
            // too, only while no earlier region has taken them.
            let pool: Vec<usize> = (0..agents.len())
                .filter(|&i| {
                    agents[i].may_work_in(&req.region)
                        && (agents[i].only_region().is_some() || !used[i])
                })
                .collect();
            let region = solve(req, pool);
            for &a in region.tours.agent_of.iter().flatten() {
                used[region.agents[a]] = true;
            }
            out.push(region);
        }
        out
    };
    for region in &regions {
        to_roster(
            &region.requirement.region,
            &region.tours,
            &region.agents,
            &region.shifts,
            &region.requirement,
            &mut plan.roster,
        );
    }
    plan.regions = regions;
    plan.roster
        .assignments
        .sort_by_key(|a| (a.agent, a.start_minute));
    plan.roster.unassigned.sort_by_key(|u| u.start_minute);
    super::fairness::finish(&mut plan.roster, agents, rules, plan.days);
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::verify::violations;

    /// No hard rule is broken over the two weeks from Monday 2024-01-01.
    fn assert_two_weeks_keep_the_rules(plan: &TourPlan, staff: &[Agent], rules: &WorkRules) {
        let two_weeks = time::DayRange::new(19_723, 19_723 + 13);
        let broken = violations(&plan.roster, staff, rules, two_weeks);
        assert!(broken.is_empty(), "{broken:?}");
    }
    use proptest::prelude::*;

    /// Monday 2024-01-01 00:00.
    const MONDAY: i64 = 19_723 * MINUTES_PER_DAY;

    fn agent(id: usize, contract: f64, days_off: u8) -> Agent {
        Agent {
            contract_hours_per_week: Some(contract),
            days_off,
            ..Agent::new(format!("a{id}"), format!("Agent {id}"))
        }
    }

    /// Hourly requirement of `days` days from `first_day` after MONDAY: `per_hour(day, hour)`.
    fn requirement(
        first_day: i64,
        days: usize,
        per_hour: impl Fn(usize, usize) -> u32,
    ) -> Requirement {
        Requirement {
            region: "north".into(),
            start_minute: MONDAY + first_day * MINUTES_PER_DAY,
            interval_minutes: 60,
            required: (0..days * 24).map(|t| per_hour(t / 24, t % 24)).collect(),
        }
    }

    fn eight_hour_days() -> ShiftTemplates {
        ShiftTemplates {
            lengths_hours: vec![8.0],
            start_step_minutes: Some(60),
            ..Default::default()
        }
    }

    /// Agents working each interval of `req`, from the roster's shifts (breaks excluded).
    fn coverage(roster: &Roster, req: &Requirement) -> Vec<u32> {
        let mut out = vec![0; req.len()];
        for a in &roster.assignments {
            for (t, slot) in out.iter_mut().enumerate() {
                let m = req.minute(t);
                let on_break = a.break_minutes.is_some_and(|(b, e)| (b..e).contains(&m));
                if (a.start_minute..a.end_minute).contains(&m) && !on_break {
                    *slot += 1;
                }
            }
        }
        out
    }

    /// Tours of 5 × 8 h (two days off, no 4 × 10 h weeks).
    fn five_day_weeks(req: &Requirement, staff: &[Agent]) -> TourPlan {
        let rules = WorkRules {
            max_days_off_per_week: 2,
            ..Default::default()
        };
        roster_requirements(std::slice::from_ref(req), staff, &eight_hour_days(), &rules)
    }

    #[test]
    fn one_agent_a_day_every_day_takes_two_people() {
        // 08:00–16:00 every day for four weeks: 7 agent-days a week at 5 a person → 2 (1.4
        // rounded up), e.g. one off Sat–Sun and one off Mon–Tue.
        let req = requirement(0, 28, |_, h| u32::from((8..16).contains(&h)));
        let staff: Vec<Agent> = (0..5).map(|i| agent(i, 40.0, 0)).collect();
        let plan = five_day_weeks(&req, &staff);
        assert_eq!(plan.headcount(), 2);
        assert_eq!(plan.lower_bound(), 2);
        assert_eq!(plan.tour_bound(), 2);
        assert_eq!(plan.hires(), 0);
        assert!(coverage(&plan.roster, &req)
            .iter()
            .zip(&req.required)
            .all(|(s, r)| s >= r));
    }

    #[test]
    fn three_a_day_takes_five_people_at_five_days_a_week() {
        // 21 agent-days a week / 5 = 4.2 → 5 agents, whichever days they have off.
        let req = requirement(0, 14, |_, h| if (9..17).contains(&h) { 3 } else { 0 });
        let staff: Vec<Agent> = (0..8).map(|i| agent(i, 40.0, 0)).collect();
        let plan = five_day_weeks(&req, &staff);
        assert_eq!((plan.lower_bound(), plan.headcount()), (5, 5));
        let rules = WorkRules::default();
        assert_two_weeks_keep_the_rules(&plan, &staff, &rules);
    }

    #[test]
    fn agents_too_few_are_hires_with_their_days_and_hours() {
        let req = requirement(0, 14, |_, h| if (9..17).contains(&h) { 3 } else { 0 });
        let staff: Vec<Agent> = (0..3).map(|i| agent(i, 40.0, 0)).collect();
        let plan = roster_requirements(&[req], &staff, &eight_hour_days(), &WorkRules::default());
        assert_eq!(plan.hires(), plan.headcount() - 3);
        assert!(plan.hires() >= 2);
        assert!(!plan.roster.unassigned.is_empty());
    }

    #[test]
    fn a_requested_day_off_is_kept_and_a_part_timer_gets_short_shifts() {
        let req = requirement(0, 14, |_, h| if (8..20).contains(&h) { 2 } else { 0 });
        let templates = ShiftTemplates {
            lengths_hours: vec![4.0, 8.0],
            start_step_minutes: Some(60),
            ..Default::default()
        };
        let mut staff: Vec<Agent> = (0..6).map(|i| agent(i, 40.0, 0b110_0000)).collect();
        staff.extend((6..12).map(|i| agent(i, 20.0, 0)));
        let rules = WorkRules::default();
        let plan = roster_requirements(std::slice::from_ref(&req), &staff, &templates, &rules);
        assert_two_weeks_keep_the_rules(&plan, &staff, &rules);
        for a in &plan.roster.assignments {
            let hours = (a.end_minute - a.start_minute) / 60;
            assert_eq!(hours, if a.agent >= 6 { 4 } else { 8 }, "{a:?}");
        }
    }

    #[test]
    fn intervals_no_tour_can_work_are_reported_not_hidden() {
        // Shifts may only start 06:00 or 07:00 and last 8 h: from 15:00 nothing can cover.
        let req = requirement(0, 14, |_, h| u32::from((8..21).contains(&h)));
        let templates = ShiftTemplates {
            lengths_hours: vec![8.0],
            start_step_minutes: Some(60),
            start_windows: vec![["06:00".into(), "08:00".into()]],
            ..Default::default()
        };
        let staff: Vec<Agent> = (0..10).map(|i| agent(i, 40.0, 0)).collect();
        let plan = roster_requirements(
            std::slice::from_ref(&req),
            &staff,
            &templates,
            &WorkRules::default(),
        );
        assert_eq!(
            plan.uncovered(),
            14 * 6,
            "15:00–21:00 every day is past every shift"
        );
    }

    #[test]
    fn the_cap_on_shift_types_is_kept() {
        let req = requirement(0, 14, |_, h| match h {
            7..=9 => 1,
            10..=15 => 3,
            16..=20 => 2,
            _ => 0,
        });
        let staff: Vec<Agent> = (0..20).map(|i| agent(i, 40.0, 0)).collect();
        let rules = WorkRules {
            max_shift_types: Some(2),
            ..Default::default()
        };
        let plan = roster_requirements(
            std::slice::from_ref(&req),
            &staff,
            &ShiftTemplates::default(),
            &rules,
        );
        let mut kinds: Vec<(i64, i64)> = plan
            .roster
            .assignments
            .iter()
            .map(|a| {
                (
                    a.start_minute.rem_euclid(MINUTES_PER_DAY),
                    a.end_minute - a.start_minute,
                )
            })
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert!(kinds.len() <= 2, "{kinds:?}");
        assert_eq!(plan.uncovered(), 0);
        assert_eq!(plan.hires(), 0);
    }

    #[test]
    fn a_weighted_preferred_weekend_off_gets_the_tour_with_the_weekend_off() {
        let req = requirement(0, 14, |_, h| u32::from((8..16).contains(&h)));
        let horizon = Horizon::new(&req);
        let shifts = vec![DayShift {
            start_minute_of_day: 8 * 60,
            length_minutes: 8 * 60,
            break_at: None,
            paid_hours: 8.0,
        }];
        let tour = |pattern: DaysOff| Tour {
            pattern,
            contract_hours: 40.0,
            stretches: stretches(&horizon, pattern)
                .into_iter()
                .map(|days| (days, 0))
                .collect(),
        };
        // Off Tue+Wed first, so that without the preference agent 0 would take it.
        let tours = [tour(0b000_0110), tour(0b110_0000)];
        let mut staff: Vec<Agent> = (0..2).map(|i| agent(i, 40.0, 0)).collect();
        staff[1].preferred_days_off = 0b110_0000;
        staff[1].preference_weight = 5.0;
        let members: Vec<&Agent> = staff.iter().collect();
        let rules = WorkRules::default();
        let contract_of = |a: &Agent| a.contract_hours_per_week.unwrap_or(40.0);
        let agent_of = matching::match_agents(
            &horizon,
            &tours,
            &shifts,
            &members,
            &contract_of,
            &rules,
            None,
        )
        .agent_of;
        assert_eq!(agent_of, [Some(0), Some(1)]);
        staff[1].preferred_days_off = 0b000_0110;
        let members: Vec<&Agent> = staff.iter().collect();
        let agent_of = matching::match_agents(
            &horizon,
            &tours,
            &shifts,
            &members,
            &contract_of,
            &rules,
            None,
        )
        .agent_of;
        assert_eq!(
            agent_of,
            [Some(1), Some(0)],
            "the preference moves with the agent"
        );
    }

    #[test]
    fn a_skill_lets_an_agent_work_another_region_and_no_other() {
        // South needs one agent 08:00–16:00 every day; north needs nobody. Two north agents who
        // may also work south take it (two people for seven days a week); without the skill
        // they may not, and two hires are needed.
        let south = Requirement {
            region: "south".into(),
            ..requirement(0, 14, |_, h| u32::from((8..16).contains(&h)))
        };
        let north = requirement(0, 14, |_, _| 0);
        let mut staff: Vec<Agent> = (0..2)
            .map(|i| Agent {
                region: Some("north".into()),
                skills: vec!["south".into()],
                ..agent(i, 40.0, 0)
            })
            .collect();
        let rules = WorkRules {
            max_days_off_per_week: 2,
            ..Default::default()
        };
        let both = [north, south];
        let plan = roster_requirements(&both, &staff, &eight_hour_days(), &rules);
        assert_eq!((plan.headcount(), plan.hires()), (2, 0));
        assert!(plan.roster.assignments.iter().all(|a| a.region == "south"));
        assert_two_weeks_keep_the_rules(&plan, &staff, &rules);
        for a in &mut staff {
            a.skills.clear();
        }
        let plan = roster_requirements(&both, &staff, &eight_hour_days(), &rules);
        assert_eq!(plan.hires(), 2);
    }

    #[test]
    fn the_compact_lp_and_the_column_generation_agree_on_the_tour_lp() {
        // 08:00–16:00 every day of four weeks: 7 agent-days a week at 5 days a person is 1.4
        // agents, and 09:00–17:00 three a day is 4.2; both ways of solving the LP must say so.
        for (per_day, expected) in [(1, 1.4), (3, 4.2)] {
            let req = requirement(0, 28, |_, h| if (8..16).contains(&h) { per_day } else { 0 });
            let horizon = Horizon::new(&req);
            let rules = WorkRules {
                max_days_off_per_week: 2,
                ..Default::default()
            };
            let shifts = day_shifts(&eight_hour_days(), 60, &rules);
            let staff = [agent(0, 40.0, 0)];
            let members: Vec<&Agent> = staff.iter().collect();
            let (shapes, classes) = tour_shapes(&horizon, &shifts, &rules, &members);
            let mut cover = CoverState::new(&horizon, &shifts);
            let mut seed = Vec::new();
            greedy_cover(&mut cover, &mut seed, &shapes, &classes);
            let (tours, compact_bound) =
                compact::relaxation(&cover, &shapes, &classes, &horizon.required).unwrap();
            assert!((compact_bound - expected).abs() < 1e-3, "{compact_bound}");
            assert!(!tours.is_empty());
            let (_, _, generated) = column_generation(&cover, &shapes, &classes, &seed, None, true);
            assert!((generated - expected).abs() < 1e-6, "{generated}");
        }
    }

    #[test]
    fn a_long_horizon_is_solved_a_week_at_a_time_and_keeps_the_rules_across_the_seams() {
        // Six weeks (past ONE_PIECE_DAYS) of two agents 08:00–16:00, one more 10:00–18:00 on
        // weekdays and one every night: each week is solved on its own, and its tours may
        // change their days off and starts from the week before, so the seams matter (off
        // Mon+Tue after working Wed–Sun would be ten days in a row; a night to Monday 06:00
        // then a Monday morning, two hours of rest). The verifier checks the whole horizon.
        let days = 42;
        let req = requirement(0, days, |d, h| {
            u32::from(!(6..22).contains(&h))
                + if (8..16).contains(&h) { 2 } else { 0 }
                + u32::from(d % 7 < 5 && (10..18).contains(&h))
        });
        let staff: Vec<Agent> = (0..16).map(|i| agent(i, 40.0, 0)).collect();
        let rules = WorkRules::default();
        let plan = roster_requirements(
            std::slice::from_ref(&req),
            &staff,
            &eight_hour_days(),
            &rules,
        );
        let region = &plan.regions[0].tours;
        assert_eq!(
            region.block_of.iter().max(),
            Some(&5),
            "six calendar weeks, six blocks"
        );
        let broken = violations(
            &plan.roster,
            &staff,
            &rules,
            time::DayRange::new(19_723, 19_723 + days as i64 - 1),
        );
        assert!(broken.is_empty(), "{broken:?}");
        assert_eq!(plan.uncovered(), 0);
        assert_eq!(plan.hires(), 0);
        let scheduled = coverage(&plan.roster, &req);
        for (t, (s, r)) in scheduled.iter().zip(&req.required).enumerate() {
            assert!(s >= r, "interval {t}: {s} < {r}");
        }
        assert!(plan.lower_bound() <= plan.tour_bound());
        assert!(
            plan.tour_bound() <= plan.headcount(),
            "{}",
            plan.headcount()
        );
    }

    #[test]
    fn a_seam_bars_the_tours_that_would_break_rest_or_consecutive_days() {
        // One week, Monday first. The agent worked the five days up to Sunday of the week
        // before, a night ending Monday 02:00.
        let req = requirement(0, 7, |_, h| u32::from((8..16).contains(&h)));
        let horizon = Horizon::new(&req);
        let shifts = vec![DayShift {
            start_minute_of_day: 8 * 60,
            length_minutes: 8 * 60,
            break_at: None,
            paid_hours: 8.0,
        }];
        let tour = |pattern: DaysOff| Tour {
            pattern,
            contract_hours: 40.0,
            stretches: stretches(&horizon, pattern)
                .into_iter()
                .map(|days| (days, 0))
                .collect(),
        };
        // Off Sat+Sun (works Monday to Friday) first: without the seam it would do.
        let tours = [tour(0b110_0000), tour(0b000_0011)];
        let staff = [agent(0, 40.0, 0)];
        let members: Vec<&Agent> = staff.iter().collect();
        let rules = WorkRules::default();
        let contract_of = |a: &Agent| a.contract_hours_per_week.unwrap_or(40.0);
        let seam = Seam {
            last_end_minute: MONDAY - 22 * 60,
            trailing_days: 5,
            pattern: 0b000_0011,
        };
        let chain = |seam: Seam| Chain {
            seams: std::slice::from_ref(&Some(seam)).to_vec().leak(),
            working: &[true],
        };
        let matched = match_agents(
            &horizon,
            &tours,
            &shifts,
            &members,
            &contract_of,
            &rules,
            Some(chain(seam)),
        );
        assert_eq!(matched.agent_of, [None, Some(0)], "5 + 5 days in a row");
        // Rest: a shift ending Monday 02:00 leaves 6 h before 08:00.
        let night = Seam {
            last_end_minute: MONDAY + 2 * 60,
            trailing_days: 0,
            ..seam
        };
        assert!(!matching::seam_allows(
            &night,
            Some((MONDAY + 8 * 60, 5)),
            &rules
        ));
        assert!(matching::seam_allows(
            &night,
            Some((MONDAY + 13 * 60, 5)),
            &rules
        ));
        assert!(!matching::seam_allows(
            &seam,
            Some((MONDAY + 8 * 60, 1)),
            &rules
        ));
        assert!(matching::seam_allows(&seam, None, &rules));
    }

    #[test]
    fn thousands_of_agents_in_one_interval_are_counted_by_shape() {
        // One 30-minute interval needing 3,000 agents, and three agents in the file: 3,000
        // tours (the tour bound), 2,997 hires, every interval covered.
        let req = Requirement {
            region: "north".into(),
            start_minute: MONDAY + 10 * 60,
            interval_minutes: 30,
            required: vec![3_000],
        };
        let staff: Vec<Agent> = (0..3).map(|i| agent(i, 40.0, 0)).collect();
        let plan = roster_requirements(
            std::slice::from_ref(&req),
            &staff,
            &ShiftTemplates::default(),
            &WorkRules::default(),
        );
        assert_eq!(plan.tour_bound(), 3_000);
        assert_eq!(plan.headcount(), 3_000);
        assert_eq!(plan.hires(), 2_997);
        assert_eq!(plan.uncovered(), 0);
        assert_eq!(plan.roster.assignments.len(), 3);
        assert_eq!(plan.roster.unassigned.len(), 2_997);
    }

    #[test]
    fn the_templates_cap_on_agents_per_shift_is_kept() {
        // Three agents 10:00–14:00 every day, 8-hour shifts starting on the hour, at most one
        // agent on a shift: each day needs three different starts of 06:00 to 10:00.
        let req = requirement(0, 14, |_, h| if (10..14).contains(&h) { 3 } else { 0 });
        let templates = ShiftTemplates {
            max_agents_per_shift: Some(1),
            ..eight_hour_days()
        };
        let staff: Vec<Agent> = (0..20).map(|i| agent(i, 40.0, 0)).collect();
        let rules = WorkRules::default();
        let plan = roster_requirements(std::slice::from_ref(&req), &staff, &templates, &rules);
        let mut per_shift: std::collections::BTreeMap<i64, u32> = Default::default();
        for a in &plan.roster.assignments {
            *per_shift.entry(a.start_minute).or_default() += 1;
        }
        assert!(per_shift.values().all(|&n| n == 1), "{per_shift:?}");
        assert_eq!(plan.uncovered(), 0);
        assert!(crate::roster::verify::shift_size_violations(&plan.roster, 0, Some(1)).is_empty());
        // Uncapped, the same requirement puts several agents on one shift, and the check
        // names it.
        let free = roster_requirements(
            std::slice::from_ref(&req),
            &staff,
            &eight_hour_days(),
            &rules,
        );
        let broken = crate::roster::verify::shift_size_violations(&free.roster, 0, Some(1));
        assert!(!broken.is_empty());
        assert_eq!(
            broken[0].rule,
            crate::roster::verify::Rule::MaxAgentsPerShift
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10))]
        #[test]
        fn tour_rosters_keep_every_rule_cover_what_they_claim_and_repeat(
            first_day in 0i64..7,
            days in 7usize..16,
            peak in 1u32..5,
            open in 5usize..9,
            close in 17usize..23,
            staff in proptest::collection::vec((0usize..3, 0usize..4), 2..25),
        ) {
            let req = requirement(first_day, days, |d, h| {
                if (open..close).contains(&h) { peak - u32::from(d % 7 >= 5 && peak > 1) } else { 0 }
            });
            let staff: Vec<Agent> = staff
                .iter()
                .enumerate()
                .map(|(i, &(c, off))| agent(i, [40.0, 30.0, 20.0][c], [0, 0b110_0000, 0b001_0000, 0][off]))
                .collect();
            let rules = WorkRules::default();
            let templates = ShiftTemplates::default();
            let plan = roster_requirements(std::slice::from_ref(&req), &staff, &templates, &rules);
            let first = 19_723 + first_day;
            let broken = violations(&plan.roster, &staff, &rules, time::DayRange::new(first, first + days as i64 - 1));
            prop_assert!(broken.is_empty(), "{broken:?}");
            prop_assert!(plan.lower_bound() <= plan.tour_bound());
            prop_assert!(plan.tour_bound() <= plan.headcount());
            prop_assert_eq!(plan.uncovered(), 0, "the default templates can cover any hour");
            if plan.hires() == 0 {
                let scheduled = coverage(&plan.roster, &req);
                for (t, (s, r)) in scheduled.iter().zip(&req.required).enumerate() {
                    prop_assert!(s >= r, "interval {t}: {s} < {r}");
                }
            }
            let again = roster_requirements(std::slice::from_ref(&req), &staff, &templates, &rules);
            prop_assert_eq!(&again.roster, &plan.roster);
            // Sharing nights and weekends out moves whole shifts between agents: the same
            // shifts are worked, and their spread is no wider than without the rule.
            let unfair = WorkRules { fair_nights_and_weekends: false, ..rules.clone() };
            let before = roster_requirements(&[req], &staff, &templates, &unfair);
            let times = |r: &Roster| {
                let mut t: Vec<(i64, i64)> =
                    r.assignments.iter().map(|a| (a.start_minute, a.end_minute)).collect();
                t.sort_unstable();
                t
            };
            prop_assert_eq!(times(&before.roster), times(&plan.roster));
            let spread = |r: &Roster| {
                let mut per_agent = vec![(0i64, 0i64); staff.len()];
                for a in &r.assignments {
                    per_agent[a.agent].0 += i64::from(rules.is_night_shift(a.start_minute, a.end_minute));
                    per_agent[a.agent].1 += i64::from(time::weekday_of_minute(a.start_minute) >= 5);
                }
                per_agent.iter().map(|(n, w)| n * n + w * w).sum::<i64>()
            };
            prop_assert!(spread(&plan.roster) <= spread(&before.roster));
        }
    }
}
