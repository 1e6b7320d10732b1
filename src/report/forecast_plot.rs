//! Plots of `wfm forecast` (history, forecast and band) and `wfm backtest` (error by model).

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::plot::{draw_legend, per_region_plots, render_plot, shade_weekends, WeekAxis};
use crate::data::RegionSeries;
use crate::error::Result;
use crate::forecast::backtest::ModelSummary;
use crate::forecast::forecasts::RegionForecast;
use crate::time::MINUTES_PER_DAY;
use plotters::coord::types::RangedCoordf64;

const SIZE: (u32, u32) = (1200, 760);
/// The backtest plot's height (it has one panel).
const BACKTEST_HEIGHT: u32 = 560;
/// The interval panel's height; the daily panel has the rest.
const INTERVAL_PANEL_HEIGHT: u32 = 500;
const BAND: RGBColor = RGBColor(158, 202, 225);
const FORECAST: RGBColor = RGBColor(33, 113, 181);
const HISTORY: RGBColor = RGBColor(90, 90, 90);

/// History (the last weeks before the forecast) as `(hours since forecast start, value)`.
pub struct HistoryTail {
    pub hours: Vec<f64>,
    pub values: Vec<f64>,
    /// Legend of the grey line ("history", "actuals").
    pub label: &'static str,
}

impl HistoryTail {
    /// The last `weeks` weeks of `series` before `forecast_start`, in hours before it.
    pub fn history(series: &RegionSeries, forecast_start: i64, weeks: i64) -> Self {
        let from = forecast_start - weeks * 7 * MINUTES_PER_DAY;
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

    /// The values of `series` from `start_minute` to `end_minute` (both included), placed in
    /// hours since `start_minute`: the actuals beside a forecast.
    pub fn actuals(series: Option<&RegionSeries>, start_minute: i64, end_minute: i64) -> Self {
        let (hours, values) = series
            .map(|a| {
                (0..a.len())
                    .filter(|&i| a.minute(i) >= start_minute && a.minute(i) <= end_minute)
                    .map(|i| ((a.minute(i) - start_minute) as f64 / 60.0, a.contacts[i]))
                    .unzip()
            })
            .unwrap_or_default();
        HistoryTail {
            hours,
            values,
            label: "actuals",
        }
    }
}

/// Weeks of history drawn before a forecast.
pub const PLOT_HISTORY_WEEKS: i64 = 4;

/// The forecast plot of every region, with its last [`PLOT_HISTORY_WEEKS`] weeks of history.
pub fn write_forecast_plots(
    plot: &Path,
    forecasts: &crate::forecast::forecasts::Forecasts,
    history: &crate::data::History,
) -> Result<()> {
    plots_with(plot, forecasts, |f| {
        let start = *f.minutes.first()?;
        let series = history.regions.iter().find(|r| r.region == f.region);
        Some(match series {
            Some(series) => HistoryTail::history(series, start, PLOT_HISTORY_WEEKS),
            None => HistoryTail::actuals(None, start, start),
        })
    })
}

/// Every region of a forecast read from its file, set against the actuals over its window
/// (`wfm accuracy --plot`).
pub fn write_accuracy_plots(
    plot: &Path,
    forecasts: &crate::forecast::forecasts::Forecasts,
    actuals: &crate::data::History,
) -> Result<()> {
    plots_with(plot, forecasts, |f| {
        let (start, end) = (*f.minutes.first()?, *f.minutes.last()?);
        let region = actuals.regions.iter().find(|a| a.region == f.region);
        Some(HistoryTail::actuals(region, start, end))
    })
}

/// One plot per region with the grey line `tail` gives; a region without intervals has none.
fn plots_with(
    plot: &Path,
    forecasts: &crate::forecast::forecasts::Forecasts,
    tail: impl Fn(&RegionForecast) -> Option<HistoryTail>,
) -> Result<()> {
    let draw = |path: &Path, f: &RegionForecast| match tail(f) {
        Some(tail) => write_forecast_plot(path, f, &tail),
        None => Ok(()),
    };
    per_region_plots(plot, &forecasts.regions, |f| &f.region, draw)
}

/// Writes the forecast plot: recent history (or the actuals) in grey, the forecast in blue, its
/// band shaded when it has one. A forecast without intervals draws nothing.
pub fn write_forecast_plot(
    path: &Path,
    forecast: &RegionForecast,
    history: &HistoryTail,
) -> Result<()> {
    if forecast.is_empty() {
        return Ok(());
    }
    render_plot!(path, SIZE, |root| draw_forecast(root, forecast, history))
}

fn draw_forecast<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    f: &RegionForecast,
    history: &HistoryTail,
) -> std::result::Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| super::plot::drawing_error(e);
    root.fill(&WHITE).map_err(err)?;
    let (intervals, days) = root.split_vertically(INTERVAL_PANEL_HEIGHT);
    // Both panels in weeks from the Monday before the first point drawn: ticks on Mondays.
    let first_minute = history
        .hours
        .first()
        .map_or(f.minutes[0], |&h| f.minutes[0] + (h * 60.0).round() as i64)
        .min(f.minutes[0]);
    let axis = WeekAxis::new(first_minute);
    draw_intervals(&intervals, f, history, &axis)?;
    draw_days(&days, f, history, &axis)?;
    root.present().map_err(err)
}

