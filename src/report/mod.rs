//! Everything a person or a machine reads: terminal tables, plots, and atomic file writes.

pub mod forecast_output;
pub mod forecast_plot;
pub mod heatmap;
pub mod inspect_tables;
pub mod plot;
pub mod roster_output;
pub mod roster_plot;
pub mod schedule_plot;
pub mod schedule_tables;
pub mod staffing_tables;
pub mod table;

pub use crate::atomic::{write_atomic, write_atomic_with};
