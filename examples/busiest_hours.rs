//! Using wfm as a library: load a history file and print each region's busiest hour per weekday.
//!
//! ```text
//! cargo run --release --example busiest_hours -- data/anonbank_1999_hourly.csv
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use wfm::data::{load_history, profile_region, IngestOptions};
use wfm::time::WEEKDAY_NAMES;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: busiest_hours HISTORY.csv");
        return ExitCode::from(2);
    };
    let history = match load_history(&path, &IngestOptions::default()) {
        Ok(history) => history,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    for series in &history.regions {
        let profile = profile_region(series, None);
        println!("{}", profile.region);
        for (weekday, hours) in profile.hourly_profile.iter().enumerate() {
            let (hour, mean) = hours
                .iter()
                .copied()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((0, 0.0));
            println!(
                "  {}: busiest {hour:02}:00–{:02}:00, {mean:.1} contacts on average",
                WEEKDAY_NAMES[weekday],
                hour + 1
            );
        }
    }
    ExitCode::SUCCESS
}
