//! `wfm forecast`: fit a model per region and forecast a horizon or a calendar month.

use anyhow::Result;

use super::Outcome;
use crate::cli::ForecastArgs;
use crate::output::{check_outputs, print};
use wfm::data::load_history;
use wfm::report::forecast_output::{daily_totals_table, forecast_summary_table, holdout_report};
use wfm::report::forecast_plot::write_forecast_plots;

/// The daily table is printed for up to this many regions (it has a column per region).
const DAILY_TABLE_MAX_REGIONS: usize = 6;

pub fn run(args: ForecastArgs) -> Result<Outcome> {
    check_outputs(
        &[("-o", Some(&args.output))],
        args.plot.as_deref(),
        &args.input.inputs(&args.history),
    )?;
    let options = args.input.ingest_options(&args.region)?;
    let config = args.config(options.holidays.clone())?;
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
        write_forecast_plots(plot, &result, &history)?;
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
