//! The grid plot of `wfm roster`: agents × days, each worked day coloured by its start time
//! (viridis over the 24 hours), days off white.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::plot::{render_plot, viridis};
use crate::error::Result;
use crate::roster::{Agent, Roster};
use crate::time::{self, MINUTES_PER_DAY};

/// Pixels a row (agent) and a column (day) take.
const CELL: (u32, u32) = (16, 26);

pub fn write_roster_plot(path: &Path, roster: &Roster, agents: &[Agent]) -> Result<()> {
    let days = day_span(roster);
    let width = (160 + CELL.1 * days.len().max(1) as u32).min(4_000);
    let height = (90 + CELL.0 * agents.len().max(1) as u32).min(4_000);
    render_plot!(path, (width, height), |root| draw(
        root, roster, agents, &days
    ))
}

/// Every day from the first shift of the roster to the last.
fn day_span(roster: &Roster) -> Vec<i64> {
    let days = roster
        .assignments
        .iter()
        .map(|a| time::day_of_minute(a.start_minute));
    match (days.clone().min(), days.max()) {
        (Some(first), Some(last)) => (first..=last).collect(),
        _ => Vec::new(),
    }
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    roster: &Roster,
    agents: &[Agent],
    days: &[i64],
) -> std::result::Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| super::plot::drawing_error(e);
    root.fill(&WHITE).map_err(err)?;
    let first_day = days.first().copied().unwrap_or(0);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Roster: shifts by agent and day, coloured by start time (dark = night, yellow = evening)",
            ("sans-serif", 16),
        )
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(110)
        .build_cartesian_2d(0.0..days.len().max(1) as f64, 0.0..agents.len().max(1) as f64)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(days.len().clamp(1, 16))
        .x_label_formatter(&|x: &f64| {
            time::date_from_day(first_day + x.floor() as i64)
                .format("%m-%d")
                .to_string()
        })
        .y_labels(agents.len().clamp(1, 40))
        .y_label_formatter(&|y: &f64| {
            agents
                .get(y.floor() as usize)
                .map_or(String::new(), |a| a.name.chars().take(14).collect())
        })
        .label_style(("sans-serif", 11))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(roster.assignments.iter().map(|a| {
            let x = (time::day_of_minute(a.start_minute) - first_day) as f64;
            let y = a.agent as f64;
            let start_hour = a.start_minute.rem_euclid(MINUTES_PER_DAY) as f64 / 60.0;
            Rectangle::new(
                [(x + 0.05, y + 0.1), (x + 0.95, y + 0.9)],
                viridis(start_hour / 24.0).filled(),
            )
        }))
        .map_err(err)?;
    root.present().map_err(err)
}
