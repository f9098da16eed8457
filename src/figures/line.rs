//! Line charts: categories (often years) along the bottom, one line per
//! series with a dot on every value, and values written when they fit.

use plotters::style::Color;

use super::ChartData;
use super::draw::{
    Anchor, Canvas, DrawResult, INK, SMALL, Scale, TextOpts, WIDTH, colour, text_width, wrap,
};

const M: f64 = 8.0;
const PLOT_H: f64 = 220.0;
/// The longest a category label may be under the axis; the table has the full text.
const LABEL_MAX: f64 = 140.0;

/// Draws the line chart.
pub fn draw(data: &ChartData, palette: &[String]) -> DrawResult<(String, u32)> {
    let lo = data.series.iter().flat_map(|s| s.values.iter().copied()).fold(0.0, f64::min);
    let hi = data.series.iter().flat_map(|s| s.values.iter().copied()).fold(0.0, f64::max);
    let scale = Scale::new(lo, hi);
    let legend = super::legend_layout(data, palette);
    let x0 = M + scale.label_width(SMALL, &data.numbers) + 8.0;
    let x1 = WIDTH as f64 - M - 12.0;
    let n = data.categories.len();
    let step = if n > 1 { (x1 - x0 - 24.0) / (n - 1) as f64 } else { 0.0 };
    let xs: Vec<f64> =
        (0..n).map(|i| if n > 1 { x0 + 12.0 + step * i as f64 } else { (x0 + x1) / 2.0 }).collect();
    // Label every category if they fit, else every k-th.
    let widest = data
        .categories
        .iter()
        .map(|c| text_width(c, SMALL, false))
        .fold(0.0, f64::max)
        .min(LABEL_MAX);
    let every = if step > 0.0 { ((widest + 8.0) / step).ceil().max(1.0) as usize } else { 1 };
    let y0 = M + legend.height + 4.0 + SMALL + 8.0;
    let y1 = y0 + PLOT_H;
    let height = (y1 + SMALL + 14.0 + M).ceil() as u32;
    let mut svg = String::new();
    let c = Canvas::new(&mut svg, height);
    super::draw_legend(&c, &legend, M)?;
    for t in scale.ticks() {
        let y = scale.at(t, y1, y0);
        c.line(&[(x0, y), (x1, y)], INK.mix(if t == 0.0 { 0.6 } else { 0.15 }), 1)?;
        c.text(&data.numbers.number(t), x0 - 6.0, y, TextOpts::new(SMALL, Anchor::Right))?;
    }
    let mut last_right = f64::MIN;
    for (i, cat) in data.categories.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let label = wrap(cat, SMALL, LABEL_MAX, 1).remove(0);
        // Keep the first and last labels inside the chart, and never let two touch.
        let half = text_width(&label, SMALL, false) / 2.0;
        let x = xs[i].clamp(M + half, WIDTH as f64 - M - half);
        if x - half < last_right + 6.0 {
            continue;
        }
        last_right = x + half;
        c.text(&label, x, y1 + 10.0, TextOpts::new(SMALL, Anchor::Top))?;
    }
    let label_values = data.series.len() == 1 && every == 1;
    for (s, series) in data.series.iter().enumerate() {
        let pts: Vec<Option<(f64, f64)>> = series
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| series.stated[i].then(|| (xs[i], scale.at(*v, y1, y0))))
            .collect();
        // A value not stated breaks the line: no point is drawn for it.
        let all_stated = pts.iter().all(Option::is_some);
        for run in pts.split(Option::is_none).filter(|r| all_stated || r.len() > 1) {
            let run: Vec<(f64, f64)> = run.iter().flatten().copied().collect();
            c.line(&run, colour(palette, s).to_rgba(), 3)?;
        }
        for (i, p) in pts.iter().enumerate() {
            let Some(p) = p else { continue };
            c.dot(p.0, p.1, 4, colour(palette, s).to_rgba())?;
            if label_values {
                c.text(
                    &series.labels[i],
                    p.0,
                    p.1 - 13.0,
                    TextOpts::new(SMALL, Anchor::Middle).bold(),
                )?;
            }
        }
    }
    // A category no series states keeps its place and says so, upwards
    // from the axis, as a column chart does.
    let zero = scale.at(0.0, y1, y0);
    for (i, &x) in xs.iter().enumerate() {
        if data.series.iter().all(|s| !s.stated[i]) {
            let mut o = TextOpts::new(SMALL, Anchor::Left);
            o.rotated = true;
            c.text(&data.numbers.not_stated, x, zero - 4.0, o)?;
        }
    }
    c.present()?;
    Ok((svg, height))
}
