//! The forecasting stage of the pipeline: a whole history file in, every region's forecast out,
//! all from one origin (the end of the file's data).

use chrono::NaiveDate;
use rayon::prelude::*;

pub use super::forecasts::Forecasts;
use super::pipeline::{forecast_region, ForecastSettings, Groups, ModelChoice};
use crate::data::{History, Holidays};
use crate::error::{Result, WfmError};
use crate::time::{self, MINUTES_PER_DAY};

/// How far to forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Horizon {
    /// The rest of a last day cut short, then this many whole days.
    Days(u32),
    /// A calendar month (its first day), which must start at or after the end of the data.
    Month(NaiveDate),
}

/// What the forecasting stage needs besides the history.
#[derive(Debug, Clone)]
pub struct ForecastConfig {
    pub horizon: Horizon,
    /// Model choice, band level and the other settings of the models.
    pub settings: ForecastSettings,
    /// Special days, in training and in the horizon.
    pub holidays: Option<Holidays>,
    /// Train only on the history before this date (a holdout forecast).
    pub train_until: Option<NaiveDate>,
}

impl ForecastConfig {
    /// `days` whole days ahead with `auto` and an 80 % band.
    pub fn days(days: u32) -> Self {
        ForecastConfig {
            horizon: Horizon::Days(days),
            settings: ForecastSettings::default(),
            holidays: None,
            train_until: None,
        }
    }
}

/// A forecast config as a TOML table gives it: `horizon = "28d"` (or a month, `"2026-12"`),
/// `model = "auto"`, `band = 80`, `extrapolate = false`, `holidays = "holidays.csv"`,
/// `train_until = 2026-11-01`; every key optional, unknown keys refused.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ForecastParams {
    pub horizon: String,
    pub model: String,
    /// Prediction interval in percent, 50–99.
    pub band: u8,
    pub extrapolate: bool,
    pub holidays: Option<std::path::PathBuf>,
    pub train_until: Option<NaiveDate>,
}

impl Default for ForecastParams {
    fn default() -> Self {
        ForecastParams {
            horizon: "28d".into(),
            model: "auto".into(),
            band: 80,
            extrapolate: false,
            holidays: None,
            train_until: None,
        }
    }
}

impl ForecastParams {
    /// Reads a TOML table.
    pub fn from_toml(text: &str) -> Result<Self> {
        crate::error::parse_toml(text, "forecast config")
    }

    /// Checks every value and reads the holidays file: a config that exists is valid.
    pub fn check(&self) -> Result<ForecastConfig> {
        let bad = |key: &'static str, value: &str, expected: &str| {
            WfmError::setting(key, value.to_string(), expected.to_string())
        };
        let horizon = match time::parse_duration_minutes(&self.horizon) {
            Some(minutes) if minutes > 0 && minutes % MINUTES_PER_DAY as u32 == 0 => {
                Horizon::Days(minutes / MINUTES_PER_DAY as u32)
            }
            _ => NaiveDate::parse_from_str(&format!("{}-01", self.horizon), "%Y-%m-%d")
                .map(Horizon::Month)
                .map_err(|_| {
                    bad(
                        "horizon",
                        &self.horizon,
                        "whole days such as \"28d\", or a month such as \"2026-12\"",
                    )
                })?,
        };
        let model = match self.model.as_str() {
            "auto" => ModelChoice::Auto,
            name => ModelChoice::Fixed(name.parse().map_err(|e: String| bad("model", name, &e))?),
        };
        if !(50..=99).contains(&self.band) {
            return Err(bad(
                "band",
                &self.band.to_string(),
                "a percentage from 50 to 99",
            ));
        }
        Ok(ForecastConfig {
            horizon,
            settings: ForecastSettings {
                model,
                level: self.band as f64 / 100.0,
                extrapolate: self.extrapolate,
                ..ForecastSettings::default()
            },
            holidays: self
                .holidays
                .as_deref()
                .map(Holidays::from_csv)
                .transpose()?,
            train_until: self.train_until,
        })
    }
}

/// The forecast of `run` with `auto` in place of the fixed model of `settings`, noted with why
/// (`reason`).
fn with_auto(
    run: &dyn Fn(&ForecastSettings) -> Result<crate::forecast::forecasts::RegionForecast>,
    settings: &ForecastSettings,
    reason: String,
) -> Result<crate::forecast::forecasts::RegionForecast> {
    let mut forecast = run(&ForecastSettings {
        model: ModelChoice::Auto,
        ..settings.clone()
    })?;
    let asked = match settings.model {
        ModelChoice::Fixed(spec) => spec.to_string(),
        ModelChoice::Auto => "auto".into(),
    };
    (forecast.notes).insert(
        0,
        format!("--model {asked}: {reason}; chosen by auto instead"),
    );
    Ok(forecast)
}

/// Forecasts every region of `history` (in parallel) from the end of the file's data.
///
/// The sum of the regions (of each `--group-col` value) is prepared once for the top-down model.
/// A fixed model that a region's history is too short for is replaced by `auto` for that region
/// only, with a note; a horizon the history cannot backtest is an error unless
/// `settings.extrapolate`. A last day cut short inside open hours is completed, with a note.
pub fn forecast(history: &History, config: &ForecastConfig) -> Result<Forecasts> {
    forecast_some(history, config, &|_| true)
}

