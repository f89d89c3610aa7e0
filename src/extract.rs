//! The pipeline from dump to selection ([`analyse`]), and `dbsalvage extract` on top of it:
//! outputs (written side by side), dry run and the end-of-run summary. The re-reads the
//! selection asks for are served here (`SegmentReader`): only the stretches of a segment whose
//! key ranges can match, cut into pieces read on every core.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::time::Instant as Clock;

use crate::cli::{DumpArgs, ExtractArgs};
use crate::dialect::{self, DialectKind, DumpInfo, DumpReader, PatchContext, Segment};
use crate::emit::json::{self, TextEncoding};
use crate::emit::OutputFile;
use crate::error::{Error, Result};
use crate::input::{Input, InputSpec};
use crate::progress::Progress;
use crate::row::RowSink;
use crate::scan::ByteStream;
use crate::schema::{Schema, TableId};
use crate::select::{
    self, CreatedRules, KeyFilter, RootFinder, Selection, TableFilter, TableReader, TableStats,
};
use crate::time::{self, Zone};

/// Checked settings for reading a dump and selecting from it.
#[derive(Debug, Clone)]
pub struct Config {
    /// The dump.
    pub input: InputSpec,
    /// `--since` as typed and in UTC microseconds; `None` for `inspect` without it.
    pub since: Option<(String, i64)>,
    /// `--timezone`.
    pub zone: Zone,
    /// `--created-column` rules.
    pub rules: CreatedRules,
    /// Bare `--created-column` names the user gave (each must exist somewhere).
    pub user_candidates: Vec<String>,
    /// `--dialect`.
    pub dialect: Option<DialectKind>,
    /// `--include-table` / `--exclude-table`.
    pub filter: TableFilter,
    /// `--spool-dir`.
    pub spool_dir: Option<PathBuf>,
    /// `--quiet`.
    pub quiet: bool,
}

impl Config {
    /// Validates the options shared by the commands that read a dump.
    ///
    /// # Errors
    /// A bad `--since`, `--timezone`, `--created-column` or table pattern.
    pub fn new(dump: &DumpArgs, since: Option<&str>) -> Result<Config> {
        let zone = time::parse_zone(&dump.timezone)?;
        let since = since
            .map(|s| time::parse_since(s, &zone).map(|t| (s.to_string(), t)))
            .transpose()?;
        let mut explicit = Vec::new();
        let mut candidates = Vec::new();
        for spec in &dump.created_column {
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
            input: InputSpec::from_arg(dump.input.as_deref()),
            since,
            zone,
            rules: CreatedRules::new(explicit, candidates.clone()),
            user_candidates: candidates,
            dialect: dump.dialect,
            filter: TableFilter::new(&dump.include_table, &dump.exclude_table)?,
            spool_dir: dump.spool_dir.clone(),
            quiet: dump.quiet,
        })
    }
}

/// What reading a dump (and, with `--since`, selecting from it) found.
pub struct Analysis {
    /// The opened input (kept: error positions are resolved by re-reading it).
    pub input: Input,
    /// The dialect's reader.
    pub reader: Box<dyn DumpReader>,
    /// The schema.
    pub schema: Schema,
    /// Dump-wide facts.
    pub info: DumpInfo,
    /// The selection, when `--since` was given.
    pub selection: Option<Selection>,
    /// Per dump table (leaves separately) row counts and created ranges, when asked for.
    pub stats: Option<Vec<TableStats>>,
    /// Decompressed bytes read.
    pub bytes: u64,
    /// When the run started.
    pub started: Clock,
}

