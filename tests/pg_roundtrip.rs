//! Real-server PostgreSQL round trips: build a database, back it up, add rows after a cut-off,
//! damage old rows (the "bad migration"), dump the damaged database in every pg_dump data
//! flavor, run `dbsalvage extract`, and check that the patch applied with psql onto a restore of
//! the backup gives exactly backup + new rows (contents and schema), twice (idempotent), with
//! the sequences moved past the rescued keys; and that a patch the server rejects changes
//! nothing.
//!
//! Fixtures live in `testdata/pg/<fixture>/` (see the README there). Each test starts its own
//! throwaway server (`support::pg`); without PostgreSQL the tests skip locally and fail in CI.

mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

use support::pg::{self, PgServer};

/// The ordinary (not superuser) role that owns every fixture object and applies the patches.
const OWNER: &str = "app_owner";

/// One way of dumping the damaged database.
struct Flavor {
    /// Also the suffix of the database the patch is applied to.
    name: &'static str,
    pg_dump_args: &'static [&'static str],
    /// Extra environment for pg_dump (e.g. server settings through `PGOPTIONS`).
    env: &'static [(&'static str, &'static str)],
    /// gzip the dump and feed it to `dbsalvage extract -` on stdin.
    gzip_stdin: bool,
    /// Re-read tables cut into three pieces at every row or statement boundary (see
    /// `support::IN_PIECES`), as large dumps are on a machine with several cores.
    in_pieces: bool,
}

const fn flavor(name: &'static str, pg_dump_args: &'static [&'static str]) -> Flavor {
    Flavor {
        name,
        pg_dump_args,
        env: &[],
        gzip_stdin: false,
        in_pieces: false,
    }
}

const FLAVORS: &[Flavor] = &[
    flavor("copy", &[]),
    flavor("inserts", &["--inserts"]),
    flavor("column_inserts", &["--column-inserts"]),
    Flavor {
        in_pieces: true,
        ..flavor("rows_per_insert", &["--rows-per-insert=3"])
    },
    Flavor {
        gzip_stdin: true,
        ..flavor("gzip_stdin", &[])
    },
    // Settings a server (or role) may have, which pg_dump does not override: bytea in the old
    // escape format; string literals with backslash escapes (the header then says
    // `standard_conforming_strings = off`).
    Flavor {
        env: &[("PGOPTIONS", "-c bytea_output=escape")],
        ..flavor("copy_bytea_escape", &[])
    },
    Flavor {
        env: &[("PGOPTIONS", "-c standard_conforming_strings=off")],
        ..flavor("inserts_strings_off", &["--rows-per-insert=2"])
    },
    flavor(
        "quote_all_identifiers",
        &["--quote-all-identifiers", "--column-inserts"],
    ),
    Flavor {
        in_pieces: true,
        ..flavor("load_via_partition_root", &["--load-via-partition-root"])
    },
];

/// A table whose rows created after `--since` must be exactly the JSON's roots.
struct RootSpec {
    schema: &'static str,
    table: &'static str,
    created: &'static str,
    /// Primary key columns; empty for a table without primary key (then only the number of
    /// roots is compared).
    key: &'static [&'static str],
}

/// A database scenario; its SQL files are in `testdata/pg/<name>/`: `new.sql` (rows created
/// after the cut-off), `damage.sql` (the bad migration), `reject.sql` (makes the server reject
/// the patch), `probe.sql` (inserts through the sequence defaults after the patch).
struct Fixture {
    name: &'static str,
    /// SQL files that build the database as it is at backup time, loaded in order.
    setup: Vec<PathBuf>,
    since: &'static str,
    extract_args: &'static [&'static str],
    /// Session time zone of the pg_dump runs (`PGTZ`): timestamptz values are printed in it.
    dump_tz: &'static str,
    roots: &'static [RootSpec],
}

impl Fixture {
    fn file(&self, name: &str) -> PathBuf {
        fixture_dir(self.name).join(name)
    }
}

fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/pg")
        .join(name)
}

