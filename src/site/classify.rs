//! The second stage of a load: the inventory's files sorted by what they
//! are (pages, their translations, datasets, and the theme's and the site's
//! words, templates and static files), with a diagnostic for a file in the wrong place.

use std::collections::BTreeMap;

use crate::config::{self, Config};
use crate::diag::{Code, Diagnostic, Diagnostics};

use super::disk::Disk;

/// The files of a site, by what they are, as paths relative to the root.
pub(super) struct Files {
    /// The pages of the default language.
    pub(super) pages: Vec<PageFile>,
    /// The translations, by language; their key is the key of the page they translate.
    pub(super) translations: BTreeMap<String, Vec<PageFile>>,
    /// The datasets.
    pub(super) datasets: Vec<DataFile>,
    /// The theme's words, templates and static files.
    pub(super) theme: Layer,
    /// The site's own, which override the theme's.
    pub(super) site: Layer,
}

/// A Markdown file of `content/`.
pub(super) struct PageFile {
    /// Its path under `content/` (`cases/acme.md`).
    pub(super) key: String,
    /// Its path from the root (`content/cases/acme.md`).
    pub(super) path: String,
}

/// A TOML file of `data/`, and the CSV of its rows if there is one.
pub(super) struct DataFile {
    /// The dataset's id: the file's name without `.toml`.
    pub(super) id: String,
    /// Its path from the root.
    pub(super) path: String,
    /// The path of data/<id>.csv, when the dataset's rows are there.
    pub(super) csv: Option<String>,
}

/// The words (`i18n/`), templates and static files under one folder: the
/// theme's, or the site root.
pub(super) struct Layer {
    /// The folder (`themes/default`), empty for the site root.
    pub(super) dir: String,
    /// The words files.
    pub(super) words: Vec<String>,
    /// The template files.
    pub(super) templates: Vec<String>,
    /// The files copied as they are.
    pub(super) statics: Vec<String>,
}

impl Layer {
    /// The path of `name` inside this layer's folder.
    pub(super) fn sub(&self, name: &str) -> String {
        if self.dir.is_empty() { name.to_string() } else { format!("{}/{name}", self.dir) }
    }

    fn list(disk: &Disk<'_>, dir: String, diags: &mut Diagnostics) -> Layer {
        let mut layer =
            Layer { dir, words: Vec::new(), templates: Vec::new(), statics: Vec::new() };
        layer.words = disk.list_files(&layer.sub("i18n"), diags);
        layer.templates = disk.list_files(&layer.sub("templates"), diags);
        layer.statics = disk.list_files(&layer.sub("static"), diags);
        layer
    }
}

/// Sorts the files the inventory lists by what they are.
pub(super) fn classify(disk: &Disk<'_>, config: &Config, diags: &mut Diagnostics) -> Files {
    let content = disk.list_files("content", diags);
    let data = disk.list_files("data", diags);
    let (pages, translations) = page_files(content, config, diags);
    Files {
        pages,
        translations,
        datasets: data_files(data, diags),
        theme: Layer::list(disk, format!("themes/{}", config.site.theme), diags),
        site: Layer::list(disk, String::new(), diags),
    }
}

/// The pages and the translations among the files of `content/`.
fn page_files(
    content: Vec<String>,
    config: &Config,
    diags: &mut Diagnostics,
) -> (Vec<PageFile>, BTreeMap<String, Vec<PageFile>>) {
    let mut pages = Vec::new();
    let mut translations: BTreeMap<String, Vec<PageFile>> = BTreeMap::new();
    for path in content {
        let key = path.strip_prefix("content/").unwrap_or(&path).to_string();
        if !key.ends_with(".md") {
            continue;
        }
        let depth = key.matches('/').count();
        if depth > 1 || (depth == 1 && !key.starts_with("cases/")) {
            diags.push(
                Diagnostic::file_error(Code::OutOfPlace, &path, "this file is not part of the briefing")
                    .with_help("chapters live in content/ and case studies in content/cases/; move it or remove it"),
            );
            continue;
        }
        match translation_of(&key, config) {
            Translation::Of(lang, original) => {
                translations.entry(lang).or_default().push(PageFile { key: original, path });
            }
            Translation::Undeclared(lang) => diags.push(
                Diagnostic::file_error(
                    Code::UndeclaredLanguage,
                    &path,
                    format!("the language {lang:?} in this file's name is not declared in book.toml"),
                )
                .with_help(format!("add a [languages.{lang}] table to book.toml, or rename the file")),
            ),
            Translation::Default(lang) => diags.push(
                Diagnostic::file_error(Code::UndeclaredLanguage, &path, format!("{lang:?} is the default language: its text belongs in the file without .{lang}"))
                    .with_help(format!("rename it to content/{}.md", key.trim_end_matches(".md").trim_end_matches(&format!(".{lang}")))),
            ),
            Translation::No => pages.push(PageFile { key, path }),
        }
    }
    (pages, translations)
}

/// The datasets among the files of `data/`: each .toml, with the .csv of
/// the same name beside it; a .csv without one is an error.
fn data_files(data: Vec<String>, diags: &mut Diagnostics) -> Vec<DataFile> {
    let mut out: Vec<DataFile> = Vec::new();
    let mut csvs = Vec::new();
    for path in data {
        let Some(name) = path.strip_prefix("data/") else { continue };
        let (stem, is_csv) = match (name.strip_suffix(".toml"), name.strip_suffix(".csv")) {
            (Some(stem), _) => (stem, false),
            (None, Some(stem)) => (stem, true),
            (None, None) => continue,
        };
        if stem.contains('/') {
            diags.push(
                Diagnostic::file_error(Code::OutOfPlace, &path, "datasets live directly in data/")
                    .with_help("move the file up into data/"),
            );
            continue;
        }
        let id = stem.to_string();
        if is_csv {
            csvs.push((id, path));
        } else {
            out.push(DataFile { id, path, csv: None });
        }
    }
    out.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    for (id, path) in csvs {
        match out.binary_search_by(|d| d.id.as_str().cmp(&id)) {
            Ok(i) => out[i].csv = Some(path),
            Err(_) => diags.push(
                Diagnostic::file_error(Code::OutOfPlace, &path, format!("the rows of a dataset need data/{id}.toml beside them"))
                    .with_help(format!("create data/{id}.toml with the dataset's title and source (every dataset needs them) and its figures")),
            ),
        }
    }
    out
}

/// What a file name says about its language.
enum Translation {
    /// `cases/x.fr.md`: the translation of `cases/x.md` into a declared language.
    Of(String, String),
    /// `x.de.md` where `de` is not declared.
    Undeclared(String),
    /// `x.en.md` where `en` is the default language.
    Default(String),
    /// A plain page.
    No,
}

fn translation_of(key: &str, config: &Config) -> Translation {
    let stem = key.trim_end_matches(".md");
    let Some((base, lang)) = stem.rsplit_once('.') else { return Translation::No };
    if base.is_empty() || base.ends_with('/') {
        return Translation::No;
    }
    if config.languages.contains_key(lang) {
        Translation::Of(lang.to_string(), format!("{base}.md"))
    } else if lang == config.book.language {
        Translation::Default(lang.to_string())
    } else if config::is_language_tag(lang) {
        Translation::Undeclared(lang.to_string())
    } else {
        Translation::No
    }
}
