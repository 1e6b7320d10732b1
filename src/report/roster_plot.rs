//! The grid picture of `wfm roster`: one row per agent (every one labelled), one column per day
//! (weekday and date on top, weekends shaded). A worked day is coloured by its start time
//! (viridis over the 24 hours, in a legend), a day off is an empty outlined cell, and a day
//! with dated time off is crossed in red. A team too tall for one picture is drawn on pages of
//! `ROWS_PER_PAGE` agents: `roster.png`, `roster-2.png`, …

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot::{render_plot, viridis};
use crate::error::Result;
use crate::roster::{Agent, Roster};
use crate::time::{self, MINUTES_PER_DAY};

/// Pixels of a row (agent) and of a column (day).
const ROW: i32 = 16;
const COLUMN: i32 = 26;
/// Left margin for the labels, and the header above the grid (title, legend, days).
const LABELS: i32 = 200;
const HEADER: i32 = 104;
/// Pixels the legend takes across.
const LEGEND_WIDTH: i32 = 850;
/// Agents per picture: 150 rows make a picture about 2,500 pixels tall.
pub const ROWS_PER_PAGE: usize = 150;

const WEEKEND: RGBColor = RGBColor(222, 228, 240);
const DAY_OFF: RGBColor = RGBColor(190, 190, 190);
const TIME_OFF: RGBColor = RGBColor(210, 30, 40);

/// Draws `roster`'s grid at `path` (and the pages after the first beside it, see the module
/// notes); returns every path written.
pub fn write_roster_plot(path: &Path, roster: &Roster, agents: &[Agent]) -> Result<Vec<PathBuf>> {
    let days = day_span(roster);
    let pages = agents.len().div_ceil(ROWS_PER_PAGE).max(1);
    let mut written = Vec::new();
    for page in 0..pages {
        let rows = (page * ROWS_PER_PAGE)..((page + 1) * ROWS_PER_PAGE).min(agents.len());
        let page_path = page_path(path, page);
        // Wide enough for the legend on a short horizon.
        let width = (LABELS + COLUMN * days.len().max(1) as i32 + 20).max(LEGEND_WIDTH) as u32;
        let height = (HEADER + ROW * rows.len().max(1) as i32 + 30) as u32;
        let title = if pages > 1 {
            format!(
                "Roster: shifts by agent and day (agents {}–{} of {})",
                rows.start + 1,
                rows.end,
                agents.len()
            )
        } else {
            "Roster: shifts by agent and day".to_string()
        };
        let grid = Grid {
            roster,
            agents,
            rows,
            days: &days,
            several_queues: roster.queues().len() > 1,
        };
        render_plot!(&page_path, (width, height), |root| grid.draw(root, &title))?;
        written.push(page_path);
    }
    Ok(written)
}

/// `path` for the first page, `stem-N.ext` for page N (from 2).
fn page_path(path: &Path, page: usize) -> PathBuf {
    match page {
        0 => path.to_path_buf(),
        _ => super::plot::suffixed_plot_path(path, &(page + 1).to_string()),
    }
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

/// One page: the agents of `rows` over `days`.
struct Grid<'a> {
    roster: &'a Roster,
    agents: &'a [Agent],
    rows: std::ops::Range<usize>,
    days: &'a [i64],
    several_queues: bool,
}

type Drawn = std::result::Result<(), String>;

