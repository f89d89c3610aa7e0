//! The selection engine: roots, descendants, ancestors, and the order to write them in.
//!
//! - **roots** are rows whose created column is later than `--since` (NULL is not a root); they
//!   are picked during the first read of the dump by [`RootFinder`];
//! - **descendants** reference a root or a descendant through a declared foreign key,
//!   transitively (self-references and cycles included);
//! - **ancestors** are referenced by any selected row, transitively, so the patch never needs a
//!   row the backup lacks — but the descendants of an ancestor are never taken.
//!
//! Foreign keys are only known once the whole dump is read, so [`resolve`] re-reads the tables
//! that can hold descendants or ancestors through a [`TableReader`], following the graph until
//! nothing new is found. Each read says what it looks for (a [`KeyFilter`]: integer keys per
//! column), so the reader may skip what cannot match, and may cut the table into pieces read at
//! the same time: matches are found against a frozen view of the selection (`Matcher`) and
//! applied in dump order afterwards; what a piece could not see is found by the next sweep.
//! Memory holds the selected rows and exact (never hashed) key sets of them; nothing here grows
//! with the dump. The engine knows no dialect.

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::row::{Key, KeySet, Row, RowAccess, RowScreen, RowSink};
use crate::schema::{did_you_mean, Schema, Table, TableId, TypeClass};
use crate::time::{CellClock, Instant, Zone};

/// Why a row is in the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// Created after `--since`.
    Root,
    /// References a root or descendant through foreign key `fk` (index into the schema's list).
    Descendant {
        /// The foreign key.
        fk: usize,
    },
    /// Referenced by a selected row through foreign key `fk`.
    Ancestor {
        /// The foreign key.
        fk: usize,
    },
}

/// One selected row.
#[derive(Debug, Clone)]
pub struct SelectedRow {
    /// The row, in its table's column order.
    pub row: Row,
    /// Why it is here.
    pub reason: Reason,
}

/// The selected rows of one table, in the order to insert them.
#[derive(Debug, Clone)]
pub struct SelectedTable {
    /// The table (a partition root, never a leaf).
    pub table: TableId,
    /// Its rows, referenced rows of a self-reference first.
    pub rows: Vec<SelectedRow>,
}

impl SelectedTable {
    /// (roots, descendants, ancestors).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for r in &self.rows {
            match r.reason {
                Reason::Root => c.0 += 1,
                Reason::Descendant { .. } => c.1 += 1,
                Reason::Ancestor { .. } => c.2 += 1,
            }
        }
        c
    }
}

/// The whole selection, parents before children.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Tables with selected rows, in insertion order (parents first).
    pub tables: Vec<SelectedTable>,
    /// Foreign keys that the insertion order cannot satisfy (cycles between tables, or between
    /// rows of one table): the patch defers them or fills them in a second step.
    pub unordered_fks: Vec<usize>,
    /// Keys referenced by selected rows that the dump does not hold (warned about).
    pub dangling: Vec<String>,
    /// References from selected rows into tables excluded by `--exclude-table` (reported).
    pub excluded: Vec<String>,
    /// How many times tables were re-read, for the summary.
    pub rereads: usize,
}

impl Selection {
    /// Total number of selected rows.
    pub fn row_count(&self) -> usize {
        self.tables.iter().map(|t| t.rows.len()).sum()
    }
}

/// `--created-column` rules.
#[derive(Debug, Clone, Default)]
pub struct CreatedRules {
    /// `TABLE=COLUMN` pairs.
    pub explicit: Vec<(String, String)>,
    /// Candidate column names, tried in order.
    pub candidates: Vec<String>,
}

/// The default candidate names, tried after the user's own.
pub const DEFAULT_CREATED_COLUMNS: &[&str] = &[
    "created",
    "created_at",
    "created_on",
    "creation_date",
    "date_created",
    "inserted_at",
    "createdAt",
    "create_time",
    "date_joined",
];

fn is_time_class(class: TypeClass) -> bool {
    matches!(
        class,
        TypeClass::TimestampTz
            | TypeClass::TimestampSession
            | TypeClass::Timestamp
            | TypeClass::Date
    )
}

impl CreatedRules {
    /// Rules from the user's flags plus the defaults.
    pub fn new(explicit: Vec<(String, String)>, mut user_candidates: Vec<String>) -> CreatedRules {
        for d in DEFAULT_CREATED_COLUMNS {
            if !user_candidates.iter().any(|c| c == d) {
                user_candidates.push((*d).to_string());
            }
        }
        CreatedRules {
            explicit,
            candidates: user_candidates,
        }
    }

    /// The created column of `table` (whose rows belong to `root`), if any.
    ///
    /// # Errors
    /// A `TABLE=COLUMN` rule naming a column the table lacks.
    pub fn column_for(
        &self,
        tables: &[Table],
        table: TableId,
        root: TableId,
    ) -> Result<Option<usize>> {
        let t = &tables[table];
        for (pattern, column) in &self.explicit {
            if t.name.matches(pattern) || tables[root].name.matches(pattern) {
                return match t.column_index(column) {
                    Some(c) => Ok(Some(c)),
                    None => Err(Error::Usage(format!(
                        "--created-column {pattern}={column}: table {} has no column `{column}`{}",
                        t.name,
                        did_you_mean(column, t.columns.iter().map(|c| c.name.clone()))
                    ))),
                };
            }
        }
        for cand in &self.candidates {
            let found = t.column_index(cand).or_else(|| {
                t.columns
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(cand))
            });
            if let Some(c) = found.filter(|&c| is_time_class(t.columns[c].class)) {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }

    /// Checks, once the schema is known, that every table and column the user named exists.
    ///
    /// # Errors
    /// The first name that does not.
    pub fn validate(&self, schema: &Schema, user_candidates: &[String]) -> Result<()> {
        for (pattern, column) in &self.explicit {
            let t = schema
                .find_table(pattern)
                .map_err(|e| Error::Usage(format!("--created-column {pattern}={column}: {e}")))?;
            if schema.tables[t].column_index(column).is_none() {
                let table = &schema.tables[t];
                return Err(Error::Usage(format!(
                    "--created-column {pattern}={column}: table {} has no column `{column}`{}",
                    table.name,
                    did_you_mean(column, table.columns.iter().map(|c| c.name.clone()))
                )));
            }
        }
        for cand in user_candidates {
            let exists = schema
                .tables
                .iter()
                .any(|t| t.columns.iter().any(|c| c.name.eq_ignore_ascii_case(cand)));
            if !exists {
                let all = schema
                    .tables
                    .iter()
                    .flat_map(|t| t.columns.iter().map(|c| c.name.clone()))
                    .collect::<HashSet<_>>();
                return Err(Error::Usage(format!(
                    "--created-column {cand}: no table in the dump has a column `{cand}`{}",
                    did_you_mean(cand, all.into_iter())
                )));
            }
        }
        Ok(())
    }
}

/// Which tables the selection may take rows from (`--include-table`, `--exclude-table`).
/// Patterns are globs matched against `schema.table` (or `db.table`) and against the bare name.
#[derive(Debug, Clone, Default)]
pub struct TableFilter {
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
}

impl TableFilter {
    /// Compiles the patterns.
    ///
    /// # Errors
    /// A pattern that is not a valid glob.
    pub fn new(include: &[String], exclude: &[String]) -> Result<TableFilter> {
        let build = |patterns: &[String], flag: &str| -> Result<Option<globset::GlobSet>> {
            if patterns.is_empty() {
                return Ok(None);
            }
            let mut b = globset::GlobSetBuilder::new();
            for p in patterns {
                let glob = globset::GlobBuilder::new(p)
                    .literal_separator(false)
                    .build()
                    .map_err(|e| Error::Usage(format!("{flag} `{p}`: {e}")))?;
                b.add(glob);
            }
            b.build()
                .map(Some)
                .map_err(|e| Error::Usage(format!("{flag}: {e}")))
        };
        Ok(TableFilter {
            include: build(include, "--include-table")?,
            exclude: build(exclude, "--exclude-table")?,
        })
    }

