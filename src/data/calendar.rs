//! The holidays / special-days file: `date,name[,treat_as][,start,end]`.
//!
//! At ingest a special day explains missing rows: its missing intervals (all day, or only
//! between `start` and `end`) are a closure, not a gap. Forecasting uses `treat_as` to forecast
//! the day explicitly.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Result, WfmError};
use crate::time::{self, MINUTES_PER_DAY};

/// How a special day is to be forecast.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TreatAs {
    /// The centre is closed: no demand.
    Closed,
    /// Like this weekday (0 = Monday), e.g. a bank holiday behaves like a Saturday.
    Weekday(u8),
    /// A normal day of its weekday scaled by this factor.
    Scale(f64),
}

/// One row of the holidays file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecialDay {
    pub date: NaiveDate,
    pub name: String,
    pub treat_as: Option<TreatAs>,
    /// Minutes of the day `[start, end)` that the special day covers; the whole day when `None`.
    pub window_minutes: Option<(u16, u16)>,
}

/// The special days of a calendar, indexed by day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Holidays {
    pub days: Vec<SpecialDay>,
    by_day: HashMap<i64, usize>,
}

impl Holidays {
    pub fn new(days: Vec<SpecialDay>) -> Self {
        let by_day = days
            .iter()
            .enumerate()
            .map(|(i, d)| (time::day_from_date(d.date), i))
            .collect();
        Holidays { days, by_day }
    }

    /// Reads a holidays file, naming row and column of anything it cannot use.
    pub fn from_csv(path: &Path) -> Result<Self> {
        let file = super::small_csv::read_small_csv(path)
            .map_err(|e| super::small_csv::expecting_header(e, "date,name,treat_as,start,end"))?;
        let position = |name: &str| file.column(name);
        let date_col = file.require(path, "date", "the holidays file's header")?;
        let name_col = position("name");
        let treat_col = position("treat_as");
        let start_col = position("start");
        let end_col = position("end");

        let mut days = Vec::new();
        let mut row_of: std::collections::HashMap<NaiveDate, usize> = Default::default();
        for (row, record) in file.rows() {
            let field = |col: Option<usize>| col.and_then(|c| record.get(c)).unwrap_or("");
            let bad =
                |column: &str, problem: String| WfmError::bad_value(path, row, column, problem);

            let date_text = field(Some(date_col));
            let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d").map_err(|_| {
                // --time-format reads the history's times, not this file's dates.
                let spreadsheet = if super::read::formats::looks_like_spreadsheet_time(date_text) {
                    "; a holidays file is written year first, whatever --time-format says"
                } else {
                    ""
                };
                bad(
                    "date",
                    format!(
                        "cannot read \"{date_text}\" as a date (expected e.g. 2024-12-25){spreadsheet}"
                    ),
                )
            })?;
            if !crate::limits::YEARS.contains(&chrono::Datelike::year(&date)) {
                return Err(bad(
                    "date",
                    format!("the year of {date} is outside 1900–2200"),
                ));
            }
            if let Some(first) = row_of.insert(date, row) {
                return Err(bad(
                    "date",
                    format!(
                        "{date_text} is listed again (first in row {first}); give each day once"
                    ),
                ));
            }
            let treat_text = field(treat_col);
            let treat_as = if treat_text.is_empty() {
                None
            } else {
                Some(parse_treat_as(treat_text).ok_or_else(|| {
                    bad(
                        "treat_as",
                        format!(
                            "cannot read \"{treat_text}\" (expected closed, a weekday such as Sat, or a factor from 0 to 10 such as 0.5)"
                        ),
                    )
                })?)
            };
            let time_of_day = |column: &str, text: &str, default: u16| -> Result<u16> {
                if text.is_empty() {
                    return Ok(default);
                }
                parse_time_of_day(text).ok_or_else(|| {
                    bad(
                        column,
                        format!("cannot read \"{text}\" as a time of day (expected e.g. 13:00)"),
                    )
                })
            };
            let start = time_of_day("start", field(start_col), 0)?;
            let end = time_of_day("end", field(end_col), MINUTES_PER_DAY as u16)?;
            if start >= end {
                return Err(bad(
                    "end",
                    format!(
                        "end {} is not after start {}",
                        field(end_col),
                        field(start_col)
                    ),
                ));
            }
            let window_minutes =
                (start > 0 || end < MINUTES_PER_DAY as u16).then_some((start, end));
            days.push(SpecialDay {
                date,
                name: field(name_col).to_string(),
                treat_as,
                window_minutes,
            });
        }
        Ok(Holidays::new(days))
    }

    /// The special day on a day number (days since 1970-01-01), if any.
    pub fn on_day(&self, day: i64) -> Option<&SpecialDay> {
        self.by_day.get(&day).map(|&i| &self.days[i])
    }

    /// Whether a wall-clock minute falls inside a special day's window.
    pub fn covers_minute(&self, minute: i64) -> bool {
        let day = time::day_of_minute(minute);
        self.on_day(day).is_some_and(|d| {
            let of_day = (minute - day * MINUTES_PER_DAY) as u16;
            d.window_minutes
                .is_none_or(|(start, end)| of_day >= start && of_day < end)
        })
    }
}

