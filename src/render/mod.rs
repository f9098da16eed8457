//! Rendering: `Site` -> every output file. Each language is rendered as a
//! list of stages (`render_language`: search index, templates, figures,
//! case items, page jobs with figures' PNG images beside them, print
//! edition, feed and exports). Nothing here touches the disk itself: the files are
//! returned (`render`, and `serve`'s `render_incremental`), or handed one by
//! one to a `Sink` as they are made (`render_to`), through which `build`
//! writes them into its staging folder; figures' PNG images of an earlier
//! build come in as bytes (`Previous`), read by `output::read_previous`.

pub mod context;
pub mod feeds;
mod figure_pages;
mod files;
mod headers;
mod jobs;
mod languages;
pub(crate) mod memo;
mod print;
mod splice;
pub mod theme;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::content::{self, PageKind};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::figures::Drawn;
use crate::hash::{self, FastMap, FastSet};
use crate::i18n::Words;
pub use crate::output_file::OutputFile;
use crate::progress::Progress;
use crate::search;
use crate::site::Site;
use context::{CaseSummary, Image, Link, PageView};
use languages::Languages;
pub use memo::{Incremental, Memo, Rendered, SearchPlan};
pub use print::PRINT_FULL_CASES;

/// Where a build's files go as they are rendered (`render_to`), so that
/// none is held longer than it takes to hand it over.
pub(crate) trait Sink: Sync {
    /// Takes a file of the output (its path relative to the output folder).
    fn put(&self, file: &OutputFile);
}

/// What every page job may need, built once per language.
struct Shared<'a> {
    site: &'a Site,
    /// Where each page is in every language, for switchers and alternates.
    languages: &'a Languages,
    templates: Arc<Templates>,
    words: Words,
    numbers: crate::data::Numbers,
    /// Each case study's summary and item in lists
    /// (`partials/case-item.html`), by page index.
    items: Vec<Arc<Item>>,
    /// Case study page indices, newest first.
    cases_newest: Vec<usize>,
    /// Chapter page indices in reading order.
    chapters: Vec<usize>,
    /// Each figure's SVGs, by figure index.
    svgs: Vec<Arc<Drawn>>,
    /// Each taxonomy with its terms, by taxonomy index.
    taxonomy_views: Vec<context::TaxonomyView>,
    /// The pages of the print edition, for links between its sections.
    targets: print::PrintTargets<'a>,
}

/// A page's summary and its item in lists (none but for case studies).
#[derive(Debug)]
pub(crate) struct Item {
    summary: Option<CaseSummary>,
    html: String,
}

/// The orders pages are listed in.
struct Order {
    /// Case study page indices, newest first, then by slug.
    cases_newest: Vec<usize>,
    /// Chapter page indices in reading order.
    chapters: Vec<usize>,
}

impl Order {
    fn of(site: &Site) -> Self {
        // Sorted on small keys: pages are large.
        let mut newest: Vec<(std::cmp::Reverse<Option<content::Date>>, &str, usize)> = site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == PageKind::Case)
            .map(|(i, p)| (std::cmp::Reverse(p.case.as_ref().map(|c| c.date)), p.slug.as_str(), i))
            .collect();
        newest.sort_unstable();
        Order {
            cases_newest: newest.into_iter().map(|(_, _, i)| i).collect(),
            chapters: (0..site.pages.len())
                .filter(|&i| site.pages[i].kind == PageKind::Chapter)
                .collect(),
        }
    }
}

/// What a render may leave out because an earlier render made it and its
/// inputs are the same (`memo::plan`). A plain build leaves out nothing.
#[derive(Default)]
struct Skip {
    /// Keep the site whole and hand back the parts made (`Parts`): `serve`
    /// renders it again.
    keep: bool,
    search: SearchSkip,
    /// Each figure's SVGs that still hold, by figure index (or none).
    svgs: Vec<Option<Arc<Drawn>>>,
    /// Each page's list item that still holds, by page index (or none).
    items: Vec<Option<Arc<Item>>>,
    /// The pages that still hold, by path, with their print sections.
    pages: FastMap<String, Option<String>>,
    /// Does the print edition still hold?
    print: bool,
    /// The last render's templates, when made from the same inputs.
    templates: Option<Arc<Templates>>,
}

/// Whether the search index is made.
#[derive(Default)]
enum SearchSkip {
    #[default]
    Make,
    /// Kept: its files' paths, and whether a changed index was left for later.
    Keep { paths: Vec<String>, deferred: bool },
}

/// What a render made that the next one may keep (`Skip::keep`).
struct Parts {
    templates: Arc<Templates>,
    svgs: Vec<Arc<Drawn>>,
    items: Vec<Arc<Item>>,
    /// Each page's print section, by path.
    sections: Vec<(String, String)>,
}

