//! A history's rows parsed from its cells and grouped by region, in runs joined in file order;
//! the parsing of one cell (a time, a number, a region) for every reader of wfm's files.

use std::collections::HashMap;
use std::path::Path;

use super::cells::{Cell, Cells};
use super::columns::in_runs;
use super::plan::ColumnPlan;
use super::{RawPoint, RawRegion, RawTable};
use crate::data::{DEFAULT_REGION_COLUMN, SINGLE_REGION};
use crate::error::{Result, WfmError};
use crate::time::{parse_timestamp, ParsedTimestamp};

/// Parses every row and groups the rows by region, in order of first appearance: runs of rows
/// in parallel ([`collect_part`] each), joined in file order. The result and the error are
/// those of one pass over the file: the regions in order of first appearance, each region's
/// rows in file order, and the error of the first bad row (a run stops at its first error, and
/// the first run in file order that failed holds the file's first bad row).
///
/// `first_row` is the row number of the first record (2 for CSV, whose header is row 1).
pub(super) fn collect_rows(
    path: &Path,
    plan: &ColumnPlan,
    cells: &[Cells; 5],
    first_row: usize,
) -> Result<RawTable> {
    let parts = in_runs(
        cells,
        first_row,
        |[times, regions, volumes, ahts, groups], first_row| {
            let rows = times
                .iter()
                .zip(regions.iter())
                .zip(volumes.iter().zip(ahts.iter()))
                .zip(groups.iter())
                .map(|(((time, region), (volume, aht)), group)| [time, region, volume, aht, group]);
            collect_part(path, plan, rows, first_row)
        },
    );
    join_parts(path, parts)
}

/// The parts of a file read in runs, joined in file order: the regions in order of first
/// appearance, each region's rows in file order, and the error of the first run that failed
/// (which holds the file's first bad row).
pub(crate) fn join_parts(path: &Path, mut parts: Vec<Result<RawTable>>) -> Result<RawTable> {
    if parts.len() == 1 {
        return parts.remove(0);
    }
    let mut table: Option<RawTable> = None;
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for part in parts {
        let part = match part {
            Ok(part) => part,
            // A run of blank lines only; the file is empty only if every run is.
            Err(WfmError::NoDataRows { .. }) => continue,
            Err(error) => return Err(error),
        };
        let table = table.get_or_insert_with(|| RawTable {
            columns: part.columns.clone(),
            regions: Vec::new(),
            has_aht: part.has_aht,
        });
        for region in part.regions {
            match index_of.get(&region.name) {
                Some(&g) if table.regions[g].points.is_empty() => {
                    table.regions[g].points = region.points
                }
                Some(&g) => table.regions[g].points.extend(region.points),
                None => {
                    index_of.insert(region.name.clone(), table.regions.len());
                    table.regions.push(region);
                }
            }
        }
    }
    table.ok_or_else(|| WfmError::NoDataRows {
        path: path.to_path_buf(),
    })
}

