//! PostgreSQL plain-format dumps (pg_dump, pg_dumpall): the reader.
//!
//! The top level of a dump is a sequence of SQL statements, `--` comments, psql meta-command
//! lines (`\connect`, `\restrict`) and COPY blocks. Statements are split by [`lexer`]; the ones
//! that shape the schema are read by [`ddl`] (sqlparser for `CREATE TABLE` and
//! `ALTER TABLE … ADD CONSTRAINT`); COPY rows are decoded by [`copy`] and INSERT tuples by
//! [`insert`], lazily: a row is only split and decoded when the sink wants its table.

pub mod copy;
pub mod ddl;
pub mod insert;
pub mod lexer;
pub mod patch;

use std::io::Read;
use std::sync::Arc;

use crate::dialect::{
    check_redeclaration, lead_empty, tracked_fields, DialectKind, DumpInfo, DumpReader, FieldRange,
    Lead, ScanResult, Segment, SegmentFormat, LEAD_ANY,
};
use crate::error::{excerpt, Error, Result};
use crate::helper::{LazyHelper, Share};
use crate::row::{CellRef, RowAccess, RowScreen, RowSink};
use crate::scan::{ByteStream, SharedBytes};
use crate::schema::{Schema, SchemaBuilder, Table, TableId, TableName, TypeClass};

use ddl::AddedConstraint;
use lexer::{StatementEnd, Token};

type Stream<'a> = ByteStream<&'a mut dyn Read>;

/// Reads pg_dump / pg_dumpall plain SQL.
#[derive(Debug)]
pub struct PostgresReader {
    /// Offsets where `standard_conforming_strings` changed (for re-reading INSERTs).
    string_modes: Vec<(u64, bool)>,
    /// The least COPY window the first read shares with a helper thread (`None`: never).
    split: Option<usize>,
}

impl Default for PostgresReader {
    fn default() -> PostgresReader {
        PostgresReader::with_split(crate::tuning::split_bytes())
    }
}

impl PostgresReader {
    /// A fresh reader.
    pub fn new() -> PostgresReader {
        PostgresReader::default()
    }

    /// A reader that shares COPY windows of at least `split` bytes with a helper thread.
    pub fn with_split(split: Option<usize>) -> PostgresReader {
        PostgresReader {
            string_modes: Vec::new(),
            split,
        }
    }

    fn standard_strings_at(&self, offset: u64) -> bool {
        self.string_modes
            .iter()
            .rev()
            .find(|(at, _)| *at <= offset)
            .is_none_or(|(_, on)| *on)
    }
}

/// Per-scan state.
struct Scan<'s> {
    builder: SchemaBuilder,
    segments: Vec<Segment>,
    info: DumpInfo,
    database: Option<String>,
    databases: Vec<String>,
    standard_strings: bool,
    string_modes: &'s mut Vec<(u64, bool)>,
    /// The previous statement was an INSERT into this segment (to merge runs of INSERTs).
    open_insert: Option<usize>,
    /// See [`PostgresReader::split`].
    split: Option<usize>,
}

impl DumpReader for PostgresReader {
    fn kind(&self) -> DialectKind {
        DialectKind::Postgres
    }

    fn scan(&mut self, input: &mut Stream<'_>, sink: &mut dyn RowSink) -> Result<ScanResult> {
        self.string_modes.clear();
        let mut scan = Scan {
            builder: SchemaBuilder::new(),
            segments: Vec::new(),
            info: DumpInfo::default(),
            database: None,
            databases: Vec::new(),
            standard_strings: true,
            string_modes: &mut self.string_modes,
            open_insert: None,
            split: self.split,
        };
        // A UTF-8 byte-order mark is not part of the dump.
        if input.window().starts_with(b"\xef\xbb\xbf") {
            input.consume(3);
        }
        loop {
            skip_blank(input)?;
            if input.at_end()? {
                break;
            }
            // Two bytes decide between a comment, a meta-command and a statement.
            while input.window().len() < 2 && input.fill()? {}
            let w = input.window();
            if w.starts_with(b"--") {
                let (len, nl) = input.line_len()?;
                scan.comment(&input.window()[..len]);
                input.consume(len + usize::from(nl));
                continue;
            }
            if w.starts_with(b"\\") {
                let (len, nl) = input.line_len()?;
                let line = input.window()[..len].to_vec();
                input.consume(len + usize::from(nl));
                scan.meta_command(&line);
                // A re-read of a run of INSERTs reads SQL only: a psql line ends the run.
                scan.open_insert = None;
                continue;
            }
            let start = input.offset();
            let end = find_statement(input, scan.standard_strings)?;
            let consumed = end + 1;
            let stmt_start = start;
            let is_copy = starts_with_kw(&input.window()[..end], b"copy");
            let is_insert = !is_copy && starts_with_kw(&input.window()[..end], b"insert");
            if is_insert {
                let stmt = &input.window()[..end];
                scan.insert(stmt, stmt_start, stmt_start + consumed as u64, sink)?;
                input.consume(consumed);
            } else if is_copy {
                let stmt = input.window()[..end].to_vec();
                input.consume(consumed);
                // The data starts on the next line.
                let (len, nl) = input.line_len()?;
                if !input.window()[..len].iter().all(u8::is_ascii_whitespace) || !nl {
                    return Err(Error::syntax(
                        input.offset(),
                        "expected a line break after `COPY … FROM stdin;`",
                    ));
                }
                input.consume(len + 1);
                scan.open_insert = None;
                scan.copy(&stmt, stmt_start, input, sink)?;
            } else {
                let stmt = input.window()[..end].to_vec();
                input.consume(consumed);
                scan.open_insert = None;
                scan.statement(&stmt, stmt_start, sink)?;
            }
        }
        let Scan {
            mut builder,
            segments,
            info,
            databases,
            ..
        } = scan;
        if databases.len() <= 1 {
            builder.drop_database_names();
        }
        let schema = builder.finish()?;
        Ok(ScanResult {
            schema,
            segments,
            info,
        })
    }

    fn rescan_backwards(
        &self,
        file: &mut dyn crate::dialect::SeekRead,
        schema: &Schema,
        segment: &Segment,
        sink: &mut dyn RowSink,
    ) -> Result<bool> {
        if segment.format != SegmentFormat::CopyText {
            return Ok(false);
        }
        let table = &schema.tables[segment.table];
        let mut rows = CopyRows::new(table, &segment.columns);
        copy_lines_backwards(file, segment, 1 << 20, |line, offset| {
            rows.row(
                &schema.tables,
                segment.table,
                line,
                offset,
                CopyRead::Again,
                sink,
            )
        })?;
        Ok(true)
    }

    fn rescan(
        &self,
        input: &mut Stream<'_>,
        schema: &Schema,
        segment: &Segment,
        sink: &mut dyn RowSink,
    ) -> Result<()> {
        let table = &schema.tables[segment.table];
        match segment.format {
            SegmentFormat::CopyText => {
                let mut rows = CopyRows::new(table, &segment.columns);
                let mut row = |line: &[u8], offset: u64| {
                    rows.row(
                        &schema.tables,
                        segment.table,
                        line,
                        offset,
                        CopyRead::Again,
                        sink,
                    )
                };
                loop {
                    let base = input.offset();
                    let window = input.window();
                    let mut ended = false;
                    let used = copy::for_each_line(window, |start, end| {
                        let line = &window[start..end];
                        if is_copy_end(line) {
                            ended = true;
                            return Ok(false);
                        }
                        row(line, base + start as u64)?;
                        Ok(true)
                    })?;
                    input.consume(used);
                    if ended {
                        return Ok(());
                    }
                    if !input.fill()? {
                        // A last line without its newline (a segment always ends after one).
                        let line = input.window();
                        if !line.is_empty() && !is_copy_end(line) {
                            row(line, input.offset())?;
                        }
                        return Ok(());
                    }
                }
            }
            SegmentFormat::Insert => {
                let standard = self.standard_strings_at(segment.start);
                let mut fields = Vec::new();
                loop {
                    skip_blank(input)?;
                    if input.at_end()? {
                        return Ok(());
                    }
                    while input.window().len() < 2 && input.fill()? {}
                    if input.window().starts_with(b"--") {
                        let (len, nl) = input.line_len()?;
                        input.consume(len + usize::from(nl));
                        continue;
                    }
                    let start = input.offset();
                    let end = find_statement(input, standard)?;
                    let stmt = &input.window()[..end];
                    let header = insert::parse_header(stmt).ok_or_else(|| {
                        Error::syntax(start, "cannot read this INSERT statement's header")
                    })?;
                    insert_rows(
                        &schema.tables,
                        segment.table,
                        &segment.columns,
                        stmt,
                        start,
                        header.values_at,
                        standard,
                        &mut fields,
                        sink,
                    )?;
                    input.consume(end + 1);
                }
            }
        }
    }
}

