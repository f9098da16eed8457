//! What `serve` keeps between renders so that the next one renders only the
//! pages whose inputs changed. Every page made with a template gets a key, a
//! hash of everything it is made from: the site's global inputs
//! (`Site::inputs`, the navigation), the template and every template it
//! extends, includes or imports, and the page's own inputs (its source's
//! fingerprint, the fills of its holes, the list items it shows...). A page
//! whose key is the one it had is not rendered again: its previous bytes
//! still hold. The keys are computed in a pass of their own (`plan`), before
//! the render, which returns what the render may skip (`Skip`); after it,
//! `record` keeps what the render made for the next one. A plain `build`
//! keeps no memo and computes no key.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::context;
use super::jobs::{Job, front_stats, job_target, jobs};
use super::print::lists_cases;
use super::{Item, Languages, Order, OutputFile, Parts, SearchSkip, Skip, theme};
use crate::content::PageKind;
use crate::figures::Drawn;
use crate::hash::{self, FastMap, FastSet};
use crate::site::{Fill, Site};

/// The keys and parts of the last render.
#[derive(Debug, Default, Clone)]
pub struct Memo {
    /// The key each output path was made from (pages, and the search files).
    pub(super) keys: FastMap<String, u64>,
    /// Each case study's summary and list item, by output prefix and page key.
    pub(super) items: FastMap<String, FastMap<String, Held>>,
    /// Each page's section of the print edition, by output path.
    pub(super) sections: FastMap<String, String>,
    /// A hash of the paths of the pages of each language, by output prefix:
    /// when a page goes away, the search index cannot wait (it links to it).
    pub(super) page_sets: FastMap<String, u64>,
    /// Each chart's SVG and what it was drawn from, by output prefix and figure id.
    pub(super) svgs: FastMap<String, (u64, Arc<Drawn>)>,
    /// What every page of each language depended on (`global_key`), by
    /// output prefix: when it changes, the search page cannot wait either
    /// (it links the theme's files, whose names may have changed).
    pub(super) globals: FastMap<String, u64>,
    /// A hash of the set of every output path (`hash::of_set`), which had
    /// no clash.
    pub(super) paths: Option<u64>,
    /// Each language's parsed templates, by output prefix.
    pub(super) templates: FastMap<String, HeldTemplates>,
}

/// Parsed templates as the memo keeps them, with the key of what they
/// were made from (`templates_key`).
#[derive(Clone)]
pub(super) struct HeldTemplates {
    key: u64,
    templates: Arc<super::Templates>,
}

impl std::fmt::Debug for HeldTemplates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HeldTemplates({:x})", self.key)
    }
}

impl Memo {
    /// Adds the keys and parts of `other` (another language's).
    pub(super) fn absorb(&mut self, other: Memo) {
        merge(&mut self.keys, other.keys);
        merge(&mut self.items, other.items);
        merge(&mut self.sections, other.sections);
        merge(&mut self.svgs, other.svgs);
        merge(&mut self.page_sets, other.page_sets);
        merge(&mut self.globals, other.globals);
        merge(&mut self.templates, other.templates);
    }
}

/// Adds `from` to `into`; the first language's map is taken whole rather
/// than moved entry by entry (a large site's hold tens of thousands).
fn merge<K: Eq + std::hash::Hash, V>(into: &mut FastMap<K, V>, from: FastMap<K, V>) {
    if into.is_empty() {
        *into = from;
    } else {
        into.extend(from);
    }
}

/// A page's list item that still holds, if it does.
type KeptItem = Option<Arc<Item>>;

/// A page's list item as the memo keeps it.
#[derive(Debug, Clone)]
pub(super) struct Held {
    /// A hash of what it was made from.
    from: u64,
    /// A hash of what it shows.
    key: u64,
    item: Arc<Item>,
}

/// When the search index is made. It depends on every page, so any edit
/// changes it, and at 10,000 case studies it takes longer than the rest of
/// an edit's rebuild: `serve` serves the pages first and the index after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchPlan {
    /// With the pages.
    Now,
    /// Not now: the previous index files are kept, and keep their old
    /// keys, so that the next render with `Now` makes them (and, given the
    /// same site, keeps every other page).
    Defer,
}

/// A render that may keep what an earlier one made.
#[derive(Debug, Clone, Copy)]
pub struct Incremental<'a> {
    /// What the earlier render made.
    pub(crate) memo: &'a Memo,
    /// When to make the search index.
    pub search: SearchPlan,
}

