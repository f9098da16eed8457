//! The checker of figure_layout.rs: the box of each `<text>` of a chart's SVG (widths from the
//! charts' own `draw::text_width`, heights from DejaVu Sans' ascent and descent), and what is
//! wrong: texts that overlap, leave the view box or are empty, an SVG that is not accessible.

use std::fmt;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef};
use briefing::figures::draw::text_width;

/// How far two texts may overlap, or a text leave the view box, in
/// view-box units: plotters rounds positions to whole units.
const TOLERANCE: f64 = 0.5;

/// The box a text covers, in view-box units.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextBox {
    /// The text as it shows (white space collapsed as SVG does).
    pub(crate) text: String,
    /// How it is written, to tell labels apart in a report: its size,
    /// "bold", its anchor, its `dy` and its rotation ("14 bold middle dy=0.5ex").
    pub(crate) style: String,
    /// Left.
    pub(crate) x0: f64,
    /// Top.
    pub(crate) y0: f64,
    /// Right.
    pub(crate) x1: f64,
    /// Bottom.
    pub(crate) y1: f64,
}

impl fmt::Display for TextBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} ({}) at ({:.1}, {:.1})-({:.1}, {:.1})",
            self.text, self.style, self.x0, self.y0, self.x1, self.y1
        )
    }
}

/// The SVG's `viewBox`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ViewBox {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

/// A side of the view box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edge {
    Left,
    Right,
    Top,
    Bottom,
}

/// Something wrong with a chart's SVG.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Problem {
    /// Not XML, or not an accessible image: `role="img"`, a `<title>` and
    /// a `<desc>` with text, named by `aria-labelledby`, a view box.
    NotAccessible(String),
    /// A text whose box cannot be worked out (an attribute missing, or in
    /// a form the checker does not know).
    Unmeasurable(String),
    /// A text with nothing to read.
    Empty(TextBox),
    /// A text that leaves the view box past `edge`.
    Outside { text: TextBox, edge: Edge, view: ViewBox },
    /// Two texts that overlap.
    Overlap(TextBox, TextBox),
}

impl Problem {
    /// What kind of problem it is, to count alike ones together.
    pub(crate) fn cause(&self) -> &'static str {
        match self {
            Problem::NotAccessible(_) => "not an accessible SVG",
            Problem::Unmeasurable(_) => "a text that cannot be measured",
            Problem::Empty(_) => "an empty text",
            Problem::Outside { edge: Edge::Left, .. } => "a text past the left edge",
            Problem::Outside { edge: Edge::Right, .. } => "a text past the right edge",
            Problem::Outside { edge: Edge::Top, .. } => "a text past the top edge",
            Problem::Outside { edge: Edge::Bottom, .. } => "a text past the bottom edge",
            Problem::Overlap(..) => "overlapping texts",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::NotAccessible(why) | Problem::Unmeasurable(why) => {
                write!(f, "{}: {why}", self.cause())
            }
            Problem::Empty(text) => write!(f, "{}: {text}", self.cause()),
            Problem::Outside { text, view, .. } => write!(
                f,
                "{}: {text} in the view box {} {} {} {}",
                self.cause(),
                view.x,
                view.y,
                view.width,
                view.height
            ),
            Problem::Overlap(a, b) => write!(f, "{}: {a} and {b}", self.cause()),
        }
    }
}

/// Every problem of `svg`, in document order (overlaps last).
pub(crate) fn problems(svg: &str) -> Vec<Problem> {
    let doc = match roxmltree::Document::parse(svg) {
        Ok(doc) => doc,
        Err(e) => return vec![Problem::NotAccessible(format!("not XML: {e}"))],
    };
    let mut found: Vec<Problem> =
        accessible(&doc).err().map(Problem::NotAccessible).into_iter().collect();
    let view = match view_box(&doc) {
        Ok(view) => view,
        Err(e) => {
            found.push(Problem::NotAccessible(e));
            return found;
        }
    };
    let mut boxes = Vec::new();
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        match text_box(node) {
            Ok(b) => boxes.push(b),
            Err(e) => found.push(Problem::Unmeasurable(e)),
        }
    }
    for b in &boxes {
        if b.text.is_empty() {
            found.push(Problem::Empty(b.clone()));
        }
        for edge in outside(b, view) {
            found.push(Problem::Outside { text: b.clone(), edge, view });
        }
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if overlap(a, b) {
                found.push(Problem::Overlap(a.clone(), b.clone()));
            }
        }
    }
    found
}