#[test]
fn django_style_round_trip() {
    let fx = Fixture {
        name: "django",
        setup: vec![
            fixture_dir("django").join("schema.sql"),
            fixture_dir("django").join("old.sql"),
        ],
        since: "2024-06-01T00:00:00Z",
        // The default created-column names (created, created_at, date_joined) must do.
        extract_args: &[],
        dump_tz: "UTC",
        roots: &[
            RootSpec {
                schema: "public",
                table: "auth_user",
                created: "date_joined",
                key: &["id"],
            },
            RootSpec {
                schema: "public",
                table: "blog_post",
                created: "created",
                key: &["id"],
            },
            RootSpec {
                schema: "public",
                table: "blog_comment",
                created: "created_at",
                key: &["id"],
            },
        ],
    };
    round_trip(&fx);
}

#[test]
fn pagila_round_trip() {
    let data = std::env::var_os("DBSALVAGE_PAGILA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| support::shared_dataset("pagila"));
    if !pg::available()
        || !support::server_available("the Pagila data set", &data.join("pagila-data.sql"))
    {
        return;
    }
    let fx = Fixture {
        name: "pagila",
        setup: vec![
            data.join("pagila-schema.sql"),
            data.join("pagila-data.sql"),
            fixture_dir("pagila").join("setup.sql"),
        ],
        since: "2022-09-01 00:00:00",
        extract_args: &[
            "--created-column",
            "rental=rental_date",
            "--created-column",
            "payment=payment_date",
            "--created-column",
            "customer=create_date",
        ],
        dump_tz: "UTC",
        roots: &[
            RootSpec {
                schema: "public",
                table: "customer",
                created: "create_date",
                key: &["customer_id"],
            },
            RootSpec {
                schema: "public",
                table: "rental",
                created: "rental_date",
                key: &["rental_id"],
            },
            RootSpec {
                schema: "public",
                table: "payment",
                created: "payment_date",
                key: &["payment_date", "payment_id"],
            },
        ],
    };
    round_trip(&fx);
}

#[test]
fn awkward_types_round_trip() {
    let fx = Fixture {
        name: "types",
        setup: vec![
            fixture_dir("types").join("schema.sql"),
            fixture_dir("types").join("old.sql"),
        ],
        // 2024-06-01 00:00 UTC, written in the zone the dump uses.
        since: "2024-06-01 05:30:00+05:30",
        extract_args: &[],
        dump_tz: "Asia/Kolkata",
        roots: &[
            RootSpec {
                schema: "public",
                table: "everything",
                created: "created",
                key: &["id"],
            },
            RootSpec {
                schema: "public",
                table: "stock",
                created: "created_at",
                key: &["warehouse", "sku"],
            },
            RootSpec {
                schema: "Sales",
                table: "Order",
                created: "created_at",
                key: &["Id"],
            },
            RootSpec {
                schema: "public",
                table: "audit_log",
                created: "created_at",
                key: &[],
            },
            RootSpec {
                schema: "public",
                table: "external_ref",
                created: "created_at",
                key: &[],
            },
            RootSpec {
                schema: "public",
                table: "team",
                created: "created_at",
                key: &["id"],
            },
            RootSpec {
                schema: "public",
                table: "player",
                created: "created_at",
                key: &["id"],
            },
            RootSpec {
                schema: "public",
                table: "folder",
                created: "created_at",
                key: &["id"],
            },
        ],
    };
    round_trip(&fx);
}

/// Table contents: `schema.table` → sorted `row::text`.
type Contents = BTreeMap<String, Vec<String>>;

/// The databases a scenario needs, built once: `app` (damaged, the one dumped), `expected`
/// (backup + new rows) and `backup` (a restore of the backup, template of every patched copy).
struct World {
    expected: Contents,
    expected_schema: String,
    /// Roots the JSON must list: display name (`schema.table`) → canonical keys, sorted.
    roots: BTreeMap<String, Vec<String>>,
    /// Partition leaf → root (display names), to read JSON that names either.
    partition_root: BTreeMap<String, String>,
}

fn round_trip(fx: &Fixture) {
    if !pg::available() {
        return;
    }
    let started = Instant::now();
    let server = PgServer::start();
    let world = build_world(&server, fx);
    eprintln!(
        "[{}] databases built in {:.1}s",
        fx.name,
        started.elapsed().as_secs_f64()
    );

    let mut failures = Vec::new();
    let mut patch_for_reject = None;
    let mut first_json_path = None;
    // Every flavor holds the same rows: the JSON must not depend on the dump format.
    let mut reference_json: Option<(&str, Value)> = None;
    for flavor in FLAVORS {
        let t = Instant::now();
        let mut outputs = Outputs::default();
        let result = check_flavor(&server, fx, &world, flavor, &mut outputs);
        if let Err(msg) = result {
            failures.push(format!("--- {} / {}:\n{msg}", fx.name, flavor.name));
        }
        if patch_for_reject.is_none() {
            patch_for_reject = outputs.patch;
        }
        if first_json_path.is_none() {
            first_json_path = outputs.json_path;
        }
        match (&reference_json, outputs.json) {
            (None, Some(json)) => reference_json = Some((flavor.name, json)),
            (Some((ref_name, reference)), Some(json)) => {
                if let Some(diff) = diff_json(reference, &json) {
                    failures.push(format!(
                        "--- {} / {}: the JSON differs from the {ref_name} flavor's:\n{diff}",
                        fx.name, flavor.name
                    ));
                }
            }
            (_, None) => {}
        }
        eprintln!(
            "[{}] flavor {} checked in {:.1}s",
            fx.name,
            flavor.name,
            t.elapsed().as_secs_f64()
        );
    }

    if let Some(json) = &first_json_path {
        let t = Instant::now();
        if let Err(msg) = check_patch_from_json(&server, fx, &world, json) {
            failures.push(format!(
                "--- {} / patch rebuilt from {}:\n{msg}",
                fx.name,
                json.display()
            ));
        }
        eprintln!(
            "[{}] patch from JSON checked in {:.1}s",
            fx.name,
            t.elapsed().as_secs_f64()
        );
    }

    match &patch_for_reject {
        Some(patch) => {
            if let Err(msg) = check_rejected_patch_changes_nothing(&server, fx, patch) {
                failures.push(format!("--- {} / rejected patch:\n{msg}", fx.name));
            }
        }
        None => failures.push(format!(
            "--- {} / rejected patch: not checked, no flavor produced a patch",
            fx.name
        )),
    }
    eprintln!(
        "[{}] total {:.1}s",
        fx.name,
        started.elapsed().as_secs_f64()
    );
    if !failures.is_empty() {
        panic!(
            "{} check(s) failed for fixture {}:\n\n{}",
            failures.len(),
            fx.name,
            failures.join("\n\n")
        );
    }
}

fn build_world(server: &PgServer, fx: &Fixture) -> World {
    // Everything is created, changed and patched by an ordinary role that owns the objects, as
    // an application's migrations would: the patch must not need a superuser.
    server.create_role(OWNER);
    server.create_db_owned("app", OWNER);
    for file in &fx.setup {
        // Setup files name `postgres` as owner (Pagila does): hand the objects to OWNER.
        let text = fs::read_to_string(file).expect("read a setup file");
        let text = text.replace("OWNER TO postgres;", &format!("OWNER TO {OWNER};"));
        let name = file.file_name().expect("a file name");
        let copy = pg::write_file(server.dir(), name, text.as_bytes());
        server.load_file_as("app", &copy, OWNER);
    }
    let backup = server.pg_dump("app", &[]);
    server.load_file_as("app", &fx.file("new.sql"), OWNER);
    server.restore_as("expected", &backup, OWNER);
    server.load_file_as("expected", &fx.file("new.sql"), OWNER);
    server.load_file_as("app", &fx.file("damage.sql"), OWNER);
    server.restore_as("backup", &backup, OWNER);

    let expected = server.table_contents("expected");
    let expected_schema = server.schema_snapshot("expected");
    // The fixture itself must make sense: the backup restores faithfully, new.sql adds rows
    // without changing the schema, and the bad migration really damaged old rows.
    let backup_schema = server.schema_snapshot("backup");
    if let Some(diff) = diff_lines(&backup_schema, &expected_schema) {
        panic!("fixture {}: new.sql changed the schema:\n{diff}", fx.name);
    }
    let backup_contents = server.table_contents("backup");
    let added = diff_contents(&backup_contents, &expected);
    assert!(
        added.is_some(),
        "fixture {}: new.sql added no rows",
        fx.name
    );
    let damaged = server.table_contents("app");
    let damage = diff_contents(&expected, &damaged);
    assert!(
        damage.is_some(),
        "fixture {}: damage.sql did not remove or rewrite rows",
        fx.name
    );

    let partition_root = server
        .query_rows(
            "app",
            "SELECT format('%s.%s', cn.nspname, c.relname), format('%s.%s', pn.nspname, p.relname) \
             FROM pg_inherits i \
             JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace \
             JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace \
             WHERE p.relkind = 'p'",
        )
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    World {
        expected,
        expected_schema,
        roots: expected_roots(server, fx),
        partition_root,
    }
}

/// The roots, read from the damaged database: rows whose created column is after `--since`.
fn expected_roots(server: &PgServer, fx: &Fixture) -> BTreeMap<String, Vec<String>> {
    let mut roots = BTreeMap::new();
    for spec in fx.roots {
        let key = if spec.key.is_empty() {
            "'null'".to_string()
        } else {
            let pairs: Vec<String> = spec
                .key
                .iter()
                .map(|k| format!("{}, {}::text", pg::literal(k), pg::ident(k)))
                .collect();
            format!("json_build_object({})::text", pairs.join(", "))
        };
        // Compared in UTC (naive columns are read in dbsalvage's default --timezone, UTC); keys
        // printed as in the dump (same time zone).
        let sql = format!(
            "SET TimeZone = 'UTC'; \
             CREATE TEMP TABLE roots AS SELECT * FROM {schema}.{table} \
                 WHERE {created} > {since}::timestamptz; \
             SET TimeZone = {tz}; \
             SELECT {key} FROM roots",
            tz = pg::literal(fx.dump_tz),
            schema = pg::ident(spec.schema),
            table = pg::ident(spec.table),
            created = pg::ident(spec.created),
            since = pg::literal(&since_as_timestamptz(fx.since)),
        );
        let mut keys: Vec<String> = server
            .query_rows("app", &sql)
            .into_iter()
            .map(|r| canonical(&serde_json::from_str(&r[0]).expect("key JSON")))
            .collect();
        keys.sort();
        roots.insert(format!("{}.{}", spec.schema, spec.table), keys);
    }
    roots
}

/// `--since` as PostgreSQL reads it in a UTC session (naive values are UTC, like dbsalvage's
/// default `--timezone`).
fn since_as_timestamptz(since: &str) -> String {
    let s = since.replacen('T', " ", 1);
    match s.strip_suffix('Z') {
        Some(rest) => format!("{rest}+00"),
        None if s.contains('+') || s.rfind('-').is_some_and(|i| i > 10) => s,
        None => format!("{s}+00"),
    }
}

/// A JSON value in a form that ignores key order and number-vs-string (keys from psql are text).
fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut kv: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k:?}: {}", canonical(v)))
                .collect();
            kv.sort();
            format!("{{{}}}", kv.join(", "))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical).collect::<Vec<_>>().join(", ")
        ),
        Value::String(s) => format!("{s:?}"),
        Value::Number(n) => format!("{:?}", n.to_string()),
        Value::Bool(b) => format!("{:?}", b.to_string()),
        Value::Null => "null".to_string(),
    }
}

