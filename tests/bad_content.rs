//! Bad inputs (issue 7) in pages: front matter (syntax, missing keys, wrong
//! types, terms outside the vocabularies), shortcodes, `@/` links, slugs.
//! Each test builds the good site of `common::broken` through the real
//! binary, breaks a page and expects exit status 1, the path and line of each
//! mistake, and not one byte changed around the site.

mod common;

use common::broken::{
    Reports, assert_same, build_fails, edit, everything, good_site, without_line,
};
use common::fixtures::{CASE, CHAPTER};

#[test]
fn syntax_error_in_front_matter_names_its_line_in_the_file() {
    let site = good_site();
    edit(&site, "content/chapter.md", "weight = 1", "weight = = 1");
    build_fails(&site, &[("content/chapter.md", 3)]);
}

#[test]
fn front_matter_that_is_missing_or_unclosed_is_reported() {
    for (text, line) in [
        ("Just text, no front matter.\n", 1),
        ("+++\ntitle = \"A\"\n\nNo closing line.\n", 1),
        ("++++\ntitle = \"A\"\n+++\n", 1),
        ("", 1),
    ] {
        let site = good_site();
        site.write("content/extra.md", text);
        build_fails(&site, &[("content/extra.md", line)]);
    }
}

#[test]
fn missing_title_of_a_chapter_is_reported() {
    let site = good_site();
    site.write("content/chapter.md", without_line(CHAPTER, "title ="));
    build_fails(&site, &[("content/chapter.md", 1)]);
}

#[test]
fn each_missing_key_of_a_case_study_is_reported() {
    let mut reports = Reports::new();
    for (prefix, line) in
        [("date =", 1), ("summary =", 1), ("area =", 1), ("name =", 9), ("response =", 9)]
    {
        let site = good_site();
        site.write("content/cases/c.md", without_line(CASE, prefix));
        let stderr = build_fails(&site, &[("content/cases/c.md", line)]);
        reports.add(format!("without {prefix}"), &stderr);
    }
    // Each report names the missing key.
    insta::assert_snapshot!(reports.text());
}

#[test]
fn wrong_types_in_front_matter_are_reported_at_their_line() {
    for (rel, from, to, line) in [
        ("content/chapter.md", "weight = 1", "weight = \"ten\"", 3),
        ("content/chapter.md", "title = \"Chapter\"", "title = 3", 2),
        ("content/chapter.md", "weight = 1", "draft = \"no\"", 3),
        ("content/chapter.md", "weight = 1", "slug = 7", 3),
        ("content/cases/c.md", "date = 2018-01-01", "date = \"2018-01-01\"", 3),
        ("content/cases/c.md", "date = 2018-01-01", "date = 2018-01-01T10:00:00Z", 3),
        ("content/cases/c.md", "issues = [\"Labour rights\"]", "issues = \"Labour rights\"", 6),
        ("content/cases/c.md", "regions = [\"Africa\"]", "regions = [1]", 7),
        ("content/cases/c.md", "summary = \"What happened.\"", "summary = [\"x\"]", 4),
        ("content/cases/c.md", "url = \"https://example.org/report\"", "url = 1", 16),
    ] {
        let site = good_site();
        edit(&site, rel, from, to);
        build_fails(&site, &[(rel, line)]);
    }
}

#[test]
fn terms_outside_a_closed_vocabulary_are_reported_with_did_you_mean() {
    let mut reports = Reports::new();
    for (from, to, line) in [
        ("area = \"Mining\"", "area = \"Minning\"", 5),
        ("issues = [\"Labour rights\"]", "issues = [\"Labor rights\"]", 6),
        ("regions = [\"Africa\"]", "regions = [\"Afrika\"]", 7),
    ] {
        let site = good_site();
        edit(&site, "content/cases/c.md", from, to);
        let stderr = build_fails(&site, &[("content/cases/c.md", line)]);
        reports.add(to, &stderr);
    }
    let site = good_site();
    edit(&site, "book.toml", "regions =", "companies = [\"Globex\"]\nregions =");
    let stderr = build_fails(&site, &[("content/cases/c.md", 10)]);
    reports.add("companies = [\"Globex\"] in book.toml", &stderr);
    // Each report of a misspelt term asks "did you mean" the listed one.
    insta::assert_snapshot!(reports.text());
}

