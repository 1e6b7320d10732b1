//! The forecast, one type whether just computed or read back from `forecast.csv`
//! (`timestamp,region,forecast[,lower,upper][,aht_seconds]`): written by `wfm forecast`, read
//! by `wfm staff` and `wfm accuracy`. Its columns are spelt here only.

mod read;
// The jobs share their helpers (each file imports `super::*`).
use read::*;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{ModelSpec, Pool};
use crate::data::csv_out::write_csv_rows;
use crate::data::read::{
    in_runs, own_row_key, parse_number, read_columns, Cell, Cells, Kind, Number,
};
use crate::data::{DEFAULT_AHT_COLUMN, DEFAULT_REGION_COLUMN};
use crate::error::{Result, WfmError};
use crate::time;

/// One candidate's score in the automatic choice.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateScore {
    pub model: ModelSpec,
    /// What `auto` ranks by: the mean over the selection origins of (interval RMSSE + daily
    /// RMSSE) / 2. A squared error is minimised by the mean, the arrival rate Erlang needs;
    /// NaN when the candidate could not be scored.
    pub score: f64,
    pub interval_rmsse: f64,
    pub daily_rmsse: f64,
    /// Mean interval-level WAPE over the selection origins (reported, not ranked by).
    pub interval_wape: f64,
    /// Mean daily-level WAPE over the selection origins.
    pub daily_wape: f64,
    pub origins: usize,
}

/// A region's forecast on the wall-clock interval grid.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RegionForecast {
    pub region: String,
    pub interval_minutes: u32,
    /// Wall-clock minute of each interval's start: one interval after another when computed;
    /// a file may skip intervals.
    pub minutes: Vec<i64>,
    pub point: Vec<f64>,
    /// The prediction band; NaN where the forecast has none (a file without `lower`/`upper`).
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// The band's central level (0.8 for 80 %); `None` when read from a file, which does not
    /// say.
    pub level: Option<f64>,
    /// Forecast AHT per interval (NaN where unknown), when the history had AHT.
    pub aht_seconds: Option<Vec<f64>>,
    /// The model that made it (`None` when read from a file, which does not say).
    pub model: Option<Pool>,
    /// With `auto`: every candidate's backtest score, best first.
    pub selection: Vec<CandidateScore>,
    /// Whether the point is a closed slot (0, no band).
    pub closed: Vec<bool>,
    /// Name of the special day a point falls on, if any.
    pub special_day: Vec<Option<String>>,
    /// What a planner should know about this forecast (a fallback, an extrapolated band, a
    /// level far from the recent weeks').
    pub notes: Vec<String>,
    /// The file row of each interval when read from a file (for messages); empty otherwise.
    pub rows: Vec<usize>,
}

impl RegionForecast {
    pub fn minute(&self, i: usize) -> i64 {
        self.minutes[i]
    }

    pub fn len(&self) -> usize {
        self.point.len()
    }

    pub fn is_empty(&self) -> bool {
        self.point.is_empty()
    }

    /// The model's name (`savg:4+mstl`); empty when read from a file.
    pub fn model_name(&self) -> String {
        self.model
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
    }

    /// Whether the forecast has a prediction band.
    pub fn has_band(&self) -> bool {
        self.lower.first().is_some_and(|l| !l.is_nan())
    }

    /// Adds the same region's `later` rows (read from a later run of the file) after these.
    fn append(&mut self, later: RegionForecast) {
        self.minutes.extend(later.minutes);
        self.point.extend(later.point);
        self.lower.extend(later.lower);
        self.upper.extend(later.upper);
        if let (Some(to), Some(from)) = (self.aht_seconds.as_mut(), later.aht_seconds) {
            to.extend(from);
        }
        self.rows.extend(later.rows);
    }

    /// Drops the intervals before `minute` (e.g. to keep only a requested month).
    pub fn keep_from(mut self, minute: i64) -> Self {
        let skip = self.minutes.partition_point(|&m| m < minute);
        self.minutes.drain(..skip);
        self.point.drain(..skip);
        self.lower.drain(..skip);
        self.upper.drain(..skip);
        self.closed.drain(..skip);
        self.special_day.drain(..skip);
        self.rows.drain(..skip.min(self.rows.len()));
        if let Some(aht) = self.aht_seconds.as_mut() {
            aht.drain(..skip);
        }
        self
    }

    /// Forecast total per day: `(day number, total)`.
    pub fn daily_totals(&self) -> Vec<(i64, f64)> {
        let mut totals: Vec<(i64, f64)> = Vec::new();
        for (i, &v) in self.point.iter().enumerate() {
            let day = time::day_of_minute(self.minute(i));
            match totals.last_mut() {
                Some((d, t)) if *d == day => *t += v,
                _ => totals.push((day, v)),
            }
        }
        totals
    }
}

/// Every region's forecast of one file, from one origin.
#[derive(Debug, Clone)]
pub struct Forecasts {
    pub interval_minutes: u32,
    /// Wall-clock minute the models were trained up to (the end of the data, or
    /// `train_until`); `None` when read from a file.
    pub until_minute: Option<i64>,
    /// The file it was read from (`None` when computed): messages name its rows.
    pub path: Option<PathBuf>,
    pub regions: Vec<RegionForecast>,
}

