//! The command line, with clap's derive: one struct of arguments per command.
//! The doc comments are the help text.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::progress;
use crate::report::MessageFormat;

/// Build human-rights snapshot briefings: Markdown case studies and TOML
/// datasets in, a fast, accessible static website with SVG figures out.
#[derive(Debug, Parser)]
// The version is the crate's, with the git commit for a build from a
// checkout (build.rs).
#[command(name = "briefing", version = env!("BRIEFING_LONG_VERSION"), about)]
pub struct Cli {
    /// The site's root folder, where book.toml is (before or after the command; default: here).
    #[arg(short, long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The command, with the site's root (`--root`, else the current
    /// folder) given to the commands that read a site.
    pub fn into_command(self) -> Command {
        let root = self.root.clone().unwrap_or_else(|| PathBuf::from("."));
        match self.command {
            Command::Build(args) => Command::Build(BuildArgs { root, ..args }),
            Command::Serve(args) => Command::Serve(ServeArgs { root, ..args }),
            Command::Check(args) => Command::Check(CheckArgs { root, ..args }),
            Command::New(NewArgs { what: NewWhat::Case { title, .. } }) => {
                Command::New(NewArgs { what: NewWhat::Case { title, root } })
            }
            // `init` makes the folder it is given, else the one `--root` names, else this one.
            Command::Init(InitArgs { dir }) => {
                Command::Init(InitArgs { dir: dir.or(self.root).or_else(|| Some(".".into())) })
            }
            other @ Command::Completions { .. } => other,
        }
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output directory (public/ unless book.toml says otherwise).
    Build(BuildArgs),
    /// Build in memory, serve on loopback, and rebuild and reload open pages when a source changes.
    Serve(ServeArgs),
    /// Check everything a build checks, and write nothing.
    Check(CheckArgs),
    /// Scaffold new content.
    New(NewArgs),
    /// Make a new site in DIR (default: the current folder, which must be empty) that builds as it is.
    Init(InitArgs),
    /// Print a script that completes briefing's commands and options in a shell.
    Completions {
        /// The shell: bash, zsh, fish or powershell (elvish too).
        shell: clap_complete::Shell,
    },
}

/// `briefing build`.
#[derive(Debug, Args, Clone, Default)]
pub struct BuildArgs {
    /// The site's root folder (`--root`, given to `Cli`).
    #[arg(skip)]
    pub root: PathBuf,
    /// Write here instead of the output_dir of book.toml.
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Publish at this address instead of book.toml's base_url.
    #[arg(long, short = 'u', value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
    /// Build drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Write into a non-empty folder that briefing did not write (its other files are kept).
    #[arg(long)]
    pub force: bool,
    /// Print only errors.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print how long each stage took.
    #[arg(long, short)]
    pub verbose: bool,
    /// How to write diagnostics: text for people, JSON lines or GitHub workflow commands (stdout).
    #[arg(long, value_enum, default_value_t)]
    pub message_format: MessageFormat,
    /// After how many milliseconds a build shows its progress on a terminal (for tests).
    #[arg(long, hide = true, default_value_t = progress::DELAY.as_millis() as u64)]
    pub progress_delay_ms: u64,
}

fn parse_base_url(s: &str) -> Result<String, String> {
    if crate::config::split_base_url(s).is_some() {
        Ok(s.to_string())
    } else {
        Err(format!(
            "{s:?} is not an absolute http(s) address, such as https://example.org/briefing/"
        ))
    }
}

/// `briefing serve`.
#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// The site's root folder (`--root`, given to `Cli`).
    #[arg(skip)]
    pub root: PathBuf,
    /// The address to listen on; anything but loopback exposes the site to the network.
    #[arg(long, short, default_value = "127.0.0.1")]
    pub interface: String,
    /// The port to listen on (0 picks a free one).
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Build drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the browser once it is built.
    #[arg(long)]
    pub open: bool,
    /// Look for changes by reading every file's size and time every 200 ms
    /// instead of the system's file events (network drives, some containers).
    #[arg(long)]
    pub poll: bool,
}

/// `briefing check`.
#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    /// The site's root folder (`--root`, given to `Cli`).
    #[arg(skip)]
    pub root: PathBuf,
    /// Check drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Also fetch every external (http, https) link of the pages and report the broken ones.
    #[arg(long)]
    pub external: bool,
    /// With --external: at most this many requests at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64), requires = "external")]
    pub concurrency: u16,
    /// With --external: seconds to wait to connect, and for each part of an answer.
    #[arg(long, default_value = "10", value_parser = parse_seconds, requires = "external")]
    pub timeout: Duration,
    /// With --external: how many times to try again after a timeout, a connection error, 429 or 5xx.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(0..=10), requires = "external")]
    pub retries: u32,
    /// How to write diagnostics: text for people, JSON lines or GitHub workflow commands (stdout).
    #[arg(long, value_enum, default_value_t)]
    pub message_format: MessageFormat,
}

fn parse_seconds(s: &str) -> Result<Duration, String> {
    s.parse::<f64>()
        .ok()
        .filter(|n| *n > 0.0 && *n <= 3600.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            format!("{s:?} is not a number of seconds between 0 and 3600, such as 10 or 0.5")
        })
}

/// `briefing new`.
#[derive(Debug, Args, Clone)]
pub struct NewArgs {
    /// What to make.
    #[command(subcommand)]
    pub what: NewWhat,
}

/// What `new` makes.
#[derive(Debug, Subcommand, Clone)]
pub enum NewWhat {
    /// A case study in content/cases/, with every front-matter key explained.
    Case {
        /// The case study's title.
        title: String,
        /// The site's root folder (`--root`, given to `Cli`).
        #[arg(skip)]
        root: PathBuf,
    },
}

/// `briefing init`.
#[derive(Debug, Args, Clone)]
pub struct InitArgs {
    /// The folder to make the site in (it must not exist, or be empty); default: the current folder.
    pub dir: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn serve_listens_on_loopback_port_1111_unless_told() {
        let Command::Serve(args) = Cli::parse_from(["briefing", "serve"]).command else {
            panic!("not serve");
        };
        assert_eq!((args.interface.as_str(), args.port), ("127.0.0.1", 1111));
        let told = ["briefing", "serve", "--interface", "0.0.0.0", "--port", "8080"];
        let Command::Serve(args) = Cli::parse_from(told).command else {
            panic!("not serve");
        };
        assert_eq!((args.interface.as_str(), args.port), ("0.0.0.0", 8080));
    }
}
