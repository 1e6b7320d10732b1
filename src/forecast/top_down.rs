//! The top-down model: a region's recent share of its group times the group's forecast.
//!
//! A sparse queue (a township of a 911 log, a small language queue) has too few contacts per
//! interval for its own intraday shape or trend to be estimated; its sum with its siblings has
//! plenty. The top-down forecast takes the level from the region (its share of the group over
//! the last [`SHARE_WEEKS`] weeks) and everything else (intraday and weekly shape, trend,
//! calendar cycles) from the group's forecast. This is the classic "top-down with historical
//! proportions" of hierarchical forecasting (Gross & Sohl, 1990; Athanasopoulos, Ahmed &
//! Hyndman, IJF 25(1), 2009), which does well for the bottom level when it is noisy.
//!
//! The group's model is chosen once per forecast origin (by the same backtest as `auto`), and
//! its fits are cached by training length, so the regions' backtests and calibrations, which
//! cut the history at the same points, fit the group once per cut.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::{FitError, Fitted, Pool, Seasons, Training};
use crate::data::{PointStatus, RegionSeries};

use super::model::{Estimate, ModelInfo};

/// `topdown`.
pub(crate) static MODEL: ModelInfo = ModelInfo {
    name: "topdown",
    summary: "the region's share of its group over 8 weeks × the group's forecast",
    default_weeks: None,
    min_weeks: |_| 3,
    fit: |training, _| fit(training),
    estimates: Estimate::Mean,
    needs_group: true,
};

/// Weeks over which a region's share of its group is measured: long enough that a queue of a
/// few contacts a day has a stable share, short enough to follow a region that grows.
pub const SHARE_WEEKS: usize = 8;

pub(crate) type CachedFit = Arc<OnceLock<Result<Arc<dyn Fitted>, FitError>>>;

/// The group's training data and the model chosen for it.
pub struct GroupTraining {
    pub(crate) values: Vec<f64>,
    pub(crate) seasons: Seasons,
    pub(crate) first_day: i64,
    /// Wall-clock minute of `values[0]`.
    pub(crate) start_minute: i64,
    pub(crate) interval_minutes: u32,
    pub(crate) model: Pool,
    /// The group's fits by training length (empty at first).
    pub(crate) fits: Mutex<HashMap<usize, CachedFit>>,
}

impl GroupTraining {
    /// The group's model, e.g. to say what a top-down forecast rests on.
    pub fn model(&self) -> &Pool {
        &self.model
    }

    /// Where a region's training data that starts at `start_minute` and holds `len` intervals
    /// sits in the group's: `None` unless the group covers it whole on the same grid.
    pub(crate) fn offset_of(
        &self,
        start_minute: i64,
        len: usize,
        interval_minutes: u32,
    ) -> Option<usize> {
        let d = self.interval_minutes as i64;
        if interval_minutes != self.interval_minutes || start_minute < self.start_minute {
            return None;
        }
        let offset = start_minute - self.start_minute;
        if offset % d != 0 {
            return None;
        }
        let offset = (offset / d) as usize;
        (offset + len <= self.values.len()).then_some(offset)
    }

    /// The group's model fitted to its first `end` values (cached).
    fn fitted_until(&self, end: usize) -> Result<Arc<dyn Fitted>, FitError> {
        let cell = {
            let mut fits = self
                .fits
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            Arc::clone(fits.entry(end).or_default())
        };
        cell.get_or_init(|| {
            let training =
                Training::new(&self.values[..end], self.seasons).starting_on(self.first_day);
            self.model.fit(training).map(Arc::from)
        })
        .clone()
    }

    /// The group's values over the same intervals as a region's training values.
    fn aligned(&self, offset: usize, len: usize) -> &[f64] {
        &self.values[offset..offset + len]
    }
}

/// Fits the top-down model to a region's training data.
pub(crate) fn fit(training: Training<'_>) -> Result<Box<dyn Fitted>, FitError> {
    let parent = training.parent.ok_or_else(|| FitError::NoGroup {
        model: "topdown".into(),
    })?;
    let n = training.len();
    let group = parent.group;
    let group_fit = group.fitted_until(parent.offset + n)?;
    let recent = n.saturating_sub(SHARE_WEEKS * training.seasons.per_week);
    let own: f64 = training.values[recent..].iter().sum();
    let all: f64 = group.aligned(parent.offset, n)[recent..].iter().sum();
    let share = if all > 0.0 { own / all } else { 0.0 };
    Ok(Box::new(Share {
        group: group_fit,
        share,
    }))
}

/// A share of the group's forecast.
struct Share {
    group: Arc<dyn Fitted>,
    share: f64,
}

impl Fitted for Share {
    fn predict_point(&self, horizon: usize) -> Vec<f64> {
        let mut forecast = self.group.predict_point(horizon);
        for v in &mut forecast {
            *v = v.max(0.0) * self.share;
        }
        forecast
    }
}

