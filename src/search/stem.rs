//! Word forms for the search index: each word of a document is filed under
//! its Snowball stem in the document's language (`rust-stemmers`), so that
//! "responded" and "responding" share one list of documents. Only the build
//! stems: the index stores each word with its stem, and the suffixes the
//! stemmer removed, so that search.js needs no stemmer (docs/search.md).

use rust_stemmers::{Algorithm, Stemmer};

/// How the words of a document are stemmed: by the Snowball algorithm of
/// its language, or not at all (a language without one, or unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Stemming(Option<u8>);

/// The languages with a stemmer, by the base of their tag.
/// Not Greek: rust-stemmers 1.2's Greek stemmer panics on some words (a bug
/// fixed in Snowball since, lance-format/lance#5235).
const LANGUAGES: [(&str, Algorithm); 17] = [
    ("ar", Algorithm::Arabic),
    ("da", Algorithm::Danish),
    ("de", Algorithm::German),
    ("en", Algorithm::English),
    ("es", Algorithm::Spanish),
    ("fi", Algorithm::Finnish),
    ("fr", Algorithm::French),
    ("hu", Algorithm::Hungarian),
    ("it", Algorithm::Italian),
    ("nb", Algorithm::Norwegian),
    ("nl", Algorithm::Dutch),
    ("no", Algorithm::Norwegian),
    ("pt", Algorithm::Portuguese),
    ("ro", Algorithm::Romanian),
    ("ru", Algorithm::Russian),
    ("sv", Algorithm::Swedish),
    ("tr", Algorithm::Turkish),
];

/// Words shorter than this (in characters) are kept as they are.
const MIN_WORD_CHARS: usize = 3;

impl Stemming {
    /// No stemming.
    pub const NONE: Stemming = Stemming(None);

    /// The stemming of the language tagged `tag` (`fr`, `fr-CA`, `pt_BR`;
    /// any case): the base of the tag picks it.
    pub fn of_language(tag: &str) -> Stemming {
        let base = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        Stemming(LANGUAGES.iter().position(|(code, _)| *code == base).map(|i| i as u8))
    }

    /// Is there a stemmer?
    pub fn is_some(self) -> bool {
        self.0.is_some()
    }

    /// The stemmer, if any.
    pub(crate) fn stemmer(self) -> Option<Stemmer> {
        self.0.and_then(|i| LANGUAGES.get(usize::from(i))).map(|&(_, a)| Stemmer::create(a))
    }

    /// The usual endings the stemmer removes, folded as words are, so that
    /// a query word no document has finds its stem even when the
    /// documents never show that ending (`Index::suffixes` adds those they do).
    pub(crate) fn endings(self) -> &'static [&'static str] {
        let code = self.0.and_then(|i| LANGUAGES.get(usize::from(i))).map_or("", |(c, _)| *c);
        ENDINGS.iter().find(|(c, _)| *c == code).map_or(&[], |(_, e)| e)
    }
}

/// Endings of inflected and derived words, by language: those the Snowball
/// algorithms remove in one step, folded (no accents).
const ENDINGS: [(&str, &[&str]); 6] = [
    (
        "en",
        &[
            "s", "es", "ies", "ied", "ed", "ing", "ingly", "edly", "ly", "e", "er", "ers", "ment",
            "ments", "ness", "ful", "less", "ion", "ions", "ation", "ations", "ational", "ize",
            "izes", "ized", "izing", "ization", "ise", "ised", "ising", "ism", "ist", "ists",
            "ity", "ities", "ive", "able", "ably", "ible", "al", "ally", "ance", "ence", "ant",
            "ent", "ous",
        ],
    ),
    (
        "fr",
        &[
            "s", "x", "e", "es", "ee", "ees", "er", "ez", "ent", "ant", "ants", "ante", "antes",
            "ance", "ances", "ement", "ements", "ment", "ments", "eur", "eurs", "euse", "euses",
            "atrice", "atrices", "ateur", "ateurs", "ation", "ations", "ite", "ites", "ique",
            "iques", "isme", "ismes", "iste", "istes", "able", "ables", "if", "ifs", "ive", "ives",
            "aux", "ai", "ais", "ait", "aient", "ons", "ions", "iez", "era", "erait", "eraient",
            "eront", "ir", "issent", "issant", "ie", "ies",
        ],
    ),
    (
        "es",
        &[
            "s", "es", "a", "as", "o", "os", "e", "ar", "er", "ir", "ando", "iendo", "ado", "ada",
            "ados", "adas", "ido", "ida", "idos", "idas", "ador", "adora", "adores", "adoras",
            "acion", "aciones", "amiento", "amientos", "imiento", "imientos", "mente", "idad",
            "idades", "ista", "istas", "ismo", "ismos", "able", "ables", "ible", "ibles", "oso",
            "osa", "osos", "osas", "aba", "aban", "ia", "ian", "aron", "ieron", "an", "en",
        ],
    ),
    (
        "pt",
        &[
            "s", "es", "a", "as", "o", "os", "e", "ar", "er", "ir", "ando", "endo", "indo", "ado",
            "ada", "ados", "adas", "ido", "ida", "idos", "idas", "ador", "adora", "adores",
            "adoras", "acao", "acoes", "amento", "amentos", "imento", "imentos", "mente", "idade",
            "idades", "ista", "istas", "ismo", "ismos", "avel", "aveis", "ivel", "iveis", "oso",
            "osa", "osos", "osas", "ava", "avam", "ia", "iam", "aram", "eram", "am", "em",
        ],
    ),
    (
        "de",
        &[
            "e", "em", "en", "ern", "er", "es", "s", "n", "est", "st", "et", "end", "ung", "ungen",
            "heit", "heiten", "keit", "keiten", "lich", "isch", "ig", "ik",
        ],
    ),
    (
        "ar",
        &["ة", "ه", "ها", "هم", "هن", "كم", "نا", "ي", "ية", "ات", "ون", "ين", "ان", "تين", "تان"],
    ),
];

