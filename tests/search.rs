//! Search: the index a build writes, what queries find in every script and
//! in every form of a word, the JavaScript matcher against the Rust one,
//! excerpts and the links that land on them, the A to Z page and the box on
//! every page. One fixture (tests/fixtures/search/) with case studies in
//! French, Russian, Arabic, Chinese and Japanese, and documents made here in
//! English, French, Spanish, Portuguese, German and Arabic.

mod common;

use std::borrow::Cow;
use std::path::Path;
use std::process::Command;

use briefing::i18n::Words;
use briefing::render::theme::BUILTIN_WORDS_EN;
use briefing::search::text::Terms;
use briefing::search::{self, Doc, Index, Kind, Stemming};
use common::{TestSite, attr_values};

/// The fixture's documents and their index, as the build makes them.
fn with_index(f: impl FnOnce(&[Doc], &Index)) {
    let site = TestSite::fixture("search");
    let (site, _) = briefing::site::load(site.root(), &Default::default())
        .unwrap_or_else(|d| panic!("the fixture has errors:\n{}", d.report()));
    let words = Words::parse(BUILTIN_WORDS_EN).expect("built-in words");
    let docs = search::documents(&site, &words);
    let index = Index::build(&docs);
    f(&docs, &index);
}

/// The titles of what `query` finds, best first.
fn found(docs: &[Doc], index: &Index, query: &str) -> Vec<String> {
    index.query(query).iter().map(|&d| docs[d as usize].title.clone()).collect()
}

#[test]
fn the_index_holds_every_chapter_section_figure_term_company_and_case() {
    with_index(|docs, _| {
        let all: Vec<(Kind, &str, &str)> =
            docs.iter().map(|d| (d.kind, d.title.as_str(), d.path.as_str())).collect();
        for want in [
            (Kind::Chapter, "Front page", ""),
            (Kind::Chapter, "Method", "method/"),
            (Kind::Section, "Why the sector matters", "#why-the-sector-matters"),
            (Kind::Section, "A nested point", "#a-nested-point"),
            (Kind::Section, "Sources and limits", "method/#sources-and-limits"),
            (Kind::Figure, "Approaches by region", "figures/approaches/"),
            (Kind::Area, "Manufacturing", "areas/manufacturing/"),
            (Kind::Issue, "Labour rights", "issues/labour-rights/"),
            (Kind::Region, "Middle East", "regions/middle-east/"),
            (Kind::Company, "Telefónica", "companies/telefonica/"),
            (Kind::Company, "富士康", "companies/fu-shi-kang/"),
            (Kind::Case, "Права человека в Москве", "cases/moscow/"),
            (Kind::Case, "深圳工厂的劳工权利", "cases/shenzhen/"),
        ] {
            assert!(all.contains(&want), "{want:?} is not in the index:\n{all:#?}");
        }
        // In kind order, case studies newest first.
        let kinds: Vec<Kind> = docs.iter().map(|d| d.kind).collect();
        assert!(kinds.is_sorted(), "{kinds:?}");
        let cases: Vec<&str> =
            docs.iter().filter(|d| d.kind == Kind::Case).map(|d| d.path.as_str()).collect();
        assert_eq!(
            cases,
            [
                "cases/cote-divoire/",
                "cases/moscow/",
                "cases/cairo/",
                "cases/shenzhen/",
                "cases/tokyo/"
            ]
        );
    });
}

#[test]
fn queries_find_text_in_every_script_with_case_and_diacritics_folded() {
    with_index(|docs, index| {
        let cote = "Cocoa <b>&</b> phones in Côte d'Ivoire";
        for (query, want) in [
            // Latin, with and without diacritics, in any case, as typed.
            ("Côte d'Ivoire", cote),
            ("cote ivoire", cote),
            ("COTE D’IVOIRE", cote),
            ("san-pedro", cote),
            ("unpai", cote),
            ("telefonica", "Telefónica"),
            // Cyrillic and Arabic, by words (and the start of one).
            ("права", "Права человека в Москве"),
            ("ЗАЩИТА ПЕРСОН", "Права человека в Москве"),
            ("الانسان", "حقوق الإنسان في القاهرة"),
            ("الإنترنت", "حقوق الإنسان في القاهرة"),
            // Chinese and Japanese: any part of the text, one character or more.
            ("劳工", "深圳工厂的劳工权利"),
            ("供应链", "深圳工厂的劳工权利"),
            ("康", "富士康"),
            ("データセンター", "東京のデータセンターと労働者の権利"),
            ("監査", "東京のデータセンターと労働者の権利"),
            ("ﾃﾞｰﾀ", "東京のデータセンターと労働者の権利"),
            // Sections, figures and their data, terms.
            ("traceability cobalt", "A nested point"),
            ("yamoussoukro", "Sources and limits"),
            ("afrique de l'ouest", "Approaches by region"),
            ("figure 1", "Approaches by region"),
            ("middle", "Middle East"),
        ] {
            let titles = found(docs, index, query);
            assert!(
                titles.iter().any(|t| t == want),
                "{query:?} did not find {want:?}: {titles:?}"
            );
        }
        for nothing in ["zebra", "人权报告书", ".,;"] {
            assert!(found(docs, index, nothing).is_empty(), "{nothing:?} found something");
        }
        // A match in the title ranks first: the term page before the case studies.
        assert_eq!(found(docs, index, "labour")[0], "Labour rights");
    });
}

