//! Search, written at build time: `documents` gathers what a reader can find
//! (chapters and their sections, figures, term and company pages, case
//! studies) from the model and the rendered pages; `files` writes their
//! static index for static/search.js; `az_list` is the A to Z list of the
//! search page, which is all a reader without JavaScript gets. Each takes
//! one language's documents and its output prefix (`""` or `"fr/"`).

pub mod index;
pub mod stem;
pub mod text;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::content::{Case, Page, PageKind};
use crate::html::escape_html;
use crate::i18n::Words;
use crate::output_file::OutputFile;
use crate::site::Site;
pub use index::Index;
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
/// first). Page text comes from the terms Markdown rendering collected
/// (`Rendered::terms`), the rest from front matter, datasets and taxonomies.
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
            }
            docs
        })
        .collect();
    let (cases, mut docs): (Vec<Doc>, Vec<Doc>) =
        pages.into_iter().flatten().partition(|d| d.kind == Kind::Case);

    let figure = words.get("figure");
    for f in &site.figures {
        let mut terms = Terms::default();
        terms.add_text(&f.spec.title);
        terms.add_text(&format!("{figure} {}", f.number));
        terms.add_text(f.spec.caption.as_deref().unwrap_or(""));
        if let Some(d) = site.datasets.get(&f.dataset) {
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
        figure.text.extend(f.spec.caption.iter().map(|c| Cow::Owned(c.clone())));
        if let Some(note) = site.datasets.get(&f.dataset).and_then(|d| d.note.as_ref()) {
            figure.text.push(Cow::Owned(note.clone()));
        }
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
                d.text.push(Cow::Owned(term.name.clone()));
                d.text.extend((!hq.is_empty()).then(|| Cow::Owned(hq.to_string())));
            }
            docs.push(d);
        }
    }
    // Stable: chapters and sections keep reading order, figures their numbers.
    docs.sort_by_key(|d| d.kind);
    docs.extend(cases);
    docs
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

/// How many shards the terms are split into: about `SHARD_BYTES` each.
const SHARD_BYTES: usize = 64 * 1024;
/// At most this many shards, whatever the size.
const MAX_SHARDS: usize = 256;
/// Documents per file of titles and addresses.
pub(crate) const CHUNK: usize = 500;
/// A file of documents' texts holds about this many bytes (or one document).
const TEXT_BYTES: usize = 12 * 1024;
/// A document's text is cut after this many bytes.
const MAX_TEXT_BYTES: usize = 32 * 1024;

/// The index files of one language's documents, under `<prefix>search/`:
///
/// - `index.json`: the format version, the folder of the other files, the
///   number of documents, shards and documents per chunk, the kinds (name
///   for readers, first document), the suffixes stemming removed
///   (`Index::suffixes`) and the words search.js shows;
/// - `<hash>/t/<n>.json`: shard n of the keys and words, sorted by UTF-16
///   code units: `[key, documents, title documents]` (document lists
///   encoded by `index::encode`) and `[word, n, rest]` for a word filed
///   under another key (the key is the word's first n UTF-16 units, then
///   `rest`);
/// - `<hash>/d/<n>.json`: documents n*CHUNK.., `[[title, path, text file,
///   chapter], ...]` (the text file -1 when the document has no text, the
///   chapter only for sections; paths relative to the language's root);
/// - `<hash>/x/<n>.json`: `[first document, its text, the next one's...]`,
///   the plain text of a run of documents (`TEXT_BYTES`), for excerpts.
///
/// `<hash>` is a hash of the shards and chunks (`assets::content_hash`): a
/// changed index is a new folder, so its files may be cached forever, and
/// `index.json` (which is not, like a page) never names shards of another
/// build.
///
/// docs/search.md describes the format and why it was chosen.
pub fn files(docs: &[Doc], prefix: &str, words: &Words) -> Vec<OutputFile> {
    let index = Index::build(docs);
    let mut out = shards(&index);
    let shard_count = out.len();
    let (texts, text_of) = text_files(docs);
    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        let rows: Vec<Value> = chunk
            .iter()
            .zip(&text_of[n * CHUNK..])
            .map(|(d, x)| match &d.parent {
                Some(p) => json!([d.title, d.path, x, p]),
                None => json!([d.title, d.path, x]),
            })
            .collect();
        out.push(json_file(format!("d/{n}.json"), &Value::Array(rows)));
    }
    out.extend(texts);
    let folder = crate::assets::files_hash(out.iter().map(|f| (f.path.as_str(), &f.bytes[..])));
    let dir = format!("{prefix}search");
    for f in &mut out {
        f.path = format!("{dir}/{folder}/{}", f.path);
    }
    let kinds: Vec<Value> = Kind::ALL
        .iter()
        .filter_map(|&k| {
            let first = docs.iter().position(|d| d.kind == k)?;
            Some(json!([k.label(words), first]))
        })
        .collect();
    let js_words: serde_json::Map<String, Value> =
        JS_WORDS.iter().map(|k| (k.to_string(), Value::String(words.get(k)))).collect();
    let head = json!({
        "version": 3,
        "files": format!("{folder}/"),
        "docs": docs.len(),
        "shards": shard_count,
        "chunk": CHUNK,
        "kinds": kinds,
        "suffixes": index.suffixes,
        "words": js_words,
    });
    out.push(json_file(format!("{dir}/index.json"), &head));
    out
}

