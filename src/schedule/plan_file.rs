//! The files of a shift plan: `shifts.csv` (`region,date,start,end,paid_hours,agents,
//! break_start,break_end`, one row per shift start × length × day with its number of agents) and
//! `coverage.csv` (`timestamp,region,required,scheduled,difference`). Their columns are spelt
//! here only, and they are written through the one CSV writer.

use std::path::Path;

use super::{Requirement, ShiftCount};
use crate::data::csv_out::write_csv;
use crate::error::Result;
use crate::time::naive_from_minutes;

/// The columns of `shifts.csv`, in order.
pub const SHIFT_COLUMNS: [&str; 8] = [
    "region",
    "date",
    "start",
    "end",
    "paid_hours",
    "agents",
    "break_start",
    "break_end",
];

/// The columns of `coverage.csv`, in order.
pub const COVERAGE_COLUMNS: [&str; 5] =
    ["timestamp", "region", "required", "scheduled", "difference"];

/// Writes `shifts.csv`: every region's shifts by start, length and break.
pub fn write_shifts_file(path: &Path, plans: &[(&Requirement, &[ShiftCount])]) -> Result<()> {
    write_csv(path, &SHIFT_COLUMNS, |rows| {
        for (req, shifts) in plans {
            let mut sorted: Vec<&ShiftCount> = shifts.iter().collect();
            sorted.sort_by_key(|s| (s.start_minute, s.length_minutes, s.break_start_minute));
            for s in sorted {
                let start = naive_from_minutes(s.start_minute);
                let end = naive_from_minutes(s.start_minute + s.length_minutes as i64);
                rows.text(&req.region)?;
                rows.value(start.format("%Y-%m-%d"))?;
                rows.value(start.format("%H:%M"))?;
                rows.value(end.format("%H:%M"))?;
                rows.number(s.paid_minutes as f64 / 60.0, 2)?;
                rows.value(s.agents)?;
                match s.break_start_minute {
                    Some(b) => {
                        rows.value(naive_from_minutes(b).format("%H:%M"))?;
                        rows.value(naive_from_minutes(b + s.break_minutes as i64).format("%H:%M"))?;
                    }
                    None => {
                        rows.empty()?;
                        rows.empty()?;
                    }
                }
                rows.end_row()?;
            }
        }
        Ok(())
    })
}

/// Writes `coverage.csv`: per interval the agents required, scheduled and the difference.
pub fn write_coverage_file(path: &Path, plans: &[(&Requirement, &[u32])]) -> Result<()> {
    write_csv(path, &COVERAGE_COLUMNS, |rows| {
        for (req, scheduled) in plans {
            for (i, (&required, &on)) in req.required.iter().zip(scheduled.iter()).enumerate() {
                rows.minute(req.minute(i))?;
                rows.text(&req.region)?;
                rows.value(required)?;
                rows.value(on)?;
                rows.value(on as i64 - required as i64)?;
                rows.end_row()?;
            }
        }
        Ok(())
    })
}

/// One row of `shifts.csv`: a shift start × length on one day and how many agents work it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftRow {
    pub region: String,
    /// Wall-clock minute the shift starts.
    pub start_minute: i64,
    /// Wall-clock minute it ends (the next day when `end` is not after `start`).
    pub end_minute: i64,
    pub paid_hours: f64,
    pub agents: u32,
    /// The unpaid break `[start, end)` in wall-clock minutes, if any.
    pub break_minutes: Option<(i64, i64)>,
    /// Row number in the file.
    pub row: usize,
}

