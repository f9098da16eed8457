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

use super::colours::Paint;
use crate::html::escape_html;

/// A chart's size: the width of its view box and its text sizes, in
/// view-box units. Every figure is drawn twice: `NARROW` for phones (shown
/// while the column is under 600 px: 14 units are at least 11 px from 345 px
/// up) and `WIDE` for wider columns (about one unit per pixel on a desktop
/// page, at least 11 px from 600 px up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// The view box's width.
    pub width: f64,
    /// Body text: category labels, legends.
    pub label: f64,
    /// Small text: ticks, values.
    pub small: f64,
    /// The line height of wrapped labels.
    pub line: f64,
}

/// The narrow layout, for phones.
pub const NARROW: Frame = Frame { width: 440.0, label: 16.0, small: 14.0, line: 19.0 };
/// The wide layout, for tablets, desktops and print.
pub const WIDE: Frame = Frame { width: 760.0, label: 15.0, small: 14.0, line: 19.0 };

/// The margin around every chart.
pub(crate) const M: f64 = 8.0;

/// The font named in the SVG; its metrics are the embedded DejaVu Sans.
pub(crate) const FONT_FAMILY: &str =
    "'DejaVu Sans', Verdana, Geneva, 'Bitstream Vera Sans', sans-serif";
const PLOTTERS_FAMILY: &str = "DejaVu Sans";

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

