//! Honest numbers (format version 2, issue 18): declared columns, cells not
//! stated, qualified values and `[checks]`, shown by building small sites
//! through the library and reading what they write: the SVG (its texts and
//! its description), the data table under the figure and on the figure
//! page, the CSV and the JSON, in English and in French. Mistakes in these
//! keys are in bad_data.rs; shares that add up are in properties.rs.

mod common;

use common::TestSite;
use common::broken::{builds, warnings};

/// The texts of an SVG, each with whether it is bold.
fn texts(svg: &str) -> Vec<(String, bool)> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"));
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let text: String =
                n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()).collect();
            (text.trim().to_string(), n.attribute("font-weight") == Some("bold"))
        })
        .collect()
}

/// The `<desc>` of an SVG.
fn desc(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"));
    let desc = doc.descendants().find(|n| n.has_tag_name("desc")).expect("a desc");
    desc.text().unwrap_or_default().to_string()
}

/// How many times `needle` occurs in `haystack`.
fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Responses by year, drawn as every kind that can show a value not
/// stated: 2017 states nothing, 2019 only `declined`.
const YEARS: &str = "title = \"Responses by year\"
source = \"Test source\"

[[rows]]
year = \"2016\"
responded = 5
declined = 2

[[rows]]
year = \"2017\"

[[rows]]
year = \"2018\"
responded = 7
declined = 1

[[rows]]
year = \"2019\"
declined = 3

