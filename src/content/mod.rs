//! Pages: the front page, chapters and case studies. `parse` turns one
//! Markdown file into a `Page` (front matter checked against the config's
//! vocabularies, body rendered with holes) and the diagnostics it found.

pub mod front_matter;
pub mod markdown;
pub mod shortcode;

use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::config::Config;
use crate::diag::{Diagnostic, Place, suggest};
use crate::slug::{is_slug, slugify};
use front_matter::{FrontMatter, SplitError};
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
    pub is_draft: bool,
    /// What only case studies have.
    pub case: Option<Case>,
    /// The rendered body with its holes.
    pub body: Rendered,
    /// Where the page's address is decided (its `slug` key, or the file's top), for clashes.
    pub slug_at: Place,
    /// In another language's site: the page is not translated and shows the
    /// default language's text (with a notice).
    pub fallback: bool,
    /// A hash of what the page was made from (its path and text, and its
    /// original's for a translation): equal fingerprints, same page, which
    /// lets `serve` keep what it rendered from it.
    pub fingerprint: u64,
}

/// The front matter of a case study, checked.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// When the allegation was made.
    pub date: Date,
    /// A plain-text summary.
    pub summary: String,
    /// The area of activity.
    pub area: String,
    /// The issues raised.
    pub issues: Vec<String>,
    /// Where the abuse took place.
    pub regions: Vec<String>,
    /// The companies approached.
    pub companies: Vec<Company>,
    /// The sources.
    pub sources: Vec<Source>,
}

/// A company approached in a case, and its response.
#[derive(Debug, Clone, Serialize)]
pub struct Company {
    /// The name as written.
    pub name: String,
    /// Its slug (its page is companies/<slug>/).
    pub slug: String,
    /// Where it is headquartered.
    pub hq: Option<String>,
    /// How it responded.
    pub response: Response,
    /// Where the response can be read.
    pub response_url: Option<String>,
}

/// How a company responded to an allegation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Response {
    /// It responded.
    Responded,
    /// It declined to respond.
    Declined,
    /// It did not respond.
    NoResponse,
    /// A response is awaited.
    Pending,
}

impl Response {
    /// All responses, in the order the theme shows them.
    pub const ALL: [Response; 4] =
        [Response::Responded, Response::Declined, Response::NoResponse, Response::Pending];

    /// The word used in front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            Response::Responded => "responded",
            Response::Declined => "declined",
            Response::NoResponse => "no-response",
            Response::Pending => "pending",
        }
    }
}

/// A source of a case study.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// What it is.
    pub title: String,
    /// Where it is.
    pub url: Option<String>,
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    /// The year.
    pub year: u16,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The output folders the site itself uses, which a chapter's slug may not take.
