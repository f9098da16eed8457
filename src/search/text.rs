//! Text for the search index: the readable text of rendered HTML, and the
//! normalisation and tokenising rules that static/search.js repeats exactly
//! for queries (fold case and diacritics; words for scripts with spaces,
//! character bigrams and unigrams for scripts without).

use std::hash::Hasher;

use crate::hash::{FastHasher, FastMap};

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The longest term kept, in characters: longer words are cut (queries too),
/// so a pasted blob cannot bloat the index and is still found by its start.
pub(crate) const MAX_TERM_CHARS: usize = 32;

/// Appends `text` folded for search: compatibility-decomposed (NFKD), without
/// combining marks (except the kana voicing marks, so that が stays が),
/// recomposed (NFC), lowercased, with final sigma as sigma.
///
/// static/search.js: `s.normalize("NFKD").replace(marks, "").normalize("NFC").toLowerCase()`.
pub(crate) fn normalise_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        out.extend(text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    if text.len() > FOLDED_LEN {
        fold(text, out);
        return;
    }
    // Words: the same names come back page after page, and folding is slow.
    if FOLDED.with_borrow(|m| m.get(text).map(|f| out.push_str(f)).is_some()) {
        return;
    }
    let start = out.len();
    fold(text, out);
    FOLDED.with_borrow_mut(|m| {
        if m.len() >= FOLDED_MAX {
            m.clear();
        }
        m.insert(text.into(), out[start..].into());
    });
}

/// Pieces of text longer than this (in bytes) are folded afresh each time.
const FOLDED_LEN: usize = 32;
/// How many folded pieces a thread keeps before it starts again.
const FOLDED_MAX: usize = 4096;

thread_local! {
    /// Short pieces of text already folded on this thread, with their folding.
    static FOLDED: std::cell::RefCell<FastMap<Box<str>, Box<str>>> = std::cell::RefCell::default();
}

/// `normalise_into` for text that is not all ASCII, without the memo.
fn fold(text: &str, out: &mut String) {
    let kept: String = text.nfkd().filter(|&c| !is_combining_mark(c) || is_kana_mark(c)).collect();
    for c in kept.nfc() {
        for l in c.to_lowercase() {
            out.push(if l == 'ς' { 'σ' } else { l });
        }
    }
}

/// `text` folded for search (see `normalise_into`).
pub(crate) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalise_into(text, &mut out);
    out
}

fn is_kana_mark(c: char) -> bool {
    c == '\u{3099}' || c == '\u{309A}'
}

/// Is `c` part of a word? Letters and other alphabetic characters, and numbers.
/// static/search.js: `/[\p{Alphabetic}\p{N}]/u`.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Is `c` of a script written without spaces between words (Han, kana,
/// Hangul, Thai, Lao, Myanmar, Khmer)? Such text is indexed as characters and
/// pairs of characters, so that any part of it can be found.
pub(crate) fn is_spaceless(c: char) -> bool {
    matches!(u32::from(c),
        0x0E00..=0x0EFF // Thai, Lao
        | 0x1000..=0x109F // Myanmar
        | 0x1100..=0x11FF // Hangul jamo
        | 0x1780..=0x17FF // Khmer
        | 0x2E80..=0x2FDF // CJK and Kangxi radicals
        | 0x3005..=0x3007 // 々 〆 〇
        | 0x3021..=0x3029 // Hangzhou numerals
        | 0x3038..=0x303B
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3130..=0x318F // Hangul compatibility jamo
        | 0x31F0..=0x31FF // Katakana extensions
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xA960..=0xA97F // Hangul jamo extended A
        | 0xAC00..=0xD7FF // Hangul syllables, jamo extended B
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0x20000..=0x3FFFF) // CJK extensions B and later
}

/// A piece of a query: a term to look up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// The normalised term.
    pub text: String,
    /// Does it also match longer terms that start with it (a word being typed)?
    pub(crate) is_prefix: bool,
}

/// Calls `emit` with each index term of `text` (normalised, maybe repeated):
/// each word of a script with spaces, and each character and pair of
/// neighbouring characters of a run of spaceless script.
pub(crate) fn index_terms(text: &str, mut emit: impl FnMut(&str)) {
    let mut buf = String::new();
    for_each_run(text, &mut buf, |run, spaceless| {
        if spaceless {
            let mut prev: Option<(usize, char)> = None;
            for (i, c) in run.char_indices() {
                let end = i + c.len_utf8();
                emit(&run[i..end]);
                if let Some((start, _)) = prev {
                    emit(&run[start..end]);
                }
                prev = Some((i, c));
            }
        } else {
            emit(cut(strip_clitics(run)));
        }
    });
}

