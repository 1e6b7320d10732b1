//! `wfm schedule`: requirement → staggered shift plan, and the 2/2 roster beside it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{check_outputs, per_region_paths, print, targets, Outcome};
use crate::cli::{BaselineArg, ScheduleArgs};
use wfm::atomic::is_stdout;
use wfm::report::schedule_plot::write_coverage_plot;
use wfm::report::schedule_tables::plans_report;
use wfm::schedule::stage::{schedule, ScheduleConfig};
use wfm::schedule::{ShiftTemplates, SolveOptions};
use wfm::staffing::stage::Requirements;
use wfm::WfmError;

pub fn run(args: ScheduleArgs) -> Result<Outcome> {
    let targets = targets(&args.targets)?;
    let coverage_path = args
        .coverage
        .clone()
        .unwrap_or_else(|| args.output.with_file_name("coverage.csv"));
    if coverage_path == args.output {
        return Err(WfmError::option(
            "--coverage",
            coverage_path.display().to_string(),
            "a file other than the shift plan (--output)",
        )
        .into());
    }
    let with_baseline = args.baseline == BaselineArg::TwoByTwo;
    // The 2/2 roster's files sit beside the plan's (shifts.csv when the plan goes to stdout).
    let baseline_paths = with_baseline.then(|| {
        (
            suffixed(&args.output, "shifts.csv", "2x2"),
            suffixed(&coverage_path, "coverage.csv", "2x2"),
        )
    });
    check_outputs(
        &[
            ("-o", Some(&args.output)),
            ("--coverage", Some(&coverage_path)),
            (
                "-o (its 2/2 file)",
                baseline_paths.as_ref().map(|p| p.0.as_path()),
            ),
            (
                "--coverage (its 2/2 file)",
                baseline_paths.as_ref().map(|p| p.1.as_path()),
            ),
        ],
        args.plot.as_deref(),
        &[
            ("requirements", Some(&args.requirements)),
            ("--shifts", args.shifts.as_deref()),
        ],
    )?;
    let templates = match &args.shifts {
        Some(path) => ShiftTemplates::from_toml_file(path)?,
        None => ShiftTemplates::default(),
    };
    let day_start = args.baseline_day_start;
    if args.weekly_hours.is_nan() || args.weekly_hours <= 0.0 {
        return Err(WfmError::option(
            "--weekly-hours",
            args.weekly_hours.to_string(),
            "expected hours > 0",
        )
        .into());
    }
    let requirements = Requirements::read(&args.requirements)?;
    let config = ScheduleConfig {
        templates,
        templates_path: args.shifts.clone(),
        solve: SolveOptions {
            allow_under: args.allow_under,
            time_limit_seconds: args.time_limit,
            mip_gap: args.mip_gap,
        },
        baseline_day_start_minute: with_baseline.then_some(day_start),
        targets,
    };
    // A plan that is no success stops in here, before any file is written or replaced.
    let plans = schedule(&requirements, &config)
        .with_context(|| format!("planning {}", args.requirements.display()))?;
    let results = &plans.regions;
    plans.write_shifts(&args.output)?;
    plans.write_coverage(&coverage_path)?;
    if let Some((shifts, coverage)) = &baseline_paths {
        plans.write_baseline(shifts, coverage)?;
    }
    if let Some(plot) = &args.plot {
        let names: Vec<&str> = results
            .iter()
            .map(|r| r.requirement.region.as_str())
            .collect();
        for (r, path) in results.iter().zip(per_region_paths(plot, &names)) {
            write_coverage_plot(
                &path,
                &r.requirement,
                &r.plan.scheduled,
                r.baseline.as_ref().map(|b| b.scheduled.as_slice()),
            )
            .with_context(|| format!("plotting region \"{}\"", r.requirement.region))?;
        }
    }
    let text = plans_report(results, args.weekly_hours);
    print(&text)?;
    Ok(Outcome::Success)
}

/// `stem-suffix.ext` beside `path`; beside `default_name` in the current folder when `path`
/// is stdout (`-`).
fn suffixed(path: &Path, default_name: &str, suffix: &str) -> PathBuf {
    let path = if is_stdout(path) {
        Path::new(default_name)
    } else {
        path
    };
    let stem = path
        .file_stem()
        .map_or("out".into(), |s| s.to_string_lossy());
    let ext = path
        .extension()
        .map_or("csv".into(), |e| e.to_string_lossy());
    path.with_file_name(format!("{stem}-{suffix}.{ext}"))
}
