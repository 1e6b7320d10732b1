//! Ingest and validation of contact history: the only place polars appears.
//!
//! A history file (CSV or Parquet, long format) becomes a [`History`]: one [`RegionSeries`] per
//! region on a regular wall-clock grid, every point labelled observed, closed, holiday, DST-adjusted
//! or gap. Everything downstream works on those plain vectors.

mod calendar;
pub mod csv_out;
pub(crate) mod grid;
mod outage;
mod profile;
pub(crate) mod read;
mod resample;
pub(crate) mod small_csv;

pub use calendar::{Holidays, SpecialDay, TreatAs};
pub use outage::{find_outages, Outage};
pub use profile::{profile_history, profile_region, OutagePeriod, OutlierDay, Peak, RegionProfile};
pub use read::formats::{DateOrder, TimeFormat};
pub use read::BLANK_REGION;
pub use resample::resample;

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Result, WfmError};
use crate::time::{self, SlotOfWeek};

/// Names of the input columns; `None` means "use the default name if the file has it".
#[derive(Debug, Clone)]
pub struct ColumnNames {
    pub time: String,
    /// Explicit region column (required when given); default `region`, optional.
    pub region: Option<String>,
    pub volume: String,
    /// Explicit AHT column (required when given); default `aht_seconds`, optional.
    pub aht: Option<String>,
    /// A column that groups regions (e.g. a queue above its townships): each group × region is
    /// its own series, named `GROUP/REGION`, and the top-down model shares out its group.
    pub group: Option<String>,
}

impl Default for ColumnNames {
    fn default() -> Self {
        ColumnNames {
            time: "timestamp".into(),
            region: None,
            volume: "contacts".into(),
            aht: None,
            group: None,
        }
    }
}

pub const DEFAULT_REGION_COLUMN: &str = "region";
pub const DEFAULT_AHT_COLUMN: &str = "aht_seconds";
/// Name of the single series of a file without a region column.
pub const SINGLE_REGION: &str = "all";

/// What to do with intervals that are missing inside the covered period (gaps).
/// (The help texts are `--missing`'s.)
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// Stop with an error naming the first gaps (default: never guess silently).
    #[default]
    #[value(help = "Stop and name the first gaps")]
    Error,
    /// Count a gap as zero contacts.
    #[value(help = "Count gaps as zero contacts")]
    Zero,
    /// Fill a gap linearly between the nearest observed open intervals.
    #[value(help = "Fill gaps linearly from the neighbouring intervals")]
    Interpolate,
}

/// What to do with runs of zero intervals that the same slots in neighbouring weeks make
/// implausible (feed or recording outages).
/// (The help texts are `--outages`'.)
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum OutagePolicy {
    /// Find them and mark their points [`PointStatus::Outage`] (default).
    #[default]
    #[value(help = "Find outages (exp(−expected contacts) < 1e-6) and mark them")]
    Detect,
    /// Treat them as real demand (zero contacts).
    #[value(help = "Treat runs of implausible zeros as real demand")]
    Keep,
}

/// Which clock the timestamps are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// Local wall-clock time as written (an offset, if written, only tells DST repeats apart).
    #[default]
    AsWritten,
    /// UTC (or with an offset), converted to local time in this zone (`--tz`).
    UtcTo(Tz),
    /// Local time in this zone, whose DST changes explain repeated and missing hours (`--local-tz`).
    LocalIn(Tz),
}

/// How to read and validate a history file.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    pub columns: ColumnNames,
    /// Field separator; `None` = comma.
    pub delimiter: Option<u8>,
    /// One row per contact (an event log) instead of one row per interval.
    pub events: bool,
    /// Resample to this interval (minutes); for event logs, the interval to aggregate to.
    pub interval_minutes: Option<u32>,
    pub clock: Clock,
    pub missing: MissingPolicy,
    pub holidays: Option<Holidays>,
    /// Keep only these regions (empty = all).
    pub regions: Vec<String>,
    /// Whether to look for feed / recording outages.
    pub outages: OutagePolicy,
    /// For an event log: wall-clock minutes `[start, end)` every region's series must span
    /// (e.g. the forecast an actuals file is scored against). Intervals of it without events
    /// are quiet ones (0 contacts). `None`: the file's own span, from the first interval of any
    /// region to the end of the last.
    pub events_window: Option<(i64, i64)>,
    /// How the time column is written, when not ISO 8601 (`--time-format`).
    pub time_format: Option<TimeFormat>,
    /// Numbers are written with a decimal comma, `12,5` (`--decimal-comma`).
    pub decimal_comma: bool,
}

