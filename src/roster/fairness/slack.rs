//! Days off moved within a week where the requirement leaves room: pass 2's second kind of move.
//!
//! Swapping blocks of shifts between agents keeps coverage, but it cannot change the weekly
//! days-off patterns the tours chose. An agent off Monday and Tuesday every week (every weekend
//! worked) and one off Saturday and Sunday (none) cannot swap a week: whichever takes the other's
//! week works ten days in a row. The weekend days of a group with such patterns stay as far
//! apart as the patterns are, however many swaps are tried.
//!
//! A team paid for its contracts is over-staffed in places (the bank's December team of 49
//! agents against a tour bound of 39), and that room lets one agent's weeks change alone: its
//! days worked move within a run of weeks (`runs`) to the same weekdays each week, each new
//! day worked at the start, length and break of the agent's nearest day kept in the queue, so
//! each week's days and hours stay. Such a move is made only when no interval of the queue
//! falls below its requirement (or further below it), every new day works where someone is
//! required, and it breaks no rule more often, adds
//! no note, misses no more preferred days off nor preferred starts, works as many nights and,
//! under `consecutive_days_off`, leaves no more single days off.

use super::super::assignments::Assignment;
use crate::schedule::Requirement;
use crate::time::{self, MINUTES_PER_DAY};

/// One queue's requirement and the agents working each of its intervals, kept up to date as
/// shifts move.
#[derive(Debug, Clone)]
pub(super) struct Cover {
    pub(super) region: String,
    start_minute: i64,
    interval_minutes: i64,
    required: Vec<u32>,
    scheduled: Vec<i64>,
}

impl Cover {
    /// `requirement` with `scheduled` agents working each interval (hires and shifts lent by
    /// other queues included, as the tours count them).
    pub(super) fn new(requirement: &Requirement, scheduled: &[u32]) -> Cover {
        Cover {
            region: requirement.region.clone(),
            start_minute: requirement.start_minute,
            interval_minutes: i64::from(requirement.interval_minutes.max(1)),
            required: requirement.required.clone(),
            scheduled: (0..requirement.required.len())
                .map(|t| i64::from(scheduled.get(t).copied().unwrap_or(0)))
                .collect(),
        }
    }

    /// Agents of `shifts` working each interval of `requirement` (its queue's shifts only).
    pub(super) fn working(requirement: &Requirement, shifts: &[Assignment]) -> Vec<i64> {
        let mut cover = Cover::new(requirement, &[]);
        for shift in shifts {
            cover.add(shift, 1);
        }
        cover.scheduled
    }

    /// The intervals `shift` works (its break excluded), as `roster`'s coverage counts them:
    /// those whose first minute falls within the shift.
    fn intervals(&self, shift: &Assignment) -> impl Iterator<Item = usize> + '_ {
        let first = (shift.start_minute - self.start_minute).div_euclid(self.interval_minutes);
        let last = (shift.end_minute - 1 - self.start_minute).div_euclid(self.interval_minutes);
        let (first, last) = (first.max(0), last.min(self.required.len() as i64 - 1));
        let own = shift.region == self.region;
        let (start, end, on_break) = (shift.start_minute, shift.end_minute, shift.break_minutes);
        (first..=last).filter_map(move |t| {
            let minute = self.start_minute + t * self.interval_minutes;
            let working = own
                && (start..end).contains(&minute)
                && !on_break.is_some_and(|(b, e)| (b..e).contains(&minute));
            working.then_some(t as usize)
        })
    }

    /// Whether `shift` works some interval where an agent is required: a day moved elsewhere
    /// (a closed day, or a day outside the queue's dates) would be paid for nothing.
    pub(super) fn works_where_required(&self, shift: &Assignment) -> bool {
        self.intervals(shift).any(|t| self.required[t] > 0)
    }

    fn add(&mut self, shift: &Assignment, sign: i64) {
        let covered: Vec<usize> = self.intervals(shift).collect();
        for t in covered {
            self.scheduled[t] += sign;
        }
    }

    /// Whether working `added` instead of `removed` leaves no interval shorter of its
    /// requirement than it is now.
    pub(super) fn keeps(&self, removed: &[Assignment], added: &[Assignment]) -> bool {
        let mut change: Vec<(usize, i64)> = Vec::new();
        for (shifts, sign) in [(removed, -1), (added, 1)] {
            for shift in shifts {
                change.extend(self.intervals(shift).map(|t| (t, sign)));
            }
        }
        change.sort_unstable();
        change.chunk_by(|a, b| a.0 == b.0).all(|run| {
            let t = run[0].0;
            let delta: i64 = run.iter().map(|c| c.1).sum();
            let (required, scheduled) = (i64::from(self.required[t]), self.scheduled[t]);
            delta >= 0 || scheduled + delta >= required
        })
    }

    /// Records that `added` are worked instead of `removed`.
    pub(super) fn apply(&mut self, removed: &[Assignment], added: &[Assignment]) {
        for shift in removed {
            self.add(shift, -1);
        }
        for shift in added {
            self.add(shift, 1);
        }
    }
}

