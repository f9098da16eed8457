//! Markers that templates render in place of large pieces (a page's body,
//! a list of cases, the print edition's sections), and `splice`, which puts
//! the pieces in after rendering so that none is copied through Tera.

/// Where `page.content` goes; replaced by the page's body after rendering.
pub(super) const CONTENT: &str = "\u{E002}content\u{E003}";
/// Where a list of case studies goes (`case_list`); replaced by their items.
pub(super) const CASE_LIST: &str = "\u{E002}case-list\u{E003}";
/// Where the search page's A to Z list goes (`az_list`).
pub(super) const AZ_LIST: &str = "\u{E002}az-list\u{E003}";

/// Replaces every `marker` in `html` with `pieces`, one after the other,
/// in one pass.
pub(super) fn splice<'a>(
    html: Vec<u8>,
    marker: &str,
    pieces: impl Iterator<Item = &'a str> + Clone,
) -> Vec<u8> {
    let m = marker.as_bytes();
    let finder = memchr::memmem::Finder::new(m);
    let Some(first) = finder.find(&html) else { return html };
    // Room for the pieces made at once: a list of ten thousand cases grown
    // by doubling would be copied a dozen times.
    let room: usize = pieces.clone().map(str::len).sum();
    let mut out = Vec::with_capacity(html.len() + room);
    let mut rest = &html[..];
    let mut at = Some(first);
    while let Some(i) = at {
        out.extend_from_slice(&rest[..i]);
        for piece in pieces.clone() {
            out.extend_from_slice(piece.as_bytes());
        }
        rest = &rest[i + m.len()..];
        at = finder.find(rest);
    }
    out.extend_from_slice(rest);
    out
}

/// Where the print edition's sections go (`print_body`).
pub(super) const PRINT_BODY: &str = "\u{E002}print-body\u{E003}";
/// Where the print edition's figures placed nowhere go (`unplaced_figures`).
pub(super) const UNPLACED: &str = "\u{E002}unplaced-figures\u{E003}";
