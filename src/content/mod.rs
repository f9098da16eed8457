//! Pages: the front page, chapters and case studies. `parse` turns one
//! Markdown file into a `Page` (front matter checked against the config's
//! vocabularies, body rendered with holes) and the diagnostics it found.

mod case;
mod date;
pub mod front_matter;
mod highlight;
pub mod markdown;
pub mod shortcode;

use std::ops::Range;

use serde::Serialize;

use crate::config::Config;
use crate::diag::{Code, Diagnostic, Place};
use crate::slug::{is_slug, slugify};
pub use case::{Case, Company, Response, Source};
pub use date::{Date, Precision};
use front_matter::{FrontMatter, Split, SplitError};
pub use highlight::{Highlight, ValueName};
pub use markdown::{Heading, Hole, Need, Rendered};

/// What kind of page a file is, from where it lies in content/.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// content/index.md
    Front,
    /// content/<chapter>.md
    Chapter,
    /// content/cases/<case>.md
    Case,
}

/// A page of the briefing, parsed and checked on its own (the product of a file).
#[derive(Debug, Clone)]
pub struct Page {
    /// Front page, chapter or case study.
    pub kind: PageKind,
    /// The source path relative to the site root (`content/cases/x.md`).
    pub source: String,
    /// The path relative to content/, as `@/` links name it (`cases/x.md`).
    pub key: String,
    /// The last segment of the page's address.
    pub slug: String,
    /// The output folder relative to the site root (`cases/x/`; empty for the front page).
    pub path: String,
    /// The title (the book's title for a front page without one).
    pub title: String,
    /// The meta description, if the author wrote one.
    pub description: Option<String>,
    /// Orders chapters.
    pub weight: i64,
    /// Is this a draft?
    pub(crate) is_draft: bool,
    /// What only case studies have.
    pub case: Option<Case>,
    /// The front page's key numbers (`[[highlights]]`; a translation
    /// inherits its original's unless it gives its own).
    pub highlights: Vec<Highlight>,
    /// The rendered body with its holes.
    pub body: Rendered,
    /// Where the page's address is decided (its `slug` key, or the file's top), for clashes.
    pub(crate) slug_at: Place,
    /// In another language's site: the page is not translated and shows the
    /// default language's text (with a notice).
    pub(crate) fallback: bool,
    /// A hash of what the page was made from (its path and text, and its
    /// original's for a translation): equal fingerprints, same page, which
    /// lets `serve` keep what it rendered from it.
    pub(crate) fingerprint: u64,
}

/// The output folders the site itself uses, which a chapter's slug may not take.
const RESERVED_SLUGS: [&str; 12] = [
    "cases",
    "figures",
    "data",
    "areas",
    "issues",
    "regions",
    "companies",
    "search",
    "print",
    "static",
    "404",
    "atom",
];

/// Parses the file `key` (relative to content/) whose text is `src`.
///
/// Returns the page, if it could be made, and every problem found.
pub fn parse(key: &str, src: &str, config: &Config) -> (Option<Page>, Vec<Diagnostic>) {
    parse_file(key, format!("content/{key}"), src, config, None)
}

/// Parses `src`, the text of `source` (`content/cases/x.fr.md`), as the
/// translation of `original` into `config`'s language: every front-matter key
/// it leaves out is inherited from the original; its body is its own.
pub(crate) fn parse_translation(
    source: &str,
    src: &str,
    original: &Page,
    config: &Config,
) -> (Option<Page>, Vec<Diagnostic>) {
    parse_file(&original.key, source.to_string(), src, config, Some(original))
}

