//! What differs between PostgreSQL and MySQL dumps, behind two small traits.
//!
//! A [`DumpReader`] turns the bytes of a dump into a [`Schema`], the list of [`Segment`]s where
//! each table's rows lie, and rows handed to a [`RowSink`]; it can re-read one segment later. A
//! [`PatchWriter`] turns an ordered [`Selection`] into SQL its client replays. Everything else —
//! selection, JSON, orchestration — is dialect-free and talks to these traits only.

pub mod mysql;
pub mod postgres;
#[cfg(test)]
pub(crate) mod testutil;

use std::io::{Read, Seek, Write};

use crate::error::{Error, Result};
use crate::row::RowSink;
use crate::scan::ByteStream;
use crate::schema::{Schema, SchemaBuilder, TableId, TableName};
use crate::select::Selection;

/// The two dump families.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum DialectKind {
    /// pg_dump / pg_dumpall plain SQL.
    Postgres,
    /// mysqldump / mariadb-dump.
    Mysql,
}

impl DialectKind {
    /// The reader for this dialect.
    pub fn reader(self) -> Box<dyn DumpReader> {
        self.reader_with_split(crate::tuning::split_bytes())
    }

    /// The reader for this dialect, sharing the first read's windows of at least `split` bytes
    /// of rows with a helper thread (`None`: never).
    pub fn reader_with_split(self, split: Option<usize>) -> Box<dyn DumpReader> {
        match self {
            DialectKind::Postgres => Box::new(postgres::PostgresReader::with_split(split)),
            DialectKind::Mysql => Box::new(mysql::MysqlReader::with_split(split)),
        }
    }

    /// The patch writer for this dialect.
    pub fn patch_writer(self) -> Box<dyn PatchWriter> {
        match self {
            DialectKind::Postgres => Box::new(postgres::patch::PostgresPatch),
            DialectKind::Mysql => Box::new(mysql::patch::MysqlPatch),
        }
    }

    /// Human name.
    pub fn name(self) -> &'static str {
        match self {
            DialectKind::Postgres => "PostgreSQL",
            DialectKind::Mysql => "MySQL/MariaDB",
        }
    }
}

/// Guesses the dialect from the first bytes of the (decompressed) dump.
pub fn detect(head: &[u8]) -> Option<DialectKind> {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let has = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    if has(b"PostgreSQL database dump") || has(b"PostgreSQL database cluster dump") {
        return Some(DialectKind::Postgres);
    }
    if head.starts_with(b"/*M!999999")
        || head.starts_with(b"/*!999999")
        || has(b"-- MySQL dump")
        || has(b"-- MariaDB dump")
    {
        return Some(DialectKind::Mysql);
    }
    // Headerless dumps (`--compact`, hand-made): look at the syntax.
    let pg = [
        &b"SET client_encoding"[..],
        b"SET standard_conforming_strings",
        b"pg_catalog.",
        b"FROM stdin;",
        b"\\connect",
    ]
    .iter()
    .filter(|n| has(n))
    .count();
    let my = [
        &b"/*!40"[..],
        b"SET NAMES",
        b"ENGINE=",
        b"LOCK TABLES `",
        b"INSERT INTO `",
        b"CREATE TABLE `",
    ]
    .iter()
    .filter(|n| has(n))
    .count();
    match pg.cmp(&my) {
        std::cmp::Ordering::Greater => Some(DialectKind::Postgres),
        std::cmp::Ordering::Less => Some(DialectKind::Mysql),
        std::cmp::Ordering::Equal => None,
    }
}

/// Facts about the dump as a whole, for the patch and the summary.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct DumpInfo {
    /// The dump tool and its version as the header says (`pg_dump 15.18`, `MariaDB dump 10.19`).
    pub tool: Option<String>,
    /// Server version from the header.
    pub server_version: Option<String>,
    /// Character encoding of the dump's text (`UTF8`, `utf8mb4`, `LATIN1`...).
    pub encoding: Option<String>,
    /// MySQL: the `TIME_ZONE` the dump was written in (TIMESTAMP values are in it).
    pub time_zone: Option<String>,
    /// The end-of-dump marker was seen.
    pub complete: bool,
    /// Statements read but not needed (functions, grants, indexes...).
    pub skipped_statements: u64,
    /// Non-fatal things worth telling the user, once each.
    pub warnings: Vec<String>,
}

