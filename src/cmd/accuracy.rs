//! `wfm accuracy`: score a forecast file against actuals, and gate on it.

use std::io::Write;

use anyhow::{Context, Result};
use serde::Serialize;

use super::{check_outputs, ingest_options, per_region_paths, print, Outcome};
use crate::cli::AccuracyArgs;
use wfm::atomic::is_stdout;
use wfm::data::load_history;
use wfm::forecast::accuracy::{check, score, AccuracyReport, Gate, GateFailure, Metric};
use wfm::report::forecast_output::accuracy_table;
use wfm::report::forecast_plot::{write_forecast_plot, HistoryTail};
use wfm::report::write_atomic;
use wfm::Forecasts;
use wfm::WfmError;

#[derive(Serialize)]
struct GateJson<'a> {
    min_accuracy: Option<f64>,
    accuracy_metric: String,
    max: Vec<(String, f64)>,
    passed: bool,
    failures: &'a [GateFailure],
}

#[derive(Serialize)]
struct AccuracyJson<'a> {
    forecast: &'a std::path::Path,
    actuals: &'a std::path::Path,
    #[serde(flatten)]
    report: &'a AccuracyReport,
    gate: GateJson<'a>,
}

pub fn run(args: AccuracyArgs) -> Result<Outcome> {
    check_outputs(
        &[("--json", args.json.as_deref())],
        args.plot.as_deref(),
        &[
            ("--forecast", Some(&args.forecast)),
            ("--actuals", Some(&args.actuals)),
            ("--history", args.history.as_deref()),
            ("--holidays", args.input.holidays.as_deref()),
        ],
    )?;
    let gate = Gate::new(
        args.min_accuracy,
        args.metric,
        &args.max_metric,
        args.history.is_some(),
    )?;
    let forecast = Forecasts::read(&args.forecast)?;
    let mut options = ingest_options(&args.input, &[])?;
    options.interval_minutes = Some(forecast.interval_minutes);
    // Actuals from an event log span the forecast's window in every region: an interval
    // without events is a zero to score, not a missing row.
    options.events_window = forecast.window();
    let actuals = load_history(&args.actuals, &options).with_context(|| {
        format!(
            "reading the actuals at the forecast's {}-minute interval",
            forecast.interval_minutes
        )
    })?;
    let history = args
        .history
        .as_deref()
        .map(|path| load_history(path, &options))
        .transpose()?;
    let report = score(&forecast, &actuals, history.as_ref(), args.level);

    if let Some(message) = report.unmatched_message() {
        if !args.allow_missing {
            return Err(WfmError::Invalid {
                path: args.forecast.clone(),
                message: format!("{message}; scoring only the matching rows needs --allow-missing"),
            }
            .into());
        }
        eprintln!("warning: {message}");
    }
    let failures = check(&report, &gate);
    if let Some(path) = &args.json {
        let json = AccuracyJson {
            forecast: &args.forecast,
            actuals: &args.actuals,
            report: &report,
            gate: GateJson {
                min_accuracy: gate.min_accuracy,
                accuracy_metric: gate.accuracy_metric.unwrap_or(Metric::Wape).to_string(),
                max: gate.max.iter().map(|(m, v)| (m.to_string(), *v)).collect(),
                passed: failures.is_empty(),
                failures: &failures,
            },
        };
        let text = serde_json::to_string_pretty(&json)?;
        write_atomic(path, |w| writeln!(w, "{text}"))?;
    }
    if let Some(plot) = &args.plot {
        write_plots(plot, &forecast, &actuals)?;
    }
    if !args.json.as_deref().is_some_and(is_stdout) {
        print(&format!(
            "{} vs {} at {} level\n{}\n",
            args.forecast.display(),
            args.actuals.display(),
            report.level,
            accuracy_table(&report)
        ))?;
    }
    if failures.is_empty() {
        if gate.is_set() {
            eprintln!("accuracy gate passed");
        }
        return Ok(Outcome::Success);
    }
    for failure in &failures {
        eprintln!("accuracy gate failed: {failure}");
    }
    Ok(Outcome::GateFailed)
}

fn write_plots(
    plot: &std::path::Path,
    forecast: &Forecasts,
    actuals: &wfm::data::History,
) -> Result<()> {
    let names: Vec<&str> = forecast.regions.iter().map(|f| f.region.as_str()).collect();
    for (f, path) in forecast.regions.iter().zip(per_region_paths(plot, &names)) {
        let (Some(&start), Some(&end)) = (f.minutes.first(), f.minutes.last()) else {
            continue;
        };
        let region = actuals.regions.iter().find(|a| a.region == f.region);
        let tail = HistoryTail::actuals(region, start, end);
        write_forecast_plot(&path, f, &tail)?;
    }
    Ok(())
}