/// The sum of several regions on one wall-clock grid, named `name`: the parent whose forecast
/// the top-down model shares out. A point is observed when any region observed it; otherwise it
/// keeps the first region's status (closed, holiday, outage or gap), so a file-wide outage stays
/// an outage of the group.
pub fn group_series(regions: &[&RegionSeries], name: &str) -> Option<RegionSeries> {
    let first = *regions.first()?;
    let d = first.interval_minutes as i64;
    if regions
        .iter()
        .any(|r| r.interval_minutes != first.interval_minutes)
    {
        return None;
    }
    let start = regions.iter().map(|r| r.start_minute).min()?;
    let end = regions.iter().map(|r| r.minute(r.len())).max()?;
    if (start - first.start_minute) % d != 0 {
        return None;
    }
    let n = ((end - start) / d) as usize;
    let mut contacts = vec![0.0; n];
    let mut status: Vec<Option<PointStatus>> = vec![None; n];
    for &region in regions {
        if (region.start_minute - start) % d != 0 {
            return None;
        }
        let offset = ((region.start_minute - start) / d) as usize;
        for (i, (&c, &s)) in region.contacts.iter().zip(&region.status).enumerate() {
            let t = offset + i;
            if c.is_finite() {
                contacts[t] += c;
            }
            status[t] = match (status[t], s) {
                (_, PointStatus::Observed) | (Some(PointStatus::Observed), _) => {
                    Some(PointStatus::Observed)
                }
                (None, s) => Some(s),
                (kept, _) => kept,
            };
        }
    }
    Some(RegionSeries {
        region: name.to_string(),
        group: None,
        start_minute: start,
        interval_minutes: first.interval_minutes,
        contacts,
        aht_seconds: None,
        // Before a region's first row or after its last: nothing was recorded for any region.
        status: status
            .into_iter()
            .map(|s| s.unwrap_or(PointStatus::Closed))
            .collect(),
        source_rows: regions.iter().map(|r| r.source_rows).sum(),
        dst_repeats_merged: 0,
        // A file-wide outage is in the statuses; the list is for reports.
        outages: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::{BaseModel, Parent};

    fn seasons() -> Seasons {
        Seasons {
            per_day: 2,
            per_week: 14,
        }
    }

    #[test]
    fn share_of_the_group_forecast() {
        // The group repeats a weekly pattern; the region is a tenth of it.
        let group_values: Vec<f64> = (0..14 * 10).map(|t| 10.0 + (t % 14) as f64).collect();
        let region: Vec<f64> = group_values.iter().map(|v| v / 10.0).collect();
        let group = GroupTraining {
            values: group_values.clone(),
            seasons: seasons(),
            first_day: 19_723,
            start_minute: 0,
            interval_minutes: 720,
            model: Pool(vec![BaseModel::SEASONAL_NAIVE.into()]),
            fits: Default::default(),
        };
        let training = Training::new(&region, seasons()).in_group(Some(Parent {
            group: &group,
            offset: 0,
        }));
        let forecast = BaseModel::TOP_DOWN.fit(training).unwrap().predict_point(14);
        for (h, v) in forecast.iter().enumerate() {
            assert!((v - group_values[h] / 10.0).abs() < 1e-12, "{h}: {v}");
        }
        // A shorter history (an earlier origin) fits the group on the same cut.
        let early = BaseModel::TOP_DOWN
            .fit(training.head(14 * 5))
            .unwrap()
            .predict_point(1);
        assert!((early[0] - group_values[0] / 10.0).abs() < 1e-12);
    }

    #[test]
    fn without_a_group_topdown_cannot_fit() {
        let values = vec![1.0; 14 * 4];
        let err = BaseModel::TOP_DOWN
            .fit(Training::new(&values, seasons()))
            .err()
            .unwrap();
        assert!(matches!(err, FitError::NoGroup { .. }));
    }

    #[test]
    fn group_sums_regions_on_one_grid() {
        let region = |name: &str, start: i64, values: Vec<f64>| RegionSeries {
            region: name.into(),
            group: None,
            start_minute: start,
            interval_minutes: 60,
            status: vec![PointStatus::Observed; values.len()],
            contacts: values,
            aht_seconds: None,
            source_rows: 0,
            dst_repeats_merged: 0,
            outages: Vec::new(),
        };
        let a = region("a", 0, vec![1.0, 2.0, 3.0]);
        let b = region("b", 60, vec![10.0, 20.0, 30.0]);
        let sum = group_series(&[&a, &b], "all").unwrap();
        assert_eq!(sum.start_minute, 0);
        assert_eq!(sum.contacts, vec![1.0, 12.0, 23.0, 30.0]);
    }
}
