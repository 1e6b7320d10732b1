//! `wfm forecast`: fit a model per region and forecast a horizon or a calendar month.

use anyhow::{Context, Result};

use super::{check_outputs, history_inputs, ingest_options, per_region_paths, print, Outcome};
use crate::cli::ForecastArgs;
use wfm::data::load_history;
use wfm::forecast::pipeline::ForecastSettings;
use wfm::forecast::stage::{ForecastConfig, Horizon};
use wfm::report::forecast_output::{daily_totals_table, forecast_summary_table, holdout_report};
use wfm::report::forecast_plot::{write_forecast_plot, HistoryTail};
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
            let start = forecast.minutes.first().copied().unwrap_or_default();
            let tail = HistoryTail::history(series, start, PLOT_HISTORY_WEEKS);
            write_forecast_plot(&path, forecast, &tail)
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
        text.push_str(&holdout_report(&history, &result));
    }
    print(&text)?;
    Ok(Outcome::Success)
}
