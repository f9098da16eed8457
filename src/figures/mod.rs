//! Figures: each `[[figures]]` spec of a dataset becomes a numbered `Figure`.
//! Numbers follow reading order (front page, chapters by weight, case studies
//! by date); figures placed nowhere come last, by id. `table_html` writes the
//! data as an accessible table, kept beside the chart.

use std::fmt::Write as _;

use crate::content::markdown::escape_html;
use crate::data::{Cell, Dataset, FigureSpec};

/// A figure of the briefing: its spec, its dataset and where it stands.
#[derive(Debug, Clone)]
pub struct Figure {
    /// "Figure N".
    pub number: usize,
    /// The spec, as the author wrote it.
    pub spec: FigureSpec,
    /// The id of the dataset it is drawn from.
    pub dataset: String,
    /// Pages (indices into `Site::pages`) that place it, in reading order.
    pub placed_in: Vec<usize>,
    /// Pages that refer to it with `figref`, in reading order.
    pub referenced_in: Vec<usize>,
}

/// Numbers the figures of `datasets`: first those placed, in the order of
/// `placements` (figure ids in reading order), then the rest by id.
pub fn number<'a>(
    datasets: impl IntoIterator<Item = &'a Dataset>,
    placements: &[&str],
) -> Vec<Figure> {
    let mut all: Vec<Figure> = datasets
        .into_iter()
        .flat_map(|d| {
            d.figures.iter().map(|spec| Figure {
                number: 0,
                spec: spec.clone(),
                dataset: d.id.clone(),
                placed_in: Vec::new(),
                referenced_in: Vec::new(),
            })
        })
        .collect();
    let rank = |id: &str| placements.iter().position(|p| *p == id).unwrap_or(usize::MAX);
    all.sort_by(|a, b| {
        rank(&a.spec.id).cmp(&rank(&b.spec.id)).then_with(|| a.spec.id.cmp(&b.spec.id))
    });
    for (i, f) in all.iter_mut().enumerate() {
        f.number = i + 1;
    }
    all
}

/// The figure's data as an HTML table: categories as row headers, one column per series.
pub fn table_html(figure: &Figure, data: &Dataset, caption: &str) -> String {
    let x = data.columns.iter().position(|c| *c == figure.spec.x);
    let ys: Vec<usize> =
        figure.spec.y.iter().filter_map(|y| data.columns.iter().position(|c| c == y)).collect();
    let mut out = String::new();
    let _ = write!(
        out,
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">",
        escape_html(caption)
    );
    let _ = write!(
        out,
        "<table class=\"data-table\"><caption>{}</caption><thead><tr>",
        escape_html(caption)
    );
    let _ = write!(out, "<th scope=\"col\">{}</th>", escape_html(&figure.spec.x));
    for &y in &ys {
        let _ =
            write!(out, "<th scope=\"col\" class=\"num\">{}</th>", escape_html(&data.columns[y]));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &data.rows {
        let label = x.and_then(|x| row.get(x)).map(Cell::label).unwrap_or_default();
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape_html(&label));
        for &y in &ys {
            let v = row.get(y).map(Cell::label).unwrap_or_default();
            let _ = write!(out, "<td class=\"num\">{}</td>", escape_html(&v));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}
