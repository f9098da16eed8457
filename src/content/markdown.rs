//! Markdown -> HTML with pulldown-cmark, in one pass per page. What needs the
//! whole site (`@/` links, figures, figure numbers, dataset values) is left
//! as a numbered hole in the HTML and listed, for `site` to fill in later.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::InFile;
use super::shortcode::{self, Shortcode};
use crate::diag::{Code, Diagnostic, Place};
use crate::html::escape_html;
use crate::slug::slugify;

/// Opens a hole in rendered HTML; the hole's number follows, then `HOLE_CLOSE`.
pub(crate) const HOLE_OPEN: char = '\u{E000}';
/// Closes a hole.
pub(crate) const HOLE_CLOSE: char = '\u{E001}';

/// Something the page needs from the rest of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// An `@/path.md#anchor` link: the href to write.
    Link {
        /// The source file linked to, relative to content/ (`cases/x.md`).
        target: String,
        /// The heading id after `#`, if any.
        anchor: Option<String>,
    },
    /// A shortcode to fill in.
    Shortcode(Shortcode),
}

/// A hole in the HTML and where its source is, for errors.
#[derive(Debug, Clone)]
pub struct Hole {
    /// What fills it.
    pub need: Need,
    /// A diagnostic at the source place, message left empty.
    pub at: Place,
}

/// A heading of the page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The id written on it (unique in the page).
    pub id: String,
    /// Its plain text.
    pub text: String,
}

/// A page body rendered to HTML with holes.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    /// The HTML; holes are `HOLE_OPEN`, a number, `HOLE_CLOSE`.
    pub html: String,
    /// The holes, by number.
    pub holes: Vec<Hole>,
    /// The headings in order.
    pub headings: Vec<Heading>,
    /// Malformed shortcodes and links.
    pub diags: Vec<Diagnostic>,
    /// Links to places inside the site written as plain URLs (not `@/`), with
    /// where they are, so that a broken one is reported at its line.
    pub links: Vec<(String, Diagnostic)>,
    /// The start of the body's plain text (about `EXCERPT` bytes), for descriptions.
    pub(crate) excerpt: String,
    /// The body's search terms (`search::text::Parts`): the text before the
    /// first heading of level 2 or 3, then each such heading with its text.
    pub terms: Vec<String>,
    /// The body's plain text in the same parts, for the excerpts of search
    /// results: words as a reader reads them, blocks on lines of their own.
    pub(crate) texts: Vec<String>,
}

/// The hole in each heading's anchor where the page's language puts its
/// label ("Link to this section"): bodies are parsed once, before the
/// language that shows them is known.
pub(crate) const SECTION_LINK_HOLE: usize = usize::MAX - 1;

/// Ids the theme's templates use, so that headings never take them.
const RESERVED_IDS: [&str; 4] = ["main", "top", "toc", "footnotes"];

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Renders the body of the file `path` whose whole text is `file`; the body
/// starts at byte `body_offset`. Its search terms are collected per heading
/// of level 2 and 3 when `by_section`, else for the whole body.
pub fn render(path: &str, file: &str, body_offset: usize, by_section: bool) -> Rendered {
    let body_in = InFile { source: path, src: file, offset: body_offset };
    let mut out = Rendered::default();
    let mut locate = crate::diag::Locator::new(path, file);
    let mut body = blank_hole_markers(&file[body_offset..]);
    if body.contains("{{") {
        punch_shortcodes(&mut body, &body_in, &mut locate, &mut out);
    }
    let mut walk = Walk::new(body_in, locate, by_section, out, body.len());
    for (event, range) in Parser::new_ext(&body, options()).into_offset_iter() {
        walk.event(event, range);
    }
    walk.finish(body.len())
}

/// The body, with any hole marker its text holds blanked out.
fn blank_hole_markers(original: &str) -> String {
    // The markers of holes are private-use characters no editor types:
    // the body is copied only to blank out one that is there. (A search
    // for one char uses memchr; for either of two it goes char by char.)
    let marked = original.contains(HOLE_OPEN) || original.contains(HOLE_CLOSE);
    if marked {
        original.replace([HOLE_OPEN, HOLE_CLOSE], "\u{FFFD}")
    } else {
        original.to_string()
    }
}

