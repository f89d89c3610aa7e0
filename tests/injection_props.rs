//! Property tests: hostile values and names cannot escape the SQL patch, on real servers.
//!
//! Each case builds a fresh database whose tables, columns, schema (PostgreSQL), foreign key and
//! trigger have generated names (quotes, backticks, backslashes, dots, spaces, `;`, comment
//! openers, newlines, Unicode...), with a created column, a few old rows, and a backup dump; then
//! inserts new rows holding generated text (every quote and escape character, NUL where the type
//! allows it, dollar quotes, comment markers, `\.` lines, U+2028/U+2029, emoji, combining marks,
//! 100 KB+ values, empty strings, NULL), byte strings (every byte value, invalid UTF-8, 100 KB+)
//! and JSON documents (kept as exact text), and dumps it again with the real dump tool in one of
//! its formats (pg_dump COPY / `--inserts` / `--column-inserts` / `--rows-per-insert` /
//! `standard_conforming_strings=off` / `bytea_output=escape` / `--quote-all-identifiers`, or
//! `pg_dumpall` of two databases with generated names; mariadb-dump default /
//! `--skip-extended-insert` / `--hex-blob` / `--complete-insert` / small `--net-buffer-length`,
//! taken with or without a global sql_mode). Then `dbsalvage extract` writes the patch and the
//! JSON; the backup is restored into fresh databases and the patch applied with the real client,
//! exactly as users do (`psql -X -v ON_ERROR_STOP=1 -f` as the owning role, `mariadb DB <
//! patch.sql`), and:
//! - every name and value comes back byte for byte (catalog names and cells compared as hex,
//!   sequences, AUTO_INCREMENT, triggers enabled), against the source database, whose names the
//!   test first checks against the generated ones;
//! - the patch applied a second time changes nothing;
//! - it does the same in a database whose settings change how SQL is read (PostgreSQL
//!   `standard_conforming_strings=off`, `client_encoding` SJIS or LATIN1, DateStyle...; MariaDB
//!   global sql_mode with `NO_BACKSLASH_ESCAPES`, `ANSI_QUOTES`, `ANSI`, `PIPES_AS_CONCAT`);
//! - the patch rebuilt from the JSON (`dbsalvage patch`) does the same, and the JSON holds the
//!   generated values;
//! - the canaries survive: table `canary` still there with its row, and no file written by a
//!   client command (`\! touch pwned`, `\o pwned`, `\T pwned`) in the client's directory.
//!
//! Generated values and names include escape attempts (`'); DROP TABLE canary; --`,
//! `\'); DROP ...`, `$$; DROP ...`, `*/ DROP ... /*`, backtick and double-quote breakouts, client
//! commands).
//!
//! Servers are started once per property (not per case), so the number of cases drives the
//! runtime: `DBSALVAGE_PROPTEST_CASES` (default 32 per property), `DBSALVAGE_PROPTEST_SEED` to
//! repeat a run (the seed is printed), `DBSALVAGE_PROPTEST_SHRINK` caps shrinking steps (default
//! 400; each one is a full round trip, about a second). The minimal inputs of the bugs found so
//! far run before the generated cases. Without a server the tests skip locally and fail in CI.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{
    Config, RngSeed, TestCaseError, TestCaseResult, TestError, TestRunner,
};
use serde_json::Value;

use support::mariadb::{self, MariaDb};
use support::pg::{self, PgServer};

// ---------------------------------------------------------------------------------------------
// Configuration

/// Cases per property: `DBSALVAGE_PROPTEST_CASES`, default 32.
fn case_count() -> u32 {
    std::env::var("DBSALVAGE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32)
}

/// A runner with a known seed (printed, so a failure can be repeated with
/// `DBSALVAGE_PROPTEST_SEED`), no regression file, and bounded shrinking.
fn runner(name: &str) -> TestRunner {
    let seed = std::env::var("DBSALVAGE_PROPTEST_SEED")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or_else(|| {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0),
            );
            h.finish()
        });
    let shrink = std::env::var("DBSALVAGE_PROPTEST_SHRINK")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let config = Config {
        cases: case_count(),
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_iters: shrink,
        max_shrink_time: 0,
        max_global_rejects: 200,
        ..Config::default()
    };
    eprintln!(
        "[{name}] {} cases, seed {seed} (repeat with DBSALVAGE_PROPTEST_SEED={seed})",
        config.cases
    );
    TestRunner::new(config)
}

/// Runs the property, panicking with the minimal failing input (or, when the server stopped
/// answering during the run, saying so: the failures then say nothing about dbsalvage).
fn run_property<S: Strategy>(
    name: &str,
    strategy: S,
    alive: impl Fn() -> bool,
    test: impl Fn(S::Value) -> TestCaseResult,
) where
    S::Value: std::fmt::Debug,
{
    let started = Instant::now();
    let mut runner = runner(name);
    let result = runner.run(&strategy, test);
    eprintln!(
        "[{name}] finished in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, _)) if !alive() => {
            panic!("[{name}] the server stopped answering during the run (stopped from outside?); last failure: {why}")
        }
        Err(TestError::Fail(why, input)) => {
            // Long values print cut (the shrunk input rarely has any).
            let shown: Vec<String> = format!("{input:#?}")
                .lines()
                .map(|l| {
                    if l.len() <= 300 {
                        l.to_string()
                    } else {
                        let mut end = 300;
                        while !l.is_char_boundary(end) {
                            end -= 1;
                        }
                        format!("{}… ({} bytes)", &l[..end], l.len())
                    }
                })
                .collect();
            panic!(
                "[{name}] property failed.\nminimal failing input: {}\n\n{why}",
                shown.join("\n")
            )
        }
        Err(TestError::Abort(why)) => panic!("[{name}] aborted: {why}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Generators

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dbms {
    Pg,
    My,
}

/// Fragments that mean something to an SQL lexer, a client, a dump format or a text encoding.
const TEXT_TOKENS: &[&str] = &[
    "'",
    "''",
    "\"",
    "`",
    "``",
    "\\",
    "\\\\",
    "\\'",
    "\\\"",
    "\\`",
    "\\n",
    "\\0",
    "\\N",
    "\\x41",
    "\\Z",
    "\\\\x00",
    "$$",
    "$tag$",
    "$_$",
    "$1",
    "*/",
    "/*",
    "/*!",
    "/*!50000 ",
    "/*M!999999\\- ",
    "--",
    "-- ",
    "#",
    ";",
    ";;",
    "DELIMITER ;;\n",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\n\\.\n",
    "\\.",
    "\u{2028}",
    "\u{2029}",
    "\u{85}",
    "\u{feff}",
    "\u{1a}",
    "\u{7f}",
    "\u{8}",
    "\u{1b}",
    "\u{c}",
    "\u{0}",
    "\u{1}",
    "😀",
    "👩\u{200d}👩\u{200d}👧",
    "e\u{301}",
    "\u{301}",
    "\u{200b}",
    "\u{202e}",
    "\u{fffd}",
    "\u{ffff}",
    "\u{10ffff}",
    "ß",
    "İ",
    "ǅ",
    "ﬀ",
    "€",
    "%",
    "%s",
    "%I",
    "_",
    "?",
    ":x",
    ":'x'",
    ":\"x\"",
    "@x",
    "{",
    "}",
    "NULL",
    "null",
    "E'",
    "U&'",
    "B'",
    "X'41'",
    "0x41",
    "_utf8mb4'",
    "_binary'",
    "N'",
    "\\g",
    "\\G",
    "\\q",
    "\\c",
    "\\gexec",
    "\\set x",
    "(",
    ")",
    ",",
    "=",
    "'); ",
    " ",
    "  ",
];

/// Byte strings that mean something to a dump format or an encoding; the rest is random.
const BYTE_TOKENS: &[&[u8]] = &[
    b"\0",
    b"'",
    b"\\",
    b"\"",
    b"`",
    b"\\'",
    b"''",
    b"\\0",
    b"\\N",
    b"\\.\n",
    b"\n",
    b"\r",
    b"\t",
    b"\x1a",
    b"\xff",
    b"\xfe",
    b"\x80",
    b"\xc3",
    b"\xc3\x28",
    b"\xe2\x80\xa8",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xbf\x5c",
    b"\x5c\x27",
    b"$$",
    b"*/",
    b"--",
    b"#",
    b";",
    b"\\x",
    b"\\\\x00",
    b"\\377",
];

/// Identifier fragments: quote characters of both servers, separators, comment openers,
/// client commands, letters that fold differently.
const IDENT_TOKENS: &[&str] = &[
    "\"",
    "\"\"",
    "`",
    "``",
    "'",
    ".",
    " ",
    ";",
    "\\",
    "\\`",
    "\\\"",
    "\\'",
    "$",
    "$$",
    "$tag$",
    "--",
    "/*",
    "*/",
    "#",
    "\n",
    "\r",
    "\t",
    "é",
    "ß",
    "İ",
    "Ω",
    "日本",
    "\u{2028}",
    "\u{301}",
    "\u{feff}",
    "😀",
    "%",
    "?",
    ":",
    ":x",
    "@",
    "=",
    "(",
    ")",
    ",",
    "[",
    "]",
    "'; DROP TABLE canary; --",
    "`; DROP TABLE canary; --",
    "\"; DROP TABLE canary; --",
    "\\! touch pwned",
    "\\T pwned",
    "\\o pwned",
    "select",
    "CREATE",
    "a",
    "B",
    "x1",
    "0",
    "1e5",
];

/// What an attempt to leave a literal starts with.
const ESCAPE_OPENERS: &[&str] = &[
    "'", "\\'", "\\\\'", "''", "\"", "`", "\\`", "$$", "$tag$", "*/", "')", "'))", "\n", "\\",
    "\u{0}'", "\\\n", "\r\n", "E'\\'",
];
/// What it tries to do.
const ESCAPE_BODIES: &[&str] = &[
    "DROP TABLE canary",
    "DROP TABLE public.canary",
    "DELETE FROM canary",
    "\\! touch pwned",
    "\\o pwned",
    "\\w pwned",
    "\\T pwned",
    "\\q",
];
/// How it tries to hide what follows.
const ESCAPE_CLOSERS: &[&str] = &[
    "; --", " -- ", "#", "/*", "; $$", "", "'", "\n", ";\n", "; /*", "$tag$",
];
const ESCAPE_SEPARATORS: &[&str] = &["; ", ");\n", " ", "\n", ";\n"];

fn escape_attempt() -> impl Strategy<Value = String> {
    (
        select(ESCAPE_OPENERS),
        select(ESCAPE_SEPARATORS),
        select(ESCAPE_BODIES),
        select(ESCAPE_CLOSERS),
    )
        .prop_map(|(a, b, c, d)| format!("{a}{b}{c}{d}"))
}

/// One fragment of generated text (NUL removed for PostgreSQL, whose text cannot hold it).
fn fragment(dbms: Dbms) -> BoxedStrategy<String> {
    prop_oneof![
        5 => select(TEXT_TOKENS).prop_map(str::to_string),
        3 => any::<char>().prop_map(String::from),
        2 => "[ -~]{1,8}",
        1 => escape_attempt(),
    ]
    .prop_map(move |s| {
        if dbms == Dbms::Pg {
            s.replace('\0', "")
        } else {
            s
        }
    })
    .boxed()
}

/// Generated text: mostly short mixes of fragments (or empty), sometimes 100 KB+.
fn text(dbms: Dbms) -> BoxedStrategy<String> {
    prop_oneof![
        40 => prop::collection::vec(fragment(dbms), 0..8).prop_map(|v| v.concat()),
        1 => (prop::collection::vec(fragment(dbms), 1..4), 100_000..160_000usize).prop_map(
            |(parts, len)| {
                let unit = parts.concat();
                if unit.is_empty() {
                    "x".repeat(len)
                } else {
                    unit.repeat(len / unit.len() + 1)
                }
            }
        ),
    ]
    .boxed()
}

/// Short text (at most `max` characters) for bounded columns.
fn short_text(dbms: Dbms, max: usize) -> BoxedStrategy<String> {
    prop::collection::vec(fragment(dbms), 0..6)
        .prop_map(move |v| v.concat().chars().take(max).collect())
        .boxed()
}

/// Text a MariaDB `latin1` column can hold (ASCII and U+00A0..U+00FF).
fn latin1_text() -> BoxedStrategy<String> {
    let piece = prop_oneof![
        3 => select(TEXT_TOKENS)
            .prop_filter("latin1", |s| s.chars().all(|c| (c as u32) < 0x80))
            .prop_map(str::to_string),
        2 => (0xa0u32..=0xff).prop_map(|c| char::from_u32(c).unwrap().to_string()),
        1 => "[ -~]{1,8}",
        1 => escape_attempt(),
    ];
    prop::collection::vec(piece, 0..8)
        .prop_map(|v| v.concat())
        .boxed()
}

/// Pseudo-random bytes, all 256 values first.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut out: Vec<u8> = (0..=255u8).collect();
    let mut x = seed | 1;
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len.max(256));
    out
}

