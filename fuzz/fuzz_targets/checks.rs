//! The checks behind the fuzz targets, one public function per target, shared with the
//! regression tests of the main crate (`tests/fuzz_regressions.rs` includes this file), so a
//! crash input kept in `testdata/fuzz/` is replayed through exactly the code that found it.
//!
//! Each function panics when the library panics or an oracle fails.

#![allow(dead_code)]

use std::io::{self, Read};
use std::path::Path;

use dbsalvage::cli::{DumpArgs, ExtractArgs, PatchArgs};
use dbsalvage::dialect::mysql::lexer::{self as mylex, Lex, Tokens};
use dbsalvage::dialect::mysql::values::{decode, insert_head, scan_tuple};
use dbsalvage::dialect::postgres::copy::{decode_bytea, decode_field, is_null, split_fields};
use dbsalvage::dialect::postgres::lexer::{statement_end, tokenize, unescape_string, StatementEnd};
use dbsalvage::dialect::{detect, DumpReader, ScanResult, Segment};
use dbsalvage::row::{CellRef, RowAccess, RowSink};
use dbsalvage::scan::ByteStream;
use dbsalvage::schema::{Table, TableId};

// ---------------------------------------------------------------------------------------------
// detect

/// `detect` never panics, and a byte-order mark changes nothing.
pub fn check_detect(data: &[u8]) {
    let kind = detect(data);
    if !data.starts_with(b"\xef\xbb\xbf") {
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend_from_slice(data);
        assert_eq!(detect(&bom), kind, "a BOM changed the detected dialect");
    }
}

// ---------------------------------------------------------------------------------------------
// pg_lexer

/// A few cut points (all of them for short inputs).
fn cuts(len: usize, all_below: usize, count: usize) -> Vec<usize> {
    if len <= all_below {
        (0..len).collect()
    } else {
        (0..len).step_by((len / count).max(1)).collect()
    }
}

fn check_shape(buf: &[u8], end: StatementEnd) {
    match end {
        StatementEnd::At(i) => {
            assert!(
                i < buf.len(),
                "terminator {i} beyond the buffer ({})",
                buf.len()
            );
            assert_eq!(buf[i], b';', "terminator at {i} is not a `;`");
        }
        StatementEnd::Incomplete { since, .. } => assert!(
            since < buf.len().max(1),
            "open construct at {since} beyond the buffer ({})",
            buf.len()
        ),
    }
}

/// `statement_end`, `tokenize`, `unescape_string` in both string modes; a terminator found in
/// a prefix of the window is final, and a prefix holding the terminator and more sees it.
pub fn check_pg_lexer(data: &[u8]) {
    for standard in [true, false] {
        let whole = statement_end(data, standard);
        check_shape(data, whole);
        for p in cuts(data.len(), 64, 32) {
            let part = statement_end(&data[..p], standard);
            check_shape(&data[..p], part);
            match (whole, part) {
                (_, StatementEnd::At(j)) => assert_eq!(
                    whole,
                    StatementEnd::At(j),
                    "prefix of {p} bytes ends at {j}, the whole at {whole:?} (standard={standard})"
                ),
                (StatementEnd::At(i), StatementEnd::Incomplete { .. }) => assert!(
                    p <= i + 1,
                    "prefix of {p} bytes holds the terminator at {i} but says {part:?} \
                     (standard={standard})"
                ),
                _ => {}
            }
        }
        if let Some(tokens) = tokenize(data, standard) {
            for t in &tokens {
                let _ = t.word();
                let _ = t.is_kw("select");
            }
        }
        let _ = unescape_string(data, !standard);
    }
}

// ---------------------------------------------------------------------------------------------
// pg_copy

/// COPY TO's text escaping.
fn copy_escape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for &b in raw {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            8 => out.extend_from_slice(b"\\b"),
            12 => out.extend_from_slice(b"\\f"),
            11 => out.extend_from_slice(b"\\v"),
            _ => out.push(b),
        }
    }
    out
}

fn bytea_hex(raw: &[u8]) -> Vec<u8> {
    let mut out = b"\\x".to_vec();
    for b in raw {
        out.extend_from_slice(format!("{b:02x}").as_bytes());
    }
    out
}

