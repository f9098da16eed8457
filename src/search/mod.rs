//! Search, written at build time: `documents` gathers what a reader can find
//! (chapters and their sections, figures, term and company pages, case
//! studies) from the model and the rendered pages; `files` (index_files.rs)
//! writes their static index for static/search.js; `az_list` is the A to Z
//! list of the search page, which is all a reader without JavaScript gets.
//! Each takes one language's documents and its output prefix (`""` or
//! `"fr/"`).

pub mod index;
mod index_files;
pub mod stem;
pub mod text;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;

use crate::content::markdown::{HOLE_OPEN, fill_holes};
use crate::content::{Case, Page, PageKind};
use crate::html::escape_html;
use crate::i18n::Words;
use crate::site::{Fill, Site};
pub use index::Index;
pub use index_files::files;
pub use stem::Stemming;
use text::{Terms, is_spaceless, is_word_char, normalise};

/// What a document is. Documents are ordered by kind, in this order, which
/// also breaks ties between equally good results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The front page or a chapter.
    Chapter,
    /// A heading (level 2 or 3) of the front page or a chapter.
    Section,
    /// A figure's page.
    Figure,
    /// An area's page.
    Area,
    /// An issue's page.
    Issue,
    /// A region's page.
    Region,
    /// A company's page.
    Company,
    /// A case study.
    Case,
}

impl Kind {
    /// Every kind, in document order.
    pub(crate) const ALL: [Kind; 8] = [
        Kind::Chapter,
        Kind::Section,
        Kind::Figure,
        Kind::Area,
        Kind::Issue,
        Kind::Region,
        Kind::Company,
        Kind::Case,
    ];

    /// The kind's name for readers, in the theme's words.
    pub fn label(self, words: &Words) -> String {
        words.get(match self {
            Kind::Chapter => "chapter",
            Kind::Section => "section",
            Kind::Figure => "figure",
            Kind::Area => "taxonomy_areas_one",
            Kind::Issue => "taxonomy_issues_one",
            Kind::Region => "taxonomy_regions_one",
            Kind::Company => "taxonomy_companies_one",
            Kind::Case => "case_study",
        })
    }

    fn of_taxonomy(name: &str) -> Kind {
        match name {
            "areas" => Kind::Area,
            "issues" => Kind::Issue,
            "regions" => Kind::Region,
            _ => Kind::Company,
        }
    }
}

/// Something a reader can find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc<'a> {
    /// What it is.
    pub kind: Kind,
    /// Its title.
    pub title: String,
    /// Its address from the language's root, as `Config::url` takes it
    /// (`cases/x/`, `chapter/#heading`; empty for the front page).
    pub path: String,
    /// For a section: its chapter's title.
    pub parent: Option<String>,
    /// Its index terms (`text::index_terms`), in strings of terms separated
    /// by spaces (its own, then its body's, borrowed from the page); a term
    /// may appear more than once.
    pub terms: Vec<Cow<'a, str>>,
    /// Its plain text, shown around the words a query found: pieces to
    /// join with line breaks (none for area, issue and region pages).
    pub text: Vec<Cow<'a, str>>,
    /// How its words are stemmed: by its language's stemmer.
    pub stemming: Stemming,
}

