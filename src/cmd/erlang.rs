//! `wfm erlang`: the one-interval calculator planners use.

use anyhow::Result;

use super::Outcome;
use crate::cli::ErlangArgs;
use crate::output::{check_outputs, print};
use wfm::atomic::is_stdout;
use wfm::report::staffing_tables::{erlang_report, ErlangJson};
use wfm::report::write_json;
use wfm::staffing::{evaluate_checked, required, Load};
use wfm::WfmError;

pub fn run(args: ErlangArgs) -> Result<Outcome> {
    let targets = args.targets.targets();
    targets.validate().map_err(WfmError::from)?;
    let load = Load {
        contacts: args.contacts,
        interval_seconds: args.interval as f64 * 60.0,
        aht_seconds: args.aht,
    };
    let answer = match args.agents {
        Some(n) => evaluate_checked(&load, n, &targets),
        None => required(&load, &targets),
    }
    .map_err(WfmError::from)?;
    check_outputs(&[("--json", args.json.as_deref())], None, &[])?;
    if let Some(path) = &args.json {
        write_json(path, &ErlangJson::from(&answer))?;
        if is_stdout(path) {
            return Ok(Outcome::Success);
        }
    }
    let asked = args.agents.is_some();
    print(&erlang_report(&load, &answer, &targets, asked))?;
    Ok(Outcome::Success)
}
