//! Reading a history file into per-region rows: the one module that calls polars.
//!
//! CSV is read by polars with every column as text, and wfm parses the cells itself: that is
//! what lets every error name the row (as a spreadsheet numbers it) and the column. When polars
//! refuses a file, the `csv` crate re-reads it only to find the offending row.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;

use crate::data::{IngestOptions, DEFAULT_AHT_COLUMN, DEFAULT_REGION_COLUMN, SINGLE_REGION};
use crate::error::{Result, WfmError};
use crate::time::{parse_timestamp, ParsedTimestamp};

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
const PARQUET_MAGIC: &[u8] = b"PAR1";
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) fn read_table(path: &Path, options: &IngestOptions) -> Result<RawTable> {
    read_table_with(path, options, true)
}

/// [`read_table`], with the plain-CSV fast path or only with polars (`plain_path` false: for the
/// tests that compare the two).
fn read_table_with(path: &Path, options: &IngestOptions, plain_path: bool) -> Result<RawTable> {
    let bytes = super::small_csv::read_input(path)?;
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

/// The rows of a plain CSV file by the fast path ([`super::plain_csv`]); `None` when the file is
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
    Ok(super::plain_csv::read_rows(
        path, &plan, csv.text, &header, separator,
    ))
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
    use super::formats::{decimal_comma_numbers, parse_times};
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
        Some(name) => super::formats::decimal_comma_seconds(path, name, ahts, first_row)?,
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
    let Ok(bytes) = super::small_csv::read_input(path) else {
        return error;
    };
    if bytes.starts_with(PARQUET_MAGIC) {
        return error;
    }
    let mut reader = csv::ReaderBuilder::new()
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

/// What a column holds, which decides how a Parquet column may be typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Time,
    Text,
    Number,
}

/// Reads the columns that `choose` picks from the header (CSV or Parquet, by content), in the
/// order it gives them (`None` = absent), and the row number of the first record.
pub(crate) fn read_columns(
    path: &Path,
    delimiter: Option<u8>,
    choose: impl FnOnce(&[String]) -> Result<Vec<Option<(String, Kind)>>>,
) -> Result<(Vec<Cells>, usize)> {
    columns_of(path, super::small_csv::read_input(path)?, delimiter, choose)
}

/// [`read_columns`] of the file's bytes as read.
fn columns_of(
    path: &Path,
    bytes: super::small_csv::InputBytes,
    delimiter: Option<u8>,
    choose: impl FnOnce(&[String]) -> Result<Vec<Option<(String, Kind)>>>,
) -> Result<(Vec<Cells>, usize)> {
    if bytes.starts_with(PARQUET_MAGIC) {
        // A header that names a column twice leaves it unclear which one is meant.
        let choose = |found: &[String]| {
            super::small_csv::check_unique_columns(path, found, false)?;
            choose(found)
        };
        Ok((read_parquet(path, &bytes, choose)?, 1))
    } else if is_parquet_name(path) {
        Err(WfmError::Parquet {
            path: path.to_path_buf(),
            message: "the file does not start with the Parquet magic bytes PAR1".into(),
        })
    } else {
        let csv = CsvText::new(path, &bytes, delimiter.unwrap_or(b','))?;
        let columns = choose(&csv.checked_header(path)?)?;
        Ok((polars_csv(path, &csv, columns)?, 2))
    }
}

fn is_parquet_name(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("parquet" | "pq")
    )
}

/// A column of the file as polars read it.
pub(crate) enum Cells {
    Absent,
    Text(StringChunked),
    Number(Float64Chunked),
    /// Parquet date-times: physical integers, `per_second` ticks per second, UTC when zoned.
    DateTime {
        ticks: Int64Chunked,
        per_second: i64,
        utc: bool,
    },
    /// Date-times read with `--time-format`; `None` for an empty cell.
    Times(Vec<Option<ParsedTimestamp>>),
}

#[derive(Clone, Copy)]
pub(crate) enum Cell<'a> {
    Absent,
    Null,
    Text(&'a str),
    Number(f64),
    Time(ParsedTimestamp),
}

impl Cells {
    pub(crate) fn iter(&self) -> Box<dyn Iterator<Item = Cell<'_>> + '_> {
        match self {
            Cells::Absent => Box::new(std::iter::repeat_with(|| Cell::Absent)),
            Cells::Text(c) => Box::new(c.iter().map(|v| v.map_or(Cell::Null, Cell::Text))),
            Cells::Number(c) => Box::new(c.iter().map(|v| v.map_or(Cell::Null, Cell::Number))),
            Cells::Times(times) => Box::new(times.iter().map(|t| t.map_or(Cell::Null, Cell::Time))),
            Cells::DateTime {
                ticks,
                per_second,
                utc,
            } => Box::new(ticks.iter().map(move |v| {
                v.map_or(Cell::Null, |t| {
                    Cell::Time(ParsedTimestamp {
                        clock_seconds: t.div_euclid(*per_second),
                        offset_seconds: utc.then_some(0),
                    })
                })
            })),
        }
    }
}

