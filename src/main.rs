//! The `briefing` binary: parse the command line, run, and turn the outcome
//! into an exit status (0 success, 1 the site has errors, 2 usage).

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = briefing::cli::Cli::parse();
    match briefing::run(cli) {
        Ok(briefing::Outcome::Success) => ExitCode::SUCCESS,
        Ok(briefing::Outcome::SiteErrors) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
