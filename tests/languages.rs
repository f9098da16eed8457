//! Languages: a briefing in English (default), French and Arabic, built from
//! tests/fixtures/languages. Output paths, switchers, alternates, fallbacks
//! with notices, localised numbers in prose and figures, translated terms and
//! data downloads; and each error a translator can make, with its place.

mod common;

use common::TestSite;
use common::fixtures::{BOOK, INDEX};

const NNBSP: char = '\u{202f}';
const NBSP: char = '\u{a0}';

fn built() -> TestSite {
    let site = TestSite::fixture("languages");
    site.build_ok();
    site
}

#[test]
fn every_language_has_the_same_layout_under_its_folder() {
    let site = built();
    for page in [
        "index.html",
        "abuses/index.html",
        "cases/index.html",
        "cases/factory/index.html",
        "cases/data-sharing/index.html",
        "figures/responses/index.html",
        "figures/responses.svg",
        "issues/labour-rights/index.html",
        "companies/acme-electronics/index.html",
        "data/responses.csv",
        "data/responses.json",
        "atom.xml",
        "404.html",
    ] {
        for prefix in ["", "fr/", "ar/"] {
            assert!(site.has(&format!("{prefix}{page}")), "{prefix}{page} is missing");
        }
    }
    // Shared files are written once, at the top.
    let style = site.asset("style.css");
    assert!(site.has(&style) && !site.has(&format!("fr/{style}")));
    assert!(site.has("sitemap.xml") && !site.has("fr/sitemap.xml"));
    let fr = site.read("fr/cases/factory/index.html");
    assert!(fr.contains(&format!("href=\"/brief/{style}\"")), "{fr}");
}

#[test]
fn pages_declare_their_language_and_direction() {
    let site = built();
    assert!(site.read("index.html").contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(site.read("fr/index.html").contains("<html lang=\"fr\" dir=\"ltr\">"));
    let ar = site.read("ar/cases/index.html");
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\">"), "{ar}");
    assert!(site.read("ar/index.html").contains("التكنولوجيا والحقوق"));
}

#[test]
fn the_switcher_lands_on_the_same_page_in_each_language() {
    let site = built();
    let page = site.read("fr/cases/factory/index.html");
    let nav = page.split("<nav class=\"languages\"").nth(1).expect("a language switcher");
    let nav = nav.split("</nav>").next().unwrap_or_default();
    assert!(
        nav.contains("<a href=\"/brief/cases/factory/\" hreflang=\"en\" lang=\"en\">English</a>"),
        "{nav}"
    );
    assert!(
        nav.contains(
            "<a href=\"/brief/ar/cases/factory/\" hreflang=\"ar\" lang=\"ar\">العربية</a>"
        ),
        "{nav}"
    );
    assert!(
        nav.contains(
            "<a href=\"/brief/fr/cases/factory/\" lang=\"fr\" aria-current=\"page\">Français</a>"
        ),
        "{nav}"
    );
    // Lists and term pages switch too.
    let list = site.read("issues/labour-rights/index.html");
    assert!(list.contains("href=\"/brief/fr/issues/labour-rights/\" hreflang=\"fr\""), "{list}");
}

#[test]
fn every_page_and_the_sitemap_declare_alternates() {
    let site = built();
    let page = site.read("cases/data-sharing/index.html");
    for (lang, url) in [
        ("en", "https://example.org/brief/cases/data-sharing/"),
        ("fr", "https://example.org/brief/fr/cases/data-sharing/"),
        ("ar", "https://example.org/brief/ar/cases/data-sharing/"),
        ("x-default", "https://example.org/brief/cases/data-sharing/"),
    ] {
        let link = format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{url}\">");
        assert!(page.contains(&link), "missing {link}");
    }
    let sitemap = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("the sitemap is XML");
    let urls: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("url")).collect();
    let locs: Vec<&str> = urls
        .iter()
        .filter_map(|u| u.children().find(|c| c.has_tag_name("loc")).and_then(|l| l.text()))
        .collect();
    assert!(locs.contains(&"https://example.org/brief/fr/cases/factory/"), "{locs:?}");
    assert!(locs.contains(&"https://example.org/brief/ar/"), "{locs:?}");
    for u in &urls {
        let alternates = u.children().filter(|c| c.has_tag_name("link")).count();
        assert_eq!(alternates, 3, "each address lists its three languages");
    }
}