/// Where some rows of one table lie in the decompressed dump, so they can be read again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The table as the dump names it (a partition leaf stays a leaf here).
    pub table: TableId,
    /// Offset of the first byte of the segment (first COPY row, or the first INSERT).
    pub start: u64,
    /// Offset just past the segment.
    pub end: u64,
    /// Reader-specific: how to parse it (COPY block, INSERT statements...).
    pub format: SegmentFormat,
    /// For each field of a row in this segment, the table column it fills.
    pub columns: Vec<usize>,
    /// Offsets, after `start`, where a row (COPY) or a statement (a run of INSERTs) starts,
    /// about every [`crate::tuning::resume_spacing`] bytes: the segment can be read one stretch
    /// at a time from them (backwards, or only where wanted).
    pub resume_points: Vec<u64>,
    /// Per stretch (from `start`, each resume point, to `end`): the ranges of the rows' leading
    /// integer fields (keys and foreign keys, mostly), so that a read for some keys of those
    /// columns can skip the stretches that cannot hold them. Always one more than
    /// `resume_points`.
    pub lead: Vec<Lead>,
    /// How many leading fields `lead` tracks (the others are [`FieldRange::ANY`]).
    pub tracked: usize,
}

/// How many leading fields of a row have their ranges kept.
pub const LEAD_FIELDS: usize = 4;

/// The ranges of the first [`LEAD_FIELDS`] fields of the rows of a stretch (fields not
/// tracked: [`FieldRange::ANY`]).
pub type Lead = [FieldRange; LEAD_FIELDS];

/// How many leading fields of a segment (filling `columns` of `table`) are integer columns whose
/// ranges are worth keeping (at most [`LEAD_FIELDS`]).
pub fn tracked_fields(table: &crate::schema::Table, columns: &[usize]) -> usize {
    columns
        .iter()
        .take(LEAD_FIELDS)
        .take_while(|&&c| {
            table
                .columns
                .get(c)
                .is_some_and(|c| c.class == crate::schema::TypeClass::Integer)
        })
        .count()
}

/// A table declared again replaces the first declaration (both readers), unless rows were read
/// for that one: they would be re-read with the wrong columns. That is an error, at `at`.
///
/// # Errors
/// `name` is declared and `segments` already hold rows of it.
pub fn check_redeclaration(
    builder: &SchemaBuilder,
    segments: &[Segment],
    name: &TableName,
    at: u64,
) -> Result<()> {
    match builder.table_id(name) {
        Some(id) if segments.iter().any(|s| s.table == id) => Err(Error::syntax(
            at,
            format!("table {name} is created again after rows of it were read"),
        )),
        _ => Ok(()),
    }
}

/// A [`Lead`] of no row yet, tracking the first `tracked` fields.
pub fn lead_empty(tracked: usize) -> Lead {
    std::array::from_fn(|i| {
        if i < tracked {
            FieldRange::EMPTY
        } else {
            FieldRange::ANY
        }
    })
}

/// A [`Lead`] that may hold anything.
pub const LEAD_ANY: Lead = [FieldRange::ANY; LEAD_FIELDS];

/// The ranges of both `a`'s rows and `b`'s.
pub fn merge_lead(a: Lead, b: Lead) -> Lead {
    std::array::from_fn(|i| a[i].merge(b[i]))
}

/// The values one field takes in the rows of a stretch: integers between `min` and `max`.
/// [`FieldRange::EMPTY`] (no row, or only NULLs, which match no key) has `min > max`;
/// [`FieldRange::ANY`] (something that is not a canonical integer) spans every integer. Kept
/// as two integers so that adding a row is two comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldRange {
    /// The least value.
    pub min: i64,
    /// The greatest value.
    pub max: i64,
}

