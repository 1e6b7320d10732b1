//! Numbers with a decimal comma, clock durations (`0:03:20`) and the hints that name them.

use super::*;

/// A handle time written as a clock duration, `H:MM:SS` (`0:03:20` = 200 s), as ACD reports
/// write it; `M:SS` is not read (it could be `H:MM`). Up to 24:00:00.
pub(crate) fn clock_duration_seconds(text: &str) -> Option<f64> {
    let mut parts = text.trim().split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let (whole_seconds, fraction) = s.split_once(['.', ',']).unwrap_or((s, "0"));
    if parts.next().is_some()
        || !(1..=2).contains(&h.len())
        || m.len() != 2
        || whole_seconds.len() != 2
        || ![h, m, whole_seconds, fraction].into_iter().all(digits)
    {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let seconds: f64 = format!("{whole_seconds}.{fraction}").parse().ok()?;
    let total = f64::from(h * 3_600 + m * 60) + seconds;
    (m < 60 && seconds < 60.0 && total <= crate::limits::MAX_SECONDS).then_some(total)
}

/// Whether a cell looks like `3:20`, a duration in minutes and seconds (or hours and minutes).
pub(crate) fn looks_like_clock_duration(text: &str) -> bool {
    let t = text.trim();
    t.split(':').count() == 2
        && t.split(':')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `1,234` may be a thousands separator rather than a decimal comma: the message says both.
pub(crate) fn thousands_hint(text: &str) -> &'static str {
    match text.trim().split_once(',') {
        Some((_, decimals)) if decimals.len() == 3 => {
            " (or, if the ',' separates thousands, remove it)"
        }
        _ => "",
    }
}

/// The handle-time column with `--decimal-comma`: numbers as [`decimal_comma_numbers`] reads
/// them, and `H:MM:SS` durations as without the flag.
pub(crate) fn decimal_comma_seconds(
    path: &Path,
    column: &str,
    cells: Cells,
    first_row: usize,
) -> Result<Cells> {
    text_to_numbers(
        path,
        column,
        cells,
        first_row,
        |t| match clock_duration_seconds(t) {
            Some(seconds) => Ok(seconds),
            None => parse_decimal_comma(t),
        },
    )
}

/// A number column read with a decimal comma (`12,5`): text cells become numbers, empty cells
/// stay empty; a Parquet number column is kept as it is.
pub(crate) fn decimal_comma_numbers(
    path: &Path,
    column: &str,
    cells: Cells,
    first_row: usize,
) -> Result<Cells> {
    text_to_numbers(path, column, cells, first_row, parse_decimal_comma)
}

/// Text cells parsed into numbers by `parse` (trimmed; empty cells stay empty), naming the row
/// and column of the first it refuses; other cells are kept as they are.
pub(super) fn text_to_numbers(
    path: &Path,
    column: &str,
    cells: Cells,
    first_row: usize,
    parse: impl Fn(&str) -> std::result::Result<f64, String>,
) -> Result<Cells> {
    let Cells::Text(text) = cells else {
        return Ok(cells);
    };
    let values: Float64Chunked = text
        .iter()
        .enumerate()
        .map(|(i, cell)| match cell.map(str::trim) {
            None | Some("") => Ok(None),
            Some(t) => parse(t)
                .map(Some)
                .map_err(|problem| WfmError::bad_value(path, i + first_row, column, problem)),
        })
        .collect::<Result<_>>()?;
    Ok(Cells::Number(values))
}

pub(super) fn parse_decimal_comma(text: &str) -> std::result::Result<f64, String> {
    if text.contains('.') {
        return Err(format!(
            "\"{text}\" has a '.', but with --decimal-comma the decimal mark is ',': write e.g. 1234,5 (no thousands separators)"
        ));
    }
    // `12,5` as `12.5`, in a buffer on the stack for the usual short cell.
    let mut buffer = [0u8; 32];
    let parsed = if text.len() <= buffer.len() {
        buffer[..text.len()].copy_from_slice(text.as_bytes());
        if let Some(comma) = text.find(',') {
            buffer[comma] = b'.';
        }
        std::str::from_utf8(&buffer[..text.len()])
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
    } else {
        text.replacen(',', ".", 1).parse::<f64>().ok()
    };
    match parsed {
        Some(v) if v.is_finite() => Ok(v),
        _ => Err(format!(
            "cannot read \"{text}\" as a number with a decimal comma (expected e.g. 12,5)"
        )),
    }
}

/// Whether a cell that is not a number looks like one written with a decimal comma (`12,5`),
/// so that the message can name `--decimal-comma`.
pub(crate) fn looks_like_decimal_comma(text: &str) -> bool {
    let t = text.trim();
    t.matches(',').count() == 1
        && t.replace(['.', ','], "").parse::<f64>().is_ok()
        && t.bytes().any(|b| b.is_ascii_digit())
        && !t.ends_with(',')
}
