//! Review, edit, replay: `dbsalvage patch` rebuilds the SQL patch from the JSON file `extract`
//! wrote, after the user removed rows or edited values.
//!
//! The JSON stays an array of row objects. What the patch needs beyond it — column types, keys,
//! foreign keys, sequences, triggers, dialect, encoding, and the keys of every row originally
//! selected (to catch a removed row that others still need) — travels in a **schema file**
//! written beside it: `rows.json` → `rows.schema.json` (see [`schema_path`]). `patch` refuses a
//! JSON file without its schema file, from another format version, or whose tables, columns or
//! values do not fit the schema.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::cli::PatchArgs;
use crate::dialect::{DialectKind, DumpInfo, PatchContext};
use crate::emit::json::{cell_value, TextEncoding};
use crate::emit::OutputFile;
use crate::error::{Error, Result};
use crate::row::{Cell, Row};
use crate::schema::{Column, ForeignKey, Schema, Sequence, Table, TableId, TypeClass};
use crate::select::{self, Reason, Selection, Store};
use crate::time::{CellClock, Zone};

const FORMAT: &str = "dbsalvage-schema";
const VERSION: u32 = 1;

/// The schema file beside a JSON file: `x.json` → `x.schema.json`, `x` → `x.schema.json`.
pub fn schema_path(json: &Path) -> PathBuf {
    let name = json
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".json").unwrap_or(&name);
    json.with_file_name(format!("{stem}.schema.json"))
}

/// Keys of the selected rows of one table, for one referenced column list.
#[derive(Debug, Serialize, Deserialize)]
pub struct SelectedKeys {
    /// The table.
    pub table: TableId,
    /// The referenced columns.
    pub columns: Vec<usize>,
    /// One JSON array per selected row (its values in those columns).
    pub keys: Vec<Vec<Value>>,
}

/// Everything `patch` needs besides the rows.
#[derive(Debug, Serialize, Deserialize)]
pub struct SchemaFile {
    /// Always `dbsalvage-schema`.
    pub format: String,
    /// Format version.
    pub version: u32,
    /// The dump's dialect.
    pub dialect: DialectKind,
    /// Where the rows came from.
    pub source: String,
    /// The `--since` of the extraction.
    pub since: String,
    /// Dump-wide facts (encoding, time zone).
    pub info: DumpInfo,
    /// Tables.
    pub tables: Vec<Table>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// Sequences.
    pub sequences: Vec<Sequence>,
    /// How many rows the JSON file had when written.
    pub rows: usize,
    /// Keys of the originally selected rows, per referenced column list.
    pub selected_keys: Vec<SelectedKeys>,
}

/// Builds the schema file for a selection.
///
/// # Errors
/// Text not valid in the dump's encoding.
pub fn schema_file(
    dialect: DialectKind,
    source: &str,
    since: &str,
    schema: &Schema,
    info: &DumpInfo,
    selection: &Selection,
) -> Result<SchemaFile> {
    let encoding = TextEncoding::from_name(info.encoding.as_deref());
    let mut specs: Vec<(TableId, Vec<usize>)> = Vec::new();
    for fk in &schema.foreign_keys {
        if !specs
            .iter()
            .any(|(t, c)| *t == fk.parent && *c == fk.parent_columns)
        {
            specs.push((fk.parent, fk.parent_columns.clone()));
        }
    }
    let mut selected_keys = Vec::new();
    for (table, columns) in specs {
        let mut keys = Vec::new();
        for st in selection.tables.iter().filter(|t| t.table == table) {
            for r in &st.rows {
                if let Some(k) = json_key(&schema.tables[table], &r.row, &columns, encoding)? {
                    keys.push(k);
                }
            }
        }
        selected_keys.push(SelectedKeys {
            table,
            columns,
            keys,
        });
    }
    Ok(SchemaFile {
        format: FORMAT.into(),
        version: VERSION,
        dialect,
        source: source.into(),
        since: since.into(),
        info: info.clone(),
        tables: schema.tables.clone(),
        foreign_keys: schema.foreign_keys.clone(),
        sequences: schema.sequences.clone(),
        rows: selection.row_count(),
        selected_keys,
    })
}

