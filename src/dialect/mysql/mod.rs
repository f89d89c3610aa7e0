//! MySQL / MariaDB dumps (mysqldump, mariadb-dump): reader.
//!
//! One forward pass over the [`ByteStream`]: between statements the scanner skips whitespace
//! and comments (noting the header and the `-- Dump completed` marker), follows `DELIMITER`
//! lines, and then either
//! - streams an `INSERT`/`REPLACE … VALUES` statement **one tuple at a time** ([`values`]):
//!   only the tuple being read must be in the window, however long the statement; or
//! - delimits any other statement in the window ([`lexer::statement_end`]), unwraps its
//!   executable comments ([`lexer::normalize`]) and looks at its head: `CREATE TABLE` goes to
//!   sqlparser ([`ddl`]), `CREATE TRIGGER` records the trigger on its table, `USE`,
//!   `SET NAMES` and `SET TIME_ZONE` update the context; everything else is counted and skipped.
//!
//! Consecutive INSERTs of one table with the same column list form one [`Segment`], re-read by
//! [`DumpReader::rescan`] with the same row offsets (the offset of a tuple's `(`). A segment
//! read under a `DELIMITER` other than `;` has its delimiter kept by the reader (by segment
//! start), since [`Segment`] has no field for it.
//!
//! Cells are the values' text with escapes decoded; hex (`0x…`, `X'…'`), bit (`b'…'`) and
//! `_binary '…'` literals become their raw bytes, so a BLOB, BIT or GEOMETRY value reads the
//! same with or without `--hex-blob`. Foreign keys to tables the dump does not hold (another
//! database) are dropped with a warning rather than failing the schema.
//!
//! The patch writer for the `mysql` client is in [`patch`].

pub mod ddl;
pub mod lexer;
pub mod patch;
pub mod values;

#[cfg(test)]
mod tests;

use std::io::Read;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use self::lexer::{Lex, LexError, Tok, Tokens};
use self::values::{Field, TupleRow};
use crate::dialect::{
    check_redeclaration, lead_empty, merge_lead, tracked_fields, DialectKind, DumpInfo, DumpReader,
    FieldRange, Lead, ScanResult, Segment, SegmentFormat,
};
use crate::error::{excerpt, Error, Position, Result};
use crate::helper::{LazyHelper, Share};
use crate::row::{RowScreen, RowSink};
use crate::scan::{ByteStream, SharedBytes};
use crate::schema::{ForeignKeyDecl, Schema, SchemaBuilder, TableId, TableName, TypeClass};

/// Reads mysqldump / mariadb-dump output.
#[derive(Debug)]
pub struct MysqlReader {
    /// Segments read under a `DELIMITER` other than `;`, by segment start.
    delimiters: FxHashMap<u64, Vec<u8>>,
    /// The least window of tuples the first read shares with a helper thread (`None`: never).
    split: Option<usize>,
}

impl Default for MysqlReader {
    fn default() -> MysqlReader {
        MysqlReader::with_split(crate::tuning::split_bytes())
    }
}

impl MysqlReader {
    /// A fresh reader.
    pub fn new() -> MysqlReader {
        MysqlReader::default()
    }

    /// A reader that shares windows of at least `split` bytes of tuples with a helper thread.
    pub fn with_split(split: Option<usize>) -> MysqlReader {
        MysqlReader {
            delimiters: FxHashMap::default(),
            split,
        }
    }
}

impl DumpReader for MysqlReader {
    fn kind(&self) -> DialectKind {
        DialectKind::Mysql
    }

    fn scan(
        &mut self,
        input: &mut ByteStream<&mut dyn Read>,
        sink: &mut dyn RowSink,
    ) -> Result<ScanResult> {
        let (result, delimiters) = scan_stream(input, sink, self.split)?;
        self.delimiters = delimiters;
        Ok(result)
    }

    fn rescan(
        &self,
        input: &mut ByteStream<&mut dyn Read>,
        schema: &Schema,
        segment: &Segment,
        sink: &mut dyn RowSink,
    ) -> Result<()> {
        let delim = self
            .delimiters
            .get(&segment.start)
            .map_or(&b";"[..], Vec::as_slice);
        rescan_stream(input, schema, segment, delim, sink)
    }
}

/// Segment delimiters other than `;`, by segment start.
type Delimiters = FxHashMap<u64, Vec<u8>>;

