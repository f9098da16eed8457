//! Resolving what crosses files, once every page and dataset of a language
//! is parsed: figures numbered in reading order, and each hole of each page
//! (an `@/` link, a figure, a figure reference, a value) filled.

use std::collections::BTreeMap;

use super::parse::Broken;
use crate::config::Config;
use crate::content::shortcode::{NumberFormat, Shortcode};
use crate::content::{Hole, Need, Page};
use crate::data::{Cell, Dataset, Numbers};
use crate::diag::{Code, Diagnostics, Severity, suggest};
use crate::figures::{self, Figure};
use crate::hash::FastMap;

use super::Fill;

/// Numbers the figures and decides how every hole is filled. `unparsed`
/// are the keys of page files that could not be parsed: they exist, and
/// their own error is enough, so a link to one is no error of its own.
pub(super) fn resolve(
    pages: &[Page],
    unparsed: &[String],
    datasets: &BTreeMap<String, Dataset>,
    broken: &Broken,
    config: &Config,
    numbers: &Numbers,
    diags: &mut Diagnostics,
) -> (Vec<Figure>, Vec<Vec<Fill>>) {
    let owners = figure_owners(datasets, diags);
    let mut figures = number_figures(pages, datasets, &owners);
    figures::colours::assign(&mut figures, datasets, config.palette.as_deref());
    let mut known = Known::new(pages, datasets, broken, config, numbers, &figures);
    known.unparsed = unparsed;
    let mut fills = Vec::with_capacity(pages.len());
    for (pi, p) in pages.iter().enumerate() {
        let mut page_fills = Vec::with_capacity(p.body.holes.len());
        for h in &p.body.holes {
            page_fills.push(known.fill(pi, h, &mut figures, diags));
        }
        fills.push(page_fills);
    }
    (figures, fills)
}

/// The dataset each figure id belongs to: the first that declares it (a
/// second is an error).
fn figure_owners<'a>(
    datasets: &'a BTreeMap<String, Dataset>,
    diags: &mut Diagnostics,
) -> BTreeMap<&'a str, &'a Dataset> {
    let mut owners: BTreeMap<&str, &Dataset> = BTreeMap::new();
    for d in datasets.values() {
        for f in &d.figures {
            if let Some(first) = owners.get(f.id.as_str()) {
                let e = f.at.error(
                    Code::FigureId,
                    format!("figure id {:?} is already used in {}", f.id, first.source_path),
                );
                diags.push(e.with_help("give each figure an id of its own"));
            } else {
                owners.insert(&f.id, d);
            }
        }
    }
    owners
}

/// The figures of `datasets`, numbered in the order the pages place them.
fn number_figures(
    pages: &[Page],
    datasets: &BTreeMap<String, Dataset>,
    owners: &BTreeMap<&str, &Dataset>,
) -> Vec<Figure> {
    let mut placements: Vec<&str> = Vec::new();
    for p in pages {
        for h in &p.body.holes {
            if let Need::Shortcode(Shortcode::Figure { id }) = &h.need
                && owners.contains_key(id.as_str())
                && !placements.contains(&id.as_str())
            {
                placements.push(id);
            }
        }
    }
    let mut figures = figures::number(datasets.values(), &placements);
    figures.retain(|f| owners.get(f.spec.id.as_str()).is_some_and(|d| d.id == f.dataset));
    for (i, f) in figures.iter_mut().enumerate() {
        f.number = i + 1;
    }
    figures
}

/// What a hole may refer to: the pages, figures and datasets of the site.
struct Known<'a> {
    pages: &'a [Page],
    datasets: &'a BTreeMap<String, Dataset>,
    broken: &'a Broken,
    config: &'a Config,
    numbers: &'a Numbers,
    page_index: FastMap<&'a str, usize>,
    /// Page files that exist but could not be parsed.
    unparsed: &'a [String],
    figure_index: FastMap<String, usize>,
    sorted_figure_ids: Vec<String>,
}

