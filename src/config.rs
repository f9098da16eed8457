//! `book.toml` -> `Config`. Every table but `[extra]` denies unknown keys, so
//! a typo in a key is an error with its line instead of a silently ignored setting.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Code, Diagnostic, Diagnostics, suggest};

/// The path of the configuration file, relative to the site root.
pub(crate) const CONFIG_FILE: &str = "book.toml";

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `[book]`: what the briefing is.
    pub book: Book,
    /// `[site]`: where it is published.
    pub site: SiteSettings,
    /// `[build]`: whether drafts are built.
    pub drafts: bool,
    /// `[taxonomies]`: the closed vocabularies, by taxonomy name (`areas`, `issues`, `regions`).
    pub vocabularies: BTreeMap<String, Vec<String>>,
    /// `[languages.<lang>]`: the other languages and their overrides of the book's strings.
    pub languages: BTreeMap<String, LanguageStrings>,
    /// `[extra]`: free-form, handed to templates as `config.extra`.
    pub extra: toml::Table,
    /// The palette figures are drawn with, from `[figures] palette` (CSS colours).
    pub palette: Option<Vec<String>>,
    /// Where a language's pages live under the base path: empty for the
    /// default language, `fr/` for French. `url` and `permalink` add it.
    pub(crate) lang_prefix: String,
    /// Where each `[languages.<lang>]` table starts in book.toml, for errors.
    pub(crate) language_spans: BTreeMap<String, Range<usize>>,
}

/// `[book]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Book {
    /// The briefing's title (required).
    pub title: String,
    /// A line under the title.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// The meta description and the feed's subtitle.
    #[serde(default)]
    pub description: Option<String>,
    /// Who wrote it.
    #[serde(default)]
    pub authors: Vec<String>,
    /// The default language, BCP 47 (`en` unless said).
    #[serde(default = "default_language")]
    pub language: String,
    /// The publication date.
    #[serde(default)]
    pub published: Option<toml::value::Datetime>,
}

fn default_language() -> String {
    "en".to_string()
}

/// `[site]`, with the base URL split into its parts.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// The absolute address of the site, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`, starting and ending with `/` (`/ict/`).
    pub base_path: String,
    /// Where the site is written, relative to the site root unless absolute.
    pub output_dir: String,
    /// The theme's name; `default` is built in.
    pub theme: String,
    /// `headers = true`: write `_headers` (Netlify, Cloudflare Pages), which
    /// lets browsers and CDNs keep files whose names carry a hash of their
    /// content forever, and makes them ask again for every other file.
    pub headers: bool,
}

/// `[languages.<lang>]`: a language's overrides of the book's strings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageStrings {
    /// The title in this language.
    pub title: Option<String>,
    /// The subtitle in this language.
    pub subtitle: Option<String>,
    /// The description in this language.
    pub description: Option<String>,
    /// Translations of taxonomy terms (`"Labour rights" = "Droits du travail"`).
    #[serde(default)]
    pub terms: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    book: Spanned<Book>,
    site: Spanned<RawSite>,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    taxonomies: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    languages: BTreeMap<Spanned<String>, LanguageStrings>,
    #[serde(default)]
    extra: toml::Table,
    #[serde(default)]
    figures: RawFigures,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    base_url: Spanned<String>,
    #[serde(default = "default_output")]
    output_dir: String,
    #[serde(default = "default_theme")]
    theme: Spanned<String>,
    #[serde(default)]
    headers: bool,
}

fn default_output() -> String {
    "public".to_string()
}