#[test]
fn unknown_shortcodes_and_arguments_are_reported_at_their_line() {
    let mut reports = Reports::new();
    for (line_text, message) in [
        ("{{ figur(id=\"d\") }}", "unknown shortcode \"figur\""),
        ("{{ figure(id=\"d\", size=\"2\") }}", "unknown argument \"size\""),
        ("{{ figure() }}", "needs `id`"),
        ("{{ figure(id=\"d\") ", "unclosed shortcode"),
        ("{{ just words }}", "not a shortcode call"),
    ] {
        let site = good_site();
        edit(&site, "content/index.md", "{{ figure(id=\"d\") }}", line_text);
        let stderr = build_fails(&site, &[("content/index.md", 7)]);
        reports.add(format_args!("{line_text} ({message})"), &stderr);
    }
    insta::assert_snapshot!(reports.text());
}

#[test]
fn unknown_figure_ids_datasets_and_value_keys_are_reported_at_their_line() {
    let mut reports = Reports::new();
    for (rel, from, to, line, message) in [
        ("content/index.md", "figure(id=\"d\")", "figure(id=\"e\")", 7, "unknown figure id \"e\""),
        (
            "content/index.md",
            "See [the case]",
            "{{ figref(id=\"e\") }} [the case]",
            9,
            "unknown figure id",
        ),
        ("content/chapter.md", "data=\"d\"", "data=\"e\"", 8, "unknown dataset \"e\""),
        ("content/chapter.md", "key=\"rate\"", "key=\"rat\"", 8, "has no value \"rat\""),
    ] {
        let site = good_site();
        edit(&site, rel, from, to);
        let stderr = build_fails(&site, &[(rel, line)]);
        reports.add(format_args!("{rel}: {to} ({message})"), &stderr);
    }
    insta::assert_snapshot!(reports.text());
}

#[test]
fn broken_at_links_and_anchors_are_reported_at_their_line() {
    let mut reports = Reports::new();
    for (to, message) in [
        ("[the case](@/cases/missing.md)", "@/cases/missing.md"),
        ("[the case](@/cases/c.md#nowhere)", "nowhere"),
        ("[the case](@/../book.toml)", "@/../book.toml"),
        ("[the case](@//etc/passwd)", "/etc/passwd"),
        ("[the case](@/)", "@/"),
    ] {
        let site = good_site();
        edit(&site, "content/index.md", "[the case](@/cases/c.md)", to);
        let stderr = build_fails(&site, &[("content/index.md", 9)]);
        reports.add(format_args!("{to} ({message})"), &stderr);
    }
    insta::assert_snapshot!(reports.text());
}

#[test]
fn a_shortcode_inside_a_link_address_is_filled_or_reported() {
    let site = good_site();
    edit(
        &site,
        "content/chapter.md",
        "Rate:",
        "[rate](<{{ value(data=\"d\", key=\"rate\") }}>) ![chart](<{{ figref(id=\"d\") }}>)\n\nRate:",
    );
    let (status, _, stderr) = site.cli(&["build"]);
    if status == 0 {
        let page = site.read("chapter/index.html");
        assert!(!page.contains("%EE%80%80"), "a hole marker was published:\n{page}");
    } else {
        assert_eq!(status, 1, "{stderr}");
        assert!(stderr.contains("content/chapter.md:8:"), "{stderr}");
    }
}

#[test]
fn duplicate_slugs_are_reported_at_the_second_slug() {
    let site = good_site();
    edit(&site, "content/chapter.md", "weight = 1", "weight = 1\nslug = \"same\"");
    site.write("content/other.md", "+++\ntitle = \"Other\"\nweight = 2\nslug = \"same\"\n+++\n");
    build_fails(&site, &[("content/other.md", 4)]);

    // A case study whose slug repeats another's.
    let site = good_site();
    site.write(
        "content/cases/d.md",
        CASE.replace("title = \"A case\"", "title = \"A case\"\nslug = \"c\""),
    );
    build_fails(&site, &[("content/cases/d.md", 3)]);
}

