//! What `serve` keeps between two loads of a site: the pages parsed (kept
//! while their file keeps its size and time) and the taxonomies grouped, so
//! that a load after an edit parses and groups only what the edit changed.

use rayon::prelude::*;

use crate::content::{self, Page};
use crate::diag::Diagnostic;
use crate::hash::{FastMap, FastSet};
use crate::inventory::{Entry, Inventory};
use crate::taxonomy::{self, Taxonomy};

use super::Site;
use super::classify::PageFile;

/// Pages parsed by an earlier `load_with`, kept while their file keeps its
/// size and modification time and book.toml its text: `serve` reparses only
/// what an editor saved. (Files rewritten within the clock's resolution at
/// the same size look unchanged; filesystems here keep nanoseconds.)
#[derive(Debug, Default)]
pub struct Cache {
    /// A hash of book.toml's text and the options: pages are parsed with them.
    config: u64,
    /// By file, relative to the root: its size, modification time, and what
    /// parsing it gave.
    pages: FastMap<String, Parsed>,
    /// How many files the last load parsed (the others came from the cache).
    parsed: usize,
    /// The taxonomies of the last load, unless a load has lent them out.
    taxonomies: Option<Vec<Taxonomy>>,
    /// A hash of what the last load's taxonomies were grouped from (each
    /// case's place, date, terms and companies).
    taxonomy_key: u64,
}

#[derive(Debug, Clone)]
struct Parsed {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// The page, unless a load has lent it out (`Cache::restore`).
    page: Option<Page>,
    /// Was there a page to lend?
    made: bool,
    diags: Vec<Diagnostic>,
}

/// What parsing a page file gave: the page, unless it failed, and its diagnostics.
pub(super) type ParsedPage = (Option<Page>, Vec<Diagnostic>);

impl Cache {
    /// How many page files the last load parsed rather than took from here.
    pub fn parsed(&self) -> usize {
        self.parsed
    }

    /// Gives back the pages and taxonomies a load took from here (the site
    /// it made), so that the next load lends them again instead of parsing
    /// and grouping again. A page not given back is parsed again.
    pub(crate) fn restore(&mut self, site: Site) {
        self.taxonomies = Some(site.taxonomies);
        for page in site.pages {
            if let Some(entry) = self.pages.get_mut(&page.source)
                && entry.made
                && entry.page.is_none()
            {
                entry.page = Some(page);
            }
        }
    }

    /// Forgets everything when `config` (a hash of book.toml and the
    /// options) is not what the last load had: every page is parsed with it.
    pub(super) fn keep_for(&mut self, config: u64) {
        if self.config != config {
            *self = Cache { config, ..Cache::default() };
        }
    }

    /// What parsing each of `files` (as `inv` saw them) gives: lent from
    /// here when the file did not change, else parsed with `parse` and kept.
    pub(super) fn parse_pages(
        &mut self,
        files: &[PageFile],
        inv: &Inventory,
        parse: impl Fn(&PageFile) -> ParsedPage + Sync,
    ) -> Vec<ParsedPage> {
        // `None`: the cached entry still holds.
        let fresh: Vec<Option<Parsed>> = files
            .par_iter()
            .map(|file| {
                let seen = inv.get(&file.path);
                let len = seen.map_or(u64::MAX, |e| e.len);
                let modified = seen.and_then(|e| e.modified);
                match self.pages.get(&file.path) {
                    Some(p)
                        if p.len == len
                            && p.modified == modified
                            && modified.is_some()
                            && p.made == p.page.is_some() =>
                    {
                        None
                    }
                    _ => {
                        let (page, diags) = parse(file);
                        let made = page.is_some();
                        Some(Parsed { len, modified, page, made, diags })
                    }
                }
            })
            .collect();
        self.parsed = fresh.iter().filter(|p| p.is_some()).count();
        if self.pages.len() != files.len()
            || files.iter().any(|file| !self.pages.contains_key(&file.path))
        {
            let current: FastSet<&String> = files.iter().map(|file| &file.path).collect();
            self.pages.retain(|path, _| current.contains(path));
        }
        let mut out = Vec::with_capacity(fresh.len());
        for (file, p) in files.iter().zip(fresh) {
            let entry = match p {
                Some(p) => {
                    self.pages.insert(file.path.clone(), p);
                    self.pages.get_mut(&file.path)
                }
                None => self.pages.get_mut(&file.path),
            };
            if let Some(entry) = entry {
                out.push((entry.page.take(), entry.diags.clone()));
            }
        }
        out
    }

    /// The taxonomies of `pages`: those of the last load when what they are
    /// grouped from did not change, else grouped again.
    pub(super) fn taxonomies(
        &mut self,
        pages: &[Page],
        vocabularies: &std::collections::BTreeMap<String, Vec<String>>,
    ) -> Vec<Taxonomy> {
        let key = taxonomy_inputs(pages);
        let same = std::mem::replace(&mut self.taxonomy_key, key) == key;
        match self.taxonomies.take() {
            Some(t) if same => t,
            _ => taxonomy::group(pages, vocabularies),
        }
    }

    /// Records that `patch` put the pages of the files `changed` into the
    /// site in place, having parsed `parsed` files: their entries now
    /// describe the files as they are, with the pages lent out.
    pub(super) fn patched(&mut self, changed: &[&Entry], parsed: usize) {
        for entry in changed {
            if let Some(parsed) = self.pages.get_mut(&entry.path) {
                *parsed = Parsed {
                    len: entry.len,
                    modified: entry.modified,
                    page: None,
                    made: true,
                    diags: Vec::new(),
                };
            }
        }
        self.parsed = parsed;
    }
}

/// A hash of what `taxonomy::group` reads of `pages`. The fast hash is a
/// chain of bijections: a change to one word of the input (a date, a term
/// of the same length) cannot collide.
fn taxonomy_inputs(pages: &[Page]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::FastHasher::default();
    for p in pages {
        taxonomy_fields(p).hash(&mut h);
        0xffu8.hash(&mut h);
    }
    h.finish()
}

/// What `taxonomy::group` reads of one page.
pub(super) fn taxonomy_fields(p: &Page) -> (&str, Option<TaxonomyFields<'_>>) {
    let case = p.case.as_ref().map(|c| {
        let companies = c
            .companies
            .iter()
            .map(|co| (co.name.as_str(), co.slug.as_str(), &co.hq, co.response.as_str()))
            .collect();
        (c.date, &c.area, &c.issues, &c.regions, companies)
    });
    (&p.slug, case)
}

/// A case study's date, area, issues, regions and companies (name, slug,
/// headquarters, response), as `taxonomy_fields` borrows them.
pub(super) type TaxonomyFields<'a> = (
    content::Date,
    &'a String,
    &'a Vec<String>,
    &'a Vec<String>,
    Vec<(&'a str, &'a str, &'a Option<String>, &'a str)>,
);
