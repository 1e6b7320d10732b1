//! The library's stages chained on their artefacts: what a stage computes and what is read
//! back from its file are the same type, and give the same next stage.

use wfm::data::IngestOptions;
use wfm::roster::stage::{roster, Demand, RosterParams};
use wfm::roster::{Agent, Roster, Rule, WorkRules};
use wfm::staffing::Targets;
use wfm::{ForecastConfig, Forecasts, Requirements, ScheduleParams, StaffingParams};

#[test]
fn each_artefact_read_back_from_its_file_feeds_the_next_stage_as_computed() {
    let dir = tempfile::tempdir().unwrap();
    let path = std::path::Path::new("tests/fixtures/good/two_regions_12w.csv");
    let history = wfm::load_history(path, &IngestOptions::default()).unwrap();
    let computed = wfm::forecast(&history, &ForecastConfig::days(7)).unwrap();
    let forecast_csv = dir.path().join("forecast.csv");
    computed.write(&forecast_csv).unwrap();
    let read = Forecasts::read(&forecast_csv).unwrap();
    assert_eq!(read.interval_minutes, computed.interval_minutes);
    for (r, c) in read.regions.iter().zip(&computed.regions) {
        assert_eq!((&r.region, &r.minutes), (&c.region, &c.minutes));
        // The file holds three decimals.
        assert!(r
            .point
            .iter()
            .zip(&c.point)
            .all(|(a, b)| (a - b).abs() <= 5e-4));
        assert!(r.model.is_none() && c.model.is_some());
    }

    let targets = Targets {
        shrinkage: 0.3,
        ..Targets::default()
    };
    let staffing = StaffingParams::new(targets).aht(300.0).check().unwrap();
    let staffed = wfm::staff(&computed, &staffing).unwrap();
    let staffed_from_file = wfm::staff(&read, &staffing).unwrap();
    for (a, b) in staffed.regions.iter().zip(&staffed_from_file.regions) {
        assert_eq!(a.agents_required(), b.agents_required(), "{}", a.region);
    }
    let requirements_csv = dir.path().join("requirements.csv");
    staffed.write(&requirements_csv).unwrap();
    let requirements = Requirements::read(&requirements_csv).unwrap();

    let schedule = ScheduleParams::default().check().unwrap();
    let plans = wfm::schedule(&staffed, &schedule).unwrap();
    let plans_from_file = wfm::schedule(&requirements, &schedule).unwrap();
    assert_eq!(plans.shifts(), plans_from_file.shifts());
    for region in &plans.regions {
        let required = &region.requirement.required;
        assert!(required
            .iter()
            .zip(&region.plan.scheduled)
            .all(|(need, on)| on >= need));
    }

    // The plan's shifts, rostered as they are, with the fewest of 60 agents that work them.
    let agents: Vec<Agent> = (0..60)
        .map(|k| Agent::new(format!("a{k}"), format!("Agent {k}")))
        .collect();
    let config = RosterParams {
        rules: WorkRules::default(),
        templates_path: None,
        targets,
        baseline_day_start_minute: 7 * 60,
        volume_scale: None,
        fewest: true,
        agents_path: "agents.csv".into(),
    }
    .check()
    .unwrap();
    let rostered = roster(&Demand::Plan(plans.shifts()), agents, &config).unwrap();
    // A fixed plan's shifts need not add up to each agent's contract (that is what tours from
    // the requirement are for): every other rule holds.
    let broken: Vec<_> = (rostered.violations.iter())
        .filter(|v| v.rule != Rule::HoursTolerance)
        .collect();
    assert!(broken.is_empty(), "{broken:?}");
    let roster_csv = dir.path().join("roster.csv");
    rostered
        .roster()
        .write(&roster_csv, &rostered.agents)
        .unwrap();
    let read_roster = Roster::read(&roster_csv, &rostered.agents).unwrap();
    let mut written = rostered.roster().assignments.clone();
    written.sort_by_key(|a| (a.agent, a.start_minute));
    assert_eq!(read_roster.assignments.len(), written.len());
    for (r, w) in read_roster.assignments.iter().zip(&written) {
        assert_eq!(
            (r.agent, r.start_minute, r.end_minute),
            (w.agent, w.start_minute, w.end_minute)
        );
    }
}
