//! The schema a dump declares: tables, columns, keys, foreign keys, sequences.
//!
//! Readers fill a [`SchemaBuilder`] as they meet DDL, naming things by name (pg_dump declares
//! keys after the data, mysqldump may reference tables declared later); [`SchemaBuilder::finish`]
//! resolves every name once the whole dump has been read and yields the immutable [`Schema`] that
//! the selection engine and the emitters use. Nothing here knows a dialect: column types are kept
//! as written plus a coarse [`TypeClass`] the dialect reader chose.

use std::fmt;

use indexmap::IndexMap;

use crate::error::{Error, Result};

/// A table (or sequence) name: optional database (several databases in one dump), optional
/// schema (PostgreSQL), name. Names are stored exactly as the server knows them (unquoted,
/// case preserved).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct TableName {
    /// Database, when the dump holds several (`\connect`, `USE`).
    pub database: Option<String>,
    /// Schema (PostgreSQL) — `None` for MySQL.
    pub schema: Option<String>,
    /// The bare name.
    pub name: String,
}

impl TableName {
    /// A name without database.
    pub fn new(schema: Option<&str>, name: &str) -> TableName {
        TableName {
            database: None,
            schema: schema.map(str::to_string),
            name: name.to_string(),
        }
    }

    /// Does `pattern` (`table`, `schema.table`, `db.table` or `db.schema.table`, unquoted) name
    /// this table?
    pub fn matches(&self, pattern: &str) -> bool {
        let parts: Vec<&str> = pattern.split('.').collect();
        let mine: Vec<&str> = self
            .database
            .iter()
            .chain(self.schema.iter())
            .map(String::as_str)
            .chain(std::iter::once(self.name.as_str()))
            .collect();
        parts.len() <= mine.len() && mine[mine.len() - parts.len()..] == parts[..]
    }
}

impl fmt::Display for TableName {
    /// `db.schema.table`, unquoted: the form used in JSON, summaries and messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(db) = &self.database {
            write!(f, "{db}.")?;
        }
        if let Some(schema) = &self.schema {
            write!(f, "{schema}.")?;
        }
        f.write_str(&self.name)
    }
}

/// What kind of value a column holds, as far as selection and output care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeClass {
    /// Integers of any width (JSON number).
    Integer,
    /// `boolean` (JSON true/false).
    Boolean,
    /// Exact decimals (JSON string, to keep every digit).
    Numeric,
    /// Floating point (JSON string, to keep the exact text).
    Float,
    /// Text of any kind.
    Text,
    /// json / jsonb (embedded JSON).
    Json,
    /// Binary strings: bytea, BLOB, BINARY (JSON `\x` hex string).
    Binary,
    /// Timestamp carrying its own offset (timestamptz).
    TimestampTz,
    /// Timestamp in the dump session's zone (MySQL TIMESTAMP).
    TimestampSession,
    /// Naive timestamp (timestamp without time zone, DATETIME): read in `--timezone`.
    Timestamp,
    /// A date: midnight in `--timezone`.
    Date,
    /// Bit strings (MySQL BIT is binary on the wire).
    Bit,
    /// Spatial types stored as binary (MySQL GEOMETRY).
    Geometry,
    /// Anything else, written as text.
    Other,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Column {
    /// Name as the server knows it.
    pub name: String,
    /// The type as written in the DDL (for messages and the JSON schema).
    pub type_name: String,
    /// Coarse class chosen by the dialect reader.
    pub class: TypeClass,
    /// Declared NOT NULL (or part of a primary key).
    pub not_null: bool,
    /// A generated (computed) column: never inserted.
    pub generated: bool,
    /// Identity column; `Some(true)` for GENERATED ALWAYS.
    pub identity: Option<bool>,
    /// MySQL AUTO_INCREMENT.
    pub auto_increment: bool,
}

impl Column {
    /// A plain column of the given type.
    pub fn new(name: &str, type_name: &str, class: TypeClass) -> Column {
        Column {
            name: name.to_string(),
            type_name: type_name.to_string(),
            class,
            not_null: false,
            generated: false,
            identity: None,
            auto_increment: false,
        }
    }
}

/// Index of a table in [`Schema::tables`].
pub type TableId = usize;

