//! The tour model: a day's shift, days-off patterns, the horizon, tours and their shapes,
//! and whether a tour fits a contract.

use super::*;

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
    pub(super) fn works_at(&self, offset: i64) -> bool {
        (0..self.length_minutes).contains(&offset)
            && self
                .break_at
                .is_none_or(|(b, l)| offset < b || offset >= b + l)
    }
}

/// Weekdays off (bit 0 = Monday), kept every week.
pub(super) type DaysOff = u8;

pub(super) fn days_off_count(pattern: DaysOff) -> u32 {
    pattern.count_ones()
}

/// Longest run of working days of a weekly pattern, around the week.
pub(super) fn longest_run(pattern: DaysOff) -> u32 {
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
pub(super) fn patterns(rules: &WorkRules, agents: &[&Agent]) -> Vec<DaysOff> {
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
    pub(super) first_day: i64,
    pub(super) days: usize,
    pub(super) start_minute: i64,
    pub(super) interval_minutes: i64,
    pub(super) required: Vec<u32>,
}

impl Horizon {
    pub(super) fn new(req: &Requirement) -> Self {
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

    pub(super) fn weekday(&self, day: usize) -> usize {
        time::weekday_of_minute((self.first_day + day as i64) * MINUTES_PER_DAY)
    }

    /// The intervals of the requirement that `shift` worked on horizon day `day` covers (no
    /// wrap: intervals past the end are not covered).
    pub(super) fn covered(&self, shift: &DayShift, day: usize) -> impl Iterator<Item = usize> + '_ {
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
pub(super) fn stretches(horizon: &Horizon, pattern: DaysOff) -> Vec<Vec<usize>> {
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
#[derive(Clone)]
pub(super) struct Shape {
    pub(super) pattern: DaysOff,
    pub(super) class: usize,
    pub(super) stretches: Vec<Vec<usize>>,
    pub(super) shifts: Vec<usize>,
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
    /// Agent-intervals above the requirement of the fewest tours, hires included, before every
    /// agent's contract was honoured: what whole tours cost, against what the team costs.
    pub over_before_contracts: u64,
}

/// What may not be rostered: a contract no template length meets in a pattern's week.
pub(super) fn fits_contract(
    paid_hours: f64,
    days_a_week: u32,
    contract: f64,
    rules: &WorkRules,
) -> bool {
    let week = paid_hours * days_a_week as f64;
    week >= contract * (1.0 - rules.hours_tolerance) - 1e-9
        && week <= contract * (1.0 + rules.hours_tolerance) + 1e-9
}
