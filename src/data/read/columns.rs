//! The columns of an input file as polars read them (CSV or Parquet, told apart by content), and
//! runs of their rows for parallel parsing.

use std::path::Path;

use super::cells::{Cells, Kind};
use super::csv::{polars_csv, CsvText};
use super::parquet::read_parquet;
use super::PARQUET_MAGIC;
use crate::error::{Result, WfmError};

/// Reads the columns that `choose` picks from the header (CSV or Parquet, by content), in the
/// order it gives them (`None` = absent), and the row number of the first record.
pub(crate) fn read_columns(
    path: &Path,
    delimiter: Option<u8>,
    choose: impl FnOnce(&[String]) -> Result<Vec<Option<(String, Kind)>>>,
) -> Result<(Vec<Cells>, usize)> {
    columns_of(
        path,
        crate::data::small_csv::read_input(path)?,
        delimiter,
        choose,
    )
}

/// [`read_columns`] of the file's bytes as read.
pub(super) fn columns_of(
    path: &Path,
    bytes: crate::data::small_csv::InputBytes,
    delimiter: Option<u8>,
    choose: impl FnOnce(&[String]) -> Result<Vec<Option<(String, Kind)>>>,
) -> Result<(Vec<Cells>, usize)> {
    if bytes.starts_with(PARQUET_MAGIC) {
        // A header that names a column twice leaves it unclear which one is meant.
        let choose = |found: &[String]| {
            crate::data::small_csv::check_unique_columns(path, found, false)?;
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

pub(super) fn is_parquet_name(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("parquet" | "pq")
    )
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
