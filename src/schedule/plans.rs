//! The shift plans, as `wfm schedule` makes them and as their files hold them: `shifts.csv`
//! (`region,date,start,end,paid_hours,agents,break_start,break_end`, one row per shift start ×
//! length × day with its number of agents, read back as [`PlannedShift`]s) and `coverage.csv`
//! (`timestamp,region,required,scheduled,difference`). Their columns are spelt here only, and
//! they are written through the one CSV writer.

use std::path::Path;

use super::baseline::TwoByTwo;
use super::{Plan, Requirement, ShiftCount};
use crate::data::csv_out::write_csv;
use crate::error::{Result, WfmError};
use crate::staffing::requirements::RegionRequirements;
use crate::staffing::{evaluate, Load, Targets};
use crate::time::naive_from_minutes;

/// The columns of `shifts.csv`, in order.
pub const SHIFT_COLUMNS: [&str; 8] = [
    "region",
    "date",
    "start",
    "end",
    "paid_hours",
    "agents",
    "break_start",
    "break_end",
];

/// The columns of `coverage.csv`, in order.
pub const COVERAGE_COLUMNS: [&str; 5] =
    ["timestamp", "region", "required", "scheduled", "difference"];

/// One region's plan, the requirement it covers and the 2/2 roster beside it.
#[derive(Debug, Clone)]
pub struct RegionPlan {
    pub requirement: Requirement,
    pub plan: Plan,
    pub baseline: Option<TwoByTwo>,
    /// The service level the plan achieves ([`plan_service_level`]); `None` without contacts
    /// and AHT.
    pub service_level: Option<(f64, f64)>,
    /// The same for the 2/2 roster.
    pub baseline_service_level: Option<(f64, f64)>,
}

/// Every region's plan.
#[derive(Debug, Clone)]
pub struct Plans {
    pub regions: Vec<RegionPlan>,
}

impl Plans {
    /// The staggered plan's shifts as `shifts.csv` holds them: by region, then by start,
    /// length and break.
    pub fn shifts(&self) -> Vec<PlannedShift> {
        planned(
            self.regions
                .iter()
                .map(|r| (&r.requirement.region, &r.plan.shifts[..])),
        )
    }

    /// The 2/2 roster's shifts (regions with a roster only).
    pub fn baseline_shifts(&self) -> Vec<PlannedShift> {
        let rosters = self.regions.iter().filter_map(|r| {
            let roster = r.baseline.as_ref()?;
            Some((&r.requirement.region, &roster.shifts[..]))
        });
        planned(rosters)
    }

    /// Writes the staggered plan's `shifts.csv`.
    pub fn write_shifts(&self, path: &Path) -> Result<()> {
        write_shifts_file(path, &self.shifts())
    }

    /// Writes the staggered plan's `coverage.csv`.
    pub fn write_coverage(&self, path: &Path) -> Result<()> {
        let regions = self.regions.iter();
        write_coverage_file(
            path,
            regions.map(|r| (&r.requirement, &r.plan.scheduled[..])),
        )
    }

    /// Writes the 2/2 roster's shifts and coverage (regions with a roster only).
    pub fn write_baseline(&self, shifts: &Path, coverage: &Path) -> Result<()> {
        write_shifts_file(shifts, &self.baseline_shifts())?;
        let rosters = self.regions.iter().filter_map(|r| {
            let roster = r.baseline.as_ref()?;
            Some((&r.requirement, &roster.scheduled[..]))
        });
        write_coverage_file(coverage, rosters)
    }
}

/// The service level a number of scheduled agents per interval gives: the contact-weighted
/// mean, and the share of open intervals that meet the target; `None` without contacts and AHT.
/// Scheduled agents include shrinkage, so only (1 − shrinkage) of them take contacts.
pub fn plan_service_level(
    staffed: &RegionRequirements,
    interval_minutes: u32,
    scheduled: &[u32],
    targets: &Targets,
) -> Option<(f64, f64)> {
    plan_service_level_with(staffed, interval_minutes, scheduled, targets, &|_| {
        targets.shrinkage
    })
}

/// As [`plan_service_level`], with the shrinkage of each interval (by index) from
/// `shrinkage_at`: a profile by time of day.
pub fn plan_service_level_with(
    staffed: &RegionRequirements,
    interval_minutes: u32,
    scheduled: &[u32],
    targets: &Targets,
    shrinkage_at: &dyn Fn(usize) -> f64,
) -> Option<(f64, f64)> {
    let (contacts, aht) = (&staffed.contacts, &staffed.aht_seconds);
    let target = targets.service_level.unwrap_or(0.8);
    let (mut weighted, mut volume, mut met, mut open) = (0.0, 0.0, 0usize, 0usize);
    for i in 0..scheduled.len() {
        if !(contacts[i] > 0.0 && aht[i] > 0.0) {
            continue;
        }
        let on_phones = (scheduled[i] as f64 * (1.0 - shrinkage_at(i)) + 1e-9).floor() as u32;
        let load = Load {
            contacts: contacts[i],
            interval_seconds: interval_minutes as f64 * 60.0,
            aht_seconds: aht[i],
        };
        let s = evaluate(&load, on_phones, targets);
        weighted += s.service_level * contacts[i];
        volume += contacts[i];
        open += 1;
        met += usize::from(s.service_level >= target - 1e-12);
    }
    (volume > 0.0).then(|| (weighted / volume, met as f64 / open.max(1) as f64))
}

