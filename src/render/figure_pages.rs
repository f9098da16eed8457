//! Figures as pages show them: the block placed in a page (title, chart,
//! data table, caption, source, notes, links), the view of a figure's own
//! page, of its embed page and of the list of figures, the standalone SVG
//! file and the PNG images (the preview for sharing, the chart at twice its
//! size for download).

use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::context::{Image, Link};
use super::{Previous, Shared};
use crate::diag::{Code, Diagnostics};
use crate::figures::{self, Drawn, Figure};
use crate::html::escape_html;
use crate::i18n::Words;
use crate::site::Site;

/// The chart PNG offered for download is drawn at this many pixels per unit
/// of the chart's view box: twice the size it has on screen.
const CHART_PNG_SCALE: f64 = 2.0;

/// What an embed code's frame assumes before its page says how tall it is:
/// a chart this many pixels wide, and this much more for its title, source
/// and link; never taller than `EMBED_MAX` at first.
const EMBED_WIDTH: f64 = 640.0;
const EMBED_EXTRA: f64 = 170.0;
const EMBED_MAX: f64 = 4000.0;

/// Where a figure's block stands, which decides what it holds and how its
/// notes (the dataset's note, the remarks on qualified cells) show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Placement {
    /// In a page's text: the data table and the notes each behind a
    /// disclosure, then links to the figure's page and its data.
    Text,
    /// In the print edition: as in text, with the notes' disclosure open.
    Print,
    /// On the figure's own page: the notes in full; no table and no links,
    /// which the page shows on its own.
    Own,
}

/// A figure as figure pages, embed pages and lists see it.
#[derive(Serialize)]
pub(super) struct FigureView {
    id: String,
    number: usize,
    kind: String,
    title: String,
    caption: Option<String>,
    source: String,
    note: Option<String>,
    unit: Option<String>,
    url: String,
    permalink: String,
    csv: String,
    json: String,
    dataset: String,
    block: String,
    svg: String,
    /// The chart as a PNG at twice its size on screen.
    png: String,
    /// The chart's view-box size, for previews that do not shift the layout.
    svg_width: u32,
    svg_height: u32,
    table: String,
    /// The figure's embed page, and the HTML that shows it on another site.
    embed: String,
    embed_code: String,
    placed_in: Vec<Link>,
    referenced_in: Vec<Link>,
}

pub(super) fn figure_view(s: &Shared, f: &Figure) -> FigureView {
    let site = s.site;
    let c = &site.config;
    let d = &site.datasets[&f.dataset];
    let svg = &s.svgs[f.number - 1];
    let anchor = |i: &usize, frag: bool| Link {
        title: site.pages[*i].title.clone(),
        url: if frag {
            format!("{}#figure-{}", c.url(&site.pages[*i].path), f.spec.id)
        } else {
            c.url(&site.pages[*i].path)
        },
    };
    let (width, height) = figures::preview::view_box(&svg.wide).unwrap_or_default();
    // The page shows the table once, in its own section: the remarks its
    // marks lead to are in the block's notes.
    let data = DataHtml::of(f, d, &s.words);
    FigureView {
        id: f.spec.id.clone(),
        number: f.number,
        kind: f.spec.kind.as_str().to_string(),
        title: f.spec.title.clone(),
        caption: f.spec.caption.clone(),
        source: d.source.clone(),
        note: d.note.clone(),
        unit: d.unit.clone(),
        url: c.url(&format!("figures/{}/", f.spec.id)),
        permalink: c.permalink(&format!("figures/{}/", f.spec.id)),
        csv: c.url(&format!("data/{}.csv", d.id)),
        json: c.url(&format!("data/{}.json", d.id)),
        dataset: d.id.clone(),
        block: block(site, f, svg, &s.words, Placement::Own, &data),
        svg: c.url(&format!("figures/{}.svg", f.spec.id)),
        png: c.url(&chart_png_path(f)),
        svg_width: width.round() as u32,
        svg_height: height.round() as u32,
        table: data.table,
        embed: c.url(&embed_path(f)),
        embed_code: embed_code(site, f, svg, &s.words),
        placed_in: f.placed_in.iter().map(|i| anchor(i, true)).collect(),
        referenced_in: f.referenced_in.iter().map(|i| anchor(i, false)).collect(),
    }
}

/// A figure's data table and the list of remarks its marks lead to, apart:
/// the table goes behind its disclosure (or into the figure page's data
/// section), the remarks into the figure's notes.
struct DataHtml {
    table: String,
    remarks: String,
}

impl DataHtml {
    /// Where `figures::table_html` starts the list of remarks under the table.
    const REMARKS: &'static str = "<ol class=\"figure-remarks\">";

    fn of(f: &Figure, d: &crate::data::Dataset, words: &Words) -> Self {
        let caption = format!("{} {}", words.get("data_for"), figures::label(f, words));
        let mut table = figures::table_html(f, d, &caption, &words.numbers());
        let remarks = match table.find(Self::REMARKS) {
            Some(at) => table.split_off(at),
            None => String::new(),
        };
        DataHtml { table, remarks }
    }
}

