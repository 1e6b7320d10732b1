//! The one CSV writer every file wfm writes goes through: the `csv` crate quotes what needs it
//! (a region called `Sales, "EU"` survives the round trip), the file is written atomically, and
//! text cells that a spreadsheet would run as a formula are neutralised.
//!
//! Neutralising follows OWASP's guidance on CSV injection: a text cell that starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, which spreadsheets show
//! as text and do not evaluate. Numbers are written as numbers. wfm's readers drop that
//! apostrophe again ([`restore_text`]), so reading a file back gives the original name.

use std::borrow::Cow;
use std::fmt::Display;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

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
    writer: csv::Writer<&'a mut dyn Write>,
    /// Reused for formatting numbers, so a row allocates nothing.
    scratch: Vec<u8>,
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
        write!(self.scratch, "{value}")?;
        self.writer.write_field(&self.scratch)?;
        Ok(())
    }

    /// A wall-clock minute as an ISO-8601 timestamp ([`crate::time::format_minute`]).
    pub fn minute(&mut self, minute: i64) -> std::io::Result<()> {
        self.scratch.clear();
        crate::time::push_minute(&mut self.scratch, minute);
        self.writer.write_field(&self.scratch)?;
        Ok(())
    }

    /// A number with `decimals` digits after the point; an empty cell when it is not finite.
    pub fn number(&mut self, value: f64, decimals: usize) -> std::io::Result<()> {
        self.scratch.clear();
        if value.is_finite() {
            // Never "-0.000": a rounded negative zero is zero.
            let value = if value == 0.0 { 0.0 } else { value };
            push_fixed(&mut self.scratch, value, decimals);
            if self.scratch.starts_with(b"-")
                && self.scratch[1..].iter().all(|&b| b == b'0' || b == b'.')
            {
                self.scratch.remove(0);
            }
        }
        self.writer.write_field(&self.scratch)?;
        Ok(())
    }

    /// A whole number (a count of agents, of contacts).
    pub fn integer(&mut self, value: u64) -> std::io::Result<()> {
        self.scratch.clear();
        push_digits(&mut self.scratch, value, 1);
        self.writer.write_field(&self.scratch)?;
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

/// Powers of ten that `f64` holds exactly, for [`push_fixed`].
const POWERS_OF_TEN: [f64; 10] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/// Appends `format!("{value:.decimals$}")` for a finite `value`: the same text, byte for byte,
/// without the standard library's exact formatting, whose big-number fallback (Dragon4) took a
/// third of `wfm staff`'s time on a million rows.
///
/// The standard formatting rounds the exact binary value to `decimals` places. Here
/// `|value| × 10^decimals` is one correctly rounded multiplication (the power of ten is
/// exact), so it is within half an ulp of the exact product; when that product is further than
/// an ulp from a half (the only place rounding can go either way), rounding it gives the same
/// integer as rounding the exact value. Anything closer to a half, and anything too large for
/// the ulp to be small, goes to the standard formatting.
fn push_fixed(out: &mut Vec<u8>, value: f64, decimals: usize) {
    // Below 2^50 the product's ulp is at most 1/4, so a half is told apart from its neighbours.
    const LIMIT: f64 = (1u64 << 50) as f64;
    if let Some(&scale) = POWERS_OF_TEN.get(decimals) {
        let scaled = value.abs() * scale;
        if scaled < LIMIT {
            // Truncation is the floor of a value ≥ 0.
            let floor = scaled as u64;
            let fraction = scaled - floor as f64; // exact (Sterbenz), or `scaled` itself below 1
            let ulp = f64::EPSILON * scaled.max(1.0);
            if (fraction - 0.5).abs() > 2.0 * ulp {
                let units = floor + u64::from(fraction > 0.5);
                let pow = 10u64.pow(decimals as u32);
                if value.is_sign_negative() {
                    out.push(b'-');
                }
                push_digits(out, units / pow, 1);
                if decimals > 0 {
                    out.push(b'.');
                    push_digits(out, units % pow, decimals);
                }
                return;
            }
        }
    }
    let _ = std::io::Write::write_fmt(out, format_args!("{value:.decimals$}"));
}

/// Appends the decimal digits of `value`, at least `width` of them (zeros in front).
fn push_digits(out: &mut Vec<u8>, mut value: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut start = digits.len();
    while value > 0 {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
    }
    start = start.min(digits.len() - width.min(digits.len()));
    out.extend_from_slice(&digits[start..]);
}

/// The one configuration of the `csv` writer: every piece of a file is written alike.
fn rows_into(out: &mut dyn Write) -> CsvRows<'_> {
    CsvRows {
        writer: csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out),
        scratch: Vec::new(),
    }
}

