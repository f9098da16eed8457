//! Accessibility in real Chromium: the repository's own site is built with a
//! loopback base URL, served by a small static server, and every kind of page
//! is opened in one headless Chromium, in light and dark colour schemes and
//! in a window 320 px wide (a phone, or a desktop zoomed to 400%); every
//! figure is looked at as readers see it, 1280 and 390 px wide.
//!
//! Needs Debian's chromium and axe-core's axe.min.js (`.ci/browser-deps`
//! installs both); without them every test here is reported as ignored with
//! the reason, unless BRIEFING_REQUIRE_BROWSER=1 (as in CI) makes that a failure.

mod browser {
    pub(crate) mod cdp;
    pub(crate) mod server;
    pub(crate) mod visit;
}

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result, bail};
use briefing::Failure;
use briefing::cli::BuildArgs;
use browser::cdp::Chromium;
use browser::visit::{Drawing, Tab, View, Visit};
use libtest_mimic::{Arguments, Completion, Failed, Trial};
use serde_json::json;

/// Where each kind of page is found in the built site. Adding a kind of page
/// (search, print, ...) to the tests is one line here.
const PAGE_KINDS: &[(&str, Find)] = &[
    ("front page", Find::At("")),
    ("chapter", Find::LargestWithBodyClass("kind-chapter")),
    ("case study", Find::LargestIn("cases")),
    ("cases list", Find::At("cases/")),
    ("term index", Find::At("issues/")),
    ("term page", Find::LargestIn("issues")),
    ("companies", Find::At("companies/")),
    ("company page", Find::LargestIn("companies")),
    ("figure page", Find::LargestIn("figures")),
    ("figure embed", Find::LargestWithBodyClass("kind-embed")),
    ("figures list", Find::At("figures/")),
    ("404 page", Find::Missing),
    ("French front page", Find::At("fr/")),
    ("French case study", Find::At("fr/cases/samsung-vietnam/")),
    ("untranslated page in French", Find::At("fr/cases/drc-minerals/")),
    ("print edition", Find::At("print/")),
    ("search page", Find::At("search/")),
];

/// The kind of page whose weight is limited, and the limit (HTML, CSS and JS, uncompressed).
const WEIGHED: (&str, u64) = ("case study", 50 * 1024);

/// The ways every page is looked at.
const VIEWS: &[View] = &[
    View {
        name: "light",
        scheme: "light",
        width: 1280,
        keyboard: true,
        figures: Some(Drawing::Wide),
    },
    View {
        name: "dark",
        scheme: "dark",
        width: 1280,
        keyboard: true,
        figures: Some(Drawing::Wide),
    },
    // WCAG 1.4.10: content reflows into 320 CSS pixels without scrolling
    // sideways. The same links in the same order: no second keyboard walk.
    // Figures are looked at on a phone 390 px wide instead (FIGURE_VIEWS).
    View {
        name: "light, 320 px wide",
        scheme: "light",
        width: 320,
        keyboard: false,
        figures: None,
    },
];

/// The ways every figure is looked at, on its own page, its embed page and
/// the chapters that place it: on a desktop and on a phone.
const FIGURE_VIEWS: &[View] = &[
    VIEWS[0],
    VIEWS[1],
    View {
        name: "light, 390 px wide",
        scheme: "light",
        width: 390,
        keyboard: false,
        figures: Some(Drawing::Narrow),
    },
];

