//! The fast path for plain CSV: a history without quotes, without stray carriage returns, and
//! whose every line has the header's number of fields, is cut at line ends into runs that are
//! parsed in parallel straight into rows, without building polars' text columns first (on
//! 3.5 M rows that is most of the reading time).
//!
//! The polars reader stays the reference. This path gives exactly the rows it would give (each
//! cell is the field's text, an empty field is null, as polars reads them) or gives up: on
//! anything else (a quote, a ragged line, a bad value, a row's error), the caller reads the
//! file again the usual way, so that every error is the one the usual reader reports.

use std::path::Path;

use memchr::{memchr, memchr_iter};
use rayon::prelude::*;

use super::cells::Cell;
use super::plan::ColumnPlan;
use super::RawTable;
use crate::error::Result;

/// Bytes one task parses: a few tasks per core on a file of millions of rows. The unit tests
/// cut their small files every few lines, so that every ingest test also checks the joining.
const BYTES_PER_RUN: usize = if cfg!(test) { 64 } else { 8 << 20 };

/// The rows of a plain CSV's `text` (the file without its BOM; UTF-8, checked by the caller),
/// whose header has `header_fields` fields and whose columns `plan` picked; `None` when the file
/// is not plain or a row fails (the caller then reads it the usual way).
pub(crate) fn read_rows(
    path: &Path,
    plan: &ColumnPlan,
    text: &str,
    header: &[String],
    separator: u8,
) -> Option<RawTable> {
    let bytes = text.as_bytes();
    if separator == b'"' || separator == b'\r' || separator == b'\n' {
        return None;
    }
    // A quote may hold a separator or a line end: only the full reader splits those.
    if memchr(b'"', bytes).is_some() {
        return None;
    }
    // A carriage return only ends a line (`\r\n`).
    if memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n')) {
        return None;
    }
    let roles = plan.roles(header)?;
    // The header is one line: no quote can hold its line end.
    let data_start = memchr(b'\n', bytes)? + 1;
    let runs = cut_runs(text, data_start);
    let lines: Vec<usize> = runs
        .par_iter()
        .map(|run| memchr_iter(b'\n', run.as_bytes()).count())
        .collect();
    let mut first_row = 2;
    let starts: Vec<usize> = lines
        .iter()
        .map(|n| {
            let row = first_row;
            first_row += n;
            row
        })
        .collect();
    let parts: Vec<Option<Result<RawTable>>> = runs
        .par_iter()
        .zip(&starts)
        .map(|(run, &first_row)| {
            let mut ragged = false;
            let rows = Lines {
                rest: run,
                separator,
                fields: header.len(),
                roles: &roles,
                ragged: &mut ragged,
            };
            let part = super::rows::collect_part(path, plan, rows, first_row);
            (!ragged).then_some(part)
        })
        .collect();
    let parts: Option<Vec<Result<RawTable>>> = parts.into_iter().collect();
    // Any error is reported by the full reader, which may find an earlier one (a ragged line
    // polars refuses as a whole).
    super::rows::join_parts(path, parts?).ok()
}

/// `text[start..]` cut into runs of about [`BYTES_PER_RUN`], each ending just after a line end
/// (the last at the end of the text).
pub(super) fn cut_runs(text: &str, start: usize) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut from = start;
    while from < bytes.len() {
        let target = from + BYTES_PER_RUN;
        let end = if target >= bytes.len() {
            bytes.len()
        } else {
            memchr(b'\n', &bytes[target..]).map_or(bytes.len(), |at| target + at + 1)
        };
        runs.push(&text[from..end]);
        from = end;
    }
    runs
}

/// The rows of a run as the five cells [`super::rows::collect_part`] reads (time, region,
/// volume, AHT, group). A line with another number of fields than the header ends the rows and
/// sets `ragged`.
struct Lines<'a, 'f> {
    rest: &'a str,
    separator: u8,
    fields: usize,
    /// For each field of a line, which of the five cells it is, if any.
    roles: &'f [Option<usize>],
    ragged: &'f mut bool,
}

impl<'a> Iterator for Lines<'a, '_> {
    type Item = [Cell<'a>; 5];

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let mut cells = [Cell::Absent; 5];
        for role in self.roles.iter().flatten() {
            cells[*role] = Cell::Null;
        }
        let bytes = self.rest.as_bytes();
        let (line, rest) = match memchr(b'\n', bytes) {
            Some(at) => (&self.rest[..at], self.rest.get(at + 1..).unwrap_or("")),
            None => (self.rest, ""),
        };
        self.rest = rest;
        // The last field does not hold the `\r` of a `\r\n` line end.
        let line = line.strip_suffix('\r').unwrap_or(line);
        // polars reads a blank line as a row of empty cells.
        if line.is_empty() {
            return Some(cells);
        }
        let mut from = 0;
        let mut field = 0;
        let mut put = |field: usize, from: usize, to: usize| {
            if let Some(&Some(role)) = self.roles.get(field) {
                if to > from {
                    cells[role] = Cell::Text(&line[from..to]);
                }
            }
        };
        // Lines are short: a plain loop beats starting a vectorised search at every field.
        for (at, &byte) in line.as_bytes().iter().enumerate() {
            if byte == self.separator {
                put(field, from, at);
                field += 1;
                from = at + 1;
            }
        }
        put(field, from, line.len());
        if field + 1 != self.fields {
            *self.ragged = true;
            return None;
        }
        Some(cells)
    }
}
