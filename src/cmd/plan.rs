//! `wfm plan`: the month of every queue from one config into one folder, with report.html.

use std::path::{Path, PathBuf};

use anyhow::Result;
use sha2::{Digest, Sha256};

use super::Outcome;
use crate::cli::PlanArgs;
use crate::output::print;
use wfm::atomic::write_atomic;
use wfm::plan::html::plan_report;
use wfm::plan::{run_plan_telling, PlanConfig, PlanSummary};
use wfm::report::roster_output::{roster_report, time_off_line};
use wfm::WfmError;

pub fn run(args: PlanArgs) -> Result<Outcome> {
    if !args.merge.is_empty() {
        return merge(&args);
    }
    let mut config = match (&args.config, &args.history) {
        (Some(path), _) => PlanConfig::from_toml_file(path)?,
        (None, Some(history)) => PlanConfig::for_history(history),
        (None, None) => unreachable!("clap requires HISTORY or --config"),
    };
    if let Some(month) = args.month {
        config.forecast.month = Some(month.format("%Y-%m").to_string());
    }
    check_out_dir(&args.out, args.force)?;
    if let Some(path) = &args.json {
        wfm::atomic::check_output(path, "--json")?;
    }
    if let (Some(config_path), Some((key, missing))) =
        (&args.config, config.missing_files().first())
    {
        let here = std::env::current_dir().map_or(String::new(), |d| d.display().to_string());
        return Err(WfmError::Invalid {
            path: config_path.clone(),
            message: format!(
                "{key} = \"{}\": no such file in {here}; paths in the config are relative to the folder wfm runs in (run it from there, or give absolute paths)",
                missing.display()
            ),
        }
        .into());
    }
    let progress = crate::progress::Progress::start("planning the month");
    let run = run_plan_telling(&config, args.shard, &|step| progress.set(step))?;
    progress.set("writing the files and the report");
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
            let rules = run.config.work_rules()?;
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
            if let Some(line) = time_off_line(requests, roster, rostered.days) {
                text.push_str(&line);
            }
            Some(text)
        }
        None => None,
    };
    write_text(&out("plan.toml"), &run.config.written_out())?;
    let checksum = sha256_of(&run.config.input.history)?;
    let summary = PlanSummary::of(&run, &checksum);
    write_text(&out("summary.json"), &summary_json(&summary))?;
    let report = plan_report(&run, &summary, roster_text.as_deref());
    write_text(&out("report.html"), &report)?;
    // Last, once every output is staged: a roster an earlier run left in the folder
    // (`--force`) is not this plan's, and goes.
    if run.rostered.is_none() {
        for name in ["roster.csv", "roster-wide.csv"] {
            let stale = out(name);
            if stale.is_file() {
                std::fs::remove_file(&stale).map_err(|error| WfmError::Write {
                    path: stale.clone(),
                    message: format!("cannot remove an earlier run's roster: {error}"),
                })?;
            }
        }
    }
    drop(progress);
    let outcome = finish(&summary, args.json.as_deref())?;
    // The roster's headline (who works, who is still needed, the rules) on the terminal too:
    // a team short of its requirement is said here, not only in report.html.
    if let (Some(text), false) = (
        &roster_text,
        args.json.as_deref().is_some_and(wfm::atomic::is_stdout),
    ) {
        let headline: String = (text.lines())
            .filter(|l| {
                ["headcount", "rule violations", "time off"]
                    .iter()
                    .any(|k| l.starts_with(k))
            })
            .map(|l| format!("roster {l}\n"))
            .collect();
        print(&headline)?;
    }
    Ok(outcome)
}

/// Prints the summary (as JSON with `--json`) and what failed; the outcome says whether
/// anything did.
fn finish(summary: &PlanSummary, json: Option<&Path>) -> Result<Outcome> {
    if let Some(path) = json {
        wfm::report::write_json(path, summary)?;
    }
    if !json.is_some_and(wfm::atomic::is_stdout) {
        print(&summary.text())?;
    }
    for failure in &summary.failed {
        eprintln!("error: {}: {}", failure.what, failure.why);
    }
    Ok(if summary.failed.is_empty() {
        Outcome::Success
    } else {
        Outcome::PartlyFailed
    })
}

fn summary_json(summary: &PlanSummary) -> String {
    serde_json::to_string_pretty(summary).unwrap_or_default() + "\n"
}

fn write_text(path: &Path, text: &str) -> Result<()> {
    Ok(write_atomic(path, |w| {
        std::io::Write::write_all(w, text.as_bytes())
    })?)
}

/// `--merge DIR...`: the shards' folders joined into `--out`.
fn merge(args: &PlanArgs) -> Result<Outcome> {
    check_out_dir(&args.out, args.force)?;
    for dir in &args.merge {
        if wfm::atomic::same_file(dir, &args.out) {
            let expected = "a folder other than the shards' (--merge)";
            return Err(WfmError::option("--out", args.out.display().to_string(), expected).into());
        }
    }
    let merged = wfm::plan::merge::merge(&args.merge)?;
    std::fs::create_dir_all(&args.out).map_err(|error| WfmError::Write {
        path: args.out.clone(),
        message: error.to_string(),
    })?;
    for (name, text) in &merged.files {
        write_text(&args.out.join(name), text)?;
    }
    finish(&merged.summary, args.json.as_deref())
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
