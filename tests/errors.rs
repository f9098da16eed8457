//! Authors' mistakes: one test per kind of error the format names. Each site
//! is built through the library (it must fail with `Failure::Site`, at the
//! position the test names, with a help line) and through the binary (exit
//! status 1, no panic, the library's report on stderr); the report is a
//! snapshot (tests/snapshots/errors__*.snap). The broken file is written
//! inline, so its lines can be counted next to the assertion.

mod common;

use briefing::Failure;
use briefing::diag::{Diagnostic, Severity};
use common::TestSite;
use common::broken::Reports;
use common::fixtures::{BOOK, BOOK_WITH_TERMS, CASE, DATASET};

/// Builds `site` through the library and the binary, expects it to fail with
/// site errors, and returns the library's diagnostics (sorted) and the
/// binary's stderr, which must be the library's report and one line more.
fn failing(site: &TestSite) -> (Vec<Diagnostic>, String) {
    let (diags, report) = match site.build() {
        Ok(_) => panic!("the build succeeded, but errors were expected"),
        Err(Failure::Site(d)) => (d.sorted(), d.report()),
        Err(Failure::Env(e)) => panic!("expected site errors, got an environment error: {e:#}"),
    };
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 1, "exit status of a site with errors:\n{stderr}");
    assert!(!site.out().exists(), "a failed build wrote its output folder");
    assert_eq!(
        stderr,
        format!("{report}the build failed; nothing was written\n"),
        "the binary prints the library's report"
    );
    (diags, stderr)
}

/// Expects an error at `path:line:col` whose message contains `message`, with
/// a help line, from both the library and the binary; returns it and the
/// binary's stderr, for a snapshot. `line` 0 means the error is about the
/// whole file.
#[track_caller]
fn expect_error(
    site: &TestSite,
    path: &str,
    line: usize,
    col: usize,
    message: &str,
) -> (Diagnostic, String) {
    let (diags, stderr) = failing(site);
    let found = diags
        .iter()
        .find(|d| d.path == path && d.message.contains(message))
        .unwrap_or_else(|| panic!("no error {message:?} in {path}; got {diags:#?}"));
    assert_eq!(found.severity, Severity::Error, "{found:#?}");
    assert_eq!((found.line, found.col), (line, col), "position of {found:#?}");
    let help = found.help.as_deref().unwrap_or_else(|| panic!("no help line: {found:#?}"));
    assert!(!help.trim().is_empty(), "{found:#?}");
    (found.clone(), stderr)
}

#[test]
fn toml_syntax_error_in_book_toml_is_reported_with_position() {
    let site = TestSite::minimal().file(
        "book.toml",
        "[book]\ntitle = \"Test briefing\n\n[site]\nbase_url = \"https://example.org/\"\n",
    );
    let (_, report) = expect_error(&site, "book.toml", 2, 23, "");
    insta::assert_snapshot!(report);
}

#[test]
fn toml_syntax_error_in_front_matter_is_reported_at_its_line_in_the_file() {
    let site = TestSite::minimal().file("content/a.md", "+++\ntitle = \"A\"\nweight = = 3\n+++\n");
    let (d, report) = expect_error(&site, "content/a.md", 3, 10, "");
    assert_eq!(d.source_line.as_deref(), Some("weight = = 3"));
    insta::assert_snapshot!(report);
}

#[test]
fn toml_syntax_error_in_dataset_is_reported_with_position() {
    let site = TestSite::minimal().file("data/d.toml", "title = \"D\"\nsource = \n");
    let (_, report) = expect_error(&site, "data/d.toml", 2, 10, "");
    insta::assert_snapshot!(report);
}

#[test]
fn unknown_keys_in_book_toml_are_reported_with_position() {
    let site_table = "[site]\nbase_url = \"https://example.org/\"\n";
    let book_table = "[book]\ntitle = \"Test briefing\"\n";
    let mut reports = Reports::new();
    for (book, line, col, key) in [
        (format!("{site_table}{book_table}titel = \"x\"\n"), 5, 1, "titel"),
        (format!("{book_table}{site_table}ouput_dir = \"out\"\n"), 5, 1, "ouput_dir"),
        (format!("{book_table}{site_table}[build]\ndraft = true\n"), 6, 1, "draft"),
        (format!("{book_table}{site_table}[bulid]\ndrafts = true\n"), 5, 2, "bulid"),
    ] {
        let site = TestSite::minimal().file("book.toml", &book);
        let (d, report) = expect_error(&site, "book.toml", line, col, &format!("`{key}`"));
        assert!(d.message.contains("unknown"), "{d:#?}");
        reports.add(key, &report);
    }
    insta::assert_snapshot!(reports.text());
}

