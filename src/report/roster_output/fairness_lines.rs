//! How fair the roster is, in lines: nights and weekends per agent, preferences met.

use super::*;

/// How far `count` is above a lower `bound`, as " (x.x % above it)"; empty without a bound.
pub fn percent_above(count: usize, bound: usize) -> String {
    if bound > 0 && count >= bound {
        format!(
            " ({:.1} % above it)",
            (count - bound) as f64 / bound as f64 * 100.0
        )
    } else {
        String::new()
    }
}

/// Per agent: night shifts (any time between the rules' night hours) and weekend days worked.
pub fn nights_and_weekends(
    roster: &Roster,
    agents: &[Agent],
    rules: &WorkRules,
) -> Vec<(usize, usize)> {
    let mut out = vec![(0, 0); agents.len()];
    for a in &roster.assignments {
        if let Some(entry) = out.get_mut(a.agent) {
            entry.0 += usize::from(rules.is_night_shift(a.start_minute, a.end_minute));
            entry.1 += usize::from(time::weekday_of_minute(a.start_minute) >= 5);
        }
    }
    out
}

/// How nights and weekend days spread over the agents who work: lowest, mean and highest of
/// each (what the rule `fair_nights_and_weekends` evens out).
pub fn nights_and_weekends_line(roster: &Roster, agents: &[Agent], rules: &WorkRules) -> String {
    let shares = nights_and_weekends(roster, agents, rules);
    let working: Vec<(usize, usize)> = (0..agents.len())
        .filter(|&k| roster.assignments.iter().any(|a| a.agent == k))
        .map(|k| shares[k])
        .collect();
    if working.is_empty() {
        return String::new();
    }
    let spread = |pick: fn(&(usize, usize)) -> usize| {
        let values: Vec<usize> = working.iter().map(pick).collect();
        format!(
            "{}–{} (mean {:.1})",
            values.iter().min().unwrap_or(&0),
            values.iter().max().unwrap_or(&0),
            values.iter().sum::<usize>() as f64 / values.len() as f64
        )
    };
    format!(
        "nights per agent who works: {}; weekend days: {}\n",
        spread(|x| x.0),
        spread(|x| x.1)
    )
}

/// Per agent who works and states preferences: the preferences met and asked. Each shift of an
/// agent with a preferred start asks one (met when it starts within the rules' start window of
/// it), and so does each date of the horizon on a preferred day off (met when not worked).
pub fn preferences_met(
    roster: &Roster,
    agents: &[Agent],
    rules: &WorkRules,
) -> Vec<Option<(usize, usize)>> {
    let window = (rules.start_time_window_hours * 60.0).round() as i64;
    let mut out: Vec<Option<(usize, usize)>> = vec![None; agents.len()];
    let days: time::DayRange = roster
        .assignments
        .iter()
        .map(|a| time::day_of_minute(a.start_minute))
        .collect();
    for a in &roster.assignments {
        let Some(met) = agents
            .get(a.agent)
            .and_then(|x| x.preferred_start_met(a.start_minute, window))
        else {
            continue;
        };
        let entry = out[a.agent].get_or_insert((0, 0));
        entry.0 += usize::from(met);
        entry.1 += 1;
    }
    for (k, agent) in agents.iter().enumerate() {
        let works = roster.assignments.iter().any(|a| a.agent == k);
        if agent.preferred_days_off == 0 || !works {
            continue;
        }
        for day in days.first..=days.last {
            if agent.preferred_days_off & (1 << time::weekday_of_minute(day * MINUTES_PER_DAY)) == 0
            {
                continue;
            }
            let worked = roster
                .assignments
                .iter()
                .any(|a| a.agent == k && time::day_of_minute(a.start_minute) == day);
            let entry = out[k].get_or_insert((0, 0));
            entry.0 += usize::from(!worked);
            entry.1 += 1;
        }
    }
    out
}

/// Preferences met over the agents who work and state some (see [`preferences_met`]), and the
/// spread of each one's share (lowest, median, highest).
pub fn preferences_line(roster: &Roster, agents: &[Agent], rules: &WorkRules) -> String {
    let met = preferences_met(roster, agents, rules);
    let mut shares: Vec<f64> = met
        .iter()
        .flatten()
        .map(|&(m, n)| m as f64 / n as f64)
        .collect();
    if shares.is_empty() {
        return String::new();
    }
    shares.sort_by(f64::total_cmp);
    let (m, n) = met
        .iter()
        .flatten()
        .fold((0, 0), |(a, b), &(m, n)| (a + m, b + n));
    format!(
        "preferences met (starts within {} h of the preferred one, preferred days off): {m} of {n} ({:.1} %) for {} agent(s); per agent lowest {:.0} %, median {:.0} %, highest {:.0} %\n",
        rules.start_time_window_hours,
        m as f64 / n as f64 * 100.0,
        shares.len(),
        shares[0] * 100.0,
        shares[shares.len() / 2] * 100.0,
        shares[shares.len() - 1] * 100.0
    )
}
