//! Broken sites (issue 7), shared by tests/bad_*.rs: a good site is built
//! through the real binary, one of its files is broken, and the next build
//! must exit 1 with the path and line of each mistake, never panic, and leave
//! every byte of the previous output (and of everything around the site) as
//! it was.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::fmt::Write as _;

use super::fixtures::{BOOK_WITH_TERMS, CASE, CHAPTER, DATASET, INDEX_WITH_LINKS, TEMPLATE_404};
use super::{TestSite, tree};

/// Every file under a folder with its bytes, by relative path.
pub(crate) type Files = BTreeMap<String, Vec<u8>>;

/// The good site, built through the binary (it must build): `BOOK_WITH_TERMS`,
/// `INDEX_WITH_LINKS`, content/chapter.md (`CHAPTER`), content/cases/c.md
/// (`CASE`), data/d.toml (`DATASET`) and templates/404.html (`TEMPLATE_404`).
pub(crate) fn good_site() -> TestSite {
    let site = TestSite::new()
        .file("book.toml", BOOK_WITH_TERMS)
        .file("content/index.md", INDEX_WITH_LINKS)
        .file("content/chapter.md", CHAPTER)
        .file("content/cases/c.md", CASE)
        .file("data/d.toml", DATASET)
        .file("templates/404.html", TEMPLATE_404);
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 0, "the good site must build:\n{stderr}");
    assert!(site.has("index.html") && site.has("cases/c/index.html"), "{:?}", site.files());
    site
}

/// Replaces `from` (which must be there) with `to` in the site file `rel`.
#[track_caller]
pub(crate) fn edit(site: &TestSite, rel: &str, from: &str, to: &str) {
    let text = site.source(rel);
    assert!(text.contains(from), "{from:?} not in {rel}:\n{text}");
    site.write(rel, text.replacen(from, to, 1));
}

/// `text` without the lines that start with `prefix`.
#[track_caller]
pub(crate) fn without_line(text: &str, prefix: &str) -> String {
    let out: String =
        text.lines().filter(|l| !l.starts_with(prefix)).map(|l| format!("{l}\n")).collect();
    assert_ne!(out.len(), text.len(), "no line starts with {prefix:?}");
    out
}

/// `text` with a byte-order mark and CRLF line ends.
pub(crate) fn crlf(text: &str) -> String {
    format!("\u{feff}{}", text.replace('\n', "\r\n"))
}

/// Everything in the temporary folder (the site, its output and anything beside it).
pub(crate) fn everything(site: &TestSite) -> Files {
    tree(site.tmp())
}

/// Runs `briefing <args> --root <root>`, expects exit status 1, the path and
/// line of every place in `places` (line 0: the file as a whole) on stderr,
/// no panic, and not one byte changed anywhere around the site. Returns
/// stderr with the temporary folder written `[tmp]` (`redact`).
#[track_caller]
pub(crate) fn fails_with(site: &TestSite, args: &[&str], places: &[(&str, usize)]) -> String {
    let before = everything(site);
    assert!(!before.is_empty());
    let (status, _, stderr) = site.cli(args);
    assert_eq!(status, 1, "exit status of a broken site:\n{stderr}");
    for (path, line) in places {
        let want = if *line == 0 { format!("{path}: error") } else { format!("{path}:{line}:") };
        assert!(stderr.contains(&want), "{want:?} not on stderr:\n{stderr}");
    }
    let after = everything(site);
    assert_same(&before, &after);
    redact(site, &stderr)
}

/// `fails_with` for `briefing build`.
#[track_caller]
pub(crate) fn build_fails(site: &TestSite, places: &[(&str, usize)]) -> String {
    fails_with(site, &["build"], places)
}

/// Asserts that two trees hold the same files with the same bytes.
#[track_caller]
pub(crate) fn assert_same(before: &Files, after: &Files) {
    let gone: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let new: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let changed: Vec<&String> = before
        .iter()
        .filter(|(k, v)| after.get(*k).is_some_and(|a| a != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        gone.is_empty() && new.is_empty() && changed.is_empty(),
        "a failed build changed files: removed {gone:?}, added {new:?}, changed {changed:?}"
    );
}

/// Builds through the binary and expects success; returns stderr.
#[track_caller]
pub(crate) fn builds(site: &TestSite) -> String {
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 0, "the site must build:\n{stderr}");
    stderr
}

/// The warnings of a successful build's stderr: everything before its
/// summary line (`built N pages ... in T ms ...`, which has a time and an
/// absolute path), with the temporary folder written `[tmp]`.
#[track_caller]
pub(crate) fn warnings(site: &TestSite, stderr: &str) -> String {
    let (warnings, summary) =
        stderr.trim_end_matches('\n').rsplit_once('\n').map_or(("", stderr), |(w, s)| (w, s));
    assert!(summary.starts_with("built "), "no summary line last:\n{stderr}");
    redact(site, warnings)
}

/// `text` with the site's temporary folder (as given and as the system
/// resolves it) written `[tmp]`, so that reports that name absolute paths
/// can be snapshotted.
pub(crate) fn redact(site: &TestSite, text: &str) -> String {
    let mut out = text.to_string();
    let given = site.tmp().to_path_buf();
    let resolved = given.canonicalize().unwrap_or_else(|_| given.clone());
    for tmp in [resolved, given] {
        let tmp = tmp.display().to_string();
        out = out.replace(&tmp, "[tmp]");
    }
    out
}

/// The reports of several broken sites, each under a `=== case` heading, so
/// that a test with a loop of cases makes one snapshot.
#[derive(Default)]
pub(crate) struct Reports(String);

impl Reports {
    /// No reports yet.
    pub(crate) fn new() -> Self {
        Reports::default()
    }

    /// Adds `report` under the heading `case`.
    pub(crate) fn add(&mut self, case: impl Display, report: &str) {
        if !self.0.is_empty() {
            self.0.push('\n');
        }
        writeln!(self.0, "=== {case}").expect("write to a String");
        self.0.push_str(report);
    }

    /// All the reports, in the order they were added.
    pub(crate) fn text(&self) -> &str {
        &self.0
    }
}
