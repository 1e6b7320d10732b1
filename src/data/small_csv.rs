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
/// (recognised by its magic bytes, whatever its name) is decompressed, and a UTF-16 text (as
/// Excel's "Unicode text" saves it, with its byte-order mark) becomes UTF-8; other archives and
/// workbooks are refused, saying what they are.
pub(crate) fn read_input(path: &Path) -> Result<InputBytes> {
    let open_error = |error| WfmError::Open {
        path: path.to_path_buf(),
        error,
    };
    let file = std::fs::File::open(path).map_err(open_error)?;
    if let Some(mapped) = map_large_file(&file) {
        if !mapped.starts_with(GZIP_MAGIC)
            && !mapped.starts_with(b"\xFF\xFE")
            && !mapped.starts_with(b"\xFE\xFF")
            && other_container(&mapped).is_none()
        {
            return Ok(InputBytes::Mapped(mapped));
        }
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut &file, &mut bytes).map_err(open_error)?;
    // Compressed twice (`gzip` of a `.gz`) is read too; each level is capped.
    for _ in 0..2 {
        if bytes.starts_with(GZIP_MAGIC) {
            bytes = gunzip(path, &bytes, MAX_GUNZIPPED_BYTES)?;
        }
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        bytes = utf16_to_utf8(path, &bytes)?;
    }
    if let Some(what) = other_container(&bytes) {
        return Err(WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "this is {what}, not a CSV or Parquet file (wfm reads those, and gzip-compressed ones)"
            ),
        });
    }
    if bytes.is_empty() {
        return Err(WfmError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    Ok(InputBytes::Read(bytes))
}

/// An input file's bytes: mapped when it is a large plain file, read (and decoded) otherwise.
#[derive(Debug)]
pub(crate) enum InputBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for InputBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            InputBytes::Mapped(map) => map,
            InputBytes::Read(bytes) => bytes,
        }
    }
}

/// Files from this size are mapped rather than read: copying 150 MB into the heap took a fifth
/// of `wfm inspect` on 3.5 M rows, on one core, before any parsing could start.
const MAP_FROM_BYTES: u64 = 1 << 20;

/// The file mapped read-only, when it is a regular file of at least [`MAP_FROM_BYTES`] and the
/// system maps it; `None` otherwise (a pipe, a device, a small file), and it is read instead.
fn map_large_file(file: &std::fs::File) -> Option<memmap2::Mmap> {
    let metadata = file.metadata().ok()?;
    if !metadata.is_file() || metadata.len() < MAP_FROM_BYTES {
        return None;
    }
    // SAFETY: the map is read-only and lives only while this run reads the file. A file that
    // another program truncates or rewrites meanwhile may read as changed bytes (or end the run
    // with SIGBUS on truncation), as with polars' and ripgrep's own maps; wfm's inputs are
    // exports that nothing writes during a run.
    unsafe { memmap2::Mmap::map(file) }.ok()
}

/// What a file that wfm cannot read is, from its first bytes, with what to do.
fn other_container(bytes: &[u8]) -> Option<&'static str> {
    const KNOWN: [(&[u8], &str); 6] = [
        (
            b"PK\x03\x04",
            "a zip archive (an .xlsx workbook is one): save the sheet as CSV, or unzip it",
        ),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an Excel 97-2003 workbook (.xls): save the sheet as CSV",
        ),
        (
            b"BZh",
            "bzip2-compressed: decompress it with bunzip2, or recompress it with gzip",
        ),
        (
            b"\xFD7zXZ\x00",
            "xz-compressed: decompress it with unxz, or recompress it with gzip",
        ),
        (
            b"\x28\xB5\x2F\xFD",
            "zstd-compressed: decompress it with unzstd, or recompress it with gzip",
        ),
        (
            GZIP_MAGIC,
            "gzip-compressed more than twice: decompress it with gunzip",
        ),
    ];
    KNOWN
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, what)| *what)
}

/// UTF-16 text with its byte-order mark (little- or big-endian) as UTF-8, without the mark.
fn utf16_to_utf8(path: &Path, bytes: &[u8]) -> Result<Vec<u8>> {
    let little = bytes.starts_with(b"\xFF\xFE");
    let units = bytes[2..].chunks(2).map(|pair| match (pair, little) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        // An odd last byte: not a whole code unit, reported below as an invalid one.
        _ => 0xDC00,
    });
    let mut text = String::with_capacity(bytes.len());
    let mut row = 1;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                row += usize::from(c == '\n');
                text.push(c);
            }
            Err(_) => {
                return Err(WfmError::Invalid {
                    path: path.to_path_buf(),
                    message: format!(
                        "row {row}: invalid UTF-16 text (the file starts with a UTF-16 byte-order mark); re-save the file as UTF-8"
                    ),
                })
            }
        }
    }
    Ok(text.into_bytes())
}

