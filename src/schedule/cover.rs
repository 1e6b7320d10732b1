//! The covering problem in index form: candidate shifts, which intervals each one works, and
//! what a plan costs. Shared by the LP, the rounding heuristics and branch and bound.

use super::templates::ShiftTemplates;
use super::{Requirement, ShortfallCause};
use crate::time::MINUTES_PER_DAY;

/// A candidate shift: start interval, length and break position, in intervals.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate {
    pub start: usize,
    pub length: usize,
    /// `(offset from start, length)` of the unpaid break.
    pub break_at: Option<(usize, usize)>,
    /// Objective cost of one agent on this shift.
    pub cost: f64,
}

impl Candidate {
    /// Offsets (from the start) of the intervals where the agent works.
    pub fn working(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.length).filter(move |o| self.break_at.is_none_or(|(b, l)| *o < b || *o >= b + l))
    }
}

/// Every shift the templates allow in the horizon, with its cost.
fn candidates(req: &Requirement, templates: &ShiftTemplates) -> Vec<Candidate> {
    let d = req.interval_minutes as usize;
    let costs = &templates.costs;
    let night = |minute_of_day: usize| {
        let hour = (minute_of_day / 60) as u32;
        let (start, end) = (costs.night_start_hour, costs.night_end_hour);
        if start <= end {
            hour >= start && hour < end
        } else {
            hour >= start || hour < end
        }
    };
    let mut out = Vec::new();
    for start in 0..req.len() {
        let minute_of_day = req.minute(start).rem_euclid(MINUTES_PER_DAY) as u32;
        if !templates.may_start(minute_of_day) {
            continue;
        }
        for &hours in &templates.lengths_hours {
            let length = (hours * 60.0).round() as usize / d;
            // A shift longer than the whole horizon would wrap onto itself and count an
            // interval twice: it cannot be part of a plan of this requirement.
            if length == 0 || length > req.len() {
                continue;
            }
            let breaks: Vec<Option<(usize, usize)>> = match &templates.break_rule {
                Some(b) if hours >= b.min_shift_hours => (b.earliest_after_start_minutes
                    ..=b.latest_after_start_minutes)
                    .step_by(b.step_minutes as usize)
                    .map(|offset| Some((offset as usize / d, b.minutes as usize / d)))
                    .filter(|brk| brk.is_some_and(|(o, l)| o + l <= length))
                    .collect(),
                _ => vec![None],
            };
            for break_at in breaks {
                let mut candidate = Candidate {
                    start,
                    length,
                    break_at,
                    cost: 0.0,
                };
                let worked: Vec<usize> = candidate.working().collect();
                let night_intervals = worked
                    .iter()
                    .filter(|&&o| {
                        night((minute_of_day as usize + o * d) % MINUTES_PER_DAY as usize)
                    })
                    .count();
                let paid_hours = worked.len() as f64 * d as f64 / 60.0;
                candidate.cost = costs.paid_hour
                    * (paid_hours + costs.night_premium * night_intervals as f64 * d as f64 / 60.0)
                    + costs.over_staffing_per_interval * worked.len() as f64;
                out.push(candidate);
            }
        }
    }
    out
}

/// The template rule that leaves interval `t` of a cyclic horizon of `n` without any
/// candidate working it.
fn blocking_rule(
    shifts: &[Candidate],
    t: usize,
    n: usize,
    d: usize,
    templates: &ShiftTemplates,
) -> ShortfallCause {
    let spans = |c: &Candidate| (t + n - c.start % n) % n < c.length;
    match &templates.break_rule {
        Some(b) if shifts.iter().any(spans) => ShortfallCause::OnBreak {
            break_minutes: b.minutes,
            earliest_after_start_minutes: b.earliest_after_start_minutes,
            latest_after_start_minutes: b.latest_after_start_minutes,
        },
        _ if shifts.is_empty()
            && templates
                .lengths_hours
                .iter()
                .all(|&h| (h * 60.0).round() as usize / d.max(1) > n) =>
        {
            ShortfallCause::ShiftsLongerThanHorizon {
                shortest_hours: templates
                    .lengths_hours
                    .iter()
                    .copied()
                    .fold(f64::INFINITY, f64::min),
                horizon_hours: (n * d) as f64 / 60.0,
            }
        }
        _ if shifts.is_empty() => ShortfallCause::NoStartInPeriod {
            start_windows: templates.describe_windows(),
            start_step_minutes: templates.start_step(),
        },
        _ => ShortfallCause::NoStartEarlyEnough {
            start_windows: templates.describe_windows(),
            longest_hours: templates.lengths_hours.iter().copied().fold(0.0, f64::max),
        },
    }
}