fn default_theme() -> Spanned<String> {
    Spanned::new(0..0, "default".to_string())
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    #[serde(default)]
    drafts: bool,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigures {
    #[serde(default)]
    palette: Option<Spanned<Vec<Spanned<String>>>>,
}

/// The taxonomies whose vocabulary may be closed in `[taxonomies]`.
pub(crate) const CLOSABLE: [&str; 4] = ["areas", "issues", "regions", "companies"];

/// Parses the text of `book.toml`.
///
/// # Errors
/// Every problem found, with its line: TOML syntax, unknown or missing keys,
/// wrong types, a base URL that is not absolute, an unknown taxonomy.
pub fn parse(src: &str) -> Result<Config, Diagnostics> {
    let mut diags = Diagnostics::new();
    let raw: RawConfig =
        match crate::schema::parse(CONFIG_FILE, src, src, 0, &crate::schema::CONFIG) {
            Ok(raw) => raw,
            Err(errors) => {
                diags.extend(errors);
                return Err(diags);
            }
        };
    let book = book(raw.book, src, &mut diags);
    let site = site_settings(raw.site.into_inner(), src, &mut diags);
    let vocabularies = vocabularies(raw.taxonomies, src, &mut diags);
    let (languages, language_spans) =
        languages(raw.languages, &book, &vocabularies, src, &mut diags);
    let palette = raw.figures.palette.map(|p| palette(p, src, &mut diags));
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Config {
        book,
        site,
        drafts: raw.build.drafts,
        vocabularies,
        languages,
        extra: raw.extra,
        palette,
        lang_prefix: String::new(),
        language_spans,
    })
}

/// An error at `span` of book.toml, whose text is `src`.
fn error(code: Code, src: &str, span: Range<usize>, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error(code, CONFIG_FILE, src, span, msg)
}

/// `[book]`, checked: a title, and a language tag.
fn book(raw: Spanned<Book>, src: &str, diags: &mut Diagnostics) -> Book {
    let span = raw.span();
    let book = raw.into_inner();
    if book.title.trim().is_empty() {
        diags.push(
            error(Code::EmptyTitle, src, span.clone(), "the book's title is empty")
                .with_help("write `title = \"...\"` under [book]"),
        );
    }
    if !is_language_tag(&book.language) {
        diags.push(
            error(
                Code::LanguageTag,
                src,
                key_span(src, span, "language"),
                format!("{:?} is not a language tag", book.language),
            )
            .with_help("use a BCP 47 tag such as \"en\", \"fr\" or \"pt-BR\""),
        );
    }
    book
}

/// `[site]`, checked: an absolute base URL, split into its parts, and a theme name.
fn site_settings(raw: RawSite, src: &str, diags: &mut Diagnostics) -> SiteSettings {
    let url_span = raw.base_url.span();
    let base_url = raw.base_url.into_inner();
    let (base_url, base_path) = match split_base_url(&base_url) {
        Some(parts) => parts,
        None => {
            diags.push(
                error(Code::BaseUrl, src, url_span, format!("base_url {base_url:?} is not an absolute http(s) address"))
                    .with_help("write the address the site is published at, such as \"https://example.org/briefing/\""),
            );
            (String::new(), "/".to_string())
        }
    };
    let theme_span = raw.theme.span();
    let theme = raw.theme.into_inner();
    let theme_ok = !theme.is_empty()
        && theme.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !crate::slug::is_device_name(&theme);
    if !theme_ok {
        diags.push(
            error(Code::ThemeName, src, theme_span, format!("theme {theme:?} is not a theme name"))
                .with_help("a theme is a folder of themes/: name it with letters, digits, - and _, such as \"default\""),
        );
    }
    SiteSettings { base_url, base_path, output_dir: raw.output_dir, theme, headers: raw.headers }
}