/// One agent's days worked moved within a run of calendar weeks: the shifts no longer worked,
/// the new ones, and the change in weekend days worked.
pub(super) struct DaysMove {
    pub(super) removed: Vec<Assignment>,
    pub(super) added: Vec<Assignment>,
    pub(super) weekend_change: i64,
}

/// The runs of calendar weeks a move may span, from the horizon's `weeks` (each `from..to`
/// in horizon days): every week alone, and every run from the first week or to the last.
///
/// Why the long runs: under five days in a row and days off side by side, a weekly pattern
/// can only move its days off earlier from one week to the next (Monday + Tuesday off, then
/// Wednesday to Sunday worked, may not be followed by Saturday + Sunday off). So an agent off
/// Monday + Tuesday every week cannot change one week in the middle; but the weeks up to any
/// week may take a later pattern, and the weeks from any week an earlier one.
pub(super) fn runs(weeks: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let Some(&(_, end)) = weeks.last() else {
        return Vec::new();
    };
    let mut out: Vec<(usize, usize)> = weeks.to_vec();
    for &(from, to) in weeks {
        out.push((0, to));
        out.push((from, end));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Every way of working, in each calendar week of `run` (of the horizon's `weeks`), as many
/// days as `shifts` (the agent's, one a day, `first_day` the horizon's first day number) work
/// there now, on the weekdays of one weekday mask: the same days off every week of the run.
/// Each new day is worked at the start, length and break of the agent's nearest day kept
/// (the earlier on a tie), and each week must keep its paid hours. In a fixed order; none that
/// changes nothing.
pub(super) fn run_moves(
    shifts: &[Assignment],
    run: (usize, usize),
    weeks: &[(usize, usize)],
    first_day: i64,
) -> Vec<DaysMove> {
    let day_of = |a: &Assignment| time::day_of_minute(a.start_minute) - first_day;
    let weekday = |i: usize| time::weekday_of_minute((first_day + i as i64) * MINUTES_PER_DAY);
    let inside = |i: i64| (run.0 as i64..run.1 as i64).contains(&i);
    let worked: Vec<usize> = (shifts.iter())
        .map(day_of)
        .filter(|&i| inside(i))
        .map(|i| i as usize)
        .collect();
    let within: Vec<(usize, usize)> = (weeks.iter())
        .filter(|w| w.0 >= run.0 && w.1 <= run.1)
        .copied()
        .collect();
    let mut seen: Vec<Vec<usize>> = vec![worked.clone()];
    let mut out = Vec::new();
    for mask in 0u32..1 << 7 {
        let days: Vec<usize> = (run.0..run.1)
            .filter(|&i| mask & (1 << weekday(i)) != 0)
            .collect();
        let same_count = within.iter().all(|&(from, to)| {
            let count = |d: &[usize]| d.iter().filter(|&&i| (from..to).contains(&i)).count();
            count(&days) == count(&worked)
        });
        if !same_count || seen.contains(&days) {
            continue;
        }
        seen.push(days.clone());
        let kept: Vec<&Assignment> = (shifts.iter())
            .filter(|a| !inside(day_of(a)) || days.contains(&(day_of(a) as usize)))
            .collect();
        let removed: Vec<Assignment> = (shifts.iter())
            .filter(|a| inside(day_of(a)) && !days.contains(&(day_of(a) as usize)))
            .cloned()
            .collect();
        let added: Vec<Assignment> = (days.iter())
            .filter(|i| !worked.contains(i))
            .filter_map(|&i| {
                let nearest = |a: &&Assignment| (i.abs_diff(day_of(a) as usize), day_of(a));
                let model: &Assignment = match kept.iter().copied().min_by_key(nearest) {
                    Some(kept) => kept,
                    None => removed.iter().min_by_key(nearest)?,
                };
                let shift = (i as i64 - day_of(model)) * MINUTES_PER_DAY;
                Some(Assignment {
                    start_minute: model.start_minute + shift,
                    end_minute: model.end_minute + shift,
                    break_minutes: model.break_minutes.map(|(b, e)| (b + shift, e + shift)),
                    ..(*model).clone()
                })
            })
            .collect();
        // Each week keeps its paid hours (a new day may copy a shorter or longer shift).
        let hours_kept = within.iter().all(|&(from, to)| {
            let hours = |shifts: &[Assignment]| -> f64 {
                (shifts.iter())
                    .filter(|a| (from as i64..to as i64).contains(&day_of(a)))
                    .map(|a| a.paid_hours)
                    .sum()
            };
            (hours(&added) - hours(&removed)).abs() < 1e-6
        });
        if !hours_kept {
            continue;
        }
        let weekend = |i: i64| weekday(i as usize) >= 5;
        let weekend_change = added.iter().filter(|a| weekend(day_of(a))).count() as i64
            - removed.iter().filter(|a| weekend(day_of(a))).count() as i64;
        out.push(DaysMove {
            removed,
            added,
            weekend_change,
        });
    }
    out
}

/// Days off with a day worked on each side, within the horizon (`works`, one flag a day).
pub(super) fn single_days_off(works: &[bool]) -> usize {
    (1..works.len().saturating_sub(1))
        .filter(|&i| !works[i] && works[i - 1] && works[i + 1])
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::{north_shift, MONDAY};

    /// Agent 0's shift from `start_hour`, with a half-hour break four hours in.
    fn shift(day: i64, start_hour: i64) -> Assignment {
        let shift = north_shift(0, day, start_hour);
        Assignment {
            break_minutes: Some((shift.start_minute + 240, shift.start_minute + 270)),
            ..shift
        }
    }

    #[test]
    fn runs_are_each_week_and_every_run_from_the_first_or_to_the_last() {
        let weeks = [(0, 3), (3, 10), (10, 17)];
        assert_eq!(
            runs(&weeks),
            vec![(0, 3), (0, 10), (0, 17), (3, 10), (3, 17), (10, 17)]
        );
        assert!(runs(&[]).is_empty());
    }

    #[test]
    fn days_move_on_the_same_weekdays_every_week_and_keep_their_starts() {
        // Wednesday to Sunday at 08:00 for two weeks. Within the first week, one weekend day
        // fewer means a Saturday or Sunday off and a Monday or Tuesday worked, each at 08:00
        // with the break at the same time; over both weeks the same days move in each.
        let shifts: Vec<Assignment> = (0..14)
            .filter(|d| d % 7 >= 2)
            .map(|d| shift(d, 8))
            .collect();
        let weeks = [(0, 7), (7, 14)];
        let moves = run_moves(&shifts, (0, 7), &weeks, MONDAY);
        assert_eq!(moves.len(), 20, "C(7, 5) weekday sets but the one worked");
        let fewer: Vec<&DaysMove> = moves.iter().filter(|m| m.weekend_change == -1).collect();
        assert_eq!(fewer.len(), 10, "Sat or Sun off × four of Monday to Friday");
        let one_day: Vec<&&DaysMove> = fewer.iter().filter(|m| m.removed.len() == 1).collect();
        assert_eq!(one_day.len(), 4, "Sat or Sun off × Mon or Tue worked");
        for m in one_day {
            assert_eq!((m.removed.len(), m.added.len()), (1, 1));
            let (old, new) = (&m.removed[0], &m.added[0]);
            assert!(time::weekday_of_minute(old.start_minute) >= 5);
            assert!(time::weekday_of_minute(new.start_minute) <= 1);
            assert!(
                new.start_minute < (MONDAY + 7) * MINUTES_PER_DAY,
                "within the run"
            );
            assert_eq!(new.start_minute.rem_euclid(MINUTES_PER_DAY), 8 * 60);
            assert_eq!(new.break_minutes.unwrap().0 - new.start_minute, 240);
        }
        let both = run_moves(&shifts, (0, 14), &weeks, MONDAY);
        let weekend_off = both
            .iter()
            .find(|m| m.weekend_change == -4)
            .expect("Sat+Sun off");
        assert_eq!((weekend_off.removed.len(), weekend_off.added.len()), (4, 4));
        assert!(
            both.iter().all(|m| m.weekend_change % 2 == 0),
            "both weeks alike"
        );
    }

    #[test]
    fn a_move_may_not_leave_an_interval_short() {
        // Two agents at 08:00–16:00 on Monday, one required: either may go; with two
        // required, neither. A shift added where one is required is always allowed.
        let requirement = |required: u32| Requirement {
            region: "north".into(),
            start_minute: MONDAY * MINUTES_PER_DAY,
            interval_minutes: 60,
            required: vec![required; 48],
        };
        let monday = shift(0, 8);
        let tuesday = shift(1, 8);
        let both = [monday.clone(), monday.clone()];
        let working = |required: u32| -> Vec<u32> {
            let count = Cover::working(&requirement(required), &both);
            count.iter().map(|&c| c as u32).collect()
        };
        assert_eq!(
            working(1)[8..17],
            [2, 2, 2, 2, 0, 2, 2, 2, 0],
            "08:00–16:00, break 12:00–12:30"
        );
        let one = Cover::new(&requirement(1), &working(1));
        let two = Cover::new(&requirement(2), &working(2));
        let removed = std::slice::from_ref(&monday);
        assert!(one.keeps(removed, &[]));
        assert!(!two.keeps(removed, &[]));
        assert!(two.keeps(&[], std::slice::from_ref(&tuesday)));
        // Another queue's shift counts for nothing here.
        let elsewhere = Assignment {
            region: "south".into(),
            ..monday.clone()
        };
        assert!(two.keeps(std::slice::from_ref(&elsewhere), &[]));
        // A shift works where someone is required: not on a closed day, nor past the dates.
        assert!(one.works_where_required(&tuesday));
        assert!(!Cover::new(&requirement(0), &working(0)).works_where_required(&tuesday));
        assert!(
            !one.works_where_required(&shift(2, 8)),
            "Wednesday is past the 48 hours"
        );
        let mut moved = one.clone();
        moved.apply(removed, std::slice::from_ref(&tuesday));
        assert!(!moved.keeps(removed, &[]), "one left on Monday");
    }

    #[test]
    fn single_days_off_count_days_off_between_days_worked() {
        let works = |s: &str| s.chars().map(|c| c == '#').collect::<Vec<bool>>();
        assert_eq!(single_days_off(&works("##..###.##")), 1);
        assert_eq!(single_days_off(&works(".#.#.")), 1);
        assert_eq!(single_days_off(&works("#####..")), 0);
    }
}