impl FieldRange {
    /// No value.
    pub const EMPTY: FieldRange = FieldRange {
        min: i64::MAX,
        max: i64::MIN,
    };

    /// Any value.
    pub const ANY: FieldRange = FieldRange {
        min: i64::MIN,
        max: i64::MAX,
    };

    /// The one integer `v`.
    pub fn of(v: i64) -> FieldRange {
        FieldRange { min: v, max: v }
    }

    /// Notes one row's field: its text, `None` for NULL (which no key matches: the range
    /// stays as it is).
    #[inline]
    pub fn add(&mut self, field: Option<&[u8]>) {
        let Some(text) = field else {
            return;
        };
        match crate::row::canonical_int(text) {
            Some(v) => self.add_int(v),
            None => *self = FieldRange::ANY,
        }
    }

    /// Notes one row whose field is the integer `v`.
    #[inline]
    pub fn add_int(&mut self, v: i64) {
        *self = self.merge(FieldRange::of(v));
    }

    /// Both ranges together.
    #[inline]
    pub fn merge(self, other: FieldRange) -> FieldRange {
        FieldRange {
            min: self.min.min(other.min),
            max: self.max.max(other.max),
        }
    }

    /// May a row of the stretch have one of `keys` (sorted) in this field?
    pub fn may_hold(&self, keys: &[i64]) -> bool {
        let i = keys.partition_point(|&k| k < self.min);
        keys.get(i).is_some_and(|&k| k <= self.max)
    }
}

impl Segment {
    /// An empty segment at `start` whose rows' first `tracked` leading fields will be tracked.
    pub fn new(
        table: TableId,
        start: u64,
        format: SegmentFormat,
        columns: Vec<usize>,
        tracked: usize,
    ) -> Segment {
        let tracked = tracked.min(LEAD_FIELDS);
        Segment {
            table,
            start,
            end: start,
            format,
            columns,
            resume_points: Vec::new(),
            lead: vec![lead_empty(tracked)],
            tracked,
        }
    }

    /// Extends a run of INSERT statements with the statement `[stmt_start, end)`, whose rows'
    /// leading fields are `lead`.
    pub fn extend(&mut self, stmt_start: u64, end: u64, lead: Lead) {
        self.end = end;
        self.widen_stretch(stmt_start, lead);
    }

    /// Widens the stretch that rows (or statements) starting at `at` belong to by `lead`, as
    /// [`Segment::stretch_at`] places them.
    pub fn widen_stretch(&mut self, at: u64, lead: Lead) {
        let current = self.stretch_at(at);
        *current = merge_lead(*current, lead);
    }

    /// The ranges of the stretch that a row (or a statement of a run) starting at `at` belongs
    /// to, for the caller to widen: `at` starts a new stretch when it is far enough from the
    /// last resume point.
    #[inline]
    pub fn stretch_at(&mut self, at: u64) -> &mut Lead {
        let last = self.resume_points.last().copied().unwrap_or(self.start);
        if at >= last + crate::tuning::resume_spacing() || self.lead.is_empty() {
            if !self.lead.is_empty() {
                self.resume_points.push(at);
            }
            self.lead.push(lead_empty(self.tracked));
        }
        let current = self.lead.len() - 1;
        &mut self.lead[current]
    }

    /// The stretches: `(start, end, leading fields)`, in dump order.
    pub fn stretches(&self) -> impl DoubleEndedIterator<Item = (u64, u64, Lead)> + '_ {
        (0..=self.resume_points.len()).map(move |i| {
            let start = if i == 0 {
                self.start
            } else {
                self.resume_points[i - 1]
            };
            let end = self.resume_points.get(i).copied().unwrap_or(self.end);
            let lead = self.lead.get(i).copied().unwrap_or(LEAD_ANY);
            (start, end, lead)
        })
    }

    /// The part `[start, end)` (both where rows, or statements of a run, start).
    pub fn part(&self, start: u64, end: u64) -> Segment {
        let mut part = Segment {
            start,
            end,
            resume_points: Vec::new(),
            lead: Vec::new(),
            ..self.clone()
        };
        for (s, e, lead) in self.stretches() {
            if e <= start || s >= end {
                continue;
            }
            if s > start {
                part.resume_points.push(s);
            }
            part.lead.push(lead);
        }
        if part.lead.is_empty() {
            part.lead.push(lead_empty(self.tracked));
        }
        part
    }
}