/// The documents of `site`, in index order (by kind; case studies newest
/// first). Page text comes from the terms and plain text Markdown rendering
/// collected (`Rendered::terms`, `Rendered::texts`), the rest from front
/// matter, datasets and taxonomies; each page's words are stemmed in the
/// language it is shown in.
pub fn documents<'a>(site: &'a Site, words: &Words) -> Vec<Doc<'a>> {
    let mut order: Vec<usize> = (0..site.pages.len()).collect();
    // Front page and chapters in reading order, then case studies newest first.
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&site.pages[a], &site.pages[b]);
        let date = |p: &Page| p.case.as_ref().map(|c| c.date);
        (pa.kind == PageKind::Case)
            .cmp(&(pb.kind == PageKind::Case))
            .then_with(|| date(pb).cmp(&date(pa)))
            .then_with(|| a.cmp(&b))
    });
    let own = Stemming::of_language(&site.lang.code);
    let first = site.lang.all.first().map_or(own, |l| Stemming::of_language(&l.code));
    let pages: Vec<Vec<Doc<'a>>> = order
        .par_iter()
        .map(|&i| {
            let p = &site.pages[i];
            // An untranslated page is shown in the first language.
            let stemming = if p.fallback { first } else { own };
            let mut docs = match &p.case {
                Some(c) if p.kind == PageKind::Case => vec![case_doc(p, c)],
                _ => chapter_docs(p),
            };
            for d in &mut docs {
                d.stemming = stemming;
                for t in &mut d.text {
                    if t.contains(HOLE_OPEN) {
                        *t = Cow::Owned(filled(site, i, t, words));
                    }
                }
            }
            docs
        })
        .collect();
    let (cases, mut docs): (Vec<Doc>, Vec<Doc>) =
        pages.into_iter().flatten().partition(|d| d.kind == Kind::Case);

    for f in &site.figures {
        let mut terms = Terms::default();
        terms.add_text(&f.spec.title);
        terms.add_text(&crate::figures::label(f, words));
        terms.add_text(f.spec.caption.as_deref().unwrap_or(""));
        let dataset = site.datasets.get(&f.dataset);
        if let Some(d) = dataset {
            for text in [&d.title, &d.source].into_iter().chain(&d.note).chain(&d.unit) {
                terms.add_text(text);
            }
            for column in &d.columns {
                terms.add_text(column);
            }
            if let Some(x) = d.columns.iter().position(|c| *c == f.spec.x) {
                for cell in d.rows.iter().filter_map(|r| r.get(x)) {
                    terms.add_text(&cell.label());
                }
            }
        }
        let path = format!("figures/{}/", f.spec.id);
        let mut figure = doc(Kind::Figure, &f.spec.title, path, None, terms, &[]);
        figure.stemming = own;
        figure.text.extend(f.spec.caption.as_deref().map(Cow::Borrowed));
        figure.text.extend(dataset.and_then(|d| d.note.as_deref()).map(Cow::Borrowed));
        docs.push(figure);
    }
    for t in &site.taxonomies {
        let kind = Kind::of_taxonomy(t.name);
        let label = kind.label(words);
        for term in &t.terms {
            let mut terms = Terms::default();
            terms.add_text(&term.name);
            terms.add_text(&label);
            let hq = term.record.as_ref().and_then(|r| r.hq.as_deref()).unwrap_or("");
            terms.add_text(hq);
            let path = format!("{}/{}/", t.name, term.slug);
            let mut d = doc(kind, &term.name, path, None, terms, &[]);
            d.stemming = own;
            if kind == Kind::Company {
                d.text.push(Cow::Borrowed(&term.name));
                d.text.extend((!hq.is_empty()).then_some(Cow::Borrowed(hq)));
            }
            docs.push(d);
        }
    }
    // Stable: chapters and sections keep reading order, figures their numbers.
    docs.sort_by_key(|d| d.kind);
    docs.extend(cases);
    docs
}

/// `text` of page `i` with its holes filled as its page shows them, in
/// plain text: values and references to figures in words; a figure placed
/// there, a block of its own (it has its document).
fn filled(site: &Site, i: usize, text: &str, words: &Words) -> String {
    let with = fill_holes(text, |n| match site.fills.get(i).and_then(|f| f.get(n)) {
        Some(Fill::Text(t)) => t.clone(),
        Some(Fill::FigRef(f)) => crate::figures::label(&site.figures[*f], words),
        Some(Fill::Figure(_)) => "\n".to_string(),
        Some(Fill::Href(_)) | None => String::new(),
    });
    text::plain_text(&with)
}

/// A case study: its body, title and every string of its front matter.
fn case_doc<'a>(p: &'a Page, c: &Case) -> Doc<'a> {
    // Room for the terms of a summary, a title and a few names.
    let mut terms = Terms::with_capacity(64);
    terms.add_text(&p.title);
    terms.add_text(&c.summary);
    terms.add_text(&c.area);
    terms.add_text(&c.date.year.to_string());
    for t in c.issues.iter().chain(&c.regions) {
        terms.add_text(t);
    }
    for co in &c.companies {
        terms.add_text(&co.name);
        terms.add_text(co.hq.as_deref().unwrap_or(""));
    }
    for s in &c.sources {
        terms.add_text(&s.title);
    }
    let mut d = doc(Kind::Case, &p.title, p.path.clone(), None, terms, &p.body.terms);
    d.text = p.body.texts.iter().map(|t| Cow::Borrowed(t.as_str())).collect();
    d
}