/// An Arabic word without the conjunction و or the article (ال, وال, بال,
/// كال, فال, لل) attached to its start, so that "والحقوق" is found as
/// "حقوق"; both the index and queries strip them (search.js too). The
/// article goes when two characters are left, و alone when three are.
pub(crate) fn strip_clitics(word: &str) -> &str {
    // Every form starts with one of و ب ك ف ل ا (U+0627..U+0648: D8 or D9 in UTF-8).
    if !matches!(word.as_bytes().first(), Some(0xD8 | 0xD9)) {
        return word;
    }
    for article in ["وال", "بال", "كال", "فال", "لل", "ال"] {
        if let Some(rest) = word.strip_prefix(article)
            && rest.chars().nth(1).is_some()
        {
            return rest;
        }
    }
    match word.strip_prefix('و') {
        Some(rest) if rest.chars().nth(2).is_some() => rest,
        _ => word,
    }
}

/// The terms a query looks up, each once, in order: words (prefixes once two
/// characters long, so results come as the reader types), and for spaceless
/// scripts the character when it stands alone, else every pair of characters.
pub(crate) fn query_tokens(query: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut buf = String::new();
    let mut push = |text: &str, is_prefix: bool| {
        if !tokens.iter().any(|t| t.text == text) {
            tokens.push(Token { text: text.to_string(), is_prefix });
        }
    };
    for_each_run(query, &mut buf, |run, spaceless| {
        let chars: Vec<(usize, char)> = run.char_indices().collect();
        if spaceless && chars.len() > 1 {
            for pair in chars.windows(2) {
                let end = pair[1].0 + pair[1].1.len_utf8();
                push(&run[pair[0].0..end], false);
            }
        } else if spaceless {
            push(run, false);
        } else {
            let run = cut(strip_clitics(run));
            push(run, run.chars().nth(1).is_some());
        }
    });
    tokens
}

/// The first `MAX_TERM_CHARS` characters of `word`.
#[inline]
fn cut(word: &str) -> &str {
    if word.len() <= MAX_TERM_CHARS {
        return word;
    }
    match word.char_indices().nth(MAX_TERM_CHARS) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

/// Classes of bytes for the tokeniser: a word break (ASCII other than
/// letters and digits), a lowercase letter or digit, an uppercase letter,
/// or part of a non-ASCII character.
const BREAK: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const OTHER: u8 = 4;
const CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'0'..=b'9' => LOWER,
            b'A'..=b'Z' => UPPER,
            _ => BREAK,
        };
        b += 1;
    }
    t
};

/// Normalises `text` and calls `f` with each run of word characters of one
/// kind (spaceless script or not). ASCII spaces and punctuation never change
/// under normalisation, so the text is folded a piece at a time between them,
/// and lowercase ASCII words are passed as they are.
fn for_each_run(text: &str, buf: &mut String, mut f: impl FnMut(&str, bool)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && CLASS[usize::from(bytes[i])] == BREAK {
            i += 1;
        }
        let start = i;
        let mut seen = 0;
        while i < bytes.len() {
            let class = CLASS[usize::from(bytes[i])];
            if class == BREAK {
                break;
            }
            seen |= class;
            i += 1;
        }
        if start == i {
            break;
        }
        // Breaks are ASCII, so both ends are character boundaries.
        let piece = &text[start..i];
        if seen == LOWER {
            f(piece, false);
            continue;
        }
        buf.clear();
        if seen & OTHER == 0 {
            buf.push_str(piece);
            buf.make_ascii_lowercase();
            f(buf, false);
            continue;
        }
        normalise_into(piece, buf);
        let mut run: Option<(usize, bool)> = None;
        for (j, c) in buf.char_indices() {
            let kind = is_word_char(c).then(|| is_spaceless(c));
            match (run, kind) {
                (Some((s, k)), Some(k2)) if k != k2 => {
                    f(&buf[s..j], k);
                    run = Some((j, k2));
                }
                (Some((s, k)), None) => {
                    f(&buf[s..j], k);
                    run = None;
                }
                (None, Some(k)) => run = Some((j, k)),
                _ => {}
            }
        }
        if let Some((s, k)) = run {
            f(&buf[s..], k);
        }
    }
}

/// The terms of one document, each kept once, in the order first met.
#[derive(Debug, Default)]
pub struct Terms {
    seen: Seen,
    text: String,
}

impl Terms {
    /// Room for about `n` terms before growing.
    pub fn with_capacity(n: usize) -> Self {
        Terms {
            seen: Seen { slots: vec![0; (n * 2).next_power_of_two().max(16)], len: 0 },
            text: String::new(),
        }
    }

