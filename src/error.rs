//! The library's error type.
//!
//! Every variant carries what a person needs to fix the input: the file, the row as a
//! spreadsheet shows it (the header is row 1, the first data row is row 2), the column and
//! the offending value. The binary prints these once, prefixed with `error: `, and exits 2.

use std::path::PathBuf;

/// Result alias used across the library.
pub type Result<T, E = WfmError> = std::result::Result<T, E>;

/// Everything that can go wrong while reading, validating or processing user input.
#[derive(Debug, thiserror::Error)]
pub enum WfmError {
    #[error("cannot open {path}: {}", io_reason(.error))]
    Open {
        path: PathBuf,
        // Not a `source`: the reason is in the message already, and the error chain would
        // print it twice.
        error: std::io::Error,
    },

    #[error("cannot write {path}: {message}")]
    Write { path: PathBuf, message: String },

    /// The reader of stdout went away (`wfm … | head`): the binary ends quietly.
    #[error("stdout was closed")]
    StdoutClosed(#[source] std::io::Error),

    #[error(
        "{path}: the file is empty (expected a header line such as timestamp,region,contacts)"
    )]
    EmptyFile { path: PathBuf },

    #[error("{path}: no data rows after the header")]
    NoDataRows { path: PathBuf },

    #[error(
        "{path} row {row}, byte {byte}: invalid UTF-8 (byte 0x{value:02X}); re-save the file as UTF-8"
    )]
    NotUtf8 {
        path: PathBuf,
        row: usize,
        byte: usize,
        value: u8,
    },

    #[error(
        "{path} row 1: the header {header:?} has a single column; it looks separated by {} \
         (use --delimiter {})", delimiter_name(*.found), delimiter_name(*.found)
    )]
    WrongDelimiter {
        path: PathBuf,
        header: String,
        found: char,
    },

    #[error("{path}: no column \"{column}\" (set it with {flag}); columns found: {}", quote_list(.found))]
    MissingColumn {
        path: PathBuf,
        column: String,
        flag: &'static str,
        found: Vec<String>,
    },

    #[error("{path} row {row}: expected {expected} fields like the header, found {found}")]
    RaggedRow {
        path: PathBuf,
        row: usize,
        expected: usize,
        found: usize,
    },

    #[error("{path} row {row}, column \"{column}\": {problem}")]
    BadValue {
        path: PathBuf,
        row: usize,
        column: String,
        problem: String,
    },

    #[error(
        "{path} row {row}, {columns}: duplicate of row {first_row} \
         (same timestamp {timestamp} and region \"{region}\")"
    )]
    Duplicate {
        path: PathBuf,
        row: usize,
        first_row: usize,
        /// The key columns, as `columns "timestamp" and "region"`.
        columns: String,
        timestamp: String,
        region: String,
    },

    #[error("{path} row {row}, column \"{column}\": {detail} (mixed interval lengths in region \"{region}\")")]
    MixedIntervals {
        path: PathBuf,
        row: usize,
        column: String,
        region: String,
        detail: String,
    },

    #[error(
        "{path}: region \"{region}\" has {count} missing interval(s) (gaps) inside the covered period, \
         first at {}; choose --missing zero or --missing interpolate, or list closed days with --holidays",
        .first.join(", ")
    )]
    Gaps {
        path: PathBuf,
        region: String,
        count: usize,
        first: Vec<String>,
    },

    #[error("{path}: cannot read as CSV: {message}")]
    Csv { path: PathBuf, message: String },

    #[error("{path}: not a valid Parquet file or unsupported content: {message}")]
    Parquet { path: PathBuf, message: String },

    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },

    /// A region whose data cannot go through a stage (too short to forecast, a requirement
    /// with a gap).
    #[error("region \"{region}\": {message}")]
    Region { region: String, message: String },

    /// Staffing targets that no number of agents meets.
    #[error("staffing: {message}")]
    Staffing { message: String },

    /// A model that cannot be fitted to a region's history (too short, or needs a group).
    #[error("region \"{region}\": {reason}")]
    ModelNotFitted { region: String, reason: FitError },

    /// A horizon longer than the history can be backtested on even once.
    #[error(
        "region \"{region}\": a forecast {asked_days} day(s) past the history's last whole day \
         ({last_day}) cannot be backtested on this history even once: a model needs \
         {training_weeks} weeks of training before a backtest window, so the longest horizon it \
         supports is {longest_days} day(s){hint}"
    )]
    HorizonTooLong {
        region: String,
        asked_days: usize,
        longest_days: usize,
        last_day: String,
        training_weeks: usize,
        /// What to do instead.
        hint: String,
    },

    /// No required interval of a region can be covered by any shift the templates allow.
    #[error(
        "region \"{region}\": nothing to schedule: no shift the templates allow covers any of \
         the {required} required interval(s); {rule}"
    )]
    NothingToSchedule {
        region: String,
        /// Intervals with at least one agent required.
        required: usize,
        /// The template rule that blocks the first of them, as a sentence.
        rule: String,
    },

    /// A plan leaves required intervals short, and short plans were not allowed.
    #[error(
        "region \"{region}\": the plan leaves {count} interval(s) short, first {}{}{}; change the \
         shift templates, or pass --allow-under to write the plan anyway",
        .first.join(", "),
        if *.count > .first.len() { ", …" } else { "" },
        .rule.as_ref().map_or(String::new(), |r| format!("; {r}"))
    )]
    UnderCovered {
        region: String,
        count: usize,
        /// The first short intervals, as `2024-01-01 07:00–07:30 by 3 agents`.
        first: Vec<String>,
        /// The template rule that blocks the first interval no shift can cover, if any.
        rule: Option<String>,
    },

    /// The solver found no plan within the templates' limits on agents per shift.
    #[error(
        "region \"{region}\": no plan meets the shift templates' limits (max_agents_per_shift, \
         min_agents_per_shift); raise max_agents_per_shift or pass --allow-under"
    )]
    NoPlan { region: String },

    /// A flag's value that cannot be used (the binary names its flags).
    #[error("{flag} {value}: {expected}")]
    Option {
        flag: &'static str,
        value: String,
        expected: String,
    },

    /// A config value that cannot be used, named by its key in the stage's config
    /// (`volume_scale`, `solve.mip_gap`, `targets.shrinkage`): the `wfm` binary names the flag
    /// that set it instead, a TOML config its key.
    #[error("{key} = {value}: {expected}")]
    Setting {
        key: &'static str,
        value: String,
        expected: String,
    },
}

