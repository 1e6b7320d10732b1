//! Rostering straight from a requirement with weekly tours, so that the shifts planned are
//! shifts people can work.
//!
//! A tour is one agent's month: a days-off pattern kept every week (two consecutive weekdays
//! by default, so no stretch is longer than five days and every calendar week has two days
//! off) and, for each stretch of working days between days off, one shift of the day worked
//! every day of the stretch (stable starts; rest = 24 h − shift length ≥ 11 h; a new start
//! only after days off). Weekly hours are the days worked a week × the shift's paid hours, so a
//! tour is only built of shift lengths that meet the agent's contract within the tolerance.
//!
//! The problem is the tour-scheduling model of Bailey (1985) and Jarrah, Bard & deSilva (1994),
//! solved as follows:
//! 1. a greedy cover (the tour that fills most, until nothing coverable is short);
//! 2. the LP relaxation in its compact form (`compact`): per shape (pattern × contract) the
//!    agents, and per stretch how many of them work each shift, solved by interior point; its
//!    optimum is the tour bound, and its point is split into weighted tours. Should the
//!    interior point fail, column generation (`search`) builds the LP tour by tour instead;
//! 3. whole tours: the compact LP's point rounded to the nearest, repaired and improved by
//!    local search (a stretch moved to the shift that fills most, a tour dropped when the
//!    others can take its work over). Only while the team at its contracts still needs hires
//!    with those (step 4) are slower roundings tried: the simplex over the LP's tours and the
//!    greedy ones, its vertex rounded to the nearest; then diving and the vertex rounded down.
//!    The fewest hires win. The simplex and the dive take most of a large queue's time, for a
//!    few tours fewer that change nobody's month when the whole team works anyway. A long
//!    horizon's weeks round the simplex's vertex. Within a shape starts are handed out in
//!    order;
//! 4. tours matched to named agents (`matching`: contract, days off, start and end limits,
//!    preferences); a tour no agent can take is a hire, reported with its days and hours;
//!    with agents of several queues, queues are rostered in order, and the shifts an earlier
//!    queue can spare move to a later one before it is rostered (`requeue`);
//! 5. nights and weekends shared out (`roster::fairness`) when the rules ask for it.
//!
//! A second, looser bound (`bound`) is the LP relaxation of a model where agents may work any
//! day and any template shift, with at most five days in any six, at most 7 − days off days in
//! a calendar week, one shift a day and the weekly hours ceiling. Every roster under the rules
//! is a solution of it, so no roster has fewer agents, tours or not.

mod bound;
mod compact;
mod contracts;
mod matching;
mod model;
mod requeue;
mod search;
mod shapes;
mod solve;

use bound::lower_bound;
use matching::{match_agents, Chain, Matched, Seam};
use search::{align_starts, column_generation, greedy_cover, local_search, CoverState};

pub use super::ONE_PIECE_DAYS;
pub use model::{day_shifts, DayShift, Tour, TourRoster};
pub use solve::{roster_region, to_roster};
// The jobs share their helpers (each file imports `super::*`).
use {model::*, shapes::*};

use super::agents::Agent;
use super::assignments::{Assignment, Roster, Unassigned};
use super::rules::WorkRules;
use crate::schedule::{Requirement, ShiftTemplates};
use crate::time::{self, MINUTES_PER_DAY};

/// One region's tours, with the requirement and the agents they were matched against.
#[derive(Debug, Clone)]
pub struct RegionTours {
    pub requirement: Requirement,
    pub tours: TourRoster,
    /// Indices into the agents file of the agents this region could use.
    pub agents: Vec<usize>,
    pub shifts: Vec<DayShift>,
}

/// Tour rosters of every region and the roster of named agents they make.
#[derive(Debug, Clone)]
pub struct TourPlan {
    pub regions: Vec<RegionTours>,
    pub roster: Roster,
    /// First and last day number the requirements touch.
    pub days: time::DayRange,
    /// Shifts an agent of several queues works in a later queue than their tour's (`requeue`).
    pub shifts_requeued: usize,
}

impl TourPlan {
    /// Sum of the regions' lower bounds: no roster that keeps each agent in one region has
    /// fewer agents.
    pub fn lower_bound(&self) -> usize {
        self.regions.iter().map(|r| r.tours.lower_bound).sum()
    }

    /// Sum of the regions' tour bounds: no roster of weekly tours has fewer agents.
    pub fn tour_bound(&self) -> usize {
        self.regions.iter().map(|r| r.tours.tour_bound).sum()
    }

