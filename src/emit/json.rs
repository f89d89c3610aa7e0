//! The JSON review file: an array with one object per selected row, in patch order.
//!
//! ```json
//! {"table": "public.blog_post", "app": "blog", "model": "post",
//!  "pk": {"id": 7}, "reason": "root", "via": null,
//!  "data": {"id": 7, "title": "hello", "created": "2026-11-21 10:00:00+00"}}
//! ```
//!
//! Values: integers as JSON numbers, booleans as `true`/`false`, NULL as `null`, json/jsonb
//! embedded verbatim when that keeps the exact text — otherwise (a document that is a string or
//! `null`, has whitespace around it, or spans lines in JSON lines) as a JSON string holding the
//! document's exact text, so `dbsalvage patch` restores it byte for byte —, binary values (bytea, BLOB, BIT, GEOMETRY) as `"\x"` +
//! lower-case hex of the raw bytes, everything else (numeric, floats, times, text...) as the
//! string the server printed, so nothing is rounded. Columns the dump does not carry (generated
//! columns pg_dump leaves out) are absent from `"data"`. The array is streamed: memory does not
//! grow with it.

use std::io::Write;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::row::Cell;
use crate::schema::{Schema, Table, TypeClass};
use crate::select::{Reason, Selection};

/// Text encoding of the dump's values, to produce UTF-8 JSON strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 (PostgreSQL `UTF8`, MySQL `utf8mb4`/`utf8`): must be valid.
    Utf8,
    /// Latin-1 family (PostgreSQL `LATIN1`, MySQL `latin1`): every byte is one character.
    Latin1,
}

impl TextEncoding {
    /// From the encoding name a dump declares.
    pub fn from_name(name: Option<&str>) -> TextEncoding {
        match name.map(str::to_ascii_lowercase).as_deref() {
            Some("latin1" | "iso_8859_1" | "iso-8859-1") => TextEncoding::Latin1,
            _ => TextEncoding::Utf8,
        }
    }

    /// Decodes text to a Rust string (borrowed when it is UTF-8 already).
    pub fn decode(self, bytes: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            TextEncoding::Utf8 => simdutf8::basic::from_utf8(bytes).ok().map(Into::into),
            TextEncoding::Latin1 => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        }
    }
}

/// `\x` + lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(2 + 2 * bytes.len());
    s.push_str("\\x");
    s.push_str(&const_hex::encode(bytes));
    s
}

/// The Django-style split of a table name: `blog_post` → (`blog`, `post`); a name without `_`
/// is its own model with no app.
pub fn app_and_model(name: &str) -> (Option<&str>, &str) {
    match name.split_once('_') {
        Some((app, model)) if !app.is_empty() && !model.is_empty() => (Some(app), model),
        _ => (None, name),
    }
}

/// A text value as a string, or an error naming its table and column.
fn decode_text<'b>(
    table: &Table,
    column: usize,
    bytes: &'b [u8],
    encoding: TextEncoding,
) -> Result<std::borrow::Cow<'b, str>> {
    encoding.decode(bytes).ok_or_else(|| {
        Error::Schema(format!(
            "table {}, column {}: value is not valid {encoding:?} text: `{}`",
            table.name,
            table.columns[column].name,
            crate::error::excerpt(bytes, 60)
        ))
    })
}

/// Converts one cell to JSON according to its column; `None` for a cell the dump lacks.
///
/// # Errors
/// Text that is not valid in the dump's encoding.
pub fn cell_value(
    table: &Table,
    column: usize,
    cell: &Cell,
    encoding: TextEncoding,
) -> Result<Option<Value>> {
    let col = &table.columns[column];
    let bytes = match cell {
        Cell::Absent => return Ok(None),
        Cell::Null => return Ok(Some(Value::Null)),
        Cell::Value(v) => v,
    };
    let text = || decode_text(table, column, bytes, encoding);
    let value = match col.class {
        TypeClass::Binary | TypeClass::Bit | TypeClass::Geometry => Value::String(hex(bytes)),
        TypeClass::Integer => {
            let t = text()?;
            match (t.parse::<i64>(), t.parse::<u64>()) {
                (Ok(i), _) => Value::from(i),
                (_, Ok(u)) => Value::from(u),
                _ => Value::String(t.into_owned()),
            }
        }
        TypeClass::Boolean => match bytes.as_ref() {
            b"t" | b"true" => Value::Bool(true),
            b"f" | b"false" => Value::Bool(false),
            _ => Value::String(text()?.into_owned()),
        },
        TypeClass::Json => {
            let t = text()?;
            // Text that is not JSON after all stays a string.
            serde_json::from_str::<Value>(&t).unwrap_or_else(|_| Value::String(t.into_owned()))
        }
        _ => Value::String(text()?.into_owned()),
    };
    Ok(Some(value))
}

