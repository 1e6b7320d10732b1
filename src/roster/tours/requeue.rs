//! An agent of several queues working different queues on different days (one queue a shift).
//!
//! Queues whose agents may work several are rostered one after another, each agent's tour in
//! one queue. Before a queue is rostered, the shifts that earlier queues' agents work but their
//! own queue does not need (it stays covered without them), and that would work here mostly
//! where this queue needs agents, are moved here; the queue is then rostered for what they
//! leave. A shift keeps its times, so its agent's rules (rest, days, hours) hold as before:
//! only its queue changes. So a later queue asks for fewer hires, and an earlier one gives up
//! agent-hours it only over-staffed with.

use std::collections::BTreeMap;

use super::*;

/// Intervals of `req` that `shift` works (on shift and off its break), as the tours count them:
/// each interval start inside the shift.
fn intervals_of(req: &Requirement, shift: &Assignment) -> Vec<usize> {
    let d = i64::from(req.interval_minutes.max(1));
    let first = (shift.start_minute - req.start_minute).div_euclid(d).max(0);
    let last = (shift.end_minute - req.start_minute).div_euclid(d);
    (first..=last)
        .filter(|&t| {
            let m = req.start_minute + t * d;
            (shift.start_minute..shift.end_minute).contains(&m)
                && !shift
                    .break_minutes
                    .is_some_and(|(b, e)| (b..e).contains(&m))
                && (t as usize) < req.required.len()
        })
        .map(|t| t as usize)
        .collect()
}

/// Moves to `req`'s queue the shifts of `roster` that the queue they are in (one of `earlier`)
/// stays covered without, of agents who may work `req`'s queue, where at least half the shift
/// falls on intervals `req` still needs; keeps the earlier queues' coverage up to date. Returns
/// the agents those shifts give `req` per interval, and adds their number to `moved`.
pub(super) fn lend_spare_shifts(
    earlier: &mut [RegionTours],
    roster: &mut Roster,
    agents: &[Agent],
    req: &Requirement,
    moved: &mut usize,
) -> Vec<u32> {
    let mut lent = vec![0u32; req.required.len()];
    let queue_of: BTreeMap<String, usize> = (earlier.iter().enumerate())
        .map(|(k, r)| (r.requirement.region.clone(), k))
        .collect();
    for x in roster.assignments.iter_mut() {
        let Some(&a) = queue_of.get(&x.region) else {
            continue;
        };
        if !agents[x.agent].may_work_in(&req.region) {
            continue;
        }
        let here = intervals_of(req, x);
        let fills = (here.iter())
            .filter(|&&t| req.required[t] > lent[t])
            .count();
        if fills == 0 || 2 * fills < here.len() {
            continue;
        }
        let own = &earlier[a].requirement;
        let theirs = intervals_of(own, x);
        let scheduled = &mut earlier[a].tours.scheduled;
        if !theirs.iter().all(|&t| scheduled[t] > own.required[t]) {
            continue;
        }
        for t in theirs {
            scheduled[t] -= 1;
        }
        for t in here {
            lent[t] += 1;
        }
        x.region = req.region.clone();
        *moved += 1;
    }
    lent
}
