//! `wfm roster`: a requirement (weekly tours planned for the agents) or a shift plan (assigned
//! as it is) → named agents' shifts under the work rules.

use anyhow::Result;

use super::{check_outputs, print, targets, Outcome};
use crate::cli::RosterArgs;
use wfm::report::roster_output::{
    roster_report, shortfall_message, write_roster_file, write_wide_roster_file,
};
use wfm::roster::stage::{roster, Demand, RosterConfig};
use wfm::roster::{read_agents, WorkRules};
use wfm::WfmError;

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
        Some(path) => WorkRules::from_toml_file(path)?,
        None => WorkRules::default(),
    };
    let agents = read_agents(&args.agents)?;
    let config = RosterConfig {
        rules,
        templates_path: args.templates.clone(),
        targets: targets(&args.targets)?,
        baseline_day_start_minute: args.baseline_day_start,
        volume_scale: args.volume_scale,
        fewest: args.fewest,
        agents_path: args.agents.clone(),
    }
    .check()?;
    let rostered = roster(&Demand::read(&args.input)?, agents, &config)?;
    let (roster, agents, rules) = (rostered.roster(), &rostered.agents, &config.rules);
    if let Some(message) = shortfall_message(&rostered, rules, &args.agents) {
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
    print(&roster_report(&rostered, rules))?;
    for v in rostered.violations.iter().take(10) {
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
