//! Figures as pages show them: the block placed in a page (title, chart,
//! data table, caption, source, links), the view of a figure's own page and
//! of the list of figures, the standalone SVG file and the preview image.

use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use super::context::{Image, Link};
use super::{Previous, Shared};
use crate::figures::{self, Drawn, Figure};
use crate::html::escape_html;
use crate::i18n::Words;
use crate::site::Site;

/// A figure as figure pages and lists see it.
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
    /// The chart's view-box size, for previews that do not shift the layout.
    svg_width: u32,
    svg_height: u32,
    table: String,
    placed_in: Vec<Link>,
    referenced_in: Vec<Link>,
}

pub(super) fn figure_view(s: &Shared, f: &Figure) -> FigureView {
    let site = s.site;
    let c = &site.config;
    let d = &site.datasets[&f.dataset];
    let anchor = |i: &usize, frag: bool| Link {
        title: site.pages[*i].title.clone(),
        url: if frag {
            format!("{}#figure-{}", c.url(&site.pages[*i].path), f.spec.id)
        } else {
            c.url(&site.pages[*i].path)
        },
    };
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
        block: figure_block(site, f, &s.svgs[f.number - 1], &s.words),
        svg: c.url(&format!("figures/{}.svg", f.spec.id)),
        svg_width: figures::draw::WIDE.width as u32,
        svg_height: view_box_height(&s.svgs[f.number - 1].wide),
        // The figure's page shows the table twice (in the block and on its
        // own): the second's marks and remarks get ids of their own.
        table: figures::table_html_at(
            f,
            d,
            &format!("{} {} {}", s.words.get("data_for"), s.words.get("figure"), f.number),
            &s.words.numbers(),
            &format!("data-{}", f.spec.id),
        ),
        placed_in: f.placed_in.iter().map(|i| anchor(i, true)).collect(),
        referenced_in: f.referenced_in.iter().map(|i| anchor(i, false)).collect(),
    }
}

/// The HTML of a placed figure: number, title, data table, caption, source and links.
pub(super) fn figure_block(site: &Site, f: &Figure, svg: &Drawn, words: &Words) -> String {
    let c = &site.config;
    let d = &site.datasets[&f.dataset];
    let id = &f.spec.id;
    let label = format!("{} {}", words.get("figure"), f.number);
    let mut out = String::new();
    let _ = write!(
        out,
        "<figure class=\"figure\" id=\"figure-{id}\" aria-labelledby=\"figure-{id}-title\">"
    );
    let _ = write!(
        out,
        "<figcaption id=\"figure-{id}-title\" class=\"figure-title\"><span class=\"figure-number\">{label}{}</span> {} <a class=\"anchor\" href=\"#figure-{id}\" aria-label=\"{} {label}\">#</a></figcaption>",
        escape_html(&words.get("colon")),
        escape_html(&f.spec.title),
        escape_html(&words.get("link_to")),
    );
    let _ = write!(out, "<div class=\"chart-wrap\">{}</div>", svg.html());
    let _ = write!(
        out,
        "<details class=\"figure-data\"><summary>{} {label}</summary>{}</details>",
        escape_html(&words.get("data_for")),
        figures::table_html(f, d, &format!("{} {label}", words.get("data_for")), &words.numbers())
    );
    out.push_str("<div class=\"figure-meta\">");
    if let Some(caption) = &f.spec.caption {
        let _ = write!(out, "<p class=\"figure-caption\">{}</p>", escape_html(caption));
    }
    let _ = write!(
        out,
        "<p class=\"figure-source\"><span>{}{}</span> {}</p>",
        escape_html(&words.get("source")),
        escape_html(&words.get("colon")),
        escape_html(&d.source)
    );
    if let Some(note) = &d.note {
        let _ = write!(
            out,
            "<p class=\"figure-note\"><span>{}{}</span> {}</p>",
            escape_html(&words.get("note")),
            escape_html(&words.get("colon")),
            escape_html(note)
        );
    }
    let _ = write!(
        out,
        "<p class=\"figure-links\"><a href=\"{}\">{}</a> · {}{} <a href=\"{}\" download>CSV</a> · <a href=\"{}\" download>JSON</a></p>",
        escape_html(&c.url(&format!("figures/{id}/"))),
        escape_html(&words.get("about_figure")),
        escape_html(&words.get("data")),
        escape_html(&words.get("colon")),
        escape_html(&c.url(&format!("data/{}.csv", d.id))),
        escape_html(&c.url(&format!("data/{}.json", d.id))),
    );
    out.push_str("</div></figure>\n");
    out
}

/// The height of an SVG's view box (`viewBox="0 0 W H"`).
fn view_box_height(svg: &str) -> u32 {
    svg.split_once("viewBox=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .and_then(|vb| vb.split(' ').nth(3))
        .and_then(|h| h.parse().ok())
        .unwrap_or(0)
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
        "<a class=\"figref\" href=\"{}\">{} {}</a>",
        escape_html(&url),
        escape_html(&words.get("figure")),
        f.number
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

/// Each figure's preview image (`figures/<id>.png`), by figure index: taken
/// from `previous` when it was drawn from the same chart, else rasterised.
pub(super) fn previews(
    site: &Site,
    svgs: &[Drawn],
    previous: &Previous,
) -> Vec<Result<Vec<u8>, String>> {
    site.figures
        .par_iter()
        .zip(svgs)
        .map(|(f, svg)| {
            let title = figures::title(f, &site.words);
            let composed = figures::preview::compose(&svg.wide, &title, &site.config.book.title);
            let key = figures::preview::key(&composed);
            let path = format!("{}figures/{}.png", site.lang.prefix, f.spec.id);
            match previous.files.get(&path) {
                Some(old) if figures::preview::stored_key(old).as_deref() == Some(&key) => {
                    Ok(old.clone())
                }
                _ => figures::preview::render(&composed, &key),
            }
        })
        .collect()
}
