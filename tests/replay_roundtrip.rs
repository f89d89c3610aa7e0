//! Review, edit, replay: `extract --json rows.json` (no `--sql`) writes `rows.json` and
//! `rows.schema.json`; the user reviews and edits the JSON; `dbsalvage patch rows.json --sql
//! patch.sql` writes the patch.
//!
//! On a real PostgreSQL (`support::pg`) and a real MariaDB (`support::mariadb`), with the
//! round-trip fixtures (`testdata/pg/{django,types}`, `testdata/mysql/fixtures/{django,types}`):
//! - the unedited JSON gives the same patch as `extract --sql` (modulo the `-- source:` header
//!   line) and, applied to a restored backup, the same database — on every type the fixtures
//!   hold;
//! - the JSON without every row of a leaf table, or without a root nothing depends on, gives a
//!   database with exactly the remaining rows;
//! - edited values (text, numbers, binary, json, times, enum/set/bit...) land as edited;
//! - a removed row that a remaining row references is refused, naming both; `--allow-dangling`
//!   writes the patch anyway (and the server then rejects it whole).
//!
//! Then, without servers: every error of `patch` (values that do not fit their column, unknown
//! table or column, missing or foreign schema file, not JSON) exits 2 and leaves no file; and
//! json documents must survive the review file as the exact text the column held.
//!
//! Without PostgreSQL or MariaDB the server tests skip locally and fail in CI.

mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Instant;

use indexmap::IndexMap;
use serde_json::value::RawValue;
use serde_json::Value;

use support::mariadb::{self, Contents, MariaDb};
use support::pg::{self, PgServer};

// ---------------------------------------------------------------------------------------------
// The review file, edited the way a user would: rows removed, values replaced, everything else
// kept byte for byte (a json column's odd whitespace included).

/// One row object of the review file, every field kept as its exact JSON text.
type RowObj = IndexMap<String, Box<RawValue>>;

fn read_rows(path: &Path) -> Vec<RowObj> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a JSON array: {e}", path.display()))
}

fn write_rows(path: &Path, rows: &[RowObj]) {
    let mut text = String::from("[");
    for (i, r) in rows.iter().enumerate() {
        text.push_str(if i == 0 { "\n" } else { ",\n" });
        text.push_str(&serde_json::to_string(r).expect("serialize a row"));
    }
    text.push_str("\n]\n");
    fs::write(path, text).expect("write the edited JSON");
}

fn raw(json: &str) -> Box<RawValue> {
    RawValue::from_string(json.to_string()).unwrap_or_else(|e| panic!("not JSON: {json}: {e}"))
}

fn table_of(row: &RowObj) -> String {
    serde_json::from_str(row["table"].get()).expect("\"table\" is a string")
}

fn data_of(row: &RowObj) -> IndexMap<String, Box<RawValue>> {
    serde_json::from_str(row["data"].get()).expect("\"data\" is an object")
}

/// Selects a row: its table and the JSON value of one of its columns.
#[derive(Clone, Copy)]
struct Pick {
    table: &'static str,
    column: &'static str,
    /// JSON text, compared as a value.
    value: &'static str,
}

impl Pick {
    fn matches(&self, row: &RowObj) -> bool {
        table_of(row) == self.table
            && data_of(row).get(self.column).is_some_and(|v| {
                serde_json::from_str::<Value>(v.get()).ok()
                    == serde_json::from_str::<Value>(self.value).ok()
            })
    }
}

/// Replaces values of the picked row (each new value is raw JSON text).
fn edit(rows: &mut [RowObj], pick: Pick, values: &[(&str, &str)]) {
    let row = rows
        .iter_mut()
        .find(|r| pick.matches(r))
        .unwrap_or_else(|| {
            panic!(
                "no row {}.{} = {} in the JSON",
                pick.table, pick.column, pick.value
            )
        });
    let mut data = data_of(row);
    for (column, value) in values {
        assert!(
            data.contains_key(*column),
            "{} has no column {column} in the JSON",
            pick.table
        );
        data.insert((*column).to_string(), raw(value));
    }
    row.insert(
        "data".into(),
        raw(&serde_json::to_string(&data).expect("serialize data")),
    );
}

// ---------------------------------------------------------------------------------------------
// Running dbsalvage

fn dbsalvage(args: &[&std::ffi::OsStr]) -> Output {
    support::dbsalvage()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("dbsalvage runs")
}

fn os<S: AsRef<std::ffi::OsStr> + ?Sized>(s: &S) -> &std::ffi::OsStr {
    s.as_ref()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `dbsalvage patch JSON --schema SCHEMA --sql SQL [extra]`.
fn patch(json: &Path, schema: &Path, sql: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        os("patch"),
        json.as_os_str(),
        os("--schema"),
        schema.as_os_str(),
    ];
    args.extend([os("--sql"), sql.as_os_str()]);
    args.extend(extra.iter().map(os));
    dbsalvage(&args)
}

/// Runs `patch`, which must succeed and write `sql`.
fn patch_ok(json: &Path, schema: &Path, sql: &Path) -> Result<String, String> {
    let o = patch(json, schema, sql, &[]);
    if !o.status.success() || !sql.exists() {
        return Err(format!(
            "dbsalvage patch {} --sql {} failed ({}): {}",
            json.display(),
            sql.display(),
            o.status,
            stderr(&o)
        ));
    }
    Ok(stderr(&o))
}

/// The patch without its header line naming the input (`-- source:` in PostgreSQL patches,
/// `-- Source:` in MySQL ones).
fn without_source_line(patch: &str) -> String {
    patch
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("-- source:"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The first lines where two patches differ, for messages.
fn first_differences(a: &str, b: &str) -> String {
    let mut out = String::new();
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let mut shown = 0;
    for i in 0..la.len().max(lb.len()) {
        let (x, y) = (la.get(i), lb.get(i));
        if x != y && shown < 6 {
            shown += 1;
            let cut = |s: Option<&&str>| s.map(|s| s.chars().take(300).collect::<String>());
            let _ = writeln!(
                out,
                "  line {}:\n    - {:?}\n    + {:?}",
                i + 1,
                cut(x),
                cut(y)
            );
        }
    }
    if la.len() != lb.len() {
        let _ = writeln!(out, "  {} lines vs {}", la.len(), lb.len());
    }
    out
}

/// Names in `dir`, sorted (hidden temporary files included).
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The steps of one real-server scenario: each failure is recorded, and the test fails at the
/// end with all of them.
struct Checks {
    name: String,
    failures: Vec<String>,
    started: Instant,
}

impl Checks {
    fn new(name: &str) -> Checks {
        Checks {
            name: name.into(),
            failures: Vec::new(),
            started: Instant::now(),
        }
    }

    fn check(&mut self, step: &str, result: Result<(), String>) {
        eprintln!(
            "[{}] {step}: {} ({:.1}s)",
            self.name,
            if result.is_ok() { "ok" } else { "FAILED" },
            self.started.elapsed().as_secs_f64()
        );
        if let Err(e) = result {
            self.failures.push(format!("--- {step}:\n{e}"));
        }
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "{}: {} failed step(s):\n\n{}",
            self.name,
            self.failures.len(),
            self.failures.join("\n\n")
        );
    }
}

/// The scenario of one fixture: what to remove and edit in its review file.
struct Scenario {
    /// The JSON table name of a table nothing references: all its rows are removed.
    leaf_table: &'static str,
    /// Its name in the server's table listing.
    leaf_contents_key: &'static str,
    /// A root that no selected row references, removed...
    lone_root: Pick,
    /// ...and the SQL that removes it from the database the full patch gave.
    lone_root_delete: &'static str,
    /// Edits, and the SQL that makes the same change to the database the full patch gave.
    edits: &'static [(Pick, &'static [(&'static str, &'static str)])],
    edit_sql: &'static str,
    /// A selected row whose removal leaves a remaining row dangling...
    dangling: Pick,
    /// ...and what the error must say (both rows).
    dangling_error: &'static [&'static str],
}

