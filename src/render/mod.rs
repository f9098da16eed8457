//! Rendering: `Site` -> every output file, in memory. Page bodies get their
//! holes filled, then each output page is one job rendered in parallel with
//! Tera; data exports, feeds and static files join them. Pure: nothing here
//! reads or writes the disk.

pub mod context;
pub mod feeds;
pub mod memo;
pub mod theme;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::hash::{self, FastMap, FastSet};
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::content::markdown::{SECTION_LINK_HOLE, fill_holes};
use crate::content::{self, PageKind};
use crate::data::export;
use crate::diag::{Diagnostic, Diagnostics};
use crate::figures::{self, Figure};
use crate::html::escape_html;
use crate::i18n::Words;
use crate::progress::Progress;
use crate::search;
use crate::site::{Fill, Site};
use context::{Alternate, CompanyCase, Image, Link, PageView, SourceView, TocEntry};
pub use memo::{Incremental, Memo, Rendered, SearchPlan};

/// A file of the output, with its path relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path with `/` separators (`cases/x/index.html`).
    pub path: String,
    /// The bytes to write.
    pub bytes: Vec<u8>,
}

/// Where a build's files go as they are rendered (`render_to`), so that
/// none is held longer than it takes to hand it over.
pub trait Sink: Sync {
    /// Takes a file of the output (its path relative to the output folder).
    fn put(&self, file: &OutputFile);
}

/// One page to render with a template.
#[derive(Debug, Clone, Copy)]
enum Job {
    Page(usize),
    Cases,
    Taxonomy(usize),
    Term(usize, usize),
    Figures,
    Figure(usize),
    NotFound,
    /// The search page; its job's HTML is the A to Z list.
    Search,
}

/// What every job may need, built once.
struct Shared<'a> {
    site: &'a Site,
    /// Where each page is in every language, for switchers and alternates.
    languages: &'a Languages,
    teras: Vec<Tera>,
    origins: theme::Origins,
    texts: BTreeMap<String, String>,
    words: Words,
    numbers: crate::data::Numbers,
    /// Each case study's summary and item in lists
    /// (`partials/case-item.html`), by page index.
    items: Vec<Arc<memo::Item>>,
    /// Case study page indices, newest first.
    cases_newest: Vec<usize>,
    /// Chapter page indices in reading order.
    chapters: Vec<usize>,
    /// Each figure's SVG, by figure index.
    svgs: Vec<String>,
    /// Each taxonomy with its terms, by taxonomy index.
    taxonomy_views: Vec<context::TaxonomyView>,
}

/// Every language of the site with the output folder of each page, by page key.
pub(crate) struct Languages {
    /// (language, its prefix, its name, page key -> page path), the default first.
    all: Vec<(String, String, String, FastMap<String, String>)>,
    base_path: String,
    base_url: String,
}

impl Languages {
    fn of(site: &Site) -> Self {
        // Only alternates read the paths, and a site in one language has none.
        let one = site.translations.is_empty();
        let paths = |s: &Site| -> FastMap<String, String> {
            if one {
                return FastMap::default();
            }
            s.pages.iter().map(|p| (p.key.clone(), p.path.clone())).collect()
        };
        let mut all = Vec::new();
        for (info, s) in site.lang.all.iter().zip(std::iter::once(site).chain(&site.translations)) {
            all.push((info.code.clone(), info.prefix.clone(), info.name.clone(), paths(s)));
        }
        Languages {
            all,
            base_path: site.config.site.base_path.clone(),
            base_url: site.config.site.base_url.clone(),
        }
    }

    /// The same page in every language: `key` for a page of content/, else
    /// the output folder `path`, which lists and figures share across languages.
    fn alternates(&self, current: &str, key: Option<&str>, path: &str) -> Vec<Alternate> {
        if self.all.len() < 2 {
            return Vec::new();
        }
        self.all
            .iter()
            .map(|(code, prefix, name, pages)| {
                let path = key.and_then(|k| pages.get(k)).map_or(path, String::as_str);
                Alternate {
                    lang: code.clone(),
                    name: name.clone(),
                    url: format!("{}{prefix}{path}", self.base_path),
                    permalink: format!("{}{prefix}{path}", self.base_url),
                    current: code == current,
                }
            })
            .collect()
    }
}

/// Files of an earlier build that may be reused when they were made from the
/// same input (figure previews, whose PNGs record what they were drawn from),
/// by output path.
#[derive(Debug, Default)]
pub struct Previous {
    /// The files' bytes, by output path.
    pub files: FastMap<String, Vec<u8>>,
}

impl Previous {
    /// The output paths `render` may reuse for `site`: each figure's preview
    /// in each language.
    pub fn wanted(site: &Site) -> Vec<String> {
        std::iter::once(site)
            .chain(&site.translations)
            .flat_map(|s| {
                s.figures.iter().map(|f| format!("{}figures/{}.png", s.lang.prefix, f.spec.id))
            })
            .collect()
    }
}

/// Renders every output file of `site` in every language, sorted by path:
/// the default language at the top, each other under `<lang>/`, files that
/// do not depend on the language (styles, static files) once.
///
/// # Errors
/// Template errors (syntax, unknown variables), with template positions.
pub fn render(site: &mut Site, previous: &Previous) -> Result<Vec<OutputFile>, Diagnostics> {
    render_with_progress(site, previous, &Progress::hidden())
}

/// `render`, ticking `progress` once per page.
///
/// # Errors
/// As `render`.
pub fn render_with_progress(
    site: &mut Site,
    previous: &Previous,
    progress: &Progress,
) -> Result<Vec<OutputFile>, Diagnostics> {
    render_all(site, previous, progress, None, None).map(|r| r.files)
}

/// `render`, handing each file to `sink` as soon as it is made instead of
/// keeping it; the result lists their paths (`Rendered::streamed`), sorted.
///
/// # Errors
/// As `render`. Files made before an error may have gone to `sink`.
pub fn render_to(
    site: &mut Site,
    previous: &Previous,
    progress: &Progress,
    sink: &dyn Sink,
) -> Result<Rendered, Diagnostics> {
    render_all(site, previous, progress, None, Some(sink))
}

/// `render`, keeping what `inc.memo` says still holds: only the pages whose
/// inputs changed are rendered again. The site keeps its pages' search
/// terms, so that a render that makes a deferred search index may follow.
///
/// # Errors
/// As `render`.
pub fn render_incremental(
    site: &mut Site,
    previous: &Previous,
    inc: Incremental,
) -> Result<Rendered, Diagnostics> {
    render_all(site, previous, &Progress::hidden(), Some(inc), None)
}

