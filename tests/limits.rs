//! Size and depth (issue 7): generated inputs far larger or deeper than any
//! real briefing. Each must build, or fail with a clear error, within a
//! deadline this test enforces, and exit with a status (0 or 1), never a
//! signal: no hang, no stack overflow, no panic.

mod common;

use std::fmt::Write as _;
use std::fs::File;
use std::os::unix::process::ExitStatusExt as _;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::TestSite;
use common::fixtures::{BOOK, INDEX};

/// How long one build may take, debug build included.
const DEADLINE: Duration = Duration::from_secs(60);

/// Runs `briefing build --root <root>` and waits at most `DEADLINE`; kills it
/// and fails the test when it takes longer. Returns the exit status (0 or 1,
/// anything else fails the test) and stderr.
fn build_bounded(site: &TestSite) -> (i32, String) {
    let err_path = site.tmp().join("stderr.txt");
    let err = File::create(&err_path).expect("stderr file");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["build", "--root"])
        .arg(site.root())
        .current_dir(site.tmp())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        // A file, not a pipe: thousands of errors must not block the child on a full pipe.
        .stderr(Stdio::from(err))
        .spawn()
        .expect("run briefing");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for briefing") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("briefing build did not finish within {} s", DEADLINE.as_secs());
        }
        sleep(Duration::from_millis(20));
    };
    let stderr = String::from_utf8_lossy(&std::fs::read(&err_path).expect("read stderr"))
        .chars()
        .take(20_000)
        .collect::<String>();
    if let Some(signal) = status.signal() {
        panic!(
            "briefing was killed by signal {signal} (a stack overflow is SIGSEGV or SIGABRT):\n{stderr}"
        );
    }
    let code = status.code().expect("an exit status");
    assert!(code == 0 || code == 1, "exit status {code}:\n{stderr}");
    assert!(!stderr.contains("panicked"), "briefing panicked:\n{stderr}");
    assert!(!stderr.contains("overflow"), "briefing overflowed:\n{stderr}");
    eprintln!("built in {} ms, exit {code}", started.elapsed().as_millis());
    (code, stderr)
}

/// Expects the build to succeed within the deadline.
#[track_caller]
fn builds(site: &TestSite) {
    let (code, stderr) = build_bounded(site);
    assert_eq!(code, 0, "{stderr}");
}

/// Expects a clear failure within the deadline: exit 1 and `path:line:` on stderr.
#[track_caller]
fn fails_clearly(site: &TestSite, path: &str) -> String {
    let (code, stderr) = build_bounded(site);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(&format!("{path}:")), "{path} not named:\n{stderr}");
    assert!(stderr.contains("error"), "{stderr}");
    stderr
}

/// A chapter whose body is `body`.
fn chapter(body: &str) -> String {
    format!("+++\ntitle = \"Big\"\n+++\n\n{body}")
}

/// A dataset of `rows` rows (`label`, `n`) with a value, and a bar figure if asked.
fn dataset(rows: usize, figure: bool) -> String {
    let mut out = String::from("title = \"Rows\"\nsource = \"Generated\"\n\n[values]\nv = 1\n\n");
    for i in 0..rows {
        let _ = write!(out, "[[rows]]\nlabel = \"row {i}\"\nn = {i}\n\n");
    }
    if figure {
        out.push_str("[[figures]]\nkind = \"bar\"\nx = \"label\"\ny = [\"n\"]\n");
    }
    out
}

#[test]
fn a_dataset_of_100000_rows_builds_in_bounded_time() {
    let site = TestSite::minimal()
        .file("data/big.toml", &dataset(100_000, false))
        .file("content/a.md", &chapter("Value: {{ value(data=\"big\", key=\"v\") }}.\n"));
    builds(&site);
    let csv = site.read("data/big.csv");
    assert_eq!(csv.lines().count(), 100_001, "a header and every row");
    assert!(csv.ends_with("row 99999,99999\r\n"));
    assert!(site.read("data/big.json").contains("\"row 99999\""));
}