/// [`DumpReader::scan`] over any reader.
///
/// # Errors
/// As [`DumpReader::scan`].
pub fn scan_stream<R: Read>(
    input: &mut ByteStream<R>,
    sink: &mut dyn RowSink,
    split: Option<usize>,
) -> Result<(ScanResult, Delimiters)> {
    let mut scan = Scan {
        sink,
        split,
        helper: LazyHelper::default(),
        share: Share::default(),
        builder: SchemaBuilder::new(),
        info: DumpInfo::default(),
        segments: Vec::new(),
        delimiters: FxHashMap::default(),
        delim: b";".to_vec(),
        database: None,
        latin1: false,
        foreign_keys: Vec::new(),
        triggers: Vec::new(),
        views: Vec::new(),
        last_insert: None,
        warned: FxHashSet::default(),
        fields: Vec::new(),
        scratch: Vec::new(),
        map: Vec::new(),
    };
    scan.run(input)?;
    scan.finish()
}

/// Asks the stream for more bytes; notes the end of input.
fn more<R: Read>(input: &mut ByteStream<R>, eof: &mut bool) -> Result<()> {
    if *eof {
        return Err(Error::syntax(
            input.offset() + input.window().len() as u64,
            "internal error: the scanner wants more input at the end of the dump",
        ));
    }
    if !input.fill()? {
        *eof = true;
    }
    Ok(())
}

/// A lexical error at `base + e.at`.
fn lex_error(base: u64, e: LexError) -> Error {
    let at = base + e.at as u64;
    if e.what.starts_with("unterminated") {
        Error::syntax(at, format!("{} started at byte {at}", e.what))
    } else {
        Error::syntax(at, e.what)
    }
}

/// Runs a lexer step on the window until it has an answer, filling as needed.
fn look<R: Read, T>(
    input: &mut ByteStream<R>,
    eof: &mut bool,
    mut step: impl FnMut(&[u8], bool) -> Result<Lex<T>, LexError>,
) -> Result<T> {
    loop {
        match step(input.window(), *eof) {
            Ok(Lex::Done(t)) => return Ok(t),
            Ok(Lex::More) => more(input, eof)?,
            Err(e) => return Err(lex_error(input.offset(), e)),
        }
    }
}

struct Scan<'k> {
    sink: &'k mut dyn RowSink,
    /// See [`MysqlReader::split`].
    split: Option<usize>,
    /// The helper thread that reads part of big windows of tuples.
    helper: LazyHelper<SharedTuples>,
    /// Its share of a window.
    share: Share,
    builder: SchemaBuilder,
    info: DumpInfo,
    segments: Vec<Segment>,
    delimiters: Delimiters,
    delim: Vec<u8>,
    /// `USE` database.
    database: Option<String>,
    /// `SET NAMES latin1`: identifiers are Latin-1.
    latin1: bool,
    foreign_keys: Vec<ForeignKeyDecl>,
    /// (table, trigger name), attached when the dump is read.
    triggers: Vec<(TableName, String)>,
    views: Vec<TableName>,
    /// The segment the previous statement (an INSERT) extended, if it may extend it further.
    last_insert: Option<usize>,
    warned: FxHashSet<String>,
    fields: Vec<Field>,
    scratch: Vec<u8>,
    map: Vec<usize>,
}

