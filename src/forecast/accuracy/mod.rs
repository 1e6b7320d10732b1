//! Scoring a forecast file against actuals, and the accuracy gate a CI job runs.

mod gate;
mod pairing;

pub use gate::{check, Gate, GateFailure, GateMetric};
use pairing::*;

use std::fmt;
use std::str::FromStr;

use chrono::Datelike;
use serde::Serialize;

use super::forecasts::{Forecasts, RegionForecast};
use super::metrics::{self, seasonal_naive_mae};
use crate::data::{History, PointStatus, RegionSeries};
use crate::time::{self, MINUTES_PER_DAY};

/// How many unmatched rows a report lists.
const EXAMPLES: usize = 5;

/// The level at which forecast and actuals are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Interval,
    Daily,
    Weekly,
    Monthly,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Interval => "interval",
            Level::Daily => "daily",
            Level::Weekly => "weekly",
            Level::Monthly => "monthly",
        })
    }
}

impl Level {
    /// The period an interval starting at `minute` belongs to.
    fn period(self, minute: i64) -> i64 {
        let day = time::day_of_minute(minute);
        match self {
            Level::Interval => minute,
            Level::Daily => day,
            // Weeks start on Monday; day 0 (1970-01-01) was a Thursday.
            Level::Weekly => (day + 3).div_euclid(7),
            Level::Monthly => {
                let date = time::date_from_day(day);
                date.year() as i64 * 12 + date.month0() as i64
            }
        }
    }

    /// Lag of the seasonal naive forecast that scales MASE at this level: one week (one month at
    /// the monthly level).
    fn naive_lag(self, interval_minutes: u32) -> usize {
        match self {
            Level::Interval => (7 * MINUTES_PER_DAY / interval_minutes as i64) as usize,
            Level::Daily => 7,
            Level::Weekly | Level::Monthly => 1,
        }
    }
}

/// A metric that can be gated (the help texts are `wfm accuracy --metric`'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    #[value(help = "Σ|y − ŷ| / Σy")]
    Wape,
    #[value(help = "Mean |y − ŷ| / y over non-zero actuals")]
    Mape,
    #[value(help = "Mean 2|y − ŷ| / (|y| + |ŷ|)")]
    Smape,
    #[value(
        help = "Mean |y − ŷ| over the in-sample one-week seasonal naive error (needs --history)"
    )]
    Mase,
    #[value(help = "Σ(ŷ − y) / Σy, as an absolute value for the gate")]
    Bias,
}

impl FromStr for Metric {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "wape" => Ok(Metric::Wape),
            "mape" => Ok(Metric::Mape),
            "smape" => Ok(Metric::Smape),
            "mase" => Ok(Metric::Mase),
            "bias" => Ok(Metric::Bias),
            other => Err(format!(
                "unknown metric \"{other}\" (expected wape, mape, smape, mase or bias)"
            )),
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Metric::Wape => "wape",
            Metric::Mape => "mape",
            Metric::Smape => "smape",
            Metric::Mase => "mase",
            Metric::Bias => "bias",
        })
    }
}

/// The scores of one region (or of all regions) at one level.
#[derive(Debug, Clone, Serialize)]
pub struct AccuracyRow {
    pub region: String,
    pub level: Level,
    /// Periods (intervals, days, weeks or months) compared.
    pub periods: usize,
    pub actual_total: f64,
    pub forecast_total: f64,
    /// 1 − WAPE.
    pub accuracy: f64,
    pub wape: f64,
    pub mape: f64,
    pub smape: f64,
    /// NaN (null in JSON) without `--history`.
    pub mase: f64,
    pub bias: f64,
    /// Share of interval actuals inside [lower, upper]; NaN without a band.
    pub coverage: f64,
}

impl AccuracyRow {
    pub fn metric(&self, metric: Metric) -> f64 {
        match metric {
            Metric::Wape => self.wape,
            Metric::Mape => self.mape,
            Metric::Smape => self.smape,
            Metric::Mase => self.mase,
            Metric::Bias => self.bias,
        }
    }
}

/// Rows of one file that the other lacks.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Unmatched {
    pub count: usize,
    /// The first few, as `timestamp region`.
    pub examples: Vec<String>,
}

impl Unmatched {
    fn add(&mut self, minute: i64, region: &str) {
        self.count += 1;
        if self.examples.len() < EXAMPLES {
            self.examples
                .push(format!("{} {region}", time::format_minute(minute)));
        }
    }
}

