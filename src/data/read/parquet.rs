//! The columns of a Parquet file, typed as wfm reads them.

use std::io::Cursor;
use std::path::Path;

use polars::prelude::*;

use super::cells::{Cells, Kind};
use crate::error::{Result, WfmError};

pub(super) fn read_parquet(
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