fn bytea_escape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for &b in raw {
        if b == b'\\' {
            out.extend_from_slice(b"\\\\");
        } else if !(0x20..0x7f).contains(&b) {
            out.extend_from_slice(format!("\\{b:03o}").as_bytes());
        } else {
            out.push(b);
        }
    }
    out
}

/// `split_fields`, `decode_field`, `decode_bytea` on arbitrary bytes, and round trips through
/// encoders written here from the documented formats.
pub fn check_pg_copy(data: &[u8]) {
    let mut spans = Vec::new();
    split_fields(data, &mut spans);
    let mut joined = Vec::new();
    for (k, &(s, e)) in spans.iter().enumerate() {
        assert!(s <= e && e <= data.len(), "span {s}..{e} outside the line");
        if k > 0 {
            joined.push(b'\t');
        }
        joined.extend_from_slice(&data[s..e]);
    }
    assert_eq!(joined, data, "the fields joined by tabs are not the line");

    let mut out = Vec::new();
    let mut bytes = Vec::new();
    for &(s, e) in &spans {
        let raw = &data[s..e];
        let _ = is_null(raw);
        if decode_field(raw, &mut out).is_ok() {
            assert!(
                out.len() <= raw.len(),
                "decoding a COPY field made it longer"
            );
            let _ = decode_bytea(&out, &mut bytes);
        }
    }
    let _ = decode_bytea(data, &mut bytes);

    decode_field(&copy_escape(data), &mut out).expect("an escaped field decodes");
    assert_eq!(out, data, "COPY escape round trip");
    decode_bytea(&bytea_hex(data), &mut bytes).expect("hex bytea decodes");
    assert_eq!(bytes, data, "bytea hex round trip");
    decode_bytea(&bytea_escape(data), &mut bytes).expect("escape-format bytea decodes");
    assert_eq!(bytes, data, "bytea escape round trip");
}

// ---------------------------------------------------------------------------------------------
// mysql_values

fn my_tuple(buf: &[u8]) {
    let mut fields = Vec::new();
    let mut exec = 0;
    let whole = scan_tuple(buf, 0, &mut exec, true, &mut fields);
    assert!(
        !matches!(whole, Ok(Lex::More)),
        "scan_tuple asks for more at eof"
    );
    let whole_fields = fields.clone();
    let whole_exec = exec;
    if let Ok(Lex::Done(end)) = whole {
        assert!(end <= buf.len(), "tuple end {end} beyond the buffer");
        let mut scratch = Vec::new();
        for f in &whole_fields {
            assert!(
                f.start <= f.end && f.end <= end,
                "field {f:?} outside the tuple"
            );
            let _ = decode(buf, f, &mut scratch);
        }
    }
    for p in cuts(buf.len(), 48, 24) {
        let mut exec = 0;
        let part = scan_tuple(&buf[..p], 0, &mut exec, false, &mut fields);
        match (&part, &whole) {
            (Ok(Lex::More), _) => {}
            (Ok(Lex::Done(e)), Ok(Lex::Done(w))) => {
                assert_eq!(e, w, "tuple end differs for a prefix of {p}");
                assert_eq!(fields, whole_fields, "fields differ for a prefix of {p}");
                assert_eq!(exec, whole_exec, "exec differs for a prefix of {p}");
            }
            (Err(a), Err(b)) => {
                assert_eq!(
                    a.at, b.at,
                    "error moves for a prefix of {p}: {a:?} vs {b:?}"
                )
            }
            _ => panic!("tuple: prefix of {p} gives {part:?}, the whole {whole:?}"),
        }
    }
}

fn my_head(buf: &[u8]) {
    let whole = insert_head(buf, true);
    assert!(
        !matches!(whole, Ok(Lex::More)),
        "insert_head asks for more at eof"
    );
    if let Ok(Lex::Done(Some(h))) = &whole {
        assert!(h.values_end <= buf.len(), "VALUES ends beyond the buffer");
    }
    for p in cuts(buf.len(), 48, 24) {
        let part = insert_head(&buf[..p], false);
        match (&part, &whole) {
            (Ok(Lex::More), _) => {}
            (Ok(a), Ok(b)) => assert_eq!(a, b, "insert head differs for a prefix of {p}"),
            (Err(a), Err(b)) => assert_eq!(a.at, b.at, "error moves for a prefix of {p}"),
            _ => panic!("insert head: prefix of {p} gives {part:?}, the whole {whole:?}"),
        }
    }
}

