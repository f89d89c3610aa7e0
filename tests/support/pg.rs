//! Throwaway PostgreSQL servers for tests (initdb + pg_ctl in a temp dir, unix socket only).
//!
//! [`PgServer::start`] creates a private temp dir holding the data directory, the log and the
//! unix socket (no TCP listener), so tests can run servers in parallel. When the test runs as
//! root (CI machines), the server binaries run as the unprivileged `postgres` OS user (initdb
//! refuses root); the clients (psql, pg_dump) run as the test process itself. Dropping the
//! [`PgServer`] stops the server (`pg_ctl stop -m immediate`) and removes the dir, also when the
//! test panics (set `DBSALVAGE_KEEP_PG_DIR=1` to keep the dir, with the dumps and patches the
//! tests wrote there).

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The superuser initdb creates; the default for every client command.
pub const SUPERUSER: &str = "postgres";

/// Port in the socket name (`.s.PGSQL.<port>`); every server has its own socket dir, so all can
/// use the same number.
const PORT: &str = "5432";

/// libpq/psql environment variables that would redirect or alter a client (a developer's
/// `PGHOST`, `PGTZ`, `PGOPTIONS`...): removed from every command we start.
const CLIENT_ENV: &[&str] = &[
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGUSER",
    "PGDATABASE",
    "PGPASSWORD",
    "PGPASSFILE",
    "PGSERVICE",
    "PGSERVICEFILE",
    "PGOPTIONS",
    "PGTZ",
    "PGDATESTYLE",
    "PGCLIENTENCODING",
    "PGAPPNAME",
    "PGSSLMODE",
    "PGSYSCONFDIR",
    "PGCONNECT_TIMEOUT",
    "PGTARGETSESSIONATTRS",
    "PSQLRC",
    "PGDATA",
];

/// The newest `/usr/lib/postgresql/<version>/bin` that holds `initdb` (or `$DBSALVAGE_PG_BIN`).
pub fn bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DBSALVAGE_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut best: Option<(u32, PathBuf)> = None;
    for entry in fs::read_dir("/usr/lib/postgresql").ok()?.flatten() {
        let Some(version) = entry
            .file_name()
            .to_str()
            .and_then(|v| v.split('.').next()?.parse::<u32>().ok())
        else {
            continue;
        };
        let bin = entry.path().join("bin");
        if bin.join("initdb").exists() && best.as_ref().is_none_or(|(v, _)| version > *v) {
            best = Some((version, bin));
        }
    }
    best.map(|(_, bin)| bin)
}

/// Whether a PostgreSQL test can run here: skips (with a message) on a developer machine without
/// PostgreSQL, fails in CI (see [`super::server_available`]).
pub fn available() -> bool {
    let initdb = bin_dir()
        .unwrap_or_else(|| PathBuf::from("/usr/lib/postgresql/<version>/bin"))
        .join("initdb");
    super::server_available("PostgreSQL", &initdb)
}

/// Is this process root? (Then the server runs as the `postgres` OS user.)
fn running_as_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

/// A running throwaway server. All client helpers panic with the command's stderr on failure,
/// except those returning an [`Output`].
pub struct PgServer {
    /// Removed on drop (after the server is stopped).
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// `Some("postgres")` when server binaries must run as another OS user.
    run_as: Option<String>,
    /// Major version (15 for 15.18).
    major: u32,
    stopped: bool,
}

