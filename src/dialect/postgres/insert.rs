//! `INSERT INTO … VALUES (…), (…)` statements as pg_dump `--inserts`, `--column-inserts` and
//! `--rows-per-insert` write them: the header, then each tuple's fields as spans of the
//! statement, decoded only when a cell is asked for.

use super::lexer::{skip_string, unescape_string};

/// How a field is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `NULL`.
    Null,
    /// `DEFAULT` (a generated column in plain `--inserts`).
    Default,
    /// `'…'` (span is the inside); `escapes` for `E'…'` or non-standard strings.
    Str {
        /// Backslash escapes apply.
        escapes: bool,
    },
    /// `B'…'` / `X'…'` bit strings (span is the digits; X is hex).
    Bits {
        /// Hex digits rather than binary.
        hex: bool,
    },
    /// A bare word or number: `true`, `false`, `123.45`, `-1e+308`.
    Bare,
}

/// One field of a tuple: its kind and byte span in the statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// How it is written.
    pub kind: FieldKind,
    /// Start of the span.
    pub start: usize,
    /// End of the span.
    pub end: usize,
}

/// The header of an INSERT: target table and column list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsertHeader {
    /// `schema`, `name` parts as written (folded).
    pub name: Vec<String>,
    /// The column list, if given.
    pub columns: Option<Vec<String>>,
    /// Index just after `VALUES`.
    pub values_at: usize,
}

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    loop {
        while i < s.len() && s[i].is_ascii_whitespace() {
            i += 1;
        }
        if s[i..].starts_with(b"--") {
            i += memchr::memchr(b'\n', &s[i..]).unwrap_or(s.len() - i);
        } else {
            return i;
        }
    }
}