impl Grid<'_> {
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>, title: &str) -> Drawn {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| super::plot::drawing_error(e);
        root.fill(&WHITE).map_err(err)?;
        let text = |size: u32| ("sans-serif", size).into_font().color(&BLACK);
        root.draw(&Text::new(title.to_string(), (10, 8), text(16)))
            .map_err(err)?;
        self.legend(&root).map_err(err)?;
        let bottom = HEADER + ROW * self.rows.len() as i32;
        // Weekend columns shaded under everything, with the weekday and date above each day.
        for (i, &day) in self.days.iter().enumerate() {
            let x = LABELS + COLUMN * i as i32;
            let date = time::date_from_day(day);
            if time::weekday_of_minute(day * MINUTES_PER_DAY) >= 5 {
                root.draw(&Rectangle::new(
                    [(x, HEADER - 30), (x + COLUMN, bottom)],
                    WEEKEND.filled(),
                ))
                .map_err(err)?;
            }
            let centred = Pos::new(HPos::Center, VPos::Top);
            for (label, y) in [
                (date.format("%a").to_string()[..2].to_string(), HEADER - 28),
                (date.format("%d").to_string(), HEADER - 14),
            ] {
                root.draw(&Text::new(
                    label,
                    (x + COLUMN / 2, y),
                    text(11).pos(centred),
                ))
                .map_err(err)?;
            }
        }
        if let (Some(&first), Some(&last)) = (self.days.first(), self.days.last()) {
            let span = format!(
                "{} to {}",
                time::date_from_day(first).format("%Y-%m-%d"),
                time::date_from_day(last).format("%Y-%m-%d")
            );
            root.draw(&Text::new(span, (LABELS, bottom + 8), text(11)))
                .map_err(err)?;
        }
        for (row, k) in self.rows.clone().enumerate() {
            self.agent_row(&root, row as i32, k).map_err(err)?;
        }
        root.present().map_err(err)
    }

    /// Agent `k` in row `row` of the page: the label, then a cell per day.
    fn agent_row<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        row: i32,
        k: usize,
    ) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let agent = &self.agents[k];
        let y = HEADER + ROW * row;
        let mut label: String = agent.name.chars().take(22).collect();
        if self.several_queues {
            let queues = self.roster.queues_of(k).join("+");
            if !queues.is_empty() {
                label = format!("{label} · {queues}");
            }
        }
        let label: String = label.chars().take(30).collect();
        root.draw(&Text::new(
            label,
            (LABELS - 6, y + ROW / 2),
            ("sans-serif", 11)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        let first_day = self.days.first().copied().unwrap_or(0);
        let mut worked = vec![false; self.days.len()];
        for a in self.roster.assignments.iter().filter(|a| a.agent == k) {
            let i = time::day_of_minute(a.start_minute) - first_day;
            let Some(slot) = usize::try_from(i).ok().and_then(|i| worked.get_mut(i)) else {
                continue;
            };
            *slot = true;
            let x = LABELS + COLUMN * i as i32;
            let start_hour = a.start_minute.rem_euclid(MINUTES_PER_DAY) as f64 / 60.0;
            root.draw(&Rectangle::new(
                [(x + 2, y + 2), (x + COLUMN - 2, y + ROW - 2)],
                viridis(start_hour / 24.0).filled(),
            ))?;
        }
        for (i, &day) in self.days.iter().enumerate() {
            let x = LABELS + COLUMN * i as i32;
            if !worked[i] {
                root.draw(&Rectangle::new(
                    [(x + 3, y + 3), (x + COLUMN - 3, y + ROW - 3)],
                    DAY_OFF.stroke_width(1),
                ))?;
            }
            let (from, to) = (day * MINUTES_PER_DAY, (day + 1) * MINUTES_PER_DAY);
            if agent.time_off.iter().any(|&(s, e)| s < to && e > from) {
                cross(root, x, y)?;
            }
        }
        Ok(())
    }

    /// The colours of the start times, the day off, the time off and the weekend.
    fn legend<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let y = 34;
        let font = || ("sans-serif", 11).into_font().color(&BLACK);
        root.draw(&Text::new("shift starts at", (10, y + 2), font()))?;
        let mut x = 100;
        for hour in (0..24).step_by(3) {
            root.draw(&Rectangle::new(
                [(x, y), (x + 18, y + 12)],
                viridis(hour as f64 / 24.0).filled(),
            ))?;
            root.draw(&Text::new(format!("{hour:02}:00"), (x + 22, y + 1), font()))?;
            x += 60;
        }
        x += 10;
        root.draw(&Rectangle::new(
            [(x + 1, y + 1), (x + 17, y + 11)],
            DAY_OFF.stroke_width(1),
        ))?;
        root.draw(&Text::new("day off", (x + 22, y + 1), font()))?;
        x += 70;
        cross(root, x - 4, y - 2)?;
        root.draw(&Text::new("time off", (x + 22, y + 1), font()))?;
        x += 75;
        root.draw(&Rectangle::new(
            [(x, y), (x + 18, y + 12)],
            WEEKEND.filled(),
        ))?;
        root.draw(&Text::new("weekend", (x + 22, y + 1), font()))?;
        Ok(())
    }
}

/// A red cross over the cell at `x`, `y`: dated time off.
fn cross<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: i32,
    y: i32,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let style = TIME_OFF.stroke_width(2);
    let (left, right, top, low) = (x + 7, x + COLUMN - 7, y + 3, y + ROW - 3);
    root.draw(&PathElement::new(vec![(left, top), (right, low)], style))?;
    root.draw(&PathElement::new(vec![(left, low), (right, top)], style))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_team_taller_than_a_page_is_drawn_on_pages_with_every_agent() {
        use crate::roster::Assignment;
        let agents: Vec<Agent> = (0..ROWS_PER_PAGE + 10)
            .map(|k| Agent::new(format!("a{k}"), format!("Agent {k}")))
            .collect();
        let monday = 19_723 * MINUTES_PER_DAY;
        let roster = Roster {
            assignments: (0..agents.len())
                .map(|k| Assignment {
                    agent: k,
                    region: "north".into(),
                    start_minute: monday + 480 + (k as i64 % 7) * MINUTES_PER_DAY,
                    end_minute: monday + 960 + (k as i64 % 7) * MINUTES_PER_DAY,
                    paid_hours: 8.0,
                    break_minutes: None,
                })
                .collect(),
            ..Default::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("roster.svg");
        let written = write_roster_plot(&path, &roster, &agents).unwrap();
        assert_eq!(written, vec![path.clone(), dir.path().join("roster-2.svg")]);
        let first = std::fs::read_to_string(&path).unwrap();
        let second = std::fs::read_to_string(&written[1]).unwrap();
        // Every agent is labelled once, on their page; the legend is on each.
        let label = |k: usize| format!(">\nAgent {k}\n<");
        assert!(first.contains(&label(0)) && first.contains(&label(149)));
        assert!(!first.contains(&label(150)) && second.contains(&label(159)));
        assert!(first.contains("time off") && second.contains("weekend"));
    }

    #[test]
    fn pages_after_the_first_are_numbered_beside_it() {
        let path = Path::new("out/roster.png");
        assert_eq!(page_path(path, 0), PathBuf::from("out/roster.png"));
        assert_eq!(page_path(path, 2), PathBuf::from("out/roster-3.png"));
    }
}