impl PgServer {
    /// initdb + pg_ctl start in a fresh temp dir. Panics (with the server log) on failure; call
    /// [`available`] first.
    pub fn start() -> PgServer {
        let bin = bin_dir().expect("PostgreSQL binaries (checked by pg::available)");
        // The socket path (dir + "/.s.PGSQL.5432") must stay below ~100 bytes: use /tmp when
        // the system temp dir has a long name, or when the server runs as another OS user (who
        // may not be able to reach a private $TMPDIR).
        let as_root = running_as_root();
        let mut parent = std::env::temp_dir();
        if parent.as_os_str().len() > 60 || as_root {
            parent = PathBuf::from("/tmp");
        }
        let dir = tempfile::Builder::new()
            .prefix("dbs-pg")
            .tempdir_in(&parent)
            .expect("temp dir for the PostgreSQL server");
        let run_as = as_root.then(|| "postgres".to_string());
        let major = Command::new(bin.join("initdb"))
            .arg("--version")
            .output()
            .ok()
            .and_then(|o| {
                // "initdb (PostgreSQL) 15.18 (Debian ...)"
                let text = String::from_utf8_lossy(&o.stdout).into_owned();
                let version = text.split_whitespace().nth(2)?.to_string();
                version.split(['.', 'b', 'r']).next()?.parse().ok()
            })
            .expect("initdb --version prints the PostgreSQL version");
        let mut server = PgServer {
            dir,
            bin,
            run_as,
            major,
            stopped: true,
        };
        if let Some(user) = &server.run_as {
            let status = Command::new("chown")
                .arg(format!("{user}:"))
                .arg(server.dir.path())
                .status()
                .expect("chown runs");
            assert!(
                status.success(),
                "chown {user} {} failed (does the `{user}` OS user exist?)",
                server.dir.path().display()
            );
        }
        let data = server.data_dir();
        let out = server
            .server_command("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
            .args(["--locale=C.UTF-8", "--no-instructions"])
            .output()
            .expect("initdb runs");
        check("initdb", &out);
        let socket = server.dir.path().display().to_string();
        assert!(!socket.contains(['\'', ' ', '"']), "odd temp dir {socket}");
        let options = format!(
            "-k {socket} -p {PORT} -c listen_addresses='' -c fsync=off -c full_page_writes=off \
             -c synchronous_commit=off -c timezone=UTC -c log_timezone=UTC \
             -c shared_buffers=32MB -c max_connections=20 \
             -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=64MB -c min_wal_size=32MB"
        );
        // From here on, drop tries to stop the server (a failed start may leave one running).
        server.stopped = false;
        let out = server
            .server_command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(server.log_path())
            .args(["-o", &options, "-w", "-t", "60", "start"])
            .output()
            .expect("pg_ctl runs");
        if !out.status.success() {
            panic!(
                "pg_ctl start failed: {}\n{}\nserver log:\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                fs::read_to_string(server.log_path()).unwrap_or_default()
            );
        }
        server
    }

    /// The temp dir (socket dir); tests may put their files here: it is removed on drop.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// The server log so far (for failure messages).
    pub fn log(&self) -> String {
        fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// A server binary (initdb, pg_ctl), run as the unprivileged user when we are root.
    fn server_command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        };
        for var in CLIENT_ENV {
            cmd.env_remove(var);
        }
        cmd.env("LC_ALL", "C.UTF-8").env("TZ", "UTC");
        cmd
    }

    /// A client binary (psql, pg_dump) connected to this server as `postgres`.
    pub fn client(&self, program: &str) -> Command {
        self.client_as(program, SUPERUSER)
    }

