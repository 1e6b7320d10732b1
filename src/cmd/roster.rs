//! `wfm roster`: a requirement (weekly tours planned for the agents) or a shift plan (assigned
//! as it is) → named agents' shifts under the work rules.

use anyhow::Result;

use super::Outcome;
use crate::cli::RosterArgs;
use crate::output::{check_outputs, print, sibling};
use wfm::report::roster_output::{
    roster_report, roster_warnings, shortfall_message, time_off_line,
};
use wfm::report::roster_plot::write_roster_plot;
use wfm::roster::read_agents;
use wfm::roster::stage::{roster, Basis, Demand};
use wfm::roster::time_off::read_time_off;
use wfm::WfmError;

pub fn run(args: RosterArgs) -> Result<Outcome> {
    // Beside the roster; roster-wide.csv in the current folder when the roster goes to stdout.
    let wide =
        (args.wide).then(|| sibling(&args.output, "roster.csv", "wide").with_extension("csv"));
    check_outputs(
        &[
            ("-o", Some(&args.output)),
            ("--wide", wide.as_deref()),
            ("--coverage", args.coverage.as_deref()),
            ("--json", args.json.as_deref()),
        ],
        args.plot.as_deref(),
        &[
            ("requirements or shift plan", Some(&args.input)),
            ("--agents", Some(&args.agents)),
            ("--rules", args.rules.as_deref()),
            ("--templates", args.templates.as_deref()),
            ("--time-off", args.time_off.as_deref()),
        ],
    )?;
    let config = args.config()?;
    let mut agents = read_agents(&args.agents)?;
    let requests = match &args.time_off {
        Some(path) => read_time_off(path, &mut agents)?,
        None => Vec::new(),
    };
    let demand = Demand::read(&args.input)?;
    if let (Some(_), Demand::Plan(_)) = (&args.coverage, &demand) {
        let message = "--coverage needs a requirements file: a shift plan's coverage is `wfm schedule --coverage`'s".to_string();
        let path = args.input.clone();
        return Err(WfmError::Invalid { path, message }.into());
    }
    let progress = crate::progress::Progress::start(format!("rostering {} agent(s)", agents.len()));
    let rostered = roster(&demand, agents, &config)?;
    drop(progress);
    let (roster, agents, rules) = (rostered.roster(), &rostered.agents, &config.params().rules);
    if let Some(message) = shortfall_message(&rostered, rules, &args.agents) {
        if !args.allow_under {
            let message = format!("{message}; pass --allow-under to write the roster anyway");
            let path = args.input.clone();
            return Err(WfmError::Invalid { path, message }.into());
        }
        eprintln!("warning: {message}");
    }
    roster.write(&args.output, agents)?;
    if let Some(path) = &wide {
        roster.write_wide(path, agents)?;
    }
    if let (Some(path), Basis::Tours { plan, .. }) = (&args.coverage, &rostered.basis) {
        plan.write_coverage(path)?;
    }
    if let Some(path) = &args.plot {
        write_roster_plot(path, roster, agents)?;
    }
    if let Some(path) = &args.json {
        wfm::report::write_json(path, &RosterJson::of(&rostered, &requests))?;
    }
    if !args.json.as_deref().is_some_and(wfm::atomic::is_stdout) {
        print(&roster_report(&rostered, rules))?;
        if let Some(line) = time_off_line(&requests, roster, rostered.days) {
            print(&line)?;
        }
    }
    for line in roster_warnings(&rostered) {
        eprintln!("{line}");
    }
    Ok(Outcome::Success)
}

/// `--json`: the roster's headline figures.
#[derive(serde::Serialize)]
struct RosterJson {
    agents_given: usize,
    agents_working: usize,
    /// Tours no agent of the file could take (a requirement only).
    hires: Option<usize>,
    /// No roster of weekly tours has fewer agents; none under the rules at all fewer.
    tour_bound: Option<usize>,
    rules_bound: usize,
    rule_violations: usize,
    soft_rule_notes: usize,
    shifts_without_agent: usize,
    time_off_requests: usize,
}

impl RosterJson {
    fn of(
        rostered: &wfm::roster::stage::Rostered,
        requests: &[wfm::roster::time_off::TimeOff],
    ) -> Self {
        let roster = rostered.roster();
        let (hires, tour_bound, rules_bound) = match &rostered.basis {
            Basis::Tours { plan, .. } => (
                Some(plan.hires()),
                Some(plan.tour_bound()),
                plan.lower_bound(),
            ),
            Basis::Plan { lower_bound, .. } => (None, None, *lower_bound),
        };
        RosterJson {
            agents_given: rostered.agents.len(),
            agents_working: rostered.working(),
            hires,
            tour_bound,
            rules_bound,
            rule_violations: rostered.violations.len(),
            soft_rule_notes: roster.notes.len(),
            shifts_without_agent: roster.unassigned.len(),
            time_off_requests: wfm::roster::time_off::requests_within(requests, rostered.days)
                .len(),
        }
    }
}
