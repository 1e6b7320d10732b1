//! Shift templates: which shifts a plan may use and what they cost. Read from TOML
//! (`--shifts shifts.toml`), with a built-in default.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Result, WfmError};
use crate::time::IntervalLength;

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

/// The largest cost (or night premium) a template may set.
pub const MAX_COST: f64 = 1e6;

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
    /// Shifts start on multiples of this many minutes; by default every 30 minutes, or every
    /// interval when intervals are longer (hourly requirements start shifts on the hour).
    #[serde(default)]
    pub start_step_minutes: Option<u32>,
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

/// The start step when the templates do not set one: 30 minutes, or the least multiple of the
/// interval that is also a multiple of 30 minutes (60 for hourly intervals, 90 for 45-minute
/// ones). It divides a day whenever the interval does.
pub fn default_start_step(interval_minutes: u32) -> u32 {
    let interval = interval_minutes.max(1);
    let (mut a, mut b) = (30, interval);
    while b != 0 {
        (a, b) = (b, a % b);
    }
    30 / a * interval
}

impl Default for ShiftTemplates {
    /// Starts every 30 minutes (every interval when intervals are longer) at any time of day;
    /// lengths 4, 6, 8, 10 and 12 hours; no breaks.
    fn default() -> Self {
        ShiftTemplates {
            lengths_hours: vec![4.0, 6.0, 8.0, 10.0, 12.0],
            start_step_minutes: None,
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
        let text = std::fs::read_to_string(path).map_err(|error| WfmError::Open {
            path: path.to_path_buf(),
            error,
        })?;
        let templates: ShiftTemplates = crate::error::parse_toml(&text, path)?;
        templates
            .validate(interval_agnostic())
            .map_err(|message| WfmError::Invalid {
                path: path.to_path_buf(),
                message,
            })?;
        Ok(templates)
    }

    /// Checks the templates against an interval length (minutes): every template must allow
    /// at least one shift, and every shift must lie on the interval grid. The message names
    /// the key, its value and what is expected.
    /// [`ShiftTemplates::validate`] as an error naming where the templates came from (`None`:
    /// the default templates).
    pub fn validate_from(&self, interval_minutes: u32, path: Option<&Path>) -> Result<()> {
        self.validate(interval_minutes)
            .map_err(|message| WfmError::Invalid {
                path: path.map_or_else(|| "the default shift templates".into(), Path::to_path_buf),
                message,
            })
    }

    pub fn validate(&self, interval_minutes: u32) -> std::result::Result<(), String> {
        let on_grid = if interval_minutes > 1 {
            format!(" and is a multiple of the {interval_minutes}-minute interval")
        } else {
            String::new()
        };
        if self.lengths_hours.is_empty() {
            return Err("lengths_hours = []: expected at least one shift length in hours".into());
        }
        for &h in &self.lengths_hours {
            let minutes = h * 60.0;
            if !(h > 0.0 && h <= 24.0) || (minutes.round() - minutes).abs() > 1e-9 {
                return Err(format!(
                    "lengths_hours = {h}: expected a length of whole minutes, more than 0 and at most 24 hours"
                ));
            }
            if minutes.round() as u32 % interval_minutes != 0 {
                return Err(format!(
                    "lengths_hours = {h}: {h} h is not a whole number of {interval_minutes}-minute intervals"
                ));
            }
        }
        let step = self
            .start_step_minutes
            .unwrap_or_else(|| default_start_step(interval_minutes));
        if IntervalLength::new(step as i64).is_none() || step % interval_minutes != 0 {
            return Err(format!(
                "start_step_minutes = {step}: expected a number of minutes that divides a day{on_grid}"
            ));
        }
        for (i, [from, to]) in self.start_windows.iter().enumerate() {
            let key = format!("start_windows[{i}] = [\"{from}\", \"{to}\"]");
            let (Some(start), Some(end)) = (parse_clock(from), parse_clock(to)) else {
                return Err(format!("{key}: expected a pair of HH:MM times"));
            };
            if start == 1_440 {
                return Err(format!(
                    "{key}: a window starts from 00:00 to 23:59 (24:00 is only an end)"
                ));
            }
            if start == end {
                return Err(format!(
                    "{key}: an empty window: its start is inclusive and its end exclusive, so it \
                     allows no start; expected an end after the start (e.g. [\"{from}\", \"{}\"]), \
                     or before it for a window that crosses midnight",
                    clock((start + step) % 1_440)
                ));
            }
            if !(0..1_440)
                .step_by(step as usize)
                .any(|m| in_window(m, start, end))
            {
                return Err(format!(
                    "{key}: no start on the {step}-minute step (start_step_minutes) falls in this \
                     window (start inclusive, end exclusive)"
                ));
            }
        }
        if let Some(b) = &self.break_rule {
            if b.minutes == 0 || b.minutes % interval_minutes != 0 {
                return Err(format!(
                    "break.minutes = {}: expected a positive number of minutes{on_grid}",
                    b.minutes
                ));
            }
            if !(b.min_shift_hours >= 0.0 && b.min_shift_hours.is_finite()) {
                return Err(format!(
                    "break.min_shift_hours = {}: expected hours ≥ 0",
                    b.min_shift_hours
                ));
            }
            if b.step_minutes == 0 || b.step_minutes % interval_minutes != 0 {
                return Err(format!(
                    "break.step_minutes = {}: expected a positive number of minutes{on_grid}",
                    b.step_minutes
                ));
            }
            if b.earliest_after_start_minutes % interval_minutes != 0 {
                return Err(format!(
                    "break.earliest_after_start_minutes = {}: expected a number of minutes{}",
                    b.earliest_after_start_minutes,
                    on_grid.replacen(" and is", " that is", 1)
                ));
            }
            if b.latest_after_start_minutes < b.earliest_after_start_minutes {
                return Err(format!(
                    "break.latest_after_start_minutes = {}: expected at least \
                     earliest_after_start_minutes ({})",
                    b.latest_after_start_minutes, b.earliest_after_start_minutes
                ));
            }
            for &h in &self.lengths_hours {
                if h < b.min_shift_hours {
                    continue;
                }
                let length = (h * 60.0).round() as u32;
                if b.minutes >= length {
                    return Err(format!(
                        "break.minutes = {}: the break is as long as or longer than the {h} h \
                         shift it falls in (lengths_hours = {h}, break.min_shift_hours = {}); \
                         expected a break shorter than the shift",
                        b.minutes, b.min_shift_hours
                    ));
                }
                if b.earliest_after_start_minutes + b.minutes > length {
                    return Err(format!(
                        "break.earliest_after_start_minutes = {}: a {}-minute break that starts \
                         then ends after the {h} h shift (lengths_hours = {h}, \
                         break.min_shift_hours = {}); expected at most {} minutes after the start",
                        b.earliest_after_start_minutes,
                        b.minutes,
                        b.min_shift_hours,
                        length - b.minutes
                    ));
                }
            }
        }
        if let Some(max) = self.max_agents_per_shift {
            if max == 0 || max < self.min_agents_per_shift {
                return Err(format!(
                    "max_agents_per_shift = {max}: expected at least 1 and at least \
                     min_agents_per_shift ({})",
                    self.min_agents_per_shift
                ));
            }
        }
        let c = &self.costs;
        // Costs only matter as ratios; beyond a million the solver's arithmetic (double
        // precision, tolerances of 1e-9) can no longer tell plans apart, and inf is no cost.
        for (name, value, above_zero) in [
            ("paid_hour", c.paid_hour, true),
            ("night_premium", c.night_premium, false),
            (
                "under_staffing_per_interval",
                c.under_staffing_per_interval,
                false,
            ),
            (
                "over_staffing_per_interval",
                c.over_staffing_per_interval,
                false,
            ),
        ] {
            let in_range = value.is_finite()
                && value <= MAX_COST
                && if above_zero {
                    value > 0.0
                } else {
                    value >= 0.0
                };
            if !in_range {
                let shown = if value.is_finite() && value.abs() >= 1e7 {
                    format!("{value:e}")
                } else {
                    value.to_string()
                };
                return Err(format!(
                    "costs.{name} = {shown}: expected a number {} and at most 1,000,000",
                    if above_zero { "above 0" } else { "from 0" }
                ));
            }
        }
        if c.night_start_hour > 24 || c.night_end_hour > 24 {
            return Err("costs: expected night_start_hour and night_end_hour from 0 to 24".into());
        }
        Ok(())
    }

    /// The templates as they apply to requirements of this interval length: the start step
    /// set (see [`default_start_step`]) when the templates leave it out.
    pub fn for_interval(&self, interval_minutes: u32) -> ShiftTemplates {
        ShiftTemplates {
            start_step_minutes: Some(
                self.start_step_minutes
                    .unwrap_or_else(|| default_start_step(interval_minutes)),
            ),
            ..self.clone()
        }
    }

    /// Minutes between allowed starts (30 when neither the templates nor
    /// [`ShiftTemplates::for_interval`] set it).
    pub fn start_step(&self) -> u32 {
        self.start_step_minutes.unwrap_or(30)
    }

    /// Whether a shift may start at this minute of the day.
    pub(crate) fn may_start(&self, minute_of_day: u32) -> bool {
        if minute_of_day % self.start_step() != 0 {
            return false;
        }
        self.start_windows.is_empty()
            || self.start_windows.iter().any(|[from, to]| {
                in_window(
                    minute_of_day,
                    parse_clock(from).unwrap_or(0),
                    parse_clock(to).unwrap_or(1_440),
                )
            })
    }

    /// The start windows as people write them, `08:00–12:00, 22:00–02:00`, or `at any time`.
    pub(crate) fn describe_windows(&self) -> String {
        if self.start_windows.is_empty() {
            return "at any time".into();
        }
        self.start_windows
            .iter()
            .map(|[from, to]| format!("{}–{}", from.trim(), to.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether a minute of the day is in the window `[start, end)`; a window whose end comes
/// before its start crosses midnight.
fn in_window(minute_of_day: u32, start: u32, end: u32) -> bool {
    if start <= end {
        minute_of_day >= start && minute_of_day < end
    } else {
        minute_of_day >= start || minute_of_day < end
    }
}

/// Minutes of the day → `HH:MM`.
fn clock(minute_of_day: u32) -> String {
    format!("{:02}:{:02}", minute_of_day / 60, minute_of_day % 60)
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

    fn refusal(toml_text: &str, interval_minutes: u32) -> String {
        let t: ShiftTemplates = toml::from_str(toml_text).unwrap();
        t.validate(interval_minutes).unwrap_err()
    }

    #[test]
    fn an_empty_start_window_is_refused() {
        let message = refusal(
            "lengths_hours = [8]\nstart_windows = [[\"06:00\", \"14:00\"], [\"07:00\", \"07:00\"]]",
            1,
        );
        assert!(
            message.starts_with("start_windows[1] = [\"07:00\", \"07:00\"]: an empty window")
                && message.contains("end exclusive"),
            "{message}"
        );
    }

    #[test]
    fn a_window_with_no_start_on_the_step_is_refused() {
        let message = refusal(
            "lengths_hours = [8]\nstart_step_minutes = 60\nstart_windows = [[\"07:10\", \"07:50\"]]",
            30,
        );
        assert!(
            message.contains("no start on the 60-minute step"),
            "{message}"
        );
    }

    #[test]
    fn windows_may_cross_midnight_or_span_the_whole_day() {
        let t: ShiftTemplates = toml::from_str(
            "lengths_hours = [8]\nstart_windows = [[\"22:00\", \"02:00\"], [\"00:00\", \"24:00\"]]",
        )
        .unwrap();
        assert!(t.validate(30).is_ok());
        let night: ShiftTemplates =
            toml::from_str("lengths_hours = [8]\nstart_windows = [[\"22:00\", \"02:00\"]]")
                .unwrap();
        assert!(night.may_start(22 * 60) && night.may_start(90) && !night.may_start(120));
        assert!(t.may_start(23 * 60 + 30));
    }

    #[test]
    fn shift_lengths_of_zero_or_over_a_day_are_refused() {
        for bad in ["0", "24.5", "-4"] {
            let message = refusal(&format!("lengths_hours = [8, {bad}]"), 30);
            assert!(
                message.starts_with(&format!("lengths_hours = {bad}: expected a length")),
                "{message}"
            );
        }
        assert!(toml::from_str::<ShiftTemplates>("lengths_hours = [24]")
            .unwrap()
            .validate(30)
            .is_ok());
    }

    #[test]
    fn the_start_step_must_divide_the_day_on_the_interval_grid() {
        assert_eq!(
            refusal("lengths_hours = [8]\nstart_step_minutes = 7", 1),
            "start_step_minutes = 7: expected a number of minutes that divides a day"
        );
        assert_eq!(
            refusal("lengths_hours = [8]\nstart_step_minutes = 15", 30),
            "start_step_minutes = 15: expected a number of minutes that divides a day and is \
             a multiple of the 30-minute interval"
        );
        assert!(refusal("lengths_hours = [8]\nstart_step_minutes = 0", 1).contains("= 0"));
    }

    #[test]
    fn a_break_that_cannot_fit_in_the_shift_is_refused() {
        let longer = refusal(
            "lengths_hours = [6]\n[break]\nminutes = 420\nearliest_after_start_minutes = 0\n\
             latest_after_start_minutes = 60",
            1,
        );
        assert!(
            longer.starts_with(
                "break.minutes = 420: the break is as long as or longer than the 6 h shift"
            ),
            "{longer}"
        );
        let late = refusal(
            "lengths_hours = [4, 6]\n[break]\nminutes = 30\nearliest_after_start_minutes = 360\n\
             latest_after_start_minutes = 400",
            30,
        );
        assert!(
            late.starts_with("break.earliest_after_start_minutes = 360: a 30-minute break")
                && late.contains("expected at most 330 minutes after the start"),
            "{late}"
        );
        // A 4-hour shift is under min_shift_hours: no break, nothing to fit.
        let t: ShiftTemplates = toml::from_str(
            "lengths_hours = [4, 8]\n[break]\nminutes = 30\nearliest_after_start_minutes = 300\n\
             latest_after_start_minutes = 420",
        )
        .unwrap();
        assert!(t.validate(30).is_ok());
    }
}
