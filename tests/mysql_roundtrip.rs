//! Real-server round trips for MySQL/MariaDB dumps.
//!
//! For each fixture (Django-style blog, Sakila, a zoo of value types and schema shapes) on a
//! private MariaDB server:
//! 1. build the database with its old rows and dump it: BACKUP;
//! 2. add the new rows (created after the cut-off) and damage old rows (updates, deletes: the
//!    "bad migration"); EXPECTED = BACKUP restored + the same new rows;
//! 3. dump the damaged database in every flavor (extended inserts, `--skip-extended-insert`,
//!    `--complete-insert`, `--hex-blob`, gzip on stdin, `--routines --databases`);
//! 4. `dbsalvage extract` each dump into a JSON review file and a SQL patch;
//! 5. restore BACKUP, apply the patch with `mariadb DB < patch.sql`, compare every table with
//!    EXPECTED byte for byte; apply again (idempotent); triggers unchanged;
//! 6. once per fixture: AUTO_INCREMENT continues past the rescued ids; a patch the server
//!    rejects (UNIQUE conflict on a non-key column) fails and changes nothing; the patch
//!    restores every byte under a server-wide `NO_BACKSLASH_ESCAPES`.
//!
//! A step that fails does not stop the others: each test ends with one report of everything
//! that went wrong. Dumps, patches and JSON files stay in
//! `target/tmp/mysql-roundtrip/<fixture>/` for a look afterwards.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use serde_json::Value;

use support::mariadb::{self, diff_contents, Contents, MariaDb, TableContents};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/mysql/fixtures");

// ---------------------------------------------------------------------------------------------
// Fixtures

/// One database scenario. Its SQL lives in `testdata/mysql/fixtures/<name>/`: `new.sql` (rows
/// created after the cut-off), `damage.sql` (the bad migration), `conflict.sql` (makes the
/// server reject one rescued row), `probe.sql` (inserts relying on AUTO_INCREMENT).
struct Fixture {
    name: &'static str,
    /// The source database's name.
    db: &'static str,
    /// Creates `db` with its old rows.
    load: fn(&MariaDb, &Fixture),
    /// The shared data set `load` reads (see `support::shared_dataset`), if any.
    dataset: Option<&'static str>,
    /// `--since`.
    since: &'static str,
    /// More `dbsalvage extract` arguments (`--created-column`, `--timezone`).
    args: &'static [&'static str],
    /// More mariadbd arguments (all fixtures run the server in a zone other than UTC).
    server_args: &'static [&'static str],
    /// More selected rows than this means the selection dragged in unrelated rows.
    max_selected: usize,
    /// Rows that must not be selected: `(table, Some(pk))` (composite keys joined by `|`),
    /// `(table, None)`: no row of that table.
    not_selected: &'static [(&'static str, Option<&'static str>)],
    /// Number of triggers the database has (they must survive the patch).
    triggers: usize,
    /// Tables whose new rows triggers write (the patch's inserts fire them again), so the
    /// selection need not hold them.
    written_by_triggers: &'static [&'static str],
}

impl Fixture {
    fn file(&self, name: &str) -> Vec<u8> {
        let path = Path::new(FIXTURES).join(self.name).join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }
}

/// Loads `schema.sql` and `old.sql` of the fixture's folder into a new database.
fn load_fixture_files(server: &MariaDb, fx: &Fixture) {
    server.create_db(fx.db);
    server.run_script(fx.db, &fx.file("schema.sql"));
    server.run_script(fx.db, &fx.file("old.sql"));
}

/// Loads the shared Sakila files (they create the `sakila` database themselves).
fn load_sakila(server: &MariaDb, fx: &Fixture) {
    let dir = support::shared_dataset(fx.dataset.unwrap());
    for file in ["sakila-schema.sql", "sakila-data.sql"] {
        let path = dir.join(file);
        let sql = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        server.run_script("", &unwrap_version_comments(&sql));
    }
}