/// The review file and the reference patch of one extraction.
struct Extraction {
    dir: PathBuf,
    json: PathBuf,
    schema: PathBuf,
    /// `extract --sql`.
    reference: PathBuf,
    rows: usize,
}

/// `extract --json review/rows.json` (no `--sql`) and `extract --sql extract.sql` of the same
/// dump.
fn extract(dir: &Path, dump: &Path, since: &str, args: &[&str]) -> Result<Extraction, String> {
    let review = dir.join("review");
    fs::create_dir_all(&review).unwrap();
    let json = review.join("rows.json");
    let mut a = vec![os("extract"), os("--since"), os(since)];
    a.extend(args.iter().map(os));
    let mut json_args = a.clone();
    json_args.extend([os("-q"), os("--json"), json.as_os_str(), dump.as_os_str()]);
    let o = dbsalvage(&json_args);
    if !o.status.success() {
        return Err(format!(
            "extract --json failed ({}): {}",
            o.status,
            stderr(&o)
        ));
    }
    let files = entries(&review);
    if files != ["rows.json", "rows.schema.json"] {
        return Err(format!(
            "extract --json rows.json should write rows.json and rows.schema.json only, wrote {files:?}"
        ));
    }
    // The same extraction with both outputs: the patch is the reference, and the JSON and
    // schema files must not depend on whether a patch was asked for too.
    let reference = dir.join("extract.sql");
    let both = dir.join("both");
    fs::create_dir_all(&both).unwrap();
    let both_json = both.join("rows.json");
    let mut sql_args = a;
    sql_args.extend([os("-q"), os("--sql"), reference.as_os_str(), os("--json")]);
    sql_args.extend([both_json.as_os_str(), dump.as_os_str()]);
    let o = dbsalvage(&sql_args);
    if !o.status.success() {
        return Err(format!(
            "extract --sql --json failed ({}): {}",
            o.status,
            stderr(&o)
        ));
    }
    for name in ["rows.json", "rows.schema.json"] {
        if fs::read(review.join(name)).ok() != fs::read(both.join(name)).ok() {
            return Err(format!(
                "{name} differs between extract --json and extract --sql --json"
            ));
        }
    }
    let rows = read_rows(&json).len();
    Ok(Extraction {
        dir: dir.to_path_buf(),
        schema: review.join("rows.schema.json"),
        json,
        reference,
        rows,
    })
}

/// Writes an edited copy of the review file (beside the original) and returns its path.
fn variant(x: &Extraction, name: &str, change: impl FnOnce(&mut Vec<RowObj>)) -> PathBuf {
    let mut rows = read_rows(&x.json);
    change(&mut rows);
    let path = x.dir.join(format!("{name}.json"));
    write_rows(&path, &rows);
    path
}

/// The database side of a scenario, for either server.
trait Db {
    type Contents: PartialEq + Clone;
    /// A fresh copy of the backup named `db`, with `patch` applied; the client's error if it
    /// failed.
    fn patched(&self, db: &str, patch: &Path) -> Result<(), String>;
    /// A fresh copy of the backup.
    fn fresh(&self, db: &str);
    fn run_sql(&self, db: &str, sql: &str);
    fn contents(&self, db: &str) -> Self::Contents;
    fn diff(expected: &Self::Contents, actual: &Self::Contents) -> Option<String>;
    /// `contents` with table `key` replaced by `from`'s.
    fn with_table(contents: &Self::Contents, from: &Self::Contents, key: &str) -> Self::Contents;
}

fn same<D: Db>(what: &str, expected: &D::Contents, actual: &D::Contents) -> Result<(), String> {
    match D::diff(expected, actual) {
        None => Ok(()),
        Some(d) => Err(format!("{what} (- expected, + found):\n{d}")),
    }
}