impl Scan<'_> {
    fn run<R: Read>(&mut self, input: &mut ByteStream<R>) -> Result<()> {
        let mut eof = false;
        const BOM: &[u8] = b"\xef\xbb\xbf";
        let head = look(input, &mut eof, |w, eof| {
            Ok(if w.len() < BOM.len() && !eof {
                Lex::More
            } else {
                Lex::Done(w.starts_with(BOM))
            })
        })?;
        if head {
            input.consume(BOM.len());
        }
        loop {
            let info = &mut self.info;
            let at = look(input, &mut eof, |w, eof| {
                lexer::skip_between_statements(w, eof, &mut |c| note_comment(info, c))
            })?;
            input.consume(at);
            if input.window().is_empty() {
                return Ok(());
            }
            if self.delimiter_line(input, &mut eof)? {
                self.last_insert = None;
                continue;
            }
            let first = look(input, &mut eof, |w, eof| {
                Ok(match Tokens::new(w, 0, eof).next_tok()? {
                    Lex::Done(Some((_, t))) => Lex::Done(t.is("INSERT") || t.is("REPLACE")),
                    Lex::Done(None) => Lex::Done(false),
                    Lex::More => Lex::More,
                })
            })?;
            if first && self.insert(input, &mut eof)? {
                continue;
            }
            self.last_insert = None;
            let delim = &self.delim;
            let (body, next) = look(input, &mut eof, |w, eof| {
                lexer::statement_end(w, delim, eof)
            })?;
            let start = input.offset();
            let stmt = &input.window()[..body];
            if next == body {
                // The dump ends without a terminator: a cut INSERT is lost data.
                let word = stmt.iter().take_while(|b| lexer::is_word_byte(**b)).count();
                let word = &stmt[..word];
                let prefix_of = |kw: &[u8]| {
                    !word.is_empty()
                        && kw.len() >= word.len()
                        && kw[..word.len()].eq_ignore_ascii_case(word)
                };
                if prefix_of(b"INSERT") || prefix_of(b"REPLACE") {
                    return Err(Error::syntax(
                        start,
                        "unterminated INSERT statement: the dump ends inside it",
                    ));
                }
                self.warn("the last statement of the dump has no terminator".into());
            }
            self.statement(stmt, start)?;
            input.consume(next);
        }
    }

    /// A `DELIMITER x` client command line: sets the terminator, returns true.
    fn delimiter_line<R: Read>(
        &mut self,
        input: &mut ByteStream<R>,
        eof: &mut bool,
    ) -> Result<bool> {
        const KW: &[u8] = b"DELIMITER";
        let is_cmd = look(input, eof, |w, eof| {
            if w.len() <= KW.len() && !eof {
                return Ok(Lex::More);
            }
            Ok(Lex::Done(
                w.len() > KW.len()
                    && w[..KW.len()].eq_ignore_ascii_case(KW)
                    && matches!(w[KW.len()], b' ' | b'\t'),
            ))
        })?;
        if !is_cmd {
            return Ok(false);
        }
        let len = look(input, eof, |w, eof| {
            Ok(match memchr::memchr(b'\n', w) {
                Some(n) => Lex::Done(n + 1),
                None if eof => Lex::Done(w.len()),
                None => Lex::More,
            })
        })?;
        let line = &input.window()[KW.len()..len];
        let delim: Vec<u8> = line
            .split(|&b| lexer::is_space(b))
            .find(|w| !w.is_empty())
            .unwrap_or_default()
            .to_vec();
        if delim.is_empty() {
            return Err(Error::syntax(
                input.offset(),
                "DELIMITER without a delimiter",
            ));
        }
        self.delim = delim;
        input.consume(len);
        Ok(true)
    }

    /// An INSERT/REPLACE statement. Returns false (nothing consumed) when it is not a
    /// `VALUES` insert.
    fn insert<R: Read>(&mut self, input: &mut ByteStream<R>, eof: &mut bool) -> Result<bool> {
        let Some(head) = look(input, eof, values::insert_head)? else {
            return Ok(false);
        };
        let start = input.offset();
        let name = TableName {
            database: match &head.database {
                Some(d) => Some(ddl::text(d, self.latin1)),
                None => self.database.clone(),
            },
            schema: None,
            name: ddl::text(&head.table, self.latin1),
        };
        // Rows of a table the dump never declares cannot be read, and skipping them would lose
        // them silently (PostgreSQL does the same).
        let table = self.builder.table_id(&name).ok_or_else(|| {
            Error::syntax(
                start,
                format!(
                    "rows for table {name}, which the dump does not declare before them \
                     (a dump made with --no-create-info?)"
                ),
            )
        })?;
        let columns = self.field_columns(table, head.columns.as_deref(), start)?;
        let wants = self.sink.wants(self.builder.tables(), table);
        invert(
            &columns,
            self.builder.table(table).columns.len(),
            &mut self.map,
        );
        input.consume(head.values_end);
        let (sink, builder, map, scratch) =
            (&mut *self.sink, &self.builder, &self.map, &mut self.scratch);
        // The ranges of the leading integer fields of this statement's rows.
        let tracked = tracked_fields(self.builder.table(table), &columns);
        let mut lead = lead_empty(tracked);
        // A helper thread may read part of each big window (when the sink says which rows it
        // can do without).
        let screen: Option<Arc<dyn RowScreen>> = if wants {
            sink.screen(builder.tables(), table).map(Arc::from)
        } else {
            None
        };
        let mut sharing = self
            .split
            .filter(|_| !wants || screen.is_some())
            .map(|least| Sharing {
                least,
                helper: &mut self.helper,
                share: &mut self.share,
                screen,
                map: Arc::from(map.as_slice()),
                tracked,
                lead: lead_empty(tracked),
                not_before: 0,
            });
        let tail = read_rows(
            input,
            eof,
            &self.delim,
            head.exec,
            Some(columns.len()),
            &mut self.fields,
            &mut |buf, fields, offset| {
                widen_lead(&mut lead, buf, fields, tracked);
                if !wants {
                    return Ok(());
                }
                let mut row = TupleRow {
                    buf,
                    fields,
                    map,
                    offset,
                    scratch: &mut *scratch,
                };
                sink.row(builder.tables(), table, &mut row)
            },
            sharing.as_mut(),
        )?;
        if let Some(sharing) = &sharing {
            lead = merge_lead(lead, sharing.lead);
        }
        if tail == Tail::Clause {
            self.warn(format!(
                "the clause after the rows of an INSERT into {name} (e.g. ON DUPLICATE KEY UPDATE) is ignored"
            ));
        }
        let end = input.offset();
        match self.last_insert {
            Some(i) if self.segments[i].table == table && self.segments[i].columns == columns => {
                // A stretch re-read from this statement needs its delimiter too.
                if self.delim != b";" {
                    self.delimiters.insert(start, self.delim.clone());
                }
                self.segments[i].extend(start, end, lead);
            }
            _ => {
                if self.delim != b";" {
                    self.delimiters.insert(start, self.delim.clone());
                }
                let mut seg = Segment::new(table, start, SegmentFormat::Insert, columns, tracked);
                seg.extend(start, end, lead);
                self.segments.push(seg);
                self.last_insert = Some(self.segments.len() - 1);
            }
        }
        Ok(true)
    }

    /// For each value of a row, the table column it fills.
    fn field_columns(&self, t: TableId, names: Option<&[Vec<u8>]>, at: u64) -> Result<Vec<usize>> {
        let table = self.builder.table(t);
        let Some(names) = names else {
            return Ok((0..table.columns.len()).collect());
        };
        names
            .iter()
            .map(|raw| {
                let name = ddl::text(raw, self.latin1);
                table
                    .column_index(&name)
                    .or_else(|| {
                        // Column names are case-insensitive in MySQL.
                        table
                            .columns
                            .iter()
                            .position(|c| c.name.eq_ignore_ascii_case(&name))
                    })
                    .ok_or_else(|| {
                        Error::data(
                            at,
                            format!(
                                "INSERT into {} names column `{name}`, which the table lacks",
                                table.name
                            ),
                        )
                    })
            })
            .collect()
    }

    fn warn(&mut self, what: String) {
        if self.warned.insert(what.clone()) {
            self.info.warnings.push(what);
        }
    }

    /// Any statement but an INSERT … VALUES.
    fn statement(&mut self, stmt: &[u8], at: u64) -> Result<()> {
        let norm = lexer::normalize(stmt).map_err(|e| lex_error(at, e))?;
        let toks = head_tokens(&norm, 64).map_err(|e| lex_error(at, e))?;
        let Some(first) = toks.first() else {
            // Only comments, or an empty statement (`;;`).
            return Ok(());
        };
        if first.is("CREATE") {
            match ddl::create_kind(&toks) {
                Some(k) if k.is("TABLE") => return self.create_table(stmt, &norm, at),
                Some(k) if k.is("TRIGGER") => {
                    if let Some((trigger, (db, table))) = ddl::trigger_head(&toks, self.latin1) {
                        let table = TableName {
                            database: db.or_else(|| self.database.clone()),
                            schema: None,
                            name: table,
                        };
                        self.triggers.push((table, trigger));
                        return Ok(());
                    }
                }
                Some(k) if k.is("VIEW") => {
                    if let Some((db, name)) = ddl::view_name(&toks, self.latin1) {
                        self.views.push(TableName {
                            database: db.or_else(|| self.database.clone()),
                            schema: None,
                            name,
                        });
                    }
                }
                _ => {}
            }
        } else if first.is("USE") {
            if let Some(db) = toks.get(1).and_then(Tok::ident) {
                self.database = Some(ddl::text(&db, self.latin1));
                return Ok(());
            }
        } else if first.is("SET") && self.set(&toks)? {
            return Ok(());
        }
        self.info.skipped_statements += 1;
        Ok(())
    }

    fn create_table(&mut self, stmt: &[u8], norm: &[u8], at: u64) -> Result<()> {
        let ddl_error = |what: String| Error::Ddl {
            input: String::new(),
            pos: Position::at(at),
            head: excerpt(stmt.trim_ascii_start(), 60),
            what,
        };
        let mut ct =
            ddl::create_table(norm, self.database.as_deref(), self.latin1).map_err(ddl_error)?;
        if let Some(like) = &ct.like {
            let Some(src) = self.builder.table_id(like) else {
                return Err(ddl_error(format!(
                    "CREATE TABLE … LIKE {like}: no such table"
                )));
            };
            let src = self.builder.table(src);
            ct.table.columns = src.columns.clone();
            ct.table.primary_key = src.primary_key.clone();
            ct.table.unique_keys = src.unique_keys.clone();
        }
        let name = ct.table.name.clone();
        check_redeclaration(&self.builder, &self.segments, &name, at)?;
        self.foreign_keys.retain(|fk| fk.child != name);
        self.foreign_keys.extend(ct.foreign_keys);
        self.builder.add_table(ct.table);
        Ok(())
    }

    /// `SET NAMES x`, `SET TIME_ZONE='…'`: returns whether the statement mattered.
    fn set(&mut self, toks: &[Tok<'_>]) -> Result<bool> {
        let mut used = false;
        for assignment in toks[1..].split(|t| *t == Tok::Punct(b',')) {
            let mut a = assignment;
            if a.first().is_some_and(|t| t.is("NAMES"))
                || (a.len() > 2 && a[0].is("CHARACTER") && a[1].is("SET"))
            {
                a = if a[0].is("NAMES") { &a[1..] } else { &a[2..] };
                let Some(cs) = a.first().and_then(value_text) else {
                    continue;
                };
                let cs = ddl::text(&cs, false);
                self.latin1 = cs.eq_ignore_ascii_case("latin1");
                self.info.encoding = Some(cs);
                used = true;
                continue;
            }
            // [@@][SESSION|LOCAL .] time_zone = 'x'
            while let Some(t) = a.first() {
                if *t == Tok::Punct(b'@')
                    || *t == Tok::Punct(b'.')
                    || t.is("SESSION")
                    || t.is("LOCAL")
                {
                    a = &a[1..];
                } else {
                    break;
                }
            }
            if let [name, Tok::Punct(b'='), Tok::Quoted(q @ (b'\'' | b'"'), body)] = a {
                if name.is("time_zone") {
                    let zone = ddl::text(&lexer::unescape(body, *q), self.latin1);
                    self.sink.session_time_zone(&zone)?;
                    self.info.time_zone = Some(zone);
                    used = true;
                }
            }
        }
        Ok(used)
    }

    fn finish(mut self) -> Result<(ScanResult, Delimiters)> {
        for (table, trigger) in std::mem::take(&mut self.triggers) {
            match self.builder.table_id(&table) {
                Some(t) => {
                    let triggers = &mut self.builder.table_mut(t).triggers;
                    if !triggers.contains(&trigger) {
                        triggers.push(trigger);
                    }
                }
                None => self.warn(format!(
                    "trigger {trigger} is on table {table}, which the dump does not declare"
                )),
            }
        }
        for view in std::mem::take(&mut self.views) {
            if let Some(t) = self.builder.table_id(&view) {
                // An old-style stand-in table for a view: it holds no rows.
                self.builder.table_mut(t).is_partitioned = true;
            }
        }
        for fk in std::mem::take(&mut self.foreign_keys) {
            if self.builder.table_id(&fk.parent).is_some() {
                self.builder.add_foreign_key(fk);
            } else {
                self.warn(format!(
                    "foreign key {} of {} references {}, which the dump does not hold: not followed",
                    fk.name, fk.child, fk.parent
                ));
            }
        }
        let session_columns = self.builder.tables().iter().any(|t| {
            t.columns
                .iter()
                .any(|c| c.class == TypeClass::TimestampSession)
        });
        if self.info.time_zone.is_none() && session_columns {
            self.warn(
                "the dump does not say which time zone its TIMESTAMP values are in (no SET TIME_ZONE, --skip-tz-utc?): they are read as UTC"
                    .into(),
            );
        }
        let schema = self.builder.finish()?;
        Ok((
            ScanResult {
                schema,
                segments: self.segments,
                info: self.info,
            },
            self.delimiters,
        ))
    }
}