    /// May rows of this table be selected?
    pub fn allows(&self, name: &crate::schema::TableName) -> bool {
        if self.include.is_none() && self.exclude.is_none() {
            return true;
        }
        let full = name.to_string();
        let hit = |set: &globset::GlobSet| set.is_match(&full) || set.is_match(&name.name);
        self.include.as_ref().is_none_or(hit) && !self.exclude.as_ref().is_some_and(hit)
    }
}

/// Row count and created-column range of one table, gathered while the dump is read.
#[derive(Debug, Clone, Default)]
pub struct TableStats {
    /// Rows in the dump.
    pub rows: u64,
    /// The created column used, if any.
    pub created_column: Option<usize>,
    /// Earliest created value (UTC micros, as written).
    pub min: Option<(i64, String)>,
    /// Latest created value.
    pub max: Option<(i64, String)>,
}

/// Maps a root table's column index to the column index of a partition leaf (by name).
fn leaf_map(tables: &[Table], leaf: TableId, root: TableId) -> Vec<usize> {
    tables[root]
        .columns
        .iter()
        .map(|c| tables[leaf].column_index(&c.name).unwrap_or(usize::MAX))
        .collect()
}

/// A [`RowAccess`] seen through a column map (root column → leaf column).
struct Mapped<'r> {
    inner: &'r mut dyn RowAccess,
    map: &'r [usize],
}

impl RowAccess for Mapped<'_> {
    fn offset(&self) -> u64 {
        self.inner.offset()
    }
    fn cell(&mut self, col: usize) -> Result<crate::row::CellRef<'_>> {
        match self.map.get(col) {
            Some(&c) if c != usize::MAX => self.inner.cell(c),
            _ => Ok(crate::row::CellRef::Absent),
        }
    }
}

/// Rows selected so far, per root table, with their reasons; a row is identified by its
/// offset in the dump (unique, and stable across re-reads).
#[derive(Debug, Default)]
pub struct Store {
    rows: FxHashMap<TableId, Vec<SelectedRow>>,
    offsets: FxHashMap<u64, (TableId, usize)>,
}

impl Store {
    /// Adds a row (unless a row with the same offset is already held); `table` is a root.
    pub fn insert(&mut self, table: TableId, row: Row, reason: Reason) -> bool {
        let rows = self.rows.entry(table).or_default();
        match self.offsets.entry(row.offset) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert((table, rows.len()));
                rows.push(SelectedRow { row, reason });
                true
            }
        }
    }

    /// Makes room for `additional` more rows.
    fn reserve(&mut self, additional: usize) {
        self.offsets.reserve(additional);
    }

    fn reason(&self, offset: u64) -> Option<Reason> {
        let &(t, i) = self.offsets.get(&offset)?;
        Some(self.rows[&t][i].reason)
    }

    fn get(&self, offset: u64) -> Option<&Row> {
        let &(t, i) = self.offsets.get(&offset)?;
        Some(&self.rows.get(&t)?.get(i)?.row)
    }

    /// An ancestor turns out to reference a root or descendant: it is a descendant.
    fn promote(&mut self, offset: u64, reason: Reason) -> Option<&Row> {
        let &(t, i) = self.offsets.get(&offset)?;
        let r = self.rows.get_mut(&t)?.get_mut(i)?;
        r.reason = reason;
        Some(&r.row)
    }

    /// Number of rows held.
    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    /// Is it empty?
    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }
}

/// Pass-1 sink: finds the roots while the dump is read the first time (and, for `inspect`,
/// counts rows and the range of created values).
pub struct RootFinder<'c> {
    since: Option<i64>,
    rules: &'c CreatedRules,
    filter: &'c TableFilter,
    stats: Option<Vec<TableStats>>,
    progress: crate::progress::Progress,
    naive_zone: Zone,
    session_zone: Zone,
    /// Per dump table: unresolved, or (root, created column, clock, leaf map).
    plans: Vec<Option<Option<RootPlan>>>,
    store: Store,
}

#[derive(Debug, Clone)]
struct RootPlan {
    root: TableId,
    /// May the root's rows be selected (`--include/--exclude-table`)?
    allowed: bool,
    column: usize,
    clock: CellClock,
    map: Option<Vec<usize>>,
}

