//! wfm — workforce management for contact centres and support teams.
//!
//! The pipeline runs one way: [`data`] (ingest, validation, calendars) → forecasting →
//! staffing → scheduling → rostering → [`report`]. Every stage is a library function with a
//! typed config in and a typed artefact out, so the `wfm` binary, a test or another Rust
//! program runs it the same way:
//!
//! ```
//! use wfm::data::IngestOptions;
//! use wfm::roster::stage::{roster, Demand, RosterParams};
//! use wfm::roster::{Agent, WorkRules};
//! use wfm::staffing::Targets;
//! use wfm::{ForecastConfig, ScheduleParams, StaffingParams};
//!
//! # fn main() -> wfm::Result<()> {
//! // Twelve weeks of half-hourly contacts for two regions, with their handle times.
//! let path = std::path::Path::new("tests/fixtures/good/two_regions_12w.csv");
//! let history = wfm::load_history(path, &IngestOptions::default())?;
//! let forecasts = wfm::forecast(&history, &ForecastConfig::days(7))?;
//! // 80 % of contacts answered within 20 s, 30 % shrinkage; 300 s AHT where none is known.
//! let targets = Targets { shrinkage: 0.3, ..Targets::default() };
//! let requirements = wfm::staff(&forecasts, &StaffingParams::new(targets).aht(300.0).check()?)?;
//! let plans = wfm::schedule(&requirements, &ScheduleParams::default().check()?)?;
//! for region in &plans.regions {
//!     let scheduled = &region.plan.scheduled;
//!     assert!(region.requirement.required.iter().zip(scheduled).all(|(need, on)| on >= need));
//! }
//! assert_eq!(plans.regions.len(), 2);
//! // Weekly tours for 30 agents of 40 h who may work either region, under the default rules.
//! let agents: Vec<Agent> = (0..30).map(|k| Agent::new(format!("a{k}"), format!("Agent {k}"))).collect();
//! let config = RosterParams {
//!     rules: WorkRules::default(),
//!     templates_path: None,
//!     targets,
//!     baseline_day_start_minute: 7 * 60,
//!     volume_scale: None,
//!     fewest: false,
//!     agents_path: "agents.csv".into(),
//! }
//! .check()?;
//! let rostered = roster(&Demand::Requirements(requirements), agents, &config)?;
//! assert!(rostered.violations.is_empty());
//! assert!(rostered.working() > 0);
//! # Ok(())
//! # }
//! ```

pub mod atomic;
pub mod data;
pub mod error;
pub mod forecast;
pub mod limits;
pub mod plan;
pub mod report;
pub mod roster;
pub mod schedule;
pub mod staffing;
pub(crate) mod text;
pub mod time;

#[cfg(test)]
mod test_support;

pub use data::load_history;
pub use error::{Result, WfmError};
pub use forecast::backtest::{backtest, Backtest, BacktestConfig, BacktestHorizon};
pub use forecast::stage::{forecast, ForecastConfig, Forecasts, Horizon};
pub use schedule::stage::{schedule, Plans, ScheduleConfig, ScheduleParams};
pub use staffing::stage::{staff, Requirements, StaffingConfig, StaffingParams};
