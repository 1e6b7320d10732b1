//! The flags' value parsers: each turns a flag's text into its value or a message clap prints.

use chrono_tz::Tz;
use wfm::forecast::pipeline::ModelChoice;

/// The horizon of a backtest origin: a calendar month, or whole days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BacktestWindow {
    Month,
    Days(u32),
}

impl std::fmt::Display for BacktestWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BacktestWindow::Month => write!(f, "month"),
            BacktestWindow::Days(days) => write!(f, "{days}d"),
        }
    }
}

pub(super) fn parse_backtest_horizon(text: &str) -> Result<BacktestWindow, String> {
    if text == "month" {
        return Ok(BacktestWindow::Month);
    }
    parse_days(text)
        .map(BacktestWindow::Days)
        .map_err(|_| "expected month or whole days such as 28d".to_string())
}

/// `auto` or a model name (`savg:4`, `dom-profile:8`, …).
pub(super) fn parse_model(text: &str) -> Result<ModelChoice, String> {
    if text == "auto" {
        return Ok(ModelChoice::Auto);
    }
    text.parse().map(ModelChoice::Fixed)
}

/// A time of day `HH:MM` before 24:00, as minutes after midnight.
pub(super) fn parse_day_clock(text: &str) -> Result<u32, String> {
    wfm::schedule::templates::parse_clock(text)
        .filter(|&m| m < 1_440)
        .ok_or_else(|| "expected a time of day HH:MM, e.g. 08:00".to_string())
}

/// A duration in whole days (`28d`, `4w`).
pub(super) fn parse_days(text: &str) -> Result<u32, String> {
    let minutes = wfm::time::parse_duration_minutes(text)
        .ok_or_else(|| "expected a duration in days such as 28d or 4w".to_string())?;
    if minutes % 1_440 != 0 {
        // "1m" reads as a minute, as in 30m intervals; a month is a calendar month.
        if text.trim().ends_with('m') {
            return Err(format!(
                "{text} means {minutes} minute(s); for a calendar month use --month YYYY-MM, for days e.g. 28d"
            ));
        }
        return Err("expected whole days, such as 28d or 4w".into());
    }
    Ok(minutes / 1_440)
}

pub(super) fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| "expected a date such as 1999-12-01".to_string())
}

pub(super) fn parse_month(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
        .map_err(|_| "expected a month such as 2026-12".to_string())
}

pub(super) fn parse_interval(text: &str) -> Result<u32, String> {
    let minutes = wfm::time::parse_duration_minutes(text)
        .ok_or_else(|| "expected a duration such as 15m, 30m or 1h".to_string())?;
    if wfm::time::IntervalLength::new(minutes as i64).is_none() {
        return Err(format!(
            "{minutes} minutes does not divide a day; use e.g. 15m, 30m or 1h"
        ));
    }
    Ok(minutes)
}

pub(super) fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        t if t.len() == 1 && t.is_ascii() => Ok(t.as_bytes()[0]),
        _ => Err("expected one ASCII character such as ';', or \"tab\"".into()),
    }
}

pub(super) fn parse_zone(text: &str) -> Result<Tz, String> {
    text.parse::<Tz>().map_err(|_| {
        format!("unknown time zone \"{text}\" (expected an IANA name such as Europe/London)")
    })
}

/// A share from 0 to 1, written `0.3` or `30%`; a whole number from 2 to 100 is refused rather
/// than guessed to be a percentage.
pub(super) fn parse_share(text: &str) -> Result<f64, String> {
    let expected = "expected a share such as 0.3, or a percentage such as 30%";
    let t = text.trim();
    if let Some(percent) = t.strip_suffix('%') {
        let value: f64 = percent.trim().parse().map_err(|_| expected.to_string())?;
        if !(0.0..=100.0).contains(&value) {
            return Err(format!("{t} is outside 0%–100%"));
        }
        return Ok(value / 100.0);
    }
    let value: f64 = t.parse().map_err(|_| expected.to_string())?;
    // A whole number such as 30 or 80 is a percentage without its sign; other values out of
    // range (1.2) are left to the range check of each flag, which says what it expects.
    if value.fract() == 0.0 && (2.0..=100.0).contains(&value) {
        return Err(format!(
            "{t} is more than 1: write a share such as 0.3, or a percentage with its sign ({t}%)"
        ));
    }
    Ok(value)
}

