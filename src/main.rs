//! The `dbsalvage` binary: parse the command line, run, report. The library does the work.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use dbsalvage::cli::{Cli, Command};
use dbsalvage::extract;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Extract(args) => extract::Config::from_args(args).and_then(|config| {
            let report = extract::run(&config)?;
            if !config.quiet {
                let stderr = std::io::stderr();
                let _ = extract::print_summary(&report, &config, &mut stderr.lock());
            }
            Ok(())
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "dbsalvage: error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
