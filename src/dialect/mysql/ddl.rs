//! `CREATE TABLE` (through sqlparser's `MySqlDialect`) and the heads of the other DDL
//! statements the reader looks at (`CREATE TRIGGER`, `CREATE VIEW`).
//!
//! The statement text given here has already been normalized by
//! [`super::lexer::normalize`] (comments dropped, `/*!NNNNN … */` unwrapped). Before sqlparser
//! sees it, the table's element list is trimmed to what the schema needs and what sqlparser
//! understands: table options and partition clauses after the list are cut; plain indexes
//! (`KEY`, `FULLTEXT`, `SPATIAL`), `CHECK` constraints and MariaDB `PERIOD FOR` are dropped; index
//! options after a `PRIMARY KEY`/`UNIQUE` column list are cut; column attributes sqlparser does
//! not know and that do not matter here (`COMPRESSED`, `COLUMN_FORMAT`, `STORAGE`,
//! `ENGINE_ATTRIBUTE`, `WITH[OUT] SYSTEM VERSIONING`) are removed; `PERSISTENT` becomes `STORED`;
//! MariaDB system-versioning columns (`GENERATED ALWAYS AS ROW START|END`) become plain columns
//! marked generated.

use sqlparser::ast::{
    ColumnOption, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, IndexColumn,
    ObjectName, Statement, TableConstraint,
};
use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::Parser;

use super::lexer::{Tok, Tokens};
use crate::schema::{Column, ForeignKeyDecl, Table, TableName, TypeClass, UniqueKey};

/// What one `CREATE TABLE` declares.
#[derive(Debug)]
pub struct CreateTable {
    /// The table (no triggers yet).
    pub table: Table,
    /// Its foreign keys, by name.
    pub foreign_keys: Vec<ForeignKeyDecl>,
    /// `CREATE TABLE t LIKE other`: the table to copy (sqlparser not involved).
    pub like: Option<TableName>,
}

