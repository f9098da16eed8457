//! Datasets counted from the case studies (issue 18, point 5): the counts
//! agree with counts made here independently from the fixture's front
//! matter, with and without drafts; every grouping, a split, the `total` and
//! `rate` values, the downloads, the French edition; and `serve` redraws a
//! counted figure when a case study's response changes, not after a text edit.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use briefing::cli::BuildArgs;
use briefing::render::SearchPlan;
use briefing::session::Session;
use briefing::site::LoadOptions;
use common::TestSite;

/// The regions of the fixture's book.toml, in order.
const REGIONS: [&str; 4] = ["Africa", "Asia", "Europe", "Latin America"];
const RESPONSES: [&str; 4] = ["responded", "declined", "no-response", "pending"];

/// The front matter of every case study of the fixture, parsed here.
fn case_front_matter() -> Vec<toml::Table> {
    let dir = common::fixture_dir("from_cases").join("content/cases");
    let mut cases = Vec::new();
    for entry in fs::read_dir(dir).expect("cases") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.matches('.').count() > 1 {
            continue; // a translation
        }
        let text = fs::read_to_string(&path).expect("readable");
        let front = text.split("+++").nth(1).expect("front matter");
        cases.push(toml::from_str(front).expect("valid front matter"));
    }
    cases
}

/// Approaches by region and response, counted from `cases` (drafts only
/// when `drafts`), as the CSV download should write them.
fn independent_csv(cases: &[toml::Table], drafts: bool) -> String {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for case in cases {
        if case.get("draft").and_then(|d| d.as_bool()) == Some(true) && !drafts {
            continue;
        }
        let regions = case["regions"].as_array().unwrap();
        for company in case["companies"].as_array().unwrap() {
            let response = company["response"].as_str().unwrap();
            for region in regions {
                let region = REGIONS.iter().find(|r| **r == region.as_str().unwrap()).unwrap();
                let response = RESPONSES.iter().find(|r| **r == response).unwrap();
                *counts.entry((region, response)).or_default() += 1;
            }
        }
    }
    let mut csv = format!("regions,{}\n", RESPONSES.join(","));
    for region in REGIONS {
        let cells: Vec<String> =
            RESPONSES.iter().map(|r| counts.get(&(region, r)).unwrap_or(&0).to_string()).collect();
        csv += &format!("{region},{}\n", cells.join(","));
    }
    csv
}

#[test]
fn counted_rows_match_an_independent_count_with_and_without_drafts() {
    let cases = case_front_matter();
    assert!(
        cases.iter().any(|c| c["regions"].as_array().unwrap().len() == 2),
        "a case in two regions"
    );
    assert!(cases.iter().any(|c| c.get("draft").is_some()), "a draft");
    let site = TestSite::fixture("from_cases");
    site.build_ok();
    let without = site.read("data/by-region.csv").replace("\r\n", "\n");
    assert_eq!(without, independent_csv(&cases, false));
    site.build_ok_with(BuildArgs { drafts: true, ..BuildArgs::default() });
    let with = site.read("data/by-region.csv").replace("\r\n", "\n");
    assert_eq!(with, independent_csv(&cases, true));
    assert_ne!(with, without, "the draft is counted only with drafts");
}

#[test]
fn total_and_rate_are_values_quoted_in_the_text_and_the_french_edition_uses_them() {
    let site = TestSite::fixture("from_cases");
    site.build_ok();
    // 5 approaches: 2 responded, 1 pending; the mine counts in Africa and Asia once.
    let index = site.read("index.html");
    assert!(
        index.contains("We counted 5 approaches; 1 in Asia responded, a rate of 50%."),
        "{index}"
    );
    let fr = site.read("fr/index.html");
    assert!(fr.contains("Nous avons compté 5 sollicitations, un taux de 50\u{a0}%."), "{fr}");
    let figure = site.read("fr/figures/by-region/index.html");
    assert!(figure.contains("Asie") && figure.contains("Réponses des entreprises par région"));
    let json = site.read("data/by-region.json");
    assert!(json.contains("\"regions\": \"Latin America\""), "every term a row:\n{json}");
    assert_eq!(site.read("data/cases-by-year.csv"), "year,cases\r\n2015,1\r\n2016,0\r\n2017,2\r\n");
}

