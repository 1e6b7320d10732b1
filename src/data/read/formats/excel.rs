//! Excel's timestamps: serial numbers, and dates whose day order is detected from the file.

use super::*;

/// Days since 1899-12-30, with a decimal point or comma (Excel's day 0 in its 1900 system, past its 1900 leap-year bug), to
/// the nearest second; years 1900–2200 only, as everywhere in wfm.
pub(super) fn excel_serial(text: &str) -> Option<ParsedTimestamp> {
    // A sheet in a decimal-comma locale writes `36161,5`: a serial has no thousands separator.
    let days: f64 = text.replacen(',', ".", 1).parse().ok()?;
    // 1900-01-01 is day 2 and 2200-12-31 day 110,937.
    if !(2.0..110_938.0).contains(&days) {
        return None;
    }
    let epoch = crate::time::days_from_civil(1899, 12, 30) * 86_400;
    Some(ParsedTimestamp {
        clock_seconds: epoch + (days * 86_400.0).round() as i64,
        offset_seconds: None,
    })
}

/// Whether a time cell is a number in the range of Excel serial dates of 1950–2100.
pub(crate) fn looks_like_excel_serial(text: &str) -> bool {
    text.trim()
        .replacen(',', ".", 1)
        .parse::<f64>()
        .is_ok_and(|days| (18_264.0..73_051.0).contains(&days))
}

pub(super) fn example(order: DateOrder) -> &'static str {
    match order {
        DateOrder::DayFirst => "31/01/2024 08:30",
        DateOrder::MonthFirst => "1/31/2024 8:30 AM",
        DateOrder::FromFile => "31/01/2024 08:30 or 1/31/2024 8:30",
    }
}

/// A spreadsheet date-time before the order of day and month is known.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    first: u32,
    second: u32,
    year: i32,
    seconds_of_day: u32,
    /// An ISO cell among spreadsheet ones: its date is already certain.
    iso: Option<ParsedTimestamp>,
    /// `2024/01/31`: year, month, day, whatever the order of the others.
    year_first: bool,
}

impl Fields {
    pub(super) fn timestamp(&self, day_first: bool) -> Option<ParsedTimestamp> {
        if let Some(iso) = self.iso {
            return Some(iso);
        }
        let (day, month) = if day_first && !self.year_first {
            (self.first, self.second)
        } else {
            (self.second, self.first)
        };
        let date = NaiveDate::from_ymd_opt(self.year, month, day)?;
        Some(ParsedTimestamp {
            clock_seconds: date.and_time(NaiveTime::MIN).and_utc().timestamp()
                + self.seconds_of_day as i64,
            offset_seconds: None,
        })
    }
}

/// `D/M/YYYY[ H:MM[:SS[.fff]][ AM|PM]]` with `/`, `.` or `-` between the date's fields, or the
/// year first (`2024/01/31 8:30`); an ISO timestamp is accepted as well (a column Excel
/// reformatted only in part).
pub(super) fn excel_fields(text: &str) -> Option<Fields> {
    // Only a cell that starts like `2024-` can be ISO: the others skip that parse.
    let iso_like = text.as_bytes().get(4) == Some(&b'-');
    if let Some(iso) = iso_like.then(|| parse_timestamp(text)).flatten() {
        return Some(Fields {
            first: 0,
            second: 0,
            year: 0,
            seconds_of_day: 0,
            iso: Some(iso),
            year_first: true,
        });
    }
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((date, time)) => (date, time.trim()),
        None => (text, ""),
    };
    let separator = date.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let mut parts = date.split(separator);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || ![a, b, c].into_iter().all(digits) {
        return None;
    }
    // Year last (31/01/2024, 1/31/2024) or first (2024/01/31, 2024-01-31 8:30).
    let year_first = a.len() == 4;
    let (first, second, year) = match (a.len(), c.len()) {
        (4, 1..=2) => (b, c, a),
        (1..=2, 4) => (a, b, c),
        _ => return None,
    };
    if first.len() > 2 || second.len() > 2 {
        return None;
    }
    let (first, second) = (first.parse::<u32>().ok()?, second.parse::<u32>().ok()?);
    let year = year.parse::<i32>().ok()?;
    Some(Fields {
        first,
        second,
        year,
        seconds_of_day: if time.is_empty() {
            0
        } else {
            time_of_day(time)?
        },
        iso: None,
        year_first,
    })
}