/// The shifts of each region as the file holds them, numbered by the file rows they take.
fn planned<'a>(regions: impl Iterator<Item = (&'a String, &'a [ShiftCount])>) -> Vec<PlannedShift> {
    let mut out = Vec::new();
    for (region, shifts) in regions {
        let mut sorted: Vec<&ShiftCount> = shifts.iter().collect();
        sorted.sort_by_key(|s| (s.start_minute, s.length_minutes, s.break_start_minute));
        for s in sorted {
            out.push(PlannedShift {
                region: region.clone(),
                start_minute: s.start_minute,
                end_minute: s.start_minute + s.length_minutes as i64,
                paid_hours: s.paid_minutes as f64 / 60.0,
                agents: s.agents,
                break_minutes: s
                    .break_start_minute
                    .map(|b| (b, b + s.break_minutes as i64)),
                row: out.len() + 2,
            });
        }
    }
    out
}

/// Writes `shifts.csv`, one row per shift in the order given.
pub fn write_shifts_file(path: &Path, shifts: &[PlannedShift]) -> Result<()> {
    let clock = |minute: i64| naive_from_minutes(minute).format("%H:%M");
    write_csv(path, &SHIFT_COLUMNS, |rows| {
        for s in shifts {
            rows.text(&s.region)?;
            rows.value(naive_from_minutes(s.start_minute).format("%Y-%m-%d"))?;
            rows.value(clock(s.start_minute))?;
            rows.value(clock(s.end_minute))?;
            rows.number(s.paid_hours, 2)?;
            rows.value(s.agents)?;
            match s.break_minutes {
                Some((start, end)) => {
                    rows.value(clock(start))?;
                    rows.value(clock(end))?;
                }
                None => {
                    rows.empty()?;
                    rows.empty()?;
                }
            }
            rows.end_row()?;
        }
        Ok(())
    })
}

/// Writes `coverage.csv`: per interval the agents required, scheduled and the difference.
pub fn write_coverage_file<'a>(
    path: &Path,
    plans: impl Iterator<Item = (&'a Requirement, &'a [u32])>,
) -> Result<()> {
    write_csv(path, &COVERAGE_COLUMNS, |rows| {
        for (req, scheduled) in plans {
            for (i, (&required, &on)) in req.required.iter().zip(scheduled.iter()).enumerate() {
                rows.minute(req.minute(i))?;
                rows.text(&req.region)?;
                rows.value(required)?;
                rows.value(on)?;
                rows.value(on as i64 - required as i64)?;
                rows.end_row()?;
            }
        }
        Ok(())
    })
}

/// A shift of a plan on the wall clock, as a row of `shifts.csv` holds it: a start × length on
/// one day, its break and how many agents work it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedShift {
    pub region: String,
    /// Wall-clock minute the shift starts.
    pub start_minute: i64,
    /// Wall-clock minute it ends (the next day when `end` is not after `start`).
    pub end_minute: i64,
    pub paid_hours: f64,
    pub agents: u32,
    /// The unpaid break `[start, end)` in wall-clock minutes, if any.
    pub break_minutes: Option<(i64, i64)>,
    /// Its row in the file (read, or as written).
    pub row: usize,
}

/// Reads `shifts.csv` as [`write_shifts_file`] writes it, naming the row and column of
/// anything it cannot use.
pub fn read_shifts_file(path: &Path) -> Result<Vec<PlannedShift>> {
    let file = crate::data::small_csv::read_small_csv(path)?;
    let mut column = [0usize; 8];
    for (k, name) in SHIFT_COLUMNS.iter().enumerate() {
        column[k] = file.require(
            path,
            name,
            "the shift plan's header (as wfm schedule writes it)",
        )?;
    }
    let mut rows = Vec::new();
    for (row, record) in file.rows() {
        let bad = |column: &str, problem: String| WfmError::bad_value(path, row, column, problem);
        let cell = |k: usize| record.get(column[k]).unwrap_or("");
        let times = ShiftTimes::parse([1, 2, 3, 4, 6, 7].map(cell), &bad)?;
        let agents: u32 = cell(5)
            .parse()
            .ok()
            .filter(|a| *a <= crate::limits::MAX_AGENTS)
            .ok_or_else(|| {
                bad(
                    "agents",
                    format!(
                        "cannot use \"{}\" (expected a whole number of agents up to 1,000,000)",
                        cell(5)
                    ),
                )
            })?;
        rows.push(PlannedShift {
            region: crate::data::csv_out::restore_text(cell(0)).to_string(),
            start_minute: times.start_minute,
            end_minute: times.end_minute,
            paid_hours: times.paid_hours,
            agents,
            break_minutes: times.break_minutes,
            row,
        });
    }
    Ok(rows)
}

