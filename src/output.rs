//! What the binary writes besides the library's files: the checks of every output path
//! before any work, and the terminal text.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use wfm::WfmError;

/// Whether one of this run's outputs goes to stdout: the tables and notes that usually go
/// there are then printed on stderr, so that stdout carries the output alone.
static STDOUT_IS_AN_OUTPUT: AtomicBool = AtomicBool::new(false);

/// Checks every output path (flag, path) and the plot path before any work, so that a run
/// that cannot write its outputs fails before it replaces any of them: each must be writable,
/// none may be an input of the run (`inputs`: flag or argument name, path), and at most one
/// may be stdout (`-`).
pub fn check_outputs(
    files: &[(&'static str, Option<&Path>)],
    plot: Option<&Path>,
    inputs: &[(&str, Option<&Path>)],
) -> Result<()> {
    let outputs: Vec<(&'static str, &Path)> = files
        .iter()
        .filter_map(|(flag, path)| path.map(|p| (*flag, p)))
        .chain(plot.map(|p| ("--plot", p)))
        .collect();
    let mut to_stdout: Option<&'static str> = None;
    for &(flag, path) in &outputs {
        if flag == "--plot" {
            wfm::report::plot::check_plot_path(path, flag)?;
        } else {
            wfm::atomic::check_output(path, flag)?;
        }
        if wfm::atomic::is_stdout(path) {
            if let Some(first) = to_stdout {
                return Err(WfmError::option(
                    flag,
                    path.display().to_string(),
                    format!("{first} goes to stdout already; only one output can (give the other a file name)"),
                )
                .into());
            }
            to_stdout = Some(flag);
            continue;
        }
        for &(input, input_path) in inputs {
            if input_path.is_some_and(|i| wfm::atomic::same_file(i, path)) {
                return Err(WfmError::option(
                    flag,
                    path.display().to_string(),
                    format!("it is the {input} file of this run; write the output to another file"),
                )
                .into());
            }
        }
    }
    STDOUT_IS_AN_OUTPUT.store(to_stdout.is_some(), Ordering::Relaxed);
    Ok(())
}

/// Writes text to stdout (to stderr when an output goes to stdout); a closed pipe
/// (`wfm … | head`) surfaces as an io error that main turns into a quiet exit, and any other
/// failure says it was stdout.
pub fn print(text: &str) -> std::io::Result<()> {
    let (written, stream) = if STDOUT_IS_AN_OUTPUT.load(Ordering::Relaxed) {
        let mut err = std::io::stderr().lock();
        (
            err.write_all(text.as_bytes()).and_then(|()| err.flush()),
            "stderr",
        )
    } else {
        let mut out = std::io::stdout().lock();
        (
            out.write_all(text.as_bytes()).and_then(|()| out.flush()),
            "stdout",
        )
    };
    written.map_err(|e| match e.kind() {
        std::io::ErrorKind::BrokenPipe => e,
        kind => std::io::Error::new(kind, format!("cannot write to {stream}: {e}")),
    })
}

/// `stem-suffix.ext` beside `path` (a file written next to an output, such as the 2/2 plan's
/// `shifts-2x2.csv`); beside `default_name` in the current folder when `path` is stdout (`-`).
pub fn sibling(path: &Path, default_name: &str, suffix: &str) -> PathBuf {
    let path = if wfm::atomic::is_stdout(path) {
        Path::new(default_name)
    } else {
        path
    };
    let stem = path
        .file_stem()
        .map_or("out".into(), |s| s.to_string_lossy());
    let ext = path
        .extension()
        .map_or("csv".into(), |e| e.to_string_lossy());
    path.with_file_name(format!("{stem}-{suffix}.{ext}"))
}
