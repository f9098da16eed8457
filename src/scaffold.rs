//! `briefing init DIR` and `briefing new case "Title"`: files that show
//! editors every key with a short comment, and that build as they are.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result, bail};

use crate::content::Date;
use crate::slug::slugify;

/// Writes a new case study into `root`/content/cases/ and returns its path.
///
/// # Errors
/// When `root` has no content/ folder, the title has no letters, or the file cannot be written.
pub(crate) fn new_case(root: &Path, title: &str) -> Result<PathBuf> {
    let cases = root.join("content").join("cases");
    if !root.join("book.toml").is_file() {
        bail!(
            "{} has no book.toml: run `briefing new case` in a site's folder, or pass --root",
            root.display()
        );
    }
    let base = slugify(title);
    if base.is_empty() {
        bail!("the title {title:?} has no letters or digits to make an address from");
    }
    fs::create_dir_all(&cases).with_context(|| format!("cannot create {}", cases.display()))?;
    let mut slug = base.clone();
    let mut n = 1;
    while cases.join(format!("{slug}.md")).exists() {
        n += 1;
        slug = format!("{base}-{n}");
    }
    let path = cases.join(format!("{slug}.md"));
    fs::write(&path, case_template(title, today()))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// The text of a new case study.
pub(crate) fn case_template(title: &str, date: Date) -> String {
    let title = toml::Value::String(title.to_string()).to_string();
    format!(
        r#"+++
# The case study's title, as readers see it.
title = {title}
# When the allegation was made: YYYY-MM-DD, or "YYYY-MM" or "YYYY" in quotes
# when the source gives no day.
date = {date}
# One or two plain sentences: lists, feeds and search show them.
summary = "What was alleged, against whom, and whether they responded."
# One area of activity, from [taxonomies] areas in book.toml.
area = "Manufacturing/assembly"
# The human-rights issues raised, from [taxonomies] issues.
issues = ["Labour rights"]
# Where the alleged abuse took place, from [taxonomies] regions.
regions = ["Global / multi-region"]
# Drafts are built only with --drafts.
draft = true
# Optional: the page's address (default: the file name).
# slug = "a-short-address"
# Optional: a description for search engines (default: the summary).
# description = "..."

# One [[companies]] table per company approached.
[[companies]]
name = "Example Company"        # required
hq = "Europe"                   # optional: where it is headquartered
response = "pending"            # required: responded | declined | no-response | pending
# response_url = "https://..."  # optional: where its response can be read

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

/// Today's date in UTC, from the system clock (only scaffolding reads the clock).
pub(crate) fn today() -> Date {
    let days =
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400) as i64;
    civil_from_days(days)
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
            case_template("Example company: what was alleged", today())
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
