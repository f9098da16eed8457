//! The inverted index: every key (a word's stem, or the word) with the
//! documents that hold it (and those whose title holds it), the words filed
//! under another key, the suffixes stemming removed, its compact encoding
//! into shards, and the ranking that static/search.js runs on those shards,
//! repeated here so that tests can check what a query finds.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use super::Doc;
use super::stem::{self, MIN_STEM_CHARS, Stemming};
use super::text::{Terms, Token, index_terms, query_tokens};
use crate::hash::Fast;

/// A key and its documents, by document number (ascending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key: a normalised word, or the stem of words.
    pub term: String,
    /// Documents holding it anywhere.
    pub docs: Vec<u32>,
    /// Documents holding it in their title (a subset of `docs`).
    pub titles: Vec<u32>,
}

/// A word of the documents filed under another key (its stem).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Link {
    /// The normalised word.
    pub word: String,
    /// The key it is filed under; it starts with the word's first two
    /// characters, so it is in the word's shard.
    pub key: String,
}

/// Every key of a set of documents, sorted as JavaScript sorts strings
/// (by UTF-16 code units), so that search.js can search a shard by halves;
/// the words filed under another key, sorted the same way; and the
/// suffixes stemming removed.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// The keys.
    pub entries: Vec<Entry>,
    /// The words filed under another key (a word may have one per language).
    pub links: Vec<Link>,
    /// What stemming removed from the words it filed under a key that
    /// begins them (`stem::suffix_of`), sorted.
    pub suffixes: Vec<String>,
    /// How many documents there are.
    pub docs: usize,
}

/// A title's weight over a match in the text, for ranking.
const TITLE_WEIGHT: u32 = 4;

/// A word of some documents, in the documents of one stemming.
struct Word {
    term: String,
    stemming: Stemming,
    docs: Vec<u32>,
    titles: Vec<u32>,
}

impl Index {
    /// Builds the index of `docs`. Runs of documents are indexed in
    /// parallel, then joined in order; then each word is stemmed once.
    pub fn build(docs: &[Doc]) -> Index {
        const RUN: usize = 1024;
        let parts: Vec<Vec<Word>> = docs
            .par_chunks(RUN)
            .enumerate()
            .map(|(n, run)| build_run(run, (n * RUN) as u32))
            .collect();
        let mut at: HashMap<(String, Stemming), usize, Fast> = HashMap::default();
        let mut words: Vec<Word> = Vec::new();
        for part in parts {
            for mut w in part {
                let term = std::mem::take(&mut w.term);
                match at.entry((term, w.stemming)) {
                    std::collections::hash_map::Entry::Occupied(o) => {
                        let i = *o.get();
                        words[i].docs.extend(w.docs);
                        words[i].titles.extend(w.titles);
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        w.term = v.key().0.clone();
                        v.insert(words.len());
                        words.push(w);
                    }
                }
            }
        }
        drop(at);
        let mut suffixes: BTreeSet<String> = BTreeSet::new();
        for d in docs.iter().map(|d| d.stemming).collect::<BTreeSet<_>>() {
            suffixes.extend(d.endings().iter().map(|e| e.to_string()));
        }
        let keys: Vec<Option<String>> = words
            .par_iter()
            .map_init(
                HashMap::<Stemming, Option<rust_stemmers::Stemmer>, Fast>::default,
                |stemmers, w| {
                    let stemmer =
                        stemmers.entry(w.stemming).or_insert_with(|| w.stemming.stemmer());
                    stemmer.as_ref().and_then(|s| stem::key_of(&w.term, s))
                },
            )
            .collect();
        let mut links = Vec::new();
        let mut by_key: HashMap<String, usize, Fast> = HashMap::default();
        let mut entries: Vec<Entry> = Vec::new();
        for (w, key) in words.into_iter().zip(keys) {
            let term = match key {
                Some(key) => {
                    suffixes.extend(stem::suffix_of(&w.term, &key).map(String::from));
                    links.push(Link { word: w.term, key: key.clone() });
                    key
                }
                None => w.term,
            };
            match by_key.get(&term) {
                Some(&i) => {
                    entries[i].docs.extend(w.docs);
                    entries[i].titles.extend(w.titles);
                }
                None => {
                    by_key.insert(term.clone(), entries.len());
                    entries.push(Entry { term, docs: w.docs, titles: w.titles });
                }
            }
        }
        // Keys of several words hold several runs of documents.
        entries.par_iter_mut().for_each(|e| {
            for list in [&mut e.docs, &mut e.titles] {
                if !list.is_sorted_by(|a, b| a < b) {
                    list.sort_unstable();
                    list.dedup();
                }
            }
        });
        entries.par_sort_unstable_by(|a, b| utf16_cmp(&a.term, &b.term));
        links.par_sort_unstable_by(|a, b| {
            utf16_cmp(&a.word, &b.word).then_with(|| utf16_cmp(&a.key, &b.key))
        });
        links.dedup();
        Index { entries, links, suffixes: suffixes.into_iter().collect(), docs: docs.len() }
    }

