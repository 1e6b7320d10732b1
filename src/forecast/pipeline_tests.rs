//! Forecasting behaviour on series with known answers and on simulated counts.

use proptest::prelude::*;

use super::pipeline::{forecast_region, ForecastSettings, ModelChoice};
use super::*;
use crate::data::{Holidays, PointStatus, RegionSeries, SpecialDay, TreatAs};
use crate::test_support::Counts;
use crate::time::{self, MINUTES_PER_DAY};

fn fixed(base: BaseModel) -> ModelChoice {
    ModelChoice::Fixed(base.into())
}

/// Monday 2024-01-01 00:00 on the wall clock.
fn monday() -> i64 {
    time::days_from_civil(2024, 1, 1) * MINUTES_PER_DAY
}

/// `weeks` of hourly data whose value is `f(hour of week)`; hours 0–6 of each day closed when
/// `closed_nights`.
fn hourly_series(weeks: usize, closed_nights: bool, f: impl Fn(usize) -> f64) -> RegionSeries {
    let n = weeks * 168;
    let mut contacts = Vec::with_capacity(n);
    let mut status = Vec::with_capacity(n);
    for t in 0..n {
        let night = closed_nights && t % 24 < 7;
        contacts.push(if night { 0.0 } else { f(t) });
        status.push(if night {
            PointStatus::Closed
        } else {
            PointStatus::Observed
        });
    }
    RegionSeries {
        region: "r".into(),
        group: None,
        start_minute: monday(),
        interval_minutes: 60,
        contacts,
        aht_seconds: None,
        status,
        source_rows: n,
        dst_repeats_merged: 0,
        outages: Vec::new(),
    }
}

/// A daily shape (busy late morning) times a weekday level (quiet weekend).
fn weekly_pattern(t: usize) -> f64 {
    let hour = t % 24;
    let day = (t / 24) % 7;
    let shape = 10.0 + 30.0 * (-((hour as f64 - 11.0).powi(2)) / 18.0).exp();
    shape * [1.0, 1.0, 0.95, 0.95, 0.9, 0.4, 0.3][day]
}

fn settings(model: ModelChoice) -> ForecastSettings {
    ForecastSettings {
        model,
        ..Default::default()
    }
}

fn forecast(
    series: &RegionSeries,
    holidays: Option<&Holidays>,
    model: ModelChoice,
    days: i64,
) -> super::forecasts::RegionForecast {
    let end = series.minute(series.len());
    forecast_region(
        series,
        holidays,
        end,
        end + days * MINUTES_PER_DAY,
        &settings(model),
        None,
    )
    .unwrap()
}

/// Like [`forecast`], with the region in a group of two: a sibling with twice its volume, so
/// `topdown` has a group to take a share of.
fn forecast_with_sibling(
    series: &RegionSeries,
    model: ModelChoice,
    days: i64,
) -> super::forecasts::RegionForecast {
    let mut sibling = series.clone();
    sibling.region = "sibling".into();
    sibling.contacts.iter_mut().for_each(|v| *v *= 2.0);
    let end = series.minute(series.len());
    let horizon_end = end + days * MINUTES_PER_DAY;
    let settings = settings(model);
    let group =
        super::pipeline::prepare_group(&[series, &sibling], None, end, horizon_end, &settings);
    forecast_region(series, None, end, horizon_end, &settings, group.as_ref()).unwrap()
}

#[test]
fn every_model_forecasts_a_pure_weekly_season() {
    // 12 weeks of history, or 70 for the models that need more than a year.
    for spec in ModelSpec::candidates() {
        let weeks = if spec.min_weeks() > 12 { 70 } else { 12 };
        let series = hourly_series(weeks, false, weekly_pattern);
        let f = forecast_with_sibling(&series, ModelChoice::Fixed(spec), 14);
        assert_eq!(f.len(), 14 * 24);
        let truth: Vec<f64> = (0..f.len())
            .map(|h| weekly_pattern(weeks * 168 + h))
            .collect();
        let error = metrics::wape(&truth, &f.point);
        assert!(error < 0.03, "{spec}: WAPE {error}");
    }
}

#[test]
fn an_all_zero_history_forecasts_zero() {
    for spec in ModelSpec::candidates() {
        let weeks = if spec.min_weeks() > 11 { 70 } else { 11 };
        let series = hourly_series(weeks, false, |_| 0.0);
        let f = forecast_with_sibling(&series, ModelChoice::Fixed(spec), 7);
        assert!(
            f.point.iter().all(|&v| v.abs() < 1e-9),
            "{spec}: {:?}",
            &f.point[..5]
        );
    }
}