/// What the datasets README does with sed for MariaDB, which skips MySQL-5.7 version comments:
/// `s#/\*!50[67][0-9][0-9] \([^*]*\)\*/#\1#g; s#/\*!80003 SRID 0 \*/##g`.
fn unwrap_version_comments(sql: &[u8]) -> Vec<u8> {
    const SRID: &[u8] = b"/*!80003 SRID 0 */";
    let mut out = Vec::with_capacity(sql.len());
    let mut i = 0;
    while i < sql.len() {
        let rest = &sql[i..];
        if rest.starts_with(SRID) {
            i += SRID.len();
            continue;
        }
        if rest.len() > 9
            && rest.starts_with(b"/*!50")
            && matches!(rest[5], b'6' | b'7')
            && rest[6].is_ascii_digit()
            && rest[7].is_ascii_digit()
            && rest[8] == b' '
        {
            if let Some(star) = rest[9..].iter().position(|&b| b == b'*') {
                if rest.get(9 + star + 1) == Some(&b'/') {
                    out.extend_from_slice(&rest[9..9 + star]);
                    i += 9 + star + 2;
                    continue;
                }
            }
        }
        out.push(sql[i]);
        i += 1;
    }
    out
}

const DJANGO: Fixture = Fixture {
    name: "django",
    db: "app",
    load: load_fixture_files,
    dataset: None,
    since: "2025-06-01 00:00:00",
    args: &[],
    server_args: &["--default-time-zone=+05:45"],
    max_selected: 30,
    not_selected: &[
        // Descendants of ancestors: the fan-out trap.
        ("blog_comment", Some("1")),
        ("blog_comment", Some("2")),
        ("blog_post", Some("1")),
        ("blog_post", Some("3")),
        // Exactly at the cut-off is not after it.
        ("blog_post", Some("4")),
    ],
    triggers: 0,
    written_by_triggers: &[],
};

const SAKILA_FIXTURE: Fixture = Fixture {
    name: "sakila",
    db: "sakila",
    load: load_sakila,
    dataset: Some("sakila"),
    since: "2020-01-01 00:00:00",
    args: &[
        "--created-column",
        "customer=create_date",
        "--created-column",
        "rental=rental_date",
        "--created-column",
        "payment=payment_date",
    ],
    server_args: &["--default-time-zone=-03:30"],
    max_selected: 100,
    not_selected: &[
        ("film_actor", None),
        ("film_category", None),
        ("film_text", None),
        ("actor", None),
        // Customer 1's and 130's other rentals (descendants of ancestors).
        ("rental", Some("76")),
        ("rental", Some("573")),
    ],
    triggers: 6,
    // ins_film copies a new film into film_text.
    written_by_triggers: &["film_text"],
};

const TYPES: Fixture = Fixture {
    name: "types",
    db: "types",
    load: load_fixture_files,
    dataset: None,
    since: "2025-06-01 00:00:00",
    args: &[
        "--timezone",
        "+02:00",
        "--created-column",
        "sample_tag=added_at",
    ],
    server_args: &["--default-time-zone=+02:00"],
    max_selected: 40,
    not_selected: &[
        // DATETIME 23:00 in +02:00 is before the cut-off (22:00 UTC); read as UTC it would not be.
        ("order", Some("6")),
        ("sample_tag", Some("2|x")),
        // Not linked to any new row.
        ("sample", Some("2")),
        // Employee of an ancestor department: descendant of an ancestor.
        ("emp", Some("2")),
    ],
    triggers: 0,
    written_by_triggers: &[],
};

// ---------------------------------------------------------------------------------------------
// Dump flavors

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Default,
    SkipExtendedInsert,
    CompleteInsert,
    HexBlob,
    GzipStdin,
    Databases,
}

impl Flavor {
    const ALL: [Flavor; 6] = [
        Flavor::Default,
        Flavor::SkipExtendedInsert,
        Flavor::CompleteInsert,
        Flavor::HexBlob,
        Flavor::GzipStdin,
        Flavor::Databases,
    ];

