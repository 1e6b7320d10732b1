//! The coverage plot of `wfm schedule`: required agents against the staggered plan and the 2/2
//! roster, interval by interval.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::plot::{draw_legend, render_plot, shade_weekends, whole_number_label, WeekAxis};
use crate::error::Result;
use crate::schedule::Requirement;

const SIZE: (u32, u32) = (1200, 520);

/// The coverage plot of every region's plan (with its 2/2 roster), one file per region.
pub fn write_coverage_plots(plot: &Path, plans: &crate::schedule::stage::Plans) -> Result<()> {
    super::plot::per_region_plots(
        plot,
        &plans.regions,
        |r| &r.requirement.region,
        |path, r| {
            let baseline = r.baseline.as_ref().map(|b| b.scheduled.as_slice());
            write_coverage_plot(path, &r.requirement, &r.plan.scheduled, baseline)
        },
    )
}

pub fn write_coverage_plot(
    path: &Path,
    req: &Requirement,
    plan: &[u32],
    baseline: Option<&[u32]>,
) -> Result<()> {
    render_plot!(path, SIZE, |root| draw(root, req, plan, baseline))
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    req: &Requirement,
    plan: &[u32],
    baseline: Option<&[u32]>,
) -> std::result::Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| super::plot::drawing_error(e);
    root.fill(&WHITE).map_err(err)?;
    // x in weeks from the Monday before the first interval: ticks on Mondays.
    let axis = WeekAxis::new(req.start_minute);
    let x = |i: usize| axis.x(req.minute(0) + i as i64 * req.interval_minutes as i64);
    let (x_from, x_to) = (x(0), x(req.len()));
    let top = req
        .required
        .iter()
        .chain(plan)
        .chain(baseline.unwrap_or(&[]))
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    // Whole agents on the y axis, with a little room above the highest.
    let y_max = (top as f64 * 1.08).ceil().max(top as f64 + 1.0);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{}: agents required and scheduled", req.region),
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(x_from..x_to, 0.0..y_max)
        .map_err(err)?;
    shade_weekends(&mut chart, x_from, x_to, y_max)?;
    chart
        .configure_mesh()
        .x_labels(WeekAxis::tick_count(x_from, x_to))
        .x_label_formatter(&|w: &f64| axis.label(*w))
        .y_labels((y_max as usize + 1).min(12))
        .y_label_formatter(&whole_number_label)
        .y_desc("agents")
        .label_style(("sans-serif", 13))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    // Between the requirement and the plan: over-staffing light blue, shortfalls red, so a
    // short interval shows even where the two lines overlap.
    let over = RGBColor(198, 219, 239);
    let short = RGBColor(215, 48, 39);
    chart
        .draw_series(
            (0..req.len().min(plan.len()))
                .filter(|&i| plan[i] > req.required[i])
                .map(|i| {
                    let (a, b) = (req.required[i] as f64, plan[i] as f64);
                    Rectangle::new([(x(i), a), (x(i + 1), b)], over.filled())
                }),
        )
        .map_err(err)?
        .label("over-staffed")
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], over.filled()));
    let shortfalls: Vec<usize> = (0..req.len().min(plan.len()))
        .filter(|&i| plan[i] < req.required[i])
        .collect();
    let shorts = chart
        .draw_series(shortfalls.iter().map(|&i| {
            // At least a pixel wide: one short interval in a month is still seen.
            let width = (x(i + 1) - x(i)).max((x_to - x_from) / 1000.0);
            let (a, b) = (plan[i] as f64, req.required[i] as f64);
            Rectangle::new([(x(i), a), (x(i) + width, b)], short.filled())
        }))
        .map_err(err)?;
    if !shortfalls.is_empty() {
        shorts
            .label(format!("short ({} intervals)", shortfalls.len()))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], short.filled()));
    }
    // Step lines: each interval holds its value until the next.
    let steps = |values: &[u32]| -> Vec<(f64, f64)> {
        values
            .iter()
            .enumerate()
            .flat_map(|(i, &v)| [(x(i), v as f64), (x(i + 1), v as f64)])
            .collect()
    };
    let orange = RGBColor(253, 141, 60);
    if let Some(b) = baseline {
        chart
            .draw_series(LineSeries::new(steps(b), orange.stroke_width(1)))
            .map_err(err)?
            .label("2/2 12-hour roster")
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], orange.stroke_width(2))
            });
    }
    let blue = RGBColor(33, 113, 181);
    chart
        .draw_series(LineSeries::new(steps(plan), blue.stroke_width(1)))
        .map_err(err)?
        .label("staggered plan")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], blue.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(steps(&req.required), BLACK.stroke_width(1)))
        .map_err(err)?
        .label("required")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK.stroke_width(2)));
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    root.present().map_err(err)
}
