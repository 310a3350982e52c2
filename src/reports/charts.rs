//! Hand-written SVG charts: small, accessible (a title and a description; the numbers are always
//! also shown as a table by the page), no script, no inline styles (the CSP forbids them).

use std::fmt::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A line chart of `(label, value)` points on a fixed y range, with an optional reference line.
pub fn line_chart(
    title: &str,
    points: &[(String, f64)],
    y_min: f64,
    y_max: f64,
    reference: Option<(f64, &str)>,
) -> String {
    let (w, h, left, right, top, bottom) = (560.0, 220.0, 40.0, 12.0, 14.0, 34.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let span = (y_max - y_min).max(1e-9);
    let y = |v: f64| top + ph - (v.clamp(y_min, y_max) - y_min) / span * ph;
    let x = |i: usize| x_at(i, points.len(), left, pw);
    let mut s = open_svg(w, h, title);
    for k in 0..=4 {
        let v = y_min + span * f64::from(k) / 4.0;
        let yy = y(v);
        gridline(&mut s, left, w - right, yy, &format!("{v:.0}"));
    }
    if let Some((r, label)) = reference {
        let yy = y(r);
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{x2}" y1="{yy:.1}" y2="{yy:.1}" stroke="#2b7a0b" stroke-dasharray="4 3"/><text x="{x2}" y="{ty:.1}" font-size="11" text-anchor="end" fill="#2b7a0b">{l}</text>"##,
            x2 = w - right,
            ty = yy - 4.0,
            l = esc(label)
        );
    }
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, (_, v))| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let _ = write!(
            s,
            r##"<polyline fill="none" stroke="#0b5cad" stroke-width="2" points="{}"/>"##,
            path.join(" ")
        );
    }
    for (i, (label, v)) in points.iter().enumerate() {
        let _ = write!(
            s,
            r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="4" fill="#0b5cad"><title>{l}: {v}</title></circle>"##,
            cx = x(i),
            cy = y(*v),
            l = esc(label)
        );
        if label_shown(i, points.len(), 12, 8) {
            x_label(&mut s, x(i), h - 12.0, label);
        }
    }
    s.push_str("</svg>");
    s
}