fn skip_blank(input: &mut Stream<'_>) -> Result<()> {
    loop {
        let w = input.window();
        let n = w.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let all = n == w.len();
        input.consume(n);
        if !all || !input.fill()? {
            return Ok(());
        }
    }
}

fn starts_with_kw(stmt: &[u8], kw: &[u8]) -> bool {
    stmt.len() > kw.len()
        && stmt[..kw.len()].eq_ignore_ascii_case(kw)
        && stmt[kw.len()].is_ascii_whitespace()
}

/// Finds the end of the statement at the start of the window, reading more as needed.
fn find_statement(input: &mut Stream<'_>, standard_strings: bool) -> Result<usize> {
    loop {
        match lexer::statement_end(input.window(), standard_strings) {
            StatementEnd::At(i) => return Ok(i),
            StatementEnd::Incomplete { open, since } => {
                if !input.fill()? {
                    let at = input.offset() + since as u64;
                    let head = excerpt(&input.window()[since..], 60);
                    return Err(Error::syntax(
                        at,
                        format!("the dump ends inside a {}: `{head}`", open.describe()),
                    ));
                }
            }
        }
    }
}

/// Widens `lead` by a COPY line's first `tracked` fields, each an integer read straight off the
/// line (the first pass meets every row: no search for tabs while the fields are digits); NULL
/// (`\N`) matches no key and changes nothing; anything else may be anything. Returns the number
/// of tabs in the whole line: those it passed reading its fields, plus a count of the rest (a
/// line of tracked fields alone, like a many-to-many table's, is not searched a second time).
#[inline]
fn widen_lead(lead: &mut Lead, line: &[u8], tracked: usize) -> usize {
    let mut at = 0;
    let mut tabs = 0;
    for range in lead.iter_mut().take(tracked) {
        let field = &line[at..];
        let (value, used) = leading_int(field);
        let end = match (value, field.get(used)) {
            (Some(v), Some(b'\t') | None) => {
                range.add_int(v);
                at + used
            }
            _ => {
                let len = memchr::memchr(b'\t', field).unwrap_or(field.len());
                if &field[..len] != b"\\N" {
                    *range = FieldRange::ANY;
                }
                at + len
            }
        };
        if end >= line.len() {
            return tabs;
        }
        tabs += 1;
        at = end + 1;
    }
    tabs + memchr::memchr_iter(b'\t', &line[at..]).count()
}

/// The canonical integer (see [`crate::row::canonical_int`]) `text` starts with, and how many
/// bytes it takes; `(None, _)` when there is none.
#[inline]
fn leading_int(text: &[u8]) -> (Option<i64>, usize) {
    let negative = text.first() == Some(&b'-');
    let digits = &text[usize::from(negative)..];
    // One pass: at most 18 digits (always within i64), no leading zero, no `-0`.
    let mut value: i64 = 0;
    let mut n = 0;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        if n == 18 {
            return (None, 0);
        }
        value = value * 10 + i64::from(d);
        n += 1;
    }
    if n == 0 || (digits[0] == b'0' && (n > 1 || negative)) {
        return (None, 0);
    }
    (
        Some(if negative { -value } else { value }),
        n + usize::from(negative),
    )
}

/// Where a helper thread takes over a window of COPY lines to read its `share` of it: `(from,
/// to)`, the start of the first line after the split point and the end of the last complete
/// line; `None` when there is no such line.
fn second_half(window: &[u8], share: Share) -> Option<(usize, usize)> {
    let middle = share.split_point(window.len());
    let from = middle + memchr::memchr(b'\n', &window[middle..])? + 1;
    let to = memchr::memrchr(b'\n', window)? + 1;
    (from < to).then_some((from, to))
}

/// What a helper thread found in the COPY lines it read for the reading thread.
struct Screened {
    /// The ranges of the lines' leading fields, by stretch: (offset of its first line, ranges).
    stretches: Vec<(u64, Lead)>,
    /// The lines the sink's screen kept, `(start, end, tabs)` in the window.
    kept: Vec<(usize, usize, usize)>,
    /// Where the helper stopped: the end of its lines, or the start of the first line it left to
    /// the reading thread (`\.`, or a line with the wrong number of fields, for the reading
    /// thread to report).
    stop: usize,
    /// It stopped before the end of its lines.
    stopped_early: bool,
}

/// A helper thread's share of a COPY window: the lines of `window[from..to]`.
struct CopyJob {
    window: SharedBytes,
    from: usize,
    to: usize,
    /// The window's offset in the dump.
    base: u64,
    table: Arc<Table>,
    columns: Arc<[usize]>,
    /// The sink's screen (`None`: the sink wants none of the rows).
    screen: Option<Arc<dyn RowScreen>>,
    tracked: usize,
}

impl CopyJob {
    fn run(self) -> Screened {
        let mut rows = CopyRows::new(&self.table, &self.columns);
        screen_copy_lines(
            &self.window,
            self.from,
            self.to,
            self.base,
            &mut rows,
            self.screen.as_deref(),
            self.tracked,
        )
    }
}

/// What the first read does with every line of `window[from..to]` (whole lines), except that
/// rows go to `screen` (no screen: the sink wants none) instead of the sink.
fn screen_copy_lines(
    window: &[u8],
    from: usize,
    to: usize,
    base: u64,
    rows: &mut CopyRows<'_>,
    screen: Option<&dyn RowScreen>,
    tracked: usize,
) -> Screened {
    let spacing = crate::tuning::resume_spacing();
    let fields = rows.columns.len();
    let mut out = Screened {
        stretches: Vec::new(),
        kept: Vec::new(),
        stop: to,
        stopped_early: false,
    };
    let part = &window[from..to];
    let _ = copy::for_each_line::<()>(part, |start, end| {
        let line = &part[start..end];
        if is_copy_end(line) {
            out.stop = from + start;
            out.stopped_early = true;
            return Ok(false);
        }
        let offset = base + (from + start) as u64;
        if !matches!(out.stretches.last(), Some(&(at, _)) if offset < at + spacing) {
            out.stretches.push((offset, lead_empty(tracked)));
        }
        let tabs = out
            .stretches
            .last_mut()
            .map(|(_, lead)| widen_lead(lead, line, tracked));
        // A line with the wrong number of fields is left to the reading thread, to report (the
        // stretch's ranges are then of no use: the read fails).
        let Some(tabs) = tabs.filter(|t| t + 1 == fields) else {
            out.stop = from + start;
            out.stopped_early = true;
            return Ok(false);
        };
        if let Some(screen) = screen {
            rows.spans.clear();
            let mut row = CopyRow {
                line,
                rows: &mut *rows,
                offset,
                complete: false,
                fields: Some(fields),
            };
            if screen.keeps(&mut row) {
                out.kept.push((from + start, from + end, tabs));
            }
        }
        Ok(true)
    });
    out
}

