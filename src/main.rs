//! The `dbsalvage` binary: parse the command line, run, report. The library does the work.

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use dbsalvage::cli::{Cli, Command};
use dbsalvage::{extract, inspect, replay, Error};

fn run(cli: &Cli) -> Result<(), Error> {
    let stdout = std::io::stdout();
    let stdout_io = |e: std::io::Error| Error::io("writing to stdout", e);
    match &cli.command {
        Command::Extract(args) if args.dry_run => inspect::dry_run(args, &mut stdout.lock()),
        Command::Extract(args) => {
            let report = extract::run(args)?;
            if !args.dump.quiet {
                let _ = extract::print_summary(&report, &mut std::io::stderr().lock());
            }
            Ok(())
        }
        Command::Inspect(args) => inspect::run(args, &mut stdout.lock()),
        Command::Patch(args) => {
            let summary = replay::run(args)?;
            if !args.quiet {
                let _ = writeln!(std::io::stderr(), "{summary}");
            }
            Ok(())
        }
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "dbsalvage", &mut stdout.lock());
            Ok(())
        }
        Command::Man => clap_mangen::Man::new(Cli::command())
            .render(&mut stdout.lock())
            .map_err(stdout_io),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped early (`| head`) is not a failure worth a message.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "dbsalvage: error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