fn my_statement(buf: &[u8], delim: &[u8]) {
    let whole = mylex::statement_end(buf, delim, true);
    assert!(
        !matches!(whole, Ok(Lex::More)),
        "statement_end asks for more at eof"
    );
    if let Ok(Lex::Done((body, next))) = whole {
        assert!(
            body <= next && next <= buf.len(),
            "statement end beyond the buffer"
        );
        let text = mylex::normalize(&buf[..body]);
        assert!(
            text.is_ok(),
            "normalize fails on a delimited statement: {text:?}"
        );
        let _ = Tokens::new(&buf[..body], 0, true).collect_all();
    }
    for p in cuts(buf.len(), 48, 24) {
        let part = mylex::statement_end(&buf[..p], delim, false);
        match (&part, &whole) {
            (Ok(Lex::More), _) => {}
            (Ok(a), Ok(b)) => assert_eq!(a, b, "statement end differs for a prefix of {p}"),
            (Err(a), Err(b)) => assert_eq!(a.at, b.at, "error moves for a prefix of {p}"),
            _ => panic!("statement: prefix of {p} gives {part:?}, the whole {whole:?}"),
        }
    }
}

/// The MySQL lexer and VALUES parser as pure functions. The first byte picks what the rest is:
/// `% 3 == 0` a tuple (`(` added if missing), `1` an INSERT head, `2` a statement (delimiter
/// `;`, `;;`, `$$` or `//` by `/ 3 % 4`). An answer given for a prefix of the window (eof =
/// false) is final — the whole input must give the same — and at end of input no function may
/// ask for more.
pub fn check_mysql_values(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    match sel % 3 {
        0 => {
            let mut buf = Vec::with_capacity(rest.len() + 1);
            if rest.first() != Some(&b'(') {
                buf.push(b'(');
            }
            buf.extend_from_slice(rest);
            my_tuple(&buf);
        }
        1 => my_head(rest),
        _ => {
            let delims: [&[u8]; 4] = [b";", b";;", b"$$", b"//"];
            my_statement(rest, delims[usize::from(sel / 3) % 4]);
        }
    }
    let _ = Tokens::new(rest, 0, true).collect_all();
}

// ---------------------------------------------------------------------------------------------
// pg_scan, mysql_scan
/// Records `table@offset: cell | cell | …` for every row.
#[derive(Default)]
pub struct RecordingSink {
    pub lines: Vec<String>,
    /// Offer readers a screen that keeps every row (so that they share windows with a helper).
    pub screen_all: bool,
}

/// Keeps every row.
struct KeepAll;

impl dbsalvage::row::RowScreen for KeepAll {
    fn keeps(&self, _: &mut dyn RowAccess) -> bool {
        true
    }
}

impl RowSink for RecordingSink {
    fn wants(&mut self, _: &[Table], _: TableId) -> bool {
        true
    }

    fn row(
        &mut self,
        tables: &[Table],
        table: TableId,
        row: &mut dyn RowAccess,
    ) -> dbsalvage::Result<()> {
        let t = &tables[table];
        // The table by id: a name read before the end of the dump may still change (a single
        // `\connect`ed database is dropped from the names at the end).
        let mut line = format!("table {table}@{}:", row.offset());
        for c in 0..t.columns.len() {
            let cell = match row.cell(c)? {
                CellRef::Absent => "<absent>".to_string(),
                CellRef::Null => "<null>".to_string(),
                CellRef::Value(v) => format!("{:?}", String::from_utf8_lossy(v)),
            };
            line.push(' ');
            line.push_str(&cell);
        }
        self.lines.push(line);
        Ok(())
    }