/// Parses a TOML config (`what` names it in the message, e.g. "schedule config").
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    what: impl Into<PathBuf>,
) -> Result<T> {
    toml::from_str(text).map_err(|e| WfmError::Invalid {
        path: what.into(),
        message: e.to_string().trim().replace('\n', " "),
    })
}

/// An I/O error as a person reads it: "no such file", without the OS error number.
pub(crate) fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no such file".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "it is a directory, not a file".into(),
        _ => error.to_string(),
    }
}

/// A separator as it is typed after `--delimiter`: `tab`, or the character quoted.
fn delimiter_name(c: char) -> String {
    if c == '\t' {
        "tab".into()
    } else {
        format!("'{c}'")
    }
}

pub(crate) fn quote_list(items: &[String]) -> String {
    items
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

impl WfmError {
    /// A bad cell: names file, row and column.
    pub fn bad_value(
        path: &std::path::Path,
        row: usize,
        column: &str,
        problem: impl Into<String>,
    ) -> Self {
        WfmError::BadValue {
            path: path.to_path_buf(),
            row,
            column: column.to_string(),
            problem: problem.into(),
        }
    }

    /// A bad config value, named by its key.
    pub fn setting(
        key: &'static str,
        value: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        WfmError::Setting {
            key,
            value: value.into(),
            expected: expected.into(),
        }
    }

    /// A bad flag value.
    pub fn option(
        flag: &'static str,
        value: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        WfmError::Option {
            flag,
            value: value.into(),
            expected: expected.into(),
        }
    }
}

/// Why a model cannot be fitted to a training series.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error("{model} needs at least {needed_weeks} weeks of history, found {found_weeks}")]
    TooShort {
        model: String,
        needed_weeks: usize,
        found_weeks: usize,
    },
    #[error("{model} needs a group of regions to take a share of (the file has one region)")]
    NoGroup { model: String },
}

impl FitError {
    pub(crate) fn too_short(
        model: impl std::fmt::Display,
        needed_weeks: usize,
        found_weeks: usize,
    ) -> Self {
        FitError::TooShort {
            model: model.to_string(),
            needed_weeks,
            found_weeks,
        }
    }
}
