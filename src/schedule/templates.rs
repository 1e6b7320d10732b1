//! Shift templates: which shifts a plan may use and what they cost. Read from TOML
//! (`--shifts shifts.toml`), with a built-in default.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Result, WfmError};

/// An unpaid break inside every shift of at least `min_shift_hours`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakRule {
    pub minutes: u32,
    /// Shifts shorter than this have no break.
    #[serde(default = "default_break_min_shift_hours")]
    pub min_shift_hours: f64,
    /// Earliest start of the break after the shift starts.
    pub earliest_after_start_minutes: u32,
    /// Latest start of the break after the shift starts.
    pub latest_after_start_minutes: u32,
    /// Step between the break starts the plan may choose from.
    #[serde(default = "default_break_step")]
    pub step_minutes: u32,
}

fn default_break_min_shift_hours() -> f64 {
    6.0
}

fn default_break_step() -> u32 {
    60
}

/// Costs of the objective.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Costs {
    /// Cost of one paid hour (any unit; only ratios matter).
    pub paid_hour: f64,
    /// Extra share of `paid_hour` for hours between `night_start` and `night_end`.
    pub night_premium: f64,
    pub night_start_hour: u32,
    pub night_end_hour: u32,
    /// Cost of one missing agent for one interval (only with soft coverage).
    pub under_staffing_per_interval: f64,
    /// Cost of one agent more than required for one interval.
    pub over_staffing_per_interval: f64,
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            paid_hour: 1.0,
            night_premium: 0.0,
            night_start_hour: 22,
            night_end_hour: 6,
            under_staffing_per_interval: 10.0,
            over_staffing_per_interval: 0.0,
        }
    }
}

/// The shifts a plan may use.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftTemplates {
    /// Shift lengths in hours, breaks included.
    pub lengths_hours: Vec<f64>,
    /// Shifts start on multiples of this many minutes.
    #[serde(default = "default_start_step")]
    pub start_step_minutes: u32,
    /// Allowed start windows `["06:00", "14:00"]` (start inclusive, end exclusive; may cross
    /// midnight); empty = any time of day.
    #[serde(default)]
    pub start_windows: Vec<[String; 2]>,
    #[serde(default, rename = "break")]
    pub break_rule: Option<BreakRule>,
    /// Agents on a shift that is used at all (0 = no minimum).
    #[serde(default)]
    pub min_agents_per_shift: u32,
    pub max_agents_per_shift: Option<u32>,
    #[serde(default)]
    pub costs: Costs,
}

fn default_start_step() -> u32 {
    30
}

impl Default for ShiftTemplates {
    /// Starts every 30 minutes at any time of day; lengths 4, 6, 8, 10 and 12 hours; no breaks.
    fn default() -> Self {
        ShiftTemplates {
            lengths_hours: vec![4.0, 6.0, 8.0, 10.0, 12.0],
            start_step_minutes: 30,
            start_windows: Vec::new(),
            break_rule: None,
            min_agents_per_shift: 0,
            max_agents_per_shift: None,
            costs: Costs::default(),
        }
    }
}

/// `HH:MM` → minutes of the day (`24:00` allowed as the end of the day).
pub fn parse_clock(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && h * 60 + m <= 1_440).then_some(h * 60 + m)
}