/// The shards of `index`, `t/<n>.json`: its keys and the words filed under
/// another key, merged in UTF-16 order (a key before a word of the same
/// spelling), each in the shard of its first two characters.
fn shards(index: &Index) -> Vec<OutputFile> {
    let rows: Vec<(&str, String)> = index
        .entries
        .par_iter()
        .map(|e| {
            let mut row = String::from("[");
            row.push_str(&serde_json::to_string(&e.term).unwrap_or_default());
            row.push_str(",\"");
            index::encode(&e.docs, &mut row);
            if !e.titles.is_empty() {
                row.push_str("\",\"");
                index::encode(&e.titles, &mut row);
            }
            row.push_str("\"]");
            (e.term.as_str(), row)
        })
        .collect();
    let links: Vec<(&str, String)> = index
        .links
        .par_iter()
        .map(|l| {
            let common: usize = l
                .word
                .chars()
                .zip(l.key.chars())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a.len_utf8())
                .sum();
            let units = l.word[..common].encode_utf16().count();
            let mut row = String::from("[");
            row.push_str(&serde_json::to_string(&l.word).unwrap_or_default());
            let _ = write!(row, ",{units}");
            if common < l.key.len() {
                row.push(',');
                row.push_str(&serde_json::to_string(&l.key[common..]).unwrap_or_default());
            }
            row.push(']');
            (l.word.as_str(), row)
        })
        .collect();
    let size: usize = rows.iter().chain(&links).map(|(_, r)| r.len() + 1).sum();
    let count = size.div_ceil(SHARD_BYTES).clamp(1, MAX_SHARDS);
    let mut texts: Vec<String> = vec![String::from("["); count];
    let (mut keys, mut words) = (rows.iter().peekable(), links.iter().peekable());
    loop {
        let next = match (keys.peek(), words.peek()) {
            (Some(k), Some(w)) if index::utf16_cmp(k.0, w.0).is_le() => keys.next(),
            (_, Some(_)) => words.next(),
            (Some(_), None) => keys.next(),
            (None, None) => break,
        };
        let Some((term, row)) = next else { break };
        let text = &mut texts[index::shard_of(term, count)];
        if text.len() > 1 {
            text.push(',');
        }
        text.push_str(row);
    }
    texts
        .into_iter()
        .enumerate()
        .map(|(n, mut text)| {
            text.push(']');
            json_text(format!("t/{n}.json"), &text)
        })
        .collect()
}

/// The files of documents' texts, `x/<n>.json`, and the file of each
/// document (-1 for a document without text).
fn text_files(docs: &[Doc]) -> (Vec<OutputFile>, Vec<i64>) {
    let texts: Vec<String> = docs
        .par_iter()
        .map(|d| {
            let mut text = String::new();
            for part in d.text.iter().filter(|p| !p.is_empty()) {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(part);
                if text.len() >= MAX_TEXT_BYTES {
                    break;
                }
            }
            if text.len() > MAX_TEXT_BYTES {
                let mut end = MAX_TEXT_BYTES;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.truncate(end);
            }
            text
        })
        .collect();
    let mut files = Vec::new();
    let mut of = Vec::with_capacity(docs.len());
    let mut chunk: Vec<Value> = Vec::new();
    let mut bytes = 0;
    for (id, text) in texts.into_iter().enumerate() {
        if !chunk.is_empty() && bytes + text.len() > TEXT_BYTES {
            files.push(json_file(format!("x/{}.json", files.len()), &Value::Array(chunk)));
            chunk = Vec::new();
            bytes = 0;
        }
        if chunk.is_empty() {
            chunk.push(json!(id));
        }
        of.push(if text.is_empty() { -1 } else { files.len() as i64 });
        bytes += text.len();
        chunk.push(Value::String(text));
    }
    if !chunk.is_empty() {
        files.push(json_file(format!("x/{}.json", files.len()), &Value::Array(chunk)));
    }
    (files, of)
}

/// The theme's words that search.js shows, handed to it in index.json.
const JS_WORDS: [&str; 6] = [
    "search_results",
    "search_result_one",
    "search_none",
    "search_all",
    "search_more",
    "search_error",
];

/// A JSON file with `<`, `>` and `&` escaped (they only occur in strings),
/// and the two line separators JavaScript once refused in strings.
fn json_file(path: String, value: &Value) -> OutputFile {
    json_text(path, &value.to_string())
}

/// `json_file` for JSON already written.
fn json_text(path: String, text: &str) -> OutputFile {
    let mut s = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        let escaped = match b {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            0xE2 if text[i..].starts_with('\u{2028}') => "\\u2028",
            0xE2 if text[i..].starts_with('\u{2029}') => "\\u2029",
            _ => continue,
        };
        s.push_str(&text[last..i]);
        s.push_str(escaped);
        last = i + if b == 0xE2 { 3 } else { 1 };
    }
    s.push_str(&text[last..]);
    s.push('\n');
    OutputFile { path, bytes: s.into_bytes() }
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