#[test]
fn untranslated_pages_are_published_with_a_notice_in_the_readers_language() {
    let site = built();
    let fr = site.read("fr/cases/data-sharing/index.html");
    assert!(fr.contains("Cette page n&#39;est pas encore traduite en français."), "{fr}");
    // The text itself is marked as English, in an otherwise French page.
    assert!(
        fr.contains("<div class=\"prose\" lang=\"en\" dir=\"ltr\"><p>User data was shared."),
        "{fr}"
    );
    assert!(fr.contains("<html lang=\"fr\""));
    let ar = site.read("ar/abuses/index.html");
    assert!(ar.contains("لم تُترجم هذه الصفحة إلى العربية بعد."), "{ar}");
    assert!(ar.contains("lang=\"en\" dir=\"ltr\""), "{ar}");
    // Translated pages and the default language carry no notice.
    assert!(!site.read("fr/cases/factory/index.html").contains("untranslated"));
    assert!(!site.read("cases/data-sharing/index.html").contains("untranslated"));
    // In lists, an untranslated case's title says its language.
    let list = site.read("fr/cases/index.html");
    assert!(
        list.contains(
            "<h3 lang=\"en\"><a href=\"/brief/fr/cases/data-sharing/\">Data sharing</a></h3>"
        ),
        "{list}"
    );
}

#[test]
fn a_draft_translation_is_published_only_with_drafts() {
    let site = TestSite::fixture("languages").file(
        "content/cases/data-sharing.fr.md",
        "+++\ntitle = \"Partage de données\"\ndraft = true\n+++\n\nBrouillon du traducteur.\n",
    );
    site.build_ok();
    let fr = site.read("fr/cases/data-sharing/index.html");
    assert!(!fr.contains("Brouillon du traducteur."), "a draft is not published: {fr}");
    assert!(fr.contains("User data was shared."), "the original shows instead: {fr}");
    site.build_ok_with(briefing::cli::BuildArgs { drafts: true, ..Default::default() });
    let fr = site.read("fr/cases/data-sharing/index.html");
    assert!(fr.contains("Brouillon du traducteur."), "{fr}");
}

#[test]
fn a_translation_inherits_the_front_matter_it_leaves_out() {
    let site = built();
    let fr = site.read("fr/cases/factory/index.html");
    assert!(fr.contains("<h1>Heures supplémentaires à l&#39;usine"), "{fr}");
    assert!(
        fr.contains("1er mars 2018"),
        "the date comes from the original, written in French: {fr}"
    );
    assert!(fr.contains("Acme Electronics") && fr.contains("A répondu"), "{fr}");
    assert!(fr.contains("heures supplémentaires forcées"));
    let company = site.read("fr/companies/acme-electronics/index.html");
    assert!(company.contains("href=\"/brief/fr/cases/factory/\""), "{company}");
}

#[test]
fn numbers_in_prose_follow_the_language() {
    let site = built();
    let en = site.read("index.html");
    assert!(en.contains("Of the companies approached, 58% responded."), "{en}");
    let fr = site.read("fr/index.html");
    assert!(fr.contains(&format!("Parmi les entreprises sollicitées, 58{NBSP}% ont répondu, soit 12{NNBSP}345 sollicitations.")), "{fr}");
    assert!(fr.contains(&format!("<dd>50{NBSP}%</dd>")), "the front page's own rate: {fr}");
    let ar = site.read("ar/index.html");
    assert!(ar.contains("استجابت 58٪ من الشركات"), "{ar}");
}

