//! Figures: every chart kind drawn from small datasets, checked as XML
//! (role, title, desc, viewBox, escaping), snapshotted, and measured for
//! overlapping labels; the repository's six ICT figures and a 40-category
//! stress dataset included.

use std::path::Path;

use briefing::data::{self, Dataset};
use briefing::figures::draw::text_width;
use briefing::figures::{self, Figure};
use briefing::i18n::Words;

fn dataset(id: &str, src: &str) -> Dataset {
    data::parse(id, src).unwrap_or_else(|d| panic!("{id} does not parse: {d:#?}"))
}

fn figure_of(d: &Dataset, number: usize) -> Figure {
    Figure {
        number,
        spec: d.figures[0].clone(),
        dataset: d.id.clone(),
        placed_in: Vec::new(),
        referenced_in: Vec::new(),
        colours: Default::default(),
    }
}

fn svg_of(kind: &str, rows: &str, y: &str) -> String {
    let src = format!(
        "title = \"Responses by region\"\nsource = \"Test\"\nunit = \"approaches\"\n{rows}\n[[figures]]\nkind = \"{kind}\"\nx = \"region\"\ny = {y}\n"
    );
    let d = dataset("t", &src);
    figures::draw(&figure_of(&d, 1), &d, &Words::english()).expect("draws").wide
}

/// Both layouts of the chart: narrow (phones) and wide.
fn both_of(kind: &str, rows: &str, y: &str) -> [String; 2] {
    let src = format!(
        "title = \"Responses by region\"\nsource = \"Test\"\nunit = \"approaches\"\n{rows}\n[[figures]]\nkind = \"{kind}\"\nx = \"region\"\ny = {y}\n"
    );
    let d = dataset("t", &src);
    let drawn = figures::draw(&figure_of(&d, 1), &d, &Words::english()).expect("draws");
    [drawn.narrow, drawn.wide]
}

const ONE_SERIES: &str = "[[rows]]\nregion = \"Asia & Central Asia\"\nn = 27\n[[rows]]\nregion = \"Europe\"\nn = 16\n[[rows]]\nregion = \"North America\"\nn = 15.5\n[[rows]]\nregion = \"Africa\"\nn = 0\n";
const TWO_SERIES: &str = "[[rows]]\nregion = \"Asia\"\nresponded = 12\nignored = 3.5\n[[rows]]\nregion = \"Europe\"\nresponded = 9\nignored = 0\n[[rows]]\nregion = \"Middle East & North Africa\"\nresponded = 4\nignored = 6\n";

fn all_kinds() -> Vec<(&'static str, String)> {
    vec![
        ("bar", svg_of("bar", ONE_SERIES, "[\"n\"]")),
        ("hbar", svg_of("hbar", ONE_SERIES, "[\"n\"]")),
        ("stacked-bar", svg_of("stacked-bar", TWO_SERIES, "[\"responded\", \"ignored\"]")),
        ("grouped-bar", svg_of("grouped-bar", TWO_SERIES, "[\"responded\", \"ignored\"]")),
        ("pie", svg_of("pie", ONE_SERIES, "[\"n\"]")),
        ("donut", svg_of("donut", ONE_SERIES, "[\"n\"]")),
        ("waffle", svg_of("waffle", ONE_SERIES, "[\"n\"]")),
        ("line", svg_of("line", TWO_SERIES, "[\"responded\", \"ignored\"]")),
    ]
}

#[test]
fn svg_of_each_kind_matches_its_snapshot() {
    for (kind, svg) in all_kinds() {
        insta::assert_snapshot!(format!("kind_{kind}"), svg);
    }
}

