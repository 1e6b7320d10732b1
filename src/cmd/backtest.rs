//! `wfm backtest`: rolling-origin evaluation of the models per region.

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;

use super::{ingest_options, model_choice, per_region_paths, print, Outcome};
use crate::cli::BacktestArgs;
use wfm::data::load_history;
use wfm::forecast::backtest::{
    backtest_region, monthly_origins, rolling_origins, summarise, BacktestOrigin, ModelSummary,
    OriginScore, RegionBacktest, Skipped,
};
use wfm::forecast::group_series;
use wfm::forecast::pipeline::{ForecastSettings, ModelChoice};
use wfm::forecast::ModelSpec;
use wfm::report::forecast_output::backtest_table;
use wfm::report::forecast_plot::write_backtest_plot;
use wfm::report::write_atomic;
use wfm::WfmError;

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
    let options = ingest_options(&args.input, &args.region)?;
    let choices: Vec<ModelChoice> = if args.models.is_empty() {
        std::iter::once(ModelChoice::Auto)
            .chain(ModelSpec::candidates().into_iter().map(ModelChoice::Fixed))
            .collect()
    } else {
        args.models
            .iter()
            .map(|m| model_choice(m))
            .collect::<Result<_>>()?
    };
    let horizon_days = match args.horizon.as_str() {
        "month" => None,
        text => Some(
            wfm::time::parse_duration_minutes(text)
                .filter(|m| m % 1_440 == 0)
                .map(|m| m / 1_440)
                .ok_or_else(|| {
                    WfmError::option(
                        "--horizon",
                        text,
                        "expected month or whole days such as 28d",
                    )
                })?,
        ),
    };
    let settings = ForecastSettings {
        level: args.band as f64 / 100.0,
        ..Default::default()
    };
    let history = load_history(&args.history, &options)?;
    let holidays = options.holidays.as_ref();
    // One set of origins for the whole file (its regions end together), each with the group of
    // all regions prepared at it for the top-down model.
    let all: Vec<&wfm::data::RegionSeries> = history.regions.iter().collect();
    let span = group_series(&all, "all regions")
        .or_else(|| history.regions.first().cloned())
        .ok_or_else(|| WfmError::Invalid {
            path: args.history.clone(),
            message: "no region to backtest".into(),
        })?;
    let windows = match horizon_days {
        None => monthly_origins(&span, args.origins as usize),
        Some(days) => rolling_origins(
            &span,
            args.origins as usize,
            days as i64,
            args.step.unwrap_or(days) as i64,
        ),
    };
    let origins = BacktestOrigin::with_groups(&windows, &history.regions, holidays, &settings);
    let per_region: Vec<RegionBacktest> = history
        .regions
        .par_iter()
        .map(|series| backtest_region(series, holidays, &origins, &choices, &settings))
        .collect::<Result<_, WfmError>>()?;
    let skipped: Vec<Skipped> = per_region
        .iter()
        .flat_map(|r| r.skipped.iter().cloned())
        .collect();
    let scores: Vec<OriginScore> = per_region.into_iter().flat_map(|r| r.scores).collect();
    if scores.is_empty() {
        return Err(WfmError::Invalid {
            path: args.history.clone(),
            message: format!(
                "the history is too short for {} origin(s) of horizon {}{}",
                args.origins,
                args.horizon,
                skipped
                    .first()
                    .map(|s| format!(" ({})", s.reason))
                    .unwrap_or_default()
            ),
        }
        .into());
    }
    report_skipped(&skipped);
    let summary = summarise(&scores);

    if let Some(path) = &args.json {
        let json = BacktestJson {
            file: &args.history,
            horizon: &args.horizon,
            level: settings.level,
            summary: &summary,
            origins: &scores,
            skipped: &skipped,
        };
        let text = serde_json::to_string_pretty(&json)?;
        write_atomic(path, |w| {
            use std::io::Write;
            w.write_all(text.as_bytes())?;
            w.write_all(b"\n")
        })?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(plot) = &args.plot {
        let regions: Vec<&str> = history.regions.iter().map(|r| r.region.as_str()).collect();
        for (region, path) in regions.iter().zip(per_region_paths(plot, &regions)) {
            let rows: Vec<&ModelSummary> = summary.iter().filter(|s| s.region == *region).collect();
            write_backtest_plot(&path, region, &rows)
                .with_context(|| format!("plotting region \"{region}\""))?;
            eprintln!("wrote {}", path.display());
        }
    }
    let mut text = format!("{}\n", backtest_table(&summary, settings.level));
    for region in history.regions.iter().map(|r| &r.region) {
        let chosen: Vec<String> = scores
            .iter()
            .filter(|s| &s.region == region && s.chosen.is_some())
            .map(|s| {
                format!(
                    "{} → {}",
                    &s.origin[..10],
                    s.chosen.as_deref().unwrap_or("-")
                )
            })
            .collect();
        if !chosen.is_empty() {
            text.push_str(&format!("auto in {region}: {}\n", chosen.join(", ")));
        }
    }
    print(&text)?;
    Ok(Outcome::Success)
}

/// One stderr line per model and reason, naming the regions it was skipped for.
fn report_skipped(skipped: &[Skipped]) {
    let mut groups: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for s in skipped {
        match groups
            .iter_mut()
            .find(|(model, reason, _)| *model == s.model && *reason == s.reason)
        {
            Some((_, _, regions)) => {
                if !regions.contains(&s.region.as_str()) {
                    regions.push(&s.region);
                }
            }
            None => groups.push((&s.model, &s.reason, vec![&s.region])),
        }
    }
    for (model, reason, regions) in groups {
        eprintln!(
            "note: skipped {model} for {} region(s) ({}): {reason}",
            regions.len(),
            regions.join(", ")
        );
    }
}
