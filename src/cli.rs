//! The command line, exactly as the user types it (clap derive). [`crate::extract::Config`] turns
//! it into checked, typed settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::dialect::DialectKind;

const EXIT_CODES: &str =
    "Exit codes: 0 success, 2 bad input or usage, 1 I/O failure (reading or writing files).";

/// Rescue the rows created since a point in time from a PostgreSQL or MySQL dump.
#[derive(Debug, Parser)]
#[command(name = "dbsalvage", version, about, after_help = EXIT_CODES)]
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
    #[command(after_help = concat!(
        "Exit codes: 0 success, 2 bad input or usage, 1 I/O failure (reading or writing files).\n\n",
        "Example:\n  pg_dump prod | dbsalvage extract --since '2026-11-20 03:00' --sql patch.sql --json rows.json"
    ))]
    Extract(ExtractArgs),
    /// Describe a dump: tables, row counts, created columns, keys; with --since, the plan.
    #[command(after_help = EXIT_CODES)]
    Inspect(InspectArgs),
    /// Write the SQL patch from a JSON file made by `extract` (after review and edits).
    #[command(after_help = EXIT_CODES)]
    Patch(PatchArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout.
    Man,
}

/// Options shared by every command that reads a dump.
#[derive(Debug, Args, Clone)]
pub struct DumpArgs {
    /// The dump: a file (plain or gzip, detected by content); `-` or nothing reads stdin.
    pub input: Option<PathBuf>,

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

    /// Only consider tables matching this glob (`blog_*`, `public.*`); repeatable.
    #[arg(long = "include-table", value_name = "GLOB")]
    pub include_table: Vec<String>,

    /// Never select rows of tables matching this glob (e.g. `django_session`); repeatable.
    /// Selected rows that reference an excluded table are reported.
    #[arg(long = "exclude-table", value_name = "GLOB")]
    pub exclude_table: Vec<String>,

    /// Directory for the temporary copy of stdin or decompressed gzip input (default: the
    /// system temporary directory). It needs room for the whole decompressed dump.
    #[arg(long, value_name = "DIR")]
    pub spool_dir: Option<PathBuf>,

    /// No progress and no summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

impl DumpArgs {
    /// The options the command line gives for `input` alone, quiet: for callers of the library
    /// (tests, benches, fuzz targets).
    pub fn quiet_file(input: PathBuf) -> DumpArgs {
        DumpArgs {
            input: Some(input),
            timezone: "UTC".into(),
            created_column: Vec::new(),
            dialect: None,
            include_table: Vec::new(),
            exclude_table: Vec::new(),
            spool_dir: None,
            quiet: true,
        }
    }
}

/// `dbsalvage extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Rows whose created column is strictly later than this are the roots. RFC 3339
    /// (2026-11-20T03:00:00Z, 2026-11-20 03:00:00+01:00) or naive (2026-11-20 03:00:00,
    /// 2026-11-20), naive forms read in --timezone.
    #[arg(long, value_name = "TIME")]
    pub since: String,

    /// The dump and how to read it.
    #[command(flatten)]
    pub dump: DumpArgs,

    /// Write the SQL patch to FILE (`-` for stdout).
    #[arg(long, value_name = "FILE", required_unless_present_any = ["json", "dry_run"])]
    pub sql: Option<PathBuf>,

    /// Write the selected rows as JSON to FILE (`-` for stdout). A schema file is written beside
    /// it (`ROWS.schema.json`) so that `dbsalvage patch` can rebuild the patch after review.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Write the JSON as one object per line (for jq) instead of an array.
    #[arg(long, requires = "json")]
    pub json_lines: bool,

    /// Show the plan (what would be selected, per table) and write nothing.
    #[arg(long, conflicts_with_all = ["sql", "json"])]
    pub dry_run: bool,
}

/// How `inspect` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For scripts.
    Json,
}

/// `dbsalvage inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Also show the plan: per table, how many rows would be roots, descendants, ancestors.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// The dump and how to read it.
    #[command(flatten)]
    pub dump: DumpArgs,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,

    /// Print the foreign-key graph as Graphviz DOT instead (`| dot -Tsvg > graph.svg`).
    #[arg(long, conflicts_with = "format")]
    pub graph: bool,
}

/// `dbsalvage patch`.
#[derive(Debug, Args)]
pub struct PatchArgs {
    /// The JSON file written by `extract --json` (possibly edited).
    pub json_file: PathBuf,

    /// Write the SQL patch to FILE (`-` for stdout).
    #[arg(long, value_name = "FILE")]
    pub sql: PathBuf,

    /// The schema file `extract` wrote beside the JSON (default: `ROWS.schema.json` for
    /// `ROWS.json`).
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,

    /// Write the patch even if a remaining row references a selected row that was deleted from
    /// the JSON (the restored backup cannot have it, so applying may fail).
    #[arg(long)]
    pub allow_dangling: bool,

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
    fn extract_needs_an_output_or_dry_run() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).is_ok();
        assert!(!parse(&["dbsalvage", "extract", "--since", "2026-01-01"]));
        assert!(parse(&[
            "dbsalvage",
            "extract",
            "--since",
            "2026-01-01",
            "--json",
            "x"
        ]));
        assert!(parse(&[
            "dbsalvage",
            "extract",
            "--since",
            "2026-01-01",
            "--dry-run"
        ]));
        assert!(!parse(&[
            "dbsalvage",
            "extract",
            "--since",
            "2026-01-01",
            "--dry-run",
            "--sql",
            "x"
        ]));
        assert!(!parse(&[
            "dbsalvage",
            "extract",
            "--since",
            "2026-01-01",
            "--sql",
            "x",
            "--json-lines"
        ]));
    }
}