/// `[taxonomies]`, checked: known taxonomies, each term with letters or
/// digits and an address of its own.
fn vocabularies(
    raw: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
    src: &str,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Vec<String>> {
    let mut vocabularies = BTreeMap::new();
    for (name, terms) in raw {
        let span = terms.span();
        if !CLOSABLE.contains(&name.as_str()) {
            diags.push(
                error(
                    Code::UnknownTaxonomy,
                    src,
                    span.clone(),
                    format!("unknown taxonomy {name:?}"),
                )
                .with_help(format!("the taxonomies are {}", CLOSABLE.join(", "))),
            );
            continue;
        }
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut list = Vec::new();
        for term in terms.into_inner() {
            let slug = crate::slug::slugify(term.get_ref());
            if slug.is_empty() {
                diags.push(error(
                    Code::BadTerm,
                    src,
                    term.span(),
                    format!("the term {:?} has no letters or digits", term.get_ref()),
                ));
            } else if let Some(first) = seen.get(&slug) {
                diags.push(
                    error(
                        Code::BadTerm,
                        src,
                        term.span(),
                        format!("the term {:?} is listed twice", term.get_ref()),
                    )
                    .with_help(format!("it has the same address as {first:?}; keep one")),
                );
            } else {
                seen.insert(slug, term.get_ref().clone());
                list.push(term.into_inner());
            }
        }
        vocabularies.insert(name, list);
    }
    vocabularies
}

/// `[languages.<lang>]`, checked, with where each table starts: language
/// tags other than the book's, translating only terms the taxonomies list.
fn languages(
    raw: BTreeMap<Spanned<String>, LanguageStrings>,
    book: &Book,
    vocabularies: &BTreeMap<String, Vec<String>>,
    src: &str,
    diags: &mut Diagnostics,
) -> (BTreeMap<String, LanguageStrings>, BTreeMap<String, Range<usize>>) {
    let mut languages = BTreeMap::new();
    let mut spans = BTreeMap::new();
    for (lang, strings) in raw {
        if !is_language_tag(lang.get_ref()) {
            let msg = format!("{:?} is not a language tag", lang.get_ref());
            diags.push(error(Code::LanguageTag, src, lang.span(), msg));
        } else if lang.get_ref() == &book.language {
            diags.push(
                error(
                    Code::LanguageTag,
                    src,
                    lang.span(),
                    format!("[languages.{}] repeats the default language", lang.get_ref()),
                )
                .with_help("the default language's strings are those of [book]; remove this table"),
            );
        } else {
            check_terms(&lang, &strings, vocabularies, src, diags);
            spans.insert(lang.get_ref().clone(), lang.span());
            languages.insert(lang.into_inner(), strings);
        }
    }
    (languages, spans)
}

/// A term that `[languages.<lang>] terms` translates must be one that a
/// taxonomy lists (when any does).
fn check_terms(
    lang: &Spanned<String>,
    strings: &LanguageStrings,
    vocabularies: &BTreeMap<String, Vec<String>>,
    src: &str,
    diags: &mut Diagnostics,
) {
    for term in strings.terms.keys() {
        let known = vocabularies.values().flatten().any(|t| t == term);
        if !vocabularies.is_empty() && !known {
            let all: Vec<String> = vocabularies.values().flatten().cloned().collect();
            // The term as written in the table, else the table's header.
            let from = lang.span().start;
            let span = src[from..]
                .find(&format!("{term:?}"))
                .map_or(lang.span(), |i| from + i..from + i + term.len() + 2);
            diags.push(
                error(
                    Code::UnknownTermTranslation,
                    src,
                    span,
                    format!(
                        "[languages.{}] translates the term {term:?}, which no taxonomy lists",
                        lang.get_ref()
                    ),
                )
                .with_help(suggest(term, "terms", &all)),
            );
        }
    }
}

/// `[figures] palette`, checked: at least one colour, each a CSS hex colour.
fn palette(raw: Spanned<Vec<Spanned<String>>>, src: &str, diags: &mut Diagnostics) -> Vec<String> {
    let whole = raw.span();
    let items = raw.into_inner();
    if items.is_empty() {
        diags.push(
            error(Code::Palette, src, whole, "[figures] palette is empty")
                .with_help("list at least one colour, such as \"#0072b2\""),
        );
    }
    for c in items.iter().filter(|c| !is_css_colour(c.get_ref())) {
        diags.push(
            error(Code::Palette, src, c.span(), format!("{:?} is not a colour", c.get_ref()))
                .with_help("write colours as \"#rrggbb\" or \"#rgb\""),
        );
    }
    items.into_iter().map(Spanned::into_inner).collect()
}

/// The span of the value of `key` in the table that starts at `table` (its
/// first line `key = ...`), or `table` when it cannot be found.
pub(crate) fn key_span(src: &str, table: Range<usize>, key: &str) -> Range<usize> {
    // A table's span may cover only its header: read on to the next header.
    let text = src.get(table.start..).unwrap_or("");
    let mut at = table.start;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        if n > 0 && trimmed.starts_with('[') {
            break;
        }
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let value = line.find('=').map_or(0, |i| i + 1);
            let lead = line[value..].len() - line[value..].trim_start().len();
            let end = line.trim_end().len();
            return at + value + lead..at + end.max(value + lead);
        }
        at += line.len();
    }
    table
}

