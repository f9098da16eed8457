//! The validated model of a site. `load` reads every source file (the only
//! reading in a build besides the theme), parses pages and datasets in
//! parallel, then `resolve` checks what crosses files: slugs, figure ids,
//! shortcodes and `@/` links. What comes out is plain data for `render`.

use crate::hash::{FastMap, FastSet};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content::shortcode::{NumberFormat, Shortcode};
use crate::content::{self, Need, Page, PageKind};
use crate::data::{self, Dataset, Numbers};
use crate::diag::{Diagnostic, Diagnostics, suggest};
use crate::figures::{self, Figure};
use crate::i18n::{self, Words, WordsFile};
use crate::inventory::{Inventory, Kind, Link};
use crate::taxonomy::{self, Taxonomy};

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
    pub fills: Vec<Vec<Fill>>,
    /// The datasets by id.
    pub datasets: BTreeMap<String, Dataset>,
    /// The figures, by number (index = number - 1).
    pub figures: Vec<Figure>,
    /// Areas, issues, regions and companies.
    pub taxonomies: Vec<Taxonomy>,
    /// Site templates (templates/) by name, overriding the theme's.
    pub templates: BTreeMap<String, Source>,
    /// The theme's templates read from themes/<name>/templates, if it is on disk.
    pub theme_templates: BTreeMap<String, Source>,
    /// Files copied as they are: theme static, then site static (site wins), by output path.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// The theme's words in this site's language.
    pub words: Words,
    /// This site's language and the others it is published in.
    pub lang: Lang,
    /// The site in each other language (`[languages.<lang>]`), in the order
    /// of `lang.all`; empty in those sites themselves.
    pub translations: Vec<Site>,
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
pub enum Fill {
    /// An href: the page's URL and maybe `#anchor`.
    Href(String),
    /// Place the figure with this index in `Site::figures`.
    Figure(usize),
    /// A link to the figure with this index.
    FigRef(usize),
    /// Text to write as it is (already escaped).
    Text(String),
}

/// Pages parsed by an earlier `load_with`, kept while their file keeps its
/// size and modification time and book.toml its text: `serve` reparses only
/// what an editor saved. (Files rewritten within the clock's resolution at
/// the same size look unchanged; filesystems here keep nanoseconds.)
#[derive(Debug, Default)]
pub struct Cache {
    /// A hash of book.toml's text and the options: pages are parsed with them.
    config: u64,
    /// By file, relative to the root: its size, modification time, and what
    /// parsing it gave.
    pages: FastMap<String, Parsed>,
    /// How many files the last load parsed (the others came from the cache).
    parsed: usize,
    /// The taxonomies of the last load, unless a load has lent them out.
    taxonomies: Option<Vec<Taxonomy>>,
    /// A hash of what the last load's taxonomies were grouped from (each
    /// case's place, date, terms and companies).
    taxonomy_key: u64,
}

#[derive(Debug, Clone)]
struct Parsed {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// The page, unless a load has lent it out (`Cache::restore`).
    page: Option<Page>,
    /// Was there a page to lend?
    made: bool,
    diags: Vec<Diagnostic>,
}

impl Cache {
    /// How many page files the last load parsed rather than took from here.
    pub fn parsed(&self) -> usize {
        self.parsed
    }