/// How a kind of page is found among the built files.
enum Find {
    /// This path under the base URL.
    At(&'static str),
    /// The largest page `<folder>/<slug>/index.html`: the most there is to check.
    LargestIn(&'static str),
    /// The largest page whose `<body>` has this class.
    LargestWithBodyClass(&'static str),
    /// An address the site does not have; the server answers 404 with 404.html.
    Missing,
}

/// A check lists what is wrong in the visits.
type Check = fn(&[Visit]) -> Vec<String>;

/// The checks, each a test.
const CHECKS: &[(&str, Check)] = &[
    (
        "axe_finds_no_wcag_2_1_a_or_aa_violation_on_any_kind_of_page_light_dark_or_narrow",
        axe_violations,
    ),
    ("pages_log_no_console_error_and_make_no_failed_or_off_site_request", console_and_requests),
    ("pages_do_not_shift_their_layout_while_loading", layout_shifts),
    ("pages_reflow_into_320_px_without_scrolling_sideways", reflow),
    ("keyboard_alone_reaches_every_link_and_control_after_a_visible_skip_link", keyboard),
    ("case_study_page_with_its_css_and_js_is_under_50_kb", case_study_weight),
    ("filters_narrow_the_case_list_and_keep_their_choice_in_the_address", filters),
    ("the_company_table_sorts_by_any_column", sorting),
    ("the_print_edition_prints_to_a_pdf_of_many_pages", print_pdf),
    ("an_embedded_figure_posts_its_height_and_fits_390_px_without_scrolling_sideways", embedded),
    ("folded_figure_notes_open_to_print_and_fold_again_after", print_notes),
    (
        "search_shows_excerpts_with_marks_finds_word_forms_and_lands_on_the_match_in_english_and_french",
        search,
    ),
    (
        "figures_show_one_drawing_as_wide_as_their_column_with_texts_inside_apart_and_of_11_px_or_more",
        figures_as_read,
    ),
];

/// Every figure looked at, on a desktop and on a phone: the drawing meant
/// for the width alone is shown, as wide as its column and without
/// scrolling sideways; its texts stay inside it, apart from each other,
/// at least 11 px and in DejaVu Sans. A figure's own page and embed page
/// show it.
fn figures_as_read(visits: &[Visit]) -> Vec<String> {
    let mut problems = Vec::new();
    for v in visits.iter().filter(|v| v.figures_looked_at) {
        problems.extend(v.figures.iter().map(|p| format!("{}: {p}", v.label())));
        if let Some(figure) = &v.figure
            && !v.figures_seen.contains(figure)
        {
            problems.push(format!("{}: the page does not show its figure {figure}", v.label()));
        }
    }
    for view in FIGURE_VIEWS {
        let seen = visits.iter().filter(|v| v.view == view.name).flat_map(|v| &v.figures_seen);
        if seen.count() == 0 {
            problems.push(format!("no figure was seen in the view {}", view.name));
        }
    }
    problems
}

/// Queries typed into the header's box, in the language of the page they
/// are typed on: (page, query, a pattern every marked word matches, a
/// word a result must mark, the start of the kind of result to follow).
/// Each query is a form the briefing never writes, or writes in one page:
/// what it finds are other forms of the word.
const SEARCHES: &[(&str, &str, &str, &str, &str)] = &[
    ("", "pulling", "^pull(s|ed|ing)?$", "pulled", "Case study"),
    ("fr/", "gouverner", "^gouvern", "gouvernement", "Étude de cas"),
];

/// With the results of each of `SEARCHES` open: excerpts show with the
/// right words marked, only those, and axe finds nothing; following a
/// result lands on the words it marked, in the window, without a layout shift.
fn search(visits: &[Visit]) -> Vec<String> {
    let mut problems: Vec<String> = Vec::new();
    for v in visits.iter().filter(|v| v.kind == "search" || v.kind == "search landing") {
        let all = v.behaviour.iter().chain(&v.console_errors).chain(&v.failed_requests);
        problems.extend(all.chain(&v.violations).map(|p| format!("{}: {p}", v.label())));
        if v.layout_shift > 0.0 {
            problems.push(format!(
                "{}: layout shift {:.4} of {}",
                v.label(),
                v.layout_shift,
                v.shifted.join(", ")
            ));
        }
    }
    for kind in ["search", "search landing"] {
        let runs = visits.iter().filter(|v| v.kind == kind).count();
        if runs != SEARCHES.len() {
            problems.push(format!("{runs} {kind} visits, not {}", SEARCHES.len()));
        }
    }
    problems
}

/// With a query's results open: what is wrong with them, and the passage
/// of the result to follow (marked `data-follow`).
const SEARCH_SCRIPT: &str = r#"((forms, found, kind) => {
  const problems = [];
  const items = [...document.querySelectorAll(".search-popup .search-results li:not(.search-more)")];
  if (!items.length) return { problems: ["no results"], passage: "" };
  const excerpts = items.map(li => li.querySelector(".search-excerpt")).filter(Boolean);
  if (!excerpts.length) problems.push("no result shows an excerpt");
  const marks = excerpts.flatMap(x => [...x.querySelectorAll("mark")].map(m => m.textContent));
  if (!marks.some(m => m.toLowerCase() === found)) problems.push(`no excerpt marks “${found}”: ${marks.join(", ")}`);
  const wrong = marks.filter(m => !new RegExp(forms, "iu").test(m));
  if (wrong.length) problems.push("marked words that are not forms of the query: " + wrong.join(", "));
  if (excerpts.some(x => x.querySelector("*:not(mark)"))) problems.push("an excerpt holds elements other than <mark>");
  if (excerpts.some(x => x.textContent.split(/\s+/).length > 40)) problems.push("an excerpt is longer than 40 words");
  const link = items.map(li => li.querySelector("a")).find(a => a.href.includes(":~:text=")
    && a.closest("li").querySelector(".search-kind").textContent.startsWith(kind));
  if (!link) return { problems: problems.concat(["no result links to the words it found"]), passage: "" };
  link.setAttribute("data-follow", "");
  return { problems, passage: decodeURIComponent(link.href.split(":~:text=")[1]) };
})"#;

/// On the page a result opened: the passage its link named is in the
/// window, and was not there before the page scrolled to it.
const LANDING_SCRIPT: &str = r#"((passage) => {
  const norm = s => s.replace(/\s+/g, " ").trim().toLowerCase();
  const want = norm(passage);
  const holders = [...document.querySelectorAll("main *")].filter(e => norm(e.textContent).includes(want));
  const inner = holders.filter(e => !holders.some(o => o !== e && e.contains(o)));
  if (!inner.length) return ["the page has no “" + passage + "”"];
  const r = inner[0].getBoundingClientRect();
  const problems = [];
  if (r.bottom <= 0 || r.top >= innerHeight) problems.push(`“${passage}” is at ${Math.round(r.top)} px, outside the window`);
  if (r.top + scrollY < innerHeight) problems.push(`“${passage}” is in the first screen: landing on it was not tested`);
  return problems;
})"#;

