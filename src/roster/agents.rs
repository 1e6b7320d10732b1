//! The agents file of `wfm roster`: `agent_id,name[,region][,contract_hours_per_week]
//! [,min_hours_per_week][,earliest_start][,latest_end][,days_off][,preferred_start]
//! [,preferred_days_off][,preference_weight][,skills]`,
//! one row per person. Every cell is checked here, naming its row and column.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::rules::MAX_WEEKLY_HOURS;
use crate::data::csv_out::restore_text;
use crate::error::{Result, WfmError};
use crate::time::WEEKDAY_NAMES;

/// One person who can be rostered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agent {
    pub agent_id: String,
    pub name: String,
    /// The region (queue) the agent works; `None` for any.
    pub region: Option<String>,
    /// Contracted hours a week; `None` takes the rules' default.
    pub contract_hours_per_week: Option<f64>,
    /// Fewest hours a week the agent must get.
    pub min_hours_per_week: Option<f64>,
    /// Earliest shift start, minutes after midnight.
    pub earliest_start_minute: Option<u32>,
    /// Latest shift end, minutes after midnight (up to 1,440).
    pub latest_end_minute: Option<u32>,
    /// Weekdays (bit 0 = Monday) the agent never works.
    pub days_off: u8,
    /// Preferred shift start, minutes after midnight.
    pub preferred_start_minute: Option<u32>,
    /// Weekdays (bit 0 = Monday) the agent would rather have off: a preference, not a rule.
    pub preferred_days_off: u8,
    /// How much the agent's preferences count against other agents' (default 1).
    pub preference_weight: f64,
    /// Further regions (queues) the agent may work besides `region`; with no `region`, the
    /// only ones.
    pub skills: Vec<String>,
    /// Dated time off (leave, training), `[start, end)` in wall-clock minutes: a hard rule
    /// (`time_off.csv`, read by `roster::time_off`).
    pub time_off: Vec<(i64, i64)>,
}

impl Agent {
    /// An agent with only an id and a name: any region, the rules' contract, no limits and no
    /// preferences (weight 1), as a file row with only those two columns reads.
    pub fn new(agent_id: impl Into<String>, name: impl Into<String>) -> Agent {
        Agent {
            agent_id: agent_id.into(),
            name: name.into(),
            region: None,
            contract_hours_per_week: None,
            min_hours_per_week: None,
            earliest_start_minute: None,
            latest_end_minute: None,
            days_off: 0,
            preferred_start_minute: None,
            preferred_days_off: 0,
            preference_weight: 1.0,
            skills: Vec::new(),
            time_off: Vec::new(),
        }
    }

    /// Whether a shift `[start_minute, end_minute)` overlaps the agent's dated time off.
    pub fn is_on_leave(&self, start_minute: i64, end_minute: i64) -> bool {
        (self.time_off.iter()).any(|&(from, to)| start_minute < to && from < end_minute)
    }

    /// Hours of dated time off that count towards the week from Monday `monday` (a day
    /// number): leave is paid, so a week with leave needs fewer hours worked. A day with time
    /// off that the agent does not work (`works` says which they do) counts a working day of
    /// the contract (a fifth of `contract_hours_per_week`): the leave took that day's shift. A
    /// day they work counts the hours it is off, up to a working day.
    pub fn leave_hours_in_week(
        &self,
        monday: i64,
        contract_hours_per_week: f64,
        works: &dyn Fn(i64) -> bool,
    ) -> f64 {
        use crate::time::MINUTES_PER_DAY;
        if self.time_off.is_empty() {
            return 0.0;
        }
        let day_hours = contract_hours_per_week / 5.0;
        (monday..monday + 7)
            .map(|day| {
                let (from, to) = (day * MINUTES_PER_DAY, (day + 1) * MINUTES_PER_DAY);
                let minutes: i64 = (self.time_off.iter())
                    .map(|&(s, e)| (e.min(to) - s.max(from)).max(0))
                    .sum();
                match (minutes, works(day)) {
                    (0, _) => 0.0,
                    (_, false) => day_hours,
                    (_, true) => (minutes as f64 / 60.0).min(day_hours),
                }
            })
            .sum()
    }

    /// Whether day number `day` off is the agent's own: a weekday they never work, or a day of
    /// their dated time off. Such a day off alone between days worked is theirs, not the
    /// roster's (`consecutive_days_off`).
    pub fn own_day_off(&self, day: i64) -> bool {
        use crate::time::{weekday_of_minute, MINUTES_PER_DAY};
        let (from, to) = (day * MINUTES_PER_DAY, (day + 1) * MINUTES_PER_DAY);
        self.days_off & (1 << weekday_of_minute(from)) != 0
            || (self.time_off.iter()).any(|&(s, e)| s < to && e > from)
    }