/// A CSV file's text, without its byte-order mark, and its header.
pub(crate) struct CsvText<'a> {
    pub text: &'a str,
    separator: u8,
    /// The header's names as written, spaces and all (polars knows the columns by these).
    raw_header: Vec<String>,
}

impl<'a> CsvText<'a> {
    /// Checks that the bytes are UTF-8 and reads the header.
    fn new(path: &Path, bytes: &'a [u8], separator: u8) -> Result<Self> {
        let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
        let text = check_utf8(path, bytes)?;
        let raw_header = header_fields(path, bytes, separator)?;
        Ok(CsvText {
            text,
            separator,
            raw_header,
        })
    }

    /// The header's names without the spaces around them (` contacts` is `contacts`), refused
    /// when one is repeated (it would be unclear which one is meant).
    fn checked_header(&self, path: &Path) -> Result<Vec<String>> {
        let header: Vec<String> = self
            .raw_header
            .iter()
            .map(|f| f.trim().to_string())
            .collect();
        super::small_csv::check_unique_columns(path, &header, false)?;
        Ok(header)
    }

    /// A column's name as written in the file, from its trimmed name.
    fn as_written<'n>(&'n self, name: &'n str) -> &'n str {
        self.raw_header
            .iter()
            .find(|h| h.trim() == name)
            .map_or(name, String::as_str)
    }
}

/// The `columns` of a CSV file, read by polars as text.
fn polars_csv(
    path: &Path,
    csv: &CsvText<'_>,
    columns: Vec<Option<(String, Kind)>>,
) -> Result<Vec<Cells>> {
    let projection: Vec<PlSmallStr> = columns
        .iter()
        .flatten()
        .map(|(name, _)| PlSmallStr::from(csv.as_written(name)))
        .collect();
    let bytes = csv.text.as_bytes();
    let frame = CsvReadOptions::default()
        .with_has_header(true)
        // Every column as text: wfm parses cells itself to name the bad row and column.
        .with_infer_schema_length(Some(0))
        .with_columns(Some(Arc::from(projection)))
        .map_parse_options(|o| o.with_separator(csv.separator))
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()
        .map_err(|e| diagnose_csv(path, bytes, csv.separator, e))?;
    if frame.height() == 0 {
        return Err(WfmError::NoDataRows {
            path: path.to_path_buf(),
        });
    }
    columns
        .iter()
        .map(|column| match column {
            None => Ok(Cells::Absent),
            Some((name, _)) => frame
                .column(csv.as_written(name))
                .and_then(|c| c.str().cloned())
                .map(Cells::Text)
                .map_err(|e| csv_error(path, e)),
        })
        .collect()
}

/// Polars' own messages do not say which row; find it with a strict record-by-record read.
fn diagnose_csv(path: &Path, bytes: &[u8], separator: u8, error: PolarsError) -> WfmError {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(true)
        .from_reader(bytes);
    let expected = reader.headers().map(|h| h.len()).unwrap_or(0);
    for record in reader.records() {
        if let Err(e) = record {
            if let csv::ErrorKind::UnequalLengths { pos, len, .. } = e.kind() {
                return WfmError::RaggedRow {
                    path: path.to_path_buf(),
                    row: pos.as_ref().map_or(0, |p| p.line() as usize),
                    expected,
                    found: *len as usize,
                };
            }
            return WfmError::Csv {
                path: path.to_path_buf(),
                message: e.to_string(),
            };
        }
    }
    csv_error(path, error)
}

fn csv_error(path: &Path, error: PolarsError) -> WfmError {
    WfmError::Csv {
        path: path.to_path_buf(),
        message: error.to_string(),
    }
}

/// The text of `bytes`; an error names the line and byte of the first invalid UTF-8 sequence.
fn check_utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let before = &bytes[..at];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        WfmError::NotUtf8 {
            path: path.to_path_buf(),
            row: before.iter().filter(|&&b| b == b'\n').count() + 1,
            byte: at - line_start + 1,
            value: bytes[at],
        }
    })
}

