//! `wfm backtest`: rolling-origin evaluation of the models per region.

use anyhow::{Context, Result};
use serde::Serialize;

use super::{check_outputs, history_inputs, ingest_options, per_region_paths, print, Outcome};
use crate::cli::{BacktestArgs, BacktestWindow};
use wfm::atomic::is_stdout;
use wfm::data::load_history;
use wfm::forecast::backtest::{
    backtest, BacktestConfig, BacktestHorizon, ModelSummary, OriginScore, Skipped,
};
use wfm::forecast::pipeline::ForecastSettings;
use wfm::report::forecast_output::backtest_table;
use wfm::report::forecast_plot::write_backtest_plot;
use wfm::report::write_atomic;

#[derive(Serialize)]
struct BacktestJson<'a> {
    file: &'a std::path::Path,
    horizon: &'a str,
    level: f64,
    summary: &'a [ModelSummary],
    origins: &'a [OriginScore],
    skipped: &'a [Skipped],
}

pub fn run(args: BacktestArgs) -> Result<Outcome> {
    check_outputs(
        &[("--json", args.json.as_deref())],
        args.plot.as_deref(),
        &history_inputs(&args.history, &args.input),
    )?;
    let options = ingest_options(&args.input, &args.region)?;
    let choices = if args.models.is_empty() {
        BacktestConfig::every_model()
    } else {
        args.models.clone()
    };
    let settings = ForecastSettings {
        level: args.band as f64 / 100.0,
        ..Default::default()
    };
    let history = load_history(&args.history, &options)?;
    let config = BacktestConfig {
        choices,
        horizon: match args.horizon {
            BacktestWindow::Month => BacktestHorizon::Month,
            BacktestWindow::Days(days) => BacktestHorizon::Days {
                days,
                step_days: args.step.unwrap_or(days),
            },
        },
        origins: args.origins as usize,
        settings: settings.clone(),
        holidays: options.holidays.clone(),
    };
    let result = backtest(&history, &config)?;
    for (model, reason, regions) in result.skipped_groups() {
        eprintln!(
            "note: skipped {model} for {} region(s) ({}): {reason}",
            regions.len(),
            regions.join(", ")
        );
    }
    let summary = result.summary();

    if let Some(path) = &args.json {
        let horizon_name = args.horizon.to_string();
        let json = BacktestJson {
            file: &args.history,
            horizon: &horizon_name,
            level: settings.level,
            summary: &summary,
            origins: &result.scores,
            skipped: &result.skipped,
        };
        let text = serde_json::to_string_pretty(&json)?;
        write_atomic(path, |w| {
            use std::io::Write;
            w.write_all(text.as_bytes())?;
            w.write_all(b"\n")
        })?;
    }
    if let Some(plot) = &args.plot {
        let regions: Vec<&str> = history.regions.iter().map(|r| r.region.as_str()).collect();
        for (region, path) in regions.iter().zip(per_region_paths(plot, &regions)) {
            let rows: Vec<&ModelSummary> = summary.iter().filter(|s| s.region == *region).collect();
            write_backtest_plot(&path, region, &rows)
                .with_context(|| format!("plotting region \"{region}\""))?;
        }
    }
    let mut text = format!("{}\n", backtest_table(&summary, settings.level));
    for region in history.regions.iter().map(|r| &r.region) {
        let chosen: Vec<String> = result
            .auto_choices(region)
            .iter()
            .map(|(origin, model)| format!("{origin} → {model}"))
            .collect();
        if !chosen.is_empty() {
            text.push_str(&format!("auto in {region}: {}\n", chosen.join(", ")));
        }
    }
    if !args.json.as_deref().is_some_and(is_stdout) {
        print(&text)?;
    }
    Ok(Outcome::Success)
}
