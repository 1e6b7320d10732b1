//! The search for tours: coverage bookkeeping, the column generation of the LP relaxation with
//! its dive to whole tours, the greedy cover and the local search.

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

/// The LP relaxation of the tour model by column generation: min Σ zⱼ over tours j subject to
/// every coverable interval covered, tours priced stretch by stretch. microlp gives no duals,
/// so the dual (max Σ rₜπₜ subject to Σ_{t∈j} πₜ ≤ 1 for every tour j) is solved instead, and
/// each tour that prices out is added to it as a cut and re-solved warm. Returns the tours
/// generated, three sets of tour counts to start from (the dive's whole counts, the LP's
/// values to be rounded down, and the LP rounded to the nearest) and a lower bound on the tours of any tour roster (the LP
/// optimum, or Farley's bound z / max_j Σ_{t∈j} πₜ when stopped early). With `solved` (the
/// compact LP's tours and bound) the tours are not generated but taken from it. Without `dive`
/// only the LP rounded to the nearest is returned.
pub(super) fn column_generation(
    cover: &CoverState,
    shapes: &[Shape],
    classes: &[f64],
    seed: &[Tour],
    solved: Option<(Vec<Tour>, f64)>,
    dive: bool,
) -> (Vec<Tour>, Vec<Vec<f64>>, f64) {
    let horizon = cover.horizon;
    let n = horizon.required.len();
    let mut coverable = vec![false; n];
    for shape in shapes {
        for days in &shape.stretches {
            for &s in &shape.shifts {
                for &day in days {
                    for t in horizon.covered(&cover.shifts[s], day) {
                        coverable[t] = true;
                    }
                }
            }
        }
    }
    let rows: Vec<usize> = (0..n)
        .filter(|&t| coverable[t] && horizon.required[t] > 0)
        .collect();
    if rows.is_empty() {
        return (Vec::new(), Vec::new(), 0.0);
    }
    let mut row_of = vec![usize::MAX; n];
    for (i, &t) in rows.iter().enumerate() {
        row_of[t] = i;
    }
    let intervals = |tour: &Tour| -> Vec<usize> {
        let mut out: Vec<usize> = tour
            .stretches
            .iter()
            .flat_map(|(days, s)| {
                days.iter()
                    .flat_map(move |&day| horizon.covered(&cover.shifts[*s], day))
            })
            .filter(|&t| row_of[t] != usize::MAX)
            .map(|t| row_of[t])
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    };
    let mut pool: Vec<Tour> = Vec::new();
    let bound = if let Some((tours, bound)) = solved {
        // The LP is solved already (`compact`): its tours and the seed are the pool.
        for tour in seed.iter().chain(&tours) {
            if !pool.contains(tour) {
                pool.push(tour.clone());
            }
        }
        bound
    } else {
        let mut dual = Problem::new(OptimizationDirection::Maximize);
        let pi: Vec<Variable> = rows
            .iter()
            .map(|&t| dual.add_var(horizon.required[t] as f64, (0.0, f64::INFINITY)))
            .collect();
        let cut = |tour: &Tour| -> Vec<(Variable, f64)> {
            intervals(tour).into_iter().map(|i| (pi[i], 1.0)).collect()
        };
        for tour in seed {
            if !pool.contains(tour) {
                dual.add_constraint(&cut(tour)[..], ComparisonOp::Le, 1.0);
                pool.push(tour.clone());
            }
        }
        dual.set_time_limit(LP_TIME_LIMIT);
        let Some(mut solution) = dual.solve().ok().and_then(|o| o.into_solution().ok()) else {
            return (Vec::new(), Vec::new(), 0.0);
        };
        // Tours priced at duals `values`: a hair less for idle time, so that among tours worth
        // as much the one paid to wait least is generated.
        let price_tours = |values: &[f64]| {
            best_tours(cover, shapes, classes, &|t: usize| {
                if row_of[t] == usize::MAX {
                    -1e-7
                } else {
                    values[row_of[t]]
                }
            })
        };
        // Wentges (1997) smoothing: tours are priced at a mix of the best duals seen so far (by
        // Farley's bound) and the restricted LP's, which keeps the duals from swinging between
        // rounds; only where that finds no tour worth adding are the LP's own duals priced.
        let required: Vec<f64> = rows.iter().map(|&t| horizon.required[t] as f64).collect();
        let mut center: Option<(Vec<f64>, f64)> = None;
        loop {
            let current: Vec<f64> = pi.iter().map(|&v| solution.var_value_raw(v)).collect();
            let mut new: Vec<Tour> = Vec::new();
            for alpha in [SMOOTHING, 0.0] {
                let at: Vec<f64> = match &center {
                    Some((c, _)) if alpha > 0.0 => c
                        .iter()
                        .zip(&current)
                        .map(|(c, x)| alpha * c + (1.0 - alpha) * x)
                        .collect(),
                    _ if alpha > 0.0 => continue,
                    _ => current.clone(),
                };
                let priced = price_tours(&at);
                let most = priced.iter().map(|p| p.0).fold(1.0, f64::max);
                let farley = required.iter().zip(&at).map(|(r, p)| r * p).sum::<f64>() / most;
                if center.as_ref().is_none_or(|(_, b)| farley > *b) {
                    center = Some((at, farley));
                }
                // Worth adding: priced out at the LP's own duals.
                new = priced
                    .into_iter()
                    .map(|(_, t)| t)
                    .filter(|t| {
                        intervals(t).iter().map(|&i| current[i]).sum::<f64>() > 1.0 + 1e-6
                            && !pool.contains(t)
                    })
                    .collect();
                if !new.is_empty() {
                    break;
                }
            }
            if new.is_empty() || pool.len() > COLUMN_GENERATION_TOURS {
                break;
            }
            let mut next = Some(solution);
            for tour in new {
                let row = cut(&tour);
                pool.push(tour);
                next = next
                    .and_then(|s| s.add_constraint(&row[..], ComparisonOp::Le, 1.0).ok())
                    .and_then(|o| o.into_solution().ok());
            }
            match next {
                Some(s) => solution = s,
                None => break,
            }
        }
        center.map_or(0.0, |(_, b)| b)
    };
    // The primal over the tours generated: their LP values.
    let mut primal = Problem::new(OptimizationDirection::Minimize);
    // Costs a hair apart: set covering is degenerate, and equal costs can stall the simplex
    // (a minute and more on January 2000 of the bank) where these take half a second.
    let z: Vec<Variable> = pool
        .iter()
        .enumerate()
        .map(|(j, _)| primal.add_var(1.0 + 1e-6 * (j % 97) as f64, (0.0, f64::INFINITY)))
        .collect();
    let mut by_row: Vec<Vec<(Variable, f64)>> = vec![Vec::new(); rows.len()];
    for (j, tour) in pool.iter().enumerate() {
        for i in intervals(tour) {
            by_row[i].push((z[j], 1.0));
        }
    }
    for (i, row) in by_row.iter().enumerate() {
        primal.add_constraint(&row[..], ComparisonOp::Ge, horizon.required[rows[i]] as f64);
    }
    // Diving: fix the largest fractional tour count up and re-solve warm, until whole.
    primal.set_time_limit(LP_TIME_LIMIT);
    let mut solution = primal.solve().ok().and_then(|o| o.into_solution().ok());
    let relaxed: Vec<f64> = solution.as_ref().map_or(vec![0.0; pool.len()], |s| {
        z.iter().map(|&v| s.var_value_raw(v)).collect()
    });
    if !dive {
        // Rounded to the nearest only: the dive re-solves once per fractional tour, most of a
        // week's time, and on a 24/7 week it ends one tour in 180 better.
        let nearest = relaxed.iter().map(|v| v.round()).collect();
        return (pool, vec![nearest], bound);
    }
    let mut fixed = vec![false; pool.len()];
    let mut values = vec![0.0; pool.len()];
    while let Some(current) = solution {
        values = z.iter().map(|&v| current.var_value_raw(v)).collect();
        let next = (0..pool.len())
            .filter(|&j| !fixed[j] && (values[j] - values[j].round()).abs() > 1e-6)
            .max_by(|&a, &b| values[a].total_cmp(&values[b]).then(b.cmp(&a)));
        let Some(j) = next else {
            break;
        };
        fixed[j] = true;
        solution = current
            .fix_var(z[j], values[j].ceil())
            .ok()
            .and_then(|o| o.into_solution().ok());
    }
    let counts = values.iter().map(|v| (v + 1e-6).floor()).collect();
    // Rounded to the nearest whole tour as well: the local search adds what that leaves short.
    let nearest = relaxed.iter().map(|v| v.round()).collect();
    (pool, vec![counts, relaxed, nearest], bound)
}