fn print_notes(visits: &[Visit]) -> Vec<String> {
    scripted(visits, "print notes")
}

/// On a page that places a figure: every folded part (a figure's notes
/// among them) opens when the browser prints, and folds again after.
const PRINT_NOTES_SCRIPT: &str = r#"(() => {
  const problems = [];
  const notes = [...document.querySelectorAll("details.figure-notes")];
  if (notes.length === 0) return ["the page has no figure notes"];
  if (notes.some(d => d.open)) problems.push("figure notes are open before printing");
  window.dispatchEvent(new Event("beforeprint"));
  const folded = [...document.querySelectorAll("details")].filter(d => !d.open);
  if (folded.length) problems.push(folded.length + " <details> stay folded to print");
  window.dispatchEvent(new Event("afterprint"));
  if (notes.some(d => d.open)) problems.push("figure notes stay open after printing");
  return problems;
})()"#;

fn embedded(visits: &[Visit]) -> Vec<String> {
    scripted(visits, "embed")
}

/// A page of another site, 390 px wide, into which a reader pasted a
/// figure's embed code (`{code}`); it records the messages it gets.
const EMBED_HOST: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Another site</title>
<link rel="icon" href="data:,">
<style>body{margin:0;font-family:sans-serif}</style>
<script>window.__heard=[];addEventListener("message",function(e){var f=document.querySelector("iframe");window.__heard.push({data:e.data,fromFrame:!!f&&e.source===f.contentWindow})});</script>
</head>
<body>
<main><h1>Another site</h1><p>An article that shows a figure.</p>
{code}
</main>
</body>
</html>
"#;

