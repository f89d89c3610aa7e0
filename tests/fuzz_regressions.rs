//! Inputs the fuzzers found (`testdata/fuzz/TARGET-NAME`), replayed through the same checks the
//! fuzz targets run (`fuzz/fuzz_targets/checks.rs`): no panic, no failed oracle, no hang.
//!
//! Every file is replayed by `fixed_inputs` unless it is listed in [`OPEN`]: those still fail
//! and have an `#[ignore]`d test of their own until the fix lands (then delete the entry and the
//! `#[ignore]`).

#[path = "../fuzz/fuzz_targets/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use dbsalvage::dialect::mysql::MysqlReader;
use dbsalvage::dialect::postgres::PostgresReader;

/// Inputs whose bug is not fixed yet.
const OPEN: &[&str] = &[];

/// How long one input may take (the fuzzers' per-input timeout is 10 s in release builds).
const LIMIT: Duration = Duration::from_secs(60);

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz")
}

/// Runs the check of the target named by the file's prefix on a thread: a panic fails the test
/// with its message, and so does taking longer than [`LIMIT`].
fn replay(name: &str) {
    let path = dir().join(name);
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let target = name.split_once('-').map_or(name, |(t, _)| t).to_string();
    let (tx, rx) = mpsc::channel();
    let name_owned = name.to_string();
    let worker = std::thread::spawn(move || {
        let out = std::panic::catch_unwind(|| run(&target, &data));
        let _ = tx.send(());
        if let Err(p) = out {
            std::panic::resume_unwind(p);
        }
    });
    match rx.recv_timeout(LIMIT) {
        Ok(()) => {
            if let Err(p) = worker.join() {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                panic!("{name_owned}: {msg}");
            }
        }
        Err(_) => panic!("{name_owned}: still running after {LIMIT:?} (a hang)"),
    }
}

fn run(target: &str, data: &[u8]) {
    match target {
        "detect" => checks::check_detect(data),
        "pg_lexer" => checks::check_pg_lexer(data),
        "pg_copy" => checks::check_pg_copy(data),
        "pg_scan" => checks::every_path(&|split| Box::new(PostgresReader::with_split(split)), data),
        "mysql_scan" => checks::every_path(&|split| Box::new(MysqlReader::with_split(split)), data),
        "mysql_values" => checks::check_mysql_values(data),
        "extract" => {
            let tmp = tempfile::tempdir().expect("temp dir");
            checks::check_extract(data, tmp.path());
        }
        other => panic!("no fuzz target `{other}`"),
    }
}

#[test]
fn fixed_inputs() {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.') && !n.ends_with(".md"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    for name in names.iter().filter(|n| !OPEN.contains(&n.as_str())) {
        replay(name);
    }
}

/// Every name in [`OPEN`] is a file, and has its own test below.
#[test]
fn open_inputs_exist() {
    for name in OPEN {
        assert!(dir().join(name).is_file(), "{name} is missing");
    }
}

/// Two rows of a table with the same primary key, both created after `--since`: `extract`
/// selects both and writes them, and `patch` then refuses its JSON ("has the same key as row
/// 1 (id) = [1]"). Fixed: `extract` refuses a selection with a duplicate key (exit 2).
#[test]
fn extract_duplicate_key() {
    replay("extract-duplicate-key");
}

/// A COPY value that does not fit its column's type (`x` in an `integer` column): `extract`
/// writes it to the JSON as a string, and `patch` then refuses that JSON ("expected an integer
/// for a INTEGER column, found \"x\""). Fixed: `extract` refuses the value (exit 2) as
/// `patch` does.
#[test]
fn extract_type_mismatch() {
    replay("extract-type-mismatch");
}

/// The MariaDB sandbox line (`/*!999999\\-` or `/*M!999999\\-`) cut by the end of the window:
/// `skip_between_statements` does not ask for more bytes, so the line is read as an executable
/// comment starting a statement when the window is small, and skipped when it is whole — the
/// two reads disagree (here: "unterminated comment" read whole, Ok through one-byte refills).
#[test]
fn mysql_scan_sandbox_prefix() {
    replay("mysql_scan-sandbox-prefix");
}

/// The same in a MariaDB sample dump whose CREATE TABLE the fuzzer damaged: read whole it is an
/// error ("unterminated column list"), through one-byte refills the scan succeeds.
#[test]
fn mysql_scan_sandbox_prefix_dump() {
    replay("mysql_scan-sandbox-prefix-dump");
}

