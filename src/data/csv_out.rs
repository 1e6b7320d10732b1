//! The one CSV writer every file wfm writes goes through: the `csv` crate quotes what needs it
//! (a region called `Sales, "EU"` survives the round trip), the file is written atomically, and
//! text cells that a spreadsheet would run as a formula are neutralised.
//!
//! Neutralising follows OWASP's guidance on CSV injection: a text cell that starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, which spreadsheets show
//! as text and do not evaluate. Numbers are written as numbers. wfm's readers drop that
//! apostrophe again ([`restore_text`]), so reading a file back gives the original name.

use std::borrow::Cow;
use std::fmt::{Display, Write as _};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use crate::atomic::write_atomic;
use crate::error::Result;

/// Characters that make a spreadsheet read a cell as a formula (or a command).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as it is written: neutralised when a spreadsheet would evaluate it.
pub fn safe_text(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A text cell as it was before [`safe_text`].
pub fn restore_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// Rows of a CSV file being written.
pub struct CsvRows<'a> {
    writer: csv::Writer<&'a mut BufWriter<File>>,
    /// Reused for formatting numbers, so a row allocates nothing.
    scratch: String,
}

impl CsvRows<'_> {
    /// A text cell (a name, free text): quoted as needed and neutralised.
    pub fn text(&mut self, text: &str) -> std::io::Result<()> {
        self.writer.write_field(safe_text(text).as_bytes())?;
        Ok(())
    }

    /// A value written with its `Display` (a number, a timestamp), as it is.
    pub fn value(&mut self, value: impl Display) -> std::io::Result<()> {
        self.scratch.clear();
        let _ = write!(self.scratch, "{value}");
        self.writer.write_field(self.scratch.as_bytes())?;
        Ok(())
    }

    /// A number with `decimals` digits after the point; an empty cell when it is not finite.
    pub fn number(&mut self, value: f64, decimals: usize) -> std::io::Result<()> {
        self.scratch.clear();
        if value.is_finite() {
            // Never "-0.000": a rounded negative zero is zero.
            let value = if value == 0.0 { 0.0 } else { value };
            let _ = write!(self.scratch, "{value:.decimals$}");
            if self.scratch.starts_with('-')
                && self.scratch[1..].bytes().all(|b| b == b'0' || b == b'.')
            {
                self.scratch.remove(0);
            }
        }
        self.writer.write_field(self.scratch.as_bytes())?;
        Ok(())
    }

    /// An empty cell.
    pub fn empty(&mut self) -> std::io::Result<()> {
        self.writer.write_field([])?;
        Ok(())
    }

    /// Ends the current row.
    pub fn end_row(&mut self) -> std::io::Result<()> {
        self.writer.write_record(None::<&[u8]>)?;
        Ok(())
    }
}

/// Writes `path` atomically: the header row, then the rows `fill` writes.
pub fn write_csv(
    path: &Path,
    header: &[&str],
    fill: impl FnOnce(&mut CsvRows<'_>) -> std::io::Result<()>,
) -> Result<()> {
    write_atomic(path, |out| {
        let mut rows = CsvRows {
            writer: csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(out),
            scratch: String::new(),
        };
        rows.writer.write_record(header)?;
        fill(&mut rows)?;
        rows.writer.flush()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_restored() {
        for name in ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx"] {
            let written = safe_text(name);
            assert_eq!(written, format!("'{name}"));
            assert_eq!(restore_text(&written), name);
        }
        assert_eq!(safe_text("Sales, EU"), "Sales, EU");
        assert_eq!(
            restore_text("'quoted"),
            "'quoted",
            "only a neutralised formula"
        );
    }

    #[test]
    fn names_with_commas_quotes_and_newlines_are_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        write_csv(&path, &["region", "value"], |rows| {
            rows.text("Sales, \"EU\"\nnight")?;
            rows.number(-0.0001, 3)?;
            rows.end_row()?;
            rows.text("=1+1")?;
            rows.number(f64::NAN, 3)?;
            rows.end_row()
        })
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "region,value\n\"Sales, \"\"EU\"\"\nnight\",0.000\n'=1+1,\n"
        );
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let first = reader.records().next().unwrap().unwrap();
        assert_eq!(&first[0], "Sales, \"EU\"\nnight");
    }
}
