//! Link checking in every build and in `check`: internal links written in
//! Markdown, raw HTML and templates must land on a page and an id.

mod common;

use common::TestSite;

fn chapter(body: &str) -> TestSite {
    TestSite::minimal()
        .file("content/about.md", &format!("+++\ntitle = \"About\"\n+++\n\n## Methods\n\n{body}\n"))
}

#[test]
fn good_internal_links_pass() {
    let site = chapter(
        "[home](/) [methods](#methods) [about](/about/#methods) [feed](/atom.xml) [out](https://example.org/x)",
    );
    site.build_ok();
}

#[test]
fn broken_markdown_link_is_reported_at_its_line() {
    for (body, col, want) in [
        (
            "Text.\n\nSee [the list](/cases/nowhere/).",
            5,
            "broken link \"/cases/nowhere/\": no such page or file in the site",
        ),
        (
            "Text.\n\nSee [below](#method).",
            5,
            "broken link \"#method\": about/index.html has no element with id \"method\"",
        ),
        (
            "Text.\n\nSee [home](/#nothing).",
            5,
            "broken link \"/#nothing\": index.html has no element with id \"nothing\"",
        ),
        (
            "Text.\n\n![chart](/missing.svg)",
            1,
            "broken link \"/missing.svg\": no such page or file in the site",
        ),
    ] {
        let site = chapter(body);
        let errors = site.build_errors();
        let e = errors
            .iter()
            .find(|d| d.message == want)
            .unwrap_or_else(|| panic!("{want}: {errors:#?}"));
        assert_eq!((e.path.as_str(), e.line, e.col), ("content/about.md", 9, col), "{want}");
        assert!(e.help.as_deref().is_some_and(|h| h.contains("@/")), "{e:#?}");
        let (status, _, stderr) = site.cli(&["check"]);
        assert_eq!(status, 1, "check must fail too: {stderr}");
        assert!(
            stderr.contains(&format!("content/about.md:9:{col}: error: broken link")),
            "{stderr}"
        );
    }
}

#[test]
fn broken_link_in_raw_html_or_a_template_names_the_output_page() {
    let site = chapter("<a href=\"/nope/\">raw</a>");
    let errors = site.build_errors();
    assert!(
        errors
            .iter()
            .any(|d| d.path == "about/index.html (output)" && d.message.contains("\"/nope/\"")),
        "{errors:#?}"
    );

    let site = TestSite::minimal().file("templates/404.html", "{% extends \"base.html\" %}{% block main %}<a href=\"{{ urls.home }}gone/\">x</a>{% endblock main %}");
    let errors = site.build_errors();
    assert!(
        errors.iter().any(|d| d.path == "404.html (output)" && d.message.contains("\"/gone/\"")),
        "{errors:#?}"
    );
}

#[test]
fn a_failed_link_check_writes_nothing() {
    let site = chapter("[x](/nope/)");
    let _ = site.build_errors();
    assert!(!site.out().exists());
}

#[test]
fn links_checked_from_each_page_as_it_streams_match_links_checked_over_the_whole_site() {
    // `build` and `check` keep only each page's links and ids; the check over
    // the whole rendered site in memory (used with --external) must agree.
    let site = chapter(
        "[a](/nowhere/) [b](#nope) [c](/about/#methods) [d](/about/#none) [e](../../x/) \
         [f](https://example.org/) [g](mailto:a@b.c) [h](/about/?q=1#methods) \
         <a href=\"/a&amp;b/\">i</a> <a href=\"//elsewhere.org/\">j</a> [k](/index.html#nothing) \
         <img src=\"/missing.png\" alt=\"\"> [l](/style.css) [m](about/)",
    );
    let mut streamed: Vec<String> =
        site.build_errors().into_iter().map(|d| format!("{d:?}")).collect();
    let mut loaded = briefing::site::load(site.root(), &Default::default()).expect("loads").0;
    let files = briefing::render::render(&mut loaded, &Default::default()).expect("renders");
    let mut held: Vec<String> = briefing::linkcheck::check(&loaded, &files)
        .sorted()
        .into_iter()
        .map(|d| format!("{d:?}"))
        .collect();
    streamed.sort();
    held.sort();
    assert!(streamed.len() >= 6, "{streamed:#?}");
    assert_eq!(streamed, held);
}