pub const RESERVED_SLUGS: [&str; 12] = [
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
pub fn parse_translation(
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
        let d = case.date;
        let date = toml::value::Date { year: d.year, month: d.month, day: d.day };
        fm.date = Some(Spanned::new(
            0..0,
            toml::value::Datetime { date: Some(date), time: None, offset: None },
        ));
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

fn parse_file(
    key: &str,
    source: String,
    src: &str,
    config: &Config,
    original: Option<&Page>,
) -> (Option<Page>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let kind = if key == "index.md" {
        PageKind::Front
    } else if key.starts_with("cases/") && key.matches('/').count() == 1 {
        PageKind::Case
    } else {
        PageKind::Chapter
    };
    let split = match front_matter::split(src) {
        Ok(s) => s,
        Err(SplitError::Missing) => {
            diags.push(
                Diagnostic::error(&source, src, 0..0, "the file does not start with front matter")
                    .with_help("start the file with a line `+++`, the TOML front matter, and another line `+++`"),
            );
            return (None, diags);
        }
        Err(SplitError::Unclosed) => {
            diags.push(
                Diagnostic::error(&source, src, 0..3, "the front matter is not closed")
                    .with_help("end the front matter with a line holding only `+++`"),
            );
            return (None, diags);
        }
    };
    let mut fm: FrontMatter = match crate::schema::parse(
        &source,
        src,
        split.front,
        split.front_offset,
        &crate::schema::FRONT_MATTER,
    ) {
        Ok(fm) => fm,
        Err(errors) => {
            diags.extend(errors);
            return (None, diags);
        }
    };
    if let Some(original) = original {
        inherit(&mut fm, original);
    }
    let offset = split.front_offset;
    let at = |span: Range<usize>| span.start + offset..span.end + offset;
    let err = |span: Range<usize>, msg: String| Diagnostic::error(&source, src, at(span), msg);
    let whole = 0..3;

    let stem = key.rsplit('/').next().unwrap_or(key).trim_end_matches(".md");
    let slug = match &fm.slug {
        Some(s) if !is_slug(s.get_ref()) => {
            diags.push(
                err(s.span(), format!("slug {:?} is not a valid slug", s.get_ref())).with_help(
                    format!(
                        "use lowercase letters, digits and single hyphens, such as {:?}",
                        slugify(s.get_ref())
                    ),
                ),
            );
            slugify(s.get_ref())
        }
        Some(s) => s.get_ref().clone(),
        None => slugify(stem),
    };
    let slug = if slug.is_empty() { "page".to_string() } else { slug };
    if kind == PageKind::Chapter && RESERVED_SLUGS.contains(&slug.as_str()) {
        let span = fm.slug.as_ref().map_or(0..0, |s| at(s.span()));
        diags.push(
            Diagnostic::error(
                &source,
                src,
                span,
                format!("the chapter's address {slug:?} is used by the site itself"),
            )
            .with_help("give the chapter another `slug`"),
        );
    }
    let path = match kind {
        PageKind::Front => String::new(),
        PageKind::Chapter => format!("{slug}/"),
        PageKind::Case => format!("cases/{slug}/"),
    };

    let title = match (&fm.title, kind) {
        (Some(t), _) if t.get_ref().trim().is_empty() => {
            diags.push(
                err(t.span(), "the title is empty".into()).with_help("write the page's title"),
            );
            String::new()
        }
        (Some(t), _) => t.get_ref().clone(),
        (None, PageKind::Front) => config.book.title.clone(),
        (None, _) => {
            diags.push(
                Diagnostic::error(&source, src, whole.clone(), "missing key `title`")
                    .with_help("add `title = \"...\"` to the front matter"),
            );
            String::new()
        }
    };

    let case = if kind == PageKind::Case {
        parse_case(&fm, &source, src, offset, config, &mut diags)
    } else {
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
                    Diagnostic::warning(
                        &source,
                        src,
                        whole.clone(),
                        format!("`{name}` is only used on case studies"),
                    )
                    .with_help("move this page to content/cases/ or remove the key"),
                );
            }
        }
        None
    };

    let slug_at = match &fm.slug {
        Some(s) => Place::of(&source, src, at(s.span())),
        None => Place::of(&source, src, 0..0),
    };
    let body = markdown::render(&source, src, split.body_offset, kind != PageKind::Case);
    diags.extend(body.diags.iter().cloned());
    let fingerprint = crate::hash::of((&source, src, original.map(|o| o.fingerprint)));
    let page = Page {
        kind,
        source,
        key: key.to_string(),
        slug,
        path,
        title,
        description: fm.description.clone(),
        weight: fm.weight.unwrap_or(0),
        is_draft: fm.draft,
        case,
        body,
        slug_at,
        fallback: false,
        fingerprint,
    };
    (Some(page), diags)
}

