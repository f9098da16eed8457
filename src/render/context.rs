//! The views templates receive: plain serialisable structs built from the
//! `Site`. Every string here is raw text; Tera escapes it on output, except
//! `content` and `block` fields, which are HTML we made.

use serde::Serialize;

use crate::content::{Page, Response};
use crate::data::Numbers;
use crate::i18n::Words;
use crate::site::Site;
use crate::taxonomy::{Record, Taxonomy, Term};

/// A title and an address.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Link text.
    pub title: String,
    /// Site-relative URL (starting with the base path).
    pub url: String,
}

/// A term as a link.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct TermLink {
    /// The term.
    pub name: String,
    /// Its page.
    pub url: String,
    /// Its slug, the same in every language (for filters).
    pub slug: String,
}

/// A company in one case.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct CompanyInCase {
    /// Its name.
    pub name: String,
    /// Its page.
    pub url: String,
    /// Headquarters.
    pub hq: Option<String>,
    /// `responded`, `declined`, `no-response` or `pending`.
    pub response: &'static str,
    /// Where the response can be read.
    pub response_url: Option<String>,
}

/// A case study as lists show it.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct CaseSummary {
    /// Its title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// ISO date, as precise as written (`2018-07-01`, `2018-07` or `2018`),
    /// for `<time datetime>`.
    pub date: String,
    /// The year alone (for filters).
    pub year: u16,
    /// The date for readers.
    pub(crate) date_display: String,
    /// The summary.
    pub summary: String,
    /// Its area.
    pub area: TermLink,
    /// Its issues.
    pub issues: Vec<TermLink>,
    /// Its regions.
    pub regions: Vec<TermLink>,
    /// Its companies and their responses.
    pub companies: Vec<CompanyInCase>,
    /// The language of its title and summary, when it differs from the
    /// page's (an untranslated case in another language's lists).
    pub lang: Option<String>,
}

/// A heading in a table of contents.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// The heading's id.
    pub id: String,
    /// Its text.
    pub title: String,
}

/// A page as its own template sees it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageView {
    /// `front`, `chapter` or `case`.
    pub kind: &'static str,
    /// Its title.
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Site-relative URL.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// The body as HTML.
    pub content: String,
    /// Headings of level 2 and 3.
    pub(crate) toc: Vec<TocEntry>,
    /// The previous chapter.
    pub prev: Option<Link>,
    /// The next chapter.
    pub next: Option<Link>,
    /// From the front page down to (not including) this page.
    pub(crate) breadcrumbs: Vec<Link>,
    /// For a case study: its metadata.
    pub case: Option<CaseSummary>,
    /// For a case study: its sources.
    pub sources: Vec<SourceView>,
    /// The source file, relative to the site root.
    pub(crate) source_path: String,
    /// The page is not translated into the site's language: it shows the
    /// default language's text, and the theme says so.
    pub(crate) fallback: bool,
    /// The language of the page's text (`lang` on the content).
    pub(crate) content_lang: String,
    /// Its direction, `ltr` or `rtl`.
    pub(crate) content_dir: &'static str,
    /// The page in every language of the site (empty when there is one).
    pub alternates: Vec<Alternate>,
    /// The image that previews the page when it is shared: a figure page's
    /// figure, or the first figure a page places.
    pub image: Option<Image>,
    /// The page places a figure (its notes are opened to print by `briefing.js`).
    pub(crate) has_figures: bool,
}

/// A preview image.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Image {
    /// Absolute URL.
    pub url: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// What it shows.
    pub alt: String,
}

/// A page in one language of the site, for switchers and `hreflang`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Alternate {
    /// The language code.
    pub lang: String,
    /// The language's name in itself.
    pub name: String,
    /// Site-relative URL.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Is this the page being rendered?
    pub current: bool,
}

/// A source of a case study.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SourceView {
    /// What it is.
    pub title: String,
    /// Where it is.
    pub url: Option<String>,
}

/// A term with the number of its case studies.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct TermCount {
    /// The term.
    pub name: String,
    /// Its slug.
    pub slug: String,
    /// Its page.
    pub url: String,
    /// How many case studies carry it.
    pub count: usize,
}

/// A taxonomy as index pages see it.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct TaxonomyView {
    /// `areas`, `issues`, `regions` or `companies`.
    pub name: &'static str,
    /// The address parameter that filters by it (`area`, `issue`...).
    pub(crate) param: &'static str,
    /// Its title for readers ("Areas of activity").
    pub title: String,
    /// The singular for readers ("Area").
    pub(crate) singular: String,
    /// Its index page.
    pub url: String,
    /// Its terms.
    pub terms: Vec<TermCount>,
}

