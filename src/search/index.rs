//! The inverted index: every term with the documents that hold it (and
//! those whose title holds it), its compact encoding into shards, and the
//! ranking that static/search.js runs on those shards, repeated here so that
//! tests can check what a query finds.

use std::cmp::Ordering;
use std::collections::HashMap;

use rayon::prelude::*;

use super::Doc;
use super::text::{Terms, Token, index_terms, query_tokens};
use crate::hash::Fast;

/// A term and its documents, by document number (ascending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The normalised term.
    pub term: String,
    /// Documents holding it anywhere.
    pub docs: Vec<u32>,
    /// Documents holding it in their title (a subset of `docs`).
    pub titles: Vec<u32>,
}

/// Every term of a set of documents, sorted as JavaScript sorts strings
/// (by UTF-16 code units), so that search.js can search a shard by halves.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// The terms.
    pub entries: Vec<Entry>,
    /// How many documents there are.
    pub docs: usize,
}

/// A title's weight over a match in the text, for ranking.
const TITLE_WEIGHT: u32 = 4;

impl Index {
    /// Builds the index of `docs`. Runs of documents are indexed in
    /// parallel, then joined in order.
    pub fn build(docs: &[Doc]) -> Index {
        const RUN: usize = 1024;
        let parts: Vec<Vec<Entry>> = docs
            .par_chunks(RUN)
            .enumerate()
            .map(|(n, run)| build_run(run, (n * RUN) as u32))
            .collect();
        let mut at: HashMap<String, usize, Fast> = HashMap::default();
        let mut entries: Vec<Entry> = Vec::new();
        for part in parts {
            for e in part {
                match at.get(e.term.as_str()) {
                    Some(&i) => {
                        entries[i].docs.extend(e.docs);
                        entries[i].titles.extend(e.titles);
                    }
                    None => {
                        at.insert(e.term.clone(), entries.len());
                        entries.push(e);
                    }
                }
            }
        }
        entries.par_sort_unstable_by(|a, b| utf16_cmp(&a.term, &b.term));
        Index { entries, docs: docs.len() }
    }

    /// The entries whose term is `token`, or starts with it when it is a prefix.
    fn matches(&self, token: &Token) -> &[Entry] {
        let start = self.entries.partition_point(|e| utf16_cmp(&e.term, &token.text).is_lt());
        let rest = &self.entries[start..];
        let len = if token.is_prefix {
            rest.partition_point(|e| e.term.starts_with(token.text.as_str()))
        } else {
            usize::from(rest.first().is_some_and(|e| e.term == token.text))
        };
        &rest[..len]
    }

    /// The documents that match every token of `query`, best first: each
    /// token found in the title counts `TITLE_WEIGHT`, each found as a whole
    /// word (not only as the start of one) counts 1; ties keep document order.
    /// search.js ranks the same way.
    pub fn query(&self, query: &str) -> Vec<u32> {
        let tokens = query_tokens(query);
        if tokens.is_empty() {
            return Vec::new();
        }
        let mut hits = vec![0u32; self.docs];
        let mut score = vec![0u32; self.docs];
        for (round, token) in (1u32..).zip(&tokens) {
            let mut seen = vec![0u8; self.docs];
            for e in self.matches(token) {
                let whole = e.term == token.text;
                for &d in &e.docs {
                    let d = d as usize;
                    if hits[d] == round - 1 {
                        hits[d] = round;
                    }
                    if whole && seen[d] & 1 == 0 {
                        seen[d] |= 1;
                        score[d] += 1;
                    }
                }
                for &d in &e.titles {
                    let d = d as usize;
                    if seen[d] & 2 == 0 {
                        seen[d] |= 2;
                        score[d] += TITLE_WEIGHT;
                    }
                }
            }
        }
        let all = tokens.len() as u32;
        let mut found: Vec<u32> =
            (0..self.docs as u32).filter(|&d| hits[d as usize] == all).collect();
        found.sort_by(|&a, &b| score[b as usize].cmp(&score[a as usize]).then(a.cmp(&b)));
        found
    }
}

/// The index of documents `first`, `first + 1`...
fn build_run<'a>(docs: &'a [Doc], first: u32) -> Vec<Entry> {
    let mut at: HashMap<&'a str, usize, Fast> = HashMap::default();
    let mut entries: Vec<Entry> = Vec::new();
    let mut title_terms = Terms::default();
    for (n, doc) in (first..).zip(docs) {
        for terms in &doc.terms {
            each_term(terms, |term| {
                let i = *at.entry(term).or_insert_with(|| {
                    entries.push(Entry {
                        term: term.to_string(),
                        docs: Vec::new(),
                        titles: Vec::new(),
                    });
                    entries.len() - 1
                });
                if entries[i].docs.last() != Some(&n) {
                    entries[i].docs.push(n);
                }
            });
        }
        title_terms.clear();
        index_terms(&doc.title, |t| title_terms.add(t));
        each_term(title_terms.as_str(), |t| {
            if let Some(&i) = at.get(t) {
                entries[i].titles.push(n);
            }
        });
    }
    entries
}

/// Calls `f` with each term of `terms` (separated by spaces). A plain loop
/// over the bytes: terms are short, and a search for each space costs more
/// than the term.
fn each_term<'a>(terms: &'a str, mut f: impl FnMut(&'a str)) {
    let mut start = 0;
    for (i, &b) in terms.as_bytes().iter().enumerate() {
        if b == b' ' {
            if i > start {
                f(&terms[start..i]);
            }
            start = i + 1;
        }
    }
    if start < terms.len() {
        f(&terms[start..]);
    }
}

