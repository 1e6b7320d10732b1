//! The files of a shift plan: `shifts.csv` (`region,date,start,end,paid_hours,agents,
//! break_start,break_end`, one row per shift start × length × day with its number of agents) and
//! `coverage.csv` (`timestamp,region,required,scheduled,difference`). Their columns are spelt
//! here only, and they are written through the one CSV writer.

use std::path::Path;

use super::{Requirement, ShiftCount};
use crate::data::csv_out::write_csv;
use crate::error::Result;
use crate::time::{format_minute, naive_from_minutes};

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
                rows.value(format_minute(req.minute(i)))?;
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
