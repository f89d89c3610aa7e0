//! Rows as the selection engine sees them, whatever dialect they came from.
//!
//! A reader hands each data row to a [`RowSink`] as a [`RowAccess`]: a borrowed view that decodes
//! a cell only when asked (most rows of a dump are looked at for one or two columns and dropped).
//! Cells are the value's *text form* in the dump's encoding, exactly as the server prints it
//! (PostgreSQL COPY text; MySQL the unescaped literal, binary as raw bytes), so the same value
//! compares equal whichever way the dump wrote it. Only selected rows are copied into an owned
//! [`Row`].

use crate::error::Result;
use crate::schema::{Table, TableId};

/// One decoded cell, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellRef<'a> {
    /// The dump does not carry this column for this row (a generated column pg_dump omits).
    Absent,
    /// SQL NULL.
    Null,
    /// The value's text form (raw bytes for binary columns in MySQL).
    Value(&'a [u8]),
}

/// One decoded cell, owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cell {
    /// Not carried by the dump.
    Absent,
    /// SQL NULL.
    Null,
    /// The value's text form.
    Value(Box<[u8]>),
}

impl Cell {
    /// Borrow it.
    pub fn as_ref(&self) -> CellRef<'_> {
        match self {
            Cell::Absent => CellRef::Absent,
            Cell::Null => CellRef::Null,
            Cell::Value(v) => CellRef::Value(v),
        }
    }

    /// The bytes, when it holds a value.
    pub fn value(&self) -> Option<&[u8]> {
        match self {
            Cell::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl From<CellRef<'_>> for Cell {
    fn from(c: CellRef<'_>) -> Cell {
        match c {
            CellRef::Absent => Cell::Absent,
            CellRef::Null => Cell::Null,
            CellRef::Value(v) => Cell::Value(v.into()),
        }
    }
}

/// An owned row in its table's column order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Row {
    /// One cell per column of the table.
    pub cells: Box<[Cell]>,
    /// Byte offset of the row in the decompressed dump (for messages and stable order).
    pub offset: u64,
}

/// A row being read, decoded on demand. Column indexes are the table's (declaration order).
pub trait RowAccess {
    /// Byte offset of the row in the decompressed dump.
    fn offset(&self) -> u64;

    /// The cell of column `col`.
    ///
    /// # Errors
    /// A value that cannot be decoded (bad escape), with its position.
    fn cell(&mut self, col: usize) -> Result<CellRef<'_>>;

    /// Every cell, owned, in column order.
    ///
    /// # Errors
    /// As [`RowAccess::cell`].
    fn to_row(&mut self, columns: usize) -> Result<Row> {
        let mut cells = Vec::with_capacity(columns);
        for c in 0..columns {
            cells.push(Cell::from(self.cell(c)?));
        }
        Ok(Row {
            cells: cells.into_boxed_slice(),
            offset: self.offset(),
        })
    }
}

/// Receives the rows a reader finds.
pub trait RowSink {
    /// Does the sink want the rows of `table`? Readers skip decoding rows of tables it does not.
    fn wants(&mut self, tables: &[Table], table: TableId) -> bool;

    /// The dump declares the time zone its session-zoned values are written in (MySQL
    /// `SET TIME_ZONE='+00:00'`). Readers call this before the rows it applies to.
    ///
    /// # Errors
    /// A zone the sink cannot use.
    fn session_time_zone(&mut self, _zone: &str) -> Result<()> {
        Ok(())
    }

    /// One row of `table` (the table as the dump names it; may be a partition leaf).
    ///
    /// # Errors
    /// Whatever the sink finds wrong with the row; it stops the read.
    fn row(&mut self, tables: &[Table], table: TableId, row: &mut dyn RowAccess) -> Result<()>;

    /// A test of `table`'s rows that a reader may run on other threads ahead of this sink (see
    /// [`RowScreen`]), or `None` when every row must reach [`RowSink::row`].
    fn screen(&mut self, _tables: &[Table], _table: TableId) -> Option<Box<dyn RowScreen>> {
        None
    }
}

