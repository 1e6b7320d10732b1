//! The terminal output of `wfm roster`: the headline, the roster table, the comparison with
//! the 2/2 crews, what is short and the rules broken.

mod comparison;
mod fairness_lines;
// The jobs share their helpers (each file imports `super::*`).
pub(crate) use {comparison::*, fairness_lines::*};

use std::path::Path;

use comfy_table::{Cell, Table};

use super::table::{new_table, right};
use crate::roster::compare::Comparison;
use crate::roster::fairness::{nights_and_weekends, spreads, weekend_gap_allowed, GroupSpread};
use crate::roster::stage::{Basis, Rostered};
use crate::roster::verify::Rule;
use crate::roster::{unmatched_message, Agent, Roster, TourPlan, Violation, WorkRules};
use crate::time::{self, naive_from_minutes, MINUTES_PER_DAY};

/// What the unassigned shifts need: how many, from when, and at least how many more agents.
pub fn unassigned_message(roster: &Roster, rules: &WorkRules) -> String {
    let hours = roster.unassigned_hours();
    let starts = || {
        roster
            .assignments
            .iter()
            .map(|a| a.start_minute)
            .chain(roster.unassigned.iter().map(|u| u.start_minute))
    };
    let span_minutes = starts().max().unwrap_or(0) - starts().min().unwrap_or(0);
    let weeks = ((span_minutes / MINUTES_PER_DAY + 1) as f64 / 7.0).max(1.0);
    let per_agent = rules.contract_hours_per_week * (1.0 + rules.hours_tolerance) * weeks;
    let first = &roster.unassigned[0];
    format!(
        "{} shift(s), {hours:.1} agent-hours, have no agent who may work them (first {} {}–{}): at {} h a week that is at least {} more agent(s)",
        roster.unassigned.len(),
        first.region,
        naive_from_minutes(first.start_minute).format("%Y-%m-%d %H:%M"),
        naive_from_minutes(first.end_minute).format("%H:%M"),
        rules.contract_hours_per_week,
        (hours / per_agent).ceil()
    )
}

/// One row per agent: shifts, hours, nights, weekend days, days off in the horizon, notes.
pub fn roster_table(roster: &Roster, agents: &[Agent], rules: &WorkRules) -> Table {
    let mut t = new_table([
        "agent",
        "name",
        "queues",
        "shifts",
        "paid hours",
        "nights",
        "weekend days",
        "days off",
        "preferences met",
        "notes",
    ]);
    let met = preferences_met(roster, agents, rules);
    let horizon_days = roster
        .assignments
        .iter()
        .map(|a| time::day_of_minute(a.start_minute))
        .collect::<time::DayRange>()
        .len();
    let shares = nights_and_weekends(roster, agents, rules);
    for (k, agent) in agents.iter().enumerate() {
        let mine: Vec<_> = roster.assignments.iter().filter(|a| a.agent == k).collect();
        // A fold from +0.0: the sum of no f64 is -0.0, shown as "-0.0" for an idle agent.
        let hours = mine.iter().fold(0.0, |sum, a| sum + a.paid_hours);
        let (nights, weekend) = shares[k];
        let notes = roster.notes.iter().filter(|n| n.agent == k).count();
        t.add_row(vec![
            Cell::new(&agent.agent_id),
            Cell::new(&agent.name),
            Cell::new(match roster.queues_of(k).join("+") {
                queues if queues.is_empty() => "–".to_string(),
                queues => queues,
            }),
            right(mine.len().to_string()),
            right(format!("{hours:.1}")),
            right(nights.to_string()),
            right(weekend.to_string()),
            right((horizon_days - mine.len() as i64).max(0).to_string()),
            right(met[k].map_or("–".to_string(), |(m, n)| format!("{m}/{n}"))),
            right(notes.to_string()),
        ]);
    }
    t
}