impl<'c> RootFinder<'c> {
    /// A finder for rows created after `since` (UTC micros; `None` finds none) in the tables
    /// `filter` allows; with `stats`, every table's rows are counted too.
    pub fn new(
        since: Option<i64>,
        rules: &'c CreatedRules,
        naive_zone: Zone,
        filter: &'c TableFilter,
        stats: bool,
        progress: crate::progress::Progress,
    ) -> RootFinder<'c> {
        RootFinder {
            since,
            rules,
            filter,
            stats: stats.then(Vec::new),
            progress,
            naive_zone,
            session_zone: Zone::utc(),
            plans: Vec::new(),
            store: Store::default(),
        }
    }

    /// The roots found, and the statistics if asked for (per dump table).
    pub fn finish(self) -> (Store, Option<Vec<TableStats>>) {
        (self.store, self.stats)
    }

    fn plan(&mut self, tables: &[Table], table: TableId) -> Result<Option<&RootPlan>> {
        if self.plans.len() <= table {
            self.plans.resize(table + 1, None);
        }
        if self.plans[table].is_none() {
            let root = root_of(tables, table);
            let column = match self.rules.column_for(tables, table, root)? {
                Some(c) if self.filter.allows(&tables[root].name) || self.stats.is_some() => {
                    Some(c)
                }
                _ => None,
            };
            let plan = column.map(|column| {
                let root_col = tables[root].column_index(&tables[table].columns[column].name);
                RootPlan {
                    root,
                    allowed: self.filter.allows(&tables[root].name),
                    column,
                    clock: CellClock {
                        class: tables[table].columns[column].class,
                        naive_zone: self.naive_zone,
                        session_zone: self.session_zone,
                    },
                    map: (root != table || root_col != Some(column))
                        .then(|| leaf_map(tables, table, root)),
                }
            });
            self.plans[table] = Some(plan);
        }
        Ok(self.plans[table].as_ref().and_then(Option::as_ref))
    }
}

fn root_of(tables: &[Table], mut t: TableId) -> TableId {
    for _ in 0..tables.len() {
        match tables[t].partition_of {
            Some(p) => t = p,
            None => break,
        }
    }
    t
}

impl RowSink for RootFinder<'_> {
    fn wants(&mut self, tables: &[Table], table: TableId) -> bool {
        if self.progress.is_visible() {
            self.progress.message(&tables[table].name.to_string());
        }
        // Errors surface on the first row instead (this method cannot fail).
        self.stats.is_some() || !matches!(self.plan(tables, table), Ok(None))
    }

    fn session_time_zone(&mut self, zone: &str) -> Result<()> {
        self.session_zone = crate::time::parse_zone(zone)?;
        // Plans made so far captured the old zone.
        self.plans.clear();
        Ok(())
    }

    fn row(&mut self, tables: &[Table], table: TableId, row: &mut dyn RowAccess) -> Result<()> {
        let since = self.since;
        if let Some(stats) = &mut self.stats {
            if stats.len() <= table {
                stats.resize(table + 1, TableStats::default());
            }
            stats[table].rows += 1;
        }
        if self.plan(tables, table)?.is_none() {
            return Ok(());
        }
        // Borrow the plan and the store separately (no per-row clone).
        let Some(Some(Some(plan))) = self.plans.get(table) else {
            return Ok(());
        };
        let instant = match row.cell(plan.column)? {
            crate::row::CellRef::Value(text) => plan.clock.read(text).map_err(|what| {
                Error::data(
                    row.offset(),
                    format!(
                        "table {}, created column {}: {what}",
                        tables[table].name, tables[table].columns[plan.column].name
                    ),
                )
            })?,
            _ => Instant::Never,
        };
        if let (Some(stats), Instant::At(t)) = (&mut self.stats, instant) {
            let st = &mut stats[table];
            st.created_column = Some(plan.column);
            let mut text = || match row.cell(plan.column) {
                Ok(crate::row::CellRef::Value(v)) => String::from_utf8_lossy(v).into_owned(),
                _ => String::new(),
            };
            if st.min.as_ref().is_none_or(|(m, _)| t < *m) {
                st.min = Some((t, text()));
            }
            if st.max.as_ref().is_none_or(|(m, _)| t > *m) {
                st.max = Some((t, text()));
            }
        }
        if plan.allowed && created_after(instant, since) {
            let columns = tables[plan.root].columns.len();
            let owned = match &plan.map {
                Some(map) => Mapped { inner: row, map }.to_row(columns)?,
                None => row.to_row(columns)?,
            };
            self.store.insert(plan.root, owned, Reason::Root);
        }
        Ok(())
    }

    fn screen(&mut self, tables: &[Table], table: TableId) -> Option<Box<dyn RowScreen>> {
        // Statistics look at every row; a plan that cannot be made is reported on a row.
        if self.stats.is_some() {
            return None;
        }
        let since = self.since;
        let plan = self.plan(tables, table).ok()??;
        Some(Box::new(CreatedAfter {
            column: plan.column,
            clock: plan.clock,
            since: since.filter(|_| plan.allowed),
        }))
    }
}

/// The rule that makes a row of an allowed table a root: created strictly after `--since`.
fn created_after(instant: Instant, since: Option<i64>) -> bool {
    matches!((instant, since), (Instant::At(t), Some(s)) if t > s)
}

/// [`RootFinder`]'s screen: rows created after `since` (`None`: no row is a root), and rows
/// whose created value is broken (the finder reports them).
struct CreatedAfter {
    column: usize,
    clock: CellClock,
    since: Option<i64>,
}

impl RowScreen for CreatedAfter {
    fn keeps(&self, row: &mut dyn RowAccess) -> bool {
        match row.cell(self.column) {
            Ok(crate::row::CellRef::Value(text)) => match self.clock.read(text) {
                Ok(instant) => created_after(instant, self.since),
                Err(_) => true,
            },
            Ok(_) => false,
            Err(_) => true,
        }
    }
}

/// What a table read looks for: rows where, for one of `wanted`, the column holds one of the
/// keys (sorted integers). A reader may skip rows it knows match none of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyFilter {
    /// (The root table's column, the keys.)
    pub wanted: Vec<(usize, Vec<i64>)>,
}

impl KeyFilter {
    /// May a row whose column values lie in `ranges` match? `ranges(column)` gives the range
    /// of a column, `None` when it is not known (then the row may match).
    pub fn may_match(&self, ranges: impl Fn(usize) -> Option<crate::dialect::FieldRange>) -> bool {
        self.wanted
            .iter()
            .any(|(column, keys)| ranges(*column).is_none_or(|r| r.may_hold(keys)))
    }
}

