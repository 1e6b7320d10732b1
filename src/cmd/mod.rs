//! One module per subcommand: read inputs, call the library, write outputs.

mod accuracy;
mod backtest;
mod erlang;
mod forecast;
mod inspect;
mod plan;
mod roster;
mod schedule;
mod staff;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::Command;

/// How a command ended when it did not fail on its input.
pub enum Outcome {
    Success,
    /// An accuracy gate failed: exit code 1 (input and usage errors are 2).
    GateFailed,
    /// Some of a `wfm plan`'s queues failed; the others' outputs were written: exit code 2.
    PartlyFailed,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::GateFailed => ExitCode::from(1),
            Outcome::PartlyFailed => ExitCode::from(2),
        }
    }
}

/// Runs a command; its outputs are replaced together at the end, or not at all if it fails.
/// "wrote FILE" is said only once every output is in place.
pub fn run(command: Command) -> Result<Outcome> {
    let outputs = wfm::atomic::OutputSet::begin();
    // `wfm plan` names a bad value by its key in plan.toml; every other command by its flag.
    let name = match command {
        Command::Plan(_) => crate::cli::flags::name_plan_keys,
        _ => crate::cli::flags::name_flags,
    };
    let outcome = run_command(command).map_err(name)?;
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
        Command::Plan(args) => plan::run(args),
        Command::Completions(args) => {
            use clap::CommandFactory;
            let mut command = crate::cli::Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut command, "wfm", &mut script);
            crate::output::print(&String::from_utf8_lossy(&script))?;
            Ok(Outcome::Success)
        }
        Command::Man(args) => {
            use clap::CommandFactory;
            let wfm = crate::cli::Cli::command();
            let command = match &args.command {
                None => wfm,
                Some(name) => {
                    let found = wfm.find_subcommand(name).cloned();
                    let names: Vec<String> = wfm
                        .get_subcommands()
                        .map(|c| c.get_name().to_string())
                        .collect();
                    let expected = format!("one of wfm's commands: {}", names.join(", "));
                    found
                        .ok_or_else(|| wfm::WfmError::option("COMMAND", name.clone(), expected))?
                        // clap takes a command's name as static text; the process ends soon.
                        .name(&*Box::leak(format!("wfm-{name}").into_boxed_str()))
                        .version(env!("CARGO_PKG_VERSION"))
                }
            };
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page)?;
            crate::output::print(&String::from_utf8_lossy(&page))?;
            Ok(Outcome::Success)
        }
    }
}
