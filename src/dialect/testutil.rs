//! Test helpers shared by the dialect readers: a sink that records every row it is given, and
//! the every-path check — the same dump read whole, through one-byte reads and tiny refills,
//! and segment by segment through `rescan`, must give identical transcripts.

use std::io::Read;

use crate::dialect::{DumpReader, ScanResult, Segment};
use crate::error::Result;
use crate::row::{CellRef, RowAccess, RowScreen, RowSink};
use crate::scan::tests::OneByte;
use crate::scan::ByteStream;
use crate::schema::{Table, TableId};

/// Records `table@offset: cell | cell | …` for every row.
#[derive(Default)]
pub struct RecordingSink {
    /// One line per row.
    pub lines: Vec<String>,
}

impl RowSink for RecordingSink {
    fn wants(&mut self, _: &[Table], _: TableId) -> bool {
        true
    }

    fn row(&mut self, tables: &[Table], table: TableId, row: &mut dyn RowAccess) -> Result<()> {
        let t = &tables[table];
        let mut line = format!("{}@{}:", t.name, row.offset());
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
}

/// Scans `dump` with a fresh reader from `make`, refilling at least `min_read` bytes at a time
/// from a reader that yields `chunk` bytes per call (0 = all at once).
pub fn scan_with(
    make: &dyn Fn() -> Box<dyn DumpReader>,
    dump: &[u8],
    min_read: Option<usize>,
    one_byte: bool,
) -> Result<(Box<dyn DumpReader>, ScanResult, Vec<String>)> {
    let mut reader = make();
    let mut sink = RecordingSink::default();
    let mut whole: &[u8] = dump;
    let mut single = OneByte(dump);
    let raw: &mut dyn Read = if one_byte { &mut single } else { &mut whole };
    let mut stream = match min_read {
        Some(n) => ByteStream::with_min_read(raw, 0, n),
        None => ByteStream::new(raw, 0),
    };
    let scan = reader.scan(&mut stream, &mut sink)?;
    Ok((reader, scan, sink.lines))
}

/// The every-path check; returns the transcript of the whole read.
pub fn every_path(make: &dyn Fn() -> Box<dyn DumpReader>, dump: &[u8]) -> Vec<String> {
    let (reader, scan, whole) = scan_with(make, dump, None, false).expect("whole read");
    for (min_read, one_byte) in [(Some(1), true), (Some(7), false), (Some(64), true)] {
        let (_, _, other) = scan_with(make, dump, min_read, one_byte).expect("chunked read");
        assert_eq!(
            whole, other,
            "transcript differs with min_read={min_read:?} one_byte={one_byte}"
        );
    }
    // Re-reading every segment gives the same rows again.
    let mut again = Vec::new();
    for seg in &scan.segments {
        let mut sink = RecordingSink::default();
        let bytes = &dump[seg.start as usize..seg.end as usize];
        for min_read in [None, Some(1)] {
            let mut slice: &[u8] = bytes;
            let raw: &mut dyn Read = &mut slice;
            let mut stream = match min_read {
                Some(n) => ByteStream::with_min_read(raw, seg.start, n),
                None => ByteStream::new(raw, seg.start),
            };
            sink.lines.clear();
            reader
                .rescan(&mut stream, &scan.schema, seg, &mut sink)
                .expect("rescan");
        }
        again.extend(sink.lines);
        // Backwards, where the reader can: the same rows, last first.
        let mut cursor = std::io::Cursor::new(dump);
        let mut back = RecordingSink::default();
        if reader
            .rescan_backwards(&mut cursor, &scan.schema, seg, &mut back)
            .expect("backwards rescan")
        {
            let mut forwards = RecordingSink::default();
            let mut slice: &[u8] = bytes;
            let raw: &mut dyn Read = &mut slice;
            let mut stream = ByteStream::new(raw, seg.start);
            reader
                .rescan(&mut stream, &scan.schema, seg, &mut forwards)
                .expect("rescan");
            back.lines.reverse();
            assert_eq!(
                forwards.lines, back.lines,
                "backwards read of a segment differs"
            );
        }
    }
    let mut sorted_whole = whole.clone();
    sorted_whole.sort();
    again.sort();
    assert_eq!(
        sorted_whole, again,
        "re-reading the segments gives other rows"
    );
    whole
}

/// Acts on every third row only (by offset), recording it as [`RecordingSink`] does, and says so
/// through its screen: a reader sharing windows with a helper hands it only those rows.
#[derive(Default)]
pub struct EveryThird {
    /// One line per row acted on.
    pub lines: RecordingSink,
}

struct EveryThirdScreen;

impl RowScreen for EveryThirdScreen {
    fn keeps(&self, row: &mut dyn RowAccess) -> bool {
        row.offset() % 3 == 0
    }
}

impl RowSink for EveryThird {
    fn wants(&mut self, _: &[Table], _: TableId) -> bool {
        true
    }

    fn row(&mut self, tables: &[Table], table: TableId, row: &mut dyn RowAccess) -> Result<()> {
        if row.offset() % 3 != 0 {
            return Ok(());
        }
        self.lines.row(tables, table, row)
    }

    fn screen(&mut self, _: &[Table], _: TableId) -> Option<Box<dyn RowScreen>> {
        Some(Box::new(EveryThirdScreen))
    }
}

/// Reads `dump` with a reader from `make(split)` (sharing first-read windows of at least
/// `split` bytes with a helper thread), refilling `min_read` bytes at a time, into
/// [`EveryThird`]: the segments and the rows acted on.
pub fn split_scan(
    make: &dyn Fn(Option<usize>) -> Box<dyn DumpReader>,
    dump: &[u8],
    split: Option<usize>,
    min_read: usize,
) -> Result<(Vec<Segment>, Vec<String>)> {
    let mut reader = make(split);
    let mut sink = EveryThird::default();
    let mut whole: &[u8] = dump;
    let raw: &mut dyn Read = &mut whole;
    let mut stream = ByteStream::with_min_read(raw, 0, min_read);
    let scan = reader.scan(&mut stream, &mut sink)?;
    Ok((scan.segments, sink.lines.lines))
}

/// Reading `dump` with windows of every size shared with a helper gives the segments and rows of
/// a read without one.
pub fn shared_reads_the_same(make: &dyn Fn(Option<usize>) -> Box<dyn DumpReader>, dump: &[u8]) {
    let (segments, lines) = split_scan(make, dump, None, 4096).expect("read alone");
    assert!(lines.len() > 2, "{lines:?}");
    for split in [1, 100, 5000] {
        for min_read in [1, 64, 4096, 1 << 20] {
            let (s, l) = split_scan(make, dump, Some(split), min_read).expect("shared read");
            assert_eq!(l, lines, "split {split}, min_read {min_read}");
            assert_eq!(s, segments, "split {split}, min_read {min_read}");
        }
    }
}

/// A broken `dump` gives the same error whether its windows are shared with a helper or not;
/// returns it.
pub fn shared_fails_the_same(
    make: &dyn Fn(Option<usize>) -> Box<dyn DumpReader>,
    dump: &[u8],
) -> String {
    let alone = match split_scan(make, dump, None, 1 << 20) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    };
    for min_read in [64, 4096, 1 << 20] {
        match split_scan(make, dump, Some(1), min_read) {
            Ok(_) => panic!("no error when shared, min_read {min_read}"),
            Err(e) => assert_eq!(e.to_string(), alone, "min_read {min_read}"),
        }
    }
    alone
}
