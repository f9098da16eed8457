//! Writes one site's search documents in three index formats, for
//! bench/search_formats.js to weigh (bytes, and query time in a JS engine).
//! docs/search.md has the figures and the choice they led to.
//!
//!     cargo run --release --example search_formats -- SITE_ROOT OUT_DIR
//!
//! - `full/index.json`: every document with its terms as one string, which a
//!   query scans (the shape of the common JS search indexes that ship text);
//! - `inverted/index.json`: one file, every term with its document list;
//! - `sharded/`: what `briefing build` writes (search/ of the site).

use std::fs;
use std::path::{Path, PathBuf};

use briefing::i18n::Words;
use briefing::search::text::Terms;
use briefing::search::{self, Index};
use serde_json::{Value, json};

fn main() -> anyhow::Result<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [root, out] = args.as_slice() else {
        anyhow::bail!("usage: search_formats SITE_ROOT OUT_DIR");
    };
    let words = Words::parse(briefing::render::theme::BUILTIN_WORDS_EN)?;
    let (site, _) = briefing::site::load(root, &Default::default())
        .map_err(|d| anyhow::anyhow!("the site has errors:\n{}", d.report()))?;
    let docs = search::documents(&site, &words);
    let table: Vec<Value> = docs
        .iter()
        .map(|d| json!([d.kind as u8, d.title, d.path, d.parent.clone().unwrap_or_default()]))
        .collect();

    let full = json!({
        "docs": table,
        "text": docs
            .iter()
            .map(|d| {
                let mut terms = Terms::default();
                for part in &d.terms {
                    terms.add_terms(part);
                }
                terms.into_string()
            })
            .collect::<Vec<_>>(),
    });
    write(&out.join("full/index.json"), &full.to_string())?;

    let index = Index::build(&docs);
    let terms: Vec<Value> = index
        .entries
        .iter()
        .map(|e| {
            let (mut docs, mut titles) = (String::new(), String::new());
            search::index::encode(&e.docs, &mut docs);
            search::index::encode(&e.titles, &mut titles);
            json!([e.term, docs, titles])
        })
        .collect();
    write(&out.join("inverted/index.json"), &json!({ "docs": table, "terms": terms }).to_string())?;

    for f in search::files(&docs, "", &words) {
        let rel = f.path.strip_prefix("search/").unwrap_or(&f.path);
        write(&out.join("sharded").join(rel), &String::from_utf8_lossy(&f.bytes))?;
    }
    println!("{} documents, {} terms", docs.len(), index.entries.len());
    Ok(())
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, text)?;
    Ok(())
}