/// The key `word` (folded, as `text::index_terms` gives it) is filed under,
/// when it is not the word itself: its stem, if the stem keeps the word's
/// first two characters. That keeps a word and its stem in one shard (they
/// are sharded by those characters), so the stems of the words a query
/// meets are always in a shard it has loaded. Numbers and words of fewer
/// than three characters are kept as they are.
pub(crate) fn key_of(word: &str, stemmer: &Stemmer) -> Option<String> {
    if word.chars().nth(MIN_WORD_CHARS - 1).is_none() || word.chars().all(char::is_numeric) {
        return None;
    }
    let two = word.char_indices().nth(2).map_or(word.len(), |(i, _)| i);
    // The stemmers are generated code of another project: a word one of
    // them cannot take is kept as it is rather than ending the build.
    let stem =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| stemmer.stem(word))).ok()?;
    (stem != word && stem.len() >= two && stem.starts_with(&word[..two])).then(|| stem.into_owned())
}

/// The suffixes longer than this (in characters) are not kept for queries.
pub(crate) const MAX_SUFFIX_CHARS: usize = 8;

/// What the stemmer removed from `word` to make `key`, when `key` begins the
/// word and the rest is short enough to keep: a query word that no document
/// has finds the stems it begins with when the rest is one of these.
pub(crate) fn suffix_of<'a>(word: &'a str, key: &str) -> Option<&'a str> {
    let rest = word.strip_prefix(key)?;
    (!rest.is_empty() && rest.chars().count() <= MAX_SUFFIX_CHARS).then_some(rest)
}

/// A query word no document has finds a stem only of this many characters
/// or more.
pub(crate) const MIN_STEM_CHARS: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    fn key(lang: &str, word: &str) -> String {
        let stemmer = Stemming::of_language(lang).stemmer().expect("a stemmer");
        key_of(word, &stemmer).unwrap_or_else(|| word.to_string())
    }

    #[test]
    fn every_stemmer_takes_any_word_without_panicking() {
        // Words of random letters of each script, folded as the index folds
        // them, and of all scripts mixed.
        let scripts = [
            "aeiouyçrstnlmkbdgpvfhjqwxzßığş0123456789",
            "абвгдежзийклмнопрстуфхцчшщъыьэюя",
            "ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىة",
            "αβγδεζηθικλμνξοπρστυφχψω",
        ];
        let all: String = scripts.concat();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for (code, _) in LANGUAGES {
            let stemmer = Stemming::of_language(code).stemmer().expect("a stemmer");
            for letters in scripts.iter().copied().chain([all.as_str()]) {
                let letters: Vec<char> = letters.chars().collect();
                for _ in 0..2000 {
                    let len = 1 + (next() % 14) as usize;
                    let word: String = (0..len)
                        .map(|_| letters[(next() % letters.len() as u64) as usize])
                        .collect();
                    let _ = key_of(&super::super::text::normalise(&word), &stemmer);
                }
            }
        }
        // The Greek stemmer of rust-stemmers 1.2 panics on some words.
        assert!(!Stemming::of_language("el").is_some());
    }

    #[test]
    fn languages_are_chosen_by_the_base_of_their_tag() {
        assert_eq!(Stemming::of_language("fr-CA"), Stemming::of_language("fr"));
        assert_eq!(Stemming::of_language("PT_br"), Stemming::of_language("pt"));
        assert!(Stemming::of_language("en").is_some());
        for none in ["zh", "ja", "", "x-klingon"] {
            assert!(!Stemming::of_language(none).is_some(), "{none}");
        }
    }

    #[test]
    fn forms_of_a_word_share_a_key_in_each_language() {
        for (lang, words) in [
            ("en", &["responded", "responding", "responds", "respond"][..]),
            ("en", &["companies", "company"]),
            ("fr", &["travailleurs", "travailleur"]),
            ("es", &["trabajadores", "trabajador"]),
            ("pt", &["trabalhadores", "trabalhador"]),
            ("de", &["arbeitern", "arbeiter"]),
            ("ar", &["حقوق", "حقوقه"]),
        ] {
            let keys: Vec<String> = words.iter().map(|w| key(lang, w)).collect();
            assert!(keys.windows(2).all(|k| k[0] == k[1]), "{lang}: {words:?} -> {keys:?}");
        }
    }

    #[test]
    fn numbers_short_words_and_stems_that_change_the_start_are_kept() {
        let en = Stemming::of_language("en").stemmer().expect("english");
        assert_eq!(key_of("2016", &en), None);
        assert_eq!(key_of("is", &en), None);
        assert_eq!(key_of("labour", &en), None, "its own stem");
        assert_eq!(key_of("companies", &en).as_deref(), Some("compani"));
        assert_eq!(suffix_of("companies", "compani"), Some("es"));
        assert_eq!(suffix_of("company", "compani"), None);
        assert_eq!(suffix_of("responding", "respond"), Some("ing"));
    }
}