    fn name(self) -> &'static str {
        match self {
            Flavor::Default => "default",
            Flavor::SkipExtendedInsert => "skip_extended_insert",
            Flavor::CompleteInsert => "complete_insert",
            Flavor::HexBlob => "hex_blob",
            Flavor::GzipStdin => "gzip_stdin",
            Flavor::Databases => "databases",
        }
    }

    /// mariadb-dump options (the database name follows them).
    fn dump_args(self) -> &'static [&'static str] {
        match self {
            Flavor::Default | Flavor::GzipStdin => &[],
            Flavor::SkipExtendedInsert => &["--skip-extended-insert"],
            Flavor::CompleteInsert => &["--complete-insert"],
            Flavor::HexBlob => &["--hex-blob"],
            // Like the reference sample: routines (DELIMITER ;; blocks) in the dump too.
            Flavor::Databases => &["--routines", "--databases"],
        }
    }

    /// Where the patch is applied. A `--databases` dump names its database (`USE app`), so its
    /// patch goes to a backup restored under the original name; the others go to a database
    /// with another name, which also proves the patch does not name the source database.
    fn target_db(self, fx: &Fixture) -> String {
        match self {
            Flavor::Databases => fx.db.to_string(),
            _ => format!("t_{}", self.name()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running dbsalvage and the client

/// One `dbsalvage extract` result.
struct Extracted {
    json: Value,
    patch: PathBuf,
}

fn extract(fx: &Fixture, flavor: Flavor, dump: &Path, out_dir: &Path) -> Result<Extracted, String> {
    let patch = out_dir.join(format!("{}.patch.sql", flavor.name()));
    let json_path = out_dir.join(format!("{}.rows.json", flavor.name()));
    for p in [&patch, &json_path] {
        let _ = std::fs::remove_file(p);
    }
    let mut cmd = support::dbsalvage();
    if matches!(flavor, Flavor::SkipExtendedInsert | Flavor::Databases) {
        // Re-read tables cut into three pieces at every statement boundary, as large dumps are
        // on a machine with several cores.
        cmd.envs(support::IN_PIECES.iter().copied());
    }
    cmd.arg("extract")
        .arg("--since")
        .arg(fx.since)
        .args(fx.args)
        .arg("--sql")
        .arg(&patch)
        .arg("--json")
        .arg(&json_path);
    let shown = format!("{cmd:?}");
    let out = if flavor == Flavor::GzipStdin {
        // gzip -c DUMP | dbsalvage extract ... -
        let mut gzip = Command::new("gzip")
            .arg("-c")
            .arg(dump)
            .stdout(Stdio::piped())
            .spawn()
            .expect("run gzip");
        let child = cmd
            .arg("-")
            .stdin(gzip.stdout.take().unwrap())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run dbsalvage");
        // The pipe's read end must live in dbsalvage only: if dbsalvage stops reading early,
        // gzip then gets EPIPE instead of blocking forever.
        drop(cmd);
        let out = child.wait_with_output().expect("wait for dbsalvage");
        let gz = gzip.wait().expect("wait for gzip");
        if out.status.success() && !gz.success() {
            return Err(format!(
                "dbsalvage succeeded although `gzip -c {}` failed ({gz}): it did not read all of stdin",
                dump.display()
            ));
        }
        out
    } else {
        cmd.arg(dump).output().expect("run dbsalvage")
    };
    if !out.status.success() {
        return Err(format!(
            "dbsalvage extract failed ({}) on {}\n  command: {shown}\n  stderr: {}",
            out.status,
            dump.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let text = std::fs::read_to_string(&json_path)
        .map_err(|e| format!("cannot read the JSON file {}: {e}", json_path.display()))?;
    let json = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not JSON: {e}", json_path.display()))?;
    if !patch.exists() {
        return Err(format!("no patch written at {}", patch.display()));
    }
    Ok(Extracted { json, patch })
}

/// The client's error, with the patch lines around the line it names (`ERROR … at line N`).
fn apply_failure(what: &str, out: &Output, patch: &Path) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut msg = format!(
        "{what}: `mariadb DB < {}` failed ({})\n  {}",
        patch.display(),
        out.status,
        stderr.trim()
    );
    let line = stderr
        .split(" at line ")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse::<usize>().ok());
    if let (Some(n), Ok(bytes)) = (line, std::fs::read(patch)) {
        let text = String::from_utf8_lossy(&bytes);
        msg.push_str("\n  patch around that line:");
        for (i, l) in text.lines().enumerate().skip(n.saturating_sub(3)).take(5) {
            let l: String = l.chars().take(300).collect();
            write!(
                msg,
                "\n  {:>6}{} {l}",
                i + 1,
                if i + 1 == n { '>' } else { ':' }
            )
            .unwrap();
        }
    }
    msg
}

fn apply(server: &MariaDb, db: &str, patch: &Path, what: &str) -> Result<(), String> {
    let out = server.apply_file(db, patch);
    if out.status.success() {
        Ok(())
    } else {
        Err(apply_failure(what, &out, patch))
    }
}

fn same_contents(what: &str, expected: &Contents, actual: &Contents) -> Result<(), String> {
    match diff_contents(expected, actual) {
        None => Ok(()),
        Some(diff) => Err(format!("{what}:\n{diff}")),
    }
}

// ---------------------------------------------------------------------------------------------
// The JSON review file

/// What the selection must contain, derived from the databases: rows of EXPECTED that the
/// restored backup lacks are the new rows.
struct NewRows {
    /// Table → primary keys (text, `|`-joined) of its new rows.
    keys: BTreeMap<String, BTreeSet<String>>,
    /// Table without primary key → number of new rows.
    keyless: BTreeMap<String, usize>,
}

impl NewRows {
    fn between(backup: &Contents, expected: &Contents) -> NewRows {
        let mut keys: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut keyless = BTreeMap::new();
        for (name, table) in &expected.0 {
            let old = backup.0.get(name).cloned().unwrap_or_default();
            let new = table.rows_not_in(&old);
            if new.is_empty() {
                continue;
            }
            if table.primary_key.is_empty() {
                keyless.insert(name.clone(), new.len());
            } else {
                let set = keys.entry(name.clone()).or_default();
                set.extend(new.iter().filter_map(|r| table.key_text(r)));
            }
        }
        NewRows { keys, keyless }
    }

    fn count(&self) -> usize {
        self.keys.values().map(BTreeSet::len).sum::<usize>() + self.keyless.values().sum::<usize>()
    }
}

/// A JSON scalar as the text the server would show (`5`, `late`).
fn json_key_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "NULL".into(),
        other => other.to_string(),
    }
}

/// The table name without the `db.` a `--databases` dump adds.
fn bare_table<'a>(name: &'a str, fx: &Fixture, flavor: Flavor) -> Result<&'a str, String> {
    let prefix = format!("{}.", fx.db);
    match (flavor, name.strip_prefix(&prefix)) {
        (Flavor::Databases, Some(bare)) => Ok(bare),
        (Flavor::Databases, None) => Err(format!(
            "table {name:?}: a --databases dump should name tables {prefix}TABLE"
        )),
        (_, _) => Ok(name),
    }
}