    /// The entry whose key is `key`.
    fn entry(&self, key: &str) -> Option<usize> {
        let i = self.entries.partition_point(|e| utf16_cmp(&e.term, key).is_lt());
        (self.entries.get(i)?.term == key).then_some(i)
    }

    /// The entries a token finds, each with whether it finds it as a whole
    /// word: its own key; the keys of the word where it is filed under
    /// another; when no document has the word, the keys of three
    /// characters or more that begin it where the rest is a known suffix
    /// ("responding" finds "respond"); and when it is a prefix, every key
    /// and every word's key that starts with it. search.js does the same.
    fn matches(&self, token: &Token) -> Vec<(usize, bool)> {
        let text = token.text.as_str();
        let mut found: Vec<(usize, bool)> = Vec::new();
        let mut add = |i: usize, whole: bool| match found.iter_mut().find(|f| f.0 == i) {
            Some(f) => f.1 |= whole,
            None => found.push((i, whole)),
        };
        let is_in = |term: &str| {
            if token.is_prefix { term.starts_with(text) } else { term == text }
        };
        let mut is_known = false;
        let start = self.entries.partition_point(|e| utf16_cmp(&e.term, text).is_lt());
        for (i, e) in self.entries.iter().enumerate().skip(start) {
            if !is_in(&e.term) {
                break;
            }
            is_known |= e.term == text;
            add(i, e.term == text);
        }
        let start = self.links.partition_point(|l| utf16_cmp(&l.word, text).is_lt());
        for l in self.links[start..].iter().take_while(|l| is_in(&l.word)) {
            is_known |= l.word == text;
            if let Some(i) = self.entry(&l.key) {
                add(i, l.word == text);
            }
        }
        if !is_known {
            for (at, _) in text.char_indices().skip(MIN_STEM_CHARS) {
                let rest = &text[at..];
                if self.suffixes.binary_search_by(|s| s.as_str().cmp(rest)).is_ok()
                    && let Some(i) = self.entry(&text[..at])
                {
                    add(i, true);
                }
            }
        }
        found
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
            for (i, whole) in self.matches(token) {
                let e = &self.entries[i];
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

/// The words of documents `first`, `first + 1`..., each in one stemming.
fn build_run<'a>(docs: &'a [Doc], first: u32) -> Vec<Word> {
    let mut at: HashMap<(&'a str, Stemming), usize, Fast> = HashMap::default();
    let mut words: Vec<Word> = Vec::new();
    let mut title_terms = Terms::default();
    for (n, doc) in (first..).zip(docs) {
        let stemming = doc.stemming;
        for terms in &doc.terms {
            each_term(terms, |term| {
                let i = *at.entry((term, stemming)).or_insert_with(|| {
                    words.push(Word {
                        term: term.to_string(),
                        stemming,
                        docs: Vec::new(),
                        titles: Vec::new(),
                    });
                    words.len() - 1
                });
                if words[i].docs.last() != Some(&n) {
                    words[i].docs.push(n);
                }
            });
        }
        title_terms.clear();
        index_terms(&doc.title, |t| title_terms.add(t));
        each_term(title_terms.as_str(), |t| {
            if let Some(&i) = at.get(&(t, stemming)) {
                words[i].titles.push(n);
            }
        });
    }
    words
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
                    text: Vec::new(),
                    stemming: Stemming::NONE,
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
            text: Vec::new(),
            stemming: Stemming::NONE,
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
