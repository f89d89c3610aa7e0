//! The benchmark generator (`examples/gen.rs`) writes dumps that the real clients load, with the
//! row counts, roots and selection sizes its sidecar promises, and that the real dump tools would
//! write the same way: the test loads a generated pg_dump file into a throwaway PostgreSQL with
//! `psql` and a generated mariadb-dump file into a throwaway MariaDB with `mariadb`, checks every
//! table against `FILE.expect.json`, computes the expected selection with SQL, dumps both
//! databases again with pg_dump / mariadb-dump and compares, and checks that both dialects hold
//! the very same data.
//!
//! The server helpers live in this file on purpose (self-contained; see `tests/support/` for the
//! shared ones). Missing servers skip locally and fail in CI (`support::server_available`).

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Big enough that MariaDB's extended INSERTs split (tables over 1 MB), small enough to be quick.
const SCALE: &str = "0.5";
const SEED: &str = "3";
const TABLES: [&str; 6] = [
    "auth_user",
    "blog_comment",
    "blog_post",
    "blog_post_tags",
    "blog_tag",
    "media_blob",
];

// ---------------------------------------------------------------------------------------------
// Small process helpers

/// Runs `cmd`, panicking with its output when it fails.
fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        out.status,
        tail(&out.stdout),
        tail(&out.stderr)
    );
    out
}

fn tail(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    let start = s.len().saturating_sub(4000);
    let start = (start..s.len())
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(s.len());
    s[start..].to_string()
}

fn stdout_text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn is_root() -> bool {
    stdout_text(&run(Command::new("id").arg("-u"))) == "0"
}

/// `name` on PATH or in the usual sbin directories.
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin", "/usr/bin"].map(PathBuf::from))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

// ---------------------------------------------------------------------------------------------
// The generator

/// A generated dump and its sidecar.
struct Generated {
    dump: PathBuf,
    expect: Value,
}

impl Generated {
    fn new(dialect: &str, dir: &Path, extra: &[&str]) -> Generated {
        let dump = dir.join(format!("{dialect}.sql"));
        run(Command::new(support::gen_binary())
            .args([
                "--dialect",
                dialect,
                "--scale",
                SCALE,
                "--seed",
                SEED,
                "--quiet",
            ])
            .args(extra)
            .arg("--out")
            .arg(&dump));
        let sidecar = dir.join(format!("{dialect}.sql.expect.json"));
        let expect: Value =
            serde_json::from_slice(&std::fs::read(&sidecar).expect("sidecar written"))
                .expect("sidecar is JSON");
        assert_eq!(
            expect["bytes"].as_u64(),
            Some(std::fs::metadata(&dump).unwrap().len()),
            "sidecar byte count"
        );
        Generated { dump, expect }
    }

    fn since(&self) -> &str {
        self.expect["since"].as_str().expect("since")
    }

    fn count(&self, what: &str, table: &str) -> Option<u64> {
        self.expect[what][table].as_u64()
    }
}

/// Per-table fingerprint of the data: row count and a sum of per-row md5 prefixes over a
/// canonical text of each row, computed the same way in both databases.
type Fingerprints = BTreeMap<String, (u64, String)>;

// ---------------------------------------------------------------------------------------------
// PostgreSQL

fn pg_bin_dir() -> PathBuf {
    let mut dirs: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("initdb").is_file())
        .collect();
    dirs.sort();
    dirs.pop()
        .map(|(_, bin)| bin)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/postgresql/NONE/bin"))
}

/// A throwaway PostgreSQL cluster listening on a unix socket in a temporary directory.
struct PgServer {
    bin: PathBuf,
    dir: tempfile::TempDir,
    /// Run the server binaries as the `postgres` OS user (we are root).
    as_postgres: bool,
}