/// What an incremental render made.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The files made by this render, sorted by path; a file the previous
    /// render made with the same bytes may be among them.
    pub files: Vec<OutputFile>,
    /// The paths of the files handed to a sink (`render_to`), sorted.
    pub streamed: Vec<String>,
    /// The paths of the previous render whose files still hold as they were.
    pub kept: Vec<String>,
    /// The paths of the pages rendered with a template, sorted.
    pub rendered: Vec<String>,
    /// The memo for the next render.
    pub(crate) memo: Memo,
    /// Was a changed search index left for later (`SearchPlan::Defer`)?
    pub(crate) search_deferred: bool,
}

/// The keys of one language's render, and what it may skip.
pub(super) struct Plan {
    /// What the render may leave out.
    pub(super) skip: Skip,
    /// The memo so far: every key; parts are added by `record`.
    memo: Memo,
    /// The key of the search files, when the render makes them.
    search_key: Option<u64>,
    /// Each figure's SVG key, by figure index.
    svg_keys: Vec<u64>,
    /// Each page's item keys (made from, shows), by page index.
    item_keys: Vec<(u64, u64)>,
    /// What the language's templates are made from.
    templates_key: u64,
}

/// Computes the key of every output of `site`'s language and compares it
/// with `inc.memo`: what still holds goes into the plan's `Skip`.
pub(super) fn plan(site: &Site, languages: &Languages, order: &Order, inc: Incremental) -> Plan {
    let prefix = site.lang.prefix.as_str();
    let old = inc.memo;
    let mut memo = Memo::default();
    let texts = theme::template_texts(site);
    let tkeys = template_keys(&texts);
    let tkey = |name: &str| tkeys.get(name).copied();
    let global = global_key(site);
    let templates_key = templates_key(site, global, &texts);
    let (search, search_key) = plan_search(site, global, tkey("search.html"), inc, &mut memo);
    let svg_keys: Vec<u64> = site
        .figures
        .iter()
        .map(|f| {
            hash::of((
                global,
                site.datasets[&f.dataset].fingerprint,
                f.number,
                &f.spec.id,
                &f.colours,
            ))
        })
        .collect();
    let svgs = site
        .figures
        .iter()
        .zip(&svg_keys)
        .map(|(f, k)| {
            let (old_key, svg) = old.svgs.get(&format!("{prefix}{}", f.spec.id))?;
            (old_key == k).then(|| svg.clone())
        })
        .collect();
    let (items, item_keys) = plan_items(site, global, tkey("partials/case-item.html"), old);
    let keys = Keys {
        site,
        languages,
        order,
        item_keys: item_keys.iter().map(|k| k.1).collect(),
        figure_keys: figure_keys(site, &svg_keys),
        taxonomy_views: site
            .taxonomies
            .iter()
            .map(|t| context::taxonomy_view(site, t, &site.words))
            .collect(),
    };
    let mut pages = FastMap::default();
    let mut own_keys = Vec::with_capacity(site.pages.len());
    // A large briefing's print edition lists its case studies (their list
    // items, in `listed` below) instead of holding their text: a case's own
    // key is no input of it then, and an edit of a case's text leaves it be.
    let cases_listed = lists_cases(order.cases_newest.len());
    // Every job's key, on every core (a large site has tens of thousands).
    let planned: Vec<(Job, String, String, u64, u64)> = jobs(site, search_key.is_some())
        .into_par_iter()
        .map(|job| {
            let (template, path) = job_target(site, job);
            let (own, key) = match job {
                Job::Search => (0, search_key.unwrap_or_default()),
                _ => {
                    let own = keys.job(job);
                    (own, hash::of((global, tkey(template), own)))
                }
            };
            let full = format!("{prefix}{path}");
            (job, path, full, own, key)
        })
        .collect();
    memo.keys.reserve(planned.len() + 8);
    pages.reserve(planned.len());
    for (job, path, full, own, key) in planned {
        if let Job::Page(i) = job
            && !(cases_listed && site.pages[i].kind == PageKind::Case)
        {
            own_keys.push(own);
        }
        if old.keys.get(&full) == Some(&key) {
            pages.insert(path, old.sections.get(&full).cloned());
        }
        memo.keys.insert(full, key);
    }
    // The print edition: its sections are made from the pages' own inputs
    // and its section template.
    let listed: Vec<u64> = order.cases_newest.iter().map(|&i| keys.item_keys[i]).collect();
    let contents: Vec<(&str, &str)> =
        site.pages.iter().map(|p| (p.title.as_str(), p.path.as_str())).collect();
    let unplaced: Vec<bool> = site.figures.iter().map(|f| f.placed_in.is_empty()).collect();
    let print_key = hash::of((
        (global, tkey("print.html"), tkey("partials/print-section.html")),
        own_keys,
        listed,
        &keys.figure_keys,
        contents,
        unplaced,
    ));
    let print_path = format!("{prefix}print/index.html");
    let print = old.keys.get(&print_path) == Some(&print_key);
    memo.keys.insert(print_path, print_key);
    let templates = old
        .templates
        .get(prefix)
        .filter(|held| held.key == templates_key)
        .map(|held| Arc::clone(&held.templates));
    let skip = Skip { keep: true, search, svgs, items, pages, print, templates };
    Plan { skip, memo, search_key, svg_keys, item_keys, templates_key }
}

