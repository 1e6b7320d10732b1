//! Every contract honoured: an agent of the team who got no tour is paid for their contract
//! anyway, so they get the tour of their contract that fills most of what is still short, and
//! a hire is asked for only when the whole team at its contracts still leaves intervals short.

use super::matching::{may_work, opening, seam_allows, without_leave, works_during_leave, Seam};
use super::search::{best_new_tour, CoverState};
use super::*;

/// Gives each agent of `agents` to be honoured here (`honour_contract`) who has no tour of `tours` (per `agent_of`) the tour of their
/// contract (their days off, start and end limits, time off, and the seam with their previous
/// block) that fills most of what the agents' tours leave short (where nothing is short, the
/// one that adds least where nobody is required). Then keeps, of the tours nobody of the team
/// works (hires), only those that still fill a short interval, the most filling first: a hire
/// the team's other tours now cover is dropped.
#[allow(clippy::too_many_arguments)]
pub(super) fn honour_contracts(
    horizon: &Horizon,
    shifts: &[DayShift],
    rules: &WorkRules,
    agents: &[&Agent],
    honour_contract: &[bool],
    contract_of: &dyn Fn(&Agent) -> f64,
    seams: Option<&[Option<Seam>]>,
    tours: &mut Vec<Tour>,
    agent_of: &mut Vec<Option<usize>>,
    max_per_shift: Option<u32>,
) {
    // Those with a weekly minimum (by default their contract) and no tour.
    let minimum = |agent: &Agent| {
        (agent.min_hours_per_week)
            .or(rules.min_hours_per_week)
            .unwrap_or_else(|| contract_of(agent))
    };
    let idle: Vec<usize> = (0..agents.len())
        .filter(|&a| honour_contract[a] && minimum(agents[a]) > 0.0)
        .filter(|&a| !agent_of.contains(&Some(a)))
        .collect();
    if idle.is_empty() && !agent_of.contains(&None) {
        return;
    }
    let (shapes, classes) = tour_shapes(horizon, shifts, rules, agents);
    // The team's tours alone: what the idle agents should fill before any hire.
    let mut cover = CoverState::new(horizon, shifts).with_cap(max_per_shift);
    let mut hires = Vec::new();
    let mut kept_tours = Vec::new();
    let mut kept_agents = Vec::new();
    for (tour, agent) in tours.drain(..).zip(agent_of.drain(..)) {
        match agent {
            Some(_) => {
                cover.add_tour(&tour, 1);
                kept_tours.push(tour);
                kept_agents.push(agent);
            }
            None => hires.push(tour),
        }
    }
    // Whether agent `a` may work `tour`: contract, days off, limits, time off, the seam.
    let allowed = |a: usize, tour: &Tour| {
        let agent = agents[a];
        may_work(agent, tour, shifts, contract_of)
            && !works_during_leave(horizon, tour, shifts, agent)
            && seams
                .and_then(|s| s[a])
                .is_none_or(|seam| seam_allows(&seam, opening(horizon, tour, shifts), rules))
    };
    // The tour of agent `a`'s contract that fills most of what `cover` leaves short.
    let best_own = |a: usize, cover: &CoverState| -> Option<(i64, Tour)> {
        let agent = agents[a];
        let contract = contract_of(agent);
        shapes
            .iter()
            .filter(|shape| {
                classes[shape.class] == contract && shape.pattern & agent.days_off == agent.days_off
            })
            .filter_map(|shape| {
                // Only the shifts the agent may start and end.
                let mine = Shape {
                    shifts: (shape.shifts.iter().copied())
                        .filter(|&s| {
                            let shift = &shifts[s];
                            let start = shift.start_minute_of_day;
                            agent
                                .earliest_start_minute
                                .is_none_or(|e| start >= e as i64)
                                && agent
                                    .latest_end_minute
                                    .is_none_or(|l| start + shift.length_minutes <= l as i64)
                        })
                        .collect(),
                    ..shape.clone()
                };
                if mine.shifts.is_empty() {
                    return None;
                }
                let (gain, tour) = best_new_tour(cover, &mine, &classes);
                // The agent's preferred start, when it fills as much.
                let window = (rules.start_time_window_hours * 60.0).round() as i64;
                let preferred = Shape {
                    shifts: (mine.shifts.iter().copied())
                        .filter(|&s| {
                            let start = shifts[s].start_minute_of_day;
                            agent.preferred_start_met(start, window) == Some(true)
                        })
                        .collect(),
                    ..mine.clone()
                };
                let (gain, tour) = match preferred.shifts.is_empty() {
                    true => (gain, tour),
                    false => match best_new_tour(cover, &preferred, &classes) {
                        (kept, tour) if kept >= gain => (kept, tour),
                        _ => (gain, tour),
                    },
                };
                // An agent with dated time off whom no whole tour fits works the tour without
                // the shifts their leave takes out (leave is paid; the rule check counts it).
                // Such a tour keeps the weekly hours unless the leave took a shift of a day it
                // does not cover (a night shift running into a day off).
                let holed = |tour: &Tour| {
                    let holed = without_leave(horizon, tour, shifts, agent);
                    let keeps = keeps_weekly_hours(horizon, &holed, shifts, agent, contract, rules);
                    (holed, keeps)
                };
                let on_leave = works_during_leave(horizon, &tour, shifts, agent);
                let (tour, keeps_hours) = if !on_leave {
                    (tour, true)
                } else {
                    let first = holed(&tour);
                    // Else the shape's best shift within a day, which no leave of the next
                    // day takes, may keep them.
                    let within_day = Shape {
                        shifts: (mine.shifts.iter().copied())
                            .filter(|&s| {
                                shifts[s].start_minute_of_day + shifts[s].length_minutes
                                    <= MINUTES_PER_DAY
                            })
                            .collect(),
                        ..mine.clone()
                    };
                    let retry = (!first.1 && !within_day.shifts.is_empty())
                        .then(|| holed(&best_new_tour(cover, &within_day, &classes).1));
                    retry.filter(|(_, keeps)| *keeps).unwrap_or(first)
                };
                // A holed tour fills only what the shifts left to it cover.
                let gain = match on_leave {
                    false => gain,
                    true => (tour.stretches.iter())
                        .map(|(days, s)| cover.gain(days, *s))
                        .sum(),
                };
                (gain >= 0 && !tour.stretches.is_empty() && allowed(a, &tour)).then_some((
                    keeps_hours,
                    gain,
                    tour,
                ))
            })
            // Weekly hours kept; then most filled; then most of the agent's preferred days off
            // kept.
            .max_by_key(|(keeps_hours, gain, tour)| {
                let days_off_kept = (tour.pattern & agent.preferred_days_off).count_ones();
                (*keeps_hours, *gain, days_off_kept)
            })
            .map(|(_, gain, tour)| (gain, tour))
    };
    let mut filled = 0;
    for a in idle {
        let contract = contract_of(agents[a]);
        // A tour nobody of the team could take (a hire) that this agent may: theirs first, as
        // it is what the fewest tours need; else the best new tour of their contract.
        let hire = (0..hires.len())
            .filter(|&k| hires[k].contract_hours == contract && allowed(a, &hires[k]))
            .map(|k| (gain_of(&hires[k], &mut cover), k))
            .max_by_key(|&(gain, k)| (gain, std::cmp::Reverse(k)));
        if let Some((_, k)) = hire.filter(|&(gain, _)| gain > 0) {
            let tour = hires.swap_remove(k);
            cover.add_tour(&tour, 1);
            kept_tours.push(tour);
            kept_agents.push(Some(a));
            filled += 1;
            continue;
        }
        if let Some((_, tour)) = best_own(a, &cover) {
            cover.add_tour(&tour, 1);
            kept_tours.push(tour);
            kept_agents.push(Some(a));
            filled += 1;
        }
    }
    if filled == 0 {
        // Nobody was added: the fewest tours' hires are all still needed.
        for tour in hires {
            cover.add_tour(&tour, 1);
            kept_tours.push(tour);
            kept_agents.push(None);
        }
    } else {
        // A hire only where the team leaves intervals short, the hire filling most first: a
        // lazy greedy (a hire's gain only falls as others are added, so one whose gain, taken
        // again, still beats every other's last known gain is the best).
        let mut heap: std::collections::BinaryHeap<(i64, std::cmp::Reverse<usize>)> = (0..hires
            .len())
            .map(|k| (gain_of(&hires[k], &mut cover), std::cmp::Reverse(k)))
            .collect();
        while let Some((_, std::cmp::Reverse(k))) = heap.pop() {
            let gain = gain_of(&hires[k], &mut cover);
            if gain <= 0 {
                continue;
            }
            if heap.peek().is_some_and(|&(next, _)| next > gain) {
                heap.push((gain, std::cmp::Reverse(k)));
                continue;
            }
            cover.add_tour(&hires[k], 1);
            kept_tours.push(hires[k].clone());
            kept_agents.push(None);
        }
    }
    // Re-planning a hire into the team costs a pass over the team per hire: worth it when the
    // hires are few against the team (a seam or a contract the fewest tours did not fit), not
    // when the team is far too small.
    let hires_left = kept_agents.iter().filter(|a| a.is_none()).count();
    if hires_left > agents.len() {
        *tours = kept_tours;
        *agent_of = kept_agents;
        return;
    }
    // A hire whose tour an agent of the team may work instead of their own, with nothing left
    // short, is that agent's tour: their old one goes.
    let mut k = 0;
    while k < kept_tours.len() {
        if kept_agents[k].is_some() {
            k += 1;
            continue;
        }
        let hire = kept_tours[k].clone();
        let short = cover.short();
        let swap = (0..kept_tours.len()).find(|&j| {
            let Some(a) = kept_agents[j] else {
                return false;
            };
            if !allowed(a, &hire) {
                return false;
            }
            cover.add_tour(&kept_tours[j], -1);
            let keeps = cover.short() <= short;
            cover.add_tour(&kept_tours[j], 1);
            keeps
        });
        match swap {
            Some(j) => {
                // The hire's tour was counted already; the agent's old one goes.
                cover.add_tour(&kept_tours[j], -1);
                kept_agents[k] = kept_agents[j];
                kept_tours.swap_remove(j);
                kept_agents.swap_remove(j);
                k = 0;
            }
            None => k += 1,
        }
    }
    // A hire still left: an agent's tour planned again against what the hire would fill, so
    // that the team covers it.
    let mut k = 0;
    while k < kept_tours.len() {
        if kept_agents[k].is_some() {
            k += 1;
            continue;
        }
        let with_hire = cover.short();
        cover.add_tour(&kept_tours[k], -1);
        let mut replanned = false;
        for j in 0..kept_tours.len() {
            let Some(a) = kept_agents[j] else { continue };
            cover.add_tour(&kept_tours[j], -1);
            if let Some((_, tour)) = best_own(a, &cover) {
                cover.add_tour(&tour, 1);
                if cover.short() <= with_hire {
                    kept_tours[j] = tour;
                    replanned = true;
                    break;
                }
                cover.add_tour(&tour, -1);
            }
            cover.add_tour(&kept_tours[j], 1);
        }
        if replanned {
            kept_tours.swap_remove(k);
            kept_agents.swap_remove(k);
        } else {
            cover.add_tour(&kept_tours[k], 1);
            k += 1;
        }
    }
    *tours = kept_tours;
    *agent_of = kept_agents;
}

