//! What every chart shares: the canvas (plotters' SVG backend drawing into a
//! string), text metrics from the embedded DejaVu Sans, word wrapping, value
//! axes, the palette, and the finishing pass that makes the SVG accessible,
//! scalable and theme-aware.

use std::fmt::Write as _;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform};

use crate::html::escape_html;

/// The width of every chart's view box. Charts are drawn narrow with large
/// type so that they stay readable when a phone shrinks them to its width.
pub(crate) const WIDTH: u32 = 440;
/// Body text of charts (category labels, legends), in view-box pixels.
pub(crate) const LABEL: f64 = 16.0;
/// Small text (ticks, value labels).
pub(crate) const SMALL: f64 = 14.0;
/// Line height for wrapped labels.
pub(crate) const LINE: f64 = 19.0;

/// The font named in the SVG; its metrics are the embedded DejaVu Sans.
pub(crate) const FONT_FAMILY: &str =
    "'DejaVu Sans', Verdana, Geneva, 'Bitstream Vera Sans', sans-serif";
const PLOTTERS_FAMILY: &str = "DejaVu Sans";

/// Okabe & Ito's colour-blind-safe palette, without its black and yellow
/// (too light on white), starting with the blue that reads on light and dark.
pub const PALETTE: [&str; 7] =
    ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#8c8c8c"];

/// The colour that stands for the page's text colour; the finishing pass
/// turns it into `currentColor`, so charts follow light and dark themes.
pub(crate) const INK: RGBColor = RGBColor(1, 2, 3);

/// The error of a drawing, as text (plotters' errors carry the backend's).
pub(crate) type DrawResult<T> = Result<T, String>;

fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| {
        FontRef::try_from_slice(dejavu::sans::regular()).expect("DejaVu Sans is a valid font")
    })
}

fn bold_font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| {
        FontRef::try_from_slice(dejavu::sans::bold()).expect("DejaVu Sans Bold is a valid font")
    })
}

/// The width of `text` at `size` pixels in DejaVu Sans (bold or not).
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let f = if bold { bold_font() } else { font() };
    let per_unit = size / f64::from(f.units_per_em().unwrap_or(2048.0));
    let mut width = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = f.glyph_id(c);
        if let Some(p) = prev {
            width += f64::from(f.kern_unscaled(p, id));
        }
        width += f64::from(f.h_advance_unscaled(id));
        prev = Some(id);
    }
    width * per_unit
}

/// Breaks `text` into lines no wider than `max` at `size`; a word longer than
/// a line is cut with an ellipsis, and at most `max_lines` lines are kept
/// (the last ending in an ellipsis when text was left out). The full text
/// always stays in the data table beside the chart.
pub(crate) fn wrap(text: &str, size: f64, max: f64, max_lines: usize) -> Vec<String> {
    wrap_in(text, size, max, max_lines, false)
}

/// `wrap` for bold text.
pub(crate) fn wrap_bold(text: &str, size: f64, max: f64, max_lines: usize) -> Vec<String> {
    wrap_in(text, size, max, max_lines, true)
}

fn wrap_in(text: &str, size: f64, max: f64, max_lines: usize, bold: bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // Break between words, and after a slash inside a word ("Manufacturing/ assembly").
    // No-break spaces (before a French colon, inside « ») hold words together.
    let breakable = |c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}');
    let pieces = text.split(breakable).filter(|w| !w.is_empty()).flat_map(|word| {
        let mut parts: Vec<(bool, &str)> = Vec::new();
        let mut rest = word;
        let mut first = true;
        while let Some(i) = rest.find('/').filter(|&i| i + 1 < rest.len()) {
            parts.push((first, &rest[..=i]));
            rest = &rest[i + 1..];
            first = false;
        }
        parts.push((first, rest));
        parts
    });
    for (spaced, word) in pieces {
        let sep = if spaced && !line.is_empty() { " " } else { "" };
        let candidate = format!("{line}{sep}{word}");
        if text_width(&candidate, size, bold) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let cut = lines.len() > max_lines;
    lines.truncate(max_lines.max(1));
    for (i, l) in lines.iter_mut().enumerate() {
        let last = i + 1 == max_lines;
        if text_width(l, size, bold) > max || (cut && last) {
            *l = ellipsize(l, size, max, cut && last, bold);
        }
    }
    lines
}