/// What a language's parsed templates are made from: their names, texts
/// and files, and what their global context holds (`global`: the
/// configuration, the theme's words and hashed files, the chapters, the
/// languages).
fn templates_key(site: &Site, global: u64, texts: &BTreeMap<String, String>) -> u64 {
    let files: Vec<(&str, &str)> = site
        .theme_templates
        .iter()
        .chain(&site.templates)
        .map(|(name, s)| (name.as_str(), s.path.as_str()))
        .collect();
    hash::of((global, &site.config.site.theme, texts, files))
}

/// What every page depends on besides its own inputs and its template.
fn global_key(site: &Site) -> u64 {
    let chapters: Vec<(&str, &str)> = site
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Chapter)
        .map(|p| (p.title.as_str(), p.path.as_str()))
        .collect();
    let langs: Vec<(&str, &str)> =
        site.lang.all.iter().map(|l| (l.code.as_str(), l.name.as_str())).collect();
    hash::of((site.inputs, chapters, langs))
}

/// Whether the search index is made now or kept (`SearchPlan`), and the
/// key of its files when it is made.
fn plan_search(
    site: &Site,
    global: u64,
    template: Option<u64>,
    inc: Incremental,
    memo: &mut Memo,
) -> (SearchSkip, Option<u64>) {
    let prefix = site.lang.prefix.as_str();
    let old = inc.memo;
    let pages: Vec<(u64, bool, &str)> =
        site.pages.iter().map(|p| (p.fingerprint, p.fallback, p.path.as_str())).collect();
    let datasets: Vec<u64> = site.datasets.values().map(|d| d.fingerprint).collect();
    let key = hash::of((global, template, pages, datasets));
    let holds = old.keys.get(&format!("{prefix}search/index.html")) == Some(&key);
    let page_set = hash::of(site.pages.iter().map(|p| p.path.as_str()).collect::<Vec<_>>());
    memo.page_sets.insert(prefix.to_string(), page_set);
    let same_pages = old.page_sets.get(prefix) == Some(&page_set);
    memo.globals.insert(prefix.to_string(), global);
    let same_global = old.globals.get(prefix) == Some(&global);
    let make = match inc.search {
        SearchPlan::Now => !holds,
        SearchPlan::Defer => !holds && (!same_pages || !same_global),
    };
    if make {
        return (SearchSkip::Make, Some(key));
    }
    // Keep the previous index files (stale when deferred: their old keys
    // make the next `Now` render make them).
    let folder = format!("{prefix}search/");
    let mut kept = Vec::new();
    for (path, key) in old.keys.iter().filter(|(p, _)| p.starts_with(&folder)) {
        kept.push(path[prefix.len()..].to_string());
        memo.keys.insert(path.clone(), *key);
    }
    let deferred = inc.search == SearchPlan::Defer && !holds;
    (SearchSkip::Keep { paths: kept, deferred }, None)
}

/// Each page's list item that still holds, and each page's item keys:
/// what it is made from and, made again where it does not hold, what it shows.
fn plan_items(
    site: &Site,
    global: u64,
    template: Option<u64>,
    old: &Memo,
) -> (Vec<KeptItem>, Vec<(u64, u64)>) {
    let base = hash::of((global, template));
    let old_items = old.items.get(&site.lang.prefix);
    site.pages
        .par_iter()
        .map(|p| {
            let from = hash::of((base, p.fingerprint, p.fallback));
            match old_items.and_then(|items| items.get(&p.key)).filter(|h| h.from == from) {
                Some(held) => (Some(Arc::clone(&held.item)), (from, held.key)),
                None => {
                    let summary = context::case_summary(site, p, &site.words);
                    (None, (from, hash::of((base, &summary))))
                }
            }
        })
        .unzip()
}