/// A generated byte string (printed as `b"..."` in failure reports).
#[derive(Clone, PartialEq, Eq)]
struct Bytes(Vec<u8>);

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

/// Byte strings: random and meaningful bytes, every byte value, or 100 KB+ of noise.
fn bytes() -> BoxedStrategy<Bytes> {
    let piece = prop_oneof![
        2 => select(BYTE_TOKENS).prop_map(<[u8]>::to_vec),
        3 => prop::collection::vec(any::<u8>(), 1..8),
    ];
    prop_oneof![
        30 => prop::collection::vec(piece, 0..8).prop_map(|v| v.concat()),
        2 => Just((0..=255u8).collect::<Vec<u8>>()),
        1 => (any::<u64>(), 100_000..160_000usize).prop_map(|(seed, len)| noise(seed, len)),
    ]
    .prop_map(Bytes)
    .boxed()
}

/// A name the server accepts: PostgreSQL any character but NUL, at most 63 bytes; MariaDB the
/// Basic Multilingual Plane without NUL, at most `max` characters, no trailing space.
fn ident(dbms: Dbms, max: usize) -> BoxedStrategy<String> {
    let piece = prop_oneof![
        4 => select(IDENT_TOKENS).prop_map(str::to_string),
        2 => any::<char>().prop_map(String::from),
        2 => "[a-zA-Z0-9_]{1,6}",
        1 => escape_attempt(),
    ];
    prop::collection::vec(piece, 1..5)
        .prop_map(move |parts| fix_ident(dbms, &parts.concat(), max))
        .boxed()
}

fn fix_ident(dbms: Dbms, raw: &str, max: usize) -> String {
    let mut s: String = raw
        .chars()
        .filter(|&c| c != '\0' && (dbms == Dbms::Pg || (c as u32) <= 0xffff))
        .collect();
    match dbms {
        Dbms::Pg => {
            let mut end = s.len().min(63);
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            s.truncate(end);
        }
        Dbms::My => {
            // The mariadb client drops a CR before LF inside backquotes, so no dump restored
            // with it keeps such a name: not generated.
            while s.contains("\r\n") {
                s = s.replace("\r\n", "\r_\n");
            }
            s = s.chars().take(max).collect();
            s.truncate(s.trim_end_matches(' ').len());
        }
    }
    if s.is_empty() {
        s.push('_');
    }
    s
}

/// The generated names of one case.
#[derive(Debug, Clone)]
struct Names {
    /// PostgreSQL only; `None`: `public`.
    schema: Option<String>,
    parent: String,
    parent_pk: String,
    parent_text: String,
    child: String,
    child_pk: String,
    child_fk: String,
    fk_name: String,
    child_text: [String; 3],
    child_json: String,
    child_bin: String,
    keyless: String,
    keyless_text: String,
    keyless_bin: String,
    /// A BEFORE INSERT trigger on the child table that rewrites the first text column (unless
    /// the session says it loads data).
    trigger: Option<String>,
}

impl Names {
    /// Each table with its columns, in order.
    fn tables(&self) -> [(&str, Vec<&str>); 3] {
        [
            (
                self.parent.as_str(),
                vec![self.parent_pk.as_str(), "created_at", &self.parent_text],
            ),
            (self.child.as_str(), self.child_columns()),
            (
                self.keyless.as_str(),
                vec!["created_at", &self.keyless_text, &self.keyless_bin],
            ),
        ]
    }

    /// The snapshot of the source must show every generated name as generated (else the test's
    /// own setup lost something, and comparing with the source would prove nothing).
    fn check_source(&self, dbms: Dbms, snapshot: &[String]) {
        let mut wanted = Vec::new();
        for (table, columns) in self.tables() {
            match dbms {
                Dbms::Pg => {
                    let cols: Vec<String> = columns.iter().map(|c| hex(c.as_bytes())).collect();
                    wanted.push(format!(
                        "relation {} {} r {}",
                        hex(self.schema.as_deref().unwrap_or("public").as_bytes()),
                        hex(table.as_bytes()),
                        cols.join(",")
                    ));
                }
                Dbms::My => {
                    for (i, c) in columns.iter().enumerate() {
                        wanted.push(format!(
                            "column {} {} {} ",
                            hex(table.as_bytes()).to_uppercase(),
                            i + 1,
                            hex(c.as_bytes()).to_uppercase()
                        ));
                    }
                }
            }
        }
        if let Some(trigger) = &self.trigger {
            wanted.push(match dbms {
                Dbms::Pg => format!("trigger {} O", hex(trigger.as_bytes())),
                Dbms::My => format!("trigger {} ", hex(trigger.as_bytes()).to_uppercase()),
            });
        }
        for w in wanted {
            assert!(
                snapshot.iter().any(|l| l.starts_with(&w)),
                "the test's setup did not create the generated names: no line `{}` in the source's snapshot:\n{}",
                render_line(&w),
                snapshot
                    .iter()
                    .filter(|l| !l.starts_with("row "))
                    .map(|l| render_line(l))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }

    fn child_columns(&self) -> Vec<&str> {
        let mut v = vec![self.child_pk.as_str(), "created_at", self.child_fk.as_str()];
        v.extend(self.child_text.iter().map(String::as_str));
        v.push(&self.child_json);
        v.push(&self.child_bin);
        v
    }

    /// Names must differ where the server needs them to (MariaDB compares column names without
    /// case; accents are left to the server, which rejects the case).
    fn distinct(&self, dbms: Dbms) -> bool {
        let key = |s: &str| match dbms {
            Dbms::Pg => s.to_string(),
            Dbms::My => s.to_lowercase(),
        };
        let all_distinct = |names: &[&str]| {
            let set: BTreeSet<String> = names.iter().map(|n| key(n)).collect();
            set.len() == names.len()
        };
        let mut tables = vec![
            self.parent.as_str(),
            self.child.as_str(),
            self.keyless.as_str(),
        ];
        if dbms == Dbms::My || self.schema.is_none() {
            tables.push("canary");
        }
        all_distinct(&tables)
            && all_distinct(&[&self.parent_pk, "created_at", &self.parent_text])
            && all_distinct(&self.child_columns())
            && all_distinct(&["created_at", &self.keyless_text, &self.keyless_bin])
            && self.schema.as_deref() != Some("public")
            && (dbms == Dbms::My
                || self
                    .child_columns()
                    .into_iter()
                    .chain([
                        self.parent_pk.as_str(),
                        &self.parent_text,
                        &self.keyless_text,
                        &self.keyless_bin,
                    ])
                    .all(|c| !["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"].contains(&c)))
    }
}

fn names(dbms: Dbms) -> BoxedStrategy<Names> {
    // MariaDB stores tables and triggers in files named after them (5 bytes per special
    // character, 255 at most): shorter table and trigger names.
    let (table_max, col_max) = (40, 64);
    // A generated name, or (mostly while shrinking) a plain default, so that a minimal failing
    // case shows only the names that matter.
    let name = move |max: usize, default: &'static str| {
        prop::option::weighted(0.9, ident(dbms, max))
            .prop_map(move |n| n.unwrap_or_else(|| default.to_string()))
    };
    let t = move |d| name(table_max, d);
    let c = move |d| name(col_max, d);
    let schema = if dbms == Dbms::Pg {
        prop::option::weighted(0.7, ident(dbms, 63)).boxed()
    } else {
        Just(None).boxed()
    };
    (
        (schema, t("parent"), c("id"), c("label")),
        (
            t("child"),
            c("id"),
            c("parent_id"),
            c("child_parent_fk"),
            [c("t1"), c("t2"), c("t3")],
            c("doc"),
            c("data"),
        ),
        (t("log"), c("msg"), c("blob")),
        prop::option::weighted(0.5, ident(dbms, table_max)),
    )
        .prop_map(
            |(
                (schema, parent, parent_pk, parent_text),
                (child, child_pk, child_fk, fk_name, child_text, child_json, child_bin),
                (keyless, keyless_text, keyless_bin),
                trigger,
            )| Names {
                schema,
                parent,
                parent_pk,
                parent_text,
                child,
                child_pk,
                child_fk,
                fk_name,
                child_text,
                child_json,
                child_bin,
                keyless,
                keyless_text,
                keyless_bin,
                trigger,
            },
        )
        .prop_filter("names must be distinct", move |n| n.distinct(dbms))
        .boxed()
}

/// One new row of the child table.
#[derive(Debug, Clone)]
struct ChildRow {
    /// Index of the parent (0..3 old rows, then the new ones), reduced modulo their number;
    /// `None`: NULL.
    parent: Option<usize>,
    text: [Option<String>; 3],
    json: Option<JsonDoc>,
    bin: Option<Bytes>,
}

/// A JSON document (stored as this exact text: PostgreSQL `json` and MariaDB `JSON` keep it).
#[derive(Debug, Clone)]
enum JsonDoc {
    /// A JSON string holding generated text.
    Str(String),
    /// The document `null` (not SQL NULL).
    Null,
    /// `{"key": ["value", 1.50, true, null, {}]}` with white space around it.
    Object {
        key: String,
        value: String,
        before: &'static str,
        after: &'static str,
    },
}

/// White space JSON allows around a document.
const JSON_SPACE: &[&str] = &["", " ", "\n", "\t", "\r\n  "];

impl JsonDoc {
    fn text(&self) -> String {
        let quoted = |s: &str| serde_json::to_string(s).expect("a string serializes");
        match self {
            JsonDoc::Str(s) => quoted(s),
            JsonDoc::Null => "null".into(),
            JsonDoc::Object {
                key,
                value,
                before,
                after,
            } => format!(
                "{before}{{{}: [{}, 1.50, true, null, {{}}]}}{after}",
                quoted(key),
                quoted(value)
            ),
        }
    }

