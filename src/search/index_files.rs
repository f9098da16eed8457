//! The files of a language's search index (`files`): index.json, the
//! shards of keys and words, the chunks of titles and addresses and the
//! texts of the excerpts, as static/search.js reads them (docs/search.md).

use std::fmt::Write as _;

use rayon::prelude::*;
use serde_json::{Value, json};

use super::{Doc, Index, Kind, index};
use crate::i18n::Words;
use crate::output_file::OutputFile;

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
    let named: Vec<(&str, &[u8])> = out.iter().map(|f| (f.path.as_str(), &f.bytes[..])).collect();
    let folder = crate::assets::files_hash(&named);
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