fn ellipsize(text: &str, size: f64, max: f64, force: bool, bold: bool) -> String {
    let mut s: String = text.to_string();
    if !force && text_width(&s, size, bold) <= max {
        return s;
    }
    loop {
        let candidate = format!("{}…", s.trim_end());
        if text_width(&candidate, size, bold) <= max || s.is_empty() {
            return candidate;
        }
        s.pop();
    }
}

/// A colour of the palette.
pub(crate) type Colour = RGBColor;

/// The colour of series `i` from `palette` (CSS hex colours).
pub fn colour(palette: &[String], i: usize) -> RGBColor {
    let hex =
        palette.get(i % palette.len().max(1)).map_or(PALETTE[i % PALETTE.len()], String::as_str);
    parse_hex(hex).unwrap_or(RGBColor(0, 114, 178))
}

fn parse_hex(hex: &str) -> Option<RGBColor> {
    let h = hex.strip_prefix('#')?;
    let h: String =
        if h.len() == 3 { h.chars().flat_map(|c| [c, c]).collect() } else { h.to_string() };
    let v = u32::from_str_radix(&h, 16).ok()?;
    Some(RGBColor((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

/// Dark or white text, whichever reads better on `bg`.
pub(crate) fn label_colour(bg: &RGBColor) -> RGBColor {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    let l = 0.2126 * lin(bg.0) + 0.7152 * lin(bg.1) + 0.0722 * lin(bg.2);
    // Contrast with white is (1.05) / (l + 0.05); with near-black (0.05 + l) / 0.0625.
    if 1.05 / (l + 0.05) >= (l + 0.05) / 0.0625 {
        RGBColor(255, 255, 255)
    } else {
        RGBColor(17, 17, 17)
    }
}

/// A drawing surface of `WIDTH` x `height` view-box pixels.
pub(crate) struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, Shift>,
}

/// Where a text's anchor point is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Anchor {
    /// Left edge, vertically centred.
    Left,
    /// Right edge, vertically centred.
    Right,
    /// Centre.
    Middle,
    /// Horizontal centre, top edge.
    Top,
}

/// How text is drawn.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextOpts {
    /// Size in view-box pixels.
    pub size: f64,
    /// Bold?
    pub bold: bool,
    /// The anchor.
    pub anchor: Anchor,
    /// Read bottom to top (rotated a quarter turn).
    pub(crate) rotated: bool,
    /// The colour (`INK` for the page's text colour).
    pub colour: RGBColor,
}

impl TextOpts {
    /// Regular text of `size` at `anchor`, in ink.
    pub(crate) fn new(size: f64, anchor: Anchor) -> Self {
        TextOpts { size, bold: false, anchor, rotated: false, colour: INK }
    }

    /// The same, bold.
    pub(crate) fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
}

impl<'a> Canvas<'a> {
    /// A canvas drawing into `out`.
    pub(crate) fn new(out: &'a mut String, height: u32) -> Self {
        Canvas { area: SVGBackend::with_string(out, (WIDTH, height.max(1))).into_drawing_area() }
    }

    /// A filled rectangle from (x0, y0) to (x1, y1).
    pub(crate) fn rect(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        colour: RGBAColor,
    ) -> DrawResult<()> {
        let (a, b) = ((r(x0.min(x1)), r(y0.min(y1))), (r(x0.max(x1)), r(y0.max(y1))));
        if a.0 == b.0 || a.1 == b.1 {
            return Ok(());
        }
        self.area.draw(&Rectangle::new([a, b], colour.filled())).map_err(|e| e.to_string())
    }

    /// A line through `points`.
    pub(crate) fn line(
        &self,
        points: &[(f64, f64)],
        colour: RGBAColor,
        width: u32,
    ) -> DrawResult<()> {
        let pts: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (r(x), r(y))).collect();
        self.area
            .draw(&PathElement::new(pts, colour.stroke_width(width)))
            .map_err(|e| e.to_string())
    }

    /// A filled polygon.
    pub(crate) fn polygon(&self, points: &[(f64, f64)], colour: RGBAColor) -> DrawResult<()> {
        let pts: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (r(x), r(y))).collect();
        self.area.draw(&Polygon::new(pts, colour.filled())).map_err(|e| e.to_string())
    }

    /// A filled circle.
    pub(crate) fn dot(&self, x: f64, y: f64, radius: u32, colour: RGBAColor) -> DrawResult<()> {
        self.area
            .draw(&Circle::new((r(x), r(y)), radius, colour.filled()))
            .map_err(|e| e.to_string())
    }

    /// Text at (x, y).
    pub(crate) fn text(&self, s: &str, x: f64, y: f64, o: TextOpts) -> DrawResult<()> {
        let (h, v) = match o.anchor {
            Anchor::Left => (HPos::Left, VPos::Center),
            Anchor::Right => (HPos::Right, VPos::Center),
            Anchor::Middle => (HPos::Center, VPos::Center),
            Anchor::Top => (HPos::Center, VPos::Top),
        };
        let style = FontStyle::from(if o.bold { "bold" } else { "normal" });
        // plotters writes font-size as size / 1.24; give it what makes `o.size`.
        let mut font = (PLOTTERS_FAMILY, o.size * 1.24, style).into_font();
        if o.rotated {
            font = font.transform(FontTransform::Rotate270);
        }
        let ts = TextStyle::from(font).color(&o.colour).pos(Pos::new(h, v));
        self.area.draw(&Text::new(s.to_string(), (r(x), r(y)), ts)).map_err(|e| e.to_string())
    }

    /// Finishes the drawing.
    pub(crate) fn present(self) -> DrawResult<()> {
        self.area.present().map_err(|e| e.to_string())
    }
}

