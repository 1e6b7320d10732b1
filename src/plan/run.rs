//! The month of every queue from one config: history → forecast → staffing → shift plan →
//! roster, the queues in parallel, a queue that fails reported while the others finish.

use rayon::prelude::*;

use super::config::PlanConfig;
use crate::data::{load_history, History};
use crate::error::{Result, WfmError};
use crate::forecast::stage::{forecast_some, Forecasts};
use crate::roster::read_agents;
use crate::roster::stage::{roster, Demand, RosterParams, Rostered};
use crate::roster::time_off::{read_time_off, TimeOff};
use crate::schedule::plans::{plan_service_level_with, RegionPlan};
use crate::schedule::stage::{schedule, Plans};
use crate::schedule::ShiftTemplates;
use crate::staffing::stage::{staff, RegionRequirements, Requirements};
use crate::time::{self, MINUTES_PER_DAY};

/// Everything one run made.
pub struct PlanRun {
    /// Every queue of the history, in its order (a shard plans some of them).
    pub queues: Vec<String>,
    pub shard: Option<Shard>,
    /// The config as it ran: the month chosen written in.
    pub config: PlanConfig,
    pub history: History,
    pub forecasts: Forecasts,
    /// Per queue planned: the contacts forecast outside its opening hours (not staffed).
    pub outside_hours: Vec<f64>,
    /// The queues that were staffed and planned, in the history's order.
    pub requirements: Requirements,
    pub plans: Plans,
    /// With an agents file: the roster of every planned queue, and the dated time off asked.
    pub rostered: Option<(Rostered, Vec<TimeOff>)>,
    /// What failed, and why: a queue (by name) or `roster`.
    pub failed: Vec<(String, String)>,
}

