//! Dated time off (`time_off.csv`: `agent_id,date[,from,to]`): leave, training, anything an
//! agent asked for on a date. A hard rule, as leave is: no shift of the agent overlaps it.
//! Without `from` and `to` the whole day is off; with them, `from` up to `to` (the next day
//! when `to` is not after `from`).

use std::collections::HashMap;
use std::path::Path;

use super::agents::Agent;
use crate::error::{Result, WfmError};
use crate::schedule::plans::{clock_cell, date_cell};
use crate::time::MINUTES_PER_DAY;

/// One request of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeOff {
    /// Index of the agent in the agents file.
    pub agent: usize,
    pub start_minute: i64,
    pub end_minute: i64,
}

impl TimeOff {
    /// Whether the request takes any time of `days`.
    pub fn falls_on(&self, days: crate::time::DayRange) -> bool {
        use crate::time::MINUTES_PER_DAY;
        let (from, to) = (
            days.first * MINUTES_PER_DAY,
            (days.last + 1) * MINUTES_PER_DAY,
        );
        self.start_minute < to && self.end_minute > from
    }
}

/// Reads `time_off.csv` for `agents` and adds each request to its agent's
/// [`Agent::time_off`]; returns the requests, in file order.
pub fn read_time_off(path: &Path, agents: &mut [Agent]) -> Result<Vec<TimeOff>> {
    let file = crate::data::small_csv::read_small_csv(path)?;
    let header = "the time-off file's header (agent_id,date[,from,to])";
    let (id_column, date_column) = (
        file.require(path, "agent_id", header)?,
        file.require(path, "date", header)?,
    );
    let (from_column, to_column) = (file.column("from"), file.column("to"));
    let index: HashMap<String, usize> = (agents.iter().enumerate())
        .map(|(k, a)| (a.agent_id.clone(), k))
        .collect();
    let mut requests = Vec::new();
    for (row, record) in file.rows() {
        let bad = |column: &str, problem: String| WfmError::bad_value(path, row, column, problem);
        let cell = |column: Option<usize>| column.and_then(|k| record.get(k)).unwrap_or("").trim();
        let id = crate::data::csv_out::restore_text(cell(Some(id_column)));
        let agent = *index.get(id).ok_or_else(|| {
            bad(
                "agent_id",
                format!("\"{id}\" is not an agent of the agents file"),
            )
        })?;
        let day = date_cell(cell(Some(date_column)), &bad)?;
        let clock = |column: &str, text: &str| clock_cell(column, text, &bad);
        let (from, to) = (cell(from_column), cell(to_column));
        let (start_minute, end_minute) = match (from, to) {
            ("", "") => (day, day + MINUTES_PER_DAY),
            ("", _) | (_, "") => {
                let problem = "give both from and to (HH:MM), or neither for the whole day";
                return Err(bad(
                    if from.is_empty() { "from" } else { "to" },
                    problem.into(),
                ));
            }
            _ => {
                let (from, to) = (clock("from", from)?, clock("to", to)?);
                let to = if to <= from { to + MINUTES_PER_DAY } else { to };
                (day + from, day + to)
            }
        };
        agents[agent].time_off.push((start_minute, end_minute));
        requests.push(TimeOff {
            agent,
            start_minute,
            end_minute,
        });
    }
    Ok(requests)
}

/// The requests no shift of `roster` overlaps, of `requests`.
/// The requests that fall on the roster's `days`, each once: a leave file may hold the whole
/// year's, and a request repeated is one request.
pub fn requests_within(requests: &[TimeOff], days: crate::time::DayRange) -> Vec<TimeOff> {
    let mut within: Vec<TimeOff> = (requests.iter())
        .filter(|r| r.falls_on(days))
        .copied()
        .collect();
    within.sort_by_key(|r| (r.agent, r.start_minute, r.end_minute));
    within.dedup_by_key(|r| (r.agent, r.start_minute, r.end_minute));
    within
}

pub fn requests_met(requests: &[TimeOff], roster: &super::Roster) -> usize {
    requests
        .iter()
        .filter(|r| {
            !roster.assignments.iter().any(|a| {
                a.agent == r.agent && a.start_minute < r.end_minute && r.start_minute < a.end_minute
            })
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_days_and_hours_are_read_and_bad_rows_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("time_off.csv");
        std::fs::write(
            &path,
            "agent_id,date,from,to\na1,2024-01-03,,\na2,2024-01-04,22:00,06:00\n",
        )
        .unwrap();
        let mut agents = vec![Agent::new("a1", "Ana"), Agent::new("a2", "Ben")];
        let requests = read_time_off(&path, &mut agents).unwrap();
        let day = |d: i64| crate::time::days_from_civil(2024, 1, d as u32) * MINUTES_PER_DAY;
        assert_eq!(agents[0].time_off, [(day(3), day(4))]);
        assert_eq!(agents[1].time_off, [(day(4) + 1_320, day(5) + 360)]);
        assert_eq!(requests.len(), 2);
        assert!(
            agents[1].is_on_leave(day(5), day(5) + 480),
            "overlaps 00:00–06:00"
        );
        assert!(!agents[1].is_on_leave(day(5) + 360, day(5) + 840));
        for (text, expected) in [
            ("agent_id,date\nzz,2024-01-03\n", "\"zz\" is not an agent"),
            ("agent_id,date\na1,03/01/2024\n", "row 2, column \"date\""),
            (
                "agent_id,date,from,to\na1,2024-01-03,09:00,\n",
                "give both from and to",
            ),
            ("agent,date\n", "agent_id"),
        ] {
            std::fs::write(&path, text).unwrap();
            let error = read_time_off(&path, &mut agents).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }
}
