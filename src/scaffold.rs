//! `briefing init DIR` and `briefing new case "Title"`: files that show
//! editors every key with a short comment, and that build as they are.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result, bail};

use crate::content::Date;
use crate::slug::slugify;

/// Writes a new case study into `root`/content/cases/ and returns its path.
/// Its terms come from the site's own `[taxonomies]`, so that it builds.
///
/// # Errors
/// When `root` has no content/ folder, the title has no letters, or the file cannot be written.
pub(crate) fn new_case(root: &Path, title: &str) -> Result<PathBuf> {
    let cases = root.join("content").join("cases");
    let book = root.join("book.toml");
    if !book.is_file() {
        bail!(
            "{} has no book.toml: run `briefing new case` in a site's folder, or pass --root",
            root.display()
        );
    }
    let base = slugify(title);
    if base.is_empty() {
        bail!("the title {title:?} has no letters or digits to make an address from");
    }
    let text =
        fs::read_to_string(&book).with_context(|| format!("cannot read {}", book.display()))?;
    // A book.toml with mistakes gives no vocabularies: the terms are then
    // left commented out, to be written once it is fixed.
    let terms = match crate::config::parse(text.trim_start_matches('\u{feff}')) {
        Ok(config) => Terms::of(&config.vocabularies),
        Err(_) => Terms::unknown(),
    };
    fs::create_dir_all(&cases).with_context(|| format!("cannot create {}", cases.display()))?;
    let mut slug = base.clone();
    let mut n = 1;
    while cases.join(format!("{slug}.md")).exists() {
        n += 1;
        slug = format!("{base}-{n}");
    }
    let path = cases.join(format!("{slug}.md"));
    fs::write(&path, case_template(title, today(), &terms))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// The terms a new case study is written with, one per taxonomy.
pub(crate) struct Terms {
    area: Term,
    issue: Term,
    region: Term,
    company: Term,
}

/// A term of a new case study, from its taxonomy.
enum Term {
    /// The first term of a closed vocabulary.
    First(String),
    /// The vocabulary is open (book.toml lists none): an example.
    Example(&'static str),
    /// The vocabulary is closed but empty, or unknown: commented out.
    Unknown,
}

impl Terms {
    /// The first term of each vocabulary of the site (an example for an open one).
    pub(crate) fn of(vocabularies: &BTreeMap<String, Vec<String>>) -> Terms {
        let term = |name: &str, example: &'static str| match vocabularies.get(name) {
            Some(terms) => terms.first().map_or(Term::Unknown, |t| Term::First(t.clone())),
            None => Term::Example(example),
        };
        Terms {
            area: term("areas", "Manufacturing/assembly"),
            issue: term("issues", "Labour rights"),
            region: term("regions", "Global / multi-region"),
            company: term("companies", "Example Company"),
        }
    }

    /// No vocabulary known (book.toml could not be read): every term commented out.
    fn unknown() -> Terms {
        Terms {
            area: Term::Unknown,
            issue: Term::Unknown,
            region: Term::Unknown,
            company: Term::Unknown,
        }
    }
}

/// The lines of a front-matter key whose value is a term of `taxonomy`
/// (a list when `list`): a comment, then the key, commented out when no
/// term is known.
fn term_lines(key: &str, term: &Term, taxonomy: &str, what: &str, list: bool) -> String {
    let quoted = |t: &str| {
        let q = toml::Value::String(t.to_string()).to_string();
        if list { format!("[{q}]") } else { q }
    };
    match term {
        Term::First(t) => {
            format!("# {what}, from [taxonomies] {taxonomy} in book.toml.\n{key} = {}\n", quoted(t))
        }
        Term::Example(t) => format!(
            "# {what} (book.toml lists no {taxonomy}: any term will do).\n{key} = {}\n",
            quoted(t)
        ),
        Term::Unknown => format!(
            "# {what}, from [taxonomies] {taxonomy} in book.toml, which lists none yet:\n# add one there, then here.\n# {key} = {}\n",
            quoted("...")
        ),
    }
}

/// The text of a new case study.
pub(crate) fn case_template(title: &str, date: Date, terms: &Terms) -> String {
    let title = toml::Value::String(title.to_string()).to_string();
    let area = term_lines("area", &terms.area, "areas", "One area of activity", false);
    let issues =
        term_lines("issues", &terms.issue, "issues", "The human-rights issues raised", true);
    let regions =
        term_lines("regions", &terms.region, "regions", "Where the alleged abuse took place", true);
    // A closed list of companies with none in it: the table is left commented out.
    let companies = match &terms.company {
        Term::First(name) => company_table(&toml::Value::String(name.clone()).to_string(), ""),
        Term::Example(name) => company_table(&format!("{name:?}"), ""),
        Term::Unknown => company_table("\"...\"", "# "),
    };
    format!(
        r#"+++
# The case study's title, as readers see it.
title = {title}
# When the allegation was made: YYYY-MM-DD, or "YYYY-MM" or "YYYY" in quotes
# when the source gives no day.
date = {date}
# One or two plain sentences: lists, feeds and search show them.
summary = "What was alleged, against whom, and whether they responded."
{area}{issues}{regions}# Drafts are built only with --drafts.
draft = true
# Optional: the page's address (default: the file name).
# slug = "a-short-address"
# Optional: a description for search engines (default: the summary).
# description = "..."

{companies}
# One [[sources]] table per source.
[[sources]]
title = "Report by ..., Month YEAR"   # what the source is
url = "https://example.org/report"    # where it can be read
+++

## What was alleged

Write what the allegation says, who made it and when.

## Company responses

Say who responded and how. Link to other pages with [text](@/index.md).
"#
    )
}

/// The `[[companies]]` table of a new case study, each line after `prefix`.
fn company_table(name: &str, prefix: &str) -> String {
    format!(
        r#"# One [[companies]] table per company approached.
{prefix}[[companies]]
{prefix}name = {name}        # required
{prefix}hq = "Europe"                   # optional: where it is headquartered
{prefix}response = "pending"            # required: responded | declined | no-response | pending
# response_url = "https://..."  # optional: where its response can be read
"#
    )
}

/// Today's date where the editor is (the local date, `TZ` honoured), from
/// the system clock; only scaffolding reads the clock. Where the system
/// cannot tell the local date, the date in UTC.
pub(crate) fn today() -> Date {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    local_date(secs).unwrap_or_else(|| civil_from_days((secs / 86_400) as i64))
}

/// The local calendar date `secs` seconds after 1970-01-01 UTC.
#[cfg(unix)]
fn local_date(secs: u64) -> Option<Date> {
    // The type is inferred from localtime_r's parameter: naming it
    // (libc::time_t) is deprecated on musl, whose time_t is changing.
    let t = secs.try_into().ok()?;
    // SAFETY: `tm` is plain data that localtime_r fills; both pointers are
    // valid for the call, and localtime_r keeps neither.
    let tm = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return None;
        }
        tm
    };
    Some(Date::of_day(
        u16::try_from(tm.tm_year + 1900).ok()?,
        u8::try_from(tm.tm_mon + 1).ok()?,
        u8::try_from(tm.tm_mday).ok()?,
    ))
}