    /// What rows.json holds for it: the document itself when that keeps its exact text (an
    /// object with nothing around it), else a JSON string of its exact text (a string document,
    /// `null`, white space around it).
    fn json_forms(&self) -> Vec<Value> {
        let text = self.text();
        match self {
            JsonDoc::Object { before, after, .. } if before.is_empty() && after.is_empty() => {
                vec![serde_json::from_str(&text).expect("valid JSON")]
            }
            _ => vec![Value::String(text)],
        }
    }
}

fn json_doc(dbms: Dbms) -> BoxedStrategy<JsonDoc> {
    prop_oneof![
        6 => short_text(dbms, 2000).prop_map(JsonDoc::Str),
        1 => Just(JsonDoc::Null),
        3 => (
            short_text(dbms, 200),
            short_text(dbms, 500),
            select(JSON_SPACE),
            select(JSON_SPACE),
        )
            .prop_map(|(key, value, before, after)| JsonDoc::Object {
                key,
                value,
                before,
                after,
            }),
    ]
    .boxed()
}

/// The rows created after the cut-off.
#[derive(Debug, Clone)]
struct NewRows {
    parents: Vec<Option<String>>,
    children: Vec<ChildRow>,
    keyless: Vec<(Option<String>, Option<Bytes>)>,
}

const OLD_PARENTS: usize = 3;
const OLD_CHILDREN: usize = 2;

fn new_rows(dbms: Dbms) -> BoxedStrategy<NewRows> {
    let opt = |s: BoxedStrategy<String>| prop::option::weighted(0.9, s);
    let third = match dbms {
        Dbms::Pg => text(dbms),
        Dbms::My => latin1_text(),
    };
    let child = (
        prop::option::weighted(0.85, 0..OLD_PARENTS + 2),
        [opt(text(dbms)), opt(text(dbms)), opt(third)],
        prop::option::weighted(0.9, json_doc(dbms)),
        prop::option::weighted(0.9, bytes()),
    )
        .prop_map(|(parent, text, json, bin)| ChildRow {
            parent,
            text,
            json,
            bin,
        });
    (
        prop::collection::vec(opt(short_text(dbms, 300)), 0..3),
        prop::collection::vec(child, 1..7),
        prop::collection::vec(
            (opt(text(dbms)), prop::option::weighted(0.9, bytes())),
            0..3,
        ),
    )
        .prop_map(|(parents, children, keyless)| NewRows {
            parents,
            children,
            keyless,
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        write!(s, "{b:02x}").unwrap();
    }
    s
}

fn unhex(h: &str) -> Option<Vec<u8>> {
    if h.len() % 2 != 0 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).ok())
        .collect()
}

/// A snapshot line for people: hex fields decoded, long ones cut.
fn render_line(line: &str) -> String {
    let fields: Vec<String> = line
        .split(' ')
        .map(|f| match unhex(f) {
            Some(b) if f.len() >= 2 => {
                let s = String::from_utf8_lossy(&b);
                let mut shown: String = format!("{s:?}");
                if shown.len() > 160 {
                    let mut end = 160;
                    while !shown.is_char_boundary(end) {
                        end -= 1;
                    }
                    shown.truncate(end);
                    write!(shown, "…({} bytes)", b.len()).unwrap();
                }
                shown
            }
            _ => f.to_string(),
        })
        .collect();
    fields.join(" ")
}

/// `None` when equal; else the lines missing from `actual` and the extra ones.
fn diff_snapshots(expected: &[String], actual: &[String]) -> Option<String> {
    if expected == actual {
        return None;
    }
    let e: BTreeMap<&String, usize> = expected.iter().fold(BTreeMap::new(), |mut m, l| {
        *m.entry(l).or_default() += 1;
        m
    });
    let a: BTreeMap<&String, usize> = actual.iter().fold(BTreeMap::new(), |mut m, l| {
        *m.entry(l).or_default() += 1;
        m
    });
    let mut out = String::new();
    for (l, n) in &e {
        let m = a.get(l).copied().unwrap_or(0);
        if m < *n {
            writeln!(out, "  missing ({}x): {}", n - m, render_line(l)).unwrap();
        }
    }
    for (l, n) in &a {
        let m = e.get(l).copied().unwrap_or(0);
        if m < *n {
            writeln!(out, "  extra   ({}x): {}", n - m, render_line(l)).unwrap();
        }
    }
    Some(out)
}

fn check_same(what: &str, expected: &[String], actual: &[String]) -> Result<(), TestCaseError> {
    match diff_snapshots(expected, actual) {
        None => Ok(()),
        Some(d) => Err(TestCaseError::fail(format!("{what}:\n{d}"))),
    }
}

fn output_text(out: &Output) -> String {
    format!(
        "{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        mariadb::excerpt(&out.stdout, 2000),
        mariadb::excerpt(&out.stderr, 4000)
    )
}

/// A client command run in `dir` must not have left a file there.
fn no_client_command_ran(dir: &Path, what: &str) -> Result<(), TestCaseError> {
    for name in ["pwned", "pwned;", "pwned; --", "pwned --"] {
        if dir.join(name).exists() {
            return Err(TestCaseError::fail(format!(
                "{what}: a client command from the data ran: {} exists",
                dir.join(name).display()
            )));
        }
    }
    let strays: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("pwned"))
                .collect()
        })
        .unwrap_or_default();
    if strays.is_empty() {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!(
            "{what}: a client command from the data ran: {strays:?} in {}",
            dir.display()
        )))
    }
}

/// `dbsalvage extract --since SINCE --sql patch.sql --json rows.json DUMP`, then `dbsalvage
/// patch rows.json --sql from_json.sql`. Returns (patch, JSON, patch from the JSON).
fn run_dbsalvage(
    dir: &Path,
    dump: &Path,
    since: &str,
) -> Result<(PathBuf, Value, PathBuf), TestCaseError> {
    let patch = dir.join("patch.sql");
    let json_path = dir.join("rows.json");
    let out = support::dbsalvage()
        .args(["extract", "--quiet", "--since", since, "--sql"])
        .arg(&patch)
        .arg("--json")
        .arg(&json_path)
        .arg(dump)
        .output()
        .expect("run dbsalvage");
    if !out.status.success() {
        return Err(TestCaseError::fail(format!(
            "dbsalvage extract failed on {}: {}",
            dump.display(),
            output_text(&out)
        )));
    }
    let json: Value = serde_json::from_slice(&fs::read(&json_path).expect("read rows.json"))
        .map_err(|e| TestCaseError::fail(format!("rows.json is not JSON: {e}")))?;
    let from_json = dir.join("from_json.sql");
    let out = support::dbsalvage()
        .args(["patch", "--quiet"])
        .arg(&json_path)
        .arg("--sql")
        .arg(&from_json)
        .output()
        .expect("run dbsalvage patch");
    if !out.status.success() {
        return Err(TestCaseError::fail(format!(
            "dbsalvage patch {} failed: {}",
            json_path.display(),
            output_text(&out)
        )));
    }
    Ok((patch, json, from_json))
}

/// The JSON value dbsalvage must write for a text cell.
fn json_text(v: &Option<String>) -> Value {
    v.as_ref().map_or(Value::Null, |s| Value::String(s.clone()))
}

/// The JSON value for a binary cell: `"\x"` + hex.
fn json_bin(v: &Option<Bytes>) -> Value {
    v.as_ref()
        .map_or(Value::Null, |b| Value::String(format!("\\x{}", hex(&b.0))))
}

/// What rows.json must hold: every new row with its generated values (`display`: the table's
/// name in the JSON).
fn expected_json<'a>(
    n: &'a Names,
    rows: &NewRows,
    display: impl Fn(&str) -> String,
) -> Vec<ExpectedRow<'a>> {
    let mut out = Vec::new();
    for (i, p) in rows.parents.iter().enumerate() {
        out.push((
            display(&n.parent),
            vec![
                (n.parent_pk.as_str(), vec![Value::from(OLD_PARENTS + i + 1)]),
                (n.parent_text.as_str(), vec![json_text(p)]),
            ],
        ));
    }
    for (i, c) in rows.children.iter().enumerate() {
        let mut cells = vec![(n.child_pk.as_str(), vec![Value::from(OLD_CHILDREN + i + 1)])];
        for (name, v) in n.child_text.iter().zip(&c.text) {
            cells.push((name.as_str(), vec![json_text(v)]));
        }
        let json = c
            .json
            .as_ref()
            .map_or(vec![Value::Null], JsonDoc::json_forms);
        cells.push((n.child_json.as_str(), json));
        cells.push((n.child_bin.as_str(), vec![json_bin(&c.bin)]));
        out.push((display(&n.child), cells));
    }
    for (text, bin) in &rows.keyless {
        out.push((
            display(&n.keyless),
            vec![
                (n.keyless_text.as_str(), vec![json_text(text)]),
                (n.keyless_bin.as_str(), vec![json_bin(bin)]),
            ],
        ));
    }
    out
}

/// A row rows.json must hold: its table, and per column the values allowed.
type ExpectedRow<'a> = (String, Vec<(&'a str, Vec<Value>)>);

