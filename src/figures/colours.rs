//! Colours that keep their meaning across a site: one label (a series, or a
//! category of a pie, donut or waffle) has one colour in every figure; the
//! response kinds have the theme's fixed colours, the same as the badges and
//! the company pages; what the source does not state is drawn in no colour.
//!
//! Each colour is written twice in a figure: as the SVG attribute (the light
//! theme's colour, for the SVG file and readers without CSS) and as a CSS
//! variable the theme sets for light and dark (`--chart-1` ... `--chart-7`,
//! `--ok`, `--no`, `--none`, `--wait`, `--chart-muted`).

use std::collections::BTreeMap;

use crate::data::{Dataset, FigureSpec};
use crate::hash::FastMap;

use super::Figure;

/// The default palette on a light background: Okabe and Ito's colour-blind-
/// safe hues, darkened where needed so that each has 3:1 contrast with white.
pub const LIGHT: [&str; 7] =
    ["#0072b2", "#b26b00", "#009e73", "#cc79a7", "#d55e00", "#3b5ba5", "#7d6b00"];

/// The same hues on the dark theme's background (`--bg` = #14171b), lightened
/// where needed for 3:1 contrast; the theme's CSS sets `--chart-N` to these.
pub const DARK: [&str; 7] =
    ["#56b4e9", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#8da0d8", "#c9b458"];

/// The response kinds' colours: (key, CSS variable, light, dark). The
/// variables are the theme's, shared with the response badges.
pub const RESPONSES: [(&str, &str, &str, &str); 4] = [
    ("responded", "--ok", "#0b4a75", "#a9d3f5"),
    ("declined", "--no", "#8f2d07", "#ffb89a"),
    ("no-response", "--none", "#3a3f45", "#d3d7dc"),
    ("pending", "--wait", "#6b5000", "#f2d675"),
];

/// The colour of the categories a mark does not bring forward: (light, dark).
pub const MUTED: (&str, &str) = ("#8a919a", "#7b8794");

/// A colour as a figure draws it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Paint {
    /// `#rrggbb`, lowercase: the SVG attribute's colour.
    pub hex: String,
    /// The CSS variable that restyles it (none for a colour the author chose).
    pub var: Option<&'static str>,
}

impl Paint {
    fn slot(palette: &[String], i: usize) -> Paint {
        const VARS: [&str; 7] = [
            "--chart-1",
            "--chart-2",
            "--chart-3",
            "--chart-4",
            "--chart-5",
            "--chart-6",
            "--chart-7",
        ];
        let n = palette.len().max(1);
        let hex = palette.get(i % n).map_or(LIGHT[i % LIGHT.len()], String::as_str);
        Paint { hex: normalise(hex), var: VARS.get(i % n).copied() }
    }

    /// The colour of categories a mark does not bring forward.
    pub(crate) fn muted() -> Paint {
        Paint { hex: MUTED.0.to_string(), var: Some("--chart-muted") }
    }

    fn response(key: &str) -> Option<Paint> {
        let key = key.trim().to_lowercase().replace([' ', '_'], "-");
        RESPONSES
            .iter()
            .find(|(k, ..)| *k == key)
            .map(|(_, var, light, _)| Paint { hex: light.to_string(), var: Some(var) })
    }
}

/// `#abc` or `#AABBCC` as `#aabbcc`.
fn normalise(hex: &str) -> String {
    let h = hex.trim_start_matches('#').to_lowercase();
    if h.len() == 3 {
        format!("#{}", h.chars().flat_map(|c| [c, c]).collect::<String>())
    } else {
        format!("#{h}")
    }
}

/// The colours of one figure, by key (a series' column or a category as written).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FigureColours {
    paints: Vec<(String, Paint)>,
}

impl FigureColours {
    /// The colour of `key`, if the figure has one for it.
    pub fn get(&self, key: &str) -> Option<&Paint> {
        self.paints.iter().find(|(k, _)| k == key).map(|(_, p)| p)
    }
}

