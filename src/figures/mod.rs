//! Figures: each `[[figures]]` spec of a dataset becomes a numbered `Figure`.
//! Numbers follow reading order (front page, chapters by weight, case studies
//! by date); figures placed nowhere come last, by id. `table_html` writes the
//! data as an accessible table, kept beside the chart.

pub mod bar;
pub mod colours;
pub mod draw;
mod legend;
pub mod line;
mod marks;
pub mod pie;
pub mod preview;
pub(crate) mod shares;
pub mod waffle;

use std::fmt::Write as _;

use crate::data::{Cell, Dataset, FigureKind, FigureSpec, MarkTarget, Numbers, Sort};
use crate::hash::FastMap;
use crate::html::escape_html;
use crate::i18n::Words;
use bar::{Mode, Orientation};
use colours::{FigureColours, Paint};
use draw::Frame;

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
    /// Its colours, given for the whole site by `colours::assign` (empty:
    /// the default palette in order).
    pub colours: FigureColours,
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
                colours: FigureColours::default(),
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

/// Are a dataset's numbers percentages (`unit = "%"`)? Charts then write
/// them as percentages ("58%", "58 %" in French).
fn is_percent(unit: Option<&str>) -> bool {
    unit.is_some_and(|u| u.trim() == "%")
}

/// The colour of what a mark does not bring forward.
fn muted() -> &'static Paint {
    static MUTED: std::sync::OnceLock<Paint> = std::sync::OnceLock::new();
    MUTED.get_or_init(Paint::muted)
}

