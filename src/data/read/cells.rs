//! A column of an input file as polars read it, and its cells one at a time.

use polars::prelude::*;

use crate::time::ParsedTimestamp;

/// What a column holds, which decides how a Parquet column may be typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Time,
    Text,
    Number,
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

impl Cells {
    /// The number of cells, for a column that the file has.
    pub(super) fn len(&self) -> Option<usize> {
        match self {
            Cells::Absent => None,
            Cells::Text(c) => Some(c.len()),
            Cells::Number(c) => Some(c.len()),
            Cells::DateTime { ticks, .. } => Some(ticks.len()),
            Cells::Times(t) => Some(t.len()),
        }
    }

    /// Cells `offset..offset + len` (polars slices share the buffers: nothing is copied).
    pub(super) fn slice(&self, offset: usize, len: usize) -> Cells {
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
