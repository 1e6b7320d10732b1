//! `wfm roster`: a requirement (weekly tours planned for the agents) or a shift plan (assigned
//! as it is) → named agents' shifts under the work rules.

use anyhow::Result;

use super::{check_outputs, print, targets, Outcome};
use crate::cli::RosterArgs;
use wfm::data::{is_requirements_file, read_requirements_file};
use wfm::report::roster_output::{
    comparison_text, hires_message, nights_and_weekends_line, percent_above, preferences_line,
    roster_table, unassigned_message, uncovered_message, unmatched_message, write_roster_file,
    write_wide_roster_file,
};
use wfm::roster::compare::{check_roster_size, compare};
use wfm::roster::verify::shift_size_violations;
use wfm::roster::{
    assign, fewest_agents, headcount_lower_bound_for, plan_days, read_agents, violations, Agent,
    Roster, Violation, WorkRules,
};
use wfm::schedule::plan_file::read_shifts_file;
use wfm::schedule::ShiftTemplates;
use wfm::time::DayRange;
use wfm::WfmError;

/// A roster and what the command says of it.
struct Built {
    agents: Vec<Agent>,
    roster: Roster,
    /// Why shifts have no agent, when some have none.
    short: Option<String>,
    headline: String,
    /// The 2/2 comparison, for a requirement.
    comparison: Option<String>,
    /// First and last day of the horizon.
    days: DayRange,
    /// The templates' fewest and most agents on one shift, for a requirement.
    per_shift: Option<(u32, Option<u32>)>,
}

pub fn run(args: RosterArgs) -> Result<Outcome> {
    let wide = args.wide.then(|| {
        // Beside the roster; roster-wide.csv in the current folder when the roster goes to stdout.
        let output = if wfm::atomic::is_stdout(&args.output) {
            std::path::Path::new("roster.csv")
        } else {
            args.output.as_path()
        };
        let stem = output
            .file_stem()
            .map_or("roster".into(), |s| s.to_string_lossy().into_owned());
        output.with_file_name(format!("{stem}-wide.csv"))
    });
    check_outputs(
        &[("-o", Some(&args.output)), ("--wide", wide.as_deref())],
        args.plot.as_deref(),
        &[
            ("requirements or shift plan", Some(&args.input)),
            ("--agents", Some(&args.agents)),
            ("--rules", args.rules.as_deref()),
            ("--templates", args.templates.as_deref()),
        ],
    )?;
    let rules = match &args.rules {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| WfmError::Open {
                path: path.clone(),
                error,
            })?;
            WorkRules::from_toml(&text, path)?
        }
        None => WorkRules::default(),
    };
    let agents = read_agents(&args.agents)?;
    let built = if is_requirements_file(&args.input)? {
        from_requirements(&args, agents, &rules)?
    } else {
        if args.templates.is_some() {
            return Err(WfmError::option(
                "--templates",
                "given",
                "a requirements file to roster (a shift plan already has its shifts)",
            )
            .into());
        }
        from_plan(&args, agents, &rules)?
    };
    let agents = built.agents.as_slice();
    let roster = &built.roster;
    if let Some(message) = &built.short {
        if !args.allow_under {
            return Err(WfmError::Invalid {
                path: args.input.clone(),
                message: format!("{message}; pass --allow-under to write the roster anyway"),
            }
            .into());
        }
        eprintln!("warning: {message}");
    }
    write_roster_file(&args.output, roster, agents)?;
    if let Some(path) = &wide {
        write_wide_roster_file(path, roster, agents)?;
    }
    if let Some(path) = &args.plot {
        wfm::report::roster_plot::write_roster_plot(path, roster, agents)?;
    }
    let mut broken = violations(roster, agents, &rules, built.days);
    if let Some((min, max)) = built.per_shift {
        broken.extend(shift_size_violations(roster, min, max));
    }
    print(&format!(
        "{}\n{}\n{}\n{}{}",
        roster_table(roster, agents, &rules),
        built.headline,
        violations_line(&broken),
        preferences_line(roster, agents, &rules)
            + &nights_and_weekends_line(roster, agents, &rules),
        built
            .comparison
            .as_ref()
            .map_or(String::new(), |c| format!("\n{c}\n"))
    ))?;
    for v in broken.iter().take(10) {
        eprintln!(
            "violation: {} ({}): {} — {}",
            agents[v.agent].agent_id, agents[v.agent].name, v.rule, v.detail
        );
    }
    const NOTES_SHOWN: usize = 10;
    if roster.notes.len() > NOTES_SHOWN {
        eprintln!(
            "note: {} soft-rule notes; the first {NOTES_SHOWN}:",
            roster.notes.len()
        );
    }
    for note in roster.notes.iter().take(NOTES_SHOWN) {
        eprintln!(
            "note: {} ({}), from {}: {} — {}",
            agents[note.agent].agent_id,
            agents[note.agent].name,
            wfm::time::date_from_day(note.week_day),
            note.rule,
            note.detail
        );
    }
    Ok(Outcome::Success)
}