    /// Whether the agent may work in `region`: their own, one of their skills, or any when the
    /// file gives neither.
    pub fn may_work_in(&self, region: &str) -> bool {
        match &self.region {
            Some(own) if own == region => true,
            _ if self.skills.iter().any(|s| s == region) => true,
            None => self.skills.is_empty(),
            Some(_) => false,
        }
    }

    /// The one region the agent may work in, if they may work in only one.
    pub fn only_region(&self) -> Option<&str> {
        let mut regions = self.region.iter().chain(&self.skills).map(String::as_str);
        let first = regions.next()?;
        regions.all(|r| r == first).then_some(first)
    }

    /// Whether the agent has `weekday` (0 = Monday) off by request.
    pub fn is_off_on(&self, weekday: usize) -> bool {
        self.days_off & (1 << weekday) != 0
    }

    /// Whether a shift starting at `start_minute` starts within `window_minutes` of the
    /// preferred start (around midnight: 23:30 is 30 minutes from 00:00); `None` without one.
    pub fn preferred_start_met(&self, start_minute: i64, window_minutes: i64) -> Option<bool> {
        use crate::time::MINUTES_PER_DAY;
        self.preferred_start_minute.map(|p| {
            let apart = (start_minute - p as i64).rem_euclid(MINUTES_PER_DAY);
            apart.min(MINUTES_PER_DAY - apart) <= window_minutes
        })
    }

    /// Preferences a shift starting at `start_minute` misses: its start (see
    /// `preferred_start_met`) and a preferred day off worked.
    pub fn preferences_missed(&self, start_minute: i64, window_minutes: i64) -> u32 {
        let far = self.preferred_start_met(start_minute, window_minutes) == Some(false);
        let day_off =
            self.preferred_days_off & (1 << crate::time::weekday_of_minute(start_minute)) != 0;
        u32::from(far) + u32::from(day_off)
    }
}

/// The lower-case full name of a weekday from its three-letter name.
fn full_day_name(short: &str) -> &'static str {
    match short {
        "Mon" => "monday",
        "Tue" => "tuesday",
        "Wed" => "wednesday",
        "Thu" => "thursday",
        "Fri" => "friday",
        "Sat" => "saturday",
        _ => "sunday",
    }
}

/// The header an agents file's messages show as an example.
pub const EXAMPLE_HEADER: &str = "agent_id,name,region,contract_hours_per_week,days_off";

/// The most agents one `wfm roster` run takes (README, "Limits"): their tours are matched to
/// them by a minimum-cost assignment whose time grows with the square of the agents.
pub const MAX_AGENTS_IN_FILE: usize = 5_000;

/// The largest preference weight: enough to rank agents, small enough to stay below a hire.
const MAX_PREFERENCE_WEIGHT: f64 = 100.0;

/// The columns an agents file may have; `agent_id` and `name` are required.
const COLUMNS: [&str; 12] = [
    "agent_id",
    "name",
    "region",
    "contract_hours_per_week",
    "min_hours_per_week",
    "earliest_start",
    "latest_end",
    "days_off",
    "preferred_start",
    "preferred_days_off",
    "preference_weight",
    "skills",
];

