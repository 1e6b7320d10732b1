//! The terminal output of `wfm schedule`: the plan beside the 2/2 roster, and the status of a
//! plan that leaves intervals short.

use comfy_table::{Cell, Table};

use super::table::{new_table, right};
use crate::schedule::interval_text;
use crate::schedule::stage::RegionPlan;
use crate::schedule::{coverage_figures, Plan, Requirement, ShiftCount};
use crate::time::{self, naive_from_minutes};

/// `infeasible: 12 intervals short (first 2024-01-01 07:00 by 3 agents)` for a plan that
/// leaves intervals short (written only under --allow-under), None for one that covers all.
pub fn short_status(req: &Requirement, plan: &Plan) -> Option<String> {
    let first = plan.shortfalls.first()?;
    let count = plan.shortfalls.len();
    Some(format!(
        "infeasible: {count} interval{} short (first {} by {} agent{})",
        if count == 1 { "" } else { "s" },
        naive_from_minutes(req.minute(first.interval)).format("%Y-%m-%d %H:%M"),
        first.missing,
        if first.missing == 1 { "" } else { "s" }
    ))
}
/// `x` with `decimals` decimals; a value that rounds to zero prints as zero, never "-0.0".
fn fixed(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}
/// The staggered plan beside the 2/2 roster: paid hours, agents, coverage, service level.
pub fn comparison_table(r: &RegionPlan, weekly_hours: f64) -> Table {
    let req = &r.requirement;
    let weeks = req.len() as f64 * req.interval_minutes as f64 / (7.0 * 1_440.0);
    let mut header = vec!["".to_string(), "staggered plan".to_string()];
    if r.baseline.is_some() {
        header.push("2/2 12-hour roster".into());
    }
    let mut table = new_table(header);
    let paid = |shifts: &[ShiftCount]| {
        shifts
            .iter()
            .map(|s| s.agents as f64 * s.paid_minutes as f64 / 60.0)
            .sum::<f64>()
    };
    let plan_cov = coverage_figures(&req.required, &r.plan.scheduled, req.interval_minutes);
    let plan_paid = r.plan.paid_hours();
    let plan_sl = r.service_level;
    let base = r.baseline.as_ref().map(|b| {
        (
            paid(&b.shifts),
            coverage_figures(&req.required, &b.scheduled, req.interval_minutes),
            r.baseline_service_level,
            &b.crews,
        )
    });
    let mut row = |name: &str, plan: String, baseline: Option<String>| {
        let mut cells = vec![Cell::new(name), right(plan)];
        if let Some(b) = baseline {
            cells.push(right(b));
        }
        table.add_row(cells);
    };
    let saving = base.as_ref().map(|(p, ..)| {
        if *p > 0.0 {
            {
                let change = fixed((plan_paid - p) / p * 100.0, 1);
                let sign = if change.starts_with('-') { "" } else { "+" };
                format!(" ({sign}{change} %)")
            }
        } else {
            String::new()
        }
    });
    row(
        "paid hours",
        format!("{}{}", fixed(plan_paid, 1), saving.unwrap_or_default()),
        base.as_ref().map(|(p, ..)| fixed(*p, 1)),
    );
    row(
        &format!("headcount at {weekly_hours} h/week"),
        fixed(plan_paid / weeks / weekly_hours, 1),
        base.as_ref()
            .map(|(p, ..)| fixed(p / weeks / weekly_hours, 1)),
    );
    row(
        "over-staffed agent-hours",
        fixed(plan_cov.over_staffed_agent_hours, 1),
        base.as_ref()
            .map(|(_, c, ..)| fixed(c.over_staffed_agent_hours, 1)),
    );
    row(
        "under-staffed intervals",
        plan_cov.under_staffed_intervals.to_string(),
        base.as_ref()
            .map(|(_, c, ..)| c.under_staffed_intervals.to_string()),
    );
    row(
        "distinct shifts",
        r.plan.distinct_shifts().to_string(),
        base.as_ref().map(|(.., crews)| {
            format!(
                "2 (crews {} / {} / {} / {})",
                crews[0], crews[1], crews[2], crews[3]
            )
        }),
    );
    let sl_text = |sl: Option<(f64, f64)>| {
        sl.map_or("-".to_string(), |(level, met)| {
            format!(
                "{} % ({} % of intervals on target)",
                fixed(level * 100.0, 1),
                fixed(met * 100.0, 0)
            )
        })
    };
    row(
        "service level achieved",
        sl_text(plan_sl),
        base.as_ref().map(|(_, _, sl, _)| sl_text(*sl)),
    );
    row(
        "solver",
        match r.plan.shortfalls.len() {
            0 => r.plan.status.to_string(),
            short => format!("{} with {short} intervals short", r.plan.status),
        },
        base.as_ref().map(|_| "sized to cover".to_string()),
    );
    row(
        "gap to LP bound",
        format!("{} %", fixed(r.plan.gap() * 100.0, 2)),
        base.as_ref().map(|_| "-".to_string()),
    );
    row(
        "solve time",
        format!("{:.2} s", r.plan.solve_seconds),
        base.as_ref().map(|_| "-".to_string()),
    );
    table
}

/// The terminal report of `wfm schedule`: per region its intervals, the plan beside the 2/2
/// roster, its status when it leaves intervals short, and the first five short intervals with
/// what blocks them.
pub fn plans_report(results: &[RegionPlan], weekly_hours: f64) -> String {
    let mut text = String::new();
    for r in results {
        text.push_str(&format!(
            "{}: {} intervals from {}\n{}\n",
            r.requirement.region,
            r.requirement.len(),
            time::format_minute(r.requirement.start_minute),
            comparison_table(r, weekly_hours)
        ));
        if let Some(status) = short_status(&r.requirement, &r.plan) {
            text.push_str(&format!("{}: {status}\n", r.requirement.region));
        }
        for s in r.plan.shortfalls.iter().take(5) {
            text.push_str(&format!(
                "short: {} needs {} more agent(s): {}\n",
                time::format_minute(r.requirement.minute(s.interval)),
                s.missing,
                s.cause.describe(&interval_text(&r.requirement, s.interval))
            ));
        }
        if r.plan.shortfalls.len() > 5 {
            text.push_str(&format!(
                "… and {} more short intervals (see coverage.csv)\n",
                r.plan.shortfalls.len() - 5
            ));
        }
    }
    text
}
