//! One module per subcommand: read inputs, call the library, write outputs.

mod accuracy;
mod backtest;
mod erlang;
mod forecast;
mod inspect;
mod roster;
mod schedule;
mod staff;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;

use crate::cli::{Command, HistoryArgs};
use wfm::data::{Clock, ColumnNames, Holidays, IngestOptions};
use wfm::WfmError;

/// How a command ended when it did not fail on its input.
pub enum Outcome {
    Success,
    /// An accuracy gate failed: exit code 1 (input and usage errors are 2).
    GateFailed,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::GateFailed => ExitCode::from(1),
        }
    }
}

/// Runs a command; its outputs are replaced together at the end, or not at all if it fails.
/// "wrote FILE" is said only once every output is in place.
pub fn run(command: Command) -> Result<Outcome> {
    let outputs = wfm::atomic::OutputSet::begin();
    let outcome = run_command(command)?;
    for path in outputs.commit()? {
        eprintln!("wrote {}", path.display());
    }
    Ok(outcome)
}

fn run_command(command: Command) -> Result<Outcome> {
    match command {
        Command::Inspect(args) => inspect::run(args),
        Command::Forecast(args) => forecast::run(args),
        Command::Backtest(args) => backtest::run(args),
        Command::Accuracy(args) => accuracy::run(args),
        Command::Erlang(args) => erlang::run(args),
        Command::Staff(args) => staff::run(args),
        Command::Schedule(args) => schedule::run(args),
        Command::Roster(args) => roster::run(args),
    }
}

/// Whether one of this run's outputs goes to stdout: the tables and notes that usually go
/// there are then printed on stderr, so that stdout carries the output alone.
static STDOUT_IS_AN_OUTPUT: AtomicBool = AtomicBool::new(false);

/// Checks every output path (flag, path) and the plot path before any work, so that a run
/// that cannot write its outputs fails before it replaces any of them: each must be writable,
/// none may be an input of the run (`inputs`: flag or argument name, path), and at most one
/// may be stdout (`-`).
pub(crate) fn check_outputs(
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

/// The inputs a history command reads: the history and its holidays file.
pub(crate) fn history_inputs<'a>(
    history: &'a Path,
    args: &'a HistoryArgs,
) -> [(&'static str, Option<&'a Path>); 2] {
    [
        ("history", Some(history)),
        ("--holidays", args.holidays.as_deref()),
    ]
}

/// Ingest options from the shared history flags.
pub(crate) fn ingest_options(args: &HistoryArgs, regions: &[String]) -> Result<IngestOptions> {
    let holidays = args
        .holidays
        .as_deref()
        .map(Holidays::from_csv)
        .transpose()?;
    Ok(IngestOptions {
        columns: ColumnNames {
            time: args.time_col.clone(),
            region: args.region_col.clone(),
            volume: args.volume_col.clone(),
            aht: args.aht_col.clone(),
            group: args.group_col.clone(),
        },
        delimiter: args.delimiter,
        events: args.events,
        interval_minutes: args.interval,
        clock: match (args.tz, args.local_tz) {
            (Some(zone), _) => Clock::UtcTo(zone),
            (None, Some(zone)) => Clock::LocalIn(zone),
            (None, None) => Clock::AsWritten,
        },
        missing: args.missing,
        holidays,
        regions: regions.to_vec(),
        outages: args.outages,
        events_window: None,
        time_format: args.time_format.clone(),
        decimal_comma: args.decimal_comma,
    })
}

/// Writes text to stdout (to stderr when an output goes to stdout); a closed pipe
/// (`wfm … | head`) surfaces as an io error that main turns into a quiet exit, and any other
/// failure says it was stdout.
pub(crate) fn print(text: &str) -> std::io::Result<()> {
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

/// One path for a single region; `stem-region.ext` for each of several.
pub(crate) fn per_region_paths(
    path: &std::path::Path,
    regions: &[&str],
) -> Vec<std::path::PathBuf> {
    if regions.len() == 1 {
        return vec![path.to_path_buf()];
    }
    let stem = path
        .file_stem()
        .map_or("plot".into(), |s| s.to_string_lossy());
    let ext = path
        .extension()
        .map_or("png".into(), |e| e.to_string_lossy());
    regions
        .iter()
        .map(|region| {
            let safe: String = region
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            path.with_file_name(format!("{stem}-{safe}.{ext}"))
        })
        .collect()
}

/// Staffing targets from the shared flags, checked once.
pub(crate) fn targets(args: &crate::cli::TargetArgs) -> Result<wfm::staffing::Targets> {
    let targets = wfm::staffing::Targets {
        service_level: args
            .target_sl
            .or(if args.asa.is_none() { Some(0.8) } else { None }),
        target_answer_seconds: args.target_seconds,
        asa_seconds: args.asa,
        max_occupancy: args.max_occupancy,
        patience_seconds: args.patience,
        concurrency: args.concurrency,
        shrinkage: args.shrinkage,
    };
    targets.validate().map_err(wfm::WfmError::from)?;
    Ok(targets)
}
