//! `wfm inspect`: profile a history file per region.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;

use super::{check_outputs, history_inputs, ingest_options, per_region_paths, print, Outcome};
use crate::cli::InspectArgs;
use wfm::atomic::is_stdout;
use wfm::data::{load_history, profile_region, RegionProfile};
use wfm::report::heatmap::write_heatmap;
use wfm::report::inspect_tables::{outage_list, overview_table, region_details};
use wfm::report::write_atomic;

#[derive(Serialize)]
struct InspectJson<'a> {
    file: &'a Path,
    interval_minutes: u32,
    source_interval_minutes: u32,
    /// Just after the file's data; every region runs to it.
    end: chrono::NaiveDateTime,
    regions: &'a [RegionProfile],
}

pub fn run(args: InspectArgs) -> Result<Outcome> {
    check_outputs(
        &[("--json", args.json.as_deref())],
        args.plot.as_deref(),
        &history_inputs(&args.history, &args.input),
    )?;
    let options = ingest_options(&args.input, &args.region)?;
    let history = load_history(&args.history, &options)?;
    let profiles: Vec<RegionProfile> = history
        .regions
        .par_iter()
        .map(|series| profile_region(series, options.holidays.as_ref()))
        .collect();

    if let Some(plot) = &args.plot {
        let names: Vec<&str> = profiles.iter().map(|p| p.region.as_str()).collect();
        let paths = per_region_paths(plot, &names);
        for (profile, path) in profiles.iter().zip(&paths) {
            let title = format!("{}: mean contacts per hour", profile.region);
            write_heatmap(path, &title, &profile.hourly_profile).with_context(|| {
                format!("writing the heat map of region \"{}\"", profile.region)
            })?;
        }
    }

    if let Some(path) = &args.json {
        let json = InspectJson {
            file: &history.path,
            interval_minutes: history.interval_minutes,
            source_interval_minutes: history.source_interval_minutes,
            end: wfm::time::naive_from_minutes(history.end_minute),
            regions: &profiles,
        };
        let text = serde_json::to_string_pretty(&json)?;
        write_atomic(path, |w| writeln!(w, "{text}"))?;
        if is_stdout(path) {
            return Ok(Outcome::Success);
        }
    }
    let mut text = format!(
        "{}: {} region(s), {}-minute intervals{}\n{}\n",
        history.path.display(),
        profiles.len(),
        history.interval_minutes,
        if history.interval_minutes != history.source_interval_minutes {
            format!(
                " (resampled from {} minutes)",
                history.source_interval_minutes
            )
        } else {
            String::new()
        },
        overview_table(&profiles)
    );
    if !args.brief {
        text.push_str(&outage_list(&profiles));
        for profile in &profiles {
            text.push_str(&region_details(profile));
        }
    }
    print(&text)?;
    Ok(Outcome::Success)
}