/// Keeps what the render made for the next render: SVGs, list items,
/// print sections and the keys of the search files made.
pub(super) fn record(plan: Plan, site: &Site, parts: Parts, search_files: &[String]) -> Memo {
    let prefix = site.lang.prefix.as_str();
    let mut memo = plan.memo;
    if let Some(k) = plan.search_key {
        for path in search_files {
            memo.keys.insert(format!("{prefix}{path}"), k);
        }
    }
    for ((f, svg), key) in site.figures.iter().zip(parts.svgs).zip(plan.svg_keys) {
        memo.svgs.insert(format!("{prefix}{}", f.spec.id), (key, svg));
    }
    let items = site
        .pages
        .iter()
        .zip(parts.items)
        .zip(plan.item_keys)
        .map(|((p, item), (from, key))| (p.key.clone(), Held { from, key, item }))
        .collect();
    memo.items.insert(prefix.to_string(), items);
    let held = HeldTemplates { key: plan.templates_key, templates: parts.templates };
    memo.templates.insert(prefix.to_string(), held);
    for (path, section) in parts.sections {
        memo.sections.insert(format!("{prefix}{path}"), section);
    }
    memo
}

/// Whether the sitemap of the pages at `page_paths` (prefix, key, folder;
/// in any order) holds; its key goes into `memo`.
pub(super) fn sitemap_holds(
    inc: Incremental,
    page_paths: &[(String, Option<String>, String)],
    memo: &mut Memo,
) -> bool {
    let key = hash::of_set(page_paths);
    memo.keys.insert("sitemap.xml".to_string(), key);
    inc.memo.keys.get("sitemap.xml") == Some(&key)
}

/// What the keys of page jobs are made from.
struct Keys<'a> {
    site: &'a Site,
    languages: &'a Languages,
    order: &'a Order,
    /// What each page's list item shows, by page index.
    item_keys: Vec<u64>,
    /// What each figure's blocks and pages are made from, by figure index.
    figure_keys: Vec<u64>,
    taxonomy_views: Vec<context::TaxonomyView>,
}

/// What a figure's blocks and pages are made from: its chart (`svg_keys`),
/// its dataset and where it is placed and referred to.
fn figure_keys(site: &Site, svg_keys: &[u64]) -> Vec<u64> {
    let pages = |at: &[usize]| -> Vec<(&str, &str)> {
        at.iter().map(|&i| (site.pages[i].title.as_str(), site.pages[i].path.as_str())).collect()
    };
    site.figures
        .iter()
        .zip(svg_keys)
        .map(|(f, svg)| {
            hash::of((
                svg,
                f.number,
                &f.spec.id,
                site.datasets.get(&f.dataset).map(|d| d.fingerprint),
                pages(&f.placed_in),
                pages(&f.referenced_in),
            ))
        })
        .collect()
}

impl Keys<'_> {
    /// What a job's page is made from besides the site's global inputs and
    /// its template: the items it lists, the page it shows.
    fn job(&self, job: Job) -> u64 {
        let site = self.site;
        let items =
            |cases: &[usize]| -> Vec<u64> { cases.iter().map(|&i| self.item_keys[i]).collect() };
        match job {
            Job::Page(i) => self.page(i),
            Job::Cases => hash::of((items(&self.order.cases_newest), &self.taxonomy_views)),
            Job::Taxonomy(t) => {
                let records: Vec<_> = site.taxonomies[t].terms.iter().map(|k| &k.record).collect();
                hash::of((&self.taxonomy_views[t], records))
            }
            Job::Term(t, k) => {
                let view = &self.taxonomy_views[t];
                let term = &site.taxonomies[t].terms[k];
                hash::of((
                    view.name,
                    &view.title,
                    &view.singular,
                    &view.url,
                    &view.terms[k],
                    &term.record,
                    items(&term.cases),
                ))
            }
            Job::Figures => hash::of(&self.figure_keys),
            Job::Figure(i) | Job::Embed(i) => hash::of(self.figure_keys[i]),
            Job::NotFound | Job::Search => 0,
        }
    }

    /// `job` for page `i` of content/.
    fn page(&self, i: usize) -> u64 {
        let site = self.site;
        let order = self.order;
        let p = &site.pages[i];
        let fills: Vec<(u8, &str, u64)> = site.fills[i]
            .iter()
            .map(|f| match f {
                Fill::Href(u) => (0, u.as_str(), 0),
                Fill::Text(t) => (1, t.as_str(), 0),
                Fill::Figure(f) => (2, "", self.figure_keys[*f]),
                Fill::FigRef(f) => (3, "", self.figure_keys[*f]),
            })
            .collect();
        let neighbours: Vec<(&str, &str)> = if p.kind == PageKind::Chapter {
            let at = order.chapters.iter().position(|&x| x == i);
            [at.and_then(|a| a.checked_sub(1)), at.map(|a| a + 1)]
                .into_iter()
                .flatten()
                .filter_map(|a| order.chapters.get(a))
                .map(|&j| (site.pages[j].title.as_str(), site.pages[j].path.as_str()))
                .collect()
        } else {
            Vec::new()
        };
        let alternates = self.languages.alternates(&site.lang.code, Some(&p.key), &p.path);
        let alternates: Vec<&str> = alternates.iter().map(|a| a.url.as_str()).collect();
        let front = (p.kind == PageKind::Front).then(|| {
            let latest = &order.cases_newest[..order.cases_newest.len().min(6)];
            let latest: Vec<u64> = latest.iter().map(|&i| self.item_keys[i]).collect();
            (front_stats(site, order.cases_newest.len()), &site.highlights, latest)
        });
        let listed = p.kind == PageKind::Case && lists_cases(order.cases_newest.len());
        hash::of((
            p.fingerprint,
            p.fallback,
            self.item_keys[i],
            fills,
            neighbours,
            alternates,
            front,
            listed,
        ))
    }
}

