//! Fuzzes `book.toml` through `config::parse`, and a parsed configuration's
//! addresses (issue 7).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(src) = std::str::from_utf8(bytes) else { return };
    match briefing::config::parse(src) {
        Err(diags) => {
            let _ = diags.report();
        }
        Ok(config) => {
            let _ = config.url("cases/x/");
            let _ = config.permalink("atom.xml");
            let _ = config.with_base_url("https://example.org/a/b");
        }
    }
});