/// The rows of `data` in the order `spec.sort` asks for: by the first
/// series, or by the total of a stacked bar; rows that state nothing last,
/// ties in the order written.
fn order(spec: &FigureSpec, data: &Dataset) -> Vec<usize> {
    let mut order: Vec<usize> = (0..data.rows.len()).collect();
    if spec.sort == Sort::None {
        return order;
    }
    let ys: Vec<usize> =
        spec.y.iter().filter_map(|y| data.columns.iter().position(|c| c == y)).collect();
    let take = if spec.kind == FigureKind::StackedBar { ys.len() } else { 1 };
    let key = |r: usize| -> Option<f64> {
        let values: Vec<f64> = ys
            .iter()
            .take(take)
            .filter_map(|&c| data.rows[r].get(c).and_then(Cell::number))
            .collect();
        (!values.is_empty()).then(|| values.iter().sum())
    };
    let keys: Vec<Option<f64>> = order.iter().map(|&r| key(r)).collect();
    order.sort_by(|&a, &b| match (keys[a], keys[b]) {
        (Some(x), Some(y)) if spec.sort == Sort::Descending => y.total_cmp(&x),
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    order
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

/// The numbers a chart draws: categories and one or more series, in the
/// order the figure's `sort` asks for, with their colours and marks.
#[derive(Debug, Clone)]
pub struct ChartData {
    /// The category labels (the x column), in drawing order.
    pub categories: Vec<String>,
    /// The series (the y columns).
    pub series: Vec<Series>,
    /// What the numbers count.
    pub unit: Option<String>,
    /// The category column's name.
    pub(crate) x_name: String,
    /// How the numbers are written.
    pub numbers: Numbers,
    /// Each category's own colour: every slice of a chart of shares; in a
    /// chart of one series, a category the author coloured.
    pub(crate) category_paints: Vec<Option<Paint>>,
    /// Reference lines: the value and its label.
    pub(crate) lines: Vec<(f64, String)>,
    /// The category brought forward, and what its mark says.
    pub(crate) highlight: Option<(usize, Option<String>)>,
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
    /// Its colour.
    pub(crate) paint: Paint,
}

impl ChartData {
    /// The figure's numbers from its dataset, labelled in the dataset's
    /// language, ordered by the spec's `sort`, painted with `colours`.
    pub fn new(spec: &FigureSpec, data: &Dataset, numbers: &Numbers) -> Self {
        Self::painted(spec, data, numbers, &colours::alone(spec, data))
    }

    /// `new`, with the colours the site gave the figure.
    pub(crate) fn painted(
        spec: &FigureSpec,
        data: &Dataset,
        numbers: &Numbers,
        colours: &FigureColours,
    ) -> Self {
        let col = |name: &str| data.columns.iter().position(|c| c == name);
        let x = col(&spec.x);
        let order = order(spec, data);
        let keys: Vec<String> = order
            .iter()
            .map(|&r| x.and_then(|x| data.rows[r].get(x)).map(Cell::label).unwrap_or_default())
            .collect();
        let categories = order
            .iter()
            .map(|&r| {
                let label = x
                    .and_then(|x| data.rows[r].get(x))
                    .map(|c| numbers.cell(c))
                    .unwrap_or_default();
                data.label(&label).to_string()
            })
            .collect();
        let remarks = Remarks::of(spec, data);
        let series = spec
            .y
            .iter()
            .map(|y| {
                let c = col(y);
                let cells: Vec<&Cell> = order
                    .iter()
                    .map(|&r| c.and_then(|c| data.rows[r].get(c)).unwrap_or(&Cell::Missing))
                    .collect();
                let marks: Vec<Option<usize>> =
                    order.iter().map(|&r| c.and_then(|c| remarks.mark(r, c))).collect();
                let percent = is_percent(data.unit.as_deref());
                let labels = cells
                    .iter()
                    .zip(&marks)
                    .map(|(cell, mark)| {
                        let mut label = numbers.cell(cell);
                        if let (true, Some(v)) = (percent, cell.number()) {
                            label =
                                label.replacen(&numbers.number(v), &numbers.percent(v / 100.0), 1);
                        }
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
                    paint: colours.get(y).cloned().unwrap_or_else(|| Paint {
                        hex: colours::LIGHT[0].to_string(),
                        var: Some("--chart-1"),
                    }),
                }
            })
            .collect();
        let mut lines = Vec::new();
        let mut highlight = None;
        for m in &spec.marks {
            let label = m.label.as_deref().map(|l| data.label(l).to_string());
            match &m.target {
                MarkTarget::Value(v) => {
                    let text = if is_percent(data.unit.as_deref()) {
                        numbers.percent(v / 100.0)
                    } else {
                        numbers.number(*v)
                    };
                    lines.push((*v, label.unwrap_or(text)));
                }
                MarkTarget::Category(c) => {
                    highlight = keys.iter().position(|k| k == c).map(|i| (i, label));
                }
            }
        }
        ChartData {
            category_paints: keys.iter().map(|k| colours.get(k).cloned()).collect(),
            categories,
            series,
            unit: data.unit.clone(),
            x_name: data.label(&spec.x).to_string(),
            numbers: numbers.clone(),
            lines,
            highlight,
        }
    }

    /// A value as the chart's axis writes it: a percentage when the unit is
    /// "%" (the values are percentages), else a number.
    pub(crate) fn value_text(&self, v: f64) -> String {
        if is_percent(self.unit.as_deref()) {
            self.numbers.percent(v / 100.0)
        } else {
            self.numbers.number(v)
        }
    }

    /// The colour of series `s` at category `i`: the category's own colour
    /// in a chart of one series that has one, the muted colour when a mark
    /// brings another category forward, else the series'.
    pub(crate) fn paint(&self, s: usize, i: usize) -> &Paint {
        if let Some((h, _)) = self.highlight
            && h != i
            && self.series.len() == 1
            && !self.category_paints.iter().all(Option::is_some)
        {
            return muted();
        }
        match &self.category_paints[i] {
            Some(p) if self.series.len() == 1 => p,
            _ => &self.series[s].paint,
        }
    }

    /// Every paint the chart may use, for `draw::finish`, in a fixed order.
    pub(crate) fn paints(&self) -> Vec<&Paint> {
        self.each_paint().collect()
    }

    /// `paints`, one at a time.
    fn each_paint(&self) -> impl Iterator<Item = &Paint> {
        let series = self.series.iter().map(|s| &s.paint);
        let categories = self.category_paints.iter().flatten();
        series.chain(categories).chain(self.highlight.as_ref().map(|_| muted()))
    }

    /// The colour of text written on `paint` (a value inside a segment or
    /// a slice): a stand-in that `draw::finish` turns into dark or white,
    /// whichever reads on the paint, restyled by the theme (`<var>-ink`).
    pub(crate) fn ink_on(&self, paint: &Paint) -> plotters::style::RGBColor {
        let i = self.each_paint().position(|p| p == paint).unwrap_or(0);
        draw::ink_stand_in(i)
    }

    /// What a legend of shares says under each category: the value as a
    /// percentage when the values are whole percentages adding up to 100
    /// (rather than "74 · 74%"; each is then its share), qualified as its
    /// label is ("≈ 6%¹"); else the value and the share ("12 · 34%").
    pub(crate) fn legend_values(&self, shares: &[String]) -> Vec<String> {
        let s = &self.series[0];
        let total: f64 = s.values.iter().sum();
        if total == 100.0 && s.values.iter().all(|v| v.fract() == 0.0) {
            // Labels of a unit of "%" are percentages already.
            if is_percent(self.unit.as_deref()) {
                return s.labels.clone();
            }
            s.labels
                .iter()
                .zip(&s.values)
                .map(|(label, &v)| {
                    let n = self.numbers.number(v);
                    label.replacen(&n, &self.numbers.percent(v / 100.0), 1)
                })
                .collect()
        } else {
            s.labels.iter().zip(shares).map(|(v, share)| format!("{v} · {share}")).collect()
        }
    }

    /// Do the stated values of every category add up to 100 (shares of a
    /// whole, whose totals say nothing)?
    pub(crate) fn rows_are_shares(&self) -> bool {
        self.series.len() > 1
            && (0..self.categories.len()).all(|i| {
                let stated = self.series.iter().all(|s| s.stated[i]);
                !stated || (self.total(i) - 100.0).abs() < 0.5
            })
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
            Some(self.value_text(self.total(i)))
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
    let num = |v: f64| data.value_text(v);
    // Percentages say so in their numbers ("58%"); other units follow them.
    let unit = data
        .unit
        .as_deref()
        .filter(|u| !is_percent(Some(u)))
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
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

/// "Figure 3" in the words of `words`' language, as references, tables and
/// search name a figure.
pub fn label(figure: &Figure, words: &Words) -> String {
    format!("{} {}", words.get("figure"), figure.number)
}

/// "Figure 3: Title" in the words of `words`' language, as charts, previews
/// and pages name a figure.
pub fn title(figure: &Figure, words: &Words) -> String {
    format!("{}{} {}", label(figure, words), words.get("colon"), figure.spec.title)
}

/// A figure drawn twice, as `draw::NARROW` and `draw::WIDE` lay it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// The SVG for phones.
    pub narrow: String,
    /// The SVG for wider columns, print, the SVG file and the images.
    pub wide: String,
}

impl Drawn {
    /// Both SVGs as a page shows them: the narrow one, and the wide one
    /// `hidden` until the theme's CSS shows it where the column is wide
    /// (without CSS, one chart shows).
    pub fn html(&self) -> String {
        format!(
            "<div class=\"chart-narrow\">{}</div><div class=\"chart-wide\" hidden>{}</div>",
            self.narrow, self.wide
        )
    }
}

/// Draws a figure as two accessible SVGs (narrow and wide): the chart, its
/// title and its description.
///
/// # Errors
/// What plotters reports if drawing fails (it writes into a string, so only
/// on a bug of ours); the caller turns it into a diagnostic.
pub fn draw(figure: &Figure, data: &Dataset, words: &Words) -> Result<Drawn, String> {
    let colours = if figure.colours == FigureColours::default() {
        colours::alone(&figure.spec, data)
    } else {
        figure.colours.clone()
    };
    let chart = ChartData::painted(&figure.spec, data, &words.numbers(), &colours);
    let title = title(figure, words);
    let desc = describe(figure.spec.kind, &chart, words);
    let id = format!("figure-{}", figure.spec.id);
    Ok(Drawn {
        narrow: draw_in(
            figure.spec.kind,
            &chart,
            draw::NARROW,
            &format!("{id}-narrow"),
            (&title, &desc),
        )?,
        wide: draw_in(figure.spec.kind, &chart, draw::WIDE, &id, (&title, &desc))?,
    })
}

/// Draws `chart` as `kind` in `frame`.
fn draw_in(
    kind: FigureKind,
    chart: &ChartData,
    frame: Frame,
    id: &str,
    texts: (&str, &str),
) -> Result<String, String> {
    let (svg, height) = match kind {
        FigureKind::Bar => bar::draw(chart, frame, Mode::Grouped, Orientation::Vertical)?,
        FigureKind::HBar => bar::draw(chart, frame, Mode::Grouped, Orientation::Horizontal)?,
        FigureKind::GroupedBar => bar::draw(chart, frame, Mode::Grouped, Orientation::Auto)?,
        FigureKind::StackedBar => bar::draw(chart, frame, Mode::Stacked, Orientation::Auto)?,
        FigureKind::Pie => pie::draw(chart, frame, false)?,
        FigureKind::Donut => pie::draw(chart, frame, true)?,
        FigureKind::Waffle => waffle::draw(chart, frame)?,
        FigureKind::Line => line::draw(chart, frame)?,
    };
    Ok(draw::finish(&svg, id, texts, (frame.width, height), &chart.paints()))
}
