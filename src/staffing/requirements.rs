//! The requirements, one type whether just staffed or read back from `requirements.csv`
//! (`timestamp,region,contacts,aht_seconds,agents_raw,agents_required,service_level,
//! asa_seconds,occupancy`): written by `wfm staff`, read by `wfm schedule` and `wfm roster`.
//! Its columns are spelt here only.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Staffing;
use crate::data::csv_out::write_csv_rows;
use crate::data::read::{own_row_key, parse_number, read_columns, Cell, Cells, Kind, Number};
use crate::data::DEFAULT_REGION_COLUMN;
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

/// One region's staffing per interval.
#[derive(Debug, Clone, Default)]
pub struct RegionRequirements {
    pub region: String,
    /// Wall-clock minute of each interval's start.
    pub minutes: Vec<i64>,
    /// Offered contacts (the forecast, scaled); NaN where unknown (a file without the column).
    pub contacts: Vec<f64>,
    /// Handle time; NaN where unknown.
    pub aht_seconds: Vec<f64>,
    /// The staffing of each interval. Read from a file, the figures it does not hold are NaN
    /// (`agents_raw`, when absent, is `agents_required`).
    pub staffing: Vec<Staffing>,
    /// The file row of each interval when read from a file (for messages); empty otherwise.
    pub rows: Vec<usize>,
}

impl RegionRequirements {
    /// Agents to schedule in each interval.
    pub fn agents_required(&self) -> Vec<u32> {
        self.staffing.iter().map(|s| s.agents_required).collect()
    }

    /// Agent-hours to schedule.
    pub fn agent_hours(&self, interval_minutes: u32) -> f64 {
        self.staffing
            .iter()
            .map(|s| s.agents_required as f64)
            .sum::<f64>()
            * interval_minutes as f64
            / 60.0
    }

    /// Whether every interval has its contacts and handle time (what re-staffing needs).
    pub fn has_load(&self) -> bool {
        self.contacts.iter().all(|c| !c.is_nan()) && self.aht_seconds.iter().all(|a| !a.is_nan())
    }
}

/// The staffing of every region of a forecast.
#[derive(Debug, Clone)]
pub struct Requirements {
    pub interval_minutes: u32,
    /// The file it was read from (`None` when staffed): messages name it.
    pub path: Option<PathBuf>,
    pub regions: Vec<RegionRequirements>,
}

impl Requirements {
    /// Writes `requirements.csv` atomically through the one CSV writer (rows formatted in
    /// parallel).
    pub fn write(&self, path: &Path) -> Result<()> {
        // Row `k` of the file is row `k - starts[g]` of region `g`.
        let starts: Vec<usize> = self
            .regions
            .iter()
            .scan(0, |start, region| {
                let this = *start;
                *start += region.minutes.len();
                Some(this)
            })
            .collect();
        let count = self.regions.iter().map(|r| r.minutes.len()).sum();
        write_csv_rows(path, &REQUIREMENT_COLUMNS, count, |rows, k| {
            let g = starts.partition_point(|&start| start <= k) - 1;
            let (r, i) = (&self.regions[g], k - starts[g]);
            let s = &r.staffing[i];
            rows.minute(r.minutes[i])?;
            rows.text(&r.region)?;
            rows.number(r.contacts[i], 3)?;
            rows.number(r.aht_seconds[i], 1)?;
            rows.integer(s.agents_raw.into())?;
            rows.integer(s.agents_required.into())?;
            rows.number(s.service_level, 4)?;
            rows.number(s.asa_seconds, 2)?;
            rows.number(s.occupancy, 4)?;
            rows.end_row()
        })
    }

    /// Reads a requirements file: `timestamp[,region],agents_required` and any of the other
    /// columns `wfm staff` writes. The intervals of a region must be consecutive (a plan
    /// covers every one of them), and every region on one interval length.
    pub fn read(path: &Path) -> Result<Requirements> {
        read_requirements_file(path)
    }
}