#[test]
fn figures_are_drawn_once_per_language() {
    let site = built();
    let en = site.read("figures/responses.svg");
    assert!(en.contains("Figure 1: Responses by kind"));
    assert!(en.contains("\n1234.5\n") && en.contains("\nResponded\n"), "{en}");
    assert!(
        en.contains("<desc id=\"figure-responses-svg-desc\">Bar chart of count by kind"),
        "{en}"
    );
    let fr = site.read("fr/figures/responses.svg");
    assert!(fr.contains(&format!("Figure 1{NBSP}: Réponses par type")), "{fr}");
    assert!(fr.contains("\n1234,5\n") && fr.contains("\nOnt répondu\n"), "{fr}");
    assert!(fr.contains("Diagramme en barres : nombre par kind, 2 catégories"), "{fr}");
    assert!(!fr.contains("Responded"), "{fr}");
    roxmltree::Document::parse(&fr).expect("the French SVG is XML");
    let page = site.read("fr/figures/responses/index.html");
    assert!(page.contains("La plupart des entreprises ont répondu."), "{page}");
    assert!(page.contains(&format!("<span>Source{NBSP}:</span> Enquête")), "{page}");
    assert!(
        page.contains("<th scope=\"row\">Ont répondu</th><td class=\"num\">1234,5</td>"),
        "{page}"
    );
    // The caption falls back to the original where no translation is given.
    let ar = site.read("ar/figures/responses/index.html");
    assert!(ar.contains("Most companies responded.") && ar.contains("1234٫5"), "{ar}");
}

#[test]
fn data_downloads_keep_the_original_columns_and_add_the_translations() {
    let site = built();
    assert_eq!(
        site.read("data/responses.csv"),
        "kind,count\r\nResponded,1234.5\r\nDid not respond,10\r\n"
    );
    assert_eq!(
        site.read("fr/data/responses.csv"),
        "kind,count,kind (fr)\r\nResponded,1234.5,Ont répondu\r\nDid not respond,10,N'ont pas répondu\r\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&site.read("fr/data/responses.json")).expect("JSON");
    assert_eq!(json["columns"], serde_json::json!(["kind", "count"]));
    assert_eq!(json["rows"][0]["kind"], "Responded");
    assert_eq!(json["labels"]["count"], "nombre");
    assert_eq!(json["language"], "fr");
    assert_eq!(json["title"], "Réponses par type");
}

#[test]
fn taxonomies_and_feeds_work_per_language() {
    let site = built();
    let term = site.read("fr/issues/labour-rights/index.html");
    assert!(term.contains("<h1>Droits du travail"), "{term}");
    assert!(term.contains("href=\"/brief/fr/cases/factory/\""), "{term}");
    assert!(site.read("issues/labour-rights/index.html").contains("Labour rights"));
    let index = site.read("fr/issues/index.html");
    assert!(index.contains("Droits du travail") && index.contains("Right to privacy"), "{index}");
    let feed = site.read("fr/atom.xml");
    let doc = roxmltree::Document::parse(&feed).expect("the feed is XML");
    assert_eq!(
        doc.root_element().attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("fr")
    );
    assert!(feed.contains("<title>Technologie et droits</title>"));
    assert!(feed.contains("https://example.org/brief/fr/cases/factory/"));
    assert!(!feed.contains("https://example.org/brief/cases/"), "{feed}");
}

#[test]
fn heading_ids_given_in_a_translation_keep_links_working() {
    let site = built();
    let fr = site.read("fr/abuses/index.html");
    assert!(fr.contains("<h2 id=\"labour\">Droits du travail <a class=\"anchor\" href=\"#labour\" aria-label=\"Lien vers cette section\">#</a></h2>"), "{fr}");
    assert!(
        site.read("fr/index.html").contains("<a href=\"/brief/fr/abuses/#labour\">les abus</a>")
    );
}

#[test]
fn a_single_language_site_has_no_switcher_and_no_alternates() {
    let site = TestSite::minimal();
    site.build_ok();
    let page = site.read("index.html");
    assert!(!page.contains("hreflang") && !page.contains("class=\"languages\""), "{page}");
    assert!(!site.read("sitemap.xml").contains("xhtml"));
}

/// Builds and returns the diagnostics (errors and warnings) as `path:line: message` lines.
fn problems(site: &TestSite) -> (i32, String) {
    let (status, _, stderr) = site.cli(&["build"]);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (status, stderr)
}

fn two_languages() -> TestSite {
    TestSite::new()
        .file("book.toml", &format!("{BOOK}\n[languages.fr]\ntitle = \"Essai\"\n"))
        .file("content/index.md", INDEX)
}

#[test]
fn a_translation_of_a_missing_file_is_an_error() {
    let site = two_languages().file("content/gone.fr.md", "+++\ntitle = \"Parti\"\n+++\n");
    let (status, stderr) = problems(&site);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("content/gone.fr.md"), "{stderr}");
    assert!(stderr.contains("this translates content/gone.md, which does not exist"), "{stderr}");
}

