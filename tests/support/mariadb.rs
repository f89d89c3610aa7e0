//! Throwaway MariaDB servers for tests (mariadb-install-db + mariadbd in a temp dir).
//!
//! Each [`MariaDb`] is a private server: its own data directory and unix socket in a fresh
//! directory under `/tmp` (short path: a socket path must stay under ~100 bytes), no TCP. Dropping
//! it shuts the server down and deletes the directory, also when the test panicked. Every helper
//! runs the real command-line clients (`mariadb`, `mariadb-dump`) the way a user would, with
//! `--no-defaults` so no option file of the machine changes what happens.
//!
//! [`MariaDb::table_contents`] reads every base table of a database as raw bytes (`HEX(CAST(col AS
//! BINARY))`), so BLOB, BIT, GEOMETRY, JSON, text and dates compare byte for byte;
//! [`diff_contents`] turns two snapshots into a readable report (table, missing and extra rows).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to answer its first ping.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a server may take to exit after `mariadb-admin shutdown`.
const STOP_TIMEOUT: Duration = Duration::from_secs(20);

/// Where mariadbd is looked for (Debian/Ubuntu put it in /usr/sbin).
const SERVER_CANDIDATES: &[&str] = &[
    "/usr/sbin/mariadbd",
    "/usr/local/sbin/mariadbd",
    "/usr/bin/mariadbd",
    "/usr/local/bin/mariadbd",
    "/opt/homebrew/bin/mariadbd",
];

/// The mariadbd binary (the first candidate that exists, else the Debian path).
pub fn server_binary() -> PathBuf {
    SERVER_CANDIDATES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(SERVER_CANDIDATES[0]))
}

