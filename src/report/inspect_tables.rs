//! Terminal tables of `wfm inspect`.

use comfy_table::{Cell, Table};

use super::table::{new_table, right};

use crate::data::RegionProfile;
use crate::time::{format_duration_minutes, WEEKDAY_NAMES};

/// A count with thousands separators and one decimal only when it has one (half-counts).
pub fn format_count(value: f64) -> String {
    if !value.is_finite() {
        return "-".into();
    }
    let rounded = (value * 10.0).round() / 10.0;
    let whole = rounded.trunc().abs() as u64;
    let digits = whole.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if rounded < 0.0 { "-" } else { "" };
    let tenths = ((rounded.abs() - whole as f64) * 10.0).round() as u64;
    if tenths == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{tenths}")
    }
}

/// One row per region: coverage, data quality and volume at a glance.
pub fn overview_table(profiles: &[RegionProfile]) -> Table {
    let mut table = new_table(
        [
            "region",
            "period",
            "interval",
            "rows",
            "closed slots",
            "gaps",
            "zero intervals",
            "outages",
            "total contacts",
            "mean / day",
            "peak interval",
            "peak",
        ]
        .map(String::from)
        .to_vec(),
    );
    for p in profiles {
        let (peak_at, peak) = p.peak.as_ref().map_or(("-".into(), "-".into()), |peak| {
            (
                peak.timestamp.format("%Y-%m-%d %H:%M").to_string(),
                format_count(peak.contacts),
            )
        });
        table.add_row(vec![
            Cell::new(&p.region),
            Cell::new(format!(
                "{} – {}",
                p.first.format("%Y-%m-%d %H:%M"),
                p.last.format("%Y-%m-%d %H:%M")
            )),
            right(format_duration_minutes(p.interval_minutes)),
            right(format_count(p.source_rows as f64)),
            right(format!(
                "{} of {}",
                format_count(p.closed_slots as f64),
                format_count(p.slots_per_week as f64)
            )),
            right(format_count(p.gap_intervals as f64)),
            right(format_count(p.zero_intervals as f64)),
            right(format_count(p.outages.len() as f64)),
            right(format_count(p.total_contacts)),
            right(format_count(p.mean_contacts_per_day)),
            Cell::new(peak_at),
            right(peak),
        ]);
    }
    table
}

/// How many outages [`outage_list`] lists per region before "… and N more".
pub const OUTAGES_LISTED: usize = 20;

/// The outages of every region that has any, one line each (start, end, expected contacts),
/// at most [`OUTAGES_LISTED`] per region; empty when there are none.
pub fn outage_list(profiles: &[RegionProfile]) -> String {
    let mut text = String::new();
    for p in profiles.iter().filter(|p| !p.outages.is_empty()) {
        if text.is_empty() {
            text.push_str(
                "\nOutages (runs of zeros that the same slots in neighbouring weeks make \
                 implausible; --outages keep to count them as demand)\n",
            );
        }
        text.push_str(&format!("{}: {} outage(s)\n", p.region, p.outages.len()));
        for o in p.outages.iter().take(OUTAGES_LISTED) {
            let end = if o.end.date() == o.start.date()
                || (o.end.time() == chrono::NaiveTime::MIN
                    && o.end.date().pred_opt() == Some(o.start.date()))
            {
                o.end.format("%H:%M").to_string()
            } else {
                o.end.format("%Y-%m-%d %H:%M").to_string()
            };
            let end = if end == "00:00" {
                "24:00".to_string()
            } else {
                end
            };
            text.push_str(&format!(
                "  {} – {end}  expected {} contacts\n",
                o.start.format("%Y-%m-%d %H:%M"),
                format_count(o.expected_contacts.round())
            ));
        }
        if p.outages.len() > OUTAGES_LISTED {
            text.push_str(&format!(
                "  … and {} more\n",
                p.outages.len() - OUTAGES_LISTED
            ));
        }
    }
    text
}

