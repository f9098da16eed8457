//! Properties of the parsers (issue 7), over arbitrary strings and over
//! valid files with random edits: no panic, every diagnostic placed at a real
//! line and column of its file, the same answer twice, and slugs that are
//! always slugs. And shares that add up (issue 18): the percentages printed
//! on pies, donuts and waffles of random share sets add up to 100, and a
//! waffle's cells agree with its labels.

mod common;

use briefing::config::{self, Config};
use briefing::diag::Diagnostic;
use briefing::figures::{self, Figure};
use briefing::i18n::Words;
use briefing::slug::{is_slug, slugify};
use briefing::{content, data};
use common::fixtures::{BOOK_EVERY_KEY, CASE_EVERY_KEY, CHAPTER_EVERY_KEY, DATASET_EVERY_KEY};
use proptest::prelude::*;

/// Cases per property: enough to find shallow bugs, few enough for `cargo test`;
/// `PROPTEST_CASES=20000 cargo test --test properties` digs deeper.
fn cases() -> ProptestConfig {
    if std::env::var_os("PROPTEST_CASES").is_some() {
        ProptestConfig::default()
    } else {
        ProptestConfig { cases: 256, ..ProptestConfig::default() }
    }
}

/// The configuration pages are parsed against: closed areas and issues, open regions.
fn config() -> Config {
    config::parse(BOOK_EVERY_KEY).expect("BOOK_EVERY_KEY is valid")
}

/// Pieces that Markdown, front matter and shortcodes care about.
const PIECES: [&str; 40] = [
    "+++\n",
    "+++",
    "title = \"T\"\n",
    "date = 2018-01-01\n",
    "[[companies]]\n",
    "name = \"A\"\n",
    "{{",
    "}}",
    "figure(",
    "figref(",
    "value(",
    "id=\"d\"",
    "data=\"d\", key=\"rate\"",
    ")",
    "\"",
    "'",
    "@/",
    "[x](@/index.md#a)",
    "[x](@/cases/c.md)",
    "\n",
    "\r\n",
    "\u{feff}",
    "`",
    "```\n",
    "# ",
    "## x\n",
    "- ",
    "> ",
    "|",
    "[^1]",
    "\\",
    "\u{E000}",
    "\u{E001}",
    "\u{E002}",
    "é",
    "𝄞",
    "<script>",
    "&",
    " ",
    "\t",
];

/// Text made of `PIECES` and arbitrary characters.
fn markdownish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(&PIECES[..]).prop_map(str::to_string),
            1 => any::<char>().prop_map(|c| c.to_string()),
            1 => "[a-z ]{0,8}",
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
}

/// An edit of a text: at a position (a fraction of its length), delete some
/// characters and insert a string.
#[derive(Debug, Clone)]
struct Edit {
    at: f64,
    delete: usize,
    insert: String,
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let insert = prop_oneof![
        Just(String::new()),
        prop::sample::select(&PIECES[..]).prop_map(str::to_string),
        any::<char>().prop_map(|c| c.to_string()),
        "[\\[\\]{}=\"#.,0-9a-z\n]{1,4}",
    ];
    prop::collection::vec(
        (0.0..=1.0f64, 0usize..4, insert).prop_map(|(at, delete, insert)| Edit {
            at,
            delete,
            insert,
        }),
        1..6,
    )
}

/// `text` with `edits` applied, each at a character boundary.
fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        let at = ((chars.len() as f64) * e.at) as usize;
        let at = at.min(chars.len());
        let end = (at + e.delete).min(chars.len());
        chars.splice(at..end, e.insert.chars());
    }
    chars.into_iter().collect()
}

/// Every diagnostic names `path`, says something, and is placed (`assert_place`).
#[track_caller]
fn assert_placed(diags: &[Diagnostic], path: &str, src: &str) {
    for d in diags {
        assert!(!d.message.is_empty(), "{d:?}");
        assert_place(d, path, src);
    }
}