#[test]
fn trend_and_season_are_followed_by_the_trend_models() {
    // +0.5 % a day on top of the weekly pattern.
    let level = |t: usize| 1.0 + 0.005 * (t / 24) as f64;
    let series = hourly_series(16, false, |t| weekly_pattern(t) * level(t));
    let truth: Vec<f64> = (0..7 * 24)
        .map(|h| weekly_pattern(16 * 168 + h) * level(16 * 168 + h))
        .collect();
    let f = forecast(
        &series,
        None,
        fixed(BaseModel::with_weeks(&super::profile::MODEL, 4)),
        7,
    );
    let profile_error = metrics::wape(&truth, &f.point);
    let naive = forecast(&series, None, fixed(BaseModel::SEASONAL_NAIVE), 7);
    let naive_error = metrics::wape(&truth, &naive.point);
    assert!(
        profile_error < naive_error,
        "profile {profile_error} vs naive {naive_error}"
    );
    assert!(profile_error < 0.02, "{profile_error}");
}

#[test]
fn closed_slots_forecast_zero_with_no_band() {
    let series = hourly_series(10, true, weekly_pattern);
    for model in [
        ModelChoice::Auto,
        fixed(BaseModel::of(&super::holt_winters::ADDITIVE)),
    ] {
        let f = forecast(&series, None, model, 7);
        for h in 0..f.len() {
            if h % 24 < 7 {
                assert!(f.closed[h]);
                assert_eq!((f.point[h], f.lower[h], f.upper[h]), (0.0, 0.0, 0.0));
            } else {
                assert!(!f.closed[h] && f.point[h] > 0.0);
            }
        }
    }
}

#[test]
fn special_days_in_the_horizon_follow_treat_as() {
    let series = hourly_series(10, false, weekly_pattern);
    let start = series.minute(series.len());
    let date = |k: i64| time::date_from_day(time::day_of_minute(start) + k);
    let day = |k: i64, treat_as| SpecialDay {
        date: date(k),
        name: format!("day {k}"),
        treat_as,
        window_minutes: None,
    };
    // Day 0 is a Monday: closed; day 1 (Tue) at half volume; day 2 (Wed) like a Sunday.
    let holidays = Holidays::new(vec![
        day(0, Some(TreatAs::Closed)),
        day(1, Some(TreatAs::Scale(0.5))),
        day(2, Some(TreatAs::Weekday(6))),
    ]);
    let model = fixed(BaseModel::SEASONAL_NAIVE);
    let plain = forecast(&series, None, model, 7);
    let special = forecast(&series, Some(&holidays), model, 7);
    for h in 0..24 {
        assert_eq!(special.point[h], 0.0);
        assert!((special.point[24 + h] - plain.point[24 + h] * 0.5).abs() < 1e-9);
        assert!(
            (special.point[48 + h] - plain.point[6 * 24 + h]).abs() < 1e-9,
            "Wednesday like Sunday"
        );
        assert_eq!(special.special_day[h].as_deref(), Some("day 0"));
    }
    assert_eq!(special.point[3 * 24..], plain.point[3 * 24..]);
}

#[test]
fn past_special_days_are_imputed_and_set_the_default_ratio() {
    // Every Wednesday of week 4 and 7 is a holiday at 10 % of normal volume.
    let holiday_days = [3 * 7 + 2, 6 * 7 + 2];
    let mut series = hourly_series(10, false, weekly_pattern);
    for d in holiday_days {
        for h in 0..24 {
            series.contacts[d * 24 + h] *= 0.1;
        }
    }
    let listed = |k: usize| SpecialDay {
        date: time::date_from_day(time::day_of_minute(monday()) + k as i64),
        name: "holiday".into(),
        treat_as: None,
        window_minutes: None,
    };
    let next_wednesday = 10 * 7 + 2;
    let holidays = Holidays::new(
        holiday_days
            .iter()
            .chain(&[next_wednesday])
            .map(|&k| listed(k))
            .collect(),
    );
    let model = fixed(BaseModel::average(8, Averaging::Mean));
    let f = forecast(&series, Some(&holidays), model, 7);
    // Imputed training: the normal Wednesday is forecast exactly on other days…
    let tuesday: Vec<f64> = (24..48).map(|h| weekly_pattern(10 * 168 + h)).collect();
    assert!(metrics::wape(&tuesday, &f.point[24..48]) < 1e-9);
    // …and the listed Wednesday gets 10 % of normal, as past holidays had.
    let wednesday: f64 = (48..72).map(|h| weekly_pattern(10 * 168 + h)).sum();
    let forecast_wednesday: f64 = f.point[48..72].iter().sum();
    assert!((forecast_wednesday / wednesday - 0.1).abs() < 1e-6);
}