/// Re-reads the rows of a table (all partition leaves of a root) for the resolver.
pub trait TableReader {
    /// Hands every row of root table `table` (from all its segments) to the sinks: the table
    /// is cut into `sinks.len()` contiguous pieces in dump order, piece `i` going to
    /// `sinks[i]`, and the pieces may be read at the same time on several threads. A reader
    /// that does not cut gives every row to `sinks[0]`. With `backwards`, each piece's rows
    /// may come last-first (readers that cannot, give them in dump order): chains of
    /// self-references point back in the dump, so a backwards read follows a whole chain of
    /// ancestors in one pass. With `only`, rows that cannot match it may be left out.
    ///
    /// # Errors
    /// Read or parse failures.
    fn read_table(
        &mut self,
        schema: &Schema,
        table: TableId,
        backwards: bool,
        only: Option<&KeyFilter>,
        sinks: &mut [&mut (dyn RowSink + Send)],
    ) -> Result<()>;

    /// Into how many pieces [`TableReader::read_table`] should cut a table (1: no cutting).
    fn parallelism(&self) -> usize {
        1
    }

    /// Does the dump hold any rows for `table`?
    fn has_rows(&self, schema: &Schema, table: TableId) -> bool;
}

/// Exact key sets, one per (table, referenced column list): the keys of all selected rows
/// (`all`) and of the roots and descendants only (`rooted`, what descendants must reference).
#[derive(Default)]
struct KeyIndex {
    specs: Vec<(TableId, Vec<usize>)>,
    all: Vec<KeySet>,
    rooted: Vec<KeySet>,
    buf: Vec<u8>,
}

impl KeyIndex {
    fn spec(&mut self, table: TableId, columns: &[usize]) -> usize {
        if let Some(i) = self
            .specs
            .iter()
            .position(|(t, c)| *t == table && c == columns)
        {
            return i;
        }
        self.specs.push((table, columns.to_vec()));
        self.all.push(KeySet::default());
        self.rooted.push(KeySet::default());
        self.specs.len() - 1
    }

    /// Makes room for the keys of `n` more rows of `table` (`rooted`: roots or descendants).
    fn reserve(&mut self, table: TableId, n: usize, rooted: bool) {
        for (i, (t, _)) in self.specs.iter().enumerate() {
            if *t == table {
                self.all[i].reserve(n);
                if rooted {
                    self.rooted[i].reserve(n);
                }
            }
        }
    }

    fn add_row(&mut self, table: TableId, row: &Row, rooted: bool) {
        for (i, (t, cols)) in self.specs.iter().enumerate() {
            if *t == table && Key::build(row, cols, &mut self.buf) {
                if rooted {
                    self.rooted[i].insert(&self.buf);
                }
                self.all[i].insert(&self.buf);
            }
        }
    }
}

/// The resolver's state, shared by the sinks that re-read tables.
struct Resolver<'s> {
    schema: &'s Schema,
    allowed: Vec<bool>,
    store: Store,
    index: KeyIndex,
    /// Per foreign key: the spec (in `index`) of its referenced columns.
    parent_spec: Vec<usize>,
    /// Per foreign key: referenced keys that selected rows need and the selection lacks.
    needed: Vec<KeySet>,
    /// Per table: roots + descendants count (a child must be re-read when a parent's grows).
    version: Vec<usize>,
    excluded: Vec<String>,
    dangling: Vec<String>,
}

impl Resolver<'_> {
    /// A row was selected (or promoted): index it and note the keys it needs.
    fn selected(&mut self, table: TableId, row: &Row, rooted: bool) {
        self.index.add_row(table, row, rooted);
        if rooted {
            self.version[table] += 1;
        }
        let mut k = Vec::new();
        for (f, fk) in self.schema.outgoing(table) {
            if !Key::build(row, &fk.child_columns, &mut k) {
                continue;
            }
            if !self.allowed[fk.parent] {
                self.excluded.push(format!(
                    "rows of {} reference excluded table {} (foreign key {}): the restored backup must already hold them",
                    self.schema.tables[table].name, self.schema.tables[fk.parent].name, fk.name
                ));
            } else if !self.index.all[self.parent_spec[f]].contains(&k) {
                self.needed[f].insert(&k);
            }
        }
        // Keys this row provides are no longer needed.
        for (f, fk) in self.schema.incoming(table) {
            if !self.needed[f].is_empty() && Key::build(row, &fk.parent_columns, &mut k) {
                self.needed[f].remove(&k);
            }
        }
    }
}