fn render_all(
    site: &mut Site,
    previous: &Previous,
    progress: &Progress,
    inc: Option<Incremental>,
    sink: Option<&dyn Sink>,
) -> Result<Rendered, Diagnostics> {
    let languages = Languages::of(site);
    let mut diags = Diagnostics::new();
    let mut all = Rendered::default();
    let mut page_paths: Vec<(String, Option<String>, String)> = Vec::new();
    let mut translations = std::mem::take(&mut site.translations);
    for s in std::iter::once(&mut *site).chain(translations.iter_mut()) {
        let keys: FastMap<String, String> =
            s.pages.iter().map(|p| (p.path.clone(), p.key.clone())).collect();
        match render_language(s, &languages, previous, progress, inc, sink) {
            Ok(mut out) => {
                let prefix = s.lang.prefix.clone();
                for path in out.files.iter().map(|f| &f.path).chain(&out.kept).chain(&out.streamed)
                {
                    if path.ends_with("index.html") {
                        let folder = path.trim_end_matches("index.html").to_string();
                        page_paths.push((prefix.clone(), keys.get(&folder).cloned(), folder));
                    }
                }
                for path in out.files.iter_mut().map(|f| &mut f.path).chain(&mut out.kept) {
                    path.insert_str(0, &prefix);
                }
                all.files.append(&mut out.files);
                all.kept.append(&mut out.kept);
                all.rendered.extend(out.rendered.into_iter().map(|p| format!("{prefix}{p}")));
                all.streamed.extend(out.streamed.into_iter().map(|p| format!("{prefix}{p}")));
                if all.memo.keys.is_empty() {
                    all.memo = out.memo;
                } else {
                    all.memo.keys.extend(out.memo.keys);
                    all.memo.items.extend(out.memo.items);
                    all.memo.sections.extend(out.memo.sections);
                    all.memo.svgs.extend(out.memo.svgs);
                    all.memo.page_sets.extend(out.memo.page_sets);
                }
                all.search_deferred |= out.search_deferred;
            }
            Err(d) => diags.extend(d),
        }
    }
    site.translations = translations;
    if diags.has_errors() {
        return Err(diags);
    }
    let site: &Site = site;
    // The sitemap changes only with the set of pages.
    // (In any order: pages rendered come before pages kept.)
    let sitemap_key =
        inc.map(|_| page_paths.par_iter().map(hash::of).reduce(|| 0, u64::wrapping_add));
    if let Some(k) = sitemap_key {
        all.memo.keys.insert("sitemap.xml".to_string(), k);
    }
    let sitemap_holds =
        inc.zip(sitemap_key).is_some_and(|(i, k)| i.memo.keys.get("sitemap.xml") == Some(&k));
    let sitemap = if sitemap_holds { None } else { Some(feeds::sitemap(&languages, &page_paths)) };
    let mut files = all.files;
    match sitemap {
        Some(sitemap) => {
            files.push(OutputFile { path: "sitemap.xml".into(), bytes: sitemap.into_bytes() });
        }
        None => all.kept.push("sitemap.xml".to_string()),
    }
    let mut statics: BTreeMap<String, Vec<u8>> =
        theme::BUILTIN_STATIC.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
    statics.extend(site.static_files.iter().map(|(p, b)| (p.clone(), b.clone())));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    all.kept.sort();
    all.streamed.sort_unstable();
    for (path, bytes) in statics {
        if files.binary_search_by(|f| f.path.as_str().cmp(&path)).is_err()
            && all.kept.binary_search(&path).is_err()
            && all.streamed.binary_search(&path).is_err()
        {
            files.push(OutputFile { path, bytes });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let clashing = clashes(
        files
            .iter()
            .map(|f| f.path.as_str())
            .chain(all.kept.iter().chain(&all.streamed).map(String::as_str)),
    );
    if clashing.has_errors() {
        return Err(clashing);
    }
    if let Some(sink) = sink {
        files.par_iter().for_each(|f| sink.put(f));
        all.streamed.extend(files.drain(..).map(|f| f.path));
        all.streamed.sort_unstable();
    }
    all.files = files;
    all.rendered.sort();
    Ok(all)
}

/// The output paths that cannot all be written: one path made twice, or a
/// file where another path needs a folder (a static file `notes` and a page
/// `notes/`).
fn clashes<'a>(paths: impl Iterator<Item = &'a str>) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut all: Vec<&str> = paths.collect();
    all.sort_unstable();
    for pair in all.windows(2).filter(|w| w[0] == w[1]) {
        let at = format!("{} (output)", pair[0]);
        let d = Diagnostic::file_error(&at, "two files of the site are written to this path");
        diags.push(d.with_help(
            "each page, list, figure and static file needs an address of its own; rename one of them",
        ));
    }
    all.dedup();
    let set: FastSet<&str> = all.iter().copied().collect();
    let mut reported: FastSet<&str> = FastSet::default();
    for path in &all {
        for (i, _) in path.match_indices('/') {
            let folder = &path[..i];
            if set.contains(folder) && reported.insert(folder) {
                diags.push(
                    Diagnostic::file_error(
                        &format!("{folder} (output)"),
                        format!("this file is where the folder of {path} must go"),
                    )
                    .with_help(
                        "a static file and a page (or a figure, or a list) have the same name; rename one of them",
                    ),
                );
            }
        }
    }
    diags
}

/// What one language's render made, with paths relative to its folder.
#[derive(Default)]
struct LangOut {
    search_deferred: bool,
    files: Vec<OutputFile>,
    /// The paths of the files handed to the sink.
    streamed: Vec<String>,
    kept: Vec<String>,
    rendered: Vec<String>,
    memo: Memo,
}

/// A page job's outcome, or the error that stopped it.
type JobDone = Result<Outcome, Box<Diagnostic>>;

/// What a page job came to.
enum Outcome {
    /// Rendered, with its section of the print edition for a page of content/.
    Rendered(OutputFile, Option<String>),
    /// Rendered and handed to the sink: its path and section.
    Streamed(String, Option<String>),
    /// Its previous file holds; its previous section too.
    Kept(String, Option<String>),
}