/// Can MariaDB tests run here? Skips (with a message) on a developer machine without MariaDB,
/// panics in CI: see [`super::server_available`].
pub fn available() -> bool {
    super::server_available("MariaDB (mariadbd)", &server_binary())
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn last_lines(path: &Path, n: usize) -> String {
    let text = std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_else(|e| format!("(cannot read {}: {e})", path.display()));
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn describe(what: &str, out: &Output) -> String {
    format!(
        "{what}: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        excerpt(&out.stdout, 2000),
        excerpt(&out.stderr, 4000)
    )
}

/// At most `max` bytes of `bytes` as (lossy) text, cut at a character boundary.
pub fn excerpt(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.len() <= max {
        return text.into_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], bytes.len())
}

/// `` `name` `` with backticks doubled.
pub fn quote_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// A database name the helpers accept: plain lower-case ASCII, so it can go into SQL and file
/// names unquoted.
fn check_db_name(db: &str) {
    assert!(
        !db.is_empty()
            && db
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        "test database names are [a-z0-9_]+, not {db:?}"
    );
}

/// A private MariaDB server, stopped and deleted on drop.
pub struct MariaDb {
    child: Option<Child>,
    socket: PathBuf,
    log: PathBuf,
    // Last field: removed after the server has stopped (fields drop after `Drop::drop`).
    dir: tempfile::TempDir,
}

impl MariaDb {
    /// Installs and starts a server with the default options (see [`MariaDb::start_with`]).
    pub fn start() -> MariaDb {
        MariaDb::start_with(&[])
    }

    /// Installs a fresh data directory and starts a server on it, small and fast: 64 MiB buffer
    /// pool, small redo log, no flush per commit, utf8mb4 server charset, no networking.
    /// `server_args` are appended to the mariadbd command line (e.g. `--default-time-zone=+02:00`).
    ///
    /// # Panics
    /// When the install or the start fails (the message carries the server log's tail).
    pub fn start_with(server_args: &[&str]) -> MariaDb {
        let base = if Path::new("/tmp").is_dir() {
            PathBuf::from("/tmp")
        } else {
            std::env::temp_dir()
        };
        let dir = tempfile::Builder::new()
            .prefix("dbs-mdb.")
            .tempdir_in(&base)
            .expect("create a temp dir for MariaDB");
        let datadir = dir.path().join("db");
        let socket = dir.path().join("sock");
        let log = dir.path().join("mariadbd.log");
        assert!(
            socket.as_os_str().len() < 100,
            "socket path too long for a unix socket: {}",
            socket.display()
        );
        let user: &[&str] = if running_as_root() {
            &["--user=root"]
        } else {
            &[]
        };
        // Temporary tables in a private directory: bootstraps running side by side in a shared
        // /tmp were seen to lose each other's `#sql-temptable-*` files.
        let tmpdir = dir.path().join("tmp");
        std::fs::create_dir(&tmpdir).expect("create the server's tmpdir");
        // Options both the bootstrap and the server must agree on (redo log size).
        let common = [
            format!("--tmpdir={}", tmpdir.display()),
            "--innodb-log-file-size=16M".into(),
            "--innodb-buffer-pool-size=64M".into(),
        ];

        let install = Command::new("mariadb-install-db")
            .arg("--no-defaults")
            .arg(format!("--datadir={}", datadir.display()))
            .args([
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve",
            ])
            .args(user)
            .args(&common)
            .stdin(Stdio::null())
            .output()
            .expect("run mariadb-install-db (is MariaDB installed and on PATH?)");
        assert!(
            install.status.success(),
            "{}",
            describe("mariadb-install-db failed", &install)
        );

        let child = Command::new(server_binary())
            .arg("--no-defaults")
            .arg(format!("--datadir={}", datadir.display()))
            .arg(format!("--socket={}", socket.display()))
            .arg(format!(
                "--pid-file={}",
                dir.path().join("mariadbd.pid").display()
            ))
            .arg(format!("--log-error={}", log.display()))
            .args(user)
            .args(common)
            .args([
                "--skip-networking",
                "--skip-name-resolve",
                "--innodb-flush-log-at-trx-commit=0",
                "--innodb-doublewrite=0",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci",
                "--skip-log-bin",
            ])
            .args(server_args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn mariadbd");
        // From here on, Drop cleans up whatever happens.
        let mut server = MariaDb {
            child: Some(child),
            socket,
            log,
            dir,
        };
        server.wait_until_ready();
        server
    }

    fn wait_until_ready(&mut self) {
        let started = Instant::now();
        loop {
            let ping = self
                .admin()
                .arg("ping")
                .output()
                .expect("run mariadb-admin");
            if ping.status.success() {
                return;
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                self.child = None;
                panic!(
                    "mariadbd exited during start-up ({status}); log tail:\n{}",
                    last_lines(&self.log, 30)
                );
            }
            if started.elapsed() > START_TIMEOUT {
                panic!(
                    "mariadbd did not answer a ping within {START_TIMEOUT:?}; last ping: {}\nlog tail:\n{}",
                    String::from_utf8_lossy(&ping.stderr).trim(),
                    last_lines(&self.log, 30)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The server's unix socket.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// The server's data/temp directory (also a good place for test files).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn admin(&self) -> Command {
        let mut c = Command::new("mariadb-admin");
        c.arg("--no-defaults")
            .arg(format!("--socket={}", self.socket.display()))
            .arg("-uroot")
            .stdin(Stdio::null());
        c
    }

    /// `mariadb --no-defaults --socket=… -uroot`, nothing else: exactly what a user types.
    pub fn client(&self) -> Command {
        let mut c = Command::new("mariadb");
        c.arg("--no-defaults")
            .arg(format!("--socket={}", self.socket.display()))
            .arg("-uroot");
        c
    }

    /// Runs `sql` (one or more statements) in `db` (`""`: none) over a utf8mb4 connection and
    /// returns the raw output (`-N -B`: tab-separated, no header).
    ///
    /// # Panics
    /// When the client fails; the message shows the SQL and the server error.
    pub fn sql(&self, db: &str, sql: &str) -> String {
        let out = self.try_sql(db, sql);
        assert!(
            out.status.success(),
            "{}\n--- sql ---\n{}",
            describe(&format!("SQL failed in database {db:?}"), &out),
            excerpt(sql.as_bytes(), 4000)
        );
        String::from_utf8(out.stdout).expect("query output is UTF-8")
    }

    /// Like [`MariaDb::sql`] but returns the output, failed or not.
    pub fn try_sql(&self, db: &str, sql: &str) -> Output {
        let mut c = self.client();
        c.args(["--default-character-set=utf8mb4", "-N", "-B", "-e", sql]);
        if !db.is_empty() {
            c.arg(db);
        }
        c.stdin(Stdio::null()).output().expect("run mariadb")
    }

    /// Feeds `script` to `mariadb [db]` on stdin over a utf8mb4 connection (fixture loading:
    /// DELIMITER and other client commands work).
    ///
    /// # Panics
    /// When the client fails.
    pub fn run_script(&self, db: &str, script: &[u8]) {
        let mut c = self.client();
        c.arg("--default-character-set=utf8mb4");
        if !db.is_empty() {
            c.arg(db);
        }
        let out = feed(c, script);
        assert!(
            out.status.success(),
            "{}",
            describe(&format!("script failed in database {db:?}"), &out)
        );
    }

    /// Applies a SQL file exactly the way users do: `mariadb --no-defaults --socket=… -uroot DB <
    /// file` (no charset or mode options). Returns the output so callers can check failure too.
    pub fn apply_file(&self, db: &str, path: &Path) -> Output {
        check_db_name(db);
        let file =
            std::fs::File::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
        self.client()
            .arg(db)
            .stdin(file)
            .output()
            .expect("run mariadb")
    }

    /// `CREATE DATABASE db` (utf8mb4).
    pub fn create_db(&self, db: &str) {
        check_db_name(db);
        self.sql(
            "",
            &format!("CREATE DATABASE `{db}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"),
        );
    }

    /// `DROP DATABASE IF EXISTS db`.
    pub fn drop_db(&self, db: &str) {
        check_db_name(db);
        self.sql("", &format!("DROP DATABASE IF EXISTS `{db}`"));
    }

    /// `mariadb-dump --no-defaults --socket=… -uroot [extra_args] db` → the dump's bytes.
    /// `extra_args` may contain `--databases`, which must then come right before `db`.
    ///
    /// # Panics
    /// When mariadb-dump fails.
    pub fn dump(&self, db: &str, extra_args: &[&str]) -> Vec<u8> {
        check_db_name(db);
        let out = Command::new("mariadb-dump")
            .arg("--no-defaults")
            .arg(format!("--socket={}", self.socket.display()))
            .arg("-uroot")
            .args(extra_args)
            .arg(db)
            .stdin(Stdio::null())
            .output()
            .expect("run mariadb-dump");
        assert!(
            out.status.success(),
            "{}",
            describe(&format!("mariadb-dump {extra_args:?} {db} failed"), &out)
        );
        out.stdout
    }

    /// Creates `db` (dropping an old one) and loads `dump` into it with `mariadb db < dump`.
    pub fn restore(&self, db: &str, dump: &[u8]) {
        self.drop_db(db);
        self.create_db(db);
        let mut c = self.client();
        c.arg(db);
        let out = feed(c, dump);
        assert!(
            out.status.success(),
            "{}",
            describe(&format!("restoring a dump into {db} failed"), &out)
        );
    }

    /// `SET GLOBAL var = value` (`value` is SQL: quote strings yourself). New connections see
    /// it.
    pub fn set_global(&self, var: &str, value: &str) {
        self.sql("", &format!("SET GLOBAL {var} = {value}"));
    }

    /// A global variable's value.
    pub fn global(&self, var: &str) -> String {
        self.sql("", &format!("SELECT @@GLOBAL.{var}"))
            .trim_end_matches('\n')
            .to_string()
    }

    /// The triggers of `db`, one line each (name, event, table, timing, body), sorted by name.
    pub fn triggers(&self, db: &str) -> Vec<String> {
        check_db_name(db);
        self.sql(
            "",
            &format!(
                "SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_TIMING, \
                 ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '{db}' \
                 ORDER BY TRIGGER_NAME"
            ),
        )
        .lines()
        .map(str::to_string)
        .collect()
    }

    /// Every base table of `db` (views excluded) with all its rows as raw bytes, rows sorted.
    pub fn table_contents(&self, db: &str) -> Contents {
        check_db_name(db);
        let unhex_row = |line: &str| -> Vec<String> {
            line.split('\t')
                .map(|h| String::from_utf8(unhex(h)).expect("identifier is UTF-8"))
                .collect()
        };
        let mut tables: BTreeMap<String, TableContents> = BTreeMap::new();
        let columns = self.sql(
            "",
            &format!(
                "SELECT HEX(c.TABLE_NAME), HEX(c.COLUMN_NAME) FROM information_schema.COLUMNS c \
                 JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA \
                 AND t.TABLE_NAME = c.TABLE_NAME \
                 WHERE c.TABLE_SCHEMA = '{db}' AND t.TABLE_TYPE = 'BASE TABLE' \
                 ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION"
            ),
        );
        for line in columns.lines() {
            let f = unhex_row(line);
            tables
                .entry(f[0].clone())
                .or_default()
                .columns
                .push(f[1].clone());
        }
        let keys = self.sql(
            "",
            &format!(
                "SELECT HEX(TABLE_NAME), HEX(COLUMN_NAME) FROM information_schema.KEY_COLUMN_USAGE \
                 WHERE TABLE_SCHEMA = '{db}' AND CONSTRAINT_NAME = 'PRIMARY' \
                 ORDER BY TABLE_NAME, ORDINAL_POSITION"
            ),
        );
        for line in keys.lines() {
            let f = unhex_row(line);
            if let Some(t) = tables.get_mut(&f[0]) {
                let c = t
                    .columns
                    .iter()
                    .position(|c| *c == f[1])
                    .expect("PK column");
                t.primary_key.push(c);
            }
        }
        if tables.is_empty() {
            return Contents(tables);
        }
        // One script, one SELECT per table; the first field of each row is the table's index.
        let names: Vec<String> = tables.keys().cloned().collect();
        let mut script = String::new();
        for (i, name) in names.iter().enumerate() {
            let cells: Vec<String> = tables[name]
                .columns
                .iter()
                .map(|c| format!("IFNULL(HEX(CAST({} AS BINARY)), 'N')", quote_ident(c)))
                .collect();
            writeln!(
                script,
                "SELECT {i}, {} FROM `{db}`.{};",
                cells.join(", "),
                quote_ident(name)
            )
            .unwrap();
        }
        for line in self.sql("", &script).lines() {
            let mut fields = line.split('\t');
            let i: usize = fields.next().unwrap().parse().expect("table index");
            let row: Row = fields
                .map(|f| if f == "N" { None } else { Some(unhex(f)) })
                .collect();
            tables.get_mut(&names[i]).unwrap().rows.push(row);
        }
        for t in tables.values_mut() {
            t.rows.sort();
        }
        Contents(tables)
    }
}

impl Drop for MariaDb {
    fn drop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // The data is thrown away: skip flushing the buffer pool (seconds after Sakila).
        let _ = self.try_sql("", "SET GLOBAL innodb_fast_shutdown = 2");
        let asked = self
            .admin()
            .arg("shutdown")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        let deadline = Instant::now() + if asked { STOP_TIMEOUT } else { Duration::ZERO };
        loop {
            match child.try_wait() {
                Ok(Some(_)) => return,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                _ => {
                    eprintln!(
                        "mariadbd (pid {}) did not stop cleanly: killing it",
                        child.id()
                    );
                    let _ = child.kill();
                    let _ = child.wait();
                    return;
                }
            }
        }
    }
}

fn feed(mut command: Command, input: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn client");
    let mut stdin = child.stdin.take().unwrap();
    // Write from a thread: the client may fill its stdout/stderr pipes before reading all input.
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // A client that stops early (error) closes stdin: its exit status tells the story.
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for client");
    writer.join().unwrap();
    out
}

fn unhex(hex: &str) -> Vec<u8> {
    let digit = |b: u8| match b {
        b'0'..=b'9' => b - b'0',
        b'A'..=b'F' => b - b'A' + 10,
        b'a'..=b'f' => b - b'a' + 10,
        _ => panic!("not a hex digit in {hex:?}"),
    };
    assert!(hex.len() % 2 == 0, "odd hex length: {hex:?}");
    hex.as_bytes()
        .chunks(2)
        .map(|p| digit(p[0]) << 4 | digit(p[1]))
        .collect()
}

/// One row: each cell's raw bytes, `None` for NULL.
pub type Row = Vec<Option<Vec<u8>>>;

/// The rows of one table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableContents {
    /// Column names in table order.
    pub columns: Vec<String>,
    /// Indexes of the primary key's columns (empty: no primary key).
    pub primary_key: Vec<usize>,
    /// All rows, sorted.
    pub rows: Vec<Row>,
}

impl TableContents {
    /// `(col=value, …)` for messages.
    pub fn render_row(&self, row: &Row) -> String {
        let cells: Vec<String> = self
            .columns
            .iter()
            .zip(row)
            .map(|(c, v)| format!("{c}={}", render_cell(v.as_deref())))
            .collect();
        format!("({})", cells.join(", "))
    }

    /// The primary key's values of `row` as text (lossy UTF-8), joined by `|`.
    pub fn key_text(&self, row: &Row) -> Option<String> {
        if self.primary_key.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .primary_key
            .iter()
            .map(|&c| match &row[c] {
                Some(v) => String::from_utf8_lossy(v).into_owned(),
                None => "NULL".into(),
            })
            .collect();
        Some(parts.join("|"))
    }

    /// Rows of `self` that `other` lacks (multiset difference), in order.
    pub fn rows_not_in<'a>(&'a self, other: &TableContents) -> Vec<&'a Row> {
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < self.rows.len() {
            match other.rows.get(j) {
                Some(o) if *o < self.rows[i] => j += 1,
                Some(o) if *o == self.rows[i] => {
                    i += 1;
                    j += 1;
                }
                _ => {
                    out.push(&self.rows[i]);
                    i += 1;
                }
            }
        }
        out
    }
}

/// A cell for humans: NULL, a quoted string when it is printable UTF-8, else `0x…` hex.
pub fn render_cell(v: Option<&[u8]>) -> String {
    let Some(bytes) = v else {
        return "NULL".into();
    };
    match std::str::from_utf8(bytes) {
        Ok(s) if !s.chars().any(char::is_control) && s.len() <= 200 => format!("'{s}'"),
        Ok(s) if s.len() <= 200 => format!("{s:?}"),
        _ => {
            let shown = bytes.len().min(64);
            let mut h: String = bytes[..shown].iter().map(|b| format!("{b:02X}")).collect();
            if shown < bytes.len() {
                write!(h, "…({} bytes)", bytes.len()).unwrap();
            }
            format!("0x{h}")
        }
    }
}

/// All base tables of a database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contents(pub BTreeMap<String, TableContents>);

impl Contents {
    /// Total number of rows.
    pub fn row_count(&self) -> usize {
        self.0.values().map(|t| t.rows.len()).sum()
    }
}

/// `None` when `actual` equals `expected`; else a report: tables missing or extra, column lists
/// that differ, and per table the rows missing from `actual` and the extra ones (at most
/// `MAX_SHOWN` of each).
pub fn diff_contents(expected: &Contents, actual: &Contents) -> Option<String> {
    const MAX_SHOWN: usize = 15;
    if expected == actual {
        return None;
    }
    let mut out = String::new();
    let names: BTreeSet<&String> = expected.0.keys().chain(actual.0.keys()).collect();
    for name in names {
        let (e, a) = match (expected.0.get(name), actual.0.get(name)) {
            (Some(e), Some(a)) => (e, a),
            (Some(_), None) => {
                writeln!(out, "table {name}: missing").unwrap();
                continue;
            }
            (None, Some(_)) => {
                writeln!(out, "table {name}: unexpected table").unwrap();
                continue;
            }
            (None, None) => unreachable!(),
        };
        if e == a {
            continue;
        }
        if e.columns != a.columns {
            writeln!(
                out,
                "table {name}: columns differ: expected {:?}, got {:?}",
                e.columns, a.columns
            )
            .unwrap();
            continue;
        }
        let missing = e.rows_not_in(a);
        let extra = a.rows_not_in(e);
        writeln!(
            out,
            "table {name}: {} rows expected, {} present; {} missing, {} extra",
            e.rows.len(),
            a.rows.len(),
            missing.len(),
            extra.len()
        )
        .unwrap();
        for (label, rows) in [("missing", &missing), ("extra  ", &extra)] {
            for r in rows.iter().take(MAX_SHOWN) {
                writeln!(out, "  {label} {}", e.render_row(r)).unwrap();
            }
            if rows.len() > MAX_SHOWN {
                writeln!(out, "  … {} more {label}", rows.len() - MAX_SHOWN).unwrap();
            }
        }
    }
    Some(out)
}