#[test]
fn auto_reports_every_candidate_best_first_and_pools_the_top_two() {
    let series = hourly_series(20, true, weekly_pattern);
    let f = forecast(&series, None, ModelChoice::Auto, 28);
    assert_eq!(f.selection.len(), ModelSpec::candidates().len());
    assert!(f
        .selection
        .windows(2)
        .all(|w| w[0].score <= w[1].score || w[1].score.is_nan()));
    // It forecasts with the mean of the two best.
    assert_eq!(
        f.model_name(),
        format!("{}+{}", f.selection[0].model, f.selection[1].model)
    );
    assert!(
        f.selection[0].interval_wape < 0.01,
        "a pure season is forecast almost exactly"
    );
}

#[test]
fn eighty_percent_band_covers_about_eighty_percent_of_simulated_counts() {
    let mut counts = Counts(7);
    let weeks = 24;
    let horizon_days = 28;
    let all: Vec<f64> = (0..(weeks * 168 + horizon_days * 24))
        .map(|t| counts.poisson(weekly_pattern(t)))
        .collect();
    let mut series = hourly_series(weeks, false, |t| all[t]);
    let f = forecast(
        &series,
        None,
        fixed(BaseModel::average(8, Averaging::Mean)),
        horizon_days as i64,
    );
    let future = &all[weeks * 168..];
    let coverage = metrics::coverage(future, &f.lower, &f.upper);
    assert!((0.72..=0.88).contains(&coverage), "coverage {coverage}");
    // The same with the band asked at 95 %.
    series.region = "r95".into();
    let end = series.minute(series.len());
    let wide = forecast_region(
        &series,
        None,
        end,
        end + horizon_days as i64 * MINUTES_PER_DAY,
        &ForecastSettings {
            model: fixed(BaseModel::average(8, Averaging::Mean)),
            level: 0.95,
            ..Default::default()
        },
        None,
    )
    .unwrap();
    let coverage95 = metrics::coverage(future, &wide.lower, &wide.upper);
    assert!(
        coverage95 > coverage && coverage95 >= 0.9,
        "coverage {coverage95}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn forecasts_and_bands_are_never_negative(
        values in proptest::collection::vec(0.0f64..50.0, 168),
        spikes in proptest::collection::vec((0usize..1_344, 0.0f64..500.0), 0..20),
        model in 0usize..10,
    ) {
        // Eight weeks built from one random week, with random spikes and drops to zero.
        let mut series = hourly_series(8, false, |t| values[t % 168]);
        for (at, v) in spikes {
            series.contacts[at] = v;
        }
        let spec = ModelSpec::candidates()[model];
        let f = forecast(&series, None, ModelChoice::Fixed(spec), 14);
        for h in 0..f.len() {
            prop_assert!(f.point[h] >= 0.0 && f.lower[h] >= 0.0 && f.upper[h] >= 0.0);
            prop_assert!(f.lower[h] <= f.point[h] && f.point[h] <= f.upper[h]);
        }
    }
}

