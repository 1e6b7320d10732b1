//! Solving one region: in one piece up to five weeks, else week blocks chained at their seams;
//! the tours matched to agents and written out as a roster.

use super::*;

/// One block matched: its horizon, its tours and their agents (`None`: a hire).
pub(super) type BlockMatch = (Horizon, Vec<Tour>, Vec<Option<usize>>);

/// One block's tours: what `search` found, with its bounds.
pub(super) struct BlockTours {
    pub(super) tours: Vec<Tour>,
    pub(super) lower_bound: usize,
    pub(super) tour_bound: usize,
    /// The compact LP's solution, for a search again with another rounding.
    relaxation: Relaxation,
}

/// How whole tours are taken from the LP (step 3 of the module notes), from the fastest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Rounding {
    /// The compact LP's own tours (an interior point, split) rounded to the nearest and
    /// repaired: no simplex at all (a horizon in one piece only).
    Interior,
    /// The simplex over those tours and the greedy ones, its vertex rounded to the nearest
    /// and repaired: fewer fractional tours than the interior point, for a few seconds more on
    /// a large queue.
    Nearest,
    /// The dive as well (fix the largest fractional tour, re-solve, until whole) and the LP
    /// rounded down, the fewest tours of the three kept. The dive re-solves the LP once per
    /// fractional tour: most of a month's time on a large queue.
    Dive,
}

/// Steps 1–3 (and the cap on shift types) for one horizon: its tours, sorted by their first
/// start, with the rules' bound and the tour bound, both on `bound_required` (the horizon's
/// own requirement, or with a block's first hours let off).
#[allow(clippy::too_many_arguments)]
pub(super) fn solve_tours(
    horizon: &Horizon,
    shifts: &[DayShift],
    rules: &WorkRules,
    agents: &[&Agent],
    bound_required: &[u32],
    one_start: bool,
    rounding: Rounding,
    known: Option<&(Relaxation, usize)>,
    max_per_shift: Option<u32>,
) -> BlockTours {
    let (mut shapes, classes) = tour_shapes(horizon, shifts, rules, agents);
    let bound_horizon = Horizon {
        required: bound_required.to_vec(),
        ..horizon.clone()
    };
    // A horizon searched again with another rounding keeps its LP and bound.
    let lower_bound = match known {
        Some(&(_, bound)) => bound,
        None => lower_bound(&bound_horizon, shifts, rules, classes[classes.len() - 1]),
    };
    let run = |shapes: &[Shape], relaxation: Option<&Relaxation>| {
        search(
            horizon,
            shifts,
            shapes,
            &classes,
            bound_required,
            one_start,
            rounding,
            relaxation,
            max_per_shift,
        )
    };
    let (_, mut tours, tour_bound, relaxation) = run(&shapes, known.map(|k| &k.0));
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
            tours = run(&shapes, None).1;
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
        relaxation,
    }
}

/// The blocks of a horizon as ranges of its intervals: one, or (past [`ONE_PIECE_DAYS`]) one
/// per calendar week, Monday to Sunday (the first and last may be shorter), so that no week's
/// days off or hours span two blocks.
pub(super) fn blocks_of(horizon: &Horizon) -> Vec<std::ops::Range<usize>> {
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
/// Agents marked in `honour_contract` get a tour of their contract even where the fewest tours
/// leave them without one ([`super::contracts`]).
///
/// A horizon in one piece takes its tours from the compact LP's own point rounded first, then
/// from the simplex's vertex rounded, then dives, each only while the last needs hires or
/// leaves an agent of the team idle: where the whole team works anyway, a few tours fewer
/// change nobody's month, and the simplex and the dive take most of a large queue's time (250
/// agents: the dive 28 s of 42, the simplex 4–8 s of the rest).
pub fn roster_region(
    req: &Requirement,
    agents: &[&Agent],
    honour_contract: &[bool],
    shifts: &[DayShift],
    rules: &WorkRules,
    max_per_shift: Option<u32>,
) -> TourRoster {
    use rayon::prelude::*;
    let horizon = Horizon::new(req);
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
    let solve_blocks = |rounding: Rounding, known: &[(Relaxation, usize)]| {
        blocks
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
                    rounding,
                    known.get(b),
                    max_per_shift,
                );
                (block_horizon, tours)
            })
            .collect::<Vec<(Horizon, BlockTours)>>()
    };
    let first = if one_piece {
        Rounding::Interior
    } else {
        Rounding::Nearest
    };
    let fast = solve_blocks(first, &[]);
    let known: Vec<(Relaxation, usize)> = (fast.iter())
        .map(|(_, found)| (found.relaxation.clone(), found.lower_bound))
        .collect();
    let matched = |solved| {
        match_blocks(
            solved,
            agents,
            honour_contract,
            shifts,
            rules,
            max_per_shift,
            one_piece,
        )
    };
    let mut best = matched(fast);
    // What a rounding costs: hires, then people (agents who work and hires). Fewer tours can
    // only lower it while someone is hired or an agent of the team is left idle (their
    // contract not kept, e.g. rules `min_hours_per_week = 0`); else everyone works anyway.
    let cost = |r: &(TourRoster, Vec<bool>)| {
        let working = r.1.iter().filter(|&&w| w).count();
        (r.0.hires, working + r.0.hires)
    };
    let settled = |r: &(TourRoster, Vec<bool>)| r.0.hires == 0 && r.1.iter().all(|&w| w);
    if one_piece {
        // Each slower rounding only while the last leaves something to win; on a tie the
        // later (closer to the LP's optimum) is kept.
        for rounding in [Rounding::Nearest, Rounding::Dive] {
            if settled(&best) {
                break;
            }
            let next = matched(solve_blocks(rounding, &known));
            if cost(&next) <= cost(&best) {
                best = next;
            }
        }
    }
    finish_region(best, &horizon, shifts)
}