/// "rule violations: none", or their count by rule.
fn violations_line(broken: &[Violation]) -> String {
    if broken.is_empty() {
        return "rule violations: none".into();
    }
    let mut by_rule: Vec<(&str, usize)> = Vec::new();
    for v in broken {
        match by_rule.iter_mut().find(|r| r.0 == v.rule) {
            Some(r) => r.1 += 1,
            None => by_rule.push((v.rule, 1)),
        }
    }
    let parts: Vec<String> = by_rule.iter().map(|(r, n)| format!("{n} × {r}")).collect();
    format!("rule violations: {} ({})", broken.len(), parts.join(", "))
}

/// Weekly tours planned straight from the requirement for the agents of the file.
fn from_requirements(args: &RosterArgs, agents: Vec<Agent>, rules: &WorkRules) -> Result<Built> {
    let templates = match &args.templates {
        Some(path) => ShiftTemplates::from_toml_file(path)?,
        None => ShiftTemplates::default(),
    };
    let series = read_requirements_file(&args.input)?;
    check_roster_size(&series, &args.input, None)?;
    let queues: Vec<&str> = series.iter().map(|s| s.region.as_str()).collect();
    let unmatched: Vec<usize> = (0..agents.len())
        .filter(|&k| !queues.iter().any(|q| agents[k].may_work_in(q)))
        .collect();
    if unmatched.len() == agents.len() {
        return Err(WfmError::Invalid {
            path: args.agents.clone(),
            message: unmatched_message(&agents, &unmatched, &queues),
        }
        .into());
    }
    for s in &series {
        templates.validate_from(s.interval_minutes, args.templates.as_deref())?;
    }
    // One file, one interval length: the default start step follows it.
    let templates = match series.first() {
        Some(s) => templates.for_interval(s.interval_minutes),
        None => templates,
    };
    let targets = targets(&args.targets)?;
    let day_start = args.baseline_day_start;
    let scale = args.volume_scale.filter(|&k| k != 1.0);
    if let Some(scale) = scale {
        if !(scale.is_finite() && scale > 0.0) {
            return Err(
                WfmError::option("--volume-scale", scale.to_string(), "a factor above 0").into(),
            );
        }
    }
    // The scaled roster is independent of the first: both run at once.
    let at = |k: f64| compare(&series, &agents, &templates, rules, &targets, day_start, k);
    let (first, scaled) = rayon::join(|| at(1.0), || scale.map(at).transpose());
    let (plan, at_one) = first?;
    let mut comparisons = vec![at_one];
    comparisons.extend(scaled?.map(|(_, c)| c));
    let tours = plan.headcount();
    let bound = plan.lower_bound();
    let mut problems = Vec::new();
    if plan.uncovered() > 0 {
        let mut message = uncovered_message(&plan);
        if let Some(max) = templates.max_agents_per_shift {
            message.push_str(&format!(
                " (the templates allow at most {max} agent(s) on one shift: max_agents_per_shift)"
            ));
        }
        problems.push(message);
    }
    if plan.hires() > 0 {
        if !unmatched.is_empty() {
            // The agents who could not be used come first: they, not a lack of people, may be
            // why more are "needed".
            problems.push(format!(
                "{}: {}",
                args.agents.display(),
                unmatched_message(&agents, &unmatched, &queues)
            ));
        }
        problems.push(hires_message(&plan));
    }
    let short = (!problems.is_empty()).then(|| problems.join("; and "));
    let tour_bound = plan.tour_bound();
    let headline = format!(
        "headcount: {} agent(s) of the {} given work{}\nlower bounds: no roster of weekly tours has fewer than {tour_bound}{}; no roster under these rules at all has fewer than {bound}{}",
        tours - plan.hires(),
        agents.len(),
        if plan.hires() > 0 {
            format!(", and {} more are needed", plan.hires())
        } else {
            String::new()
        },
        percent_above(tours, tour_bound),
        percent_above(tours, bound)
    );
    let comparison = Some(comparison_text(&comparisons, rules));
    let days = plan.days;
    Ok(Built {
        agents,
        roster: plan.roster,
        short,
        headline,
        comparison,
        days,
        per_shift: Some((
            templates.min_agents_per_shift,
            templates.max_agents_per_shift,
        )),
    })
}

/// A shift plan assigned as it is.
fn from_plan(args: &RosterArgs, agents: Vec<Agent>, rules: &WorkRules) -> Result<Built> {
    let shifts = read_shifts_file(&args.input)?;
    let bound = headcount_lower_bound_for(&shifts, &agents, rules);
    let found = args
        .fewest
        .then(|| fewest_agents(&shifts, &agents, rules))
        .flatten();
    let (agents, roster) = match found {
        Some(found) => found,
        None => {
            let roster = assign(&shifts, &agents, rules);
            (agents, roster)
        }
    };
    let working = (0..agents.len())
        .filter(|&k| roster.assignments.iter().any(|a| a.agent == k))
        .count();
    let headline = format!(
        "headcount: {working} agent(s) work{}; a lower bound for this plan under these rules is {bound}{}",
        if args.fewest {
            " (the fewest of the file, in its order, that cover it; per region where every agent has one)".to_string()
        } else {
            format!(" of the {} given", agents.len())
        },
        percent_above(working, bound)
    );
    let short = (!roster.unassigned.is_empty()).then(|| unassigned_message(&roster, rules));
    let days = plan_days(&shifts);
    Ok(Built {
        agents,
        roster,
        short,
        headline,
        comparison: None,
        days,
        per_shift: None,
    })
}
