//! `dbsalvage extract`: the pipeline from dump to JSON and patch, and its summary.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::time::Instant as Clock;

use crate::cli::ExtractArgs;
use crate::dialect::{self, DialectKind, DumpReader, PatchContext, ScanResult, Segment};
use crate::emit::json::{self, TextEncoding};
use crate::emit::OutputFile;
use crate::error::{Error, Result};
use crate::input::{Input, InputSpec};
use crate::row::RowSink;
use crate::scan::ByteStream;
use crate::schema::{Schema, TableId};
use crate::select::{self, CreatedRules, RootFinder, Selection, TableReader};
use crate::time::{self, Zone};

/// Checked settings for one extraction.
#[derive(Debug, Clone)]
pub struct Config {
    /// The dump.
    pub input: InputSpec,
    /// `--since` as typed (for the patch header).
    pub since_text: String,
    /// `--since` in UTC microseconds.
    pub since: i64,
    /// `--timezone`.
    pub zone: Zone,
    /// `--created-column` rules.
    pub rules: CreatedRules,
    /// Bare `--created-column` names the user gave (each must exist somewhere).
    pub user_candidates: Vec<String>,
    /// `--dialect`.
    pub dialect: Option<DialectKind>,
    /// `--sql`.
    pub sql: Option<PathBuf>,
    /// `--json`.
    pub json: Option<PathBuf>,
    /// `--spool-dir`.
    pub spool_dir: Option<PathBuf>,
    /// `--quiet`.
    pub quiet: bool,
}

impl Config {
    /// Validates the command line.
    ///
    /// # Errors
    /// A bad `--since`, `--timezone` or `--created-column`.
    pub fn from_args(args: &ExtractArgs) -> Result<Config> {
        let zone = time::parse_zone(&args.timezone)?;
        let since = time::parse_since(&args.since, &zone)?;
        let mut explicit = Vec::new();
        let mut candidates = Vec::new();
        for spec in &args.created_column {
            match spec.split_once('=') {
                Some((t, c)) if !t.trim().is_empty() && !c.trim().is_empty() => {
                    explicit.push((t.trim().to_string(), c.trim().to_string()));
                }
                None if !spec.trim().is_empty() => candidates.push(spec.trim().to_string()),
                _ => {
                    return Err(Error::Usage(format!(
                        "--created-column `{spec}`: expected COLUMN or TABLE=COLUMN"
                    )))
                }
            }
        }
        Ok(Config {
            input: InputSpec::from_arg(args.input.as_deref()),
            since_text: args.since.clone(),
            since,
            zone,
            rules: CreatedRules::new(explicit, candidates.clone()),
            user_candidates: candidates,
            dialect: args.dialect,
            sql: args.sql.clone(),
            json: args.json.clone(),
            spool_dir: args.spool_dir.clone(),
            quiet: args.quiet,
        })
    }
}

/// What a run did, for the summary.
#[derive(Debug)]
pub struct Report {
    /// The dialect read.
    pub dialect: DialectKind,
    /// Per table: name, roots, descendants, ancestors.
    pub counts: Vec<(String, usize, usize, usize)>,
    /// Tables whose existing rows the patch recognises by the whole row (no usable key).
    pub whole_row_tables: Vec<String>,
    /// Decompressed bytes read in the first pass.
    pub bytes: u64,
    /// Table re-reads done to resolve the closure.
    pub rereads: usize,
    /// Warnings (dangling references, skipped statements worth knowing).
    pub warnings: Vec<String>,
    /// Wall time.
    pub seconds: f64,
}