/// Reads `shifts.csv` as [`write_shifts_file`] writes it, naming the row and column of
/// anything it cannot use.
pub fn read_shifts_file(path: &Path) -> Result<Vec<ShiftRow>> {
    use crate::error::WfmError;
    let file = crate::data::small_csv::read_small_csv(path)?;
    let mut column = [0usize; 8];
    for (k, name) in SHIFT_COLUMNS.iter().enumerate() {
        column[k] = file.require(
            path,
            name,
            "the shift plan's header (as wfm schedule writes it)",
        )?;
    }
    let mut rows = Vec::new();
    for (row, record) in file.rows() {
        let bad =
            |k: usize, problem: String| WfmError::bad_value(path, row, SHIFT_COLUMNS[k], problem);
        let cell = |k: usize| record.get(column[k]).unwrap_or("");
        let date = chrono::NaiveDate::parse_from_str(cell(1), "%Y-%m-%d")
            .map_err(|_| bad(1, format!("cannot read \"{}\" as a date", cell(1))))?;
        if !crate::limits::YEARS.contains(&chrono::Datelike::year(&date)) {
            return Err(bad(1, format!("the year of {date} is outside 1900–2200")));
        }
        let day = crate::time::minute_of_date(date);
        let clock = |k: usize| {
            super::templates::parse_clock(cell(k))
                .filter(|&m| m < 1_440)
                .ok_or_else(|| bad(k, format!("cannot read \"{}\" as a time HH:MM", cell(k))))
        };
        let start_minute = day + clock(2)? as i64;
        let mut end_minute = day + clock(3)? as i64;
        if end_minute <= start_minute {
            end_minute += 1_440;
        }
        let paid_hours: f64 = cell(4)
            .parse()
            .ok()
            .filter(|h: &f64| *h > 0.0 && *h <= 24.0)
            .ok_or_else(|| {
                bad(
                    4,
                    format!(
                        "cannot use \"{}\" (expected hours above 0, at most 24)",
                        cell(4)
                    ),
                )
            })?;
        let agents: u32 = cell(5)
            .parse()
            .ok()
            .filter(|a| *a <= crate::limits::MAX_AGENTS)
            .ok_or_else(|| {
                bad(
                    5,
                    format!(
                        "cannot use \"{}\" (expected a whole number of agents up to 1,000,000)",
                        cell(5)
                    ),
                )
            })?;
        let break_minutes = match (cell(6), cell(7)) {
            ("", "") => None,
            _ => {
                let (b, e) = (clock(6)? as i64, clock(7)? as i64);
                // The break lies inside the shift: on its start day, or the next after midnight.
                let on_day = |m: i64| {
                    if day + m < start_minute {
                        day + m + 1_440
                    } else {
                        day + m
                    }
                };
                let (b, e) = (on_day(b), on_day(e));
                if !(start_minute <= b && b < e && e <= end_minute) {
                    return Err(bad(6, "the break does not lie inside the shift".into()));
                }
                Some((b, e))
            }
        };
        rows.push(ShiftRow {
            region: crate::data::csv_out::restore_text(cell(0)).to_string(),
            start_minute,
            end_minute,
            paid_hours,
            agents,
            break_minutes,
            row,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shift_plan_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shifts.csv");
        let req = Requirement {
            region: "=north".into(),
            start_minute: 0,
            interval_minutes: 30,
            required: vec![1; 96],
        };
        let shifts = [
            ShiftCount {
                start_minute: 1_320,
                length_minutes: 480,
                paid_minutes: 450,
                break_start_minute: Some(1_560),
                break_minutes: 30,
                agents: 3,
            },
            ShiftCount {
                start_minute: 480,
                length_minutes: 240,
                paid_minutes: 240,
                break_start_minute: None,
                break_minutes: 0,
                agents: 1,
            },
        ];
        write_shifts_file(&path, &[(&req, &shifts[..])]).unwrap();
        let rows = read_shifts_file(&path).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].region, "=north");
        assert_eq!((rows[0].start_minute, rows[0].end_minute), (480, 720));
        // The night shift 22:00–06:00 ends the next day, its break at 02:00 too.
        assert_eq!((rows[1].start_minute, rows[1].end_minute), (1_320, 1_800));
        assert_eq!(rows[1].break_minutes, Some((1_560, 1_590)));
        assert_eq!((rows[1].paid_hours, rows[1].agents), (7.5, 3));
    }
}
