//! Fuzzes a Markdown file (front matter, body, shortcodes, `@/` links) through
//! `content::parse`, as the front page, a chapter and a case study, and prints
//! every diagnostic (issue 7: no input may panic or hang).
#![no_main]

use std::sync::OnceLock;

use briefing::config::{self, Config};
use libfuzzer_sys::fuzz_target;

const BOOK: &str = "[book]\ntitle = \"T\"\n[site]\nbase_url = \"https://example.org/sub/\"\n\
                    [taxonomies]\nareas = [\"Mining\", \"Manufacturing/assembly\"]\n";

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| config::parse(BOOK).expect("a valid book.toml"))
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(src) = std::str::from_utf8(bytes) else { return };
    for key in ["index.md", "chapter.md", "cases/c.md"] {
        let (page, diags) = briefing::content::parse(key, src, config());
        for d in &diags {
            let _ = d.to_string();
        }
        if let Some(page) = page {
            let _ = briefing::content::markdown::fill_holes(&page.body.html, |n| n.to_string());
            for h in &page.body.holes {
                let _ = h.at.to_string();
            }
        }
    }
});
