//! Taxonomies: areas, issues, regions and companies, grouped from the case
//! studies in one pass. Companies also carry their response record.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use serde::Serialize;

use crate::content::{Page, Response};
use crate::slug::slugify;

/// One of the four taxonomies.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// `areas`, `issues`, `regions` or `companies` (also its output folder).
    pub name: &'static str,
    /// The terms, in vocabulary order when the vocabulary is closed, else by name.
    pub terms: Vec<Term>,
}

/// A term and the case studies that carry it.
#[derive(Debug, Clone)]
pub struct Term {
    /// The term as written (the first spelling met, for open vocabularies).
    pub name: String,
    /// Its slug.
    pub slug: String,
    /// Indices into `Site::pages` of its case studies, newest first.
    pub cases: Vec<usize>,
    /// For companies: the response record.
    pub record: Option<Record>,
}

/// A company's responses across the case studies.
#[derive(Debug, Clone, Default, Serialize, Hash)]
pub struct Record {
    /// Where the company is headquartered (the first `hq` given).
    pub hq: Option<String>,
    /// How many times it was approached.
    pub approached: usize,
    /// How many times it responded.
    pub responded: usize,
    /// How many times it declined to respond.
    pub declined: usize,
    /// How many times it did not respond.
    pub(crate) no_response: usize,
    /// How many responses are awaited.
    pub pending: usize,
}

impl Record {
    /// Adds one approach.
    pub fn add(&mut self, r: Response) {
        self.approached += 1;
        match r {
            Response::Responded => self.responded += 1,
            Response::Declined => self.declined += 1,
            Response::NoResponse => self.no_response += 1,
            Response::Pending => self.pending += 1,
        }
    }

    /// Responses over approaches that are no longer pending; `None` when all are pending.
    pub fn rate(&self) -> Option<f64> {
        let settled = self.approached - self.pending;
        (settled > 0).then(|| self.responded as f64 / settled as f64)
    }
}

/// The taxonomy names in the order the theme shows them.
pub(crate) const NAMES: [&str; 4] = ["areas", "issues", "regions", "companies"];

/// Groups the case studies among `pages` (given in reading order) into the four taxonomies.
pub fn group<'a>(pages: &'a [Page], vocabularies: &BTreeMap<String, Vec<String>>) -> Vec<Taxonomy> {
    let mut cases: Vec<usize> = (0..pages.len()).filter(|&i| pages[i].case.is_some()).collect();
    // Newest first; the same date falls back to the slug so the order is stable.
    cases.sort_by(|&a, &b| {
        let (ca, cb) =
            (pages[a].case.as_ref().map(|c| c.date), pages[b].case.as_ref().map(|c| c.date));
        cb.cmp(&ca).then_with(|| pages[a].slug.cmp(&pages[b].slug))
    });
    NAMES
        .par_iter()
        .map(|&name| {
            let mut terms: Vec<Term> = Vec::new();
            // The same few names recur on thousands of cases: look each up
            // by name, and slug it only the first time.
            let mut by_name: HashMap<&str, usize> = HashMap::new();
            let mut by_slug: HashMap<String, usize> = HashMap::new();
            for &i in &cases {
                let Some(case) = &pages[i].case else { continue };
                let mut add = |term: &'a str, response: Option<(Response, Option<&String>)>| {
                    let at = *by_name.entry(term).or_insert_with(|| {
                        let slug = slugify(term);
                        *by_slug.entry(slug.clone()).or_insert_with(|| {
                            terms.push(Term {
                                name: term.to_string(),
                                slug,
                                cases: Vec::new(),
                                record: (name == "companies").then(Record::default),
                            });
                            terms.len() - 1
                        })
                    });
                    let t = &mut terms[at];
                    if t.cases.last() != Some(&i) {
                        t.cases.push(i);
                    }
                    if let (Some(record), Some((r, hq))) = (t.record.as_mut(), response) {
                        record.add(r);
                        if record.hq.is_none() {
                            record.hq = hq.cloned();
                        }
                    }
                };
                match name {
                    "areas" => add(&case.area, None),
                    "issues" => case.issues.iter().for_each(|t| add(t, None)),
                    "regions" => case.regions.iter().for_each(|t| add(t, None)),
                    _ => case
                        .companies
                        .iter()
                        .for_each(|c| add(&c.name, Some((c.response, c.hq.as_ref())))),
                }
            }
            match vocabularies.get(name) {
                Some(vocab) => {
                    let slugs: Vec<String> = vocab.iter().map(|v| slugify(v)).collect();
                    let pos =
                        |t: &Term| slugs.iter().position(|v| *v == t.slug).unwrap_or(usize::MAX);
                    terms.sort_by_cached_key(|t| (pos(t), t.slug.clone()));
                }
                None => terms.sort_by_cached_key(|t| (t.name.to_lowercase(), t.slug.clone())),
            }
            Taxonomy { name, terms }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_leaves_pending_out() {
        let mut r = Record::default();
        for x in [Response::Responded, Response::NoResponse, Response::Pending, Response::Declined]
        {
            r.add(x);
        }
        assert_eq!(r.rate(), Some(1.0 / 3.0));
        let mut p = Record::default();
        p.add(Response::Pending);
        assert_eq!(p.rate(), None);
    }
}