#[test]
fn eves_learn_their_effect_from_past_eves() {
    // Holidays on the Wednesdays of weeks 3, 5 and 11 (the forecast week); their Tuesdays run at
    // 60 % of normal in the history.
    let holiday_days = [2 * 7 + 2, 4 * 7 + 2, 10 * 7 + 2];
    let mut series = hourly_series(10, false, weekly_pattern);
    for d in &holiday_days[..2] {
        for h in 0..24 {
            series.contacts[(d - 1) * 24 + h] *= 0.6;
        }
    }
    let holidays = Holidays::new(
        holiday_days
            .iter()
            .map(|&k| SpecialDay {
                date: time::date_from_day(time::day_of_minute(monday()) + k as i64),
                name: "holiday".into(),
                treat_as: Some(TreatAs::Closed),
                window_minutes: None,
            })
            .collect(),
    );
    let model = fixed(BaseModel::average(4, Averaging::Mean));
    let f = forecast(&series, Some(&holidays), model, 7);
    let normal_tuesday: f64 = (24..48).map(|h| weekly_pattern(10 * 168 + h)).sum();
    let eve: f64 = f.point[24..48].iter().sum();
    assert!(
        (eve / normal_tuesday - 0.6).abs() < 1e-6,
        "eve at {}",
        eve / normal_tuesday
    );
    // Monday is not an eve and is forecast as normal, from imputed (normal) Tuesdays' neighbours.
    let monday_truth: Vec<f64> = (0..24).map(|h| weekly_pattern(10 * 168 + h)).collect();
    assert!(metrics::wape(&monday_truth, &f.point[..24]) < 1e-9);
}

#[test]
fn a_holiday_takes_its_ratio_from_the_same_named_day_a_year_earlier() {
    // 60 weeks of history. "Quiet day" fell on the Wednesday of week 3 and ran at 30 % of
    // normal; "busy day" fell on weeks 5 and 40 and ran at 90 %. All are listed with no
    // instruction. A year after the quiet day, in the forecast week (week 55), both come again:
    // each is forecast at its own ratio, not at the median of all three (90 %).
    let wednesday = |week: usize| week * 7 + 2;
    let mut series = hourly_series(55, false, weekly_pattern);
    let scale = |series: &mut RegionSeries, day: usize, factor: f64| {
        for h in 0..24 {
            series.contacts[day * 24 + h] *= factor;
        }
    };
    scale(&mut series, wednesday(2), 0.3);
    // Its eve ran at half; the busy days' eves as normal.
    scale(&mut series, wednesday(2) - 1, 0.5);
    scale(&mut series, wednesday(4), 0.9);
    scale(&mut series, wednesday(39), 0.9);
    let day = |k: usize, name: &str| SpecialDay {
        date: time::date_from_day(time::day_of_minute(monday()) + k as i64),
        name: name.into(),
        treat_as: None,
        window_minutes: None,
    };
    let quiet_again = wednesday(55);
    let busy_again = quiet_again + 1;
    let holidays = Holidays::new(vec![
        day(wednesday(2), "quiet day"),
        day(wednesday(4), "busy day"),
        day(wednesday(39), "busy day"),
        day(quiet_again, "quiet day"),
        day(busy_again, "busy day"),
    ]);
    let model = fixed(BaseModel::average(4, Averaging::Mean));
    let f = forecast(&series, Some(&holidays), model, 7);
    let ratio = |k: usize| {
        let normal: f64 = (0..24).map(|h| weekly_pattern(k * 24 + h)).sum();
        let at = (k - 55 * 7) * 24;
        f.point[at..at + 24].iter().sum::<f64>() / normal
    };
    assert!(
        (ratio(quiet_again) - 0.3).abs() < 1e-6,
        "quiet day at {}",
        ratio(quiet_again)
    );
    // The busy day of week 40 is under 300 days before: only week 5's counts, a year earlier.
    assert!(
        (ratio(busy_again) - 0.9).abs() < 1e-6,
        "busy day at {}",
        ratio(busy_again)
    );
    // The eve of the quiet day, as its own eve ran (the median of all eves is 1).
    let eve = quiet_again - 1;
    assert!((ratio(eve) - 0.5).abs() < 1e-6, "eve at {}", ratio(eve));
}

#[test]
fn auto_follows_a_payday_cycle_that_weekly_models_average_away() {
    // Days 1–10 of each month 30 % busier, the rest 15 % quieter (from Monday 2024-01-01).
    let payday = |t: usize| {
        let date = time::date_from_day(time::day_of_minute(monday()) + (t / 24) as i64);
        let factor = if chrono::Datelike::day(&date) <= 10 {
            1.3
        } else {
            0.85
        };
        weekly_pattern(t) * factor
    };
    let weeks = 35;
    let series = hourly_series(weeks, false, payday);
    let f = forecast(&series, None, ModelChoice::Auto, 28);
    assert!(
        f.model_name().split('+').all(|m| m.starts_with("dom-")),
        "chose {}",
        f.model_name()
    );
    let truth: Vec<f64> = (0..f.len()).map(|h| payday(weeks * 168 + h)).collect();
    let weekly = forecast(
        &series,
        None,
        fixed(BaseModel::average(4, Averaging::Mean)),
        28,
    );
    let (auto, savg) = (
        metrics::wape(&truth, &f.point),
        metrics::wape(&truth, &weekly.point),
    );
    assert!(auto < savg / 2.0, "auto {auto}, savg:4 {savg}");
}

