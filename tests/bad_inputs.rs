//! Bad inputs (issue 7): tiny broken sites, each built through the real binary
//! after a good build of the same site. A broken site must exit 1 with the
//! path and line of each mistake, never panic, and leave every byte of the
//! previous output (and of everything else around the site) as it was.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;

use common::{DATASET, TestSite, tree};

/// A book.toml with closed vocabularies.
const BOOK: &str = "[book]
title = \"Test briefing\"
authors = [\"An author\"]

[site]
base_url = \"https://example.org/\"

[taxonomies]
areas = [\"Mining\", \"Manufacturing\"]
issues = [\"Labour rights\", \"Right to privacy\"]
regions = [\"Africa\", \"Asia\"]
";

/// The front page: a heading, a figure and two `@/` links.
const INDEX: &str = "+++
title = \"Welcome\"
+++

## Findings

{{ figure(id=\"d\") }}

See [the case](@/cases/c.md) and [the chapter](@/chapter.md#known-heading).
";

/// A chapter with a heading and a value.
const CHAPTER: &str = "+++
title = \"Chapter\"
weight = 1
+++

## Known heading

Rate: {{ value(data=\"d\", key=\"rate\", format=\"percent\") }}.
";

/// A case study using every front-matter key.
const CASE: &str = "+++
title = \"A case\"
date = 2018-01-01
summary = \"What happened.\"
area = \"Mining\"
issues = [\"Labour rights\"]
regions = [\"Africa\"]

[[companies]]
name = \"Acme\"
response = \"responded\"
response_url = \"https://example.org/response\"

[[sources]]
title = \"A report\"
url = \"https://example.org/report\"
+++

Body.
";

/// A site template that builds.
const TEMPLATE: &str =
    "{% extends \"base.html\" %}\n{% block main %}\n<p>Not here.</p>\n{% endblock main %}\n";

/// Every file under a folder with its bytes.
type Snapshot = BTreeMap<String, Vec<u8>>;

/// The good site, built through the binary (it must build).
fn good_site() -> TestSite {
    let site = TestSite::new()
        .file("book.toml", BOOK)
        .file("content/index.md", INDEX)
        .file("content/chapter.md", CHAPTER)
        .file("content/cases/c.md", CASE)
        .file("data/d.toml", DATASET)
        .file("templates/404.html", TEMPLATE);
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 0, "the good site must build:\n{stderr}");
    assert!(site.has("index.html") && site.has("cases/c/index.html"), "{:?}", site.files());
    site
}

/// Replaces `from` (which must be there) with `to` in the site file `rel`.
#[track_caller]
fn edit(site: &TestSite, rel: &str, from: &str, to: &str) {
    let text = site.source(rel);
    assert!(text.contains(from), "{from:?} not in {rel}:\n{text}");
    site.write(rel, text.replacen(from, to, 1));
}

/// `text` without the lines that start with `prefix`.
fn without_line(text: &str, prefix: &str) -> String {
    let out: String =
        text.lines().filter(|l| !l.starts_with(prefix)).map(|l| format!("{l}\n")).collect();
    assert_ne!(out.len(), text.len(), "no line starts with {prefix:?}");
    out
}

/// Everything in the temporary folder (the site, its output and anything beside it).
fn everything(site: &TestSite) -> Snapshot {
    tree(site.tmp())
}

/// Runs `briefing <args> --root <root>`, expects exit status 1, the path and
/// line of every place in `places` (line 0: the file as a whole) on stderr,
/// no panic, and not one byte changed anywhere around the site. Returns stderr.
#[track_caller]
fn fails_with(site: &TestSite, args: &[&str], places: &[(&str, usize)]) -> String {
    let before = everything(site);
    assert!(!before.is_empty());
    let (status, _, stderr) = site.cli(args);
    assert_eq!(status, 1, "exit status of a broken site:\n{stderr}");
    for (path, line) in places {
        let want = if *line == 0 { format!("{path}: error") } else { format!("{path}:{line}:") };
        assert!(stderr.contains(&want), "{want:?} not on stderr:\n{stderr}");
    }
    let after = everything(site);
    assert_same(&before, &after);
    stderr
}

/// `fails_with` for `briefing build`.
#[track_caller]
fn build_fails(site: &TestSite, places: &[(&str, usize)]) -> String {
    fails_with(site, &["build"], places)
}

/// Asserts that two snapshots hold the same files with the same bytes.
#[track_caller]
fn assert_same(before: &Snapshot, after: &Snapshot) {
    let gone: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let new: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let changed: Vec<&String> = before
        .iter()
        .filter(|(k, v)| after.get(*k).is_some_and(|a| a != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        gone.is_empty() && new.is_empty() && changed.is_empty(),
        "a failed build changed files: removed {gone:?}, added {new:?}, changed {changed:?}"
    );
}

/// Builds through the binary and expects success; returns stderr.
#[track_caller]
fn builds(site: &TestSite) -> String {
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 0, "the site must build:\n{stderr}");
    stderr
}

// Syntax errors, one per kind of file.

#[test]
fn syntax_error_in_book_toml_names_its_line() {
    let site = good_site();
    edit(&site, "book.toml", "title = \"Test briefing\"", "title = \"Test briefing");
    build_fails(&site, &[("book.toml", 2)]);
}

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
fn syntax_error_in_a_dataset_names_its_line() {
    let site = good_site();
    edit(&site, "data/d.toml", "n = 1", "n = = 1");
    build_fails(&site, &[("data/d.toml", 9)]);
}

#[test]
fn syntax_error_in_a_template_names_its_line() {
    let site = good_site();
    edit(&site, "templates/404.html", "<p>Not here.</p>", "<p>{{ page.title </p>");
    build_fails(&site, &[("templates/404.html", 3)]);
}

// Missing required keys.

#[test]
fn each_missing_key_of_book_toml_is_reported() {
    for (text, line) in [
        (without_line(BOOK, "title ="), 1),
        (without_line(BOOK, "base_url ="), 5),
        (BOOK.replace("[book]\ntitle = \"Test briefing\"\nauthors = [\"An author\"]\n", ""), 1),
        (BOOK.replace("[site]\nbase_url = \"https://example.org/\"\n", ""), 1),
    ] {
        let site = good_site();
        site.write("book.toml", &text);
        build_fails(&site, &[("book.toml", line)]);
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
    for (prefix, line) in
        [("date =", 1), ("summary =", 1), ("area =", 1), ("name =", 9), ("response =", 9)]
    {
        let site = good_site();
        site.write("content/cases/c.md", without_line(CASE, prefix));
        let stderr = build_fails(&site, &[("content/cases/c.md", line)]);
        let key = prefix.trim_end_matches(" =");
        assert!(stderr.contains(&format!("`{key}`")), "{key}:\n{stderr}");
    }
}

#[test]
fn each_missing_key_of_a_dataset_is_reported() {
    for (text, line) in [
        (without_line(DATASET, "title ="), 1),
        (without_line(DATASET, "source ="), 1),
        (without_line(DATASET, "kind ="), 11),
        (without_line(DATASET, "x ="), 11),
        (without_line(DATASET, "y ="), 11),
        // Two figures need an id each; the second [[figures]] is on line 15.
        (
            format!(
                "{DATASET}\n[[figures]]\nid = \"d2\"\nkind = \"pie\"\nx = \"k\"\ny = [\"n\"]\n"
            ),
            11,
        ),
    ] {
        let site = good_site();
        site.write("data/d.toml", &text);
        build_fails(&site, &[("data/d.toml", line)]);
    }
}

// Wrong types.

#[test]
fn wrong_types_in_book_toml_are_reported_at_their_line() {
    for (from, to, line) in [
        ("title = \"Test briefing\"", "title = 1", 2),
        ("authors = [\"An author\"]", "authors = \"An author\"", 3),
        ("base_url = \"https://example.org/\"", "base_url = 3", 6),
        ("areas = [\"Mining\", \"Manufacturing\"]", "areas = \"Mining\"", 9),
        ("authors = [\"An author\"]", "published = \"2018-10-01\"", 3),
        (
            "regions = [\"Africa\", \"Asia\"]",
            "regions = [\"Africa\", \"Asia\"]\n\n[build]\ndrafts = \"yes\"",
            14,
        ),
    ] {
        let site = good_site();
        edit(&site, "book.toml", from, to);
        build_fails(&site, &[("book.toml", line)]);
    }
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
fn wrong_types_in_a_dataset_are_reported_at_their_line() {
    for (from, to, line) in [
        ("title = \"D\"", "title = 3", 1),
        ("rate = 0.58", "rate = \"high\"", 5),
        ("rate = 0.58", "rate = nan", 5),
        ("n = 1", "n = [1]", 9),
        ("n = 1", "n = \"one\"", 9),
        ("y = [\"n\"]", "y = \"n\"", 14),
        ("x = \"k\"", "x = 1", 13),
    ] {
        let site = good_site();
        edit(&site, "data/d.toml", from, to);
        build_fails(&site, &[("data/d.toml", line)]);
    }
}

// Values outside a vocabulary.

#[test]
fn terms_outside_a_closed_vocabulary_are_reported_with_did_you_mean() {
    for (from, to, line) in [
        ("area = \"Mining\"", "area = \"Minning\"", 5),
        ("issues = [\"Labour rights\"]", "issues = [\"Labor rights\"]", 6),
        ("regions = [\"Africa\"]", "regions = [\"Afrika\"]", 7),
    ] {
        let site = good_site();
        edit(&site, "content/cases/c.md", from, to);
        let stderr = build_fails(&site, &[("content/cases/c.md", line)]);
        assert!(stderr.contains("did you mean"), "{stderr}");
    }
    let site = good_site();
    edit(&site, "book.toml", "regions =", "companies = [\"Globex\"]\nregions =");
    build_fails(&site, &[("content/cases/c.md", 10)]);
}

#[test]
fn words_outside_the_format_vocabularies_are_reported_at_their_line() {
    for (rel, from, to, line) in [
        ("content/cases/c.md", "response = \"responded\"", "response = \"answered\"", 11),
        ("data/d.toml", "kind = \"bar\"", "kind = \"bars\"", 12),
        ("book.toml", "[taxonomies]\n", "[taxonomies]\ntopics = [\"x\"]\n", 9),
        (
            "book.toml",
            "base_url = \"https://example.org/\"",
            "base_url = \"ftp://example.org/\"",
            6,
        ),
        ("content/chapter.md", "format=\"percent\"", "format=\"permille\"", 8),
    ] {
        let site = good_site();
        edit(&site, rel, from, to);
        build_fails(&site, &[(rel, line)]);
    }
}

#[test]
fn values_outside_vocabularies_in_book_toml_are_placed_at_their_line() {
    for (from, to, line) in [
        ("authors = [\"An author\"]", "language = \"English\"", 3),
        (
            "base_url = \"https://example.org/\"",
            "base_url = \"https://example.org/\"\ntheme = \"nope\"",
            7,
        ),
        ("[taxonomies]", "[figures]\npalette = [\"red\"]\n\n[taxonomies]", 9),
    ] {
        let site = good_site();
        edit(&site, "book.toml", from, to);
        build_fails(&site, &[("book.toml", line)]);
    }
}

// Unknown shortcodes, ids, datasets and keys.

#[test]
fn unknown_shortcodes_and_arguments_are_reported_at_their_line() {
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
        assert!(stderr.contains(message), "{message}:\n{stderr}");
    }
}

#[test]
fn unknown_figure_ids_datasets_and_value_keys_are_reported_at_their_line() {
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
        assert!(stderr.contains(message), "{message}:\n{stderr}");
    }
}

#[test]
fn unknown_keys_in_every_kind_of_file_are_reported_at_their_line() {
    for (rel, from, to, line) in [
        ("book.toml", "authors =", "titel = \"x\"\nauthors =", 3),
        ("book.toml", "base_url =", "ouput_dir = \"x\"\nbase_url =", 6),
        ("content/chapter.md", "weight = 1", "wieght = 1", 3),
        ("content/cases/c.md", "response = \"responded\"", "respons = \"responded\"", 11),
        ("content/cases/c.md", "url = \"https://example.org/report\"", "link = \"x\"", 16),
        ("data/d.toml", "source = \"S\"", "sources = \"S\"", 2),
        ("data/d.toml", "kind = \"bar\"", "kind = \"bar\"\ncolour = \"red\"", 13),
        ("data/d.toml", "x = \"k\"", "x = \"key\"", 13),
    ] {
        let site = good_site();
        edit(&site, rel, from, to);
        build_fails(&site, &[(rel, line)]);
    }
}

// Broken links.

#[test]
fn broken_at_links_and_anchors_are_reported_at_their_line() {
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
        assert!(stderr.contains(message), "{message}:\n{stderr}");
    }
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

// Duplicates.

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
fn duplicate_figure_ids_terms_and_companies_are_reported() {
    let site = good_site();
    site.write("data/e.toml", DATASET.replace("[[figures]]\n", "[[figures]]\nid = \"d\"\n"));
    build_fails(&site, &[("data/e.toml", 11)]);

    let site = good_site();
    edit(&site, "book.toml", "\"Mining\", \"Manufacturing\"", "\"Mining\", \"mining\"");
    build_fails(&site, &[("book.toml", 9)]);

    let site = good_site();
    edit(
        &site,
        "content/cases/c.md",
        "[[sources]]",
        "[[companies]]\nname = \"ACME\"\nresponse = \"declined\"\n\n[[sources]]",
    );
    build_fails(&site, &[("content/cases/c.md", 15)]);
}

// Slugs and names that try to leave the output.

#[test]
fn slugs_that_try_to_leave_the_output_are_refused_at_their_line() {
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
        assert!(stderr.contains("is not a valid slug"), "{slug}:\n{stderr}");
    }
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
fn dataset_file_names_that_are_not_ids_are_reported() {
    for name in ["Bad Name", "UPPER", "a..b", "-x"] {
        let site = good_site();
        site.write(format!("data/{name}.toml"), "title = \"T\"\nsource = \"S\"\n");
        build_fails(&site, &[(&format!("data/{name}.toml"), 0)]);
    }
}

#[test]
fn files_outside_the_site_layout_are_reported() {
    let site = good_site();
    site.write("content/deep/er.md", "+++\ntitle = \"Deep\"\n+++\n");
    site.write("data/sub/d.toml", DATASET);
    build_fails(&site, &[("content/deep/er.md", 0), ("data/sub/d.toml", 0)]);
}

// Invalid UTF-8.

#[test]
fn invalid_utf8_in_every_kind_of_file_names_its_line() {
    for (rel, from, to, line) in [
        ("book.toml", "authors = [\"An author\"]", "authors = [\"An \u{1} author\"]", 3),
        ("content/chapter.md", "title = \"Chapter\"", "title = \"Chap\u{1}ter\"", 2),
        ("content/chapter.md", "Rate:", "Ra\u{1}te:", 8),
        ("content/cases/c.md", "Body.", "Bo\u{1}dy.", 19),
        ("data/d.toml", "source = \"S\"", "source = \"\u{1}S\"", 2),
        ("templates/404.html", "Not here.", "Not \u{1}here.", 3),
    ] {
        let site = good_site();
        edit(&site, rel, from, to);
        // \u{1} marks where the invalid bytes go: a lone continuation byte, then a cut sequence.
        let bytes: Vec<u8> = site
            .source(rel)
            .bytes()
            .flat_map(|b| if b == 1 { vec![0x80, 0xe2, 0x28] } else { vec![b] })
            .collect();
        site.write(rel, bytes);
        let stderr = build_fails(&site, &[(rel, line)]);
        assert!(stderr.contains("not valid UTF-8"), "{rel}:\n{stderr}");
    }
}

#[test]
fn invalid_utf8_in_book_toml_is_explained_as_an_encoding_problem() {
    let site = good_site();
    let mut bytes = BOOK.as_bytes().to_vec();
    bytes.splice(10..10, [0xff]);
    site.write("book.toml", bytes);
    let stderr = build_fails(&site, &[("book.toml", 2)]);
    assert!(stderr.contains("UTF-8") && !stderr.contains("briefing init"), "{stderr}");
}

// Byte-order marks and CRLF line ends: these build.

fn crlf(text: &str) -> String {
    format!("\u{feff}{}", text.replace('\n', "\r\n"))
}

#[test]
fn byte_order_marks_and_crlf_line_ends_in_book_content_and_data_build() {
    let site = good_site();
    let before = site.read("index.html");
    for rel in
        ["book.toml", "content/index.md", "content/chapter.md", "content/cases/c.md", "data/d.toml"]
    {
        site.write(rel, crlf(&site.source(rel)));
    }
    // Templates get CRLF line ends without a byte-order mark (see the test below).
    site.write("templates/404.html", TEMPLATE.replace('\n', "\r\n"));
    builds(&site);
    let index = site.read("index.html");
    assert_eq!(index.replace('\r', ""), before.replace('\r', ""), "the same page, CRLF or not");
    for file in site.files() {
        let bytes = fs::read(site.out().join(&file)).expect("read output");
        assert!(!String::from_utf8_lossy(&bytes).contains('\u{feff}'), "a BOM leaked into {file}");
    }
    assert!(site.read("404.html").contains("Not here."));
    assert!(site.read("cases/c/index.html").contains("A report"));
}

#[test]
fn byte_order_mark_in_a_template_builds() {
    let site = good_site();
    site.write("templates/404.html", crlf(TEMPLATE));
    builds(&site);
    assert!(site.read("404.html").contains("Not here."));
    assert!(!site.read("404.html").contains('\u{feff}'));
}

// Symbolic links that lead out of the site.

/// A folder beside the site with files a build must never read or touch.
fn outside(site: &TestSite) -> std::path::PathBuf {
    let dir = site.tmp().join("outside");
    fs::create_dir_all(dir.join("templates")).expect("outside folder");
    fs::write(dir.join("secret.txt"), "SECRET-OUTSIDE").expect("secret");
    fs::write(dir.join("page.md"), "+++\ntitle = \"SECRET-OUTSIDE\"\n+++\nSECRET-OUTSIDE\n")
        .expect("page");
    fs::write(dir.join("d.toml"), "title = \"SECRET-OUTSIDE\"\nsource = \"SECRET-OUTSIDE\"\n")
        .expect("dataset");
    fs::write(dir.join("index.md"), "+++\n+++\nSECRET-OUTSIDE\n").expect("front page");
    fs::write(dir.join("templates/404.html"), "SECRET-OUTSIDE").expect("template");
    dir
}

/// Asserts that no output file holds the outside folder's secret.
#[track_caller]
fn assert_no_secret(site: &TestSite) {
    for (file, bytes) in tree(&site.out()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET-OUTSIDE"),
            "{file} holds a file from outside the site"
        );
    }
}

#[test]
fn symlinked_files_that_lead_out_of_the_site_are_not_followed() {
    let site = good_site();
    let out = outside(&site);
    let root = site.root();
    fs::create_dir_all(root.join("static")).expect("static");
    symlink(out.join("page.md"), root.join("content/leak.md")).expect("link");
    symlink(out.join("page.md"), root.join("content/cases/leak.md")).expect("link");
    symlink(out.join("d.toml"), root.join("data/leak.toml")).expect("link");
    symlink(out.join("secret.txt"), root.join("static/secret.txt")).expect("link");
    symlink(out.join("templates/404.html"), root.join("templates/cases.html")).expect("link");
    symlink(&out, root.join("content/cases/folder")).expect("link");
    let stderr = builds(&site);
    assert!(stderr.contains("content/leak.md"), "a warning names the link:\n{stderr}");
    assert!(!site.has("secret.txt") && !site.has("leak/index.html"), "{:?}", site.files());
    assert_no_secret(&site);
}

#[test]
fn symlinked_source_folders_that_lead_out_of_the_site_are_not_followed() {
    for folder in ["static", "data", "templates", "content/cases"] {
        let site = good_site();
        let out = outside(&site);
        let link = site.root().join(folder);
        if link.exists() {
            fs::remove_dir_all(&link).expect("remove folder");
        }
        let target = out.join("folder");
        fs::create_dir_all(&target).expect("target");
        for (name, from) in [
            ("secret.txt", "secret.txt"),
            ("leak.toml", "d.toml"),
            ("leak.md", "page.md"),
            ("404.html", "templates/404.html"),
        ] {
            fs::copy(out.join(from), target.join(name)).expect("copy");
        }
        symlink(&target, &link).expect("link");
        let (status, _, stderr) = site.cli(&["build"]);
        assert!(status == 0 || status == 1, "{stderr}");
        assert_no_secret(&site);
    }
}

#[test]
fn symlinked_book_toml_that_leads_out_of_the_site_is_not_read() {
    let site = good_site();
    let out = outside(&site);
    fs::write(out.join("book.toml"), BOOK.replace("Test briefing", "SECRET-OUTSIDE"))
        .expect("outside book");
    fs::remove_file(site.root().join("book.toml")).expect("remove book");
    symlink(out.join("book.toml"), site.root().join("book.toml")).expect("link");
    build_fails(&site, &[("book.toml", 0)]);
    assert_no_secret(&site);
}

#[test]
fn a_symlink_inside_the_output_is_never_written_through() {
    let site = good_site();
    let out = outside(&site);
    let target = out.join("victim");
    fs::create_dir_all(&target).expect("victim folder");
    fs::write(target.join("keep.txt"), "keep").expect("victim file");
    fs::remove_dir_all(site.out().join("cases")).expect("remove cases");
    symlink(&target, site.out().join("cases")).expect("link");
    let stderr = fails_with(&site, &["build"], &[]);
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert_eq!(common::list_files(&target), ["keep.txt"]);
}

#[test]
fn a_symlinked_output_file_is_replaced_not_written_through() {
    let site = good_site();
    let out = outside(&site);
    fs::remove_file(site.out().join("index.html")).expect("remove");
    symlink(out.join("secret.txt"), site.out().join("index.html")).expect("link");
    builds(&site);
    assert_eq!(fs::read_to_string(out.join("secret.txt")).expect("secret"), "SECRET-OUTSIDE");
    assert!(!fs::symlink_metadata(site.out().join("index.html")).expect("meta").is_symlink());
}

#[test]
fn a_stale_temporary_symlink_in_the_output_is_not_written_through() {
    let site = good_site();
    let out = outside(&site);
    symlink(out.join("secret.txt"), site.out().join(".index.html.briefing-tmp")).expect("link");
    edit(&site, "content/index.md", "## Findings", "## New findings");
    builds(&site);
    assert_eq!(fs::read_to_string(out.join("secret.txt")).expect("secret"), "SECRET-OUTSIDE");
}

#[test]
fn manifest_entries_outside_the_output_are_never_removed() {
    let site = good_site();
    let victim = site.tmp().join("victim.txt");
    fs::write(&victim, "keep").expect("victim");
    fs::write(site.root().join("keep.txt"), "keep").expect("root file");
    let manifest = site.out().join(".briefing-manifest");
    let mut text = fs::read_to_string(&manifest).expect("manifest");
    for line in ["../../victim.txt", "../keep.txt", &victim.display().to_string(), "..", "/"] {
        text.push_str(line);
        text.push('\n');
    }
    fs::write(&manifest, text).expect("manifest");
    builds(&site);
    assert_eq!(fs::read_to_string(&victim).expect("victim"), "keep");
    assert_eq!(site.source("keep.txt"), "keep");
}

// Output directories that must be refused or cannot be written.

#[test]
fn an_output_directory_that_is_the_site_root_is_refused() {
    let site = good_site();
    let root = site.root().display().to_string();
    for arg in [root.clone(), format!("{root}/"), format!("{root}/public/..")] {
        let stderr = fails_with(&site, &["build", "--output", &arg], &[]);
        assert!(stderr.contains("site root"), "{stderr}");
    }
    for dir in ["\"\"", "\".\"", "\"public/..\""] {
        let site = good_site();
        edit(&site, "book.toml", "base_url =", &format!("output_dir = {dir}\nbase_url ="));
        let stderr = build_fails(&site, &[]);
        assert!(stderr.contains("site root"), "{dir}: {stderr}");
    }
}

#[test]
fn an_output_directory_that_contains_the_site_is_refused() {
    let site = good_site();
    let tmp = site.tmp().display().to_string();
    for arg in [tmp.as_str(), "/", "."] {
        let stderr = fails_with(&site, &["build", "--output", arg], &[]);
        assert!(stderr.contains("contains the site"), "{arg}: {stderr}");
    }
    let site = good_site();
    edit(&site, "book.toml", "base_url =", "output_dir = \"..\"\nbase_url =");
    build_fails(&site, &[]);
}

#[test]
fn an_output_directory_inside_the_sources_is_refused() {
    for folder in
        ["content", "content/cases", "data", "templates", "themes/x", "static", "i18n/out"]
    {
        let site = good_site();
        let arg = site.root().join(folder).display().to_string();
        let stderr = fails_with(&site, &["build", "--output", &arg], &[]);
        assert!(stderr.contains("refusing"), "{folder}: {stderr}");
        let site = good_site();
        edit(&site, "book.toml", "base_url =", &format!("output_dir = \"{folder}\"\nbase_url ="));
        build_fails(&site, &[]);
    }
}

#[test]
fn an_output_directory_holding_files_briefing_did_not_write_is_refused() {
    let site = good_site();
    let other = site.tmp().join("other");
    fs::create_dir_all(other.join("sub")).expect("other");
    fs::write(other.join("index.html"), "mine").expect("mine");
    fs::write(other.join("sub/keep.txt"), "keep").expect("keep");
    let arg = other.display().to_string();
    let stderr = fails_with(&site, &["build", "--output", &arg], &[]);
    assert!(stderr.contains("--force"), "{stderr}");
}

#[test]
fn an_output_directory_that_cannot_be_written_is_a_clear_error() {
    let site = good_site();
    let file = site.tmp().join("a-file");
    fs::write(&file, "not a folder").expect("file");
    for arg in [file.join("out"), file.clone(), file.join("deep/er/out")] {
        let arg = arg.display().to_string();
        let stderr = fails_with(&site, &["build", "--output", &arg], &[]);
        assert!(stderr.contains("a-file"), "the path is named:\n{stderr}");
    }
    assert_eq!(fs::read_to_string(&file).expect("file"), "not a folder");
}

// Themes named like paths.

#[test]
fn a_theme_name_that_leaves_the_site_is_refused() {
    let site = good_site();
    let out = outside(&site);
    fs::create_dir_all(out.join("static")).expect("static");
    fs::write(out.join("static/secret.txt"), "SECRET-OUTSIDE").expect("secret");
    fs::create_dir_all(site.root().join("themes")).expect("themes");
    edit(&site, "book.toml", "base_url =", "theme = \"../../outside\"\nbase_url =");
    build_fails(&site, &[("book.toml", 6)]);
    assert_no_secret(&site);
}

#[test]
fn issue_7_theme_name_with_a_trailing_slash_does_not_panic() {
    let site = good_site();
    fs::create_dir_all(site.root().join("themes/t/templates")).expect("theme");
    fs::create_dir_all(site.root().join("themes/t/static")).expect("theme static");
    fs::write(site.root().join("themes/t/static/été.txt"), "summer").expect("static");
    edit(&site, "book.toml", "base_url =", "theme = \"t/\"\nbase_url =");
    let (status, _, stderr) = site.cli(&["build"]);
    assert!(status == 0 || status == 1, "{stderr}");
    if status == 0 {
        assert!(site.has("été.txt"), "{:?}", site.files());
    }
}

// Several errors at once.

#[test]
fn several_errors_in_several_files_are_all_reported() {
    let site = good_site();
    edit(&site, "content/index.md", "figure(id=\"d\")", "figure(id=\"e\")");
    edit(&site, "content/index.md", "#known-heading", "#unknown-heading");
    edit(&site, "content/chapter.md", "weight = 1", "wieght = 1");
    edit(&site, "content/cases/c.md", "area = \"Mining\"", "area = \"Minning\"");
    edit(&site, "content/cases/c.md", "response = \"responded\"", "response = \"respond\"");
    edit(&site, "data/d.toml", "rate = 0.58", "rate = \"high\"");
    site.write("content/other.md", "+++\ntitle = \"Other\"\nslug = \"../x\"\n+++\n");
    let stderr = build_fails(
        &site,
        &[
            ("content/cases/c.md", 5),
            ("content/cases/c.md", 11),
            ("content/chapter.md", 3),
            ("content/index.md", 7),
            ("content/index.md", 9),
            ("content/other.md", 3),
            ("data/d.toml", 5),
        ],
    );
    assert!(stderr.contains("7 errors found"), "{stderr}");
}

#[test]
fn several_errors_in_book_toml_are_all_reported() {
    let site = good_site();
    edit(&site, "book.toml", "authors =", "titel = 1\nauthors =");
    edit(&site, "book.toml", "base_url =", "ouput = 2\nbase_url =");
    edit(&site, "book.toml", "[taxonomies]", "[bulid]\ndrafts = true\n\n[taxonomies]");
    let stderr = build_fails(&site, &[("book.toml", 3), ("book.toml", 7), ("book.toml", 10)]);
    assert!(stderr.contains("3 errors found"), "{stderr}");
}

#[test]
fn check_reports_the_same_errors_and_writes_nothing() {
    let site = good_site();
    edit(&site, "content/chapter.md", "weight = 1", "wieght = 1");
    fails_with(&site, &["check"], &[("content/chapter.md", 3)]);
}