/// The CSV of a dataset counting `count` by `by` (split by `split`), added to the fixture.
fn counted(count: &str, by: &str, split: Option<&str>) -> String {
    let site = TestSite::fixture("from_cases");
    let split = split.map_or(String::new(), |s| format!("split = \"{s}\"\n"));
    site.write(
        "data/x.toml",
        format!("title = \"X\"\nsource = \"S\"\n[from_cases]\ncount = \"{count}\"\nby = \"{by}\"\n{split}"),
    );
    site.build_ok();
    site.read("data/x.csv").replace("\r\n", "\n")
}

#[test]
fn every_grouping_counts_as_the_format_says() {
    for (count, by, split, want) in [
        ("cases", "area", None, "area,cases\nManufacturing,1\nMining,1\nSoftware,1\n"),
        (
            "cases",
            "issues",
            None,
            "issues,cases\nLabour rights,2\nLand rights,1\nRight to privacy,1\n",
        ),
        ("cases", "regions", None, "regions,cases\nAfrica,1\nAsia,2\nEurope,1\nLatin America,0\n"),
        // Companies without hq (Borax) are left out; Acme's hq is given once.
        ("approaches", "hq", None, "hq,approaches\nAsia,1\nEurope,2\nLatin America,1\n"),
        (
            "approaches",
            "response",
            None,
            "response,approaches\nresponded,2\ndeclined,1\nno-response,1\npending,1\n",
        ),
        (
            "cases",
            "response",
            None,
            "response,cases\nresponded,2\ndeclined,1\nno-response,1\npending,1\n",
        ),
        ("approaches", "year", None, "year,approaches\n2015,2\n2016,0\n2017,3\n"),
        (
            "cases",
            "area",
            Some("year"),
            "area,2015,2016,2017\nManufacturing,0,0,1\nMining,1,0,0\nSoftware,0,0,1\n",
        ),
    ] {
        assert_eq!(counted(count, by, split), want, "{count} by {by}, split {split:?}");
    }
}

#[test]
fn serve_redraws_a_counted_figure_when_a_response_changes_and_not_after_a_text_edit() {
    let site = TestSite::fixture("from_cases");
    let mut s = Session::new(site.root().to_path_buf(), LoadOptions::default());
    s.rebuild(SearchPlan::Now).expect("the first build");
    let case = site.root().join("content/cases/data.md");
    let save = |text: String| {
        fs::write(&case, text).expect("writable");
        let later =
            fs::metadata(&case).unwrap().modified().unwrap() + std::time::Duration::from_secs(2);
        fs::File::options().write(true).open(&case).unwrap().set_modified(later).unwrap();
    };
    let text = fs::read_to_string(&case).unwrap();
    save(text.clone() + "\nA sentence the editor adds.\n");
    let r = s.rebuild(SearchPlan::Now).unwrap();
    assert!(r.patched, "a text edit patches the site");
    let rendered: BTreeSet<String> = r.rendered.iter().cloned().collect();
    assert!(!rendered.iter().any(|p| p.contains("figures/")), "no figure: {rendered:?}");
    assert!(!r.changed.iter().any(|p| p.starts_with("data/")), "{:?}", r.changed);

    save(text.replace("response = \"responded\"", "response = \"declined\""));
    let r = s.rebuild(SearchPlan::Now).unwrap();
    let rendered: BTreeSet<String> = r.rendered.iter().cloned().collect();
    for must in ["figures/by-region/index.html", "fr/figures/by-region/index.html", "index.html"] {
        assert!(rendered.contains(must), "{must} is rendered again: {rendered:?}");
    }
    assert!(
        !rendered.contains("figures/cases-by-year/index.html"),
        "the years did not change: {rendered:?}"
    );
    assert!(r.changed.contains(&"figures/by-region.svg".to_string()), "{:?}", r.changed);
    assert!(r.changed.contains(&"data/by-region.csv".to_string()));
    let csv = String::from_utf8(s.files()["data/by-region.csv"].to_vec()).unwrap();
    assert!(csv.contains("Europe,0,1,0,0"), "{csv}");
}
