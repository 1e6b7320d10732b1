//! The roster's files: `roster.csv` (one row per agent and shift) written and read back, and
//! the wide file (one column per day) a planner reads.

use std::collections::HashMap;
use std::path::Path;

use super::agents::Agent;
use super::assignments::{Assignment, Roster};
use crate::data::csv_out::write_csv;
use crate::error::{Result, WfmError};
use crate::schedule::plans::ShiftTimes;
use crate::time::{self, naive_from_minutes};

/// The columns of `roster.csv`: `region` is the queue the shift works, `end_date` is filled
/// where a shift ends the next day.
pub const ROSTER_COLUMNS: [&str; 10] = [
    "agent_id",
    "name",
    "region",
    "date",
    "start",
    "end",
    "paid_hours",
    "break_start",
    "break_end",
    "end_date",
];

impl Roster {
    /// Writes `roster.csv`: one row per agent and shift, by agent then time.
    pub fn write(&self, path: &Path, agents: &[Agent]) -> Result<()> {
        let roster = self;
        let mut rows: Vec<_> = roster.assignments.iter().collect();
        rows.sort_by_key(|a| (a.agent, a.start_minute));
        write_csv(path, &ROSTER_COLUMNS, |out| {
            for a in rows {
                let agent = &agents[a.agent];
                let (start, end) = (
                    naive_from_minutes(a.start_minute),
                    naive_from_minutes(a.end_minute),
                );
                out.text(&agent.agent_id)?;
                out.text(&agent.name)?;
                out.text(&a.region)?;
                out.value(start.format("%Y-%m-%d"))?;
                out.value(start.format("%H:%M"))?;
                out.value(end.format("%H:%M"))?;
                out.number(a.paid_hours, 2)?;
                match a.break_minutes {
                    Some((b, e)) => {
                        out.value(naive_from_minutes(b).format("%H:%M"))?;
                        out.value(naive_from_minutes(e).format("%H:%M"))?;
                    }
                    None => {
                        out.empty()?;
                        out.empty()?;
                    }
                }
                if end.date() != start.date() {
                    out.value(end.format("%Y-%m-%d"))?;
                } else {
                    out.empty()?;
                }
                out.end_row()?;
            }
            Ok(())
        })
    }

    /// Writes the roster wide: `agent_id,name,region` (the queues the agent works, `+` between
    /// them) and one column per day of the plan, each cell the shift's `HH:MM-HH:MM` (and its
    /// queue, `HH:MM-HH:MM EMS`, when the roster has several) or `off`.
    pub fn write_wide(&self, path: &Path, agents: &[Agent]) -> Result<()> {
        let roster = self;
        let days: Vec<i64> = {
            let mut d: Vec<i64> = roster
                .assignments
                .iter()
                .map(|a| time::day_of_minute(a.start_minute))
                .chain(
                    roster
                        .unassigned
                        .iter()
                        .map(|u| time::day_of_minute(u.start_minute)),
                )
                .collect();
            d.sort_unstable();
            d.dedup();
            match (d.first(), d.last()) {
                (Some(&first), Some(&last)) => (first..=last).collect(),
                _ => Vec::new(),
            }
        };
        let dates: Vec<String> = days
            .iter()
            .map(|&d| time::date_from_day(d).format("%Y-%m-%d").to_string())
            .collect();
        let mut header = vec!["agent_id", "name", "region"];
        header.extend(dates.iter().map(String::as_str));
        // Each agent's first shift of each day, found once.
        let mut on_day: HashMap<(usize, i64), &Assignment> = HashMap::new();
        for a in &roster.assignments {
            let key = (a.agent, time::day_of_minute(a.start_minute));
            on_day
                .entry(key)
                .and_modify(|first| {
                    if a.start_minute < first.start_minute {
                        *first = a;
                    }
                })
                .or_insert(a);
        }
        let several_queues = roster.queues().len() > 1;
        write_csv(path, &header, |out| {
            for (k, agent) in agents.iter().enumerate() {
                out.text(&agent.agent_id)?;
                out.text(&agent.name)?;
                out.text(&roster.queues_of(k).join("+"))?;
                for &day in &days {
                    match on_day.get(&(k, day)) {
                        Some(a) => {
                            let (start, end) = (
                                naive_from_minutes(a.start_minute).format("%H:%M"),
                                naive_from_minutes(a.end_minute).format("%H:%M"),
                            );
                            if several_queues {
                                out.text(&format!("{start}-{end} {}", a.region))?
                            } else {
                                out.value(format_args!("{start}-{end}"))?
                            }
                        }
                        None => out.value("off")?,
                    }
                }
                out.end_row()?;
            }
            Ok(())
        })
    }

