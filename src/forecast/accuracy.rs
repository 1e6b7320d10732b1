//! Scoring a forecast file against actuals, and the accuracy gate a CI job runs.

use std::fmt;
use std::str::FromStr;

use chrono::Datelike;
use serde::Serialize;

use super::metrics::{self, seasonal_naive_mae};
use crate::data::{ForecastFile, ForecastSeries, History, PointStatus, RegionSeries};
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

/// Aligned pairs of one region.
struct Pairs {
    minutes: Vec<i64>,
    actual: Vec<f64>,
    forecast: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
}

/// Scores `forecast` against `actuals` (already on the forecast's interval). `history`, when
/// given, scales MASE by its seasonal naive error.
pub fn score(
    forecast: &ForecastFile,
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

impl Pairs {
    /// Forecast row `k` of `f` against `actual`.
    fn push(&mut self, f: &ForecastSeries, k: usize, actual: f64) {
        self.minutes.push(f.minutes[k]);
        self.actual.push(actual);
        self.forecast.push(f.forecast[k]);
        self.lower.push(f.lower.as_ref().map_or(f64::NAN, |l| l[k]));
        self.upper.push(f.upper.as_ref().map_or(f64::NAN, |u| u[k]));
    }
}

fn pair_up(
    f: &ForecastSeries,
    actual: Option<&RegionSeries>,
    missing_actuals: &mut Unmatched,
    missing_forecasts: &mut Unmatched,
) -> Pairs {
    let mut pairs = Pairs {
        minutes: Vec::new(),
        actual: Vec::new(),
        forecast: Vec::new(),
        lower: Vec::new(),
        upper: Vec::new(),
    };
    let Some(a) = actual else {
        for &m in &f.minutes {
            missing_actuals.add(m, &f.region);
        }
        return pairs;
    };
    let d = a.interval_minutes as i64;
    let mut matched = vec![false; a.len()];
    // Slots of the week the actuals never have open: past either end of the actuals, such a
    // slot is closed as it is inside them (a real zero), not a missing actual.
    let per_week = (crate::time::MINUTES_PER_WEEK / d) as usize;
    let slot = |minute: i64| crate::time::SlotOfWeek::of_minute(minute).index(a.interval_minutes);
    let mut open_slot = vec![false; per_week];
    for i in 0..a.len() {
        if !a.status[i].is_closed() {
            open_slot[slot(a.minute(i))] = true;
        }
    }
    for (k, &m) in f.minutes.iter().enumerate() {
        let offset = m - a.start_minute;
        let index = (offset >= 0 && offset % d == 0 && ((offset / d) as usize) < a.len())
            .then(|| (offset / d) as usize);
        // Closed slots and closed holidays are real zeros; filled gaps and outages are not
        // actuals.
        match index.filter(|&i| {
            !matches!(
                a.status[i],
                PointStatus::Gap | PointStatus::DstSkipped | PointStatus::Outage
            )
        }) {
            Some(i) => {
                matched[i] = true;
                pairs.push(f, k, a.contacts[i]);
            }
            None if index.is_none() && !open_slot[slot(m)] => pairs.push(f, k, 0.0),
            None => missing_actuals.add(m, &f.region),
        }
    }
    for (i, &was_matched) in matched.iter().enumerate() {
        if !was_matched && a.status[i] == PointStatus::Observed {
            missing_forecasts.add(a.minute(i), &a.region);
        }
    }
    pairs
}

/// Sums values by period; `minutes` are sorted.
fn by_period(minutes: &[i64], values: &[f64], level: Level) -> Vec<f64> {
    let mut totals: Vec<f64> = Vec::new();
    let mut last = None;
    for (&m, &v) in minutes.iter().zip(values) {
        let p = level.period(m);
        if last == Some(p) {
            if let Some(t) = totals.last_mut() {
                *t += v;
            }
        } else {
            totals.push(v);
            last = Some(p);
        }
    }
    totals
}

fn aggregate_history(series: &RegionSeries, level: Level) -> Vec<f64> {
    let minutes: Vec<i64> = (0..series.len()).map(|i| series.minute(i)).collect();
    by_period(&minutes, &series.contacts, level)
}

fn score_pairs(
    region: &str,
    pairs: &Pairs,
    level: Level,
    history: Option<&[f64]>,
    interval_minutes: u32,
) -> AccuracyRow {
    let actual = by_period(&pairs.minutes, &pairs.actual, level);
    let forecast = by_period(&pairs.minutes, &pairs.forecast, level);
    let wape = metrics::wape(&actual, &forecast);
    AccuracyRow {
        region: region.to_string(),
        level,
        periods: actual.len(),
        actual_total: actual.iter().sum(),
        forecast_total: forecast.iter().sum(),
        accuracy: 1.0 - wape,
        wape,
        mape: metrics::mape(&actual, &forecast),
        smape: metrics::smape(&actual, &forecast),
        mase: history.map_or(f64::NAN, |h| {
            let scale = seasonal_naive_mae(h, level.naive_lag(interval_minutes));
            let mae = actual
                .iter()
                .zip(&forecast)
                .map(|(y, f)| (y - f).abs())
                .sum::<f64>()
                / actual.len().max(1) as f64;
            if scale > 0.0 && !actual.is_empty() {
                mae / scale
            } else {
                f64::NAN
            }
        }),
        bias: metrics::bias(&actual, &forecast),
        coverage: metrics::coverage(&pairs.actual, &pairs.lower, &pairs.upper),
    }
}

/// All regions together: WAPE, bias and coverage pooled over every period; MAPE, sMAPE and
/// MASE as means of the regions weighted by their actual volume.
fn overall(regions: &[(AccuracyRow, Pairs)], level: Level) -> AccuracyRow {
    let mut abs_error = 0.0;
    let mut error = 0.0;
    let (mut actual_total, mut forecast_total) = (0.0, 0.0);
    let mut periods = 0;
    let (mut inside, mut banded) = (0usize, 0usize);
    for (row, pairs) in regions {
        let actual = by_period(&pairs.minutes, &pairs.actual, level);
        let forecast = by_period(&pairs.minutes, &pairs.forecast, level);
        for (y, f) in actual.iter().zip(&forecast) {
            abs_error += (y - f).abs();
            error += f - y;
        }
        actual_total += row.actual_total;
        forecast_total += row.forecast_total;
        periods += row.periods;
        if row.coverage.is_finite() {
            let n = pairs.lower.iter().filter(|l| l.is_finite()).count();
            inside += (row.coverage * n as f64).round() as usize;
            banded += n;
        }
    }
    let weighted = |metric: fn(&AccuracyRow) -> f64| {
        let (sum, weight) = regions
            .iter()
            .map(|(r, _)| (metric(r), r.actual_total))
            .filter(|(v, w)| v.is_finite() && *w > 0.0)
            .fold((0.0, 0.0), |(s, t), (v, w)| (s + v * w, t + w));
        if weight > 0.0 {
            sum / weight
        } else {
            f64::NAN
        }
    };
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    let wape = ratio(abs_error, actual_total);
    AccuracyRow {
        region: "all regions".into(),
        level,
        periods,
        actual_total,
        forecast_total,
        accuracy: 1.0 - wape,
        wape,
        mape: weighted(|r| r.mape),
        smape: weighted(|r| r.smape),
        mase: weighted(|r| r.mase),
        bias: ratio(error, actual_total),
        coverage: if banded > 0 {
            inside as f64 / banded as f64
        } else {
            f64::NAN
        },
    }
}

/// Thresholds of the accuracy gate.
#[derive(Debug, Clone, Default)]
pub struct Gate {
    /// Minimum 1 − `accuracy_metric` for every region and overall.
    pub min_accuracy: Option<f64>,
    pub accuracy_metric: Option<Metric>,
    /// Maximum value of a metric (bias: of its absolute value).
    pub max: Vec<(Metric, f64)>,
}

/// What a gate threshold is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateMetric {
    /// 1 − the metric, which must stay at or above a minimum.
    Accuracy(Metric),
    /// The metric itself (bias: its absolute value), which must stay at or below a maximum.
    AtMost(Metric),
}