/// Decodes identifier bytes of the dump (UTF-8, or Latin-1 when the dump says so).
pub fn text(bytes: &[u8], latin1: bool) -> String {
    if latin1 {
        bytes.iter().map(|&b| char::from(b)).collect()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// A `[db.]name` reference from tokens; `None` when the tokens do not start with one. Returns the
/// name and how many tokens it used.
pub fn qualified_name(toks: &[Tok<'_>], latin1: bool) -> Option<(Option<String>, String, usize)> {
    let first = toks.first()?.ident()?;
    if matches!(toks.get(1), Some(Tok::Punct(b'.'))) {
        let second = toks.get(2)?.ident()?;
        return Some((Some(text(&first, latin1)), text(&second, latin1), 3));
    }
    Some((None, text(&first, latin1), 1))
}

/// Parses a normalized `CREATE TABLE` statement. `database` is the current `USE` database.
///
/// # Errors
/// A message for `Error::Ddl` when the statement cannot be understood.
pub fn create_table(
    stmt: &[u8],
    database: Option<&str>,
    latin1: bool,
) -> Result<CreateTable, String> {
    let toks = Tokens::new(stmt, 0, true);
    let prepared = prepare(stmt, toks, latin1)?;
    if let Prepared::Like { name, like } = prepared {
        let name = table_name(name, database);
        let like = table_name(like, database);
        return Ok(CreateTable {
            table: empty_table(name),
            foreign_keys: Vec::new(),
            like: Some(like),
        });
    }
    let Prepared::Sql {
        sql,
        versioning_columns,
        json_checks,
    } = prepared
    else {
        return Err("internal: unexpected CREATE TABLE form".into());
    };
    let statements = Parser::parse_sql(&MySqlDialect {}, &sql).map_err(|e| e.to_string())?;
    let [Statement::CreateTable(ct)] = statements.as_slice() else {
        return Err("expected exactly one CREATE TABLE statement".into());
    };
    let (db, name) = object_name(&ct.name)?;
    let name = table_name((db, name), database);
    let mut table = empty_table(name.clone());
    let mut foreign_keys = Vec::new();
    let mut json_columns: Vec<String> = json_checks;
    for def in &ct.columns {
        let type_name = def.data_type.to_string().to_ascii_lowercase();
        let mut col = Column::new(&def.name.value, &type_name, classify(&def.data_type));
        for opt in &def.options {
            match &opt.option {
                ColumnOption::NotNull => col.not_null = true,
                ColumnOption::Generated { .. } => col.generated = true,
                ColumnOption::DialectSpecific(tokens)
                    if tokens
                        .iter()
                        .any(|t| t.to_string().eq_ignore_ascii_case("AUTO_INCREMENT")) =>
                {
                    col.auto_increment = true;
                }
                ColumnOption::PrimaryKey(_) => {
                    col.not_null = true;
                    table.primary_key = Some(vec![table.columns.len()]);
                }
                ColumnOption::Unique(_) => table.unique_keys.push(UniqueKey {
                    name: def.name.value.clone(),
                    columns: vec![table.columns.len()],
                }),
                ColumnOption::Check(check) => {
                    if let Some(c) = json_valid_column(&check.expr) {
                        json_columns.push(c);
                    }
                }
                _ => {}
            }
        }
        if versioning_columns.contains(&def.name.value) {
            col.generated = true;
        }
        table.columns.push(col);
    }
    for name in &json_columns {
        if let Some(c) = table.column_index(name) {
            if table.columns[c].class == TypeClass::Text {
                table.columns[c].class = TypeClass::Json;
            }
        }
    }
    for constraint in &ct.constraints {
        match constraint {
            TableConstraint::PrimaryKey(pk) => {
                let cols = index_columns(&table, &pk.columns, true)?
                    .ok_or("PRIMARY KEY on an expression")?;
                for &c in &cols {
                    table.columns[c].not_null = true;
                }
                table.primary_key = Some(cols);
            }
            TableConstraint::Unique(u) => {
                // Prefix and expression parts make no usable key: skip those.
                if let Some(cols) = index_columns(&table, &u.columns, false)? {
                    let name = u
                        .name
                        .as_ref()
                        .or(u.index_name.as_ref())
                        .map(|i| i.value.clone())
                        .unwrap_or_else(|| table.columns[cols[0]].name.clone());
                    table.unique_keys.push(UniqueKey {
                        name,
                        columns: cols,
                    });
                }
            }
            TableConstraint::ForeignKey(fk) => {
                let (pdb, pname) = object_name(&fk.foreign_table)?;
                let parent = TableName {
                    database: pdb.or_else(|| name.database.clone()),
                    schema: None,
                    name: pname,
                };
                foreign_keys.push(ForeignKeyDecl {
                    name: fk
                        .name
                        .as_ref()
                        .or(fk.index_name.as_ref())
                        .map(|i| i.value.clone())
                        .unwrap_or_default(),
                    child: name.clone(),
                    child_columns: fk.columns.iter().map(|i| i.value.clone()).collect(),
                    parent,
                    parent_columns: fk
                        .referred_columns
                        .iter()
                        .map(|i| i.value.clone())
                        .collect(),
                    deferrable: false,
                });
            }
            _ => {}
        }
    }
    Ok(CreateTable {
        table,
        foreign_keys,
        like: None,
    })
}

fn empty_table(name: TableName) -> Table {
    Table {
        name,
        columns: Vec::new(),
        primary_key: None,
        unique_keys: Vec::new(),
        partition_of: None,
        is_partitioned: false,
        triggers: Vec::new(),
    }
}

fn table_name((db, name): (Option<String>, String), database: Option<&str>) -> TableName {
    TableName {
        database: db.or_else(|| database.map(str::to_string)),
        schema: None,
        name,
    }
}

fn object_name(name: &ObjectName) -> Result<(Option<String>, String), String> {
    let parts: Vec<&str> = name
        .0
        .iter()
        .map(|p| p.as_ident().map(|i| i.value.as_str()))
        .collect::<Option<Vec<_>>>()
        .ok_or("unsupported table name")?;
    match parts.as_slice() {
        [n] => Ok((None, (*n).to_string())),
        [db, n] => Ok((Some((*db).to_string()), (*n).to_string())),
        _ => Err(format!("unsupported table name {name}")),
    }
}

/// Column indexes of an index's parts; `None` when a part is a prefix or an expression (unless
/// `allow_prefix`, for a primary key: the column still identifies the row's key).
fn index_columns(
    table: &Table,
    parts: &[IndexColumn],
    allow_prefix: bool,
) -> Result<Option<Vec<usize>>, String> {
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        let name = match &part.column.expr {
            Expr::Identifier(i) => &i.value,
            Expr::Function(f) if allow_prefix && f.name.0.len() == 1 => {
                match f.name.0[0].as_ident() {
                    Some(i) => &i.value,
                    None => return Ok(None),
                }
            }
            _ => return Ok(None),
        };
        let c = table
            .column_index(name)
            .ok_or_else(|| format!("key names column `{name}`, which the table lacks"))?;
        out.push(c);
    }
    Ok((!out.is_empty()).then_some(out))
}

/// `json_valid(col)` → `col`.
fn json_valid_column(expr: &Expr) -> Option<String> {
    let Expr::Function(f) = expr else {
        return None;
    };
    let name = f.name.0.last()?.as_ident()?;
    if !name.value.eq_ignore_ascii_case("json_valid") {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    match list.args.as_slice() {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Identifier(i)))] => Some(i.value.clone()),
        _ => None,
    }
}