/// The HTML of a figure placed at `placement`: number, title, chart, data
/// table, caption, source, notes and links (`Placement` says which).
pub(super) fn figure_block(
    site: &Site,
    f: &Figure,
    svg: &Drawn,
    words: &Words,
    placement: Placement,
) -> String {
    let data = DataHtml::of(f, &site.datasets[&f.dataset], words);
    block(site, f, svg, words, placement, &data)
}

/// `figure_block` with the figure's data table and remarks made.
fn block(
    site: &Site,
    f: &Figure,
    svg: &Drawn,
    words: &Words,
    placement: Placement,
    data: &DataHtml,
) -> String {
    let c = &site.config;
    let d = &site.datasets[&f.dataset];
    let id = &f.spec.id;
    let label = figures::label(f, words);
    let colon = escape_html(&words.get("colon"));
    let mut out = String::new();
    let _ = write!(
        out,
        "<figure class=\"figure\" id=\"figure-{id}\" aria-labelledby=\"figure-{id}-title\">"
    );
    let _ = write!(
        out,
        "<figcaption id=\"figure-{id}-title\" class=\"figure-title\"><span class=\"figure-number\">{label}{colon}</span> {} <a class=\"anchor\" href=\"#figure-{id}\" aria-label=\"{} {label}\">#</a></figcaption>",
        escape_html(&f.spec.title),
        escape_html(&words.get("link_to")),
    );
    let _ = write!(out, "<div class=\"chart-wrap\">{}</div>", svg.html());
    if placement != Placement::Own {
        let _ = write!(
            out,
            "<details class=\"figure-data\"><summary>{} {label}</summary>{}</details>",
            escape_html(&words.get("data_for")),
            data.table
        );
    }
    out.push_str("<div class=\"figure-meta\">");
    if let Some(caption) = &f.spec.caption {
        let _ = write!(out, "<p class=\"figure-caption\">{}</p>", escape_html(caption));
    }
    let _ = write!(
        out,
        "<p class=\"figure-source\"><span>{}{colon}</span> {}</p>",
        escape_html(&words.get("source")),
        escape_html(&d.source)
    );
    if d.note.is_some() || !data.remarks.is_empty() {
        match placement {
            Placement::Text => out.push_str("<details class=\"figure-notes\">"),
            Placement::Print => out.push_str("<details class=\"figure-notes\" open>"),
            Placement::Own => out.push_str("<div class=\"figure-notes\">"),
        }
        if placement != Placement::Own {
            let _ = write!(out, "<summary>{}</summary>", escape_html(&words.get("about_numbers")));
        }
        if let Some(note) = &d.note {
            let _ = write!(
                out,
                "<p class=\"figure-note\"><span>{}{colon}</span> {}</p>",
                escape_html(&words.get("note")),
                escape_html(note)
            );
        }
        out.push_str(&data.remarks);
        out.push_str(if placement == Placement::Own { "</div>" } else { "</details>" });
    }
    if placement != Placement::Own {
        let _ = write!(
            out,
            "<p class=\"figure-links\"><a href=\"{}\">{}</a> · {}{colon} <a href=\"{}\" download>CSV</a> · <a href=\"{}\" download>JSON</a></p>",
            escape_html(&c.url(&format!("figures/{id}/"))),
            escape_html(&words.get("about_figure")),
            escape_html(&words.get("data")),
            escape_html(&c.url(&format!("data/{}.csv", d.id))),
            escape_html(&c.url(&format!("data/{}.json", d.id))),
        );
    }
    out.push_str("</div></figure>\n");
    out
}

/// Where a figure's embed page is written: `figures/<id>/embed/`.
pub(super) fn embed_path(f: &Figure) -> String {
    format!("figures/{}/embed/", f.spec.id)
}

/// Whether the sitemap lists the page written at `path`: every page but the
/// figures' embed pages, which are not for search engines (`noindex`).
pub(super) fn is_listed(path: &str) -> bool {
    !(path.starts_with("figures/") && path.ends_with("/embed/index.html"))
}

/// The HTML a reader copies to show figure `f` on another site: a frame of
/// its embed page (by its absolute address), as tall as the chart is likely
/// to need, and a script that makes each such frame as tall as its page says
/// it is (the embed page posts its height to the window around it).
fn embed_code(site: &Site, f: &Figure, svg: &Drawn, words: &Words) -> String {
    let height = figures::preview::view_box(&svg.wide)
        .filter(|(w, _)| *w > 0.0)
        .map_or(480.0, |(w, h)| ((h * EMBED_WIDTH / w).ceil() + EMBED_EXTRA).min(EMBED_MAX));
    format!(
        "<iframe src=\"{}\" title=\"{}\" style=\"width:100%;border:0\" height=\"{height}\" loading=\"lazy\"></iframe>\n\
         <script>addEventListener(\"message\",function(e){{var h=e.data&&e.data.type===\"briefing-embed\"&&+e.data.height,f=document.getElementsByTagName(\"iframe\");if(h>0)for(var i=0;i<f.length;i++)if(f[i].contentWindow===e.source)f[i].style.height=Math.ceil(h)+\"px\"}})</script>",
        escape_html(&site.config.permalink(&embed_path(f))),
        escape_html(&figures::title(f, words)),
    )
}