/// The JSON values of `columns` of a row; `None` if one is NULL (such a key references nothing).
fn json_key(
    table: &Table,
    row: &Row,
    columns: &[usize],
    encoding: TextEncoding,
) -> Result<Option<Vec<Value>>> {
    let mut key = Vec::with_capacity(columns.len());
    for &c in columns {
        match cell_value(table, c, &row.cells[c], encoding)? {
            Some(Value::Null) | None => return Ok(None),
            Some(v) => key.push(v),
        }
    }
    Ok(Some(key))
}

/// One row object as read back.
#[derive(Debug, Deserialize)]
struct RowIn {
    table: String,
    data: IndexMap<String, Box<RawValue>>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    via: Option<Value>,
}

fn read_rows(path: &Path) -> Result<Vec<RowIn>> {
    let text =
        fs::read(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    let bad = |e: serde_json::Error| {
        Error::Usage(format!(
            "{}: not a dbsalvage JSON file: {e} (line {}, column {})",
            path.display(),
            e.line(),
            e.column()
        ))
    };
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'[') {
        serde_json::from_slice(&text).map_err(bad)
    } else {
        serde_json::Deserializer::from_slice(&text)
            .into_iter::<RowIn>()
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(bad)
    }
}

/// Why a value's text does not fit its column, in `patch`'s words.
enum Misfit {
    /// What the column expects instead ("a number").
    Expected(&'static str),
    /// The time parser's own message ("`abc` is not a timestamp value").
    Said(String),
}

/// The checks `patch` makes on a value's text by its column's class (the text of a JSON string,
/// or of a JSON number for integers). Text, binary (checked by shape in [`to_cell`]) and other
/// classes always pass, and so does a boolean here: only JSON `true`/`false` is one.
fn check_text(class: TypeClass, text: &str) -> std::result::Result<(), Misfit> {
    match class {
        TypeClass::Integer => {
            let digits = text.strip_prefix('-').unwrap_or(text);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Misfit::Expected("an integer"));
            }
            // At most 18 digits always fit an i64.
            if digits.len() > 18 && text.parse::<i64>().is_err() && text.parse::<u64>().is_err() {
                return Err(Misfit::Expected("an integer of at most 64 bits"));
            }
        }
        TypeClass::Numeric | TypeClass::Float => {
            let special = ["NaN", "Infinity", "-Infinity", "infinity", "-infinity"];
            let parsed = text.parse::<f64>();
            let fits = match class {
                // 1e400 parses as infinity: no float column holds it.
                TypeClass::Float => parsed.is_ok_and(f64::is_finite),
                _ => parsed.is_ok(),
            };
            if !fits && !special.contains(&text) {
                return Err(Misfit::Expected("a number"));
            }
        }
        TypeClass::TimestampTz
        | TypeClass::TimestampSession
        | TypeClass::Timestamp
        | TypeClass::Date => {
            // Only the form matters here, not the instant: read in UTC, so that whether a value
            // fits never depends on a zone.
            let clock = CellClock {
                class,
                naive_zone: Zone::utc(),
                session_zone: Zone::utc(),
            };
            let (_, has_offset) = clock
                .read_with_offset(text.as_bytes())
                .map_err(Misfit::Said)?;
            // A column without a zone has no room for an offset (PostgreSQL drops it, MySQL
            // rejects it).
            if has_offset && matches!(class, TypeClass::Timestamp | TypeClass::Date) {
                return Err(Misfit::Expected("a time without a zone offset"));
            }
            if class == TypeClass::Date && text.trim_end_matches(" BC").contains([' ', 'T']) {
                return Err(Misfit::Expected("a date without a time of day"));
            }
        }
        // See emit::json: a JSON string is the document's exact text.
        TypeClass::Json => {
            if serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
                return Err(Misfit::Expected(
                    "a JSON document, or a string holding one's exact text",
                ));
            }
        }
        TypeClass::Boolean
        | TypeClass::Text
        | TypeClass::Other
        | TypeClass::Binary
        | TypeClass::Bit
        | TypeClass::Geometry => {}
    }
    Ok(())
}

