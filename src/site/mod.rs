//! The validated model of a site, and `load`, which reads it in stages:
//! book.toml, the files sorted by kind, pages and datasets parsed on every
//! core, the theme, the languages, then what crosses files resolved.

mod cache;
mod classify;
mod disk;
mod from_cases;
mod highlights;
mod languages;
mod parse;
mod patch;
mod resolve;
mod theme;
mod translate;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::assets::Assets;
use crate::config::{self, Config};
use crate::content::Page;
use crate::data::Dataset;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::figures::Figure;
use crate::i18n::Words;
use crate::inventory::Inventory;
use crate::taxonomy::{self, Taxonomy};

pub use cache::Cache;
pub use highlights::HighlightView;
pub use patch::patch;

use classify::classify;
use disk::{Disk, link_out_of_site, read_text};
use from_cases::count_from_cases;
use languages::languages;
use parse::{parse_datasets, parse_pages};
use resolve::resolve;
use theme::{Theme, read_theme};
use translate::translate_all;

/// What a build may change about how the site is read.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Build drafts too (`--drafts`).
    pub drafts: bool,
    /// Publish at another address (`--base-url`).
    pub base_url: Option<String>,
}

/// A site, read and checked.
#[derive(Debug)]
pub struct Site {
    /// book.toml.
    pub config: Config,
    /// The pages in reading order: front page, chapters by weight, case studies by date.
    pub pages: Vec<Page>,
    /// How each hole of each page is filled (same indices as `pages` and their holes).
    pub(crate) fills: Vec<Vec<Fill>>,
    /// The datasets by id.
    pub datasets: BTreeMap<String, Dataset>,
    /// The figures, by number (index = number - 1).
    pub figures: Vec<Figure>,
    /// The front page's key numbers (`[[highlights]]` of index.md), written.
    pub(crate) highlights: Vec<HighlightView>,
    /// Areas, issues, regions and companies.
    pub taxonomies: Vec<Taxonomy>,
    /// Site templates (templates/) by name, overriding the theme's.
    pub templates: BTreeMap<String, Source>,
    /// The theme's templates read from themes/<name>/templates, if it is on disk.
    pub(crate) theme_templates: BTreeMap<String, Source>,
    /// Files copied as they are: theme static, then site static (site wins), by output path.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// The theme's stylesheet, scripts and icon under hashed names.
    pub assets: Assets,
    /// The theme's words in this site's language.
    pub words: Words,
    /// This site's language and the others it is published in.
    pub lang: Lang,
    /// The site in each other language (`[languages.<lang>]`), in the order
    /// of `lang.all`; empty in those sites themselves.
    pub(crate) translations: Vec<Site>,
    /// A hash of what every page of this language depends on besides its
    /// own sources and templates: book.toml, the options, the words files
    /// and the language.
    pub inputs: u64,
}

impl Site {
    /// Frees the site, its pages on every core: one by one, the pages of a
    /// large site take a serial stretch at the end of a build.
    pub fn free(self) {
        let Site { pages, translations, .. } = self;
        rayon::join(
            || pages.into_par_iter().for_each(drop),
            || translations.into_par_iter().for_each(Site::free),
        );
    }
}

/// The language a `Site` is in, and the languages of the whole briefing.
#[derive(Debug, Clone)]
pub struct Lang {
    /// Its code (`fr`).
    pub code: String,
    /// Where its pages live: empty for the default language, else `fr/`.
    pub prefix: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// Every language of the briefing, the default first.
    pub all: Vec<LangInfo>,
}

/// One language of the briefing.
#[derive(Debug, Clone)]
pub struct LangInfo {
    /// Its code.
    pub code: String,
    /// Its name in itself (`Français`).
    pub name: String,
    /// Where its pages live (empty or `fr/`).
    pub prefix: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
}

/// A text file and its path relative to the site root.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root.
    pub path: String,
    /// Its text.
    pub text: String,
}

/// How a hole is filled, once the whole site is known.
#[derive(Debug, Clone)]
pub(crate) enum Fill {
    /// An href: the page's URL and maybe `#anchor`.
    Href(String),
    /// Place the figure with this index in `Site::figures`.
    Figure(usize),
    /// A link to the figure with this index.
    FigRef(usize),
    /// Text to write as it is (already escaped).
    Text(String),
}

/// book.toml: its text, and what it says with the options applied.
struct ConfigFile {
    /// Its text, without a byte-order mark.
    src: String,
    /// What it says, with `--drafts` and `--base-url` applied.
    config: Config,
}