/// Each template's key: its text and the keys of the templates it extends,
/// includes or imports.
pub(super) fn template_keys(texts: &BTreeMap<String, String>) -> FastMap<String, u64> {
    fn key(
        name: &str,
        texts: &BTreeMap<String, String>,
        done: &mut FastMap<String, u64>,
        visiting: &mut FastSet<String>,
    ) -> u64 {
        if let Some(k) = done.get(name) {
            return *k;
        }
        let Some(text) = texts.get(name) else { return crate::hash::of(("missing", name)) };
        if !visiting.insert(name.to_string()) {
            return crate::hash::of(text);
        }
        let mut refs = references(text);
        refs.sort();
        refs.dedup();
        let parts: Vec<u64> = refs.iter().map(|r| key(r, texts, done, visiting)).collect();
        visiting.remove(name);
        let k = crate::hash::of((text, parts));
        done.insert(name.to_string(), k);
        k
    }
    let mut done = FastMap::default();
    for name in texts.keys() {
        key(name, texts, &mut done, &mut FastSet::default());
    }
    done
}

/// The template names a template's `{% extends %}`, `{% include %}` and
/// `{% import %}` tags name.
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let tag_start = start + 2;
        let Some(len) = rest[tag_start..].find("%}") else { break };
        let tag = rest[tag_start..tag_start + len].trim_start_matches('-').trim_start();
        if ["extends", "include", "import"].iter().any(|w| tag.starts_with(w)) {
            let mut quoted = tag;
            while let Some(q) = quoted.find(['"', '\'']) {
                let mark = &quoted[q..=q];
                let Some(end) = quoted[q + 1..].find(mark) else { break };
                out.push(quoted[q + 1..q + 1 + end].to_string());
                quoted = &quoted[q + 1 + end + 1..];
            }
        }
        rest = &rest[tag_start + len + 2..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_key_follows_what_it_extends_and_includes() {
        let mut texts = BTreeMap::new();
        texts.insert("base.html".to_string(), "<html>{% block x %}{% endblock %}".to_string());
        texts.insert(
            "case.html".to_string(),
            "{% extends \"base.html\" %}{%- include 'partials/a.html' -%}".to_string(),
        );
        texts.insert("partials/a.html".to_string(), "a".to_string());
        texts.insert("other.html".to_string(), "{% import \"macros.html\" as m %}".to_string());
        let before = template_keys(&texts);
        texts.insert("partials/a.html".to_string(), "b".to_string());
        let after = template_keys(&texts);
        assert_ne!(before["case.html"], after["case.html"]);
        assert_ne!(before["partials/a.html"], after["partials/a.html"]);
        assert_eq!(before["base.html"], after["base.html"]);
        assert_eq!(before["other.html"], after["other.html"]);
        assert_eq!(references("{% import \"macros.html\" as m %}"), vec!["macros.html"]);
    }

    #[test]
    fn templates_that_include_each_other_still_get_keys() {
        let mut texts = BTreeMap::new();
        texts.insert("a.html".to_string(), "{% include \"b.html\" %}".to_string());
        texts.insert("b.html".to_string(), "{% include \"a.html\" %}".to_string());
        let keys = template_keys(&texts);
        assert_eq!(keys.len(), 2);
    }
}
