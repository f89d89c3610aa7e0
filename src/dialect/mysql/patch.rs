//! The SQL patch for the mysql / mariadb client: `mysql RESTORED_DB < patch.sql`.
//!
//! # What the patch does
//!
//! ```sql
//! SET NAMES utf8mb4;  SET TIME_ZONE = '+00:00';  SET SESSION sql_mode = '…';
//! START TRANSACTION;
//! -- per table, parents first:
//! CREATE TEMPORARY TABLE stage (seq … PRIMARY KEY) SELECT <columns> FROM t LIMIT 0;
//! INSERT INTO stage (seq, <columns>) VALUES (1, …), (2, …);        -- ≤ 1000 rows, ≤ 4 MB
//! DELETE FROM stage WHERE EXISTS (SELECT 1 FROM t WHERE t.pk = stage.pk);
//! INSERT INTO t (<columns>) SELECT <columns> FROM stage ORDER BY seq;
//! DROP TEMPORARY TABLE stage;
//! COMMIT;
//! ```
//!
//! # Why this shape
//!
//! - **Skip only rows whose primary key exists.** The staging table holds the rescued rows; the
//!   `DELETE` removes those whose key (primary key, else a NOT NULL unique key, else the whole
//!   row compared with `<=>`) the database already has, and what is left is inserted with a plain
//!   `INSERT`, so every other problem — another unique key, a CHECK, a foreign key, a value the
//!   column cannot hold — fails loudly with the server's message. `INSERT IGNORE` would swallow
//!   those, `ON DUPLICATE KEY UPDATE` fires on any unique key. Staging also means every value is
//!   converted by the real column type (the staging table is `CREATE … SELECT … LIMIT 0` from the
//!   target, so same types, charsets and collations; a `UNION ALL` derived table would
//!   aggregate types instead), and that the insertion order is the selection's (`ORDER BY seq`:
//!   InnoDB checks foreign keys row by row, so a self-referencing parent must come first).
//! - **Transactions.** `CREATE/DROP TEMPORARY TABLE` do not commit implicitly (unlike any other
//!   DDL, which is why there is no `ALTER TABLE … AUTO_INCREMENT` and no `DROP TRIGGER`). The
//!   client stops at the first error (unless run with `--force`: don't) and closes the
//!   connection, which rolls the open transaction back: all or nothing on InnoDB. MyISAM tables
//!   cannot roll back.
//! - **AUTO_INCREMENT.** InnoDB (and MyISAM) move the counter past explicitly inserted values by
//!   themselves; `NO_AUTO_VALUE_ON_ZERO` keeps a dumped key 0 as 0.
//! - **Triggers.** `BEFORE INSERT` triggers may rewrite the rescued values (Sakila sets
//!   `create_date` to `NOW()`). Dropping triggers is DDL (implicit commit, a window without
//!   them, and `CREATE TRIGGER` may need SUPER with binary logging), and the triggers were not
//!   written to test a session variable. So for a table with triggers each row is inserted on
//!   its own and immediately followed, in the same transaction, by an `UPDATE` that puts the
//!   dump's values back into exactly that row (joined on its key through the staging table,
//!   which only holds rows this patch inserted), and only if a value differs — so `UPDATE`
//!   triggers fire only for rows an insert trigger changed, and setting every column (including
//!   `ON UPDATE CURRENT_TIMESTAMP` ones) keeps the dump's values. Row by row so that values a
//!   trigger writes for a moment (the same `NOW()` for every row) never collide in a unique key.
//!   `AFTER INSERT` triggers still run, as they did when the rows were first written.
//! - **Values.** The session's `sql_mode` is set explicitly (so `NO_BACKSLASH_ESCAPES`,
//!   `ANSI_QUOTES` or `PIPES_AS_CONCAT` in the server's global mode change nothing), and the
//!   patch never writes a backslash at all: text that is not plain printable ASCII without `'` is
//!   written as a hex literal with the dump's character set introducer (`_utf8mb4 X'…'`), binary,
//!   BIT and GEOMETRY cells (raw bytes) as `X'…'`, numbers bare only when they are plain numeric
//!   text. Identifiers are in backticks with backticks doubled, comments are reduced to printable
//!   characters without backslashes (the `mysql` client runs `\` commands even in comments).
//! - **Strictness.** `STRICT_ALL_TABLES` makes a value the column cannot hold an error instead of
//!   a warning and a mangled value; `NO_ZERO_DATE` is left out because dumps hold `0000-00-00`.
//! - **Foreign key cycles** (`selection.unordered_fks`): no insertion order satisfies them, so
//!   `FOREIGN_KEY_CHECKS` is turned off for the session, and before `COMMIT` every foreign key of
//!   every inserted row is verified with a query that fails (`Subquery returns more than 1 row`)
//!   when a parent is missing.
//!
//! # Limits
//! - A `BEFORE INSERT` trigger that changes the key, or a table without a usable key, leaves
//!   the trigger's values in place (the row cannot be found again); the patch says so in a
//!   comment. `AFTER INSERT` triggers that write rows the patch also inserts make it fail
//!   (duplicate key) rather than silently diverge.
//! - MySQL 8 with GTID consistency enforced accepts temporary tables inside a transaction only
//!   with `binlog_format=ROW` or `MIXED` (8.0.13+). Only MariaDB 10.11 was tried for real.
//! - Columns the dump leaves out for some rows only (different column lists for one table) get
//!   the staging table's default, which `CREATE … SELECT` copies only partly.

