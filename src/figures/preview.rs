//! A figure's PNG images, drawn from its SVG with resvg and the embedded
//! DejaVu Sans, so that no system library or font is needed: the preview for
//! link sharing (`og:image`: the chart under its number and title and the
//! briefing's name, 1200 × 630 pixels), and the chart alone for download
//! (`chart`, at a multiple of its view box's size).
//!
//! Rasterising costs far more than drawing the SVG, so each PNG carries the
//! hash of what it was drawn from (a `tEXt` chunk); a build that finds the
//! same hash in the previous output reuses those bytes instead of drawing again.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::draw::{FONT_FAMILY, wrap, wrap_bold};
use crate::hash::Stable;
use crate::html::escape_html;

/// The preview's size in pixels (the common size of link previews).
pub(crate) const WIDTH: u32 = 1200;
/// Its height.
pub(crate) const HEIGHT: u32 = 630;
/// The view box is half the pixel size: text sizes read like a page's.
const SCALE: f32 = 2.0;
const VW: f64 = WIDTH as f64 / 2.0;
const VH: f64 = HEIGHT as f64 / 2.0;
const MARGIN: f64 = 24.0;
const KEYWORD: &str = "briefing-source";

/// The composed SVG of a preview: briefing name, figure title, chart (drawn
/// over white by `render`).
pub(crate) fn compose(chart_svg: &str, title: &str, site_title: &str) -> String {
    let mut out = String::with_capacity(chart_svg.len() + 1024);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {VW} {VH}\" font-family=\"{FONT_FAMILY}\" color=\"#1a1a1a\"><rect width=\"{VW}\" height=\"4\" fill=\"#c8a24a\"/>"
    );
    let site = wrap(site_title, 11.0, VW - 2.0 * MARGIN, 1);
    let _ = write!(
        out,
        "<text x=\"{MARGIN}\" y=\"26\" font-size=\"11\" fill=\"#555555\">{}</text>",
        escape_html(site.first().map_or("", String::as_str))
    );
    let lines = wrap_bold(title, 17.0, VW - 2.0 * MARGIN, 2);
    let mut y = 50.0;
    for line in &lines {
        let _ = write!(
            out,
            "<text x=\"{MARGIN}\" y=\"{y}\" font-size=\"17\" font-weight=\"bold\" fill=\"#1a1a1a\">{}</text>",
            escape_html(line)
        );
        y += 21.0;
    }
    // The chart, scaled into what is left, centred.
    let (cw, ch) = view_box(chart_svg).unwrap_or((440.0, 300.0));
    let top = y - 6.0;
    let avail_w = VW - 2.0 * MARGIN;
    let avail_h = VH - top - 12.0;
    let scale = (avail_w / cw).min(avail_h / ch).max(0.01);
    let (w, h) = (cw * scale, ch * scale);
    let x = (VW - w) / 2.0;
    // `overflow="visible"`: a nested viewport is otherwise clipped to its
    // box, and a clip makes resvg draw the whole chart into a layer of the
    // preview's size and mask it, half as much again as drawing it. The
    // chart keeps inside its view box anyway.
    let inner = for_resvg(&chart_svg.replacen(
        "<svg ",
        &format!(
            "<svg x=\"{x:.1}\" y=\"{top:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" overflow=\"visible\" "
        ),
        1,
    ));
    out.push_str(&inner);
    out.push_str("</svg>");
    out
}

/// The longest side, in pixels, of a chart drawn by `render_chart`: a
/// chart of thousands of bars is drawn smaller rather than into gigabytes.
pub(crate) const MAX_SIDE: f64 = 8192.0;

/// The chart `svg` (a file of its own: dark ink over white) sized `factor`
/// times its view box, or less where a side would exceed `MAX_SIDE`, ready
/// for `render_chart`; `None` when it has no view box. The size is written
/// into the SVG, so that its `key` covers it.
pub(crate) fn chart(svg: &str, factor: f64) -> Option<String> {
    let (w, h) = view_box(svg).filter(|(w, h)| *w > 0.0 && *h > 0.0)?;
    let factor = factor.min(MAX_SIDE / w.max(h));
    let (w, h) = ((w * factor).ceil(), (h * factor).ceil());
    Some(for_resvg(&svg.replacen("<svg ", &format!("<svg width=\"{w}\" height=\"{h}\" "), 1)))
}