impl<'a> Known<'a> {
    fn new(
        pages: &'a [Page],
        datasets: &'a BTreeMap<String, Dataset>,
        broken: &'a Broken,
        config: &'a Config,
        numbers: &'a Numbers,
        figures: &[Figure],
    ) -> Self {
        let figure_index: FastMap<String, usize> =
            figures.iter().enumerate().map(|(i, f)| (f.spec.id.clone(), i)).collect();
        let page_index = pages.iter().enumerate().map(|(i, p)| (p.key.as_str(), i)).collect();
        let mut sorted_figure_ids: Vec<String> = figure_index.keys().cloned().collect();
        sorted_figure_ids.sort();
        Known {
            pages,
            datasets,
            broken,
            config,
            numbers,
            page_index,
            unparsed: &[],
            figure_index,
            sorted_figure_ids,
        }
    }

    /// How hole `h` of page `pi` is filled; a figure it places or refers
    /// to learns the page.
    fn fill(&self, pi: usize, h: &Hole, figures: &mut [Figure], diags: &mut Diagnostics) -> Fill {
        match &h.need {
            Need::Link { target, anchor } => {
                self.link(&self.pages[pi], h, target, anchor.as_deref(), diags)
            }
            Need::Shortcode(Shortcode::Figure { id } | Shortcode::FigRef { id }) => {
                let Some(&fi) = self.figure_index.get(id) else {
                    // A figure of a dataset that did not parse: its error is reported.
                    if !self.broken.has_figure(id) {
                        let d =
                            h.at.error(Code::UnknownFigure, format!("unknown figure id {id:?}"));
                        diags.push(d.with_help(suggest(id, "figure ids", &self.sorted_figure_ids)));
                    }
                    return Fill::Text(String::new());
                };
                let f = &mut figures[fi];
                if matches!(h.need, Need::Shortcode(Shortcode::Figure { .. })) {
                    if !f.placed_in.contains(&pi) {
                        f.placed_in.push(pi);
                    }
                    Fill::Figure(fi)
                } else {
                    if !f.referenced_in.contains(&pi) {
                        f.referenced_in.push(pi);
                    }
                    Fill::FigRef(fi)
                }
            }
            Need::Shortcode(Shortcode::Value { data, key, format }) => {
                self.value(h, data, key, *format, diags)
            }
            Need::Shortcode(Shortcode::Cell { data, row, column, format }) => {
                self.cell(h, data, row, column, *format, diags)
            }
        }
    }

    /// The href of a link from page `p` to `@/target#anchor`.
    fn link(
        &self,
        p: &Page,
        h: &Hole,
        target: &str,
        anchor: Option<&str>,
        diags: &mut Diagnostics,
    ) -> Fill {
        let Some(&ti) = self.page_index.get(target) else {
            if self.unparsed.iter().any(|k| k == target) {
                // The page is there but broken: its own error says so (issue 21).
                return Fill::Text(String::new());
            }
            let known: Vec<String> = self.pages.iter().map(|p| p.key.clone()).collect();
            let d = h.at.error(Code::NoSuchPage, format!("link to @/{target}: no such page"));
            diags.push(d.with_help(suggest(target, "pages", &closest_pages(target, &known))));
            return Fill::Text(String::new());
        };
        let t = &self.pages[ti];
        let url = self.config.url(&t.path);
        let Some(a) = anchor else { return Fill::Href(url) };
        if t.body.headings.iter().any(|h| h.id == a) {
            return Fill::Href(format!("{url}#{a}"));
        }
        let ids: Vec<String> = t.body.headings.iter().map(|h| h.id.clone()).collect();
        let d =
            h.at.error(
                Code::NoSuchHeading,
                format!("link to @/{target}#{a}: {} has no heading with id {a:?}", t.source),
            )
            .with_help(suggest(a, "heading ids there", &ids));
        if p.fallback {
            // An untranslated page linking into a translated one:
            // the translator's headings decide; land on the page.
            let mut w = d.with_help(format!("give the heading in {} the id {a:?} with {{#{a}}}, so that links from untranslated pages keep their place", t.source));
            w.severity = Severity::Warning;
            w.message = format!(
                "{} (in the {} edition; the link leads to the top of the page)",
                w.message, self.config.book.language
            );
            diags.push(w);
        } else {
            diags.push(d);
        }
        Fill::Href(url)
    }