/// Checks the review file: shape, table names, every new row present, nothing it must not
/// select, a bounded size.
fn check_json(
    fx: &Fixture,
    flavor: Flavor,
    json: &Value,
    expected: &Contents,
    new_rows: &NewRows,
) -> Result<(), String> {
    let rows = json
        .as_array()
        .ok_or_else(|| format!("the JSON file is not an array: {}", excerpt_json(json)))?;
    let mut problems = Vec::new();
    // Table → pk texts (None for a row without primary key).
    let mut selected: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    for row in rows {
        let obj = match row.as_object() {
            Some(o) => o,
            None => {
                problems.push(format!("entry is not an object: {}", excerpt_json(row)));
                continue;
            }
        };
        let (Some(table), Some(_data), Some(pk), Some(reason)) = (
            obj.get("table").and_then(Value::as_str),
            obj.get("data").and_then(Value::as_object),
            obj.get("pk"),
            obj.get("reason").and_then(Value::as_str),
        ) else {
            problems.push(format!(
                "entry lacks table/data/pk/reason: {}",
                excerpt_json(row)
            ));
            continue;
        };
        if !["root", "descendant", "ancestor"].contains(&reason) {
            problems.push(format!("unknown reason {reason:?}: {}", excerpt_json(row)));
        }
        let bare = match bare_table(table, fx, flavor) {
            Ok(b) => b,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let Some(contents) = expected.0.get(bare) else {
            problems.push(format!("entry for unknown table {table:?}"));
            continue;
        };
        let key = if contents.primary_key.is_empty() {
            if !pk.is_null() {
                problems.push(format!("table {bare} has no primary key, yet pk = {pk}"));
            }
            None
        } else {
            let parts: Option<Vec<String>> = contents
                .primary_key
                .iter()
                .map(|&c| pk.get(&contents.columns[c]).map(json_key_text))
                .collect();
            match parts {
                Some(p) => Some(p.join("|")),
                None => {
                    problems.push(format!(
                        "table {bare}: pk {pk} does not name the key columns {:?}",
                        contents
                            .primary_key
                            .iter()
                            .map(|&c| &contents.columns[c])
                            .collect::<Vec<_>>()
                    ));
                    continue;
                }
            }
        };
        selected.entry(bare.to_string()).or_default().push(key);
    }
    for (table, keys) in &new_rows.keys {
        if fx.written_by_triggers.contains(&table.as_str()) {
            continue;
        }
        let got: BTreeSet<&str> = selected
            .get(table)
            .map(|v| v.iter().flatten().map(String::as_str).collect())
            .unwrap_or_default();
        let missing: Vec<&String> = keys.iter().filter(|k| !got.contains(k.as_str())).collect();
        if !missing.is_empty() {
            problems.push(format!(
                "table {table}: new rows missing from the selection, pk {missing:?} (selected: {got:?})"
            ));
        }
    }
    for (table, n) in &new_rows.keyless {
        if fx.written_by_triggers.contains(&table.as_str()) {
            continue;
        }
        let got = selected.get(table).map_or(0, Vec::len);
        if got < *n {
            problems.push(format!(
                "table {table} (no primary key): {n} new rows, only {got} selected"
            ));
        }
    }
    for (table, pk) in fx.not_selected {
        let rows = selected.get(*table).map(Vec::as_slice).unwrap_or_default();
        match pk {
            None if !rows.is_empty() => problems.push(format!(
                "table {table}: nothing should be selected, got {} rows",
                rows.len()
            )),
            Some(pk) if rows.iter().flatten().any(|k| k == pk) => {
                problems.push(format!("table {table}: row {pk} must not be selected"));
            }
            _ => {}
        }
    }
    if rows.len() > fx.max_selected {
        let per_table: BTreeMap<&String, usize> =
            selected.iter().map(|(t, v)| (t, v.len())).collect();
        problems.push(format!(
            "{} rows selected, more than the {} this fixture can justify: {per_table:?}",
            rows.len(),
            fx.max_selected
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("JSON review file:\n  {}", problems.join("\n  ")))
    }
}

fn excerpt_json(v: &Value) -> String {
    mariadb::excerpt(v.to_string().as_bytes(), 300)
}

/// The JSON with `db.` removed from table names, entries sorted: what must not depend on the
/// dump's flavor.
fn normalized_json(json: &Value, fx: &Fixture) -> Vec<String> {
    let prefix = format!("{}.", fx.db);
    let strip = |v: &mut Value| {
        if let Some(s) = v.as_str() {
            if let Some(bare) = s.strip_prefix(&prefix) {
                *v = Value::String(bare.to_string());
            }
        }
    };
    let mut out: Vec<String> = json
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            let mut row = row.clone();
            if let Some(t) = row.get_mut("table") {
                strip(t);
            }
            if let Some(via) = row.get_mut("via").and_then(Value::as_object_mut) {
                for k in ["from", "to"] {
                    if let Some(v) = via.get_mut(k) {
                        strip(v);
                    }
                }
            }
            row.to_string()
        })
        .collect();
    out.sort();
    out
}

