//! Page jobs: every page made with a template (pages of content/, the lists
//! of cases and terms, figure pages, 404, search) is one job, rendered in
//! parallel with one Tera per thread; lists and bodies are spliced into the
//! rendered template afterwards, so that neither is copied through Tera.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::context::{self, CompanyCase, Link, PageView, SourceView, TocEntry};
use super::figure_pages::{
    Placement, embed_path, figref, figure_block, figure_view, preview_image,
};
use super::print::{lists_cases, print_section};
use super::splice::{AZ_LIST, CASE_LIST, CONTENT, splice};
use super::{OutputFile, Shared, Sink, Skip, theme};
use crate::content::PageKind;
use crate::content::markdown::{SECTION_LINK_HOLE, fill_holes};
use crate::diag::{Diagnostic, Diagnostics};
use crate::figures;
use crate::html::escape_html;
use crate::progress::Progress;
use crate::site::{Fill, Site};

/// Every job of `site`, in the order pages are listed: pages of content/,
/// the case list, each taxonomy and its terms, the figures and their embed
/// pages, 404 and, when the search index is made, the search page.
pub(super) fn jobs(site: &Site, search: bool) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    jobs.push(Job::Cases);
    for (t, tax) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::Taxonomy(t));
        jobs.extend((0..tax.terms.len()).map(|k| Job::Term(t, k)));
    }
    jobs.push(Job::Figures);
    jobs.extend((0..site.figures.len()).map(Job::Figure));
    jobs.extend((0..site.figures.len()).map(Job::Embed));
    jobs.push(Job::NotFound);
    if search {
        jobs.push(Job::Search);
    }
    jobs
}

/// One page to render with a template.
#[derive(Debug, Clone, Copy)]
pub(super) enum Job {
    Page(usize),
    Cases,
    Taxonomy(usize),
    Term(usize, usize),
    Figures,
    Figure(usize),
    /// A figure alone, to be shown in a frame on other sites.
    Embed(usize),
    NotFound,
    /// The search page; its job's HTML is the A to Z list.
    Search,
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

/// The template a job renders with and the path of its page.
pub(super) fn job_target(site: &Site, job: Job) -> (&'static str, String) {
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
        Job::Embed(i) => ("embed.html", format!("{}index.html", embed_path(&site.figures[i]))),
        Job::NotFound => ("404.html", "404.html".into()),
        Job::Search => ("search.html", "search/index.html".into()),
    }
}

/// A rendered page, with its section of the print edition for a page of content/.
type JobResult = Result<(OutputFile, Option<String>), Box<Diagnostic>>;

/// What the page jobs of one language made, with paths relative to its folder.
#[derive(Default)]
pub(super) struct Pages {
    /// The pages rendered and held (none when they went to a sink).
    pub(super) files: Vec<OutputFile>,
    /// The paths of the pages handed to the sink.
    pub(super) streamed: Vec<String>,
    /// The paths of the pages an earlier render made that still hold.
    pub(super) kept: Vec<String>,
    /// The paths of the pages rendered with a template.
    pub(super) rendered: Vec<String>,
    /// Each page's section of the print edition, with its path, in page order.
    pub(super) sections: Vec<(String, String)>,
}

