//! Timestamps and numbers as spreadsheets and ACD exports write them: `--time-format` (a
//! strftime format, or the Excel presets `excel`, `excel-dmy`, `excel-mdy`) and
//! `--decimal-comma`.
//!
//! They are applied to a whole column before its rows are parsed, and only when asked for: a
//! plain ISO file with decimal points is read exactly as before and pays nothing for them. When
//! they are not asked for and a cell looks like one of these forms, the error names the flag.

mod decimal;
mod excel;
// The jobs share their helpers (each file imports `super::*`).
pub(crate) use {decimal::*, excel::*};

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use chrono::format::{Item, ParseErrorKind, StrftimeItems};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use polars::prelude::*;

use super::{Cell, Cells};
use crate::error::{Result, WfmError};
use crate::time::{parse_timestamp, ParsedTimestamp};

/// How the time column of a history file is written (`--time-format`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeFormat {
    /// Excel's own forms, `1/31/1999 8:30`, `31.01.1999 08:30:00`, `1/31/1999 8:30 PM`: day,
    /// month and a four-digit year separated by `/`, `.` or `-`, then an optional time.
    Excel(DateOrder),
    /// Excel's serial date-times, days since 1899-12-30 with the time as a fraction of a day
    /// (`36161.5` is 1999-01-01 12:00), as a sheet's unformatted cells export (`excel-serial`).
    ExcelSerial,
    /// A chrono strftime format such as `%d.%m.%Y %H:%M` (`%z` for an offset).
    Strftime(String),
}

/// Which comes first in a spreadsheet date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// `31/01/1999`: most of the world (`excel-dmy`).
    DayFirst,
    /// `01/31/1999`: the United States (`excel-mdy`).
    MonthFirst,
    /// Found from the file (`excel`): a first field above 12 is a day, a second field above 12
    /// is a day; a file where no date tells, or where the dates disagree, is refused.
    FromFile,
}

impl FromStr for TimeFormat {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        match text {
            "excel" => return Ok(TimeFormat::Excel(DateOrder::FromFile)),
            "excel-dmy" => return Ok(TimeFormat::Excel(DateOrder::DayFirst)),
            "excel-mdy" => return Ok(TimeFormat::Excel(DateOrder::MonthFirst)),
            "excel-serial" => return Ok(TimeFormat::ExcelSerial),
            _ => {}
        }
        if !text.contains('%') {
            return Err(
                "expected excel, excel-dmy, excel-mdy or a strftime format such as \"%d/%m/%Y %H:%M\""
                    .into(),
            );
        }
        if StrftimeItems::new(text).any(|item| matches!(item, Item::Error)) {
            return Err(format!(
                "\"{text}\" is not a valid strftime format (expected e.g. \"%d/%m/%Y %H:%M\")"
            ));
        }
        Ok(TimeFormat::Strftime(text.to_string()))
    }
}

impl fmt::Display for TimeFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeFormat::Excel(DateOrder::FromFile) => write!(f, "excel"),
            TimeFormat::Excel(DateOrder::DayFirst) => write!(f, "excel-dmy"),
            TimeFormat::Excel(DateOrder::MonthFirst) => write!(f, "excel-mdy"),
            TimeFormat::ExcelSerial => write!(f, "excel-serial"),
            TimeFormat::Strftime(format) => write!(f, "{format}"),
        }
    }
}