/// The header's field names; spots a file written with another separator.
fn header_fields(path: &Path, bytes: &[u8], separator: u8) -> Result<Vec<String>> {
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let line = String::from_utf8_lossy(&bytes[..end]);
    let line = line.trim_end_matches('\r');
    if line.trim().is_empty() {
        return Err(WfmError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    // The csv crate reads the header as polars does (quotes, a separator inside them), names as
    // written, spaces and all.
    let fields: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(separator)
        .from_reader(line.as_bytes())
        .records()
        .next()
        .and_then(|r| r.ok())
        .map(|r| r.iter().map(str::to_string).collect())
        .unwrap_or_else(|| {
            line.split(separator as char)
                .map(|f| f.trim_matches('"').to_string())
                .collect()
        });
    if fields.len() == 1 {
        if let Some(found) = [',', ';', '\t', '|']
            .into_iter()
            .find(|&c| c != separator as char && line.contains(c))
        {
            return Err(WfmError::WrongDelimiter {
                path: path.to_path_buf(),
                header: line.to_string(),
                found,
            });
        }
    }
    let has_data = bytes[end..].iter().any(|b| !b.is_ascii_whitespace());
    if !has_data {
        return Err(WfmError::NoDataRows {
            path: path.to_path_buf(),
        });
    }
    Ok(fields)
}

/// Which of the file's columns play which role.
pub(crate) struct ColumnPlan {
    time: String,
    region: Option<String>,
    /// `None` for event logs (one row = one contact).
    volume: Option<String>,
    aht: Option<String>,
    group: Option<String>,
}

impl ColumnPlan {
    fn new(path: &Path, found: &[String], options: &IngestOptions) -> Result<Self> {
        let has = |name: &str| found.iter().any(|f| f == name);
        refuse_wfm_output(path, found, &options.columns.volume, options.events)?;
        let require = |name: &str, flag: &'static str| -> Result<String> {
            if has(name) {
                Ok(name.to_string())
            } else {
                Err(missing_column(path, found, name, flag))
            }
        };
        let optional = |explicit: &Option<String>, default: &str, flag| match explicit {
            Some(name) => require(name, flag).map(Some),
            None => Ok(has(default).then(|| default.to_string())),
        };
        let cols = &options.columns;
        Ok(ColumnPlan {
            time: require(&cols.time, "--time-col")?,
            region: optional(&cols.region, DEFAULT_REGION_COLUMN, "--region-col")?,
            volume: if options.events {
                None
            } else {
                Some(require(&cols.volume, "--volume-col")?)
            },
            aht: optional(&cols.aht, DEFAULT_AHT_COLUMN, "--aht-col")?,
            group: cols
                .group
                .as_ref()
                .map(|name| require(name, "--group-col"))
                .transpose()?,
        })
    }

    /// The five columns a history's rows are read from (time, region, volume, AHT, group), in
    /// that order; `None` for one the file does not have.
    fn columns(&self) -> Vec<Option<(String, Kind)>> {
        vec![
            Some((self.time.clone(), Kind::Time)),
            self.region.clone().map(|r| (r, Kind::Text)),
            self.volume.clone().map(|v| (v, Kind::Number)),
            self.aht.clone().map(|a| (a, Kind::Number)),
            self.group.clone().map(|g| (g, Kind::Text)),
        ]
    }

    /// For each field of the (trimmed) `header`, which of the five columns it is; `None` when a
    /// column is not found exactly once.
    pub(crate) fn roles(&self, header: &[String]) -> Option<Vec<Option<usize>>> {
        let mut roles = vec![None; header.len()];
        for (role, column) in self.columns().into_iter().enumerate() {
            let Some((name, _)) = column else { continue };
            let mut found = header.iter().enumerate().filter(|(_, h)| **h == name);
            let (field, _) = found.next()?;
            if found.next().is_some() {
                return None;
            }
            roles[field] = Some(role);
        }
        Some(roles)
    }

    fn used(&self) -> UsedColumns {
        UsedColumns {
            time: self.time.clone(),
            region: self
                .region
                .clone()
                .unwrap_or_else(|| DEFAULT_REGION_COLUMN.into()),
        }
    }
}

/// A file that wfm wrote, given where a history is expected: forecasting a forecast (or the
/// contacts of a requirements file) would run and mean nothing, whatever `--volume-col` says.
fn refuse_wfm_output(path: &Path, found: &[String], volume: &str, events: bool) -> Result<()> {
    let has = |name: &str| found.iter().any(|f| f == name);
    let message = if has("agents_required") {
        "this is a requirements file (as wfm staff writes it: its header has \"agents_required\"), \
         not a history of contacts; give it to wfm schedule or wfm roster, and give a history to \
         this command"
    } else if has("forecast")
        && ((has("lower") && has("upper")) || (!events && !has(volume)))
        // A history that also holds a forecast and its band (an ACD's report) is read by its
        // own volume column; a wfm forecast has none besides its own.
        && (events || !has(volume) || matches!(volume, "forecast" | "lower" | "upper"))
    {
        "this is a forecast file (as wfm forecast writes it: timestamp,region,forecast,lower,upper), \
         not a history of contacts; give it to wfm staff or to wfm accuracy --forecast, and give a \
         history to this command"
    } else {
        return Ok(());
    };
    Err(WfmError::Invalid {
        path: path.to_path_buf(),
        message: message.into(),
    })
}

/// A column the header does not have; when one of its names differs from it only in case,
/// spaces, `_` or `-` (`time stamp`, `Timestamp`), the message says to name that one.
fn missing_column(path: &Path, found: &[String], name: &str, flag: &'static str) -> WfmError {
    let loose = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    if let Some(close) = found.iter().find(|f| loose(f) == loose(name)) {
        return WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "no column \"{name}\", but there is \"{close}\", which differs in case, spaces or \
                 punctuation; name it with {flag} \"{close}\" (or rename the column)"
            ),
        };
    }
    WfmError::MissingColumn {
        path: path.to_path_buf(),
        column: name.to_string(),
        flag,
        found: found.to_vec(),
    }
}