/// Checks what every figure SVG must have, and returns the parsed texts.
fn check_accessible(svg: &str, what: &str) -> Vec<TextBox> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{what}: not XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{what}");
    assert_eq!(root.attribute("role"), Some("img"), "{what}");
    assert!(
        root.attribute("width").is_none() && root.attribute("height").is_none(),
        "{what}: fixed size"
    );
    let view_box = root.attribute("viewBox").unwrap_or_else(|| panic!("{what}: no viewBox"));
    let labelled =
        root.attribute("aria-labelledby").unwrap_or_else(|| panic!("{what}: no aria-labelledby"));
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .unwrap_or_else(|| panic!("{what}: no title"));
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .unwrap_or_else(|| panic!("{what}: no desc"));
    let ids: Vec<&str> = labelled.split(' ').collect();
    assert_eq!(
        ids,
        [title.attribute("id").unwrap_or("?"), desc.attribute("id").unwrap_or("?")],
        "{what}"
    );
    assert!(title.text().is_some_and(|t| t.starts_with("Figure ")), "{what}");
    assert!(
        desc.text().is_some_and(|t| t.len() > 40 && t.ends_with('.')),
        "{what}: desc {:?}",
        desc.text()
    );
    let font = root.attribute("font-family").unwrap_or("");
    assert!(
        font.contains("DejaVu Sans") && font.ends_with("sans-serif"),
        "{what}: font-family {font:?}"
    );
    assert!(!svg.contains("<path d=") || svg.contains("<text"), "{what}: text must stay text");
    let vb: Vec<f64> = view_box.split(' ').map(|v| v.parse().expect("number")).collect();
    root.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| text_box(n, what, vb[2], vb[3]))
        .collect()
}

#[derive(Debug)]
struct TextBox {
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

fn text_box(n: roxmltree::Node, what: &str, width: f64, height: f64) -> TextBox {
    let num = |a: &str| n.attribute(a).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    let text = n.text().unwrap_or("").trim().to_string();
    let size = num("font-size");
    let bold = n.attribute("font-weight") == Some("bold");
    let w = text_width(&text, size, bold);
    let (x, y) = (num("x"), num("y"));
    // The baseline shift plotters writes: "0.76em" hangs below y, "0.5ex" centres, "-0.5ex" sits above.
    let top = match n.attribute("dy") {
        Some("0.76em") => y,
        Some("-0.5ex") => y - size,
        _ => y - size * 0.5,
    };
    let (mut x0, mut x1) = match n.attribute("text-anchor") {
        Some("end") => (x - w, x),
        Some("middle") => (x - w / 2.0, x + w / 2.0),
        _ => (x, x + w),
    };
    let (mut y0, mut y1) = (top, top + size);
    if n.attribute("transform").is_some_and(|t| t.starts_with("rotate(270")) {
        // Read bottom to top: the run of text becomes vertical, ending at the anchor.
        (x0, x1, y0, y1) = (x - size * 0.5, x + size * 0.5, y, y + w);
    }
    assert!(
        x0 >= -1.0 && x1 <= width + 1.0 && y0 >= -1.0 && y1 <= height + 1.0,
        "{what}: {text:?} leaves the chart ({x0:.0},{y0:.0})-({x1:.0},{y1:.0}) in {width}x{height}"
    );
    TextBox { text, x0, y0, x1, y1 }
}

fn assert_no_overlap(boxes: &[TextBox], what: &str) {
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let overlap_x = a.x0.max(b.x0) < a.x1.min(b.x1) - 0.5;
            let overlap_y = a.y0.max(b.y0) < a.y1.min(b.y1) - 0.5;
            assert!(
                !(overlap_x && overlap_y),
                "{what}: {:?} overlaps {:?}\n{a:?}\n{b:?}",
                a.text,
                b.text
            );
        }
    }
}

#[test]
fn every_kind_is_accessible_xml_with_labels_that_do_not_overlap() {
    for (kind, _) in all_kinds() {
        let (rows, y) = if ["stacked-bar", "grouped-bar", "line"].contains(&kind) {
            (TWO_SERIES, "[\"responded\", \"ignored\"]")
        } else {
            (ONE_SERIES, "[\"n\"]")
        };
        for svg in both_of(kind, rows, y) {
            let boxes = check_accessible(&svg, kind);
            assert!(!boxes.is_empty(), "{kind}: no text");
            assert_no_overlap(&boxes, kind);
        }
    }
}

