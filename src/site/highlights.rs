//! A stage of a load, beside `resolve`: the front page's `[[highlights]]`
//! looked up in the datasets and written as the site's language writes
//! numbers, for the front page template.

use std::collections::BTreeMap;

use serde::Serialize;

use super::parse::Broken;
use crate::content::shortcode::NumberFormat;
use crate::content::{Highlight, Page, PageKind, ValueName};
use crate::data::{Dataset, Numbers};
use crate::diag::{Code, Diagnostics, suggest};

/// A key number of the front page, ready to show.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct HighlightView {
    /// What the number is.
    pub label: String,
    /// The number, written.
    pub value: String,
    /// The number it is compared with, written.
    pub compare: Option<String>,
    /// What the compared number is.
    pub compare_label: Option<String>,
}

/// The front page's highlights among `pages`, each value looked up in
/// `datasets`; a value that does not exist is an error at its line, naming
/// the nearest dataset or key.
pub(super) fn highlights(
    pages: &[Page],
    datasets: &BTreeMap<String, Dataset>,
    broken: &Broken,
    numbers: &Numbers,
    diags: &mut Diagnostics,
) -> Vec<HighlightView> {
    let Some(front) = pages.iter().find(|p| p.kind == PageKind::Front) else { return Vec::new() };
    front
        .highlights
        .iter()
        .filter_map(|h: &Highlight| {
            let value = look_up(&h.value, datasets, broken, diags);
            let compare = h.compare.as_ref().map(|c| look_up(c, datasets, broken, diags));
            let write = |v: f64| match h.format {
                NumberFormat::Number => numbers.number(v),
                NumberFormat::Percent => numbers.percent(v),
            };
            Some(HighlightView {
                label: h.label.clone(),
                value: write(value?),
                compare: match compare {
                    None => None,
                    Some(c) => Some(write(c?)),
                },
                compare_label: h.compare_label.clone(),
            })
        })
        .collect()
}

/// The value `v` names (`dataset.key`), or an error at its place.
fn look_up(
    v: &ValueName,
    datasets: &BTreeMap<String, Dataset>,
    broken: &Broken,
    diags: &mut Diagnostics,
) -> Option<f64> {
    let Some((data, key)) = v.name.split_once('.') else {
        let e = v
            .at
            .error(Code::HighlightValue, format!("{:?} does not name a dataset's value", v.name));
        diags.push(e.with_help("write \"<dataset>.<key>\", such as \"response-rates.companies\""));
        return None;
    };
    let Some(d) = datasets.get(data) else {
        // A dataset that did not parse: its error is reported.
        if !broken.has_dataset(data) {
            let known: Vec<String> = datasets.keys().cloned().collect();
            let e = v.at.error(Code::UnknownDataset, format!("unknown dataset {data:?}"));
            diags.push(e.with_help(suggest(data, "datasets", &known)));
        }
        return None;
    };
    let found = d.values.get(key).copied();
    if found.is_none() {
        let known: Vec<String> = d.values.keys().cloned().collect();
        let e = v.at.error(Code::UnknownValue, format!("dataset {data:?} has no value {key:?}"));
        let help = suggest(key, &format!("values of {data}"), &known) + " (under [values])";
        diags.push(e.with_help(help));
    }
    found
}