/// The best tour of each shape at prices `price_of` (per interval of the requirement), stretch
/// by stretch, and its worth: the sum over stretches of the best shift's prices, a stretch
/// worth less than nothing counted as nothing (so never less than the tour's own worth).
pub(super) fn best_tours(
    cover: &CoverState,
    shapes: &[Shape],
    classes: &[f64],
    price_of: &dyn Fn(usize) -> f64,
) -> Vec<(f64, Tour)> {
    let horizon = cover.horizon;
    let price = |days: &[usize], s: usize| -> f64 {
        days.iter()
            .flat_map(|&day| horizon.covered(&cover.shifts[s], day))
            .map(price_of)
            .sum()
    };
    shapes
        .iter()
        .map(|shape| {
            let mut worth = 0.0;
            let stretches = shape
                .stretches
                .iter()
                .map(|days| {
                    let (w, s) = shape.shifts.iter().map(|&s| (price(days, s), s)).fold(
                        (f64::NEG_INFINITY, 0),
                        |best, x| {
                            if x.0 > best.0 + 1e-12 {
                                x
                            } else {
                                best
                            }
                        },
                    );
                    worth += w.max(0.0);
                    (days.clone(), s)
                })
                .collect();
            let tour = Tour {
                pattern: shape.pattern,
                contract_hours: classes[shape.class],
                stretches,
            };
            (worth, tour)
        })
        .collect()
}