/// Every check of the review-edit-replay workflow on one extraction.
fn replay_checks<D: Db>(db: &D, x: &Extraction, sc: &Scenario, checks: &mut Checks) {
    let backup = {
        db.fresh("r_backup");
        db.contents("r_backup")
    };

    // 1. Unedited: the same patch (modulo the source line), the same database.
    let from_json = x.dir.join("from-json.sql");
    let full = db
        .patched("r_extract", &x.reference)
        .map(|()| db.contents("r_extract"));
    checks.check(
        "unedited JSON: same patch file as extract --sql",
        patch_ok(&x.json, &x.schema, &from_json).and_then(|summary| {
            let want = format!(
                "dbsalvage: patch for {} rows (0 removed since extraction) written to {}\n",
                x.rows,
                from_json.display()
            );
            if summary != want {
                return Err(format!("summary {summary:?}, expected {want:?}"));
            }
            let a = without_source_line(&fs::read_to_string(&x.reference).unwrap());
            let b = without_source_line(&fs::read_to_string(&from_json).unwrap());
            if a == b {
                Ok(())
            } else {
                Err(format!(
                    "the patches differ:\n{}",
                    first_differences(&a, &b)
                ))
            }
        }),
    );
    let full = match full {
        Ok(c) => c,
        Err(e) => {
            checks.check("the extract patch applies", Err(e));
            return;
        }
    };
    checks.check(
        "the extract patch adds rows to the backup",
        if D::diff(&backup, &full).is_some() {
            Ok(())
        } else {
            Err("the patch changed nothing: the scenario tests nothing".into())
        },
    );
    checks.check(
        "unedited JSON: same database",
        db.patched("r_from_json", &from_json).and_then(|()| {
            same::<D>(
                "patch from JSON vs extract --sql",
                &full,
                &db.contents("r_from_json"),
            )
        }),
    );

    // 1b. The same rows in reverse order (a reviewer may sort or regroup them): the patch still
    // inserts parents first (a NOT deferrable self-reference included) and gives the same
    // database.
    let reversed_json = variant(x, "reversed", |rows| rows.reverse());
    let reversed_sql = x.dir.join("reversed.sql");
    checks.check(
        "rows in reverse order: same database",
        patch_ok(&reversed_json, &x.schema, &reversed_sql).and_then(|_| {
            db.patched("r_reversed", &reversed_sql)?;
            same::<D>(
                "after the patch from the reversed JSON",
                &full,
                &db.contents("r_reversed"),
            )
        }),
    );

    // 2. All rows of a leaf table removed: that table stays as in the backup.
    let leaf_json = variant(x, "no-leaf", |rows| {
        let before = rows.len();
        rows.retain(|r| table_of(r) != sc.leaf_table);
        assert!(
            rows.len() < before,
            "no row of {} in the JSON",
            sc.leaf_table
        );
    });
    let leaf_sql = x.dir.join("no-leaf.sql");
    checks.check(
        &format!("rows of leaf table {} removed", sc.leaf_table),
        patch_ok(&leaf_json, &x.schema, &leaf_sql).and_then(|summary| {
            let removed = x.rows - read_rows(&leaf_json).len();
            if !summary.contains(&format!("({removed} removed since extraction)")) {
                return Err(format!(
                    "summary does not count {removed} removed rows: {summary}"
                ));
            }
            db.patched("r_no_leaf", &leaf_sql)?;
            let want = D::with_table(&full, &backup, sc.leaf_contents_key);
            same::<D>(
                "after the patch without the leaf rows",
                &want,
                &db.contents("r_no_leaf"),
            )
        }),
    );

    // 3. A root nothing depends on removed.
    let root_json = variant(x, "no-root", |rows| {
        let before = rows.len();
        rows.retain(|r| !sc.lone_root.matches(r));
        assert_eq!(rows.len() + 1, before, "exactly one row is the lone root");
    });
    let root_sql = x.dir.join("no-root.sql");
    checks.check(
        &format!(
            "lone root {}.{} = {} removed",
            sc.lone_root.table, sc.lone_root.column, sc.lone_root.value
        ),
        patch_ok(&root_json, &x.schema, &root_sql).and_then(|_| {
            db.patched("r_no_root", &root_sql)?;
            db.patched("r_no_root_expected", &x.reference)?;
            db.run_sql("r_no_root_expected", sc.lone_root_delete);
            same::<D>(
                "after the patch without the root",
                &db.contents("r_no_root_expected"),
                &db.contents("r_no_root"),
            )
        }),
    );

    // 4. Edited values.
    let edit_json = variant(x, "edited", |rows| {
        for (pick, values) in sc.edits {
            edit(rows, *pick, values);
        }
    });
    let edit_sql = x.dir.join("edited.sql");
    checks.check(
        "edited values",
        patch_ok(&edit_json, &x.schema, &edit_sql).and_then(|_| {
            db.patched("r_edited", &edit_sql)?;
            db.patched("r_edited_expected", &x.reference)?;
            db.run_sql("r_edited_expected", sc.edit_sql);
            let want = db.contents("r_edited_expected");
            if D::diff(&full, &want).is_none() {
                return Err("edit_sql changed nothing: the scenario tests nothing".into());
            }
            same::<D>(
                "after the patch with edits",
                &want,
                &db.contents("r_edited"),
            )
        }),
    );

    // 5. A removed row that a remaining row references.
    let dangling_json = variant(x, "dangling", |rows| {
        let before = rows.len();
        rows.retain(|r| !sc.dangling.matches(r));
        assert_eq!(rows.len() + 1, before, "exactly one row is removed");
    });
    let dangling_sql = x.dir.join("dangling.sql");
    checks.check(
        "a removed row still referenced is refused; --allow-dangling writes the patch",
        (|| {
            let o = patch(&dangling_json, &x.schema, &dangling_sql, &[]);
            let err = stderr(&o);
            if o.status.code() != Some(2) || dangling_sql.exists() {
                return Err(format!(
                    "expected exit 2 and no patch, got {} (patch written: {}): {err}",
                    o.status,
                    dangling_sql.exists()
                ));
            }
            for part in sc.dangling_error {
                if !err.contains(part) {
                    return Err(format!("the error does not say {part:?}: {err}"));
                }
            }
            let o = patch(
                &dangling_json,
                &x.schema,
                &dangling_sql,
                &["--allow-dangling"],
            );
            if !o.status.success() || !dangling_sql.exists() {
                return Err(format!(
                    "--allow-dangling failed ({}): {}",
                    o.status,
                    stderr(&o)
                ));
            }
            // The backup lacks the removed row: the server rejects the patch, which changes
            // nothing.
            if db.patched("r_dangling", &dangling_sql).is_ok() {
                return Err(
                    "the server accepted a patch whose rows reference a missing row".into(),
                );
            }
            same::<D>(
                "after the rejected patch",
                &backup,
                &db.contents("r_dangling"),
            )
        })(),
    );
}

