//! A stage of a load, once the pages are parsed and before figures are
//! resolved: each dataset with `[from_cases]` counted from the case studies'
//! front matter, then parsed again with the counted rows, so that the rest
//! of the build sees an ordinary `Dataset`.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::content::{Case, Page, Response};
use crate::data::{self, Cell, Count, Counted, Dataset, FromCases, Grouping};
use crate::diag::Diagnostics;
use crate::hash::FastMap;
use crate::i18n::Words;
use crate::slug::slugify;
use crate::taxonomy::Taxonomy;

/// Counts every dataset of `datasets` that says `[from_cases]` from the
/// case studies among `pages` (drafts are among them only in builds with
/// drafts); a dataset whose figures or labels do not fit its counted rows
/// is reported and left out.
pub(super) fn count_from_cases(
    pages: &[Page],
    taxonomies: &[Taxonomy],
    config: &Config,
    datasets: &mut BTreeMap<String, Dataset>,
    diags: &mut Diagnostics,
) {
    let counted: Vec<String> =
        datasets.values().filter(|d| d.from_cases.is_some()).map(|d| d.id.clone()).collect();
    for id in counted {
        let Some(spec) = datasets.get(&id).and_then(|d| d.from_cases.clone()) else { continue };
        let table = count(&spec, pages, taxonomies, config);
        match data::parse_counted(&id, &spec.src, &table) {
            Ok(d) => {
                super::parse::check_dataset_languages(&d, config, diags);
                datasets.insert(id, d);
            }
            Err(e) => {
                diags.extend(e);
                datasets.remove(&id);
            }
        }
    }
}

/// A dataset counted by response names its rows or columns with the
/// format's words (`no-response`): shown, they are the theme's words for
/// each response in the edition's language, unless the dataset's own
/// `labels` translate them (downloads keep the format's words).
pub(super) fn name_responses(datasets: &mut BTreeMap<String, Dataset>, words: &Words) {
    for d in datasets.values_mut() {
        let Some(spec) = &d.from_cases else { continue };
        if !spec.by_response() {
            continue;
        }
        for r in Response::ALL.map(Response::as_str) {
            d.names.insert(r.to_string(), words.get(r));
        }
    }
}

/// One thing counted: a case study, or one company named in it.
struct Unit<'a> {
    case: &'a Case,
    /// The company, for an approach.
    company: Option<usize>,
}

/// The categories of one grouping, in order, and how a unit's values find
/// their place among them.
struct Axis {
    names: Vec<String>,
    /// A value's key (as `Axis::keys` makes it) -> its index in `names`.
    index: FastMap<String, usize>,
    grouping: Grouping,
}

/// The table `spec` asks for, counted from the case studies among `pages`.
pub(crate) fn count(
    spec: &FromCases,
    pages: &[Page],
    taxonomies: &[Taxonomy],
    config: &Config,
) -> Counted {
    let cases: Vec<&Case> = pages.iter().filter_map(|p| p.case.as_ref()).collect();
    let hq = headquarters(taxonomies);
    let rows = Axis::new(spec.by, &cases, taxonomies, config);
    let split = spec.split.map(|s| Axis::new(s, &cases, taxonomies, config));
    let units: Vec<Unit> = match spec.count {
        Count::Cases => cases.iter().map(|&case| Unit { case, company: None }).collect(),
        Count::Approaches => cases
            .iter()
            .flat_map(|&case| {
                (0..case.companies.len()).map(move |i| Unit { case, company: Some(i) })
            })
            .collect(),
    };
    let width = split.as_ref().map_or(1, |s| s.names.len());
    let mut counts = vec![vec![0usize; width]; rows.names.len()];
    let (mut total, mut responded, mut settled) = (0usize, 0usize, 0usize);
    for u in &units {
        let rs = rows.places(u, &hq);
        let cs = split.as_ref().map_or_else(|| vec![0], |s| s.places(u, &hq));
        if rs.is_empty() || cs.is_empty() {
            continue;
        }
        total += 1;
        for &r in &rs {
            for &c in &cs {
                counts[r][c] += 1;
            }
        }
        let approaches = match u.company {
            Some(i) => std::slice::from_ref(&u.case.companies[i]),
            None => u.case.companies.as_slice(),
        };
        for co in approaches {
            responded += usize::from(co.response == Response::Responded);
            settled += usize::from(co.response != Response::Pending);
        }
    }
    let mut columns = vec![spec.by.as_str().to_string()];
    match &split {
        Some(s) => columns.extend(s.names.iter().cloned()),
        None => columns.push(spec.count.as_str().to_string()),
    }
    let mut values = BTreeMap::from([("total".to_string(), total as f64)]);
    let by_response = spec.by_response();
    if by_response && settled > 0 {
        values.insert("rate".to_string(), responded as f64 / settled as f64);
    }
    let bits: Vec<(&String, u64)> = values.iter().map(|(k, v)| (k, v.to_bits())).collect();
    let key = crate::hash::of((&columns, &rows.names, &counts, bits));
    let rows = rows
        .names
        .iter()
        .zip(counts)
        .map(|(name, counts)| {
            let mut row = vec![Cell::Text(name.clone())];
            row.extend(counts.into_iter().map(|n| Cell::Number(n as f64)));
            row
        })
        .collect();
    Counted { columns, rows, values, key }
}

