//! `wfm accuracy`: score a forecast file against actuals, and gate on it.

use std::io::Write;

use anyhow::{Context, Result};
use serde::Serialize;

use super::{check_outputs, ingest_options, per_region_paths, print, Outcome};
use crate::cli::AccuracyArgs;
use wfm::atomic::is_stdout;
use wfm::data::{load_history, read_forecast_file, ForecastFile};
use wfm::forecast::accuracy::{check, score, AccuracyReport, Gate, GateFailure, Metric};
use wfm::forecast::pipeline::RegionForecast;
use wfm::report::forecast_output::accuracy_table;
use wfm::report::forecast_plot::{write_forecast_plot, HistoryTail};
use wfm::report::write_atomic;
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
    let gate = gate(&args)?;
    let forecast = read_forecast_file(&args.forecast)?;
    let mut options = ingest_options(&args.input, &[])?;
    options.interval_minutes = Some(forecast.interval_minutes);
    // Actuals from an event log span the forecast's window in every region: an interval
    // without events is a zero to score, not a missing row.
    let minutes = forecast
        .regions
        .iter()
        .flat_map(|r| r.minutes.iter().copied());
    if let (Some(first), Some(last)) = (minutes.clone().min(), minutes.max()) {
        options.events_window = Some((first, last + forecast.interval_minutes as i64));
    }
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
    let report = score(&forecast, &actuals, history.as_ref(), args.level.into());

    let unmatched = report.missing_actuals.count + report.missing_forecasts.count;
    if unmatched > 0 {
        let message = unmatched_message(&report);
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
        if gate.min_accuracy.is_some() || !gate.max.is_empty() {
            eprintln!("accuracy gate passed");
        }
        return Ok(Outcome::Success);
    }
    for failure in &failures {
        eprintln!("accuracy gate failed: {failure}");
    }
    Ok(Outcome::GateFailed)
}

fn gate(args: &AccuracyArgs) -> Result<Gate> {
    let accuracy_metric: Metric = args.metric.into();
    let gated = args.min_accuracy.is_some() || !args.max_metric.is_empty();
    let mase_gated = accuracy_metric == Metric::Mase
        || args
            .max_metric
            .iter()
            .any(|m| m.trim_start().starts_with("mase"));
    if gated && mase_gated && args.history.is_none() {
        // MASE is scaled by the in-sample seasonal naive error: without the history it is
        // undefined, and a gate on it would fail on a NaN.
        return Err(WfmError::option(
            "--metric",
            "mase",
            "MASE needs the history before the forecast: pass --history FILE",
        )
        .into());
    }
    if let Some(min) = args.min_accuracy {
        if !(0.0..=1.0).contains(&min) {
            return Err(WfmError::option(
                "--min-accuracy",
                min.to_string(),
                "expected a fraction between 0 and 1, e.g. 0.92",
            )
            .into());
        }
    }
    let max = args
        .max_metric
        .iter()
        .map(|item| {
            let bad = || WfmError::option("--max-metric", item, "expected METRIC=MAX such as mape=0.15 (metrics: wape, mape, smape, mase, bias)");
            let (name, value) = item.split_once('=').ok_or_else(bad)?;
            let metric: Metric = name.parse().map_err(|_| bad())?;
            let value: f64 = value.trim().parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0).ok_or_else(bad)?;
            Ok((metric, value))
        })
        .collect::<Result<_, WfmError>>()?;
    Ok(Gate {
        min_accuracy: args.min_accuracy,
        accuracy_metric: Some(accuracy_metric),
        max,
    })
}

fn unmatched_message(report: &AccuracyReport) -> String {
    let mut parts = Vec::new();
    if report.missing_actuals.count > 0 {
        parts.push(format!(
            "{} forecast row(s) have no actual (first: {})",
            report.missing_actuals.count,
            report.missing_actuals.examples.join(", ")
        ));
    }
    if report.missing_forecasts.count > 0 {
        parts.push(format!(
            "{} actual row(s) have no forecast (first: {})",
            report.missing_forecasts.count,
            report.missing_forecasts.examples.join(", ")
        ));
    }
    parts.join("; ")
}

fn write_plots(
    plot: &std::path::Path,
    forecast: &ForecastFile,
    actuals: &wfm::data::History,
) -> Result<()> {
    let names: Vec<&str> = forecast.regions.iter().map(|f| f.region.as_str()).collect();
    for (f, path) in forecast.regions.iter().zip(per_region_paths(plot, &names)) {
        let Some(&start) = f.minutes.first() else {
            continue;
        };
        let as_forecast = RegionForecast {
            region: f.region.clone(),
            interval_minutes: forecast.interval_minutes,
            start_minute: start,
            point: f.forecast.clone(),
            lower: f.lower.clone().unwrap_or_else(|| f.forecast.clone()),
            upper: f.upper.clone().unwrap_or_else(|| f.forecast.clone()),
            level: f64::NAN,
            aht_seconds: None,
            model: "forecast vs actuals".into(),
            selection: Vec::new(),
            closed: vec![false; f.forecast.len()],
            notes: Vec::new(),
            special_day: vec![None; f.forecast.len()],
        };
        let end = f.minutes.last().copied().unwrap_or(start);
        let tail = actuals
            .regions
            .iter()
            .find(|a| a.region == f.region)
            .map(|a| {
                let (hours, values) = (0..a.len())
                    .filter(|&i| a.minute(i) >= start && a.minute(i) <= end)
                    .map(|i| ((a.minute(i) - start) as f64 / 60.0, a.contacts[i]))
                    .unzip();
                HistoryTail {
                    hours,
                    values,
                    label: "actuals",
                }
            })
            .unwrap_or(HistoryTail {
                hours: Vec::new(),
                values: Vec::new(),
                label: "actuals",
            });
        write_forecast_plot(&path, &as_forecast, &tail)?;
    }
    Ok(())
}
