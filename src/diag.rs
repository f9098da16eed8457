//! Authors' mistakes: a `Diagnostic` names a file, a line and a column, says
//! what is wrong and how to fix it. Every stage pushes into `Diagnostics` and
//! keeps going; the report is sorted so that it reads the same on every run.

use std::fmt::{self, Write as _};
use std::ops::Range;

pub use crate::codes::Code;

/// How serious a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The site cannot be built until this is fixed.
    Error,
    /// The site builds, but something is probably not what the author meant.
    Warning,
}

/// A problem an author can fix, with its place in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The kind of mistake, stable across versions (`data/unknown-column`).
    pub code: Code,
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when the problem concerns the whole file.
    pub col: usize,
    /// What is wrong: lowercase, no trailing period, quoting what the author wrote.
    pub message: String,
    /// How to fix it, when we can tell.
    pub help: Option<String>,
    /// The source line the problem is on, shown under the message.
    pub source_line: Option<String>,
    /// How many characters of the source line to underline.
    pub width: usize,
}

impl Diagnostic {
    /// An error of kind `code` at the byte span `span` of `src`, the text of the file `path`.
    pub fn error(
        code: Code,
        path: &str,
        src: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Place::of(path, src, span).error(code, message)
    }

    /// A warning of kind `code` at the byte span `span` of `src`.
    pub fn warning(
        code: Code,
        path: &str,
        src: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Place::of(path, src, span).warning(code, message)
    }

    /// An error about a whole file, or about something that has no place in a file.
    pub(crate) fn file_error(code: Code, path: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.to_string(),
            line: 0,
            col: 0,
            message: message.into(),
            help: None,
            source_line: None,
            width: 0,
        }
    }

    /// The same diagnostic with a help line.
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Is this an error (as opposed to a warning)?
    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = visible(&self.path);
        if self.line > 0 {
            writeln!(f, "{path}:{}:{}: {kind}: {}", self.line, self.col, self.message)?;
        } else {
            writeln!(f, "{path}: {kind}: {}", self.message)?;
        }
        if let Some(text) = &self.source_line {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            let (shown, before, width) = excerpt(text, self.col, self.width);
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {shown}")?;
            // In terminal columns: wide characters take two.
            let (before, under) = caret(&shown, before + 1, width);
            writeln!(f, "{pad} | {}{}", " ".repeat(before), "^".repeat(under))?;
        }
        if let Some(help) = &self.help {
            let pad = if self.source_line.is_some() {
                " ".repeat(self.line.to_string().len())
            } else {
                String::new()
            };
            writeln!(f, "{pad} = help: {help}")?;
        }
        Ok(())
    }
}

/// `text` with the characters a terminal would act on or that reorder what
/// follows (controls, bidirectional overrides and isolates) written as
/// `\u{202e}`, so that a report shows what is there and cannot be spoofed.
pub(crate) fn visible(text: &str) -> String {
    text.chars().map(shown_char).collect()
}

fn shown_char(c: char) -> String {
    let bidi =
        matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if c == '\t' {
        // Tabs would shift the caret: one space.
        " ".to_string()
    } else if c.is_control() || bidi {
        c.escape_unicode().to_string()
    } else {
        c.to_string()
    }
}

/// The most characters of a source line a report shows: a longer line is
/// cut around the mistake, with `…` where text was left out.
const EXCERPT: usize = 160;

/// The part of the source line `text` a report shows for a mistake at
/// column `col` (1-based, in characters) `width` characters wide: the line,
/// cut around the mistake when long and made `visible`; with how many
/// columns come before the mistake in it and how wide it is there.
fn excerpt(text: &str, col: usize, width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let at = col.saturating_sub(1).min(chars.len());
    let (start, end) = if chars.len() <= EXCERPT {
        (0, chars.len())
    } else {
        let start = at.saturating_sub(EXCERPT / 3);
        (start, (start + EXCERPT).min(chars.len()))
    };
    let mut shown = String::new();
    let mut before = 0;
    let mut marked = 0;
    if start > 0 {
        shown.push('…');
        before += 1;
    }
    for (i, &c) in chars.iter().enumerate().take(end).skip(start) {
        let s = shown_char(c);
        let n = s.chars().count();
        if i < at {
            before += n;
        } else if i < at + width.max(1) {
            marked += n;
        }
        shown.push_str(&s);
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, before, marked.max(usize::from(width > 0)))
}