    fn screen(&mut self, _: &[Table], _: TableId) -> Option<Box<dyn dbsalvage::row::RowScreen>> {
        self.screen_all
            .then(|| Box::new(KeepAll) as Box<dyn dbsalvage::row::RowScreen>)
    }
}

/// A reader that hands out one byte per call.
pub struct OneByte<'a>(pub &'a [u8]);

impl Read for OneByte<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((b, rest)), Some(out)) => {
                *out = *b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

/// What one scan gave: the result (or the error's text) and the rows handed over before.
pub struct Outcome {
    pub result: Result<ScanResult, String>,
    pub lines: Vec<String>,
}

/// Scans `dump` with `reader`: whole (`min_read` None) or with tiny refills from a one-byte
/// reader.
pub fn scan(reader: &mut dyn DumpReader, dump: &[u8], min_read: Option<usize>) -> Outcome {
    scan_with(reader, dump, min_read, RecordingSink::default())
}

fn scan_with(
    reader: &mut dyn DumpReader,
    dump: &[u8],
    min_read: Option<usize>,
    mut sink: RecordingSink,
) -> Outcome {
    let mut whole: &[u8] = dump;
    let mut single = OneByte(dump);
    let (raw, n): (&mut dyn Read, usize) = match min_read {
        None => (&mut whole, 64 * 1024),
        Some(n) => (&mut single, n),
    };
    let mut stream = ByteStream::with_min_read(raw, 0, n);
    let result = reader
        .scan(&mut stream, &mut sink)
        .map_err(|e| e.to_string());
    Outcome {
        result,
        lines: sink.lines,
    }
}

/// Rescans one segment from `dump` (forwards, whole or by one-byte refills).
fn rescan(
    reader: &dyn DumpReader,
    scan: &ScanResult,
    seg: &Segment,
    dump: &[u8],
    min_read: Option<usize>,
) -> Result<Vec<String>, String> {
    let bytes = &dump[seg.start as usize..seg.end as usize];
    let mut sink = RecordingSink::default();
    let mut whole: &[u8] = bytes;
    let mut single = OneByte(bytes);
    let (raw, n): (&mut dyn Read, usize) = match min_read {
        None => (&mut whole, 64 * 1024),
        Some(n) => (&mut single, n),
    };
    let mut stream = ByteStream::with_min_read(raw, seg.start, n);
    reader
        .rescan(&mut stream, &scan.schema, seg, &mut sink)
        .map_err(|e| e.to_string())?;
    Ok(sink.lines)
}

/// The every-path oracle: the same transcript (and outcome) read whole and through one-byte
/// refills; when the scan succeeds, every segment lies inside the dump and re-reading the
/// segments (forwards, and backwards where the reader can) gives the same rows again.
/// `make(split)` makes a reader that shares first-read windows of at least `split` bytes with a
/// helper thread (`None`: never).
pub fn every_path(make: &dyn Fn(Option<usize>) -> Box<dyn DumpReader>, dump: &[u8]) {
    let mut reader = make(None);
    let whole = scan(reader.as_mut(), dump, None);
    let mut other_reader = make(None);
    let tiny = scan(other_reader.as_mut(), dump, Some(1));
    assert_eq!(
        whole.lines, tiny.lines,
        "transcript differs between a whole read and one-byte refills"
    );
    // Every window shared with a helper thread (whose screen keeps every row): the same reading.
    let sink = RecordingSink {
        screen_all: true,
        ..RecordingSink::default()
    };
    let shared = scan_with(make(Some(1)).as_mut(), dump, None, sink);
    assert_eq!(
        whole.lines, shared.lines,
        "transcript differs when windows are shared with a helper"
    );
    match (&whole.result, &shared.result) {
        (Ok(a), Ok(b)) => assert_eq!(a.segments, b.segments, "segments differ when shared"),
        (Err(a), Err(b)) => assert_eq!(a, b, "error differs when shared"),
        (a, b) => panic!(
            "outcome differs when shared: alone {:?}, shared {:?}",
            a.as_ref().map(|_| ()),
            b.as_ref().map(|_| ())
        ),
    }
    match (&whole.result, &tiny.result) {
        (Ok(a), Ok(b)) => {
            assert_eq!(
                a.segments, b.segments,
                "segments differ with one-byte refills"
            );
            assert_eq!(
                a.info.complete, b.info.complete,
                "end marker seen differently with one-byte refills"
            );
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "error differs with one-byte refills"),
        (a, b) => panic!(
            "outcome differs with one-byte refills: whole {:?}, tiny {:?}",
            a.as_ref().map(|_| ()),
            b.as_ref().map(|_| ())
        ),
    }
    let Ok(result) = &whole.result else { return };
    let mut again = Vec::new();
    for seg in &result.segments {
        assert!(
            seg.start <= seg.end && seg.end as usize <= dump.len(),
            "segment {seg:?} outside the dump of {} bytes",
            dump.len()
        );
        let forwards = rescan(reader.as_ref(), result, seg, dump, None)
            .unwrap_or_else(|e| panic!("rescan of {seg:?} failed after a clean scan: {e}"));
        let tiny = rescan(reader.as_ref(), result, seg, dump, Some(1))
            .unwrap_or_else(|e| panic!("one-byte rescan of {seg:?} failed: {e}"));
        assert_eq!(forwards, tiny, "rescan differs with one-byte refills");
        let mut cursor = io::Cursor::new(dump);
        let mut back = RecordingSink::default();
        match reader.rescan_backwards(&mut cursor, &result.schema, seg, &mut back) {
            Ok(true) => {
                back.lines.reverse();
                assert_eq!(forwards, back.lines, "backwards rescan differs");
            }
            Ok(false) => {}
            Err(e) => panic!("backwards rescan of {seg:?} failed after a clean scan: {e}"),
        }
        again.extend(forwards);
    }
    let mut first = whole.lines;
    first.sort();
    again.sort();
    assert_eq!(first, again, "re-reading the segments gives other rows");
}

// ---------------------------------------------------------------------------------------------
// extract

/// What [`run_extract`] did.
pub struct ExtractOutcome {
    /// `extract` succeeded (and `patch` rebuilt the same patch from its JSON).
    pub ok: bool,
}

/// `extract --since 2020-01-01 --sql --json` on `data` written to `dir/dump.sql`; when it
/// succeeds, `patch` must accept the JSON — every value of every class: `extract` refuses a
/// value that does not fit its column by the rules `patch` reads it back with — and rebuild the
/// same patch (comment lines aside).
pub fn check_extract(data: &[u8], dir: &Path) -> ExtractOutcome {
    let dump = dir.join("dump.sql");
    let sql = dir.join("patch.sql");
    let json = dir.join("rows.json");
    let again = dir.join("again.sql");
    for p in [&sql, &json, &again] {
        let _ = std::fs::remove_file(p);
    }
    std::fs::write(&dump, data).expect("write the dump");
    let args = ExtractArgs {
        since: "2020-01-01 00:00:00".into(),
        dump: DumpArgs {
            spool_dir: Some(dir.to_path_buf()),
            ..DumpArgs::quiet_file(dump.clone())
        },
        sql: Some(sql.clone()),
        json: Some(json.clone()),
        json_lines: false,
        dry_run: false,
    };
    if dbsalvage::extract::run(&args).is_err() {
        return ExtractOutcome { ok: false };
    }
    let replay = dbsalvage::replay::run(&PatchArgs {
        json_file: json.clone(),
        sql: again.clone(),
        schema: None,
        allow_dangling: false,
        quiet: true,
    });
    if let Err(e) = &replay {
        panic!("`patch` refuses the JSON `extract` just wrote: {e}");
    }
    let first = std::fs::read(&sql).expect("patch written");
    let second = std::fs::read(&again).expect("rebuilt patch written");
    let strip = |sql: &[u8]| -> Vec<Vec<u8>> {
        sql.split(|&b| b == b'\n')
            .filter(|l| !l.starts_with(b"--"))
            .map(<[u8]>::to_vec)
            .collect()
    };
    assert!(
        strip(&first) == strip(&second),
        "the patch rebuilt from the JSON differs from extract's:\n--- extract\n{}\n--- patch\n{}",
        String::from_utf8_lossy(&first),
        String::from_utf8_lossy(&second)
    );
    ExtractOutcome { ok: true }
}
