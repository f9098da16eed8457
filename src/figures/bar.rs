//! Bar charts: `bar` (columns), `hbar` (horizontal bars), `stacked-bar` and
//! `grouped-bar`. Columns are used while every category label fits under
//! its column in two lines; otherwise the bars run horizontally, with the
//! labels in a column on the left, or above each bar when they are long.
//! Values are written on the bars: beside a bar's end, inside a stacked
//! segment where it fits. A value not stated is an outline, never a bar.

use plotters::style::{Color, RGBAColor};

use super::ChartData;
use super::draw::{
    Anchor, Canvas, DrawResult, Frame, INK, M, Scale, TextOpts, rgb, text_width, wrap, wrap_bold,
};
use super::legend::{self, Legend};
use super::marks::Band;

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
    /// Columns while the labels fit under them, else bars.
    Vertical,
    /// Bars.
    Horizontal,
    /// As `Vertical`.
    Auto,
}

/// Draws a bar chart into an SVG string; returns it with its height.
pub fn draw(
    data: &ChartData,
    frame: Frame,
    mode: Mode,
    orientation: Orientation,
) -> DrawResult<(String, u32)> {
    let horizontal =
        orientation == Orientation::Horizontal || !column_labels_fit(data, frame, mode);
    let (mut lo, mut hi) = extent(data, mode);
    for (v, _) in &data.lines {
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    let scale = Scale::new(lo, hi);
    let legend = legend::series(data, frame);
    let mut svg = String::new();
    let height = if horizontal {
        let layout = HLayout::new(data, frame, mode, &legend);
        let h = layout.height;
        let canvas = Canvas::new(&mut svg, frame, h);
        legend.draw(&canvas, M, M)?;
        layout.draw(&canvas, data, &scale, mode)?;
        canvas.present()?;
        h
    } else {
        let layout = VLayout::new(data, frame, &scale, mode, &legend);
        let h = layout.height;
        let canvas = Canvas::new(&mut svg, frame, h);
        legend.draw(&canvas, M, M)?;
        layout.draw(&canvas, data, &scale, mode)?;
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

/// Where columns stand: from after the tick labels to the right margin.
fn column_plot(data: &ChartData, frame: Frame, scale: &Scale) -> (f64, f64) {
    (M + scale.label_width(frame.small, data) + 8.0, frame.width - M)
}

/// Do the category labels fit under columns, in two lines each, and the
/// value labels above them?
fn column_labels_fit(data: &ChartData, frame: Frame, mode: Mode) -> bool {
    let (lo, hi) = extent(data, mode);
    let (x0, x1) = column_plot(data, frame, &Scale::new(lo, hi));
    let slot = (x1 - x0) / data.categories.len().max(1) as f64;
    let per_bar = if mode == Mode::Grouped { data.series.len() as f64 } else { 1.0 };
    let labels_fit = data.categories.iter().all(|c| {
        let lines = wrap(c, frame.small, slot - 6.0, 2);
        lines.len() <= 2 && !lines.iter().any(|l| l.ends_with('…'))
    });
    labels_fit
        && slot / per_bar >= frame.small + 4.0
        && data.highlight.as_ref().is_none_or(|_| slot > 40.0)
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

fn grid(alpha: f64) -> RGBAColor {
    INK.mix(alpha)
}

/// Does a stacked chart write each category's total at its bar's end? Not
/// when the rows are shares of a whole (every one would say 100), nor for
/// a single series (its value is the total).
fn totals_shown(data: &ChartData, mode: Mode) -> bool {
    mode == Mode::Stacked && data.series.len() > 1 && !data.rows_are_shares()
}

/// The total written at the end of category `i`'s stack, if any: not when
/// totals are not shown, nor when one segment is the whole stack and its
/// value is written on it (`inside`: how many segments' values are).
fn stack_total(data: &ChartData, mode: Mode, i: usize, inside: usize) -> Option<String> {
    let parts = data.series.iter().filter(|s| s.stated[i] && s.values[i] != 0.0).count();
    if !totals_shown(data, mode) || (parts == 1 && inside == 1) {
        return None;
    }
    data.total_label(i)
}

/// The room value labels need beyond the plot: on the left of the bars that
/// end below zero, and on the right of those that end above it (or say
/// "not stated" beside a stub of `stub` units).
fn end_label_room(data: &ChartData, frame: Frame, mode: Mode, stub: f64) -> (f64, f64) {
    let (mut left, mut right) = (0.0f64, 0.0f64);
    let not_stated = text_width(&data.numbers.not_stated, frame.small, false) + stub;
    for i in 0..data.categories.len() {
        match mode {
            Mode::Grouped => {
                for s in &data.series {
                    if !s.stated[i] {
                        right = right.max(not_stated);
                        continue;
                    }
                    let w = text_width(&s.labels[i], frame.small, true) + 6.0;
                    if s.values[i] < 0.0 { left = left.max(w) } else { right = right.max(w) }
                }
            }
            Mode::Stacked if data.series.iter().all(|s| !s.stated[i]) => {
                right = right.max(not_stated);
            }
            Mode::Stacked => {
                if totals_shown(data, mode)
                    && let Some(total) = data.total_label(i)
                {
                    right = right.max(text_width(&total, frame.small, true) + 6.0);
                }
            }
        }
    }
    (left, right)
}

/// A category's label: its lines, and the mark's label when it is brought forward.
/// (Bold when brought forward, and wrapped as bold text.)
fn label_lines(data: &ChartData, i: usize, size: f64, width: f64, max: usize) -> Vec<String> {
    let Some((_, note)) = data.highlight.as_ref().filter(|(h, _)| *h == i) else {
        return wrap(&data.categories[i], size, width, max);
    };
    let mut lines = wrap_bold(&data.categories[i], size, width, max);
    if let Some(note) = note {
        lines.extend(wrap_bold(note, size, width, 3));
    }
    lines
}

/// Horizontal bars: labels in a column on the left (or above each bar when
/// they are long), values at the bar ends, reference lines across.
struct HLayout {
    /// Labels above the bars rather than beside them.
    above: bool,
    label_w: f64,
    x0: f64,
    x1: f64,
    band: Band,
    top: f64,
    /// (y of the row's top, its height, its label lines).
    rows: Vec<(f64, f64, Vec<String>)>,
    bar: f64,
    gap: f64,
    height: u32,
}

impl HLayout {
    fn new(data: &ChartData, f: Frame, mode: Mode, legend: &Legend) -> Self {
        let w = f.width;
        let side_max = w * 0.36;
        let n = if mode == Mode::Grouped { data.series.len() } else { 1 };
        let bar = if n == 1 { 24.0 } else { 16.0 };
        let (left_w, right_w) = end_label_room(data, f, mode, bar);
        // Beside the bars while every label fits in three lines of a column
        // of at most a third of the width and the bars keep a third of it;
        // else above, across the chart.
        let widest = (0..data.categories.len())
            .flat_map(|i| label_lines(data, i, f.label, side_max, 3))
            .map(|l| text_width(&l, f.label, true))
            .fold(0.0, f64::max);
        let label_w = widest.clamp(24.0, side_max);
        let squeezed = w - 2.0 * M - label_w - 10.0 - left_w - right_w < w / 3.0;
        let above = squeezed
            || (0..data.categories.len()).any(|i| {
                let lines = label_lines(data, i, f.label, side_max, 3);
                lines.iter().any(|l| l.ends_with('…'))
            });
        let label_w = if above { 0.0 } else { label_w };
        let x0 = if above { M } else { M + label_w + 10.0 } + left_w;
        let x1 = w - M - right_w;
        let gap = 2.0;
        let group = n as f64 * bar + (n as f64 - 1.0) * gap;
        let band = Band::across(data, f);
        let top = M + legend.height + band.height;
        let mut y = top;
        let mut rows = Vec::new();
        for i in 0..data.categories.len() {
            let (lines, h) = if above {
                let lines = label_lines(data, i, f.label, w - 2.0 * M, 3);
                let h = lines.len() as f64 * f.line + 4.0 + group + 12.0;
                (lines, h)
            } else {
                let lines = label_lines(data, i, f.label, label_w, 3);
                let h = group.max(lines.len() as f64 * f.line) + 12.0;
                (lines, h)
            };
            rows.push((y, h, lines));
            y += h;
        }
        let height = (y + M).ceil() as u32;
        HLayout { above, label_w, x0, x1, band, top, rows, bar, gap, height }
    }

    /// The top and bottom of the bars of the row at `y` with height `h`.
    fn bars(&self, y: f64, h: f64, lines: usize, f: Frame, group: f64) -> (f64, f64) {
        if self.above {
            let top = y + lines as f64 * f.line + 4.0;
            (top, top + group)
        } else {
            let mid = y + h / 2.0;
            (mid - group / 2.0, mid + group / 2.0)
        }
    }

    fn draw(&self, c: &Canvas, data: &ChartData, scale: &Scale, mode: Mode) -> DrawResult<()> {
        let f = c.frame;
        let bottom = self.rows.last().map_or(self.top, |(y, h, _)| y + h);
        let zero = scale.at(0.0, self.x0, self.x1);
        c.line(&[(zero, self.top), (zero, bottom - 6.0)], grid(0.6), 1)?;
        let n = if mode == Mode::Grouped { data.series.len() as f64 } else { 1.0 };
        let group = n * self.bar + (n - 1.0) * self.gap;
        for (i, (y, h, lines)) in self.rows.iter().enumerate() {
            let forward = data.highlight.as_ref().is_some_and(|(k, _)| *k == i);
            let (b0, _) = self.bars(*y, *h, lines.len(), f, group);
            // Labels: beside, right-aligned and centred on the row; or above, from the left.
            for (k, l) in lines.iter().enumerate() {
                let mut o =
                    TextOpts::new(f.label, if self.above { Anchor::Left } else { Anchor::Right });
                o.bold = forward;
                let (x, ly) = if self.above {
                    (M, y + f.line / 2.0 + k as f64 * f.line)
                } else {
                    let first = y + h / 2.0 - (lines.len() as f64 - 1.0) * f.line / 2.0;
                    (M + self.label_w, first + k as f64 * f.line)
                };
                c.text(l, x, ly, o)?;
            }
            match mode {
                Mode::Grouped => {
                    for (s, series) in data.series.iter().enumerate() {
                        let by = b0 + s as f64 * (self.bar + self.gap);
                        let mid = by + self.bar / 2.0;
                        if !series.stated[i] {
                            c.outline(zero, by + 3.0, zero + self.bar - 6.0, by + self.bar - 3.0)?;
                            let o = TextOpts::new(f.small, Anchor::Left);
                            c.text(&series.labels[i], zero + self.bar, mid, o)?;
                            continue;
                        }
                        let v = series.values[i];
                        let x = scale.at(v, self.x0, self.x1);
                        c.rect(zero, by, x, by + self.bar, rgb(data.paint(s, i)).to_rgba())?;
                        let (lx, anchor) = if v < 0.0 {
                            (x - 4.0, Anchor::Right)
                        } else {
                            (x + 4.0, Anchor::Left)
                        };
                        c.text(&series.labels[i], lx, mid, TextOpts::new(f.small, anchor).bold())?;
                    }
                }
                Mode::Stacked => {
                    let by = b0;
                    let mid = by + self.bar / 2.0;
                    let (segments, pos) = stack(data, i);
                    let mut inside = 0;
                    for (s, (from, to)) in segments.into_iter().enumerate() {
                        if !data.series[s].stated[i] || from == to {
                            continue;
                        }
                        let (a, b) =
                            (scale.at(from, self.x0, self.x1), scale.at(to, self.x0, self.x1));
                        let paint = data.paint(s, i);
                        c.rect(a, by, b, by + self.bar, rgb(paint).to_rgba())?;
                        let label = &data.series[s].labels[i];
                        if text_width(label, f.small, true) + 8.0 <= (b - a).abs() {
                            let mut o = TextOpts::new(f.small, Anchor::Middle).bold();
                            o.colour = data.ink_on(paint);
                            c.text(label, (a + b) / 2.0, mid, o)?;
                            inside += 1;
                        }
                    }
                    let end = scale.at(pos, self.x0, self.x1);
                    if data.series.iter().all(|s| !s.stated[i]) {
                        c.outline(zero, by + 3.0, zero + self.bar - 6.0, by + self.bar - 3.0)?;
                        let o = TextOpts::new(f.small, Anchor::Left);
                        c.text(&data.numbers.not_stated, zero + self.bar, mid, o)?;
                    } else if let Some(total) = stack_total(data, mode, i, inside) {
                        c.text(
                            &total,
                            end + 4.0,
                            mid,
                            TextOpts::new(f.small, Anchor::Left).bold(),
                        )?;
                    }
                }
            }
        }
        self.band.draw_across(
            c,
            scale,
            (self.x0, self.x1),
            (self.top - self.band.height, bottom - 6.0),
        )
    }
}

/// Columns: categories along the bottom, the value axis on the left.
struct VLayout {
    /// Room under the plot for the labels of columns that end below zero.
    below: f64,
    x0: f64,
    x1: f64,
    band: Band,
    y0: f64,
    y1: f64,
    labels: Vec<Vec<String>>,
    height: u32,
}

const PLOT_H: f64 = 240.0;

impl VLayout {
    fn new(data: &ChartData, f: Frame, scale: &Scale, mode: Mode, legend: &Legend) -> Self {
        let (x0, x1) = column_plot(data, f, scale);
        let slot = (x1 - x0) / data.categories.len().max(1) as f64;
        let labels: Vec<Vec<String>> = (0..data.categories.len())
            .map(|i| label_lines(data, i, f.small, slot - 6.0, 2))
            .collect();
        let lines = labels.iter().map(Vec::len).max().unwrap_or(1) as f64;
        let band = Band::along(data, f);
        let negative = mode == Mode::Grouped
            && data
                .series
                .iter()
                .any(|s| s.values.iter().zip(&s.stated).any(|(v, st)| *st && *v < 0.0));
        let below = if negative { f.small + 8.0 } else { 0.0 };
        // Room above the plot for the top tick's label and the values above the columns.
        let y0 = M + legend.height + band.height + f.small + 10.0;
        let y1 = y0 + PLOT_H;
        let height = (y1 + below + 6.0 + lines * (f.small + 3.0) + M).ceil() as u32;
        VLayout { below, x0, x1, band, y0, y1, labels, height }
    }

    fn draw(&self, c: &Canvas, data: &ChartData, scale: &Scale, mode: Mode) -> DrawResult<()> {
        let f = c.frame;
        for t in scale.ticks() {
            let y = scale.at(t, self.y1, self.y0);
            c.line(&[(self.x0, y), (self.x1, y)], grid(if t == 0.0 { 0.6 } else { 0.15 }), 1)?;
            c.text(&data.value_text(t), self.x0 - 6.0, y, TextOpts::new(f.small, Anchor::Right))?;
        }
        let n = data.categories.len().max(1) as f64;
        let slot = (self.x1 - self.x0) / n;
        let zero = scale.at(0.0, self.y1, self.y0);
        let k = data.series.len() as f64;
        for i in 0..data.categories.len() {
            let cx = self.x0 + slot * (i as f64 + 0.5);
            let forward = data.highlight.as_ref().is_some_and(|(h, _)| *h == i);
            match mode {
                Mode::Grouped => {
                    let width = (slot * 0.8 / k).min(if k == 1.0 { 64.0 } else { 32.0 });
                    let left = cx - width * k / 2.0;
                    for (s, series) in data.series.iter().enumerate() {
                        let bx = left + s as f64 * width;
                        let mid = bx + width / 2.0;
                        if !series.stated[i] {
                            c.outline(bx + 3.0, zero - width + 6.0, bx + width - 3.0, zero)?;
                            let long = text_width(&series.labels[i], f.small, false);
                            if width >= f.small + 2.0 && zero - width - long >= self.y0 - f.small {
                                // Upwards from the stub, where the column would stand.
                                let mut o = TextOpts::new(f.small, Anchor::Left);
                                o.rotated = true;
                                c.text(&series.labels[i], mid, zero - width, o)?;
                            }
                            continue;
                        }
                        let v = series.values[i];
                        let y = scale.at(v, self.y1, self.y0);
                        c.rect(
                            bx + 1.0,
                            zero,
                            bx + width - 1.0,
                            y,
                            rgb(data.paint(s, i)).to_rgba(),
                        )?;
                        let label = &series.labels[i];
                        let room = if k == 1.0 { slot - 4.0 } else { width - 2.0 };
                        if text_width(label, f.small, true) <= room {
                            let ly = if v < 0.0 { y + 10.0 } else { y - 10.0 };
                            c.text(label, mid, ly, TextOpts::new(f.small, Anchor::Middle).bold())?;
                        }
                    }
                }
                Mode::Stacked => {
                    let width = (slot * 0.6).min(64.0);
                    let (segments, pos) = stack(data, i);
                    let mut inside = 0;
                    for (s, (from, to)) in segments.into_iter().enumerate() {
                        if !data.series[s].stated[i] || from == to {
                            continue;
                        }
                        let (a, b) =
                            (scale.at(from, self.y1, self.y0), scale.at(to, self.y1, self.y0));
                        let paint = data.paint(s, i);
                        c.rect(cx - width / 2.0, a, cx + width / 2.0, b, rgb(paint).to_rgba())?;
                        let label = &data.series[s].labels[i];
                        if text_width(label, f.small, true) + 6.0 <= width
                            && (a - b).abs() >= f.small + 4.0
                        {
                            let mut o = TextOpts::new(f.small, Anchor::Middle).bold();
                            o.colour = data.ink_on(paint);
                            c.text(label, cx, (a + b) / 2.0, o)?;
                            inside += 1;
                        }
                    }
                    if data.series.iter().all(|s| !s.stated[i]) {
                        let (l, r) = (cx - width / 2.0 + 3.0, cx + width / 2.0 - 3.0);
                        c.outline(l, zero - 12.0, r, zero)?;
                        let long = text_width(&data.numbers.not_stated, f.small, false);
                        if zero - 16.0 - long >= self.y0 - f.small {
                            let mut o = TextOpts::new(f.small, Anchor::Left);
                            o.rotated = true;
                            c.text(&data.numbers.not_stated, cx, zero - 16.0, o)?;
                        }
                    } else if let Some(total) = stack_total(data, mode, i, inside)
                        && text_width(&total, f.small, true) <= slot - 4.0
                    {
                        let top = scale.at(pos, self.y1, self.y0);
                        c.text(
                            &total,
                            cx,
                            top - 10.0,
                            TextOpts::new(f.small, Anchor::Middle).bold(),
                        )?;
                    }
                }
            }
            for (l, line) in self.labels[i].iter().enumerate() {
                let mut o = TextOpts::new(f.small, Anchor::Top);
                o.bold = forward;
                c.text(line, cx, self.y1 + self.below + 6.0 + l as f64 * (f.small + 3.0), o)?;
            }
        }
        self.band.draw_along(c, scale, (self.x0, self.x1), (self.y0, self.y1))
    }
}