/// `svg` with its series colours as resvg can read them: a style of
/// `fill:var(--chart-1, #0072B2)` (for themes) is hidden, and the `fill`
/// attribute beside it holds.
fn for_resvg(svg: &str) -> String {
    svg.replace(" style=\"fill:var(", " data-style=\"fill:var(")
}

/// The width and height of an SVG's view box (`viewBox="0 0 W H"`).
pub(crate) fn view_box(svg: &str) -> Option<(f64, f64)> {
    let vb = svg.split_once("viewBox=\"")?.1.split('"').next()?;
    let mut parts = vb.split(' ').skip(2).map(|p| p.parse::<f64>().ok());
    Some((parts.next()??, parts.next()??))
}

/// The fonts previews are drawn with: the embedded DejaVu Sans only.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let regular = without_legacy_kern(dejavu::sans::regular());
        let bold = without_legacy_kern(dejavu::sans::bold());
        Arc::new(database(regular, bold))
    })
    .clone()
}

/// A font database of a regular and a bold face, the first sans-serif.
fn database(regular: Vec<u8>, bold: Vec<u8>) -> usvg::fontdb::Database {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(regular);
    db.load_font_data(bold);
    db.set_sans_serif_family("DejaVu Sans");
    db
}

/// `font` with its legacy `kern` table hidden (renamed `kerN`, which keeps
/// the table directory sorted). DejaVu Sans kerns through its GPOS table,
/// which the shaper prefers, yet the shaper builds a cache of the legacy
/// table for every run of text it shapes: a tenth of a preview's cost. A
/// test checks that previews come out the same to the pixel.
fn without_legacy_kern(font: &[u8]) -> Vec<u8> {
    let mut font = font.to_vec();
    let tables = font.get(4..6).map_or(0, |n| usize::from(u16::from_be_bytes([n[0], n[1]])));
    for i in 0..tables {
        let at = 12 + 16 * i;
        if let Some(tag) = font.get_mut(at..at + 4).filter(|t| *t == b"kern") {
            tag.copy_from_slice(b"kerN");
        }
    }
    font
}

/// The key a PNG of `composed` (a preview's, or a `chart`) is stored under:
/// a hash of the SVG and of this program's version, so that a new version
/// draws again.
pub fn key(composed: &str) -> String {
    let mut h = Stable::new(Stable::BASIS);
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    h.write(&[0]);
    h.write(composed.as_bytes());
    format!("{:016x}", h.finish())
}

/// The key stored in a PNG drawn here, if it has one.
pub(crate) fn stored_key(png: &[u8]) -> Option<String> {
    let mut at = 8;
    while at + 12 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().ok()?) as usize;
        let kind = &png[at + 4..at + 8];
        let data = png.get(at + 8..at + 8 + len)?;
        if kind == b"tEXt" {
            let (keyword, text) = data.split_at(data.iter().position(|&b| b == 0)?);
            if keyword == KEYWORD.as_bytes() {
                return String::from_utf8(text[1..].to_vec()).ok();
            }
        }
        if kind == b"IDAT" {
            return None;
        }
        at += 12 + len;
    }
    None
}

/// Draws `composed` (from `compose`) as a PNG that records `key`.
///
/// # Errors
/// When the SVG cannot be read or the image cannot be encoded (a bug of ours).
pub fn render(composed: &str, key: &str) -> Result<Vec<u8>, String> {
    draw(composed, key, SCALE, fonts())
}

/// Draws `sized` (from `chart`) as a PNG of the size written in it that records `key`.
///
/// # Errors
/// As `render`.
pub(crate) fn render_chart(sized: &str, key: &str) -> Result<Vec<u8>, String> {
    draw(sized, key, 1.0, fonts())
}

