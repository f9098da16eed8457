//! The third and fourth stages of a load: every page and every dataset read
//! and parsed on every core, then the pages put in reading order and
//! checked for what no single file can see (a missing front page, two pages at one address).

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Page, PageKind};
use crate::data::{self, Dataset};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::hash::FastMap;

use super::cache::{Cache, ParsedPage};
use super::classify::{DataFile, PageFile};
use super::disk::Disk;

/// The pages of `files` that are built (drafts only with `config.drafts`),
/// in reading order, parsed or lent by `cache`; and the keys of the files
/// that could not be read or parsed (they exist all the same).
pub(super) fn parse_pages(
    disk: &Disk<'_>,
    files: &[PageFile],
    config: &Config,
    cache: Option<&mut Cache>,
    diags: &mut Diagnostics,
) -> (Vec<Page>, Vec<String>) {
    // Each file is read and parsed on the same thread, and its text dropped at once.
    let parse = |file: &PageFile| -> ParsedPage {
        match disk.read_text(&file.path) {
            Ok(text) => content::parse(&file.key, &text, config),
            Err(d) => (None, vec![d]),
        }
    };
    let parsed = match cache {
        None => files.par_iter().map(parse).collect(),
        Some(cache) => cache.parse_pages(files, disk.inv, parse),
    };
    let mut pages = Vec::with_capacity(parsed.len());
    let mut unparsed = Vec::new();
    for (file, (page, d)) in files.iter().zip(parsed) {
        if page.is_none() && d.iter().any(|d| d.severity == crate::diag::Severity::Error) {
            unparsed.push(file.key.clone());
        }
        diags.extend(d);
        if let Some(p) = page
            && (!p.is_draft || config.drafts)
        {
            pages.push(p);
        }
    }
    // A front page that is there but broken has its own error.
    let front_unparsed = unparsed.iter().any(|k| k == "index.md");
    if !front_unparsed && !pages.iter().any(|p| p.kind == PageKind::Front) {
        diags
            .push(Diagnostic::file_error(Code::MissingFrontPage, "content/index.md", "the front page is missing").with_help(
            "create content/index.md with a front matter block (`+++` lines) and the introduction",
        ));
    }
    // Pages are large: sort by keys, then move each page once.
    sort_reading_order(&mut pages);
    check_unique_paths(&pages, diags);
    (pages, unparsed)
}

/// The datasets of `files` by id, each read and parsed on its own core,
/// with their `[i18n.<lang>]` tables checked against the declared languages.
pub(super) fn parse_datasets(
    disk: &Disk<'_>,
    files: &[DataFile],
    config: &Config,
    diags: &mut Diagnostics,
) -> (BTreeMap<String, Dataset>, Broken) {
    let parsed: Vec<Parsed> = files
        .par_iter()
        .map(|file| {
            let text = match disk.read_text(&file.path) {
                Ok(text) => text,
                Err(d) => return (Err(vec![d]), None),
            };
            let parsed = match &file.csv {
                None => data::parse(&file.id, &text),
                Some(csv) => match disk.read_text(csv) {
                    Ok(rows) => data::parse_with_csv(&file.id, &text, &rows),
                    Err(d) => Err(vec![d]),
                },
            };
            (parsed, Some(text))
        })
        .collect();
    let mut datasets = BTreeMap::new();
    let mut broken = Broken::default();
    for (file, (d, text)) in files.iter().zip(parsed) {
        match d {
            Ok(mut d) => {
                diags.extend(std::mem::take(&mut d.warnings));
                datasets.insert(d.id.clone(), d);
            }
            Err(d) => {
                diags.extend(d);
                broken.add(&file.id, text.as_deref().unwrap_or(""));
            }
        }
    }
    for d in datasets.values() {
        check_dataset_languages(d, config, diags);
    }
    (datasets, broken)
}

/// A dataset parsed, or its errors; with its text when it could be read.
type Parsed = (Result<Dataset, Vec<Diagnostic>>, Option<String>);

/// The datasets that did not parse, and the figure ids they seem to
/// declare: references to them are not errors of their own (the dataset's
/// error is reported; one mistake, one error).
#[derive(Debug, Default)]
pub(crate) struct Broken {
    datasets: BTreeSet<String>,
    figures: BTreeSet<String>,
}

impl Broken {
    fn add(&mut self, id: &str, text: &str) {
        self.datasets.insert(id.to_string());
        // A lone figure's id is the dataset's; others are `id = "..."` lines.
        self.figures.insert(id.to_string());
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("id") else { continue };
            let Some(value) = rest.trim_start().strip_prefix('=') else { continue };
            let value = value.trim().trim_matches('"');
            if !value.is_empty() {
                self.figures.insert(value.to_string());
            }
        }
    }

    /// Did the dataset `id` fail to parse?
    pub(crate) fn has_dataset(&self, id: &str) -> bool {
        self.datasets.contains(id)
    }

    /// May the figure `id` be declared by a dataset that failed to parse?
    pub(crate) fn has_figure(&self, id: &str) -> bool {
        self.figures.contains(id)
    }
}

/// Each `[i18n.<lang>]` table of `d` must be for a declared language other
/// than the default.
pub(super) fn check_dataset_languages(d: &Dataset, config: &Config, diags: &mut Diagnostics) {
    for (lang, t) in &d.i18n {
        if !config.languages.contains_key(lang) {
            let e = t.at.error(
                Code::UndeclaredLanguage,
                if *lang == config.book.language {
                    format!("{lang:?} is the default language: the dataset's own strings are in it")
                } else {
                    format!("the language {lang:?} is not declared in book.toml")
                },
            );
            let declared: Vec<String> = config.languages.keys().cloned().collect();
            diags.push(e.with_help(format!(
                "add [languages.{lang}] to book.toml, or use one of the declared languages{}",
                if declared.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", declared.join(", "))
                }
            )));
        }
    }
}

/// Sorts `pages` into reading order. Pages are large: their order is found
/// on small keys, and they move only when it changed (as in most rebuilds).
pub(super) fn sort_reading_order(pages: &mut Vec<Page>) {
    let mut keys: Vec<_> = pages.iter().enumerate().map(|(i, p)| (reading_order(p), i)).collect();
    if keys.is_sorted() {
        return;
    }
    // The index last: equal keys keep their order.
    keys.sort_unstable();
    let order: Vec<usize> = keys.into_iter().map(|(_, i)| i).collect();
    let mut slots: Vec<Option<Page>> = std::mem::take(pages).into_iter().map(Some).collect();
    pages.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Where a page stands in reading order: front page, chapters by weight,
/// case studies by date, then by slug.
pub(super) fn reading_order(p: &Page) -> (PageKind, i64, Option<content::Date>, &str) {
    match &p.case {
        Some(c) => (p.kind, 0, Some(c.date), p.slug.as_str()),
        None => (p.kind, p.weight, None, p.slug.as_str()),
    }
}

/// Two pages at one address is an error, at the second one's slug.
pub(super) fn check_unique_paths(pages: &[Page], diags: &mut Diagnostics) {
    let mut seen: FastMap<&str, &Page> = FastMap::default();
    for p in pages {
        if let Some(first) = seen.get(p.path.as_str()) {
            let d = p.slug_at.error(
                Code::DuplicateAddress,
                format!(
                    "this page has the same address as {} ({}index.html)",
                    first.source, p.path
                ),
            );
            diags.push(d.with_help("give one of them another `slug` in its front matter"));
        } else {
            seen.insert(&p.path, p);
        }
    }
}
