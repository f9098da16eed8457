//! Legends: the series of a chart of several (swatches and names flowing in
//! lines above the chart), and the categories of a pie, donut or waffle
//! (one row each: swatch, name, value). A legend is never cut: a long name
//! wraps onto as many lines as it takes.

use plotters::style::Color as _;

use super::ChartData;
use super::colours::Paint;
use super::draw::{self, Anchor, Canvas, DrawResult, Frame, TextOpts, rgb, text_width, wrap_whole};

const SWATCH: f64 = 12.0;
/// From a swatch's left edge to its text.
const INDENT: f64 = 18.0;

/// One entry: its place (relative to the legend's top left), its lines of
/// name and an optional bold line under them.
struct Item {
    x: f64,
    y: f64,
    lines: Vec<String>,
    bold: bool,
    value: Option<String>,
    paint: Paint,
}

/// A legend laid out.
pub(crate) struct Legend {
    items: Vec<Item>,
    /// Its height (0 when empty).
    pub height: f64,
}

/// The legend of a chart of several series, as wide as the frame; empty for
/// one series (the title says what it is).
pub(crate) fn series(data: &ChartData, frame: Frame) -> Legend {
    let mut items = Vec::new();
    if data.series.len() < 2 {
        return Legend::empty();
    }
    let max = frame.width - 2.0 * draw::M;
    let (mut x, mut y, mut row_h) = (0.0, 0.0, 0.0f64);
    for s in &data.series {
        let lines = wrap_whole(&s.name, frame.small, max - INDENT);
        let w = INDENT
            + lines.iter().map(|l| text_width(l, frame.small, false)).fold(0.0, f64::max)
            + 16.0;
        let h = lines.len() as f64 * frame.line;
        if x + w > max + 16.0 && x > 0.0 {
            x = 0.0;
            y += row_h + 4.0;
            row_h = 0.0;
        }
        items.push(Item { x, y, lines, bold: false, value: None, paint: s.paint.clone() });
        x += w;
        row_h = row_h.max(h);
    }
    Legend { items, height: y + row_h + 8.0 }
}

/// The legend of a chart of one series' shares: one row per category,
/// `width` wide, each with `values[i]` in bold under its name; the category
/// a mark brings forward is bold, with the mark's label.
pub(crate) fn categories(data: &ChartData, frame: Frame, width: f64, values: &[String]) -> Legend {
    let mut items = Vec::new();
    let mut y = 0.0;
    for (i, cat) in data.categories.iter().enumerate() {
        let forward = data.highlight.as_ref().filter(|(h, _)| *h == i);
        // Bold (brought forward) is wider: wrapped narrower.
        let room = if forward.is_some() { (width - INDENT) * 0.86 } else { width - INDENT };
        let mut lines = wrap_whole(cat, frame.small, room);
        if let Some((_, Some(label))) = forward {
            lines.extend(wrap_whole(label, frame.small, room));
        }
        let value = values.get(i).cloned();
        let h = (lines.len() + usize::from(value.is_some())) as f64 * frame.line + 6.0;
        items.push(Item {
            x: 0.0,
            y,
            lines,
            bold: forward.is_some(),
            value,
            paint: data.paint(0, i).clone(),
        });
        y += h;
    }
    Legend { items, height: y }
}

impl Legend {
    /// No legend.
    pub(crate) fn empty() -> Legend {
        Legend { items: Vec::new(), height: 0.0 }
    }

    /// Draws the legend with its top left at (`left`, `top`).
    pub(crate) fn draw(&self, c: &Canvas, left: f64, top: f64) -> DrawResult<()> {
        let f = c.frame;
        for item in &self.items {
            let (x, y) = (left + item.x, top + item.y);
            let mid = y + f.line / 2.0;
            c.rect(
                x,
                mid - SWATCH / 2.0,
                x + SWATCH,
                mid + SWATCH / 2.0,
                rgb(&item.paint).to_rgba(),
            )?;
            for (k, line) in item.lines.iter().enumerate() {
                let mut o = TextOpts::new(f.small, Anchor::Left);
                o.bold = item.bold;
                c.text(line, x + INDENT, mid + k as f64 * f.line, o)?;
            }
            if let Some(value) = &item.value {
                let vy = mid + item.lines.len() as f64 * f.line;
                c.text(value, x + INDENT, vy, TextOpts::new(f.small, Anchor::Left).bold())?;
            }
        }
        Ok(())
    }
}
