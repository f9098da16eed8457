//! The command line through the real binary: `init`, `new case`, `check`,
//! and exit statuses (0 success, 1 site errors, 2 usage).

mod common;

use std::fs;
use std::path::Path;

use common::{TestSite, run_in, today_utc};

/// Runs `briefing init site` in a fresh temporary folder; the site is its `site/`.
fn init_site() -> TestSite {
    let site = TestSite::new();
    fs::remove_dir(site.root()).expect("TestSite::new makes an empty root");
    let (status, _, stderr) = run_in(site.tmp(), &["init", "site"]);
    assert_eq!(status, 0, "{stderr}");
    site
}

#[test]
fn init_makes_a_site_that_builds() {
    let site = init_site();
    assert!(site.root().join("book.toml").is_file());
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "a new site builds without warnings:\n{stderr}");
    assert!(site.has("index.html"), "{:?}", site.files());
    let (status, _, stderr) = site.cli(&["check"]);
    assert_eq!(status, 0, "{stderr}");
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let site = TestSite::new().file("keep.txt", "mine");
    let (status, _, stderr) = run_in(site.tmp(), &["init", "site"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(common::list_files(site.root()), ["keep.txt"]);
    assert_eq!(site.source("keep.txt"), "mine");
}

/// Writes `new case "Title"` into a new site and returns the file's text.
fn new_case_text() -> String {
    let site = init_site();
    let (status, _, stderr) = site.cli(&["new", "case", "Title"]);
    assert_eq!(status, 0, "{stderr}");
    site.source("content/cases/title.md")
}

/// Asserts that each of `keys`, looked for from the line after `from` on
/// (commented out or not), is explained by a comment on its line or the line above.
#[track_caller]
fn assert_keys_explained(text: &str, from: &str, keys: &[&str]) {
    let lines: Vec<&str> = text.lines().collect();
    let start =
        lines.iter().position(|l| *l == from).unwrap_or_else(|| panic!("no {from}:\n{text}"));
    assert!(start == 0 || lines[start - 1].starts_with('#'), "{from} has no comment:\n{text}");
    for key in keys {
        let at = (start + 1..lines.len())
            .find(|&i| lines[i].trim_start_matches(['#', ' ']).starts_with(&format!("{key} =")))
            .unwrap_or_else(|| panic!("no key {key} after {from}:\n{text}"));
        let explained = lines[at].contains(" # ") || lines[at - 1].starts_with('#');
        assert!(explained, "{key} (after {from}) has no comment:\n{text}");
    }
}

#[test]
fn new_case_writes_a_draft_dated_today() {
    let before = today_utc();
    let text = new_case_text();
    let after = today_utc();
    assert!(text.contains("title = \"Title\"\n"), "{text}");
    assert!(
        text.contains(&format!("date = {before}\n")) || text.contains(&format!("date = {after}\n")),
        "not dated today ({before}):\n{text}"
    );
    assert!(text.contains("\ndraft = true\n"), "{text}");
}

#[test]
fn new_case_is_dated_with_the_local_date_not_the_utc_one() {
    // POSIX TZ strings (no time-zone database needed): 14 hours ahead of
    // UTC, and 12 behind; at any moment at least one of them is not UTC's day.
    let site = init_site();
    for (tz, offset) in [("AHEAD-14", 14 * 3600), ("BEHIND+12", -12 * 3600)] {
        let before = common::today_at_offset(offset);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(["new", "case", tz, "--root"])
            .arg(site.root())
            .env("TZ", tz)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let after = common::today_at_offset(offset);
        let text =
            site.source(&format!("content/cases/{}.md", tz.to_lowercase().replace('+', "-")));
        assert!(
            text.contains(&format!("\ndate = {before}\n"))
                || text.contains(&format!("\ndate = {after}\n")),
            "TZ={tz}: not dated {before}:\n{text}"
        );
    }
}

#[test]
fn new_case_explains_every_front_matter_and_company_key() {
    let text = new_case_text();
    let top =
        ["title", "date", "summary", "area", "issues", "regions", "draft", "slug", "description"];
    assert_keys_explained(&text, "+++", &top);
    assert_keys_explained(&text, "[[companies]]", &["name", "hq", "response", "response_url"]);
}

#[test]

fn new_case_explains_every_source_key() {
    let text = new_case_text();
    assert_keys_explained(&text, "[[sources]]", &["title", "url"]);
}

#[test]
fn second_new_case_with_the_same_title_gets_a_numbered_file() {
    let site = init_site();
    assert_eq!(site.cli(&["new", "case", "Title"]).0, 0);
    let first = site.source("content/cases/title.md");
    let (status, _, stderr) = site.cli(&["new", "case", "Title"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(Path::new(&site.root().join("content/cases/title-2.md")).is_file(), "{stderr}");
    assert_eq!(site.source("content/cases/title.md"), first, "the first file was overwritten");
}

#[test]
fn new_cases_are_drafts_that_build_with_drafts() {
    let site = init_site();
    assert_eq!(site.cli(&["new", "case", "Title"]).0, 0);
    assert_eq!(site.cli(&["new", "case", "Title"]).0, 0);

    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(!site.has("cases/title/index.html"), "a new case is a draft");

    let (status, _, stderr) = site.cli(&["build", "--drafts"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(site.read("cases/title/index.html").contains("Title"));
    assert!(site.has("cases/title-2/index.html"), "{:?}", site.files());
    let (status, _, stderr) = site.cli(&["check", "--drafts"]);
    assert_eq!(status, 0, "{stderr}");
}

#[test]
fn wrong_usage_exits_with_status_2() {
    let site = TestSite::fixture("small_site");
    for args in [
        &["frobnicate"][..],
        &["build", "--frobnicate"],
        &["check", "--output", "x"],
        &["new", "case"],
        &["new", "chapter", "x"],
        &["init", "a", "b"],
        &["completions", "tcsh"],
        &["serve", "-p", "port"],
        &[],
    ] {
        let (status, _, stderr) = run_in(site.root(), args);
        assert_eq!(status, 2, "briefing {args:?}:\n{stderr}");
        assert!(!stderr.is_empty(), "briefing {args:?} says what is wrong");
    }
    assert!(!site.out().exists(), "wrong usage built something");
}

#[test]
fn check_exits_0_on_a_good_site_and_1_on_a_bad_one() {
    let site = TestSite::fixture("small_site");
    let (status, _, stderr) = site.cli(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    site.write(
        "content/chapter.md",
        "+++\ntitle = \"A chapter\"\n+++\n\n{{ figure(id=\"nope\") }}\n",
    );
    let (status, _, stderr) = site.cli(&["check"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains("content/chapter.md:5:1: error: unknown figure id \"nope\""),
        "{stderr}"
    );
}

#[test]
fn build_exits_0_and_says_what_it_wrote() {
    let site = TestSite::fixture("small_site");
    let (status, _, stderr) = site.cli(&["build"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("built"), "{stderr}");
    assert!(site.has("index.html"));
}

#[test]

fn invalid_base_url_flag_is_a_usage_error() {
    let site = TestSite::fixture("small_site");
    let (status, _, stderr) = site.cli(&["build", "--base-url", "not-a-url"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("not-a-url"), "{stderr}");
    assert!(!site.out().exists());
}

#[test]
fn quiet_prints_nothing_and_verbose_prints_the_stages() {
    let site = TestSite::minimal();
    let (status, _, stderr) = site.cli(&["build", "--verbose"]);
    assert_eq!(status, 0);
    for stage in ["load: ", "render: ", "links: ", "write: ", "built "] {
        assert!(stderr.contains(stage), "{stage} in {stderr}");
    }
    // Nothing changed since: the build is skipped, and says so with --verbose.
    let (status, _, stderr) = site.cli(&["build", "--verbose"]);
    assert_eq!(status, 0);
    assert!(stderr.contains("unchanged: ") && !stderr.contains("render: "), "{stderr}");
    let (status, _, stderr) = site.cli(&["build", "--quiet"]);
    assert_eq!((status, stderr.as_str()), (0, ""));
}

#[test]
fn piped_build_output_has_no_progress_bar() {
    // The bar would be due at once; stderr is a pipe here, so it never draws.
    let site = TestSite::fixture("small_site");
    for extra in [&[][..], &["--verbose"], &["--quiet"]] {
        let mut args = vec!["build", "--progress-delay-ms", "0"];
        args.extend(extra);
        let (status, _, stderr) = site.cli(&args);
        assert_eq!(status, 0, "{stderr}");
        assert!(!stderr.contains(['\u{1b}', '\r']), "briefing {args:?} drew:\n{stderr:?}");
        let lines: Vec<&str> = stderr.lines().collect();
        match extra {
            [] => assert!(lines.len() == 1 && lines[0].starts_with("built "), "{stderr:?}"),
            ["--quiet"] => assert_eq!(stderr, ""),
            _ => assert!(lines.last().is_some_and(|l| l.starts_with("built ")), "{stderr:?}"),
        }
    }
    let (_, stdout, _) = site.cli(&["build", "--help"]);
    assert!(!stdout.contains("progress"), "a test knob is not in the help:\n{stdout}");
}

#[test]
fn version_names_the_release_and_for_a_build_from_git_its_commit() {
    let site = TestSite::new();
    let (status, stdout, stderr) = run_in(site.tmp(), &["--version"]);
    assert_eq!(status, 0, "{stderr}");
    let release = format!("briefing {}", env!("CARGO_PKG_VERSION"));
    // build.rs asks git for the commit when the crate is a checkout of its own.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let commit = root
        .join(".git")
        .exists()
        .then(|| {
            let out = std::process::Command::new("git")
                .arg("-C")
                .arg(root)
                .args(["rev-parse", "--short=7", "HEAD"])
                .output()
                .ok()?;
            out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        })
        .flatten();
    match commit {
        Some(commit) => assert_eq!(stdout.trim(), format!("{release} ({commit})")),
        None => assert_eq!(stdout.trim(), release),
    }
}

/// The complete small site with two mistakes and a warning: an unknown issue
/// (content/cases/c.md:6:11), an unknown response (content/cases/c.md:11:12)
/// and `date` on a chapter (content/chapter.md:1:1, a warning).
fn site_with_two_mistakes() -> TestSite {
    use common::fixtures::{BOOK_WITH_TERMS, CASE, CHAPTER, DATASET, INDEX_WITH_LINKS};
    TestSite::new()
        .file("book.toml", BOOK_WITH_TERMS)
        .file("content/index.md", INDEX_WITH_LINKS)
        .file(
            "content/chapter.md",
            &CHAPTER.replace("weight = 1\n", "weight = 1\ndate = 2018-01-01\n"),
        )
        .file(
            "content/cases/c.md",
            &CASE
                .replace("\"Labour rights\"", "\"Labor rights\"")
                .replace("\"responded\"", "\"respondd\""),
        )
        .file("data/d.toml", DATASET)
}

fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn json_messages_are_one_object_per_diagnostic_then_a_summary_on_stdout() {
    let site = site_with_two_mistakes();
    let (status, stdout, stderr) = run_in(site.root(), &["build", "--message-format", "json"]);
    assert_eq!(status, 1, "{stdout}{stderr}");
    assert_eq!(stderr, "", "JSON alone, on stdout");
    let lines = json_lines(&stdout);
    assert_eq!(lines.len(), 4, "{stdout}");
    assert_eq!(
        lines[0],
        serde_json::json!({
            "type": "diagnostic",
            "severity": "error",
            "code": "content/unknown-term",
            "file": "content/cases/c.md",
            "line": 6, "column": 11, "end_line": 6, "end_column": 25,
            "message": "unknown issue \"Labor rights\"",
            "help": "did you mean \"Labour rights\"? known issues are \"Labour rights\", \"Right to privacy\" (as listed under [taxonomies] in book.toml)",
        })
    );
    assert_eq!(
        (&lines[1]["code"], &lines[1]["file"], &lines[1]["line"], &lines[1]["column"]),
        (&"content/unknown-response".into(), &"content/cases/c.md".into(), &11.into(), &12.into())
    );
    assert_eq!(
        (&lines[2]["severity"], &lines[2]["code"], &lines[2]["file"], &lines[2]["line"]),
        (
            &"warning".into(),
            &"content/misplaced-key".into(),
            &"content/chapter.md".into(),
            &1.into()
        )
    );
    assert_eq!(
        lines[3],
        serde_json::json!({"type": "summary", "command": "build", "success": false, "errors": 2, "warnings": 1})
    );
    // `check` speaks the same, and a good site ends with a successful summary.
    let (status, stdout, _) = run_in(site.root(), &["check", "--message-format", "json"]);
    assert_eq!(status, 1);
    assert_eq!(json_lines(&stdout)[..3], lines[..3]);
    site.write("content/cases/c.md", common::fixtures::CASE);
    let (status, stdout, stderr) = run_in(site.root(), &["build", "--message-format", "json"]);
    assert_eq!((status, stderr.as_str()), (0, ""), "{stdout}");
    let lines = json_lines(&stdout);
    assert_eq!(lines.len(), 2, "the warning, then the summary: {stdout}");
    let summary = &lines[1];
    assert_eq!(
        (&summary["success"], &summary["errors"], &summary["warnings"]),
        (&true.into(), &0.into(), &1.into())
    );
    assert!(summary["pages"].as_u64().is_some_and(|n| n > 3), "{summary}");
}

#[test]
fn github_messages_are_workflow_commands_with_escaped_properties() {
    let site = site_with_two_mistakes();
    // A folder whose name needs escaping in a property.
    fs::rename(site.root(), site.tmp().join("a,b:c")).expect("rename");
    let (status, stdout, stderr) =
        run_in(site.tmp(), &["check", "--root", "a,b:c", "--message-format", "github"]);
    assert_eq!(status, 1, "{stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "::error file=a%2Cb%3Ac/content/cases/c.md,line=6,col=11,endLine=6,endColumn=24,title=content/unknown-term::unknown issue \"Labor rights\"%0Ahelp: did you mean \"Labour rights\"? known issues are \"Labour rights\", \"Right to privacy\" (as listed under [taxonomies] in book.toml)"
    );
    assert!(
        lines[1].starts_with("::error file=a%2Cb%3Ac/content/cases/c.md,line=11,col=12,"),
        "{stdout}"
    );
    assert!(
        lines[2].starts_with("::warning file=a%2Cb%3Ac/content/chapter.md,line=1,col=1,")
            && lines[2].contains(
                ",title=content/misplaced-key::`date` is only used on case studies%0Ahelp: "
            ),
        "{stdout}"
    );
    assert_eq!(lines.len(), 3, "{stdout}");
    // The report for people is still on stderr, for the log.
    assert!(stderr.contains("content/cases/c.md:6:11: error: unknown issue"), "{stderr}");
    let (status, stdout, _) =
        run_in(site.tmp(), &["build", "--root", "a,b:c", "--message-format", "github"]);
    assert_eq!(status, 1);
    assert_eq!(stdout.lines().collect::<Vec<_>>(), lines);
}

#[test]
fn init_without_a_folder_makes_the_site_in_the_current_one_when_it_is_empty() {
    let site = TestSite::new();
    let (status, _, stderr) = run_in(site.root(), &["init"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("created a new site here"), "{stderr}");
    assert!(
        site.root().join("book.toml").is_file() && site.root().join("content/index.md").is_file()
    );
    let (status, _, stderr) = run_in(site.root(), &["build"]);
    assert_eq!(status, 0, "{stderr}");
    // Not empty any more: refused, and nothing changed.
    let before = common::tree(site.root());
    let (status, _, stderr) = run_in(site.root(), &["init"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(common::tree(site.root()), before);
}

#[test]
fn root_may_come_before_or_after_the_command_and_short_flags_work() {
    let site = TestSite::fixture("small_site");
    let root = site.root().to_str().expect("UTF-8 temp path");
    for args in [
        &["--root", root, "check"][..],
        &["check", "--root", root],
        &["-r", root, "check"],
        &["check", "-r", root],
    ] {
        let (status, _, stderr) = run_in(site.tmp(), args);
        assert_eq!(status, 0, "briefing {args:?}:\n{stderr}");
    }
    // From elsewhere, with no --root, there is no site.
    assert_eq!(run_in(site.tmp(), &["check"]).0, 1);
    let out = site.tmp().join("elsewhere");
    let out_arg = out.to_str().expect("UTF-8 temp path");
    let (status, _, stderr) = run_in(
        site.tmp(),
        &["-r", root, "build", "-o", out_arg, "-u", "https://example.net/sub/", "-q"],
    );
    assert_eq!((status, stderr.as_str()), (0, ""));
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).expect("built into -o");
    assert!(sitemap.contains("https://example.net/sub/"), "{sitemap}");
    let (status, _, stderr) =
        run_in(site.tmp(), &["build", "-r", root, "-o", out_arg, "-v", "--force"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("render: "), "-v is --verbose:\n{stderr}");
    let (status, _, stderr) = run_in(site.tmp(), &["-r", root, "new", "case", "From afar"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(site.root().join("content/cases/from-afar.md").is_file(), "{stderr}");
}

#[test]
fn completions_are_printed_for_bash_zsh_fish_and_powershell() {
    let site = TestSite::new();
    for (shell, mark) in [
        ("bash", "complete -F _briefing"),
        ("zsh", "#compdef briefing"),
        ("fish", "complete -c briefing"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (status, stdout, stderr) = run_in(site.root(), &["completions", shell]);
        assert_eq!(status, 0, "{shell}: {stderr}");
        assert!(stdout.contains(mark), "{shell} lacks {mark:?}:\n{stdout}");
        for word in ["build", "serve", "check", "message-format", "drafts", "root"] {
            assert!(stdout.contains(word), "{shell} does not complete {word}");
        }
    }
}

#[test]
fn new_case_takes_its_terms_from_the_sites_own_vocabularies_and_builds() {
    let book = "[book]\ntitle = \"Farms\"\n\n[site]\nbase_url = \"https://example.org/\"\n\n\
                [taxonomies]\nareas = [\"Agriculture\", \"Fishing\"]\nissues = [\"Land rights\"]\n\
                regions = []\ncompanies = [\"Grain \\\"Co\\\"\"]\n";
    let site = TestSite::minimal().file("book.toml", book);
    let (status, _, stderr) = site.cli(&["new", "case", "A farm"]);
    assert_eq!(status, 0, "{stderr}");
    let text = site.source("content/cases/a-farm.md");
    for line in [
        "\narea = \"Agriculture\"\n",
        "\nissues = [\"Land rights\"]\n",
        "\n# regions = [\"...\"]\n",
        "\nname = 'Grain \"Co\"'",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    let (status, _, stderr) = site.cli(&["build", "--drafts"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(site.read("cases/a-farm/index.html").contains("Agriculture"));

    // Open vocabularies (no [taxonomies]): examples, and it builds too.
    let site = TestSite::minimal();
    assert_eq!(site.cli(&["new", "case", "Open"]).0, 0);
    let text = site.source("content/cases/open.md");
    assert!(text.contains("\nissues = [\"Labour rights\"]\n"), "{text}");
    let (status, _, stderr) = site.cli(&["build", "--drafts"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(site.has("cases/open/index.html"));

    // A closed list of companies with none in it: the table is commented out.
    let site = TestSite::minimal().file(
        "book.toml",
        &format!(
            "{}\n[taxonomies]\nareas = [\"Mining\"]\ncompanies = []\n",
            common::fixtures::BOOK
        ),
    );
    assert_eq!(site.cli(&["new", "case", "None"]).0, 0);
    let text = site.source("content/cases/none.md");
    assert!(text.contains("\n# [[companies]]\n# name = \"...\""), "{text}");
    let (status, _, stderr) = site.cli(&["build", "--drafts"]);
    assert_eq!(status, 0, "{stderr}");
}
