//! Reading a history file into per-region rows: the one module that calls polars.
//!
//! A plain CSV (no quotes, no ragged lines) is parsed straight into rows in parallel runs
//! ([`plain`]); any other file is read by polars with every column as text ([`csv`],
//! [`parquet`]), and wfm parses the cells itself ([`rows`]): that is what lets every error
//! name the row (as a spreadsheet numbers it) and the column. [`plan`] decides which column is
//! which; [`columns`] holds the cells and cuts them into runs.

mod cells;
mod columns;
mod csv;
pub(crate) mod formats;
mod parquet;
mod plain;
mod plan;
mod rows;

use std::path::Path;

pub(crate) use cells::{Cell, Cells, Kind};
use columns::{columns_of, is_parquet_name};
pub(crate) use columns::{in_runs, read_columns};
use csv::CsvText;
use plan::ColumnPlan;
use rows::collect_rows;
pub use rows::BLANK_REGION;
pub(crate) use rows::{own_row_key, parse_number, Number};

use crate::data::IngestOptions;
use crate::error::{Result, WfmError};
use crate::time::ParsedTimestamp;

/// One input row, parsed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawPoint {
    pub time: ParsedTimestamp,
    pub contacts: f64,
    /// NaN when the file has no AHT or the cell is empty.
    pub aht_seconds: f64,
    /// Row number as a spreadsheet shows it (CSV: header = 1) or record number (Parquet).
    pub row: u32,
}

pub(crate) struct RawRegion {
    pub name: String,
    pub group: Option<String>,
    pub points: Vec<RawPoint>,
}

/// The column names actually used, for messages downstream.
#[derive(Debug, Clone)]
pub(crate) struct UsedColumns {
    pub time: String,
    pub region: String,
}

pub(crate) struct RawTable {
    pub columns: UsedColumns,
    pub regions: Vec<RawRegion>,
    pub has_aht: bool,
}

/// Parquet files start (and end) with these four bytes.
pub(super) const PARQUET_MAGIC: &[u8] = b"PAR1";
pub(super) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) fn read_table(path: &Path, options: &IngestOptions) -> Result<RawTable> {
    read_table_with(path, options, true)
}

/// [`read_table`], with the plain-CSV fast path or only with polars (`plain_path` false: for the
/// tests that compare the two).
fn read_table_with(path: &Path, options: &IngestOptions, plain_path: bool) -> Result<RawTable> {
    let bytes = crate::data::small_csv::read_input(path)?;
    if plain_path {
        if let Some(table) = read_plain(path, &bytes, options)? {
            return Ok(table);
        }
    }
    let mut plan = None;
    let choose = |found: &[String]| {
        let p = ColumnPlan::new(path, found, options)?;
        let columns = p.columns();
        plan = Some(p);
        Ok(columns)
    };
    let (cells, first_row) = columns_of(path, bytes, options.delimiter, choose)?;
    let Some(plan) = plan else {
        return Err(WfmError::NoDataRows {
            path: path.to_path_buf(),
        });
    };
    let [times, regions, volumes, ahts, groups]: [Cells; 5] =
        cells.try_into().map_err(|_| WfmError::NoDataRows {
            path: path.to_path_buf(),
        })?;
    let (times, volumes, ahts) =
        apply_formats(path, &plan, options, first_row, times, volumes, ahts)?;
    collect_rows(
        path,
        &plan,
        &[times, regions, volumes, ahts, groups],
        first_row,
    )
    .map_err(|error| short_row_instead(path, options.delimiter, error))
}

/// The rows of a plain CSV file by the fast path ([`plain`]); `None` when the file is
/// not one (Parquet, a format option, quotes, a ragged line) or a row fails, for the polars
/// reader to read it. The header is checked as that reader checks it, with the same errors.
fn read_plain(path: &Path, bytes: &[u8], options: &IngestOptions) -> Result<Option<RawTable>> {
    if options.time_format.is_some()
        || options.decimal_comma
        || bytes.starts_with(PARQUET_MAGIC)
        || is_parquet_name(path)
    {
        return Ok(None);
    }
    let separator = options.delimiter.unwrap_or(b',');
    let csv = CsvText::new(path, bytes, separator)?;
    let header = csv.checked_header(path)?;
    let plan = ColumnPlan::new(path, &header, options)?;
    Ok(plain::read_rows(path, &plan, csv.text, &header, separator))
}