/// The upper panel: every interval of the history tail and of the forecast, with the band.
fn draw_intervals<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    f: &RegionForecast,
    history: &HistoryTail,
    axis: &WeekAxis,
) -> std::result::Result<(), String> {
    // A forecast read from a file may have no band: the line alone is drawn.
    let (lower, upper) = match f.has_band() {
        true => (&f.lower, &f.upper),
        false => (&f.point, &f.point),
    };
    // A forecast read from a file does not name its model: it is drawn against actuals.
    let title = match &f.model {
        None => "forecast vs actuals".to_string(),
        Some(model) => model.to_string(),
    };
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| super::plot::drawing_error(e);
    let start_minute = f.minutes[0];
    let at_hours = |h: f64| axis.x(start_minute + (h * 60.0).round() as i64);
    // A file may skip intervals: each point at its own minute.
    let xs: Vec<f64> = f.minutes.iter().map(|&m| axis.x(m)).collect();
    let x_max = axis.x(*f.minutes.last().unwrap_or(&start_minute) + f.interval_minutes as i64);
    let x_min = history
        .hours
        .first()
        .map_or(xs[0], |&h| at_hours(h))
        .min(xs[0]);
    let y_max = upper
        .iter()
        .chain(&history.values)
        .copied()
        .filter(|v| v.is_finite())
        .fold(1.0_f64, f64::max)
        * 1.05;
    let start = crate::time::naive_from_minutes(start_minute);
    let mut chart = ChartBuilder::on(area)
        .caption(
            match f.level {
                Some(level) => format!(
                    "{}: forecast from {} ({}), {:.0} % band",
                    f.region,
                    start.format("%a %Y-%m-%d"),
                    title,
                    level * 100.0
                ),
                None => format!(
                    "{}: {} from {}",
                    f.region,
                    title,
                    start.format("%a %Y-%m-%d")
                ),
            },
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(60)
        .build_cartesian_2d(x_min..x_max, 0.0..y_max)
        .map_err(err)?;
    week_mesh(
        &mut chart,
        axis,
        (x_min, x_max, y_max),
        &format!("contacts per {} min", f.interval_minutes),
    )?;
    let band: Vec<(f64, f64)> = xs
        .iter()
        .zip(upper)
        .map(|(&x, &u)| (x, u))
        .chain(xs.iter().zip(lower).rev().map(|(&x, &l)| (x, l)))
        .collect();
    chart
        .draw_series(std::iter::once(Polygon::new(band, BAND.mix(0.6).filled())))
        .map_err(err)?
        .label(match f.level {
            Some(level) => format!("{:.0} % band", level * 100.0),
            None => "band".into(),
        })
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], BAND.filled()));
    chart
        .draw_series(LineSeries::new(
            (history.hours.iter().map(|&h| at_hours(h))).zip(history.values.iter().copied()),
            HISTORY.stroke_width(1),
        ))
        .map_err(err)?
        .label(history.label)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], HISTORY.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            xs.iter().copied().zip(f.point.iter().copied()),
            FORECAST.stroke_width(1),
        ))
        .map_err(err)?
        .label("forecast")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], FORECAST.stroke_width(2)));
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