    /// Adds each term of `text` (`index_terms`).
    pub fn add_text(&mut self, text: &str) {
        index_terms(text, |t| self.add(t));
    }

    /// Adds terms separated by spaces (as `as_str` gives them).
    pub fn add_terms(&mut self, terms: &str) {
        for t in terms.split(' ').filter(|t| !t.is_empty()) {
            self.add(t);
        }
    }

    /// Adds `term` unless it is there.
    #[inline]
    pub fn add(&mut self, term: &str) {
        let mut h = FastHasher::default();
        h.write(term.as_bytes());
        if self.seen.insert(h.finish()) {
            if !self.text.is_empty() {
                self.text.push(' ');
            }
            self.text.push_str(term);
        }
    }

    /// The terms separated by spaces.
    pub fn into_string(mut self) -> String {
        self.text.shrink_to_fit();
        self.text
    }

    /// The terms separated by spaces.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Forgets every term.
    pub fn clear(&mut self) {
        self.seen = Seen::default();
        self.text.clear();
    }
}

/// A set of 64-bit hashes (open addressing, linear probing), small enough to
/// stay in the cache while a page's words go through it. Two different terms
/// of one document with the same 64-bit hash are not to be expected.
#[derive(Debug, Default)]
struct Seen {
    slots: Vec<u64>,
    len: usize,
}

impl Seen {
    /// Adds `hash`; false if it was there.
    #[inline]
    fn insert(&mut self, hash: u64) -> bool {
        // 0 marks an empty slot.
        let hash = hash.max(1);
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = (hash as usize) & mask;
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = hash;
                    self.len += 1;
                    return true;
                }
                h if h == hash => return false,
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        self.len = 0;
        for h in old.into_iter().filter(|&h| h != 0) {
            self.insert(h);
        }
    }
}

/// The search terms of a page body as Markdown rendering meets its text:
/// one set of terms for the text before the first heading of level 2 or 3,
/// then one for each such heading and the text under it.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    text: String,
    html: HtmlText,
    done: Vec<String>,
    texts: Vec<String>,
}

impl Parts {
    /// Adds plain text to the current part.
    pub(crate) fn text(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Adds the text of raw HTML to the current part.
    pub(crate) fn html(&mut self, html: &str) {
        self.html.feed(html, &mut self.text);
    }

    /// Ends a word: a break inside a block (a line break).
    pub(crate) fn space(&mut self) {
        self.text.push(' ');
    }

    /// Ends a block (a paragraph, an item, a heading).
    pub(crate) fn block(&mut self) {
        self.text.push('\n');
    }

    /// Ends the current part and starts the next.
    pub(crate) fn next(&mut self) {
        // About one term in two words of a page is new; a word takes about six bytes.
        let mut terms = Terms::with_capacity(self.text.len() / 12);
        terms.add_text(&crate::content::markdown::strip_holes(&self.text));
        self.done.push(terms.into_string());
        self.texts.push(plain_text(&self.text));
        self.text.clear();
    }

    /// The terms of each part, separated by spaces, and the plain text of
    /// each part (`plain_text`).
    pub(crate) fn finish(mut self) -> (Vec<String>, Vec<String>) {
        self.next();
        (self.done, self.texts)
    }
}

/// `text` with each run of white space made one space, or one line break
/// if it holds one (blocks are on lines of their own), and none at the ends.
pub(crate) fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap: Option<char> = None;
    for c in text.chars() {
        if c == '\n' {
            gap = Some('\n');
            continue;
        }
        if c.is_whitespace() {
            gap.get_or_insert(' ');
            continue;
        }
        if let Some(g) = gap.take()
            && !out.is_empty()
        {
            out.push(g);
        }
        out.push(c);
    }
    out
}

/// Pulls the text a reader reads out of HTML: tags become word breaks
/// (except inline ones such as `<em>`), character references are decoded,
/// and what is not content is skipped: `nav`, `script`, `style`, `svg`,
/// `template`, `head`, and any element with a `data-search-ignore` attribute.
/// It keeps its state between calls, so HTML may be fed in slices.
#[derive(Debug)]
pub(crate) struct HtmlText {
    /// The element being skipped and how deep inside nested ones of its name.
    skipping: Option<(Vec<u8>, usize)>,
    ignore: memchr::memmem::Finder<'static>,
}

impl Default for HtmlText {
    fn default() -> Self {
        HtmlText { skipping: None, ignore: memchr::memmem::Finder::new(IGNORE) }
    }
}

/// The attribute that keeps an element out of the index.
const IGNORE: &str = "data-search-ignore";