/// minimise Σₖ cₖ·xₖ + p·Σ_{t soft} uₜ   subject to   Σ_{k works t} xₖ + uₜ ≥ rₜ,
/// 0 ≤ xₖ ≤ `max_agents`, xₖ integer.
pub(super) struct Cover {
    pub shifts: Vec<Candidate>,
    /// The candidates working in each interval.
    pub by_interval: Vec<Vec<usize>>,
    /// The candidates on their break in each interval.
    pub on_break: Vec<Vec<usize>>,
    /// For each candidate, the range of candidates with the same start and length (they
    /// differ only in where the break is).
    pub family: Vec<std::ops::Range<usize>>,
    /// Agents required per interval, as given.
    pub required: Vec<u32>,
    /// Intervals that may be left short (`uₜ` exists): all with `--allow-under`, else only
    /// those no candidate works.
    pub soft: Vec<bool>,
    pub uncoverable: Vec<bool>,
    /// Why no candidate works an interval, for each uncoverable one.
    pub blocked_by: Vec<Option<ShortfallCause>>,
    pub under_penalty: f64,
    pub max_agents: u32,
    /// Agents on a used shift (0 or 1 = no minimum).
    pub min_agents: u32,
}

impl Cover {
    pub fn new(req: &Requirement, templates: &ShiftTemplates, allow_under: bool) -> Self {
        let n = req.len();
        let shifts = candidates(req, templates);
        let mut by_interval: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (k, c) in shifts.iter().enumerate() {
            for o in c.working() {
                by_interval[(c.start + o) % n].push(k);
            }
        }
        let mut on_break: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (k, c) in shifts.iter().enumerate() {
            if let Some((b, l)) = c.break_at {
                for o in b..b + l {
                    on_break[(c.start + o) % n].push(k);
                }
            }
        }
        let mut family = vec![0..0; shifts.len()];
        let mut first = 0;
        for k in 1..=shifts.len() {
            let same = |a: usize, b: usize| {
                shifts[a].start == shifts[b].start && shifts[a].length == shifts[b].length
            };
            if k == shifts.len() || !same(first, k) {
                family[first..k].fill(first..k);
                first = k;
            }
        }
        let uncoverable: Vec<bool> = by_interval.iter().map(|c| c.is_empty()).collect();
        let blocked_by = (0..n)
            .map(|t| {
                uncoverable[t]
                    .then(|| blocking_rule(&shifts, t, n, req.interval_minutes as usize, templates))
            })
            .collect();
        let max_agents = templates
            .max_agents_per_shift
            .unwrap_or_else(|| req.required.iter().copied().max().unwrap_or(0).max(1));
        Cover {
            soft: uncoverable.iter().map(|&u| u || allow_under).collect(),
            shifts,
            by_interval,
            on_break,
            family,
            required: req.required.clone(),
            uncoverable,
            blocked_by,
            under_penalty: templates.costs.under_staffing_per_interval.max(1e-6),
            max_agents,
            min_agents: templates.min_agents_per_shift,
        }
    }

    pub fn intervals(&self) -> usize {
        self.required.len()
    }

    /// What the heuristics must cover: the requirement, less what no shift can cover.
    pub fn coverable(&self, t: usize) -> i64 {
        if self.uncoverable[t] {
            0
        } else {
            self.required[t] as i64
        }
    }