/// Per queue, the agent-hours rostered above the requirement against the hours rostered there
/// and against what the fewest tours would have put above it (the rest is what the team's
/// contracts cost), and the agent-hours short.
pub fn queue_staffing_line(plan: &TourPlan, roster: &Roster) -> String {
    let fewest = plan.over_hours_of_fewest_tours();
    let queues: Vec<String> = plan
        .staffing_by_queue()
        .into_iter()
        .zip(fewest)
        .map(|((queue, figures), (_, fewest))| {
            let rostered: f64 = (roster.assignments.iter())
                .filter(|a| a.region == queue)
                .map(|a| a.paid_hours)
                .sum();
            let short = match figures.under_staffed_agent_hours {
                0.0 => String::new(),
                hours => format!(", {hours:.1} short"),
            };
            format!(
                "{queue} {:.1} of {rostered:.1} h rostered (the fewest tours: {fewest:.1}){short}",
                figures.over_staffed_agent_hours
            )
        })
        .collect();
    let mut out = format!(
        "over-staffed agent-hours by queue (above the requirement; per interval with --coverage): {}\n",
        queues.join("; ")
    );
    if plan.shifts_requeued > 0 {
        let mut agents: Vec<usize> = roster.assignments.iter().map(|a| a.agent).collect();
        agents.sort_unstable();
        agents.dedup();
        let several = agents
            .iter()
            .filter(|&&k| roster.queues_of(k).len() > 1)
            .count();
        out.push_str(&format!(
            "queues shared: {} shift(s) of {several} agent(s) of several queues moved to a later queue that needed them, where their own stayed covered (one queue a shift)\n",
            plan.shifts_requeued
        ));
    }
    out
}

/// The intervals no tour can work under the rules and templates: how many, and the first.
pub fn uncovered_message(plan: &TourPlan) -> String {
    let first = plan.regions.iter().find_map(|r| {
        r.tours
            .uncovered
            .first()
            .map(|&t| (r.requirement.region.as_str(), r.requirement.minute(t)))
    });
    let (region, minute) = first.unwrap_or(("", 0));
    format!(
        "{} interval(s) cannot be covered by any tour under these rules and shift templates (first: {region} {}); widen the templates' start windows or lengths, or the rules",
        plan.uncovered(),
        naive_from_minutes(minute).format("%Y-%m-%d %H:%M")
    )
}

/// The tours no agent of the file may work, as hires: how many, their weekly hours, days off
/// and shifts, grouped.
pub fn hires_message(plan: &TourPlan) -> String {
    let mut groups: Vec<(String, usize)> = Vec::new();
    for region in &plan.regions {
        // A horizon rostered a week at a time: the hires are those of its week needing most.
        let r = &region.tours;
        let mut per_block: Vec<usize> = Vec::new();
        for (k, agent) in r.agent_of.iter().enumerate() {
            let b = r.block_of.get(k).copied().unwrap_or(0);
            if per_block.len() <= b {
                per_block.resize(b + 1, 0);
            }
            per_block[b] += usize::from(agent.is_none());
        }
        let most = (0..per_block.len())
            .max_by_key(|&b| (per_block[b], std::cmp::Reverse(b)))
            .unwrap_or(0);
        for (k, (tour, agent)) in r.tours.iter().zip(&r.agent_of).enumerate() {
            if agent.is_some() || r.block_of.get(k).copied().unwrap_or(0) != most {
                continue;
            }
            let mut starts: Vec<String> = tour
                .stretches
                .iter()
                .map(|(_, s)| {
                    let shift = &region.shifts[*s];
                    let end = shift.start_minute_of_day + shift.length_minutes;
                    format!(
                        "{:02}:{:02}–{:02}:{:02}",
                        shift.start_minute_of_day / 60,
                        shift.start_minute_of_day % 60,
                        end / 60 % 24,
                        end % 60
                    )
                })
                .collect();
            starts.dedup();
            let key = format!(
                "{} {} h a week, off {}, {}",
                region.requirement.region,
                tour.contract_hours,
                time::weekday_mask_names(tour.pattern),
                starts.join(" / ")
            );
            match groups.iter_mut().find(|g| g.0 == key) {
                Some(g) => g.1 += 1,
                None => groups.push((key, 1)),
            }
        }
    }
    let shown: Vec<String> = groups
        .iter()
        .take(5)
        .map(|(key, n)| format!("{n} × {key}"))
        .collect();
    format!(
        "{} more agent(s) are needed to cover the requirement under these rules: {}{}",
        plan.hires(),
        shown.join("; "),
        if groups.len() > 5 { "; …" } else { "" }
    )
}