/// Compares as JavaScript compares strings: by UTF-16 code units.
pub(crate) fn utf16_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Which of `shards` shards holds `term`: FNV-1a over the code points of its
/// first two characters, so that every term starting with the same two
/// characters lies in one shard. search.js computes the same.
pub(crate) fn shard_of(term: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for c in term.chars().take(2) {
        h = (h ^ u32::from(c)).wrapping_mul(0x0100_0193);
    }
    (h as usize) % shards.max(1)
}

/// The 64 characters of encoded document lists: the first 32 end a number,
/// the last 32 carry its higher bits. None needs escaping in JSON.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Appends ascending document numbers as gaps (each minus one), five bits a
/// character, most significant first: a run of neighbouring documents is a
/// run of `0`s.
pub fn encode(ids: &[u32], out: &mut String) {
    let mut next = 0u32;
    for &id in ids {
        let mut gap = id.saturating_sub(next);
        next = id + 1;
        let mut groups = [0u8; 7];
        let mut n = 0;
        loop {
            groups[n] = (gap & 31) as u8;
            n += 1;
            gap >>= 5;
            if gap == 0 {
                break;
            }
        }
        for k in (1..n).rev() {
            out.push(char::from(DIGITS[32 + usize::from(groups[k])]));
        }
        out.push(char::from(DIGITS[usize::from(groups[0])]));
    }
}

/// Reads what `encode` wrote; `None` if it holds another character (the
/// client's decoder does this in search.js; this one checks `encode`).
#[cfg(test)]
fn decode(s: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    let (mut v, mut next) = (0u32, 0u32);
    for b in s.bytes() {
        let d = DIGITS.iter().position(|&x| x == b)? as u32;
        if d >= 32 {
            v = (v << 5) | (d - 32);
        } else {
            let id = next + ((v << 5) | d);
            out.push(id);
            next = id + 1;
            v = 0;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_lists_round_trip_and_runs_are_zeros() {
        for ids in [vec![], vec![0], vec![0, 1, 2, 3], vec![5, 40, 41, 100_000, 3_000_000]] {
            let mut s = String::new();
            encode(&ids, &mut s);
            assert_eq!(decode(&s), Some(ids.clone()), "{s}");
        }
        let mut s = String::new();
        encode(&[0, 1, 2, 3], &mut s);
        assert_eq!(s, "0000");
        assert_eq!(decode("0!"), None);
    }

    #[test]
    fn terms_sort_as_javascript_strings() {
        // U+FF21 is one UTF-16 unit, U+1F600 two surrogates starting at 0xD83D.
        assert_eq!(utf16_cmp("\u{FF21}", "\u{1F600}"), Ordering::Greater);
        assert_eq!("\u{FF21}".cmp("\u{1F600}"), Ordering::Less);
    }

    #[test]
    fn shards_group_terms_by_their_first_two_characters() {
        assert_eq!(shard_of("labour", 64), shard_of("lab", 64));
        assert_eq!(shard_of("la", 64), shard_of("labour", 64));
        assert_eq!(shard_of("x", 1), 0);
        // FNV-1a of "a": search.js checks the same constant.
        assert_eq!(shard_of("a", usize::MAX), 0xe40c_292c);
    }

    #[test]
    fn an_index_of_many_runs_lists_each_term_with_all_its_documents_in_order() {
        // Enough documents for several runs; terms shared across runs, and
        // some of a single document. A document's terms hold its title's,
        // as `documents` makes them.
        let docs: Vec<Doc> = (0..3000u32)
            .map(|n| {
                let title = format!("case t{}", n % 7);
                let terms = format!("{title} w{} w{} only{n}", n % 5, n % 1001);
                Doc {
                    kind: super::super::Kind::Case,
                    title,
                    path: String::new(),
                    parent: None,
                    terms: vec![terms.into()],
                }
            })
            .collect();
        let index = Index::build(&docs);
        let mut want: std::collections::BTreeMap<String, (Vec<u32>, Vec<u32>)> = Default::default();
        for (n, d) in (0u32..).zip(&docs) {
            for w in d.terms[0].split(' ') {
                let e = want.entry(w.to_string()).or_default();
                if e.0.last() != Some(&n) {
                    e.0.push(n);
                }
            }
            for w in d.title.split(' ') {
                let e = want.entry(w.to_string()).or_default();
                if e.1.last() != Some(&n) {
                    e.1.push(n);
                }
            }
        }
        assert_eq!(index.entries.len(), want.len());
        for e in &index.entries {
            assert_eq!((&e.docs, &e.titles), (&want[&e.term].0, &want[&e.term].1), "{}", e.term);
        }
        assert!(index.entries.windows(2).all(|w| utf16_cmp(&w[0].term, &w[1].term).is_lt()));
    }

    #[test]
    fn queries_need_every_token_and_rank_titles_first() {
        let docs: Vec<Doc> = [
            ("Labour rights", "labour rights"),
            ("Cobalt mine", "cobalt mine labour child"),
            ("Child labour", "child labour labour"),
            ("Laboratory", "laboratory"),
        ]
        .iter()
        .map(|(title, terms)| Doc {
            kind: super::super::Kind::Chapter,
            title: title.to_string(),
            path: String::new(),
            parent: None,
            terms: vec![(*terms).into(), "".into()],
        })
        .collect();
        let index = Index::build(&docs);
        assert_eq!(index.query("labour"), [0, 2, 1]);
        assert_eq!(index.query("lab"), [0, 2, 3, 1]);
        assert_eq!(index.query("child lab"), [2, 1]);
        assert_eq!(index.query("CHILD"), [2, 1]);
        assert!(index.query("l").is_empty(), "one letter is a whole word, not a prefix");
        assert!(index.query("nothing").is_empty());
    }
}