#[test]
fn unknown_key_in_front_matter_is_reported_with_position() {
    let site = TestSite::minimal().file("content/a.md", "+++\ntitle = \"A\"\nwieght = 3\n+++\n");
    let (d, report) = expect_error(&site, "content/a.md", 3, 1, "unknown key `wieght`");
    assert_eq!(d.source_line.as_deref(), Some("wieght = 3"));
    insta::assert_snapshot!(report);
}

#[test]
fn missing_book_title_is_reported() {
    let site = TestSite::minimal().file(
        "book.toml",
        "[book]\nsubtitle = \"x\"\n\n[site]\nbase_url = \"https://example.org/\"\n",
    );
    let (_, report) = expect_error(&site, "book.toml", 1, 1, "`title`");
    insta::assert_snapshot!(report);
}

#[test]
fn missing_base_url_is_reported() {
    let site = TestSite::minimal()
        .file("book.toml", "[book]\ntitle = \"Test briefing\"\n\n[site]\noutput_dir = \"out\"\n");
    let (_, report) = expect_error(&site, "book.toml", 4, 1, "`base_url`");
    insta::assert_snapshot!(report);
}

#[test]
fn missing_case_study_keys_are_reported() {
    let mut reports = Reports::new();
    for key in ["date", "summary", "area"] {
        let case: String = CASE
            .lines()
            .filter(|l| !l.starts_with(&format!("{key} =")))
            .map(|l| format!("{l}\n"))
            .collect();
        let site = TestSite::minimal().file("content/cases/c.md", &case);
        let (d, report) = expect_error(&site, "content/cases/c.md", 1, 1, &format!("`{key}`"));
        assert!(d.help.as_deref().is_some_and(|h| h.contains(key)), "{d:#?}");
        reports.add(key, &report);
    }
    insta::assert_snapshot!(reports.text());
}

#[test]
fn missing_company_keys_are_reported() {
    let mut reports = Reports::new();
    for (key, line) in [("name", "name = \"Acme\""), ("response", "response = \"responded\"")] {
        let site =
            TestSite::minimal().file("content/cases/c.md", &CASE.replace(&format!("{line}\n"), ""));
        // The [[companies]] table that lacks the key is on line 9.
        let (_, report) = expect_error(&site, "content/cases/c.md", 9, 1, &format!("`{key}`"));
        reports.add(key, &report);
    }
    insta::assert_snapshot!(reports.text());
}

#[test]
fn missing_dataset_keys_are_reported() {
    let mut reports = Reports::new();
    for key in ["title", "source"] {
        let dataset: String = DATASET
            .lines()
            .filter(|l| !l.starts_with(&format!("{key} =")))
            .map(|l| format!("{l}\n"))
            .collect();
        let site = TestSite::minimal().file("data/d.toml", &dataset);
        let (_, report) = expect_error(&site, "data/d.toml", 1, 1, &format!("`{key}`"));
        reports.add(key, &report);
    }
    insta::assert_snapshot!(reports.text());
}

#[test]
fn wrong_types_are_reported_with_position() {
    let mut reports = Reports::new();
    for (path, text, line, col, message) in [
        ("book.toml", format!("{BOOK}\n[build]\ndrafts = \"yes\"\n"), 8, 10, "invalid type"),
        (
            "content/a.md",
            "+++\ntitle = \"A\"\nweight = \"ten\"\n+++\n".to_string(),
            3,
            10,
            "invalid type",
        ),
        (
            "content/cases/c.md",
            CASE.replace("issues = [\"Labour rights\"]", "issues = \"Labour rights\""),
            6,
            10,
            "invalid type",
        ),
        (
            "content/cases/c.md",
            CASE.replace("date = 2018-01-01", "date = \"2018-01-01\""),
            3,
            8,
            "is written as text",
        ),
        ("data/d.toml", DATASET.replace("title = \"D\"", "title = 3"), 1, 9, "invalid type"),
        ("data/d.toml", DATASET.replace("rate = 0.58", "rate = \"high\""), 5, 8, "not a number"),
    ] {
        let site = TestSite::minimal().file(path, &text);
        let (_, report) = expect_error(&site, path, line, col, message);
        reports.add(format!("{path}:{line}:{col}"), &report);
    }
    insta::assert_snapshot!(reports.text());
}

