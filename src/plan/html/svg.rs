//! Inline SVG charts for the HTML report: no script, no external file, text as SVG text so a
//! browser with JavaScript off shows everything.

use std::fmt::Write;

use super::escape;

/// Chart size in SVG user units (the page scales it to its width).
const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 36.0;

/// Colours: forecast blue, band light blue, actuals grey, required dark, shortfall red.
pub const FORECAST: &str = "#1f5fa8";
pub const BAND: &str = "#c9dcf2";
pub const ACTUAL: &str = "#7a7a7a";
pub const REQUIRED: &str = "#222222";
pub const PLANNED: &str = "#2a8a4a";
pub const BASELINE: &str = "#c07a00";
pub const SHORT: &str = "#d0021b";

/// One line of a chart: its points' y (NaN: no point), colour, label, dashed or not, and
/// whether it is drawn as steps (one value per interval).
pub struct Series<'a> {
    pub values: &'a [f64],
    pub colour: &'a str,
    pub label: &'a str,
    pub dashed: bool,
}

/// A chart of `len` points along x: a band (lower, upper) under lines, red columns where
/// `short` holds, tick labels on x (`ticks`: point index and text) and a y axis from 0 to the
/// highest value, with whole-number ticks when `integer`.
pub struct Chart<'a> {
    pub title: &'a str,
    pub len: usize,
    pub band: Option<(&'a [f64], &'a [f64])>,
    pub lines: Vec<Series<'a>>,
    pub short: Option<&'a [bool]>,
    pub ticks: Vec<(usize, String)>,
    /// Points where a shaded day starts and ends (weekends), as index ranges.
    pub shaded: Vec<(usize, usize)>,
    pub integer: bool,
    pub y_label: &'a str,
}

impl Chart<'_> {
    pub fn svg(&self) -> String {
        let finite = |v: &&f64| v.is_finite();
        let top = self
            .lines
            .iter()
            .flat_map(|s| s.values.iter())
            .chain(self.band.iter().flat_map(|b| b.1.iter()))
            .filter(finite)
            .fold(0.0f64, |m, &v| m.max(v));
        let (step, top) = nice_axis(top, self.integer);
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let n = self.len.max(1) as f64;
        let x = |i: f64| LEFT + plot_w * i / n;
        let y = |v: f64| TOP + plot_h * (1.0 - v / top);
        let mut out = String::new();
        let _ = write!(
            out,
            r#"<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}">"#,
            escape(self.title)
        );
        let _ = write!(out, "<title>{}</title>", escape(self.title));
        for &(from, to) in &self.shaded {
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{TOP}" width="{:.1}" height="{plot_h:.1}" fill="#f2f2f2"/>"##,
                x(from as f64),
                x(to as f64) - x(from as f64)
            );
        }
        if let Some(short) = self.short {
            for (i, _) in short.iter().enumerate().filter(|(_, s)| **s) {
                let _ = write!(
                    out,
                    r#"<rect x="{:.1}" y="{TOP}" width="{:.2}" height="{plot_h:.1}" fill="{SHORT}" fill-opacity="0.25"/>"#,
                    x(i as f64),
                    (x(i as f64 + 1.0) - x(i as f64)).max(1.0)
                );
            }
        }
        // Horizontal grid and y labels.
        let mut level = 0.0;
        while level <= top + 1e-9 {
            let _ = write!(
                out,
                r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#dddddd"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11">{}</text>"##,
                WIDTH - RIGHT,
                LEFT - 4.0,
                y(level) + 4.0,
                axis_number(level, step),
                y = y(level),
            );
            level += step;
        }
        if let Some((lower, upper)) = self.band {
            out.push_str(&band_path(lower, upper, &x, &y));
        }
        for line in &self.lines {
            out.push_str(&step_path(line, &x, &y));
        }
        for (i, text) in &self.ticks {
            let _ = write!(
                out,
                r##"<line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" stroke="#999999"/><text x="{x:.1}" y="{:.1}" font-size="11">{}</text>"##,
                TOP + plot_h,
                TOP + plot_h + 4.0,
                TOP + plot_h + 16.0,
                escape(text),
                x = x(*i as f64),
            );
        }
        let _ = write!(
            out,
            r#"<text x="12" y="{:.1}" font-size="11" transform="rotate(-90 12 {:.1})" text-anchor="middle">{}</text>"#,
            TOP + plot_h / 2.0,
            TOP + plot_h / 2.0,
            escape(self.y_label)
        );
        // Legend along the bottom.
        let mut lx = LEFT;
        let ly = HEIGHT - 6.0;
        let mut legend = |colour: &str, label: &str, kind: &str| {
            let _ = match kind {
                "area" => write!(
                    out,
                    r#"<rect x="{lx:.1}" y="{:.1}" width="14" height="9" fill="{colour}" fill-opacity="0.6"/>"#,
                    ly - 8.0
                ),
                _ => write!(
                    out,
                    r#"<line x1="{lx:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2"{}/>"#,
                    lx + 14.0,
                    ly - 4.0,
                    ly - 4.0,
                    if kind == "dashed" {
                        r#" stroke-dasharray="4 3""#
                    } else {
                        ""
                    }
                ),
            };
            let _ = write!(
                out,
                r#"<text x="{:.1}" y="{ly:.1}" font-size="11">{}</text>"#,
                lx + 18.0,
                escape(label)
            );
            lx += 30.0 + 6.5 * label.chars().count() as f64;
        };
        if self.band.is_some() {
            legend(BAND, "prediction band", "area");
        }
        for line in &self.lines {
            legend(
                line.colour,
                line.label,
                if line.dashed { "dashed" } else { "line" },
            );
        }
        if self.short.is_some_and(|s| s.iter().any(|&b| b)) {
            legend(SHORT, "short of the requirement", "area");
        }
        out.push_str("</svg>");
        out
    }
}