/// Where the caret goes under `line`, in terminal columns: how many columns
/// come before the character `col` (1-based, in characters), and how many the
/// `width` characters from there take. Wide characters (CJK, most emoji)
/// take two columns and combining marks none, as terminals draw them.
fn caret(line: &str, col: usize, width: usize) -> (usize, usize) {
    use unicode_width::UnicodeWidthStr as _;
    let start = col.saturating_sub(1);
    let byte = |n: usize| line.char_indices().nth(n).map_or(line.len(), |(i, _)| i);
    let (from, to) = (byte(start), byte(start + width));
    // A place past the end of the line (its line end) still gets its columns.
    let past_end = start.saturating_sub(line.chars().count());
    let before = line[..from].width() + past_end;
    let under = line[from..to].width().max(1);
    (before, under)
}

/// Where something stands in a source file, kept so that a mistake found
/// later (a duplicate id, an unknown language) can point there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
    /// The source line, shown under a message.
    pub source_line: Option<String>,
    /// How many characters of the source line to underline.
    pub width: usize,
}

impl Place {
    /// The place of the byte span `span` of `src`, the text of the file `path`.
    pub fn of(path: &str, src: &str, span: Range<usize>) -> Self {
        let (line, col) = line_col(src, span.start);
        let line_text = line_text(src, span.start);
        let line_end = src
            .get(span.start..)
            .and_then(|rest| rest.find(['\n', '\r']))
            .map_or(src.len(), |i| span.start + i);
        let end = span.end.clamp(span.start, line_end);
        let width = src.get(span.start..end).map_or(1, |s| s.chars().count()).max(1);
        Place { path: path.to_string(), line, col, source_line: Some(line_text.to_string()), width }
    }

    /// An error of kind `code` here.
    pub fn error(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Error, code, message.into())
    }

    /// A warning of kind `code` here.
    pub fn warning(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Warning, code, message.into())
    }

    fn diagnostic(&self, severity: Severity, code: Code, message: String) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            path: self.path.clone(),
            line: self.line,
            col: self.col,
            message,
            help: None,
            source_line: self.source_line.clone(),
            width: self.width,
        }
    }
}

/// Places many diagnostics in one file in linear time: it remembers where
/// the last one was, so diagnostics made in increasing order of offset scan
/// the text once (`Diagnostic::error` scans from the start each time).
pub(crate) struct Locator<'a> {
    path: &'a str,
    src: &'a str,
    /// The last place: byte offset, 1-based line, that line's start and end, column.
    at: Cursor,
}

#[derive(Clone, Copy)]
struct Cursor {
    offset: usize,
    line: usize,
    line_start: usize,
    line_end: usize,
    col: usize,
}

impl<'a> Locator<'a> {
    /// A locator for the file `path` whose text is `src`.
    pub(crate) fn new(path: &'a str, src: &'a str) -> Self {
        let line_end = src.find('\n').unwrap_or(src.len());
        Locator { path, src, at: Cursor { offset: 0, line: 1, line_start: 0, line_end, col: 1 } }
    }

    /// An error of kind `code` at `span` (usually given in increasing order).
    pub(crate) fn error(
        &mut self,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.place(span).error(code, message)
    }

    /// The place of `span` (usually given in increasing order).
    pub(crate) fn place(&mut self, span: Range<usize>) -> Place {
        let mut offset = span.start.min(self.src.len());
        while !self.src.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.at.offset {
            *self = Locator::new(self.path, self.src);
        }
        let mut p = self.at;
        let bytes = &self.src.as_bytes()[p.offset..offset];
        match memchr::memrchr(b'\n', bytes) {
            Some(last) => {
                p.line += memchr::memchr_iter(b'\n', bytes).count();
                p.line_start = p.offset + last + 1;
                p.line_end = self.src[p.line_start..]
                    .find('\n')
                    .map_or(self.src.len(), |i| p.line_start + i);
                p.col =
                    1 + self.src[p.line_start..offset].chars().filter(|&c| c != '\u{feff}').count();
            }
            None => {
                // The same line: count only the characters since the last place.
                p.col += self.src[p.offset..offset].chars().filter(|&c| c != '\u{feff}').count();
            }
        }
        p.offset = offset;
        self.at = p;
        let line = self.src[p.line_start..p.line_end].trim_end_matches('\r');
        let span_end = span.end.min(p.line_start + line.len()).max(offset);
        let width = self.src.get(offset..span_end).map_or(1, |s| s.chars().count()).max(1);
        Place {
            path: self.path.to_string(),
            line: p.line,
            col: p.col,
            source_line: shown_line(line),
            width,
        }
    }
}