/// The local date is not looked up on this system: the caller takes UTC.
#[cfg(not(unix))]
fn local_date(_secs: u64) -> Option<Date> {
    None
}

/// The calendar date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    Date::of_day(year, month, day)
}

/// Makes a small site in `dir` that builds as it is and explains itself.
///
/// # Errors
/// When `dir` exists and is not empty, or a file cannot be written.
pub(crate) fn init(dir: &Path) -> Result<()> {
    if dir.exists() && fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        bail!("{} already exists and is not empty; choose a new folder", dir.display());
    }
    let files: [(&str, String); 6] = [
        ("book.toml", INIT_BOOK.to_string()),
        ("content/index.md", INIT_INDEX.to_string()),
        ("content/findings.md", INIT_CHAPTER.to_string()),
        (
            "content/cases/example-case.md",
            case_template(
                "Example company: what was alleged",
                today(),
                &Terms::of(
                    &crate::config::parse(INIT_BOOK).map(|c| c.vocabularies).unwrap_or_default(),
                ),
            )
            .replace("draft = true", "draft = false"),
        ),
        ("data/responses.toml", INIT_DATA.to_string()),
        ("README.md", INIT_README.to_string()),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

const INIT_BOOK: &str = r#"# The briefing's settings. Every key is explained in briefing's README.
[book]
title = "My briefing"                       # required
subtitle = "Company responses to human rights allegations"
description = "What this briefing is about, in one sentence."
authors = ["Your organisation"]
language = "en"

[site]
base_url = "https://example.org/my-briefing/"   # required: where it will be published
output_dir = "public"
# headers = true   # on Netlify or Cloudflare Pages: write their _headers file of cache lifetimes

[taxonomies]   # the only terms case studies may use; a typo is an error
areas = ["Manufacturing/assembly", "Raw material sourcing"]
issues = ["Labour rights", "Right to privacy"]
regions = ["Global / multi-region", "Asia", "Africa"]
"#;

const INIT_INDEX: &str = r#"+++
description = "The front page: the introduction to the briefing."
+++

This is the front page. Chapters are the other files in `content/`, ordered
by their `weight`; case studies live in `content/cases/`.

Read the [findings](@/findings.md) first.
"#;

const INIT_CHAPTER: &str = r#"+++
title = "Findings"
weight = 10
description = "A chapter, with a figure drawn from data/responses.toml."
+++

## How companies responded

Of the companies approached, {{ value(data="responses", key="rate", format="percent") }}
responded ({{ figref(id="responses") }}).

{{ figure(id="responses") }}
"#;

const INIT_DATA: &str = r#"# A dataset: rows of numbers, named values and the figures drawn from them.
title = "Responses to allegations"
source = "Your organisation"
unit = "approaches"

[values]
rate = 0.5

[[rows]]
response = "Responded"
approaches = 1

[[rows]]
response = "No response"
approaches = 1

[[figures]]
kind = "bar"
x = "response"
y = ["approaches"]
"#;

const INIT_README: &str = r#"# My briefing

Made with `briefing`. Build it with `briefing build` (the site lands in
public/), check it with `briefing check`, add a case study with
`briefing new case "Title"`.

- book.toml: the settings, and the closed lists of areas, issues and regions.
- content/index.md: the front page; content/*.md: chapters.
- content/cases/*.md: case studies, one per allegation.
- data/*.toml: datasets and the figures drawn from them.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_from_days() {
        for (days, want) in [
            (0, (1970, 1, 1)),
            (19_723, (2024, 1, 1)),
            (20_785, (2026, 11, 28)),
            (11_016, (2000, 2, 29)),
        ] {
            let d = civil_from_days(days);
            assert_eq!((d.year, d.month, d.day), want, "{days}");
        }
    }
}