#[test]
fn the_build_writes_the_index_files_with_strings_escaped() {
    let site = TestSite::fixture("search");
    let cairo = "content/cases/cairo.md";
    site.write(cairo, site.source(cairo) + "\nAlpha &lt; beta &amp; gamma.\n");
    site.build_ok();
    let head = site.read("search/index.json");
    for key in ["\"version\":3", "\"docs\":26", "\"shards\":1", "\"chunk\":500", "\"Case study\""] {
        assert!(head.contains(key), "{key} is not in index.json:\n{head}");
    }
    // The shards and title chunks are in a folder named after their content.
    let shard = site.search_file("", "t/0.json");
    assert!(shard.starts_with("search/") && shard.len() == "search/1a2b3c4d/t/0.json".len());
    let titles = site.read(&site.search_file("", "d/0.json"));
    assert!(titles.contains("Cocoa \\u003cb\\u003e\\u0026\\u003c/b\\u003e phones"), "{titles}");
    assert!(!titles.contains('<') && !titles.contains('&'), "{titles}");
    let terms = site.read(&shard);
    for term in ["\"cote\"", "\"ivoire\"", "\"права\"", "\"劳工\"", "\"デー\""] {
        assert!(terms.contains(term), "{term} is not a term:\n{terms}");
    }
    // Words are filed under their stem: "withheld" is its own key, "wages" is "wage".
    assert!(terms.contains("[\"wages\",4]"), "{terms}");
    // The texts of the excerpts: each document's plain text, blocks on lines, escaped.
    let texts = site.read(&site.search_file("", "x/0.json"));
    assert!(texts.starts_with("[0,"), "{texts}");
    assert!(texts.contains("The workers' union in San-Pédro said wages were withheld."), "{texts}");
    assert!(texts.contains("Alpha \\u003c beta \\u0026 gamma."), "{texts}");
    assert!(!texts.contains('<') && !texts.contains('&') && !texts.contains('>'), "{texts}");
    assert!(titles.contains("\"cases/cote-divoire/\",0"), "the row names its text file: {titles}");
    // A value and a reference to a figure are in the text as the page shows them.
    assert!(texts.contains("Europe had 5 approaches, as Figure 1 shows."), "{texts}");
}

#[test]
fn the_search_page_lists_everything_from_a_to_z_with_links_that_resolve() {
    let site = TestSite::fixture("search");
    // The build checks every link, the A to Z list's included.
    site.build_ok();
    let page = site.read("search/index.html");
    let az = &page[common::pos(&page, "<h2 id=\"az-title\"")..];
    let az = &az[..common::pos(az, "</section>")];
    let links = attr_values(az, "href");
    for (title, href) in [
        ("A nested point", "/brief/#a-nested-point"),
        (
            "Cocoa &lt;b&gt;&amp;&lt;/b&gt; phones in Côte d&#39;Ivoire",
            "/brief/cases/cote-divoire/",
        ),
        ("Telefónica", "/brief/companies/telefonica/"),
        ("Права человека в Москве", "/brief/cases/moscow/"),
        ("حقوق الإنسان في القاهرة", "/brief/cases/cairo/"),
        ("東京のデータセンターと労働者の権利", "/brief/cases/tokyo/"),
    ] {
        assert!(az.contains(&format!("<a href=\"{href}\">{title}</a>")), "{title} in:\n{az}");
    }
    assert_eq!(links.iter().filter(|l| !l.starts_with("#az-")).count(), 26, "{links:?}");
    // Letters in order, folded: "Cocoa" and "Côte" under C, Cyrillic after Latin.
    let (a, c, cyrillic) =
        (common::pos(az, ">A</h3>"), common::pos(az, ">C</h3>"), common::pos(az, ">П</h3>"));
    assert!(a < c && c < cyrillic, "{az}");
    // Without JavaScript the box is hidden and the page says why.
    assert!(page.contains("<form class=\"search-form\" role=\"search\""), "{page}");
    assert!(page.contains(" hidden>"), "{page}");
    assert!(page.contains("<noscript>"), "{page}");
}