/// Every expected row must be an element of the JSON array, for its table, with these values.
fn check_json(json: &Value, expected: &[ExpectedRow<'_>]) -> Result<(), TestCaseError> {
    let rows = json
        .as_array()
        .ok_or_else(|| TestCaseError::fail("rows.json is not an array"))?;
    for (table, cells) in expected {
        let found = rows.iter().any(|r| {
            r["table"].as_str() == Some(table.as_str())
                && cells
                    .iter()
                    .all(|(c, forms)| r["data"].get(*c).is_some_and(|v| forms.contains(v)))
        });
        if !found {
            let candidates: Vec<String> = rows
                .iter()
                .filter(|r| r["table"].as_str() == Some(table.as_str()))
                .map(|r| mariadb::excerpt(r.to_string().as_bytes(), 600))
                .collect();
            let wanted: Vec<String> = cells
                .iter()
                .map(|(c, forms)| {
                    let forms: Vec<String> = forms
                        .iter()
                        .map(|v| mariadb::excerpt(v.to_string().as_bytes(), 300))
                        .collect();
                    format!("{c:?}: {}", forms.join(" or "))
                })
                .collect();
            return Err(TestCaseError::fail(format!(
                "rows.json has no row of {table:?} with {}\nrows of that table: {candidates:#?}",
                wanted.join(", ")
            )));
        }
    }
    Ok(())
}

fn message(e: &TestCaseError) -> &str {
    match e {
        TestCaseError::Fail(r) | TestCaseError::Reject(r) => r.message(),
    }
}

/// The databases' verdict first (what the patch did), then the JSON's.
fn combine(databases: TestCaseResult, json: TestCaseResult) -> TestCaseResult {
    match (databases, json) {
        (Ok(()), json) => json,
        (Err(e), Ok(())) => Err(e),
        (Err(e), Err(j)) => Err(TestCaseError::fail(format!(
            "{}\n\nalso, {}",
            message(&e),
            message(&j)
        ))),
    }
}

/// `2030-01-01 00:MM:SS` for the `i`th new row (after the cut-off), `2001-…` for old rows.
fn new_time(i: usize) -> String {
    format!(
        "2030-01-01 {:02}:{:02}:{:02}",
        i / 3600,
        i / 60 % 60,
        i % 60
    )
}
const OLD_TIME: &str = "2001-02-03 04:05:06";

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/// The ordinary role that owns the databases and applies the patches (as an application would).
const PG_OWNER: &str = "prop_owner";

#[derive(Debug, Clone, Copy)]
struct PgFlavor {
    name: &'static str,
    /// `pg_dump` (of the source database) or `pg_dumpall` (of every database but `postgres`
    /// and `template1`: the patch then `\connect`s to the source database by its name).
    tool: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const PG_FLAVORS: &[PgFlavor] = &[
    PgFlavor {
        tool: "pg_dump",
        name: "copy",
        args: &[],
        env: &[],
    },
    PgFlavor {
        tool: "pg_dump",
        name: "inserts",
        args: &["--inserts"],
        env: &[],
    },
    PgFlavor {
        tool: "pg_dump",
        name: "column_inserts",
        args: &["--column-inserts"],
        env: &[],
    },
    PgFlavor {
        tool: "pg_dump",
        name: "rows_per_insert",
        args: &["--rows-per-insert=3"],
        env: &[],
    },
    PgFlavor {
        tool: "pg_dump",
        name: "inserts_strings_off",
        args: &["--inserts"],
        env: &[("PGOPTIONS", "-c standard_conforming_strings=off")],
    },
    PgFlavor {
        tool: "pg_dump",
        name: "copy_bytea_escape",
        args: &[],
        env: &[("PGOPTIONS", "-c bytea_output=escape")],
    },
    PgFlavor {
        tool: "pg_dump",
        name: "quote_all_column_inserts",
        args: &["--quote-all-identifiers", "--column-inserts"],
        env: &[],
    },
    PgFlavor {
        tool: "pg_dump",
        name: "inserts_on_conflict",
        args: &["--inserts", "--on-conflict-do-nothing"],
        env: &[],
    },
    PgFlavor {
        tool: "pg_dumpall",
        name: "dumpall",
        args: &[
            "--exclude-database=postgres",
            "--exclude-database=template1",
        ],
        env: &[],
    },
];

#[derive(Debug, Clone)]
struct PgCase {
    names: Names,
    rows: NewRows,
    flavor: PgFlavor,
    /// The source database's name when the flavor is `pg_dumpall` (the patch names it).
    database: String,
    /// A second database in the `pg_dumpall` dump (one table, one new row), so that the patch
    /// must `\connect` to each by name.
    other_database: String,
    /// Settings of the database a third copy of the backup gets the patch in
    /// (`ALTER DATABASE … SET …`: every session starts with them).
    settings: &'static [&'static str],
}

/// Database settings a server may have that change how SQL text is read or values printed.
const PG_SETTINGS: &[&[&str]] = &[
    &["standard_conforming_strings = off"],
    &[
        "standard_conforming_strings = off",
        "escape_string_warning = off",
        "backslash_quote = on",
    ],
    &["client_encoding = 'SJIS'"],
    &[
        "client_encoding = 'LATIN1'",
        "standard_conforming_strings = off",
    ],
    &[
        "DateStyle = 'SQL, DMY'",
        "TimeZone = 'Pacific/Chatham'",
        "IntervalStyle = 'sql_standard'",
        "search_path = pg_catalog",
    ],
];

/// A database name psql can `\connect` to and pg_dumpall dumps (no control characters).
fn pg_database_name() -> BoxedStrategy<String> {
    ident(Dbms::Pg, 63)
        .prop_map(move |s| {
            let s: String = s.chars().filter(|&c| !c.is_control()).collect();
            if s.is_empty() {
                "_".to_string()
            } else {
                s
            }
        })
        .prop_filter("not a database of the server", |s| {
            !["postgres", "template0", "template1"].contains(&s.as_str())
        })
        .boxed()
}

fn pg_case() -> impl Strategy<Value = PgCase> {
    (
        names(Dbms::Pg),
        new_rows(Dbms::Pg),
        select(PG_FLAVORS),
        (pg_database_name(), pg_database_name()).prop_filter("two databases", |(a, b)| a != b),
        select(PG_SETTINGS),
    )
        .prop_map(
            |(names, rows, flavor, (database, other_database), settings)| PgCase {
                names,
                rows,
                flavor,
                database,
                other_database,
                settings,
            },
        )
}

fn pg_text(v: &Option<String>) -> String {
    match v {
        None => "NULL".into(),
        Some(s) => format!(
            "convert_from(decode('{}', 'hex'), 'UTF8')",
            hex(s.as_bytes())
        ),
    }
}

fn pg_bytes(v: &Option<Bytes>) -> String {
    match v {
        None => "NULL".into(),
        Some(b) => format!("decode('{}', 'hex')", hex(&b.0)),
    }
}

fn pg_json(v: &Option<JsonDoc>) -> String {
    match v {
        None => "NULL".into(),
        Some(d) => format!("{}::json", pg_text(&Some(d.text()))),
    }
}

impl PgCase {
    fn schema(&self) -> &str {
        self.names.schema.as_deref().unwrap_or("public")
    }

    fn table(&self, name: &str) -> String {
        format!("{}.{}", pg::ident(self.schema()), pg::ident(name))
    }

    fn dumpall(&self) -> bool {
        self.flavor.tool == "pg_dumpall"
    }

    fn expected_json(&self) -> Vec<ExpectedRow<'_>> {
        expected_json(&self.names, &self.rows, |t| self.display(t))
    }

    /// The table as the JSON names it.
    fn display(&self, name: &str) -> String {
        if self.dumpall() {
            format!("{}.{}.{name}", self.database, self.schema())
        } else {
            format!("{}.{name}", self.schema())
        }
    }

    /// Creates the tables and the old rows.
    fn setup_sql(&self) -> String {
        let n = &self.names;
        let id = pg::ident;
        let mut s =
            String::from("SET client_min_messages = warning;\nSET dbsalvage.loading = 'on';\n");
        s.push_str("CREATE TABLE public.canary (id int PRIMARY KEY, note text);\n");
        s.push_str("INSERT INTO public.canary VALUES (1, 'still here');\n");
        if let Some(schema) = &n.schema {
            writeln!(s, "CREATE SCHEMA {};", id(schema)).unwrap();
        }
        writeln!(
            s,
            "CREATE TABLE {} ({} int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, created_at timestamptz NOT NULL, {} varchar(300));",
            self.table(&n.parent),
            id(&n.parent_pk),
            id(&n.parent_text)
        )
        .unwrap();
        writeln!(
            s,
            "CREATE TABLE {} ({} int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, created_at timestamptz NOT NULL, {} int CONSTRAINT {} REFERENCES {}, {} text, {} varchar, {} text COLLATE \"C\", {} json, {} bytea);",
            self.table(&n.child),
            id(&n.child_pk),
            id(&n.child_fk),
            id(&n.fk_name),
            self.table(&n.parent),
            id(&n.child_text[0]),
            id(&n.child_text[1]),
            id(&n.child_text[2]),
            id(&n.child_json),
            id(&n.child_bin)
        )
        .unwrap();
        writeln!(
            s,
            "CREATE TABLE {} (created_at timestamptz NOT NULL, {} text, {} bytea);",
            self.table(&n.keyless),
            id(&n.keyless_text),
            id(&n.keyless_bin)
        )
        .unwrap();
        if let Some(trigger) = &n.trigger {
            let body = format!(
                "BEGIN IF current_setting('dbsalvage.loading', true) IS DISTINCT FROM 'on' THEN NEW.{} := 'rewritten by a trigger'; END IF; RETURN NEW; END",
                id(&n.child_text[0])
            );
            let mut tag = String::from("$body$");
            while body.contains(&tag) {
                tag.insert(1, 'x');
            }
            writeln!(
                s,
                "CREATE FUNCTION {}.prop_rewrite() RETURNS trigger LANGUAGE plpgsql AS {tag}{body}{tag};",
                id(self.schema())
            )
            .unwrap();
            writeln!(
                s,
                "CREATE TRIGGER {} BEFORE INSERT ON {} FOR EACH ROW EXECUTE FUNCTION {}.prop_rewrite();",
                id(trigger),
                self.table(&n.child),
                id(self.schema())
            )
            .unwrap();
        }
        for i in 0..OLD_PARENTS {
            writeln!(
                s,
                "INSERT INTO {} (created_at, {}) VALUES ('{OLD_TIME}+00', 'old parent {i}');",
                self.table(&n.parent),
                id(&n.parent_text)
            )
            .unwrap();
        }
        for i in 0..OLD_CHILDREN {
            writeln!(
                s,
                "INSERT INTO {} (created_at, {}, {}, {}, {}, {}, {}) VALUES ('{OLD_TIME}+00', {}, 'old child', '', NULL, '\"old\"', '\\x00ff');",
                self.table(&n.child),
                id(&n.child_fk),
                id(&n.child_text[0]),
                id(&n.child_text[1]),
                id(&n.child_text[2]),
                id(&n.child_json),
                id(&n.child_bin),
                i + 1
            )
            .unwrap();
        }
        writeln!(
            s,
            "INSERT INTO {} VALUES ('{OLD_TIME}+00', 'old keyless', '\\x');",
            self.table(&n.keyless)
        )
        .unwrap();
        s
    }

    fn parent_id(&self, index: usize) -> usize {
        index % (OLD_PARENTS + self.rows.parents.len()) + 1
    }

    /// The other database of a `pg_dumpall` case: its table and old row.
    fn other_setup_sql(&self) -> String {
        format!(
            "CREATE TABLE public.other (id int PRIMARY KEY, created_at timestamptz NOT NULL, note text);\n\
             INSERT INTO public.other VALUES (1, '{OLD_TIME}+00', 'old row of {0}');\n",
            hex(self.other_database.as_bytes())
        )
    }

    /// The other database's new row.
    fn other_new_sql(&self) -> String {
        format!(
            "INSERT INTO public.other VALUES (2, '{}+00', 'new row of {}');\n",
            new_time(1),
            hex(self.other_database.as_bytes())
        )
    }

    /// Inserts the new rows.
    fn new_rows_sql(&self) -> String {
        let n = &self.names;
        let id = pg::ident;
        let mut s = String::from("SET dbsalvage.loading = 'on';\n");
        let mut t = 0;
        for p in &self.rows.parents {
            t += 1;
            writeln!(
                s,
                "INSERT INTO {} (created_at, {}) VALUES ('{}+00', {});",
                self.table(&n.parent),
                id(&n.parent_text),
                new_time(t),
                pg_text(p)
            )
            .unwrap();
        }
        for c in &self.rows.children {
            t += 1;
            writeln!(
                s,
                "INSERT INTO {} (created_at, {}, {}, {}, {}, {}, {}) VALUES ('{}+00', {}, {}, {}, {}, {}, {});",
                self.table(&n.child),
                id(&n.child_fk),
                id(&n.child_text[0]),
                id(&n.child_text[1]),
                id(&n.child_text[2]),
                id(&n.child_json),
                id(&n.child_bin),
                new_time(t),
                c.parent.map_or("NULL".into(), |p| self.parent_id(p).to_string()),
                pg_text(&c.text[0]),
                pg_text(&c.text[1]),
                pg_text(&c.text[2]),
                pg_json(&c.json),
                pg_bytes(&c.bin)
            )
            .unwrap();
        }
        for (text, bin) in &self.rows.keyless {
            t += 1;
            writeln!(
                s,
                "INSERT INTO {} VALUES ('{}+00', {}, {});",
                self.table(&n.keyless),
                new_time(t),
                pg_text(text),
                pg_bytes(bin)
            )
            .unwrap();
        }
        s
    }

    /// One query listing every name (hex), trigger state, sequence position and cell (hex).
    fn snapshot_sql(&self) -> String {
        let n = &self.names;
        let hexname = |e: &str| format!("encode(convert_to({e}, 'UTF8'), 'hex')");
        let cell = |c: &str| {
            format!(
                "coalesce(encode(convert_to({}::text, 'UTF8'), 'hex'), 'N')",
                pg::ident(c)
            )
        };
        let bcell = |c: &str| format!("coalesce(encode({}, 'hex'), 'N')", pg::ident(c));
        let mut parts = vec![
            format!(
                "SELECT 'relation ' || {} || ' ' || {} || ' ' || c.relkind::text || ' ' || coalesce((SELECT string_agg({}, ',' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'",
                hexname("n.nspname"),
                hexname("c.relname"),
                hexname("a.attname")
            ),
            format!(
                "SELECT 'schema ' || {} FROM pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'",
                hexname("nspname")
            ),
            format!(
                "SELECT 'constraint ' || {} || ' ' || contype::text FROM pg_constraint WHERE connamespace NOT IN (SELECT oid FROM pg_namespace WHERE nspname LIKE 'pg\\_%' OR nspname = 'information_schema')",
                hexname("conname")
            ),
            format!(
                "SELECT 'trigger ' || {} || ' ' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal",
                hexname("tgname")
            ),
            format!(
                "SELECT 'sequence ' || {} || ' ' || {} || ' ' || coalesce(last_value::text, 'null') FROM pg_sequences",
                hexname("schemaname"),
                hexname("sequencename")
            ),
            format!(
                "SELECT 'row canary ' || id || ' ' || {} FROM public.canary",
                hexname("note")
            ),
        ];
        parts.push(format!(
            "SELECT 'row parent ' || concat_ws(' ', {}, {}, {}) FROM ONLY {}",
            cell(&n.parent_pk),
            cell("created_at"),
            cell(&n.parent_text),
            self.table(&n.parent)
        ));
        let mut child: Vec<String> = vec![cell(&n.child_pk), cell("created_at"), cell(&n.child_fk)];
        child.extend(n.child_text.iter().map(|c| cell(c)));
        child.push(cell(&n.child_json));
        child.push(bcell(&n.child_bin));
        parts.push(format!(
            "SELECT 'row child ' || concat_ws(' ', {}) FROM ONLY {}",
            child.join(", "),
            self.table(&n.child)
        ));
        parts.push(format!(
            "SELECT 'row keyless ' || concat_ws(' ', {}, {}, {}) FROM ONLY {}",
            cell("created_at"),
            cell(&n.keyless_text),
            bcell(&n.keyless_bin),
            self.table(&n.keyless)
        ));
        // Text forms of the values must not depend on the database's settings.
        let session = "SET DateStyle = ISO; SET TimeZone = 'UTC'; SET IntervalStyle = postgres; \
                       SET client_encoding = 'UTF8'; SET standard_conforming_strings = on; \
                       SET extra_float_digits = 3; SET bytea_output = hex;\n";
        format!("{session}{};\n", parts.join("\nUNION ALL "))
    }
}

