//! A stage of `data::parse_with_csv`: data/<id>.csv read into the dataset's
//! rows. RFC 4180 with what spreadsheets write: a byte-order mark or none,
//! CRLF or LF, `,` or `;` (the first one outside quotes in the header line).

use std::borrow::Cow;
use std::ops::Range;

use super::Cell;
use crate::diag::{Code, Diagnostic, Locator};

/// The rows of a CSV file and where each was written.
pub(super) struct CsvRows {
    /// The column names, as the header line gives them.
    pub(super) columns: Vec<String>,
    /// The rows, cells in column order.
    pub(super) rows: Vec<Vec<Cell>>,
    /// Where the rows, their cells and the header are.
    pub(super) places: Places,
}

/// Where the header, the rows and the cells of a CSV file are, as byte
/// spans of its text (for the diagnostics of later stages).
pub(super) struct Places {
    /// The header line.
    pub(super) header: Range<usize>,
    /// Each column's name in the header.
    pub(super) names: Vec<Range<usize>>,
    /// Each row.
    pub(super) rows: Vec<Range<usize>>,
    /// Each cell, row after row (row `r`, column `c` at `r * columns + c`).
    pub(super) cells: Vec<Range<usize>>,
    /// Were rows left out for their mistakes (so that "no rows" would say
    /// nothing new)?
    pub(super) left_out: bool,
}

impl Places {
    /// Where the cell of row `r` and column `c` is.
    pub(super) fn cell(&self, r: usize, c: usize) -> Range<usize> {
        let width = self.names.len();
        self.cells.get(r * width + c).cloned().unwrap_or_else(|| self.rows[r].clone())
    }
}

/// A cell as written: where it is and its text, unquoted.
struct RawCell<'a> {
    span: Range<usize>,
    text: Cow<'a, str>,
    quoted: bool,
}

/// The rows of `src`, the text of the file `path`; every problem is pushed
/// to `diags` at its line and column, and a row with a problem is left out.
pub(super) fn read(path: &str, src: &str, diags: &mut Vec<Diagnostic>) -> CsvRows {
    let mut at = Locator::new(path, src);
    let start = if src.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut lexer = Lexer { src, pos: start, delim: delimiter(&src[start..]) };
    let mut out = CsvRows {
        columns: Vec::new(),
        rows: Vec::new(),
        places: Places {
            header: start..start,
            names: Vec::new(),
            rows: Vec::new(),
            cells: Vec::new(),
            left_out: false,
        },
    };
    let mut cells: Vec<RawCell> = Vec::new();
    let mut header = None;
    while let Some(record) = lexer.record(&mut cells) {
        match record {
            Err((span, message, help)) => {
                out.places.left_out = true;
                diags.push(at.error(Code::Csv, span, message).with_help(help));
                if header.is_none() {
                    // Without its header no row can be read.
                    return out;
                }
            }
            Ok(_) if is_blank(&cells) => {}
            Ok(span) if header.is_none() => {
                header = Some(span.clone());
                out.places.header = span;
                read_header(&cells, &mut out, &mut at, diags);
            }
            Ok(span) => read_row(span, &cells, lexer.delim, &mut out, &mut at, diags),
        }
    }
    if header.is_none() {
        diags.push(at.error(Code::Csv, start..start, "the CSV file has no header line").with_help(
            "the first line names the columns, the next lines are the rows: region,companies",
        ));
    }
    out
}

/// Is the record a blank line (nothing but spaces)? Blank lines are skipped.
fn is_blank(cells: &[RawCell]) -> bool {
    matches!(cells, [only] if !only.quoted && only.text.is_empty())
}

/// The header's names: each once, none empty.
fn read_header(
    cells: &[RawCell],
    out: &mut CsvRows,
    at: &mut Locator,
    diags: &mut Vec<Diagnostic>,
) {
    for cell in cells {
        let name = cell.text.trim();
        if name.is_empty() {
            diags.push(
                at.error(Code::Csv, cell.span.clone(), "this column of the header has no name")
                    .with_help(
                        "name every column in the header line, even one the figures do not use",
                    ),
            );
        } else if out.columns.iter().any(|c| c == name) {
            diags.push(
                at.error(
                    Code::Csv,
                    cell.span.clone(),
                    format!("the header names the column {name:?} twice"),
                )
                .with_help("give each column its own name"),
            );
        }
        out.columns.push(name.to_string());
        out.places.names.push(cell.span.clone());
    }
}

