//! Line charts: categories (often years) along the bottom, one line per
//! series with a dot on every stated value. A few series are named at their
//! line's end instead of in a legend; a single series has its values written
//! when they fit. A value not stated breaks the line.

use plotters::style::Color;

use super::ChartData;
use super::draw::{
    Anchor, Canvas, DrawResult, Frame, INK, M, Scale, TextOpts, rgb, text_width, wrap, wrap_bold,
};
use super::legend;
use super::marks::Band;

const PLOT_H: f64 = 220.0;
/// Series named at their line's end, up to this many; more take a legend.
const DIRECT: usize = 4;
/// The coloured stroke before a name at a line's end.
const KEY: f64 = 14.0;

/// Draws the line chart.
pub fn draw(data: &ChartData, f: Frame) -> DrawResult<(String, u32)> {
    let values = || {
        data.series
            .iter()
            .flat_map(|s| s.values.iter().zip(&s.stated).filter(|p| *p.1).map(|p| *p.0))
    };
    let lines_at = data.lines.iter().map(|(v, _)| *v);
    let lo = values().chain(lines_at.clone()).fold(0.0, f64::min);
    let hi = values().chain(lines_at).fold(0.0, f64::max);
    let scale = Scale::new(lo, hi);
    let direct = (2..=DIRECT).contains(&data.series.len());
    let legend = if direct { legend::Legend::empty() } else { legend::series(data, f) };
    // The names at the lines' ends: at most a quarter of the width, two lines each.
    let end_w = f.width * 0.25;
    let names: Vec<Vec<String>> = if direct {
        data.series.iter().map(|s| wrap_bold(&s.name, f.small, end_w, 2)).collect()
    } else {
        Vec::new()
    };
    let names_w = names.iter().flatten().map(|l| text_width(l, f.small, true)).fold(0.0, f64::max);
    let x0 = M + scale.label_width(f.small, data) + 8.0;
    let x1 = f.width - M - if direct { names_w + KEY + 14.0 } else { 12.0 };
    let n = data.categories.len();
    let step = if n > 1 { (x1 - x0 - 24.0) / (n - 1) as f64 } else { 0.0 };
    let xs: Vec<f64> =
        (0..n).map(|i| if n > 1 { x0 + 12.0 + step * i as f64 } else { (x0 + x1) / 2.0 }).collect();
    let label_max = f.width * 0.3;
    let widest = data
        .categories
        .iter()
        .map(|c| text_width(c, f.small, false))
        .fold(0.0, f64::max)
        .min(label_max);
    let every = if step > 0.0 { ((widest + 8.0) / step).ceil().max(1.0) as usize } else { 1 };
    let band = Band::along(data, f);
    // The note of a category brought forward, over its line, above the plot.
    let note = data.highlight.as_ref().and_then(|(i, note)| {
        let line = wrap_bold(note.as_deref()?, f.small, f.width - 2.0 * M, 1).remove(0);
        Some((*i, line))
    });
    let note_h = if note.is_some() { f.line } else { 0.0 };
    let y0 = M + legend.height + band.height + note_h + f.small + 10.0;
    let y1 = y0 + PLOT_H;
    let height = (y1 + f.small + 14.0 + M).ceil() as u32;
    let mut svg = String::new();
    let c = Canvas::new(&mut svg, f, height);
    legend.draw(&c, M, M)?;
    for t in scale.ticks() {
        let y = scale.at(t, y1, y0);
        c.line(&[(x0, y), (x1, y)], INK.mix(if t == 0.0 { 0.6 } else { 0.15 }), 1)?;
        c.text(&data.value_text(t), x0 - 6.0, y, TextOpts::new(f.small, Anchor::Right))?;
    }
    category_labels(&c, data, &xs, every, label_max, y1 + 10.0)?;
    if let Some((i, _)) = &data.highlight {
        // The category brought forward: a line up through the plot.
        c.line(&[(xs[*i], y0), (xs[*i], y1)], INK.mix(0.6), 2)?;
    }
    if let Some((i, line)) = &note {
        let half = text_width(line, f.small, true) / 2.0;
        let cx = xs[*i].clamp(M + half, f.width - M - half);
        let y = M + legend.height + f.line / 2.0;
        c.text(line, cx, y, TextOpts::new(f.small, Anchor::Middle).bold())?;
    }
    let label_values = data.series.len() == 1 && every == 1;
    let mut ends: Vec<(f64, usize)> = Vec::new();
    for (s, series) in data.series.iter().enumerate() {
        let colour = rgb(&series.paint).to_rgba();
        let pts: Vec<Option<(f64, f64)>> = series
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| series.stated[i].then(|| (xs[i], scale.at(*v, y1, y0))))
            .collect();
        let all_stated = pts.iter().all(Option::is_some);
        for run in pts.split(Option::is_none).filter(|r| all_stated || r.len() > 1) {
            let run: Vec<(f64, f64)> = run.iter().flatten().copied().collect();
            c.line(&run, colour, 3)?;
        }
        for (i, p) in pts.iter().enumerate() {
            let Some(p) = p else { continue };
            c.dot(p.0, p.1, 4, colour)?;
            if label_values {
                // Kept inside the plot, clear of the tick labels.
                let half = text_width(&series.labels[i], f.small, true) / 2.0;
                let x = p.0.clamp(x0 + half + 2.0, f.width - M - half);
                let o = TextOpts::new(f.small, Anchor::Middle).bold();
                c.text(&series.labels[i], x, p.1 - 13.0, o)?;
            }
        }
        if let Some(last) = pts.iter().rev().flatten().next() {
            ends.push((last.1, s));
        }
    }
    if direct {
        end_names(&c, data, &names, ends, (x1 + 8.0, y0, y1))?;
    }
    // A category no series states keeps its place and says so, upwards
    // from the axis, as a column chart does.
    let zero = scale.at(0.0, y1, y0);
    let long = text_width(&data.numbers.not_stated, f.small, false);
    let mut last = f64::MIN;
    for (i, &x) in xs.iter().enumerate() {
        if data.series.iter().all(|s| !s.stated[i])
            && zero - 4.0 - long >= y0 - f.small
            && x - last >= f.line
        {
            last = x;
            let mut o = TextOpts::new(f.small, Anchor::Left);
            o.rotated = true;
            c.text(&data.numbers.not_stated, x, zero - 4.0, o)?;
        }
    }
    band.draw_along(&c, &scale, (x0, x1), (y0, y1))?;
    c.present()?;
    Ok((svg, height))
}