/// Renders the files of one language, with paths relative to its folder.
/// The pages' bodies are moved into their render jobs (and so out of
/// `site`): each is dropped as soon as its page is rendered, which keeps the
/// peak memory of a large site down while every rendered file is held until
/// the last one is done.
fn render_language(
    site: &mut Site,
    languages: &Languages,
    previous: &Previous,
    progress: &Progress,
    inc: Option<Incremental>,
    sink: Option<&dyn Sink>,
) -> Result<LangOut, Diagnostics> {
    let mut out = LangOut::default();
    let prefix = site.lang.prefix.clone();
    let plan = inc.map_or(SearchPlan::Now, |i| i.search);
    let old = inc.map(|i| i.memo);
    // A plain build moves the bodies out; an incremental one leaves the
    // site whole for the next.
    let taken: Option<Vec<String>> = inc
        .is_none()
        .then(|| site.pages.iter_mut().map(|p| std::mem::take(&mut p.body.html)).collect());
    let words = site.words.clone();
    let numbers = words.numbers();
    let texts = theme::template_texts(site);
    let template_keys = inc.map(|_| memo::template_keys(&texts));
    let tkey = |name: &str| template_keys.as_ref().and_then(|k| k.get(name).copied());
    // What every page depends on besides its own inputs and its template.
    let global = inc.map(|_| {
        let chapters: Vec<(&str, &str)> = site
            .pages
            .iter()
            .filter(|p| p.kind == PageKind::Chapter)
            .map(|p| (p.title.as_str(), p.path.as_str()))
            .collect();
        let langs: Vec<(&str, &str)> =
            site.lang.all.iter().map(|l| (l.code.as_str(), l.name.as_str())).collect();
        hash::of((site.inputs, chapters, langs))
    });
    // The search index: made now, or left as it was (`SearchPlan`).
    let search_key = global.map(|g| {
        let pages: Vec<(u64, bool, &str)> =
            site.pages.iter().map(|p| (p.fingerprint, p.fallback, p.path.as_str())).collect();
        let datasets: Vec<u64> = site.datasets.values().map(|d| d.fingerprint).collect();
        hash::of((g, tkey("search.html"), pages, datasets))
    });
    let search_holds = match (old, search_key) {
        (Some(m), Some(k)) => m.keys.get(&format!("{prefix}search/index.html")) == Some(&k),
        _ => false,
    };
    let page_set =
        inc.map(|_| hash::of(site.pages.iter().map(|p| p.path.as_str()).collect::<Vec<_>>()));
    if let Some(set) = page_set {
        out.memo.page_sets.insert(prefix.clone(), set);
    }
    let same_pages = old.and_then(|m| m.page_sets.get(&prefix)) == page_set.as_ref();
    let make_search = match plan {
        SearchPlan::Now => !search_holds,
        SearchPlan::Defer => !search_holds && !same_pages,
    };
    out.search_deferred = plan == SearchPlan::Defer && !search_holds && !make_search;
    if let Some(m) = old.filter(|_| !make_search) {
        // Keep the previous index files (stale when deferred: their old
        // keys make the next `Now` render make them).
        let folder = format!("{prefix}search/");
        for (path, key) in m.keys.iter().filter(|(p, _)| p.starts_with(&folder)) {
            out.kept.push(path[prefix.len()..].to_string());
            out.memo.keys.insert(path.clone(), *key);
        }
    }
    // Search first, so that what it builds on the way is freed before pages pile up.
    let (search_files, az_list) = if make_search {
        let docs = search::documents(site, &words);
        let az = search::az_list(&docs, &words, |path| site.config.url(path));
        (search::files(&docs, "", &words), Some(az))
    } else {
        (Vec::new(), None)
    };
    if let Some(k) = search_key.filter(|_| make_search) {
        for f in &search_files {
            out.memo.keys.insert(format!("{prefix}{}", f.path), k);
        }
    }
    if inc.is_none() {
        for p in &mut site.pages {
            p.body.terms = Vec::new();
        }
    }
    let site: &Site = site;
    // One Tera per thread: its values are reference-counted, and threads
    // sharing one instance spend their time fighting over the counts.
    let mut teras = Vec::new();
    let mut origins = theme::Origins::new();
    for _ in 0..rayon::current_num_threads().max(1) {
        let (mut tera, o) = theme::load(site)?;
        *tera.global_context() = global_context(site, &words);
        teras.push(tera);
        origins = o;
    }

    let palette: Vec<String> = site
        .config
        .palette
        .clone()
        .unwrap_or_else(|| figures::draw::PALETTE.iter().map(|c| c.to_string()).collect());
    // A chart is drawn from its dataset, its number and the site's inputs
    // (palette, words): kept from the memo when they are the same.
    let drawn: Vec<Result<String, String>> = site
        .figures
        .par_iter()
        .map(|f| {
            let d = &site.datasets[&f.dataset];
            let key = global.map(|g| hash::of((g, d.fingerprint, f.number, &f.spec.id)));
            let id = format!("{prefix}{}", f.spec.id);
            if let (Some(k), Some((old_key, svg))) = (key, old.and_then(|m| m.svgs.get(&id)))
                && *old_key == k
            {
                return Ok(svg.clone());
            }
            figures::draw(f, d, &palette, &words)
        })
        .collect();
    if let Some(g) = global {
        for (f, svg) in site.figures.iter().zip(&drawn) {
            if let Ok(svg) = svg {
                let d = &site.datasets[&f.dataset];
                let key = hash::of((g, d.fingerprint, f.number, &f.spec.id));
                out.memo.svgs.insert(format!("{prefix}{}", f.spec.id), (key, svg.clone()));
            }
        }
    }
    let mut svgs = Vec::with_capacity(drawn.len());
    let mut diags = Diagnostics::new();
    for (f, d) in site.figures.iter().zip(drawn) {
        match d {
            Ok(svg) => svgs.push(svg),
            Err(e) => {
                diags.push(
                    f.spec.at.error(format!("figure {:?} could not be drawn: {e}", f.spec.id)),
                );
                svgs.push(String::new());
            }
        }
    }
    // Newest first, then by slug (sorted on small keys: pages are large).
    let mut newest: Vec<(std::cmp::Reverse<Option<content::Date>>, &str, usize)> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == PageKind::Case)
        .map(|(i, p)| (std::cmp::Reverse(p.case.as_ref().map(|c| c.date)), p.slug.as_str(), i))
        .collect();
    newest.sort_unstable();
    let cases_newest: Vec<usize> = newest.into_iter().map(|(_, _, i)| i).collect();
    let chapters: Vec<usize> =
        (0..site.pages.len()).filter(|&i| site.pages[i].kind == PageKind::Chapter).collect();
    // Each case study's summary and its item in lists, kept from the memo
    // when they were made from the same page.
    let item_key = global.map(|g| hash::of((g, tkey("partials/case-item.html"))));
    let old_items = old.and_then(|m| m.items.get(&prefix));
    let made: Vec<Result<Arc<memo::Item>, tera::Error>> = site
        .pages
        .par_iter()
        .map(|p| {
            let from = item_key.map_or(0, |k| hash::of((k, p.fingerprint, p.fallback)));
            if let Some(item) =
                old_items.and_then(|items| items.get(&p.key)).filter(|it| it.from == from)
            {
                return Ok(Arc::clone(item));
            }
            let summary = context::case_summary(site, p, &words);
            let html = match &summary {
                Some(case) => {
                    let mut ctx = Context::new();
                    ctx.insert("case", case);
                    thread_tera(&teras).render("partials/case-item.html", &ctx)?
                }
                None => String::new(),
            };
            let key = item_key.map_or(0, |k| hash::of((k, &summary)));
            Ok(Arc::new(memo::Item { from, summary, html, key }))
        })
        .collect();
    let mut items = Vec::with_capacity(made.len());
    let mut item_keys = Vec::with_capacity(made.len());
    let mut memo_items = FastMap::default();
    for (p, r) in site.pages.iter().zip(made) {
        match r {
            Ok(item) => {
                if inc.is_some() {
                    memo_items.insert(p.key.clone(), Arc::clone(&item));
                }
                item_keys.push(item.key);
                items.push(item);
            }
            Err(e) => {
                diags.push(theme::tera_diagnostic(&e, &origins, &texts));
                break;
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    if inc.is_some() {
        out.memo.items.insert(prefix.clone(), memo_items);
    }
    let taxonomy_views =
        site.taxonomies.iter().map(|t| context::taxonomy_view(site, t, &words)).collect();
    let mut shared = Shared {
        site,
        languages,
        teras,
        origins,
        texts,
        words,
        numbers,
        items,
        cases_newest,
        chapters,
        svgs,
        taxonomy_views,
    };

    let htmls: Vec<Cow<str>> = match taken {
        Some(bodies) => bodies.into_iter().map(Cow::Owned).collect(),
        None => site.pages.iter().map(|p| Cow::Borrowed(p.body.html.as_str())).collect(),
    };
    let mut jobs: Vec<(Job, Cow<str>)> =
        htmls.into_iter().enumerate().map(|(i, html)| (Job::Page(i), html)).collect();
    jobs.push((Job::Cases, Cow::Borrowed("")));
    for (t, tax) in site.taxonomies.iter().enumerate() {
        jobs.push((Job::Taxonomy(t), Cow::Borrowed("")));
        jobs.extend((0..tax.terms.len()).map(|k| (Job::Term(t, k), Cow::Borrowed(""))));
    }
    jobs.push((Job::Figures, Cow::Borrowed("")));
    jobs.extend((0..site.figures.len()).map(|f| (Job::Figure(f), Cow::Borrowed(""))));
    jobs.push((Job::NotFound, Cow::Borrowed("")));
    if let Some(az) = az_list {
        jobs.push((Job::Search, Cow::Owned(az)));
    }
    // Each job's key, when there is a memo to compare it with; every
    // page's key goes into the next memo.
    let search_key = search_key.filter(|_| make_search);
    let figure_keys = global.map(|_| figure_keys(&shared));
    let keys: Vec<Option<(u64, String)>> = match (global, &figure_keys) {
        (Some(g), Some(figure_keys)) => jobs
            .par_iter()
            .map(|(job, _)| {
                let (template, path) = job_target(site, *job);
                let key = match job {
                    Job::Search => search_key?,
                    _ => {
                        let own = job_key(&shared, *job, &item_keys, figure_keys);
                        hash::of((g, tkey(template), own))
                    }
                };
                Some((key, format!("{prefix}{path}")))
            })
            .collect(),
        _ => vec![None; jobs.len()],
    };
    if global.is_some() {
        out.memo.keys.extend(keys.iter().flatten().map(|(k, full)| (full.clone(), *k)));
    }
    progress.stage("rendering pages", Some(jobs.len() as u64 + 1));
    let targets = PrintTargets::of(site);
    // Figure previews are rasterised beside the pages (they only share the
    // SVGs), so that neither waits for the other's slowest task.
    let draw_previews = || -> Vec<Result<Vec<u8>, String>> {
        site.figures
            .par_iter()
            .zip(&shared.svgs)
            .map(|(f, svg)| {
                let title = figures::title(f, &shared.words);
                let composed = figures::preview::compose(svg, &title, &site.config.book.title);
                let key = figures::preview::key(&composed);
                let path = format!("{}figures/{}.png", site.lang.prefix, f.spec.id);
                match previous.files.get(&path) {
                    Some(old) if figures::preview::stored_key(old).as_deref() == Some(&key) => {
                        Ok(old.clone())
                    }
                    _ => figures::preview::render(&composed, &key),
                }
            })
            .collect()
    };
    // The jobs are taken last first: the lists of a large site (all cases,
    // each term, the A to Z list) are the longest jobs and come last, and a
    // long job started at the end keeps one core busy while the other waits.
    let (previews, mut done): (Vec<Result<Vec<u8>, String>>, Vec<JobDone>) =
        rayon::join(draw_previews, || {
            jobs.into_par_iter()
                .zip(keys)
                .rev()
                .map(|((job, html), key)| {
                    if let (Some(m), Some((k, full))) = (old, key)
                        && m.keys.get(&full) == Some(&k)
                    {
                        let section = m.sections.get(&full).cloned();
                        return Ok(Outcome::Kept(full[prefix.len()..].to_string(), section));
                    }
                    let (mut file, section) = render_job(&shared, job, html, &targets)?;
                    Ok(match sink {
                        Some(sink) => {
                            let path = file.path.clone();
                            sink.put(&OutputFile {
                                path: format!("{prefix}{path}"),
                                bytes: file.bytes,
                            });
                            Outcome::Streamed(path, section)
                        }
                        None => {
                            // Every page is held until all are rendered: keep no slack.
                            file.bytes.shrink_to_fit();
                            Outcome::Rendered(file, section)
                        }
                    })
                })
                .inspect(|_| progress.tick())
                .collect()
        });
    done.reverse();
    let mut pngs = Vec::with_capacity(previews.len());
    for (f, p) in site.figures.iter().zip(previews) {
        match p {
            Ok(png) => pngs.push(png),
            Err(e) => {
                diags.push(f.spec.at.error(format!(
                    "the preview of figure {:?} could not be drawn: {e}",
                    f.spec.id
                )));
            }
        }
    }
    let mut files = Vec::with_capacity(done.len() + 64);
    let mut sections = Vec::with_capacity(site.pages.len());
    for r in done {
        let (path, section) = match r {
            Ok(Outcome::Rendered(f, section)) => {
                out.rendered.push(f.path.clone());
                let path = f.path.clone();
                files.push(f);
                (path, section)
            }
            Ok(Outcome::Streamed(path, section)) => {
                out.rendered.push(path.clone());
                out.streamed.push(path.clone());
                (path, section)
            }
            Ok(Outcome::Kept(path, section)) => {
                out.kept.push(path.clone());
                (path, section)
            }
            Err(d) => {
                diags.push(*d);
                continue;
            }
        };
        if let Some(section) = section.as_ref().filter(|_| inc.is_some()) {
            out.memo.sections.insert(format!("{prefix}{path}"), section.clone());
        }
        sections.extend(section);
    }
    if diags.has_errors() {
        return Err(diags);
    }
    // The print edition: its sections, the list of cases, the figures
    // placed nowhere and the contents.
    let print_key = global.zip(figure_keys.as_ref()).map(|(g, figure_keys)| {
        let contents: Vec<(&str, &str)> =
            site.pages.iter().map(|p| (p.title.as_str(), p.path.as_str())).collect();
        let listed: Vec<u64> = shared.cases_newest.iter().map(|&i| item_keys[i]).collect();
        hash::of((
            g,
            tkey("print.html"),
            &sections,
            listed,
            figure_keys,
            contents,
            site.figures.iter().map(|f| f.placed_in.is_empty()).collect::<Vec<_>>(),
        ))
    });
    if let Some(k) = print_key {
        out.memo.keys.insert(format!("{prefix}print/index.html"), k);
    }
    let print_holds = match (old, print_key) {
        (Some(m), Some(k)) => m.keys.get(&format!("{prefix}print/index.html")) == Some(&k),
        _ => false,
    };
    if print_holds {
        out.kept.push("print/index.html".to_string());
    } else {
        match render_print(&shared, &sections, &targets) {
            Ok(f) => {
                out.rendered.push(f.path.clone());
                files.push(f);
            }
            Err(d) => {
                diags.push(*d);
                return Err(diags);
            }
        }
    }
    drop(sections);
    // The list items of a large site are many: freed on every core.
    std::mem::take(&mut shared.items).into_par_iter().for_each(drop);

    let atom = feeds::atom(site, &shared.cases_newest);
    files.push(OutputFile { path: "atom.xml".into(), bytes: atom.into_bytes() });
    files.extend(search_files);
    for (f, svg) in site.figures.iter().zip(&shared.svgs) {
        files.push(OutputFile {
            path: format!("figures/{}.svg", f.spec.id),
            bytes: standalone_svg(svg).into_bytes(),
        });
    }
    for (f, png) in site.figures.iter().zip(pngs) {
        files.push(OutputFile { path: format!("figures/{}.png", f.spec.id), bytes: png });
    }
    for d in site.datasets.values() {
        files.push(OutputFile {
            path: format!("data/{}.csv", d.id),
            bytes: export::csv(d, &site.lang.code).into_bytes(),
        });
        files.push(OutputFile {
            path: format!("data/{}.json", d.id),
            bytes: export::json(d, &site.lang.code).into_bytes(),
        });
    }
    if let Some(sink) = sink {
        files.par_iter_mut().for_each(|f| {
            let full = format!("{prefix}{}", f.path);
            let path = std::mem::replace(&mut f.path, full);
            sink.put(f);
            f.path = path;
        });
        out.streamed.extend(files.into_iter().map(|f| f.path));
    } else {
        out.files = files;
    }
    Ok(out)
}

/// The template a job renders with and the path of its page.
fn job_target(site: &Site, job: Job) -> (&'static str, String) {
    match job {
        Job::Page(i) => {
            let p = &site.pages[i];
            let template = match p.kind {
                PageKind::Front => "index.html",
                PageKind::Chapter => "chapter.html",
                PageKind::Case => "case.html",
            };
            (template, format!("{}index.html", p.path))
        }
        Job::Cases => ("cases.html", "cases/index.html".into()),
        Job::Taxonomy(t) => match site.taxonomies[t].name {
            "companies" => ("companies.html", "companies/index.html".into()),
            name => ("taxonomy.html", format!("{name}/index.html")),
        },
        Job::Term(t, k) => {
            let tax = &site.taxonomies[t];
            let slug = &tax.terms[k].slug;
            match tax.name {
                "companies" => ("company.html", format!("companies/{slug}/index.html")),
                name => ("term.html", format!("{name}/{slug}/index.html")),
            }
        }
        Job::Figures => ("figures.html", "figures/index.html".into()),
        Job::Figure(i) => {
            ("figure.html", format!("figures/{}/index.html", site.figures[i].spec.id))
        }
        Job::NotFound => ("404.html", "404.html".into()),
        Job::Search => ("search.html", "search/index.html".into()),
    }
}

/// What a figure's blocks and pages are made from: its SVG, its dataset and
/// where it is placed and referred to.
fn figure_keys(s: &Shared) -> Vec<u64> {
    let site = s.site;
    let pages = |at: &[usize]| -> Vec<(&str, &str)> {
        at.iter().map(|&i| (site.pages[i].title.as_str(), site.pages[i].path.as_str())).collect()
    };
    site.figures
        .iter()
        .zip(&s.svgs)
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

/// What a job's page is made from besides the site's global inputs and its
/// template (see `memo`): the items it lists, the page it shows.
fn job_key(s: &Shared, job: Job, item_keys: &[u64], figure_keys: &[u64]) -> u64 {
    let site = s.site;
    let items = |cases: &[usize]| -> Vec<u64> { cases.iter().map(|&i| item_keys[i]).collect() };
    match job {
        Job::Page(i) => {
            let p = &site.pages[i];
            let fills: Vec<(u8, &str, u64)> = site.fills[i]
                .iter()
                .map(|f| match f {
                    Fill::Href(u) => (0, u.as_str(), 0),
                    Fill::Text(t) => (1, t.as_str(), 0),
                    Fill::Figure(f) => (2, "", figure_keys[*f]),
                    Fill::FigRef(f) => (3, "", figure_keys[*f]),
                })
                .collect();
            let neighbours: Vec<(&str, &str)> = if p.kind == PageKind::Chapter {
                let at = s.chapters.iter().position(|&x| x == i);
                [at.and_then(|a| a.checked_sub(1)), at.map(|a| a + 1)]
                    .into_iter()
                    .flatten()
                    .filter_map(|a| s.chapters.get(a))
                    .map(|&j| (site.pages[j].title.as_str(), site.pages[j].path.as_str()))
                    .collect()
            } else {
                Vec::new()
            };
            let alternates = s.languages.alternates(&site.lang.code, Some(&p.key), &p.path);
            let alternates: Vec<&str> = alternates.iter().map(|a| a.url.as_str()).collect();
            let front = (p.kind == PageKind::Front).then(|| {
                let stats = front_stats(s);
                let latest = items(&s.cases_newest[..s.cases_newest.len().min(6)]);
                (
                    stats.cases,
                    stats.companies,
                    stats.approaches,
                    stats.responded,
                    stats.settled,
                    latest,
                )
            });
            let listed = p.kind == PageKind::Case && s.cases_newest.len() > PRINT_FULL_CASES;
            hash::of((
                p.fingerprint,
                p.fallback,
                item_keys[i],
                fills,
                neighbours,
                alternates,
                front,
                listed,
            ))
        }
        Job::Cases => hash::of((items(&s.cases_newest), &s.taxonomy_views)),
        Job::Taxonomy(t) => {
            let records: Vec<_> = site.taxonomies[t].terms.iter().map(|k| &k.record).collect();
            hash::of((&s.taxonomy_views[t], records))
        }
        Job::Term(t, k) => {
            let view = &s.taxonomy_views[t];
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
        Job::Figures => hash::of(figure_keys),
        Job::Figure(i) => hash::of(figure_keys[i]),
        Job::NotFound | Job::Search => 0,
    }
}

fn global_context(site: &Site, words: &Words) -> Context {
    let c = &site.config;
    let mut ctx = Context::new();
    #[derive(Serialize)]
    struct ConfigView<'a> {
        title: &'a str,
        subtitle: &'a Option<String>,
        description: &'a Option<String>,
        authors: &'a [String],
        language: &'a str,
        dir: &'a str,
        default_language: &'a str,
        published: Option<String>,
        published_display: Option<String>,
        base_url: &'a str,
        base_path: &'a str,
        extra: &'a toml::Table,
    }
    ctx.insert(
        "config",
        &ConfigView {
            title: &c.book.title,
            subtitle: &c.book.subtitle,
            description: &c.book.description,
            authors: &c.book.authors,
            language: &c.book.language,
            published: c
                .book
                .published
                .and_then(|p| p.date)
                .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)),
            published_display: c.book.published.and_then(|p| p.date).map(|d| {
                words.date(crate::content::Date { year: d.year, month: d.month, day: d.day })
            }),
            base_url: &c.site.base_url,
            base_path: &c.site.base_path,
            dir: site.lang.dir,
            default_language: &site.lang.all[0].code,
            extra: &c.extra,
        },
    );
    let nav: Vec<Link> = site
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Chapter)
        .map(|p| Link { title: p.title.clone(), url: c.url(&p.path) })
        .collect();
    ctx.insert("nav", &nav);
    let mut urls = BTreeMap::new();
    for (k, path) in [
        ("home", ""),
        ("cases", "cases/"),
        ("figures", "figures/"),
        ("areas", "areas/"),
        ("issues", "issues/"),
        ("regions", "regions/"),
        ("companies", "companies/"),
        ("feed", "atom.xml"),
        ("print", "print/"),
        ("sitemap", "sitemap.xml"),
        ("search", "search/"),
    ] {
        urls.insert(k, c.url(path));
    }
    urls.insert("stylesheet", c.asset_url("style.css"));
    urls.insert("script", c.asset_url("briefing.js"));
    urls.insert("search_script", c.asset_url("search.js"));
    ctx.insert("urls", &urls);
    ctx.insert("t", words.table());
    ctx
}

