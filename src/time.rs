//! Wall-clock time as wfm uses it: timestamps are local "naive" date-times counted in seconds
//! (or minutes) since 1970-01-01 00:00 of the same wall clock, so every day has exactly 1,440
//! minutes and a daily profile never shifts on a DST day. Conversions from UTC happen once, at
//! ingest.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;

pub const MINUTES_PER_DAY: i64 = 1_440;
pub const MINUTES_PER_WEEK: i64 = 7 * MINUTES_PER_DAY;
/// 1970-01-01 was a Thursday: add three days so that weeks start on Monday.
const EPOCH_MONDAY_SHIFT_MINUTES: i64 = 3 * MINUTES_PER_DAY;

pub const WEEKDAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The weekdays of a mask (bit 0 = Monday) joined by "+": "Sat+Sun".
pub fn weekday_mask_names(mask: u8) -> String {
    let names: Vec<&str> = (0..7)
        .filter(|d| mask & (1 << d) != 0)
        .map(|d| WEEKDAY_NAMES[d])
        .collect();
    names.join("+")
}

/// An interval length in minutes that divides a day, so that every day has the same slots:
/// the one place that rule is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct IntervalLength(u32);

impl IntervalLength {
    /// `None` unless `minutes` is positive and divides 1,440.
    pub fn new(minutes: i64) -> Option<Self> {
        (minutes > 0 && MINUTES_PER_DAY % minutes == 0).then_some(IntervalLength(minutes as u32))
    }

    pub fn minutes(self) -> u32 {
        self.0
    }

    /// Intervals in a day.
    pub fn per_day(self) -> usize {
        (MINUTES_PER_DAY / self.0 as i64) as usize
    }

    /// Intervals in a week.
    pub fn per_week(self) -> usize {
        7 * self.per_day()
    }
}

/// A time slot within the week: weekday (0 = Monday) and minute of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SlotOfWeek {
    pub weekday: u8,
    pub minute_of_day: u16,
}

impl SlotOfWeek {
    /// The slot that contains a wall-clock minute.
    pub fn of_minute(minute: i64) -> Self {
        let of_week = (minute + EPOCH_MONDAY_SHIFT_MINUTES).rem_euclid(MINUTES_PER_WEEK);
        SlotOfWeek {
            weekday: (of_week / MINUTES_PER_DAY) as u8,
            minute_of_day: (of_week % MINUTES_PER_DAY) as u16,
        }
    }

    /// Index of the slot among `7 × 1440 / interval_minutes` slots of a week.
    pub fn index(self, interval_minutes: u32) -> usize {
        (self.weekday as usize * MINUTES_PER_DAY as usize + self.minute_of_day as usize)
            / interval_minutes as usize
    }
}

/// Weekday (0 = Monday) of a wall-clock minute.
pub fn weekday_of_minute(minute: i64) -> usize {
    SlotOfWeek::of_minute(minute).weekday as usize
}

/// Day number (days since 1970-01-01) of a wall-clock minute.
pub fn day_of_minute(minute: i64) -> i64 {
    minute.div_euclid(MINUTES_PER_DAY)
}

/// An inclusive range of day numbers (days since 1970-01-01): the days a requirement, a plan
/// or a roster spans. Empty (first after last) when there is no day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    pub first: i64,
    pub last: i64,
}

impl DayRange {
    /// No day.
    pub const EMPTY: DayRange = DayRange {
        first: i64::MAX,
        last: i64::MIN,
    };

    /// The days from `first` to `last`, both included.
    pub fn new(first: i64, last: i64) -> Self {
        DayRange { first, last }
    }

