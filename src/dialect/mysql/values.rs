//! `INSERT … VALUES` statements: the head, the row tuples, and lazy cell decoding.
//!
//! [`scan_tuple`] looks at one `( … )` tuple in the window and records where each value lies
//! and what kind of literal it is, validating the literal as it goes (so malformed input is an
//! error even for rows nobody wants); [`TupleRow`] decodes a value only when the sink asks for
//! it, borrowing from the window when the text needs no decoding and using a reused scratch
//! buffer otherwise.

use super::lexer::{find2, is_space, is_word_byte, skip_inside, skip_quoted, unescape_into};
use super::lexer::{Lex, LexError, LexResult, Tok, Tokens};
use crate::error::Result;
use crate::row::{CellRef, RowAccess};

/// The kind of literal a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `NULL`.
    Null,
    /// Text used as it is: a number, or a string body without escapes.
    Plain,
    /// A string body with backslash escapes or doubled quotes (the quote byte).
    Escaped(u8),
    /// Hex digits of `0x…` / `X'…'`.
    Hex,
    /// Binary digits of `b'…'` / `0b…`.
    Bits,
    /// `TRUE`.
    True,
    /// `FALSE`.
    False,
}

/// Where one value of a tuple lies in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Start of the value's text (for strings: after the opening quote).
    pub start: usize,
    /// End of the value's text.
    pub end: usize,
    /// What it is.
    pub kind: Kind,
}

/// The head of an `INSERT`/`REPLACE … VALUES` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsertHead {
    /// `db` of `` `db`.`t` ``, raw bytes.
    pub database: Option<Vec<u8>>,
    /// The table name, raw bytes.
    pub table: Vec<u8>,
    /// The column list, if any.
    pub columns: Option<Vec<Vec<u8>>>,
    /// Offset just past the `VALUES` keyword.
    pub values_end: usize,
    /// Executable comments still open there (`/*!40000 INSERT … */`).
    pub exec: u32,
}

/// Parses the head of a statement starting with `INSERT` or `REPLACE`. `Ok(Done(None))` when
/// it is not a `VALUES` insert (`INSERT … SELECT`, `INSERT … SET`).
///
/// # Errors
/// Unterminated strings or comments in the head.
pub fn insert_head(buf: &[u8], eof: bool) -> LexResult<Option<InsertHead>> {
    let mut toks = Tokens::new(buf, 0, eof);
    macro_rules! tok {
        () => {
            match toks.next_tok()? {
                Lex::More => return Ok(Lex::More),
                Lex::Done(None) => return Ok(Lex::Done(None)),
                Lex::Done(Some((_, t))) => t,
            }
        };
    }
    let mut t = tok!();
    if !(t.is("INSERT") || t.is("REPLACE")) {
        return Ok(Lex::Done(None));
    }
    t = tok!();
    while t.is("LOW_PRIORITY") || t.is("DELAYED") || t.is("HIGH_PRIORITY") || t.is("IGNORE") {
        t = tok!();
    }
    if t.is("INTO") {
        t = tok!();
    }
    let Some(first) = t.ident().map(|c| c.into_owned()) else {
        return Ok(Lex::Done(None));
    };
    let (mut database, mut table) = (None, first);
    t = tok!();
    if t == Tok::Punct(b'.') {
        t = tok!();
        let Some(name) = t.ident().map(|c| c.into_owned()) else {
            return Ok(Lex::Done(None));
        };
        database = Some(std::mem::replace(&mut table, name));
        t = tok!();
    }
    if t.is("PARTITION") {
        // PARTITION (p0, p1): not produced by dumps; skip the list.
        if tok!() != Tok::Punct(b'(') {
            return Ok(Lex::Done(None));
        }
        loop {
            t = tok!();
            if t == Tok::Punct(b')') {
                break;
            }
        }
        t = tok!();
    }
    let mut columns = None;
    if t == Tok::Punct(b'(') {
        let mut list = Vec::new();
        loop {
            t = tok!();
            if t == Tok::Punct(b')') && list.is_empty() {
                break;
            }
            let Some(name) = t.ident().map(|c| c.into_owned()) else {
                return Ok(Lex::Done(None));
            };
            list.push(name);
            t = tok!();
            match t {
                Tok::Punct(b',') => {}
                Tok::Punct(b')') => break,
                _ => return Ok(Lex::Done(None)),
            }
        }
        columns = Some(list);
        t = tok!();
    }
    if !(t.is("VALUES") || t.is("VALUE")) {
        return Ok(Lex::Done(None));
    }
    Ok(Lex::Done(Some(InsertHead {
        database,
        table,
        columns,
        values_end: toks.pos(),
        exec: toks.exec(),
    })))
}

