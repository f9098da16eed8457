//! Waffle charts: one series as a hundred squares, each category taking its
//! share (largest remainders, so the squares always add up to a hundred).

use plotters::style::Color;

use super::ChartData;
use super::draw::{Canvas, DrawResult, colour};

const CELL: f64 = 19.0;
const GAP: f64 = 3.0;

/// Draws the waffle and its legend: one square per unit of a small whole
/// count, else a hundred squares (`shares::waffle_cells`), filled row by row.
pub fn draw(data: &ChartData, palette: &[String]) -> DrawResult<(String, u32)> {
    let values = &data.series[0].values;
    let cells = super::shares::waffle_cells(values);
    let n: usize = cells.iter().sum();
    // A square grid of the same size whatever the count: 10 by 10 for a
    // hundred, 11 by 10 for 102.
    let cols = ((n as f64).sqrt().ceil() as usize).max(1);
    let side = 10.0 * CELL + 9.0 * GAP;
    let gap = if cols > 10 { GAP * 10.0 / cols as f64 } else { GAP };
    let cell_size = (side - (cols as f64 - 1.0) * gap) / cols as f64;
    let shares = data.share_labels();
    let legend = super::side_legend_layout(data, palette, &shares);
    let top = 8.0;
    let height = (top + (side + 16.0).max(legend.height)).ceil() as u32;
    let y0 = top + (height as f64 - top - side) / 2.0;
    let x0 = 12.0;
    let mut svg = String::new();
    let c = Canvas::new(&mut svg, height);
    let mut cell = 0;
    for (i, k) in cells.into_iter().enumerate() {
        for _ in 0..k {
            // Fill row by row from the top left, as a reader counts.
            let (row, col) = (cell / cols, cell % cols);
            let x = x0 + col as f64 * (cell_size + gap);
            let y = y0 + row as f64 * (cell_size + gap);
            c.rect(x, y, x + cell_size, y + cell_size, colour(palette, i).to_rgba())?;
            cell += 1;
        }
    }
    super::draw_side_legend(
        &c,
        &legend,
        super::SIDE_LEGEND_X,
        top + (height as f64 - top - legend.height) / 2.0,
    )?;
    c.present()?;
    Ok((svg, height))
}