#[test]
fn every_page_has_a_search_box_that_leads_to_the_search_page() {
    let site = TestSite::fixture("search");
    site.build_ok();
    // (A figure's embed page shows the figure alone, in a frame on another site.)
    let pages: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html") && !f.ends_with("/embed/index.html"))
        .collect();
    assert!(pages.len() > 20, "{pages:?}");
    let script = format!("/brief/{}", site.asset("search.js"));
    for path in pages {
        let html = site.read(&path);
        assert!(
            html.contains("<form class=\"site-search\" role=\"search\" action=\"/brief/search/\" method=\"get\">"),
            "no search box on {path}"
        );
        assert!(html.contains("name=\"q\""), "{path}");
        assert!(html.contains(&format!("data-script=\"{script}\"")), "{path}");
    }
    // search.js is loaded only when the box is used (or on the search page).
    let case = site.read("cases/moscow/index.html");
    assert!(!case.contains(&format!("src=\"{script}\"")), "{case}");
}

#[test]
fn a_case_page_with_its_style_and_script_stays_under_50_kb() {
    let site = TestSite::fixture("search");
    site.build_ok();
    let bytes = site.read("cases/cote-divoire/index.html").len()
        + site.read(&site.asset("style.css")).len()
        + site.read(&site.asset("search.js")).len();
    assert!(bytes < 50_000, "{bytes} bytes");
}

/// Runs search.js as the build ships it (`assets::strip_js`) under node
/// (when installed) on the built index and checks that it finds what
/// `Index::query` finds, in the same order.
#[test]
fn the_javascript_matcher_agrees_with_the_rust_one() {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("node is not installed: the JavaScript matcher was not run");
        return;
    }
    let queries = [
        "workers",
        "worker",
        "withholding",
        "wage",
        "والإنترنت",
        "الحقوق",
        "côte d'ivoire",
        "COTE",
        "co",
        "c",
        "права человека",
        "الانسان",
        "劳工权利",
        "康",
        "ﾃﾞｰﾀｾﾝﾀｰ",
        "labour",
        "rights",
        "approaches figure",
        "nothing here",
    ];
    let site = TestSite::fixture("search");
    site.build_ok();
    let shipped = site.read(&site.asset("search.js"));
    assert!(!shipped.contains("\n  ") && !shipped.contains("/* "), "comments and indentation stay");
    let js = node_queries(
        &site.out().join(site.asset("search.js")),
        &site.out().join("search"),
        &queries,
    );
    with_index(|_, index| {
        for (q, ids) in queries.iter().zip(&js) {
            assert_eq!(&index.query(q), ids, "{q:?}");
        }
    });
    assert!(js.iter().filter(|ids| !ids.is_empty()).count() >= 16, "{js:?}");
    // The shipped excerpts script works with it: "wage" marks "wages".
    let script = format!(
        "const fs = require('fs');
         const core = require({js:?});
         require({excerpts:?})(core);
         const index = new core.Index({dir:?} + '/', (f) => Promise.resolve(JSON.parse(fs.readFileSync(f, 'utf8'))));
         (async () => {{
           const found = await index.query('wage');
           const [doc] = await index.describe(found.head, found.ids);
           const x = core.excerpt(await index.text(found.head, doc), found.toks, found.head.shards);
           console.log(x.parts.map((p) => p.mark ? '[' + p.text + ']' : p.text).join(''));
         }})();",
        js = site.out().join(site.asset("search.js")).display().to_string(),
        excerpts = site.out().join(site.asset("search-excerpts.js")).display().to_string(),
        dir = site.out().join("search").display().to_string(),
    );
    let out = Command::new("node").arg("-e").arg(&script).output().expect("run node");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "The workers' union in San-Pédro said [wages] were withheld."
    );
}

