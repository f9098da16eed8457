//! Pie and donut charts: one series as slices, each share written on its
//! slice where it fits, and every category, value and share in a legend
//! beside the chart (below it on a phone). A mark pulls its slice out.

use std::f64::consts::PI;

use plotters::style::Color;

use super::ChartData;
use super::draw::{Anchor, Canvas, DrawResult, Frame, M, TextOpts, rgb, text_width, wrap};
use super::legend;

const INNER: f64 = 0.56;
/// How far a slice brought forward stands out.
const PULL: f64 = 10.0;

/// Where a chart of shares sits in `f` (a square of side `side`) and where
/// its legend goes: beside it when the frame is wide enough, else below.
/// Returns (left, legend's left, legend's width, beside?).
pub(crate) fn place(f: Frame, side: f64) -> (f64, f64, f64, bool) {
    let beside = f.width - side - 3.0 * M - 24.0 >= 200.0;
    if beside {
        let lx = M + side + 24.0 + M;
        (M, lx, f.width - M - lx, true)
    } else {
        ((f.width - side) / 2.0, M, f.width - 2.0 * M, false)
    }
}

/// Draws a pie (or a donut, with a hole and the total in the middle).
pub fn draw(data: &ChartData, f: Frame, donut: bool) -> DrawResult<(String, u32)> {
    let values = &data.series[0].values;
    let total: f64 = values.iter().sum();
    let shares = data.share_labels();
    let r = if f.width > 600.0 { 130.0 } else { 118.0 };
    let side = 2.0 * (r + PULL);
    let (left, lx, lw, beside) = place(f, side);
    let legend = legend::categories(data, f, lw, &data.legend_values(&shares));
    let (cx, cy, top, height) = if beside {
        let h = side.max(legend.height) + 2.0 * M;
        (left + side / 2.0, h / 2.0, (h - legend.height) / 2.0, h)
    } else {
        (left + side / 2.0, M + side / 2.0, M + side + 16.0, M + side + 16.0 + legend.height + M)
    };
    let height = height.ceil() as u32;
    let mut svg = String::new();
    let c = Canvas::new(&mut svg, f, height);
    let forward = data.highlight.as_ref().map(|(i, _)| *i);
    let mut start = -PI / 2.0;
    let mut centres = Vec::new();
    for (i, &v) in values.iter().enumerate() {
        if v <= 0.0 {
            centres.push(None);
            continue;
        }
        let sweep = v / total * 2.0 * PI;
        let mid = start + sweep / 2.0;
        let pull = if forward == Some(i) { PULL } else { 0.0 };
        let (ox, oy) = (cx + pull * mid.cos(), cy + pull * mid.sin());
        let steps = ((sweep / (2.0 * PI)) * 180.0).ceil().max(2.0) as usize;
        let arc = |radius: f64| -> Vec<(f64, f64)> {
            (0..=steps)
                .map(|k| {
                    let a = start + sweep * k as f64 / steps as f64;
                    (ox + radius * a.cos(), oy + radius * a.sin())
                })
                .collect()
        };
        let mut pts = arc(r);
        if donut {
            pts.extend(arc(r * INNER).into_iter().rev());
        } else {
            pts.insert(0, (ox, oy));
        }
        c.polygon(&pts, rgb(data.paint(0, i)).to_rgba())?;
        centres.push(Some((ox, oy, mid, v / total)));
        start += sweep;
    }
    if donut {
        // The total, as large as fits in the hole (else left to the legend).
        let total = data.numbers.number(total);
        let hole = 2.0 * r * INNER - 12.0;
        let size = [f.label * 1.6, f.label * 1.2, f.small]
            .into_iter()
            .find(|&size| text_width(&total, size, true) <= hole);
        if let Some(size) = size {
            c.text(&total, cx, cy - 8.0, TextOpts::new(size, Anchor::Middle).bold())?;
            if let Some(unit) = &data.unit {
                let unit = wrap(unit, f.small, hole * 0.9, 1);
                c.text(&unit[0], cx, cy + 16.0, TextOpts::new(f.small, Anchor::Middle))?;
            }
        }
    }
    // Shares on slices large enough, unless one would touch another (the
    // legend gives every share).
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    for (i, centre) in centres.into_iter().enumerate() {
        let Some((ox, oy, mid, share)) = centre else { continue };
        if share < 0.06 {
            continue;
        }
        let rr = if donut { r * 0.78 } else { r * 0.64 };
        let (x, y) = (ox + rr * mid.cos(), oy + rr * mid.sin());
        let half = text_width(&shares[i], f.label, true) / 2.0 + 2.0;
        let b = (x - half, y - f.label * 0.6, x + half, y + f.label * 0.6);
        if placed.iter().any(|p| b.0 < p.2 && p.0 < b.2 && b.1 < p.3 && p.1 < b.3) {
            continue;
        }
        placed.push(b);
        let mut o = TextOpts::new(f.label, Anchor::Middle).bold();
        o.colour = data.ink_on(data.paint(0, i));
        c.text(&shares[i], x, y, o)?;
    }
    legend.draw(&c, lx, top)?;
    c.present()?;
    Ok((svg, height))
}