/// What one flavor's extract produced (when it did), for checks across flavors.
#[derive(Default)]
struct Outputs {
    patch: Option<PathBuf>,
    json: Option<Value>,
    json_path: Option<PathBuf>,
}

/// Dumps, extracts, applies twice, compares.
fn check_flavor(
    server: &PgServer,
    fx: &Fixture,
    world: &World,
    flavor: &Flavor,
    outputs: &mut Outputs,
) -> Result<(), String> {
    let dir = server.dir().join(format!("out-{}", flavor.name));
    fs::create_dir_all(&dir).expect("output dir");
    let mut env = vec![("PGTZ", fx.dump_tz)];
    env.extend_from_slice(flavor.env);
    let dump = server.pg_dump_env("app", flavor.pg_dump_args, &env);
    let dump_path = pg::write_file(&dir, "dump.sql", &dump);
    let sql_path = dir.join("patch.sql");
    let json_path = dir.join("rows.json");

    // extract
    let mut cmd = support::dbsalvage();
    if flavor.in_pieces {
        cmd.envs(support::IN_PIECES.iter().copied());
    }
    cmd.args(["extract", "--since", fx.since])
        .args(fx.extract_args)
        .arg("--sql")
        .arg(&sql_path)
        .arg("--json")
        .arg(&json_path);
    let shown_input = if flavor.gzip_stdin {
        let gz_path = dir.join("dump.sql.gz");
        let status = Command::new("gzip")
            .args(["-c", "-n"])
            .arg(&dump_path)
            .stdout(fs::File::create(&gz_path).expect("create gz"))
            .status()
            .expect("gzip runs");
        assert!(status.success(), "gzip failed");
        cmd.arg("-")
            .stdin(fs::File::open(&gz_path).expect("open gz"));
        format!("- < {}", gz_path.display())
    } else {
        cmd.arg(&dump_path).stdin(Stdio::null());
        dump_path.display().to_string()
    };
    let t = Instant::now();
    let out = cmd.output().expect("dbsalvage runs");
    let extract_secs = t.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        return Err(format!(
            "dbsalvage extract --since '{}' {} ... {shown_input} failed ({}):\n{}",
            fx.since,
            fx.extract_args.join(" "),
            out.status,
            excerpt(&stderr, 3000)
        ));
    }
    eprintln!(
        "[{}] {}: extract {extract_secs:.2}s, dump {} bytes",
        fx.name,
        flavor.name,
        dump.len()
    );

    outputs.patch = Some(sql_path.clone());
    let mut problems = Vec::new();
    // the JSON review file
    match fs::read_to_string(&json_path)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string()))
    {
        Ok(json) => {
            if let Err(e) = check_json(&json, world) {
                problems.push(format!("JSON {}: {e}", json_path.display()));
            }
            outputs.json = Some(json);
            outputs.json_path = Some(json_path.clone());
        }
        Err(e) => problems.push(format!("JSON {} unreadable: {e}", json_path.display())),
    }

    // the patch, on a fresh restore of the backup
    problems.extend(apply_and_verify(
        server,
        fx,
        world,
        &format!("patched_{}", flavor.name),
        &sql_path,
    ));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(with_summary(problems, &stderr))
    }
}