/// Default interval for event logs when `--interval` is not given.
pub const DEFAULT_EVENT_INTERVAL_MINUTES: u32 = 30;

/// What a point of a regular series is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PointStatus {
    /// A row of the input gave this value.
    Observed,
    /// The slot of the week never appears in the history: the centre is closed then (value 0).
    Closed,
    /// A day of the holidays file with no rows (value 0).
    Holiday,
    /// Missing inside the covered period, filled as `--missing` said.
    Gap,
    /// A local time that does not exist (spring-forward hour), filled by interpolation.
    DstSkipped,
    /// Observed as zero (or absent) but implausible: part of a feed or recording outage that
    /// the same slots in neighbouring weeks rule out as real demand (value stays 0).
    /// Forecasting treats it as missing; it is not closed.
    Outage,
}

impl PointStatus {
    /// Closed points (closed slot or holiday) carry no demand and need no staff.
    pub fn is_closed(self) -> bool {
        matches!(self, PointStatus::Closed | PointStatus::Holiday)
    }
}

/// One region's history on a regular wall-clock grid.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionSeries {
    pub region: String,
    /// The value of the group column (`--group-col`) this region belongs to; `None` without one
    /// (all regions of the file are then one group).
    pub group: Option<String>,
    /// Wall-clock minutes since 1970-01-01 00:00 of the first interval's start.
    pub start_minute: i64,
    pub interval_minutes: u32,
    /// Offered contacts per interval (≥ 0).
    pub contacts: Vec<f64>,
    /// Average handle time per interval in seconds; NaN where unknown (no contacts).
    pub aht_seconds: Option<Vec<f64>>,
    pub status: Vec<PointStatus>,
    /// Input rows that made this series.
    pub source_rows: usize,
    /// Repeated local hours of DST fall-back days, whose rows were summed into one interval.
    pub dst_repeats_merged: usize,
    /// Feed / recording outages found in this region (its points are [`PointStatus::Outage`]),
    /// including the file-wide ones; empty with [`OutagePolicy::Keep`].
    pub outages: Vec<Outage>,
}

impl RegionSeries {
    pub fn len(&self) -> usize {
        self.contacts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.contacts.is_empty()
    }

    /// Wall-clock minute of the start of point `i`.
    pub fn minute(&self, i: usize) -> i64 {
        self.start_minute + i as i64 * self.interval_minutes as i64
    }

    /// Start of point `i` as a local date-time.
    pub fn timestamp(&self, i: usize) -> NaiveDateTime {
        time::naive_from_minutes(self.minute(i))
    }

    pub fn slot(&self, i: usize) -> SlotOfWeek {
        SlotOfWeek::of_minute(self.minute(i))
    }

    /// Number of points with a given status.
    pub fn count(&self, status: PointStatus) -> usize {
        self.status.iter().filter(|&&s| s == status).count()
    }
}

/// A validated history file.
#[derive(Debug, Clone)]
pub struct History {
    pub path: PathBuf,
    /// Interval of the series (after resampling).
    pub interval_minutes: u32,
    /// Interval detected in the file (for event logs: the aggregation interval).
    pub source_interval_minutes: u32,
    pub regions: Vec<RegionSeries>,
    pub has_aht: bool,
    /// Wall-clock minute just after the file's data: the end of the latest interval of any
    /// region. Every region's series runs to it.
    pub end_minute: i64,
}

