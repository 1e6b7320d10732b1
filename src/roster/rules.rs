//! The work rules of a roster (`rules.toml`): every key optional, with the defaults stated
//! here and in the README, unknown keys refused, values checked once when read.

use serde::{Deserialize, Serialize};

use crate::error::{Result, WfmError};

/// The most hours a week any contract or rule may state.
pub const MAX_WEEKLY_HOURS: f64 = 80.0;

/// What every agent's week must respect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkRules {
    /// Hours off between the end of one shift and the start of the next (EU working-time
    /// directive: 11).
    pub min_rest_hours: f64,
    /// Working days in a row at most.
    pub max_consecutive_days: u32,
    /// Days off in every calendar week (Monday to Sunday).
    pub min_days_off_per_week: u32,
    /// Days off a week a tour roster may give (4 × 10 h weeks need 3).
    pub max_days_off_per_week: u32,
    /// Prefer the days off of a week next to each other.
    pub consecutive_days_off: bool,
    /// Contracted hours a week for an agent whose file gives none.
    pub contract_hours_per_week: f64,
    /// How far a week's hours may be from the contract, as a share (0.1: ±10 %).
    pub hours_tolerance: f64,
    /// How far apart an agent's shift starts may be within a week, in hours.
    pub start_time_window_hours: f64,
    /// Nights and weekends are shared out evenly across agents.
    pub fair_nights_and_weekends: bool,
    /// A shift that works any time from this hour …
    pub night_start_hour: u32,
    /// … to this hour is a night shift.
    pub night_end_hour: u32,
    /// The most distinct shift types (start × length) the roster may use; none for no cap.
    pub max_shift_types: Option<u32>,
    /// Hours a week every agent is given at least, whether the requirement needs them or not
    /// (their contract is paid anyway); none: each agent's contract. An agent's own
    /// `min_hours_per_week` column comes first. 0 lets the roster leave agents idle.
    pub min_hours_per_week: Option<f64>,
}

impl Default for WorkRules {
    fn default() -> Self {
        WorkRules {
            min_rest_hours: 11.0,
            max_consecutive_days: 5,
            min_days_off_per_week: 2,
            max_days_off_per_week: 3,
            consecutive_days_off: true,
            contract_hours_per_week: 40.0,
            hours_tolerance: 0.1,
            start_time_window_hours: 1.0,
            fair_nights_and_weekends: true,
            night_start_hour: 22,
            night_end_hour: 6,
            max_shift_types: None,
            min_hours_per_week: None,
        }
    }
}

impl WorkRules {
    /// Whether a shift from `start_minute` to `end_minute` works any time from
    /// `night_start_hour` to `night_end_hour` (22:00–06:00 by default): a night for fairness.
    pub fn is_night_shift(&self, start_minute: i64, end_minute: i64) -> bool {
        let (s, e) = (self.night_start_hour as i64, self.night_end_hour as i64);
        let night_hour = |h: i64| {
            if s <= e {
                h >= s && h < e
            } else {
                h >= s || h < e
            }
        };
        // Hour by hour from the start's hour to the last minute's: shifts are at most a day.
        let (first, last) = (start_minute.div_euclid(60), (end_minute - 1).div_euclid(60));
        (first..=last.max(first)).any(|hour| night_hour(hour.rem_euclid(24)))
    }