/// Is the SVG an accessible image: `role="img"`, and a `<title>` and a
/// `<desc>` with text, both named by `aria-labelledby`?
fn accessible(doc: &roxmltree::Document) -> Result<(), String> {
    let root = doc.root_element();
    if !root.has_tag_name("svg") {
        return Err(format!("the root is <{}>, not <svg>", root.tag_name().name()));
    }
    if root.attribute("role") != Some("img") {
        return Err(format!("role is {:?}, not \"img\"", root.attribute("role")));
    }
    let labelled = root.attribute("aria-labelledby").unwrap_or_default();
    for name in ["title", "desc"] {
        let Some(node) = root.children().find(|n| n.has_tag_name(name)) else {
            return Err(format!("no <{name}>"));
        };
        if node.text().is_none_or(|t| t.trim().is_empty()) {
            return Err(format!("an empty <{name}>"));
        }
        if !node.attribute("id").is_some_and(|id| labelled.split(' ').any(|l| l == id)) {
            return Err(format!("aria-labelledby {labelled:?} does not name the <{name}>"));
        }
    }
    Ok(())
}

/// The view box, `viewBox="x y width height"`.
fn view_box(doc: &roxmltree::Document) -> Result<ViewBox, String> {
    let written = doc.root_element().attribute("viewBox").ok_or("no viewBox")?;
    let n: Vec<f64> = written
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| format!("viewBox {written:?} is not four numbers"))?;
    match n[..] {
        [x, y, width, height] if width > 0.0 && height > 0.0 => Ok(ViewBox { x, y, width, height }),
        _ => Err(format!("viewBox {written:?} is not four numbers with a size")),
    }
}

/// The sides of the view box that `b` crosses.
fn outside(b: &TextBox, view: ViewBox) -> Vec<Edge> {
    [
        (b.x0 < view.x - TOLERANCE, Edge::Left),
        (b.x1 > view.x + view.width + TOLERANCE, Edge::Right),
        (b.y0 < view.y - TOLERANCE, Edge::Top),
        (b.y1 > view.y + view.height + TOLERANCE, Edge::Bottom),
    ]
    .into_iter()
    .filter_map(|(crossed, edge)| crossed.then_some(edge))
    .collect()
}

/// Do `a` and `b` share more than `TOLERANCE` each way?
fn overlap(a: &TextBox, b: &TextBox) -> bool {
    a.x0.max(b.x0) < a.x1.min(b.x1) - TOLERANCE && a.y0.max(b.y0) < a.y1.min(b.y1) - TOLERANCE
}

/// DejaVu Sans' vertical metrics, in ems: the ascent and descent of its
/// lines (accents and descenders included), and its x-height (`1ex`).
struct Metrics {
    ascent: f64,
    descent: f64,
    x_height: f64,
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let font = FontRef::try_from_slice(dejavu::sans::regular()).expect("DejaVu Sans loads");
        let em = font.units_per_em().expect("DejaVu Sans has units per em");
        let x = font.outline(font.glyph_id('x')).expect("DejaVu Sans has an x");
        Metrics {
            ascent: f64::from(font.ascent_unscaled() / em),
            descent: f64::from(-font.descent_unscaled() / em),
            // ab_glyph keeps the outline's top in `min.y` (its y runs up).
            x_height: f64::from(x.bounds.min.y.max(x.bounds.max.y) / em),
        }
    })
}