/// Applies `patch` to a fresh copy `db` of the backup, twice, and checks the result: contents
/// and schema as expected, unchanged by the second run, sequences past the keys, `probe.sql`
/// inserts. Returns the problems found.
fn apply_and_verify(
    server: &PgServer,
    fx: &Fixture,
    world: &World,
    db: &str,
    patch: &Path,
) -> Vec<String> {
    let mut problems = Vec::new();
    server.clone_db_owned("backup", db, OWNER);
    let applied = server.psql_file_as(db, patch, OWNER);
    if !applied.status.success() {
        problems.push(format!(
            "psql -X -v ON_ERROR_STOP=1 -U {OWNER} -d {db} -f {} failed ({}):\n{}{}",
            patch.display(),
            applied.status,
            excerpt(&String::from_utf8_lossy(&applied.stderr), 2000),
            patch_context(patch, &String::from_utf8_lossy(&applied.stderr))
        ));
        return problems;
    }
    let psql_stderr = String::from_utf8_lossy(&applied.stderr);
    if psql_stderr.contains("WARNING") || psql_stderr.contains("ERROR") {
        problems.push(format!(
            "psql -f {} succeeded but complained:\n{}",
            patch.display(),
            excerpt(&psql_stderr, 2000)
        ));
    }
    let after_first = server.table_contents(db);
    if let Some(diff) = diff_contents(&world.expected, &after_first) {
        problems.push(format!(
            "after applying the patch, contents differ from the expected database \
             (- missing, + unexpected):\n{diff}"
        ));
    }
    if let Some(diff) = diff_lines(&world.expected_schema, &server.schema_snapshot(db)) {
        problems.push(format!(
            "after applying the patch, the schema differs from the expected one \
             (- missing, + unexpected):\n{diff}"
        ));
    }

    // again: idempotent
    let again = server.psql_file_as(db, patch, OWNER);
    if again.status.success() {
        if let Some(diff) = diff_contents(&after_first, &server.table_contents(db)) {
            problems.push(format!(
                "applying the patch a second time changed the contents:\n{diff}"
            ));
        }
    } else {
        problems.push(format!(
            "applying the patch a second time failed ({}):\n{}{}",
            again.status,
            excerpt(&String::from_utf8_lossy(&again.stderr), 2000),
            patch_context(patch, &String::from_utf8_lossy(&again.stderr))
        ));
    }

    // sequences moved past the rescued keys, and the application can insert
    problems.extend(sequences_behind(server, db));
    let probe = server.psql_file_as(db, &fx.file("probe.sql"), OWNER);
    if !probe.status.success() {
        problems.push(format!(
            "after the patch, probe.sql (inserts through the defaults) failed:\n{}",
            excerpt(&String::from_utf8_lossy(&probe.stderr), 2000)
        ));
    }
    problems
}