/// Why shifts of the roster have no agent, when some have none: intervals no tour covers (and
/// the templates' cap, when it may be the cause), the agents of no queue, the hires needed, or
/// the plan's shifts nobody may work.
pub fn shortfall_message(
    rostered: &Rostered,
    rules: &WorkRules,
    agents_path: &Path,
) -> Option<String> {
    match &rostered.basis {
        Basis::Tours {
            plan,
            max_agents_per_shift,
            unmatched,
            queues,
            ..
        } => {
            let mut problems = Vec::new();
            if plan.uncovered() > 0 {
                let mut message = uncovered_message(plan);
                if let Some(max) = max_agents_per_shift {
                    message.push_str(&format!(
                        " (the templates allow at most {max} agent(s) on one shift: max_agents_per_shift)"
                    ));
                }
                problems.push(message);
            }
            if plan.hires() > 0 {
                if !unmatched.is_empty() {
                    // The agents who could not be used come first: they, not a lack of people,
                    // may be why more are "needed".
                    let queues: Vec<&str> = queues.iter().map(String::as_str).collect();
                    problems.push(format!(
                        "{}: {}",
                        agents_path.display(),
                        unmatched_message(&rostered.agents, unmatched, &queues)
                    ));
                }
                problems.push(hires_message(plan));
            }
            (!problems.is_empty()).then(|| problems.join("; and "))
        }
        Basis::Plan { roster, .. } => {
            (!roster.unassigned.is_empty()).then(|| unassigned_message(roster, rules))
        }
    }
}

/// The headcount against its lower bounds.
pub fn headline(rostered: &Rostered) -> String {
    match &rostered.basis {
        Basis::Tours { plan, .. } => {
            let tours = plan.headcount();
            let (tour_bound, bound) = (plan.tour_bound(), plan.lower_bound());
            format!(
                "headcount: {} agent(s) of the {} given work{}\nlower bounds: no roster of weekly tours has fewer than {tour_bound}{}; no roster under these rules at all has fewer than {bound}{}",
                tours - plan.hires(),
                rostered.agents.len(),
                // Past the bound with the whole team at work, the contracts keep them: with
                // agents left idle, the gap is only whole tours rounding up.
                match (plan.hires(), tours.checked_sub(tour_bound)) {
                    (0, Some(more)) if more > 0 && tours == rostered.agents.len() => format!(
                        " at their contracts: {more} more than the fewest weekly tours need (the \
                         team's contracts are paid; rules min_hours_per_week = 0 lets them go idle)"
                    ),
                    (0, _) => String::new(),
                    (hires, _) => format!(", and {hires} more are needed"),
                },
                percent_above(tours, tour_bound),
                percent_above(tours, bound)
            )
        }
        Basis::Plan {
            lower_bound,
            fewest,
            ..
        } => {
            let working = rostered.working();
            format!(
                "headcount: {working} agent(s) work{}; a lower bound for this plan under these rules is {lower_bound}{}",
                if *fewest {
                    " (the fewest of the file, in its order, that cover it; per region where every agent has one)".to_string()
                } else {
                    format!(" of the {} given", rostered.agents.len())
                },
                percent_above(working, *lower_bound)
            )
        }
    }
}

/// "rule violations: none", or their count by rule.
pub fn violations_line(broken: &[Violation]) -> String {
    if broken.is_empty() {
        return "rule violations: none".into();
    }
    let mut by_rule: Vec<(Rule, usize)> = Vec::new();
    for v in broken {
        match by_rule.iter_mut().find(|r| r.0 == v.rule) {
            Some(r) => r.1 += 1,
            None => by_rule.push((v.rule, 1)),
        }
    }
    let parts: Vec<String> = by_rule.iter().map(|(r, n)| format!("{n} × {r}")).collect();
    format!("rule violations: {} ({})", broken.len(), parts.join(", "))
}

/// Everything `wfm roster` prints on stdout: the roster table, the headline, the rule check,
/// preferences, nights and weekends, and the 2/2 comparison of a requirement.
pub fn roster_report(rostered: &Rostered, rules: &WorkRules) -> String {
    let (roster, agents) = (rostered.roster(), rostered.agents.as_slice());
    let comparison = match &rostered.basis {
        Basis::Tours {
            comparisons, plan, ..
        } => {
            format!(
                "{}\n{}\n",
                queue_staffing_line(plan, roster),
                comparison_text(comparisons, rules)
            )
        }
        Basis::Plan { .. } => String::new(),
    };
    format!(
        "{}\n{}\n{}\n{}{}{}{}{comparison}",
        roster_table(roster, agents, rules),
        headline(rostered),
        violations_line(&rostered.violations),
        contracts_line(roster, agents, rules, rostered.days),
        preferences_line(roster, agents, rules),
        nights_and_weekends_line(roster, agents, rules),
        fairness_line(roster, agents, rules, rostered.days),
    )
}