/// Resolves the closure and orders the selection. Rows are only taken from tables `filter`
/// allows; references into other tables are reported in [`Selection::excluded`].
///
/// One sweep over the tables in foreign-key order (parents first) picks up descendants — and,
/// in the same reads, the ancestors already known to be needed; it repeats while a table whose
/// children were read gains rows. Then sweeps in the other direction (children first, each
/// table read backwards where the reader can) fetch the remaining ancestors until none is
/// missing.
///
/// # Errors
/// Failures re-reading the dump.
pub fn resolve(
    schema: &Schema,
    store: Store,
    reader: &mut dyn TableReader,
    filter: &TableFilter,
) -> Result<Selection> {
    let fks = &schema.foreign_keys;
    let mut index = KeyIndex::default();
    let parent_spec: Vec<usize> = fks
        .iter()
        .map(|fk| index.spec(fk.parent, &fk.parent_columns))
        .collect();
    let n = schema.tables.len();
    let mut r = Resolver {
        schema,
        allowed: schema
            .tables
            .iter()
            .map(|t| filter.allows(&t.name))
            .collect(),
        store: Store::default(),
        index,
        parent_spec,
        needed: vec![KeySet::default(); fks.len()],
        version: vec![0; n],
        excluded: Vec::new(),
        dangling: Vec::new(),
    };
    // The roots: index them first (so none is "needed"), then note what they need. The sets
    // are sized once: growing them row by row was a third of this step.
    for (&t, rows) in &store.rows {
        r.index.reserve(t, rows.len(), true);
    }
    let mut roots: Vec<(TableId, SelectedRow)> = store
        .rows
        .into_iter()
        .flat_map(|(t, rows)| rows.into_iter().map(move |row| (t, row)))
        .collect();
    roots.sort_by_key(|(_, row)| row.row.offset);
    r.store.reserve(roots.len());
    for (t, row) in &roots {
        r.index.add_row(*t, &row.row, true);
    }
    for (t, row) in roots {
        r.store.insert(t, row.row, row.reason);
    }
    let mut key = Vec::new();
    for (&t, rows) in &r.store.rows {
        for x in rows {
            for (f, fk) in schema.outgoing(t) {
                if Key::build(&x.row, &fk.child_columns, &mut key) {
                    if !r.allowed[fk.parent] {
                        r.excluded.push(format!(
                            "rows of {} reference excluded table {} (foreign key {}): the restored backup must already hold them",
                            schema.tables[t].name, schema.tables[fk.parent].name, fk.name
                        ));
                    } else if !r.index.all[r.parent_spec[f]].contains(&key) {
                        r.needed[f].insert(&key);
                    }
                }
            }
        }
        r.version[t] += rows.len();
    }

    let order = table_order(schema);
    let mut rereads = 0;
    // seen[f]: the parent's version when the child was last read for descendants.
    let mut seen: Vec<usize> = vec![0; fks.len()];
    loop {
        let mut progressed = false;
        for &t in &order {
            if !r.allowed[t] || !reader.has_rows(schema, t) {
                continue;
            }
            let children: Vec<usize> = (0..fks.len())
                .filter(|&f| fks[f].child == t && r.version[fks[f].parent] > seen[f])
                .collect();
            if children.is_empty() {
                continue;
            }
            for &f in &children {
                seen[f] = r.version[fks[f].parent];
            }
            let before = r.version[t];
            r.sweep(reader, t, &children, false)?;
            rereads += 1;
            if r.version[t] > before {
                progressed = true;
            }
        }
        if !progressed {
            break;
        }
    }

    // Remaining ancestors, children first; a backwards read follows self-reference chains.
    loop {
        let mut read_any = false;
        for &t in order.iter().rev() {
            let wanted = (0..fks.len()).any(|f| fks[f].parent == t && !r.needed[f].is_empty());
            if !wanted {
                continue;
            }
            // What this table is needed for now; rows found during the read may need more of
            // it (a chain of self-references read forwards): those wait for the next sweep.
            let before: Vec<(usize, Vec<Key>)> = fks
                .iter()
                .enumerate()
                .filter(|(f, fk)| fk.parent == t && !r.needed[*f].is_empty())
                .map(|(f, _)| (f, r.needed[f].keys()))
                .collect();
            if reader.has_rows(schema, t) {
                r.sweep(reader, t, &[], true)?;
                rereads += 1;
                read_any = true;
            }
            // Whatever was needed before a whole read of the table and is still missing, the
            // dump does not hold.
            for (f, keys) in before {
                let missing = keys
                    .iter()
                    .filter(|k| r.needed[f].remove(k.as_bytes()))
                    .count();
                if missing > 0 {
                    let fk = &fks[f];
                    r.dangling.push(format!(
                        "{} references {missing} row(s) of {} that the dump does not hold (foreign key {})",
                        schema.tables[fk.child].name, schema.tables[t].name, fk.name
                    ));
                }
            }
        }
        if !read_any || r.needed.iter().all(|n| n.is_empty()) {
            break;
        }
    }
    let Resolver {
        store,
        mut dangling,
        mut excluded,
        ..
    } = r;
    dangling.sort();
    dangling.dedup();
    excluded.sort();
    excluded.dedup();
    let mut selection = order_selection(schema, store, &order);
    selection.dangling = dangling;
    selection.excluded = excluded;
    selection.rereads = rereads;
    Ok(selection)
}

/// What a table read found for the resolver (applied after the read, in dump order).
enum Found {
    /// A row not selected before.
    New { row: Row, reason: Reason },
    /// A row selected as an ancestor that references a root or descendant: a descendant.
    Promoted { offset: u64, reason: Reason },
}

/// The resolver's state as a table read sees it: frozen while the read's pieces are matched
/// (possibly on several threads), changed only when their findings are applied.
struct Frozen<'a> {
    schema: &'a Schema,
    index: &'a KeyIndex,
    needed: &'a [KeySet],
    parent_spec: &'a [usize],
    store: &'a Store,
}

/// Matches the rows of one piece of a table read: a row referencing a root or descendant
/// through one of `children` becomes a descendant; a row whose key a selected row needs
/// becomes an ancestor.
///
/// Rows found earlier in the same piece count at once for self-references (a reply to a new
/// comment, the parent of a needed comment), as they would in one sequential read; a chain that
/// crosses into another piece is completed by the resolver's next sweep.
struct Matcher<'a> {
    frozen: &'a Frozen<'a>,
    table: TableId,
    children: &'a [usize],
    /// Foreign keys referencing this table (where ancestors may be needed).
    parents: Vec<usize>,
    /// Keys of this piece's descendants, per key spec of this table that a self-reference uses.
    own_rooted: FxHashMap<usize, KeySet>,
    /// Keys this piece's rows need from this table, per self-referencing foreign key.
    own_needed: FxHashMap<usize, KeySet>,
    key: Vec<u8>,
    maps: HashMap<TableId, Vec<usize>>,
    found: Vec<Found>,
}

impl<'a> Matcher<'a> {
    fn new(frozen: &'a Frozen<'a>, table: TableId, children: &'a [usize]) -> Self {
        let parents = frozen.schema.incoming(table).map(|(f, _)| f).collect();
        Matcher {
            frozen,
            table,
            children,
            parents,
            own_rooted: FxHashMap::default(),
            own_needed: FxHashMap::default(),
            key: Vec::new(),
            maps: HashMap::new(),
            found: Vec::new(),
        }
    }

    /// Notes what a row found in this piece means for the rest of the piece (self-references).
    fn note(&mut self, row: &Row, rooted: bool) {
        let schema = self.frozen.schema;
        for (f, fk) in schema.outgoing(self.table) {
            if fk.parent != self.table {
                continue;
            }
            let spec = self.frozen.parent_spec[f];
            if rooted && Key::build(row, &fk.parent_columns, &mut self.key) {
                self.own_rooted.entry(spec).or_default().insert(&self.key);
            }
            if Key::build(row, &fk.child_columns, &mut self.key)
                && !self.frozen.index.all[spec].contains(&self.key)
            {
                self.own_needed.entry(f).or_default().insert(&self.key);
            }
        }
    }
}