    /// People of every region: the agents who work and the hires.
    pub fn headcount(&self) -> usize {
        self.regions.iter().map(|r| r.tours.headcount).sum()
    }

    /// Intervals no tour can cover, over every region.
    pub fn uncovered(&self) -> usize {
        self.regions.iter().map(|r| r.tours.uncovered.len()).sum()
    }

    /// Tours no agent of the file can work.
    pub fn hires(&self) -> usize {
        self.regions.iter().map(|r| r.tours.hires).sum()
    }

    /// Per queue, the agent-hours the fewest tours (hires included) would have put above the
    /// requirement before every agent's contract was honoured.
    pub fn over_hours_of_fewest_tours(&self) -> Vec<(&str, f64)> {
        (self.regions.iter())
            .map(|r| {
                let hours = r.requirement.interval_minutes as f64 / 60.0;
                let over = r.tours.over_before_contracts as f64 * hours;
                (r.requirement.region.as_str(), over)
            })
            .collect()
    }

    /// Per queue: the agent-hours rostered above the requirement (hires included) and the
    /// agent-hours short, over the horizon.
    pub fn staffing_by_queue(&self) -> Vec<(&str, crate::schedule::CoverageFigures)> {
        self.regions
            .iter()
            .map(|r| {
                let req = &r.requirement;
                let figures = crate::schedule::coverage_figures(
                    &req.required,
                    &r.tours.scheduled,
                    req.interval_minutes,
                );
                (req.region.as_str(), figures)
            })
            .collect()
    }

    /// Writes `path` as `wfm schedule`'s `coverage.csv`: per queue and interval the agents
    /// required, rostered (hires included) and the difference, whose positive part is the
    /// over-staffing the team's contracts cost.
    pub fn write_coverage(&self, path: &std::path::Path) -> crate::error::Result<()> {
        crate::schedule::plans::write_coverage_file(
            path,
            self.regions
                .iter()
                .map(|r| (&r.requirement, r.tours.scheduled.as_slice())),
        )
    }
}

/// Rosters every region of `requirements` with weekly tours. An agent who may work in one
/// region only (their `region`, or their one skill) works only there; an agent who may work in
/// several (skills, or no region at all) is offered to those regions in order, and works the
/// first that needs them.
pub fn roster_requirements(
    requirements: &[Requirement],
    agents: &[Agent],
    templates: &ShiftTemplates,
    rules: &WorkRules,
) -> TourPlan {
    let mut used = vec![false; agents.len()];
    let mut plan = TourPlan {
        regions: Vec::new(),
        roster: Roster::default(),
        days: requirements
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| {
                time::DayRange::new(
                    time::day_of_minute(r.start_minute),
                    time::day_of_minute(r.minute(r.len() - 1)),
                )
            })
            .collect(),
        shifts_requeued: 0,
    };
    // Agents bound to one region each: the regions are independent and run in parallel.
    // Otherwise an unbound agent goes to the first region that needs them, so in order.
    let every_bound = agents.iter().all(|a| a.only_region().is_some());
    let solve = |k: usize, pool: Vec<usize>, req: &Requirement| {
        let members: Vec<&Agent> = pool.iter().map(|&i| &agents[i]).collect();
        // An agent's contract is honoured in the last region they may work in: an earlier one
        // takes them only where it needs them.
        let last_region: Vec<bool> = (pool.iter())
            .map(|&i| {
                !requirements[k + 1..]
                    .iter()
                    .any(|r| agents[i].may_work_in(&r.region))
            })
            .collect();
        let shifts = day_shifts(templates, req.interval_minutes, rules);
        let tours = roster_region(
            req,
            &members,
            &last_region,
            &shifts,
            rules,
            templates.max_agents_per_shift,
        );
        RegionTours {
            requirement: req.clone(),
            tours,
            agents: pool,
            shifts,
        }
    };
    let regions: Vec<RegionTours> = if every_bound {
        use rayon::prelude::*;
        requirements
            .par_iter()
            .enumerate()
            .map(|(k, req)| {
                let pool = (0..agents.len())
                    .filter(|&i| agents[i].only_region() == Some(req.region.as_str()))
                    .collect();
                solve(k, pool, req)
            })
            .collect()
    } else {
        let mut out: Vec<RegionTours> = Vec::new();
        for (k, req) in requirements.iter().enumerate() {
            // An agent who may work only here is always offered; one who may work elsewhere
            // too, only while no earlier region has taken them.
            let pool: Vec<usize> = (0..agents.len())
                .filter(|&i| {
                    agents[i].may_work_in(&req.region)
                        && (agents[i].only_region().is_some() || !used[i])
                })
                .collect();
            // Shifts the queues before this one do not need, of agents who may work here,
            // work here instead (`requeue`): the queue is rostered for what they leave.
            let lent = requeue::lend_spare_shifts(
                &mut out,
                &mut plan.roster,
                agents,
                req,
                &mut plan.shifts_requeued,
            );
            let left = Requirement {
                required: (req.required.iter().zip(&lent))
                    .map(|(&r, &l)| r.saturating_sub(l))
                    .collect(),
                ..req.clone()
            };
            let mut region = solve(k, pool, &left);
            region.requirement = req.clone();
            for (s, l) in region.tours.scheduled.iter_mut().zip(&lent) {
                *s += l;
            }
            for &a in region.tours.agent_of.iter().flatten() {
                used[region.agents[a]] = true;
            }
            add_to_roster(&region, &mut plan.roster);
            out.push(region);
        }
        out
    };
    if every_bound {
        for region in &regions {
            add_to_roster(region, &mut plan.roster);
        }
    }
    plan.regions = regions;
    plan.roster
        .assignments
        .sort_by_key(|a| (a.agent, a.start_minute));
    plan.roster.unassigned.sort_by_key(|u| u.start_minute);
    // Moving a day worked changes how many agents work a shift that day, so not where the
    // templates limit them.
    let per_shift_limits =
        templates.max_agents_per_shift.is_some() || templates.min_agents_per_shift > 0;
    let coverage: Vec<super::fairness::QueueCoverage> = (plan.regions.iter())
        .filter(|_| !per_shift_limits)
        .map(|r| (r.requirement.clone(), r.tours.scheduled.clone()))
        .collect();
    // Sharing weekends out may move days worked where the requirement leaves room: the
    // queues' coverage follows (it counts hires and lent shifts too, so by difference).
    let working = |roster: &Roster| -> Vec<Vec<i64>> {
        (coverage.iter())
            .map(|(r, _)| super::fairness::agents_working(r, &roster.assignments))
            .collect()
    };
    let before = working(&plan.roster);
    super::fairness::finish(&mut plan.roster, agents, rules, plan.days, &coverage);
    for ((region, before), after) in plan
        .regions
        .iter_mut()
        .zip(before)
        .zip(working(&plan.roster))
    {
        for ((s, b), a) in region.tours.scheduled.iter_mut().zip(before).zip(after) {
            *s = (i64::from(*s) + a - b).max(0) as u32;
        }
    }
    plan
}

