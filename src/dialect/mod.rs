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

use crate::error::Result;
use crate::row::RowSink;
use crate::scan::ByteStream;
use crate::schema::{Schema, TableId};
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
        match self {
            DialectKind::Postgres => Box::new(postgres::PostgresReader::new()),
            DialectKind::Mysql => Box::new(mysql::MysqlReader::new()),
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
    /// Offsets, after `start`, where a statement of a run of INSERTs starts, about every
    /// [`RESUME_SPACING`] bytes: a run can be read backwards one stretch at a time from them.
    pub resume_points: Vec<u64>,
}

/// The least distance between two [`Segment::resume_points`].
pub const RESUME_SPACING: u64 = 1 << 20;

/// [`RESUME_SPACING`], or `DBSALVAGE_RESUME_SPACING` from the environment: tests set it tiny so
/// that runs of INSERTs in small dumps are read backwards and cut into pieces at every statement.
fn resume_spacing() -> u64 {
    static SPACING: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *SPACING.get_or_init(|| {
        std::env::var("DBSALVAGE_RESUME_SPACING")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n| n > 0)
            .unwrap_or(RESUME_SPACING)
    })
}

impl Segment {
    /// Extends a run of INSERT statements with the statement `[stmt_start, end)`.
    pub fn extend(&mut self, stmt_start: u64, end: u64) {
        let last = self.resume_points.last().copied().unwrap_or(self.start);
        if stmt_start >= last + resume_spacing() {
            self.resume_points.push(stmt_start);
        }
        self.end = end;
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