/// A source line as shown under a message: a very long line (a minified
/// paste) is not shown, so that a report never copies a megabyte per place.
fn shown_line(line: &str) -> Option<String> {
    const MAX: usize = 1000;
    (line.len() <= MAX).then(|| line.trim_start_matches('\u{feff}').to_string())
}

/// 1-based line and column (in characters) of the byte `offset` in `src`.
///
/// An offset past the end, or inside a character, is clamped to a valid place.
pub(crate) fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    // A byte-order mark takes no column: editors do not show it.
    let col = before[line_start..].chars().filter(|&c| c != '\u{feff}').count() + 1;
    (line, col)
}

/// The text of the line holding byte `offset`, without its line end.
fn line_text(src: &str, offset: usize) -> &str {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = src[offset..].find('\n').map_or(src.len(), |i| offset + i);
    src[start..end].trim_end_matches('\r').trim_start_matches('\u{feff}')
}

/// All the diagnostics of a run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No diagnostics yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds all the diagnostics of another run.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Are there any errors (warnings do not count)?
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// How many errors there are.
    pub(crate) fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Are there no diagnostics at all?
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics sorted by path, line, column, severity and message.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort_by(|a, b| {
            (&a.path, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
        });
        items.dedup();
        items
    }

    /// The whole report as text, sorted, with a closing count line.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            let _ = writeln!(out, "{d}");
        }
        let errors = self.error_count();
        let warnings = self.items.len() - errors;
        if errors > 0 {
            let _ = writeln!(out, "{} error{} found", errors, if errors == 1 { "" } else { "s" });
        } else if warnings > 0 {
            let _ = writeln!(out, "{} warning{}", warnings, if warnings == 1 { "" } else { "s" });
        }
        out
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// "Did you mean" help: the closest of `known` to `wrong`, if it is close enough.
pub(crate) fn closest<'a>(
    wrong: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    known
        .into_iter()
        .map(|k| (edit_distance(&wrong_lower, &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= (k.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The closest of `known` to `wrong`, however far it is.
pub(crate) fn nearest<'a>(
    wrong: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    known.into_iter().min_by_key(|k| edit_distance(&wrong_lower, &k.to_lowercase()))
}

/// The help line for a value outside a closed list: the closest, then all of them.
pub(crate) fn suggest(wrong: &str, what: &str, known: &[String]) -> String {
    let listed = known.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>().join(", ");
    match closest(wrong, known.iter().map(String::as_str)) {
        Some(near) => format!("did you mean {near:?}? known {what} are {listed}"),
        None if known.is_empty() => format!("there are no {what} yet"),
        None => format!("known {what} are {listed}"),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_mistake_and_controls_and_bidi_are_shown_escaped() {
        let long = format!("{}X{}", "a".repeat(300_000), "b".repeat(100_000));
        let d = Diagnostic {
            line: 1,
            col: 300_001,
            width: 1,
            source_line: Some(long),
            ..Diagnostic::file_error(Code::TomlSyntax, "data/d.toml", "here")
        };
        let text = d.to_string();
        assert!(text.len() < 1_000, "{} bytes", text.len());
        let lines: Vec<&str> = text.lines().collect();
        let (shown, caret) = (lines[2], lines[3]);
        let column = |line: &str, c: char| line.chars().position(|x| x == c);
        assert_eq!(column(shown, 'X'), column(caret, '^'), "\n{shown}\n{caret}");
        assert!(shown.contains('…'));
        let d = Diagnostic {
            line: 1,
            col: 6,
            width: 4,
            source_line: Some("x = \"\u{202e}evil\u{1b}[31m\"".to_string()),
            ..Diagnostic::file_error(Code::TomlSyntax, "data/\u{202e}d.toml", "here")
        };
        let text = d.to_string();
        assert!(!text.contains('\u{202e}') && !text.contains('\u{1b}'), "{text}");
        assert!(text.contains("data/\\u{202e}d.toml") && text.contains("\\u{1b}[31m"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        // The caret starts under the escaped override, the mistake's first character.
        assert_eq!(lines[2].find("\\u{202e}"), lines[3].find('^'), "\n{}\n{}", lines[2], lines[3]);
    }

    #[test]
    fn line_col_counts_lines_and_characters_from_one() {
        let src = "ab\ncdé f\n\nx";
        for (offset, want) in [
            (0, (1, 1)),
            (1, (1, 2)),
            (3, (2, 1)),
            (7, (2, 4)),
            (8, (2, 5)),
            (11, (4, 1)),
            (99, (4, 2)),
        ] {
            assert_eq!(line_col(src, offset), want, "offset {offset}");
        }
    }

    #[test]
    fn locator_places_like_line_col_in_any_order() {
        let src = "ab\ncdé f\n\nx {{ y }}\n";
        let mut loc = Locator::new("a.md", src);
        for span in [0..1, 3..5, 8..9, 11..20, 4..6, 11..12] {
            let want = Diagnostic::error(Code::TomlSyntax, "a.md", src, span.clone(), "m");
            let got = loc.error(Code::TomlSyntax, span.clone(), "m");
            assert_eq!(
                (got.line, got.col, got.width, &got.source_line),
                (want.line, want.col, want.width, &want.source_line),
                "{span:?}"
            );
        }
    }

    #[test]
    fn line_col_inside_a_character_clamps_back() {
        assert_eq!(line_col("é", 1), (1, 1));
    }

    #[test]
    fn report_is_sorted_and_shows_source_and_help() {
        let mut d = Diagnostics::new();
        let src = "title = 1\nissues = [\"Labor rights\"]\n";
        d.push(
            Diagnostic::error(
                Code::UnknownTerm,
                "b.md",
                src,
                20..34,
                "unknown issue \"Labor rights\"",
            )
            .with_help("did you mean"),
        );
        d.push(Diagnostic::error(Code::TomlSyntax, "a.md", src, 0..5, "first"));
        let report = d.report();
        assert!(report.starts_with("a.md:1:1: error: first\n"), "{report}");
        assert!(report.contains("b.md:2:11: error: unknown issue \"Labor rights\"\n  |\n2 | issues = [\"Labor rights\"]\n  |           ^^^^^^^^^^^^^^\n  = help: did you mean\n"), "{report}");
        assert!(report.ends_with("2 errors found\n"));
    }

    #[test]
    fn the_caret_lines_up_under_wide_text() {
        for (line, col, width, want) in [
            ("issues = [\"x\"]", 11, 3, (10, 3)),
            // Each CJK character takes two columns.
            ("title = \"人权 报告\" x", 9, 7, (8, 11)),
            ("区域 = [\"亚洲\"]", 7, 4, (8, 6)),
            // An emoji takes two, a combining accent none.
            ("🙂🙂 = 1", 4, 1, (5, 1)),
            ("e\u{301}e\u{301} bad", 6, 3, (3, 3)),
            // Past the end of the line: the caret stands after it.
            ("ab", 3, 1, (2, 1)),
        ] {
            assert_eq!(caret(line, col, width), want, "{line:?} {col} {width}");
        }
        let src = "title = \"人权\"\nissue = 🙂x\n";
        let d = Diagnostic::error(
            Code::UnknownTerm,
            "a.md",
            src,
            src.find('x').unwrap()..src.len() - 1,
            "m",
        );
        let under = format!("2 | issue = 🙂x\n  | {}^\n", " ".repeat(10));
        assert!(d.to_string().contains(&under), "{d}");
    }

    #[test]
    fn closest_finds_near_misses_only() {
        let known = ["Labour rights", "Right to privacy"];
        assert_eq!(closest("Labor rights", known), Some("Labour rights"));
        assert_eq!(closest("labour RIGHTS", known), Some("Labour rights"));
        assert_eq!(closest("Weather", known), None);
    }
}