/// Parses `rows` (a run of the file starting at row `first_row`: the time, region, volume, AHT
/// and group cells of each) and groups them by region, in order of first appearance.
pub(crate) fn collect_part<'a>(
    path: &Path,
    plan: &ColumnPlan,
    rows: impl Iterator<Item = [Cell<'a>; 5]>,
    first_row: usize,
) -> Result<RawTable> {
    let mut groups: Vec<RawRegion> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let mut current: Option<usize> = None;
    // `GROUP/REGION` with a group column, built in one reused buffer.
    let mut key = String::new();
    for (i, [time, region, volume, aht, group_cell]) in rows.enumerate() {
        let row = i + first_row;
        let bad = |column: &str, problem: String| WfmError::bad_value(path, row, column, problem);
        // A blank line (every cell empty) carries nothing; row numbers stay those of the file.
        if [&time, &region, &volume, &aht]
            .iter()
            .all(|c| matches!(c, Cell::Null | Cell::Absent))
        {
            continue;
        }

        let region_name = match region_cell(region) {
            Some(name) => name,
            // A contact in an event log whose region field is empty still happened: it is
            // counted in a region of its own rather than lost or fatal (the 911 log has 38).
            None if plan.volume.is_none() => BLANK_REGION,
            None => {
                let column = plan.region.as_deref().unwrap_or(DEFAULT_REGION_COLUMN);
                return Err(bad(column, EMPTY_REGION.into()));
            }
        };
        let group_name = plan.group.as_ref().map(|_| match group_cell {
            Cell::Text(t) if !t.trim().is_empty() => t.trim(),
            _ => BLANK_REGION,
        });
        let region_name = match group_name {
            Some(group_name) => {
                key.clear();
                key.push_str(group_name);
                key.push('/');
                key.push_str(region_name);
                key.as_str()
            }
            None => region_name,
        };
        // Files are usually sorted by region: compare with the previous row before hashing.
        let group = match current {
            Some(g) if groups[g].name == region_name => g,
            _ => {
                let g = match index_of.get(region_name) {
                    Some(&g) => g,
                    None => {
                        groups.push(RawRegion {
                            name: region_name.to_string(),
                            group: group_name.map(str::to_string),
                            points: Vec::new(),
                        });
                        index_of.insert(region_name.to_string(), groups.len() - 1);
                        groups.len() - 1
                    }
                };
                current = Some(g);
                g
            }
        };

        let time = history_time_cell(time).map_err(|problem| bad(&plan.time, problem))?;
        let contacts = match &plan.volume {
            None => 1.0,
            Some(column) => contacts_cell(volume).map_err(|problem| bad(column, problem))?,
        };
        let aht_seconds = match &plan.aht {
            None => f64::NAN,
            Some(column) => aht_cell(aht).map_err(|problem| bad(column, problem))?,
        };
        groups[group].points.push(RawPoint {
            time,
            contacts,
            aht_seconds,
            row: row as u32,
        });
    }
    if groups.is_empty() {
        return Err(WfmError::NoDataRows {
            path: path.to_path_buf(),
        });
    }
    Ok(RawTable {
        columns: plan.used(),
        regions: groups,
        has_aht: plan.aht.is_some(),
    })
}

/// The contacts of a history's volume cell; the error says what is wrong.
fn contacts_cell(cell: Cell<'_>) -> std::result::Result<f64, String> {
    match parse_number(cell) {
        Number::Value(v) if v > crate::limits::MAX_CONTACTS_PER_INTERVAL => Err(format!(
            "{} contacts: expected at most 1e9 in one interval",
            crate::limits::short_number(v)
        )),
        Number::Value(v) if v >= 0.0 => Ok(v),
        Number::Value(v) => Err(format!("negative count {v} (contacts must be ≥ 0)")),
        Number::Missing => Err("empty value (expected a number ≥ 0)".into()),
        Number::Bad(text) => Err(bad_number(text, "a number")),
    }
}

/// The handle time in seconds of a history's AHT cell, NaN when empty (an interval without
/// contacts often has no AHT: that is not an error); the error says what is wrong.
fn aht_cell(cell: Cell<'_>) -> std::result::Result<f64, String> {
    match parse_number(cell) {
        Number::Value(v) if v > crate::limits::MAX_SECONDS => Err(format!(
            "a handle time of {} seconds: expected at most 86,400 (a day)",
            crate::limits::short_number(v)
        )),
        Number::Value(v) if v >= 0.0 => Ok(v),
        Number::Value(v) => Err(format!("negative handle time {v} (seconds must be ≥ 0)")),
        Number::Missing => Ok(f64::NAN),
        // An ACD's `0:03:20` (looked at only when the cell is not a number).
        Number::Bad(text) => super::formats::clock_duration_seconds(text)
            .ok_or_else(|| bad_number(text, "a number of seconds")),
    }
}

/// The date-time of a time cell; the error says what is wrong, for a message naming the cell.
pub(crate) fn time_cell(cell: Cell<'_>) -> std::result::Result<ParsedTimestamp, String> {
    let parsed = match cell {
        Cell::Time(t) => t,
        Cell::Text(t) => parse_timestamp(t).ok_or_else(|| {
            format!("cannot read \"{t}\" as a date-time (expected e.g. 2024-01-31T08:30:00)")
        })?,
        _ => return Err("empty value (expected a date-time such as 2024-01-31T08:30:00)".into()),
    };
    // A year far away would size every series that runs to it: refused, like any bad value.
    if crate::time::within_years(parsed.clock_seconds) {
        return Ok(parsed);
    }
    let year = chrono::Datelike::year(&crate::time::naive_from_seconds(parsed.clock_seconds));
    if !crate::limits::YEARS.contains(&year) {
        return Err(format!(
            "the year {year} is outside the years wfm handles ({}–{})",
            crate::limits::YEARS.start(),
            crate::limits::YEARS.end()
        ));
    }
    Ok(parsed)
}

