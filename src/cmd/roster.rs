//! `wfm roster`: a shift plan → named agents' shifts under the work rules.

use anyhow::Result;

use super::{check_outputs, print, Outcome};
use crate::cli::RosterArgs;
use wfm::report::roster_output::{
    roster_table, unassigned_message, write_roster_file, write_wide_roster_file,
};
use wfm::roster::{assign, fewest_agents, headcount_lower_bound_for, read_agents, WorkRules};
use wfm::schedule::plan_file::read_shifts_file;
use wfm::WfmError;

pub fn run(args: RosterArgs) -> Result<Outcome> {
    let wide = args.wide.then(|| {
        let stem = args
            .output
            .file_stem()
            .map_or("roster".into(), |s| s.to_string_lossy().into_owned());
        args.output.with_file_name(format!("{stem}-wide.csv"))
    });
    check_outputs(
        &[("-o", Some(&args.output)), ("--wide", wide.as_deref())],
        args.plot.as_deref(),
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
    let shifts = read_shifts_file(&args.shifts)?;
    let agents = read_agents(&args.agents)?;
    let bound = headcount_lower_bound_for(&shifts, &agents, &rules);
    let found = args
        .fewest
        .then(|| fewest_agents(&shifts, &agents, &rules))
        .flatten();
    let (agents, roster) = match found {
        Some(found) => found,
        None => {
            let roster = assign(&shifts, &agents, &rules);
            (agents, roster)
        }
    };
    let agents = agents.as_slice();
    if !roster.unassigned.is_empty() {
        let message = unassigned_message(&roster, &rules);
        if !args.allow_under {
            return Err(WfmError::Invalid {
                path: args.shifts.clone(),
                message: format!(
                    "{message}; add agents, or pass --allow-under to write the roster anyway"
                ),
            }
            .into());
        }
        eprintln!("warning: {message}");
    }
    write_roster_file(&args.output, &roster, agents)?;
    eprintln!("wrote {}", args.output.display());
    if let Some(path) = &wide {
        write_wide_roster_file(path, &roster, agents)?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(path) = &args.plot {
        wfm::report::roster_plot::write_roster_plot(path, &roster, agents)?;
        eprintln!("wrote {}", path.display());
    }
    let working = (0..agents.len())
        .filter(|&k| roster.assignments.iter().any(|a| a.agent == k))
        .count();
    print(&format!(
        "{}\nheadcount: {working} agent(s) work{}; a lower bound for this plan under these rules is {bound}{}\n",
        roster_table(&roster, agents, &rules),
        if args.fewest {
            " (the fewest of the file, in its order, that cover it; per region where every agent has one)".to_string()
        } else {
            format!(" of the {} given", agents.len())
        },
        if bound > 0 && working >= bound {
            format!(" ({:.0} % above it)", (working - bound) as f64 / bound as f64 * 100.0)
        } else {
            String::new()
        }
    ))?;
    const NOTES_SHOWN: usize = 10;
    if roster.notes.len() > NOTES_SHOWN {
        eprintln!(
            "note: {} soft-rule notes; the first {NOTES_SHOWN}:",
            roster.notes.len()
        );
    }
    for note in roster.notes.iter().take(NOTES_SHOWN) {
        eprintln!(
            "note: {} ({}), week of {}: {} — {}",
            agents[note.agent].agent_id,
            agents[note.agent].name,
            wfm::time::date_from_day(note.week_day),
            note.rule,
            note.detail
        );
    }
    Ok(Outcome::Success)
}