/// A diagnostic names `path`; one with a source line sits on a real line and
/// column of `src` (1-based) and shows that line; one without has no place.
#[track_caller]
fn assert_place(d: &Diagnostic, path: &str, src: &str) {
    assert_eq!(d.path, path, "{d:?}");
    let lines = src.split('\n').count();
    if let Some(line_text) = &d.source_line {
        assert!(d.line >= 1 && d.col >= 1, "{d:?}");
        assert!(d.line <= lines, "line {} of a {lines}-line file: {d:?}", d.line);
        let raw = src.split('\n').nth(d.line - 1).unwrap_or("");
        let real = raw.trim_end_matches('\r').trim_start_matches('\u{feff}');
        assert_eq!(line_text, real, "the source line shown is line {} of the file", d.line);
        assert!(d.col <= raw.chars().count() + 1, "col past the line's end: {d:?}");
    } else {
        assert_eq!((d.line, d.col), (0, 0), "{d:?}");
    }
}

/// Parses a page twice, checks that both answers are the same and placed.
fn check_page(key: &str, src: &str, config: &Config) {
    let (page, diags) = content::parse(key, src, config);
    let again = content::parse(key, src, config);
    assert_eq!(
        format!("{page:?}{diags:?}"),
        format!("{:?}{:?}", again.0, again.1),
        "deterministic"
    );
    assert_placed(&diags, &format!("content/{key}"), src);
    if let Some(p) = &page {
        for h in &p.body.holes {
            assert_place(
                &h.at.error(briefing::diag::Code::BadShortcode, "a hole"),
                &format!("content/{key}"),
                src,
            );
        }
        for h in &p.body.headings {
            assert!(is_slug(&h.id), "heading id {:?}", h.id);
        }
        assert!(is_slug(&p.slug), "page slug {:?}", p.slug);
        assert!(!p.path.contains(".."), "{:?}", p.path);
    }
}

fn check_dataset(id: &str, src: &str) {
    let first = data::parse(id, src);
    let second = data::parse(id, src);
    assert_eq!(format!("{first:?}"), format!("{second:?}"), "deterministic");
    let path = format!("data/{id}.toml");
    match first {
        Ok(d) => {
            for f in &d.figures {
                assert!(is_slug(&f.id), "figure id {:?}", f.id);
                assert!(d.columns.contains(&f.x), "{f:?}");
            }
            for row in &d.rows {
                assert_eq!(row.len(), d.columns.len());
            }
            let _ = data::export::csv(&d, "en");
            let json: serde_json::Value = serde_json::from_str(&data::export::json(&d, "en"))
                .expect("the JSON export is JSON");
            assert_eq!(json["id"], id);
        }
        Err(diags) => {
            assert!(!diags.is_empty(), "an error comes with a diagnostic");
            let placed: Vec<Diagnostic> = diags.into_iter().filter(|d| d.line > 0).collect();
            assert_placed(&placed, &path, src);
        }
    }
}

