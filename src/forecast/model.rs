//! What a model is to the rest of forecasting: its name and needs ([`ModelInfo`]), what its
//! point estimates, and how it is fitted. A leaf: each model's file declares its `ModelInfo`
//! here, and the registry lists them.

use super::{FitError, Fitted, Training};

/// What a model's point forecast estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Estimate {
    /// The expected count: what Erlang's arrival rate needs.
    Mean,
    /// The median count, below the mean for a sparse queue.
    Median,
}

/// Fits a model to a training series, given its `:K`.
pub type FitFn = for<'a> fn(Training<'a>, Option<usize>) -> Result<Box<dyn Fitted>, FitError>;

/// How a model is named and built.
pub struct ModelInfo {
    /// The name, before any `:K`.
    pub name: &'static str,
    /// One line for the README and `--help`.
    pub summary: &'static str,
    /// The default of its `:K` argument (weeks of history it looks at), if it takes one.
    pub default_weeks: Option<usize>,
    /// Weeks of history it needs to fit, given its `:K`.
    pub min_weeks: fn(Option<usize>) -> usize,
    /// Fits it to a training series, with its `:K`.
    pub fit: FitFn,
    pub estimates: Estimate,
    /// It shares out the forecast of the region's group (needs two or more regions).
    pub needs_group: bool,
}
