//! The terminal tables of `wfm forecast`, `wfm backtest` and `wfm accuracy`, and the JSON
//! documents of the last two.

use comfy_table::{Cell, Table};

use super::inspect_tables::format_count;
use super::table::{new_table as table, right};
use crate::forecast::backtest::{Backtest, ModelSummary, OriginScore, Skipped};
use crate::forecast::forecasts::{Forecasts, RegionForecast};
use crate::time::{self, WEEKDAY_NAMES};

/// Why `auto` chose a region's model: the backtest scores of the pooled candidates and of the
/// best one left out, interval and daily level apart, then any notes.
fn why_chosen(f: &RegionForecast) -> String {
    let mut why = if f.selection.is_empty() {
        "chosen by --model".to_string()
    } else {
        let pooled = f
            .model
            .as_ref()
            .map_or(0, |p| p.0.len())
            .min(f.selection.len());
        let scores: Vec<String> = f.selection[..pooled]
            .iter()
            .filter(|s| s.score.is_finite())
            .map(|s| {
                format!(
                    "{} interval RMSSE {:.2} (WAPE {}), daily RMSSE {:.2} (WAPE {})",
                    s.model,
                    s.interval_rmsse,
                    percent(s.interval_wape),
                    s.daily_rmsse,
                    percent(s.daily_wape)
                )
            })
            .collect();
        let what = if pooled == 1 {
            "lowest RMSSE".to_string()
        } else {
            format!("mean of the {pooled} with the lowest RMSSE")
        };
        let mut why = format!(
            "{what} ({} backtest origins): {}",
            f.selection[0].origins,
            scores.join("; ")
        );
        if let Some(next) = f.selection.get(pooled).filter(|s| s.score.is_finite()) {
            why.push_str(&format!(
                "; next {} interval RMSSE {:.2}, daily {:.2}",
                next.model, next.interval_rmsse, next.daily_rmsse
            ));
        }
        why
    };
    for note in &f.notes {
        why.push_str("; note: ");
        why.push_str(note);
    }
    why
}

/// One row per region: the model and why, the horizon's total and its peak.
pub fn forecast_summary_table(forecasts: &[RegionForecast]) -> Table {
    let mut t = table([
        "region",
        "model",
        "why",
        "period",
        "total",
        "mean / day",
        "peak interval",
        "peak",
    ]);
    for f in forecasts {
        let why = why_chosen(f);
        let total: f64 = f.point.iter().sum();
        let days = f.daily_totals().len().max(1);
        let peak = (0..f.len()).max_by(|&a, &b| f.point[a].total_cmp(&f.point[b]));
        t.add_row(vec![
            Cell::new(&f.region),
            Cell::new(f.model_name()),
            Cell::new(why),
            Cell::new(if f.is_empty() {
                "-".into()
            } else {
                format!(
                    "{} – {}",
                    time::naive_from_minutes(f.minute(0)).format("%Y-%m-%d"),
                    time::naive_from_minutes(f.minute(f.len() - 1)).format("%Y-%m-%d")
                )
            }),
            right(format_count(total)),
            right(format_count(total / days as f64)),
            Cell::new(peak.map_or("-".into(), |i| {
                time::naive_from_minutes(f.minute(i))
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })),
            right(peak.map_or("-".into(), |i| format!("{:.1}", f.point[i]))),
        ]);
    }
    t
}

/// Forecast totals per day (rows) and region (columns).
pub fn daily_totals_table(forecasts: &[RegionForecast]) -> Table {
    let mut header = vec!["date", "day"];
    header.extend(forecasts.iter().map(|f| f.region.as_str()));
    let mut t = table(&header);
    let columns: Vec<Vec<(i64, f64)>> = forecasts.iter().map(|f| f.daily_totals()).collect();
    let mut days: Vec<i64> = columns.iter().flatten().map(|(d, _)| *d).collect();
    days.sort_unstable();
    days.dedup();
    for day in days {
        let mut row = vec![
            Cell::new(time::date_from_day(day).to_string()),
            Cell::new(WEEKDAY_NAMES[time::weekday_of_minute(day * time::MINUTES_PER_DAY)]),
        ];
        for column in &columns {
            row.push(right(
                column
                    .iter()
                    .find(|(d, _)| *d == day)
                    .map_or("-".into(), |(_, v)| format_count(*v)),
            ));
        }
        t.add_row(row);
    }
    t
}

fn percent(value: f64) -> String {
    if value.is_finite() {
        format!("{:.1} %", value * 100.0)
    } else {
        "-".into()
    }
}

/// A scaled error with three decimals, or "-" when undefined.
fn decimal(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.3}")
    } else {
        "-".into()
    }
}

