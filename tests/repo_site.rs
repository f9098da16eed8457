//! The repository is itself a sample site, the largest smoke test: it must
//! build cleanly, with its six case studies and seven figures (the seed's
//! six and one counted from the case studies), and say what the seed says.
//! And what of the repository a registry would get: the program only.

mod common;

use std::path::Path;
use std::process::Command;

use briefing::Failure;
use briefing::cli::BuildArgs;
use common::list_files;

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn repository_site_builds_without_warnings_or_errors() {
    let out = tempfile::tempdir().expect("temp dir");
    let args = BuildArgs {
        root: repo_root().to_path_buf(),
        output: Some(out.path().join("public")),
        ..BuildArgs::default()
    };
    let built = match briefing::build(&args) {
        Ok(built) => built,
        Err(Failure::Site(d)) => panic!("the repository's site has errors:\n{}", d.report()),
        Err(Failure::Env(e)) => panic!("the repository's site did not build: {e:#}"),
    };
    assert!(built.warnings.is_empty(), "warnings:\n{}", built.warnings.report());

    let files = list_files(&out.path().join("public"));
    let pages_under = |dir: &str| {
        files
            .iter()
            .filter(|f| {
                f.strip_prefix(dir)
                    .and_then(|rest| rest.strip_suffix("/index.html"))
                    .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
            })
            .count()
    };
    assert_eq!(pages_under("cases/"), 6, "case studies in {files:?}");
    // The seed's six figures, the response rate against the global average,
    // and one counted from the case studies.
    assert_eq!(pages_under("figures/"), 8, "figures in {files:?}");
}

#[test]
fn repository_site_checks_clean() {
    match briefing::check::check(repo_root(), false) {
        Ok(warnings) => assert!(warnings.is_empty(), "warnings:\n{}", warnings.report()),
        Err(d) => panic!("the repository's site has errors:\n{}", d.report()),
    }
}

fn built_repo() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let args = BuildArgs {
        root: repo_root().to_path_buf(),
        output: Some(out.path().join("public")),
        quiet: true,
        ..BuildArgs::default()
    };
    assert!(briefing::build(&args).is_ok(), "the repository's site builds");
    out
}

#[test]
fn the_print_edition_holds_the_whole_briefing_in_reading_order() {
    let out = built_repo();
    let read = |p: &str| std::fs::read_to_string(out.path().join("public").join(p)).expect(p);
    let print = read("print/index.html");
    // Cover, contents, then every chapter and case study, in reading order.
    let cover = print.find("class=\"print-cover\"").expect("a cover");
    let contents = print.find("class=\"print-contents\"").expect("contents");
    assert!(cover < contents);
    let mut last = contents;
    for id in [
        "p-front",
        "p-what-abuses-were-alleged",
        "p-where-abuse-took-place",
        "p-company-headquarters",
        "p-case-studies",
        "p-modern-slavery",
        "p-initiatives",
        "p-guidance-and-resources",
    ] {
        let at = print.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no section {id}"));
        assert!(at > last, "{id} is out of reading order");
        last = at;
        assert!(
            print.contains(&format!("href=\"#{id}\"")) || id == "p-front",
            "{id} is not in the contents"
        );
    }
    let cases = print.matches("class=\"print-section print-case\"").count();
    assert_eq!(cases, 6, "every case study");
    // Every figure, with its number, drawn inline.
    for n in 1..=8 {
        assert!(
            print.contains(&format!("<span class=\"figure-number\">Figure {n}:</span>")),
            "figure {n}"
        );
    }
    // Each drawn twice, narrow and wide (print shows the wide one).
    assert_eq!(print.matches("<svg ").count(), 16, "eight charts");
    // Sources with their addresses written out.
    assert!(print.contains("class=\"print-sources\""));
    assert!(print.contains(">https://www.business-humanrights.org/"), "addresses written out");
    // Ids are unique in the one document, and links between pages became links inside it.
    let mut ids: Vec<&str> =
        print.split(" id=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate ids in the print edition");
    assert!(
        print.contains("href=\"#p-what-abuses-were-alleged--"),
        "a link to a chapter's heading stays inside"
    );
    let body = &print[contents..print.find("<footer").unwrap_or(print.len())];
    assert!(
        !body.contains("href=\"/what-abuses-were-alleged/"),
        "no link in the edition leaves for a page the edition holds"
    );
    // The French edition has its own.
    let fr = read("fr/print/index.html");
    assert!(fr.contains("Édition imprimable") && fr.contains("<html lang=\"fr\""));
}