/// Draws `svg` over white at `scale` pixels per unit of its size, with these fonts.
fn draw(
    svg: &str,
    key: &str,
    scale: f32,
    fonts: Arc<usvg::fontdb::Database>,
) -> Result<Vec<u8>, String> {
    let options = usvg::Options { fontdb: fonts, ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let width = (tree.size().width() * scale).ceil() as u32;
    let height = (tree.size().height() * scale).ceil() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or("empty image")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // Fast deflate with adaptive filters: a quarter of the default's
        // time for files about twice as large (some 50 KB), which link
        // previews do not mind and a large build does.
        encoder.set_compression(png::Compression::Fast);
        encoder.set_filter(png::Filter::Adaptive);
        encoder.add_text_chunk(KEYWORD.to_string(), key.to_string()).map_err(|e| e.to_string())?;
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        // Drawn over opaque white: every pixel is opaque, so alpha is dropped.
        let mut rgb = vec![0; pixmap.data().len() / 4 * 3];
        for (to, from) in rgb.chunks_exact_mut(3).zip(pixmap.data().chunks_exact(4)) {
            to.copy_from_slice(&from[..3]);
        }
        writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_records_its_key_and_is_the_promised_size() {
        let chart = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 440 200\"><rect width=\"100\" height=\"50\" fill=\"#0072B2\" style=\"fill:var(--chart-1, #0072B2)\"/><text x=\"10\" y=\"90\" font-size=\"14\">Label &amp; more</text></svg>";
        let composed = compose(chart, "Figure 1: <Title>", "Briefing");
        assert!(composed.contains("Figure 1: &lt;Title&gt;"));
        let k = key(&composed);
        let png = render(&composed, &k).expect("renders");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), WIDTH);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), HEIGHT);
        assert_eq!(stored_key(&png), Some(k.clone()));
        assert_eq!(render(&composed, &k).expect("renders again"), png, "deterministic");
        assert_ne!(key(&compose(chart, "Figure 2", "Briefing")), k);
        assert_eq!(stored_key(b"not a png"), None);
    }

    #[test]
    fn a_chart_is_drawn_at_a_multiple_of_its_view_box_and_keyed_by_its_size() {
        // A bar in the view box's bottom right corner, coloured as charts are.
        let chart = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 440 201\"><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/><rect x=\"400\" y=\"180\" width=\"40\" height=\"21\" fill=\"#0072B2\" style=\"fill:var(--chart-1, #0072B2)\"/></svg>";
        let sized = super::chart(chart, 2.0).expect("has a view box");
        assert!(sized.starts_with("<svg width=\"880\" height=\"402\" "), "{sized}");
        let png = render_chart(&sized, &key(&sized)).expect("renders");
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 880);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 402);
        assert_eq!(stored_key(&png), Some(key(&sized)));
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
        reader.next_frame(&mut pixels).expect("pixels");
        // The bar fills the image's corner, in its own colour: drawn scaled, not clipped.
        let at = |x: usize, y: usize| &pixels[(y * 880 + x) * 3..(y * 880 + x) * 3 + 3];
        assert_eq!(at(870, 395), [0x00, 0x72, 0xb2]);
        assert_eq!(at(10, 10), [0xff, 0xff, 0xff]);
        assert_ne!(key(&super::chart(chart, 1.0).expect("sized")), key(&sized));
        assert_eq!(super::chart("<svg></svg>", 2.0), None);
        // A chart of thousands of bars is drawn no taller than MAX_SIDE.
        let tall = super::chart("<svg viewBox=\"0 0 440 340044\"></svg>", 2.0).expect("sized");
        assert!(tall.starts_with("<svg width=\"11\" height=\"8192\" "), "{tall}");
    }

    #[test]
    fn hiding_the_legacy_kern_table_changes_no_pixel() {
        // Pairs that kern in DejaVu Sans, in both weights, at preview sizes.
        let chart = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 440 200\"><text x=\"10\" y=\"40\" font-size=\"14\">AVATAR To Wo Ty LT P. F, Yo r. \u{c0}V</text><text x=\"10\" y=\"90\" font-size=\"9\">WAVE Vy Te L\u{2019}A</text></svg>";
        let composed = compose(chart, "AWAY: To Ty Vo \u{201c}LT\u{201d}", "Yo Wa Av");
        let as_shipped = database(dejavu::sans::regular().to_vec(), dejavu::sans::bold().to_vec());
        let k = key(&composed);
        assert_eq!(
            render(&composed, &k).expect("renders"),
            draw(&composed, &k, SCALE, Arc::new(as_shipped))
                .expect("renders with the fonts as shipped"),
        );
        let hidden = without_legacy_kern(dejavu::sans::regular());
        let tags: Vec<&[u8]> = (0..u16::from_be_bytes([hidden[4], hidden[5]]) as usize)
            .map(|i| &hidden[12 + 16 * i..16 + 16 * i])
            .collect();
        assert!(tags.contains(&&b"kerN"[..]) && !tags.contains(&&b"kern"[..]));
        assert!(tags.windows(2).all(|w| w[0] < w[1]), "the table directory stays sorted");
    }
}