fn keyword(s: &[u8], i: usize, kw: &[u8]) -> Option<usize> {
    let end = i + kw.len();
    (s.len() >= end
        && s[i..end].eq_ignore_ascii_case(kw)
        && s.get(end)
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_')))
    .then_some(end)
}

/// Reads an identifier (quoted or not) at `i`.
fn identifier(s: &[u8], i: usize) -> Option<(String, usize)> {
    if s.get(i) == Some(&b'"') {
        let mut j = i + 1;
        let mut out = Vec::new();
        loop {
            let p = memchr::memchr(b'"', &s[j..])?;
            out.extend_from_slice(&s[j..j + p]);
            j += p + 1;
            if s.get(j) == Some(&b'"') {
                out.push(b'"');
                j += 1;
            } else {
                return Some((String::from_utf8_lossy(&out).into_owned(), j));
            }
        }
    }
    let len = s[i..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80)
        .count();
    (len > 0).then(|| {
        (
            String::from_utf8_lossy(&s[i..i + len]).to_lowercase(),
            i + len,
        )
    })
}

/// Parses `INSERT INTO name [(cols)] [OVERRIDING … VALUE] VALUES`.
pub fn parse_header(s: &[u8]) -> Option<InsertHeader> {
    let mut i = skip_ws(s, 0);
    i = keyword(s, i, b"insert")?;
    i = skip_ws(s, i);
    i = keyword(s, i, b"into")?;
    i = skip_ws(s, i);
    let mut name = Vec::new();
    loop {
        let (part, j) = identifier(s, i)?;
        name.push(part);
        i = skip_ws(s, j);
        if s.get(i) == Some(&b'.') {
            i = skip_ws(s, i + 1);
        } else {
            break;
        }
    }
    let mut columns = None;
    if s.get(i) == Some(&b'(') {
        let mut cols = Vec::new();
        i = skip_ws(s, i + 1);
        loop {
            let (c, j) = identifier(s, i)?;
            cols.push(c);
            i = skip_ws(s, j);
            match s.get(i)? {
                b',' => i = skip_ws(s, i + 1),
                b')' => {
                    i = skip_ws(s, i + 1);
                    break;
                }
                _ => return None,
            }
        }
        columns = Some(cols);
    }
    if let Some(j) = keyword(s, i, b"overriding") {
        i = skip_ws(s, j);
        i = keyword(s, i, b"system").or_else(|| keyword(s, i, b"user"))?;
        i = skip_ws(s, i);
        i = keyword(s, i, b"value")?;
        i = skip_ws(s, i);
    }
    let values_at = keyword(s, i, b"values")?;
    Some(InsertHeader {
        name,
        columns,
        values_at,
    })
}

/// Parses the next tuple at or after `i` (skipping `,` between tuples). Returns `Ok(None)` when
/// no tuple follows (end of statement, or `ON CONFLICT …`), `Ok(Some(next))` with `fields`
/// filled, or `Err(index, what)` on malformed text.
pub fn next_tuple(
    s: &[u8],
    i: usize,
    standard_strings: bool,
    fields: &mut Vec<Field>,
) -> Result<Option<usize>, (usize, &'static str)> {
    fields.clear();
    let mut i = skip_ws(s, i);
    if s.get(i) == Some(&b',') {
        i = skip_ws(s, i + 1);
    }
    match s.get(i) {
        None => return Ok(None),
        Some(b'(') => {}
        Some(_) if keyword(s, i, b"on").is_some() => return Ok(None),
        Some(_) => return Err((i, "expected `(` starting a row of values")),
    }
    i += 1;
    loop {
        i = skip_ws(s, i);
        let start = i;
        let b = *s.get(i).ok_or((start, "row of values is not closed"))?;
        let (kind, span, next) = match b {
            b'\'' => {
                let end = skip_string(s, i, !standard_strings, true)
                    .ok_or((start, "unterminated string"))?;
                (
                    FieldKind::Str {
                        escapes: !standard_strings,
                    },
                    (i + 1, end - 1),
                    end,
                )
            }
            b'E' | b'e' if s.get(i + 1) == Some(&b'\'') => {
                let end =
                    skip_string(s, i + 1, true, true).ok_or((start, "unterminated string"))?;
                (FieldKind::Str { escapes: true }, (i + 2, end - 1), end)
            }
            b'B' | b'b' | b'X' | b'x' if s.get(i + 1) == Some(&b'\'') => {
                let end =
                    skip_string(s, i + 1, false, true).ok_or((start, "unterminated bit string"))?;
                (
                    FieldKind::Bits {
                        hex: matches!(b, b'X' | b'x'),
                    },
                    (i + 2, end - 1),
                    end,
                )
            }
            _ => {
                let len = s[i..]
                    .iter()
                    .take_while(|&&c| !matches!(c, b',' | b')') && !c.is_ascii_whitespace())
                    .count();
                if len == 0 {
                    return Err((start, "empty value"));
                }
                let word = &s[i..i + len];
                let kind = if word.eq_ignore_ascii_case(b"null") {
                    FieldKind::Null
                } else if word.eq_ignore_ascii_case(b"default") {
                    FieldKind::Default
                } else {
                    FieldKind::Bare
                };
                (kind, (i, i + len), i + len)
            }
        };
        i = skip_ws(s, next);
        // A cast (`'…'::type`) is not written by pg_dump, but tolerate it.
        while s[i..].starts_with(b"::") {
            i = skip_ws(s, i + 2);
            let len = s[i..]
                .iter()
                .take_while(|&&c| !matches!(c, b',' | b')'))
                .count();
            i = skip_ws(s, i + len);
        }
        fields.push(Field {
            kind,
            start: span.0,
            end: span.1,
        });
        match s.get(i) {
            Some(b',') => i += 1,
            Some(b')') => return Ok(Some(i + 1)),
            _ => return Err((i, "expected `,` or `)` in a row of values")),
        }
    }
}

/// The text form of a field's value (`None` for NULL, and for DEFAULT: the caller tells them
/// apart by kind), borrowed when nothing needs decoding, else decoded into `scratch`.
pub fn field_text<'a>(s: &'a [u8], f: &Field, scratch: &'a mut Vec<u8>) -> Option<&'a [u8]> {
    let raw = &s[f.start..f.end];
    match f.kind {
        FieldKind::Null | FieldKind::Default => None,
        FieldKind::Bare => Some(if raw.eq_ignore_ascii_case(b"true") {
            b"t"
        } else if raw.eq_ignore_ascii_case(b"false") {
            b"f"
        } else {
            raw
        }),
        FieldKind::Str { escapes } => {
            if memchr::memchr(b'\'', raw).is_none()
                && !(escapes && memchr::memchr(b'\\', raw).is_some())
            {
                Some(raw)
            } else {
                *scratch = unescape_string(raw, escapes);
                Some(scratch)
            }
        }
        FieldKind::Bits { hex: false } => Some(raw),
        FieldKind::Bits { hex: true } => {
            scratch.clear();
            for d in raw {
                let v = (*d as char).to_digit(16).unwrap_or(0);
                for bit in (0..4).rev() {
                    scratch.push(if v >> bit & 1 == 1 { b'1' } else { b'0' });
                }
            }
            Some(scratch)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tuples(s: &[u8]) -> Vec<Vec<(FieldKind, Vec<u8>)>> {
        let h = parse_header(s).unwrap();
        let mut at = h.values_at;
        let mut fields = Vec::new();
        let mut out = Vec::new();
        while let Some(next) = next_tuple(s, at, true, &mut fields).unwrap() {
            let mut scratch = Vec::new();
            out.push(
                fields
                    .iter()
                    .map(|f| {
                        (
                            f.kind,
                            field_text(s, f, &mut scratch).unwrap_or(b"<none>").to_vec(),
                        )
                    })
                    .collect(),
            );
            at = next;
        }
        out
    }

    #[test]
    fn header_forms() {
        let h = parse_header(b"INSERT INTO \"Sales\".\"Mixed Case\" (k, \"Value\") OVERRIDING SYSTEM VALUE VALUES (1)").unwrap();
        assert_eq!(h.name, ["Sales", "Mixed Case"]);
        assert_eq!(h.columns.unwrap(), ["k", "Value"]);
        let h = parse_header(b"INSERT INTO public.j VALUES (1)").unwrap();
        assert_eq!(h.name, ["public", "j"]);
        assert!(h.columns.is_none());
    }

    #[test]
    fn values_of_every_kind() {
        let s = b"INSERT INTO app.orders VALUES (1, 'it''s; -- not', NULL, DEFAULT, true, B'101', -1e+308, 'tab\there\nnl'),\n\t(2, E'a\\tb', 'NaN', false, X'a', '{}', 0, '') ON CONFLICT DO NOTHING";
        let t = tuples(s);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0][1].1, b"it's; -- not");
        assert_eq!(t[0][2].0, FieldKind::Null);
        assert_eq!(t[0][3].0, FieldKind::Default);
        assert_eq!(t[0][4].1, b"t");
        assert_eq!(t[0][5].1, b"101");
        assert_eq!(t[0][6].1, b"-1e+308");
        assert_eq!(t[0][7].1, b"tab\there\nnl");
        assert_eq!(t[1][1].1, b"a\tb");
        assert_eq!(t[1][3].1, b"f");
        assert_eq!(t[1][4].1, b"1010");
        assert_eq!(t[1][7].1, b"");
    }

    #[test]
    fn malformed_rows_are_errors() {
        let s = b"INSERT INTO t VALUES (1, 2";
        let h = parse_header(s).unwrap();
        assert!(next_tuple(s, h.values_at, true, &mut Vec::new()).is_err());
        let s = b"INSERT INTO t VALUES 1";
        let h = parse_header(s).unwrap();
        assert!(next_tuple(s, h.values_at, true, &mut Vec::new()).is_err());
    }
}
