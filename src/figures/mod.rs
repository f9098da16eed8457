//! Figures: each `[[figures]]` spec of a dataset becomes a numbered `Figure`.
//! Numbers follow reading order (front page, chapters by weight, case studies
//! by date); figures placed nowhere come last, by id. `table_html` writes the
//! data as an accessible table, kept beside the chart.

pub mod bar;
pub mod draw;
pub mod line;
pub mod pie;
pub mod preview;
pub(crate) mod shares;
pub mod waffle;

use std::fmt::Write as _;

use crate::data::{Cell, Dataset, FigureKind, FigureSpec, Numbers};
use crate::hash::FastMap;
use crate::html::escape_html;
use crate::i18n::Words;
use bar::{Mode, Orientation};

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

/// The remarks behind a figure's qualified cells (a derivation or a note),
/// numbered in reading order (rows, then series), each translated where the
/// dataset's `labels` translate it. Marks in labels and tables use these
/// numbers (`Remarks::mark`, from 0).
pub(crate) struct Remarks {
    /// The texts, in mark order.
    texts: Vec<String>,
    /// The mark of each (row, column) cell that has a remark.
    marks: FastMap<(usize, usize), usize>,
}

impl Remarks {
    /// The remarks of `spec`'s series in `data`.
    pub(crate) fn of(spec: &FigureSpec, data: &Dataset) -> Self {
        let ys: Vec<usize> =
            spec.y.iter().filter_map(|y| data.columns.iter().position(|c| c == y)).collect();
        let mut remarks = Remarks { texts: Vec::new(), marks: FastMap::default() };
        for (r, row) in data.rows.iter().enumerate() {
            for &y in &ys {
                if let Some(text) = row.get(y).and_then(Cell::qualified).and_then(|q| q.remark()) {
                    // A column named twice in `y` is listed twice; its mark is the first.
                    remarks.marks.entry((r, y)).or_insert(remarks.texts.len());
                    remarks.texts.push(data.label(&text).to_string());
                }
            }
        }
        remarks
    }

    /// The mark of the cell at row `r`, column `c`, if it has a remark.
    pub(crate) fn mark(&self, r: usize, c: usize) -> Option<usize> {
        self.marks.get(&(r, c)).copied()
    }
}

/// `n` in superscript digits (a remark's mark in a chart label).
pub(crate) fn superscript(n: usize) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string().bytes().map(|b| DIGITS[usize::from(b - b'0')]).collect()
}

/// The figure's data as an HTML table: categories as row headers, one column
/// per series, labels in the dataset's language and numbers written as
/// `numbers` says ("not stated", "≥ 30"); a qualified cell with a remark
/// carries a mark linking to the numbered remarks listed under the table.
pub fn table_html(figure: &Figure, data: &Dataset, caption: &str, numbers: &Numbers) -> String {
    table_html_at(figure, data, caption, numbers, &format!("figure-{}", figure.spec.id))
}