/// Everything `wfm accuracy` reports.
#[derive(Debug, Clone, Serialize)]
pub struct AccuracyReport {
    pub level: Level,
    pub interval_minutes: u32,
    pub regions: Vec<AccuracyRow>,
    /// All regions pooled: WAPE and bias over all contacts, the other metrics volume-weighted.
    pub overall: AccuracyRow,
    /// Forecast rows with no actual.
    pub missing_actuals: Unmatched,
    /// Actual rows with no forecast.
    pub missing_forecasts: Unmatched,
}

impl AccuracyReport {
    /// The rows of one file without a row in the other, counted with the first few named;
    /// `None` when every row has its pair.
    pub fn unmatched_message(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.missing_actuals.count > 0 {
            parts.push(format!(
                "{} forecast row(s) have no actual (first: {})",
                self.missing_actuals.count,
                self.missing_actuals.examples.join(", ")
            ));
        }
        if self.missing_forecasts.count > 0 {
            parts.push(format!(
                "{} actual row(s) have no forecast (first: {})",
                self.missing_forecasts.count,
                self.missing_forecasts.examples.join(", ")
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// Scores `forecast` against `actuals` (already on the forecast's interval). `history`, when
/// given, scales MASE by its seasonal naive error.
pub fn score(
    forecast: &Forecasts,
    actuals: &History,
    history: Option<&History>,
    level: Level,
) -> AccuracyReport {
    let mut missing_actuals = Unmatched::default();
    let mut missing_forecasts = Unmatched::default();
    let mut rows = Vec::new();
    let mut pooled = Vec::new();
    for f in &forecast.regions {
        let actual = actuals.regions.iter().find(|a| a.region == f.region);
        let pairs = pair_up(f, actual, &mut missing_actuals, &mut missing_forecasts);
        let scale_history = history
            .and_then(|h| h.regions.iter().find(|r| r.region == f.region))
            .map(|r| aggregate_history(r, level));
        let row = score_pairs(
            &f.region,
            &pairs,
            level,
            scale_history.as_deref(),
            forecast.interval_minutes,
        );
        pooled.push((row.clone(), pairs));
        rows.push(row);
    }
    for a in &actuals.regions {
        if !forecast.regions.iter().any(|f| f.region == a.region) {
            for i in 0..a.len() {
                if a.status[i] == PointStatus::Observed {
                    missing_forecasts.add(a.minute(i), &a.region);
                }
            }
        }
    }
    AccuracyReport {
        level,
        interval_minutes: forecast.interval_minutes,
        overall: overall(&pooled, level),
        regions: rows,
        missing_actuals,
        missing_forecasts,
    }
}

#[cfg(test)]
mod tests {
    /// The gate is parsed once, in the library: `METRIC=MAX` items, a MASE gate without the
    /// history refused, and each threshold written as the JSON's stable names.
    #[test]
    fn a_gate_is_parsed_and_its_metrics_keep_their_names() {
        let gate = Gate::new(
            Some(0.9),
            Metric::Wape,
            &["mape=0.15".into(), " bias = 0.1".into()],
            false,
        )
        .unwrap();
        assert_eq!(gate.max, vec![(Metric::Mape, 0.15), (Metric::Bias, 0.1)]);
        assert!(gate.is_set());
        for bad in ["mape", "mape=-1", "mape=inf", "nope=0.1"] {
            let message = Gate::new(None, Metric::Wape, &[bad.into()], false)
                .unwrap_err()
                .to_string();
            assert!(message.contains("max_metric = "), "{bad}: {message}");
        }
        let mase = Gate::new(Some(0.9), Metric::Mase, &[], false).unwrap_err();
        assert!(mase.to_string().contains("--history"), "{mase}");
        assert!(Gate::new(None, Metric::Mase, &[], false).is_ok());
        assert!(Gate::new(Some(1.5), Metric::Wape, &[], true).is_err());

        let names: Vec<String> = [
            GateMetric::Accuracy(Metric::Wape),
            GateMetric::AtMost(Metric::Bias),
            GateMetric::AtMost(Metric::Mape),
        ]
        .iter()
        .map(|m| serde_json::to_string(m).unwrap())
        .collect();
        assert_eq!(names, ["\"accuracy (1 − wape)\"", "\"|bias|\"", "\"mape\""]);
    }

    use super::*;
    use crate::data::RegionSeries;

    fn monday() -> i64 {
        time::days_from_civil(2024, 1, 1) * MINUTES_PER_DAY
    }

    fn actual_series(region: &str, values: &[f64]) -> RegionSeries {
        RegionSeries {
            region: region.into(),
            group: None,
            start_minute: monday(),
            interval_minutes: 720,
            contacts: values.to_vec(),
            aht_seconds: None,
            status: vec![PointStatus::Observed; values.len()],
            source_rows: values.len(),
            dst_repeats_merged: 0,
            outages: Vec::new(),
        }
    }

    fn forecast_series(region: &str, values: &[f64], band: f64) -> RegionForecast {
        RegionForecast {
            region: region.into(),
            interval_minutes: 720,
            minutes: (0..values.len())
                .map(|i| monday() + i as i64 * 720)
                .collect(),
            point: values.to_vec(),
            lower: values.iter().map(|v| v - band).collect(),
            upper: values.iter().map(|v| v + band).collect(),
            rows: (2..values.len() + 2).collect(),
            ..RegionForecast::default()
        }
    }

    fn files(actual: Vec<RegionSeries>, forecast: Vec<RegionForecast>) -> (History, Forecasts) {
        (
            History {
                path: "a.csv".into(),
                interval_minutes: 720,
                source_interval_minutes: 720,
                regions: actual,
                has_aht: false,
                end_minute: 0,
            },
            Forecasts {
                path: Some("f.csv".into()),
                until_minute: None,
                interval_minutes: 720,
                regions: forecast,
            },
        )
    }

    #[test]
    fn interval_and_daily_scores_by_hand() {
        // Two 12-hour intervals a day, two days: actual 10, 30 | 20, 0; forecast 12, 24 | 20, 4.
        let (actuals, forecast) = files(
            vec![actual_series("n", &[10.0, 30.0, 20.0, 0.0])],
            vec![forecast_series("n", &[12.0, 24.0, 20.0, 4.0], 3.0)],
        );
        let interval = score(&forecast, &actuals, None, Level::Interval);
        let row = &interval.regions[0];
        // |e| = 2 + 6 + 0 + 4 = 12 over 60.
        assert!((row.wape - 0.2).abs() < 1e-12);
        assert!((row.accuracy - 0.8).abs() < 1e-12);
        // MAPE over non-zero actuals: (0.2 + 0.2 + 0) / 3.
        assert!((row.mape - 0.4 / 3.0).abs() < 1e-12);
        // bias: (2 − 6 + 0 + 4) / 60 = 0.
        assert!(row.bias.abs() < 1e-12);
        // Inside ±3: 10 in [9,15] yes, 30 in [21,27] no, 20 yes, 0 in [1,7] no.
        assert_eq!(row.coverage, 0.5);
        let daily = score(&forecast, &actuals, None, Level::Daily);
        let row = &daily.regions[0];
        // Days: actual 40, 20; forecast 36, 24 → |e| = 4 + 4 over 60.
        assert_eq!(row.periods, 2);
        assert!((row.wape - 8.0 / 60.0).abs() < 1e-12);
        assert!(row.mase.is_nan(), "no history, no MASE");
    }

    /// Regression (issue 14): a forecast slot past the end of the actuals that the actuals
    /// never have open is closed (a real zero), as the same slot inside them is, not missing.
    #[test]
    fn closed_slots_past_the_actuals_count_as_closed() {
        // Two weeks of 12-hour intervals whose night (the second of each day) is always closed.
        let values: Vec<f64> = (0..28)
            .map(|i| if i % 2 == 0 { 10.0 } else { 0.0 })
            .collect();
        let mut actual = actual_series("n", &values[..27]);
        for (i, s) in actual.status.iter_mut().enumerate() {
            if i % 2 == 1 {
                *s = PointStatus::Closed;
            }
        }
        // The forecast covers all 28 intervals: the last, a night past the actuals, is closed.
        let (actuals, forecast) = files(vec![actual], vec![forecast_series("n", &values, 1.0)]);
        let report = score(&forecast, &actuals, None, Level::Interval);
        assert_eq!(report.missing_actuals.count, 0);
        assert_eq!(report.regions[0].periods, 28);
    }

    #[test]
    fn mase_uses_the_history_seasonal_naive() {
        // Weekly level, history of three weeks with totals 100, 120, 90 → naive MAE (20 + 30) / 2 = 25.
        let week = |total: f64| vec![total / 14.0; 14];
        let mut values = week(100.0);
        values.extend(week(120.0));
        values.extend(week(90.0));
        let (history, _) = files(vec![actual_series("n", &values)], vec![]);
        let (actuals, forecast) = files(
            vec![actual_series("n", &[10.0, 30.0])],
            vec![forecast_series("n", &[15.0, 30.0], 1.0)],
        );
        let report = score(&forecast, &actuals, Some(&history), Level::Weekly);
        // One week: actual 40, forecast 45 → MAE 5 / 25 = 0.2.
        assert!(
            (report.regions[0].mase - 0.2).abs() < 1e-9,
            "{}",
            report.regions[0].mase
        );
    }

    #[test]
    fn overall_pools_regions_by_volume() {
        let (actuals, forecast) = files(
            vec![actual_series("a", &[100.0]), actual_series("b", &[10.0])],
            vec![
                forecast_series("a", &[90.0], 1.0),
                forecast_series("b", &[20.0], 1.0),
            ],
        );
        let report = score(&forecast, &actuals, None, Level::Interval);
        // (10 + 10) / 110, not the mean of 0.1 and 1.0.
        assert!((report.overall.wape - 20.0 / 110.0).abs() < 1e-12);
        // MAPE weighted by volume: (0.1·100 + 1.0·10) / 110.
        assert!((report.overall.mape - 20.0 / 110.0).abs() < 1e-12);
        assert!((report.overall.bias - 0.0).abs() < 1e-12);
    }

    #[test]
    fn unmatched_rows_are_counted_both_ways() {
        let (actuals, forecast) = files(
            vec![
                actual_series("a", &[1.0, 2.0, 3.0]),
                actual_series("c", &[5.0]),
            ],
            vec![
                forecast_series("a", &[1.0, 2.0], 0.0),
                forecast_series("b", &[4.0], 0.0),
            ],
        );
        let report = score(&forecast, &actuals, None, Level::Interval);
        assert_eq!(report.missing_actuals.count, 1, "region b has no actuals");
        assert_eq!(
            report.missing_forecasts.count, 2,
            "a's third interval and region c"
        );
        assert!(report.missing_forecasts.examples[0].ends_with(" a"));
    }

    #[test]
    fn empty_overlap_fails_the_gate_rather_than_passing() {
        let (actuals, forecast) = files(
            vec![actual_series("a", &[1.0])],
            vec![forecast_series("b", &[1.0], 0.0)],
        );
        let report = score(&forecast, &actuals, None, Level::Daily);
        assert!(report.regions[0].wape.is_nan());
        let failures = check(
            &report,
            &Gate {
                min_accuracy: Some(0.9),
                ..Default::default()
            },
        );
        assert_eq!(failures.len(), 2, "region b and the overall row");
    }

    #[test]
    fn gate_names_region_metric_level_value_and_threshold() {
        let (actuals, forecast) = files(
            vec![
                actual_series("north", &[100.0, 100.0]),
                actual_series("south", &[100.0, 100.0]),
            ],
            vec![
                forecast_series("north", &[99.0, 101.0], 5.0),
                forecast_series("south", &[80.0, 80.0], 5.0),
            ],
        );
        let report = score(&forecast, &actuals, None, Level::Interval);
        let gate = Gate {
            min_accuracy: Some(0.92),
            accuracy_metric: None,
            max: vec![(Metric::Bias, 0.05)],
        };
        let failures = check(&report, &gate);
        let text: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
        // south: accuracy 0.8 < 0.92 and |bias| 0.2 > 0.05; overall: accuracy 0.895, |bias| 0.1.
        assert_eq!(failures.len(), 4, "{text:?}");
        assert!(
            text[0].contains("region \"south\"")
                && text[0].contains("0.8000")
                && text[0].contains("0.9200")
        );
        assert!(text[1].contains("|bias| at interval level is 0.2000, above the maximum 0.0500"));
        assert!(failures.iter().all(|f| f.region != "north"));
    }

    #[test]
    fn single_interval_is_scored() {
        let (actuals, forecast) = files(
            vec![actual_series("a", &[4.0])],
            vec![forecast_series("a", &[5.0], 0.0)],
        );
        let report = score(&forecast, &actuals, None, Level::Monthly);
        assert_eq!(report.regions[0].periods, 1);
        assert!((report.regions[0].wape - 0.25).abs() < 1e-12);
    }
}