fn is_copy_end(line: &[u8]) -> bool {
    line == b"\\." || line == b"\\.\r"
}

impl Scan<'_> {
    fn comment(&mut self, line: &[u8]) {
        let text = String::from_utf8_lossy(line);
        let text = text.trim_start_matches('-').trim();
        if let Some(v) = text.strip_prefix("Dumped by pg_dump version ") {
            self.info.tool = Some(format!("pg_dump {v}"));
        } else if let Some(v) = text.strip_prefix("Dumped by pg_dumpall version ") {
            self.info.tool = Some(format!("pg_dumpall {v}"));
        } else if let Some(v) = text.strip_prefix("Dumped from database version ") {
            self.info.server_version = Some(v.to_string());
        } else if text == "PostgreSQL database dump complete"
            || text == "PostgreSQL database cluster dump complete"
        {
            self.info.complete = true;
        } else if text == "PostgreSQL database dump" {
            // pg_dumpall: each database's dump must complete on its own.
            self.info.complete = false;
        }
    }

    fn meta_command(&mut self, line: &[u8]) {
        let Some(name) = connect_target(&String::from_utf8_lossy(line)) else {
            return;
        };
        if !self.databases.contains(&name) {
            self.databases.push(name.clone());
        }
        self.database = Some(name);
        self.standard_strings = true;
    }

    fn ddl_error(&self, start: u64, stmt: &[u8], what: String) -> Error {
        Error::Ddl {
            input: String::new(),
            pos: crate::error::Position::at(start),
            head: excerpt(stmt, 60),
            what,
        }
    }

    fn table(&self, name: &TableName) -> Option<TableId> {
        self.builder.table_id(name)
    }

    fn statement(&mut self, stmt: &[u8], start: u64, _sink: &mut dyn RowSink) -> Result<()> {
        let Some(tokens) = lexer::tokenize(stmt, self.standard_strings) else {
            return Err(self.ddl_error(start, stmt, "not valid SQL text".into()));
        };
        let kw = |i: usize, k: &str| tokens.get(i).is_some_and(|t| t.is_kw(k));
        let db = self.database.clone();
        let db = db.as_deref();
        if kw(0, "set") {
            self.set(&tokens, start);
        } else if kw(0, "create")
            && (kw(1, "table") || (kw(1, "unlogged") && kw(2, "table")))
            && !tokens.iter().any(|t| t.is_kw("of"))
        {
            let sql = String::from_utf8_lossy(stmt);
            let created =
                ddl::create_table(&sql, db).map_err(|e| self.ddl_error(start, stmt, e))?;
            check_redeclaration(&self.builder, &self.segments, &created.table.name, start)?;
            for (seq, col) in created.sequence_defaults {
                self.builder
                    .set_sequence_owner(seq, created.table.name.clone(), col);
            }
            for fk in created.foreign_keys {
                self.builder.add_foreign_key(fk);
            }
            self.builder.add_table(created.table);
        } else if kw(0, "alter") && kw(1, "table") {
            self.alter_table(stmt, &tokens, start, db)?;
        } else if kw(0, "create") && kw(1, "sequence") {
            self.create_sequence(&tokens, db);
        } else if kw(0, "alter") && kw(1, "sequence") {
            // ALTER SEQUENCE s OWNED BY t.c
            if let Some((seq, i)) = ddl::name_at(&tokens, 2, db) {
                if kw(i, "owned") && kw(i + 1, "by") {
                    if let Some((owner, column)) = column_ref(&tokens, i + 2, db) {
                        self.builder.set_sequence_owner(seq, owner, column);
                    }
                }
            }
        } else if kw(0, "select") && stmt_calls_setval(&tokens) {
            self.setval(&tokens, db);
        } else if kw(0, "create") && kw(1, "unique") && kw(2, "index") {
            self.unique_index(&tokens, db);
        } else if kw(0, "create") && (kw(1, "trigger") || (kw(1, "constraint") && kw(2, "trigger")))
        {
            self.trigger(&tokens, db);
        } else {
            self.info.skipped_statements += 1;
        }
        Ok(())
    }

    fn set(&mut self, tokens: &[Token], start: u64) {
        let Some(var) = tokens.get(1).and_then(Token::word) else {
            return;
        };
        let value = tokens.iter().skip(2).find_map(|t| match t {
            Token::Str(s) => Some(String::from_utf8_lossy(s).into_owned()),
            Token::Word { text, .. } if text != "to" => Some(text.clone()),
            _ => None,
        });
        match (var, value) {
            ("client_encoding", Some(v)) => self.info.encoding = Some(v),
            ("standard_conforming_strings", Some(v)) => {
                let on = !matches!(v.to_lowercase().as_str(), "off" | "false" | "0");
                if on != self.standard_strings {
                    self.standard_strings = on;
                    self.string_modes.push((start, on));
                }
            }
            _ => {}
        }
    }

    fn alter_table(
        &mut self,
        stmt: &[u8],
        tokens: &[Token],
        start: u64,
        db: Option<&str>,
    ) -> Result<()> {
        let mut i = 2;
        while tokens
            .get(i)
            .is_some_and(|t| t.is_kw("only") || t.is_kw("if") || t.is_kw("exists"))
        {
            i += 1;
        }
        let Some((table, i)) = ddl::name_at(tokens, i, db) else {
            self.info.skipped_statements += 1;
            return Ok(());
        };
        let kw = |j: usize, k: &str| tokens.get(j).is_some_and(|t| t.is_kw(k));
        if kw(i, "add")
            && (kw(i + 1, "constraint")
                || kw(i + 1, "primary")
                || kw(i + 1, "unique")
                || kw(i + 1, "foreign"))
        {
            let sql = String::from_utf8_lossy(stmt);
            let added =
                ddl::add_constraint(&sql, db).map_err(|e| self.ddl_error(start, stmt, e))?;
            for c in added {
                self.constraint(c, start, stmt)?;
            }
        } else if kw(i, "attach") && kw(i + 1, "partition") {
            if let Some((leaf, _)) = ddl::name_at(tokens, i + 2, db) {
                self.builder.add_partition(table, leaf);
            }
        } else if kw(i, "alter") && kw(i + 1, "column") {
            let Some(column) = tokens.get(i + 2).and_then(Token::word).map(str::to_string) else {
                return Ok(());
            };
            let j = i + 3;
            if kw(j, "set") && kw(j + 1, "default") {
                if let Some(seq) = nextval_in(tokens, j + 2, db) {
                    self.builder.set_sequence_owner(seq, table, column);
                }
            } else if kw(j, "add") && kw(j + 1, "generated") {
                self.identity(tokens, j + 2, table, column, db);
            }
        } else {
            self.info.skipped_statements += 1;
        }
        Ok(())
    }

    fn constraint(&mut self, c: AddedConstraint, start: u64, stmt: &[u8]) -> Result<()> {
        let lookup = |s: &Self, name: &TableName| {
            s.table(name).ok_or_else(|| {
                s.ddl_error(
                    start,
                    stmt,
                    format!("constraint on table {name}, which the dump does not declare"),
                )
            })
        };
        match c {
            AddedConstraint::PrimaryKey(t, cols) => {
                let id = lookup(self, &t)?;
                ddl::set_primary_key(self.builder.table_mut(id), &cols)
                    .map_err(|e| self.ddl_error(start, stmt, e))?;
            }
            AddedConstraint::Unique(t, name, cols) => {
                let id = lookup(self, &t)?;
                ddl::add_unique(self.builder.table_mut(id), &name, &cols)
                    .map_err(|e| self.ddl_error(start, stmt, e))?;
            }
            AddedConstraint::ForeignKey(fk) => self.builder.add_foreign_key(fk),
            AddedConstraint::Other => {}
        }
        Ok(())
    }

    /// `… ADD GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY (SEQUENCE NAME s … INCREMENT BY n …)`
    fn identity(
        &mut self,
        tokens: &[Token],
        mut i: usize,
        table: TableName,
        column: String,
        db: Option<&str>,
    ) {
        let always = tokens.get(i).is_some_and(|t| t.is_kw("always"));
        if let Some(id) = self.table(&table) {
            if let Some(c) = self.builder.table(id).column_index(&column) {
                let col = &mut self.builder.table_mut(id).columns[c];
                col.identity = Some(always);
                col.not_null = true;
            }
        }
        let mut seq = None;
        let mut increment = None;
        while i < tokens.len() {
            if tokens[i].is_kw("sequence") && tokens.get(i + 1).is_some_and(|t| t.is_kw("name")) {
                if let Some((name, j)) = ddl::name_at(tokens, i + 2, db) {
                    seq = Some(name);
                    i = j;
                    continue;
                }
            }
            if tokens[i].is_kw("increment") {
                increment = signed_number(
                    tokens,
                    i + 1 + usize::from(tokens.get(i + 1).is_some_and(|t| t.is_kw("by"))),
                );
            }
            i += 1;
        }
        if let Some(seq) = seq {
            if let Some(inc) = increment {
                self.builder.sequence_mut(&seq).increment = inc;
            }
            self.builder.set_sequence_owner(seq, table, column);
        }
    }

    fn create_sequence(&mut self, tokens: &[Token], db: Option<&str>) {
        let mut i = 2;
        while tokens
            .get(i)
            .is_some_and(|t| t.is_kw("if") || t.is_kw("not") || t.is_kw("exists"))
        {
            i += 1;
        }
        let Some((name, mut i)) = ddl::name_at(tokens, i, db) else {
            return;
        };
        let mut increment = 1;
        while i < tokens.len() {
            if tokens[i].is_kw("increment") {
                let at = i + 1 + usize::from(tokens.get(i + 1).is_some_and(|t| t.is_kw("by")));
                if let Some(n) = signed_number(tokens, at) {
                    increment = n;
                }
            }
            i += 1;
        }
        self.builder.sequence_mut(&name).increment = increment;
    }

    /// `SELECT pg_catalog.setval('name', 42, true);`
    fn setval(&mut self, tokens: &[Token], db: Option<&str>) {
        let Some(open) = tokens.iter().position(|t| t == &Token::Punct(b'(')) else {
            return;
        };
        let (Some(Token::Str(name)), Some(value)) =
            (tokens.get(open + 1), signed_number(tokens, open + 3))
        else {
            return;
        };
        let called = !tokens.get(open + 5).is_some_and(|t| t.is_kw("false"));
        if let Some(seq) = ddl::parse_regclass(&String::from_utf8_lossy(name), db) {
            self.builder.sequence_mut(&seq).dump_value = Some((value, called));
        }
    }

    /// `CREATE UNIQUE INDEX name ON [ONLY] t USING btree (a, b)` without predicate.
    fn unique_index(&mut self, tokens: &[Token], db: Option<&str>) {
        if tokens.iter().any(|t| t.is_kw("where")) {
            return;
        }
        let Some(on) = tokens.iter().position(|t| t.is_kw("on")) else {
            return;
        };
        let name = tokens
            .get(3)
            .and_then(Token::word)
            .unwrap_or("")
            .to_string();
        let mut i = on + 1;
        if tokens.get(i).is_some_and(|t| t.is_kw("only")) {
            i += 1;
        }
        let Some((table, mut i)) = ddl::name_at(tokens, i, db) else {
            return;
        };
        if tokens.get(i).is_some_and(|t| t.is_kw("using")) {
            i += 2;
        }
        let Some((cols, _)) = ddl::name_list(tokens, i) else {
            return;
        };
        if let Some(id) = self.table(&table) {
            let _ = ddl::add_unique(self.builder.table_mut(id), &name, &cols);
        }
    }

    fn trigger(&mut self, tokens: &[Token], db: Option<&str>) {
        let name_at = if tokens.get(1).is_some_and(|t| t.is_kw("constraint")) {
            3
        } else {
            2
        };
        let name = tokens
            .get(name_at)
            .and_then(Token::word)
            .unwrap_or("")
            .to_string();
        let Some(on) = tokens.iter().position(|t| t.is_kw("on")) else {
            return;
        };
        if let Some((table, _)) = ddl::name_at(tokens, on + 1, db) {
            if let Some(id) = self.table(&table) {
                self.builder.table_mut(id).triggers.push(name);
            }
        }
    }

    /// Where a table's rows are: the named table must be declared before its data.
    fn data_table(&self, name: &TableName, start: u64) -> Result<TableId> {
        self.table(name).ok_or_else(|| {
            Error::syntax(
                start,
                format!("rows for table {name}, which the dump does not declare before them"),
            )
        })
    }

    fn column_map(
        &self,
        table: TableId,
        columns: Option<&[String]>,
        start: u64,
    ) -> Result<Vec<usize>> {
        let t = self.builder.table(table);
        match columns {
            None => Ok((0..t.columns.len()).collect()),
            Some(cols) => cols
                .iter()
                .map(|c| {
                    t.column_index(c).ok_or_else(|| {
                        Error::syntax(
                            start,
                            format!("rows for column {c}, which table {} does not have", t.name),
                        )
                    })
                })
                .collect(),
        }
    }

    fn copy(
        &mut self,
        stmt: &[u8],
        start: u64,
        input: &mut Stream<'_>,
        sink: &mut dyn RowSink,
    ) -> Result<()> {
        let tokens = lexer::tokenize(stmt, self.standard_strings)
            .ok_or_else(|| Error::syntax(start, "cannot read this COPY statement"))?;
        let db = self.database.clone();
        let (name, i) = ddl::name_at(&tokens, 1, db.as_deref())
            .ok_or_else(|| Error::syntax(start, "cannot read the table of this COPY statement"))?;
        let columns = ddl::name_list(&tokens, i).map(|(c, _)| c);
        let from_stdin = tokens.iter().any(|t| t.is_kw("stdin"));
        if !from_stdin {
            return Err(Error::syntax(
                start,
                "only `COPY … FROM stdin` blocks can be read",
            ));
        }
        let table = self.data_table(&name, start)?;
        let columns = self.column_map(table, columns.as_deref(), start)?;
        let data_start = input.offset();
        let wants = sink.wants(self.builder.tables(), table);
        let mut rows = CopyRows::new(self.builder.table(table), &columns);
        let tracked = tracked_fields(self.builder.table(table), &columns);
        let mut segment = Segment::new(
            table,
            data_start,
            SegmentFormat::CopyText,
            columns.clone(),
            tracked,
        );
        // A helper thread may read the last part of each big window meanwhile (when the sink
        // says which rows it can do without). Its jobs own what they read.
        let screen: Option<Arc<dyn RowScreen>> = if wants {
            sink.screen(self.builder.tables(), table).map(Arc::from)
        } else {
            None
        };
        let split = self.split.filter(|_| !wants || screen.is_some());
        let mut helper: LazyHelper<Screened> = LazyHelper::default();
        let job_table = split.map(|_| {
            (
                Arc::new(self.builder.table(table).clone()),
                Arc::<[usize]>::from(columns.as_slice()),
            )
        });
        let mut share = Share::default();
        // Whole windows at a time (one newline search per window).
        loop {
            let base = input.offset();
            let shared = input.shared_window();
            let window: &[u8] = &shared;
            let tables = self.builder.tables();
            let mut ended = None;
            let mut helper_part = split
                .filter(|&least| window.len() >= least)
                .and_then(|_| second_half(window, share));
            if let (Some((from, to)), Some((table_arc, columns_arc))) = (helper_part, &job_table) {
                let job = CopyJob {
                    window: shared.clone(),
                    from,
                    to,
                    base,
                    table: Arc::clone(table_arc),
                    columns: Arc::clone(columns_arc),
                    screen: screen.clone(),
                    tracked,
                };
                if !helper.get().is_some_and(|h| h.give(move || job.run())) {
                    helper_part = None;
                }
            }
            let mine = helper_part.map_or(window, |(from, _)| &window[..from]);
            let used = copy::for_each_line(mine, |start, end| {
                let line = &window[start..end];
                let offset = base + start as u64;
                if is_copy_end(line) {
                    ended = Some(offset);
                    return Ok(false);
                }
                let tabs = widen_lead(segment.stretch_at(offset), line, tracked);
                rows.row(
                    tables,
                    table,
                    line,
                    offset,
                    CopyRead::First { wants, tabs },
                    sink,
                )?;
                Ok(true)
            });
            let screened = match (helper_part, helper.get()) {
                (Some(_), Some(h)) => {
                    share.adjust(h.is_done());
                    let screened = h.take();
                    if screened.is_none() {
                        // The helper is gone (a bug in a job): this thread reads on alone.
                        helper.give_up();
                    }
                    screened
                }
                _ => None,
            };
            let used = used?;
            // The helper's lines follow the thread's own (unless those ended the block).
            match (screened, ended) {
                (Some(screened), None) => {
                    for (at, lead) in screened.stretches {
                        segment.widen_stretch(at, lead);
                    }
                    for (start, end, tabs) in screened.kept {
                        rows.row(
                            tables,
                            table,
                            &window[start..end],
                            base + start as u64,
                            CopyRead::First { wants, tabs },
                            sink,
                        )?;
                    }
                    input.consume(screened.stop);
                    if screened.stopped_early {
                        // The line it left is the first of the window now, for this thread.
                        continue;
                    }
                }
                // Without the helper's lines, the next window starts where this thread stopped.
                (None, None) if helper_part.is_some() => {
                    input.consume(used);
                    continue;
                }
                _ => input.consume(used),
            }
            // No share of the buffer may outlive this window: a refill would have to copy it.
            drop(shared);
            if let Some(end) = ended {
                segment.end = end;
                self.segments.push(segment);
                return Ok(());
            }
            if !input.fill()? {
                return Err(Error::syntax(
                    data_start,
                    format!("the dump ends inside the COPY data of table {name} (no `\\.` line)"),
                ));
            }
        }
    }

    fn insert(&mut self, stmt: &[u8], start: u64, end: u64, sink: &mut dyn RowSink) -> Result<()> {
        let header = insert::parse_header(stmt)
            .ok_or_else(|| Error::syntax(start, "cannot read this INSERT statement's header"))?;
        let db = self.database.clone();
        let name = match header.name.as_slice() {
            [s, n] => TableName {
                database: db,
                schema: Some(s.clone()),
                name: n.clone(),
            },
            [n] => TableName {
                database: db,
                schema: None,
                name: n.clone(),
            },
            _ => return Err(Error::syntax(start, "unexpected table name in INSERT")),
        };
        let table = self.data_table(&name, start)?;
        let columns = self.column_map(table, header.columns.as_deref(), start)?;
        match self.open_insert.map(|i| &mut self.segments[i]) {
            // The first fields of INSERT rows are not tracked: every stretch may hold any key.
            Some(seg) if seg.table == table && seg.columns == columns => {
                seg.extend(start, end, LEAD_ANY)
            }
            _ => {
                let mut seg = Segment::new(table, start, SegmentFormat::Insert, columns.clone(), 0);
                seg.extend(start, end, LEAD_ANY);
                self.segments.push(seg);
                self.open_insert = Some(self.segments.len() - 1);
            }
        }
        let mut fields = Vec::new();
        insert_rows(
            self.builder.tables(),
            table,
            &columns,
            stmt,
            start,
            header.values_at,
            self.standard_strings,
            &mut fields,
            sink,
        )
    }
}

