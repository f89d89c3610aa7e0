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
        Command::Man => {
            // One page: the main command, then a section per subcommand with its options.
            let cmd = Cli::command();
            let mut out = stdout.lock();
            clap_mangen::Man::new(cmd.clone())
                .render(&mut out)
                .map_err(stdout_io)?;
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let name = format!("dbsalvage {}", sub.get_name());
                writeln!(out, ".SH \"{}\"", name.to_uppercase()).map_err(stdout_io)?;
                let man = clap_mangen::Man::new(sub.clone().bin_name(name));
                man.render_synopsis_section(&mut out).map_err(stdout_io)?;
                man.render_description_section(&mut out)
                    .map_err(stdout_io)?;
                man.render_options_section(&mut out).map_err(stdout_io)?;
                man.render_extra_section(&mut out).map_err(stdout_io)?;
            }
            Ok(())
        }
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
