//! The sixth stage of a load: the words of every language (the theme's and
//! the site's words files), the list of the briefing's languages, and a
//! check that no page of the default language sits in another language's folder.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::content::Page;
use crate::diag::{Code, Diagnostics};
use crate::i18n::{self, Words};

use super::theme::Theme;
use super::{ConfigFile, Lang, LangInfo};

/// The languages of a site and their words.
pub(super) struct Languages {
    /// The default language's words.
    pub(super) words: Words,
    /// The words of each other language, by code.
    pub(super) others: BTreeMap<String, Words>,
    /// The default language, and the list of all.
    pub(super) lang: Lang,
}

/// The words and languages of the site that `book` describes.
pub(super) fn languages(
    book: &ConfigFile,
    theme: &Theme,
    pages: &[Page],
    diags: &mut Diagnostics,
) -> Languages {
    let config = &book.config;
    let mut others =
        i18n::load_all(config, &book.src, &theme.theme_words, &theme.site_words, diags);
    let words = others.remove(&config.book.language).unwrap_or_default();
    let all = all_languages(config, &words, &others);
    check_language_folders(pages, &all, diags);
    let lang =
        Lang { code: config.book.language.clone(), prefix: String::new(), dir: all[0].dir, all };
    Languages { words, others, lang }
}

/// Every language of the briefing, the default first, each named in itself.
fn all_languages(
    config: &Config,
    words: &Words,
    others: &BTreeMap<String, Words>,
) -> Vec<LangInfo> {
    let mut all = vec![LangInfo {
        code: config.book.language.clone(),
        name: words.get("language_name"),
        prefix: String::new(),
        dir: i18n::direction(&config.book.language),
    }];
    for lang in config.languages.keys() {
        let name = others.get(lang).map_or_else(|| lang.clone(), |w| w.get("language_name"));
        // A language whose words are the default's fallback has no name of its own.
        let name = if name == all[0].name { lang.clone() } else { name };
        all.push(LangInfo {
            code: lang.clone(),
            name,
            prefix: format!("{lang}/"),
            dir: i18n::direction(lang),
        });
    }
    all
}

/// A page of the default language inside another language's folder would
/// be written where that language's pages go: an error.
fn check_language_folders(pages: &[Page], all: &[LangInfo], diags: &mut Diagnostics) {
    for p in pages {
        if let Some(l) = all.iter().skip(1).find(|l| p.path.starts_with(&l.prefix)) {
            let d = p.slug_at.error(
                Code::DuplicateAddress,
                format!(
                    "this page's address {} is inside the folder of the language {:?} ({})",
                    p.path, l.code, l.prefix
                ),
            );
            diags.push(d.with_help(
                "give it another `slug` in its front matter, or rename the file or its folder",
            ));
        }
    }
}