/// The same review file from another flavor of the same dump (both [`normalized_json`]).
fn same_json(reference: &[String], other: &[String]) -> Result<(), String> {
    if reference == other {
        return Ok(());
    }
    let only = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter()
            .filter(|x| !b.contains(x))
            .take(5)
            .map(|s| mariadb::excerpt(s.as_bytes(), 400))
            .collect()
    };
    Err(format!(
        "the JSON differs from the default dump's (same data, other syntax):\n  only in default: {:#?}\n  only here: {:#?}",
        only(reference, other),
        only(other, reference)
    ))
}

// ---------------------------------------------------------------------------------------------
// The round trip

/// Collects failed checks; panics with all of them at the end.
struct Report {
    fixture: &'static str,
    artifacts: PathBuf,
    failures: Vec<String>,
    started: Instant,
}

impl Report {
    fn check(&mut self, step: &str, result: Result<(), String>) {
        if let Err(e) = result {
            self.failures.push(format!("[{step}] {e}"));
        }
    }

    fn time(&self, what: &str) {
        eprintln!(
            "{}: {what} at {:.1}s",
            self.fixture,
            self.started.elapsed().as_secs_f64()
        );
    }

    fn finish(self) {
        if self.failures.is_empty() {
            self.time("done");
            return;
        }
        panic!(
            "{} round trip: {} failed checks (dumps, patches and JSON in {}):\n\n{}",
            self.fixture,
            self.failures.len(),
            self.artifacts.display(),
            self.failures.join("\n\n")
        );
    }
}

