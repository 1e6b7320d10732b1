//! The search for tours: coverage bookkeeping, the column generation of the LP relaxation with
//! its dive to whole tours, the greedy cover and the local search.

mod local;
mod lp;
// The jobs share their helpers (each file imports `super::*`).
pub(crate) use {local::*, lp::*};

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

use super::Horizon;
use super::{DayShift, DaysOff, Shape, Tour, COLUMN_GENERATION_TOURS, LP_TIME_LIMIT};

/// Weight of the best duals so far in the smoothed duals priced (Wentges' α).
const SMOOTHING: f64 = 0.5;

/// Coverage as tours are added, moved and dropped.
pub(super) struct CoverState<'a> {
    pub(super) horizon: &'a Horizon,
    pub(super) shifts: &'a [DayShift],
    pub(super) scheduled: Vec<i64>,
    /// Agent-intervals short of the requirement, kept as coverage changes.
    short: i64,
    /// Per shift, in intervals from its day's midnight: its first, its end, and the intervals
    /// of its break (empty without one).
    windows: Vec<ShiftWindow>,
    /// Intervals a day's shifts can reach: a day and the longest shift into the next.
    reach: usize,
    /// Agents on each shift of each day (`day × shifts + shift`), and the most the templates
    /// allow on one (`max_agents_per_shift`).
    on_shift: Vec<i64>,
    max_per_shift: Option<i64>,
}

/// A shift of the day in intervals from midnight: the intervals it works are `first..end`
/// without `break_from..break_to`.
#[derive(Clone, Copy)]
struct ShiftWindow {
    first: usize,
    end: usize,
    break_from: usize,
    break_to: usize,
}

impl<'a> CoverState<'a> {
    pub(super) fn new(horizon: &'a Horizon, shifts: &'a [DayShift]) -> Self {
        let d = horizon.interval_minutes;
        // The intervals `Horizon::covered` counts: offsets k·d inside the shift and off its break.
        let windows: Vec<ShiftWindow> = shifts
            .iter()
            .map(|s| {
                let first = (s.start_minute_of_day / d) as usize;
                let (break_from, break_to) = match s.break_at {
                    Some((b, l)) => ((b + d - 1) / d, (b + l + d - 1) / d),
                    None => (0, 0),
                };
                let intervals = s.length_minutes / d;
                ShiftWindow {
                    first,
                    end: first + intervals as usize,
                    break_from: first + (break_from.min(intervals)) as usize,
                    break_to: first + (break_to.min(intervals)) as usize,
                }
            })
            .collect();
        let reach = windows
            .iter()
            .map(|w| w.end)
            .max()
            .unwrap_or(0)
            .max((crate::time::MINUTES_PER_DAY / d) as usize);
        CoverState {
            horizon,
            shifts,
            scheduled: vec![0; horizon.required.len()],
            short: horizon.required.iter().map(|&r| r as i64).sum(),
            windows,
            reach,
            on_shift: vec![0; horizon.days * shifts.len()],
            max_per_shift: None,
        }
    }

    /// The same, with at most `max` agents on one shift of one day.
    pub(super) fn with_cap(mut self, max: Option<u32>) -> Self {
        self.max_per_shift = max.map(i64::from);
        self
    }

    /// How many more agents may work `shift` on every day of `days` under the cap.
    pub(super) fn room(&self, days: &[usize], shift: usize) -> i64 {
        match self.max_per_shift {
            None => i64::MAX,
            Some(max) => days
                .iter()
                .map(|&day| max - self.on_shift[day * self.shifts.len() + shift])
                .min()
                .unwrap_or(max),
        }
    }

    /// How many more copies of `tour` the cap allows.
    pub(super) fn tour_room(&self, tour: &Tour) -> i64 {
        tour.stretches
            .iter()
            .map(|(days, s)| self.room(days, *s))
            .min()
            .unwrap_or(i64::MAX)
    }

    /// The coverage as it is, to be put back with `restore`.
    pub(super) fn snapshot(&self) -> (Vec<i64>, i64) {
        (self.scheduled.clone(), self.short)
    }

    pub(super) fn restore(&mut self, (scheduled, short): (Vec<i64>, i64)) {
        self.scheduled = scheduled;
        self.short = short;
    }

