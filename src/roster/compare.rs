//! The 2/2 comparison in people: the same requirement rostered with weekly tours and with the
//! 2-on/2-off 12-hour pattern of four crews, side by side, at the volume given and scaled.

use serde::Serialize;

use super::agents::Agent;
use super::rules::WorkRules;
use super::tours::{roster_requirements, TourPlan};
use crate::data::RequirementSeries;
use crate::error::{Result, WfmError};
use crate::schedule::stage::plan_service_level;
use crate::schedule::{coverage_figures, two_by_two, Requirement, ShiftTemplates};
use crate::staffing::{required, Load, Targets};

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

/// The requirement of `series` at `scale` × its contacts: re-staffed with `targets` (the same
/// as `wfm staff` used), never below the file's own requirement when scaled up. `scale` 1 is
/// the file as it is.
pub fn scaled(
    series: &RequirementSeries,
    scale: f64,
    targets: &Targets,
) -> Result<RequirementSeries> {
    if scale == 1.0 {
        return Ok(series.clone());
    }
    let (Some(contacts), Some(aht)) = (&series.contacts, &series.aht_seconds) else {
        return Err(WfmError::option(
            "--volume-scale",
            scale.to_string(),
            "a requirements file with contacts and aht_seconds columns (as wfm staff writes it)",
        ));
    };
    let mut out = series.clone();
    let contacts: Vec<f64> = contacts.iter().map(|c| c * scale).collect();
    for (t, agents) in out.agents_required.iter_mut().enumerate() {
        let load = Load {
            contacts: contacts[t],
            interval_seconds: series.interval_minutes as f64 * 60.0,
            aht_seconds: aht[t],
        };
        let staffing = required(&load, targets).map_err(WfmError::staffing)?;
        *agents = if scale > 1.0 {
            staffing.agents_required.max(*agents)
        } else {
            staffing.agents_required
        };
    }
    out.contacts = Some(contacts);
    Ok(out)
}

/// Figures of a tour plan on its requirements.
pub fn tour_figures(
    plan: &TourPlan,
    series: &[RequirementSeries],
    targets: &Targets,
) -> RosterFigures {
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
    series: &[RequirementSeries],
    scheduled: &[Vec<u32>],
    targets: &Targets,
) {
    let (mut weighted, mut volume, mut met, mut open) = (0.0, 0.0, 0.0, 0.0);
    let mut any_level = false;
    for (s, scheduled) in series.iter().zip(scheduled) {
        let c = coverage_figures(&s.agents_required, scheduled, s.interval_minutes);
        figures.over_staffed_agent_hours += c.over_staffed_agent_hours;
        figures.short_intervals += c.under_staffed_intervals;
        if let Some((level, share)) = plan_service_level(s, scheduled, targets) {
            let contacts: f64 = s.contacts.as_ref().map_or(0.0, |c| c.iter().sum());
            let intervals =
                s.contacts
                    .as_ref()
                    .map_or(0, |c| c.iter().filter(|&&x| x > 0.0).count()) as f64;
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
    series: &[RequirementSeries],
    agents: &[Agent],
    templates: &ShiftTemplates,
    rules: &WorkRules,
    targets: &Targets,
    day_start_minute: u32,
    scale: f64,
) -> Result<(TourPlan, Comparison)> {
    let series: Vec<RequirementSeries> = series
        .iter()
        .map(|s| scaled(s, scale, targets))
        .collect::<Result<_>>()?;
    let requirements: Vec<Requirement> = series.iter().map(Requirement::from).collect();
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
    let tour_violations = super::verify::violations(&plan.roster, agents, rules, plan.days).len();
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
