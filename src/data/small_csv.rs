//! Small CSV files read whole with the `csv` crate (holidays, agents, shift plans): the header,
//! then every record with its row number as a spreadsheet shows it, each error naming the file.

use std::path::Path;

use crate::error::{Result, WfmError};

/// A small CSV file, read.
pub struct SmallCsv {
    pub header: Vec<String>,
    records: Vec<csv::StringRecord>,
}

/// The bytes of an input file; a file that cannot be opened or is empty is an error. A gzip file
/// (recognised by its magic bytes, whatever its name) is decompressed.
pub(crate) fn read_input(path: &Path) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).map_err(|error| WfmError::Open {
        path: path.to_path_buf(),
        error,
    })?;
    let bytes = if bytes.starts_with(GZIP_MAGIC) {
        gunzip(path, &bytes)?
    } else {
        bytes
    };
    if bytes.is_empty() {
        return Err(WfmError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    Ok(bytes)
}

/// Every gzip member starts with these two bytes (RFC 1952, 2.3.1).
const GZIP_MAGIC: &[u8] = b"\x1F\x8B";

/// The most a gzip input may expand to: a file this size is already past the rows wfm holds at
/// once, and a small "zip bomb" must not fill the memory.
pub const MAX_GUNZIPPED_BYTES: u64 = 4 << 30;

/// Decompresses a whole gzip file (every member, as `cat a.gz b.gz` writes them).
fn gunzip(path: &Path, compressed: &[u8]) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(compressed.len().saturating_mul(4).min(1 << 28));
    let mut reader = flate2::read::MultiGzDecoder::new(compressed).take(MAX_GUNZIPPED_BYTES + 1);
    reader.read_to_end(&mut bytes).map_err(|e| {
        let reason = if e.kind() == std::io::ErrorKind::UnexpectedEof {
            "the compressed data end early (a truncated file)".to_string()
        } else {
            format!("the compressed data are corrupt ({e})")
        };
        WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "cannot decompress this gzip file: {reason}; copy or download it again, or check it with gzip -t"
            ),
        }
    })?;
    if bytes.len() as u64 > MAX_GUNZIPPED_BYTES {
        return Err(WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "this gzip file expands to more than {} GiB, more than wfm reads at once; cut it to the period you need",
                MAX_GUNZIPPED_BYTES >> 30
            ),
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
    let header: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(str::to_string)
        .collect();
    // An empty name (a trailing separator) names nothing that is looked up.
    check_unique_columns(path, &header, true)?;
    let records = reader
        .records()
        .collect::<std::result::Result<_, _>>()
        .map_err(csv_error)?;
    Ok(SmallCsv { header, records })
}

/// A header that names a column twice leaves it unclear which one is meant: refused, naming
/// both fields (and empty names too, unless `skip_empty`).
pub(crate) fn check_unique_columns(path: &Path, header: &[String], skip_empty: bool) -> Result<()> {
    for (k, name) in header.iter().enumerate() {
        if skip_empty && name.is_empty() {
            continue;
        }
        if let Some(first) = header[..k].iter().position(|f| f == name) {
            return Err(WfmError::Invalid {
                path: path.to_path_buf(),
                message: format!(
                    "row 1: the header names column \"{name}\" twice (fields {} and {}); rename or remove one",
                    first + 1,
                    k + 1
                ),
            });
        }
    }
    Ok(())
}

/// An empty file's message with the header this kind of file expects, instead of a history's.
pub(crate) fn expecting_header(error: WfmError, header: &str) -> WfmError {
    match error {
        WfmError::EmptyFile { path } => WfmError::Invalid {
            path,
            message: format!("the file is empty (expected a header line such as {header})"),
        },
        other => other,
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzip_inputs_are_read_whole_whatever_their_name() {
        let dir = tempfile::tempdir().unwrap();
        // Two members, as `cat a.gz b.gz > c.gz` makes.
        let mut both = gzip(b"date,name\n2024-12-25,Christmas\n");
        both.extend(gzip(b"2024-12-26,Boxing Day\n"));
        let path = dir.path().join("holidays.csv");
        std::fs::write(&path, &both).unwrap();
        let file = read_small_csv(&path).unwrap();
        assert_eq!(file.header, ["date", "name"]);
        let days: Vec<&str> = file.rows().map(|(_, r)| &r[1]).collect();
        assert_eq!(days, ["Christmas", "Boxing Day"]);

        let cut = dir.path().join("cut.csv.gz");
        std::fs::write(&cut, &both[..both.len() / 3]).unwrap();
        let message = read_input(&cut).unwrap_err().to_string();
        assert!(message.contains("truncated"), "{message}");

        let requirements = dir.path().join("requirements.csv.gz");
        std::fs::write(
            &requirements,
            gzip(b"timestamp,region,agents_required\n2024-01-01T08:00:00,north,3\n"),
        )
        .unwrap();
        assert!(crate::data::is_requirements_file(&requirements).unwrap());
    }

    #[test]
    fn a_column_named_twice_is_refused_naming_both_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agents.csv");
        std::fs::write(&path, "agent_id, days_off ,name,days_off\na1,Sat,Ana,Sun\n").unwrap();
        let message = read_small_csv(&path).err().unwrap().to_string();
        assert!(
            message.contains("names column \"days_off\" twice (fields 2 and 4)"),
            "{message}"
        );
        // Empty names from trailing separators are not columns anyone asks for.
        std::fs::write(&path, "agent_id,name,,\na1,Ana,,\n").unwrap();
        assert!(read_small_csv(&path).is_ok());
    }
}
