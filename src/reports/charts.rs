//! Hand-written SVG charts: small, accessible (a title and a description; the numbers are always
//! also shown as a table by the page), no script, no inline styles (the CSP forbids them).

use std::fmt::Write;

use crate::platform::i18n::escape as esc;

/// A line chart of `(label, value)` points on a fixed y range, with an optional reference line.
pub fn line_chart(
    title: &str,
    points: &[(String, f64)],
    y_min: f64,
    y_max: f64,
    reference: Option<(f64, &str)>,
) -> String {
    let ticks = ticks_within(y_min, y_max);
    let (w, h, right, top, bottom) = (560.0, 220.0, 12.0, 14.0, 34.0);
    let left = axis_margin(&ticks);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let span = (y_max - y_min).max(1e-9);
    let y = |v: f64| top + ph - (v.clamp(y_min, y_max) - y_min) / span * ph;
    let x = |i: usize| x_at(i, points.len(), left, pw);
    let mut s = open_svg(w, h, title);
    for v in &ticks {
        gridline(&mut s, left, w - right, y(*v), &fmt_num(*v));
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
            .map(|(i, (_, v))| format!("{:.0},{:.0}", x(i), y(*v)))
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
            r##"<circle cx="{cx:.0}" cy="{cy:.0}" r="4" fill="#0b5cad"><title>{l}: {v}</title></circle>"##,
            cx = x(i),
            cy = y(*v),
            l = esc(label)
        );
        if label_shown(i, points.len(), 12, 8) {
            x_label(&mut s, x(i), h - 12.0, label, w);
        }
    }
    s.push_str("</svg>");
    s
}