/// In the page around an embedded figure: its frame's page posted its
/// height, the embed code's script made the frame that tall, and the
/// figure fits the frame's width without scrolling sideways.
const EMBED_SCRIPT: &str = r#"(() => new Promise(done => {
  const problems = [];
  const frame = document.querySelector("iframe");
  if (!frame) return done(["the embed code has no iframe"]);
  const started = Date.now();
  const check = () => {
    const heard = window.__heard.filter(m => m.fromFrame && m.data && m.data.type === "briefing-embed");
    const doc = frame.contentDocument;
    const loaded = doc && doc.readyState === "complete" && doc.querySelector("svg");
    if ((!loaded || heard.length === 0) && Date.now() - started < 10000) return setTimeout(check, 50);
    if (!loaded) return done(["the embed page did not load in its frame"]);
    if (heard.length === 0) problems.push("the embed page posted no height to the page around it");
    const content = Math.ceil(doc.documentElement.getBoundingClientRect().height);
    const posted = heard.length ? heard[heard.length - 1].data.height : null;
    if (posted !== content) problems.push("the embed page posted " + posted + " px, but it is " + content + " px tall");
    const tall = frame.getBoundingClientRect().height;
    if (Math.abs(tall - content) > 1) problems.push("the frame is " + tall + " px tall for a page " + content + " px tall");
    const root = doc.documentElement;
    if (frame.getBoundingClientRect().width !== 390) problems.push("the frame is " + frame.getBoundingClientRect().width + " px wide, not 390");
    if (root.scrollWidth > root.clientWidth) problems.push("the embed page scrolls sideways: " + root.scrollWidth + " px in " + root.clientWidth);
    if (root.scrollHeight > root.clientHeight + 1) problems.push("the frame scrolls: " + root.scrollHeight + " px in " + root.clientHeight);
    const svg = doc.querySelector("svg").getBoundingClientRect();
    if (svg.width < 300 || svg.right > root.clientWidth) problems.push("the chart is " + svg.width + " px wide, from " + svg.left + " to " + svg.right);
    done(problems);
  };
  check();
}))()"#;

fn print_pdf(visits: &[Visit]) -> Vec<String> {
    scripted(visits, "pdf")
}

fn scripted(visits: &[Visit], kind: &str) -> Vec<String> {
    let mut problems: Vec<String> = visits
        .iter()
        .filter(|v| v.kind == kind)
        .flat_map(|v| {
            v.behaviour
                .iter()
                .chain(&v.console_errors)
                .chain(&v.failed_requests)
                .map(move |p| format!("{}: {p}", v.label()))
        })
        .collect();
    if !visits.iter().any(|v| v.kind == kind) {
        problems.push(format!("no {kind} was run"));
    }
    problems
}

fn filters(visits: &[Visit]) -> Vec<String> {
    scripted(visits, "filters")
}

fn sorting(visits: &[Visit]) -> Vec<String> {
    scripted(visits, "sorting")
}

/// Opens the case list filtered through its address, checks what is shown
/// against the items' own terms, then changes a filter as a reader would.
const FILTERS_SCRIPT: &str = r#"(() => {
  const problems = [];
  const items = [...document.querySelectorAll(".case-item")];
  const want = items.filter(i => i.dataset.issue.split(" ").includes("labour-rights"));
  const shown = items.filter(i => !i.hidden);
  if (getComputedStyle(document.getElementById("filters")).display === "none") problems.push("the filter form stays hidden");
  if (want.length === 0 || want.length === items.length) problems.push("the fixture cannot show filtering: " + want.length + " of " + items.length);
  if (shown.length !== want.length || shown.some(i => !want.includes(i))) problems.push("?issue=labour-rights shows " + shown.length + " items, not " + want.length);
  if (document.querySelector('select[name="issue"]').value !== "labour-rights") problems.push("the issue select does not show the address's choice");
  const status = document.querySelector(".filter-status").textContent;
  if (!status.includes(String(want.length)) || !status.includes(String(items.length))) problems.push("the status says " + JSON.stringify(status));
  const year = document.querySelector('select[name="year"]');
  const y = want[0].dataset.year;
  year.value = y;
  year.dispatchEvent(new Event("change"));
  const both = items.filter(i => !i.hidden);
  const wantBoth = want.filter(i => i.dataset.year === y);
  if (both.length !== wantBoth.length) problems.push("issue and year together show " + both.length + ", not " + wantBoth.length);
  if (!location.search.includes("issue=labour-rights") || !location.search.includes("year=" + y)) problems.push("the address does not keep the choice: " + location.search);
  document.querySelector('#filters button[type="reset"]').click();
  return new Promise(done => setTimeout(() => {
    if (items.some(i => i.hidden)) problems.push("clearing the filters leaves items hidden");
    if (location.search !== "") problems.push("clearing the filters leaves " + location.search);
    done(problems);
  }, 50));
})()"#;