/// The box of a `<text>`, from `x`, `y`, `dy` (how far below `y` the
/// baseline is), `text-anchor`, `font-size`, `font-weight` and a
/// `rotate(..)` transform.
fn text_box(node: roxmltree::Node) -> Result<TextBox, String> {
    let raw: String = node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    let text = shown(&raw);
    let at = format!("<text> {text:?}");
    let number = |name: &str| -> Result<f64, String> {
        let value = node.attribute(name).ok_or_else(|| format!("{at} has no {name}"))?;
        value.parse().map_err(|_| format!("{at} has {name}={value:?}, not a number"))
    };
    let (x, y, size) = (number("x")?, number("y")?, number("font-size")?);
    if let Some(a) = ["dx", "rotate", "textLength", "lengthAdjust"]
        .into_iter()
        .find(|a| node.attribute(*a).is_some())
    {
        return Err(format!("{at} has {a}, which the checker does not measure"));
    }
    if node.ancestors().skip(1).any(|a| a.attribute("transform").is_some()) {
        return Err(format!("{at} is inside a transformed group"));
    }
    let bold = match node.attribute("font-weight") {
        None | Some("normal") => false,
        Some("bold") => true,
        Some(w) => return Err(format!("{at} has font-weight={w:?}")),
    };
    let width = text_width(&text, size, bold);
    let anchor = node.attribute("text-anchor").unwrap_or("start");
    let (x0, x1) = match anchor {
        "start" => (x, x + width),
        "middle" => (x - width / 2.0, x + width / 2.0),
        "end" => (x - width, x),
        a => return Err(format!("{at} has text-anchor={a:?}")),
    };
    let baseline = y + shift(node.attribute("dy"), size).map_err(|e| format!("{at}: {e}"))?;
    let m = metrics();
    let corners = [x0, baseline - m.ascent * size, x1, baseline + m.descent * size];
    let mut style = format!("{size}{} {anchor}", if bold { " bold" } else { "" });
    if let Some(dy) = node.attribute("dy") {
        style.push_str(&format!(" dy={dy}"));
    }
    let [x0, y0, x1, y1] = match node.attribute("transform") {
        None => corners,
        Some(t) => {
            style.push_str(" rotated");
            rotated(t, corners).map_err(|e| format!("{at}: {e}"))?
        }
    };
    Ok(TextBox { text, style, x0, y0, x1, y1 })
}