/// The database a `\connect` line switches to, read as psql reads its argument: options first
/// (`-reuse-previous=on`), then a word or a `"…"` argument (`""` is a quote); a `dbname=`
/// connection string's value may be `'…'`-quoted with backslash escapes (what pg_dumpall
/// writes for names that need quoting).
fn connect_target(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("\\connect")
        .or_else(|| line.strip_prefix("\\c"))?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let mut chars = rest.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut arg = String::new();
        let quoted = chars.next_if_eq(&'"').is_some();
        while let Some(c) = chars.next() {
            if quoted && c == '"' {
                if chars.next_if_eq(&'"').is_some() {
                    arg.push('"');
                    continue;
                }
                break;
            }
            if !quoted && c.is_whitespace() {
                break;
            }
            arg.push(c);
        }
        if arg.is_empty() && !quoted {
            return None;
        }
        if !quoted && arg.starts_with('-') {
            continue;
        }
        let Some(value) = arg.strip_prefix("dbname=") else {
            return Some(arg);
        };
        let Some(inner) = value.strip_prefix('\'') else {
            return Some(value.to_string());
        };
        let mut out = String::new();
        let mut it = inner.chars();
        while let Some(c) = it.next() {
            match c {
                '\\' => out.extend(it.next()),
                '\'' => break,
                c => out.push(c),
            }
        }
        return Some(out);
    }
}