/// The category labels under the axis: every `every`-th, one line each,
/// the first and last kept inside the chart, none touching another.
fn category_labels(
    c: &Canvas,
    data: &ChartData,
    xs: &[f64],
    every: usize,
    max: f64,
    y: f64,
) -> DrawResult<()> {
    let f = c.frame;
    let mut last_right = f64::MIN;
    for (i, cat) in data.categories.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let forward = data.highlight.as_ref().is_some_and(|(h, _)| *h == i);
        let label = wrap(cat, f.small, max, 1).remove(0);
        let half = text_width(&label, f.small, forward) / 2.0;
        let x = xs[i].clamp(M + half, f.width - M - half);
        if x - half < last_right + 6.0 {
            continue;
        }
        last_right = x + half;
        let mut o = TextOpts::new(f.small, Anchor::Top);
        o.bold = forward;
        c.text(&label, x, y, o)?;
    }
    Ok(())
}

/// Each series' name at its line's last point, moved apart where two would
/// touch and kept between `top` and `bottom`.
fn end_names(
    c: &Canvas,
    data: &ChartData,
    names: &[Vec<String>],
    mut ends: Vec<(f64, usize)>,
    (x, top, bottom): (f64, f64, f64),
) -> DrawResult<()> {
    let f = c.frame;
    ends.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let heights: Vec<f64> = ends.iter().map(|(_, s)| names[*s].len() as f64 * f.line).collect();
    // Centres pushed down so that none overlaps the one above, then up from the bottom.
    let mut centres: Vec<f64> = ends.iter().map(|e| e.0).collect();
    for k in 0..centres.len() {
        let min = if k == 0 {
            top + heights[0] / 2.0
        } else {
            centres[k - 1] + (heights[k - 1] + heights[k]) / 2.0
        };
        centres[k] = centres[k].max(min);
    }
    for k in (0..centres.len()).rev() {
        let max = if k + 1 == centres.len() {
            bottom - heights[k] / 2.0
        } else {
            centres[k + 1] - (heights[k + 1] + heights[k]) / 2.0
        };
        centres[k] = centres[k].min(max);
    }
    for ((_, s), centre) in ends.iter().zip(centres) {
        let lines = &names[*s];
        let first = centre - (lines.len() as f64 - 1.0) * f.line / 2.0;
        let colour = rgb(&data.series[*s].paint).to_rgba();
        c.line(&[(x, first), (x + KEY - 4.0, first)], colour, 3)?;
        for (k, l) in lines.iter().enumerate() {
            let o = TextOpts::new(f.small, Anchor::Left).bold();
            c.text(l, x + KEY, first + k as f64 * f.line, o)?;
        }
    }
    Ok(())
}