    /// The smallest range holding both.
    pub fn union(self, other: DayRange) -> DayRange {
        DayRange {
            first: self.first.min(other.first),
            last: self.last.max(other.last),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.first > self.last
    }

    /// The number of days (0 when empty).
    pub fn len(&self) -> i64 {
        if self.is_empty() {
            0
        } else {
            self.last - self.first + 1
        }
    }
}

/// The range of the day numbers seen.
impl FromIterator<i64> for DayRange {
    fn from_iter<I: IntoIterator<Item = i64>>(days: I) -> Self {
        days.into_iter().fold(DayRange::EMPTY, |range, day| {
            range.union(DayRange::new(day, day))
        })
    }
}

/// The smallest range holding all.
impl FromIterator<DayRange> for DayRange {
    fn from_iter<I: IntoIterator<Item = DayRange>>(ranges: I) -> Self {
        ranges.into_iter().fold(DayRange::EMPTY, DayRange::union)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub const fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// A timestamp as written in a file: its wall-clock part and, when present, its UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedTimestamp {
    /// Wall-clock seconds since 1970-01-01 00:00 (of the clock the timestamp was written in).
    pub clock_seconds: i64,
    /// `Z` or `±HH:MM`, in seconds east of UTC.
    pub offset_seconds: Option<i32>,
}

impl ParsedTimestamp {
    /// The instant in UTC seconds, when an offset says which instant it is.
    pub fn utc_seconds(self) -> Option<i64> {
        self.offset_seconds
            .map(|off| self.clock_seconds - off as i64)
    }
}

fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() {
        return None;
    }
    let mut value = 0u32;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + (b - b'0') as u32;
    }
    Some(value)
}

/// Parses ISO-8601 date-times: `2024-03-01T08:30:00`, `2024-03-01 08:30`, `2024-03-01T08:30:00.000`,
/// with an optional `Z` or `±HH:MM` / `±HHMM` / `±HH` offset; a bare date means midnight.
///
/// Hand-written because it runs once per row on millions of rows; returns `None` for anything
/// else, including impossible dates such as `2024-02-30`.
pub fn parse_timestamp(text: &str) -> Option<ParsedTimestamp> {
    let s = crate::text::trim_cell(text).as_bytes();
    if s.len() < 10 {
        return None;
    }
    let days = day_number(&s[..10])?;
    let mut seconds_of_day = 0i64;
    let mut rest = &s[10..];
    if !rest.is_empty() {
        if rest[0] != b'T' && rest[0] != b' ' {
            return None;
        }
        rest = &rest[1..];
        if rest.len() < 5 || rest[2] != b':' {
            return None;
        }
        let hour = digits(&rest[0..2])?;
        let minute = digits(&rest[3..5])?;
        let mut second = 0;
        rest = &rest[5..];
        if rest.first() == Some(&b':') {
            if rest.len() < 3 {
                return None;
            }
            second = digits(&rest[1..3])?;
            rest = &rest[3..];
            if rest.first() == Some(&b'.') || rest.first() == Some(&b',') {
                let fraction_len = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
                if fraction_len == 0 {
                    return None;
                }
                rest = &rest[1 + fraction_len..];
            }
        }
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        seconds_of_day = (hour * 3600 + minute * 60 + second) as i64;
    }
    let offset_seconds = parse_offset(rest)?;
    Some(ParsedTimestamp {
        clock_seconds: days * 86_400 + seconds_of_day,
        offset_seconds,
    })
}

/// The day number of a valid date `YYYY-MM-DD`. Consecutive rows of a file mostly share their
/// date (96 rows a day at 15 minutes), so the last date read on this thread is remembered.
fn day_number(date: &[u8]) -> Option<i64> {
    thread_local! {
        static LAST_DATE: std::cell::Cell<([u8; 10], i64)> =
            const { std::cell::Cell::new((*b"1970-01-01", 0)) };
    }
    let key: [u8; 10] = date.try_into().ok()?;
    let (last_key, last_days) = LAST_DATE.get();
    if key == last_key {
        return Some(last_days);
    }
    if key[4] != b'-' || key[7] != b'-' {
        return None;
    }
    let year = digits(&key[0..4])? as i64;
    let month = digits(&key[5..7])?;
    let day = digits(&key[8..10])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    LAST_DATE.set((key, days));
    Some(days)
}