/// What search.js at `js` finds for each of `queries` in the index at `dir`.
fn node_queries(js: &Path, dir: &Path, queries: &[&str]) -> Vec<Vec<u32>> {
    let script = format!(
        "const fs = require('fs');
         const core = require({js:?});
         const index = new core.Index({dir:?} + '/', (f) => Promise.resolve(JSON.parse(fs.readFileSync(f, 'utf8'))));
         (async () => {{
           const out = [];
           for (const q of {queries}) out.push((await index.query(q)).ids);
           console.log(JSON.stringify(out));
         }})();",
        js = js.display().to_string(),
        dir = dir.display().to_string(),
        queries = serde_json::to_string(&queries).expect("queries as JSON"),
    );
    let out = Command::new("node").arg("-e").arg(&script).output().expect("run node");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("node's answer")
}

/// Documents in six languages, each (language, title, text), one per
/// language and word form.
const FORMS: [(&str, &str, &str); 9] = [
    ("en", "Responses", "The company responded to the allegations in 2017."),
    ("en", "Suppliers", "Several companies supply the factory."),
    ("fr", "Ouvriers", "Le travailleur a perdu son emploi."),
    ("es", "Obreros", "El trabajador denunció a la empresa."),
    ("pt", "Operários", "O trabalhador foi demitido pela empresa."),
    ("de", "Arbeit", "Der Arbeiter verlor seine Stelle."),
    ("ar", "حقوق العمال", "انتهاك حقوق العمال في المصنع."),
    ("ar", "الإنترنت", "قطع الإنترنت أثناء الاحتجاجات."),
    ("ja", "労働", "労働者の権利。"),
];

/// The documents of `FORMS`, as `search::documents` makes them.
fn form_docs() -> Vec<Doc<'static>> {
    FORMS
        .iter()
        .map(|&(lang, title, text)| {
            let mut terms = Terms::default();
            terms.add_text(title);
            terms.add_text(text);
            Doc {
                kind: Kind::Case,
                title: title.to_string(),
                path: format!("cases/{}/", title.len()),
                parent: None,
                terms: vec![Cow::Owned(terms.into_string())],
                text: vec![Cow::Borrowed(text)],
                stemming: Stemming::of_language(lang),
            }
        })
        .collect()
}

/// Each query of a word form no document has, with the title it must find.
const FORM_QUERIES: [(&str, &str); 14] = [
    ("responding", "Responses"),
    ("responds", "Responses"),
    ("company", "Responses"),
    ("companies", "Responses"),
    ("supplies", "Suppliers"),
    ("travailleurs", "Ouvriers"),
    ("trabajadores", "Obreros"),
    ("trabalhadores", "Operários"),
    ("Arbeitern", "Arbeit"),
    ("والحقوق", "حقوق العمال"),
    ("الحقوق", "حقوق العمال"),
    ("بالإنترنت", "الإنترنت"),
    ("انترنت", "الإنترنت"),
    ("労働者", "労働"),
];

#[test]
fn word_forms_are_found_in_each_language_with_a_stemmer() {
    let docs = form_docs();
    let index = Index::build(&docs);
    for (query, want) in FORM_QUERIES {
        let titles = found(&docs, &index, query);
        assert!(titles.iter().any(|t| t == want), "{query:?} did not find {want:?}: {titles:?}");
    }
    // While typing, a word's start still finds it; a different word does not.
    assert_eq!(found(&docs, &index, "resp"), ["Responses"]);
    assert!(found(&docs, &index, "responsibility").is_empty());
    assert!(found(&docs, &index, "travailler company").is_empty());
}