/// A row of as many cells as the header has names; a row of more or fewer
/// is reported and left out.
fn read_row(
    span: Range<usize>,
    cells: &[RawCell],
    delim: u8,
    out: &mut CsvRows,
    at: &mut Locator,
    diags: &mut Vec<Diagnostic>,
) {
    let width = out.columns.len();
    if cells.len() != width {
        let d = char::from(delim);
        let (place, more, help) = match cells.get(width) {
            Some(extra) => (
                extra.span.clone(),
                "more",
                format!("a cell that holds {d} must be in double quotes: \"Europe{d} Asia\""),
            ),
            None => (
                span.end..span.end,
                "fewer",
                format!("write an empty cell for a number the source does not state: Asia{d}{d}3"),
            ),
        };
        diags.push(
            at.error(
                Code::Csv,
                place,
                format!(
                    "this row has {} cell{}, {more} than the {width} columns the header names",
                    cells.len(),
                    if cells.len() == 1 { "" } else { "s" }
                ),
            )
            .with_help(help),
        );
        out.places.left_out = true;
        return;
    }
    out.rows.push(cells.iter().map(cell).collect());
    out.places.rows.push(span);
    out.places.cells.extend(cells.iter().map(|c| c.span.clone()));
}

/// The cell's value: empty is not stated, a number is a number (quoted or
/// not, as spreadsheets quote as they please), anything else text.
fn cell(written: &RawCell) -> Cell {
    let text = if written.quoted { &*written.text } else { written.text.trim() };
    if text.is_empty() {
        Cell::Missing
    } else if let Some(n) = number(text.trim()) {
        Cell::Number(n)
    } else {
        Cell::Text(text.to_string())
    }
}

/// `text` as a number: an optional sign, digits with `.` for decimals, an
/// optional exponent; no thousands separators, no `inf` or `nan`.
pub(super) fn number(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let from = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    let mut mantissa = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        i += usize::from(matches!(b.get(i), Some(b'+' | b'-')));
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Does `text` start the way a number does (a digit, or a sign or a point
/// before one) without being one, as `1,5` or `12a`?
pub(super) fn looks_like_number(text: &str) -> bool {
    let b = text.trim().as_bytes();
    let start = usize::from(matches!(b.first(), Some(b'+' | b'-' | b'.')));
    b.get(start).is_some_and(u8::is_ascii_digit) && number(text.trim()).is_none()
}

/// The delimiter of a CSV whose text (after its byte-order mark) is `src`:
/// the first `,` or `;` outside quotes on the header line; `,` if none.
fn delimiter(src: &str) -> u8 {
    let mut quoted = false;
    for &b in src.trim_start().as_bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' | b';' if !quoted => return b,
            b'\n' if !quoted => break,
            _ => {}
        }
    }
    b','
}

/// A problem found while reading: where, what, and how to fix it.
type Problem = (Range<usize>, String, &'static str);

/// Reads records one by one from `pos`.
struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    delim: u8,
}

impl<'a> Lexer<'a> {
    /// The next record's span, its cells put into `cells`; `None` at the
    /// end of the text. After a problem, the rest of its line is skipped.
    fn record(&mut self, cells: &mut Vec<RawCell<'a>>) -> Option<Result<Range<usize>, Problem>> {
        cells.clear();
        let bytes = self.src.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        let start = self.pos;
        loop {
            let cell = match self.cell() {
                Ok(cell) => cell,
                Err(problem) => {
                    self.skip_line();
                    return Some(Err(problem));
                }
            };
            cells.push(cell);
            let end = self.pos;
            match bytes.get(self.pos) {
                None => return Some(Ok(start..end)),
                Some(&b) if b == self.delim => self.pos += 1,
                Some(_) => {
                    let len = line_end(&bytes[self.pos..]).unwrap_or(1);
                    self.pos += len;
                    return Some(Ok(start..end));
                }
            }
        }
    }

