//! PostgreSQL DDL → schema facts, through sqlparser for `CREATE TABLE` and
//! `ALTER TABLE … ADD CONSTRAINT`, and a few hand-read statements (sequences, identity,
//! partitions, unique indexes, triggers) whose shapes pg_dump fixes exactly.

use sqlparser::ast::{
    ColumnOption, ConstraintCharacteristics, Expr, GeneratedAs, ObjectName, Statement,
    TableConstraint,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::lexer::Token;
use crate::schema::{Column, ForeignKeyDecl, Table, TableName, TypeClass, UniqueKey};

/// What a `CREATE TABLE` declares.
#[derive(Debug)]
pub struct CreatedTable {
    /// The table (keys declared inline included).
    pub table: Table,
    /// Foreign keys declared inline.
    pub foreign_keys: Vec<ForeignKeyDecl>,
    /// `(sequence, column)` pairs from `DEFAULT nextval('seq'::regclass)`.
    pub sequence_defaults: Vec<(TableName, String)>,
}

/// A constraint added by `ALTER TABLE … ADD CONSTRAINT`.
#[derive(Debug)]
pub enum AddedConstraint {
    /// PRIMARY KEY (columns).
    PrimaryKey(TableName, Vec<String>),
    /// UNIQUE (columns).
    Unique(TableName, String, Vec<String>),
    /// FOREIGN KEY.
    ForeignKey(ForeignKeyDecl),
    /// CHECK, EXCLUDE...: nothing the selection needs.
    Other,
}

fn parse_one(sql: &str) -> Result<Statement, String> {
    let mut stmts = Parser::parse_sql(&PostgreSqlDialect {}, sql).map_err(|e| e.to_string())?;
    match stmts.len() {
        1 => Ok(stmts.remove(0)),
        n => Err(format!("expected one statement, found {n}")),
    }
}

/// Folds a sqlparser name to `TableName` (unquoted parts lower-cased, as the server does).
pub fn table_name(name: &ObjectName, database: Option<&str>) -> TableName {
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|p| match p.as_ident() {
            Some(id) => fold(&id.value, id.quote_style.is_some()),
            None => p.to_string(),
        })
        .collect();
    let (schema, name) = match parts.as_slice() {
        [.., s, n] => (Some(s.clone()), n.clone()),
        [n] => (None, n.clone()),
        [] => (None, String::new()),
    };
    TableName {
        database: database.map(str::to_string),
        schema,
        name,
    }
}

fn fold(value: &str, quoted: bool) -> String {
    if quoted {
        value.to_string()
    } else {
        value.to_lowercase()
    }
}

fn ident(id: &sqlparser::ast::Ident) -> String {
    fold(&id.value, id.quote_style.is_some())
}

/// The coarse class of a PostgreSQL type name as pg_dump writes it.
pub fn classify(type_name: &str) -> TypeClass {
    // `--quote-all-identifiers` quotes type names too (`"jsonb"`, `pg_catalog."bytea"`).
    let t = type_name.trim().replace('"', "").to_lowercase();
    if t.ends_with("[]") || t.starts_with('_') {
        return TypeClass::Other;
    }
    let base = t.split('(').next().unwrap_or("").trim();
    let base = base.strip_prefix("pg_catalog.").unwrap_or(base);
    match base {
        "smallint" | "integer" | "int" | "int2" | "int4" | "int8" | "bigint" | "serial"
        | "bigserial" | "smallserial" | "oid" => TypeClass::Integer,
        "boolean" | "bool" => TypeClass::Boolean,
        "numeric" | "decimal" => TypeClass::Numeric,
        "real" | "float4" | "float8" | "double precision" | "float" => TypeClass::Float,
        "text" | "character varying" | "varchar" | "character" | "char" | "bpchar" | "name"
        | "citext" => TypeClass::Text,
        "json" | "jsonb" => TypeClass::Json,
        "bytea" => TypeClass::Binary,
        "timestamp with time zone" | "timestamptz" => TypeClass::TimestampTz,
        "timestamp without time zone" | "timestamp" => TypeClass::Timestamp,
        "date" => TypeClass::Date,
        _ if base.starts_with("timestamp")
            && base.contains("with time zone")
            && !base.contains("without") =>
        {
            TypeClass::TimestampTz
        }
        _ if base.starts_with("timestamp") => TypeClass::Timestamp,
        _ => TypeClass::Other,
    }
}

