//! `briefing`: a static site generator for human-rights snapshot briefings.
//!
//! The flow runs one way: `config` and `site` read the sources into a checked
//! model, `render` turns it into files, and `output` writes them: `build`
//! stages each file as it is made and puts them all in place once the links
//! are checked; `check` keeps only each page's links; `serve` keeps the
//! files in memory, to serve them.

// Diagnostics are large but only travel on the cold path of a failed file.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod check;
pub mod cli;
pub mod codes;
pub mod config;
pub mod content;
pub mod data;
pub mod diag;
pub mod external;
pub mod figures;
pub(crate) mod fingerprint;
pub(crate) mod hash;
pub mod html;
pub mod i18n;
pub(crate) mod inventory;
pub mod linkcheck;
pub(crate) mod memory;
pub mod output;
pub(crate) mod output_file;
pub mod progress;
pub mod render;
pub mod report;
pub(crate) mod scaffold;
pub(crate) mod schema;
pub mod search;
pub mod serve;
pub mod session;
pub mod site;
pub mod slug;
pub mod taxonomy;
pub(crate) mod watch;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cli::{BuildArgs, Cli, Command, NewWhat};
use diag::Diagnostics;
use progress::Progress;

/// How a command ended, when it ran to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It did what it was asked (exit status 0).
    Success,
    /// The site has errors, which were printed (exit status 1).
    SiteErrors,
}

/// Why a build did not happen.
#[derive(Debug)]
pub enum Failure {
    /// The site has errors an author can fix.
    Site(Diagnostics),
    /// Something went wrong in the environment (I/O, a refused output folder).
    Env(anyhow::Error),
}

/// What a successful build did.
#[derive(Debug)]
pub struct Built {
    /// Files written, kept and removed.
    pub report: output::WriteReport,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// How many files the site has.
    pub files: usize,
    /// How many of them are HTML pages.
    pub pages: usize,
    /// How many figures were drawn.
    pub figures: usize,
    /// Where it was written.
    pub output_dir: PathBuf,
}

/// Builds the site at `args.root`: read, check, render (each file staged as
/// it is made), check links, and only then put the files in place.
///
/// # Errors
/// `Failure::Site` with every diagnostic when the site has errors (nothing is
/// written); `Failure::Env` when the output folder is refused or writing fails.
pub fn build(args: &BuildArgs) -> Result<Built, Failure> {
    build_with_progress(args, &Progress::hidden())
}

/// `build`, showing its stages on `progress`.
///
/// # Errors
/// As `build`.
pub(crate) fn build_with_progress(args: &BuildArgs, progress: &Progress) -> Result<Built, Failure> {
    let opts = site::LoadOptions { drafts: args.drafts, base_url: args.base_url.clone() };
    let mut clock = Instant::now();
    let mut lap = |stage: &str| {
        if args.verbose {
            let peak = peak_memory_mib().map(|m| format!(", peak memory so far {m} MiB"));
            progress.println(&format!(
                "{stage}: {} ms{}",
                clock.elapsed().as_millis(),
                peak.unwrap_or_default()
            ));
            clock = Instant::now();
        }
    };
    // Nothing changed since the last clean build into the same folder: done.
    // `--force` always builds (and so repairs files changed by hand in the output).
    let inventory = inventory::Inventory::take(&args.root);
    let inputs = fingerprint::of(args, &inventory);
    if !args.force
        && let (Some(inputs), Some(output_dir)) = (&inputs, configured_output(args))
        && let Some((stamp, files)) = output::unchanged_since(&output_dir)
        && stamp.inputs == *inputs
        && output::check_output_dir(&args.root, &output_dir).is_ok()
    {
        lap("unchanged");
        return Ok(Built {
            report: output::WriteReport { written: 0, unchanged: files, removed: 0 },
            warnings: Diagnostics::new(),
            files,
            pages: stamp.pages,
            figures: stamp.figures,
            output_dir,
        });
    }
    progress.stage("reading the sources", None);
    let (mut site, warnings) =
        site::load_with(&args.root, &opts, &inventory, None).map_err(Failure::Site)?;
    lap("load");
    let output_dir = match &args.output {
        Some(dir) => dir.clone(),
        None => args.root.join(&site.config.site.output_dir),
    };
    output::check_output_dir(&args.root, &output_dir).map_err(Failure::Env)?;
    let previous = output::read_previous(&output_dir, &render::Previous::wanted(&site));
    // Each file is written as it is rendered, keeping only what the link
    // check needs; the stage puts them in place once the check has passed,
    // and removes them if the build fails.
    let sink = BuildSink {
        stage: output::Stage::open(&output_dir, args.force).map_err(Failure::Env)?,
        links: linkcheck::Extractor::default(),
    };
    let rendered =
        render::render_to(&mut site, &previous, progress, &sink).map_err(Failure::Site)?;
    lap("render");
    progress.stage("checking links", None);
    let BuildSink { stage, links } = sink;
    let broken = links.check(&site, &rendered.streamed);
    if broken.has_errors() {
        return Err(Failure::Site(broken));
    }
    lap("links");
    progress.stage("writing", None);
    let pages = rendered.streamed.iter().filter(|p| p.ends_with(".html")).count();
    // Only a build without warnings may be skipped next time: warnings are
    // shown again until they are fixed.
    let stamp = inputs.filter(|_| warnings.is_empty()).map(|inputs| output::Stamp {
        inputs,
        pages,
        figures: site.figures.len(),
    });
    let report = stage.commit(stamp.as_ref()).map_err(Failure::Env)?;
    lap("write");
    let built = Built {
        report,
        warnings,
        files: rendered.streamed.len(),
        pages,
        figures: site.figures.len(),
        output_dir,
    };
    site.free();
    lap("free");
    Ok(built)
}