/// The columns a requirements file may have besides `timestamp` and `agents_required`, read
/// when present.
const OPTIONAL_NUMBERS: [&str; 6] = [
    "contacts",
    "aht_seconds",
    "agents_raw",
    "service_level",
    "asa_seconds",
    "occupancy",
];

fn read_requirements_file(path: &Path) -> Result<Requirements> {
    let mut has = [false; OPTIONAL_NUMBERS.len()];
    let (cells, first_row) = read_columns(path, None, |found| {
        let present = |name: &str| found.iter().any(|f| f == name);
        if !present("agents_required") {
            let earlier = if present("forecast") {
                Some("a forecast file (as wfm forecast writes it), not requirements; run wfm staff on it first, and give its output (requirements.csv) here")
            } else if present("contacts") {
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
            if !present(name) {
                return Err(WfmError::MissingColumn {
                    path: path.to_path_buf(),
                    column: name.into(),
                    flag: "the requirements file's header (as wfm staff writes it)",
                    found: found.to_vec(),
                });
            }
        }
        // Contacts and AHT are the load only together.
        let load = present("contacts") && present("aht_seconds");
        for (k, name) in OPTIONAL_NUMBERS.iter().enumerate() {
            has[k] = if k < 2 { load } else { present(name) };
        }
        let mut columns = vec![
            Some(("timestamp".into(), Kind::Time)),
            present(DEFAULT_REGION_COLUMN).then(|| (DEFAULT_REGION_COLUMN.to_string(), Kind::Text)),
            Some(("agents_required".into(), Kind::Number)),
        ];
        for (k, name) in OPTIONAL_NUMBERS.iter().enumerate() {
            columns.push(has[k].then(|| (name.to_string(), Kind::Number)));
        }
        Ok(columns)
    })
    .map_err(|e| {
        crate::data::small_csv::as_wfm_writes_it(crate::data::small_csv::expecting_header(
            e,
            "timestamp,region,contacts,aht_seconds,agents_raw,agents_required,…",
        ))
    })?;
    let mut order: Vec<String> = Vec::new();
    let mut by_region: HashMap<String, RegionRequirements> = HashMap::new();
    let mut others: Vec<_> = cells[1..].iter().map(Cells::iter).collect();
    for (i, time) in cells[0].iter().enumerate() {
        let [region, required, contacts, aht, raw, level, asa, occupancy] =
            std::array::from_fn(|k| others[k].next().unwrap_or(Cell::Absent));
        let row = i + first_row;
        let bad = |column: &str, problem: String| WfmError::bad_value(path, row, column, problem);
        let (minute, name) = own_row_key(time, region, bad)?;
        let name = name.to_string();
        let agents = |cell, column: &str| match parse_number(cell) {
            Number::Value(v) if v > crate::limits::MAX_AGENTS as f64 => Err(bad(
                column,
                format!(
                    "{} agents: expected at most {} in one interval",
                    crate::limits::short_number(v),
                    crate::limits::MAX_AGENTS
                ),
            )),
            Number::Value(v) if v >= 0.0 && v.fract() == 0.0 => Ok(Some(v as u32)),
            Number::Value(v) => Err(bad(column, format!("{v} is not a whole number ≥ 0"))),
            Number::Missing => Ok(None),
            Number::Bad(t) => Err(bad(
                column,
                format!(
                    "cannot read \"{t}\" as a number{}",
                    crate::data::read::formats::own_file_hint(t)
                ),
            )),
        };
        let agents_required = agents(required, "agents_required")?
            .ok_or_else(|| bad("agents_required", "empty value".into()))?;
        let agents_raw = agents(raw, "agents_raw")?.unwrap_or(agents_required);
        // The figures beside the requirement: NaN where the file has none.
        let number = |cell, column: &str, most: f64, expected: &str| match parse_number(cell) {
            Number::Value(v) if (0.0..=most).contains(&v) => Ok(v),
            Number::Missing => Ok(f64::NAN),
            _ => Err(bad(column, format!("expected {expected}"))),
        };
        let load = |cell, column| {
            let most = crate::limits::MAX_CONTACTS_PER_INTERVAL;
            number(cell, column, most, "a number from 0 to 1e9")
        };
        let share = |cell, column| number(cell, column, 1.0, "a share from 0 to 1");
        let (contacts, aht_seconds) = (load(contacts, "contacts")?, load(aht, "aht_seconds")?);
        let staffing = Staffing {
            intensity: f64::NAN,
            agents_raw,
            agents_required,
            service_level: share(level, "service_level")?,
            asa_seconds: number(asa, "asa_seconds", f64::MAX, "seconds ≥ 0")?,
            occupancy: share(occupancy, "occupancy")?,
            waiting_probability: f64::NAN,
            abandon_rate: None,
        };
        let entry = by_region.entry(name.clone()).or_insert_with(|| {
            order.push(name.clone());
            RegionRequirements {
                region: name,
                ..RegionRequirements::default()
            }
        });
        entry.minutes.push(minute);
        entry.contacts.push(contacts);
        entry.aht_seconds.push(aht_seconds);
        entry.staffing.push(staffing);
        entry.rows.push(row);
    }
    let mut regions = Vec::new();
    for name in order {
        let Some(mut r) = by_region.remove(&name) else {
            continue;
        };
        sort_by_time(&mut r);
        if r.minutes.len() > 1 {
            let step = r.minutes[1] - r.minutes[0];
            if crate::time::IntervalLength::new(step).is_none() {
                return Err(WfmError::Invalid {
                    path: path.to_path_buf(),
                    message: format!("region \"{name}\": rows are {step} minutes apart; expected an interval that divides a day"),
                });
            }
            if let Some(w) = (1..r.minutes.len()).find(|&w| r.minutes[w] - r.minutes[w - 1] != step)
            {
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
        }
        regions.push(r);
    }
    // A file whose regions have one row each does not say its interval: 30 minutes.
    let interval_minutes = regions
        .iter()
        .find(|r| r.minutes.len() > 1)
        .map_or(30, |r| r.minutes[1] - r.minutes[0]);
    if let Some(r) = regions
        .iter()
        .find(|r| r.minutes.len() > 1 && r.minutes[1] - r.minutes[0] != interval_minutes)
    {
        return Err(WfmError::MixedIntervals {
            path: path.to_path_buf(),
            row: r.rows[1],
            column: "timestamp".into(),
            region: r.region.clone(),
            detail: format!(
                "its intervals are {} minutes, the file's first region's {interval_minutes}: one file has one interval length",
                r.minutes[1] - r.minutes[0]
            ),
        });
    }
    Ok(Requirements {
        interval_minutes: interval_minutes as u32,
        path: Some(path.to_path_buf()),
        regions,
    })
}

/// A region's rows in time order (a file need not be sorted).
fn sort_by_time(r: &mut RegionRequirements) {
    if r.minutes.is_sorted() {
        return;
    }
    let mut order: Vec<usize> = (0..r.minutes.len()).collect();
    order.sort_by_key(|&i| r.minutes[i]);
    fn pick<T: Clone>(order: &[usize], values: &[T]) -> Vec<T> {
        order.iter().map(|&i| values[i].clone()).collect()
    }
    r.contacts = pick(&order, &r.contacts);
    r.aht_seconds = pick(&order, &r.aht_seconds);
    r.staffing = pick(&order, &r.staffing);
    r.rows = pick(&order, &r.rows);
    r.minutes = pick(&order, &r.minutes);
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
        let Ok(bytes) = crate::data::small_csv::read_input(path) else {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_written_requirement_reads_back_with_its_figures() {
        let dir = tempfile::tempdir().unwrap();
        let staffed = |agents_required| Staffing {
            intensity: 2.0,
            agents_raw: 3,
            agents_required,
            service_level: 0.85,
            asa_seconds: 12.5,
            occupancy: 0.66,
            waiting_probability: 0.2,
            abandon_rate: None,
        };
        let requirements = Requirements {
            interval_minutes: 30,
            path: None,
            regions: vec![RegionRequirements {
                region: "=north".into(),
                minutes: vec![480, 510],
                contacts: vec![20.0, 0.0],
                aht_seconds: vec![180.0, 180.0],
                staffing: vec![staffed(5), staffed(0)],
                rows: Vec::new(),
            }],
        };
        let path = dir.path().join("requirements.csv");
        requirements.write(&path).unwrap();
        let read = Requirements::read(&path).unwrap();
        assert_eq!(read.interval_minutes, 30);
        let region = &read.regions[0];
        assert_eq!(region.region, "=north");
        assert_eq!(region.minutes, [480, 510]);
        assert_eq!(region.agents_required(), [5, 0]);
        assert_eq!((region.contacts[0], region.aht_seconds[1]), (20.0, 180.0));
        let s = &region.staffing[0];
        assert_eq!(
            (s.agents_raw, s.service_level, s.asa_seconds, s.occupancy),
            (3, 0.85, 12.5, 0.66)
        );
        assert_eq!(region.rows, [2, 3]);
    }

    #[test]
    fn a_bare_requirement_has_no_load_and_gaps_or_two_intervals_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let bare = write(
            dir.path(),
            "bare.csv",
            "timestamp,agents_required\n2024-01-01T09:00:00,2\n2024-01-01T08:00:00,3\n",
        );
        let read = Requirements::read(&bare).unwrap();
        assert_eq!(read.interval_minutes, 60);
        let region = &read.regions[0];
        assert_eq!(region.agents_required(), [3, 2], "sorted by time");
        assert_eq!(
            region.staffing[0].agents_raw, 3,
            "raw agents default to the requirement"
        );
        assert!(!region.has_load() && region.staffing[0].service_level.is_nan());
        let gap = write(dir.path(), "gap.csv", "timestamp,agents_required\n2024-01-01T08:00:00,2\n2024-01-01T08:30:00,2\n2024-01-01T09:30:00,2\n");
        let error = Requirements::read(&gap).unwrap_err().to_string();
        assert!(
            error.contains("row 4") && error.contains("consecutive"),
            "{error}"
        );
        let two = write(dir.path(), "two.csv", "timestamp,region,agents_required\n2024-01-01T08:00:00,a,1\n2024-01-01T08:30:00,a,1\n2024-01-01T08:00:00,b,1\n2024-01-01T09:00:00,b,1\n");
        let error = Requirements::read(&two).unwrap_err().to_string();
        assert!(error.contains("one interval length"), "{error}");
        let bad = write(
            dir.path(),
            "bad.csv",
            "timestamp,agents_required,occupancy\n2024-01-01T08:00:00,2,1.5\n",
        );
        let error = Requirements::read(&bad).unwrap_err().to_string();
        assert!(
            error.contains("occupancy") && error.contains("a share from 0 to 1"),
            "{error}"
        );
    }

    #[test]
    fn a_gzip_requirements_file_is_told_from_a_shift_plan() {
        let dir = tempfile::tempdir().unwrap();
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder
            .write_all(b"timestamp,region,agents_required\n2024-01-01T08:00:00,north,3\n")
            .unwrap();
        let path = dir.path().join("requirements.csv.gz");
        std::fs::write(&path, encoder.finish().unwrap()).unwrap();
        assert!(is_requirements_file(&path).unwrap());
        assert_eq!(
            Requirements::read(&path).unwrap().regions[0].agents_required(),
            [3]
        );
        let shifts = write(
            dir.path(),
            "shifts.csv",
            "region,date,start,end,paid_hours,agents,break_start,break_end\n",
        );
        assert!(!is_requirements_file(&shifts).unwrap());
    }
}
