//! `wfm plan --merge`: the folders of a plan's shards (`--shard i/n`) joined into the folder
//! one run would have written: the CSVs with each queue's rows in the history's order (byte for
//! byte one run's), `summary.json`, `plan.toml` and `report.html`.

use std::path::{Path, PathBuf};

use super::config::PlanConfig;
use super::summary::PlanSummary;
use crate::error::{Result, WfmError};
use crate::plan::html::{page, queue_sections};

/// The files joined row by row, in the order a run writes them.
pub const MERGED_CSVS: [&str; 6] = [
    "forecast.csv",
    "requirements.csv",
    "shifts.csv",
    "coverage.csv",
    "shifts-2x2.csv",
    "coverage-2x2.csv",
];

/// What the merged folder holds: each file's name and text.
pub struct Merged {
    pub files: Vec<(String, String)>,
    pub summary: PlanSummary,
}

/// One shard's folder, read.
struct ShardDir {
    dir: PathBuf,
    summary: PlanSummary,
    config_text: String,
    report: String,
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|error| WfmError::Open {
        path: path.to_path_buf(),
        error,
    })
}

fn invalid(path: &Path, message: String) -> WfmError {
    WfmError::Invalid {
        path: path.to_path_buf(),
        message,
    }
}

impl ShardDir {
    fn read(dir: &Path) -> Result<ShardDir> {
        let path = dir.join("summary.json");
        if !path.exists() {
            return Err(invalid(
                dir,
                "no summary.json: expected the --out folder of a `wfm plan --shard i/n` run".into(),
            ));
        }
        let summary: PlanSummary = serde_json::from_str(&read_text(&path)?)
            .map_err(|e| invalid(&path, format!("not a wfm plan summary: {e}")))?;
        Ok(ShardDir {
            dir: dir.to_path_buf(),
            summary,
            config_text: read_text(&dir.join("plan.toml"))?,
            report: read_text(&dir.join("report.html"))?,
        })
    }

    /// Shard index and count, from "i/n".
    fn shard(&self) -> Result<(u32, u32)> {
        let text = self.summary.shard.as_deref().ok_or_else(|| {
            invalid(
                &self.dir,
                "a whole run, not a shard: merge the folders of `wfm plan --shard i/n` runs".into(),
            )
        })?;
        let shard = super::run::Shard::parse(text).map_err(|e| invalid(&self.dir, e))?;
        Ok((shard.index, shard.count))
    }
}

