//! The theme: the built-in default theme (embedded in the binary), a theme
//! on disk that overrides it name by name, and the site's own templates/,
//! which override both. Tera errors become diagnostics with template positions.

use serde::Serialize;
use tera::Context;

use super::context::Link;
use crate::content::PageKind;
use crate::i18n::Words;
use std::collections::BTreeMap;

use tera::{ErrorKind, Tera};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::site::Site;

/// The built-in default theme's templates, by name.
pub(crate) const BUILTIN_TEMPLATES: [(&str, &str); 20] = [
    ("base.html", include_str!("../../themes/default/templates/base.html")),
    ("index.html", include_str!("../../themes/default/templates/index.html")),
    ("chapter.html", include_str!("../../themes/default/templates/chapter.html")),
    ("case.html", include_str!("../../themes/default/templates/case.html")),
    ("cases.html", include_str!("../../themes/default/templates/cases.html")),
    ("taxonomy.html", include_str!("../../themes/default/templates/taxonomy.html")),
    ("term.html", include_str!("../../themes/default/templates/term.html")),
    ("companies.html", include_str!("../../themes/default/templates/companies.html")),
    ("company.html", include_str!("../../themes/default/templates/company.html")),
    ("figures.html", include_str!("../../themes/default/templates/figures.html")),
    ("figure.html", include_str!("../../themes/default/templates/figure.html")),
    ("embed.html", include_str!("../../themes/default/templates/embed.html")),
    ("404.html", include_str!("../../themes/default/templates/404.html")),
    ("search.html", include_str!("../../themes/default/templates/search.html")),
    (
        "partials/case-item.html",
        include_str!("../../themes/default/templates/partials/case-item.html"),
    ),
    (
        "partials/case-list.html",
        include_str!("../../themes/default/templates/partials/case-list.html"),
    ),
    (
        "partials/response.html",
        include_str!("../../themes/default/templates/partials/response.html"),
    ),
    ("partials/toc.html", include_str!("../../themes/default/templates/partials/toc.html")),
    ("print.html", include_str!("../../themes/default/templates/print.html")),
    (
        "partials/print-section.html",
        include_str!("../../themes/default/templates/partials/print-section.html"),
    ),
];

/// The built-in theme's words in English.
pub const BUILTIN_WORDS_EN: &str = include_str!("../../themes/default/i18n/en.toml");

/// Where each template came from, for error messages.
pub(crate) type Origins = BTreeMap<String, String>;