/// Reads, validates and regularises a history file.
pub fn load_history(path: &Path, options: &IngestOptions) -> Result<History> {
    if let Some(minutes) = options.interval_minutes {
        check_interval(minutes)?;
    }
    let table = read::read_table(path, options)?;
    let regions = select_regions(path, table.regions, &options.regions)?;
    let prepared: Vec<grid::PreparedRegion> = regions
        .into_par_iter()
        .map(|raw| grid::prepare(path, &table.columns, raw, options))
        .collect::<Result<_>>()?;
    let source_interval = if options.events {
        options
            .interval_minutes
            .unwrap_or(DEFAULT_EVENT_INTERVAL_MINUTES)
    } else {
        grid::detect_interval(path, &table.columns, &prepared, options.interval_minutes)?
    };
    check_grid_size(path, &prepared, source_interval)?;
    let mut series: Vec<RegionSeries> = prepared
        .into_par_iter()
        .map(|region| {
            grid::regularise(
                path,
                &table.columns,
                region,
                source_interval,
                table.has_aht,
                options,
            )
        })
        .collect::<Result<_>>()?;
    let interval = options.interval_minutes.unwrap_or(source_interval);
    if interval != source_interval {
        if interval < source_interval || interval % source_interval != 0 {
            return Err(WfmError::setting(
                "interval_minutes",
                time::format_duration_minutes(interval),
                format!(
                    "{} holds {}-minute intervals; it can be resampled only to a multiple of that",
                    path.display(),
                    source_interval
                ),
            ));
        }
        series = series
            .into_par_iter()
            .map(|s| resample(&s, interval))
            .collect();
    }
    // One end for the whole file: every region forecasts from the same origin, so a region
    // whose rows stop early is extended (zero contacts for an event log, gaps for interval rows).
    let mut end_minute = series
        .iter()
        .map(|s| s.minute(s.len()))
        .max()
        .unwrap_or_default();
    if options.events {
        // An event log has no rows for quiet intervals: every region spans the file (or the
        // window asked for), so a region whose first event comes late starts with zeros, not
        // with missing intervals.
        let d = interval as i64;
        let mut start_minute = series
            .iter()
            .map(|s| s.start_minute)
            .min()
            .unwrap_or_default();
        if let Some((from, to)) = options.events_window {
            start_minute = start_minute.min(from.div_euclid(d) * d);
            end_minute = end_minute.max(to.div_euclid(d) * d + if to % d == 0 { 0 } else { d });
        }
        for s in &mut series {
            grid::extend_events_back_to(s, start_minute, options);
        }
    }
    for s in &mut series {
        grid::extend_to(path, s, end_minute, options)?;
    }
    if options.events {
        reopen_quiet_slots(&mut series, interval, options.clock);
    }
    if options.outages == OutagePolicy::Detect {
        detect_outages(&mut series, end_minute, options.holidays.as_ref());
    }
    Ok(History {
        path: path.to_path_buf(),
        interval_minutes: interval,
        source_interval_minutes: source_interval,
        regions: series,
        has_aht: table.has_aht,
        end_minute,
    })
}

/// In an event log an interval without events is a quiet interval, not a closed one, unless the
/// whole file is closed then: a slot of the week is closed only when no region ever has an event
/// in it. A township that gets a call every few hours has no events on most Tuesday nights, but
/// the county's dispatch centre is open; reading those slots as closed would forecast them as 0
/// and under-forecast the region.
fn reopen_quiet_slots(series: &mut [RegionSeries], interval_minutes: u32, clock: Clock) {
    let zone = match clock {
        Clock::UtcTo(z) | Clock::LocalIn(z) => Some(z),
        Clock::AsWritten => None,
    };
    let per_week = (time::MINUTES_PER_WEEK / interval_minutes as i64) as usize;
    let mut open = vec![false; per_week];
    for s in series.iter() {
        for (i, status) in s.status.iter().enumerate() {
            if *status == PointStatus::Observed {
                open[s.slot(i).index(interval_minutes)] = true;
            }
        }
    }
    series.par_iter_mut().for_each(|s| {
        for i in 0..s.len() {
            if s.status[i] == PointStatus::Closed && open[s.slot(i).index(interval_minutes)] {
                s.contacts[i] = 0.0;
                s.status[i] = if zone.is_some_and(|z| grid::local_time_skipped(z, s.minute(i))) {
                    PointStatus::DstSkipped
                } else {
                    PointStatus::Observed
                };
            }
        }
    });
}