/// `""` → no offset, `Z` → 0, `+02:00` / `+0200` / `+02` → seconds east of UTC.
fn parse_offset(rest: &[u8]) -> Option<Option<i32>> {
    match rest {
        [] => Some(None),
        [b'Z'] | [b'z'] => Some(Some(0)),
        [sign @ (b'+' | b'-'), tail @ ..] => {
            let (hours, minutes) = match tail {
                [h1, h2] => (digits(&[*h1, *h2])?, 0),
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => {
                    (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?)
                }
                _ => return None,
            };
            if hours > 23 || minutes > 59 {
                return None;
            }
            let magnitude = (hours * 3600 + minutes * 60) as i32;
            Some(Some(if *sign == b'-' { -magnitude } else { magnitude }))
        }
        _ => None,
    }
}

/// Whether wall-clock seconds fall in a year of [`crate::limits::YEARS`]: two comparisons, for
/// the check every row of a file passes (a date-time per row cost more than parsing it).
pub fn within_years(clock_seconds: i64) -> bool {
    const FIRST: i64 = days_from_civil(*crate::limits::YEARS.start() as i64, 1, 1) * 86_400;
    const END: i64 = days_from_civil(*crate::limits::YEARS.end() as i64 + 1, 1, 1) * 86_400;
    (FIRST..END).contains(&clock_seconds)
}

/// Wall-clock seconds since the epoch as a chrono date-time.
pub fn naive_from_seconds(seconds: i64) -> NaiveDateTime {
    DateTime::from_timestamp(seconds, 0)
        .unwrap_or(DateTime::UNIX_EPOCH)
        .naive_utc()
}

/// Wall-clock minutes since the epoch as a chrono date-time.
pub fn naive_from_minutes(minutes: i64) -> NaiveDateTime {
    naive_from_seconds(minutes * 60)
}

/// Wall-clock minutes since the epoch of a chrono date-time.
pub fn minutes_from_naive(time: NaiveDateTime) -> i64 {
    time.and_utc().timestamp().div_euclid(60)
}

/// Day number (days since 1970-01-01) as a date.
pub fn date_from_day(day: i64) -> NaiveDate {
    naive_from_minutes(day * MINUTES_PER_DAY).date()
}

/// Day number (days since 1970-01-01) of a date.
pub fn day_from_date(date: NaiveDate) -> i64 {
    minutes_from_naive(date.and_hms_opt(0, 0, 0).unwrap_or_default()) / MINUTES_PER_DAY
}

/// ISO-8601 text of a wall-clock minute, as written in wfm's outputs (`2024-03-01T08:30:00`).
pub fn format_minute(minute: i64) -> String {
    match minute_digits(minute) {
        Some(digits) => digits.iter().map(|&b| char::from(b)).collect(),
        // Years outside 0–9999 (a sign, a fifth digit) as chrono writes them.
        None => naive_from_minutes(minute)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string(),
    }
}

/// Appends [`format_minute`]'s text to `out`, allocating nothing: the CSV writers call it once
/// per row on millions of rows, where chrono's `format` (parsing the pattern every time) cost
/// more than the Erlang maths.
pub fn push_minute(out: &mut Vec<u8>, minute: i64) {
    match minute_digits(minute) {
        Some(digits) => out.extend_from_slice(&digits),
        None => out.extend_from_slice(format_minute(minute).as_bytes()),
    }
}

/// `YYYY-MM-DDTHH:MM:00` of a wall-clock minute whose year has four digits.
fn minute_digits(minute: i64) -> Option<[u8; 19]> {
    let day = minute.div_euclid(MINUTES_PER_DAY);
    let minute_of_day = minute.rem_euclid(MINUTES_PER_DAY);
    let (year, month, day_of_month) = civil_from_days(day);
    if !(0..=9_999).contains(&year) {
        return None;
    }
    let mut text = *b"0000-00-00T00:00:00";
    let mut put = |at: usize, value: i64, width: usize| {
        let mut v = value;
        for k in (at..at + width).rev() {
            text[k] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, year, 4);
    put(5, month as i64, 2);
    put(8, day_of_month as i64, 2);
    put(11, minute_of_day / 60, 2);
    put(14, minute_of_day % 60, 2);
    Some(text)
}

/// The proleptic Gregorian date of a day number (H. Hinnant's `civil_from_days`, the inverse of
/// [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Wall-clock minute of a date's midnight.
pub fn minute_of_date(date: NaiveDate) -> i64 {
    day_from_date(date) * MINUTES_PER_DAY
}

/// The first day of the month after `date`'s month.
pub fn next_month_start(date: NaiveDate) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first)
}