/// Renders one page; `html` is the body (with holes) of a page job, empty for others.
/// A rendered page, with its section of the print edition for a page of content/.
type JobResult = Result<(OutputFile, Option<String>), Box<Diagnostic>>;

/// Renders one page, and for a page of content/ its section of the print
/// edition too.
fn render_job(s: &Shared, job: Job, html: Cow<str>, targets: &PrintTargets) -> JobResult {
    let site = s.site;
    let mut ctx = Context::new();
    // Lists of case studies and page bodies are spliced in after rendering,
    // so that neither is copied through Tera's values.
    let mut list: Option<&[usize]> = None;
    let (template, path) = job_target(site, job);
    let title = match job {
        Job::Page(i) => {
            let p = &site.pages[i];
            let view = page_view(s, i);
            ctx.insert("page", &view);
            if p.kind == PageKind::Front {
                ctx.insert("stats", &front_stats(s));
                ctx.insert("case_list", CASE_LIST);
                list = Some(&s.cases_newest[..s.cases_newest.len().min(6)]);
                ctx.insert(
                    "latest",
                    &s.cases_newest
                        .iter()
                        .take(6)
                        .filter_map(|&i| s.items[i].summary.clone())
                        .collect::<Vec<_>>(),
                );
            }
            p.title.clone()
        }
        Job::Cases => {
            ctx.insert("case_count", &s.cases_newest.len());
            ctx.insert("case_list", CASE_LIST);
            list = Some(&s.cases_newest);
            ctx.insert("taxonomies", &s.taxonomy_views);
            let mut years: Vec<u16> = s
                .cases_newest
                .iter()
                .filter_map(|&i| s.items[i].summary.as_ref().map(|c| c.year))
                .collect();
            years.dedup();
            ctx.insert("years", &years);
            s.words.get("case_studies")
        }
        Job::Taxonomy(t) => {
            let tax = &site.taxonomies[t];
            let view = &s.taxonomy_views[t];
            ctx.insert("taxonomy", view);
            if tax.name == "companies" {
                let companies: Vec<_> = tax
                    .terms
                    .iter()
                    .map(|term| context::company_view(site, term, &s.numbers))
                    .collect();
                ctx.insert("companies", &companies);
                view.title.clone()
            } else {
                view.title.clone()
            }
        }
        Job::Term(t, k) => {
            let tax = &site.taxonomies[t];
            let term = &tax.terms[k];
            // The taxonomy without its term list: a term page must not carry
            // every other term, or companies' pages grow quadratic.
            let view = &s.taxonomy_views[t];
            ctx.insert("taxonomy", &context::TaxonomyHead::of(view));
            ctx.insert("term", &view.terms[k]);
            let title = term.name.clone();
            if tax.name == "companies" {
                ctx.insert("company", &context::company_view(site, term, &s.numbers));
                let cases: Vec<CompanyCase> = term
                    .cases
                    .iter()
                    .filter_map(|&i| {
                        let (response, response_url) = context::response_in(site, i, &term.slug);
                        let case = s.items[i].summary.as_ref()?;
                        Some(CompanyCase {
                            title: &case.title,
                            url: &case.url,
                            date: &case.date,
                            date_display: &case.date_display,
                            response: response.as_str(),
                            response_url,
                        })
                    })
                    .collect();
                ctx.insert("cases", &cases);
                title
            } else {
                ctx.insert("case_count", &term.cases.len());
                ctx.insert("case_list", CASE_LIST);
                list = Some(&term.cases);
                title
            }
        }
        Job::Figures => {
            let figures: Vec<_> = site.figures.iter().map(|f| figure_view(s, f)).collect();
            ctx.insert("figures", &figures);
            s.words.get("figures")
        }
        Job::Figure(i) => {
            let f = &site.figures[i];
            let view = figure_view(s, f);
            let title = figures::title(f, &s.words);
            ctx.insert("figure", &view);
            title
        }
        Job::NotFound => s.words.get("not_found"),
        Job::Search => {
            ctx.insert("az_list", AZ_LIST);
            s.words.get("search")
        }
    };
    if !matches!(job, Job::Page(_)) {
        let image = match job {
            Job::Figure(f) => Some(preview_image(s, &site.figures[f])),
            _ => None,
        };
        ctx.insert(
            "page",
            &list_view(s, "list", title, path.trim_end_matches("index.html"), image),
        );
    }
    let mut out = Vec::with_capacity(16 * 1024);
    match thread_tera(&s.teras).render_to(template, &ctx, &mut out) {
        Ok(()) => {
            if let Some(cases) = list {
                out = splice(out, CASE_LIST, cases.iter().map(|&i| s.items[i].html.as_str()));
            }
            let mut section = None;
            if let Job::Search = job {
                out = splice(out, AZ_LIST, std::iter::once(&*html));
            }
            if let Job::Page(i) = job {
                let filled = body(s, i, &html);
                drop(html);
                let listed_only =
                    site.pages[i].kind == PageKind::Case && s.cases_newest.len() > PRINT_FULL_CASES;
                if !listed_only {
                    section = Some(print_section(s, i, &ctx, &filled, targets)?);
                }
                out = splice(out, CONTENT, std::iter::once(filled.as_str()));
            }
            Ok((OutputFile { path, bytes: out }, section))
        }
        Err(e) => {
            let mut d = theme::tera_diagnostic(&e, &s.origins, &s.texts);
            d.help = Some(format!("{} (while rendering {path})", d.help.unwrap_or_default()));
            Err(Box::new(d))
        }
    }
}

