//! `wfm staff`: forecast → agents per interval and region.

use anyhow::Result;

use super::Outcome;
use crate::cli::{HandleTimeArg, StaffArgs};
use crate::output::{check_outputs, print};
use wfm::report::staffing_tables::staffing_table;
use wfm::staffing::simulate::{HandleTime, SimSettings};
use wfm::staffing::stage::{staff_scenario, write_simulation_file, Scenario};
use wfm::Forecasts;
use wfm::WfmError;

pub fn run(args: StaffArgs) -> Result<Outcome> {
    check_outputs(
        &[
            ("-o", Some(&args.output)),
            ("--simulate", args.simulate.as_deref()),
            ("--json", args.json.as_deref()),
        ],
        None,
        &[("forecast", Some(&args.forecast))],
    )?;
    let config = args.config()?;
    let targets = config.params().targets;
    if let Some(path) = &args.simulate {
        if path == &args.output {
            return Err(WfmError::option(
                "--simulate",
                path.display().to_string(),
                "a file other than the requirements (-o)",
            )
            .into());
        }
    }
    // Every flag is checked before the first output is written.
    let handle_time = match args.handle_time {
        HandleTimeArg::Exponential => HandleTime::Exponential,
        HandleTimeArg::Lognormal => HandleTime::log_normal(args.handle_cv)?,
    };
    let forecast = Forecasts::read(&args.forecast)?;
    let interval_seconds = forecast.interval_minutes as f64 * 60.0;
    let Scenario { requirements, base } = staff_scenario(&forecast, &config)?;
    requirements.write(&args.output)?;
    let simulated = match &args.simulate {
        Some(path) => {
            let outcomes = requirements.simulate(&SimSettings {
                interval_seconds,
                target_answer_seconds: targets.target_answer_seconds,
                patience_seconds: targets.patience_seconds,
                handle_time,
                seed: args.seed,
            });
            write_simulation_file(path, &requirements.regions, &outcomes)?;
            Some(outcomes)
        }
        None => None,
    };
    if let Some(path) = &args.json {
        let regions = (requirements.regions.iter())
            .map(|r| StaffJson::of(r, requirements.interval_minutes))
            .collect::<Vec<_>>();
        wfm::report::write_json(path, &regions)?;
        if wfm::atomic::is_stdout(path) {
            return Ok(Outcome::Success);
        }
    }
    print(&format!(
        "{}\n",
        staffing_table(
            &requirements.regions,
            base.as_ref().map(|b| b.regions.as_slice()),
            simulated.as_deref(),
            args.volume_scale,
            forecast.interval_minutes
        )
    ))?;
    Ok(Outcome::Success)
}

/// `--json`: one object per region.
#[derive(serde::Serialize)]
struct StaffJson<'a> {
    region: &'a str,
    intervals: usize,
    contacts: f64,
    agent_hours_required: f64,
    peak_agents_required: u32,
    /// Contact-weighted mean of the intervals' service levels with the agents required.
    service_level: Option<f64>,
}

impl<'a> StaffJson<'a> {
    fn of(r: &'a wfm::staffing::stage::RegionRequirements, interval_minutes: u32) -> Self {
        let (mut weighted, mut volume) = (0.0, 0.0);
        for (c, s) in r.contacts.iter().zip(&r.staffing) {
            if *c > 0.0 && s.service_level.is_finite() {
                weighted += c * s.service_level;
                volume += c;
            }
        }
        StaffJson {
            region: &r.region,
            intervals: r.minutes.len(),
            contacts: r.contacts.iter().filter(|c| c.is_finite()).sum(),
            agent_hours_required: r.agent_hours(interval_minutes),
            peak_agents_required: r.agents_required().into_iter().max().unwrap_or(0),
            service_level: (volume > 0.0).then(|| weighted / volume),
        }
    }
}