/// Renders every job of `s.site` (`jobs`), the pages in `skip` aside;
/// `bodies` are the pages' bodies with holes, in page order, and `az` the
/// search page's A to Z list. Each page goes to `sink` when there is one.
/// The jobs are taken last first: the lists of a large site (all cases,
/// each term, the A to Z list) are the longest jobs and come last, and a
/// long job started at the end keeps one core busy while the other waits.
///
/// # Errors
/// Template errors, one per page that failed.
pub(super) fn render_pages(
    s: &Shared,
    bodies: Vec<Cow<str>>,
    mut az: Option<String>,
    skip: &Skip,
    progress: &Progress,
    sink: Option<&dyn Sink>,
) -> Result<Pages, Diagnostics> {
    let site = s.site;
    let prefix = site.lang.prefix.as_str();
    let mut bodies = bodies.into_iter();
    let work: Vec<(Job, Cow<str>)> = jobs(site, az.is_some())
        .into_iter()
        .map(|job| {
            let html = match job {
                Job::Page(_) => bodies.next().unwrap_or_default(),
                Job::Search => Cow::Owned(az.take().unwrap_or_default()),
                _ => Cow::Borrowed(""),
            };
            (job, html)
        })
        .collect();
    progress.stage("rendering pages", Some(work.len() as u64 + 1));
    let mut done: Vec<JobDone> = work
        .into_par_iter()
        .rev()
        .map(|(job, html)| {
            let (template, path) = job_target(site, job);
            if let Some(section) = skip.pages.get(&path) {
                return Ok(Outcome::Kept(path, section.clone()));
            }
            let (mut file, section) = render_job(s, job, (template, path), html)?;
            Ok(match sink {
                Some(sink) => {
                    let path = file.path.clone();
                    sink.put(&OutputFile { path: format!("{prefix}{path}"), bytes: file.bytes });
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
        .collect();
    done.reverse();
    gather(done)
}

/// The outcomes of the page jobs, sorted into `Pages`.
fn gather(done: Vec<JobDone>) -> Result<Pages, Diagnostics> {
    let mut pages = Pages { files: Vec::with_capacity(done.len() + 64), ..Pages::default() };
    let mut diags = Diagnostics::new();
    for r in done {
        let (path, section) = match r {
            Ok(Outcome::Rendered(f, section)) => {
                pages.rendered.push(f.path.clone());
                let path = f.path.clone();
                pages.files.push(f);
                (path, section)
            }
            Ok(Outcome::Streamed(path, section)) => {
                pages.rendered.push(path.clone());
                pages.streamed.push(path.clone());
                (path, section)
            }
            Ok(Outcome::Kept(path, section)) => {
                pages.kept.push(path.clone());
                (path, section)
            }
            Err(d) => {
                diags.push(*d);
                continue;
            }
        };
        if let Some(section) = section {
            pages.sections.push((path, section));
        }
    }
    if diags.has_errors() { Err(diags) } else { Ok(pages) }
}

/// Renders one page, and for a page of content/ its section of the print
/// edition too; `html` is the body (with holes) of a page of content/ or
/// the search page's A to Z list, empty for others.
fn render_job(s: &Shared, job: Job, (template, path): (&str, String), html: Cow<str>) -> JobResult {
    let site = s.site;
    let mut ctx = Context::new();
    let (title, list) = fill_context(s, job, &mut ctx);
    if !matches!(job, Job::Page(_)) {
        let (kind, image) = match job {
            Job::Figure(f) => ("list", Some(preview_image(s, &site.figures[f]))),
            Job::Embed(_) => ("embed", None),
            _ => ("list", None),
        };
        ctx.insert("page", &s.list_view(kind, title, path.trim_end_matches("index.html"), image));
    }
    let mut out = Vec::with_capacity(16 * 1024);
    if let Err(e) = s.tera().render_to(template, &ctx, &mut out) {
        let mut d = theme::tera_diagnostic(&e, &s.templates.origins, &s.templates.texts);
        d.help = Some(format!("{} (while rendering {path})", d.help.unwrap_or_default()));
        return Err(Box::new(d));
    }
    if let Some(cases) = list {
        out = splice(out, CASE_LIST, cases.iter().map(|&i| s.items[i].html.as_str()));
    }
    let mut section = None;
    match job {
        Job::Search => out = splice(out, AZ_LIST, std::iter::once(&*html)),
        Job::Page(i) => {
            let filled = body(s, i, &html, Placement::Text);
            let listed_only =
                site.pages[i].kind == PageKind::Case && lists_cases(s.cases_newest.len());
            if !listed_only {
                // The print edition shows the notes of figures open: a page
                // that places one is filled again for it.
                let printed = if places_figure(site, i) {
                    Cow::Owned(body(s, i, &html, Placement::Print))
                } else {
                    Cow::Borrowed(filled.as_str())
                };
                section = Some(print_section(s, i, &ctx, &printed)?);
            }
            drop(html);
            out = splice(out, CONTENT, std::iter::once(filled.as_str()));
        }
        _ => {}
    }
    Ok((OutputFile { path, bytes: out }, section))
}

/// Puts what `job`'s template shows into `ctx`; returns the page's title
/// and the case studies it lists (spliced in after rendering, so that they
/// are not copied through Tera's values).
fn fill_context<'a>(s: &'a Shared, job: Job, ctx: &mut Context) -> (String, Option<&'a [usize]>) {
    let site = s.site;
    match job {
        Job::Page(i) => page_context(s, i, ctx),
        Job::Cases => {
            ctx.insert("case_count", &s.cases_newest.len());
            ctx.insert("case_list", CASE_LIST);
            ctx.insert("taxonomies", &s.taxonomy_views);
            let mut years: Vec<u16> = s
                .cases_newest
                .iter()
                .filter_map(|&i| s.items[i].summary.as_ref().map(|c| c.year))
                .collect();
            years.dedup();
            ctx.insert("years", &years);
            (s.words.get("case_studies"), Some(&s.cases_newest))
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
            }
            (view.title.clone(), None)
        }
        Job::Term(t, k) => term_context(s, t, k, ctx),
        Job::Figures => {
            let figures: Vec<_> = site.figures.iter().map(|f| figure_view(s, f)).collect();
            ctx.insert("figures", &figures);
            (s.words.get("figures"), None)
        }
        Job::Figure(i) => {
            let f = &site.figures[i];
            ctx.insert("figure", &figure_view(s, f));
            (figures::title(f, &s.words), None)
        }
        Job::Embed(i) => {
            let f = &site.figures[i];
            ctx.insert("figure", &figure_view(s, f));
            ctx.insert("chart", &s.svgs[i].html());
            (figures::title(f, &s.words), None)
        }
        Job::NotFound => (s.words.get("not_found"), None),
        Job::Search => {
            ctx.insert("az_list", AZ_LIST);
            (s.words.get("search"), None)
        }
    }
}

/// `fill_context` for page `i` of content/; the front page lists the
/// latest case studies, the editor's highlights and the numbers counted
/// from the case studies.
fn page_context<'a>(s: &'a Shared, i: usize, ctx: &mut Context) -> (String, Option<&'a [usize]>) {
    let p = &s.site.pages[i];
    ctx.insert("page", &page_view(s, i));
    if p.kind != PageKind::Front {
        return (p.title.clone(), None);
    }
    let latest = &s.cases_newest[..s.cases_newest.len().min(6)];
    ctx.insert("stats", &front_stats(s.site, s.cases_newest.len()));
    ctx.insert("highlights", &s.site.highlights);
    ctx.insert("case_list", CASE_LIST);
    ctx.insert(
        "latest",
        &latest.iter().filter_map(|&i| s.items[i].summary.clone()).collect::<Vec<_>>(),
    );
    (p.title.clone(), Some(latest))
}

/// `fill_context` for term `k` of taxonomy `t`: a company's page shows its
/// response in each case, other terms list their cases.
fn term_context<'a>(
    s: &'a Shared,
    t: usize,
    k: usize,
    ctx: &mut Context,
) -> (String, Option<&'a [usize]>) {
    let site = s.site;
    let tax = &site.taxonomies[t];
    let term = &tax.terms[k];
    // The taxonomy without its term list: a term page must not carry
    // every other term, or companies' pages grow quadratic.
    let view = &s.taxonomy_views[t];
    ctx.insert("taxonomy", &context::TaxonomyHead::of(view));
    ctx.insert("term", &view.terms[k]);
    if tax.name != "companies" {
        ctx.insert("case_count", &term.cases.len());
        ctx.insert("case_list", CASE_LIST);
        return (term.name.clone(), Some(&term.cases));
    }
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
    (term.name.clone(), None)
}

/// The view of page `i` of content/.
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
        has_figures: places_figure(site, i),
    }
}