#[test]
fn a_language_not_declared_in_book_toml_is_an_error() {
    let site = two_languages().file("content/index.de.md", "+++\n+++\nHallo\n");
    let (status, stderr) = problems(&site);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("content/index.de.md"), "{stderr}");
    assert!(stderr.contains("the language \"de\" in this file's name is not declared"), "{stderr}");
    assert!(stderr.contains("[languages.de]"), "{stderr}");
}

#[test]
fn a_dataset_label_translation_for_no_label_is_an_error_at_its_line() {
    let dataset =
        format!("{}\n[i18n.fr]\nlabels = {{ \"b\" = \"bé\" }}\n", common::fixtures::DATASET);
    let site = two_languages().file("data/d.toml", &dataset);
    let (status, stderr) = problems(&site);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("data/d.toml:17:"), "{stderr}");
    assert!(stderr.contains("\"b\" is neither a column nor a label of this dataset"), "{stderr}");
    assert!(stderr.contains("did you mean"), "{stderr}");
}

#[test]
fn a_dataset_translated_into_an_undeclared_language_is_an_error() {
    let dataset = format!("{}\n[i18n.de]\ntitle = \"D\"\n", common::fixtures::DATASET);
    let site = two_languages().file("data/d.toml", &dataset);
    let (status, stderr) = problems(&site);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("data/d.toml:16:"), "{stderr}");
    assert!(stderr.contains("the language \"de\" is not declared in book.toml"), "{stderr}");
}

#[test]
fn missing_theme_words_are_a_warning_with_the_file_and_the_site_still_builds() {
    let site = two_languages()
        .file(
            "book.toml",
            &format!(
                "{BOOK}\n[languages.fr]\ntitle = \"Essai\"\n\n[languages.sw]\ntitle = \"Jaribio\"\n"
            ),
        )
        .file("i18n/fr.toml", "home = \"Maison\"\n");
    let (status, stderr) = problems(&site);
    assert_eq!(status, 0, "{stderr}");
    // A site's words file is complete with the theme's French words: no warning for it.
    assert!(!stderr.contains("i18n/fr.toml"), "{stderr}");
    // A language the theme has no words for is named at its table in book.toml.
    assert!(stderr.contains("book.toml:10:"), "{stderr}");
    assert!(stderr.contains("the theme has no words for \"sw\""), "{stderr}");
    assert!(site.read("fr/cases/index.html").contains(">Maison</a>"));
    assert!(site.read("sw/index.html").contains("<html lang=\"sw\""));

    let partial = two_languages()
        .file("book.toml", &format!("{BOOK}\n[languages.sw]\ntitle = \"Jaribio\"\n"))
        .file("i18n/sw.toml", "home = \"Nyumbani\"\n");
    let (status, stderr) = problems(&partial);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("i18n/sw.toml:1:"), "{stderr}");
    assert!(stderr.contains("words are missing in sw"), "{stderr}");
}

