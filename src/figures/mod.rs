//! Figures: each `[[figures]]` spec of a dataset becomes a numbered `Figure`.
//! Numbers follow reading order (front page, chapters by weight, case studies
//! by date); figures placed nowhere come last, by id. `table_html` writes the
//! data as an accessible table, kept beside the chart.

pub mod bar;
pub mod draw;
pub mod line;
pub mod pie;
pub mod preview;
pub mod waffle;

use std::fmt::Write as _;

use crate::data::{Cell, Dataset, FigureKind, FigureSpec, Numbers};
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

/// The figure's data as an HTML table: categories as row headers, one column
/// per series, labels in the dataset's language and numbers written as `numbers` says.
pub fn table_html(figure: &Figure, data: &Dataset, caption: &str, numbers: &Numbers) -> String {
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
    let _ = write!(out, "<th scope=\"col\">{}</th>", escape_html(data.label(&figure.spec.x)));
    for &y in &ys {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"num\">{}</th>",
            escape_html(data.label(&data.columns[y]))
        );
    }
    out.push_str("</tr></thead><tbody>");
    for row in &data.rows {
        let label = x.and_then(|x| row.get(x)).map(|c| numbers.cell(c)).unwrap_or_default();
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape_html(data.label(&label)));
        for &y in &ys {
            let v = row.get(y).map(|c| numbers.cell(c)).unwrap_or_default();
            let _ = write!(out, "<td class=\"num\">{}</td>", escape_html(&v));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
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
    /// One value per category.
    pub values: Vec<f64>,
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
        let series = spec
            .y
            .iter()
            .map(|y| Series {
                name: data.label(y).to_string(),
                values: data
                    .rows
                    .iter()
                    .map(|r| col(y).and_then(|c| r.get(c)).and_then(Cell::number).unwrap_or(0.0))
                    .collect(),
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

/// Lays out the side legend of a one-series chart.
pub(crate) fn side_legend_layout(
    data: &ChartData,
    palette: &[String],
    total: f64,
    percent: &dyn Fn(f64) -> String,
) -> SideLegend {
    let mut rows = Vec::new();
    let mut y = 0.0;
    for (i, cat) in data.categories.iter().enumerate() {
        let v = data.series[0].values[i];
        let lines = draw::wrap(cat, draw::SMALL, SIDE_LEGEND_W, 4);
        let share = if total > 0.0 { percent(v / total) } else { String::new() };
        let value = format!("{} ({share})", data.numbers.number(v));
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
    let n = data.categories.len();
    let count = n.to_string();
    let num = |v: f64| data.numbers.number(v);
    let unit = data.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    let what = words.get(&format!("chart_{kind}"));
    if data.series.len() == 1 {
        let s = &data.series[0];
        let total: f64 = s.values.iter().sum();
        let (mut hi, mut lo) = (0, 0);
        for (i, v) in s.values.iter().enumerate() {
            if *v > s.values[hi] {
                hi = i;
            }
            if *v < s.values[lo] {
                lo = i;
            }
        }
        // The unit is said once, with the largest value.
        let value = |i: usize, unit: &str| {
            let share = if kind.is_share() && total > 0.0 {
                format!(" ({})", data.numbers.share(s.values[i] / total))
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
    let share = |s: f64| chart.numbers.share(s);
    let pct: &dyn Fn(f64) -> String = &share;
    let (svg, height) = match figure.spec.kind {
        FigureKind::Bar => bar::draw(&chart, palette, Mode::Grouped, Orientation::Vertical)?,
        FigureKind::HBar => bar::draw(&chart, palette, Mode::Grouped, Orientation::Horizontal)?,
        FigureKind::GroupedBar => bar::draw(&chart, palette, Mode::Grouped, Orientation::Auto)?,
        FigureKind::StackedBar => bar::draw(&chart, palette, Mode::Stacked, Orientation::Auto)?,
        FigureKind::Pie => pie::draw(&chart, palette, false, pct)?,
        FigureKind::Donut => pie::draw(&chart, palette, true, pct)?,
        FigureKind::Waffle => waffle::draw(&chart, palette, pct)?,
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
