//! `wfm forecast`: fit a model per region and forecast a horizon or a calendar month.

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::{ingest_options, model_choice, per_region_paths, print, Outcome};
use crate::cli::ForecastArgs;
use wfm::data::{load_history, ForecastFile, ForecastSeries, History, RegionSeries};
use wfm::forecast::accuracy::{score, Level};
use wfm::forecast::pipeline::{
    forecast_region, ForecastSettings, Groups, ModelChoice, RegionForecast,
};
use wfm::report::forecast_output::{
    accuracy_table, daily_totals_table, forecast_summary_table, write_forecast_csv,
};
use wfm::report::forecast_plot::{write_forecast_plot, HistoryTail};
use wfm::time::{self, MINUTES_PER_DAY};
use wfm::WfmError;

/// The daily table is printed for up to this many regions (it has a column per region).
const DAILY_TABLE_MAX_REGIONS: usize = 6;
/// Weeks of history drawn before the forecast.
const PLOT_HISTORY_WEEKS: i64 = 4;

pub fn run(args: ForecastArgs) -> Result<Outcome> {
    let options = ingest_options(&args.input, &args.region)?;
    let settings = ForecastSettings {
        model: model_choice(&args.model)?,
        level: args.band as f64 / 100.0,
        extrapolate: args.extrapolate,
        ..Default::default()
    };
    let history = load_history(&args.history, &options)?;
    let holidays = options.holidays.as_ref();
    let window = window(&history, &args)?;
    // Every region forecasts from the same origin, and the sum of all of them is the group
    // whose forecast the top-down model shares out.
    let groups = Groups::prepare(
        &history.regions,
        holidays,
        window.until,
        window.end,
        &settings,
    );
    let forecasts: Vec<RegionForecast> = history
        .regions
        .par_iter()
        .map(|series| {
            let forecast = match forecast_region(
                series,
                holidays,
                window.until,
                window.end,
                &settings,
                groups.of(series),
            ) {
                // A model the region's history is too short for: that region falls back to
                // auto, the others keep the model asked for.
                Err(WfmError::ModelNotFitted { reason, .. }) => {
                    let auto = ForecastSettings {
                        model: ModelChoice::Auto,
                        ..settings.clone()
                    };
                    let mut forecast = forecast_region(
                        series,
                        holidays,
                        window.until,
                        window.end,
                        &auto,
                        groups.of(series),
                    )?;
                    forecast
                        .notes
                        .insert(0, format!("--model {}: {reason}; chosen by auto instead", args.model));
                    forecast
                }
                other => other?,
            };
            let mut forecast = forecast.keep_from(window.keep_from);
            if forecast.start_minute == window.until && window.until % MINUTES_PER_DAY != 0 {
                forecast.notes.push(format!(
                    "the history stops at {} inside open hours: the rest of that day is forecast too",
                    time::format_minute(window.until)
                ));
            }
            Ok(forecast)
        })
        .collect::<Result<_, WfmError>>()?;

    write_forecast_csv(&args.output, &forecasts)?;
    eprintln!("wrote {}", args.output.display());
    for forecast in &forecasts {
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
                forecast,
                &history_tail(series, forecast.start_minute),
            )
            .with_context(|| format!("plotting region \"{}\"", forecast.region))?;
            eprintln!("wrote {}", path.display());
        }
    }
    let mut text = format!("{}\n", forecast_summary_table(&forecasts));
    if forecasts.len() <= DAILY_TABLE_MAX_REGIONS {
        text.push_str(&format!(
            "Forecast contacts per day\n{}\n",
            daily_totals_table(&forecasts)
        ));
    }
    if args.train_until.is_some() {
        text.push_str(&holdout_scores(&history, &forecasts));
    }
    print(&text)?;
    Ok(Outcome::Success)
}

/// Scores a holdout forecast against the history it did not train on, at interval and daily
/// level.
fn holdout_scores(history: &wfm::data::History, forecasts: &[RegionForecast]) -> String {
    let file = ForecastFile {
        path: "holdout forecast".into(),
        interval_minutes: history.interval_minutes,
        regions: forecasts
            .iter()
            .map(|f| ForecastSeries {
                region: f.region.clone(),
                minutes: (0..f.len()).map(|i| f.minute(i)).collect(),
                forecast: f.point.clone(),
                lower: Some(f.lower.clone()),
                upper: Some(f.upper.clone()),
                aht_seconds: f.aht_seconds.clone(),
                rows: (0..f.len()).collect(),
            })
            .collect(),
    };
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

/// The forecast window of the whole file: every region is trained on the history before
/// `until` and forecast to `end`; `keep_from` is the first interval written.
struct Window {
    until: i64,
    end: i64,
    keep_from: i64,
}

/// All regions forecast from the end of the file's data (or `--train-until`). `--horizon Nd`
/// covers the rest of a last day cut short, then N whole days; `--month` must start at or
/// after the end of the data. Nothing in the history is forecast again.
fn window(history: &History, args: &ForecastArgs) -> Result<Window, WfmError> {
    let file_end = history
        .regions
        .iter()
        .map(|r| r.minute(r.len()))
        .max()
        .unwrap_or(0);
    let until = match args.train_until {
        Some(date) => time::minute_of_date(date).min(file_end),
        None => file_end,
    };
    let next_midnight = until.div_euclid(MINUTES_PER_DAY) * MINUTES_PER_DAY
        + if until % MINUTES_PER_DAY == 0 {
            0
        } else {
            MINUTES_PER_DAY
        };
    match (args.horizon, args.month) {
        (Some(days), _) => Ok(Window {
            until,
            end: next_midnight + days as i64 * MINUTES_PER_DAY,
            keep_from: until,
        }),
        (None, Some(month)) => {
            let first = time::minute_of_date(month);
            if first < until {
                return Err(WfmError::option(
                    "--month",
                    month.format("%Y-%m").to_string(),
                    format!(
                        "the history runs to {}: forecast a later month",
                        time::format_minute(until)
                    ),
                ));
            }
            Ok(Window {
                until,
                end: time::minute_of_date(time::next_month_start(month)),
                keep_from: first,
            })
        }
        (None, None) => Err(WfmError::option(
            "--horizon",
            "",
            "give --horizon 28d or --month YYYY-MM",
        )),
    }
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