/// Replaces each shortcode of `body` outside code with a hole of the same
/// length (so that every later offset still points into the file) and
/// lists it; a malformed one is reported.
fn punch_shortcodes(
    body: &mut String,
    body_in: &InFile,
    locate: &mut crate::diag::Locator,
    out: &mut Rendered,
) {
    let skip = code_ranges(body);
    for found in shortcode::find(body, &skip) {
        match found.parsed {
            Err((message, help)) => {
                out.diags
                    .push(body_in.error(Code::BadShortcode, found.span, message).with_help(help));
            }
            Ok(code) => {
                let n = out.holes.len();
                let width = found.span.len() - HOLE_OPEN.len_utf8() - HOLE_CLOSE.len_utf8();
                let marker = format!("{HOLE_OPEN}{n:0width$}{HOLE_CLOSE}");
                if marker.len() != found.span.len() {
                    // Too many holes for the span: the shortcode stays as text, with an error.
                    out.diags.push(body_in.error(
                        Code::TooManyShortcodes,
                        found.span,
                        "too many shortcodes in one page",
                    ));
                    continue;
                }
                body.replace_range(found.span.clone(), &marker);
                let at = locate.place(body_in.span(found.span));
                out.holes.push(Hole { need: Need::Shortcode(code), at });
            }
        }
    }
}

/// A heading being read: where its opening tag goes, its text so far and
/// the id its author gave it.
struct OpenHeading {
    at: usize,
    text: String,
    given: Option<String>,
}

/// One pass over a body's Markdown events: headings get ids and anchors,
/// `@/` links become holes, and the excerpt and search terms are gathered.
struct Walk<'b, 'f> {
    body_in: InFile<'f>,
    locate: crate::diag::Locator<'f>,
    by_section: bool,
    out: Rendered,
    events: Vec<Event<'b>>,
    ids: Ids,
    heading: Option<OpenHeading>,
    /// For each open link: did we write its `<a>` ourselves?
    our_links: Vec<bool>,
    search: crate::search::text::Parts,
}

impl<'b, 'f> Walk<'b, 'f> {
    fn new(
        body_in: InFile<'f>,
        locate: crate::diag::Locator<'f>,
        by_section: bool,
        mut out: Rendered,
        body_len: usize,
    ) -> Self {
        let mut ids = Ids::default();
        ids.used.extend(RESERVED_IDS.iter().map(|s| s.to_string()));
        out.excerpt.reserve(EXCERPT + 64);
        Walk {
            body_in,
            locate,
            by_section,
            out,
            events: Vec::with_capacity(body_len / 12 + 16),
            ids,
            heading: None,
            our_links: Vec::new(),
            search: crate::search::text::Parts::default(),
        }
    }