/// `https://host/path` -> (`https://host/path/`, `/path/`); `None` when it is not an absolute http(s) address.
pub(crate) fn split_base_url(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    let path_ok = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~' | '%'))
        && !path.split('/').any(|s| s == ".." || s == ".");
    if !host_ok || !path_ok {
        return None;
    }
    let path = path.trim_matches('/');
    let base_path = if path.is_empty() { "/".to_string() } else { format!("/{path}/") };
    let scheme_len = url.len() - rest.len();
    Some((format!("{}{host}{base_path}", &url[..scheme_len]), base_path))
}

/// A loose BCP 47 check: letters, digits and hyphens, starting with 2-3 letters.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

pub(crate) fn is_css_colour(c: &str) -> bool {
    let hex = c.strip_prefix('#').unwrap_or("");
    (hex.len() == 6 || hex.len() == 3) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

impl Config {
    /// The site's URL for a path inside it (`cases/x/` -> `/base/cases/x/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}{}", self.site.base_path, self.lang_prefix, path)
    }

    /// The absolute URL for a path inside the site.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}{}", self.site.base_url, self.lang_prefix, path)
    }

    /// The URL of a file every language shares (`style.css`), without a language prefix.
    pub(crate) fn asset_url(&self, path: &str) -> String {
        format!("{}{}", self.site.base_path, path)
    }

    /// The default language's code (`en`).
    pub(crate) fn default_language(&self) -> &str {
        &self.book.language
    }

    /// The configuration as language `lang` sees it: the book's strings
    /// replaced by `[languages.<lang>]`'s, and addresses under `<lang>/`.
    /// The default language gets the configuration as it is.
    pub(crate) fn for_language(&self, lang: &str) -> Config {
        let mut c = self.clone();
        if let Some(strings) = self.languages.get(lang) {
            if let Some(t) = &strings.title {
                c.book.title = t.clone();
            }
            if strings.subtitle.is_some() {
                c.book.subtitle = strings.subtitle.clone();
            }
            if strings.description.is_some() {
                c.book.description = strings.description.clone();
            }
            c.book.language = lang.to_string();
            c.lang_prefix = format!("{lang}/");
        }
        c
    }

    /// A taxonomy term as this configuration's language writes it.
    pub(crate) fn term_name<'a>(&'a self, term: &'a str) -> &'a str {
        if self.lang_prefix.is_empty() {
            return term;
        }
        self.languages
            .get(&self.book.language)
            .and_then(|l| l.terms.get(term))
            .map_or(term, String::as_str)
    }

    /// The same configuration with another base URL (`--base-url`).
    ///
    /// # Errors
    /// When `url` is not an absolute http(s) address.
    pub fn with_base_url(mut self, url: &str) -> Result<Self, String> {
        let (base_url, base_path) = split_base_url(url)
            .ok_or_else(|| format!("--base-url {url:?} is not an absolute http(s) address"))?;
        self.site.base_url = base_url;
        self.site.base_path = base_path;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "[book]\ntitle = \"T\"\n[site]\nbase_url = \"https://example.org/ict\"\n";

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse(MINIMAL).expect("valid");
        assert_eq!(c.site.base_url, "https://example.org/ict/");
        assert_eq!(c.site.base_path, "/ict/");
        assert_eq!(c.site.output_dir, "public");
        assert_eq!(c.book.language, "en");
        assert!(!c.drafts);
    }

    #[test]
    fn base_urls_split_into_address_and_path() {
        for (input, want) in [
            ("https://example.org", Some("/")),
            ("https://example.org/", Some("/")),
            ("http://localhost:1111/a/b/", Some("/a/b/")),
            ("example.org", None),
            ("https://example.org/../x", None),
            ("https://exa mple.org/", None),
        ] {
            assert_eq!(split_base_url(input).map(|p| p.1), want.map(String::from), "{input}");
        }
    }

    #[test]
    fn unknown_key_names_its_line() {
        let src = format!("{MINIMAL}[build]\ndraft = true\n");
        let d = parse(&src).expect_err("unknown key").sorted();
        assert_eq!((d[0].line, d[0].col), (6, 1));
        assert_eq!(d[0].message, "unknown key `draft` in [build]");
    }

    #[test]
    fn unknown_taxonomy_is_an_error() {
        let src = format!("{MINIMAL}[taxonomies]\ntopics = [\"a\"]\n");
        let d = parse(&src).expect_err("unknown taxonomy").sorted();
        assert_eq!(d[0].line, 6);
        assert!(d[0].message.contains("unknown taxonomy \"topics\""));
    }
}