fn r(v: f64) -> i32 {
    v.round() as i32
}

/// A value axis: ticks from the lower to the upper bound, in steps of 1, 2 or 5 x 10^n.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scale {
    /// The lowest tick (zero unless there are negative values).
    pub min: f64,
    /// The highest tick.
    pub max: f64,
    /// The distance between ticks.
    pub step: f64,
}

impl Scale {
    /// A scale that holds 0 and every value, with about five ticks.
    pub(crate) fn new(lo: f64, hi: f64) -> Self {
        let lo = lo.min(0.0);
        // All zeros: draw an axis from 0 to 1 rather than a degenerate one.
        let hi = if hi.max(0.0) - lo <= 0.0 { lo + 1.0 } else { hi.max(0.0) };
        let span = hi - lo;
        let raw = span / 5.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| span / s <= 6.0)
            .unwrap_or(10.0 * mag);
        let min = (lo / step).floor() * step;
        let mut max = (hi / step).ceil() * step;
        if max <= min {
            max = min + step;
        }
        Scale { min, max, step }
    }

    /// The ticks, lowest first.
    pub(crate) fn ticks(&self) -> Vec<f64> {
        let n = ((self.max - self.min) / self.step).round() as usize;
        (0..=n).map(|i| self.min + self.step * i as f64).collect()
    }

    /// The width of the widest tick label at `size`.
    pub(crate) fn label_width(&self, size: f64, numbers: &crate::data::Numbers) -> f64 {
        self.ticks()
            .iter()
            .map(|t| text_width(&numbers.number(*t), size, false))
            .fold(0.0, f64::max)
    }

    /// Where `v` falls between `a` (for `min`) and `b` (for `max`).
    pub(crate) fn at(&self, v: f64, a: f64, b: f64) -> f64 {
        a + (v - self.min) / (self.max - self.min) * (b - a)
    }
}