/// A resolved foreign key: `child(child_columns)` references `parent(parent_columns)`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ForeignKey {
    /// Constraint name (may be empty when the dump gives none).
    pub name: String,
    /// Referencing table.
    pub child: TableId,
    /// Referencing columns, indexes into the child's columns.
    pub child_columns: Vec<usize>,
    /// Referenced table.
    pub parent: TableId,
    /// Referenced columns (the parent's primary key or a unique key).
    pub parent_columns: Vec<usize>,
    /// DEFERRABLE (PostgreSQL): the patch can defer it to commit.
    pub deferrable: bool,
}

/// A unique key (UNIQUE constraint or unique index without predicate/expressions).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UniqueKey {
    /// Constraint or index name.
    pub name: String,
    /// Column indexes.
    pub columns: Vec<usize>,
}

/// One table (partition leaves are folded into their root: see [`SchemaBuilder::finish`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Table {
    /// Its name.
    pub name: TableName,
    /// Columns in declaration order.
    pub columns: Vec<Column>,
    /// Primary key columns, if any.
    pub primary_key: Option<Vec<usize>>,
    /// Unique keys other than the primary key.
    pub unique_keys: Vec<UniqueKey>,
    /// Partition root this table belongs to (its rows are the root's rows).
    pub partition_of: Option<TableId>,
    /// A view stand-in or other relation that holds no rows of its own.
    pub is_partitioned: bool,
    /// Names of user triggers on this table (the patch keeps them from rewriting rows).
    pub triggers: Vec<String>,
}

impl Table {
    /// Index of the column named `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The key the patch uses to recognise a row that already exists: the primary key, else the
    /// first unique key whose columns are all NOT NULL. `None` means "match the whole row".
    pub fn conflict_key(&self) -> Option<&[usize]> {
        if let Some(pk) = &self.primary_key {
            return Some(pk);
        }
        self.unique_keys
            .iter()
            .find(|u| u.columns.iter().all(|&c| self.columns[c].not_null))
            .map(|u| u.columns.as_slice())
    }
}

/// A sequence the patch must move past the rescued keys.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sequence {
    /// Its name.
    pub name: TableName,
    /// INCREMENT BY (1 unless declared).
    pub increment: i64,
    /// The column it feeds, once known (OWNED BY, identity, nextval default).
    pub owner: Option<(TableId, usize)>,
    /// The dump's value: `setval(seq, value, is_called)`.
    pub dump_value: Option<(i64, bool)>,
}

/// The resolved schema of a dump.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// Tables in dump order.
    pub tables: Vec<Table>,
    /// All foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// Sequences (PostgreSQL) in dump order.
    pub sequences: Vec<Sequence>,
    index: IndexMap<TableName, TableId>,
}

impl Schema {
    /// Rebuilds a schema from its parts (as saved beside a JSON file).
    ///
    /// # Errors
    /// Parts that do not fit together (an index out of range).
    pub fn from_parts(
        tables: Vec<Table>,
        foreign_keys: Vec<ForeignKey>,
        sequences: Vec<Sequence>,
    ) -> Result<Schema> {
        let n = tables.len();
        let bad = |what: &str| Error::Schema(format!("inconsistent schema: {what}"));
        for t in &tables {
            let cols = t.columns.len();
            let in_range = |c: &usize| *c < cols;
            if !t.primary_key.iter().flatten().all(in_range)
                || !t.unique_keys.iter().flat_map(|u| &u.columns).all(in_range)
                || t.partition_of.is_some_and(|p| p >= n)
            {
                return Err(bad(&format!(
                    "table {} has a key outside its columns",
                    t.name
                )));
            }
        }
        for fk in &foreign_keys {
            if fk.child >= n
                || fk.parent >= n
                || fk.child_columns.len() != fk.parent_columns.len()
                || fk
                    .child_columns
                    .iter()
                    .any(|&c| c >= tables[fk.child].columns.len())
                || fk
                    .parent_columns
                    .iter()
                    .any(|&c| c >= tables[fk.parent].columns.len())
            {
                return Err(bad(&format!("foreign key {}", fk.name)));
            }
        }
        for s in &sequences {
            if s.owner
                .is_some_and(|(t, c)| t >= n || c >= tables[t].columns.len())
            {
                return Err(bad(&format!("sequence {}", s.name)));
            }
        }
        let index = tables
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        Ok(Schema {
            tables,
            foreign_keys,
            sequences,
            index,
        })
    }