use std::io::Write;

use crate::dialect::{PatchContext, PatchWriter};
use crate::error::{Error, Result};
use crate::row::Cell;
use crate::schema::{Table, TableId, TypeClass};
use crate::select::SelectedTable;

/// Rows per staging INSERT.
const BATCH_ROWS: usize = 1000;
/// Bytes per staging INSERT (max_allowed_packet is 16 MB by default in MySQL 8, 4 MB in 5.7).
const BATCH_BYTES: usize = 4 << 20;

/// Writes patches for `mysql DB < patch.sql`.
#[derive(Debug, Default, Clone, Copy)]
pub struct MysqlPatch;

impl PatchWriter for MysqlPatch {
    fn write(&self, out: &mut dyn Write, ctx: &PatchContext<'_>) -> Result<()> {
        let mut w = Out { out };
        write_patch(&mut w, ctx)
    }
}

struct Out<'a> {
    out: &'a mut dyn Write,
}

impl Out<'_> {
    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        self.out
            .write_all(bytes)
            .map_err(|e| Error::io("writing the SQL patch", e))
    }

    fn line(&mut self, s: &str) -> Result<()> {
        self.put(s.as_bytes())?;
        self.put(b"\n")
    }
}

/// A backtick-quoted identifier.
pub fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// Text for a `--` comment: printable, one line, no backslash.
pub fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() || c == '\\' { '?' } else { c })
        .collect()
}

fn is_name(s: &str, extra: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || extra.contains(c))
}

/// Is this text safe inside `'…'` whatever the mode: printable ASCII, no quote, no backslash.
fn plain_text(v: &[u8]) -> bool {
    v.iter()
        .all(|&b| (0x20..0x7f).contains(&b) && b != b'\'' && b != b'\\')
}

/// Appends the SQL literal for one cell of a column of class `class`.
pub fn literal(out: &mut Vec<u8>, class: TypeClass, cell: &Cell, charset: &str) {
    let v = match cell {
        Cell::Null => return out.extend_from_slice(b"NULL"),
        Cell::Absent => return out.extend_from_slice(b"DEFAULT"),
        Cell::Value(v) => v,
    };
    match class {
        TypeClass::Binary | TypeClass::Bit | TypeClass::Geometry => hex(out, v),
        TypeClass::Integer | TypeClass::Numeric | TypeClass::Float
            if super::values::is_number(v) =>
        {
            out.extend_from_slice(v);
        }
        _ if plain_text(v) => {
            out.push(b'\'');
            out.extend_from_slice(v);
            out.push(b'\'');
        }
        _ => {
            out.push(b'_');
            out.extend_from_slice(charset.as_bytes());
            out.push(b' ');
            hex(out, v);
        }
    }
}

fn hex(out: &mut Vec<u8>, v: &[u8]) {
    out.extend_from_slice(b"X'");
    crate::emit::extend_hex(out, v, true);
    out.push(b'\'');
}

