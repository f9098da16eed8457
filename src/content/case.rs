//! Case studies: the front matter only case studies have (date, summary,
//! area, issues, regions, companies, sources), checked against the config's
//! vocabularies by `parse_case`, a stage of `content::parse`.

use serde::Serialize;
use toml::Spanned;

use super::InFile;
use super::date::{Date, DateError, Precision};
use super::front_matter::{CompanySpec, FrontMatter};
use crate::config::Config;
use crate::diag::{Code, Diagnostic, suggest};
use crate::slug::slugify;

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
    pub(crate) const ALL: [Response; 4] =
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

/// The case study of the front matter `fm`, if its keys pass their checks;
/// every problem is reported into `diags`.
pub(super) fn parse_case(
    fm: &FrontMatter,
    file: &InFile,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Option<Case> {
    let before = diags.len();
    let date = date(fm, file, diags);
    let summary = summary(fm, file, diags);
    let area = match &fm.area {
        None => {
            diags.push(missing(file, "area", "\"Manufacturing/assembly\""));
            None
        }
        Some(a) => Some(check_term(file, config, "areas", "area", a, diags)),
    };
    let issues: Vec<String> =
        fm.issues.iter().map(|t| check_term(file, config, "issues", "issue", t, diags)).collect();
    let regions: Vec<String> = fm
        .regions
        .iter()
        .map(|t| check_term(file, config, "regions", "region", t, diags))
        .collect();
    let companies = companies(fm, file, config, diags);
    let sources = fm
        .sources
        .iter()
        .map(|s| Source {
            title: s.title.clone(),
            url: s.url.as_ref().map(|u| check_url(u, file, diags)),
        })
        .collect();
    if diags[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(Case { date: date?, summary: summary?, area: area?, issues, regions, companies, sources })
}

/// The error for a key every case study needs, at the top of the file.
fn missing(file: &InFile, key: &str, example: &str) -> Diagnostic {
    file.top_error(Code::MissingField, format!("missing key `{key}`"))
        .with_help(format!("case studies need `{key}`, such as `{key} = {example}`"))
}

/// The accepted forms of `date`, for the help line of its errors.
const DATE_FORMS: &str = "write a day as date = 2018-07-01 (no quotes), or, when the source gives \
no day, a month as date = \"2018-07\" or a year as date = \"2018\"";

/// The date of the allegation: a TOML date with no time, or a month
/// (`"2018-07"`) or a year (`"2018"`) written as text.
fn date(fm: &FrontMatter, file: &InFile, diags: &mut Vec<Diagnostic>) -> Option<Date> {
    let Some(d) = &fm.date else {
        diags.push(missing(file, "date", "2018-07-01"));
        return None;
    };
    let error = match d.get_ref() {
        toml::Value::Datetime(dt) => match (dt.date, dt.time) {
            (Some(day), None) => return Some(Date::of_day(day.year, day.month, day.day)),
            _ => file
                .error(Code::BadDate, d.span(), "the date must be a plain date")
                .with_help("write it as 2018-07-01, with no time"),
        },
        toml::Value::String(text) => match Date::parse(text) {
            Ok(date) => return Some(date),
            Err(DateError::DayAsText) => file
                .error(Code::BadDate, d.span(), format!("the date {text:?} is written as text"))
                .with_help(format!("write a day without quotes: date = {text}")),
            Err(DateError::NoSuchMonth(m)) => file
                .error(Code::BadDate, d.span(), format!("the date {text:?} has no month {m}"))
                .with_help(DATE_FORMS),
            Err(DateError::Form) => file
                .error(Code::BadDate, d.span(), format!("{text:?} is not a date"))
                .with_help(DATE_FORMS),
        },
        other => file
            .error(Code::BadDate, d.span(), format!("expected a date, found {}", other.type_str()))
            .with_help(DATE_FORMS),
    };
    diags.push(error);
    None
}

/// The value `date` has in front matter, for a translation that inherits it.
pub(super) fn date_value(date: Date) -> toml::Value {
    match date.precision {
        Precision::Day => toml::Value::Datetime(toml::value::Datetime {
            date: Some(toml::value::Date { year: date.year, month: date.month, day: date.day }),
            time: None,
            offset: None,
        }),
        Precision::Month | Precision::Year => toml::Value::String(date.iso()),
    }
}

/// The plain-text summary, which may not be empty.
fn summary(fm: &FrontMatter, file: &InFile, diags: &mut Vec<Diagnostic>) -> Option<String> {
    match &fm.summary {
        None => {
            diags.push(missing(file, "summary", "\"One or two plain sentences.\""));
            None
        }
        Some(s) if s.get_ref().trim().is_empty() => {
            diags.push(
                file.error(Code::EmptyText, s.span(), "the summary is empty")
                    .with_help("write one or two plain sentences"),
            );
            None
        }
        Some(s) => Some(s.get_ref().clone()),
    }
}

/// A term of the taxonomy `taxonomy`, checked against its vocabulary in
/// book.toml (if it has one) and for having an address.
fn check_term(
    file: &InFile,
    config: &Config,
    taxonomy: &str,
    singular: &str,
    term: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let t = term.get_ref();
    if let Some(known) = config.vocabularies.get(taxonomy)
        && !known.iter().any(|k| k == t)
    {
        diags.push(
            file.error(Code::UnknownTerm, term.span(), format!("unknown {singular} {t:?}"))
                .with_help(
                    suggest(t, taxonomy, known) + " (as listed under [taxonomies] in book.toml)",
                ),
        );
    }
    if slugify(t).is_empty() {
        diags.push(file.error(
            Code::TermWithoutLetters,
            term.span(),
            format!("the {singular} {t:?} has no letters or digits"),
        ));
    }
    t.clone()
}

/// The companies approached, each listed once, with its response.
fn companies(
    fm: &FrontMatter,
    file: &InFile,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Company> {
    let mut companies: Vec<Company> = Vec::new();
    for c in &fm.companies {
        let c = c.get_ref();
        let name = check_term(file, config, "companies", "company", &c.name, diags);
        let response = response(c, file, diags);
        let slug = slugify(&name);
        if let Some(first) = companies.iter().find(|o| o.slug == slug) {
            diags.push(
                file.error(
                    Code::DuplicateCompany,
                    c.name.span(),
                    format!("company {name:?} is listed twice in this case"),
                )
                .with_help(format!(
                    "it has the same address as {:?}; list each company once",
                    first.name
                )),
            );
        }
        let response_url = c.response_url.as_ref().map(|u| check_url(u, file, diags));
        companies.push(Company { name, slug, hq: c.hq.clone(), response, response_url });
    }
    companies
}

/// How the company responded, from the word written (unknown: pending, reported).
fn response(c: &CompanySpec, file: &InFile, diags: &mut Vec<Diagnostic>) -> Response {
    let written = c.response.get_ref().as_str();
    if let Some(r) = Response::ALL.into_iter().find(|r| r.as_str() == written) {
        return r;
    }
    let known: Vec<String> = Response::ALL.iter().map(|r| r.as_str().to_string()).collect();
    diags.push(
        file.error(
            Code::UnknownResponse,
            c.response.span(),
            format!("unknown response {written:?}"),
        )
        .with_help(suggest(written, "responses", &known)),
    );
    Response::Pending
}

/// Checks that an address from front matter is a web address, so that no
/// `javascript:` or relative surprise ends up in an href.
fn check_url(url: &Spanned<String>, file: &InFile, diags: &mut Vec<Diagnostic>) -> String {
    let u = url.get_ref().trim();
    let ok = (u.starts_with("https://") || u.starts_with("http://") || u.starts_with("mailto:"))
        && !u
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
    if !ok {
        diags.push(
            file.error(Code::NotWebAddress, url.span(), format!("{u:?} is not a web address"))
                .with_help(
                    "write a full address starting with https:// (spaces must be written as %20)",
                ),
        );
    }
    u.to_string()
}