/// Turns plotters' SVG into the figure's: a view box and no fixed size, the
/// title and description tied to the image by aria-labelledby, the font
/// family named with fallbacks, `INK` as `currentColor`, fixed precision.
pub fn finish(
    svg: &str,
    id: &str,
    title: &str,
    desc: &str,
    height: u32,
    palette: &[String],
) -> String {
    let body_start = svg.find('>').map_or(0, |i| i + 1);
    let body = &svg[body_start..];
    let mut out = String::with_capacity(svg.len() + 512);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"{id}-svg-title {id}-svg-desc\" class=\"chart\" font-family=\"{FONT_FAMILY}\">\n<title id=\"{id}-svg-title\">{}</title>\n<desc id=\"{id}-svg-desc\">{}</desc>",
        escape_html(title),
        escape_html(desc)
    );
    let body = body
        .replace(&format!(" font-family=\"{PLOTTERS_FAMILY}\""), "")
        .replace("\"#010203\"", "\"currentColor\"")
        .replace(" opacity=\"1\"", "");
    // Series colours can be restyled by a theme's CSS (`--chart-1` ... on the
    // page); a viewer without CSS variables keeps the attribute's colour.
    let mut body = body;
    for i in 0..palette.len().max(1) {
        let c = colour(palette, i);
        let hex = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        body = body.replace(
            &format!("fill=\"{hex}\""),
            &format!("fill=\"{hex}\" style=\"fill:var(--chart-{}, {hex})\"", i + 1),
        );
    }
    out.push_str(&fix_font_sizes(&body));
    out
}

/// Rounds plotters' font sizes (`12.000000000000002`) to one decimal.
fn fix_font_sizes(s: &str) -> String {
    const KEY: &str = "font-size=\"";
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(KEY) {
        out.push_str(&rest[..i + KEY.len()]);
        rest = &rest[i + KEY.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        let v: f64 = rest[..end].parse().unwrap_or(0.0);
        let _ = write!(out, "{}", (v * 10.0).round() / 10.0);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_have_round_steps_and_hold_every_value() {
        for (lo, hi, want) in [
            (0.0, 30.0, (0.0, 30.0, 5.0)),
            (0.0, 0.58, (0.0, 0.6, 0.1)),
            (0.0, 27.0, (0.0, 30.0, 5.0)),
            (-3.0, 8.0, (-4.0, 8.0, 2.0)),
            (0.0, 0.0, (0.0, 1.0, 0.2)),
            (0.0, 100.0, (0.0, 100.0, 20.0)),
        ] {
            let s = Scale::new(lo, hi);
            assert!(
                (s.min - want.0).abs() < 1e-9
                    && (s.max - want.1).abs() < 1e-9
                    && (s.step - want.2).abs() < 1e-9,
                "{lo}..{hi}: {s:?}"
            );
        }
    }

    #[test]
    fn wrap_breaks_at_words_and_cuts_what_does_not_fit() {
        let lines = wrap("Complicity with government restrictions/repressions", LABEL, 160.0, 3);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, LABEL, false) <= 160.0), "{lines:?}");
        let cut = wrap("one two three four five six seven eight", LABEL, 50.0, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'), "{cut:?}");
    }

    #[test]
    fn wrap_breaks_after_slashes_inside_words() {
        let lines = wrap("Manufacturing/assembly", LABEL, 150.0, 3);
        assert_eq!(lines, ["Manufacturing/", "assembly"]);
        assert_eq!(wrap("a/b", LABEL, 200.0, 3), ["a/b"]);
    }

    #[test]
    fn text_width_grows_with_text_and_size() {
        assert!(text_width("WWW", 15.0, false) > text_width("iii", 15.0, false));
        assert!(
            (text_width("abc", 30.0, false) - 2.0 * text_width("abc", 15.0, false)).abs() < 1e-9
        );
    }
}