/// A sink's test of rows, safe to share between threads. A reader that splits its work with
/// helper threads has them screen rows, and hands the sink, in dump order, only the rows they
/// keep (and every row it reads itself): the sink must end up exactly as if it had seen them all.
pub trait RowScreen: Send + Sync {
    /// Might the sink do anything with this row — keep it, or find it broken? `false` only
    /// when [`RowSink::row`] would leave the sink as it is.
    fn keeps(&self, row: &mut dyn RowAccess) -> bool;
}

/// An exact, compact key: the cells of some columns, length-prefixed and concatenated. Never a
/// hash: two different keys never compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key(Box<[u8]>);

impl Key {
    /// Builds the key of `columns` from a row being read, into `buf` (reused). `None` when a
    /// column is NULL or absent: such a row references nothing (MATCH SIMPLE).
    ///
    /// # Errors
    /// As [`RowAccess::cell`].
    pub fn read(
        row: &mut dyn RowAccess,
        columns: &[usize],
        map: Option<&[usize]>,
        buf: &mut Vec<u8>,
    ) -> Result<bool> {
        buf.clear();
        for (i, &c) in columns.iter().enumerate() {
            let c = map.map_or(c, |m| m[c]);
            if c == usize::MAX {
                return Ok(false);
            }
            match row.cell(c)? {
                CellRef::Value(v) => push_part(buf, v, i + 1 == columns.len()),
                CellRef::Null | CellRef::Absent => return Ok(false),
            }
        }
        Ok(true)
    }

    /// The key of `columns` in an owned row.
    pub fn of_row(row: &Row, columns: &[usize]) -> Option<Key> {
        let mut buf = Vec::new();
        Key::build(row, columns, &mut buf).then(|| Key(buf.into_boxed_slice()))
    }

    /// Builds the key of `columns` in an owned row into `buf` (reused); false when a column is
    /// NULL or absent.
    pub fn build(row: &Row, columns: &[usize], buf: &mut Vec<u8>) -> bool {
        buf.clear();
        for (i, &c) in columns.iter().enumerate() {
            let Some(v) = row.cells.get(c).and_then(Cell::value) else {
                return false;
            };
            push_part(buf, v, i + 1 == columns.len());
        }
        true
    }

    /// Wraps bytes built by [`Key::read`].
    pub fn from_buf(buf: &[u8]) -> Key {
        Key(buf.into())
    }

    /// The encoded bytes (to look a borrowed key up in a set).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::borrow::Borrow<[u8]> for Key {
    fn borrow(&self) -> &[u8] {
        &self.0
    }
}

/// A set of exact keys, as the selection's indexes hold them.
///
/// Most keys are single serial ids, so a key whose bytes are a canonical decimal integer (no
/// `+`, no leading zero, no `-0`, within `i64`) is held as that integer: hashed and compared
/// without a pointer to follow. The mapping is one-to-one (the integer prints back as exactly
/// those bytes), and no other key can look like one (a multi-column key starts with a length
/// holding zero bytes), so the set stays exact.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    ints: rustc_hash::FxHashSet<i64>,
    other: rustc_hash::FxHashSet<Key>,
}

impl KeySet {
    /// Adds `key` (as built by [`Key::read`] or [`Key::of_row`]); false when already there.
    pub fn insert(&mut self, key: &[u8]) -> bool {
        match canonical_int(key) {
            Some(i) => self.ints.insert(i),
            None if self.other.contains(key) => false,
            None => self.other.insert(Key::from_buf(key)),
        }
    }

    /// Makes room for `additional` more keys (counted as integers, the usual kind).
    pub fn reserve(&mut self, additional: usize) {
        self.ints.reserve(additional);
    }

    /// Is `key` in the set?
    pub fn contains(&self, key: &[u8]) -> bool {
        match canonical_int(key) {
            Some(i) => self.ints.contains(&i),
            None => self.other.contains(key),
        }
    }

