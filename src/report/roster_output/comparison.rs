//! The tours beside the 2/2 crews: people, paid hours, coverage and service level.

use super::*;

/// The tour roster and the 2/2 roster side by side at each volume, and, with more than one
/// volume, the headcount growth of each.
pub fn comparison_text(comparisons: &[Comparison], rules: &WorkRules) -> String {
    let mut t = new_table([
        "volume",
        "roster",
        "agents",
        "paid hours",
        "over-staffed agent-h",
        "short intervals",
        "service level",
        "intervals meeting target",
    ]);
    for c in comparisons {
        for (name, f) in [("weekly tours", &c.tours), ("2/2 × 12 h", &c.two_by_two)] {
            let (level, share) = f
                .service_level
                .map_or(("–".to_string(), "–".to_string()), |(l, s)| {
                    (format!("{:.1} %", l * 100.0), format!("{:.1} %", s * 100.0))
                });
            t.add_row(vec![
                Cell::new(format!("×{}", c.volume_scale)),
                Cell::new(name),
                right(f.headcount.to_string()),
                right(format!("{:.0}", f.paid_hours)),
                right(format!("{:.1}", f.over_staffed_agent_hours)),
                right(f.short_intervals.to_string()),
                right(level),
                right(share),
            ]);
        }
    }
    let mut out = format!("{t}");
    if let [first, .., last] = comparisons {
        let mut g = new_table([
            "roster",
            "agents at ×1",
            &format!("agents at ×{}", last.volume_scale),
            "growth",
        ]);
        for (name, a, b) in [
            ("weekly tours", first.tours.headcount, last.tours.headcount),
            (
                "2/2 × 12 h",
                first.two_by_two.headcount,
                last.two_by_two.headcount,
            ),
        ] {
            let growth = if a > 0 {
                format!(
                    "{:+} ({:+.0} %)",
                    b as i64 - a as i64,
                    (b as f64 / a as f64 - 1.0) * 100.0
                )
            } else {
                format!("{:+}", b as i64 - a as i64)
            };
            g.add_row(vec![
                Cell::new(name),
                right(a.to_string()),
                right(b.to_string()),
                right(growth),
            ]);
        }
        out.push_str(&format!("\n{g}"));
    }
    for c in comparisons.iter().filter(|c| c.volume_scale != 1.0) {
        let tours = c.tours.headcount;
        out.push_str(&format!(
            "\nweekly tours at ×{}: no roster of weekly tours has fewer than {}{}; none under these rules fewer than {}{}; rule violations: {}",
            c.volume_scale,
            c.tour_bound,
            percent_above(tours, c.tour_bound),
            c.rules_bound,
            percent_above(tours, c.rules_bound),
            match c.tour_violations {
                0 => "none".to_string(),
                n => n.to_string(),
            }
        ));
    }
    let outside: usize = comparisons
        .iter()
        .map(|c| c.two_by_two_weeks_outside_hours)
        .sum();
    if outside > 0 {
        out.push_str(&format!(
            "\nthe 2/2 roster works 36 or 48 h a week: {outside} agent-week(s) outside {} h ± {:.0} % (whole weeks)",
            rules.contract_hours_per_week,
            rules.hours_tolerance * 100.0
        ));
    }
    out
}