/// Is the lowercase tag name `name` one whose content is not read as text?
fn is_skipped(name: &[u8]) -> bool {
    matches!(name, b"nav" | b"script" | b"style" | b"svg" | b"template" | b"head")
}

/// Is the lowercase tag name `name` inline, so not a word break?
fn is_inline(name: &[u8]) -> bool {
    matches!(
        name,
        b"a" | b"abbr"
            | b"b"
            | b"bdi"
            | b"bdo"
            | b"cite"
            | b"code"
            | b"data"
            | b"del"
            | b"dfn"
            | b"em"
            | b"i"
            | b"ins"
            | b"kbd"
            | b"mark"
            | b"q"
            | b"s"
            | b"small"
            | b"span"
            | b"strong"
            | b"sub"
            | b"u"
    )
}

impl HtmlText {
    /// Appends the text of `html` to `out`.
    pub(crate) fn feed(&mut self, html: &str, out: &mut String) {
        let bytes = html.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let Some(at) = memchr::memchr2(b'<', b'&', &bytes[i..]).map(|j| i + j) else {
                if self.skipping.is_none() {
                    out.push_str(&html[i..]);
                }
                return;
            };
            if self.skipping.is_none() {
                out.push_str(&html[i..at]);
            }
            if bytes[at] == b'&' {
                let (decoded, len) = entity(&html[at..]);
                if self.skipping.is_none() {
                    out.push_str(decoded);
                }
                i = at + len;
                continue;
            }
            let next = bytes.get(at + 1).copied().unwrap_or(b' ');
            if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!') {
                // Not a tag ("a < b"): it is text.
                if self.skipping.is_none() {
                    out.push('<');
                }
                i = at + 1;
                continue;
            }
            if let Some((name, _)) = &self.skipping
                && (name == b"script" || name == b"style")
            {
                // Their text is not HTML: only their end tag ends them.
                let end = find_end_tag(&bytes[at..], name).map_or(bytes.len(), |j| at + j);
                if end > at {
                    i = end;
                    continue;
                }
            }
            if bytes[at..].starts_with(b"<!--") {
                i = memchr::memmem::find(&bytes[at..], b"-->").map_or(bytes.len(), |j| at + j + 3);
                continue;
            }
            let end = tag_end(bytes, at);
            self.tag(&html[at..end], out);
            i = end;
        }
    }

    fn tag(&mut self, tag: &str, out: &mut String) {
        let bytes = tag.as_bytes();
        let closing = bytes.get(1) == Some(&b'/');
        let from = if closing { 2 } else { 1 };
        let len = bytes[from..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-'))
            .unwrap_or(bytes.len() - from);
        if len == 0 {
            // Not a tag ("a < b"): it is text.
            if self.skipping.is_none() {
                out.push_str(tag);
            }
            return;
        }
        let mut lower = [0u8; 12];
        let name: &[u8] = match lower.get_mut(..len) {
            Some(buf) => {
                buf.copy_from_slice(&bytes[from..from + len]);
                buf.make_ascii_lowercase();
                buf
            }
            // No element we know has so long a name.
            None => b"-",
        };
        let self_closing = tag.ends_with("/>");
        if let Some((skipped, depth)) = &mut self.skipping {
            if skipped.as_slice() == name && !self_closing {
                if closing {
                    *depth -= 1;
                } else {
                    *depth += 1;
                }
                if *depth == 0 {
                    self.skipping = None;
                    out.push(' ');
                }
            }
            return;
        }
        let has_attributes = bytes.len() > from + len + 1;
        if !closing
            && !self_closing
            && (is_skipped(name) || (has_attributes && self.ignore.find(bytes).is_some()))
        {
            self.skipping = Some((name.to_vec(), 1));
        } else if !is_inline(name) {
            out.push(' ');
        }
    }
}

/// Where the end tag of `name` starts in `bytes` (names compared without case).
fn find_end_tag(bytes: &[u8], name: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(j) = memchr::memmem::find(&bytes[from..], b"</") {
        let at = from + j;
        let tag = bytes.get(at + 2..at + 2 + name.len())?;
        if tag.eq_ignore_ascii_case(name) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Where the tag starting at `at` ends (after its `>`, quotes respected).
fn tag_end(bytes: &[u8], at: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (j, &b) in bytes.iter().enumerate().skip(at + 1) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return j + 1,
            _ => {}
        }
    }
    bytes.len()
}

