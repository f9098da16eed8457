//! Every language of a site with the output folder of each of its pages, so
//! that a page can name itself in the other languages (switchers, alternates).

use super::context::Alternate;
use crate::hash::FastMap;
use crate::site::Site;

/// Every language of the site with the output folder of each page, by page key.
pub struct Languages {
    /// (language, its prefix, its name, page key -> page path), the default first.
    pub(super) all: Vec<(String, String, String, FastMap<String, String>)>,
    base_path: String,
    pub(super) base_url: String,
}

impl Languages {
    pub(super) fn of(site: &Site) -> Self {
        // Only alternates read the paths, and a site in one language has none.
        let one = site.translations.is_empty();
        let paths = |s: &Site| -> FastMap<String, String> {
            if one {
                return FastMap::default();
            }
            s.pages.iter().map(|p| (p.key.clone(), p.path.clone())).collect()
        };
        let mut all = Vec::new();
        for (info, s) in site.lang.all.iter().zip(std::iter::once(site).chain(&site.translations)) {
            all.push((info.code.clone(), info.prefix.clone(), info.name.clone(), paths(s)));
        }
        Languages {
            all,
            base_path: site.config.site.base_path.clone(),
            base_url: site.config.site.base_url.clone(),
        }
    }

    /// The same page in every language: `key` for a page of content/, else
    /// the output folder `path`, which lists and figures share across languages.
    pub(super) fn alternates(
        &self,
        current: &str,
        key: Option<&str>,
        path: &str,
    ) -> Vec<Alternate> {
        if self.all.len() < 2 {
            return Vec::new();
        }
        self.all
            .iter()
            .map(|(code, prefix, name, pages)| {
                let path = key.and_then(|k| pages.get(k)).map_or(path, String::as_str);
                Alternate {
                    lang: code.clone(),
                    name: name.clone(),
                    url: format!("{}{prefix}{path}", self.base_path),
                    permalink: format!("{}{prefix}{path}", self.base_url),
                    current: code == current,
                }
            })
            .collect()
    }
}
