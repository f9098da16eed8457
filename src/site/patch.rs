//! `serve`'s shortcut after an edit: the pages of the saved files put into
//! the last site in place, when nothing that other pages were resolved from
//! changed; otherwise the site is loaded again.

use std::path::Path;

use crate::content::{self, Page};
use crate::inventory::Entry;

use super::Site;
use super::cache::{Cache, taxonomy_fields};
use super::disk::read_text;
use super::parse::reading_order;

/// Puts the pages of the files `changed` (as `inv` saw them) into `site`
/// in place, when that is all the edit changed: each file is a page or a
/// translation of one, parses without a diagnostic, and keeps everything
/// that other pages, lists and figures were resolved from (its address and
/// place in the reading order, its taxonomy terms and companies, its
/// headings' ids, its links and shortcodes). An edited page is put into
/// every language's site: as the untranslated copy it shows there, or as
/// the original its translation inherits from. Then the site is what a full
/// `load_with` would make. Returns `false`, having changed nothing, when a
/// full load is needed.
pub fn patch(site: &mut Site, root: &Path, changed: &[&Entry], cache: &mut Cache) -> bool {
    // (the language's site: `None` for the default, then the index of the
    // translation; the page's index there; the new page)
    let mut new: Vec<(Option<usize>, usize, Page)> = Vec::new();
    let mut parsed = 0;
    // Pages first: their translations are made again from them.
    let mut others = Vec::new();
    let mut pages = Vec::new();
    for entry in changed {
        match site.pages.iter().position(|p| p.source == entry.path) {
            Some(i) => pages.push((entry, i)),
            None => others.push(entry),
        }
    }
    for (entry, i) in pages {
        let Ok(text) = read_text(root, &entry.path) else { return false };
        parsed += 1;
        let (Some(page), diags) = content::parse(&site.pages[i].key, &text, &site.config) else {
            return false;
        };
        if !diags.is_empty() || !keeps(&site.pages[i], &page) {
            return false;
        }
        for (t, tr) in site.translations.iter().enumerate() {
            let Some(j) = tr.pages.iter().position(|p| p.key == page.key) else { return false };
            let old = &tr.pages[j];
            let shown = if old.fallback {
                Page { fallback: true, ..page.clone() }
            } else {
                let Ok(text) = read_text(root, &old.source) else { return false };
                parsed += 1;
                match content::parse_translation(&old.source, &text, &page, &tr.config) {
                    (Some(p), d) if d.is_empty() => p,
                    _ => return false,
                }
            };
            if !keeps(old, &shown) {
                return false;
            }
            new.push((Some(t), j, shown));
        }
        new.push((None, i, page));
    }
    for entry in others {
        let found = site.translations.iter().enumerate().find_map(|(t, tr)| {
            tr.pages.iter().position(|p| !p.fallback && p.source == entry.path).map(|j| (t, j))
        });
        let Some((t, j)) = found else { return false };
        if new.iter().any(|(at, k, _)| *at == Some(t) && *k == j) {
            continue; // made again from its edited original
        }
        let tr = &site.translations[t];
        let old = &tr.pages[j];
        let Some(original) = site.pages.iter().find(|p| p.key == old.key) else { return false };
        let Ok(text) = read_text(root, &entry.path) else { return false };
        parsed += 1;
        let page = match content::parse_translation(&entry.path, &text, original, &tr.config) {
            (Some(p), d) if d.is_empty() => p,
            _ => return false,
        };
        if !keeps(old, &page) {
            return false;
        }
        new.push((Some(t), j, page));
    }
    cache.patched(changed, parsed);
    for (at, i, page) in new {
        match at {
            None => site.pages[i] = page,
            Some(t) => site.translations[t].pages[i] = page,
        }
    }
    true
}

/// Does `new` keep everything of `old` that the rest of the site was
/// resolved from (so that it may replace it in place)?
fn keeps(old: &Page, new: &Page) -> bool {
    let ids = |p: &Page| p.body.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    let needs = |p: &Page| p.body.holes.iter().map(|h| h.need.clone()).collect::<Vec<_>>();
    new.is_draft == old.is_draft
        && new.fallback == old.fallback
        && (new.kind, &new.key, &new.path) == (old.kind, &old.key, &old.path)
        && reading_order(new) == reading_order(old)
        && taxonomy_fields(new) == taxonomy_fields(old)
        && ids(new) == ids(old)
        && needs(new) == needs(old)
        && new.highlights == old.highlights
}
