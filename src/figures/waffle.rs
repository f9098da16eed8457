//! Waffle charts: one series as a grid of squares, each category taking its
//! share (one square per unit of a small whole count, else a hundred by
//! largest remainders), with every category, value and share in a legend
//! beside the grid (below it on a phone).

use plotters::style::Color;

use super::ChartData;
use super::draw::{Canvas, DrawResult, Frame, M, rgb};
use super::legend;

/// Draws the waffle and its legend, filled row by row from the top left.
pub fn draw(data: &ChartData, f: Frame) -> DrawResult<(String, u32)> {
    let values = &data.series[0].values;
    let cells = super::shares::waffle_cells(values);
    let n: usize = cells.iter().sum();
    // A square grid of the same size whatever the count: 10 by 10 for a
    // hundred, 11 by 10 for 102.
    let cols = ((n as f64).sqrt().ceil() as usize).max(1);
    let side: f64 = if f.width > 600.0 { 250.0 } else { 240.0 };
    let gap = (3.0 * 10.0 / cols as f64).min(3.0);
    let cell = (side - (cols as f64 - 1.0) * gap) / cols as f64;
    let shares = data.share_labels();
    let (x0, lx, lw, beside) = super::pie::place(f, side);
    let legend = legend::categories(data, f, lw, &data.legend_values(&shares));
    let (y0, top, height) = if beside {
        let h = side.max(legend.height) + 2.0 * M;
        ((h - side) / 2.0, (h - legend.height) / 2.0, h)
    } else {
        (M, M + side + 16.0, M + side + 16.0 + legend.height + M)
    };
    let height = height.ceil() as u32;
    let mut svg = String::new();
    let c = Canvas::new(&mut svg, f, height);
    let mut k = 0;
    for (i, count) in cells.into_iter().enumerate() {
        for _ in 0..count {
            let (row, col) = (k / cols, k % cols);
            let x = x0 + col as f64 * (cell + gap);
            let y = y0 + row as f64 * (cell + gap);
            c.rect(x, y, x + cell, y + cell, rgb(data.paint(0, i)).to_rgba())?;
            k += 1;
        }
    }
    legend.draw(&c, lx, top)?;
    c.present()?;
    Ok((svg, height))
}