/// Regression (issue 12, sparse queues): a Poisson queue with 0.3 contacts an interval has a
/// median of 0. A choice by absolute error forecast it as nothing; the rate is what staffing
/// needs, and `auto` must forecast it.
#[test]
fn sparse_poisson_queue_is_forecast_at_its_rate_not_zero() {
    let mut counts = Counts(11);
    let mean = 0.3;
    let weeks = 16;
    let draws: Vec<f64> = (0..weeks * 168).map(|_| counts.poisson(mean)).collect();
    let series = hourly_series(weeks, false, |t| draws[t]);
    let f = forecast(&series, None, ModelChoice::Auto, 28);
    let per_interval = f.point.iter().sum::<f64>() / f.len() as f64;
    assert!(
        (0.7 * mean..=1.3 * mean).contains(&per_interval),
        "{} forecast {per_interval} per interval for a rate of {mean}",
        f.model_name()
    );
    assert!(
        f.point.iter().all(|&v| v > 0.0),
        "{} forecast some intervals as 0",
        f.model_name()
    );
    assert!(
        !f.model_name().contains("smedian"),
        "a median model ({}) is chosen for a sparse queue",
        f.model_name()
    );
}

/// Regression (issue 12, honest horizons): a history too short for any backtest origin is
/// refused, naming the longest horizon it supports, instead of a seasonal naive forecast with
/// a NaN score and no band.
#[test]
fn a_horizon_the_history_cannot_backtest_is_refused() {
    let series = hourly_series(3, false, weekly_pattern);
    let end = series.minute(series.len());
    let err = forecast_region(
        &series,
        None,
        end,
        end + 28 * MINUTES_PER_DAY,
        &settings(ModelChoice::Auto),
        None,
    )
    .unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(
            err,
            crate::error::WfmError::HorizonTooLong {
                longest_days: 0,
                ..
            }
        ),
        "{message}"
    );
    assert!(message.contains("at least 4 weeks"), "{message}");

    // Six weeks support two weeks ahead (four weeks of training before the window).
    let series = hourly_series(6, false, weekly_pattern);
    let end = series.minute(series.len());
    let asked = |extrapolate: bool| {
        forecast_region(
            &series,
            None,
            end,
            end + 28 * MINUTES_PER_DAY,
            &ForecastSettings {
                extrapolate,
                ..settings(ModelChoice::Auto)
            },
            None,
        )
    };
    let message = asked(false).unwrap_err().to_string();
    assert!(
        message.contains("supports is 14 day(s)") && message.contains("--extrapolate"),
        "{message}"
    );
    let f = asked(true).unwrap();
    assert_eq!(f.len(), 28 * 24);
    assert!(
        f.notes.iter().any(|n| n.contains("extrapolated")),
        "{:?}",
        f.notes
    );
    let widths =
        |range: std::ops::Range<usize>| -> f64 { range.map(|h| f.upper[h] - f.lower[h]).sum() };
    assert!(
        widths(0..24 * 28) > 0.0,
        "an extrapolated forecast still has a band"
    );
    assert!(f
        .selection
        .iter()
        .all(|s| s.origins > 0 || s.score.is_nan()));
}

/// Regression (issue 12): a fixed model that a region's history is too short for is an error
/// of that region only, which the backtest skips and `forecast` replaces by auto.
#[test]
fn a_model_too_demanding_for_the_history_is_a_typed_error() {
    let series = hourly_series(7, false, weekly_pattern);
    let end = series.minute(series.len());
    let spec: ModelSpec = "dom-savg:4".parse().unwrap();
    let result = forecast_region(
        &series,
        None,
        end,
        end + 7 * MINUTES_PER_DAY,
        &settings(ModelChoice::Fixed(spec)),
        None,
    );
    assert!(
        matches!(
            result,
            Err(crate::error::WfmError::HorizonTooLong { .. })
                | Err(crate::error::WfmError::ModelNotFitted { .. })
        ),
        "{:?}",
        result.map(|f| f.model_name())
    );
}

