//! The SQL patch for psql: `psql -X -v ON_ERROR_STOP=1 -d RESTORED -f patch.sql`.
//!
//! Shape, per database (a `pg_dumpall` dump gets one block per `\connect`):
//!
//! ```sql
//! SET client_encoding = 'UTF8';           -- the dump's, so bytes mean the same
//! SET standard_conforming_strings = on;   -- the only literal rules used below
//! BEGIN;
//! SET CONSTRAINTS ALL DEFERRED;           -- deferrable FKs (cycles) checked at COMMIT
//! ALTER TABLE t DISABLE TRIGGER "trg";    -- user triggers must not rewrite rescued rows
//! INSERT INTO t (…) OVERRIDING SYSTEM VALUE VALUES (…), … ON CONFLICT (pk) DO NOTHING;
//! …                                       -- parents first, ~1000 rows per statement
//! ALTER TABLE t ENABLE TRIGGER "trg";
//! SELECT pg_catalog.setval(…) …;          -- sequences moved forward, never back
//! COMMIT;
//! ```
//!
//! Only a primary-key conflict is skipped (`ON CONFLICT (pk) DO NOTHING` names the key, so any
//! other unique violation still aborts). A table without a primary key uses a NOT NULL unique
//! key, else a whole-row match through a temporary table. Disabling triggers is transactional in
//! PostgreSQL and needs table ownership, not superuser. Every identifier is double-quoted and
//! every value is a standard-conforming string literal (only `'` needs doubling), a validated
//! bare number, or `true`/`false`/`NULL`: no dump value can leave its literal.

use std::io::Write;

use crate::dialect::{PatchContext, PatchWriter};
use crate::error::{Error, Result};
use crate::row::Cell;
use crate::schema::{Schema, Table, TableName, TypeClass};
use crate::select::{SelectedRow, SelectedTable};

/// Writes patches for `psql -X -v ON_ERROR_STOP=1 -f patch.sql`.
#[derive(Debug, Default, Clone, Copy)]
pub struct PostgresPatch;

/// Rows per INSERT statement.
const BATCH_ROWS: usize = 1000;
/// Soft cap on one statement's size.
const BATCH_BYTES: usize = 8 << 20;

/// `"name"` with embedded quotes doubled.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `"schema"."table"` (the database part is not SQL: it selects the `\connect`).
pub fn quote_table(name: &TableName) -> String {
    match &name.schema {
        Some(s) => format!("{}.{}", quote_ident(s), quote_ident(&name.name)),
        None => quote_ident(&name.name),
    }
}

/// A standard-conforming string literal of raw bytes: only `'` is special.
pub fn string_literal(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'\'');
    let mut rest = bytes;
    while let Some(p) = memchr::memchr(b'\'', rest) {
        out.extend_from_slice(&rest[..=p]);
        out.push(b'\'');
        rest = &rest[p + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'\'');
}