struct PgWorld {
    server: PgServer,
    counter: AtomicUsize,
}

impl PgWorld {
    fn start() -> PgWorld {
        let server = PgServer::start();
        server.create_role(PG_OWNER);
        PgWorld {
            server,
            counter: AtomicUsize::new(0),
        }
    }

    fn alive(&self) -> bool {
        self.server
            .try_psql("postgres", "SELECT 1")
            .status
            .success()
    }

    /// `psql -X -v ON_ERROR_STOP=1 -q -At -d DB -f FILE` as `user` in `dir`.
    fn psql_file(&self, dir: &Path, db: &str, user: &str, file: &Path, quiet: bool) -> Output {
        let mut cmd = self.server.client_as("psql", user);
        cmd.args(["-X", "-v", "ON_ERROR_STOP=1"]);
        if quiet {
            cmd.args(["-q", "-At"]);
        }
        cmd.arg("-d")
            .arg(conninfo(db))
            .arg("-f")
            .arg(file)
            .current_dir(dir)
            .output()
            .expect("run psql")
    }

    /// `pg_dump` (plain) of `db` as the superuser, or `pg_dumpall` for that flavor.
    fn dump(&self, db: &str, flavor: &PgFlavor) -> Vec<u8> {
        let mut cmd = self.server.client(flavor.tool);
        cmd.args(flavor.args);
        if flavor.tool == "pg_dump" {
            cmd.arg("-d").arg(conninfo(db));
        }
        for (k, v) in flavor.env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run the dump tool");
        assert!(
            out.status.success(),
            "{} {:?} failed: {}",
            flavor.tool,
            flavor.args,
            output_text(&out)
        );
        out.stdout
    }

    fn script(
        &self,
        dir: &Path,
        db: &str,
        user: &str,
        name: &str,
        sql: &str,
    ) -> Result<String, String> {
        let file = pg::write_file(dir, name, sql.as_bytes());
        let out = self.psql_file(dir, db, user, &file, true);
        if out.status.success() {
            Ok(String::from_utf8(out.stdout).expect("psql output is UTF-8"))
        } else {
            Err(format!("psql -f {}: {}", file.display(), output_text(&out)))
        }
    }

    fn snapshot(&self, dir: &Path, db: &str, case: &PgCase) -> Result<Vec<String>, TestCaseError> {
        let exists = self
            .script(
                dir,
                db,
                pg::SUPERUSER,
                "canary.sql",
                "SELECT to_regclass('public.canary') IS NOT NULL;",
            )
            .map_err(TestCaseError::fail)?;
        if exists.trim() != "t" {
            return Err(TestCaseError::fail(format!(
                "database {db}: table canary was dropped"
            )));
        }
        let out = self
            .script(dir, db, pg::SUPERUSER, "snapshot.sql", &case.snapshot_sql())
            .map_err(TestCaseError::fail)?;
        let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
        lines.sort();
        Ok(lines)
    }

    /// Applies `patch` to `db` as the owner, in `dir`; the canaries must survive.
    fn apply(&self, dir: &Path, db: &str, patch: &Path, what: &str) -> Result<(), TestCaseError> {
        let out = self.psql_file(dir, db, PG_OWNER, patch, false);
        no_client_command_ran(dir, what)?;
        if !out.status.success() {
            return Err(TestCaseError::fail(format!(
                "{what}: psql -X -v ON_ERROR_STOP=1 -d {db:?} -f {} failed: {}",
                patch.display(),
                output_text(&out)
            )));
        }
        Ok(())
    }

    fn drop_dbs(&self, dbs: &[String]) {
        let mut cmd = self.server.client("psql");
        cmd.args(["-X", "-q", "-d", "postgres"]);
        for db in dbs {
            cmd.arg("-c")
                .arg(format!("DROP DATABASE IF EXISTS {}", pg::ident(db)));
        }
        let _ = cmd.stdout(Stdio::null()).stderr(Stdio::null()).status();
    }

    fn check(&self, case: &PgCase) -> TestCaseResult {
        let k = self.counter.fetch_add(1, Ordering::SeqCst);
        let dir = self.server.dir().join(format!("case{k}"));
        fs::create_dir_all(&dir).expect("case dir");
        let src = if case.dumpall() {
            case.database.clone()
        } else {
            format!("src{k}")
        };
        let mut dbs: Vec<String> = [src]
            .into_iter()
            .chain(
                ["bak", "twice", "json", "moded"]
                    .iter()
                    .map(|p| format!("{p}{k}")),
            )
            .collect();
        dbs.push(case.other_database.clone());
        dbs.push(format!("bakother{k}"));
        if case.dumpall() {
            self.drop_dbs(&[dbs[0].clone(), dbs[5].clone()]);
        }
        let result = self.check_in(case, &dir, &dbs);
        self.drop_dbs(&dbs);
        if result.is_ok() && std::env::var_os("DBSALVAGE_KEEP_PG_DIR").is_none() {
            let _ = fs::remove_dir_all(&dir);
        }
        result
    }

    /// The rows of the other database of a `pg_dumpall` case.
    fn other_snapshot(&self, dir: &Path, db: &str) -> Result<Vec<String>, TestCaseError> {
        let out = self
            .script(
                dir,
                db,
                pg::SUPERUSER,
                "other.sql",
                "SELECT id || ' ' || created_at AT TIME ZONE 'UTC' || ' ' || note FROM public.other;",
            )
            .map_err(TestCaseError::fail)?;
        let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
        lines.sort();
        Ok(lines)
    }

    /// Applies `patch` in `target` (through `connect_to`, where psql starts), compares with the
    /// source, and again (nothing may change).
    #[allow(clippy::too_many_arguments)]
    fn apply_and_compare(
        &self,
        case: &PgCase,
        dir: &Path,
        connect_to: &str,
        target: &str,
        patch: &Path,
        what: &str,
        twice: bool,
        expected: &[String],
    ) -> TestCaseResult {
        self.apply(dir, connect_to, patch, what)?;
        check_same(
            &format!("after the {what}, the database differs from the source"),
            expected,
            &self.snapshot(dir, target, case)?,
        )?;
        if twice {
            self.apply(dir, connect_to, patch, &format!("{what}, again"))?;
            check_same(
                &format!("the {what} applied twice"),
                expected,
                &self.snapshot(dir, target, case)?,
            )?;
        }
        Ok(())
    }

    fn check_in(&self, case: &PgCase, dir: &Path, dbs: &[String]) -> TestCaseResult {
        let (src, bak, twice, json_db, moded) = (&dbs[0], &dbs[1], &dbs[2], &dbs[3], &dbs[4]);
        let s = &self.server;
        s.create_db_owned(src, PG_OWNER);
        if let Err(e) = self.script(dir, src, PG_OWNER, "setup.sql", &case.setup_sql()) {
            // Names the server refuses together (an index name taken by a table...) are outside
            // what the property is about.
            if e.contains("already exists") || e.contains("specified more than once") {
                return Err(TestCaseError::reject(e));
            }
            panic!("setting up the case failed: {e}");
        }
        let backup = self.dump(src, &PG_FLAVORS[0]);
        self.script(dir, src, PG_OWNER, "new.sql", &case.new_rows_sql())
            .unwrap_or_else(|e| panic!("inserting the new rows failed: {e}"));
        let expected = self.snapshot(dir, src, case)?;
        case.names.check_source(Dbms::Pg, &expected);
        let mut other_backup = None;
        let mut expected_other = Vec::new();
        if case.dumpall() {
            let other = &dbs[5];
            s.create_db_owned(other, PG_OWNER);
            self.script(dir, other, PG_OWNER, "other.sql", &case.other_setup_sql())
                .unwrap_or_else(|e| panic!("setting up the other database failed: {e}"));
            other_backup = Some(self.dump(other, &PG_FLAVORS[0]));
            self.script(dir, other, PG_OWNER, "other_new.sql", &case.other_new_sql())
                .unwrap_or_else(|e| panic!("inserting into the other database failed: {e}"));
            expected_other = self.other_snapshot(dir, other)?;
            assert_eq!(expected_other.len(), 2, "{expected_other:?}");
        }
        let dump = self.dump(src, &case.flavor);
        let dump_path = pg::write_file(dir, "dump.sql", &dump);
        let (patch, json, from_json) = run_dbsalvage(dir, &dump_path, "2020-01-01T00:00:00Z")?;
        let json_check = check_json(&json, &case.expected_json());
        let databases = (|| -> TestCaseResult {
            s.restore_as(bak, &backup, PG_OWNER);
            let flavor = case.flavor.name;
            let what = format!("patch of the {flavor} dump");
            if case.dumpall() {
                let (other, other_bak) = (&dbs[5], &dbs[6]);
                s.restore_as(other_bak, other_backup.as_deref().unwrap(), PG_OWNER);
                for (patch, what) in [
                    (&patch, what.as_str()),
                    (&from_json, "patch rebuilt from rows.json"),
                ] {
                    // The patch connects to both databases by name: make them the backups again.
                    self.drop_dbs(&[src.clone(), other.clone()]);
                    s.clone_db_owned(bak, src, PG_OWNER);
                    s.clone_db_owned(other_bak, other, PG_OWNER);
                    self.apply_and_compare(
                        case, dir, "postgres", src, patch, what, true, &expected,
                    )?;
                    check_same(
                        &format!("after the {what}, the other database {other:?} differs from its source"),
                        &expected_other,
                        &self.other_snapshot(dir, other)?,
                    )?;
                }
                return Ok(());
            }
            s.clone_db_owned(bak, twice, PG_OWNER);
            s.clone_db_owned(bak, json_db, PG_OWNER);
            s.clone_db_owned(bak, moded, PG_OWNER);
            for setting in case.settings {
                s.psql(
                    pg::SUPERUSER,
                    &format!("ALTER DATABASE {} SET {setting}", pg::ident(moded)),
                );
            }
            self.apply_and_compare(case, dir, twice, twice, &patch, &what, true, &expected)?;
            let what = "patch rebuilt from rows.json";
            self.apply_and_compare(
                case, dir, json_db, json_db, &from_json, what, false, &expected,
            )?;
            let what = format!(
                "patch of the {flavor} dump in a database with {}",
                case.settings.join(", ")
            );
            self.apply_and_compare(case, dir, moded, moded, &patch, &what, false, &expected)
        })();
        combine(databases, json_check)
    }
}