/// Does page `i` of content/ place a figure?
fn places_figure(site: &Site, i: usize) -> bool {
    site.fills[i].iter().any(|fill| matches!(fill, Fill::Figure(_)))
}

/// The body of page `i` with its holes filled, its figures placed as `placement` says.
fn body(s: &Shared, i: usize, html: &str, placement: Placement) -> String {
    let site = s.site;
    fill_holes(html, |n| match site.fills[i].get(n) {
        Some(Fill::Href(url)) => escape_html(url),
        Some(Fill::Text(t)) => escape_html(t),
        Some(Fill::Figure(f)) => {
            figure_block(site, &site.figures[*f], &s.svgs[*f], &s.words, placement)
        }
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
#[derive(Serialize, Hash)]
pub(super) struct FrontStats {
    cases: usize,
    companies: usize,
    approaches: usize,
    responded: usize,
    settled: usize,
    rate: Option<u32>,
    /// The rate as the page's language writes it ("58%", "58 %").
    rate_display: String,
    /// What the numbers are counted from ("Counted from the 6 case studies
    /// on this site."), shown when the editor chose no highlights.
    counted_from: String,
}

/// The front page's numbers, counted from the case studies of `site`
/// (`cases` of them).
pub(super) fn front_stats(site: &Site, cases: usize) -> FrontStats {
    let numbers = site.words.numbers();
    let mut st = FrontStats {
        cases,
        companies: 0,
        approaches: 0,
        responded: 0,
        settled: 0,
        rate: None,
        rate_display: "–".to_string(),
        counted_from: site
            .words
            .get("counted_from_cases")
            .replace("{n}", &numbers.number(cases as f64)),
    };
    if let Some(companies) = site.taxonomies.iter().find(|t| t.name == "companies") {
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
        st.rate_display = numbers.percent(st.responded as f64 / st.settled as f64);
    }
    st
}