/// Reads and checks the site at `root`.
///
/// # Errors
/// Every diagnostic found, errors and warnings, when there is at least one
/// error. On success the warnings come with the site.
pub fn load(root: &Path, opts: &LoadOptions) -> Result<(Site, Diagnostics), Diagnostics> {
    load_with(root, opts, &Inventory::take(root), None)
}

/// `load`, with the files that `inv` lists (taken of `root` just before),
/// reusing and refreshing the pages of `cache`.
///
/// # Errors
/// As `load`.
pub(crate) fn load_with(
    root: &Path,
    opts: &LoadOptions,
    inv: &Inventory,
    mut cache: Option<&mut Cache>,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let disk = Disk { root, inv };
    let book = read_config(root, opts)?;
    if let Some(cache) = cache.as_deref_mut() {
        cache.keep_for(crate::hash::of((&book.src, opts.drafts, &opts.base_url)));
    }
    let mut diags = Diagnostics::new();
    let files = classify(&disk, &book.config, &mut diags);
    let (pages, unparsed) =
        parse_pages(&disk, &files.pages, &book.config, cache.as_deref_mut(), &mut diags);
    let (mut datasets, broken) = parse_datasets(&disk, &files.datasets, &book.config, &mut diags);
    let theme = read_theme(&disk, &files.theme, &files.site, &book, &mut diags);
    let languages = languages(&book, &theme, &pages, &mut diags);
    let numbers = languages.words.numbers();
    let taxonomies = match cache {
        None => taxonomy::group(&pages, &book.config.vocabularies),
        Some(cache) => cache.taxonomies(&pages, &book.config.vocabularies),
    };
    count_from_cases(&pages, &taxonomies, &book.config, &mut datasets, &mut diags);
    from_cases::name_responses(&mut datasets, &languages.words);
    let (figures, fills) =
        resolve(&pages, &unparsed, &datasets, &broken, &book.config, &numbers, &mut diags);
    let highlights = highlights::highlights(&pages, &datasets, &broken, &numbers, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let mut site = Site {
        inputs: inputs(&book, opts, &theme),
        config: book.config,
        pages,
        fills,
        datasets,
        figures,
        highlights,
        taxonomies,
        templates: theme.templates,
        theme_templates: theme.theme_templates,
        assets: theme.assets,
        static_files: theme.static_files,
        words: languages.words,
        lang: languages.lang,
        translations: Vec::new(),
    };
    let translations =
        translate_all(&disk, &site, files.translations, languages.others, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    site.translations = translations;
    Ok((site, diags))
}

/// The first stage of a load: book.toml read and parsed, with the options
/// applied.
fn read_config(root: &Path, opts: &LoadOptions) -> Result<ConfigFile, Diagnostics> {
    let fail = |d: Diagnostic| {
        let mut diags = Diagnostics::new();
        diags.push(d);
        diags
    };
    if let Some(d) = link_out_of_site(root, config::CONFIG_FILE) {
        return Err(fail(d.with_help("copy the file into the site instead of linking to it")));
    }
    let src = match read_text(root, config::CONFIG_FILE) {
        Ok(src) => src,
        Err(d) if d.message == "not found" => {
            return Err(fail(d.with_help(
                "run `briefing init DIR` to make a new site, or pass --root to point at one",
            )));
        }
        Err(d) => return Err(fail(d)),
    };
    let mut config = config::parse(&src)?;
    config.drafts |= opts.drafts;
    if let Some(url) = &opts.base_url {
        config = config
            .with_base_url(url)
            .map_err(|msg| fail(Diagnostic::file_error(Code::BaseUrl, "--base-url", msg)))?;
    }
    Ok(ConfigFile { src, config })
}

/// A hash of what every page depends on besides its own sources and
/// templates: the version, book.toml, the options, the words files and the
/// names of the theme's hashed files, which every page links to.
fn inputs(book: &ConfigFile, opts: &LoadOptions, theme: &Theme) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::FastHasher::default();
    (env!("CARGO_PKG_VERSION"), &book.src, opts.drafts, &opts.base_url).hash(&mut h);
    for name in theme.assets.paths() {
        name.hash(&mut h);
    }
    for (name, file) in theme.theme_words.iter().chain(&theme.site_words) {
        (name, &file.text).hash(&mut h);
    }
    h.finish()
}