/// A row listed twice in the review file (a copy-paste slip): `patch` either refuses it (exit
/// 2, no file, naming the key) or writes a patch that skips the copy like any existing key —
/// never a patch the server rejects.
fn row_listed_twice<D: Db>(db: &D, x: &Extraction, pick: Pick) -> Result<(), String> {
    let twice_json = variant(x, "twice", |rows| {
        let copy = rows
            .iter()
            .find(|r| pick.matches(r))
            .expect("the picked row is in the JSON")
            .clone();
        rows.push(copy);
    });
    let twice_sql = x.dir.join("twice.sql");
    let o = patch(&twice_json, &x.schema, &twice_sql, &[]);
    if o.status.code() == Some(2) && !twice_sql.exists() {
        return Ok(());
    }
    if !o.status.success() {
        return Err(format!("patch failed ({}): {}", o.status, stderr(&o)));
    }
    db.patched("r_twice", &twice_sql)?;
    db.patched("r_twice_expected", &x.reference)?;
    same::<D>(
        "after the patch with a row twice",
        &db.contents("r_twice_expected"),
        &db.contents("r_twice"),
    )
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/// The ordinary role that owns the fixture objects and applies the patches (as in
/// tests/pg_roundtrip.rs).
const OWNER: &str = "app_owner";

type PgContents = BTreeMap<String, Vec<String>>;

impl Db for PgServer {
    type Contents = PgContents;

    fn patched(&self, db: &str, patch: &Path) -> Result<(), String> {
        self.fresh(db);
        let o = self.psql_file_as(db, patch, OWNER);
        let err = stderr(&o);
        if o.status.success() && !err.contains("ERROR") && !err.contains("WARNING") {
            Ok(())
        } else {
            Err(format!("psql -f {} ({}): {err}", patch.display(), o.status))
        }
    }

    fn fresh(&self, db: &str) {
        self.clone_db_owned("backup", db, OWNER);
    }

    fn run_sql(&self, db: &str, sql: &str) {
        self.psql(db, sql);
    }

    fn contents(&self, db: &str) -> PgContents {
        self.table_contents(db)
    }

    fn diff(expected: &PgContents, actual: &PgContents) -> Option<String> {
        if expected == actual {
            return None;
        }
        let mut out = String::new();
        let empty = Vec::new();
        let tables: std::collections::BTreeSet<&String> =
            expected.keys().chain(actual.keys()).collect();
        for t in tables {
            let (e, a) = (
                expected.get(t).unwrap_or(&empty),
                actual.get(t).unwrap_or(&empty),
            );
            if e == a {
                continue;
            }
            let _ = writeln!(
                out,
                "table {t}: {} rows expected, {} found",
                e.len(),
                a.len()
            );
            for r in e.iter().filter(|r| !a.contains(r)).take(8) {
                let _ = writeln!(out, "  - {}", r.chars().take(300).collect::<String>());
            }
            for r in a.iter().filter(|r| !e.contains(r)).take(8) {
                let _ = writeln!(out, "  + {}", r.chars().take(300).collect::<String>());
            }
        }
        Some(out)
    }

    fn with_table(contents: &PgContents, from: &PgContents, key: &str) -> PgContents {
        let mut c = contents.clone();
        c.insert(key.into(), from[key].clone());
        c
    }
}

fn pg_replay(fixture: &str, since: &str, dump_tz: &str, sc: &Scenario) {
    if !pg::available() {
        return;
    }
    let mut checks = Checks::new(&format!("pg/{fixture}"));
    let server = PgServer::start();
    let dir = |f: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/pg")
            .join(fixture)
            .join(f)
    };
    server.create_role(OWNER);
    server.create_db_owned("app", OWNER);
    server.load_file_as("app", &dir("schema.sql"), OWNER);
    server.load_file_as("app", &dir("old.sql"), OWNER);
    let backup = server.pg_dump("app", &[]);
    server.load_file_as("app", &dir("new.sql"), OWNER);
    server.load_file_as("app", &dir("damage.sql"), OWNER);
    server.restore_as("backup", &backup, OWNER);
    let work = server.dir().join("replay");
    fs::create_dir_all(&work).unwrap();
    let dump = pg::write_file(
        &work,
        "dump.sql",
        &server.pg_dump_env("app", &[], &[("PGTZ", dump_tz)]),
    );
    checks.check("databases built", Ok(()));
    match extract(&work, &dump, since, &[]) {
        Ok(x) => {
            replay_checks(&server, &x, sc, &mut checks);
            checks.check(
                "a row listed twice",
                row_listed_twice(&server, &x, sc.lone_root),
            );
        }
        Err(e) => checks.check("extract", Err(e)),
    }
    drop(server);
    checks.finish();
}

