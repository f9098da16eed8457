//! Bar charts: `bar` (columns), `hbar` (horizontal bars), `stacked-bar` and
//! `grouped-bar`. Columns are used while the category labels fit under them;
//! stacked and grouped bars turn horizontal when they do not, so that long
//! labels are read whole on a phone.

use plotters::style::{Color, RGBAColor};

use super::ChartData;
use super::draw::{
    Anchor, Canvas, DrawResult, INK, LABEL, LINE, SMALL, Scale, TextOpts, WIDTH, colour,
    text_width, wrap,
};

/// How the series of a bar chart sit together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Side by side.
    Grouped,
    /// On top of each other.
    Stacked,
}

/// Which way bars run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// Columns.
    Vertical,
    /// Bars.
    Horizontal,
    /// Columns if the labels fit under them, else bars.
    Auto,
}

const M: f64 = 8.0;
const W: f64 = WIDTH as f64;

/// Draws a bar chart into an SVG string; returns it with its height.
pub fn draw(
    data: &ChartData,
    palette: &[String],
    mode: Mode,
    orientation: Orientation,
) -> DrawResult<(String, u32)> {
    let horizontal = match orientation {
        Orientation::Horizontal => true,
        // Columns too narrow even for labels read upwards become bars.
        Orientation::Vertical => {
            (W - 2.0 * M - 40.0) / (data.categories.len().max(1) as f64) < SMALL + 4.0
        }
        Orientation::Auto => !column_labels_fit(data),
    };
    let (lo, hi) = extent(data, mode);
    let scale = Scale::new(lo, hi);
    let legend = super::legend_layout(data, palette);
    let mut svg = String::new();
    let height = if horizontal {
        let layout = HLayout::new(data, &scale, mode, legend.height);
        let h = layout.height;
        let canvas = Canvas::new(&mut svg, h);
        super::draw_legend(&canvas, &legend, M)?;
        layout.draw(&canvas, data, palette, &scale, mode)?;
        canvas.present()?;
        h
    } else {
        let layout = VLayout::new(data, &scale, legend.height);
        let h = layout.height;
        let canvas = Canvas::new(&mut svg, h);
        super::draw_legend(&canvas, &legend, M)?;
        layout.draw(&canvas, data, palette, &scale, mode)?;
        canvas.present()?;
        h
    };
    Ok((svg, height))
}

/// The lowest and highest values the axis must hold.
fn extent(data: &ChartData, mode: Mode) -> (f64, f64) {
    let mut lo: f64 = 0.0;
    let mut hi: f64 = 0.0;
    for i in 0..data.categories.len() {
        match mode {
            Mode::Grouped => {
                for s in &data.series {
                    lo = lo.min(s.values[i]);
                    hi = hi.max(s.values[i]);
                }
            }
            Mode::Stacked => {
                let pos: f64 = data.series.iter().map(|s| s.values[i].max(0.0)).sum();
                let neg: f64 = data.series.iter().map(|s| s.values[i].min(0.0)).sum();
                lo = lo.min(neg);
                hi = hi.max(pos);
            }
        }
    }
    (lo, hi)
}

fn column_labels_fit(data: &ChartData) -> bool {
    let slot = (W - 2.0 * M - 40.0) / data.categories.len().max(1) as f64;
    data.categories.iter().all(|c| {
        let lines = wrap(c, SMALL, slot - 6.0, 2);
        lines.len() <= 2 && !lines.iter().any(|l| l.ends_with('…'))
    })
}

/// Where each series' segment of category `i` runs when stacked (positive
/// values upwards from zero, negative ones downwards), and the positive total.
fn stack(data: &ChartData, i: usize) -> (Vec<(f64, f64)>, f64) {
    let (mut pos, mut neg) = (0.0, 0.0);
    let segments = data
        .series
        .iter()
        .map(|series| {
            let v = series.values[i];
            if v >= 0.0 {
                pos += v;
                (pos - v, pos)
            } else {
                neg += v;
                (neg - v, neg)
            }
        })
        .collect();
    (segments, pos)
}

fn grid(colour_alpha: f64) -> RGBAColor {
    INK.mix(colour_alpha)
}

/// Horizontal bars: labels in a column on the left, values at the bar ends.
struct HLayout {
    label_w: f64,
    x0: f64,
    x1: f64,
    top: f64,
    rows: Vec<(f64, f64, Vec<String>)>, // (y of row top, row height, label lines)
    bar: f64,
    gap: f64,
    height: u32,
}