[[figures]]
id = \"y-bar\"
kind = \"bar\"
x = \"year\"
y = [\"responded\"]

[[figures]]
id = \"y-hbar\"
kind = \"hbar\"
x = \"year\"
y = [\"responded\"]

[[figures]]
id = \"y-grouped\"
kind = \"grouped-bar\"
x = \"year\"
y = [\"responded\", \"declined\"]

[[figures]]
id = \"y-stacked\"
kind = \"stacked-bar\"
x = \"year\"
y = [\"responded\", \"declined\"]

[[figures]]
id = \"y-line\"
kind = \"line\"
x = \"year\"
y = [\"responded\"]
";

/// The columns of `YEARS` take the first row's key order.
const YEARS_COLUMNS: [&str; 3] = ["year", "responded", "declined"];

#[test]
fn a_cell_not_stated_is_labelled_and_never_drawn_as_zero_in_bars_and_lines() {
    let site = TestSite::minimal().file("data/years.toml", YEARS);
    site.build_ok();
    // (figure, "not stated" labels in the chart, cells not stated in its table, desc)
    for (id, labels, cells, said) in [
        ("y-bar", 2, 2, "Not stated in the source: 2017; 2019."),
        ("y-hbar", 2, 2, "Not stated in the source: 2017; 2019."),
        (
            "y-grouped",
            3,
            3,
            "Not stated in the source: 2017 (responded); 2019 (responded); 2017 (declined).",
        ),
        // A stack with nothing stated says so; one with a part stated has no
        // total (a partial sum would read as the whole).
        (
            "y-stacked",
            1,
            3,
            "Not stated in the source: 2017 (responded); 2019 (responded); 2017 (declined).",
        ),
        ("y-line", 2, 2, "Not stated in the source: 2017; 2019."),
    ] {
        let svg = site.read(&format!("figures/{id}.svg"));
        let texts = texts(&svg);
        let not_stated = texts.iter().filter(|(t, _)| t == "not stated").count();
        assert_eq!(not_stated, labels, "{id}: \"not stated\" labels in\n{svg}");
        // Axis ticks write 0 in plain type; a value label is bold.
        assert!(!texts.contains(&("0".to_string(), true)), "{id}: a value drawn as 0:\n{svg}");
        assert!(desc(&svg).contains(said), "{id}: {}", desc(&svg));
        let page = site.read(&format!("figures/{id}/index.html"));
        // The table under the figure, on the figure's page.
        let table = page.split("</table>").next().expect("a table");
        let td = "<td class=\"num not-stated\">not stated</td>";
        assert_eq!(count(table, td), cells, "{id}: cells not stated in\n{page}");
    }
    let csv = site.read("data/years.csv");
    assert_eq!(
        csv, "year,responded,declined\r\n2016,5,2\r\n2017,,\r\n2018,7,1\r\n2019,,3\r\n",
        "not stated is an empty cell"
    );
    let json: serde_json::Value = serde_json::from_str(&site.read("data/years.json")).unwrap();
    assert_eq!(json["columns"], serde_json::json!(YEARS_COLUMNS));
    assert_eq!(
        json["rows"][1],
        serde_json::json!({"year": "2017", "responded": null, "declined": null})
    );
    assert_eq!(json["rows"][3]["responded"], serde_json::Value::Null);
    assert_eq!(json["rows"][3]["declined"], 3.0);
}

#[test]
fn declared_columns_set_the_order_of_the_table_and_the_exports() {
    // The first row writes responses before approaches; `columns` says otherwise.
    let site = TestSite::fixture("honest_numbers");
    site.build_ok();
    let csv = site.read("data/regions.csv");
    assert!(csv.starts_with("region,approaches,"), "{csv}");
    insta::assert_snapshot!("regions_csv", csv);
    let json = site.read("data/regions.json");
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["columns"], serde_json::json!(["region", "approaches", "responses"]));
    insta::assert_snapshot!("regions_json", json);
}

#[test]
fn a_qualified_cell_shows_its_bound_and_a_mark_leading_to_its_remark() {
    let site = TestSite::fixture("honest_numbers");
    site.build_ok();
    let svg = site.read("figures/regions.svg");
    let texts = texts(&svg);
    for label in ["≥\u{a0}30¹", "13²", "not stated"] {
        assert!(texts.iter().any(|(t, _)| t == label), "no label {label:?} in\n{svg}");
    }
    assert!(
        desc(&svg).ends_with(
            "Not stated in the source: Europe. Qualified values: Asia: ≥\u{a0}30 (The text says \
             more than a third of 88); Africa: 13 (15% of 88 approaches, rounded)."
        ),
        "{}",
        desc(&svg)
    );
    insta::assert_snapshot!("regions_svg", svg);
    // Under the figure where it is placed, and on its own page.
    for page in ["index.html", "figures/regions/index.html"] {
        let html = site.read(page);
        for want in [
            "<td class=\"num\">≥\u{a0}30<sup><a href=\"#figure-regions-remark-1\" \
             id=\"figure-regions-mark-1\">1</a></sup></td>",
            "<td class=\"num\">13<sup><a href=\"#figure-regions-remark-2\" \
             id=\"figure-regions-mark-2\">2</a></sup></td>",
            "<td class=\"num not-stated\">not stated</td>",
            "<ol class=\"figure-remarks\"><li id=\"figure-regions-remark-1\">The text says \
             more than a third of 88. <a href=\"#figure-regions-mark-1\" aria-label=\"↩ 1\">↩</a>\
             </li><li id=\"figure-regions-remark-2\">15% of 88 approaches, rounded \
             <a href=\"#figure-regions-mark-2\" aria-label=\"↩ 2\">↩</a></li></ol>",
        ] {
            assert!(html.contains(want), "{page}: {want}\n{html}");
        }
    }
    // The CSV keeps the number and adds a column per qualifier used; the
    // JSON cell becomes an object.
    let csv = site.read("data/regions.csv");
    assert_eq!(
        csv.lines().next(),
        Some(
            "region,approaches,approaches (bound),approaches (derived),approaches (note),responses"
        )
    );
    assert!(csv.contains("\r\nAsia,30,at least,,The text says more than a third of 88.,12\r\n"));
    assert!(csv.contains("\r\nAfrica,13,,\"15% of 88 approaches, rounded\",,2\r\n"));
    let json: serde_json::Value = serde_json::from_str(&site.read("data/regions.json")).unwrap();
    assert_eq!(
        json["rows"][0]["approaches"],
        serde_json::json!({"value": 30.0, "bound": "at least", "note": "The text says more than a third of 88."})
    );
    assert_eq!(
        json["rows"][2]["approaches"],
        serde_json::json!({"value": 13.0, "derived": "15% of 88 approaches, rounded"})
    );
    assert_eq!(json["rows"][1]["approaches"], serde_json::Value::Null);
}

#[test]
fn the_french_edition_writes_not_stated_and_bounds_in_french() {
    let site = TestSite::fixture("honest_numbers");
    site.build_ok();
    let svg = site.read("fr/figures/regions.svg");
    let texts = texts(&svg);
    assert!(texts.iter().any(|(t, _)| t == "non indiqué"), "{svg}");
    assert!(!texts.iter().any(|(t, _)| t == "not stated"), "{svg}");
    assert!(texts.iter().any(|(t, _)| t == "≥\u{a0}30¹"), "{svg}");
    let said = desc(&svg);
    // French puts a no-break space before a colon, in the list of qualified values too.
    for want in
        ["Non indiqué dans la source : Europe.", "Valeurs qualifiées : Asia\u{a0}: ≥\u{a0}30 ("]
    {
        assert!(said.contains(want), "{want:?} not in {said:?}");
    }
    for page in ["fr/index.html", "fr/figures/regions/index.html"] {
        let html = site.read(page);
        assert!(html.contains("<td class=\"num not-stated\">non indiqué</td>"), "{page}:\n{html}");
        assert!(html.contains("<ol class=\"figure-remarks\">"), "{page}");
    }
    // The downloads keep the source's words, whatever the edition.
    assert_eq!(site.read("fr/data/regions.csv"), site.read("data/regions.csv"));
}

#[test]
fn a_sum_that_cannot_be_checked_is_a_warning_at_its_line() {
    let site = TestSite::fixture("honest_numbers");
    let built = site.build_ok();
    // `responses` adds up to 18 as it should; `approaches` has Europe not stated.
    let found: Vec<String> = built
        .warnings
        .sorted()
        .iter()
        .map(|d| format!("{}:{}:{}: {} ({:?})", d.path, d.line, d.col, d.message, d.help))
        .collect();
    assert_eq!(
        found,
        ["data/regions.toml:21:9: the sum of \"approaches\" cannot be checked: 1 of its cells \
             is not stated (Some(\"the stated cells add up to 43; the check expects 88\"))"]
    );
    // The same through the binary, which still builds (exit status 0).
    let stderr = builds(&site);
    insta::assert_snapshot!("sum_not_checked_warning", warnings(&site, &stderr));
}

/// FORMAT.md: `{{ value }}` prints a qualified cell with its bound ("at
/// least 30"); a cell not stated says so; text is escaped once.
#[test]
fn a_quoted_cell_says_its_bound_or_that_it_is_not_stated() {
    let site = TestSite::minimal()
        .file(
            "data/d.toml",
            "title = \"D\"\nsource = \"S\"\ncolumns = [\"issue\", \"n\", \"who\"]\n\n\
             [[rows]]\nissue = \"A\"\nn = { value = 30, bound = \"at least\" }\nwho = \"R&D\"\n\n\
             [[rows]]\nissue = \"B\"\n\n\
             [[figures]]\nkind = \"bar\"\nx = \"issue\"\ny = [\"n\"]\n",
        )
        .file(
            "content/index.md",
            "+++\n+++\n\nA: {{ value(data=\"d\", row=\"A\", column=\"n\") }}. \
             B: {{ value(data=\"d\", row=\"B\", column=\"n\") }}. \
             Who: {{ value(data=\"d\", row=\"A\", column=\"who\") }}.\n",
        );
    site.build_ok();
    let page = site.read("index.html");
    assert!(page.contains("A: at least 30. B: not stated. Who: R&amp;D."), "{page}");
}
