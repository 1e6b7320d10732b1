//! `wfm forecast`: fit a model per region and forecast a horizon or a calendar month.

use anyhow::Result;

use super::Outcome;
use crate::cli::ForecastArgs;
use crate::output::{check_outputs, print};
use wfm::atomic::is_stdout;
use wfm::data::load_history;
use wfm::report::forecast_output::{daily_totals_table, forecast_summary_table, holdout_report};
use wfm::report::forecast_plot::write_forecast_plots;
use wfm::report::write_json;
use wfm::Forecasts;

/// The daily table is printed for up to this many regions (it has a column per region).
const DAILY_TABLE_MAX_REGIONS: usize = 6;

pub fn run(args: ForecastArgs) -> Result<Outcome> {
    check_outputs(
        &[("-o", Some(&args.output)), ("--json", args.json.as_deref())],
        args.plot.as_deref(),
        &args.input.inputs(&args.history),
    )?;
    let options = args.input.ingest_options(&args.region)?;
    let config = args.config(options.holidays.clone())?;
    let history = load_history(&args.history, &options)?;
    let progress = crate::progress::Progress::start(format!(
        "forecasting {} region(s)",
        history.regions.len()
    ));
    let result = wfm::forecast(&history, &config)?;
    drop(progress);
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
    if let Some(path) = &args.json {
        write_json(path, &ForecastJson::new(&args.history, &result))?;
        if is_stdout(path) {
            return Ok(Outcome::Success);
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

/// `--json`: per region the model, the month's contacts, the special days, the notes, and the
/// backtest that chose the model.
#[derive(serde::Serialize)]
struct ForecastJson<'a> {
    file: &'a std::path::Path,
    interval_minutes: u32,
    regions: Vec<RegionJson<'a>>,
}

#[derive(serde::Serialize)]
struct RegionJson<'a> {
    region: &'a str,
    model: Option<String>,
    first_interval: Option<String>,
    intervals: usize,
    contacts_forecast: f64,
    special_days: Vec<&'a str>,
    notes: &'a [String],
    candidates: Vec<CandidateJson>,
}

#[derive(serde::Serialize)]
struct CandidateJson {
    model: String,
    score: Option<f64>,
    interval_wape: Option<f64>,
    daily_wape: Option<f64>,
}

impl<'a> ForecastJson<'a> {
    fn new(file: &'a std::path::Path, result: &'a Forecasts) -> Self {
        let finite = |v: f64| v.is_finite().then_some(v);
        ForecastJson {
            file,
            interval_minutes: result.interval_minutes,
            regions: (result.regions.iter())
                .map(|f| {
                    let mut special: Vec<&str> =
                        f.special_day.iter().flatten().map(String::as_str).collect();
                    special.dedup();
                    RegionJson {
                        region: &f.region,
                        model: f.model.as_ref().map(|m| m.to_string()),
                        first_interval: f.minutes.first().map(|&m| wfm::time::format_minute(m)),
                        intervals: f.minutes.len(),
                        contacts_forecast: f.point.iter().sum(),
                        special_days: special,
                        notes: &f.notes,
                        candidates: (f.selection.iter())
                            .map(|c| CandidateJson {
                                model: c.model.to_string(),
                                score: finite(c.score),
                                interval_wape: finite(c.interval_wape),
                                daily_wape: finite(c.daily_wape),
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}