/// The time column read with `format`: text cells become date-times (empty cells stay empty,
/// for the row checks downstream); a Parquet date-time column is kept as it is.
pub(crate) fn parse_times(
    path: &Path,
    column: &str,
    cells: Cells,
    first_row: usize,
    format: &TimeFormat,
) -> Result<Cells> {
    let Cells::Text(text) = cells else {
        return Ok(cells);
    };
    let bad = |i: usize, problem: String| WfmError::bad_value(path, i + first_row, column, problem);
    let times = match format {
        TimeFormat::Excel(order) => {
            let fields: Vec<Option<Fields>> = text
                .iter()
                .enumerate()
                .map(|(i, cell)| match cell.map(str::trim) {
                    None | Some("") => Ok(None),
                    Some(t) => excel_fields(t).map(Some).ok_or_else(|| {
                        bad(
                            i,
                            format!(
                                "cannot read \"{t}\" as a date-time with --time-format {format} (expected e.g. {})",
                                example(*order)
                            ),
                        )
                    }),
                })
                .collect::<Result<_>>()?;
            let day_first = match order {
                DateOrder::DayFirst => true,
                DateOrder::MonthFirst => false,
                DateOrder::FromFile => detect_order(path, column, &fields, &text, first_row)?,
            };
            fields
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    f.as_ref()
                        .map(|f| {
                            f.timestamp(day_first).ok_or_else(|| {
                                let t = text.get(i).unwrap_or_default().trim();
                                bad(
                                    i,
                                    format!(
                                        "\"{t}\" is not a date read {} (--time-format {format})",
                                        if day_first {
                                            "day-first"
                                        } else {
                                            "month-first"
                                        }
                                    ),
                                )
                            })
                        })
                        .transpose()
                })
                .collect::<Result<Vec<_>>>()?
        }
        TimeFormat::ExcelSerial => text
            .iter()
            .enumerate()
            .map(|(i, cell)| match cell.map(str::trim) {
                None | Some("") => Ok(None),
                Some(t) => excel_serial(t).map(Some).ok_or_else(|| {
                    bad(
                        i,
                        format!(
                            "cannot read \"{t}\" as an Excel serial date-time with --time-format excel-serial (expected e.g. 36161.5 for 1999-01-01 12:00)"
                        ),
                    )
                }),
            })
            .collect::<Result<Vec<_>>>()?,
        TimeFormat::Strftime(pattern) => {
            let zoned =
                pattern.contains("%z") || pattern.contains("%:z") || pattern.contains("%#z");
            text.iter()
                .enumerate()
                .map(|(i, cell)| match cell.map(str::trim) {
                    None | Some("") => Ok(None),
                    Some(t) => strftime_timestamp(t, pattern, zoned).map(Some).map_err(|reason| {
                        bad(
                            i,
                            format!(
                                "cannot read \"{t}\" as a date-time in the format \"{pattern}\" (--time-format): {reason}"
                            ),
                        )
                    }),
                })
                .collect::<Result<Vec<_>>>()?
        }
    };
    Ok(Cells::Times(times))
}

fn strftime_timestamp(
    text: &str,
    pattern: &str,
    zoned: bool,
) -> std::result::Result<ParsedTimestamp, String> {
    if zoned {
        let t = DateTime::parse_from_str(text, pattern).map_err(|e| e.to_string())?;
        return Ok(ParsedTimestamp {
            clock_seconds: t.naive_local().and_utc().timestamp(),
            offset_seconds: Some(t.offset().local_minus_utc()),
        });
    }
    let naive = match NaiveDateTime::parse_from_str(text, pattern) {
        Ok(t) => t,
        // A format without a time of day (daily data): midnight.
        Err(e) if e.kind() == ParseErrorKind::NotEnough => NaiveDate::parse_from_str(text, pattern)
            .map_err(|e| e.to_string())?
            .and_time(NaiveTime::MIN),
        Err(e) => return Err(e.to_string()),
    };
    Ok(ParsedTimestamp {
        clock_seconds: naive.and_utc().timestamp(),
        offset_seconds: None,
    })
}

/// What a cell of a file that wfm writes (forecast, requirements) needs when a spreadsheet
/// re-saved it in its own forms: those files take no `--time-format` or `--decimal-comma`.
pub(crate) fn own_file_hint(text: &str) -> &'static str {
    if looks_like_spreadsheet_time(text) {
        "; this file is read as wfm writes it: save its timestamps as 2024-01-31T08:30:00"
    } else if looks_like_decimal_comma(text) {
        "; this file is read as wfm writes it: save its numbers with a decimal point (12.5)"
    } else {
        ""
    }
}

