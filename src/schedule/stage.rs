//! The scheduling stage of the pipeline: the agents required per interval in, a staggered shift
//! plan per region out, with the 2/2 12-hour roster sized to the same requirement beside it.

use std::path::PathBuf;

use rayon::prelude::*;

use super::baseline::two_by_two;
pub use super::plans::{plan_service_level, Plans, RegionPlan};
use super::{check_plan, solve, Requirement, ShiftTemplates, SolveOptions};
use crate::error::{Result, WfmError};
use crate::staffing::requirements::{RegionRequirements, Requirements};
use crate::staffing::Targets;

/// What the scheduling stage needs besides the requirement. Filled from flags by
/// `wfm schedule`, or from a TOML table (`[templates]` as in a templates file, `[solve]`
/// `time_limit_seconds`, `mip_gap`, `allow_under`, and `baseline = "08:00"` for a 2/2 roster
/// whose day shift starts then; every key optional, unknown keys refused);
/// [`ScheduleParams::check`] turns it into the [`ScheduleConfig`] the stage takes.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleParams {
    pub templates: ShiftTemplates,
    /// Where the templates came from, for messages (`None`: the default templates).
    #[serde(skip)]
    pub templates_path: Option<PathBuf>,
    pub solve: SolveOptions,
    /// Start of the 2/2 roster's day shift in minutes after midnight (480 = 08:00); `None`
    /// plans no roster.
    #[serde(rename = "baseline", deserialize_with = "day_start_from_text")]
    pub baseline_day_start_minute: Option<u32>,
    /// The targets the service level a plan achieves is measured against (shrinkage takes
    /// agents off the phones).
    pub targets: Targets,
}

/// `"08:00"` → Some(480), `"none"` → None.
fn day_start_from_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<u32>, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(deserializer)?;
    if text == "none" {
        return Ok(None);
    }
    super::templates::parse_clock(&text)
        .filter(|&m| m < 1_440)
        .map(Some)
        .ok_or_else(|| {
            serde::de::Error::custom(format!(
                "baseline = \"{text}\": expected the 2/2 day shift's start as HH:MM, or \"none\""
            ))
        })
}

impl ScheduleParams {
    /// Reads a TOML table.
    pub fn from_toml(text: &str) -> Result<Self> {
        crate::error::parse_toml(text, "schedule config")
    }

    /// Checks what the types cannot, once: the targets, a positive time limit, a gap below 1.
    /// Errors name the key (`solve.mip_gap`). The templates are checked against the
    /// requirement's interval by [`schedule`].
    pub fn check(self) -> Result<ScheduleConfig> {
        self.targets.validate().map_err(WfmError::from)?;
        let solve = &self.solve;
        if !(solve.time_limit_seconds > 0.0 && solve.time_limit_seconds.is_finite()) {
            return Err(WfmError::setting(
                "solve.time_limit_seconds",
                solve.time_limit_seconds.to_string(),
                "expected seconds > 0",
            ));
        }
        if !(0.0..1.0).contains(&solve.mip_gap) {
            return Err(WfmError::setting(
                "solve.mip_gap",
                solve.mip_gap.to_string(),
                "expected a fraction from 0 up to 1, e.g. 0.005 for 0.5 %",
            ));
        }
        Ok(ScheduleConfig { params: self })
    }
}

/// The scheduling stage's config, checked ([`ScheduleParams::check`]).
#[derive(Debug, Clone, Default)]
pub struct ScheduleConfig {
    params: ScheduleParams,
}

impl ScheduleConfig {
    /// The values it was checked from.
    pub fn params(&self) -> &ScheduleParams {
        &self.params
    }
}

impl Requirement {
    /// The agents `region` requires, on its grid of `interval_minutes`: its intervals must
    /// follow one another (a plan covers every one of them).
    pub fn of(region: &RegionRequirements, interval_minutes: u32) -> Result<Requirement> {
        let d = interval_minutes as i64;
        let minutes = &region.minutes;
        if let Some(k) = (1..minutes.len()).find(|&k| minutes[k] - minutes[k - 1] != d) {
            return Err(WfmError::Region {
                region: region.region.clone(),
                message: format!(
                    "the requirement is not one interval after another at {}",
                    crate::time::format_minute(minutes[k])
                ),
            });
        }
        Ok(Requirement {
            region: region.region.clone(),
            start_minute: minutes.first().copied().unwrap_or_default(),
            interval_minutes,
            required: region.agents_required(),
        })
    }
}

/// Plans every region (in parallel). The templates are checked against each region's interval
/// first; a plan that leaves required intervals short is an error (naming the intervals and the
/// rule that blocks them) unless `config.solve.allow_under`.
pub fn schedule(requirements: &Requirements, config: &ScheduleConfig) -> Result<Plans> {
    let config = &config.params;
    let interval_minutes = requirements.interval_minutes;
    config
        .templates
        .validate_from(interval_minutes, config.templates_path.as_deref())?;
    let templates = config.templates.for_interval(interval_minutes);
    let covers: Vec<Requirement> = requirements
        .regions
        .iter()
        .map(|r| Requirement::of(r, interval_minutes))
        .collect::<Result<_>>()?;
    let regions: Vec<RegionPlan> = covers
        .into_par_iter()
        .zip(&requirements.regions)
        .map(|(requirement, staffed)| {
            let plan = solve(&requirement, &templates, &config.solve);
            let baseline = config
                .baseline_day_start_minute
                .map(|day_start| two_by_two(&requirement, day_start));
            let level = |scheduled: &[u32]| {
                plan_service_level(staffed, interval_minutes, scheduled, &config.targets)
            };
            RegionPlan {
                service_level: level(&plan.scheduled),
                baseline_service_level: baseline.as_ref().and_then(|b| level(&b.scheduled)),
                requirement,
                plan,
                baseline,
            }
        })
        .collect();
    for r in &regions {
        check_plan(&r.plan, &r.requirement, config.solve.allow_under)?;
    }
    Ok(Plans { regions })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_config_fills_what_it_names_and_refuses_unknown_keys() {
        let config = ScheduleParams::from_toml(
            "baseline = \"07:00\"\n[solve]\nmip_gap = 0.0\n[templates]\nlengths_hours = [8]\nstart_windows = [[\"06:00\", \"10:00\"]]\n",
        )
        .and_then(ScheduleParams::check)
        .unwrap();
        let config = config.params();
        assert_eq!(config.baseline_day_start_minute, Some(420));
        assert_eq!(config.solve.mip_gap, 0.0);
        assert_eq!(
            config.solve.time_limit_seconds, 60.0,
            "default where not named"
        );
        assert_eq!(config.templates.lengths_hours, vec![8.0]);
        assert_eq!(
            ScheduleParams::from_toml("")
                .unwrap()
                .baseline_day_start_minute,
            None
        );
        for (text, expected) in [
            ("baselines = \"none\"\n", "unknown field `baselines`"),
            (
                "baseline = \"25:00\"\n",
                "expected the 2/2 day shift's start",
            ),
            ("[solve]\nmip_gap = 1.5\n", "solve.mip_gap = 1.5"),
        ] {
            let message = ScheduleParams::from_toml(text)
                .and_then(ScheduleParams::check)
                .unwrap_err()
                .to_string();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }
}