#[test]
fn a_figure_of_a_thousand_categories_builds_in_bounded_time() {
    let site = TestSite::minimal()
        .file("data/big.toml", &dataset(1_000, true))
        .file("content/a.md", &chapter("{{ figure(id=\"big\") }}\n"));
    builds(&site);
    assert!(site.read("figures/big/index.html").contains("row 999"));
    roxmltree::Document::parse(&site.read("figures/big.svg")).expect("the SVG is XML");
}

#[test]
fn a_figure_of_more_categories_than_a_chart_can_show_is_refused_at_its_line() {
    // 100,000 rows: refused at the figure before anything is drawn.
    let site = TestSite::minimal()
        .file("data/big.toml", &dataset(100_000, true))
        .file("content/a.md", &chapter("{{ figure(id=\"big\") }}\n"));
    let report = fails_clearly(&site, "data/big.toml");
    let line = dataset(100_000, false).lines().count() + 1;
    assert!(report.contains(&format!("data/big.toml:{line}:")), "{report}");
    assert!(report.contains("a figure draws at most 1000"), "{report}");
    assert!(report.contains("1 error found"), "one mistake, one error:\n{report}");
}

/// About `size` bytes of ordinary Markdown: paragraphs with inline markup,
/// lists, quotes, code and tables, with a heading every hundred blocks.
fn prose(size: usize) -> String {
    let mut out = String::with_capacity(size + 1024);
    let mut i = 0;
    while out.len() < size {
        if i % 100 == 0 {
            let _ = write!(out, "## Part {}\n\n", i / 100);
        }
        let _ = write!(
            out,
            "Paragraph {i} has *emphasis*, **strong** text, `code`, a [link](https://example.org/{i}) \
             and a footnote[^n{i}].\n\n[^n{i}]: Note {i}.\n\n- one\n- two\n  - nested\n\n\
             > A quote {i}.\n\n| a | b |\n|---|---|\n| {i} | x |\n\n```\ncode {i}\n```\n\n"
        );
        i += 1;
    }
    out.push_str("The last paragraph.\n");
    out
}

#[test]
fn five_megabytes_of_markdown_build_in_bounded_time() {
    let body = prose(5_000_000);
    assert!(body.len() >= 5_000_000);
    let site = TestSite::minimal().file("content/big.md", &chapter(&body));
    builds(&site);
    let page = site.read("big/index.html");
    assert!(page.contains("The last paragraph."));
    assert!(page.len() > 5_000_000, "{}", page.len());
}

#[test]
fn five_megabytes_of_markdown_dense_with_links_and_shortcodes_build_in_bounded_time() {
    let line = "See [the front page](@/index.md) at {{ value(data=\"d\", key=\"v\") }}.\n\n";
    let body = line.repeat(5_000_000 / line.len() + 1);
    let site = TestSite::minimal()
        .file("data/d.toml", &dataset(1, false))
        .file("content/big.md", &chapter(&body));
    builds(&site);
    assert!(site.read("big/index.html").contains("at 1."));
}

#[test]
fn links_and_shortcodes_on_a_few_thousand_lines_build_in_bounded_time() {
    let line = "See [the front page](@/index.md) at {{ value(data=\"d\", key=\"v\") }}.\n\n";
    let site = TestSite::minimal()
        .file("data/d.toml", &dataset(1, false))
        .file("content/big.md", &chapter(&line.repeat(1_000)));
    builds(&site);
    assert_eq!(site.read("big/index.html").matches("at 1.").count(), 1_000);
}

/// `n` headings with the same text, and the ids they must get: x, x-1, ...
fn same_headings(n: usize) -> (String, Vec<String>) {
    let body = "## x\n\n".repeat(n);
    let ids = (0..n).map(|i| if i == 0 { "x".to_string() } else { format!("x-{i}") }).collect();
    (body, ids)
}