fn parse_treat_as(text: &str) -> Option<TreatAs> {
    let lower = text.to_ascii_lowercase();
    if lower == "closed" {
        return Some(TreatAs::Closed);
    }
    if let Some(day) = time::WEEKDAY_NAMES
        .iter()
        .position(|w| lower.starts_with(&w.to_ascii_lowercase()) && lower.len() >= 3)
    {
        let full = [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ];
        if full[day].starts_with(&lower) {
            return Some(TreatAs::Weekday(day as u8));
        }
    }
    let factor = lower.trim_start_matches('x').parse::<f64>().ok()?;
    // A day scaled beyond ten times its normal volume is a typo, not a forecast.
    (0.0..=MAX_DAY_FACTOR)
        .contains(&factor)
        .then_some(TreatAs::Scale(factor))
}

/// The largest `treat_as` factor.
const MAX_DAY_FACTOR: f64 = 10.0;

/// `HH:MM` (or `24:00` for the end of the day) in minutes.
fn parse_time_of_day(text: &str) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    let minutes = h * 60 + m;
    (m < 60 && minutes <= MINUTES_PER_DAY as u16).then_some(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn treat_as_forms() {
        assert_eq!(parse_treat_as("closed"), Some(TreatAs::Closed));
        assert_eq!(parse_treat_as("Sat"), Some(TreatAs::Weekday(5)));
        assert_eq!(parse_treat_as("sunday"), Some(TreatAs::Weekday(6)));
        assert_eq!(parse_treat_as("0.5"), Some(TreatAs::Scale(0.5)));
        assert_eq!(parse_treat_as("x1.2"), Some(TreatAs::Scale(1.2)));
        assert_eq!(parse_treat_as("soon"), None);
        assert_eq!(parse_treat_as("-1"), None);
    }

    #[test]
    fn partial_day_window_covers_only_its_hours() {
        let date = NaiveDate::from_ymd_opt(2024, 12, 24).unwrap();
        let holidays = Holidays::new(vec![SpecialDay {
            date,
            name: "Christmas Eve".into(),
            treat_as: None,
            window_minutes: Some((13 * 60, 24 * 60)),
        }]);
        let midnight = time::day_from_date(date) * MINUTES_PER_DAY;
        assert!(!holidays.covers_minute(midnight + 12 * 60 + 30));
        assert!(holidays.covers_minute(midnight + 13 * 60));
        assert!(holidays.covers_minute(midnight + 23 * 60 + 30));
        assert!(!holidays.covers_minute(midnight + 24 * 60 + 30));
    }

    #[test]
    fn reads_file_and_names_bad_row() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("h.csv");
        std::fs::write(&good, "date,name,treat_as,start,end\n2024-12-25,Christmas,closed,,\n2024-12-24,Eve,,13:00,24:00\n").unwrap();
        let h = Holidays::from_csv(&good).unwrap();
        assert_eq!(h.days.len(), 2);
        assert_eq!(h.days[1].window_minutes, Some((780, 1440)));
        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, "date,name\n2024-12-25,Christmas\n2024-13-01,Nope\n").unwrap();
        let message = Holidays::from_csv(&bad).unwrap_err().to_string();
        assert!(message.contains("row 3, column \"date\""), "{message}");
    }
}