// A value its column's type cannot hold, in a column of a type other than integer (the integer
// case is `extract-type-mismatch`): `extract` wrote it to the JSON and `patch` refused that
// JSON; now `extract` refuses it, by the rules `patch` reads values back with
// (`replay::check_value`). `extract-date-with-time` was found by the extract target (strict, with
// the integer and duplicate-key fixes applied) in a MariaDB sample whose `datetime(6)` type it
// damaged into a `date…` type; the others are the same check on the other classes `patch`
// validates, written by hand: `x` in a boolean, `1e400` in a double precision, `abc` in a
// numeric, `abc` and `…+02` in a timestamp without time zone, `{x` in a json column, an integer
// above 64 bits, a NULL in a NOT NULL column. `extract-json-deep` is the other way round: a json
// document nested 200 deep (PostgreSQL takes it) that `patch` refused because serde_json's
// `Value` stops at 128 levels.

#[test]
fn extract_bool_mismatch() {
    replay("extract-bool-mismatch");
}

#[test]
fn extract_date_with_time() {
    replay("extract-date-with-time");
}

#[test]
fn extract_float_infinite() {
    replay("extract-float-infinite");
}

#[test]
fn extract_numeric_mismatch() {
    replay("extract-numeric-mismatch");
}

#[test]
fn extract_timestamp_mismatch() {
    replay("extract-timestamp-mismatch");
}

#[test]
fn extract_timestamp_offset() {
    replay("extract-timestamp-offset");
}

#[test]
fn extract_json_mismatch() {
    replay("extract-json-mismatch");
}

#[test]
fn extract_integer_overflow() {
    replay("extract-integer-overflow");
}

#[test]
fn extract_null_in_not_null() {
    replay("extract-null-in-not-null");
}

#[test]
fn extract_json_deep() {
    replay("extract-json-deep");
}

/// `extract` refuses each misfit value with one line naming the table, the column and the row's
/// place in the dump (exit 2), and writes nothing.
#[test]
fn misfit_values_are_refused_by_extract() {
    let cases = [
        (
            "extract-bool-mismatch",
            "table t, column v: `x` does not fit a BOOLEAN column: expected true or false",
        ),
        (
            "extract-date-with-time",
            "table t, column created_at: `2024-01-10 09:00:00` does not fit a DATE column: \
             expected a date without a time of day",
        ),
        (
            "extract-float-infinite",
            "table t, column v: `1e400` does not fit a DOUBLE PRECISION column: expected a number",
        ),
        (
            "extract-numeric-mismatch",
            "table t, column v: `abc` does not fit a NUMERIC column: expected a number",
        ),
        (
            "extract-timestamp-mismatch",
            "table t, column v: `abc` is not a timestamp value",
        ),
        (
            "extract-timestamp-offset",
            "table t, column v: `2024-01-10 09:00:00+02` does not fit a TIMESTAMP column: \
             expected a time without a zone offset",
        ),
        (
            "extract-json-mismatch",
            "table t, column v: `{x` does not fit a JSON column: expected a JSON document, or a \
             string holding one's exact text",
        ),
        (
            "extract-integer-overflow",
            "table t, column v: `99999999999999999999` does not fit a BIGINT column: expected an \
             integer of at most 64 bits",
        ),
        (
            "extract-null-in-not-null",
            "table t, column v: NULL in a NOT NULL column",
        ),
    ];
    for (name, what) in cases {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dump = dir().join(name);
        let sql = tmp.path().join("patch.sql");
        let json = tmp.path().join("rows.json");
        let args = dbsalvage::cli::ExtractArgs {
            since: "2020-01-01 00:00:00".into(),
            dump: dbsalvage::cli::DumpArgs {
                spool_dir: Some(tmp.path().to_path_buf()),
                ..dbsalvage::cli::DumpArgs::quiet_file(dump.clone())
            },
            sql: Some(sql.clone()),
            json: Some(json.clone()),
            json_lines: false,
            dry_run: false,
        };
        let err = match dbsalvage::extract::run(&args) {
            Ok(_) => panic!("{name}: extract accepted the value"),
            Err(e) => e,
        };
        assert_eq!(err.exit_code(), 2, "{name}: {err}");
        // The row is the third line.
        let text = std::fs::read(&dump).expect("read the dump");
        let byte = text
            .iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .nth(1)
            .map(|(i, _)| i + 1)
            .expect("three lines");
        assert_eq!(
            err.to_string(),
            format!("{}: {what} (line 3, byte {byte})", dump.display()),
            "{name}"
        );
        assert!(
            !sql.exists() && !json.exists(),
            "{name}: output left behind"
        );
    }
}
