//! The fifth stage of a load: the theme's and the site's words files,
//! templates and static files read (the site's override the theme's), and
//! a theme that book.toml names but that is not on disk reported.

use std::collections::BTreeMap;
use std::fs;

use crate::assets::{Assets, HASHED};
use crate::config;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::i18n::WordsFile;

use super::classify::Layer;
use super::disk::Disk;
use super::{ConfigFile, Source};

/// What the theme and the site bring besides content and data.
pub(super) struct Theme {
    /// The theme's words files, by language.
    pub(super) theme_words: BTreeMap<String, WordsFile>,
    /// The site's words files (`i18n/`), by language.
    pub(super) site_words: BTreeMap<String, WordsFile>,
    /// The site's templates by name.
    pub(super) templates: BTreeMap<String, Source>,
    /// The theme's templates by name, if it is on disk.
    pub(super) theme_templates: BTreeMap<String, Source>,
    /// Files copied as they are, by output path: the theme's, then the site's.
    pub(super) static_files: BTreeMap<String, Vec<u8>>,
    /// The theme's stylesheet, scripts and icon, under hashed names.
    pub(super) assets: Assets,
}

/// Reads the files of the `theme` and `site` layers.
pub(super) fn read_theme(
    disk: &Disk<'_>,
    theme: &Layer,
    site: &Layer,
    book: &ConfigFile,
    diags: &mut Diagnostics,
) -> Theme {
    let theme_words = words_files(disk, theme, diags);
    let site_words = words_files(disk, site, diags);
    check_words_languages(&site_words, book, diags);
    let theme_templates = templates(disk, theme, diags);
    let config = &book.config;
    if config.site.theme != "default" && !disk.root.join(&theme.dir).is_dir() {
        let site_table = book.src.find("[site]").unwrap_or(0);
        let span = config::key_span(&book.src, site_table..site_table, "theme");
        diags.push(
            Diagnostic::error(
                Code::UnknownTheme,
                config::CONFIG_FILE,
                &book.src,
                span,
                format!("theme {:?} not found", config.site.theme),
            )
            .with_help(format!(
                "create {}/templates/, or set theme = \"default\" under [site]",
                theme.dir
            )),
        );
    }
    let templates = templates(disk, site, diags);
    let (mut static_files, mut site_static) = (BTreeMap::new(), BTreeMap::new());
    read_static(disk, theme, &mut static_files, diags);
    read_static(disk, site, &mut site_static, diags);
    let assets = Assets::of(&static_files, &site_static);
    // The theme's own stylesheet, scripts and icon go under their hashed
    // names only; the site's static files keep theirs too.
    static_files.retain(|name, _| !HASHED.iter().any(|(_, hashed)| hashed == name));
    static_files.extend(site_static);
    Theme { theme_words, site_words, templates, theme_templates, static_files, assets }
}

/// The words files of `layer`, by language (the file's name).
fn words_files(
    disk: &Disk<'_>,
    layer: &Layer,
    diags: &mut Diagnostics,
) -> BTreeMap<String, WordsFile> {
    disk.read_all(&layer.words, diags)
        .into_iter()
        .filter_map(|s| {
            let name = s.path.rsplit('/').next()?.strip_suffix(".toml")?.to_string();
            Some((name, WordsFile { path: s.path, text: s.text }))
        })
        .collect()
}

/// The site's words for a language it does not declare are not used: a warning.
fn check_words_languages(
    site_words: &BTreeMap<String, WordsFile>,
    book: &ConfigFile,
    diags: &mut Diagnostics,
) {
    let config = &book.config;
    let declared = std::iter::once(&config.book.language).chain(config.languages.keys());
    // A base language's words are used by its regional tags (`fr` by `fr-CA`).
    let used: Vec<String> =
        declared.flat_map(|l| [l.clone(), l.split('-').next().unwrap_or(l).to_string()]).collect();
    for (lang, file) in site_words {
        if !used.contains(lang) {
            diags.push(
                Diagnostic::file_error(
                    Code::UnusedWords,
                    &file.path,
                    format!("{lang:?} is not a language of this site; these words are not used"),
                )
                .with_help(format!("declare [languages.{lang}] in book.toml, or remove the file")),
            );
        }
    }
}

/// The templates of `layer`, by name (their path under `templates/`).
fn templates(disk: &Disk<'_>, layer: &Layer, diags: &mut Diagnostics) -> BTreeMap<String, Source> {
    let dir = format!("{}/", layer.sub("templates"));
    disk.read_all(&layer.templates, diags)
        .into_iter()
        .map(|s| (s.path.strip_prefix(&dir).unwrap_or(&s.path).to_string(), s))
        .collect()
}

/// Reads the static files of `layer` into `out`, by their path under `static/`.
fn read_static(
    disk: &Disk<'_>,
    layer: &Layer,
    out: &mut BTreeMap<String, Vec<u8>>,
    diags: &mut Diagnostics,
) {
    let dir = format!("{}/", layer.sub("static"));
    for rel in &layer.statics {
        match fs::read(disk.root.join(rel)) {
            Ok(bytes) => {
                let name = rel.strip_prefix(&dir).unwrap_or(rel);
                if name.split('/').next().is_some_and(|top| top.starts_with(".briefing-")) {
                    diags.push(
                        Diagnostic::file_error(
                            Code::ReservedName,
                            rel,
                            "names starting with `.briefing-` are kept for briefing's own files in the output folder",
                        )
                        .with_help("rename the file or folder"),
                    );
                    continue;
                }
                out.insert(name.to_string(), bytes);
            }
            Err(e) => diags.push(Diagnostic::file_error(
                Code::Unreadable,
                rel,
                format!("cannot be read: {e}"),
            )),
        }
    }
}