/// Writes `path` atomically: the header row, then the rows `fill` writes.
pub fn write_csv(
    path: &Path,
    header: &[&str],
    fill: impl FnOnce(&mut CsvRows<'_>) -> std::io::Result<()>,
) -> Result<()> {
    write_atomic(path, |out| {
        let mut rows = rows_into(out);
        rows.writer.write_record(header)?;
        fill(&mut rows)?;
        rows.writer.flush()
    })
}

/// Rows one task formats in [`write_csv_rows`].
const ROWS_PER_TASK: usize = if cfg!(test) { 3 } else { 16_384 };
/// Tasks formatted before their text is written out: a few MB held at a time, whose memory
/// the next batch reuses.
const TASKS_PER_BATCH: usize = 8;

/// Writes `path` atomically: the header row, then rows `0..count`, row `i` written by
/// `fill(rows, i)` (a whole row, ended). Runs of rows are formatted in parallel, each into its
/// own buffer, and written in order: the same bytes as one [`write_csv`] pass, since every row
/// is written alike and a run starts at a row's start. For the files of a million rows
/// (`requirements.csv`, `forecast.csv`), whose formatting was the longest part of the command.
pub fn write_csv_rows(
    path: &Path,
    header: &[&str],
    count: usize,
    fill: impl Fn(&mut CsvRows<'_>, usize) -> std::io::Result<()> + Sync,
) -> Result<()> {
    write_atomic(path, |out| {
        let mut rows = rows_into(out);
        rows.writer.write_record(header)?;
        rows.writer.flush()?;
        drop(rows);
        let tasks: Vec<usize> = (0..count.div_ceil(ROWS_PER_TASK)).collect();
        for batch in tasks.chunks(TASKS_PER_BATCH) {
            let texts: Vec<std::io::Result<Vec<u8>>> = batch
                .par_iter()
                .map(|&task| {
                    let start = task * ROWS_PER_TASK;
                    let mut text = Vec::new();
                    let mut rows = rows_into(&mut text);
                    for i in start..(start + ROWS_PER_TASK).min(count) {
                        fill(&mut rows, i)?;
                    }
                    rows.writer.flush()?;
                    drop(rows);
                    Ok(text)
                })
                .collect();
            for text in texts {
                out.write_all(&text?)?;
            }
        }
        Ok(())
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

    /// A seeded stream of awkward numbers: halves and near-halves at every scale, values with
    /// many digits, tiny and huge magnitudes, both signs.
    fn awkward_numbers() -> Vec<f64> {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.125,
            0.375,
            1.0005,
            0.0005,
            0.00005,
            0.45,
            0.55,
            1e-300,
            5e-324,
            1e15,
            1e17,
            1.2345e20,
            4503599627370495.5,
            9007199254740993.0,
            f64::MAX,
            -f64::MAX,
            0.1,
            0.2,
            0.3,
            2.675,
            1.005,
            f64::from_bits(1.005f64.to_bits() - 1),
        ];
        for _ in 0..20_000 {
            let bits = next();
            let mantissa = (bits >> 11) as f64 / (1u64 << 53) as f64;
            let exponent = (next() % 40) as i32 - 20;
            let sign = if bits & 1 == 1 { -1.0 } else { 1.0 };
            values.push(sign * mantissa * 10f64.powi(exponent));
            // Exact halves and their neighbours at 0–9 decimals.
            let decimals = (next() % 10) as i32;
            let half = ((next() % 1_000_000) as f64 + 0.5) / 10f64.powi(decimals);
            values.extend([
                half,
                f64::from_bits(half.to_bits() + 1),
                f64::from_bits(half.to_bits() - 1),
            ]);
            values.push(f64::from_bits(next() >> 1));
        }
        values
    }

    #[test]
    fn fixed_numbers_are_the_standard_formatting() {
        let mut fast = Vec::new();
        for value in awkward_numbers().into_iter().filter(|v| v.is_finite()) {
            for decimals in 0..=12 {
                fast.clear();
                push_fixed(&mut fast, value, decimals);
                assert_eq!(
                    String::from_utf8_lossy(&fast),
                    format!("{value:.decimals$}"),
                    "{value:e} at {decimals}"
                );
            }
        }
    }

    #[test]
    fn rows_formatted_in_parallel_runs_are_one_pass() {
        let dir = tempfile::tempdir().unwrap();
        let (whole, runs) = (dir.path().join("whole.csv"), dir.path().join("runs.csv"));
        let names = ["a", "Sales, \"EU\"", "=x", "b\nc"];
        let row = |rows: &mut CsvRows<'_>, i: usize| {
            rows.minute(i as i64 * 30)?;
            rows.text(names[i % names.len()])?;
            rows.number(i as f64 / 7.0, 3)?;
            rows.integer(i as u64)?;
            rows.end_row()
        };
        // 0, 1, a partial run, whole runs and more (the tests' runs are 3 rows).
        for count in [0, 1, 2, 3, 7, 200, 3 * 8 * 3 + 1] {
            write_csv(&whole, &["timestamp", "region", "value", "n"], |rows| {
                (0..count).try_for_each(|i| row(rows, i))
            })
            .unwrap();
            write_csv_rows(&runs, &["timestamp", "region", "value", "n"], count, row).unwrap();
            assert_eq!(
                std::fs::read(&runs).unwrap(),
                std::fs::read(&whole).unwrap(),
                "{count} rows"
            );
        }
    }

    #[test]
    fn integers_are_their_display() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.csv");
        let values = [0, 7, 10, 99, 1_000_000, u64::from(u32::MAX), u64::MAX];
        write_csv(&path, &["n"], |rows| {
            for v in values {
                rows.integer(v)?;
                rows.end_row()?;
            }
            Ok(())
        })
        .unwrap();
        let expected: String = values.iter().map(|v| format!("{v}\n")).collect();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("n\n{expected}")
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
