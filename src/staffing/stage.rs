//! The staffing stage of the pipeline: a forecast in, the agents every interval of every region
//! needs out.

use rayon::prelude::*;

pub use super::requirements::{RegionRequirements, Requirements};
use super::simulate::{simulate, SimInterval, SimOutcome, SimSettings};
use super::{required, Load, Staffing, Targets};
use crate::data::csv_out::write_csv;
use crate::error::{Result, WfmError};
use crate::forecast::forecasts::{Forecasts, RegionForecast};

/// What the staffing stage needs besides the forecast, as given: filled from flags by
/// `wfm staff`, or from a TOML table (every key optional, unknown keys refused).
/// [`StaffingParams::check`] turns it into the [`StaffingConfig`] the stage takes.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StaffingParams {
    pub targets: Targets,
    /// Handle time in seconds where the forecast has none (or everywhere, with `aht_override`).
    pub aht_seconds: Option<f64>,
    /// Use `aht_seconds` even where the forecast has an AHT.
    pub aht_override: bool,
    /// Agents every open interval gets at least, however small its forecast.
    pub min_agents_open: u32,
    /// Multiplies every forecast (2.0: what if volume doubles).
    pub volume_scale: f64,
}

impl Default for StaffingParams {
    fn default() -> Self {
        StaffingParams::new(Targets::default())
    }
}

impl StaffingParams {
    /// Reads a TOML table such as `aht_seconds = 180` / `[targets]` `shrinkage = 0.3`.
    pub fn from_toml(text: &str) -> Result<Self> {
        crate::error::parse_toml(text, "staffing config")
    }

    /// Params for `targets`, with no AHT default, no minimum and volume as forecast.
    pub fn new(targets: Targets) -> Self {
        StaffingParams {
            targets,
            aht_seconds: None,
            aht_override: false,
            min_agents_open: 0,
            volume_scale: 1.0,
        }
    }

    /// With a handle time where the forecast has none.
    pub fn aht(mut self, seconds: f64) -> Self {
        self.aht_seconds = Some(seconds);
        self
    }

    /// Checks the targets and every value once: a config that exists is valid. Errors name the
    /// key (`volume_scale`, `targets.shrinkage`).
    pub fn check(self) -> Result<StaffingConfig> {
        self.targets.validate().map_err(WfmError::from)?;
        if !(0.0..=1e6).contains(&self.volume_scale) {
            let expected = match self.volume_scale >= 0.0 && self.volume_scale.is_finite() {
                true => "expected a factor from 0 to 1,000,000",
                false => "expected a factor ≥ 0",
            };
            let value = self.volume_scale.to_string();
            return Err(WfmError::setting("volume_scale", value, expected));
        }
        if self.min_agents_open > crate::limits::MAX_AGENTS {
            let value = self.min_agents_open.to_string();
            let expected = "expected at most 1,000,000 agents";
            return Err(WfmError::setting("min_agents_open", value, expected));
        }
        if let Some(aht) = self
            .aht_seconds
            .filter(|aht| !(*aht > 0.0 && aht.is_finite()))
        {
            let expected = "expected seconds > 0";
            return Err(WfmError::setting("aht_seconds", aht.to_string(), expected));
        }
        Ok(StaffingConfig { params: self })
    }
}

/// The staffing stage's config, checked ([`StaffingParams::check`]); the default's values are
/// valid.
#[derive(Debug, Clone, Default)]
pub struct StaffingConfig {
    params: StaffingParams,
}

impl StaffingConfig {
    /// The values it was checked from.
    pub fn params(&self) -> &StaffingParams {
        &self.params
    }
}

impl RegionRequirements {
    /// Simulates one region's horizon with its raw agents (the intervals back to back).
    pub fn simulate(&self, settings: &SimSettings) -> Vec<SimOutcome> {
        let intervals: Vec<SimInterval> = (0..self.minutes.len())
            .map(|i| SimInterval {
                contacts: self.contacts[i],
                aht_seconds: self.aht_seconds[i],
                agents: self.staffing[i].agents_raw,
            })
            .collect();
        simulate(&intervals, settings)
    }
}

impl Requirements {
    /// Simulates every region's horizon with its raw agents (in parallel); each region draws
    /// its own stream, derived from `settings.seed` and its place, so a run is reproducible
    /// and the regions are independent.
    pub fn simulate(&self, settings: &SimSettings) -> Vec<Vec<SimOutcome>> {
        self.regions
            .par_iter()
            .enumerate()
            .map(|(k, r)| {
                let seed = settings.seed.wrapping_add(k as u64);
                r.simulate(&SimSettings { seed, ..*settings })
            })
            .collect()
    }
}