/// Up to this many case studies, the print edition holds each one in full;
/// a larger briefing (thousands of cases would make a book of tens of
/// thousands of pages) lists them instead, as the case list does, each with
/// its address, and each case's page holds its text.
pub const PRINT_FULL_CASES: usize = 500;

/// The view of a page the site makes itself (lists, figures, print) at the folder `path`.
fn list_view(
    s: &Shared,
    kind: &'static str,
    title: String,
    path: &str,
    image: Option<Image>,
) -> PageView {
    let site = s.site;
    let c = &site.config;
    PageView {
        kind,
        title,
        description: c.book.description.clone().unwrap_or_else(|| c.book.title.clone()),
        permalink: c.permalink(path),
        url: c.url(path),
        content: String::new(),
        toc: Vec::new(),
        prev: None,
        next: None,
        breadcrumbs: vec![Link { title: s.words.get("home"), url: c.url("") }],
        case: None,
        sources: Vec::new(),
        source_path: String::new(),
        fallback: false,
        content_lang: site.lang.code.clone(),
        content_dir: site.lang.dir,
        alternates: s.languages.alternates(&site.lang.code, None, path),
        image,
    }
}

/// Where the print edition puts the page at `path`: `p-front`, `p-cases-x`.
fn print_id(path: &str) -> String {
    if path.is_empty() {
        "p-front".to_string()
    } else {
        format!("p-{}", path.trim_end_matches('/').replace('/', "-"))
    }
}