/// Farley's (1990) lower bound on the tours of any roster from interval prices `prices` ≥ 0
/// (per interval of the requirement): Σ required × price over the most any tour is worth at
/// them (at least 1). Any prices give a valid bound; an optimal dual gives the LP optimum.
/// `bound_required` is the requirement bounded (the horizon's own, or one with the first hours
/// of a block after a seam let off, which the block before may cover).
pub(super) fn farley_bound(
    cover: &CoverState,
    shapes: &[Shape],
    classes: &[f64],
    prices: &[f64],
    bound_required: &[u32],
) -> f64 {
    let horizon = cover.horizon;
    let price_of = |t: usize| {
        if horizon.required[t] > 0 {
            prices[t].max(0.0)
        } else {
            0.0
        }
    };
    let most = best_tours(cover, shapes, classes, &price_of)
        .iter()
        .map(|(w, _)| *w)
        .fold(1.0, f64::max);
    let total: f64 = (0..horizon.required.len())
        .map(|t| bound_required[t] as f64 * price_of(t))
        .sum();
    total / most
}

/// The tour of `shape` that fills the most short agent-intervals, stretch by stretch.
pub(super) fn best_new_tour(cover: &CoverState, shape: &Shape, classes: &[f64]) -> (i64, Tour) {
    let mut gain = 0;
    let mut full = false;
    let stretches = shape
        .stretches
        .iter()
        .map(|days| {
            let priced = cover.gains_and_idle(days, &shape.shifts);
            let (g, s) = shape
                .shifts
                .iter()
                .zip(&priced)
                .filter(|(&s, _)| cover.room(days, s) > 0)
                .map(|(&s, &(gain, idle))| (gain, -idle, s))
                .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.cmp(&a.2)))
                .map(|(g, _, s)| (g, s))
                .unwrap_or_else(|| {
                    // Every shift of the stretch is at the templates' cap on some day.
                    full = true;
                    (0, shape.shifts[0])
                });
            gain += g;
            (days.clone(), s)
        })
        .collect();
    (
        if full { -1 } else { gain },
        Tour {
            pattern: shape.pattern,
            contract_hours: classes[shape.class],
            stretches,
        },
    )
}

/// Adds the tour that fills most until nothing coverable is short.
pub(super) fn greedy_cover(
    cover: &mut CoverState,
    tours: &mut Vec<Tour>,
    shapes: &[Shape],
    classes: &[f64],
) {
    while cover.short() > 0 {
        let best = shapes
            .iter()
            .map(|shape| best_new_tour(cover, shape, classes))
            .max_by(|a, b| a.0.cmp(&b.0));
        match best {
            Some((gain, tour)) if gain > 0 => {
                // As many copies as keep every interval it fills short: each copy fills as
                // much as the first and every other tour fills no more, so one at a time would
                // pick it again that often (a peak of 10,000 agents is one step, not 10,000).
                let copies = cover.copies_that_fill(&tour);
                cover.add_tour(&tour, copies);
                tours.extend(std::iter::repeat_n(tour, copies as usize));
            }
            _ => break,
        }
    }
}