/// `table_html`, with the ids of its marks and remarks starting with
/// `anchor` (a page that shows the table twice gives each its own).
pub(crate) fn table_html_at(
    figure: &Figure,
    data: &Dataset,
    caption: &str,
    numbers: &Numbers,
    anchor: &str,
) -> String {
    let x = data.columns.iter().position(|c| *c == figure.spec.x);
    let ys: Vec<usize> =
        figure.spec.y.iter().filter_map(|y| data.columns.iter().position(|c| c == y)).collect();
    let remarks = Remarks::of(&figure.spec, data);
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
    let _ = write!(out, "<th scope=\"col\">{}</th>", escape_html(data.label(&figure.spec.x)));
    for &y in &ys {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"num\">{}</th>",
            escape_html(data.label(&data.columns[y]))
        );
    }
    out.push_str("</tr></thead><tbody>");
    for (r, row) in data.rows.iter().enumerate() {
        let label = x.and_then(|x| row.get(x)).map(|c| numbers.cell(c)).unwrap_or_default();
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape_html(data.label(&label)));
        for &y in &ys {
            let cell = row.get(y);
            let v = cell.map(|c| numbers.cell(c)).unwrap_or_default();
            let class = if matches!(cell, Some(Cell::Missing)) { "num not-stated" } else { "num" };
            let _ = write!(out, "<td class=\"{class}\">{}", escape_html(&v));
            if let Some(k) = remarks.mark(r, y) {
                let _ = write!(
                    out,
                    "<sup><a href=\"#{anchor}-remark-{n}\" id=\"{anchor}-mark-{n}\">{n}</a></sup>",
                    n = k + 1
                );
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    if !remarks.texts.is_empty() {
        let _ = write!(out, "<ol class=\"figure-remarks\">");
        for (k, text) in remarks.texts.iter().enumerate() {
            let _ = write!(
                out,
                "<li id=\"{anchor}-remark-{n}\">{} <a href=\"#{anchor}-mark-{n}\" aria-label=\"↩ {n}\">↩</a></li>",
                escape_html(text),
                n = k + 1
            );
        }
        out.push_str("</ol>");
    }
    out
}

/// The numbers a chart draws: categories and one or more series.
#[derive(Debug, Clone)]
pub struct ChartData {
    /// The category labels (the x column), in row order.
    pub categories: Vec<String>,
    /// The series (the y columns).
    pub series: Vec<Series>,
    /// What the numbers count.
    pub unit: Option<String>,
    /// The category column's name.
    pub(crate) x_name: String,
    /// How the numbers are written.
    pub numbers: Numbers,
}

/// One series of a chart.
#[derive(Debug, Clone)]
pub struct Series {
    /// The column's name.
    pub name: String,
    /// One value per category (0 where the value is not stated: see `stated`).
    pub values: Vec<f64>,
    /// Whether each value is stated in the source.
    pub stated: Vec<bool>,
    /// Each value as its label writes it: "12", "≥ 30¹", "not stated".
    pub labels: Vec<String>,
    /// Each qualified value as labels write it without its mark ("≥ 30"),
    /// for the description.
    pub(crate) qualified: Vec<Option<String>>,
    /// Each value's remark (derivation or note), translated, if it has one.
    pub(crate) remarks: Vec<Option<String>>,
}

impl ChartData {
    /// The figure's numbers from its dataset, labelled in the dataset's language.
    pub fn new(spec: &FigureSpec, data: &Dataset, numbers: &Numbers) -> Self {
        let col = |name: &str| data.columns.iter().position(|c| c == name);
        let x = col(&spec.x);
        let categories = data
            .rows
            .iter()
            .map(|r| {
                let label = x.and_then(|x| r.get(x)).map(|c| numbers.cell(c)).unwrap_or_default();
                data.label(&label).to_string()
            })
            .collect();
        let remarks = Remarks::of(spec, data);
        let series = spec
            .y
            .iter()
            .map(|y| {
                let c = col(y);
                let cells: Vec<&Cell> = data
                    .rows
                    .iter()
                    .map(|r| c.and_then(|c| r.get(c)).unwrap_or(&Cell::Missing))
                    .collect();
                let marks: Vec<Option<usize>> =
                    (0..cells.len()).map(|r| c.and_then(|c| remarks.mark(r, c))).collect();
                let labels = cells
                    .iter()
                    .zip(&marks)
                    .map(|(cell, mark)| {
                        let mut label = numbers.cell(cell);
                        if let Some(k) = mark {
                            label.push_str(&superscript(k + 1));
                        }
                        label
                    })
                    .collect();
                Series {
                    name: data.label(y).to_string(),
                    values: cells.iter().map(|cell| cell.number().unwrap_or(0.0)).collect(),
                    stated: cells.iter().map(|cell| !matches!(cell, Cell::Missing)).collect(),
                    labels,
                    qualified: cells
                        .iter()
                        .map(|cell| cell.qualified().map(|_| numbers.cell(cell)))
                        .collect(),
                    remarks: marks.iter().map(|k| k.map(|k| remarks.texts[k].clone())).collect(),
                }
            })
            .collect();
        ChartData {
            categories,
            series,
            unit: data.unit.clone(),
            x_name: data.label(&spec.x).to_string(),
            numbers: numbers.clone(),
        }
    }

    /// The sum of every series at category `i`.
    pub fn total(&self, i: usize) -> f64 {
        self.series.iter().map(|s| s.values[i]).sum()
    }

    /// The label of category `i`'s total in a stacked bar: "not stated"
    /// when no series states it, none when only some do (a partial sum
    /// would read as the whole).
    pub(crate) fn total_label(&self, i: usize) -> Option<String> {
        let stated = self.series.iter().filter(|s| s.stated[i]).count();
        if stated == self.series.len() {
            Some(self.numbers.number(self.total(i)))
        } else if stated == 0 {
            Some(self.numbers.not_stated.clone())
        } else {
            None
        }
    }

    /// The shares of the first series as whole percentages that add up to
    /// exactly 100 (largest remainder), each as its label writes it; a value
    /// above zero whose share rounds to nothing is "<1%".
    pub(crate) fn share_labels(&self) -> Vec<String> {
        let values = &self.series[0].values;
        shares::apportion(values, 100)
            .into_iter()
            .zip(values)
            .map(|(n, &v)| {
                if n == 0 && v > 0.0 {
                    self.numbers.under_one_percent()
                } else {
                    self.numbers.percent(n as f64 / 100.0)
                }
            })
            .collect()
    }
}

/// A legend above the chart: swatches and series names, flowing in lines.
pub(crate) struct Legend {
    items: Vec<(f64, f64, String, draw::Colour)>,
    /// Its height (0 when there is one series: the title says what it is).
    pub height: f64,
}

/// Lays out the legend of a chart with several series.
pub(crate) fn legend_layout(data: &ChartData, palette: &[String]) -> Legend {
    let mut items = Vec::new();
    if data.series.len() < 2 {
        return Legend { items, height: 0.0 };
    }
    let (mut x, mut y) = (8.0, 0.0);
    let max = f64::from(draw::WIDTH) - 8.0;
    for (i, s) in data.series.iter().enumerate() {
        let label = draw::wrap(&s.name, draw::SMALL, max - 30.0, 1).remove(0);
        let w = 18.0 + draw::text_width(&label, draw::SMALL, false) + 16.0;
        if x + w > max && x > 8.0 {
            x = 8.0;
            y += draw::LINE + 4.0;
        }
        items.push((x, y, label, draw::colour(palette, i)));
        x += w;
    }
    Legend { items, height: y + draw::LINE + 8.0 }
}

/// Draws a legend laid out by `legend_layout`, its top at `top`.
pub(crate) fn draw_legend(c: &draw::Canvas, legend: &Legend, top: f64) -> draw::DrawResult<()> {
    use plotters::style::Color as _;
    for (x, y, label, colour) in &legend.items {
        let mid = top + y + draw::LINE / 2.0;
        c.rect(*x, mid - 6.0, x + 12.0, mid + 6.0, colour.to_rgba())?;
        c.text(label, x + 18.0, mid, draw::TextOpts::new(draw::SMALL, draw::Anchor::Left))?;
    }
    Ok(())
}

/// A legend beside a pie, donut or waffle: swatch, label, value and share.
pub(crate) struct SideLegend {
    rows: Vec<(f64, Vec<String>, String, draw::Colour)>,
    /// Its height.
    pub height: f64,
}

/// Where side legends start, beside a chart about 240 units wide.
pub(crate) const SIDE_LEGEND_X: f64 = 248.0;
const SIDE_LEGEND_W: f64 = draw::WIDTH as f64 - SIDE_LEGEND_X - 18.0 - 8.0;

/// Lays out the side legend of a one-series chart: each category with its
/// value and its share (`shares`, as `ChartData::share_labels` writes them).
pub(crate) fn side_legend_layout(
    data: &ChartData,
    palette: &[String],
    shares: &[String],
) -> SideLegend {
    let mut rows = Vec::new();
    let mut y = 0.0;
    for (i, cat) in data.categories.iter().enumerate() {
        let lines = draw::wrap(cat, draw::SMALL, SIDE_LEGEND_W, 4);
        let share = shares.get(i).map_or("", String::as_str);
        let value = format!("{} ({share})", data.series[0].labels[i]);
        let h = (lines.len() as f64 + 1.0) * (draw::SMALL + 4.0) + 8.0;
        rows.push((y, lines, value, draw::colour(palette, i)));
        y += h;
    }
    SideLegend { rows, height: y }
}

/// Draws a side legend with its top left at (`x`, `top`).
pub(crate) fn draw_side_legend(
    c: &draw::Canvas,
    legend: &SideLegend,
    x: f64,
    top: f64,
) -> draw::DrawResult<()> {
    use plotters::style::Color as _;
    let line = draw::SMALL + 4.0;
    for (y, lines, value, colour) in &legend.rows {
        let y0 = top + y;
        c.rect(x, y0 + 3.0, x + 12.0, y0 + 15.0, colour.to_rgba())?;
        for (k, l) in lines.iter().enumerate() {
            c.text(
                l,
                x + 18.0,
                y0 + 9.0 + k as f64 * line,
                draw::TextOpts::new(draw::SMALL, draw::Anchor::Left),
            )?;
        }
        let vy = y0 + 9.0 + lines.len() as f64 * line;
        c.text(value, x + 18.0, vy, draw::TextOpts::new(draw::SMALL, draw::Anchor::Left).bold())?;
    }
    Ok(())
}

/// Fills `{name}` placeholders of a sentence from the theme's words.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A one-sentence summary of the chart written from its numbers, for
/// `<desc>`, in the words of `words`' language (`describe_*`, `chart_<kind>`).
pub(crate) fn describe(kind: FigureKind, data: &ChartData, words: &Words) -> String {
    let told = describe_values(kind, data, words);
    let honest = describe_honesty(data, words);
    if honest.is_empty() { told } else { format!("{told} {honest}") }
}

/// What `describe` adds about the values the source does not state and the
/// qualified ones (empty when every value is plainly stated).
fn describe_honesty(data: &ChartData, words: &Words) -> String {
    let one = data.series.len() == 1;
    let name = |s: &Series, i: usize| {
        if one {
            data.categories[i].clone()
        } else {
            format!("{} ({})", data.categories[i], s.name)
        }
    };
    let colon = words.get("colon");
    let mut missing = Vec::new();
    let mut qualified = Vec::new();
    for s in &data.series {
        for i in 0..data.categories.len() {
            if !s.stated[i] {
                missing.push(name(s, i));
            } else if let Some(value) = &s.qualified[i] {
                let mut item = format!("{}{colon} {value}", name(s, i));
                if let Some(remark) = &s.remarks[i] {
                    item.push_str(&format!(" ({})", remark.trim_end_matches('.')));
                }
                qualified.push(item);
            }
        }
    }
    let mut out = Vec::new();
    if !missing.is_empty() {
        out.push(fill(&words.get("describe_not_stated"), &[("list", &missing.join("; "))]));
    }
    if !qualified.is_empty() {
        out.push(fill(&words.get("describe_qualified"), &[("list", &qualified.join("; "))]));
    }
    out.join(" ")
}

/// The sentence of `describe` about the values themselves (stated ones).
fn describe_values(kind: FigureKind, data: &ChartData, words: &Words) -> String {
    let n = data.categories.len();
    let count = n.to_string();
    let num = |v: f64| data.numbers.number(v);
    let unit = data.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    let what = words.get(&format!("chart_{kind}"));
    if data.series.len() == 1 {
        let s = &data.series[0];
        let total: f64 = s.values.iter().sum();
        let Some(first) = s.stated.iter().position(|&x| x) else { return what };
        let (mut hi, mut lo) = (first, first);
        for (i, v) in s.values.iter().enumerate().filter(|(i, _)| s.stated[*i]) {
            if *v > s.values[hi] {
                hi = i;
            }
            if *v < s.values[lo] {
                lo = i;
            }
        }
        // The unit is said once, with the largest value.
        let shares = if kind.is_share() { data.share_labels() } else { Vec::new() };
        let value = |i: usize, unit: &str| {
            let share = if kind.is_share() && total > 0.0 {
                format!(" ({})", shares[i])
            } else {
                String::new()
            };
            format!("{}{unit}{share}", num(s.values[i]))
        };
        if n == 1 {
            return fill(
                &words.get("describe_one"),
                &[
                    ("what", &what),
                    ("series", &s.name),
                    ("x", &data.x_name),
                    ("category", &data.categories[0]),
                    ("value", &format!("{}{unit}", num(s.values[0]))),
                ],
            );
        }
        // A total only means something for shares; bars may count overlapping things.
        let over = if kind.is_share() {
            fill(
                &words.get("describe_shares"),
                &[("total", &format!("{}{unit}", num(total))), ("n", &count)],
            )
        } else {
            fill(&words.get("describe_count"), &[("n", &count)])
        };
        fill(
            &words.get("describe_many"),
            &[
                ("what", &what),
                ("series", &s.name),
                ("x", &data.x_name),
                ("over", &over),
                ("top", &data.categories[hi]),
                ("top_value", &value(hi, &unit)),
                ("bottom", &data.categories[lo]),
                ("bottom_value", &value(lo, "")),
            ],
        )
    } else {
        let names: Vec<&str> = data.series.iter().map(|s| s.name.as_str()).collect();
        let mut best = (0, 0);
        for (k, s) in data.series.iter().enumerate() {
            for (i, v) in s.values.iter().enumerate() {
                if *v > data.series[best.0].values[best.1] {
                    best = (k, i);
                }
            }
        }
        let totals: Vec<f64> = (0..n).map(|i| data.total(i)).collect();
        let top =
            (0..n).max_by(|&a, &b| totals[a].total_cmp(&totals[b]).then(b.cmp(&a))).unwrap_or(0);
        fill(
            &words.get("describe_series"),
            &[
                ("what", &what),
                ("k", &names.len().to_string()),
                ("names", &names.join(", ")),
                ("n", &count),
                ("x", &data.x_name),
                ("value", &format!("{}{unit}", num(data.series[best.0].values[best.1]))),
                ("series", &data.series[best.0].name),
                ("category", &data.categories[best.1]),
                ("top", &data.categories[top]),
                ("total", &format!("{}{unit}", num(totals[top]))),
            ],
        )
    }
}

/// "Figure 3: Title" in the words of `words`' language, as charts, previews
/// and pages name a figure.
pub fn title(figure: &Figure, words: &Words) -> String {
    format!("{} {}{} {}", words.get("figure"), figure.number, words.get("colon"), figure.spec.title)
}

/// Draws a figure as an accessible SVG: the chart, its title and its description.
///
/// # Errors
/// What plotters reports if drawing fails (it writes into a string, so only
/// on a bug of ours); the caller turns it into a diagnostic.
pub fn draw(
    figure: &Figure,
    data: &Dataset,
    palette: &[String],
    words: &Words,
) -> Result<String, String> {
    let chart = ChartData::new(&figure.spec, data, &words.numbers());
    let (svg, height) = match figure.spec.kind {
        FigureKind::Bar => bar::draw(&chart, palette, Mode::Grouped, Orientation::Vertical)?,
        FigureKind::HBar => bar::draw(&chart, palette, Mode::Grouped, Orientation::Horizontal)?,
        FigureKind::GroupedBar => bar::draw(&chart, palette, Mode::Grouped, Orientation::Auto)?,
        FigureKind::StackedBar => bar::draw(&chart, palette, Mode::Stacked, Orientation::Auto)?,
        FigureKind::Pie => pie::draw(&chart, palette, false)?,
        FigureKind::Donut => pie::draw(&chart, palette, true)?,
        FigureKind::Waffle => waffle::draw(&chart, palette)?,
        FigureKind::Line => line::draw(&chart, palette)?,
    };
    let title = title(figure, words);
    Ok(draw::finish(
        &svg,
        &format!("figure-{}", figure.spec.id),
        &title,
        &describe(figure.spec.kind, &chart, words),
        height,
        palette,
    ))
}