/// A bar chart of `(label, value)`, optionally with a second series drawn as a thinner bar.
pub fn bar_chart(title: &str, bars: &[(String, f64)], y_max: Option<f64>) -> String {
    let (w, h, left, right, top, bottom) = (560.0, 220.0, 40.0, 12.0, 14.0, 46.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let max = y_max
        .unwrap_or_else(|| bars.iter().map(|b| b.1).fold(0.0, f64::max))
        .max(1.0);
    let n = bars.len().max(1) as f64;
    let bw = pw / n;
    let mut s = open_svg(w, h, title);
    for k in 0..=4 {
        let v = max * f64::from(k) / 4.0;
        let yy = top + ph - v / max * ph;
        gridline(&mut s, left, w - right, yy, &fmt_num(v));
    }
    for (i, (label, v)) in bars.iter().enumerate() {
        let bh = (v / max).clamp(0.0, 1.0) * ph;
        let bx = left + bw * i as f64 + bw * 0.15;
        let _ = write!(
            s,
            r##"<rect x="{bx:.1}" y="{by:.1}" width="{ww:.1}" height="{bh:.1}" fill="#0b5cad"><title>{l}: {v}</title></rect>"##,
            by = top + ph - bh,
            ww = bw * 0.7,
            l = esc(label),
            v = fmt_num(*v)
        );
        if label_shown(i, bars.len(), 16, 12) {
            let short: String = label.chars().take(14).collect();
            x_label(&mut s, bx + bw * 0.35, h - 28.0, &short);
        }
    }
    s.push_str("</svg>");
    s
}

/// Colours of the series of a multi-series chart (distinct in greyscale print too).
const PALETTE: [&str; 6] = [
    "#0b5cad", "#9b2226", "#2b7a0b", "#6a3d9a", "#b15928", "#333333",
];

/// A line chart with several named series over the same labels, with a legend. The y axis runs
/// from 0 to the largest value.
pub fn multi_line_chart(title: &str, labels: &[String], series: &[(String, Vec<f64>)]) -> String {
    let (w, h, left, right, top, bottom) = (560.0, 240.0, 40.0, 12.0, 14.0, 54.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0, f64::max)
        .max(1.0);
    let y = |v: f64| top + ph - (v.clamp(0.0, max) / max) * ph;
    let x = |i: usize| x_at(i, labels.len(), left, pw);
    let mut s = open_svg(w, h, title);
    for k in 0..=4 {
        let v = max * f64::from(k) / 4.0;
        let yy = y(v);
        gridline(&mut s, left, w - right, yy, &fmt_num(v));
    }
    for (si, (name, values)) in series.iter().enumerate() {
        let colour = PALETTE[si % PALETTE.len()];
        if values.len() > 1 {
            let path: Vec<String> = values
                .iter()
                .enumerate()
                .map(|(i, v)| format!("{:.0},{:.0}", x(i), y(*v)))
                .collect();
            let _ = write!(
                s,
                r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"#,
                path.join(" ")
            );
        }
        // Markers only where they can be told apart; the numbers are in the page's table.
        for (i, v) in values.iter().enumerate().filter(|_| values.len() <= 24) {
            let _ = write!(
                s,
                r#"<circle cx="{cx:.0}" cy="{cy:.0}" r="3" fill="{colour}"/>"#,
                cx = x(i),
                cy = y(*v),
            );
        }
        let lx = left + 130.0 * (si % 4) as f64;
        let ly = h - 8.0 - 12.0 * (si / 4) as f64;
        let _ = write!(
            s,
            r##"<rect x="{lx:.1}" y="{ry:.1}" width="10" height="10" fill="{colour}"/><text x="{tx:.1}" y="{ly:.1}" font-size="10" fill="#333333">{n}</text>"##,
            ry = ly - 9.0,
            tx = lx + 14.0,
            n = esc(&name.chars().take(22).collect::<String>())
        );
    }
    for (i, label) in labels.iter().enumerate() {
        if label_shown(i, labels.len(), 12, 8) {
            x_label(&mut s, x(i), h - 30.0, label);
        }
    }
    s.push_str("</svg>");
    s
}

/// A horizontal grid line across the plot at `y`, with its value `text` left of the axis.
fn gridline(s: &mut String, left: f64, right: f64, y: f64, text: &str) {
    let _ = write!(
        s,
        r##"<line x1="{left}" x2="{right}" y1="{y:.1}" y2="{y:.1}" stroke="#e1e6eb"/><text x="{tx}" y="{ty:.1}" font-size="11" text-anchor="end" fill="#5a6470">{text}</text>"##,
        tx = left - 4.0,
        ty = y + 4.0
    );
}

/// Whether the `i`th of `n` labels under the x axis is written: all of them up to `all`,
/// otherwise about `about` evenly spaced ones.
fn label_shown(i: usize, n: usize, all: usize, about: usize) -> bool {
    n <= all || i.is_multiple_of((n / about).max(1))
}

/// A label under the x axis, centred on `x`.
fn x_label(s: &mut String, x: f64, y: f64, label: &str) {
    let _ = write!(
        s,
        r##"<text x="{x:.1}" y="{y}" font-size="10" text-anchor="middle" fill="#5a6470">{l}</text>"##,
        l = esc(label)
    );
}

fn fmt_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

fn slug(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .take(24)
        .collect::<String>()
        .to_lowercase()
}

/// The opening `<svg>` of a chart, named by its title for screen readers.
fn open_svg(w: f64, h: f64, title: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg viewBox="0 0 {w} {h}" role="img" aria-labelledby="t-{id}" xmlns="http://www.w3.org/2000/svg"><title id="t-{id}">{t}</title>"#,
        id = slug(title),
        t = esc(title)
    );
    s
}

/// Where point `i` of `n` stands across a plot `pw` wide starting at `left` (a lone point in
/// the middle).
fn x_at(i: usize, n: usize, left: f64, pw: f64) -> f64 {
    if n <= 1 {
        left + pw / 2.0
    } else {
        left + pw * i as f64 / (n - 1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_labels_and_draw_every_point() {
        let pts = vec![("<b>".to_string(), 20.0), ("2026-02-01".to_string(), 50.0)];
        let svg = line_chart("BARC-10 & trend", &pts, 10.0, 60.0, Some((47.0, "47")));
        assert!(svg.contains("&lt;b&gt;"));
        assert!(!svg.contains("<b>"));
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("BARC-10 &amp; trend"));
        let bars = bar_chart("x", &[("a".into(), 1.0), ("b".into(), 3.0)], None);
        assert_eq!(bars.matches("<rect").count(), 2);
        let multi = multi_line_chart(
            "m",
            &["a".into(), "b".into()],
            &[("x".into(), vec![1.0, 2.0]), ("y".into(), vec![0.0, 3.0])],
        );
        assert_eq!(multi.matches("<polyline").count(), 2);
        assert_eq!(multi.matches("<circle").count(), 4);
    }
}