/// Issue 18: the repository's briefing says exactly what the seed says.
#[test]
fn issue_18_the_briefing_states_only_what_the_seed_states() {
    let out = built_repo();
    let read = |p: &str| std::fs::read_to_string(out.path().join("public").join(p)).expect(p);
    // The front page's key numbers are the seed's, with the comparison it draws.
    let front = read("index.html");
    for (label, value) in [
        ("ICT companies approached", ">68"),
        ("Approaches to companies", ">88"),
        ("Overall response rate", ">58%"),
    ] {
        let at = front.find(label).unwrap_or_else(|| panic!("{label} on the front page"));
        assert!(front[at..].contains(value), "{label}: {value}");
    }
    assert!(front.contains(">73%</span> the Resource Centre&#39;s average"), "58% against 73%");
    assert!(read("fr/index.html").contains(">58\u{a0}%"), "the French edition, same numbers");
    // The seed gives no date of publication: the colophon and the figures'
    // citations state none.
    assert!(!front.contains("2018-10") && !front.contains("October 2018"), "an invented date");
    assert!(!read("figures/response-rate/index.html").contains("October 2018"));
    // Figure 1: a lower bound, a derived count, and a count the text does not give.
    let issues = read("figures/issues-raised.svg");
    assert!(issues.contains("≥\u{a0}30¹") && issues.contains("13²"), "bound and derived, marked");
    assert!(issues.contains("\nnot stated\n"), "right to privacy is not stated");
    let csv = read("data/issues-raised.csv");
    assert!(csv.starts_with("issue,approaches,approaches (bound),approaches (derived)\r\n"));
    assert!(csv.contains("\r\nRight to privacy,,,\r\n"), "{csv}");
    // Figure 3: three areas without a breakdown are not stated, not bars.
    let areas = read("figures/allegations-by-area.svg");
    assert_eq!(areas.matches("\nnot stated\n").count(), 3, "{areas}");
    assert!(!areas.contains("Not quantified"));
    // Figure 4: zeros that meant "not stated" are empty cells in the download.
    let regions = read("data/regions-by-area.csv");
    assert!(regions.contains("\r\nNew technologies,,,,,,,,\r\n"), "{regions}");
    // Figure 6: one cell per company, 102 in all.
    let msa = read("figures/modern-slavery-act.svg");
    // (The site gives the three categories their colours.)
    let mut cells: Vec<usize> = (1..=7)
        .map(|n| msa.matches(&format!("fill:var(--chart-{n},")).count())
        .filter(|&n| n > 0)
        .collect();
    cells.sort_unstable();
    assert_eq!(cells, [14 + 1, 23 + 1, 65 + 1], "cells and swatches");
    // The response rate against the global average: a reference line at 73%.
    let rate = read("figures/response-rate.svg");
    assert!(rate.contains("\nResource Centre&apos;s global average: 73%\n"), "{rate}");
    assert!(rate.contains("\n58%\n"), "{rate}");
    let rate_fr = read("fr/figures/response-rate.svg");
    assert!(
        rate_fr.contains("Moyenne mondiale du Centre de ressources\u{a0}: 73\u{a0}%"),
        "{rate_fr}"
    );
    // The figure counted from the case studies, in the case studies chapter.
    let chapter = read("case-studies/index.html");
    assert!(chapter.contains("id=\"figure-responses-by-area\""));
    assert!(chapter.contains("Counted from the six case studies on this site"));
    // Dates the seed gives by month are month dates.
    let case = read("cases/drc-minerals/index.html");
    assert!(case.contains("datetime=\"2014-11\">November 2014<"), "a month date");
    assert!(!case.contains("1 November 2014"));
    // No made-up address in the print edition or the citation lines.
    for page in ["print/index.html", "fr/print/index.html", "figures/issues-raised/index.html"] {
        assert!(!read(page).contains("example.org"), "{page}");
    }
}