/// The text of the character reference at the start of `s`, and its length;
/// an unknown one is a plain `&`.
fn entity(s: &str) -> (&'static str, usize) {
    const NAMED: [(&str, &str); 7] = [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&apos;", "'"),
        ("&#39;", "'"),
        ("&nbsp;", " "),
    ];
    for (name, text) in NAMED {
        if s.starts_with(name) {
            return (text, name.len());
        }
    }
    // Numeric references other than &#39; are rare in our HTML; they separate words.
    if let Some(rest) = s.strip_prefix("&#")
        && let Some(end) = rest.find(';').filter(|&e| e <= 8)
        && rest[..end].chars().all(|c| c.is_ascii_hexdigit() || c == 'x' || c == 'X')
    {
        return (" ", end + 3);
    }
    ("&", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        index_terms(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn normalising_folds_case_diacritics_and_compatibility_forms() {
        for (input, want) in [
            ("Côte d'Ivoire", "cote d'ivoire"),
            ("TELEFÓNICA", "telefonica"),
            ("Ǆ ﬁle ①", "dz file 1"),
            ("ΟΔΥΣΣΕΥΣ", "οδυσσευσ"),
            ("Москва Ёлка", "москва елка"),
            ("حقوق الإنسان", "حقوق الانسان"),
            ("がガｶﾞ", "がガガ"),
            ("한국", "한국"),
            ("İstanbul", "istanbul"),
        ] {
            assert_eq!(normalise(input), want, "{input}");
        }
    }

    #[test]
    fn folding_from_the_memo_is_folding_afresh() {
        let words = ["Açuacom", "ÑANÓCORE", "ﬁle", "ΟΔΥΣΣΕΥΣ", "がガｶﾞ", "İstanbul"];
        // Twice each: the second time comes from the memo, also after it is full.
        for round in 0..3 {
            for w in words.iter().chain(&words) {
                let (mut memo, mut afresh) = (String::from("x"), String::from("x"));
                normalise_into(w, &mut memo);
                fold(w, &mut afresh);
                assert_eq!(memo, afresh, "{w} (round {round})");
            }
            for n in 0..FOLDED_MAX {
                normalise(&format!("é{n}"));
            }
        }
        assert!(FOLDED.with_borrow(|m| m.len()) <= FOLDED_MAX);
    }

    #[test]
    fn words_are_terms_and_spaceless_scripts_give_characters_and_pairs() {
        assert_eq!(terms("Côte d'Ivoire, 2017"), ["cote", "d", "ivoire", "2017"]);
        assert_eq!(terms("Права человека"), ["права", "человека"]);
        assert_eq!(terms("人权报告"), ["人", "权", "人权", "报", "权报", "告", "报告"]);
        assert_eq!(terms("iPhone手机"), ["iphone", "手", "机", "手机"]);
        assert_eq!(terms("労働者の権利"), terms("労働者の権利"));
        assert!(terms("労働者の権利").contains(&"権利".to_string()));
    }

    #[test]
    fn query_tokens_are_prefixes_words_or_pairs() {
        let t = |text: &str, is_prefix| Token { text: text.into(), is_prefix };
        assert_eq!(
            query_tokens("Côte d’Ivoire cote"),
            [t("cote", true), t("d", false), t("ivoire", true)]
        );
        assert_eq!(
            query_tokens("人权报告"),
            [t("人权", false), t("权报", false), t("报告", false)]
        );
        assert_eq!(query_tokens("权"), [t("权", false)]);
        assert_eq!(query_tokens(" ,. "), []);
        let long = "a".repeat(50);
        assert_eq!(query_tokens(&long)[0].text.len(), MAX_TERM_CHARS);
    }

    #[test]
    fn html_text_skips_navigation_scripts_and_marked_elements() {
        let mut out = String::new();
        HtmlText::default().feed(
            "<h1>Title <a class=\"anchor\" href=\"#t\" aria-label=\"Link > here\">#</a></h1><nav><ul><li>Skip <nav>nested</nav> me</li></ul></nav><p>R&amp;D for <em>wo</em>rkers&#39; rights&nbsp;now</p><script>if (a<b) x()</script><section data-search-ignore><p>latest</p></section><p>a < b</p><!-- hidden --><svg><title>chart</title></svg>",
            &mut out,
        );
        let words: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(words, ["Title", "#", "R&D", "for", "workers'", "rights", "now", "a", "<", "b"]);
    }

    #[test]
    fn html_text_keeps_skipping_across_slices() {
        let mut out = String::new();
        let mut x = HtmlText::default();
        x.feed("<p>one</p><nav>two", &mut out);
        x.feed(" three</nav><p>four</p>", &mut out);
        assert_eq!(out.split_whitespace().collect::<Vec<_>>(), ["one", "four"]);
    }
}