/// Where a build's rendered files go: the links and ids of each page are
/// kept for the link check, and the bytes go to the stage.
struct BuildSink {
    stage: output::Stage,
    links: linkcheck::Extractor,
}

impl render::Sink for BuildSink {
    fn put(&self, file: &render::OutputFile) {
        self.links.put(file);
        self.stage.put(file);
    }
}

/// The output folder `args` name, or the one book.toml names (read cheaply,
/// without the rest of the site); `None` when book.toml cannot be read.
fn configured_output(args: &BuildArgs) -> Option<PathBuf> {
    if let Some(dir) = &args.output {
        return Some(dir.clone());
    }
    let book = args.root.join(config::CONFIG_FILE);
    // A book.toml that is a link is left to the full build, which checks where it leads.
    if std::fs::symlink_metadata(&book).ok()?.file_type().is_symlink() {
        return None;
    }
    let text = std::fs::read_to_string(&book).ok()?;
    let config = config::parse(text.trim_start_matches('\u{feff}')).ok()?;
    Some(args.root.join(&config.site.output_dir))
}

/// Runs a command of the command line, printing to the terminal.
///
/// # Errors
/// Errors of the environment (I/O), which `main` prints with their context.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.into_command() {
        Command::Build(args) => run_build(&args),
        Command::Serve(args) => {
            let opts = serve::ServeOptions {
                root: args.root,
                interface: args.interface,
                port: args.port,
                drafts: args.drafts,
                open: args.open,
                poll: args.poll,
            };
            serve::serve(&opts)?;
            Ok(Outcome::Success)
        }
        Command::Check(args) => Ok(run_check(&args)),
        Command::New(args) => match args.what {
            NewWhat::Case { title, root } => {
                let path = scaffold::new_case(&root, &title)?;
                eprintln!("created {}", path.display());
                Ok(Outcome::Success)
            }
        },
        Command::Init(args) => {
            let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
            scaffold::init(&dir)?;
            if dir == Path::new(".") {
                eprintln!("created a new site here; build it with `briefing build`");
            } else {
                eprintln!(
                    "created a new site in {}; build it with `briefing build --root {}`",
                    dir.display(),
                    dir.display()
                );
            }
            Ok(Outcome::Success)
        }
        Command::Completions { shell } => {
            use clap::CommandFactory as _;
            use std::io::Write as _;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "briefing", &mut script);
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = std::io::stdout().lock().write_all(&script);
            Ok(Outcome::Success)
        }
    }
}