/// The pages of the print edition, to turn links to them (`/base/cases/x/`)
/// into links to their sections.
struct PrintTargets<'a> {
    /// What every page's address starts with (`/base/fr/`).
    start: String,
    paths: FastSet<&'a str>,
}

impl<'a> PrintTargets<'a> {
    fn of(site: &'a Site) -> Self {
        PrintTargets {
            start: site.config.url(""),
            paths: site.pages.iter().map(|p| p.path.as_str()).collect(),
        }
    }

    /// The section of the page at the address `url`, if it is one.
    fn get(&self, url: &str) -> Option<String> {
        url.strip_prefix(self.start.as_str()).filter(|path| self.paths.contains(path)).map(print_id)
    }
}

/// Page `i`'s section of the print edition: `partials/print-section.html`
/// with the body, every id prefixed with the section's, and links to pages
/// of the edition turned into links inside it.
fn print_section(
    s: &Shared,
    i: usize,
    ctx: &Context,
    filled: &str,
    targets: &PrintTargets,
) -> Result<String, Box<Diagnostic>> {
    let p = &s.site.pages[i];
    let pid = print_id(&p.path);
    let html = thread_tera(&s.teras).render("partials/print-section.html", ctx).map_err(|e| {
        let mut d = theme::tera_diagnostic(&e, &s.origins, &s.texts);
        d.help = Some(format!("{} (while rendering print/index.html)", d.help.unwrap_or_default()));
        Box::new(d)
    })?;
    let html = html.replace(CONTENT, filled);
    let kind = match p.kind {
        PageKind::Front => "front",
        PageKind::Chapter => "chapter",
        PageKind::Case => "case",
    };
    Ok(format!(
        "<section class=\"print-section print-{kind}\" id=\"{pid}\">\n{}</section>\n",
        rewrite_for_print(&html, &pid, targets)
    ))
}

/// Prefixes every id of `html` (and every reference to one: `href="#..."`,
/// `aria-labelledby`, `aria-describedby`, `for`) with `pid--`, and turns
/// links to the pages in `targets` into links to their sections.
fn rewrite_for_print(html: &str, pid: &str, targets: &PrintTargets) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(at) = rest.find("=\"") {
        let name_start = rest[..at].rfind(|c: char| c.is_whitespace()).map_or(0, |i| i + 1);
        let name = &rest[name_start..at];
        let value_start = at + 2;
        let Some(len) = rest[value_start..].find('"') else { break };
        let value = &rest[value_start..value_start + len];
        out.push_str(&rest[..value_start]);
        match name {
            "id" => {
                let _ = write!(out, "{pid}--{value}");
            }
            "aria-labelledby" | "aria-describedby" | "for" => {
                let ids: Vec<String> =
                    value.split_whitespace().map(|v| format!("{pid}--{v}")).collect();
                out.push_str(&ids.join(" "));
            }
            "href" => {
                if let Some(frag) = value.strip_prefix('#') {
                    let _ = write!(out, "#{pid}--{frag}");
                } else {
                    let (page, frag) =
                        value.split_once('#').map_or((value, None), |(p, f)| (p, Some(f)));
                    match (targets.get(page), frag) {
                        (Some(target), Some(f)) => {
                            let _ = write!(out, "#{target}--{f}");
                        }
                        (Some(target), None) => {
                            let _ = write!(out, "#{target}");
                        }
                        (None, _) => out.push_str(value),
                    }
                }
            }
            _ => out.push_str(value),
        }
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out
}