    pub(super) fn add_stretch(&mut self, days: &[usize], shift: usize, agents: i64) {
        for &day in days {
            self.on_shift[day * self.shifts.len() + shift] += agents;
            for t in self.horizon.covered(&self.shifts[shift], day) {
                let r = self.horizon.required[t] as i64;
                let before = (r - self.scheduled[t]).max(0);
                self.scheduled[t] += agents;
                self.short += (r - self.scheduled[t]).max(0) - before;
            }
        }
    }

    pub(super) fn add_tour(&mut self, tour: &Tour, agents: i64) {
        for (days, shift) in &tour.stretches {
            self.add_stretch(days, *shift, agents);
        }
    }

    /// Agent-intervals short of the requirement.
    pub(super) fn short(&self) -> i64 {
        self.short
    }

    /// For each of `shifts` worked on `days`: the short agent-intervals it would fill
    /// ([`CoverState::gain`]) and the intervals it covers where nobody is required
    /// ([`CoverState::idle`]). One pass over each day's intervals and prefix sums, so that
    /// pricing every shift of a stretch costs about as much as pricing one interval by one.
    pub(super) fn gains_and_idle(&self, days: &[usize], shifts: &[usize]) -> Vec<(i64, i64)> {
        let horizon = self.horizon;
        let d = horizon.interval_minutes;
        let n = horizon.required.len() as i64;
        let mut out = vec![(0i64, 0i64); shifts.len()];
        let (mut short_before, mut idle_before) =
            (vec![0i64; self.reach + 1], vec![0i64; self.reach + 1]);
        for &day in days {
            let midnight = (horizon.first_day + day as i64) * crate::time::MINUTES_PER_DAY;
            let base = (midnight - horizon.start_minute).div_euclid(d);
            for k in 0..self.reach {
                let t = base + k as i64;
                let (short, idle) = if (0..n).contains(&t) {
                    let r = horizon.required[t as usize];
                    (
                        i64::from((self.scheduled[t as usize]) < r as i64),
                        i64::from(r == 0),
                    )
                } else {
                    (0, 0)
                };
                short_before[k + 1] = short_before[k] + short;
                idle_before[k + 1] = idle_before[k] + idle;
            }
            let window = |sums: &[i64], w: &ShiftWindow| {
                sums[w.end] - sums[w.first] - (sums[w.break_to] - sums[w.break_from])
            };
            for (slot, &s) in out.iter_mut().zip(shifts) {
                let w = &self.windows[s];
                slot.0 += window(&short_before, w);
                slot.1 += window(&idle_before, w);
            }
        }
        out
    }

    /// The most copies of `tour` that each fill every short interval the first fills: the
    /// least shortfall among them (at least 1).
    pub(super) fn copies_that_fill(&self, tour: &Tour) -> i64 {
        tour.stretches
            .iter()
            .flat_map(|(days, s)| {
                days.iter()
                    .flat_map(move |&day| self.horizon.covered(&self.shifts[*s], day))
            })
            .map(|t| self.horizon.required[t] as i64 - self.scheduled[t])
            .filter(|&short| short > 0)
            .min()
            .unwrap_or(1)
            .min(self.tour_room(tour))
            .max(1)
    }

    /// How many short agent-intervals `shift` worked on `days` would fill.
    pub(super) fn gain(&self, days: &[usize], shift: usize) -> i64 {
        days.iter()
            .flat_map(|&day| self.horizon.covered(&self.shifts[shift], day))
            .filter(|&t| self.scheduled[t] < self.horizon.required[t] as i64)
            .count() as i64
    }

    /// How many intervals `shift` worked on `days` covers where nobody is required: paid time
    /// that serves no one, the tie-breaker between shifts that fill as much.
    pub(super) fn idle(&self, days: &[usize], shift: usize) -> i64 {
        days.iter()
            .flat_map(|&day| self.horizon.covered(&self.shifts[shift], day))
            .filter(|&t| self.horizon.required[t] == 0)
            .count() as i64
    }

    /// How many agent-intervals would fall short if `shift` worked on `days` were taken away.
    pub(super) fn loss(&self, days: &[usize], shift: usize) -> i64 {
        days.iter()
            .flat_map(|&day| self.horizon.covered(&self.shifts[shift], day))
            .filter(|&t| self.scheduled[t] <= self.horizon.required[t] as i64)
            .count() as i64
    }
}