/// The lower panel: contacts per day, the history tail's in grey and the forecast's in blue,
/// so a month reads day by day.
fn draw_days<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    f: &RegionForecast,
    history: &HistoryTail,
    axis: &WeekAxis,
) -> std::result::Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| super::plot::drawing_error(e);
    let start_minute = f.minutes[0];
    // Totals per day number, in time order: the history's (or the actuals') and the
    // forecast's apart, as `wfm accuracy` has both on the same days.
    let mut actual: std::collections::BTreeMap<i64, f64> = Default::default();
    let mut forecast: std::collections::BTreeMap<i64, f64> = Default::default();
    for (&h, &v) in history.hours.iter().zip(&history.values) {
        let day = crate::time::day_of_minute(start_minute + (h * 60.0).round() as i64);
        if v.is_finite() {
            *actual.entry(day).or_insert(0.0) += v;
        }
    }
    for (&m, &v) in f.minutes.iter().zip(&f.point) {
        let day = crate::time::day_of_minute(m);
        *forecast.entry(day).or_insert(0.0) += if v.is_finite() { v } else { 0.0 };
    }
    let day_x = |day: i64| axis.x(day * MINUTES_PER_DAY);
    let days = || actual.keys().chain(forecast.keys());
    let (Some(first), Some(last)) = (days().min(), days().max()) else {
        return Ok(());
    };
    let (x_min, x_max) = (day_x(*first), day_x(*last + 1));
    let y_max = (actual.values().chain(forecast.values())).fold(1.0_f64, |a, &b| a.max(b)) * 1.1;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(60)
        .build_cartesian_2d(x_min..x_max, 0.0..y_max)
        .map_err(err)?;
    week_mesh(&mut chart, axis, (x_min, x_max, y_max), "contacts per day")?;
    let gap = 0.15 / 7.0;
    // A day with both: the actual on the left half in grey, the forecast on the right in blue.
    let bar = |day: i64, total: f64, colour: RGBColor, half: Option<bool>| {
        let (left, right) = (day_x(day) + gap, day_x(day + 1) - gap);
        let middle = (left + right) / 2.0;
        let (from, to) = match half {
            None => (left, right),
            Some(false) => (left, middle),
            Some(true) => (middle, right),
        };
        Rectangle::new([(from, 0.0), (to, total)], colour.filled())
    };
    let grey = RGBColor(150, 150, 150);
    chart
        .draw_series((actual.iter()).map(|(&day, &total)| {
            bar(
                day,
                total,
                grey,
                forecast.contains_key(&day).then_some(false),
            )
        }))
        .map_err(err)?;
    chart
        .draw_series((forecast.iter()).map(|(&day, &total)| {
            bar(
                day,
                total,
                FORECAST,
                actual.contains_key(&day).then_some(true),
            )
        }))
        .map_err(err)?;
    Ok(())
}

/// Weekends shaded, then the axes of a panel in weeks (`x_min..x_max`, 0 to `y_max`): ticks on
/// Mondays, `y_desc` on the y axis.
fn week_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    axis: &WeekAxis,
    (x_min, x_max, y_max): (f64, f64, f64),
    y_desc: &str,
) -> std::result::Result<(), String> {
    shade_weekends(chart, x_min, x_max, y_max)?;
    chart
        .configure_mesh()
        .x_labels(WeekAxis::tick_count(x_min, x_max))
        .x_label_formatter(&|w: &f64| axis.label(*w))
        .y_desc(y_desc)
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 14))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| e.to_string())
}

/// Writes a bar chart of interval and daily WAPE per model for one region.
/// The backtest plot of every region in `regions`, one file per region.
pub fn write_backtest_plots(plot: &Path, regions: &[&str], summary: &[ModelSummary]) -> Result<()> {
    per_region_plots(
        plot,
        regions,
        |r| r,
        |path, region| {
            let rows: Vec<&ModelSummary> = summary
                .iter()
                .filter(|s| s.region.is_region(region))
                .collect();
            write_backtest_plot(path, region, &rows)
        },
    )
}

pub fn write_backtest_plot(path: &Path, region: &str, summaries: &[&ModelSummary]) -> Result<()> {
    // Room for each model's name under its bars (`dom-smedian:8` is about 95 px wide).
    let width = SIZE.0.max(110 * summaries.len() as u32 + 100);
    render_plot!(path, (width, BACKTEST_HEIGHT), |root| draw_backtest(
        root, region, summaries
    ))
}

fn draw_backtest<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    region: &str,
    summaries: &[&ModelSummary],
) -> std::result::Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| super::plot::drawing_error(e);
    root.fill(&WHITE).map_err(err)?;
    let n = summaries.len();
    let y_max = summaries
        .iter()
        .flat_map(|s| [s.interval_wape, s.daily_wape])
        .filter(|v| v.is_finite())
        .fold(0.01_f64, f64::max)
        * 100.0
        * 1.15;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{region}: backtest error by model"),
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..y_max)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n.max(1))
        .x_label_formatter(&|x: &f64| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n {
                summaries[i as usize].model.to_string()
            } else {
                String::new()
            }
        })
        .y_desc("WAPE (%)")
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(err)?;
    let interval_colour = RGBColor(33, 113, 181);
    let daily_colour = RGBColor(253, 141, 60);
    chart
        .draw_series(summaries.iter().enumerate().map(|(i, s)| {
            let x = i as f64;
            Rectangle::new(
                [(x - 0.38, 0.0), (x, s.interval_wape * 100.0)],
                interval_colour.filled(),
            )
        }))
        .map_err(err)?
        .label("interval WAPE")
        .legend(move |(x, y)| {
            Rectangle::new([(x, y - 5), (x + 16, y + 5)], interval_colour.filled())
        });
    chart
        .draw_series(summaries.iter().enumerate().map(|(i, s)| {
            let x = i as f64;
            Rectangle::new(
                [(x, 0.0), (x + 0.38, s.daily_wape * 100.0)],
                daily_colour.filled(),
            )
        }))
        .map_err(err)?
        .label("daily WAPE")
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], daily_colour.filled()));
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    root.present().map_err(err)
}