/// The keys a figure colours: the categories of a chart of shares (each
/// slice or square its own colour), else the series.
fn keys(spec: &FigureSpec, data: &Dataset) -> Vec<String> {
    if spec.kind.is_share() {
        let x = data.columns.iter().position(|c| *c == spec.x);
        let mut keys: Vec<String> = Vec::new();
        for row in &data.rows {
            let key = x.and_then(|x| row.get(x)).map(|c| c.label()).unwrap_or_default();
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    } else {
        let mut keys = spec.y.clone();
        keys.dedup();
        keys
    }
}

/// Gives every figure its colours: response kinds their fixed ones, the
/// series of one-series bars and lines the first colour, each other key one
/// slot of `palette` (the default `LIGHT` when `None`) for the whole site, never a slot another key of a figure it appears in already
/// has, and the least used such slot so that a colour means as few things as
/// possible; only when a figure has more keys than the palette has colours
/// does a key take a slot of its own in that figure. The author's `colors`
/// win in their figure.
pub fn assign(
    figures: &mut [Figure],
    datasets: &BTreeMap<String, Dataset>,
    palette: Option<&[String]>,
) {
    let palette: Vec<String> = match palette {
        Some(p) if !p.is_empty() => p.to_vec(),
        _ => LIGHT.iter().map(|c| c.to_string()).collect(),
    };
    let n = palette.len();
    let groups: Vec<Vec<String>> = figures
        .iter()
        .map(|f| datasets.get(&f.dataset).map(|d| keys(&f.spec, d)).unwrap_or_default())
        .map(|keys| keys.into_iter().filter(|k| Paint::response(k).is_none()).collect())
        .collect();
    let mut slot: FastMap<&str, usize> = FastMap::default();
    let mut uses = vec![0usize; n];
    // The series of a one-series bar or line chart has the first colour,
    // which the others then take last: the site's plain bars are all one blue.
    for (f, group) in figures.iter().zip(&groups) {
        if !f.spec.kind.is_share() && group.len() == 1 && !slot.contains_key(group[0].as_str()) {
            slot.insert(&group[0], 0);
            uses[0] += 1;
        }
    }
    for group in &groups {
        for key in group {
            if slot.contains_key(key.as_str()) {
                continue;
            }
            let taken: Vec<usize> = groups
                .iter()
                .filter(|g| g.contains(key))
                .flatten()
                .filter_map(|k| slot.get(k.as_str()).copied())
                .collect();
            let free = (0..n).filter(|s| !taken.contains(s)).min_by_key(|&s| (uses[s], s));
            let s = free.unwrap_or_else(|| (0..n).min_by_key(|&s| (uses[s], s)).unwrap_or(0));
            uses[s] += 1;
            slot.insert(key, s);
        }
    }
    for f in figures.iter_mut() {
        let Some(d) = datasets.get(&f.dataset) else { continue };
        f.colours = paint(&f.spec, d, &palette, |key, used| {
            let s = slot.get(key).copied().unwrap_or(0);
            // More keys than colours: this figure's own free slot, if any.
            if used.contains(&s) { (0..n).find(|s| !used.contains(s)).unwrap_or(s) } else { s }
        });
    }
}

/// The colours of a figure drawn on its own (not part of a site): its keys
/// in order, each the next colour of the default palette.
pub(crate) fn alone(spec: &FigureSpec, data: &Dataset) -> FigureColours {
    let palette: Vec<String> = LIGHT.iter().map(|c| c.to_string()).collect();
    paint(spec, data, &palette, |_, used| used.len())
}

/// Paints each key of `spec`: the author's colour, else a response kind's,
/// else the palette slot `slot(key, slots this figure already uses)` gives.
fn paint(
    spec: &FigureSpec,
    data: &Dataset,
    palette: &[String],
    mut slot: impl FnMut(&str, &[usize]) -> usize,
) -> FigureColours {
    let chosen = |key: &str| {
        spec.colors
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, hex)| Paint { hex: normalise(hex), var: None })
    };
    let mut used: Vec<usize> = Vec::new();
    let mut paints = Vec::new();
    for key in keys(spec, data) {
        let paint = chosen(&key).or_else(|| Paint::response(&key)).unwrap_or_else(|| {
            let s = slot(&key, &used);
            used.push(s);
            Paint::slot(palette, s)
        });
        paints.push((key, paint));
    }
    // A category of a one-series chart the author coloured.
    for (key, hex) in &spec.colors {
        if !paints.iter().any(|(k, _)| k == key) {
            paints.push((key.clone(), Paint { hex: normalise(hex), var: None }));
        }
    }
    FigureColours { paints }
}

/// The WCAG contrast ratio of two `#rrggbb` colours.
pub fn contrast(a: &str, b: &str) -> f64 {
    let luminance = |hex: &str| {
        let h = normalise(hex);
        let v = u32::from_str_radix(&h[1..], 16).unwrap_or(0);
        let lin = |c: u32| {
            let c = f64::from(c & 0xff) / 255.0;
            if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * lin(v >> 16) + 0.7152 * lin(v >> 8) + 0.0722 * lin(v)
    };
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}
