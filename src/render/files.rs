//! The files of a language that are not pages: the feed, the search
//! index's files, each figure's SVG and PNG images, each dataset's CSV and
//! JSON, and the theme's and the site's static files.

use std::collections::BTreeMap;

use super::{OutputFile, Rendered, Shared, feeds, figure_pages};
use crate::data::export;
use crate::diag::{Code, Diagnostics};
use crate::hash::FastSet;
use crate::site::Site;

/// The PNG images drawn, by figure index (preview, chart); one that failed
/// is an error in `diags`.
pub(super) fn check_pngs(
    site: &Site,
    drawn: Vec<[figure_pages::Png; 2]>,
    diags: &mut Diagnostics,
) -> Vec<[Vec<u8>; 2]> {
    let mut pngs = Vec::with_capacity(drawn.len());
    for (f, [preview, chart]) in site.figures.iter().zip(drawn) {
        match (preview, chart) {
            (Ok(preview), Ok(chart)) => pngs.push([preview, chart]),
            (Err(e), _) | (_, Err(e)) => diags.push(f.spec.at.error(
                Code::DrawFailed,
                format!("the PNG images of figure {:?} could not be drawn: {e}", f.spec.id),
            )),
        }
    }
    pngs
}

/// Stage: the files that are not pages: the feed, the search index, each
/// figure's SVG, preview and chart PNG, each dataset's CSV and JSON.
pub(super) fn exports(
    site: &Site,
    shared: &Shared,
    pngs: Vec<[Vec<u8>; 2]>,
    search_files: Vec<OutputFile>,
) -> Vec<OutputFile> {
    let mut files = Vec::with_capacity(search_files.len() + 64);
    let atom = feeds::atom(site, &shared.cases_newest);
    files.push(OutputFile { path: "atom.xml".into(), bytes: atom.into_bytes() });
    files.extend(search_files);
    for (f, svg) in site.figures.iter().zip(&shared.svgs) {
        files.push(OutputFile {
            path: format!("figures/{}.svg", f.spec.id),
            bytes: figure_pages::standalone_svg(&svg.wide).into_bytes(),
        });
    }
    for (f, [preview, chart]) in site.figures.iter().zip(pngs) {
        files.push(OutputFile { path: format!("figures/{}.png", f.spec.id), bytes: preview });
        files.push(OutputFile { path: figure_pages::chart_png_path(f), bytes: chart });
    }
    for d in site.datasets.values() {
        files.push(OutputFile {
            path: format!("data/{}.csv", d.id),
            bytes: export::csv(d, &site.lang.code).into_bytes(),
        });
        files.push(OutputFile {
            path: format!("data/{}.json", d.id),
            bytes: export::json(d, &site.lang.code).into_bytes(),
        });
    }
    files
}

/// Adds the theme's hashed files (`style.1a2b3c4d.css`) and the static
/// files of the theme and the site (the site's over the theme's, under
/// their own names) to `all` where no rendered file has their path; sorts
/// the files.
pub(super) fn add_statics(site: &Site, all: &mut Rendered) {
    let mut statics: BTreeMap<String, Vec<u8>> =
        site.assets.files().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
    statics.extend(site.static_files.iter().map(|(p, b)| (p.clone(), b.clone())));
    // The static files are few and the rendered ones many: look each
    // rendered path up among the statics rather than sort them all.
    let rendered = all.files.iter().map(|f| &f.path).chain(&all.kept).chain(&all.streamed);
    let taken: FastSet<String> = rendered.filter(|p| statics.contains_key(*p)).cloned().collect();
    for (path, bytes) in statics {
        if !taken.contains(&path) {
            all.files.push(OutputFile { path, bytes });
        }
    }
    all.files.sort_by(|a, b| a.path.cmp(&b.path));
}