impl HLayout {
    fn new(data: &ChartData, scale: &Scale, mode: Mode, legend_h: f64) -> Self {
        let widest =
            data.categories.iter().map(|c| text_width(c, LABEL, false)).fold(0.0, f64::max);
        let label_w = widest.clamp(40.0, W * 0.4);
        let value_w = (0..data.categories.len())
            .flat_map(|i| data.series.iter().map(move |s| text_width(&s.labels[i], SMALL, true)))
            .chain(
                (0..data.categories.len())
                    .filter_map(|i| data.total_label(i))
                    .map(|label| text_width(&label, SMALL, true)),
            )
            .fold(0.0, f64::max);
        let x0 = M + label_w + 10.0;
        let x1 = W - M - value_w - 8.0;
        let n = if mode == Mode::Grouped { data.series.len() } else { 1 };
        let bar = if n == 1 { 22.0 } else { 14.0 };
        let gap = 2.0;
        let group = n as f64 * bar + (n as f64 - 1.0) * gap;
        let top = M + legend_h + 4.0;
        let mut y = top;
        let mut rows = Vec::new();
        for c in &data.categories {
            let lines = wrap(c, LABEL, label_w, 4);
            let h = group.max(lines.len() as f64 * LINE) + 12.0;
            rows.push((y, h, lines));
            y += h;
        }
        let _ = scale;
        let height = (y + 6.0 + SMALL + M + 4.0).ceil() as u32;
        HLayout { label_w, x0, x1, top, rows, bar, gap, height }
    }