    /// The dataset `data`, or an error at hole `h` naming the nearest.
    fn dataset(&self, h: &Hole, data: &str, diags: &mut Diagnostics) -> Option<&'a Dataset> {
        let d = self.datasets.get(data);
        if d.is_none() && !self.broken.has_dataset(data) {
            let known: Vec<String> = self.datasets.keys().cloned().collect();
            let e = h.at.error(Code::UnknownDataset, format!("unknown dataset {data:?}"));
            diags.push(e.with_help(suggest(data, "datasets", &known)));
        }
        d
    }

    /// The text of one cell of dataset `data`: the row whose category is
    /// `row`, the column `column`; a number in `format`.
    fn cell(
        &self,
        h: &Hole,
        data: &str,
        row: &str,
        column: &str,
        format: NumberFormat,
        diags: &mut Diagnostics,
    ) -> Fill {
        let Some(d) = self.dataset(h, data, diags) else { return Fill::Text(String::new()) };
        match cell(d, row, column) {
            // Text fills are escaped where they are filled.
            Ok(cell) => Fill::Text(self.numbers.prose(cell, |v| self.format(v, format))),
            Err((message, help)) => {
                diags.push(h.at.error(Code::UnknownValue, message).with_help(help));
                Fill::Text(String::new())
            }
        }
    }

    /// A number written in `format`, as this language writes numbers.
    fn format(&self, v: f64, format: NumberFormat) -> String {
        match format {
            NumberFormat::Number => self.numbers.number(v),
            NumberFormat::Percent => self.numbers.percent(v),
        }
    }

    /// The text of the value `key` of dataset `data`, in `format`.
    fn value(
        &self,
        h: &Hole,
        data: &str,
        key: &str,
        format: NumberFormat,
        diags: &mut Diagnostics,
    ) -> Fill {
        let Some(d) = self.dataset(h, data, diags) else { return Fill::Text(String::new()) };
        let Some(&v) = d.values.get(key) else {
            let known: Vec<String> = d.values.keys().cloned().collect();
            let e =
                h.at.error(Code::UnknownValue, format!("dataset {data:?} has no value {key:?}"));
            let help = suggest(key, &format!("values of {data}"), &known) + " (under [values])";
            diags.push(e.with_help(help));
            return Fill::Text(String::new());
        };
        Fill::Text(self.format(v, format))
    }
}

/// The cell of dataset `d` in the row whose category (the text in its
/// first text column, the figures' `x`) is `row`, and the column `column`;
/// or an error message and help naming the nearest rows or columns.
pub(crate) fn cell<'d>(
    d: &'d Dataset,
    row: &str,
    column: &str,
) -> Result<&'d Cell, (String, String)> {
    let id = &d.id;
    let category = d.rows.first().and_then(|r| r.iter().position(|c| matches!(c, Cell::Text(_))));
    let Some(category) = category else {
        return Err((
            format!("dataset {id:?} has no rows named by a category"),
            "name a row by the text in its first column; quote named values with `key`".into(),
        ));
    };
    let names: Vec<String> =
        d.rows.iter().filter_map(|r| r.get(category)).map(Cell::label).collect();
    let Some(r) = names.iter().position(|n| n == row) else {
        return Err((
            format!("dataset {id:?} has no row {row:?}"),
            suggest(row, &format!("rows of {id} (by {})", d.columns[category]), &names),
        ));
    };
    let Some(c) = d.columns.iter().position(|c| c == column) else {
        let known: Vec<String> = d
            .columns
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != category)
            .map(|(_, c)| c.clone())
            .collect();
        return Err((
            format!("dataset {id:?} has no column {column:?}"),
            suggest(column, &format!("columns of {id}"), &known),
        ));
    };
    d.rows[r].get(c).ok_or_else(|| {
        (format!("row {row:?} of dataset {id:?} has no cell {column:?}"), "fill the cell in".into())
    })
}

fn closest_pages(target: &str, known: &[String]) -> Vec<String> {
    // Offer the pages of the same folder first: that is where a typo usually lands.
    let folder = target.rsplit_once('/').map_or("", |(f, _)| f);
    let same: Vec<String> = known
        .iter()
        .filter(|k| k.rsplit_once('/').map_or("", |(f, _)| f) == folder)
        .cloned()
        .collect();
    if same.len() <= 12 { same } else { Vec::new() }
}