/// The figure's SVG as a file of its own: dark ink on white.
pub(super) fn standalone_svg(svg: &str) -> String {
    let svg = svg.replacen("<svg ", "<svg color=\"#1a1a1a\" ", 1);
    match svg.find("</desc>") {
        Some(i) => format!(
            "{}<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>{}",
            &svg[..i + 7],
            &svg[i + 7..]
        ),
        None => svg,
    }
}

/// "Figure N" as a link to where the figure stands (its first placement, else its page).
pub(super) fn figref(site: &Site, f: &Figure, words: &Words) -> String {
    let c = &site.config;
    let url = match f.placed_in.first() {
        Some(&i) => format!("{}#figure-{}", c.url(&site.pages[i].path), f.spec.id),
        None => c.url(&format!("figures/{}/", f.spec.id)),
    };
    format!(
        "<a class=\"figref\" href=\"{}\">{}</a>",
        escape_html(&url),
        escape_html(&figures::label(f, words))
    )
}

/// A figure's preview image (`figures/<id>.png`) as sharing metadata gives it.
pub(super) fn preview_image(s: &Shared, f: &Figure) -> Image {
    Image {
        url: s.site.config.permalink(&format!("figures/{}.png", f.spec.id)),
        width: figures::preview::WIDTH,
        height: figures::preview::HEIGHT,
        alt: figures::title(f, &s.words),
    }
}

/// Where figure `f`'s chart is written as a PNG at twice its size:
/// `figures/<id>@2x.png` (an `@` is never in an id, so no figure's preview
/// `figures/<id>.png` can take that path).
pub(super) fn chart_png_path(f: &Figure) -> String {
    format!("figures/{}@2x.png", f.spec.id)
}

/// Each figure's PNG images, by figure index: its preview for sharing
/// (`figures/<id>.png`) and its chart at twice its size
/// (`chart_png_path`). Each is taken from `previous` when it was drawn from
/// the same SVG, else rasterised; all in parallel, one task an image.
pub(super) fn pngs(site: &Site, svgs: &[Arc<Drawn>], previous: &Previous) -> Vec<[Png; 2]> {
    let prefix = &site.lang.prefix;
    site.figures
        .par_iter()
        .zip(svgs)
        .map(|(f, svg)| {
            let (preview, chart) = rayon::join(
                || {
                    let title = figures::title(f, &site.words);
                    let composed =
                        figures::preview::compose(&svg.wide, &title, &site.config.book.title);
                    let path = format!("{prefix}figures/{}.png", f.spec.id);
                    reuse_or_draw(previous, &path, &composed, figures::preview::render)
                },
                || {
                    let sized =
                        figures::preview::chart(&standalone_svg(&svg.wide), CHART_PNG_SCALE)
                            .ok_or("the chart has no view box")?;
                    let path = format!("{prefix}{}", chart_png_path(f));
                    reuse_or_draw(previous, &path, &sized, figures::preview::render_chart)
                },
            );
            [preview, chart]
        })
        .collect()
}

/// A PNG image, or why it could not be drawn.
pub(super) type Png = Result<Vec<u8>, String>;

/// The PNG of `svg` at `path`: the previous build's bytes when they record
/// the same key (`preview::key`), else drawn anew by `draw`.
fn reuse_or_draw(previous: &Previous, path: &str, svg: &str, draw: fn(&str, &str) -> Png) -> Png {
    let key = figures::preview::key(svg);
    match previous.files.get(path) {
        Some(old) if figures::preview::stored_key(old).as_deref() == Some(&key) => Ok(old.clone()),
        _ => draw(svg, &key),
    }
}

/// Stage: each figure's chart, by figure index (kept ones as they were);
/// a chart that cannot be drawn is an error in `diags` and an empty SVG.
pub(super) fn draw_figures(
    site: &Site,
    kept: &[Option<Arc<Drawn>>],
    diags: &mut Diagnostics,
) -> Vec<Arc<Drawn>> {
    let drawn: Vec<Result<Arc<Drawn>, String>> = site
        .figures
        .par_iter()
        .enumerate()
        .map(|(i, f)| match kept.get(i) {
            Some(Some(svg)) => Ok(Arc::clone(svg)),
            _ => figures::draw(f, &site.datasets[&f.dataset], &site.words).map(Arc::new),
        })
        .collect();
    site.figures
        .iter()
        .zip(drawn)
        .map(|(f, d)| {
            d.unwrap_or_else(|e| {
                diags.push(f.spec.at.error(
                    Code::DrawFailed,
                    format!("figure {:?} could not be drawn: {e}", f.spec.id),
                ));
                Arc::new(Drawn { narrow: String::new(), wide: String::new() })
            })
        })
        .collect()
}