/// Cuts clauses sqlparser does not need to see (`PARTITION BY …`, `WITH (…)`, `USING …`,
/// `INHERITS (…)`, `TABLESPACE …`) after the column list.
fn strip_table_suffix(sql: &str) -> &str {
    // The column list is the first parenthesis outside quotes (a quoted table name may hold
    // one); it ends at its match.
    let bytes = sql.as_bytes();
    let mut depth = 0i32;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return &sql[..=i];
                }
            }
            b'\'' => match super::lexer::skip_string(bytes, i, false, true) {
                Some(end) => {
                    i = end;
                    continue;
                }
                None => return sql,
            },
            b'"' => {
                // `""` inside a quoted identifier is a quote, not its end.
                let mut j = i + 1;
                loop {
                    match memchr::memchr(b'"', &bytes[j..]) {
                        Some(p) if bytes.get(j + p + 1) == Some(&b'"') => j += p + 2,
                        Some(p) => {
                            i = j + p + 1;
                            break;
                        }
                        None => return sql,
                    }
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    sql
}

/// Reads a `CREATE TABLE` statement.
///
/// # Errors
/// sqlparser's message when the statement cannot be parsed.
pub fn create_table(sql: &str, database: Option<&str>) -> Result<CreatedTable, String> {
    let stmt = parse_one(strip_table_suffix(sql))?;
    let Statement::CreateTable(ct) = stmt else {
        return Err("not a CREATE TABLE statement".into());
    };
    let name = table_name(&ct.name, database);
    let mut table = Table {
        name: name.clone(),
        columns: Vec::new(),
        primary_key: None,
        unique_keys: Vec::new(),
        partition_of: None,
        is_partitioned: false,
        triggers: Vec::new(),
    };
    let mut foreign_keys = Vec::new();
    let mut sequence_defaults = Vec::new();
    let mut inline_pk: Vec<String> = Vec::new();
    let mut inline_unique: Vec<(String, Vec<String>)> = Vec::new();
    for def in &ct.columns {
        let cname = ident(&def.name);
        let type_name = def.data_type.to_string();
        let mut col = Column::new(&cname, &type_name, classify(&type_name));
        for opt in &def.options {
            match &opt.option {
                ColumnOption::NotNull => col.not_null = true,
                ColumnOption::Default(expr) => {
                    if let Some(seq) = nextval_sequence(expr, database) {
                        sequence_defaults.push((seq, cname.clone()));
                    }
                }
                ColumnOption::Generated {
                    generated_as,
                    generation_expr,
                    ..
                } => {
                    if generation_expr.is_some() {
                        col.generated = true;
                    } else {
                        col.identity = Some(matches!(generated_as, GeneratedAs::Always));
                        col.not_null = true;
                    }
                }
                ColumnOption::PrimaryKey(_) => {
                    col.not_null = true;
                    inline_pk.push(cname.clone());
                }
                ColumnOption::Unique(u) => inline_unique.push((
                    u.name.as_ref().map(ident).unwrap_or_default(),
                    vec![cname.clone()],
                )),
                ColumnOption::ForeignKey(fk) => foreign_keys.push(ForeignKeyDecl {
                    name: fk.name.as_ref().map(ident).unwrap_or_default(),
                    child: name.clone(),
                    child_columns: vec![cname.clone()],
                    parent: table_name(&fk.foreign_table, database),
                    parent_columns: fk.referred_columns.iter().map(ident).collect(),
                    deferrable: deferrable(fk.characteristics.as_ref()),
                }),
                _ => {}
            }
        }
        table.columns.push(col);
    }
    for c in &ct.constraints {
        match constraint(c, &name, database) {
            AddedConstraint::PrimaryKey(_, cols) => inline_pk = cols,
            AddedConstraint::Unique(_, n, cols) => inline_unique.push((n, cols)),
            AddedConstraint::ForeignKey(fk) => foreign_keys.push(fk),
            AddedConstraint::Other => {}
        }
    }
    if !inline_pk.is_empty() {
        set_primary_key(&mut table, &inline_pk)?;
    }
    for (n, cols) in inline_unique {
        add_unique(&mut table, &n, &cols)?;
    }
    Ok(CreatedTable {
        table,
        foreign_keys,
        sequence_defaults,
    })
}

/// Sets a table's primary key by column names (and marks them NOT NULL).
///
/// # Errors
/// A column the table lacks.
pub fn set_primary_key(table: &mut Table, columns: &[String]) -> Result<(), String> {
    let idx = column_indexes(table, columns)?;
    for &c in &idx {
        table.columns[c].not_null = true;
    }
    table.primary_key = Some(idx);
    Ok(())
}

/// Adds a unique key by column names.
///
/// # Errors
/// A column the table lacks.
pub fn add_unique(table: &mut Table, name: &str, columns: &[String]) -> Result<(), String> {
    let idx = column_indexes(table, columns)?;
    if !table.unique_keys.iter().any(|u| u.columns == idx) {
        table.unique_keys.push(UniqueKey {
            name: name.to_string(),
            columns: idx,
        });
    }
    Ok(())
}

fn column_indexes(table: &Table, columns: &[String]) -> Result<Vec<usize>, String> {
    columns
        .iter()
        .map(|c| {
            table
                .column_index(c)
                .ok_or_else(|| format!("table {} has no column {c}", table.name))
        })
        .collect()
}

fn deferrable(c: Option<&ConstraintCharacteristics>) -> bool {
    c.and_then(|c| c.deferrable).unwrap_or(false)
}

fn index_column_name(c: &sqlparser::ast::IndexColumn) -> Option<String> {
    match &c.column.expr {
        Expr::Identifier(id) => Some(ident(id)),
        _ => None,
    }
}

fn constraint(c: &TableConstraint, table: &TableName, database: Option<&str>) -> AddedConstraint {
    match c {
        TableConstraint::PrimaryKey(pk) => {
            match pk
                .columns
                .iter()
                .map(index_column_name)
                .collect::<Option<Vec<_>>>()
            {
                Some(cols) => AddedConstraint::PrimaryKey(table.clone(), cols),
                None => AddedConstraint::Other,
            }
        }
        TableConstraint::Unique(u) => {
            match u
                .columns
                .iter()
                .map(index_column_name)
                .collect::<Option<Vec<_>>>()
            {
                Some(cols) => AddedConstraint::Unique(
                    table.clone(),
                    u.name.as_ref().map(ident).unwrap_or_default(),
                    cols,
                ),
                None => AddedConstraint::Other,
            }
        }
        TableConstraint::ForeignKey(fk) => AddedConstraint::ForeignKey(ForeignKeyDecl {
            name: fk.name.as_ref().map(ident).unwrap_or_default(),
            child: table.clone(),
            child_columns: fk.columns.iter().map(ident).collect(),
            parent: table_name(&fk.foreign_table, database),
            parent_columns: fk.referred_columns.iter().map(ident).collect(),
            deferrable: deferrable(fk.characteristics.as_ref()),
        }),
        _ => AddedConstraint::Other,
    }
}

/// Reads `ALTER TABLE [ONLY] t ADD CONSTRAINT …`.
///
/// # Errors
/// sqlparser's message.
pub fn add_constraint(sql: &str, database: Option<&str>) -> Result<Vec<AddedConstraint>, String> {
    let Statement::AlterTable(at) = parse_one(sql)? else {
        return Err("not an ALTER TABLE statement".into());
    };
    let table = table_name(&at.name, database);
    Ok(at
        .operations
        .iter()
        .map(|op| match op {
            sqlparser::ast::AlterTableOperation::AddConstraint { constraint: c, .. } => {
                constraint(c, &table, database)
            }
            _ => AddedConstraint::Other,
        })
        .collect())
}

/// `nextval('public.t_id_seq'::regclass)` → the sequence name.
fn nextval_sequence(expr: &Expr, database: Option<&str>) -> Option<TableName> {
    let text = expr.to_string();
    let lower = text.to_lowercase();
    let start = lower.find("nextval(")? + "nextval(".len();
    let tokens = super::lexer::tokenize(&text.as_bytes()[start..], true)?;
    match tokens.first()? {
        Token::Str(s) => parse_regclass(&String::from_utf8_lossy(s), database),
        _ => None,
    }
}

/// Parses a qualified name as written inside a regclass string (`public."Mixed"`).
pub fn parse_regclass(text: &str, database: Option<&str>) -> Option<TableName> {
    let tokens = super::lexer::tokenize(text.as_bytes(), true)?;
    let words: Vec<String> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Punct(b'.')))
        .map(|t| t.word().map(str::to_string))
        .collect::<Option<Vec<_>>>()?;
    let (schema, name) = match words.as_slice() {
        [s, n] => (Some(s.clone()), n.clone()),
        [n] => (None, n.clone()),
        _ => return None,
    };
    Some(TableName {
        database: database.map(str::to_string),
        schema,
        name,
    })
}

