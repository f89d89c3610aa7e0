//! Test helpers shared by the dialect readers: a sink that records every row it is given, and
//! the every-path check — the same dump read whole, through one-byte reads and tiny refills,
//! and segment by segment through `rescan`, must give identical transcripts.

use std::io::Read;

use crate::dialect::{DumpReader, ScanResult};
use crate::error::Result;
use crate::row::{CellRef, RowAccess, RowSink};
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
