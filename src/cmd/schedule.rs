//! `wfm schedule`: requirement → staggered shift plan, and the 2/2 roster beside it.

use anyhow::{Context, Result};

use super::Outcome;
use crate::cli::ScheduleArgs;
use crate::output::{check_outputs, print};
use wfm::report::schedule_plot::write_coverage_plots;
use wfm::report::schedule_tables::plans_report;
use wfm::schedule::stage::schedule;
use wfm::staffing::stage::Requirements;

pub fn run(args: ScheduleArgs) -> Result<Outcome> {
    let outputs = args.outputs()?;
    let baseline = outputs.baseline.as_ref();
    check_outputs(
        &[
            ("-o", Some(&args.output)),
            ("--coverage", Some(&outputs.coverage)),
            ("-o (its 2/2 file)", baseline.map(|p| p.0.as_path())),
            ("--coverage (its 2/2 file)", baseline.map(|p| p.1.as_path())),
            ("--json", args.json.as_deref()),
        ],
        args.plot.as_deref(),
        &[
            ("requirements", Some(&args.requirements)),
            ("--shifts", args.shifts.as_deref()),
        ],
    )?;
    let config = args.config()?;
    let requirements = Requirements::read(&args.requirements)?;
    // A plan that is no success stops in here, before any file is written or replaced.
    let progress = crate::progress::Progress::start(format!(
        "planning shifts for {} region(s)",
        requirements.regions.len()
    ));
    let plans = schedule(&requirements, &config)
        .with_context(|| format!("planning {}", args.requirements.display()))?;
    drop(progress);
    plans.write_shifts(&args.output)?;
    plans.write_coverage(&outputs.coverage)?;
    if let Some((shifts, coverage)) = baseline {
        plans.write_baseline(shifts, coverage)?;
    }
    if let Some(plot) = &args.plot {
        write_coverage_plots(plot, &plans)?;
    }
    if let Some(path) = &args.json {
        // The figures `wfm plan` gives each queue, contacts from the requirement.
        let queues: Vec<wfm::plan::summary::QueueSummary> = (plans.regions.iter())
            .zip(&requirements.regions)
            .map(|(plan, r)| {
                let contacts = r.contacts.iter().filter(|c| c.is_finite()).sum();
                wfm::plan::summary::QueueSummary::of(plan, contacts, None)
            })
            .collect();
        wfm::report::write_json(path, &queues)?;
        if wfm::atomic::is_stdout(path) {
            return Ok(Outcome::Success);
        }
    }
    print(&plans_report(&plans.regions, args.weekly_hours))?;
    Ok(Outcome::Success)
}
