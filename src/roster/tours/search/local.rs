//! The greedy cover, the local search that drops and swaps tours, and the alignment of starts.

use super::*;

/// Adds the tour that fills most until nothing coverable is short.
pub(crate) fn greedy_cover(
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
pub(crate) fn local_search(
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
pub(crate) fn align_starts(tours: &mut [Tour], shifts: &[DayShift]) {
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
