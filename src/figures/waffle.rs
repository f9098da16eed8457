//! Waffle charts: one series as a hundred squares, each category taking its
//! share (largest remainders, so the squares always add up to a hundred).

use plotters::style::Color;

use super::ChartData;
use super::draw::{Canvas, DrawResult, colour};

const CELL: f64 = 19.0;
const GAP: f64 = 3.0;

/// The number of squares of each value, out of 100, by largest remainders.
pub(crate) fn squares(values: &[f64]) -> Vec<usize> {
    let total: f64 = values.iter().map(|v| v.max(0.0)).sum();
    if total <= 0.0 {
        return vec![0; values.len()];
    }
    let exact: Vec<f64> = values.iter().map(|v| v.max(0.0) / total * 100.0).collect();
    let mut counts: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut left = 100 - counts.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        counts[i] += 1;
        left -= 1;
    }
    counts
}

/// Draws the waffle and its legend.
pub fn draw(
    data: &ChartData,
    palette: &[String],
    lang_percent: &dyn Fn(f64) -> String,
) -> DrawResult<(String, u32)> {
    let values = &data.series[0].values;
    let total: f64 = values.iter().sum();
    let legend = super::side_legend_layout(data, palette, total, lang_percent);
    let side = 10.0 * CELL + 9.0 * GAP;
    let top = 8.0;
    let height = (top + (side + 16.0).max(legend.height)).ceil() as u32;
    let y0 = top + (height as f64 - top - side) / 2.0;
    let x0 = 12.0;
    let mut svg = String::new();
    let c = Canvas::new(&mut svg, height);
    let mut cell = 0;
    for (i, n) in squares(values).into_iter().enumerate() {
        for _ in 0..n {
            // Fill row by row from the top left, as a reader counts.
            let (row, col) = (cell / 10, cell % 10);
            let x = x0 + col as f64 * (CELL + GAP);
            let y = y0 + row as f64 * (CELL + GAP);
            c.rect(x, y, x + CELL, y + CELL, colour(palette, i).to_rgba())?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squares_always_add_up_to_a_hundred() {
        for values in
            [vec![14.0, 65.0, 23.0], vec![1.0, 1.0, 1.0], vec![0.0, 5.0], vec![0.5, 0.25, 0.25]]
        {
            let s = squares(&values);
            assert_eq!(s.iter().sum::<usize>(), 100, "{values:?} -> {s:?}");
        }
        assert_eq!(squares(&[14.0, 65.0, 23.0]), vec![14, 64, 22]);
        assert_eq!(squares(&[0.0, 0.0]), vec![0, 0]);
    }
}