    /// Gives back the pages and taxonomies a load took from here (the site
    /// it made), so that the next load lends them again instead of parsing
    /// and grouping again. A page not given back is parsed again.
    pub fn restore(&mut self, site: Site) {
        self.taxonomies = Some(site.taxonomies);
        for page in site.pages {
            if let Some(entry) = self.pages.get_mut(&page.source)
                && entry.made
                && entry.page.is_none()
            {
                entry.page = Some(page);
            }
        }
    }
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
pub fn load_with(
    root: &Path,
    opts: &LoadOptions,
    inv: &Inventory,
    mut cache: Option<&mut Cache>,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    if let Some(d) = link_out_of_site(root, config::CONFIG_FILE) {
        diags.push(d.with_help("copy the file into the site instead of linking to it"));
        return Err(diags);
    }
    let config_src = match read_text(root, config::CONFIG_FILE) {
        Ok(src) => src,
        Err(d) if d.message == "not found" => {
            diags.push(d.with_help(
                "run `briefing init DIR` to make a new site, or pass --root to point at one",
            ));
            return Err(diags);
        }
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let mut config = config::parse(&config_src)?;
    if let Some(cache) = cache.as_deref_mut() {
        let hash = crate::hash::of((&config_src, opts.drafts, &opts.base_url));
        if cache.config != hash {
            *cache = Cache { config: hash, ..Cache::default() };
        }
    }
    config.drafts |= opts.drafts;
    if let Some(url) = &opts.base_url {
        config = match config.with_base_url(url) {
            Ok(c) => c,
            Err(msg) => {
                diags.push(Diagnostic::file_error("--base-url", msg));
                return Err(diags);
            }
        };
    }

    let content_files = list_files(inv, "content", &mut diags);
    let data_files = list_files(inv, "data", &mut diags);

    let mut page_files = Vec::new();
    let mut translation_files: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for rel in content_files {
        let key = rel.strip_prefix("content/").unwrap_or(&rel).to_string();
        if !key.ends_with(".md") {
            continue;
        }
        let depth = key.matches('/').count();
        if depth > 1 || (depth == 1 && !key.starts_with("cases/")) {
            diags.push(
                Diagnostic::file_error(&rel, "this file is not part of the briefing")
                    .with_help("chapters live in content/ and case studies in content/cases/; move it or remove it"),
            );
            continue;
        }
        match translation_of(&key, &config) {
            Translation::Of(lang, original) => {
                translation_files.entry(lang).or_default().push((original, rel));
                continue;
            }
            Translation::Undeclared(lang) => {
                diags.push(
                    Diagnostic::file_error(
                        &rel,
                        format!(
                            "the language {lang:?} in this file's name is not declared in book.toml"
                        ),
                    )
                    .with_help(format!(
                        "add a [languages.{lang}] table to book.toml, or rename the file"
                    )),
                );
                continue;
            }
            Translation::Default(lang) => {
                diags.push(
                    Diagnostic::file_error(&rel, format!("{lang:?} is the default language: its text belongs in the file without .{lang}"))
                        .with_help(format!("rename it to content/{}.md", key.trim_end_matches(".md").trim_end_matches(&format!(".{lang}")))),
                );
                continue;
            }
            Translation::No => {}
        }
        page_files.push((key, rel));
    }
    let mut dataset_sources = Vec::new();
    for rel in data_files {
        let Some(stem) = rel.strip_prefix("data/").and_then(|s| s.strip_suffix(".toml")) else {
            continue;
        };
        if stem.contains('/') {
            diags.push(
                Diagnostic::file_error(&rel, "datasets live directly in data/")
                    .with_help("move the file up into data/"),
            );
            continue;
        }
        match read_text(root, &rel) {
            Ok(text) => dataset_sources.push((stem.to_string(), text)),
            Err(d) => diags.push(d),
        }
    }

    // Each file is read and parsed on the same thread, and its text dropped at once.
    let parse = |key: &str, rel: &str| match read_text(root, rel) {
        Ok(text) => content::parse(key, &text, &config),
        Err(d) => (None, vec![d]),
    };
    let parsed: Vec<(Option<Page>, Vec<Diagnostic>)> = match cache.as_deref_mut() {
        None => page_files.par_iter().map(|(key, rel)| parse(key, rel)).collect(),
        Some(cache) => {
            // `None`: the cached entry still holds.
            let fresh: Vec<Option<Parsed>> = page_files
                .par_iter()
                .map(|(key, rel)| {
                    let seen = inv.get(rel);
                    let len = seen.map_or(u64::MAX, |e| e.len);
                    let modified = seen.and_then(|e| e.modified);
                    match cache.pages.get(rel) {
                        Some(p)
                            if p.len == len
                                && p.modified == modified
                                && modified.is_some()
                                && p.made == p.page.is_some() =>
                        {
                            None
                        }
                        _ => {
                            let (page, diags) = parse(key, rel);
                            let made = page.is_some();
                            Some(Parsed { len, modified, page, made, diags })
                        }
                    }
                })
                .collect();
            cache.parsed = fresh.iter().filter(|p| p.is_some()).count();
            if cache.pages.len() != page_files.len()
                || page_files.iter().any(|(_, rel)| !cache.pages.contains_key(rel))
            {
                let current: FastSet<&String> = page_files.iter().map(|(_, rel)| rel).collect();
                cache.pages.retain(|rel, _| current.contains(rel));
            }
            let mut out = Vec::with_capacity(fresh.len());
            for ((_, rel), p) in page_files.iter().zip(fresh) {
                let entry = match p {
                    Some(p) => {
                        cache.pages.insert(rel.clone(), p);
                        cache.pages.get_mut(rel)
                    }
                    None => cache.pages.get_mut(rel),
                };
                if let Some(entry) = entry {
                    out.push((entry.page.take(), entry.diags.clone()));
                }
            }
            out
        }
    };
    let mut pages = Vec::with_capacity(parsed.len());
    for (page, d) in parsed {
        diags.extend(d);
        if let Some(p) = page
            && (!p.is_draft || config.drafts)
        {
            pages.push(p);
        }
    }
    let parsed: Vec<Result<Dataset, Vec<Diagnostic>>> =
        dataset_sources.par_iter().map(|(id, text)| data::parse(id, text)).collect();
    let mut datasets = BTreeMap::new();
    for d in parsed {
        match d {
            Ok(d) => {
                datasets.insert(d.id.clone(), d);
            }
            Err(d) => diags.extend(d),
        }
    }

    for d in datasets.values() {
        for (lang, t) in &d.i18n {
            if !config.languages.contains_key(lang) {
                let e = t.at.error(if *lang == config.book.language {
                    format!("{lang:?} is the default language: the dataset's own strings are in it")
                } else {
                    format!("the language {lang:?} is not declared in book.toml")
                });
                let declared: Vec<String> = config.languages.keys().cloned().collect();
                diags.push(e.with_help(format!(
                    "add [languages.{lang}] to book.toml, or use one of the declared languages{}",
                    if declared.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", declared.join(", "))
                    }
                )));
            }
        }
    }
    if !pages.iter().any(|p| p.kind == PageKind::Front) {
        diags
            .push(Diagnostic::file_error("content/index.md", "the front page is missing").with_help(
            "create content/index.md with a front matter block (`+++` lines) and the introduction",
        ));
    }
    // Pages are large: sort by keys, then move each page once.
    sort_reading_order(&mut pages);
    check_unique_paths(&pages, &mut diags);

    let theme_dir = format!("themes/{}", config.site.theme);
    let words_files = |dir: &str, diags: &mut Diagnostics| -> BTreeMap<String, WordsFile> {
        read_tree(root, inv, dir, diags)
            .into_iter()
            .filter_map(|s| {
                let name = s.path.rsplit('/').next()?.strip_suffix(".toml")?.to_string();
                Some((name, WordsFile { path: s.path, text: s.text }))
            })
            .collect()
    };
    let theme_words = words_files(&format!("{theme_dir}/i18n"), &mut diags);
    let site_words = words_files("i18n", &mut diags);
    for (lang, file) in &site_words {
        if *lang != config.book.language && !config.languages.contains_key(lang) {
            diags.push(
                Diagnostic::file_error(
                    &file.path,
                    format!("{lang:?} is not a language of this site; these words are not used"),
                )
                .with_help(format!("declare [languages.{lang}] in book.toml, or remove the file")),
            );
        }
    }
    let mut words = i18n::load_all(&config, &config_src, &theme_words, &site_words, &mut diags);
    let default_words = words.remove(&config.book.language).unwrap_or_default();
    let numbers = default_words.numbers();

    let (figures, fills) = resolve(&pages, &datasets, &config, &numbers, &mut diags);
    let taxonomies = match cache {
        None => taxonomy::group(&pages, &config.vocabularies),
        Some(cache) => {
            let key = taxonomy_inputs(&pages);
            let same = std::mem::replace(&mut cache.taxonomy_key, key) == key;
            match cache.taxonomies.take() {
                Some(t) if same => t,
                _ => taxonomy::group(&pages, &config.vocabularies),
            }
        }
    };

    let theme_templates = read_tree(root, inv, &format!("{theme_dir}/templates"), &mut diags);
    if config.site.theme != "default" && !root.join(&theme_dir).is_dir() {
        diags.push(
            Diagnostic::error(
                config::CONFIG_FILE,
                &config_src,
                {
                    let site_table = config_src.find("[site]").unwrap_or(0);
                    config::key_span(&config_src, site_table..site_table, "theme")
                },
                format!("theme {:?} not found", config.site.theme),
            )
            .with_help(format!(
                "create {theme_dir}/templates/, or set theme = \"default\" under [site]"
            )),
        );
    }
    let templates = read_tree(root, inv, "templates", &mut diags);
    let mut static_files = BTreeMap::new();
    for dir in [format!("{theme_dir}/static"), "static".to_string()] {
        for rel in list_files(inv, &dir, &mut diags) {
            match fs::read(root.join(&rel)) {
                Ok(bytes) => {
                    let name = rel.strip_prefix(&format!("{dir}/")).unwrap_or(&rel);
                    if name.split('/').next().is_some_and(|top| top.starts_with(".briefing-")) {
                        diags.push(
                            Diagnostic::file_error(
                                &rel,
                                "names starting with `.briefing-` are kept for briefing's own files in the output folder",
                            )
                            .with_help("rename the file or folder"),
                        );
                        continue;
                    }
                    static_files.insert(name.to_string(), bytes);
                }
                Err(e) => diags.push(Diagnostic::file_error(&rel, format!("cannot be read: {e}"))),
            }
        }
    }

    let mut all_langs = vec![LangInfo {
        code: config.book.language.clone(),
        name: default_words.get("language_name"),
        prefix: String::new(),
        dir: i18n::direction(&config.book.language),
    }];
    for lang in config.languages.keys() {
        let name = words.get(lang).map_or_else(|| lang.clone(), |w| w.get("language_name"));
        // A language whose words are the default's fallback has no name of its own.
        let name = if name == all_langs[0].name { lang.clone() } else { name };
        all_langs.push(LangInfo {
            code: lang.clone(),
            name,
            prefix: format!("{lang}/"),
            dir: i18n::direction(lang),
        });
    }
    // A page of the default language inside another language's folder would
    // be written where that language's pages go.
    for p in &pages {
        if let Some(l) = all_langs.iter().skip(1).find(|l| p.path.starts_with(&l.prefix)) {
            let d = p.slug_at.error(format!(
                "this page's address {} is inside the folder of the language {:?} ({})",
                p.path, l.code, l.prefix
            ));
            diags.push(d.with_help(
                "give it another `slug` in its front matter, or rename the file or its folder",
            ));
        }
    }

    if diags.has_errors() {
        return Err(diags);
    }
    let inputs = {
        use std::hash::{Hash, Hasher};
        let mut h = crate::hash::FastHasher::default();
        (env!("CARGO_PKG_VERSION"), &config_src, opts.drafts, &opts.base_url).hash(&mut h);
        for (name, file) in theme_words.iter().chain(&site_words) {
            (name, &file.text).hash(&mut h);
        }
        h.finish()
    };
    let mut site = Site {
        inputs,
        words: default_words,
        lang: Lang {
            code: config.book.language.clone(),
            prefix: String::new(),
            dir: all_langs[0].dir,
            all: all_langs,
        },
        translations: Vec::new(),
        config,
        pages,
        fills,
        datasets,
        figures,
        taxonomies,
        templates: templates
            .into_iter()
            .map(|s| (s.path[s.path.find('/').map_or(0, |i| i + 1)..].to_string(), s))
            .collect(),
        theme_templates: theme_templates
            .into_iter()
            .map(|s| {
                let name = s
                    .path
                    .strip_prefix(&format!("{theme_dir}/templates/"))
                    .unwrap_or(&s.path)
                    .to_string();
                (name, s)
            })
            .collect(),
        static_files,
    };
    let mut translations = Vec::new();
    for lang in site.config.languages.keys() {
        let files = translation_files.remove(lang).unwrap_or_default();
        let lang_words = words.remove(lang).unwrap_or_default();
        translations.push(translate(root, &site, lang, &files, lang_words, &mut diags));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    site.translations = translations;
    Ok((site, diags))
}

/// Puts the pages of the files `changed` (as `inv` saw them) into `site`
/// in place, when that is all the edit changed: each file is a page or a
/// translation of one, parses without a diagnostic, and keeps everything
/// that other pages, lists and figures were resolved from (its address and
/// place in the reading order, its taxonomy terms and companies, its
/// headings' ids, its links and shortcodes). An edited page is put into
/// every language's site: as the untranslated copy it shows there, or as
/// the original its translation inherits from. Then the site is what a full
/// `load_with` would make. Returns `false`, having changed nothing, when a
/// full load is needed.
pub fn patch(
    site: &mut Site,
    root: &Path,
    changed: &[&crate::inventory::Entry],
    cache: &mut Cache,
) -> bool {
    // (the language's site: `None` for the default, then the index of the
    // translation; the page's index there; the new page)
    let mut new: Vec<(Option<usize>, usize, Page)> = Vec::new();
    let mut parsed = 0;
    // Pages first: their translations are made again from them.
    let mut others = Vec::new();
    let mut pages = Vec::new();
    for entry in changed {
        match site.pages.iter().position(|p| p.source == entry.path) {
            Some(i) => pages.push((entry, i)),
            None => others.push(entry),
        }
    }
    for (entry, i) in pages {
        let Ok(text) = read_text(root, &entry.path) else { return false };
        parsed += 1;
        let (Some(page), diags) = content::parse(&site.pages[i].key, &text, &site.config) else {
            return false;
        };
        if !diags.is_empty() || !keeps(&site.pages[i], &page) {
            return false;
        }
        for (t, tr) in site.translations.iter().enumerate() {
            let Some(j) = tr.pages.iter().position(|p| p.key == page.key) else { return false };
            let old = &tr.pages[j];
            let shown = if old.fallback {
                Page { fallback: true, ..page.clone() }
            } else {
                let Ok(text) = read_text(root, &old.source) else { return false };
                parsed += 1;
                match content::parse_translation(&old.source, &text, &page, &tr.config) {
                    (Some(p), d) if d.is_empty() => p,
                    _ => return false,
                }
            };
            if !keeps(old, &shown) {
                return false;
            }
            new.push((Some(t), j, shown));
        }
        new.push((None, i, page));
    }
    for entry in others {
        let found = site.translations.iter().enumerate().find_map(|(t, tr)| {
            tr.pages.iter().position(|p| !p.fallback && p.source == entry.path).map(|j| (t, j))
        });
        let Some((t, j)) = found else { return false };
        if new.iter().any(|(at, k, _)| *at == Some(t) && *k == j) {
            continue; // made again from its edited original
        }
        let tr = &site.translations[t];
        let old = &tr.pages[j];
        let Some(original) = site.pages.iter().find(|p| p.key == old.key) else { return false };
        let Ok(text) = read_text(root, &entry.path) else { return false };
        parsed += 1;
        let page = match content::parse_translation(&entry.path, &text, original, &tr.config) {
            (Some(p), d) if d.is_empty() => p,
            _ => return false,
        };
        if !keeps(old, &page) {
            return false;
        }
        new.push((Some(t), j, page));
    }
    for entry in changed {
        if let Some(parsed) = cache.pages.get_mut(&entry.path) {
            *parsed = Parsed {
                len: entry.len,
                modified: entry.modified,
                page: None,
                made: true,
                diags: Vec::new(),
            };
        }
    }
    for (at, i, page) in new {
        match at {
            None => site.pages[i] = page,
            Some(t) => site.translations[t].pages[i] = page,
        }
    }
    cache.parsed = parsed;
    true
}

/// Does `new` keep everything of `old` that the rest of the site was
/// resolved from (so that it may replace it in place)?
fn keeps(old: &Page, new: &Page) -> bool {
    let ids = |p: &Page| p.body.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    let needs = |p: &Page| p.body.holes.iter().map(|h| h.need.clone()).collect::<Vec<_>>();
    new.is_draft == old.is_draft
        && new.fallback == old.fallback
        && (new.kind, &new.key, &new.path) == (old.kind, &old.key, &old.path)
        && reading_order(new) == reading_order(old)
        && taxonomy_fields(new) == taxonomy_fields(old)
        && ids(new) == ids(old)
        && needs(new) == needs(old)
}

/// The site in language `lang`: each page's translation where `files` has
/// one, else the page itself, marked as a fallback; datasets with their
/// `[i18n.<lang>]` strings; figures, links and taxonomies resolved again.
fn translate(
    root: &Path,
    site: &Site,
    lang: &str,
    files: &[(String, String)],
    words: Words,
    diags: &mut Diagnostics,
) -> Site {
    let config = site.config.for_language(lang);
    let originals: FastMap<&str, &Page> = site.pages.iter().map(|p| (p.key.as_str(), p)).collect();
    let parsed: Vec<(Option<Page>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|(key, rel)| {
            let Some(original) = originals.get(key.as_str()) else {
                let exists = root.join("content").join(key).is_file();
                let why = if exists {
                    format!("content/{key} is a draft, so its translation is not built")
                } else {
                    format!("this translates content/{key}, which does not exist")
                };
                let d = if exists {
                    Diagnostic {
                        severity: crate::diag::Severity::Warning,
                        ..Diagnostic::file_error(rel, why)
                    }
                } else {
                    Diagnostic::file_error(rel, why).with_help(
                        "rename it after the page it translates, or write that page first",
                    )
                };
                return (None, vec![d]);
            };
            match read_text(root, rel) {
                Ok(text) => content::parse_translation(rel, &text, original, &config),
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

    let datasets: BTreeMap<String, Dataset> =
        site.datasets.iter().map(|(id, d)| (id.clone(), d.translated(lang))).collect();
    let numbers = words.numbers();
    let (figures, fills) = resolve(&pages, &datasets, &config, &numbers, diags);
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
        inputs: { crate::hash::of((site.inputs, lang)) },
        config,
        pages,
        fills,
        datasets,
        figures,
        taxonomies,
        templates: site.templates.clone(),
        theme_templates: site.theme_templates.clone(),
        static_files: BTreeMap::new(),
        words,
        lang: lang_info,
        translations: Vec::new(),
    }
}

/// A hash of what `taxonomy::group` reads of `pages`. The fast hash is a
/// chain of bijections: a change to one word of the input (a date, a term
/// of the same length) cannot collide.
fn taxonomy_inputs(pages: &[Page]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::FastHasher::default();
    for p in pages {
        taxonomy_fields(p).hash(&mut h);
        0xffu8.hash(&mut h);
    }
    h.finish()
}

/// What `taxonomy::group` reads of one page.
fn taxonomy_fields(p: &Page) -> (&str, Option<TaxonomyFields<'_>>) {
    let case = p.case.as_ref().map(|c| {
        let companies = c
            .companies
            .iter()
            .map(|co| (co.name.as_str(), co.slug.as_str(), &co.hq, co.response.as_str()))
            .collect();
        (c.date, &c.area, &c.issues, &c.regions, companies)
    });
    (&p.slug, case)
}

/// A case study's date, area, issues, regions and companies (name, slug,
/// headquarters, response), as `taxonomy_fields` borrows them.
type TaxonomyFields<'a> = (
    content::Date,
    &'a String,
    &'a Vec<String>,
    &'a Vec<String>,
    Vec<(&'a str, &'a str, &'a Option<String>, &'a str)>,
);

/// Sorts `pages` into reading order. Pages are large: their order is found
/// on small keys, and they move only when it changed (as in most rebuilds).
fn sort_reading_order(pages: &mut Vec<Page>) {
    let mut keys: Vec<_> = pages.iter().enumerate().map(|(i, p)| (reading_order(p), i)).collect();
    if keys.is_sorted() {
        return;
    }
    // The index last: equal keys keep their order.
    keys.sort_unstable();
    let order: Vec<usize> = keys.into_iter().map(|(_, i)| i).collect();
    let mut slots: Vec<Option<Page>> = std::mem::take(pages).into_iter().map(Some).collect();
    pages.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

fn reading_order(p: &Page) -> (PageKind, i64, Option<content::Date>, &str) {
    match &p.case {
        Some(c) => (p.kind, 0, Some(c.date), p.slug.as_str()),
        None => (p.kind, p.weight, None, p.slug.as_str()),
    }
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

fn check_unique_paths(pages: &[Page], diags: &mut Diagnostics) {
    let mut seen: FastMap<&str, &Page> = FastMap::default();
    for p in pages {
        if let Some(first) = seen.get(p.path.as_str()) {
            let d = p.slug_at.error(format!(
                "this page has the same address as {} ({}index.html)",
                first.source, p.path
            ));
            diags.push(d.with_help("give one of them another `slug` in its front matter"));
        } else {
            seen.insert(&p.path, p);
        }
    }
}

/// Numbers the figures and decides how every hole is filled.
fn resolve(
    pages: &[Page],
    datasets: &BTreeMap<String, Dataset>,
    config: &Config,
    numbers: &Numbers,
    diags: &mut Diagnostics,
) -> (Vec<Figure>, Vec<Vec<Fill>>) {
    let mut spec_owner: BTreeMap<&str, &Dataset> = BTreeMap::new();
    for d in datasets.values() {
        for f in &d.figures {
            if let Some(first) = spec_owner.get(f.id.as_str()) {
                let e = f.at.error(format!(
                    "figure id {:?} is already used in {}",
                    f.id, first.source_path
                ));
                diags.push(e.with_help("give each figure an id of its own"));
            } else {
                spec_owner.insert(&f.id, d);
            }
        }
    }
    let mut placements: Vec<&str> = Vec::new();
    for p in pages {
        for h in &p.body.holes {
            if let Need::Shortcode(Shortcode::Figure { id }) = &h.need
                && spec_owner.contains_key(id.as_str())
                && !placements.contains(&id.as_str())
            {
                placements.push(id);
            }
        }
    }
    let mut figures = figures::number(datasets.values(), &placements);
    figures.retain(|f| spec_owner.get(f.spec.id.as_str()).is_some_and(|d| d.id == f.dataset));
    for (i, f) in figures.iter_mut().enumerate() {
        f.number = i + 1;
    }
    let figure_index: FastMap<String, usize> =
        figures.iter().enumerate().map(|(i, f)| (f.spec.id.clone(), i)).collect();
    let page_index: FastMap<&str, usize> =
        pages.iter().enumerate().map(|(i, p)| (p.key.as_str(), i)).collect();
    let figure_ids: Vec<String> = figure_index.keys().cloned().collect();
    let mut sorted_figure_ids = figure_ids.clone();
    sorted_figure_ids.sort();

    let mut fills = Vec::with_capacity(pages.len());
    for (pi, p) in pages.iter().enumerate() {
        let mut page_fills = Vec::with_capacity(p.body.holes.len());
        for h in &p.body.holes {
            let fail = |message: String, help: String| h.at.error(message).with_help(help);
            let fill = match &h.need {
                Need::Link { target, anchor } => {
                    match page_index.get(target.as_str()) {
                        None => {
                            let known: Vec<String> = pages.iter().map(|p| p.key.clone()).collect();
                            diags.push(fail(
                                format!("link to @/{target}: no such page"),
                                suggest(target, "pages", &closest_pages(target, &known)),
                            ));
                            Fill::Text(String::new())
                        }
                        Some(&ti) => {
                            let t = &pages[ti];
                            let url = config.url(&t.path);
                            match anchor {
                                None => Fill::Href(url),
                                Some(a) if t.body.headings.iter().any(|h| h.id == *a) => {
                                    Fill::Href(format!("{url}#{a}"))
                                }
                                Some(a) => {
                                    let ids: Vec<String> =
                                        t.body.headings.iter().map(|h| h.id.clone()).collect();
                                    let d = fail(
                                        format!(
                                            "link to @/{target}#{a}: {} has no heading with id {a:?}",
                                            t.source
                                        ),
                                        suggest(a, "heading ids there", &ids),
                                    );
                                    if p.fallback {
                                        // An untranslated page linking into a translated one:
                                        // the translator's headings decide; land on the page.
                                        let mut w = d.with_help(format!("give the heading in {} the id {a:?} with {{#{a}}}, so that links from untranslated pages keep their place", t.source));
                                        w.severity = crate::diag::Severity::Warning;
                                        w.message = format!(
                                            "{} (in the {} edition; the link leads to the top of the page)",
                                            w.message, config.book.language
                                        );
                                        diags.push(w);
                                    } else {
                                        diags.push(d);
                                    }
                                    Fill::Href(url)
                                }
                            }
                        }
                    }
                }
                Need::Shortcode(Shortcode::Figure { id } | Shortcode::FigRef { id }) => {
                    match figure_index.get(id) {
                        None => {
                            diags.push(fail(
                                format!("unknown figure id {id:?}"),
                                suggest(id, "figure ids", &sorted_figure_ids),
                            ));
                            Fill::Text(String::new())
                        }
                        Some(&fi) => {
                            let f = &mut figures[fi];
                            if matches!(h.need, Need::Shortcode(Shortcode::Figure { .. })) {
                                if !f.placed_in.contains(&pi) {
                                    f.placed_in.push(pi);
                                }
                                Fill::Figure(fi)
                            } else {
                                if !f.referenced_in.contains(&pi) {
                                    f.referenced_in.push(pi);
                                }
                                Fill::FigRef(fi)
                            }
                        }
                    }
                }
                Need::Shortcode(Shortcode::Value { data, key, format }) => match datasets.get(data)
                {
                    None => {
                        let known: Vec<String> = datasets.keys().cloned().collect();
                        diags.push(fail(
                            format!("unknown dataset {data:?}"),
                            suggest(data, "datasets", &known),
                        ));
                        Fill::Text(String::new())
                    }
                    Some(d) => match d.values.get(key) {
                        None => {
                            let known: Vec<String> = d.values.keys().cloned().collect();
                            diags.push(fail(
                                format!("dataset {data:?} has no value {key:?}"),
                                suggest(key, &format!("values of {data}"), &known)
                                    + " (under [values])",
                            ));
                            Fill::Text(String::new())
                        }
                        Some(&v) => Fill::Text(match format {
                            NumberFormat::Number => numbers.number(v),
                            NumberFormat::Percent => numbers.percent(v),
                        }),
                    },
                },
            };
            page_fills.push(fill);
        }
        fills.push(page_fills);
    }
    (figures, fills)
}

fn closest_pages(target: &str, known: &[String]) -> Vec<String> {
    // Offer the pages of the same folder first: that is where a typo usually lands.
    let folder = target.rsplit_once('/').map_or("", |(f, _)| f);
    let same: Vec<String> = known
        .iter()
        .filter(|k| k.rsplit_once('/').map_or("", |(f, _)| f) == folder)
        .cloned()
        .collect();
    if same.len() <= 12 { same } else { Vec::new() }
}

/// An error when `rel` is a symbolic link whose target lies outside the site:
/// the build never reads beyond its root.
fn link_out_of_site(root: &Path, rel: &str) -> Option<Diagnostic> {
    let path = root.join(rel);
    let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let inside = path.canonicalize().is_ok_and(|t| t.starts_with(&canonical_root));
    (is_link && !inside).then(|| {
        Diagnostic::file_error(rel, "is a symbolic link that leads out of the site; it is not read")
    })
}

/// Reads a text file of the site; a missing, unreadable or non-UTF-8 file is a diagnostic.
fn read_text(root: &Path, rel: &str) -> Result<String, Diagnostic> {
    let bytes = fs::read(root.join(rel)).map_err(|e| {
        let what = if e.kind() == std::io::ErrorKind::NotFound {
            "not found".to_string()
        } else {
            format!("cannot be read: {e}")
        };
        Diagnostic::file_error(rel, what)
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        Diagnostic::error(rel, &text, text.len()..text.len(), "the file is not valid UTF-8")
            .with_help("save the file as UTF-8 in your editor")
    })
}

/// Files under `dir`, as sorted paths relative to the root with `/`.
/// Symlinks count only when they stay inside the site.
fn list_files(inv: &Inventory, dir: &str, diags: &mut Diagnostics) -> Vec<String> {
    let Some(base) = inv.get(dir).filter(|e| e.kind == Kind::Dir) else {
        return Vec::new();
    };
    let out_of_site = |path: &str, what: &str| {
        Diagnostic::warning(
            path,
            "",
            0..0,
            "this symbolic link leads out of the site and is ignored",
        )
        .with_help(format!("copy the {what} into the site instead"))
    };
    // The walk follows its starting folder even when it is a link: check it here.
    if base.link == Link::Outside {
        diags.push(out_of_site(dir, "folder"));
        return Vec::new();
    }
    for (path, e) in inv.errors_in(dir) {
        diags.push(Diagnostic::file_error(path, format!("cannot be read: {e}")));
    }
    let mut out = Vec::new();
    for entry in inv.under(dir) {
        let name = entry.path.rsplit('/').next().unwrap_or(&entry.path);
        if name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".tmp")
        {
            // Hidden files and editors' temporary files are not part of the site.
            continue;
        }
        match (entry.link, entry.kind) {
            (Link::Outside, _) => diags.push(out_of_site(&entry.path, "file")),
            (_, Kind::File) => out.push(entry.path.clone()),
            _ => {}
        }
    }
    out
}

fn read_tree(root: &Path, inv: &Inventory, dir: &str, diags: &mut Diagnostics) -> Vec<Source> {
    list_files(inv, dir, diags)
        .into_iter()
        .filter_map(|rel| match read_text(root, &rel) {
            // Editors may save templates with a byte-order mark; Tera must not see it.
            Ok(text) => Some(Source {
                path: rel,
                text: text.strip_prefix('\u{feff}').map_or(text.clone(), str::to_string),
            }),
            Err(d) => {
                diags.push(d);
                None
            }
        })
        .collect()
}
