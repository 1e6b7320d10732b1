//! The requirements file, `timestamp,region,contacts,aht_seconds,agents_raw,agents_required,
//! service_level,asa_seconds,occupancy`: written by `wfm staff`, read by `wfm schedule`. Its
//! columns are spelt here only.

use std::collections::HashMap;
use std::path::Path;

use super::csv_out::write_csv_rows;
use super::read::{parse_number, read_columns, region_cell, time_cell, Kind, Number, EMPTY_REGION};
use super::DEFAULT_REGION_COLUMN;
use crate::error::{Result, WfmError};
use crate::time::format_minute;

/// The columns of `requirements.csv`, in order.
pub const REQUIREMENT_COLUMNS: [&str; 9] = [
    "timestamp",
    DEFAULT_REGION_COLUMN,
    "contacts",
    "aht_seconds",
    "agents_raw",
    "agents_required",
    "service_level",
    "asa_seconds",
    "occupancy",
];

/// One interval of `requirements.csv`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RequirementRow {
    pub minute: i64,
    pub contacts: f64,
    pub aht_seconds: f64,
    pub agents_raw: u32,
    pub agents_required: u32,
    pub service_level: f64,
    pub asa_seconds: f64,
    pub occupancy: f64,
}

/// One region's rows to write: `row(i)` for `i` in `0..len`, so nothing is copied.
pub struct RequirementRegion<'a> {
    pub region: &'a str,
    pub len: usize,
    pub row: &'a (dyn Fn(usize) -> RequirementRow + Sync),
}

