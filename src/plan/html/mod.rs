//! `report.html`: the month of a `wfm plan` run in one self-contained page that an operations
//! manager opens in a browser. Charts are inline SVG, nothing is loaded from the network, and
//! nothing needs JavaScript. Every text that comes from an input (queue, agent and holiday
//! names, notes, the config) goes through [`escape`].

mod svg;

use std::fmt::Write;

use crate::data::{PointStatus, RegionSeries};
use crate::forecast::forecasts::RegionForecast;
use crate::plan::summary::{PlanSummary, QueueSummary};
use crate::plan::PlanRun;
use crate::schedule::plans::RegionPlan;
use crate::time::{self, MINUTES_PER_DAY};
use svg::{Chart, Series};

/// Weeks of history shown before the month in the daily chart, and averaged as "the last
/// weeks" in the typical week.
const HISTORY_WEEKS_SHOWN: i64 = 8;
const RECENT_WEEKS: i64 = 4;

/// `text` safe inside HTML elements and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole number with thin separators of thousands: 12,345.
fn grouped(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// An HTML table; every cell is escaped. The first column is a header cell.
fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table><thead><tr>");
    for h in headers {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let tag = if i == 0 { "th" } else { "td" };
            let _ = write!(out, "<{tag}>{}</{tag}>", escape(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1000px;padding:0 16px 48px;color:#1b1b1b;line-height:1.45}\
h1{margin-top:24px}h2{border-bottom:2px solid #1f5fa8;padding-bottom:4px;margin-top:40px}h3{margin-top:24px}\
table{border-collapse:collapse;margin:8px 0;font-size:14px}th,td{border:1px solid #d6d6d6;padding:4px 8px;text-align:right}\
thead th{background:#eef3fa}tbody th{text-align:left;font-weight:600}\
.meta{color:#555;font-size:13px}.bad{color:#b00020;font-weight:600}.ok{color:#2a6a3a}\
pre{background:#f6f6f6;padding:10px;overflow-x:auto;font-size:12px}svg{width:100%;height:auto}\
nav a{margin-right:12px}";

/// Marks around each queue's section, so that `wfm plan --merge` can join shards' reports.
const SECTION_START: &str = "<!-- wfm:queue -->";
const SECTION_END: &str = "<!-- /wfm:queue -->";

/// The report of `run`, whose figures are `summary`; `roster_text` is the roster's headline,
/// when one was made.
pub fn plan_report(run: &PlanRun, summary: &PlanSummary, roster_text: Option<&str>) -> String {
    let sections: Vec<String> = (run.plans.regions.iter())
        .filter_map(|plan| {
            let name = &plan.requirement.region;
            let forecast = run.forecasts.regions.iter().find(|f| &f.region == name)?;
            let series = run.history.regions.iter().find(|r| &r.region == name)?;
            Some(queue_section(forecast, series, plan))
        })
        .collect();
    page(
        summary,
        &run.config.input.history.display().to_string(),
        &sections,
        roster_text,
        &run.config.written_out(),
    )
}

/// Each queue's section of a report `plan_report` made, in its order.
pub fn queue_sections(report: &str) -> Vec<String> {
    report
        .split(SECTION_START)
        .skip(1)
        .filter_map(|part| {
            part.split_once(SECTION_END)
                .map(|(section, _)| section.to_string())
        })
        .collect()
}

/// The page: head, the month at a glance, what failed, the queues' `sections` (one per queue
/// of `summary`, in its order), the roster and the config.
pub fn page(
    summary: &PlanSummary,
    history: &str,
    sections: &[String],
    roster_text: Option<&str>,
    config_text: &str,
) -> String {
    let month = &summary.month;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>wfm plan {}</title><style>{STYLE}</style></head><body>",
        escape(month)
    );
    let _ = write!(
        out,
        "<h1>Contact centre plan for {}</h1><p class=\"meta\">wfm {} · history <code>{}</code> \
         (SHA-256 {}) · {} of its {} queue(s) planned · {}-minute intervals</p>",
        escape(month),
        escape(&summary.wfm_version),
        escape(history),
        escape(&summary.input_sha256),
        summary.queues.len(),
        summary.queues_in_history.len(),
        summary.interval_minutes
    );
    out.push_str("<nav>");
    for q in &summary.queues {
        let _ = write!(
            out,
            "<a href=\"#q-{}\">{}</a>",
            anchor(&q.queue),
            escape(&q.queue)
        );
    }
    out.push_str("<a href=\"#roster\">roster</a><a href=\"#config\">config</a></nav>");
    out.push_str(&glance(&summary.queues));
    for q in summary
        .queues
        .iter()
        .filter(|q| q.contacts_outside_hours > 0.0)
    {
        let _ = write!(
            out,
            "<p>{}: {} contacts ({:.1} %) are forecast outside its opening hours and are not \
             staffed.</p>",
            escape(&q.queue),
            grouped(q.contacts_outside_hours.round() as i64),
            100.0 * q.contacts_outside_hours / q.contacts_forecast.max(1e-9)
        );
    }
    if !summary.failed.is_empty() {
        out.push_str("<h2>What failed</h2><ul>");
        for f in &summary.failed {
            let _ = write!(
                out,
                "<li class=\"bad\">{}: {}</li>",
                escape(&f.what),
                escape(&f.why)
            );
        }
        out.push_str("</ul>");
    }
    for section in sections {
        let _ = write!(out, "{SECTION_START}{section}{SECTION_END}");
    }
    out.push_str("<h2 id=\"roster\">Roster</h2>");
    match roster_text {
        Some(text) => {
            let _ = write!(out, "<pre>{}</pre>", escape(text));
        }
        None => out.push_str(
            "<p>No roster: the config names no agents file (<code>[roster] agents</code>), or \
             this plan was run in shards.</p>",
        ),
    }
    let _ = writeln!(
        out,
        "<h2 id=\"config\">Config</h2><p>The run's <code>plan.toml</code>, every default \
         written out:</p><pre>{}</pre></body></html>",
        escape(config_text)
    );
    out
}

/// An id for a queue's section: its name's letters and digits, the rest as `_` and their code.
fn anchor(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("_{:x}", c as u32)
            }
        })
        .collect()
}

/// One row per queue and a total: the month's contacts, the model, the peak requirement, the
/// plan's and the 2/2 roster's paid hours, people and service level.
fn glance(queues: &[QueueSummary]) -> String {
    let level = |sl: Option<f64>| sl.map_or("-".into(), |s| format!("{:.1} %", s * 100.0));
    let hours = |h: Option<f64>| h.map_or("-".into(), |h| grouped(h.round() as i64));
    let mut rows: Vec<Vec<String>> = queues
        .iter()
        .map(|q| {
            vec![
                q.queue.clone(),
                grouped(q.contacts_forecast.round() as i64),
                q.model.clone().unwrap_or_else(|| "-".into()),
                q.peak_agents_required.to_string(),
                grouped(q.plan_paid_hours.round() as i64),
                hours(q.baseline_paid_hours),
                q.baseline_people.map_or("-".into(), |p| p.to_string()),
                level(q.plan_service_level),
                level(q.baseline_service_level),
                match q.intervals_short {
                    0 => "none".into(),
                    n => format!("{n} short"),
                },
            ]
        })
        .collect();
    let paid: f64 = queues.iter().map(|q| q.plan_paid_hours).sum();
    let baseline: f64 = queues.iter().filter_map(|q| q.baseline_paid_hours).sum();
    if queues.len() > 1 {
        let contacts: f64 = queues.iter().map(|q| q.contacts_forecast).sum();
        let people: u32 = queues.iter().filter_map(|q| q.baseline_people).sum();
        let mut total = vec![
            "all queues".to_string(),
            grouped(contacts.round() as i64),
            String::new(),
            String::new(),
            grouped(paid.round() as i64),
            grouped(baseline.round() as i64),
            people.to_string(),
        ];
        total.resize(10, String::new());
        rows.push(total);
    }
    let mut out = String::from("<h2>The month at a glance</h2>");
    if baseline > 0.0 {
        let saved = baseline - paid;
        let _ = write!(
            out,
            "<p>The staggered shift plan pays <strong>{} agent-hours</strong> for the month, \
             against {} for 2-on/2-off 12-hour crews covering the same requirement: \
             <strong>{} hours ({:.0} %) {}</strong>.</p>",
            grouped(paid.round() as i64),
            grouped(baseline.round() as i64),
            grouped(saved.abs().round() as i64),
            100.0 * saved.abs() / baseline,
            if saved >= 0.0 { "fewer" } else { "more" }
        );
    }
    out.push_str(&table(
        &[
            "queue",
            "contacts forecast",
            "model",
            "peak agents required",
            "plan paid hours",
            "2/2 paid hours",
            "2/2 people",
            "plan service level",
            "2/2 service level",
            "intervals short",
        ],
        &rows,
    ));
    out
}

/// A queue's forecast, model choice, requirement against plan, comparison and history notes.
fn queue_section(forecast: &RegionForecast, series: &RegionSeries, plan: &RegionPlan) -> String {
    let name = &forecast.region;
    let mut out = String::new();
    let _ = write!(
        out,
        "<section><h2 id=\"q-{}\">Queue {}</h2>",
        anchor(name),
        escape(name)
    );
    out.push_str("<h3>Contacts per day</h3>");
    out.push_str(&daily_chart(forecast, series));
    out.push_str(
        "<p class=\"meta\">Grey: the last weeks' actual contacts; blue: the forecast. The \
         forecast's band is per interval (see the typical week): intervals' errors are not \
         independent, so no daily band is drawn from them.</p>",
    );
    out.push_str("<h3>A typical week, by interval</h3>");
    out.push_str(&typical_week_chart(forecast, series));
    out.push_str(&model_choice(forecast));
    out.push_str(&requirement_week(plan));
    out.push_str(&comparison(plan));
    out.push_str(&history_notes(forecast, series));
    out.push_str("</section>");
    out
}

/// Day number and weekday (0 = Monday) of a wall-clock minute.
fn day_of(minute: i64) -> (i64, usize) {
    (time::day_of_minute(minute), time::weekday_of_minute(minute))
}

/// Daily totals of the last weeks of history, then of the forecast month with its band.
fn daily_chart(forecast: &RegionForecast, series: &RegionSeries) -> String {
    let Some(&first_minute) = forecast.minutes.first() else {
        return String::new();
    };
    let first_day = time::day_of_minute(first_minute);
    let last_day = time::day_of_minute(*forecast.minutes.last().unwrap_or(&first_minute));
    let start_day = first_day - HISTORY_WEEKS_SHOWN * 7;
    let len = (last_day - start_day + 1).max(1) as usize;
    let mut actual = vec![f64::NAN; len];
    let mut point = vec![f64::NAN; len];
    for (i, &v) in series.contacts.iter().enumerate() {
        let minute = series.start_minute + i as i64 * series.interval_minutes as i64;
        let day = time::day_of_minute(minute);
        if day < start_day || day >= first_day {
            continue;
        }
        let slot = &mut actual[(day - start_day) as usize];
        *slot = if slot.is_nan() { v } else { *slot + v };
    }
    for (i, &minute) in forecast.minutes.iter().enumerate() {
        let k = (time::day_of_minute(minute) - start_day) as usize;
        let add = |slot: &mut f64, v: f64| {
            if v.is_finite() {
                *slot = if slot.is_nan() { v } else { *slot + v };
            }
        };
        add(&mut point[k], forecast.point[i]);
    }
    let mut ticks = Vec::new();
    let mut shaded = Vec::new();
    for k in 0..len {
        let day = start_day + k as i64;
        let (_, weekday) = day_of(day * MINUTES_PER_DAY);
        if weekday == 5 {
            shaded.push((k, (k + 2).min(len)));
        }
        if weekday == 0 {
            ticks.push((k, time::date_from_day(day).format("%d %b").to_string()));
        }
    }
    Chart {
        title: &format!("{} contacts per day", forecast.region),
        len,
        band: None,
        lines: vec![
            Series {
                values: &actual,
                colour: svg::ACTUAL,
                label: "actual",
                dashed: false,
            },
            Series {
                values: &point,
                colour: svg::FORECAST,
                label: "forecast",
                dashed: false,
            },
        ],
        short: None,
        ticks,
        shaded,
        integer: false,
        y_label: "contacts per day",
    }
    .svg()
}

/// The forecast month's mean by weekday and interval, with its band, against the mean of the
/// last weeks of history (outages and gaps left out).
fn typical_week_chart(forecast: &RegionForecast, series: &RegionSeries) -> String {
    let step = forecast.interval_minutes.max(1) as i64;
    let slots = (7 * MINUTES_PER_DAY / step) as usize;
    let slot_of = |minute: i64| {
        let (_, weekday) = day_of(minute);
        (weekday as i64 * MINUTES_PER_DAY + minute.rem_euclid(MINUTES_PER_DAY)) as usize
            / step as usize
    };
    let mean = |sums: Vec<(f64, u32)>| -> Vec<f64> {
        sums.into_iter()
            .map(|(s, n)| if n > 0 { s / n as f64 } else { f64::NAN })
            .collect()
    };
    let mut sums = [
        vec![(0.0, 0u32); slots],
        vec![(0.0, 0u32); slots],
        vec![(0.0, 0u32); slots],
    ];
    for (i, &minute) in forecast.minutes.iter().enumerate() {
        let k = slot_of(minute).min(slots - 1);
        for (which, v) in [forecast.point[i], forecast.lower[i], forecast.upper[i]]
            .into_iter()
            .enumerate()
        {
            if v.is_finite() {
                sums[which][k].0 += v;
                sums[which][k].1 += 1;
            }
        }
    }
    let [point, lower, upper] = sums.map(mean);
    let from = forecast.minutes.first().copied().unwrap_or(0) - RECENT_WEEKS * 7 * MINUTES_PER_DAY;
    let mut recent = vec![(0.0, 0u32); slots];
    if series.interval_minutes as i64 == step {
        for (i, &v) in series.contacts.iter().enumerate() {
            let minute = series.start_minute + i as i64 * step;
            let usable = matches!(
                series.status.get(i),
                Some(PointStatus::Observed | PointStatus::Closed)
            );
            if minute >= from && usable {
                let k = slot_of(minute).min(slots - 1);
                recent[k].0 += v;
                recent[k].1 += 1;
            }
        }
    }
    let recent = mean(recent);
    let per_day = slots / 7;
    let ticks = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .enumerate()
        .map(|(d, name)| (d * per_day, name.to_string()))
        .collect();
    Chart {
        title: &format!("{}: a typical week", forecast.region),
        len: slots,
        band: Some((&lower, &upper)),
        lines: vec![
            Series {
                values: &recent,
                colour: svg::ACTUAL,
                label: "mean of the last 4 weeks",
                dashed: false,
            },
            Series {
                values: &point,
                colour: svg::FORECAST,
                label: "forecast, mean of the month",
                dashed: false,
            },
        ],
        short: None,
        ticks,
        shaded: vec![(5 * per_day, slots)],
        integer: false,
        y_label: &format!("contacts per {step} min"),
    }
    .svg()
}

/// The backtest that chose the model: every candidate's score, best first.
fn model_choice(forecast: &RegionForecast) -> String {
    let mut out = String::from("<h3>Why this model</h3>");
    let chosen = forecast
        .model
        .as_ref()
        .map_or("-".to_string(), |m| m.to_string());
    if forecast.selection.is_empty() {
        let _ = write!(
            out,
            "<p>Model <strong>{}</strong>, as the config asked (no backtest ran).</p>",
            escape(&chosen)
        );
        return out;
    }
    let origins = forecast.selection[0].origins;
    let _ = write!(
        out,
        "<p>Model <strong>{}</strong>: the lowest error when each candidate forecast the same \
         history it had not seen, from {origins} origin(s). Score: the mean of interval and daily \
         RMSSE (below 1 beats a seasonal naive forecast); WAPE is the share of contacts missed.</p>",
        escape(&chosen)
    );
    let rows: Vec<Vec<String>> = forecast
        .selection
        .iter()
        .take(6)
        .map(|c| {
            let pct = |v: f64| {
                if v.is_finite() {
                    format!("{:.1} %", v * 100.0)
                } else {
                    "-".into()
                }
            };
            vec![
                c.model.to_string(),
                if c.score.is_finite() {
                    format!("{:.3}", c.score)
                } else {
                    "could not be scored".into()
                },
                pct(c.interval_wape),
                pct(c.daily_wape),
            ]
        })
        .collect();
    out.push_str(&table(
        &["candidate", "score", "interval WAPE", "daily WAPE"],
        &rows,
    ));
    out
}

/// Agents required against planned over the first whole week of the month (Monday to Sunday),
/// shortfalls in red, the 2/2 roster dashed.
fn requirement_week(plan: &RegionPlan) -> String {
    let r = &plan.requirement;
    let step = r.interval_minutes.max(1) as i64;
    let per_week = (7 * MINUTES_PER_DAY / step) as usize;
    let first_monday = (0..r.required.len())
        .find(|&i| {
            let m = r.minute(i);
            m.rem_euclid(MINUTES_PER_DAY) == 0 && time::weekday_of_minute(m) == 0
        })
        .filter(|&i| i + per_week <= r.required.len())
        .unwrap_or(0);
    let end = (first_monday + per_week).min(r.required.len());
    let required: Vec<f64> = r.required[first_monday..end]
        .iter()
        .map(|&v| v as f64)
        .collect();
    let planned: Vec<f64> = plan.plan.scheduled[first_monday..end]
        .iter()
        .map(|&v| v as f64)
        .collect();
    let baseline: Vec<f64> = plan.baseline.as_ref().map_or(Vec::new(), |b| {
        b.scheduled[first_monday..end]
            .iter()
            .map(|&v| v as f64)
            .collect()
    });
    let short: Vec<bool> = required.iter().zip(&planned).map(|(r, p)| p < r).collect();
    let per_day = (MINUTES_PER_DAY / step) as usize;
    let ticks = (0..required.len())
        .step_by(per_day.max(1))
        .map(|i| {
            let m = r.minute(first_monday + i);
            (i, time::naive_from_minutes(m).format("%a %d").to_string())
        })
        .collect();
    let mut lines = vec![
        Series {
            values: &required,
            colour: svg::REQUIRED,
            label: "required",
            dashed: false,
        },
        Series {
            values: &planned,
            colour: svg::PLANNED,
            label: "staggered plan",
            dashed: false,
        },
    ];
    if !baseline.is_empty() {
        lines.push(Series {
            values: &baseline,
            colour: svg::BASELINE,
            label: "2/2 crews",
            dashed: true,
        });
    }
    let shortfalls = short.iter().filter(|&&s| s).count();
    let mut out = format!(
        "<h3>Agents required and planned, week of {}</h3>",
        time::naive_from_minutes(r.minute(first_monday)).format("%A %d %B %Y")
    );
    let weekend = |from_day: usize| {
        (
            from_day * per_day,
            ((from_day + 2) * per_day).min(required.len()),
        )
    };
    out.push_str(
        &Chart {
            title: &format!("{}: agents required and planned", r.region),
            len: required.len(),
            band: None,
            lines,
            short: Some(&short),
            ticks,
            shaded: vec![weekend(5)],
            integer: true,
            y_label: "agents scheduled",
        }
        .svg(),
    );
    let _ = write!(
        out,
        "<p class=\"{}\">{}</p>",
        if shortfalls == 0 { "ok" } else { "bad" },
        if shortfalls == 0 {
            "Every interval of this week is covered.".to_string()
        } else {
            format!("{shortfalls} interval(s) of this week are short of the requirement (red).")
        }
    );
    out
}

/// The plan against the 2/2 crews: paid hours, people, service level.
fn comparison(plan: &RegionPlan) -> String {
    let mut out = String::from("<h3>Staggered shifts against 2-on/2-off crews</h3>");
    let level = |sl: Option<(f64, f64)>| sl.map_or("-".into(), |s| format!("{:.1} %", s.0 * 100.0));
    let starts: std::collections::BTreeSet<i64> = plan
        .plan
        .shifts
        .iter()
        .map(|s| s.start_minute.rem_euclid(MINUTES_PER_DAY))
        .collect();
    let mut rows = vec![vec![
        "staggered plan".to_string(),
        grouped(plan.plan.paid_hours().round() as i64),
        format!("{} start times", starts.len()),
        level(plan.service_level),
        plan.plan.shortfalls.len().to_string(),
    ]];
    if let Some(b) = &plan.baseline {
        let paid = b.paid_hours();
        let short = plan
            .requirement
            .required
            .iter()
            .zip(&b.scheduled)
            .filter(|(r, s)| s < r)
            .count();
        rows.push(vec![
            "2/2 × 12 h crews".to_string(),
            grouped(paid.round() as i64),
            format!("{} people in 4 crews", b.crews.iter().sum::<u32>()),
            level(plan.baseline_service_level),
            short.to_string(),
        ]);
    }
    out.push_str(&table(
        &[
            "roster",
            "paid hours",
            "shape",
            "service level",
            "intervals short",
        ],
        &rows,
    ));
    out
}

/// Outages, gaps and holidays of the history, and the forecast's notes.
fn history_notes(forecast: &RegionForecast, series: &RegionSeries) -> String {
    let mut out = String::from("<h3>What the history held</h3><ul>");
    let count = |status: PointStatus| series.status.iter().filter(|&&s| s == status).count();
    let step = series.interval_minutes as f64 / 60.0;
    let days_with = |status: PointStatus| -> Vec<String> {
        let mut days: Vec<i64> = (0..series.status.len())
            .filter(|&i| series.status[i] == status)
            .map(|i| {
                time::day_of_minute(series.start_minute + i as i64 * series.interval_minutes as i64)
            })
            .collect();
        days.dedup();
        days.iter()
            .map(|&d| time::date_from_day(d).to_string())
            .collect()
    };
    for (status, what) in [
        (PointStatus::Outage, "feed outage (left out of training)"),
        (PointStatus::Gap, "gap, filled as [input] missing says"),
        (PointStatus::Holiday, "holiday with no rows (closed)"),
    ] {
        let n = count(status);
        if n == 0 {
            continue;
        }
        let days = days_with(status);
        let shown: Vec<String> = days.iter().take(8).cloned().collect();
        let _ = write!(
            out,
            "<li>{} interval(s) ({:.1} h) of {what}, on {} day(s): {}{}</li>",
            n,
            n as f64 * step,
            days.len(),
            escape(&shown.join(", ")),
            if days.len() > shown.len() {
                ", …"
            } else {
                ""
            }
        );
    }
    let mut special: Vec<&str> = forecast
        .special_day
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    special.dedup();
    if !special.is_empty() {
        let _ = write!(
            out,
            "<li>Special days in the month, forecast as such: {}</li>",
            escape(&special.join(", "))
        );
    }
    for note in &forecast.notes {
        let _ = write!(out, "<li>{}</li>", escape(note));
    }
    if out.ends_with("<ul>") {
        out.push_str("<li>No outage, gap or holiday was found.</li>");
    }
    out.push_str("</ul>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_an_input_is_shown_as_text() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(-12), "-12");
        assert_eq!(anchor("<EMS>"), "_3cEMS_3e");
    }
}