fn bad<T>(at: usize, what: impl Into<String>) -> LexResult<T> {
    Err(LexError {
        at,
        what: what.into(),
    })
}

/// Scans the tuple whose `(` is at `buf[open]`, pushing its values into `fields`. `exec` is the
/// number of executable comments open (Sakila writes `/*!50705 0x…,*/` inside rows). Returns
/// the offset just past the closing `)`.
///
/// # Errors
/// Malformed values, with the offset of the offending byte.
pub fn scan_tuple(
    buf: &[u8],
    open: usize,
    exec: &mut u32,
    eof: bool,
    fields: &mut Vec<Field>,
) -> LexResult<usize> {
    fields.clear();
    let mut i = open + 1;
    loop {
        i = match skip_inside(buf, i, exec, eof)? {
            Lex::Done(i) => i,
            Lex::More => return Ok(Lex::More),
        };
        let Some(&b) = buf.get(i) else {
            return bad(open, "unterminated row");
        };
        if b == b')' && fields.is_empty() {
            return Ok(Lex::Done(i + 1));
        }
        // Fast paths for the common values: a plain string, a plain integer.
        let quick = match b {
            b'\'' => quick_string(buf, i, fields),
            b'0'..=b'9' => quick_integer(buf, i, fields),
            _ => None,
        };
        i = match quick {
            Some(end) => end,
            None => match value(buf, i, eof, fields)? {
                Lex::Done(i) => i,
                Lex::More => return Ok(Lex::More),
            },
        };
        if !matches!(buf.get(i), Some(b',' | b')')) {
            i = match skip_inside(buf, i, exec, eof)? {
                Lex::Done(i) => i,
                Lex::More => return Ok(Lex::More),
            };
        }
        match buf.get(i) {
            Some(b',') => i += 1,
            Some(b')') => return Ok(Lex::Done(i + 1)),
            Some(&c) => {
                return bad(
                    i,
                    format!("expected `,` or `)` after a value, found {}", show(c)),
                )
            }
            None => return bad(open, "unterminated row"),
        }
    }
}

/// A `'…'` string wholly in the window: pushes it and returns the offset after it; `None`
/// leaves every other case (window end, errors) to the general path. Inlined here rather than
/// going through [`skip_quoted`]: about 15 % of the first pass on a string-heavy dump.
///
/// Until the first escape it looks for a quote or a backslash; after it, for quotes only,
/// telling an escaped quote by the backslashes right before it (see [`closing_quote`]): JSON
/// text escapes every `"` and binary data every few dozen bytes, and stopping at each escape
/// cost more than the search itself.
#[inline]
fn quick_string(buf: &[u8], i: usize, fields: &mut Vec<Field>) -> Option<usize> {
    let k = find2(buf, i + 1, b'\'', b'\\')?;
    let (end, kind) = if buf[k] == b'\'' && *buf.get(k + 1)? != b'\'' {
        (k, Kind::Plain)
    } else {
        (closing_quote(buf, i + 1, k)?, Kind::Escaped(b'\''))
    };
    fields.push(Field {
        start: i + 1,
        end,
        kind,
    });
    Some(end + 1)
}

/// The closing `'` of the string body starting at `body`, searching from `from` (a backslash
/// or a quote inside the body, or later); `None` at the window end.
///
/// A body is a sequence of two-byte escapes (`\x`, `''`) and single bytes, so a run of
/// backslashes always starts on an element boundary: a quote after an odd run is escaped, after
/// an even run (or none) it closes the string — unless another quote follows, which makes the
/// pair a doubled quote.
#[inline]
fn closing_quote(buf: &[u8], body: usize, from: usize) -> Option<usize> {
    let mut j = from;
    loop {
        let k = j + memchr::memchr(b'\'', buf.get(j..)?)?;
        let run = buf[body..k]
            .iter()
            .rev()
            .take_while(|&&c| c == b'\\')
            .count();
        if run % 2 == 1 {
            j = k + 1;
        } else if *buf.get(k + 1)? == b'\'' {
            j = k + 2;
        } else {
            return Some(k);
        }
    }
}

