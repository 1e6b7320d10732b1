//! The accuracy gate of a CI job: thresholds parsed once, and the rows that break them.

use super::*;

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
            GateMetric::Accuracy(Metric::Bias) => write!(f, "accuracy (1 − |bias|)"),
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
                    WfmError::setting(
                        "max_metric",
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
            return Err(WfmError::setting(
                "metric",
                "mase",
                "MASE needs the history before the forecast: pass --history FILE",
            ));
        }
        if let Some(min) = min_accuracy {
            if !(0.0..=1.0).contains(&min) {
                return Err(WfmError::setting(
                    "min_accuracy",
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

/// The value of `metric` a gate weighs: bias by its size, as an under-forecast is as bad as
/// an over-forecast (1 − (−50 %) would pass any minimum).
fn gated(row: &AccuracyRow, metric: Metric) -> f64 {
    match metric {
        Metric::Bias => row.metric(metric).abs(),
        _ => row.metric(metric),
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
            let value = 1.0 - gated(row, metric);
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
            let value = gated(row, metric);
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