/// Where each company is headquartered, by slug: the `hq` its company page
/// shows (the first given). Companies without one are not counted by `hq`.
fn headquarters(taxonomies: &[Taxonomy]) -> FastMap<String, String> {
    let companies = taxonomies.iter().filter(|t| t.name == "companies");
    companies
        .flat_map(|t| &t.terms)
        .filter_map(|t| Some((t.slug.clone(), t.record.as_ref()?.hq.clone()?)))
        .collect()
}

impl Axis {
    /// The categories of `grouping`: a closed vocabulary's terms in its
    /// order, else the terms in the order their taxonomy page lists them;
    /// responses in the format's order; every year from the first case
    /// study's to the last's.
    fn new(grouping: Grouping, cases: &[&Case], taxonomies: &[Taxonomy], config: &Config) -> Axis {
        let terms = |name: &str| -> Vec<String> {
            match config.vocabularies.get(name) {
                Some(vocab) => vocab.clone(),
                None => taxonomies
                    .iter()
                    .filter(|t| t.name == name)
                    .flat_map(|t| t.terms.iter().map(|k| k.name.clone()))
                    .collect(),
            }
        };
        let names: Vec<String> = match grouping {
            Grouping::Area => terms("areas"),
            Grouping::Issues => terms("issues"),
            Grouping::Regions => terms("regions"),
            Grouping::Hq => hq_names(taxonomies, config),
            Grouping::Response => Response::ALL.iter().map(|r| r.as_str().to_string()).collect(),
            Grouping::Year => {
                let years = cases.iter().map(|c| c.date.year);
                match (years.clone().min(), years.max()) {
                    (Some(first), Some(last)) => (first..=last).map(|y| y.to_string()).collect(),
                    _ => Vec::new(),
                }
            }
        };
        let mut index = FastMap::default();
        for (i, n) in names.iter().enumerate() {
            index.entry(Axis::key(grouping, n)).or_insert(i);
        }
        Axis { names, index, grouping }
    }

    /// How a value is looked up: terms by slug (as taxonomies group them).
    fn key(grouping: Grouping, value: &str) -> String {
        match grouping {
            Grouping::Response | Grouping::Year => value.to_string(),
            _ => slugify(value),
        }
    }

    /// The indices of the categories unit `u` counts in, each once.
    fn places(&self, u: &Unit, hq: &FastMap<String, String>) -> Vec<usize> {
        let companies = match u.company {
            Some(i) => std::slice::from_ref(&u.case.companies[i]),
            None => u.case.companies.as_slice(),
        };
        let values: Vec<String> = match self.grouping {
            Grouping::Area => vec![u.case.area.clone()],
            Grouping::Issues => u.case.issues.clone(),
            Grouping::Regions => u.case.regions.clone(),
            Grouping::Year => vec![u.case.date.year.to_string()],
            Grouping::Response => companies.iter().map(|c| c.response.as_str().into()).collect(),
            Grouping::Hq => companies.iter().filter_map(|c| hq.get(&c.slug).cloned()).collect(),
        };
        let mut at: Vec<usize> = values
            .iter()
            .filter_map(|v| self.index.get(&Axis::key(self.grouping, v)))
            .copied()
            .collect();
        at.sort_unstable();
        at.dedup();
        at
    }
}

/// The headquarters named, in the regions' vocabulary order when there is
/// one (the usual words for both), then by name; a spelling met first (in
/// the companies' order) names its slug.
fn hq_names(taxonomies: &[Taxonomy], config: &Config) -> Vec<String> {
    let regions: Vec<String> = config
        .vocabularies
        .get("regions")
        .map_or_else(Vec::new, |v| v.iter().map(|r| slugify(r)).collect());
    let mut by_slug: BTreeMap<String, String> = BTreeMap::new();
    let companies = taxonomies.iter().filter(|t| t.name == "companies").flat_map(|t| &t.terms);
    for name in companies.filter_map(|t| t.record.as_ref()?.hq.as_ref()) {
        by_slug.entry(slugify(name)).or_insert_with(|| name.clone());
    }
    let mut names: Vec<(usize, String, String)> = by_slug
        .into_iter()
        .map(|(slug, name)| {
            let pos = regions.iter().position(|r| *r == slug).unwrap_or(usize::MAX);
            (pos, name.to_lowercase(), name)
        })
        .collect();
    names.sort();
    names.into_iter().map(|(_, _, n)| n).collect()
}