/// Files of an earlier build that may be reused when they were made from the
/// same input (figures' PNG images, which record what they were drawn from),
/// by output path.
#[derive(Debug, Default)]
pub struct Previous {
    /// The files' bytes, by output path.
    pub files: FastMap<String, Vec<u8>>,
}

impl Previous {
    /// The output paths `render` may reuse for `site`: each figure's preview
    /// and chart PNG in each language.
    pub(crate) fn wanted(site: &Site) -> Vec<String> {
        std::iter::once(site)
            .chain(&site.translations)
            .flat_map(|s| {
                s.figures.iter().flat_map(|f| {
                    [
                        format!("{}figures/{}.png", s.lang.prefix, f.spec.id),
                        format!("{}{}", s.lang.prefix, figure_pages::chart_png_path(f)),
                    ]
                })
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
pub(crate) fn render_with_progress(
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
pub(crate) fn render_to(
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
pub(crate) fn render_incremental(
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
        match render_one(s, &languages, previous, progress, inc, sink) {
            Ok(out) => {
                let prefix = s.lang.prefix.clone();
                for path in out.files.iter().map(|f| &f.path).chain(&out.kept).chain(&out.streamed)
                {
                    if path.ends_with("index.html") && figure_pages::is_listed(path) {
                        let folder = path.trim_end_matches("index.html").to_string();
                        page_paths.push((prefix.clone(), keys.get(&folder).cloned(), folder));
                    }
                }
                out.join(&prefix, &mut all);
            }
            Err(d) => diags.extend(d),
        }
    }
    site.translations = translations;
    if diags.has_errors() {
        return Err(diags);
    }
    let sitemap_holds = inc.is_some_and(|i| memo::sitemap_holds(i, &page_paths, &mut all.memo));
    if sitemap_holds {
        all.kept.push("sitemap.xml".to_string());
    } else {
        let sitemap = feeds::sitemap(&languages, &page_paths);
        all.files.push(OutputFile { path: "sitemap.xml".into(), bytes: sitemap.into_bytes() });
    }
    files::add_statics(site, &mut all);
    if site.config.site.headers {
        headers::add_headers(site, &mut all);
    }
    let paths: Vec<&str> = all
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(all.kept.iter().chain(&all.streamed).map(String::as_str))
        .collect();
    // The clash check sorts every output path: a rebuild that makes the
    // same paths as the last one (which had no clash) skips it.
    let paths_key = hash::of_set(&paths);
    let same_paths = inc.is_some_and(|i| i.memo.paths == Some(paths_key));
    let clashing = if same_paths { Diagnostics::new() } else { clashes(paths.into_iter()) };
    if clashing.has_errors() {
        return Err(clashing);
    }
    all.memo.paths = Some(paths_key);
    if let Some(sink) = sink {
        all.files.par_iter().for_each(|f| sink.put(f));
        all.streamed.extend(all.files.drain(..).map(|f| f.path));
        all.streamed.sort_unstable();
    }
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
        let d = Diagnostic::file_error(
            Code::OutputClash,
            &at,
            "two files of the site are written to this path",
        );
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
                        Code::OutputClash,
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
    /// The paths of the search index's files, when they were made.
    search_files: Vec<String>,
    /// What the next render may keep, when asked for (`Skip::keep`).
    parts: Option<Parts>,
    memo: Memo,
}

impl LangOut {
    /// Adds this language's files to `all`, under its folder `prefix`.
    fn join(mut self, prefix: &str, all: &mut Rendered) {
        for path in self.files.iter_mut().map(|f| &mut f.path).chain(&mut self.kept) {
            path.insert_str(0, prefix);
        }
        all.files.append(&mut self.files);
        all.kept.append(&mut self.kept);
        all.rendered.extend(self.rendered.into_iter().map(|p| format!("{prefix}{p}")));
        all.streamed.extend(self.streamed.into_iter().map(|p| format!("{prefix}{p}")));
        all.memo.absorb(self.memo);
        all.search_deferred |= self.search_deferred;
    }
}

/// Renders one language; with `inc`, only what its memo pass finds changed.
fn render_one(
    site: &mut Site,
    languages: &Languages,
    previous: &Previous,
    progress: &Progress,
    inc: Option<Incremental>,
    sink: Option<&dyn Sink>,
) -> Result<LangOut, Diagnostics> {
    let order = Order::of(site);
    let plan = inc.map(|inc| memo::plan(site, languages, &order, inc));
    let nothing = Skip::default();
    let skip = plan.as_ref().map_or(&nothing, |p| &p.skip);
    let mut out = render_language(site, languages, order, previous, progress, skip, sink)?;
    if let (Some(plan), Some(parts)) = (plan, out.parts.take()) {
        out.memo = memo::record(plan, site, parts, &out.search_files);
    }
    Ok(out)
}

/// Renders the files of one language, with paths relative to its folder,
/// leaving out what `skip` says still holds. Unless the site is kept
/// (`Skip::keep`), the pages' bodies are moved into their render jobs (and
/// so out of `site`): each is dropped as soon as its page is rendered,
/// which keeps the peak memory of a large site down.
fn render_language(
    site: &mut Site,
    languages: &Languages,
    order: Order,
    previous: &Previous,
    progress: &Progress,
    skip: &Skip,
    sink: Option<&dyn Sink>,
) -> Result<LangOut, Diagnostics> {
    let mut out = LangOut::default();
    let taken = (!skip.keep).then(|| take_bodies(site));
    // Search first, so that what it builds on the way is freed before pages pile up.
    let (search_files, az) = search_index(site, skip, &mut out);
    let site: &Site = site;
    let templates = match &skip.templates {
        Some(held) => Arc::clone(held),
        None => templates(site)?,
    };
    let mut diags = Diagnostics::new();
    let svgs = figure_pages::draw_figures(site, &skip.svgs, &mut diags);
    let items = case_items(site, &templates, skip, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let mut shared = Shared::new(site, languages, templates, order, svgs, items);
    // Figures' PNG images are rasterised beside the pages (they only share
    // the SVGs), so that neither waits for the other's slowest task.
    let (pngs, pages) = rayon::join(
        || figure_pages::pngs(site, &shared.svgs, previous),
        || jobs::render_pages(&shared, bodies(site, taken), az, skip, progress, sink),
    );
    let pngs = files::check_pngs(site, pngs, &mut diags);
    let mut pages = match pages {
        Ok(pages) if !diags.has_errors() => pages,
        Ok(_) => return Err(diags),
        Err(d) => {
            diags.extend(d);
            return Err(diags);
        }
    };
    let mut files = std::mem::take(&mut pages.files);
    files.extend(print_edition(&shared, &pages, skip, &mut out)?);
    out.rendered.append(&mut pages.rendered);
    out.kept.append(&mut pages.kept);
    out.streamed.append(&mut pages.streamed);
    let items = std::mem::take(&mut shared.items);
    if skip.keep {
        out.search_files = search_files.iter().map(|f| f.path.clone()).collect();
        out.parts = Some(Parts {
            templates: Arc::clone(&shared.templates),
            svgs: shared.svgs.clone(),
            items,
            sections: pages.sections,
        });
    } else {
        drop(pages.sections);
        // The list items of a large site are many: freed on every core.
        items.into_par_iter().for_each(drop);
    }
    files.extend(files::exports(site, &shared, pngs, search_files));
    hand_over(site, files, sink, &mut out);
    Ok(out)
}

impl<'a> Shared<'a> {
    fn new(
        site: &'a Site,
        languages: &'a Languages,
        templates: Arc<Templates>,
        order: Order,
        svgs: Vec<Arc<Drawn>>,
        items: Vec<Arc<Item>>,
    ) -> Self {
        let words = site.words.clone();
        Shared {
            site,
            languages,
            numbers: words.numbers(),
            taxonomy_views: site
                .taxonomies
                .iter()
                .map(|t| context::taxonomy_view(site, t, &words))
                .collect(),
            templates,
            words,
            items,
            cases_newest: order.cases_newest,
            chapters: order.chapters,
            svgs,
            targets: print::PrintTargets::of(site),
        }
    }
}

impl Shared<'_> {
    /// The Tera instance of the current thread.
    fn tera(&self) -> &Tera {
        thread_tera(&self.templates.teras)
    }

    /// The view of a page the site makes itself (lists, figures, print) at the folder `path`.
    fn list_view(
        &self,
        kind: &'static str,
        title: String,
        path: &str,
        image: Option<Image>,
    ) -> PageView {
        let site = self.site;
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
            breadcrumbs: vec![Link { title: self.words.get("home"), url: c.url("") }],
            case: None,
            sources: Vec::new(),
            source_path: String::new(),
            fallback: false,
            content_lang: site.lang.code.clone(),
            content_dir: site.lang.dir,
            alternates: self.languages.alternates(&site.lang.code, None, path),
            image,
            has_figures: false,
        }
    }
}

/// The Tera instance of the current thread.
fn thread_tera(teras: &[Tera]) -> &Tera {
    &teras[rayon::current_thread_index().unwrap_or(0) % teras.len()]
}

/// Stage: the print edition, unless it still holds (then its path is kept).
fn print_edition(
    shared: &Shared,
    pages: &jobs::Pages,
    skip: &Skip,
    out: &mut LangOut,
) -> Result<Option<OutputFile>, Diagnostics> {
    if skip.print {
        out.kept.push("print/index.html".to_string());
        return Ok(None);
    }
    let print = print::render_print(shared, &pages.sections).map_err(|d| {
        let mut diags = Diagnostics::new();
        diags.push(*d);
        diags
    })?;
    out.rendered.push(print.path.clone());
    Ok(Some(print))
}

/// Hands `files` to `sink` under the language's folder, or keeps them in `out`.
fn hand_over(site: &Site, mut files: Vec<OutputFile>, sink: Option<&dyn Sink>, out: &mut LangOut) {
    let Some(sink) = sink else {
        out.files = files;
        return;
    };
    let prefix = site.lang.prefix.as_str();
    files.par_iter_mut().for_each(|f| {
        let full = format!("{prefix}{}", f.path);
        let path = std::mem::replace(&mut f.path, full);
        sink.put(f);
        f.path = path;
    });
    out.streamed.extend(files.into_iter().map(|f| f.path));
}

/// Moves every page's body (with holes) out of `site`.
fn take_bodies(site: &mut Site) -> Vec<String> {
    site.pages.iter_mut().map(|p| std::mem::take(&mut p.body.html)).collect()
}

/// The pages' bodies for their jobs: those taken, else borrowed from `site`.
fn bodies(site: &Site, taken: Option<Vec<String>>) -> Vec<Cow<'_, str>> {
    match taken {
        Some(bodies) => bodies.into_iter().map(Cow::Owned).collect(),
        None => site.pages.iter().map(|p| Cow::Borrowed(p.body.html.as_str())).collect(),
    }
}

/// Stage: the search index's files and the search page's A to Z list, or,
/// when the index still holds, the paths of its files in `out.kept`. A
/// plain build frees the pages' search terms once the index is made.
fn search_index(
    site: &mut Site,
    skip: &Skip,
    out: &mut LangOut,
) -> (Vec<OutputFile>, Option<String>) {
    let made = match &skip.search {
        SearchSkip::Make => {
            let words = &site.words;
            let docs = search::documents(site, words);
            let az = search::az_list(&docs, words, |path| site.config.url(path));
            (search::files(&docs, "", words), Some(az))
        }
        SearchSkip::Keep { paths, deferred } => {
            out.kept.extend(paths.iter().cloned());
            out.search_deferred = *deferred;
            (Vec::new(), None)
        }
    };
    if !skip.keep {
        for p in &mut site.pages {
            p.body.terms = Vec::new();
            p.body.texts = Vec::new();
        }
    }
    made
}

/// The theme's templates, ready to render.
struct Templates {
    /// One Tera per thread.
    teras: Vec<Tera>,
    /// Where each template came from.
    origins: theme::Origins,
    /// Each template's text.
    texts: BTreeMap<String, String>,
}

/// Stage: one Tera per thread (its values are reference-counted, and
/// threads sharing one instance spend their time fighting over the counts),
/// where each template came from, and the templates' texts.
/// (`serve` keeps them between rebuilds: `memo::plan`.)
fn templates(site: &Site) -> Result<Arc<Templates>, Diagnostics> {
    let mut teras = Vec::new();
    let mut origins = theme::Origins::new();
    for _ in 0..rayon::current_num_threads().max(1) {
        let (mut tera, o) = theme::load(site)?;
        *tera.global_context() = theme::global_context(site, &site.words);
        teras.push(tera);
        origins = o;
    }
    Ok(Arc::new(Templates { teras, origins, texts: theme::template_texts(site) }))
}

/// Stage: each page's summary and item in lists (`partials/case-item.html`),
/// by page index (kept ones as they were); a template error goes to `diags`
/// (the first in page order) and leaves the list empty.
fn case_items(
    site: &Site,
    templates: &Templates,
    skip: &Skip,
    diags: &mut Diagnostics,
) -> Vec<Arc<Item>> {
    let made: Vec<Result<Arc<Item>, tera::Error>> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            if let Some(Some(item)) = skip.items.get(i) {
                return Ok(Arc::clone(item));
            }
            let summary = context::case_summary(site, p, &site.words);
            let html = match &summary {
                Some(case) => {
                    let mut ctx = Context::new();
                    ctx.insert("case", case);
                    thread_tera(&templates.teras).render("partials/case-item.html", &ctx)?
                }
                None => String::new(),
            };
            Ok(Arc::new(Item { summary, html }))
        })
        .collect();
    match made.into_iter().collect() {
        Ok(items) => items,
        Err(e) => {
            diags.push(theme::tera_diagnostic(&e, &templates.origins, &templates.texts));
            Vec::new()
        }
    }
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