/// Sorts the company table by its response rate, both ways, and by name.
const SORTING_SCRIPT: &str = r#"(() => {
  const problems = [];
  const heads = [...document.querySelectorAll("table[data-sortable] thead th")];
  const rate = heads.findIndex(th => th.querySelector("button.sort") && /rate/i.test(th.textContent));
  if (rate < 0) return ["no sortable response-rate column"];
  const values = () => [...document.querySelectorAll("table[data-sortable] tbody tr")].map(r => parseFloat(r.cells[rate].dataset.sort));
  const sorted = (xs, dir) => xs.every((x, i) => i === 0 || dir * (x - xs[i - 1]) >= 0);
  heads[rate].querySelector("button").click();
  if (heads[rate].getAttribute("aria-sort") !== "ascending" || !sorted(values(), 1)) problems.push("the first click does not sort ascending");
  heads[rate].querySelector("button").click();
  if (heads[rate].getAttribute("aria-sort") !== "descending" || !sorted(values(), -1)) problems.push("the second click does not sort descending");
  if (heads.filter(th => th.hasAttribute("aria-sort")).length !== 1) problems.push("more than one column claims the order");
  return problems;
})()"#;

fn axe_violations(visits: &[Visit]) -> Vec<String> {
    visits
        .iter()
        .flat_map(|v| v.violations.iter().map(move |x| format!("{}: {x}", v.label())))
        .collect()
}

fn console_and_requests(visits: &[Visit]) -> Vec<String> {
    let mut problems = Vec::new();
    for v in visits {
        for e in &v.console_errors {
            problems.push(format!("{}: console error: {e}", v.label()));
        }
        for e in &v.failed_requests {
            problems.push(format!("{}: failed request: {e}", v.label()));
        }
        for e in &v.off_site_requests {
            problems.push(format!("{}: request to another host: {e}", v.label()));
        }
    }
    problems
}

fn layout_shifts(visits: &[Visit]) -> Vec<String> {
    visits
        .iter()
        .filter(|v| v.layout_shift > 0.0)
        .map(|v| {
            format!("{}: layout shift {:.4} of {}", v.label(), v.layout_shift, v.shifted.join(", "))
        })
        .collect()
}

fn reflow(visits: &[Visit]) -> Vec<String> {
    visits.iter().filter_map(|v| Some(format!("{}: {}", v.label(), v.reflow.as_ref()?))).collect()
}

fn keyboard(visits: &[Visit]) -> Vec<String> {
    visits
        .iter()
        .flat_map(|v| v.keyboard.iter().map(move |x| format!("{}: {x}", v.label())))
        .collect()
}

fn case_study_weight(visits: &[Visit]) -> Vec<String> {
    let (kind, limit) = WEIGHED;
    let mut problems = Vec::new();
    for v in visits.iter().filter(|v| v.kind == kind) {
        let total: u64 = v.weight.iter().map(|(_, bytes)| bytes).sum();
        let has_document = v.weight.iter().any(|(url, _)| *url == v.url);
        if !has_document {
            problems
                .push(format!("{}: the page itself was not among the weighed requests", v.label()));
        }
        if total >= limit {
            let parts: Vec<String> =
                v.weight.iter().map(|(url, b)| format!("{url} {b} B")).collect();
            problems.push(format!(
                "{}: {total} bytes, over {limit}: {}",
                v.label(),
                parts.join(", ")
            ));
        }
    }
    if problems.is_empty() && !visits.iter().any(|v| v.kind == kind) {
        problems.push(format!("no {kind} was visited"));
    }
    problems
}

