//! `wfm backtest`: rolling-origin evaluation of the models per region.

use anyhow::Result;

use super::Outcome;
use crate::cli::BacktestArgs;
use crate::output::{check_outputs, print};
use wfm::atomic::is_stdout;
use wfm::data::load_history;
use wfm::forecast::backtest::backtest;
use wfm::report::forecast_output::{backtest_report, skipped_notes, BacktestJson};
use wfm::report::forecast_plot::write_backtest_plots;
use wfm::report::write_json;

pub fn run(args: BacktestArgs) -> Result<Outcome> {
    check_outputs(
        &[("--json", args.json.as_deref())],
        args.plot.as_deref(),
        &args.input.inputs(&args.history),
    )?;
    let options = args.input.ingest_options(&args.region)?;
    let history = load_history(&args.history, &options)?;
    let config = args.config(options.holidays.clone());
    let progress = crate::progress::Progress::start(format!(
        "backtesting {} region(s)",
        history.regions.len()
    ));
    let result = backtest(&history, &config)?;
    drop(progress);
    for note in skipped_notes(&result) {
        eprintln!("note: {note}");
    }
    let summary = result.summary();
    let level = config.settings.level;
    if let Some(path) = &args.json {
        let json = BacktestJson {
            file: &args.history,
            horizon: args.horizon.to_string(),
            level,
            summary: &summary,
            origins: &result.scores,
            skipped: &result.skipped,
        };
        write_json(path, &json)?;
    }
    let regions: Vec<&str> = history.regions.iter().map(|r| r.region.as_str()).collect();
    if let Some(plot) = &args.plot {
        write_backtest_plots(plot, &regions, &summary)?;
    }
    if !args.json.as_deref().is_some_and(is_stdout) {
        print(&backtest_report(&result, &summary, level, &regions))?;
    }
    Ok(Outcome::Success)
}
