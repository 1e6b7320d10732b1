//! `summary.json`: what a `wfm plan` run made, per queue, for a machine (CI, `--merge`) and
//! for the report's table.

use serde::{Deserialize, Serialize};

use super::run::PlanRun;
use crate::schedule::plans::RegionPlan;

/// One run's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub wfm_version: String,
    pub month: String,
    /// "i/n" for a shard's run.
    pub shard: Option<String>,
    pub interval_minutes: u32,
    /// The history file's SHA-256.
    pub input_sha256: String,
    /// Every queue of the history, in its order (a shard plans some of them).
    pub queues_in_history: Vec<String>,
    /// The queues planned.
    pub queues: Vec<QueueSummary>,
    /// What failed: a queue or `roster`, and why.
    pub failed: Vec<Failure>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub what: String,
    pub why: String,
}

/// One queue's month: forecast, requirement, the plan against the 2/2 crews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueSummary {
    pub queue: String,
    pub contacts_forecast: f64,
    /// Of them, forecast outside the queue's opening hours and not staffed.
    #[serde(default)]
    pub contacts_outside_hours: f64,
    /// The model that forecast it.
    pub model: Option<String>,
    pub peak_agents_required: u32,
    pub plan_paid_hours: f64,
    pub plan_service_level: Option<f64>,
    pub intervals_short: usize,
    pub baseline_paid_hours: Option<f64>,
    pub baseline_people: Option<u32>,
    pub baseline_service_level: Option<f64>,
}

impl QueueSummary {
    /// The figures of one queue's plan and forecast total.
    pub fn of(plan: &RegionPlan, contacts_forecast: f64, model: Option<String>) -> QueueSummary {
        QueueSummary {
            queue: plan.requirement.region.clone(),
            contacts_forecast,
            contacts_outside_hours: 0.0,
            model,
            peak_agents_required: plan.requirement.required.iter().copied().max().unwrap_or(0),
            plan_paid_hours: plan.plan.paid_hours(),
            plan_service_level: plan.service_level.map(|s| s.0),
            intervals_short: plan.plan.shortfalls.len(),
            baseline_paid_hours: plan.baseline.as_ref().map(|b| b.paid_hours()),
            baseline_people: plan.baseline.as_ref().map(|b| b.crews.iter().sum()),
            baseline_service_level: plan.baseline_service_level.map(|s| s.0),
        }
    }
}

impl PlanSummary {
    /// The summary of `run`, whose history's bytes hash to `input_sha256`.
    pub fn of(run: &PlanRun, input_sha256: &str) -> PlanSummary {
        let queues = run
            .plans
            .regions
            .iter()
            .zip(&run.outside_hours)
            .map(|(plan, &outside)| {
                let forecast =
                    (run.forecasts.regions.iter()).find(|f| f.region == plan.requirement.region);
                QueueSummary {
                    contacts_outside_hours: outside,
                    ..QueueSummary::of(
                        plan,
                        forecast.map_or(0.0, |f| f.point.iter().sum()),
                        forecast
                            .and_then(|f| f.model.as_ref())
                            .map(|m| m.to_string()),
                    )
                }
            })
            .collect();
        PlanSummary {
            wfm_version: env!("CARGO_PKG_VERSION").to_string(),
            month: run.config.forecast.month.clone().unwrap_or_default(),
            shard: run.shard.map(|s| format!("{}/{}", s.index, s.count)),
            interval_minutes: run.history.interval_minutes,
            input_sha256: input_sha256.to_string(),
            queues_in_history: run.queues.clone(),
            queues,
            failed: (run.failed.iter())
                .map(|(what, why)| Failure {
                    what: what.clone(),
                    why: why.clone(),
                })
                .collect(),
        }
    }

    /// The terminal lines: one per queue, then what failed.
    pub fn text(&self) -> String {
        let mut text = format!(
            "plan for {}{}: {} queue(s) planned, {} failed\n",
            self.month,
            self.shard
                .as_ref()
                .map_or(String::new(), |s| format!(" (shard {s})")),
            self.queues.len(),
            self.failed.len()
        );
        for q in &self.queues {
            text.push_str(&format!(
                "  {}: {:.0} contacts, peak {} agents, plan {:.0} paid hours against {} for 2/2 crews, {} interval(s) short\n",
                q.queue,
                q.contacts_forecast,
                q.peak_agents_required,
                q.plan_paid_hours,
                q.baseline_paid_hours.map_or("-".into(), |h| format!("{h:.0}")),
                q.intervals_short
            ));
            if q.contacts_outside_hours > 0.0 {
                text.push_str(&format!(
                    "    {:.0} contacts forecast outside its opening hours, not staffed\n",
                    q.contacts_outside_hours
                ));
            }
        }
        text
    }
}