/// The blocks' tours (`solved`, in order) matched to `agents`, each block's agents chained to
/// the last's across the seam, every contract honoured: the region's tours and their agents,
/// its bounds and hires (the headcount, coverage and what is short are `finish_region`'s).
fn match_blocks(
    solved: Vec<(Horizon, BlockTours)>,
    agents: &[&Agent],
    honour_contract: &[bool],
    shifts: &[DayShift],
    rules: &WorkRules,
    max_per_shift: Option<u32>,
    one_piece: bool,
) -> (TourRoster, Vec<bool>) {
    let contract_of = |a: &Agent| {
        a.contract_hours_per_week
            .unwrap_or(rules.contract_hours_per_week)
    };
    let first_day = solved.first().map_or(0, |(h, _)| h.first_day);
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
        over_before_contracts: 0,
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
        roster.over_before_contracts += over_required(&block_horizon, shifts, &found.tours);
        // Every agent of the team is paid their contract: none is left without a tour while
        // a hire works one.
        super::contracts::honour_contracts(
            &block_horizon,
            shifts,
            rules,
            agents,
            honour_contract,
            &contract_of,
            (!one_piece).then_some(&seams[..]),
            &mut found.tours,
            &mut agent_of,
            max_per_shift,
        );
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
        let offset = (block_horizon.first_day - first_day) as usize;
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
    (roster, works)
}

/// The region's headcount (agents who work, and the most hires any block needs), its coverage
/// and the intervals left short.
fn finish_region(
    (mut roster, works): (TourRoster, Vec<bool>),
    horizon: &Horizon,
    shifts: &[DayShift],
) -> TourRoster {
    roster.headcount = works.iter().filter(|&&w| w).count() + roster.hires;
    let mut cover = CoverState::new(horizon, shifts);
    for tour in &roster.tours {
        cover.add_tour(tour, 1);
    }
    roster.uncovered = (0..horizon.required.len())
        .filter(|&t| cover.scheduled[t] < horizon.required[t] as i64)
        .collect();
    roster.scheduled = cover.scheduled.iter().map(|&c| c.max(0) as u32).collect();
    roster
}

/// Agent-intervals of `tours` above `horizon`'s requirement.
fn over_required(horizon: &Horizon, shifts: &[DayShift], tours: &[Tour]) -> u64 {
    let mut cover = CoverState::new(horizon, shifts);
    for tour in tours {
        cover.add_tour(tour, 1);
    }
    (cover.scheduled.iter().zip(&horizon.required))
        .map(|(&s, &r)| (s - r as i64).max(0) as u64)
        .sum()
}

/// An agent who first works in a later week of a long horizon would have whole weeks of no
/// hours before it: from that week back, each earlier whole week gets a copy of one of its
/// tours the agent may work (contract, days off, start limits, the templates' cap) and that
/// leaves the rest and consecutive days to the next week's tour; coverage only grows. A week
/// with no such tour stays empty (and the verifier reports it).
pub(super) fn fill_weeks_before_first(
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
pub(super) fn seam_after(horizon: &Horizon, tour: &Tour, shifts: &[DayShift]) -> Option<Seam> {
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