/// Reads and checks an agents file: ids present and unique, hours within 0–80 a week with the
/// minimum below the contract, times `HH:MM`, an earliest start before the latest end, weekday
/// names, and no unknown column (a typo would otherwise drop a rule silently).
pub fn read_agents(path: &Path) -> Result<Vec<Agent>> {
    let invalid = |message: String| WfmError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    // The shared reader's hints name a history's header; an agents file says its own.
    let is_blank = std::fs::read(path)
        .map(|bytes| bytes.iter().all(u8::is_ascii_whitespace))
        .unwrap_or(false);
    if is_blank {
        return Err(invalid(format!(
            "the agents file is empty (expected a header line such as {EXAMPLE_HEADER}, then one row per agent)"
        )));
    }
    let file = crate::data::small_csv::read_small_csv(path)?;
    let header = &file.header;
    // A column given twice is refused by the reader, naming both fields.
    for required in ["agent_id", "name"] {
        file.require(
            path,
            required,
            "the agents file's header (agent_id,name,...)",
        )?;
    }
    if let Some(unknown) = header.iter().find(|h| !COLUMNS.contains(&h.as_str())) {
        return Err(WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "row 1: unknown column \"{unknown}\" (expected {})",
                COLUMNS.join(", ")
            ),
        });
    }
    let column = |name: &str| file.column(name);
    let mut agents = Vec::new();
    let mut row_of: HashMap<String, usize> = HashMap::new();
    for (row, record) in file.rows() {
        let bad = |col: &str, problem: String| WfmError::bad_value(path, row, col, problem);
        let text = |name: &str| -> Option<&str> {
            column(name)
                .and_then(|c| record.get(c))
                .map(restore_text)
                .filter(|t| !t.is_empty())
        };
        let agent_id = text("agent_id")
            .ok_or_else(|| bad("agent_id", "empty value (expected an id)".into()))?
            .to_string();
        if let Some(first) = row_of.insert(agent_id.clone(), row) {
            return Err(bad(
                "agent_id",
                format!("\"{agent_id}\" is used again (first in row {first}); ids are unique"),
            ));
        }
        let hours = |name: &str| -> Result<Option<f64>> {
            text(name)
                .map(|t| {
                    t.parse::<f64>()
                        .ok()
                        .filter(|h| (0.0..=MAX_WEEKLY_HOURS).contains(h))
                        .ok_or_else(|| {
                            bad(
                                name,
                                format!("cannot use \"{t}\" (expected hours a week from 0 to 80)"),
                            )
                        })
                })
                .transpose()
        };
        let clock = |name: &str| -> Result<Option<u32>> {
            text(name)
                .map(|t| {
                    crate::schedule::templates::parse_clock(t)
                        .ok_or_else(|| bad(name, format!("cannot read \"{t}\" as a time HH:MM")))
                })
                .transpose()
        };
        let contract = hours("contract_hours_per_week")?;
        let minimum = hours("min_hours_per_week")?;
        if let (Some(c), Some(m)) = (contract, minimum) {
            if m > c {
                return Err(bad(
                    "min_hours_per_week",
                    format!("{m} is more than the contract's {c} hours"),
                ));
            }
        }
        let (earliest, latest) = (clock("earliest_start")?, clock("latest_end")?);
        if let (Some(e), Some(l)) = (earliest, latest) {
            if e >= l {
                return Err(bad(
                    "latest_end",
                    "the latest end is not after the earliest start".into(),
                ));
            }
        }
        agents.push(Agent {
            time_off: Vec::new(),
            name: text("name")
                .ok_or_else(|| bad("name", "empty value (expected a name)".into()))?
                .to_string(),
            region: text("region").map(str::to_string),
            contract_hours_per_week: contract,
            min_hours_per_week: minimum,
            earliest_start_minute: earliest,
            latest_end_minute: latest,
            days_off: match text("days_off") {
                Some(t) => parse_days_off(t).map_err(|problem| bad("days_off", problem))?,
                None => 0,
            },
            preferred_start_minute: clock("preferred_start")?,
            preferred_days_off: match text("preferred_days_off") {
                Some(t) => {
                    parse_days_off(t).map_err(|problem| bad("preferred_days_off", problem))?
                }
                None => 0,
            },
            preference_weight: match text("preference_weight") {
                Some(t) => t
                    .parse::<f64>()
                    .ok()
                    .filter(|w| (0.0..=MAX_PREFERENCE_WEIGHT).contains(w))
                    .ok_or_else(|| {
                        bad(
                            "preference_weight",
                            format!("cannot use \"{t}\" (expected a weight from 0 to 100)"),
                        )
                    })?,
                None => 1.0,
            },
            skills: text("skills")
                .map(|t| list_items(t).map(str::to_string).collect())
                .unwrap_or_default(),
            agent_id,
        });
    }
    if agents.is_empty() {
        return Err(invalid(format!(
            "no agents after the header (expected one row per agent, e.g. under {EXAMPLE_HEADER})"
        )));
    }
    if agents.len() > MAX_AGENTS_IN_FILE {
        return Err(invalid(format!(
            "{} agents: wfm roster takes at most {MAX_AGENTS_IN_FILE} (split the file by region and roster each)",
            agents.len()
        )));
    }
    Ok(agents)
}

/// The items of a list cell (`days_off`, `preferred_days_off`, `skills`): separated by commas,
/// semicolons, spaces or `|`, as spreadsheets and people write lists.
fn list_items(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';', ' ', '|']).filter(|w| !w.is_empty())
}