/// A number of hours > 0 (a week's contracted hours).
pub(super) fn parse_hours(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(hours) if hours > 0.0 && hours.is_finite() => Ok(hours),
        _ => Err("expected hours > 0".into()),
    }
}

/// A prediction interval in whole percent from 50 to 99, written `80` or `80%`.
pub(super) fn parse_band(text: &str) -> Result<u8, String> {
    let t = text.trim();
    let number = t.strip_suffix('%').unwrap_or(t).trim();
    match number.parse::<u8>() {
        Ok(percent) if (50..=99).contains(&percent) => Ok(percent),
        _ => Err(format!(
            "expected a whole percentage from 50 to 99, such as 80 or 80% (got {t})"
        )),
    }
}

/// A duration in seconds: a bare number (`180`), or numbers with units `h`, `m`, `s` in that
/// order (`180s`, `3m`, `2m30s`, `1h`); a number left without its unit (`3h20`) is refused,
/// naming the forms meant.
pub(super) fn parse_seconds(text: &str) -> Result<f64, String> {
    let t = text.trim();
    if let Ok(value) = t.parse::<f64>() {
        return Ok(value);
    }
    let expected =
        "expected seconds such as 180, or a duration with units such as 180s, 3m or 2m30s";
    let mut total = 0.0;
    let mut rest = t;
    let mut previous_unit = f64::INFINITY;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_len]
            .parse()
            .map_err(|_| expected.to_string())?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let seconds_per_unit = match &rest[..unit_len] {
            "h" => 3_600.0,
            "m" | "min" => 60.0,
            "s" | "sec" => 1.0,
            "" if rest.is_empty() => {
                let unit = if previous_unit == 3_600.0 { "m" } else { "s" };
                return Err(format!(
                    "\"{t}\" leaves {} without a unit: write {t}{unit}, or the whole in seconds",
                    &t[t.len() - number_len..]
                ));
            }
            _ => return Err(expected.to_string()),
        };
        if seconds_per_unit >= previous_unit {
            return Err(format!("{expected} (hours, then minutes, then seconds)"));
        }
        previous_unit = seconds_per_unit;
        total += number * seconds_per_unit;
        rest = &rest[unit_len..];
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_as_fractions_or_percentages() {
        assert_eq!(parse_share("0.3"), Ok(0.3));
        assert_eq!(parse_share("30%"), Ok(0.3));
        assert_eq!(parse_share("80 %"), Ok(0.8));
        assert_eq!(parse_share("1"), Ok(1.0));
        assert!(parse_share("150%").unwrap_err().contains("outside 0%–100%"));
        assert!(parse_share("30").unwrap_err().contains("30%"));
        // Left to each flag's range check.
        assert_eq!(parse_share("1.2"), Ok(1.2));
        assert!(parse_share("thirty").unwrap_err().contains("0.3"));
    }

    #[test]
    fn bands_read_with_or_without_their_sign() {
        assert_eq!(parse_band("80"), Ok(80));
        assert_eq!(parse_band("95%"), Ok(95));
        assert!(parse_band("100%").unwrap_err().contains("50 to 99"));
        assert!(parse_band("0.8").is_err());
    }

    #[test]
    fn seconds_read_bare_or_with_units() {
        for (text, seconds) in [
            ("180", 180.0),
            ("180s", 180.0),
            ("3m", 180.0),
            ("2m30s", 150.0),
            ("1h", 3_600.0),
            ("1.5m", 90.0),
            ("3h20m", 12_000.0),
        ] {
            assert_eq!(parse_seconds(text), Ok(seconds), "{text}");
        }
        let ambiguous = parse_seconds("3h20").unwrap_err();
        assert!(ambiguous.contains("3h20m"), "{ambiguous}");
        assert!(parse_seconds("20s3m")
            .unwrap_err()
            .contains("hours, then minutes"));
        assert!(parse_seconds("3:20").unwrap_err().contains("180s"));
        assert!(parse_seconds("3 days").is_err());
    }
}