/// Fills the keys a translation leaves out from its original. The inherited
/// values were checked in the original, so their (empty) spans never show.
fn inherit(fm: &mut FrontMatter, original: &Page) {
    use toml::Spanned;
    let here = |s: String| Spanned::new(0..0, s);
    if fm.title.is_none() && original.kind != PageKind::Front {
        fm.title = Some(here(original.title.clone()));
    }
    if fm.slug.is_none() {
        fm.slug = Some(here(original.slug.clone()));
    }
    if fm.description.is_none() {
        fm.description.clone_from(&original.description);
    }
    if fm.weight.is_none() {
        fm.weight = Some(original.weight);
    }
    fm.draft |= original.is_draft;
    let Some(case) = &original.case else { return };
    if fm.date.is_none() {
        fm.date = Some(Spanned::new(0..0, case::date_value(case.date)));
    }
    if fm.summary.is_none() {
        fm.summary = Some(here(case.summary.clone()));
    }
    if fm.area.is_none() {
        fm.area = Some(here(case.area.clone()));
    }
    if fm.issues.is_empty() {
        fm.issues = case.issues.iter().cloned().map(here).collect();
    }
    if fm.regions.is_empty() {
        fm.regions = case.regions.iter().cloned().map(here).collect();
    }
    if fm.companies.is_empty() {
        fm.companies = case
            .companies
            .iter()
            .map(|c| {
                Spanned::new(
                    0..0,
                    front_matter::CompanySpec {
                        name: here(c.name.clone()),
                        hq: c.hq.clone(),
                        response: here(c.response.as_str().to_string()),
                        response_url: c.response_url.clone().map(here),
                    },
                )
            })
            .collect();
    }
    if fm.sources.is_empty() {
        fm.sources = case
            .sources
            .iter()
            .map(|s| front_matter::SourceSpec {
                title: s.title.clone(),
                url: s.url.clone().map(here),
            })
            .collect();
    }
}

/// Where a part of a page file (its front matter or its body) stands: the
/// file's path and text, and the part's offset in it, so that its spans
/// become the file's.
struct InFile<'a> {
    source: &'a str,
    src: &'a str,
    offset: usize,
}

impl InFile<'_> {
    /// A span of the part as a span of the file.
    fn span(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.offset..span.end + self.offset
    }

    /// An error at a span of the part.
    fn error(&self, code: Code, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, self.source, self.src, self.span(span), message)
    }

    /// An error about the front matter as a whole, at its opening `+++`.
    fn top_error(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, self.source, self.src, 0..3, message)
    }

    /// A warning about the front matter as a whole, at its opening `+++`.
    fn top_warning(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(code, self.source, self.src, 0..3, message)
    }
}

/// Parses a page file: its kind, front matter, address, title, case study
/// and body, each checked, as the stages of `parse` and `parse_translation`.
fn parse_file(
    key: &str,
    source: String,
    src: &str,
    config: &Config,
    original: Option<&Page>,
) -> (Option<Page>, Vec<Diagnostic>) {
    let kind = page_kind(key);
    let (fm, split) = match front_matter(&source, src, original) {
        Ok(found) => found,
        Err(diags) => return (None, diags),
    };
    let mut diags = Vec::new();
    let file = InFile { source: &source, src, offset: split.front_offset };
    let slug = slug(&fm, kind, key, &file, &mut diags);
    let title = title(&fm, kind, config, &file, &mut diags);
    let highlights = match original {
        Some(o) if fm.highlights.is_empty() => o.highlights.clone(),
        _ => highlight::highlights(&fm.highlights, &file, &mut diags),
    };
    if kind != PageKind::Front
        && let Some(first) = fm.highlights.first()
    {
        diags.push(
            file.error(
                Code::MisplacedKey,
                first.span(),
                "`highlights` are only used on the front page",
            )
            .with_help("move them to content/index.md"),
        );
    }
    let case = if kind == PageKind::Case {
        case::parse_case(&fm, &file, config, &mut diags)
    } else {
        warn_case_keys(&fm, &file, &mut diags);
        None
    };
    let slug_at = match &fm.slug {
        Some(s) => Place::of(&source, src, file.span(s.span())),
        None => Place::of(&source, src, 0..0),
    };
    let body = markdown::render(&source, src, split.body_offset, kind != PageKind::Case);
    diags.extend(body.diags.iter().cloned());
    let fingerprint = crate::hash::of((&source, src, original.map(|o| o.fingerprint)));
    let page = Page {
        kind,
        source,
        key: key.to_string(),
        path: output_path(kind, &slug),
        slug,
        title,
        description: fm.description.clone(),
        weight: fm.weight.unwrap_or(0),
        is_draft: fm.draft,
        case,
        highlights,
        body,
        slug_at,
        fallback: false,
        fingerprint,
    };
    (Some(page), diags)
}

/// What kind of page the file `key` (relative to content/) is, from where it lies.
fn page_kind(key: &str) -> PageKind {
    if key == "index.md" {
        PageKind::Front
    } else if key.starts_with("cases/") && key.matches('/').count() == 1 {
        PageKind::Case
    } else {
        PageKind::Chapter
    }
}