/// Reads the dump once, then (with `--since`) resolves the closure.
///
/// # Errors
/// Bad input (exit 2) and I/O failures (exit 1).
pub fn analyse(config: &Config, with_stats: bool) -> Result<Analysis> {
    let started = Clock::now();
    let mut input = Input::open(&config.input, config.spool_dir.as_deref())?;
    let total = if input.gzip { None } else { input.stored_size };
    let progress = Progress::new(!config.quiet, total);
    let result = first_pass(config, &mut input, with_stats, &progress);
    let (reader, scan, store, stats, bytes) = match result {
        Ok(v) => v,
        Err(e) => {
            progress.finish();
            return Err(locate(e, &input));
        }
    };
    trace(started, "first pass");
    let schema = scan.schema;
    let info = scan.info;
    if info.tool.is_some() && !info.complete {
        progress.finish();
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
    if let Err(e) = config.rules.validate(&schema, &config.user_candidates) {
        progress.finish();
        return Err(e);
    }
    let selection = match config.since {
        Some(_) => {
            progress.message("following foreign keys");
            let mut table_reader =
                SegmentReader::new(&input, reader.as_ref(), &schema, scan.segments);
            let resolved = select::resolve(&schema, store, &mut table_reader, &config.filter)
                .map_err(|e| locate(e, &input));
            trace(started, "closure resolved");
            progress.finish();
            Some(resolved?)
        }
        None => {
            progress.finish();
            None
        }
    };
    Ok(Analysis {
        input,
        reader,
        schema,
        info,
        selection,
        stats,
        bytes,
        started,
    })
}

/// Where an output goes.
#[derive(Debug, Clone)]
enum Target {
    File(PathBuf),
    Stdout,
}

impl Target {
    fn from_path(p: &std::path::Path) -> Target {
        if p.as_os_str() == "-" {
            Target::Stdout
        } else {
            Target::File(p.to_path_buf())
        }
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
    /// Tables with rows in the dump but no created column (their new rows are found only
    /// through references).
    pub untimed_tables: Vec<String>,
    /// Decompressed bytes read in the first pass.
    pub bytes: u64,
    /// Table re-reads done to resolve the closure.
    pub rereads: usize,
    /// Warnings (dangling references, excluded tables, missing end marker).
    pub warnings: Vec<String>,
    /// Wall time.
    pub seconds: f64,
    /// Where the patch went (for the "apply with" line).
    pub sql: Option<String>,
    /// Peak resident memory of the process, when the system tells.
    pub peak_memory: Option<u64>,
}

/// The process's peak resident set size in bytes (Linux `VmHWM`).
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// `dbsalvage extract`: returns the report for the summary.
///
/// # Errors
/// Bad input (exit 2) and I/O failures (exit 1); no output file is left behind.
pub fn run(args: &ExtractArgs) -> Result<Report> {
    let config = Config::new(&args.dump, Some(&args.since))?;
    let sql = args.sql.as_deref().map(Target::from_path);
    let json = args.json.as_deref().map(Target::from_path);
    if matches!((&sql, &json), (Some(Target::Stdout), Some(Target::Stdout))) {
        return Err(Error::Usage(
            "--sql - and --json - cannot both write to stdout".into(),
        ));
    }
    // Create the output files first: a missing directory fails before a long read.
    let open = |t: &Option<Target>| -> Result<Option<OutputFile>> {
        match t {
            Some(Target::File(p)) => OutputFile::create(p).map(Some),
            Some(Target::Stdout) => Ok(Some(OutputFile::stdout())),
            None => Ok(None),
        }
    };
    let mut sql_out = open(&sql)?;
    let mut json_out = open(&json)?;
    let mut schema_out = match &json {
        Some(Target::File(p)) => Some(OutputFile::create(&crate::replay::schema_path(p))?),
        _ => None,
    };

    // Stdout or a device receives the bytes as they are written; files are staged.
    let staged = [&sql_out, &json_out, &schema_out]
        .iter()
        .all(|o| o.as_ref().is_none_or(OutputFile::is_staged));
    let mut analysis = analyse(&config, false)?;
    let selection = analysis
        .selection
        .as_ref()
        .expect("extract always has --since");
    let schema = &analysis.schema;
    let (since_text, since) = config.since.as_ref().expect("extract always has --since");
    let since_label = format!("{since_text} ({})", time::format_micros(*since));
    // The three outputs only read the selection: write them side by side.
    let kind = analysis.reader.kind();
    let (info, input_name) = (&analysis.info, analysis.input.name.as_str());
    let mut write_json = || -> Result<()> {
        let Some(out) = json_out.as_mut() else {
            return Ok(());
        };
        let encoding = TextEncoding::from_name(info.encoding.as_deref());
        json::write(out.writer(), schema, selection, encoding, args.json_lines)
            .map_err(|e| retarget(e, out))?;
        out.finish()
    };
    let mut write_schema = || -> Result<()> {
        let Some(out) = schema_out.as_mut() else {
            return Ok(());
        };
        let file =
            crate::replay::schema_file(kind, input_name, &since_label, schema, info, selection)?;
        serde_json::to_writer(out.writer(), &file)
            .map_err(|e| retarget(Error::io("writing the schema file", e.into()), out))?;
        out.finish()
    };
    let mut write_sql = || -> Result<()> {
        let Some(out) = sql_out.as_mut() else {
            return Ok(());
        };
        let ctx = PatchContext {
            schema,
            info,
            selection,
            source_name: input_name,
            since: &since_label,
        };
        kind.patch_writer()
            .write(out.writer(), &ctx)
            .map_err(|e| retarget(e, out))?;
        out.finish()
    };
    let started = analysis.started;
    // The key check runs beside the writers when every output is staged in a temporary file
    // (nothing is committed before it has passed); stdout or a device would receive the bytes
    // at once, so then it runs first.
    if !staged {
        check_unique_keys(schema, selection).map_err(|e| locate(e, &analysis.input))?;
    }
    let (keys_ok, json_done, schema_done, sql_done) = std::thread::scope(|scope| {
        let keys = staged.then(|| scope.spawn(|| check_unique_keys(schema, selection)));
        let json = scope.spawn(move || write_json().inspect(|()| trace(started, "json written")));
        let schema =
            scope.spawn(move || write_schema().inspect(|()| trace(started, "schema written")));
        let sql = write_sql().inspect(|()| trace(started, "patch written"));
        (keys.map_or(Ok(()), join), join(json), join(schema), sql)
    });
    keys_ok.map_err(|e| locate(e, &analysis.input))?;
    json_done.map_err(|e| locate(e, &analysis.input))?;
    schema_done?;
    sql_done?;
    trace(analysis.started, "outputs written");
    // Nothing reads the dump from here on (no error can point into it any more).
    analysis.input.release_spool();
    if let Some(out) = json_out {
        out.commit()?;
    }
    if let Some(out) = schema_out {
        out.commit()?;
    }
    if let Some(out) = sql_out {
        out.commit()?;
    }
    trace(analysis.started, "outputs in place");
    let report = report(
        &analysis,
        &config,
        sql.map(|t| match t {
            Target::File(p) => p.display().to_string(),
            Target::Stdout => "patch.sql".to_string(),
        }),
    );
    release(analysis);
    Ok(report)
}

/// Frees what a run built on a thread of its own: freeing the selected rows one by one took
/// 35 ms of a 1.4 s run (231 308 rows), and nothing waits for it — the summary is printed and
/// the process may end meanwhile. The input is closed here (its spool was released when
/// the outputs were written).
fn release(analysis: Analysis) {
    let Analysis {
        input,
        reader,
        schema,
        selection,
        stats,
        ..
    } = analysis;
    drop(input);
    // Without a thread, the memory is freed right here (the closure is dropped).
    let _ = std::thread::Builder::new().spawn(move || drop((reader, schema, selection, stats)));
}

/// The result of a scoped writer thread (a panic there is a bug: it goes on unwinding here).
fn join(handle: std::thread::ScopedJoinHandle<'_, Result<()>>) -> Result<()> {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The report of an analysis with a selection (extract, dry run, inspect --since).
pub fn report(analysis: &Analysis, config: &Config, sql: Option<String>) -> Report {
    let schema = &analysis.schema;
    let empty = Selection::default();
    let selection = analysis.selection.as_ref().unwrap_or(&empty);
    let mut warnings = analysis.info.warnings.clone();
    warnings.extend(selection.dangling.iter().cloned());
    warnings.extend(selection.excluded.iter().cloned());
    if !analysis.info.complete {
        warnings
            .push("the dump has no header or end marker of a dump tool: check it is whole".into());
    }
    let mut finder_rules_tables = Vec::new();
    for t in schema.row_tables() {
        if !config.filter.allows(&schema.tables[t].name) {
            continue;
        }
        let has_created = matches!(config.rules.column_for(&schema.tables, t, t), Ok(Some(_)));
        if !has_created {
            finder_rules_tables.push(schema.tables[t].name.to_string());
        }
    }
    Report {
        dialect: analysis.reader.kind(),
        counts: select::counts(schema, selection),
        whole_row_tables: selection
            .tables
            .iter()
            .filter(|t| schema.tables[t.table].conflict_key().is_none())
            .map(|t| schema.tables[t.table].name.to_string())
            .collect(),
        untimed_tables: finder_rules_tables,
        bytes: analysis.bytes,
        rereads: selection.rereads,
        warnings,
        seconds: analysis.started.elapsed().as_secs_f64(),
        sql,
        peak_memory: peak_memory(),
    }
}

/// Two selected rows with the same primary (or conflict) key cannot both be restored: the dump
/// is inconsistent (its keys are only checked when a restore adds the constraint), and saying
/// so beats a patch that fails or a JSON that `patch` refuses.
fn check_unique_keys(schema: &Schema, selection: &Selection) -> Result<()> {
    let mut key = Vec::new();
    for st in &selection.tables {
        let table = &schema.tables[st.table];
        let Some(columns) = table.conflict_key() else {
            continue;
        };
        // A set of keys first (integer keys without an allocation); the offsets only when a key
        // turns out twice.
        let mut seen = crate::row::KeySet::default();
        seen.reserve(st.rows.len());
        let twice = st
            .rows
            .iter()
            .find(|r| crate::row::Key::build(&r.row, columns, &mut key) && !seen.insert(&key));
        let Some(second) = twice else {
            continue;
        };
        let mut other = Vec::new();
        let first = st.rows.iter().find(|r| {
            r.row.offset != second.row.offset
                && crate::row::Key::build(&r.row, columns, &mut other)
                && other == key
        });
        let (a, b) = match first {
            Some(f) => (
                f.row.offset.min(second.row.offset),
                f.row.offset.max(second.row.offset),
            ),
            None => (second.row.offset, second.row.offset),
        };
        return Err(Error::data(
            b,
            format!(
                "table {} holds two rows with the same key ({}), at bytes {a} and {b}: the dump is inconsistent",
                table.name,
                columns
                    .iter()
                    .map(|&c| table.columns[c].name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    Ok(())
}

/// Write errors of the JSON/patch writers name the output file.
fn retarget(e: Error, out: &OutputFile) -> Error {
    match e {
        Error::Io { source, .. } => out.error(source),
        other => other,
    }
}

type FirstPass = (
    Box<dyn DumpReader>,
    dialect::ScanResult,
    select::Store,
    Option<Vec<TableStats>>,
    u64,
);

fn first_pass(
    config: &Config,
    input: &mut Input,
    with_stats: bool,
    progress: &Progress,
) -> Result<FirstPass> {
    let feed = input
        .first_read(progress)
        .ok_or_else(|| Error::Usage("the input was already read".into()))?;
    let mut nothing = std::io::empty();
    let raw: &mut dyn Read = &mut nothing;
    let mut stream = ByteStream::from_feed(raw, Box::new(feed), 0);
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
    // Decompressing, or reading a pipe and writing the spool, keeps a core busy on its own and
    // is slower than parsing: a helper thread would only take time from it (measured: gzip
    // input 0.49 → 0.62 × `gzip -dc`).
    let split = crate::tuning::split_bytes().filter(|_| !input.is_spooled());
    let mut reader = kind.reader_with_split(split);
    let mut finder = RootFinder::new(
        config.since.as_ref().map(|s| s.1),
        &config.rules,
        config.zone,
        &config.filter,
        with_stats,
        progress.clone(),
    );
    let scan = reader.scan(&mut stream, &mut finder)?;
    let bytes = stream.offset();
    let (store, stats) = finder.finish();
    Ok((reader, scan, store, stats, bytes))
}

/// With `DBSALVAGE_TRACE` set, prints how long the run has taken so far at a named point.
fn trace(started: Clock, what: &str) {
    if crate::tuning::tracing() {
        eprintln!(
            "dbsalvage: {what} at {:.2}s (peak memory so far {})",
            started.elapsed().as_secs_f64(),
            peak_so_far()
        );
    }
}

/// The peak memory so far, for trace lines.
fn peak_so_far() -> String {
    peak_memory().map_or_else(|| "?".to_string(), human_bytes)
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
    /// Into how many pieces a table re-read is cut (one thread each).
    threads: usize,
    /// Tables smaller than this many bytes per piece are cut into fewer pieces.
    least_piece: u64,
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
            // `DBSALVAGE_THREADS` sets it (benchmarks, tests).
            threads: crate::tuning::threads(),
            least_piece: crate::tuning::piece_bytes(),
        }
    }
}

impl SegmentReader<'_> {
    /// Cuts the segments of root table `table` into at most `pieces` runs of about equal size,
    /// in dump order, each starting on a row boundary: a COPY segment anywhere after a line
    /// break, a run of INSERTs at one of its resume points.
    fn cut(
        &self,
        file: &mut std::fs::File,
        table: TableId,
        pieces: usize,
    ) -> Result<Vec<Vec<Segment>>> {
        let segments = &self.by_table[table];
        let total: u64 = segments.iter().map(|s| s.end - s.start).sum();
        let pieces = pieces.clamp(
            1,
            usize::try_from(total / self.least_piece)
                .unwrap_or(usize::MAX)
                .max(1),
        );
        let mut out: Vec<Vec<Segment>> = vec![Vec::new()];
        let mut done = 0u64;
        for seg in segments {
            let mut from = seg.start;
            while out.len() < pieces {
                // Where the current piece should end, in this segment's bytes.
                let target = total * out.len() as u64 / pieces as u64;
                let cut_at = seg.start + target.saturating_sub(done);
                if cut_at >= seg.end {
                    break;
                }
                let boundary = match seg.format {
                    crate::dialect::SegmentFormat::CopyText => {
                        next_line_start(file, cut_at.max(from), seg.end)?
                    }
                    crate::dialect::SegmentFormat::Insert => seg
                        .resume_points
                        .iter()
                        .copied()
                        .find(|&p| p >= cut_at.max(from))
                        .unwrap_or(seg.end),
                };
                if boundary > from {
                    out.last_mut()
                        .expect("never empty")
                        .push(seg.part(from, boundary));
                }
                from = boundary;
                out.push(Vec::new());
                if boundary >= seg.end {
                    break;
                }
            }
            if from < seg.end {
                out.last_mut()
                    .expect("never empty")
                    .push(seg.part(from, seg.end));
            }
            done += seg.end - seg.start;
        }
        Ok(out)
    }
}

/// The first offset at or after `at` that starts a line (the byte before it is `\n`), or `end`.
fn next_line_start(file: &mut std::fs::File, at: u64, end: u64) -> Result<u64> {
    let io = |e| Error::io("re-reading the dump", e);
    let from = at.saturating_sub(1);
    file.seek(SeekFrom::Start(from)).map_err(io)?;
    let mut stream = ByteStream::new((&mut *file).take(end - from), from);
    let (len, nl) = stream.line_len()?;
    Ok(if nl { from + len as u64 + 1 } else { end })
}

/// Reads one piece of root table `root` (its segments in dump order) into `sink`; with `only`,
/// just the stretches that may hold its keys. Returns the bytes read.
#[allow(clippy::too_many_arguments)]
fn read_piece(
    reader: &dyn DumpReader,
    file: &mut std::fs::File,
    schema: &Schema,
    root: TableId,
    piece: &[Segment],
    backwards: bool,
    only: Option<&KeyFilter>,
    sink: &mut dyn RowSink,
) -> Result<u64> {
    let mut runs: Vec<Segment> = Vec::new();
    for seg in piece {
        match only {
            Some(filter) => runs.extend(wanted_runs(schema, root, seg, filter)),
            None => runs.push(seg.clone()),
        }
    }
    if backwards {
        runs.reverse();
    }
    let mut bytes = 0;
    for run in &runs {
        read_segment(reader, file, schema, run, backwards, sink)?;
        bytes += run.end - run.start;
    }
    Ok(bytes)
}

/// Where in `seg`'s rows (which of the leading fields) column `column` of root table `root` is.
fn lead_field(schema: &Schema, root: TableId, seg: &Segment, column: usize) -> Option<usize> {
    let column = if seg.table == root {
        column
    } else {
        // A partition leaf: the same column by name.
        schema.tables[seg.table].column_index(&schema.tables[root].columns.get(column)?.name)?
    };
    let field = seg.columns.iter().position(|&c| c == column)?;
    (field < crate::dialect::LEAD_FIELDS).then_some(field)
}

/// The parts of `seg` whose stretches may hold rows `filter` looks for (adjacent stretches
/// joined), in dump order.
fn wanted_runs(schema: &Schema, root: TableId, seg: &Segment, filter: &KeyFilter) -> Vec<Segment> {
    let fields: Vec<Option<usize>> = filter
        .wanted
        .iter()
        .map(|(column, _)| lead_field(schema, root, seg, *column))
        .collect();
    let mut runs = Vec::new();
    let mut open: Option<(u64, u64)> = None;
    for (start, end, lead) in seg.stretches() {
        let wanted = filter.may_match(|column| {
            let i = filter.wanted.iter().position(|(c, _)| *c == column)?;
            fields[i].map(|f| lead[f])
        });
        if !wanted {
            continue;
        }
        open = match open {
            Some((a, b)) if b == start => Some((a, end)),
            Some((a, b)) => {
                runs.push(seg.part(a, b));
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    if let Some((a, b)) = open {
        runs.push(seg.part(a, b));
    }
    runs
}

/// Re-reads `seg` from `file` on this thread, into `sink`.
fn rescan_in_place(
    reader: &dyn DumpReader,
    file: &mut std::fs::File,
    schema: &Schema,
    seg: &Segment,
    sink: &mut dyn RowSink,
) -> Result<()> {
    file.seek(SeekFrom::Start(seg.start))
        .map_err(|e| Error::io("re-reading the dump", e))?;
    let mut limited = (&mut *file).take(seg.end - seg.start);
    let raw: &mut dyn Read = &mut limited;
    let mut stream = ByteStream::new(raw, seg.start);
    reader.rescan(&mut stream, schema, seg, sink)
}

/// Parts of a re-read shorter than this are read without a read-ahead thread.
const READ_AHEAD_FROM: u64 = 8 << 20;

/// Reads one segment (or part of one) into `sink`, last row first where the dialect can.
fn read_segment(
    reader: &dyn DumpReader,
    file: &mut std::fs::File,
    schema: &Schema,
    seg: &Segment,
    backwards: bool,
    sink: &mut dyn RowSink,
) -> Result<()> {
    if backwards && reader.rescan_backwards(file, schema, seg, sink)? {
        return Ok(());
    }
    if backwards && seg.format == crate::dialect::SegmentFormat::Insert {
        return insert_run_backwards(reader, file, schema, seg, sink);
    }
    let io = |e| Error::io("re-reading the dump", e);
    if seg.end - seg.start < READ_AHEAD_FROM {
        // A short stretch: read here (a thread and its buffers would cost more than they save).
        return rescan_in_place(reader, file, schema, seg, sink);
    }
    // Read ahead on another thread: the copy out of the page cache overlaps parsing.
    let mut own = file.try_clone().map_err(io)?;
    own.seek(SeekFrom::Start(seg.start)).map_err(io)?;
    let feed =
        crate::input::ReadAhead::spawn(own.take(seg.end - seg.start), None, Progress::default());
    let mut nothing = std::io::empty();
    let raw: &mut dyn Read = &mut nothing;
    let mut stream = ByteStream::from_feed(raw, Box::new(feed), seg.start);
    reader.rescan(&mut stream, schema, seg, sink)
}

impl TableReader for SegmentReader<'_> {
    fn read_table(
        &mut self,
        schema: &Schema,
        table: TableId,
        backwards: bool,
        only: Option<&KeyFilter>,
        sinks: &mut [&mut (dyn RowSink + Send)],
    ) -> Result<()> {
        let trace = crate::tuning::tracing();
        let started = Clock::now();
        let bytes: u64 = self.by_table[table].iter().map(|s| s.end - s.start).sum();
        let mut file = self.input.reopen()?;
        // As many pieces as the bytes that will be read are worth: a read of a few stretches
        // of a big table is not worth a thread per piece.
        let threads = match only {
            Some(filter) => {
                let wanted: u64 = self.by_table[table]
                    .iter()
                    .flat_map(|seg| wanted_runs(schema, table, seg, filter))
                    .map(|run| run.end - run.start)
                    .sum();
                usize::try_from(wanted / self.least_piece)
                    .unwrap_or(usize::MAX)
                    .clamp(1, sinks.len().max(1))
            }
            None => sinks.len(),
        };
        let pieces = self.cut(&mut file, table, threads)?;
        let reader = self.reader;
        let read;
        if let ([piece], [sink, ..]) = (pieces.as_slice(), &mut *sinks) {
            read = read_piece(
                reader, &mut file, schema, table, piece, backwards, only, *sink,
            )?;
        } else {
            // Each piece on its own thread, with its own file handle (offsets are per handle).
            let mut files = vec![file];
            for _ in 1..pieces.len() {
                files.push(self.input.reopen()?);
            }
            let results: Vec<Result<u64>> = std::thread::scope(|scope| {
                let handles: Vec<_> = pieces
                    .iter()
                    .zip(sinks.iter_mut())
                    .zip(files.iter_mut())
                    .map(|((piece, sink), file)| {
                        scope.spawn(move || {
                            read_piece(reader, file, schema, table, piece, backwards, only, *sink)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            });
            // The error of the earliest piece, as a sequential read would report.
            read = results.into_iter().sum::<Result<u64>>()?;
        }
        if trace {
            eprintln!(
                "dbsalvage: re-read {}{} ({} of {}) in {} piece(s) in {:.2}s (peak memory so far {})",
                schema.tables[table].name,
                if backwards { " backwards" } else { "" },
                human_bytes(read),
                human_bytes(bytes),
                pieces.len(),
                started.elapsed().as_secs_f64(),
                peak_so_far()
            );
        }
        Ok(())
    }

    fn parallelism(&self) -> usize {
        self.threads
    }

    fn has_rows(&self, _schema: &Schema, table: TableId) -> bool {
        !self.by_table[table].is_empty()
    }
}

/// Reads a run of INSERT statements last row first: stretch by stretch from its resume points
/// (about a MiB each), each stretch read forwards and its rows handed over in reverse.
fn insert_run_backwards(
    reader: &dyn DumpReader,
    file: &mut std::fs::File,
    schema: &Schema,
    seg: &Segment,
    sink: &mut dyn RowSink,
) -> Result<()> {
    // One buffer for every stretch (a fresh one each made the allocator keep freed ones).
    let mut kept = KeptRows::default();
    for (start, end, _) in seg.stretches().rev() {
        let stretch = seg.part(start, end);
        kept.clear();
        rescan_in_place(reader, file, schema, &stretch, &mut kept)?;
        kept.replay(&schema.tables, sink)?;
    }
    Ok(())
}

/// Keeps every row it is given (a stretch of a re-read, to hand over in reverse), all cells in
/// one buffer: no allocation per row, and 8 bytes per cell besides its bytes (with 24, a
/// stretch of a narrow table's rows took about twice its own size: 10 MiB of the peak for two
/// pieces of a backward read).
#[derive(Default)]
struct KeptRows {
    bytes: Vec<u8>,
    cells: Vec<KeptCell>,
    /// Per row: table, offset, first cell.
    rows: Vec<(TableId, u64, usize)>,
}

/// Where a kept cell's bytes lie in [`KeptRows::bytes`]; `start == u32::MAX` marks an absent
/// cell (`len` 0) or NULL (`len` 1).
#[derive(Clone, Copy, PartialEq, Eq)]
struct KeptCell {
    start: u32,
    len: u32,
}

impl KeptCell {
    const ABSENT: KeptCell = KeptCell {
        start: u32::MAX,
        len: 0,
    };
    const NULL: KeptCell = KeptCell {
        start: u32::MAX,
        len: 1,
    };
}

impl KeptRows {
    fn clear(&mut self) {
        self.bytes.clear();
        self.cells.clear();
        self.rows.clear();
    }

    fn replay(&self, tables: &[crate::schema::Table], sink: &mut dyn RowSink) -> Result<()> {
        for (i, &(table, offset, first)) in self.rows.iter().enumerate().rev() {
            let last = self.rows.get(i + 1).map_or(self.cells.len(), |r| r.2);
            let mut row = KeptRow {
                kept: self,
                cells: &self.cells[first..last],
                offset,
            };
            sink.row(tables, table, &mut row)?;
        }
        Ok(())
    }
}

impl RowSink for KeptRows {
    fn wants(&mut self, _: &[crate::schema::Table], _: TableId) -> bool {
        true
    }

    fn row(
        &mut self,
        tables: &[crate::schema::Table],
        table: TableId,
        row: &mut dyn crate::row::RowAccess,
    ) -> Result<()> {
        self.rows.push((table, row.offset(), self.cells.len()));
        for c in 0..tables[table].columns.len() {
            let cell = match row.cell(c)? {
                crate::row::CellRef::Absent => KeptCell::ABSENT,
                crate::row::CellRef::Null => KeptCell::NULL,
                crate::row::CellRef::Value(v) => {
                    // A stretch is at most a statement (≤ 1 GiB) past a resume point, and its
                    // values are no longer than its text: this holds for any dump.
                    let place = u32::try_from(self.bytes.len())
                        .ok()
                        .zip(u32::try_from(v.len()).ok())
                        .filter(|(start, len)| {
                            start.checked_add(*len).is_some_and(|e| e < u32::MAX)
                        });
                    let Some((start, len)) = place else {
                        return Err(Error::data(
                            row.offset(),
                            "a stretch of rows too large to read backwards (over 4 GiB of values)",
                        ));
                    };
                    self.bytes.extend_from_slice(v);
                    KeptCell { start, len }
                }
            };
            self.cells.push(cell);
        }
        Ok(())
    }
}

/// A kept row seen through [`crate::row::RowAccess`].
struct KeptRow<'k> {
    kept: &'k KeptRows,
    cells: &'k [KeptCell],
    offset: u64,
}

impl crate::row::RowAccess for KeptRow<'_> {
    fn offset(&self) -> u64 {
        self.offset
    }

    fn cell(&mut self, col: usize) -> Result<crate::row::CellRef<'_>> {
        Ok(match self.cells.get(col) {
            Some(&KeptCell::NULL) => crate::row::CellRef::Null,
            Some(&KeptCell { start, len }) if start != u32::MAX => {
                let (start, len) = (start as usize, len as usize);
                crate::row::CellRef::Value(&self.kept.bytes[start..start + len])
            }
            _ => crate::row::CellRef::Absent,
        })
    }
}

/// The plan table: one line per table with rows selected, and a total.
pub fn print_plan(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let width = report
        .counts
        .iter()
        .map(|c| c.0.len())
        .max()
        .unwrap_or(5)
        .max(5);
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
    if !report.untimed_tables.is_empty() {
        writeln!(
            out,
            "no created column (new rows there are found only through references): {}",
            report.untimed_tables.join(", ")
        )?;
    }
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
    Ok(())
}

/// Writes the end-of-run summary.
pub fn print_summary(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "dbsalvage: {} dump, {} read in {:.2}s, {} table re-reads{}",
        report.dialect.name(),
        human_bytes(report.bytes),
        report.seconds,
        report.rereads,
        report
            .peak_memory
            .map(|m| format!(", peak memory {}", human_bytes(m)))
            .unwrap_or_default()
    )?;
    print_plan(report, out)?;
    if let Some(sql) = &report.sql {
        let cmd = match report.dialect {
            DialectKind::Postgres => format!("psql -X -v ON_ERROR_STOP=1 -d RESTORED_DB -f {sql}"),
            DialectKind::Mysql => format!("mysql RESTORED_DB < {sql}"),
        };
        writeln!(out, "apply with: {cmd}")?;
    }
    Ok(())
}

/// `1.5 GB`-style sizes.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} bytes")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::testutil::{scan_with, RecordingSink};

    #[test]
    fn insert_runs_read_backwards_stretch_by_stretch() {
        // Values, NULLs, empty strings and absent cells (`parent_id`, left out of the column
        // list): each kept cell must come back as it was read.
        let mut dump =
            String::from("CREATE TABLE public.c (id integer, parent_id integer, note text);\n");
        for i in 0..40 {
            let note = ["'n'", "NULL", "''", "'it''s'"][i % 4];
            dump.push_str(&format!(
                "INSERT INTO public.c (id, note) VALUES ({i}, {note});\n"
            ));
        }
        let make = || -> Box<dyn DumpReader> { DialectKind::Postgres.reader() };
        let (reader, scan, forwards) = scan_with(&make, dump.as_bytes(), None, false).unwrap();
        assert_eq!(scan.segments.len(), 1);
        let mut seg = scan.segments[0].clone();
        // Resume points at every statement: many stretches.
        let bytes = dump.as_bytes();
        seg.resume_points = memchr::memchr_iter(b'\n', bytes)
            .map(|p| p as u64 + 1)
            .filter(|&p| p > seg.start && p < seg.end)
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sql");
        std::fs::write(&path, bytes).unwrap();
        let mut file = std::fs::File::open(&path).unwrap();
        let mut sink = RecordingSink::default();
        insert_run_backwards(reader.as_ref(), &mut file, &scan.schema, &seg, &mut sink).unwrap();
        let mut backwards = sink.lines;
        backwards.reverse();
        assert_eq!(backwards, forwards);
        for kind in ["<absent>", "<null>", "\"\"", "\"it's\""] {
            assert!(
                forwards.iter().any(|l| l.contains(kind)),
                "no {kind} cell read"
            );
        }
    }
}
