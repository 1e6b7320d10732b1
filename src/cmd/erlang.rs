//! `wfm erlang`: the one-interval calculator planners use.

use std::io::Write;

use anyhow::Result;
use comfy_table::Cell;
use serde::Serialize;

use super::{check_outputs, print, targets, Outcome};
use crate::cli::ErlangArgs;
use wfm::atomic::is_stdout;
use wfm::report::table::{new_table, right};
use wfm::report::write_atomic;
use wfm::staffing::{evaluate, evaluate_checked, required, Load, Staffing};
use wfm::WfmError;

#[derive(Serialize)]
struct ErlangJson {
    agents: u32,
    agents_required: u32,
    intensity: f64,
    service_level: f64,
    asa_seconds: f64,
    occupancy: f64,
    waiting_probability: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    abandon_rate: Option<f64>,
}

pub fn run(args: ErlangArgs) -> Result<Outcome> {
    let targets = targets(&args.targets)?;
    let load = Load {
        contacts: args.contacts,
        interval_seconds: args.interval as f64 * 60.0,
        aht_seconds: args.aht,
    };
    let answer = match args.agents {
        Some(n) => evaluate_checked(&load, n, &targets).map_err(WfmError::from)?,
        None => required(&load, &targets).map_err(WfmError::from)?,
    };
    check_outputs(&[("--json", args.json.as_deref())], None, &[])?;
    if let Some(path) = &args.json {
        let json = ErlangJson {
            agents: answer.agents_raw,
            agents_required: answer.agents_required,
            intensity: answer.intensity,
            service_level: answer.service_level,
            asa_seconds: answer.asa_seconds,
            occupancy: answer.occupancy,
            waiting_probability: answer.waiting_probability,
            abandon_rate: answer.abandon_rate,
        };
        let text = serde_json::to_string_pretty(&json)?;
        write_atomic(path, |w| writeln!(w, "{text}"))?;
        if is_stdout(path) {
            return Ok(Outcome::Success);
        }
    }
    let around: Vec<Staffing> = (answer.agents_raw.saturating_sub(2)..=answer.agents_raw + 2)
        .map(|n| evaluate(&load, n, &targets))
        .collect();
    let mut header = vec![
        "agents",
        "scheduled",
        "service level",
        "ASA (s)",
        "occupancy",
        "P(wait)",
    ];
    if targets.patience_seconds.is_some() {
        header.push("abandoned");
    }
    header.push("");
    let mut table = new_table(header);
    for s in &around {
        let mut row = vec![
            right(s.agents_raw.to_string()),
            right(s.agents_required.to_string()),
            right(format!("{:.2} %", s.service_level * 100.0)),
            right(if s.asa_seconds.is_finite() {
                format!("{:.1}", s.asa_seconds)
            } else {
                "∞".into()
            }),
            right(format!("{:.1} %", s.occupancy * 100.0)),
            right(format!("{:.4}", s.waiting_probability)),
        ];
        if let Some(a) = s.abandon_rate {
            row.push(right(format!("{:.2} %", a * 100.0)));
        }
        row.push(Cell::new(if s.agents_raw == answer.agents_raw {
            if args.agents.is_some() {
                "◀ asked"
            } else {
                "◀ fewest meeting the targets"
            }
        } else {
            ""
        }));
        table.add_row(row);
    }
    let model = if targets.patience_seconds.is_some() {
        "Erlang A"
    } else {
        "Erlang C"
    };
    print(&format!(
        "{} contacts in {} min at AHT {} s = {:.3} Erlangs ({model})\n{table}\n",
        args.contacts, args.interval, args.aht, answer.intensity
    ))?;
    Ok(Outcome::Success)
}
