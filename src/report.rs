//! How `build` and `check` write their diagnostics: as text for people
//! (`--message-format human`, on stderr), as one JSON object per line for
//! tools (`json`, on stdout), or as GitHub Actions workflow commands that
//! put each mistake on its line of a pull request (`github`, on stdout, with
//! the text for people still on stderr).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Component, Path};

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Severity};

/// The format of diagnostics on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MessageFormat {
    /// `path:line:col: error: message`, the source line and a help line, on stderr.
    #[default]
    Human,
    /// One JSON object per diagnostic, then a summary object, on stdout.
    Json,
    /// GitHub Actions workflow commands (`::error file=...::message`) on stdout;
    /// the text for people on stderr.
    Github,
}

impl MessageFormat {
    /// Is this a format for machines (no progress bar, no decoration)?
    pub fn is_machine(self) -> bool {
        self != MessageFormat::Human
    }
}

/// One diagnostic as a JSON object.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename = "diagnostic")]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    message: &'a str,
    help: Option<&'a str>,
}

/// The last object of a JSON run.
#[derive(Debug, Default, Serialize)]
#[serde(tag = "type", rename = "summary")]
pub struct Summary {
    /// `build` or `check`.
    pub command: &'static str,
    /// Did the command succeed (exit status 0)?
    pub success: bool,
    /// How many errors were reported.
    pub errors: usize,
    /// How many warnings were reported.
    pub warnings: usize,
    /// Pages built (a successful build).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
    /// Figures drawn (a successful build).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figures: Option<usize>,
    /// Files in the output (a successful build).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<usize>,
    /// External addresses fetched (`check --external`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_checked: Option<usize>,
}

impl Summary {
    /// The summary of `command` with these counts.
    pub fn new(command: &'static str, success: bool, errors: usize, warnings: usize) -> Self {
        Summary { command, success, errors, warnings, ..Summary::default() }
    }
}

/// Writes diagnostics in one format. Paths are given as seen from the
/// current folder: the site root (as passed with `--root`) joined to each
/// diagnostic's path, so that CI finds the file in the repository.
#[derive(Debug, Clone)]
pub struct Printer {
    format: MessageFormat,
    root: String,
}

impl Printer {
    /// A printer for the site at `root`.
    pub fn new(format: MessageFormat, root: &Path) -> Self {
        Printer { format, root: root_prefix(root) }
    }

    /// The format it writes.
    pub fn format(&self) -> MessageFormat {
        self.format
    }

    /// Writes `diags` (sorted): the report on stderr, or one line per diagnostic on stdout.
    pub fn diagnostics(&self, diags: &Diagnostics) {
        match self.format {
            MessageFormat::Human => eprint!("{}", diags.report()),
            MessageFormat::Json => print_stdout(&self.lines(&diags.sorted(), Self::json)),
            MessageFormat::Github => {
                eprint!("{}", diags.report());
                print_stdout(&self.lines(&diags.sorted(), Self::github));
            }
        }
    }

    /// Writes diagnostics that are not in a `Diagnostics` (external links), in their order.
    pub fn more(&self, diags: &[Diagnostic]) {
        match self.format {
            MessageFormat::Human => {}
            MessageFormat::Json => print_stdout(&self.lines(diags, Self::json)),
            MessageFormat::Github => print_stdout(&self.lines(diags, Self::github)),
        }
    }

    /// Writes a line for people: on stderr, except in JSON, which has its summary.
    pub fn say(&self, line: &str) {
        if self.format != MessageFormat::Json {
            eprintln!("{line}");
        }
    }

    /// Writes the summary object (JSON only).
    pub fn summary(&self, summary: &Summary) {
        if self.format == MessageFormat::Json {
            let line = serde_json::to_string(summary).expect("a summary always serialises");
            print_stdout(&format!("{line}\n"));
        }
    }

    fn lines(&self, diags: &[Diagnostic], one: fn(&Self, &Diagnostic) -> String) -> String {
        let mut out = String::new();
        for d in diags {
            out.push_str(&one(self, d));
            out.push('\n');
        }
        out
    }

    /// The file a diagnostic names, as seen from the current folder; `None`
    /// for what is not a file of the site (an output page, `--base-url`).
    fn file(&self, d: &Diagnostic) -> Option<String> {
        if d.path.ends_with(" (output)") || d.path.starts_with("--") {
            return None;
        }
        Some(format!("{}{}", self.root, d.path))
    }

