//! `wfm inspect`: profile a history file per region.

use anyhow::Result;

use super::Outcome;
use crate::cli::InspectArgs;
use crate::output::{check_outputs, print};
use wfm::atomic::is_stdout;
use wfm::data::{load_history, profile_history};
use wfm::report::heatmap::write_heatmaps;
use wfm::report::inspect_tables::{inspect_report, InspectJson};
use wfm::report::write_json;

pub fn run(args: InspectArgs) -> Result<Outcome> {
    check_outputs(
        &[("--json", args.json.as_deref())],
        args.plot.as_deref(),
        &args.input.inputs(&args.history),
    )?;
    let options = args.input.ingest_options(&args.region)?;
    let history = load_history(&args.history, &options)?;
    let profiles = profile_history(&history, options.holidays.as_ref());
    if let Some(plot) = &args.plot {
        write_heatmaps(plot, &profiles)?;
    }
    if let Some(path) = &args.json {
        write_json(path, &InspectJson::new(&history, &profiles))?;
        if is_stdout(path) {
            return Ok(Outcome::Success);
        }
    }
    print(&inspect_report(&history, &profiles, args.brief))?;
    Ok(Outcome::Success)
}