/// search.js finds the same word forms in the same order, shows them in
/// its excerpts with the words found marked, and links to them with a
/// text fragment.
#[test]
fn search_js_finds_the_same_word_forms_and_marks_them_in_excerpts() {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("node is not installed: the JavaScript matcher was not run");
        return;
    }
    let docs = form_docs();
    let words = Words::parse(BUILTIN_WORDS_EN).expect("built-in words");
    let dir = tempfile::tempdir().expect("a temporary folder");
    for f in search::files(&docs, "", &words) {
        let path = dir.path().join(&f.path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("make the folder");
        std::fs::write(path, &f.bytes).expect("write the index");
    }
    let js = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let mut queries: Vec<&str> = FORM_QUERIES.iter().map(|(q, _)| *q).collect();
    queries.extend(["resp", "travailler company", "حقوق", "2017"]);
    let ids = node_queries(&js, &dir.path().join("search"), &queries);
    let index = Index::build(&docs);
    for (q, ids) in queries.iter().zip(&ids) {
        assert_eq!(&index.query(q), ids, "{q:?}");
    }
    let script = format!(
        "const fs = require('fs');
         const core = require({js:?});
         require({excerpts:?})(core);
         const index = new core.Index({dir:?} + '/', (f) => Promise.resolve(JSON.parse(fs.readFileSync(f, 'utf8'))));
         (async () => {{
           const out = [];
           for (const q of {queries}) {{
             const found = await index.query(q);
             const [doc] = await index.describe(found.head, found.ids.slice(0, 1));
             const x = core.excerpt(await index.text(found.head, doc), found.toks, found.head.shards);
             out.push([x.parts.map((p) => p.mark ? '[' + p.text + ']' : p.text).join(''), core.landing(doc.path, x.fragment)]);
           }}
           console.log(JSON.stringify(out));
         }})();",
        js = js.display().to_string(),
        excerpts = js.with_file_name("search-excerpts.js").display().to_string(),
        dir = dir.path().join("search").display().to_string(),
        queries = serde_json::to_string(&["responding", "travailleurs", "والحقوق", "労働者", "company 2017"])
            .expect("queries as JSON"),
    );
    let out = Command::new("node").arg("-e").arg(&script).output().expect("run node");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown: Vec<(String, String)> = serde_json::from_slice(&out.stdout).expect("node's answer");
    let want = [
        (
            "The company [responded] to the allegations in 2017.",
            "cases/9/#:~:text=responded%20to%20the%20allegations%20in%202017",
        ),
        (
            "Le [travailleur] a perdu son emploi.",
            "cases/8/#:~:text=Le%20travailleur%20a%20perdu%20son%20emploi",
        ),
        (
            "انتهاك [حقوق] العمال في المصنع.",
            "cases/21/#:~:text=%D8%A7%D9%86%D8%AA%D9%87%D8%A7%D9%83%20%D8%AD%D9%82%D9%88%D9%82%20%D8%A7%D9%84%D8%B9%D9%85%D8%A7%D9%84%20%D9%81%D9%8A%20%D8%A7%D9%84%D9%85%D8%B5%D9%86%D8%B9",
        ),
        (
            "[労働者]の権利。",
            "cases/6/#:~:text=%E5%8A%B4%E5%83%8D%E8%80%85%E3%81%AE%E6%A8%A9%E5%88%A9",
        ),
        (
            "The [company] responded to the allegations in [2017].",
            "cases/9/#:~:text=company%20responded%20to%20the%20allegations%20in",
        ),
    ];
    for ((text, link), (want_text, want_link)) in shown.iter().zip(want) {
        assert_eq!((text.as_str(), link.as_str()), (want_text, want_link));
    }
}

/// A changed index is written to a new folder and the old one goes with the
/// build; a reader whose page read index.json before that build (and so
/// names the old folder) reads it again and finds what the new build holds.
#[test]
fn a_changed_index_moves_to_a_new_folder_that_search_js_follows() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;

    let site = TestSite::fixture("search");
    site.build_ok();
    let old = site.search_file("", "");
    let moscow = "content/cases/moscow.md";
    site.write(moscow, site.source(moscow) + "\nZanzibarword.\n");
    // The node process reads the first index before the second build.
    let node = (Command::new("node").arg("--version").output().is_ok()).then(|| {
        let script = format!(
            "const fs = require('fs'), readline = require('readline');
             const core = require({js:?});
             const index = new core.Index({dir:?} + '/', (f) => Promise.resolve().then(() => JSON.parse(fs.readFileSync(f, 'utf8'))));
             (async () => {{
               console.log((await index.file('index.json')).files);
               for await (const _ of readline.createInterface({{ input: process.stdin }})) {{
                 console.log(JSON.stringify((await index.query('zanzibarword')).ids));
                 break;
               }}
             }})();",
            js = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/search.js"),
            dir = site.out().join("search").display().to_string(),
        );
        let mut child = Command::new("node")
            .arg("-e")
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("run node");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let first = lines.next().expect("a line").expect("node's answer");
        assert_eq!(format!("search/{first}"), old, "node read the first index.json");
        (child, lines)
    });
    site.build_ok();
    let new = site.search_file("", "");
    assert_ne!(new, old);
    let files = site.files();
    assert!(!files.iter().any(|f| f.starts_with(&old)), "the old folder is removed: {files:?}");
    assert!(files.iter().any(|f| f.starts_with(&new)), "{files:?}");
    let Some((mut child, mut lines)) = node else {
        eprintln!("node is not installed: search.js was not run");
        return;
    };
    writeln!(child.stdin.take().expect("stdin")).expect("tell node");
    let second = lines.next().expect("a line").expect("node's answer");
    assert!(child.wait().expect("node ends").success());
    let ids: Vec<u32> = serde_json::from_str(&second).expect("ids");
    assert_eq!(ids.len(), 1, "found in the new build: {second}");
}