#[test]
fn pg_django_review_edit_replay() {
    pg_replay(
        "django",
        "2024-06-01T00:00:00Z",
        "UTC",
        &Scenario {
            leaf_table: "public.blog_post_tags",
            leaf_contents_key: "public.blog_post_tags",
            lone_root: Pick {
                table: "public.blog_post",
                column: "slug",
                value: r#""alice-returns""#,
            },
            lone_root_delete: "DELETE FROM public.blog_post WHERE slug = 'alice-returns'",
            edits: &[
                (
                    Pick {
                        table: "public.blog_post",
                        column: "slug",
                        value: r#""newbie-intro""#,
                    },
                    &[
                        ("title", r#""Edited ✓ 'title' \"q\"""#),
                        ("body", r#""multi\nline \\ edit; -- not a comment""#),
                    ],
                ),
                (
                    Pick {
                        table: "public.blog_comment",
                        column: "body",
                        value: r#""Reply to the new reply""#,
                    },
                    &[("author_id", "2"), ("created_at", r#""2024-07-01 12:00:00.25+02""#)],
                ),
            ],
            edit_sql: "UPDATE public.blog_post SET title = 'Edited ✓ ''title'' \"q\"', \
                       body = E'multi\\nline \\\\ edit; -- not a comment' WHERE slug = 'newbie-intro'; \
                       UPDATE public.blog_comment SET author_id = 2, \
                       created_at = '2024-07-01 10:00:00.25+00' WHERE body = 'Reply to the new reply'",
            dangling: Pick {
                table: "public.auth_user",
                column: "username",
                value: r#""newbie""#,
            },
            dangling_error: &[
                "(public.blog_post) references public.auth_user (id) = [4]",
                "a row that was selected but is no longer in the file",
                "--allow-dangling",
            ],
        },
    );
}

#[test]
fn pg_types_review_edit_replay() {
    pg_replay(
        "types",
        "2024-06-01 05:30:00+05:30",
        "Asia/Kolkata",
        &Scenario {
            leaf_table: "public.stock_move",
            leaf_contents_key: "public.stock_move",
            lone_root: Pick {
                table: "public.external_ref",
                column: "ext_id",
                value: r#""EXT-NEW-2""#,
            },
            lone_root_delete: "DELETE FROM public.external_ref WHERE ext_id = 'EXT-NEW-2'",
            edits: &[(
                Pick {
                    table: "public.everything",
                    column: "qty",
                    value: "21",
                },
                &[
                    // A number beyond f64 precision, written as a JSON number.
                    ("n", "3.14159265358979323846264338327950288419716939937510"),
                    ("f", r#""-1.5e-300""#),
                    ("qty", "50"),
                    ("b", r#""\\xdeadbeef00""#),
                    // json keeps its text: odd whitespace, a newline, duplicate keys.
                    ("j", "{\"edited\" :  [1,  2.50],\n \"k\": 1, \"k\": 2}"),
                    ("jb", r#"{"b": [true, null], "a": "é"}"#),
                    ("t", r#""edited\ttext 'q' \\ ✓""#),
                    ("flag", "false"),
                    ("tags", r#""{x,\"y z\",NULL}""#),
                    ("local_ts", r#""2025-01-02 03:04:05.5""#),
                    ("tz_hist", r#""2030-01-01 00:00:00+05:30""#),
                    ("m", r#""sad""#),
                    ("p", r#""(3,4)""#),
                    ("u", "null"),
                ],
            )],
            // qty_x2 (GENERATED ALWAYS AS qty * 2 STORED) follows qty on both sides.
            edit_sql: "UPDATE public.everything SET \
                       n = 3.14159265358979323846264338327950288419716939937510, f = '-1.5e-300', \
                       qty = 50, b = '\\xdeadbeef00', \
                       j = E'{\"edited\" :  [1,  2.50],\\n \"k\": 1, \"k\": 2}', \
                       jb = '{\"b\": [true, null], \"a\": \"é\"}', t = E'edited\\ttext ''q'' \\\\ ✓', \
                       flag = false, tags = '{x,\"y z\",NULL}', local_ts = '2025-01-02 03:04:05.5', \
                       tz_hist = '2029-12-31 18:30:00+00', m = 'sad', p = '(3,4)', u = NULL \
                       WHERE qty = 21",
            dangling: Pick {
                table: "public.kinds",
                column: "code",
                value: r#""new-kind""#,
            },
            dangling_error: &[
                "(public.everything) references public.kinds (code) = [\"new-kind\"]",
                "--allow-dangling",
            ],
        },
    );
}

// ---------------------------------------------------------------------------------------------
// MariaDB

/// A MariaDB server and the backup (a dump) that every fresh database restores.
struct My {
    server: MariaDb,
    backup: Vec<u8>,
}

impl Db for My {
    type Contents = Contents;

    fn patched(&self, db: &str, patch: &Path) -> Result<(), String> {
        self.fresh(db);
        let o = self.server.apply_file(db, patch);
        if o.status.success() {
            Ok(())
        } else {
            Err(format!(
                "mariadb {db} < {} ({}): {}",
                patch.display(),
                o.status,
                stderr(&o)
            ))
        }
    }

    fn fresh(&self, db: &str) {
        self.server.restore(db, &self.backup);
    }

    fn run_sql(&self, db: &str, sql: &str) {
        self.server.sql(db, sql);
    }

    fn contents(&self, db: &str) -> Contents {
        self.server.table_contents(db)
    }

    fn diff(expected: &Contents, actual: &Contents) -> Option<String> {
        mariadb::diff_contents(expected, actual)
    }

    fn with_table(contents: &Contents, from: &Contents, key: &str) -> Contents {
        let mut c = contents.clone();
        c.0.insert(key.into(), from.0[key].clone());
        c
    }
}

/// A MariaDB server with the fixture's backup, its damaged current database dumped and
/// extracted; `None` when MariaDB is missing (outside CI).
fn mysql_setup(
    fixture: &str,
    server_args: &[&str],
    since: &str,
    args: &[&str],
    checks: &mut Checks,
) -> Option<(My, Result<Extraction, String>)> {
    if !mariadb::available() {
        return None;
    }
    let server = MariaDb::start_with(server_args);
    let file = |f: &str| {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/mysql/fixtures")
            .join(fixture)
            .join(f);
        fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
    };
    server.create_db("app");
    server.run_script("app", &file("schema.sql"));
    server.run_script("app", &file("old.sql"));
    let backup = server.dump("app", &[]);
    server.run_script("app", &file("new.sql"));
    server.run_script("app", &file("damage.sql"));
    let work = server.dir().join("replay");
    fs::create_dir_all(&work).unwrap();
    let dump = work.join("dump.sql");
    fs::write(&dump, server.dump("app", &[])).unwrap();
    checks.check("databases built", Ok(()));
    let x = extract(&work, &dump, since, args);
    Some((My { server, backup }, x))
}

fn mysql_replay(fixture: &str, server_args: &[&str], since: &str, args: &[&str], sc: &Scenario) {
    let mut checks = Checks::new(&format!("mysql/{fixture}"));
    let Some((my, x)) = mysql_setup(fixture, server_args, since, args, &mut checks) else {
        return;
    };
    match x {
        Ok(x) => replay_checks(&my, &x, sc, &mut checks),
        Err(e) => checks.check("extract", Err(e)),
    }
    drop(my);
    checks.finish();
}

#[test]
fn mysql_django_review_edit_replay() {
    mysql_replay(
        "django",
        &["--default-time-zone=+05:45"],
        "2025-06-01 00:00:00",
        &[],
        &Scenario {
            leaf_table: "blog_post_tags",
            leaf_contents_key: "blog_post_tags",
            lone_root: Pick {
                table: "blog_comment",
                column: "id",
                value: "8",
            },
            lone_root_delete: "DELETE FROM blog_comment WHERE id = 8",
            edits: &[
                (
                    Pick {
                        table: "blog_post",
                        column: "id",
                        value: "5",
                    },
                    &[("title", r#""Edited ✓ 'title' \"q\" \\ end""#)],
                ),
                (
                    Pick {
                        table: "blog_comment",
                        column: "id",
                        value: "9",
                    },
                    &[("author_id", "2"), ("created_at", r#""2025-07-01 12:00:00.250000""#)],
                ),
            ],
            edit_sql: "UPDATE blog_post SET title = 'Edited ✓ \\'title\\' \"q\" \\\\ end' WHERE id = 5; \
                       UPDATE blog_comment SET author_id = 2, created_at = '2025-07-01 12:00:00.25' \
                       WHERE id = 9",
            dangling: Pick {
                table: "auth_user",
                column: "id",
                value: "4",
            },
            dangling_error: &["references auth_user (id) = [4]", "--allow-dangling"],
        },
    );
}

#[test]
fn mysql_types_review_edit_replay() {
    mysql_replay(
        "types",
        &["--default-time-zone=+02:00"],
        "2025-06-01 00:00:00",
        &["--timezone", "+02:00", "--created-column", "sample_tag=added_at"],
        &Scenario {
            leaf_table: "event_log",
            leaf_contents_key: "event_log",
            lone_root: Pick {
                table: "setting",
                column: "name",
                value: r#""lang""#,
            },
            lone_root_delete: "DELETE FROM setting WHERE name = 'lang'",
            edits: &[(
                Pick {
                    table: "sample",
                    column: "id",
                    value: "10",
                },
                &[
                    ("price", "12345678.9876"),
                    ("ratio", r#""-2.5e-300""#),
                    ("big_u", "18446744073709551614"),
                    ("tiny", "-7"),
                    ("bin", r#""\\x00ff10""#),
                    ("vbin", r#""\\x""#),
                    ("doc", "{\"edited\" :  [1,  2.50],\n \"s\": \"é\"}"),
                    ("flags", r#""\\x1f""#),
                    ("mood", r#""sad""#),
                    ("perms", r#""read,write""#),
                    ("txt", r#""edited ✓ 'q' \\ end\u0000nul""#),
                    ("legacy", r#""ÿ edited""#),
                    ("dt6", r#""2020-02-29 12:34:56.000001""#),
                    ("d", r#""2021-03-04""#),
                    ("t", r#""-01:02:03.50""#),
                ],
            )],
            // txt_len (VIRTUAL) and bin_md5 (STORED) follow on both sides.
            edit_sql: "UPDATE sample SET price = 12345678.9876, ratio = -2.5e-300, \
                       big_u = 18446744073709551614, tiny = -7, bin = X'00FF10', vbin = X'', \
                       doc = '{\"edited\" :  [1,  2.50],\\n \"s\": \"é\"}', flags = b'11111', \
                       mood = 'sad', perms = 'read,write', txt = 'edited ✓ \\'q\\' \\\\ end\\0nul', \
                       legacy = 'ÿ edited', dt6 = '2020-02-29 12:34:56.000001', d = '2021-03-04', \
                       t = '-01:02:03.50' WHERE id = 10",
            dangling: Pick {
                table: "kind",
                column: "code",
                value: r#""k-new""#,
            },
            dangling_error: &["(sample) references kind (code) = [\"k-new\"]", "--allow-dangling"],
        },
    );
}

#[test]
fn mysql_row_listed_twice() {
    let mut checks = Checks::new("mysql/django twice");
    let Some((my, x)) = mysql_setup(
        "django",
        &["--default-time-zone=+05:45"],
        "2025-06-01 00:00:00",
        &[],
        &mut checks,
    ) else {
        return;
    };
    let pick = Pick {
        table: "blog_comment",
        column: "id",
        value: "8",
    };
    match x {
        Ok(x) => checks.check("a row listed twice", row_listed_twice(&my, &x, pick)),
        Err(e) => checks.check("extract", Err(e)),
    }
    drop(my);
    checks.finish();
}

// ---------------------------------------------------------------------------------------------
// patch errors (no server)

fn testdata(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(path)
}

/// `extract --json` of a sample dump into a fresh directory.
struct Review {
    dir: tempfile::TempDir,
    json: PathBuf,
    schema: PathBuf,
}

fn review(dump: &str, since: &str) -> Review {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("rows.json");
    let o = dbsalvage(&[
        os("extract"),
        os("-q"),
        os("--since"),
        os(since),
        os("--json"),
        json.as_os_str(),
        testdata(dump).as_os_str(),
    ]);
    assert!(o.status.success(), "extract failed: {}", stderr(&o));
    Review {
        schema: dir.path().join("rows.schema.json"),
        dir,
        json,
    }
}

impl Review {
    fn edited(&self, change: impl FnOnce(&mut Vec<RowObj>)) -> PathBuf {
        let mut rows = read_rows(&self.json);
        change(&mut rows);
        let path = self.dir.path().join("edited.json");
        write_rows(&path, &rows);
        path
    }

    /// `patch` of an edited file must fail with exit 2 and `message`, leaving no file.
    #[track_caller]
    fn refused(&self, json: &Path, message: &str) {
        let out = self.dir.path().join("out.sql");
        let before = entries(self.dir.path());
        let o = patch(json, &self.schema, &out, &[]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "exit status {}: {}",
            o.status,
            stderr(&o)
        );
        assert_eq!(
            stderr(&o),
            format!("dbsalvage: error: {message}\n"),
            "for {}",
            json.display()
        );
        assert!(o.stdout.is_empty());
        assert_eq!(entries(self.dir.path()), before, "files left behind");
    }
}

fn set<'a>(pick: Pick, values: &'a [(&'a str, &'a str)]) -> impl FnOnce(&mut Vec<RowObj>) + 'a {
    move |rows| edit(rows, pick, values)
}

const BLOG_POST_2: Pick = Pick {
    table: "public.blog_post",
    column: "id",
    value: "2",
};

#[test]
fn patch_refuses_a_removed_row_that_a_remaining_row_references() {
    let r = review("cli/blog.sql", "2024-06-01");
    // bob (user 2) is an ancestor: the author of new post 2.
    let json = r.edited(|rows| {
        rows.retain(|row| {
            !Pick {
                table: "public.auth_user",
                column: "username",
                value: r#""bob""#,
            }
            .matches(row)
        })
    });
    let file = json.display().to_string();
    r.refused(
        &json,
        &format!(
            "{file}: row 4 (public.blog_post) references public.auth_user (id) = [2], a row that \
             was selected but is no longer in the file; put it back, remove row 4 too, or use \
             --allow-dangling"
        ),
    );
    // Removing the referencing row too is fine.
    let json = r.edited(|rows| {
        rows.retain(|row| {
            let t = table_of(row);
            let id: Value = serde_json::from_str(data_of(row)["id"].get()).unwrap();
            let removed = [
                ("public.auth_user", 2),
                ("public.blog_post", 2),
                ("public.blog_comment", 3),
                ("public.blog_post_tags", 2),
            ];
            !removed.iter().any(|(table, key)| t == *table && id == *key)
        })
    });
    let out = r.dir.path().join("ok.sql");
    let o = patch(&json, &r.schema, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "dbsalvage: patch for 10 rows (4 removed since extraction) written to {}\n",
            out.display()
        )
    );
    let sql = fs::read_to_string(&out).unwrap();
    assert!(
        !sql.contains("'bob'") && !sql.contains("Fresh take"),
        "{sql}"
    );
    // --allow-dangling writes it anyway.
    let json = r.edited(|rows| {
        rows.retain(|row| {
            !(table_of(row) == "public.auth_user" && row["pk"].get() == r#"{"id":2}"#)
        })
    });
    let out = r.dir.path().join("dangling.sql");
    let o = patch(&json, &r.schema, &out, &["--allow-dangling"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sql = fs::read_to_string(&out).unwrap();
    assert!(
        sql.contains("(2, 2, 'Fresh take',") && !sql.contains("'bob'"),
        "{sql}"
    );
}

#[test]
fn patch_refuses_values_that_do_not_fit_their_column() {
    let r = review("cli/blog.sql", "2024-06-01");
    let at = |n: usize, table: &str, column: &str, what: &str| {
        format!(
            "{}: row {n} (table {table}), column {column}: {what}",
            r.dir.path().join("edited.json").display()
        )
    };
    // (new values, the column named in the error, what the error says)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: &[Case] = &[
        (
            &[("author_id", r#""two""#)],
            "author_id",
            r#"expected an integer for a INTEGER column, found "two""#,
        ),
        (
            &[("author_id", "2.5")],
            "author_id",
            "expected an integer for a INTEGER column, found 2.5",
        ),
        (
            &[("author_id", "true")],
            "author_id",
            "expected an integer for a INTEGER column, found true",
        ),
        (
            &[("author_id", r#""""#)],
            "author_id",
            r#"expected an integer for a INTEGER column, found """#,
        ),
        (
            &[("created", r#""not a time""#)],
            "created",
            "`not a time` is not a timestamp value",
        ),
        (
            &[("created", r#""2024-02-30 00:00:00+00""#)],
            "created",
            "`2024-02-30 00:00:00+00` is not a timestamp value",
        ),
        (
            &[("created", "20240601")],
            "created",
            "expected a time as a string for a TIMESTAMP WITH TIME ZONE column, found 20240601",
        ),
        (
            &[("title", "[1]")],
            "title",
            "expected a string for a TEXT column, found [1]",
        ),
    ];
    for (values, column, what) in cases {
        let json = r.edited(set(BLOG_POST_2, values));
        r.refused(&json, &at(5, "public.blog_post", column, what));
    }

    // bytea and boolean: the PostgreSQL sample (app.orders row 1 is the 9th row).
    let r = review("pg/samples/pg15_plain_copy.sql", "2000-01-01");
    let order = Pick {
        table: "app.orders",
        column: "id",
        value: "1",
    };
    let at = |column: &str, what: &str| {
        format!(
            "{}: row 9 (table app.orders), column {column}: {what}",
            r.dir.path().join("edited.json").display()
        )
    };
    let hex = "expected a \"\\x…\" hex string for a BYTEA column, found";
    for (value, shown) in [
        (r#""\\xzz""#, r#""\\xzz""#),
        (r#""\\x0""#, r#""\\x0""#),
        (r#""00ff""#, r#""00ff""#),
        ("12", "12"),
    ] {
        let json = r.edited(set(order, &[("raw", value)]));
        r.refused(&json, &at("raw", &format!("{hex} {shown}")));
    }
    let json = r.edited(set(order, &[("ok", r#""yes""#)]));
    r.refused(
        &json,
        &at(
            "ok",
            r#"expected true or false for a BOOLEAN column, found "yes""#,
        ),
    );
    let json = r.edited(set(order, &[("amount", r#""12,50""#)]));
    r.refused(
        &json,
        &at(
            "amount",
            r#"expected a number for a NUMERIC(12,2) column, found "12,50""#,
        ),
    );
    let json = r.edited(set(order, &[("ts", r#""yesterday""#)]));
    r.refused(&json, &at("ts", "`yesterday` is not a timestamp value"));

    // MySQL: BLOB, DATETIME, BIT.
    let r = review("mysql/samples/mariadb10.11_default.sql", "2000-01-01");
    let order = Pick {
        table: "orders",
        column: "id",
        value: "1",
    };
    let at = |column: &str, what: &str| {
        format!(
            "{}: row 5 (table orders), column {column}: {what}",
            r.dir.path().join("edited.json").display()
        )
    };
    let json = r.edited(set(order, &[("raw", r#""\\xgg""#)]));
    let o = patch(&json, &r.schema, &r.dir.path().join("out.sql"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&at("raw", "expected a \"\\x…\" hex string")),
        "{}",
        stderr(&o)
    );
    let json = r.edited(set(order, &[("flags", r#""10101""#)]));
    let o = patch(&json, &r.schema, &r.dir.path().join("out.sql"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&at("flags", "expected a \"\\x…\" hex string")),
        "{}",
        stderr(&o)
    );
    let json = r.edited(set(order, &[("dt", r#""2024-02-30""#)]));
    let o = patch(&json, &r.schema, &r.dir.path().join("out.sql"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&at("dt", "`2024-02-30`")),
        "{}",
        stderr(&o)
    );
    assert!(!r.dir.path().join("out.sql").exists());
}

#[test]
fn patch_refuses_an_integer_out_of_range() {
    let r = review("cli/blog.sql", "2024-06-01");
    let json = r.edited(set(
        BLOG_POST_2,
        &[("author_id", "99999999999999999999999")],
    ));
    let out = r.dir.path().join("out.sql");
    let o = patch(&json, &r.schema, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("column author_id"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn patch_refuses_unknown_tables_and_columns() {
    let r = review("cli/blog.sql", "2024-06-01");
    let file = r.dir.path().join("edited.json").display().to_string();
    let json = r.edited(|rows| {
        rows[0]
            .insert("table".into(), raw(r#""public.auth_usr""#))
            .map(|_| ())
            .expect("a table field")
    });
    r.refused(
        &json,
        &format!("{file}: row 1 (table public.auth_usr): the dump has no such table (did you mean `public.auth_user`?)"),
    );
    let json = r.edited(|rows| {
        rows[0]
            .insert("table".into(), raw(r#""public.nothing_like_it""#))
            .map(|_| ())
            .expect("a table field")
    });
    r.refused(
        &json,
        &format!("{file}: row 1 (table public.nothing_like_it): the dump has no such table"),
    );
    let json = r.edited(|rows| {
        let mut data = data_of(&rows[2]);
        let v = data.shift_remove("username").unwrap();
        data.insert("usrname".into(), v);
        rows[2].insert("data".into(), raw(&serde_json::to_string(&data).unwrap()));
    });
    r.refused(
        &json,
        &format!("{file}: row 3 (table public.auth_user): no column `usrname` (did you mean `username`?)"),
    );
}

#[test]
fn patch_needs_its_schema_file() {
    let r = review("cli/blog.sql", "2024-06-01");
    // A copy of the JSON elsewhere, without its schema file beside it.
    let other = tempfile::tempdir().unwrap();
    let lone = other.path().join("reviewed.json");
    fs::copy(&r.json, &lone).unwrap();
    let out = other.path().join("out.sql");
    let o = dbsalvage(&[os("patch"), lone.as_os_str(), os("--sql"), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "dbsalvage: error: cannot read the schema file {} that `extract --json` writes beside \
             the JSON (No such file or directory (os error 2)); without it the patch cannot be \
             rebuilt faithfully\n",
            other.path().join("reviewed.schema.json").display()
        )
    );
    assert_eq!(entries(other.path()), ["reviewed.json"]);
    // --schema names it.
    let o = dbsalvage(&[
        os("patch"),
        lone.as_os_str(),
        os("--schema"),
        r.schema.as_os_str(),
        os("--sql"),
        out.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.exists());
    // Not a schema file, and a schema file of another version.
    let bad = other.path().join("bad.schema.json");
    fs::write(&bad, "{\"hello\": 1}").unwrap();
    let o = patch(&lone, &bad, &other.path().join("x.sql"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(&format!(
            "dbsalvage: error: {}: not a dbsalvage schema file",
            bad.display()
        )),
        "{}",
        stderr(&o)
    );
    let mut schema: Value = serde_json::from_slice(&fs::read(&r.schema).unwrap()).unwrap();
    schema["version"] = Value::from(99);
    fs::write(&bad, schema.to_string()).unwrap();
    let o = patch(&lone, &bad, &other.path().join("x.sql"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "dbsalvage: error: {}: schema file format dbsalvage-schema version 99, this dbsalvage \
             reads dbsalvage-schema version 1\n",
            bad.display()
        )
    );
    // The JSON itself broken.
    let broken = other.path().join("broken.json");
    fs::write(&broken, "[{\"table\": ").unwrap();
    let o = patch(&broken, &r.schema, &other.path().join("x.sql"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(&format!(
            "dbsalvage: error: {}: not a dbsalvage JSON file",
            broken.display()
        )),
        "{}",
        stderr(&o)
    );
    assert!(!other.path().join("x.sql").exists());
    // A JSON file that does not exist (its schema given) is an I/O error.
    let o = patch(
        &other.path().join("missing.json"),
        &r.schema,
        &other.path().join("x.sql"),
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // An output in a missing directory too.
    let o = patch(
        &r.json,
        &r.schema,
        &other.path().join("no/such/dir.sql"),
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
}

#[test]
fn patch_to_stdout_and_from_json_lines() {
    let r = review("cli/blog.sql", "2024-06-01");
    let file = r.dir.path().join("p.sql");
    let o = patch(&r.json, &r.schema, &file, &["-q"]);
    assert!(o.status.success() && o.stderr.is_empty(), "{}", stderr(&o));
    let o = patch(&r.json, &r.schema, Path::new("-"), &["--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        fs::read_to_string(&file).unwrap()
    );
    // A JSON-lines review file (its schema file is rows.jsonl.schema.json) gives the same patch.
    let lines = r.dir.path().join("rows.jsonl");
    let o = dbsalvage(&[
        os("extract"),
        os("-q"),
        os("--since"),
        os("2024-06-01"),
        os("--json"),
        lines.as_os_str(),
        os("--json-lines"),
        testdata("cli/blog.sql").as_os_str(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(r.dir.path().join("rows.jsonl.schema.json").exists());
    let out = r.dir.path().join("from-lines.sql");
    let o = dbsalvage(&[
        os("patch"),
        lines.as_os_str(),
        os("--sql"),
        out.as_os_str(),
        os("-q"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        without_source_line(&fs::read_to_string(&out).unwrap()),
        without_source_line(&fs::read_to_string(&file).unwrap())
    );
}

// ---------------------------------------------------------------------------------------------
// json documents through the review file (testdata/cli/json.sql: `doc.j json`, `doc.jb jsonb`)

/// The patch lines of `doc` rows: id → line, from `extract --sql` and from `patch` of the
/// review file (array, or JSON lines).
fn doc_lines(json_lines: bool) -> (BTreeMap<i64, String>, BTreeMap<i64, String>) {
    let dir = tempfile::tempdir().unwrap();
    let dump = testdata("cli/json.sql");
    let reference = dir.path().join("extract.sql");
    let json = dir.path().join(if json_lines {
        "rows.jsonl"
    } else {
        "rows.json"
    });
    let mut args = vec![
        os("extract"),
        os("-q"),
        os("--since"),
        os("2024-01-01"),
        os("--sql"),
        reference.as_os_str(),
        os("--json"),
        json.as_os_str(),
    ];
    if json_lines {
        args.push(os("--json-lines"));
    }
    args.push(dump.as_os_str());
    let o = dbsalvage(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let rebuilt = dir.path().join("patch.sql");
    let o = dbsalvage(&[
        os("patch"),
        json.as_os_str(),
        os("--sql"),
        rebuilt.as_os_str(),
        os("-q"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Rows may span lines (a json value with a newline): split the INSERT on "\n(".
    let rows = |path: &Path| -> BTreeMap<i64, String> {
        let text = fs::read_to_string(path).unwrap();
        text.split("\n(")
            .skip(1)
            .filter_map(|chunk| {
                let id = chunk.split(',').next()?.parse::<i64>().ok()?;
                let row = chunk.split("\nON CONFLICT").next().unwrap();
                Some((id, row.trim_end_matches(',').to_string()))
            })
            .collect()
    };
    (rows(&reference), rows(&rebuilt))
}

#[track_caller]
fn assert_same_docs(ids: &[i64], json_lines: bool) {
    let (want, got) = doc_lines(json_lines);
    assert_eq!(want.len(), 9, "9 doc rows selected: {want:#?}");
    for id in ids {
        assert_eq!(
            got.get(id),
            want.get(id),
            "doc {id}: the patch rebuilt from the {} review file inserts other json text",
            if json_lines { "JSON-lines" } else { "array" }
        );
    }
}

#[test]
fn json_documents_survive_the_review_file() {
    // Odd whitespace and newlines, duplicate keys, the document null, SQL NULL, a string, a
    // number beyond f64, null with spaces around it.
    assert_same_docs(&[1, 2, 4, 5, 6, 7, 10], false);
}

#[test]
fn json_string_null_document_survives_the_review_file() {
    assert_same_docs(&[9], false);
}

#[test]
fn json_document_with_surrounding_whitespace_survives_the_review_file() {
    assert_same_docs(&[3], false);
}

#[test]
fn json_documents_survive_a_json_lines_review_file() {
    assert_same_docs(&[1, 2, 4, 5, 6, 7, 10], true);
}

#[test]
fn patch_refuses_a_float_out_of_range() {
    let r = review("pg/samples/pg15_plain_copy.sql", "2000-01-01");
    let order = Pick {
        table: "app.orders",
        column: "id",
        value: "1",
    };
    let json = r.edited(set(order, &[("f8", r#""1e400""#)]));
    let out = r.dir.path().join("out.sql");
    let o = patch(&json, &r.schema, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("column f8"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn patch_refuses_null_in_a_not_null_column() {
    let r = review("cli/blog.sql", "2024-06-01");
    let json = r.edited(set(BLOG_POST_2, &[("title", "null")]));
    let out = r.dir.path().join("out.sql");
    let o = patch(&json, &r.schema, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("row 5 (table public.blog_post), column title"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

#[test]
fn patch_refuses_times_that_do_not_fit_the_column() {
    // PostgreSQL: app.orders.ts is `timestamp without time zone`, d is `date`.
    let r = review("pg/samples/pg15_plain_copy.sql", "2000-01-01");
    let order = Pick {
        table: "app.orders",
        column: "id",
        value: "1",
    };
    for (column, value) in [
        ("ts", r#""2024-01-01 00:00:00+02:00""#),
        ("d", r#""2024-02-29 10:00:00""#),
    ] {
        let json = r.edited(set(order, &[(column, value)]));
        let out = r.dir.path().join("out.sql");
        let o = patch(&json, &r.schema, &out, &[]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{column} = {value}: {}",
            stderr(&o)
        );
        assert!(
            stderr(&o).contains(&format!("column {column}")),
            "{}",
            stderr(&o)
        );
        assert!(!out.exists());
    }
    // MySQL: customers.created is DATETIME(6), orders.dt is DATE.
    let r = review("mysql/samples/mariadb10.11_default.sql", "2000-01-01");
    for (pick, column, value) in [
        (
            Pick {
                table: "customers",
                column: "id",
                value: "1",
            },
            "created",
            r#""2024-03-01T12:00:00+02:00""#,
        ),
        (
            Pick {
                table: "orders",
                column: "id",
                value: "1",
            },
            "dt",
            r#""2024-02-29 10:00:00""#,
        ),
    ] {
        let json = r.edited(set(pick, &[(column, value)]));
        let out = r.dir.path().join("out.sql");
        let o = patch(&json, &r.schema, &out, &[]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{column} = {value}: {}",
            stderr(&o)
        );
        assert!(
            stderr(&o).contains(&format!("column {column}")),
            "{}",
            stderr(&o)
        );
        assert!(!out.exists());
    }
}