/// The text as SVG shows it (`xml:space="default"`): line breaks dropped,
/// tabs as spaces, runs of spaces as one, none at either end.
fn shown(raw: &str) -> String {
    let flat: String = raw
        .chars()
        .filter(|c| !matches!(c, '\n' | '\r'))
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    flat.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// How far `dy` moves the baseline down at font size `size`: "0.76em"
/// (plotters' top anchor), "0.5ex" (its centre), "-0.5ex" (its bottom), or
/// units.
fn shift(dy: Option<&str>, size: f64) -> Result<f64, String> {
    let Some(dy) = dy else { return Ok(0.0) };
    let (n, unit) = if let Some(n) = dy.strip_suffix("em") {
        (n, size)
    } else if let Some(n) = dy.strip_suffix("ex") {
        (n, size * metrics().x_height)
    } else {
        (dy.strip_suffix("px").unwrap_or(dy), 1.0)
    };
    n.trim().parse::<f64>().map(|n| n * unit).map_err(|_| format!("dy={dy:?} is not a length"))
}

/// The box that holds `[x0, y0, x1, y1]` turned by `transform`,
/// `rotate(angle)` or `rotate(angle, cx, cy)`.
fn rotated(transform: &str, [x0, y0, x1, y1]: [f64; 4]) -> Result<[f64; 4], String> {
    let args = transform
        .trim()
        .strip_prefix("rotate(")
        .and_then(|a| a.strip_suffix(')'))
        .ok_or_else(|| format!("transform={transform:?} is not a rotation"))?;
    let n: Vec<f64> = args
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| format!("transform={transform:?} is not a rotation"))?;
    let (angle, cx, cy) = match n[..] {
        [angle] => (angle, 0.0, 0.0),
        [angle, cx, cy] => (angle, cx, cy),
        _ => return Err(format!("transform={transform:?} is not a rotation")),
    };
    let (sin, cos) = angle.to_radians().sin_cos();
    let turned = [(x0, y0), (x1, y0), (x0, y1), (x1, y1)]
        .map(|(x, y)| (cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos));
    let xs = turned.map(|p| p.0);
    let ys = turned.map(|p| p.1);
    let min = |v: [f64; 4]| v.into_iter().fold(f64::INFINITY, f64::min);
    let max = |v: [f64; 4]| v.into_iter().fold(f64::NEG_INFINITY, f64::max);
    Ok([min(xs), min(ys), max(xs), max(ys)])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An accessible SVG of 440 by 200 holding `body`.
    fn svg(body: &str) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 440 200\" role=\"img\" aria-labelledby=\"t d\">\
             <title id=\"t\">Figure 1: Test</title><desc id=\"d\">A test chart.</desc>{body}</svg>"
        )
    }

    fn text(x: f64, y: f64, attributes: &str, s: &str) -> String {
        format!("<text x=\"{x}\" y=\"{y}\" font-size=\"14\" {attributes}>\n{s}\n</text>")
    }

    /// The box of the one text of `svg`.
    fn only_box(svg: &str) -> TextBox {
        let doc = roxmltree::Document::parse(svg).expect("XML");
        let node = doc.descendants().find(|n| n.has_tag_name("text")).expect("a text");
        text_box(node).expect("measured")
    }

    #[test]
    fn texts_apart_and_inside_have_no_problem() {
        let body = [
            text(10.0, 20.0, "dy=\"0.5ex\"", "Europe"),
            text(10.0, 40.0, "dy=\"0.5ex\"", "Africa"),
            text(430.0, 20.0, "dy=\"0.5ex\" text-anchor=\"end\" font-weight=\"bold\"", "27"),
        ]
        .concat();
        assert_eq!(problems(&svg(&body)), []);
    }

    #[test]
    fn two_texts_that_overlap_are_caught() {
        let body = [
            text(100.0, 50.0, "dy=\"0.5ex\" text-anchor=\"middle\"", "North America"),
            text(120.0, 58.0, "dy=\"0.5ex\"", "Europe"),
        ]
        .concat();
        let found = problems(&svg(&body));
        assert!(
            matches!(&found[..], [Problem::Overlap(a, b)] if a.text == "North America" && b.text == "Europe"),
            "{found:?}"
        );
    }

    #[test]
    fn a_text_past_the_right_edge_is_caught() {
        let found = problems(&svg(&text(400.0, 50.0, "dy=\"0.5ex\"", "1000000000000")));
        assert!(
            matches!(&found[..], [Problem::Outside { edge: Edge::Right, text, .. }] if text.x1 > 440.0),
            "{found:?}"
        );
    }

    #[test]
    fn a_rotated_label_gets_a_rotated_box() {
        // As plotters writes a label read upwards, ending at (100, 150).
        let attributes = "dy=\"0.5ex\" text-anchor=\"end\" transform=\"rotate(270, 100, 150)\"";
        let found = problems(&svg(&text(100.0, 150.0, attributes, "Label")));
        assert_eq!(found, []);
        let b = only_box(&svg(&text(100.0, 150.0, attributes, "Label")));
        let (w, m) = (text_width("Label", 14.0, false), metrics());
        let centre = 0.5 * m.x_height * 14.0;
        let want = [100.0 - m.ascent * 14.0 + centre, 150.0, 100.0 + m.descent * 14.0 + centre];
        for (got, want) in [b.x0, b.y0, b.x1].into_iter().zip(want) {
            assert!((got - want).abs() < 1e-9, "{b:?}");
        }
        assert!((b.y1 - (150.0 + w)).abs() < 1e-9, "runs down from its anchor: {b:?}");
        // Long enough, it leaves the chart at the bottom.
        let long = problems(&svg(&text(100.0, 150.0, attributes, "A label far too long to fit")));
        assert!(matches!(&long[..], [Problem::Outside { edge: Edge::Bottom, .. }]), "{long:?}");
    }

    #[test]
    fn top_anchored_and_baseline_texts_sit_where_browsers_draw_them() {
        let m = metrics();
        for (dy, baseline) in [("", 50.0), ("dy=\"0.76em\"", 50.0 + 0.76 * 14.0)] {
            let b = only_box(&svg(&text(10.0, 50.0, dy, "Asia")));
            assert!((b.y0 - (baseline - m.ascent * 14.0)).abs() < 1e-9, "{dy}: {b:?}");
            assert!((b.y1 - (baseline + m.descent * 14.0)).abs() < 1e-9, "{dy}: {b:?}");
        }
        assert!((0.9..0.95).contains(&m.ascent) && (0.2..0.25).contains(&m.descent));
        assert!((0.5..0.6).contains(&m.x_height), "{}", m.x_height);
    }

    #[test]
    fn empty_texts_and_inaccessible_svgs_are_caught() {
        let empty = problems(&svg(&text(10.0, 50.0, "", " ")));
        assert!(matches!(&empty[..], [Problem::Empty(_)]), "{empty:?}");
        for (svg, want) in [
            ("<svg viewBox=\"0 0 10 10\"", "not XML"),
            ("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"/>", "role"),
            (
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\" role=\"img\"><desc>x</desc></svg>",
                "no <title>",
            ),
        ] {
            let found = problems(svg);
            assert!(
                found
                    .iter()
                    .any(|p| matches!(p, Problem::NotAccessible(why) if why.contains(want))),
                "{svg}: {found:?}"
            );
        }
    }
}