/// Digits followed by `,` or `)`: pushes them and returns the offset after them; `None` for
/// anything else (signs, fractions, exponents, hex, the window end).
#[inline]
fn quick_integer(buf: &[u8], i: usize, fields: &mut Vec<Field>) -> Option<usize> {
    let n = buf[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let end = i + n;
    if !matches!(buf.get(end), Some(b',' | b')')) {
        return None;
    }
    fields.push(Field {
        start: i,
        end,
        kind: Kind::Plain,
    });
    Some(end)
}

/// A byte for a message.
pub fn show(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", char::from(b))
    } else {
        format!("byte 0x{b:02x}")
    }
}

/// One literal at `buf[i]`; returns the offset after it.
fn value(buf: &[u8], i: usize, eof: bool, fields: &mut Vec<Field>) -> LexResult<usize> {
    let b = buf[i];
    let next = buf.get(i + 1).copied();
    match b {
        b'\'' | b'"' => string(buf, i, eof, fields),
        b'0' if matches!(next, Some(b'x' | b'X' | b'b' | b'B')) => {
            let hex = matches!(next, Some(b'x' | b'X'));
            let n = buf[i + 2..]
                .iter()
                .take_while(|&&c| is_word_byte(c))
                .count();
            let end = i + 2 + n;
            if end == buf.len() && !eof {
                return Ok(Lex::More);
            }
            let digits = &buf[i + 2..end];
            if !valid_digits(digits, hex) || digits.is_empty() {
                // `0xyz` would be an identifier: not a value a dump holds.
                return bad(i, "malformed hex or bit literal");
            }
            fields.push(Field {
                start: i + 2,
                end,
                kind: if hex { Kind::Hex } else { Kind::Bits },
            });
            Ok(Lex::Done(end))
        }
        b'0'..=b'9' | b'-' | b'+' | b'.' => number(buf, i, eof, fields),
        b'x' | b'X' | b'b' | b'B' if next == Some(b'\'') => {
            let hex = matches!(b, b'x' | b'X');
            let Some(k) = memchr::memchr(b'\'', &buf[i + 2..]) else {
                return if eof {
                    bad(i, "unterminated string")
                } else {
                    Ok(Lex::More)
                };
            };
            let digits = &buf[i + 2..i + 2 + k];
            if !valid_digits(digits, hex) {
                return bad(i, "malformed hex or bit literal");
            }
            fields.push(Field {
                start: i + 2,
                end: i + 2 + k,
                kind: if hex { Kind::Hex } else { Kind::Bits },
            });
            Ok(Lex::Done(i + 3 + k))
        }
        b'n' | b'N' if next == Some(b'\'') => string(buf, i + 1, eof, fields),
        b'_' => {
            // Character set introducer: _binary '…', _utf8mb4'…', _latin1 X'…'.
            let n = buf[i..].iter().take_while(|&&c| is_word_byte(c)).count();
            let mut j = i + n;
            while j < buf.len() && is_space(buf[j]) {
                j += 1;
            }
            let Some(&c) = buf.get(j) else {
                return if eof {
                    bad(i, "introducer without a value")
                } else {
                    Ok(Lex::More)
                };
            };
            let lit = matches!(c, b'\'' | b'"')
                || (c == b'0'
                    && buf
                        .get(j + 1)
                        .is_some_and(|d| matches!(d, b'x' | b'X' | b'b' | b'B')))
                || (matches!(c, b'x' | b'X' | b'b' | b'B') && buf.get(j + 1) == Some(&b'\''));
            if !lit {
                if j + 1 >= buf.len() && !eof {
                    return Ok(Lex::More);
                }
                return bad(j, "expected a string after a character set introducer");
            }
            value(buf, j, eof, fields)
        }
        _ if is_word_byte(b) => {
            let n = buf[i..].iter().take_while(|&&c| is_word_byte(c)).count();
            if i + n == buf.len() && !eof {
                return Ok(Lex::More);
            }
            let word = &buf[i..i + n];
            let kind = if word.eq_ignore_ascii_case(b"NULL") {
                Kind::Null
            } else if word.eq_ignore_ascii_case(b"TRUE") {
                Kind::True
            } else if word.eq_ignore_ascii_case(b"FALSE") {
                Kind::False
            } else {
                return bad(
                    i,
                    format!(
                        "unsupported value `{}` in a VALUES row",
                        crate::error::excerpt(word, 40)
                    ),
                );
            };
            fields.push(Field {
                start: i,
                end: i + n,
                kind,
            });
            Ok(Lex::Done(i + n))
        }
        _ => bad(i, format!("unexpected {} in a VALUES row", show(b))),
    }
}