/// `region`'s tours as shifts of its agents (and of hires) added to `roster`.
fn add_to_roster(region: &RegionTours, roster: &mut Roster) {
    to_roster(
        &region.requirement.region,
        &region.tours,
        &region.agents,
        &region.shifts,
        &region.requirement,
        roster,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::verify::violations;

    /// No hard rule is broken over the two weeks from Monday 2024-01-01.
    fn assert_two_weeks_keep_the_rules(plan: &TourPlan, staff: &[Agent], rules: &WorkRules) {
        let two_weeks = time::DayRange::new(19_723, 19_723 + 13);
        let broken = violations(&plan.roster, staff, rules, two_weeks);
        assert!(broken.is_empty(), "{broken:?}");
    }
    use proptest::prelude::*;

    /// Monday 2024-01-01 00:00.
    const MONDAY: i64 = 19_723 * MINUTES_PER_DAY;

    fn agent(id: usize, contract: f64, days_off: u8) -> Agent {
        Agent {
            contract_hours_per_week: Some(contract),
            days_off,
            ..Agent::new(format!("a{id}"), format!("Agent {id}"))
        }
    }

    /// Hourly requirement of `days` days from `first_day` after MONDAY: `per_hour(day, hour)`.
    fn requirement(
        first_day: i64,
        days: usize,
        per_hour: impl Fn(usize, usize) -> u32,
    ) -> Requirement {
        Requirement {
            region: "north".into(),
            start_minute: MONDAY + first_day * MINUTES_PER_DAY,
            interval_minutes: 60,
            required: (0..days * 24).map(|t| per_hour(t / 24, t % 24)).collect(),
        }
    }

    fn eight_hour_days() -> ShiftTemplates {
        ShiftTemplates {
            lengths_hours: vec![8.0],
            start_step_minutes: Some(60),
            ..Default::default()
        }
    }

    /// Agents working each interval of `req`, from the roster's shifts (breaks excluded).
    fn coverage(roster: &Roster, req: &Requirement) -> Vec<u32> {
        let mut out = vec![0; req.len()];
        for a in &roster.assignments {
            for (t, slot) in out.iter_mut().enumerate() {
                let m = req.minute(t);
                let on_break = a.break_minutes.is_some_and(|(b, e)| (b..e).contains(&m));
                if (a.start_minute..a.end_minute).contains(&m) && !on_break {
                    *slot += 1;
                }
            }
        }
        out
    }

    /// Tours of 5 × 8 h (two days off, no 4 × 10 h weeks), with no weekly minimum: the fewest
    /// agents of the file work, the others stay idle (what these tests measure).
    fn five_day_weeks(req: &Requirement, staff: &[Agent]) -> TourPlan {
        let rules = WorkRules {
            max_days_off_per_week: 2,
            min_hours_per_week: Some(0.0),
            ..Default::default()
        };
        roster_requirements(std::slice::from_ref(req), staff, &eight_hour_days(), &rules)
    }

    #[test]
    fn the_coverage_reported_is_the_rosters_after_weekends_are_shared() {
        // Three agents 08:00–16:00 on weekdays and two at weekends (19 agent-days a week), and
        // four full-timers whose contracts are paid (20): the tours leave one agent every
        // weekend and one none, which no swap evens out, so days off move where the
        // requirement leaves room, and the coverage the reports use must follow them.
        let req = requirement(0, 28, |d, h| {
            u32::from((8..16).contains(&h)) * if d % 7 >= 5 { 2 } else { 3 }
        });
        // Evening them out leaves single days off, so the rules must allow them.
        let rules = WorkRules {
            consecutive_days_off: false,
            ..WorkRules::default()
        };
        let staff: Vec<Agent> = (0..4).map(|i| agent(i, 40.0, 0)).collect();
        let plan = roster_requirements(
            std::slice::from_ref(&req),
            &staff,
            &eight_hour_days(),
            &rules,
        );
        assert_eq!(plan.hires(), 0);
        assert_eq!(
            plan.regions[0].tours.scheduled,
            coverage(&plan.roster, &req)
        );
        let spread = crate::roster::fairness::spreads(
            &plan.roster,
            &staff,
            &rules,
            plan.roster.before_sharing.as_ref().unwrap(),
        );
        assert_eq!(spread[0].weekend_gap_before(), 8);
        assert!(spread[0].weekend_gap_after() <= 2, "{spread:?}");
        assert_two_weeks_keep_the_rules(&plan, &staff, &rules);
    }

    #[test]
    fn one_agent_a_day_every_day_takes_two_people() {
        // 08:00–16:00 every day for four weeks: 7 agent-days a week at 5 a person → 2 (1.4
        // rounded up), e.g. one off Sat–Sun and one off Mon–Tue.
        let req = requirement(0, 28, |_, h| u32::from((8..16).contains(&h)));
        let staff: Vec<Agent> = (0..5).map(|i| agent(i, 40.0, 0)).collect();
        let plan = five_day_weeks(&req, &staff);
        assert_eq!(plan.headcount(), 2);
        assert_eq!(plan.lower_bound(), 2);
        assert_eq!(plan.tour_bound(), 2);
        assert_eq!(plan.hires(), 0);
        assert!(coverage(&plan.roster, &req)
            .iter()
            .zip(&req.required)
            .all(|(s, r)| s >= r));
    }

    #[test]
    fn three_a_day_takes_five_people_at_five_days_a_week() {
        // 21 agent-days a week / 5 = 4.2 → 5 agents, whichever days they have off.
        let req = requirement(0, 14, |_, h| if (9..17).contains(&h) { 3 } else { 0 });
        let staff: Vec<Agent> = (0..8).map(|i| agent(i, 40.0, 0)).collect();
        let plan = five_day_weeks(&req, &staff);
        assert_eq!((plan.lower_bound(), plan.headcount()), (5, 5));
        let rules = WorkRules::default();
        assert_two_weeks_keep_the_rules(&plan, &staff, &rules);
    }

    #[test]
    fn agents_too_few_are_hires_with_their_days_and_hours() {
        let req = requirement(0, 14, |_, h| if (9..17).contains(&h) { 3 } else { 0 });
        let staff: Vec<Agent> = (0..3).map(|i| agent(i, 40.0, 0)).collect();
        let plan = roster_requirements(&[req], &staff, &eight_hour_days(), &WorkRules::default());
        assert_eq!(plan.hires(), plan.headcount() - 3);
        assert!(plan.hires() >= 2);
        assert!(!plan.roster.unassigned.is_empty());
    }

    #[test]
    fn a_requested_day_off_is_kept_and_a_part_timer_gets_short_shifts() {
        let req = requirement(0, 14, |_, h| if (8..20).contains(&h) { 2 } else { 0 });
        let templates = ShiftTemplates {
            lengths_hours: vec![4.0, 8.0],
            start_step_minutes: Some(60),
            ..Default::default()
        };
        let mut staff: Vec<Agent> = (0..6).map(|i| agent(i, 40.0, 0b110_0000)).collect();
        staff.extend((6..12).map(|i| agent(i, 20.0, 0)));
        let rules = WorkRules::default();
        let plan = roster_requirements(std::slice::from_ref(&req), &staff, &templates, &rules);
        assert_two_weeks_keep_the_rules(&plan, &staff, &rules);
        for a in &plan.roster.assignments {
            let hours = (a.end_minute - a.start_minute) / 60;
            assert_eq!(hours, if a.agent >= 6 { 4 } else { 8 }, "{a:?}");
        }
    }

    #[test]
    fn intervals_no_tour_can_work_are_reported_not_hidden() {
        // Shifts may only start 06:00 or 07:00 and last 8 h: from 15:00 nothing can cover.
        let req = requirement(0, 14, |_, h| u32::from((8..21).contains(&h)));
        let templates = ShiftTemplates {
            lengths_hours: vec![8.0],
            start_step_minutes: Some(60),
            start_windows: vec![["06:00".into(), "08:00".into()]],
            ..Default::default()
        };
        let staff: Vec<Agent> = (0..10).map(|i| agent(i, 40.0, 0)).collect();
        let plan = roster_requirements(
            std::slice::from_ref(&req),
            &staff,
            &templates,
            &WorkRules::default(),
        );
        assert_eq!(
            plan.uncovered(),
            14 * 6,
            "15:00–21:00 every day is past every shift"
        );
    }

    #[test]
    fn the_cap_on_shift_types_is_kept() {
        let req = requirement(0, 14, |_, h| match h {
            7..=9 => 1,
            10..=15 => 3,
            16..=20 => 2,
            _ => 0,
        });
        let staff: Vec<Agent> = (0..20).map(|i| agent(i, 40.0, 0)).collect();
        let rules = WorkRules {
            max_shift_types: Some(2),
            min_hours_per_week: Some(0.0),
            ..Default::default()
        };
        let plan = roster_requirements(
            std::slice::from_ref(&req),
            &staff,
            &ShiftTemplates::default(),
            &rules,
        );
        let mut kinds: Vec<(i64, i64)> = plan
            .roster
            .assignments
            .iter()
            .map(|a| {
                (
                    a.start_minute.rem_euclid(MINUTES_PER_DAY),
                    a.end_minute - a.start_minute,
                )
            })
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert!(kinds.len() <= 2, "{kinds:?}");
        assert_eq!(plan.uncovered(), 0);
        assert_eq!(plan.hires(), 0);
    }

    #[test]
    fn a_weighted_preferred_weekend_off_gets_the_tour_with_the_weekend_off() {
        let req = requirement(0, 14, |_, h| u32::from((8..16).contains(&h)));
        let horizon = Horizon::new(&req);
        let shifts = vec![DayShift {
            start_minute_of_day: 8 * 60,
            length_minutes: 8 * 60,
            break_at: None,
            paid_hours: 8.0,
        }];
        let tour = |pattern: DaysOff| Tour {
            pattern,
            contract_hours: 40.0,
            stretches: stretches(&horizon, pattern)
                .into_iter()
                .map(|days| (days, 0))
                .collect(),
        };
        // Off Tue+Wed first, so that without the preference agent 0 would take it.
        let tours = [tour(0b000_0110), tour(0b110_0000)];
        let mut staff: Vec<Agent> = (0..2).map(|i| agent(i, 40.0, 0)).collect();
        staff[1].preferred_days_off = 0b110_0000;
        staff[1].preference_weight = 5.0;
        let members: Vec<&Agent> = staff.iter().collect();
        let rules = WorkRules::default();
        let contract_of = |a: &Agent| a.contract_hours_per_week.unwrap_or(40.0);
        let agent_of = matching::match_agents(
            &horizon,
            &tours,
            &shifts,
            &members,
            &contract_of,
            &rules,
            None,
        )
        .agent_of;
        assert_eq!(agent_of, [Some(0), Some(1)]);
        staff[1].preferred_days_off = 0b000_0110;
        let members: Vec<&Agent> = staff.iter().collect();
        let agent_of = matching::match_agents(
            &horizon,
            &tours,
            &shifts,
            &members,
            &contract_of,
            &rules,
            None,
        )
        .agent_of;
        assert_eq!(
            agent_of,
            [Some(1), Some(0)],
            "the preference moves with the agent"
        );
    }

    #[test]
    fn a_skill_lets_an_agent_work_another_region_and_no_other() {
        // South needs one agent 08:00–16:00 every day; north needs nobody. Two north agents who
        // may also work south take it (two people for seven days a week); without the skill
        // they may not, and two hires are needed.
        let south = Requirement {
            region: "south".into(),
            ..requirement(0, 14, |_, h| u32::from((8..16).contains(&h)))
        };
        let north = requirement(0, 14, |_, _| 0);
        let mut staff: Vec<Agent> = (0..2)
            .map(|i| Agent {
                region: Some("north".into()),
                skills: vec!["south".into()],
                ..agent(i, 40.0, 0)
            })
            .collect();
        let rules = WorkRules {
            max_days_off_per_week: 2,
            ..Default::default()
        };
        let both = [north, south];
        let plan = roster_requirements(&both, &staff, &eight_hour_days(), &rules);
        assert_eq!((plan.headcount(), plan.hires()), (2, 0));
        assert!(plan.roster.assignments.iter().all(|a| a.region == "south"));
        assert_two_weeks_keep_the_rules(&plan, &staff, &rules);
        for a in &mut staff {
            a.skills.clear();
        }
        let plan = roster_requirements(&both, &staff, &eight_hour_days(), &rules);
        assert_eq!(plan.hires(), 2);
    }

    #[test]
    fn the_compact_lp_and_the_column_generation_agree_on_the_tour_lp() {
        // 08:00–16:00 every day of four weeks: 7 agent-days a week at 5 days a person is 1.4
        // agents, and 09:00–17:00 three a day is 4.2; both ways of solving the LP must say so.
        for (per_day, expected) in [(1, 1.4), (3, 4.2)] {
            let req = requirement(0, 28, |_, h| if (8..16).contains(&h) { per_day } else { 0 });
            let horizon = Horizon::new(&req);
            let rules = WorkRules {
                max_days_off_per_week: 2,
                ..Default::default()
            };
            let shifts = day_shifts(&eight_hour_days(), 60, &rules);
            let staff = [agent(0, 40.0, 0)];
            let members: Vec<&Agent> = staff.iter().collect();
            let (shapes, classes) = tour_shapes(&horizon, &shifts, &rules, &members);
            let mut cover = CoverState::new(&horizon, &shifts);
            let mut seed = Vec::new();
            greedy_cover(&mut cover, &mut seed, &shapes, &classes);
            let (tours, _, compact_bound) =
                compact::relaxation(&cover, &shapes, &classes, &horizon.required).unwrap();
            assert!((compact_bound - expected).abs() < 1e-3, "{compact_bound}");
            assert!(!tours.is_empty());
            let (_, _, generated) = column_generation(&cover, &shapes, &classes, &seed, None, true);
            assert!((generated - expected).abs() < 1e-6, "{generated}");
        }
    }

    #[test]
    fn a_long_horizon_is_solved_a_week_at_a_time_and_keeps_the_rules_across_the_seams() {
        // Six weeks (past ONE_PIECE_DAYS) of two agents 08:00–16:00, one more 10:00–18:00 on
        // weekdays and one every night: each week is solved on its own, and its tours may
        // change their days off and starts from the week before, so the seams matter (off
        // Mon+Tue after working Wed–Sun would be ten days in a row; a night to Monday 06:00
        // then a Monday morning, two hours of rest). The verifier checks the whole horizon.
        let days = 42;
        let req = requirement(0, days, |d, h| {
            u32::from(!(6..22).contains(&h))
                + if (8..16).contains(&h) { 2 } else { 0 }
                + u32::from(d % 7 < 5 && (10..18).contains(&h))
        });
        let staff: Vec<Agent> = (0..16).map(|i| agent(i, 40.0, 0)).collect();
        // No weekly minimum: the agents the weeks need work, so the seams are what is tested.
        let rules = WorkRules {
            min_hours_per_week: Some(0.0),
            ..WorkRules::default()
        };
        let plan = roster_requirements(
            std::slice::from_ref(&req),
            &staff,
            &eight_hour_days(),
            &rules,
        );
        let region = &plan.regions[0].tours;
        assert_eq!(
            region.block_of.iter().max(),
            Some(&5),
            "six calendar weeks, six blocks"
        );
        let broken = violations(
            &plan.roster,
            &staff,
            &rules,
            time::DayRange::new(19_723, 19_723 + days as i64 - 1),
        );
        assert!(broken.is_empty(), "{broken:?}");
        assert_eq!(plan.uncovered(), 0);
        assert_eq!(plan.hires(), 0);
        let scheduled = coverage(&plan.roster, &req);
        for (t, (s, r)) in scheduled.iter().zip(&req.required).enumerate() {
            assert!(s >= r, "interval {t}: {s} < {r}");
        }
        assert!(plan.lower_bound() <= plan.tour_bound());
        assert!(
            plan.tour_bound() <= plan.headcount(),
            "{}",
            plan.headcount()
        );
    }

    #[test]
    fn a_seam_bars_the_tours_that_would_break_rest_or_consecutive_days() {
        // One week, Monday first. The agent worked the five days up to Sunday of the week
        // before, a night ending Monday 02:00.
        let req = requirement(0, 7, |_, h| u32::from((8..16).contains(&h)));
        let horizon = Horizon::new(&req);
        let shifts = vec![DayShift {
            start_minute_of_day: 8 * 60,
            length_minutes: 8 * 60,
            break_at: None,
            paid_hours: 8.0,
        }];
        let tour = |pattern: DaysOff| Tour {
            pattern,
            contract_hours: 40.0,
            stretches: stretches(&horizon, pattern)
                .into_iter()
                .map(|days| (days, 0))
                .collect(),
        };
        // Off Sat+Sun (works Monday to Friday) first: without the seam it would do.
        let tours = [tour(0b110_0000), tour(0b000_0011)];
        let staff = [agent(0, 40.0, 0)];
        let members: Vec<&Agent> = staff.iter().collect();
        let rules = WorkRules::default();
        let contract_of = |a: &Agent| a.contract_hours_per_week.unwrap_or(40.0);
        let seam = Seam {
            last_end_minute: MONDAY - 22 * 60,
            trailing_days: 5,
            pattern: 0b000_0011,
        };
        let chain = |seam: Seam| Chain {
            seams: std::slice::from_ref(&Some(seam)).to_vec().leak(),
            working: &[true],
        };
        let matched = match_agents(
            &horizon,
            &tours,
            &shifts,
            &members,
            &contract_of,
            &rules,
            Some(chain(seam)),
        );
        assert_eq!(matched.agent_of, [None, Some(0)], "5 + 5 days in a row");
        // Rest: a shift ending Monday 02:00 leaves 6 h before 08:00.
        let night = Seam {
            last_end_minute: MONDAY + 2 * 60,
            trailing_days: 0,
            ..seam
        };
        assert!(!matching::seam_allows(
            &night,
            Some((MONDAY + 8 * 60, 5)),
            &rules
        ));
        assert!(matching::seam_allows(
            &night,
            Some((MONDAY + 13 * 60, 5)),
            &rules
        ));
        assert!(!matching::seam_allows(
            &seam,
            Some((MONDAY + 8 * 60, 1)),
            &rules
        ));
        assert!(matching::seam_allows(&seam, None, &rules));
    }

    #[test]
    fn thousands_of_agents_in_one_interval_are_counted_by_shape() {
        // One 30-minute interval needing 3,000 agents, and three agents in the file: 3,000
        // tours (the tour bound), 2,997 hires, every interval covered.
        let req = Requirement {
            region: "north".into(),
            start_minute: MONDAY + 10 * 60,
            interval_minutes: 30,
            required: vec![3_000],
        };
        let staff: Vec<Agent> = (0..3).map(|i| agent(i, 40.0, 0)).collect();
        let plan = roster_requirements(
            std::slice::from_ref(&req),
            &staff,
            &ShiftTemplates::default(),
            &WorkRules::default(),
        );
        assert_eq!(plan.tour_bound(), 3_000);
        assert_eq!(plan.headcount(), 3_000);
        assert_eq!(plan.hires(), 2_997);
        assert_eq!(plan.uncovered(), 0);
        assert_eq!(plan.roster.assignments.len(), 3);
        assert_eq!(plan.roster.unassigned.len(), 2_997);
    }

    #[test]
    fn the_templates_cap_on_agents_per_shift_is_kept() {
        // Three agents 10:00–14:00 every day, 8-hour shifts starting on the hour, at most one
        // agent on a shift: each day needs three different starts of 06:00 to 10:00.
        let req = requirement(0, 14, |_, h| if (10..14).contains(&h) { 3 } else { 0 });
        let templates = ShiftTemplates {
            max_agents_per_shift: Some(1),
            ..eight_hour_days()
        };
        let staff: Vec<Agent> = (0..20).map(|i| agent(i, 40.0, 0)).collect();
        let rules = WorkRules::default();
        let plan = roster_requirements(std::slice::from_ref(&req), &staff, &templates, &rules);
        let mut per_shift: std::collections::BTreeMap<i64, u32> = Default::default();
        for a in &plan.roster.assignments {
            *per_shift.entry(a.start_minute).or_default() += 1;
        }
        assert!(per_shift.values().all(|&n| n == 1), "{per_shift:?}");
        assert_eq!(plan.uncovered(), 0);
        assert!(crate::roster::verify::shift_size_violations(&plan.roster, 0, Some(1)).is_empty());
        // Uncapped, the same requirement puts several agents on one shift, and the check
        // names it.
        let free = roster_requirements(
            std::slice::from_ref(&req),
            &staff,
            &eight_hour_days(),
            &rules,
        );
        let broken = crate::roster::verify::shift_size_violations(&free.roster, 0, Some(1));
        assert!(!broken.is_empty());
        assert_eq!(
            broken[0].rule,
            crate::roster::verify::Rule::MaxAgentsPerShift
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10))]
        #[test]
        fn tour_rosters_keep_every_rule_cover_what_they_claim_and_repeat(
            first_day in 0i64..7,
            days in 7usize..16,
            peak in 1u32..5,
            open in 5usize..9,
            close in 17usize..23,
            staff in proptest::collection::vec((0usize..3, 0usize..4), 2..25),
        ) {
            let req = requirement(first_day, days, |d, h| {
                if (open..close).contains(&h) { peak - u32::from(d % 7 >= 5 && peak > 1) } else { 0 }
            });
            let staff: Vec<Agent> = staff
                .iter()
                .enumerate()
                .map(|(i, &(c, off))| agent(i, [40.0, 30.0, 20.0][c], [0, 0b110_0000, 0b001_0000, 0][off]))
                .collect();
            let rules = WorkRules::default();
            let templates = ShiftTemplates::default();
            let plan = roster_requirements(std::slice::from_ref(&req), &staff, &templates, &rules);
            let first = 19_723 + first_day;
            let broken = violations(&plan.roster, &staff, &rules, time::DayRange::new(first, first + days as i64 - 1));
            prop_assert!(broken.is_empty(), "{broken:?}");
            prop_assert!(plan.lower_bound() <= plan.tour_bound());
            prop_assert!(plan.tour_bound() <= plan.headcount());
            prop_assert_eq!(plan.uncovered(), 0, "the default templates can cover any hour");
            if plan.hires() == 0 {
                let scheduled = coverage(&plan.roster, &req);
                for (t, (s, r)) in scheduled.iter().zip(&req.required).enumerate() {
                    prop_assert!(s >= r, "interval {t}: {s} < {r}");
                }
            }
            let again = roster_requirements(std::slice::from_ref(&req), &staff, &templates, &rules);
            prop_assert_eq!(&again.roster, &plan.roster);
            // Sharing nights and weekends out moves whole shifts between agents, and days
            // worked within weeks where the requirement leaves room: as many shifts and hours
            // are worked, the coverage reported is the roster's, and the spread is no wider
            // than without the rule.
            let unfair = WorkRules { fair_nights_and_weekends: false, ..rules.clone() };
            let before = roster_requirements(std::slice::from_ref(&req), &staff, &templates, &unfair);
            let total = |r: &Roster| {
                let minutes = r.assignments.iter().map(|a| (a.paid_hours * 60.0).round() as i64);
                (r.assignments.len(), minutes.sum::<i64>())
            };
            prop_assert_eq!(total(&before.roster), total(&plan.roster));
            if plan.hires() == 0 {
                prop_assert_eq!(&plan.regions[0].tours.scheduled, &coverage(&plan.roster, &req));
            }
            let spread = |r: &Roster| {
                let mut per_agent = vec![(0i64, 0i64); staff.len()];
                for a in &r.assignments {
                    per_agent[a.agent].0 += i64::from(rules.is_night_shift(a.start_minute, a.end_minute));
                    per_agent[a.agent].1 += i64::from(time::weekday_of_minute(a.start_minute) >= 5);
                }
                // Squared distances to the mean: moving days may change the totals.
                let count = per_agent.len() as f64;
                let mean = |pick: fn(&(i64, i64)) -> i64| per_agent.iter().map(pick).sum::<i64>() as f64 / count;
                let (nights, weekends) = (mean(|x| x.0), mean(|x| x.1));
                per_agent.iter().map(|&(n, w)| (n as f64 - nights).powi(2) + (w as f64 - weekends).powi(2)).sum::<f64>()
            };
            prop_assert!(spread(&plan.roster) <= spread(&before.roster) + 1e-9);
        }
    }
}