fn check_config(src: &str) {
    let first = config::parse(src);
    let second = config::parse(src);
    assert_eq!(format!("{first:?}"), format!("{second:?}"), "deterministic");
    match first {
        Ok(c) => {
            assert!(c.site.base_url.ends_with('/') && c.site.base_path.starts_with('/'), "{c:?}");
            assert!(c.site.base_url.starts_with("http"), "{c:?}");
            assert!(config::is_language_tag(&c.book.language));
        }
        Err(d) => {
            assert!(d.has_errors());
            let placed: Vec<Diagnostic> = d.sorted().into_iter().filter(|d| d.line > 0).collect();
            assert_placed(&placed, "book.toml", src);
        }
    }
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn slugify_gives_a_slug_or_nothing(s in any::<String>()) {
        let slug = slugify(&s);
        prop_assert!(slug.is_empty() || is_slug(&slug), "{s:?} -> {slug:?}");
        prop_assert_eq!(slugify(&slug), slug.clone(), "slugify is idempotent");
    }

    #[test]
    fn slugify_keeps_slugs_and_never_makes_paths(s in "[a-z0-9./\\\\:-]{0,20}") {
        let slug = slugify(&s);
        prop_assert!(!slug.contains(['.', '/', '\\', ':']), "{s:?} -> {slug:?}");
        if is_slug(&s) {
            prop_assert_eq!(slug, s);
        }
    }

    #[test]
    fn config_parse_never_panics_on_any_text(src in any::<String>()) {
        check_config(&src);
    }

    #[test]
    fn config_parse_never_panics_on_an_edited_book(e in edits()) {
        check_config(&mutate(BOOK_EVERY_KEY, &e));
    }

    #[test]
    fn content_parse_never_panics_on_any_text(src in any::<String>(), key in prop::sample::select(vec!["index.md", "a.md", "cases/c.md"])) {
        check_page(key, &src, &config());
    }

    #[test]
    fn content_parse_never_panics_on_markdown_and_shortcodes(body in markdownish(), key in prop::sample::select(vec!["index.md", "a.md", "cases/c.md"])) {
        check_page(key, &format!("+++\ntitle = \"T\"\n+++\n{body}"), &config());
        check_page(key, &body, &config());
    }

    #[test]
    fn content_parse_never_panics_on_an_edited_case_study(e in edits()) {
        check_page("cases/c.md", &mutate(CASE_EVERY_KEY, &e), &config());
    }

    #[test]
    fn content_parse_never_panics_on_an_edited_chapter(e in edits()) {
        check_page("chap.md", &mutate(CHAPTER_EVERY_KEY, &e), &config());
    }

    #[test]
    fn data_parse_never_panics_on_any_text(src in any::<String>(), id in "[a-z0-9-]{1,8}") {
        check_dataset(&id, &src);
    }

    #[test]
    fn data_parse_never_panics_on_an_edited_dataset(e in edits()) {
        check_dataset("issues", &mutate(DATASET_EVERY_KEY, &e));
    }

    #[test]
    fn data_parse_never_panics_on_generated_rows(
        rows in prop::collection::vec(
            prop::collection::vec(
                (prop::sample::select(vec!["a", "b", "c", "=x", "é"]),
                 prop_oneof![any::<i64>().prop_map(|n| n.to_string()),
                             any::<f64>().prop_map(|f| format!("{f:?}")),
                             "\"[^\"\\\\]{0,5}\"",
                             Just("true".to_string()),
                             Just("[1, 2]".to_string()),
                             Just("-inf".to_string())]),
                0..4),
            0..6),
        kind in prop::sample::select(vec!["bar", "hbar", "stacked-bar", "grouped-bar", "pie", "donut", "waffle", "line", "nope"]),
        y in prop::collection::vec(prop::sample::select(vec!["a", "b", "c"]), 0..3),
    ) {
        let mut src = String::from("title = \"T\"\nsource = \"S\"\n");
        for row in &rows {
            src.push_str("\n[[rows]]\n");
            let mut seen = Vec::new();
            for (k, v) in row {
                if !seen.contains(k) {
                    seen.push(*k);
                    src.push_str(&format!("\"{k}\" = {v}\n"));
                }
            }
        }
        let y: Vec<String> = y.iter().map(|c| format!("\"{c}\"")).collect();
        src.push_str(&format!("\n[[figures]]\nkind = \"{kind}\"\nx = \"a\"\ny = [{}]\n", y.join(", ")));
        check_dataset("gen", &src);
    }

    #[test]
    fn csv_rows_never_panic_and_place_their_mistakes(
        body in "[ab1.,;\"\r\n \u{feff}é-]{0,60}",
        header in any::<bool>(),
    ) {
        let toml = "title = \"T\"\nsource = \"S\"\n[[figures]]\nkind = \"bar\"\nx = \"a\"\ny = [\"b\"]\n";
        let csv = if header { format!("a;b\n{body}") } else { body };
        let first = data::parse_with_csv("d", toml, &csv);
        let second = data::parse_with_csv("d", toml, &csv);
        assert_eq!(format!("{first:?}"), format!("{second:?}"), "deterministic");
        match first {
            Ok(d) => assert!(d.rows.iter().all(|r| r.len() == d.columns.len())),
            Err(diags) => {
                for d in &diags {
                    let (path, src) = if d.path.ends_with(".csv") { ("data/d.csv", csv.as_str()) } else { ("data/d.toml", toml) };
                    assert_place(d, path, src);
                }
            }
        }
    }

    #[test]
    fn split_keeps_offsets_inside_the_file(src in markdownish()) {
        if let Ok(s) = content::front_matter::split(&src) {
            prop_assert_eq!(&src[s.front_offset..s.front_offset + s.front.len()], s.front);
            prop_assert_eq!(&src[s.body_offset..], s.body);
        }
    }

    #[test]
    fn shortcode_spans_are_inside_the_text(src in markdownish()) {
        for found in content::shortcode::find(&src, &[]) {
            prop_assert!(found.span.end <= src.len());
            prop_assert!(src.is_char_boundary(found.span.start) && src.is_char_boundary(found.span.end));
            prop_assert!(src[found.span.clone()].starts_with("{{"));
        }
    }
}

