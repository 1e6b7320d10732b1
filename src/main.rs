//! The `wfm` binary: parse flags, run the command, turn the outcome into an exit code.

mod cli;
mod cmd;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // clap prints its own usage errors and exits 2 (0 for --help / --version).
    let cli = cli::Cli::parse();
    progress::set_quiet(cli.quiet);
    match cmd::run(cli.command) {
        Ok(outcome) => outcome.into(),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// `wfm … | head` closes stdout early: that is not a failure.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