/// The print edition: cover, contents, every page of content/ in reading
/// order, and the figures placed nowhere.
fn render_print(
    s: &Shared,
    sections: &[String],
    targets: &PrintTargets,
) -> Result<OutputFile, Box<Diagnostic>> {
    let site = s.site;
    let c = &site.config;
    let mut ctx = Context::new();
    let listed = s.cases_newest.len() > PRINT_FULL_CASES;
    let contents: Vec<Link> = site
        .pages
        .iter()
        .filter(|p| p.kind != PageKind::Front && !(listed && p.kind == PageKind::Case))
        .map(|p| Link { title: p.title.clone(), url: format!("#{}", print_id(&p.path)) })
        .collect();
    ctx.insert("contents", &contents);
    let unplaced: String = site
        .figures
        .iter()
        .zip(&s.svgs)
        .filter(|(f, _)| f.placed_in.is_empty())
        .map(|(f, svg)| figure_block(site, f, svg, &s.words))
        .collect();
    ctx.insert("figures", &!unplaced.is_empty());
    let listed_only = s.cases_newest.len() > PRINT_FULL_CASES;
    ctx.insert("cases_listed", &listed_only);
    ctx.insert("case_count", &s.cases_newest.len());
    ctx.insert("case_list", CASE_LIST);
    ctx.insert("print_body", PRINT_BODY);
    ctx.insert("unplaced_figures", UNPLACED);
    let path = "print/";
    ctx.insert("page", &list_view(s, "print", c.book.title.clone(), path, None));
    let mut out = Vec::with_capacity(sections.iter().map(String::len).sum::<usize>() + 32 * 1024);
    match thread_tera(&s.teras).render_to("print.html", &ctx, &mut out) {
        Ok(()) => {
            out = splice(out, PRINT_BODY, sections.iter().map(String::as_str));
            if listed_only {
                let items = s.cases_newest.iter().map(|&i| s.items[i].html.as_str());
                out = splice(out, CASE_LIST, items);
            }
            let figures = rewrite_for_print(&unplaced, "p-figures", targets);
            out = splice(out, UNPLACED, std::iter::once(figures.as_str()));
            Ok(OutputFile { path: "print/index.html".into(), bytes: out })
        }
        Err(e) => {
            let mut d = theme::tera_diagnostic(&e, &s.origins, &s.texts);
            d.help =
                Some(format!("{} (while rendering print/index.html)", d.help.unwrap_or_default()));
            Err(Box::new(d))
        }
    }
}

fn page_view(s: &Shared, i: usize) -> PageView {
    let site = s.site;
    let c = &site.config;
    let p = &site.pages[i];
    let (prev, next) = if p.kind == PageKind::Chapter {
        let at = s.chapters.iter().position(|&x| x == i);
        let link =
            |j: usize| Link { title: site.pages[j].title.clone(), url: c.url(&site.pages[j].path) };
        (
            at.and_then(|a| a.checked_sub(1)).map(|a| link(s.chapters[a])),
            at.and_then(|a| s.chapters.get(a + 1)).map(|&j| link(j)),
        )
    } else {
        (None, None)
    };
    let home = Link { title: s.words.get("home"), url: c.url("") };
    let breadcrumbs = match p.kind {
        PageKind::Front => Vec::new(),
        PageKind::Chapter => vec![home],
        PageKind::Case => {
            vec![home, Link { title: s.words.get("case_studies"), url: c.url("cases/") }]
        }
    };
    let description = p
        .description
        .clone()
        .or_else(|| p.case.as_ref().map(|c| c.summary.clone()))
        .or_else(|| (p.kind == PageKind::Front).then(|| c.book.description.clone()).flatten())
        .unwrap_or_else(|| truncate_words(&p.body.excerpt, 30));
    let description = if description.trim().is_empty() { p.title.clone() } else { description };
    PageView {
        kind: match p.kind {
            PageKind::Front => "front",
            PageKind::Chapter => "chapter",
            PageKind::Case => "case",
        },
        title: p.title.clone(),
        description,
        url: c.url(&p.path),
        permalink: c.permalink(&p.path),
        content: CONTENT.to_string(),
        toc: p
            .body
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .map(|h| TocEntry { level: h.level, id: h.id.clone(), title: h.text.clone() })
            .collect(),
        prev,
        next,
        breadcrumbs,
        case: s.items[i].summary.clone(),
        sources: p
            .case
            .as_ref()
            .map(|c| {
                c.sources
                    .iter()
                    .map(|s| SourceView { title: s.title.clone(), url: s.url.clone() })
                    .collect()
            })
            .unwrap_or_default(),
        source_path: p.source.clone(),
        fallback: p.fallback,
        content_lang: if p.fallback {
            site.lang.all[0].code.clone()
        } else {
            site.lang.code.clone()
        },
        content_dir: if p.fallback { site.lang.all[0].dir } else { site.lang.dir },
        alternates: s.languages.alternates(&site.lang.code, Some(&p.key), &p.path),
        image: site.fills[i].iter().find_map(|fill| match fill {
            Fill::Figure(f) => Some(preview_image(s, &site.figures[*f])),
            _ => None,
        }),
    }
}

/// A figure's preview image (`figures/<id>.png`) as sharing metadata gives it.
fn preview_image(s: &Shared, f: &Figure) -> Image {
    Image {
        url: s.site.config.permalink(&format!("figures/{}.png", f.spec.id)),
        width: figures::preview::WIDTH,
        height: figures::preview::HEIGHT,
        alt: figures::title(f, &s.words),
    }
}

/// The Tera instance of the current thread.
fn thread_tera(teras: &[Tera]) -> &Tera {
    &teras[rayon::current_thread_index().unwrap_or(0) % teras.len()]
}

/// Where `page.content` goes; replaced by the page's body after rendering.
const CONTENT: &str = "\u{E002}content\u{E003}";
/// Where a list of case studies goes (`case_list`); replaced by their items.
const CASE_LIST: &str = "\u{E002}case-list\u{E003}";
/// Where the print edition's sections go (`print_body`).
const PRINT_BODY: &str = "\u{E002}print-body\u{E003}";
/// Where the print edition's figures placed nowhere go (`unplaced_figures`).
const UNPLACED: &str = "\u{E002}unplaced-figures\u{E003}";
/// Where the search page's A to Z list goes (`az_list`).
const AZ_LIST: &str = "\u{E002}az-list\u{E003}";

/// Replaces every `marker` in `html` with `pieces`, one after the other,
/// in one pass.
fn splice<'a>(
    html: Vec<u8>,
    marker: &str,
    pieces: impl Iterator<Item = &'a str> + Clone,
) -> Vec<u8> {
    let m = marker.as_bytes();
    let finder = memchr::memmem::Finder::new(m);
    let Some(first) = finder.find(&html) else { return html };
    // Room for the pieces made at once: a list of ten thousand cases grown
    // by doubling would be copied a dozen times.
    let room: usize = pieces.clone().map(str::len).sum();
    let mut out = Vec::with_capacity(html.len() + room);
    let mut rest = &html[..];
    let mut at = Some(first);
    while let Some(i) = at {
        out.extend_from_slice(&rest[..i]);
        for piece in pieces.clone() {
            out.extend_from_slice(piece.as_bytes());
        }
        rest = &rest[i + m.len()..];
        at = finder.find(rest);
    }
    out.extend_from_slice(rest);
    out
}

/// The body of page `i` with its holes filled.
fn body(s: &Shared, i: usize, html: &str) -> String {
    let site = s.site;
    fill_holes(html, |n| match site.fills[i].get(n) {
        Some(Fill::Href(url)) => escape_html(url),
        Some(Fill::Text(t)) => escape_html(t),
        Some(Fill::Figure(f)) => figure_block(site, &site.figures[*f], &s.svgs[*f], &s.words),
        Some(Fill::FigRef(f)) => figref(site, &site.figures[*f], &s.words),
        None if n == SECTION_LINK_HOLE => escape_html(&s.words.get("section_link")),
        None => String::new(),
    })
}

fn truncate_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n { words.join(" ") } else { format!("{}…", words[..n].join(" ")) }
}