/// Shard `index` (from 1) of `count`: the queues whose name hashes to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Reads "i/n" with 1 ≤ i ≤ n.
    pub fn parse(text: &str) -> std::result::Result<Shard, String> {
        let expected = || format!("\"{text}\": expected i/n with 1 ≤ i ≤ n, e.g. 2/8");
        let (i, n) = text.split_once('/').ok_or_else(expected)?;
        let (index, count) = (
            i.trim().parse::<u32>().map_err(|_| expected())?,
            n.trim().parse::<u32>().map_err(|_| expected())?,
        );
        if index == 0 || index > count {
            return Err(expected());
        }
        Ok(Shard { index, count })
    }

    /// Whether queue `name` is this shard's: its name's 64-bit FNV-1a hash, modulo the count,
    /// is the index less one. The hash is stable across machines, versions and queue lists,
    /// so a queue stays in its shard while others come and go.
    pub fn owns(&self, name: &str) -> bool {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in name.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// The month `forecast.month` names, or the first whole month after the history's data.
fn plan_month(config: &PlanConfig, history: &History) -> Result<String> {
    if let Some(month) = &config.forecast.month {
        let first = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d");
        if first.is_err() {
            let expected = "a calendar month such as \"2026-12\"";
            return Err(WfmError::setting("forecast.month", month.clone(), expected));
        }
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
pub fn run_plan(config: &PlanConfig, shard: Option<Shard>) -> Result<PlanRun> {
    run_plan_telling(config, shard, &|_| {})
}

/// As [`run_plan`], telling `step` what it starts ("forecasting 3 queues"), for a progress
/// display.
pub fn run_plan_telling(
    config: &PlanConfig,
    shard: Option<Shard>,
    step: &dyn Fn(&str),
) -> Result<PlanRun> {
    step("reading the history");
    let options = config.ingest_options()?;
    let history = load_history(&config.input.history, &options)?;
    let mut config = config.clone();
    let month = plan_month(&config, &history)?;
    config.forecast.month = Some(month.clone());
    let forecast_config = config.forecast_params(&month).check()?;
    // The roster's files too (agents, time off, rules): a bad row stops the plan before any
    // work, with nothing written, as `wfm roster` does.
    let team = match (&config.roster.agents, shard) {
        (Some(path), None) => Some(roster_inputs(&config, path)?),
        _ => None,
    };
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
        let settings = config.queue(name);
        staffing.insert(
            name.clone(),
            (
                settings.staffing_config(&table)?,
                settings.opening_hours(&table)?,
                settings.shrinkage_profile(&table)?,
            ),
        );
    }
    let templates = match &config.schedule.templates {
        Some(path) => ShiftTemplates::from_toml_file(path)?,
        None => ShiftTemplates::default(),
    };
    // The schedule's settings are checked once here, before the first forecast.
    config
        .schedule_params(&templates, config.staffing.targets())?
        .check()?;
    let mut failed = Vec::new();
    let mine = |name: &str| shard.is_none_or(|s| s.owns(name));
    let planned_here = queues.iter().filter(|q| mine(q)).count();
    step(&format!(
        "forecasting {planned_here} queue(s) (models chosen by backtest)"
    ));
    let forecasts = forecast_queues(&history, &forecast_config, &mine, &mut failed)?;
    step(&format!(
        "staffing and planning shifts for {} queue(s)",
        forecasts.regions.len()
    ));
    type Planned = (RegionRequirements, RegionPlan, f64);
    let planned: Vec<std::result::Result<Planned, String>> = forecasts
        .regions
        .par_iter()
        .map(|region| {
            let (staffing, hours, profile) = &staffing[&region.region];
            let one = Forecasts {
                regions: vec![region.clone()],
                ..forecasts_without_regions(&forecasts)
            };
            let mut requirements = staff(&one, staffing).map_err(|e| e.to_string())?;
            if let (Some(profile), Some(region)) = (profile, requirements.regions.first_mut()) {
                profile.apply(region, staffing.params().min_agents_open);
            }
            let outside = match (hours, requirements.regions.first_mut()) {
                (Some(hours), Some(region)) => hours.close(region),
                _ => 0.0,
            };
            let params = config
                .schedule_params(&templates, staffing.params().targets)
                .and_then(|p| p.check())
                .map_err(|e| e.to_string())?;
            let mut plans = schedule(&requirements, &params).map_err(|e| e.to_string())?;
            let mut plan = plans.regions.pop().ok_or("no plan made")?;
            if let (Some(profile), Some(staffed)) = (profile, requirements.regions.first()) {
                // The plan's and the 2/2 crews' service level with each interval's shrinkage.
                let at = |i: usize| profile.at(staffed.minutes[i]);
                let targets = &staffing.params().targets;
                let interval = requirements.interval_minutes;
                plan.service_level =
                    plan_service_level_with(staffed, interval, &plan.plan.scheduled, targets, &at);
                if let Some(baseline) = &plan.baseline {
                    plan.baseline_service_level = plan_service_level_with(
                        staffed,
                        interval,
                        &baseline.scheduled,
                        targets,
                        &at,
                    );
                }
            }
            let requirement = requirements
                .regions
                .into_iter()
                .next()
                .ok_or("no requirement")?;
            Ok((requirement, plan, outside))
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
    let mut outside_hours = Vec::new();
    for (forecast, outcome) in forecasts.regions.iter().zip(planned) {
        let name = &forecast.region;
        match outcome {
            Ok((requirement, plan, outside)) => {
                requirements.regions.push(requirement);
                plans.regions.push(plan);
                outside_hours.push(outside);
            }
            Err(message) => failed.push((name.clone(), message)),
        }
    }
    // A shard rosters nobody: a team works across queues, so its roster is made on the
    // merged requirement.
    let rostered = match team {
        Some(team) if !requirements.regions.is_empty() => {
            step("rostering the agents");
            match roster_month(team, &requirements) {
                Ok(done) => {
                    if let Some(message) = over_headcount(&done.0, config.roster.max_headcount) {
                        failed.push(("roster".into(), message));
                    }
                    Some(done)
                }
                Err(e) => {
                    failed.push(("roster".into(), e.to_string()));
                    None
                }
            }
        }
        _ => None,
    };
    Ok(PlanRun {
        outside_hours,
        queues,
        shard,
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
    mine: &(dyn Fn(&str) -> bool + Sync),
    failed: &mut Vec<(String, String)>,
) -> Result<Forecasts> {
    let first = match forecast_some(history, config, mine) {
        Ok(forecasts) => return Ok(forecasts),
        Err(error) => error,
    };
    let queues: Vec<&str> = (history.regions.iter())
        .map(|r| r.region.as_str())
        .filter(|name| mine(name))
        .collect();
    if queues.len() < 2 {
        return Err(first);
    }
    let broken: Vec<(String, String)> = queues
        .par_iter()
        .filter_map(|&queue| {
            forecast_some(history, config, &|name| name == queue)
                .err()
                .map(|e| (queue.to_string(), e.to_string()))
        })
        .collect();
    if broken.is_empty() || broken.len() == queues.len() {
        return Err(first);
    }
    let rest = |name: &str| mine(name) && !broken.iter().any(|(b, _)| b == name);
    let forecasts = forecast_some(history, config, &rest);
    failed.extend(broken);
    forecasts
}

/// What a roster that needs more people than `cap` says: the agents of the file who work
/// and the hires, against the cap.
fn over_headcount(rostered: &Rostered, cap: Option<u32>) -> Option<String> {
    let cap = cap? as usize;
    let hires = match &rostered.basis {
        crate::roster::stage::Basis::Tours { plan, .. } => plan.hires(),
        crate::roster::stage::Basis::Plan { .. } => 0,
    };
    let people = rostered.working() + hires;
    (people > cap).then(|| {
        format!(
            "the roster needs {people} people ({} agent(s) of the file and {hires} hire(s)), above [roster] max_headcount = {cap}",
            rostered.working()
        )
    })
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

/// The team a plan rosters: the agents of `path` with their dated time off, and the roster's
/// settings, each file read and checked.
struct Team {
    agents: Vec<crate::roster::Agent>,
    requests: Vec<TimeOff>,
    params: crate::roster::stage::RosterConfig,
}

fn roster_inputs(config: &PlanConfig, path: &std::path::Path) -> Result<Team> {
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
    Ok(Team {
        agents,
        requests,
        params,
    })
}

/// The `team` rostered on every planned queue's requirement.
fn roster_month(team: Team, requirements: &Requirements) -> Result<(Rostered, Vec<TimeOff>)> {
    let demand = Demand::Requirements(requirements.clone());
    let rostered = roster(&demand, team.agents, &team.params)?;
    Ok((rostered, team.requests))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_is_read_from_i_of_n() {
        assert_eq!(Shard::parse("2/8"), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/3", "4/3", "2", "a/b", "1/0"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn queues_are_shared_out_by_their_names_fnv_1a_hash() {
        // FNV-1a 64-bit of "a" is 0xaf63dc4c8601ec8c and of "foobar" 0x85944171f73967e8 (the
        // test vectors of Fowler, Noll and Vo's reference code, fnv/test_fnv.c).
        let shard_of = |name: &str, count: u32| {
            (1..=count)
                .find(|&index| Shard { index, count }.owns(name))
                .unwrap()
        };
        assert_eq!(
            shard_of("a", 1000),
            (0xaf63_dc4c_8601_ec8c_u64 % 1000) as u32 + 1
        );
        assert_eq!(
            shard_of("foobar", 7),
            (0x8594_4171_f739_67e8_u64 % 7) as u32 + 1
        );
        // Every queue is in exactly one shard.
        for name in ["EMS", "Fire", "Traffic", "<script>", ""] {
            let owners = (1..=5).filter(|&i| Shard { index: i, count: 5 }.owns(name));
            assert_eq!(owners.count(), 1, "{name}");
        }
    }
}