/// How a segment's rows are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentFormat {
    /// PostgreSQL COPY text rows, one per line, up to `\.`.
    CopyText,
    /// `INSERT ... VALUES` statements (either dialect).
    Insert,
}

/// Everything a first read of the dump yields.
#[derive(Debug)]
pub struct ScanResult {
    /// The resolved schema.
    pub schema: Schema,
    /// Every table's row segments, in dump order.
    pub segments: Vec<Segment>,
    /// Dump-wide facts.
    pub info: DumpInfo,
}

/// Reads one dialect's dumps.
pub trait DumpReader: Send + Sync {
    /// Which dialect this is.
    fn kind(&self) -> DialectKind;

    /// Reads the whole dump once: learns the schema, records segments and hands every row of a
    /// table the sink wants to it.
    ///
    /// # Errors
    /// Malformed input (with its byte offset), read failures, an inconsistent schema.
    fn scan(
        &mut self,
        input: &mut ByteStream<&mut dyn Read>,
        sink: &mut dyn RowSink,
    ) -> Result<ScanResult>;

    /// Reads one segment again; `input` is positioned at `segment.start`.
    ///
    /// # Errors
    /// As [`DumpReader::scan`].
    fn rescan(
        &self,
        input: &mut ByteStream<&mut dyn Read>,
        schema: &Schema,
        segment: &Segment,
        sink: &mut dyn RowSink,
    ) -> Result<()>;

    /// Reads one segment's rows last-first, when this reader can (one row per line can be read
    /// backwards; SQL statements cannot). Returns `false` if it cannot: the caller then reads
    /// forwards with [`DumpReader::rescan`].
    ///
    /// # Errors
    /// As [`DumpReader::scan`].
    fn rescan_backwards(
        &self,
        _file: &mut dyn SeekRead,
        _schema: &Schema,
        _segment: &Segment,
        _sink: &mut dyn RowSink,
    ) -> Result<bool> {
        Ok(false)
    }
}

/// A readable, seekable source (the dump file or its spool).
pub trait SeekRead: Read + Seek {}
impl<T: Read + Seek> SeekRead for T {}

/// What a patch writer needs besides the selection.
pub struct PatchContext<'a> {
    /// The dump's schema.
    pub schema: &'a Schema,
    /// Dump-wide facts (encoding, time zone).
    pub info: &'a DumpInfo,
    /// The rows, parents first.
    pub selection: &'a Selection,
    /// For the header: where the rows come from.
    pub source_name: &'a str,
    /// For the header: the `--since` instant as given and as resolved.
    pub since: &'a str,
}

/// Writes a replayable SQL patch for one dialect's client.
pub trait PatchWriter {
    /// Writes the whole patch.
    ///
    /// # Errors
    /// Write failures; values that cannot be expressed in the dialect.
    fn write(&self, out: &mut dyn Write, ctx: &PatchContext<'_>) -> Result<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(min: i64, max: i64) -> FieldRange {
        FieldRange { min, max }
    }

    #[test]
    fn field_ranges_hold_what_was_added() {
        let mut r = FieldRange::EMPTY;
        assert!(!r.may_hold(&[1, 2, 3]));
        r.add(Some(b"7"));
        r.add(Some(b"-3"));
        assert_eq!(r, ints(-3, 7));
        assert!(r.may_hold(&[-3]) && r.may_hold(&[7]) && r.may_hold(&[-10, 0, 100]));
        assert!(!r.may_hold(&[-4, 8, 100]) && !r.may_hold(&[]));
        let mut other = r;
        other.add(Some(b"007"));
        assert_eq!(other, FieldRange::ANY);
        let mut null = r;
        null.add(None);
        assert_eq!(null, r, "NULL matches no key");
        assert_eq!(r.merge(FieldRange::EMPTY), r);
        assert_eq!(r.merge(ints(10, 12)), ints(-3, 12));
        assert_eq!(r.merge(FieldRange::ANY), FieldRange::ANY);
        assert!(!FieldRange::ANY.may_hold(&[]), "no key, no match");
        assert!(FieldRange::ANY.may_hold(&[i64::MIN]) && FieldRange::ANY.may_hold(&[i64::MAX]));
        assert!(!FieldRange::EMPTY.may_hold(&[i64::MIN, 0, i64::MAX]));
    }

