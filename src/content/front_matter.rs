//! Front matter: the TOML between two `+++` lines at the top of a Markdown
//! file. `split` finds it and keeps its byte offset, so that TOML errors and
//! term errors point at the right line of the whole file.

use serde::Deserialize;
use toml::Spanned;

/// A Markdown file cut in two: its front matter and its body, with their offsets.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML text (without the `+++` lines).
    pub front: &'a str,
    /// Byte offset of `front` in the file.
    pub front_offset: usize,
    /// The Markdown body.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Why a file's front matter could not be found.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `+++` line.
    Missing,
    /// The opening `+++` has no closing `+++` line.
    Unclosed,
}

/// Cuts `src` into front matter and body. A byte-order mark is skipped and
/// CRLF line ends are accepted.
///
/// # Errors
/// When the file does not start with `+++`, or the block is never closed.
pub fn split(src: &str) -> Result<Split<'_>, SplitError> {
    let start = if src.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = src[start..].split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::Missing)?;
    if first.trim_end_matches(['\n', '\r']).trim_end() != "+++" {
        return Err(SplitError::Missing);
    }
    let front_offset = start + first.len();
    let mut at = front_offset;
    for line in lines {
        if line.trim_end_matches(['\n', '\r']).trim_end() == "+++" {
            return Ok(Split {
                front: &src[front_offset..at],
                front_offset,
                body: &src[at + line.len()..],
                body_offset: at + line.len(),
            });
        }
        at += line.len();
    }
    Err(SplitError::Unclosed)
}

/// What an author may write in front matter (the spec; `Page` is the product).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrontMatter {
    /// The page's title; required except on the front page.
    pub title: Option<Spanned<String>>,
    /// Orders chapters: lighter first (default 0).
    pub weight: Option<i64>,
    /// The page's address segment (default: the file stem, slugified).
    pub slug: Option<Spanned<String>>,
    /// The meta description.
    pub description: Option<String>,
    /// A draft is built only with `--drafts` or `[build] drafts = true`.
    #[serde(default)]
    pub draft: bool,
    /// Case studies: the date of the allegation (required): a TOML date, or a
    /// month (`"2018-07"`) or a year (`"2018"`) as text when the source gives no day.
    pub date: Option<Spanned<toml::Value>>,
    /// Case studies: a plain-text summary (required).
    pub summary: Option<Spanned<String>>,
    /// Case studies: the area of activity, one term (required).
    pub area: Option<Spanned<String>>,
    /// Case studies: the human-rights issues raised.
    #[serde(default)]
    pub issues: Vec<Spanned<String>>,
    /// Case studies: where the alleged abuse took place.
    #[serde(default)]
    pub regions: Vec<Spanned<String>>,
    /// Case studies: the companies approached and how each responded.
    #[serde(default)]
    pub companies: Vec<Spanned<CompanySpec>>,
    /// Case studies: the sources of the allegation and of the responses.
    #[serde(default)]
    pub sources: Vec<SourceSpec>,
    /// The front page: its key numbers, each a dataset's named value.
    #[serde(default)]
    pub highlights: Vec<Spanned<HighlightSpec>>,
}

/// `[[highlights]]` in index.md's front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HighlightSpec {
    /// What the number is (required).
    pub label: String,
    /// The value shown, `"<dataset>.<key>"` (required).
    pub value: Spanned<String>,
    /// `number` (default) or `percent`.
    pub format: Option<Spanned<String>>,
    /// A value shown beside it, `"<dataset>.<key>"`.
    pub compare: Option<Spanned<String>>,
    /// What the compared value is.
    pub compare_label: Option<String>,
}

/// `[[companies]]` in a case study's front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompanySpec {
    /// The company's name (required).
    pub name: Spanned<String>,
    /// Where it is headquartered.
    pub hq: Option<String>,
    /// `responded`, `declined`, `no-response` or `pending` (required).
    pub response: Spanned<String>,
    /// Where its response can be read.
    pub response_url: Option<Spanned<String>>,
}

/// `[[sources]]` in a case study's front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceSpec {
    /// What the source is.
    pub title: String,
    /// Where it is.
    pub url: Option<Spanned<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_front_matter_and_body_with_offsets() {
        for (src, front, body) in [
            ("+++\ntitle = \"a\"\n+++\nbody\n", "title = \"a\"\n", "body\n"),
            ("+++\r\ntitle = \"a\"\r\n+++\r\nbody", "title = \"a\"\r\n", "body"),
            ("\u{feff}+++\n+++\n", "", ""),
            ("+++  \nx = 1\n+++", "x = 1\n", ""),
        ] {
            let s = split(src).expect(src);
            assert_eq!((s.front, s.body), (front, body), "{src:?}");
            assert_eq!(&src[s.front_offset..s.front_offset + s.front.len()], front);
            assert_eq!(&src[s.body_offset..], body);
        }
    }

    #[test]
    fn split_reports_missing_and_unclosed_blocks() {
        assert_eq!(split("title = 1\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("+++\ntitle = 1\n"), Err(SplitError::Unclosed));
        assert_eq!(split("++++\n+++\n"), Err(SplitError::Missing));
    }
}