#[test]
fn term_outside_a_closed_vocabulary_is_reported_with_did_you_mean() {
    let mut reports = Reports::new();
    for (from, to, line, col, want) in [
        ("area = \"Mining\"", "area = \"Minning\"", 5, 8, "Mining"),
        ("issues = [\"Labour rights\"]", "issues = [\"Labor rights\"]", 6, 11, "Labour rights"),
        ("regions = [\"Africa\"]", "regions = [\"Afrika\"]", 7, 12, "Africa"),
    ] {
        let site = TestSite::minimal()
            .file("book.toml", BOOK_WITH_TERMS)
            .file("content/cases/c.md", &CASE.replace(from, to));
        let wrong = &to[to.find('"').expect("quoted") + 1..to.rfind('"').expect("quoted")];
        let (d, report) =
            expect_error(&site, "content/cases/c.md", line, col, &format!("{wrong:?}"));
        let help = d.help.unwrap_or_default();
        assert!(help.contains(&format!("did you mean {want:?}")), "{help}");
        reports.add(to, &report);
    }
    insta::assert_snapshot!(reports.text());
}

#[test]
fn the_caret_lines_up_under_cjk_and_emoji() {
    // Terms in Chinese, and an emoji before the mistake: the column counts
    // characters, the caret terminal columns (two for each of these).
    let book = BOOK_WITH_TERMS.replace("\"Labour rights\"", "\"劳工权利\"");
    let site = TestSite::minimal().file("book.toml", &book).file(
        "content/cases/c.md",
        &CASE.replace("issues = [\"Labour rights\"]", "issues = [\"劳工权利\", \"🙂隐私\"]"),
    );
    let (_, report) = expect_error(&site, "content/cases/c.md", 6, 19, "\"🙂隐私\"");
    assert!(
        report.contains(
            "6 | issues = [\"劳工权利\", \"🙂隐私\"]\n  |                       ^^^^^^^^\n"
        ),
        "{report}"
    );
    insta::assert_snapshot!(report);
}

#[test]
fn unknown_response_is_reported_with_did_you_mean() {
    let site = TestSite::minimal().file(
        "content/cases/c.md",
        &CASE.replace("response = \"responded\"", "response = \"respond\""),
    );
    let (d, report) =
        expect_error(&site, "content/cases/c.md", 11, 12, "unknown response \"respond\"");
    assert!(d.help.unwrap_or_default().contains("did you mean \"responded\""));
    insta::assert_snapshot!(report);
}

#[test]
fn unknown_shortcode_is_reported_with_position() {
    let site = TestSite::minimal()
        .file("data/d.toml", DATASET)
        .file("content/a.md", "+++\ntitle = \"A\"\n+++\n\nText {{ figur(id=\"d\") }} here.\n");
    let (d, report) = expect_error(&site, "content/a.md", 5, 6, "unknown shortcode \"figur\"");
    assert!(d.help.unwrap_or_default().contains("did you mean `figure`"));
    insta::assert_snapshot!(report);
}

#[test]
fn unknown_figure_id_is_reported_with_position() {
    let mut reports = Reports::new();
    for (code, col) in [("{{ figure(id=\"nope\") }}", 1), ("See {{ figref(id=\"nope\") }}.", 5)] {
        let site = TestSite::minimal()
            .file("data/d.toml", DATASET)
            .file("content/a.md", &format!("+++\ntitle = \"A\"\n+++\n\n{code}\n"));
        let (d, report) = expect_error(&site, "content/a.md", 5, col, "unknown figure id \"nope\"");
        assert!(d.help.unwrap_or_default().contains("\"d\""), "the help lists the figure ids");
        reports.add(code, &report);
    }
    insta::assert_snapshot!(reports.text());
}