    /// Reads and checks a rules file's text (`what` names it in messages).
    /// Reads and checks a rules file.
    pub fn from_toml_file(path: &std::path::Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|error| WfmError::Open {
            path: path.to_path_buf(),
            error,
        })?;
        Self::from_toml(&text, path)
    }

    pub fn from_toml(text: &str, what: impl Into<std::path::PathBuf>) -> Result<Self> {
        let what = what.into();
        let rules: WorkRules = crate::error::parse_toml(text, what.clone())?;
        rules.check().map_err(|message| WfmError::Invalid {
            path: what,
            message,
        })?;
        Ok(rules)
    }

    /// Every value in its range; the message names the key, its value and what is expected.
    pub fn check(&self) -> std::result::Result<(), String> {
        let hours = |h: f64| (0.0..=24.0).contains(&h);
        let checks: [(&str, bool, String, &str); 11] = [
            (
                "min_rest_hours",
                hours(self.min_rest_hours),
                self.min_rest_hours.to_string(),
                "hours from 0 to 24",
            ),
            (
                "max_consecutive_days",
                (1..=14).contains(&self.max_consecutive_days),
                self.max_consecutive_days.to_string(),
                "1 to 14 days",
            ),
            (
                "min_days_off_per_week",
                self.min_days_off_per_week <= 6,
                self.min_days_off_per_week.to_string(),
                "0 to 6 days",
            ),
            (
                "max_days_off_per_week",
                (self.min_days_off_per_week..=6).contains(&self.max_days_off_per_week),
                self.max_days_off_per_week.to_string(),
                "days from min_days_off_per_week to 6",
            ),
            (
                "contract_hours_per_week",
                self.contract_hours_per_week > 0.0
                    && self.contract_hours_per_week <= MAX_WEEKLY_HOURS,
                self.contract_hours_per_week.to_string(),
                "hours a week above 0, at most 80",
            ),
            (
                "hours_tolerance",
                (0.0..=1.0).contains(&self.hours_tolerance),
                self.hours_tolerance.to_string(),
                "a share from 0 to 1",
            ),
            (
                "start_time_window_hours",
                hours(self.start_time_window_hours),
                self.start_time_window_hours.to_string(),
                "hours from 0 to 24",
            ),
            (
                "night_start_hour",
                self.night_start_hour <= 23,
                self.night_start_hour.to_string(),
                "an hour from 0 to 23",
            ),
            (
                "night_end_hour",
                self.night_end_hour <= 23,
                self.night_end_hour.to_string(),
                "an hour from 0 to 23",
            ),
            (
                "max_shift_types",
                self.max_shift_types != Some(0),
                "0".into(),
                "at least 1, or no key for no cap",
            ),
            (
                "min_hours_per_week",
                self.min_hours_per_week
                    .is_none_or(|h| (0.0..=MAX_WEEKLY_HOURS).contains(&h)),
                self.min_hours_per_week.unwrap_or_default().to_string(),
                "hours a week from 0 to 80, or no key for each agent's contract",
            ),
        ];
        match checks.into_iter().find(|check| !check.1) {
            Some((key, _, value, expected)) => Err(format!("{key} = {value}: expected {expected}")),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_a_file_leaves_out() {
        let rules =
            WorkRules::from_toml("min_rest_hours = 12\nmax_shift_types = 6\n", "rules.toml")
                .unwrap();
        assert_eq!(rules.min_rest_hours, 12.0);
        assert_eq!(rules.max_shift_types, Some(6));
        assert_eq!(rules.max_consecutive_days, 5);
        assert_eq!(rules.min_days_off_per_week, 2);
        assert_eq!(WorkRules::from_toml("", "r").unwrap(), WorkRules::default());
    }

    #[test]
    fn a_night_is_any_shift_that_works_between_the_night_hours() {
        let rules = WorkRules::default();
        let h = |hour: i64| hour * 60;
        assert!(rules.is_night_shift(h(22), h(30)), "22:00–06:00");
        assert!(
            rules.is_night_shift(h(20), h(32)),
            "20:00–08:00 works 22:00–06:00"
        );
        assert!(
            rules.is_night_shift(h(5), h(13)),
            "05:00–13:00 works 05:00–06:00"
        );
        assert!(!rules.is_night_shift(h(6), h(14)), "06:00–14:00");
        assert!(
            !rules.is_night_shift(h(14), h(22)),
            "ends as the night starts"
        );
        assert!(
            rules.is_night_shift(h(24 * 9 + 1), h(24 * 9 + 9)),
            "any day"
        );
        let day_nights = WorkRules {
            night_start_hour: 0,
            night_end_hour: 5,
            ..Default::default()
        };
        assert!(!day_nights.is_night_shift(h(22), h(24)));
        assert!(day_nights.is_night_shift(h(23), h(25)));
    }

    #[test]
    fn out_of_range_and_unknown_keys_are_refused() {
        for (text, expected) in [
            (
                "min_rest_hours = 30\n",
                "min_rest_hours = 30: expected hours from 0 to 24",
            ),
            ("max_consecutive_days = 0\n", "max_consecutive_days = 0"),
            ("min_days_off_per_week = 7\n", "min_days_off_per_week = 7"),
            (
                "contract_hours_per_week = 100\n",
                "contract_hours_per_week = 100",
            ),
            ("hours_tolerance = 2\n", "hours_tolerance = 2"),
            ("night_start_hour = 24\n", "night_start_hour = 24"),
            ("max_shift_types = 0\n", "max_shift_types = 0"),
            ("rest_hours = 11\n", "unknown field `rest_hours`"),
        ] {
            let message = WorkRules::from_toml(text, "rules.toml")
                .unwrap_err()
                .to_string();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }
}