/// Is this text a plain SQL numeric literal (safe to write bare)?
fn is_plain_number(t: &[u8]) -> bool {
    let t = t.strip_prefix(b"-").unwrap_or(t);
    let digits = t.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = digits;
    let mut frac = 0;
    if t.get(i) == Some(&b'.') {
        i += 1;
        frac = t[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        i += frac;
    }
    if digits + frac == 0 {
        return false;
    }
    if matches!(t.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(t.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = t[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == t.len()
}

/// Writes one value as a literal for a column of `class`.
pub fn literal(out: &mut Vec<u8>, class: TypeClass, cell: &Cell) {
    match cell {
        Cell::Absent => out.extend_from_slice(b"DEFAULT"),
        Cell::Null => out.extend_from_slice(b"NULL"),
        Cell::Value(v) => match class {
            TypeClass::Binary => {
                out.extend_from_slice(b"'\\x");
                crate::emit::extend_hex(out, v, false);
                out.push(b'\'');
            }
            // Floats stay quoted: a bare `-0` would be read as the integer 0 (and lose its sign).
            TypeClass::Integer | TypeClass::Numeric if is_plain_number(v) => {
                out.extend_from_slice(v);
            }
            TypeClass::Boolean if &v[..] == b"t" => out.extend_from_slice(b"true"),
            TypeClass::Boolean if &v[..] == b"f" => out.extend_from_slice(b"false"),
            _ => string_literal(out, v),
        },
    }
}

impl PatchWriter for PostgresPatch {
    fn write(&self, out: &mut dyn Write, ctx: &PatchContext<'_>) -> Result<()> {
        let mut w = Writer {
            out,
            buf: Vec::with_capacity(1 << 16),
        };
        w.header(ctx)?;
        // One transaction per database (several only for pg_dumpall).
        let mut databases: Vec<Option<String>> = Vec::new();
        for t in &ctx.selection.tables {
            let db = ctx.schema.tables[t.table].name.database.clone();
            if !databases.contains(&db) {
                databases.push(db);
            }
        }
        let seq_dbs = ctx.schema.sequences.iter().map(|s| s.name.database.clone());
        for db in seq_dbs {
            if !databases.contains(&db) {
                databases.push(db);
            }
        }
        if databases.is_empty() {
            databases.push(None);
        }
        for db in &databases {
            w.database(ctx, db.as_deref())?;
        }
        w.flush()
    }
}

struct Writer<'o> {
    out: &'o mut dyn Write,
    buf: Vec<u8>,
}

impl Writer<'_> {
    fn line(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
        self.buf.push(b'\n');
    }

    fn flush(&mut self) -> Result<()> {
        self.out
            .write_all(&self.buf)
            .map_err(|e| Error::io("writing the patch", e))?;
        self.buf.clear();
        Ok(())
    }

    fn maybe_flush(&mut self) -> Result<()> {
        if self.buf.len() > 1 << 20 {
            self.flush()?;
        }
        Ok(())
    }

    fn header(&mut self, ctx: &PatchContext<'_>) -> Result<()> {
        let total = ctx.selection.row_count();
        let (mut r, mut d, mut a) = (0, 0, 0);
        for t in &ctx.selection.tables {
            let c = t.counts();
            r += c.0;
            d += c.1;
            a += c.2;
        }
        self.line("-- dbsalvage patch (PostgreSQL)");
        self.line(&format!("-- source: {}", one_line(ctx.source_name)));
        if let Some(tool) = &ctx.info.tool {
            self.line(&format!("-- dumped by: {}", one_line(tool)));
        }
        self.line(&format!("-- rows created after: {}", one_line(ctx.since)));
        self.line(&format!(
            "-- rows: {total} ({r} roots, {d} descendants, {a} ancestors) in {} tables",
            ctx.selection.tables.len()
        ));
        self.line("-- apply with: psql -X -v ON_ERROR_STOP=1 -d RESTORED_DB -f THIS_FILE");
        self.line("-- Rows whose primary key already exists are skipped; any other error aborts the whole patch.");
        self.line("");
        Ok(())
    }

    fn database(&mut self, ctx: &PatchContext<'_>, db: Option<&str>) -> Result<()> {
        if let Some(db) = db {
            if db.chars().any(char::is_control) {
                return Err(Error::Schema(format!(
                    "database name {db:?} cannot be written in a psql \\connect line"
                )));
            }
            let conninfo = format!("dbname='{}'", db.replace('\\', "\\\\").replace('\'', "\\'"));
            self.line(&format!(
                "\\connect -reuse-previous=on \"{}\"",
                conninfo.replace('"', "\"\"")
            ));
        }
        let encoding = ctx.info.encoding.as_deref().unwrap_or("UTF8");
        let mut enc = Vec::new();
        string_literal(&mut enc, encoding.as_bytes());
        self.line(&format!(
            "SET client_encoding = {};",
            String::from_utf8_lossy(&enc)
        ));
        self.line("SET standard_conforming_strings = on;");
        self.line("SELECT pg_catalog.set_config('search_path', '', false);");
        self.line("BEGIN;");
        self.line("SET CONSTRAINTS ALL DEFERRED;");
        self.line("");
        let schema = ctx.schema;
        let tables: Vec<&SelectedTable> = ctx
            .selection
            .tables
            .iter()
            .filter(|t| schema.tables[t.table].name.database.as_deref() == db)
            .collect();
        // Keep user triggers from rewriting the rescued values.
        let triggered: Vec<&Table> = tables
            .iter()
            .map(|t| &schema.tables[t.table])
            .filter(|t| !t.triggers.is_empty())
            .collect();
        for t in &triggered {
            for trg in &t.triggers {
                self.line(&format!(
                    "ALTER TABLE {} DISABLE TRIGGER {};",
                    quote_table(&t.name),
                    quote_ident(trg)
                ));
            }
        }
        // Foreign keys the order cannot satisfy and that cannot be deferred: insert NULL first,
        // fill in after every row is in.
        let two_step: Vec<usize> = ctx
            .selection
            .unordered_fks
            .iter()
            .copied()
            .filter(|&f| {
                let fk = &schema.foreign_keys[f];
                !fk.deferrable
                    && fk
                        .child_columns
                        .iter()
                        .all(|&c| !schema.tables[fk.child].columns[c].not_null)
            })
            .collect();
        for t in &tables {
            self.table_rows(schema, t, &two_step)?;
        }
        for &f in &two_step {
            self.fill_in(schema, ctx, f)?;
        }
        for t in &triggered {
            for trg in &t.triggers {
                self.line(&format!(
                    "ALTER TABLE {} ENABLE TRIGGER {};",
                    quote_table(&t.name),
                    quote_ident(trg)
                ));
            }
        }
        self.sequences(schema, db);
        self.line("COMMIT;");
        self.line("");
        self.flush()
    }

    fn table_rows(
        &mut self,
        schema: &Schema,
        st: &SelectedTable,
        two_step: &[usize],
    ) -> Result<()> {
        let table = &schema.tables[st.table];
        let (r, d, a) = st.counts();
        self.line(&format!(
            "-- {}: {} rows ({r} roots, {d} descendants, {a} ancestors)",
            one_line(&table.name.to_string()),
            st.rows.len()
        ));
        // Columns to insert: not generated, carried by the dump for some row.
        let columns: Vec<usize> = (0..table.columns.len())
            .filter(|&c| {
                !table.columns[c].generated
                    && st
                        .rows
                        .iter()
                        .any(|r| !matches!(r.row.cells[c], Cell::Absent))
            })
            .collect();
        let nulled: Vec<usize> = two_step
            .iter()
            .filter(|&&f| schema.foreign_keys[f].child == st.table)
            .flat_map(|&f| schema.foreign_keys[f].child_columns.iter().copied())
            .collect();
        let overriding = columns.iter().any(|&c| table.columns[c].identity.is_some());
        let col_list = columns
            .iter()
            .map(|&c| quote_ident(&table.columns[c].name))
            .collect::<Vec<_>>()
            .join(", ");
        let target = quote_table(&table.name);
        let conflict = table.conflict_key().map(|key| {
            key.iter()
                .map(|&c| quote_ident(&table.columns[c].name))
                .collect::<Vec<_>>()
                .join(", ")
        });
        if conflict.is_none() {
            return self.whole_row_rows(table, &st.rows, &columns, &col_list, overriding);
        }
        for batch in batches(&st.rows, &columns) {
            self.line(&format!(
                "INSERT INTO {target} ({col_list}){} VALUES",
                if overriding {
                    " OVERRIDING SYSTEM VALUE"
                } else {
                    ""
                }
            ));
            self.values(table, batch, &columns, &nulled);
            self.line(&format!(
                "ON CONFLICT ({}) DO NOTHING;",
                conflict.as_deref().unwrap_or_default()
            ));
            self.maybe_flush()?;
        }
        self.line("");
        Ok(())
    }

    fn values(&mut self, table: &Table, rows: &[SelectedRow], columns: &[usize], nulled: &[usize]) {
        for (i, r) in rows.iter().enumerate() {
            self.buf.push(b'(');
            for (j, &c) in columns.iter().enumerate() {
                if j > 0 {
                    self.buf.extend_from_slice(b", ");
                }
                if nulled.contains(&c) {
                    self.buf.extend_from_slice(b"NULL");
                } else {
                    literal(&mut self.buf, table.columns[c].class, &r.row.cells[c]);
                }
            }
            self.buf
                .extend_from_slice(if i + 1 == rows.len() { b")\n" } else { b"),\n" });
        }
    }

    /// A table without a usable key: stage the rows in a temporary table and insert those no
    /// existing row equals on every inserted column.
    fn whole_row_rows(
        &mut self,
        table: &Table,
        rows: &[SelectedRow],
        columns: &[usize],
        col_list: &str,
        overriding: bool,
    ) -> Result<()> {
        let target = quote_table(&table.name);
        self.line("-- no primary key or NOT NULL unique key: existing rows are recognised by every column");
        self.line(&format!(
            "CREATE TEMPORARY TABLE dbsalvage_stage ON COMMIT DROP AS SELECT {col_list} FROM {target} WITH NO DATA;"
        ));
        for batch in batches(rows, columns) {
            self.line(&format!(
                "INSERT INTO pg_temp.dbsalvage_stage ({col_list}) VALUES"
            ));
            self.values(table, batch, columns, &[]);
            self.buf.pop();
            self.line(";");
            self.maybe_flush()?;
        }
        let matches = columns
            .iter()
            .map(|&c| {
                let n = quote_ident(&table.columns[c].name);
                format!("o.{n}::text IS NOT DISTINCT FROM n.{n}::text")
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        let select = columns
            .iter()
            .map(|&c| format!("n.{}", quote_ident(&table.columns[c].name)))
            .collect::<Vec<_>>()
            .join(", ");
        self.line(&format!(
            "INSERT INTO {target} ({col_list}){} SELECT {select} FROM pg_temp.dbsalvage_stage n WHERE NOT EXISTS (SELECT 1 FROM {target} o WHERE {matches});",
            if overriding { " OVERRIDING SYSTEM VALUE" } else { "" }
        ));
        self.line("DROP TABLE pg_temp.dbsalvage_stage;");
        self.line("");
        Ok(())
    }

    /// Second step of a foreign key inserted as NULL: set it on the rows this patch inserted
    /// (those still NULL there).
    fn fill_in(&mut self, schema: &Schema, ctx: &PatchContext<'_>, f: usize) -> Result<()> {
        let fk = &schema.foreign_keys[f];
        let table = &schema.tables[fk.child];
        let Some(key) = table.conflict_key() else {
            return Ok(());
        };
        let Some(st) = ctx.selection.tables.iter().find(|t| t.table == fk.child) else {
            return Ok(());
        };
        self.line(&format!(
            "-- {}: fill in foreign key {} (its rows were inserted before their parents)",
            one_line(&table.name.to_string()),
            one_line(&fk.name)
        ));
        for r in &st.rows {
            if fk
                .child_columns
                .iter()
                .all(|&c| matches!(r.row.cells[c], Cell::Null | Cell::Absent))
            {
                continue;
            }
            let mut sets = Vec::new();
            for &c in &fk.child_columns {
                let mut lit = Vec::new();
                literal(&mut lit, table.columns[c].class, &r.row.cells[c]);
                sets.push(format!(
                    "{} = {}",
                    quote_ident(&table.columns[c].name),
                    String::from_utf8_lossy(&lit)
                ));
            }
            let mut conds = Vec::new();
            for &c in key {
                let mut lit = Vec::new();
                literal(&mut lit, table.columns[c].class, &r.row.cells[c]);
                conds.push(format!(
                    "{} = {}",
                    quote_ident(&table.columns[c].name),
                    String::from_utf8_lossy(&lit)
                ));
            }
            for &c in &fk.child_columns {
                conds.push(format!("{} IS NULL", quote_ident(&table.columns[c].name)));
            }
            self.line(&format!(
                "UPDATE {} SET {} WHERE {};",
                quote_table(&table.name),
                sets.join(", "),
                conds.join(" AND ")
            ));
            self.maybe_flush()?;
        }
        self.line("");
        Ok(())
    }

    /// Every sequence ends at least at the dump's value and past the largest key in its column,
    /// never lower than it is.
    fn sequences(&mut self, schema: &Schema, db: Option<&str>) {
        let mut wrote_header = false;
        for seq in &schema.sequences {
            if seq.name.database.as_deref() != db {
                continue;
            }
            if seq.increment <= 0 {
                continue;
            }
            let dump_last = seq.dump_value.map(|(v, called)| {
                if called {
                    v
                } else {
                    v.saturating_sub(seq.increment)
                }
            });
            let column_max = seq.owner.map(|(t, c)| {
                let table = &schema.tables[t];
                format!(
                    "(SELECT max({}) FROM {})",
                    quote_ident(&table.columns[c].name),
                    quote_table(&table.name)
                )
            });
            let candidates: Vec<String> = dump_last
                .map(|v| v.to_string())
                .into_iter()
                .chain(column_max)
                .collect();
            if candidates.is_empty() {
                continue;
            }
            if !wrote_header {
                self.line("-- sequences: never moved back, always past the rescued keys");
                wrote_header = true;
            }
            let mut regclass = Vec::new();
            string_literal(&mut regclass, quote_table(&seq.name).as_bytes());
            let regclass = String::from_utf8_lossy(&regclass).into_owned();
            self.line(&format!(
                "SELECT pg_catalog.setval({regclass}, target.v, true) FROM (SELECT GREATEST({}) AS v) AS target, {} AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - {} END;",
                candidates.join(", "),
                quote_table(&seq.name),
                seq.increment
            ));
        }
        if wrote_header {
            self.line("");
        }
    }
}

/// Splits rows into statements of at most [`BATCH_ROWS`] rows and about [`BATCH_BYTES`].
fn batches<'r>(rows: &'r [SelectedRow], columns: &[usize]) -> Vec<&'r [SelectedRow]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, r) in rows.iter().enumerate() {
        let size: usize = columns
            .iter()
            .map(|&c| r.row.cells[c].value().map_or(4, |v| v.len() * 2 + 4))
            .sum();
        if i > start && (i - start >= BATCH_ROWS || bytes + size > BATCH_BYTES) {
            out.push(&rows[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < rows.len() {
        out.push(&rows[start..]);
    }
    out
}

/// Text for a `--` comment: no line breaks.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(class: TypeClass, v: &[u8]) -> String {
        let mut out = Vec::new();
        literal(&mut out, class, &Cell::Value(v.into()));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn literals() {
        assert_eq!(lit(TypeClass::Text, b"it's"), "'it''s'");
        assert_eq!(lit(TypeClass::Text, b"back\\slash"), "'back\\slash'");
        assert_eq!(lit(TypeClass::Integer, b"-42"), "-42");
        assert_eq!(lit(TypeClass::Float, b"1e+308"), "'1e+308'");
        assert_eq!(lit(TypeClass::Float, b"-0"), "'-0'");
        assert_eq!(lit(TypeClass::Float, b"NaN"), "'NaN'");
        assert_eq!(
            lit(TypeClass::Numeric, b"1; DROP TABLE x"),
            "'1; DROP TABLE x'"
        );
        assert_eq!(lit(TypeClass::Boolean, b"t"), "true");
        assert_eq!(lit(TypeClass::Binary, b"\x00\xff'"), "'\\x00ff27'");
        let mut out = Vec::new();
        literal(&mut out, TypeClass::Text, &Cell::Null);
        assert_eq!(out, b"NULL");
    }

    #[test]
    fn identifiers() {
        assert_eq!(quote_ident("Mixed \"Q\""), "\"Mixed \"\"Q\"\"\"");
        assert_eq!(
            quote_table(&TableName::new(Some("Sales"), "Order")),
            "\"Sales\".\"Order\""
        );
    }

    #[test]
    fn plain_numbers() {
        for ok in ["0", "-1", "1.5", ".5", "5.", "1e10", "-2.5E-3"] {
            assert!(is_plain_number(ok.as_bytes()), "{ok}");
        }
        for bad in ["", "-", "1e", "Infinity", "1 ", "0x10", "1;"] {
            assert!(!is_plain_number(bad.as_bytes()), "{bad}");
        }
    }
}
