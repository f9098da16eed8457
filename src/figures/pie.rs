//! Pie and donut charts: one series as slices, with percentages on slices
//! that are large enough and a legend giving every value and share.

use std::f64::consts::PI;

use plotters::style::Color;

use super::ChartData;
use super::draw::{Anchor, Canvas, DrawResult, LABEL, TextOpts, colour, label_colour};

const CX: f64 = 118.0;
const R: f64 = 104.0;
const INNER: f64 = 0.56;

/// Draws a pie (or a donut, with a hole and the total in the middle).
pub fn draw(data: &ChartData, palette: &[String], donut: bool) -> DrawResult<(String, u32)> {
    let values = &data.series[0].values;
    let total: f64 = values.iter().sum();
    let shares = data.share_labels();
    let legend = super::side_legend_layout(data, palette, &shares);
    let top = 8.0;
    let height = (top + (2.0 * R + 16.0).max(legend.height)).ceil() as u32;
    let cy = top + (height as f64 - top) / 2.0;
    let mut svg = String::new();
    let c = Canvas::new(&mut svg, height);
    let mut start = -PI / 2.0;
    for (i, &v) in values.iter().enumerate() {
        if v <= 0.0 {
            continue;
        }
        let sweep = v / total * 2.0 * PI;
        let steps = ((sweep / (2.0 * PI)) * 180.0).ceil().max(2.0) as usize;
        let arc = |radius: f64| -> Vec<(f64, f64)> {
            (0..=steps)
                .map(|k| {
                    let a = start + sweep * k as f64 / steps as f64;
                    (CX + radius * a.cos(), cy + radius * a.sin())
                })
                .collect()
        };
        let mut pts = arc(R);
        if donut {
            pts.extend(arc(R * INNER).into_iter().rev());
        } else {
            pts.insert(0, (CX, cy));
        }
        c.polygon(&pts, colour(palette, i).to_rgba())?;
        start += sweep;
    }
    if donut {
        c.text(
            &data.numbers.number(total),
            CX,
            cy - 8.0,
            TextOpts::new(LABEL * 1.6, Anchor::Middle).bold(),
        )?;
        if let Some(unit) = &data.unit {
            let unit = super::draw::wrap(unit, LABEL * 0.9, R * INNER * 1.8, 1);
            c.text(&unit[0], CX, cy + 16.0, TextOpts::new(LABEL * 0.9, Anchor::Middle))?;
        }
    }
    let mut start = -PI / 2.0;
    for (i, &v) in values.iter().enumerate() {
        if v <= 0.0 {
            continue;
        }
        let sweep = v / total * 2.0 * PI;
        if v / total >= 0.06 {
            let mid = start + sweep / 2.0;
            let rr = if donut { R * 0.78 } else { R * 0.64 };
            let mut o = TextOpts::new(LABEL, Anchor::Middle).bold();
            o.colour = label_colour(&colour(palette, i));
            c.text(&shares[i], CX + rr * mid.cos(), cy + rr * mid.sin(), o)?;
        }
        start += sweep;
    }
    super::draw_side_legend(&c, &legend, super::SIDE_LEGEND_X, cy - legend.height / 2.0)?;
    c.present()?;
    Ok((svg, height))
}