/// A region with a tenth of its group's volume, too sparse for its own shape, is forecast by
/// `auto` at its own level with the group's shape when the group is given.
#[test]
fn topdown_gives_a_sparse_region_the_shape_of_its_group() {
    let mut counts = Counts(5);
    let weeks = 16;
    let n = weeks * 168;
    let busy: Vec<f64> = (0..n).map(|t| counts.poisson(weekly_pattern(t))).collect();
    let sparse: Vec<f64> = (0..n)
        .map(|t| counts.poisson(weekly_pattern(t) / 40.0))
        .collect();
    let mut a = hourly_series(weeks, false, |t| busy[t]);
    a.region = "busy".into();
    let mut b = hourly_series(weeks, false, |t| sparse[t]);
    b.region = "sparse".into();
    let regions = [a, b];
    let end = regions[0].minute(n);
    let until = end;
    let horizon_end = end + 28 * MINUTES_PER_DAY;
    let settings = settings(ModelChoice::Auto);
    let group = super::pipeline::prepare_group(
        &[&regions[0], &regions[1]],
        None,
        until,
        horizon_end,
        &settings,
    )
    .unwrap();
    let f = forecast_region(
        &regions[1],
        None,
        until,
        horizon_end,
        &settings,
        Some(&group),
    )
    .unwrap();
    let topdown = f
        .selection
        .iter()
        .find(|s| s.model.to_string() == "topdown")
        .unwrap();
    assert!(topdown.score.is_finite() && topdown.origins > 0);
    // Against the true rate, the forecast is close to the region's level and shape.
    let truth: Vec<f64> = (0..f.len()).map(|h| weekly_pattern(n + h) / 40.0).collect();
    let error = metrics::wape(&truth, &f.point);
    assert!(
        error < 0.3,
        "{} is {error} from the true rate",
        f.model_name()
    );
    let alone = forecast_region(
        &regions[1],
        None,
        until,
        horizon_end,
        &ForecastSettings {
            model: ModelChoice::Fixed(BaseModel::TOP_DOWN.into()),
            ..Default::default()
        },
        Some(&group),
    )
    .unwrap();
    let topdown_error = metrics::wape(&truth, &alone.point);
    let own = forecast(&regions[1], None, fixed(BaseModel::SEASONAL_NAIVE), 28);
    let own_error = metrics::wape(&truth, &own.point);
    assert!(
        topdown_error < 0.15 && topdown_error < own_error / 2.0,
        "topdown {topdown_error}, snaive {own_error}"
    );
    // Without a group, topdown cannot be scored and is never chosen.
    let alone = forecast(&regions[1], None, ModelChoice::Auto, 28);
    assert!(!alone.model_name().contains("topdown"));
    assert!(alone
        .selection
        .iter()
        .any(|s| s.model.to_string() == "topdown" && s.score.is_nan()));
}

/// A forecast far from the recent level is flagged, not passed on silently.
#[test]
fn a_forecast_far_from_the_recent_level_gets_a_note() {
    // Volume doubles in the last four weeks; an eight-week median stays at the old level.
    let weeks = 12;
    let series = hourly_series(weeks, false, |t| {
        weekly_pattern(t) * if t >= (weeks - 4) * 168 { 3.0 } else { 1.0 }
    });
    let f = forecast(
        &series,
        None,
        fixed(BaseModel::average(12, Averaging::Median)),
        28,
    );
    assert!(
        f.notes.iter().any(|n| n.contains("× the last 4 weeks'")),
        "{:?}",
        f.notes
    );
}

/// Regression (issue 12, failure 3): a recording outage (a run of zeros marked `Outage` at
/// ingest) is imputed like a holiday, not learnt as demand.
#[test]
fn outages_in_training_are_not_learnt_as_demand() {
    let mut series = hourly_series(10, false, weekly_pattern);
    // The whole last Wednesday and Thursday read zero: an outage.
    for t in (9 * 168 + 48)..(9 * 168 + 96) {
        series.contacts[t] = 0.0;
        series.status[t] = PointStatus::Outage;
    }
    let model = fixed(BaseModel::average(4, Averaging::Mean));
    let f = forecast(&series, None, model, 7);
    let truth: Vec<f64> = (0..f.len()).map(|h| weekly_pattern(10 * 168 + h)).collect();
    assert!(
        metrics::wape(&truth, &f.point) < 1e-9,
        "the outage pulled the forecast down"
    );
    // The same zeros taken as real (`--outages keep`) cost a quarter of Wednesday.
    for t in (9 * 168 + 48)..(9 * 168 + 96) {
        series.status[t] = PointStatus::Observed;
    }
    let kept = forecast(&series, None, model, 7);
    let wednesday = |f: &super::forecasts::RegionForecast| f.point[48..72].iter().sum::<f64>();
    assert!((wednesday(&kept) / wednesday(&f) - 0.75).abs() < 1e-9);
}