/// As [`forecast`], for the regions `keep` names only: the others still make the sums the
/// top-down model shares out, so each kept region's forecast is the one `forecast` gives it
/// (a shard of a plan equals its part of the whole run).
pub fn forecast_some(
    history: &History,
    config: &ForecastConfig,
    keep: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Forecasts> {
    let window = Window::of(history, config)?;
    let holidays = config.holidays.as_ref();
    let settings = &config.settings;
    let groups = Groups::prepare(
        &history.regions,
        holidays,
        window.until,
        window.end,
        settings,
    );
    let regions = history
        .regions
        .par_iter()
        .filter(|series| keep(&series.region))
        .map(|series| {
            let run = |settings: &ForecastSettings| {
                forecast_region(
                    series,
                    holidays,
                    window.until,
                    window.end,
                    settings,
                    groups.of(series),
                )
            };
            // A fixed model the history is too short for, to fit or to backtest at this
            // horizon, gives way to `auto`; `auto`'s own error is the one reported.
            let fixed = matches!(settings.model, ModelChoice::Fixed(_));
            let forecast = match run(settings) {
                Err(WfmError::ModelNotFitted { reason, .. }) => {
                    with_auto(&run, settings, reason.to_string())?
                }
                Err(WfmError::HorizonTooLong {
                    asked_days,
                    training_weeks,
                    ..
                }) if fixed => with_auto(
                    &run,
                    settings,
                    format!(
                        "the history is too short to backtest it {asked_days} day(s) ahead \
                         ({training_weeks} weeks of training before the window)"
                    ),
                )?,
                other => other?,
            };
            let mut forecast = forecast.keep_from(window.keep_from);
            if forecast.minutes.first() == Some(&window.until) && window.until % MINUTES_PER_DAY != 0 {
                forecast.notes.push(format!(
                    "the history stops at {} inside open hours: the rest of that day is forecast too",
                    time::format_minute(window.until)
                ));
            }
            Ok(forecast)
        })
        .collect::<Result<_>>()?;
    Ok(Forecasts {
        interval_minutes: history.interval_minutes,
        until_minute: Some(window.until),
        path: None,
        regions,
    })
}

/// The forecast window of the whole file: every region is trained on the history before
/// `until` and forecast to `end`; `keep_from` is the first interval kept.
struct Window {
    until: i64,
    end: i64,
    keep_from: i64,
}

impl Window {
    fn of(history: &History, config: &ForecastConfig) -> Result<Window> {
        let file_end = history.end_minute;
        let until = match config.train_until {
            Some(date) if time::minute_of_date(date) >= file_end => {
                return Err(WfmError::setting(
                    "train_until",
                    date.to_string(),
                    format!(
                        "the history ends at {}: a holdout needs a date inside it, so that there is something to score",
                        time::format_minute(file_end)
                    ),
                ))
            }
            Some(date) => time::minute_of_date(date),
            None => file_end,
        };
        let next_midnight = until.div_euclid(MINUTES_PER_DAY) * MINUTES_PER_DAY
            + if until % MINUTES_PER_DAY == 0 {
                0
            } else {
                MINUTES_PER_DAY
            };
        let window = Self::unbounded(config, until, next_midnight)?;
        // Memory and time grow with the horizon: it is bounded whatever the flags say.
        let days = (window.end - until) / MINUTES_PER_DAY;
        if days > crate::limits::MAX_HORIZON_DAYS as i64 {
            let (flag, value) = match config.horizon {
                Horizon::Days(d) => ("horizon", format!("{d}d")),
                Horizon::Month(m) => ("month", m.format("%Y-%m").to_string()),
            };
            return Err(WfmError::setting(
                flag,
                value,
                format!(
                    "a forecast ends at most {} days after the end of the data ({}), this one {days}",
                    crate::limits::MAX_HORIZON_DAYS,
                    time::format_minute(until)
                ),
            ));
        }
        Ok(window)
    }

    fn unbounded(config: &ForecastConfig, until: i64, next_midnight: i64) -> Result<Window> {
        match config.horizon {
            Horizon::Days(days) => Ok(Window {
                until,
                end: next_midnight + days as i64 * MINUTES_PER_DAY,
                keep_from: until,
            }),
            Horizon::Month(month) => {
                let first = time::minute_of_date(month);
                if first < until {
                    return Err(WfmError::setting(
                        "month",
                        month.format("%Y-%m").to_string(),
                        format!(
                            "the history runs to {}: forecast a later month",
                            time::format_minute(until)
                        ),
                    ));
                }
                Ok(Window {
                    until,
                    end: time::minute_of_date(time::next_month_start(month)),
                    keep_from: first,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecast_params_are_checked_into_a_config() {
        let config =
            ForecastParams::from_toml("horizon = \"2026-12\"\nmodel = \"dom-savg:4\"\nband = 95\n")
                .unwrap()
                .check()
                .unwrap();
        assert_eq!(
            config.horizon,
            Horizon::Month(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
        );
        assert_eq!(config.settings.level, 0.95);
        assert_eq!(
            ForecastParams::default().check().unwrap().horizon,
            Horizon::Days(28)
        );
        for (text, expected) in [
            ("horizon = \"3h\"\n", "horizon = 3h"),
            ("model = \"arima\"\n", "unknown model"),
            ("band = 100\n", "band = 100"),
            ("bands = 80\n", "unknown field `bands`"),
        ] {
            let message = ForecastParams::from_toml(text)
                .and_then(|p| p.check())
                .unwrap_err()
                .to_string();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }
}