    /// One diagnostic as a JSON object on one line.
    pub fn json(&self, d: &Diagnostic) -> String {
        let placed = d.line > 0;
        let object = JsonDiagnostic {
            severity: severity(d.severity),
            code: d.code.as_str(),
            file: self.file(d).unwrap_or_else(|| d.path.clone()),
            line: placed.then_some(d.line),
            column: placed.then_some(d.col),
            end_line: (placed && d.source_line.is_some()).then_some(d.line),
            // Exclusive, as in cargo's and most editors' ranges.
            end_column: (placed && d.source_line.is_some()).then_some(d.col + d.width.max(1)),
            message: &d.message,
            help: d.help.as_deref(),
        };
        serde_json::to_string(&object).expect("a diagnostic always serialises")
    }

    /// One diagnostic as a GitHub Actions workflow command.
    pub fn github(&self, d: &Diagnostic) -> String {
        let mut props = Vec::new();
        // A page of the output is no file of the repository: the message names it.
        let file = self.file(d);
        if let Some(file) = &file {
            props.push(("file", file.clone()));
            if d.line > 0 {
                props.push(("line", d.line.to_string()));
                props.push(("col", d.col.to_string()));
                if d.source_line.is_some() {
                    props.push(("endLine", d.line.to_string()));
                    // Inclusive, as GitHub reads it.
                    props.push(("endColumn", (d.col + d.width.max(1) - 1).to_string()));
                }
            }
        }
        props.push(("title", d.code.as_str().to_string()));
        let mut message =
            if file.is_none() { format!("{}: {}", d.path, d.message) } else { d.message.clone() };
        if let Some(help) = &d.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        let props: Vec<String> =
            props.iter().map(|(k, v)| format!("{k}={}", escape_property(v))).collect();
        format!("::{} {}::{}", severity(d.severity), props.join(","), escape_data(&message))
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The root as a prefix of paths: empty for the current folder, else the
/// root with `/` separators and a trailing `/`.
fn root_prefix(root: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for c in root.components() {
        match c {
            Component::CurDir => {}
            Component::RootDir => absolute = true,
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    if parts.is_empty() && !absolute {
        return String::new();
    }
    format!("{}{}/", if absolute { "/" } else { "" }, parts.join("/"))
}

/// Escapes the message of a workflow command, as GitHub's toolkit does.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property of a workflow command: also `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not our error.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    fn sample() -> Diagnostic {
        let src = "title = \"D\"\n[[figures]]\nx = \"isue\"\n";
        Diagnostic::error(
            Code::UnknownColumn,
            "data/d.toml",
            src,
            28..34,
            "unknown column \"isue\"",
        )
        .with_help("did you mean \"issue\"? known columns are \"issue\", \"n\"")
    }

    #[test]
    fn json_names_the_code_the_place_and_the_end() {
        let line = Printer::new(MessageFormat::Json, Path::new(".")).json(&sample());
        assert_eq!(
            line,
            r#"{"type":"diagnostic","severity":"error","code":"data/unknown-column","file":"data/d.toml","line":3,"column":5,"end_line":3,"end_column":11,"message":"unknown column \"isue\"","help":"did you mean \"issue\"? known columns are \"issue\", \"n\""}"#
        );
    }

    #[test]
    fn github_commands_escape_data_and_properties() {
        let mut d = sample();
        d.message = "50% done, line\r\nbreak: here".into();
        d.help = None;
        let line = Printer::new(MessageFormat::Github, Path::new("sites/a,b:c")).github(&d);
        assert_eq!(
            line,
            "::error file=sites/a%2Cb%3Ac/data/d.toml,line=3,col=5,endLine=3,endColumn=10,title=data/unknown-column::50%25 done, line%0D%0Abreak: here"
        );
    }

    #[test]
    fn output_pages_are_not_files_of_the_repository() {
        let d = Diagnostic::file_error(
            Code::BrokenLink,
            "cases/a/index.html (output)",
            "broken link \"x\"",
        );
        let p = Printer::new(MessageFormat::Github, Path::new("."));
        assert_eq!(
            p.github(&d),
            "::error title=link/broken::cases/a/index.html (output): broken link \"x\""
        );
        let json = Printer::new(MessageFormat::Json, Path::new("./site/")).json(&d);
        assert!(
            json.contains(
                r#""file":"cases/a/index.html (output)","line":null,"column":null,"end_line":null"#
            ),
            "{json}"
        );
    }

    #[test]
    fn roots_become_prefixes() {
        for (root, want) in
            [(".", ""), ("./", ""), ("site", "site/"), ("./a/b/", "a/b/"), ("/x/y", "/x/y/")]
        {
            assert_eq!(root_prefix(Path::new(root)), want, "{root}");
        }
    }
}