/// `dbname='…'` for psql's `-d` (a bare name holding `=` would be read as a connection string).
fn conninfo(db: &str) -> String {
    format!("dbname='{}'", db.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// PostgreSQL: generated names and values survive pg_dump/pg_dumpall → dbsalvage → psql, byte
/// for byte, idempotently, and no escape attempt runs. The minimal inputs of the bugs the
/// property found run first ([`pg_found_cases`]).
#[test]
fn pg_patch_is_injection_proof() {
    if !pg::available() {
        return;
    }
    let world = PgWorld::start();
    run_found_cases("pg", pg_found_cases(), |case| world.check(case));
    run_property("pg", pg_case(), || world.alive(), |case| world.check(&case));
}

/// Runs fixed cases (the minimal inputs of bugs found earlier...), reporting every one that
/// fails.
fn run_found_cases<C>(name: &str, cases: Vec<(&str, C)>, check: impl Fn(&C) -> TestCaseResult) {
    let started = Instant::now();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(what, case)| {
            check(case)
                .err()
                .map(|e| format!("{what}: {}", message(&e)))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "[{name}] fixed cases fail (bugs found earlier are back?):\n\n{}",
        failures.join("\n\n")
    );
    eprintln!(
        "[{name}] {} fixed cases pass ({:.1}s)",
        cases.len(),
        started.elapsed().as_secs_f64()
    );
}

/// A plain case: default names, one new row in each table, the first flavor.
fn plain_rows() -> NewRows {
    NewRows {
        parents: vec![Some("p".into())],
        children: vec![ChildRow {
            parent: Some(3),
            text: [Some("a".into()), None, Some(String::new())],
            json: Some(JsonDoc::Str("j".into())),
            bin: Some(Bytes(vec![0, 255])),
        }],
        keyless: vec![(Some("k".into()), None)],
    }
}

/// The minimal failing inputs the property found (all fixed since):
/// - PG-1: a table named `(` with a column named `)`: `dbsalvage extract` failed on the pg_dump
///   output ("cannot parse statement `CREATE TABLE public."(" (…`: Expected close delimiter");
///   the column list was looked for from the first `(` byte, inside the quoted table name;
/// - PG-2: `pg_dumpall` of databases `"` and `""`: the patch connected to `""` and inserted the
///   rows of `"` there; databases `a b` and `a` were both read as `a` (no `\connect` at all in
///   the patch): the `\connect` line was split at white space and `""` not undoubled;
/// - JSON-1, JSON-2: see [`json_found_docs`].
fn pg_found_cases() -> Vec<(&'static str, PgCase)> {
    let plain = PgCase {
        names: plain_names(),
        rows: plain_rows(),
        flavor: PG_FLAVORS[0],
        database: "db".into(),
        other_database: "other".into(),
        settings: PG_SETTINGS[0],
    };
    let mut cases = Vec::new();
    let mut c = plain.clone();
    c.names.child = "(".into();
    c.names.child_text[0] = ")".into();
    cases.push(("PG-1: table \"(\", column \")\"", c));
    for (database, other) in [("\"", "\"\""), ("a b", "a"), ("x y", "z")] {
        let mut c = plain.clone();
        c.flavor = PG_FLAVORS[PG_FLAVORS.len() - 1];
        c.database = database.into();
        c.other_database = other.into();
        cases.push(("PG-2: pg_dumpall of two databases", c));
    }
    for (what, doc) in json_found_docs() {
        let mut c = plain.clone();
        c.rows.children[0].json = Some(doc);
        cases.push((what, c));
    }
    cases
}

/// JSON documents the patch rebuilt from rows.json (`dbsalvage patch`) got wrong, on both
/// servers (fixed since):
/// - JSON-1: the JSON string `"null"` came back as the document `null` (rows.json wrote the
///   string document as it is, `"null"`, which is also how it writes the document `null`);
/// - JSON-2: white space around a document was lost (` {…}\n` came back as `{…}`).
fn json_found_docs() -> Vec<(&'static str, JsonDoc)> {
    vec![
        (
            "JSON-1: the JSON string \"null\"",
            JsonDoc::Str("null".into()),
        ),
        (
            "JSON-2: white space around a document",
            JsonDoc::Object {
                key: "k".into(),
                value: "v".into(),
                before: " ",
                after: "\n",
            },
        ),
    ]
}

/// The default names (what shrinking ends with).
fn plain_names() -> Names {
    Names {
        schema: None,
        parent: "parent".into(),
        parent_pk: "id".into(),
        parent_text: "label".into(),
        child: "child".into(),
        child_pk: "id".into(),
        child_fk: "parent_id".into(),
        fk_name: "child_parent_fk".into(),
        child_text: ["t1".into(), "t2".into(), "t3".into()],
        child_json: "doc".into(),
        child_bin: "data".into(),
        keyless: "log".into(),
        keyless_text: "msg".into(),
        keyless_bin: "blob".into(),
        trigger: None,
    }
}

// ---------------------------------------------------------------------------------------------
// MariaDB

#[derive(Debug, Clone, Copy)]
struct MyFlavor {
    name: &'static str,
    args: &'static [&'static str],
}

const MY_FLAVORS: &[MyFlavor] = &[
    MyFlavor {
        name: "default",
        args: &[],
    },
    MyFlavor {
        name: "skip_extended_insert",
        args: &["--skip-extended-insert"],
    },
    MyFlavor {
        name: "hex_blob",
        args: &["--hex-blob"],
    },
    MyFlavor {
        name: "complete_insert",
        args: &["--complete-insert"],
    },
    MyFlavor {
        name: "skip_extended_hex_blob_complete",
        args: &["--skip-extended-insert", "--hex-blob", "--complete-insert"],
    },
    MyFlavor {
        name: "small_net_buffer",
        args: &["--net-buffer-length=4096"],
    },
    MyFlavor {
        name: "databases",
        args: &["--databases"],
    },
];

/// Server-wide sql_mode while the patch is applied (and while the dump is taken, for
/// `dump_mode`).
const MY_MODES: &[&str] = &[
    "NO_BACKSLASH_ESCAPES",
    "NO_BACKSLASH_ESCAPES,ANSI_QUOTES",
    "ANSI",
    "NO_BACKSLASH_ESCAPES,PIPES_AS_CONCAT,STRICT_ALL_TABLES",
];

#[derive(Debug, Clone)]
struct MyCase {
    names: Names,
    rows: NewRows,
    flavor: MyFlavor,
    /// The global sql_mode while the second restore gets the patch (the first has the default).
    apply_mode: &'static str,
    /// Dump with this global sql_mode (the dump tool must not care).
    dump_mode: Option<&'static str>,
    /// With the `databases` flavor (`mariadb-dump --databases SOURCE OTHER`): the source
    /// database's name, and another database's (one table, one new row). The patch then names
    /// every table with its database and is applied without a default database.
    database: String,
    other_database: String,
}

/// A database name MariaDB accepts (a directory name: see [`names`] for the length).
fn my_database_name() -> BoxedStrategy<String> {
    ident(Dbms::My, 40)
        // No white space at the end (ERROR 1102 Incorrect database name).
        .prop_map(|s| {
            let t = s.trim_end_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b');
            if t.is_empty() {
                "_".to_string()
            } else {
                t.to_string()
            }
        })
        .prop_filter("not a system database or reserved name", |s| {
            !s.starts_with("#mysql50#")
                && !["mysql", "information_schema", "performance_schema", "sys"]
                    .contains(&s.to_lowercase().as_str())
        })
        .boxed()
}

fn my_case() -> impl Strategy<Value = MyCase> {
    (
        names(Dbms::My),
        new_rows(Dbms::My),
        select(MY_FLAVORS),
        select(MY_MODES),
        prop::option::weighted(0.3, select(MY_MODES)),
        (my_database_name(), my_database_name()).prop_filter("two databases", |(a, b)| a != b),
    )
        .prop_map(
            |(names, rows, flavor, apply_mode, dump_mode, (database, other_database))| MyCase {
                names,
                rows,
                flavor,
                apply_mode,
                dump_mode,
                database,
                other_database,
            },
        )
}

fn my_text(v: &Option<String>) -> String {
    match v {
        None => "NULL".into(),
        Some(s) => format!("CONVERT(UNHEX('{}') USING utf8mb4)", hex(s.as_bytes())),
    }
}

fn my_bytes(v: &Option<Bytes>) -> String {
    match v {
        None => "NULL".into(),
        Some(b) => format!("UNHEX('{}')", hex(&b.0)),
    }
}

fn my_json(v: &Option<JsonDoc>) -> String {
    my_text(&v.as_ref().map(JsonDoc::text))
}

/// Every script the test itself sends starts with this: with NO_BACKSLASH_ESCAPES in the
/// session, the client and the server agree on where quoted names end (the client otherwise
/// takes a backslash inside backticks for an escape), and only hex carries values.
const MY_SESSION: &str = "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_BACKSLASH_ESCAPES';\nSET NAMES utf8mb4;\n";

/// A script for the mariadb client that runs `statements` from hex (`EXECUTE IMMEDIATE`), so that
/// the client never sees a name: it drops a CR before LF inside backquotes, and takes a
/// backslash there for an escape unless NO_BACKSLASH_ESCAPES is on.
fn my_script(statements: &[String]) -> String {
    let mut out = String::from(MY_SESSION);
    for st in statements {
        let st = st.trim_end().trim_end_matches(';');
        writeln!(
            out,
            "EXECUTE IMMEDIATE CONVERT(UNHEX('{}') USING utf8mb4);",
            hex(st.as_bytes())
        )
        .unwrap();
    }
    out
}

impl MyCase {
    fn setup_sql(&self) -> String {
        let n = &self.names;
        let id = mariadb::quote_ident;
        let mut s: Vec<String> = Vec::new();
        s.push("SET @dbsalvage_loading = 1".into());
        s.push("CREATE TABLE canary (id INT PRIMARY KEY, note VARCHAR(40))".into());
        s.push("INSERT INTO canary VALUES (1, 'still here')".into());
        s.push(format!(
            "CREATE TABLE {} ({} INT AUTO_INCREMENT PRIMARY KEY, created_at DATETIME NOT NULL, {} VARCHAR(300)) ENGINE=InnoDB;",
            id(&n.parent),
            id(&n.parent_pk),
            id(&n.parent_text)
        ));
        s.push(format!(
            "CREATE TABLE {} ({} INT AUTO_INCREMENT PRIMARY KEY, created_at DATETIME NOT NULL, {} INT, {} LONGTEXT, {} MEDIUMTEXT COLLATE utf8mb4_bin, {} TEXT CHARACTER SET latin1, {} JSON, {} LONGBLOB, CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})) ENGINE=InnoDB;",
            id(&n.child),
            id(&n.child_pk),
            id(&n.child_fk),
            id(&n.child_text[0]),
            id(&n.child_text[1]),
            id(&n.child_text[2]),
            id(&n.child_json),
            id(&n.child_bin),
            id(&n.fk_name),
            id(&n.child_fk),
            id(&n.parent),
            id(&n.parent_pk)
        ));
        s.push(format!(
            "CREATE TABLE {} (created_at DATETIME NOT NULL, {} LONGTEXT, {} LONGBLOB) ENGINE=InnoDB;",
            id(&n.keyless),
            id(&n.keyless_text),
            id(&n.keyless_bin)
        ));
        if let Some(trigger) = &n.trigger {
            let col = id(&n.child_text[0]);
            s.push(format!(
                "CREATE TRIGGER {} BEFORE INSERT ON {} FOR EACH ROW SET NEW.{col} = IF(@dbsalvage_loading IS NULL, 'rewritten by a trigger', NEW.{col});",
                id(trigger),
                id(&n.child)
            ));
        }
        for i in 0..OLD_PARENTS {
            s.push(format!(
                "INSERT INTO {} (created_at, {}) VALUES ('{OLD_TIME}', 'old parent {i}');",
                id(&n.parent),
                id(&n.parent_text)
            ));
        }
        for i in 0..OLD_CHILDREN {
            s.push(format!(
                "INSERT INTO {} (created_at, {}, {}, {}, {}, {}, {}) VALUES ('{OLD_TIME}', {}, 'old child', '', NULL, '\"old\"', UNHEX('00FF'));",
                id(&n.child),
                id(&n.child_fk),
                id(&n.child_text[0]),
                id(&n.child_text[1]),
                id(&n.child_text[2]),
                id(&n.child_json),
                id(&n.child_bin),
                i + 1
            ));
        }
        s.push(format!(
            "INSERT INTO {} VALUES ('{OLD_TIME}', 'old keyless', '');",
            id(&n.keyless)
        ));
        my_script(&s)
    }

    fn parent_id(&self, index: usize) -> usize {
        index % (OLD_PARENTS + self.rows.parents.len()) + 1
    }

    fn expected_json(&self) -> Vec<ExpectedRow<'_>> {
        if self.multi() {
            expected_json(&self.names, &self.rows, |t| {
                format!("{}.{t}", self.database)
            })
        } else {
            expected_json(&self.names, &self.rows, str::to_string)
        }
    }

    fn new_rows_sql(&self) -> String {
        let n = &self.names;
        let id = mariadb::quote_ident;
        let mut s: Vec<String> = Vec::new();
        s.push("SET @dbsalvage_loading = 1".into());
        let mut t = 0;
        for p in &self.rows.parents {
            t += 1;
            s.push(format!(
                "INSERT INTO {} (created_at, {}) VALUES ('{}', {});",
                id(&n.parent),
                id(&n.parent_text),
                new_time(t),
                my_text(p)
            ));
        }
        for c in &self.rows.children {
            t += 1;
            s.push(format!(
                "INSERT INTO {} (created_at, {}, {}, {}, {}, {}, {}) VALUES ('{}', {}, {}, {}, {}, {}, {});",
                id(&n.child),
                id(&n.child_fk),
                id(&n.child_text[0]),
                id(&n.child_text[1]),
                id(&n.child_text[2]),
                id(&n.child_json),
                id(&n.child_bin),
                new_time(t),
                c.parent.map_or("NULL".into(), |p| self.parent_id(p).to_string()),
                my_text(&c.text[0]),
                my_text(&c.text[1]),
                my_text(&c.text[2]),
                my_json(&c.json),
                my_bytes(&c.bin)
            ));
        }
        for (text, bin) in &self.rows.keyless {
            t += 1;
            s.push(format!(
                "INSERT INTO {} VALUES ('{}', {}, {});",
                id(&n.keyless),
                new_time(t),
                my_text(text),
                my_bytes(bin)
            ));
        }
        my_script(&s)
    }

    fn snapshot_sql(&self) -> String {
        let n = &self.names;
        let id = mariadb::quote_ident;
        let cell = |c: &str| format!("IFNULL(HEX(CAST({} AS BINARY)), 'N')", id(c));
        let mut s: Vec<String> = Vec::new();
        s.push("SELECT CONCAT('table ', HEX(TABLE_NAME), ' ', TABLE_TYPE, ' ', IFNULL(AUTO_INCREMENT, 'null')) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE();".into());
        s.push("SELECT CONCAT('column ', HEX(TABLE_NAME), ' ', ORDINAL_POSITION, ' ', HEX(COLUMN_NAME), ' ', HEX(COLUMN_TYPE), ' ', IFNULL(HEX(COLLATION_NAME), 'N')) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE();".into());
        s.push("SELECT CONCAT('constraint ', HEX(CONSTRAINT_NAME), ' ', HEX(TABLE_NAME), ' ', CONSTRAINT_TYPE) FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE();".into());
        s.push("SELECT CONCAT('trigger ', HEX(TRIGGER_NAME), ' ', HEX(EVENT_OBJECT_TABLE), ' ', HEX(ACTION_STATEMENT)) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE();".into());
        s.push("SELECT CONCAT('row canary ', id, ' ', HEX(note)) FROM canary;".into());
        s.push(format!(
            "SELECT CONCAT_WS(' ', 'row parent', {}, {}, {}) FROM {};",
            cell(&n.parent_pk),
            cell("created_at"),
            cell(&n.parent_text),
            id(&n.parent)
        ));
        let child: Vec<String> = n.child_columns().iter().map(|c| cell(c)).collect();
        s.push(format!(
            "SELECT CONCAT_WS(' ', 'row child', {}) FROM {};",
            child.join(", "),
            id(&n.child)
        ));
        s.push(format!(
            "SELECT CONCAT_WS(' ', 'row keyless', {}, {}, {}) FROM {};",
            cell("created_at"),
            cell(&n.keyless_text),
            cell(&n.keyless_bin),
            id(&n.keyless)
        ));
        my_script(&s)
    }

    fn multi(&self) -> bool {
        self.flavor.name == "databases"
    }

    /// The other database of a `databases` case: its table and old row.
    fn other_setup_sql(&self) -> String {
        my_script(&[
            "CREATE TABLE other (id INT PRIMARY KEY, created_at DATETIME NOT NULL, note TEXT)"
                .into(),
            format!("INSERT INTO other VALUES (1, '{OLD_TIME}', 'old')"),
        ])
    }

    fn other_new_sql(&self) -> String {
        my_script(&[format!(
            "INSERT INTO other VALUES (2, '{}', 'new')",
            new_time(1)
        )])
    }
}

