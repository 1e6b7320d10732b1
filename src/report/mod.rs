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

/// Writes `value` as pretty JSON and a line end, atomically (`-`: stdout).
pub fn write_json(
    path: &std::path::Path,
    value: &impl serde::Serialize,
) -> crate::error::Result<()> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| crate::error::WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!("cannot write JSON: {e}"),
        })?;
    write_atomic(path, |w| {
        use std::io::Write;
        w.write_all(text.as_bytes())?;
        w.write_all(b"\n")
    })
}