/// Whether `tour`'s hours in each whole calendar week of the horizon, with the agent's dated
/// time off counted as the rule check counts it, reach the contract less the tolerance.
fn keeps_weekly_hours(
    horizon: &Horizon,
    tour: &Tour,
    shifts: &[DayShift],
    agent: &Agent,
    contract: f64,
    rules: &WorkRules,
) -> bool {
    let mut hours = vec![0.0; horizon.days];
    for (days, s) in &tour.stretches {
        for &day in days {
            hours[day] += shifts[*s].paid_hours;
        }
    }
    let first_day = horizon.first_day;
    let works = |day: i64| {
        usize::try_from(day - first_day)
            .ok()
            .and_then(|d| hours.get(d))
            .is_some_and(|&h| h > 0.0)
    };
    (0..horizon.days)
        .filter(|&d| horizon.weekday(d) == 0 && d + 7 <= horizon.days)
        .all(|monday| {
            let worked: f64 = hours[monday..monday + 7].iter().sum();
            let leave = agent.leave_hours_in_week(first_day + monday as i64, contract, &works);
            worked + leave + 1e-9 >= contract * (1.0 - rules.hours_tolerance)
        })
}

/// The short agent-intervals `tour` would fill.
fn gain_of(tour: &Tour, cover: &mut CoverState) -> i64 {
    let before = cover.short();
    cover.add_tour(tour, 1);
    let gain = before - cover.short();
    cover.add_tour(tour, -1);
    gain
}