/// Twelve distinct colours, so that a waffle's cells can be counted by colour.
const SHARE_PALETTE: [&str; 12] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#8c8c8c", "#111111",
    "#222222", "#333333", "#444444", "#555555",
];

/// Share sets per run: thousands, each drawn as a pie, a donut and a waffle.
fn share_cases() -> ProptestConfig {
    if std::env::var_os("PROPTEST_CASES").is_some() {
        ProptestConfig::default()
    } else {
        ProptestConfig { cases: 2000, ..ProptestConfig::default() }
    }
}

/// One to twelve values, at least one above zero: whole counts (small
/// totals, which a waffle draws one cell each, and large ones) or numbers
/// with two decimals.
fn share_sets() -> impl Strategy<Value = Vec<f64>> {
    let whole = |max: u32| prop::collection::vec((0..=max).prop_map(f64::from), 1..=12);
    prop_oneof![
        whole(25),
        whole(60),
        whole(5000),
        prop::collection::vec((0u32..=100_000).prop_map(|n| f64::from(n) / 100.0), 1..=12),
    ]
    .prop_filter("something to share", |v| v.iter().any(|x| *x > 0.0))
}

/// The SVG of a `kind` chart of `values`, drawn through the library.
fn share_svg(kind: &str, values: &[f64]) -> String {
    let mut src = String::from("title = \"Shares\"\nsource = \"Test\"\n");
    for (i, v) in values.iter().enumerate() {
        src.push_str(&format!("[[rows]]\ncategory = \"c{i}\"\nn = {v}\n"));
    }
    src.push_str(&format!("[[figures]]\nkind = \"{kind}\"\nx = \"category\"\ny = [\"n\"]\n"));
    // Each category its own colour (`colors`), so that squares can be counted by colour.
    let colors: Vec<String> =
        (0..values.len()).map(|i| format!("c{i} = \"{}\"", SHARE_PALETTE[i])).collect();
    src.push_str(&format!("colors = {{ {} }}\n", colors.join(", ")));
    let d = data::parse("s", &src).unwrap_or_else(|e| panic!("{src}\n{e:#?}"));
    let figure = Figure {
        number: 1,
        spec: d.figures[0].clone(),
        dataset: d.id.clone(),
        placed_in: Vec::new(),
        referenced_in: Vec::new(),
        colours: Default::default(),
    };
    figures::draw(&figure, &d, &Words::english()).expect("draws").wide
}