/// The coarse class of a MySQL column type.
pub fn classify(dt: &DataType) -> TypeClass {
    let text = dt.to_string().to_ascii_lowercase();
    let base = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or_default();
    match base {
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" | "int1" | "int2"
        | "int3" | "int4" | "int8" | "bool" | "boolean" | "serial" | "middleint" => {
            TypeClass::Integer
        }
        "decimal" | "numeric" | "dec" | "fixed" => TypeClass::Numeric,
        "float" | "double" | "real" | "float4" | "float8" => TypeClass::Float,
        "char" | "character" | "varchar" | "nchar" | "nvarchar" | "varchar2" | "nvarchar2"
        | "text" | "tinytext" | "mediumtext" | "longtext" | "long" | "enum" | "set" => {
            TypeClass::Text
        }
        "json" => TypeClass::Json,
        "blob" | "tinyblob" | "mediumblob" | "longblob" | "binary" | "varbinary" | "vector" => {
            TypeClass::Binary
        }
        "bit" => TypeClass::Bit,
        "geometry" | "point" | "linestring" | "polygon" | "multipoint" | "multilinestring"
        | "multipolygon" | "geometrycollection" | "geomcollection" => TypeClass::Geometry,
        "datetime" => TypeClass::Timestamp,
        "timestamp" => TypeClass::TimestampSession,
        "date" => TypeClass::Date,
        _ => TypeClass::Other,
    }
}

enum Prepared {
    Sql {
        sql: String,
        /// MariaDB `GENERATED ALWAYS AS ROW START|END` columns.
        versioning_columns: Vec<String>,
        /// Columns a table-level `CHECK (json_valid(col))` marks as JSON.
        json_checks: Vec<String>,
    },
    Like {
        name: (Option<String>, String),
        like: (Option<String>, String),
    },
}

/// Builds the text sqlparser gets (see the module doc).
fn prepare(stmt: &[u8], mut toks: Tokens<'_>, latin1: bool) -> Result<Prepared, String> {
    // Head: CREATE [OR REPLACE] [TEMPORARY] TABLE [IF NOT EXISTS] name
    let mut head: Vec<Tok<'_>> = Vec::new();
    let open = loop {
        match next(&mut toks)? {
            None => return Err("no column list".into()),
            Some((at, Tok::Punct(b'('))) => break at,
            Some((_, t)) if t.is("LIKE") => {
                let rest = collect(&mut toks)?;
                let name = name_after_table(&head, latin1)?;
                let (db, like, _) =
                    qualified_name(&rest, latin1).ok_or("LIKE without a table name")?;
                return Ok(Prepared::Like {
                    name,
                    like: (db, like),
                });
            }
            Some((_, t)) => head.push(t),
        }
    };
    name_after_table(&head, latin1)?;
    let mut sql = text(&stmt[..open + 1], latin1);
    // Elements, split at depth-0 commas.
    let mut versioning_columns = Vec::new();
    let mut json_checks = Vec::new();
    let mut first = true;
    let mut element: Vec<(usize, usize, Tok<'_>)> = Vec::new();
    let mut depth = 0usize;
    loop {
        let Some((at, tok)) = next(&mut toks)? else {
            return Err("unterminated column list".into());
        };
        let end = toks.pos();
        match tok {
            Tok::Punct(b'(') => depth += 1,
            Tok::Punct(b')') if depth > 0 => depth -= 1,
            Tok::Punct(b')') | Tok::Punct(b',') if depth == 0 => {
                let done = matches!(tok, Tok::Punct(b')'));
                if let Some(text) = element_sql(
                    stmt,
                    &element,
                    latin1,
                    &mut versioning_columns,
                    &mut json_checks,
                ) {
                    if !first {
                        sql.push_str(",\n");
                    }
                    first = false;
                    sql.push_str(&text);
                }
                element.clear();
                if done {
                    sql.push_str("\n)");
                    return Ok(Prepared::Sql {
                        sql,
                        versioning_columns,
                        json_checks,
                    });
                }
                continue;
            }
            _ => {}
        }
        element.push((at, end, tok));
    }
}

fn next<'a>(toks: &mut Tokens<'a>) -> Result<Option<(usize, Tok<'a>)>, String> {
    match toks.next_tok() {
        Ok(super::lexer::Lex::Done(t)) => Ok(t),
        Ok(super::lexer::Lex::More) => Ok(None),
        Err(e) => Err(e.what),
    }
}