#[test]
fn the_repository_figures_are_accessible_and_do_not_overlap() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, _) =
        briefing::site::load(root, &Default::default()).expect("the repository's site loads");
    assert_eq!(
        site.figures.len(),
        8,
        "the seed's six, the response rate against the average, and one counted from the case studies"
    );
    for f in &site.figures {
        let drawn = figures::draw(f, &site.datasets[&f.dataset], &Words::english()).expect("draws");
        for svg in [&drawn.narrow, &drawn.wide] {
            let boxes = check_accessible(svg, &f.spec.id);
            assert_no_overlap(&boxes, &f.spec.id);
        }
    }
}

#[test]
fn forty_long_categories_neither_overlap_nor_leave_the_chart() {
    let mut rows = String::new();
    for i in 0..40 {
        rows.push_str(&format!(
            "[[rows]]\nregion = \"Category number {i} with a rather long descriptive label\"\nn = {}\nm = {}\n",
            (i * 37) % 91,
            (i * 11) % 23
        ));
    }
    for (kind, y) in [
        ("bar", "[\"n\"]"),
        ("hbar", "[\"n\"]"),
        ("stacked-bar", "[\"n\", \"m\"]"),
        ("grouped-bar", "[\"n\", \"m\"]"),
        ("line", "[\"n\"]"),
        ("pie", "[\"n\"]"),
        ("waffle", "[\"n\"]"),
    ] {
        for svg in both_of(kind, &rows, y) {
            let boxes = check_accessible(&svg, kind);
            assert_no_overlap(&boxes, &format!("40 categories, {kind}"));
        }
    }
}

#[test]
fn strings_from_the_data_are_escaped_in_the_svg() {
    let rows = "[[rows]]\nregion = \"<script>alert(1)</script>\"\nn = 3\n[[rows]]\nregion = \"\\\"quoted\\\" & 'single'\"\nn = 2\n";
    for kind in ["bar", "hbar", "pie", "waffle", "line"] {
        let svg = svg_of(kind, rows, "[\"n\"]");
        assert!(!svg.contains("<script>"), "{kind}: raw <script>");
        let doc = roxmltree::Document::parse(&svg).expect("XML");
        assert!(doc.descendants().all(|n| !n.has_tag_name("script")), "{kind}: a script element");
        let texts: String = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(
            texts.contains("<script>") || texts.contains("<script"),
            "{kind}: the label should read as text: {texts}"
        );
    }
}

#[test]
fn the_same_dataset_gives_byte_identical_svg() {
    let a: Vec<String> = all_kinds().into_iter().map(|(_, s)| s).collect();
    let b: Vec<String> = all_kinds().into_iter().map(|(_, s)| s).collect();
    assert_eq!(a, b);
}

#[test]
fn descriptions_are_written_from_the_numbers() {
    let svg = svg_of("hbar", ONE_SERIES, "[\"n\"]");
    assert!(
        svg.contains("Horizontal bar chart of n by region over 4 categories: the largest is Asia &amp; Central Asia at 27 approaches, the smallest Africa at 0."),
        "{svg}"
    );
    let pie = svg_of("pie", ONE_SERIES, "[\"n\"]");
    assert!(
        pie.contains("Pie chart of n by region over shares of 58.5 approaches among 4 categories: the largest is Asia &amp; Central Asia at 27 approaches (46%)"),
        "{pie}"
    );
}

