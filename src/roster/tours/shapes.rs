//! Which shift types and tour shapes the search may use: the templates' shifts capped to the
//! ones that matter, and the search over them.

use super::solve::Rounding;
use super::*;

/// A guard on any one LP: past it the search goes on from what it has (a greedy cover, or no
/// bound), which no input seen so far comes near (the largest solve is under a second).
pub(super) const LP_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Tours the column generation may generate per region before it stops with Farley's bound:
/// a count, not a time, so that the same input always gives the same roster. Re-solves grow
/// with the tours, and sparse 24-hour queues converge slowly (40 rounds took 75 s on the 911
/// log's three queues).
pub(super) const COLUMN_GENERATION_TOURS: usize = 700;

/// The `cap` shift types to keep of those the tours work (`worked`: days per type): first, while
/// some time of day that is ever required is worked by no kept type, the type that works most
/// such times (then the most worked); then the most worked. Only a type the tours already work
/// can be kept, so a time of day none of them covers on the same day stays uncovered and is
/// reported.
pub(super) fn capped_shift_types(
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
pub(super) const LOCAL_SEARCH_TOURS: usize = 400;

/// Adds `counts` (tours and how many of each) to `cover` and improves them by local search:
/// all of them up to [`LOCAL_SEARCH_TOURS`], else each tour's share of that many, the rest
/// kept as they are. Returns every tour, one entry per agent.
pub(super) fn searched(
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
pub(super) fn counted(tours: Vec<Tour>) -> Vec<(Tour, usize)> {
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
/// `bound_required` (steps 1–3 of the module notes). With `one_start` (the blocks of a long
/// horizon, where each start costs a second) only the LP rounded to the nearest is repaired and
/// improved; otherwise `rounding` says whether the dive and the LP rounded down are too.
#[allow(clippy::too_many_arguments)]
pub(super) fn search<'a>(
    horizon: &'a Horizon,
    shifts: &'a [DayShift],
    shapes: &[Shape],
    classes: &[f64],
    bound_required: &[u32],
    one_start: bool,
    rounding: Rounding,
    relaxation: Option<&Relaxation>,
    max_per_shift: Option<u32>,
) -> (CoverState<'a>, Vec<Tour>, f64, Relaxation) {
    let mut cover = CoverState::new(horizon, shifts).with_cap(max_per_shift);
    let mut seed: Vec<Tour> = Vec::new();
    greedy_cover(&mut cover, &mut seed, shapes, classes);
    // The compact LP gives the exact bound and the tours of an optimum; the column generation
    // is the fallback should the interior point fail.
    // Solved already when the horizon is searched again with another rounding.
    let solved = match relaxation {
        Some(known) => known.clone(),
        None => compact::relaxation(&cover, shapes, classes, bound_required),
    };
    let relaxation = solved.clone();
    let compact_solved = solved.is_some();
    // A block of a long horizon prices only the LP's own tours: the greedy ones double the
    // columns of the dive, its slowest step, and the local search repairs what they leave.
    let pool_seed = if one_start && compact_solved {
        &[][..]
    } else {
        &seed[..]
    };
    let dive = !one_start && rounding == Rounding::Dive;
    let (pool, starts, mut tour_bound) = match solved {
        // The interior point's own tours rounded: no simplex at all.
        Some((tours, weights, bound)) if rounding == Rounding::Interior && !one_start => {
            let nearest = weights.iter().map(|w| w.round()).collect();
            (tours, vec![nearest], bound)
        }
        solved => {
            let solved = solved.map(|(tours, _, bound)| (tours, bound));
            column_generation(&cover, shapes, classes, pool_seed, solved, dive)
        }
    };
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
    (cover, tours, tour_bound, relaxation)
}

/// The compact LP's tours, their weights (agents) and its optimum; none if the interior point
/// failed.
pub(super) type Relaxation = Option<(Vec<Tour>, Vec<f64>, f64)>;

/// The tour shapes of a region: every days-off pattern × contract class (the agents' contracts
/// and the rules' default, in order) with the shifts whose weeks meet the contract.
pub(super) fn tour_shapes(
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