/// Every gzip member starts with these two bytes (RFC 1952, 2.3.1).
const GZIP_MAGIC: &[u8] = b"\x1F\x8B";

/// The most a gzip input may expand to (about 25 million rows of history): more is past what
/// wfm reads at once in memory, and a small "zip bomb" must not fill it.
pub const MAX_GUNZIPPED_BYTES: u64 = 1 << 30;

/// Decompresses a whole gzip file (every member, as `cat a.gz b.gz` writes them).
fn gunzip(path: &Path, compressed: &[u8], limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(compressed.len().saturating_mul(4).min(1 << 28));
    let mut reader = flate2::read::MultiGzDecoder::new(compressed).take(limit + 1);
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
    if bytes.len() as u64 > limit {
        return Err(WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "this gzip file expands to more than {} MiB, more than wfm reads at once; cut it to the period you need",
                limit >> 20
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
        .map_err(|e| match e.kind() {
            // A row short of the header's fields (or longer), in the form of every other error.
            csv::ErrorKind::UnequalLengths {
                pos: Some(pos),
                expected_len,
                len,
            } => WfmError::Invalid {
                path: path.to_path_buf(),
                message: format!(
                    "row {}: {len} field(s) where the header has {expected_len}; give every column, an empty one as nothing between two commas",
                    pos.line()
                ),
            },
            _ => csv_error(e),
        })?;
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

/// For a file that wfm writes (forecast, requirements), read as wfm writes it: another
/// separator is not a flag away (those commands have no `--delimiter`), it is to be saved so.
pub(crate) fn as_wfm_writes_it(error: WfmError) -> WfmError {
    match error {
        WfmError::WrongDelimiter {
            path,
            header,
            found,
        } => WfmError::Invalid {
            path,
            message: format!(
                "row 1: the header {header:?} looks separated by {}; this file is read as wfm \
                 writes it: save it separated by ',' (with a decimal point in numbers)",
                if found == '\t' {
                    "tabs".to_string()
                } else {
                    format!("'{found}'")
                }
            ),
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

        // What expands past the limit stops there, not when the memory is full.
        let bomb = gzip(&vec![b'0'; 3 << 20]);
        assert!(bomb.len() < 10_000);
        let message = gunzip(&path, &bomb, 2 << 20).unwrap_err().to_string();
        assert!(message.contains("more than 2 MiB"), "{message}");
        assert_eq!(gunzip(&path, &bomb, 3 << 20).unwrap().len(), 3 << 20);
    }

    #[test]
    fn utf16_text_is_read_and_other_containers_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let text = "date\tname\n2024-12-25\tNoël\n";
        let path = dir.path().join("holidays.txt");
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        std::fs::write(&path, &le).unwrap();
        assert_eq!(&*read_input(&path).unwrap(), text.as_bytes());
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        std::fs::write(&path, gzip(&be)).unwrap();
        assert_eq!(&*read_input(&path).unwrap(), text.as_bytes());
        // A lone surrogate on the second line.
        let mut bad = le.clone();
        bad.extend([0x00, 0xD8, b'x', 0x00]);
        std::fs::write(&path, &bad).unwrap();
        let message = read_input(&path).unwrap_err().to_string();
        assert!(message.contains("row 3: invalid UTF-16"), "{message}");

        for (bytes, what) in [
            (&b"PK\x03\x04rest"[..], "an .xlsx workbook"),
            (&b"BZh91AY&SY"[..], "bzip2"),
        ] {
            std::fs::write(&path, bytes).unwrap();
            let message = read_input(&path).unwrap_err().to_string();
            assert!(message.contains(what), "{message}");
        }
        let twice = gzip(&gzip(b"date,name\n"));
        std::fs::write(&path, twice).unwrap();
        assert_eq!(&*read_input(&path).unwrap(), b"date,name\n");
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

    #[test]
    fn a_row_short_of_the_headers_fields_is_named_by_its_row() {
        // A time-off row without its empty `from,to` gave the CSV library's own message.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("time_off.csv");
        std::fs::write(
            &path,
            "agent_id,date,from,to\nt0,2024-01-04,,\nt1,2024-01-05\n",
        )
        .unwrap();
        let message = read_small_csv(&path).err().unwrap().to_string();
        assert!(
            message.contains("time_off.csv")
                && message.contains("row 3: 2 field(s) where the header has 4"),
            "{message}"
        );
    }
}