/// Backtest summary, best model per region first (by interval RMSSE, which `auto` ranks by).
pub fn backtest_table(summaries: &[ModelSummary], level: f64) -> Table {
    let coverage_header = format!("{:.0} % coverage", level * 100.0);
    let mut t = table([
        "region",
        "model",
        "origins",
        "RMSSE",
        "interval WAPE",
        "daily WAPE",
        "MAPE",
        "sMAPE",
        "MASE",
        "bias",
        &coverage_header,
    ]);
    let mut sorted: Vec<&ModelSummary> = summaries.iter().collect();
    // By name: the all-regions rows sort as "all regions".
    sorted.sort_by(|a, b| {
        (a.region.to_string())
            .cmp(&b.region.to_string())
            .then(a.interval_rmsse.is_nan().cmp(&b.interval_rmsse.is_nan()))
            .then(a.interval_rmsse.total_cmp(&b.interval_rmsse))
    });
    for s in sorted {
        t.add_row(vec![
            Cell::new(s.region.to_string()),
            Cell::new(s.model.to_string()),
            right(s.origins.to_string()),
            right(decimal(s.interval_rmsse)),
            right(percent(s.interval_wape)),
            right(percent(s.daily_wape)),
            right(percent(s.interval_mape)),
            right(percent(s.interval_smape)),
            right(decimal(s.interval_mase)),
            right(percent(s.interval_bias)),
            right(percent(s.coverage)),
        ]);
    }
    t
}

/// One row per region and one for all regions.
pub fn accuracy_table(report: &crate::forecast::accuracy::AccuracyReport) -> Table {
    let mut t = table([
        "region", "periods", "actual", "forecast", "accuracy", "WAPE", "MAPE", "sMAPE", "MASE",
        "bias", "coverage",
    ]);
    for r in report
        .regions
        .iter()
        .chain(std::iter::once(&report.overall))
    {
        t.add_row(vec![
            Cell::new(&r.region),
            right(r.periods.to_string()),
            right(format_count(r.actual_total)),
            right(format_count(r.forecast_total)),
            right(percent(r.accuracy)),
            right(percent(r.wape)),
            right(percent(r.mape)),
            right(percent(r.smape)),
            right(decimal(r.mase)),
            right(percent(r.bias)),
            right(percent(r.coverage)),
        ]);
    }
    t
}

/// A holdout forecast scored against the history it did not train on, at interval and daily
/// level (`wfm forecast --train-until`).
pub fn holdout_report(history: &crate::data::History, forecasts: &Forecasts) -> String {
    use crate::forecast::accuracy::{score, Level};
    let mut text = String::new();
    for level in [Level::Interval, Level::Daily] {
        let report = score(forecasts, history, None, level);
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

/// What `wfm backtest --json` writes.
#[derive(serde::Serialize)]
pub struct BacktestJson<'a> {
    pub file: &'a std::path::Path,
    /// The horizon as given (`month`, `28d`).
    pub horizon: String,
    pub level: f64,
    pub summary: &'a [ModelSummary],
    pub origins: &'a [OriginScore],
    pub skipped: &'a [Skipped],
}

/// The terminal report of `wfm backtest`: the table, and which models `auto` chose at each
/// origin of each region (in `regions`' order).
pub fn backtest_report(
    result: &Backtest,
    summary: &[ModelSummary],
    level: f64,
    regions: &[&str],
) -> String {
    let mut text = format!("{}\n", backtest_table(summary, level));
    for region in regions {
        let choices = result.auto_choices(region);
        let chosen: Vec<String> = choices
            .iter()
            .map(|(origin, model)| format!("{origin} → {model}"))
            .collect();
        if !chosen.is_empty() {
            // A pool is the same whatever its order ("a+b" is "b+a").
            let pools: Vec<Vec<String>> = (choices.iter())
                .map(|(_, model)| {
                    let mut members: Vec<String> =
                        model.to_string().split('+').map(str::to_string).collect();
                    members.sort();
                    members
                })
                .collect();
            let changes = pools.windows(2).filter(|w| w[0] != w[1]).count();
            text.push_str(&format!(
                "auto in {region} (its choice changed {changes} time(s) over {} origins): {}\n",
                chosen.len(),
                chosen.join(", ")
            ));
        }
    }
    text
}

/// One note per model skipped for some regions (at some origins), and why.
pub fn skipped_notes(result: &Backtest) -> Vec<String> {
    (result.skipped_groups().into_iter())
        .map(|g| {
            let at = match g.origins.len() {
                1 => String::new(),
                n => format!(" at {n} origin(s), the latest"),
            };
            format!(
                "skipped {} for {} region(s) ({}){at}: {}",
                g.model,
                g.regions.len(),
                g.regions.join(", "),
                g.reason
            )
        })
        .collect()
}

/// What `wfm accuracy --json` writes: the files, the report, and the gate's verdict.
#[derive(serde::Serialize)]
pub struct AccuracyJson<'a> {
    pub forecast: &'a std::path::Path,
    pub actuals: &'a std::path::Path,
    #[serde(flatten)]
    pub report: &'a crate::forecast::accuracy::AccuracyReport,
    pub gate: GateJson<'a>,
}

/// The gate as `wfm accuracy --json` writes it.
#[derive(serde::Serialize)]
pub struct GateJson<'a> {
    min_accuracy: Option<f64>,
    accuracy_metric: String,
    max: Vec<(String, f64)>,
    passed: bool,
    failures: &'a [crate::forecast::accuracy::GateFailure],
}

impl<'a> GateJson<'a> {
    pub fn new(
        gate: &crate::forecast::accuracy::Gate,
        failures: &'a [crate::forecast::accuracy::GateFailure],
    ) -> Self {
        use crate::forecast::accuracy::Metric;
        GateJson {
            min_accuracy: gate.min_accuracy,
            accuracy_metric: gate.accuracy_metric.unwrap_or(Metric::Wape).to_string(),
            max: gate.max.iter().map(|(m, v)| (m.to_string(), *v)).collect(),
            passed: failures.is_empty(),
            failures,
        }
    }
}
