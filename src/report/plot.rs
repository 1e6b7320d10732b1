//! Shared plotting set-up: the embedded font and the colour scale.

use std::sync::Once;

use plotters::chart::{ChartContext, SeriesLabelPosition};
use plotters::coord::CoordTranslate;
use plotters::prelude::DrawingBackend;
use plotters::style::{Color, FontStyle, RGBColor, BLACK, WHITE};

/// DejaVu Sans (Bitstream Vera licence, see assets/fonts/DejaVu-LICENSE.txt), embedded so plots
/// render the same on a machine without any system font.
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Registers the embedded font as plotters' "sans-serif", once per process.
pub(crate) fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is compiled in and known to be valid; a failure would only lose labels.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// Anchors of the viridis colour map (matplotlib), perceptually uniform and colour-blind safe.
const VIRIDIS: [(u8, u8, u8); 6] = [
    (68, 1, 84),
    (65, 68, 135),
    (42, 120, 142),
    (34, 168, 132),
    (122, 209, 81),
    (253, 231, 37),
];

/// Colour of `t` in [0, 1] on the viridis scale (linear between anchors).
pub(crate) fn viridis(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let scaled = t * (VIRIDIS.len() - 1) as f64;
    let i = (scaled.floor() as usize).min(VIRIDIS.len() - 2);
    let f = scaled - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (x as f64 + f * (y as f64 - x as f64)).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Draws the series legend in the house style (white, lightly framed, 13 px) at `position`.
pub(crate) fn draw_legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    CT: CoordTranslate,
{
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 13))
        .position(position)
        .draw()
        .map_err(|e| e.to_string())
}

/// A drawing error as a person reads it. The bitmap backend's errors print as Rust debug text
/// (`ImageError(IoError(Os { code: 28, kind: StorageFull, .. }))`): their I/O kind is named
/// instead.
pub(crate) fn drawing_error<E: std::error::Error + Send + Sync>(
    error: plotters::drawing::DrawingAreaErrorKind<E>,
) -> String {
    readable_drawing_error(error.to_string())
}

fn readable_drawing_error(text: String) -> String {
    let Some(kind) = text
        .split("kind: ")
        .nth(1)
        .map(|rest| rest.split([',', ' ', '}', ')']).next().unwrap_or(""))
    else {
        return text;
    };
    let reason = match kind {
        "StorageFull" => "no space left on the device".to_string(),
        "PermissionDenied" => "permission denied".to_string(),
        "NotFound" => "no such file or directory".to_string(),
        "InvalidFilename" => "the file name is too long or invalid".to_string(),
        other => format!("an input/output error ({other})"),
    };
    format!("cannot save the image: {reason}")
}

/// Checks a plot path before any work: a writable file ending in `.png` or `.svg`.
pub fn check_plot_path(path: &std::path::Path, flag: &'static str) -> crate::error::Result<()> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if path.as_os_str() == "-" {
        return Err(crate::error::WfmError::option(
            flag,
            "-",
            "a plot needs a file name ending in .png or .svg (one file per region when several); \
             it does not go to stdout",
        ));
    }
    if !matches!(ext.as_deref(), Some("png") | Some("svg")) {
        return Err(crate::error::WfmError::option(
            flag,
            path.display().to_string(),
            "expected a file ending in .png or .svg",
        ));
    }
    crate::atomic::check_output(path, flag)
}

/// Whether a plot path asks for SVG (otherwise PNG).
pub(crate) fn is_svg(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
}

/// Renders a plot atomically to `path`, as SVG when the extension says so and PNG otherwise:
/// `render_plot!(path, SIZE, |root| draw(root, …))`, where `draw` is generic over the backend.
macro_rules! render_plot {
    ($path:expr, $size:expr, |$root:ident| $draw:expr) => {{
        $crate::report::plot::register_fonts();
        $crate::report::write_atomic_with($path, |temp| {
            if $crate::report::plot::is_svg($path) {
                let $root = plotters::prelude::SVGBackend::new(temp, $size).into_drawing_area();
                $draw
            } else {
                let $root = plotters::prelude::BitMapBackend::new(temp, $size).into_drawing_area();
                $draw
            }
        })
    }};
}
pub(crate) use render_plot;

/// `stem-suffix.ext` beside `path` (`plot` and `png` where it has no stem or extension).
pub fn suffixed_plot_path(path: &std::path::Path, suffix: &str) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map_or("plot".into(), |s| s.to_string_lossy());
    let ext = path
        .extension()
        .map_or("png".into(), |e| e.to_string_lossy());
    path.with_file_name(format!("{stem}-{suffix}.{ext}"))
}

/// One path for a single region; `stem-region.ext` for each of several.
pub fn per_region_paths(path: &std::path::Path, regions: &[&str]) -> Vec<std::path::PathBuf> {
    if regions.len() == 1 {
        return vec![path.to_path_buf()];
    }
    regions
        .iter()
        .map(|region| {
            let safe: String = region
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            suffixed_plot_path(path, &safe)
        })
        .collect()
}