    /// Takes in the next event and where it is in the body.
    fn event(&mut self, event: Event<'b>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => self.open_heading(level, id),
            Event::End(TagEnd::Heading(level)) => self.close_heading(level),
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. })
                if dest_url.contains(HOLE_OPEN) =>
            {
                // A shortcode writes text, not addresses: in a link it would
                // be percent-encoded and never filled.
                let span = self.body_in.span(range);
                self.out.diags.push(
                    self.locate
                        .error(Code::ShortcodeInLink, span, "a shortcode cannot stand in a link's address")
                        .with_help("write the address itself, or link to a figure with {{ figref(id=\"...\") }} in the text"),
                );
                self.keep_link_or_image(event);
            }
            Event::Start(Tag::Link { dest_url, title, .. }) if dest_url.starts_with("@/") => {
                self.at_link(&dest_url[2..], &title, range);
            }
            Event::Start(Tag::Link { ref dest_url, .. })
            | Event::Start(Tag::Image { ref dest_url, .. }) => {
                if is_internal(dest_url) {
                    let span = self.body_in.span(range);
                    self.out.links.push((
                        dest_url.to_string(),
                        self.locate.error(Code::BrokenLink, span, ""),
                    ));
                }
                self.keep_link_or_image(event);
            }
            Event::End(TagEnd::Link) => {
                if self.our_links.pop() == Some(true) {
                    self.events.push(Event::InlineHtml("</a>".into()));
                } else {
                    self.events.push(event);
                }
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                self.text(t);
                self.events.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                add_excerpt(&mut self.out.excerpt, " ");
                self.search.space();
                self.events.push(event);
            }
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item)
            | Event::End(TagEnd::TableCell) => {
                add_excerpt(&mut self.out.excerpt, " ");
                self.search.block();
                self.events.push(event);
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) => {
                self.search.html(h);
                self.events.push(event);
            }
            _ => {
                // Blocks end words; emphasis inside a word does not.
                let inline = matches!(
                    event,
                    Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
                        | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough)
                );
                if !inline {
                    self.search.block();
                }
                self.events.push(event);
            }
        }
    }

    /// A heading starts: its opening tag waits until its text gives its id.
    fn open_heading(&mut self, level: HeadingLevel, id: Option<CowStr>) {
        if self.by_section && matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
            self.search.next();
        }
        // `## Title {#id}` keeps an id stable across edits and translations.
        let given = id.map(|i| slugify(&i)).filter(|i| !i.is_empty());
        self.heading = Some(OpenHeading { at: self.events.len(), text: String::new(), given });
        self.events.push(Event::Text(CowStr::Borrowed("")));
    }

    /// A heading ends: it gets its unique id, written on its opening tag,
    /// and an anchor link.
    fn close_heading(&mut self, level: HeadingLevel) {
        self.search.block();
        let Some(OpenHeading { at, text, given }) = self.heading.take() else { return };
        let text = match strip_holes(&text) {
            Cow::Owned(stripped) => stripped,
            Cow::Borrowed(_) => text,
        };
        let base = match given.unwrap_or_else(|| slugify(&text)) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let id = unique_id(&mut self.ids, base);
        let n = level as u8;
        self.events[at] = Event::Html(format!("<h{n} id=\"{id}\">").into());
        self.events.push(Event::Html(
            format!(" <a class=\"anchor\" href=\"#{id}\" aria-label=\"{HOLE_OPEN}{SECTION_LINK_HOLE}{HOLE_CLOSE}\">#</a></h{n}>\n").into(),
        ));
        add_excerpt(&mut self.out.excerpt, &text);
        self.out.headings.push(Heading { level: n, id, text });
    }

    /// An `@/path.md#anchor` link: its href becomes a hole.
    fn at_link(&mut self, dest: &str, title: &str, range: Range<usize>) {
        let file_span = self.body_in.span(range);
        let (target, anchor) = match dest.split_once('#') {
            Some((t, a)) => (t.to_string(), Some(a.to_string())),
            None => (dest.to_string(), None),
        };
        let n = self.out.holes.len();
        self.out
            .holes
            .push(Hole { need: Need::Link { target, anchor }, at: self.locate.place(file_span) });
        let mut tag = format!("<a href=\"{HOLE_OPEN}{n}{HOLE_CLOSE}\"");
        if !title.is_empty() {
            let _ = write!(tag, " title=\"{}\"", escape_html(title));
        }
        tag.push('>');
        self.events.push(Event::InlineHtml(tag.into()));
        self.our_links.push(true);
    }

    /// A link or image that pulldown-cmark writes as it is.
    fn keep_link_or_image(&mut self, event: Event<'b>) {
        if matches!(event, Event::Start(Tag::Link { .. })) {
            self.our_links.push(false);
        }
        self.events.push(event);
    }

    /// Text goes to the search terms, and to the open heading or the excerpt.
    fn text(&mut self, t: &str) {
        // Holes and all: the search terms leave them out, the excerpts'
        // text has them filled as the page is (`search::documents`).
        self.search.text(t);
        if let Some(heading) = self.heading.as_mut() {
            heading.text.push_str(t);
        } else if self.out.excerpt.len() < EXCERPT {
            add_excerpt(&mut self.out.excerpt, &strip_holes(t));
        }
    }

    /// The page's body as HTML with its holes, headings, excerpt and terms.
    fn finish(mut self, body_len: usize) -> Rendered {
        (self.out.terms, self.out.texts) = self.search.finish();
        self.out.html.reserve(body_len * 3 / 2);
        pulldown_cmark::html::push_html(&mut self.out.html, self.events.into_iter());
        self.out
    }
}

/// Byte ranges of code spans and code blocks, where shortcodes are literal text.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Code(_) => ranges.push(range),
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block_start.take() {
                    ranges.push(start.start..range.end.max(start.end));
                }
            }
            _ => {}
        }
    }
    ranges
}

/// A heading id not yet used on the page: `base`, then `base-1`, `base-2`...
fn unique_id(ids: &mut Ids, base: String) -> String {
    // Start from the last suffix given to this base, so repeats stay linear.
    let mut n = ids.next.get(&base).copied().unwrap_or(0);
    let mut id = if n == 0 { base.clone() } else { format!("{base}-{n}") };
    while ids.used.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    ids.next.insert(base, n + 1);
    ids.used.insert(id.clone());
    id
}