/// `--time-format` and `--decimal-comma`, applied to whole columns (only when given, so a plain
/// file pays nothing for them).
fn apply_formats(
    path: &Path,
    plan: &ColumnPlan,
    options: &IngestOptions,
    first_row: usize,
    times: Cells,
    volumes: Cells,
    ahts: Cells,
) -> Result<(Cells, Cells, Cells)> {
    use formats::{decimal_comma_numbers, parse_times};
    let times = match &options.time_format {
        Some(format) => parse_times(path, &plan.time, times, first_row, format)?,
        None => times,
    };
    if !options.decimal_comma {
        return Ok((times, volumes, ahts));
    }
    let numbers = |cells, column: &Option<String>| match column {
        Some(name) => decimal_comma_numbers(path, name, cells, first_row),
        None => Ok(cells),
    };
    let ahts = match &plan.aht {
        Some(name) => formats::decimal_comma_seconds(path, name, ahts, first_row)?,
        None => ahts,
    };
    Ok((times, numbers(volumes, &plan.volume)?, ahts))
}

/// A row shorter than the header reads as empty cells: when a cell is reported empty, say that
/// its row is short instead, if it is (only on this error path is the file read again).
fn short_row_instead(path: &Path, delimiter: Option<u8>, error: WfmError) -> WfmError {
    let WfmError::BadValue { row, problem, .. } = &error else {
        return error;
    };
    if !problem.starts_with("empty value") {
        return error;
    }
    // Read as the first time (a gzip file decompressed).
    let Ok(bytes) = crate::data::small_csv::read_input(path) else {
        return error;
    };
    if bytes.starts_with(PARQUET_MAGIC) {
        return error;
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter.unwrap_or(b','))
        .from_reader(&bytes[..]);
    let mut records = reader.records();
    let Some(Ok(header)) = records.next() else {
        return error;
    };
    match records.nth(row.saturating_sub(2)) {
        Some(Ok(record)) if record.len() < header.len() => WfmError::RaggedRow {
            path: path.to_path_buf(),
            row: *row,
            expected: header.len(),
            found: record.len(),
        },
        _ => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of a table, as text, for comparing two reads of one file.
    fn rows_of(table: &RawTable) -> Vec<String> {
        table
            .regions
            .iter()
            .flat_map(|r| {
                r.points
                    .iter()
                    .map(move |p| format!("{} {:?} {:?}", r.name, r.group, p))
            })
            .collect()
    }

    fn csv_fixtures(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                csv_fixtures(&path, found);
            } else if path.extension().is_some_and(|e| e == "csv") {
                found.push(path);
            }
        }
    }

    /// The fast path is an optimisation only: on every CSV fixture (good and hostile), with and
    /// without the event-log reading, it gives the rows polars gives, or gives up, so that the
    /// error is polars'.
    #[test]
    fn the_plain_path_reads_every_fixture_as_polars_does() {
        let mut files = Vec::new();
        csv_fixtures(Path::new("tests/fixtures"), &mut files);
        files.sort();
        let mut plain_reads = 0;
        for path in &files {
            for events in [false, true] {
                let options = IngestOptions {
                    events,
                    ..IngestOptions::default()
                };
                let polars = read_table_with(path, &options, false);
                let Ok(bytes) = crate::data::small_csv::read_input(path) else {
                    continue;
                };
                match read_plain(path, &bytes, &options) {
                    Ok(Some(fast)) => {
                        let polars = polars.unwrap_or_else(|e| {
                            panic!("{}: the fast path read it, polars says {e}", path.display())
                        });
                        assert_eq!(rows_of(&polars), rows_of(&fast), "{}", path.display());
                        assert_eq!(polars.has_aht, fast.has_aht);
                        plain_reads += 1;
                    }
                    Ok(None) => {}
                    // Only the checks of the header come before the fast path, and they are
                    // the polars reader's own.
                    Err(fast) => assert_eq!(fast.to_string(), polars.err().unwrap().to_string()),
                }
            }
        }
        assert!(plain_reads > 50, "only {plain_reads} fixtures read");
    }

    /// A file that the fast path reads, cut into many runs (64 bytes each in tests): blank
    /// lines, `\r\n` line ends, empty cells and spaces read as polars reads them.
    #[test]
    fn the_plain_path_keeps_rows_blank_lines_and_line_ends() {
        let dir = tempfile::tempdir().unwrap();
        let text = "timestamp,region,contacts,aht_seconds\r\n\
                    2024-01-01T00:00:00,a,1,200\r\n\
                    2024-01-01T00:30:00, b ,2,\r\n\
                    \r\n\
                    2024-01-01T01:00:00,a,3.5,180\r\n\
                    2024-01-01T01:30:00,b,0,\r\n";
        let path = dir.path().join("plain.csv");
        std::fs::write(&path, text).unwrap();
        let options = IngestOptions::default();
        let polars = read_table_with(&path, &options, false).unwrap();
        let fast = read_plain(&path, text.as_bytes(), &options)
            .unwrap()
            .expect("a plain file");
        assert_eq!(rows_of(&polars), rows_of(&fast));
        let rows: Vec<u32> = fast.regions[0].points.iter().map(|p| p.row).collect();
        assert_eq!(rows, [2, 5]);
    }
}