/// A history's time cell: as [`time_cell`], and a date as spreadsheets write it names the flag
/// that reads it (only on this error path is the cell looked at again).
pub(super) fn history_time_cell(cell: Cell<'_>) -> std::result::Result<ParsedTimestamp, String> {
    time_cell(cell).map_err(|problem| match cell {
        Cell::Text(t) if super::formats::looks_like_spreadsheet_time(t) => format!(
            "cannot read \"{}\" as a date-time: it looks like a spreadsheet's date; say how it is \
             written with --time-format excel-dmy (31/01/2024 08:30), excel-mdy (1/31/2024 8:30) \
             or excel (the order found from the file)",
            t.trim()
        ),
        Cell::Text(t) if super::formats::looks_like_excel_serial(t) => format!(
            "cannot read \"{}\" as a date-time: it looks like an Excel serial date (days since \
             1899-12-30); pass --time-format excel-serial, or format the column as a date in the \
             sheet before saving",
            t.trim()
        ),
        _ => problem,
    })
}

/// The message for a history cell that is not a number; one written with a decimal comma names
/// the flag that reads it.
pub(super) fn bad_number(text: &str, what: &str) -> String {
    if super::formats::looks_like_decimal_comma(text) {
        format!(
            "cannot read \"{text}\" as {what}: it looks like a decimal comma; pass --decimal-comma{}",
            super::formats::thousands_hint(text)
        )
    } else if super::formats::looks_like_clock_duration(text) {
        format!(
            "cannot read \"{text}\" as {what}: a duration is written in seconds (200) or as \
             H:MM:SS (0:03:20), not as M:SS"
        )
    } else {
        format!("cannot read \"{text}\" as {what}")
    }
}

/// The interval start (wall-clock minute) and region of a row of a file wfm writes
/// (`forecast.csv`, `requirements.csv`); `bad` names the column of a cell it cannot use.
pub(crate) fn own_row_key<'a>(
    time: Cell<'a>,
    region: Cell<'a>,
    bad: impl Fn(&str, String) -> WfmError,
) -> Result<(i64, &'a str)> {
    let minute = time_cell(time)
        .map_err(|problem| {
            bad(
                "timestamp",
                problem + super::formats::own_file_cell_hint(time),
            )
        })?
        .clock_seconds
        .div_euclid(60);
    let name = region_cell(region)
        .ok_or_else(|| bad(crate::data::DEFAULT_REGION_COLUMN, EMPTY_REGION.into()))?;
    Ok((minute, name))
}

/// The region of a row: its trimmed name, or the single series' name when the file has no
/// region column; `None` for an empty cell.
pub(crate) fn region_cell(cell: Cell<'_>) -> Option<&str> {
    match cell {
        Cell::Absent => Some(SINGLE_REGION),
        // A name neutralised against spreadsheet formulas when wfm wrote it reads as it was.
        Cell::Text(t) if !crate::text::trim_cell(t).is_empty() => Some(
            crate::data::csv_out::restore_text(crate::text::trim_cell(t)),
        ),
        _ => None,
    }
}

/// The region of the rows of an event log whose region cell is empty.
pub const BLANK_REGION: &str = "(blank)";

/// The message for an empty region cell.
pub(crate) const EMPTY_REGION: &str = "empty value (expected a region name)";

pub(crate) enum Number<'a> {
    Value(f64),
    Missing,
    Bad(&'a str),
}

pub(crate) fn parse_number<'a>(cell: Cell<'a>) -> Number<'a> {
    match cell {
        Cell::Number(v) if v.is_finite() => Number::Value(v),
        Cell::Number(_) => Number::Bad("NaN"),
        Cell::Text(t) => {
            let trimmed = crate::text::trim_cell(t);
            if trimmed.is_empty() {
                return Number::Missing;
            }
            match crate::text::parse_f64(trimmed) {
                Some(v) if v.is_finite() => Number::Value(v),
                _ => Number::Bad(t),
            }
        }
        Cell::Null | Cell::Absent | Cell::Time(_) => Number::Missing,
    }
}