impl PgServer {
    fn start(bin: &Path) -> PgServer {
        let dir = tempfile::Builder::new()
            .prefix("dbsalvage-pg")
            .tempdir()
            .expect("temp dir");
        let as_postgres = is_root();
        if as_postgres {
            run(Command::new("chown").arg("postgres:").arg(dir.path()));
        }
        let server = PgServer {
            bin: bin.to_path_buf(),
            dir,
            as_postgres,
        };
        let data = server.data_dir();
        run(server
            .server_cmd("initdb")
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ])
            .arg("-D")
            .arg(&data)
            .stdout(Stdio::null()));
        let options = format!(
            "-k {} -c listen_addresses='' -c fsync=off -c timezone=UTC",
            server.dir.path().display()
        );
        run(server
            .server_cmd("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-o", &options, "-l"])
            .arg(server.dir.path().join("server.log"))
            .args(["-w", "-t", "60", "start"])
            .stdout(Stdio::null()));
        server
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn server_cmd(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(path);
            cmd
        } else {
            Command::new(path)
        }
    }

    /// A client command (`psql`, `pg_dump`) connected to database `db`.
    fn client(&self, program: &str, db: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(program));
        cmd.arg("-h")
            .arg(self.dir.path())
            .args(["-U", "postgres", "-d", db])
            .env("PGTZ", "UTC");
        if program == "psql" {
            cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1"]);
        }
        cmd
    }

    /// Runs one query, returning its unaligned output.
    fn query(&self, db: &str, sql: &str) -> String {
        stdout_text(&run(self.client("psql", db).args(["-A", "-t", "-c", sql])))
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let _ = self
            .server_cmd("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Computes the selection a correct extraction makes, in SQL: roots, then rows referencing
/// selected rows (to a fixpoint), then rows referenced by selected rows (to a fixpoint), with the
/// foreign keys read from the catalog.
fn pg_selection_sql(g: &Generated) -> String {
    let since = g.since();
    let mut sql =
        String::from("CREATE TEMP TABLE sel (tbl regclass, id bigint, PRIMARY KEY (tbl, id));\n");
    for (table, column) in g.expect["created_columns"].as_object().unwrap() {
        sql += &format!(
            "INSERT INTO sel SELECT '{table}'::regclass, id FROM {table} WHERE {} > '{since}';\n",
            column.as_str().unwrap()
        );
    }
    sql += r#"
DO $$
DECLARE fk record; added bigint; n bigint; phase int;
BEGIN
  FOR phase IN 1..2 LOOP
    LOOP
      added := 0;
      FOR fk IN SELECT c.conrelid::regclass AS child, c.confrelid::regclass AS parent,
                       a.attname AS col
                FROM pg_constraint c
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                WHERE c.contype = 'f' LOOP
        IF phase = 1 THEN
          EXECUTE format('INSERT INTO sel SELECT %L::regclass, c.id FROM %s c JOIN sel s '
                         'ON s.tbl = %L::regclass AND s.id = c.%I ON CONFLICT DO NOTHING',
                         fk.child, fk.child, fk.parent, fk.col);
        ELSE
          EXECUTE format('INSERT INTO sel SELECT %L::regclass, c.%I FROM %s c JOIN sel s '
                         'ON s.tbl = %L::regclass AND s.id = c.id WHERE c.%I IS NOT NULL '
                         'ON CONFLICT DO NOTHING',
                         fk.parent, fk.col, fk.child, fk.child, fk.col);
        END IF;
        GET DIAGNOSTICS n = ROW_COUNT;
        added := added + n;
      END LOOP;
      EXIT WHEN added = 0;
    END LOOP;
  END LOOP;
END
$$;
SELECT tbl::text || ' ' || count(*) FROM sel GROUP BY tbl ORDER BY 1;
"#;
    sql
}

/// pg_dump output with what legitimately differs removed: the `\restrict` key lines, the version
/// comments, and the order of rows inside COPY blocks (the heap order after a reload).
fn normalize_pg_dump(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut block: Option<Vec<Vec<u8>>> = None;
    for line in bytes.split(|&b| b == b'\n') {
        if let Some(rows) = block.as_mut() {
            if line == b"\\." {
                let mut rows = block.take().unwrap();
                rows.sort();
                out.extend(rows);
                out.push(line.to_vec());
            } else {
                rows.push(line.to_vec());
            }
            continue;
        }
        if line.starts_with(b"\\restrict ")
            || line.starts_with(b"\\unrestrict ")
            || line.starts_with(b"-- Dumped from")
            || line.starts_with(b"-- Dumped by")
        {
            continue;
        }
        out.push(line.to_vec());
        if line.starts_with(b"COPY ") && line.ends_with(b" FROM stdin;") {
            block = Some(Vec::new());
        }
    }
    out
}

fn assert_same_lines(what: &str, ours: &[Vec<u8>], theirs: &[Vec<u8>]) {
    if let Some(i) = (0..ours.len().max(theirs.len())).find(|&i| ours.get(i) != theirs.get(i)) {
        let show = |l: Option<&Vec<u8>>| {
            l.map(|l| String::from_utf8_lossy(&l[..l.len().min(300)]).into_owned())
                .unwrap_or_else(|| "<end of file>".into())
        };
        panic!(
            "{what}: line {} differs\n  generated: {}\n  re-dumped: {}",
            i + 1,
            show(ours.get(i)),
            show(theirs.get(i))
        );
    }
}

fn postgres_part(work: &Path) -> Option<Fingerprints> {
    let bin = pg_bin_dir();
    if !support::server_available("PostgreSQL", &bin.join("initdb")) {
        return None;
    }
    let server = PgServer::start(&bin);
    server.query("postgres", "CREATE DATABASE blog");

    // psql older than the August 2025 minor releases rejects pg_dump's new \restrict lines.
    let restrict_ok = server
        .client("psql", "blog")
        .args(["-c", "\\restrict k", "-c", "\\unrestrict k"])
        .output()
        .is_ok_and(|o| o.status.success());
    let extra: &[&str] = if restrict_ok { &[] } else { &["--no-restrict"] };
    let g = Generated::new("postgres", work, extra);

    let started = Instant::now();
    run(server.client("psql", "blog").arg("-f").arg(&g.dump));
    eprintln!(
        "psql loaded {} in {:.1}s",
        g.dump.display(),
        started.elapsed().as_secs_f64()
    );

    // Row counts and roots, table by table.
    for table in TABLES {
        let rows: u64 = server
            .query("blog", &format!("SELECT count(*) FROM {table}"))
            .parse()
            .unwrap();
        assert_eq!(Some(rows), g.count("rows", table), "rows of {table}");
    }
    for (table, column) in g.expect["created_columns"].as_object().unwrap() {
        let roots: u64 = server
            .query(
                "blog",
                &format!(
                    "SELECT count(*) FROM {table} WHERE {} > '{}'",
                    column.as_str().unwrap(),
                    g.since()
                ),
            )
            .parse()
            .unwrap();
        assert_eq!(Some(roots), g.count("roots", table), "roots of {table}");
    }

    // No row references a row created after it (the generator's time model).
    for (check, sql) in [
        (
            "post before its author",
            "SELECT count(*) FROM blog_post p JOIN auth_user u ON u.id = p.author_id \
             WHERE u.date_joined > p.created",
        ),
        (
            "comment before its post, parent or author",
            "SELECT count(*) FROM blog_comment c JOIN blog_post p ON p.id = c.post_id \
             JOIN auth_user u ON u.id = c.author_id \
             LEFT JOIN blog_comment q ON q.id = c.parent_id \
             WHERE p.created > c.created_at OR u.date_joined > c.created_at \
             OR q.created_at > c.created_at OR (q.id IS NOT NULL AND q.post_id <> c.post_id)",
        ),
        (
            "blob before its post",
            "SELECT count(*) FROM media_blob b JOIN blog_post p ON p.id = b.post_id \
             WHERE p.created > b.created",
        ),
    ] {
        assert_eq!(server.query("blog", sql), "0", "{check}");
    }

    // The selection, computed by SQL, matches the sidecar.
    let script = work.join("selection.sql");
    std::fs::write(&script, pg_selection_sql(&g)).unwrap();
    let out = stdout_text(&run(server
        .client("psql", "blog")
        .args(["-A", "-t", "-f"])
        .arg(&script)));
    let mut selected = BTreeMap::new();
    for line in out.lines().filter(|l| !l.trim().is_empty()) {
        let (table, n) = line.rsplit_once(' ').expect("table count");
        selected.insert(table.to_string(), n.parse::<u64>().unwrap());
    }
    for table in TABLES {
        assert_eq!(
            selected.get(table).copied().or(Some(0)),
            g.count("selected", table),
            "selected rows of {table}"
        );
    }

    // pg_dump writes the same file again (when it is the pg_dump 15 we imitate).
    let version = stdout_text(&run(Command::new(bin.join("pg_dump")).arg("--version")));
    if version.starts_with("pg_dump (PostgreSQL) 15.") {
        let redump = run(&mut server.client("pg_dump", "blog")).stdout;
        let ours = std::fs::read(&g.dump).unwrap();
        assert_same_lines(
            "pg_dump of the loaded database",
            &normalize_pg_dump(&ours),
            &normalize_pg_dump(&redump),
        );
    } else {
        eprintln!("not comparing with pg_dump output: {version} is not pg_dump 15");
    }

    Some(fingerprints(|sql| server.query("blog", sql), false))
}

// ---------------------------------------------------------------------------------------------
// MariaDB

/// A throwaway MariaDB server on a unix socket in a temporary directory (no networking).
struct MariaServer {
    dir: tempfile::TempDir,
    child: Child,
    admin: Option<PathBuf>,
}

impl MariaServer {
    fn start(mariadbd: &Path) -> MariaServer {
        let dir = tempfile::Builder::new()
            .prefix("dbsalvage-my")
            .tempdir()
            .expect("temp dir");
        let root = is_root();
        let install = find_program("mariadb-install-db").expect("mariadb-install-db");
        let mut cmd = Command::new(install);
        cmd.arg("--no-defaults")
            .arg(format!("--datadir={}", dir.path().join("db").display()))
            .args(["--auth-root-authentication-method=normal", "--skip-test-db"])
            .stdout(Stdio::null());
        if root {
            cmd.arg("--user=root");
        }
        run(&mut cmd);
        let mut cmd = Command::new(mariadbd);
        cmd.arg("--no-defaults")
            .arg(format!("--datadir={}", dir.path().join("db").display()))
            .arg(format!("--socket={}", dir.path().join("sock").display()))
            .arg(format!("--pid-file={}", dir.path().join("pid").display()))
            .arg(format!(
                "--log-error={}",
                dir.path().join("error.log").display()
            ))
            .args(["--skip-networking", "--innodb-flush-log-at-trx-commit=0"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if root {
            cmd.arg("--user=root");
        }
        let child = cmd.spawn().expect("mariadbd starts");
        let mut server = MariaServer {
            dir,
            child,
            admin: find_program("mariadb-admin"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                let log = std::fs::read(server.dir.path().join("error.log")).unwrap_or_default();
                panic!("mariadbd exited ({status}):\n{}", tail(&log));
            }
            let ready = server.dir.path().join("sock").exists()
                && server
                    .client()
                    .args(["-e", "SELECT 1"])
                    .output()
                    .is_ok_and(|o| o.status.success());
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "mariadbd did not start in 60 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("sock")
    }

    fn client(&self) -> Command {
        let mut cmd = Command::new(find_program("mariadb").expect("mariadb client"));
        cmd.arg("--no-defaults")
            .arg(format!("--socket={}", self.socket().display()))
            .args(["-uroot", "--default-character-set=utf8mb4"]);
        cmd
    }

    fn query(&self, db: &str, sql: &str) -> String {
        stdout_text(&run(self.client().args(["-N", "-B", db, "-e", sql])))
    }
}

impl Drop for MariaServer {
    fn drop(&mut self) {
        if let Some(admin) = &self.admin {
            let _ = Command::new(admin)
                .arg("--no-defaults")
                .arg(format!("--socket={}", self.socket().display()))
                .args(["-uroot", "shutdown"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// mariadb-dump output without the lines that name versions and the dump time.
fn normalize_mariadb_dump(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| {
            !(l.starts_with(b"/*M!999999")
                || l.starts_with(b"/*!999999")
                || l.starts_with(b"-- MariaDB dump")
                || l.starts_with(b"-- Server version")
                || l.starts_with(b"-- Dump completed"))
        })
        .map(<[u8]>::to_vec)
        .collect()
}

fn mysql_part(work: &Path) -> Option<Fingerprints> {
    let mariadbd = find_program("mariadbd").unwrap_or_else(|| PathBuf::from("/usr/sbin/mariadbd"));
    if !support::server_available("MariaDB", &mariadbd) {
        return None;
    }
    let g = Generated::new("mysql", work, &[]);
    let server = MariaServer::start(&mariadbd);
    server.query(
        "mysql",
        "CREATE DATABASE blog CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
    );
    let started = Instant::now();
    let dump = std::fs::File::open(&g.dump).unwrap();
    run(server.client().arg("blog").stdin(dump));
    eprintln!(
        "mariadb loaded {} in {:.1}s",
        g.dump.display(),
        started.elapsed().as_secs_f64()
    );

    for table in TABLES {
        let rows: u64 = server
            .query("blog", &format!("SELECT count(*) FROM {table}"))
            .parse()
            .unwrap();
        assert_eq!(Some(rows), g.count("rows", table), "rows of {table}");
    }
    // DATETIME has no zone; the generator writes UTC.
    let since = g.since().replace('T', " ").replace('Z', "");
    for (table, column) in g.expect["created_columns"].as_object().unwrap() {
        let roots: u64 = server
            .query(
                "blog",
                &format!(
                    "SELECT count(*) FROM {table} WHERE {} > '{since}'",
                    column.as_str().unwrap()
                ),
            )
            .parse()
            .unwrap();
        assert_eq!(Some(roots), g.count("roots", table), "roots of {table}");
    }

    // mariadb-dump writes the same file again (when it is the 10.11 we imitate).
    let version = server.query("blog", "SELECT version()");
    if version.starts_with("10.11.") {
        let dump_tool = find_program("mariadb-dump").expect("mariadb-dump");
        let redump = run(Command::new(dump_tool)
            .arg("--no-defaults")
            .arg(format!("--socket={}", server.socket().display()))
            .args(["-uroot", "blog"]))
        .stdout;
        let ours = std::fs::read(&g.dump).unwrap();
        assert_same_lines(
            "mariadb-dump of the loaded database",
            &normalize_mariadb_dump(&ours),
            &normalize_mariadb_dump(&redump),
        );
    } else {
        eprintln!("not comparing with mariadb-dump output: server {version} is not 10.11");
    }

    Some(fingerprints(|sql| server.query("blog", sql), true))
}

// ---------------------------------------------------------------------------------------------
// Both

/// Row count and sum of the first 32 bits of md5(canonical row text), per table.
fn fingerprints(query: impl Fn(&str) -> String, mysql: bool) -> Fingerprints {
    let ts = |col: &str| {
        if mysql {
            format!("date_format({col}, '%Y-%m-%d %H:%i:%s.%f')")
        } else {
            format!("to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')")
        }
    };
    let rows: [(&str, String); 6] = [
        (
            "auth_user",
            format!(
                "id, username, email, {}, {}",
                ts("date_joined"),
                if mysql { "is_active" } else { "is_active::int" }
            ),
        ),
        (
            "blog_comment",
            format!(
                "id, post_id, parent_id, author_id, body, {}",
                ts("created_at")
            ),
        ),
        (
            "blog_post",
            format!(
                "id, author_id, title, body, {}, {}",
                if mysql { "meta" } else { "meta::text" },
                ts("created")
            ),
        ),
        ("blog_post_tags", "id, post_id, tag_id".into()),
        ("blog_tag", "id, name".into()),
        (
            "media_blob",
            format!(
                "id, post_id, {}, {}",
                if mysql {
                    "lower(hex(data))"
                } else {
                    "encode(data, 'hex')"
                },
                ts("created")
            ),
        ),
    ];
    let mut out = Fingerprints::new();
    for (table, cols) in rows {
        let h = format!("md5(concat_ws('|', {cols}))");
        let part = if mysql {
            format!("cast(conv(substr({h}, 1, 8), 16, 10) AS UNSIGNED)")
        } else {
            format!("('x' || substr({h}, 1, 8))::bit(32)::bigint")
        };
        let result = query(&format!(
            "SELECT count(*), coalesce(sum({part}), 0) FROM {table}"
        ));
        let (n, sum) = result
            .split_once(['|', '\t'])
            .unwrap_or_else(|| panic!("fingerprint of {table}: {result}"));
        // MariaDB prints a DECIMAL sum, PostgreSQL a numeric: compare the integer text.
        let sum = sum.trim().trim_end_matches(".0").to_string();
        out.insert(table.to_string(), (n.trim().parse().unwrap(), sum));
    }
    out
}

#[test]
fn generated_dumps_load_into_real_servers_and_match_their_sidecars() {
    let work = tempfile::tempdir().expect("temp dir");
    let pg_dir = work.path().join("pg");
    let my_dir = work.path().join("my");
    std::fs::create_dir_all(&pg_dir).unwrap();
    std::fs::create_dir_all(&my_dir).unwrap();
    support::gen_binary();
    let (pg, my) = std::thread::scope(|s| {
        let pg = s.spawn(|| postgres_part(&pg_dir));
        let my = s.spawn(|| mysql_part(&my_dir));
        (
            pg.join().expect("PostgreSQL part"),
            my.join().expect("MariaDB part"),
        )
    });
    // Same seed and scale: both dumps hold the very same data, escaped two different ways.
    if let (Some(pg), Some(my)) = (pg, my) {
        assert_eq!(pg, my, "per-table fingerprints, PostgreSQL vs MariaDB");
    }
}

#[test]
fn generator_is_deterministic_and_streams_to_stdout() {
    let dir = tempfile::tempdir().expect("temp dir");
    for dialect in ["postgres", "mysql"] {
        let file = dir.path().join(format!("{dialect}.sql"));
        let args = [
            "--dialect",
            dialect,
            "--scale",
            "0.05",
            "--seed",
            "9",
            "--quiet",
        ];
        run(Command::new(support::gen_binary())
            .args(args)
            .arg("--out")
            .arg(&file));
        let piped = run(Command::new(support::gen_binary())
            .args(args)
            .args(["--out", "-"]))
        .stdout;
        assert_eq!(
            piped,
            std::fs::read(&file).unwrap(),
            "{dialect}: same bytes twice"
        );
        let other = run(Command::new(support::gen_binary())
            .args([
                "--dialect",
                dialect,
                "--scale",
                "0.05",
                "--seed",
                "10",
                "--quiet",
            ])
            .args(["--out", "-"]))
        .stdout;
        assert_ne!(piped, other, "{dialect}: the seed matters");
    }
}