fn stmt_calls_setval(tokens: &[Token]) -> bool {
    tokens.iter().take(5).any(|t| t.word() == Some("setval"))
}

fn signed_number(tokens: &[Token], i: usize) -> Option<i64> {
    match (tokens.get(i)?, tokens.get(i + 1)) {
        (Token::Punct(b'-'), Some(Token::Number(n))) => n.parse::<i64>().ok().map(|v| -v),
        (Token::Number(n), _) => n.parse().ok(),
        _ => None,
    }
}

/// `t.c` or `s.t.c` → (table, column).
fn column_ref(tokens: &[Token], i: usize, db: Option<&str>) -> Option<(TableName, String)> {
    let mut parts = Vec::new();
    let mut j = i;
    loop {
        parts.push(tokens.get(j)?.word()?.to_string());
        if tokens.get(j + 1) == Some(&Token::Punct(b'.')) {
            j += 2;
        } else {
            break;
        }
    }
    let column = parts.pop()?;
    let name = parts.pop()?;
    Some((
        TableName {
            database: db.map(str::to_string),
            schema: parts.pop(),
            name,
        },
        column,
    ))
}

fn nextval_in(tokens: &[Token], from: usize, db: Option<&str>) -> Option<TableName> {
    let at = tokens[from.min(tokens.len())..]
        .iter()
        .position(|t| t.word() == Some("nextval"))?
        + from;
    match tokens.get(at + 2)? {
        Token::Str(s) => ddl::parse_regclass(&String::from_utf8_lossy(s), db),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn insert_rows(
    tables: &[Table],
    table: TableId,
    columns: &[usize],
    stmt: &[u8],
    start: u64,
    values_at: usize,
    standard_strings: bool,
    fields: &mut Vec<insert::Field>,
    sink: &mut dyn RowSink,
) -> Result<()> {
    let wants = sink.wants(tables, table);
    let t = &tables[table];
    let mut inverse = vec![usize::MAX; t.columns.len()];
    for (field, &col) in columns.iter().enumerate() {
        inverse[col] = field;
    }
    let mut at = values_at;
    let mut scratch = Vec::new();
    let mut bytes = Vec::new();
    loop {
        let tuple_start = at;
        match insert::next_tuple(stmt, at, standard_strings, fields) {
            Ok(None) => return Ok(()),
            Ok(Some(next)) => {
                let offset = start + tuple_start as u64;
                if fields.len() != columns.len() {
                    return Err(Error::data(
                        offset,
                        format!(
                            "a row of table {} has {} values for {} columns",
                            t.name,
                            fields.len(),
                            columns.len()
                        ),
                    ));
                }
                if wants {
                    let mut row = InsertRow {
                        stmt,
                        fields,
                        inverse: &inverse,
                        table: t,
                        offset,
                        scratch: &mut scratch,
                        bytes: &mut bytes,
                    };
                    sink.row(tables, table, &mut row)?;
                }
                at = next;
            }
            Err((i, what)) => return Err(Error::syntax(start + i as u64, what)),
        }
    }
}

/// Decodes a bytea text form into raw bytes (cells of binary columns are raw bytes).
fn bytea<'b>(
    text: &[u8],
    out: &'b mut Vec<u8>,
    table: &Table,
    col: usize,
    offset: u64,
) -> Result<&'b [u8]> {
    copy::decode_bytea(text, out).map_err(|what| {
        Error::data(
            offset,
            format!(
                "table {}, column {}: {what}",
                table.name, table.columns[col].name
            ),
        )
    })?;
    Ok(out)
}