#[test]
fn figure_errors_name_path_and_line() {
    let head = "title = \"T\"\nsource = \"S\"\n";
    for (body, line, want) in [
        ("[[figures]]\nkind = \"bar\"\nx = \"a\"\ny = [\"b\"]\n", 3, "the figure has no data"),
        (
            "[[rows]]\na = \"x\"\nb = 1\n[[figures]]\nkind = \"bar\"\nx = \"a\"\ny = [\"c\"]\n",
            9,
            "unknown column \"c\"",
        ),
        (
            "[[rows]]\na = \"x\"\nb = \"many\"\n[[figures]]\nkind = \"bar\"\nx = \"a\"\ny = [\"b\"]\n",
            5,
            "column \"b\" is a series",
        ),
        (
            "[[rows]]\na = \"x\"\nb = 1\n[[figures]]\nkind = \"bar\"\ny = [\"b\"]\n",
            6,
            "missing key `x`",
        ),
        (
            "[[rows]]\na = \"x\"\nb = 1\n[[figures]]\nkind = \"radar\"\nx = \"a\"\ny = [\"b\"]\n",
            7,
            "unknown figure kind \"radar\"",
        ),
        (
            "[[rows]]\na = \"x\"\nb = 1\nc = 2\n[[figures]]\nkind = \"pie\"\nx = \"a\"\ny = [\"b\", \"c\"]\n",
            10,
            "a pie chart shows one series",
        ),
        (
            "[[rows]]\na = \"x\"\nb = -1\n[[figures]]\nkind = \"donut\"\nx = \"a\"\ny = [\"b\"]\n",
            5,
            "a donut chart cannot show the negative value -1",
        ),
        (
            "[[rows]]\na = \"x\"\nb = 0\n[[figures]]\nkind = \"waffle\"\nx = \"a\"\ny = [\"b\"]\n",
            9,
            "the values of this waffle chart add up to zero",
        ),
    ] {
        let errors = data::parse("d", &format!("{head}{body}")).expect_err(want);
        let found = errors
            .iter()
            .find(|d| d.message.starts_with(want))
            .unwrap_or_else(|| panic!("{want}: {errors:#?}"));
        assert_eq!((found.path.as_str(), found.line), ("data/d.toml", line), "{want}");
        assert!(found.help.is_some(), "{want}: no help");
    }
    let unknown = data::parse("d", &format!("{head}[[rows]]\na = \"x\"\nb = 1\n[[figures]]\nkind = \"radar\"\nx = \"a\"\ny = [\"b\"]\n")).expect_err("kind");
    let help = unknown[0].help.clone().unwrap_or_default();
    for kind in data::KINDS {
        assert!(help.contains(kind), "the help lists {kind}: {help}");
    }
}

/// The value of each `--name:value` custom property declared in `block`.
fn custom_properties(block: &str) -> Vec<(String, String)> {
    block
        .split([';', '{', '\n'])
        .filter_map(|d| d.trim().strip_prefix("--")?.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().trim_end_matches('}').trim().to_string()))
        .collect()
}

