//! The front page's key numbers (issue 18, point 6): `[[highlights]]` in
//! index.md show the editor's numbers (with a comparison), in the page
//! language's way of writing numbers, and a translation inherits them;
//! without highlights the computed numbers say where they are counted from.

mod common;

use common::TestSite;

const HIGHLIGHTS: &str = "+++
[[highlights]]
label = \"Approaches <counted>\"
value = \"by-region.total\"
[[highlights]]
label = \"Response rate\"
value = \"by-region.rate\"
format = \"percent\"
compare = \"benchmark.average\"
compare_label = \"average across all sectors\"
+++

Text.
";

const BENCHMARK: &str = "title = \"Benchmark\"\nsource = \"A survey\"\n[values]\naverage = 0.734\n";

#[test]
fn highlights_show_the_editors_numbers_with_their_comparison_in_every_language() {
    let site = TestSite::fixture("from_cases")
        .file("content/index.md", HIGHLIGHTS)
        .file("data/benchmark.toml", BENCHMARK);
    site.build_ok();
    let index = site.read("index.html");
    assert!(index.contains("<dt>Approaches &lt;counted&gt;</dt><dd>5</dd>"), "escaped: {index}");
    assert!(index.contains("<dt>Response rate</dt><dd>50%"));
    assert!(index.contains("<span class=\"compare-value\">73%</span> average across all sectors"));
    assert!(!index.contains("Counted from the"), "the editor's numbers replace the computed ones");
    // index.fr.md gives no highlights: it inherits them, numbers written in French.
    let fr = site.read("fr/index.html");
    assert!(fr.contains("<dd>50\u{a0}%"), "{fr}");
    assert!(fr.contains("73\u{a0}%</span> average across all sectors"));

    site.write(
        "content/index.fr.md",
        "+++\n[[highlights]]\nlabel = \"Taux de réponse\"\nvalue = \"by-region.rate\"\nformat = \"percent\"\n+++\n\nTexte.\n",
    );
    site.build_ok();
    let fr = site.read("fr/index.html");
    assert!(fr.contains("<dt>Taux de réponse</dt><dd>50\u{a0}%</dd>"), "{fr}");
    assert!(!fr.contains("Response rate"), "a translation's own highlights replace them");
}

#[test]
fn without_highlights_the_computed_numbers_say_what_they_are_counted_from() {
    let site = TestSite::fixture("from_cases");
    site.build_ok();
    let index = site.read("index.html");
    assert!(index.contains("Counted from the 3 case studies on this site."), "{index}");
    assert!(
        site.read("fr/index.html").contains("Comptés à partir des 3 études de cas de ce site.")
    );
}