struct MyWorld {
    server: MariaDb,
    default_mode: String,
    counter: AtomicUsize,
}

/// MariaDB errors that mean "the server does not take these names together" (duplicates under
/// its case- and accent-insensitive comparison, reserved file names...).
const MY_NAME_ERRORS: &[&str] = &[
    "ERROR 1102 ",
    "ERROR 1007 ",
    "ERROR 1060 ",
    "ERROR 1050 ",
    "ERROR 1103 ",
    "ERROR 1166 ",
    "ERROR 1059 ",
    "ERROR 1359 ",
    "ERROR 1826 ",
    "ERROR 1061 ",
    "ERROR 1280 ",
    "errno: 121 ",
    "errno: 36 ",
];

impl MyWorld {
    fn start() -> MyWorld {
        let server = MariaDb::start();
        let default_mode = server.global("sql_mode");
        MyWorld {
            server,
            default_mode,
            counter: AtomicUsize::new(0),
        }
    }

    fn alive(&self) -> bool {
        self.server.try_sql("", "SELECT 1").status.success()
    }

    /// Runs a script file with `mariadb --default-character-set=utf8mb4 -N -B [DB] < FILE`
    /// (`db` empty: no default database).
    fn script(&self, dir: &Path, db: &str, name: &str, sql: &str) -> Result<String, String> {
        let file = pg::write_file(dir, name, sql.as_bytes());
        let mut cmd = self.server.client();
        cmd.args(["--default-character-set=utf8mb4", "-N", "-B"]);
        if !db.is_empty() {
            // Not a bare argument: a database named `--` or `-e…` would be read as an option.
            cmd.arg(format!("--database={db}"));
        }
        let out = cmd
            .stdin(fs::File::open(&file).expect("open script"))
            .current_dir(dir)
            .output()
            .expect("run mariadb");
        if out.status.success() {
            Ok(String::from_utf8(out.stdout).expect("client output is UTF-8"))
        } else {
            Err(format!(
                "mariadb {db:?} < {}: {}",
                file.display(),
                output_text(&out)
            ))
        }
    }

    /// Drops and creates database `db` (any name).
    fn recreate_db(&self, dir: &Path, db: &str) -> Result<(), String> {
        self.drop_db(dir, db);
        self.script(
            dir,
            "",
            "create_db.sql",
            &my_script(&[format!(
                "CREATE DATABASE {} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
                mariadb::quote_ident(db)
            )]),
        )
        .map(|_| ())
    }

    fn drop_db(&self, dir: &Path, db: &str) {
        let sql = my_script(&[format!(
            "DROP DATABASE IF EXISTS {}",
            mariadb::quote_ident(db)
        )]);
        // A name the server refuses (the case is then rejected) cannot be dropped either.
        let _ = self.script(dir, "", "drop_db.sql", &sql);
    }

    /// `mariadb-dump ARGS DBS`.
    fn dump(&self, args: &[&str], dbs: &[&str]) -> Vec<u8> {
        let out = std::process::Command::new("mariadb-dump")
            .arg("--no-defaults")
            .arg(format!("--socket={}", self.server.socket().display()))
            .arg("-uroot")
            .args(args)
            // Database names may look like options (`--`, `-e`).
            .arg("--")
            .args(dbs)
            .stdin(Stdio::null())
            .output()
            .expect("run mariadb-dump");
        assert!(
            out.status.success(),
            "mariadb-dump {args:?} {dbs:?} failed: {}",
            output_text(&out)
        );
        out.stdout
    }

    /// Loads a dump with `mariadb [DB] < DUMP` (`db` empty: the dump names its database).
    fn restore(&self, dir: &Path, db: &str, dump: &[u8]) {
        if !db.is_empty() {
            self.recreate_db(dir, db).unwrap_or_else(|e| panic!("{e}"));
        }
        let file = pg::write_file(dir, "restore.sql", dump);
        let mut cmd = self.server.client();
        if !db.is_empty() {
            cmd.arg(format!("--database={db}"));
        }
        let out = cmd
            .stdin(fs::File::open(&file).expect("open the dump"))
            .output()
            .expect("run mariadb");
        assert!(
            out.status.success(),
            "restoring {} into {db:?} failed: {}",
            file.display(),
            output_text(&out)
        );
    }

