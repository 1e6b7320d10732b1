//! `wfm schedule`: requirement → staggered shift plan, and the 2/2 roster beside it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use comfy_table::{Cell, Table};

use super::{per_region_paths, print, targets, Outcome};
use crate::cli::{BaselineArg, ScheduleArgs};
use wfm::data::read_requirements_file;
use wfm::report::schedule_plot::write_coverage_plot;
use wfm::report::table::{new_table, right};
use wfm::schedule::stage::{plan_service_level, schedule, RegionPlan, ScheduleConfig};
use wfm::schedule::{
    coverage_figures, interval_text, Plan, Requirement, ShiftCount, ShiftTemplates, SolveOptions,
};
use wfm::staffing::Targets;
use wfm::time::{self, naive_from_minutes};
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
    let templates = match &args.shifts {
        Some(path) => ShiftTemplates::from_toml_file(path)?,
        None => ShiftTemplates::default(),
    };
    let with_baseline = args.baseline == BaselineArg::TwoByTwo;
    let day_start = args.baseline_day_start;
    if !(args.time_limit > 0.0 && args.time_limit.is_finite()) {
        return Err(WfmError::option(
            "--time-limit",
            args.time_limit.to_string(),
            "expected seconds > 0",
        )
        .into());
    }
    if !(0.0..1.0).contains(&args.mip_gap) {
        return Err(WfmError::option(
            "--mip-gap",
            args.mip_gap.to_string(),
            "expected a fraction from 0 up to 1, e.g. 0.005 for 0.5 %",
        )
        .into());
    }
    if args.weekly_hours.is_nan() || args.weekly_hours <= 0.0 {
        return Err(WfmError::option(
            "--weekly-hours",
            args.weekly_hours.to_string(),
            "expected hours > 0",
        )
        .into());
    }
    let regions = read_requirements_file(&args.requirements)?;
    let config = ScheduleConfig {
        templates,
        templates_path: args.shifts.clone(),
        solve: SolveOptions {
            allow_under: args.allow_under,
            time_limit_seconds: args.time_limit,
            mip_gap: args.mip_gap,
        },
        baseline_day_start_minute: with_baseline.then_some(day_start),
    };
    // A plan that is no success stops in here, before any file is written or replaced.
    let plans = schedule(&regions, &config)?;
    let results = &plans.regions;
    plans.write_shifts(&args.output)?;
    plans.write_coverage(&coverage_path)?;
    let mut written = vec![args.output.clone(), coverage_path.clone()];
    if with_baseline {
        let shifts = suffixed(&args.output, "2x2");
        let coverage = suffixed(&coverage_path, "2x2");
        plans.write_baseline(&shifts, &coverage)?;
        written.extend([shifts, coverage]);
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
            written.push(path);
        }
    }
    for path in &written {
        eprintln!("wrote {}", path.display());
    }
    let mut text = String::new();
    for r in results {
        text.push_str(&format!(
            "{}: {} intervals from {}\n{}\n",
            r.requirement.region,
            r.requirement.len(),
            time::format_minute(r.requirement.start_minute),
            comparison_table(r, &targets, args.weekly_hours)
        ));
        if let Some(status) = short_status(&r.requirement, &r.plan) {
            text.push_str(&format!("{}: {status}\n", r.requirement.region));
        }
        for s in r.plan.shortfalls.iter().take(5) {
            text.push_str(&format!(
                "short: {} needs {} more agent(s): {}\n",
                time::format_minute(r.requirement.minute(s.interval)),
                s.missing,
                s.cause.describe(&interval_text(&r.requirement, s.interval))
            ));
        }
        if r.plan.shortfalls.len() > 5 {
            text.push_str(&format!(
                "… and {} more short intervals (see coverage.csv)\n",
                r.plan.shortfalls.len() - 5
            ));
        }
    }
    print(&text)?;
    Ok(Outcome::Success)
}

/// `infeasible: 12 intervals short (first 2024-01-01 07:00 by 3 agents)` for a plan that
/// leaves intervals short (written only under --allow-under), None for one that covers all.
fn short_status(req: &Requirement, plan: &Plan) -> Option<String> {
    let first = plan.shortfalls.first()?;
    let count = plan.shortfalls.len();
    Some(format!(
        "infeasible: {count} interval{} short (first {} by {} agent{})",
        if count == 1 { "" } else { "s" },
        naive_from_minutes(req.minute(first.interval)).format("%Y-%m-%d %H:%M"),
        first.missing,
        if first.missing == 1 { "" } else { "s" }
    ))
}

