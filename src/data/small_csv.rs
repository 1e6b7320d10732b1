//! Small CSV files read whole with the `csv` crate (holidays, agents, shift plans): the header,
//! then every record with its row number as a spreadsheet shows it, each error naming the file.

use std::path::Path;

use crate::error::{Result, WfmError};

/// A small CSV file, read.
pub struct SmallCsv {
    pub header: Vec<String>,
    records: Vec<csv::StringRecord>,
}

/// The bytes of an input file; a file that cannot be opened or is empty is an error.
pub(crate) fn read_input(path: &Path) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).map_err(|error| WfmError::Open {
        path: path.to_path_buf(),
        error,
    })?;
    if bytes.is_empty() {
        return Err(WfmError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    Ok(bytes)
}

/// Reads `path` whole; cells are trimmed. An empty file is an error.
pub fn read_small_csv(path: &Path) -> Result<SmallCsv> {
    let bytes = read_input(path)?;
    let csv_error = |e: csv::Error| WfmError::Csv {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(&bytes[..]);
    let header = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(str::to_string)
        .collect();
    let records = reader
        .records()
        .collect::<std::result::Result<_, _>>()
        .map_err(csv_error)?;
    Ok(SmallCsv { header, records })
}

impl SmallCsv {
    /// The index of a column, if the header has it.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The index of a column the file must have; `flag` says where it is set.
    pub fn require(&self, path: &Path, name: &str, flag: &'static str) -> Result<usize> {
        self.column(name).ok_or_else(|| WfmError::MissingColumn {
            path: path.to_path_buf(),
            column: name.into(),
            flag,
            found: self.header.clone(),
        })
    }

    /// Every record with its row number (the header is row 1).
    pub fn rows(&self) -> impl Iterator<Item = (usize, &csv::StringRecord)> {
        self.records.iter().enumerate().map(|(i, r)| (i + 2, r))
    }
}
