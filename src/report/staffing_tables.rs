//! The terminal tables of `wfm staff` and `wfm erlang`, and the JSON of `wfm erlang`.

use comfy_table::{Cell, Table};

use super::table::{new_table, right};
use crate::staffing::simulate::SimOutcome;
use crate::staffing::stage::RegionRequirements;
use crate::staffing::{evaluate, Load, Staffing, Targets};
use crate::time;

/// One row per region: peak agents, agent-hours, occupancy; the growth against unscaled
/// volume and the simulated service level when given.
pub fn staffing_table(
    regions: &[RegionRequirements],
    base: Option<&[RegionRequirements]>,
    simulated: Option<&[Vec<SimOutcome>]>,
    scale: f64,
    interval_minutes: u32,
) -> Table {
    let mut header = vec![
        "region".to_string(),
        "peak agents".into(),
        "peak interval".into(),
        "agent-hours / day".into(),
        "agent-hours".into(),
        "average occupancy".into(),
    ];
    if base.is_some() {
        header.push(format!("agent-hours vs 1× volume (volume ×{scale})"));
    }
    if simulated.is_some() {
        header.push("Erlang SL".into());
        header.push("simulated SL".into());
        header.push("simulated abandoned".into());
    }
    let mut table = new_table(header);
    for (k, r) in regions.iter().enumerate() {
        let peak = (0..r.staffing.len()).max_by_key(|&i| r.staffing[i].agents_required);
        let hours = r.agent_hours(interval_minutes);
        let days = distinct_days(&r.minutes).max(1);
        // Occupancy over the whole horizon: Erlangs handled per agent on the phones.
        let (load, agents) = r.staffing.iter().fold((0.0, 0.0), |(l, a), s| {
            (
                l + s.occupancy * s.agents_raw as f64,
                a + s.agents_raw as f64,
            )
        });
        let mut row = vec![
            Cell::new(&r.region),
            right(peak.map_or("-".into(), |i| r.staffing[i].agents_required.to_string())),
            Cell::new(peak.map_or("-".into(), |i| {
                time::naive_from_minutes(r.minutes[i])
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })),
            right(format!("{:.1}", hours / days as f64)),
            right(format!("{hours:.1}")),
            right(if agents > 0.0 {
                format!("{:.1} %", load / agents * 100.0)
            } else {
                "-".into()
            }),
        ];
        if let Some(base) = base {
            let base_hours = base[k].agent_hours(interval_minutes);
            row.push(right(if base_hours > 0.0 {
                format!("×{:.2} ({base_hours:.1} → {hours:.1})", hours / base_hours)
            } else {
                "-".into()
            }));
        }
        if let Some(sims) = simulated {
            // Expected SL weighted by contacts, against what the simulation achieved.
            let (weighted, volume) = r
                .staffing
                .iter()
                .zip(&r.contacts)
                .fold((0.0, 0.0), |(s, v), (st, c)| {
                    (s + st.service_level * c, v + c)
                });
            let mut total = SimOutcome::default();
            for o in &sims[k] {
                total.add(o);
            }
            row.push(right(if volume > 0.0 {
                format!("{:.1} %", weighted / volume * 100.0)
            } else {
                "-".into()
            }));
            row.push(right(format!("{:.1} %", total.service_level() * 100.0)));
            row.push(right(format!("{:.1} %", total.abandon_rate() * 100.0)));
        }
        table.add_row(row);
    }
    table
}

/// The number of days the minutes fall on; without a set when they are in order, as a forecast's
/// are (a million intervals made a million set insertions).
fn distinct_days(minutes: &[i64]) -> usize {
    if minutes.is_sorted() {
        let mut days = minutes.iter().map(|&m| time::day_of_minute(m));
        let Some(mut last) = days.next() else {
            return 0;
        };
        1 + days
            .filter(|&day| std::mem::replace(&mut last, day) != day)
            .count()
    } else {
        minutes
            .iter()
            .map(|&m| time::day_of_minute(m))
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::distinct_days;

    #[test]
    fn days_are_counted_once_in_or_out_of_order() {
        let day = 1_440;
        assert_eq!(distinct_days(&[]), 0);
        assert_eq!(distinct_days(&[0, 30, day, day + 30, 5 * day]), 3);
        assert_eq!(distinct_days(&[5 * day, 0, day + 30, 30, day]), 3);
        assert_eq!(
            distinct_days(&[-30, 0]),
            2,
            "the minute before the epoch is the day before"
        );
    }
}

/// What `wfm erlang --json` writes: the answer's figures.
#[derive(serde::Serialize)]
pub struct ErlangJson {
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

impl From<&Staffing> for ErlangJson {
    fn from(answer: &Staffing) -> Self {
        ErlangJson {
            agents: answer.agents_raw,
            agents_required: answer.agents_required,
            intensity: answer.intensity,
            service_level: answer.service_level,
            asa_seconds: answer.asa_seconds,
            occupancy: answer.occupancy,
            waiting_probability: answer.waiting_probability,
            abandon_rate: answer.abandon_rate,
        }
    }
}

/// The terminal report of `wfm erlang`: the load, and the figures for two agents either side of
/// the answer (`asked`: the agents were given, not solved for).
pub fn erlang_report(load: &Load, answer: &Staffing, targets: &Targets, asked: bool) -> String {
    let around: Vec<Staffing> = (answer.agents_raw.saturating_sub(2)..=answer.agents_raw + 2)
        .map(|n| evaluate(load, n, targets))
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
        row.push(Cell::new(
            match (s.agents_raw == answer.agents_raw, asked) {
                (false, _) => "",
                (true, true) => "◀ asked",
                (true, false) => "◀ fewest meeting the targets",
            },
        ));
        table.add_row(row);
    }
    let model = if targets.patience_seconds.is_some() {
        "Erlang A"
    } else {
        "Erlang C"
    };
    format!(
        "{} contacts in {} min at AHT {} s = {:.3} Erlangs ({model})\n{table}\n",
        load.contacts,
        load.interval_seconds / 60.0,
        load.aht_seconds,
        answer.intensity
    )
}