/// Is this text a JSON integer as written (so it can be copied as is)?
fn is_json_integer(t: &[u8]) -> bool {
    let digits = t.strip_prefix(b"-").unwrap_or(t);
    !digits.is_empty()
        && digits.iter().all(u8::is_ascii_digit)
        && (digits.len() == 1 || digits[0] != b'0')
        && digits.len() <= 20
}

/// Writes a JSON string literal.
fn write_str(out: &mut Vec<u8>, s: &str) {
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// A value that cannot be written is the dump's fault: say which row, by its position.
fn at_row(e: Error, offset: u64) -> Error {
    match e {
        Error::Schema(what) => Error::data(offset, what),
        other => other,
    }
}

/// Writes one cell as JSON (see the module doc for the mapping). json/jsonb values are
/// embedded verbatim (whitespace and key order kept, so `dbsalvage patch` restores the exact
/// text) unless `compact` (JSON lines, where a value must not span lines).
///
/// # Errors
/// Text that is not valid in the dump's encoding, and a value its column cannot hold (a corrupt
/// dump): `dbsalvage patch` would refuse the JSON, so it is refused here, by the same rules
/// ([`crate::replay::check_value`]).
fn write_cell(
    out: &mut Vec<u8>,
    table: &Table,
    column: usize,
    bytes: &[u8],
    encoding: TextEncoding,
    compact: bool,
) -> Result<()> {
    let col = &table.columns[column];
    let text = || decode_text(table, column, bytes, encoding);
    let misfit =
        |what: String| Error::Schema(format!("table {}, column {}: {what}", table.name, col.name));
    let check = |t: &str| crate::replay::check_value(col, t).map_err(misfit);
    match col.class {
        TypeClass::Binary | TypeClass::Bit | TypeClass::Geometry => {
            out.extend_from_slice(b"\"\\\\x");
            crate::emit::extend_hex(out, bytes, false);
            out.push(b'"');
        }
        // Copied as is when it is a JSON integer of at most 64 bits (at most 18 digits always
        // are; longer ones are checked).
        TypeClass::Integer if is_json_integer(bytes) => {
            if bytes.len() > 18 {
                // ASCII digits: valid in any encoding.
                check(std::str::from_utf8(bytes).unwrap_or_default())?;
            }
            out.extend_from_slice(bytes);
        }
        // A dump's integer column only prints integers: anything else is a corrupt dump (and
        // `dbsalvage patch` would refuse it).
        TypeClass::Integer => {
            return Err(misfit(format!(
                "`{}` is not an integer",
                crate::error::excerpt(bytes, 60)
            )))
        }
        TypeClass::Boolean if bytes == b"t" || bytes == b"true" => out.extend_from_slice(b"true"),
        TypeClass::Boolean if bytes == b"f" || bytes == b"false" => out.extend_from_slice(b"false"),
        TypeClass::Json => {
            let t = text()?;
            let valid = serde_json::from_str::<serde::de::IgnoredAny>(&t).is_ok();
            if !valid {
                // Not JSON: patch would refuse it (check says why).
                check(&t)?;
            }
            // Embedded when that keeps the exact text: not a string document, not `null` (SQL
            // NULL is `null`), no whitespace around it, on one line for JSON lines. Anything
            // else travels as a JSON string holding the exact text (`patch` takes it verbatim).
            let embed = valid
                && t == t.trim()
                && !t.starts_with('"')
                && t != "null"
                && !(compact && t.contains(['\n', '\r']));
            if embed {
                out.extend_from_slice(t.as_bytes());
            } else {
                write_str(out, &t);
            }
        }
        TypeClass::Boolean
        | TypeClass::Numeric
        | TypeClass::Float
        | TypeClass::TimestampTz
        | TypeClass::TimestampSession
        | TypeClass::Timestamp
        | TypeClass::Date => {
            let t = text()?;
            check(&t)?;
            write_str(out, &t);
        }
        TypeClass::Text | TypeClass::Other => write_str(out, &text()?),
    }
    Ok(())
}

/// Streams the selection as a JSON array (or, with `lines`, one object per line).
///
/// # Errors
/// Write failures, and text not valid in the dump's encoding.
pub fn write(
    out: &mut dyn Write,
    schema: &Schema,
    selection: &Selection,
    encoding: TextEncoding,
    lines: bool,
) -> Result<()> {
    let io = |e: std::io::Error| Error::io("writing JSON", e);
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    if !lines {
        buf.push(b'[');
    }
    let mut first = true;
    // Each foreign key's `"via"` object, written once.
    let via_json: Vec<Vec<u8>> = (0..schema.foreign_keys.len())
        .map(|fk| serde_json::to_vec(&fk_json(schema, fk)).unwrap_or_default())
        .collect();
    for st in &selection.tables {
        let table = &schema.tables[st.table];
        let (app, model) = app_and_model(&table.name.name);
        // The per-table prefix of every object.
        let mut head = Vec::new();
        head.extend_from_slice(b"{\"table\":");
        write_str(&mut head, &table.name.to_string());
        head.extend_from_slice(b",\"app\":");
        match app {
            Some(a) => write_str(&mut head, a),
            None => head.extend_from_slice(b"null"),
        }
        head.extend_from_slice(b",\"model\":");
        write_str(&mut head, model);
        let column_names: Vec<Vec<u8>> = table
            .columns
            .iter()
            .map(|c| {
                let mut n = Vec::new();
                write_str(&mut n, &c.name);
                n.push(b':');
                n
            })
            .collect();
        for sr in &st.rows {
            if !lines {
                buf.extend_from_slice(if first { b"\n" } else { b",\n" });
            }
            first = false;
            buf.extend_from_slice(&head);
            buf.extend_from_slice(b",\"pk\":");
            match &table.primary_key {
                Some(cols) => {
                    buf.push(b'{');
                    for (i, &c) in cols.iter().enumerate() {
                        if i > 0 {
                            buf.push(b',');
                        }
                        buf.extend_from_slice(&column_names[c]);
                        match &sr.row.cells[c] {
                            Cell::Value(v) => write_cell(&mut buf, table, c, v, encoding, true)
                                .map_err(|e| at_row(e, sr.row.offset))?,
                            _ => buf.extend_from_slice(b"null"),
                        }
                    }
                    buf.push(b'}');
                }
                None => buf.extend_from_slice(b"null"),
            }
            let (reason, via): (&[u8], &[u8]) = match sr.reason {
                Reason::Root => (b"\"root\"", b"null"),
                Reason::Descendant { fk } => (b"\"descendant\"", &via_json[fk]),
                Reason::Ancestor { fk } => (b"\"ancestor\"", &via_json[fk]),
            };
            buf.extend_from_slice(b",\"reason\":");
            buf.extend_from_slice(reason);
            buf.extend_from_slice(b",\"via\":");
            buf.extend_from_slice(via);
            buf.extend_from_slice(b",\"data\":{");
            let mut first_cell = true;
            for (c, cell) in sr.row.cells.iter().enumerate() {
                if matches!(cell, Cell::Absent) {
                    continue;
                }
                if !first_cell {
                    buf.push(b',');
                }
                first_cell = false;
                buf.extend_from_slice(&column_names[c]);
                match cell {
                    Cell::Value(v) => write_cell(&mut buf, table, c, v, encoding, lines)
                        .map_err(|e| at_row(e, sr.row.offset))?,
                    // A corrupt dump (`dbsalvage patch` would refuse it).
                    _ if !crate::replay::null_fits(&table.columns[c]) => {
                        return Err(Error::data(
                            sr.row.offset,
                            format!(
                                "table {}, column {}: NULL in a NOT NULL column",
                                table.name, table.columns[c].name
                            ),
                        ))
                    }
                    _ => buf.extend_from_slice(b"null"),
                }
            }
            buf.extend_from_slice(b"}}");
            if lines {
                buf.push(b'\n');
            }
            if buf.len() > 1 << 20 {
                out.write_all(&buf).map_err(io)?;
                buf.clear();
            }
        }
    }
    if !lines {
        buf.extend_from_slice(if first { b"]\n" } else { b"\n]\n" });
    }
    out.write_all(&buf).map_err(io)?;
    Ok(())
}

fn fk_json(schema: &Schema, fk: usize) -> Value {
    let fk = &schema.foreign_keys[fk];
    let child = &schema.tables[fk.child];
    let parent = &schema.tables[fk.parent];
    let names = |t: &Table, cols: &[usize]| {
        Value::Array(
            cols.iter()
                .map(|&c| Value::String(t.columns[c].name.clone()))
                .collect(),
        )
    };
    serde_json::json!({
        "foreign_key": fk.name,
        "from": child.name.to_string(),
        "columns": names(child, &fk.child_columns),
        "to": parent.name.to_string(),
        "to_columns": names(parent, &fk.parent_columns),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, TableName};

    fn table(cols: &[(&str, TypeClass)]) -> Table {
        Table {
            name: TableName::new(Some("public"), "blog_post"),
            columns: cols.iter().map(|(n, c)| Column::new(n, "t", *c)).collect(),
            primary_key: Some(vec![0]),
            unique_keys: vec![],
            partition_of: None,
            is_partitioned: false,
            triggers: vec![],
        }
    }

    fn v(t: &Table, c: usize, bytes: &[u8]) -> Value {
        cell_value(t, c, &Cell::Value(bytes.into()), TextEncoding::Utf8)
            .unwrap()
            .unwrap()
    }

    #[test]
    fn values_by_class() {
        let t = table(&[
            ("id", TypeClass::Integer),
            ("ok", TypeClass::Boolean),
            ("doc", TypeClass::Json),
            ("raw", TypeClass::Binary),
            ("amount", TypeClass::Numeric),
        ]);
        assert_eq!(v(&t, 0, b"42"), Value::from(42));
        assert_eq!(v(&t, 0, b"18446744073709551615"), Value::from(u64::MAX));
        assert_eq!(v(&t, 1, b"t"), Value::Bool(true));
        assert_eq!(
            v(&t, 2, br#"{"a": [1, 2.50]}"#).to_string(),
            r#"{"a":[1,2.50]}"#
        );
        assert_eq!(v(&t, 3, b"\x00\xff"), Value::String("\\x00ff".into()));
        // The streaming writer agrees: lower-case hex in a JSON string.
        let mut out = Vec::new();
        write_cell(&mut out, &t, 3, b"\x00\xab\xff", TextEncoding::Utf8, false).unwrap();
        assert_eq!(out, br#""\\x00abff""#);
        assert_eq!(v(&t, 4, b"1.50"), Value::String("1.50".into()));
        assert_eq!(
            cell_value(&t, 0, &Cell::Absent, TextEncoding::Utf8).unwrap(),
            None
        );
        assert!(cell_value(
            &t,
            4,
            &Cell::Value(b"\xff".to_vec().into()),
            TextEncoding::Utf8
        )
        .is_err());
    }

    #[test]
    fn django_split() {
        assert_eq!(app_and_model("blog_post"), (Some("blog"), "post"));
        assert_eq!(
            app_and_model("auth_user_groups"),
            (Some("auth"), "user_groups")
        );
        assert_eq!(app_and_model("film"), (None, "film"));
    }

    proptest::proptest! {
        /// UTF-8 text is accepted exactly when the standard library accepts it (the check is
        /// simdutf8's): any bytes, and valid text cut anywhere (inside a character too).
        #[test]
        fn utf8_check_agrees_with_std(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
            text in "\\PC{0,60}",
            cut in 0usize..256,
        ) {
            let decoded = TextEncoding::Utf8.decode(&bytes);
            proptest::prop_assert_eq!(decoded.as_deref(), std::str::from_utf8(&bytes).ok());
            let cut = &text.as_bytes()[..cut.min(text.len())];
            let decoded = TextEncoding::Utf8.decode(cut);
            proptest::prop_assert_eq!(decoded.as_deref(), std::str::from_utf8(cut).ok());
        }
    }
}