    /// Removes `key`; false when it was not there.
    pub fn remove(&mut self, key: &[u8]) -> bool {
        match canonical_int(key) {
            Some(i) => self.ints.remove(&i),
            None => self.other.remove(key),
        }
    }

    /// No key at all?
    pub fn is_empty(&self) -> bool {
        self.ints.is_empty() && self.other.is_empty()
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.ints.len() + self.other.len()
    }

    /// Every key as an integer, sorted, when every key is a canonical integer.
    pub fn sorted_ints(&self) -> Option<Vec<i64>> {
        if !self.other.is_empty() {
            return None;
        }
        let mut ints: Vec<i64> = self.ints.iter().copied().collect();
        ints.sort_unstable();
        Some(ints)
    }

    /// Every key, as owned bytes (order unspecified).
    pub fn keys(&self) -> Vec<Key> {
        let ints = self
            .ints
            .iter()
            .map(|i| Key::from_buf(i.to_string().as_bytes()));
        ints.chain(self.other.iter().cloned()).collect()
    }
}

/// The integer whose decimal text is exactly `b`, if there is one (no `+`, no leading zero, no
/// `-0`; at most 18 digits).
#[inline]
pub fn canonical_int(b: &[u8]) -> Option<i64> {
    let (negative, digits) = match b.split_first()? {
        (b'-', rest) => (true, rest),
        _ => (false, b),
    };
    // At most 18 digits always fit; longer texts take the exact path.
    if digits.is_empty() || digits.len() > 18 || (digits[0] == b'0' && (b.len() > 1)) {
        return None;
    }
    let mut v: i64 = 0;
    for &d in digits {
        let d = d.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + i64::from(d);
    }
    Some(if negative { -v } else { v })
}

fn push_part(buf: &mut Vec<u8>, v: &[u8], last: bool) {
    // The last part needs no length: the parts before it fix where it starts.
    if !last {
        buf.extend_from_slice(&(v.len() as u64).to_le_bytes());
    }
    buf.extend_from_slice(v);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[Option<&str>]) -> Row {
        Row {
            cells: cells
                .iter()
                .map(|c| match c {
                    Some(v) => Cell::Value(v.as_bytes().into()),
                    None => Cell::Null,
                })
                .collect(),
            offset: 0,
        }
    }

    #[test]
    fn composite_keys_do_not_collide_on_concatenation() {
        let a = Key::of_row(&row(&[Some("ab"), Some("c")]), &[0, 1]).unwrap();
        let b = Key::of_row(&row(&[Some("a"), Some("bc")]), &[0, 1]).unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn key_sets_are_exact_for_integer_looking_keys() {
        let mut set = KeySet::default();
        for k in ["42", "-7", "0", "123456789012345678"] {
            assert!(set.insert(k.as_bytes()));
            assert!(!set.insert(k.as_bytes()));
        }
        for k in [
            "042",
            "+42",
            "-0",
            "00",
            "42 ",
            "4a",
            "-",
            "",
            "1234567890123456789",
        ] {
            assert!(!set.contains(k.as_bytes()), "{k:?}");
            assert!(set.insert(k.as_bytes()), "{k:?}");
            assert!(set.contains(k.as_bytes()), "{k:?}");
        }
        assert!(set.contains(b"42") && set.contains(b"-7") && set.contains(b"0"));
        let composite = Key::of_row(&row(&[Some("4"), Some("2")]), &[0, 1]).unwrap();
        assert!(!set.contains(composite.as_bytes()));
        let mut keys: Vec<String> = set
            .keys()
            .iter()
            .map(|k| String::from_utf8_lossy(k.as_bytes()).into_owned())
            .collect();
        keys.sort();
        assert_eq!(keys.len(), set.len());
        assert!(keys.contains(&"-7".to_string()) && keys.contains(&"042".to_string()));
        assert!(set.remove(b"42") && !set.contains(b"42") && set.contains(b"042"));
    }

    #[test]
    fn null_makes_no_key() {
        assert!(Key::of_row(&row(&[None, Some("c")]), &[0, 1]).is_none());
    }
}
