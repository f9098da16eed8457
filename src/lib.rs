//! `briefing`: a static site generator for human-rights snapshot briefings.
//!
//! The flow runs one way: `config` and `site` read the sources into a checked
//! model, `render` turns it into files in memory, and `output` writes them.

// Diagnostics are large but only travel on the cold path of a failed file.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod data;
pub mod diag;
pub mod figures;
pub mod linkcheck;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod taxonomy;

use std::path::PathBuf;
use std::time::Instant;

use cli::{BuildArgs, Cli, Command, NewWhat};
use diag::Diagnostics;

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

/// Builds the site at `args.root`: read, check, render everything in memory,
/// and only then write.
///
/// # Errors
/// `Failure::Site` with every diagnostic when the site has errors (nothing is
/// written); `Failure::Env` when the output folder is refused or writing fails.
pub fn build(args: &BuildArgs) -> Result<Built, Failure> {
    let opts = site::LoadOptions { drafts: args.drafts, base_url: args.base_url.clone() };
    let mut clock = Instant::now();
    let mut lap = |stage: &str| {
        if args.verbose {
            eprintln!("{stage}: {} ms", clock.elapsed().as_millis());
            clock = Instant::now();
        }
    };
    let (mut site, warnings) = site::load(&args.root, &opts).map_err(Failure::Site)?;
    lap("load");
    let output_dir = match &args.output {
        Some(dir) => dir.clone(),
        None => args.root.join(&site.config.site.output_dir),
    };
    output::check_output_dir(&args.root, &output_dir).map_err(Failure::Env)?;
    let files = render::render(&mut site).map_err(Failure::Site)?;
    lap("render");
    let broken = linkcheck::check(&site, &files);
    if broken.has_errors() {
        return Err(Failure::Site(broken));
    }
    lap("links");
    let report = output::write(&output_dir, &files, args.force).map_err(Failure::Env)?;
    lap("write");
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    Ok(Built {
        report,
        warnings,
        files: files.len(),
        pages,
        figures: site.figures.len(),
        output_dir,
    })
}

/// Runs a command of the command line, printing to the terminal.
///
/// # Errors
/// Errors of the environment (I/O), which `main` prints with their context.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Build(args) => {
            let started = Instant::now();
            match build(&args) {
                Ok(built) => {
                    if args.quiet {
                        return Ok(Outcome::Success);
                    }
                    if !built.warnings.is_empty() {
                        eprint!("{}", built.warnings.report());
                    }
                    let r = &built.report;
                    eprintln!(
                        "built {} pages, {} figures, {} files in all into {} in {} ms ({} written, {} unchanged, {} removed)",
                        built.pages,
                        built.figures,
                        built.files,
                        built.output_dir.display(),
                        started.elapsed().as_millis(),
                        r.written,
                        r.unchanged,
                        r.removed
                    );
                    Ok(Outcome::Success)
                }
                Err(Failure::Site(diags)) => {
                    eprint!("{}", diags.report());
                    eprintln!("the build failed; nothing was written");
                    Ok(Outcome::SiteErrors)
                }
                Err(Failure::Env(e)) => Err(e),
            }
        }
        Command::Serve(args) => {
            let opts = serve::ServeOptions {
                root: args.root,
                interface: args.interface,
                port: args.port,
                drafts: args.drafts,
            };
            serve::serve(&opts)?;
            Ok(Outcome::Success)
        }
        Command::Check(args) => match check::check(&args.root, args.drafts) {
            Ok(warnings) => {
                eprint!("{}", warnings.report());
                eprintln!("no errors found");
                Ok(Outcome::Success)
            }
            Err(diags) => {
                eprint!("{}", diags.report());
                Ok(Outcome::SiteErrors)
            }
        },
        Command::New(args) => match args.what {
            NewWhat::Case { title, root } => {
                let path = scaffold::new_case(&root, &title)?;
                eprintln!("created {}", path.display());
                Ok(Outcome::Success)
            }
        },
        Command::Init(args) => {
            scaffold::init(&args.dir)?;
            eprintln!(
                "created a new site in {}; build it with `briefing build --root {}`",
                args.dir.display(),
                args.dir.display()
            );
            Ok(Outcome::Success)
        }
    }
}