fn read_parquet(
    path: &Path,
    bytes: &[u8],
    choose: impl FnOnce(&[String]) -> Result<Vec<Option<(String, Kind)>>>,
) -> Result<Vec<Cells>> {
    let parquet_error = |e: PolarsError| WfmError::Parquet {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let frame = ParquetReader::new(Cursor::new(bytes))
        .finish()
        .map_err(parquet_error)?;
    let found: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let columns = choose(&found)?;
    if frame.height() == 0 {
        return Err(WfmError::NoDataRows {
            path: path.to_path_buf(),
        });
    }
    let unsupported = |name: &str, dtype: &DataType, expected: &str| WfmError::Invalid {
        path: path.to_path_buf(),
        message: format!("column \"{name}\" has type {dtype}; expected {expected}"),
    };
    columns
        .iter()
        .map(|column| {
            let Some((name, kind)) = column else {
                return Ok(Cells::Absent);
            };
            let col = frame.column(name).map_err(parquet_error)?;
            // Text is accepted for every kind and parsed like a CSV cell.
            match (col.dtype(), kind) {
                (DataType::String, _) => Ok(Cells::Text(col.str().map_err(parquet_error)?.clone())),
                (DataType::Datetime(unit, zone), Kind::Time) => Ok(Cells::DateTime {
                    ticks: col
                        .cast(&DataType::Int64)
                        .and_then(|c| c.i64().cloned())
                        .map_err(parquet_error)?,
                    per_second: match unit {
                        TimeUnit::Milliseconds => 1_000,
                        TimeUnit::Microseconds => 1_000_000,
                        TimeUnit::Nanoseconds => 1_000_000_000,
                    },
                    utc: zone.is_some(),
                }),
                (d, Kind::Number) if d.is_primitive_numeric() => Ok(Cells::Number(
                    col.cast(&DataType::Float64)
                        .and_then(|c| c.f64().cloned())
                        .map_err(parquet_error)?,
                )),
                (other, kind) => Err(unsupported(
                    name,
                    other,
                    match kind {
                        Kind::Time => "a date-time or text",
                        Kind::Text => "text",
                        Kind::Number => "a number",
                    },
                )),
            }
        })
        .collect()
}

/// Rows one task parses: a few tasks per core on a file of millions of rows, one on a small
/// file (which is then read in one pass). The unit tests split their small files into runs of
/// 3 rows, so that every ingest test also checks the joining.
const ROWS_PER_TASK: usize = if cfg!(test) { 3 } else { 1 << 18 };

/// `part(run, first_row)` on runs of rows of the columns `cells` (the file's rows from
/// `first_row`), in parallel; the results in file order. A file of at most one run is one call.
pub(crate) fn in_runs<const N: usize, T: Send>(
    cells: &[Cells; N],
    first_row: usize,
    part: impl Fn(&[Cells; N], usize) -> T + Sync,
) -> Vec<T> {
    use rayon::prelude::*;
    let height = cells.iter().find_map(Cells::len).unwrap_or(0);
    if height <= ROWS_PER_TASK {
        return vec![part(cells, first_row)];
    }
    (0..height.div_ceil(ROWS_PER_TASK))
        .into_par_iter()
        .map(|k| {
            let offset = k * ROWS_PER_TASK;
            let len = ROWS_PER_TASK.min(height - offset);
            part(
                &cells.each_ref().map(|c| c.slice(offset, len)),
                first_row + offset,
            )
        })
        .collect()
}

impl Cells {
    /// The number of cells, for a column that the file has.
    fn len(&self) -> Option<usize> {
        match self {
            Cells::Absent => None,
            Cells::Text(c) => Some(c.len()),
            Cells::Number(c) => Some(c.len()),
            Cells::DateTime { ticks, .. } => Some(ticks.len()),
            Cells::Times(t) => Some(t.len()),
        }
    }

    /// Cells `offset..offset + len` (polars slices share the buffers: nothing is copied).
    fn slice(&self, offset: usize, len: usize) -> Cells {
        match self {
            Cells::Absent => Cells::Absent,
            Cells::Text(c) => Cells::Text(c.slice(offset as i64, len)),
            Cells::Number(c) => Cells::Number(c.slice(offset as i64, len)),
            Cells::DateTime {
                ticks,
                per_second,
                utc,
            } => Cells::DateTime {
                ticks: ticks.slice(offset as i64, len),
                per_second: *per_second,
                utc: *utc,
            },
            // Only with --time-format: a copy of the run's cells is cheap beside their parsing.
            Cells::Times(t) => Cells::Times(t[offset..offset + len].to_vec()),
        }
    }
}

/// Parses every row and groups the rows by region, in order of first appearance: runs of rows
/// in parallel ([`collect_part`] each), joined in file order. The result and the error are
/// those of one pass over the file: the regions in order of first appearance, each region's
/// rows in file order, and the error of the first bad row (a run stops at its first error, and
/// the first run in file order that failed holds the file's first bad row).
///
/// `first_row` is the row number of the first record (2 for CSV, whose header is row 1).
fn collect_rows(
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
        let contacts = match (&plan.volume, volume) {
            (None, _) => 1.0,
            (Some(column), cell) => match parse_number(cell) {
                Number::Value(v) if v > crate::limits::MAX_CONTACTS_PER_INTERVAL => {
                    return Err(bad(
                        column,
                        format!(
                            "{} contacts: expected at most 1e9 in one interval",
                            crate::limits::short_number(v)
                        ),
                    ))
                }
                Number::Value(v) if v >= 0.0 => v,
                Number::Value(v) => {
                    return Err(bad(
                        column,
                        format!("negative count {v} (contacts must be ≥ 0)"),
                    ))
                }
                Number::Missing => {
                    return Err(bad(column, "empty value (expected a number ≥ 0)".into()))
                }
                Number::Bad(text) => return Err(bad(column, bad_number(text, "a number"))),
            },
        };
        let aht_seconds = match (&plan.aht, aht) {
            (None, _) => f64::NAN,
            (Some(column), cell) => match parse_number(cell) {
                Number::Value(v) if v > crate::limits::MAX_SECONDS => {
                    return Err(bad(
                        column,
                        format!(
                            "a handle time of {} seconds: expected at most 86,400 (a day)",
                            crate::limits::short_number(v)
                        ),
                    ))
                }
                Number::Value(v) if v >= 0.0 => v,
                Number::Value(v) => {
                    return Err(bad(
                        column,
                        format!("negative handle time {v} (seconds must be ≥ 0)"),
                    ))
                }
                // An interval without contacts often has no AHT: that is not an error.
                Number::Missing => f64::NAN,
                // An ACD's `0:03:20` (looked at only when the cell is not a number).
                Number::Bad(text) => match super::formats::clock_duration_seconds(text) {
                    Some(seconds) => seconds,
                    None => return Err(bad(column, bad_number(text, "a number of seconds"))),
                },
            },
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
fn history_time_cell(cell: Cell<'_>) -> std::result::Result<ParsedTimestamp, String> {
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
fn bad_number(text: &str, what: &str) -> String {
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

/// The region of a row: its trimmed name, or the single series' name when the file has no
/// region column; `None` for an empty cell.
pub(crate) fn region_cell(cell: Cell<'_>) -> Option<&str> {
    match cell {
        Cell::Absent => Some(SINGLE_REGION),
        // A name neutralised against spreadsheet formulas when wfm wrote it reads as it was.
        Cell::Text(t) if !super::text::trim_cell(t).is_empty() => {
            Some(super::csv_out::restore_text(super::text::trim_cell(t)))
        }
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
            let trimmed = super::text::trim_cell(t);
            if trimmed.is_empty() {
                return Number::Missing;
            }
            match super::text::parse_f64(trimmed) {
                Some(v) if v.is_finite() => Number::Value(v),
                _ => Number::Bad(t),
            }
        }
        Cell::Null | Cell::Absent | Cell::Time(_) => Number::Missing,
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