/// Draws one plot per item (a region's): at `plot` for a single one, at `stem-region.ext` for
/// each of several ([`per_region_paths`]). An error names the region.
pub fn per_region_plots<T>(
    plot: &std::path::Path,
    items: &[T],
    region: impl Fn(&T) -> &str,
    draw: impl Fn(&std::path::Path, &T) -> crate::error::Result<()>,
) -> crate::error::Result<()> {
    let names: Vec<&str> = items.iter().map(&region).collect();
    for (item, path) in items.iter().zip(per_region_paths(plot, &names)) {
        draw(&path, item).map_err(|e| crate::error::WfmError::Region {
            region: region(item).to_string(),
            message: format!("plotting: {e}"),
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod drawing_error_tests {
    use super::readable_drawing_error;

    #[test]
    fn a_full_disk_is_said_in_words_not_rust_debug_text() {
        let debug_text = "backend error: ImageError(IoError(Os { code: 28, kind: StorageFull, \
                          message: \"No space left on device\" }))";
        assert_eq!(
            readable_drawing_error(debug_text.into()),
            "cannot save the image: no space left on the device"
        );
        assert_eq!(readable_drawing_error("Bad layout".into()), "Bad layout");
    }
}

/// An x axis in weeks since the Monday 00:00 on or before a plot's first interval: its
/// whole-number ticks fall on Mondays, labelled "Mon 03 Jan", and weekends can be shaded.
pub(crate) struct WeekAxis {
    monday_minute: i64,
}

const MINUTES_PER_WEEK: i64 = 7 * crate::time::MINUTES_PER_DAY;

impl WeekAxis {
    pub fn new(first_minute: i64) -> WeekAxis {
        let day = crate::time::day_of_minute(first_minute);
        let weekday = crate::time::weekday_of_minute(first_minute) as i64;
        WeekAxis {
            monday_minute: (day - weekday) * crate::time::MINUTES_PER_DAY,
        }
    }

    /// Where wall-clock `minute` falls, in weeks.
    pub fn x(&self, minute: i64) -> f64 {
        (minute - self.monday_minute) as f64 / MINUTES_PER_WEEK as f64
    }

    /// The label of a tick: its Monday's date, or nothing between Mondays.
    pub fn label(&self, x: f64) -> String {
        let week = x.round();
        if (x - week).abs() > 1e-6 {
            return String::new();
        }
        crate::time::naive_from_minutes(self.monday_minute + week as i64 * MINUTES_PER_WEEK)
            .format("Mon %d %b")
            .to_string()
    }

    /// Ticks to ask for so that they come one a week over `from..to` (in weeks).
    pub fn tick_count(from: f64, to: f64) -> usize {
        ((to - from).ceil() as usize + 1).clamp(2, 60)
    }

    /// Saturday 00:00 to Monday 00:00 of every week over `from..to` (in weeks).
    pub fn weekends(from: f64, to: f64) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        let mut week = from.floor();
        while week < to {
            let (a, b) = ((week + 5.0 / 7.0).max(from), (week + 1.0).min(to));
            if a < b {
                out.push((a, b));
            }
            week += 1.0;
        }
        out
    }
}

/// Saturdays and Sundays shaded light grey over `from..to` (in weeks, as [`WeekAxis`] places
/// them), under whatever is drawn next.
pub(crate) fn shade_weekends<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        plotters::coord::cartesian::Cartesian2d<
            plotters::coord::types::RangedCoordf64,
            plotters::coord::types::RangedCoordf64,
        >,
    >,
    from: f64,
    to: f64,
    y_max: f64,
) -> Result<(), String> {
    use plotters::element::Rectangle;
    let grey = RGBColor(240, 240, 240);
    chart
        .draw_series(
            WeekAxis::weekends(from, to)
                .into_iter()
                .map(|(a, b)| Rectangle::new([(a, 0.0), (b, y_max)], grey.filled())),
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// A whole-number axis label, none between whole numbers (agents come in units).
pub(crate) fn whole_number_label(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-6 {
        format!("{}", v.round() as i64)
    } else {
        String::new()
    }
}

#[cfg(test)]
mod week_axis_tests {
    use super::*;

    #[test]
    fn ticks_fall_on_mondays_and_weekends_are_saturday_to_monday() {
        // Wednesday 2000-01-05 08:00: its week's Monday is 2000-01-03.
        let wednesday = crate::time::day_of_minute(0) + 10_961;
        let axis = WeekAxis::new(wednesday * crate::time::MINUTES_PER_DAY + 480);
        assert_eq!(axis.label(0.0), "Mon 03 Jan");
        assert_eq!(axis.label(1.0), "Mon 10 Jan");
        assert_eq!(axis.label(0.5), "");
        assert!((axis.x(wednesday * crate::time::MINUTES_PER_DAY) - 2.0 / 7.0).abs() < 1e-12);
        assert_eq!(
            WeekAxis::weekends(0.3, 1.9),
            vec![(5.0 / 7.0, 1.0), (1.0 + 5.0 / 7.0, 1.9)]
        );
        assert_eq!(whole_number_label(&3.0), "3");
        assert_eq!(whole_number_label(&2.5), "");
    }
}
