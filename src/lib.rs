//! wfm — workforce management for contact centres and support teams.
//!
//! The pipeline runs one way: [`data`] (ingest, validation, calendars) → forecasting →
//! staffing → scheduling → [`report`]. Every stage is a library function on plain data, so the
//! `wfm` binary stays a thin layer of flags, files and exit codes.

pub mod atomic;
pub mod data;
pub mod error;
pub mod forecast;
pub mod report;
pub mod schedule;
pub mod staffing;
pub mod time;

#[cfg(test)]
mod test_support;

pub use data::load_history;
pub use error::{Result, WfmError};
pub use forecast::stage::{forecast, ForecastConfig, Forecasts, Horizon};
pub use staffing::stage::{staff, Requirements, StaffingConfig};