#[track_caller]
fn assert_unique_ids(site: &TestSite, ids: &[String]) {
    let page = site.read("big/index.html");
    for id in ids {
        assert!(page.contains(&format!("<h2 id=\"{id}\">")), "no heading with id {id}");
    }
    let written = page.matches("<h2 id=\"x\"").count() + page.matches("<h2 id=\"x-").count();
    assert_eq!(written, ids.len(), "one id per heading");
}

#[test]
fn a_thousand_headings_of_the_same_text_get_unique_ids() {
    let (body, ids) = same_headings(1_000);
    let site = TestSite::minimal().file("content/big.md", &chapter(&body));
    builds(&site);
    assert_unique_ids(&site, &ids);
}

#[test]
fn ten_thousand_headings_of_the_same_text_get_unique_ids() {
    let (body, ids) = same_headings(10_000);
    let site = TestSite::minimal().file("content/big.md", &chapter(&body));
    builds(&site);
    assert_unique_ids(&site, &ids);
}

#[test]
fn lists_nested_10000_deep_build_in_bounded_time() {
    for (name, body) in [
        ("bullets", format!("{}deep\n", "- ".repeat(10_000))),
        ("numbers", format!("{}deep\n", "1. ".repeat(10_000))),
        ("mixed", format!("{}deep\n", "- 1. > ".repeat(3_400))),
        ("indented", (0..2_000).map(|i| format!("{}- level {i}\n", "  ".repeat(i))).collect()),
    ] {
        let site = TestSite::minimal().file("content/big.md", &chapter(&body));
        eprintln!("{name}");
        builds(&site);
        assert!(site.read("big/index.html").contains("<li>"), "{name}");
    }
}

#[test]
fn block_quotes_nested_10000_deep_build_in_bounded_time() {
    for body in [
        format!("{}deep\n", "> ".repeat(10_000)),
        format!("{}deep\n", ">".repeat(10_000)),
        (0..10_000).map(|i| format!("{}line {i}\n", "> ".repeat(i % 200))).collect(),
    ] {
        let site = TestSite::minimal().file("content/big.md", &chapter(&body));
        builds(&site);
        assert!(site.read("big/index.html").contains("<blockquote>"));
    }
}

#[test]
fn emphasis_links_and_brackets_by_the_ten_thousand_build_in_bounded_time() {
    for body in [
        "[".repeat(50_000),
        "*a ".repeat(50_000),
        "[a](".repeat(50_000),
        "<".repeat(50_000),
        format!("{}a", "_".repeat(50_000)),
        "`".repeat(50_000),
        format!("{}\n\n[^1]: x\n", "[^1]".repeat(20_000)),
        "\\{{ x }}".repeat(50_000),
    ] {
        let site = TestSite::minimal().file("content/big.md", &chapter(&body));
        builds(&site);
    }
}

#[test]
fn a_single_line_of_one_megabyte_builds_in_bounded_time() {
    let words = "word ".repeat(200_000);
    let one_word = "x".repeat(1_000_000);
    for (rel, text) in [
        ("content/big.md", chapter(&words)),
        ("content/big.md", chapter(&one_word)),
        ("content/big.md", chapter(&format!("# {words}\n"))),
        ("content/big.md", format!("+++\ntitle = \"{one_word}\"\n+++\nBody.\n")),
        ("content/big.md", format!("+++\ntitle = \"T\"\ndescription = \"{words}\"\n+++\nBody.\n")),
        ("data/big.toml", format!("title = \"T\"\nsource = \"S\"\nnote = \"{words}\"\n")),
    ] {
        let site = TestSite::minimal().file(rel, &text);
        builds(&site);
    }
}

#[test]
fn a_single_line_of_one_megabyte_of_shortcodes_builds_in_bounded_time() {
    let code = "{{ value(data=\"d\", key=\"v\") }} ";
    let line = code.repeat(1_000_000 / code.len());
    let site = TestSite::minimal()
        .file("data/d.toml", &dataset(1, false))
        .file("content/big.md", &chapter(&line));
    builds(&site);
}