fn main() {
    let args = Arguments::from_args();
    let setup = Arc::new(Setup::find());
    let trials = CHECKS
        .iter()
        .map(|&(name, check)| {
            let setup = Arc::clone(&setup);
            Trial::ignorable_test(name, move || setup.run(check))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

/// The browser and axe-core when both are there, or why not; the visits, made once for all checks.
struct Setup {
    tools: Result<(PathBuf, PathBuf), String>,
    is_required: bool,
    visits: OnceLock<Result<Vec<Visit>, String>>,
}

impl Setup {
    fn find() -> Setup {
        let is_required =
            std::env::var("BRIEFING_REQUIRE_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0");
        let tools = find_chromium().and_then(|chromium| Ok((chromium, find_axe()?)));
        Setup { tools, is_required, visits: OnceLock::new() }
    }

    fn run(&self, check: Check) -> Result<Completion, Failed> {
        let (chromium, axe) = match &self.tools {
            Ok(tools) => tools,
            Err(reason) if self.is_required => {
                return Err(format!("{reason}, and BRIEFING_REQUIRE_BROWSER is set").into());
            }
            Err(reason) => return Ok(Completion::ignored_with(format!("skipped: {reason}"))),
        };
        let visits = self
            .visits
            .get_or_init(|| visit_every_kind(chromium, axe).map_err(|e| format!("{e:#}")));
        let visits =
            visits.as_ref().map_err(|e| Failed::from(format!("the browser run failed: {e}")))?;
        let problems = check(visits);
        if problems.is_empty() {
            Ok(Completion::Completed)
        } else {
            Err(format!("{} problem(s):\n  {}", problems.len(), problems.join("\n  ")).into())
        }
    }
}

fn find_chromium() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("BRIEFING_CHROMIUM") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("BRIEFING_CHROMIUM names {}, which is not a file", path.display()))
        };
    }
    let on_path = std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths).map(|dir| dir.join("chromium")).collect::<Vec<_>>()
        })
        .unwrap_or_default();
    on_path.into_iter().find(|p| p.is_file()).ok_or_else(|| {
        "chromium not found on PATH (Debian's chromium package; .ci/browser-deps installs it)"
            .to_string()
    })
}