/// Finds outages per region and on the file's total; a run of zeros in the total is a feed
/// outage of the whole file and is marked in every region, however sparse. Zeros on a day of the
/// holidays file are explained by it and never part of an outage.
fn detect_outages(series: &mut [RegionSeries], end_minute: i64, holidays: Option<&Holidays>) {
    let Some(interval) = series.first().map(|s| s.interval_minutes) else {
        return;
    };
    let statuses: Vec<Vec<PointStatus>> = series
        .par_iter()
        .map(|s| outage::detection_status(s, holidays))
        .collect();
    let own: Vec<Vec<std::ops::Range<usize>>> = series
        .par_iter()
        .zip(&statuses)
        .map(|(s, status)| outage::outage_runs(&s.contacts, status, interval))
        .collect();
    let file_wide: Vec<std::ops::Range<i64>> = if series.len() > 1 {
        let (start, contacts, status) = outage::file_total(series, &statuses, end_minute);
        let d = interval as i64;
        outage::outage_runs(&contacts, &status, interval)
            .into_iter()
            .map(|run| start + run.start as i64 * d..start + run.end as i64 * d)
            .collect()
    } else {
        Vec::new()
    };
    series
        .par_iter_mut()
        .zip(statuses)
        .zip(own)
        .for_each(|((s, status), runs)| outage::mark_outages(s, &status, &runs, &file_wide));
}

/// Refuses, before anything is allocated, a file whose regions would span more intervals than
/// [`crate::limits::MAX_GRID_INTERVALS`]: memory is bounded by what wfm can hold, not by how
/// far apart two timestamps in the file are.
fn check_grid_size(
    path: &Path,
    regions: &[grid::PreparedRegion],
    interval_minutes: u32,
) -> Result<()> {
    let spans: Vec<(i64, i64)> = regions.iter().filter_map(|r| r.span_seconds()).collect();
    let (Some(first), Some(last)) = (
        spans.iter().map(|s| s.0).min(),
        spans.iter().map(|s| s.1).max(),
    ) else {
        return Ok(());
    };
    let per_region = ((last - first) / 60 / interval_minutes.max(1) as i64 + 1) as u64;
    let total = per_region.saturating_mul(spans.len() as u64);
    if total > crate::limits::MAX_GRID_INTERVALS {
        return Err(WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "the rows run from {} to {}: {per_region} {interval_minutes}-minute intervals for each of {} region(s), {total} in all, more than the {} wfm holds at once; cut the file to the period you need",
                time::naive_from_seconds(first).format("%Y-%m-%d %H:%M"),
                time::naive_from_seconds(last).format("%Y-%m-%d %H:%M"),
                spans.len(),
                crate::limits::MAX_GRID_INTERVALS
            ),
        });
    }
    Ok(())
}

/// Intervals must divide a day so that every day has the same slots.
fn check_interval(minutes: u32) -> Result<()> {
    if time::IntervalLength::new(minutes as i64).is_none() {
        return Err(WfmError::setting(
            "interval_minutes",
            time::format_duration_minutes(minutes),
            "expected an interval that divides a day, such as 15m, 30m or 1h",
        ));
    }
    Ok(())
}

fn select_regions(
    path: &Path,
    regions: Vec<read::RawRegion>,
    wanted: &[String],
) -> Result<Vec<read::RawRegion>> {
    if wanted.is_empty() {
        return Ok(regions);
    }
    if let Some(missing) = wanted
        .iter()
        .find(|w| !regions.iter().any(|r| &r.name == *w))
    {
        let names: Vec<&str> = regions.iter().map(|r| r.name.as_str()).collect();
        return Err(WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "no region \"{missing}\" (--region); regions found: {}",
                names.join(", ")
            ),
        });
    }
    Ok(regions
        .into_iter()
        .filter(|r| wanted.contains(&r.name))
        .collect())
}

#[cfg(test)]
mod tests;