/// Joins the shards' folders `dirs` (every shard of one plan, once each, in any order).
pub fn merge(dirs: &[PathBuf]) -> Result<Merged> {
    let mut shards: Vec<ShardDir> = dirs
        .iter()
        .map(|d| ShardDir::read(d))
        .collect::<Result<_>>()?;
    let Some(first) = shards.first() else {
        return Err(WfmError::option("--merge", "", "the shards' folders"));
    };
    let (_, count) = first.shard()?;
    // The shard numbers seen (a set: a count from a damaged summary never sizes anything).
    let mut seen = std::collections::BTreeSet::new();
    for shard in &shards {
        let (index, n) = shard.shard()?;
        let same = |a: &str, b: &str, what: &str| {
            if a == b {
                Ok(())
            } else {
                Err(invalid(
                    &shard.dir,
                    format!("its {what} ({b}) is not the first shard's ({a}): shards of different plans"),
                ))
            }
        };
        same(&count.to_string(), &n.to_string(), "shard count")?;
        same(&first.summary.month, &shard.summary.month, "month")?;
        same(
            &first.summary.input_sha256,
            &shard.summary.input_sha256,
            "history's SHA-256",
        )?;
        same(&first.config_text, &shard.config_text, "plan.toml")?;
        if !seen.insert(index) {
            return Err(invalid(
                &shard.dir,
                format!("shard {index}/{count} is given twice"),
            ));
        }
    }
    // The first number not seen is at most one past the folders given.
    if let Some(missing) = (1..=count).find(|i| !seen.contains(i)) {
        return Err(WfmError::option(
            "--merge",
            format!("{} folder(s)", dirs.len()),
            format!("every shard of {count}; shard {missing}/{count} is missing"),
        ));
    }
    shards.sort_by_key(|s| s.shard().map(|s| s.0).unwrap_or(0));
    let order = first_order(&shards);
    let mut files = Vec::new();
    for name in MERGED_CSVS {
        files.push((name.to_string(), merge_csv(&shards, name, &order)?));
    }
    // The summary and the report's sections, queue by queue in the history's order.
    let mut queues = Vec::new();
    let mut sections = Vec::new();
    for queue in &order {
        for shard in &shards {
            let own = shard.summary.queues.iter().position(|q| &q.queue == queue);
            if let Some(k) = own {
                queues.push(shard.summary.queues[k].clone());
                if let Some(section) = queue_sections(&shard.report).get(k) {
                    sections.push(section.clone());
                }
            }
        }
    }
    let summary = PlanSummary {
        shard: None,
        queues,
        failed: shards
            .iter()
            .flat_map(|s| s.summary.failed.iter().cloned())
            .collect(),
        ..shards[0].summary.clone()
    };
    let config_text = shards[0].config_text.clone();
    let history = toml::from_str::<PlanConfig>(&config_text)
        .map(|c| c.input.history.display().to_string())
        .unwrap_or_default();
    let report = page(&summary, &history, &sections, None, &config_text);
    files.push(("plan.toml".into(), config_text));
    files.push((
        "summary.json".into(),
        serde_json::to_string_pretty(&summary).unwrap_or_default() + "\n",
    ));
    files.push(("report.html".into(), report));
    Ok(Merged { files, summary })
}

fn first_order(shards: &[ShardDir]) -> Vec<String> {
    shards[0].summary.queues_in_history.clone()
}

/// Field `k` of one CSV line: split at commas, unless the line quotes a field.
fn region_of(line: &str, k: usize) -> Option<String> {
    if !line.contains('"') {
        return line.split(',').nth(k).map(str::to_string);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    let record = reader.records().next()?.ok()?;
    record.get(k).map(str::to_string)
}

/// The shards' `name` files joined: one header, then each queue's rows (which the shard that
/// planned it wrote, in its order) in the history's queue order.
fn merge_csv(shards: &[ShardDir], name: &str, order: &[String]) -> Result<String> {
    let mut header: Option<(String, &Path)> = None;
    let mut empty_header: Option<String> = None;
    let mut by_queue: std::collections::HashMap<String, Vec<String>> = Default::default();
    for shard in shards {
        let path = shard.dir.join(name);
        let text = read_text(&path)?;
        let mut lines = text.lines().peekable();
        let head = lines.next().unwrap_or_default().to_string();
        // A shard with no queue of its own writes headers only, without the columns (band,
        // handle time) that its queues' rows would have had: its header says nothing.
        if lines.peek().is_none() {
            empty_header.get_or_insert(head);
            continue;
        }
        match &header {
            Some((first, first_dir)) if *first != head => {
                return Err(invalid(
                    &path,
                    format!(
                        "its header ({head}) differs from {}'s ({first}): the queues' files have different columns",
                        first_dir.display()
                    ),
                ))
            }
            Some(_) => {}
            None => header = Some((head.clone(), &shard.dir)),
        }
        let region = head
            .split(',')
            .position(|c| c == "region")
            .ok_or_else(|| invalid(&path, "no region column".into()))?;
        for line in lines {
            let queue = region_of(line, region)
                .ok_or_else(|| invalid(&path, format!("a row without a region column: {line}")))?;
            by_queue.entry(queue).or_default().push(line.to_string());
        }
    }
    let mut out = header.map(|h| h.0).or(empty_header).unwrap_or_default();
    out.push('\n');
    for queue in order {
        for line in by_queue.remove(queue).unwrap_or_default() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    Ok(out)
}