#[test]
fn a_single_line_of_a_thousand_shortcodes_builds_in_bounded_time() {
    let code = "{{ value(data=\"d\", key=\"v\") }} ";
    let site = TestSite::minimal()
        .file("data/d.toml", &dataset(1, false))
        .file("content/big.md", &chapter(&code.repeat(1_000)));
    builds(&site);
}

#[test]
fn toml_nested_10000_deep_fails_with_a_clear_error() {
    let arrays = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let tables = format!("{}1{}", "{a = ".repeat(10_000), "}".repeat(10_000));
    let dotted = format!("x{} = 1", ".a".repeat(10_000));
    for nested in [&arrays, &tables] {
        let site =
            TestSite::minimal().file("book.toml", &format!("{BOOK}\n[extra]\nx = {nested}\n"));
        fails_clearly(&site, "book.toml");
        let site = TestSite::minimal()
            .file("content/a.md", &format!("+++\ntitle = \"A\"\nweight = {nested}\n+++\n"));
        fails_clearly(&site, "content/a.md");
        let site = TestSite::minimal()
            .file("data/d.toml", &format!("title = \"D\"\nsource = \"S\"\nnote = {nested}\n"));
        fails_clearly(&site, "data/d.toml");
    }
    let site = TestSite::minimal().file("book.toml", &format!("{BOOK}\n[extra]\n{dotted}\n"));
    fails_clearly(&site, "book.toml");
    let site =
        TestSite::minimal().file("content/a.md", &format!("+++\ntitle = \"A\"\n{dotted}\n+++\n"));
    fails_clearly(&site, "content/a.md");
    let site = TestSite::minimal()
        .file("data/d.toml", &format!("title = \"D\"\nsource = \"S\"\n[values]\n{dotted}\n"));
    fails_clearly(&site, "data/d.toml");
}

#[test]
fn toml_nested_a_hundred_deep_in_extra_builds_or_fails_clearly() {
    let nested = format!("{}1{}", "{a = ".repeat(100), "}".repeat(100));
    let site = TestSite::new()
        .file(
            "book.toml",
            &format!("{BOOK}\n[extra]\nx = {nested}\ny = {}{}\n", "[".repeat(100), "]".repeat(100)),
        )
        .file("content/index.md", INDEX);
    let (code, stderr) = build_bounded(&site);
    // Either is fine: a clear error about the depth, or a site.
    if code == 1 {
        assert!(stderr.contains("book.toml:"), "{stderr}");
    }
}

#[test]
fn three_thousand_case_studies_and_companies_build_in_bounded_time() {
    let site = TestSite::minimal();
    for i in 0..3_000 {
        site.write(
            format!("content/cases/case-{i}.md"),
            format!(
                "+++\ntitle = \"Case {i}\"\ndate = 2018-01-{:02}\nsummary = \"S {i}.\"\narea = \"Area {}\"\n\
                 issues = [\"Issue {}\"]\n\n[[companies]]\nname = \"Company {i}\"\nresponse = \"responded\"\n+++\n\nBody.\n",
                i % 28 + 1,
                i % 7,
                i % 11
            ),
        );
    }
    builds(&site);
    assert!(site.has("companies/company-2999/index.html"));
}

#[test]
fn a_table_header_nested_20000_keys_deep_is_reported_at_its_line() {
    let header = format!("[{}]", vec!["a"; 20_000].join("."));
    let site = TestSite::minimal()
        .file("data/d.toml", &format!("title = \"D\"\nsource = \"S\"\n{header}\nx = 1\n"));
    let report = fails_clearly(&site, "data/d.toml");
    assert!(report.contains("data/d.toml:3:1: error: nested too deeply"), "{report}");
    assert!(report.len() < 2_000, "the line is cut: {} bytes", report.len());
}