    /// A client binary connected as database role `user`.
    pub fn client_as(&self, program: &str, user: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(program));
        for var in CLIENT_ENV {
            cmd.env_remove(var);
        }
        cmd.env("PGHOST", self.dir.path())
            .env("PGPORT", PORT)
            .env("PGUSER", user)
            .env("PGCONNECT_TIMEOUT", "30")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `sql` in `db` (`psql -X -v ON_ERROR_STOP=1 -q -At`), returning stdout.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = self.try_psql(db, sql);
        check(&format!("psql -d {db} -c {}", excerpt(sql)), &out);
        String::from_utf8(out.stdout).expect("psql output is UTF-8")
    }

    /// Like [`PgServer::psql`], returning the output whatever the exit status.
    pub fn try_psql(&self, db: &str, sql: &str) -> Output {
        self.client("psql")
            .args([
                "-X",
                "-v",
                "ON_ERROR_STOP=1",
                "-q",
                "-At",
                "-d",
                db,
                "-c",
                sql,
            ])
            .output()
            .expect("psql runs")
    }

    /// Rows of `sql` (one per record, fields split): records end with NUL and fields are
    /// separated by U+001F, so values may hold tabs and newlines.
    pub fn query_rows(&self, db: &str, sql: &str) -> Vec<Vec<String>> {
        let out = self
            .client("psql")
            .args([
                "-X",
                "-v",
                "ON_ERROR_STOP=1",
                "-q",
                "-At",
                "-F",
                "\x1f",
                "-0",
                "-d",
                db,
            ])
            .args(["-c", sql])
            .output()
            .expect("psql runs");
        check(&format!("psql -d {db} -c {}", excerpt(sql)), &out);
        let text = String::from_utf8(out.stdout).expect("psql output is UTF-8");
        text.split_terminator('\0')
            .map(|r| r.split('\x1f').map(str::to_string).collect())
            .collect::<Vec<Vec<String>>>()
    }

    /// Exactly the command users run: `psql -X -v ON_ERROR_STOP=1 -d DB -f FILE`.
    pub fn psql_file(&self, db: &str, path: &Path) -> Output {
        self.psql_file_as(db, path, SUPERUSER)
    }

    /// [`PgServer::psql_file`] as role `user`.
    pub fn psql_file_as(&self, db: &str, path: &Path, user: &str) -> Output {
        self.client_as("psql", user)
            .args(["-X", "-v", "ON_ERROR_STOP=1", "-d", db, "-f"])
            .arg(path)
            .output()
            .expect("psql runs")
    }

    /// [`PgServer::psql_file`], quiet, panicking on failure (loading fixtures).
    pub fn load_file(&self, db: &str, path: &Path) {
        self.load_file_as(db, path, SUPERUSER);
    }

    /// [`PgServer::load_file`] as role `user`.
    pub fn load_file_as(&self, db: &str, path: &Path, user: &str) {
        let out = self
            .client_as("psql", user)
            .args(["-X", "-v", "ON_ERROR_STOP=1", "-q", "-d", db, "-f"])
            .arg(path)
            .output()
            .expect("psql runs");
        check(
            &format!("psql -U {user} -d {db} -f {}", path.display()),
            &out,
        );
    }

    /// `CREATE ROLE name LOGIN`: an ordinary role (no superuser, no CREATEDB).
    pub fn create_role(&self, name: &str) {
        self.psql(SUPERUSER, &format!("CREATE ROLE {} LOGIN", ident(name)));
    }

    /// `CREATE DATABASE name`.
    pub fn create_db(&self, name: &str) {
        self.create_db_owned(name, SUPERUSER);
    }

    /// `CREATE DATABASE name OWNER owner`.
    pub fn create_db_owned(&self, name: &str, owner: &str) {
        self.psql(
            SUPERUSER,
            &format!("CREATE DATABASE {} OWNER {}", ident(name), ident(owner)),
        );
    }

    /// `CREATE DATABASE name TEMPLATE template` (a fast copy; `template` must have no sessions).
    pub fn clone_db(&self, template: &str, name: &str) {
        self.clone_db_owned(template, name, SUPERUSER);
    }

    /// [`PgServer::clone_db`] with `OWNER owner` (objects inside keep their owners).
    pub fn clone_db_owned(&self, template: &str, name: &str, owner: &str) {
        // PostgreSQL 15+ copies through the WAL by default: slower, and the WAL fills the disk.
        let strategy = if self.major >= 15 {
            " STRATEGY FILE_COPY"
        } else {
            ""
        };
        self.psql(
            SUPERUSER,
            &format!(
                "CREATE DATABASE {} TEMPLATE {} OWNER {}{strategy}",
                ident(name),
                ident(template),
                ident(owner)
            ),
        );
    }

    /// The server's major version.
    pub fn major_version(&self) -> u32 {
        self.major
    }

    /// `pg_dump` (plain format) of `db` with `extra_args`.
    pub fn pg_dump(&self, db: &str, extra_args: &[&str]) -> Vec<u8> {
        self.pg_dump_env(db, extra_args, &[])
    }

    /// `pg_dump` with extra environment variables (e.g. `PGTZ`).
    pub fn pg_dump_env(&self, db: &str, extra_args: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
        let mut cmd = self.client("pg_dump");
        cmd.args(extra_args).arg("-d").arg(db);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("pg_dump runs");
        check(&format!("pg_dump {} {db}", extra_args.join(" ")), &out);
        out.stdout
    }

    /// Creates `db` and loads a plain-format dump into it.
    pub fn restore(&self, db: &str, dump: &[u8]) {
        self.restore_as(db, dump, SUPERUSER);
    }

    /// Creates `db` owned by `owner` and loads a plain-format dump into it as `owner`.
    pub fn restore_as(&self, db: &str, dump: &[u8], owner: &str) {
        self.create_db_owned(db, owner);
        let file = tempfile::Builder::new()
            .prefix("restore")
            .suffix(".sql")
            .tempfile_in(self.dir())
            .expect("temp file");
        fs::write(file.path(), dump).expect("write the dump");
        self.load_file_as(db, file.path(), owner);
    }

    /// Every user table (plain tables and partition leaves; partitioned roots hold no rows of
    /// their own), named `schema.table` (quoted as needed), with its rows as `row::text`, sorted.
    pub fn table_contents(&self, db: &str) -> BTreeMap<String, Vec<String>> {
        let tables = self.query_rows(
            db,
            "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' \
             AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1",
        );
        let mut contents: BTreeMap<String, Vec<String>> =
            tables.iter().map(|r| (r[0].clone(), Vec::new())).collect();
        if contents.is_empty() {
            return contents;
        }
        let union = contents
            .keys()
            // ROW(r.*): a bare `r` would mean a column if the table had one named `r`.
            .map(|t| format!("SELECT {}, ROW(r.*)::text FROM ONLY {t} r", literal(t)))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let out = self
            .client("psql")
            .args([
                "-X",
                "-v",
                "ON_ERROR_STOP=1",
                "-q",
                "-At",
                "-z",
                "-0",
                "-d",
                db,
            ])
            .args(["-c", &union])
            .output()
            .expect("psql runs");
        check(&format!("psql -d {db} (table contents)"), &out);
        let text = String::from_utf8(out.stdout).expect("psql output is UTF-8");
        // Records are NUL-terminated; fields NUL-separated: table, row, table, row, ...
        let fields: Vec<&str> = text.split_terminator('\0').collect();
        assert!(fields.len() % 2 == 0, "odd field count in table contents");
        for pair in fields.chunks(2) {
            contents
                .get_mut(pair[0])
                .expect("a listed table")
                .push(pair[1].to_string());
        }
        for rows in contents.values_mut() {
            rows.sort();
        }
        contents
    }

    /// The schema as `pg_dump --schema-only` prints it, without comments, blank lines and
    /// `\restrict` keys (which differ from dump to dump).
    pub fn schema_snapshot(&self, db: &str) -> String {
        let dump = self.pg_dump(db, &["--schema-only", "--no-owner"]);
        String::from_utf8(dump)
            .expect("schema dump is UTF-8")
            .lines()
            .filter(|l| {
                !l.is_empty()
                    && !l.starts_with("--")
                    && !l.starts_with("\\restrict")
                    && !l.starts_with("\\unrestrict")
            })
            .map(|l| format!("{l}\n"))
            .collect()
    }

    /// Stops the server now (also done on drop).
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let _ = self
            .server_command("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        self.stop();
        // The TempDir removes the directory after this, unless asked to keep it for a look at
        // the dumps and patches.
        if std::env::var_os("DBSALVAGE_KEEP_PG_DIR").is_some() {
            self.dir.disable_cleanup(true);
            eprintln!("kept {}", self.dir.path().display());
        }
    }
}

/// Panics with the command's output unless it succeeded.
fn check(what: &str, out: &Output) {
    if !out.status.success() {
        panic!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The first line of `sql`, shortened, for messages.
fn excerpt(sql: &str) -> String {
    let line = sql.lines().next().unwrap_or("");
    if line.len() > 80 || sql.lines().nth(1).is_some() {
        let mut end = line.len().min(80);
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &line[..end])
    } else {
        line.to_string()
    }
}

/// A double-quoted SQL identifier.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A single-quoted SQL string literal (standard_conforming_strings on).
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Writes `bytes` to a new file `name` in `dir`, returning its path.
pub fn write_file(dir: &Path, name: impl AsRef<OsStr>, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name.as_ref());
    let mut f = fs::File::create(&path).expect("create file");
    f.write_all(bytes).expect("write file");
    path
}