/// The front page or a chapter, then a document for each of its headings of
/// level 2 and 3, each with the text up to the next such heading.
fn chapter_docs(p: &Page) -> Vec<Doc<'_>> {
    let mut parts = p.body.terms.iter().map(std::slice::from_ref);
    let mut terms = Terms::default();
    terms.add_text(&p.title);
    let mut texts = p.body.texts.iter().map(|t| vec![Cow::Borrowed(t.as_str())]);
    let first = parts.next().unwrap_or_default();
    let mut docs = vec![doc(Kind::Chapter, &p.title, p.path.clone(), None, terms, first)];
    docs[0].text = texts.next().unwrap_or_default();
    for h in p.body.headings.iter().filter(|h| h.level == 2 || h.level == 3) {
        let mut terms = Terms::default();
        terms.add_text(&h.text);
        let path = format!("{}#{}", p.path, h.id);
        let part = parts.next().unwrap_or_default();
        let mut section = doc(Kind::Section, &h.text, path, Some(p.title.clone()), terms, part);
        section.text = texts.next().unwrap_or_default();
        docs.push(section);
    }
    docs
}

/// A document with `terms` and the terms of the body's `parts`.
fn doc<'a>(
    kind: Kind,
    title: &str,
    path: String,
    parent: Option<String>,
    terms: Terms,
    parts: &'a [String],
) -> Doc<'a> {
    let mut all = vec![Cow::Owned(terms.into_string())];
    all.extend(parts.iter().map(|p| Cow::Borrowed(p.as_str())));
    Doc {
        kind,
        title: title.to_string(),
        path,
        parent,
        terms: all,
        text: Vec::new(),
        stemming: Stemming::NONE,
    }
}

/// The A to Z list of every document, as HTML for the search page: a row of
/// links to the letters, then each letter's documents sorted with case and
/// diacritics folded. Addresses are made with `url` (the site's `Config::url`
/// for the language's prefix).
pub(crate) fn az_list(docs: &[Doc], words: &Words, url: impl Fn(&str) -> String) -> String {
    let mut sorted: Vec<(char, String, &Doc)> = docs
        .par_iter()
        .map(|d| {
            let key = normalise(&d.title);
            let key = key.trim_start_matches(|c: char| !is_word_char(c)).to_string();
            (letter_of(&key), key, d)
        })
        .collect();
    sorted.sort_by(|a, b| (a.0, &a.1, a.2.kind, &a.2.path).cmp(&(b.0, &b.1, b.2.kind, &b.2.path)));
    let labels: HashMap<Kind, String> = Kind::ALL.iter().map(|&k| (k, k.label(words))).collect();
    let mut letters: Vec<char> = sorted.iter().map(|s| s.0).collect();
    letters.dedup();
    let mut out = String::with_capacity(docs.len() * 120);
    let _ = write!(
        out,
        "<nav class=\"az-letters\" aria-label=\"{}\"><ul>",
        escape_html(&words.get("search_az"))
    );
    for (n, l) in letters.iter().enumerate() {
        let _ = write!(out, "<li><a href=\"#az-{n}\">{}</a></li>", escape_html(&letter_label(*l)));
    }
    out.push_str("</ul></nav>\n");
    let mut n = 0;
    for (i, (letter, _, d)) in sorted.iter().enumerate() {
        if i == 0 || sorted[i - 1].0 != *letter {
            if i > 0 {
                out.push_str("</ul>\n");
            }
            let _ = write!(
                out,
                "<h3 id=\"az-{n}\">{}</h3>\n<ul class=\"az-list\">",
                escape_html(&letter_label(*letter))
            );
            n += 1;
        }
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a> <span class=\"az-kind\">{}",
            escape_html(&url(&d.path)),
            escape_html(&d.title),
            escape_html(&labels[&d.kind]),
        );
        if let Some(parent) = &d.parent {
            let _ = write!(out, " · {}", escape_html(parent));
        }
        out.push_str("</span></li>");
    }
    if !sorted.is_empty() {
        out.push_str("</ul>\n");
    }
    out
}

/// The letter a folded title is listed under: its first character, digits
/// together, and each script written without spaces as one group.
fn letter_of(key: &str) -> char {
    match key.chars().next() {
        None => '#',
        Some(c) if c.is_numeric() => '0',
        Some(c) if is_spaceless(c) => match u32::from(c) {
            0x0E00..=0x0E7F => 'ก',
            0x0E80..=0x0EFF => 'ກ',
            0x1000..=0x109F => 'က',
            0x1780..=0x17FF => 'ក',
            0x3040..=0x30FF | 0x31F0..=0x31FF => 'あ',
            0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7FF => '가',
            _ => '漢',
        },
        Some(c) => c,
    }
}

fn letter_label(letter: char) -> String {
    match letter {
        '0' => "0–9".to_string(),
        c => c.to_uppercase().collect(),
    }
}