    /// The intervals (wrapped onto the horizon) where an agent of candidate `k` works.
    pub fn worked(&self, k: usize) -> impl Iterator<Item = usize> + '_ {
        let (c, n) = (&self.shifts[k], self.intervals());
        c.working().map(move |o| (c.start + o) % n)
    }

    /// Adds `agents` (negative: removes) on candidate `k` to per-interval counts.
    pub fn add(&self, scheduled: &mut [i64], k: usize, agents: i64) {
        for t in self.worked(k) {
            scheduled[t] += agents;
        }
    }

    /// Agents working in each interval for shift counts `x`.
    pub fn scheduled(&self, x: &[f64]) -> Vec<i64> {
        let mut scheduled = vec![0i64; self.intervals()];
        for (k, &v) in x.iter().enumerate() {
            if v > 0.0 {
                self.add(&mut scheduled, k, v as i64);
            }
        }
        scheduled
    }

    /// Objective of integer shift counts: their cost plus the penalty of every agent short.
    pub fn objective(&self, x: &[f64]) -> f64 {
        let shifts: f64 = x.iter().zip(&self.shifts).map(|(v, c)| v * c.cost).sum();
        let scheduled = self.scheduled(x);
        let short: f64 = (0..self.intervals())
            .map(|t| (self.required[t] as i64 - scheduled[t]).max(0) as f64)
            .sum();
        shifts + self.under_penalty * short
    }

    /// The largest unit every plan's objective is a whole multiple of (e.g. 0.5 for paid
    /// hours on a 30-minute grid), if there is one: costs are floats, so it is found by
    /// Euclid's algorithm with a tolerance. No plan costs less than the LP bound rounded up
    /// to this unit, which is what lets a plan be proven optimal.
    pub fn cost_unit(&self) -> Option<f64> {
        let mut costs: Vec<f64> = self.shifts.iter().map(|c| c.cost).collect();
        if self.soft.iter().any(|&s| s) {
            costs.push(self.under_penalty);
        }
        let largest = costs.iter().copied().fold(0.0, f64::max);
        let tolerance = largest * 1e-9;
        let gcd = |mut a: f64, mut b: f64| {
            while b > tolerance {
                (a, b) = (b, a % b);
                // a % b close to b is a whole multiple up to rounding.
                if b > a - tolerance {
                    b = 0.0;
                }
            }
            a
        };
        let unit = costs.into_iter().filter(|&c| c > 0.0).fold(0.0, gcd);
        (unit > largest * 1e-6).then_some(unit)
    }

    /// The LP bound rounded up to the cost unit.
    pub fn integer_bound(&self, lp_bound: f64) -> f64 {
        match self.cost_unit() {
            Some(unit) => ((lp_bound / unit) - 1e-6).ceil() * unit,
            None => lp_bound,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week() -> Requirement {
        Requirement {
            region: "r".into(),
            start_minute: 0,
            interval_minutes: 30,
            required: vec![1; 336],
        }
    }

    #[test]
    fn the_cost_unit_is_the_gcd_of_the_shift_costs() {
        // 4, 6, 8, 10 and 12 paid hours: every plan costs an even number of hours.
        let cover = Cover::new(&week(), &ShiftTemplates::default(), false);
        assert_eq!(cover.cost_unit(), Some(2.0));
        // A 30-minute unpaid break in 6-hour shifts: 4 and 5.5 paid hours, unit 0.5.
        let templates = ShiftTemplates {
            lengths_hours: vec![4.0, 6.0],
            break_rule: Some(super::super::templates::BreakRule {
                minutes: 30,
                min_shift_hours: 6.0,
                earliest_after_start_minutes: 120,
                latest_after_start_minutes: 180,
                step_minutes: 60,
            }),
            ..Default::default()
        };
        let cover = Cover::new(&week(), &templates, false);
        assert_eq!(cover.cost_unit(), Some(0.5));
        // 1168.4 h is not a plan's cost; 1168.5 h can be.
        assert!((cover.integer_bound(1168.4) - 1168.5).abs() < 1e-9);
        assert!((cover.integer_bound(1168.5) - 1168.5).abs() < 1e-9);
    }

    #[test]
    fn an_irrational_cost_ratio_has_no_unit() {
        let mut templates = ShiftTemplates::default();
        templates.costs.night_premium = std::f64::consts::PI / 10.0;
        let cover = Cover::new(&week(), &templates, false);
        // Night minutes scaled by π/10 next to plain half-hours: nothing divides both.
        assert!(cover.cost_unit().is_none_or(|u| u < 1e-3));
        assert!((cover.integer_bound(1168.4) - 1168.4).abs() < 1e-3);
    }
}