/// The first minute of the date in a `date` cell (`YYYY-MM-DD`) of a file of shifts or time
/// off; `bad` names the column.
pub(crate) fn date_cell(text: &str, bad: &impl Fn(&str, String) -> WfmError) -> Result<i64> {
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        bad(
            "date",
            format!("cannot read \"{text}\" as a date YYYY-MM-DD"),
        )
    })?;
    if !crate::limits::YEARS.contains(&chrono::Datelike::year(&date)) {
        return Err(bad(
            "date",
            format!("the year of {date} is outside 1900–2200"),
        ));
    }
    Ok(crate::time::minute_of_date(date))
}

/// Minutes after midnight of a time-of-day cell (`HH:MM`, before 24:00) of column `column`.
pub(crate) fn clock_cell(
    column: &str,
    text: &str,
    bad: &impl Fn(&str, String) -> WfmError,
) -> Result<i64> {
    super::templates::parse_clock(text)
        .filter(|&m| m < 1_440)
        .map(|m| m as i64)
        .ok_or_else(|| bad(column, format!("cannot read \"{text}\" as a time HH:MM")))
}

/// When a shift of a file (`shifts.csv` or `roster.csv`) is worked, read from its cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ShiftTimes {
    pub start_minute: i64,
    /// The next day when the end is not after the start.
    pub end_minute: i64,
    pub paid_hours: f64,
    pub break_minutes: Option<(i64, i64)>,
}

impl ShiftTimes {
    /// From the cells `date,start,end,paid_hours,break_start,break_end`; `bad` names the column
    /// of a cell it cannot use.
    pub(crate) fn parse(
        cells: [&str; 6],
        bad: &impl Fn(&str, String) -> WfmError,
    ) -> Result<ShiftTimes> {
        let [date, start, end, paid, break_start, break_end] = cells;
        let day = date_cell(date, bad)?;
        let clock = |column: &str, text: &str| clock_cell(column, text, bad);
        let start_minute = day + clock("start", start)?;
        let mut end_minute = day + clock("end", end)?;
        if end_minute <= start_minute {
            end_minute += 1_440;
        }
        let paid_hours: f64 = paid
            .parse()
            .ok()
            .filter(|h: &f64| *h > 0.0 && *h <= 24.0)
            .ok_or_else(|| {
                let expected = "expected hours above 0, at most 24";
                bad("paid_hours", format!("cannot use \"{paid}\" ({expected})"))
            })?;
        let break_minutes = match (break_start, break_end) {
            ("", "") => None,
            _ => {
                let (b, e) = (
                    clock("break_start", break_start)?,
                    clock("break_end", break_end)?,
                );
                // The break lies inside the shift: on its start day, or the next after midnight.
                let on_day = |m: i64| {
                    if day + m < start_minute {
                        day + m + 1_440
                    } else {
                        day + m
                    }
                };
                let (b, e) = (on_day(b), on_day(e));
                if !(start_minute <= b && b < e && e <= end_minute) {
                    let problem = "the break does not lie inside the shift";
                    return Err(bad("break_start", problem.into()));
                }
                Some((b, e))
            }
        };
        Ok(ShiftTimes {
            start_minute,
            end_minute,
            paid_hours,
            break_minutes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shift_plan_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shifts.csv");
        let req = Requirement {
            region: "=north".into(),
            start_minute: 0,
            interval_minutes: 30,
            required: vec![1; 96],
        };
        let shifts = [
            ShiftCount {
                start_minute: 1_320,
                length_minutes: 480,
                paid_minutes: 450,
                break_start_minute: Some(1_560),
                break_minutes: 30,
                agents: 3,
            },
            ShiftCount {
                start_minute: 480,
                length_minutes: 240,
                paid_minutes: 240,
                break_start_minute: None,
                break_minutes: 0,
                agents: 1,
            },
        ];
        let region = req.region.clone();
        write_shifts_file(&path, &planned([(&region, &shifts[..])].into_iter())).unwrap();
        let rows = read_shifts_file(&path).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].region, "=north");
        assert_eq!((rows[0].start_minute, rows[0].end_minute), (480, 720));
        // The night shift 22:00–06:00 ends the next day, its break at 02:00 too.
        assert_eq!((rows[1].start_minute, rows[1].end_minute), (1_320, 1_800));
        assert_eq!(rows[1].break_minutes, Some((1_560, 1_590)));
        assert_eq!((rows[1].paid_hours, rows[1].agents), (7.5, 3));
    }
}