impl Forecasts {
    /// Writes `timestamp,region,forecast,lower,upper[,aht_seconds]`, one row per interval and
    /// region (the band when any region has one, the AHT column when any region has it),
    /// atomically and through the one CSV writer.
    pub fn write(&self, path: &Path) -> Result<()> {
        let regions = &self.regions;
        let with_band = regions.iter().any(RegionForecast::has_band);
        let with_aht = regions.iter().any(|r| r.aht_seconds.is_some());
        let mut header = vec!["timestamp", DEFAULT_REGION_COLUMN, "forecast"];
        if with_band {
            header.extend(["lower", "upper"]);
        }
        if with_aht {
            header.push(DEFAULT_AHT_COLUMN);
        }
        // Row `k` of the file is interval `k - starts[g]` of region `g`.
        let starts: Vec<usize> = regions
            .iter()
            .scan(0, |start, r| {
                let this = *start;
                *start += r.len();
                Some(this)
            })
            .collect();
        let count = regions.iter().map(RegionForecast::len).sum();
        write_csv_rows(path, &header, count, |rows, k| {
            let g = starts.partition_point(|&start| start <= k) - 1;
            let (r, i) = (&regions[g], k - starts[g]);
            rows.minute(r.minutes[i])?;
            rows.text(&r.region)?;
            rows.number(r.point[i], 3)?;
            if with_band {
                rows.number(r.lower[i], 3)?;
                rows.number(r.upper[i], 3)?;
            }
            if with_aht {
                match &r.aht_seconds {
                    Some(aht) => rows.number(aht[i], 1)?,
                    None => rows.empty()?,
                }
            }
            rows.end_row()
        })
    }

    /// Reads and checks a forecast file: times parse, values are numbers ≥ 0 inside their
    /// band, no duplicate (timestamp, region), one interval length.
    pub fn read(path: &Path) -> Result<Forecasts> {
        read_forecast_file(path)
    }

    /// The wall-clock minutes from the first forecast interval's start to the last one's end,
    /// over every region; `None` without intervals. Actuals from an event log span it.
    pub fn window(&self) -> Option<(i64, i64)> {
        let minutes = self.regions.iter().flat_map(|r| r.minutes.iter().copied());
        let first = minutes.clone().min()?;
        let last = minutes.max()?;
        Some((first, last + self.interval_minutes as i64))
    }

    /// `options` set to read the actuals of this forecast: on its interval and, for an event
    /// log, over its window in every region (an interval without events is a zero to score,
    /// not a missing row).
    pub fn actuals_options(
        &self,
        options: crate::data::IngestOptions,
    ) -> crate::data::IngestOptions {
        crate::data::IngestOptions {
            interval_minutes: Some(self.interval_minutes),
            events_window: self.window(),
            ..options
        }
    }

    /// An error in interval `i` of `region`'s column `column`: named by its file row when the
    /// forecast was read from a file, by its region and time otherwise.
    pub fn bad_value(
        &self,
        region: &RegionForecast,
        i: usize,
        column: &str,
        problem: impl Into<String>,
    ) -> WfmError {
        match (&self.path, region.rows.get(i)) {
            (Some(path), Some(&row)) => WfmError::bad_value(path, row, column, problem),
            _ => WfmError::Region {
                region: region.region.clone(),
                message: format!(
                    "{}, {column}: {}",
                    time::format_minute(region.minutes[i]),
                    problem.into()
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_in_runs_keep_file_order_regions_and_the_first_error() {
        // The unit tests read in runs of 3 rows: a region first seen in a later run, a region
        // coming back, rows out of time order within a region.
        let text = "timestamp,region,forecast,lower,upper\n\
            2025-01-01T00:30:00,b,1,0,2\n2025-01-01T00:00:00,b,2,1,3\n2025-01-01T00:00:00,a,3,2,4\n\
            2025-01-01T01:00:00,b,4,3,5\n2025-01-01T00:00:00,c,5,4,6\n2025-01-01T00:30:00,a,6,5,7\n\
            2025-01-01T00:30:00,c,7,6,8\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("forecast.csv");
        std::fs::write(&path, text).unwrap();
        let file = Forecasts::read(&path).unwrap();
        assert_eq!(file.interval_minutes, 30);
        let read: Vec<(&str, &[f64], &[usize])> = file
            .regions
            .iter()
            .map(|r| (r.region.as_str(), &r.point[..], &r.rows[..]))
            .collect();
        assert_eq!(
            read,
            [
                ("b", &[2.0, 1.0, 4.0][..], &[3, 2, 5][..]),
                ("a", &[3.0, 6.0][..], &[4, 7][..]),
                ("c", &[5.0, 7.0][..], &[6, 8][..]),
            ]
        );
        assert_eq!(file.regions[0].lower, [1.0, 0.0, 3.0]);
        // Bad cells in the second and third runs: the first is named.
        let bad = text
            .replace("01:00:00,b,4,3,5", "01:00:00,b,x,3,5")
            .replace("00:30:00,c,7,6,8", "00:30:00,c,-7,6,8");
        std::fs::write(&path, bad).unwrap();
        let error = Forecasts::read(&path).unwrap_err().to_string();
        assert!(
            error.contains("row 5,") && error.contains("\"x\""),
            "{error}"
        );
    }
}