/// The ids given on a page, and the next suffix to try for each base.
#[derive(Default)]
struct Ids {
    used: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

/// Is `url` a place inside the site (no scheme, not protocol-relative)?
fn is_internal(url: &str) -> bool {
    !url.starts_with("//")
        && url.split_once(':').is_none_or(|(scheme, _)| scheme.contains(['/', '?', '#']))
}

/// How much plain text a page keeps for its description.
const EXCERPT: usize = 400;

/// Adds text to the excerpt, with single spaces, until it is long enough.
fn add_excerpt(excerpt: &mut String, text: &str) {
    for word in text.split_whitespace() {
        if excerpt.len() >= EXCERPT {
            return;
        }
        if !excerpt.is_empty() {
            excerpt.push(' ');
        }
        excerpt.push_str(word);
    }
}

/// The text with its holes removed (for heading ids and search terms).
pub(crate) fn strip_holes(text: &str) -> Cow<'_, str> {
    if !text.contains(HOLE_OPEN) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut in_hole = false;
    for c in text.chars() {
        match c {
            HOLE_OPEN => in_hole = true,
            HOLE_CLOSE => in_hole = false,
            _ if !in_hole => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

/// Replaces each hole `n` of `html` with `fill(n)`. A hole that stands alone
/// in a paragraph and is filled with a block (starting with `<figure`) takes
/// the paragraph's place.
pub fn fill_holes(html: &str, mut fill: impl FnMut(usize) -> String) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(open) = rest.find(HOLE_OPEN) {
        let after = &rest[open + HOLE_OPEN.len_utf8()..];
        let Some(close) = after.find(HOLE_CLOSE) else { break };
        let n: usize = after[..close].parse().unwrap_or(usize::MAX);
        let filled = fill(n);
        let mut before = &rest[..open];
        let mut tail = &after[close + HOLE_CLOSE.len_utf8()..];
        if filled.starts_with("<figure") {
            if before.ends_with("<p>") && tail.starts_with("</p>") {
                before = &before[..before.len() - 3];
                tail = &tail[4..];
            } else {
                // A block cannot sit inside a paragraph: close it and open another.
                out.push_str(before);
                out.push_str("</p>\n");
                out.push_str(&filled);
                out.push_str("<p>");
                rest = tail;
                continue;
            }
        }
        out.push_str(before);
        out.push_str(&filled);
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_ids_and_anchor_links() {
        let r = render("a.md", "## Hello World\n\n## Hello World\n\n### Main\n", 0, true);
        assert_eq!(
            r.headings.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            ["hello-world", "hello-world-1", "main-1"]
        );
        assert!(
            r.html.contains(
                "<h2 id=\"hello-world\">Hello World <a class=\"anchor\" href=\"#hello-world\""
            ),
            "{}",
            r.html
        );
    }

    #[test]
    fn at_links_become_holes_with_positions() {
        let file = "+++\n+++\nSee [the case](@/cases/x.md#what) now.\n";
        let r = render("content/a.md", file, 8, true);
        assert_eq!(r.holes.len(), 1);
        let Need::Link { target, anchor } = &r.holes[0].need else { panic!("not a link") };
        assert_eq!((target.as_str(), anchor.as_deref()), ("cases/x.md", Some("what")));
        assert_eq!((r.holes[0].at.line, r.holes[0].at.col), (3, 5));
        let filled = fill_holes(&r.html, |_| "/x/".into());
        assert!(filled.contains("<a href=\"/x/\">the case</a>"), "{filled}");
    }

    #[test]
    fn shortcodes_keep_their_columns_and_figures_replace_their_paragraph() {
        let file = "Rate: {{ value(data=\"d\", key=\"k\") }}.\n\n{{ figure(id=\"f\") }}\n\n`{{ figure(id=\"code\") }}`\n";
        let r = render("a.md", file, 0, true);
        assert_eq!(r.holes.len(), 2);
        assert_eq!((r.holes[1].at.line, r.holes[1].at.col), (3, 1));
        let filled =
            fill_holes(
                &r.html,
                |n| if n == 0 { "58%".into() } else { "<figure>F</figure>".into() },
            );
        assert!(filled.contains("<p>Rate: 58%.</p>\n<figure>F</figure>\n"), "{filled}");
        assert!(filled.contains("<code>{{ figure(id=\"code\") }}</code>"), "{filled}");
    }

    #[test]
    fn malformed_shortcode_is_a_diagnostic_with_position() {
        let r = render("a.md", "x\n  {{ figur(id=\"f\") }}\n", 0, true);
        assert_eq!(r.diags.len(), 1);
        assert_eq!((r.diags[0].line, r.diags[0].col), (2, 3));
    }

    #[test]
    fn text_private_use_characters_cannot_forge_holes() {
        let r = render("a.md", "a \u{E000}0\u{E001} b", 0, true);
        assert!(r.holes.is_empty());
        assert!(!r.html.contains(HOLE_OPEN));
    }
}
