//! Groups of regions (the file, or each `--group-col` value) prepared once for the top-down
//! model, and the longest horizon a prepared history can be backtested on.

use super::*;

/// The groups of a file's regions at one origin, for the top-down model: the sum of the regions
/// of each `--group-col` value, or of all regions of the file without one.
#[derive(Clone, Default)]
pub struct Groups(Vec<(Option<String>, Arc<GroupTraining>)>);

impl Groups {
    /// Prepares every group of `regions` at the origin `until_minute` for a forecast to
    /// `end_minute` (in parallel); a group of one region, or too short, has none.
    pub fn prepare(
        regions: &[RegionSeries],
        holidays: Option<&Holidays>,
        until_minute: i64,
        end_minute: i64,
        settings: &ForecastSettings,
    ) -> Groups {
        let mut keys: Vec<&Option<String>> = Vec::new();
        for region in regions {
            if !keys.contains(&&region.group) {
                keys.push(&region.group);
            }
        }
        Groups(
            keys.par_iter()
                .filter_map(|&key| {
                    let members: Vec<&RegionSeries> =
                        regions.iter().filter(|r| &r.group == key).collect();
                    prepare_group(&members, holidays, until_minute, end_minute, settings)
                        .map(|group| (key.clone(), group))
                })
                .collect(),
        )
    }

    /// The group `series` belongs to, if it has one.
    pub fn of(&self, series: &RegionSeries) -> Option<&Arc<GroupTraining>> {
        self.0
            .iter()
            .find(|(key, _)| *key == series.group)
            .map(|(_, group)| group)
    }
}

/// The sum of `regions`, prepared at the origin `until_minute` with its own model chosen by
/// `auto` for the horizon to `end_minute`: the group a region's top-down forecast takes a share
/// of. `None` for fewer than two regions or a group history too short to choose a model.
pub fn prepare_group(
    regions: &[&RegionSeries],
    holidays: Option<&Holidays>,
    until_minute: i64,
    end_minute: i64,
    settings: &ForecastSettings,
) -> Option<Arc<GroupTraining>> {
    if regions.len() < 2 {
        return None;
    }
    let name = regions[0].group.as_deref().unwrap_or("all regions");
    let series = group_series(regions, name)?;
    let prepared = prepare(&series, holidays, until_minute)?;
    let d = series.interval_minutes as i64;
    let horizon = ((end_minute - prepared.end_minute()) / d).max(0) as usize;
    let horizon = horizon.min(longest_horizon_days(&prepared, None) * prepared.seasons.per_day);
    let own = ForecastSettings {
        candidates: settings
            .candidates
            .iter()
            .filter(|c| !c.base.needs_group())
            .copied()
            .collect(),
        ..settings.clone()
    };
    let scores = select(&prepared, horizon, &own);
    if !scores.first().is_some_and(|s| s.score.is_finite()) {
        return None;
    }
    Some(Arc::new(GroupTraining {
        first_day: time::day_of_minute(prepared.start_minute),
        start_minute: prepared.start_minute,
        interval_minutes: prepared.interval_minutes,
        seasons: prepared.seasons,
        model: pool_of(&scores, settings.pool),
        fits: Default::default(),
        values: prepared.values,
    }))
}

pub(super) fn too_short(series: &RegionSeries, message: String) -> WfmError {
    WfmError::Region {
        region: series.region.clone(),
        message,
    }
}

/// The longest horizon, in whole days, on which `spec` (or, for `auto`, the least demanding
/// candidate) can be backtested at least once inside the prepared history.
pub(super) fn longest_horizon_days(prepared: &Prepared, spec: Option<&Pool>) -> usize {
    let weeks = min_calibration_weeks(spec.map_or(1, Pool::min_weeks));
    let training = weeks * prepared.seasons.per_week;
    prepared.values.len().saturating_sub(training) / prepared.seasons.per_day
}