#[test]
fn slugs_that_try_to_leave_the_output_are_refused_at_their_line() {
    let mut reports = Reports::new();
    for slug in [
        "../x",
        "../../../../tmp/owned",
        "/etc/passwd",
        "/",
        "..",
        ".",
        "a/b",
        "a\\\\b",
        "\\\\server\\\\share",
        "a\\u0000b",
        "C:/x",
        "c:",
        "%2e%2e",
        "",
        "x\\n",
        " x",
    ] {
        let site = good_site();
        edit(&site, "content/chapter.md", "weight = 1", &format!("weight = 1\nslug = \"{slug}\""));
        let stderr = build_fails(&site, &[("content/chapter.md", 4)]);
        reports.add(format_args!("slug = \"{slug}\""), &stderr);
    }
    // Each report says the slug "is not a valid slug".
    insta::assert_snapshot!(reports.text());
}

/// The names Windows keeps for devices, in any case and with any extension.
fn is_windows_device_name(segment: &str) -> bool {
    let stem = segment.split('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit())
}

#[test]
fn windows_device_names_are_refused_as_slugs() {
    for slug in ["con", "aux", "nul", "prn", "com1", "lpt1"] {
        let site = good_site();
        edit(&site, "content/chapter.md", "weight = 1", &format!("weight = 1\nslug = \"{slug}\""));
        build_fails(&site, &[("content/chapter.md", 4)]);
    }
}

#[test]
fn windows_device_names_never_become_output_paths() {
    let site = good_site();
    site.write("content/aux.md", "+++\ntitle = \"Aux\"\n+++\n");
    site.write("data/nul.toml", "title = \"N\"\nsource = \"S\"\n");
    edit(
        &site,
        "book.toml",
        "\"Mining\", \"Manufacturing\"",
        "\"Mining\", \"Manufacturing\", \"Con\"",
    );
    site.write("content/cases/e.md", CASE.replace("Mining", "Con").replace("Acme", "PRN"));
    let before = everything(&site);
    let (status, _, stderr) = site.cli(&["build"]);
    if status == 0 {
        let bad: Vec<String> =
            site.files().into_iter().filter(|f| f.split('/').any(is_windows_device_name)).collect();
        assert!(bad.is_empty(), "output paths Windows cannot hold: {bad:?}");
    } else {
        assert_eq!(status, 1, "{stderr}");
        // A page gets a safe address (aux -> aux-1); a dataset id must be renamed.
        assert!(stderr.contains("data/nul.toml"), "{stderr}");
        assert_same(&before, &everything(&site));
    }
}

#[test]
fn issue_21_a_page_whose_front_matter_fails_still_exists_for_links() {
    // The front page links to the case and to the chapter's heading: one
    // mistake in either file's front matter is one error, not one more at
    // each link to it.
    for (rel, from, to, line) in [
        ("content/cases/c.md", "date = 2018-01-01", "date = = 2018-01-01", 3),
        ("content/chapter.md", "weight = 1", "weight = = 1", 3),
        ("content/chapter.md", "+++\ntitle", "++\ntitle", 1),
    ] {
        let site = good_site();
        edit(&site, rel, from, to);
        let stderr = build_fails(&site, &[(rel, line)]);
        let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
        assert!(errors.iter().all(|l| l.starts_with(&format!("{rel}:{line}:"))), "{stderr}");
        assert!(!stderr.contains("no such page"), "{stderr}");
    }
    // The front page itself: its error, and no "the front page is missing".
    let site = good_site();
    edit(&site, "content/index.md", "title = \"Welcome\"", "title = Welcome");
    let stderr = build_fails(&site, &[("content/index.md", 2)]);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert!(errors.iter().all(|l| l.starts_with("content/index.md:2:")), "{stderr}");
    assert!(!stderr.contains("the front page is missing"), "{stderr}");
}