    /// A lead whose first field is `r` (the rest anything).
    fn first(r: FieldRange) -> Lead {
        let mut lead = LEAD_ANY;
        lead[0] = r;
        lead
    }

    #[test]
    fn parts_keep_the_ranges_of_their_stretches() {
        const S: u64 = crate::tuning::RESUME_SPACING;
        // Stretches [0,S) 1..5, [S,2S) 6..9, [2S,3S) anything.
        let mut seg = Segment::new(0, 0, SegmentFormat::Insert, vec![0], 1);
        seg.extend(0, 1, first(ints(1, 5)));
        seg.extend(S, 2 * S, first(ints(6, 9)));
        seg.extend(2 * S, 3 * S, LEAD_ANY);
        let all: Vec<_> = seg.stretches().collect();
        assert_eq!(
            all,
            [
                (0, S, first(ints(1, 5))),
                (S, 2 * S, first(ints(6, 9))),
                (2 * S, 3 * S, LEAD_ANY)
            ]
        );
        let part = seg.part(5, 2 * S);
        assert_eq!(part.resume_points, [S]);
        assert_eq!(part.lead, [first(ints(1, 5)), first(ints(6, 9))]);
        assert_eq!(
            part.stretches().next_back(),
            Some((S, 2 * S, first(ints(6, 9))))
        );
        let inside = seg.part(S + 1, S + 2);
        assert_eq!(inside.lead, [first(ints(6, 9))]);
    }

    #[test]
    fn stretches_are_merged_below_the_spacing() {
        let mut seg = Segment::new(0, 0, SegmentFormat::Insert, vec![0], 2);
        assert_eq!(seg.lead, [lead_empty(2)]);
        seg.extend(
            0,
            1,
            [ints(1, 5), ints(7, 7), FieldRange::ANY, FieldRange::ANY],
        );
        seg.extend(
            1,
            2,
            [
                ints(9, 9),
                FieldRange::ANY,
                FieldRange::ANY,
                FieldRange::ANY,
            ],
        );
        assert_eq!(seg.resume_points, Vec::<u64>::new());
        assert_eq!(
            seg.lead,
            [[
                ints(1, 9),
                FieldRange::ANY,
                FieldRange::ANY,
                FieldRange::ANY
            ]]
        );
        seg.stretch_at(crate::tuning::RESUME_SPACING.max(crate::tuning::resume_spacing()));
        assert_eq!(seg.lead.len(), seg.resume_points.len() + 1);
        assert_eq!(seg.stretches().count(), seg.lead.len());
    }

    #[test]
    fn detects_by_header_and_by_syntax() {
        assert_eq!(
            detect(b"--\n-- PostgreSQL database dump\n--\n"),
            Some(DialectKind::Postgres)
        );
        assert_eq!(
            detect(b"/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19"),
            Some(DialectKind::Mysql)
        );
        assert_eq!(
            detect(b"-- MySQL dump 10.13  Distrib 8.0.36"),
            Some(DialectKind::Mysql)
        );
        assert_eq!(
            detect(b"CREATE TABLE `a` (x int) ENGINE=InnoDB;\nINSERT INTO `a` VALUES (1);"),
            Some(DialectKind::Mysql)
        );
        assert_eq!(
            detect(b"SET client_encoding = 'UTF8';\nCOPY public.a (x) FROM stdin;\n"),
            Some(DialectKind::Postgres)
        );
        assert_eq!(detect(b"\x00\x01garbage"), None);
    }
}