/// A taxonomy without its terms, as a term page sees it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TaxonomyHead<'a> {
    /// `areas`, `issues`, `regions` or `companies`.
    pub name: &'a str,
    /// Its title for readers.
    pub title: &'a str,
    /// The singular for readers.
    pub(crate) singular: &'a str,
    /// Its index page.
    pub url: &'a str,
}

impl<'a> TaxonomyHead<'a> {
    /// The head of `view`.
    pub(crate) fn of(view: &'a TaxonomyView) -> Self {
        TaxonomyHead {
            name: view.name,
            title: &view.title,
            singular: &view.singular,
            url: &view.url,
        }
    }
}

/// A company's row in the response tracker, and the head of its page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CompanyView {
    /// Its name.
    pub name: String,
    /// Its page.
    pub url: String,
    /// Counts by response.
    pub record: Record,
    /// Response rate as a whole percentage, if any approach is settled.
    pub rate: Option<u32>,
    /// The same, written for readers ("58%" or "–").
    pub(crate) rate_display: String,
}

/// One case of a company's record.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CompanyCase<'a> {
    /// The case's title.
    pub title: &'a str,
    /// Its page.
    pub url: &'a str,
    /// ISO date, as precise as written.
    pub date: &'a str,
    /// The date for readers.
    pub(crate) date_display: &'a str,
    /// How the company responded there.
    pub response: &'static str,
    /// Where that response can be read.
    pub response_url: Option<String>,
}

/// Page `p`'s summary in lists, if it is a case study.
pub(crate) fn case_summary(site: &Site, p: &Page, words: &Words) -> Option<CaseSummary> {
    let c = p.case.as_ref()?;
    let term = |taxonomy: &str, name: &str| {
        let slug = crate::slug::slugify(name);
        TermLink {
            name: site.config.term_name(name).to_string(),
            url: site.config.url(&format!("{taxonomy}/{slug}/")),
            slug,
        }
    };
    Some(CaseSummary {
        title: p.title.clone(),
        url: site.config.url(&p.path),
        date: c.date.iso(),
        year: c.date.year,
        date_display: words.date(c.date),
        summary: c.summary.clone(),
        area: term("areas", &c.area),
        issues: c.issues.iter().map(|t| term("issues", t)).collect(),
        regions: c.regions.iter().map(|t| term("regions", t)).collect(),
        companies: c
            .companies
            .iter()
            .map(|co| CompanyInCase {
                name: co.name.clone(),
                url: site.config.url(&format!("companies/{}/", co.slug)),
                hq: co.hq.clone(),
                response: co.response.as_str(),
                response_url: co.response_url.clone(),
            })
            .collect(),
        lang: p.fallback.then(|| site.lang.all[0].code.clone()),
    })
}

/// A taxonomy's view with its term counts.
pub(crate) fn taxonomy_view(site: &Site, t: &Taxonomy, words: &Words) -> TaxonomyView {
    TaxonomyView {
        name: t.name,
        param: t.name.strip_suffix('s').unwrap_or(t.name),
        title: words.get(&format!("taxonomy_{}", t.name)),
        singular: words.get(&format!("taxonomy_{}_one", t.name)),
        url: site.config.url(&format!("{}/", t.name)),
        terms: t
            .terms
            .iter()
            .map(|term| TermCount {
                name: term.name.clone(),
                slug: term.slug.clone(),
                url: site.config.url(&format!("{}/{}/", t.name, term.slug)),
                count: term.cases.len(),
            })
            .collect(),
    }
}

/// A company's view from its term.
pub(crate) fn company_view(site: &Site, term: &Term, numbers: &Numbers) -> CompanyView {
    let record = term.record.clone().unwrap_or_default();
    let rate = record.rate().map(|r| (r * 100.0).round() as u32);
    CompanyView {
        name: term.name.clone(),
        url: site.config.url(&format!("companies/{}/", term.slug)),
        rate_display: record.rate().map_or_else(|| "–".to_string(), |r| numbers.percent(r)),
        rate,
        record,
    }
}

/// How a company responded in the case at page `i`.
pub(crate) fn response_in(site: &Site, i: usize, company_slug: &str) -> (Response, Option<String>) {
    site.pages[i]
        .case
        .as_ref()
        .and_then(|c| c.companies.iter().find(|co| co.slug == company_slug))
        .map_or((Response::Pending, None), |co| (co.response, co.response_url.clone()))
}