fn string(buf: &[u8], i: usize, eof: bool, fields: &mut Vec<Field>) -> LexResult<usize> {
    match skip_quoted(buf, i, eof) {
        Ok(Lex::Done((end, escaped))) => {
            fields.push(Field {
                start: i + 1,
                end: end - 1,
                kind: if escaped {
                    Kind::Escaped(buf[i])
                } else {
                    Kind::Plain
                },
            });
            Ok(Lex::Done(end))
        }
        Ok(Lex::More) => Ok(Lex::More),
        Err(e) => Err(e),
    }
}

fn valid_digits(d: &[u8], hex: bool) -> bool {
    if hex {
        d.iter().all(u8::is_ascii_hexdigit)
    } else {
        d.iter().all(|&c| c == b'0' || c == b'1')
    }
}

fn number(buf: &[u8], i: usize, eof: bool, fields: &mut Vec<Field>) -> LexResult<usize> {
    let is_num = |c: &u8| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-');
    let n = buf[i..].iter().take_while(|c| is_num(c)).count();
    let end = i + n;
    if end == buf.len() && !eof {
        return Ok(Lex::More);
    }
    // Plain integers (most numbers of a dump) need no second look.
    let digits = buf[i..end].iter().all(u8::is_ascii_digit);
    if !digits && !is_number(&buf[i..end]) {
        return bad(
            i,
            format!(
                "malformed number `{}`",
                crate::error::excerpt(&buf[i..end], 40)
            ),
        );
    }
    fields.push(Field {
        start: i,
        end,
        kind: Kind::Plain,
    });
    Ok(Lex::Done(end))
}

/// `[+-]digits[.digits][e[+-]digits]` (at least one digit in the mantissa).
pub fn is_number(t: &[u8]) -> bool {
    let t = t
        .strip_prefix(b"-")
        .or_else(|| t.strip_prefix(b"+"))
        .unwrap_or(t);
    let int = t.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut rest = &t[int..];
    let mut frac = 0;
    if let Some(r) = rest.strip_prefix(b".") {
        frac = r.iter().take_while(|c| c.is_ascii_digit()).count();
        rest = &r[frac..];
    }
    if int + frac == 0 {
        return false;
    }
    if let Some(r) = rest.strip_prefix(b"e").or_else(|| rest.strip_prefix(b"E")) {
        let r = r
            .strip_prefix(b"-")
            .or_else(|| r.strip_prefix(b"+"))
            .unwrap_or(r);
        return !r.is_empty() && r.iter().all(u8::is_ascii_digit);
    }
    rest.is_empty()
}

/// Decodes one value: borrowed from the window when possible, else into `scratch`.
pub fn decode<'a>(buf: &'a [u8], f: &Field, scratch: &'a mut Vec<u8>) -> CellRef<'a> {
    let text = buf.get(f.start..f.end).unwrap_or_default();
    match f.kind {
        Kind::Null => CellRef::Null,
        Kind::Plain => CellRef::Value(text),
        Kind::True => CellRef::Value(b"1"),
        Kind::False => CellRef::Value(b"0"),
        Kind::Escaped(q) => {
            scratch.clear();
            unescape_into(text, q, scratch);
            CellRef::Value(scratch)
        }
        Kind::Hex => {
            scratch.clear();
            let nibble = |c: u8| match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                _ => c.wrapping_sub(b'A').wrapping_add(10) & 15,
            };
            let (head, pairs) = text.split_at(text.len() % 2);
            if let [h] = head {
                scratch.push(nibble(*h));
            }
            for p in pairs.chunks_exact(2) {
                scratch.push(nibble(p[0]) << 4 | nibble(p[1]));
            }
            CellRef::Value(scratch)
        }
        Kind::Bits => {
            // Big-endian, packed into as few bytes as hold the digits (as MySQL stores BIT).
            scratch.clear();
            let lead = text.len() % 8;
            let (head, rest) = text.split_at(lead);
            if !head.is_empty() {
                scratch.push(bits(head));
            }
            for chunk in rest.chunks_exact(8) {
                scratch.push(bits(chunk));
            }
            CellRef::Value(scratch)
        }
    }
}

