//! The 2/2 comparison in people: the same requirement rostered with weekly tours and with the
//! 2-on/2-off 12-hour pattern of four crews, side by side, at the volume given and scaled.

use serde::Serialize;

use super::agents::Agent;
use super::rules::WorkRules;
use super::tours::{roster_requirements, TourPlan};
use crate::error::{Result, WfmError};
use crate::limits::{MAX_CONTACTS_PER_INTERVAL, MAX_ERLANGS};
use crate::schedule::plans::plan_service_level;
use crate::schedule::{coverage_figures, two_by_two, Requirement, ShiftTemplates};
use crate::staffing::requirements::{RegionRequirements, Requirements};
use crate::staffing::{required, Load, Staffing, Targets};

/// What one roster of the requirement costs and gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RosterFigures {
    /// People on the roster (for tours: the file's agents who work and the hires).
    pub headcount: usize,
    pub paid_hours: f64,
    pub over_staffed_agent_hours: f64,
    pub short_intervals: usize,
    /// Contact-weighted service level and the share of open intervals meeting the target, when
    /// the requirements file has contacts and AHT.
    pub service_level: Option<(f64, f64)>,
}

/// Both rosters of the requirement at one volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub volume_scale: f64,
    pub tours: RosterFigures,
    pub two_by_two: RosterFigures,
    /// Agent-weeks of the 2/2 roster outside contract ± tolerance (whole weeks only).
    pub two_by_two_weeks_outside_hours: usize,
    /// No roster of weekly tours has fewer agents (`TourPlan::tour_bound`).
    pub tour_bound: usize,
    /// No roster under the rules has fewer agents (`TourPlan::lower_bound`).
    pub rules_bound: usize,
    /// Hard-rule violations of the tour roster, checked again on the result.
    pub tour_violations: usize,
}

/// The longest requirement `wfm roster` takes at once, in days (README, "Limits"): 53 weeks,
/// a planning year. Longer horizons are rostered a year at a time.
pub const MAX_ROSTER_DAYS: i64 = 371;

/// The most agents one interval of a requirement may need for `wfm roster` (README, "Limits"):
/// tours are counted by shape, but each hire's shifts are still listed one by one.
pub const MAX_ROSTER_AGENTS_PER_INTERVAL: u32 = 20_000;

/// Whether `wfm roster` takes `series` (read from `path`, or scaled by `--volume-scale` when
/// `scale` is given): a horizon of at most [`MAX_ROSTER_DAYS`] and at most
/// [`MAX_ROSTER_AGENTS_PER_INTERVAL`] agents in any interval. Checked before any work.
pub fn check_roster_size(
    requirements: &Requirements,
    path: &std::path::Path,
    scale: Option<f64>,
) -> Result<()> {
    use crate::time::{day_of_minute, naive_from_minutes, DayRange};
    let days = requirements
        .regions
        .iter()
        .filter_map(|s| {
            Some(DayRange::new(
                day_of_minute(*s.minutes.first()?),
                day_of_minute(*s.minutes.last()?),
            ))
        })
        .collect::<DayRange>();
    if days.len() > MAX_ROSTER_DAYS {
        return Err(WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "the requirement spans {} days ({} to {}); wfm roster takes at most {MAX_ROSTER_DAYS} days (53 weeks) at once: roster it a year or less at a time",
                days.len(),
                crate::time::date_from_day(days.first),
                crate::time::date_from_day(days.last)
            ),
        });
    }
    for s in &requirements.regions {
        let Some((t, most)) = s
            .staffing
            .iter()
            .map(|s| s.agents_required)
            .enumerate()
            .max_by_key(|&(t, r)| (r, std::cmp::Reverse(t)))
        else {
            continue;
        };
        if most > MAX_ROSTER_AGENTS_PER_INTERVAL {
            let at = naive_from_minutes(s.minutes[t]).format("%Y-%m-%d %H:%M");
            let what = format!(
                "{most} agents required in region \"{}\" at {at}; wfm roster takes at most {MAX_ROSTER_AGENTS_PER_INTERVAL} in one interval",
                s.region
            );
            return Err(match scale {
                Some(k) => WfmError::setting(
                    "volume_scale",
                    crate::limits::short_number(k),
                    format!("the scaled requirement has {what}"),
                ),
                None => WfmError::Invalid {
                    path: path.to_path_buf(),
                    message: format!("column \"agents_required\": {what} (split the queue, or roster it with wfm schedule)"),
                },
            });
        }
    }
    Ok(())
}