/// Checks one value of a dump the way `patch` will read it back from the JSON `extract` writes
/// (the same rules: see [`check_text`]), so that `extract` refuses what `patch` would: the
/// message says what does not fit. `text` is the value's decoded text; booleans are the
/// dump's `t`/`f`/`true`/`false`. Allocates nothing when the value fits, except inside the time
/// parser for a zone offset (`time::parse_offset` collects its digits).
///
/// # Errors
/// A value its column cannot hold, e.g. "`abc` does not fit a numeric column: expected a
/// number".
pub(crate) fn check_value(column: &Column, text: &str) -> std::result::Result<(), String> {
    let misfit = match column.class {
        TypeClass::Boolean if matches!(text, "t" | "f" | "true" | "false") => return Ok(()),
        TypeClass::Boolean => Misfit::Expected("true or false"),
        class => match check_text(class, text) {
            Ok(()) => return Ok(()),
            Err(m) => m,
        },
    };
    Err(match misfit {
        Misfit::Expected(what) => format!(
            "`{}` does not fit a {} column: expected {what}",
            crate::error::excerpt(text.as_bytes(), 60),
            column.type_name
        ),
        Misfit::Said(what) => what,
    })
}

/// Can the column hold NULL as far as `patch` is concerned (not NOT NULL, or filled in by the
/// server)? `extract` asks too, for the same reason as [`check_value`].
pub(crate) fn null_fits(column: &Column) -> bool {
    !column.not_null || column.auto_increment || column.generated
}

/// Converts an edited JSON value back to the cell `extract` would have read from the dump.
fn to_cell(
    raw: &RawValue,
    table: &Table,
    column: usize,
    encoding: TextEncoding,
) -> std::result::Result<Cell, String> {
    let col = &table.columns[column];
    let bytes = |s: &str| -> std::result::Result<Vec<u8>, String> {
        match encoding {
            TextEncoding::Utf8 => Ok(s.as_bytes().to_vec()),
            TextEncoding::Latin1 => s
                .chars()
                .map(|c| {
                    u8::try_from(u32::from(c))
                        .map_err(|_| format!("`{c}` is not a Latin-1 character"))
                })
                .collect(),
        }
    };
    let wrong = |what: &str| {
        Err(format!(
            "expected {what} for a {} column, found {}",
            col.type_name,
            raw.get()
        ))
    };
    let misfit = |m: Misfit| match m {
        Misfit::Expected(what) => wrong(what),
        Misfit::Said(what) => Err(what),
    };
    // A json document is taken as its text, not read into a `Value`: serde_json's `Value` has a
    // nesting limit (128) the servers do not have.
    if col.class == TypeClass::Json {
        let text = raw.get();
        if text == "null" {
            return Ok(Cell::Null);
        }
        let out = if text.starts_with('"') {
            let s: String = serde_json::from_str(text).map_err(|e| e.to_string())?;
            if let Err(m) = check_text(TypeClass::Json, &s) {
                return misfit(m);
            }
            bytes(&s)?
        } else {
            bytes(text)?
        };
        return Ok(Cell::Value(out.into_boxed_slice()));
    }
    let value: Value = serde_json::from_str(raw.get()).map_err(|e| e.to_string())?;
    if value.is_null() {
        return Ok(Cell::Null);
    }
    let out = match col.class {
        TypeClass::Binary | TypeClass::Bit | TypeClass::Geometry => match &value {
            Value::String(s) => match s.strip_prefix("\\x") {
                Some(hex) if hex.len() % 2 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()) => (0
                    ..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|e| e.to_string()))
                    .collect::<std::result::Result<Vec<u8>, String>>()?,
                _ => return wrong("a \"\\x…\" hex string"),
            },
            _ => return wrong("a \"\\x…\" hex string"),
        },
        TypeClass::Integer => {
            let text = match &value {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => return wrong("an integer"),
            };
            if let Err(m) = check_text(col.class, &text) {
                return misfit(m);
            }
            text.into_bytes()
        }
        TypeClass::Boolean => match value {
            Value::Bool(true) => b"t".to_vec(),
            Value::Bool(false) => b"f".to_vec(),
            _ => return wrong("true or false"),
        },
        TypeClass::Numeric | TypeClass::Float => {
            let text = match &value {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => return wrong("a number"),
            };
            if let Err(m) = check_text(col.class, &text) {
                return misfit(m);
            }
            text.into_bytes()
        }
        TypeClass::TimestampTz
        | TypeClass::TimestampSession
        | TypeClass::Timestamp
        | TypeClass::Date => {
            let Value::String(s) = &value else {
                return wrong("a time as a string");
            };
            if let Err(m) = check_text(col.class, s) {
                return misfit(m);
            }
            bytes(s)?
        }
        TypeClass::Json => unreachable!("json documents are taken as text above"),
        TypeClass::Text | TypeClass::Other => match &value {
            Value::String(s) => bytes(s)?,
            Value::Number(n) => n.to_string().into_bytes(),
            Value::Bool(b) => b.to_string().into_bytes(),
            _ => return wrong("a string"),
        },
    };
    Ok(Cell::Value(out.into_boxed_slice()))
}