fn bits(d: &[u8]) -> u8 {
    d.iter().fold(0u8, |a, &c| a << 1 | u8::from(c == b'1'))
}

/// A scanned tuple seen as a row of its table.
pub struct TupleRow<'a> {
    /// The tuple's bytes (field offsets are relative to this).
    pub buf: &'a [u8],
    /// The tuple's values.
    pub fields: &'a [Field],
    /// Table column → index into `fields`, `usize::MAX` for a column the statement lacks.
    pub map: &'a [usize],
    /// Absolute offset of the tuple's `(`.
    pub offset: u64,
    /// Decoding space, reused.
    pub scratch: &'a mut Vec<u8>,
}

impl RowAccess for TupleRow<'_> {
    fn offset(&self) -> u64 {
        self.offset
    }

    fn cell(&mut self, col: usize) -> Result<CellRef<'_>> {
        let field = self.map.get(col).and_then(|&f| self.fields.get(f));
        Ok(match field {
            Some(f) => decode(self.buf, f, self.scratch),
            None => CellRef::Absent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(tuple: &[u8]) -> Vec<Option<Vec<u8>>> {
        let mut fields = Vec::new();
        let mut exec = 0;
        let end = match scan_tuple(tuple, 0, &mut exec, true, &mut fields).unwrap() {
            Lex::Done(e) => e,
            Lex::More => panic!("more"),
        };
        assert_eq!(end, tuple.len(), "{}", String::from_utf8_lossy(tuple));
        let mut scratch = Vec::new();
        fields
            .iter()
            .map(|f| match decode(tuple, f, &mut scratch) {
                CellRef::Value(v) => Some(v.to_vec()),
                _ => None,
            })
            .collect()
    }

    fn v(s: &[u8]) -> Option<Vec<u8>> {
        Some(s.to_vec())
    }

    #[test]
    fn literals() {
        type Case = (&'static [u8], Vec<Option<Vec<u8>>>);
        let cases: &[Case] = &[
            (
                b"(1,-2,3.5,1e308,-0.01,2.2250738585072014e-308)",
                vec![
                    v(b"1"),
                    v(b"-2"),
                    v(b"3.5"),
                    v(b"1e308"),
                    v(b"-0.01"),
                    v(b"2.2250738585072014e-308"),
                ],
            ),
            (
                b"(NULL,null,'NULL',TRUE,false)",
                vec![None, None, v(b"NULL"), v(b"1"), v(b"0")],
            ),
            (
                br#"('O\'Brien \"quoted\" ; -- dash /* not */ #hash')"#,
                vec![v(b"O'Brien \"quoted\" ; -- dash /* not */ #hash")],
            ),
            (
                br#"('\0\'\"\b\n\r\t\Z\\\%\_\q','it''s',"say ""hi""")"#,
                vec![
                    v(b"\0'\"\x08\n\r\t\x1a\\\\%\\_q"),
                    v(b"it's"),
                    v(b"say \"hi\""),
                ],
            ),
            (
                b"(0x1F,0xabcDEF,X'00ff',x'',0xF)",
                vec![
                    v(b"\x1f"),
                    v(b"\xab\xcd\xef"),
                    v(b"\x00\xff"),
                    v(b""),
                    v(b"\x0f"),
                ],
            ),
            (
                b"(b'0101',B'10101',b'0',0b111111111,b'')",
                vec![v(b"\x05"), v(b"\x15"), v(b"\x00"), v(b"\x01\xff"), v(b"")],
            ),
            (
                br"(_binary '\0\x01',_latin1 X'E9',_binary 0x00)",
                vec![v(b"\0x01"), v(b"\xe9"), v(b"\0")],
            ),
            (b"(_utf8mb4'caf\xc3\xa9')", vec![v(b"caf\xc3\xa9")]),
            (
                b"( 1 , /* c */ 'a' /*!50705 ,0x00 */ )",
                vec![v(b"1"), v(b"a"), v(b"\0")],
            ),
            (
                b"(N'x','\t raw\x08\xff')",
                vec![v(b"x"), v(b"\t raw\x08\xff")],
            ),
            (b"()", vec![]),
        ];
        for (tuple, want) in cases {
            assert_eq!(&cells(tuple), want, "{}", String::from_utf8_lossy(tuple));
        }
    }

    #[test]
    fn malformed_values_are_errors() {
        let cases: &[(&[u8], usize)] = &[
            (b"(1 2)", 3),
            (b"(1-2)", 1),
            (b"(abc)", 1),
            (b"(0xZZ)", 1),
            (b"(X'0G')", 1),
            (b"(b'012')", 1),
            (b"('abc", 1),
            (b"(1,", 0),
            (b"(_utf8mb4 5)", 10),
            (b"(1;", 2),
        ];
        for (tuple, at) in cases {
            let mut fields = Vec::new();
            let mut exec = 0;
            let e = scan_tuple(tuple, 0, &mut exec, true, &mut fields).unwrap_err();
            assert_eq!(e.at, *at, "{} → {}", String::from_utf8_lossy(tuple), e.what);
        }
    }

    #[test]
    fn incomplete_tuples_ask_for_more() {
        let full = br"(1,'a\'b',0x00,NULL,b'1',-1.5e3,_binary 'x')";
        for cut in 0..full.len() {
            let mut fields = Vec::new();
            let mut exec = 0;
            let r = scan_tuple(&full[..cut], 0, &mut exec, false, &mut fields);
            assert_eq!(r, Ok(Lex::More), "cut at {cut}");
        }
    }

    #[test]
    fn insert_heads() {
        let h = insert_head(b"INSERT INTO `t` VALUES (1)", true).unwrap();
        assert_eq!(
            h,
            Lex::Done(Some(InsertHead {
                database: None,
                table: b"t".to_vec(),
                columns: None,
                values_end: 22,
                exec: 0,
            }))
        );
        let Lex::Done(Some(h)) = insert_head(
            b"REPLACE /* x */ LOW_PRIORITY INTO `db`.`a``b` (`id`, `Weird ``Col`, c) VALUES\n(",
            true,
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(h.database.as_deref(), Some(&b"db"[..]));
        assert_eq!(h.table, b"a`b");
        assert_eq!(
            h.columns.unwrap(),
            vec![b"id".to_vec(), b"Weird `Col".to_vec(), b"c".to_vec()]
        );
        assert_eq!(
            insert_head(b"INSERT IGNORE INTO t SELECT 1", true).unwrap(),
            Lex::Done(None)
        );
        assert_eq!(
            insert_head(b"INSERT INTO t SET a=1", true).unwrap(),
            Lex::Done(None)
        );
        assert_eq!(
            insert_head(b"INSERT INTO `t` (`a`", false).unwrap(),
            Lex::More
        );
        assert_eq!(
            insert_head(b"INSERT INTO `t` VALU", false).unwrap(),
            Lex::More
        );
    }

    #[test]
    fn numbers() {
        for ok in [
            "1", "-1", "+1", "1.5", ".5", "1.", "1e5", "1E-5", "-1.5e+10",
        ] {
            assert!(is_number(ok.as_bytes()), "{ok}");
        }
        for no in ["", "-", ".", "e5", "1e", "1-2", "1..2", "1e5.5", "--1"] {
            assert!(!is_number(no.as_bytes()), "{no}");
        }
    }

    proptest::proptest! {
        /// The quick string path finds the same end and the same kind as the general one, on
        /// bodies dense in quotes and backslashes, wherever the window ends.
        #[test]
        fn quick_string_agrees_with_skip_quoted(
            text in proptest::collection::vec(
                proptest::sample::select(vec![b'\'', b'\\', b'a', b'"', b')', b',']),
                0..40,
            ),
        ) {
            let mut buf = b"'".to_vec();
            buf.extend_from_slice(&text);
            for cut in 1..=buf.len() {
                let window = &buf[..cut];
                let mut fields = Vec::new();
                let quick = quick_string(window, 0, &mut fields);
                let general = skip_quoted(window, 0, false);
                match (quick, general) {
                    (Some(end), Ok(Lex::Done((want, escaped)))) => {
                        proptest::prop_assert_eq!(end, want);
                        let kind = if escaped { Kind::Escaped(b'\'') } else { Kind::Plain };
                        proptest::prop_assert_eq!(fields[0].kind, kind);
                        proptest::prop_assert_eq!(fields[0].end, want - 1);
                    }
                    // The quick path leaves the window end (and nothing else) to the general one.
                    (None, Ok(Lex::More)) => {}
                    (q, g) => proptest::prop_assert!(false, "quick {q:?}, general {g:?}"),
                }
            }
        }
    }
}