/// The front matter of `src`, parsed (and completed from the original of a
/// translation), and where it and the body are.
///
/// # Errors
/// A file that does not start with closed front matter, or whose front
/// matter is not valid TOML of the right shape: nothing more can be checked.
fn front_matter<'s>(
    source: &str,
    src: &'s str,
    original: Option<&Page>,
) -> Result<(FrontMatter, Split<'s>), Vec<Diagnostic>> {
    let split = match front_matter::split(src) {
        Ok(s) => s,
        Err(SplitError::Missing) => {
            return Err(vec![
                Diagnostic::error(Code::NoFrontMatter, source, src, 0..0, "the file does not start with front matter")
                    .with_help("start the file with a line `+++`, the TOML front matter, and another line `+++`"),
            ]);
        }
        Err(SplitError::Unclosed) => {
            return Err(vec![
                Diagnostic::error(
                    Code::NoFrontMatter,
                    source,
                    src,
                    0..3,
                    "the front matter is not closed",
                )
                .with_help("end the front matter with a line holding only `+++`"),
            ]);
        }
    };
    let mut fm: FrontMatter = crate::schema::parse(
        source,
        src,
        split.front,
        split.front_offset,
        &crate::schema::FRONT_MATTER,
    )?;
    if let Some(original) = original {
        inherit(&mut fm, original);
    }
    Ok((fm, split))
}

/// The page's slug: its `slug` key (made valid if it is not) or the file
/// name's; a chapter may not take an address the site itself uses.
fn slug(
    fm: &FrontMatter,
    kind: PageKind,
    key: &str,
    file: &InFile,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let stem = key.rsplit('/').next().unwrap_or(key).trim_end_matches(".md");
    let slug = match &fm.slug {
        Some(s) if !is_slug(s.get_ref()) => {
            diags.push(
                file.error(
                    Code::BadSlug,
                    s.span(),
                    format!("slug {:?} is not a valid slug", s.get_ref()),
                )
                .with_help(format!(
                    "use lowercase letters, digits and single hyphens, such as {:?}",
                    slugify(s.get_ref())
                )),
            );
            slugify(s.get_ref())
        }
        Some(s) => s.get_ref().clone(),
        None => slugify(stem),
    };
    let slug = if slug.is_empty() { "page".to_string() } else { slug };
    if kind == PageKind::Chapter && RESERVED_SLUGS.contains(&slug.as_str()) {
        let span = fm.slug.as_ref().map_or(0..0, |s| file.span(s.span()));
        diags.push(
            Diagnostic::error(
                Code::BadSlug,
                file.source,
                file.src,
                span,
                format!("the chapter's address {slug:?} is used by the site itself"),
            )
            .with_help("give the chapter another `slug`"),
        );
    }
    slug
}

/// The output folder of a page with this slug, relative to the site root.
fn output_path(kind: PageKind, slug: &str) -> String {
    match kind {
        PageKind::Front => String::new(),
        PageKind::Chapter => format!("{slug}/"),
        PageKind::Case => format!("cases/{slug}/"),
    }
}

/// The page's title: required and not empty, except that a front page
/// without one takes the book's.
fn title(
    fm: &FrontMatter,
    kind: PageKind,
    config: &Config,
    file: &InFile,
    diags: &mut Vec<Diagnostic>,
) -> String {
    match (&fm.title, kind) {
        (Some(t), _) if t.get_ref().trim().is_empty() => {
            diags.push(
                file.error(Code::EmptyText, t.span(), "the title is empty")
                    .with_help("write the page's title"),
            );
            String::new()
        }
        (Some(t), _) => t.get_ref().clone(),
        (None, PageKind::Front) => config.book.title.clone(),
        (None, _) => {
            diags.push(
                file.top_error(Code::MissingField, "missing key `title`")
                    .with_help("add `title = \"...\"` to the front matter"),
            );
            String::new()
        }
    }
}

/// Warns about the keys only case studies use, written on another page.
fn warn_case_keys(fm: &FrontMatter, file: &InFile, diags: &mut Vec<Diagnostic>) {
    for (name, given) in [
        ("date", fm.date.is_some()),
        ("summary", fm.summary.is_some()),
        ("area", fm.area.is_some()),
        ("issues", !fm.issues.is_empty()),
        ("regions", !fm.regions.is_empty()),
        ("companies", !fm.companies.is_empty()),
        ("sources", !fm.sources.is_empty()),
    ] {
        if given {
            diags.push(
                file.top_warning(
                    Code::MisplacedKey,
                    format!("`{name}` is only used on case studies"),
                )
                .with_help("move this page to content/cases/ or remove the key"),
            );
        }
    }
}