/// How one table's rows are written.
struct Plan<'a> {
    id: TableId,
    table: &'a Table,
    /// The table, quoted (with its database when the dump holds several).
    name: String,
    /// The staging table, quoted.
    stage: String,
    /// The sequence column of the staging table, quoted.
    seq: String,
    /// Columns inserted.
    columns: Vec<usize>,
    /// Columns that recognise an existing row; `None`: the whole row.
    key: Option<Vec<usize>>,
}

impl Plan<'_> {
    /// Column names, unquoted, for comments.
    fn column_list_of(&self, cols: &[usize]) -> String {
        cols.iter()
            .map(|&c| self.table.columns[c].name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn column_list(&self, prefix: &str) -> String {
        self.columns
            .iter()
            .map(|&c| format!("{prefix}{}", ident(&self.table.columns[c].name)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `a.c = b.c AND …` over `cols` (`<=>` when NULL may occur).
    fn equal(&self, cols: &[usize], a: &str, b: &str, null_safe: bool) -> String {
        let op = if null_safe { "<=>" } else { "=" };
        cols.iter()
            .map(|&c| {
                let n = ident(&self.table.columns[c].name);
                format!("{a}.{n} {op} {b}.{n}")
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }
}

/// `name` quoted, in `table`'s database when the dump holds several (else in the database the
/// client was started on).
fn qualified(ctx: &PatchContext<'_>, table: &Table, name: &str) -> String {
    match (&table.name.database, ctx.schema.multi_database()) {
        (Some(db), true) => format!("{}.{}", ident(db), ident(name)),
        _ => ident(name),
    }
}

fn plan<'a>(ctx: &PatchContext<'a>, st: &SelectedTable, n: usize) -> Plan<'a> {
    let table = &ctx.schema.tables[st.table];
    let qualify = |name: &str| qualified(ctx, table, name);
    let columns: Vec<usize> = (0..table.columns.len())
        .filter(|&c| {
            !table.columns[c].generated
                && st
                    .rows
                    .iter()
                    .any(|r| !matches!(r.row.cells.get(c), Some(Cell::Absent) | None))
        })
        .collect();
    let key = table
        .conflict_key()
        .filter(|k| {
            k.iter().all(|c| columns.contains(c))
                && st.rows.iter().all(|r| {
                    k.iter()
                        .all(|&c| matches!(r.row.cells.get(c), Some(Cell::Value(_))))
                })
        })
        .map(<[usize]>::to_vec);
    let mut seq = String::from("_dbsalvage_seq");
    while table
        .columns
        .iter()
        .any(|c| c.name.eq_ignore_ascii_case(&seq))
    {
        seq.push('_');
    }
    Plan {
        id: st.table,
        table,
        name: qualify(&table.name.name),
        stage: qualify(&format!("_dbsalvage_stage_{n}")),
        seq: ident(&seq),
        columns,
        key,
    }
}

fn write_patch(w: &mut Out<'_>, ctx: &PatchContext<'_>) -> Result<()> {
    let info = ctx.info;
    let charset = info
        .encoding
        .as_deref()
        .filter(|c| is_name(c, ""))
        .unwrap_or("utf8mb4")
        .to_ascii_lowercase();
    let selection = ctx.selection;

    // Header.
    w.line("-- dbsalvage patch for the mysql / mariadb client.")?;
    w.line("-- Apply onto the restored database:  mysql RESTORED_DB < THIS_FILE")?;
    w.line("-- (never with --force: the first error must stop it, so nothing is committed).")?;
    w.line(&format!("-- Source: {}", comment_text(ctx.source_name)))?;
    if let Some(tool) = &info.tool {
        let server = info
            .server_version
            .as_deref()
            .map(|v| format!(", server {v}"))
            .unwrap_or_default();
        w.line(&format!(
            "-- Dump: {}{}",
            comment_text(tool),
            comment_text(&server)
        ))?;
    }
    w.line(&format!(
        "-- Rows created after: {}",
        comment_text(ctx.since)
    ))?;
    w.line(&format!(
        "-- {} rows in {} tables (roots, descendants, ancestors):",
        selection.row_count(),
        selection.tables.len()
    ))?;
    for st in &selection.tables {
        let (r, d, a) = st.counts();
        w.line(&format!(
            "--   {}: {} ({r}, {d}, {a})",
            comment_text(&ctx.schema.tables[st.table].name.to_string()),
            st.rows.len()
        ))?;
    }
    w.line(
        "-- Rows whose key the database already has are skipped; any other error stops the patch.",
    )?;
    w.line("")?;
    w.line(&format!("SET NAMES {charset};"))?;
    match info.time_zone.as_deref().filter(|z| is_name(z, "+-:/")) {
        Some(zone) => {
            w.line("-- TIMESTAMP values are in the zone the dump was written in.")?;
            w.line(&format!("SET TIME_ZONE = '{zone}';"))?;
        }
        None => w.line(
            "-- The dump does not say which zone its TIMESTAMP values are in: they are read in this session's zone.",
        )?,
    }
    w.line(
        "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION';",
    )?;
    let fk_off = !selection.unordered_fks.is_empty();
    if fk_off {
        let names: Vec<String> = selection
            .unordered_fks
            .iter()
            .map(|&f| comment_text(&ctx.schema.foreign_keys[f].name))
            .collect();
        w.line(&format!(
            "-- Foreign keys {} form a cycle no insertion order satisfies: checks are off",
            names.join(", ")
        ))?;
        w.line("-- until every inserted row's foreign keys have been verified below.")?;
        w.line("SET @dbsalvage_fk_checks = @@FOREIGN_KEY_CHECKS;")?;
        w.line("SET FOREIGN_KEY_CHECKS = 0;")?;
    }
    w.line("START TRANSACTION;")?;

    let mut kept: Vec<Plan<'_>> = Vec::new();
    for (n, st) in selection.tables.iter().enumerate() {
        if st.rows.is_empty() {
            continue;
        }
        let p = plan(ctx, st, n + 1);
        if !write_table(w, &p, st, &charset)? {
            continue;
        }
        if fk_off {
            kept.push(p);
        } else {
            w.line(&format!("DROP TEMPORARY TABLE {};", p.stage))?;
        }
    }
    if fk_off {
        w.line("")?;
        for p in &kept {
            write_fk_checks(w, ctx, p)?;
        }
        for p in &kept {
            w.line(&format!("DROP TEMPORARY TABLE {};", p.stage))?;
        }
    }
    w.line("")?;
    w.line("COMMIT;")?;
    if fk_off {
        w.line("SET FOREIGN_KEY_CHECKS = @dbsalvage_fk_checks;")?;
    }
    Ok(())
}

/// Writes one table's rows; returns whether the staging table was created.
fn write_table(w: &mut Out<'_>, p: &Plan<'_>, st: &SelectedTable, charset: &str) -> Result<bool> {
    let t = p.table;
    let (r, d, a) = st.counts();
    w.line("")?;
    let key_text = match &p.key {
        Some(k) if Some(k.as_slice()) == t.primary_key.as_deref() => {
            format!("its primary key ({})", comment_text(&p.column_list_of(k)))
        }
        Some(k) => format!("the unique key ({})", comment_text(&p.column_list_of(k))),
        None => "all their columns (no primary or NOT NULL unique key)".to_string(),
    };
    w.line(&format!(
        "-- {}: {} rows ({r} roots, {d} descendants, {a} ancestors); existing rows are recognised by {key_text}.",
        comment_text(&t.name.to_string()),
        st.rows.len()
    ))?;
    if p.columns.is_empty() {
        w.line("-- (no column to insert)")?;
        return Ok(false);
    }
    let cols = p.column_list("");
    w.line(&format!(
        "CREATE TEMPORARY TABLE {} ({} BIGINT UNSIGNED NOT NULL DEFAULT 0 PRIMARY KEY) SELECT {cols} FROM {} LIMIT 0;",
        p.stage, p.seq, p.name
    ))?;

    // The rows, in batches.
    let head = format!("INSERT INTO {} ({}, {cols}) VALUES\n", p.stage, p.seq);
    let mut stmt: Vec<u8> = Vec::with_capacity(head.len() + (64 << 10));
    let mut in_stmt = 0usize;
    let mut row_buf: Vec<u8> = Vec::new();
    for (i, sr) in st.rows.iter().enumerate() {
        row_buf.clear();
        row_buf.push(b'(');
        row_buf.extend_from_slice((i + 1).to_string().as_bytes());
        for &c in &p.columns {
            row_buf.push(b',');
            let cell = sr.row.cells.get(c).unwrap_or(&Cell::Absent);
            literal(&mut row_buf, t.columns[c].class, cell, charset);
        }
        row_buf.push(b')');
        if in_stmt > 0 && (in_stmt >= BATCH_ROWS || stmt.len() + row_buf.len() + 2 > BATCH_BYTES) {
            stmt.extend_from_slice(b";\n");
            w.put(&stmt)?;
            stmt.clear();
            in_stmt = 0;
        }
        if in_stmt == 0 {
            stmt.extend_from_slice(head.as_bytes());
        } else {
            stmt.extend_from_slice(b",\n");
        }
        stmt.extend_from_slice(&row_buf);
        in_stmt += 1;
    }
    if in_stmt > 0 {
        stmt.extend_from_slice(b";\n");
        w.put(&stmt)?;
    }

    // Forget the rows the database has. (Single-table DELETE naming the staging table in full:
    // the multi-table form resolves its alias in the default database, which a patch of a
    // multi-database dump may not have.)
    let matching = match &p.key {
        Some(k) => p.equal(k, "`t`", &p.stage, false),
        None => p.equal(&p.columns, "`t`", &p.stage, true),
    };
    w.line(&format!(
        "DELETE FROM {} WHERE EXISTS (SELECT 1 FROM {} AS `t` WHERE {matching});",
        p.stage, p.name
    ))?;

    if t.triggers.is_empty() {
        w.line(&format!(
            "INSERT INTO {} ({cols}) SELECT {cols} FROM {} ORDER BY {};",
            p.name, p.stage, p.seq
        ))?;
        return Ok(true);
    }

    // Triggers: row by row, each followed by putting the dump's values back.
    w.line(&format!(
        "-- Triggers on this table ({}) may rewrite inserted values: each row is inserted alone,",
        comment_text(&t.triggers.join(", "))
    ))?;
    let restore = match &p.key {
        Some(k) => {
            let others: Vec<usize> = p
                .columns
                .iter()
                .copied()
                .filter(|c| !k.contains(c))
                .collect();
            if others.is_empty() {
                None
            } else {
                w.line("-- then the dump's values are put back into that row where a trigger changed them.")?;
                let set = others
                    .iter()
                    .map(|&c| {
                        let n = ident(&t.columns[c].name);
                        format!("`t`.{n} = `s`.{n}")
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let same = others
                    .iter()
                    .map(|&c| {
                        let n = ident(&t.columns[c].name);
                        if t.columns[c].class == TypeClass::Text {
                            // Collations compare 'a' = 'A': compare the bytes.
                            format!("CAST(`t`.{n} AS BINARY) <=> CAST(`s`.{n} AS BINARY)")
                        } else {
                            format!("`t`.{n} <=> `s`.{n}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" AND ");
                Some((set, same, p.equal(k, "`t`", "`s`", false)))
            }
        }
        None => {
            w.line("-- Without a key the inserted row cannot be found again: values a trigger changes stay changed.")?;
            None
        }
    };
    for i in 1..=st.rows.len() {
        w.line(&format!(
            "INSERT INTO {} ({cols}) SELECT {cols} FROM {} WHERE {} = {i};",
            p.name, p.stage, p.seq
        ))?;
        if let Some((set, same, on)) = &restore {
            w.line(&format!(
                "UPDATE {} AS `t` JOIN {} AS `s` ON {on} SET {set} WHERE `s`.{} = {i} AND NOT ({same});",
                p.name, p.stage, p.seq
            ))?;
        }
    }
    Ok(true)
}

/// Verifies every foreign key of the rows inserted while FOREIGN_KEY_CHECKS was off.
fn write_fk_checks(w: &mut Out<'_>, ctx: &PatchContext<'_>, p: &Plan<'_>) -> Result<()> {
    for (_, fk) in ctx.schema.outgoing(p.id) {
        if !fk.child_columns.iter().all(|c| p.columns.contains(c)) {
            // A column the patch does not insert holds the server's default: nothing to verify.
            continue;
        }
        let parent = &ctx.schema.tables[fk.parent];
        let parent_name = qualified(ctx, parent, &parent.name.name);
        let not_null = fk
            .child_columns
            .iter()
            .map(|&c| format!("`s`.{} IS NOT NULL", ident(&p.table.columns[c].name)))
            .collect::<Vec<_>>()
            .join(" AND ");
        let on = fk
            .child_columns
            .iter()
            .zip(&fk.parent_columns)
            .map(|(&c, &pc)| {
                format!(
                    "`r`.{} = `s`.{}",
                    ident(&parent.columns[pc].name),
                    ident(&p.table.columns[c].name)
                )
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        w.line(&format!(
            "-- Check foreign key {} ({} -> {}): fails with \"Subquery returns more than 1 row\" if an inserted row lacks its parent.",
            comment_text(&fk.name),
            comment_text(&p.table.name.to_string()),
            comment_text(&parent.name.to_string())
        ))?;
        w.line(&format!(
            "SET @dbsalvage_check = (SELECT 1 FROM (SELECT 1 AS `x` UNION ALL SELECT 2) AS `two` WHERE EXISTS (SELECT 1 FROM {} AS `s` WHERE {not_null} AND NOT EXISTS (SELECT 1 FROM {parent_name} AS `r` WHERE {on})));",
            p.stage
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::DumpInfo;
    use crate::row::Row;
    use crate::schema::{Column, ForeignKeyDecl, SchemaBuilder, TableName};
    use crate::select::{Reason, SelectedRow, Selection};

    fn lit(class: TypeClass, cell: Cell) -> String {
        let mut out = Vec::new();
        literal(&mut out, class, &cell, "utf8mb4");
        String::from_utf8(out).unwrap()
    }

    fn v(b: &[u8]) -> Cell {
        Cell::Value(b.into())
    }

    #[test]
    fn literals_never_hold_a_backslash_or_a_bare_quote() {
        use TypeClass::*;
        let cases: &[(TypeClass, Cell, &str)] = &[
            (Integer, Cell::Null, "NULL"),
            (Integer, Cell::Absent, "DEFAULT"),
            (Integer, v(b"-42"), "-42"),
            (Numeric, v(b"99999999.99"), "99999999.99"),
            (Float, v(b"1e308"), "1e308"),
            (
                Float,
                v(b"2.2250738585072014e-308"),
                "2.2250738585072014e-308",
            ),
            (Integer, v(b"1; DROP TABLE x"), "'1; DROP TABLE x'"),
            (Float, v(b"nan"), "'nan'"),
            (Text, v(b""), "''"),
            (
                Text,
                v(b"plain text, with \"double\" quotes; -- and /* */ #"),
                "'plain text, with \"double\" quotes; -- and /* */ #'",
            ),
            (Text, v(b"O'Brien"), "_utf8mb4 X'4F27427269656E'"),
            (Text, v(b"back\\slash"), "_utf8mb4 X'6261636B5C736C617368'"),
            (Text, v(b"nl\n"), "_utf8mb4 X'6E6C0A'"),
            (
                Text,
                v("caf\u{e9} \u{1f600}".as_bytes()),
                "_utf8mb4 X'636166C3A920F09F9880'",
            ),
            (Json, v(br#"{"a": "b"}"#), r#"'{"a": "b"}'"#),
            (
                TimestampSession,
                v(b"2024-03-01 10:00:00"),
                "'2024-03-01 10:00:00'",
            ),
            (Binary, v(b""), "X''"),
            (Binary, v(b"\x00\xff\\'"), "X'00FF5C27'"),
            (Bit, v(b"\x15"), "X'15'"),
            (Geometry, v(b"\xe6\x10\x00\x00\x01"), "X'E610000001'"),
        ];
        for (class, cell, want) in cases {
            assert_eq!(lit(*class, cell.clone()), *want, "{class:?} {cell:?}");
        }
    }

    #[test]
    fn comments_are_one_line_without_backslash() {
        assert_eq!(comment_text("a\nb\\! rm -rf\r\u{0}é"), "a?b?! rm -rf??é");
        assert_eq!(ident("we`ird"), "`we``ird`");
    }

    fn column(name: &str, class: TypeClass) -> Column {
        Column::new(name, "t", class)
    }

    /// customer(id PK, name, created, gen GENERATED) with a trigger; note(no key) referencing it.
    fn fixture(cycle: bool) -> (crate::schema::Schema, Selection) {
        let mut b = SchemaBuilder::new();
        let mut gen = column("gen", TypeClass::Integer);
        gen.generated = true;
        b.add_table(Table {
            name: TableName::new(None, "customer"),
            columns: vec![
                column("id", TypeClass::Integer),
                column("name", TypeClass::Text),
                column("created", TypeClass::Timestamp),
                gen,
            ],
            primary_key: Some(vec![0]),
            unique_keys: vec![],
            partition_of: None,
            is_partitioned: false,
            triggers: vec!["customer_bi".into()],
        });
        b.add_table(Table {
            name: TableName::new(None, "note"),
            columns: vec![
                column("customer_id", TypeClass::Integer),
                column("body", TypeClass::Text),
            ],
            primary_key: None,
            unique_keys: vec![],
            partition_of: None,
            is_partitioned: false,
            triggers: vec![],
        });
        b.add_foreign_key(ForeignKeyDecl {
            name: "fk_note".into(),
            child: TableName::new(None, "note"),
            child_columns: vec!["customer_id".into()],
            parent: TableName::new(None, "customer"),
            parent_columns: vec!["id".into()],
            deferrable: false,
        });
        let schema = b.finish().unwrap();
        let row = |cells: Vec<Cell>, offset| SelectedRow {
            row: Row {
                cells: cells.into_boxed_slice(),
                offset,
            },
            reason: Reason::Root,
        };
        let selection = Selection {
            tables: vec![
                crate::select::SelectedTable {
                    table: 0,
                    rows: vec![
                        row(
                            vec![v(b"1"), v(b"O'Brien"), v(b"2024-01-01 00:00:00"), v(b"2")],
                            10,
                        ),
                        row(
                            vec![v(b"2"), Cell::Null, v(b"2024-01-02 00:00:00"), Cell::Absent],
                            20,
                        ),
                    ],
                },
                crate::select::SelectedTable {
                    table: 1,
                    rows: vec![row(vec![v(b"1"), v(b"hi \\ there")], 30)],
                },
            ],
            unordered_fks: if cycle { vec![0] } else { vec![] },
            ..Selection::default()
        };
        (schema, selection)
    }

    fn patch(cycle: bool, info: &DumpInfo) -> String {
        let (schema, selection) = fixture(cycle);
        let ctx = PatchContext {
            schema: &schema,
            info,
            selection: &selection,
            source_name: "dump\\n.sql\n-- x",
            since: "2024-01-01",
        };
        let mut out = Vec::new();
        MysqlPatch.write(&mut out, &ctx).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn patch_shape() {
        let info = DumpInfo {
            encoding: Some("latin1".into()),
            time_zone: Some("+00:00".into()),
            ..DumpInfo::default()
        };
        let p = patch(false, &info);
        assert!(!p.contains('\\'), "{p}");
        for line in p.lines() {
            assert!(
                line.starts_with("--")
                    || line.is_empty()
                    || line.ends_with(';')
                    || line.ends_with(',')
                    || line.ends_with("VALUES"),
                "{line}"
            );
        }
        let expect = [
            "SET NAMES latin1;",
            "SET TIME_ZONE = '+00:00';",
            "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION';",
            "START TRANSACTION;",
            "CREATE TEMPORARY TABLE `_dbsalvage_stage_1` (`_dbsalvage_seq` BIGINT UNSIGNED NOT NULL DEFAULT 0 PRIMARY KEY) SELECT `id`, `name`, `created` FROM `customer` LIMIT 0;",
            "INSERT INTO `_dbsalvage_stage_1` (`_dbsalvage_seq`, `id`, `name`, `created`) VALUES\n(1,1,_latin1 X'4F27427269656E','2024-01-01 00:00:00'),\n(2,2,NULL,'2024-01-02 00:00:00');",
            "DELETE FROM `_dbsalvage_stage_1` WHERE EXISTS (SELECT 1 FROM `customer` AS `t` WHERE `t`.`id` = `_dbsalvage_stage_1`.`id`);",
            "INSERT INTO `customer` (`id`, `name`, `created`) SELECT `id`, `name`, `created` FROM `_dbsalvage_stage_1` WHERE `_dbsalvage_seq` = 2;",
            "UPDATE `customer` AS `t` JOIN `_dbsalvage_stage_1` AS `s` ON `t`.`id` = `s`.`id` SET `t`.`name` = `s`.`name`, `t`.`created` = `s`.`created` WHERE `s`.`_dbsalvage_seq` = 2 AND NOT (CAST(`t`.`name` AS BINARY) <=> CAST(`s`.`name` AS BINARY) AND `t`.`created` <=> `s`.`created`);",
            "DROP TEMPORARY TABLE `_dbsalvage_stage_1`;",
            "DELETE FROM `_dbsalvage_stage_2` WHERE EXISTS (SELECT 1 FROM `note` AS `t` WHERE `t`.`customer_id` <=> `_dbsalvage_stage_2`.`customer_id` AND `t`.`body` <=> `_dbsalvage_stage_2`.`body`);",
            "INSERT INTO `note` (`customer_id`, `body`) SELECT `customer_id`, `body` FROM `_dbsalvage_stage_2` ORDER BY `_dbsalvage_seq`;",
            "COMMIT;",
        ];
        let mut at = 0;
        for e in expect {
            let found = p[at..]
                .find(e)
                .unwrap_or_else(|| panic!("missing or out of order: {e}\n{p}"));
            at += found + e.len();
        }
        assert!(!p.contains("FOREIGN_KEY_CHECKS"));
        assert!(p.contains("-- Source: dump?n.sql?-- x\n"), "{p}");
    }

    #[test]
    fn cycles_turn_checks_off_and_verify_before_commit() {
        let p = patch(true, &DumpInfo::default());
        assert!(p.contains("SET NAMES utf8mb4;"));
        assert!(!p.contains("SET TIME_ZONE"));
        let off = p.find("SET FOREIGN_KEY_CHECKS = 0;").unwrap();
        let check = p.find("SET @dbsalvage_check = (SELECT 1 FROM (SELECT 1 AS `x` UNION ALL SELECT 2) AS `two` WHERE EXISTS (SELECT 1 FROM `_dbsalvage_stage_2` AS `s` WHERE `s`.`customer_id` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `customer` AS `r` WHERE `r`.`id` = `s`.`customer_id`)));").unwrap();
        let drop = p
            .find("DROP TEMPORARY TABLE `_dbsalvage_stage_2`;")
            .unwrap();
        let commit = p.find("COMMIT;").unwrap();
        let on = p
            .find("SET FOREIGN_KEY_CHECKS = @dbsalvage_fk_checks;")
            .unwrap();
        assert!(
            off < check && check < drop && drop < commit && commit < on,
            "{p}"
        );
    }

    #[test]
    fn batches_respect_row_and_byte_caps() {
        let (schema, mut selection) = fixture(false);
        let template = selection.tables[1].rows[0].clone();
        selection.tables[1].rows = (0..2500)
            .map(|i| {
                let mut r = template.clone();
                r.row.offset = i;
                r
            })
            .collect();
        // One huge row of its own.
        selection.tables[1].rows[10].row.cells[1] = v(&vec![b'x'; BATCH_BYTES]);
        let info = DumpInfo::default();
        let ctx = PatchContext {
            schema: &schema,
            info: &info,
            selection: &selection,
            source_name: "d",
            since: "s",
        };
        let mut out = Vec::new();
        MysqlPatch.write(&mut out, &ctx).unwrap();
        let p = String::from_utf8(out).unwrap();
        let inserts: Vec<&str> = p
            .split(";\n")
            .filter(|s| s.starts_with("INSERT INTO `_dbsalvage_stage_2`"))
            .collect();
        let rows: Vec<usize> = inserts.iter().map(|s| s.lines().count() - 1).collect();
        assert_eq!(rows, [10, 1, 1000, 1000, 489]);
        assert!(inserts.iter().filter(|s| s.len() > BATCH_BYTES).count() == 1);
    }
}