/// The levels of the headings of `html`, in order.
fn heading_levels(html: &str) -> Vec<u8> {
    html.match_indices("<h")
        .filter_map(|(i, _)| {
            let b = html.as_bytes();
            let level = *b.get(i + 2)?;
            let after = *b.get(i + 3)?;
            ((b'1'..=b'6').contains(&level) && (after == b'>' || after == b' '))
                .then_some(level - b'0')
        })
        .collect()
}

#[test]
fn no_page_of_the_briefing_skips_a_heading_level() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let out = tmp.path().join("public");
    let args =
        BuildArgs { root: root.to_path_buf(), output: Some(out.clone()), ..BuildArgs::default() };
    briefing::build(&args).expect("the repository's site builds");
    let mut skipped = Vec::new();
    for (path, bytes) in common::tree(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("UTF-8");
        let levels = heading_levels(&html);
        // (An embed page is a figure alone, titled by its caption: no heading.)
        assert!(levels.first().is_none_or(|l| *l == 1), "{path}: the first heading is not an h1");
        for pair in levels.windows(2) {
            if pair[1] > pair[0] + 1 {
                skipped.push(format!("{path}: h{} after h{}", pair[1], pair[0]));
            }
        }
    }
    assert!(skipped.is_empty(), "{skipped:#?}");
}

/// What a registry would get (`cargo package --list`, which needs neither
/// the network nor a clean work tree): the program, its built-in theme, its
/// licences and documents. Not the example briefing (content/, data/: the
/// Resource Centre's, not under the code's licence), tests and fixtures,
/// benchmarks and their outputs, fuzzing, build output or screenshots.
#[test]
fn the_package_holds_the_program_its_theme_licences_and_documents_only() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(repo_root())
        .output()
        .expect("run cargo package");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cargo package --list failed:\n{stderr}");
    let listed: Vec<&str> = std::str::from_utf8(&out.stdout).expect("UTF-8").lines().collect();
    let top = [
        ".cargo_vcs_info.json",
        "Cargo.toml",
        "Cargo.toml.orig",
        "Cargo.lock",
        "build.rs",
        "README.md",
        "CHANGELOG.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
    ];
    let belongs = |p: &str| {
        top.contains(&p)
            || (p.starts_with("src/") && p.ends_with(".rs"))
            || p.starts_with("themes/default/")
            || (p.starts_with("docs/") && p.ends_with(".md") && !p[5..].contains('/'))
    };
    let stray: Vec<&&str> = listed.iter().filter(|p| !belongs(p)).collect();
    assert!(stray.is_empty(), "files a registry should not get: {stray:?}");
    for needed in [
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "README.md",
        "CHANGELOG.md",
        "build.rs",
        "src/main.rs",
        "themes/default/static/style.css",
        "themes/default/templates/base.html",
        "themes/default/i18n/en.toml",
    ] {
        assert!(listed.contains(&needed), "{needed} is missing from the package: {listed:?}");
    }
    // Everything the binary embeds (include_str!/include_bytes!) is in it.
    let theme = list_files(&repo_root().join("themes/default"));
    for file in theme {
        assert!(listed.contains(&format!("themes/default/{file}").as_str()), "{file}");
    }
    let size: u64 = listed
        .iter()
        .filter_map(|p| std::fs::metadata(repo_root().join(p)).ok())
        .map(|m| m.len())
        .sum();
    assert!(size < 2_000_000, "{size} bytes before compression");
}