/// Restores BACKUP into `db`, applies the patch, compares with EXPECTED; applies it again and
/// compares again; checks the triggers are those of the backup.
fn apply_and_compare(
    server: &MariaDb,
    db: &str,
    backup: &[u8],
    patch: &Path,
    expected: &Contents,
    triggers: &[String],
) -> Result<(), String> {
    server.restore(db, backup);
    apply(server, db, patch, "first apply")?;
    same_contents(
        "after applying the patch, the database differs from EXPECTED",
        expected,
        &server.table_contents(db),
    )?;
    apply(server, db, patch, "second apply (idempotence)")?;
    same_contents(
        "after applying the patch a second time, the database differs from EXPECTED",
        expected,
        &server.table_contents(db),
    )?;
    let now = server.triggers(db);
    if now != triggers {
        return Err(format!(
            "triggers changed by the patch:\n  before: {triggers:#?}\n  after:  {now:#?}"
        ));
    }
    Ok(())
}

/// The server rejects one rescued row (conflict.sql made a UNIQUE clash): the patch must fail
/// and leave every table as it was.
fn rejected_patch_changes_nothing(
    server: &MariaDb,
    fx: &Fixture,
    backup: &[u8],
    patch: &Path,
) -> Result<(), String> {
    let db = "t_conflict";
    server.restore(db, backup);
    server.run_script(db, &fx.file("conflict.sql"));
    let before = server.table_contents(db);
    let out = server.apply_file(db, patch);
    let after = server.table_contents(db);
    let mut problems = Vec::new();
    if out.status.success() {
        problems.push(format!(
            "the patch succeeded although the server must reject a rescued row (conflict.sql); stderr: {:?}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    if let Some(diff) = diff_contents(&before, &after) {
        problems.push(format!(
            "a failed patch must change nothing (one transaction), but it left:\n{diff}"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Rows relying on AUTO_INCREMENT can be inserted after the patch (probe.sql).
fn auto_increment_continues(
    server: &MariaDb,
    fx: &Fixture,
    backup: &[u8],
    patch: &Path,
) -> Result<(), String> {
    let db = "t_probe";
    server.restore(db, backup);
    apply(server, db, patch, "apply before the AUTO_INCREMENT probe")?;
    let out = server.try_sql(db, &String::from_utf8(fx.file("probe.sql")).unwrap());
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "inserting rows that rely on AUTO_INCREMENT after the patch failed (probe.sql): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// The patch applied on a server whose global sql_mode has NO_BACKSLASH_ESCAPES (new
/// connections get it) still restores every byte.
fn no_backslash_escapes(
    server: &MariaDb,
    backup: &[u8],
    patch: &Path,
    expected: &Contents,
) -> Result<(), String> {
    let db = "t_no_backslash_escapes";
    server.restore(db, backup);
    let mode = server.global("sql_mode");
    server.set_global("sql_mode", "CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
    let seen = server.global("sql_mode");
    let out = server.apply_file(db, patch);
    server.set_global("sql_mode", &format!("'{mode}'"));
    assert!(
        seen.contains("NO_BACKSLASH_ESCAPES"),
        "sql_mode not set: {seen}"
    );
    if !out.status.success() {
        return Err(apply_failure(
            &format!("apply with global sql_mode={seen}"),
            &out,
            patch,
        ));
    }
    same_contents(
        &format!("applied with global sql_mode={seen}, the database differs from EXPECTED"),
        expected,
        &server.table_contents(db),
    )
}

/// The fixture itself must make sense, or nothing the round trip checks means anything: it adds
/// rows, damages old ones, has its triggers, and the damage leaves the new rows as inserted
/// (else EXPECTED would ask for values no dump holds).
fn assert_fixture_sound(
    fx: &Fixture,
    baseline: &Contents,
    expected: &Contents,
    current: &Contents,
    triggers: &[String],
) {
    assert!(
        diff_contents(baseline, expected).is_some(),
        "fixture adds no rows"
    );
    assert!(
        diff_contents(current, expected).is_some(),
        "fixture damages nothing"
    );
    assert_eq!(triggers.len(), fx.triggers, "triggers: {triggers:#?}");
    for (name, table) in &expected.0 {
        let new = TableContents {
            rows: table
                .rows_not_in(&baseline.0[name])
                .into_iter()
                .cloned()
                .collect(),
            ..table.clone()
        };
        let lost = new.rows_not_in(&current.0[name]);
        assert!(
            lost.is_empty(),
            "fixture: damage.sql changed new rows of {name}: {:?}",
            lost.iter().map(|r| table.render_row(r)).collect::<Vec<_>>()
        );
    }
}

fn round_trip(fx: &Fixture) {
    if !mariadb::available() {
        return;
    }
    if let Some(name) = fx.dataset {
        let dir = support::shared_dataset(name);
        if !support::server_available(&format!("the {name} data set"), &dir) {
            return;
        }
    }
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("mysql-roundtrip")
        .join(fx.name);
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut report = Report {
        fixture: fx.name,
        artifacts: artifacts.clone(),
        failures: Vec::new(),
        started: Instant::now(),
    };

    // 1-2. BACKUP, EXPECTED, the damaged current database.
    let server = MariaDb::start_with(fx.server_args);
    report.time("server up");
    (fx.load)(&server, fx);
    let backup = server.dump(fx.db, &[]);
    std::fs::write(artifacts.join("backup.sql"), &backup).unwrap();
    server.restore("baseline", &backup);
    server.restore("expected", &backup);
    server.run_script("expected", &fx.file("new.sql"));
    server.run_script(fx.db, &fx.file("new.sql"));
    server.run_script(fx.db, &fx.file("damage.sql"));
    let baseline = server.table_contents("baseline");
    let expected = server.table_contents("expected");
    let current = server.table_contents(fx.db);
    let triggers = server.triggers("baseline");
    report.time("fixture loaded");
    assert_fixture_sound(fx, &baseline, &expected, &current, &triggers);
    let new_rows = NewRows::between(&baseline, &expected);
    eprintln!(
        "{}: {} rows in EXPECTED, {} new",
        fx.name,
        expected.row_count(),
        new_rows.count()
    );

    // 3. The current database in every flavor, then the source goes (the --databases patch is
    // applied to a backup restored under its name).
    let dumps: Vec<(Flavor, PathBuf)> = Flavor::ALL
        .iter()
        .map(|&flavor| {
            let path = artifacts.join(format!("{}.dump.sql", flavor.name()));
            std::fs::write(&path, server.dump(fx.db, flavor.dump_args())).unwrap();
            (flavor, path)
        })
        .collect();
    server.drop_db(fx.db);
    report.time("dumps written");

    // 4-5. Extract and round-trip each flavor.
    let mut default_patch = None;
    let mut default_json = None;
    for (flavor, dump) in &dumps {
        let step = format!("{} dump", flavor.name());
        let extracted = match extract(fx, *flavor, dump, &artifacts) {
            Ok(e) => e,
            Err(e) => {
                report.check(&step, Err(e));
                continue;
            }
        };
        report.check(
            &step,
            check_json(fx, *flavor, &extracted.json, &expected, &new_rows),
        );
        let normalized = normalized_json(&extracted.json, fx);
        match &default_json {
            None => default_json = Some(normalized),
            Some(reference) => report.check(&step, same_json(reference, &normalized)),
        }
        report.check(
            &step,
            apply_and_compare(
                &server,
                &flavor.target_db(fx),
                &backup,
                &extracted.patch,
                &expected,
                &triggers,
            ),
        );
        if *flavor == Flavor::Default {
            default_patch = Some(extracted.patch);
        }
        report.time(&format!("{} done", flavor.name()));
    }

    // 6. Once per fixture, with the default dump's patch.
    if let Some(patch) = default_patch {
        report.check(
            "AUTO_INCREMENT",
            auto_increment_continues(&server, fx, &backup, &patch),
        );
        report.check(
            "rejected patch",
            rejected_patch_changes_nothing(&server, fx, &backup, &patch),
        );
        report.check(
            "NO_BACKSLASH_ESCAPES",
            no_backslash_escapes(&server, &backup, &patch, &expected),
        );
        report.time("extra checks done");
    }
    drop(server);
    report.finish();
}

#[test]
fn django_round_trip() {
    round_trip(&DJANGO);
}

#[test]
fn sakila_round_trip() {
    round_trip(&SAKILA_FIXTURE);
}

#[test]
fn types_round_trip() {
    round_trip(&TYPES);
}

/// The harness and fixtures themselves: every dump flavor restores to exactly the original
/// (so the round trips compare against a fair EXPECTED), the comparison sees a one-byte change,
/// and the server's directory is gone after drop.
#[test]
fn harness_dump_flavors_restore_byte_for_byte() {
    if !mariadb::available() {
        return;
    }
    let fx = &TYPES;
    let server = MariaDb::start_with(fx.server_args);
    (fx.load)(&server, fx);
    server.run_script(fx.db, &fx.file("new.sql"));
    let original = server.table_contents(fx.db);
    assert!(original.row_count() > 20, "{original:#?}");
    for flavor in [
        Flavor::Default,
        Flavor::SkipExtendedInsert,
        Flavor::CompleteInsert,
        Flavor::HexBlob,
    ] {
        let db = flavor.target_db(fx);
        server.restore(&db, &server.dump(fx.db, flavor.dump_args()));
        if let Some(diff) = diff_contents(&original, &server.table_contents(&db)) {
            panic!("{} dump does not restore exactly:\n{diff}", flavor.name());
        }
    }
    // A one-byte change in the 256-byte BLOB is seen and reported with its table.
    server.sql(
        "t_default",
        "UPDATE sample SET bin = CONCAT(LEFT(bin, 255), X'00') WHERE id = 10",
    );
    let diff = diff_contents(&original, &server.table_contents("t_default"))
        .expect("a changed BLOB byte is a difference");
    assert!(
        diff.contains("table sample: 5 rows expected, 5 present; 1 missing, 1 extra"),
        "{diff}"
    );
    let dir = server.dir().to_path_buf();
    drop(server);
    assert!(!dir.exists(), "{} left behind", dir.display());
}

#[test]
fn sakila_version_comments_unwrap_like_the_readme_sed() {
    let schema = b"  /*!50705 location GEOMETRY */ /*!80003 SRID 0 */ /*!50705 NOT NULL,*/\n  /*!50705 SPATIAL KEY `idx_location` (location),*/\n/*!50610 SET @@default_storage_engine = 'InnoDB'*/;\n/*!40101 SET NAMES utf8 */;";
    assert_eq!(
        String::from_utf8(unwrap_version_comments(schema)).unwrap(),
        "  location GEOMETRY   NOT NULL,\n  SPATIAL KEY `idx_location` (location),\nSET @@default_storage_engine = 'InnoDB';\n/*!40101 SET NAMES utf8 */;"
    );
    let data = b"(1,'x',/*!50705 0x000000000101,*/'2014-09-25')";
    assert_eq!(
        unwrap_version_comments(data),
        b"(1,'x',0x000000000101,'2014-09-25')"
    );
}
