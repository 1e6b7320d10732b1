//! The coverage plot of `wfm schedule`: required agents against the staggered plan and the 2/2
//! roster, interval by interval.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::plot::{draw_legend, render_plot};
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
    let hours = |i: usize| i as f64 * req.interval_minutes as f64 / 60.0;
    let y_max = req
        .required
        .iter()
        .chain(plan)
        .chain(baseline.unwrap_or(&[]))
        .copied()
        .max()
        .unwrap_or(1)
        .max(1) as f64
        * 1.08;
    let start = crate::time::naive_from_minutes(req.start_minute);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{}: agents required and scheduled", req.region),
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..hours(req.len()), 0.0..y_max)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(14)
        .x_label_formatter(&|h: &f64| {
            (start + chrono::Duration::minutes((h * 60.0).round() as i64))
                .format("%m-%d")
                .to_string()
        })
        .y_desc("agents")
        .label_style(("sans-serif", 13))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    // Step lines: each interval holds its value until the next.
    let steps = |values: &[u32]| -> Vec<(f64, f64)> {
        values
            .iter()
            .enumerate()
            .flat_map(|(i, &v)| [(hours(i), v as f64), (hours(i + 1), v as f64)])
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
        .draw_series(LineSeries::new(steps(plan), blue.stroke_width(2)))
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