    /// The cell at `pos`, leaving `pos` at the delimiter or line end after it.
    fn cell(&mut self) -> Result<RawCell<'a>, Problem> {
        let bytes = self.src.as_bytes();
        let mut i = self.pos;
        while matches!(bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if bytes.get(i) == Some(&b'"') {
            self.pos = i;
            return self.quoted();
        }
        let start = self.pos;
        let end = memchr::memchr3(self.delim, b'\n', b'"', &bytes[start..])
            .map_or(bytes.len(), |n| start + n);
        if bytes.get(end) == Some(&b'"') {
            self.pos = end;
            return Err((
                end..end + 1,
                "a quote inside a cell that is not in quotes".to_string(),
                "put the whole cell in double quotes and double each quote inside it: \"say \"\"no\"\"\"",
            ));
        }
        let text_end = if bytes.get(end) == Some(&b'\n') && end > start && bytes[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        self.pos = text_end;
        let text = &self.src[start..text_end];
        let trimmed = text.trim_matches([' ', '\t']);
        let lead = text.len() - text.trim_start_matches([' ', '\t']).len();
        let span = if trimmed.is_empty() {
            start..start
        } else {
            start + lead..start + lead + trimmed.len()
        };
        Ok(RawCell { span, text: Cow::Borrowed(trimmed), quoted: false })
    }

    /// The quoted cell whose opening quote is at `pos`.
    fn quoted(&mut self) -> Result<RawCell<'a>, Problem> {
        let bytes = self.src.as_bytes();
        let open = self.pos;
        let mut owned: Option<String> = None;
        let mut from = open + 1;
        loop {
            let Some(q) = memchr::memchr(b'"', &bytes[from..]).map(|n| from + n) else {
                return Err((
                    open..open + 1,
                    "this quote is never closed".to_string(),
                    "close the cell with a double quote; write \"\" for a quote inside it",
                ));
            };
            if bytes.get(q + 1) == Some(&b'"') {
                owned.get_or_insert_with(String::new).push_str(&self.src[from..=q]);
                from = q + 2;
                continue;
            }
            let mut text = match owned {
                Some(mut s) => {
                    s.push_str(&self.src[from..q]);
                    Cow::Owned(s)
                }
                None => Cow::Borrowed(&self.src[open + 1..q]),
            };
            // A file saved with CRLF has them inside cells too: a line end
            // in a cell is the same whichever the system.
            if text.contains('\r') {
                text = Cow::Owned(text.replace("\r\n", "\n"));
            }
            let mut after = q + 1;
            while matches!(bytes.get(after), Some(b' ' | b'\t')) {
                after += 1;
            }
            let ends = match bytes.get(after) {
                None | Some(b'\n') => true,
                Some(b'\r') => bytes.get(after + 1) == Some(&b'\n'),
                Some(&b) => b == self.delim,
            };
            if !ends {
                self.pos = after;
                return Err((
                    after..after + 1,
                    "text after the closing quote of a cell".to_string(),
                    "a cell in quotes ends at its closing quote; write \"\" for a quote inside it",
                ));
            }
            self.pos = after;
            return Ok(RawCell { span: open..q + 1, text, quoted: true });
        }
    }

    /// Moves `pos` past the end of its line.
    fn skip_line(&mut self) {
        let bytes = self.src.as_bytes();
        self.pos = memchr::memchr(b'\n', &bytes[self.pos.min(bytes.len())..])
            .map_or(bytes.len(), |n| self.pos + n + 1);
    }
}