/// The requirement of `series` at `scale` × its contacts: re-staffed with `targets` (the same
/// as `wfm staff` used), never below the file's own requirement when scaled up. `scale` 1 is
/// the file as it is.
pub fn scaled(
    series: &RegionRequirements,
    interval_minutes: u32,
    scale: f64,
    targets: &Targets,
) -> Result<RegionRequirements> {
    if scale == 1.0 {
        return Ok(series.clone());
    }
    if !series.has_load() {
        return Err(WfmError::setting(
            "volume_scale",
            scale.to_string(),
            "a requirements file with contacts and aht_seconds in every row (as wfm staff writes it)",
        ));
    }
    let aht = &series.aht_seconds;
    let mut out = series.clone();
    let contacts: Vec<f64> = series.contacts.iter().map(|c| c * scale).collect();
    let interval_seconds = interval_minutes as f64 * 60.0;
    // The scaled load is checked against the staffing limits here, naming the flag that made
    // it: the staffing's own message would name --contacts, which nobody gave.
    // `over`: how many times the limit the scaled peak is, so scale / over stays within it.
    let too_much = |what: String, limit: String, over: f64| {
        WfmError::setting(
            "volume_scale",
            crate::limits::short_number(scale),
            format!(
                "{what} in region \"{}\", above the limit of {limit}; expected a factor of at most {}",
                series.region,
                crate::limits::short_number(scale / over)
            ),
        )
    };
    let (mut peak_contacts, mut peak_erlangs) = (0.0f64, 0.0f64);
    for (t, &c) in contacts.iter().enumerate() {
        peak_contacts = peak_contacts.max(c);
        peak_erlangs = peak_erlangs.max(c * aht[t] / interval_seconds);
    }
    if peak_contacts > MAX_CONTACTS_PER_INTERVAL {
        return Err(too_much(
            format!(
                "{} contacts in one interval",
                crate::limits::short_number(peak_contacts.round())
            ),
            crate::limits::short_number(MAX_CONTACTS_PER_INTERVAL),
            peak_contacts / MAX_CONTACTS_PER_INTERVAL,
        ));
    }
    if peak_erlangs > MAX_ERLANGS {
        return Err(too_much(
            format!(
                "an offered load of {} Erlangs",
                crate::limits::short_number(peak_erlangs.round())
            ),
            format!("{} Erlangs", crate::limits::short_number(MAX_ERLANGS)),
            peak_erlangs / MAX_ERLANGS,
        ));
    }
    for (t, staffed) in out.staffing.iter_mut().enumerate() {
        let load = Load {
            contacts: contacts[t],
            interval_seconds,
            aht_seconds: aht[t],
        };
        let staffing = required(&load, targets).map_err(|error| match error.key() {
            Some("contacts") => WfmError::setting(
                "volume_scale",
                crate::limits::short_number(scale),
                format!("the scaled contacts cannot be staffed: {error}"),
            ),
            _ => WfmError::from(error),
        })?;
        let agents_required = if scale > 1.0 {
            staffing.agents_required.max(staffed.agents_required)
        } else {
            staffing.agents_required
        };
        *staffed = Staffing {
            agents_required,
            ..staffing
        };
    }
    out.contacts = contacts;
    Ok(out)
}

/// Figures of a tour plan on its requirements.
pub fn tour_figures(plan: &TourPlan, series: &Requirements, targets: &Targets) -> RosterFigures {
    let mut figures = RosterFigures {
        headcount: plan.headcount(),
        paid_hours: plan
            .roster
            .assignments
            .iter()
            .map(|a| a.paid_hours)
            .chain(plan.roster.unassigned.iter().map(|u| u.paid_hours))
            .sum(),
        over_staffed_agent_hours: 0.0,
        short_intervals: 0,
        service_level: None,
    };
    let scheduled: Vec<Vec<u32>> = plan
        .regions
        .iter()
        .map(|r| r.tours.scheduled.clone())
        .collect();
    add_coverage(&mut figures, series, &scheduled, targets);
    figures
}

/// Over- and under-staffing and the service level of `scheduled` (per region) on `series`.
fn add_coverage(
    figures: &mut RosterFigures,
    series: &Requirements,
    scheduled: &[Vec<u32>],
    targets: &Targets,
) {
    let (mut weighted, mut volume, mut met, mut open) = (0.0, 0.0, 0.0, 0.0);
    let mut any_level = false;
    let interval_minutes = series.interval_minutes;
    for (s, scheduled) in series.regions.iter().zip(scheduled) {
        let c = coverage_figures(&s.agents_required(), scheduled, interval_minutes);
        figures.over_staffed_agent_hours += c.over_staffed_agent_hours;
        figures.short_intervals += c.under_staffed_intervals;
        if let Some((level, share)) = plan_service_level(s, interval_minutes, scheduled, targets) {
            let contacts: f64 = s.contacts.iter().sum();
            let intervals = s.contacts.iter().filter(|&&x| x > 0.0).count() as f64;
            weighted += level * contacts;
            volume += contacts;
            met += share * intervals;
            open += intervals;
            any_level = true;
        }
    }
    if any_level && volume > 0.0 {
        figures.service_level = Some((weighted / volume, met / open.max(1.0)));
    }
}