/// Adds tours until nothing is short (or nothing more can be covered), then improves: moves of
/// one stretch to the shift that fills the most, and dropping tours whose work the others can
/// take over by such moves, until neither helps.
pub(super) fn local_search(
    cover: &mut CoverState,
    tours: &mut Vec<Tour>,
    shapes: &[Shape],
    classes: &[f64],
) {
    let shape_of = |tour: &Tour| {
        shapes
            .iter()
            .position(|s| s.pattern == tour.pattern && classes[s.class] == tour.contract_hours)
    };
    let repair =
        |cover: &mut CoverState, tours: &mut Vec<Tour>| greedy_cover(cover, tours, shapes, classes);
    // Moves that fill short intervals; true if any was made.
    let improve_moves = |cover: &mut CoverState, tours: &mut [Tour]| -> bool {
        let mut moved = false;
        loop {
            let mut any = false;
            for tour in tours.iter_mut() {
                let Some(shape) = shape_of(tour) else {
                    continue;
                };
                for j in 0..tour.stretches.len() {
                    let (days, current) = tour.stretches[j].clone();
                    cover.add_stretch(&days, current, -1);
                    let candidates = &shapes[shape].shifts;
                    let priced = cover.gains_and_idle(&days, candidates);
                    let keep = match candidates.iter().position(|&s| s == current) {
                        Some(i) => (priced[i].0, -priced[i].1),
                        None => (cover.gain(&days, current), -cover.idle(&days, current)),
                    };
                    let (best_key, best) = candidates
                        .iter()
                        .zip(&priced)
                        .filter(|(&s, _)| cover.room(&days, s) > 0)
                        .map(|(&s, &(gain, idle))| ((gain, -idle), s))
                        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
                        .unwrap_or((keep, current));
                    // Fill more, or as much with less idle time: strictly better, so it ends.
                    let chosen = if best_key > keep { best } else { current };
                    cover.add_stretch(&days, chosen, 1);
                    if chosen != current {
                        tour.stretches[j].1 = chosen;
                        any = true;
                        moved = true;
                    }
                }
            }
            if !any || cover.short() == 0 {
                return moved;
            }
        }
    };
    repair(cover, tours);
    improve_moves(cover, tours);
    repair(cover, tours);
    loop {
        let mut dropped = false;
        // Tours that add least where the requirement is tight go first.
        let mut order: Vec<(i64, usize)> = (0..tours.len())
            .map(|k| {
                let loss: i64 = tours[k]
                    .stretches
                    .iter()
                    .map(|(days, s)| cover.loss(days, *s))
                    .sum();
                (loss, k)
            })
            .collect();
        order.sort();
        for (_, k) in order {
            let before_tours: Vec<Tour> = tours.clone();
            let before_cover = cover.snapshot();
            cover.add_tour(&tours[k].clone(), -1);
            // An emptied tour stays in place (the order's indices hold) and is removed below.
            tours[k].stretches.clear();
            if cover.short() > 0 {
                improve_moves(cover, tours);
            }
            if cover.short() == 0 {
                dropped = true;
            } else {
                *tours = before_tours;
                cover.restore(before_cover);
            }
        }
        tours.retain(|t| !t.stretches.is_empty());
        if !dropped {
            break;
        }
    }
}

/// Gives each tour of a shape its rank's start in every stretch: tours of one shape share their
/// stretches, so handing a stretch's shifts out in start order leaves the coverage as it is and
/// keeps each person's start the same from week to week as far as the plan allows.
pub(super) fn align_starts(tours: &mut [Tour], shifts: &[DayShift]) {
    let mut shapes: Vec<(DaysOff, u64)> = tours
        .iter()
        .map(|t| (t.pattern, t.contract_hours.to_bits()))
        .collect();
    shapes.sort_unstable();
    shapes.dedup();
    for (pattern, contract) in shapes {
        let members: Vec<usize> = (0..tours.len())
            .filter(|&k| {
                tours[k].pattern == pattern && tours[k].contract_hours.to_bits() == contract
            })
            .collect();
        let stretches = tours[members[0]].stretches.len();
        for j in 0..stretches {
            let mut given: Vec<usize> = members.iter().map(|&k| tours[k].stretches[j].1).collect();
            given.sort_by_key(|&s| (shifts[s].start_minute_of_day, shifts[s].length_minutes, s));
            for (&k, s) in members.iter().zip(given) {
                tours[k].stretches[j].1 = s;
            }
        }
    }
}