    /// The table called `name`.
    pub fn table_id(&self, name: &TableName) -> Option<TableId> {
        self.index.get(name).copied()
    }

    /// The table whose rows `table`'s rows are (itself, or its partition root).
    pub fn storage_root(&self, mut table: TableId) -> TableId {
        // Bounded: partition chains are acyclic by construction in `finish`.
        for _ in 0..self.tables.len() {
            match self.tables[table].partition_of {
                Some(parent) => table = parent,
                None => break,
            }
        }
        table
    }

    /// Foreign keys whose child is `table`.
    pub fn outgoing(&self, table: TableId) -> impl Iterator<Item = (usize, &ForeignKey)> {
        self.foreign_keys
            .iter()
            .enumerate()
            .filter(move |(_, fk)| fk.child == table)
    }

    /// Foreign keys whose parent is `table`.
    pub fn incoming(&self, table: TableId) -> impl Iterator<Item = (usize, &ForeignKey)> {
        self.foreign_keys
            .iter()
            .enumerate()
            .filter(move |(_, fk)| fk.parent == table)
    }

    /// Tables that hold rows (partition roots stand for their leaves).
    pub fn row_tables(&self) -> impl Iterator<Item = TableId> + '_ {
        (0..self.tables.len()).filter(|&t| self.tables[t].partition_of.is_none())
    }

    /// Does the dump hold tables of several databases?
    pub fn multi_database(&self) -> bool {
        let mut dbs = self.tables.iter().map(|t| &t.name.database);
        match dbs.next() {
            Some(first) => dbs.any(|d| d != first),
            None => false,
        }
    }

    /// Resolve a user-supplied table pattern (`name`, `schema.name`, ...) to one table.
    pub fn find_table(&self, pattern: &str) -> Result<TableId> {
        let hits: Vec<TableId> = (0..self.tables.len())
            .filter(|&t| self.tables[t].name.matches(pattern))
            .collect();
        match hits.as_slice() {
            [one] => Ok(*one),
            [] => {
                // Compare like with like: a bare name with bare names, a qualified one with
                // qualified names.
                let qualified = pattern.contains('.');
                let names = self.tables.iter().map(|t| {
                    if qualified {
                        t.name.to_string()
                    } else {
                        t.name.name.clone()
                    }
                });
                Err(Error::Usage(format!(
                    "the dump has no table `{pattern}`{}",
                    did_you_mean(pattern, names)
                )))
            }
            many => Err(Error::Usage(format!(
                "`{pattern}` names several tables ({}); qualify it",
                many.iter()
                    .map(|&t| self.tables[t].name.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
}

/// " (did you mean `x`?)" for the closest candidate, or "".
pub fn did_you_mean(wanted: &str, candidates: impl Iterator<Item = String>) -> String {
    let wanted_lower = wanted.to_lowercase();
    let best = candidates
        .map(|c| (edit_distance(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((_, c)) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A foreign key as declared, by names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKeyDecl {
    /// Constraint name.
    pub name: String,
    /// Referencing table.
    pub child: TableName,
    /// Referencing column names.
    pub child_columns: Vec<String>,
    /// Referenced table.
    pub parent: TableName,
    /// Referenced column names; empty means the parent's primary key.
    pub parent_columns: Vec<String>,
    /// DEFERRABLE.
    pub deferrable: bool,
}

/// Collects DDL facts by name while a dump is read.
#[derive(Debug, Default)]
pub struct SchemaBuilder {
    schema: Schema,
    foreign_keys: Vec<ForeignKeyDecl>,
    sequence_index: IndexMap<TableName, usize>,
    /// `ALTER SEQUENCE s OWNED BY t.c`, identity and nextval defaults, resolved at the end.
    sequence_owners: Vec<(TableName, TableName, String)>,
    partitions: Vec<(TableName, TableName)>,
}

impl SchemaBuilder {
    /// An empty builder.
    pub fn new() -> SchemaBuilder {
        SchemaBuilder::default()
    }

    /// Declares a table; a second declaration of the same name replaces the first (a dump that
    /// drops and recreates).
    pub fn add_table(&mut self, table: Table) -> TableId {
        if let Some(&id) = self.schema.index.get(&table.name) {
            self.schema.tables[id] = table;
            return id;
        }
        let id = self.schema.tables.len();
        self.schema.index.insert(table.name.clone(), id);
        self.schema.tables.push(table);
        id
    }

    /// The table called `name`, declared so far.
    pub fn table_id(&self, name: &TableName) -> Option<TableId> {
        self.schema.index.get(name).copied()
    }

    /// The tables declared so far.
    pub fn table(&self, id: TableId) -> &Table {
        &self.schema.tables[id]
    }

    /// Mutable access to a declared table (adding keys, marking columns).
    pub fn table_mut(&mut self, id: TableId) -> &mut Table {
        &mut self.schema.tables[id]
    }

    /// All tables declared so far.
    pub fn tables(&self) -> &[Table] {
        &self.schema.tables
    }

    /// Records a foreign key (resolved in `finish`).
    pub fn add_foreign_key(&mut self, fk: ForeignKeyDecl) {
        self.foreign_keys.push(fk);
    }

    /// Records that `leaf` is a partition of `root`. Applied at once when both are declared (so
    /// rows read afterwards already know their root), else when the dump is finished.
    pub fn add_partition(&mut self, root: TableName, leaf: TableName) {
        if !self.attach(&root, &leaf) {
            self.partitions.push((root, leaf));
        }
    }

    fn attach(&mut self, root: &TableName, leaf: &TableName) -> bool {
        let (Some(r), Some(l)) = (self.table_id(root), self.table_id(leaf)) else {
            return false;
        };
        if r != l && self.schema.storage_root(r) != l {
            self.schema.tables[l].partition_of = Some(r);
            self.schema.tables[r].is_partitioned = true;
        }
        true
    }

    /// Declares a sequence (or returns the one already declared).
    pub fn sequence_mut(&mut self, name: &TableName) -> &mut Sequence {
        let next = self.schema.sequences.len();
        let idx = *self.sequence_index.entry(name.clone()).or_insert(next);
        if idx == next {
            self.schema.sequences.push(Sequence {
                name: name.clone(),
                increment: 1,
                owner: None,
                dump_value: None,
            });
        }
        &mut self.schema.sequences[idx]
    }

    /// Records that `sequence` feeds `table.column`.
    pub fn set_sequence_owner(&mut self, sequence: TableName, table: TableName, column: String) {
        self.sequence_mut(&sequence);
        self.sequence_owners.push((sequence, table, column));
    }

    /// Forgets database names (a dump that turned out to hold a single database, e.g. `pg_dump
    /// -C` with its one `\connect`): tables are then named without them.
    pub fn drop_database_names(&mut self) {
        let strip = |n: &mut TableName| n.database = None;
        for t in &mut self.schema.tables {
            strip(&mut t.name);
        }
        for s in &mut self.schema.sequences {
            strip(&mut s.name);
        }
        for fk in &mut self.foreign_keys {
            strip(&mut fk.child);
            strip(&mut fk.parent);
        }
        for (seq, table, _) in &mut self.sequence_owners {
            strip(seq);
            strip(table);
        }
        for (root, leaf) in &mut self.partitions {
            strip(root);
            strip(leaf);
        }
        self.schema.index = self
            .schema
            .tables
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        self.sequence_index = self
            .schema
            .sequences
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), i))
            .collect();
    }

    /// Resolves every name: foreign keys, partitions, sequence owners.
    ///
    /// # Errors
    /// A foreign key naming a table or column the dump does not declare.
    pub fn finish(mut self) -> Result<Schema> {
        for (root, leaf) in std::mem::take(&mut self.partitions) {
            self.attach(&root, &leaf);
        }
        for (seq, table, column) in std::mem::take(&mut self.sequence_owners) {
            let Some(t) = self.table_id(&table) else {
                continue;
            };
            let t = self.schema.storage_root(t);
            let Some(c) = self.schema.tables[t].column_index(&column) else {
                continue;
            };
            self.sequence_mut(&seq).owner = Some((t, c));
        }
        let mut resolved: Vec<ForeignKey> = Vec::new();
        for decl in std::mem::take(&mut self.foreign_keys) {
            let fk = self.resolve_foreign_key(&decl)?;
            if !resolved.iter().any(|r| {
                r.child == fk.child
                    && r.child_columns == fk.child_columns
                    && r.parent == fk.parent
                    && r.parent_columns == fk.parent_columns
            }) {
                resolved.push(fk);
            }
        }
        self.schema.foreign_keys = resolved;
        Ok(self.schema)
    }

    fn resolve_foreign_key(&self, decl: &ForeignKeyDecl) -> Result<ForeignKey> {
        let lookup = |name: &TableName| {
            self.table_id(name)
                .map(|t| self.schema.storage_root(t))
                .ok_or_else(|| {
                    Error::Schema(format!(
                        "foreign key {} refers to table {name}, which the dump does not declare",
                        decl.name
                    ))
                })
        };
        let child = lookup(&decl.child)?;
        let parent = lookup(&decl.parent)?;
        let columns = |table: TableId, names: &[String]| -> Result<Vec<usize>> {
            names
                .iter()
                .map(|n| {
                    self.schema.tables[table].column_index(n).ok_or_else(|| {
                        Error::Schema(format!(
                            "foreign key {} names column {n}, which table {} lacks",
                            decl.name, self.schema.tables[table].name
                        ))
                    })
                })
                .collect()
        };
        let child_columns = columns(child, &decl.child_columns)?;
        let parent_columns = if decl.parent_columns.is_empty() {
            self.schema.tables[parent]
                .primary_key
                .clone()
                .ok_or_else(|| {
                    Error::Schema(format!(
                        "foreign key {} references {} without columns, and it has no primary key",
                        decl.name, self.schema.tables[parent].name
                    ))
                })?
        } else {
            columns(parent, &decl.parent_columns)?
        };
        if child_columns.len() != parent_columns.len() {
            return Err(Error::Schema(format!(
                "foreign key {} has {} columns referencing {}",
                decl.name,
                child_columns.len(),
                parent_columns.len()
            )));
        }
        Ok(ForeignKey {
            name: decl.name.clone(),
            child,
            child_columns,
            parent,
            parent_columns,
            deferrable: decl.deferrable,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, cols: &[&str]) -> Table {
        Table {
            name: TableName::new(Some("public"), name),
            columns: cols
                .iter()
                .map(|c| Column::new(c, "integer", TypeClass::Integer))
                .collect(),
            primary_key: Some(vec![0]),
            unique_keys: vec![],
            partition_of: None,
            is_partitioned: false,
            triggers: vec![],
        }
    }

    #[test]
    fn table_name_matches_suffixes() {
        let n = TableName::new(Some("public"), "blog_post");
        assert!(n.matches("blog_post"));
        assert!(n.matches("public.blog_post"));
        assert!(!n.matches("other.blog_post"));
        assert!(!n.matches("x.public.blog_post"));
        assert_eq!(n.to_string(), "public.blog_post");
    }

    #[test]
    fn foreign_keys_resolve_to_partition_roots_and_default_to_pk() {
        let mut b = SchemaBuilder::new();
        b.add_table(table("parent", &["id"]));
        b.add_table(table("child", &["id", "parent_id"]));
        b.add_table(table("child_p1", &["id", "parent_id"]));
        b.add_partition(
            TableName::new(Some("public"), "child"),
            TableName::new(Some("public"), "child_p1"),
        );
        b.add_foreign_key(ForeignKeyDecl {
            name: "fk".into(),
            child: TableName::new(Some("public"), "child_p1"),
            child_columns: vec!["parent_id".into()],
            parent: TableName::new(Some("public"), "parent"),
            parent_columns: vec![],
            deferrable: false,
        });
        let s = b.finish().unwrap();
        assert_eq!(s.foreign_keys.len(), 1);
        assert_eq!(s.foreign_keys[0].child, 1);
        assert_eq!(s.foreign_keys[0].parent_columns, vec![0]);
        assert_eq!(s.storage_root(2), 1);
    }

    #[test]
    fn unknown_parent_is_an_error() {
        let mut b = SchemaBuilder::new();
        b.add_table(table("child", &["id", "parent_id"]));
        b.add_foreign_key(ForeignKeyDecl {
            name: "fk".into(),
            child: TableName::new(Some("public"), "child"),
            child_columns: vec!["parent_id".into()],
            parent: TableName::new(Some("public"), "nope"),
            parent_columns: vec!["id".into()],
            deferrable: false,
        });
        assert!(b.finish().is_err());
    }

    #[test]
    fn did_you_mean_finds_close_names() {
        let c = || ["created_at".to_string(), "title".to_string()].into_iter();
        assert_eq!(
            did_you_mean("create_at", c()),
            " (did you mean `created_at`?)"
        );
        assert_eq!(did_you_mean("zzzzzzzz", c()), "");
    }
}