/// The length of the line end at the start of `bytes` (`\n` or `\r\n`), if
/// one is there.
fn line_end(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [b'\n', ..] => Some(1),
        [b'\r', b'\n', ..] => Some(2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(src: &str) -> CsvRows {
        let mut diags = Vec::new();
        let rows = read("data/d.csv", src, &mut diags);
        assert!(diags.is_empty(), "{src:?}: {diags:#?}");
        rows
    }

    /// The diagnostics of `src` as `line:col message`.
    fn errors(src: &str) -> Vec<String> {
        let mut diags = Vec::new();
        read("data/d.csv", src, &mut diags);
        diags.iter().map(|d| format!("{}:{} {}", d.line, d.col, d.message)).collect()
    }

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn line_ends_delimiters_and_a_byte_order_mark_read_the_same() {
        let want = vec![
            vec![text("Europe"), Cell::Number(12.0), Cell::Number(1.5)],
            vec![text("Asia"), Cell::Missing, Cell::Number(-3.0)],
        ];
        for src in [
            "region,companies,share\nEurope,12,1.5\nAsia,,-3\n",
            "region;companies;share\nEurope;12;1.5\nAsia;;-3",
            "\u{feff}region;companies;share\r\nEurope;12;1.5\r\nAsia;;-3\r\n",
            "region , companies,share\n\nEurope, 12 ,1.5\r\n  \nAsia,,-3\n\n",
            "\"region\",\"companies\",\"share\"\n\"Europe\",\"12\",\"1.5\"\n\"Asia\",\"\",\"-3\"\n",
        ] {
            let rows = read_ok(src);
            assert_eq!(rows.columns, ["region", "companies", "share"], "{src:?}");
            assert_eq!(rows.rows, want, "{src:?}");
        }
    }

    #[test]
    fn quoted_cells_hold_delimiters_quotes_and_line_ends() {
        let rows = read_ok("a;b\n\"x; y, z\";\"say \"\"no\"\"\r\nthen go\"\r\n\"\"\"\";1\n");
        assert_eq!(rows.rows[0], [text("x; y, z"), text("say \"no\"\nthen go")]);
        assert_eq!(rows.rows[1], [text("\""), Cell::Number(1.0)]);
        // The first delimiter outside quotes on the header line decides.
        assert_eq!(read_ok("\"a;b\",c\n1,2\n").columns, ["a;b", "c"]);
    }

    #[test]
    fn places_are_byte_spans_of_the_cells_and_rows() {
        let src = "\u{feff}k;n\r\n\"a\";  7 \r\n";
        let rows = read_ok(src);
        let p = &rows.places;
        assert_eq!(&src[p.header.clone()], "k;n");
        assert_eq!(&src[p.names[1].clone()], "n");
        assert_eq!(&src[p.cell(0, 0)], "\"a\"");
        assert_eq!(&src[p.cell(0, 1)], "7");
        assert_eq!(&src[p.rows[0].clone()], "\"a\";  7 ");
    }

    #[test]
    fn numbers_use_a_point_and_no_separators() {
        for (s, want) in [
            ("12", Some(12.0)),
            ("-0.5", Some(-0.5)),
            ("+3", Some(3.0)),
            (".5", Some(0.5)),
            ("5.", Some(5.0)),
            ("1e3", Some(1000.0)),
            ("2.5E-1", Some(0.25)),
            ("1,5", None),
            ("1 000", None),
            ("12a", None),
            ("inf", None),
            ("NaN", None),
            ("1e999", None),
            ("-", None),
            (".", None),
            ("1e", None),
            ("", None),
        ] {
            assert_eq!(number(s), want, "{s:?}");
        }
        for (s, want) in [
            ("1,5", true),
            ("12a", true),
            ("-3 %", true),
            (".5.5", true),
            ("12", false),
            ("n/a", false),
            ("about 30", false),
            ("-", false),
        ] {
            assert_eq!(looks_like_number(s), want, "{s:?}");
        }
    }

    #[test]
    fn mistakes_are_reported_at_their_line_and_column() {
        for (src, want) in [
            ("a;b\n1;2;3\n", "2:5 this row has 3 cells, more than the 2 columns the header names"),
            ("a;b\nx\n", "2:2 this row has 1 cell, fewer than the 2 columns the header names"),
            (
                "\u{feff}a;b\r\nx\r\n",
                "2:2 this row has 1 cell, fewer than the 2 columns the header names",
            ),
            ("a,b\nx\"y,1\n", "2:2 a quote inside a cell that is not in quotes"),
            ("a,b\n1,\"open\n2,3\n", "2:3 this quote is never closed"),
            ("a,b\n\"x\"y,1\n", "2:4 text after the closing quote of a cell"),
            ("\u{feff}é;a;é\n", "1:5 the header names the column \"é\" twice"),
            ("a;;b\n", "1:3 this column of the header has no name"),
            ("", "1:1 the CSV file has no header line"),
            ("\u{feff}\r\n\r\n", "1:1 the CSV file has no header line"),
        ] {
            assert_eq!(errors(src), [want], "{src:?}");
        }
    }

    #[test]
    fn a_mistake_in_the_header_stops_the_reading() {
        let mut diags = Vec::new();
        let rows = read("data/d.csv", "a,\"b\"x\n1,2\n3,4\n", &mut diags);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert!(rows.columns.is_empty() && rows.rows.is_empty() && rows.places.left_out);
    }

    #[test]
    fn a_row_with_a_mistake_is_left_out_and_reading_goes_on() {
        let mut diags = Vec::new();
        let rows = read("data/d.csv", "a,b\n1,2,3\nx\"y,1\n4,5\n", &mut diags);
        assert_eq!(diags.len(), 2);
        assert_eq!(rows.rows, [vec![Cell::Number(4.0), Cell::Number(5.0)]]);
        assert!(rows.places.left_out);
        assert_eq!(diags[0].path, "data/d.csv");
    }
}