/// `contracted hours used: 40 h × 48 agents 99.6 %, 30 h × 12 agents 100.0 %`: per contract of
/// the file, the paid hours rostered against the contracts' hours over the horizon (a team's
/// contracts are paid whether the requirement needs them or not).
pub fn contracts_line(
    roster: &Roster,
    agents: &[Agent],
    rules: &WorkRules,
    days: time::DayRange,
) -> String {
    let weeks = days.len() as f64 / 7.0;
    let mut paid = vec![0.0; agents.len()];
    for a in &roster.assignments {
        paid[a.agent] += a.paid_hours;
    }
    // Contracts in file order of first appearance, the agents and hours of each.
    let mut contracts: Vec<(f64, usize, f64)> = Vec::new();
    for (agent, hours) in agents.iter().zip(&paid) {
        let contract = agent
            .contract_hours_per_week
            .unwrap_or(rules.contract_hours_per_week);
        match contracts.iter_mut().find(|c| c.0 == contract) {
            Some(c) => (c.1, c.2) = (c.1 + 1, c.2 + hours),
            None => contracts.push((contract, 1, *hours)),
        }
    }
    contracts.sort_by(|a, b| b.0.total_cmp(&a.0));
    let parts: Vec<String> = (contracts.iter())
        .map(|&(contract, count, hours)| {
            let used = hours / (contract * weeks * count as f64) * 100.0;
            format!("{contract} h × {count} agent(s) {used:.1} %")
        })
        .collect();
    format!("contracted hours used: {}\n", parts.join(", "))
}

/// Soft-rule notes listed on the terminal; the rest are counted.
const NOTES_SHOWN: usize = 10;

/// The lines `wfm roster` prints on stderr: the first ten broken rules, and the first ten
/// soft-rule notes (counted when there are more).
pub fn roster_warnings(rostered: &Rostered) -> Vec<String> {
    let (roster, agents) = (rostered.roster(), &rostered.agents);
    let mut lines: Vec<String> = (rostered.violations.iter().take(10))
        .map(|v| {
            let agent = &agents[v.agent];
            format!(
                "violation: {} ({}): {} — {}",
                agent.agent_id, agent.name, v.rule, v.detail
            )
        })
        .collect();
    if roster.notes.len() > NOTES_SHOWN {
        let count = roster.notes.len();
        lines.push(format!(
            "note: {count} soft-rule notes; the first {NOTES_SHOWN}:"
        ));
    }
    lines.extend(roster.notes.iter().take(NOTES_SHOWN).map(|note| {
        let agent = &agents[note.agent];
        format!(
            "note: {} ({}), from {}: {} — {}",
            agent.agent_id,
            agent.name,
            time::date_from_day(note.week_day),
            note.rule,
            note.detail
        )
    }));
    lines
}

/// `time off: 3 requests, all met` (every request is a hard rule; one not met is also a rule
/// broken), counting the requests on the roster's `days` once each, and saying how many of
/// the file's fall outside them; `None` without requests.
pub fn time_off_line(
    requests: &[crate::roster::time_off::TimeOff],
    roster: &Roster,
    days: time::DayRange,
) -> Option<String> {
    if requests.is_empty() {
        return None;
    }
    let within = crate::roster::time_off::requests_within(requests, days);
    let met = crate::roster::time_off::requests_met(&within, roster);
    let count = within.len();
    let outside = requests.iter().filter(|r| !r.falls_on(days)).count();
    let mut line = match met == count {
        true => format!("time off: {count} request(s), all met"),
        false => format!("time off: {count} request(s), {met} met"),
    };
    if outside > 0 {
        line.push_str(&format!(
            " ({outside} of the file's outside the roster's dates, not counted)"
        ));
    }
    line.push('\n');
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An agent given no shift shows 0.0 paid hours: an empty float sum is -0.0, which would
    /// print as "-0.0".
    #[test]
    fn an_idle_agent_has_zero_hours_not_minus_zero() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agents.csv");
        std::fs::write(&path, "agent_id,name\na1,Ana\n").unwrap();
        let agents = crate::roster::read_agents(&path).unwrap();
        let roster = Roster::default();
        let table = roster_table(&roster, &agents, &WorkRules::default()).to_string();
        assert!(table.contains(" 0.0 "), "{table}");
        assert!(!table.contains("-0.0"), "{table}");
    }
}
