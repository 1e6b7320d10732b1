//! `wfm plan`: the month of every queue from one config into one folder, with report.html.

use std::path::{Path, PathBuf};

use anyhow::Result;
use sha2::{Digest, Sha256};

use super::Outcome;
use crate::cli::PlanArgs;
use crate::output::print;
use wfm::atomic::write_atomic;
use wfm::plan::{run_plan, PlanConfig};
use wfm::report::html::plan_report;
use wfm::report::roster_output::{roster_report, time_off_line};
use wfm::WfmError;

pub fn run(args: PlanArgs) -> Result<Outcome> {
    let mut config = match (&args.config, &args.history) {
        (Some(path), _) => PlanConfig::from_toml_file(path)?,
        (None, Some(history)) => PlanConfig::for_history(history),
        (None, None) => unreachable!("clap requires HISTORY or --config"),
    };
    if let Some(month) = args.month {
        config.forecast.month = Some(month.format("%Y-%m").to_string());
    }
    check_out_dir(&args.out, args.force)?;
    let run = run_plan(&config)?;
    std::fs::create_dir_all(&args.out).map_err(|error| WfmError::Write {
        path: args.out.clone(),
        message: error.to_string(),
    })?;
    let out = |name: &str| args.out.join(name);
    run.forecasts.write(&out("forecast.csv"))?;
    run.requirements.write(&out("requirements.csv"))?;
    run.plans.write_shifts(&out("shifts.csv"))?;
    run.plans.write_coverage(&out("coverage.csv"))?;
    run.plans
        .write_baseline(&out("shifts-2x2.csv"), &out("coverage-2x2.csv"))?;
    let roster_text = match &run.rostered {
        Some((rostered, requests)) => {
            let rules = config_rules(&run.config)?;
            let roster = rostered.roster();
            roster.write(&out("roster.csv"), &rostered.agents)?;
            roster.write_wide(&out("roster-wide.csv"), &rostered.agents)?;
            // The headline on: headcount against its bounds, rules, fairness, the 2/2 crews
            // (the per-agent table is in roster.csv).
            let full = roster_report(rostered, &rules);
            let mut text = match full.find("headcount") {
                Some(at) => full[at..].to_string(),
                None => full,
            };
            if let Some(line) = time_off_line(requests, roster) {
                text.push_str(&line);
            }
            Some(text)
        }
        None => None,
    };
    let text = run.config.written_out();
    write_atomic(&out("plan.toml"), |w| {
        std::io::Write::write_all(w, text.as_bytes())
    })?;
    let checksum = sha256_of(&run.config.input.history)?;
    let report = plan_report(&run, &checksum, roster_text.as_deref());
    write_atomic(&out("report.html"), |w| {
        std::io::Write::write_all(w, report.as_bytes())
    })?;
    print(&summary(&run))?;
    for (what, why) in &run.failed {
        eprintln!("error: {what}: {why}");
    }
    Ok(if run.failed.is_empty() {
        Outcome::Success
    } else {
        Outcome::PartlyFailed
    })
}

/// Refuses a folder that holds files unless `--force`: a plan never mixes with older outputs
/// by accident.
fn check_out_dir(dir: &Path, force: bool) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        let expected = "a folder (this is a file)";
        return Err(WfmError::option("--out", dir.display().to_string(), expected).into());
    }
    let held = std::fs::read_dir(dir).map_or(0, |entries| entries.count());
    if held > 0 && !force {
        let expected = format!(
            "an empty or new folder; it holds {held} file(s): pass --force to replace its outputs"
        );
        return Err(WfmError::option("--out", dir.display().to_string(), expected).into());
    }
    Ok(())
}

fn config_rules(config: &PlanConfig) -> Result<wfm::roster::WorkRules> {
    Ok(config.work_rules()?)
}

/// The SHA-256 of a file's bytes, in hex.
fn sha256_of(path: &PathBuf) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|error| WfmError::Open {
        path: path.clone(),
        error,
    })?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// One line per queue: contacts, peak requirement, the plan's and the 2/2 crews' paid hours.
fn summary(run: &wfm::plan::PlanRun) -> String {
    let mut text = format!(
        "plan for {}: {} queue(s) planned, {} failed\n",
        run.config.forecast.month.as_deref().unwrap_or("?"),
        run.plans.regions.len(),
        run.failed.len()
    );
    for plan in &run.plans.regions {
        let name = &plan.requirement.region;
        let contacts: f64 = run
            .forecasts
            .regions
            .iter()
            .find(|f| &f.region == name)
            .map_or(0.0, |f| f.point.iter().sum());
        let baseline: f64 = plan.baseline.as_ref().map_or(0.0, |b| {
            b.shifts
                .iter()
                .map(|s| s.agents as f64 * s.paid_minutes as f64 / 60.0)
                .sum()
        });
        text.push_str(&format!(
            "  {name}: {:.0} contacts, peak {} agents, plan {:.0} paid hours against {:.0} for 2/2 crews, {} interval(s) short\n",
            contacts,
            plan.requirement.required.iter().max().copied().unwrap_or(0),
            plan.plan.paid_hours(),
            baseline,
            plan.plan.shortfalls.len()
        ));
    }
    text
}