/// Regression: a multiplicative Holt-Winters fitted to a township with a few calls a week once
/// forecast 31,000 times its volume. A forecast above five times the busiest recent interval
/// (plus five contacts) is a model that ran away: it is no candidate and never reaches staffing.
#[test]
fn a_runaway_forecast_is_implausible() {
    let series = hourly_series(10, false, |t| if t % 24 == 12 { 10.0 } else { 1.0 });
    let prepared = super::pipeline::prepare(&series, None, series.minute(series.len())).unwrap();
    assert!(super::pipeline::plausible(
        &prepared,
        &[0.0, 10.0, 40.0, 55.0]
    ));
    assert!(!super::pipeline::plausible(&prepared, &[1.0, 56.0]));
    assert!(!super::pipeline::plausible(&prepared, &[f64::NAN]));
}

/// With a group column, each group is the top-down parent of its own regions.
#[test]
fn topdown_shares_out_the_region_s_own_group() {
    let weeks = 12;
    let make = |name: &str, group: &str, scale: f64| {
        let mut s = hourly_series(weeks, false, move |t| weekly_pattern(t) * scale);
        s.region = name.into();
        s.group = Some(group.into());
        s
    };
    // Group "a" is twice group "b"'s volume with a flat shape in "b": the share must come
    // from the region's own group.
    let mut flat_b = make("b/x", "b", 1.0);
    flat_b.contacts.iter_mut().for_each(|v| *v = 5.0);
    let mut flat_b2 = flat_b.clone();
    flat_b2.region = "b/y".into();
    let regions = vec![
        make("a/x", "a", 1.0),
        make("a/y", "a", 1.0),
        flat_b,
        flat_b2,
    ];
    let end = regions[0].minute(regions[0].len());
    let horizon_end = end + 7 * MINUTES_PER_DAY;
    let settings = settings(ModelChoice::Fixed(BaseModel::TOP_DOWN.into()));
    let groups = super::pipeline::Groups::prepare(&regions, None, end, horizon_end, &settings);
    let f = forecast_region(
        &regions[2],
        None,
        end,
        horizon_end,
        &settings,
        groups.of(&regions[2]),
    )
    .unwrap();
    assert!(
        f.point.iter().all(|v| (v - 5.0).abs() < 1e-9),
        "half of group b's flat 10: {:?}",
        &f.point[..3]
    );
}

/// The forecasting API in augurs' shape: a model spec fits to a fitted model whose
/// `predict(horizon, level)` returns the point forecast and, once calibrated, a band.
#[test]
fn calibrated_models_predict_a_band_at_any_level() {
    let mut counts = Counts(9);
    let weeks = 12;
    let values: Vec<f64> = (0..weeks * 168)
        .map(|t| counts.poisson(weekly_pattern(t)))
        .collect();
    let seasons = Seasons::for_interval(60);
    let training = Training::new(&values, seasons);
    let spec = Pool(vec![BaseModel::AVERAGES[0].into()]);
    let plain = spec.fit(training).unwrap();
    let forecast = plain.predict(168, Some(0.8)).unwrap();
    assert_eq!(forecast.point.len(), 168);
    assert!(
        forecast.band.is_none(),
        "a plain model has no band of its own"
    );
    let calibrated = Calibrated::fit(&spec, training, &vec![true; values.len()], 168, 4).unwrap();
    let band = calibrated.predict(168, Some(0.8)).unwrap().band.unwrap();
    let wide = calibrated.predict(168, Some(0.95)).unwrap().band.unwrap();
    for h in 0..168 {
        assert!(band.lower[h] <= forecast.point[h] && forecast.point[h] <= band.upper[h]);
        assert!(wide.upper[h] - wide.lower[h] >= band.upper[h] - band.lower[h] - 1e-9);
    }
    assert!(matches!(
        calibrated.predict(1, Some(1.5)),
        Err(PredictError::Level(_))
    ));
}