/// A bar chart of `(label, value)`, optionally with a second series drawn as a thinner bar.
pub fn bar_chart(title: &str, bars: &[(String, f64)], y_max: Option<f64>) -> String {
    // A fixed maximum (a percentage) keeps its range; counts get whole-number steps.
    let (max, ticks) = match y_max {
        Some(m) => (m.max(1.0), ticks_within(0.0, m.max(1.0))),
        None => count_axis(bars.iter().map(|b| b.1).fold(0.0, f64::max)),
    };
    let (w, right, top) = (560.0, 12.0, 14.0);
    let left = axis_margin(&ticks);
    let pw = w - left - right;
    let n = bars.len().max(1) as f64;
    let bw = pw / n;
    // Each shown label is wrapped at its words to the width of its bar, never cut short; the
    // chart grows downwards to fit the longest.
    let shown: Vec<Vec<String>> = bars
        .iter()
        .enumerate()
        .map(|(i, (label, _))| {
            if label_shown(i, bars.len(), 16, 12) {
                wrap(label, chars_fitting(bw))
            } else {
                Vec::new()
            }
        })
        .collect();
    let lines = shown.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let bottom = 18.0 + LINE * lines as f64;
    let h = 174.0 + bottom;
    let ph = h - top - bottom;
    let mut s = open_svg(w, h, title);
    for v in &ticks {
        gridline(
            &mut s,
            left,
            w - right,
            top + ph - v / max * ph,
            &fmt_num(*v),
        );
    }
    for (i, ((label, v), lines)) in bars.iter().zip(&shown).enumerate() {
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
        for (k, line) in lines.iter().enumerate() {
            x_label(
                &mut s,
                bx + bw * 0.35,
                top + ph + 14.0 + LINE * k as f64,
                line,
                w,
            );
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
    let (max, ticks) = count_axis(
        series
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .fold(0.0, f64::max),
    );
    let (w, right, top) = (560.0, 12.0, 14.0);
    let left = axis_margin(&ticks);
    // The legend: each name whole, placed left to right and wrapped onto further rows.
    let mut legend = Vec::with_capacity(series.len());
    let (mut lx, mut row) = (left, 0usize);
    for (name, _) in series {
        let width = 14.0 + text_width(name, 10.0) + 16.0;
        if lx > left && lx + width > w - right {
            lx = left;
            row += 1;
        }
        legend.push((lx, row));
        lx += width;
    }
    let rows = legend.last().map_or(1, |(_, r)| r + 1);
    let bottom = 40.0 + 14.0 * rows as f64;
    let h = 186.0 + bottom;
    let pw = w - left - right;
    let ph = h - top - bottom;
    let y = |v: f64| top + ph - (v.clamp(0.0, max) / max) * ph;
    let x = |i: usize| x_at(i, labels.len(), left, pw);
    let mut s = open_svg(w, h, title);
    for v in &ticks {
        gridline(&mut s, left, w - right, y(*v), &fmt_num(*v));
    }
    for (si, ((name, values), (lx, row))) in series.iter().zip(&legend).enumerate() {
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
        // One group a series gives them its colour (a page holds over a hundred).
        if values.len() <= 24 {
            let _ = write!(s, r#"<g fill="{colour}">"#);
            for (i, v) in values.iter().enumerate() {
                let _ = write!(
                    s,
                    r#"<circle cx="{cx:.0}" cy="{cy:.0}" r="3"/>"#,
                    cx = x(i),
                    cy = y(*v),
                );
            }
            s.push_str("</g>");
        }
        let ly = top + ph + 36.0 + 14.0 * *row as f64;
        let _ = write!(
            s,
            r##"<rect x="{lx:.1}" y="{ry:.1}" width="10" height="10" fill="{colour}"/><text x="{tx:.1}" y="{ly:.1}" font-size="10" fill="#333333">{n}</text>"##,
            ry = ly - 9.0,
            tx = lx + 14.0,
            n = esc(name)
        );
    }
    for (i, label) in labels.iter().enumerate() {
        if label_shown(i, labels.len(), 12, 8) {
            x_label(&mut s, x(i), top + ph + 16.0, label, w);
        }
    }
    s.push_str("</svg>");
    s
}

/// The height of a line of axis labels.
const LINE: f64 = 12.0;

/// A count axis from 0: whole-number steps of 1, 2 or 5 times a power of ten (at most about
/// five of them), and the top of the axis (a whole step at or above `max`). Counts are never
/// drawn against 0.8 or 2.3.
fn count_axis(max: f64) -> (f64, Vec<f64>) {
    let max = max.max(1.0);
    let step = nice_step(max / 4.0).max(1.0);
    let top = (max / step).ceil() * step;
    let ticks = (0..=(top / step).round() as i64)
        .map(|k| k as f64 * step)
        .collect();
    (top, ticks)
}

/// Grid values on a fixed range `[lo, hi]`: the range's ends and the round steps between them.
fn ticks_within(lo: f64, hi: f64) -> Vec<f64> {
    let step = nice_step((hi - lo).max(1e-9) / 5.0);
    let mut ticks = vec![lo];
    let mut v = (lo / step).floor() * step + step;
    while v < hi - step * 0.25 {
        if v > lo + step * 0.25 {
            ticks.push(v);
        }
        v += step;
    }
    ticks.push(hi);
    ticks
}

/// The round step (1, 2 or 5 times a power of ten) at or above `raw`.
fn nice_step(raw: f64) -> f64 {
    let mag = 10f64.powf(raw.max(1e-9).log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * mag)
}

/// Roughly how wide `text` is at `size` px in the page's sans-serif face (generous, so that
/// what is laid out by it is never cut).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.62
}

/// The left margin that holds the widest value label of the axis.
fn axis_margin(ticks: &[f64]) -> f64 {
    let widest = ticks
        .iter()
        .map(|v| text_width(&fmt_num(*v), 11.0))
        .fold(0.0, f64::max);
    (widest + 10.0).max(32.0)
}

/// How many characters of an axis label fit under a bar `width` px wide.
fn chars_fitting(width: f64) -> usize {
    ((width - 4.0) / (10.0 * 0.62)).floor().max(4.0) as usize
}

/// `label` broken at its words into lines of at most `chars` characters (a word longer than
/// that stands on a line of its own, whole).
fn wrap(label: &str, chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= chars => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// A horizontal grid line across the plot at `y`, with its value `text` left of the axis.
fn gridline(s: &mut String, left: f64, right: f64, y: f64, text: &str) {
    let _ = write!(
        s,
        r##"<line x1="{left}" x2="{right}" y1="{y:.1}" y2="{y:.1}" stroke="#e1e6eb"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{text}</text>"##,
        tx = left - 4.0,
        ty = y + 4.0
    );
}

/// Whether the `i`th of `n` labels under the x axis is written: all of them up to `all`,
/// otherwise about `about` evenly spaced ones.
fn label_shown(i: usize, n: usize, all: usize, about: usize) -> bool {
    n <= all || i.is_multiple_of((n / about).max(1))
}

/// A label under the x axis, centred on `x`, moved inwards where it would run past either
/// edge of a chart `w` wide.
fn x_label(s: &mut String, x: f64, y: f64, label: &str, w: f64) {
    let half = text_width(label, 10.0) / 2.0;
    let (x, anchor) = if x - half < 2.0 {
        (2.0, "start")
    } else if x + half > w - 2.0 {
        (w - 2.0, "end")
    } else {
        (x, "middle")
    };
    let _ = write!(
        s,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="10" text-anchor="{anchor}">{l}</text>"#,
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

/// The opening `<svg>` of a chart, named by its title for screen readers. The root carries
/// what most of its words share (the axes' size and grey), so each gridline's and label's text
/// does not repeat it; a text or shape of another colour says its own.
fn open_svg(w: f64, h: f64, title: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg viewBox="0 0 {w} {h}" role="img" aria-labelledby="t-{id}" xmlns="http://www.w3.org/2000/svg" font-size="11" fill="#5a6470"><title id="t-{id}">{t}</title>"##,
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

    /// The values written beside the y axis of a chart.
    fn axis_values(svg: &str) -> Vec<String> {
        svg.split(r#"text-anchor="end">"#)
            .skip(1)
            .map(|t| t.split('<').next().unwrap_or_default().to_string())
            .collect()
    }

    #[test]
    fn count_axes_are_whole_numbers() {
        for max in [0.0, 1.0, 2.0, 3.0, 7.0, 11.0, 37.0, 1234.0, 98_765.0] {
            let (top, ticks) = count_axis(max);
            assert!(top >= max, "{max}: top {top}");
            assert!(ticks.len() >= 2 && ticks.len() <= 6, "{max}: {ticks:?}");
            for t in &ticks {
                assert_eq!(t.fract(), 0.0, "{max}: {ticks:?}");
            }
            let bars = bar_chart("n", &[("a".into(), max), ("b".into(), max / 3.0)], None);
            for v in axis_values(&bars) {
                assert!(
                    v.parse::<i64>().is_ok(),
                    "{max}: axis value {v:?} in {bars}"
                );
            }
        }
        assert_eq!(count_axis(3.0).1, vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(count_axis(7.0).1, vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        // A fixed range keeps its ends: the BARC-10 runs from 10 to 60.
        assert_eq!(
            ticks_within(10.0, 60.0),
            vec![10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
        );
        assert_eq!(
            ticks_within(0.0, 100.0),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
    }

    #[test]
    fn labels_are_whole_and_inside_the_chart() {
        let long = "Medication for opioid use disorder (MOUD)";
        let bars: Vec<(String, f64)> = (0..8)
            .map(|i| (format!("{long} {i}"), f64::from(i)))
            .collect();
        let svg = bar_chart("Referrals by type", &bars, None);
        // Every label is written whole: its lines, read in order, give it back.
        let written: Vec<&str> = svg
            .split("<text ")
            .skip(1)
            .filter_map(|t| {
                t.split_once('>')
                    .and_then(|(_, rest)| rest.split('<').next())
            })
            .collect();
        let joined = written.join(" ");
        for (label, _) in &bars {
            assert!(joined.contains(label.as_str()), "{label} cut in: {joined}");
        }
        // Every label's x stays inside the drawing.
        for part in svg.split("<text x=\"").skip(1) {
            let x: f64 = part.split('"').next().unwrap().parse().unwrap();
            assert!((0.0..=560.0).contains(&x), "{x}");
        }
        let names: Vec<(String, Vec<f64>)> = (0..5)
            .map(|i| {
                (
                    format!("A facility with a long name, number {i}"),
                    vec![1.0, 2.0],
                )
            })
            .collect();
        let multi = multi_line_chart("Per facility", &["Jan".into(), "Feb".into()], &names);
        for (name, _) in &names {
            assert!(multi.contains(&format!(">{name}<")), "legend cut: {name}");
        }
    }
}