fn find_axe() -> Result<PathBuf, String> {
    let path = std::env::var_os("BRIEFING_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/axe/axe.min.js"));
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("axe-core not found at {} (.ci/browser-deps fetches it)", path.display()))
    }
}

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the repository's site, serves it and visits every kind of page in
/// each view, in one Chromium.
fn visit_every_kind(chromium: &Path, axe: &Path) -> Result<Vec<Visit>> {
    let axe =
        fs::read_to_string(axe).with_context(|| format!("failed to read {}", axe.display()))?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let origin = format!("http://{}", listener.local_addr()?);
    let base_path = "/briefing/";
    let tmp = tempfile::Builder::new().prefix("briefing-browser-").tempdir()?;
    let out = tmp.path().join("public");
    let args = BuildArgs {
        root: repo_root().to_path_buf(),
        output: Some(out.clone()),
        base_url: Some(format!("{origin}{base_path}")),
        quiet: true,
        ..BuildArgs::default()
    };
    match briefing::build(&args) {
        Ok(_) => {}
        Err(Failure::Site(d)) => bail!("the repository's site has errors:\n{}", d.report()),
        Err(Failure::Env(e)) => return Err(e.context("the repository's site did not build")),
    }
    browser::server::serve(listener, out.clone(), base_path.to_string());

    let pages = PAGE_KINDS
        .iter()
        .map(|(kind, find)| {
            let url = format!("{origin}{base_path}{}", locate(&out, kind, find)?);
            Ok((*kind, url, matches!(find, Find::Missing)))
        })
        .collect::<Result<Vec<_>>>()?;
    let screenshots = std::env::var_os("BRIEFING_SCREENSHOTS").map(PathBuf::from);
    if let Some(dir) = &screenshots {
        fs::create_dir_all(dir)?;
    }

    let mut browser = Chromium::launch(chromium)?;
    let mut tab = Tab::open(&mut browser, &origin)?;
    let mut visits = Vec::new();
    for view in VIEWS {
        tab.show_as(view)?;
        for (kind, url, is_missing) in &pages {
            let mut visit = tab
                .visit(kind, view, url, *is_missing, &axe, screenshots.as_deref())
                .with_context(|| format!("visiting {kind} ({}) at {url}", view.name))?;
            if *kind == WEIGHED.0 {
                visit.weight = tab.weigh(&out, base_path)?;
            }
            visits.push(visit);
        }
    }
    // Every figure on its own page, its embed page and the chapters that
    // place it, on a desktop and on a phone; a page already looked at in a
    // view above is not loaded again.
    let figure_pages = figure_pages(&out)?;
    for view in FIGURE_VIEWS {
        tab.show_as(view)?;
        for (kind, path, figure) in &figure_pages {
            let url = format!("{origin}{base_path}{path}");
            if let Some(done) = visits.iter_mut().find(|v| v.url == url && v.view == view.name) {
                done.figure.clone_from(figure);
                continue;
            }
            let shot = format!("{path} {}", view.name);
            let visit = tab
                .look(kind, view, &url, figure.clone(), screenshots.as_deref().zip(Some(&*shot)))
                .with_context(|| format!("looking at the figures of {url} ({})", view.name))?;
            visits.push(visit);
        }
    }
    // A figure's embed code, as a reader copies it from the figure's page,
    // pasted into a page of another site (served from the same origin, so
    // that the check can look into the frame) 390 px wide: a phone.
    let figure = pages.iter().find(|(kind, ..)| *kind == "figure page").context("a figure page")?;
    let figure_path = figure.1.strip_prefix(&format!("{origin}{base_path}")).unwrap_or("");
    let html = fs::read_to_string(out.join(figure_path).join("index.html"))?;
    let code = embed_code(&html).context("the figure page shows no embed code")?;
    // Where the figure is placed, for its notes in print.
    let placed = html
        .split("<section class=\"placed-in\"")
        .nth(1)
        .and_then(|s| s.split("href=\"").nth(1))
        .and_then(|s| s.split(['"', '#']).next())
        .and_then(|s| s.strip_prefix(base_path))
        .context("the figure page says where the figure is placed")?
        .to_string();
    fs::create_dir_all(out.join("elsewhere"))?;
    fs::write(out.join("elsewhere/index.html"), EMBED_HOST.replace("{code}", &code))?;
    tab.call(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 390, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
    )?;
    for (kind, path, script) in [
        ("filters", "cases/?issue=labour-rights", FILTERS_SCRIPT),
        ("sorting", "companies/", SORTING_SCRIPT),
        ("embed", "elsewhere/", EMBED_SCRIPT),
        ("print notes", placed.as_str(), PRINT_NOTES_SCRIPT),
    ] {
        let url = format!("{origin}{base_path}{path}");
        let (value, mut visit) =
            tab.run(kind, &url, script).with_context(|| format!("running {kind} at {url}"))?;
        visit.behaviour = value
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
            .unwrap_or_else(|| vec![format!("the script returned {value}")]);
        visits.push(visit);
    }
    // Queries typed into the header's box, with their results open, then
    // a result followed, in a desktop window.
    tab.show_as(&VIEWS[0])?;
    for (page, query, forms, found, kind) in SEARCHES {
        let url = format!("{origin}{base_path}{page}");
        let check = format!("{SEARCH_SCRIPT}({forms:?}, {found:?}, {kind:?})");
        let (value, mut visit) = tab
            .search(&url, query, &check, &axe)
            .with_context(|| format!("searching {query:?} at {url}"))?;
        visit.behaviour.extend(
            value["problems"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_str().map(String::from)),
        );
        let passage = value["passage"].as_str().unwrap_or("").to_string();
        visits.push(visit);
        let (value, mut visit) = if passage.is_empty() {
            (json!(["no result to follow"]), tab.run("search landing", &url, "true")?.1)
        } else {
            let check = format!("{LANDING_SCRIPT}({passage:?})");
            tab.follow("search landing", "a[data-follow]", &check)
                .with_context(|| format!("following a result of {query:?}"))?
        };
        visit.behaviour = value
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
            .unwrap_or_else(|| vec![format!("the script returned {value}")]);
        visits.push(visit);
    }
    // The print edition as a PDF: what a reader gets from "Save as PDF".
    // BRIEFING_PDF=FILE keeps it, to look at.
    let url = format!("{origin}{base_path}print/");
    let pdf = tab.pdf(&url).with_context(|| format!("printing {url}"))?;
    let mut problems = Vec::new();
    if !pdf.starts_with(b"%PDF-") {
        problems.push("the print edition did not print to a PDF".to_string());
    }
    let pages = pdf.windows(11).filter(|w| w == b"/Type /Page").count();
    if pages < 15 {
        problems.push(format!("the PDF has {pages} pages; the whole briefing needs more"));
    }
    if let Some(path) = std::env::var_os("BRIEFING_PDF") {
        fs::write(&path, &pdf)?;
    }
    let (_, mut visit) = tab.run("pdf", &url, "true")?;
    visit.behaviour = problems;
    visits.push(visit);
    drop(tab);
    browser.close();
    Ok(visits)
}

