//! `wfm plan`: the whole month of every queue from one config ([`config`]), run through the
//! library's stages ([`run`]); the binary writes the files and the report.

pub mod config;
pub mod hours;
pub mod html;
pub mod merge;
pub mod run;
pub mod summary;

pub use config::{PlanConfig, QueueSettings};
pub use run::{run_plan, run_plan_telling, PlanRun, Shard};
pub use summary::PlanSummary;