/// A row of an INSERT statement.
struct InsertRow<'a> {
    stmt: &'a [u8],
    fields: &'a [insert::Field],
    inverse: &'a [usize],
    table: &'a Table,
    offset: u64,
    scratch: &'a mut Vec<u8>,
    bytes: &'a mut Vec<u8>,
}

impl RowAccess for InsertRow<'_> {
    fn offset(&self) -> u64 {
        self.offset
    }

    fn cell(&mut self, col: usize) -> Result<CellRef<'_>> {
        let Some(f) = self.inverse.get(col).and_then(|&i| self.fields.get(i)) else {
            return Ok(CellRef::Absent);
        };
        match f.kind {
            insert::FieldKind::Null => return Ok(CellRef::Null),
            insert::FieldKind::Default => return Ok(CellRef::Absent),
            _ => {}
        }
        let text = insert::field_text(self.stmt, f, self.scratch).unwrap_or(b"");
        if self.table.columns[col].class == TypeClass::Binary {
            let text = text.to_vec();
            return Ok(CellRef::Value(bytea(
                &text,
                self.bytes,
                self.table,
                col,
                self.offset,
            )?));
        }
        Ok(CellRef::Value(text))
    }
}

/// Which read of a COPY line this is.
#[derive(Clone, Copy)]
enum CopyRead {
    /// The first read: validate (the line holds `tabs` tabs); decode only if the sink wants
    /// the table.
    First { wants: bool, tabs: usize },
    /// A re-read of a validated segment.
    Again,
}

/// Decodes COPY lines of one block.
struct CopyRows<'t> {
    table: &'t Table,
    columns: &'t [usize],
    inverse: Vec<usize>,
    spans: Vec<(usize, usize)>,
    scratch: Vec<u8>,
    bytes: Vec<u8>,
}

impl<'t> CopyRows<'t> {
    fn new(table: &'t Table, columns: &'t [usize]) -> CopyRows<'t> {
        let mut inverse = vec![usize::MAX; table.columns.len()];
        for (field, &col) in columns.iter().enumerate() {
            inverse[col] = field;
        }
        CopyRows {
            table,
            columns,
            inverse,
            spans: Vec::with_capacity(columns.len()),
            scratch: Vec::new(),
            bytes: Vec::new(),
        }
    }

    /// One line. The first read checks the field count; re-reads of a validated segment need
    /// not, and then split only as far as the cells asked for.
    fn row(
        &mut self,
        tables: &[Table],
        table: TableId,
        line: &[u8],
        offset: u64,
        read: CopyRead,
        sink: &mut dyn RowSink,
    ) -> Result<()> {
        let (wants, validate) = match read {
            CopyRead::First { wants, .. } => (wants, true),
            CopyRead::Again => (true, false),
        };
        self.spans.clear();
        // The first read checks the field count by counting tabs (a vectorised count, cheaper
        // than splitting); cells are then split only as far as asked, from whichever end is
        // nearer.
        let mut fields = None;
        if validate {
            let n = match read {
                CopyRead::First { tabs, .. } => tabs + 1,
                CopyRead::Again => memchr::memchr_iter(b'\t', line).count() + 1,
            };
            if n != self.columns.len() {
                return Err(Error::data(
                    offset,
                    format!(
                        "a COPY row of table {} has {n} fields for {} columns: `{}`",
                        self.table.name,
                        self.columns.len(),
                        excerpt(line, 60)
                    ),
                ));
            }
            fields = Some(n);
        }
        if wants {
            let mut row = CopyRow {
                line,
                rows: self,
                offset,
                complete: false,
                fields,
            };
            sink.row(tables, table, &mut row)?;
        }
        Ok(())
    }
}

struct CopyRow<'a, 't> {
    line: &'a [u8],
    rows: &'a mut CopyRows<'t>,
    offset: u64,
    /// Every field's span is known.
    complete: bool,
    /// The number of fields, when the line was checked.
    fields: Option<usize>,
}

impl CopyRow<'_, '_> {
    /// The span of field `i`, splitting the line only as far as needed.
    fn span(&mut self, i: usize) -> Option<(usize, usize)> {
        if let Some(&span) = self.rows.spans.get(i) {
            return Some(span);
        }
        // A field nearer the end (often the created column) is found from there, uncached.
        if let Some(n) = self.fields {
            let after = n.checked_sub(i + 1)?;
            if after < i - self.rows.spans.len() {
                let mut end = self.line.len();
                for _ in 0..after {
                    end = memchr::memrchr(b'\t', &self.line[..end])?;
                }
                let start = memchr::memrchr(b'\t', &self.line[..end]).map_or(0, |p| p + 1);
                return Some((start, end));
            }
        }
        let spans = &mut self.rows.spans;
        while spans.len() <= i && !self.complete {
            let start = spans.last().map_or(0, |&(_, e)| e + 1);
            match memchr::memchr(b'\t', &self.line[start..]) {
                Some(p) => spans.push((start, start + p)),
                None => {
                    spans.push((start, self.line.len()));
                    self.complete = true;
                }
            }
        }
        spans.get(i).copied()
    }
}

impl RowAccess for CopyRow<'_, '_> {
    fn offset(&self) -> u64 {
        self.offset
    }

    fn cell(&mut self, col: usize) -> Result<CellRef<'_>> {
        let Some(field) = self
            .rows
            .inverse
            .get(col)
            .copied()
            .filter(|&f| f != usize::MAX)
        else {
            return Ok(CellRef::Absent);
        };
        let Some((s, e)) = self.span(field) else {
            return Err(Error::data(
                self.offset,
                format!(
                    "a COPY row of table {} has too few fields",
                    self.rows.table.name
                ),
            ));
        };
        let rows = &mut *self.rows;
        let raw = &self.line[s..e];
        if copy::is_null(raw) {
            return Ok(CellRef::Null);
        }
        let binary = rows.table.columns[col].class == TypeClass::Binary;
        let escaped = memchr::memchr(b'\\', raw).is_some();
        let (table, offset) = (rows.table, self.offset);
        let bad = |what: &str| {
            Error::data(
                offset,
                format!(
                    "table {}, column {}: {what}",
                    table.name, table.columns[col].name
                ),
            )
        };
        if escaped {
            copy::decode_field(raw, &mut rows.scratch).map_err(bad)?;
        }
        if binary {
            let text: &[u8] = if escaped { &rows.scratch } else { raw };
            copy::decode_bytea(text, &mut rows.bytes).map_err(bad)?;
            return Ok(CellRef::Value(&rows.bytes));
        }
        Ok(CellRef::Value(if escaped { &rows.scratch } else { raw }))
    }
}