/// The embed code a figure page shows (in its `<textarea id="embed-code">`), unescaped.
fn embed_code(html: &str) -> Option<String> {
    let start = html.find("<textarea id=\"embed-code\"")?;
    let shown = &html[start..];
    let shown = &shown[shown.find('>')? + 1..shown.find("</textarea>")?];
    Some(
        shown
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

/// The pages that show figures: every figure's page and embed page, in
/// every language, and every chapter that places a figure; each with its
/// kind, its path under the base URL and, for a figure's own pages, the
/// figure as `lang:id`.
fn figure_pages(out: &Path) -> Result<Vec<(&'static str, String, Option<String>)>> {
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry?;
        if entry.file_name() != "index.html" {
            continue;
        }
        let folder = entry.path().parent().and_then(|p| p.strip_prefix(out).ok());
        let parts: Vec<String> = folder
            .into_iter()
            .flat_map(|p| p.components())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let path: String = parts.iter().map(|p| format!("{p}/")).collect();
        let html = fs::read_to_string(entry.path())?;
        let lang = html.split("<html lang=\"").nth(1).and_then(|s| s.split('"').next());
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        // Figures are at figures/<id>/ in the first language, <lang>/figures/<id>/ in the others.
        let (kind, id) = match parts.as_slice() {
            [lang @ .., "figures", id] if lang.len() <= 1 => ("figure page", Some(*id)),
            [lang @ .., "figures", id, "embed"] if lang.len() <= 1 => ("figure embed", Some(*id)),
            _ if has_body_class(&html, "kind-chapter") && html.contains("class=\"chart-wrap\"") => {
                ("chapter", None)
            }
            _ => continue,
        };
        let figure = id.map(|id| format!("{}:{id}", lang.unwrap_or("?")));
        pages.push((kind, path, figure));
    }
    if !pages.iter().any(|(kind, ..)| *kind == "figure page") {
        bail!("the built site has no figure pages");
    }
    Ok(pages)
}

/// Whether the `<body>` of the page `html` has the class `class`.
fn has_body_class(html: &str, class: &str) -> bool {
    html.split("<body class=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .is_some_and(|classes| classes.split_whitespace().any(|c| c == class))
}

/// The path under the base URL of the page `find` names.
fn locate(out: &Path, kind: &str, find: &Find) -> Result<String> {
    let pages = || {
        walkdir::WalkDir::new(out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == "index.html")
            .filter_map(|e| {
                let rel = e.path().strip_prefix(out).ok()?.parent()?.to_str()?.replace('\\', "/");
                let size = e.metadata().ok()?.len();
                Some((rel, size, e.into_path()))
            })
            .collect::<Vec<_>>()
    };
    let largest = |candidates: Vec<(String, u64, PathBuf)>| {
        candidates
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(rel, ..)| format!("{rel}/"))
    };
    let found = match find {
        Find::At(path) => out.join(path).join("index.html").is_file().then(|| path.to_string()),
        Find::LargestIn(folder) => largest(
            pages()
                .into_iter()
                .filter(|(rel, ..)| {
                    rel.strip_prefix(folder)
                        .and_then(|r| r.strip_prefix('/'))
                        .is_some_and(|slug| !slug.contains('/'))
                })
                .collect(),
        ),
        Find::LargestWithBodyClass(class) => largest(
            pages()
                .into_iter()
                .filter(|(.., path)| {
                    has_body_class(&fs::read_to_string(path).unwrap_or_default(), class)
                })
                .collect(),
        ),
        Find::Missing => Some("no-such-page/".to_string()),
    };
    found.with_context(|| format!("the built site has no {kind}"))
}
