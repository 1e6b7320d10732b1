//! The weekday × hour heat map of `wfm inspect --plot`.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::plot::{render_plot, viridis};
use crate::error::Result;
use crate::time::WEEKDAY_NAMES;

const SIZE: (u32, u32) = (900, 720);

/// Writes a heat map of mean contacts per hour, `[weekday][hour]` Monday first, as PNG or SVG
/// (by extension), atomically.
pub fn write_heatmap(path: &Path, title: &str, profile: &[[f64; 24]; 7]) -> Result<()> {
    render_plot!(path, SIZE, |root| draw(root, title, profile))
}

/// The heat map of every region's mean contacts per hour of the week, one file per region.
pub fn write_heatmaps(plot: &Path, profiles: &[crate::data::RegionProfile]) -> Result<()> {
    super::plot::per_region_plots(
        plot,
        profiles,
        |p| &p.region,
        |path, p| {
            let title = format!("{}: mean contacts per hour", p.region);
            write_heatmap(path, &title, &p.hourly_profile)
        },
    )
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    profile: &[[f64; 24]; 7],
) -> std::result::Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| super::plot::drawing_error(e);
    root.fill(&WHITE).map_err(err)?;
    let max = profile
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let scale_max = if max > 0.0 { max } else { 1.0 };

    let (main, legend) = root.split_horizontally(SIZE.0 - 130);
    let mut chart = ChartBuilder::on(&main)
        .caption(title, ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5..6.5, 0.0..24.0)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(7)
        .y_labels(25)
        // Weekday names under the column centres; hours at the top edge of their row (00 on top).
        .x_label_formatter(&|x: &f64| {
            let w = x.round();
            if (x - w).abs() < 1e-6 && (0.0..7.0).contains(&w) {
                WEEKDAY_NAMES[w as usize].to_string()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y: &f64| {
            let hour = 24.0 - y;
            if (0.0..24.0).contains(&hour) && (hour - hour.round()).abs() < 1e-6 {
                format!("{:02}:00", hour.round() as u32)
            } else {
                String::new()
            }
        })
        .x_desc("weekday")
        .y_desc("hour of day (local)")
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .draw()
        .map_err(err)?;
    chart
        .draw_series((0..7).flat_map(|w| {
            (0..24).map(move |h| {
                let value = profile[w][h];
                let top = 24.0 - h as f64;
                Rectangle::new(
                    [(w as f64 - 0.5, top), (w as f64 + 0.5, top - 1.0)],
                    viridis(value / scale_max).filled(),
                )
            })
        }))
        .map_err(err)?;

    // Colour scale.
    let mut bar = ChartBuilder::on(&legend)
        .margin_top(46)
        .margin_bottom(52)
        .margin_right(12)
        .y_label_area_size(70)
        .caption("contacts / hour", ("sans-serif", 13))
        .build_cartesian_2d(0.0..1.0, 0.0..scale_max)
        .map_err(err)?;
    bar.configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(8)
        .y_label_formatter(&|v: &f64| format!("{v:.0}"))
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(err)?;
    let steps = 100;
    bar.draw_series((0..steps).map(|k| {
        let lo = scale_max * k as f64 / steps as f64;
        let hi = scale_max * (k + 1) as f64 / steps as f64;
        Rectangle::new(
            [(0.0, lo), (1.0, hi)],
            viridis(k as f64 / (steps - 1) as f64).filled(),
        )
    }))
    .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}