/// `Sat Sun`, `Sat,Sun`, `sat;sun` or `Saturday` → a weekday mask (bit 0 = Monday). A day is
/// its English name or the first three letters or more of it (`Tue`, `Tues`, `Tuesday`).
fn parse_days_off(text: &str) -> std::result::Result<u8, String> {
    let mut mask = 0u8;
    for word in list_items(text) {
        let lower = word.to_ascii_lowercase();
        let day = WEEKDAY_NAMES
            .iter()
            .position(|d| lower.len() >= 3 && full_day_name(d).starts_with(&lower))
            .ok_or_else(|| {
                format!("cannot read \"{word}\" as a weekday (expected names such as Sat,Sun or Sat Sun)")
            })?;
        mask |= 1 << day;
    }
    if mask == 0x7f {
        return Err(format!("\"{text}\" takes every day off"));
    }
    Ok(mask)
}

/// Agents (`unmatched`, indices into `agents`) whose region and skills match none of the
/// requirement's `queues`: who they are, by region, and the queues there are.
pub fn unmatched_message(agents: &[Agent], unmatched: &[usize], queues: &[&str]) -> String {
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for &k in unmatched {
        let agent = &agents[k];
        let key = agent
            .region
            .iter()
            .chain(&agent.skills)
            .map(|r| format!("\"{r}\""))
            .collect::<Vec<_>>()
            .join(", ");
        match groups.iter_mut().find(|g| g.0 == key) {
            Some(g) => g.1.push(&agent.agent_id),
            None => groups.push((key, vec![&agent.agent_id])),
        }
    }
    let shown: Vec<String> = groups
        .iter()
        .take(5)
        .map(|(regions, ids)| {
            let mut names = ids.iter().take(3).copied().collect::<Vec<_>>().join(", ");
            if ids.len() > 3 {
                names.push_str(&format!(" and {} more", ids.len() - 3));
            }
            format!("{regions} ({names})")
        })
        .collect();
    format!(
        "{} of the {} agent(s) may work in no queue of the requirement: columns \"region\" and \"skills\" give {}{}; the requirement's queues are {} (fix the regions or skills, or roster the queues they name)",
        unmatched.len(),
        agents.len(),
        shown.join("; "),
        if groups.len() > 5 { "; …" } else { "" },
        queues
            .iter()
            .map(|q| format!("\"{q}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leave_counts_a_working_day_when_it_takes_the_shift_else_its_hours() {
        use crate::time::MINUTES_PER_DAY;
        // Monday 2024-01-01: a whole Tuesday off and 08:00–12:00 on Thursday; a whole Monday
        // of the next week.
        let monday = 19_723;
        let day = |d: i64| (monday + d) * MINUTES_PER_DAY;
        let agent = Agent {
            time_off: vec![
                (day(1), day(2)),
                (day(3) + 480, day(3) + 720),
                (day(7), day(8)),
            ],
            ..Agent::new("a", "A")
        };
        // Working Thursday: 40 h makes a working day 8 h, so 8 + 4; 20 h: 4 + 4.
        let thursday = |d: i64| d == monday + 3;
        assert_eq!(agent.leave_hours_in_week(monday, 40.0, &thursday), 12.0);
        assert_eq!(agent.leave_hours_in_week(monday, 20.0, &thursday), 8.0);
        // Not working Thursday: its morning off took the day's shift, a whole working day.
        assert_eq!(agent.leave_hours_in_week(monday, 40.0, &|_| false), 16.0);
        assert_eq!(agent.leave_hours_in_week(monday + 7, 40.0, &|_| true), 8.0);
        assert_eq!(
            agent.leave_hours_in_week(monday + 14, 40.0, &|_| false),
            0.0
        );
    }

    #[test]
    fn skills_add_regions_and_no_region_nor_skill_means_any() {
        let mut ana = Agent {
            region: Some("EMS".into()),
            ..Agent::new("a", "Ana")
        };
        assert!(ana.may_work_in("EMS") && !ana.may_work_in("Fire"));
        assert_eq!(ana.only_region(), Some("EMS"));
        ana.skills = vec!["Fire".into()];
        assert!(ana.may_work_in("EMS") && ana.may_work_in("Fire") && !ana.may_work_in("Traffic"));
        assert_eq!(ana.only_region(), None);
        ana.region = None;
        assert!(!ana.may_work_in("EMS") && ana.may_work_in("Fire"));
        assert_eq!(ana.only_region(), Some("Fire"));
        ana.skills.clear();
        assert!(ana.may_work_in("anything"));
        assert_eq!(ana.only_region(), None);
    }

    fn read(text: &str) -> Result<Vec<Agent>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agents.csv");
        std::fs::write(&path, text).unwrap();
        read_agents(&path)
    }

    #[test]
    fn reads_every_column() {
        let agents = read(
            "agent_id,name,region,contract_hours_per_week,min_hours_per_week,earliest_start,latest_end,days_off,preferred_start,preferred_days_off,preference_weight,skills\n\
             a1,Ana,north,40,32,07:00,20:00,Sat Sun,08:00,Fri,2.5,chat;phone\n\
             b2,'=Bob,,,,,,,,,,\n",
        )
        .unwrap();
        assert_eq!(agents.len(), 2);
        let ana = &agents[0];
        assert_eq!(ana.contract_hours_per_week, Some(40.0));
        assert_eq!(ana.earliest_start_minute, Some(420));
        assert_eq!(ana.latest_end_minute, Some(1_200));
        assert!(ana.is_off_on(5) && ana.is_off_on(6) && !ana.is_off_on(0));
        assert_eq!(ana.skills, ["chat", "phone"]);
        assert_eq!(
            (ana.preferred_days_off, ana.preference_weight),
            (0b001_0000, 2.5)
        );
        assert_eq!(agents[1].preference_weight, 1.0, "the default weight");
        assert_eq!(
            agents[1].name, "=Bob",
            "a neutralised name reads back as it was"
        );
        assert_eq!(agents[1].days_off, 0);
    }

    #[test]
    fn list_fields_take_commas_semicolons_and_spaces() {
        // Issue 20: "Tue,Thu" was read as Tuesday alone, and the agent worked Thursday.
        let agents = read(
            "agent_id,name,days_off,preferred_days_off,skills\n\
             a,Ana,\"Tue,Thu\",\"Sat, Sun\",\"chat,phone;email\"\n\
             b,Bo,Mon;Wednesday|fri,sat sun,chat\n",
        )
        .unwrap();
        assert_eq!(agents[0].days_off, 0b000_1010, "Tuesday and Thursday");
        assert_eq!(agents[0].preferred_days_off, 0b110_0000);
        assert_eq!(agents[0].skills, ["chat", "phone", "email"]);
        assert_eq!(agents[1].days_off, 0b001_0101);
        assert_eq!(agents[1].preferred_days_off, 0b110_0000);
    }

    #[test]
    fn refuses_what_it_cannot_use_naming_row_and_column() {
        for (text, expected) in [
            (
                "agent_id,name\na,Ana\na,Bo\n",
                "row 3, column \"agent_id\": \"a\" is used again (first in row 2)",
            ),
            (
                "agent_id,name,contract_hours_per_week\na,Ana,90\n",
                "row 2, column \"contract_hours_per_week\"",
            ),
            (
                "agent_id,name,contract_hours_per_week,min_hours_per_week\na,Ana,20,30\n",
                "30 is more than the contract's 20",
            ),
            (
                "agent_id,name,earliest_start,latest_end\na,Ana,18:00,09:00\n",
                "not after the earliest start",
            ),
            (
                "agent_id,name,days_off\na,Ana,Caturday\n",
                "\"Caturday\" as a weekday",
            ),
            (
                "agent_id,name,days_off\na,Ana,Mon Tue Wed Thu Fri Sat Sun\n",
                "takes every day off",
            ),
            (
                "agent_id,name,shift\na,Ana,early\n",
                "unknown column \"shift\"",
            ),
            (
                "agent_id,name,preference_weight\na,Ana,-1\n",
                "row 2, column \"preference_weight\": cannot use \"-1\" (expected a weight from 0 to 100)",
            ),
            ("agent_id\na\n", "no column \"name\""),
            (
                "agent_id,name\n,Ana\n",
                "row 2, column \"agent_id\": empty value",
            ),
            ("agent_id,name\n", "no agents after the header (expected one row per agent, e.g. under agent_id,name,"),
            ("", "the agents file is empty (expected a header line such as agent_id,name,"),
            ("\n\n", "the agents file is empty"),
            (
                "agent_id,name,days_off,region,days_off\na,Ana,Sat,north,Sun\n",
                "row 1: the header names column \"days_off\" twice (fields 3 and 5)",
            ),
            (
                "agent_id,name,days_off\na,Ana,\"Tue,Thu,Funday\"\n",
                "row 2, column \"days_off\": cannot read \"Funday\" as a weekday",
            ),
            (
                "agent_id,name,days_off\na,Ana,Tuesdays\n",
                "cannot read \"Tuesdays\" as a weekday",
            ),
            (
                "agent_id,name,contract_hours_per_week\na,Ana,-5\n",
                "row 2, column \"contract_hours_per_week\": cannot use \"-5\"",
            ),
        ] {
            let message = read(text).unwrap_err().to_string();
            assert!(message.contains(expected), "{text:?}: {message}");
        }
    }
}
