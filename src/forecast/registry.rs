//! The models `wfm` knows, one entry each: its name, what it needs and how it is fitted.
//! Adding a model is its own file (a `fit` and an `impl Fitted`), an entry there, and one line
//! in [`MODELS`]; names, `--model` parsing, `auto`'s candidates and `dom-` variants follow.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

pub use super::model::{Estimate, FitFn, ModelInfo};
use super::{average, holt_winters, low_rank, mstl, naive, profile, taylor, top_down, yearly};
use super::{FitError, Fitted, Training};

/// Every model, in the order `--help` and `auto`'s report list them.
pub static MODELS: [&ModelInfo; 16] = [
    &naive::MODEL,
    &average::SAVG,
    &average::SMEDIAN,
    &average::EWAVG,
    &profile::MODEL,
    &low_rank::MODEL,
    &holt_winters::ADDITIVE,
    &holt_winters::MULTIPLICATIVE,
    &taylor::MODEL,
    &mstl::MODEL,
    &super::COMBINATION,
    &top_down::MODEL,
    &yearly::MODEL,
    &yearly::MIX,
    &yearly::YEAR_COMBO,
    &yearly::ADJUSTED,
];

/// A model of the series itself with its argument, parsed from a name such as `savg:4`.
#[derive(Clone, Copy)]
pub struct BaseModel {
    pub info: &'static ModelInfo,
    /// Its `:K`, for a model that takes one.
    pub weeks: Option<usize>,
}

impl BaseModel {
    /// `info` with its default `:K`.
    pub const fn of(info: &'static ModelInfo) -> Self {
        BaseModel {
            info,
            weeks: info.default_weeks,
        }
    }

    /// `info` with `:weeks`.
    pub const fn with_weeks(info: &'static ModelInfo, weeks: usize) -> Self {
        BaseModel {
            info,
            weeks: Some(weeks),
        }
    }

    /// Weeks of history the model needs.
    pub fn min_weeks(&self) -> usize {
        (self.info.min_weeks)(self.weeks)
    }

    pub fn is_median(&self) -> bool {
        self.info.estimates == Estimate::Median
    }

    pub fn needs_group(&self) -> bool {
        self.info.needs_group
    }

    pub fn fit(&self, training: Training<'_>) -> Result<Box<dyn Fitted>, FitError> {
        if training.weeks() < self.min_weeks() {
            return Err(FitError::TooShort {
                model: self.to_string(),
                needed_weeks: self.min_weeks(),
                found_weeks: training.weeks(),
            });
        }
        (self.info.fit)(training, self.weeks)
    }
}

impl PartialEq for BaseModel {
    fn eq(&self, other: &Self) -> bool {
        self.info.name == other.info.name && self.weeks == other.weeks
    }
}

impl fmt::Debug for BaseModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for BaseModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.weeks {
            Some(weeks) => write!(f, "{}:{weeks}", self.info.name),
            None => write!(f, "{}", self.info.name),
        }
    }
}

impl Serialize for BaseModel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl FromStr for BaseModel {
    type Err = String;

    /// A registered name, with `:K` (1–52 weeks) for a model that takes it.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (name, arg) = match text.split_once(':') {
            Some((n, a)) => (n, Some(a)),
            None => (text, None),
        };
        let Some(info) = MODELS.iter().copied().find(|m| m.name == name) else {
            return Err(format!(
                "unknown model \"{text}\" (expected auto, {}, each optionally with the prefix dom-)",
                names()
            ));
        };
        match (info.default_weeks, arg) {
            (_, None) => Ok(BaseModel::of(info)),
            (None, Some(_)) => Err(format!("model \"{name}\" takes no \":\" argument")),
            (Some(_), Some(a)) => a
                .parse::<usize>()
                .ok()
                .filter(|k| (1..=52).contains(k))
                .map(|k| BaseModel::with_weeks(info, k))
                .ok_or_else(|| format!("\"{a}\" in \"{text}\": expected a number of weeks, 1–52")),
        }
    }
}

/// The model names as `--help` lists them: `snaive, savg[:K], …`.
pub fn names() -> String {
    MODELS
        .iter()
        .map(|m| match m.default_weeks {
            Some(_) => format!("{}[:K]", m.name),
            None => m.name.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
