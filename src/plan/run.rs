//! The month of every queue from one config: history → forecast → staffing → shift plan →
//! roster, the queues in parallel, a queue that fails reported while the others finish.

use rayon::prelude::*;

use super::config::PlanConfig;
use crate::data::{load_history, History};
use crate::error::{Result, WfmError};
use crate::forecast::stage::{forecast, Forecasts};
use crate::roster::read_agents;
use crate::roster::stage::{roster, Demand, RosterParams, Rostered};
use crate::roster::time_off::{read_time_off, TimeOff};
use crate::schedule::plans::RegionPlan;
use crate::schedule::stage::{schedule, Plans};
use crate::schedule::ShiftTemplates;
use crate::staffing::stage::{staff, RegionRequirements, Requirements};
use crate::time::{self, MINUTES_PER_DAY};

/// Everything one run made.
pub struct PlanRun {
    /// The config as it ran: the month chosen written in.
    pub config: PlanConfig,
    pub history: History,
    pub forecasts: Forecasts,
    /// The queues that were staffed and planned, in the history's order.
    pub requirements: Requirements,
    pub plans: Plans,
    /// With an agents file: the roster of every planned queue, and the dated time off asked.
    pub rostered: Option<(Rostered, Vec<TimeOff>)>,
    /// What failed, and why: a queue (by name) or `roster`.
    pub failed: Vec<(String, String)>,
}

/// The month `forecast.month` names, or the first whole month after the history's data.
fn plan_month(config: &PlanConfig, history: &History) -> Result<String> {
    if let Some(month) = &config.forecast.month {
        return Ok(month.clone());
    }
    // The data ends at `end_minute` (exclusive): the month after its last day's.
    use chrono::Datelike;
    let last = time::naive_from_minutes(history.end_minute - 1).date();
    let (year, month) = match last.month() {
        12 => (last.year() + 1, 1),
        m => (last.year(), m + 1),
    };
    Ok(format!("{year:04}-{month:02}"))
}

/// Runs the month of `config`. An error here (the history, the forecast of every queue, a
/// setting) stops the run; a queue whose staffing or plan fails is listed in `failed`.
pub fn run_plan(config: &PlanConfig) -> Result<PlanRun> {
    let options = config.ingest_options()?;
    let history = load_history(&config.input.history, &options)?;
    let mut config = config.clone();
    let month = plan_month(&config, &history)?;
    config.forecast.month = Some(month.clone());
    let forecast_config = config.forecast_params(&month).check()?;
    // Every queue is checked before any work: a bad setting names its table.
    let queues: Vec<String> = history.regions.iter().map(|r| r.region.clone()).collect();
    for name in config.queues.keys() {
        if !queues.contains(name) {
            return Err(WfmError::Invalid {
                path: "plan config".into(),
                message: format!(
                    "[queues.{name}]: no queue of that name in the history; its queues are {}",
                    queues.join(", ")
                ),
            });
        }
    }
    let mut staffing = std::collections::BTreeMap::new();
    for name in &queues {
        let table = if config.queues.contains_key(name) {
            format!("queues.{name}")
        } else {
            "staffing".to_string()
        };
        staffing.insert(name.clone(), config.queue(name).staffing_config(&table)?);
    }
    let templates = match &config.schedule.templates {
        Some(path) => ShiftTemplates::from_toml_file(path)?,
        None => ShiftTemplates::default(),
    };
    let mut failed = Vec::new();
    let forecasts = forecast_queues(&history, &forecast_config, &mut failed)?;
    let planned: Vec<std::result::Result<(RegionRequirements, RegionPlan), String>> = forecasts
        .regions
        .par_iter()
        .map(|region| {
            let staffing = &staffing[&region.region];
            let one = Forecasts {
                regions: vec![region.clone()],
                ..forecasts_without_regions(&forecasts)
            };
            let requirements = staff(&one, staffing).map_err(|e| e.to_string())?;
            let params = config
                .schedule_params(&templates, staffing.params().targets)
                .and_then(|p| p.check())
                .map_err(|e| e.to_string())?;
            let mut plans = schedule(&requirements, &params).map_err(|e| e.to_string())?;
            let plan = plans.regions.pop().ok_or("no plan made")?;
            let requirement = requirements
                .regions
                .into_iter()
                .next()
                .ok_or("no requirement")?;
            Ok((requirement, plan))
        })
        .collect();
    let mut requirements = Requirements {
        interval_minutes: forecasts.interval_minutes,
        path: None,
        regions: Vec::new(),
    };
    let mut plans = Plans {
        regions: Vec::new(),
    };
    for (forecast, outcome) in forecasts.regions.iter().zip(planned) {
        let name = &forecast.region;
        match outcome {
            Ok((requirement, plan)) => {
                requirements.regions.push(requirement);
                plans.regions.push(plan);
            }
            Err(message) => failed.push((name.clone(), message)),
        }
    }
    let rostered = match &config.roster.agents {
        Some(path) if !requirements.regions.is_empty() => {
            match roster_month(&config, path, &requirements) {
                Ok(done) => Some(done),
                Err(e) => {
                    failed.push(("roster".into(), e.to_string()));
                    None
                }
            }
        }
        _ => None,
    };
    Ok(PlanRun {
        config,
        history,
        forecasts,
        requirements,
        plans,
        rostered,
        failed,
    })
}

