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

/// How weekend days and nights spread within each group of alike agents (same queue, contract,
/// fixed days off and weekend days wished off), before and after the rule
/// `fair_nights_and_weekends` shared them out: the widest gap of any group against the allowed
/// one, and the groups still above it. Empty when the roster was not shared out or has no group
/// of two.
pub fn fairness_line(
    roster: &Roster,
    agents: &[Agent],
    rules: &WorkRules,
    days: time::DayRange,
) -> String {
    let Some(before) = &roster.before_sharing else {
        return String::new();
    };
    let spreads: Vec<GroupSpread> = spreads(roster, agents, rules, before)
        .into_iter()
        .filter(|g| g.agents > 1)
        .collect();
    if spreads.is_empty() {
        return String::new();
    }
    let widest = |gap: fn(&GroupSpread) -> usize| spreads.iter().map(gap).max().unwrap_or(0);
    let allowed = weekend_gap_allowed(days.len()) as usize;
    let over: Vec<String> = spreads
        .iter()
        .filter(|g| g.weekend_gap_after() > allowed)
        .map(|g| {
            format!(
                "{} {}–{}",
                g.group.label(),
                g.weekends_after.0,
                g.weekends_after.1
            )
        })
        .collect();
    let mut line = format!(
        "fairness within {} group(s) of one queue, contract, fixed days off and weekend days wished off (gap between most and fewest, before → after sharing): weekend days {} → {} (at most {allowed} over {} days), nights {} → {}",
        spreads.len(),
        widest(GroupSpread::weekend_gap_before),
        widest(GroupSpread::weekend_gap_after),
        days.len(),
        widest(GroupSpread::night_gap_before),
        widest(GroupSpread::night_gap_after),
    );
    if !over.is_empty() {
        line.push_str(&format!(
            "; wider, as no swap of shifts or move of days off within the requirement's room keeps the rules and preferred days off: {}",
            over.join(", ")
        ));
    }
    line.push('\n');
    line
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