/// Rosters `series` at `scale` both ways: tours for `agents` under `rules`, and the 2/2 pattern
/// with its day shift from `day_start_minute`. The tour plan is returned with the figures.
#[allow(clippy::too_many_arguments)]
pub fn compare(
    requirements: &Requirements,
    agents: &[Agent],
    templates: &ShiftTemplates,
    rules: &WorkRules,
    targets: &Targets,
    day_start_minute: u32,
    scale: f64,
) -> Result<(TourPlan, Comparison)> {
    let interval_minutes = requirements.interval_minutes;
    let series = Requirements {
        interval_minutes,
        path: requirements.path.clone(),
        regions: requirements
            .regions
            .iter()
            .map(|s| scaled(s, interval_minutes, scale, targets))
            .collect::<Result<_>>()?,
    };
    if scale != 1.0 {
        check_roster_size(&series, std::path::Path::new(""), Some(scale))?;
    }
    let requirements: Vec<Requirement> = series
        .regions
        .iter()
        .map(|s| Requirement::of(s, interval_minutes))
        .collect::<Result<_>>()?;
    let plan = roster_requirements(&requirements, agents, templates, rules);
    let tours = tour_figures(&plan, &series, targets);
    let mut baseline = RosterFigures {
        headcount: 0,
        paid_hours: 0.0,
        over_staffed_agent_hours: 0.0,
        short_intervals: 0,
        service_level: None,
    };
    let mut scheduled = Vec::new();
    let mut outside = 0;
    for req in &requirements {
        let roster = two_by_two(req, day_start_minute);
        baseline.headcount += roster.crews.iter().sum::<u32>() as usize;
        baseline.paid_hours += roster
            .shifts
            .iter()
            .map(|s| s.agents as f64 * s.paid_minutes as f64 / 60.0)
            .sum::<f64>();
        outside += weeks_outside_hours(&roster.shifts, &roster.crews, rules, day_start_minute);
        scheduled.push(roster.scheduled);
    }
    add_coverage(&mut baseline, &series, &scheduled, targets);
    let (tour_bound, rules_bound) = (plan.tour_bound(), plan.lower_bound());
    let tour_violations = super::verify::violations(&plan.roster, agents, rules, plan.days).len()
        + super::verify::shift_size_violations(
            &plan.roster,
            templates.min_agents_per_shift,
            templates.max_agents_per_shift,
        )
        .len();
    Ok((
        plan,
        Comparison {
            volume_scale: scale,
            tours,
            two_by_two: baseline,
            two_by_two_weeks_outside_hours: outside,
            tour_bound,
            rules_bound,
            tour_violations,
        },
    ))
}

/// Agent-weeks (whole Monday–Sunday weeks of the horizon) in which a 2/2 crew member works
/// outside the default contract ± tolerance: 2 on 2 off × 12 h is 36 or 48 h a week.
fn weeks_outside_hours(
    shifts: &[crate::schedule::ShiftCount],
    crews: &[u32; 4],
    rules: &WorkRules,
    day_start_minute: u32,
) -> usize {
    use crate::time::{day_of_minute, weekday_of_minute, MINUTES_PER_DAY};
    let Some(first) = shifts.first() else {
        return 0;
    };
    let first_day = day_of_minute(first.start_minute);
    let last_day = day_of_minute(shifts[shifts.len() - 1].start_minute);
    let monday = |d: i64| d - weekday_of_minute(d * MINUTES_PER_DAY) as i64;
    let (low, high) = (
        rules.contract_hours_per_week * (1.0 - rules.hours_tolerance),
        rules.contract_hours_per_week * (1.0 + rules.hours_tolerance),
    );
    let mut outside = 0;
    let mut week = monday(first_day);
    if week < first_day {
        week += 7;
    }
    while week + 6 <= last_day {
        for (crew, &members) in crews.iter().enumerate() {
            let hours: f64 = shifts
                .iter()
                .filter(|s| {
                    let day = day_of_minute(s.start_minute);
                    (week..week + 7).contains(&day)
                        && crate::schedule::baseline::crew_of(s.start_minute, day_start_minute).0
                            == crew
                })
                .map(|s| s.paid_minutes as f64 / 60.0)
                .sum();
            if hours < low - 1e-9 || hours > high + 1e-9 {
                outside += members as usize;
            }
        }
        week += 7;
    }
    outside
}