/// The front page's numbers, computed from the case studies.
#[derive(Serialize)]
struct FrontStats {
    cases: usize,
    companies: usize,
    approaches: usize,
    responded: usize,
    settled: usize,
    rate: Option<u32>,
    /// The rate as the page's language writes it ("58%", "58 %").
    rate_display: String,
}

fn front_stats(s: &Shared) -> FrontStats {
    let mut st = FrontStats {
        cases: s.cases_newest.len(),
        companies: 0,
        approaches: 0,
        responded: 0,
        settled: 0,
        rate: None,
        rate_display: "–".to_string(),
    };
    if let Some(companies) = s.site.taxonomies.iter().find(|t| t.name == "companies") {
        st.companies = companies.terms.len();
        for t in &companies.terms {
            if let Some(r) = &t.record {
                st.approaches += r.approached;
                st.responded += r.responded;
                st.settled += r.approached - r.pending;
            }
        }
    }
    st.rate =
        (st.settled > 0).then(|| (st.responded as f64 * 100.0 / st.settled as f64).round() as u32);
    if st.settled > 0 {
        st.rate_display = s.words.numbers().percent(st.responded as f64 / st.settled as f64);
    }
    st
}

/// A figure as figure pages and lists see it.
#[derive(Serialize)]
struct FigureView {
    id: String,
    number: usize,
    kind: String,
    title: String,
    caption: Option<String>,
    source: String,
    note: Option<String>,
    unit: Option<String>,
    url: String,
    permalink: String,
    csv: String,
    json: String,
    dataset: String,
    block: String,
    svg: String,
    /// The chart's view-box size, for previews that do not shift the layout.
    svg_width: u32,
    svg_height: u32,
    table: String,
    placed_in: Vec<Link>,
    referenced_in: Vec<Link>,
}

fn figure_view(s: &Shared, f: &Figure) -> FigureView {
    let site = s.site;
    let c = &site.config;
    let d = &site.datasets[&f.dataset];
    let anchor = |i: &usize, frag: bool| Link {
        title: site.pages[*i].title.clone(),
        url: if frag {
            format!("{}#figure-{}", c.url(&site.pages[*i].path), f.spec.id)
        } else {
            c.url(&site.pages[*i].path)
        },
    };
    FigureView {
        id: f.spec.id.clone(),
        number: f.number,
        kind: f.spec.kind.as_str().to_string(),
        title: f.spec.title.clone(),
        caption: f.spec.caption.clone(),
        source: d.source.clone(),
        note: d.note.clone(),
        unit: d.unit.clone(),
        url: c.url(&format!("figures/{}/", f.spec.id)),
        permalink: c.permalink(&format!("figures/{}/", f.spec.id)),
        csv: c.url(&format!("data/{}.csv", d.id)),
        json: c.url(&format!("data/{}.json", d.id)),
        dataset: d.id.clone(),
        block: figure_block(site, f, &s.svgs[f.number - 1], &s.words),
        svg: c.url(&format!("figures/{}.svg", f.spec.id)),
        svg_width: figures::draw::WIDTH,
        svg_height: view_box_height(&s.svgs[f.number - 1]),
        table: figures::table_html(
            f,
            d,
            &format!("{} {} {}", s.words.get("data_for"), s.words.get("figure"), f.number),
            &s.words.numbers(),
        ),
        placed_in: f.placed_in.iter().map(|i| anchor(i, true)).collect(),
        referenced_in: f.referenced_in.iter().map(|i| anchor(i, false)).collect(),
    }
}

/// The HTML of a placed figure: number, title, data table, caption, source and links.
fn figure_block(site: &Site, f: &Figure, svg: &str, words: &Words) -> String {
    let c = &site.config;
    let d = &site.datasets[&f.dataset];
    let id = &f.spec.id;
    let label = format!("{} {}", words.get("figure"), f.number);
    let mut out = String::new();
    let _ = write!(
        out,
        "<figure class=\"figure\" id=\"figure-{id}\" aria-labelledby=\"figure-{id}-title\">"
    );
    let _ = write!(
        out,
        "<figcaption id=\"figure-{id}-title\" class=\"figure-title\"><span class=\"figure-number\">{label}{}</span> {} <a class=\"anchor\" href=\"#figure-{id}\" aria-label=\"{} {label}\">#</a></figcaption>",
        escape_html(&words.get("colon")),
        escape_html(&f.spec.title),
        escape_html(&words.get("link_to")),
    );
    let _ = write!(out, "<div class=\"chart-wrap\">{svg}</div>");
    let _ = write!(
        out,
        "<details class=\"figure-data\"><summary>{} {label}</summary>{}</details>",
        escape_html(&words.get("data_for")),
        figures::table_html(f, d, &format!("{} {label}", words.get("data_for")), &words.numbers())
    );
    out.push_str("<div class=\"figure-meta\">");
    if let Some(caption) = &f.spec.caption {
        let _ = write!(out, "<p class=\"figure-caption\">{}</p>", escape_html(caption));
    }
    let _ = write!(
        out,
        "<p class=\"figure-source\"><span>{}{}</span> {}</p>",
        escape_html(&words.get("source")),
        escape_html(&words.get("colon")),
        escape_html(&d.source)
    );
    if let Some(note) = &d.note {
        let _ = write!(
            out,
            "<p class=\"figure-note\"><span>{}{}</span> {}</p>",
            escape_html(&words.get("note")),
            escape_html(&words.get("colon")),
            escape_html(note)
        );
    }
    let _ = write!(
        out,
        "<p class=\"figure-links\"><a href=\"{}\">{}</a> · {}{} <a href=\"{}\" download>CSV</a> · <a href=\"{}\" download>JSON</a></p>",
        escape_html(&c.url(&format!("figures/{id}/"))),
        escape_html(&words.get("about_figure")),
        escape_html(&words.get("data")),
        escape_html(&words.get("colon")),
        escape_html(&c.url(&format!("data/{}.csv", d.id))),
        escape_html(&c.url(&format!("data/{}.json", d.id))),
    );
    out.push_str("</div></figure>\n");
    out
}

/// The height of an SVG's view box (`viewBox="0 0 W H"`).
fn view_box_height(svg: &str) -> u32 {
    svg.split_once("viewBox=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .and_then(|vb| vb.split(' ').nth(3))
        .and_then(|h| h.parse().ok())
        .unwrap_or(0)
}

/// The figure's SVG as a file of its own: dark ink on white.
fn standalone_svg(svg: &str) -> String {
    let svg = svg.replacen("<svg ", "<svg color=\"#1a1a1a\" ", 1);
    match svg.find("</desc>") {
        Some(i) => format!(
            "{}<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>{}",
            &svg[..i + 7],
            &svg[i + 7..]
        ),
        None => svg,
    }
}

/// "Figure N" as a link to where the figure stands (its first placement, else its page).
fn figref(site: &Site, f: &Figure, words: &Words) -> String {
    let c = &site.config;
    let url = match f.placed_in.first() {
        Some(&i) => format!("{}#figure-{}", c.url(&site.pages[i].path), f.spec.id),
        None => c.url(&format!("figures/{}/", f.spec.id)),
    };
    format!(
        "<a class=\"figref\" href=\"{}\">{} {}</a>",
        escape_html(&url),
        escape_html(&words.get("figure")),
        f.number
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_made_twice_or_standing_where_a_folder_goes_clash() {
        let errors = |paths: &[&str]| -> Vec<String> {
            clashes(paths.iter().copied()).sorted().into_iter().map(|d| d.message).collect()
        };
        assert!(errors(&["a/index.html", "a.css", "a-b/index.html", "b"]).is_empty());
        assert_eq!(
            errors(&["fr/index.html", "x", "fr/index.html"]),
            ["two files of the site are written to this path"]
        );
        // One error for the folder, however many files it would hold.
        assert_eq!(
            errors(&["notes", "notes/a/index.html", "notes/b/index.html"]),
            ["this file is where the folder of notes/a/index.html must go"]
        );
    }
}