/// Builds the Tera instance for `site`: built-in templates, then the theme's
/// on disk, then the site's.
///
/// # Errors
/// A template that does not parse, or extends or includes one that does not exist.
pub fn load(site: &Site) -> Result<(Tera, Origins), Diagnostics> {
    let theme_dir = format!("themes/{}/templates", site.config.site.theme);
    let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (name, text) in BUILTIN_TEMPLATES {
        sources
            .insert(name.to_string(), (format!("{theme_dir}/{name} (built in)"), text.to_string()));
    }
    for (name, s) in site.theme_templates.iter().chain(&site.templates) {
        sources.insert(name.clone(), (s.path.clone(), s.text.clone()));
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    let origins: Origins =
        sources.iter().map(|(name, (path, _))| (name.clone(), path.clone())).collect();
    let result = tera
        .add_raw_templates(sources.iter().map(|(name, (_, text))| (name.as_str(), text.as_str())));
    if let Err(e) = result {
        let mut diags = Diagnostics::new();
        diags.push(tera_diagnostic(&e, &origins, &sources_text(&sources)));
        return Err(diags);
    }
    Ok((tera, origins))
}

fn sources_text(sources: &BTreeMap<String, (String, String)>) -> BTreeMap<String, String> {
    sources.iter().map(|(k, (_, text))| (k.clone(), text.clone())).collect()
}

/// A Tera error as a diagnostic at the template's path, line and column.
pub(crate) fn tera_diagnostic(
    e: &tera::Error,
    origins: &Origins,
    texts: &BTreeMap<String, String>,
) -> Diagnostic {
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let path =
                origins.get(r.filename()).cloned().unwrap_or_else(|| r.filename().to_string());
            let message = r.message().trim_end_matches('.').to_string();
            let message = lowercase_first(&message);
            match texts.get(r.filename()) {
                Some(text) => {
                    let range = r.span().range.clone();
                    Diagnostic::error(Code::Template, &path, text, range, message)
                }
                None => Diagnostic::file_error(Code::Template, &path, message),
            }
            .with_help(
                "fix the template; the README lists every template and the variables it receives",
            )
        }
        ErrorKind::MissingParent { current, parent } => {
            let path = origins.get(current).cloned().unwrap_or_else(|| current.clone());
            Diagnostic::file_error(
                Code::MissingParentTemplate,
                &path,
                format!("extends {parent:?}, which does not exist"),
            )
            .with_help("check the name in {% extends %}; the README lists the theme's templates")
        }
        other => {
            Diagnostic::file_error(Code::Template, "templates", lowercase_first(&other.to_string()))
        }
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The texts of every template, by name (for placing render errors).
pub(crate) fn template_texts(site: &Site) -> BTreeMap<String, String> {
    let mut texts: BTreeMap<String, String> =
        BUILTIN_TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    for (name, s) in site.theme_templates.iter().chain(&site.templates) {
        texts.insert(name.clone(), s.text.clone());
    }
    texts
}
/// The values every template sees: `config`, `nav`, `urls`, the theme's
/// words `t` and `generator` (`briefing 0.1.0`).
pub(super) fn global_context(site: &Site, words: &Words) -> Context {
    let c = &site.config;
    let mut ctx = Context::new();
    #[derive(Serialize)]
    struct ConfigView<'a> {
        title: &'a str,
        subtitle: &'a Option<String>,
        description: &'a Option<String>,
        authors: &'a [String],
        language: &'a str,
        dir: &'a str,
        default_language: &'a str,
        published: Option<String>,
        published_display: Option<String>,
        base_url: &'a str,
        base_path: &'a str,
        extra: &'a toml::Table,
    }
    ctx.insert(
        "config",
        &ConfigView {
            title: &c.book.title,
            subtitle: &c.book.subtitle,
            description: &c.book.description,
            authors: &c.book.authors,
            language: &c.book.language,
            published: c
                .book
                .published
                .and_then(|p| p.date)
                .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)),
            published_display: c
                .book
                .published
                .and_then(|p| p.date)
                .map(|d| words.date(crate::content::Date::of_day(d.year, d.month, d.day))),
            base_url: &c.site.base_url,
            base_path: &c.site.base_path,
            dir: site.lang.dir,
            default_language: &site.lang.all[0].code,
            extra: &c.extra,
        },
    );
    let nav: Vec<Link> = site
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Chapter)
        .map(|p| Link { title: p.title.clone(), url: c.url(&p.path) })
        .collect();
    ctx.insert("nav", &nav);
    let mut urls = BTreeMap::new();
    for (k, path) in [
        ("home", ""),
        ("cases", "cases/"),
        ("figures", "figures/"),
        ("areas", "areas/"),
        ("issues", "issues/"),
        ("regions", "regions/"),
        ("companies", "companies/"),
        ("feed", "atom.xml"),
        ("print", "print/"),
        ("sitemap", "sitemap.xml"),
        ("search", "search/"),
    ] {
        urls.insert(k, c.url(path));
    }
    // The theme's files under their hashed names (`style.1a2b3c4d.css`).
    for (key, name) in crate::assets::HASHED {
        urls.insert(key, c.asset_url(site.assets.path(name)));
    }
    ctx.insert("urls", &urls);
    ctx.insert("t", words.table());
    // The version, never the commit: pages stay the same for the same input
    // whichever checkout built them.
    ctx.insert("generator", concat!("briefing ", env!("CARGO_PKG_VERSION")));
    ctx
}