impl GateMetric {
    /// Whether the threshold is a minimum (else a maximum).
    pub fn is_minimum(self) -> bool {
        matches!(self, GateMetric::Accuracy(_))
    }
}

impl fmt::Display for GateMetric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GateMetric::Accuracy(metric) => write!(f, "accuracy (1 − {metric})"),
            GateMetric::AtMost(Metric::Bias) => write!(f, "|bias|"),
            GateMetric::AtMost(metric) => write!(f, "{metric}"),
        }
    }
}

/// Written as its text (`"accuracy (1 − wape)"`, `"|bias|"`), the JSON's stable names.
impl Serialize for GateMetric {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One broken threshold.
#[derive(Debug, Clone, Serialize)]
pub struct GateFailure {
    pub region: String,
    pub metric: GateMetric,
    pub level: Level,
    pub value: f64,
    pub threshold: f64,
}

impl fmt::Display for GateFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (side, bound) = if self.metric.is_minimum() {
            ("below", "minimum")
        } else {
            ("above", "maximum")
        };
        write!(
            f,
            "region \"{}\": {} at {} level is {:.4}, {side} the {bound} {:.4}",
            self.region, self.metric, self.level, self.value, self.threshold
        )
    }
}

impl Gate {
    /// The gate of `wfm accuracy`: `min_accuracy` on 1 − `metric`, and `max_metric` items
    /// written `METRIC=MAX` (`mape=0.15`). A gate on MASE needs the history (`has_history`):
    /// without it MASE is undefined, and the gate would fail on a NaN.
    pub fn new(
        min_accuracy: Option<f64>,
        metric: Metric,
        max_metric: &[String],
        has_history: bool,
    ) -> crate::error::Result<Gate> {
        use crate::error::WfmError;
        let max = max_metric
            .iter()
            .map(|item| {
                let bad = || {
                    WfmError::option(
                        "--max-metric",
                        item,
                        "expected METRIC=MAX such as mape=0.15 (metrics: wape, mape, smape, mase, bias)",
                    )
                };
                let (name, value) = item.split_once('=').ok_or_else(bad)?;
                let metric: Metric = name.parse().map_err(|_| bad())?;
                let value: f64 = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                    .ok_or_else(bad)?;
                Ok((metric, value))
            })
            .collect::<crate::error::Result<Vec<_>>>();
        let gated = min_accuracy.is_some() || !max_metric.is_empty();
        let mase_gated = metric == Metric::Mase
            || max_metric
                .iter()
                .any(|m| m.trim_start().starts_with("mase"));
        if gated && mase_gated && !has_history {
            return Err(WfmError::option(
                "--metric",
                "mase",
                "MASE needs the history before the forecast: pass --history FILE",
            ));
        }
        if let Some(min) = min_accuracy {
            if !(0.0..=1.0).contains(&min) {
                return Err(WfmError::option(
                    "--min-accuracy",
                    min.to_string(),
                    "expected a fraction between 0 and 1, e.g. 0.92",
                ));
            }
        }
        Ok(Gate {
            min_accuracy,
            accuracy_metric: Some(metric),
            max: max?,
        })
    }