    fn snapshot(&self, dir: &Path, db: &str, case: &MyCase) -> Result<Vec<String>, TestCaseError> {
        let tables = self
            .script(
                dir,
                db,
                "canary.sql",
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'canary';",
            )
            .map_err(TestCaseError::fail)?;
        if tables.trim() != "1" {
            return Err(TestCaseError::fail(format!(
                "database {db:?}: table canary was dropped"
            )));
        }
        let out = self
            .script(dir, db, "snapshot.sql", &case.snapshot_sql())
            .map_err(TestCaseError::fail)?;
        let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
        lines.sort();
        Ok(lines)
    }

    /// The other database of a `databases` case.
    fn other_snapshot(&self, dir: &Path, db: &str) -> Result<Vec<String>, TestCaseError> {
        let sql =
            my_script(&["SELECT CONCAT_WS(' ', id, HEX(created_at), HEX(note)) FROM other".into()]);
        let out = self
            .script(dir, db, "other_snapshot.sql", &sql)
            .map_err(TestCaseError::fail)?;
        let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
        lines.sort();
        Ok(lines)
    }

    fn set_mode(&self, mode: &str) {
        self.server.set_global("sql_mode", &format!("'{mode}'"));
    }

    /// `mariadb [DB] < PATCH` exactly as users run it (no options), in `dir`, with the global
    /// sql_mode `mode` (`None`: the server's default); `db` empty: no default database.
    fn apply(
        &self,
        dir: &Path,
        db: &str,
        patch: &Path,
        mode: Option<&str>,
        what: &str,
    ) -> Result<(), TestCaseError> {
        if let Some(mode) = mode {
            self.set_mode(mode);
        }
        let mut cmd = self.server.client();
        if !db.is_empty() {
            cmd.arg(db);
        }
        let out = cmd
            .stdin(fs::File::open(patch).expect("open the patch"))
            .current_dir(dir)
            .output()
            .expect("run mariadb");
        if mode.is_some() {
            self.set_mode(&self.default_mode);
        }
        no_client_command_ran(dir, what)?;
        if !out.status.success() {
            return Err(TestCaseError::fail(format!(
                "{what}: `mariadb {db:?} < {}` failed: {}",
                patch.display(),
                output_text(&out)
            )));
        }
        Ok(())
    }

    fn check(&self, case: &MyCase) -> TestCaseResult {
        let k = self.counter.fetch_add(1, Ordering::SeqCst);
        let dir = self.server.dir().join(format!("case{k}"));
        fs::create_dir_all(&dir).expect("case dir");
        let (src, other) = if case.multi() {
            (case.database.clone(), case.other_database.clone())
        } else {
            (format!("src{k}"), String::new())
        };
        let mut dbs = vec![src, other];
        dbs.extend(["twice", "moded", "json"].iter().map(|p| format!("{p}{k}")));
        let result = self.check_in(case, &dir, &dbs);
        for db in dbs.iter().filter(|d| !d.is_empty()) {
            self.drop_db(&dir, db);
        }
        if result.is_ok() {
            let _ = fs::remove_dir_all(&dir);
        }
        result
    }

    fn check_in(&self, case: &MyCase, dir: &Path, dbs: &[String]) -> TestCaseResult {
        let (src, other) = (&dbs[0], &dbs[1]);
        let multi = case.multi();
        let reject_names = |e: String| -> TestCaseResult {
            if MY_NAME_ERRORS.iter().any(|m| e.contains(m)) {
                return Err(TestCaseError::reject(e));
            }
            panic!("setting up the case failed: {e}");
        };
        if let Err(e) = self.recreate_db(dir, src) {
            return reject_names(e);
        }
        if let Err(e) = self.script(dir, src, "setup.sql", &case.setup_sql()) {
            return reject_names(e);
        }
        let db_args: &[&str] = if multi { &["--databases"] } else { &[] };
        let backup = self.dump(db_args, &[src]);
        let mut other_backup = Vec::new();
        let mut expected_other = Vec::new();
        if multi {
            if let Err(e) = self.recreate_db(dir, other) {
                return reject_names(e);
            }
            self.script(dir, other, "other.sql", &case.other_setup_sql())
                .unwrap_or_else(|e| panic!("setting up the other database failed: {e}"));
            other_backup = self.dump(db_args, &[other]);
            self.script(dir, other, "other_new.sql", &case.other_new_sql())
                .unwrap_or_else(|e| panic!("inserting into the other database failed: {e}"));
            expected_other = self.other_snapshot(dir, other)?;
            assert_eq!(expected_other.len(), 2, "{expected_other:?}");
        }
        self.script(dir, src, "new.sql", &case.new_rows_sql())
            .unwrap_or_else(|e| panic!("inserting the new rows failed: {e}"));
        let expected = self.snapshot(dir, src, case)?;
        case.names.check_source(Dbms::My, &expected);
        if let Some(mode) = case.dump_mode {
            self.set_mode(mode);
        }
        let dumped: Vec<&str> = if multi { vec![src, other] } else { vec![src] };
        let dump = self.dump(case.flavor.args, &dumped);
        if case.dump_mode.is_some() {
            self.set_mode(&self.default_mode);
        }
        let dump_path = pg::write_file(dir, "dump.sql", &dump);
        let (patch, json, from_json) = run_dbsalvage(dir, &dump_path, "2020-01-01 00:00:00")?;
        let json_check = check_json(&json, &case.expected_json());
        let flavor = case.flavor.name;
        let mode_what = format!(
            "patch of the {flavor} dump, global sql_mode={}",
            case.apply_mode
        );
        let runs: [(&Path, Option<&str>, bool, &str, &str); 3] = [
            (
                &patch,
                None,
                true,
                &dbs[2],
                &format!("patch of the {flavor} dump"),
            ),
            (&patch, Some(case.apply_mode), false, &dbs[3], &mode_what),
            (
                &from_json,
                None,
                false,
                &dbs[4],
                "patch rebuilt from rows.json",
            ),
        ];
        let databases = (|| -> TestCaseResult {
            for (patch, mode, again, target, what) in runs {
                // A multi-database patch names its databases: restore them under their names.
                let (target, apply_db) = if multi {
                    self.drop_db(dir, src);
                    self.drop_db(dir, other);
                    self.restore(dir, "", &backup);
                    self.restore(dir, "", &other_backup);
                    (src.as_str(), "")
                } else {
                    self.restore(dir, target, &backup);
                    (target, target)
                };
                let times: &[&str] = if again { &["", ", again"] } else { &[""] };
                for time in times {
                    let what = format!("{what}{time}");
                    self.apply(dir, apply_db, patch, mode, &what)?;
                    check_same(
                        &format!("after the {what}, the database differs from the source"),
                        &expected,
                        &self.snapshot(dir, target, case)?,
                    )?;
                    if multi {
                        check_same(
                            &format!("after the {what}, the other database {other:?} differs from its source"),
                            &expected_other,
                            &self.other_snapshot(dir, other)?,
                        )?;
                    }
                }
            }
            Ok(())
        })();
        combine(databases, json_check)
    }
}

/// MariaDB: generated names and values survive mariadb-dump → dbsalvage → mariadb, byte for
/// byte, idempotently, whatever the server's sql_mode, and no escape attempt runs. The minimal
/// inputs of the bugs the property found ([`json_found_docs`]) and a few hostile database names
/// run first.
#[test]
fn mariadb_patch_is_injection_proof() {
    if !mariadb::available() {
        return;
    }
    let world = MyWorld::start();
    let plain = MyCase {
        names: plain_names(),
        rows: plain_rows(),
        flavor: MY_FLAVORS[0],
        apply_mode: MY_MODES[0],
        dump_mode: None,
        database: "db".into(),
        other_database: "other".into(),
    };
    let mut pinned: Vec<(&str, MyCase)> = json_found_docs()
        .into_iter()
        .map(|(what, doc)| {
            let mut c = plain.clone();
            c.rows.children[0].json = Some(doc);
            (what, c)
        })
        .collect();
    // Database names like the ones PostgreSQL's `\connect` misread (PG-2), and names that look
    // like options, in a `--databases` dump (`USE` statements; the patch names the databases).
    for (database, other) in [
        ("a b", "a"),
        ("`", "``"),
        ("x\\", "\\"),
        ("a.b", "a"),
        ("\"", "'"),
        ("--", "-e SELECT 1"),
    ] {
        let mut c = plain.clone();
        c.flavor = MY_FLAVORS[MY_FLAVORS.len() - 1];
        c.database = database.into();
        c.other_database = other.into();
        pinned.push(("--databases dump of two databases", c));
    }
    run_found_cases("mariadb", pinned, |case| world.check(case));
    run_property(
        "mariadb",
        my_case(),
        || world.alive(),
        |case| world.check(&case),
    );
}

// ---------------------------------------------------------------------------------------------
// The generators themselves

/// The generators produce what the properties claim to cover (cheap, no server).
#[test]
fn generators_cover_the_hostile_inputs() {
    let mut runner = TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(7),
        ..Config::default()
    });
    let mut seen_text = String::new();
    let mut long = 0;
    for _ in 0..400 {
        let v = text(Dbms::My).new_tree(&mut runner).unwrap().current();
        if v.len() >= 100_000 {
            long += 1;
        } else {
            seen_text.push_str(&v);
        }
    }
    assert!(long > 0, "no 100 KB+ value in 400");
    for needle in [
        "'",
        "\"",
        "`",
        "\\",
        "\0",
        "$$",
        "$tag$",
        "*/",
        "/*",
        "--",
        "#",
        ";",
        "\n",
        "\r",
        "\t",
        "\\.",
        "\u{2028}",
        "\u{2029}",
        "😀",
        "\u{301}",
        "DROP TABLE canary",
    ] {
        assert!(
            seen_text.contains(needle),
            "generated text never holds {needle:?}"
        );
    }
    for _ in 0..200 {
        let v = text(Dbms::Pg).new_tree(&mut runner).unwrap().current();
        assert!(!v.contains('\0'), "PostgreSQL text with NUL");
    }
    let mut all_bytes = [false; 256];
    let mut invalid_utf8 = false;
    for _ in 0..200 {
        let v = bytes().new_tree(&mut runner).unwrap().current().0;
        for &b in &v {
            all_bytes[usize::from(b)] = true;
        }
        invalid_utf8 |= std::str::from_utf8(&v).is_err();
    }
    assert!(
        all_bytes.iter().all(|&b| b),
        "some byte value never generated"
    );
    assert!(invalid_utf8);
    let mut idents = String::new();
    for dbms in [Dbms::Pg, Dbms::My] {
        for _ in 0..300 {
            let v = ident(dbms, 40).new_tree(&mut runner).unwrap().current();
            assert!(!v.is_empty() && !v.contains('\0'));
            match dbms {
                Dbms::Pg => assert!(v.len() <= 63, "{v:?}"),
                Dbms::My => {
                    assert!(v.chars().count() <= 40 && !v.ends_with(' '), "{v:?}");
                    assert!(v.chars().all(|c| (c as u32) <= 0xffff), "{v:?}");
                }
            }
            idents.push_str(&v);
        }
    }
    for needle in ["\"", "`", "'", ".", " ", ";", "\\", "\n", "é", "--", "/*"] {
        assert!(
            idents.contains(needle),
            "generated names never hold {needle:?}"
        );
    }
}
