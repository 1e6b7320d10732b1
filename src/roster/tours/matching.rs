//! Tours to named agents: a minimum-cost assignment.

use super::{DayShift, Horizon, Tour};
use crate::roster::agents::Agent;
use crate::roster::rules::WorkRules;

/// Assigns each tour to a named agent: a minimum-cost assignment (the Hungarian method, Kuhn
/// 1955, in the O(n²m) form with potentials) where a tour an agent may not work (contract, days
/// off, start and end limits) is barred, a tour given to nobody is a hire and costs more than
/// any preferences, and otherwise the cost is the days the tour starts further than the start
/// window from the agent's preferred start. So as many tours as possible get someone, and
/// among such assignments the most preferred starts are met.
pub(super) fn match_agents(
    horizon: &Horizon,
    tours: &[Tour],
    shifts: &[DayShift],
    agents: &[&Agent],
    contract_of: &dyn Fn(&Agent) -> f64,
    rules: &WorkRules,
) -> Vec<Option<usize>> {
    const BARRED: i64 = 1 << 40;
    const HIRE: i64 = 1 << 30;
    let window = (rules.start_time_window_hours * 60.0).round() as i64;
    let (n, m) = (tours.len(), agents.len() + tours.len());
    if n == 0 {
        return Vec::new();
    }
    let cost = |k: usize, a: usize| -> i64 {
        let tour = &tours[k];
        let Some(agent) = agents.get(a) else {
            return HIRE;
        };
        let allowed = contract_of(agent) == tour.contract_hours
            && tour.pattern & agent.days_off == agent.days_off
            && tour.stretches.iter().all(|(_, s)| {
                let shift = &shifts[*s];
                agent
                    .earliest_start_minute
                    .is_none_or(|e| shift.start_minute_of_day >= e as i64)
                    && agent.latest_end_minute.is_none_or(|l| {
                        shift.start_minute_of_day + shift.length_minutes <= l as i64
                    })
            });
        if !allowed {
            return BARRED;
        }
        // Days that miss a preference (a start outside the window, a preferred day off worked),
        // in hundredths of a day times the agent's weight.
        let missed_starts: i64 = tour
            .stretches
            .iter()
            .filter(|(_, s)| {
                agent.preferred_start_met(shifts[*s].start_minute_of_day, window) == Some(false)
            })
            .map(|(days, _)| days.len() as i64)
            .sum();
        let worked_off: i64 = tours[k]
            .stretches
            .iter()
            .flat_map(|(days, _)| days.iter())
            .filter(|&&day| agent.preferred_days_off & (1 << horizon.weekday(day)) != 0)
            .count() as i64;
        ((missed_starts + worked_off) as f64 * agent.preference_weight * 100.0).round() as i64
    };
    // Rows 1..=n are tours, columns 1..=m agents then hires; index 0 is the method's sentinel.
    let (mut u, mut v) = (vec![0i64; n + 1], vec![0i64; m + 1]);
    let (mut owner, mut way) = (vec![0usize; m + 1], vec![0usize; m + 1]);
    for row in 1..=n {
        owner[0] = row;
        let mut column = 0;
        let mut least = vec![i64::MAX; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[column] = true;
            let r = owner[column];
            let (mut delta, mut next) = (i64::MAX, 0);
            for j in 1..=m {
                if used[j] {
                    continue;
                }
                let reduced = cost(r - 1, j - 1) - u[r] - v[j];
                if reduced < least[j] {
                    least[j] = reduced;
                    way[j] = column;
                }
                if least[j] < delta {
                    delta = least[j];
                    next = j;
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[owner[j]] += delta;
                    v[j] -= delta;
                } else {
                    least[j] -= delta;
                }
            }
            column = next;
            if owner[column] == 0 {
                break;
            }
        }
        while column != 0 {
            let previous = way[column];
            owner[column] = owner[previous];
            column = previous;
        }
    }
    let mut agent_of = vec![None; n];
    for (a, &row) in owner[1..=agents.len()].iter().enumerate() {
        if row != 0 && cost(row - 1, a) < BARRED {
            agent_of[row - 1] = Some(a);
        }
    }
    agent_of
}