impl ShiftTemplates {
    pub fn from_toml_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| WfmError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let templates: ShiftTemplates = toml::from_str(&text).map_err(|e| WfmError::Invalid {
            path: path.to_path_buf(),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        templates
            .validate(interval_agnostic())
            .map_err(|message| WfmError::Invalid {
                path: path.to_path_buf(),
                message,
            })?;
        Ok(templates)
    }

    /// Checks the templates against an interval length (minutes).
    pub fn validate(&self, interval_minutes: u32) -> std::result::Result<(), String> {
        if self.lengths_hours.is_empty() {
            return Err("lengths_hours: give at least one shift length".into());
        }
        for &h in &self.lengths_hours {
            let minutes = h * 60.0;
            if !(h > 0.0 && h <= 24.0) || (minutes.round() - minutes).abs() > 1e-9 {
                return Err(format!(
                    "lengths_hours: {h} is not a length of whole minutes between 0 and 24 hours"
                ));
            }
            if minutes.round() as u32 % interval_minutes != 0 {
                return Err(format!("lengths_hours: {h} h is not a whole number of {interval_minutes}-minute intervals"));
            }
        }
        if self.start_step_minutes == 0
            || self.start_step_minutes % interval_minutes != 0
            || 1_440 % self.start_step_minutes != 0
        {
            return Err(format!(
                "start_step_minutes: {} must be a multiple of the {interval_minutes}-minute interval that divides a day",
                self.start_step_minutes
            ));
        }
        for [from, to] in &self.start_windows {
            if parse_clock(from).is_none() || parse_clock(to).is_none() {
                return Err(format!(
                    "start_windows: [\"{from}\", \"{to}\"] is not a pair of HH:MM times"
                ));
            }
        }
        if let Some(b) = &self.break_rule {
            if b.minutes == 0 || b.minutes % interval_minutes != 0 {
                return Err(format!("break.minutes: {} must be a positive multiple of the {interval_minutes}-minute interval", b.minutes));
            }
            if b.latest_after_start_minutes < b.earliest_after_start_minutes
                || b.step_minutes == 0
                || b.step_minutes % interval_minutes != 0
                || b.earliest_after_start_minutes % interval_minutes != 0
            {
                return Err(
                    "break: earliest ≤ latest start, on the interval grid, with a positive step"
                        .into(),
                );
            }
        }
        if let Some(max) = self.max_agents_per_shift {
            if max == 0 || max < self.min_agents_per_shift {
                return Err("max_agents_per_shift must be ≥ 1 and ≥ min_agents_per_shift".into());
            }
        }
        let c = &self.costs;
        if c.paid_hour.is_nan()
            || c.paid_hour <= 0.0
            || c.night_premium < 0.0
            || c.under_staffing_per_interval < 0.0
            || c.over_staffing_per_interval < 0.0
        {
            return Err("costs: paid_hour must be > 0 and the other costs ≥ 0".into());
        }
        if c.night_start_hour > 24 || c.night_end_hour > 24 {
            return Err("costs: night hours are between 0 and 24".into());
        }
        Ok(())
    }

    /// Whether a shift may start at this minute of the day.
    pub(crate) fn may_start(&self, minute_of_day: u32) -> bool {
        if minute_of_day % self.start_step_minutes != 0 {
            return false;
        }
        self.start_windows.is_empty()
            || self.start_windows.iter().any(|[from, to]| {
                let (from, to) = (
                    parse_clock(from).unwrap_or(0),
                    parse_clock(to).unwrap_or(1_440),
                );
                if from <= to {
                    minute_of_day >= from && minute_of_day < to
                } else {
                    minute_of_day >= from || minute_of_day < to
                }
            })
    }
}

/// Validation when the interval is not known yet: only checks that need no interval.
fn interval_agnostic() -> u32 {
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_file_and_refuses_unknown_keys() {
        let text = r#"
            lengths_hours = [4, 8, 9]
            start_step_minutes = 60
            start_windows = [["06:00", "12:00"], ["22:00", "02:00"]]
            max_agents_per_shift = 40
            [break]
            minutes = 30
            earliest_after_start_minutes = 180
            latest_after_start_minutes = 300
            [costs]
            night_premium = 0.25
            over_staffing_per_interval = 0.01
        "#;
        let t: ShiftTemplates = toml::from_str(text).unwrap();
        assert_eq!(t.lengths_hours, vec![4.0, 8.0, 9.0]);
        assert_eq!(t.break_rule.as_ref().unwrap().step_minutes, 60);
        assert!(t.validate(30).is_ok());
        assert!(
            t.may_start(6 * 60)
                && !t.may_start(12 * 60)
                && t.may_start(60)
                && !t.may_start(6 * 60 + 30)
        );
        assert!(toml::from_str::<ShiftTemplates>("lengths_hours = [8]\nshift_colour = 3").is_err());
    }

    #[test]
    fn lengths_must_fit_the_interval() {
        let t = ShiftTemplates {
            lengths_hours: vec![8.25],
            ..Default::default()
        };
        assert!(t.validate(15).is_ok());
        assert!(t.validate(30).unwrap_err().contains("8.25"));
    }
}