/// [`own_file_hint`] for a time cell.
pub(crate) fn own_file_cell_hint(cell: Cell<'_>) -> &'static str {
    match cell {
        Cell::Text(t) => own_file_hint(t),
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(text: &str, day_first: bool) -> Option<String> {
        let t = excel_fields(text)?.timestamp(day_first)?;
        Some(crate::time::naive_from_seconds(t.clock_seconds).to_string())
    }

    #[test]
    fn excel_forms_read_day_first_and_month_first() {
        assert_eq!(
            seconds("1/1/1999 0:00", true).unwrap(),
            "1999-01-01 00:00:00"
        );
        assert_eq!(
            seconds("31/01/2024 08:30", true).unwrap(),
            "2024-01-31 08:30:00"
        );
        assert_eq!(
            seconds("1/31/2024 8:30 PM", false).unwrap(),
            "2024-01-31 20:30:00"
        );
        assert_eq!(
            seconds("1/31/2024 12:05 AM", false).unwrap(),
            "2024-01-31 00:05:00"
        );
        assert_eq!(
            seconds("31.01.2024 08:30:15", true).unwrap(),
            "2024-01-31 08:30:15"
        );
        assert_eq!(seconds("2/3/2024", true).unwrap(), "2024-03-02 00:00:00");
        assert_eq!(seconds("2/3/2024", false).unwrap(), "2024-02-03 00:00:00");
        // Year first: one order only, whichever preset.
        for day_first in [true, false] {
            assert_eq!(
                seconds("2024/02/03 8:05", day_first).unwrap(),
                "2024-02-03 08:05:00"
            );
            assert_eq!(
                seconds("2024-02-03 8:05 PM", day_first).unwrap(),
                "2024-02-03 20:05:00"
            );
        }
        // Not a date one way round.
        assert_eq!(seconds("31/01/2024 08:30", false), None);
        for bad in [
            "+1/1/1999",
            "1/1/199",
            "2024/1/1999",
            "1/1/99 0:00",
            "1/1/1999 25:00",
            "1/1/1999 13:00 PM",
            "1/1/1999 8:3",
            "a/b/c",
        ] {
            assert!(
                excel_fields(bad).and_then(|f| f.timestamp(true)).is_none(),
                "{bad}"
            );
        }
    }

    fn load(text: &str, format: &str) -> crate::Result<crate::data::History> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.csv");
        std::fs::write(&path, text).unwrap();
        let options = crate::data::IngestOptions {
            time_format: Some(format.parse().unwrap()),
            ..Default::default()
        };
        crate::data::load_history(&path, &options)
    }

    #[test]
    fn excel_finds_the_order_from_the_file_or_needs_none() {
        let first = |text: &str| {
            let h = load(text, "excel").unwrap();
            crate::time::format_minute(h.regions[0].start_minute)
        };
        // 13 can only be a day: the file is day-first.
        assert_eq!(
            first("timestamp,contacts\n13/1/2024 8:00,1\n13/1/2024 8:30,2\n"),
            "2024-01-13T08:00:00"
        );
        assert_eq!(
            first("timestamp,contacts\n1/13/2024 8:00,1\n1/13/2024 8:30,2\n"),
            "2024-01-13T08:00:00"
        );
        // Year first, every row: no order to find.
        assert_eq!(
            first("timestamp,contacts\n2024/01/02 8:00,1\n2024/01/02 8:30,2\n"),
            "2024-01-02T08:00:00"
        );
        let ambiguous = load("timestamp,contacts\n2/1/2024 8:00,1\n", "excel")
            .unwrap_err()
            .to_string();
        assert!(ambiguous.contains("row 2"), "{ambiguous}");
        assert!(ambiguous.contains("excel-dmy or excel-mdy"), "{ambiguous}");
    }

    #[test]
    fn time_format_names_parse_and_bad_formats_are_refused() {
        assert_eq!(
            "excel".parse::<TimeFormat>(),
            Ok(TimeFormat::Excel(DateOrder::FromFile))
        );
        assert_eq!(
            "%d.%m.%Y %H:%M".parse::<TimeFormat>(),
            Ok(TimeFormat::Strftime("%d.%m.%Y %H:%M".into()))
        );
        assert!("dd/mm/yyyy"
            .parse::<TimeFormat>()
            .unwrap_err()
            .contains("excel-dmy"));
        assert!("%Q".parse::<TimeFormat>().is_err());
        assert_eq!(
            "excel-serial".parse::<TimeFormat>(),
            Ok(TimeFormat::ExcelSerial)
        );
        // 36161 is 1999-01-01 (Excel's DATE(1999,1,1)); .5 is noon.
        let noon = excel_serial("36161.5").unwrap();
        assert_eq!(
            crate::time::naive_from_seconds(noon.clock_seconds).to_string(),
            "1999-01-01 12:00:00"
        );
        // 45322.3541666667 is 2024-01-31 08:30 as Excel stores it, to the nearest second.
        let stored = excel_serial("45322.3541666667").unwrap();
        assert_eq!(
            crate::time::naive_from_seconds(stored.clock_seconds).to_string(),
            "2024-01-31 08:30:00"
        );
        assert_eq!(excel_serial("36161,5"), Some(noon));
        assert!(excel_serial("1e9").is_none());
        assert!(looks_like_excel_serial("45322.35"));
        assert!(looks_like_excel_serial("45322,35"));
        assert!(!looks_like_excel_serial("12"));
    }

    #[test]
    fn strftime_reads_dates_times_and_offsets() {
        let t = strftime_timestamp("31.01.2024 08:30", "%d.%m.%Y %H:%M", false).unwrap();
        assert_eq!(
            crate::time::naive_from_seconds(t.clock_seconds).to_string(),
            "2024-01-31 08:30:00"
        );
        let day = strftime_timestamp("31.01.2024", "%d.%m.%Y", false).unwrap();
        assert_eq!(day.clock_seconds % 86_400, 0);
        let zoned =
            strftime_timestamp("2024-01-31 08:30 +0200", "%Y-%m-%d %H:%M %z", true).unwrap();
        assert_eq!(zoned.offset_seconds, Some(7_200));
        assert!(strftime_timestamp("31.01.2024 8h", "%d.%m.%Y %H:%M", false).is_err());
    }

    #[test]
    fn clock_durations_read_as_seconds_only_when_unambiguous() {
        assert_eq!(clock_duration_seconds("0:03:20"), Some(200.0));
        assert_eq!(clock_duration_seconds("01:00:00"), Some(3_600.0));
        assert_eq!(clock_duration_seconds("0:03:20.5"), Some(200.5));
        assert_eq!(clock_duration_seconds("24:00:00"), Some(86_400.0));
        for not in [
            "3:20",
            "0:3:20",
            "0:60:00",
            "25:00:00",
            "1:00:00:00",
            "a:bb:cc",
            "0:03:2x",
        ] {
            assert_eq!(clock_duration_seconds(not), None, "{not}");
        }
        assert!(looks_like_clock_duration("3:20"));
        assert!(!looks_like_clock_duration("0:03:20"));
        assert!(thousands_hint("1,234").contains("thousands"));
        assert_eq!(thousands_hint("12,5"), "");
    }

    #[test]
    fn decimal_commas_are_read_and_recognised() {
        assert_eq!(parse_decimal_comma("12,5"), Ok(12.5));
        assert_eq!(parse_decimal_comma("7"), Ok(7.0));
        assert!(parse_decimal_comma("1.234,5")
            .unwrap_err()
            .contains("thousands"));
        assert!(parse_decimal_comma("12,5,1").is_err());
        assert!(looks_like_decimal_comma("12,5"));
        assert!(looks_like_decimal_comma(" 1.234,5 "));
        assert!(!looks_like_decimal_comma("12 calls"));
        assert!(!looks_like_decimal_comma("12,"));
        assert!(looks_like_spreadsheet_time("1/1/1999 0:00"));
        assert!(!looks_like_spreadsheet_time("2024-01-0X 08:30"));
    }
}