#[test]
fn chart_colours_have_3_to_1_contrast_in_light_and_dark_and_their_text_4_5_to_1() {
    use briefing::figures::colours::{DARK, LIGHT, MUTED, RESPONSES, contrast};
    let css = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/style.css"),
    )
    .expect("the theme's CSS");
    let light_block = css.split("@media (prefers-color-scheme:dark)").next().expect("light");
    let dark_block = css
        .split("@media (prefers-color-scheme:dark)")
        .nth(1)
        .and_then(|b| b.split("\n}").next())
        .expect("a dark block");
    // The badges (and the company tracker, which shows them) colour each
    // response kind with the variable figures fill it with.
    for (key, var, ..) in RESPONSES {
        let rule = format!(".response-{key}{{color:var({var})");
        assert!(css.contains(&rule), "the badge of {key} is not in {var}");
    }
    // The light colour of each paint, by its variable's name.
    let paint_of = |name: &str| -> String {
        if let Some(n) = name.strip_prefix("chart-").and_then(|n| n.parse::<usize>().ok()) {
            return LIGHT[n - 1].to_string();
        }
        if name == "chart-muted" {
            return MUTED.0.to_string();
        }
        let r = RESPONSES.iter().find(|r| r.1.trim_start_matches("--") == name).expect(name);
        r.2.to_string()
    };
    for (theme, block, palette, muted) in
        [("light", light_block, LIGHT, MUTED.0), ("dark", dark_block, DARK, MUTED.1)]
    {
        let props = custom_properties(block);
        let var = |name: &str| {
            props
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("{theme}: no --{name}"))
        };
        let bg = var("bg");
        let mut paints: Vec<(String, String)> = palette
            .iter()
            .enumerate()
            .map(|(i, hex)| {
                assert_eq!(var(&format!("chart-{}", i + 1)), *hex, "{theme}: --chart-{}", i + 1);
                (format!("chart-{}", i + 1), hex.to_string())
            })
            .collect();
        assert_eq!(var("chart-muted"), muted, "{theme}");
        paints.push(("chart-muted".into(), muted.to_string()));
        for (key, name, light, dark) in RESPONSES {
            let hex = if theme == "light" { light } else { dark };
            assert_eq!(var(name.trim_start_matches("--")), hex, "{theme}: {key}");
            paints.push((name.trim_start_matches("--").to_string(), hex.to_string()));
        }
        for (name, hex) in &paints {
            let c = contrast(hex, &bg);
            assert!(c >= 3.0, "{theme}: --{name} {hex} has {c:.2}:1 against {bg}");
            // Text on a colour is black or white in the SVG (for the light
            // colour); a theme that changes it sets `--<name>-ink`.
            let light = paint_of(name);
            let fallback = if contrast(&light, "#ffffff") >= contrast(&light, "#000000") {
                "#ffffff"
            } else {
                "#000000"
            };
            let ink = props
                .iter()
                .find(|(k, _)| *k == format!("{name}-ink"))
                .map_or(fallback.to_string(), |(_, v)| v.clone());
            let full: String = if ink.len() == 4 {
                format!("#{}", ink[1..].chars().flat_map(|c| [c, c]).collect::<String>())
            } else {
                ink
            };
            let t = contrast(&full, hex);
            assert!(t >= 4.5, "{theme}: text {full} on --{name} {hex} has {t:.2}:1");
        }
    }
}

#[test]
fn one_label_has_one_colour_across_the_repository_and_responses_have_theirs() {
    use briefing::figures::colours::RESPONSES;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, _) = briefing::site::load(root, &Default::default()).expect("loads");
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    for f in &site.figures {
        let d = &site.datasets[&f.dataset];
        let x = d.columns.iter().position(|c| *c == f.spec.x).expect("x");
        let keys: Vec<String> = if f.spec.kind.is_share() {
            d.rows.iter().map(|r| r.get(x).map(|c| c.label()).unwrap_or_default()).collect()
        } else {
            f.spec.y.clone()
        };
        let mut in_figure = Vec::new();
        for key in keys {
            let paint =
                f.colours.get(&key).unwrap_or_else(|| panic!("{}: no colour for {key}", f.spec.id));
            if let Some((_, _, light, _)) = RESPONSES.iter().find(|r| r.0 == key.as_str()) {
                assert_eq!(paint.hex, *light, "{}: {key} is a response kind", f.spec.id);
            }
            let before = seen.entry(key.clone()).or_insert_with(|| paint.hex.clone());
            assert_eq!(*before, paint.hex, "{key} changes colour in {}", f.spec.id);
            assert!(!in_figure.contains(&paint.hex), "{}: two keys in {}", f.spec.id, paint.hex);
            in_figure.push(paint.hex.clone());
        }
    }
    assert!(seen.len() >= 10, "{seen:?}");
}

/// The texts of an SVG with their y, in document order.
fn texts_at(svg: &str) -> Vec<(String, f64)> {
    let doc = roxmltree::Document::parse(svg).expect("XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let y = n.attribute("y").and_then(|y| y.parse().ok()).unwrap_or(0.0);
            (n.text().unwrap_or("").trim().to_string(), y)
        })
        .collect()
}

