//! Fuzzes a dataset through `data::parse`, then numbers and draws every figure
//! it declares and exports it as CSV and JSON (issue 7).
#![no_main]

use briefing::{data, figures};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(src) = std::str::from_utf8(bytes) else { return };
    match data::parse("fuzz", src) {
        Err(diags) => {
            for d in &diags {
                let _ = d.to_string();
            }
        }
        Ok(dataset) => {
            for figure in figures::number(std::iter::once(&dataset), &[]) {
                let _ = figures::draw(&figure, &dataset, &briefing::i18n::Words::english());
                let _ = figures::table_html(&figure, &dataset, "Data", &briefing::data::Numbers::default());
            }
            let _ = data::export::csv(&dataset, "en");
            let _ = data::export::json(&dataset, "en");
        }
    }
});