fn parse_case(
    fm: &FrontMatter,
    source: &str,
    src: &str,
    offset: usize,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Option<Case> {
    let at = |span: Range<usize>| span.start + offset..span.end + offset;
    let err = |span: Range<usize>, msg: String| Diagnostic::error(source, src, at(span), msg);
    let missing = |key: &str, example: &str| {
        Diagnostic::error(source, src, 0..3, format!("missing key `{key}`"))
            .with_help(format!("case studies need `{key}`, such as `{key} = {example}`"))
    };
    let before = diags.len();

    let date = match &fm.date {
        None => {
            diags.push(missing("date", "2018-07-01"));
            None
        }
        Some(d) => match (d.get_ref().date, d.get_ref().time) {
            (Some(date), None) => Some(Date { year: date.year, month: date.month, day: date.day }),
            _ => {
                diags.push(
                    err(d.span(), "the date must be a plain date".into())
                        .with_help("write it as 2018-07-01, with no time"),
                );
                None
            }
        },
    };
    let summary = match &fm.summary {
        None => {
            diags.push(missing("summary", "\"One or two plain sentences.\""));
            None
        }
        Some(s) if s.get_ref().trim().is_empty() => {
            diags.push(
                err(s.span(), "the summary is empty".into())
                    .with_help("write one or two plain sentences"),
            );
            None
        }
        Some(s) => Some(s.get_ref().clone()),
    };

    let check_term = |diags: &mut Vec<Diagnostic>,
                      taxonomy: &str,
                      singular: &str,
                      term: &toml::Spanned<String>|
     -> String {
        let t = term.get_ref();
        if let Some(known) = config.vocabularies.get(taxonomy)
            && !known.iter().any(|k| k == t)
        {
            diags.push(err(term.span(), format!("unknown {singular} {t:?}")).with_help(
                suggest(t, taxonomy, known) + " (as listed under [taxonomies] in book.toml)",
            ));
        }
        if slugify(t).is_empty() {
            diags.push(err(term.span(), format!("the {singular} {t:?} has no letters or digits")));
        }
        t.clone()
    };
    let area = match &fm.area {
        None => {
            diags.push(missing("area", "\"Manufacturing/assembly\""));
            None
        }
        Some(a) => Some(check_term(diags, "areas", "area", a)),
    };
    let issues: Vec<String> =
        fm.issues.iter().map(|t| check_term(diags, "issues", "issue", t)).collect();
    let regions: Vec<String> =
        fm.regions.iter().map(|t| check_term(diags, "regions", "region", t)).collect();

    let mut companies: Vec<Company> = Vec::new();
    for c in &fm.companies {
        let c = c.get_ref();
        let name = check_term(diags, "companies", "company", &c.name);
        let response = match c.response.get_ref().as_str() {
            "responded" => Response::Responded,
            "declined" => Response::Declined,
            "no-response" => Response::NoResponse,
            "pending" => Response::Pending,
            other => {
                let known: Vec<String> =
                    Response::ALL.iter().map(|r| r.as_str().to_string()).collect();
                diags.push(
                    err(c.response.span(), format!("unknown response {other:?}"))
                        .with_help(suggest(other, "responses", &known)),
                );
                Response::Pending
            }
        };
        let slug = slugify(&name);
        if let Some(first) = companies.iter().find(|o| o.slug == slug) {
            diags.push(
                err(c.name.span(), format!("company {name:?} is listed twice in this case"))
                    .with_help(format!(
                        "it has the same address as {:?}; list each company once",
                        first.name
                    )),
            );
        }
        let response_url =
            c.response_url.as_ref().map(|u| check_url(u, source, src, offset, diags));
        companies.push(Company { name, slug, hq: c.hq.clone(), response, response_url });
    }
    let sources = fm
        .sources
        .iter()
        .map(|s| Source {
            title: s.title.clone(),
            url: s.url.as_ref().map(|u| check_url(u, source, src, offset, diags)),
        })
        .collect();

    if diags[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(Case { date: date?, summary: summary?, area: area?, issues, regions, companies, sources })
}

/// Checks that an address from front matter is a web address, so that no
/// `javascript:` or relative surprise ends up in an href.
fn check_url(
    url: &toml::Spanned<String>,
    source: &str,
    src: &str,
    offset: usize,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let u = url.get_ref().trim();
    let ok = (u.starts_with("https://") || u.starts_with("http://") || u.starts_with("mailto:"))
        && !u
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
    if !ok {
        let span = url.span().start + offset..url.span().end + offset;
        diags.push(
            Diagnostic::error(source, src, span, format!("{u:?} is not a web address")).with_help(
                "write a full address starting with https:// (spaces must be written as %20)",
            ),
        );
    }
    u.to_string()
}