/// Writes `requirements.csv` atomically through the one CSV writer (rows formatted in parallel).
pub fn write_requirements_file(path: &Path, regions: &[RequirementRegion<'_>]) -> Result<()> {
    // Row `k` of the file is row `k - starts[g]` of region `g`.
    let starts: Vec<usize> = regions
        .iter()
        .scan(0, |start, region| {
            let this = *start;
            *start += region.len;
            Some(this)
        })
        .collect();
    let count = regions.iter().map(|r| r.len).sum();
    write_csv_rows(path, &REQUIREMENT_COLUMNS, count, |rows, k| {
        let g = starts.partition_point(|&start| start <= k) - 1;
        let region = &regions[g];
        let r = (region.row)(k - starts[g]);
        rows.minute(r.minute)?;
        rows.text(region.region)?;
        rows.number(r.contacts, 3)?;
        rows.number(r.aht_seconds, 1)?;
        rows.integer(r.agents_raw.into())?;
        rows.integer(r.agents_required.into())?;
        rows.number(r.service_level, 4)?;
        rows.number(r.asa_seconds, 2)?;
        rows.number(r.occupancy, 4)?;
        rows.end_row()
    })
}

/// One region's requirement rows, sorted by time, on a regular grid.
#[derive(Debug, Clone, PartialEq)]
pub struct RequirementSeries {
    pub region: String,
    pub start_minute: i64,
    pub interval_minutes: u32,
    pub agents_required: Vec<u32>,
    /// Offered contacts and AHT, when the file has them (for the service level a plan gives).
    pub contacts: Option<Vec<f64>>,
    pub aht_seconds: Option<Vec<f64>>,
}

/// Reads a requirements file: `timestamp[,region],agents_required[,contacts,aht_seconds]`.
/// The intervals of a region must be consecutive (a plan covers every one of them).
pub fn read_requirements_file(path: &Path) -> Result<Vec<RequirementSeries>> {
    let mut has_load = false;
    let (cells, first_row) = read_columns(path, None, |found| {
        let has = |name: &str| found.iter().any(|f| f == name);
        if !has("agents_required") {
            let earlier = if has("forecast") {
                Some("a forecast file (as wfm forecast writes it), not requirements; run wfm staff on it first, and give its output (requirements.csv) here")
            } else if has("contacts") {
                Some("a history file (it has \"contacts\"), not requirements; run wfm forecast and then wfm staff on it first, and give the output of wfm staff (requirements.csv) here")
            } else {
                None
            };
            if let Some(what) = earlier {
                return Err(WfmError::Invalid {
                    path: path.to_path_buf(),
                    message: format!("this looks like {what}"),
                });
            }
        }
        for name in ["timestamp", "agents_required"] {
            if !has(name) {
                return Err(WfmError::MissingColumn {
                    path: path.to_path_buf(),
                    column: name.into(),
                    flag: "the requirements file's header (as wfm staff writes it)",
                    found: found.to_vec(),
                });
            }
        }
        has_load = has("contacts") && has("aht_seconds");
        Ok(vec![
            Some(("timestamp".into(), Kind::Time)),
            has(DEFAULT_REGION_COLUMN).then(|| (DEFAULT_REGION_COLUMN.to_string(), Kind::Text)),
            Some(("agents_required".into(), Kind::Number)),
            has_load.then(|| ("contacts".to_string(), Kind::Number)),
            has_load.then(|| ("aht_seconds".to_string(), Kind::Number)),
        ])
    })
    .map_err(|e| {
        super::small_csv::as_wfm_writes_it(super::small_csv::expecting_header(
            e,
            "timestamp,region,contacts,aht_seconds,agents_raw,agents_required,…",
        ))
    })?;
    struct Rows {
        minutes: Vec<i64>,
        required: Vec<u32>,
        contacts: Vec<f64>,
        aht: Vec<f64>,
        rows: Vec<usize>,
    }
    let mut order: Vec<String> = Vec::new();
    let mut by_region: HashMap<String, Rows> = HashMap::new();
    let rows = cells[0]
        .iter()
        .zip(cells[1].iter())
        .zip(cells[2].iter().zip(cells[3].iter().zip(cells[4].iter())))
        .enumerate();
    for (i, ((time, region), (required, (contacts, aht)))) in rows {
        let row = i + first_row;
        let bad = |column: &str, problem: String| WfmError::bad_value(path, row, column, problem);
        let minute = time_cell(time)
            .map_err(|problem| {
                bad(
                    "timestamp",
                    problem + super::read::formats::own_file_cell_hint(time),
                )
            })?
            .clock_seconds
            .div_euclid(60);
        let name = region_cell(region)
            .ok_or_else(|| bad(DEFAULT_REGION_COLUMN, EMPTY_REGION.into()))?
            .to_string();
        let agents = match parse_number(required) {
            Number::Value(v) if v > crate::limits::MAX_AGENTS as f64 => {
                return Err(bad(
                    "agents_required",
                    format!(
                        "{} agents: expected at most {} in one interval",
                        crate::limits::short_number(v),
                        crate::limits::MAX_AGENTS
                    ),
                ))
            }
            Number::Value(v) if v >= 0.0 && v.fract() == 0.0 => v as u32,
            Number::Value(v) => {
                return Err(bad(
                    "agents_required",
                    format!("{v} is not a whole number ≥ 0"),
                ))
            }
            Number::Missing => return Err(bad("agents_required", "empty value".into())),
            Number::Bad(t) => {
                return Err(bad(
                    "agents_required",
                    format!(
                        "cannot read \"{t}\" as a number{}",
                        super::read::formats::own_file_hint(t)
                    ),
                ))
            }
        };
        let number = |cell, column: &str| match parse_number(cell) {
            Number::Value(v) if (0.0..=crate::limits::MAX_CONTACTS_PER_INTERVAL).contains(&v) => {
                Ok(v)
            }
            Number::Missing => Ok(f64::NAN),
            _ => Err(bad(column, "expected a number from 0 to 1e9".into())),
        };
        let (c, a) = if has_load {
            (number(contacts, "contacts")?, number(aht, "aht_seconds")?)
        } else {
            (f64::NAN, f64::NAN)
        };
        let entry = by_region.entry(name.clone()).or_insert_with(|| {
            order.push(name);
            Rows {
                minutes: Vec::new(),
                required: Vec::new(),
                contacts: Vec::new(),
                aht: Vec::new(),
                rows: Vec::new(),
            }
        });
        entry.minutes.push(minute);
        entry.required.push(agents);
        entry.contacts.push(c);
        entry.aht.push(a);
        entry.rows.push(row);
    }
    let mut out = Vec::new();
    for name in order {
        let Some(mut r) = by_region.remove(&name) else {
            continue;
        };
        let mut idx: Vec<usize> = (0..r.minutes.len()).collect();
        idx.sort_by_key(|&i| r.minutes[i]);
        let pick = |v: &[f64]| idx.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        r.contacts = pick(&r.contacts);
        r.aht = pick(&r.aht);
        r.required = idx.iter().map(|&i| r.required[i]).collect();
        r.rows = idx.iter().map(|&i| r.rows[i]).collect();
        r.minutes = idx.iter().map(|&i| r.minutes[i]).collect();
        let step = if r.minutes.len() > 1 {
            r.minutes[1] - r.minutes[0]
        } else {
            30
        };
        if crate::time::IntervalLength::new(step).is_none() {
            return Err(WfmError::Invalid {
                path: path.to_path_buf(),
                message: format!("region \"{name}\": rows are {step} minutes apart; expected an interval that divides a day"),
            });
        }
        if let Some(w) = (1..r.minutes.len()).find(|&w| r.minutes[w] - r.minutes[w - 1] != step) {
            return Err(WfmError::MixedIntervals {
                path: path.to_path_buf(),
                row: r.rows[w],
                column: "timestamp".into(),
                region: name,
                detail: format!(
                    "{} does not follow {} by {step} minutes: a plan needs consecutive intervals",
                    format_minute(r.minutes[w]),
                    format_minute(r.minutes[w - 1])
                ),
            });
        }
        out.push(RequirementSeries {
            region: name,
            start_minute: r.minutes[0],
            interval_minutes: step as u32,
            agents_required: r.required,
            contacts: has_load.then_some(r.contacts),
            aht_seconds: has_load.then_some(r.aht),
        });
    }
    Ok(out)
}

/// Whether `path` is a requirements file (its header names `agents_required`) rather than, say,
/// a shift plan: `wfm roster` takes either.
pub fn is_requirements_file(path: &Path) -> Result<bool> {
    use std::io::BufRead;
    let open_error = |error| WfmError::Open {
        path: path.to_path_buf(),
        error,
    };
    let mut file = std::io::BufReader::new(std::fs::File::open(path).map_err(open_error)?);
    let mut header = String::new();
    let start = file.fill_buf().map_err(open_error)?;
    // A compressed or UTF-16 file is looked at as the readers see it (their errors are theirs:
    // a file that cannot be read is then "not a requirements file", and its reader says why).
    if start.starts_with(b"\x1F\x8B")
        || start.starts_with(b"\xFF\xFE")
        || start.starts_with(b"\xFE\xFF")
    {
        let Ok(bytes) = super::small_csv::read_input(path) else {
            return Ok(false);
        };
        let end = bytes
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(bytes.len());
        header = String::from_utf8_lossy(&bytes[..end]).into_owned();
    } else {
        file.read_line(&mut header).map_err(open_error)?;
    }
    Ok(header
        .trim_start_matches('\u{feff}')
        .split(',')
        .any(|c| c.trim().trim_matches('"') == "agents_required"))
}