/// Reads a COPY segment's lines last-first, in chunks from the end.
fn copy_lines_backwards(
    file: &mut dyn crate::dialect::SeekRead,
    segment: &Segment,
    first_chunk: u64,
    mut each: impl FnMut(&[u8], u64) -> Result<()>,
) -> Result<()> {
    use std::io::SeekFrom;
    let first_chunk = first_chunk.max(1);
    let io = |e: std::io::Error| Error::io("re-reading the dump", e);
    // `buf` holds the bytes [buf_start, segment.end - consumed) not yet handed out. Both
    // buffers live for the whole read (a fresh one per chunk made the allocator keep freed
    // chunks around: peak memory grew with the table read).
    let mut buf: Vec<u8> = Vec::new();
    let mut fresh: Vec<u8> = Vec::new();
    let mut buf_start = segment.end;
    let mut chunk = first_chunk;
    while buf_start > segment.start {
        let from = buf_start.saturating_sub(chunk).max(segment.start);
        let len = (buf_start - from) as usize;
        fresh.clear();
        fresh.resize(len, 0);
        file.seek(SeekFrom::Start(from)).map_err(io)?;
        file.read_exact(&mut fresh).map_err(io)?;
        fresh.extend_from_slice(&buf);
        std::mem::swap(&mut buf, &mut fresh);
        buf_start = from;
        // Hand out every complete line after the first newline (or all, at the start).
        let at_start = buf_start == segment.start;
        let stop = memchr::memchr(b'\n', &buf);
        if !at_start && stop.is_none() {
            // Not one whole line yet: read a bigger chunk before it.
            chunk = chunk.saturating_mul(2);
            continue;
        }
        let stop = if at_start { None } else { stop };
        let mut end = buf.len();
        loop {
            let line_end = end.checked_sub(1).filter(|&e| buf.get(e) == Some(&b'\n'));
            let Some(line_end) = line_end else { break };
            let line_start = memchr::memrchr(b'\n', &buf[..line_end]).map_or(0, |p| p + 1);
            if let Some(first_nl) = stop {
                if line_start <= first_nl {
                    break;
                }
            }
            each(&buf[line_start..line_end], buf_start + line_start as u64)?;
            end = line_start;
            if end == 0 {
                break;
            }
        }
        buf.truncate(end);
        chunk = first_chunk;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::testutil::{
        every_path, scan_with, shared_fails_the_same, shared_reads_the_same,
    };

    fn make() -> Box<dyn DumpReader> {
        Box::new(PostgresReader::new())
    }

    const COPY_SAMPLE: &[u8] = include_bytes!("../../../testdata/pg/samples/pg15_plain_copy.sql");
    const INSERT_SAMPLE: &[u8] =
        include_bytes!("../../../testdata/pg/samples/pg15_column_inserts_rpi3_onconflict.sql");

    #[test]
    fn copy_sample_reads_the_same_every_way() {
        let rows = every_path(&make, COPY_SAMPLE);
        assert!(
            rows.iter()
                .any(|r| r.starts_with("app.customers@")
                    && r.contains("\"back\\\\slash\\\\\\\\two\"")),
            "{rows:#?}"
        );
        // The partitioned table's rows live in its leaves.
        assert_eq!(
            rows.iter()
                .filter(|r| r.starts_with("public.measurements_20"))
                .count(),
            2,
            "{rows:#?}"
        );
    }

    #[test]
    fn insert_sample_reads_the_same_every_way() {
        let rows = every_path(&make, INSERT_SAMPLE);
        assert!(
            rows.iter()
                .any(|r| r.contains("\"anon; -- not a comment\"")),
            "{rows:#?}"
        );
    }

    #[test]
    fn copy_and_insert_dumps_give_the_same_cells() {
        let (_, _, copy) = scan_with(&make, COPY_SAMPLE, None, false).unwrap();
        let (_, _, ins) = scan_with(&make, INSERT_SAMPLE, None, false).unwrap();
        let strip = |rows: Vec<String>, table: &str| -> Vec<String> {
            rows.into_iter()
                .filter(|r| r.starts_with(table))
                .map(|r| r.split_once(':').unwrap().1.to_string())
                .collect()
        };
        for table in ["app.customers@", "app.orders@", "public.bin@"] {
            let c = strip(copy.clone(), table);
            assert!(!c.is_empty(), "{table}");
            assert_eq!(c, strip(ins.clone(), table), "{table}");
        }
    }

    #[test]
    fn schema_of_the_copy_sample() {
        let (_, scan, _) = scan_with(&make, COPY_SAMPLE, None, false).unwrap();
        let s = &scan.schema;
        let orders = s.table_id(&TableName::new(Some("app"), "orders")).unwrap();
        let customers = s
            .table_id(&TableName::new(Some("app"), "customers"))
            .unwrap();
        assert_eq!(s.tables[orders].primary_key, Some(vec![0]));
        assert!(s
            .foreign_keys
            .iter()
            .any(|fk| fk.child == orders && fk.parent == customers));
        let m24 = s
            .table_id(&TableName::new(Some("public"), "measurements_2024"))
            .unwrap();
        let m = s
            .table_id(&TableName::new(Some("public"), "measurements"))
            .unwrap();
        assert_eq!(s.storage_root(m24), m);
        assert!(s.tables[customers].columns[0].identity == Some(true));
        assert!(s.tables[customers].triggers.contains(&"t_cust".to_string()));
        assert!(s.sequences.iter().any(|q| q.name.name == "customers_id_seq"
            && q.owner == Some((customers, 0))
            && q.dump_value == Some((9, true))));
        assert!(scan.info.complete);
        assert_eq!(scan.info.encoding.as_deref(), Some("UTF8"));
    }

    /// A dump with one long COPY block (lines of varied length, some with escapes) between
    /// statements.
    fn long_copy_dump(rows: usize, bad_line: Option<usize>) -> Vec<u8> {
        let mut d = String::from(
            "CREATE TABLE public.t (id integer, parent integer, s text, created timestamp);\n\
             COPY public.t (id, parent, s, created) FROM stdin;\n",
        );
        for i in 0..rows {
            let parent = if i % 5 == 0 {
                "\\N".to_string()
            } else {
                (i / 2).to_string()
            };
            let text = "x".repeat(i % 37) + if i % 7 == 0 { "\\ttab" } else { "" };
            if bad_line == Some(i) {
                d.push_str(&format!("{i}\t{parent}\t{text}\n"));
            } else {
                d.push_str(&format!(
                    "{i}\t{parent}\t{text}\t2024-01-01 00:00:{:02}\n",
                    i % 60
                ));
            }
        }
        d.push_str("\\.\n\nCREATE TABLE public.u (id integer);\n");
        d.into_bytes()
    }

    fn make_split(split: Option<usize>) -> Box<dyn DumpReader> {
        Box::new(PostgresReader::with_split(split))
    }

    #[test]
    fn copy_windows_shared_with_a_helper_read_as_one_thread_does() {
        shared_reads_the_same(&make_split, COPY_SAMPLE);
        shared_reads_the_same(&make_split, &long_copy_dump(3000, None));
    }

    #[test]
    fn a_broken_line_in_a_helpers_share_is_the_same_error() {
        // Late in the block, where a helper reads; and a dump without its `\.` line.
        let broken = shared_fails_the_same(&make_split, &long_copy_dump(3000, Some(2900)));
        assert!(broken.contains("fields"), "{broken}");
        let mut unterminated = long_copy_dump(3000, None);
        let cut = unterminated.len() - "\\.\n\nCREATE TABLE public.u (id integer);\n".len();
        unterminated.truncate(cut);
        let cut_short = shared_fails_the_same(&make_split, &unterminated);
        assert!(cut_short.contains("ends inside"), "{cut_short}");
    }

    fn scan_error(dump: &[u8]) -> String {
        match scan_with(&make, dump, None, false) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_table_created_again_after_its_rows_is_an_error() {
        let create = "CREATE TABLE public.t (id integer);\n";
        let create2 = "CREATE TABLE public.t (id integer, x integer);\n";
        let rows = "COPY public.t (id) FROM stdin;\n1\n\\.\n";
        let (_, scan, _) =
            scan_with(&make, format!("{create}{create2}").as_bytes(), None, false).unwrap();
        assert_eq!(scan.schema.tables[0].columns.len(), 2);
        let e = scan_error(format!("{create}{rows}{create2}").as_bytes());
        assert!(
            e.contains("table public.t is created again after rows of it were read"),
            "{e}"
        );
    }

    #[test]
    fn broken_dumps_are_errors() {
        let ddl = "CREATE TABLE public.t (id integer, s text);\n";
        let e =
            scan_error(format!("{ddl}COPY public.t (id, s) FROM stdin;\n1\ta\n2\tb\n").as_bytes());
        assert!(
            e.contains("ends inside the COPY data of table public.t"),
            "{e}"
        );
        let e = scan_error(
            format!("{ddl}COPY public.t (id, s) FROM stdin;\n1\ta\textra\n\\.\n").as_bytes(),
        );
        assert!(e.contains("has 3 fields for 2 columns"), "{e}");
        let e = scan_error(format!("{ddl}INSERT INTO public.t VALUES (1, 'abc").as_bytes());
        assert!(e.contains("unterminated string literal"), "{e}");
        let e = scan_error(format!("{ddl}INSERT INTO public.t VALUES (1);\n").as_bytes());
        assert!(e.contains("1 values for 2 columns"), "{e}");
        let e = scan_error(b"COPY public.nope (id) FROM stdin;\n1\n\\.\n");
        assert!(e.contains("does not declare"), "{e}");
        let e = scan_error(b"CREATE TABLE public.t (id integer;\n");
        assert!(e.contains("cannot parse statement"), "{e}");
    }

    #[test]
    fn escaped_copy_fields_and_bytea_decode_to_raw_values() {
        let dump = b"CREATE TABLE public.t (id integer, s text, b bytea);\nCOPY public.t (id, s, b) FROM stdin;\n1\ta\\tb\\\\c\\N\t\\\\x00ff\n2\t\\N\t\\\\000\\\\\\\\\n\\.\n";
        let (_, _, rows) = scan_with(&make, dump, None, false).unwrap();
        let cells: Vec<&str> = rows.iter().map(|r| r.split_once(": ").unwrap().1).collect();
        assert_eq!(cells[0], "\"1\" \"a\\tb\\\\cN\" \"\\0\u{fffd}\"");
        assert_eq!(cells[1], "\"2\" <null> \"\\0\\\\\"");
    }

    #[test]
    fn leading_ints_are_canonical_ones() {
        for (text, want) in [
            ("42\tx", (Some(42), 2)),
            ("-7", (Some(-7), 2)),
            ("0\t", (Some(0), 1)),
            ("123456789012345678", (Some(123_456_789_012_345_678), 18)),
            ("1234567890123456789", (None, 0)),
            ("007", (None, 0)),
            ("-0", (None, 0)),
            ("-", (None, 0)),
            ("\\N", (None, 0)),
            ("", (None, 0)),
        ] {
            assert_eq!(leading_int(text.as_bytes()), want, "{text:?}");
        }
        let mut lead = LEAD_ANY;
        lead[0] = FieldRange::EMPTY;
        lead[1] = FieldRange::EMPTY;
        lead[2] = FieldRange::EMPTY;
        assert_eq!(widen_lead(&mut lead, b"5\t\\N\tabc\t9", 3), 3);
        assert_eq!(lead[0], FieldRange::of(5));
        assert_eq!(lead[1], FieldRange::EMPTY, "NULL matches no key");
        assert_eq!(lead[2], FieldRange::ANY);
        assert_eq!(lead[3], FieldRange::ANY, "not tracked");
    }

    /// widen_lead counts a line's tabs as a plain count does, however many fields it reads
    /// itself and wherever the line ends among them.
    #[test]
    fn widen_lead_counts_every_tab() {
        let fields: [&[u8]; 7] = [b"12", b"", b"\\N", b"-3", b"0x", b"007", b"long text here"];
        for tracked in 0..=4 {
            for n in 1..=6usize {
                for first in 0..fields.len() {
                    let line: Vec<u8> = (0..n)
                        .map(|i| fields[(first + i * 3) % fields.len()])
                        .collect::<Vec<_>>()
                        .join(&b'\t');
                    let mut lead = lead_empty(tracked);
                    let want = line.iter().filter(|&&b| b == b'\t').count();
                    assert_eq!(
                        widen_lead(&mut lead, &line, tracked),
                        want,
                        "{:?}, {tracked} tracked",
                        String::from_utf8_lossy(&line)
                    );
                }
            }
        }
    }

    #[test]
    fn lines_read_backwards_across_chunk_boundaries() {
        let data = b"xx\nfirst\n\nthird line\nlast\n\\.\n";
        let mut seg = Segment::new(0, 3, SegmentFormat::CopyText, vec![0], 0);
        seg.end = (data.len() - 3) as u64;
        for chunk in 1..12 {
            let mut got = Vec::new();
            copy_lines_backwards(&mut std::io::Cursor::new(&data[..]), &seg, chunk, |l, o| {
                got.push((String::from_utf8(l.to_vec()).unwrap(), o));
                Ok(())
            })
            .unwrap();
            assert_eq!(
                got,
                [
                    ("last".to_string(), 21),
                    ("third line".to_string(), 10),
                    (String::new(), 9),
                    ("first".to_string(), 3)
                ],
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn a_psql_line_between_inserts_ends_their_segment() {
        let dump = b"CREATE TABLE public.t (id integer);\nINSERT INTO public.t VALUES (1);\n\\restrict abc\nINSERT INTO public.t VALUES (2);\n";
        let rows = every_path(&make, dump);
        assert_eq!(rows.len(), 2, "{rows:?}");
    }

    #[test]
    fn connect_lines_as_psql_reads_them() {
        assert_eq!(connect_target("\\connect shop").as_deref(), Some("shop"));
        assert_eq!(
            connect_target("\\connect \"My DB\"").as_deref(),
            Some("My DB")
        );
        assert_eq!(
            connect_target("\\connect -reuse-previous=on \"dbname='a b'\"").as_deref(),
            Some("a b")
        );
        assert_eq!(
            connect_target("\\connect -reuse-previous=on \"dbname='\"\"'\"").as_deref(),
            Some("\"")
        );
        assert_eq!(
            connect_target("\\connect -reuse-previous=on \"dbname='it\\'s \\\\ x'\"").as_deref(),
            Some("it's \\ x")
        );
        assert_eq!(connect_target("\\restrict abc"), None);
        assert_eq!(connect_target("\\connectx y"), None);
    }

    #[test]
    fn pg_dumpall_keeps_databases_apart() {
        let dump = b"\\connect one\nCREATE TABLE public.t (id integer);\nCOPY public.t (id) FROM stdin;\n1\n\\.\n\\connect -reuse-previous=on \"dbname='two\\'s'\"\nCREATE TABLE public.t (id integer);\nCOPY public.t (id) FROM stdin;\n2\n\\.\n";
        let (_, scan, rows) = scan_with(&make, dump, None, false).unwrap();
        assert_eq!(scan.schema.tables.len(), 2);
        assert!(rows[0].starts_with("one.public.t@"), "{rows:?}");
        assert!(rows[1].starts_with("two's.public.t@"), "{rows:?}");
    }
}