impl RowSink for Matcher<'_> {
    fn wants(&mut self, _: &[Table], _: TableId) -> bool {
        true
    }

    fn row(&mut self, tables: &[Table], leaf: TableId, row: &mut dyn RowAccess) -> Result<()> {
        let frozen = self.frozen;
        let schema = frozen.schema;
        let map = leaf_map_cached(&mut self.maps, tables, leaf, self.table);
        // Descendant?
        let mut reason = None;
        for &f in self.children {
            let fk = &schema.foreign_keys[f];
            let spec = frozen.parent_spec[f];
            if Key::read(row, &fk.child_columns, map, &mut self.key)?
                && (frozen.index.rooted[spec].contains(&self.key)
                    || self
                        .own_rooted
                        .get(&spec)
                        .is_some_and(|k| k.contains(&self.key)))
            {
                reason = Some(Reason::Descendant { fk: f });
                break;
            }
        }
        // Ancestor?
        if reason.is_none() {
            for &f in &self.parents {
                let own = self.own_needed.get(&f);
                if frozen.needed[f].is_empty() && own.is_none() {
                    continue;
                }
                let fk = &schema.foreign_keys[f];
                if Key::read(row, &fk.parent_columns, map, &mut self.key)?
                    && (frozen.needed[f].contains(&self.key)
                        || own.is_some_and(|k| k.contains(&self.key)))
                {
                    reason = Some(Reason::Ancestor { fk: f });
                    break;
                }
            }
        }
        let Some(reason) = reason else {
            return Ok(());
        };
        let offset = row.offset();
        let rooted = matches!(reason, Reason::Descendant { .. });
        match (frozen.store.reason(offset), reason) {
            (None, _) => {
                let columns = tables[self.table].columns.len();
                let owned = match map {
                    Some(map) => Mapped { inner: row, map }.to_row(columns)?,
                    None => row.to_row(columns)?,
                };
                self.note(&owned, rooted);
                self.found.push(Found::New { row: owned, reason });
            }
            (Some(Reason::Ancestor { .. }), Reason::Descendant { .. }) => {
                if let Some(held) = frozen.store.get(offset) {
                    self.note(held, true);
                }
                self.found.push(Found::Promoted { offset, reason });
            }
            _ => {}
        }
        Ok(())
    }
}

impl Resolver<'_> {
    /// What a read of `t` looks for, when every foreign key involved is one integer column:
    /// through `children`, rows referencing roots and descendants; through the foreign keys
    /// into `t`, the keys selected rows still need.
    fn read_filter(&self, t: TableId, children: &[usize]) -> Option<KeyFilter> {
        let mut filter = KeyFilter::default();
        for &f in children {
            let fk = &self.schema.foreign_keys[f];
            let [c] = fk.child_columns[..] else {
                return None;
            };
            let keys = self.index.rooted[self.parent_spec[f]].sorted_ints()?;
            filter.wanted.push((c, keys));
        }
        for (f, fk) in self.schema.incoming(t) {
            if self.needed[f].is_empty() {
                continue;
            }
            let [c] = fk.parent_columns[..] else {
                return None;
            };
            filter.wanted.push((c, self.needed[f].sorted_ints()?));
        }
        Some(filter)
    }

    /// Reads root table `t` (in pieces, as the reader sees fit) and applies what was found, in
    /// dump order (last first for a backwards read). Returns whether the read happened.
    fn sweep(
        &mut self,
        reader: &mut dyn TableReader,
        t: TableId,
        children: &[usize],
        backwards: bool,
    ) -> Result<()> {
        // The reader may skip the stretches of the dump that cannot hold what is looked for.
        let only = self.read_filter(t, children);
        let pieces = reader.parallelism().max(1);
        let found: Vec<Vec<Found>> = {
            let frozen = Frozen {
                schema: self.schema,
                index: &self.index,
                needed: &self.needed,
                parent_spec: &self.parent_spec,
                store: &self.store,
            };
            let mut matchers: Vec<Matcher<'_>> = (0..pieces)
                .map(|_| Matcher::new(&frozen, t, children))
                .collect();
            let mut sinks: Vec<&mut (dyn RowSink + Send)> = matchers
                .iter_mut()
                .map(|m| m as &mut (dyn RowSink + Send))
                .collect();
            reader.read_table(self.schema, t, backwards, only.as_ref(), &mut sinks)?;
            drop(sinks);
            matchers.into_iter().map(|m| m.found).collect()
        };
        let new_rows = found
            .iter()
            .flatten()
            .filter(|f| matches!(f, Found::New { .. }))
            .count();
        self.store.reserve(new_rows);
        self.index.reserve(t, new_rows, false);
        let ordered: Box<dyn Iterator<Item = Vec<Found>>> = if backwards {
            Box::new(found.into_iter().rev())
        } else {
            Box::new(found.into_iter())
        };
        for found in ordered.flatten() {
            match found {
                Found::New { row, reason } => {
                    // Pieces are disjoint: a row is new to the store at most once.
                    let rooted = matches!(reason, Reason::Descendant { .. });
                    self.selected(t, &row, rooted);
                    self.store.insert(t, row, reason);
                }
                Found::Promoted { offset, reason } => {
                    if let Some(owned) = self.store.promote(offset, reason).cloned() {
                        self.selected(t, &owned, true);
                    }
                }
            }
        }
        Ok(())
    }
}

fn leaf_map_cached<'m>(
    maps: &'m mut HashMap<TableId, Vec<usize>>,
    tables: &[Table],
    leaf: TableId,
    root: TableId,
) -> Option<&'m [usize]> {
    if leaf == root {
        return None;
    }
    Some(
        maps.entry(leaf)
            .or_insert_with(|| leaf_map(tables, leaf, root)),
    )
}