/// `H:MM[:SS[.fff]]`, optionally followed by `AM`/`PM` (then the hour is 1–12).
pub(super) fn time_of_day(text: &str) -> Option<u32> {
    let ends_with = |suffix: &str| {
        text.len() >= suffix.len()
            && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    let (clock, meridiem) = if ends_with("AM") || ends_with("PM") {
        (text[..text.len() - 2].trim_end(), Some(ends_with("PM")))
    } else {
        (text, None)
    };
    let mut parts = clock.split(':');
    let hour = parts.next()?;
    let minute = parts.next()?;
    let second = parts.next();
    if parts.next().is_some() || !(1..=2).contains(&hour.len()) || minute.len() != 2 {
        return None;
    }
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(hour) || !all_digits(minute) {
        return None;
    }
    let (mut hour, minute) = (hour.parse::<u32>().ok()?, minute.parse::<u32>().ok()?);
    let second =
        match second {
            None => 0,
            Some(s) => {
                let whole = s.split_once(['.', ',']).map_or(s, |(whole, fraction)| {
                    if all_digits(fraction) {
                        whole
                    } else {
                        "x"
                    }
                });
                if whole.len() != 2 || !all_digits(whole) {
                    return None;
                }
                whole.parse::<u32>().ok()?
            }
        };
    match meridiem {
        Some(pm) => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = hour % 12 + if pm { 12 } else { 0 };
        }
        None if hour > 23 => return None,
        None => {}
    }
    if minute > 59 || second > 59 {
        return None;
    }
    Some(hour * 3600 + minute * 60 + second)
}

/// Day-first or month-first, from the dates that can be read only one way.
pub(super) fn detect_order(
    path: &Path,
    column: &str,
    fields: &[Option<Fields>],
    text: &StringChunked,
    first_row: usize,
) -> Result<bool> {
    let first_where = |test: &dyn Fn(&Fields) -> bool| {
        fields
            .iter()
            .position(|f| f.as_ref().is_some_and(|f| !f.year_first && test(f)))
    };
    let cell = |i: usize| text.get(i).unwrap_or_default().trim().to_string();
    let day_first = first_where(&|f| f.first > 12);
    let month_first = first_where(&|f| f.second > 12);
    match (day_first, month_first) {
        (Some(_), None) => Ok(true),
        (None, Some(_)) => Ok(false),
        (Some(d), Some(m)) => Err(WfmError::bad_value(
            path,
            m.max(d) + first_row,
            column,
            format!(
                "the dates disagree: \"{}\" (row {}) is day-first and \"{}\" (row {}) month-first; \
                 make the column one form, or say which with --time-format excel-dmy or excel-mdy",
                cell(d),
                d + first_row,
                cell(m),
                m + first_row
            ),
        )),
        (None, None) => {
            // Every date year first (or ISO): the order never matters.
            let Some(example) = first_where(&|_| true) else {
                return Ok(true);
            };
            Err(WfmError::bad_value(
                path,
                example + first_row,
                column,
                format!(
                    "no date in the column says whether \"{}\" is day-first or month-first (no day \
                     above 12); say which with --time-format excel-dmy or excel-mdy",
                    cell(example)
                ),
            ))
        }
    }
}

/// Whether a cell that is not an ISO date-time looks like a spreadsheet's date, so that the
/// message can name `--time-format`.
pub(crate) fn looks_like_spreadsheet_time(text: &str) -> bool {
    excel_fields(text.trim()).is_some_and(|f| f.iso.is_none())
}