/// The value of `NAMES x` / `CHARACTER SET 'x'`: a word or a quoted string.
fn value_text<'a>(t: &'a Tok<'a>) -> Option<std::borrow::Cow<'a, [u8]>> {
    match t {
        Tok::Quoted(q @ (b'\'' | b'"'), body) => Some(lexer::unescape(body, *q)),
        _ => t.ident(),
    }
}

/// The first `max` tokens of a normalized statement.
fn head_tokens(norm: &[u8], max: usize) -> Result<Vec<Tok<'_>>, LexError> {
    let mut toks = Tokens::new(norm, 0, true);
    let mut out = Vec::new();
    while out.len() < max {
        match toks.next_tok()? {
            Lex::Done(Some((_, t))) => out.push(t),
            Lex::Done(None) | Lex::More => break,
        }
    }
    Ok(out)
}

/// Header facts from `--` comment lines.
fn note_comment(info: &mut DumpInfo, line: &[u8]) {
    let text = String::from_utf8_lossy(line);
    let text = text.trim_start_matches(['-', '#']).trim();
    if text.starts_with("Dump completed") {
        info.complete = true;
    } else if text.starts_with("MariaDB dump") || text.starts_with("MySQL dump") {
        if info.tool.is_none() {
            let tool = text.split(", for ").next().unwrap_or(text);
            info.tool = Some(tool.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    } else if let Some(v) = text.strip_prefix("Server version") {
        if info.server_version.is_none() {
            info.server_version = Some(v.trim().to_string());
        }
    }
}

/// `map[column] = field` for the columns a statement fills, `usize::MAX` for the others.
fn invert(columns: &[usize], ncols: usize, map: &mut Vec<usize>) {
    map.clear();
    map.resize(ncols, usize::MAX);
    for (field, &c) in columns.iter().enumerate() {
        if let Some(m) = map.get_mut(c) {
            *m = field;
        }
    }
}

/// Receives each tuple: its bytes, its values, the absolute offset of its `(`.
type OnRow<'a> = dyn FnMut(&[u8], &[Field], u64) -> Result<()> + 'a;

/// How an INSERT ended.
#[derive(Debug, PartialEq, Eq)]
enum Tail {
    /// At its terminator.
    End,
    /// With a clause after the rows (ON DUPLICATE KEY UPDATE), skipped.
    Clause,
}

/// Reads the rows of one INSERT, positioned after `VALUES`, through its terminator, handing
/// each tuple (its bytes, values and absolute offset) to `on_row`.
#[allow(clippy::too_many_arguments)]
fn read_rows<R: Read>(
    input: &mut ByteStream<R>,
    eof: &mut bool,
    delim: &[u8],
    mut exec: u32,
    expected: Option<usize>,
    fields: &mut Vec<Field>,
    on_row: &mut OnRow<'_>,
    mut sharing: Option<&mut Sharing<'_>>,
) -> Result<Tail> {
    let mut rows = 0u64;
    loop {
        // The next tuple.
        skip_inside(input, eof, &mut exec, 1)?;
        match input.window().first() {
            Some(b'(') => {}
            Some(&b) => {
                return Err(Error::syntax(
                    input.offset(),
                    format!("expected `(` to start a row, found {}", values::show(b)),
                ))
            }
            None => {
                return Err(Error::syntax(
                    input.offset(),
                    "unterminated INSERT statement: the dump ends before its row",
                ))
            }
        }
        let offset = input.offset();
        let (end, e) = look(input, eof, |w, eof| {
            let mut e = exec;
            Ok(match values::scan_tuple(w, 0, &mut e, eof, fields)? {
                Lex::Done(end) => Lex::Done((end, e)),
                Lex::More => Lex::More,
            })
        })?;
        exec = e;
        if let Some(n) = expected {
            if fields.len() != n {
                return Err(Error::data(
                    offset,
                    format!(
                        "row has {} values but the INSERT fills {n} columns",
                        fields.len()
                    ),
                ));
            }
        }
        on_row(&input.window()[..end], fields, offset)?;
        input.consume(end);
        rows += 1;
        if let (Some(sharing), Some(expected), 0) = (sharing.as_deref_mut(), expected, exec) {
            if input.window().len() >= sharing.least && input.offset() >= sharing.not_before {
                let (used, read) = shared_tuples(input, sharing, expected, fields, on_row)?;
                input.consume(used);
                rows += read;
            }
        }
        // Fast path: the next row right after the separator.
        if let Some(gap) = gap_to_next_tuple(input.window()) {
            input.consume(gap);
            continue;
        }
        // `,` or the terminator.
        skip_inside(input, eof, &mut exec, delim.len())?;
        let w = input.window();
        if w.first() == Some(&b',') {
            input.consume(1);
        } else if w.starts_with(delim) {
            input.consume(delim.len());
            return Ok(Tail::End);
        } else if w.is_empty() {
            return Err(Error::syntax(
                offset,
                format!("unterminated INSERT statement: the dump ends after its row {rows}, which starts at byte {offset}"),
            ));
        } else if w.len() >= 2 && w[..2].eq_ignore_ascii_case(b"ON") {
            let (_, next) = look(input, eof, |w, eof| lexer::statement_end(w, delim, eof))?;
            input.consume(next);
            return Ok(Tail::Clause);
        } else {
            return Err(Error::syntax(
                input.offset(),
                format!(
                    "expected `,` or `{}` after a row, found {}",
                    String::from_utf8_lossy(delim),
                    values::show(w[0])
                ),
            ));
        }
    }
}

/// How a first read shares the tuples of a statement's big windows with a helper thread (see
/// [`shared_tuples`]).
struct Sharing<'s> {
    /// The least window worth sharing.
    least: usize,
    /// The scan's helper.
    helper: &'s mut LazyHelper<SharedTuples>,
    /// The helper's share of a window.
    share: &'s mut Share,
    /// The sink's screen (`None`: the sink wants none of these rows).
    screen: Option<Arc<dyn RowScreen>>,
    /// Table column → value index, for the screen.
    map: Arc<[usize]>,
    /// How many leading values have their ranges kept.
    tracked: usize,
    /// The ranges of the leading values of the tuples the helper read.
    lead: Lead,
    /// No window is shared before this offset (the end of the last one looked at).
    not_before: u64,
}

/// What a helper thread found in the tuples it read for the reading thread.
struct SharedTuples {
    /// Where its first tuple starts (after a `,` and maybe a line break).
    from: usize,
    /// Just past the `)` of its last tuple (`from`: it read none).
    to: usize,
    /// The tuples the screen kept: (start, end, range of their values in `fields`).
    kept: Vec<(usize, usize, std::ops::Range<usize>)>,
    /// The kept tuples' values (offsets relative to each tuple's start).
    fields: Vec<Field>,
    /// The ranges of all its tuples' leading values.
    lead: Lead,
    /// How many tuples it read.
    count: u64,
}

/// The start of a tuple that follows `),` or `),\n` — the layouts mysqldump and mariadb-dump
/// write — in the helper's `share` of `window`: a guess (it could be inside a string), which
/// the reading thread confirms by reaching it.
fn tuple_start_after(window: &[u8], share: Share) -> Option<usize> {
    let middle = share.split_point(window.len());
    let tail = &window[middle..];
    let lines = memchr::memmem::find(tail, b"),\n(").map(|i| i + 3);
    let inline = memchr::memmem::find(tail, b"),(").map(|i| i + 2);
    let at = match (lines, inline) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    Some(middle + at)
}

/// A helper thread's share of a window: the tuples from `window[from]` on (see [`TupleJob::run`]).
struct TupleJob {
    window: SharedBytes,
    from: usize,
    /// The window's offset in the dump.
    base: u64,
    /// Values per tuple.
    expected: usize,
    screen: Option<Arc<dyn RowScreen>>,
    map: Arc<[usize]>,
    tracked: usize,
}

impl TupleJob {
    /// Reads tuples while each is followed by `,(` or `,\n(`; stops before anything else (the
    /// statement's end, a tuple not complete in the window, a malformed one, one with the wrong
    /// number of values or an executable comment), which the reading thread then reads as usual.
    fn run(self) -> SharedTuples {
        let window: &[u8] = &self.window;
        let mut out = SharedTuples {
            from: self.from,
            to: self.from,
            kept: Vec::new(),
            fields: Vec::new(),
            lead: lead_empty(self.tracked),
            count: 0,
        };
        let mut fields = Vec::new();
        let mut scratch = Vec::new();
        let mut at = self.from;
        loop {
            let w = &window[at..];
            let mut exec = 0;
            let end = match values::scan_tuple(w, 0, &mut exec, false, &mut fields) {
                Ok(Lex::Done(end)) if exec == 0 && fields.len() == self.expected => end,
                _ => break,
            };
            widen_lead(&mut out.lead, w, &fields, self.tracked);
            if let Some(screen) = &self.screen {
                let mut row = TupleRow {
                    buf: &w[..end],
                    fields: &fields,
                    map: &self.map,
                    offset: self.base + at as u64,
                    scratch: &mut scratch,
                };
                if screen.keeps(&mut row) {
                    let first = out.fields.len();
                    out.fields.extend_from_slice(&fields);
                    out.kept.push((at, at + end, first..out.fields.len()));
                }
            }
            out.to = at + end;
            out.count += 1;
            at = match gap_to_next_tuple(&window[out.to..]) {
                Some(gap) => out.to + gap,
                None => break,
            };
        }
        out
    }
}

/// When `after` (the bytes after a tuple's `)`) goes straight on to the next tuple in one of the
/// layouts mysqldump and mariadb-dump write, `,(` or `,\n(`: the length of the gap before its
/// `(`. Anything else (spaces, comments, the statement's end) takes the general path.
#[inline]
fn gap_to_next_tuple(after: &[u8]) -> Option<usize> {
    match after {
        [b',', b'(', ..] => Some(1),
        [b',', b'\n', b'(', ..] => Some(2),
        _ => None,
    }
}

/// Widens `lead` by a tuple's first `tracked` values.
#[inline]
fn widen_lead(lead: &mut Lead, buf: &[u8], fields: &[Field], tracked: usize) {
    for (range, f) in lead.iter_mut().zip(fields).take(tracked) {
        match f.kind {
            values::Kind::Null => {}
            values::Kind::Plain => range.add(buf.get(f.start..f.end)),
            _ => *range = FieldRange::ANY,
        }
    }
}

/// Reads the tuples in the window after the one just read (the window starts after its `)`),
/// sharing them with the helper thread: the helper reads from a guessed tuple start in the last
/// part of the statement's bytes in the window while this thread reads up to it. When this
/// thread reaches exactly that start, the guess was right: the helper's tuples count (its kept
/// ones go to `on_row`, its ranges into `sharing.lead`); otherwise its work is dropped. Returns
/// the bytes used (ending just after a tuple's `)`) and the tuples read.
fn shared_tuples<R: Read>(
    input: &mut ByteStream<R>,
    sharing: &mut Sharing<'_>,
    expected: usize,
    fields: &mut Vec<Field>,
    on_row: &mut OnRow<'_>,
) -> Result<(usize, u64)> {
    let base = input.offset();
    let shared = input.shared_window();
    let window: &[u8] = &shared;
    // Within this statement (as far as a plain search for its end can tell): a guess in the
    // next one would be wasted.
    let statement = memchr::memmem::find(window, b");").map_or(window.len(), |i| i + 1);
    // Whatever happens, these bytes are not searched again.
    sharing.not_before = base + statement as u64;
    let Some(guess) = tuple_start_after(&window[..statement], *sharing.share) else {
        return Ok((0, 0));
    };
    let Some(helper) = sharing.helper.get() else {
        return Ok((0, 0));
    };
    let job = TupleJob {
        window: shared.clone(),
        from: guess,
        base,
        expected,
        screen: sharing.screen.clone(),
        map: Arc::clone(&sharing.map),
        tracked: sharing.tracked,
    };
    if !helper.give(move || job.run()) {
        sharing.helper.give_up();
        return Ok((0, 0));
    }
    let mut at = 0;
    let mut read = 0u64;
    let mut reached = false;
    let mine = loop {
        let next = match gap_to_next_tuple(&window[at..]) {
            Some(gap) => at + gap,
            None => break Ok(()),
        };
        if next >= guess {
            reached = next == guess;
            break Ok(());
        }
        let w = &window[next..];
        let mut exec = 0;
        let end = match values::scan_tuple(w, 0, &mut exec, false, fields) {
            Ok(Lex::Done(end)) if exec == 0 && fields.len() == expected => end,
            _ => break Ok(()),
        };
        if let Err(e) = on_row(&w[..end], fields, base + next as u64) {
            break Err(e);
        }
        at = next + end;
        read += 1;
    };
    // The result is taken whatever happened: the next job's must not be mistaken for it.
    let in_time = helper.is_done();
    let theirs = helper.take();
    if theirs.is_none() {
        // The helper is gone (a bug in a job): this thread reads on alone.
        sharing.helper.give_up();
    }
    mine?;
    sharing.share.adjust(in_time);
    let mut used = at;
    if let Some(theirs) = theirs.filter(|t| reached && t.to > t.from) {
        sharing.lead = merge_lead(sharing.lead, theirs.lead);
        for (start, end, values) in &theirs.kept {
            on_row(
                &window[*start..*end],
                &theirs.fields[values.clone()],
                base + *start as u64,
            )?;
        }
        read += theirs.count;
        used = theirs.to;
    }
    Ok((used, read))
}

/// Skips whitespace and comments inside a statement, keeping at least `min` bytes after them in
/// the window (unless the input ends first).
fn skip_inside<R: Read>(
    input: &mut ByteStream<R>,
    eof: &mut bool,
    exec: &mut u32,
    min: usize,
) -> Result<()> {
    let (at, e) = look(input, eof, |w, eof| {
        let mut e = *exec;
        Ok(match lexer::skip_inside(w, 0, &mut e, eof)? {
            Lex::Done(at) if w.len() - at < min && !eof => Lex::More,
            Lex::Done(at) => Lex::Done((at, e)),
            Lex::More => Lex::More,
        })
    })?;
    *exec = e;
    input.consume(at);
    Ok(())
}

/// [`DumpReader::rescan`] over any reader.
///
/// # Errors
/// As [`DumpReader::rescan`].
pub fn rescan_stream<R: Read>(
    input: &mut ByteStream<R>,
    schema: &Schema,
    segment: &Segment,
    delim: &[u8],
    sink: &mut dyn RowSink,
) -> Result<()> {
    let mut eof = false;
    let t = segment.table;
    let mut map = Vec::new();
    invert(&segment.columns, schema.tables[t].columns.len(), &mut map);
    let wants = sink.wants(&schema.tables, t);
    let mut fields = Vec::new();
    let mut scratch = Vec::new();
    loop {
        let at = look(input, &mut eof, |w, eof| {
            lexer::skip_between_statements(w, eof, &mut |_| {})
        })?;
        input.consume(at);
        if input.window().is_empty() {
            return Ok(());
        }
        let Some(head) = look(input, &mut eof, values::insert_head)? else {
            return Err(Error::syntax(
                input.offset(),
                "expected an INSERT statement where the first read found one",
            ));
        };
        input.consume(head.values_end);
        read_rows(
            input,
            &mut eof,
            delim,
            head.exec,
            Some(segment.columns.len()),
            &mut fields,
            &mut |buf, fields, offset| {
                if !wants {
                    return Ok(());
                }
                let mut row = TupleRow {
                    buf,
                    fields,
                    map: &map,
                    offset,
                    scratch: &mut scratch,
                };
                sink.row(&schema.tables, t, &mut row)
            },
            None,
        )?;
    }
}