/// Tables in FK-topological order (parents first). Inside a cycle, the table placed first is
/// one whose pending foreign keys can be deferred (or are nullable), so the patch can still
/// apply; failing that, the earliest in dump order.
pub fn table_order(schema: &Schema) -> Vec<TableId> {
    let tables: Vec<TableId> = schema.row_tables().collect();
    let mut placed = vec![false; schema.tables.len()];
    let mut order = Vec::with_capacity(tables.len());
    fn pending<'s>(
        schema: &'s Schema,
        placed: &'s [bool],
        t: TableId,
    ) -> impl Iterator<Item = &'s crate::schema::ForeignKey> {
        schema
            .outgoing(t)
            .filter(move |(_, fk)| fk.parent != t && !placed[fk.parent])
            .map(|(_, fk)| fk)
    }
    while order.len() < tables.len() {
        let unplaced = || tables.iter().copied().filter(|&t| !placed[t]);
        let next = unplaced()
            .find(|&t| pending(schema, &placed, t).next().is_none())
            .or_else(|| unplaced().find(|&t| pending(schema, &placed, t).all(|fk| fk.deferrable)))
            .or_else(|| {
                unplaced().find(|&t| {
                    pending(schema, &placed, t).all(|fk| {
                        fk.child_columns
                            .iter()
                            .all(|&c| !schema.tables[t].columns[c].not_null)
                    })
                })
            })
            .or_else(|| unplaced().next());
        let Some(next) = next else { break };
        placed[next] = true;
        order.push(next);
    }
    order
}

/// Orders rows already chosen (e.g. read back from a reviewed JSON file): tables parents
/// first, rows of a self-referencing table referenced-first, otherwise by offset.
pub fn order(schema: &Schema, store: Store) -> Selection {
    order_selection(schema, store, &table_order(schema))
}

fn order_selection(schema: &Schema, mut store: Store, order: &[TableId]) -> Selection {
    let position: HashMap<TableId, usize> =
        order.iter().enumerate().map(|(i, &t)| (t, i)).collect();
    let mut unordered: Vec<usize> = Vec::new();
    let mut tables = Vec::new();
    for &t in order {
        let Some(mut rows) = store.rows.remove(&t) else {
            continue;
        };
        rows.sort_by_key(|r| r.row.offset);
        let self_fks: Vec<usize> = schema
            .outgoing(t)
            .filter(|(_, fk)| fk.parent == t)
            .map(|(f, _)| f)
            .collect();
        if !self_fks.is_empty() && !order_rows(schema, &mut rows, &self_fks) {
            unordered.extend(&self_fks);
        }
        tables.push(SelectedTable { table: t, rows });
    }
    for (f, fk) in schema.foreign_keys.iter().enumerate() {
        if fk.parent != fk.child && position.get(&fk.parent) > position.get(&fk.child) {
            unordered.push(f);
        }
    }
    unordered.sort_unstable();
    unordered.dedup();
    Selection {
        tables,
        unordered_fks: unordered,
        dangling: Vec::new(),
        excluded: Vec::new(),
        rereads: 0,
    }
}

/// Orders rows so that a row referenced through a self-reference comes before the rows that
/// reference it. Returns false if the rows reference each other in a cycle (order left as is
/// for those).
fn order_rows(schema: &Schema, rows: &mut Vec<SelectedRow>, self_fks: &[usize]) -> bool {
    let mut by_key: Vec<FxHashMap<Key, usize>> = Vec::new();
    for &f in self_fks {
        let cols = &schema.foreign_keys[f].parent_columns;
        by_key.push(
            rows.iter()
                .enumerate()
                .filter_map(|(i, r)| Key::of_row(&r.row, cols).map(|k| (k, i)))
                .collect(),
        );
    }
    // deps[i * self_fks.len() + j]: the row that row i references through self_fks[j], if any.
    const NONE: usize = usize::MAX;
    let mut deps: Vec<usize> = Vec::with_capacity(rows.len() * self_fks.len());
    let mut key = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        for (&f, keys) in self_fks.iter().zip(&by_key) {
            let dep = Key::build(&r.row, &schema.foreign_keys[f].child_columns, &mut key)
                .then(|| keys.get(key.as_slice()).copied())
                .flatten()
                .filter(|&j| j != i);
            deps.push(dep.unwrap_or(NONE));
        }
    }
    let deps_of = |node: usize| &deps[node * self_fks.len()..(node + 1) * self_fks.len()];
    // Iterative DFS post-order: parents first.
    let n = rows.len();
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut out = Vec::with_capacity(n);
    let mut acyclic = true;
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some((node, next)) = stack.pop() {
            if let Some(&dep) = deps_of(node).get(next) {
                stack.push((node, next + 1));
                if dep == NONE {
                    continue;
                }
                match state[dep] {
                    0 => {
                        state[dep] = 1;
                        stack.push((dep, 0));
                    }
                    1 => acyclic = false,
                    _ => {}
                }
            } else {
                state[node] = 2;
                out.push(node);
            }
        }
    }
    let mut taken: Vec<Option<SelectedRow>> = rows.drain(..).map(Some).collect();
    rows.extend(out.into_iter().filter_map(|i| taken[i].take()));
    acyclic
}