    /// Reads `roster.csv` as [`Roster::write`] writes it, for the agents of `agents` (named by
    /// `agent_id`); the shifts' queue is read from a `region` column when the file has one.
    /// The file holds the assignments only: no unassigned shifts, no notes.
    pub fn read(path: &Path, agents: &[Agent]) -> Result<Roster> {
        let file = crate::data::small_csv::read_small_csv(path)?;
        let header = "the roster's header (as wfm roster writes it)";
        // `region` and `end_date` may be missing (a roster written before wfm had them).
        let required: Vec<&str> = (ROSTER_COLUMNS.iter().copied())
            .filter(|c| !matches!(*c, "region" | "end_date"))
            .collect();
        let mut column = [0usize; 8];
        for (k, name) in required.iter().enumerate() {
            column[k] = file.require(path, name, header)?;
        }
        let (end_date, region) = (file.column("end_date"), file.column("region"));
        let index: HashMap<&str, usize> = (agents.iter().enumerate())
            .map(|(k, a)| (a.agent_id.as_str(), k))
            .collect();
        let mut assignments = Vec::new();
        for (row, record) in file.rows() {
            let bad =
                |column: &str, problem: String| WfmError::bad_value(path, row, column, problem);
            let cell = |k: usize| record.get(column[k]).unwrap_or("");
            let id = crate::data::csv_out::restore_text(cell(0));
            let agent = *index.get(id).ok_or_else(|| {
                bad(
                    "agent_id",
                    format!("\"{id}\" is not an agent of the agents file"),
                )
            })?;
            let times = ShiftTimes::parse([2, 3, 4, 5, 6, 7].map(cell), &bad)?;
            let ends_on = naive_from_minutes(times.end_minute).date();
            let written = end_date.and_then(|k| record.get(k)).unwrap_or("");
            let expected = match ends_on == naive_from_minutes(times.start_minute).date() {
                true => String::new(),
                false => ends_on.format("%Y-%m-%d").to_string(),
            };
            if written != expected {
                let problem = format!("\"{written}\": the shift ends on {ends_on}");
                return Err(bad("end_date", problem));
            }
            let region = region.and_then(|k| record.get(k)).unwrap_or("");
            assignments.push(Assignment {
                agent,
                region: crate::data::csv_out::restore_text(region).to_string(),
                start_minute: times.start_minute,
                end_minute: times.end_minute,
                paid_hours: times.paid_hours,
                break_minutes: times.break_minutes,
            });
        }
        Ok(Roster {
            assignments,
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_roster_reads_back_what_was_written() {
        let agents = vec![Agent::new("a1", "Ann"), Agent::new("=b2", "Bob")];
        let shift = |agent, start_minute, end_minute, paid_hours, break_minutes| Assignment {
            agent,
            region: String::new(),
            start_minute,
            end_minute,
            paid_hours,
            break_minutes,
        };
        let roster = Roster {
            assignments: vec![
                // A night shift 22:00–06:00 with its break after midnight, then a day shift.
                shift(0, 1_320, 1_800, 7.5, Some((1_560, 1_590))),
                shift(0, 2_880 + 480, 2_880 + 960, 8.0, None),
                shift(1, 1_440 + 480, 1_440 + 720, 4.0, None),
            ],
            ..Default::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("roster.csv");
        roster.write(&path, &agents).unwrap();
        let read = Roster::read(&path, &agents).unwrap();
        assert_eq!(read.assignments, roster.assignments);
        // An agent the agents file does not have is named with its row.
        let error = Roster::read(&path, &agents[..1]).unwrap_err().to_string();
        assert!(
            error.contains("row 4") && error.contains("\"=b2\""),
            "{error}"
        );
        // An end date that is not the shift's end.
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace(",1970-01-02\n", ",1970-01-03\n")).unwrap();
        let error = Roster::read(&path, &agents).unwrap_err().to_string();
        assert!(error.contains("end_date"), "{error}");
    }
}