/// Runs an extraction.
///
/// # Errors
/// Bad input (exit 2) and I/O failures (exit 1); no output file is left behind.
pub fn run(config: &Config) -> Result<Report> {
    let started = Clock::now();
    // Create the outputs first: a missing directory should fail before a long read.
    let mut sql_out = config.sql.as_deref().map(OutputFile::create).transpose()?;
    let mut json_out = config.json.as_deref().map(OutputFile::create).transpose()?;

    let mut input = Input::open(&config.input, config.spool_dir.as_deref())?;
    let name = input.name.clone();
    let result = first_pass(config, &mut input);
    let (reader, scan, store, bytes) = match result {
        Ok(v) => v,
        Err(e) => return Err(locate(e, &input)),
    };
    let ScanResult {
        schema,
        segments,
        info,
    } = scan;
    if info.tool.is_some() && !info.complete {
        // A dump tool's header promises its end marker: without it the dump was cut short.
        return Err(locate(
            Error::syntax(
                bytes,
                format!(
                    "the dump ends before {}'s end-of-dump marker: it is truncated",
                    info.tool.as_deref().unwrap_or("the dump tool")
                ),
            ),
            &input,
        ));
    }
    config.rules.validate(&schema, &config.user_candidates)?;

    let mut table_reader = SegmentReader::new(&input, reader.as_ref(), &schema, segments);
    let selection =
        select::resolve(&schema, store, &mut table_reader).map_err(|e| locate(e, &input))?;

    if let Some(out) = json_out.as_mut() {
        let encoding = TextEncoding::from_name(info.encoding.as_deref());
        json::write(out.writer(), &schema, &selection, encoding).map_err(|e| retarget(e, out))?;
    }
    if let Some(out) = sql_out.as_mut() {
        let ctx = PatchContext {
            schema: &schema,
            info: &info,
            selection: &selection,
            source_name: &name,
            since: &format!(
                "{} ({})",
                config.since_text,
                time::format_micros(config.since)
            ),
        };
        reader
            .kind()
            .patch_writer()
            .write(out.writer(), &ctx)
            .map_err(|e| retarget(e, out))?;
    }
    if let Some(out) = json_out {
        out.commit()?;
    }
    if let Some(out) = sql_out {
        out.commit()?;
    }

    let mut warnings = info.warnings.clone();
    warnings.extend(selection.dangling.iter().cloned());
    if !info.complete {
        warnings
            .push("the dump has no header or end marker of a dump tool: check it is whole".into());
    }
    Ok(Report {
        dialect: reader.kind(),
        counts: select::counts(&schema, &selection),
        whole_row_tables: whole_row_tables(&schema, &selection),
        bytes,
        rereads: selection.rereads,
        warnings,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn whole_row_tables(schema: &Schema, selection: &Selection) -> Vec<String> {
    selection
        .tables
        .iter()
        .filter(|t| schema.tables[t.table].conflict_key().is_none())
        .map(|t| schema.tables[t.table].name.to_string())
        .collect()
}

/// Write errors of the JSON/patch writers name the output file.
fn retarget(e: Error, out: &OutputFile) -> Error {
    match e {
        Error::Io { source, .. } => out.error(source),
        other => other,
    }
}

type FirstPass = (Box<dyn DumpReader>, ScanResult, select::Store, u64);

fn first_pass(config: &Config, input: &mut Input) -> Result<FirstPass> {
    let mut raw = input
        .first_read()
        .ok_or_else(|| Error::Usage("the input was already read".into()))?;
    let raw: &mut dyn Read = &mut raw;
    let mut stream = ByteStream::new(raw, 0);
    stream.fill()?;
    while stream.window().len() < 64 * 1024 && stream.fill()? {}
    if stream.window().is_empty() {
        return Err(Error::syntax(0, "the input is empty"));
    }
    let kind = match config.dialect {
        Some(k) => k,
        None => dialect::detect(stream.window()).ok_or_else(|| {
            Error::syntax(
                0,
                "this is not a pg_dump or mysqldump plain SQL dump (use --dialect to force one)",
            )
        })?,
    };
    let mut reader = kind.reader();
    let mut finder = RootFinder::new(config.since, &config.rules, config.zone);
    let scan = reader.scan(&mut stream, &mut finder)?;
    let bytes = stream.offset();
    Ok((reader, scan, finder.into_store(), bytes))
}

/// Fills in the input name and line number of a positioned error.
fn locate(mut e: Error, input: &Input) -> Error {
    if let Some(pos) = e.position_mut() {
        if pos.line == 0 {
            if let Some(line) = input.line_of(pos.byte) {
                pos.line = line;
            }
        }
    }
    e.with_input(&input.name)
}

/// Re-reads segments of the dump for the resolver.
struct SegmentReader<'a> {
    input: &'a Input,
    reader: &'a dyn DumpReader,
    /// Segments per root table.
    by_table: Vec<Vec<Segment>>,
    file: Option<std::fs::File>,
}

impl<'a> SegmentReader<'a> {
    fn new(
        input: &'a Input,
        reader: &'a dyn DumpReader,
        schema: &Schema,
        segments: Vec<Segment>,
    ) -> Self {
        let mut by_table = vec![Vec::new(); schema.tables.len()];
        for s in segments {
            let root = schema.storage_root(s.table);
            by_table[root].push(s);
        }
        SegmentReader {
            input,
            reader,
            by_table,
            file: None,
        }
    }
}

impl TableReader for SegmentReader<'_> {
    fn read_table(
        &mut self,
        schema: &Schema,
        table: TableId,
        sink: &mut dyn RowSink,
    ) -> Result<()> {
        if self.file.is_none() {
            self.file = Some(self.input.reopen()?);
        }
        let file = self.file.as_mut().expect("opened above");
        for seg in &self.by_table[table] {
            file.seek(SeekFrom::Start(seg.start))
                .map_err(|e| Error::io("re-reading the dump", e))?;
            let mut limited = (&mut *file).take(seg.end - seg.start);
            let limited: &mut dyn Read = &mut limited;
            let mut stream = ByteStream::new(limited, seg.start);
            self.reader.rescan(&mut stream, schema, seg, sink)?;
        }
        Ok(())
    }

    fn has_rows(&self, _schema: &Schema, table: TableId) -> bool {
        !self.by_table[table].is_empty()
    }
}

/// Writes the end-of-run summary.
pub fn print_summary(report: &Report, config: &Config, out: &mut dyn Write) -> std::io::Result<()> {
    let width = report
        .counts
        .iter()
        .map(|c| c.0.len())
        .max()
        .unwrap_or(5)
        .max(5);
    writeln!(
        out,
        "dbsalvage: {} dump, {} bytes read in {:.2}s, {} table re-reads",
        report.dialect.name(),
        report.bytes,
        report.seconds,
        report.rereads
    )?;
    writeln!(
        out,
        "{:<width$}  {:>9}  {:>11}  {:>9}  {:>9}",
        "table", "roots", "descendants", "ancestors", "total"
    )?;
    let mut totals = (0, 0, 0);
    for (name, r, d, a) in &report.counts {
        writeln!(
            out,
            "{name:<width$}  {r:>9}  {d:>11}  {a:>9}  {:>9}",
            r + d + a
        )?;
        totals = (totals.0 + r, totals.1 + d, totals.2 + a);
    }
    writeln!(
        out,
        "{:<width$}  {:>9}  {:>11}  {:>9}  {:>9}",
        "total",
        totals.0,
        totals.1,
        totals.2,
        totals.0 + totals.1 + totals.2
    )?;
    if !report.whole_row_tables.is_empty() {
        writeln!(
            out,
            "no primary or NOT NULL unique key, existing rows matched on every column: {}",
            report.whole_row_tables.join(", ")
        )?;
    }
    for w in &report.warnings {
        writeln!(out, "warning: {w}")?;
    }
    if let Some(sql) = &config.sql {
        let cmd = match report.dialect {
            DialectKind::Postgres => format!(
                "psql -X -v ON_ERROR_STOP=1 -d RESTORED_DB -f {}",
                sql.display()
            ),
            DialectKind::Mysql => format!("mysql RESTORED_DB < {}", sql.display()),
        };
        writeln!(out, "apply with: {cmd}")?;
    }
    Ok(())
}
