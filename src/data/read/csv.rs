//! A CSV file's text and header, and its columns read by polars as text; when polars refuses a
//! file, the `csv` crate re-reads it only to find the offending row.

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;

use super::cells::{Cells, Kind};
use super::UTF8_BOM;
use crate::error::{Result, WfmError};

/// A CSV file's text, without its byte-order mark, and its header.
pub(crate) struct CsvText<'a> {
    pub text: &'a str,
    separator: u8,
    /// The header's names as written, spaces and all (polars knows the columns by these).
    raw_header: Vec<String>,
}

impl<'a> CsvText<'a> {
    /// Checks that the bytes are UTF-8 and reads the header.
    pub(super) fn new(path: &Path, bytes: &'a [u8], separator: u8) -> Result<Self> {
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
    pub(super) fn checked_header(&self, path: &Path) -> Result<Vec<String>> {
        let header: Vec<String> = self
            .raw_header
            .iter()
            .map(|f| f.trim().to_string())
            .collect();
        crate::data::small_csv::check_unique_columns(path, &header, false)?;
        Ok(header)
    }

    /// A column's name as written in the file, from its trimmed name.
    pub(super) fn as_written<'n>(&'n self, name: &'n str) -> &'n str {
        self.raw_header
            .iter()
            .find(|h| h.trim() == name)
            .map_or(name, String::as_str)
    }
}

/// The `columns` of a CSV file, read by polars as text.
pub(super) fn polars_csv(
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
pub(super) fn diagnose_csv(
    path: &Path,
    bytes: &[u8],
    separator: u8,
    error: PolarsError,
) -> WfmError {
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

pub(super) fn csv_error(path: &Path, error: PolarsError) -> WfmError {
    WfmError::Csv {
        path: path.to_path_buf(),
        message: error.to_string(),
    }
}

/// The text of `bytes`; an error names the line and byte of the first invalid UTF-8 sequence.
pub(super) fn check_utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str> {
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
pub(super) fn header_fields(path: &Path, bytes: &[u8], separator: u8) -> Result<Vec<String>> {
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
