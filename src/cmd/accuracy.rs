//! `wfm accuracy`: score a forecast file against actuals, and gate on it.

use anyhow::{Context, Result};

use super::Outcome;
use crate::cli::AccuracyArgs;
use crate::output::{check_outputs, print};
use wfm::atomic::is_stdout;
use wfm::data::load_history;
use wfm::forecast::accuracy::{check, score, Gate};
use wfm::report::forecast_output::{accuracy_table, AccuracyJson, GateJson};
use wfm::report::forecast_plot::write_accuracy_plots;
use wfm::report::write_json;
use wfm::{Forecasts, WfmError};

pub fn run(args: AccuracyArgs) -> Result<Outcome> {
    let outputs = [("--json", args.json.as_deref())];
    check_outputs(&outputs, args.plot.as_deref(), &args.inputs())?;
    let (max_metric, with_history) = (&args.max_metric, args.history.is_some());
    let gate = Gate::new(args.min_accuracy, args.metric, max_metric, with_history)?;
    let forecast = Forecasts::read(&args.forecast)?;
    let options = forecast.actuals_options(args.input.ingest_options(&[])?);
    let actuals = load_history(&args.actuals, &options).with_context(|| {
        let minutes = forecast.interval_minutes;
        format!("reading the actuals at the forecast's {minutes}-minute interval")
    })?;
    let history = (args.history.as_deref())
        .map(|path| load_history(path, &options))
        .transpose()?;
    let report = score(&forecast, &actuals, history.as_ref(), args.level);
    if let Some(message) = report.unmatched_message() {
        if !args.allow_missing {
            let message =
                format!("{message}; scoring only the matching rows needs --allow-missing");
            let path = args.forecast.clone();
            return Err(WfmError::Invalid { path, message }.into());
        }
        eprintln!("warning: {message}");
    }
    let failures = check(&report, &gate);
    if let Some(path) = &args.json {
        let (forecast, actuals) = (&args.forecast, &args.actuals);
        let gate = GateJson::new(&gate, &failures);
        write_json(
            path,
            &AccuracyJson {
                forecast,
                actuals,
                report: &report,
                gate,
            },
        )?;
    }
    if let Some(plot) = &args.plot {
        write_accuracy_plots(plot, &forecast, &actuals)?;
    }
    if !args.json.as_deref().is_some_and(is_stdout) {
        let (forecast, actuals) = (args.forecast.display(), args.actuals.display());
        let table = accuracy_table(&report);
        print(&format!(
            "{forecast} vs {actuals} at {} level\n{table}\n",
            report.level
        ))?;
    }
    if failures.is_empty() && gate.is_set() {
        eprintln!("accuracy gate passed");
    }
    for failure in &failures {
        eprintln!("accuracy gate failed: {failure}");
    }
    Ok(if failures.is_empty() {
        Outcome::Success
    } else {
        Outcome::GateFailed
    })
}
