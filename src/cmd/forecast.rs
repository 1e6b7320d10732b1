//! `wfm forecast`: fit a model per region and forecast a horizon or a calendar month.

use anyhow::{Context, Result};

use super::{check_outputs, history_inputs, ingest_options, per_region_paths, print, Outcome};
use crate::cli::ForecastArgs;
use wfm::data::{load_history, RegionSeries};
use wfm::forecast::accuracy::{score, Level};
use wfm::forecast::pipeline::ForecastSettings;
use wfm::forecast::stage::{ForecastConfig, Forecasts, Horizon};
use wfm::report::forecast_output::{accuracy_table, daily_totals_table, forecast_summary_table};
use wfm::report::forecast_plot::{write_forecast_plot, HistoryTail};
use wfm::time::MINUTES_PER_DAY;
use wfm::WfmError;

/// The daily table is printed for up to this many regions (it has a column per region).
const DAILY_TABLE_MAX_REGIONS: usize = 6;
/// Weeks of history drawn before the forecast.
const PLOT_HISTORY_WEEKS: i64 = 4;

pub fn run(args: ForecastArgs) -> Result<Outcome> {
    check_outputs(
        &[("-o", Some(&args.output))],
        args.plot.as_deref(),
        &history_inputs(&args.history, &args.input),
    )?;
    let options = ingest_options(&args.input, &args.region)?;
    let config = ForecastConfig {
        horizon: match (args.horizon, args.month) {
            (Some(days), _) => Horizon::Days(days),
            (None, Some(month)) => Horizon::Month(month),
            (None, None) => {
                return Err(WfmError::option(
                    "--horizon",
                    "",
                    "give --horizon 28d or --month YYYY-MM",
                )
                .into())
            }
        },
        settings: ForecastSettings {
            model: args.model,
            level: args.band as f64 / 100.0,
            extrapolate: args.extrapolate,
            ..Default::default()
        },
        holidays: options.holidays.clone(),
        train_until: args.train_until,
    };
    let history = load_history(&args.history, &options)?;
    let result = wfm::forecast(&history, &config)?;
    result.write(&args.output)?;
    let forecasts = &result.regions;
    for forecast in forecasts {
        for note in &forecast.notes {
            eprintln!("note: region \"{}\": {note}", forecast.region);
        }
    }
    if let Some(plot) = &args.plot {
        let names: Vec<&str> = forecasts.iter().map(|f| f.region.as_str()).collect();
        for ((forecast, series), path) in forecasts
            .iter()
            .zip(&history.regions)
            .zip(per_region_paths(plot, &names))
        {
            write_forecast_plot(
                &path,
                &forecast.into(),
                &history_tail(series, forecast.start_minute),
            )
            .with_context(|| format!("plotting region \"{}\"", forecast.region))?;
        }
    }
    let mut text = format!("{}\n", forecast_summary_table(forecasts));
    if forecasts.len() <= DAILY_TABLE_MAX_REGIONS {
        text.push_str(&format!(
            "Forecast contacts per day\n{}\n",
            daily_totals_table(forecasts)
        ));
    }
    if args.train_until.is_some() {
        text.push_str(&holdout_scores(&history, &result));
    }
    print(&text)?;
    Ok(Outcome::Success)
}

/// Scores a holdout forecast against the history it did not train on, at interval and daily
/// level.
fn holdout_scores(history: &wfm::data::History, forecasts: &Forecasts) -> String {
    let file = forecasts.to_file("holdout forecast");
    let mut text = String::new();
    for level in [Level::Interval, Level::Daily] {
        let report = score(&file, history, None, level);
        text.push_str(&format!(
            "Holdout accuracy at {level} level\n{}\n",
            accuracy_table(&report)
        ));
        if report.missing_actuals.count > 0 && level == Level::Interval {
            text.push_str(&format!(
                "note: {} forecast interval(s) lie beyond the history and are not scored\n",
                report.missing_actuals.count
            ));
        }
    }
    text
}

fn history_tail(series: &RegionSeries, forecast_start: i64) -> HistoryTail {
    let from = forecast_start - PLOT_HISTORY_WEEKS * 7 * MINUTES_PER_DAY;
    let (hours, values) = (0..series.len())
        .filter(|&i| series.minute(i) >= from && series.minute(i) < forecast_start)
        .map(|i| {
            (
                (series.minute(i) - forecast_start) as f64 / 60.0,
                series.contacts[i],
            )
        })
        .unzip();
    HistoryTail {
        hours,
        values,
        label: "history",
    }
}