fn collect<'a>(toks: &mut Tokens<'a>) -> Result<Vec<Tok<'a>>, String> {
    let mut out = Vec::new();
    while let Some((_, t)) = next(toks)? {
        out.push(t);
    }
    Ok(out)
}

/// The table name in `CREATE ... TABLE [IF NOT EXISTS] name`.
fn name_after_table(head: &[Tok<'_>], latin1: bool) -> Result<(Option<String>, String), String> {
    let at = head
        .iter()
        .position(|t| t.is("TABLE"))
        .ok_or("not a CREATE TABLE statement")?;
    let mut rest = &head[at + 1..];
    if rest.len() >= 3 && rest[0].is("IF") && rest[1].is("NOT") && rest[2].is("EXISTS") {
        rest = &rest[3..];
    }
    let (db, name, used) = qualified_name(rest, latin1).ok_or("no table name")?;
    if used != rest.len() {
        return Err("unexpected text after the table name".into());
    }
    Ok((db, name))
}

/// The SQL of one element of the list, trimmed as the module doc says; `None` to drop it.
fn element_sql(
    stmt: &[u8],
    element: &[(usize, usize, Tok<'_>)],
    latin1: bool,
    versioning_columns: &mut Vec<String>,
    json_checks: &mut Vec<String>,
) -> Option<String> {
    let (first_at, _, first) = element.first()?;
    let kw = |i: usize, k: &str| element.get(i).is_some_and(|(_, _, t)| t.is(k));
    let is_constraint = first.is("CONSTRAINT");
    // Skip `CONSTRAINT [name]` to find the kind.
    let kind_at = if is_constraint {
        if kw(1, "PRIMARY") || kw(1, "UNIQUE") || kw(1, "FOREIGN") || kw(1, "CHECK") {
            1
        } else {
            2
        }
    } else {
        0
    };
    let kind = |k: &str| kw(kind_at, k);
    if kind("CHECK") {
        // Table-level json_valid(col) marks a JSON column (MariaDB writes it on the column).
        for w in element.windows(4) {
            if let [(_, _, f), (_, _, Tok::Punct(b'(')), (_, _, c), (_, _, Tok::Punct(b')'))] = w {
                if f.is("json_valid") {
                    if let Some(c) = c.ident() {
                        json_checks.push(text(&c, latin1));
                    }
                }
            }
        }
        return None;
    }
    if !is_constraint
        && (kind("KEY")
            || kind("INDEX")
            || kind("FULLTEXT")
            || kind("SPATIAL")
            || (kind("PERIOD") && kw(1, "FOR")))
    {
        return None;
    }
    let end_of = |i: usize| element.get(i).map_or(stmt.len(), |e| e.1);
    let slice = |from: usize, to: usize| text(&stmt[from..to], latin1);
    if kind("PRIMARY") || kind("UNIQUE") {
        // Cut after the first parenthesised group (the columns).
        let open = element
            .iter()
            .position(|(_, _, t)| *t == Tok::Punct(b'('))?;
        let mut depth = 0;
        for (i, (_, _, t)) in element.iter().enumerate().skip(open) {
            match t {
                Tok::Punct(b'(') => depth += 1,
                Tok::Punct(b')') => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(slice(*first_at, end_of(i)));
                    }
                }
                _ => {}
            }
        }
        return None;
    }
    if kind("FOREIGN") {
        return Some(slice(*first_at, end_of(element.len() - 1)));
    }
    // A column definition: drop unknown attributes at depth 0 (after the name).
    let name = first.ident().map(|n| text(&n, latin1));
    let mut out = String::new();
    let mut copied_to = *first_at;
    let mut depth = 0usize;
    let mut i = 1;
    while i < element.len() {
        let (at, _, t) = &element[i];
        match t {
            Tok::Punct(b'(') => depth += 1,
            Tok::Punct(b')') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > 0 || !matches!(t, Tok::Word(_)) {
            i += 1;
            continue;
        }
        let (skip, replacement): (usize, &str) = if t.is("PERSISTENT") {
            (1, "STORED")
        } else if t.is("COMPRESSED") {
            if matches!(element.get(i + 1), Some((_, _, Tok::Punct(b'=')))) {
                (3, "")
            } else {
                (1, "")
            }
        } else if t.is("COLUMN_FORMAT") || t.is("STORAGE") {
            (2, "")
        } else if t.is("ENGINE_ATTRIBUTE") || t.is("SECONDARY_ENGINE_ATTRIBUTE") {
            if matches!(element.get(i + 1), Some((_, _, Tok::Punct(b'=')))) {
                (3, "")
            } else {
                (2, "")
            }
        } else if (t.is("WITHOUT") || t.is("WITH"))
            && kw(i + 1, "SYSTEM")
            && kw(i + 2, "VERSIONING")
        {
            (3, "")
        } else if t.is("GENERATED")
            && kw(i + 1, "ALWAYS")
            && kw(i + 2, "AS")
            && kw(i + 3, "ROW")
            && (kw(i + 4, "START") || kw(i + 4, "END"))
        {
            if let Some(n) = &name {
                versioning_columns.push(n.clone());
            }
            (5, "")
        } else if t.is("NATIONAL") {
            (1, "")
        } else {
            i += 1;
            continue;
        };
        out.push_str(&slice(copied_to, *at));
        out.push(' ');
        out.push_str(replacement);
        out.push(' ');
        let last = (i + skip - 1).min(element.len() - 1);
        copied_to = element[last].1;
        i += skip;
    }
    out.push_str(&slice(copied_to, end_of(element.len() - 1)));
    Some(out)
}

/// `CREATE [DEFINER=…] TRIGGER [IF NOT EXISTS] [db.]name {BEFORE|AFTER} {INSERT|UPDATE|DELETE}
/// ON [db.]table`: (trigger name, table).
pub fn trigger_head(toks: &[Tok<'_>], latin1: bool) -> Option<(String, (Option<String>, String))> {
    let at = toks.iter().position(|t| t.is("TRIGGER"))?;
    let mut rest = &toks[at + 1..];
    if rest.len() >= 3 && rest[0].is("IF") && rest[1].is("NOT") && rest[2].is("EXISTS") {
        rest = &rest[3..];
    }
    let (_, name, used) = qualified_name(rest, latin1)?;
    let rest = &rest[used..];
    let on = rest.iter().position(|t| t.is("ON"))?;
    if on > 3 {
        return None;
    }
    let (db, table, _) = qualified_name(&rest[on + 1..], latin1)?;
    Some((name, (db, table)))
}

/// Is this the head of a `CREATE ... TRIGGER` / `CREATE ... VIEW` (with `OR REPLACE`,
/// `ALGORITHM=`, `DEFINER=`, `SQL SECURITY` in between)? Returns the keyword found.
pub fn create_kind<'t>(toks: &'t [Tok<'t>]) -> Option<&'t Tok<'t>> {
    if !toks.first()?.is("CREATE") {
        return None;
    }
    toks.iter().take(40).find(|t| {
        t.is("TABLE")
            || t.is("TRIGGER")
            || t.is("VIEW")
            || t.is("DATABASE")
            || t.is("SCHEMA")
            || t.is("PROCEDURE")
            || t.is("FUNCTION")
            || t.is("EVENT")
            || t.is("SEQUENCE")
            || t.is("INDEX")
            || t.is("USER")
            || t.is("ROLE")
            || t.is("SERVER")
            || t.is("TABLESPACE")
            || t.is("PACKAGE")
    })
}

/// The name after `VIEW` in a `CREATE ... VIEW` head.
pub fn view_name(toks: &[Tok<'_>], latin1: bool) -> Option<(Option<String>, String)> {
    let at = toks.iter().position(|t| t.is("VIEW"))?;
    let mut rest = &toks[at + 1..];
    if rest.len() >= 3 && rest[0].is("IF") && rest[1].is("NOT") && rest[2].is("EXISTS") {
        rest = &rest[3..];
    }
    let (db, name, _) = qualified_name(rest, latin1)?;
    Some((db, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::mysql::lexer::normalize;

    fn parse(sql: &str) -> CreateTable {
        let n = normalize(sql.as_bytes()).unwrap();
        create_table(&n, Some("shop"), false).unwrap_or_else(|e| panic!("{e}\n{sql}"))
    }

    #[test]
    fn mariadb_orders_table() {
        let ct = parse(
            "CREATE TABLE `orders` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `customer_id` int(10) unsigned NOT NULL,
  `amount` decimal(12,2) DEFAULT NULL,
  `qty` int(11) DEFAULT NULL,
  `qty_x2` int(11) GENERATED ALWAYS AS (`qty` * 2) VIRTUAL,
  `qty_x3` int(11) GENERATED ALWAYS AS (`qty` * 3) STORED,
  `meta` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`meta`)),
  `raw` blob DEFAULT NULL,
  `flags` bit(5) DEFAULT NULL,
  `ok` tinyint(1) DEFAULT NULL,
  `f` float DEFAULT NULL,
  `d` double DEFAULT NULL,
  `dt` date DEFAULT NULL,
  `t` time(3) DEFAULT NULL,
  `y` year(4) DEFAULT NULL,
  `loc` point DEFAULT NULL,
  `Weird ``Col` text DEFAULT NULL,
  `select` int(11) DEFAULT NULL,
  `created` datetime(6) DEFAULT NULL,
  `updated` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  PRIMARY KEY (`id`),
  KEY `fk_cust` (`customer_id`),
  CONSTRAINT `fk_cust` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE,
  CONSTRAINT `chk_qty` CHECK (`qty` >= 0)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
        );
        let t = &ct.table;
        assert_eq!(
            t.name,
            TableName {
                database: Some("shop".into()),
                schema: None,
                name: "orders".into()
            }
        );
        let classes: Vec<(&str, TypeClass, bool, bool, bool)> = t
            .columns
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.class,
                    c.not_null,
                    c.generated,
                    c.auto_increment,
                )
            })
            .collect();
        use TypeClass::*;
        assert_eq!(
            classes,
            vec![
                ("id", Integer, true, false, true),
                ("customer_id", Integer, true, false, false),
                ("amount", Numeric, false, false, false),
                ("qty", Integer, false, false, false),
                ("qty_x2", Integer, false, true, false),
                ("qty_x3", Integer, false, true, false),
                ("meta", Json, false, false, false),
                ("raw", Binary, false, false, false),
                ("flags", Bit, false, false, false),
                ("ok", Integer, false, false, false),
                ("f", Float, false, false, false),
                ("d", Float, false, false, false),
                ("dt", Date, false, false, false),
                ("t", Other, false, false, false),
                ("y", Other, false, false, false),
                ("loc", Geometry, false, false, false),
                ("Weird `Col", Text, false, false, false),
                ("select", Integer, false, false, false),
                ("created", Timestamp, false, false, false),
                ("updated", TimestampSession, true, false, false),
            ]
        );
        assert_eq!(t.primary_key, Some(vec![0]));
        assert_eq!(ct.foreign_keys.len(), 1);
        let fk = &ct.foreign_keys[0];
        assert_eq!(fk.name, "fk_cust");
        assert_eq!(fk.child_columns, ["customer_id"]);
        assert_eq!(fk.parent.name, "customers");
        assert_eq!(fk.parent.database.as_deref(), Some("shop"));
        assert_eq!(fk.parent_columns, ["id"]);
    }

    #[test]
    fn mysql8_and_mariadb_extras() {
        let ct = parse(
            "CREATE TABLE `t8` (
  `id` int NOT NULL AUTO_INCREMENT,
  `doc` json DEFAULT NULL,
  `hid` int DEFAULT NULL /*!80023 INVISIBLE */,
  `g` geometry NOT NULL /*!80003 SRID 4326 */,
  `p` int(11) AS (`id` * 2) PERSISTENT,
  `cz` blob /*M!100301 COMPRESSED*/ DEFAULT NULL,
  `cf` int DEFAULT NULL COLUMN_FORMAT DYNAMIC,
  `rs` timestamp(6) GENERATED ALWAYS AS ROW START INVISIBLE,
  `re` timestamp(6) GENERATED ALWAYS AS ROW END INVISIBLE,
  `c` varchar(20) NOT NULL,
  `e` varchar(20) DEFAULT NULL,
  `v` vector(3) DEFAULT NULL,
  PRIMARY KEY (`id`,`re`) USING BTREE,
  UNIQUE KEY `u_c` (`c`) COMMENT 'x',
  UNIQUE KEY `u_pfx` (`e`(5)),
  UNIQUE KEY `u_fn` ((lower(`e`))),
  KEY `k` (`c`) /*!80000 INVISIBLE */,
  FULLTEXT KEY `ft` (`c`) /*!50100 WITH PARSER `ngram` */ ,
  SPATIAL KEY `sp` (`g`),
  PERIOD FOR SYSTEM_TIME (`rs`, `re`),
  CONSTRAINT `j` CHECK (json_valid(`e`)),
  CONSTRAINT `fk2` FOREIGN KEY (`id`) REFERENCES `other`.`p` (`x`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci WITH SYSTEM VERSIONING
/*!50100 PARTITION BY RANGE (`id`)
(PARTITION p0 VALUES LESS THAN (10) ENGINE = InnoDB) */",
        );
        let t = &ct.table;
        let col = |n: &str| &t.columns[t.column_index(n).unwrap()];
        assert_eq!(col("doc").class, TypeClass::Json);
        assert_eq!(col("e").class, TypeClass::Json);
        assert_eq!(col("g").class, TypeClass::Geometry);
        assert!(col("p").generated);
        assert!(col("rs").generated && col("re").generated);
        assert!(!col("cz").generated);
        assert_eq!(col("cz").class, TypeClass::Binary);
        assert_eq!(col("v").class, TypeClass::Binary);
        assert_eq!(t.primary_key, Some(vec![0, 8]));
        assert_eq!(t.unique_keys.len(), 1);
        assert_eq!(t.unique_keys[0].name, "u_c");
        assert_eq!(ct.foreign_keys[0].parent.database.as_deref(), Some("other"));
    }

    #[test]
    fn sakila_style_without_backticks() {
        let ct = parse(
            "CREATE TABLE address (
  address_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
  phone VARCHAR(20) NOT NULL,
  -- Add GEOMETRY column for MySQL 5.7.5 and higher
  /*!50705 location GEOMETRY */ /*!80003 SRID 0 */ /*!50705 NOT NULL,*/
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY  (address_id),
  /*!50705 SPATIAL KEY `idx_location` (location),*/
  CONSTRAINT `fk_address_city` FOREIGN KEY (city_id) REFERENCES city (city_id) ON DELETE RESTRICT ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        );
        let names: Vec<&str> = ct.table.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["address_id", "phone", "location", "last_update"]);
        assert_eq!(ct.table.columns[2].class, TypeClass::Geometry);
        assert!(ct.table.columns[2].not_null);
    }

    #[test]
    fn like_and_errors() {
        let n = normalize(b"CREATE TABLE IF NOT EXISTS `a` LIKE `b`").unwrap();
        let ct = create_table(&n, None, false).unwrap();
        assert_eq!(ct.like.unwrap().name, "b");
        let n = normalize(b"CREATE TABLE `a` (`x` int NOT NULL BOGUS)").unwrap();
        assert!(create_table(&n, None, false).is_err());
    }

    #[test]
    fn trigger_heads() {
        let n = normalize(b"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER trg_cust BEFORE INSERT ON customers FOR EACH ROW BEGIN END */").unwrap();
        let toks = Tokens::new(&n, 0, true).collect_all().unwrap();
        assert!(create_kind(&toks).unwrap().is("TRIGGER"));
        assert_eq!(
            trigger_head(&toks, false),
            Some(("trg_cust".into(), (None, "customers".into())))
        );
        let n =
            normalize(b"CREATE TRIGGER `s`.`t` AFTER DELETE ON `s`.`film` FOR EACH ROW SET @x = 1")
                .unwrap();
        let toks = Tokens::new(&n, 0, true).collect_all().unwrap();
        assert_eq!(
            trigger_head(&toks, false),
            Some(("t".into(), (Some("s".into()), "film".into())))
        );
    }
}