    /// Whether the gate has any threshold.
    pub fn is_set(&self) -> bool {
        self.min_accuracy.is_some() || !self.max.is_empty()
    }
}

pub fn check(report: &AccuracyReport, gate: &Gate) -> Vec<GateFailure> {
    let mut failures = Vec::new();
    for row in report
        .regions
        .iter()
        .chain(std::iter::once(&report.overall))
    {
        if let Some(min) = gate.min_accuracy {
            let metric = gate.accuracy_metric.unwrap_or(Metric::Wape);
            let value = 1.0 - row.metric(metric);
            if value.is_nan() || value < min {
                failures.push(GateFailure {
                    region: row.region.clone(),
                    metric: GateMetric::Accuracy(metric),
                    level: row.level,
                    value,
                    threshold: min,
                });
            }
        }
        for &(metric, max) in &gate.max {
            let raw = row.metric(metric);
            let value = if metric == Metric::Bias {
                raw.abs()
            } else {
                raw
            };
            if value.is_nan() || value > max {
                failures.push(GateFailure {
                    region: row.region.clone(),
                    metric: GateMetric::AtMost(metric),
                    level: row.level,
                    value,
                    threshold: max,
                });
            }
        }
    }
    failures
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
            assert!(message.contains("--max-metric"), "{bad}: {message}");
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

    fn forecast_series(region: &str, values: &[f64], band: f64) -> ForecastSeries {
        ForecastSeries {
            region: region.into(),
            minutes: (0..values.len())
                .map(|i| monday() + i as i64 * 720)
                .collect(),
            forecast: values.to_vec(),
            lower: Some(values.iter().map(|v| v - band).collect()),
            upper: Some(values.iter().map(|v| v + band).collect()),
            aht_seconds: None,
            rows: (2..values.len() + 2).collect(),
        }
    }

    fn files(actual: Vec<RegionSeries>, forecast: Vec<ForecastSeries>) -> (History, ForecastFile) {
        (
            History {
                path: "a.csv".into(),
                interval_minutes: 720,
                source_interval_minutes: 720,
                regions: actual,
                has_aht: false,
                end_minute: 0,
            },
            ForecastFile {
                path: "f.csv".into(),
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
