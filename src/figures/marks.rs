//! Reference lines (`[[figures.marks]]` with `at`): a dashed line across the
//! value axis and its label in a band of its own above the plot, where no
//! bar, value or category label can be.

use super::ChartData;
use super::draw::{Anchor, Canvas, DrawResult, Frame, Scale, TextOpts, text_width, wrap_bold};

/// The labels of a chart's reference lines, laid out above its plot.
pub(crate) struct Band {
    /// Each line's value and its label's lines, in the order written.
    marks: Vec<(f64, Vec<String>)>,
    /// Its height (0 without reference lines).
    pub height: f64,
}

/// The space between a band's labels and a dash sample's length.
const GAP: f64 = 4.0;
const SAMPLE: f64 = 22.0;

impl Band {
    /// For bars running across: each label centred over its line's place.
    pub(crate) fn across(data: &ChartData, f: Frame) -> Band {
        Band::lay_out(data, f, f.width * 0.6)
    }

    /// For columns and lines: the labels listed above the plot, each after a dash.
    pub(crate) fn along(data: &ChartData, f: Frame) -> Band {
        Band::lay_out(data, f, f.width - 2.0 * super::draw::M - SAMPLE - 6.0)
    }

    fn lay_out(data: &ChartData, f: Frame, width: f64) -> Band {
        let marks: Vec<(f64, Vec<String>)> =
            data.lines.iter().map(|(v, label)| (*v, wrap_bold(label, f.small, width, 3))).collect();
        let height = marks.iter().map(|(_, l)| l.len() as f64 * f.line + GAP).sum::<f64>()
            + if marks.is_empty() { 0.0 } else { GAP };
        Band { marks, height }
    }

    /// Draws the labels from `top` down and each line from under its label
    /// to `bottom`, at its value's place between `plot.0` and `plot.1`.
    pub(crate) fn draw_across(
        &self,
        c: &Canvas,
        scale: &Scale,
        plot: (f64, f64),
        (top, bottom): (f64, f64),
    ) -> DrawResult<()> {
        let f = c.frame;
        let mut y = top;
        for (v, lines) in &self.marks {
            let x = scale.at(*v, plot.0, plot.1);
            let widest = lines.iter().map(|l| text_width(l, f.small, true)).fold(0.0, f64::max);
            let m = super::draw::M;
            let cx = x.clamp(m + widest / 2.0, f.width - m - widest / 2.0);
            for (k, l) in lines.iter().enumerate() {
                let o = TextOpts::new(f.small, Anchor::Middle).bold();
                c.text(l, cx, y + f.line / 2.0 + k as f64 * f.line, o)?;
            }
            y += lines.len() as f64 * f.line + GAP;
            c.dashed(x, y, x, bottom)?;
        }
        Ok(())
    }

    /// Draws the labels in the band above the plot `(y0, y1)` (whose top
    /// tick label takes `f.small + 10` above `y0`) and the lines across it.
    pub(crate) fn draw_along(
        &self,
        c: &Canvas,
        scale: &Scale,
        (x0, x1): (f64, f64),
        (y0, y1): (f64, f64),
    ) -> DrawResult<()> {
        let f = c.frame;
        let mut y = y0 - f.small - 10.0 - self.height + GAP;
        let m = super::draw::M;
        for (v, lines) in &self.marks {
            c.dashed(m, y + f.line / 2.0, m + SAMPLE, y + f.line / 2.0)?;
            for (k, l) in lines.iter().enumerate() {
                let o = TextOpts::new(f.small, Anchor::Left).bold();
                c.text(l, m + SAMPLE + 6.0, y + f.line / 2.0 + k as f64 * f.line, o)?;
            }
            y += lines.len() as f64 * f.line + GAP;
            let at = scale.at(*v, y1, y0);
            c.dashed(x0, at, x1, at)?;
        }
        Ok(())
    }
}