/// Weekday totals, the average weekday × hour profile and notes for one region.
pub fn region_details(p: &RegionProfile) -> String {
    let mut weekdays = new_table(std::iter::once("").chain(WEEKDAY_NAMES));
    weekdays.add_row(
        std::iter::once(Cell::new("total"))
            .chain(p.weekday_totals.iter().map(|&t| right(format_count(t))))
            .collect::<Vec<_>>(),
    );
    weekdays.add_row(
        std::iter::once(Cell::new("mean / day"))
            .chain(p.weekday_totals.iter().zip(p.weekday_days).map(|(&t, n)| {
                right(if n > 0 {
                    format_count(t / n as f64)
                } else {
                    "-".into()
                })
            }))
            .collect::<Vec<_>>(),
    );

    let mut hourly = new_table(std::iter::once("hour").chain(WEEKDAY_NAMES));
    for hour in 0..24 {
        hourly.add_row(
            std::iter::once(Cell::new(format!("{hour:02}:00")))
                .chain((0..7).map(|w| right(format!("{:.1}", p.hourly_profile[w][hour]))))
                .collect::<Vec<_>>(),
        );
    }

    let mut notes = Vec::new();
    if p.holiday_intervals > 0 {
        notes.push(format!(
            "{} intervals closed on holidays",
            p.holiday_intervals
        ));
    }
    if !p.outages.is_empty() {
        notes.push(format!(
            "{} intervals in {} outage(s), marked as missing rather than zero demand",
            p.outage_intervals,
            p.outages.len()
        ));
    }
    if p.gap_intervals > 0 {
        notes.push(format!(
            "{} gap intervals filled (--missing)",
            p.gap_intervals
        ));
    }
    if p.dst_skipped_intervals > 0 || p.dst_repeats_merged > 0 {
        notes.push(format!(
            "DST: {} skipped intervals interpolated, {} repeated intervals merged",
            p.dst_skipped_intervals, p.dst_repeats_merged
        ));
    }
    if let Some(aht) = p.aht_seconds {
        notes.push(format!("mean AHT {aht:.0} s (volume-weighted)"));
    }
    let mut text = format!(
        "\n== {} ==\nWeekday totals ({} days)\n{weekdays}\nMean contacts per hour, weekday × hour\n{hourly}\n",
        p.region, p.days
    );
    if !p.outlier_days.is_empty() {
        text.push_str(
            "Unusual days (robust z-score beyond ±3.5 against the same weekday's median)\n",
        );
        let mut outliers = new_table(
            ["date", "weekday", "contacts", "typical", "z", "holiday"]
                .map(String::from)
                .to_vec(),
        );
        for o in &p.outlier_days {
            outliers.add_row(vec![
                Cell::new(o.date.to_string()),
                Cell::new(o.weekday),
                right(format_count(o.contacts)),
                right(format_count(o.typical_contacts)),
                right(format!("{:.1}", o.robust_z)),
                Cell::new(o.holiday.clone().unwrap_or_default()),
            ]);
        }
        text.push_str(&format!("{outliers}\n"));
    }
    for note in notes {
        text.push_str(&format!("note: {note}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::format_count;

    #[test]
    fn counts_group_thousands_and_keep_half_counts() {
        assert_eq!(format_count(445_414.5), "445,414.5");
        assert_eq!(format_count(1_000.0), "1,000");
        assert_eq!(format_count(999.0), "999");
        assert_eq!(format_count(0.0), "0");
        assert_eq!(format_count(12.04), "12");
        assert_eq!(format_count(f64::NAN), "-");
    }
}

/// What `wfm inspect --json` writes: the file, its interval and every region's profile.
#[derive(serde::Serialize)]
pub struct InspectJson<'a> {
    pub file: &'a std::path::Path,
    pub interval_minutes: u32,
    pub source_interval_minutes: u32,
    /// Just after the file's data; every region runs to it.
    pub end: chrono::NaiveDateTime,
    pub regions: &'a [RegionProfile],
}

impl<'a> InspectJson<'a> {
    pub fn new(history: &'a crate::data::History, profiles: &'a [RegionProfile]) -> Self {
        InspectJson {
            file: &history.path,
            interval_minutes: history.interval_minutes,
            source_interval_minutes: history.source_interval_minutes,
            end: crate::time::naive_from_minutes(history.end_minute),
            regions: profiles,
        }
    }
}

/// The terminal report of `wfm inspect`: the file's overview table and, unless `brief`, the
/// outages and every region's details.
pub fn inspect_report(
    history: &crate::data::History,
    profiles: &[RegionProfile],
    brief: bool,
) -> String {
    let mut text = format!(
        "{}: {} region(s), {}-minute intervals{}\n{}\n",
        history.path.display(),
        profiles.len(),
        history.interval_minutes,
        if history.interval_minutes != history.source_interval_minutes {
            format!(
                " (resampled from {} minutes)",
                history.source_interval_minutes
            )
        } else {
            String::new()
        },
        overview_table(profiles)
    );
    if !brief {
        text.push_str(&outage_list(profiles));
        for profile in profiles {
            text.push_str(&region_details(profile));
        }
    }
    text
}