/// Every queue's forecast. When the history's forecast fails and it has several queues, each
/// queue is forecast alone to find those that fail (listed in `failed` with why), and the
/// others are forecast together again; with one queue, or when all fail, the error stops the
/// run.
fn forecast_queues(
    history: &History,
    config: &crate::forecast::stage::ForecastConfig,
    failed: &mut Vec<(String, String)>,
) -> Result<Forecasts> {
    let first = match forecast(history, config) {
        Ok(forecasts) => return Ok(forecasts),
        Err(error) if history.regions.len() < 2 => return Err(error),
        Err(error) => error,
    };
    let alone = |keep: &dyn Fn(&str) -> bool| History {
        regions: (history.regions.iter())
            .filter(|r| keep(&r.region))
            .cloned()
            .collect(),
        path: history.path.clone(),
        interval_minutes: history.interval_minutes,
        source_interval_minutes: history.source_interval_minutes,
        has_aht: history.has_aht,
        end_minute: history.end_minute,
    };
    let broken: Vec<(String, String)> = history
        .regions
        .par_iter()
        .filter_map(|r| {
            let one = alone(&|name| name == r.region);
            forecast(&one, config)
                .err()
                .map(|e| (r.region.clone(), e.to_string()))
        })
        .collect();
    if broken.is_empty() || broken.len() == history.regions.len() {
        return Err(first);
    }
    let rest = alone(&|name| !broken.iter().any(|(b, _)| b == name));
    failed.extend(broken);
    forecast(&rest, config)
}

/// A forecast's header without its regions.
fn forecasts_without_regions(forecasts: &Forecasts) -> Forecasts {
    Forecasts {
        interval_minutes: forecasts.interval_minutes,
        until_minute: forecasts.until_minute,
        path: forecasts.path.clone(),
        regions: Vec::new(),
    }
}

/// The agents of `path` rostered on every planned queue's requirement.
fn roster_month(
    config: &PlanConfig,
    path: &std::path::Path,
    requirements: &Requirements,
) -> Result<(Rostered, Vec<TimeOff>)> {
    let mut agents = read_agents(path)?;
    let requests = match &config.roster.time_off {
        Some(file) => read_time_off(file, &mut agents)?,
        None => Vec::new(),
    };
    let day_start = crate::schedule::templates::parse_clock(&config.schedule.baseline_day_start)
        .unwrap_or(8 * 60);
    let params = RosterParams {
        rules: config.work_rules()?,
        templates_path: config.schedule.templates.clone(),
        targets: config.staffing.targets(),
        baseline_day_start_minute: day_start % MINUTES_PER_DAY as u32,
        volume_scale: None,
        fewest: false,
        agents_path: path.to_path_buf(),
    }
    .check()?;
    let rostered = roster(&Demand::Requirements(requirements.clone()), agents, &params)?;
    Ok((rostered, requests))
}
