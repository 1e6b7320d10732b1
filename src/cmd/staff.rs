//! `wfm staff`: forecast → agents per interval and region.

use anyhow::Result;
use rayon::prelude::*;

use super::{check_outputs, print, targets, Outcome};
use crate::cli::{HandleTimeArg, StaffArgs};
use wfm::data::read_forecast_file;
use wfm::report::staffing_tables::staffing_table;
use wfm::staffing::simulate::{HandleTime, SimOutcome, SimSettings};
use wfm::staffing::stage::{staff, write_simulation_file, StaffingConfig};
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
    let targets = targets(&args.targets)?;
    let config = StaffingConfig {
        targets,
        aht_seconds: args.aht,
        aht_override: args.aht_override,
        min_agents_open: args.min_agents,
        volume_scale: args.volume_scale,
    };
    config.check()?;
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
        HandleTimeArg::Lognormal => {
            if !(args.handle_cv > 0.0 && args.handle_cv.is_finite()) {
                return Err(WfmError::option(
                    "--handle-cv",
                    args.handle_cv.to_string(),
                    "expected a coefficient of variation > 0",
                )
                .into());
            }
            HandleTime::LogNormal { cv: args.handle_cv }
        }
    };
    let forecast = read_forecast_file(&args.forecast)?;
    let interval_seconds = forecast.interval_minutes as f64 * 60.0;
    let requirements = staff(&forecast, &config)?;
    let scaled = &requirements.regions;
    requirements.write(&args.output)?;
    let base = if args.volume_scale != 1.0 {
        Some(
            staff(
                &forecast,
                &StaffingConfig {
                    volume_scale: 1.0,
                    ..config.clone()
                },
            )?
            .regions,
        )
    } else {
        None
    };
    let simulated = match &args.simulate {
        Some(path) => {
            let settings = SimSettings {
                interval_seconds,
                target_answer_seconds: targets.target_answer_seconds,
                patience_seconds: targets.patience_seconds,
                handle_time,
                seed: args.seed,
            };
            // Each region its own stream, derived from the seed: reproducible and independent.
            let outcomes: Vec<Vec<SimOutcome>> = scaled
                .par_iter()
                .enumerate()
                .map(|(k, r)| {
                    let seed = settings.seed.wrapping_add(k as u64);
                    r.simulate(&SimSettings { seed, ..settings })
                })
                .collect();
            write_simulation_file(path, scaled, &outcomes)?;
            Some(outcomes)
        }
        None => None,
    };
    print(&format!(
        "{}\n",
        staffing_table(
            scaled,
            base.as_deref(),
            simulated.as_deref(),
            args.volume_scale,
            forecast.interval_minutes
        )
    ))?;
    Ok(Outcome::Success)
}