/// `dbsalvage patch rows.json` (the review path: the patch rebuilt from the JSON file) must give
/// the same database as the patch `extract` wrote.
fn check_patch_from_json(
    server: &PgServer,
    fx: &Fixture,
    world: &World,
    json: &Path,
) -> Result<(), String> {
    let sql = json.with_file_name("patch-from-json.sql");
    let out = support::dbsalvage()
        .arg("patch")
        .arg("--sql")
        .arg(&sql)
        .arg(json)
        .stdin(Stdio::null())
        .output()
        .expect("dbsalvage runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        return Err(format!(
            "dbsalvage patch --sql {} {} failed ({}):\n{}",
            sql.display(),
            json.display(),
            out.status,
            excerpt(&stderr, 3000)
        ));
    }
    let problems = apply_and_verify(server, fx, world, "patched_from_json", &sql);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(with_summary(problems, &stderr))
    }
}

fn with_summary(problems: Vec<String>, stderr: &str) -> String {
    let mut s = problems.join("\n");
    if !stderr.trim().is_empty() {
        let _ = write!(s, "\n(dbsalvage stderr:\n{})", excerpt(stderr, 1500));
    }
    s
}

/// The JSON is an array of objects with "table", "data", "pk", "reason", and its roots are
/// exactly the rows created after `--since`.
fn check_json(json: &Value, world: &World) -> Result<(), String> {
    let rows = json.as_array().ok_or("not an array")?;
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let obj = row
            .as_object()
            .ok_or_else(|| format!("element {i} is not an object"))?;
        for key in ["table", "data", "pk", "reason"] {
            if !obj.contains_key(key) {
                return Err(format!(
                    "element {i} has no \"{key}\": {}",
                    excerpt(&row.to_string(), 300)
                ));
            }
        }
        let table = obj["table"]
            .as_str()
            .ok_or_else(|| format!("element {i}: \"table\" is not a string"))?
            .replace('"', "");
        if !obj["data"].is_object() {
            return Err(format!("element {i}: \"data\" is not an object"));
        }
        let reason = obj["reason"]
            .as_str()
            .ok_or_else(|| format!("element {i}: \"reason\" is not a string"))?;
        if !["root", "descendant", "ancestor"].contains(&reason) {
            return Err(format!("element {i}: unknown reason {reason:?}"));
        }
        if reason == "root" {
            let table = world.partition_root.get(&table).cloned().unwrap_or(table);
            let keyless = world
                .roots
                .get(&table)
                .is_some_and(|keys| keys.iter().all(|k| k == "null"));
            let key = if keyless {
                "null".to_string()
            } else {
                canonical(&obj["pk"])
            };
            found.entry(table).or_default().push(key);
        }
    }
    let mut msg = String::new();
    let tables: std::collections::BTreeSet<&String> =
        world.roots.keys().chain(found.keys()).collect();
    for table in tables {
        let empty = Vec::new();
        let want = world.roots.get(table).unwrap_or(&empty);
        let mut got = found.get(table).cloned().unwrap_or_default();
        got.sort();
        let (missing, extra) = multiset_diff(want, &got);
        if !missing.is_empty() || !extra.is_empty() {
            let _ = writeln!(
                msg,
                "roots of {table}: {} expected, {} listed",
                want.len(),
                got.len()
            );
            for k in missing.iter().take(10) {
                let _ = writeln!(msg, "  - not listed as root: {k}");
            }
            for k in extra.iter().take(10) {
                let _ = writeln!(msg, "  + listed as root but not created after --since: {k}");
            }
        }
    }
    if msg.is_empty() {
        Ok(())
    } else {
        Err(msg)
    }
}

