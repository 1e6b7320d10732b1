//! Which of a history's columns play which role (time, region, volume, AHT, group), from the
//! header and the column options; files that wfm wrote are refused as histories.

use std::path::Path;

use super::cells::Kind;
use super::UsedColumns;
use crate::data::{IngestOptions, DEFAULT_AHT_COLUMN, DEFAULT_REGION_COLUMN};
use crate::error::{Result, WfmError};

/// Which of the file's columns play which role.
pub(crate) struct ColumnPlan {
    pub(super) time: String,
    pub(super) region: Option<String>,
    /// `None` for event logs (one row = one contact).
    pub(super) volume: Option<String>,
    pub(super) aht: Option<String>,
    pub(super) group: Option<String>,
}

impl ColumnPlan {
    pub(super) fn new(path: &Path, found: &[String], options: &IngestOptions) -> Result<Self> {
        let has = |name: &str| found.iter().any(|f| f == name);
        refuse_wfm_output(path, found, &options.columns.volume, options.events)?;
        let require = |name: &str, flag: &'static str| -> Result<String> {
            if has(name) {
                Ok(name.to_string())
            } else {
                Err(missing_column(path, found, name, flag))
            }
        };
        let optional = |explicit: &Option<String>, default: &str, flag| match explicit {
            Some(name) => require(name, flag).map(Some),
            None => Ok(has(default).then(|| default.to_string())),
        };
        let cols = &options.columns;
        Ok(ColumnPlan {
            time: require(&cols.time, "--time-col")?,
            region: optional(&cols.region, DEFAULT_REGION_COLUMN, "--region-col")?,
            volume: if options.events {
                None
            } else {
                Some(require(&cols.volume, "--volume-col")?)
            },
            aht: optional(&cols.aht, DEFAULT_AHT_COLUMN, "--aht-col")?,
            group: cols
                .group
                .as_ref()
                .map(|name| require(name, "--group-col"))
                .transpose()?,
        })
    }

    /// The five columns a history's rows are read from (time, region, volume, AHT, group), in
    /// that order; `None` for one the file does not have.
    pub(super) fn columns(&self) -> Vec<Option<(String, Kind)>> {
        vec![
            Some((self.time.clone(), Kind::Time)),
            self.region.clone().map(|r| (r, Kind::Text)),
            self.volume.clone().map(|v| (v, Kind::Number)),
            self.aht.clone().map(|a| (a, Kind::Number)),
            self.group.clone().map(|g| (g, Kind::Text)),
        ]
    }

    /// For each field of the (trimmed) `header`, which of the five columns it is; `None` when a
    /// column is not found exactly once.
    pub(crate) fn roles(&self, header: &[String]) -> Option<Vec<Option<usize>>> {
        let mut roles = vec![None; header.len()];
        for (role, column) in self.columns().into_iter().enumerate() {
            let Some((name, _)) = column else { continue };
            let mut found = header.iter().enumerate().filter(|(_, h)| **h == name);
            let (field, _) = found.next()?;
            if found.next().is_some() {
                return None;
            }
            roles[field] = Some(role);
        }
        Some(roles)
    }

    pub(super) fn used(&self) -> UsedColumns {
        UsedColumns {
            time: self.time.clone(),
            region: self
                .region
                .clone()
                .unwrap_or_else(|| DEFAULT_REGION_COLUMN.into()),
        }
    }
}

/// A file that wfm wrote, given where a history is expected: forecasting a forecast (or the
/// contacts of a requirements file) would run and mean nothing, whatever `--volume-col` says.
pub(super) fn refuse_wfm_output(
    path: &Path,
    found: &[String],
    volume: &str,
    events: bool,
) -> Result<()> {
    let has = |name: &str| found.iter().any(|f| f == name);
    let message = if has("agents_required") {
        "this is a requirements file (as wfm staff writes it: its header has \"agents_required\"), \
         not a history of contacts; give it to wfm schedule or wfm roster, and give a history to \
         this command"
    } else if has("forecast")
        && ((has("lower") && has("upper")) || (!events && !has(volume)))
        // A history that also holds a forecast and its band (an ACD's report) is read by its
        // own volume column; a wfm forecast has none besides its own.
        && (events || !has(volume) || matches!(volume, "forecast" | "lower" | "upper"))
    {
        "this is a forecast file (as wfm forecast writes it: timestamp,region,forecast,lower,upper), \
         not a history of contacts; give it to wfm staff or to wfm accuracy --forecast, and give a \
         history to this command"
    } else {
        return Ok(());
    };
    Err(WfmError::Invalid {
        path: path.to_path_buf(),
        message: message.into(),
    })
}

/// A column the header does not have; when one of its names differs from it only in case,
/// spaces, `_` or `-` (`time stamp`, `Timestamp`), the message says to name that one.
pub(super) fn missing_column(
    path: &Path,
    found: &[String],
    name: &str,
    flag: &'static str,
) -> WfmError {
    let loose = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    if let Some(close) = found.iter().find(|f| loose(f) == loose(name)) {
        return WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "no column \"{name}\", but there is \"{close}\", which differs in case, spaces or \
                 punctuation; name it with {flag} \"{close}\" (or rename the column)"
            ),
        };
    }
    let has = |column: &str| found.iter().any(|f| f == column);
    // A plan or a roster wfm wrote (forecasts and requirements are refused before, by
    // `refuse_wfm_output`), or an event log read as counts: say which command takes it, or
    // which flag reads it.
    let hint = if has("agent_id") && has("paid_hours") {
        Some("this looks like a roster (wfm roster's output), not a history")
    } else if has("agents") && has("paid_hours") {
        Some("this looks like a shift plan (wfm schedule's output): run `wfm roster` on it")
    } else if flag == "--volume-col" {
        Some("is this an event log, one row per contact? try --events")
    } else {
        None
    };
    match hint {
        Some(hint) => WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "no column \"{name}\" (set it with {flag}); columns found: {}; {hint}",
                crate::error::quote_list(found)
            ),
        },
        None => WfmError::MissingColumn {
            path: path.to_path_buf(),
            column: name.to_string(),
            flag,
            found: found.to_vec(),
        },
    }
}
