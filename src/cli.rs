//! The command line, exactly as the user types it (clap derive). [`crate::extract::Config`] turns
//! it into checked, typed settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::dialect::DialectKind;

/// Rescue the rows created since a point in time from a PostgreSQL or MySQL dump.
#[derive(Debug, Parser)]
#[command(
    name = "dbsalvage",
    version,
    about,
    after_help = "Exit codes: 0 success, 2 bad input or usage, 1 I/O failure (reading or writing files)."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Select the rows created after --since (and the rows linked to them) and write them as
    /// JSON and/or a replayable SQL patch.
    Extract(ExtractArgs),
}

/// `dbsalvage extract`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 success, 2 bad input or usage, 1 I/O failure.\n\n\
Example:\n  pg_dump prod | dbsalvage extract --since '2026-11-20 03:00' --sql patch.sql --json rows.json"
)]
pub struct ExtractArgs {
    /// The dump: a file (plain or gzip, detected by content); `-` or nothing reads stdin.
    pub input: Option<PathBuf>,

    /// Rows whose created column is strictly later than this are the roots. RFC 3339
    /// (2026-11-20T03:00:00Z, 2026-11-20 03:00:00+01:00) or naive (2026-11-20 03:00:00,
    /// 2026-11-20), naive forms read in --timezone.
    #[arg(long, value_name = "TIME")]
    pub since: String,

    /// Zone of naive --since values and of columns without a zone (timestamp, date, DATETIME):
    /// UTC, an offset like +02:00, or an IANA name like Europe/Berlin.
    #[arg(long, value_name = "TZ", default_value = "UTC")]
    pub timezone: String,

    /// Created column: a bare COLUMN adds a candidate name for every table, TABLE=COLUMN sets one
    /// table's (TABLE bare or schema.table). Repeatable. Defaults, first match: created,
    /// created_at, created_on, creation_date, date_created, inserted_at, createdAt, create_time,
    /// date_joined.
    #[arg(long = "created-column", value_name = "[TABLE=]COLUMN")]
    pub created_column: Vec<String>,

    /// Force the dump dialect instead of detecting it from the content.
    #[arg(long, value_enum)]
    pub dialect: Option<DialectKind>,

    /// Write the SQL patch to FILE.
    #[arg(long, value_name = "FILE", required_unless_present = "json")]
    pub sql: Option<PathBuf>,

    /// Write the selected rows as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Directory for the temporary copy of stdin or decompressed gzip input (default: the
    /// system temporary directory). It needs room for the whole decompressed dump.
    #[arg(long, value_name = "DIR")]
    pub spool_dir: Option<PathBuf>,

    /// No summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn needs_an_output() {
        assert!(Cli::try_parse_from(["dbsalvage", "extract", "--since", "2026-01-01"]).is_err());
        assert!(Cli::try_parse_from([
            "dbsalvage",
            "extract",
            "--since",
            "2026-01-01",
            "--json",
            "x"
        ])
        .is_ok());
    }
}