#[test]
fn a_fallback_page_linking_to_a_renamed_heading_warns_and_still_builds() {
    let site = two_languages()
        .file("content/a.md", "+++\ntitle = \"A\"\n+++\n## Labour\n")
        .file("content/a.fr.md", "+++\ntitle = \"A\"\n+++\n## Travail\n")
        .file("content/b.md", "+++\ntitle = \"B\"\n+++\nSee [labour](@/a.md#labour).\n");
    let (status, stderr) = problems(&site);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("content/b.md:4:"), "{stderr}");
    assert!(stderr.contains("{#labour}"), "{stderr}");
    assert!(site.read("fr/b/index.html").contains("href=\"/fr/a/\""));
    // In the translation itself a broken anchor stays an error.
    let bad = two_languages()
        .file("content/a.md", "+++\ntitle = \"A\"\n+++\n## Labour\n")
        .file("content/a.fr.md", "+++\ntitle = \"A\"\n+++\nVoir [x](@/a.md#nowhere).\n");
    let (status, stderr) = problems(&bad);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("content/a.fr.md:4:"), "{stderr}");
}

#[test]
fn an_undeclared_term_translation_is_an_error_in_book_toml() {
    let book = format!(
        "{BOOK}\n[taxonomies]\nissues = [\"Labour rights\"]\n\n[languages.fr]\nterms = {{ \"Labor rights\" = \"Droits du travail\" }}\n"
    );
    let site = TestSite::new().file("book.toml", &book).file("content/index.md", INDEX);
    let (status, stderr) = problems(&site);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("book.toml:11:"), "{stderr}");
    assert!(
        stderr.contains("translates the term \"Labor rights\", which no taxonomy lists"),
        "{stderr}"
    );
}

#[test]
fn each_language_has_its_own_search_index_with_its_own_text() {
    let site = built();
    let words_in = |prefix: &str| -> String {
        site.files()
            .into_iter()
            .filter(|f| f.starts_with(&format!("{prefix}search/")) && f.ends_with(".json"))
            .map(|f| site.read(&f))
            .collect()
    };
    let (en, fr) = (words_in(""), words_in("fr/"));
    assert!(!en.is_empty() && !fr.is_empty(), "both languages have an index");
    // French text is found in French search, and only there.
    assert!(fr.contains("heures") && fr.contains("ouvriers"), "{fr}");
    assert!(!en.contains("ouvriers"), "{en}");
    assert!(en.contains("overtime"), "{en}");
    // An untranslated page is found in French search by its original words.
    assert!(fr.contains("shared"), "{fr}");
    // The search page speaks the reader's language.
    let page = site.read("fr/search/index.html");
    assert!(page.contains("<html lang=\"fr\"") && page.contains("De A à Z"), "{page}");
}

#[test]
fn a_regional_tag_takes_its_base_languages_words_without_a_warning() {
    let site = TestSite::new()
        .file(
            "book.toml",
            &format!(
                "{BOOK}\n[languages.fr-CA]\ntitle = \"Essai\"\n\n[languages.en-GB]\ntitle = \"Trial\"\n\n\
                 [languages.pt-BR]\ntitle = \"Ensaio\"\n\n[languages.de-AT]\ntitle = \"Versuch\"\n"
            ),
        )
        .file("content/index.md", INDEX)
        // The site's Portuguese words serve pt-BR; its own file adds to them.
        .file(
            "i18n/pt.toml",
            &include_str!("../themes/default/i18n/en.toml")
                .replace("case_studies = \"Case studies\"", "case_studies = \"Estudos de caso\""),
        )
        .file("i18n/fr-CA.toml", "home = \"Accueil du Québec\"\n");
    let (status, stderr) = problems(&site);
    assert_eq!(status, 0, "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
    // Only de-AT, whose base the theme has no words for, warns.
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(warnings[0].contains("the theme has no words for \"de-AT\""), "{stderr}");
    let fr_ca = site.read("fr-CA/cases/index.html");
    assert!(fr_ca.contains("<html lang=\"fr-CA\""), "{fr_ca}");
    assert!(fr_ca.contains(">Accueil du Québec</a>"), "the regional file wins: {fr_ca}");
    assert!(fr_ca.contains("Études de cas"), "French words: {fr_ca}");
    let en_gb = site.read("en-GB/cases/index.html");
    assert!(en_gb.contains("Case studies"), "{en_gb}");
    assert!(site.read("pt-BR/cases/index.html").contains("Estudos de caso"));
}