/// The requirements at the configured volume and, when it is scaled, at the forecast's own
/// volume too (the growth scenario's baseline).
#[derive(Debug, Clone)]
pub struct Scenario {
    pub requirements: Requirements,
    /// At ×1, when `volume_scale` is not 1.
    pub base: Option<Requirements>,
}

/// [`staff`] at the configured volume, and at the forecast's own when it is scaled.
pub fn staff_scenario(forecast: &Forecasts, config: &StaffingConfig) -> Result<Scenario> {
    let requirements = staff(forecast, config)?;
    let base = if config.params.volume_scale != 1.0 {
        // The same checked values at ×1.
        let params = StaffingParams {
            volume_scale: 1.0,
            ..config.params.clone()
        };
        Some(staff(forecast, &StaffingConfig { params })?)
    } else {
        None
    };
    Ok(Scenario { requirements, base })
}

/// Writes the simulation of `wfm staff --simulate`: per interval the agents, what the simulated
/// queue offered, answered and lost, and Erlang's service level beside the simulated one.
pub fn write_simulation_file(
    path: &std::path::Path,
    regions: &[RegionRequirements],
    outcomes: &[Vec<SimOutcome>],
) -> Result<()> {
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
                rows.minute(r.minutes[i])?;
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

/// Staffs every interval of every region of `forecast` (in parallel): Erlang C (or A, with a
/// patience in the targets) for the scaled forecast, shrinkage and the occupancy cap, and at
/// least `min_agents_open` in every interval that is open (a forecast or a band above 0).
pub fn staff(forecast: &Forecasts, config: &StaffingConfig) -> Result<Requirements> {
    let config = &config.params;
    let interval_seconds = forecast.interval_minutes as f64 * 60.0;
    let regions = forecast
        .regions
        .par_iter()
        .map(|f| staff_region(forecast, f, config, interval_seconds))
        .collect::<Result<_>>()?;
    Ok(Requirements {
        interval_minutes: forecast.interval_minutes,
        path: None,
        regions,
    })
}

/// Intervals one task staffs in a row: big enough that rayon's overhead vanishes, small enough
/// that a single region of a million intervals keeps both cores busy (the unit tests use runs of
/// 3, so that their small forecasts are split too).
const INTERVALS_PER_TASK: usize = if cfg!(test) { 3 } else { 8_192 };

fn staff_region(
    forecasts: &Forecasts,
    f: &RegionForecast,
    config: &StaffingParams,
    interval_seconds: f64,
) -> Result<RegionRequirements> {
    let n = f.len();
    let unset = Staffing {
        intensity: 0.0,
        agents_raw: 0,
        agents_required: 0,
        service_level: 0.0,
        asa_seconds: 0.0,
        occupancy: 0.0,
        waiting_probability: 0.0,
        abandon_rate: None,
    };
    let mut out = RegionRequirements {
        region: f.region.clone(),
        minutes: f.minutes.clone(),
        contacts: vec![0.0; n],
        aht_seconds: vec![0.0; n],
        staffing: vec![unset; n],
        rows: Vec::new(),
    };
    // Runs of intervals in parallel, each in order, each written in place; the first error of
    // the first failing run is the error of the first failing interval, as a serial loop would
    // report it.
    let runs: Vec<Result<()>> = out
        .contacts
        .par_chunks_mut(INTERVALS_PER_TASK)
        .zip(out.aht_seconds.par_chunks_mut(INTERVALS_PER_TASK))
        .zip(out.staffing.par_chunks_mut(INTERVALS_PER_TASK))
        .enumerate()
        .map(|(k, ((contacts, aht_seconds), staffing))| {
            let start = k * INTERVALS_PER_TASK;
            for (j, ((contacts, aht_seconds), staffing)) in contacts
                .iter_mut()
                .zip(aht_seconds.iter_mut())
                .zip(staffing.iter_mut())
                .enumerate()
            {
                (*contacts, *aht_seconds, *staffing) =
                    staff_interval(forecasts, f, config, interval_seconds, start + j)?;
            }
            Ok(())
        })
        .collect();
    runs.into_iter().collect::<Result<()>>()?;
    Ok(out)
}

/// The offered contacts, the handle time and the staffing of interval `i` of a region.
fn staff_interval(
    forecasts: &Forecasts,
    f: &RegionForecast,
    config: &StaffingParams,
    interval_seconds: f64,
    i: usize,
) -> Result<(f64, f64, Staffing)> {
    let from_file = f
        .aht_seconds
        .as_ref()
        .map(|a| a[i])
        .filter(|a| a.is_finite() && *a > 0.0);
    let aht = if config.aht_override {
        config.aht_seconds
    } else {
        from_file.or(config.aht_seconds)
    };
    let aht = aht.ok_or_else(|| {
        forecasts.bad_value(
            f,
            i,
            "aht_seconds",
            "no handle time for this interval (pass --aht SECONDS)",
        )
    })?;
    let contacts = f.point[i] * config.volume_scale;
    let load = Load {
        contacts,
        interval_seconds,
        aht_seconds: aht,
    };
    let mut s = required(&load, &config.targets).map_err(|e| {
        // Name the column the bad value came from: the AHT's, or the forecast's.
        let column = match &e {
            crate::staffing::StaffingError::OutOfRange { name: "AHT", .. } => "aht_seconds",
            _ => "forecast",
        };
        forecasts.bad_value(f, i, column, e.to_string())
    })?;
    let open = f.point[i] > 0.0 || f.upper[i] > 0.0;
    if open && s.agents_required < config.min_agents_open {
        s.agents_required = config.min_agents_open;
    }
    Ok((contacts, aht, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forecast(aht_seconds: Vec<f64>) -> Forecasts {
        let n = aht_seconds.len();
        Forecasts {
            path: Some("forecast.csv".into()),
            until_minute: None,
            interval_minutes: 30,
            regions: vec![RegionForecast {
                region: "main".into(),
                interval_minutes: 30,
                minutes: (0..n as i64).map(|i| i * 30).collect(),
                point: (0..n).map(|i| (i % 7) as f64 * 10.0).collect(),
                lower: vec![f64::NAN; n],
                upper: vec![f64::NAN; n],
                aht_seconds: Some(aht_seconds),
                rows: (2..n + 2).collect(),
                ..RegionForecast::default()
            }],
        }
    }

    #[test]
    fn intervals_staffed_in_runs_are_in_order_and_the_first_bad_one_is_named() {
        let aht: Vec<f64> = (0..20).map(|i| 150.0 + i as f64 * 10.0).collect();
        let staffed = staff(&forecast(aht.clone()), &StaffingConfig::default()).unwrap();
        let region = &staffed.regions[0];
        assert_eq!(region.aht_seconds, aht);
        for (i, s) in region.staffing.iter().enumerate() {
            let alone = required(
                &Load {
                    contacts: (i % 7) as f64 * 10.0,
                    interval_seconds: 1_800.0,
                    aht_seconds: aht[i],
                },
                &Targets::default(),
            )
            .unwrap();
            assert_eq!(s.agents_required, alone.agents_required, "interval {i}");
        }
        // Unknown handle times in three runs (rows 9, 14 and 20): the first is reported.
        let mut gaps = aht;
        for i in [18, 12, 7] {
            gaps[i] = f64::NAN;
        }
        let error = staff(&forecast(gaps), &StaffingConfig::default())
            .unwrap_err()
            .to_string();
        assert!(error.contains("row 9,"), "{error}");
    }

    #[test]
    fn a_toml_config_fills_what_it_names_and_refuses_unknown_keys() {
        let config = StaffingParams::from_toml(
            "aht_seconds = 180\nmin_agents_open = 2\n[targets]\nshrinkage = 0.3\nmax_occupancy = 0.85\n",
        )
        .and_then(StaffingParams::check)
        .unwrap();
        let config = config.params();
        assert_eq!(config.aht_seconds, Some(180.0));
        assert_eq!(config.min_agents_open, 2);
        assert_eq!(config.targets.shrinkage, 0.3);
        assert_eq!(
            config.targets.service_level,
            Some(0.8),
            "defaults where not named"
        );
        assert_eq!(config.volume_scale, 1.0);
        let unknown = StaffingParams::from_toml("aht = 180\n")
            .unwrap_err()
            .to_string();
        assert!(unknown.contains("unknown field `aht`"), "{unknown}");
        let out_of_range = StaffingParams::from_toml("[targets]\nshrinkage = 1.5\n")
            .and_then(StaffingParams::check)
            .unwrap_err()
            .to_string();
        assert!(
            out_of_range.contains("targets.shrinkage = 1.5"),
            "{out_of_range}"
        );
    }
}