    fn draw(
        &self,
        c: &Canvas,
        data: &ChartData,
        palette: &[String],
        scale: &Scale,
        mode: Mode,
    ) -> DrawResult<()> {
        let bottom = self.rows.last().map_or(self.top, |(y, h, _)| y + h);
        for t in scale.ticks() {
            let x = scale.at(t, self.x0, self.x1);
            c.line(&[(x, self.top), (x, bottom)], grid(if t == 0.0 { 0.6 } else { 0.15 }), 1)?;
            c.text(&data.numbers.number(t), x, bottom + 6.0, TextOpts::new(SMALL, Anchor::Top))?;
        }
        let _ = self.label_w;
        for (i, (y, h, lines)) in self.rows.iter().enumerate() {
            let mid = y + h / 2.0;
            let first = mid - (lines.len() as f64 - 1.0) * LINE / 2.0;
            for (k, l) in lines.iter().enumerate() {
                c.text(
                    l,
                    self.x0 - 10.0,
                    first + k as f64 * LINE,
                    TextOpts::new(LABEL, Anchor::Right),
                )?;
            }
            let zero = scale.at(0.0, self.x0, self.x1);
            match mode {
                Mode::Grouped => {
                    let n = data.series.len() as f64;
                    let group = n * self.bar + (n - 1.0) * self.gap;
                    for (s, series) in data.series.iter().enumerate() {
                        let v = series.values[i];
                        let by = mid - group / 2.0 + s as f64 * (self.bar + self.gap);
                        let x = scale.at(v, self.x0, self.x1);
                        c.rect(zero, by, x, by + self.bar, colour(palette, s).to_rgba())?;
                        let (lx, anchor) = if v < 0.0 {
                            (x - 4.0, Anchor::Right)
                        } else {
                            (x + 4.0, Anchor::Left)
                        };
                        let mut o = TextOpts::new(SMALL, anchor);
                        o.bold = series.stated[i];
                        c.text(&series.labels[i], lx, by + self.bar / 2.0, o)?;
                    }
                }
                Mode::Stacked => {
                    let by = mid - self.bar / 2.0;
                    let (segments, pos) = stack(data, i);
                    for (s, (from, to)) in segments.into_iter().enumerate() {
                        let (a, b) =
                            (scale.at(from, self.x0, self.x1), scale.at(to, self.x0, self.x1));
                        c.rect(a, by, b, by + self.bar, colour(palette, s).to_rgba())?;
                    }
                    let end = scale.at(pos, self.x0, self.x1);
                    if let Some(total) = data.total_label(i) {
                        c.text(&total, end + 4.0, mid, TextOpts::new(SMALL, Anchor::Left).bold())?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Columns: categories along the bottom, the value axis on the left.
struct VLayout {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    labels: Vec<Vec<String>>,
    rotated: bool,
    height: u32,
}

const PLOT_H: f64 = 240.0;
const ROTATED_MAX: f64 = 150.0;

impl VLayout {
    fn new(data: &ChartData, scale: &Scale, legend_h: f64) -> Self {
        let x0 = M + scale.label_width(SMALL, &data.numbers) + 8.0;
        let x1 = W - M;
        let slot = (x1 - x0) / data.categories.len().max(1) as f64;
        let wrapped: Vec<Vec<String>> =
            data.categories.iter().map(|c| wrap(c, SMALL, slot - 6.0, 3)).collect();
        let rotated = wrapped.iter().any(|l| l.iter().any(|s| s.ends_with('…')));
        let (labels, label_h) = if rotated {
            let labels: Vec<Vec<String>> =
                data.categories.iter().map(|c| wrap(c, SMALL, ROTATED_MAX, 1)).collect();
            let h = labels.iter().map(|l| text_width(&l[0], SMALL, false)).fold(0.0, f64::max);
            (labels, h + 10.0)
        } else {
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f64;
            (wrapped, lines * (SMALL + 3.0) + 10.0)
        };
        let y0 = M + legend_h + 4.0 + SMALL + 6.0;
        let y1 = y0 + PLOT_H;
        let height = (y1 + label_h + M).ceil() as u32;
        VLayout { x0, x1, y0, y1, labels, rotated, height }
    }

    fn draw(
        &self,
        c: &Canvas,
        data: &ChartData,
        palette: &[String],
        scale: &Scale,
        mode: Mode,
    ) -> DrawResult<()> {
        for t in scale.ticks() {
            let y = scale.at(t, self.y1, self.y0);
            c.line(&[(self.x0, y), (self.x1, y)], grid(if t == 0.0 { 0.6 } else { 0.15 }), 1)?;
            c.text(&data.numbers.number(t), self.x0 - 6.0, y, TextOpts::new(SMALL, Anchor::Right))?;
        }
        let n = data.categories.len().max(1) as f64;
        let slot = (self.x1 - self.x0) / n;
        let zero = scale.at(0.0, self.y1, self.y0);
        let k = data.series.len() as f64;
        let show_values = match mode {
            Mode::Grouped => slot * 0.8 / k >= 22.0,
            Mode::Stacked => slot >= 26.0,
        };
        for i in 0..data.categories.len() {
            let cx = self.x0 + slot * (i as f64 + 0.5);
            match mode {
                Mode::Grouped => {
                    let width = (slot * 0.8 / k).min(if k == 1.0 { 56.0 } else { 28.0 });
                    let left = cx - width * k / 2.0;
                    for (s, series) in data.series.iter().enumerate() {
                        let v = series.values[i];
                        let bx = left + s as f64 * width;
                        let y = scale.at(v, self.y1, self.y0);
                        c.rect(bx + 1.0, zero, bx + width - 1.0, y, colour(palette, s).to_rgba())?;
                        if !series.stated[i] {
                            // Upwards from the axis, where the column would stand.
                            let mut o = TextOpts::new(SMALL, Anchor::Left);
                            o.rotated = true;
                            c.text(&series.labels[i], bx + width / 2.0, zero - 4.0, o)?;
                        } else if show_values {
                            let ly = if v < 0.0 { y + 10.0 } else { y - 10.0 };
                            c.text(
                                &series.labels[i],
                                bx + width / 2.0,
                                ly,
                                TextOpts::new(SMALL, Anchor::Middle).bold(),
                            )?;
                        }
                    }
                }
                Mode::Stacked => {
                    let width = (slot * 0.6).min(56.0);
                    let (segments, pos) = stack(data, i);
                    for (s, (from, to)) in segments.into_iter().enumerate() {
                        let (a, b) =
                            (scale.at(from, self.y1, self.y0), scale.at(to, self.y1, self.y0));
                        c.rect(
                            cx - width / 2.0,
                            a,
                            cx + width / 2.0,
                            b,
                            colour(palette, s).to_rgba(),
                        )?;
                    }
                    if let Some(total) = data.total_label(i).filter(|_| show_values) {
                        let top = scale.at(pos, self.y1, self.y0);
                        c.text(
                            &total,
                            cx,
                            top - 10.0,
                            TextOpts::new(SMALL, Anchor::Middle).bold(),
                        )?;
                    }
                }
            }
            if self.rotated {
                let mut o = TextOpts::new(SMALL, Anchor::Right);
                o.rotated = true;
                c.text(&self.labels[i][0], cx, self.y1 + 6.0, o)?;
            } else {
                for (l, line) in self.labels[i].iter().enumerate() {
                    c.text(
                        line,
                        cx,
                        self.y1 + 6.0 + l as f64 * (SMALL + 3.0),
                        TextOpts::new(SMALL, Anchor::Top),
                    )?;
                }
            }
        }
        Ok(())
    }
}