const MARKED: &str = "title = \"Rates\"\nsource = \"Test\"\nunit = \"%\"\n[[rows]]\ng = \"Small\"\nr = 20\n[[rows]]\ng = \"Large\"\nr = 58\n[[rows]]\ng = \"Middle\"\nr = 40\n[[figures]]\nkind = \"hbar\"\nx = \"g\"\ny = [\"r\"]\n";

fn drawn(src: &str) -> [String; 2] {
    let d = dataset("m", src);
    let drawn = figures::draw(&figure_of(&d, 1), &d, &Words::english()).expect("draws");
    [drawn.narrow, drawn.wide]
}

#[test]
fn sort_orders_categories_and_not_stated_goes_last() {
    for (sort, want) in [
        ("descending", ["Large", "Middle", "Small"]),
        ("ascending", ["Small", "Middle", "Large"]),
        ("none", ["Small", "Large", "Middle"]),
    ] {
        for svg in drawn(&format!("{MARKED}sort = \"{sort}\"\n")) {
            let texts = texts_at(&svg);
            let y = |label: &str| texts.iter().find(|(t, _)| t == label).map(|p| p.1).expect(label);
            assert!(y(want[0]) < y(want[1]) && y(want[1]) < y(want[2]), "{sort}: {texts:?}");
        }
    }
    let unknown = MARKED.replace("r = 40\n", "");
    for svg in drawn(&format!("{unknown}sort = \"ascending\"\n")) {
        let texts = texts_at(&svg);
        let y = |label: &str| texts.iter().find(|(t, _)| t == label).map(|p| p.1).expect(label);
        assert!(y("Small") < y("Large") && y("Large") < y("Middle"), "{texts:?}");
    }
}

#[test]
fn a_reference_line_is_drawn_and_labelled_and_a_category_brought_forward() {
    let src = format!(
        "{MARKED}[[figures.marks]]\nat = 73\nlabel = \"Global average: 73%\"\n[[figures.marks]]\ncategory = \"Large\"\nlabel = \"This briefing\"\n"
    );
    for svg in drawn(&src) {
        let texts = texts_at(&svg);
        assert!(texts.iter().any(|(t, _)| t == "Global average: 73%"), "{texts:?}");
        assert!(texts.iter().any(|(t, _)| t == "This briefing"), "{texts:?}");
        assert!(texts.iter().any(|(t, _)| t == "58%"), "percent unit: {texts:?}");
        // The axis reaches the line: 73 lies inside the scale.
        assert!(svg.matches("stroke-width=\"2\"").count() >= 5, "a dashed line:\n{svg}");
        // The others are muted; the one brought forward keeps its colour.
        assert_eq!(svg.matches("fill=\"#8A919A\"").count(), 2, "{svg}");
        assert_eq!(svg.matches("fill=\"#0072B2\"").count(), 1, "{svg}");
    }
}

#[test]
fn colors_override_and_rows_of_shares_carry_no_total() {
    let src = "title = \"S\"\nsource = \"T\"\n[[rows]]\nk = \"a\"\nyes = 60\nno = 40\n[[rows]]\nk = \"b\"\nyes = 25\nno = 75\n[[figures]]\nkind = \"stacked-bar\"\nx = \"k\"\ny = [\"yes\", \"no\"]\ncolors = { no = \"#123456\" }\n";
    for svg in drawn(src) {
        assert!(svg.contains("fill=\"#123456\""), "{svg}");
        let texts = texts_at(&svg);
        // Totals are bold (the axis's 100 is not).
        assert!(!svg.contains("font-weight=\"bold\">\n100\n"), "a total of shares:\n{svg}");
        assert!(texts.iter().any(|(t, _)| t == "60"), "a value in its segment: {texts:?}");
    }
}