#[test]
fn unknown_dataset_in_value_is_reported_with_position() {
    let site = TestSite::minimal().file("data/d.toml", DATASET).file(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n\nRate: {{ value(data=\"e\", key=\"rate\") }}.\n",
    );
    let (_, report) = expect_error(&site, "content/a.md", 5, 7, "unknown dataset \"e\"");
    insta::assert_snapshot!(report);
}

#[test]
fn unknown_value_key_is_reported_with_position() {
    let site = TestSite::minimal().file("data/d.toml", DATASET).file(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n\nRate: {{ value(data=\"d\", key=\"rat\") }}.\n",
    );
    let (d, report) = expect_error(&site, "content/a.md", 5, 7, "\"rat\"");
    assert!(d.help.unwrap_or_default().contains("did you mean \"rate\""));
    insta::assert_snapshot!(report);
}

#[test]
fn link_to_a_missing_file_is_reported_with_position() {
    let site = TestSite::minimal()
        .file("content/a.md", "+++\ntitle = \"A\"\n+++\n\nSee [the case](@/cases/missing.md).\n");
    let (_, report) = expect_error(&site, "content/a.md", 5, 5, "@/cases/missing.md");
    insta::assert_snapshot!(report);
}

#[test]
fn link_to_a_missing_anchor_is_reported_with_position() {
    let site = TestSite::minimal()
        .file("content/index.md", "+++\n+++\n\n## Known heading\n")
        .file("content/a.md", "+++\ntitle = \"A\"\n+++\n\nSee [it](@/index.md#known-headin).\n");
    let (d, report) = expect_error(&site, "content/a.md", 5, 5, "@/index.md#known-headin");
    assert!(d.help.unwrap_or_default().contains("did you mean \"known-heading\""));
    insta::assert_snapshot!(report);
}

#[test]
fn duplicate_slugs_are_reported_at_the_second_slug() {
    let site = TestSite::minimal()
        .file("content/a.md", "+++\ntitle = \"A\"\nslug = \"same\"\n+++\n")
        .file("content/b.md", "+++\ntitle = \"B\"\nweight = 1\nslug = \"same\"\n+++\n");
    let (d, report) = expect_error(&site, "content/b.md", 4, 8, "content/a.md");
    assert!(d.message.contains("same"), "{d:#?}");
    insta::assert_snapshot!(report);
}

#[test]
fn duplicate_figure_ids_are_reported_with_position() {
    let dataset = DATASET.replace("[[figures]]\n", "[[figures]]\nid = \"same\"\n");
    let site = TestSite::minimal().file("data/a.toml", &dataset).file("data/b.toml", &dataset);
    // The second dataset's [[figures]] table, on line 11.
    let (_, report) = expect_error(
        &site,
        "data/b.toml",
        11,
        1,
        "figure id \"same\" is already used in data/a.toml",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn invalid_slug_is_reported_with_a_suggestion() {
    let site = TestSite::minimal()
        .file("content/a.md", "+++\ntitle = \"A\"\nslug = \"Not A Slug\"\n+++\n");
    let (d, report) = expect_error(&site, "content/a.md", 3, 8, "\"Not A Slug\"");
    assert!(d.help.unwrap_or_default().contains("\"not-a-slug\""));
    insta::assert_snapshot!(report);
}

#[test]
fn missing_front_page_is_reported() {
    let site =
        TestSite::new().file("book.toml", BOOK).file("content/a.md", "+++\ntitle = \"A\"\n+++\n");
    let (d, report) = expect_error(&site, "content/index.md", 0, 0, "front page");
    assert!(d.help.unwrap_or_default().contains("content/index.md"));
    insta::assert_snapshot!(report);
}

/// The broken site of the two tests below: six errors in four files.
fn several_errors() -> TestSite {
    TestSite::minimal()
        .file("book.toml", BOOK_WITH_TERMS)
        .file(
            "data/d.toml",
            &DATASET.replace("source = \"S\"\n", "").replace("rate = 0.58", "rate = \"high\""),
        )
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\n\n{{ figur(id=\"d\") }}\n\n{{ figure(id=\"nope\") }}\n",
        )
        .file("content/b.md", "+++\ntitle = \"B\"\nwieght = 1\n+++\n")
        .file("content/cases/c.md", &CASE.replace("Labour rights", "Labor rights"))
}

#[test]
fn errors_in_several_files_are_all_reported_sorted_by_path_and_line() {
    let site = several_errors();
    let (diags, stderr) = failing(&site);
    let places: Vec<(&str, usize)> = diags.iter().map(|d| (d.path.as_str(), d.line)).collect();
    assert_eq!(
        places,
        [
            ("content/a.md", 5),
            ("content/a.md", 7),
            ("content/b.md", 3),
            ("content/cases/c.md", 6),
            ("data/d.toml", 1),
            ("data/d.toml", 4),
        ],
        "{diags:#?}"
    );
    // The binary prints them in the same order, then a count.
    let headers: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
    let want: Vec<String> = diags
        .iter()
        .map(|d| format!("{}:{}:{}: error: {}", d.path, d.line, d.col, d.message))
        .collect();
    assert_eq!(headers, want, "{stderr}");
    insta::assert_snapshot!(stderr);
}

#[test]
fn error_report_names_position_shows_the_source_line_and_help() {
    let site = several_errors();
    let (status, _, stderr) = site.cli(&["check"]);
    assert_eq!(status, 1);
    insta::assert_snapshot!("several_errors_report", stderr);
}

#[test]
fn errors_in_files_with_crlf_line_ends_are_placed_right() {
    let site = TestSite::minimal().file(
        "content/a.md",
        "+++\r\ntitle = \"A\"\r\nwieght = 3\r\n+++\r\n\r\nSee {{ figref(id=\"nope\") }}.\r\n",
    );
    let (d, report) = expect_error(&site, "content/a.md", 3, 1, "`wieght`");
    assert_eq!(
        d.source_line.as_deref(),
        Some("wieght = 3"),
        "no carriage return in the source line"
    );
    insta::assert_snapshot!(report);
}

#[test]
fn error_positions_ignore_a_byte_order_mark() {
    let site = TestSite::minimal().file("data/d.toml", "\u{feff}title = 3\r\nsource = \"S\"\r\n");
    let (d, report) = expect_error(&site, "data/d.toml", 1, 9, "invalid type");
    assert_eq!(d.source_line.as_deref(), Some("title = 3"));
    insta::assert_snapshot!(report);
}

#[test]
fn chapter_slug_used_by_the_site_itself_is_reported() {
    let site =
        TestSite::minimal().file("content/a.md", "+++\ntitle = \"A\"\nslug = \"cases\"\n+++\n");
    let (_, report) = expect_error(&site, "content/a.md", 3, 8, "\"cases\"");
    insta::assert_snapshot!(report);
}

#[test]
fn template_errors_are_reported_with_position() {
    let mut reports = Reports::new();
    for (template, line, col, message) in [
        (
            "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title \n{% endblock main %}\n",
            4,
            1,
            "",
        ),
        (
            "{% extends \"base.html\" %}\n{% block main %}\n{{ page.nope }}\n{% endblock main %}\n",
            3,
            9,
            "`nope`",
        ),
    ] {
        let site = TestSite::minimal().file("templates/404.html", template);
        let (_, report) = expect_error(&site, "templates/404.html", line, col, message);
        reports.add(format!("line {line}"), &report);
    }
    insta::assert_snapshot!(reports.text());
}

#[test]
fn several_mistakes_in_one_file_are_all_reported() {
    for (path, text, lines) in [
        ("content/a.md", "+++\ntitle = \"A\"\nwieght = 1\ndescripton = \"x\"\n+++\n".to_string(), [3, 4]),
        (
            "book.toml",
            "[book]\ntitle = \"T\"\ntitel = \"x\"\n\n[site]\nbase_url = \"https://example.org/\"\nouput_dir = \"x\"\n"
                .to_string(),
            [3, 7],
        ),
        ("data/d.toml", DATASET.replace("source = \"S\"", "source = 1\nunti = \"x\""), [2, 3]),
    ] {
        let site = TestSite::minimal().file(path, &text);
        let (diags, _) = failing(&site);
        let found: Vec<usize> = diags.iter().filter(|d| d.path == path).map(|d| d.line).collect();
        assert_eq!(found, lines, "{path}: {diags:#?}");
    }
}