/// Reads a qualified name from tokens starting at `i`: `a`, `a.b`; returns it and the index
/// after it.
pub fn name_at(tokens: &[Token], i: usize, database: Option<&str>) -> Option<(TableName, usize)> {
    let first = tokens.get(i)?.word()?.to_string();
    if tokens.get(i + 1) == Some(&Token::Punct(b'.')) {
        let second = tokens.get(i + 2)?.word()?.to_string();
        return Some((
            TableName {
                database: database.map(str::to_string),
                schema: Some(first),
                name: second,
            },
            i + 3,
        ));
    }
    Some((
        TableName {
            database: database.map(str::to_string),
            schema: None,
            name: first,
        },
        i + 1,
    ))
}

/// A parenthesised list of column names starting at `tokens[i]` == `(`; returns the names and
/// the index after `)`. `None` if an entry is not a plain name (an expression index).
pub fn name_list(tokens: &[Token], i: usize) -> Option<(Vec<String>, usize)> {
    if tokens.get(i) != Some(&Token::Punct(b'(')) {
        return None;
    }
    let mut names = Vec::new();
    let mut j = i + 1;
    loop {
        names.push(tokens.get(j)?.word()?.to_string());
        j += 1;
        // Skip opclass / ordering words up to `,` or `)`.
        while let Some(Token::Word {
            quoted: false,
            text,
        }) = tokens.get(j)
        {
            if !matches!(text.as_str(), "asc" | "desc" | "nulls" | "first" | "last") {
                break;
            }
            j += 1;
        }
        match tokens.get(j)? {
            Token::Punct(b',') => j += 1,
            Token::Punct(b')') => return Some((names, j + 1)),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pg_dump_create_table() {
        let sql = r#"CREATE TABLE app.orders (
    id bigint NOT NULL,
    customer_id integer NOT NULL,
    amount numeric(12,2),
    qty_x2 integer GENERATED ALWAYS AS ((qty * 2)) STORED,
    qty integer,
    tags text[],
    meta jsonb,
    raw bytea,
    ok boolean DEFAULT true,
    ts timestamp without time zone,
    tstz timestamp with time zone,
    d date,
    "Weird Col" text,
    "select" integer,
    s integer DEFAULT nextval('app."Odd Seq"'::regclass) NOT NULL,
    CONSTRAINT chk CHECK ((qty > 0))
)
PARTITION BY RANGE (d)"#;
        let ct = create_table(sql, None).unwrap();
        let t = &ct.table;
        assert_eq!(t.name, TableName::new(Some("app"), "orders"));
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names[12..14], ["Weird Col", "select"]);
        assert!(t.columns[3].generated);
        assert_eq!(t.columns[2].class, TypeClass::Numeric);
        assert_eq!(t.columns[5].class, TypeClass::Other);
        assert_eq!(t.columns[6].class, TypeClass::Json);
        assert_eq!(t.columns[7].class, TypeClass::Binary);
        assert_eq!(t.columns[8].class, TypeClass::Boolean);
        assert_eq!(t.columns[9].class, TypeClass::Timestamp);
        assert_eq!(t.columns[10].class, TypeClass::TimestampTz);
        assert_eq!(t.columns[11].class, TypeClass::Date);
        assert_eq!(classify("\"jsonb\""), TypeClass::Json);
        assert_eq!(classify("pg_catalog.\"bytea\""), TypeClass::Binary);
        assert_eq!(
            classify("\"timestamp\" with time zone"),
            TypeClass::TimestampTz
        );
        assert_eq!(
            ct.sequence_defaults,
            vec![(TableName::new(Some("app"), "Odd Seq"), "s".to_string())]
        );
    }

    #[test]
    fn parentheses_and_quotes_in_names() {
        let ct = create_table(
            "CREATE TABLE public.\"(\" (\n    \")\" text,\n    \"a\"\"(b\" integer\n)\nPARTITION BY RANGE (\")\")",
            None,
        )
        .unwrap();
        assert_eq!(ct.table.name.name, "(");
        let names: Vec<&str> = ct.table.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, [")", "a\"(b"]);
    }

    #[test]
    fn inline_keys_like_pagila() {
        let sql = "CREATE TABLE public.payment (payment_id integer NOT NULL, customer_id integer NOT NULL REFERENCES public.customer(customer_id), payment_date timestamp with time zone NOT NULL, PRIMARY KEY (payment_date, payment_id))";
        let ct = create_table(sql, None).unwrap();
        assert_eq!(ct.table.primary_key, Some(vec![2, 0]));
        assert_eq!(ct.foreign_keys.len(), 1);
        assert_eq!(ct.foreign_keys[0].parent.name, "customer");
    }

    #[test]
    fn alter_table_constraints() {
        let c = add_constraint(
            "ALTER TABLE ONLY app.orders\n    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES app.customers(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
            None,
        )
        .unwrap();
        match &c[0] {
            AddedConstraint::ForeignKey(fk) => {
                assert_eq!(fk.child, TableName::new(Some("app"), "orders"));
                assert_eq!(fk.parent_columns, vec!["id"]);
                assert!(fk.deferrable);
            }
            other => panic!("{other:?}"),
        }
        let c = add_constraint(
            "ALTER TABLE ONLY \"Sales\".\"Mixed Case\" ADD CONSTRAINT \"Mixed Case_pkey\" PRIMARY KEY (k, \"Value\")",
            None,
        )
        .unwrap();
        assert!(
            matches!(&c[0], AddedConstraint::PrimaryKey(t, cols) if t.name == "Mixed Case" && cols == &["k", "Value"])
        );
    }
}