#[test]
fn legends_are_never_cut() {
    let long = "A series whose name is far longer than any legend line could ever hold on a phone";
    let src = format!(
        "title = \"L\"\nsource = \"T\"\n[[rows]]\nk = \"a\"\n\"{long}\" = 3\nother = 4\n[[figures]]\nkind = \"grouped-bar\"\nx = \"k\"\ny = [\"{long}\", \"other\"]\n"
    );
    for svg in drawn(&src) {
        let texts = texts_at(&svg);
        assert!(!texts.iter().any(|(t, _)| t.contains('…')), "{texts:?}");
        let legend: String = texts
            .iter()
            .map(|(t, _)| t.as_str())
            .filter(|t| t.len() > 3 && long.contains(*t))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(legend, long, "{texts:?}");
    }
}

#[test]
fn a_stack_of_one_segment_written_on_it_has_no_total_and_others_have_theirs() {
    let src = "title = \"S\"\nsource = \"T\"\n[[rows]]\nk = \"a\"\nyes = 3\nno = 0\n[[rows]]\nk = \"b\"\nyes = 6\nno = 6\n[[figures]]\nkind = \"hbar\"\nx = \"k\"\ny = [\"yes\", \"no\"]\n"
        .replace("hbar", "stacked-bar");
    for svg in drawn(&src) {
        let bold = |t: &str| svg.matches(&format!("font-weight=\"bold\">\n{t}\n")).count();
        assert_eq!(bold("3"), 1, "3 is written once, on its segment:\n{svg}");
        assert_eq!(bold("12"), 1, "the total of 6 and 6:\n{svg}");
    }
}

#[test]
fn a_few_lines_are_named_at_their_ends_without_a_legend_and_not_stated_is_an_outline() {
    let src = "title = \"L\"\nsource = \"T\"\n[[rows]]\nyear = \"2016\"\nresponded = 4\ndeclined = 2\n[[rows]]\nyear = \"2017\"\nresponded = 6\ndeclined = 1\n[[figures]]\nkind = \"line\"\nx = \"year\"\ny = [\"responded\", \"declined\"]\n";
    for svg in drawn(src) {
        let texts = texts_at(&svg);
        // No legend swatches: the names are written once each, at the right.
        for name in ["responded", "declined"] {
            assert_eq!(texts.iter().filter(|(t, _)| t == name).count(), 1, "{name}: {texts:?}");
        }
        assert!(!svg.contains("<rect x=\"8\""), "a legend swatch:\n{svg}");
    }
    // A value not stated in a bar chart: an outline (no fill), never a bar.
    let bars = "title = \"B\"\nsource = \"T\"\ncolumns = [\"k\", \"n\"]\n[[rows]]\nk = \"a\"\nn = 3\n[[rows]]\nk = \"b\"\n[[figures]]\nkind = \"hbar\"\nx = \"k\"\ny = [\"n\"]\n";
    for svg in drawn(bars) {
        assert!(svg.contains("<rect") && svg.contains("fill=\"none\""), "an outline:\n{svg}");
        assert!(texts_at(&svg).iter().any(|(t, _)| t == "not stated"), "{svg}");
    }
}

#[test]
fn a_pie_of_percentages_writes_each_share_once_in_its_legend() {
    let src = "title = \"Responses\"\nsource = \"Test\"\nunit = \"%\"\n[[rows]]\nr = \"Responded\"\nn = 74\n[[rows]]\nr = \"Did not\"\nn = 26\n[[figures]]\nkind = \"pie\"\nx = \"r\"\ny = [\"n\"]\n";
    for svg in drawn(src) {
        let texts: Vec<String> = texts_at(&svg).into_iter().map(|(t, _)| t).collect();
        assert!(texts.iter().any(|t| t == "74%"), "{texts:?}");
        assert!(!svg.contains("%%"), "a share written as a percentage twice:\n{svg}");
    }
}
