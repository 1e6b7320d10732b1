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