/// A step (one flat segment per point) path of a series; gaps at NaN.
fn step_path(line: &Series, x: &dyn Fn(f64) -> f64, y: &dyn Fn(f64) -> f64) -> String {
    let mut d = String::new();
    let mut open = false;
    for (i, &v) in line.values.iter().enumerate() {
        if !v.is_finite() {
            open = false;
            continue;
        }
        let (x0, x1, yv) = (x(i as f64), x(i as f64 + 1.0), y(v));
        if open {
            let _ = write!(d, "L{x0:.1},{yv:.1}L{x1:.1},{yv:.1}");
        } else {
            let _ = write!(d, "M{x0:.1},{yv:.1}L{x1:.1},{yv:.1}");
            open = true;
        }
    }
    format!(
        r#"<path d="{d}" fill="none" stroke="{}" stroke-width="1.6"{}/>"#,
        line.colour,
        if line.dashed {
            r#" stroke-dasharray="5 3""#
        } else {
            ""
        }
    )
}

/// The band between `lower` and `upper` as one filled polygon per run of finite points.
fn band_path(
    lower: &[f64],
    upper: &[f64],
    x: &dyn Fn(f64) -> f64,
    y: &dyn Fn(f64) -> f64,
) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < lower.len() {
        if !(lower[i].is_finite() && upper[i].is_finite()) {
            i += 1;
            continue;
        }
        let from = i;
        while i < lower.len() && lower[i].is_finite() && upper[i].is_finite() {
            i += 1;
        }
        let mut d = String::new();
        for (k, &high) in upper.iter().enumerate().take(i).skip(from) {
            let _ = write!(
                d,
                "{}{:.1},{:.1}L{:.1},{:.1}",
                if k == from { "M" } else { "L" },
                x(k as f64),
                y(high),
                x(k as f64 + 1.0),
                y(high)
            );
        }
        for k in (from..i).rev() {
            let _ = write!(
                d,
                "L{:.1},{:.1}L{:.1},{:.1}",
                x(k as f64 + 1.0),
                y(lower[k]),
                x(k as f64),
                y(lower[k])
            );
        }
        let _ = write!(out, r#"<path d="{d}Z" fill="{BAND}" stroke="none"/>"#);
    }
    out
}

/// A tick step of 1, 2 or 5 × 10^k giving 4–8 ticks up to at least `top`, and the axis top
/// (whole numbers only when `integer`).
pub fn nice_axis(top: f64, integer: bool) -> (f64, f64) {
    let top = if top > 0.0 { top } else { 1.0 };
    let rough = top / 5.0;
    let power = 10f64.powf(rough.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| top / s <= 7.0)
        .unwrap_or(10.0 * power);
    if integer {
        step = step.max(1.0).round();
    }
    (step, (top / step).ceil() * step)
}

/// An axis number: as a whole number when the step is, else with one decimal.
fn axis_number(value: f64, step: f64) -> String {
    if step.fract() == 0.0 {
        super::grouped(value.round() as i64)
    } else {
        format!("{value:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_step_by_one_two_or_five_and_agents_by_whole_numbers() {
        assert_eq!(nice_axis(37.0, false), (10.0, 40.0));
        assert_eq!(nice_axis(3.2, true), (1.0, 4.0));
        assert_eq!(nice_axis(0.9, false), (0.2, 1.0));
        assert_eq!(nice_axis(0.0, true), (1.0, 1.0));
        assert_eq!(nice_axis(1234.0, false), (200.0, 1400.0));
    }

    #[test]
    fn a_chart_is_one_svg_with_its_title_escaped_and_a_shortfall_column() {
        let values = [1.0, 2.0, f64::NAN, 3.0];
        let chart = Chart {
            title: "EMS <b>",
            len: 4,
            band: None,
            lines: vec![Series {
                values: &values,
                colour: REQUIRED,
                label: "required",
                dashed: false,
            }],
            short: Some(&[false, true, false, false]),
            ticks: vec![(0, "Mon".into())],
            shaded: vec![],
            integer: true,
            y_label: "agents",
        };
        let svg = chart.svg();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("EMS &lt;b&gt;") && !svg.contains("<b>"));
        assert_eq!(svg.matches(SHORT).count(), 2, "one column and its legend");
    }
}