/// A printed share: `Some(n)` for "n%", `Some(0)` for "<1%".
fn percent(label: &str) -> Option<u32> {
    if label == "<1%" {
        return Some(0);
    }
    label.strip_suffix('%')?.parse().ok()
}

/// What a share chart prints: each legend entry's value label and share
/// ("12 (34%)"), in category order; the shares printed on slices; and the
/// number of squares of each palette colour (legend swatches included).
fn printed(svg: &str) -> (Vec<(String, String)>, Vec<String>, Vec<usize>) {
    let doc = roxmltree::Document::parse(svg).expect("XML");
    let mut legend = Vec::new();
    let mut slices = Vec::new();
    for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let text: String =
            n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()).collect();
        let text = text.trim();
        if let Some((value, share)) = text.rsplit_once(" · ") {
            legend.push((value.to_string(), share.to_string()));
        } else if percent(text).is_some() {
            slices.push(text.to_string());
        }
    }
    let mut squares = vec![0; SHARE_PALETTE.len()];
    for n in doc.descendants().filter(|n| n.has_tag_name("rect")) {
        let fill = n.attribute("fill").unwrap_or_default().to_lowercase();
        if let Some(i) = SHARE_PALETTE.iter().position(|c| *c == fill) {
            squares[i] += 1;
        }
    }
    (legend, slices, squares)
}

proptest! {
    #![proptest_config(share_cases())]

    #[test]
    fn printed_shares_add_up_to_100_and_waffle_cells_agree(values in share_sets()) {
        let total: f64 = values.iter().sum();
        for kind in ["pie", "donut", "waffle"] {
            let svg = share_svg(kind, &values);
            let (mut legend, mut slices, squares) = printed(&svg);
            // Whole percentages adding up to 100 have their share alone in
            // the legend ("74%", not "74 · 74%"), which is then the value.
            if total == 100.0 && values.iter().all(|v| v.fract() == 0.0) {
                prop_assert!(legend.is_empty(), "{:?}", legend);
                for v in &values {
                    let label = format!("{v}%");
                    let at = slices.iter().position(|s| *s == label);
                    prop_assert!(at.is_some(), "{} of {:?}: no {} in {:?}", kind, values, label, slices);
                    slices.remove(at.unwrap_or(0));
                    legend.push((v.to_string(), label));
                }
            }
            prop_assert_eq!(legend.len(), values.len(), "{} legend of {:?}", kind, values);
            let shares: Vec<u32> = legend
                .iter()
                .map(|(_, s)| percent(s).unwrap_or_else(|| panic!("{kind}: share {s:?}")))
                .collect();
            prop_assert_eq!(shares.iter().sum::<u32>(), 100, "{} of {:?}: {:?}", kind, values, legend);
            for (i, (_, share)) in legend.iter().enumerate() {
                // "<1%" is a value above zero whose share rounds to nothing.
                if share == "<1%" {
                    prop_assert!(values[i] > 0.0 && values[i] / total < 0.01, "{:?}", values);
                }
                if values[i] == 0.0 {
                    prop_assert_eq!(share.as_str(), "0%");
                }
            }
            // A percentage on a slice is its category's share from the legend.
            for s in &slices {
                prop_assert!(legend.iter().any(|(_, l)| l == s), "{} slice {} not in {:?}", kind, s, legend);
            }
            if kind == "waffle" {
                let whole = values.iter().all(|v| v.fract() == 0.0) && total <= 200.0;
                for (i, (value, share)) in legend.iter().enumerate() {
                    // One square is the legend's swatch.
                    let cells = squares[i] - 1;
                    let want = if whole {
                        value.parse::<usize>().expect("a whole count")
                    } else {
                        percent(share).expect("a share") as usize
                    };
                    prop_assert_eq!(cells, want, "category {} of {:?}: {:?}", i, values, legend);
                }
                let drawn: usize = squares.iter().sum::<usize>() - values.len();
                prop_assert_eq!(drawn, if whole { total as usize } else { 100 });
            }
        }
    }
}
