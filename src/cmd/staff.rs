//! `wfm staff`: forecast → agents per interval and region.

use anyhow::Result;
use comfy_table::{Cell, Table};
use rayon::prelude::*;

use super::{print, targets, Outcome};
use crate::cli::{HandleTimeArg, StaffArgs};
use wfm::data::csv_out::write_csv;
use wfm::data::read_forecast_file;
use wfm::report::table::{new_table, right};
use wfm::staffing::simulate::{simulate, HandleTime, SimInterval, SimOutcome, SimSettings};
use wfm::staffing::stage::{staff, RegionRequirements, StaffingConfig};
use wfm::time;
use wfm::WfmError;

pub fn run(args: StaffArgs) -> Result<Outcome> {
    let targets = targets(&args.targets)?;
    let config = StaffingConfig {
        targets,
        aht_seconds: args.aht,
        aht_override: args.aht_override,
        min_agents_open: args.min_agents,
        volume_scale: args.volume_scale,
    };
    config.check()?;
    let forecast = read_forecast_file(&args.forecast)?;
    let interval_seconds = forecast.interval_minutes as f64 * 60.0;
    let requirements = staff(&forecast, &config)?;
    let scaled = &requirements.regions;
    requirements.write(&args.output)?;
    eprintln!("wrote {}", args.output.display());
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
                    simulate_region(r, &SimSettings { seed, ..settings })
                })
                .collect();
            write_simulation(path, scaled, &outcomes)?;
            eprintln!("wrote {}", path.display());
            Some(outcomes)
        }
        None => None,
    };
    print(&format!(
        "{}\n",
        summary_table(
            scaled,
            base.as_deref(),
            simulated.as_deref(),
            args.volume_scale,
            forecast.interval_minutes
        )
    ))?;
    Ok(Outcome::Success)
}

fn summary_table(
    regions: &[RegionRequirements],
    base: Option<&[RegionRequirements]>,
    simulated: Option<&[Vec<SimOutcome>]>,
    scale: f64,
    interval_minutes: u32,
) -> Table {
    let mut header = vec![
        "region".to_string(),
        "peak agents".into(),
        "peak interval".into(),
        "agent-hours / day".into(),
        "agent-hours".into(),
        "average occupancy".into(),
    ];
    if base.is_some() {
        header.push(format!("agent-hours vs 1× volume (volume ×{scale})"));
    }
    if simulated.is_some() {
        header.push("Erlang SL".into());
        header.push("simulated SL".into());
        header.push("simulated abandoned".into());
    }
    let mut table = new_table(header);
    for (k, r) in regions.iter().enumerate() {
        let peak = (0..r.staffing.len()).max_by_key(|&i| r.staffing[i].agents_required);
        let hours = r.agent_hours(interval_minutes);
        let days = r
            .minutes
            .iter()
            .map(|&m| time::day_of_minute(m))
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            .max(1);
        // Occupancy over the whole horizon: Erlangs handled per agent on the phones.
        let (load, agents) = r.staffing.iter().fold((0.0, 0.0), |(l, a), s| {
            (
                l + s.occupancy * s.agents_raw as f64,
                a + s.agents_raw as f64,
            )
        });
        let mut row = vec![
            Cell::new(&r.region),
            right(peak.map_or("-".into(), |i| r.staffing[i].agents_required.to_string())),
            Cell::new(peak.map_or("-".into(), |i| {
                time::naive_from_minutes(r.minutes[i])
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })),
            right(format!("{:.1}", hours / days as f64)),
            right(format!("{hours:.1}")),
            right(if agents > 0.0 {
                format!("{:.1} %", load / agents * 100.0)
            } else {
                "-".into()
            }),
        ];
        if let Some(base) = base {
            let base_hours = base[k].agent_hours(interval_minutes);
            row.push(right(if base_hours > 0.0 {
                format!("×{:.2} ({base_hours:.1} → {hours:.1})", hours / base_hours)
            } else {
                "-".into()
            }));
        }
        if let Some(sims) = simulated {
            // Expected SL weighted by contacts, against what the simulation achieved.
            let (weighted, volume) = r
                .staffing
                .iter()
                .zip(&r.contacts)
                .fold((0.0, 0.0), |(s, v), (st, c)| {
                    (s + st.service_level * c, v + c)
                });
            let mut total = SimOutcome::default();
            for o in &sims[k] {
                total.add(o);
            }
            row.push(right(if volume > 0.0 {
                format!("{:.1} %", weighted / volume * 100.0)
            } else {
                "-".into()
            }));
            row.push(right(format!("{:.1} %", total.service_level() * 100.0)));
            row.push(right(format!("{:.1} %", total.abandon_rate() * 100.0)));
        }
        table.add_row(row);
    }
    table
}

/// Simulates one region's horizon with its raw agents (the intervals back to back).
fn simulate_region(r: &RegionRequirements, settings: &SimSettings) -> Vec<SimOutcome> {
    let intervals: Vec<SimInterval> = (0..r.minutes.len())
        .map(|i| SimInterval {
            contacts: r.contacts[i],
            aht_seconds: r.aht_seconds[i],
            agents: r.staffing[i].agents_raw,
        })
        .collect();
    simulate(&intervals, settings)
}

fn write_simulation(
    path: &std::path::Path,
    regions: &[RegionRequirements],
    outcomes: &[Vec<SimOutcome>],
) -> Result<(), WfmError> {
    let header = [
        "timestamp",
        "region",
        "agents",
        "offered",
        "answered",
        "abandoned",
        "service_level",
        "asa_seconds",
        "abandon_rate",
        "erlang_service_level",
    ];
    write_csv(path, &header, |rows| {
        for (r, sims) in regions.iter().zip(outcomes) {
            for (i, o) in sims.iter().enumerate() {
                rows.value(time::format_minute(r.minutes[i]))?;
                rows.text(&r.region)?;
                rows.value(r.staffing[i].agents_raw)?;
                rows.value(o.offered)?;
                rows.value(o.answered)?;
                rows.value(o.abandoned)?;
                rows.number(o.service_level(), 4)?;
                rows.number(o.asa_seconds(), 2)?;
                rows.number(o.abandon_rate(), 4)?;
                rows.number(r.staffing[i].service_level, 4)?;
                rows.end_row()?;
            }
        }
        Ok(())
    })
}