/// Breaks `text` into as many lines no wider than `max` as it takes, never
/// leaving anything out: a word longer than a line is broken between letters.
/// For legends, which are the only place a series' name is written.
pub(crate) fn wrap_whole(text: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for line in wrap_in(text, size, max, usize::MAX, false) {
        if text_width(&line, size, false) <= max {
            lines.push(line);
            continue;
        }
        let mut part = String::new();
        for c in line.chars() {
            part.push(c);
            if text_width(&part, size, false) > max && part.chars().count() > 1 {
                part.pop();
                lines.push(std::mem::replace(&mut part, c.to_string()));
            }
        }
        lines.push(part);
    }
    lines
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
        if max_lines != usize::MAX && (text_width(l, size, bold) > max || (cut && last)) {
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

/// The RGB colour of a paint.
pub(crate) fn rgb(paint: &Paint) -> RGBColor {
    parse_hex(&paint.hex).unwrap_or(RGBColor(0, 114, 178))
}

fn parse_hex(hex: &str) -> Option<RGBColor> {
    let h = hex.strip_prefix('#')?;
    let h: String =
        if h.len() == 3 { h.chars().flat_map(|c| [c, c]).collect() } else { h.to_string() };
    let v = u32::from_str_radix(&h, 16).ok()?;
    Some(RGBColor((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

/// The stand-in colour of text on the `i`-th paint of a chart (see `finish`).
pub(crate) fn ink_stand_in(i: usize) -> RGBColor {
    RGBColor(1, 3, i.min(255) as u8)
}

/// Black or white text, whichever reads better on `bg` (one of them always
/// has at least 4.58:1 contrast).
pub(crate) fn label_colour(bg: &RGBColor) -> RGBColor {
    let hex = format!("#{:02x}{:02x}{:02x}", bg.0, bg.1, bg.2);
    if super::colours::contrast(&hex, "#ffffff") >= super::colours::contrast(&hex, "#000000") {
        RGBColor(255, 255, 255)
    } else {
        RGBColor(0, 0, 0)
    }
}

/// A drawing surface of the frame's width x `height` view-box pixels.
pub(crate) struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, Shift>,
    /// The frame it is drawn in.
    pub(crate) frame: Frame,
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
    /// A canvas of `frame` drawing into `out`.
    pub(crate) fn new(out: &'a mut String, frame: Frame, height: u32) -> Self {
        let size = (frame.width as u32, height.max(1));
        Canvas { area: SVGBackend::with_string(out, size).into_drawing_area(), frame }
    }

    /// The outline of a rectangle: what stands for a value not stated.
    pub(crate) fn outline(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> DrawResult<()> {
        let (a, b) = ((r(x0.min(x1)), r(y0.min(y1))), (r(x0.max(x1)), r(y0.max(y1))));
        self.area
            .draw(&Rectangle::new([a, b], INK.mix(0.7).stroke_width(1)))
            .map_err(|e| e.to_string())
    }

    /// A dashed line from (x0, y0) to (x1, y1): a reference line.
    pub(crate) fn dashed(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> DrawResult<()> {
        let length = (x1 - x0).hypot(y1 - y0);
        let dashes = (length / 8.0).ceil().max(1.0) as usize;
        for k in (0..dashes).step_by(2) {
            let (t0, t1) = (k as f64 / dashes as f64, ((k + 1) as f64 / dashes as f64).min(1.0));
            let p = |t: f64| (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
            self.line(&[p(t0), p(t1)], INK.to_rgba(), 2)?;
        }
        Ok(())
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
    pub(crate) fn label_width(&self, size: f64, data: &super::ChartData) -> f64 {
        self.ticks()
            .iter()
            .map(|t| text_width(&data.value_text(*t), size, false))
            .fold(0.0, f64::max)
    }

    /// Where `v` falls between `a` (for `min`) and `b` (for `max`).
    pub(crate) fn at(&self, v: f64, a: f64, b: f64) -> f64 {
        a + (v - self.min) / (self.max - self.min) * (b - a)
    }
}

/// Turns plotters' SVG into the figure's: a view box and no fixed size, the
/// title and description tied to the image by aria-labelledby, the font
/// family named with fallbacks, `INK` as `currentColor`, each paint's colour
/// restyled by its CSS variable (the attribute stays for readers without
/// CSS), fixed precision.
pub(crate) fn finish(
    svg: &str,
    id: &str,
    (title, desc): (&str, &str),
    (width, height): (f64, u32),
    paints: &[&Paint],
) -> String {
    let body_start = svg.find('>').map_or(0, |i| i + 1);
    let body = &svg[body_start..];
    let mut out = String::with_capacity(svg.len() + 512);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-svg-title {id}-svg-desc\" class=\"chart\" direction=\"ltr\" font-family=\"{FONT_FAMILY}\">\n<title id=\"{id}-svg-title\">{}</title>\n<desc id=\"{id}-svg-desc\">{}</desc>",
        escape_html(title),
        escape_html(desc)
    );
    let mut body = body
        .replace(&format!(" font-family=\"{PLOTTERS_FAMILY}\""), "")
        .replace("\"#010203\"", "\"currentColor\"")
        .replace(" opacity=\"1\"", "");
    // Text on a paint: dark or white for the attribute, the theme's `-ink`.
    for (i, p) in paints.iter().enumerate() {
        let stand_in = ink_stand_in(i);
        let key = format!("fill=\"#{:02X}{:02X}{:02X}\"", stand_in.0, stand_in.1, stand_in.2);
        if !body.contains(&key) {
            continue;
        }
        let ink = label_colour(&rgb(p));
        let hex = format!("#{:02X}{:02X}{:02X}", ink.0, ink.1, ink.2);
        let with = match p.var {
            Some(var) => format!("fill=\"{hex}\" style=\"fill:var({var}-ink, {hex})\""),
            None => format!("fill=\"{hex}\""),
        };
        body = body.replace(&key, &with);
    }
    // Two paints of one colour take the first one's variable.
    let mut done: Vec<String> = Vec::new();
    for p in paints {
        let Some(var) = p.var else { continue };
        let c = rgb(p);
        let hex = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        if done.contains(&hex) {
            continue;
        }
        for attr in ["fill", "stroke"] {
            body = body.replace(
                &format!("{attr}=\"{hex}\""),
                &format!("{attr}=\"{hex}\" style=\"{attr}:var({var}, {hex})\""),
            );
        }
        done.push(hex);
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
        let lines = wrap("Complicity with government restrictions/repressions", 16.0, 160.0, 3);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, 16.0, false) <= 160.0), "{lines:?}");
        let cut = wrap("one two three four five six seven eight", 16.0, 50.0, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'), "{cut:?}");
    }

    #[test]
    fn wrap_breaks_after_slashes_inside_words() {
        let lines = wrap("Manufacturing/assembly", 16.0, 150.0, 3);
        assert_eq!(lines, ["Manufacturing/", "assembly"]);
        assert_eq!(wrap("a/b", 16.0, 200.0, 3), ["a/b"]);
    }

    #[test]
    fn text_width_grows_with_text_and_size() {
        assert!(text_width("WWW", 15.0, false) > text_width("iii", 15.0, false));
        assert!(
            (text_width("abc", 30.0, false) - 2.0 * text_width("abc", 15.0, false)).abs() < 1e-9
        );
    }
}