/// Runs `patch`; returns the summary line.
///
/// # Errors
/// A JSON file that cannot be rebuilt faithfully (exit 2), I/O failures (exit 1).
pub fn run(args: &PatchArgs) -> Result<String> {
    let side = args
        .schema
        .clone()
        .unwrap_or_else(|| schema_path(&args.json_file));
    let side_text = fs::read(&side).map_err(|e| {
        Error::Usage(format!(
            "cannot read the schema file {} that `extract --json` writes beside the JSON ({e}); \
             without it the patch cannot be rebuilt faithfully",
            side.display()
        ))
    })?;
    let sf: SchemaFile = serde_json::from_slice(&side_text).map_err(|e| {
        Error::Usage(format!(
            "{}: not a dbsalvage schema file: {e}",
            side.display()
        ))
    })?;
    if sf.format != FORMAT || sf.version != VERSION {
        return Err(Error::Usage(format!(
            "{}: schema file format {} version {}, this dbsalvage reads {FORMAT} version {VERSION}",
            side.display(),
            sf.format,
            sf.version
        )));
    }
    let schema = Schema::from_parts(sf.tables, sf.foreign_keys, sf.sequences)?;
    let encoding = TextEncoding::from_name(sf.info.encoding.as_deref());
    let names: HashMap<String, TableId> = schema
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.to_string(), i))
        .collect();
    let rows = read_rows(&args.json_file)?;
    let file = args.json_file.display().to_string();
    let mut store = Store::default();
    let mut kept: Vec<(TableId, Row, usize)> = Vec::new();
    let mut seen_keys: HashMap<(TableId, String), usize> = HashMap::new();
    for (n, r) in rows.iter().enumerate() {
        let at = || format!("{file}: row {} (table {})", n + 1, r.table);
        let t = *names.get(&r.table).ok_or_else(|| {
            Error::Usage(format!(
                "{}: the dump has no such table{}",
                at(),
                crate::schema::did_you_mean(&r.table, names.keys().cloned())
            ))
        })?;
        let table = &schema.tables[t];
        if table.partition_of.is_some() {
            return Err(Error::Usage(format!(
                "{}: rows belong to the partitioned table, not a partition",
                at()
            )));
        }
        let mut cells = vec![Cell::Absent; table.columns.len()];
        for (name, raw) in &r.data {
            let c = table.column_index(name).ok_or_else(|| {
                Error::Usage(format!(
                    "{}: no column `{name}`{}",
                    at(),
                    crate::schema::did_you_mean(name, table.columns.iter().map(|c| c.name.clone()))
                ))
            })?;
            let cell = to_cell(raw, table, c, encoding)
                .map_err(|what| Error::Usage(format!("{}, column {name}: {what}", at())))?;
            let col = &table.columns[c];
            if cell == Cell::Null && !null_fits(col) {
                return Err(Error::Usage(format!(
                    "{}, column {name}: null in a NOT NULL column",
                    at()
                )));
            }
            cells[c] = cell;
        }
        let reason = reason_of(&schema, t, r);
        let row = Row {
            cells: cells.into_boxed_slice(),
            offset: n as u64,
        };
        // The same key twice: MySQL's patch would fail on it, PostgreSQL's would keep the first.
        if let Some(key) = table.conflict_key() {
            if let Some(k) = json_key(table, &row, key, encoding)? {
                let k = serde_json::to_string(&k).unwrap_or_default();
                if let Some(first) = seen_keys.insert((t, k.clone()), n + 1) {
                    return Err(Error::Usage(format!(
                        "{}: has the same key as row {first} ({}) = {k}; remove one of them",
                        at(),
                        key.iter()
                            .map(|&c| table.columns[c].name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
        kept.push((t, row.clone(), n));
        store.insert(t, row, reason);
    }
    check_dangling(
        &schema,
        &sf.selected_keys,
        &kept,
        encoding,
        &file,
        args.allow_dangling,
    )?;
    let selection = select::order(&schema, store);
    let mut out = if args.sql.as_os_str() == "-" {
        OutputFile::stdout()
    } else {
        OutputFile::create(&args.sql)?
    };
    let source = format!("{file} (reviewed; extracted from {})", sf.source);
    let ctx = PatchContext {
        schema: &schema,
        info: &sf.info,
        selection: &selection,
        source_name: &source,
        since: &sf.since,
    };
    sf.dialect
        .patch_writer()
        .write(out.writer(), &ctx)
        .map_err(|e| match e {
            Error::Io { source, .. } => out.error(source),
            other => other,
        })?;
    out.commit()?;
    Ok(format!(
        "dbsalvage: patch for {} rows ({} removed since extraction) written to {}",
        rows.len(),
        sf.rows.saturating_sub(rows.len()),
        args.sql.display()
    ))
}

fn reason_of(schema: &Schema, table: TableId, r: &RowIn) -> Reason {
    let fk = r
        .via
        .as_ref()
        .and_then(|v| v.get("foreign_key"))
        .and_then(Value::as_str)
        .and_then(|name| {
            schema
                .foreign_keys
                .iter()
                .position(|fk| fk.name == name && (fk.child == table || fk.parent == table))
        });
    match (r.reason.as_deref(), fk) {
        (Some("descendant"), Some(fk)) => Reason::Descendant { fk },
        (Some("ancestor"), Some(fk)) => Reason::Ancestor { fk },
        _ => Reason::Root,
    }
}

/// A remaining row that references a selected row the user removed: the backup cannot be
/// trusted to have it, so the patch would fail (or worse) — an error unless allowed.
fn check_dangling(
    schema: &Schema,
    selected: &[SelectedKeys],
    kept: &[(TableId, Row, usize)],
    encoding: TextEncoding,
    file: &str,
    allow: bool,
) -> Result<()> {
    let canon = |k: &[Value]| serde_json::to_string(k).unwrap_or_default();
    let mut present: HashMap<(TableId, Vec<usize>), HashSet<String>> = HashMap::new();
    for (t, row, _) in kept {
        for s in selected.iter().filter(|s| s.table == *t) {
            if let Some(k) = json_key(&schema.tables[*t], row, &s.columns, encoding)? {
                present
                    .entry((*t, s.columns.clone()))
                    .or_default()
                    .insert(canon(&k));
            }
        }
    }
    for (t, row, n) in kept {
        for (_, fk) in schema.outgoing(*t) {
            let Some(spec) = selected
                .iter()
                .find(|s| s.table == fk.parent && s.columns == fk.parent_columns)
            else {
                continue;
            };
            let Some(key) = json_key(&schema.tables[*t], row, &fk.child_columns, encoding)? else {
                continue;
            };
            let k = canon(&key);
            let was_selected = spec.keys.iter().any(|s| canon(s) == k);
            let still_there = present
                .get(&(fk.parent, fk.parent_columns.clone()))
                .is_some_and(|p| p.contains(&k));
            if was_selected && !still_there && !allow {
                let parent = &schema.tables[fk.parent];
                let cols: Vec<&str> = fk
                    .parent_columns
                    .iter()
                    .map(|&c| parent.columns[c].name.as_str())
                    .collect();
                return Err(Error::Usage(format!(
                    "{file}: row {} ({}) references {} ({}) = {k}, a row that was selected but is no longer in the file; \
                     put it back, remove row {} too, or use --allow-dangling",
                    n + 1,
                    schema.tables[*t].name,
                    parent.name,
                    cols.join(", "),
                    n + 1
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fits(class: TypeClass, text: &str) -> std::result::Result<(), String> {
        check_value(&Column::new("c", "T", class), text)
    }

    /// What real dumps print passes `extract`'s check (and so `patch`'s).
    #[test]
    fn check_value_accepts_what_servers_print() {
        let ok: &[(TypeClass, &[&str])] = &[
            (TypeClass::Boolean, &["t", "f", "true", "false"]),
            (
                TypeClass::Integer,
                &["0", "-0", "-9223372036854775808", "18446744073709551615"],
            ),
            (
                TypeClass::Numeric,
                &["1.50", "-0.000001", "NaN", "Infinity", "-Infinity", "1e400"],
            ),
            (
                TypeClass::Float,
                &["1.5e+300", "-0", "NaN", "Infinity", "-Infinity"],
            ),
            (
                TypeClass::Date,
                &[
                    "2024-02-29",
                    "0044-03-15 BC",
                    "infinity",
                    "0000-00-00",
                    "2024-05-00",
                    "2024-00-00",
                ],
            ),
            (
                TypeClass::Timestamp,
                &[
                    "2024-01-01 00:00:00.123456",
                    "0000-00-00 00:00:00",
                    "2024-05-00 10:00:00",
                    "-infinity",
                ],
            ),
            (
                TypeClass::TimestampTz,
                &[
                    "2024-01-01 00:00:00+05:30",
                    "1900-01-01 00:00:00+00:53:28",
                    "2024-01-01 10:00:00+00",
                ],
            ),
            (TypeClass::TimestampSession, &["2038-01-19 03:14:07"]),
            (
                TypeClass::Json,
                &["{\"a\": 1e400}", " [1] ", "\"s\"", "null"],
            ),
            (TypeClass::Text, &["", "anything"]),
        ];
        for (class, texts) in ok {
            for t in *texts {
                assert_eq!(fits(*class, t), Ok(()), "{class:?} {t}");
            }
        }
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        assert_eq!(fits(TypeClass::Json, &deep), Ok(()));
    }

    #[test]
    fn check_value_refuses_what_patch_refuses() {
        for (class, text, what) in [
            (TypeClass::Boolean, "x", "`x` does not fit a T column: expected true or false"),
            (TypeClass::Integer, "1.5", "`1.5` does not fit a T column: expected an integer"),
            (
                TypeClass::Integer,
                "18446744073709551616",
                "`18446744073709551616` does not fit a T column: expected an integer of at most 64 bits",
            ),
            (TypeClass::Numeric, "abc", "`abc` does not fit a T column: expected a number"),
            (TypeClass::Float, "1e400", "`1e400` does not fit a T column: expected a number"),
            (TypeClass::Date, "2024-02-30", "`2024-02-30` is not a date value"),
            (
                TypeClass::Date,
                "2024-01-01 10:00:00",
                "`2024-01-01 10:00:00` does not fit a T column: expected a date without a time of day",
            ),
            (
                TypeClass::Timestamp,
                "2024-01-01 10:00:00+02",
                "`2024-01-01 10:00:00+02` does not fit a T column: expected a time without a zone offset",
            ),
            (TypeClass::TimestampTz, "now", "`now` is not a timestamp value"),
            (
                TypeClass::Json,
                "{x",
                "`{x` does not fit a T column: expected a JSON document, or a string holding one's exact text",
            ),
        ] {
            assert_eq!(fits(class, text), Err(what.to_string()), "{class:?} {text}");
        }
    }

    #[test]
    fn schema_file_names() {
        assert_eq!(
            schema_path(Path::new("/x/rows.json")),
            Path::new("/x/rows.schema.json")
        );
        assert_eq!(
            schema_path(Path::new("rows")),
            Path::new("rows.schema.json")
        );
    }
}