/// Parses a duration written `15m`, `30m`, `1h`, `90min`, `28d` into minutes.
pub fn parse_duration_minutes(text: &str) -> Option<u32> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = t.split_at(split);
    let n: u32 = number.parse().ok()?;
    let factor = match unit.trim() {
        "m" | "min" | "mins" | "minutes" => 1,
        "h" | "hour" | "hours" => 60,
        "d" | "day" | "days" => 1_440,
        "w" | "week" | "weeks" => 10_080,
        _ => return None,
    };
    n.checked_mul(factor).filter(|&m| m > 0)
}

/// Duration in minutes as the shortest of `30m`, `1h`, `2d`.
pub fn format_duration_minutes(minutes: u32) -> String {
    if minutes % 1_440 == 0 {
        format!("{}d", minutes / 1_440)
    } else if minutes % 60 == 0 {
        format!("{}h", minutes / 60)
    } else {
        format!("{minutes}m")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_day_range_spans_what_it_saw_and_is_empty_of_nothing() {
        let none: DayRange = std::iter::empty::<i64>().collect();
        assert!(none.is_empty());
        assert_eq!(none.len(), 0);
        let days: DayRange = [5, 3, 9].into_iter().collect();
        assert_eq!(days, DayRange::new(3, 9));
        assert_eq!(days.len(), 7);
        let spans: DayRange = [DayRange::new(10, 12), DayRange::EMPTY, DayRange::new(1, 2)]
            .into_iter()
            .collect();
        assert_eq!(spans, DayRange::new(1, 12));
    }

    use super::*;

    proptest::proptest! {
        /// The text parsers take any string a file can hold without panicking.
        #[test]
        fn parsers_never_panic(text in ".{0,40}") {
            let _ = parse_timestamp(&text);
            let _ = parse_duration_minutes(&text);
        }
    }

    #[test]
    fn interval_lengths_divide_a_day() {
        assert_eq!(
            IntervalLength::new(30).map(IntervalLength::per_week),
            Some(336)
        );
        assert_eq!(
            IntervalLength::new(1_440).map(IntervalLength::per_day),
            Some(1)
        );
        for bad in [0, -30, 7, 50, 2_880] {
            assert!(IntervalLength::new(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn days_from_civil_matches_chrono() {
        for (y, m, d) in [
            (1970, 1, 1),
            (1999, 12, 31),
            (2000, 2, 29),
            (2024, 3, 31),
            (1900, 3, 1),
        ] {
            let chrono_days = NaiveDate::from_ymd_opt(y as i32, m, d)
                .unwrap()
                .signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
                .num_days();
            assert_eq!(days_from_civil(y, m, d), chrono_days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn parses_iso_forms() {
        let base = parse_timestamp("2024-03-01T08:30:00").unwrap();
        assert_eq!(base.offset_seconds, None);
        assert_eq!(
            naive_from_seconds(base.clock_seconds).to_string(),
            "2024-03-01 08:30:00"
        );
        for same in [
            "2024-03-01 08:30",
            "2024-03-01T08:30:00.000",
            " 2024-03-01T08:30 ",
        ] {
            assert_eq!(parse_timestamp(same).unwrap(), base, "{same}");
        }
        let z = parse_timestamp("2024-03-01T08:30:00Z").unwrap();
        assert_eq!(z.offset_seconds, Some(0));
        let plus = parse_timestamp("2024-03-01T10:30:00+02:00").unwrap();
        assert_eq!(plus.utc_seconds(), z.utc_seconds());
        assert_eq!(
            parse_timestamp("2024-03-01T10:30+0200")
                .unwrap()
                .utc_seconds(),
            z.utc_seconds()
        );
        assert_eq!(
            parse_timestamp("2024-03-01T03:30:00-05")
                .unwrap()
                .utc_seconds(),
            z.utc_seconds()
        );
        assert_eq!(
            parse_timestamp("2024-03-01").unwrap().clock_seconds % 86_400,
            0
        );
    }

    #[test]
    fn rejects_bad_timestamps() {
        for bad in [
            "",
            "2024-01-0X 08:30",
            "2024-13-01",
            "2023-02-29",
            "2024-01-01T24:00",
            "01/02/2024 08:00",
            "2024-01-01T08:30:00+25:00",
            "2024-01-01T08",
            "2024-01-01X08:30",
        ] {
            assert!(parse_timestamp(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn slot_of_week_starts_monday() {
        // 2024-01-01 was a Monday.
        let monday = minutes_from_naive(parse_naive("2024-01-01T08:30:00"));
        assert_eq!(
            SlotOfWeek::of_minute(monday),
            SlotOfWeek {
                weekday: 0,
                minute_of_day: 510
            }
        );
        let sunday = monday - 9 * 60; // 2023-12-31 23:30
        assert_eq!(
            SlotOfWeek::of_minute(sunday),
            SlotOfWeek {
                weekday: 6,
                minute_of_day: 1410
            }
        );
        assert_eq!(SlotOfWeek::of_minute(sunday).index(30), 6 * 48 + 47);
    }

    fn parse_naive(s: &str) -> NaiveDateTime {
        naive_from_seconds(parse_timestamp(s).unwrap().clock_seconds)
    }

    #[test]
    fn format_minute_writes_what_chrono_writes() {
        let chrono_text = |minute: i64| {
            naive_from_minutes(minute)
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string()
        };
        // Every day of 1600–2400 at a few times of day, the epoch, leap days, and years
        // beyond four digits (a sign or a fifth digit, as chrono writes them).
        let first = days_from_civil(1600, 1, 1);
        let last = days_from_civil(2400, 12, 31);
        for day in first..=last {
            for minute_of_day in [0, 1, 59, 60, 719, 1_439] {
                let minute = day * MINUTES_PER_DAY + minute_of_day;
                assert_eq!(format_minute(minute), chrono_text(minute), "{minute}");
            }
        }
        for minute in [
            0,
            -1,
            i64::from(i32::MAX),
            days_from_civil(0, 1, 1) * MINUTES_PER_DAY,
            days_from_civil(0, 1, 1) * MINUTES_PER_DAY - 1,
            days_from_civil(9_999, 12, 31) * MINUTES_PER_DAY + 1_439,
            days_from_civil(10_000, 1, 1) * MINUTES_PER_DAY,
            days_from_civil(-44, 3, 15) * MINUTES_PER_DAY,
            i64::MAX / 60,
            i64::MIN / 60,
        ] {
            assert_eq!(format_minute(minute), chrono_text(minute), "{minute}");
        }
        let minute = days_from_civil(2024, 2, 11) * MINUTES_PER_DAY + 210;
        assert_eq!(format_minute(minute), "2024-02-11T03:30:00");
        let mut out = b"x,".to_vec();
        push_minute(&mut out, minute);
        assert_eq!(out, b"x,2024-02-11T03:30:00");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_minutes("15m"), Some(15));
        assert_eq!(parse_duration_minutes("1h"), Some(60));
        assert_eq!(parse_duration_minutes("28d"), Some(40_320));
        assert_eq!(parse_duration_minutes("0m"), None);
        assert_eq!(parse_duration_minutes("7x"), None);
        assert_eq!(parse_duration_minutes("m"), None);
        assert_eq!(format_duration_minutes(30), "30m");
        assert_eq!(format_duration_minutes(60), "1h");
    }
}
