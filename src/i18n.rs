//! The theme's words in each language of a site, and what follows from the
//! language: how numbers are written and which way the text runs.
//!
//! Words come in three layers, later ones winning key by key: the built-in
//! theme's (English and French), the theme's on disk
//! (`themes/<name>/i18n/<lang>.toml`) and the site's (`i18n/<lang>.toml`).
//! A word a language lacks is taken from the default language, with a warning.

use std::collections::BTreeMap;

use crate::config::{self, Config};
use crate::content::{Date, Precision};
use crate::data::Numbers;
use crate::diag::{Code, Diagnostic, Diagnostics, Place};

/// The built-in theme's words, by language.
pub(crate) const BUILTIN_WORDS: [(&str, &str); 2] = [
    ("en", include_str!("../themes/default/i18n/en.toml")),
    ("fr", include_str!("../themes/default/i18n/fr.toml")),
];

/// Languages written right to left (by their primary subtag).
const RTL: [&str; 10] = ["ar", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"];

/// The theme's words in one language.
#[derive(Debug, Clone, Default)]
pub struct Words {
    table: toml::Table,
}

impl Words {
    /// Parses a words file (`themes/<name>/i18n/<lang>.toml`).
    ///
    /// # Errors
    /// When it is not valid TOML.
    pub fn parse(src: &str) -> Result<Self, toml::de::Error> {
        Ok(Words { table: toml::from_str(src)? })
    }

    /// The built-in theme's English words.
    pub fn english() -> Self {
        Words::parse(BUILTIN_WORDS[0].1).unwrap_or_default()
    }

    /// The word for `key`, or the key itself when the theme has none.
    pub fn get(&self, key: &str) -> String {
        match self.table.get(key) {
            Some(toml::Value::String(s)) => s.clone(),
            _ => key.to_string(),
        }
    }

    /// A date for readers, as precise as its source: "7 June 2017"
    /// (`date_format`), "June 2017" (`month_format`) or "2017".
    pub fn date(&self, d: Date) -> String {
        let year = d.year.to_string();
        if d.precision == Precision::Year {
            return year;
        }
        let month = match self.table.get("months") {
            Some(toml::Value::Array(m)) => m
                .get(usize::from(d.month).saturating_sub(1))
                .and_then(|v| v.as_str())
                .map(str::to_string),
            _ => None,
        };
        let month = month.unwrap_or_else(|| format!("{:02}", d.month));
        let format = if d.precision == Precision::Month {
            match self.table.get("month_format") {
                Some(toml::Value::String(f)) => f.clone(),
                _ => "{month} {year}".to_string(),
            }
        } else {
            self.get("date_format")
        };
        let day = match self.table.get("day_first") {
            Some(toml::Value::String(first)) if d.day == 1 => first.clone(),
            _ => d.day.to_string(),
        };
        format.replace("{day}", &day).replace("{month}", &month).replace("{year}", &year)
    }

    /// How this language writes numbers (`decimal_separator`,
    /// `group_separator`, `percent_format`; English when absent).
    pub fn numbers(&self) -> Numbers {
        let word = |key: &str| match self.table.get(key) {
            Some(toml::Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        let english = Numbers::default();
        Numbers {
            decimal: word("decimal_separator").unwrap_or(english.decimal),
            group: word("group_separator").unwrap_or(english.group),
            percent: word("percent_format")
                .filter(|p| p.contains("{n}"))
                .unwrap_or(english.percent),
            not_stated: word("not_stated").unwrap_or(english.not_stated),
            bounds: {
                let [least, most, about] = english.bounds;
                let with_n =
                    |key: &str, or: String| word(key).filter(|w| w.contains("{n}")).unwrap_or(or);
                [with_n("at_least", least), with_n("at_most", most), with_n("about", about)]
            },
        }
    }

    /// All the words, for templates (`t.figure`, `t.source`...).
    pub fn table(&self) -> &toml::Table {
        &self.table
    }

    fn overlay(&mut self, other: toml::Table) {
        self.table.extend(other);
    }
}

/// The tags whose words a language takes, the most general first: its
/// base language, then itself (`["fr", "fr-CA"]`); a tag without a region
/// is its own base.
fn layers(lang: &str) -> Vec<String> {
    let base = lang.split('-').next().unwrap_or(lang).to_ascii_lowercase();
    if base == lang { vec![base] } else { vec![base, lang.to_string()] }
}

/// `rtl` for languages written right to left, else `ltr`.
pub(crate) fn direction(lang: &str) -> &'static str {
    let primary = lang.split('-').next().unwrap_or(lang);
    if RTL.contains(&primary) { "rtl" } else { "ltr" }
}

/// A words file of the site or its theme, read from disk.
#[derive(Debug, Clone)]
pub(crate) struct WordsFile {
    /// Its path relative to the site root.
    pub path: String,
    /// Its text.
    pub text: String,
}

/// The words of every language of the site, the default language first.
///
/// `theme_files` and `site_files` are the words files on disk by language.
/// Errors (a file that is not TOML, a word that is not text) and warnings (a
/// language with no words, words missing from a language) go to `diags`.
pub(crate) fn load_all(
    config: &Config,
    config_src: &str,
    theme_files: &BTreeMap<String, WordsFile>,
    site_files: &BTreeMap<String, WordsFile>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Words> {
    let default = config.default_language().to_string();
    // Where a language is declared: its [languages.<lang>] table, or [book].
    let table = |lang: &str| {
        let span = config.language_spans.get(lang).cloned().unwrap_or(0..0);
        Place::of(config::CONFIG_FILE, config_src, span)
    };
    let mut all = BTreeMap::new();
    // A language's words: its base language's (`fr` for `fr-CA`), then its own.
    let own = |lang: &str, diags: &mut Diagnostics| -> (Words, Vec<&str>) {
        let mut words = Words::default();
        let mut from = Vec::new();
        for tag in layers(lang) {
            if let Some((_, text)) =
                BUILTIN_WORDS.iter().find(|(l, _)| l.eq_ignore_ascii_case(&tag))
                && let Ok(w) = Words::parse(text)
            {
                words.overlay(w.table);
                from.push("the built-in theme");
            }
            for files in [theme_files, site_files] {
                let Some(file) = files.get(&tag) else { continue };
                match parse_file(file) {
                    Ok(table) => {
                        words.overlay(table);
                        from.push(file.path.as_str());
                    }
                    Err(d) => diags.push(d),
                }
            }
        }
        (words, from)
    };

    // The default language's words; English fills what it lacks, so that a
    // site in any language always has every word the theme uses.
    let (mut base, base_from) = own(&default, diags);
    if default != "en" {
        let (english, _) = own("en", diags);
        let file = site_files.get(&default).or_else(|| theme_files.get(&default));
        report_missing(
            &default,
            &base,
            &english,
            !base_from.is_empty(),
            file,
            table(&default),
            diags,
        );
        let mut full = english;
        full.overlay(std::mem::take(&mut base.table));
        base = full;
    }
    for lang in config.languages.keys() {
        let (words, from) = own(lang, diags);
        let file = site_files.get(lang).or_else(|| theme_files.get(lang));
        report_missing(lang, &words, &base, !from.is_empty(), file, table(lang), diags);
        let mut full = base.clone();
        full.overlay(words.table);
        all.insert(lang.clone(), full);
    }
    all.insert(default, base);
    all
}

fn parse_file(file: &WordsFile) -> Result<toml::Table, Diagnostic> {
    let table: toml::Table = toml::from_str(&file.text)
        .map_err(|e| crate::schema::toml_error(&file.path, &file.text, &e, 0))?;
    for (key, value) in &table {
        let ok = match value {
            toml::Value::String(_) => true,
            toml::Value::Array(items) => key == "months" && items.iter().all(toml::Value::is_str),
            _ => false,
        };
        if !ok {
            let at = file.text.find(&format!("{key} ")).or_else(|| file.text.find(key.as_str()));
            let span = at.map_or(0..0, |a| a..a + key.len());
            return Err(Diagnostic::error(
                Code::BadWords,
                &file.path,
                &file.text,
                span,
                format!("the word {key:?} is not text"),
            )
            .with_help("write each word as key = \"text\" (months as a list of twelve)"));
        }
    }
    Ok(table)
}

/// Warns about words `lang` lacks compared with `reference`.
fn report_missing(
    lang: &str,
    words: &Words,
    reference: &Words,
    has_words: bool,
    file: Option<&WordsFile>,
    table: Place,
    diags: &mut Diagnostics,
) {
    let missing: Vec<&str> = reference
        .table
        .keys()
        .filter(|k| !words.table.contains_key(*k))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return;
    }
    if !has_words {
        let message =
            format!("the theme has no words for {lang:?}; the default language's are used");
        diags.push(
            table
                .warning(Code::MissingWords, message)
                .with_help(format!("write the theme's words in {lang} in i18n/{lang}.toml")),
        );
        return;
    }
    let shown: Vec<&str> = missing.iter().take(8).copied().collect();
    let more = if missing.len() > shown.len() {
        format!(" and {} more", missing.len() - shown.len())
    } else {
        String::new()
    };
    let message = format!(
        "{} word{} missing in {lang}: {}{more}; the default language's are used",
        missing.len(),
        if missing.len() == 1 { " is" } else { "s are" },
        shown.join(", ")
    );
    let d = match file {
        Some(f) => Diagnostic::warning(Code::MissingWords, &f.path, &f.text, 0..0, message),
        None => Diagnostic {
            severity: crate::diag::Severity::Warning,
            ..Diagnostic::file_error(Code::MissingWords, &format!("i18n/{lang}.toml"), message)
        },
    };
    diags.push(d.with_help(format!("add them to i18n/{lang}.toml")));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regional_tag_takes_its_base_languages_words_first() {
        for (lang, want) in [
            ("fr", vec!["fr"]),
            ("fr-CA", vec!["fr", "fr-CA"]),
            ("pt-BR", vec!["pt", "pt-BR"]),
            ("zh-Hant-TW", vec!["zh", "zh-Hant-TW"]),
            ("EN-gb", vec!["en", "EN-gb"]),
        ] {
            assert_eq!(layers(lang), want, "{lang}");
        }
    }

    #[test]
    fn built_in_languages_have_the_same_words() {
        let en = Words::parse(BUILTIN_WORDS[0].1).expect("en");
        let fr = Words::parse(BUILTIN_WORDS[1].1).expect("fr");
        let keys = |w: &Words| w.table.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&en), keys(&fr));
    }

    #[test]
    fn dates_show_as_precise_as_their_source_in_each_language() {
        let en = Words::english();
        let fr = Words::parse(BUILTIN_WORDS[1].1).expect("fr");
        for (date, english, french) in [
            (Date::of_day(2018, 7, 1), "1 July 2018", "1er juillet 2018"),
            (Date::of_day(2018, 7, 9), "9 July 2018", "9 juillet 2018"),
            (Date::of_month(2018, 7), "July 2018", "juillet 2018"),
            (Date::of_month(2018, 2), "February 2018", "février 2018"),
            (Date::of_year(2018), "2018", "2018"),
        ] {
            assert_eq!((en.date(date), fr.date(date)), (english.into(), french.into()), "{date:?}");
        }
        // A theme without the word writes the month before the year.
        assert_eq!(Words::default().date(Date::of_month(2018, 7)), "07 2018");
    }

    #[test]
    fn french_numbers_and_direction() {
        let fr = Words::parse(BUILTIN_WORDS[1].1).expect("fr");
        assert_eq!(fr.numbers().percent(0.58), "58\u{a0}%");
        assert_eq!(fr.numbers().number(0.5), "0,5");
        assert_eq!((direction("ar"), direction("fr"), direction("he-IL")), ("rtl", "ltr", "rtl"));
    }
}
