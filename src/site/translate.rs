//! The last stage of a load: the site in each other language, made from the
//! default language's site (each page's translation where there is one, else
//! the page itself as a fallback) and resolved again in that language.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Page};
use crate::data::Dataset;
use crate::diag::{Code, Diagnostic, Diagnostics, Severity};
use crate::hash::FastMap;
use crate::i18n::{self, Words};
use crate::taxonomy;

use super::Site;
use super::classify::PageFile;
use super::disk::Disk;
use super::parse::{check_unique_paths, sort_reading_order};
use super::resolve::resolve;

/// The site in each language of `[languages]`, in their order: `files` are
/// the translations by language, `words` the words by language.
pub(super) fn translate_all(
    disk: &Disk<'_>,
    site: &Site,
    mut files: BTreeMap<String, Vec<PageFile>>,
    mut words: BTreeMap<String, Words>,
    diags: &mut Diagnostics,
) -> Vec<Site> {
    let mut translations = Vec::new();
    for lang in site.config.languages.keys() {
        let files = files.remove(lang).unwrap_or_default();
        let words = words.remove(lang).unwrap_or_default();
        translations.push(translate(disk, site, lang, &files, words, diags));
    }
    translations
}

/// The site in language `lang`: each page's translation where `files` has
/// one, else the page itself, marked as a fallback; datasets with their
/// `[i18n.<lang>]` strings; figures, links and taxonomies resolved again.
fn translate(
    disk: &Disk<'_>,
    site: &Site,
    lang: &str,
    files: &[PageFile],
    words: Words,
    diags: &mut Diagnostics,
) -> Site {
    let config = site.config.for_language(lang);
    let mut translated = parse_translations(disk, &site.pages, files, &config, diags);
    let mut pages: Vec<Page> = site
        .pages
        .iter()
        .map(|p| {
            translated.remove(&p.key).unwrap_or_else(|| {
                let mut fallback = p.clone();
                fallback.fallback = true;
                fallback
            })
        })
        .collect();
    // Pages are large: sort by keys, then move each page once.
    sort_reading_order(&mut pages);
    check_unique_paths(&pages, diags);

    let mut datasets: BTreeMap<String, Dataset> =
        site.datasets.iter().map(|(id, d)| (id.clone(), d.translated(lang))).collect();
    super::from_cases::name_responses(&mut datasets, &words);
    let numbers = words.numbers();
    let broken = super::parse::Broken::default();
    let (figures, fills) = resolve(&pages, &[], &datasets, &broken, &config, &numbers, diags);
    let highlights = super::highlights::highlights(&pages, &datasets, &broken, &numbers, diags);
    let mut taxonomies = taxonomy::group(&pages, &config.vocabularies);
    for t in taxonomies.iter_mut().filter(|t| t.name != "companies") {
        for term in &mut t.terms {
            term.name = config.term_name(&term.name).to_string();
        }
    }
    let mut lang_info = site.lang.clone();
    lang_info.code = lang.to_string();
    lang_info.prefix = format!("{lang}/");
    lang_info.dir = i18n::direction(lang);
    Site {
        inputs: crate::hash::of((site.inputs, lang)),
        config,
        pages,
        fills,
        datasets,
        figures,
        highlights,
        taxonomies,
        templates: site.templates.clone(),
        theme_templates: site.theme_templates.clone(),
        static_files: BTreeMap::new(),
        assets: site.assets.clone(),
        words,
        lang: lang_info,
        translations: Vec::new(),
    }
}

/// The translations of `files` that are built, by the key of the page of
/// `originals` they translate; each read and parsed on its own core.
fn parse_translations(
    disk: &Disk<'_>,
    originals: &[Page],
    files: &[PageFile],
    config: &Config,
    diags: &mut Diagnostics,
) -> FastMap<String, Page> {
    let originals: FastMap<&str, &Page> = originals.iter().map(|p| (p.key.as_str(), p)).collect();
    let parsed: Vec<(Option<Page>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|file| {
            let Some(original) = originals.get(file.key.as_str()) else {
                return (None, vec![without_original(disk, file)]);
            };
            match disk.read_text(&file.path) {
                Ok(text) => content::parse_translation(&file.path, &text, original, config),
                Err(d) => (None, vec![d]),
            }
        })
        .collect();
    let mut translated: FastMap<String, Page> = FastMap::default();
    for (page, d) in parsed {
        diags.extend(d);
        // A draft translation waits, as a draft page does; its original shows.
        if let Some(p) = page
            && (!p.is_draft || config.drafts)
        {
            translated.insert(p.key.clone(), p);
        }
    }
    translated
}

/// What is wrong with a translation whose original is not built: a warning
/// when the original is a draft, else an error.
fn without_original(disk: &Disk<'_>, file: &PageFile) -> Diagnostic {
    let key = &file.key;
    if disk.root.join("content").join(key).is_file() {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::file_error(
                Code::NoOriginal,
                &file.path,
                format!("content/{key} is a draft, so its translation is not built"),
            )
        }
    } else {
        Diagnostic::file_error(
            Code::NoOriginal,
            &file.path,
            format!("this translates content/{key}, which does not exist"),
        )
        .with_help("rename it after the page it translates, or write that page first")
    }
}