/// `briefing build`: builds, then prints the warnings and the summary line,
/// or the errors, in the format asked for.
fn run_build(args: &BuildArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let printer = report::Printer::new(args.message_format, &args.root);
    let progress = if args.quiet || printer.format().is_machine() {
        Progress::hidden()
    } else {
        Progress::stderr(Duration::from_millis(args.progress_delay_ms))
    };
    let built = build_with_progress(args, &progress);
    // The bar is cleared before the summary or the errors are printed.
    drop(progress);
    let built = match built {
        Ok(built) => built,
        Err(Failure::Site(diags)) => {
            printer.diagnostics(&diags);
            printer.say("the build failed; nothing was written");
            let (errors, warnings) = counts(&diags);
            printer.summary(&report::Summary::new("build", false, errors, warnings));
            return Ok(Outcome::SiteErrors);
        }
        Err(Failure::Env(e)) => return Err(e),
    };
    if args.quiet && !printer.format().is_machine() {
        return Ok(Outcome::Success);
    }
    if !built.warnings.is_empty() {
        printer.diagnostics(&built.warnings);
    }
    let r = &built.report;
    if !args.quiet {
        printer.say(&format!(
            "built {} pages, {} figures, {} files in all into {} in {} ms ({} written, {} unchanged, {} removed)",
            built.pages,
            built.figures,
            built.files,
            built.output_dir.display(),
            started.elapsed().as_millis(),
            r.written,
            r.unchanged,
            r.removed
        ));
    }
    printer.summary(&report::Summary {
        pages: Some(built.pages),
        figures: Some(built.figures),
        files: Some(built.files),
        ..report::Summary::new("build", true, 0, built.warnings.sorted().len())
    });
    Ok(Outcome::Success)
}

/// `briefing check`: checks (with `--external`, the links out too), then
/// prints what it found in the format asked for.
fn run_check(args: &cli::CheckArgs) -> Outcome {
    let external = args.external.then(|| external::Options {
        concurrency: usize::from(args.concurrency),
        timeout: args.timeout,
        retries: args.retries,
        ..external::Options::default()
    });
    let opts = check::CheckOptions { drafts: args.drafts, external };
    let printer = report::Printer::new(args.message_format, &args.root);
    let progress = if printer.format().is_machine() {
        Progress::hidden()
    } else {
        Progress::stderr(progress::DELAY)
    };
    let checked = check::check_with(&args.root, &opts, &progress);
    drop(progress);
    let checked = match checked {
        Ok(checked) => checked,
        Err(diags) => {
            printer.diagnostics(&diags);
            let (errors, warnings) = counts(&diags);
            printer.summary(&report::Summary::new("check", false, errors, warnings));
            return Outcome::SiteErrors;
        }
    };
    printer.diagnostics(&checked.diagnostics);
    let (mut errors, mut warnings) = counts(&checked.diagnostics);
    if let Some(report) = &checked.external {
        if printer.format() != report::MessageFormat::Json {
            eprint!("{}", report.text());
        }
        let problems: Vec<diag::Diagnostic> =
            report.pages.iter().flat_map(|p| p.problems.iter().cloned()).collect();
        printer.more(&problems);
        let broken = problems.iter().filter(|d| d.severity == diag::Severity::Error).count();
        errors += broken;
        warnings += problems.len() - broken;
    }
    let success = !checked.has_errors();
    if success {
        printer.say("no errors found");
    }
    printer.summary(&report::Summary {
        external_checked: checked.external.as_ref().map(|r| r.checked),
        ..report::Summary::new("check", success, errors, warnings)
    });
    if success { Outcome::Success } else { Outcome::SiteErrors }
}

/// How many errors and warnings `diags` holds, as its report counts them.
fn counts(diags: &Diagnostics) -> (usize, usize) {
    let sorted = diags.sorted();
    let errors = sorted.iter().filter(|d| d.severity == diag::Severity::Error).count();
    (errors, sorted.len() - errors)
}

/// The process's peak resident memory, where the system tells it (Linux).
fn peak_memory_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 =
        line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib / 1024)
}