/// Per-table counts, for summaries: (table, roots, descendants, ancestors).
pub fn counts(schema: &Schema, selection: &Selection) -> Vec<(String, usize, usize, usize)> {
    selection
        .tables
        .iter()
        .map(|t| {
            let (r, d, a) = t.counts();
            (schema.tables[t.table].name.to_string(), r, d, a)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::row::CellRef;
    use crate::schema::{Column, ForeignKeyDecl, SchemaBuilder, TableName};

    /// Rows of one table kept in memory, cut into `pieces` for the resolver's sinks;
    /// `backwards` is ignored, as for INSERT dumps.
    struct MemoryReader {
        rows: Vec<(TableId, Vec<Option<&'static str>>)>,
        pieces: usize,
    }

    struct MemRow<'a> {
        cells: &'a [Option<&'static str>],
        offset: u64,
    }

    impl RowAccess for MemRow<'_> {
        fn offset(&self) -> u64 {
            self.offset
        }
        fn cell(&mut self, col: usize) -> Result<CellRef<'_>> {
            Ok(match self.cells.get(col) {
                Some(Some(v)) => CellRef::Value(v.as_bytes()),
                Some(None) => CellRef::Null,
                None => CellRef::Absent,
            })
        }
    }

    impl TableReader for MemoryReader {
        fn read_table(
            &mut self,
            schema: &Schema,
            table: TableId,
            _backwards: bool,
            only: Option<&KeyFilter>,
            sinks: &mut [&mut (dyn RowSink + Send)],
        ) -> Result<()> {
            // As strict as a reader may be: with `only`, every row that cannot match is left out.
            let skipped = |cells: &[Option<&str>]| {
                only.is_some_and(|f| {
                    !f.may_match(|column| {
                        let value = cells.get(column).copied().flatten()?;
                        let v = crate::row::canonical_int(value.as_bytes())?;
                        Some(crate::dialect::FieldRange::of(v))
                    })
                })
            };
            let of_table: Vec<usize> = (0..self.rows.len())
                .filter(|&i| self.rows[i].0 == table && !skipped(&self.rows[i].1))
                .collect();
            let per_piece = of_table.len().div_ceil(sinks.len()).max(1);
            for (piece, sink) in of_table.chunks(per_piece).zip(sinks.iter_mut()) {
                for &i in piece {
                    let mut row = MemRow {
                        cells: &self.rows[i].1,
                        offset: i as u64,
                    };
                    sink.row(&schema.tables, table, &mut row)?;
                }
            }
            Ok(())
        }
        fn parallelism(&self) -> usize {
            self.pieces
        }
        fn has_rows(&self, _: &Schema, table: TableId) -> bool {
            self.rows.iter().any(|(t, _)| *t == table)
        }
    }

    fn comments_schema() -> Schema {
        let mut b = SchemaBuilder::new();
        b.add_table(Table {
            name: TableName::new(Some("public"), "comment"),
            columns: vec![
                Column::new("id", "integer", TypeClass::Integer),
                Column::new("parent_id", "integer", TypeClass::Integer),
                Column::new("created", "timestamptz", TypeClass::TimestampTz),
            ],
            primary_key: Some(vec![0]),
            unique_keys: vec![],
            partition_of: None,
            is_partitioned: false,
            triggers: vec![],
        });
        b.add_foreign_key(ForeignKeyDecl {
            name: "parent".into(),
            child: TableName::new(Some("public"), "comment"),
            child_columns: vec!["parent_id".into()],
            parent: TableName::new(Some("public"), "comment"),
            parent_columns: vec!["id".into()],
            deferrable: false,
        });
        b.finish().unwrap()
    }

    fn ids(sel: &Selection) -> Vec<(String, &'static str)> {
        sel.tables
            .iter()
            .flat_map(|t| t.rows.iter())
            .map(|r| {
                let id = String::from_utf8_lossy(r.row.cells[0].value().unwrap()).into_owned();
                let why = match r.reason {
                    Reason::Root => "root",
                    Reason::Descendant { .. } => "descendant",
                    Reason::Ancestor { .. } => "ancestor",
                };
                (id, why)
            })
            .collect()
    }

    /// Runs the selection with the table cut into 1, 2, 3 and 4 pieces: all must agree.
    fn run(rows: Vec<(TableId, Vec<Option<&'static str>>)>, since: &str) -> Selection {
        let whole = run_in_pieces(rows.clone(), since, 1);
        for pieces in 2..=4 {
            let cut = run_in_pieces(rows.clone(), since, pieces);
            assert_eq!(ids(&cut), ids(&whole), "{pieces} pieces");
            assert_eq!(cut.dangling, whole.dangling, "{pieces} pieces");
        }
        whole
    }

    fn run_in_pieces(
        rows: Vec<(TableId, Vec<Option<&'static str>>)>,
        since: &str,
        pieces: usize,
    ) -> Selection {
        let schema = comments_schema();
        let rules = CreatedRules::new(vec![], vec![]);
        let filter = TableFilter::default();
        let since = crate::time::parse_since(since, &Zone::utc()).unwrap();
        let mut finder = RootFinder::new(
            Some(since),
            &rules,
            Zone::utc(),
            &filter,
            false,
            crate::progress::Progress::default(),
        );
        let mut reader = MemoryReader { rows, pieces };
        for (i, (t, cells)) in reader.rows.iter().enumerate() {
            let mut row = MemRow {
                cells,
                offset: i as u64,
            };
            finder.row(&schema.tables, *t, &mut row).unwrap();
        }
        let (store, _) = finder.finish();
        resolve(&schema, store, &mut reader, &filter).unwrap()
    }

    #[test]
    fn ancestor_chains_read_forwards_are_followed_to_the_end() {
        // c3 (new) answers c2, which answers c1: both are ancestors, found over two sweeps
        // when the table cannot be read backwards.
        let sel = run(
            vec![
                (0, vec![Some("1"), None, Some("2026-01-01 00:00:00+00")]),
                (
                    0,
                    vec![Some("2"), Some("1"), Some("2026-01-02 00:00:00+00")],
                ),
                (
                    0,
                    vec![Some("3"), Some("2"), Some("2026-02-01 00:00:00+00")],
                ),
                (0, vec![Some("4"), None, Some("2026-01-03 00:00:00+00")]),
            ],
            "2026-01-15",
        );
        assert!(sel.dangling.is_empty(), "{:?}", sel.dangling);
        assert_eq!(
            ids(&sel),
            [
                ("1".into(), "ancestor"),
                ("2".into(), "ancestor"),
                ("3".into(), "root")
            ]
        );
    }

    #[test]
    fn descendants_of_descendants_but_not_of_ancestors() {
        // c2 (new) answers old c1; old c0 is c1's parent; c5 answers c2 (a descendant), c6
        // answers c1 (a sibling through an ancestor: never taken).
        let sel = run(
            vec![
                (0, vec![Some("0"), None, Some("2026-01-01 00:00:00+00")]),
                (
                    0,
                    vec![Some("1"), Some("0"), Some("2026-01-02 00:00:00+00")],
                ),
                (
                    0,
                    vec![Some("2"), Some("1"), Some("2026-02-01 00:00:00+00")],
                ),
                (
                    0,
                    vec![Some("5"), Some("2"), Some("2026-01-10 00:00:00+00")],
                ),
                (
                    0,
                    vec![Some("6"), Some("1"), Some("2026-01-11 00:00:00+00")],
                ),
            ],
            "2026-01-15",
        );
        assert_eq!(
            ids(&sel),
            [
                ("0".into(), "ancestor"),
                ("1".into(), "ancestor"),
                ("2".into(), "root"),
                ("5".into(), "descendant")
            ]
        );
    }

    #[test]
    fn a_missing_parent_is_reported_not_invented() {
        let sel = run(
            vec![(
                0,
                vec![Some("3"), Some("99"), Some("2026-02-01 00:00:00+00")],
            )],
            "2026-01-15",
        );
        assert_eq!(ids(&sel), [("3".into(), "root")]);
        assert_eq!(sel.dangling.len(), 1, "{:?}", sel.dangling);
    }
}