/// Applies a patch onto a restore of the backup the server must reject (`reject.sql`): psql must
/// fail and the contents must not change.
fn check_rejected_patch_changes_nothing(
    server: &PgServer,
    fx: &Fixture,
    patch: &Path,
) -> Result<(), String> {
    let db = "rejected";
    server.clone_db_owned("backup", db, OWNER);
    server.load_file_as(db, &fx.file("reject.sql"), OWNER);
    let before = server.table_contents(db);
    let schema_before = server.schema_snapshot(db);
    let out = server.psql_file_as(db, patch, OWNER);
    let after = server.table_contents(db);
    let mut problems = Vec::new();
    if out.status.success() {
        problems.push(format!(
            "psql -f {} succeeded although reject.sql makes the server reject rescued rows \
             (were conflicting rows skipped silently?)\n{}",
            patch.display(),
            excerpt(&String::from_utf8_lossy(&out.stderr), 1000)
        ));
    }
    if let Some(diff) = diff_contents(&before, &after) {
        problems.push(format!("the rejected patch changed the database:\n{diff}"));
    }
    if let Some(diff) = diff_lines(&schema_before, &server.schema_snapshot(db)) {
        problems.push(format!("the rejected patch changed the schema:\n{diff}"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Owned sequences (serial, identity) whose next value is not past the largest key in the table.
fn sequences_behind(server: &PgServer, db: &str) -> Vec<String> {
    let owned = server.query_rows(
        db,
        "SELECT format('%I.%I', sn.nspname, s.relname), format('%I.%I', tn.nspname, t.relname), \
                quote_ident(a.attname) \
         FROM pg_depend d \
         JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' \
         JOIN pg_namespace sn ON sn.oid = s.relnamespace \
         JOIN pg_class t ON t.oid = d.refobjid \
         JOIN pg_namespace tn ON tn.oid = t.relnamespace \
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid \
         WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass \
           AND d.deptype IN ('a', 'i') \
         ORDER BY 1",
    );
    if owned.is_empty() {
        return Vec::new();
    }
    let checks: Vec<String> = owned
        .iter()
        .map(|r| {
            let (seq, table, col) = (&r[0], &r[1], &r[2]);
            format!(
                "SELECT {seq_l}, {col_l}, \
                 (SELECT CASE WHEN is_called THEN last_value + seqincrement ELSE last_value END \
                  FROM {seq}, pg_catalog.pg_sequence WHERE seqrelid = {seq_l}::regclass)::text, \
                 (SELECT max({col}) FROM {table})::text",
                seq_l = pg::literal(seq),
                col_l = pg::literal(&format!("{table}.{col}")),
            )
        })
        .collect();
    server
        .query_rows(db, &checks.join(" UNION ALL "))
        .into_iter()
        .filter_map(|r| {
            let next: i128 = r[2].parse().ok()?;
            let max: i128 = r[3].parse().ok()?;
            (next <= max).then(|| {
                format!(
                    "sequence {} would hand out {next} next, but {} already holds {max}",
                    r[0], r[1]
                )
            })
        })
        .collect()
}

/// Elements of sorted `want` not in sorted `got`, and of `got` not in `want` (multisets).
fn multiset_diff<'a>(want: &'a [String], got: &'a [String]) -> (Vec<&'a String>, Vec<&'a String>) {
    let (mut i, mut j) = (0, 0);
    let (mut missing, mut extra) = (Vec::new(), Vec::new());
    while i < want.len() || j < got.len() {
        match (want.get(i), got.get(j)) {
            (Some(a), Some(b)) if a == b => {
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a < b => {
                missing.push(a);
                i += 1;
            }
            (Some(_), Some(b)) => {
                extra.push(b);
                j += 1;
            }
            (Some(a), None) => {
                missing.push(a);
                i += 1;
            }
            (None, Some(b)) => {
                extra.push(b);
                j += 1;
            }
            (None, None) => unreachable!(),
        }
    }
    (missing, extra)
}

/// A readable per-table diff, or `None` when equal.
fn diff_contents(expected: &Contents, actual: &Contents) -> Option<String> {
    const SHOWN: usize = 8;
    let mut out = String::new();
    let empty = Vec::new();
    let tables: std::collections::BTreeSet<&String> =
        expected.keys().chain(actual.keys()).collect();
    for table in tables {
        let (e, a) = (
            expected.get(table).unwrap_or(&empty),
            actual.get(table).unwrap_or(&empty),
        );
        if !expected.contains_key(table) || !actual.contains_key(table) {
            let _ = writeln!(
                out,
                "table {table}: {}",
                if expected.contains_key(table) {
                    "missing"
                } else {
                    "unexpected"
                }
            );
        }
        let (missing, extra) = multiset_diff(e, a);
        if missing.is_empty() && extra.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "table {table}: {} missing, {} unexpected (expected {} rows, found {})",
            missing.len(),
            extra.len(),
            e.len(),
            a.len()
        );
        for r in missing.iter().take(SHOWN) {
            let _ = writeln!(out, "  - {}", excerpt(&format!("{r:?}"), 400));
        }
        if missing.len() > SHOWN {
            let _ = writeln!(out, "  - ... {} more", missing.len() - SHOWN);
        }
        for r in extra.iter().take(SHOWN) {
            let _ = writeln!(out, "  + {}", excerpt(&format!("{r:?}"), 400));
        }
        if extra.len() > SHOWN {
            let _ = writeln!(out, "  + ... {} more", extra.len() - SHOWN);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Where two JSON review files differ, or `None` when equal.
fn diff_json(reference: &Value, json: &Value) -> Option<String> {
    if reference == json {
        return None;
    }
    let (Some(a), Some(b)) = (reference.as_array(), json.as_array()) else {
        return Some("not both arrays".to_string());
    };
    let mut out = String::new();
    if a.len() != b.len() {
        let _ = writeln!(out, "{} elements instead of {}", b.len(), a.len());
    }
    let mut shown = 0;
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        if x != y && shown < 5 {
            shown += 1;
            let _ = writeln!(
                out,
                "element {i}:\n  reference: {}\n  this one:  {}",
                excerpt(&x.to_string(), 700),
                excerpt(&y.to_string(), 700)
            );
        }
    }
    Some(out)
}

/// Line multiset diff of two texts, or `None` when equal.
fn diff_lines(expected: &str, actual: &str) -> Option<String> {
    let mut e: Vec<String> = expected.lines().map(str::to_string).collect();
    let mut a: Vec<String> = actual.lines().map(str::to_string).collect();
    e.sort();
    a.sort();
    let (missing, extra) = multiset_diff(&e, &a);
    if missing.is_empty() && extra.is_empty() {
        return None;
    }
    let mut out = String::new();
    for l in missing.iter().take(30) {
        let _ = writeln!(out, "  - {l}");
    }
    for l in extra.iter().take(30) {
        let _ = writeln!(out, "  + {l}");
    }
    Some(out)
}

/// The patch lines around the first `patch.sql:LINE:` psql reports.
fn patch_context(patch: &Path, psql_stderr: &str) -> String {
    let name = patch.display().to_string();
    let Some(line) = psql_stderr.lines().find_map(|l| {
        let rest = l.split_once(&format!("{name}:"))?.1;
        rest.split(':').next()?.parse::<usize>().ok()
    }) else {
        return String::new();
    };
    let text = fs::read_to_string(patch).unwrap_or_default();
    let mut out = format!("patch around line {line}:\n");
    for (n, l) in text.lines().enumerate() {
        let n = n + 1;
        if n + 4 >= line && n <= line + 2 {
            let _ = writeln!(
                out,
                "{}{n:>6} | {}",
                if n == line { ">" } else { " " },
                excerpt(l, 300)
            );
        }
    }
    out
}

/// `text` cut to about `max` bytes.
fn excerpt(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes more)", &text[..end], text.len() - end)
}