/// `x` with `decimals` decimals; a value that rounds to zero prints as zero, never "-0.0".
fn fixed(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or("out".into(), |s| s.to_string_lossy());
    let ext = path
        .extension()
        .map_or("csv".into(), |e| e.to_string_lossy());
    path.with_file_name(format!("{stem}-{suffix}.{ext}"))
}

fn comparison_table(r: &RegionPlan, targets: &Targets, weekly_hours: f64) -> Table {
    let req = &r.requirement;
    let weeks = req.len() as f64 * req.interval_minutes as f64 / (7.0 * 1_440.0);
    let mut header = vec!["".to_string(), "staggered plan".to_string()];
    if r.baseline.is_some() {
        header.push("2/2 12-hour roster".into());
    }
    let mut table = new_table(header);
    let paid = |shifts: &[ShiftCount]| {
        shifts
            .iter()
            .map(|s| s.agents as f64 * s.paid_minutes as f64 / 60.0)
            .sum::<f64>()
    };
    let plan_cov = coverage_figures(&req.required, &r.plan.scheduled, req.interval_minutes);
    let plan_paid = r.plan.paid_hours();
    let plan_sl = plan_service_level(&r.series, &r.plan.scheduled, targets);
    let base = r.baseline.as_ref().map(|b| {
        (
            paid(&b.shifts),
            coverage_figures(&req.required, &b.scheduled, req.interval_minutes),
            plan_service_level(&r.series, &b.scheduled, targets),
            &b.crews,
        )
    });
    let mut row = |name: &str, plan: String, baseline: Option<String>| {
        let mut cells = vec![Cell::new(name), right(plan)];
        if let Some(b) = baseline {
            cells.push(right(b));
        }
        table.add_row(cells);
    };
    let saving = base.as_ref().map(|(p, ..)| {
        if *p > 0.0 {
            {
                let change = fixed((plan_paid - p) / p * 100.0, 1);
                let sign = if change.starts_with('-') { "" } else { "+" };
                format!(" ({sign}{change} %)")
            }
        } else {
            String::new()
        }
    });
    row(
        "paid hours",
        format!("{}{}", fixed(plan_paid, 1), saving.unwrap_or_default()),
        base.as_ref().map(|(p, ..)| fixed(*p, 1)),
    );
    row(
        &format!("headcount at {weekly_hours} h/week"),
        fixed(plan_paid / weeks / weekly_hours, 1),
        base.as_ref()
            .map(|(p, ..)| fixed(p / weeks / weekly_hours, 1)),
    );
    row(
        "over-staffed agent-hours",
        fixed(plan_cov.over_staffed_agent_hours, 1),
        base.as_ref()
            .map(|(_, c, ..)| fixed(c.over_staffed_agent_hours, 1)),
    );
    row(
        "under-staffed intervals",
        plan_cov.under_staffed_intervals.to_string(),
        base.as_ref()
            .map(|(_, c, ..)| c.under_staffed_intervals.to_string()),
    );
    row(
        "distinct shifts",
        r.plan.distinct_shifts().to_string(),
        base.as_ref().map(|(.., crews)| {
            format!(
                "2 (crews {} / {} / {} / {})",
                crews[0], crews[1], crews[2], crews[3]
            )
        }),
    );
    let sl_text = |sl: Option<(f64, f64)>| {
        sl.map_or("-".to_string(), |(level, met)| {
            format!(
                "{} % ({} % of intervals on target)",
                fixed(level * 100.0, 1),
                fixed(met * 100.0, 0)
            )
        })
    };
    row(
        "service level achieved",
        sl_text(plan_sl),
        base.as_ref().map(|(_, _, sl, _)| sl_text(*sl)),
    );
    row(
        "solver",
        match r.plan.shortfalls.len() {
            0 => r.plan.status.to_string(),
            short => format!("{} with {short} intervals short", r.plan.status),
        },
        base.as_ref().map(|_| "sized to cover".to_string()),
    );
    row(
        "gap to LP bound",
        format!("{} %", fixed(r.plan.gap() * 100.0, 2)),
        base.as_ref().map(|_| "-".to_string()),
    );
    row(
        "solve time",
        format!("{:.2} s", r.plan.solve_seconds),
        base.as_ref().map(|_| "-".to_string()),
    );
    table
}
